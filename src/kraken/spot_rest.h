/* spot_rest: the Kraken Spot REST session — signed requests over
 * net/http_client on the one loop, Kraken's rate limits, backoff, and the
 * reconciliation of orders whose outcome is unknown.
 *
 * Requests queue and wait their turn instead of failing: private calls are
 * charged on the REST call counter of the key's verification tier, order
 * actions on the per-pair matching-engine counter (cost by the order's age),
 * public calls on a per-IP budget of about one a second. Trading requests
 * (orders, amends, cancels) go ahead of account reads in the queue. Private
 * requests are sent one at a time by default, so nonces always arrive in
 * order ("EAPI:Invalid nonce" otherwise) and Kraken's concurrency throttle
 * ("EService:Throttled") is not provoked. "EAPI:Rate limit exceeded",
 * "EOrder:Rate limit exceeded" and HTTP 429 back off exponentially with
 * jitter and retry; "EService:Throttled: <ts>" waits until that time.
 *
 * An order action whose outcome is unknown (timeout, connection lost after
 * sending, HTTP 5xx, EService:Unavailable/Busy, an unreadable answer, a
 * refused nonce) is never sent again blindly: placement looks for the client
 * order id among open orders, then among recently closed orders, and only then
 * reports placed (with the txid) or failed; amend and cancel query the order's
 * status. Reads are retried.
 *
 * "EAPI:Invalid nonce" happens without anyone misbehaving: another krakterm
 * process on the same key took a higher nonce from the shared store and got
 * to Kraken first, or curl resent a request whose reused connection died
 * unanswered (same nonce). Reads go again with a new nonce; an AddOrder
 * refused for its nonce is looked up as above and, when Kraken has no such
 * order, sent again (same client id, new nonce; a few times at most).
 * Requests that never reached Kraken (connection refused) do not count against
 * the rate-limit counters.
 *
 * The counters and the REST round-trip time are published to the state
 * (st->limits, st->rest_rtt_us[PRODUCT_SPOT], EV_LIMITS) for the status bar.
 *
 * Lifetime: spot_rest_new() ... spot_rest_free(). Callbacks run on the loop,
 * never inside the call that started the request; spot_rest_free() drops
 * pending requests without calling their callbacks (do not call it from a
 * callback of this session). The state passed in must outlive the session. */
#ifndef KT_KRAKEN_SPOT_REST_H
#define KT_KRAKEN_SPOT_REST_H

#include <stdbool.h>
#include <stdint.h>

#include "base/jscan.h"
#include "base/kerr.h"
#include "core/intent.h"
#include "core/state.h"
#include "kraken/errors.h"
#include "kraken/ratelimit.h"
#include "kraken/spot_rest_codec.h"
#include "net/http_client.h"
#include "net/loop.h"

struct spot_rest;

struct spot_rest_cfg {
	const char *base_url;      /* "https://api.kraken.com", or the paper exchange's URL */
	const char *api_key;       /* NULL: public endpoints only */
	const char *api_secret;    /* base64; copied, wiped on free, never logged */
	const char *nonce_dir;     /* where the key's nonce file lives (net/nonce.h) */
	enum kraken_tier tier;
	const char *ca_file;       /* extra trust anchor (tests); NULL: the loop's */
	uint32_t timeout_ms;       /* per request; 0 = 15000 */
	unsigned max_private_inflight; /* 0 = 1 (see above) */
	unsigned max_retries;      /* retries after rate limits / transient failures; 0 = 5 */
	uint32_t reconcile_delay_ms; /* pause before looking for an order of unknown outcome;
				      * 0 = 1000 */
	uint32_t backoff_base_ms;  /* 0 = 500 */
	uint32_t backoff_cap_ms;   /* 0 = 30000 */
	uint32_t public_per_s_milli; /* public calls per second (milli); 0 = 1000 */
};

/* The I/O the session uses, replaceable for tests (a fake transport and a
 * fake clock). The defaults use net/http_client and kt_timer on the loop. */
struct spot_rest_io {
	void *ctx;
	/* Start an HTTP request; cb runs later, exactly once unless cancelled. */
	void *(*http)(void *ctx, const struct http_req_opts *opts,
		      void (*cb)(void *arg, const struct http_result *res), void *arg);
	void (*http_cancel)(void *ctx, void *call);
	/* One-shot timer; the handle is dead after cb returns. */
	void *(*timer)(void *ctx, uint64_t ms, void (*cb)(void *arg), void *arg);
	void (*timer_stop)(void *ctx, void *timer);
	uint64_t (*mono_ms)(void *ctx);
	uint64_t (*wall_ms)(void *ctx);
	uint32_t (*rand)(void *ctx);
};

/* Open a session. st (may be NULL) receives the rate-limit view. With a key,
 * the nonce store for it is opened under cfg->nonce_dir. */
struct spot_rest *spot_rest_new(struct kt_loop *loop, struct state *st,
				const struct spot_rest_cfg *cfg, struct kerr *err);
void spot_rest_free(struct spot_rest *sr);
/* Replace the I/O (tests; before the first request). */
void spot_rest_set_io(struct spot_rest *sr, const struct spot_rest_io *io);
void spot_rest_set_tier(struct spot_rest *sr, enum kraken_tier tier);
bool spot_rest_has_key(const struct spot_rest *sr);

/* ---- generic calls ---- */

/* What a request came to. */
struct spot_reply {
	int rc;                  /* 0 ok, 1 Kraken error, -1 no usable answer */
	bool unknown;            /* rc -1: the request may have been carried out */
	const struct jdoc *doc;  /* rc 0: the parsed body; result token below */
	int result;
	const char *error;       /* rc 1: Kraken's error string, e.g. "EOrder:Insufficient funds" */
	struct kraken_err kerr;  /* rc 1: its class and plain-English message */
	int http_status;
	char message[256];       /* rc != 0: what went wrong, in plain English */
};

typedef void (*spot_reply_cb)(void *arg, const struct spot_reply *r);

enum spot_call_flags {
	SR_PRIVATE = 1 << 0, /* POST /0/private/<method>, signed */
	SR_JSON = 1 << 1,    /* JSON body instead of a form */
	SR_TRADE = 1 << 2,   /* an order action: queue priority; an unknown outcome is
			      * reported (rc -1, unknown) instead of retried */
};

struct spot_call {
	const char *method;          /* "AddOrder", "Ticker"... */
	unsigned flags;              /* enum spot_call_flags */
	const char *pair;            /* matching-engine counter key (REST pair id) or NULL */
	int64_t trade_cost;          /* milli-units on that counter */
};

/* Queue a request. params is taken over (emptied) in every case. Returns 0
 * (cb runs later, exactly once) or -1 (err filled; cb never runs). */
int spot_rest_call(struct spot_rest *sr, const struct spot_call *call, struct spot_params *params,
		   spot_reply_cb cb, void *arg, struct kerr *err);

/* ---- what the gateway (kraken/client.c) uses ---- */

/* All of these: 0 and cb runs once later, or -1 with err filled. */

/* AddOrder with reconciliation by req->cl_id (see above). */
int spot_rest_add_order(struct spot_rest *sr, struct state *st, const struct order_req *req,
			intent_cb cb, void *arg, struct kerr *err);
/* AmendOrder in place (queue priority kept where Kraken can). */
int spot_rest_amend(struct spot_rest *sr, struct state *st, const struct amend_req *req,
		    intent_cb cb, void *arg, struct kerr *err);
int spot_rest_cancel(struct spot_rest *sr, struct state *st, const char *order_id, intent_cb cb,
		     void *arg, struct kerr *err);
/* CancelAll (every spot order; Kraken has no per-pair form: instr is not
 * supported here, the gateway cancels one by one for that). */
int spot_rest_cancel_all(struct spot_rest *sr, struct state *st, intent_cb cb, void *arg,
			 struct kerr *err);
/* CancelAllOrdersAfter (dead man's switch); 0 disarms. */
int spot_rest_cancel_after(struct spot_rest *sr, struct state *st, int timeout_s, intent_cb cb,
			   void *arg, struct kerr *err);
/* Spot -> Futures wallet transfer. Never retried and never reconciled: an
 * unknown outcome is reported as such (check the wallets). */
int spot_rest_wallet_transfer(struct spot_rest *sr, struct state *st,
			      const struct transfer_req *req, intent_cb cb, void *arg,
			      struct kerr *err);

/* Completion of the calls below: rc 0, or -1 with a plain-English msg. */
typedef void (*spot_done_cb)(void *arg, int rc, const char *msg);

/* Balances (BalanceEx), open orders (and the final state of orders that left
 * the open list), positions, recent trades -> state. done may be NULL; it
 * runs once every part has answered (rc -1 if any failed). */
void spot_rest_refresh_private(struct spot_rest *sr, struct state *st, spot_done_cb done,
			       void *arg);
/* AssetPairs -> every instrument in the state. */
int spot_rest_load_instruments(struct spot_rest *sr, struct state *st, spot_done_cb done,
			       void *arg);
/* GetWebSocketsToken: cb(arg, 0, token, expires_s, NULL) or (arg, -1, NULL, 0, msg). */
typedef void (*spot_token_cb)(void *arg, int rc, const char *token, int expires_s,
			      const char *msg);
int spot_rest_ws_token(struct spot_rest *sr, spot_token_cb cb, void *arg);

/* Public snapshots into the state (done may be NULL). instr -1 for the
 * ticker means every instrument. */
int spot_rest_fetch_ticker(struct spot_rest *sr, struct state *st, int instr, spot_done_cb done,
			   void *arg);
int spot_rest_fetch_depth(struct spot_rest *sr, struct state *st, int instr, int count,
			  spot_done_cb done, void *arg);
int spot_rest_fetch_ohlc(struct spot_rest *sr, struct state *st, int instr, int interval_min,
			 spot_done_cb done, void *arg);
int spot_rest_fetch_trades(struct spot_rest *sr, struct state *st, int instr, spot_done_cb done,
			   void *arg);

/* ---- typed reads and the less common trading calls (spot_rest_more.c) ----
 *
 * Each returns 0 and runs its callback once later, or -1 with err filled
 * (nothing sent, no callback). The callback gets how the call ended and, when
 * o->rc is 0 only, the decoded result (pointers valid during the call). Reads
 * are retried like every read; the trading calls (EditOrder, AddOrderBatch,
 * CancelOrderBatch) are charged on the pair's matching-engine counter, go
 * ahead of reads, and are never sent twice: an unknown outcome is reported
 * (o->rc -1, o->unknown) for the caller to check the orders. */

/* How a typed call ended. */
struct spot_outcome {
	int rc;                    /* 0 ok, 1 Kraken refused it, -1 no usable answer */
	bool unknown;              /* rc -1: it may have been carried out */
	enum kraken_err_class cls; /* rc 1: what kind of refusal */
	char code[96];             /* rc 1: Kraken's error, e.g. "EOrder:Insufficient funds" */
	char message[256];         /* rc != 0: what went wrong, in plain English */
};

typedef void (*spot_time_cb)(void *arg, const struct spot_outcome *o, const struct spot_time *t);
typedef void (*spot_status_cb)(void *arg, const struct spot_outcome *o,
			       const struct spot_system_status *s);
typedef void (*spot_assets_cb)(void *arg, const struct spot_outcome *o, const struct spot_asset *a,
			       size_t n);
typedef void (*spot_trade_balance_cb)(void *arg, const struct spot_outcome *o,
				      const struct spot_trade_balance *tb);
/* count: the total Kraken holds for the query (-1 when asked without_count). */
typedef void (*spot_ledgers_cb)(void *arg, const struct spot_outcome *o,
				const struct spot_ledger *l, size_t n, int64_t count);
typedef void (*spot_edit_cb)(void *arg, const struct spot_outcome *o,
			     const struct spot_edit_result *r);
/* One result per order, in the request's order (r[i].error set when refused). */
typedef void (*spot_batch_cb)(void *arg, const struct spot_outcome *o,
			      const struct spot_add_result *r, size_t n);
typedef void (*spot_count_cb)(void *arg, const struct spot_outcome *o, int count);

/* Time and SystemStatus (public). */
int spot_rest_time(struct spot_rest *sr, spot_time_cb cb, void *arg, struct kerr *err);
int spot_rest_system_status(struct spot_rest *sr, spot_status_cb cb, void *arg, struct kerr *err);
/* Assets (public). assets: NULL for all, or a comma list of Kraken ids,
 * altnames or common codes ("BTC,ETH" is sent as "XBT,ETH"). */
int spot_rest_assets(struct spot_rest *sr, const char *assets, spot_assets_cb cb, void *arg,
		     struct kerr *err);
/* TradeBalance: margin figures in `asset` ("ZUSD", "BTC"...; NULL: Kraken's
 * default, ZUSD). */
int spot_rest_trade_balance(struct spot_rest *sr, const char *asset, spot_trade_balance_cb cb,
			    void *arg, struct kerr *err);

/* Which ledger entries to read; every field is optional (zero: not sent). */
struct spot_ledger_query {
	const char *asset;  /* comma list of codes ("BTC,ZUSD"; BTC is sent as XBT) */
	const char *type;   /* "all", "trade", "deposit", "withdrawal", "transfer", ... */
	int64_t start, end; /* unix seconds */
	int64_t ofs;        /* result offset (pages of 50) */
	bool without_count;
};
/* Ledgers (charged as a heavy call on the REST counter). With st, the
 * entries also go into the state's account log (EV_ACCOUNT_LOG). q may be NULL. */
int spot_rest_ledgers(struct spot_rest *sr, struct state *st, const struct spot_ledger_query *q,
		      spot_ledgers_cb cb, void *arg, struct kerr *err);
/* EditOrder (cancel and replace: a new txid). req->pair is the altname or
 * REST id of an instrument in st. When Kraken reports "Ok" (and it was not
 * validate-only) the original order is marked cancelled in st; the new one
 * arrives with the private feed or the next refresh. */
int spot_rest_edit_order(struct spot_rest *sr, struct state *st, const struct spot_edit_req *req,
			 spot_edit_cb cb, void *arg, struct kerr *err);
/* AddOrderBatch: 2..15 orders on one pair (JSON body). The orders reach the
 * state through the private feed or the next refresh. */
int spot_rest_add_order_batch(struct spot_rest *sr, struct state *st, const struct order_req *reqs,
			      size_t n, const char *deadline, bool validate, spot_batch_cb cb,
			      void *arg, struct kerr *err);
/* CancelOrderBatch: up to 50 txids and client order ids in total (JSON). When
 * Kraken counts every id as cancelled, the txids are marked cancelled in st. */
int spot_rest_cancel_order_batch(struct spot_rest *sr, struct state *st,
				 const char *const *txids, size_t ntx, const char *const *cl_ids,
				 size_t ncl, spot_count_cb cb, void *arg, struct kerr *err);

/* The current counters (milli-units), for tests and diagnostics. */
int64_t spot_rest_counter_level(struct spot_rest *sr);
int64_t spot_rest_trade_level(struct spot_rest *sr, const char *pair);
/* Requests waiting in the queue (not in flight). */
unsigned spot_rest_queued(const struct spot_rest *sr);

#endif
