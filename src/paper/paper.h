/* paper: the embedded paper exchange as one object: the loop it runs on, the px hub
 * (paper/px.h), authentication state (paper/auth.h), the state file, fault-injection
 * switches, and, once started (paper/server.h), the HTTP/WebSocket server.
 *
 * How the pieces fit (see also /work/notes/wave2-arch.md):
 *   server.c   routes requests by path, runs auth for private endpoints, then calls
 *              the protocol adapters through `struct paper_adapters` (function
 *              pointers the app fills in; src/paper/server.c never links against
 *              adapter symbols, so either side builds alone):
 *     /0/public/..., /0/private/...                -> spot_rest_handle
 *     /derivatives/api/v3/..., /api/history/v3/... -> fut_rest_handle
 *     WS /v2 (public), /auth/v2 (private)        -> spot_ws_* (two instances)
 *     WS /ws/v1                                  -> fut_ws_*
 *   Anything else: 404 with a JSON body. Private REST requests reach the adapter only
 *   after their signature and nonce were verified; the account is then
 *   paper_request_account(p, req) (valid during the handler call: read it before
 *   keeping the request for a deferred reply).
 *   Spot WS private messages carry a token: adapters check it with
 *   paper_token_check(); Futures WS adapters use paper_challenge_issue/check().
 *
 * Durability rule: a change must be on disk before the client hears of it. The
 * server flushes the state file (paper_flush) at the end of every adapter callback
 * and from a uv_idle handle before the next socket write; an adapter that replies
 * LATER (a kept request, a timer) must call paper_flush() itself just before it
 * replies or sends.
 *
 * WebSocket connections: server.c does NOT use ws_conn_set_data(): the adapters own
 * it for their per-connection state. */
#ifndef KT_PAPER_PAPER_H
#define KT_PAPER_PAPER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <uv.h>

#include "base/dec.h"
#include "base/kerr.h"
#include "net/http_server.h"
#include "paper/px.h"

struct paper;
struct paper_auth;   /* paper/auth.h */
struct paper_server; /* server.c's private part */
struct spot_ws_srv;  /* paper/spot_ws_srv.h (adapter) */
struct fut_ws_srv;   /* paper/fut_ws_srv.h (adapter) */
struct funding;      /* paper/funding.h */

/* The protocol adapters' entry points (wave2-arch.md signatures). Any pointer may be
 * NULL: requests for that protocol then get 404 (or the upgrade is refused). */
struct paper_adapters {
	void (*spot_rest_handle)(struct paper *p, struct http_request *req);
	void (*fut_rest_handle)(struct paper *p, struct http_request *req);

	struct spot_ws_srv *(*spot_ws_new)(struct paper *p, bool auth);
	void (*spot_ws_free)(struct spot_ws_srv *s);
	void (*spot_ws_open)(struct spot_ws_srv *s, struct http_conn *c);
	void (*spot_ws_message)(struct spot_ws_srv *s, struct http_conn *c, const char *data,
				size_t len);
	void (*spot_ws_close)(struct spot_ws_srv *s, struct http_conn *c);

	struct fut_ws_srv *(*fut_ws_new)(struct paper *p);
	void (*fut_ws_free)(struct fut_ws_srv *s);
	void (*fut_ws_open)(struct fut_ws_srv *s, struct http_conn *c);
	void (*fut_ws_message)(struct fut_ws_srv *s, struct http_conn *c, const char *data,
			       size_t len);
	void (*fut_ws_close)(struct fut_ws_srv *s, struct http_conn *c);
};

/* Fault-injection switches, honoured by paper/faults.c (which also takes richer
 * settings through POST /_paper/faults). All zero = a well-behaved exchange. */
enum paper_system { PAPER_SYS_ONLINE, PAPER_SYS_MAINTENANCE, PAPER_SYS_CANCEL_ONLY,
		    PAPER_SYS_POST_ONLY };
struct paper_faults {
	enum paper_system system;  /* Spot SystemStatus / WS status channel */
	bool fut_suspended;        /* Futures markets suspended */
	uint32_t rest_latency_ms;  /* delay before every REST answer */
	uint32_t rest_5xx_ppm;     /* answer 502/503 instead (parts per million) */
	uint32_t rest_drop_ppm;    /* close the connection without an answer */
	uint32_t rest_hang_ppm;    /* never answer (client timeout) */
	uint32_t ws_latency_ms;    /* delay of outgoing WS messages */
	uint32_t ws_drop_after_ms; /* drop every WS connection after this long (0 = never) */
	uint32_t ws_msg_drop_ppm;  /* silently lose outgoing WS messages (book gaps) */
	bool rate_limits;          /* enforce Kraken's rate limits */
	bool bad_checksum;         /* corrupt WS v2 book checksums */
	uint64_t seed;             /* PRNG seed for the *_ppm decisions */
};

/* A starting balance (config: paper.balances). */
struct paper_balance {
	const char *asset; /* "USD", "XBT", "BTC", "ZUSD"... */
	dec_t amount;
	bool futures; /* in the Futures flex wallet instead of Spot */
};

struct paper_opts {
	const char *host; /* listen address, NULL = 127.0.0.1 */
	int port;         /* 0 = the kernel chooses (paper_urls tells) */
	/* State file. NULL: $XDG_DATA_HOME/krakterm/paper-state.json (or
	 * ~/.local/share/...); "": no file (memory only, tests). */
	const char *state_path;
	bool reset; /* start over (the old state file is replaced on first save) */
	/* Starting balances of account 1 at reset; NULL = 100000 USD in Spot. */
	const struct paper_balance *balances;
	size_t nbalances;
	uint32_t users;      /* user accounts created at reset (default 1) */
	const struct paper_adapters *adapters; /* copied; NULL = none */
	uint32_t tick_ms;    /* px_tick period (default 50) */
	uint64_t id_seed;    /* wire-id seed (0 = random; tests fix it) */
	/* Wall clock in ns since the epoch (tests); NULL = the real clock. */
	int64_t (*clock)(void *ctx);
	void *clock_ctx;
};

/* The object. Fields are for the adapters and the app to read; change only
 * `faults`. */
struct paper {
	uv_loop_t *loop;
	struct px *px;
	struct paper_auth *auth;
	struct paper_faults faults;
	struct faults_state *faults_ext; /* paper/faults.h: injected faults (NULL = none) */
	struct funding *funding_ext;     /* paper/funding.h: funding (NULL: no simulator);
					  * set it with paper_funding_attach/detach */
	struct funding_saved *funding_saved; /* the funding history as last saved/loaded */
	uint64_t funding_gen;                /* funding_history_gen() at the last snapshot */
	bool funding_dirty;                  /* the snapshot changed since the last save */
	/* A simulator runs (paper_run sets it): it marks, funds and liquidates.
	 * Otherwise the server's tick liquidates and nobody funds. */
	bool market_running;
	struct paper_adapters ad;
	char *state_path; /* NULL when memory-only */
	int64_t (*clock)(void *ctx);
	void *clock_ctx;
	/* private: server.c */
	struct paper_server *srv;
	const struct http_request *cur_req; /* request being handled, and its account */
	uint32_t cur_account;
	int64_t started_ns;
	bool flush_failed; /* the last paper_flush failed (logged once) */
};

/* Create the exchange without a server (adapter tests use this): px, auth, the state
 * loaded from opts->state_path (or a fresh start: reset, missing file). NULL + err
 * when the state file exists but cannot be read/parsed (never silently replaced). */
struct paper *paper_create(uv_loop_t *loop, const struct paper_opts *opts, struct kerr *err);
/* Save (if dirty) and free. For a started paper use paper_stop. NULL is fine. */
void paper_destroy(struct paper *p);

/* Wall clock (ns since the epoch), the test clock if one was given. */
int64_t paper_now(const struct paper *p);
/* px_tick(paper_now()) */
void paper_tick(struct paper *p);
/* Write the state file now if anything durable changed (atomic: temp, fsync,
 * rename, fsync dir), or if nonces alone moved more than a second ago (the
 * server's tick gets them). 0, or -1 (logged; the change stays dirty and is
 * retried). */
int paper_flush(struct paper *p, struct kerr *err);
/* The same, nonces included at once (stopping). */
int paper_flush_all(struct paper *p, struct kerr *err);

/* Funding history across restarts: attach gives a funding object (the
 * simulator's) the history from the state file and serves it from there on;
 * detach (before the object is freed) keeps a copy for the state file and for
 * historical-funding-rates while no simulator runs. */
void paper_funding_attach(struct paper *p, struct funding *f);
void paper_funding_detach(struct paper *p);
/* The rates in force of a perpetual, oldest first, from the attached funding
 * object or else the saved history; returns how many. */
struct funding_rate;
size_t paper_funding_history(const struct paper *p, const struct px_instr *in,
			     void (*fn)(void *arg, const struct funding_rate *r), void *arg);

/* The account of the private request being handled (0 outside a handler call or
 * for public requests). */
uint32_t paper_request_account(const struct paper *p, const struct http_request *req);

/* Spot WS tokens (GetWebSocketsToken): valid 15 minutes unless held by a live
 * subscription. issue writes the token (PAPER_TOKEN_MAX bytes) and its lifetime in
 * seconds; check gives the account (0) or -1 when unknown/expired. */
#define PAPER_TOKEN_MAX 64
int paper_token_issue(struct paper *p, uint32_t acct, char token[PAPER_TOKEN_MAX],
		      int64_t *expires_s);
int paper_token_check(struct paper *p, const char *token, uint32_t *acct);
/* A live subscription uses the token: it does not expire while held (counted). */
void paper_token_hold(struct paper *p, const char *token);
void paper_token_release(struct paper *p, const char *token);

/* Futures WS challenge: a UUID for the api_key (-1 if the key is unknown); check
 * verifies original_challenge was issued for api_key and signed_challenge is
 * base64(HMAC-SHA512(secret, SHA256(challenge))). 0 + *acct, or -1. */
#define PAPER_CHALLENGE_MAX 40
int paper_challenge_issue(struct paper *p, const char *api_key,
			  char challenge[PAPER_CHALLENGE_MAX]);
int paper_challenge_check(struct paper *p, const char *api_key, const char *original_challenge,
			  const char *signed_challenge, uint32_t *acct);

#endif
