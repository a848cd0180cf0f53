/* spot_rest: the Spot REST request queue — rate-limit gates, signing and
 * nonces at dispatch time, the HTTP exchange, error classification,
 * retries with backoff, and the rate-limit view in the state. */
#include "kraken/spot_rest.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "base/log.h"
#include "base/uuid.h"
#include "base/xalloc.h"
#include "kraken/spot_rest_impl.h"
#include "net/sign.h"

#define SR_MAX_PUB_INFLIGHT 4
#define SR_PUBLIC_MAX (2 * RL_UNIT) /* burst of two public calls, then the rate */

/* ---- default I/O on the loop ---- */

static void *io_http(void *ctx, const struct http_req_opts *o,
		     void (*cb)(void *arg, const struct http_result *res), void *arg)
{
	return http_request(ctx, o, cb, arg);
}

static void io_http_cancel(void *ctx, void *call)
{
	(void)ctx;
	http_cancel(call);
}

static void *io_timer(void *ctx, uint64_t ms, void (*cb)(void *arg), void *arg)
{
	return kt_timer_start(ctx, ms, 0, cb, arg);
}

static void io_timer_stop(void *ctx, void *t)
{
	(void)ctx;
	kt_timer_stop(t);
}

static uint64_t io_mono(void *ctx)
{
	(void)ctx;
	return kt_mono_ms();
}

static uint64_t io_wall(void *ctx)
{
	(void)ctx;
	return kt_wall_ms();
}

static uint32_t io_rand(void *ctx)
{
	(void)ctx;
	uint32_t r = 0;
	if (kt_random_bytes(&r, sizeof r) < 0)
		r = (uint32_t)kt_mono_ns();
	return r;
}

uint64_t sr_now(struct spot_rest *sr)
{
	return sr->io.mono_ms(sr->io.ctx);
}

uint64_t sr_wall(struct spot_rest *sr)
{
	return sr->io.wall_ms(sr->io.ctx);
}

/* ---- lifetime ---- */

static void apply_tier(struct spot_rest *sr)
{
	const struct kraken_spot_limits *l = kraken_spot_limits(sr->tier);
	rl_counter_set(&sr->rest, l->rest_max, l->rest_decay);
	for (size_t i = 0; i < sr->npairs; i++)
		rl_counter_set(&sr->pairs[i].c, l->trade_max, l->trade_decay);
}

struct spot_rest *spot_rest_new(struct kt_loop *loop, struct state *st,
				const struct spot_rest_cfg *cfg, struct kerr *err)
{
	if (!cfg->base_url || !cfg->base_url[0]) {
		kerr_set(err, 1, "no Spot REST URL configured");
		return NULL;
	}
	if (cfg->api_key && (!cfg->api_secret || !cfg->nonce_dir)) {
		kerr_set(err, 1, "a Spot API key needs its secret and a nonce directory");
		return NULL;
	}
	struct spot_rest *sr = xcalloc(1, sizeof *sr);
	sr->loop = loop;
	sr->st = st;
	sr->io = (struct spot_rest_io){loop,	  io_http, io_http_cancel, io_timer,
				       io_timer_stop, io_mono, io_wall,	       io_rand};
	size_t ul = strlen(cfg->base_url);
	while (ul > 0 && cfg->base_url[ul - 1] == '/')
		ul--;
	sr->base_url = xstrndup(cfg->base_url, ul);
	sr->ca_file = cfg->ca_file ? xstrdup(cfg->ca_file) : NULL;
	sr->tier = cfg->tier;
	sr->timeout_ms = cfg->timeout_ms ? cfg->timeout_ms : 15000;
	sr->max_priv_inflight = cfg->max_private_inflight ? cfg->max_private_inflight : 1;
	sr->max_retries = cfg->max_retries ? cfg->max_retries : 5;
	sr->reconcile_delay_ms = cfg->reconcile_delay_ms ? cfg->reconcile_delay_ms : 1000;
	sr->backoff_base_ms = cfg->backoff_base_ms ? cfg->backoff_base_ms : 500;
	sr->backoff_cap_ms = cfg->backoff_cap_ms ? cfg->backoff_cap_ms : 30000;
	rl_counter_init(&sr->rest, 0, 0);
	rl_counter_init(&sr->pub, SR_PUBLIC_MAX,
			cfg->public_per_s_milli ? cfg->public_per_s_milli : 1000);
	apply_tier(sr);
	if (cfg->api_key) {
		sr->nonces = nonce_store_open(cfg->nonce_dir, cfg->api_key, NONCE_US, err);
		if (!sr->nonces) {
			spot_rest_free(sr);
			return NULL;
		}
		sr->key = xstrdup(cfg->api_key);
		sr->secret = xstrdup(cfg->api_secret);
	}
	return sr;
}

static void req_free(struct sr_req *rq)
{
	spot_params_free(&rq->params);
	free(rq);
}

void spot_rest_free(struct spot_rest *sr)
{
	if (!sr)
		return;
	while (sr->queue) {
		struct sr_req *rq = sr->queue;
		sr->queue = rq->next;
		req_free(rq);
	}
	while (sr->inflight) {
		struct sr_req *rq = sr->inflight;
		sr->inflight = rq->next;
		sr->io.http_cancel(sr->io.ctx, rq->call);
		req_free(rq);
	}
	while (sr->ops)
		sr_op_free(sr->ops);
	if (sr->timer)
		sr->io.timer_stop(sr->io.ctx, sr->timer);
	nonce_store_close(sr->nonces);
	free(sr->pairs);
	free(sr->base_url);
	free(sr->ca_file);
	free(sr->key);
	xfree_secret(sr->secret);
	free(sr);
}

void spot_rest_set_io(struct spot_rest *sr, const struct spot_rest_io *io)
{
	sr->io = *io;
}



bool spot_rest_has_key(const struct spot_rest *sr)
{
	return sr->key != NULL;
}

struct rl_counter *sr_pair_counter(struct spot_rest *sr, const char *pair)
{
	for (size_t i = 0; i < sr->npairs; i++)
		if (strcmp(sr->pairs[i].pair, pair) == 0)
			return &sr->pairs[i].c;
	sr->pairs = xgrow(sr->pairs, &sr->cap_pairs, sr->npairs + 1, sizeof *sr->pairs);
	struct sr_pair_counter *p = &sr->pairs[sr->npairs++];
	memset(p, 0, sizeof *p);
	snprintf(p->pair, sizeof p->pair, "%s", pair);
	const struct kraken_spot_limits *l = kraken_spot_limits(sr->tier);
	rl_counter_init(&p->c, l->trade_max, l->trade_decay);
	return &p->c;
}

int64_t spot_rest_counter_level(struct spot_rest *sr)
{
	return rl_counter_level(&sr->rest, sr_now(sr));
}

int64_t spot_rest_trade_level(struct spot_rest *sr, const char *pair)
{
	return rl_counter_level(sr_pair_counter(sr, pair), sr_now(sr));
}

unsigned spot_rest_queued(const struct spot_rest *sr)
{
	unsigned n = 0;
	for (const struct sr_req *rq = sr->queue; rq; rq = rq->next)
		n++;
	return n;
}

/* ---- the rate-limit view ---- */

static void publish(struct spot_rest *sr)
{
	if (!sr->st)
		return;
	uint64_t now = sr_now(sr);
	struct rate_limits l = sr->st->limits;
	l.spot_rest_counter = (int32_t)(rl_counter_level(&sr->rest, now) / 10);
	l.spot_rest_max = (int32_t)(sr->rest.max / 10);
	int64_t busiest = 0;
	for (size_t i = 0; i < sr->npairs; i++) {
		int64_t v = rl_counter_level(&sr->pairs[i].c, now);
		busiest = v > busiest ? v : busiest;
	}
	l.spot_trade_counter = (int32_t)(busiest / 10);
	l.spot_trade_max = (int32_t)(kraken_spot_limits(sr->tier)->trade_max / 10);
	l.waiting = (int32_t)spot_rest_queued(sr);
	if (memcmp(&l, &sr->published, sizeof l) == 0)
		return;
	sr->published = l;
	sr->st->limits.spot_rest_counter = l.spot_rest_counter;
	sr->st->limits.spot_rest_max = l.spot_rest_max;
	sr->st->limits.spot_trade_counter = l.spot_trade_counter;
	sr->st->limits.spot_trade_max = l.spot_trade_max;
	sr->st->limits.waiting = l.waiting;
	state_changed(sr->st, EV_LIMITS, -1);
}

/* ---- queue ---- */

static void pump(struct spot_rest *sr);

static void enqueue(struct spot_rest *sr, struct sr_req *rq)
{
	struct sr_req **pp = &sr->queue;
	if (rq->flags & SR_TRADE) {
		while (*pp && ((*pp)->flags & SR_TRADE))
			pp = &(*pp)->next;
	} else {
		while (*pp)
			pp = &(*pp)->next;
	}
	rq->next = *pp;
	*pp = rq;
}

static void on_timer(void *arg)
{
	struct spot_rest *sr = arg;
	sr->timer = NULL;
	pump(sr);
	publish(sr);
}

static void arm(struct spot_rest *sr, uint64_t due, uint64_t now)
{
	if (sr->timer && sr->timer_due <= due)
		return;
	if (sr->timer)
		sr->io.timer_stop(sr->io.ctx, sr->timer);
	sr->timer_due = due;
	sr->timer = sr->io.timer(sr->io.ctx, due > now ? due - now : 0, on_timer, sr);
}

static void on_http(void *arg, const struct http_result *res);

static void finish(struct sr_req *rq, struct spot_reply *rep)
{
	if (rq->cb)
		rq->cb(rq->arg, rep);
	req_free(rq);
}

static void fail_now(struct sr_req *rq, const char *msg)
{
	struct spot_reply rep;
	memset(&rep, 0, sizeof rep);
	rep.rc = -1;
	rep.result = -1;
	snprintf(rep.message, sizeof rep.message, "%s", msg);
	finish(rq, &rep);
}

/* Build, sign and send one request. Returns -1 if it failed before sending
 * (the request is then finished). */
static int dispatch(struct spot_rest *sr, struct sr_req *rq)
{
	struct sbuf url = SBUF_INIT, body = SBUF_INIT;
	char nonce[NONCE_MAX], sig[KRAKEN_SIGN_B64_SIZE], h_key[300], h_sign[120];
	const char *headers[4] = {NULL};
	struct http_req_opts o = {0};
	struct kerr e = KERR_INIT;
	bool priv = rq->flags & SR_PRIVATE;
	sbuf_addf(&url, "%s/0/%s/%s", sr->base_url, priv ? "private" : "public", rq->method);
	if (priv) {
		if (nonce_next(sr->nonces, nonce, sizeof nonce, &e) < 0)
			goto fail;
		if (rq->flags & SR_JSON)
			spot_params_json(&rq->params, nonce, &body);
		else
			spot_params_form(&rq->params, nonce, &body);
		const char *path = sbuf_str(&url) + strlen(sr->base_url);
		if (kraken_spot_sign(sr->secret, path, nonce, body.p, body.len, sig, sizeof sig, &e) <
		    0)
			goto fail;
		snprintf(h_key, sizeof h_key, "API-Key: %s", sr->key);
		snprintf(h_sign, sizeof h_sign, "API-Sign: %s", sig);
		headers[0] = h_key;
		headers[1] = h_sign;
		headers[2] = rq->flags & SR_JSON ? "Content-Type: application/json"
						 : "Content-Type: application/x-www-form-urlencoded";
		o.method = "POST";
		o.body = sbuf_str(&body);
		o.body_len = body.len;
	} else if (rq->params.n) {
		sbuf_addc(&url, '?');
		spot_params_form(&rq->params, NULL, &url);
	}
	o.url = sbuf_str(&url);
	o.headers = headers;
	o.timeout_ms = sr->timeout_ms;
	o.ca_file = sr->ca_file;
	rq->call = sr->io.http(sr->io.ctx, &o, on_http, rq);
	sbuf_free(&url);
	sbuf_free(&body);
	if (!rq->call) {
		fail_now(rq, "the request could not be started");
		return -1;
	}
	rq->next = sr->inflight;
	sr->inflight = rq;
	if (priv)
		sr->inflight_priv++;
	else
		sr->inflight_pub++;
	LOGD("spot rest: %s %s (attempt %u)", priv ? "POST" : "GET", rq->method, rq->attempt + 1);
	return 0;
fail:
	sbuf_free(&url);
	sbuf_free(&body);
	char msg[600];
	snprintf(msg, sizeof msg, "%s: nothing was sent", e.msg);
	fail_now(rq, msg);
	return -1;
}

/* How long rq must still wait (0: it may go now). */
static uint64_t gate(struct spot_rest *sr, struct sr_req *rq, uint64_t now, bool *blocks_class)
{
	*blocks_class = false;
	if (rq->not_before > now)
		return rq->not_before - now;
	if (rq->flags & SR_PRIVATE) {
		if (sr->hold_priv_until > now) {
			*blocks_class = true;
			return sr->hold_priv_until - now;
		}
		uint64_t w = rl_counter_wait_ms(&sr->rest, rq->rest_cost, now);
		if (w) {
			*blocks_class = true;
			return w;
		}
		if (rq->pair[0] && rq->trade_cost > 0)
			return rl_counter_wait_ms(sr_pair_counter(sr, rq->pair), rq->trade_cost, now);
		return 0;
	}
	if (sr->hold_pub_until > now) {
		*blocks_class = true;
		return sr->hold_pub_until - now;
	}
	uint64_t w = rl_counter_wait_ms(&sr->pub, RL_UNIT, now);
	*blocks_class = w > 0;
	return w;
}

/* Send whatever may go now; arm the timer for the next thing that waits. */
static void pump(struct spot_rest *sr)
{
	uint64_t now = sr_now(sr), wake = UINT64_MAX;
	bool priv_blocked = false, pub_blocked = false;
	struct sr_req **pp = &sr->queue;
	while (*pp) {
		struct sr_req *rq = *pp;
		bool priv = rq->flags & SR_PRIVATE;
		if (priv ? priv_blocked || sr->inflight_priv >= sr->max_priv_inflight
			 : pub_blocked || sr->inflight_pub >= SR_MAX_PUB_INFLIGHT) {
			pp = &rq->next;
			continue;
		}
		bool blocks;
		uint64_t w = gate(sr, rq, now, &blocks);
		if (w) {
			if (w != UINT64_MAX && now + w < wake)
				wake = now + w;
			if (blocks)
				*(priv ? &priv_blocked : &pub_blocked) = true;
			pp = &rq->next;
			continue;
		}
		*pp = rq->next;
		if (priv) {
			rl_counter_add(&sr->rest, rq->rest_cost, now);
			if (rq->pair[0] && rq->trade_cost > 0)
				rl_counter_add(sr_pair_counter(sr, rq->pair), rq->trade_cost, now);
		} else {
			rl_counter_add(&sr->pub, RL_UNIT, now);
		}
		dispatch(sr, rq);
		/* dispatch may have finished rq and its callback may have
		 * changed the queue: start over from the head. */
		pp = &sr->queue;
	}
	if (wake != UINT64_MAX)
		arm(sr, wake, now);
}

void spot_rest_set_tier(struct spot_rest *sr, enum kraken_tier tier)
{
	sr->tier = tier;
	apply_tier(sr);
	/* A waiting request may fit under the new limits now. */
	if (sr->queue)
		arm(sr, sr_now(sr), sr_now(sr));
	publish(sr);
}

int spot_rest_call(struct spot_rest *sr, const struct spot_call *call, struct spot_params *params,
		   spot_reply_cb cb, void *arg, struct kerr *err)
{
	struct spot_params taken = *params;
	spot_params_init(params);
	if ((call->flags & SR_PRIVATE) && !sr->key) {
		spot_params_free(&taken);
		return kerr_set(err, 1, "no Spot API key configured: %s needs one", call->method);
	}
	struct sr_req *rq = xcalloc(1, sizeof *rq);
	rq->sr = sr;
	snprintf(rq->method, sizeof rq->method, "%s", call->method);
	rq->flags = call->flags;
	if (call->pair)
		snprintf(rq->pair, sizeof rq->pair, "%s", call->pair);
	rq->trade_cost = call->trade_cost;
	rq->rest_cost = (call->flags & SR_PRIVATE) ? kraken_spot_rest_cost(call->method) : 0;
	rq->params = taken;
	rq->cb = cb;
	rq->arg = arg;
	enqueue(sr, rq);
	/* Never dispatch inside the caller's call: the callback contract says
	 * "later", and a 0 ms timer keeps it so even for a fake transport. */
	arm(sr, sr_now(sr), sr_now(sr));
	publish(sr);
	return 0;
}

/* ---- responses ---- */

static void unlink_inflight(struct spot_rest *sr, struct sr_req *rq)
{
	for (struct sr_req **pp = &sr->inflight; *pp; pp = &(*pp)->next) {
		if (*pp == rq) {
			*pp = rq->next;
			break;
		}
	}
	rq->next = NULL;
	rq->call = NULL;
	if (rq->flags & SR_PRIVATE)
		sr->inflight_priv--;
	else
		sr->inflight_pub--;
}

/* Put rq back for another try after `delay` ms; false when out of tries. */
static bool retry(struct spot_rest *sr, struct sr_req *rq, uint64_t delay)
{
	if (rq->attempt >= sr->max_retries)
		return false;
	rq->attempt++;
	rq->not_before = sr_now(sr) + delay;
	enqueue(sr, rq);
	return true;
}

static uint64_t backoff(struct spot_rest *sr, unsigned attempt)
{
	return rl_backoff_ms(attempt, sr->backoff_base_ms, sr->backoff_cap_ms,
			     sr->io.rand(sr->io.ctx));
}

/* Everything private waits: the key is over its limit. */
static void hold_private(struct spot_rest *sr, uint64_t ms)
{
	uint64_t until = sr_now(sr) + ms;
	if (until > sr->hold_priv_until)
		sr->hold_priv_until = until;
}

/* "EService: Throttled: 1700000000": wait until that unix time. */
static uint64_t throttled_wait(struct spot_rest *sr, const char *error)
{
	const char *c = strrchr(error, ':');
	long long ts = c ? atoll(c + 1) : 0;
	uint64_t wall = sr_wall(sr);
	uint64_t w = ts > 0 && (uint64_t)ts * 1000 > wall ? (uint64_t)ts * 1000 - wall : 0;
	if (w < sr->backoff_base_ms)
		w = sr->backoff_base_ms;
	return w > 300000 ? 300000 : w;
}

/* A Kraken error: retry (true) or give it to the caller (false). */
static bool kraken_error_retry(struct spot_rest *sr, struct sr_req *rq, struct spot_reply *rep)
{
	const char *e = rep->error;
	if (strncmp(e, "EAPI:Rate limit exceeded", 24) == 0) {
		rl_counter_fill(&sr->rest, sr_now(sr));
		hold_private(sr, backoff(sr, sr->hold_attempt++));
		return retry(sr, rq, 0);
	}
	if (strncmp(e, "EOrder:Rate limit exceeded", 26) == 0) {
		if (rq->pair[0])
			rl_counter_fill(sr_pair_counter(sr, rq->pair), sr_now(sr));
		return retry(sr, rq, backoff(sr, rq->attempt));
	}
	if (rep->kerr.cls == KE_RATE_LIMIT && strstr(e, "Throttled")) {
		hold_private(sr, throttled_wait(sr, e));
		return retry(sr, rq, 0);
	}
	if (rep->kerr.cls == KE_NONCE) {
		/* Refused before Kraken looked at the request: another process
		 * using the key got a higher nonce to Kraken first, or the
		 * transport resent this very request after its answer was lost
		 * (curl retries a request whose reused connection died, nonce
		 * and all). A read goes again with a new nonce; an order
		 * action's outcome is unknown, so its caller reconciles it. */
		if (rq->flags & SR_TRADE) {
			rep->rc = -1;
			rep->unknown = true;
			return false;
		}
		return retry(sr, rq, backoff(sr, 0) / 4);
	}
	if (rep->kerr.cls == KE_UNAVAILABLE) {
		if (rq->flags & SR_TRADE) {
			rep->rc = -1;
			rep->unknown = true;
			return false;
		}
		return retry(sr, rq, backoff(sr, rq->attempt));
	}
	return false;
}

/* Take a request's cost off a counter again. */
static void uncount(struct rl_counter *c, int64_t cost, uint64_t now)
{
	int64_t level = rl_counter_level(c, now);
	c->level = level > cost ? level - cost : 0;
}

/* The request never reached Kraken (refused connection, no such host, TLS
 * failure): it cost nothing there, so it costs nothing here either — else an
 * outage drains the counter and every call waits long after Kraken is back. */
static void refund(struct spot_rest *sr, struct sr_req *rq)
{
	uint64_t now = sr_now(sr);
	if (!(rq->flags & SR_PRIVATE)) {
		uncount(&sr->pub, RL_UNIT, now);
		return;
	}
	uncount(&sr->rest, rq->rest_cost, now);
	if (rq->pair[0] && rq->trade_cost > 0)
		uncount(sr_pair_counter(sr, rq->pair), rq->trade_cost, now);
}

/* Classify a transport-level outcome; true when rq was requeued. */
static bool transport_retry(struct spot_rest *sr, struct sr_req *rq, const struct http_result *res,
			    struct spot_reply *rep)
{
	rep->rc = -1;
	if (res->error) {
		/* Refused or unresolvable: the request never left, safe to retry. */
		bool never_sent = res->kind == HTTP_E_CONNECT || res->kind == HTTP_E_RESOLVE ||
				  res->kind == HTTP_E_TLS;
		snprintf(rep->message, sizeof rep->message, "no answer from Kraken: %s", res->error);
		if (never_sent)
			refund(sr, rq);
		if (res->kind == HTTP_E_TLS) {
			/* A refused certificate does not fix itself: give up at once. */
			size_t n = strlen(rep->message);
			snprintf(rep->message + n, sizeof rep->message - n,
				 " (nothing was sent; check the URL, or add the server's CA with ca_file)");
			return false;
		}
		if (!never_sent && (rq->flags & SR_TRADE)) {
			rep->unknown = true;
			return false;
		}
		return retry(sr, rq, backoff(sr, rq->attempt));
	}
	if (res->status == 429) {
		snprintf(rep->message, sizeof rep->message, "Kraken answered HTTP 429 (too many requests)");
		if (rq->flags & SR_PRIVATE)
			hold_private(sr, backoff(sr, sr->hold_attempt++));
		else
			sr->hold_pub_until = sr_now(sr) + backoff(sr, rq->attempt);
		return retry(sr, rq, 0);
	}
	snprintf(rep->message, sizeof rep->message, "Kraken answered HTTP %d", res->status);
	if (res->status >= 500) {
		if (rq->flags & SR_TRADE) {
			rep->unknown = true;
			return false;
		}
		return retry(sr, rq, backoff(sr, rq->attempt));
	}
	return false;
}

static void on_http(void *arg, const struct http_result *res)
{
	struct sr_req *rq = arg;
	struct spot_rest *sr = rq->sr;
	unlink_inflight(sr, rq);
	if (sr->st && res->rtt_us)
		sr->st->rest_rtt_us[PRODUCT_SPOT] =
			res->rtt_us > UINT32_MAX ? UINT32_MAX : (uint32_t)res->rtt_us;
	struct spot_reply rep;
	memset(&rep, 0, sizeof rep);
	rep.result = -1;
	rep.http_status = res->status;
	struct jdoc d;
	jdoc_init(&d);
	/* Out here: rep.error points into it until the callback has run. */
	struct spot_env env;
	bool requeued = false;
	if (res->error || res->status != 200) {
		requeued = transport_retry(sr, rq, res, &rep);
	} else {
		struct kerr e = KERR_INIT;
		int rc = spot_env_parse(&d, res->body, res->body_len, &env, &e);
		if (rc < 0) {
			rep.rc = -1;
			snprintf(rep.message, sizeof rep.message, "unreadable answer from Kraken: %.200s",
				 e.msg);
			if (rq->flags & SR_TRADE)
				rep.unknown = true;
			else
				requeued = retry(sr, rq, backoff(sr, rq->attempt));
		} else if (rc == 1) {
			rep.rc = 1;
			rep.error = env.error;
			rep.kerr = kraken_spot_error(env.error);
			kraken_err_describe(&rep.kerr, env.error, rep.message, sizeof rep.message);
			requeued = kraken_error_retry(sr, rq, &rep);
		} else {
			rep.rc = 0;
			rep.doc = &d;
			rep.result = env.result;
			sr->hold_attempt = 0;
		}
	}
	if (requeued)
		LOGI("spot rest: %s will be retried (%s)", rq->method,
		     rep.message[0] ? rep.message : "rate limit");
	else
		finish(rq, &rep);
	jdoc_free(&d);
	pump(sr);
	publish(sr);
}

/* ---- ops ---- */

void *sr_op_new(struct spot_rest *sr, size_t size)
{
	struct sr_op *op = xcalloc(1, size);
	op->sr = sr;
	op->next = sr->ops;
	if (sr->ops)
		sr->ops->prev = op;
	sr->ops = op;
	return op;
}

void sr_op_free(struct sr_op *op)
{
	struct spot_rest *sr = op->sr;
	if (op->timer)
		sr->io.timer_stop(sr->io.ctx, op->timer);
	if (op->prev)
		op->prev->next = op->next;
	else
		sr->ops = op->next;
	if (op->next)
		op->next->prev = op->prev;
	free(op);
}

static void op_timer(void *arg)
{
	struct sr_op *op = arg;
	op->timer = NULL;
	op->on_timer(op);
}

void sr_op_after(struct sr_op *op, uint64_t ms, void (*fn)(struct sr_op *op))
{
	struct spot_rest *sr = op->sr;
	if (op->timer)
		sr->io.timer_stop(sr->io.ctx, op->timer);
	op->on_timer = fn;
	op->timer = sr->io.timer(sr->io.ctx, ms, op_timer, op);
}

void sr_result_from_reply(const struct spot_reply *r, struct intent_result *res)
{
	memset(res, 0, sizeof *res);
	if (r->rc == 1) {
		res->status = INTENT_REJECTED;
		snprintf(res->code, sizeof res->code, "%s", r->kerr.code ? r->kerr.code : r->error);
	} else {
		res->status = r->unknown ? INTENT_UNKNOWN : INTENT_FAILED;
	}
	snprintf(res->message, sizeof res->message, "%s", r->message);
}
