/* http_server_fx: the server tests' fixture (http_server_fx.h): a blocking
 * socket client for the helper thread, and the app the server runs. */
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
#include "tests/unit/http_server_fx.h"
#include "tests/unit/unit.h"

/* ---- client side (helper thread) ---- */

int fail_at(struct fx *fx, int line, const char *fmt, ...)
{
	int n = snprintf(fx->msg, sizeof fx->msg, "line %d: ", line);
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(fx->msg + n, sizeof fx->msg - (size_t)n, fmt, ap);
	va_end(ap);
	return -1;
}

void signal_done(struct fx *fx)
{
	if (!fx->signalled) {
		fx->signalled = true;
		uv_async_send(&fx->wake);
	}
}

struct cl *cl_open(struct fx *fx)
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

int cl_send(struct cl *c, const void *data, size_t len)
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

int cl_sends(struct cl *c, const char *s)
{
	return cl_send(c, s, strlen(s));
}

/* Read more bytes: >0 read, 0 EOF, -1 error or timeout. */
int cl_fill(struct cl *c)
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
int cl_response(struct cl *c, int *status, struct sbuf *head, struct sbuf *body)
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
bool cl_closed(struct cl *c)
{
	if (c->in.len)
		return false;
	char b;
	ssize_t n = recv(c->fd, &b, 1, 0);
	return n == 0 || (n < 0 && errno == ECONNRESET);
}

const uint8_t cmask[4] = {0x11, 0x22, 0x33, 0x44};

int cl_ws_send(struct cl *c, enum ws_opcode op, bool fin, const void *data, size_t len)
{
	struct sbuf b = SBUF_INIT;
	ws_frame_encode(&b, op, fin, data, len, cmask);
	int rc = cl_send(c, b.p, b.len);
	sbuf_free(&b);
	return rc;
}

/* Read one frame: 1 with *op, *fin and the payload; 0 on EOF; -1 on error/timeout. */
int cl_ws_read(struct cl *c, int *op, bool *fin, struct sbuf *payload)
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
struct cl *cl_ws_open(struct fx *fx, const char *path)
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
int expect_text(struct fx *fx, struct cl *c, const char *s)
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
int expect_close(struct fx *fx, struct cl *c, int code)
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

const struct http_server_ops fx_app_ops = {
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
struct fx *fx_run(int (*client)(struct fx *))
{
	struct fx *fx = calloc(1, sizeof *fx);
	assert_non_null(fx);
	assert_int_equal(uv_loop_init(&fx->loop), 0);
	struct kerr err = KERR_INIT;
	fx->srv = http_server_start(&fx->loop, "127.0.0.1", 0, &fx_app_ops, fx, &err);
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
