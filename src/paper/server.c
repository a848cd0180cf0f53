/* server: the paper exchange on the network (server.h). Routes requests and
 * WebSocket upgrades by path to the protocol adapters (struct paper_adapters),
 * authenticates private REST calls first, ticks px on a timer and before every
 * request, and keeps the state file ahead of every reply: paper_flush() runs at
 * the end of each callback and from a uv_idle handle, which libuv runs before the
 * uv_prepare in which net/http_server writes to the sockets. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/ktime.h"
#include "base/log.h"
#include "base/sbuf.h"
#include "base/strutil.h"
#include "base/xalloc.h"
#include "paper/auth.h"
#include "paper/faults.h"
#include "paper/liquidation.h"
#include "paper/server.h"

struct paper_server {
	struct paper *p;
	struct http_server *http;
	uv_timer_t tick;
	uv_idle_t idle;
	bool idle_active;
	struct spot_ws_srv *spot_pub, *spot_priv;
	struct fut_ws_srv *fut;
	char host[64];
	int port;
	int closing; /* handles (and the http server) still closing */
	void (*done)(void *arg);
	void *done_arg;
};

static void flush(struct paper *p)
{
	paper_flush(p, NULL); /* failures are logged once and retried every tick */
}

/* ---- replies of our own ---- */

static void reply_json(struct http_request *req, int status, const char *body)
{
	http_reply(req, status, "application/json", body, strlen(body), NULL);
}

static void reply_fut_error(struct paper *p, struct http_request *req, int status,
			    const char *error)
{
	char ts[KTIME_FMT_MAX], body[256];
	ktime_fmt_ms(paper_now(p), ts, sizeof ts);
	snprintf(body, sizeof body, "{\"result\":\"error\",\"serverTime\":\"%s\",\"error\":\"%s\"}",
		 ts, error);
	reply_json(req, status, body);
}

static void reply_spot_error(struct http_request *req, int status, const char *error)
{
	char body[256];
	snprintf(body, sizeof body, "{\"error\":[\"%s\"]}", error);
	reply_json(req, status, body);
}

/* ---- routing ---- */

enum route { R_NONE, R_SPOT_PUBLIC, R_SPOT_PRIVATE, R_FUT_PUBLIC, R_FUT_PRIVATE };

/* Futures endpoints that need no key. */
static bool fut_public(const char *path)
{
	static const char *const v3[] = {"instruments", "tickers", "orderbook", "history",
					 "historical-funding-rates", "feeschedules"};
	if (kt_str_starts(path, "/api/history/v3/market/") || kt_str_starts(path, "/api/charts/"))
		return true;
	if (!kt_str_starts(path, "/derivatives/api/v3/"))
		return false;
	const char *e = path + strlen("/derivatives/api/v3/");
	for (size_t i = 0; i < sizeof v3 / sizeof v3[0]; i++) {
		size_t n = strlen(v3[i]);
		if (strncmp(e, v3[i], n) == 0 && (e[n] == '\0' || e[n] == '/')) {
			if (!strcmp(v3[i], "feeschedules") && e[n] == '/')
				return false; /* feeschedules/volumes is private */
			return true;
		}
	}
	return false;
}

static enum route route_of(const char *path)
{
	if (kt_str_starts(path, "/0/public/"))
		return R_SPOT_PUBLIC;
	if (kt_str_starts(path, "/0/private/"))
		return R_SPOT_PRIVATE;
	if (kt_str_starts(path, "/derivatives/api/v3/") || kt_str_starts(path, "/api/history/v3/") ||
	    kt_str_starts(path, "/api/charts/"))
		return fut_public(path) ? R_FUT_PUBLIC : R_FUT_PRIVATE;
	return R_NONE;
}

static void not_found(struct paper *p, struct http_request *req)
{
	if (kt_str_starts(req->path, "/0/"))
		reply_spot_error(req, 404, "EGeneral:Unknown method");
	else
		reply_fut_error(p, req, 404, "notFound");
}

static void on_request(void *ctx, struct http_request *req)
{
	struct paper_server *s = ctx;
	struct paper *p = s->p;
	paper_tick(p);
	if (faults_control(p, req) || faults_rest_before(p, req, on_request, s)) {
		flush(p);
		return;
	}
	enum route r = route_of(req->path);
	void (*handler)(struct paper *, struct http_request *) = NULL;
	if (r == R_SPOT_PUBLIC || r == R_SPOT_PRIVATE)
		handler = p->ad.spot_rest_handle;
	else if (r == R_FUT_PUBLIC || r == R_FUT_PRIVATE)
		handler = p->ad.fut_rest_handle;
	if (!handler) {
		not_found(p, req);
		flush(p);
		return;
	}
	uint32_t acct = 0;
	if (r == R_SPOT_PRIVATE) {
		enum auth_result ar = auth_spot_rest(p->auth, req, &acct);
		if (ar != AUTH_OK) {
			reply_spot_error(req, 200, auth_spot_error(ar));
			flush(p);
			return;
		}
	} else if (r == R_FUT_PRIVATE) {
		enum auth_result ar = auth_fut_rest(p->auth, req, &acct);
		if (ar != AUTH_OK) {
			reply_fut_error(p, req, 200, auth_fut_error(ar));
			flush(p);
			return;
		}
	}
	p->cur_req = req;
	p->cur_account = acct;
	handler(p, req);
	faults_rest_after(p, req);
	p->cur_req = NULL;
	p->cur_account = 0;
	flush(p);
}

enum ws_kind { WS_NONE, WS_SPOT_PUB, WS_SPOT_PRIV, WS_FUT };

static enum ws_kind ws_kind_of(const char *path)
{
	if (!strcmp(path, "/v2"))
		return WS_SPOT_PUB;
	if (!strcmp(path, "/auth/v2"))
		return WS_SPOT_PRIV;
	if (!strcmp(path, "/ws/v1"))
		return WS_FUT;
	return WS_NONE;
}

static int on_ws_upgrade(void *ctx, struct http_conn *conn, const char *path,
			 const struct http_request *req)
{
	(void)req;
	struct paper_server *s = ctx;
	struct paper *p = s->p;
	paper_tick(p);
	switch (ws_kind_of(path)) {
	case WS_SPOT_PUB:
		if (!s->spot_pub || !p->ad.spot_ws_open)
			return 404;
		p->ad.spot_ws_open(s->spot_pub, conn);
		break;
	case WS_SPOT_PRIV:
		if (!s->spot_priv || !p->ad.spot_ws_open)
			return 404;
		p->ad.spot_ws_open(s->spot_priv, conn);
		break;
	case WS_FUT:
		if (!s->fut || !p->ad.fut_ws_open)
			return 404;
		p->ad.fut_ws_open(s->fut, conn);
		break;
	case WS_NONE:
		return 404;
	}
	flush(p);
	return 0;
}

static void on_ws_message(void *ctx, struct http_conn *conn, const char *data, size_t len,
			  bool binary)
{
	(void)binary;
	struct paper_server *s = ctx;
	struct paper *p = s->p;
	paper_tick(p);
	switch (ws_kind_of(ws_conn_path(conn))) {
	case WS_SPOT_PUB:
		if (s->spot_pub && p->ad.spot_ws_message)
			p->ad.spot_ws_message(s->spot_pub, conn, data, len);
		break;
	case WS_SPOT_PRIV:
		if (s->spot_priv && p->ad.spot_ws_message)
			p->ad.spot_ws_message(s->spot_priv, conn, data, len);
		break;
	case WS_FUT:
		if (s->fut && p->ad.fut_ws_message)
			p->ad.fut_ws_message(s->fut, conn, data, len);
		break;
	case WS_NONE:
		break;
	}
	flush(p);
}

static void on_ws_close(void *ctx, struct http_conn *conn, int code, const char *reason)
{
	(void)code;
	(void)reason;
	struct paper_server *s = ctx;
	struct paper *p = s->p;
	faults_ws_closed(p, conn);
	switch (ws_kind_of(ws_conn_path(conn))) {
	case WS_SPOT_PUB:
		if (s->spot_pub && p->ad.spot_ws_close)
			p->ad.spot_ws_close(s->spot_pub, conn);
		break;
	case WS_SPOT_PRIV:
		if (s->spot_priv && p->ad.spot_ws_close)
			p->ad.spot_ws_close(s->spot_priv, conn);
		break;
	case WS_FUT:
		if (s->fut && p->ad.fut_ws_close)
			p->ad.fut_ws_close(s->fut, conn);
		break;
	case WS_NONE:
		break;
	}
	flush(p);
}

/* ---- timers ---- */

static void on_tick(uv_timer_t *t)
{
	struct paper_server *s = t->data;
	paper_tick(s->p);
	/* Without a simulator nobody else liquidates, yet marks still move: with
	 * the trades clients make when no mark was ever set, or by hand. Funding
	 * stays off: with no index moving, its premium would be frozen. */
	if (!s->p->market_running)
		liquidation_run(s->p->px, NULL, NULL);
	flush(s->p);
}

static void on_idle(uv_idle_t *h)
{
	struct paper_server *s = h->data;
	uv_idle_stop(h);
	s->idle_active = false;
	flush(s->p);
}

/* px became dirty: flush before the loop's next socket writes. */
static void on_dirty(void *ctx)
{
	struct paper_server *s = ctx;
	if (!s->idle_active && s->closing == 0) {
		uv_idle_start(&s->idle, on_idle);
		s->idle_active = true;
	}
}

/* ---- lifecycle ---- */

struct paper *paper_start(uv_loop_t *loop, const struct paper_opts *opts, struct kerr *err)
{
	struct paper *p = paper_create(loop, opts, err);
	if (!p)
		return NULL;
	struct paper_server *s = xcalloc(1, sizeof *s);
	s->p = p;
	p->srv = s;
	const char *host = opts && opts->host && *opts->host ? opts->host : "127.0.0.1";
	snprintf(s->host, sizeof s->host, "%s", host);
	static const struct http_server_ops ops = {
		.on_request = on_request,
		.on_ws_upgrade = on_ws_upgrade,
		.on_ws_message = on_ws_message,
		.on_ws_close = on_ws_close,
	};
	s->http = http_server_start(loop, host, opts ? opts->port : 0, &ops, s, err);
	if (!s->http) {
		p->srv = NULL;
		free(s);
		paper_destroy(p);
		return NULL;
	}
	s->port = http_server_port(s->http);
	if (p->ad.spot_ws_new) {
		s->spot_pub = p->ad.spot_ws_new(p, false);
		s->spot_priv = p->ad.spot_ws_new(p, true);
	}
	if (p->ad.fut_ws_new)
		s->fut = p->ad.fut_ws_new(p);
	uv_timer_init(loop, &s->tick);
	s->tick.data = s;
	uint32_t ms = opts && opts->tick_ms ? opts->tick_ms : 50;
	uv_timer_start(&s->tick, on_tick, ms, ms);
	uv_idle_init(loop, &s->idle);
	s->idle.data = s;
	px_set_dirty_hook(p->px, on_dirty, s);
	flush(p); /* a fresh start is saved before anyone can see it */
	LOGI("paper: listening on %s:%d", s->host, s->port);
	return p;
}

static void finish(struct paper_server *s)
{
	struct paper *p = s->p;
	if (s->spot_pub && p->ad.spot_ws_free)
		p->ad.spot_ws_free(s->spot_pub);
	if (s->spot_priv && p->ad.spot_ws_free)
		p->ad.spot_ws_free(s->spot_priv);
	if (s->fut && p->ad.fut_ws_free)
		p->ad.fut_ws_free(s->fut);
	void (*done)(void *) = s->done;
	void *arg = s->done_arg;
	px_set_dirty_hook(p->px, NULL, NULL);
	p->srv = NULL;
	free(s);
	paper_destroy(p);
	if (done)
		done(arg);
}

static void one_closed(struct paper_server *s)
{
	if (--s->closing == 0)
		finish(s);
}

static void handle_closed(uv_handle_t *h)
{
	one_closed(h->data);
}

static void http_stopped(void *arg)
{
	one_closed(arg);
}

void paper_stop(struct paper *p, void (*done)(void *arg), void *arg)
{
	faults_free(p);
	struct paper_server *s = p ? p->srv : NULL;
	if (!s) {
		paper_destroy(p);
		if (done)
			done(arg);
		return;
	}
	s->done = done;
	s->done_arg = arg;
	s->closing = 3;
	uv_timer_stop(&s->tick);
	uv_idle_stop(&s->idle);
	uv_close((uv_handle_t *)&s->tick, handle_closed);
	uv_close((uv_handle_t *)&s->idle, handle_closed);
	http_server_stop(s->http, http_stopped, s);
	s->http = NULL;
}

void paper_urls(const struct paper *p, struct paper_urls *out)
{
	memset(out, 0, sizeof *out);
	const struct paper_server *s = p->srv;
	if (!s)
		return;
	char h[80];
	if (strchr(s->host, ':'))
		snprintf(h, sizeof h, "[%s]", s->host);
	else
		snprintf(h, sizeof h, "%s", s->host);
	out->port = s->port;
	snprintf(out->spot_rest, sizeof out->spot_rest, "http://%s:%d", h, s->port);
	snprintf(out->spot_ws_public, sizeof out->spot_ws_public, "ws://%s:%d/v2", h, s->port);
	snprintf(out->spot_ws_private, sizeof out->spot_ws_private, "ws://%s:%d/auth/v2", h, s->port);
	snprintf(out->fut_rest, sizeof out->fut_rest, "http://%s:%d", h, s->port);
	snprintf(out->fut_ws, sizeof out->fut_ws, "ws://%s:%d/ws/v1", h, s->port);
}

int paper_keys(const struct paper *p, uint32_t acct, struct px_keys *out)
{
	const struct px_keys *k = px_account_keys(p->px, acct);
	if (!k)
		return -1;
	*out = *k;
	return 0;
}

void paper_info(const struct paper *p, struct paper_info *out)
{
	memset(out, 0, sizeof *out);
	paper_urls(p, &out->urls);
	out->state_path = p->state_path ? p->state_path : "";
	out->accounts = px_account_count(p->px);
	const struct px_instruments *t = px_instruments(p->px);
	for (size_t i = 0; i < t->n; i++) {
		if (t->instr[i].product == PX_SPOT)
			out->spot_pairs++;
		else
			out->futures++;
	}
	out->started_ns = p->started_ns;
}
