/* test_validate: orders are checked against tick, lot, minimums, leverage,
 * flags, trigger side and funds, with the reason on the right field, and
 * rounding is only suggested, never applied silently. */
#include <string.h>
#include <time.h>

#include "core/state.h"
#include "core/validate.h"
#include "tests/unit/core_fx.h"
#include "tests/unit/unit.h"

static int spot, perp;

static void setup_state(struct state *st)
{
	state_init(st);
	struct instrument in;
	core_fx_spot(&in);
	in.min_size = D("0.0001");
	in.min_cost = D("0.5");
	in.cost_dp = 5;
	in.fee_taker = D("0.004");
	in.leverage_buy[0] = 2;
	in.leverage_buy[1] = 3;
	in.leverage_sell[0] = 2;
	spot = state_add_instrument(st, &in);
	core_fx_perp(&in);
	in.min_size = D("0.0001");
	perp = state_add_instrument(st, &in);
	struct market *m = state_market(st, spot);
	m->ticker.has = TK_LAST;
	m->ticker.last = D("60000");
	m = state_market(st, perp);
	m->ticker.has = TK_LAST | TK_MARK;
	m->ticker.last = D("60000");
	m->ticker.mark = D("60010");
}

static struct order_req limit_buy(void)
{
	struct order_req r;
	memset(&r, 0, sizeof r);
	r.instr = spot;
	r.side = SIDE_BUY;
	r.type = OT_LIMIT;
	r.qty = D("0.01");
	r.limit_price = D("59000.0");
	return r;
}

static void valid_limit_passes(void **state)
{
	struct state st;
	setup_state(&st);
	struct order_req r = limit_buy();
	struct order_check c;
	assert_int_equal(order_validate(&st, &r, &c), 0);
	state_free(&st);
}

static void tick_and_lot_suggest_fixes(void **state)
{
	struct state st;
	setup_state(&st);
	struct order_req r = limit_buy();
	r.limit_price = D("59000.07");
	r.qty = D("0.012345678");
	struct order_check c;
	assert_int_equal(order_validate(&st, &r, &c), 2);
	const struct order_problem *p = order_check_field(&c, OF_LIMIT);
	assert_non_null(p);
	assert_true(p->has_fix);
	assert_true(dec_eq(p->fix, D("59000.0"))); /* a buy rounds down */
	p = order_check_field(&c, OF_QTY);
	assert_true(p->has_fix);
	assert_true(dec_eq(p->fix, D("0.01234567")));
	/* nothing was changed until the user consents */
	assert_true(dec_eq(r.limit_price, D("59000.07")));
	order_check_apply_fixes(&c, &r);
	assert_int_equal(order_validate(&st, &r, &c), 0);
	state_free(&st);
}

static void minimums(void **state)
{
	struct state st;
	setup_state(&st);
	struct order_req r = limit_buy();
	r.qty = D("0.00005");
	struct order_check c;
	assert_true(order_validate(&st, &r, &c) > 0);
	assert_non_null(strstr(order_check_field(&c, OF_QTY)->msg, "minimum order"));
	r.qty = D("0.0001");
	r.limit_price = D("1000.0"); /* 0.1 USD < costmin 0.5 */
	assert_true(order_validate(&st, &r, &c) > 0);
	assert_non_null(strstr(order_check_field(&c, OF_QTY)->msg, "minimum cost"));
	state_free(&st);
}

static void trigger_side(void **state)
{
	struct state st;
	setup_state(&st);
	struct order_req r;
	memset(&r, 0, sizeof r);
	r.instr = perp;
	r.side = SIDE_SELL;
	r.type = OT_STOP;
	r.qty = D("0.5");
	r.signal = TRIG_MARK;
	r.trigger_price = D("61200.0"); /* sell stop above the mark: would fire at once */
	struct order_check c;
	assert_true(order_validate(&st, &r, &c) > 0);
	const struct order_problem *p = order_check_field(&c, OF_TRIGGER);
	assert_non_null(p);
	assert_non_null(strstr(p->msg, "below the mark price 60010"));
	r.trigger_price = D("59000.0");
	assert_int_equal(order_validate(&st, &r, &c), 0);
	/* take-profit is the mirror image */
	r.type = OT_TAKE_PROFIT;
	assert_true(order_validate(&st, &r, &c) > 0);
	r.trigger_price = D("61200.0");
	assert_int_equal(order_validate(&st, &r, &c), 0);
	state_free(&st);
}

static void flags_and_types(void **state)
{
	struct state st;
	setup_state(&st);
	struct order_check c;
	struct order_req r = limit_buy();
	r.tif = TIF_FOK;
	assert_non_null((order_validate(&st, &r, &c), order_check_field(&c, OF_TIF)));
	r.tif = TIF_GTD;
	r.expire_s = (int64_t)time(NULL) + 1;
	assert_non_null((order_validate(&st, &r, &c), order_check_field(&c, OF_EXPIRE)));
	r.expire_s = (int64_t)time(NULL) + 3600;
	assert_int_equal(order_validate(&st, &r, &c), 0);
	r = limit_buy();
	r.type = OT_MARKET;
	r.post_only = true;
	assert_non_null((order_validate(&st, &r, &c), order_check_field(&c, OF_POST_ONLY)));
	r.post_only = false;
	r.side = SIDE_SELL;
	r.qty_in_quote = true;
	assert_non_null((order_validate(&st, &r, &c), order_check_field(&c, OF_QTY)));
	r = limit_buy();
	r.leverage = 5;
	order_validate(&st, &r, &c);
	assert_non_null(strstr(order_check_field(&c, OF_LEVERAGE)->msg, "choose 2, 3"));
	r.instr = perp;
	r.type = OT_TRAILING_STOP_LIMIT;
	r.leverage = 0;
	order_validate(&st, &r, &c);
	assert_non_null(order_check_field(&c, OF_TYPE));
	r.type = OT_TRAILING_STOP;
	r.side = SIDE_SELL;
	r.trail_offset = D("60");
	r.trail_pct = true;
	order_validate(&st, &r, &c);
	assert_non_null(order_check_field(&c, OF_TRAIL));
	r.trail_offset = D("1.5");
	assert_int_equal(order_validate(&st, &r, &c), 0);
	state_free(&st);
}

static void funds_and_reduce_only(void **state)
{
	struct state st;
	setup_state(&st);
	st.has_keys[PRODUCT_SPOT] = st.has_keys[PRODUCT_FUTURES] = true;
	struct balance b;
	memset(&b, 0, sizeof b);
	strcpy(b.asset, "USD");
	b.total = b.available = D("500");
	state_put_balance(&st, &b);
	struct order_req r = limit_buy(); /* 0.01 * 59000 = 590 USD + fee */
	struct order_check c;
	order_validate(&st, &r, &c);
	assert_non_null(strstr(order_check_field(&c, OF_QTY)->msg, "not enough USD"));
	r.qty = D("0.008"); /* 472 + 1.888 fee */
	assert_int_equal(order_validate(&st, &r, &c), 0);
	/* futures margin: 1 BTC at 60000 needs 1200 USD initial margin */
	struct futures_account fa;
	memset(&fa, 0, sizeof fa);
	fa.available_margin = D("1000");
	state_set_futures_account(&st, &fa);
	memset(&r, 0, sizeof r);
	r.instr = perp;
	r.side = SIDE_BUY;
	r.type = OT_LIMIT;
	r.qty = D("1");
	r.limit_price = D("60000");
	order_validate(&st, &r, &c);
	assert_non_null(strstr(order_check_field(&c, OF_QTY)->msg, "not enough margin"));
	r.qty = D("0.5");
	assert_int_equal(order_validate(&st, &r, &c), 0);
	r.reduce_only = true;
	order_validate(&st, &r, &c);
	assert_non_null(strstr(order_check_field(&c, OF_REDUCE_ONLY)->msg, "no short position"));
	struct position p;
	memset(&p, 0, sizeof p);
	p.instr = perp;
	p.product = PRODUCT_FUTURES;
	p.size = D("-2");
	state_set_positions(&st, PRODUCT_FUTURES, &p, 1);
	assert_int_equal(order_validate(&st, &r, &c), 0);
	state_free(&st);
}

static void describe_in_words(void **state)
{
	struct state st;
	setup_state(&st);
	struct order_req r;
	memset(&r, 0, sizeof r);
	r.instr = perp;
	r.side = SIDE_SELL;
	r.type = OT_STOP;
	r.qty = D("0.5");
	r.trigger_price = D("61200.0");
	r.signal = TRIG_MARK;
	r.reduce_only = true;
	char buf[256];
	order_req_describe(&st, &r, buf, sizeof buf);
	assert_string_equal(buf, "SELL 0.5 PF_XBTUSD stop-market, trigger 61,200.0 on mark, reduce-only");
	state_free(&st);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(valid_limit_passes),
		cmocka_unit_test(tick_and_lot_suggest_fixes),
		cmocka_unit_test(minimums),
		cmocka_unit_test(trigger_side),
		cmocka_unit_test(flags_and_types),
		cmocka_unit_test(funds_and_reduce_only),
		cmocka_unit_test(describe_in_words),
	};
	return kt_run_tests(tests);
}
