/* px: the paper exchange's hub. It owns the instruments, one matching engine per
 * instrument (paper/engine.h), the accounts (keys, Spot wallets with holds, Spot
 * margin positions, Futures wallets and positions), the order registry with
 * Kraken-style wire ids, fills, ledgers and the futures account log, transfers,
 * cancel-all-after timers, market data (depth, trades, OHLC, 24h tickers, mark and
 * index prices) and an event stream.
 *
 * The protocol adapters (Spot REST, Spot WS v2, Futures REST, Futures WS v1) are
 * thin: they parse Kraken's requests, call px, and render px records in Kraken's
 * shapes. All validation (ticks, lots, minimums, funds, client ids, deadlines) is
 * done here, so every protocol refuses the same things for the same reasons.
 *
 * Money at this boundary is dec_t (base/dec.h), never double. Inside, prices and
 * quantities are integer units of the instrument (see paper/instruments.h) and
 * balances integer units of the asset's decimals.
 *
 * Accounts: 0 is "the market" (simulated participants: infinite funds, no holds, no
 * history; only its resting orders are saved); users are 1..n. Every account has a
 * Spot key pair and a Futures key pair (paper/auth.h checks requests against them).
 *
 * Time: px never reads a clock. px_tick(now) sets the time and runs everything due
 * (cancel-all-after, scheduled starts, GTD expiry); the server calls it every 50 ms
 * and before every request; tests drive it by hand.
 *
 * Results: functions return 0 or -1 with err->code one of `enum px_code` (which
 * includes the engine's reasons) and err->msg a plain-English cause; adapters map
 * codes to Kraken's strings. Records handed out (struct px_order, px_fill, ...) are
 * owned by px and valid until the next mutating px call.
 *
 * Events: px_listen() callbacks run synchronously while px works, after px has
 * updated its own state (a FILL event sees the balances after the fill). A listener
 * may call px's query functions but no mutating function (those fail with
 * PX_E_BUSY). Keep listeners cheap: the market simulator pushes 100k+ book changes
 * per second through them.
 *
 * Single-threaded: everything runs on the loop's thread. */
/* px API: stable */
#ifndef KT_PAPER_PX_H
#define KT_PAPER_PX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/dec.h"
#include "base/kerr.h"
#include "paper/engine.h"
#include "paper/instruments.h"

struct px;

#define PX_MARKET 0u /* account id of the simulated market */
#define PX_ID_MAX 40 /* wire ids: Spot "OQCLML-BW3P3-BUCMWZ", Futures UUIDs */
#define PX_CLID_MAX 104 /* client order ids: Spot <= 36 chars, Futures <= 100 */

/* ---- error / reason codes ---- */

/* err->code of failed px calls and px_order.reason of closed orders: any
 * enum engine_reason, or one of these. */
enum px_code {
	PX_OK = 0,
	PX_E_UNKNOWN_ACCOUNT = ENGINE_R_USER,
	PX_E_UNKNOWN_INSTR,  /* no such pair/symbol, or wrong product */
	PX_E_UNKNOWN_ORDER,  /* no such order for this account */
	PX_E_ORDER_CLOSED,   /* the order exists but is no longer open (px_order_find has it) */
	PX_E_DUP_CLIENT_ID,  /* cl_ord_id/cliOrdId already used by an open order */
	PX_E_BAD_CLIENT_ID,  /* not a valid client id for the product */
	PX_E_CLIENT_ID_LONG, /* Futures cliOrdId longer than 100 chars */
	PX_E_INVALID,        /* invalid argument; err->msg names it (field in px_err_field) */
	PX_E_TICK,           /* price not a multiple of the tick size */
	PX_E_LOT,            /* quantity has more decimals than the lot allows */
	PX_E_ORDER_MIN,      /* quantity below the order minimum */
	PX_E_COST_MIN,       /* cost (qty * price) below the pair's costmin */
	PX_E_PRICE,          /* price not positive / out of range */
	PX_E_DEADLINE,       /* deadline / processBefore already passed */
	PX_E_LEVERAGE,       /* leverage not offered for the pair and side */
	PX_E_MARGIN,         /* not enough margin (Spot "Margin level too low") */
	PX_E_NO_PRICE,       /* a relative price or a market buy needs a price nobody knows */
	PX_E_BUSY,           /* mutating call from inside a px listener */
	PX_E_TOO_MANY,       /* open order limit for the pair reached */
	PX_E_WALLET,         /* unknown wallet name */
	PX_E_ASSET,          /* unknown or unsupported asset */
	PX_E_AMOUNT,         /* amount not positive / too many decimals */
	PX_E_MAX_LEVERAGE,   /* Futures maxLeverage above what the instrument allows */
	PX_E_MARKET_CLOSED,  /* the instrument no longer trades (dated future expired) */
	PX_E_KEY,            /* unknown API key */
	PX_E_NOT_SUPPORTED,  /* e.g. EditOrder of an order with a conditional close */
};

/* Stable name of a code ("insufficient_funds", "unknown_order"...), for logs. */
const char *px_code_str(int code);

/* ---- lifecycle and time ---- */

struct px_opts {
	int64_t now_ns;       /* initial time (ns since the epoch) */
	int64_t listing_ns;   /* instrument listing time (dated expiry); 0 = now_ns */
	uint64_t id_seed;     /* seed of the wire-id generator; 0 = random */
	size_t closed_keep;   /* closed orders kept per account and product (2000) */
	size_t fills_keep;    /* fills kept per account and product (5000) */
	size_t ledger_keep;   /* Spot ledger entries kept per account (10000) */
	size_t alog_keep;     /* Futures account-log entries kept per account (10000) */
	size_t trades_keep;   /* public trades kept per instrument (1000) */
	size_t max_open;      /* open orders per account and instrument (225) */
};

/* Create an empty exchange: instruments, engines seeded with each instrument's
 * reference price as the last price, no accounts but the market (0). */
struct px *px_new(const struct px_opts *opts);
/* Free everything (secrets wiped). NULL is fine. */
void px_free(struct px *px);
/* Remove every account, order and record (engines emptied); emits PX_EV_RESET. */
void px_reset(struct px *px);

/* Set the time (engines expire GTD orders) without running px's own timers. */
void px_set_time(struct px *px, int64_t now_ns);
/* Set the time and run everything due: cancel-all-after deadlines, scheduled
 * starts (spot starttm), GTD expiry. Never goes backwards. */
void px_tick(struct px *px, int64_t now_ns);
int64_t px_now(const struct px *px);
/* When the next px-level timer is due (cancel-after, start time); INT64_MAX if none. */
int64_t px_next_due(const struct px *px);

/* Durable state changed since px_clear_dirty (persist before acknowledging!).
 * Changes that only concern the market account do not set it. The hook (may be
 * NULL) is called when the flag goes from clear to set. */
bool px_dirty(const struct px *px);
/* Only nonce high-water marks moved (not in px_dirty, no hook): they are saved
 * lazily, since losing one to a crash only lets a request that was already
 * answered be accepted again. since_ns: px time of the first such move. */
bool px_nonce_dirty(const struct px *px, int64_t *since_ns);
/* Clears both flags (a save writes everything). */
void px_clear_dirty(struct px *px);
void px_set_dirty_hook(struct px *px, void (*fn)(void *ctx), void *ctx);

/* ---- instruments and assets ---- */

const struct px_instruments *px_instruments(const struct px *px);
/* See instruments_find / instruments_asset; product < 0 = either. */
const struct px_instr *px_instr_find(const struct px *px, int product, const char *name);
const struct px_instr *px_instr_get(const struct px *px, uint32_t id);
const struct px_asset *px_asset_find(const struct px *px, const char *name);
const struct px_asset *px_asset(const struct px *px, int idx);

/* ---- accounts and keys ---- */

struct px_keys {
	char spot_key[64];     /* 56 chars, like Kraken's */
	char spot_secret[96];  /* base64 of 64 random bytes (88 chars) */
	char fut_key[64];
	char fut_secret[96];
};

struct px_account_init {
	dec_t spot[PX_A_COUNT];     /* starting Spot balances (zero = none) */
	dec_t fut_flex[PX_A_COUNT]; /* starting Futures flex collateral */
	const struct px_keys *keys; /* NULL: generate new keys */
};

/* Create user account n+1 (ids are never reused). Returns 0 and *id, or -1. */
int px_account_create(struct px *px, const struct px_account_init *init, uint32_t *id,
		      struct kerr *err);
/* Number of user accounts (ids 1..n). */
uint32_t px_account_count(const struct px *px);
bool px_account_exists(const struct px *px, uint32_t acct);
const struct px_keys *px_account_keys(const struct px *px, uint32_t acct);
/* Account owning an API key of `product` (PX_SPOT / PX_FUTURES), or 0 if none. */
uint32_t px_account_by_key(const struct px *px, int product, const char *api_key);
/* Highest nonce accepted so far for the account's key of `product` (auth.c). */
uint64_t px_nonce_get(const struct px *px, uint32_t acct, int product);
void px_nonce_set(struct px *px, uint32_t acct, int product, uint64_t nonce);

/* ---- prices as requests give them ---- */

/* A price as written in a request: absolute ("61200.5"), or relative to the last
 * trade ("+50", "-1.5%", "#20"), or an offset ("+50" trailing distance, "-0.5%"
 * limit offset). Which modes a field accepts is in struct px_place. */
enum px_price_mode {
	PX_P_NONE = 0, /* not given */
	PX_P_ABS,      /* v */
	PX_P_PLUS,     /* +v (or +v%) */
	PX_P_MINUS,    /* -v (or -v%) */
	PX_P_AUTO,     /* #v: sign from side and order type (the non-executing side) */
};
struct px_price {
	enum px_price_mode mode;
	bool pct; /* v is a percentage */
	dec_t v;  /* >= 0 */
};
/* Parse Spot REST text: "61200.5", "+50", "-1.5%", "#20", "+0". 0 or -1. */
int px_price_parse(const char *s, struct px_price *out, struct kerr *err);
static inline struct px_price px_price_abs(dec_t v)
{
	return (struct px_price){PX_P_ABS, false, v};
}
/* Signed offset (futures limitPriceOffsetValue, trailing deviation): v < 0 -> MINUS. */
struct px_price px_price_offset(dec_t v, bool pct);

/* ---- orders ---- */

/* Order option flags (struct px_place.oflags, px_order.oflags). */
#define PX_O_VIQC      0x01u /* spot market buy: qty is in quote currency */
#define PX_O_FEE_BASE  0x02u /* fcib: fee in base currency */
#define PX_O_FEE_QUOTE 0x04u /* fciq: fee in quote currency (the default) */
#define PX_O_VALIDATE  0x08u /* check everything, place nothing */
#define PX_O_LIQUIDATION 0x10u /* futures: an order of the liquidation engine */

/* Spot conditional close (placed for the filled quantity when the parent fills).
 * Fields mean what they mean in struct px_place; only absolute prices and offsets. */
struct px_close_req {
	enum engine_type type; /* ENGINE_T_NONE: no close */
	struct px_price price, trigger, trail, limit_off;
};

/* A new order. Price fields by meaning (adapters map Kraken's price/price2 with
 * px_spot_prices):
 *   price     limit price of limit, iceberg and *-limit types; ABS, or PLUS/MINUS/
 *             AUTO relative to the last trade (pct allowed)
 *   trigger   stop/take-profit trigger; same modes as price
 *   trail     trailing types: distance from the peak, ABS or PLUS (pct allowed)
 *   limit_off trailing-stop-limit (and stop-limit via futures limitPriceOffset):
 *             limit = trigger +/- offset; PLUS/MINUS (ABS = PLUS), pct allowed */
struct px_place {
	uint32_t account;
	const struct px_instr *instr;
	enum engine_side side;
	enum engine_type type;
	enum engine_tif tif;
	enum engine_stp stp;
	enum engine_ref trigger_ref; /* last (default), mark (futures), index */
	uint32_t eflags;             /* ENGINE_F_POST_ONLY | _REDUCE_ONLY | _NO_MPP */
	uint32_t oflags;             /* PX_O_* */
	dec_t qty;                   /* base units / contracts (viqc: quote units) */
	dec_t display;               /* iceberg visible slice */
	struct px_price price, trigger, trail, limit_off;
	int leverage;         /* spot margin: 0 = none, else one of the pair's levels */
	int64_t start_ns;     /* spot starttm: 0 = now */
	int64_t expire_ns;    /* GTD expiry */
	int64_t deadline_ns;  /* refuse with PX_E_DEADLINE when now > deadline (0 = none) */
	int32_t userref;
	const char *cl_ord_id; /* NULL/"" = none */
	struct px_close_req close;
};

/* Map Spot REST's `price`/`price2` onto px_place fields according to req->type:
 * limit/iceberg: price; stop-loss/take-profit: trigger; *-limit: trigger + price2 as
 * limit; trailing-stop: trail; trailing-stop-limit: trail + price2 as limit_off.
 * Same for the conditional close when `close` is non-NULL. */
void px_spot_prices(enum engine_type type, const struct px_price *price,
		    const struct px_price *price2, struct px_price *out_price,
		    struct px_price *out_trigger, struct px_price *out_trail,
		    struct px_price *out_limit_off);

/* One entry of an order's amend history (Spot OrderAmends). */
enum px_amend_kind { PX_AMEND_ORIGINAL, PX_AMEND_USER, PX_AMEND_RESTATED };
struct px_amend_rec {
	char amend_id[PX_ID_MAX];
	enum px_amend_kind kind;
	dec_t qty, display, price, trigger;
	bool post_only;
	int reason; /* restated: why (e.g. ENGINE_R_WOULD_NOT_REDUCE cut) */
	int64_t ts_ns;
};

/* An order (open or closed). Read-only; owned by px. */
struct px_order {
	char id[PX_ID_MAX]; /* Spot txid / Futures order_id (UUID) */
	char cl_ord_id[PX_CLID_MAX];
	int32_t userref;
	uint32_t account;
	const struct px_instr *instr;
	enum engine_side side;
	enum engine_type type; /* as placed (a fired stop-loss stays STOP_LOSS) */
	enum engine_tif tif;
	enum engine_stp stp;
	enum engine_ref trigger_ref;
	uint32_t eflags, oflags;
	enum engine_status status; /* PENDING = trigger waiting; OPEN/PARTIAL live */
	int reason;                /* once closed: enum engine_reason / px_code */
	bool scheduled;            /* spot starttm in the future: not in the book yet */
	bool triggered;            /* a trigger order whose trigger fired */
	bool amended;              /* amended at least once (misc "amended") */
	bool restored;             /* loaded from the state file */
	dec_t qty;                 /* total quantity (viqc: the base quantity bought) */
	dec_t qty_quote;           /* viqc: the quote amount asked for; else 0 */
	dec_t filled;
	dec_t display;             /* iceberg slice, 0 = none */
	dec_t price;               /* limit price (0 if none; set when a relative limit fires) */
	dec_t trigger;             /* current trigger price (0 if none) */
	struct px_price trail, limit_off; /* as given */
	dec_t cost;                /* sum of fill costs (quote / USD) */
	dec_t fee;                 /* sum of fees, in fee_asset */
	dec_t avg_price;           /* cost-weighted average fill price (0 if no fill) */
	int fee_asset;             /* asset index */
	int leverage;              /* spot margin leverage, 0 = none */
	int64_t open_ns, start_ns, expire_ns, close_ns, update_ns;
	char parent_id[PX_ID_MAX]; /* EditOrder: the replaced order; close child: parent */
	struct px_close_req close;
	const struct px_amend_rec *amends; /* history, oldest first (original included) */
	size_t namends;
	uint64_t seq; /* placement order across px */
};

/* Whether an order is live (in the book, waiting for a trigger or its start). */
bool px_order_is_open(const struct px_order *o);

struct px_result {
	const struct px_order *order; /* the order, or NULL when none was created */
	char id[PX_ID_MAX];           /* its id ("" if none) */
	char orig_id[PX_ID_MAX];      /* px_edit: the replaced order */
	char amend_id[PX_ID_MAX];     /* px_amend: the new amend record */
	enum engine_status status;    /* the order's status when the call returned */
	int reason;                   /* why it closed (if it did) */
	dec_t filled;                 /* filled by this call */
};

/* Place an order. Returns 0 when an order was created, whatever then happened to
 * it (see res->status / res->reason: post-only cancelled, IOC remainder...), and
 * also for PX_O_VALIDATE (res->order NULL). Returns -1 with err->code when the
 * request was refused before an order existed: validation (PX_E_TICK, ...),
 * ENGINE_R_INSUFFICIENT_FUNDS, PX_E_MARGIN, ENGINE_R_WOULD_NOT_REDUCE, ... */
int px_place(struct px *px, const struct px_place *req, struct px_result *res,
	     struct kerr *err);

/* Amend (in place, same id: Spot AmendOrder, WS amend_order, Futures editorder) or
 * edit (Spot EditOrder: replaced by a new order). `fields` are ENGINE_AM_* bits. */
struct px_amend {
	uint32_t account;
	int product;           /* PX_SPOT / PX_FUTURES (for cl_ord_id lookups) */
	const char *id;        /* order id, or NULL */
	const char *cl_ord_id; /* or client id */
	uint32_t fields;
	dec_t qty; /* new total quantity, filled part included */
	dec_t display;
	struct px_price price, trigger, trail, limit_off; /* relative allowed for price/trigger */
	bool post_only; /* ENGINE_AM_POST_ONLY */
	int64_t deadline_ns;
	uint32_t oflags;      /* px_edit: PX_O_VALIDATE */
	bool set_userref;     /* px_edit: new userref */
	int32_t userref;
};
int px_amend(struct px *px, const struct px_amend *a, struct px_result *res, struct kerr *err);
int px_edit(struct px *px, const struct px_amend *a, struct px_result *res, struct kerr *err);

/* Cancel one open order by id / by client id (-1: PX_E_UNKNOWN_ORDER, or
 * PX_E_ORDER_CLOSED when it exists but is closed). */
int px_cancel(struct px *px, uint32_t acct, const char *id, struct kerr *err);
int px_cancel_cl(struct px *px, uint32_t acct, int product, const char *cl_ord_id,
		 struct kerr *err);
/* Cancel every open order of the account with this userref (spot); returns how many.
 * fn (may be NULL) is called with each order after it was cancelled. */
int px_cancel_userref(struct px *px, uint32_t acct, int32_t userref,
		      void (*fn)(void *arg, const struct px_order *o), void *arg);
/* Cancel all open orders of a product (instr NULL = every instrument), with reason
 * `why` (ENGINE_R_CANCEL_ALL, ENGINE_R_DEAD_MAN); returns how many. */
int px_cancel_all(struct px *px, uint32_t acct, int product, const struct px_instr *instr,
		  int why, void (*fn)(void *arg, const struct px_order *o), void *arg);

/* Dead man's switch: cancel all `product` orders of acct at now + timeout_s unless
 * called again; 0 turns it off. *trigger_ns gets the deadline (0 when off). */
int px_cancel_after(struct px *px, uint32_t acct, int product, int64_t timeout_s,
		    int64_t *trigger_ns, struct kerr *err);

/* ---- order, fill, ledger and log queries ---- */

/* Any order of the account by wire id (open, or closed and still kept); NULL if none. */
const struct px_order *px_order_find(const struct px *px, uint32_t acct, const char *id);
/* By client id: the open order with it, else the most recent closed one; NULL if none. */
const struct px_order *px_order_find_cl(const struct px *px, uint32_t acct, int product,
					const char *cl_ord_id);

/* Filters of the list queries. Zero-initialise and set what you need. Times:
 * start_ns < t <= end_ns (0 = unbounded). Results come newest first unless
 * `ascending`; `ofs` matches are skipped, then at most `limit` (0 = all) passed to
 * fn. The functions return the total number of matches (before ofs/limit). */
struct px_filter {
	int product;                  /* PX_SPOT / PX_FUTURES; -1 = both */
	const struct px_instr *instr; /* NULL = all */
	int64_t start_ns, end_ns;
	bool by_close;     /* closed orders: filter on close time (else open time) */
	bool has_userref;
	int32_t userref;
	const char *cl_ord_id; /* exact match */
	const char *order_id;  /* fills of one order */
	int asset;             /* ledgers: asset index; -1 = all (set it!) */
	uint32_t type_mask;    /* ledgers: 1u << enum px_ledger_type; 0 = all */
	uint64_t from_id, to_id; /* account log: from_id <= id <= to_id (0 = unbounded) */
	bool ascending;
	size_t ofs, limit;
};
/* A filter that matches everything of a product (asset -1). */
struct px_filter px_filter_all(int product);

size_t px_open_orders(const struct px *px, uint32_t acct, const struct px_filter *f,
		      void (*fn)(void *arg, const struct px_order *o), void *arg);
size_t px_closed_orders(const struct px *px, uint32_t acct, const struct px_filter *f,
			void (*fn)(void *arg, const struct px_order *o), void *arg);

/* A fill of one of the account's orders (Spot trade / Futures fill). */
enum px_pos_effect { PX_POS_NONE, PX_POS_OPEN, PX_POS_CLOSE }; /* spot margin */
struct px_fill {
	char id[PX_ID_MAX];       /* Spot trade id "TXXXXX-XXXXX-XXXXXX" / Futures fill_id */
	char order_id[PX_ID_MAX];
	char cl_ord_id[PX_CLID_MAX];
	char pos_id[PX_ID_MAX];   /* spot margin position (postxid), "" if none */
	uint32_t account;
	const struct px_instr *instr;
	enum engine_side side;
	enum engine_type order_type;
	bool maker;
	bool liquidation;
	dec_t price, qty;
	dec_t cost;      /* qty * price in quote (futures: USD notional; inverse: qty contracts) */
	dec_t fee;       /* in fee_asset */
	int fee_asset;
	dec_t margin;    /* spot margin: margin used by the opening part */
	int leverage;
	enum px_pos_effect pos_effect;
	dec_t realized_pnl; /* futures / spot margin close: PnL realized by this fill */
	dec_t remaining;    /* order quantity left after this fill */
	uint64_t trade_id;  /* public trade id (per instrument) */
	char ledger_ids[2][PX_ID_MAX]; /* spot: the two ledger entries (quote, base) */
	int64_t ts_ns;
};
size_t px_fills(const struct px *px, uint32_t acct, const struct px_filter *f,
		void (*fn)(void *arg, const struct px_fill *fl), void *arg);
/* A fill by id (spot trade id / futures fill id), or NULL. */
const struct px_fill *px_fill_find(const struct px *px, uint32_t acct, const char *id);

enum px_ledger_type {
	PX_L_TRADE,
	PX_L_MARGIN,
	PX_L_TRANSFER,
	PX_L_ROLLOVER,
	PX_L_DEPOSIT,
	PX_L_WITHDRAWAL,
	PX_L_ADJUSTMENT,
	PX_L_SETTLED,
	PX_L_COUNT
};
const char *px_ledger_type_str(enum px_ledger_type t); /* "trade", "margin", ... */

struct px_ledger {
	char id[PX_ID_MAX];    /* "LXXXXX-XXXXX-XXXXXX" */
	char refid[PX_ID_MAX]; /* trade id, transfer refid, ... */
	int64_t ts_ns;
	enum px_ledger_type type;
	char subtype[24]; /* "", "spottofutures", "spotfromfutures" */
	int asset;
	dec_t amount; /* signed change of balance, before the fee */
	dec_t fee;
	dec_t balance; /* after */
};
size_t px_ledgers(const struct px *px, uint32_t acct, const struct px_filter *f,
		  void (*fn)(void *arg, const struct px_ledger *l), void *arg);
const struct px_ledger *px_ledger_find(const struct px *px, uint32_t acct, const char *id);

/* Futures account log entry. Optional numbers are present when their PX_AL_* bit is
 * set in `has`. */
#define PX_AL_OLD_BALANCE   0x0001u
#define PX_AL_NEW_BALANCE   0x0002u
#define PX_AL_OLD_ENTRY     0x0004u
#define PX_AL_NEW_ENTRY     0x0008u
#define PX_AL_TRADE_PRICE   0x0010u
#define PX_AL_MARK_PRICE    0x0020u
#define PX_AL_REALIZED_PNL  0x0040u
#define PX_AL_FEE           0x0080u
#define PX_AL_FUNDING_RATE  0x0100u
#define PX_AL_REAL_FUNDING  0x0200u
#define PX_AL_LIQ_FEE       0x0400u
struct px_alog {
	uint64_t id; /* 1, 2, ... per account */
	int64_t ts_ns;
	char asset[8];          /* lower case: "usd", "xbt" */
	char info[40];          /* "futures trade", "funding rate change", "transfer", ... */
	char booking_uid[PX_ID_MAX];
	char margin_account[24]; /* "flex", "f-xbt:usd", "cash" */
	char contract[32];       /* symbol, "" if none */
	char execution[PX_ID_MAX]; /* fill id */
	char collateral[8];      /* "USD", "" if none */
	uint32_t has;
	dec_t old_balance, new_balance;
	dec_t old_avg_entry, new_avg_entry;
	dec_t trade_price, mark_price, realized_pnl, fee;
	dec_t funding_rate, realized_funding, liquidation_fee;
};
/* Append an entry (id and ts_ns are assigned when 0); emits PX_EV_ALOG. For the
 * funding and liquidation code. Does not move any balance. */
int px_alog_append(struct px *px, uint32_t acct, struct px_alog *e, struct kerr *err);
size_t px_alogs(const struct px *px, uint32_t acct, const struct px_filter *f,
		void (*fn)(void *arg, const struct px_alog *e), void *arg);

/* ---- Spot wallet and margin ---- */

struct px_balance {
	dec_t balance, hold_trade, credit, credit_used; /* at the asset's decimals */
	dec_t available; /* balance + credit - credit_used - hold_trade */
};
int px_spot_balance(const struct px *px, uint32_t acct, int asset, struct px_balance *out);
/* Every asset the account ever held (zero balances included), in asset order. */
void px_spot_balances(const struct px *px, uint32_t acct,
		      void (*fn)(void *arg, int asset, const struct px_balance *b), void *arg);

/* TradeBalance, valued in `asset` (ZUSD by default). ml is only meaningful when
 * has_ml (open margin positions). */
struct px_trade_balance {
	dec_t eb, tb, m, n, c, v, e, mf, ml, uv;
	bool has_ml;
};
int px_spot_trade_balance(const struct px *px, uint32_t acct, int asset,
			  struct px_trade_balance *out, struct kerr *err);

/* One open spot margin position (OpenPositions); one per account and pair. */
struct px_margin_pos {
	char id[PX_ID_MAX];       /* position txid */
	char ordertxid[PX_ID_MAX]; /* order that opened it */
	const struct px_instr *instr;
	enum engine_side side;    /* "type" */
	int64_t open_ns;
	dec_t cost;       /* opening cost of vol (quote) */
	dec_t fee;        /* opening fees (quote) */
	dec_t vol;        /* volume opened */
	dec_t vol_closed; /* volume closed */
	dec_t margin;     /* quote held as margin for the open part */
	dec_t value;      /* open part at the current price */
	dec_t net;        /* unrealized PnL of the open part */
	dec_t avg_price;
	int leverage;
	int64_t rollover_ns;
};
void px_margin_positions(const struct px *px, uint32_t acct,
			 void (*fn)(void *arg, const struct px_margin_pos *p), void *arg);

/* ---- Futures ---- */

enum px_wallet { PX_W_SPOT, PX_W_CASH, PX_W_FLEX, PX_W_INVERSE };
/* "cash", "flex", "fi_xbtusd"/"f-xbt:usd" (PX_W_INVERSE), "spot" ("Spot Wallet");
 * -1 if unknown. */
int px_wallet_parse(const char *name);
const char *px_wallet_name(enum px_wallet w); /* "spot", "cash", "flex", "fi_xbtusd" */

struct px_fut_currency {
	int asset;
	dec_t quantity;   /* held */
	dec_t value;      /* quantity in USD */
	dec_t collateral; /* value * (1 - haircut) */
	dec_t available;  /* what can be withdrawn/transferred now (quantity units) */
	dec_t haircut;
};
struct px_fut_flex {
	struct px_fut_currency cur[PX_A_COUNT]; /* ncur entries: USD first, then non-zero ones */
	size_t ncur;
	dec_t balance_value;     /* sum of values */
	dec_t collateral_value;  /* sum of collateral */
	dec_t pnl;               /* unrealized PnL of cross positions */
	dec_t unrealized_funding;
	dec_t total_unrealized;  /* pnl + unrealized funding (cross) */
	dec_t total_unrealized_as_margin;
	dec_t portfolio_value;   /* balance_value + total_unrealized */
	dec_t margin_equity;     /* collateral_value + total_unrealized_as_margin */
	dec_t initial_margin;    /* cross positions */
	dec_t initial_margin_with_orders;
	dec_t maintenance_margin;
	dec_t isolated_margin;   /* margin allocated to isolated positions */
	dec_t isolated_pnl;
	dec_t available_margin;  /* margin_equity - im_with_orders - isolated_margin */
};
/* The inverse margin account (fi_xbtusd; amounts in XBT). */
struct px_fut_inverse {
	dec_t balance, pnl, pv, af, funding, im, mm, lt, tt;
};
struct px_fut_accounts {
	dec_t cash[PX_A_COUNT]; /* holding wallet */
	struct px_fut_flex flex;
	struct px_fut_inverse inverse;
};
int px_fut_accounts(const struct px *px, uint32_t acct, struct px_fut_accounts *out,
		    struct kerr *err);

struct px_fut_position {
	const struct px_instr *instr;
	dec_t size;        /* signed contracts (base units for linear, USD for inverse) */
	dec_t entry_price; /* average entry */
	dec_t mark_price, index_price;
	dec_t upnl;        /* linear: USD; inverse: XBT */
	dec_t realized_pnl;
	dec_t unrealized_funding;
	dec_t initial_margin, maintenance_margin; /* in the settle asset */
	bool has_liq;
	dec_t liq_price;
	dec_t effective_leverage; /* notional / equity backing it */
	bool isolated;
	dec_t max_leverage;  /* isolated only */
	dec_t iso_margin;    /* isolated: allocated margin */
	int pnl_asset;       /* pnl preference */
	int64_t fill_ns;     /* last fill */
};
/* 0 and *out, or -1 when the account has no position in instr. */
int px_fut_position(const struct px *px, uint32_t acct, const struct px_instr *instr,
		    struct px_fut_position *out);
void px_fut_positions(const struct px *px, uint32_t acct,
		      void (*fn)(void *arg, const struct px_fut_position *p), void *arg);

/* Leverage preferences: with max_leverage the symbol trades isolated at that
 * leverage; NULL = cross (the default). get returns 1 (isolated, *out set) or 0. */
int px_fut_leverage_get(const struct px *px, uint32_t acct, const struct px_instr *instr,
			dec_t *out);
int px_fut_leverage_set(struct px *px, uint32_t acct, const struct px_instr *instr,
			const dec_t *max_leverage, struct kerr *err);
void px_fut_leverage_prefs(const struct px *px, uint32_t acct,
			   void (*fn)(void *arg, const struct px_instr *in, dec_t max_lev),
			   void *arg);
/* PnL currency preference (asset index; default the settle asset). */
int px_fut_pnl_get(const struct px *px, uint32_t acct, const struct px_instr *instr);
int px_fut_pnl_set(struct px *px, uint32_t acct, const struct px_instr *instr, int asset,
		   struct kerr *err);
void px_fut_pnl_prefs(const struct px *px, uint32_t acct,
		      void (*fn)(void *arg, const struct px_instr *in, int asset), void *arg);

/* Credit (amount > 0) or debit a Futures wallet outside trading (funding):
 * PX_W_FLEX (any flex asset) or PX_W_INVERSE (XBT). Marks dirty, emits
 * PX_EV_FUT_WALLET, writes no account-log entry (the caller appends one). */
#define PX_FUT_ADJUST 1
int px_fut_adjust(struct px *px, uint32_t acct, enum px_wallet wallet, int asset, dec_t amount,
		  struct kerr *err);

/* ---- transfers ---- */

/* Spot WalletTransfer: Spot wallet -> Futures flex wallet. *refid gets the Spot
 * refid. Insufficient available balance: ENGINE_R_INSUFFICIENT_FUNDS, nothing moved. */
int px_transfer_to_futures(struct px *px, uint32_t acct, int asset, dec_t amount,
			   char refid[PX_ID_MAX], struct kerr *err);
/* Futures withdrawal: Futures `source` wallet (PX_W_FLEX or PX_W_CASH) -> Spot. */
int px_fut_withdrawal(struct px *px, uint32_t acct, int asset, dec_t amount,
		      enum px_wallet source, char uid[PX_ID_MAX], struct kerr *err);
/* Futures transfer between cash, flex and the inverse account. */
int px_fut_transfer(struct px *px, uint32_t acct, enum px_wallet from, enum px_wallet to,
		    int asset, dec_t amount, char uid[PX_ID_MAX], struct kerr *err);

/* ---- market data ---- */

struct px_level {
	dec_t price, qty;
	uint32_t count;
};
/* Up to n levels of one side, best first; returns how many. */
size_t px_depth(const struct px *px, const struct px_instr *instr, enum engine_side side,
		struct px_level *out, size_t n);
/* Best level: 0, or -1 when the side is empty. */
int px_best(const struct px *px, const struct px_instr *instr, enum engine_side side,
	    struct px_level *out);

struct px_trade {
	uint64_t id;             /* 1, 2, ... per instrument */
	char uid[PX_ID_MAX];     /* Futures trade uid (UUID) */
	dec_t price, qty;
	enum engine_side side;   /* the taker's side */
	enum engine_type taker_type; /* market or limit (as placed) */
	bool liquidation;
	int64_t ts_ns;
};
/* The last trade: 0, or -1 when the instrument has not traded. */
int px_last_trade(const struct px *px, const struct px_instr *instr, struct px_trade *out);
/* Recent trades (the last trades_keep), oldest first, with ts_ns > since_ns. When
 * more than `max` (0 = no limit) match: since_ns == 0 gives the newest `max`,
 * since_ns > 0 the oldest `max` after it (Kraken's paging). Returns how many were
 * passed to fn. */
size_t px_trades(const struct px *px, const struct px_instr *instr, int64_t since_ns,
		 size_t max, void (*fn)(void *arg, const struct px_trade *t), void *arg);

struct px_candle {
	int64_t begin_ns;
	dec_t open, high, low, close, vwap, volume;
	uint32_t count;
};
/* Is `minutes` one of Kraken's OHLC intervals (1,5,15,30,60,240,1440,10080,21600)? */
bool px_ohlc_interval_ok(int minutes);
/* Candles (at most 720 kept), oldest first, with begin_ns >= since_ns (the last is
 * the current, unfinished one). -1 for an invalid interval, else the count. */
int px_ohlc(const struct px *px, const struct px_instr *instr, int minutes, int64_t since_ns,
	    void (*fn)(void *arg, const struct px_candle *c), void *arg);

struct px_ticker {
	bool has_bid, has_ask, has_last, has_mark, has_index;
	dec_t bid, bid_qty, ask, ask_qty;
	dec_t last, last_qty;
	int64_t last_ns;
	/* today = since 00:00 UTC; 24h = rolling, by minute */
	dec_t vol_today, vol_24h, vwap_today, vwap_24h;
	dec_t low_today, low_24h, high_today, high_24h;
	dec_t open_today, open_24h;
	uint32_t trades_today, trades_24h;
	dec_t volume_quote_24h;
	dec_t change_24h, change_pct_24h; /* last - open_24h; percent, 2 dp */
	dec_t mark, index;
	dec_t funding_rate, funding_rate_prediction; /* absolute, perpetuals */
	dec_t rel_funding_rate, rel_funding_rate_prediction;
	int64_t next_funding_ns;
	dec_t open_interest; /* contracts: sum of long positions */
};
int px_ticker(const struct px *px, const struct px_instr *instr, struct px_ticker *out);

/* Mark and index prices (the market simulator drives them; a spot pair has only an
 * index, for trigger=index orders). NULL leaves one unchanged. Prices are rounded to
 * the instrument's price unit. Fires triggers; for futures, updates positions' PnL
 * and emits PX_EV_TICKER. */
int px_set_mark_index(struct px *px, const struct px_instr *instr, const dec_t *mark,
		      const dec_t *index, struct kerr *err);
/* A reference price: LAST (last trade, else the instrument's reference price), MARK
 * or INDEX (the same fallbacks: mark -> last -> reference). Always succeeds. */
dec_t px_ref_price(const struct px *px, const struct px_instr *instr, enum engine_ref ref);
/* Funding figures shown by tickers (the funding work sets them). */
void px_set_funding(struct px *px, const struct px_instr *instr, dec_t rate, dec_t predicted,
		    dec_t rel_rate, dec_t rel_predicted, int64_t next_ns);

/* ---- events ---- */

enum px_ev_kind {
	PX_EV_BOOK,       /* a level's visible quantity changed (0 = gone) */
	PX_EV_BOOK_DONE,  /* end of one batch of BOOK events of an instrument */
	PX_EV_TRADE,      /* a public trade */
	PX_EV_ORDER,      /* an order changed (see exec) */
	PX_EV_FILL,       /* one of the account's orders filled (after settlement) */
	PX_EV_SPOT_BALANCE, /* a spot balance or hold changed */
	PX_EV_MARGIN_POSITION, /* a spot margin position opened/changed/closed */
	PX_EV_FUT_POSITION, /* a futures position changed (fill, mark move) */
	PX_EV_FUT_WALLET,   /* futures wallet/margin figures changed */
	PX_EV_ALOG,       /* an account-log entry was appended */
	PX_EV_TICKER,     /* after trades and mark/index updates */
	PX_EV_RESET,      /* px_reset: everything is gone */
};

enum px_exec {
	PX_EXEC_PENDING_NEW, /* accepted, about to go live */
	PX_EXEC_NEW,         /* live (resting, waiting for its trigger or start) */
	PX_EXEC_TRADE,       /* partly filled (fill attached) */
	PX_EXEC_FILLED,      /* completely filled (fill attached) */
	PX_EXEC_CANCELED,    /* cancelled, incl. post-only/IOC/FOK/self-trade/edited */
	PX_EXEC_EXPIRED,
	PX_EXEC_AMENDED,     /* changed by px_amend */
	PX_EXEC_RESTATED,    /* changed by the exchange (reduce-only cut) */
	PX_EXEC_TRIGGERED,   /* its trigger fired */
	PX_EXEC_ICEBERG_REFILL,
	PX_EXEC_REJECTED,    /* refused after acceptance (e.g. funds at trigger time) */
};
const char *px_exec_str(enum px_exec e); /* Spot WS v2 spelling: "pending_new", ... */

struct px_event {
	enum px_ev_kind kind;
	int64_t ts_ns;
	uint32_t account;             /* ORDER, FILL, balances, positions, ALOG */
	const struct px_instr *instr; /* BOOK*, TRADE, TICKER, ORDER, FILL, positions */
	union {
		struct {
			enum engine_side side;
			dec_t price, qty;
		} book;
		const struct px_trade *trade;
		struct {
			const struct px_order *order;
			enum px_exec exec;
			const struct px_fill *fill; /* TRADE / FILLED */
		} order;
		const struct px_fill *fill;
		struct {
			int asset;
			const struct px_ledger *ledger; /* NULL for a hold-only change */
		} balance;
		const struct px_alog *alog;
	};
};

typedef void (*px_listener_fn)(void *ctx, const struct px_event *ev);
/* Register a listener; returns its handle (> 0) for px_unlisten. */
int px_listen(struct px *px, px_listener_fn fn, void *ctx);
void px_unlisten(struct px *px, int handle);

#endif
