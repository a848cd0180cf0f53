/* test_pane_tickers: the watchlist in a headless screen with the shipped
 * default key map — the volume sort ranks spot, linear and inverse markets by
 * one USD notional (an inverse contract's volume is already dollars and is not
 * multiplied by the price; a euro quote is converted at EUR/USD), the name
 * filter prompt (`F`, case-insensitive substring, Enter keeps, Esc clears)
 * works with the all/spot/futures cycle, and at 200x60 the wide layout shows
 * every column: bid, ask, mark, index, funding and open interest. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/state.h"
#include "ui/ui.h"
#include "ui/ui_int.h"
#include "tests/unit/unit.h"

static dec_t D(const char *s)
{
	dec_t d;
	assert_int_equal(dec_parse(s, (size_t)-1, &d, NULL), 0);
	return d;
}

static struct market *add(struct state *st, const char *id, enum instr_kind k, const char *base,
			  const char *quote, const char *last, const char *vol)
{
	struct instrument in;
	memset(&in, 0, sizeof in);
	snprintf(in.id, sizeof in.id, "%s", id);
	in.product = k == IK_SPOT ? PRODUCT_SPOT : PRODUCT_FUTURES;
	in.kind = k;
	in.price_dp = 1;
	in.qty_dp = 4;
	in.tick = D("0.1");
	in.lot = D("0.0001");
	in.contract_size = k == IK_SPOT ? dec_zero() : D("1");
	snprintf(in.base, sizeof in.base, "%s", base);
	snprintf(in.quote, sizeof in.quote, "%s", quote);
	in.tradeable = true;
	struct market *m = state_market(st, state_add_instrument(st, &in));
	m->ticker.has = TK_LAST | TK_VOLUME | TK_CHANGE;
	m->ticker.last = D(last);
	m->ticker.volume = D(vol);
	m->ticker.change_pct = D("0.5");
	return m;
}

/* USD notionals: BTC/USD 10 x 60,000 = 600k; ETH/EUR 100 x 3,000 EUR x 1.1 =
 * 330k; PF_XBTUSD 5 contracts x 1 BTC x 60,000 = 300k; PI_XBTUSD 100,000
 * one-dollar contracts = 100k (times the price it would be 6,000,000k, first);
 * EUR/USD 1,000 x 1.1 = 1.1k. */
static void setup_state(struct state *st)
{
	state_init(st);
	add(st, "BTC/USD", IK_SPOT, "BTC", "USD", "60000.0", "10");
	add(st, "ETH/EUR", IK_SPOT, "ETH", "EUR", "3000.0", "100");
	add(st, "EUR/USD", IK_SPOT, "EUR", "USD", "1.1", "1000");
	struct market *pf = add(st, "PF_XBTUSD", IK_PERP_LINEAR, "BTC", "USD", "60000.0", "5");
	pf->ticker.has |= TK_BBO | TK_MARK | TK_INDEX | TK_FUNDING | TK_OI;
	pf->ticker.bid = D("59999.5");
	pf->ticker.ask = D("60000.5");
	pf->ticker.mark = D("60001.2");
	pf->ticker.index = D("60002.3");
	pf->ticker.rel_funding_rate = D("0.0000126");
	pf->ticker.open_interest = D("4321");
	add(st, "PI_XBTUSD", IK_PERP_INVERSE, "BTC", "USD", "60000.0", "100000");
	state_changed(st, EV_INSTRUMENTS, -1);
}

static struct ui *make_ui(struct state *st, int w, int h)
{
	struct ui_opts o;
	memset(&o, 0, sizeof o);
	o.profile = "paper";
	o.headless = true;
	o.width = w;
	o.height = h;
	o.keymap = "default";
	o.theme = "dark";
	static char data[4096];
	snprintf(data, sizeof data, "%s", getenv("KT_TOP_SRCDIR") ? getenv("KT_TOP_SRCDIR") : KT_SRCDIR);
	o.data_dir = data;
	o.config_dir = "/nonexistent";
	struct ui *ui = NULL;
	struct kerr err = KERR_INIT;
	if (ui_new(&ui, st, &o, &err) < 0)
		fail_msg("ui_new: %s", err.msg);
	return ui;
}

static void key(struct ui *ui, const char *k)
{
	ui_key(ui, k, strlen(k) == 1 ? k : "", 1000);
}

static void type(struct ui *ui, const char *text)
{
	for (const char *p = text; *p; p++) {
		char k[2] = {*p, '\0'};
		ui_key(ui, k, k, 1000);
	}
}

/* The watchlist pane's cells of screen row y as text (code points x0..x0+w). */
static void pane_row(struct ui *ui, int y, char *out, size_t cap)
{
	const struct rect *r = &ui->rects[PANE_TICKERS];
	const char *s = ui_screen_row(ui, y);
	size_t n = 0;
	for (int col = 0; *s && col < r->x + r->w; col++) {
		int len = 1;
		while ((s[len] & 0xC0) == 0x80)
			len++;
		if (col >= r->x && n + (size_t)len < cap) {
			memcpy(out + n, s, (size_t)len);
			n += (size_t)len;
		}
		s += len;
	}
	out[n] = '\0';
}

/* The screen row of the watchlist showing market id (as a whole word), -1 if none. */
static int row_of(struct ui *ui, const char *id)
{
	const struct rect *r = &ui->rects[PANE_TICKERS];
	char text[1024], needle[32];
	snprintf(needle, sizeof needle, "%s ", id); /* after " " or the current ">" */
	for (int y = r->y + 1; y < r->y + r->h - 1; y++) {
		pane_row(ui, y, text, sizeof text);
		if (strstr(text, needle))
			return y;
	}
	return -1;
}

static bool pane_has(struct ui *ui, const char *needle)
{
	const struct rect *r = &ui->rects[PANE_TICKERS];
	char text[1024];
	for (int y = r->y; y < r->y + r->h; y++) {
		pane_row(ui, y, text, sizeof text);
		if (strstr(text, needle))
			return true;
	}
	return false;
}

/* Sorted by volume, biggest first, by USD notional across all kinds. */
static void volume_sort_by_usd_notional(void **state)
{
	(void)state;
	struct state st;
	setup_state(&st);
	struct ui *ui = make_ui(&st, 80, 24);
	key(ui, "2");
	key(ui, "o"); /* by change */
	key(ui, "o"); /* by volume */
	ui_render(ui, 1000);
	assert_true(pane_has(ui, "all  by volume"));
	int btc = row_of(ui, "BTC/USD"), eth = row_of(ui, "ETH/EUR"), pf = row_of(ui, "PF_XBTUSD"),
	    pi = row_of(ui, "PI_XBTUSD"), eur = row_of(ui, "EUR/USD");
	assert_true(btc > 0);
	assert_true(btc < eth);
	assert_true(eth < pf);
	assert_true(pf < pi);
	assert_true(pi < eur);
	/* The volume column shows the same notional the rows are ranked by. */
	char text[1024];
	pane_row(ui, pi, text, sizeof text);
	assert_non_null(strstr(text, " 100k"));
	pane_row(ui, btc, text, sizeof text);
	assert_non_null(strstr(text, " 600k"));
	key(ui, "r"); /* reversed: smallest first */
	ui_render(ui, 1000);
	assert_true(row_of(ui, "EUR/USD") < row_of(ui, "PI_XBTUSD"));
	assert_true(row_of(ui, "PI_XBTUSD") < row_of(ui, "BTC/USD"));
	assert_true(pane_has(ui, "by volume (rev)"));
	ui_free(ui);
	state_free(&st);
}

/* F opens the prompt; the list narrows as letters are typed (any case);
 * letters that are keys elsewhere (o, f, 2) are text while it is open. */
static void name_filter_prompt(void **state)
{
	(void)state;
	struct state st;
	setup_state(&st);
	struct ui *ui = make_ui(&st, 80, 24);
	key(ui, "2");
	key(ui, "F");
	type(ui, "XbT");
	ui_render(ui, 1000);
	assert_true(pane_has(ui, "Filter: XbT_"));
	assert_true(row_of(ui, "PF_XBTUSD") > 0);
	assert_true(row_of(ui, "PI_XBTUSD") > 0);
	assert_int_equal(row_of(ui, "BTC/USD"), -1);
	assert_int_equal(row_of(ui, "ETH/EUR"), -1);
	key(ui, "Backspace");
	key(ui, "Backspace");
	key(ui, "Backspace");
	type(ui, "eur");
	ui_render(ui, 1000);
	assert_true(row_of(ui, "ETH/EUR") > 0);
	assert_true(row_of(ui, "EUR/USD") > 0);
	assert_int_equal(row_of(ui, "BTC/USD"), -1);
	type(ui, "o"); /* text, not sort_next */
	ui_render(ui, 1000);
	assert_int_equal(ui->tickers_sort, TS_NAME);
	assert_true(pane_has(ui, "no market matches"));
	key(ui, "Backspace");
	key(ui, "Enter"); /* keeps the filter, closes the prompt */
	ui_render(ui, 1000);
	assert_true(pane_has(ui, "Filter: eur "));
	assert_false(pane_has(ui, "Filter: eur_"));
	assert_true(pane_has(ui, "all \"eur\"  by name"));
	/* The product cycle applies on top of the name filter. */
	key(ui, "f"); /* spot */
	ui_render(ui, 1000);
	assert_true(row_of(ui, "ETH/EUR") > 0);
	key(ui, "f"); /* futures */
	ui_render(ui, 1000);
	assert_true(pane_has(ui, "no futures market matches"));
	key(ui, "f"); /* all */
	key(ui, "Down"); /* selection moves (the prompt is closed) */
	key(ui, "Enter"); /* opens the second match: EUR/USD */
	ui_render(ui, 1000);
	assert_string_equal(ui_instrument(ui)->id, "EUR/USD");
	/* F then Esc clears the filter: every market again. */
	key(ui, "F");
	key(ui, "Esc");
	ui_render(ui, 1000);
	assert_false(pane_has(ui, "Filter:"));
	assert_true(row_of(ui, "BTC/USD") > 0);
	assert_true(row_of(ui, "PI_XBTUSD") > 0);
	/* A key the prompt does not take closes it, keeps the text and acts. */
	key(ui, "F");
	type(ui, "pf");
	key(ui, "5"); /* digits are text too */
	ui_render(ui, 1000);
	assert_true(pane_has(ui, "Filter: pf5_"));
	key(ui, "Backspace");
	key(ui, "Tab"); /* next pane */
	ui_render(ui, 1000);
	assert_int_equal(ui->focus, PANE_TRADES);
	assert_false(ui->tickers_typing);
	assert_string_equal(ui->tickers_name, "pf");
	ui_free(ui);
	state_free(&st);
}

/* 200x60: the wide layout's watchlist shows every column with its values. */
static void wide_watchlist_shows_every_column(void **state)
{
	(void)state;
	struct state st;
	setup_state(&st);
	struct ui *ui = make_ui(&st, 200, 60);
	ui_render(ui, 1000);
	assert_false(ui->compact);
	const struct rect *r = &ui->rects[PANE_TICKERS];
	char head[1024];
	pane_row(ui, r->y + 1, head, sizeof head);
	static const char *const names[] = {"Market", "Last", "24h", "Vol $", "Bid", "Ask",
					    "Mark", "Index", "Fund/h", "OI"};
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (!strstr(head, names[i]))
			fail_msg("no %s column in \"%s\"", names[i], head);
	char text[1024];
	int pf = row_of(ui, "PF_XBTUSD");
	assert_true(pf > 0);
	pane_row(ui, pf, text, sizeof text);
	static const char *const vals[] = {"59,999.5", "60,000.5", "60,001.2", "60,002.3",
					   "+0.0013%", "4321", "300k", "+0.50%"};
	for (size_t i = 0; i < sizeof vals / sizeof vals[0]; i++)
		if (!strstr(text, vals[i]))
			fail_msg("no %s in \"%s\"", vals[i], text);
	/* The book and the chart keep room beside it. */
	assert_true(ui->rects[PANE_BOOK].w >= 50);
	assert_true(ui->rects[PANE_CHART].w >= 50);
	ui_free(ui);
	state_free(&st);
}

/* A narrow wide layout (140x40) drops the least important columns first and
 * never draws a cut one. */
static void narrow_watchlist_drops_columns_by_priority(void **state)
{
	(void)state;
	struct state st;
	setup_state(&st);
	struct ui *ui = make_ui(&st, 140, 40);
	ui_render(ui, 1000);
	assert_false(ui->compact);
	const struct rect *r = &ui->rects[PANE_TICKERS];
	char head[1024];
	pane_row(ui, r->y + 1, head, sizeof head);
	assert_non_null(strstr(head, "Market"));
	assert_non_null(strstr(head, "Last"));
	assert_non_null(strstr(head, "24h"));
	assert_null(strstr(head, "Index"));
	ui_free(ui);
	state_free(&st);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(volume_sort_by_usd_notional),
		cmocka_unit_test(name_filter_prompt),
		cmocka_unit_test(wide_watchlist_shows_every_column),
		cmocka_unit_test(narrow_watchlist_drops_columns_by_priority),
	};
	return kt_run_tests(tests);
}
