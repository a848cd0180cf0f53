/* spot_ws_codec: Kraken Spot WebSocket v2, without I/O.
 *
 * Decoding: spot_ws_decode() takes one message as received and applies it to
 * the state (books, tickers, trades, candles, instruments, orders, fills,
 * balances), emitting the state's events; what the message was, and anything
 * the session must act on (a book to resync, a response to match, a
 * maintenance notice), is reported in struct spot_ws_msg. Prices and sizes
 * are converted from the JSON number text, never through a double.
 *
 * Books (the hot path): every level of a message is parsed into integer
 * units of the instrument's price_precision / qty_precision first; only a
 * message that parses completely touches the book. Levels are then applied in
 * order (the same level may change twice in one message), each side is cut
 * to the subscribed depth (book.depth; Kraken sends no delete for a level
 * that falls out of range), and the CRC32 checksum of the top 10 levels is
 * verified on every snapshot and update. A mismatch, or a value with more
 * decimals than the precision, marks the market stale, counts it
 * (market->checksum_failures) and asks for a resync (out->resync); updates
 * are ignored until the fresh snapshot verifies, which clears the stale mark.
 * No allocation per message once the scratch arrays have grown.
 *
 * Encoding: builders append one request (subscribe, ping, and the trading
 * methods add_order, amend_order, edit_order, cancel_order, cancel_all,
 * cancel_all_orders_after, batch_add, batch_cancel) to an sbuf, from core
 * requests. Responses are turned into intent results with Kraken's error
 * strings mapped (spot_ws_result). */
#ifndef KT_KRAKEN_SPOT_WS_CODEC_H
#define KT_KRAKEN_SPOT_WS_CODEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/jscan.h"
#include "base/kerr.h"
#include "base/sbuf.h"
#include "core/intent.h"

struct state;
struct instrument;

enum spot_ws_channel {
	SWC_NONE,
	SWC_BOOK,
	SWC_TICKER,
	SWC_TRADE,
	SWC_OHLC,
	SWC_INSTRUMENT,
	SWC_EXECUTIONS,
	SWC_BALANCES,
	SWC_STATUS,
	SWC_HEARTBEAT,
	SWC_COUNT
};

enum spot_ws_method {
	SWM_NONE,
	SWM_SUBSCRIBE,
	SWM_UNSUBSCRIBE,
	SWM_PING, /* the answer is "pong" */
	SWM_ADD_ORDER,
	SWM_AMEND_ORDER,
	SWM_EDIT_ORDER,
	SWM_CANCEL_ORDER,
	SWM_CANCEL_ALL,
	SWM_CANCEL_AFTER, /* cancel_all_orders_after */
	SWM_BATCH_ADD,
	SWM_BATCH_CANCEL,
	SWM_COUNT
};

/* Wire names: "book", "add_order"... ("" for NONE). */
const char *spot_ws_channel_name(enum spot_ws_channel c);
const char *spot_ws_method_name(enum spot_ws_method m);
enum spot_ws_channel spot_ws_channel_parse(const char *s, size_t n);
enum spot_ws_method spot_ws_method_parse(const char *s, size_t n);

/* Order types as WS v2 spells them ("stop-loss-limit"); -1 when unknown. */
const char *spot_ws_order_type_name(enum order_type t);
int spot_ws_order_type_parse(const char *s, size_t n, enum order_type *out);

#define SPOT_WS_BATCH_MAX  15
#define SPOT_WS_RESYNC_MAX 8

struct spot_ws_order_result {
	bool success;
	char order_id[ORDER_ID_MAX];
	char cl_ord_id[ORDER_ID_MAX];
	char error[128];
};

enum spot_ws_kind {
	SWK_NONE,
	SWK_DATA,     /* a channel message: channel, snapshot, instr */
	SWK_ACK,      /* subscribe/unsubscribe answer: channel, symbol, success, error */
	SWK_PONG,     /* answer to ping */
	SWK_RESPONSE, /* answer to a trading method: method, success, error, result fields */
};

/* What one message was and what the session must do about it. */
struct spot_ws_msg {
	enum spot_ws_kind kind;
	enum spot_ws_channel channel;
	enum spot_ws_method method;
	bool snapshot;
	bool has_req_id;
	int64_t req_id;
	bool success;
	char error[160];           /* Kraken's error text (responses, acks) */
	char symbol[INSTR_ID_MAX]; /* acks and book data: the pair */
	int instr;                 /* data about one instrument: its index, else -1 */
	bool ignored;              /* book update while waiting for a snapshot */
	/* Books whose stream must restart with a fresh snapshot. */
	int resync[SPOT_WS_RESYNC_MAX];
	unsigned nresync;
	/* status channel */
	char system[24]; /* "online", "maintenance", "cancel_only", "post_only" */
	uint64_t connection_id;
	/* acks */
	int depth;        /* book ack: the depth */
	int maxratecount; /* executions ack */
	/* private channels */
	int64_t sequence; /* 0 when absent */
	bool seq_gap;     /* a sequence number was skipped: reconcile */
	unsigned orders_changed, fills_added;
	/* trading responses */
	char order_id[ORDER_ID_MAX];
	char cl_ord_id[ORDER_ID_MAX];
	char amend_id[ORDER_ID_MAX];
	char original_order_id[ORDER_ID_MAX];
	int count;
	int64_t current_ms, trigger_ms; /* cancel_all_orders_after */
	struct spot_ws_order_result batch[SPOT_WS_BATCH_MAX];
	unsigned nbatch;
	char warning[128];
};

/* One book level in integer units (decoder scratch). */
struct spot_ws_lvl {
	int64_t px, qty;
	uint8_t side; /* enum side */
};

/* Decoder context: the token array and scratch, reused for every message,
 * and the private channels' last sequence numbers. One per connection. */
struct spot_ws_dec {
	struct jdoc doc;
	struct spot_ws_lvl *lv;
	size_t cap_lv;
	int64_t seq[SWC_COUNT]; /* last sequence per private channel (0 = none yet) */
	uint64_t msgs, book_msgs;
};

void spot_ws_dec_init(struct spot_ws_dec *d);
void spot_ws_dec_free(struct spot_ws_dec *d);
/* A new connection: forget the sequence numbers. */
void spot_ws_dec_reset(struct spot_ws_dec *d);

/* kerr codes of the decoder. */
enum spot_ws_err {
	SPOT_WS_E_JSON = 1,  /* not JSON, or not the expected shape */
	SPOT_WS_E_VALUE,     /* a field has an impossible value */
	SPOT_WS_E_PRECISION, /* a price/size has more decimals than the instrument allows */
	SPOT_WS_E_UNKNOWN,   /* a symbol we know nothing about */
};

/* Decode msg[0..len) and apply it to st. Returns 0, or -1 with err filled
 * when the message is malformed or cannot be applied; the state is then left
 * as it was, except that a book whose data could not be applied is marked
 * stale and listed in out->resync (its stream has a hole now). out is always
 * filled as far as the message could be read. */
int spot_ws_decode(struct spot_ws_dec *d, struct state *st, const char *msg, size_t len,
                   struct spot_ws_msg *out, struct kerr *err);

/* Turn a trading response into the intent result for the order it answers:
 * INTENT_OK with the ids, INTENT_REJECTED with Kraken's error mapped to plain
 * English, or INTENT_UNKNOWN (ref = cl_id) when Kraken says it is busy or
 * unavailable, in which case the order may or may not exist. i selects the
 * batch_add entry (ignored for other methods). */
void spot_ws_result(const struct spot_ws_msg *m, unsigned i, const char *cl_id,
                    struct intent_result *res);
/* The result for a request that got no answer (timeout, connection lost):
 * INTENT_UNKNOWN with ref = cl_id, so the owner reconciles by that id. */
void spot_ws_result_unknown(enum spot_ws_method m, const char *cl_id, const char *why,
                            struct intent_result *res);

/* ---- builders (append one request to b; 0, or -1 with err) ---- */

/* A subscription. Fields that do not apply to the channel are ignored. */
struct spot_ws_sub {
	enum spot_ws_channel channel;
	const char *const *symbols; /* book, ticker, trade, ohlc */
	size_t nsymbols;
	int depth;         /* book: 10, 25, 100, 500, 1000 */
	int interval;      /* ohlc: minutes */
	bool snapshot;     /* sent explicitly for every channel that has it */
	const char *token; /* executions, balances */
	bool bbo_trigger;  /* ticker: event_trigger "bbo" instead of "trades" */
};

int spot_ws_build_subscribe(struct sbuf *b, bool unsubscribe, const struct spot_ws_sub *s,
                            int64_t req_id, struct kerr *err);
void spot_ws_build_ping(struct sbuf *b, int64_t req_id);

enum spot_ws_fee_pref { SWF_NONE, SWF_BASE, SWF_QUOTE };
enum spot_ws_stp { SWS_NONE, SWS_CANCEL_NEWEST, SWS_CANCEL_OLDEST, SWS_CANCEL_BOTH };

/* What add_order takes beyond a core order_req. Zero means "not sent". */
struct spot_ws_order_opts {
	enum spot_ws_fee_pref fee_pref;
	enum spot_ws_stp stp;
	int64_t deadline_ns;   /* absolute wall time; Kraken allows now+0.5 s .. now+60 s */
	int64_t order_userref; /* sent only when cl_id is empty (they are exclusive) */
};

/* add_order for `req` on instrument `in` (all 10 order types). */
int spot_ws_build_add_order(struct sbuf *b, const struct instrument *in,
                            const struct order_req *req, const struct spot_ws_order_opts *o,
                            const char *token, int64_t req_id, struct kerr *err);
/* batch_add: 2..15 orders, all on `in`. */
int spot_ws_build_batch_add(struct sbuf *b, const struct instrument *in,
                            const struct order_req *reqs, size_t n,
                            const struct spot_ws_order_opts *o, const char *token, int64_t req_id,
                            struct kerr *err);
/* amend_order in place. Kraken requires order_qty: `qty` is sent when the
 * request does not change the size (the order's current size). by_cl: the
 * order_id field of a is a client order id. */
int spot_ws_build_amend(struct sbuf *b, const struct amend_req *a, dec_t qty, bool by_cl,
                        bool post_only, int64_t deadline_ns, const char *token, int64_t req_id,
                        struct kerr *err);
/* edit_order (cancel-replace with a new order id) on instrument in. */
int spot_ws_build_edit(struct sbuf *b, const struct instrument *in, const struct amend_req *a,
                       const char *token, int64_t req_id, struct kerr *err);
/* cancel_order of n ids (Kraken answers once per order). by_cl: the ids are
 * client order ids. */
int spot_ws_build_cancel(struct sbuf *b, const char *const *ids, size_t n, bool by_cl,
                         const char *token, int64_t req_id, struct kerr *err);
void spot_ws_build_cancel_all(struct sbuf *b, const char *token, int64_t req_id);
/* timeout_s 0 disarms; must be < 86400. */
int spot_ws_build_cancel_after(struct sbuf *b, int timeout_s, const char *token, int64_t req_id,
                               struct kerr *err);
/* batch_cancel: order ids and client order ids, 2..50 together. */
int spot_ws_build_batch_cancel(struct sbuf *b, const char *const *ids, size_t n,
                               const char *const *cl_ids, size_t ncl, const char *token,
                               int64_t req_id, struct kerr *err);

/* ---- internal to the codec files ---- */

int spot_ws_decode_book(struct spot_ws_dec *d, struct state *st, int item, bool snapshot,
                        struct spot_ws_msg *out, struct kerr *err);
int spot_ws_decode_private(struct spot_ws_dec *d, struct state *st, int root,
                           struct spot_ws_msg *out, struct kerr *err);
int spot_ws_decode_response(struct spot_ws_dec *d, struct state *st, int root,
                            struct spot_ws_msg *out, struct kerr *err);
/* RFC 3339 string token to epoch ms; 0 when absent or malformed. */
int64_t spot_ws_tok_ms(const struct jdoc *d, int tok);
/* Exact decimal of a number token; -1 if absent or not a number. */
int spot_ws_tok_dec(const struct jdoc *d, int tok, dec_t *out);
/* A string token copied into buf (cap bytes); false when absent. */
bool spot_ws_tok_str(const struct jdoc *d, int tok, char *buf, size_t cap);
/* Resolve a WS v2 symbol token to an instrument index (-1 if unknown). */
int spot_ws_tok_instr(const struct jdoc *d, struct state *st, int tok);

#endif
