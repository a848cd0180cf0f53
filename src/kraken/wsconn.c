/* wsconn: the reconnecting WebSocket connection shared by Spot and Futures. */
#include "kraken/wsconn.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "base/log.h"
#include "base/uuid.h"
#include "base/xalloc.h"
#include "core/state.h"
#include "net/loop.h"
#include "net/ws_client.h"

struct wsconn_policy wsconn_policy_spot(void)
{
	return (struct wsconn_policy){
	        .backoff_first_ms = 1000,
	        .backoff_max_ms = 60000,
	        .backoff_mult = 2,
	        .jitter_pct = 25,
	        .stable_ms = 30000,
	        .maint_gap_ms = 5000,
	        .max_connects = 150,
	        .connect_window_ms = 600000,
	        .ping_every_ms = 20000,
	        .ping_frames = false,
	        .dead_after_ms = 45000,
	        .tick_ms = 1000,
	};
}

struct wsconn_policy wsconn_policy_futures(void)
{
	struct wsconn_policy p = wsconn_policy_spot();
	p.ping_every_ms = 30000;
	p.ping_frames = true;
	p.dead_after_ms = 75000;
	return p;
}

/* ---- pure scheduling ---- */

void wsconn_sched_init(struct wsconn_sched *s, const struct wsconn_policy *p)
{
	memset(s, 0, sizeof *s);
	if (p->max_connects && p->connect_window_ms) {
		s->cap = p->max_connects;
		s->connects = xcalloc(s->cap, sizeof *s->connects);
	}
}

void wsconn_sched_free(struct wsconn_sched *s)
{
	free(s->connects);
	memset(s, 0, sizeof *s);
}

static uint64_t max_u64(uint64_t a, uint64_t b)
{
	return a > b ? a : b;
}

uint64_t wsconn_sched_wait(const struct wsconn_policy *p, const struct wsconn_sched *s,
                           uint64_t now)
{
	uint64_t w = 0;
	if (s->maint && s->last_connect_ms) {
		uint64_t ok = s->last_connect_ms + p->maint_gap_ms;
		if (ok > now)
			w = ok - now;
	}
	if (s->cap && s->n >= s->cap) {
		/* The ring is full: head is the oldest of the last cap connects. */
		uint64_t ok = s->connects[s->head] + p->connect_window_ms;
		if (ok > now)
			w = max_u64(w, ok - now);
	}
	return w;
}

uint64_t wsconn_sched_delay(const struct wsconn_policy *p, struct wsconn_sched *s, uint64_t now,
                            uint32_t rnd)
{
	uint64_t base = p->backoff_first_ms;
	uint32_t mult = p->backoff_mult ? p->backoff_mult : 1;
	for (uint32_t i = 0; i < s->attempt && base < p->backoff_max_ms; i++)
		base *= mult;
	if (base > p->backoff_max_ms)
		base = p->backoff_max_ms;
	if (s->attempt < 64)
		s->attempt++;
	uint32_t j = p->jitter_pct > 100 ? 100 : p->jitter_pct;
	uint64_t lo = base - base * j / 100;
	uint64_t d = lo + (base > lo ? rnd % (base - lo + 1) : 0);
	return max_u64(d, wsconn_sched_wait(p, s, now));
}

void wsconn_sched_note_connect(struct wsconn_sched *s, uint64_t now)
{
	s->last_connect_ms = now;
	if (!s->cap)
		return;
	s->connects[s->head] = now;
	s->head = (s->head + 1) % s->cap;
	if (s->n < s->cap)
		s->n++;
}

void wsconn_sched_reset(struct wsconn_sched *s)
{
	s->attempt = 0;
}

enum wsconn_ka wsconn_keepalive(const struct wsconn_policy *p, uint64_t now, uint64_t last_rx,
                                uint64_t last_ping)
{
	if (p->dead_after_ms && now >= last_rx && now - last_rx >= p->dead_after_ms)
		return WSCONN_KA_DEAD;
	uint64_t base = last_ping ? last_ping : last_rx;
	if (p->ping_every_ms && now >= base && now - base >= p->ping_every_ms)
		return WSCONN_KA_PING;
	return WSCONN_KA_NONE;
}

/* ---- the live connection ---- */

struct wsconn {
	struct kt_loop *loop;
	struct state *st;
	enum feed_id feed;
	char *url;
	struct wsconn_policy pol;
	struct wsconn_ops ops;
	void *ctx;
	struct wsconn_env env;
	void (*on_raw)(void *ctx, const char *msg, size_t len);
	void *raw_ctx;

	struct ws_client *ws;
	struct kt_timer *retry, *tick;
	struct wsconn_sched sched;
	uint64_t open_ms, last_rx_ms, last_ping_ms;
	uint32_t opens;
	bool running, open;
};

static uint64_t now_ms(const struct wsconn *c)
{
	return c->env.now_ms ? c->env.now_ms(c->env.arg) : kt_mono_ms();
}

static uint32_t rand32(const struct wsconn *c)
{
	if (c->env.rand32)
		return c->env.rand32(c->env.arg);
	uint32_t r = 0;
	if (kt_random_bytes(&r, sizeof r) != 0)
		r = (uint32_t)kt_mono_ns();
	return r;
}

static void feed_set(struct wsconn *c, enum feed_state s, const char *err)
{
	if (c->st)
		state_feed_set(c->st, c->feed, s, err);
}

static void ws_open(void *arg);
static void ws_message(void *arg, const char *data, size_t len);
static void ws_close(void *arg, int code, const char *reason);
static void ws_pong(void *arg);

static const struct ws_client_ops wsconn_ws_ops = {
        .on_open = ws_open,
        .on_message = ws_message,
        .on_close = ws_close,
        .on_pong = ws_pong,
};

static void retry_fire(void *arg);

static void schedule(struct wsconn *c, uint64_t delay)
{
	if (c->retry)
		kt_timer_stop(c->retry);
	c->retry = kt_timer_start(c->loop, delay, 0, retry_fire, c);
}

/* The connection is down while we still want it: tell the owner, back off. */
static void went_down(struct wsconn *c, bool was_open, const char *reason)
{
	uint64_t now = now_ms(c);
	if (was_open && now - c->open_ms >= c->pol.stable_ms)
		wsconn_sched_reset(&c->sched);
	uint64_t delay = wsconn_sched_delay(&c->pol, &c->sched, now, rand32(c));
	char why[160];
	snprintf(why, sizeof why, "%s", reason && reason[0] ? reason : "connection lost");
	LOGI("wsconn %s: %s; reconnecting in %llu ms", c->url, why, (unsigned long long)delay);
	feed_set(c, FEED_BACKOFF, why);
	if (was_open && c->ops.on_disconnected)
		c->ops.on_disconnected(c->ctx, WS_CLIENT_ABNORMAL, why);
	if (c->running)
		schedule(c, delay);
}

static void do_connect(struct wsconn *c)
{
	struct kerr err = KERR_INIT;
	wsconn_sched_note_connect(&c->sched, now_ms(c));
	feed_set(c, FEED_CONNECTING, NULL);
	c->ws = ws_client_connect(c->loop, c->url, &wsconn_ws_ops, c, &err);
	if (!c->ws)
		wsconn_fail(c, err.msg);
}

static void retry_fire(void *arg)
{
	struct wsconn *c = arg;
	c->retry = NULL; /* one-shot: freed after this callback */
	if (c->running && !c->ws)
		do_connect(c);
}

static void tick_fire(void *arg)
{
	struct wsconn *c = arg;
	if (!c->open)
		return;
	uint64_t now = now_ms(c);
	switch (wsconn_keepalive(&c->pol, now, c->last_rx_ms, c->last_ping_ms)) {
	case WSCONN_KA_DEAD: {
		char why[96];
		snprintf(why, sizeof why, "nothing received for %llu s",
		         (unsigned long long)((now - c->last_rx_ms) / 1000));
		wsconn_restart(c, why);
		break;
	}
	case WSCONN_KA_PING:
		c->last_ping_ms = now;
		if (c->pol.ping_frames)
			ws_client_ping(c->ws);
		else if (c->ops.send_ping)
			c->ops.send_ping(c->ctx);
		break;
	case WSCONN_KA_NONE:
		break;
	}
}

static void ws_open(void *arg)
{
	struct wsconn *c = arg;
	uint64_t now = now_ms(c);
	c->open = true;
	c->open_ms = c->last_rx_ms = c->last_ping_ms = now;
	c->opens++;
	if (c->st)
		c->st->feeds[c->feed].connected_mono_ms = (int64_t)now;
	feed_set(c, c->pol.up_after_auth ? FEED_AUTHENTICATING : FEED_UP, NULL);
	LOGI("wsconn %s: connected", c->url);
	if (c->ops.on_connected)
		c->ops.on_connected(c->ctx, c->opens > 1);
}

static void ws_message(void *arg, const char *data, size_t len)
{
	struct wsconn *c = arg;
	uint64_t now = now_ms(c);
	c->last_rx_ms = now;
	if (c->st)
		state_feed_msg(c->st, c->feed, (int64_t)now);
	if (c->on_raw)
		c->on_raw(c->raw_ctx, data, len);
	if (c->ops.on_message)
		c->ops.on_message(c->ctx, data, len);
}

static void ws_pong(void *arg)
{
	struct wsconn *c = arg;
	c->last_rx_ms = now_ms(c);
}

static void ws_close(void *arg, int code, const char *reason)
{
	struct wsconn *c = arg;
	bool was_open = c->open;
	c->ws = NULL; /* freed by ws_client after this returns */
	c->open = false;
	if (!c->running)
		return;
	char why[160];
	if (reason && reason[0])
		snprintf(why, sizeof why, "closed (%d): %s", code, reason);
	else
		snprintf(why, sizeof why, "closed (%d)", code);
	went_down(c, was_open, why);
}

struct wsconn *wsconn_new(struct kt_loop *loop, struct state *st, enum feed_id feed,
                          const char *url, const struct wsconn_policy *policy,
                          const struct wsconn_ops *ops, void *ctx, const struct wsconn_env *env)
{
	struct wsconn *c = xcalloc(1, sizeof *c);
	c->loop = loop;
	c->st = st;
	c->feed = feed;
	c->url = xstrdup(url);
	c->pol = *policy;
	if (!c->pol.tick_ms)
		c->pol.tick_ms = 1000;
	c->ops = *ops;
	c->ctx = ctx;
	if (env)
		c->env = *env;
	wsconn_sched_init(&c->sched, &c->pol);
	return c;
}

void wsconn_free(struct wsconn *c)
{
	if (!c)
		return;
	ws_client_free(c->ws);
	kt_timer_stop(c->retry);
	kt_timer_stop(c->tick);
	wsconn_sched_free(&c->sched);
	free(c->url);
	free(c);
}

void wsconn_start(struct wsconn *c)
{
	if (c->running)
		return;
	c->running = true;
	c->tick = kt_timer_start(c->loop, c->pol.tick_ms, c->pol.tick_ms, tick_fire, c);
	uint64_t wait = wsconn_sched_wait(&c->pol, &c->sched, now_ms(c));
	if (wait) {
		feed_set(c, FEED_BACKOFF, "waiting for the connection rate limit");
		schedule(c, wait);
	} else {
		do_connect(c);
	}
}

/* Stop timers and the socket; the feed goes to `s`. */
static void halt(struct wsconn *c, enum feed_state s, const char *reason)
{
	c->running = false;
	kt_timer_stop(c->retry);
	kt_timer_stop(c->tick);
	c->retry = c->tick = NULL;
	/* Abrupt on purpose: a graceful close would call back into us later,
	 * possibly after a new connection has started. */
	ws_client_free(c->ws);
	c->ws = NULL;
	c->open = false;
	feed_set(c, s, reason);
}

void wsconn_stop(struct wsconn *c)
{
	if (c->running || c->ws)
		halt(c, FEED_OFF, NULL);
}

void wsconn_fail(struct wsconn *c, const char *reason)
{
	LOGW("wsconn %s: giving up: %s", c->url, reason);
	halt(c, FEED_FAILED, reason);
}

void wsconn_restart(struct wsconn *c, const char *reason)
{
	if (!c->running)
		return;
	bool was_open = c->open;
	ws_client_free(c->ws);
	c->ws = NULL;
	c->open = false;
	went_down(c, was_open, reason);
}

void wsconn_maintenance(struct wsconn *c, bool on)
{
	c->sched.maint = on;
}

int wsconn_send(struct wsconn *c, const char *msg, size_t len)
{
	if (!c->ws || !c->open)
		return -1;
	return ws_client_send(c->ws, msg, len);
}

bool wsconn_is_open(const struct wsconn *c)
{
	return c->open;
}

void wsconn_set_up(struct wsconn *c)
{
	if (c->open)
		feed_set(c, FEED_UP, NULL);
}

int64_t wsconn_last_msg_age_ms(const struct wsconn *c)
{
	if (!c->open)
		return -1;
	return (int64_t)(now_ms(c) - c->last_rx_ms);
}

uint32_t wsconn_opens(const struct wsconn *c)
{
	return c->opens;
}

const char *wsconn_url(const struct wsconn *c)
{
	return c->url;
}

void wsconn_set_raw_hook(struct wsconn *c, void (*on_raw)(void *ctx, const char *msg, size_t len),
                         void *ctx)
{
	c->on_raw = on_raw;
	c->raw_ctx = ctx;
}
