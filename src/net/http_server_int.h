/* http_server_int: the server's private structures, shared by http_server.c (HTTP,
 * connections, writing) and ws_conn.c (the WebSocket side of a connection). */
#ifndef KT_NET_HTTP_SERVER_INT_H
#define KT_NET_HTTP_SERVER_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <uv.h>

#include "base/sbuf.h"
#include "net/http_parse.h"
#include "net/http_server.h"
#include "net/ws_frame.h"

#define OUT_HIGH       (8u * 1024 * 1024) /* stop reading a peer that does not read its replies */
#define PIPELINE_MAX   (64u * 1024)       /* bytes buffered behind an unanswered request */
#define LINGER_MS      5000               /* how long a closing connection may wait for its peer */
#define LINGER_TICK_MS 250

/* What to do once everything queued has been written. */
enum after_flush {
	AF_NONE,
	AF_SHUTDOWN, /* half-close, then wait for the peer's EOF (or close frame) */
	AF_CLOSE,    /* close at once */
};

struct srv_req {
	struct http_request pub;
	struct http_head head; /* points into headbuf */
	char *headbuf;
	char *bodybuf;
	bool kept;
	bool keep_alive;
	bool head_only; /* HEAD: no body in the reply */
};

struct http_conn {
	uv_tcp_t tcp;
	uv_write_t wreq;
	uv_shutdown_t sreq;
	struct http_server *srv;
	struct http_conn *prev, *next;             /* srv->conns */
	struct http_conn *dirty_prev, *dirty_next; /* srv->dirty */
	bool dirty;
	bool ws;           /* upgraded */
	bool closing;      /* uv_close called */
	bool writing;      /* a uv_write is in flight (of wbuf) */
	bool reading;      /* uv_read_start is in effect */
	bool processing;   /* conn_process is on the stack */
	bool need_process; /* buffered input may hold more work */
	bool peer_eof;
	bool draining;      /* discard whatever the peer sends */
	bool shutdown_sent; /* uv_shutdown requested */
	enum after_flush after;
	uint64_t linger_deadline; /* uv_now() after which a closing conn is cut; 0 = none */
	struct sbuf in;
	size_t in_off; /* bytes of `in` already consumed */
	struct sbuf out, wbuf;
	struct srv_req *req;     /* the request awaiting its reply */
	struct srv_req *parsing; /* a parsed head whose body is still arriving */
	size_t head_len, body_len;
	/* WebSocket */
	bool ws_open;       /* accepted; on_ws_close is owed */
	bool ws_close_sent; /* our close frame is queued */
	bool close_set;
	int close_code;
	char close_reason[WS_CONTROL_MAX];
	char *ws_path;
	void *data;
	struct ws_asm wsa;
	char peer[64];
};

struct http_server {
	uv_loop_t *loop;
	uv_tcp_t listener;
	uv_prepare_t prepare; /* flushes dirty connections once per iteration */
	uv_timer_t linger;    /* cuts closing connections whose peer does not answer */
	struct http_server_ops ops;
	void *ctx;
	struct http_conn *conns;
	struct http_conn *dirty_head, *dirty_tail;
	int port;
	int handles; /* handles not yet closed */
	bool stopping;
	void (*done)(void *arg);
	void *done_arg;
};

/* http_server.c: connection upkeep the WebSocket side uses. */
void srv_conn_close(struct http_conn *c);
void srv_mark_dirty(struct http_conn *c);
void srv_set_close(struct http_conn *c, int code, const char *reason);
void srv_start_linger(struct http_conn *c);
size_t srv_conn_queued(const struct http_conn *c);

/* ws_conn.c: handle at most one frame from the input; 1 to go on, 0 to wait. */
int srv_ws_step(struct http_conn *c);

#endif
