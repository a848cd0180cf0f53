/* test_fut_ws_srv: the paper exchange's Futures WS v1 adapter over the real
 * loop. Raw exchanges prove Kraken's exact replies (info on connect, acks,
 * "Invalid product id", "Invalid feed", "Json Error", subscribed_failed for a
 * bad signature, a ticker with every field and funding fields only when
 * non-zero). A krakterm session against it proves the round trip: after
 * 10,000 px-driven book changes the client's book equals px's depth level for
 * level, and an order placed, cancelled and filled through px reaches the
 * client's orders, fills, positions and wallet over the private feeds; a
 * liquidation reaches the client's fills with fill_type "liquidation". A
 * subscriber that does not keep up is dropped (backpressure). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/jscan.h"
#include "core/state.h"
#include "kraken/fut_ws.h"
#include "net/http_server.h"
#include "net/loop.h"
#include "net/ws_client.h"
#include "paper/fut_ws_srv.h"
#include "paper/liquidation.h"
#include "paper/paper.h"
#include "tests/fixtures/net/nettest.h"
#include "tests/unit/unit.h"

struct env {
	struct kt_loop *loop;
	struct paper *p;
	struct fut_ws_srv *srv;
	struct http_server *http;
	char url[64];
	int64_t now_ns;
};

static int64_t test_clock(void *ctx)
{
	return ((struct env *)ctx)->now_ns;
}

static void srv_request(void *ctx, struct http_request *req)
{
	(void)ctx;
	http_reply(req, 404, NULL, "", 0, NULL);
}

static int srv_upgrade(void *ctx, struct http_conn *c, const char *path,
                       const struct http_request *req)
{
	(void)req;
	struct env *e = ctx;
	if (strcmp(path, "/ws/v1") != 0)
		return 404;
	fut_ws_srv_open(e->srv, c);
	return 0;
}

static void srv_message(void *ctx, struct http_conn *c, const char *data, size_t len, bool bin)
{
	(void)bin;
	struct env *e = ctx;
	fut_ws_srv_message(e->srv, c, data, len);
}

static void srv_close(void *ctx, struct http_conn *c, int code, const char *reason)
{
	(void)code;
	(void)reason;
	struct env *e = ctx;
	fut_ws_srv_close(e->srv, c);
}

static void env_init(struct env *e)
{
	memset(e, 0, sizeof *e);
	e->now_ns = 1700000000000000000LL;
	struct kerr err = KERR_INIT;
	e->loop = kt_loop_new(NULL, &err);
	assert_non_null(e->loop);
	static const struct paper_balance bal[] = {
	        {"USD", {100000, 0}, true},
	};
	struct paper_opts o = {.state_path = "",
	                       .reset = true,
	                       .balances = bal,
	                       .nbalances = 1,
	                       .users = 1,
	                       .id_seed = 7,
	                       .clock = test_clock,
	                       .clock_ctx = e};
	e->p = paper_create(kt_loop_uv(e->loop), &o, &err);
	if (!e->p)
		fail_msg("paper_create: %s", err.msg);
	e->srv = fut_ws_srv_new(e->p);
	static const struct http_server_ops ops = {
	        .on_request = srv_request,
	        .on_ws_upgrade = srv_upgrade,
	        .on_ws_message = srv_message,
	        .on_ws_close = srv_close,
	};
	e->http = http_server_start(kt_loop_uv(e->loop), "127.0.0.1", 0, &ops, e, &err);
	assert_non_null(e->http);
	snprintf(e->url, sizeof e->url, "ws://127.0.0.1:%d/ws/v1", http_server_port(e->http));
}

static void stopped(void *arg)
{
	kt_loop_stop(arg);
}

static void env_free(struct env *e)
{
	http_server_stop(e->http, stopped, e->loop);
	nt_run(e->loop, 5000);
	fut_ws_srv_free(e->srv);
	paper_destroy(e->p);
	/* one more iteration lets libuv finish closing the adapter's timers */
	kt_timer_start(e->loop, 1, 0, stopped, e->loop);
	nt_run(e->loop, 5000);
	kt_loop_free(e->loop);
}

/* ---- a raw client: exact bytes in and out ---- */

#define RAW_MAX 64

struct raw {
	struct kt_loop *loop;
	struct ws_client *c;
	char *msg[RAW_MAX];
	size_t n, want;
	bool closed;
};

static void raw_open(void *arg)
{
	(void)arg;
}

static void raw_message(void *arg, const char *data, size_t len)
{
	struct raw *r = arg;
	if (r->n < RAW_MAX) {
		r->msg[r->n] = malloc(len + 1);
		memcpy(r->msg[r->n], data, len);
		r->msg[r->n][len] = '\0';
		r->n++;
	}
	if (r->n >= r->want)
		kt_loop_stop(r->loop);
}

static void raw_close(void *arg, int code, const char *reason)
{
	(void)code;
	(void)reason;
	struct raw *r = arg;
	r->c = NULL;
	r->closed = true;
	kt_loop_stop(r->loop);
}

static void raw_connect(struct env *e, struct raw *r)
{
	memset(r, 0, sizeof *r);
	r->loop = e->loop;
	static const struct ws_client_ops ops = {raw_open, raw_message, raw_close, NULL};
	r->c = ws_client_connect(e->loop, e->url, &ops, r, NULL);
	assert_non_null(r->c);
	r->want = 1;
	assert_true(nt_run(e->loop, 5000));
	assert_int_equal(r->n, 1);
	assert_string_equal(r->msg[0], "{\"event\":\"info\",\"version\":1}");
}

/* Send one request and wait for `more` replies; returns the first of them. */
static const char *raw_ask(struct env *e, struct raw *r, const char *req, size_t more)
{
	size_t first = r->n;
	r->want = r->n + more;
	ws_client_send(r->c, req, strlen(req));
	assert_true(nt_run(e->loop, 5000));
	assert_true(r->n >= r->want);
	return r->msg[first];
}

static void raw_free(struct raw *r)
{
	ws_client_free(r->c);
	for (size_t i = 0; i < r->n; i++)
		free(r->msg[i]);
}

static void protocol_replies(void **state)
{
	(void)state;
	struct env e;
	env_init(&e);
	const struct px_instr *xbt = px_instr_find(e.p->px, PX_FUTURES, "PF_XBTUSD");
	assert_non_null(xbt);
	dec_t mark = dec_make(6000050, 2), index = dec_make(6000000, 2);
	assert_int_equal(px_set_mark_index(e.p->px, xbt, &mark, &index, NULL), 0);
	px_set_funding(e.p->px, xbt, dec_make(125, 4), dec_zero(), dec_make(2, 6), dec_make(3, 6),
	               e.now_ns + 3600000000000LL);
	struct raw r;
	raw_connect(&e, &r);
	assert_string_equal(raw_ask(&e, &r,
	                            "{\"event\":\"subscribe\",\"feed\":\"book\","
	                            "\"product_ids\":[\"PF_NOPE\"]}",
	                            1),
	                    "{\"event\":\"error\",\"message\":\"Invalid product id\"}");
	assert_string_equal(raw_ask(&e, &r, "{\"event\":\"subscribe\",\"feed\":\"nope\"}", 1),
	                    "{\"event\":\"error\",\"message\":\"Invalid feed\"}");
	assert_string_equal(raw_ask(&e, &r, "{\"event\":", 1),
	                    "{\"event\":\"error\",\"message\":\"Json Error\"}");
	assert_string_equal(raw_ask(&e, &r, "{\"event\":\"challenge\",\"api_key\":\"nobody\"}", 1),
	                    "{\"event\":\"error\",\"message\":\"Json Error\"}");
	assert_string_equal(raw_ask(&e, &r, "{\"event\":\"subscribe\",\"feed\":\"heartbeat\"}", 1),
	                    "{\"event\":\"subscribed\",\"feed\":\"heartbeat\"}");
	/* a bad signature: subscribed_failed, echoing what was sent */
	const struct px_keys *k = px_account_keys(e.p->px, 1);
	char req[512];
	snprintf(req, sizeof req, "{\"event\":\"challenge\",\"api_key\":\"%s\"}", k->fut_key);
	const char *ch = raw_ask(&e, &r, req, 1);
	assert_non_null(strstr(ch, "\"event\":\"challenge\",\"message\":\""));
	snprintf(req, sizeof req,
	         "{\"event\":\"subscribe\",\"feed\":\"fills\",\"api_key\":\"%s\","
	         "\"original_challenge\":\"x\",\"signed_challenge\":\"y\"}",
	         k->fut_key);
	const char *fail = raw_ask(&e, &r, req, 1);
	assert_non_null(strstr(fail, "{\"event\":\"subscribed_failed\",\"feed\":\"fills\""));
	/* ticker: the ack, then one message with every field */
	const char *a = raw_ask(&e, &r,
	                        "{\"event\":\"subscribe\",\"feed\":\"ticker\","
	                        "\"product_ids\":[\"pf_xbtusd\"]}",
	                        2);
	assert_string_equal(a, "{\"event\":\"subscribed\",\"feed\":\"ticker\","
	                       "\"product_ids\":[\"PF_XBTUSD\"]}");
	const char *t = r.msg[r.n - 1];
	struct jdoc d;
	jdoc_init(&d);
	assert_int_equal(jdoc_parse(&d, t, strlen(t), NULL), 0);
	static const char *const fields[] = {"time",
	                                     "product_id",
	                                     "funding_rate",
	                                     "relative_funding_rate",
	                                     "relative_funding_rate_prediction",
	                                     "next_funding_rate_time",
	                                     "feed",
	                                     "bid",
	                                     "ask",
	                                     "bid_size",
	                                     "ask_size",
	                                     "volume",
	                                     "dtm",
	                                     "leverage",
	                                     "index",
	                                     "premium",
	                                     "last",
	                                     "change",
	                                     "suspended",
	                                     "tag",
	                                     "pair",
	                                     "openInterest",
	                                     "markPrice",
	                                     "maturityTime",
	                                     "post_only",
	                                     "volumeQuote",
	                                     "open",
	                                     "high",
	                                     "low"};
	for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
		if (jobj_get(&d, 0, fields[i]) < 0)
			fail_msg("ticker lacks %s: %s", fields[i], t);
	/* a zero funding prediction is left out, as Kraken does */
	assert_int_equal(jobj_get(&d, 0, "funding_rate_prediction"), -1);
	assert_true(jstr_eq(&d, jobj_get(&d, 0, "feed"), "ticker"));
	assert_true(jstr_eq(&d, jobj_get(&d, 0, "tag"), "perpetual"));
	dec_t v;
	assert_int_equal(jtok_dec(&d, jobj_get(&d, 0, "markPrice"), &v, NULL), 0);
	assert_true(dec_eq(v, mark));
	int64_t next;
	assert_int_equal(jtok_i64(&d, jobj_get(&d, 0, "next_funding_rate_time"), &next), 0);
	assert_int_equal(next, (e.now_ns + 3600000000000LL) / 1000000); /* absolute ms */
	jdoc_free(&d);
	raw_free(&r);
	env_free(&e);
}

/* ---- a krakterm session against the adapter ---- */

struct sess {
	struct env *e;
	struct state st;
	struct fut_ws *ws;
	int xbt;                   /* client instrument index */
	const struct px_instr *in; /* px instrument */
	int book_events;           /* px BOOK events of `in` since generation started */
	bool generating;
	int generated_target;
	uint64_t seq0, target_seq;
	bool wait_book; /* stop when the client's book reaches target_seq */
	struct kt_timer *gen;
	char ids[512][PX_ID_MAX];
	size_t nids;
	uint32_t rnd;
	bool (*until)(struct sess *s);
	struct kt_timer *poll;
	int px_handle;
};

static void px_counter(void *ctx, const struct px_event *ev)
{
	struct sess *s = ctx;
	if (ev->kind == PX_EV_BOOK && ev->instr == s->in && s->generating)
		s->book_events++;
}

static void st_listener(void *ctx, const struct state_event *ev)
{
	struct sess *s = ctx;
	if (ev->kind != EV_BOOK || !s->wait_book)
		return;
	const struct market *m = state_market_peek(&s->st, s->xbt);
	if (m && m->book.valid && m->book.seq >= s->target_seq) {
		s->wait_book = false;
		kt_loop_stop(s->e->loop);
	}
}

static void poll_cb(void *arg)
{
	struct sess *s = arg;
	if (s->until && s->until(s)) {
		s->until = NULL;
		kt_loop_stop(s->e->loop);
	}
}

/* Run the loop until pred holds (polled every 2 ms); false on the watchdog. */
static bool run_until(struct sess *s, bool (*pred)(struct sess *s))
{
	if (pred(s))
		return true;
	s->until = pred;
	s->poll = kt_timer_start(s->e->loop, 2, 2, poll_cb, s);
	bool ok = nt_run(s->e->loop, 10000);
	kt_timer_stop(s->poll);
	s->until = NULL;
	return ok || pred(s);
}

static bool book_valid(struct sess *s)
{
	const struct market *m = state_market_peek(&s->st, s->xbt);
	return m && m->book.valid;
}

static bool private_up(struct sess *s)
{
	return s->st.feeds[FEED_FUT_PRIVATE].state == FEED_UP && s->st.fut.valid;
}

static dec_t nth(dec_t step, int64_t k)
{
	dec_t out;
	dec_mul_exact(step, dec_from_int(k), &out);
	return out;
}

/* One px book change made by the market account: a new resting order near the
 * top (never crossing), or the cancel of an earlier one. */
static void one_change(struct sess *s)
{
	s->rnd ^= s->rnd << 13;
	s->rnd ^= s->rnd >> 17;
	s->rnd ^= s->rnd << 5;
	uint32_t r = s->rnd;
	struct kerr err = KERR_INIT;
	if (s->nids > 0 && (r % 3 == 0 || s->nids == sizeof s->ids / sizeof s->ids[0])) {
		size_t i = (r >> 4) % s->nids;
		px_cancel(s->e->p->px, PX_MARKET, s->ids[i], &err);
		memcpy(s->ids[i], s->ids[--s->nids], PX_ID_MAX);
		return;
	}
	bool bid = (r >> 2) & 1;
	dec_t ref = px_ref_price(s->e->p->px, s->in, ENGINE_REF_LAST), price;
	dec_t off = nth(s->in->tick, 1 + (r >> 8) % 40);
	if (bid)
		dec_sub(ref, off, &price);
	else
		dec_add(ref, off, &price);
	dec_t qty;
	dec_add(s->in->ordermin, nth(s->in->lot, (r >> 16) % 500), &qty);
	struct px_place pl;
	memset(&pl, 0, sizeof pl);
	pl.account = PX_MARKET;
	pl.instr = s->in;
	pl.side = bid ? ENGINE_BUY : ENGINE_SELL;
	pl.type = ENGINE_T_LIMIT;
	pl.tif = ENGINE_GTC;
	pl.eflags = ENGINE_F_POST_ONLY;
	pl.qty = qty;
	pl.price = px_price_abs(price);
	struct px_result res;
	if (px_place(s->e->p->px, &pl, &res, &err) < 0)
		fail_msg("px_place: %s", err.msg);
	memcpy(s->ids[s->nids++], res.id, PX_ID_MAX);
}

static void gen_cb(void *arg)
{
	struct sess *s = arg;
	for (int i = 0; i < 250 && s->book_events < s->generated_target; i++)
		one_change(s);
	if (s->book_events >= s->generated_target) {
		kt_timer_stop(s->gen);
		s->gen = NULL;
		s->generating = false;
		s->target_seq = s->seq0 + (uint64_t)s->book_events;
		s->wait_book = true;
		st_listener(s, &(struct state_event){.kind = EV_BOOK, .instr = s->xbt});
	}
}

static void sess_init(struct sess *s, struct env *e, bool keys)
{
	memset(s, 0, sizeof *s);
	s->e = e;
	s->rnd = 2463534242u;
	s->in = px_instr_find(e->p->px, PX_FUTURES, "PF_XBTUSD");
	state_init(&s->st);
	struct instrument in;
	memset(&in, 0, sizeof in);
	strcpy(in.id, "PF_XBTUSD");
	strcpy(in.base, "BTC");
	strcpy(in.quote, "USD");
	in.product = PRODUCT_FUTURES;
	in.kind = IK_PERP_LINEAR;
	in.tick = s->in->tick;
	in.price_dp = dec_normalize(s->in->tick).s;
	in.qty_dp = (uint8_t)s->in->qty_dp;
	s->xbt = state_add_instrument(&s->st, &in);
	state_listen(&s->st, st_listener, s);
	s->px_handle = px_listen(e->p->px, px_counter, s);
	const struct px_keys *k = px_account_keys(e->p->px, 1);
	struct wsconn_policy pol = wsconn_policy_futures();
	pol.backoff_first_ms = 20;
	pol.connect_window_ms = 0;
	struct fut_ws_opts o = {.url = e->url, .policy = &pol};
	if (keys) {
		o.api_key = k->fut_key;
		o.api_secret = k->fut_secret;
	}
	struct kerr err = KERR_INIT;
	s->ws = fut_ws_new(e->loop, &s->st, &o, &err);
	assert_non_null(s->ws);
}

static void sess_free(struct sess *s)
{
	px_unlisten(s->e->p->px, s->px_handle);
	fut_ws_free(s->ws);
	state_free(&s->st);
}

static void book_10000_deltas(void **state)
{
	(void)state;
	struct env e;
	env_init(&e);
	struct sess s;
	sess_init(&s, &e, false);
	/* a few levels before the subscription, so the snapshot is not empty */
	for (int i = 0; i < 60; i++)
		one_change(&s);
	fut_ws_subscribe(s.ws, "book", "PF_XBTUSD");
	fut_ws_start(s.ws);
	assert_true(run_until(&s, book_valid));
	const struct market *m = state_market_peek(&s.st, s.xbt);
	s.seq0 = m->book.seq;
	s.generating = true;
	s.generated_target = 10000;
	s.gen = kt_timer_start(e.loop, 1, 1, gen_cb, &s);
	assert_true(nt_run(e.loop, 30000));
	assert_int_equal(s.book_events, 10000);
	assert_int_equal(m->book.seq, s.seq0 + 10000);
	assert_true(m->book.valid);
	assert_int_equal(m->seq_gaps, 0);
	/* the client's book is px's depth, level for level */
	struct px_level lv[2048];
	static const enum engine_side es[2] = {ENGINE_BUY, ENGINE_SELL};
	static const enum side cs[2] = {SIDE_BUY, SIDE_SELL};
	for (int sd = 0; sd < 2; sd++) {
		size_t n = px_depth(e.p->px, s.in, es[sd], lv, 2048);
		assert_true(n > 0);
		assert_int_equal(book_count(&m->book, cs[sd]), n);
		for (size_t i = 0; i < n; i++) {
			const struct book_level *bl = book_level_at(&m->book, cs[sd], i);
			if (!dec_eq(book_px_dec(&m->book, bl->px), lv[i].price) ||
			    !dec_eq(book_qty_dec(&m->book, bl->qty), lv[i].qty))
				fail_msg("side %d level %zu differs", sd, i);
		}
	}
	struct fut_ws_stats st;
	fut_ws_stats(s.ws, &st);
	assert_int_equal(st.errors, 0);
	assert_int_equal(st.gaps, 0);
	sess_free(&s);
	env_free(&e);
}

static const char *g_order_id;

static bool order_is_open(struct sess *s)
{
	const struct order *o = state_order_get(&s->st, g_order_id);
	return o && o->status == OS_OPEN;
}

static bool order_is_cancelled(struct sess *s)
{
	const struct order *o = state_order_get(&s->st, g_order_id);
	return o && o->status == OS_CANCELLED;
}

static bool filled_and_positioned(struct sess *s)
{
	const struct order *o = state_order_get(&s->st, g_order_id);
	return o && o->status == OS_FILLED && s->st.nfills == 1 &&
	       state_position(&s->st, s->xbt) != NULL;
}

static void private_order_flow(void **state)
{
	(void)state;
	struct env e;
	env_init(&e);
	struct sess s;
	sess_init(&s, &e, true);
	fut_ws_start(s.ws);
	assert_true(run_until(&s, private_up));
	const struct collateral *usd = NULL;
	for (int i = 0; i < s.st.fut.ncur; i++)
		if (strcmp(s.st.fut.cur[i].asset, "USD") == 0)
			usd = &s.st.fut.cur[i];
	assert_non_null(usd);
	assert_true(dec_eq(usd->quantity, dec_from_int(100000)));

	/* place through px: the client sees it open */
	dec_t ref = px_ref_price(e.p->px, s.in, ENGINE_REF_LAST), low, high;
	dec_sub(ref, nth(s.in->tick, 100), &low);
	struct px_place pl;
	memset(&pl, 0, sizeof pl);
	pl.account = 1;
	pl.instr = s.in;
	pl.side = ENGINE_BUY;
	pl.type = ENGINE_T_LIMIT;
	pl.tif = ENGINE_GTC;
	pl.qty = s.in->ordermin;
	pl.price = px_price_abs(low);
	pl.cl_ord_id = "kt-cl-1";
	struct px_result res;
	struct kerr err = KERR_INIT;
	assert_int_equal(px_place(e.p->px, &pl, &res, &err), 0);
	char id1[PX_ID_MAX];
	strcpy(id1, res.id);
	g_order_id = id1;
	assert_true(run_until(&s, order_is_open));
	const struct order *o = state_order_get(&s.st, id1);
	assert_string_equal(o->cl_id, "kt-cl-1");
	assert_true(dec_eq(o->qty, s.in->ordermin));
	assert_true(dec_eq(o->limit_price, low));
	assert_int_equal(o->side, SIDE_BUY);
	/* cancel through px */
	assert_int_equal(px_cancel(e.p->px, 1, id1, &err), 0);
	assert_true(run_until(&s, order_is_cancelled));
	assert_string_equal(state_order_get(&s.st, id1)->reason, "cancelled by you");

	/* a fill: the market offers, the user lifts it */
	dec_add(ref, nth(s.in->tick, 2), &high);
	pl.account = PX_MARKET;
	pl.side = ENGINE_SELL;
	pl.price = px_price_abs(high);
	pl.cl_ord_id = NULL;
	assert_int_equal(px_place(e.p->px, &pl, &res, &err), 0);
	pl.account = 1;
	pl.side = ENGINE_BUY;
	pl.cl_ord_id = "kt-cl-2";
	assert_int_equal(px_place(e.p->px, &pl, &res, &err), 0);
	char id2[PX_ID_MAX];
	strcpy(id2, res.id);
	g_order_id = id2;
	assert_true(run_until(&s, filled_and_positioned));
	const struct fill *f = state_fill_at(&s.st, 0);
	assert_string_equal(f->order_id, id2);
	assert_true(dec_eq(f->price, high));
	assert_true(dec_eq(f->qty, s.in->ordermin));
	assert_false(f->maker);
	const struct position *p = state_position(&s.st, s.xbt);
	assert_true(dec_eq(p->size, s.in->ordermin));
	struct fut_ws_stats st;
	fut_ws_stats(s.ws, &st);
	assert_true(st.authed);
	assert_int_equal(st.errors, 0);
	sess_free(&s);
	env_free(&e);
}

static void backpressure_drops(void **state)
{
	(void)state;
	struct env e;
	env_init(&e);
	struct sess s;
	sess_init(&s, &e, false);
	for (int i = 0; i < 60; i++)
		one_change(&s);
	sess_free(&s);
	struct raw r;
	raw_connect(&e, &r);
	/* the snapshot alone is more than this */
	fut_ws_srv_set_max_queued(e.srv, 64);
	r.want = 100; /* run until the server drops us */
	const char *req =
	        "{\"event\":\"subscribe\",\"feed\":\"book\",\"product_ids\":[\"PF_XBTUSD\"]}";
	ws_client_send(r.c, req, strlen(req));
	assert_true(nt_run(e.loop, 5000));
	assert_true(r.closed);
	assert_int_equal(fut_ws_srv_dropped(e.srv), 1);
	raw_free(&r);
	env_free(&e);
}

static bool liquidated(struct sess *s)
{
	return s->st.nfills == 2 && state_fill_at(&s->st, 0)->liquidation &&
	       state_position(&s->st, s->xbt) == NULL;
}

/* An isolated 10x long 1 @ 60000 (liquidation price 54545.45) is liquidated
 * into a bid at 54000: the fills feed carries the closing fill with
 * fill_type "liquidation", the opening one stays a plain taker fill. */
static void liquidation_fill(void **state)
{
	(void)state;
	struct env e;
	env_init(&e);
	struct sess s;
	sess_init(&s, &e, true);
	fut_ws_start(s.ws);
	assert_true(run_until(&s, private_up));
	struct px *px = e.p->px;
	struct kerr err = KERR_INIT;
	dec_t lev = dec_from_int(10);
	assert_int_equal(px_fut_leverage_set(px, 1, s.in, &lev, &err), 0);
	struct px_place pl;
	memset(&pl, 0, sizeof pl);
	pl.account = PX_MARKET;
	pl.instr = s.in;
	pl.side = ENGINE_SELL;
	pl.type = ENGINE_T_LIMIT;
	pl.tif = ENGINE_GTC;
	pl.qty = dec_from_int(1);
	pl.price = px_price_abs(dec_from_int(60000));
	struct px_result res;
	assert_int_equal(px_place(px, &pl, &res, &err), 0);
	pl.account = 1;
	pl.side = ENGINE_BUY;
	pl.type = ENGINE_T_MARKET;
	pl.price = px_price_abs(dec_zero());
	assert_int_equal(px_place(px, &pl, &res, &err), 0);
	struct px_fut_position pos;
	assert_int_equal(px_fut_position(px, 1, s.in, &pos), 0);
	assert_true(pos.isolated && pos.has_liq);
	pl.account = PX_MARKET;
	pl.type = ENGINE_T_LIMIT;
	pl.qty = dec_from_int(2);
	pl.price = px_price_abs(dec_from_int(54000));
	assert_int_equal(px_place(px, &pl, &res, &err), 0);
	assert_int_equal(px_set_mark_index(px, s.in, &pos.liq_price, NULL, &err), 0);
	assert_int_equal(liquidation_run(px, NULL, NULL), 1);
	assert_true(run_until(&s, liquidated));
	const struct fill *f = state_fill_at(&s.st, 0);
	assert_true(f->liquidation);
	assert_int_equal(f->side, SIDE_SELL);
	assert_true(dec_eq(f->price, dec_from_int(54000)));
	assert_true(dec_eq(f->qty, dec_from_int(1)));
	assert_false(state_fill_at(&s.st, 1)->liquidation);
	sess_free(&s);
	env_free(&e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(protocol_replies),
	        cmocka_unit_test(book_10000_deltas),
	        cmocka_unit_test(private_order_flow),
	        cmocka_unit_test(liquidation_fill),
	        cmocka_unit_test(backpressure_drops),
	};
	return kt_run_tests(tests);
}
