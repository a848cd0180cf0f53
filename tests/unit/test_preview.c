/* test_preview: the order preview's numbers on worked examples — linear perp
 * liquidation long and short (isolated and cross), spot margin, a market walk
 * across three levels (and one the book cannot fill), maker vs taker fees,
 * position and entry after adding, reducing and flipping, and the distance
 * from mark. Every expected value is worked out in the comments. */
#include <string.h>

#include "core/preview.h"
#include "core/state.h"
#include "tests/unit/core_fx.h"
#include "tests/unit/unit.h"

#define assert_dec(v, s)                                                                           \
	do {                                                                                       \
		char b_[DEC_FMT_MAX];                                                              \
		dec_fmt((v), -1, b_, sizeof b_);                                                   \
		if (!dec_eq((v), D(s)))                                                            \
			fail_msg("%s is %s, expected %s", #v, b_, s);                              \
	} while (0)

static int spot, perp;

static void setup(struct state *st)
{
	state_init(st);
	struct instrument in;
	core_fx_spot(&in);
	in.fee_maker = D("0.0025");
	in.fee_taker = D("0.004");
	in.leverage_buy[0] = 2;
	in.leverage_buy[1] = 3;
	in.leverage_sell[0] = 2;
	spot = state_add_instrument(st, &in);
	core_fx_perp(&in);
	in.fee_maker = D("0.0002");
	in.fee_taker = D("0.0005");
	perp = state_add_instrument(st, &in);
	struct market *m = state_market(st, perp);
	m->ticker.has = TK_LAST | TK_MARK;
	m->ticker.last = D("60000");
	m->ticker.mark = D("60000");
	/* Futures book (price dp 1, qty dp 4): bids 59990.0 x 5; asks 60000.0 x 1,
	 * 60010.0 x 2, 60030.0 x 3. */
	book_set(&m->book, SIDE_BUY, 599900, 50000);
	book_set(&m->book, SIDE_SELL, 600000, 10000);
	book_set(&m->book, SIDE_SELL, 600100, 20000);
	book_set(&m->book, SIDE_SELL, 600300, 30000);
	m = state_market(st, spot);
	m->ticker.has = TK_LAST;
	m->ticker.last = D("100.0");
	/* Spot book: asks 100.0 x 1, 101.0 x 1, 102.0 x 2; bid 99.9 x 1. */
	book_set(&m->book, SIDE_SELL, 1000, 100000000);
	book_set(&m->book, SIDE_SELL, 1010, 100000000);
	book_set(&m->book, SIDE_SELL, 1020, 200000000);
	book_set(&m->book, SIDE_BUY, 999, 100000000);
}

static struct order_req req(int instr, enum side side, enum order_type t, const char *qty,
                            const char *px)
{
	struct order_req r;
	memset(&r, 0, sizeof r);
	r.instr = instr;
	r.side = side;
	r.type = t;
	r.qty = D(qty);
	if (px)
		r.limit_price = D(px);
	r.signal = TRIG_MARK;
	return r;
}

static void set_position(struct state *st, const char *size, const char *entry, bool iso,
                         const char *lev)
{
	struct position p;
	memset(&p, 0, sizeof p);
	p.instr = perp;
	p.product = PRODUCT_FUTURES;
	p.size = D(size);
	p.entry = D(entry);
	p.mark = D("60000");
	p.isolated = iso;
	p.max_leverage = lev ? D(lev) : dec_zero();
	state_set_positions(st, PRODUCT_FUTURES, &p, 1);
}

static void set_available(struct state *st, const char *avail)
{
	struct futures_account fa;
	memset(&fa, 0, sizeof fa);
	fa.available_margin = D(avail);
	fa.margin_equity = D(avail);
	state_set_futures_account(st, &fa);
}

/* Isolated 10x, mm 1%: long liq = E(1 - 1/L)/(1 - mm) = 60000*0.9/0.99 =
 * 54545.4545... rounded up (toward the entry) = 54545.5; short =
 * 60000*1.1/1.01 = 65346.5346... rounded down = 65346.5. */
static void liquidation_isolated_long_short(void **state)
{
	(void)state;
	struct state st;
	setup(&st);
	const struct instrument *in = state_instrument(&st, perp);
	dec_t liq;
	assert_true(preview_liquidation(in, D("1"), D("60000"), true, D("10"), dec_zero(), &liq));
	assert_dec(liq, "54545.5");
	assert_true(preview_liquidation(in, D("-1"), D("60000"), true, D("10"), dec_zero(), &liq));
	assert_dec(liq, "65346.5");
	/* 1x long: (60000 - 60000)/0.99 = 0: no liquidation price. */
	assert_false(preview_liquidation(in, D("1"), D("60000"), true, D("1"), dec_zero(), &liq));

	/* Adding to an isolated long 1 @ 60000 (10x): buy 1 @ 62000 -> 2 @ 61000,
	 * liq = 61000*0.9/0.99 = 55454.5454... -> 55454.6; margin for the added
	 * contract at max(2%, 1/10) = 62000/10 = 6200. */
	set_position(&st, "1", "60000", true, "10");
	struct order_req r = req(perp, SIDE_BUY, OT_LIMIT, "1", "62000");
	struct order_preview pv;
	assert_int_equal(order_preview(&st, &r, &pv), 0);
	assert_dec(pv.pos_before, "1");
	assert_dec(pv.pos_after, "2");
	assert_dec(pv.entry_after, "61000");
	assert_true(pv.has_liq && pv.liq_isolated);
	assert_dec(pv.liq_price, "55454.6");
	assert_dec(pv.margin, "6200");
	assert_dec(pv.margin_rate, "0.1");
	state_free(&st);
}

/* Cross with 10,000 USD available and no position. A limit buy 1 @ 59995
 * rests below the 60000 ask: maker fee 0.02% = 11.999 USD. K =
 * 10000 - 11.999 = 9988.001; long liq = (59995 - 9988.001)/0.99 =
 * 50512.1202... -> 50512.2. Short 1 @ 60005 (rests above the bid): fee
 * 12.001, K = 9987.999, liq = (60005 + 9987.999)/1.01 = 69299.9990... ->
 * 69299.9. Initial margin 2%: 1199.9 and 1200.1. */
static void liquidation_cross_long_short(void **state)
{
	(void)state;
	struct state st;
	setup(&st);
	set_available(&st, "10000");
	struct order_req r = req(perp, SIDE_BUY, OT_LIMIT, "1", "59995");
	struct order_preview pv;
	assert_int_equal(order_preview(&st, &r, &pv), 0);
	assert_true(pv.maker);
	assert_dec(pv.fee, "11.999");
	assert_dec(pv.margin, "1199.9");
	assert_true(pv.has_liq && !pv.liq_isolated);
	assert_dec(pv.liq_price, "50512.2");
	r = req(perp, SIDE_SELL, OT_LIMIT, "1", "60005");
	assert_int_equal(order_preview(&st, &r, &pv), 0);
	assert_dec(pv.fee, "12.001");
	assert_dec(pv.pos_after, "-1");
	assert_dec(pv.liq_price, "69299.9");
	assert_dec(pv.margin, "1200.1");
	state_free(&st);
}

/* Spot margin: buy 0.5 BTC @ 60000 at 3x: value 30000, margin 30000/3 = 10000. */
static void spot_margin(void **state)
{
	(void)state;
	struct state st;
	setup(&st);
	struct order_req r = req(spot, SIDE_BUY, OT_LIMIT, "0.5", "60000");
	r.leverage = 3;
	struct order_preview pv;
	assert_int_equal(order_preview(&st, &r, &pv), 0);
	assert_dec(pv.notional, "30000");
	assert_true(pv.has_margin);
	assert_dec(pv.margin, "10000");
	assert_dec(pv.pos_after, "0.5");
	assert_dec(pv.entry_after, "60000");
	assert_false(pv.has_liq); /* spot margin: no liquidation estimate */
	/* Taker: a buy at 60000 crosses the 100.0 ask of this test book. */
	assert_false(pv.maker);
	assert_dec(pv.fee, "120"); /* 30000 * 0.4% */
	state_free(&st);
}

/* Market buy 4 contracts: 1 @ 60000 + 2 @ 60010 + 1 @ 60030 = 240050, avg
 * 60012.5, worst 60030, slippage (60012.5 - 60000)/60000 * 10000 = 2.0833 ->
 * 2.08 bps; taker fee 0.05% of 240050 = 120.025. Buy 10: the book holds 6
 * (360110 / 6 = 60018.33333 avg) and cannot fill it. */
static void market_walk_three_levels(void **state)
{
	(void)state;
	struct state st;
	setup(&st);
	struct order_req r = req(perp, SIDE_BUY, OT_MARKET, "4", NULL);
	struct order_preview pv;
	assert_int_equal(order_preview(&st, &r, &pv), 0);
	assert_true(pv.walked && pv.book_fills);
	assert_dec(pv.walk_avg, "60012.5");
	assert_dec(pv.walk_worst, "60030");
	assert_dec(pv.walk_best, "60000");
	assert_dec(pv.slippage_bps, "2.08");
	assert_dec(pv.notional, "240050");
	assert_false(pv.maker);
	assert_dec(pv.fee, "120.025");
	/* The distance of a market order is its worst fill's: 30/60000 = 0.05%. */
	assert_true(pv.has_distance);
	assert_dec(pv.distance_pct, "0.05");
	r.qty = D("10");
	assert_int_equal(order_preview(&st, &r, &pv), 0);
	assert_true(pv.walked);
	assert_false(pv.book_fills);
	assert_dec(pv.walk_filled, "6");
	assert_dec(pv.walk_avg, "60018.33333");
	/* Spot, size in quote currency: 303 USD buys 1 @ 100 + 1 @ 101 + 1 @ 102. */
	r = req(spot, SIDE_BUY, OT_MARKET, "303", NULL);
	r.qty_in_quote = true;
	assert_int_equal(order_preview(&st, &r, &pv), 0);
	assert_true(pv.walked && pv.book_fills);
	assert_dec(pv.walk_filled, "3");
	assert_dec(pv.base_qty, "3");
	assert_dec(pv.walk_avg, "101");
	assert_dec(pv.notional, "303");
	assert_dec(pv.slippage_bps, "100"); /* (101 - 100)/100 */
	/* A market sell walks the bids. */
	r = req(spot, SIDE_SELL, OT_MARKET, "0.5", NULL);
	assert_int_equal(order_preview(&st, &r, &pv), 0);
	assert_dec(pv.walk_avg, "99.9");
	assert_dec(pv.slippage_bps, "0");
	state_free(&st);
}

/* Maker: post-only, and a limit that rests; taker: market, a limit that
 * crosses the book, IOC, and triggered types. */
static void fees_maker_vs_taker(void **state)
{
	(void)state;
	struct state st;
	setup(&st);
	struct order_preview pv;
	struct order_req r = req(perp, SIDE_BUY, OT_LIMIT, "2", "59000");
	order_preview(&st, &r, &pv);
	assert_true(pv.maker);
	assert_dec(pv.fee_rate, "0.0002");
	assert_dec(pv.fee, "23.6"); /* 118000 * 0.02% */
	r.limit_price = D("60010"); /* crosses the 60000 ask */
	order_preview(&st, &r, &pv);
	assert_false(pv.maker);
	assert_dec(pv.fee, "60.01"); /* 120020 * 0.05% */
	r.post_only = true;          /* post-only is judged at the maker rate */
	order_preview(&st, &r, &pv);
	assert_true(pv.maker);
	r = req(perp, SIDE_BUY, OT_LIMIT, "2", "59000");
	r.tif = TIF_IOC;
	order_preview(&st, &r, &pv);
	assert_false(pv.maker);
	r = req(perp, SIDE_SELL, OT_STOP, "1", NULL);
	r.trigger_price = D("59000");
	order_preview(&st, &r, &pv);
	assert_false(pv.maker);
	assert_dec(pv.price, "59000");
	assert_dec(pv.fee, "29.5");
	/* Trigger 59000 vs mark 60000: -1.666... -> -1.67 %. */
	assert_true(pv.has_distance);
	assert_dec(pv.distance_pct, "-1.67");
	state_free(&st);
}

/* Long 2 @ 60000: sell 5 @ 61000 flips to short 3 @ 61000, realizes
 * (61000 - 60000) * 2 = 2000 and adds margin for the 1 contract of exposure
 * beyond the old size (61000 * 2% = 1220); a reduce-only sell of 5 only
 * closes the 2; sell 0.5 keeps the entry and realizes 500. */
static void position_reduce_and_flip(void **state)
{
	(void)state;
	struct state st;
	setup(&st);
	set_position(&st, "2", "60000", false, NULL);
	struct order_preview pv;
	struct order_req r = req(perp, SIDE_SELL, OT_LIMIT, "5", "61000");
	order_preview(&st, &r, &pv);
	assert_dec(pv.pos_after, "-3");
	assert_dec(pv.entry_after, "61000");
	assert_true(pv.has_pnl);
	assert_dec(pv.realized_pnl, "2000");
	assert_dec(pv.margin, "1220");
	r.reduce_only = true;
	order_preview(&st, &r, &pv);
	assert_dec(pv.pos_after, "0");
	assert_dec(pv.margin, "0");
	assert_false(pv.has_liq);
	r = req(perp, SIDE_SELL, OT_LIMIT, "0.5", "61000");
	order_preview(&st, &r, &pv);
	assert_dec(pv.pos_after, "1.5");
	assert_dec(pv.entry_after, "60000");
	assert_dec(pv.realized_pnl, "500");
	/* Spot cash: the base balance before and after. */
	struct balance b;
	memset(&b, 0, sizeof b);
	strcpy(b.asset, "BTC");
	b.total = D("1.25");
	b.available = D("1.25");
	state_set_balances(&st, &b, 1);
	r = req(spot, SIDE_SELL, OT_LIMIT, "0.25", "101");
	order_preview(&st, &r, &pv);
	assert_true(pv.is_balance);
	assert_dec(pv.pos_before, "1.25");
	assert_dec(pv.pos_after, "1");
	assert_false(pv.has_margin);
	state_free(&st);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(liquidation_isolated_long_short),
	        cmocka_unit_test(liquidation_cross_long_short),
	        cmocka_unit_test(spot_margin),
	        cmocka_unit_test(market_walk_three_levels),
	        cmocka_unit_test(fees_maker_vs_taker),
	        cmocka_unit_test(position_reduce_and_flip),
	};
	return kt_run_tests(tests);
}
