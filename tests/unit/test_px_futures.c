/* test_px_futures: the px hub's Futures side computes positions, PnL, tiered margin,
 * available margin and liquidation prices exactly, for cross and isolated margin on
 * the linear PF_XBTUSD (tiers 2%/1% below 500k USD) and for the inverse PI_XBTUSD;
 * fees are maker 0.02%, taker 0.05%; reduce-only orders are cut to the position. */
#include <stdlib.h>

#include "tests/unit/test_px_util.h"

struct alogs {
	struct px_alog v[8];
	size_t n;
};

static void take_alog(void *arg, const struct px_alog *e)
{
	struct alogs *a = arg;
	if (a->n < 8)
		a->v[a->n++] = *e;
}

static struct px_fut_position pos_of(struct px *px, uint32_t u, const struct px_instr *in)
{
	struct px_fut_position p;
	if (px_fut_position(px, u, in, &p) < 0)
		fail_msg("no position in %s", in->symbol);
	return p;
}

/* Cross: buy 0.5 @ 60000 with 10000 USD of collateral. Fee 15 -> 9985.
 * IM 2% of 30000 = 600, MM 300. Liquidation L solves 9985 + 0.5 (L - 60000) =
 * 0.01 * 0.5 L  =>  L = 20015 / 0.495 = 40434.34. At mark 61000 the PnL is +500,
 * IM 610, available 9985 + 500 - 610 = 9875, and L is unchanged (cross, USD only).
 * Closing at 62000: +1000 realized, fee 15.5 -> 10969.5. */
static void fut_cross(void **state)
{
	(void)state;
	struct px *px = px_test_new();
	uint32_t u = px_test_user(px, NULL, "10000");
	const struct px_instr *pf = I(px, "pf_xbtusd");
	px_mkt_limit(px, pf, ENGINE_SELL, "1", "60000");
	struct px_place r = px_req(u, pf, ENGINE_BUY, ENGINE_T_MARKET, "0.5", NULL);
	char id[PX_ID_MAX];
	px_must_place(px, &r, id, NULL);
	assert_int_equal(strlen(id), 36); /* a UUID */
	struct px_fut_position p = pos_of(px, u, pf);
	assert_dec(p.size, "0.5");
	assert_dec(p.entry_price, "60000");
	assert_dec(p.upnl, "0");
	assert_dec(p.initial_margin, "600");
	assert_dec(p.maintenance_margin, "300");
	assert_true(p.has_liq);
	assert_dec(p.liq_price, "40434.34");
	assert_false(p.isolated);
	struct px_fut_accounts fa;
	assert_int_equal(px_fut_accounts(px, u, &fa, NULL), 0);
	assert_int_equal(fa.flex.cur[0].asset, PX_A_USD);
	assert_dec(fa.flex.cur[0].quantity, "9985");
	assert_dec(fa.flex.available_margin, "9385");
	assert_dec(fa.flex.initial_margin, "600");
	assert_dec(fa.flex.maintenance_margin, "300");
	assert_dec(fa.flex.portfolio_value, "9985");

	struct px_filter f = px_filter_all(PX_FUTURES);
	struct alogs al = {.n = 0};
	assert_int_equal(px_alogs(px, u, &f, take_alog, &al), 1);
	assert_string_equal(al.v[0].info, "futures trade");
	assert_string_equal(al.v[0].asset, "usd");
	assert_string_equal(al.v[0].contract, "PF_XBTUSD");
	assert_dec(al.v[0].old_balance, "10000");
	assert_dec(al.v[0].new_balance, "9985");
	assert_dec(al.v[0].fee, "15");
	assert_dec(al.v[0].trade_price, "60000");
	assert_dec(al.v[0].new_avg_entry, "60000");

	dec_t mark = D("61000");
	assert_int_equal(px_set_mark_index(px, pf, &mark, NULL, NULL), 0);
	p = pos_of(px, u, pf);
	assert_dec(p.upnl, "500");
	assert_dec(p.liq_price, "40434.34");
	assert_dec(p.initial_margin, "610");
	px_fut_accounts(px, u, &fa, NULL);
	assert_dec(fa.flex.available_margin, "9875");
	assert_dec(fa.flex.pnl, "500");
	assert_dec(fa.flex.margin_equity, "10485");

	assert_int_equal(px_cancel_all(px, PX_MARKET, PX_FUTURES, NULL, 0, NULL, NULL), 1);
	px_mkt_limit(px, pf, ENGINE_BUY, "1", "62000");
	struct px_place c = px_req(u, pf, ENGINE_SELL, ENGINE_T_MARKET, "0.5", NULL);
	px_must_place(px, &c, NULL, NULL);
	assert_int_equal(px_fut_position(px, u, pf, &p), -1);
	px_fut_accounts(px, u, &fa, NULL);
	assert_dec(fa.flex.cur[0].quantity, "10969.5");
	struct px_filter ff = px_filter_all(PX_FUTURES);
	assert_int_equal(px_fills(px, u, &ff, NULL, NULL), 2);
	px_free(px);
}

/* Isolated at 10x: the same buy allocates 30000 / 10 = 3000; liquidation when
 * 3000 + 0.5 (L - 60000) = 0.01 * 0.5 L  =>  L = 27000 / 0.495 = 54545.45.
 * Available: 9985 - 3000 = 6985, so a 10 BTC order (60000 margin) is refused. */
static void fut_isolated(void **state)
{
	(void)state;
	struct px *px = px_test_new();
	uint32_t u = px_test_user(px, NULL, "10000");
	const struct px_instr *pf = I(px, "PF_XBTUSD");
	struct kerr e = KERR_INIT;
	dec_t lev = D("100");
	assert_int_equal(px_fut_leverage_set(px, u, pf, &lev, &e), -1);
	assert_int_equal(e.code, PX_E_MAX_LEVERAGE);
	lev = D("10");
	assert_int_equal(px_fut_leverage_set(px, u, pf, &lev, &e), 0);
	dec_t got;
	assert_int_equal(px_fut_leverage_get(px, u, pf, &got), 1);
	assert_dec(got, "10");
	px_mkt_limit(px, pf, ENGINE_SELL, "20", "60000");
	struct px_place r = px_req(u, pf, ENGINE_BUY, ENGINE_T_LIMIT, "0.5", "60000");
	px_must_place(px, &r, NULL, NULL);
	struct px_fut_position p = pos_of(px, u, pf);
	assert_true(p.isolated);
	assert_dec(p.max_leverage, "10");
	assert_dec(p.iso_margin, "3000");
	assert_true(p.has_liq);
	assert_dec(p.liq_price, "54545.45");
	struct px_fut_accounts fa;
	px_fut_accounts(px, u, &fa, NULL);
	assert_dec(fa.flex.available_margin, "6985");
	assert_dec(fa.flex.isolated_margin, "3000");
	assert_dec(fa.flex.initial_margin, "0");
	struct px_place big = px_req(u, pf, ENGINE_BUY, ENGINE_T_LIMIT, "10", "60000");
	struct px_result res;
	assert_int_equal(px_place(px, &big, &res, &e), -1);
	assert_int_equal(e.code, ENGINE_R_INSUFFICIENT_FUNDS);
	/* back to cross: the allocation returns to the pool */
	assert_int_equal(px_fut_leverage_set(px, u, pf, NULL, &e), 0);
	px_fut_accounts(px, u, &fa, NULL);
	assert_dec(fa.flex.isolated_margin, "0");
	assert_dec(fa.flex.available_margin, "9385");
	px_free(px);
}

/* A short gains when the mark falls: sell 0.5 @ 60000, mark 59000 -> +500. A
 * reduce-only buy of 2 is cut to the 0.5 position. */
static void fut_short_reduce_only(void **state)
{
	(void)state;
	struct px *px = px_test_new();
	uint32_t u = px_test_user(px, NULL, "10000");
	const struct px_instr *pf = I(px, "PF_XBTUSD");
	px_mkt_limit(px, pf, ENGINE_BUY, "1", "60000");
	struct px_place r = px_req(u, pf, ENGINE_SELL, ENGINE_T_MARKET, "0.5", NULL);
	px_must_place(px, &r, NULL, NULL);
	dec_t mark = D("59000");
	px_set_mark_index(px, pf, &mark, &mark, NULL);
	struct px_fut_position p = pos_of(px, u, pf);
	assert_dec(p.size, "-0.5");
	assert_dec(p.upnl, "500");
	assert_dec(p.index_price, "59000");
	struct px_place ro = px_req(u, pf, ENGINE_BUY, ENGINE_T_LIMIT, "2", "58000");
	ro.eflags = ENGINE_F_REDUCE_ONLY;
	struct px_result res;
	px_must_place(px, &ro, NULL, &res);
	assert_dec(res.order->qty, "0.5");
	assert_int_equal(res.order->namends, 2); /* original + restated */
	assert_int_equal(res.order->amends[1].kind, PX_AMEND_RESTATED);
	struct px_ticker t;
	assert_int_equal(px_ticker(px, pf, &t), 0);
	assert_dec(t.open_interest, "0.5");
	assert_dec(t.mark, "59000");
	assert_dec(t.last, "60000");
	px_free(px);
}

/* Inverse: 10000 contracts (USD) bought at 60000 are worth 10000/60000 =
 * 0.1666666667 XBT; fee 0.05% = 0.0000833333 XBT; the entry stays 60000. At mark 66000 the PnL is
 * 10000 (1/60000 - 1/66000) = 0.0151515152 XBT. */
static void fut_inverse(void **state)
{
	(void)state;
	struct px *px = px_test_new();
	struct px_account_init in;
	memset(&in, 0, sizeof in);
	in.fut_flex[PX_A_XBT] = D("1");
	uint32_t u;
	assert_int_equal(px_account_create(px, &in, &u, NULL), 0);
	char uid[PX_ID_MAX];
	struct kerr e = KERR_INIT;
	assert_int_equal(px_fut_transfer(px, u, PX_W_FLEX, PX_W_INVERSE, PX_A_XBT, D("1"), uid, &e),
			 0);
	const struct px_instr *pi = I(px, "PI_XBTUSD");
	px_mkt_limit(px, pi, ENGINE_SELL, "20000", "60000");
	struct px_place r = px_req(u, pi, ENGINE_BUY, ENGINE_T_MARKET, "10000", NULL);
	px_must_place(px, &r, NULL, NULL);
	struct px_fut_accounts fa;
	px_fut_accounts(px, u, &fa, NULL);
	assert_dec(fa.inverse.balance, "0.9999166667");
	dec_t mark = D("66000");
	px_set_mark_index(px, pi, &mark, NULL, NULL);
	struct px_fut_position p = pos_of(px, u, pi);
	assert_dec(p.size, "10000");
	assert_dec(p.entry_price, "60000");
	assert_dec(p.upnl, "0.0151515152");
	assert_true(p.has_liq);
	/* L = (10000 + 100) / (0.9999166667 + 0.1666666667) = 8657.78... */
	assert_true(dec_gt(p.liq_price, D("8657")) && dec_lt(p.liq_price, D("8658")));
	px_fut_accounts(px, u, &fa, NULL);
	assert_dec(fa.inverse.pnl, "0.0151515152");
	/* the flex wallet gave all its XBT away */
	assert_int_equal(fa.flex.ncur, 1);
	px_free(px);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(fut_cross),
		cmocka_unit_test(fut_isolated),
		cmocka_unit_test(fut_short_reduce_only),
		cmocka_unit_test(fut_inverse),
	};
	return kt_run_tests(tests);
}
