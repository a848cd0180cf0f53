/* fut_rest_int: the session's private structures, shared by fut_rest.c (calls,
 * queueing, signing, reply classification) and fut_rest_ops.c (endpoints,
 * reconciliation). */
#ifndef KT_KRAKEN_FUT_REST_INT_H
#define KT_KRAKEN_FUT_REST_INT_H

#include <stdbool.h>
#include <stdint.h>

#include "base/sbuf.h"
#include "kraken/fut_rest.h"
#include "kraken/ratelimit.h"

#define FR_BUDGET         500 /* derivatives cost per window */
#define FR_WINDOW_MS      10000
#define FR_HISTORY_TOKENS 100 /* history pool, refilled 100 per 10 min */
#define FR_HISTORY_DECAY  166 /* milli-tokens per second (100000/600, rounded down) */
#define FR_READ_RETRIES   3   /* transient failures of reads */
#define FR_LIMIT_RETRIES  6   /* rate-limit refusals before giving up */
#define FR_RECON_TRIES    4   /* attempts of each reconciliation step */

struct fr_call;

/* How a call ended without a usable reply. */
enum fr_fail {
	FR_FAILED,  /* known: nothing happened (connect refused, bad reply to a read...) */
	FR_UNKNOWN, /* a write may or may not have happened */
};

/* Several calls reported as one (refresh_private). */
struct fr_group {
	int pending, refs;
	bool failed;
	struct intent_result first_fail;
	intent_cb cb;
	void *arg;
};

struct fr_call {
	struct fut_rest *fr;
	struct state *st;
	enum fut_ep ep;
	struct sbuf params; /* URL-encoded, exactly as sent and signed */
	int cost;
	bool write;        /* a state-changing request: unknown outcomes are not retried */
	unsigned attempts; /* transient failures / rate-limit refusals so far */
	void *http, *timer;
	struct fr_call *qnext;         /* waiting queue */
	struct fr_call *lprev, *lnext; /* every live call */
	int instr;
	/* A reply arrived and parsed (ok or error envelope other than rate limits). */
	void (*on_reply)(struct fr_call *c, const struct fut_doc *fd);
	/* No usable reply. */
	void (*on_fail)(struct fr_call *c, enum fr_fail kind, const char *msg);
	intent_cb cb;
	fut_prefs_cb pcb;
	fut_batch_cb bcb;
	void *arg;
	struct fr_group *group;
	struct order_req req;   /* sendorder: kept for reconciliation */
	enum fr_fail fail_kind; /* a failure reported from a timer (never inside a call) */
	char fail_msg[256];
	int recon_step; /* 0: not reconciling; 1 orders/status, 2 openorders, 3 fills */
};

struct fut_rest {
	struct fut_rest_io io;
	char *base_url, *key, *secret;
	struct nonce_store *nonce;
	uint32_t timeout_ms, recon_delay_ms;
	struct rl_window budget;
	struct rl_counter history;
	struct fr_call *qhead, *qtail;
	struct fr_call *live;
	void *pump_timer;
	uint64_t blocked_until; /* monotonic ms: backoff after a rate-limit refusal */
	unsigned strikes;       /* consecutive rate-limit refusals */
	uint32_t rnd;
};

/* A new call (linked into fr->live); params empty. */
struct fr_call *fr_call_new(struct fut_rest *fr, struct state *st, enum fut_ep ep);
/* Unlink, cancel its I/O, free. Never calls back. */
void fr_call_free(struct fr_call *c);
/* Queue (or send at once, for free public calls). Returns 0, or -1 with err
 * when the call cannot even start (then c is freed and never calls back). */
int fr_submit(struct fr_call *c, struct kerr *err);
/* Send c again later (after `ms`), through the queue. */
void fr_resubmit_after(struct fr_call *c, uint64_t ms);
/* Report c's outcome to its owner and free it (touches nothing afterwards). */
void fr_finish(struct fr_call *c, const struct intent_result *res);
/* An intent_result with status and message. */
void fr_result(struct intent_result *res, enum intent_status s, const char *code, const char *fmt,
               ...) __attribute__((format(printf, 4, 5)));
/* Backoff delay for attempt n (jittered). */
uint64_t fr_backoff(struct fut_rest *fr, unsigned attempt);

#endif
