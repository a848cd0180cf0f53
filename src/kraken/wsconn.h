/* wsconn: one WebSocket connection that keeps itself up — connect, reconnect
 * with exponential backoff and jitter, keep-alive, dead-peer detection, and
 * feed health in the state — for any Kraken product (Spot WS v2 and Futures
 * WS v1 both use it). It knows nothing of either protocol: the owner sends and
 * parses messages, and re-subscribes / re-authenticates in on_connected.
 *
 * Policy is data (struct wsconn_policy): how fast to retry, how often to ping
 * and how (an application-level ping the owner writes, or RFC 6455 ping
 * frames), when to give a silent peer up, and Cloudflare's etiquette (at most
 * ~150 connects per rolling 10 minutes per IP; at least 5 s between
 * reconnects after an exchange maintenance).
 *
 * The scheduling arithmetic (wsconn_sched_*, wsconn_keepalive) is pure and
 * takes the time and the random numbers as arguments, so tests drive it with
 * an injected clock; struct wsconn_env does the same for a live connection.
 *
 * Lifetime: wsconn_new() ... wsconn_free(). Callbacks never run after
 * wsconn_free() or wsconn_stop(); wsconn_free() is not allowed from inside a
 * wsconn callback (stop first, free later). */
#ifndef KT_KRAKEN_WSCONN_H
#define KT_KRAKEN_WSCONN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/kerr.h"
#include "core/feed.h"

struct kt_loop;
struct state;
struct wsconn;

struct wsconn_policy {
	uint32_t backoff_first_ms;  /* delay before the first reconnect (before jitter) */
	uint32_t backoff_max_ms;    /* ceiling of the exponential growth */
	uint32_t backoff_mult;      /* growth factor per failed attempt (2 = doubling) */
	uint32_t jitter_pct;        /* a delay d is drawn uniformly from [d*(100-j)/100, d] */
	uint32_t stable_ms;         /* a connection that lived this long resets the backoff */
	uint32_t maint_gap_ms;      /* after a maintenance notice: at least this between connects */
	uint32_t max_connects;      /* at most this many connects ... */
	uint32_t connect_window_ms; /* ... in any window of this length (0 = no limit) */
	uint32_t ping_every_ms;     /* keep-alive period while open (0 = none) */
	bool ping_frames;           /* true: RFC 6455 ping frames; false: ops->send_ping */
	uint32_t dead_after_ms; /* nothing received for this long: drop, reconnect (0 = never) */
	uint32_t tick_ms;       /* housekeeping period for the two checks above */
	bool up_after_auth;     /* open -> FEED_AUTHENTICATING; owner calls wsconn_set_up() */
};

/* Spot WS v2: app-level {"method":"ping"} every 20 s (Kraken drops a silent
 * connection after ~60 s), give up after 45 s of silence (heartbeats arrive
 * every second once subscribed), backoff 1 s doubling to 60 s with 25 %
 * jitter, 150 connects / 10 min, 5 s after maintenance. */
struct wsconn_policy wsconn_policy_spot(void);
/* Futures WS v1: the same, but with protocol ping frames every 30 s. */
struct wsconn_policy wsconn_policy_futures(void);

/* ---- pure scheduling (tests drive these with their own clock) ---- */

struct wsconn_sched {
	uint32_t attempt;   /* failed attempts since the last stable connection */
	uint64_t *connects; /* ring of the last max_connects connect times (ms) */
	uint32_t cap, head, n;
	uint64_t last_connect_ms; /* 0 = never */
	bool maint;               /* a maintenance notice was seen: keep maint_gap_ms */
};

void wsconn_sched_init(struct wsconn_sched *s, const struct wsconn_policy *p);
void wsconn_sched_free(struct wsconn_sched *s);
/* Milliseconds to wait, from now, before the next connect attempt: the
 * jittered exponential backoff (rnd is a uniform random 32-bit number),
 * raised so that the rate limit and the maintenance gap hold. Counts the
 * attempt (the next delay grows). */
uint64_t wsconn_sched_delay(const struct wsconn_policy *p, struct wsconn_sched *s, uint64_t now,
                            uint32_t rnd);
/* Milliseconds until a connect is allowed by the rate limit and the
 * maintenance gap alone (0 = now); used for the first connect. */
uint64_t wsconn_sched_wait(const struct wsconn_policy *p, const struct wsconn_sched *s,
                           uint64_t now);
/* A connect attempt starts now. */
void wsconn_sched_note_connect(struct wsconn_sched *s, uint64_t now);
/* The connection proved stable: the next failure starts the backoff over. */
void wsconn_sched_reset(struct wsconn_sched *s);

enum wsconn_ka {
	WSCONN_KA_NONE, /* nothing to do */
	WSCONN_KA_PING, /* send a keep-alive now */
	WSCONN_KA_DEAD, /* the peer has been silent too long: drop the connection */
};
/* What the keep-alive should do at `now`, given the last message received
 * and the last ping sent (0 = none yet; then the open time counts). */
enum wsconn_ka wsconn_keepalive(const struct wsconn_policy *p, uint64_t now, uint64_t last_rx,
                                uint64_t last_ping);

/* ---- the live connection ---- */

struct wsconn_ops {
	/* The socket is open. reconnect is false only for the very first open:
	 * either way, (re)subscribe and (re)authenticate here. */
	void (*on_connected)(void *ctx, bool reconnect);
	/* One whole message; valid during the call only. */
	void (*on_message)(void *ctx, const char *msg, size_t len);
	/* The connection is gone (a reconnect is scheduled unless stopped).
	 * In-flight requests have an unknown outcome now. May be NULL. */
	void (*on_disconnected)(void *ctx, int code, const char *reason);
	/* Application-level keep-alive (when policy.ping_frames is false):
	 * send the protocol's ping message. May be NULL. */
	void (*send_ping)(void *ctx);
};

/* Injected time and randomness; NULL members mean kt_mono_ms() and the
 * kernel's random bytes. */
struct wsconn_env {
	uint64_t (*now_ms)(void *arg);
	uint32_t (*rand32)(void *arg);
	void *arg;
};

/* A connection to url reporting its health as feed `feed` of st (st may be
 * NULL: no feed reporting). policy, ops and env (may be NULL) are copied.
 * Nothing happens until wsconn_start(). */
struct wsconn *wsconn_new(struct kt_loop *loop, struct state *st, enum feed_id feed,
                          const char *url, const struct wsconn_policy *policy,
                          const struct wsconn_ops *ops, void *ctx, const struct wsconn_env *env);
/* Drop the connection (no callbacks) and free. NULL is fine. */
void wsconn_free(struct wsconn *c);
/* Connect now (or as soon as the rate limit allows) and keep connecting. */
void wsconn_start(struct wsconn *c);
/* Close gracefully and stop reconnecting; the feed goes FEED_OFF. */
void wsconn_stop(struct wsconn *c);
/* Drop the current connection at once and reconnect after the backoff
 * (the owner found the stream unusable). reason goes to the feed status. */
void wsconn_restart(struct wsconn *c, const char *reason);
/* Stop for good after a fatal error (bad key...): feed FEED_FAILED. */
void wsconn_fail(struct wsconn *c, const char *reason);
/* The exchange announced maintenance: keep policy.maint_gap_ms between
 * connects from now on (cleared by wsconn_maintenance(c, false)). */
void wsconn_maintenance(struct wsconn *c, bool on);
/* Queue a text message. Returns 0, or -1 when not connected. */
int wsconn_send(struct wsconn *c, const char *msg, size_t len);
/* Is the socket open? */
bool wsconn_is_open(const struct wsconn *c);
/* The owner finished authenticating (policy.up_after_auth): feed FEED_UP. */
void wsconn_set_up(struct wsconn *c);
/* Milliseconds since the last message was received (or since the open);
 * -1 when not connected. */
int64_t wsconn_last_msg_age_ms(const struct wsconn *c);
/* Opens so far (the first one included). */
uint32_t wsconn_opens(const struct wsconn *c);
const char *wsconn_url(const struct wsconn *c);
/* Every incoming message is also handed to fn (the session recorder)
 * before the owner sees it. fn NULL removes the hook. */
void wsconn_set_raw_hook(struct wsconn *c, void (*on_raw)(void *ctx, const char *msg, size_t len),
                         void *ctx);

#endif
