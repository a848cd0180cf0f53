/* fut_ws_codec: Kraken Futures WebSocket v1, the pure part — request builders
 * and a decoder that applies every feed to the core state (kraken-protocol.md
 * §4; docs/protocol.md "Futures WebSocket v1").
 *
 * No I/O and no clock: fut_ws_decode() takes one whole message, validates ALL
 * of it first and only then writes to the state, so a malformed or truncated
 * message fails with a plain-English error and leaves the state untouched.
 * Numbers (JSON numbers, possibly in exponent form) are converted from their
 * text with jtok_dec, exactly; nothing goes through a double.
 *
 * Public feeds: book (snapshot + one-level deltas, per-product seq: a gap marks
 * the book stale and asks the caller to resubscribe; deltas at or below the
 * applied seq are dropped), ticker, trade, heartbeat. Private feeds (need the
 * challenge fields on subscribe AND unsubscribe): open_orders[_verbose],
 * fills, open_positions, balances, account_log, notifications_auth.
 *
 * Allocation: a codec keeps its token array and scratch arrays across
 * messages; after warm-up a book delta allocates nothing.
 * Lifetime: init/free; the state is borrowed per call. Single-threaded. */
#ifndef KT_KRAKEN_FUT_WS_CODEC_H
#define KT_KRAKEN_FUT_WS_CODEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/jscan.h"
#include "base/kerr.h"
#include "base/sbuf.h"
#include "core/state.h"
#include "net/sign.h"

/* What a message was. */
enum fws_kind {
	FWS_UNKNOWN,   /* valid JSON we do not know (ignored, not an error) */
	FWS_INFO,      /* {"event":"info","version":1} */
	FWS_CHALLENGE, /* text = the challenge to sign */
	FWS_SUBSCRIBED,
	FWS_SUBSCRIBE_FAILED,
	FWS_UNSUBSCRIBED,
	FWS_UNSUBSCRIBE_FAILED,
	FWS_ERROR,     /* {"event":"error","message":...}; text = message */
	FWS_ALERT,     /* {"event":"alert","message":...}; also a notice */
	FWS_HEARTBEAT, /* time_ms = server time */
	FWS_BOOK_SNAPSHOT,
	FWS_BOOK,
	FWS_TICKER,
	FWS_TRADE_SNAPSHOT,
	FWS_TRADE,
	FWS_ORDERS_SNAPSHOT,
	FWS_ORDERS,
	FWS_FILLS_SNAPSHOT,
	FWS_FILLS,
	FWS_POSITIONS,
	FWS_BALANCES_SNAPSHOT,
	FWS_BALANCES,
	FWS_ACCOUNT_LOG_SNAPSHOT,
	FWS_ACCOUNT_LOG,
	FWS_NOTIFICATIONS,
	FWS_KIND_COUNT
};

#define FWS_FEED_MAX 40
#define FWS_TEXT_MAX 256

/* The outcome of one decoded message.
 * instr:   the instrument concerned, or -1 (unknown product: nothing applied).
 * resync:  instr's book just hit a seq gap: resubscribe its book for a snapshot.
 * dropped: a book delta was ignored (seq at/below the applied one, or no
 *          snapshot yet). */
struct fws_msg {
	enum fws_kind kind;
	bool is_private; /* a private feed's data or ack */
	int instr;
	bool resync;
	bool dropped;
	int version;                /* FWS_INFO */
	int64_t time_ms;            /* FWS_HEARTBEAT, ticker/trade/book server time */
	size_t count;               /* records applied (levels, trades, orders, fills...) */
	char feed[FWS_FEED_MAX];    /* "book", "open_orders_verbose"... (acks and data) */
	char product[INSTR_ID_MAX]; /* the first product id of an ack / the data's product */
	char text[FWS_TEXT_MAX];    /* challenge, error, alert or info text */
};

/* kerr codes of this module. */
enum fws_err {
	FWS_E_JSON = 1, /* not valid JSON (e.g. truncated) */
	FWS_E_SHAPE,    /* valid JSON with a missing or ill-typed field */
	FWS_E_NUMBER,   /* a number that is not a decimal we can hold exactly */
	FWS_E_SIGN,     /* the challenge could not be signed (bad secret) */
};

/* A scratch level of a snapshot before it is applied. */
struct fws_level {
	dec_t px, qty;
};

struct fut_ws_codec {
	struct jdoc doc;
	/* Scratch arrays reused across messages (grown, never shrunk). */
	struct fws_level *lv;
	size_t lv_cap;
	void *scratch; /* orders / fills / positions / log entries */
	size_t scratch_cap;
	/* Notification ids already shown (a reconnect re-sends them). */
	int64_t notice_ids[64];
	unsigned notice_head, notice_n;
	/* Counters for the status line and the tests. */
	uint64_t messages, errors, dropped, gaps;
};

void fut_ws_codec_init(struct fut_ws_codec *c);
void fut_ws_codec_free(struct fut_ws_codec *c);

/* Decode one message and apply it to st (emitting the state's events).
 * Returns 0 (out filled; unknown but well-formed messages give FWS_UNKNOWN)
 * or -1 with err filled (FWS_E_*) and st unchanged. */
int fut_ws_decode(struct fut_ws_codec *c, struct state *st, const char *msg, size_t len,
                  struct fws_msg *out, struct kerr *err);

/* ---- requests ---- */

/* Credentials for private feeds, valid for one connection. */
struct fut_ws_auth {
	bool ready;                                  /* a signed challenge is held */
	char challenge[128];                         /* original_challenge */
	char signed_challenge[KRAKEN_SIGN_B64_SIZE]; /* base64 HMAC-SHA512 */
};

/* {"event":"challenge","api_key":"..."} appended to b. */
void fut_ws_req_challenge(struct sbuf *b, const char *api_key);
/* Sign `challenge` with the base64 secret (kraken-protocol.md §4.3) into a.
 * Returns 0, or -1 (FWS_E_SIGN; a left not ready). The secret is not kept. */
int fut_ws_auth_sign(struct fut_ws_auth *a, const char *secret_b64, const char *challenge,
                     struct kerr *err);
void fut_ws_auth_clear(struct fut_ws_auth *a);
/* {"event":"subscribe"|"unsubscribe","feed":..,"product_ids":[..]} appended to b.
 * n == 0 leaves product_ids out. Private feeds need auth (ready) and api_key:
 * they carry api_key, original_challenge and signed_challenge. Returns 0, or
 * -1 when a private feed is asked for without a ready auth. */
int fut_ws_req_sub(struct sbuf *b, bool subscribe, const char *feed, const char *const *products,
                   size_t n, const char *api_key, const struct fut_ws_auth *auth);

/* Is this (request or data) feed name private? "fills_snapshot" counts as fills. */
bool fut_ws_feed_is_private(const char *feed);
const char *fws_kind_name(enum fws_kind k);

#endif
