/* market: the public market data the core keeps per instrument — ticker,
 * recent trades, candles and the order book with its feed health. */
#ifndef KT_CORE_MARKET_H
#define KT_CORE_MARKET_H

#include <stdbool.h>
#include <stdint.h>

#include "base/dec.h"
#include "core/book.h"
#include "core/types.h"

/* Fields a feed does not provide stay zero; `has` says which are set. */
enum ticker_field {
	TK_LAST = 1 << 0,
	TK_BBO = 1 << 1,
	TK_VOLUME = 1 << 2,
	TK_CHANGE = 1 << 3,
	TK_HIGHLOW = 1 << 4,
	TK_MARK = 1 << 5,
	TK_INDEX = 1 << 6,
	TK_FUNDING = 1 << 7,
	TK_OI = 1 << 8,
};

struct ticker {
	unsigned has; /* enum ticker_field bits */
	dec_t last, bid, ask, bid_qty, ask_qty;
	dec_t volume;     /* 24h, base units (futures: contracts) */
	dec_t open24h;    /* price 24h ago, for the change */
	dec_t change_pct; /* 24h change in percent */
	dec_t high, low;
	dec_t mark, index;
	dec_t funding_rate;          /* absolute rate per period (futures ticker) */
	dec_t funding_rate_pred;
	dec_t rel_funding_rate;      /* relative (fraction of price) */
	dec_t rel_funding_rate_pred;
	int64_t next_funding_ms;     /* absolute epoch ms */
	dec_t open_interest;
	int64_t updated_ms;
};

struct trade {
	int64_t time_ms;
	dec_t price, qty;
	enum side side; /* taker side */
	bool liquidation;
};

#define TRADES_KEEP 256

/* A ring of the most recent trades (newest last). */
struct trade_ring {
	struct trade t[TRADES_KEEP];
	unsigned head, n;
};

void trade_ring_push(struct trade_ring *r, const struct trade *t);
/* i-th most recent (0 = newest); NULL past the end. */
const struct trade *trade_ring_at(const struct trade_ring *r, unsigned i);

struct candle {
	int64_t start_ms; /* interval start */
	dec_t open, high, low, close, volume;
};

#define CANDLES_KEEP 720

struct candle_series {
	int interval_min;        /* 1, 5, 15, 60, ... */
	struct candle c[CANDLES_KEEP]; /* oldest first */
	unsigned n;
	int64_t last_trade_ms;   /* candles built from trades: the newest trade counted */
};

/* Insert or replace the candle with this start time (kept in time order). */
void candle_series_put(struct candle_series *s, const struct candle *c);
/* Build candles from trades, for feeds without a candle channel (Kraken
 * Futures): a trade updates (or opens) the candle of its interval. Trades not
 * newer than the last one counted are ignored, so a repeated snapshot does
 * not count twice. */
void candle_series_add_trade(struct candle_series *s, const struct trade *t);

/* Per-instrument market state. */
struct market {
	struct book book;
	struct ticker ticker;
	struct trade_ring trades;
	struct candle_series candles;
	bool book_subscribed;
	bool stale;              /* feed stopped or checksum failed, until resynced */
	uint32_t checksum_failures;
	uint32_t seq_gaps;
	uint32_t resyncs;
	int64_t book_updated_ms; /* wall ms of the last book message */
};

#endif
