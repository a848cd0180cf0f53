/* state: the one store of everything krakterm knows, for both products.
 *
 * The protocol layer writes into it (instruments, books, tickers, trades,
 * candles, orders, fills, positions, wallets, funding, feed health) and calls
 * the matching state_*_changed / setter so that listeners hear a typed event;
 * the UI and the one-shot commands read it and call intents (core/intent.h).
 * No I/O, no JSON, no curses. Single-threaded, like the loop that feeds it. */
#ifndef KT_CORE_STATE_H
#define KT_CORE_STATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/account.h"
#include "core/feed.h"
#include "core/instrument.h"
#include "core/intent.h"
#include "core/market.h"
#include "core/strmap.h"

enum ev_kind {
	EV_INSTRUMENTS,     /* the instrument list changed */
	EV_BOOK,            /* instr's book changed (or went stale / resynced) */
	EV_TICKER,          /* instr's ticker changed */
	EV_TRADES,          /* instr got trades */
	EV_CANDLES,
	EV_ORDERS,          /* an order changed; ptr = the order */
	EV_FILL,            /* a new fill; ptr = the fill */
	EV_POSITIONS,
	EV_BALANCES,        /* spot wallet */
	EV_FUTURES_ACCOUNT, /* futures wallet */
	EV_ACCOUNT_LOG,     /* new account-log entry (funding, transfers); ptr = entry */
	EV_FUNDING,         /* funding-rate history of instr changed */
	EV_FEED,            /* a feed's health changed; instr = enum feed_id */
	EV_LIMITS,          /* rate-limit counters / REST round-trip changed */
	EV_NOTICE,          /* a message for the user; text set */
	EV_COUNT
};

enum notice_level { NOTICE_INFO, NOTICE_WARN, NOTICE_ERROR };

struct state_event {
	enum ev_kind kind;
	int instr;          /* instrument index, feed id, or -1 */
	enum product product;
	const void *ptr;    /* the changed record, when there is one */
	enum notice_level level;
	const char *text;   /* EV_NOTICE */
};

typedef void (*state_listener)(void *ctx, const struct state_event *ev);

#define FILLS_KEEP 500
#define ACCOUNT_LOG_KEEP 500
#define FUNDING_KEEP 200

struct funding_history {
	struct funding_rate r[FUNDING_KEEP]; /* oldest first */
	unsigned n;
};

struct state {
	/* Instruments and their market data (parallel arrays; market lazily made). */
	struct instrument *instr;
	struct market **market;
	struct funding_history **funding;
	size_t ninstr, cap_instr;
	struct strmap instr_by_id; /* id, rest_id, altname and aliases -> index */

	/* Orders: open ones and the recently closed (bounded). */
	struct order *orders;
	size_t norders, cap_orders;
	struct strmap order_by_id;
	struct strmap order_by_cl;

	struct fill fills[FILLS_KEEP]; /* ring, newest last */
	unsigned fills_head, nfills;

	struct position *pos;
	size_t npos, cap_pos;

	struct balance *bal;
	size_t nbal, cap_bal;

	struct futures_account fut;

	struct account_log_entry alog[ACCOUNT_LOG_KEEP]; /* ring */
	unsigned alog_head, nalog;

	struct feed_status feeds[FEED_COUNT];
	struct rate_limits limits;
	uint32_t rest_rtt_us[PRODUCT_COUNT];
	bool has_keys[PRODUCT_COUNT]; /* private data available for this product */
	/* Dead man's switch: when Kraken will cancel every order (wall ms; 0 = off). */
	int64_t dms_trigger_ms[PRODUCT_COUNT];

	/* Listeners. */
	struct {
		state_listener fn;
		void *ctx;
	} *listeners;
	size_t nlisteners, cap_listeners;

	/* The gateway (protocol layer) that carries out intents. */
	const struct gateway_ops *gw_ops;
	void *gw;
};

void state_init(struct state *st);
void state_free(struct state *st);

void state_listen(struct state *st, state_listener fn, void *ctx);
void state_unlisten(struct state *st, state_listener fn, void *ctx);
void state_emit(struct state *st, const struct state_event *ev);
/* Shorthand: emit an event of `kind` about instr (or -1). */
void state_changed(struct state *st, enum ev_kind kind, int instr);
void state_notice(struct state *st, enum notice_level level, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

void state_set_gateway(struct state *st, const struct gateway_ops *ops, void *gw);

/* Instruments. Adding an existing id replaces its metadata (market data kept).
 * Returns the index. Emits nothing: call state_changed(EV_INSTRUMENTS) after a batch. */
int state_add_instrument(struct state *st, const struct instrument *in);
/* Another name for an instrument (e.g. "XBT/USD", "xbtusd"); case-sensitive. */
void state_alias_instrument(struct state *st, const char *alias, int idx);
int state_find_instrument(const struct state *st, const char *id);
int state_find_instrumentn(const struct state *st, const char *id, size_t len);
static inline const struct instrument *state_instrument(const struct state *st, int idx)
{
	return idx >= 0 && (size_t)idx < st->ninstr ? &st->instr[idx] : NULL;
}
/* The market record of an instrument, created on first use. */
struct market *state_market(struct state *st, int idx);
/* NULL when nothing was received for it yet. */
const struct market *state_market_peek(const struct state *st, int idx);
struct funding_history *state_funding(struct state *st, int idx);

/* Orders. state_order_get returns NULL when unknown; state_order_upsert returns
 * the existing record or a new zeroed one with that id. After changing it call
 * state_order_changed (which indexes cl_id and emits EV_ORDERS). */
struct order *state_order_get(struct state *st, const char *id);
struct order *state_order_by_cl(struct state *st, const char *cl_id);
struct order *state_order_upsert(struct state *st, const char *id);
void state_order_changed(struct state *st, struct order *o);
/* Drop closed orders beyond the newest `keep` closed ones. */
void state_orders_prune(struct state *st, size_t keep);
/* Open orders of an instrument at an exact price and side (own-order overlay). */
dec_t state_open_qty_at(const struct state *st, int instr, enum side side, dec_t price);

/* Fills: ignored when a fill with the same id is already known. Emits EV_FILL. */
void state_add_fill(struct state *st, const struct fill *f);
const struct fill *state_fill_at(const struct state *st, unsigned i); /* 0 = newest */

/* Positions: replace all positions of a product (snapshot semantics). */
void state_set_positions(struct state *st, enum product p, const struct position *pos, size_t n);
const struct position *state_position(const struct state *st, int instr);

/* Spot wallet: replace every line, or update one asset. */
void state_set_balances(struct state *st, const struct balance *b, size_t n);
void state_put_balance(struct state *st, const struct balance *b);
const struct balance *state_balance(const struct state *st, const char *asset);

void state_set_futures_account(struct state *st, const struct futures_account *fa);

/* Account log (dedupe by id). Emits EV_ACCOUNT_LOG. */
void state_add_account_log(struct state *st, const struct account_log_entry *e);
const struct account_log_entry *state_account_log_at(const struct state *st, unsigned i);

/* Feed health. state_feed_msg is cheap (call per message). */
void state_feed_set(struct state *st, enum feed_id f, enum feed_state s, const char *error);
void state_feed_msg(struct state *st, enum feed_id f, int64_t mono_ms);
/* The message just counted by state_feed_msg was data of `channel`: its
 * channel's age is the feed's last message (channels beyond FEED_CHANNELS_MAX
 * are not tracked). */
void state_feed_channel_msg(struct state *st, enum feed_id f, const char *channel);
/* A channel's status, or NULL if it has sent nothing yet. */
const struct feed_channel *state_feed_channel(const struct state *st, enum feed_id f,
					      const char *channel);

#endif
