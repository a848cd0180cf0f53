/* test_px_misc: transfers between Spot and Futures move exactly the amount on both
 * sides (or nothing), the dead man's switch cancels at its deadline, client order
 * ids are unique among open orders, scheduled starts wait, events arrive in order,
 * market data (trades, OHLC, ticker) follows the trades, and the state file round
 * trip restores everything, resting orders keeping their queue priority. */
#include <stdlib.h>
#include <unistd.h>

#include "paper/persist.h"
#include "tests/unit/test_px_util.h"

static void xfer(void **state)
{
	(void)state;
	struct px *px = px_test_new();
	uint32_t u = px_test_user(px, "100000", NULL);
	char ref[PX_ID_MAX];
	struct kerr e = KERR_INIT;
	assert_int_equal(px_transfer_to_futures(px, u, PX_A_USD, D("2500.5"), ref, &e), 0);
	assert_dec(px_bal(px, u, PX_A_USD).balance, "97499.5");
	struct px_fut_accounts fa;
	px_fut_accounts(px, u, &fa, NULL);
	assert_dec(fa.flex.cur[0].quantity, "2500.5");
	struct px_filter f = px_filter_all(PX_SPOT);
	assert_int_equal(px_ledgers(px, u, &f, NULL, NULL), 2); /* deposit, transfer */

	/* too much: refused, nothing moved */
	assert_int_equal(px_transfer_to_futures(px, u, PX_A_USD, D("1000000"), ref, &e), -1);
	assert_int_equal(e.code, ENGINE_R_INSUFFICIENT_FUNDS);
	assert_int_equal(px_transfer_to_futures(px, u, PX_A_USD, D("0.00001"), ref, &e), -1);
	assert_int_equal(e.code, PX_E_AMOUNT);
	assert_dec(px_bal(px, u, PX_A_USD).balance, "97499.5");

	char uid[PX_ID_MAX];
	assert_int_equal(px_fut_withdrawal(px, u, PX_A_USD, D("500.5"), PX_W_FLEX, uid, &e), 0);
	assert_int_equal(strlen(uid), 36);
	assert_dec(px_bal(px, u, PX_A_USD).balance, "98000");
	px_fut_accounts(px, u, &fa, NULL);
	assert_dec(fa.flex.cur[0].quantity, "2000");
	assert_int_equal(px_fut_withdrawal(px, u, PX_A_USD, D("2000.0001"), PX_W_FLEX, uid, &e), -1);
	assert_int_equal(e.code, ENGINE_R_INSUFFICIENT_FUNDS);
	assert_int_equal(px_fut_transfer(px, u, PX_W_FLEX, PX_W_CASH, PX_A_USD, D("1000"), uid, &e), 0);
	px_fut_accounts(px, u, &fa, NULL);
	assert_dec(fa.flex.cur[0].quantity, "1000");
	assert_dec(fa.cash[PX_A_USD], "1000");
	assert_int_equal(px_fut_withdrawal(px, u, PX_A_USD, D("1000.5"), PX_W_CASH, uid, &e), -1);
	assert_int_equal(px_fut_withdrawal(px, u, PX_A_USD, D("1000"), PX_W_CASH, uid, &e), 0);
	assert_dec(px_bal(px, u, PX_A_USD).balance, "99000");
	assert_int_equal(px_fut_transfer(px, u, PX_W_FLEX, PX_W_INVERSE, PX_A_USD, D("1"), uid, &e),
			 -1);
	assert_int_equal(e.code, PX_E_ASSET);
	/* account log: transfer in, transfer out, flex->cash (2 entries), cash out */
	struct px_filter af = px_filter_all(PX_FUTURES);
	assert_int_equal(px_alogs(px, u, &af, NULL, NULL), 5);
	/* ledger subtypes */
	struct px_filter lf = px_filter_all(PX_SPOT);
	lf.type_mask = 1u << PX_L_TRANSFER;
	assert_int_equal(px_ledgers(px, u, &lf, NULL, NULL), 3);
	px_free(px);
}

static void dead_man(void **state)
{
	(void)state;
	struct px *px = px_test_new();
	uint32_t u = px_test_user(px, "100000", "10000");
	const struct px_instr *btc = I(px, "BTC/USD"), *pf = I(px, "PF_XBTUSD");
	char a[PX_ID_MAX], b[PX_ID_MAX];
	struct px_place r = px_req(u, btc, ENGINE_BUY, ENGINE_T_LIMIT, "0.1", "50000");
	px_must_place(px, &r, a, NULL);
	r = px_req(u, pf, ENGINE_BUY, ENGINE_T_LIMIT, "0.1", "50000");
	px_must_place(px, &r, b, NULL);
	int64_t trig;
	assert_int_equal(px_cancel_after(px, u, PX_SPOT, 60, &trig, NULL), 0);
	assert_int_equal(trig, T0 + 60 * SEC);
	assert_int_equal(px_next_due(px), T0 + 60 * SEC);
	px_tick(px, T0 + 59 * SEC);
	assert_true(px_order_is_open(px_order_find(px, u, a)));
	px_tick(px, T0 + 60 * SEC);
	const struct px_order *o = px_order_find(px, u, a);
	assert_false(px_order_is_open(o));
	assert_int_equal(o->reason, ENGINE_R_DEAD_MAN);
	assert_true(px_order_is_open(px_order_find(px, u, b))); /* futures untouched */
	assert_dec(px_bal(px, u, PX_A_USD).hold_trade, "0");
	/* switched off: nothing fires */
	assert_int_equal(px_cancel_after(px, u, PX_FUTURES, 10, &trig, NULL), 0);
	assert_int_equal(px_cancel_after(px, u, PX_FUTURES, 0, &trig, NULL), 0);
	assert_int_equal(trig, 0);
	px_tick(px, T0 + 100 * SEC);
	assert_true(px_order_is_open(px_order_find(px, u, b)));
	assert_int_equal(px_cancel_after(px, u, PX_SPOT, 86400, &trig, NULL), -1);
	px_free(px);
}

static void client_ids(void **state)
{
	(void)state;
	struct px *px = px_test_new();
	uint32_t u = px_test_user(px, "100000", "10000");
	const struct px_instr *btc = I(px, "BTC/USD"), *pf = I(px, "PF_XBTUSD");
	struct px_place r = px_req(u, btc, ENGINE_BUY, ENGINE_T_LIMIT, "0.1", "50000");
	r.cl_ord_id = "my-order-1";
	char a[PX_ID_MAX];
	px_must_place(px, &r, a, NULL);
	struct px_result res;
	struct kerr e = KERR_INIT;
	assert_int_equal(px_place(px, &r, &res, &e), -1);
	assert_int_equal(e.code, PX_E_DUP_CLIENT_ID);
	const struct px_order *o = px_order_find_cl(px, u, PX_SPOT, "my-order-1");
	assert_non_null(o);
	assert_string_equal(o->id, a);
	/* the same id is free on the other product, and again once the order is closed */
	struct px_place fr = px_req(u, pf, ENGINE_BUY, ENGINE_T_LIMIT, "0.1", "50000");
	fr.cl_ord_id = "my-order-1";
	px_must_place(px, &fr, NULL, NULL);
	assert_int_equal(px_cancel_cl(px, u, PX_SPOT, "my-order-1", &e), 0);
	assert_int_equal(px_cancel_cl(px, u, PX_SPOT, "my-order-1", &e), -1);
	assert_int_equal(e.code, PX_E_ORDER_CLOSED);
	px_must_place(px, &r, NULL, NULL);
	r.cl_ord_id = "this-is-nineteen-ch";
	assert_int_equal(px_place(px, &r, &res, &e), -1);
	assert_int_equal(e.code, PX_E_BAD_CLIENT_ID);
	r.cl_ord_id = "0123456789abcdef0123456789ABCDEF"; /* 32 hex digits */
	px_must_place(px, &r, NULL, NULL);
	char longid[120];
	memset(longid, 'x', 101);
	longid[101] = '\0';
	fr.cl_ord_id = longid;
	assert_int_equal(px_place(px, &fr, &res, &e), -1);
	assert_int_equal(e.code, PX_E_CLIENT_ID_LONG);
	assert_int_equal(px_cancel(px, u, "OAAAAA-AAAAA-AAAAAA", &e), -1);
	assert_int_equal(e.code, PX_E_UNKNOWN_ORDER);
	/* userref cancels several */
	struct px_place q = px_req(u, btc, ENGINE_BUY, ENGINE_T_LIMIT, "0.001", "40000");
	q.userref = 99;
	px_must_place(px, &q, NULL, NULL);
	px_must_place(px, &q, NULL, NULL);
	assert_int_equal(px_cancel_userref(px, u, 99, NULL, NULL), 2);
	assert_int_equal(px_cancel_userref(px, u, 99, NULL, NULL), 0);
	px_free(px);
}

struct evlog {
	char s[2048];
};

static void on_ev(void *ctx, const struct px_event *ev)
{
	struct evlog *l = ctx;
	char b[64] = "";
	switch (ev->kind) {
	case PX_EV_ORDER:
		snprintf(b, sizeof b, "O:%s ", px_exec_str(ev->order.exec));
		break;
	case PX_EV_FILL:
		snprintf(b, sizeof b, "F ");
		break;
	case PX_EV_TRADE:
		snprintf(b, sizeof b, "T ");
		break;
	case PX_EV_BOOK_DONE:
		snprintf(b, sizeof b, "BD ");
		break;
	case PX_EV_TICKER:
		snprintf(b, sizeof b, "K ");
		break;
	default:
		break;
	}
	if (ev->kind == PX_EV_ORDER && ev->account == PX_MARKET)
		return;
	if (ev->kind == PX_EV_FILL && ev->account == PX_MARKET)
		return;
	strncat(l->s, b, sizeof l->s - strlen(l->s) - 1);
}

static void take_candle(void *arg, const struct px_candle *c)
{
	*(struct px_candle *)arg = *c;
}

/* Events of a user's limit buy filled by the market in two steps; scheduled start. */
static void events_and_market_data(void **state)
{
	(void)state;
	struct px *px = px_test_new();
	uint32_t u = px_test_user(px, "100000", NULL);
	const struct px_instr *btc = I(px, "BTC/USD");
	struct evlog log = {{0}};
	int h = px_listen(px, on_ev, &log);
	struct px_place r = px_req(u, btc, ENGINE_BUY, ENGINE_T_LIMIT, "1", "60000");
	char id[PX_ID_MAX];
	px_must_place(px, &r, id, NULL);
	px_tick(px, T0 + 61 * SEC);
	px_mkt_limit(px, btc, ENGINE_SELL, "0.4", "60000");
	px_mkt_limit(px, btc, ENGINE_SELL, "0.6", "60000");
	assert_string_equal(log.s, "O:pending_new O:new BD "
				   "T F O:trade BD K "
				   "T F O:filled BD K ");
	px_unlisten(px, h);
	struct px_ticker t;
	px_ticker(px, btc, &t);
	assert_dec(t.last, "60000");
	assert_dec(t.vol_24h, "1");
	assert_int_equal(t.trades_24h, 2);
	assert_dec(t.vwap_24h, "60000");
	assert_false(t.has_bid);
	struct px_candle c;
	assert_int_equal(px_ohlc(px, btc, 1, 0, take_candle, &c), 1);
	assert_dec(c.open, "60000");
	assert_dec(c.volume, "1");
	assert_int_equal(c.count, 2);
	assert_int_equal(c.begin_ns, (T0 + 61 * SEC) / (60 * SEC) * (60 * SEC));
	assert_int_equal(px_ohlc(px, btc, 7, 0, take_candle, &c), -1);

	/* a scheduled order holds now and enters the book at its start time */
	struct px_place s = px_req(u, btc, ENGINE_SELL, ENGINE_T_LIMIT, "0.5", "61000");
	s.start_ns = T0 + 120 * SEC;
	px_must_place(px, &s, id, NULL);
	const struct px_order *o = px_order_find(px, u, id);
	assert_true(o->scheduled);
	assert_dec(px_bal(px, u, PX_A_XBT).hold_trade, "0.5");
	assert_int_equal(px_best(px, btc, ENGINE_SELL, &(struct px_level){0}), -1);
	px_tick(px, T0 + 121 * SEC);
	assert_false(o->scheduled);
	struct px_level lv;
	assert_int_equal(px_best(px, btc, ENGINE_SELL, &lv), 0);
	assert_dec(lv.price, "61000");
	px_free(px);
}

struct ids {
	char v[8][PX_ID_MAX];
	int n;
};

static void take_id(void *arg, const struct px_order *o)
{
	struct ids *x = arg;
	if (x->n < 8)
		snprintf(x->v[x->n++], PX_ID_MAX, "%s", o->id);
}

/* Conditional close, amend in place, EditOrder and a stop-loss that fires. */
static void order_kinds(void **state)
{
	(void)state;
	struct px *px = px_test_new();
	uint32_t u = px_test_user(px, "100000", NULL), v = px_test_user(px, "100000", NULL);
	const struct px_instr *btc = I(px, "BTC/USD");
	/* buy 0.1 @ 60000 with a close at 61000: filled, the close rests for 0.1 */
	struct px_place r = px_req(u, btc, ENGINE_BUY, ENGINE_T_LIMIT, "0.1", "60000");
	r.close.type = ENGINE_T_LIMIT;
	r.close.price = px_price_abs(D("61000"));
	char parent[PX_ID_MAX];
	px_must_place(px, &r, parent, NULL);
	px_mkt_limit(px, btc, ENGINE_SELL, "0.1", "60000");
	struct ids open = {.n = 0};
	struct px_filter f = px_filter_all(PX_SPOT);
	assert_int_equal(px_open_orders(px, u, &f, take_id, &open), 1);
	const struct px_order *c = px_order_find(px, u, open.v[0]);
	assert_string_equal(c->parent_id, parent);
	assert_int_equal(c->side, ENGINE_SELL);
	assert_dec(c->qty, "0.1");
	assert_dec(c->price, "61000");
	assert_dec(px_bal(px, u, PX_A_XBT).hold_trade, "0.1");

	/* amend in place: same id, smaller quantity, hold follows */
	struct px_amend am;
	memset(&am, 0, sizeof am);
	am.account = u;
	am.product = PX_SPOT;
	am.id = c->id;
	am.fields = ENGINE_AM_QTY;
	am.qty = D("0.05");
	struct px_result res;
	struct kerr e = KERR_INIT;
	assert_int_equal(px_amend(px, &am, &res, &e), 0);
	assert_string_equal(res.id, c->id);
	assert_true(res.amend_id[0] == 'T');
	assert_dec(c->qty, "0.05");
	assert_true(c->amended);
	assert_int_equal(c->namends, 2);
	assert_dec(px_bal(px, u, PX_A_XBT).hold_trade, "0.05");

	/* EditOrder: a new id replaces the old one */
	struct px_place b = px_req(u, btc, ENGINE_BUY, ENGINE_T_LIMIT, "0.1", "59000");
	char old[PX_ID_MAX];
	px_must_place(px, &b, old, NULL);
	memset(&am, 0, sizeof am);
	am.account = u;
	am.product = PX_SPOT;
	am.id = old;
	am.fields = ENGINE_AM_PRICE;
	am.price = px_price_abs(D("59500"));
	assert_int_equal(px_edit(px, &am, &res, &e), 0);
	assert_string_equal(res.orig_id, old);
	assert_string_not_equal(res.id, old);
	const struct px_order *oo = px_order_find(px, u, old);
	assert_int_equal(oo->reason, ENGINE_R_EDITED);
	const struct px_order *no = px_order_find(px, u, res.id);
	assert_dec(no->price, "59500");
	assert_string_equal(no->parent_id, old);
	assert_dec(px_bal(px, u, PX_A_USD).hold_trade, "5973.8"); /* 0.1 * 59500 * 1.004 */

	/* stop-loss sell 0.05 at 59000 fires when v trades at 58900 and sells into 58800 */
	struct px_place sl = px_req(u, btc, ENGINE_SELL, ENGINE_T_STOP_LOSS, "0.05", NULL);
	sl.trigger = px_price_abs(D("59000"));
	char sid[PX_ID_MAX];
	px_must_place(px, &sl, sid, NULL);
	assert_int_equal(px_order_find(px, u, sid)->status, ENGINE_S_PENDING);
	assert_int_equal(px_cancel(px, u, res.id, &e), 0); /* keep the book simple */
	px_mkt_limit(px, btc, ENGINE_BUY, "0.05", "58800");
	px_mkt_limit(px, btc, ENGINE_SELL, "0.01", "58900");
	struct px_place vb = px_req(v, btc, ENGINE_BUY, ENGINE_T_MARKET, "0.01", NULL);
	px_must_place(px, &vb, NULL, NULL);
	const struct px_order *so = px_order_find(px, u, sid);
	assert_true(so->triggered);
	assert_int_equal(so->status, ENGINE_S_FILLED);
	assert_dec(so->avg_price, "58800");
	assert_dec(px_bal(px, u, PX_A_XBT).balance, "0.05");
	px_free(px);
}

/* Save, load, compare; then a market sell must fill the user's earlier order first. */
static void persistence(void **state)
{
	(void)state;
	char dir[] = "/tmp/kt-pxstate-XXXXXX";
	assert_non_null(mkdtemp(dir));
	char path[128];
	snprintf(path, sizeof path, "%s/sub/state.json", dir);
	struct px *px = px_test_new();
	uint32_t u = px_test_user(px, "100000", "10000");
	const struct px_instr *btc = I(px, "BTC/USD"), *pf = I(px, "PF_XBTUSD");
	char first[PX_ID_MAX], part[PX_ID_MAX];
	/* a partly filled user order, then the user's and the market's bids at 59000 */
	struct px_place r = px_req(u, btc, ENGINE_BUY, ENGINE_T_LIMIT, "1", "58000");
	r.cl_ord_id = "keep-me";
	px_must_place(px, &r, part, NULL);
	px_mkt_limit(px, btc, ENGINE_SELL, "0.25", "58000");
	r = px_req(u, btc, ENGINE_BUY, ENGINE_T_LIMIT, "0.3", "59000");
	px_must_place(px, &r, first, NULL);
	px_mkt_limit(px, btc, ENGINE_BUY, "0.5", "59000");
	/* margin and futures positions, a closed order, a preference */
	px_mkt_limit(px, pf, ENGINE_SELL, "1", "60000");
	struct px_place fr = px_req(u, pf, ENGINE_BUY, ENGINE_T_MARKET, "0.2", NULL);
	px_must_place(px, &fr, NULL, NULL);
	dec_t lev = D("5");
	px_fut_leverage_set(px, u, I(px, "PF_ETHUSD"), &lev, NULL);
	px_cancel_after(px, u, PX_SPOT, 600, NULL, NULL);

	struct kerr e = KERR_INIT;
	if (persist_save(px, path, &e) < 0)
		fail_msg("save: %s", e.msg);
	struct px_balance b0 = px_bal(px, u, PX_A_USD), x0 = px_bal(px, u, PX_A_XBT);
	struct px_fut_position p0;
	px_fut_position(px, u, pf, &p0);
	struct px_filter all = px_filter_all(-1);
	size_t nfills = px_fills(px, u, &all, NULL, NULL);
	size_t nled = px_ledgers(px, u, &all, NULL, NULL);
	size_t nal = px_alogs(px, u, &all, NULL, NULL);
	struct ids open0 = {.n = 0};
	px_open_orders(px, u, &all, take_id, &open0);
	struct px_keys k0 = *px_account_keys(px, u);
	px_free(px);

	struct px_opts o;
	memset(&o, 0, sizeof o);
	o.now_ns = T0 + 10 * SEC;
	struct px *px2 = NULL;
	assert_int_equal(persist_load(path, &o, &px2, &e), 0);
	assert_non_null(px2);
	struct px_balance b1 = px_bal(px2, u, PX_A_USD), x1 = px_bal(px2, u, PX_A_XBT);
	assert_true(dec_eq(b0.balance, b1.balance) && dec_eq(b0.hold_trade, b1.hold_trade));
	assert_true(dec_eq(x0.balance, x1.balance));
	struct px_fut_position p1;
	assert_int_equal(px_fut_position(px2, u, I(px2, "PF_XBTUSD"), &p1), 0);
	assert_true(dec_eq(p0.size, p1.size) && dec_eq(p0.entry_price, p1.entry_price));
	assert_int_equal(px_fills(px2, u, &all, NULL, NULL), nfills);
	assert_int_equal(px_ledgers(px2, u, &all, NULL, NULL), nled);
	assert_int_equal(px_alogs(px2, u, &all, NULL, NULL), nal);
	struct ids open1 = {.n = 0};
	px_open_orders(px2, u, &all, take_id, &open1);
	assert_int_equal(open0.n, open1.n);
	for (int i = 0; i < open0.n; i++)
		assert_string_equal(open0.v[i], open1.v[i]);
	assert_string_equal(px_account_keys(px2, u)->spot_secret, k0.spot_secret);
	assert_true(px_fut_leverage_get(px2, u, I(px2, "PF_ETHUSD"), NULL));
	const struct px_order *po = px_order_find_cl(px2, u, PX_SPOT, "keep-me");
	assert_non_null(po);
	assert_string_equal(po->id, part);
	assert_dec(po->filled, "0.25");
	assert_int_equal(po->status, ENGINE_S_PARTIAL);
	assert_int_equal(px_next_due(px2), T0 + 600 * SEC);

	/* queue priority: the user's 59000 bid was first, so it fills first */
	px_mkt_limit(px2, I(px2, "BTC/USD"), ENGINE_SELL, "0.3", "59000");
	const struct px_order *fo = px_order_find(px2, u, first);
	assert_int_equal(fo->status, ENGINE_S_FILLED);
	/* the partly filled one keeps counting from 0.25 */
	assert_int_equal(px_cancel_all(px2, PX_MARKET, PX_SPOT, NULL, 0, NULL, NULL), 1);
	px_mkt_limit(px2, I(px2, "BTC/USD"), ENGINE_SELL, "0.75", "58000");
	po = px_order_find(px2, u, part);
	assert_int_equal(po->status, ENGINE_S_FILLED);
	assert_dec(po->filled, "1");
	assert_dec(po->avg_price, "58000");
	px_free(px2);

	/* a damaged file is refused, a missing one is "fresh start" */
	FILE *f = fopen(path, "w");
	fputs("{\"format\":\"nope\"}", f);
	fclose(f);
	assert_int_equal(persist_load(path, &o, &px2, &e), -1);
	unlink(path);
	assert_int_equal(persist_load(path, &o, &px2, &e), 1);
	char sub[160];
	snprintf(sub, sizeof sub, "%s/sub", dir);
	rmdir(sub);
	rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(xfer),
		cmocka_unit_test(dead_man),
		cmocka_unit_test(client_ids),
		cmocka_unit_test(events_and_market_data),
		cmocka_unit_test(order_kinds),
		cmocka_unit_test(persistence),
	};
	return kt_run_tests(tests);
}
