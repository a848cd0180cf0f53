/* test_spot_ws_srv: the paper exchange's Spot WS v2 adapter, spoken to over
 * the real loop (net HTTP/WS server + ws client). Proves that the krakterm
 * Spot WS client session, subscribed to a book at depth 10 and at depth 100,
 * follows 10,000 px-driven book changes with every checksum verifying and
 * ends equal to px's depth; that acks, errors, pong and heartbeats look like
 * Kraken's; that orders are placed, amended, filled and cancelled over the
 * private WebSocket with executions and balances flowing back into the
 * state; that add_order's stp_type (cancel_newest, cancel_oldest,
 * cancel_both) decides which side of a self trade is cancelled, as the
 * executions feed reports; and that a subscriber that does not read is
 * dropped. */
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
#include "tests/unit/unit.h"

struct fx {
	struct kt_loop *loop;
	struct paper *paper;
	struct spot_ws_srv *pub, *auth;
	struct http_server *srv;
	char url_pub[64], url_auth[64];
	const struct px_instr *btc;
	/* client side */
	struct state st;
	struct spot_ws_pub *sess;
	struct state st2;
	struct spot_ws_pub *sess2;
	struct spot_ws_priv *priv;
	char token[PAPER_TOKEN_MAX];
	int reconciles;
	/* raw client */
	struct ws_client *raw;
	char **msgs;
	size_t nmsgs, cap_msgs;
	bool raw_closed;
	/* what a wait is for */
	bool (*until)(struct fx *fx);
	struct kt_timer *poll;
};

/* ---- the server: our own net server routing to the two adapter instances ---- */

static struct spot_ws_srv *route(struct fx *fx, struct http_conn *conn)
{
	return strcmp(ws_conn_path(conn), "/auth/v2") == 0 ? fx->auth : fx->pub;
}

static void srv_request(void *ctx, struct http_request *req)
{
	(void)ctx;
	http_reply(req, 404, NULL, "", 0, NULL);
}

static int srv_upgrade(void *ctx, struct http_conn *conn, const char *path,
                       const struct http_request *req)
{
	struct fx *fx = ctx;
	(void)req;
	if (strcmp(path, "/v2") && strcmp(path, "/auth/v2"))
		return 404;
	spot_ws_srv_open(route(fx, conn), conn);
	return 0;
}

static void srv_message(void *ctx, struct http_conn *conn, const char *data, size_t len,
                        bool binary)
{
	struct fx *fx = ctx;
	(void)binary;
	spot_ws_srv_message(route(fx, conn), conn, data, len);
}

static void srv_close(void *ctx, struct http_conn *conn, int code, const char *reason)
{
	struct fx *fx = ctx;
	(void)code;
	(void)reason;
	spot_ws_srv_close(route(fx, conn), conn);
}

static const struct http_server_ops srv_ops = {
        .on_request = srv_request,
        .on_ws_upgrade = srv_upgrade,
        .on_ws_message = srv_message,
        .on_ws_close = srv_close,
};

static void add_btc(struct state *st)
{
	/* What REST would have loaded; the instrument channel fixes the precisions. */
	struct instrument in = {0};
	snprintf(in.id, sizeof in.id, "BTC/USD");
	snprintf(in.rest_id, sizeof in.rest_id, "XXBTZUSD");
	in.product = PRODUCT_SPOT;
	in.kind = IK_SPOT;
	state_add_instrument(st, &in);
}

static int setup(void **state)
{
	struct fx *fx = xcalloc(1, sizeof *fx);
	struct kerr err = KERR_INIT;
	fx->loop = kt_loop_new(NULL, &err);
	assert_non_null(fx->loop);
	struct paper_opts po = {.state_path = "", .reset = true, .users = 1, .id_seed = 7};
	fx->paper = paper_create(kt_loop_uv(fx->loop), &po, &err);
	if (!fx->paper)
		fail_msg("paper: %s", err.msg);
	fx->pub = spot_ws_srv_new(fx->paper, false);
	fx->auth = spot_ws_srv_new(fx->paper, true);
	fx->srv = http_server_start(kt_loop_uv(fx->loop), "127.0.0.1", 0, &srv_ops, fx, &err);
	assert_non_null(fx->srv);
	int port = http_server_port(fx->srv);
	snprintf(fx->url_pub, sizeof fx->url_pub, "ws://127.0.0.1:%d/v2", port);
	snprintf(fx->url_auth, sizeof fx->url_auth, "ws://127.0.0.1:%d/auth/v2", port);
	fx->btc = px_instr_find(fx->paper->px, PX_SPOT, "BTC/USD");
	assert_non_null(fx->btc);
	state_init(&fx->st);
	state_init(&fx->st2);
	add_btc(&fx->st);
	add_btc(&fx->st2);
	*state = fx;
	return 0;
}

static void srv_stopped(void *arg)
{
	struct fx *fx = arg;
	kt_loop_stop(fx->loop);
}

static int teardown(void **state)
{
	struct fx *fx = *state;
	spot_ws_pub_free(fx->sess);
	spot_ws_pub_free(fx->sess2);
	spot_ws_priv_free(fx->priv);
	ws_client_free(fx->raw);
	http_server_stop(fx->srv, srv_stopped, fx);
	assert_true(nt_run(fx->loop, 5000));
	spot_ws_srv_free(fx->pub);
	spot_ws_srv_free(fx->auth);
	paper_destroy(fx->paper);
	kt_loop_free(fx->loop);
	state_free(&fx->st);
	state_free(&fx->st2);
	for (size_t i = 0; i < fx->nmsgs; i++)
		free(fx->msgs[i]);
	free(fx->msgs);
	free(fx);
	return 0;
}

/* Run the loop until fx->until(fx) holds (checked every 5 ms). */
static void poll_fire(void *arg)
{
	struct fx *fx = arg;
	if (fx->until && fx->until(fx))
		kt_loop_stop(fx->loop);
}

static bool wait_for(struct fx *fx, bool (*until)(struct fx *fx), unsigned ms)
{
	if (until(fx))
		return true;
	fx->until = until;
	fx->poll = kt_timer_start(fx->loop, 5, 5, poll_fire, fx);
	bool ok = nt_run(fx->loop, ms);
	kt_timer_stop(fx->poll);
	fx->until = NULL;
	return ok && until(fx);
}

static struct wsconn_policy fast(void)
{
	struct wsconn_policy p = wsconn_policy_spot();
	p.backoff_first_ms = 20;
	p.jitter_pct = 0;
	return p;
}

/* ---- book: 10,000 px-driven changes ---- */

static int btc_idx(const struct state *st)
{
	return state_find_instrument(st, "BTC/USD");
}

static bool book_valid(const struct state *st)
{
	const struct market *m = state_market_peek(st, btc_idx(st));
	return m && m->book.valid && !m->stale;
}

static bool both_books_valid(struct fx *fx)
{
	return book_valid(&fx->st) && book_valid(&fx->st2);
}

/* Does the client's book equal px's top `depth` on both sides? */
static bool book_matches(struct fx *fx, const struct state *st, size_t depth)
{
	const struct market *m = state_market_peek(st, btc_idx(st));
	if (!m || !m->book.valid)
		return false;
	struct px_level lv[100];
	for (int side = 0; side < 2; side++) {
		enum side cs = side == ENGINE_BUY ? SIDE_BUY : SIDE_SELL;
		size_t n = px_depth(fx->paper->px, fx->btc, (enum engine_side)side, lv, depth);
		if (book_count(&m->book, cs) != n)
			return false;
		for (size_t i = 0; i < n; i++) {
			const struct book_level *l = book_level_at(&m->book, cs, i);
			int64_t p, q;
			if (dec_to_scaled(lv[i].price, 1, &p) || dec_to_scaled(lv[i].qty, 8, &q) ||
			    l->px != p || l->qty != q)
				return false;
		}
	}
	return true;
}

static bool caught_up(struct fx *fx)
{
	return book_matches(fx, &fx->st, 10) && book_matches(fx, &fx->st2, 100);
}

struct gen {
	struct fx *fx;
	uint32_t seed;
	char (*ids)[PX_ID_MAX];
	size_t nids, cap;
	int done, target;
};

static uint32_t rnd(struct gen *g)
{
	g->seed = g->seed * 1664525u + 1013904223u;
	return g->seed >> 8;
}

/* One book change by the market account: place, cancel or resize an order. */
static void gen_one(struct gen *g)
{
	struct px *px = g->fx->paper->px;
	const struct px_instr *in = g->fx->btc;
	uint32_t r = rnd(g) % 100;
	struct kerr err = KERR_INIT;
	struct px_result res;
	if (r < 40 && g->nids) {
		size_t k = rnd(g) % g->nids;
		px_cancel(px, PX_MARKET, g->ids[k], &err);
		memcpy(g->ids[k], g->ids[--g->nids], PX_ID_MAX);
		return;
	}
	if (r < 50 && g->nids) {
		struct px_amend a = {.account = PX_MARKET,
		                     .product = PX_SPOT,
		                     .id = g->ids[rnd(g) % g->nids],
		                     .fields = ENGINE_AM_QTY};
		a.qty = dec_make(5000 * (1 + rnd(g) % 40), 8);
		px_amend(px, &a, &res, &err);
		return;
	}
	struct px_place pl = {.account = PX_MARKET, .instr = in, .type = ENGINE_T_LIMIT};
	pl.side = rnd(g) % 2 ? ENGINE_BUY : ENGINE_SELL;
	int64_t k = 1 + rnd(g) % 150; /* ticks away from 60000.0 */
	int64_t price = 600000 + (pl.side == ENGINE_BUY ? -k : k);
	pl.price = px_price_abs(dec_make(price, 1));
	pl.qty = dec_make(5000 * (1 + rnd(g) % 40), 8);
	if (px_place(px, &pl, &res, &err) == 0 && res.id[0]) {
		g->ids = xgrow(g->ids, &g->cap, g->nids + 1, sizeof *g->ids);
		memcpy(g->ids[g->nids++], res.id, PX_ID_MAX);
	}
}

static void gen_fire(void *arg)
{
	struct gen *g = arg;
	for (int i = 0; i < 50 && g->done < g->target; i++, g->done++)
		gen_one(g);
	if (g->done >= g->target)
		kt_loop_stop(g->fx->loop);
}

static void book_follows_px(void **state)
{
	struct fx *fx = *state;
	struct kerr err = KERR_INIT;
	struct wsconn_policy p = fast();
	struct gen g = {.fx = fx, .seed = 12345, .target = 10000};
	for (int i = 0; i < 300; i++) /* a book before anyone subscribes */
		gen_one(&g);
	fx->sess = spot_ws_pub_new(fx->loop, &fx->st, fx->url_pub, &p);
	fx->sess2 = spot_ws_pub_new(fx->loop, &fx->st2, fx->url_pub, &p);
	assert_int_equal(spot_ws_pub_book(fx->sess, btc_idx(&fx->st), 10, &err), 0);
	assert_int_equal(spot_ws_pub_book(fx->sess2, btc_idx(&fx->st2), 100, &err), 0);
	spot_ws_pub_start(fx->sess);
	spot_ws_pub_start(fx->sess2);
	assert_true(wait_for(fx, both_books_valid, 10000));
	assert_int_equal(fx->st.instr[btc_idx(&fx->st)].price_dp, 1);
	assert_int_equal(fx->st.instr[btc_idx(&fx->st)].qty_dp, 8);
	assert_true(caught_up(fx));
	struct kt_timer *t = kt_timer_start(fx->loop, 1, 1, gen_fire, &g);
	assert_true(nt_run(fx->loop, 60000));
	kt_timer_stop(t);
	assert_int_equal(g.done, 10000);
	assert_true(wait_for(fx, caught_up, 20000));
	for (int k = 0; k < 2; k++) {
		struct state *st = k ? &fx->st2 : &fx->st;
		const struct market *m = state_market_peek(st, btc_idx(st));
		assert_int_equal(m->checksum_failures, 0);
		assert_int_equal(m->resyncs, 0);
		assert_false(m->stale);
		assert_true(m->book.updates > 1000);
	}
	assert_int_equal(spot_ws_pub_stats(fx->sess).errors, 0);
	assert_int_equal(spot_ws_pub_stats(fx->sess2).errors, 0);
	assert_int_equal(book_count(&state_market_peek(&fx->st, btc_idx(&fx->st))->book, SIDE_BUY),
	                 10);
	free(g.ids);
}

static bool caught_up_10(struct fx *fx)
{
	return book_matches(fx, &fx->st, 10);
}

static bool stale_seen(struct fx *fx)
{
	return state_market_peek(&fx->st, btc_idx(&fx->st))->checksum_failures > 0;
}

static bool pub_valid(struct fx *fx)
{
	return book_valid(&fx->st);
}

/* A corrupted checksum (the fault switch) makes the client resync; once the
 * fault is gone the fresh snapshot verifies and the book follows px again. */
static void book_bad_checksum_resync(void **state)
{
	struct fx *fx = *state;
	struct kerr err = KERR_INIT;
	struct wsconn_policy p = fast();
	struct gen g = {.fx = fx, .seed = 99};
	for (int i = 0; i < 100; i++)
		gen_one(&g);
	fx->sess = spot_ws_pub_new(fx->loop, &fx->st, fx->url_pub, &p);
	assert_int_equal(spot_ws_pub_book(fx->sess, btc_idx(&fx->st), 10, &err), 0);
	spot_ws_pub_start(fx->sess);
	assert_true(wait_for(fx, pub_valid, 10000));
	fx->paper->faults.bad_checksum = true;
	for (int i = 0; i < 50; i++)
		gen_one(&g);
	assert_true(wait_for(fx, stale_seen, 5000));
	fx->paper->faults.bad_checksum = false;
	for (int i = 0; i < 50; i++)
		gen_one(&g);
	assert_true(wait_for(fx, caught_up_10, 5000));
	const struct market *m = state_market_peek(&fx->st, btc_idx(&fx->st));
	assert_true(m->resyncs >= 1);
	assert_false(m->stale);
	free(g.ids);
}

/* ---- a raw client: Kraken's exact acks, errors, pong and heartbeat ---- */

static void raw_open(void *arg)
{
	(void)arg;
}

static void raw_message(void *arg, const char *data, size_t len)
{
	struct fx *fx = arg;
	fx->msgs = xgrow(fx->msgs, &fx->cap_msgs, fx->nmsgs + 1, sizeof *fx->msgs);
	fx->msgs[fx->nmsgs++] = xstrndup(data, len);
}

static void raw_close(void *arg, int code, const char *reason)
{
	struct fx *fx = arg;
	(void)code;
	(void)reason;
	fx->raw = NULL;
	fx->raw_closed = true;
}

static const struct ws_client_ops raw_ops = {
        .on_open = raw_open,
        .on_message = raw_message,
        .on_close = raw_close,
};

static void raw_connect(struct fx *fx, const char *url)
{
	struct kerr err = KERR_INIT;
	fx->raw = ws_client_connect(fx->loop, url, &raw_ops, fx, &err);
	assert_non_null(fx->raw);
}

static void raw_send(struct fx *fx, const char *json)
{
	assert_int_equal(ws_client_send(fx->raw, json, strlen(json)), 0);
}

static const char *want_text;
static size_t want_from;

/* Index of the first message from `from` on containing `text`, or -1. */
static long find_msg(const struct fx *fx, size_t from, const char *text)
{
	for (size_t i = from; i < fx->nmsgs; i++)
		if (strstr(fx->msgs[i], text))
			return (long)i;
	return -1;
}

static bool have_text(struct fx *fx)
{
	return find_msg(fx, want_from, want_text) >= 0;
}

/* Wait for a message containing text (after message `from`); its index. */
static long expect(struct fx *fx, size_t from, const char *text)
{
	want_text = text;
	want_from = from;
	if (!wait_for(fx, have_text, 5000))
		fail_msg("no message with %s", text);
	return find_msg(fx, from, text);
}

static void raw_protocol(void **state)
{
	struct fx *fx = *state;
	struct gen g = {.fx = fx, .seed = 7};
	for (int i = 0; i < 50; i++)
		gen_one(&g);
	raw_connect(fx, fx->url_pub);
	long i = expect(fx, 0, "\"channel\":\"status\"");
	assert_non_null(strstr(fx->msgs[i], "\"system\":\"online\""));
	assert_non_null(strstr(fx->msgs[i], "\"api_version\":\"v2\""));
	raw_send(fx, "{\"method\":\"ping\",\"req_id\":42}");
	i = expect(fx, 0, "\"method\":\"pong\"");
	assert_non_null(strstr(fx->msgs[i], "\"req_id\":42"));
	assert_non_null(strstr(fx->msgs[i], "\"time_in\":\""));
	size_t mark = fx->nmsgs;
	raw_send(fx, "{\"method\":\"subscribe\",\"params\":{\"channel\":\"book\",\"symbol\":"
	             "[\"XBT/USD\",\"BTC/USD\"],\"depth\":10},\"req_id\":5}");
	i = expect(fx, mark, "Currency pair not supported XBT/USD");
	assert_non_null(strstr(fx->msgs[i], "\"success\":false"));
	assert_non_null(strstr(fx->msgs[i], "\"symbol\":\"XBT/USD\""));
	assert_non_null(strstr(fx->msgs[i], "\"req_id\":5"));
	i = expect(fx, mark,
	           "\"result\":{\"channel\":\"book\",\"depth\":10,\"snapshot\":true,"
	           "\"symbol\":\"BTC/USD\"},\"success\":true");
	i = expect(fx, mark, "\"channel\":\"book\",\"type\":\"snapshot\"");
	/* the snapshot verifies through the real decoder */
	struct spot_ws_dec dec;
	struct spot_ws_msg m;
	struct kerr err = KERR_INIT;
	spot_ws_dec_init(&dec);
	struct instrument in = {.product = PRODUCT_SPOT, .price_dp = 1, .qty_dp = 8};
	snprintf(in.id, sizeof in.id, "BTC/USD");
	struct state st;
	state_init(&st);
	state_market(&st, state_add_instrument(&st, &in))->book.depth = 10;
	assert_int_equal(spot_ws_decode(&dec, &st, fx->msgs[i], strlen(fx->msgs[i]), &m, &err), 0);
	assert_true(state_market(&st, 0)->book.valid);
	assert_int_equal(m.nresync, 0);
	spot_ws_dec_free(&dec);
	state_free(&st);

	mark = fx->nmsgs;
	raw_send(fx, "{\"method\":\"subscribe\",\"params\":{\"channel\":\"book\",\"symbol\":"
	             "[\"BTC/USD\"]},\"req_id\":6}");
	expect(fx, mark, "\"error\":\"Already subscribed\"");
	raw_send(fx, "{\"method\":\"unsubscribe\",\"params\":{\"channel\":\"ticker\",\"symbol\":"
	             "[\"ETH/USD\"]},\"req_id\":7}");
	expect(fx, mark, "\"error\":\"Subscription Not Found\"");
	raw_send(fx, "{\"method\":\"subscribe\",\"params\":{\"channel\":\"book\",\"symbol\":"
	             "[\"ETH/USD\"],\"depth\":7}}");
	expect(fx, mark, "EGeneral:Invalid arguments:depth");
	raw_send(fx, "{\"method\":\"subscribe\",\"params\":{\"channel\":\"executions\","
	             "\"token\":\"x\"}}");
	expect(fx, mark, "EGeneral:Permission denied");
	raw_send(fx, "{\"method\":\"frobnicate\"}");
	expect(fx, mark, "\"error\":\"Method not found\"");
	raw_send(fx, "{not json");
	expect(fx, mark, "\"error\":\"EGeneral:Invalid arguments\"");
	raw_send(fx, "{\"method\":\"subscribe\",\"params\":{\"channel\":\"ticker\",\"symbol\":"
	             "[\"BTC/USD\"]},\"req_id\":8}");
	expect(fx, mark, "\"channel\":\"ticker\",\"type\":\"snapshot\"");
	raw_send(fx, "{\"method\":\"subscribe\",\"params\":{\"channel\":\"trade\",\"symbol\":"
	             "[\"BTC/USD\"]},\"req_id\":9}");
	i = expect(fx, mark, "\"channel\":\"trade\",\"snapshot\":false");
	raw_send(fx, "{\"method\":\"subscribe\",\"params\":{\"channel\":\"ohlc\",\"symbol\":"
	             "[\"BTC/USD\"],\"interval\":5},\"req_id\":10}");
	expect(fx, mark, "\"channel\":\"ohlc\",\"type\":\"snapshot\"");
	raw_send(fx, "{\"method\":\"subscribe\",\"params\":{\"channel\":\"instrument\"}}");
	i = expect(fx, mark, "\"channel\":\"instrument\",\"type\":\"snapshot\"");
	assert_non_null(strstr(fx->msgs[i], "\"symbol\":\"BTC/USD\""));
	assert_non_null(strstr(fx->msgs[i], "\"price_precision\":1"));
	/* nothing moves: a heartbeat within a couple of seconds */
	mark = fx->nmsgs;
	expect(fx, mark, "{\"channel\":\"heartbeat\"}");
	/* a change of the engine's state is announced on the status channel */
	fx->paper->faults.system = PAPER_SYS_MAINTENANCE;
	i = expect(fx, mark, "\"system\":\"maintenance\"");
	assert_non_null(strstr(fx->msgs[i], "\"channel\":\"status\""));
	fx->paper->faults.system = PAPER_SYS_ONLINE;
	free(g.ids);
}

/* A subscriber that lets its output pile up is dropped, not buffered forever. */
static bool raw_gone(struct fx *fx)
{
	return fx->raw_closed;
}

static void raw_backpressure(void **state)
{
	struct fx *fx = *state;
	struct gen g = {.fx = fx, .seed = 3};
	for (int i = 0; i < 1000; i++)
		gen_one(&g);
	spot_ws_srv_set_max_queued(fx->pub, 1000); /* the status and the ack fit, the book not */
	raw_connect(fx, fx->url_pub);
	expect(fx, 0, "\"channel\":\"status\"");
	raw_send(fx, "{\"method\":\"subscribe\",\"params\":{\"channel\":\"book\",\"symbol\":"
	             "[\"BTC/USD\"],\"depth\":1000}}");
	assert_true(wait_for(fx, raw_gone, 5000));
	assert_int_equal(spot_ws_srv_dropped(fx->pub), 1);
	free(g.ids);
}

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

/* Index of the first message from `from` on containing both texts, or -1. */
static long find_msg2(const struct fx *fx, size_t from, const char *a, const char *b)
{
	for (size_t i = from; i < fx->nmsgs; i++)
		if (strstr(fx->msgs[i], a) && strstr(fx->msgs[i], b))
			return (long)i;
	return -1;
}

static const char *want_text2;

static bool have_text2(struct fx *fx)
{
	return find_msg2(fx, want_from, want_text, want_text2) >= 0;
}

static long expect2(struct fx *fx, size_t from, const char *a, const char *b)
{
	want_text = a;
	want_text2 = b;
	want_from = from;
	if (!wait_for(fx, have_text2, 5000))
		fail_msg("no message with %s and %s", a, b);
	return find_msg2(fx, from, a, b);
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
	        cmocka_unit_test_setup_teardown(book_follows_px, setup, teardown),
	        cmocka_unit_test_setup_teardown(book_bad_checksum_resync, setup, teardown),
	        cmocka_unit_test_setup_teardown(raw_protocol, setup, teardown),
	        cmocka_unit_test_setup_teardown(raw_backpressure, setup, teardown),
	        cmocka_unit_test_setup_teardown(raw_self_trade, setup, teardown),
	        cmocka_unit_test_setup_teardown(private_trading, setup, teardown),
	};
	return kt_run_tests(tests);
}
