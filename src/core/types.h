/* types: the vocabulary shared by every layer — products, sides, order types,
 * time in force, trigger signals and statuses. Protocol codecs map Kraken's
 * spellings onto these in one place (src/kraken); the UI prints them. */
#ifndef KT_CORE_TYPES_H
#define KT_CORE_TYPES_H

#include <stdbool.h>
#include <stdint.h>

enum product { PRODUCT_SPOT, PRODUCT_FUTURES, PRODUCT_COUNT };

enum side { SIDE_BUY, SIDE_SELL };

/* One list for both products; not every type exists on both (see
 * order_type_on_product). Futures: lmt = LIMIT, post = LIMIT + post_only,
 * ioc = LIMIT + TIF_IOC, mkt = MARKET, stp = STOP / STOP_LIMIT,
 * take_profit = TAKE_PROFIT / TAKE_PROFIT_LIMIT, trailing_stop = TRAILING_STOP,
 * fok = LIMIT + TIF_FOK. */
enum order_type {
	OT_MARKET,
	OT_LIMIT,
	OT_ICEBERG,
	OT_STOP,              /* spot stop-loss; futures stp without limitPrice */
	OT_STOP_LIMIT,        /* spot stop-loss-limit; futures stp with limitPrice */
	OT_TAKE_PROFIT,
	OT_TAKE_PROFIT_LIMIT,
	OT_TRAILING_STOP,
	OT_TRAILING_STOP_LIMIT,
	OT_SETTLE_POSITION,   /* spot margin only */
	OT_COUNT
};

enum tif { TIF_GTC, TIF_IOC, TIF_GTD, TIF_FOK };

enum trigger_signal { TRIG_LAST, TRIG_MARK, TRIG_INDEX };

enum order_status {
	OS_PENDING,   /* sent, not yet acknowledged */
	OS_UNTRIGGERED, /* a stop/take-profit/trailing order waiting for its trigger */
	OS_OPEN,
	OS_PARTIAL,
	OS_FILLED,
	OS_CANCELLED,
	OS_EXPIRED,
	OS_REJECTED,
};

/* Where money sits. */
enum wallet { WALLET_SPOT, WALLET_FUTURES_FLEX, WALLET_FUTURES_CASH };

/* Instrument kinds. */
enum instr_kind {
	IK_SPOT,
	IK_PERP_LINEAR,   /* PF_ */
	IK_PERP_INVERSE,  /* PI_ */
	IK_FUTURE_LINEAR, /* FF_ (dated) */
	IK_FUTURE_INVERSE /* FI_ (dated) */
};

const char *product_name(enum product p);       /* "spot", "futures" */
const char *side_name(enum side s);             /* "buy", "sell" */
const char *order_type_name(enum order_type t); /* "limit", "stop-limit", ... */
const char *tif_name(enum tif t);               /* "GTC", ... */
const char *trigger_signal_name(enum trigger_signal s); /* "last", "mark", "index" */
const char *order_status_name(enum order_status s);
const char *wallet_name(enum wallet w);         /* "spot", "futures", "futures-cash" */
bool order_status_is_open(enum order_status s);
/* Does this order type exist on this product? */
bool order_type_on_product(enum order_type t, enum product p);
bool order_type_has_limit(enum order_type t);   /* needs a limit price */
bool order_type_has_trigger(enum order_type t); /* needs a trigger price */
bool order_type_is_trailing(enum order_type t);
/* Parse the names above (case-insensitive; also accepts "stop-loss", "stp",
 * "take-profit", "trailing-stop-limit", "lmt", "mkt"). Returns 0 or -1. */
int order_type_parse(const char *s, enum order_type *out);
int side_parse(const char *s, enum side *out);
int tif_parse(const char *s, enum tif *out);
int trigger_signal_parse(const char *s, enum trigger_signal *out);

#endif
