/* test_pane_book: the order book ladder in a headless screen with the shipped
 * default key map — `]`/`[` group levels by 1, 2, 5... ticks (bids rounded
 * down, asks up), `+`/`-` change the depth, and the user's own orders keep
 * their ◆ mark on the row that holds them, exactly at group 1 and inside the
 * bucket at group 5. */
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

/* BTC/USD, tick 0.1: bids 60,000.0 60,000.0-0.1 ... asks 60,000.1 ... one
 * level on every tick, so grouping merges levels. */
static void setup_state(struct state *st)
{
	state_init(st);
	struct instrument in;
	memset(&in, 0, sizeof in);
	strcpy(in.id, "BTC/USD");
	in.product = PRODUCT_SPOT;
	in.kind = IK_SPOT;
	in.price_dp = 1;
	in.qty_dp = 8;
	in.tick = D("0.1");
	in.lot = D("0.00000001");
	strcpy(in.base, "BTC");
	strcpy(in.quote, "USD");
	in.tradeable = true;
	int i = state_add_instrument(st, &in);
	struct market *m = state_market(st, i);
	for (int l = 0; l < 40; l++) {
		book_set(&m->book, SIDE_BUY, 600000 - l, 100000000);
		book_set(&m->book, SIDE_SELL, 600001 + l, 100000000);
	}
	m->ticker.has = TK_LAST | TK_BBO;
	m->ticker.last = D("61000.0"); /* not a ladder price */
	state_changed(st, EV_INSTRUMENTS, -1);
}

static void own_order(struct state *st, const char *id, enum side s, const char *px)
{
	struct order *o = state_order_upsert(st, id);
	o->instr = 0;
	o->product = PRODUCT_SPOT;
	o->side = s;
	o->type = OT_LIMIT;
	o->status = OS_OPEN;
	o->qty = D("0.5");
	o->filled = dec_zero();
	o->limit_price = D(px);
	state_order_changed(st, o);
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

/* The screen row that shows price text as a ladder row (NULL when none). */
static const char *row_with(struct ui *ui, int h, const char *text)
{
	for (int y = 0; y < h; y++)
		if (strstr(ui_screen_row(ui, y), text))
			return ui_screen_row(ui, y);
	return NULL;
}

static bool marked(struct ui *ui, const char *price)
{
	const char *r = row_with(ui, 24, price);
	if (!r)
		fail_msg("no row shows %s", price);
	return strstr(r, "◆") != NULL;
}

static int marks(struct ui *ui)
{
	int n = 0;
	for (int y = 0; y < 24; y++)
		for (const char *p = ui_screen_row(ui, y); (p = strstr(p, "◆")); p++)
			n++;
	return n;
}

/* Group 1: each own order is marked on its own level and nowhere else. */
static void own_orders_marked_at_group_1(void **state)
{
	(void)state;
	struct state st;
	setup_state(&st);
	own_order(&st, "B1", SIDE_BUY, "59999.7");
	own_order(&st, "S1", SIDE_SELL, "60000.3");
	struct ui *ui = make_ui(&st, 80, 24);
	ui_render(ui, 1000);
	assert_non_null(row_with(ui, 24, "BTC/USD  depth 25 "));
	assert_true(marked(ui, "59,999.7"));
	assert_false(marked(ui, "59,999.8"));
	assert_false(marked(ui, "59,999.6"));
	assert_true(marked(ui, "60,000.3"));
	assert_false(marked(ui, "60,000.4"));
	assert_int_equal(marks(ui), 2);
	ui_free(ui);
	state_free(&st);
}

/* Group 5 (`]` twice: 1 -> 2 -> 5): rows are 0.5 apart, bids rounded down
 * and asks up; the buy at 59,999.7 is in the 59,999.5 bucket, the sell at
 * 60,000.3 in the 60,000.5 one. `[` goes back to 2, then 1. */
static void grouping_keys_and_marks_at_group_5(void **state)
{
	(void)state;
	struct state st;
	setup_state(&st);
	own_order(&st, "B1", SIDE_BUY, "59999.7");
	own_order(&st, "S1", SIDE_SELL, "60000.3");
	struct ui *ui = make_ui(&st, 80, 24);
	ui_render(ui, 1000);
	ui_key(ui, "]", "]", 1100);
	ui_render(ui, 1100);
	assert_non_null(row_with(ui, 24, "depth 25  x2 ticks"));
	assert_non_null(row_with(ui, 24, "grouping by 2 ticks"));
	ui_key(ui, "]", "]", 1200);
	ui_render(ui, 1200);
	assert_non_null(row_with(ui, 24, "depth 25  x5 ticks"));
	assert_null(row_with(ui, 24, "59,999.7")); /* merged into its bucket */
	assert_null(row_with(ui, 24, "60,000.3"));
	assert_non_null(row_with(ui, 24, "60,000.0")); /* best bid bucket */
	assert_true(marked(ui, "59,999.5"));
	assert_false(marked(ui, "60,000.0"));
	assert_false(marked(ui, "59,999.0"));
	assert_true(marked(ui, "60,000.5")); /* best ask bucket: 60,000.1 .. 60,000.5 */
	assert_false(marked(ui, "60,001.0"));
	assert_int_equal(marks(ui), 2);
	/* spread between the best buckets: 60,000.5 - 60,000.0 */
	assert_non_null(row_with(ui, 24, "spread 0.5"));
	ui_key(ui, "[", "[", 1300);
	ui_render(ui, 1300);
	assert_non_null(row_with(ui, 24, "x2 ticks"));
	assert_true(marked(ui, "59,999.6")); /* 59,999.6 .. 59,999.7 */
	assert_true(marked(ui, "60,000.4")); /* 60,000.3 .. 60,000.4 */
	ui_key(ui, "[", "[", 1400);
	ui_key(ui, "[", "[", 1400); /* already at 1: stays */
	ui_render(ui, 1400);
	assert_null(row_with(ui, 24, " ticks "));
	assert_true(marked(ui, "59,999.7"));
	ui_free(ui);
	state_free(&st);
}

/* A filled order or a stop waiting for its trigger is not on the book: no mark. */
static void only_resting_orders_are_marked(void **state)
{
	(void)state;
	struct state st;
	setup_state(&st);
	own_order(&st, "B1", SIDE_BUY, "59999.7");
	struct order *o = state_order_get(&st, "B1");
	o->filled = o->qty;
	o->status = OS_FILLED;
	state_order_changed(&st, o);
	struct ui *ui = make_ui(&st, 80, 24);
	ui_key(ui, "]", "]", 1000);
	ui_key(ui, "]", "]", 1000);
	ui_render(ui, 1000);
	assert_int_equal(marks(ui), 0);
	ui_free(ui);
	state_free(&st);
}

/* `+`/`-` step the subscribed depth through 10, 25, 100, 500, 1000. */
static void depth_keys(void **state)
{
	(void)state;
	struct state st;
	setup_state(&st);
	struct ui *ui = make_ui(&st, 80, 24);
	ui_render(ui, 1000);
	assert_int_equal(ui->book_depth, 25);
	ui_key(ui, "+", "+", 1100);
	ui_render(ui, 1100);
	assert_non_null(row_with(ui, 24, "BTC/USD  depth 100 "));
	assert_non_null(row_with(ui, 24, "book depth 100"));
	for (int i = 0; i < 5; i++)
		ui_key(ui, "+", "+", 1200);
	ui_render(ui, 1200);
	assert_non_null(row_with(ui, 24, "depth 1000 "));
	for (int i = 0; i < 3; i++)
		ui_key(ui, "-", "-", 1300);
	ui_render(ui, 1300);
	assert_non_null(row_with(ui, 24, "depth 25 "));
	for (int i = 0; i < 3; i++)
		ui_key(ui, "-", "-", 1400);
	ui_render(ui, 1400);
	assert_non_null(row_with(ui, 24, "depth 10 "));
	/* The ladder still shows the book (the rows that fit). */
	assert_non_null(row_with(ui, 24, "60,000.1"));
	assert_non_null(row_with(ui, 24, "60,000.0"));
	ui_free(ui);
	state_free(&st);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(own_orders_marked_at_group_1),
		cmocka_unit_test(grouping_keys_and_marks_at_group_5),
		cmocka_unit_test(only_resting_orders_are_marked),
		cmocka_unit_test(depth_keys),
	};
	return kt_run_tests(tests);
}
