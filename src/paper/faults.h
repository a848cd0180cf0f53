/* faults: fault injection for the paper exchange, so a client's resilience can
 * be tested against the failures real exchanges have (docs/paper-market.md has
 * the control endpoint's JSON):
 *
 *   REST    delay or stall a response; answer HTTP 5xx or 429; answer Kraken's
 *           rate-limit or unavailable errors (Spot "EAPI:Rate limit exceeded",
 *           "EService:Unavailable"; Futures "apiLimitExceeded", "Unavailable");
 *           drop the connection without processing the request; process the
 *           request and then drop the connection without the answer (an order
 *           placed whose response is lost).
 *   WS      drop connections after N messages or at random; delay messages;
 *           lose single messages; corrupt Spot book checksums; skip a Futures
 *           book seq.
 *   server  restart: stop listening (every connection closes), save the state,
 *           start again on the same port with the open orders restored.
 *
 * Control: `POST /_paper/faults` (JSON body), `GET /_paper/faults` (state and
 * counters), `DELETE /_paper/faults` (everything off); answered only to
 * loopback peers (others get 404). Tests may call faults_configure() directly.
 *
 * The switches of `struct paper_faults` (paper.h) are honoured too: system,
 * rest_latency_ms, rest_5xx_ppm, rest_drop_ppm, rest_hang_ppm, ws_latency_ms,
 * ws_drop_after_ms, ws_msg_drop_ppm, bad_checksum, seed (rate_limits is not
 * implemented here).
 *
 * Where the calls go (a call each; see docs/paper-market.md):
 *   server.c  on_request: faults_control() and faults_rest_before() first,
 *             faults_rest_after() right after the adapter's handler;
 *             on_ws_close: faults_ws_closed(); paper_stop: faults_free() first.
 *   WS adapters: faults_ws_send() instead of ws_conn_send(); Spot book
 *             checksums through faults_spot_checksum(); Futures book seqs
 *             through faults_fut_seq().
 * With nothing switched on every call is a cheap test of a NULL pointer and a
 * few zero fields. State lives in `struct faults_state`, hung off
 * `paper->faults_ext` (created on first use, freed by faults_free). */
#ifndef KT_PAPER_FAULTS_H
#define KT_PAPER_FAULTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <uv.h>

#include "base/kerr.h"
#include "net/http_server.h"
#include "paper/paper.h"
#include "paper/prng.h"

#define FAULTS_CONTROL_PATH "/_paper/faults"
#define FAULTS_MAX_RULES    16
#define FAULTS_PATH_MAX     96

/* What a REST rule does to a matching request. */
enum faults_rest_kind {
	FAULTS_R_DELAY,         /* answer after `ms` */
	FAULTS_R_STALL,         /* never answer (until cleared; with ms: drop after ms) */
	FAULTS_R_HTTP,          /* answer HTTP `status` (5xx, 429) with a gateway page */
	FAULTS_R_RATE_LIMIT,    /* EAPI:Rate limit exceeded / apiLimitExceeded */
	FAULTS_R_UNAVAILABLE,   /* EService:Unavailable / Unavailable */
	FAULTS_R_DROP,          /* close the connection, request not processed */
	FAULTS_R_LOSE_RESPONSE, /* process, then close without the answer */
	FAULTS_R_COUNT
};

struct faults_rule {
	enum faults_rest_kind kind;
	char path[FAULTS_PATH_MAX]; /* prefix of the request path; "" = every API path */
	char method[8];             /* "" = any */
	uint32_t skip;              /* let this many matching requests through first */
	uint32_t count;             /* fire this many times, then the rule is spent; 0 = always */
	uint32_t ppm;               /* probability of firing (default 1000000) */
	uint32_t ms;                /* delay / stall limit */
	int status;                 /* FAULTS_R_HTTP */
	uint32_t seen, fired;
};

/* WebSocket switches (path: "" = every WS endpoint, else "/v2", "/auth/v2", "/ws/v1"). */
struct faults_ws {
	char path[16];
	uint32_t drop_after; /* drop a connection when it is about to get message N+1 */
	uint32_t drop_ppm;   /* drop the connection instead of sending a message */
	uint32_t lose_ppm;   /* silently lose a message */
	uint32_t latency_ms; /* deliver messages this late (order kept) */
};

struct faults_conn; /* per-connection counters and delayed messages (faults.c) */
struct faults_held; /* a delayed or stalled request (faults.c) */

/* How to restart the server (the owner of the paper registers it): `opts` to
 * start again (kept by the owner; the port is replaced by the current one);
 * stopping(ctx, p) runs before p is stopped (detach what uses p: a simulator),
 * started(ctx, p_new) with the new paper, or NULL and the reason. */
struct faults_restart {
	const struct paper_opts *opts;
	void (*stopping)(void *ctx, struct paper *p);
	void (*started)(void *ctx, struct paper *p, const char *error);
	void *ctx;
};

struct faults_state {
	struct paper *p;
	struct prng rng;
	struct faults_rule rules[FAULTS_MAX_RULES];
	size_t nrules;
	struct faults_ws ws;
	uint32_t ws_gen;         /* drop_after counts restart when the WS switches change */
	uint32_t spot_checksums; /* corrupt this many more Spot checksums */
	uint32_t fut_seq_skips;  /* skip this many more Futures seqs */
	uint64_t fut_seq_offset; /* added to every Futures seq (grows with each skip) */
	struct faults_restart restart;
	bool has_restart;
	char *sticky; /* faults_configure_sticky's JSON, re-applied after a restart */
	/* the request faults_rest_before marked to lose its answer, and its connection */
	const struct http_request *lose_req;
	struct http_conn *lose_conn;
	const struct http_request *resuming; /* a delayed request being processed now */
	struct faults_held *held;            /* delayed / stalled requests */
	struct faults_conn **conns;          /* connections with counters or queues */
	size_t nconns, conncap;
	size_t nqueued;    /* delayed messages of all connections */
	uv_timer_t *timer; /* delays; heap, freed by its close callback */
	uint64_t timer_due;
	/* counters (GET /_paper/faults) */
	uint64_t n_rest[FAULTS_R_COUNT];
	uint64_t n_ws_dropped, n_ws_lost, n_ws_delayed, n_checksums, n_seq_skips, n_restarts;
};

/* The state of p, created on first use (owned by p->faults_ext). */
struct faults_state *faults_state_get(struct paper *p);
/* "delay", "stall", "http", "rate_limit", "unavailable", "drop", "lose_response". */
const char *faults_kind_name(enum faults_rest_kind k);

/* The control endpoint (faults_ctl.c): answers GET/POST/DELETE /_paper/faults and returns true,
 * or returns false for any other path. */
bool faults_control(struct paper *p, struct http_request *req);

/* Apply the same JSON as POST /_paper/faults. 0, or -1 (nothing changed). */
int faults_configure(struct paper *p, const char *json, size_t len, struct kerr *err);
/* Faults given at start (`krakterm paper --faults`): applied like
 * faults_configure and remembered, so that they are applied again to the new
 * server after every fault-injected restart (the JSON is copied; a later call
 * replaces it). "restart" is refused: it would restart the exchange at every
 * boot. 0, or -1 (nothing changed). */
int faults_configure_sticky(struct paper *p, const char *json, size_t len, struct kerr *err);
/* Everything off (counters kept); held requests are answered now. */
void faults_clear(struct paper *p);

/* Before a REST request is routed: true when the fault took the request (it
 * answered, dropped, delayed or stalled it: the caller must return). A delayed
 * request is handed back later to resume(ctx, req), during which this returns
 * false for it. */
bool faults_rest_before(struct paper *p, struct http_request *req,
                        void (*resume)(void *ctx, struct http_request *req), void *ctx);
/* After the handler: drops the connection of a request marked to lose its
 * answer. req is only compared, never read (http_reply may have freed it). */
void faults_rest_after(struct paper *p, const struct http_request *req);

/* ws_conn_send() with the WS faults applied. Same result as ws_conn_send (a
 * delayed or lost message counts as sent). */
int faults_ws_send(struct paper *p, struct http_conn *conn, const char *data, size_t len);
/* A WebSocket connection ended: forget its counters and delayed messages. */
void faults_ws_closed(struct paper *p, struct http_conn *conn);

/* The checksum to put in a Spot book message (corrupted when asked to). */
uint32_t faults_spot_checksum(struct paper *p, uint32_t crc);
/* The seq to put in a Futures book message (skipped when asked to). Call it for
 * snapshots and deltas alike. */
uint64_t faults_fut_seq(struct paper *p, uint64_t seq);

/* Register how to restart (see struct faults_restart); r is copied. */
void faults_set_restart(struct paper *p, const struct faults_restart *r);
/* Restart now: stop, save, start again on the same port after down_ms. -1 when
 * no restart was registered. */
int faults_restart_now(struct paper *p, uint32_t down_ms, struct kerr *err);

/* Free the state (held requests are dropped, delayed messages discarded); the
 * loop must run once more to release the timer. Call before the paper goes. */
void faults_free(struct paper *p);

#endif
