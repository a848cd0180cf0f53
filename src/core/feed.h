/* feed: the health of each connection, for the status bar — connection
 * state, last-message age, round-trip times and rate-limit counters. */
#ifndef KT_CORE_FEED_H
#define KT_CORE_FEED_H

#include <stdint.h>

enum feed_id {
	FEED_SPOT_PUBLIC,  /* Spot WS v2 public */
	FEED_SPOT_PRIVATE, /* Spot WS v2 authenticated */
	FEED_FUT_PUBLIC,   /* Futures WS v1, public feeds */
	FEED_FUT_PRIVATE,  /* Futures WS v1, private feeds (same socket in Kraken's design may differ) */
	FEED_COUNT
};

enum feed_state {
	FEED_OFF,          /* not configured / not wanted */
	FEED_CONNECTING,
	FEED_AUTHENTICATING,
	FEED_UP,
	FEED_BACKOFF,      /* waiting to reconnect */
	FEED_FAILED,       /* gave up or fatal (bad key...) */
};

/* One channel of a connection ("book", "executions", "open_positions"...): a
 * private channel can fall silent while heartbeats keep the connection alive. */
#define FEED_CHANNELS_MAX 12
#define FEED_CHANNEL_NAME_MAX 24
struct feed_channel {
	char name[FEED_CHANNEL_NAME_MAX];
	int64_t last_msg_mono_ms;
	uint32_t messages;
};

struct feed_status {
	enum feed_state state;
	int64_t last_msg_mono_ms;  /* monotonic ms of the last message */
	struct feed_channel channels[FEED_CHANNELS_MAX]; /* in order of first message */
	unsigned nchannels;
	int64_t connected_mono_ms;
	uint32_t reconnects;
	uint32_t messages;
	char last_error[128];
};

/* Rate-limit view for the status bar. Values are scaled by 100 (counter 12.34 = 1234). */
struct rate_limits {
	int32_t spot_rest_counter, spot_rest_max;      /* REST call counter */
	int32_t spot_trade_counter, spot_trade_max;    /* matching-engine counter (busiest pair) */
	int32_t fut_budget_used, fut_budget_max;       /* derivatives cost per 10 s window */
	int32_t waiting;                               /* requests queued behind a limit */
};


const char *feed_name(enum feed_id f);
const char *feed_state_name(enum feed_state s);

#endif
