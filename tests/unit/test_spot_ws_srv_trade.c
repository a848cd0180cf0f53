/* test_spot_ws_srv_trade: trading over the paper exchange's Spot WS v2
 * adapter. Proves that orders are placed, amended, edited, filled and
 * cancelled over the private WebSocket with executions and balances flowing
 * back into the state (and each private channel's age tracked), and that
 * add_order's stp_type (cancel_newest, cancel_oldest, cancel_both) decides
 * which side of a self trade is cancelled, as the executions feed reports.
 * Fixture: spot_ws_srv_fx.h. */
#include <stdlib.h>
#include <string.h>

#include "base/jscan.h"
#include "base/xalloc.h"
#include "core/state.h"
#include "kraken/spot_ws.h"
#include "net/http_server.h"
#include "net/loop.h"
#include "net/ws_client.h"
#include "paper/paper.h"
#include "paper/spot_ws_srv.h"
#include "tests/fixtures/net/nettest.h"
#include "tests/unit/spot_ws_srv_fx.h"
#include "tests/unit/unit.h"

/* ---- private: trading over the WebSocket ---- */

struct res {
	int n;
	struct intent_result r;
	size_t nbatch;
	struct intent_result b[4];
};

static struct res *want_res;
static const char *want_order;
static enum order_status want_status;

static void on_res(void *arg, const struct intent_result *r)
{
	struct res *x = arg;
	x->r = *r;
	x->n++;
}

static void on_batch(void *arg, const struct intent_result *r, size_t n)
{
	struct res *x = arg;
	x->nbatch = n;
	memcpy(x->b, r, (n < 4 ? n : 4) * sizeof *r);
	x->n++;
}

static bool res_done(struct fx *fx)
{
	(void)fx;
	return want_res->n > 0;
}

static bool order_in(struct fx *fx)
{
	const struct order *o = state_order_get(&fx->st, want_order);
	return o && o->status == want_status;
}

static int token_calls;

static void get_token(void *ctx, spot_ws_token_done done, void *arg)
{
	struct fx *fx = ctx;
	token_calls++;
	done(arg, fx->token, NULL, false);
}

static void reconcile(void *ctx)
{
	struct fx *fx = ctx;
	fx->reconciles++;
}

static bool priv_ready(struct fx *fx)
{
	return spot_ws_priv_ready(fx->priv) && state_balance(&fx->st, "USD");
}

static void call(struct fx *fx, struct res *r)
{
	want_res = r;
	assert_true(wait_for(fx, res_done, 5000));
}

static void wait_order(struct fx *fx, const char *id, enum order_status st)
{
	want_order = id;
	want_status = st;
	assert_true(wait_for(fx, order_in, 5000));
}

static struct order_req limit(struct fx *fx, enum side side, const char *qty, const char *price,
                              const char *cl)
{
	struct order_req q = {.instr = btc_idx(&fx->st), .side = side, .type = OT_LIMIT};
	dec_parse(qty, (size_t)-1, &q.qty, NULL);
	dec_parse(price, (size_t)-1, &q.limit_price, NULL);
	snprintf(q.cl_id, sizeof q.cl_id, "%s", cl);
	return q;
}

static bool usd_spent(struct fx *fx)
{
	const struct balance *b = state_balance(&fx->st, "BTC");
	return b && dec_eq(b->total, dec_make(1000000, 8));
}

static void private_trading(void **state)
{
	struct fx *fx = *state;
	struct kerr err = KERR_INIT;
	int64_t exp;
	token_calls = 0;
	assert_int_equal(paper_token_issue(fx->paper, 1, fx->token, &exp), 0);
	struct wsconn_policy p = fast();
	struct spot_ws_priv_ops ops = {.get_token = get_token, .reconcile = reconcile};
	fx->priv = spot_ws_priv_new(fx->loop, &fx->st, fx->url_auth, &p, &ops, fx);
	/* precisions for the fills' exact comparison */
	fx->st.instr[btc_idx(&fx->st)].price_dp = 1;
	fx->st.instr[btc_idx(&fx->st)].qty_dp = 8;
	struct order_req q = limit(fx, SIDE_BUY, "0.01", "50000.0", "t-1");
	struct res r = {0};
	assert_int_equal(spot_ws_place(fx->priv, &q, NULL, on_res, &r, &err), -1); /* not ready */
	spot_ws_priv_start(fx->priv);
	assert_true(wait_for(fx, priv_ready, 10000));
	assert_int_equal(fx->st.feeds[FEED_SPOT_PRIVATE].state, FEED_UP);
	struct px_balance usd0;
	assert_int_equal(px_spot_balance(fx->paper->px, 1, PX_A_USD, &usd0), 0);
	assert_true(dec_eq(state_balance(&fx->st, "USD")->total, usd0.balance));

	/* place */
	assert_int_equal(spot_ws_place(fx->priv, &q, NULL, on_res, &r, &err), 0);
	call(fx, &r);
	assert_int_equal(r.r.status, INTENT_OK);
	assert_string_equal(r.r.ref, "t-1");
	char id[ORDER_ID_MAX];
	snprintf(id, sizeof id, "%s", r.r.order_id);
	assert_true(id[0] != '\0');
	wait_order(fx, id, OS_OPEN);
	const struct order *o = state_order_get(&fx->st, id);
	assert_string_equal(o->cl_id, "t-1");
	assert_true(dec_eq(o->limit_price, dec_make(500000, 1)));
	assert_true(dec_eq(o->qty, dec_make(1000000, 8)));
	/* the private channels' ages are tracked one by one */
	const struct feed_channel *ch = state_feed_channel(&fx->st, FEED_SPOT_PRIVATE, "executions");
	assert_non_null(ch);
	assert_true(ch->messages >= 2 && ch->last_msg_mono_ms > 0);
	assert_non_null(state_feed_channel(&fx->st, FEED_SPOT_PRIVATE, "balances"));
	assert_null(state_feed_channel(&fx->st, FEED_SPOT_PUBLIC, "executions"));

	/* amend in place */
	struct amend_req a = {.has_limit = true,
	                      .limit_price = dec_make(500010, 1),
	                      .has_qty = true,
	                      .qty = dec_make(2000000, 8)};
	snprintf(a.order_id, sizeof a.order_id, "%s", id);
	r = (struct res){0};
	assert_int_equal(spot_ws_amend(fx->priv, &a, on_res, &r, &err), 0);
	call(fx, &r);
	assert_int_equal(r.r.status, INTENT_OK);
	assert_true(r.r.ref[0] != '\0'); /* the amend id */
	want_order = id;
	want_status = OS_OPEN;
	assert_true(wait_for(fx, order_in, 5000));
	o = state_order_get(&fx->st, id);
	for (int k = 0; k < 100 && !dec_eq(o->limit_price, dec_make(500010, 1)); k++)
		nt_run(fx->loop, 5);
	assert_true(dec_eq(o->limit_price, dec_make(500010, 1)));
	assert_true(dec_eq(o->qty, dec_make(2000000, 8)));

	/* edit (cancel-replace) */
	a = (struct amend_req){.has_limit = true, .limit_price = dec_make(500020, 1)};
	snprintf(a.order_id, sizeof a.order_id, "%s", id);
	r = (struct res){0};
	assert_int_equal(spot_ws_edit(fx->priv, &a, on_res, &r, &err), 0);
	call(fx, &r);
	assert_int_equal(r.r.status, INTENT_OK);
	assert_string_equal(r.r.ref, id);
	snprintf(id, sizeof id, "%s", r.r.order_id);
	wait_order(fx, id, OS_OPEN);

	/* cancel */
	r = (struct res){0};
	assert_int_equal(spot_ws_cancel(fx->priv, id, on_res, &r, &err), 0);
	call(fx, &r);
	assert_int_equal(r.r.status, INTENT_OK);
	wait_order(fx, id, OS_CANCELLED);

	/* refused: Kraken's error text and plain English */
	q = limit(fx, SIDE_BUY, "100", "50000.0", "t-big");
	r = (struct res){0};
	assert_int_equal(spot_ws_place(fx->priv, &q, NULL, on_res, &r, &err), 0);
	call(fx, &r);
	assert_int_equal(r.r.status, INTENT_REJECTED);
	assert_string_equal(r.r.code, "EOrder:Insufficient funds");

	/* a fill against the market account's resting sell */
	struct px_place pl = {.account = PX_MARKET,
	                      .instr = fx->btc,
	                      .side = ENGINE_SELL,
	                      .type = ENGINE_T_LIMIT};
	pl.price = px_price_abs(dec_make(600100, 1));
	pl.qty = dec_make(1000000, 8);
	struct px_result pres;
	assert_int_equal(px_place(fx->paper->px, &pl, &pres, &err), 0);
	q = limit(fx, SIDE_BUY, "0.01", "60010.0", "t-2");
	r = (struct res){0};
	assert_int_equal(spot_ws_place(fx->priv, &q, NULL, on_res, &r, &err), 0);
	call(fx, &r);
	assert_int_equal(r.r.status, INTENT_OK);
	snprintf(id, sizeof id, "%s", r.r.order_id);
	wait_order(fx, id, OS_FILLED);
	const struct fill *f = state_fill_at(&fx->st, 0);
	assert_non_null(f);
	assert_string_equal(f->order_id, id);
	assert_true(dec_eq(f->price, dec_make(600100, 1)));
	assert_true(dec_eq(f->qty, dec_make(1000000, 8)));
	assert_false(f->maker);
	assert_true(wait_for(fx, usd_spent, 5000));
	assert_true(dec_lt(state_balance(&fx->st, "USD")->total, usd0.balance));

	/* batch_add, cancel_all, cancel_all_orders_after */
	struct order_req qs[2] = {limit(fx, SIDE_BUY, "0.001", "40000.0", "b-1"),
	                          limit(fx, SIDE_BUY, "0.001", "40001.0", "b-2")};
	r = (struct res){0};
	assert_int_equal(spot_ws_batch_add(fx->priv, qs, 2, NULL, on_batch, &r, &err), 0);
	call(fx, &r);
	assert_int_equal(r.nbatch, 2);
	assert_int_equal(r.b[0].status, INTENT_OK);
	assert_int_equal(r.b[1].status, INTENT_OK);
	assert_string_equal(r.b[1].ref, "b-2");
	wait_order(fx, r.b[1].order_id, OS_OPEN);
	r = (struct res){0};
	assert_int_equal(spot_ws_cancel_all(fx->priv, on_res, &r, &err), 0);
	call(fx, &r);
	assert_int_equal(r.r.status, INTENT_OK);
	assert_int_equal(r.r.count, 2);
	r = (struct res){0};
	assert_int_equal(spot_ws_cancel_after(fx->priv, 60, on_res, &r, &err), 0);
	call(fx, &r);
	assert_int_equal(r.r.status, INTENT_OK);
	assert_true(r.r.trigger_time_ms > 0);
	r = (struct res){0};
	assert_int_equal(spot_ws_cancel_after(fx->priv, 0, on_res, &r, &err), 0);
	call(fx, &r);
	assert_int_equal(r.r.trigger_time_ms, 0);

	/* a reconnect fetches a new token and asks the owner to reconcile */
	assert_int_equal(fx->reconciles, 0);
	assert_int_equal(token_calls, 1);
	wsconn_restart(spot_ws_priv_conn(fx->priv), "test");
	assert_false(spot_ws_priv_ready(fx->priv));
	assert_true(wait_for(fx, priv_ready, 10000));
	assert_int_equal(token_calls, 2);
	assert_int_equal(fx->reconciles, 1);
	assert_int_equal(spot_ws_priv_stats(fx->priv).errors, 0);
}

/* A resting limit order of account `acct` on BTC/USD; its id in `id`. */
static void px_limit(struct fx *fx, uint32_t acct, enum engine_side side, const char *price,
                     char id[PX_ID_MAX])
{
	struct px_place pl;
	memset(&pl, 0, sizeof pl);
	pl.account = acct;
	pl.instr = fx->btc;
	pl.side = side;
	pl.type = ENGINE_T_LIMIT;
	pl.tif = ENGINE_GTC;
	assert_int_equal(dec_parse("0.1", 3, &pl.qty, NULL), 0);
	dec_t p;
	assert_int_equal(dec_parse(price, strlen(price), &p, NULL), 0);
	pl.price = px_price_abs(p);
	struct px_result res;
	struct kerr err = KERR_INIT;
	if (px_place(fx->paper->px, &pl, &res, &err) < 0)
		fail_msg("px_place: %s", err.msg);
	if (id)
		snprintf(id, PX_ID_MAX, "%s", res.id);
}

/* Our sell 0.1 @ 60000 rests before the market's sell 0.1 @ 60010; add_order
 * buys 0.1 @ 60010 with stp_type `stp` (req_id `req`). Returns the index of
 * the add_order reply; the new order's id in `taker`. */
static long ws_self_trade(struct fx *fx, uint32_t acct, const char *stp, int req,
                          char own[PX_ID_MAX], char taker[PX_ID_MAX])
{
	px_cancel_all(fx->paper->px, acct, PX_SPOT, NULL, ENGINE_R_CANCEL_ALL, NULL, NULL);
	px_limit(fx, PX_MARKET, ENGINE_SELL, "60010", NULL);
	px_limit(fx, acct, ENGINE_SELL, "60000", own);
	char msg[512], rq[32];
	snprintf(msg, sizeof msg,
	         "{\"method\":\"add_order\",\"params\":{\"order_type\":\"limit\","
	         "\"side\":\"buy\",\"order_qty\":0.1,\"symbol\":\"BTC/USD\","
	         "\"limit_price\":60010,\"stp_type\":\"%s\",\"token\":\"%s\"},\"req_id\":%d}",
	         stp, fx->token, req);
	size_t mark = fx->nmsgs;
	raw_send(fx, msg);
	snprintf(rq, sizeof rq, "\"req_id\":%d", req);
	long i = expect2(fx, mark, "\"method\":\"add_order\"", rq);
	assert_non_null(strstr(fx->msgs[i], "\"success\":true"));
	const char *oid = strstr(fx->msgs[i], "\"order_id\":\"");
	assert_non_null(oid);
	oid += strlen("\"order_id\":\"");
	size_t n = strcspn(oid, "\"");
	assert_true(n < PX_ID_MAX);
	memcpy(taker, oid, n);
	taker[n] = '\0';
	return (long)mark;
}

static void expect_stp_cancel(struct fx *fx, size_t from, const char *id)
{
	char oid[PX_ID_MAX + 16];
	snprintf(oid, sizeof oid, "\"order_id\":\"%s\"", id);
	long i = expect2(fx, from, oid, "\"exec_type\":\"canceled\"");
	assert_non_null(strstr(fx->msgs[i], "\"reason\":\"Self trade prevention\""));
}

static const struct px_order *px_ord(struct fx *fx, uint32_t acct, const char *id)
{
	const struct px_order *o = px_order_find(fx->paper->px, acct, id);
	assert_non_null(o);
	return o;
}

/* stp_type over the private WebSocket, raw: the executions feed reports the
 * cancelled side with reason "Self trade prevention" and px agrees;
 * cancel_oldest lets the new order trade with the market behind ours. A bad
 * value is refused. */
static void raw_self_trade(void **state)
{
	struct fx *fx = *state;
	struct px_account_init ai;
	memset(&ai, 0, sizeof ai);
	ai.spot[PX_A_USD] = dec_from_int(100000);
	ai.spot[PX_A_XBT] = dec_from_int(2);
	uint32_t acct = 0;
	assert_int_equal(px_account_create(fx->paper->px, &ai, &acct, NULL), 0);
	int64_t exp = 0;
	assert_int_equal(paper_token_issue(fx->paper, acct, fx->token, &exp), 0);
	raw_connect(fx, fx->url_auth);
	expect(fx, 0, "\"channel\":\"status\"");
	char msg[256];
	snprintf(msg, sizeof msg,
	         "{\"method\":\"subscribe\",\"params\":{\"channel\":\"executions\","
	         "\"token\":\"%s\",\"snap_orders\":false,\"snap_trades\":false}}",
	         fx->token);
	raw_send(fx, msg);
	long ack = expect2(fx, 0, "\"method\":\"subscribe\"", "\"channel\":\"executions\"");
	assert_non_null(strstr(fx->msgs[ack], "\"success\":true"));

	char own[PX_ID_MAX], taker[PX_ID_MAX];
	long mark = ws_self_trade(fx, acct, "cancel_newest", 1, own, taker);
	expect_stp_cancel(fx, (size_t)mark, taker);
	assert_true(px_order_is_open(px_ord(fx, acct, own)));
	assert_int_equal(px_ord(fx, acct, taker)->reason, ENGINE_R_SELF_TRADE);

	mark = ws_self_trade(fx, acct, "cancel_oldest", 2, own, taker);
	expect_stp_cancel(fx, (size_t)mark, own);
	char oid[PX_ID_MAX + 16];
	snprintf(oid, sizeof oid, "\"order_id\":\"%s\"", taker);
	expect2(fx, (size_t)mark, oid, "\"exec_type\":\"filled\"");
	assert_int_equal(px_ord(fx, acct, own)->reason, ENGINE_R_SELF_TRADE);
	assert_int_equal(px_ord(fx, acct, taker)->reason, ENGINE_R_FILLED);

	mark = ws_self_trade(fx, acct, "cancel_both", 3, own, taker);
	expect_stp_cancel(fx, (size_t)mark, own);
	expect_stp_cancel(fx, (size_t)mark, taker);
	assert_int_equal(px_ord(fx, acct, own)->reason, ENGINE_R_SELF_TRADE);
	assert_int_equal(px_ord(fx, acct, taker)->reason, ENGINE_R_SELF_TRADE);

	size_t m2 = fx->nmsgs;
	snprintf(msg, sizeof msg,
	         "{\"method\":\"add_order\",\"params\":{\"order_type\":\"limit\","
	         "\"side\":\"buy\",\"order_qty\":0.1,\"symbol\":\"BTC/USD\","
	         "\"limit_price\":1000,\"stp_type\":\"cancel-both\",\"token\":\"%s\"},"
	         "\"req_id\":4}",
	         fx->token);
	raw_send(fx, msg);
	expect2(fx, m2, "\"req_id\":4", "EGeneral:Invalid arguments:stp_type");
	/* one trade in all: the cancel_oldest buy against the market */
	struct px_balance b;
	assert_int_equal(px_spot_balance(fx->paper->px, acct, PX_A_XBT, &b), 0);
	assert_true(dec_eq(b.balance, dec_make(21, 1)));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test_setup_teardown(raw_self_trade, setup, teardown),
	        cmocka_unit_test_setup_teardown(private_trading, setup, teardown),
	};
	return kt_run_tests(tests);
}
