/* test_ws_server: the server's WebSocket side against a real TCP client: echo
 * with fragments and pings, closing from the server, a dropped client, bursts,
 * protocol violations answered with the right close codes, stopping with
 * connections open. Fixture: http_server_fx.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "tests/unit/http_server_fx.h"
#include "tests/unit/unit.h"

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
	struct fx *fx = fx_run(c_ws_echo);
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
	struct fx *fx = fx_run(c_ws_server_close);
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
	struct fx *fx = fx_run(c_ws_drop);
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
	free(fx_run(c_ws_burst));
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
	struct fx *fx = fx_run(c_ws_violations);
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
	struct fx *fx = fx_run(c_stop_open);
	assert_int_equal(fx->ws_closed, 1);
	assert_int_equal(fx->last_close, WS_CLOSE_GOING_AWAY);
	free(fx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(ws_echo),
	        cmocka_unit_test(ws_server_close),
	        cmocka_unit_test(ws_drop),
	        cmocka_unit_test(ws_burst),
	        cmocka_unit_test(ws_violations),
	        cmocka_unit_test(stop_with_open_connections),
	};
	return kt_run_tests(tests);
}
