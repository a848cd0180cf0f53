/* test_wsconn: the reconnecting WebSocket connection. The scheduling is
 * checked with an injected clock and random numbers (exponential backoff,
 * jitter bounds, reset after a stable connection, Cloudflare's connect
 * budget, the gap after maintenance, keep-alive and dead-peer decisions);
 * then a live connection to our own server on 127.0.0.1 proves it
 * reconnects and calls on_connected again, pings at the application level,
 * drops a silent peer, keeps a ping-frame connection alive on pongs, holds
 * back when the connect budget is spent, and reports it all as feed health. */
#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"
#include "core/state.h"
#include "kraken/wsconn.h"
#include "net/http_server.h"
#include "net/loop.h"
#include "tests/fixtures/net/nettest.h"
#include "tests/unit/unit.h"

static struct wsconn_policy quiet(void)
{
	struct wsconn_policy p = wsconn_policy_spot();
	p.jitter_pct = 0;
	p.backoff_first_ms = 1000;
	p.backoff_max_ms = 8000;
	p.backoff_mult = 2;
	return p;
}

static void backoff_sequence(void **state)
{
	(void)state;
	struct wsconn_policy p = quiet();
	struct wsconn_sched s;
	wsconn_sched_init(&s, &p);
	static const uint64_t want[] = {1000, 2000, 4000, 8000, 8000};
	for (size_t i = 0; i < 5; i++)
		assert_int_equal(wsconn_sched_delay(&p, &s, 1000000 + i, 12345), want[i]);
	wsconn_sched_reset(&s);
	assert_int_equal(wsconn_sched_delay(&p, &s, 2000000, 0), 1000);
	wsconn_sched_free(&s);
}

/* Jitter draws from [d*(100-j)/100, d]: the bounds are reachable, nothing
 * outside is, and the draw follows the random source. */
static void backoff_jitter(void **state)
{
	(void)state;
	struct wsconn_policy p = quiet();
	p.jitter_pct = 25;
	struct wsconn_sched s;
	wsconn_sched_init(&s, &p);
	assert_int_equal(wsconn_sched_delay(&p, &s, 0, 0), 750);
	wsconn_sched_reset(&s);
	assert_int_equal(wsconn_sched_delay(&p, &s, 0, 250), 1000);
	uint32_t x = 1;
	for (int i = 0; i < 1000; i++) {
		wsconn_sched_reset(&s);
		x = x * 1664525u + 1013904223u;
		uint64_t d = wsconn_sched_delay(&p, &s, 0, x);
		assert_true(d >= 750 && d <= 1000);
		assert_int_equal(d, 750 + x % 251);
	}
	wsconn_sched_free(&s);
}

/* Cloudflare: at most max_connects per window; the next waits for the
 * oldest to leave the window. */
static void connect_budget(void **state)
{
	(void)state;
	struct wsconn_policy p = quiet();
	p.max_connects = 3;
	p.connect_window_ms = 10000;
	struct wsconn_sched s;
	wsconn_sched_init(&s, &p);
	assert_int_equal(wsconn_sched_wait(&p, &s, 0), 0);
	wsconn_sched_note_connect(&s, 100);
	wsconn_sched_note_connect(&s, 200);
	assert_int_equal(wsconn_sched_wait(&p, &s, 300), 0);
	wsconn_sched_note_connect(&s, 300);
	assert_int_equal(wsconn_sched_wait(&p, &s, 400), 9700);
	assert_int_equal(wsconn_sched_delay(&p, &s, 400, 0), 9700);
	assert_int_equal(wsconn_sched_wait(&p, &s, 10100), 0);
	wsconn_sched_note_connect(&s, 10100);
	assert_int_equal(wsconn_sched_wait(&p, &s, 10100), 100); /* now 200 is the oldest */
	wsconn_sched_free(&s);
}

static void maintenance_gap(void **state)
{
	(void)state;
	struct wsconn_policy p = quiet();
	struct wsconn_sched s;
	wsconn_sched_init(&s, &p);
	wsconn_sched_note_connect(&s, 100);
	assert_int_equal(wsconn_sched_delay(&p, &s, 200, 0), 1000);
	s.maint = true;
	wsconn_sched_reset(&s);
	assert_int_equal(wsconn_sched_delay(&p, &s, 200, 0), 4900);
	assert_int_equal(wsconn_sched_wait(&p, &s, 6000), 0);
	wsconn_sched_free(&s);
}

static void keepalive_schedule(void **state)
{
	(void)state;
	struct wsconn_policy p = wsconn_policy_spot(); /* ping 20 s, dead after 45 s */
	uint64_t open = 1000;
	assert_int_equal(wsconn_keepalive(&p, open + 19999, open, open), WSCONN_KA_NONE);
	assert_int_equal(wsconn_keepalive(&p, open + 20000, open, open), WSCONN_KA_PING);
	/* pinged at +20 s, data at +30 s: next ping at +40 s */
	assert_int_equal(wsconn_keepalive(&p, open + 39999, open + 30000, open + 20000),
	                 WSCONN_KA_NONE);
	assert_int_equal(wsconn_keepalive(&p, open + 40000, open + 30000, open + 20000),
	                 WSCONN_KA_PING);
	assert_int_equal(wsconn_keepalive(&p, open + 75000, open + 30000, open + 60000),
	                 WSCONN_KA_DEAD);
	assert_int_equal(wsconn_keepalive(&p, open + 5000, open, 0), WSCONN_KA_NONE);
	p.ping_every_ms = 0;
	p.dead_after_ms = 0;
	assert_int_equal(wsconn_keepalive(&p, open + 10000000, open, open), WSCONN_KA_NONE);
}

/* ---- live ---- */

struct fx {
	struct kt_loop *loop;
	struct http_server *srv;
	int port;
	char url[64];
	struct state st;
	struct wsconn *c;
	/* server side */
	int srv_opens, srv_msgs;
	bool srv_drop_on_hello, srv_drop_on_open, srv_welcome;
	/* client side */
	int connected, reconnected, disconnected, pings, raw;
	int stop_after_connects;
	char last_msg[64];
	char last_reason[160];
};

static int srv_upgrade(void *ctx, struct http_conn *conn, const char *path,
                       const struct http_request *req)
{
	struct fx *fx = ctx;
	(void)path;
	(void)req;
	fx->srv_opens++;
	if (fx->srv_welcome)
		ws_conn_send(conn, "welcome", 7);
	if (fx->srv_drop_on_open)
		ws_conn_drop(conn);
	return 0;
}

static void srv_request(void *ctx, struct http_request *req)
{
	(void)ctx;
	http_reply(req, 404, NULL, "", 0, NULL);
}

static void srv_message(void *ctx, struct http_conn *conn, const char *data, size_t len,
                        bool binary)
{
	struct fx *fx = ctx;
	(void)binary;
	fx->srv_msgs++;
	if (fx->srv_drop_on_hello && len == 5 && memcmp(data, "hello", 5) == 0) {
		fx->srv_drop_on_hello = false;
		ws_conn_drop(conn);
	}
}

static void srv_close(void *ctx, struct http_conn *conn, int code, const char *reason)
{
	(void)ctx;
	(void)conn;
	(void)code;
	(void)reason;
}

static const struct http_server_ops srv_ops = {
        .on_request = srv_request,
        .on_ws_upgrade = srv_upgrade,
        .on_ws_message = srv_message,
        .on_ws_close = srv_close,
};

static void cl_connected(void *ctx, bool reconnect)
{
	struct fx *fx = ctx;
	fx->connected++;
	fx->reconnected += reconnect;
	wsconn_send(fx->c, "hello", 5);
	if (fx->stop_after_connects && fx->connected >= fx->stop_after_connects)
		kt_loop_stop(fx->loop);
}

static void cl_message(void *ctx, const char *msg, size_t len)
{
	struct fx *fx = ctx;
	snprintf(fx->last_msg, sizeof fx->last_msg, "%.*s", (int)len, msg);
}

static void cl_disconnected(void *ctx, int code, const char *reason)
{
	struct fx *fx = ctx;
	(void)code;
	snprintf(fx->last_reason, sizeof fx->last_reason, "%s", reason);
	fx->disconnected++;
}

static void cl_ping(void *ctx)
{
	struct fx *fx = ctx;
	fx->pings++;
	wsconn_send(fx->c, "ping", 4);
}

static void cl_raw(void *ctx, const char *msg, size_t len)
{
	struct fx *fx = ctx;
	(void)msg;
	(void)len;
	fx->raw++;
}

static const struct wsconn_ops cl_ops = {
        .on_connected = cl_connected,
        .on_message = cl_message,
        .on_disconnected = cl_disconnected,
        .send_ping = cl_ping,
};

static struct wsconn_policy fast(void)
{
	struct wsconn_policy p = wsconn_policy_spot();
	p.backoff_first_ms = 20;
	p.backoff_max_ms = 100;
	p.jitter_pct = 0;
	p.ping_every_ms = 0;
	p.dead_after_ms = 0;
	p.tick_ms = 10;
	return p;
}

static int setup(void **state)
{
	struct fx *fx = xcalloc(1, sizeof *fx);
	struct kerr err = KERR_INIT;
	fx->loop = kt_loop_new(NULL, &err);
	assert_non_null(fx->loop);
	fx->srv = http_server_start(kt_loop_uv(fx->loop), "127.0.0.1", 0, &srv_ops, fx, &err);
	assert_non_null(fx->srv);
	fx->port = http_server_port(fx->srv);
	snprintf(fx->url, sizeof fx->url, "ws://127.0.0.1:%d/v2", fx->port);
	state_init(&fx->st);
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
	wsconn_free(fx->c);
	http_server_stop(fx->srv, srv_stopped, fx);
	assert_true(nt_run(fx->loop, 5000));
	kt_loop_free(fx->loop);
	state_free(&fx->st);
	free(fx);
	return 0;
}

static void start(struct fx *fx, const struct wsconn_policy *p)
{
	fx->c = wsconn_new(fx->loop, &fx->st, FEED_SPOT_PUBLIC, fx->url, p, &cl_ops, fx, NULL);
	wsconn_set_raw_hook(fx->c, cl_raw, fx);
	wsconn_start(fx->c);
}

/* A dropped connection comes back and the owner resubscribes. */
static void live_reconnect(void **state)
{
	struct fx *fx = *state;
	fx->srv_drop_on_hello = true;
	fx->srv_welcome = true;
	fx->stop_after_connects = 2;
	struct wsconn_policy p = fast();
	start(fx, &p);
	assert_true(nt_run(fx->loop, 5000));
	assert_int_equal(fx->connected, 2);
	assert_int_equal(fx->reconnected, 1);
	assert_int_equal(fx->disconnected, 1);
	assert_int_equal(fx->srv_opens, 2);
	assert_int_equal(wsconn_opens(fx->c), 2);
	assert_true(wsconn_is_open(fx->c));
	assert_int_equal(fx->st.feeds[FEED_SPOT_PUBLIC].state, FEED_UP);
	assert_int_equal(fx->st.feeds[FEED_SPOT_PUBLIC].reconnects, 1);
	/* the welcome of the first connection went through the raw hook first */
	assert_true(fx->raw >= 1);
	assert_true(fx->st.feeds[FEED_SPOT_PUBLIC].messages >= 1);
	wsconn_stop(fx->c);
	assert_int_equal(fx->st.feeds[FEED_SPOT_PUBLIC].state, FEED_OFF);
	assert_false(wsconn_is_open(fx->c));
	assert_int_equal(wsconn_send(fx->c, "x", 1), -1);
}

/* Application pings go out; a peer that never answers is dropped. */
static void live_dead_peer(void **state)
{
	struct fx *fx = *state;
	fx->stop_after_connects = 2;
	struct wsconn_policy p = fast();
	p.ping_every_ms = 30;
	p.dead_after_ms = 250;
	start(fx, &p);
	assert_true(nt_run(fx->loop, 10000));
	assert_int_equal(fx->connected, 2);
	assert_true(fx->pings >= 2);
	assert_true(fx->srv_msgs >= 3); /* hello + pings */
	assert_non_null(strstr(fx->last_reason, "nothing received"));
}

static void stop_loop(void *arg)
{
	struct fx *fx = arg;
	kt_loop_stop(fx->loop);
}

/* Protocol ping frames are answered with pongs, which count as traffic. */
static void live_ping_frames(void **state)
{
	struct fx *fx = *state;
	struct wsconn_policy p = fast();
	p.ping_frames = true;
	p.ping_every_ms = 20;
	p.dead_after_ms = 600;
	start(fx, &p);
	kt_timer_start(fx->loop, 1500, 0, stop_loop, fx);
	kt_loop_run(fx->loop);
	assert_int_equal(fx->connected, 1);
	assert_int_equal(fx->pings, 0); /* no application pings with frames */
	assert_true(wsconn_last_msg_age_ms(fx->c) >= 0);
	assert_true(wsconn_last_msg_age_ms(fx->c) < 600);
}

/* With the connect budget spent, the connection waits instead of hammering. */
static void live_connect_budget(void **state)
{
	struct fx *fx = *state;
	fx->srv_drop_on_open = true;
	struct wsconn_policy p = fast();
	p.backoff_first_ms = 5;
	p.max_connects = 2;
	p.connect_window_ms = 60000;
	start(fx, &p);
	kt_timer_start(fx->loop, 400, 0, stop_loop, fx);
	kt_loop_run(fx->loop);
	assert_int_equal(fx->srv_opens, 2);
	assert_int_equal(fx->st.feeds[FEED_SPOT_PUBLIC].state, FEED_BACKOFF);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(backoff_sequence),
	        cmocka_unit_test(backoff_jitter),
	        cmocka_unit_test(connect_budget),
	        cmocka_unit_test(maintenance_gap),
	        cmocka_unit_test(keepalive_schedule),
	        cmocka_unit_test_setup_teardown(live_reconnect, setup, teardown),
	        cmocka_unit_test_setup_teardown(live_dead_peer, setup, teardown),
	        cmocka_unit_test_setup_teardown(live_ping_frames, setup, teardown),
	        cmocka_unit_test_setup_teardown(live_connect_budget, setup, teardown),
	};
	return kt_run_tests(tests);
}
