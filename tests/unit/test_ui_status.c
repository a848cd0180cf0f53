/* test_ui_status: the status bar keeps every feed's state visible at 80
 * columns (feeds that are not up in full and first, the up ones abbreviated
 * with the oldest message age) and shows REST round trips and rate limits
 * when there is room; the funding pane shows the countdown to the next
 * funding, the funding on each position, what was received, and the
 * funding-rate history of the current perpetual (or of the selected row). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
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

static int add(struct state *st, const char *id, enum instr_kind k)
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
	strcpy(in.base, "BTC");
	strcpy(in.quote, "USD");
	in.tradeable = true;
	int i = state_add_instrument(st, &in);
	struct market *m = state_market(st, i);
	m->ticker.has = TK_LAST;
	m->ticker.last = D("60000.0");
	return i;
}

static void setup_state(struct state *st)
{
	state_init(st);
	add(st, "BTC/USD", IK_SPOT);
	add(st, "PF_XBTUSD", IK_PERP_LINEAR);
	add(st, "PF_ETHUSD", IK_PERP_LINEAR);
	state_changed(st, EV_INSTRUMENTS, -1);
}

/* Every feed up, its last message ages ago (ms) at now = 10,000. */
static void feeds_up(struct state *st, const int *ages)
{
	for (int f = 0; f < FEED_COUNT; f++) {
		state_feed_set(st, (enum feed_id)f, FEED_UP, NULL);
		state_feed_msg(st, (enum feed_id)f, 10000 - ages[f]);
	}
	st->rest_rtt_us[PRODUCT_SPOT] = 12000;
	st->rest_rtt_us[PRODUCT_FUTURES] = 80000;
	st->limits.spot_rest_counter = 300;
	st->limits.spot_rest_max = 1500;
	st->limits.fut_budget_used = 40;
	st->limits.fut_budget_max = 500;
}

static struct ui *make_ui(struct state *st, int w, int h, const char *start)
{
	struct ui_opts o;
	memset(&o, 0, sizeof o);
	o.profile = "paper";
	o.headless = true;
	o.width = w;
	o.height = h;
	o.keymap = "default";
	o.theme = "dark";
	o.start_instrument = start;
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

static void has(const char *row, const char *needle)
{
	if (!strstr(row, needle))
		fail_msg("no \"%s\" in \"%s\"", needle, row);
}

static void has_not(const char *row, const char *needle)
{
	if (strstr(row, needle))
		fail_msg("\"%s\" in \"%s\"", needle, row);
}

static const char *screen_row_with(struct ui *ui, int h, const char *needle)
{
	for (int y = 0; y < h; y++)
		if (strstr(ui_screen_row(ui, y), needle))
			return ui_screen_row(ui, y);
	return NULL;
}

/* 200 columns: every feed by name with its age, round trips, rate limits, clock. */
static void status_wide_in_full(void **state)
{
	(void)state;
	struct state st;
	setup_state(&st);
	feeds_up(&st, (const int[]){400, 1200, 300, 2500});
	struct ui *ui = make_ui(&st, 200, 60, NULL);
	ui_render(ui, 10000);
	const char *r = ui_screen_row(ui, 0);
	has(r, " PAPER ");
	has(r, "spot:0.4s spot-auth:1.2s fut:0.3s fut-auth:2.5s");
	has(r, "rtt 12/80ms rl 3/15 40/500 ");
	has(r, "Z");
	ui_free(ui);
	state_free(&st);
}

/* 80 columns, every feed up: abbreviated with the oldest age, and the round
 * trips, rate limits and clock still fit. */
static void status_80_all_up(void **state)
{
	(void)state;
	struct state st;
	setup_state(&st);
	feeds_up(&st, (const int[]){400, 1200, 300, 2500});
	struct ui *ui = make_ui(&st, 80, 24, NULL);
	ui_render(ui, 10000);
	const char *r = ui_screen_row(ui, 0);
	has(r, " PAPER ");
	has(r, " BTC/USD ");
	has(r, " S✓ SA✓ F✓ FA✓ 2.5s ");
	has(r, "rtt 12/80ms rl 3/15 40/500 ");
	has(r, "Z");
	has_not(r, "spot:");
	ui_free(ui);
	state_free(&st);
}

/* 80 columns, two feeds down: they come first and in full, the others are
 * abbreviated; what does not fit on the right gives way before any feed. */
static void status_80_feeds_down(void **state)
{
	(void)state;
	struct state st;
	setup_state(&st);
	feeds_up(&st, (const int[]){400, 1200, 300, 2500});
	state_feed_set(&st, FEED_SPOT_PRIVATE, FEED_BACKOFF, "connection refused");
	state_feed_set(&st, FEED_FUT_PUBLIC, FEED_FAILED, "bad handshake");
	struct ui *ui = make_ui(&st, 80, 24, NULL);
	ui_render(ui, 10000);
	const char *r = ui_screen_row(ui, 0);
	has(r, " spot-auth:retry fut:FAIL S✓ FA✓ 2.5s ");
	has(r, "Z");
	/* No feed up: all four in full, even if the clock has to give way. */
	state_feed_set(&st, FEED_SPOT_PUBLIC, FEED_CONNECTING, NULL);
	state_feed_set(&st, FEED_FUT_PRIVATE, FEED_AUTHENTICATING, NULL);
	ui_render(ui, 10000);
	r = ui_screen_row(ui, 0);
	has(r, "spot:conn");
	has(r, "spot-auth:retry");
	has(r, "fut:FAIL");
	has(r, "fut-auth:auth");
	/* At 60 columns it falls back to short names, the states all there. */
	ui_resize(ui, 60, 24);
	ui_render(ui, 10000);
	r = ui_screen_row(ui, 0);
	has(r, " S:conn SA:retry F:FAIL FA:auth");
	ui_free(ui);
	state_free(&st);
}

/* Funding at 80x24 (tab 9): per perpetual the rate, the countdown to the next
 * funding, the position's unrealized funding and what was received; the rate
 * history of the current perpetual, newest first; the payments. */
static void funding_pane_columns_and_history(void **state)
{
	(void)state;
	struct state st;
	setup_state(&st);
	int pf = state_find_instrument(&st, "PF_XBTUSD"), pe = state_find_instrument(&st, "PF_ETHUSD");
	int64_t now = (int64_t)kt_wall_ms();
	for (int i = pf; i <= pe; i++) {
		struct ticker *tk = &state_market(&st, i)->ticker;
		tk->has |= TK_FUNDING;
		tk->rel_funding_rate = D("0.0000126");
		tk->rel_funding_rate_pred = D("-0.0000051");
		/* 42 min 30 s ahead (seconds pass while the test runs: "42:" holds). */
		tk->next_funding_ms = now + 42 * 60000 + 30000;
	}
	struct position pos;
	memset(&pos, 0, sizeof pos);
	pos.instr = pf;
	pos.product = PRODUCT_FUTURES;
	pos.size = D("0.5");
	pos.entry = D("59000");
	pos.unrealized_funding = D("-12.34");
	strcpy(pos.pnl_asset, "USD");
	state_set_positions(&st, PRODUCT_FUTURES, &pos, 1);
	struct account_log_entry e;
	memset(&e, 0, sizeof e);
	e.id = 1;
	e.time_ms = now - 3600000;
	strcpy(e.info, "funding rate change");
	strcpy(e.asset, "USD");
	strcpy(e.instrument, "PF_XBTUSD");
	e.realized_funding = D("1.5");
	e.funding_rate = D("0.75");
	state_add_account_log(&st, &e);
	struct funding_history *h = state_funding(&st, pf);
	for (int i = 0; i < 3; i++) {
		h->r[i].time_ms = 1700000000000 + i * 3600000; /* 22:13, 23:13, 00:13 UTC */
		h->r[i].rate = dec_make(i + 1, 1);
		h->r[i].relative_rate = dec_make(10 * (i + 1), 6); /* 0.001%, 0.002%, 0.003% */
	}
	h->n = 3;
	struct ui *ui = make_ui(&st, 80, 24, "PF_XBTUSD");
	ui_key(ui, "9", "9", 1000);
	ui_render(ui, 1000);
	const char *r = screen_row_with(ui, 24, "│PF_XBTUSD ");
	assert_non_null(r);
	has(r, "+0.0013%");  /* rate/h */
	has(r, "-0.0005%");  /* predicted */
	has(r, " 42:");      /* countdown mm:ss */
	has(r, "-12.34");    /* funding on the position */
	has(r, "1.50");      /* received */
	r = screen_row_with(ui, 24, "│PF_ETHUSD ");
	assert_non_null(r);
	has(r, " 42:");
	has_not(r, "-12.34"); /* no position there */
	assert_non_null(screen_row_with(ui, 24, "Rate history PF_XBTUSD (3, newest first)"));
	r = screen_row_with(ui, 24, "00:13 +0.0030%");
	assert_non_null(r);
	has(r, "23:13 +0.0020%");
	has(r, "22:13 +0.0010%");
	assert_true(strstr(r, "00:13") < strstr(r, "22:13")); /* newest first */
	assert_non_null(screen_row_with(ui, 24, "History (total 1.50)"));
	assert_non_null(screen_row_with(ui, 24, "rates of PF_XBTUSD"));
	/* On a spot instrument the history follows the selected row. */
	ui_set_instrument(ui, state_find_instrument(&st, "BTC/USD"));
	ui_render(ui, 1100);
	assert_non_null(screen_row_with(ui, 24, "Rate history PF_XBTUSD (3"));
	ui_key(ui, "Down", "", 1200);
	ui_render(ui, 1200);
	assert_non_null(screen_row_with(ui, 24, "Rate history PF_ETHUSD: not fetched"));
	ui_free(ui);
	state_free(&st);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(status_wide_in_full),
		cmocka_unit_test(status_80_all_up),
		cmocka_unit_test(status_80_feeds_down),
		cmocka_unit_test(funding_pane_columns_and_history),
	};
	return kt_run_tests(tests);
}
