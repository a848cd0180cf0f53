/* fut_rest: the session core — call objects, the rate-limit queue, signing,
 * sending, and sorting replies into "decode it", "slow down and retry",
 * "nothing happened" and "outcome unknown" (see fut_rest.h). */
#include "kraken/fut_rest.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "base/log.h"
#include "base/xalloc.h"
#include "core/state.h"
#include "kraken/errors.h"
#include "kraken/fut_rest_int.h"
#include "net/loop.h"
#include "net/nonce.h"
#include "net/sign.h"

/* ---- the real loop as an fut_rest_io ---- */

static void *loop_request(void *ctx, const struct http_req_opts *o,
                          void (*cb)(void *arg, const struct http_result *r), void *arg)
{
	return http_request(ctx, o, cb, arg);
}

static void loop_cancel(void *ctx, void *call)
{
	(void)ctx;
	http_cancel(call);
}

static uint64_t loop_now(void *ctx)
{
	(void)ctx;
	return kt_mono_ms();
}

static void *loop_timer(void *ctx, uint64_t ms, void (*cb)(void *arg), void *arg)
{
	return kt_timer_start(ctx, ms, 0, cb, arg);
}

static void loop_timer_stop(void *ctx, void *t)
{
	(void)ctx;
	kt_timer_stop(t);
}

struct fut_rest *fut_rest_new(struct kt_loop *loop, const struct fut_rest_cfg *cfg,
                              struct kerr *err)
{
	struct fut_rest_io io = {loop,     loop_request, loop_cancel,
	                         loop_now, loop_timer,   loop_timer_stop};
	return fut_rest_new_io(&io, cfg, err);
}

struct fut_rest *fut_rest_new_io(const struct fut_rest_io *io, const struct fut_rest_cfg *cfg,
                                 struct kerr *err)
{
	if (!cfg->base_url || !cfg->base_url[0]) {
		kerr_set(err, FUT_REST_E_ARG, "no Kraken Futures URL configured");
		return NULL;
	}
	struct fut_rest *fr = xcalloc(1, sizeof *fr);
	fr->io = *io;
	fr->base_url = xstrdup(cfg->base_url);
	size_t bl = strlen(fr->base_url);
	if (bl && fr->base_url[bl - 1] == '/')
		fr->base_url[bl - 1] = '\0';
	if (cfg->api_key && cfg->api_key[0] && cfg->api_secret && cfg->api_secret[0]) {
		fr->key = xstrdup(cfg->api_key);
		fr->secret = xstrdup(cfg->api_secret);
		klog_add_redaction(fr->secret);
		if (cfg->nonce_dir) {
			fr->nonce = nonce_store_open(cfg->nonce_dir, cfg->api_key, NONCE_MS, err);
			if (!fr->nonce) {
				fut_rest_free(fr);
				return NULL;
			}
		}
	}
	fr->timeout_ms = cfg->timeout_ms ? cfg->timeout_ms : 10000;
	fr->recon_delay_ms = cfg->reconcile_delay_ms ? cfg->reconcile_delay_ms : 1000;
	rl_window_init(&fr->budget, FR_BUDGET, FR_WINDOW_MS);
	rl_counter_init(&fr->history, FR_HISTORY_TOKENS * RL_UNIT, FR_HISTORY_DECAY);
	fr->rnd = 0x9e3779b9u;
	return fr;
}

void fut_rest_free(struct fut_rest *fr)
{
	if (!fr)
		return;
	while (fr->live)
		fr_call_free(fr->live);
	if (fr->pump_timer)
		fr->io.timer_stop(fr->io.ctx, fr->pump_timer);
	rl_window_free(&fr->budget);
	nonce_store_close(fr->nonce);
	xfree_secret(fr->secret);
	free(fr->key);
	free(fr->base_url);
	free(fr);
}

struct nonce_store *fut_rest_nonce_store(struct fut_rest *fr)
{
	return fr->nonce;
}
bool fut_rest_has_keys(const struct fut_rest *fr)
{
	return fr->key != NULL;
}

size_t fut_rest_queued(const struct fut_rest *fr)
{
	size_t n = 0;
	for (const struct fr_call *c = fr->qhead; c; c = c->qnext)
		n++;
	return n;
}

int fut_rest_budget_used(struct fut_rest *fr)
{
	return (int)rl_window_used(&fr->budget, fr->io.now_ms(fr->io.ctx));
}

uint64_t fr_backoff(struct fut_rest *fr, unsigned attempt)
{
	fr->rnd ^= fr->rnd << 13; /* xorshift32: jitter only, not security */
	fr->rnd ^= fr->rnd >> 17;
	fr->rnd ^= fr->rnd << 5;
	return rl_backoff_ms(attempt, 1000, 30000, fr->rnd);
}

void fr_result(struct intent_result *res, enum intent_status s, const char *code, const char *fmt,
               ...)
{
	memset(res, 0, sizeof *res);
	res->status = s;
	snprintf(res->code, sizeof res->code, "%s", code ? code : "");
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(res->message, sizeof res->message, fmt, ap);
	va_end(ap);
}

/* ---- call objects ---- */

struct fr_call *fr_call_new(struct fut_rest *fr, struct state *st, enum fut_ep ep)
{
	struct fr_call *c = xcalloc(1, sizeof *c);
	c->fr = fr;
	c->st = st;
	c->ep = ep;
	c->instr = -1;
	c->write = fut_ep_desc(ep)->priv && strcmp(fut_ep_desc(ep)->method, "GET") != 0 &&
	           ep != FUT_EP_ORDERS_STATUS;
	sbuf_init(&c->params);
	c->lnext = fr->live;
	if (fr->live)
		fr->live->lprev = c;
	fr->live = c;
	return c;
}

static void unqueue(struct fr_call *c)
{
	struct fut_rest *fr = c->fr;
	struct fr_call **pp = &fr->qhead, *prev = NULL;
	for (; *pp; prev = *pp, pp = &(*pp)->qnext) {
		if (*pp == c) {
			*pp = c->qnext;
			if (fr->qtail == c)
				fr->qtail = prev;
			c->qnext = NULL;
			return;
		}
	}
}

static void group_unref(struct fr_group *g)
{
	if (g && --g->refs == 0)
		free(g);
}

void fr_call_free(struct fr_call *c)
{
	struct fut_rest *fr = c->fr;
	unqueue(c);
	if (c->http)
		fr->io.cancel(fr->io.ctx, c->http);
	if (c->timer)
		fr->io.timer_stop(fr->io.ctx, c->timer);
	if (c->lprev)
		c->lprev->lnext = c->lnext;
	else
		fr->live = c->lnext;
	if (c->lnext)
		c->lnext->lprev = c->lprev;
	group_unref(c->group);
	sbuf_free(&c->params);
	free(c);
}

void fr_finish(struct fr_call *c, const struct intent_result *res)
{
	struct fr_group *g = c->group;
	if (g) {
		g->refs++; /* keep it past the call's own reference */
		fr_call_free(c);
		if (res->status != INTENT_OK && !g->failed) {
			g->failed = true;
			g->first_fail = *res;
		}
		if (--g->pending == 0 && g->cb) {
			struct intent_result ok;
			fr_result(&ok, INTENT_OK, "", "private data refreshed");
			g->cb(g->arg, g->failed ? &g->first_fail : &ok);
		}
		group_unref(g);
		return;
	}
	intent_cb cb = c->cb;
	void *arg = c->arg;
	fr_call_free(c);
	if (cb)
		cb(arg, res);
}

/* ---- limits in the state ---- */

static void publish_limits(struct fut_rest *fr, struct state *st, uint64_t rtt_us)
{
	if (!st)
		return;
	uint64_t now = fr->io.now_ms(fr->io.ctx);
	st->limits.fut_budget_used = (int32_t)(rl_window_used(&fr->budget, now) * 100);
	st->limits.fut_budget_max = FR_BUDGET * 100;
	st->limits.waiting = (int32_t)fut_rest_queued(fr);
	if (rtt_us)
		st->rest_rtt_us[PRODUCT_FUTURES] =
		        (uint32_t)(rtt_us > UINT32_MAX ? UINT32_MAX : rtt_us);
	state_changed(st, EV_LIMITS, -1);
}

/* ---- sending ---- */

static void on_http(void *arg, const struct http_result *res);
static void pump(struct fut_rest *fr);

static void pump_timer_cb(void *arg)
{
	struct fut_rest *fr = arg;
	fr->pump_timer = NULL;
	pump(fr);
}

static void fail_now(struct fr_call *c, enum fr_fail kind, const char *fmt, ...)
        __attribute__((format(printf, 3, 4)));

static void fail_now(struct fr_call *c, enum fr_fail kind, const char *fmt, ...)
{
	char msg[256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	c->on_fail(c, kind, msg);
}

static void deferred_fail_cb(void *arg)
{
	struct fr_call *c = arg;
	c->timer = NULL;
	c->on_fail(c, c->fail_kind, c->fail_msg);
}

/* A failure found while sending, which may happen inside the caller's
 * fut_rest_* call: report it from the loop so callbacks never run early. */
static void fail_later(struct fr_call *c, const char *fmt, ...)
        __attribute__((format(printf, 2, 3)));

static void fail_later(struct fr_call *c, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(c->fail_msg, sizeof c->fail_msg, fmt, ap);
	va_end(ap);
	c->fail_kind = FR_FAILED;
	c->timer = c->fr->io.timer(c->fr->io.ctx, 0, deferred_fail_cb, c);
}

/* Sign and hand the request to the transport. */
static void send_call(struct fr_call *c)
{
	struct fut_rest *fr = c->fr;
	const struct fut_ep_desc *e = fut_ep_desc(c->ep);
	struct sbuf url = SBUF_INIT, spath = SBUF_INIT;
	sbuf_adds(&url, fr->base_url);
	fut_ep_path(c->ep, &url);
	if (!e->body && c->params.len)
		sbuf_addf(&url, "?%s", c->params.p);
	char h_key[160], h_auth[16 + KRAKEN_SIGN_B64_SIZE], h_nonce[16 + NONCE_MAX];
	const char *headers[6];
	size_t nh = 0;
	headers[nh++] = "Accept: application/json";
	if (e->body)
		headers[nh++] = "Content-Type: application/x-www-form-urlencoded";
	if (e->priv) {
		char nonce[NONCE_MAX] = "", sig[KRAKEN_SIGN_B64_SIZE];
		struct kerr err = KERR_INIT;
		if (fr->nonce && nonce_next(fr->nonce, nonce, sizeof nonce, &err)) {
			sbuf_free(&url);
			fail_later(c, "no nonce for the Futures key: %s (nothing was sent)",
			           err.msg);
			return;
		}
		fut_ep_sign_path(c->ep, &spath);
		if (kraken_futures_authent(fr->secret, sbuf_str(&c->params), nonce,
		                           sbuf_str(&spath), sig, sizeof sig, &err)) {
			sbuf_free(&url);
			sbuf_free(&spath);
			fail_later(c, "cannot sign the Futures request: %s (nothing was sent)",
			           err.msg);
			return;
		}
		snprintf(h_key, sizeof h_key, "APIKey: %s", fr->key);
		snprintf(h_auth, sizeof h_auth, "Authent: %s", sig);
		headers[nh++] = h_key;
		headers[nh++] = h_auth;
		if (nonce[0]) {
			snprintf(h_nonce, sizeof h_nonce, "Nonce: %s", nonce);
			headers[nh++] = h_nonce;
		}
	}
	headers[nh] = NULL;
	struct http_req_opts o = {
	        .method = e->method,
	        .url = url.p,
	        .headers = headers,
	        .body = e->body ? sbuf_str(&c->params) : NULL,
	        .body_len = e->body ? c->params.len : 0,
	        .timeout_ms = fr->timeout_ms,
	};
	LOGD("futures REST %s %s", e->method, e->name);
	c->http = fr->io.request(fr->io.ctx, &o, on_http, c);
	sbuf_free(&url);
	sbuf_free(&spath);
	if (!c->http)
		fail_later(c, "could not start the Futures request (nothing was sent)");
}

/* Send every queued call the budget allows; arm a timer for the rest. */
static void pump(struct fut_rest *fr)
{
	while (fr->qhead) {
		struct fr_call *c = fr->qhead;
		uint64_t now = fr->io.now_ms(fr->io.ctx), wait = 0;
		bool hist = fut_ep_desc(c->ep)->history;
		if (fr->blocked_until > now)
			wait = fr->blocked_until - now;
		else if (hist)
			wait = rl_counter_wait_ms(&fr->history, (int64_t)c->cost * RL_UNIT, now);
		else
			wait = rl_window_wait_ms(&fr->budget, c->cost, now);
		if (wait) {
			if (!fr->pump_timer)
				fr->pump_timer = fr->io.timer(fr->io.ctx, wait, pump_timer_cb, fr);
			publish_limits(fr, c->st, 0);
			return;
		}
		fr->qhead = c->qnext;
		if (!fr->qhead)
			fr->qtail = NULL;
		c->qnext = NULL;
		if (hist)
			rl_counter_add(&fr->history, (int64_t)c->cost * RL_UNIT, now);
		else
			rl_window_add(&fr->budget, c->cost, now);
		publish_limits(fr, c->st, 0);
		send_call(c);
	}
}

static void enqueue(struct fr_call *c, bool front)
{
	struct fut_rest *fr = c->fr;
	if (front) {
		c->qnext = fr->qhead;
		fr->qhead = c;
		if (!fr->qtail)
			fr->qtail = c;
	} else {
		c->qnext = NULL;
		if (fr->qtail)
			fr->qtail->qnext = c;
		else
			fr->qhead = c;
		fr->qtail = c;
	}
}

int fr_submit(struct fr_call *c, struct kerr *err)
{
	struct fut_rest *fr = c->fr;
	const struct fut_ep_desc *e = fut_ep_desc(c->ep);
	if (e->priv && !fr->key) {
		fr_call_free(c);
		return kerr_set(err, FUT_REST_E_NOKEY,
		                "no Kraken Futures API key is configured (nothing was sent)");
	}
	c->cost = fut_ep_cost(c->ep, sbuf_str(&c->params));
	if (c->cost == 0 && !e->history) {
		send_call(c); /* public: no budget */
		return 0;
	}
	enqueue(c, false);
	pump(fr);
	return 0;
}

static void resubmit_cb(void *arg)
{
	struct fr_call *c = arg;
	c->timer = NULL;
	c->cost = fut_ep_cost(c->ep, sbuf_str(&c->params));
	if (c->cost == 0 && !fut_ep_desc(c->ep)->history) {
		send_call(c);
		return;
	}
	enqueue(c, true);
	pump(c->fr);
}

void fr_resubmit_after(struct fr_call *c, uint64_t ms)
{
	c->timer = c->fr->io.timer(c->fr->io.ctx, ms, resubmit_cb, c);
}

/* ---- replies ---- */

/* Kraken said "too many requests": hold every call back, retry this one first. */
static void rate_limited(struct fr_call *c, const struct http_result *res)
{
	struct fut_rest *fr = c->fr;
	if (++c->attempts > FR_LIMIT_RETRIES) {
		fail_now(c, FR_FAILED,
		         "Kraken Futures kept refusing with a rate limit; gave up "
		         "(apiLimitExceeded, nothing was done)");
		return;
	}
	uint64_t now = fr->io.now_ms(fr->io.ctx);
	uint64_t wait = fr_backoff(fr, fr->strikes++);
	const char *ra = res ? http_result_header(res, "Retry-After") : NULL;
	if (ra) {
		long s = strtol(ra, NULL, 10);
		if (s > 0 && s < 600 && (uint64_t)s * 1000 > wait)
			wait = (uint64_t)s * 1000;
	}
	if (fr->blocked_until < now + wait)
		fr->blocked_until = now + wait;
	LOGW("Kraken Futures rate limit hit: holding requests for %llu ms",
	     (unsigned long long)wait);
	enqueue(c, true);
	pump(fr);
}

/* A read that failed transiently is retried; a write's outcome is unknown. */
static void transient(struct fr_call *c, const char *what)
{
	if (c->write) {
		fail_now(c, FR_UNKNOWN, "%s", what);
		return;
	}
	if (++c->attempts > FR_READ_RETRIES) {
		fail_now(c, FR_FAILED, "%s (gave up after %u tries)", what, c->attempts);
		return;
	}
	fr_resubmit_after(c, fr_backoff(c->fr, c->attempts - 1));
}

static void on_http(void *arg, const struct http_result *res)
{
	struct fr_call *c = arg;
	struct fut_rest *fr = c->fr;
	c->http = NULL;
	publish_limits(fr, c->st, res->rtt_us);
	if (res->error) {
		char what[300];
		snprintf(what, sizeof what, "no answer from Kraken Futures: %s", res->error);
		bool never_sent = res->kind == HTTP_E_CONNECT || res->kind == HTTP_E_RESOLVE ||
		                  res->kind == HTTP_E_TLS;
		/* A refused certificate does not fix itself: say so at once. */
		if (res->kind == HTTP_E_TLS)
			fail_now(c, FR_FAILED, "%s (nothing was sent; check the URL, or add the "
					       "server's CA with ca_file)", what);
		else if (never_sent && c->write)
			fail_now(c, FR_FAILED, "%s (nothing was sent)", what);
		else
			transient(c, what);
		return;
	}
	if (res->status == 429) {
		rate_limited(c, res);
		return;
	}
	struct fut_doc fd;
	fut_doc_init(&fd);
	struct kerr err = KERR_INIT;
	int perr = fut_doc_parse(&fd, res->body, res->body_len, &err);
	if (perr == 0 && !fd.ok && strcmp(fd.error, "apiLimitExceeded") == 0) {
		fut_doc_free(&fd);
		rate_limited(c, res);
		return;
	}
	if (perr == 0 && !fd.ok && kraken_futures_error(fd.error).cls == KE_NONCE) {
		/* Refused before Kraken looked at the request: another process
		 * got a higher nonce in first, or the transport resent this very
		 * request after its answer was lost (curl retries a request whose
		 * reused connection died, nonce and all). A read goes again with
		 * a new nonce; a write's outcome is unknown (reconciled). */
		char what[200];
		snprintf(what, sizeof what, "Kraken Futures refused the nonce (%s)", fd.error);
		fut_doc_free(&fd);
		if (c->write)
			fail_now(c, FR_UNKNOWN, "%s", what);
		else
			transient(c, what);
		return;
	}
	if (res->status >= 500 ||
	    (perr == 0 && !fd.ok && kraken_futures_error(fd.error).cls == KE_UNAVAILABLE)) {
		char what[200];
		snprintf(what, sizeof what, "Kraken Futures is unavailable (HTTP %d%s%s)",
		         res->status, fd.error[0] ? ", " : "", fd.error);
		fut_doc_free(&fd);
		transient(c, what);
		return;
	}
	fr->strikes = 0;
	if (perr) {
		fut_doc_free(&fd);
		/* A 2xx/4xx reply we cannot read: for a write the outcome is unknown. */
		fail_now(c, c->write ? FR_UNKNOWN : FR_FAILED, "HTTP %d: %s", res->status, err.msg);
		return;
	}
	c->on_reply(c, &fd);
	fut_doc_free(&fd);
}
