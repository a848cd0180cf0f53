/* client: krakterm's connection to Kraken (or to the paper exchange, which
 * speaks the same protocols) for both products at once. It owns the four
 * sessions — Spot REST, Spot WebSocket v2 (public and private), Futures REST,
 * Futures WebSocket v1 — loads instruments, keeps private state fresh, routes
 * every user intent to the right product, and registers itself as the core's
 * gateway (state_set_gateway), so the UI and the one-shot commands only ever
 * talk to the core.
 *
 * Futures instrument metadata is re-read every cfg.instr_refresh_ms (hourly
 * by default) and replaces what the state holds (market data is kept);
 * contracts listed meanwhile are added and get their tickers like the others.
 *
 * Orders go over REST, whose placement is reconciled by client order id when
 * its outcome is unknown (never resent); the WebSocket feeds keep books,
 * tickers, trades, orders, fills, balances and positions live, and after any
 * reconnect private state is re-read over REST.
 *
 * Lifetime: kraken_client_new() ... kraken_client_start() ... free. The
 * state and the loop must outlive the client. */
#ifndef KT_KRAKEN_CLIENT_H
#define KT_KRAKEN_CLIENT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "base/kerr.h"
#include "kraken/ratelimit.h"

struct kt_loop;
struct state;
struct kraken_client;

struct kraken_endpoints {
	const char *rest_url;    /* NULL: this product is not used */
	const char *ws_url;
	const char *ws_auth_url; /* Spot only */
	const char *key;         /* NULL: public data only */
	const char *secret;      /* base64; copied by the sessions, wiped on free */
};

struct kraken_client_cfg {
	struct kraken_endpoints spot, futures;
	enum kraken_tier tier;
	const char *nonce_dir;   /* per-key nonce files ($XDG_STATE_HOME/krakterm/nonces) */
	bool feeds;              /* connect the WebSocket feeds (the TUI, `record`) */
	bool private_feeds;      /* also the authenticated feeds (when keys exist) */
	/* Instruments whose tickers are streamed; NULL-terminated. NULL: every
	 * instrument of a product with few of them, else a default watchlist. */
	const char *const *watchlist;
	FILE *record;            /* write every raw WebSocket message here (JSON lines) */
	uint32_t timeout_ms;     /* REST timeout; 0 = the sessions' defaults */
	/* Futures instrument metadata (tick and lot sizes, margin tiers, new
	 * listings) is re-read this often after start; 0 = KRAKEN_INSTR_REFRESH_MS. */
	uint32_t instr_refresh_ms;
};

/* How often the futures instruments are re-read: Kraken changes tick sizes,
 * margin tiers and listings rarely, and one public call an hour is free. */
#define KRAKEN_INSTR_REFRESH_MS (60u * 60u * 1000u)

/* Called once: error NULL when instruments (and, with keys, the first private
 * snapshot) are loaded; otherwise why starting failed. */
typedef void (*kraken_ready_cb)(void *arg, const char *error);

struct kraken_client *kraken_client_new(struct kt_loop *loop, struct state *st,
					const struct kraken_client_cfg *cfg, struct kerr *err);
void kraken_client_start(struct kraken_client *kc, kraken_ready_cb ready, void *arg);
/* Disconnect and free (no callbacks afterwards). NULL is fine. */
void kraken_client_free(struct kraken_client *kc);
/* Re-read private state over REST for both products (cb may be NULL). */
void kraken_client_refresh(struct kraken_client *kc, void (*done)(void *arg), void *arg);
/* Ask for tickers of instr (beyond the watchlist). */
void kraken_client_ticker(struct kraken_client *kc, int instr);

#endif
