/* panes: what other UI files may ask of the panes (selection lookups used to
 * prefill forms). */
#ifndef KT_UI_PANES_H
#define KT_UI_PANES_H

#include <stdbool.h>

#include "base/dec.h"
#include "core/types.h"

struct ui;
struct order;
struct position;

/* The selected book level: its side and price (false when nothing is selected). */
bool pane_book_selection(struct ui *ui, enum side *side, dec_t *price);
/* The selected open order / position (NULL when none). */
const struct order *pane_orders_selection(struct ui *ui);
const struct position *pane_positions_selection(struct ui *ui);
/* Open orders in display order (index i; NULL past the end). */
const struct order *pane_orders_at(struct ui *ui, int i);
int pane_orders_count(struct ui *ui);

#endif
