/* test_http_server: the HTTP server answers real TCP clients correctly: queries,
 * bodies, keep-alive and pipelining, Connection: close, malformed and oversized
 * requests; the head parser on its own; a busy port. The fixture (a helper
 * thread with blocking sockets, the server on its own loop) is
 * http_server_fx.h; the WebSocket side is test_ws_server.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "net/http_parse.h"
#include "tests/unit/http_server_fx.h"
#include "tests/unit/unit.h"

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
	free(fx_run(c_get_query));
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
	free(fx_run(c_post));
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
	free(fx_run(c_pipelined));
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
	free(fx_run(c_conn_close));
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
	free(fx_run(c_malformed));
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
	free(fx_run(c_oversize));
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
	struct http_server *a = http_server_start(&loop, "127.0.0.1", 0, &fx_app_ops, NULL, &err);
	assert_non_null(a);
	struct http_server *b =
	        http_server_start(&loop, "127.0.0.1", http_server_port(a), &fx_app_ops, NULL, &err);
	assert_null(b);
	assert_non_null(strstr(err.msg, "cannot listen"));
	assert_null(http_server_start(&loop, "not-an-ip", 0, &fx_app_ops, NULL, &err));
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
	};
	return kt_run_tests(tests);
}
