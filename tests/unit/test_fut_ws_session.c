/* test_fut_ws_session: the Futures WS session over the real loop against a
 * scripted server (net/http_server): it subscribes heartbeat and the watched
 * book, answers the challenge with a correct signature on every private
 * subscribe, resubscribes a book after a seq gap, and after the server drops
 * the connection it reconnects, re-challenges (a new challenge is signed),
 * resubscribes everything and calls the owner back (reconnect = true). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/jscan.h"
#include "core/state.h"
#include "kraken/fut_ws.h"
#include "kraken/fut_ws_codec.h"
#include "net/http_server.h"
#include "net/loop.h"
#include "net/sign.h"
#include "tests/fixtures/net/nettest.h"
#include "tests/unit/unit.h"

#define KEY "test-key"
#define SECRET                                                                                     \
	"7zxMEF5p/Z8l2p2U7Ghv6x14Af+Fx+92tPgUdVQ748FOIrEoT9bgT+bTRfXc5pz8na+hL/QdrCVG7bh9KpT0eMTm"

struct fake {
	struct kt_loop *loop;
	struct http_server *srv;
	struct http_conn *conn;
	struct state *st;
	int xbt;
	int connection; /* 1, 2 */
	char challenge[64];
	int challenges;
	int private_ok, private_bad;
	int book_subs, book_unsubs, hb_subs;
	bool resynced; /* conn 1: the post-gap snapshot was sent */
	bool marker_sent;
	int64_t seq; /* next book seq to send */
	int callbacks;
	bool cb_reconnect[4];
	bool done, dropped;
	struct jdoc doc;
};

static void sendf(struct fake *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void sendf(struct fake *f, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	ws_conn_send(f->conn, buf, (size_t)n);
}

static void send_delta(struct fake *f, const char *side, const char *price, const char *qty)
{
	sendf(f,
	      "{\"feed\":\"book\",\"product_id\":\"PF_XBTUSD\",\"side\":\"%s\",\"seq\":%lld,"
	      "\"price\":%s,\"qty\":%s,\"timestamp\":1}",
	      side, (long long)f->seq++, price, qty);
}

static void send_snapshot(struct fake *f, int64_t seq)
{
	f->seq = seq;
	sendf(f,
	      "{\"feed\":\"book_snapshot\",\"product_id\":\"PF_XBTUSD\",\"timestamp\":1,\"seq\":%"
	      "lld,"
	      "\"tickSize\":null,\"bids\":[{\"price\":100.5,\"qty\":1}],"
	      "\"asks\":[{\"price\":101,\"qty\":2}]}",
	      (long long)f->seq++);
}

/* Once both the book and the private feeds are settled, a marker delta tells
 * the client-side listener that this connection's script is complete. */
static void maybe_marker(struct fake *f)
{
	bool book_ok = f->connection == 1 ? f->resynced : f->book_subs >= 3;
	if (f->marker_sent || !book_ok || f->private_ok < 6 * f->connection)
		return;
	f->marker_sent = true;
	send_delta(f, "buy", "99", "7");
}

static bool str_is(struct jdoc *d, const char *key, const char *want)
{
	return jstr_eq(d, jobj_get(d, 0, key), want);
}

static void on_sub(struct fake *f, bool on)
{
	struct jdoc *d = &f->doc;
	char feed[40];
	jtok_str(d, jobj_get(d, 0, "feed"), feed, sizeof feed);
	if (fut_ws_feed_is_private(feed)) {
		char orig[64], sig[KRAKEN_SIGN_B64_SIZE], want[KRAKEN_SIGN_B64_SIZE];
		jtok_str(d, jobj_get(d, 0, "original_challenge"), orig, sizeof orig);
		jtok_str(d, jobj_get(d, 0, "signed_challenge"), sig, sizeof sig);
		kraken_futures_sign_challenge(SECRET, f->challenge, want, sizeof want, NULL);
		if (!on || !str_is(d, "api_key", KEY) || strcmp(orig, f->challenge) != 0 ||
		    strcmp(sig, want) != 0) {
			f->private_bad++;
			sendf(f, "{\"event\":\"subscribed_failed\",\"feed\":\"%s\"}", feed);
			return;
		}
		f->private_ok++;
		sendf(f, "{\"event\":\"subscribed\",\"feed\":\"%s\",\"api_key\":\"%s\"}", feed,
		      KEY);
		if (strcmp(feed, "open_orders_verbose") == 0)
			sendf(f,
			      "{\"feed\":\"open_orders_verbose_snapshot\",\"account\":\"a\","
			      "\"orders\":"
			      "[{\"instrument\":\"PF_XBTUSD\",\"time\":1,\"last_update_time\":1,"
			      "\"qty\":1,\"filled\":0,\"limit_price\":90,\"stop_price\":0,\"type\":"
			      "\"limit\",\"order_id\":\"o-%d\",\"direction\":0,\"reduce_only\":"
			      "false}]}",
			      f->connection);
		maybe_marker(f);
		return;
	}
	if (strcmp(feed, "heartbeat") == 0) {
		f->hb_subs++;
		sendf(f, "{\"event\":\"subscribed\",\"feed\":\"heartbeat\"}");
		sendf(f, "{\"feed\":\"heartbeat\",\"time\":1534262350627}");
		return;
	}
	if (strcmp(feed, "book") != 0)
		return;
	sendf(f, "{\"event\":\"%s\",\"feed\":\"book\",\"product_ids\":[\"PF_XBTUSD\"]}",
	      on ? "subscribed" : "unsubscribed");
	if (!on) {
		f->book_unsubs++;
		return;
	}
	f->book_subs++;
	if (f->connection == 1 && f->book_subs == 1) {
		send_snapshot(f, 100);
		send_delta(f, "sell", "101", "3");
		send_delta(f, "buy", "100.5", "0");
		f->seq += 3; /* a gap: 105 follows 102 */
		send_delta(f, "buy", "100", "4");
	} else if (f->connection == 1) {
		send_snapshot(f, 200);
		send_delta(f, "sell", "102", "1");
		f->resynced = true;
	} else {
		send_snapshot(f, 300);
		send_delta(f, "sell", "103", "1");
	}
	maybe_marker(f);
}

static void srv_message(void *ctx, struct http_conn *c, const char *data, size_t len, bool binary)
{
	(void)c;
	(void)binary;
	struct fake *f = ctx;
	if (jdoc_parse(&f->doc, data, len, NULL) < 0)
		fail_msg("client sent bad JSON: %.*s", (int)len, data);
	struct jdoc *d = &f->doc;
	if (str_is(d, "event", "challenge")) {
		assert_true(str_is(d, "api_key", KEY));
		snprintf(f->challenge, sizeof f->challenge,
		         "c100b894-1729-464d-ace1-52dbce11db%02d", ++f->challenges);
		sendf(f, "{\"event\":\"challenge\",\"message\":\"%s\"}", f->challenge);
	} else if (str_is(d, "event", "subscribe")) {
		on_sub(f, true);
	} else if (str_is(d, "event", "unsubscribe")) {
		on_sub(f, false);
	}
}

static int srv_upgrade(void *ctx, struct http_conn *c, const char *path,
                       const struct http_request *req)
{
	(void)req;
	struct fake *f = ctx;
	if (strcmp(path, "/ws/v1") != 0)
		return 404;
	f->conn = c;
	f->connection++;
	f->marker_sent = false;
	ws_conn_send(c, "{\"event\":\"info\",\"version\":1}", 28);
	return 0;
}

static void srv_close(void *ctx, struct http_conn *c, int code, const char *reason)
{
	(void)code;
	(void)reason;
	struct fake *f = ctx;
	if (f->conn == c)
		f->conn = NULL;
}

static void srv_request(void *ctx, struct http_request *req)
{
	(void)ctx;
	http_reply(req, 404, NULL, "", 0, NULL);
}

/* Client side: the state's events drive the script. */
static void listener(void *ctx, const struct state_event *ev)
{
	struct fake *f = ctx;
	if (ev->kind != EV_BOOK || f->done)
		return;
	const struct market *m = state_market_peek(f->st, f->xbt);
	if (!m || !m->book.valid)
		return;
	if (f->connection == 1 && m->book.seq == 202 && !f->dropped) {
		f->dropped = true;
		ws_conn_drop(f->conn);
	} else if (f->connection == 2 && m->book.seq == 302) {
		f->done = true;
		kt_loop_stop(f->loop);
	}
}

static void owner_cb(void *arg, bool reconnect)
{
	struct fake *f = arg;
	if (f->callbacks < 4)
		f->cb_reconnect[f->callbacks] = reconnect;
	f->callbacks++;
}

static void stopped(void *arg)
{
	kt_loop_stop(arg);
}

static void reconnect_and_resubscribe(void **state)
{
	(void)state;
	struct fake f;
	memset(&f, 0, sizeof f);
	jdoc_init(&f.doc);
	struct kerr err = KERR_INIT;
	f.loop = kt_loop_new(NULL, &err);
	assert_non_null(f.loop);
	struct state st;
	state_init(&st);
	f.st = &st;
	struct instrument in;
	memset(&in, 0, sizeof in);
	strcpy(in.id, "PF_XBTUSD");
	in.product = PRODUCT_FUTURES;
	in.kind = IK_PERP_LINEAR;
	in.price_dp = 1;
	in.qty_dp = 4;
	f.xbt = state_add_instrument(&st, &in);
	state_listen(&st, listener, &f);

	static const struct http_server_ops sops = {
	        .on_request = srv_request,
	        .on_ws_upgrade = srv_upgrade,
	        .on_ws_message = srv_message,
	        .on_ws_close = srv_close,
	};
	f.srv = http_server_start(kt_loop_uv(f.loop), "127.0.0.1", 0, &sops, &f, &err);
	assert_non_null(f.srv);
	char url[64];
	snprintf(url, sizeof url, "ws://127.0.0.1:%d/ws/v1", http_server_port(f.srv));

	struct wsconn_policy pol = wsconn_policy_futures();
	pol.backoff_first_ms = 20;
	pol.backoff_max_ms = 100;
	pol.connect_window_ms = 0;
	struct fut_ws_opts o = {.url = url,
	                        .api_key = KEY,
	                        .api_secret = SECRET,
	                        .policy = &pol,
	                        .on_connected = owner_cb,
	                        .arg = &f};
	struct fut_ws *s = fut_ws_new(f.loop, &st, &o, &err);
	assert_non_null(s);
	assert_int_equal(fut_ws_subscribe(s, "book", "PF_XBTUSD"), 0);
	assert_int_equal(fut_ws_subscribe(s, "fills", "PF_XBTUSD"), -1); /* not a public feed */
	fut_ws_start(s);
	assert_true(nt_run(f.loop, 10000));

	assert_true(f.done);
	assert_int_equal(f.connection, 2);
	assert_int_equal(f.challenges, 2);
	assert_int_equal(f.private_ok, 12); /* 6 feeds, each connection, each correctly signed */
	assert_int_equal(f.private_bad, 0);
	assert_int_equal(f.hb_subs, 2);
	assert_int_equal(f.book_unsubs, 1); /* the gap's resubscribe */
	assert_int_equal(f.book_subs, 3);
	assert_int_equal(f.callbacks, 2);
	assert_false(f.cb_reconnect[0]);
	assert_true(f.cb_reconnect[1]);
	const struct market *m = state_market_peek(&st, f.xbt);
	assert_int_equal(m->seq_gaps, 1);
	assert_int_equal(m->resyncs, 2); /* after the gap, and after the reconnect */
	assert_int_equal(book_count(&m->book, SIDE_SELL), 2);
	assert_non_null(state_order_get(&st, "o-2"));
	assert_int_equal(st.feeds[FEED_FUT_PRIVATE].state, FEED_UP);
	assert_int_equal(st.feeds[FEED_FUT_PUBLIC].state, FEED_UP);
	/* each channel's last message is known, on the right side */
	assert_non_null(state_feed_channel(&st, FEED_FUT_PUBLIC, "book"));
	assert_non_null(state_feed_channel(&st, FEED_FUT_PRIVATE, "open_orders_verbose"));
	assert_null(state_feed_channel(&st, FEED_FUT_PUBLIC, "open_orders_verbose"));
	assert_true(state_feed_channel(&st, FEED_FUT_PRIVATE, "open_orders_verbose")->last_msg_mono_ms >
		    0);
	struct fut_ws_stats stats;
	fut_ws_stats(s, &stats);
	assert_true(stats.authed);
	assert_int_equal(stats.gaps, 1);
	assert_int_equal(stats.errors, 0);
	assert_int_equal(stats.connects, 2);

	fut_ws_free(s);
	http_server_stop(f.srv, stopped, f.loop);
	nt_run(f.loop, 5000);
	kt_loop_free(f.loop);
	state_free(&st);
	jdoc_free(&f.doc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(reconnect_and_resubscribe),
	};
	return kt_run_tests(tests);
}
