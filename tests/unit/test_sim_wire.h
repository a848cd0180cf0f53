/* test_sim_wire: a live paper exchange (paper_start with every protocol adapter,
 * on 127.0.0.1 port 0, a state file in a temporary directory) driven by a client
 * thread that speaks raw HTTP/1.1 and WebSocket over blocking sockets (receive
 * timeout 5 s, so a bug fails instead of hanging), for the fault-injection
 * tests. The loop thread owns the exchange; the client thread only talks over
 * sockets. When the client is done it wakes the loop, which runs the case's
 * loop-side check, stops the exchange and lets the loop end. */
#ifndef KT_TESTS_UNIT_TEST_SIM_WIRE_H
#define KT_TESTS_UNIT_TEST_SIM_WIRE_H

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
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
#include "net/ws_frame.h"
#include "paper/faults.h"
#include "paper/fut_rest_srv.h"
#include "paper/fut_ws_srv.h"
#include "paper/server.h"
#include "paper/sim.h"
#include "paper/spot_rest_srv.h"
#include "paper/spot_ws_srv.h"
#include "tests/unit/unit.h"

#define WMAX_CL 8

struct wcl {
	int fd;
	struct sbuf in;
};

struct wfx {
	uv_loop_t loop;
	uv_async_t wake;
	struct paper *p;
	struct paper_opts po;
	char dir[64], state[96];
	int port;
	struct px_keys keys;
	struct sim *sim; /* optional: a live market */
	uint32_t sim_rate;
	struct faults_restart restart;
	int restarts;
	int (*client)(struct wfx *);
	void (*setup)(struct wfx *);      /* loop thread, before the client starts */
	void (*loop_check)(struct wfx *); /* loop thread, before the stop */
	pthread_t th;
	bool signalled;
	bool stopped;
	int result;
	char msg[512];
	struct wcl cls[WMAX_CL];
	int ncl;
	struct sbuf m, b, head; /* client scratch, freed whatever the client returns */
	size_t open_orders;     /* loop_check's findings */
};

static const struct paper_adapters wfx_adapters = {
        .spot_rest_handle = spot_rest_srv_handle,
        .fut_rest_handle = fut_rest_srv_handle,
        .spot_ws_new = spot_ws_srv_new,
        .spot_ws_free = spot_ws_srv_free,
        .spot_ws_open = spot_ws_srv_open,
        .spot_ws_message = spot_ws_srv_message,
        .spot_ws_close = spot_ws_srv_close,
        .fut_ws_new = fut_ws_srv_new,
        .fut_ws_free = fut_ws_srv_free,
        .fut_ws_open = fut_ws_srv_open,
        .fut_ws_message = fut_ws_srv_message,
        .fut_ws_close = fut_ws_srv_close,
};

__attribute__((format(printf, 3, 4))) static inline int wfail(struct wfx *fx, int line,
                                                              const char *fmt, ...)
{
	int n = snprintf(fx->msg, sizeof fx->msg, "line %d: ", line);
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(fx->msg + n, sizeof fx->msg - (size_t)n, fmt, ap);
	va_end(ap);
	return -1;
}

#define WCHECK(cond, ...)                                                                          \
	do {                                                                                       \
		if (!(cond))                                                                       \
			return wfail(fx, __LINE__, __VA_ARGS__);                                   \
	} while (0)

/* ---- client side (helper thread) ---- */

static inline struct wcl *wcl_open(struct wfx *fx)
{
	if (fx->ncl == WMAX_CL)
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
	struct wcl *c = &fx->cls[fx->ncl++];
	c->fd = fd;
	sbuf_init(&c->in);
	return c;
}

static inline void wcl_timeout(struct wcl *c, int ms)
{
	struct timeval tv = {.tv_sec = ms / 1000, .tv_usec = (ms % 1000) * 1000};
	setsockopt(c->fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
}

static inline int wcl_send(struct wcl *c, const void *data, size_t len)
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

/* Read more: 1 read, 0 EOF (or reset), -1 timeout/error. */
static inline int wcl_fill(struct wcl *c)
{
	sbuf_reserve(&c->in, 65536);
	ssize_t n = recv(c->fd, c->in.p + c->in.len, c->in.cap - c->in.len - 1, 0);
	if (n > 0) {
		c->in.len += (size_t)n;
		c->in.p[c->in.len] = '\0';
		return 1;
	}
	return n == 0 || errno == ECONNRESET ? 0 : -1;
}

/* Send an HTTP request (extra: complete header lines or ""). */
static inline int wcl_request(struct wcl *c, const char *method, const char *path,
                              const char *extra, const char *body)
{
	struct sbuf b;
	sbuf_init(&b);
	sbuf_addf(&b, "%s %s HTTP/1.1\r\nHost: 127.0.0.1\r\n%sContent-Length: %zu\r\n", method,
	          path, extra ? extra : "", body ? strlen(body) : 0);
	if (body && *body)
		sbuf_adds(&b, "Content-Type: application/x-www-form-urlencoded\r\n");
	sbuf_adds(&b, "\r\n");
	if (body)
		sbuf_adds(&b, body);
	int rc = wcl_send(c, b.p, b.len);
	sbuf_free(&b);
	return rc;
}

/* Read one response: 1 with status, head and body; 0 when the connection ended
 * first; -1 on timeout. */
static inline int wcl_response(struct wcl *c, int *status, struct sbuf *head, struct sbuf *body)
{
	char *end;
	while (!c->in.p || !(end = strstr(c->in.p, "\r\n\r\n"))) {
		int r = wcl_fill(c);
		if (r <= 0)
			return r;
	}
	size_t hl = (size_t)(end - c->in.p) + 4;
	sbuf_reset(head);
	sbuf_add(head, c->in.p, hl);
	*status = atoi(head->p + 9);
	const char *cl = strcasestr(head->p, "\r\nContent-Length:");
	size_t blen = cl ? strtoul(cl + 17, NULL, 10) : 0;
	while (c->in.len < hl + blen) {
		int r = wcl_fill(c);
		if (r <= 0)
			return r;
	}
	sbuf_reset(body);
	sbuf_add(body, c->in.p + hl, blen);
	sbuf_consume(&c->in, hl + blen);
	return 1;
}

/* One request on a connection of its own, closed afterwards; returns the status
 * (0 closed without an answer, -1 timeout, -2 no connection). */
static inline int wcl_call(struct wfx *fx, const char *method, const char *path, const char *body,
                           struct sbuf *out)
{
	struct wcl *c = wcl_open(fx);
	if (!c)
		return -2;
	struct sbuf head;
	sbuf_init(&head);
	int st = 0;
	int r = wcl_request(c, method, path, "", body) < 0 ? -1 : wcl_response(c, &st, &head, out);
	sbuf_free(&head);
	close(c->fd);
	sbuf_free(&c->in);
	fx->ncl--; /* c was the last slot */
	return r == 1 ? st : r;
}

/* POST /_paper/faults with a JSON body; returns the status. */
static inline int wcl_faults(struct wfx *fx, const char *json)
{
	struct sbuf out;
	sbuf_init(&out);
	int st = wcl_call(fx, "POST", "/_paper/faults", json, &out);
	if (st != 200)
		wfail(fx, __LINE__, "faults %s -> %d %s", json, st, sbuf_str(&out));
	sbuf_free(&out);
	return st;
}

static const uint8_t wmask[4] = {0x11, 0x22, 0x33, 0x44};

static inline int wcl_ws_send(struct wcl *c, const char *text)
{
	struct sbuf b;
	sbuf_init(&b);
	ws_frame_encode(&b, WS_OP_TEXT, true, text, strlen(text), wmask);
	int rc = wcl_send(c, b.p, b.len);
	sbuf_free(&b);
	return rc;
}

/* Read one text message (pings/pongs skipped): 1, 0 on EOF/close, -1 timeout. */
static inline int wcl_ws_read(struct wcl *c, struct sbuf *payload)
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
			uint8_t op = f.opcode;
			sbuf_reset(payload);
			sbuf_add(payload, f.payload, f.payload_len);
			sbuf_consume(&c->in, (size_t)n);
			if (op == WS_OP_CLOSE)
				return 0;
			if (op == WS_OP_TEXT)
				return 1;
			continue;
		}
		int r = wcl_fill(c);
		if (r <= 0)
			return r;
	}
}

/* Read text messages until one contains `needle`: 1, or 0/-1. */
static inline int wcl_ws_until(struct wcl *c, const char *needle, struct sbuf *payload)
{
	for (;;) {
		int r = wcl_ws_read(c, payload);
		if (r <= 0)
			return r;
		if (strstr(sbuf_str(payload), needle))
			return 1;
	}
}

static inline struct wcl *wcl_ws_open(struct wfx *fx, const char *path)
{
	struct wcl *c = wcl_open(fx);
	if (!c)
		return NULL;
	char req[512];
	snprintf(req, sizeof req,
	         "GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
	         "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
	         "Sec-WebSocket-Version: 13\r\n\r\n",
	         path);
	if (wcl_send(c, req, strlen(req)) < 0)
		return NULL;
	char *end;
	while (!c->in.p || !(end = strstr(c->in.p, "\r\n\r\n")))
		if (wcl_fill(c) <= 0)
			return NULL;
	if (strncmp(c->in.p, "HTTP/1.1 101 ", 13) != 0)
		return NULL;
	sbuf_consume(&c->in, (size_t)(end - c->in.p) + 4);
	return c;
}

/* Connect again and again until the port answers (a restart); 0 or -1. */
static inline int wcl_wait_up(struct wfx *fx, int tries)
{
	for (int i = 0; i < tries; i++) {
		struct sbuf out;
		sbuf_init(&out);
		int st = wcl_call(fx, "GET", "/_paper/faults", NULL, &out);
		sbuf_free(&out);
		if (st == 200)
			return 0;
		usleep(20000);
	}
	return -1;
}

static inline void *wfx_client_main(void *arg)
{
	struct wfx *fx = arg;
	sbuf_init(&fx->m);
	sbuf_init(&fx->b);
	sbuf_init(&fx->head);
	fx->result = fx->client(fx);
	sbuf_free(&fx->m);
	sbuf_free(&fx->b);
	sbuf_free(&fx->head);
	for (int i = 0; i < fx->ncl; i++) {
		close(fx->cls[i].fd);
		sbuf_free(&fx->cls[i].in);
	}
	if (!fx->signalled) {
		fx->signalled = true;
		uv_async_send(&fx->wake);
	}
	return NULL;
}

/* ---- loop side ---- */

static inline void wfx_sim_on(struct wfx *fx)
{
	if (!fx->sim_rate || !fx->p)
		return;
	struct sim_opts so;
	memset(&so, 0, sizeof so);
	so.seed = 77;
	so.rate = fx->sim_rate;
	so.orders = 120;
	struct kerr e = KERR_INIT;
	fx->sim = sim_new(fx->p, &so, &e);
	assert_non_null(fx->sim);
	sim_start(fx->sim);
}

static inline void wfx_stopping(void *ctx, struct paper *p)
{
	struct wfx *fx = ctx;
	(void)p;
	sim_free(fx->sim);
	fx->sim = NULL;
	fx->p = NULL;
}

static inline void wfx_started(void *ctx, struct paper *p, const char *error)
{
	struct wfx *fx = ctx;
	if (!p)
		fail_msg("restart failed: %s", error);
	fx->p = p;
	fx->restarts++;
	wfx_sim_on(fx);
}

static inline void wfx_stopped(void *arg)
{
	struct wfx *fx = arg;
	fx->stopped = true;
}

static inline void wfx_wake(uv_async_t *a)
{
	struct wfx *fx = a->data;
	if (fx->loop_check && fx->p)
		fx->loop_check(fx);
	sim_free(fx->sim);
	fx->sim = NULL;
	if (fx->p)
		paper_stop(fx->p, wfx_stopped, fx);
	else
		fx->stopped = true;
	fx->p = NULL;
	uv_close((uv_handle_t *)a, NULL);
}

/* Start the exchange (account 1: 100000 USD Spot, 10000 USD flex), run the client
 * to its end, stop, check the loop closed cleanly, fail with the client's message. */
static inline void wfx_run(struct wfx *fx)
{
	uv_loop_init(&fx->loop);
	snprintf(fx->dir, sizeof fx->dir, "/tmp/kt-faults-XXXXXX");
	assert_non_null(mkdtemp(fx->dir));
	snprintf(fx->state, sizeof fx->state, "%s/state.json", fx->dir);
	static const struct paper_balance bal[] = {
	        {"USD", {1000000000, 4}, false},
	        {"USD", {100000000, 4}, true},
	};
	memset(&fx->po, 0, sizeof fx->po);
	fx->po.state_path = fx->state;
	fx->po.reset = true;
	fx->po.balances = bal;
	fx->po.nbalances = 2;
	fx->po.adapters = &wfx_adapters;
	fx->po.id_seed = 9;
	struct kerr e = KERR_INIT;
	fx->p = paper_start(&fx->loop, &fx->po, &e);
	if (!fx->p)
		fail_msg("paper_start: %s", e.msg);
	struct paper_urls u;
	paper_urls(fx->p, &u);
	fx->port = u.port;
	assert_int_equal(paper_keys(fx->p, 1, &fx->keys), 0);
	fx->restart = (struct faults_restart){&fx->po, wfx_stopping, wfx_started, fx};
	faults_set_restart(fx->p, &fx->restart);
	wfx_sim_on(fx);
	if (fx->setup)
		fx->setup(fx);
	uv_async_init(&fx->loop, &fx->wake, wfx_wake);
	fx->wake.data = fx;
	assert_int_equal(pthread_create(&fx->th, NULL, wfx_client_main, fx), 0);
	uv_run(&fx->loop, UV_RUN_DEFAULT);
	pthread_join(fx->th, NULL);
	assert_true(fx->stopped);
	assert_int_equal(uv_loop_close(&fx->loop), 0);
	unlink(fx->state);
	char tmp[128];
	snprintf(tmp, sizeof tmp, "%s.tmp", fx->state);
	unlink(tmp);
	rmdir(fx->dir);
	if (fx->result != 0)
		fail_msg("%s", fx->msg);
}

#endif
