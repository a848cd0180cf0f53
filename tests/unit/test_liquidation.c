/* test_liquidation: positions are liquidated exactly when the mark reaches the
 * liquidation price px computes, not one price unit before, for isolated (long
 * and short), cross (flex) and inverse positions; the liquidation cancels the
 * account's open orders on the contract and closes the position with a
 * reduce-only market order that trades in the book; the fill, the public trade
 * and the account-log entry of that trade say "liquidation"; a cross account is
 * liquidated as a whole when its equity falls below its maintenance margin even
 * though no position is at its own liquidation price.
 * px runs by hand (fixed clock); the market account provides the bids/asks the
 * liquidation orders hit. */
#include <stdlib.h>

#include "paper/liquidation.h"
#include "tests/unit/test_px_util.h"

static struct px_fut_position pos_of(struct px *px, uint32_t u, const struct px_instr *in)
{
	struct px_fut_position p;
	if (px_fut_position(px, u, in, &p) < 0)
		fail_msg("no position in %s", in->symbol);
	return p;
}

static void set_mark(struct px *px, const struct px_instr *in, dec_t mark)
{
	assert_int_equal(px_set_mark_index(px, in, &mark, NULL, NULL), 0);
}

/* liq +- one price unit of the instrument */
static dec_t nudge(const struct px_instr *in, dec_t v, int units)
{
	dec_t r;
	assert_int_equal(dec_add(v, dec_make(units, (unsigned)in->price_dp), &r), 0);
	return r;
}

/* The public trade of the liquidation. */
static void check_liquidation_trade(struct px *px, const struct px_instr *in, const char *price)
{
	struct px_trade t;
	assert_int_equal(px_last_trade(px, in, &t), 0);
	assert_dec(t.price, price);
	assert_int_equal(t.side, ENGINE_SELL);
	assert_true(t.liquidation);
}

static void take_fill(void *arg, const struct px_fill *f)
{
	*(struct px_fill *)arg = *f;
}

static struct px_fill last_fill(struct px *px, uint32_t u)
{
	struct px_fill fl;
	memset(&fl, 0, sizeof fl);
	struct px_filter f = px_filter_all(PX_FUTURES);
	f.limit = 1; /* newest first */
	px_fills(px, u, &f, take_fill, &fl);
	return fl;
}

static void take_alog(void *arg, const struct px_alog *e)
{
	*(struct px_alog *)arg = *e;
}

/* The newest account-log entry of the account. */
static struct px_alog last_alog(struct px *px, uint32_t u)
{
	struct px_alog e;
	memset(&e, 0, sizeof e);
	struct px_filter f = px_filter_all(PX_FUTURES);
	f.limit = 1; /* newest first */
	assert_true(px_alogs(px, u, &f, take_alog, &e) >= 1);
	return e;
}

/* The fill is a liquidation and its account-log entry says so, with the
 * contract, the execution (fill id), the trade price and the realized PnL. */
static void check_liquidation_log(struct px *px, uint32_t u, const struct px_instr *in,
                                  const struct px_fill *fl)
{
	assert_true(fl->liquidation);
	struct px_alog e = last_alog(px, u);
	assert_string_equal(e.info, "futures liquidation");
	assert_string_equal(e.contract, in->symbol);
	assert_string_equal(e.execution, fl->id);
	assert_true(e.has & PX_AL_TRADE_PRICE);
	assert_true(dec_eq(e.trade_price, fl->price));
	assert_true(e.has & PX_AL_REALIZED_PNL);
	assert_true(dec_eq(e.realized_pnl, fl->realized_pnl));
}

/* Isolated at 10x, long 0.5 @ 60000: L = 54545.45 (test_px_futures). */
static void isolated_long(void **state)
{
	(void)state;
	struct px *px = px_test_new();
	uint32_t u = px_test_user(px, NULL, "10000");
	const struct px_instr *pf = I(px, "PF_XBTUSD");
	dec_t lev = D("10");
	assert_int_equal(px_fut_leverage_set(px, u, pf, &lev, NULL), 0);
	px_mkt_limit(px, pf, ENGINE_SELL, "0.5", "60000");
	struct px_place r = px_req(u, pf, ENGINE_BUY, ENGINE_T_MARKET, "0.5", NULL);
	px_must_place(px, &r, NULL, NULL);
	struct px_fut_position p = pos_of(px, u, pf);
	assert_true(p.isolated && p.has_liq);
	assert_dec(p.liq_price, "54545.45");
	px_mkt_limit(px, pf, ENGINE_BUY, "2", "54000"); /* where the liquidation sells */

	set_mark(px, pf, nudge(pf, p.liq_price, 1)); /* 54545.46: not yet */
	assert_int_equal(liquidation_run(px, NULL, NULL), 0);
	p = pos_of(px, u, pf);
	assert_dec(p.size, "0.5");
	assert_false(liquidation_due(px, u, &p));

	set_mark(px, pf, p.liq_price); /* 54545.45: now */
	p = pos_of(px, u, pf);
	assert_true(liquidation_due(px, u, &p));
	struct liquidation_stats st;
	assert_int_equal(liquidation_run(px, NULL, &st), 1);
	assert_int_equal(st.accounts, 1);
	assert_int_equal(st.orders, 1);
	assert_int_equal(px_fut_position(px, u, pf, &p), -1); /* closed */
	struct px_fill fl = last_fill(px, u);
	assert_int_equal(fl.side, ENGINE_SELL);
	assert_dec(fl.qty, "0.5");
	assert_dec(fl.price, "54000");
	assert_dec(fl.realized_pnl, "-3000"); /* 0.5 x (54000 - 60000) */
	check_liquidation_log(px, u, pf, &fl);
	check_liquidation_trade(px, pf, "54000");
	assert_int_equal(liquidation_run(px, NULL, NULL), 0); /* nothing left */
	px_free(px);
}

/* Isolated at 10x, short 0.5 @ 60000: liquidated when the mark rises to L. */
static void isolated_short(void **state)
{
	(void)state;
	struct px *px = px_test_new();
	uint32_t u = px_test_user(px, NULL, "10000");
	const struct px_instr *pf = I(px, "PF_XBTUSD");
	dec_t lev = D("10");
	assert_int_equal(px_fut_leverage_set(px, u, pf, &lev, NULL), 0);
	px_mkt_limit(px, pf, ENGINE_BUY, "0.5", "60000");
	struct px_place r = px_req(u, pf, ENGINE_SELL, ENGINE_T_MARKET, "0.5", NULL);
	px_must_place(px, &r, NULL, NULL);
	struct px_fut_position p = pos_of(px, u, pf);
	assert_true(p.has_liq);
	/* 3000 + 0.5 (60000 - L) = 0.01 x 0.5 L  =>  L = 33000 / 0.505 */
	assert_dec(p.liq_price, "65346.53");
	px_mkt_limit(px, pf, ENGINE_SELL, "1", "66000");
	set_mark(px, pf, nudge(pf, p.liq_price, -1));
	assert_int_equal(liquidation_run(px, pf, NULL), 0);
	assert_int_equal(px_fut_position(px, u, pf, &p), 0);
	set_mark(px, pf, p.liq_price);
	assert_int_equal(liquidation_run(px, pf, NULL), 1);
	assert_int_equal(px_fut_position(px, u, pf, &p), -1);
	struct px_fill fl = last_fill(px, u);
	assert_int_equal(fl.side, ENGINE_BUY);
	assert_dec(fl.price, "66000");
	check_liquidation_log(px, u, pf, &fl);
	px_free(px);
}

/* Cross, long 0.5 @ 60000 on 10000 USD: L = 40434.34. The account's open
 * order on the contract is cancelled first. A run for another contract does
 * not touch it. */
static void cross_long(void **state)
{
	(void)state;
	struct px *px = px_test_new();
	uint32_t u = px_test_user(px, NULL, "10000");
	const struct px_instr *pf = I(px, "PF_XBTUSD");
	px_mkt_limit(px, pf, ENGINE_SELL, "0.5", "60000");
	struct px_place r = px_req(u, pf, ENGINE_BUY, ENGINE_T_MARKET, "0.5", NULL);
	px_must_place(px, &r, NULL, NULL);
	struct px_place lim = px_req(u, pf, ENGINE_BUY, ENGINE_T_LIMIT, "0.01", "30000");
	char oid[PX_ID_MAX];
	px_must_place(px, &lim, oid, NULL);
	struct px_fut_position p = pos_of(px, u, pf);
	assert_false(p.isolated);
	assert_dec(p.liq_price, "40434.34");
	px_mkt_limit(px, pf, ENGINE_BUY, "1", "40000");

	set_mark(px, pf, nudge(pf, p.liq_price, 1));
	assert_int_equal(liquidation_run(px, NULL, NULL), 0);
	struct px_fut_accounts fa;
	assert_int_equal(px_fut_accounts(px, u, &fa, NULL), 0);
	assert_true(dec_ge(fa.flex.margin_equity, fa.flex.maintenance_margin));

	set_mark(px, pf, p.liq_price);
	assert_int_equal(liquidation_run(px, I(px, "PF_ETHUSD"), NULL), 0);
	struct liquidation_stats st;
	assert_int_equal(liquidation_run(px, NULL, &st), 1);
	assert_int_equal(st.cancelled, 1);
	const struct px_order *o = px_order_find(px, u, oid);
	assert_non_null(o);
	assert_false(px_order_is_open(o));
	assert_int_equal(px_fut_position(px, u, pf, &p), -1);
	struct px_fill fl = last_fill(px, u);
	assert_dec(fl.price, "40000");
	assert_dec(fl.qty, "0.5");
	check_liquidation_log(px, u, pf, &fl);
	px_free(px);
}

/* Cross, two shorts on 1000 USD: 1 PF_ETHUSD @ 3000 and 10 PF_SOLUSD @ 100.
 * Both marks gap up (ETH 6000, SOL 600): each position's loss exceeds the
 * collateral plus the other's notional, so the account is under its
 * maintenance margin at any price of either contract alone: neither position
 * has a liquidation price of its own (so neither is "at" it), and only the
 * whole-account check trips. Both positions are closed, as liquidations. */
static void cross_account_only(void **state)
{
	(void)state;
	struct px *px = px_test_new();
	uint32_t u = px_test_user(px, NULL, "1000");
	const struct px_instr *eth = I(px, "PF_ETHUSD");
	const struct px_instr *sol = I(px, "PF_SOLUSD");
	px_mkt_limit(px, eth, ENGINE_BUY, "1", "3000");
	struct px_place r = px_req(u, eth, ENGINE_SELL, ENGINE_T_MARKET, "1", NULL);
	px_must_place(px, &r, NULL, NULL);
	px_mkt_limit(px, sol, ENGINE_BUY, "10", "100");
	r = px_req(u, sol, ENGINE_SELL, ENGINE_T_MARKET, "10", NULL);
	px_must_place(px, &r, NULL, NULL);
	struct px_fut_position pe = pos_of(px, u, eth), ps = pos_of(px, u, sol);
	assert_false(pe.isolated || ps.isolated);
	assert_true(pe.has_liq && ps.has_liq); /* at entry both have one, far away */
	assert_int_equal(liquidation_run(px, NULL, NULL), 0);

	set_mark(px, eth, D("6000"));
	set_mark(px, sol, D("600"));
	pe = pos_of(px, u, eth);
	ps = pos_of(px, u, sol);
	assert_false(pe.has_liq); /* no price of ETH alone saves the account */
	assert_false(ps.has_liq);
	struct px_fut_accounts fa;
	assert_int_equal(px_fut_accounts(px, u, &fa, NULL), 0);
	/* 1000 - 3000 - 5000 - the opening taker fees (1.5 + 0.5) */
	assert_dec(fa.flex.margin_equity, "-7002");
	assert_true(dec_lt(fa.flex.margin_equity, fa.flex.maintenance_margin));
	assert_true(liquidation_due(px, u, &pe));
	assert_true(liquidation_due(px, u, &ps));

	px_mkt_limit(px, eth, ENGINE_SELL, "2", "6000"); /* where the liquidations buy */
	px_mkt_limit(px, sol, ENGINE_SELL, "20", "600");
	struct liquidation_stats st;
	assert_int_equal(liquidation_run(px, NULL, &st), 2);
	assert_int_equal(st.accounts, 1);
	assert_int_equal(st.orders, 2);
	assert_int_equal(px_fut_position(px, u, eth, &pe), -1);
	assert_int_equal(px_fut_position(px, u, sol, &ps), -1);
	struct px_fill fl = last_fill(px, u);
	assert_int_equal(fl.side, ENGINE_BUY);
	check_liquidation_log(px, u, fl.instr, &fl);
	assert_int_equal(liquidation_run(px, NULL, NULL), 0);
	px_free(px);
}

/* An empty book: the liquidation waits for a bid. A thin book: it closes what
 * it can and tries again on the next run, when more bids have arrived. */
static void partial_then_rest(void **state)
{
	(void)state;
	struct px *px = px_test_new();
	uint32_t u = px_test_user(px, NULL, "10000");
	const struct px_instr *pf = I(px, "PF_XBTUSD");
	px_mkt_limit(px, pf, ENGINE_SELL, "0.5", "60000");
	struct px_place r = px_req(u, pf, ENGINE_BUY, ENGINE_T_MARKET, "0.5", NULL);
	px_must_place(px, &r, NULL, NULL);
	struct px_fut_position p = pos_of(px, u, pf);
	set_mark(px, pf, p.liq_price);
	/* no bid at all: nothing is placed (no order that fills nothing) */
	struct px_filter cf = px_filter_all(PX_FUTURES);
	size_t closed = px_closed_orders(px, u, &cf, NULL, NULL);
	struct liquidation_stats st;
	assert_int_equal(liquidation_run(px, NULL, &st), 0);
	assert_int_equal(st.waiting, 1);
	assert_int_equal(px_closed_orders(px, u, &cf, NULL, NULL), closed);
	px_mkt_limit(px, pf, ENGINE_BUY, "0.2", "40000");
	assert_int_equal(liquidation_run(px, NULL, NULL), 1);
	p = pos_of(px, u, pf);
	assert_dec(p.size, "0.3");
	px_mkt_limit(px, pf, ENGINE_BUY, "1", "39000");
	assert_int_equal(liquidation_run(px, NULL, NULL), 1);
	assert_int_equal(px_fut_position(px, u, pf, &p), -1);
	px_free(px);
}

/* Inverse PI_XBTUSD, 10000 contracts long @ 60000 on 0.02 XBT: liquidated at
 * px's liquidation price, not one unit above. */
static void inverse_long(void **state)
{
	(void)state;
	struct px *px = px_test_new();
	struct px_account_init ai;
	memset(&ai, 0, sizeof ai);
	ai.fut_flex[PX_A_XBT] = D("1");
	uint32_t u = 0;
	assert_int_equal(px_account_create(px, &ai, &u, NULL), 0);
	char id[PX_ID_MAX];
	assert_int_equal(
	        px_fut_transfer(px, u, PX_W_FLEX, PX_W_INVERSE, PX_A_XBT, D("0.02"), id, NULL), 0);
	const struct px_instr *pi = I(px, "PI_XBTUSD");
	px_mkt_limit(px, pi, ENGINE_SELL, "10000", "60000");
	struct px_place r = px_req(u, pi, ENGINE_BUY, ENGINE_T_MARKET, "10000", NULL);
	px_must_place(px, &r, NULL, NULL);
	struct px_fut_position p = pos_of(px, u, pi);
	assert_true(p.has_liq);
	assert_true(dec_lt(p.liq_price, D("60000")) && dec_gt(p.liq_price, D("50000")));
	px_mkt_limit(px, pi, ENGINE_BUY, "20000", "50000");
	set_mark(px, pi, nudge(pi, p.liq_price, 1));
	assert_int_equal(liquidation_run(px, NULL, NULL), 0);
	set_mark(px, pi, p.liq_price);
	assert_int_equal(liquidation_run(px, NULL, NULL), 1);
	assert_int_equal(px_fut_position(px, u, pi, &p), -1);
	px_free(px);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(isolated_long), cmocka_unit_test(isolated_short),
	        cmocka_unit_test(cross_long),    cmocka_unit_test(partial_then_rest),
	        cmocka_unit_test(inverse_long),  cmocka_unit_test(cross_account_only),
	};
	return kt_run_tests(tests);
}
