/* http_server: an HTTP/1.1 + WebSocket server on a libuv loop, for the paper exchange
 * (Spot REST, Spot WS v2, Futures REST and Futures WS v1 on one loopback port).
 *
 * Written on bare libuv so that we control batching, backpressure and fault injection:
 * - HTTP/1.0 and 1.1, keep-alive, pipelining (answered in order: the next request of a
 *   connection is parsed only once the previous one is answered), Content-Length bodies.
 *   Limits: head <= 16 KiB and <= 64 fields (431), body <= 1 MiB (413); chunked
 *   Transfer-Encoding is refused with 411; malformed heads get 400. After an error reply
 *   the connection is closed.
 * - WebSocket (RFC 6455, version 13, no extensions) on any path on_ws_upgrade accepts.
 *   Client frames must be masked; fragmented messages are reassembled (<= 4 MiB, else
 *   close 1009); text messages must be valid UTF-8 (else close 1007); any other protocol
 *   violation closes with 1002; pings are answered with pongs automatically.
 * - Output: replies and frames are appended to the connection's output buffer and
 *   written once per loop iteration (a uv_prepare handle), one uv_write carrying
 *   everything queued since the last write; while a write is in flight, new data waits
 *   for the next one. ws_conn_queued() tells a producer how much is still unwritten.
 *
 * Everything runs on the loop's thread; no function here may be called from another.
 * Callbacks may call any function here, including ws_conn_drop/close on the connection
 * at hand and http_server_stop. Logging goes to base/log.h at debug level. */
#ifndef KT_NET_HTTP_SERVER_H
#define KT_NET_HTTP_SERVER_H

#include <stdbool.h>
#include <stddef.h>

#include <uv.h>

#include "base/kerr.h"
#include "net/http_parse.h"

#define HTTP_MAX_BODY  (1024 * 1024)
#define WS_MAX_MESSAGE (4 * 1024 * 1024)

struct http_server; /* one listening socket and its connections */
struct http_conn;   /* one client connection: HTTP keep-alive, or upgraded to WebSocket */

/* One HTTP request. Owned by the server and valid only during on_request (or
 * on_ws_upgrade) unless http_request_keep() is called; a kept request lives until
 * http_reply() or http_request_drop(), even past the end of its connection or of the
 * server (then those calls only free it). Every string is NUL-terminated. */
struct http_request {
	const char *method;
	const char *path;  /* without the query, not percent-decoded */
	const char *query; /* without '?', "" if none, not percent-decoded */
	const char *body;  /* body_len bytes, NUL-terminated ("" when empty) */
	size_t body_len;
	int minor;                         /* HTTP/1.<minor> */
	const struct http_header *headers; /* nheaders fields, in order */
	size_t nheaders;
	struct http_conn *conn; /* NULL once the connection is gone (kept requests) */
};

/* Case-insensitive; the first field of that name, or NULL if absent. */
const char *http_request_header(const struct http_request *req, const char *name);

struct http_server_ops {
	/* A complete HTTP request. Reply now or later with http_reply() (exactly once); to
	 * reply later, call http_request_keep() before returning. Returning without either
	 * makes the server answer 500. */
	void (*on_request)(void *ctx, struct http_request *req);
	/* A valid WebSocket upgrade request for `path` (query in req->query): return 0 to
	 * accept, or an HTTP status (e.g. 404) to refuse. conn is usable for
	 * ws_conn_set_data/ws_conn_send already. NULL refuses every upgrade with 404. */
	int (*on_ws_upgrade)(void *ctx, struct http_conn *conn, const char *path,
	                     const struct http_request *req);
	/* One whole message. data[len] is '\0'; data is valid during the call only. */
	void (*on_ws_message)(void *ctx, struct http_conn *conn, const char *data, size_t len,
	                      bool binary);
	/* Called exactly once for every accepted WebSocket connection, however it ended:
	 * the peer's close code (1005 if none), our own code when we closed or failed it,
	 * 1006 on a dropped TCP connection (or ws_conn_drop), 1001 on http_server_stop.
	 * reason may be "". conn is freed right after: forget it and free its data here. */
	void (*on_ws_close)(void *ctx, struct http_conn *conn, int code, const char *reason);
};

/* Listen on host:port. host is a numeric IPv4/IPv6 address (NULL, "" and "localhost" mean
 * 127.0.0.1); port 0 lets the kernel choose (see http_server_port). ops is copied; ctx is
 * passed to every callback. Returns NULL and fills err on failure (nothing to free). */
struct http_server *http_server_start(uv_loop_t *loop, const char *host, int port,
                                      const struct http_server_ops *ops, void *ctx,
                                      struct kerr *err);
int http_server_port(const struct http_server *srv);
/* Close the listener and every connection at once (no close frames; each WebSocket
 * gets on_ws_close with 1001, from libuv's close callbacks); once libuv has closed every
 * handle, free everything and call done(arg) (done may be NULL). srv must not be used
 * after this call; the loop must keep running until done. Kept requests survive it. */
void http_server_stop(struct http_server *srv, void (*done)(void *arg), void *arg);

/* Keep req past the callback, for a deferred reply. Returns req. */
struct http_request *http_request_keep(struct http_request *req);
/* Answer req (exactly once) and release it. content_type NULL means "text/plain".
 * extra_headers: NULL or complete lines "Name: value\r\n...". Content-Length is always
 * sent; "Connection: close" too when the connection ends after this reply. */
void http_reply(struct http_request *req, int status, const char *content_type, const char *body,
                size_t len, const char *extra_headers);
/* Release req without answering and close its connection at once (fault injection). */
void http_request_drop(struct http_request *req);

/* Queue a text (or binary) message. Returns 0, or -1 if the connection is not an open
 * WebSocket (closing, closed, or still plain HTTP). */
int ws_conn_send(struct http_conn *conn, const char *data, size_t len);
int ws_conn_send_binary(struct http_conn *conn, const void *data, size_t len);
/* Queue a ping (payload <= 125 bytes) to test a client's pong. Returns 0 or -1. */
int ws_conn_ping(struct http_conn *conn, const void *data, size_t len);
/* Start the close handshake: send a close frame (reason cut to fit), refuse further
 * sends, wait for the peer's close (at most a few seconds), then close TCP. */
void ws_conn_close(struct http_conn *conn, int code, const char *reason);
/* Close TCP at once, discarding queued output (fault injection). on_ws_close follows
 * with 1006 (from the loop, not from inside this call). */
void ws_conn_drop(struct http_conn *conn);
/* Bytes queued but not yet written to the socket: for backpressure. */
size_t ws_conn_queued(const struct http_conn *conn);
/* One pointer of the application's per-connection data (not owned). */
void ws_conn_set_data(struct http_conn *conn, void *data);
void *ws_conn_data(const struct http_conn *conn);
/* The path the WebSocket was opened on ("" for plain HTTP connections). */
const char *ws_conn_path(const struct http_conn *conn);
/* The peer's address as "ip:port", for logs. */
const char *http_conn_peer(const struct http_conn *conn);

#endif
