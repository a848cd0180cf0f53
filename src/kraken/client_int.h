/* client_int: the client's private structure, shared by client*.c. */
#ifndef KT_KRAKEN_CLIENT_INT_H
#define KT_KRAKEN_CLIENT_INT_H

#include "core/state.h"
#include "kraken/client.h"
#include "kraken/fut_rest.h"
#include "kraken/fut_ws.h"
#include "kraken/spot_rest.h"
#include "kraken/spot_ws.h"

struct kraken_client {
	struct kt_loop *loop;
	struct state *st;
	struct kraken_client_cfg cfg;
	char **watch_copy;         /* owned copy of cfg.watchlist */

	struct spot_rest *srest;
	struct spot_ws_pub *spub;
	struct spot_ws_priv *spriv;
	struct fut_rest *frest;
	struct fut_ws *fws;

	/* Start-up: how many loads are outstanding before `ready`. */
	int pending;
	bool failed;
	char error[600];
	kraken_ready_cb ready;
	void *ready_arg;
	bool started;

	/* The instrument the UI watches (book/trades/candles), per product. */
	int watched[PRODUCT_COUNT];
	int watched_depth;

	/* The periodic re-read of the futures instruments (repeating timer). */
	struct kt_timer *instr_timer;
	bool instr_refreshing; /* one is in flight: the next tick skips */

	/* Coalesced private refreshes (after intents when feeds are down). */
	struct kt_timer *refresh_timer;
	int refreshing;     /* refreshes in flight */
	bool refresh_again; /* one more was asked for meanwhile */
	/* Waits for a session's callback (token requests, refreshes): the
	 * sessions drop pending work without calling back when freed, so
	 * kraken_client_free() frees whatever is still listed here. */
	struct kc_wait *waits;
};

/* client_gateway.c */
extern const struct gateway_ops kraken_gateway_ops;
void client_watch(void *gw, int instr, int depth);
void client_schedule_refresh(struct kraken_client *kc);

/* client_record.c */
void client_record_raw(struct kraken_client *kc, const char *src, const char *msg, size_t len);
void client_record_instruments(struct kraken_client *kc);

#endif
