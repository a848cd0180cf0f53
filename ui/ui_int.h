/* ui_int: the UI's private structure, shared by the files of ui/. */
#ifndef KT_UI_UI_INT_H
#define KT_UI_UI_INT_H

#include <stdbool.h>
#include <stdint.h>

#include "base/dec.h"
#include "core/state.h"
#include "ui/keymap.h"
#include "ui/term.h"
#include "ui/theme.h"
#include "ui/ui.h"

struct rect {
	int y, x, h, w;
};

enum pane_id {
	PANE_BOOK,
	PANE_TICKERS,
	PANE_TRADES,
	PANE_CHART,
	PANE_ORDERS,
	PANE_POSITIONS,
	PANE_SPOT_WALLET,
	PANE_FUT_WALLET,
	PANE_FUNDING,
	PANE_COUNT
};

struct ui;

struct pane_def {
	const char *title;
	enum key_ctx ctx;
	/* Draw the pane's contents inside r (the frame is drawn by the caller). */
	void (*draw)(struct ui *ui, const struct rect *r);
	/* The title's right-hand part (e.g. "BTC/USD  depth 25"), may be NULL. */
	void (*subtitle)(struct ui *ui, char *buf, size_t cap);
	/* Is the data shown stale (its feed stopped, checksum failed)? */
	bool (*stale)(struct ui *ui, int64_t now_ms);
};

extern const struct pane_def *const pane_defs[PANE_COUNT];
extern const struct pane_def pane_book_def, pane_tickers_def, pane_trades_def, pane_chart_def,
	pane_orders_def, pane_positions_def, pane_spot_wallet_def, pane_fut_wallet_def,
	pane_funding_def;

enum overlay {
	OV_NONE,
	OV_HELP,
	OV_SWITCHER,
	OV_FORM, /* a form: order ticket, transfer, amend, leverage, alert... */
};

enum ticker_sort { TS_NAME, TS_CHANGE, TS_VOLUME, TS_FUNDING, TS_COUNT };

#define SWITCHER_MAX 64
#define ALERTS_MAX 32

struct alert {
	bool used;
	int instr;
	bool liq;          /* liquidation-distance alert (pct) rather than a price */
	dec_t level;       /* price, or distance in percent for liq alerts */
	int dir;           /* +1: fire when >= level, -1: when <= level */
	bool fired;
};

struct form; /* ui/form.h */

struct ui {
	struct state *st;
	struct term *term;
	struct theme theme;
	struct keymap km;
	struct ui_opts o;  /* its strings point at the copies below, or are NULL */
	char *profile;
	char *max_notional, *max_distance_pct, *start_instrument; /* owned copies */
	int w, h;

	bool dirty;       /* something changed since the last frame */
	bool quit;
	int64_t last_frame_ms;
	int64_t next_tick_ms; /* clocks and countdowns: redraw at least once a second */

	/* What is shown. */
	int instr;            /* current instrument index (-1 = none yet) */
	bool instr_chosen;    /* the user picked it (else it follows the default) */
	bool form_stale;      /* state changed since the open form last recomputed */
	bool compact;         /* resolved layout */
	int layout_pref;      /* 0 auto, 1 wide, 2 compact */
	enum pane_id focus;   /* focused pane (wide) or active tab (compact) */
	struct rect rects[PANE_COUNT];
	bool visible[PANE_COUNT];

	/* Per-pane view state. */
	int book_depth;       /* rows per side requested from the feed */
	int book_group;       /* group levels by this many ticks (1 = none) */
	int book_sel;         /* selected row: <0 asks (-1 best ask), >0 bids (1 best bid) */
	int tickers_sel, tickers_top;
	enum ticker_sort tickers_sort;
	bool tickers_desc;
	char tickers_filter[24];   /* "" (all), "spot" or "futures" */
	int value_ccy;             /* index of ui_value_currencies (spot wallet values) */
#define UI_VALUE_CCY_COUNT 4
	char tickers_name[24];     /* name filter: case-insensitive substring of the id */
	bool tickers_typing;       /* the name filter prompt has the keyboard */
	int orders_sel, positions_sel, wallets_sel, funding_sel, trades_top;

	/* Overlays. */
	enum overlay overlay;
	int help_top;
	char sw_query[32];
	int sw_sel;
	int sw_hits[SWITCHER_MAX];
	int sw_nhits;
	struct form *form;

	/* Trading state. */
	bool armed;
	int64_t last_key_ms;

	/* Message line. */
	char msg[256];
	enum notice_level msg_level;
	int64_t msg_ms;

	struct alert alerts[ALERTS_MAX];

	/* Trading state (ui/trade_actions.c and the files it is split into). */
	struct trade_op *trade_ops;   /* intents awaiting their result (trade_ui_detach) */
	char nudge_id[ORDER_ID_MAX];  /* the order nudged last and the prices sent for it, */
	dec_t nudge_limit, nudge_trigger; /* so quick repeats build on them before the echo */
};

/* ui.c */
void ui_message(struct ui *ui, enum notice_level lvl, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void ui_set_instrument(struct ui *ui, int instr);
const struct instrument *ui_instrument(const struct ui *ui);
int ui_style(const struct ui *ui, enum theme_slot s);
void ui_layout(struct ui *ui);
/* Is trading allowed now? Paper is always armed; live needs arming. */
bool ui_can_trade(struct ui *ui, int64_t now_ms);

/* actions.c: the action table (names are what key maps bind). */
struct action {
	const char *name;
	const char *help;
	unsigned ctx_mask; /* contexts where it makes sense (1 << enum key_ctx) */
	void (*run)(struct ui *ui, int64_t now_ms);
};
const struct action *action_find(const char *name);
const struct action *action_at(size_t i);
size_t action_count(void);
bool action_known(const char *name);

/* fmt.c: number formatting for narrow columns. */
void fmt_dec(char *buf, size_t cap, dec_t v, int places);
void fmt_dec_group(char *buf, size_t cap, dec_t v, int places);
/* Compact quantity for narrow columns: 12345 -> "12.3k", 123456 -> "123k",
 * 1234567.8 -> "1235k", 98765432 -> "98.8M"; values under 10,000 as they are. */
void fmt_qty_short(char *buf, size_t cap, dec_t v, int places);
void fmt_pct(char *buf, size_t cap, dec_t pct, int places, bool sign);
void fmt_age(char *buf, size_t cap, int64_t ms);        /* "0.4s", "12s", "3m", "2h" */
void fmt_countdown(char *buf, size_t cap, int64_t ms);  /* "59:58", "1:02:03" */
void fmt_time_hms(char *buf, size_t cap, int64_t epoch_ms);

/* draw.c: frames, titles, tab bar, status bar, message line, overlays. */
void draw_frame(struct ui *ui, enum pane_id p, bool focus, int64_t now_ms);
void draw_status(struct ui *ui, int64_t now_ms);
void draw_message(struct ui *ui, int64_t now_ms);
void draw_tabs(struct ui *ui);
void draw_help(struct ui *ui);
void draw_switcher(struct ui *ui);
/* A right-aligned cell of width w at (y, x). Text too long is cut; a number
 * too long is shown as ### (never as a shorter, different number); a cell
 * that does not fit in the pane is left out. */
void draw_right(struct ui *ui, int y, int x, int w, int style, const char *s);

/* Table columns that give way by priority when a pane is narrow: columns are
 * shown in table order, chosen lowest prio first while they fit. */
struct colspec {
	const char *name;
	int w;    /* width including one cell of gap */
	int prio; /* 0 = always (if anything fits), higher = dropped first */
	bool right;
};
/* Fill xs[i] with the column's x offset inside width, or -1 when hidden. */
void cols_layout(const struct colspec *c, int n, int width, int *xs);
void cols_header(struct ui *ui, int y, int x0, const struct colspec *c, int n, const int *xs);
void cols_cell(struct ui *ui, int y, int x0, const struct colspec *c, int i, const int *xs,
	       int style, const char *text);

/* pane_tickers.c */
/* Open the market selected in the watchlist. */
void tickers_select_current(struct ui *ui);
/* A key while the name filter prompt is open: true when the prompt used it
 * (text, Backspace, Enter keeps the filter, Esc clears it), false for keys it
 * does not take (the caller closes the prompt and handles the key). */
bool tickers_prompt_key(struct ui *ui, const char *name, const char *utf8);

/* switcher.c */
void switcher_open(struct ui *ui);
void switcher_key(struct ui *ui, const char *name, const char *utf8);
/* Fuzzy score of query against text (higher is better, < 0 no match). */
int fuzzy_score(const char *query, const char *text);

/* alerts.c */
void alerts_check(struct ui *ui);

#endif
