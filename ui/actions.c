/* actions: everything a key can do, by name. Key maps bind keys to these
 * names; the help overlay is generated from this table. Trading actions live
 * in ui/trade_actions.c and are listed here as well. */
#include <string.h>

#include "ui/form.h"
#include "ui/trade_actions.h"
#include "ui/ui_int.h"

#define CTX(c) (1u << (c))
#define LISTS (CTX(KC_BOOK) | CTX(KC_ORDERS) | CTX(KC_POSITIONS) | CTX(KC_TICKERS) | \
	       CTX(KC_TRADES) | CTX(KC_WALLETS) | CTX(KC_FUNDING))

static void a_quit(struct ui *ui, int64_t now) { (void)now; ui->quit = true; }

static void a_help(struct ui *ui, int64_t now)
{
	(void)now;
	ui->overlay = OV_HELP;
	ui->help_top = 0;
}

static void a_switch(struct ui *ui, int64_t now) { (void)now; switcher_open(ui); }

static void focus(struct ui *ui, enum pane_id p)
{
	ui->focus = p;
	if (ui->compact)
		ui_layout(ui);
}

static void a_next_pane(struct ui *ui, int64_t now)
{
	(void)now;
	enum pane_id p = ui->focus;
	for (int i = 0; i < PANE_COUNT; i++) {
		p = (enum pane_id)((p + 1) % PANE_COUNT);
		if (ui->compact || ui->visible[p])
			break;
	}
	focus(ui, p);
}

static void a_prev_pane(struct ui *ui, int64_t now)
{
	(void)now;
	enum pane_id p = ui->focus;
	for (int i = 0; i < PANE_COUNT; i++) {
		p = (enum pane_id)((p + PANE_COUNT - 1) % PANE_COUNT);
		if (ui->compact || ui->visible[p])
			break;
	}
	focus(ui, p);
}

#define PANE_ACTION(n, id)                                                                         \
	static void a_pane_##n(struct ui *ui, int64_t now)                                         \
	{                                                                                          \
		(void)now;                                                                         \
		focus(ui, id);                                                                     \
	}
PANE_ACTION(book, PANE_BOOK)
PANE_ACTION(tickers, PANE_TICKERS)
PANE_ACTION(trades, PANE_TRADES)
PANE_ACTION(chart, PANE_CHART)
PANE_ACTION(orders, PANE_ORDERS)
PANE_ACTION(positions, PANE_POSITIONS)
PANE_ACTION(spot_wallet, PANE_SPOT_WALLET)
PANE_ACTION(fut_wallet, PANE_FUT_WALLET)
PANE_ACTION(funding, PANE_FUNDING)

static void a_layout(struct ui *ui, int64_t now)
{
	(void)now;
	ui->layout_pref = ui->compact ? 1 : 2;
	ui_layout(ui);
	term_invalidate(ui->term);
	ui_message(ui, NOTICE_INFO, "%s layout", ui->compact ? "compact (tabs)" : "wide");
}

static void a_redraw(struct ui *ui, int64_t now)
{
	(void)now;
	term_invalidate(ui->term);
}

/* The selection variable of the focused list pane. */
static int *sel_of(struct ui *ui)
{
	switch (ui->focus) {
	case PANE_BOOK: return &ui->book_sel;
	case PANE_TICKERS: return &ui->tickers_sel;
	case PANE_ORDERS: return &ui->orders_sel;
	case PANE_POSITIONS: return &ui->positions_sel;
	case PANE_SPOT_WALLET:
	case PANE_FUT_WALLET: return &ui->wallets_sel;
	case PANE_FUNDING: return &ui->funding_sel;
	case PANE_TRADES: return &ui->trades_top;
	default: return NULL;
	}
}

static void move(struct ui *ui, int d)
{
	int *s = sel_of(ui);
	if (!s)
		return;
	if (ui->focus == PANE_BOOK) {
		/* Book rows: ... -2 -1 (asks) | 1 2 ... (bids); 0 means none. */
		int v = *s;
		if (v == 0)
			v = d > 0 ? 1 : -1;
		else {
			v += d;
			if (v == 0)
				v = d > 0 ? 1 : -1;
		}
		int lim = ui->book_depth;
		if (v > lim)
			v = lim;
		if (v < -lim)
			v = -lim;
		*s = v;
		return;
	}
	*s += d;
	if (*s < 0)
		*s = 0;
}

static void a_up(struct ui *ui, int64_t now) { (void)now; move(ui, -1); }
static void a_down(struct ui *ui, int64_t now) { (void)now; move(ui, 1); }
static void a_page_up(struct ui *ui, int64_t now) { (void)now; move(ui, -10); }
static void a_page_down(struct ui *ui, int64_t now) { (void)now; move(ui, 10); }

static void a_top(struct ui *ui, int64_t now)
{
	(void)now;
	int *s = sel_of(ui);
	if (s)
		*s = ui->focus == PANE_BOOK ? -1 : 0;
}

static const int depths[] = {10, 25, 100, 500, 1000};

static void a_depth_more(struct ui *ui, int64_t now)
{
	(void)now;
	for (size_t i = 0; i + 1 < sizeof depths / sizeof depths[0]; i++) {
		if (depths[i] == ui->book_depth) {
			ui->book_depth = depths[i + 1];
			break;
		}
	}
	intent_watch(ui->st, ui->instr, ui->book_depth);
	ui_message(ui, NOTICE_INFO, "book depth %d", ui->book_depth);
}

static void a_depth_less(struct ui *ui, int64_t now)
{
	(void)now;
	for (size_t i = 1; i < sizeof depths / sizeof depths[0]; i++) {
		if (depths[i] == ui->book_depth) {
			ui->book_depth = depths[i - 1];
			break;
		}
	}
	intent_watch(ui->st, ui->instr, ui->book_depth);
	ui_message(ui, NOTICE_INFO, "book depth %d", ui->book_depth);
}

static const int groups[] = {1, 2, 5, 10, 20, 50, 100, 250, 500, 1000};

static void a_group_more(struct ui *ui, int64_t now)
{
	(void)now;
	for (size_t i = 0; i + 1 < sizeof groups / sizeof groups[0]; i++) {
		if (groups[i] == ui->book_group) {
			ui->book_group = groups[i + 1];
			break;
		}
	}
	ui_message(ui, NOTICE_INFO, "grouping by %d ticks", ui->book_group);
}

static void a_group_less(struct ui *ui, int64_t now)
{
	(void)now;
	for (size_t i = 1; i < sizeof groups / sizeof groups[0]; i++) {
		if (groups[i] == ui->book_group) {
			ui->book_group = groups[i - 1];
			break;
		}
	}
	ui_message(ui, NOTICE_INFO, "grouping by %d ticks", ui->book_group);
}

static void a_sort(struct ui *ui, int64_t now)
{
	(void)now;
	ui->tickers_sort = (enum ticker_sort)((ui->tickers_sort + 1) % TS_COUNT);
	static const char *const names[] = {"name", "24h change", "volume", "funding"};
	ui_message(ui, NOTICE_INFO, "sorted by %s", names[ui->tickers_sort]);
}

static void a_sort_reverse(struct ui *ui, int64_t now)
{
	(void)now;
	ui->tickers_desc = !ui->tickers_desc;
}

static void a_value_currency(struct ui *ui, int64_t now)
{
	(void)now;
	ui->value_ccy = (ui->value_ccy + 1) % UI_VALUE_CCY_COUNT;
	ui_message(ui, NOTICE_INFO, "spot wallet valued in %s", ui_value_currencies[ui->value_ccy]);
}

static void a_filter_next(struct ui *ui, int64_t now)
{
	(void)now;
	/* Cycle: all -> spot -> futures -> all. */
	if (!ui->tickers_filter[0])
		strcpy(ui->tickers_filter, "spot");
	else if (strcmp(ui->tickers_filter, "spot") == 0)
		strcpy(ui->tickers_filter, "futures");
	else
		ui->tickers_filter[0] = '\0';
	ui->tickers_sel = 0;
	ui_message(ui, NOTICE_INFO, "showing %s", ui->tickers_filter[0] ? ui->tickers_filter : "all markets");
}

/* The name filter prompt: typed text narrows the watchlist as it is typed. */
static void a_filter_name(struct ui *ui, int64_t now)
{
	(void)now;
	if (ui->focus != PANE_TICKERS)
		return;
	ui->tickers_typing = true;
	ui->tickers_sel = 0;
	ui->tickers_top = 0;
}

static void a_select(struct ui *ui, int64_t now)
{
	(void)now;
	if (ui->focus == PANE_TICKERS)
		tickers_select_current(ui);
}

static void a_arm(struct ui *ui, int64_t now)
{
	(void)now;
	if (!ui->o.live) {
		ui_message(ui, NOTICE_INFO, "paper profile: trading is always enabled");
		return;
	}
	ui->armed = !ui->armed;
	ui->last_key_ms = now;
	ui_message(ui, ui->armed ? NOTICE_WARN : NOTICE_INFO, "%s",
		   ui->armed ? "ARMED: orders will be sent to Kraken" : "disarmed: read-only");
}

static const struct action actions[] = {
	{"quit", "quit krakterm", CTX(KC_GLOBAL), a_quit},
	{"help", "show this help", CTX(KC_GLOBAL), a_help},
	{"switch_instrument", "choose an instrument (fuzzy search)", CTX(KC_GLOBAL), a_switch},
	{"next_pane", "focus the next pane / tab", CTX(KC_GLOBAL), a_next_pane},
	{"prev_pane", "focus the previous pane / tab", CTX(KC_GLOBAL), a_prev_pane},
	{"pane_book", "focus the order book", CTX(KC_GLOBAL), a_pane_book},
	{"pane_tickers", "focus the watchlist", CTX(KC_GLOBAL), a_pane_tickers},
	{"pane_trades", "focus the trades tape", CTX(KC_GLOBAL), a_pane_trades},
	{"pane_chart", "focus the chart", CTX(KC_GLOBAL), a_pane_chart},
	{"pane_orders", "focus open orders", CTX(KC_GLOBAL), a_pane_orders},
	{"pane_positions", "focus positions", CTX(KC_GLOBAL), a_pane_positions},
	{"pane_spot_wallet", "focus the spot wallet", CTX(KC_GLOBAL), a_pane_spot_wallet},
	{"pane_futures_wallet", "focus the futures wallet", CTX(KC_GLOBAL), a_pane_fut_wallet},
	{"pane_funding", "focus funding", CTX(KC_GLOBAL), a_pane_funding},
	{"toggle_layout", "switch between wide and compact (tabs) layouts", CTX(KC_GLOBAL), a_layout},
	{"redraw", "repaint the whole screen", CTX(KC_GLOBAL), a_redraw},
	{"arm", "arm / disarm trading (live profiles)", CTX(KC_GLOBAL), a_arm},
	{"cursor_up", "move the selection up", LISTS, a_up},
	{"cursor_down", "move the selection down", LISTS, a_down},
	{"page_up", "move the selection up 10 rows", LISTS, a_page_up},
	{"page_down", "move the selection down 10 rows", LISTS, a_page_down},
	{"top", "back to the top (best ask in the book)", LISTS, a_top},
	{"depth_more", "show more book levels", CTX(KC_BOOK), a_depth_more},
	{"depth_less", "show fewer book levels", CTX(KC_BOOK), a_depth_less},
	{"group_more", "group book levels more coarsely", CTX(KC_BOOK), a_group_more},
	{"group_less", "group book levels more finely", CTX(KC_BOOK), a_group_less},
	{"sort_next", "sort the watchlist by the next column", CTX(KC_TICKERS), a_sort},
	{"sort_reverse", "reverse the sort order", CTX(KC_TICKERS), a_sort_reverse},
	{"filter_next", "show all / spot / futures markets", CTX(KC_TICKERS), a_filter_next},
	{"value_currency", "value the spot wallet in USD, EUR, BTC or ETH", CTX(KC_WALLETS),
	 a_value_currency},
	{"filter_name", "filter the watchlist by name (Enter keeps, Esc clears)", CTX(KC_TICKERS),
	 a_filter_name},
	{"select", "open the selected market", CTX(KC_TICKERS), a_select},
	{"next_field", "next field", CTX(KC_FORM), form_next_field},
	{"prev_field", "previous field", CTX(KC_FORM), form_prev_field},
	{"form_submit", "review / confirm", CTX(KC_FORM), form_enter},
	{"form_cancel", "back / close the form", CTX(KC_FORM), form_escape},
	TRADE_ACTIONS
};

size_t action_count(void) { return sizeof actions / sizeof actions[0]; }
const struct action *action_at(size_t i) { return i < action_count() ? &actions[i] : NULL; }

const struct action *action_find(const char *name)
{
	for (size_t i = 0; i < action_count(); i++)
		if (strcmp(actions[i].name, name) == 0)
			return &actions[i];
	return NULL;
}

bool action_known(const char *name) { return action_find(name) != NULL; }
