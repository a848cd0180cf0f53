/* engine: the paper exchange's matching engine. One `struct engine` is the order
 * book of one instrument: price-time priority, every Kraken Spot and Futures
 * order type and flag, triggers on last/mark/index prices, self-trade
 * prevention, amend/edit, conditional close, GTD expiry.
 *
 * Pure and synchronous: no I/O, no clock, no threads, no globals. Prices are
 * int64 counts of the instrument's price unit (scale 1: 61200.5 -> 612005),
 * quantities int64 counts of its quantity unit. The engine only knows "now"
 * from engine_tick(); the server calls it before every request.
 *
 * Everything that happens is reported through ops->on_event, synchronously and
 * in order, while the engine works (see `struct engine_event`). The accounts
 * layer gates orders with ops->admit and settles each fill when its TRADE event
 * arrives; the engine asks ops->position for reduce-only orders after that, so
 * it always sees positions that include every earlier fill.
 *
 * Re-entrancy: inside a callback the queries (engine_order_get, engine_best,
 * engine_depth, ...) and engine_order_tag() may be called; every other call
 * fails with ENGINE_R_BUSY. Order pointers handed to callbacks or returned by
 * queries are valid until the next mutating call (an order is freed right
 * after its CLOSED event). docs/paper-engine.md explains the matching rules. */
#ifndef KT_PAPER_ENGINE_H
#define KT_PAPER_ENGINE_H

#include <stddef.h>
#include <stdint.h>

#include "base/kerr.h"

enum engine_product { ENGINE_SPOT, ENGINE_FUTURES };
enum engine_side { ENGINE_BUY, ENGINE_SELL };

enum engine_type {
	ENGINE_T_NONE = 0, /* only meaningful for `engine_close.type`: no close order */
	ENGINE_T_MARKET,
	ENGINE_T_LIMIT,
	ENGINE_T_ICEBERG,             /* limit showing `display` at a time */
	ENGINE_T_STOP_LOSS,           /* trigger -> market */
	ENGINE_T_TAKE_PROFIT,         /* trigger -> market */
	ENGINE_T_STOP_LOSS_LIMIT,     /* trigger -> limit */
	ENGINE_T_TAKE_PROFIT_LIMIT,   /* trigger -> limit */
	ENGINE_T_TRAILING_STOP,       /* trailing trigger -> market */
	ENGINE_T_TRAILING_STOP_LIMIT, /* trailing trigger -> limit at trigger + limit_off */
	ENGINE_T_COUNT
};

enum engine_tif {
	ENGINE_GTC,
	ENGINE_IOC, /* fill what crosses now, cancel the rest */
	ENGINE_GTD, /* GTC until expire_ns (engine_tick expires it) */
	ENGINE_FOK, /* futures fok: fill the whole quantity at once or cancel */
};

/* Self-trade prevention, decided by the incoming (taker) order's mode. */
enum engine_stp {
	ENGINE_STP_CANCEL_NEWEST = 0, /* default: the incoming order is cancelled */
	ENGINE_STP_CANCEL_OLDEST,     /* the resting order is cancelled, matching goes on */
	ENGINE_STP_CANCEL_BOTH,
	ENGINE_STP_NONE, /* self trades are allowed */
};

enum engine_ref { ENGINE_REF_LAST, ENGINE_REF_MARK, ENGINE_REF_INDEX };
#define ENGINE_REF_COUNT 3

enum engine_status {
	ENGINE_S_NEW,     /* built, not yet admitted (only seen by ops->admit) */
	ENGINE_S_PENDING, /* trigger order waiting for its trigger */
	ENGINE_S_OPEN,    /* live, nothing filled */
	ENGINE_S_PARTIAL, /* live, partly filled */
	ENGINE_S_FILLED,
	ENGINE_S_CANCELLED,
	ENGINE_S_EXPIRED,
	ENGINE_S_REJECTED, /* refused before it was accepted, or when its trigger fired */
};

/* Why an order closed or a request failed (kerr.code of failed calls, and the
 * return value of ops->admit). The accounts layer may return its own codes
 * from ENGINE_R_USER upwards; the engine stores and passes them through. */
enum engine_reason {
	ENGINE_R_NONE = 0,
	/* request errors (the call fails, nothing happens) */
	ENGINE_R_INVALID,        /* malformed request (type/flag combination, enum) */
	ENGINE_R_INVALID_PRICE,  /* missing, non-positive or off-tick price/trigger/offset */
	ENGINE_R_INVALID_SIZE,   /* not a lot multiple, below minimum, too large */
	ENGINE_R_INVALID_EXPIRY, /* GTD expiry not in the future */
	ENGINE_R_NOT_FOUND,
	ENGINE_R_BUSY,             /* mutating call from inside a callback */
	ENGINE_R_QTY_BELOW_FILLED, /* amend/edit to a quantity not above what is filled */
	ENGINE_R_NOT_A_TRIGGER,    /* trigger amend on an order without a pending trigger */
	ENGINE_R_TRAILING_PRICE,   /* a trailing stop's trigger/limit follow the price */
	ENGINE_R_EDIT_UNSUPPORTED, /* edit of a triggered stop or an order with a close */
	/* why an order closed */
	ENGINE_R_FILLED,
	ENGINE_R_USER_CANCEL,
	ENGINE_R_CANCEL_ALL,
	ENGINE_R_DEAD_MAN, /* cancel-all-after fired (given by the server) */
	ENGINE_R_EDITED,   /* replaced by engine_edit */
	ENGINE_R_EXPIRED,
	ENGINE_R_POST_ONLY,        /* post-only order would have taken liquidity */
	ENGINE_R_IOC_REMAINDER,    /* IOC: the part that did not fill at once */
	ENGINE_R_FOK_UNFILLED,     /* FOK: not enough liquidity for the whole order */
	ENGINE_R_NO_LIQUIDITY,     /* market order: nothing (more) on the other side */
	ENGINE_R_PRICE_PROTECTION, /* market order: the next level is beyond the collar */
	ENGINE_R_SELF_TRADE,
	ENGINE_R_WOULD_NOT_REDUCE, /* reduce-only order without a position to reduce */
	/* typical ops->admit answers */
	ENGINE_R_INSUFFICIENT_FUNDS,
	ENGINE_R_MAX_POSITION,
	ENGINE_R_REJECTED, /* anything else */
	ENGINE_R_USER = 1000,
};

/* A price distance: absolute (price units) or relative to a base price, in
 * parts per million (1% = 10000). */
enum engine_offset_unit { ENGINE_OFF_NONE = 0, ENGINE_OFF_PRICE, ENGINE_OFF_PPM };
struct engine_offset {
	int64_t value; /* trailing distances are > 0; limit offsets may have any sign */
	enum engine_offset_unit unit;
};

/* Order flags. */
#define ENGINE_F_POST_ONLY   0x1u /* never take liquidity */
#define ENGINE_F_REDUCE_ONLY 0x2u /* never open or grow a position (see docs) */
#define ENGINE_F_NO_MPP      0x4u /* no market price protection for this order */

/* Spot conditional close: when the parent closes with something filled, a
 * child order of `type` for the filled quantity is placed on the other side.
 * Prices mean what they mean in `struct engine_req`. */
struct engine_close {
	enum engine_type type; /* ENGINE_T_NONE: no close */
	int64_t price;
	int64_t trigger;
	struct engine_offset trail;
	struct engine_offset limit_off;
};

/* A new order. Strings are copied. */
struct engine_req {
	uint32_t account;
	enum engine_side side;
	enum engine_type type;
	enum engine_tif tif;
	enum engine_stp stp;
	enum engine_ref trigger_ref; /* what triggers stop/take-profit/trailing */
	uint32_t flags;              /* ENGINE_F_* */
	int64_t qty;
	int64_t display; /* iceberg only: visible slice (>= qty/15) */
	/* limit price: limit, iceberg and the ...-limit types. Stop/take-profit-limit may give
	 * limit_off instead (futures limitPriceOffset): limit = trigger + offset. */
	int64_t price;
	int64_t trigger;                /* stop/take-profit trigger price */
	struct engine_offset trail;     /* trailing distance from the peak */
	struct engine_offset limit_off; /* trailing-stop-limit: limit = trigger + off */
	int64_t expire_ns;              /* GTD only */
	int32_t userref;
	const char *cl_ord_id; /* NULL or up to 63 chars */
	const char *wire_id;   /* NULL or up to 39 chars: the server's order id */
	void *user;            /* the server's own pointer, never touched */
	struct engine_close close;
};

/* An order as the engine keeps it. Read-only outside the engine. */
struct engine_order {
	uint64_t id;     /* (instrument id << 40) | sequence; never 0 */
	uint64_t parent; /* conditional-close parent or edited order; 0 = none */
	uint32_t account;
	uint32_t flags;
	enum engine_side side;
	enum engine_type type; /* as submitted (stays STOP_LOSS after triggering) */
	enum engine_tif tif;
	enum engine_stp stp;
	enum engine_ref trigger_ref;
	enum engine_status status;
	int reason;      /* enum engine_reason (or an ENGINE_R_USER code) once closed */
	int triggered;   /* a trigger order whose trigger has fired */
	int64_t qty;     /* total quantity (after a reduce-only cut) */
	int64_t filled;  /* cumulative filled quantity */
	int64_t display; /* iceberg slice size, 0 = everything visible */
	int64_t shown;   /* quantity visible in the book now (0 when not resting) */
	int64_t price;   /* limit price; set at trigger time for relative limits */
	int64_t trigger; /* current trigger price (trailing: follows the peak) */
	int64_t peak;    /* trailing: best reference seen since placement (0 = none yet) */
	struct engine_offset trail;
	struct engine_offset limit_off;
	int64_t expire_ns;
	int64_t created_ns;
	int64_t updated_ns;
	uint64_t seq; /* time priority: smaller is earlier */
	int32_t userref;
	char cl_ord_id[64];
	char wire_id[40];
	void *user;
	struct engine_close close;
};

/* Static description of the instrument. */
struct engine_instrument {
	uint32_t id;        /* < 2^24; part of order ids, passed to ops->position */
	const char *symbol; /* copied; for log messages */
	enum engine_product product;
	int64_t tick;    /* price increment, in price units (>= 1) */
	int64_t lot;     /* quantity increment, in quantity units (>= 1) */
	int64_t min_qty; /* smallest order quantity */
	/* Market price protection: market orders stop filling this far (ppm) from
	 * the best price at entry (spot MPP, futures mkt 1% = 10000); 0 = off. */
	uint32_t mkt_collar_ppm;
};

enum engine_ev_kind {
	ENGINE_EV_ACCEPTED, /* the order passed admission and is live (pending or open) */
	ENGINE_EV_TRADE,    /* one fill between a resting maker and the taker */
	ENGINE_EV_UPDATED,  /* see enum engine_update */
	ENGINE_EV_CLOSED,   /* final: order->status / order->reason say why */
	ENGINE_EV_LEVEL,    /* a book level's visible total changed (0 = gone) */
};

enum engine_update {
	ENGINE_UPD_AMENDED,        /* engine_amend changed it in place */
	ENGINE_UPD_TRIGGERED,      /* its trigger fired; it now executes or rests */
	ENGINE_UPD_ICEBERG_REFILL, /* a new slice went to the back of its level */
	ENGINE_UPD_TRAIL_MOVED,    /* a trailing trigger followed the price */
};

struct engine_event {
	enum engine_ev_kind kind;
	int64_t ts_ns; /* engine time (last engine_tick) */
	union {
		/* ACCEPTED, UPDATED, CLOSED. Partial fills are TRADE events: the
		 * orders in them already include the fill. */
		struct {
			const struct engine_order *order;
			enum engine_update what; /* UPDATED only */
		} ord;
		struct {
			const struct engine_order *maker; /* resting order */
			const struct engine_order *taker; /* incoming order */
			uint64_t trade_id;                /* 1, 2, ... per engine */
			int64_t price;                    /* the maker's price */
			int64_t qty;
			enum engine_side aggressor; /* taker's side */
		} trade;
		/* At the end of every call, one per level whose visible total differs
		 * from what it was at the call's start, in order of first change. */
		struct {
			enum engine_side side;
			int64_t price;
			int64_t qty;
		} level;
	};
};

enum engine_admit_phase {
	ENGINE_ADMIT_NEW,     /* engine_submit */
	ENGINE_ADMIT_TRIGGER, /* a trigger order fired and is about to execute */
	ENGINE_ADMIT_AMEND,   /* proposed state of an amended order (same id) */
	ENGINE_ADMIT_EDIT,    /* the replacement; ->parent is the order it replaces */
	ENGINE_ADMIT_CLOSE,   /* a conditional-close child; ->parent is its parent */
};

struct engine_ops {
	/* Every event, synchronously. May be NULL. */
	void (*on_event)(void *ctx, const struct engine_event *ev);
	/* Accept (0) or refuse (a reason) an order before it rests or executes.
	 * NULL accepts everything. */
	int (*admit)(void *ctx, const struct engine_order *o, enum engine_admit_phase phase);
	/* Signed position (quantity units) of `account` in `instrument`; used by
	 * reduce-only orders. NULL means no positions (reduce-only is refused). */
	int64_t (*position)(void *ctx, uint32_t account, uint32_t instrument);
};

/* Result of a submit/amend/edit: the order's state when the call returns. */
struct engine_result {
	uint64_t id; /* the (new) order's id; 0 when the request was refused */
	enum engine_status status;
	int reason;
	int64_t qty;
	int64_t filled;
};

/* A price level in a depth snapshot: visible quantity only. */
struct engine_level {
	int64_t price;
	int64_t qty;
	uint32_t count; /* orders at the level */
};

#define ENGINE_ALL_ACCOUNTS UINT32_MAX

/* Create a book. `meta` is copied; `ops` is copied, `ctx` is passed back. */
struct engine *engine_new(const struct engine_instrument *meta, const struct engine_ops *ops,
                          void *ctx);
/* Free the book and every order in it, without events. The `user` pointers
 * are not touched: walk engine_foreach_order() first if they own memory. */
void engine_free(struct engine *eng);

/* Set the engine time and expire GTD orders whose expiry is <= now. */
void engine_tick(struct engine *eng, int64_t now_ns);
/* Set the mark or index price (or seed the last price); fires triggers. */
int engine_set_reference(struct engine *eng, enum engine_ref ref, int64_t price, struct kerr *err);

/* Check a request without doing anything (the server's `validate`). */
int engine_check(const struct engine *eng, const struct engine_req *req, struct kerr *err);
/* Place an order. Returns 0 when an order was created, whatever then happened
 * to it (accepted, filled, rejected by admit...: see `res` and the events);
 * -1 with err->code an engine_reason when the request is invalid. */
int engine_submit(struct engine *eng, const struct engine_req *req, struct engine_result *res,
                  struct kerr *err);

/* Fields of an amend/edit. */
#define ENGINE_AM_QTY       0x01u /* qty: new total quantity, filled part included */
#define ENGINE_AM_PRICE     0x02u /* limit price */
#define ENGINE_AM_TRIGGER   0x04u /* trigger price (not for trailing stops) */
#define ENGINE_AM_DISPLAY   0x08u /* iceberg slice */
#define ENGINE_AM_TRAIL     0x10u /* trailing distance */
#define ENGINE_AM_LIMIT_OFF 0x20u /* trailing-stop-limit offset */
#define ENGINE_AM_POST_ONLY                                                                        \
	0x40u /* amend: refuse a price change that would take;                                     \
	       * edit: the new order is post-only */
struct engine_amend {
	uint32_t fields;
	int64_t qty;
	int64_t price;
	int64_t trigger;
	int64_t display;
	struct engine_offset trail;
	struct engine_offset limit_off;
};

/* AmendOrder / futures editorder: change the order in place, same id. Keeps
 * queue priority when only the quantity (or iceberg slice) goes down; a price
 * change or a larger quantity sends it to the back (a new price may take).
 * -1 with err->code a reason when refused; the order is then unchanged. */
int engine_amend(struct engine *eng, uint64_t id, const struct engine_amend *a,
                 struct engine_result *res, struct kerr *err);
/* Spot EditOrder: cancel `id` (reason ENGINE_R_EDITED) and place a new order
 * with the changes and a new id (res->id; its ->parent is the old id). */
int engine_edit(struct engine *eng, uint64_t id, const struct engine_amend *a,
                struct engine_result *res, struct kerr *err);
/* Cancel one live order with `why` (ENGINE_R_USER_CANCEL, ENGINE_R_DEAD_MAN...). */
int engine_cancel(struct engine *eng, uint64_t id, int why, struct kerr *err);
/* Cancel every live order of `account` (ENGINE_ALL_ACCOUNTS: everyone's);
 * returns how many, or -1 when busy. */
int engine_cancel_all(struct engine *eng, uint32_t account, int why);

/* Attach the server's wire id and/or pointer to an order (NULL leaves a field
 * as it is). Allowed inside callbacks: use it for orders the engine created
 * itself (conditional-close children). */
int engine_order_tag(struct engine *eng, uint64_t id, const char *wire_id, void *user);

/* Queries. */
const struct engine_order *engine_order_get(const struct engine *eng, uint64_t id);
/* Calls fn for every live order of `account`, newest first (ENGINE_ALL_ACCOUNTS:
 * every order, in no particular order). fn must not change the engine. */
void engine_foreach_order(const struct engine *eng, uint32_t account,
                          void (*fn)(void *arg, const struct engine_order *o), void *arg);
size_t engine_order_count(const struct engine *eng);
/* Best level of a side: 0, or -1 when that side is empty. */
int engine_best(const struct engine *eng, enum engine_side side, int64_t *price, int64_t *qty);
/* Up to n levels of `side`, best first; returns how many were written. */
size_t engine_depth(const struct engine *eng, enum engine_side side, struct engine_level *out,
                    size_t n);
size_t engine_level_count(const struct engine *eng, enum engine_side side);
/* A reference price: 0, or -1 when none is known yet. */
int engine_reference(const struct engine *eng, enum engine_ref ref, int64_t *price);
const struct engine_instrument *engine_instrument(const struct engine *eng);

/* Names for logs and the protocol server. */
const char *engine_reason_str(int reason);
const char *engine_type_str(enum engine_type t);
const char *engine_status_str(enum engine_status s);

#endif
