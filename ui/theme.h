/* theme: semantic colour slots loaded from themes/NAME.conf (libconfig).
 *
 * Panes never name colours; they ask for a slot (bid, ask, profit, warning,
 * live_badge...). A theme file gives each slot a colour for 256-colour
 * terminals (fg256/bg256), for 16/8-colour ones (fg/bg as names) and the
 * attributes to use when there is no colour at all (mono), so every slot reads
 * well in 256, 16 and 8 colours and in monochrome. NO_COLOR is honoured by
 * the caller (it opens the terminal with no_color). docs/themes.md lists the
 * slots and the file format. */
#ifndef KT_UI_THEME_H
#define KT_UI_THEME_H

#include "base/kerr.h"

struct term;

#define THEME_SLOTS(X)                                                                             \
	X(normal, "ordinary text")                                                                 \
	X(dim, "secondary text: labels, units, ages")                                             \
	X(title, "pane titles")                                                                    \
	X(title_focus, "the title of the focused pane")                                           \
	X(border, "pane borders")                                                                  \
	X(border_focus, "the border of the focused pane")                                         \
	X(header, "column headers")                                                                \
	X(selection, "the selected row")                                                           \
	X(bid, "bids and buys")                                                                    \
	X(ask, "asks and sells")                                                                   \
	X(bid_bar, "depth bars of bids")                                                           \
	X(ask_bar, "depth bars of asks")                                                           \
	X(own_order, "your own orders marked in the book")                                         \
	X(spread, "the spread line of the book")                                                   \
	X(up, "prices that went up")                                                               \
	X(down, "prices that went down")                                                           \
	X(profit, "positive PnL and funding received")                                            \
	X(loss, "negative PnL and funding paid")                                                   \
	X(warning, "warnings and the STALE mark")                                                  \
	X(error, "errors")                                                                         \
	X(ok, "confirmations and healthy feeds")                                                   \
	X(live_badge, "the LIVE badge")                                                            \
	X(paper_badge, "the PAPER badge")                                                          \
	X(armed, "the ARMED trading state")                                                        \
	X(status_bar, "the status bar background")                                                 \
	X(message, "the message line")                                                             \
	X(input, "form fields being edited")                                                       \
	X(input_error, "the reason beside an invalid field")                                      \
	X(chart_up, "rising candles")                                                              \
	X(chart_down, "falling candles")                                                           \
	X(tab, "inactive tabs of the compact layout")                                              \
	X(tab_active, "the active tab")                                                            \
	X(alert, "triggered alerts")

enum theme_slot {
#define X(name, doc) SLOT_##name,
	THEME_SLOTS(X)
#undef X
	SLOT_COUNT
};

struct theme {
	char name[32];
	int style[SLOT_COUNT]; /* term style ids, ready to draw with */
};

const char *theme_slot_name(enum theme_slot s);
const char *theme_slot_doc(enum theme_slot s);
/* Load `name_or_path` ("dark", "light", "mono", or a file path) from the user's
 * theme dir, then the shipped data dir, and make styles for `t`. Errors name
 * the file and line. Unset slots fall back to the built-in defaults. */
int theme_load(struct theme *th, struct term *t, const char *name_or_path, const char *user_dir,
	       const char *data_dir, struct kerr *err);
/* The built-in dark theme (used when no file is found and as slot defaults). */
void theme_builtin(struct theme *th, struct term *t);
/* Parse a colour: "default", a name ("red", "bright-cyan"), or 0-255. */
int theme_color_parse(const char *s, int *out);

#endif
