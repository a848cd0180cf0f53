/* http_server_fx: the fixture of the server tests (test_http_server.c,
 * test_ws_server.c). Each case starts the server on 127.0.0.1 port 0 in its own
 * uv loop and drives it from a helper thread with plain blocking sockets
 * (receive timeout 5 s, so a bug fails instead of hanging). The client thread
 * only talks over sockets; when it is done it wakes the loop (uv_async), which
 * stops the server; fx_run then checks that the loop closes cleanly (every
 * handle closed), and the sanitizer build checks that nothing leaked.
 * Server-side observations (close codes, counts) are asserted after the thread
 * joined. The server's app echoes, defers, holds and closes on request paths
 * and messages (see http_server_fx.c). */
#ifndef KT_TESTS_UNIT_HTTP_SERVER_FX_H
#define KT_TESTS_UNIT_HTTP_SERVER_FX_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include <uv.h>

#include "base/sbuf.h"
#include "net/http_server.h"
#include "net/ws_frame.h"

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

/* ---- client side (helper thread): -1 with fx->msg on failure ---- */

__attribute__((format(printf, 3, 4))) int fail_at(struct fx *fx, int line, const char *fmt, ...);

#define CHECK(cond, ...)                                                                           \
	do {                                                                                       \
		if (!(cond))                                                                       \
			return fail_at(fx, __LINE__, __VA_ARGS__);                                 \
	} while (0)

/* Wake the loop to stop the server (once). */
void signal_done(struct fx *fx);
/* The mask of every client frame. */
extern const uint8_t cmask[4];
/* A new connection to the server (NULL when it fails or MAX_CL are open). */
struct cl *cl_open(struct fx *fx);
int cl_send(struct cl *c, const void *data, size_t len);
int cl_sends(struct cl *c, const char *s);
/* Read more into c->in: bytes read, 0 at EOF, -1 on error or timeout. */
int cl_fill(struct cl *c);
/* One whole response: 0, or -1. */
int cl_response(struct cl *c, int *status, struct sbuf *head, struct sbuf *body);
/* Is the connection closed by the peer with nothing more to read? */
bool cl_closed(struct cl *c);
/* Frames, masked as a client must. */
int cl_ws_send(struct cl *c, enum ws_opcode op, bool fin, const void *data, size_t len);
/* One frame: 1, 0 at EOF, -1 on error. */
int cl_ws_read(struct cl *c, int *op, bool *fin, struct sbuf *payload);
/* Connect and upgrade to a WebSocket on path (NULL + fx->msg on failure). */
struct cl *cl_ws_open(struct fx *fx, const char *path);
int expect_text(struct fx *fx, struct cl *c, const char *s);
int expect_close(struct fx *fx, struct cl *c, int code);

/* ---- the loop side ---- */

extern const struct http_server_ops fx_app_ops;
/* Run one client scenario against a fresh server; fails the case if the client
 * failed. The caller frees the result. */
struct fx *fx_run(int (*client)(struct fx *));

#endif
