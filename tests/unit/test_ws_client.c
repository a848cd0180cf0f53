/* test_ws_client: the lws WebSocket client on the loop, against our own
 * server (net/http_server.h) in the same loop, a scripted raw server
 * (tests/fixtures/net/rawws.c) for fragments and oversized messages, and
 * socat as a TLS front for wss with a throw-away CA.
 *
 * Proves: connect/echo/graceful close with the code and reason on both sides;
 * messages queued before open go out once open; many messages arrive whole and
 * in order; a big message arrives once, whole; fragmented messages are
 * reassembled; an oversized one closes with 1009; the peer's close code and a
 * dropped connection reach on_close; reconnecting from on_close works; ping
 * gets a pong; refused connections, refused upgrades and bad URLs are reported;
 * close or free before open and free inside a callback stop all callbacks;
 * wss is accepted with the right CA and refused without it, with the reason;
 * freeing the loop with live connections leaks nothing (sanitizer build). */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "base/sbuf.h"
#include "base/xalloc.h"
#include "net/http_server.h"
#include "net/loop.h"
#include "net/ws_client.h"
#include "net/ws_frame.h"
#include "tests/fixtures/net/nettest.h"
#include "tests/fixtures/net/rawws.h"
#include "tests/unit/unit.h"

#define BIG_LEN (1u << 20)
#define MANY    20000

struct fx;

struct cl {
	struct fx *fx;
	struct ws_client *c;
	int opens, msgs, pongs, closes;
	int close_code;
	char close_reason[512];
	char last[64];
	char first[4][64]; /* the first messages, for order checks */
	size_t last_len;
	int next_seq; /* "many": the next number expected */
	bool in_order;
	bool bad; /* something a callback saw was wrong (no asserts in callbacks) */
	/* behaviour */
	const char *send_on_open;
	int many_on_open;
	bool close_on_msg, free_on_msg, ping_on_open, reconnect_on_close;
	char url[128];
};

struct fx {
	struct kt_loop *loop;
	struct http_server *srv;
	int port;
	bool stopped;
	struct cl a, b;
	/* server side */
	int srv_opens, srv_closes, srv_close_code;
	char srv_close_reason[128];
	bool (*done)(struct fx *fx);
};

/* ---- the server (our own, plain ws) ---- */

static void check_done(struct fx *fx)
{
	if (fx->done && fx->done(fx))
		kt_loop_stop(fx->loop);
}

static void srv_request(void *ctx, struct http_request *req)
{
	http_reply(req, 404, NULL, "no", 2, NULL);
}

static int srv_upgrade(void *ctx, struct http_conn *conn, const char *path,
                       const struct http_request *req)
{
	struct fx *fx = ctx;
	if (strcmp(path, "/nope") == 0)
		return 404;
	fx->srv_opens++;
	return 0;
}

static void srv_message(void *ctx, struct http_conn *conn, const char *data, size_t len,
                        bool binary)
{
	if (len == 4 && memcmp(data, "drop", 4) == 0) {
		ws_conn_drop(conn);
	} else if (len == 5 && memcmp(data, "close", 5) == 0) {
		ws_conn_close(conn, 4001, "go away");
	} else if (len == 3 && memcmp(data, "big", 3) == 0) {
		char *big = xmalloc(BIG_LEN);
		for (size_t i = 0; i < BIG_LEN; i++)
			big[i] = (char)('a' + i % 26);
		ws_conn_send(conn, big, BIG_LEN);
		free(big);
	} else {
		ws_conn_send(conn, data, len);
	}
}

static void srv_close(void *ctx, struct http_conn *conn, int code, const char *reason)
{
	struct fx *fx = ctx;
	fx->srv_closes++;
	fx->srv_close_code = code;
	snprintf(fx->srv_close_reason, sizeof fx->srv_close_reason, "%s", reason);
	check_done(fx);
}

static const struct http_server_ops srv_ops = {
        .on_request = srv_request,
        .on_ws_upgrade = srv_upgrade,
        .on_ws_message = srv_message,
        .on_ws_close = srv_close,
};

static void srv_stopped(void *arg)
{
	struct fx *fx = arg;
	fx->stopped = true;
	kt_loop_stop(fx->loop);
}

static struct fx *fx_new(const struct kt_loop_opts *opts, bool with_server)
{
	struct fx *fx = xcalloc(1, sizeof *fx);
	struct kerr err = KERR_INIT;
	fx->loop = kt_loop_new(opts, &err);
	if (!fx->loop)
		fail_msg("loop: %s", err.msg);
	if (with_server) {
		fx->srv =
		        http_server_start(kt_loop_uv(fx->loop), "127.0.0.1", 0, &srv_ops, fx, &err);
		if (!fx->srv)
			fail_msg("server: %s", err.msg);
		fx->port = http_server_port(fx->srv);
	}
	fx->a.fx = fx->b.fx = fx;
	fx->a.in_order = fx->b.in_order = true;
	return fx;
}

static void fx_free(struct fx *fx)
{
	bool bad = fx->a.bad || fx->b.bad;
	if (fx->srv) {
		fx->done = NULL;
		http_server_stop(fx->srv, srv_stopped, fx);
		assert_true(nt_run(fx->loop, 5000));
	}
	kt_loop_free(fx->loop);
	free(fx);
	assert_false(bad);
}

static int setup(void **state)
{
	*state = fx_new(NULL, true);
	return 0;
}

static int teardown(void **state)
{
	fx_free(*state);
	return 0;
}

/* ---- the client ---- */

static void cl_open(void *arg);
static void cl_message(void *arg, const char *data, size_t len);
static void cl_close(void *arg, int code, const char *reason);
static void cl_pong(void *arg);

static const struct ws_client_ops cl_ops = {
        .on_open = cl_open,
        .on_message = cl_message,
        .on_close = cl_close,
        .on_pong = cl_pong,
};

/* Connect k to url. Called from callbacks too: no assert, a flag. */
static void cl_connect(struct cl *k, const char *url)
{
	struct kerr err = KERR_INIT;
	if (url != k->url)
		snprintf(k->url, sizeof k->url, "%s", url);
	k->c = ws_client_connect(k->fx->loop, k->url, &cl_ops, k, &err);
	if (!k->c) {
		print_message("# connect %s: %s\n", k->url, err.msg);
		k->bad = true;
	}
}

static void cl_open(void *arg)
{
	struct cl *k = arg;
	k->opens++;
	if (!ws_client_is_open(k->c))
		k->bad = true;
	if (k->send_on_open && ws_client_send(k->c, k->send_on_open, strlen(k->send_on_open)) != 0)
		k->bad = true;
	for (int i = 0; i < k->many_on_open; i++) {
		char m[32];
		int n = snprintf(m, sizeof m, "%d", i);
		ws_client_send(k->c, m, (size_t)n);
	}
	if (k->ping_on_open)
		ws_client_ping(k->c);
	check_done(k->fx);
}

static void cl_message(void *arg, const char *data, size_t len)
{
	struct cl *k = arg;
	if (k->msgs < 4)
		snprintf(k->first[k->msgs], sizeof k->first[0], "%.*s", (int)(len < 63 ? len : 63),
		         data);
	k->msgs++;
	k->last_len = len;
	snprintf(k->last, sizeof k->last, "%.*s", (int)(len < 63 ? len : 63), data);
	if (k->many_on_open) {
		char m[32];
		int n = snprintf(m, sizeof m, "%d", k->next_seq++);
		if ((size_t)n != len || memcmp(m, data, len) != 0)
			k->in_order = false;
	}
	if (k->last_len == BIG_LEN) {
		for (size_t i = 0; i < len; i++)
			if (data[i] != (char)('a' + i % 26)) {
				k->in_order = false;
				break;
			}
	}
	if (k->free_on_msg) {
		ws_client_free(k->c);
		k->c = NULL;
	} else if (k->close_on_msg) {
		ws_client_close(k->c, 1000, "bye");
		if (ws_client_send(k->c, "late", 4) != -1)
			k->bad = true;
	}
	check_done(k->fx);
}

static void cl_close(void *arg, int code, const char *reason)
{
	struct cl *k = arg;
	k->closes++;
	k->close_code = code;
	snprintf(k->close_reason, sizeof k->close_reason, "%s", reason);
	k->c = NULL; /* freed after this returns */
	if (k->reconnect_on_close) {
		k->reconnect_on_close = false;
		k->send_on_open = "again";
		cl_connect(k, k->url);
	}
	check_done(k->fx);
}

static void cl_pong(void *arg)
{
	struct cl *k = arg;
	k->pongs++;
	check_done(k->fx);
}

static void url_of(struct fx *fx, char *buf, size_t cap, const char *path)
{
	snprintf(buf, cap, "ws://127.0.0.1:%d%s", fx->port, path);
}

/* ---- cases ---- */

static bool a_closed_and_srv_closed(struct fx *fx)
{
	return fx->a.closes && fx->srv_closes;
}

/* Echo, then a graceful close: both sides see 1000 "bye"; a send after
 * close is refused. */
static void echo_and_close(void **state)
{
	struct fx *fx = *state;
	char u[128];
	url_of(fx, u, sizeof u, "/echo");
	fx->a.send_on_open = "hello";
	fx->a.close_on_msg = true;
	fx->done = a_closed_and_srv_closed;
	cl_connect(&fx->a, u);
	assert_true(nt_run(fx->loop, 5000));
	assert_int_equal(fx->a.opens, 1);
	assert_int_equal(fx->a.msgs, 1);
	assert_string_equal(fx->a.last, "hello");
	assert_int_equal(fx->a.closes, 1);
	assert_int_equal(fx->a.close_code, 1000);
	assert_string_equal(fx->a.close_reason, "bye");
	assert_int_equal(fx->srv_close_code, 1000);
	assert_string_equal(fx->srv_close_reason, "bye");
}

static bool a_has_3(struct fx *fx)
{
	return fx->a.msgs == 3;
}

/* Messages queued before the connection opens are sent, in order, once open. */
static void send_before_open(void **state)
{
	struct fx *fx = *state;
	char u[128];
	url_of(fx, u, sizeof u, "/echo");
	cl_connect(&fx->a, u);
	assert_int_equal(ws_client_send(fx->a.c, "0", 1), 0);
	assert_int_equal(ws_client_send(fx->a.c, "1", 1), 0);
	assert_int_equal(ws_client_send(fx->a.c, "2", 1), 0);
	fx->a.many_on_open = 0;
	fx->a.next_seq = 0;
	fx->done = a_has_3;
	assert_true(nt_run(fx->loop, 5000));
	assert_int_equal(fx->a.msgs, 3);
	assert_string_equal(fx->a.last, "2");
	ws_client_free(fx->a.c);
}

static bool a_has_many(struct fx *fx)
{
	return fx->a.msgs == MANY;
}

/* Many small messages: all echoed back, each whole, in order. */
static void many_in_order(void **state)
{
	struct fx *fx = *state;
	char u[128];
	url_of(fx, u, sizeof u, "/echo");
	fx->a.many_on_open = MANY;
	fx->done = a_has_many;
	cl_connect(&fx->a, u);
	assert_true(nt_run(fx->loop, 20000));
	assert_int_equal(fx->a.msgs, MANY);
	assert_true(fx->a.in_order);
	ws_client_free(fx->a.c);
}

static bool a_has_1(struct fx *fx)
{
	return fx->a.msgs == 1;
}

/* A 1 MiB message (which lws hands over in pieces) arrives once, whole. */
static void big_message_whole(void **state)
{
	struct fx *fx = *state;
	char u[128];
	url_of(fx, u, sizeof u, "/echo");
	fx->a.send_on_open = "big";
	fx->done = a_has_1;
	cl_connect(&fx->a, u);
	assert_true(nt_run(fx->loop, 10000));
	assert_int_equal(fx->a.msgs, 1);
	assert_int_equal(fx->a.last_len, BIG_LEN);
	assert_true(fx->a.in_order); /* content checked in cl_message */
	ws_client_free(fx->a.c);
}

static bool a_closed(struct fx *fx)
{
	return fx->a.closes > 0;
}

/* The server's close code and reason reach on_close. */
static void server_close_code(void **state)
{
	struct fx *fx = *state;
	char u[128];
	url_of(fx, u, sizeof u, "/echo");
	fx->a.send_on_open = "close";
	fx->done = a_closed;
	cl_connect(&fx->a, u);
	assert_true(nt_run(fx->loop, 5000));
	assert_int_equal(fx->a.close_code, 4001);
	assert_string_equal(fx->a.close_reason, "go away");
}

static bool a_reopened(struct fx *fx)
{
	return fx->a.closes == 1 && fx->a.msgs == 1;
}

/* A dropped TCP connection is 1006 "connection lost"; reconnecting from
 * on_close works and the new connection echoes. */
static void server_drop_and_reconnect(void **state)
{
	struct fx *fx = *state;
	char u[128];
	url_of(fx, u, sizeof u, "/echo");
	fx->a.send_on_open = "drop";
	fx->a.reconnect_on_close = true;
	fx->done = a_reopened;
	cl_connect(&fx->a, u);
	assert_true(nt_run(fx->loop, 5000));
	assert_int_equal(fx->a.close_code, WS_CLIENT_ABNORMAL);
	assert_string_equal(fx->a.close_reason, "connection lost");
	assert_int_equal(fx->a.opens, 2);
	assert_string_equal(fx->a.last, "again");
	ws_client_free(fx->a.c);
}

static bool a_ponged(struct fx *fx)
{
	return fx->a.pongs > 0;
}

/* ws_client_ping sends an RFC 6455 ping; the pong reaches on_pong. */
static void ping_pong(void **state)
{
	struct fx *fx = *state;
	char u[128];
	url_of(fx, u, sizeof u, "/echo");
	fx->a.ping_on_open = true;
	fx->done = a_ponged;
	cl_connect(&fx->a, u);
	assert_true(nt_run(fx->loop, 5000));
	assert_int_equal(fx->a.pongs, 1);
	ws_client_free(fx->a.c);
}

/* Nobody listening, or an upgrade refused with 404: on_close(1006) with a
 * reason naming the URL; on_open never runs. */
static void refused(void **state)
{
	struct fx *fx = *state;
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t len = sizeof a;
	assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof a), 0); /* bound, not listening */
	getsockname(fd, (struct sockaddr *)&a, &len);
	char u[128], u2[128];
	snprintf(u, sizeof u, "ws://127.0.0.1:%d/", ntohs(a.sin_port));
	url_of(fx, u2, sizeof u2, "/nope");
	fx->done = a_closed;
	cl_connect(&fx->a, u);
	assert_true(nt_run(fx->loop, 5000));
	close(fd);
	assert_int_equal(fx->a.opens, 0);
	assert_int_equal(fx->a.close_code, WS_CLIENT_ABNORMAL);
	print_message("# refused: %s\n", fx->a.close_reason);
	assert_non_null(strstr(fx->a.close_reason, "cannot connect to ws://127.0.0.1:"));

	fx->a.closes = 0;
	cl_connect(&fx->a, u2);
	assert_true(nt_run(fx->loop, 5000));
	assert_int_equal(fx->a.opens, 0);
	assert_int_equal(fx->a.close_code, WS_CLIENT_ABNORMAL);
	print_message("# upgrade refused: %s\n", fx->a.close_reason);
	assert_non_null(strstr(fx->a.close_reason, "cannot connect to ws://127.0.0.1:"));
}

/* A server that accepts TCP but never answers the opening handshake: after
 * the loop's timeout_secs, on_close(1006) with a reason. */
static void handshake_timeout(void **state)
{
	struct kt_loop_opts o = {.timeout_secs = 1};
	struct fx *fx = fx_new(&o, false);
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t len = sizeof a;
	assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof a), 0);
	assert_int_equal(listen(fd, 4), 0); /* the kernel accepts; nobody answers */
	getsockname(fd, (struct sockaddr *)&a, &len);
	char u[128];
	snprintf(u, sizeof u, "ws://127.0.0.1:%d/", ntohs(a.sin_port));
	fx->done = a_closed;
	cl_connect(&fx->a, u);
	bool ok = nt_run(fx->loop, 10000);
	close(fd);
	struct cl r = fx->a;
	fx_free(fx);
	assert_true(ok);
	assert_int_equal(r.opens, 0);
	assert_int_equal(r.close_code, WS_CLIENT_ABNORMAL);
	print_message("# handshake timeout: %s\n", r.close_reason);
	assert_non_null(strstr(r.close_reason, "cannot connect to ws://127.0.0.1:"));
}

/* Not a ws URL: refused at once with WS_E_URL. */
static void bad_urls(void **state)
{
	struct fx *fx = *state;
	static const char *const bad[] = {"http://x/",     "ws://",       "ws://:80/",  "ws://h:0/",
	                                  "ws://h:99999/", "ws://h:12x/", "ws://[::1/", NULL};
	for (int i = 0; bad[i]; i++) {
		struct kerr err = KERR_INIT;
		assert_null(ws_client_connect(fx->loop, bad[i], &cl_ops, &fx->a, &err));
		assert_int_equal(err.code, WS_E_URL);
	}
	assert_int_equal(fx->a.closes, 0);
}

static void stop_loop(void *arg)
{
	kt_loop_stop(arg);
}

/* ws_client_close before open: on_close with our code, on_open never; and
 * ws_client_free before open: no callback at all. */
static void close_or_free_before_open(void **state)
{
	struct fx *fx = *state;
	char u[128];
	url_of(fx, u, sizeof u, "/echo");
	fx->done = a_closed;
	cl_connect(&fx->a, u);
	ws_client_close(fx->a.c, 1000, "never mind");
	assert_true(nt_run(fx->loop, 5000));
	assert_int_equal(fx->a.opens, 0);
	assert_int_equal(fx->a.closes, 1);
	assert_int_equal(fx->a.close_code, 1000);
	assert_string_equal(fx->a.close_reason, "never mind");

	fx->done = NULL;
	cl_connect(&fx->b, u);
	ws_client_free(fx->b.c);
	kt_timer_start(fx->loop, 100, 0, stop_loop, fx->loop); /* a few loop turns */
	assert_true(nt_run(fx->loop, 5000));
	assert_int_equal(fx->b.opens + fx->b.closes + fx->b.msgs, 0);
}

static bool srv_saw_close(struct fx *fx)
{
	return fx->srv_closes > 0;
}

/* ws_client_free inside on_message: no more callbacks, the server sees the
 * connection go (1006: no close handshake). */
static void free_inside_callback(void **state)
{
	struct fx *fx = *state;
	char u[128];
	url_of(fx, u, sizeof u, "/echo");
	fx->a.send_on_open = "x";
	fx->a.free_on_msg = true;
	fx->done = srv_saw_close;
	cl_connect(&fx->a, u);
	assert_true(nt_run(fx->loop, 5000));
	assert_int_equal(fx->a.msgs, 1);
	assert_int_equal(fx->a.closes, 0);
	assert_int_equal(fx->srv_close_code, 1006);
}

/* A frame builder for the raw server's scripts. */
static void frame(struct sbuf *b, enum ws_opcode op, bool fin, const char *s, size_t n)
{
	ws_frame_encode(b, op, fin, s, n, NULL);
}

static bool a_has_2(struct fx *fx)
{
	return fx->a.msgs == 2;
}

/* Fragments (with a ping between them) make one message; the next message
 * stays separate. */
static void fragmented_reassembled(void **state)
{
	struct fx *fx = *state;
	struct sbuf s = SBUF_INIT;
	frame(&s, WS_OP_TEXT, false, "hel", 3);
	frame(&s, WS_OP_CONT, false, "lo ", 3);
	frame(&s, WS_OP_PING, true, "p", 1);
	frame(&s, WS_OP_CONT, true, "world", 5);
	frame(&s, WS_OP_TEXT, true, "second", 6);
	int port;
	struct rawws *rs = rawws_start(kt_loop_uv(fx->loop), s.p, s.len, &port);
	sbuf_free(&s);
	assert_non_null(rs);
	char u[128];
	snprintf(u, sizeof u, "ws://127.0.0.1:%d/raw", port);
	struct cl *k = &fx->a;
	fx->done = a_has_2;
	cl_connect(k, u);
	bool ok = nt_run(fx->loop, 5000);
	ws_client_free(k->c);
	rawws_stop(rs);
	assert_true(ok);
	assert_int_equal(k->msgs, 2);
	assert_string_equal(k->first[0], "hello world");
	assert_string_equal(k->first[1], "second");
}

/* A message over WS_CLIENT_MAX_MESSAGE closes the connection with 1009. */
static void oversized_closes_1009(void **state)
{
	struct fx *fx = *state;
	size_t n = WS_CLIENT_MAX_MESSAGE + 1;
	char *big = xcalloc(1, n);
	memset(big, 'x', n);
	struct sbuf s = SBUF_INIT;
	frame(&s, WS_OP_TEXT, true, big, n);
	free(big);
	int port;
	struct rawws *rs = rawws_start(kt_loop_uv(fx->loop), s.p, s.len, &port);
	sbuf_free(&s);
	char u[128];
	snprintf(u, sizeof u, "ws://127.0.0.1:%d/raw", port);
	fx->done = a_closed;
	cl_connect(&fx->a, u);
	bool ok = nt_run(fx->loop, 20000);
	int code = 0, closes = rawws_closes(rs, &code);
	rawws_stop(rs);
	assert_true(ok);
	assert_int_equal(fx->a.msgs, 0);
	assert_int_equal(fx->a.close_code, WS_CLIENT_TOO_BIG);
	assert_non_null(strstr(fx->a.close_reason, "larger than 16 MiB"));
	assert_int_equal(closes, 1); /* the peer got a close frame, with 1009 */
	assert_int_equal(code, WS_CLIENT_TOO_BIG);
}

/* wss through socat (TLS) to our server: accepted with the test CA in the
 * loop options (host name "localhost", resolved on the loop), refused without
 * it with a reason that says why. Each client loop carries its own server, so
 * socat's plain side reaches a loop that runs. */
static void wss_verification(void **state)
{
	struct nt_tls tls;
	if (!nt_have("socat") || nt_tls_make(&tls, NULL) != 0)
		skip();
	struct kt_loop_opts with = {.ca_file = tls.ca, .timeout_secs = nt_tls_timeout_secs()};
	struct fx *f1 = fx_new(&with, true);
	char listen[700], target[64];
	snprintf(listen, sizeof listen,
	         "OPENSSL-LISTEN:0,bind=127.0.0.1,reuseaddr,fork,verify=0,cert=%s,key=%s", tls.cert,
	         tls.key);
	snprintf(target, sizeof target, "TCP:127.0.0.1:%d", f1->port);
	const char *const argv[] = {"socat", "-d", "-d", listen, target, NULL};
	int port;
	pid_t pid = nt_spawn_port(argv, "listening on AF=2 127.0.0.1:", &port);
	if (pid < 0) {
		fx_free(f1);
		nt_tls_clean(&tls);
		fail_msg("cannot start socat");
	}
	char u[128];
	snprintf(u, sizeof u, "wss://localhost:%d/echo", port);

	f1->a.send_on_open = "secure hello";
	f1->done = a_has_1;
	cl_connect(&f1->a, u);
	bool ok1 = nt_run(f1->loop, 20000);
	ws_client_free(f1->a.c);
	struct cl r1 = f1->a;
	fx_free(f1);

	struct kt_loop_opts without = {.timeout_secs = nt_tls_timeout_secs()};
	struct fx *f2 = fx_new(&without, false);
	f2->done = a_closed;
	cl_connect(&f2->a, u);
	bool ok2 = nt_run(f2->loop, 20000);
	struct cl r2 = f2->a;
	fx_free(f2);
	nt_kill(pid);
	nt_tls_clean(&tls);

	assert_true(ok1);
	assert_int_equal(r1.opens, 1);
	assert_string_equal(r1.last, "secure hello");
	assert_true(ok2);
	assert_int_equal(r2.opens, 0);
	assert_int_equal(r2.close_code, WS_CLIENT_ABNORMAL);
	assert_non_null(strstr(r2.close_reason, "cannot connect to wss://localhost:"));
	assert_non_null(strstr(r2.close_reason, ": TLS certificate verification failed: "
	                                        "unable to get local issuer certificate"));
}

/* A certificate for another host name, even from a trusted CA, is refused. */
static void wss_wrong_host(void **state)
{
	struct nt_tls tls;
	if (!nt_have("socat") || nt_tls_make(&tls, "DNS:not-this-host.example") != 0)
		skip();
	char listen[700];
	snprintf(listen, sizeof listen,
	         "OPENSSL-LISTEN:0,bind=127.0.0.1,reuseaddr,fork,verify=0,cert=%s,key=%s", tls.cert,
	         tls.key);
	const char *const argv[] = {"socat", "-d", "-d", listen, "TCP:127.0.0.1:9", NULL};
	int port;
	pid_t pid = nt_spawn_port(argv, "listening on AF=2 127.0.0.1:", &port);
	if (pid < 0) {
		nt_tls_clean(&tls);
		fail_msg("cannot start socat");
	}
	char u[128];
	snprintf(u, sizeof u, "wss://localhost:%d/echo", port);
	struct kt_loop_opts with = {.ca_file = tls.ca, .timeout_secs = nt_tls_timeout_secs()};
	struct fx *f = fx_new(&with, false);
	f->done = a_closed;
	cl_connect(&f->a, u);
	bool ok = nt_run(f->loop, 20000);
	struct cl r = f->a;
	fx_free(f);
	nt_kill(pid);
	nt_tls_clean(&tls);
	assert_true(ok);
	assert_int_equal(r.opens, 0);
	assert_int_equal(r.close_code, WS_CLIENT_ABNORMAL);
	print_message("# wrong host: %s\n", r.close_reason);
	assert_non_null(strstr(r.close_reason, "TLS certificate verification failed: "));
	assert_non_null(strstr(r.close_reason, "mismatch"));
}

static void never(void *arg)
{
	fail_msg("a timer fired after kt_loop_free");
}

/* Freeing the loop with an open connection (queued output, a timer), one
 * still in the handshake and one still resolving: no callback, no leak. */
static void free_loop_with_live_connections(void **state)
{
	struct fx *fx = fx_new(NULL, false);
	int port;
	struct rawws *rs = rawws_start(kt_loop_uv(fx->loop), "", 0, &port);
	char u[128];
	snprintf(u, sizeof u, "ws://127.0.0.1:%d/raw", port);
	struct cl *k = &fx->a;
	k->send_on_open = "queued";
	cl_connect(k, u);
	for (int i = 0; i < 200 && !k->opens; i++) {
		kt_timer_start(fx->loop, 5, 0, stop_loop, fx->loop);
		nt_run(fx->loop, 5000);
	}
	assert_int_equal(k->opens, 1);
	for (int i = 0; i < 100; i++)
		ws_client_send(k->c, "pending", 7);
	/* the second connection reaches the raw server's backlog: handshake pending */
	cl_connect(&fx->b, u);
	kt_timer_start(fx->loop, 20, 0, stop_loop, fx->loop);
	nt_run(fx->loop, 5000);
	/* a third one is still resolving when the loop goes */
	struct cl c3 = {.fx = fx};
	cl_connect(&c3, "ws://localhost:1/");
	kt_timer_start(fx->loop, 100000, 0, never, NULL);
	rawws_stop(rs);
	kt_loop_free(fx->loop);
	assert_int_equal(fx->a.closes + fx->b.closes + fx->b.opens + c3.opens + c3.closes, 0);
	free(fx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test_setup_teardown(echo_and_close, setup, teardown),
	        cmocka_unit_test_setup_teardown(send_before_open, setup, teardown),
	        cmocka_unit_test_setup_teardown(many_in_order, setup, teardown),
	        cmocka_unit_test_setup_teardown(big_message_whole, setup, teardown),
	        cmocka_unit_test_setup_teardown(server_close_code, setup, teardown),
	        cmocka_unit_test_setup_teardown(server_drop_and_reconnect, setup, teardown),
	        cmocka_unit_test_setup_teardown(ping_pong, setup, teardown),
	        cmocka_unit_test_setup_teardown(refused, setup, teardown),
	        cmocka_unit_test(handshake_timeout),
	        cmocka_unit_test_setup_teardown(bad_urls, setup, teardown),
	        cmocka_unit_test_setup_teardown(close_or_free_before_open, setup, teardown),
	        cmocka_unit_test_setup_teardown(free_inside_callback, setup, teardown),
	        cmocka_unit_test_setup_teardown(fragmented_reassembled, setup, teardown),
	        cmocka_unit_test_setup_teardown(oversized_closes_1009, setup, teardown),
	        cmocka_unit_test(wss_verification),
	        cmocka_unit_test(wss_wrong_host),
	        cmocka_unit_test(free_loop_with_live_connections),
	};
	if (getenv("KT_TEST_FILTER")) /* run one case while debugging */
		cmocka_set_test_filter(getenv("KT_TEST_FILTER"));
	return kt_run_tests(tests);
}
