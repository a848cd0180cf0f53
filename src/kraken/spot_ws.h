/* spot_ws: the two Kraken Spot WebSocket v2 sessions.
 *
 * Public (wss://ws.kraken.com/v2): market data for the instruments the UI
 * watches. On every (re)connect it subscribes the instrument channel first
 * (its precisions are what the book checksum needs) and, once that snapshot
 * is in, every book/ticker/trade/ohlc subscription it holds. A book whose
 * checksum fails is resubscribed (unsubscribe + subscribe) for a fresh
 * snapshot; maintenance notices slow reconnects down (wsconn).
 *
 * Private (wss://ws-auth.kraken.com/v2): executions (orders and fills) and
 * balances, plus the trading methods. A WebSocket token is fetched from the
 * owner (REST GetWebSocketsToken) for every connection. After a reconnect,
 * or when the executions sequence skips, the owner's reconcile() runs so it
 * can refresh private state over REST. Trading requests are matched to
 * their answers by req_id; a request without an answer in time, or in flight
 * when the connection drops, completes as INTENT_UNKNOWN with its client
 * order id in res->ref: the owner reconciles it, nothing is resent.
 *
 * Both sessions write into the one struct state and report feed health as
 * FEED_SPOT_PUBLIC / FEED_SPOT_PRIVATE. Lifetime: new ... start ... stop ...
 * free; free() drops the connection without callbacks (pending trading
 * callbacks are not called). */
#ifndef KT_KRAKEN_SPOT_WS_H
#define KT_KRAKEN_SPOT_WS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/kerr.h"
#include "core/intent.h"
#include "kraken/spot_ws_codec.h"
#include "kraken/spot_ws_req.h"
#include "kraken/wsconn.h"

struct kt_loop;
struct state;

#define SPOT_WS_URL_PUBLIC  "wss://ws.kraken.com/v2"
#define SPOT_WS_URL_PRIVATE "wss://ws-auth.kraken.com/v2"

/* ---- public ---- */

struct spot_ws_pub;

/* policy NULL: wsconn_policy_spot(). Nothing happens until start. */
struct spot_ws_pub *spot_ws_pub_new(struct kt_loop *loop, struct state *st, const char *url,
                                    const struct wsconn_policy *policy);
void spot_ws_pub_free(struct spot_ws_pub *p);
void spot_ws_pub_start(struct spot_ws_pub *p);
void spot_ws_pub_stop(struct spot_ws_pub *p);
/* Watch (or, with 0, stop watching) an instrument's book at a depth of 10,
 * 25, 100, 500 or 1000. Takes effect now when connected, else on connect. */
int spot_ws_pub_book(struct spot_ws_pub *p, int instr, int depth, struct kerr *err);
int spot_ws_pub_ticker(struct spot_ws_pub *p, int instr, bool on, struct kerr *err);
/* Trades; no snapshot of past trades unless with_history. */
int spot_ws_pub_trades(struct spot_ws_pub *p, int instr, bool on, bool with_history,
                       struct kerr *err);
/* Candles of `interval` minutes (0 stops). */
int spot_ws_pub_candles(struct spot_ws_pub *p, int instr, int interval, struct kerr *err);
/* The connection, for the recorder's raw hook and for tests. */
struct wsconn *spot_ws_pub_conn(struct spot_ws_pub *p);

struct spot_ws_stats {
	uint64_t msgs;       /* messages decoded */
	uint64_t errors;     /* messages that could not be applied */
	uint64_t resyncs;    /* book resubscriptions asked for */
	uint64_t unanswered; /* trading requests that completed as unknown */
};
struct spot_ws_stats spot_ws_pub_stats(const struct spot_ws_pub *p);

/* ---- private ---- */

/* The owner's answer to a token request: exactly one of token / error.
 * fatal: retrying cannot help (bad key, missing permission). */
typedef void (*spot_ws_token_done)(void *arg, const char *token, const char *error, bool fatal);

struct spot_ws_priv_ops {
	/* Fetch a WebSocket token (REST GetWebSocketsToken) and call done
	 * exactly once, even if the session was freed meanwhile. */
	void (*get_token)(void *ctx, spot_ws_token_done done, void *arg);
	/* Private state may have missed events (reconnect, sequence gap):
	 * refresh open orders, closed orders and balances over REST. */
	void (*reconcile)(void *ctx);
};

struct spot_ws_priv;

struct spot_ws_priv *spot_ws_priv_new(struct kt_loop *loop, struct state *st, const char *url,
                                      const struct wsconn_policy *policy,
                                      const struct spot_ws_priv_ops *ops, void *ctx);
void spot_ws_priv_free(struct spot_ws_priv *p);
void spot_ws_priv_start(struct spot_ws_priv *p);
void spot_ws_priv_stop(struct spot_ws_priv *p);
/* Connected, authenticated and subscribed: the trading calls below work. */
bool spot_ws_priv_ready(const struct spot_ws_priv *p);
/* How long a trading request may wait for its answer (default 10 s). */
void spot_ws_priv_set_timeout(struct spot_ws_priv *p, uint32_t ms);
struct wsconn *spot_ws_priv_conn(struct spot_ws_priv *p);
struct spot_ws_stats spot_ws_priv_stats(const struct spot_ws_priv *p);

/* Trading methods. Each returns 0 and completes cb exactly once later
 * (cancel_many: once per id), or returns -1 with err (not ready, invalid
 * request) and never calls cb. opts may be NULL. */
int spot_ws_place(struct spot_ws_priv *p, const struct order_req *req,
                  const struct spot_ws_order_opts *opts, intent_cb cb, void *arg, struct kerr *err);
int spot_ws_batch_add(struct spot_ws_priv *p, const struct order_req *reqs, size_t n,
                      const struct spot_ws_order_opts *opts, spot_ws_batch_cb cb, void *arg,
                      struct kerr *err);
/* Amend in place (amend_order); the size the order has is sent when unchanged. */
int spot_ws_amend(struct spot_ws_priv *p, const struct amend_req *a, intent_cb cb, void *arg,
                  struct kerr *err);
/* Cancel-replace (edit_order): the result's order_id is the new order. */
int spot_ws_edit(struct spot_ws_priv *p, const struct amend_req *a, intent_cb cb, void *arg,
                 struct kerr *err);
int spot_ws_cancel(struct spot_ws_priv *p, const char *order_id, intent_cb cb, void *arg,
                   struct kerr *err);
int spot_ws_cancel_many(struct spot_ws_priv *p, const char *const *ids, size_t n, bool by_cl,
                        intent_cb cb, void *arg, struct kerr *err);
int spot_ws_cancel_all(struct spot_ws_priv *p, intent_cb cb, void *arg, struct kerr *err);
int spot_ws_cancel_after(struct spot_ws_priv *p, int timeout_s, intent_cb cb, void *arg,
                         struct kerr *err);
int spot_ws_batch_cancel(struct spot_ws_priv *p, const char *const *ids, size_t n,
                         const char *const *cl_ids, size_t ncl, intent_cb cb, void *arg,
                         struct kerr *err);

#endif
