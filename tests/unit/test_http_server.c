/* test_http_server: the HTTP/WebSocket server answers real TCP clients correctly.
 *
 * Each case starts the server on 127.0.0.1 port 0 in its own uv loop and drives it from a
 * helper thread with plain blocking sockets (receive timeout 5 s, so a bug fails instead
 * of hanging). The client thread only talks over sockets; when it is done it wakes the
 * loop (uv_async), which stops the server; the case then checks that the loop closes
 * cleanly (every handle closed), and the sanitizer build checks that nothing leaked.
 * Server-side observations (close codes, counts) are asserted after the thread joined. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <uv.h>

#include "base/sbuf.h"
#include "base/xalloc.h"
#include "net/http_parse.h"
#include "net/http_server.h"
#include "net/ws_frame.h"
#include "tests/unit/unit.h"

#define MAX_CL 8

struct cl {
	int fd;
	struct sbuf in;
};

struct fx {
	uv_loop_t loop;
	uv_async_t wake;
	uv_timer_t defer;
	struct http_server *srv;
	int port;
	int (*client)(struct fx *);
	pthread_t th;
	bool signalled; /* client thread only */
	int result;
	char msg[512];
	struct cl cls[MAX_CL];
	int ncl;
	/* server side (loop thread) */
	struct http_request *deferred, *held;
	int requests, ws_opened, ws_closed, last_close;
	int closes_1002, closes_1007, closes_1009;
	char last_reason[128];
	bool stopped;
};

/* ---- client side (helper thread) ---- */

__attribute__((format(printf, 3, 4))) static int fail_at(struct fx *fx, int line, const char *fmt,
                                                         ...)
{
	int n = snprintf(fx->msg, sizeof fx->msg, "line %d: ", line);
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(fx->msg + n, sizeof fx->msg - (size_t)n, fmt, ap);
	va_end(ap);
	return -1;
}

#define CHECK(cond, ...)                                                                           \
	do {                                                                                       \
		if (!(cond))                                                                       \
			return fail_at(fx, __LINE__, __VA_ARGS__);                                 \
	} while (0)

static void signal_done(struct fx *fx)
{
	if (!fx->signalled) {
		fx->signalled = true;
		uv_async_send(&fx->wake);
	}
}

static struct cl *cl_open(struct fx *fx)
{
	if (fx->ncl == MAX_CL)
		return NULL;
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)fx->port)};
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	struct timeval tv = {.tv_sec = 5};
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
	if (connect(fd, (struct sockaddr *)&a, sizeof a) < 0) {
		close(fd);
		return NULL;
	}
	struct cl *c = &fx->cls[fx->ncl++];
	c->fd = fd;
	sbuf_init(&c->in);
	return c;
}

static int cl_send(struct cl *c, const void *data, size_t len)
{
	const char *p = data;
	while (len) {
		ssize_t n = send(c->fd, p, len, MSG_NOSIGNAL);
		if (n <= 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

static int cl_sends(struct cl *c, const char *s)
{
	return cl_send(c, s, strlen(s));
}

/* Read more bytes: >0 read, 0 EOF, -1 error or timeout. */
static int cl_fill(struct cl *c)
{
	sbuf_reserve(&c->in, 65536);
	ssize_t n = recv(c->fd, c->in.p + c->in.len, c->in.cap - c->in.len - 1, 0);
	if (n > 0) {
		c->in.len += (size_t)n;
		c->in.p[c->in.len] = '\0';
	}
	return n > 0 ? 1 : n == 0 ? 0 : -1;
}

/* Read one HTTP response: status, head (NUL-terminated) and body. Returns 0 or -1. */
static int cl_response(struct cl *c, int *status, struct sbuf *head, struct sbuf *body)
{
	char *end;
	while (!c->in.p || !(end = strstr(c->in.p, "\r\n\r\n")))
		if (cl_fill(c) <= 0)
			return -1;
	size_t hl = (size_t)(end - c->in.p) + 4;
	sbuf_reset(head);
	sbuf_add(head, c->in.p, hl);
	if (strncmp(head->p, "HTTP/1.1 ", 9) != 0)
		return -1;
	*status = atoi(head->p + 9);
	const char *cl = strcasestr(head->p, "\r\nContent-Length:");
	size_t blen = cl ? strtoul(cl + 17, NULL, 10) : 0;
	while (c->in.len < hl + blen)
		if (cl_fill(c) <= 0)
			return -1;
	sbuf_reset(body);
	sbuf_add(body, c->in.p + hl, blen);
	sbuf_consume(&c->in, hl + blen);
	return 0;
}

/* Is the connection closed by the peer (EOF or reset) with nothing more to read? */
static bool cl_closed(struct cl *c)
{
	if (c->in.len)
		return false;
	char b;
	ssize_t n = recv(c->fd, &b, 1, 0);
	return n == 0 || (n < 0 && errno == ECONNRESET);
}

static const uint8_t cmask[4] = {0x11, 0x22, 0x33, 0x44};

static int cl_ws_send(struct cl *c, enum ws_opcode op, bool fin, const void *data, size_t len)
{
	struct sbuf b = SBUF_INIT;
	ws_frame_encode(&b, op, fin, data, len, cmask);
	int rc = cl_send(c, b.p, b.len);
	sbuf_free(&b);
	return rc;
}

/* Read one frame: 1 with *op, *fin and the payload; 0 on EOF; -1 on error/timeout. */
static int cl_ws_read(struct cl *c, int *op, bool *fin, struct sbuf *payload)
{
	for (;;) {
		struct ws_frame f;
		int code;
		ssize_t n = c->in.len ? ws_frame_decode((uint8_t *)c->in.p, c->in.len,
		                                        WS_ROLE_CLIENT, 64u << 20, &f, &code)
		                      : 0;
		if (n < 0)
			return -1;
		if (n > 0) {
			*op = f.opcode;
			*fin = f.fin;
			sbuf_reset(payload);
			sbuf_add(payload, f.payload, f.payload_len);
			sbuf_consume(&c->in, (size_t)n);
			return 1;
		}
		int r = cl_fill(c);
		if (r <= 0)
			return r;
	}
}

/* Open a WebSocket on path; returns the connection or NULL. */
static struct cl *cl_ws_open(struct fx *fx, const char *path)
{
	struct cl *c = cl_open(fx);
	if (!c)
		return NULL;
	char req[512];
	snprintf(
	        req, sizeof req,
	        "GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
	        "Connection: keep-alive, Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
	        "Sec-WebSocket-Version: 13\r\n\r\n",
	        path);
	if (cl_sends(c, req) < 0)
		return NULL;
	char *end;
	while (!c->in.p || !(end = strstr(c->in.p, "\r\n\r\n")))
		if (cl_fill(c) <= 0)
			return NULL;
	if (strncmp(c->in.p, "HTTP/1.1 101 ", 13) != 0 ||
	    !strstr(c->in.p, "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n"))
		return NULL;
	sbuf_consume(&c->in, (size_t)(end - c->in.p) + 4);
	return c;
}

/* Expect a text frame equal to s. */
static int expect_text(struct fx *fx, struct cl *c, const char *s)
{
	struct sbuf p = SBUF_INIT;
	int op = -1;
	bool fin;
	int r = cl_ws_read(c, &op, &fin, &p);
	bool ok = r == 1 && op == WS_OP_TEXT && fin && strcmp(sbuf_str(&p), s) == 0;
	if (!ok)
		fail_at(fx, __LINE__, "expected text '%.60s', got r=%d op=%d '%.60s'", s, r, op,
		        sbuf_str(&p));
	sbuf_free(&p);
	return ok ? 0 : -1;
}

/* Expect a close frame with code (and the connection ending after it). */
static int expect_close(struct fx *fx, struct cl *c, int code)
{
	struct sbuf p = SBUF_INIT;
	int op = -1;
	bool fin;
	int r = cl_ws_read(c, &op, &fin, &p);
	int got = p.len >= 2 ? ((uint8_t)p.p[0] << 8 | (uint8_t)p.p[1]) : 0;
	sbuf_free(&p);
	CHECK(r == 1 && op == WS_OP_CLOSE && got == code, "expected close %d, got r=%d op=%d %d",
	      code, r, op, got);
	return 0;
}

static void *client_main(void *arg)
{
	struct fx *fx = arg;
	fx->result = fx->client(fx);
	for (int i = 0; i < fx->ncl; i++) {
		close(fx->cls[i].fd);
		sbuf_free(&fx->cls[i].in);
	}
	signal_done(fx);
	return NULL;
}

/* ---- server side (loop thread) ---- */

static void on_defer(uv_timer_t *t)
{
	struct fx *fx = t->data;
	struct http_request *r = fx->deferred;
	fx->deferred = NULL;
	if (r)
		http_reply(r, 200, "text/plain", "deferred", 8, NULL);
}

static void app_request(void *ctx, struct http_request *req)
{
	struct fx *fx = ctx;
	fx->requests++;
	if (strcmp(req->path, "/defer") == 0) {
		fx->deferred = http_request_keep(req);
		uv_timer_start(&fx->defer, on_defer, 30, 0);
		return;
	}
	if (strcmp(req->path, "/hold") == 0) {
		fx->held = http_request_keep(req);
		return;
	}
	if (strcmp(req->path, "/drop") == 0) {
		http_request_drop(req);
		return;
	}
	if (strcmp(req->path, "/noreply") == 0)
		return;
	const char *x = http_request_header(req, "x-test");
	char *body = xasprintf("%s %s q=%s x=%s body=%s", req->method, req->path, req->query,
	                       x ? x : "-", req->body);
	http_reply(req, 200, "text/plain", body, strlen(body), "X-Served-By: test\r\n");
	free(body);
}

static int app_upgrade(void *ctx, struct http_conn *conn, const char *path,
                       const struct http_request *req)
{
	struct fx *fx = ctx;
	if (strcmp(path, "/ws") != 0)
		return 404;
	fx->ws_opened++;
	ws_conn_set_data(conn, fx);
	return 0;
}

static void app_message(void *ctx, struct http_conn *conn, const char *data, size_t len,
                        bool binary)
{
	struct fx *fx = ws_conn_data(conn);
	assert_ptr_equal(fx, ctx);
	assert_int_equal(data[len], '\0');
	if (strcmp(data, "drop") == 0) {
		ws_conn_drop(conn);
	} else if (strcmp(data, "close") == 0) {
		ws_conn_close(conn, 1000, "bye");
		assert_int_equal(ws_conn_send(conn, "late", 4), -1);
	} else if (strcmp(data, "ping") == 0) {
		ws_conn_ping(conn, "srv", 3);
	} else if (strncmp(data, "burst ", 6) == 0) {
		int n = atoi(data + 6);
		char m[32];
		for (int i = 0; i < n; i++) {
			int k = snprintf(m, sizeof m, "msg %d", i);
			assert_int_equal(ws_conn_send(conn, m, (size_t)k), 0);
		}
		assert_true(ws_conn_queued(conn) > 0);
	} else if (binary) {
		ws_conn_send_binary(conn, data, len);
	} else {
		ws_conn_send(conn, data, len);
	}
}

static void app_ws_close(void *ctx, struct http_conn *conn, int code, const char *reason)
{
	struct fx *fx = ctx;
	fx->ws_closed++;
	fx->last_close = code;
	fx->closes_1002 += code == 1002;
	fx->closes_1007 += code == 1007;
	fx->closes_1009 += code == 1009;
	snprintf(fx->last_reason, sizeof fx->last_reason, "%s", reason);
}

static const struct http_server_ops app_ops = {
        .on_request = app_request,
        .on_ws_upgrade = app_upgrade,
        .on_ws_message = app_message,
        .on_ws_close = app_ws_close,
};

static void on_stopped(void *arg)
{
	struct fx *fx = arg;
	fx->stopped = true;
	/* Kept requests outlive the server: their owner still releases them. */
	if (fx->held)
		http_request_drop(fx->held);
	if (fx->deferred)
		http_request_drop(fx->deferred);
	fx->held = fx->deferred = NULL;
}

static void on_wake(uv_async_t *a)
{
	struct fx *fx = a->data;
	http_server_stop(fx->srv, on_stopped, fx);
	uv_close((uv_handle_t *)&fx->wake, NULL);
	uv_close((uv_handle_t *)&fx->defer, NULL);
}

/* Run one client scenario against a fresh server; the result is checked by the caller. */
static struct fx *run(int (*client)(struct fx *))
{
	struct fx *fx = calloc(1, sizeof *fx);
	assert_non_null(fx);
	assert_int_equal(uv_loop_init(&fx->loop), 0);
	struct kerr err = KERR_INIT;
	fx->srv = http_server_start(&fx->loop, "127.0.0.1", 0, &app_ops, fx, &err);
	assert_non_null(fx->srv);
	fx->port = http_server_port(fx->srv);
	assert_true(fx->port > 0);
	uv_async_init(&fx->loop, &fx->wake, on_wake);
	fx->wake.data = fx;
	uv_timer_init(&fx->loop, &fx->defer);
	fx->defer.data = fx;
	fx->client = client;
	assert_int_equal(pthread_create(&fx->th, NULL, client_main, fx), 0);
	uv_run(&fx->loop, UV_RUN_DEFAULT);
	pthread_join(fx->th, NULL);
	assert_true(fx->stopped);
	assert_int_equal(uv_loop_close(&fx->loop), 0);
	if (fx->result != 0)
		fail_msg("%s", fx->msg);
	return fx;
}

/* ---- HTTP cases ---- */

static int c_get_query(struct fx *fx)
{
	struct cl *c = cl_open(fx);
	CHECK(c, "connect");
	CHECK(cl_sends(c,
	               "GET /echo?a=1&b=two HTTP/1.1\r\nHost: x\r\nX-Test:  hi there \r\n\r\n") ==
	              0,
	      "send");
	int st;
	struct sbuf h = SBUF_INIT, b = SBUF_INIT;
	CHECK(cl_response(c, &st, &h, &b) == 0, "no response");
	CHECK(st == 200, "status %d", st);
	CHECK(strcmp(b.p, "GET /echo q=a=1&b=two x=hi there body=") == 0, "body '%s'", b.p);
	CHECK(strstr(h.p, "Content-Type: text/plain\r\n") && strstr(h.p, "X-Served-By: test\r\n"),
	      "head %s", h.p);
	CHECK(!strstr(h.p, "Connection: close"), "keep-alive expected");
	/* No reply from the handler: the server answers 500 itself. */
	CHECK(cl_sends(c, "GET /noreply HTTP/1.1\r\n\r\n") == 0, "send");
	CHECK(cl_response(c, &st, &h, &b) == 0 && st == 500, "status %d", st);
	/* Bare-LF line endings are accepted. */
	CHECK(cl_sends(c, "GET /lf HTTP/1.1\nHost: x\n\n") == 0, "send");
	CHECK(cl_response(c, &st, &h, &b) == 0 && st == 200, "status %d", st);
	sbuf_free(&h);
	sbuf_free(&b);
	return 0;
}

/* GET with a query, header lookup, a handler that forgets to reply, LF-only lines. */
static void get_with_query(void **state)
{
	free(run(c_get_query));
}

static int c_post(struct fx *fx)
{
	struct cl *c = cl_open(fx);
	CHECK(c, "connect");
	int st;
	struct sbuf h = SBUF_INIT, b = SBUF_INIT;
	CHECK(cl_sends(c, "POST /echo HTTP/1.1\r\nContent-Length: 11\r\n\r\nhello world") == 0,
	      "send");
	CHECK(cl_response(c, &st, &h, &b) == 0 && st == 200, "status %d", st);
	CHECK(strcmp(b.p, "POST /echo q= x=- body=hello world") == 0, "body '%s'", b.p);
	/* Body in pieces, with Expect: 100-continue answered before the body is sent. */
	CHECK(cl_sends(c, "POST /echo HTTP/1.1\r\nExpect: 100-continue\r\n"
	                  "Content-Length: 6\r\n\r\n") == 0,
	      "send");
	while (!strstr(sbuf_str(&c->in), "\r\n\r\n"))
		CHECK(cl_fill(c) > 0, "no 100 Continue");
	CHECK(strncmp(c->in.p, "HTTP/1.1 100 Continue\r\n\r\n", 25) == 0, "got %s", c->in.p);
	sbuf_consume(&c->in, 25);
	CHECK(cl_sends(c, "abc") == 0 && cl_sends(c, "def") == 0, "send");
	CHECK(cl_response(c, &st, &h, &b) == 0 && st == 200, "status %d", st);
	CHECK(strcmp(b.p, "POST /echo q= x=- body=abcdef") == 0, "body '%s'", b.p);
	sbuf_free(&h);
	sbuf_free(&b);
	return 0;
}

/* POST bodies, whole and in pieces, and Expect: 100-continue. */
static void post_with_body(void **state)
{
	free(run(c_post));
}

static int c_pipelined(struct fx *fx)
{
	struct cl *c = cl_open(fx);
	CHECK(c, "connect");
	int st;
	struct sbuf h = SBUF_INIT, b = SBUF_INIT;
	CHECK(cl_sends(c, "GET /one HTTP/1.1\r\n\r\nPOST /two HTTP/1.1\r\nContent-Length: 2\r\n\r\n"
	                  "hiGET /three HTTP/1.1\r\n\r\n") == 0,
	      "send");
	CHECK(cl_response(c, &st, &h, &b) == 0 && st == 200, "1: %d", st);
	CHECK(strstr(b.p, "GET /one "), "1: %s", b.p);
	CHECK(cl_response(c, &st, &h, &b) == 0 && st == 200, "2: %d", st);
	CHECK(strstr(b.p, "POST /two ") && strstr(b.p, "body=hi"), "2: %s", b.p);
	CHECK(cl_response(c, &st, &h, &b) == 0 && st == 200, "3: %d", st);
	CHECK(strstr(b.p, "GET /three "), "3: %s", b.p);
	/* A deferred reply holds back the pipelined request behind it. */
	CHECK(cl_sends(c, "GET /defer HTTP/1.1\r\n\r\nGET /after HTTP/1.1\r\n\r\n") == 0, "send");
	CHECK(cl_response(c, &st, &h, &b) == 0 && st == 200, "defer: %d", st);
	CHECK(strcmp(b.p, "deferred") == 0, "defer: %s", b.p);
	CHECK(cl_response(c, &st, &h, &b) == 0 && st == 200, "after: %d", st);
	CHECK(strstr(b.p, "GET /after "), "after: %s", b.p);
	sbuf_free(&h);
	sbuf_free(&b);
	return 0;
}

/* Keep-alive with pipelined requests answered in order, including a deferred reply. */
static void keep_alive_pipelined(void **state)
{
	free(run(c_pipelined));
}

static int c_conn_close(struct fx *fx)
{
	int st;
	struct sbuf h = SBUF_INIT, b = SBUF_INIT;
	struct cl *c = cl_open(fx);
	CHECK(c && cl_sends(c, "GET /x HTTP/1.1\r\nConnection: close\r\n\r\n") == 0, "send");
	CHECK(cl_response(c, &st, &h, &b) == 0 && st == 200, "status %d", st);
	CHECK(strstr(h.p, "Connection: close\r\n"), "head %s", h.p);
	CHECK(cl_closed(c), "not closed after Connection: close");
	/* HTTP/1.0 closes by default... */
	c = cl_open(fx);
	CHECK(c && cl_sends(c, "GET /x HTTP/1.0\r\n\r\n") == 0, "send");
	CHECK(cl_response(c, &st, &h, &b) == 0 && st == 200, "status %d", st);
	CHECK(cl_closed(c), "HTTP/1.0 not closed");
	/* ...unless it asks for keep-alive. */
	c = cl_open(fx);
	CHECK(c && cl_sends(c, "GET /a HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n") == 0, "send");
	CHECK(cl_response(c, &st, &h, &b) == 0 && st == 200, "status %d", st);
	CHECK(strstr(h.p, "Connection: keep-alive\r\n"), "head %s", h.p);
	CHECK(cl_sends(c, "HEAD /b HTTP/1.0\r\n\r\n") == 0, "send");
	/* HEAD: Content-Length of the body that a GET would have, but no body. */
	char *end;
	while (!(end = strstr(sbuf_str(&c->in), "\r\n\r\n")))
		CHECK(cl_fill(c) > 0, "no HEAD response");
	CHECK(strstr(c->in.p, "Content-Length: 20\r\n"), "HEAD head %s", c->in.p);
	sbuf_consume(&c->in, (size_t)(end - c->in.p) + 4);
	CHECK(cl_closed(c), "HEAD response had a body or the conn stayed open");
	/* A client that half-closes after its request still gets the answer. */
	c = cl_open(fx);
	CHECK(c && cl_sends(c, "GET /half HTTP/1.1\r\n\r\n") == 0, "send");
	shutdown(c->fd, SHUT_WR);
	CHECK(cl_response(c, &st, &h, &b) == 0 && st == 200, "half-close: %d", st);
	CHECK(cl_closed(c), "not closed after half-close");
	/* The handler may drop a request: the connection just ends. */
	c = cl_open(fx);
	CHECK(c && cl_sends(c, "GET /drop HTTP/1.1\r\n\r\n") == 0, "send");
	CHECK(cl_closed(c), "dropped request: connection still open");
	sbuf_free(&h);
	sbuf_free(&b);
	return 0;
}

/* Connection: close, HTTP/1.0 with and without keep-alive, HEAD, half-close, drop. */
static void connection_close(void **state)
{
	free(run(c_conn_close));
}

/* Send raw bytes on a fresh connection; expect status and the connection closed. */
static int expect_status(struct fx *fx, const char *raw, size_t len, int want)
{
	struct cl *c = cl_open(fx);
	CHECK(c, "connect");
	CHECK(cl_send(c, raw, len) == 0, "send");
	int st = 0;
	struct sbuf h = SBUF_INIT, b = SBUF_INIT;
	int r = cl_response(c, &st, &h, &b);
	bool closed = r == 0 && strstr(h.p, "Connection: close\r\n") && cl_closed(c);
	sbuf_free(&h);
	sbuf_free(&b);
	close(c->fd);
	sbuf_free(&c->in);
	fx->ncl--;
	CHECK(r == 0 && st == want, "'%.40s': status %d, wanted %d", raw, st, want);
	CHECK(closed, "'%.40s': connection not closed after the error", raw);
	return 0;
}

static int c_malformed(struct fx *fx)
{
	static const struct {
		const char *raw;
		int status;
	} cases[] = {
	        {"GARBAGE\r\n\r\n", 400},
	        {"GET\r\n\r\n", 400},
	        {"GET / HTTP/1.1 extra\r\n\r\n", 400},
	        {"GET nopath HTTP/1.1\r\n\r\n", 400},
	        {"GET http://host/ HTTP/1.1\r\n\r\n", 400},
	        {"GET / HTTP/1.1\r\nBad Header\r\n\r\n", 400},
	        {"GET / HTTP/1.1\r\nName : v\r\n\r\n", 400},
	        {"GET / HTTP/1.1\r\nA: b\r\n folded\r\n\r\n", 400},
	        {"GET / HTTP/1.1\r\nA: b\x01\r\n\r\n", 400},
	        {"GET / HTTP/1.1\r\nA: b\rc\r\n\r\n", 400},
	        {"GET / FTP/1.1\r\n\r\n", 400},
	        {"GET / HTTP/2.0\r\n\r\n", 505},
	        {"G\xc3\xa9T / HTTP/1.1\r\n\r\n", 400},
	        {"POST / HTTP/1.1\r\nContent-Length: abc\r\n\r\n", 400},
	        {"POST / HTTP/1.1\r\nContent-Length: -1\r\n\r\n", 400},
	        {"POST / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab", 400},
	        {"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 411},
	        {"GET /ws HTTP/1.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n", 400},
	        {"GET /ws HTTP/1.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
	         "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 8\r\n\r\n",
	         426},
	        {"GET /nows HTTP/1.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
	         "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n",
	         404},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		if (expect_status(fx, cases[i].raw, strlen(cases[i].raw), cases[i].status) < 0)
			return -1;
	/* A NUL inside the head. */
	static const char nul[] = "GET / HTTP/1.1\r\nA: \0b\r\n\r\n";
	if (expect_status(fx, nul, sizeof nul - 1, 400) < 0)
		return -1;
	/* A head over 16 KiB, and 65 header fields. */
	struct sbuf big = SBUF_INIT;
	sbuf_adds(&big, "GET / HTTP/1.1\r\nX-Big: ");
	for (int i = 0; i < 17000; i++)
		sbuf_addc(&big, 'a');
	sbuf_adds(&big, "\r\n\r\n");
	int rc = expect_status(fx, big.p, big.len, 431);
	sbuf_reset(&big);
	sbuf_adds(&big, "GET / HTTP/1.1\r\n");
	for (int i = 0; i < 65; i++)
		sbuf_addf(&big, "H%d: v\r\n", i);
	sbuf_adds(&big, "\r\n");
	if (rc == 0)
		rc = expect_status(fx, big.p, big.len, 431);
	sbuf_free(&big);
	if (rc < 0)
		return -1;
	/* Random junk on many connections: whatever happens, the server keeps serving. */
	uint32_t x = 99;
	for (int k = 0; k < 50; k++) {
		struct cl *c = cl_open(fx);
		CHECK(c, "connect %d", k);
		char junk[300];
		size_t n = 1 + (size_t)k * 6;
		for (size_t i = 0; i < n; i++) {
			x = x * 1103515245u + 12345u;
			junk[i] = (char)(x >> 16);
		}
		if (k & 1)
			memcpy(junk, "GET / HTTP/1.1\r\n", 16 < n ? 16 : n);
		cl_send(c, junk, n);
		close(c->fd);
		sbuf_free(&c->in);
		fx->ncl--;
	}
	struct cl *c = cl_open(fx);
	CHECK(c && cl_sends(c, "GET /still HTTP/1.1\r\n\r\n") == 0, "send");
	int st;
	struct sbuf h = SBUF_INIT, b = SBUF_INIT;
	CHECK(cl_response(c, &st, &h, &b) == 0 && st == 200, "server stopped serving: %d", st);
	sbuf_free(&h);
	sbuf_free(&b);
	return 0;
}

/* Malformed requests get 400 (or 411/426/431/505) and a closed connection; junk never
 * crashes the server. */
static void malformed_requests(void **state)
{
	free(run(c_malformed));
}

static int c_oversize(struct fx *fx)
{
	/* Refused from the head alone: the client need not send the body. */
	const char *raw = "POST /echo HTTP/1.1\r\nContent-Length: 1048577\r\n\r\n";
	if (expect_status(fx, raw, strlen(raw), 413) < 0)
		return -1;
	raw = "POST /echo HTTP/1.1\r\nContent-Length: 99999999999999999999999\r\n\r\n";
	if (expect_status(fx, raw, strlen(raw), 413) < 0)
		return -1;
	/* Exactly 1 MiB is accepted. */
	struct cl *c = cl_open(fx);
	CHECK(c, "connect");
	size_t n = 1024 * 1024;
	char *body = malloc(n);
	memset(body, 'b', n);
	int rc = cl_sends(c, "POST /echo HTTP/1.1\r\nContent-Length: 1048576\r\n\r\n");
	if (rc == 0)
		rc = cl_send(c, body, n);
	free(body);
	CHECK(rc == 0, "send");
	int st;
	struct sbuf h = SBUF_INIT, b = SBUF_INIT;
	CHECK(cl_response(c, &st, &h, &b) == 0 && st == 200, "1 MiB: %d", st);
	CHECK(b.len == n + 23, "1 MiB: echoed %zu bytes", b.len);
	sbuf_free(&h);
	sbuf_free(&b);
	return 0;
}

/* A body over 1 MiB is refused with 413; exactly 1 MiB is served. */
static void oversized_body(void **state)
{
	free(run(c_oversize));
}

/* ---- WebSocket cases ---- */

static int c_ws_echo(struct fx *fx)
{
	struct cl *c = cl_ws_open(fx, "/ws?token=1");
	CHECK(c, "upgrade failed");
	CHECK(cl_ws_send(c, WS_OP_TEXT, true, "hello", 5) == 0, "send");
	if (expect_text(fx, c, "hello") < 0)
		return -1;
	/* Fragmented, with a ping between the fragments: the pong comes first. */
	CHECK(cl_ws_send(c, WS_OP_TEXT, false, "frag", 4) == 0 &&
	              cl_ws_send(c, WS_OP_CONT, false, "men", 3) == 0 &&
	              cl_ws_send(c, WS_OP_PING, true, "p1", 2) == 0 &&
	              cl_ws_send(c, WS_OP_CONT, true, "ted", 3) == 0,
	      "send");
	struct sbuf p = SBUF_INIT;
	int op;
	bool fin;
	CHECK(cl_ws_read(c, &op, &fin, &p) == 1 && op == WS_OP_PONG && strcmp(p.p, "p1") == 0,
	      "no pong");
	if (expect_text(fx, c, "fragmented") < 0)
		return -1;
	/* A 70 KB message (64-bit length on the wire both ways). */
	size_t n = 70 * 1000;
	char *big = malloc(n + 1);
	for (size_t i = 0; i < n; i++)
		big[i] = (char)('a' + i % 26);
	big[n] = '\0';
	int rc = cl_ws_send(c, WS_OP_TEXT, true, big, n);
	if (rc == 0)
		rc = expect_text(fx, c, big);
	free(big);
	if (rc < 0)
		return -1;
	/* Binary comes back binary. */
	CHECK(cl_ws_send(c, WS_OP_BINARY, true, "\x00\xff", 2) == 0, "send");
	CHECK(cl_ws_read(c, &op, &fin, &p) == 1 && op == WS_OP_BINARY && p.len == 2, "binary");
	/* A server ping is answered by us; the server ignores our pong. */
	CHECK(cl_ws_send(c, WS_OP_TEXT, true, "ping", 4) == 0, "send");
	CHECK(cl_ws_read(c, &op, &fin, &p) == 1 && op == WS_OP_PING && strcmp(p.p, "srv") == 0,
	      "no server ping");
	CHECK(cl_ws_send(c, WS_OP_PONG, true, "srv", 3) == 0, "send");
	/* Close handshake started by the client. */
	uint8_t cp[WS_CONTROL_MAX];
	size_t cn = ws_close_payload(cp, 1000, "done");
	CHECK(cl_ws_send(c, WS_OP_CLOSE, true, cp, cn) == 0, "send");
	if (expect_close(fx, c, 1000) < 0)
		return -1;
	CHECK(cl_closed(c), "TCP still open after the close handshake");
	sbuf_free(&p);
	return 0;
}

/* Upgrade, echo (fragmented, 70 KB, binary), ping/pong both ways, client close. */
static void ws_echo(void **state)
{
	struct fx *fx = run(c_ws_echo);
	assert_int_equal(fx->ws_opened, 1);
	assert_int_equal(fx->ws_closed, 1);
	assert_int_equal(fx->last_close, 1000);
	assert_string_equal(fx->last_reason, "done");
	free(fx);
}

static int c_ws_server_close(struct fx *fx)
{
	struct cl *c = cl_ws_open(fx, "/ws");
	CHECK(c, "upgrade failed");
	CHECK(cl_ws_send(c, WS_OP_TEXT, true, "close", 5) == 0, "send");
	if (expect_close(fx, c, 1000) < 0)
		return -1;
	uint8_t cp[2] = {0x03, 0xe8};
	CHECK(cl_ws_send(c, WS_OP_CLOSE, true, cp, 2) == 0, "send");
	CHECK(cl_closed(c), "TCP still open after the close handshake");
	return 0;
}

/* ws_conn_close: close frame with code and reason, then TCP close after the reply. */
static void ws_server_close(void **state)
{
	struct fx *fx = run(c_ws_server_close);
	assert_int_equal(fx->ws_closed, 1);
	assert_int_equal(fx->last_close, 1000);
	assert_string_equal(fx->last_reason, "bye");
	free(fx);
}

static int c_ws_drop(struct fx *fx)
{
	struct cl *c = cl_ws_open(fx, "/ws");
	CHECK(c, "upgrade failed");
	CHECK(cl_ws_send(c, WS_OP_TEXT, true, "drop", 4) == 0, "send");
	struct sbuf p = SBUF_INIT;
	int op;
	bool fin;
	int r = cl_ws_read(c, &op, &fin, &p);
	sbuf_free(&p);
	CHECK(r == 0 || (r < 0 && errno == ECONNRESET), "expected an abrupt close, got %d", r);
	return 0;
}

/* ws_conn_drop: the client sees the TCP connection end with no close frame. */
static void ws_drop(void **state)
{
	struct fx *fx = run(c_ws_drop);
	assert_int_equal(fx->ws_closed, 1);
	assert_int_equal(fx->last_close, WS_CLOSE_ABNORMAL);
	free(fx);
}

static int c_ws_burst(struct fx *fx)
{
	struct cl *c = cl_ws_open(fx, "/ws");
	CHECK(c, "upgrade failed");
	CHECK(cl_ws_send(c, WS_OP_TEXT, true, "burst 10000", 11) == 0, "send");
	struct sbuf p = SBUF_INIT;
	char want[32];
	for (int i = 0; i < 10000; i++) {
		int op;
		bool fin;
		int r = cl_ws_read(c, &op, &fin, &p);
		snprintf(want, sizeof want, "msg %d", i);
		if (r != 1 || op != WS_OP_TEXT || strcmp(sbuf_str(&p), want) != 0) {
			fail_at(fx, __LINE__, "message %d: r=%d op=%d '%s'", i, r, op,
			        sbuf_str(&p));
			sbuf_free(&p);
			return -1;
		}
	}
	sbuf_free(&p);
	return 0;
}

/* 10,000 small messages sent in one burst arrive complete and in order. */
static void ws_burst(void **state)
{
	free(run(c_ws_burst));
}

static int ws_expect_fail(struct fx *fx, const void *frame, size_t len, int code)
{
	struct cl *c = cl_ws_open(fx, "/ws");
	CHECK(c, "upgrade failed");
	CHECK(cl_send(c, frame, len) == 0, "send");
	if (expect_close(fx, c, code) < 0)
		return -1;
	CHECK(cl_closed(c), "still open after close %d", code);
	return 0;
}

static int c_ws_violations(struct fx *fx)
{
	/* Unmasked frame from a client: 1002. */
	if (ws_expect_fail(fx, "\x81\x02hi", 4, 1002) < 0)
		return -1;
	/* Reserved bit: 1002. */
	if (ws_expect_fail(fx, "\xc1\x80\x01\x02\x03\x04", 6, 1002) < 0)
		return -1;
	/* Continuation without a message: 1002. */
	if (ws_expect_fail(fx, "\x80\x80\x01\x02\x03\x04", 6, 1002) < 0)
		return -1;
	/* A frame announcing more than 4 MiB: 1009 at once. */
	if (ws_expect_fail(fx, "\x81\xff\x00\x00\x00\x00\x00\x50\x00\x00\x01\x02\x03\x04", 14,
	                   1009) < 0)
		return -1;
	/* Invalid UTF-8 in a text message: 1007. */
	struct sbuf b = SBUF_INIT;
	ws_frame_encode(&b, WS_OP_TEXT, true, "\xff\xfe", 2, cmask);
	int rc = ws_expect_fail(fx, b.p, b.len, 1007);
	sbuf_free(&b);
	if (rc < 0)
		return -1;
	/* Random bytes after the upgrade (masked or not): the server survives them all. */
	uint32_t x = 7;
	for (int k = 0; k < 20; k++) {
		struct cl *c = cl_ws_open(fx, "/ws");
		CHECK(c, "upgrade %d failed", k);
		uint8_t junk[200];
		for (size_t i = 0; i < sizeof junk; i++) {
			x = x * 1103515245u + 12345u;
			junk[i] = (uint8_t)(x >> 16);
		}
		junk[1] |= 0x80; /* masked, so that the frame is parsed further */
		cl_send(c, junk, (size_t)(10 + k * 9));
		close(c->fd);
		sbuf_free(&c->in);
		fx->ncl--;
	}
	struct cl *c = cl_ws_open(fx, "/ws");
	CHECK(c, "upgrade after junk failed");
	CHECK(cl_ws_send(c, WS_OP_TEXT, true, "alive", 5) == 0, "send");
	return expect_text(fx, c, "alive");
}

/* Protocol violations close with 1002, oversize with 1009, bad UTF-8 with 1007; random
 * bytes after an upgrade never crash the server. */
static void ws_violations(void **state)
{
	struct fx *fx = run(c_ws_violations);
	assert_int_equal(fx->ws_opened, 26);
	assert_int_equal(fx->ws_closed, 26);
	/* The junk connections end with any code; the five crafted ones with theirs. */
	assert_true(fx->closes_1002 >= 3);
	assert_true(fx->closes_1007 >= 1);
	assert_true(fx->closes_1009 >= 1);
	free(fx);
}

static int c_stop_open(struct fx *fx)
{
	struct cl *ws = cl_ws_open(fx, "/ws");
	CHECK(ws, "upgrade failed");
	struct cl *h = cl_open(fx);
	CHECK(h && cl_sends(h, "GET /hold HTTP/1.1\r\n\r\nGET /queued HTTP/1.1\r\n\r\n") == 0,
	      "send");
	/* Make sure both reached the server before stopping it. */
	CHECK(cl_ws_send(ws, WS_OP_TEXT, true, "sync", 4) == 0, "send");
	if (expect_text(fx, ws, "sync") < 0)
		return -1;
	signal_done(fx);
	struct sbuf p = SBUF_INIT;
	int op = -1;
	bool fin;
	/* The server goes away: either a 1001 close frame or a plain end of the stream. */
	int r = cl_ws_read(ws, &op, &fin, &p);
	sbuf_free(&p);
	CHECK(r == 0 || (r == 1 && op == WS_OP_CLOSE), "ws: r=%d op=%d", r, op);
	CHECK(cl_closed(h), "held HTTP connection not closed by stop");
	return 0;
}

/* http_server_stop with an open WebSocket and an unanswered kept request: every
 * connection ends, on_ws_close sees 1001, the kept request is released afterwards. */
static void stop_with_open_connections(void **state)
{
	struct fx *fx = run(c_stop_open);
	assert_int_equal(fx->ws_closed, 1);
	assert_int_equal(fx->last_close, WS_CLOSE_GOING_AWAY);
	free(fx);
}

/* ---- parser units ---- */

/* The head parser on its own: fields, trimming, query split, limits. */
static void parse_head_units(void **state)
{
	char buf[] = "PUT /a/b?x=1?y HTTP/1.0\r\nHost: h\r\nX-Empty:\r\nX-T: \t v w \t\r\n\r\n";
	ssize_t hl = http_head_length(buf, sizeof buf - 1, HTTP_MAX_HEAD);
	assert_int_equal(hl, (ssize_t)sizeof buf - 1);
	struct http_head h;
	int st;
	assert_int_equal(http_parse_head(buf, (size_t)hl, &h, &st), 0);
	assert_string_equal(h.method, "PUT");
	assert_string_equal(h.path, "/a/b");
	assert_string_equal(h.query, "x=1?y");
	assert_int_equal(h.minor, 0);
	assert_int_equal(h.nheaders, 3);
	assert_string_equal(http_head_get(&h, "x-empty"), "");
	assert_string_equal(http_head_get(&h, "X-t"), "v w");
	assert_null(http_head_get(&h, "missing"));
	assert_int_equal(http_head_length("GET / HTTP/1.1\r\n", 16, HTTP_MAX_HEAD), 0);
	assert_int_equal(http_head_length("GET / HTTP/1.1\r\nA: b", 20, 10), -1);
	assert_true(http_token_list_has("keep-alive, Upgrade", "upgrade"));
	assert_true(http_token_list_has(" close ", "close"));
	assert_false(http_token_list_has("closed", "close"));
	assert_false(http_token_list_has("", "close"));
	size_t n;
	bool big;
	assert_int_equal(http_content_length("123", 1000, &n, &big), 0);
	assert_int_equal(n, 123);
	assert_int_equal(http_content_length("1001", 1000, &n, &big), -1);
	assert_true(big);
	assert_int_equal(http_content_length("", 1000, &n, &big), -1);
	assert_int_equal(http_content_length("1 2", 1000, &n, &big), -1);
	assert_false(big);
	/* Every prefix of a valid head is either incomplete or parses; never a crash. */
	const char *full = "GET /x?q HTTP/1.1\r\nA: 1\r\nB: 2\r\n\r\n";
	for (size_t cut = 0; cut <= strlen(full); cut++) {
		char *p = malloc(cut + 1);
		memcpy(p, full, cut);
		ssize_t l = http_head_length(p, cut, HTTP_MAX_HEAD);
		assert_true(l == 0 || (l > 0 && (size_t)l == cut));
		if (l > 0)
			assert_int_equal(http_parse_head(p, (size_t)l, &h, &st), 0);
		free(p);
	}
}

/* A port already in use is an error with a message, not a crash or a leak. */
static void start_on_busy_port(void **state)
{
	uv_loop_t loop;
	uv_loop_init(&loop);
	struct kerr err = KERR_INIT;
	struct http_server *a = http_server_start(&loop, "127.0.0.1", 0, &app_ops, NULL, &err);
	assert_non_null(a);
	struct http_server *b =
	        http_server_start(&loop, "127.0.0.1", http_server_port(a), &app_ops, NULL, &err);
	assert_null(b);
	assert_non_null(strstr(err.msg, "cannot listen"));
	assert_null(http_server_start(&loop, "not-an-ip", 0, &app_ops, NULL, &err));
	http_server_stop(a, NULL, NULL);
	uv_run(&loop, UV_RUN_DEFAULT);
	assert_int_equal(uv_loop_close(&loop), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(parse_head_units),
	        cmocka_unit_test(start_on_busy_port),
	        cmocka_unit_test(get_with_query),
	        cmocka_unit_test(post_with_body),
	        cmocka_unit_test(keep_alive_pipelined),
	        cmocka_unit_test(connection_close),
	        cmocka_unit_test(malformed_requests),
	        cmocka_unit_test(oversized_body),
	        cmocka_unit_test(ws_echo),
	        cmocka_unit_test(ws_server_close),
	        cmocka_unit_test(ws_drop),
	        cmocka_unit_test(ws_burst),
	        cmocka_unit_test(ws_violations),
	        cmocka_unit_test(stop_with_open_connections),
	};
	return kt_run_tests(tests);
}
