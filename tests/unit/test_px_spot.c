/* test_px_spot: the px hub's Spot side settles money exactly: holds taken when an
 * order is placed and released when it ends, fills moving balances with maker and
 * taker fees to the last unit, ledger entries, post-only refusals, market buys
 * walking the book (average price and fees), volume in quote currency, and spot
 * margin positions with their realized PnL. Fees: maker 0.25%, taker 0.40%. */
#include <stdlib.h>

#include "tests/unit/test_px_util.h"

struct ledgers {
	struct px_ledger v[16];
	size_t n;
};

static void take_ledger(void *arg, const struct px_ledger *l)
{
	struct ledgers *ls = arg;
	if (ls->n < 16)
		ls->v[ls->n++] = *l;
}

/* Resting buy limit 1 BTC @ 59000: holds 59000 + 0.40% = 59236. The market sells
 * 0.4 into it: the user is maker, cost 23600, fee 0.25% = 59. */
static void spot_limit_life(void **state)
{
	(void)state;
	struct px *px = px_test_new();
	uint32_t u = px_test_user(px, "100000", NULL);
	const struct px_instr *btc = I(px, "XBTUSD");
	char id[PX_ID_MAX];
	struct px_place r = px_req(u, btc, ENGINE_BUY, ENGINE_T_LIMIT, "1", "59000");
	r.userref = 7;
	px_must_place(px, &r, id, NULL);
	assert_int_equal(strlen(id), 19); /* OXXXXX-XXXXX-XXXXXX */
	assert_int_equal(id[0], 'O');
	assert_int_equal(id[6], '-');
	assert_int_equal(id[12], '-');
	struct px_balance b = px_bal(px, u, PX_A_USD);
	assert_dec(b.balance, "100000");
	assert_dec(b.hold_trade, "59236");
	assert_dec(b.available, "40764");

	struct px_place s = px_req(PX_MARKET, btc, ENGINE_SELL, ENGINE_T_LIMIT, "0.4", "59000");
	px_must_place(px, &s, NULL, NULL);
	b = px_bal(px, u, PX_A_USD);
	assert_dec(b.balance, "76341");      /* 100000 - 23600 - 59 */
	assert_dec(b.hold_trade, "35541.6"); /* 0.6 * 59000 * 1.004 */
	assert_dec(px_bal(px, u, PX_A_XBT).balance, "0.4");

	const struct px_order *o = px_order_find(px, u, id);
	assert_non_null(o);
	assert_int_equal(o->status, ENGINE_S_PARTIAL);
	assert_dec(o->filled, "0.4");
	assert_dec(o->cost, "23600");
	assert_dec(o->fee, "59");
	assert_dec(o->avg_price, "59000");

	struct px_filter f = px_filter_all(PX_SPOT);
	struct ledgers ls = {.n = 0};
	f.ascending = true;
	assert_int_equal(px_ledgers(px, u, &f, take_ledger, &ls), 3);
	assert_int_equal(ls.v[0].type, PX_L_DEPOSIT);
	assert_int_equal(ls.v[1].type, PX_L_TRADE);
	assert_int_equal(ls.v[1].asset, PX_A_USD);
	assert_dec(ls.v[1].amount, "-23600");
	assert_dec(ls.v[1].fee, "59");
	assert_dec(ls.v[1].balance, "76341");
	assert_int_equal(ls.v[2].asset, PX_A_XBT);
	assert_dec(ls.v[2].amount, "0.4");
	assert_dec(ls.v[2].balance, "0.4");
	assert_string_equal(ls.v[1].refid, ls.v[2].refid);

	const struct px_fill *fl = px_fill_find(px, u, ls.v[1].refid);
	assert_non_null(fl);
	assert_true(fl->maker);
	assert_dec(fl->price, "59000");
	assert_dec(fl->qty, "0.4");
	assert_dec(fl->cost, "23600");
	assert_dec(fl->fee, "59");
	assert_string_equal(fl->order_id, id);

	struct kerr e = KERR_INIT;
	assert_int_equal(px_cancel(px, u, id, &e), 0);
	b = px_bal(px, u, PX_A_USD);
	assert_dec(b.hold_trade, "0");
	assert_dec(b.available, "76341");
	o = px_order_find(px, u, id);
	assert_int_equal(o->status, ENGINE_S_CANCELLED);
	assert_int_equal(o->reason, ENGINE_R_USER_CANCEL);
	assert_int_equal(px_cancel(px, u, id, &e), -1);
	assert_int_equal(e.code, PX_E_ORDER_CLOSED);
	f = px_filter_all(PX_SPOT);
	assert_int_equal(px_closed_orders(px, u, &f, NULL, NULL), 1);
	assert_int_equal(px_open_orders(px, u, &f, NULL, NULL), 0);
	px_free(px);
}

/* A post-only buy at the best ask is cancelled (reason post-only) and holds nothing. */
static void spot_post_only(void **state)
{
	(void)state;
	struct px *px = px_test_new();
	uint32_t u = px_test_user(px, "100000", NULL);
	const struct px_instr *btc = I(px, "BTC/USD");
	px_mkt_limit(px, btc, ENGINE_SELL, "1", "60000");
	struct px_place r = px_req(u, btc, ENGINE_BUY, ENGINE_T_LIMIT, "0.1", "60000");
	r.eflags = ENGINE_F_POST_ONLY;
	struct px_result res;
	px_must_place(px, &r, NULL, &res);
	assert_int_equal(res.status, ENGINE_S_CANCELLED);
	assert_int_equal(res.reason, ENGINE_R_POST_ONLY);
	assert_dec(px_bal(px, u, PX_A_USD).hold_trade, "0");
	assert_dec(px_bal(px, u, PX_A_USD).balance, "100000");
	/* validation never reaches the book */
	struct px_place bad = px_req(u, btc, ENGINE_BUY, ENGINE_T_LIMIT, "0.1", "60000.05");
	struct kerr e = KERR_INIT;
	assert_int_equal(px_place(px, &bad, &res, &e), -1);
	assert_int_equal(e.code, PX_E_PRICE);
	bad = px_req(u, btc, ENGINE_BUY, ENGINE_T_LIMIT, "0.00001", "60000");
	assert_int_equal(px_place(px, &bad, &res, &e), -1);
	assert_int_equal(e.code, PX_E_ORDER_MIN);
	bad = px_req(u, btc, ENGINE_BUY, ENGINE_T_LIMIT, "0.000000001", "60000");
	assert_int_equal(px_place(px, &bad, &res, &e), -1);
	assert_int_equal(e.code, PX_E_LOT);
	bad = px_req(u, btc, ENGINE_BUY, ENGINE_T_LIMIT, "2", "60000");
	assert_int_equal(px_place(px, &bad, &res, &e), -1);
	assert_int_equal(e.code, ENGINE_R_INSUFFICIENT_FUNDS);
	px_free(px);
}

/* Market buy 0.45 over asks 0.1@60000, 0.2@60010, 0.3@60020: cost 6000 + 12002 + 9003 =
 * 27005, average 60011.11111, taker fees 24 + 48.008 + 36.012 = 108.02. */
static void spot_market_walk(void **state)
{
	(void)state;
	struct px *px = px_test_new();
	uint32_t u = px_test_user(px, "100000", NULL);
	const struct px_instr *btc = I(px, "XXBTZUSD");
	px_mkt_limit(px, btc, ENGINE_SELL, "0.1", "60000");
	px_mkt_limit(px, btc, ENGINE_SELL, "0.2", "60010");
	px_mkt_limit(px, btc, ENGINE_SELL, "0.3", "60020");
	struct px_place r = px_req(u, btc, ENGINE_BUY, ENGINE_T_MARKET, "0.45", NULL);
	struct px_result res;
	px_must_place(px, &r, NULL, &res);
	assert_int_equal(res.status, ENGINE_S_FILLED);
	assert_dec(res.filled, "0.45");
	assert_dec(res.order->cost, "27005");
	assert_dec(res.order->fee, "108.02");
	assert_dec(res.order->avg_price, "60011.11111");
	struct px_balance b = px_bal(px, u, PX_A_USD);
	assert_dec(b.balance, "72886.98");
	assert_dec(b.hold_trade, "0");
	assert_dec(px_bal(px, u, PX_A_XBT).balance, "0.45");
	struct px_level lv;
	assert_int_equal(px_best(px, btc, ENGINE_SELL, &lv), 0);
	assert_dec(lv.price, "60020");
	assert_dec(lv.qty, "0.15");
	struct px_trade t;
	assert_int_equal(px_last_trade(px, btc, &t), 0);
	assert_dec(t.price, "60020");
	assert_int_equal(t.id, 3);
	px_free(px);
}

/* viqc: 10000 USD buys 0.1 @ 60000 (6000) and 4000 / 60010 = 0.06665555 (rounded down
 * to the lot) @ 60010, so 0.16665555 BTC for 9999.9996 USD. */
static void spot_viqc(void **state)
{
	(void)state;
	struct px *px = px_test_new();
	uint32_t u = px_test_user(px, "100000", NULL);
	const struct px_instr *btc = I(px, "BTC/USD");
	px_mkt_limit(px, btc, ENGINE_SELL, "0.1", "60000");
	px_mkt_limit(px, btc, ENGINE_SELL, "0.2", "60010");
	struct px_place r = px_req(u, btc, ENGINE_BUY, ENGINE_T_MARKET, "10000", NULL);
	r.oflags = PX_O_VIQC;
	struct px_result res;
	px_must_place(px, &r, NULL, &res);
	assert_int_equal(res.status, ENGINE_S_FILLED);
	assert_dec(res.order->qty, "0.16665555");
	assert_dec(res.order->qty_quote, "10000");
	assert_dec(res.order->cost, "9999.9996");
	assert_dec(px_bal(px, u, PX_A_XBT).balance, "0.16665555");
	/* fees 24 + 15.9999984 -> 16.0000: 100000 - 9999.9996 - 40 */
	assert_dec(px_bal(px, u, PX_A_USD).balance, "89960.0004");
	struct kerr e = KERR_INIT;
	r.side = ENGINE_SELL;
	assert_int_equal(px_place(px, &r, &res, &e), -1);
	assert_int_equal(e.code, PX_E_INVALID);
	px_free(px);
}

struct margin_list {
	struct px_margin_pos p;
	int n;
};

static void take_pos(void *arg, const struct px_margin_pos *p)
{
	struct margin_list *m = arg;
	m->p = *p;
	m->n++;
}

/* Leveraged buy 0.5 @ 60000 x5: margin 6000 held, fee 120 paid, no BTC moves. Closing
 * sell 0.5 @ 61000 x5: PnL +500, fee 122, margin released: 100000 - 120 + 500 - 122. */
static void spot_margin(void **state)
{
	(void)state;
	struct px *px = px_test_new();
	uint32_t u = px_test_user(px, "100000", NULL);
	const struct px_instr *btc = I(px, "BTC/USD");
	struct kerr e = KERR_INIT;
	struct px_result res;
	struct px_place ro = px_req(u, btc, ENGINE_SELL, ENGINE_T_MARKET, "0.5", NULL);
	ro.leverage = 5;
	ro.eflags = ENGINE_F_REDUCE_ONLY;
	px_mkt_limit(px, btc, ENGINE_BUY, "1", "59000");
	assert_int_equal(px_place(px, &ro, &res, &e), -1);
	assert_int_equal(e.code, ENGINE_R_WOULD_NOT_REDUCE);
	struct px_place bad = px_req(u, btc, ENGINE_BUY, ENGINE_T_LIMIT, "0.5", "60000");
	bad.leverage = 7;
	assert_int_equal(px_place(px, &bad, &res, &e), -1);
	assert_int_equal(e.code, PX_E_LEVERAGE);

	px_mkt_limit(px, btc, ENGINE_SELL, "1", "60000");
	struct px_place r = px_req(u, btc, ENGINE_BUY, ENGINE_T_MARKET, "0.5", NULL);
	r.leverage = 5;
	char oid[PX_ID_MAX];
	px_must_place(px, &r, oid, &res);
	assert_int_equal(res.status, ENGINE_S_FILLED);
	struct px_balance b = px_bal(px, u, PX_A_USD);
	assert_dec(b.balance, "99880");
	assert_dec(b.hold_trade, "6000");
	assert_dec(px_bal(px, u, PX_A_XBT).balance, "0");

	struct margin_list ml = {.n = 0};
	px_margin_positions(px, u, take_pos, &ml);
	assert_int_equal(ml.n, 1);
	assert_string_equal(ml.p.ordertxid, oid);
	assert_int_equal(ml.p.side, ENGINE_BUY);
	assert_dec(ml.p.vol, "0.5");
	assert_dec(ml.p.vol_closed, "0");
	assert_dec(ml.p.cost, "30000");
	assert_dec(ml.p.fee, "120");
	assert_dec(ml.p.margin, "6000");
	assert_int_equal(ml.p.leverage, 5);

	/* the market now bids 61000 (its old quotes gone): 30500 for the position, +500 */
	assert_int_equal(px_cancel_all(px, PX_MARKET, PX_SPOT, btc, 0, NULL, NULL), 2);
	px_mkt_limit(px, btc, ENGINE_BUY, "1", "61000");
	struct px_place c = px_req(u, btc, ENGINE_SELL, ENGINE_T_MARKET, "0.5", NULL);
	c.leverage = 5;
	px_must_place(px, &c, NULL, &res);
	assert_int_equal(res.status, ENGINE_S_FILLED);
	b = px_bal(px, u, PX_A_USD);
	assert_dec(b.balance, "100258");
	assert_dec(b.hold_trade, "0");
	ml.n = 0;
	px_margin_positions(px, u, take_pos, &ml);
	assert_int_equal(ml.n, 0);
	struct px_filter f = px_filter_all(PX_SPOT);
	struct ledgers ls = {.n = 0};
	px_ledgers(px, u, &f, take_ledger, &ls); /* newest first */
	assert_int_equal(ls.v[0].type, PX_L_MARGIN);
	assert_dec(ls.v[0].amount, "500");
	assert_dec(ls.v[0].fee, "122");
	assert_dec(ls.v[0].balance, "100258");
	assert_int_equal(ls.v[1].type, PX_L_MARGIN);
	assert_dec(ls.v[1].amount, "0");
	assert_dec(ls.v[1].fee, "120");
	px_free(px);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(spot_limit_life), cmocka_unit_test(spot_post_only),
		cmocka_unit_test(spot_market_walk), cmocka_unit_test(spot_viqc),
		cmocka_unit_test(spot_margin),
	};
	return kt_run_tests(tests);
}
