/* ws_client: a WebSocket client connection (ws:// or wss://) on the loop.
 *
 * Bytes, not exchanges: whole text messages in and out, pings, a clean close.
 * No reconnect policy here (the protocol layer owns it). The host name is
 * resolved asynchronously first; wss verifies the certificate chain and the
 * host name, always (the loop's CA file is trusted in addition to the
 * system's). Fragmented messages are reassembled and delivered once, whole.
 *
 * Lifetime: ws_client_connect() returns an object that lives until on_close
 * has returned (then it is freed: forget the pointer in on_close), or until
 * ws_client_free(). on_close runs exactly once per object unless
 * ws_client_free() comes first; it also reports connection failures. */
#ifndef KT_NET_WS_CLIENT_H
#define KT_NET_WS_CLIENT_H

#include <stddef.h>

#include "base/kerr.h"
#include "net/loop.h"

/* A bigger incoming message closes the connection with WS_CLIENT_TOO_BIG. */
#define WS_CLIENT_MAX_MESSAGE (16u << 20)

/* Close codes (RFC 6455 section 7.4) that on_close reports besides the peer's. */
enum ws_client_close {
	WS_CLIENT_NORMAL = 1000,
	WS_CLIENT_NO_STATUS = 1005, /* the peer's close frame carried no code */
	WS_CLIENT_ABNORMAL = 1006,  /* no close handshake: failed to connect, or dropped */
	WS_CLIENT_TOO_BIG = 1009,
};

struct ws_client_ops {
	void (*on_open)(void *arg);
	/* One whole message (text or binary); data lives only during the call. */
	void (*on_message)(void *arg, const char *data, size_t len);
	/* The connection is over: code is the peer's close code, ours when we
	 * closed, or WS_CLIENT_ABNORMAL when there was no close handshake, with
	 * the failure in reason (e.g. the TLS verification error). reason is
	 * never NULL. */
	void (*on_close)(void *arg, int code, const char *reason);
	/* Optional: a pong arrived (an answer to ws_client_ping). */
	void (*on_pong)(void *arg);
};

/* kerr codes of this module. */
enum ws_client_err {
	WS_E_URL = 1, /* not a ws:// or wss:// URL */
};

/* Start connecting. Returns NULL with err filled only for an unusable URL;
 * every later failure arrives through on_close. No callback runs before
 * this returns. ops is copied. */
struct ws_client *ws_client_connect(struct kt_loop *loop, const char *url,
                                    const struct ws_client_ops *ops, void *arg, struct kerr *err);
/* Queue a text message (copied). Messages queued before on_open are sent once
 * the connection is open. Returns 0, or -1 when the client is closing. */
int ws_client_send(struct ws_client *c, const char *data, size_t len);
/* Send an RFC 6455 ping (no-op unless open); the pong goes to ops->on_pong. */
void ws_client_ping(struct ws_client *c);
/* Graceful close: queued messages are sent, then a close frame with code and
 * reason (may be NULL); on_close follows (with this code) and the object is
 * freed after it. */
void ws_client_close(struct ws_client *c, int code, const char *reason);
/* Abrupt: drop the connection and free now; no more callbacks. Safe inside
 * this client's own callbacks (a no-op inside on_close). NULL is fine. */
void ws_client_free(struct ws_client *c);
/* True once on_open has run and until the close starts. */
int ws_client_is_open(const struct ws_client *c);

/* Internal to src/net: the lws protocol the loop's client vhost serves. */
struct lws_protocols;
const struct lws_protocols *ws_client_protocol(void);

#endif
