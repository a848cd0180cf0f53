/* fut_ws: the Kraken Futures WebSocket v1 session — one connection
 * (kraken/wsconn.h: reconnect with backoff and jitter, RFC 6455 ping frames at
 * least every 60 s, dead-peer detection, feed health) carrying the public
 * feeds the owner asks for plus, with an API key, every private feed.
 *
 * On every (re)connect: the heartbeat feed and every public subscription are
 * sent again; with a key, a new challenge is requested, signed, and the
 * private feeds (open_orders_verbose, fills, open_positions, balances,
 * account_log, notifications_auth) are subscribed with it; then the owner's
 * on_connected callback runs so that it reconciles private state over REST
 * (what happened while we were away). A book seq gap makes the session
 * resubscribe that product's book for a fresh snapshot.
 *
 * Feed health: FEED_FUT_PUBLIC follows the connection; FEED_FUT_PRIVATE is
 * OFF without a key, AUTHENTICATING until the private feeds are acknowledged,
 * FAILED when Kraken refuses them (bad key or signature).
 *
 * Lifetime: fut_ws_new() ... fut_ws_free() (not from inside its callbacks).
 * The api secret is copied, registered for log redaction and wiped on free. */
#ifndef KT_KRAKEN_FUT_WS_H
#define KT_KRAKEN_FUT_WS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/kerr.h"
#include "kraken/wsconn.h"

struct kt_loop;
struct state;
struct fut_ws;

struct fut_ws_opts {
	const char *url;        /* "wss://futures.kraken.com/ws/v1" or the paper exchange's */
	const char *api_key;    /* NULL or "": public feeds only */
	const char *api_secret; /* base64, as Kraken issues it */
	const struct wsconn_policy *policy; /* NULL: wsconn_policy_futures() */
	const struct wsconn_env *env;       /* NULL: real clock and randomness */
	/* After each (re)connect, once everything was resubscribed (for private
	 * feeds: once the challenge was signed and they were requested). The
	 * owner reconciles private state over REST here. May be NULL. */
	void (*on_connected)(void *arg, bool reconnect);
	void *arg;
};

/* Copies opts (strings included). Nothing happens until fut_ws_start(). */
struct fut_ws *fut_ws_new(struct kt_loop *loop, struct state *st, const struct fut_ws_opts *opts,
                          struct kerr *err);
void fut_ws_free(struct fut_ws *s);
void fut_ws_start(struct fut_ws *s);
/* Close and stop reconnecting (feeds go FEED_OFF). */
void fut_ws_stop(struct fut_ws *s);

/* Public interest: feed is "book", "ticker", "ticker_lite" or "trade"; product
 * an instrument id ("PF_XBTUSD"). Remembered across reconnects; sent now when
 * connected. Returns 0, or -1 for a feed that is not public. */
int fut_ws_subscribe(struct fut_ws *s, const char *feed, const char *product);
int fut_ws_unsubscribe(struct fut_ws *s, const char *feed, const char *product);
/* book + ticker + trade of one instrument (the UI's "watch"). */
void fut_ws_watch(struct fut_ws *s, const char *product, bool on);

/* Every incoming message is handed to fn first (the session recorder). */
void fut_ws_set_raw_hook(struct fut_ws *s, void (*fn)(void *ctx, const char *msg, size_t len),
                         void *ctx);

struct fut_ws_stats {
	uint64_t messages; /* decoded */
	uint64_t errors;   /* undecodable messages (logged, skipped) */
	uint64_t dropped;  /* book deltas ignored (stale seq / waiting for a snapshot) */
	uint64_t gaps;     /* book seq gaps (each caused a resubscribe) */
	uint32_t connects; /* opens so far */
	bool authed;       /* private feeds acknowledged on this connection */
};
void fut_ws_stats(const struct fut_ws *s, struct fut_ws_stats *out);
/* The underlying connection (tests, status line). */
struct wsconn *fut_ws_conn(struct fut_ws *s);

#endif
