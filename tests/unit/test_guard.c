/* test_guard: the fat-finger guards count and name each limit an order
 * exceeds (value, distance from mark/last, leverage), stay quiet within the
 * limits or when no limit is set, treat an unknown value as exceeded, and
 * refuse bad configuration text. */
#include <string.h>

#include "core/guard.h"
#include "core/state.h"
#include "tests/unit/core_fx.h"
#include "tests/unit/unit.h"

static int spot, perp;

static void setup(struct state *st)
{
	state_init(st);
	struct instrument in;
	core_fx_spot(&in);
	in.leverage_buy[0] = 2;
	in.leverage_buy[1] = 5;
	spot = state_add_instrument(st, &in);
	core_fx_perp(&in);
	perp = state_add_instrument(st, &in);
	struct market *m = state_market(st, perp);
	m->ticker.has = TK_LAST | TK_MARK;
	m->ticker.last = D("59900");
	m->ticker.mark = D("60000");
	m = state_market(st, spot);
	m->ticker.has = TK_LAST;
	m->ticker.last = D("50000");
}

static struct order_req limit(int instr, enum side side, const char *qty, const char *px)
{
	struct order_req r;
	memset(&r, 0, sizeof r);
	r.instr = instr;
	r.side = side;
	r.type = OT_LIMIT;
	r.qty = D(qty);
	r.limit_price = D(px);
	return r;
}

static void within_limits_and_no_limits(void **state)
{
	(void)state;
	struct state st;
	setup(&st);
	struct guard_limits g;
	assert_int_equal(guard_limits_parse(&g, "100000", "5", 10, NULL), 0);
	char why[256] = "x";
	struct order_req r = limit(perp, SIDE_BUY, "1", "60000");
	struct futures_account fa;
	memset(&fa, 0, sizeof fa);
	fa.margin_equity = D("20000");
	fa.available_margin = D("20000");
	state_set_futures_account(&st, &fa);
	/* 60,000 USD, 0% from mark, 60000/20000 = 3x. */
	assert_int_equal(guard_check(&st, &r, &g, why, sizeof why), 0);
	assert_string_equal(why, "");
	struct guard_limits none;
	assert_int_equal(guard_limits_parse(&none, NULL, "", 0, NULL), 0);
	r = limit(perp, SIDE_BUY, "100", "90000");
	assert_int_equal(guard_check(&st, &r, &none, why, sizeof why), 0);
	state_free(&st);
}

/* 2 contracts at 66,000: worth 132,000 USD (limit 100,000); 10% above mark
 * 60,000 (limit 5%); 132000/20000 = 6.6x (limit 5x). */
static void every_guard_named(void **state)
{
	(void)state;
	struct state st;
	setup(&st);
	struct futures_account fa;
	memset(&fa, 0, sizeof fa);
	fa.margin_equity = D("20000");
	state_set_futures_account(&st, &fa);
	struct guard_limits g;
	assert_int_equal(guard_limits_parse(&g, "100000", "5", 5, NULL), 0);
	char why[512];
	struct order_req r = limit(perp, SIDE_BUY, "2", "66000");
	assert_int_equal(guard_check(&st, &r, &g, why, sizeof why), 3);
	assert_string_equal(why,
	                    "the order is worth 132,000.00 USD, above your limit of 100,000 USD; "
	                    "the price is 10.00% above mark 60,000 (your limit is 5%); "
	                    "the position would run at 6.6x leverage, above your limit of 5x");
	/* A sell stop 12% below mark: the trigger is judged. */
	r = limit(perp, SIDE_SELL, "1", "1");
	r.type = OT_STOP;
	r.trigger_price = D("52800");
	assert_int_equal(guard_check(&st, &r, &g, why, sizeof why), 1);
	assert_string_equal(why, "the trigger is 12.00% below mark 60,000 (your limit is 5%)");
	state_free(&st);
}

/* Spot: the order's own leverage; reduce-only futures orders are not judged
 * on leverage; an isolated preference above the limit is. */
static void leverage_guard(void **state)
{
	(void)state;
	struct state st;
	setup(&st);
	struct guard_limits g;
	assert_int_equal(guard_limits_parse(&g, NULL, NULL, 3, NULL), 0);
	char why[256];
	struct order_req r = limit(spot, SIDE_BUY, "0.1", "50000");
	r.leverage = 5;
	assert_int_equal(guard_check(&st, &r, &g, why, sizeof why), 1);
	assert_string_equal(why, "a margin order at 5x leverage, above your limit of 3x");
	r.leverage = 2;
	assert_int_equal(guard_check(&st, &r, &g, why, sizeof why), 0);
	struct position p;
	memset(&p, 0, sizeof p);
	p.instr = perp;
	p.product = PRODUCT_FUTURES;
	p.size = D("1");
	p.entry = D("60000");
	p.isolated = true;
	p.max_leverage = D("10");
	state_set_positions(&st, PRODUCT_FUTURES, &p, 1);
	r = limit(perp, SIDE_BUY, "1", "60000");
	assert_int_equal(guard_check(&st, &r, &g, why, sizeof why), 1);
	assert_string_equal(why, "the position would run at 10x leverage, above your limit of 3x");
	r = limit(perp, SIDE_SELL, "1", "60000");
	r.reduce_only = true;
	assert_int_equal(guard_check(&st, &r, &g, why, sizeof why), 0);
	assert_int_equal(guard_check_leverage(&g, D("2.5"), why, sizeof why), 0);
	assert_int_equal(guard_check_leverage(&g, D("12.5"), why, sizeof why), 1);
	assert_string_equal(why, "leverage 12.5x is above your limit of 3x");
	state_free(&st);
}

/* No price known (market order, empty book, no ticker): the value cannot be
 * judged, which counts as exceeded. */
static void unknown_counts_as_exceeded(void **state)
{
	(void)state;
	struct state st;
	setup(&st);
	struct market *m = state_market(&st, spot);
	m->ticker.has = 0;
	struct guard_limits g;
	assert_int_equal(guard_limits_parse(&g, "1000", NULL, 0, NULL), 0);
	char why[256];
	struct order_req r = limit(spot, SIDE_BUY, "1", "1");
	r.type = OT_MARKET;
	assert_int_equal(guard_check(&st, &r, &g, why, sizeof why), 1);
	assert_non_null(strstr(why, "cannot be estimated"));
	/* A truncated sentence still counts every guard. */
	char tiny[8];
	assert_int_equal(guard_check(&st, &r, &g, tiny, sizeof tiny), 1);
	assert_int_equal(strlen(tiny), 7);
	state_free(&st);
}

static void bad_configuration(void **state)
{
	(void)state;
	struct guard_limits g;
	struct kerr err = KERR_INIT;
	assert_int_equal(guard_limits_parse(&g, "50k", NULL, 0, &err), -1);
	assert_non_null(strstr(err.msg, "max_notional"));
	assert_int_equal(guard_limits_parse(&g, NULL, "-1", 0, &err), -1);
	assert_non_null(strstr(err.msg, "max_distance_pct must not be negative"));
	assert_int_equal(guard_limits_parse(&g, "1.5", "2.25", 4, &err), 0);
	assert_true(dec_eq(g.max_notional, D("1.5")));
	assert_true(dec_eq(g.max_distance_pct, D("2.25")));
	assert_int_equal(g.max_leverage, 4);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(within_limits_and_no_limits),
	        cmocka_unit_test(every_guard_named),
	        cmocka_unit_test(leverage_guard),
	        cmocka_unit_test(unknown_counts_as_exceeded),
	        cmocka_unit_test(bad_configuration),
	};
	return kt_run_tests(tests);
}
