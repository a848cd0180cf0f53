/* fut_rest: the Kraken Futures REST v3 session — signed requests over
 * net/http_client on the one loop, the derivatives cost budget and the history
 * token pool (requests wait their turn), backoff on apiLimitExceeded / HTTP
 * 429, and reconciliation of orders whose outcome is unknown.
 *
 * Every operation is asynchronous: it returns 0 and later calls its callback
 * exactly once with a core intent_result (INTENT_OK / REJECTED / FAILED /
 * UNKNOWN), or returns -1 with err filled and never calls back. Decoded data
 * goes straight into the `struct state` passed with the call (which must
 * outlive the call), with the state's events.
 *
 * Signing (kraken-protocol.md §3.2): headers APIKey, Authent =
 * kraken_futures_authent(secret, postData, Nonce, path without /derivatives)
 * and Nonce (milliseconds, from net/nonce.h: one store per key, increasing
 * across restarts). postData is exactly the bytes sent: the query string of a
 * GET/PUT, the form body of a POST.
 *
 * An order request whose outcome is unknown (timeout, connection lost, HTTP
 * 5xx, Kraken "Unavailable", a refused nonce: curl resends a request whose
 * reused connection died unanswered, nonce and all) is never resent: its
 * client order id is looked up with orders/status (open orders and orders
 * closed in the last seconds), then in openorders and fills; the callback
 * then reports it placed (with the order id), rejected, or not placed —
 * INTENT_UNKNOWN only if even those checks fail. A read refused for its
 * nonce (another process on the key got in first) goes again.
 *
 * The I/O is a small seam (struct fut_rest_io) so tests drive the session
 * with a fake transport and a fake clock; fut_rest_new() uses the real loop. */
#ifndef KT_KRAKEN_FUT_REST_H
#define KT_KRAKEN_FUT_REST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/dec.h"
#include "base/kerr.h"
#include "core/intent.h"
#include "kraken/fut_rest_codec.h"
#include "net/http_client.h"

struct state;
struct kt_loop;
struct nonce_store;
struct fut_rest;

/* kerr codes of the session (besides fut_rest_codec's). */
enum fut_rest_err {
	FUT_REST_E_NOKEY = 100, /* a private call without an API key */
	FUT_REST_E_ARG,         /* unusable arguments (unknown instrument...) */
	FUT_REST_E_NONCE,       /* the nonce store failed */
	FUT_REST_E_IO,          /* the transport refused to start the request */
};

struct fut_rest_cfg {
	const char *base_url;   /* "https://futures.kraken.com", "http://127.0.0.1:P" */
	const char *api_key;    /* NULL: public calls only */
	const char *api_secret; /* base64; copied, wiped at fut_rest_free */
	const char *nonce_dir;  /* nonce state directory; NULL: no Nonce header */
	uint32_t timeout_ms;    /* per request; 0 = 10 s */
	const char *ca_file;    /* extra trust anchor for TLS (tests); NULL: none */
	/* Delay before reconciling an order whose outcome is unknown (Kraken may
	 * still be processing it); 0 = 1000 ms. */
	uint32_t reconcile_delay_ms;
};

/* The session's window on the world. Timers are one-shot; a timer handle is
 * dead once its callback ran or it was stopped. */
struct fut_rest_io {
	void *ctx;
	void *(*request)(void *ctx, const struct http_req_opts *o,
	                 void (*cb)(void *arg, const struct http_result *r), void *arg);
	void (*cancel)(void *ctx, void *call);
	uint64_t (*now_ms)(void *ctx); /* monotonic */
	void *(*timer)(void *ctx, uint64_t ms, void (*cb)(void *arg), void *arg);
	void (*timer_stop)(void *ctx, void *timer);
};

/* A session on the real loop (net/http_client + kt_timer). NULL + err when
 * the configuration is unusable (no base URL, nonce store refused). */
struct fut_rest *fut_rest_new(struct kt_loop *loop, const struct fut_rest_cfg *cfg,
                              struct kerr *err);
/* Same with an injected transport and clock (tests). io is copied. */
struct fut_rest *fut_rest_new_io(const struct fut_rest_io *io, const struct fut_rest_cfg *cfg,
                                 struct kerr *err);
/* Cancel everything in flight without calling back; wipe the secret. NULL ok.
 * Not from inside one of the session's own callbacks. */
void fut_rest_free(struct fut_rest *fr);
/* The nonce store (NULL without nonce_dir): tests fix its clock. */
struct nonce_store *fut_rest_nonce_store(struct fut_rest *fr);
bool fut_rest_has_keys(const struct fut_rest *fr);
/* Requests waiting for rate-limit budget (or backoff). */
size_t fut_rest_queued(const struct fut_rest *fr);
/* Cost spent in the current 10 s derivatives window. */
int fut_rest_budget_used(struct fut_rest *fr);

/* ---- public snapshots ---- */

/* instruments -> state (every futures contract). */
int fut_rest_load_instruments(struct fut_rest *fr, struct state *st, intent_cb cb, void *arg,
                              struct kerr *err);
int fut_rest_get_tickers(struct fut_rest *fr, struct state *st, intent_cb cb, void *arg,
                         struct kerr *err);
/* orderbook / history / historical-funding-rates of one instrument. */
int fut_rest_get_book(struct fut_rest *fr, struct state *st, int instr, intent_cb cb, void *arg,
                      struct kerr *err);
int fut_rest_get_trades(struct fut_rest *fr, struct state *st, int instr, intent_cb cb, void *arg,
                        struct kerr *err);
int fut_rest_get_funding(struct fut_rest *fr, struct state *st, int instr, intent_cb cb, void *arg,
                         struct kerr *err);

/* ---- private data ---- */

/* accounts, openpositions, openorders and fills; cb once all four are done
 * (OK when all succeeded, else the first failure). */
int fut_rest_refresh_private(struct fut_rest *fr, struct state *st, intent_cb cb, void *arg,
                             struct kerr *err);
/* The account log (history pool): the newest `count` entries, or those since
 * since_ms when > 0. */
int fut_rest_get_account_log(struct fut_rest *fr, struct state *st, unsigned count,
                             int64_t since_ms, intent_cb cb, void *arg, struct kerr *err);
/* leveragepreferences / pnlpreferences (GET). */
typedef void (*fut_prefs_cb)(void *arg, const struct intent_result *res,
                             const struct fut_pref *prefs, size_t n);
int fut_rest_get_leverage_prefs(struct fut_rest *fr, struct state *st, fut_prefs_cb cb, void *arg,
                                struct kerr *err);
int fut_rest_get_pnl_prefs(struct fut_rest *fr, struct state *st, fut_prefs_cb cb, void *arg,
                           struct kerr *err);

/* ---- trading ---- */

/* sendorder. req->cl_id must be set (intent_place does); the result's
 * order_id is Kraken's. Outcome unknown -> reconciled (see above). */
int fut_rest_send_order(struct fut_rest *fr, struct state *st, const struct order_req *req,
                        intent_cb cb, void *arg, struct kerr *err);
/* editorder (orderId = a->order_id). */
int fut_rest_edit(struct fut_rest *fr, struct state *st, const struct amend_req *a, intent_cb cb,
                  void *arg, struct kerr *err);
/* cancelorder by Kraken order id. */
int fut_rest_cancel(struct fut_rest *fr, struct state *st, const char *order_id, intent_cb cb,
                    void *arg, struct kerr *err);
/* cancelallorders; instr < 0: every contract. res.count = orders cancelled. */
int fut_rest_cancel_all(struct fut_rest *fr, struct state *st, int instr, intent_cb cb, void *arg,
                        struct kerr *err);
/* cancelallordersafter (dead man's switch); 0 disarms. res.trigger_time_ms. */
int fut_rest_cancel_after(struct fut_rest *fr, struct state *st, unsigned timeout_s, intent_cb cb,
                          void *arg, struct kerr *err);
/* batchorder: results per instruction, in the reply's order. */
typedef void (*fut_batch_cb)(void *arg, const struct intent_result *res,
                             const struct fut_order_result *items, size_t n);
int fut_rest_batch(struct fut_rest *fr, struct state *st, const struct fut_batch_item *items,
                   size_t n, fut_batch_cb cb, void *arg, struct kerr *err);
/* PUT leveragepreferences: lev_or_null NULL = cross margin, else isolated at
 * that leverage. */
int fut_rest_set_leverage(struct fut_rest *fr, struct state *st, int instr,
                          const dec_t *lev_or_null, intent_cb cb, void *arg, struct kerr *err);
/* PUT pnlpreferences: realise PnL of instr in `currency` ("USD", "BTC"). */
int fut_rest_set_pnl_currency(struct fut_rest *fr, struct state *st, int instr,
                              const char *currency, intent_cb cb, void *arg, struct kerr *err);
/* Between futures wallets (flex <-> cash); a transfer to WALLET_SPOT is a
 * withdrawal (fut_rest_withdraw_to_spot); from WALLET_SPOT is a Spot request. */
int fut_rest_transfer(struct fut_rest *fr, struct state *st, const struct transfer_req *t,
                      intent_cb cb, void *arg, struct kerr *err);
/* Futures -> Spot wallet: `asset` display code ("BTC", "USD") from `from`
 * (flex or cash). res.ref = Kraken's transfer id. */
int fut_rest_withdraw_to_spot(struct fut_rest *fr, struct state *st, const char *asset,
                              dec_t amount, enum wallet from, intent_cb cb, void *arg,
                              struct kerr *err);

#endif
