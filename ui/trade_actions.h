/* trade_actions: the trading actions of the UI (order ticket, cancel, amend,
 * nudge, close, leverage, margin mode, transfers, alerts), as rows of the
 * action table in ui/actions.c. Implemented in ui/trade_actions.c. */
#ifndef KT_UI_TRADE_ACTIONS_H
#define KT_UI_TRADE_ACTIONS_H

#include <stdint.h>

struct ui;

void ta_alert_price(struct ui *ui, int64_t now);
void ta_alert_liq(struct ui *ui, int64_t now);

#define TRADE_ACTIONS                                                                              \
	{"alert_price", "set a price alert on this instrument", CTX(KC_GLOBAL), ta_alert_price},   \
	{"alert_liquidation", "alert when the liquidation price comes close", CTX(KC_POSITIONS),   \
	 ta_alert_liq},

#endif
