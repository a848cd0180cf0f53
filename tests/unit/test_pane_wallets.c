/* test_pane_wallets: the spot wallet valued in a chosen currency. With BTC/USD,
 * ETH/USD and EUR/USD streamed, every asset is valued in USD directly, in EUR
 * through the inverse of EUR/USD (and through USD for BTC and ETH), in BTC
 * through the inverse of BTC/USD; without EUR/USD, USD in EUR goes through BTC
 * (BTC/USD and BTC/EUR, as on the paper exchange); `v` cycles USD -> EUR -> BTC -> ETH -> USD and
 * the config's value_currency picks the first. An asset with no path to the
 * currency is left blank and the total says so. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/state.h"
#include "tests/unit/unit.h"
#include "ui/ui.h"
#include "ui/ui_int.h"

static dec_t D(const char *s)
{
	dec_t d;
	assert_int_equal(dec_parse(s, (size_t)-1, &d, NULL), 0);
	return d;
}

static void add(struct state *st, const char *id, const char *base, const char *quote,
		const char *last)
{
	struct instrument in;
	memset(&in, 0, sizeof in);
	snprintf(in.id, sizeof in.id, "%s", id);
	in.product = PRODUCT_SPOT;
	in.kind = IK_SPOT;
	in.price_dp = 2;
	in.qty_dp = 8;
	in.tick = D("0.01");
	in.lot = D("0.00000001");
	snprintf(in.base, sizeof in.base, "%s", base);
	snprintf(in.quote, sizeof in.quote, "%s", quote);
	in.tradeable = true;
	struct market *m = state_market(st, state_add_instrument(st, &in));
	m->ticker.has = TK_LAST;
	m->ticker.last = D(last);
}

static void setup(struct state *st, bool with_sol)
{
	state_init(st);
	add(st, "BTC/USD", "BTC", "USD", "60000");
	add(st, "ETH/USD", "ETH", "USD", "3000");
	add(st, "EUR/USD", "EUR", "USD", "1.1");
	state_changed(st, EV_INSTRUMENTS, -1);
	struct balance b[5];
	memset(b, 0, sizeof b);
	const char *assets[] = {"USD", "BTC", "EUR", "ETH", "SOL"};
	const char *amounts[] = {"1100", "0.5", "100", "2", "10"};
	size_t n = with_sol ? 5 : 4;
	for (size_t i = 0; i < n; i++) {
		snprintf(b[i].asset, sizeof b[i].asset, "%s", assets[i]);
		b[i].total = b[i].available = D(amounts[i]);
	}
	st->has_keys[PRODUCT_SPOT] = true;
	state_set_balances(st, b, n);
}

static struct ui *make_ui(struct state *st, int value_currency)
{
	struct ui_opts o;
	memset(&o, 0, sizeof o);
	o.profile = "paper";
	o.headless = true;
	o.width = 100;
	o.height = 30;
	o.keymap = "default";
	o.theme = "dark";
	o.value_currency = value_currency;
	static char data[4096];
	snprintf(data, sizeof data, "%s", getenv("KT_TOP_SRCDIR") ? getenv("KT_TOP_SRCDIR") : KT_SRCDIR);
	o.data_dir = data;
	o.config_dir = "/nonexistent";
	struct ui *ui = NULL;
	struct kerr err = KERR_INIT;
	if (ui_new(&ui, st, &o, &err) < 0)
		fail_msg("ui_new: %s", err.msg);
	ui_key(ui, "7", "7", 1000); /* the spot wallet tab */
	return ui;
}

static bool screen_has(struct ui *ui, const char *needle)
{
	ui_render(ui, 2000);
	for (int y = 0; y < 30; y++)
		if (strstr(ui_screen_row(ui, y), needle))
			return true;
	return false;
}

/* The row of `asset` contains `value` (the last column). */
static bool row_has(struct ui *ui, const char *asset, const char *value)
{
	ui_render(ui, 2000);
	char start[16];
	snprintf(start, sizeof start, "│%-6s", asset);
	for (int y = 0; y < 30; y++) {
		const char *row = ui_screen_row(ui, y);
		if (strncmp(row, start, strlen(start)) == 0 && strstr(row, value))
			return true;
	}
	return false;
}

static void values_in_each_currency(void **state)
{
	(void)state;
	struct state st;
	setup(&st, false);
	struct ui *ui = make_ui(&st, 0);
	assert_true(screen_has(ui, "USD value"));
	assert_true(row_has(ui, "BTC", "30,000.00"));
	assert_true(row_has(ui, "EUR", "110.00"));
	assert_true(screen_has(ui, "Total 37,210.00 USD"));

	ui_key(ui, "v", "v", 1000);
	assert_true(screen_has(ui, "EUR value"));
	assert_true(row_has(ui, "USD", "1,000.00"));      /* 1100 / 1.1 */
	assert_true(row_has(ui, "BTC", "27,272.73"));     /* 30,000 USD / 1.1 */
	assert_true(row_has(ui, "EUR", "100.00"));
	assert_true(screen_has(ui, "Total 33,827.28 EUR")); /* + ETH 6,000 / 1.1 = 5,454.55 */

	ui_key(ui, "v", "v", 1000);
	assert_true(screen_has(ui, "BTC value"));
	assert_true(row_has(ui, "BTC", "0.50000000"));
	assert_true(row_has(ui, "ETH", "0.10000000")); /* 6,000 USD / 60,000 */

	ui_key(ui, "v", "v", 1000);
	assert_true(screen_has(ui, "ETH value"));
	assert_true(row_has(ui, "BTC", "10.00000000")); /* 30,000 / 3,000 */
	ui_key(ui, "v", "v", 1000);
	assert_true(screen_has(ui, "USD value"));
	ui_free(ui);
	state_free(&st);
}

static void through_btc(void **state)
{
	(void)state;
	struct state st;
	state_init(&st);
	add(&st, "BTC/USD", "BTC", "USD", "60000");
	add(&st, "BTC/EUR", "BTC", "EUR", "50000");
	state_changed(&st, EV_INSTRUMENTS, -1);
	struct balance b;
	memset(&b, 0, sizeof b);
	snprintf(b.asset, sizeof b.asset, "USD");
	b.total = b.available = D("1200");
	st.has_keys[PRODUCT_SPOT] = true;
	state_set_balances(&st, &b, 1);
	struct ui *ui = make_ui(&st, 1);
	assert_true(row_has(ui, "USD", "1,000.00")); /* 1200 / 60000 * 50000 */
	assert_true(screen_has(ui, "Total 1,000.00 EUR"));
	ui_free(ui);
	state_free(&st);
}

static void configured_and_unpriced(void **state)
{
	(void)state;
	struct state st;
	setup(&st, true);
	struct ui *ui = make_ui(&st, 1); /* value_currency = "EUR" */
	assert_true(screen_has(ui, "EUR value"));
	assert_true(screen_has(ui, "(some assets unpriced) EUR"));
	ui_free(ui);
	state_free(&st);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(values_in_each_currency),
	        cmocka_unit_test(through_btc),
	        cmocka_unit_test(configured_and_unpriced),
	};
	return kt_run_tests(tests);
}
