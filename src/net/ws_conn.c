/* ws_conn: the WebSocket side of a server connection — frames in (pings answered,
 * fragments reassembled, the close handshake), and the ws_conn_* API out. */
#include <string.h>

#include "base/log.h"
#include "net/http_server_int.h"

/* ---- WebSocket ---- */

/* Valid close codes to send; anything else goes out as a close frame without a code. */
static void put_close_frame(struct http_conn *c, int code, const char *reason)
{
	uint8_t pl[WS_CONTROL_MAX];
	size_t n = 0;
	if ((code >= 1000 && code <= 1014 && code != 1004 && code != 1005 && code != 1006) ||
	    (code >= 3000 && code <= 4999))
		n = ws_close_payload(pl, code, reason);
	ws_frame_encode(&c->out, WS_OP_CLOSE, true, pl, n, NULL);
	c->ws_close_sent = true;
	srv_mark_dirty(c);
}

/* The peer broke the protocol: send a close with code, then stop listening to it. */
static void ws_fail(struct http_conn *c, int code)
{
	LOGD("http_server: ws %s: protocol error, closing with %d", c->peer, code);
	srv_set_close(c, code, "");
	if (!c->ws_close_sent)
		put_close_frame(c, code, "");
	c->after = AF_SHUTDOWN;
	c->draining = true;
	srv_start_linger(c);
}

static int ws_on_close_frame(struct http_conn *c, const struct ws_frame *f)
{
	int code, err;
	if (ws_close_parse(f->payload, f->payload_len, &code, &err) < 0) {
		ws_fail(c, err);
		return 0;
	}
	if (c->ws_close_sent) {
		srv_conn_close(c); /* our close answered: the handshake is complete */
		return 0;
	}
	char reason[WS_CONTROL_MAX];
	size_t rl = f->payload_len > 2 ? f->payload_len - 2 : 0;
	memcpy(reason, f->payload + 2 * (f->payload_len >= 2), rl);
	reason[rl] = '\0';
	srv_set_close(c, code, reason);
	put_close_frame(c, code, "");
	c->after = AF_CLOSE;
	c->draining = true; /* nothing may follow a close frame */
	srv_start_linger(c);
	return 0;
}

/* Handle at most one frame from the input; returns 1 to go on, 0 to wait. */
int srv_ws_step(struct http_conn *c)
{
	struct http_server *srv = c->srv;
	if (c->draining) {
		c->in_off = c->in.len;
		return 0;
	}
	struct ws_frame f;
	int code;
	ssize_t n = ws_frame_decode((uint8_t *)c->in.p + c->in_off, c->in.len - c->in_off,
	                            WS_ROLE_SERVER, WS_MAX_MESSAGE, &f, &code);
	if (n < 0) {
		ws_fail(c, code);
		return 0;
	}
	if (n == 0)
		return 0;
	c->in_off += (size_t)n;
	switch (f.opcode) {
	case WS_OP_PING:
		if (!c->ws_close_sent) {
			ws_frame_encode(&c->out, WS_OP_PONG, true, f.payload, f.payload_len, NULL);
			srv_mark_dirty(c);
		}
		return 1;
	case WS_OP_PONG:
		return 1;
	case WS_OP_CLOSE:
		return ws_on_close_frame(c, &f);
	default:
		break;
	}
	uint8_t *msg;
	size_t len;
	bool binary;
	int r = ws_asm_add(&c->wsa, &f, &msg, &len, &binary, &code);
	if (r < 0) {
		ws_fail(c, code);
		return 0;
	}
	if (r == 0 || c->ws_close_sent)
		return 1; /* after our close, data is read but ignored */
	/* Hand out a NUL-terminated message without copying: borrow the next byte. */
	uint8_t saved = msg[len];
	msg[len] = '\0';
	if (srv->ops.on_ws_message)
		srv->ops.on_ws_message(srv->ctx, c, (const char *)msg, len, binary);
	msg[len] = saved;
	return !c->closing;
}

/* ---- WebSocket API ---- */

static int ws_send_op(struct http_conn *c, enum ws_opcode op, const void *data, size_t len)
{
	if (!c->ws || !c->ws_open || c->ws_close_sent || c->closing)
		return -1;
	ws_frame_encode(&c->out, op, true, data, len, NULL);
	srv_mark_dirty(c);
	return 0;
}

int ws_conn_send(struct http_conn *c, const char *data, size_t len)
{
	return ws_send_op(c, WS_OP_TEXT, data, len);
}

int ws_conn_send_binary(struct http_conn *c, const void *data, size_t len)
{
	return ws_send_op(c, WS_OP_BINARY, data, len);
}

int ws_conn_ping(struct http_conn *c, const void *data, size_t len)
{
	if (len > WS_CONTROL_MAX)
		return -1;
	return ws_send_op(c, WS_OP_PING, data, len);
}

void ws_conn_close(struct http_conn *c, int code, const char *reason)
{
	if (!c->ws || !c->ws_open || c->ws_close_sent || c->closing)
		return;
	LOGD("http_server: ws %s: closing with %d %s", c->peer, code, reason ? reason : "");
	srv_set_close(c, code, reason);
	put_close_frame(c, code, reason);
	c->after = AF_SHUTDOWN;
	srv_start_linger(c);
}

void ws_conn_drop(struct http_conn *c)
{
	if (c->closing)
		return;
	LOGD("http_server: %s dropped", c->peer);
	if (c->ws_open)
		srv_set_close(c, WS_CLOSE_ABNORMAL, "dropped");
	srv_conn_close(c);
}

size_t ws_conn_queued(const struct http_conn *c)
{
	return srv_conn_queued(c);
}
void ws_conn_set_data(struct http_conn *c, void *data)
{
	c->data = data;
}
void *ws_conn_data(const struct http_conn *c)
{
	return c->data;
}
const char *ws_conn_path(const struct http_conn *c)
{
	return c->ws_path ? c->ws_path : "";
}
const char *http_conn_peer(const struct http_conn *c)
{
	return c->peer;
}
