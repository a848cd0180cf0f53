/* px_int: the px hub's private structures and helpers, shared by px*.c and
 * persist.c. Nothing else includes this.
 *
 * Units: prices are int64 counts of 10^-price_dp, quantities of 10^-qty_dp
 * (instrument), balances of 10^-decimals (asset). Products of a quantity and a
 * price ("notional") are __int128 at scale qty_dp + price_dp. Inverse futures
 * values (contracts / price, in XBT) are int64 at PX_INV_DP decimals. */
#ifndef KT_PAPER_PX_INT_H
#define KT_PAPER_PX_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "paper/engine.h"
#include "paper/px.h"

typedef __int128 px_i128;

#define PX_INV_DP      18 /* inverse position values (XBT) */
#define PX_OHLC_KEEP   720
#define PX_OHLC_NIV    9
#define PX_MINUTES_24H 1440

/* ---- small containers (px_map.c) ---- */

/* String -> pointer map (open addressing; keys copied). */
struct pxmap {
	char **keys;
	void **vals;
	size_t cap, n, used; /* used counts tombstones too */
};
void pxmap_init(struct pxmap *m);
void pxmap_free(struct pxmap *m);
void *pxmap_get(const struct pxmap *m, const char *key);
void pxmap_put(struct pxmap *m, const char *key, void *val);
void pxmap_del(struct pxmap *m, const char *key);

/* Ring of fixed-size records, oldest first; pushing into a full ring drops the
 * oldest (copied to *evicted when non-NULL). */
struct pxring {
	unsigned char *v;
	size_t elem, cap, head, n;
};
void pxring_init(struct pxring *r, size_t elem, size_t cap);
void pxring_free(struct pxring *r);
/* Slot for a new newest record (zeroed). Returns it; *dropped tells whether the
 * oldest was evicted into `evicted`. */
void *pxring_push(struct pxring *r, void *evicted, bool *dropped);
void *pxring_at(const struct pxring *r, size_t i); /* 0 = oldest */
void pxring_clear(struct pxring *r);

/* ---- records ---- */

struct pxinst;
struct pxacct;

/* An order: the public record plus px's bookkeeping. */
struct pxo {
	struct px_order o; /* first */
	struct pxinst *inst;
	struct pxacct *acct;
	uint64_t eng_id;       /* 0 = not in the engine (scheduled or closed) */
	int64_t base_filled_u; /* filled before it entered this engine (restore) */
	int64_t qty_u, filled_u;
	px_i128 notional; /* sum of fill qty_u * price_u */
	int64_t cost_u;   /* sum of fill costs, quote units (futures: USD units) */
	int64_t fee_u;    /* sum of fees, fee-asset units */
	int hold_asset;   /* -1: nothing held */
	int64_t hold_u;
	int64_t quote_u; /* viqc: quote amount asked for */
	/* the request in engine units (scheduled start, restore) */
	int64_t price_u, trigger_u, display_u;
	struct engine_offset trail_e, limit_off_e;
	struct engine_close close_e;
	struct px_amend_rec *amends;
	size_t namends, amcap;
	struct pxo *prev, *next; /* account's open list of the product */
	bool open;     /* in the open list */
	bool accepted; /* the engine accepted it (or it is scheduled) */
	bool keep;     /* history is kept (user accounts) */
	uint64_t eng_seq; /* engine time priority while resting (for saving) */
};

/* Spot margin position (one per account and pair). */
struct pxmpos {
	bool active;
	char id[PX_ID_MAX];
	char ordertxid[PX_ID_MAX];
	enum engine_side side;
	int64_t open_ns;
	int leverage;
	int64_t vol_u, vol_closed_u; /* qty units */
	int64_t cost_u, fee_u;       /* quote units: opening cost of vol, opening fees */
	int64_t margin_u;            /* quote units held for the open part */
	px_i128 open_notional;       /* qty_u * price_u of the open part */
};

/* Futures position. */
struct pxfpos {
	int64_t size_u;      /* signed contracts */
	px_i128 cost;        /* linear: |size| * avg as qty_u*price_u; inverse: sum of
			      * contracts/price at PX_INV_DP (XBT) */
	int64_t realized_u;  /* settle-asset units */
	int64_t iso_margin_u; /* isolated: allocated margin, USD units */
	int64_t funding_u;   /* unrealized funding, settle units */
	int64_t fill_ns;
};

/* Per account and instrument futures preferences. */
struct pxfpref {
	bool iso;
	dec_t maxlev;
	int pnl_asset; /* -1 = default */
};

struct pxacct {
	uint32_t id;
	struct px_keys keys;
	uint64_t nonce[PX_PRODUCT_COUNT];
	/* Spot */
	int64_t bal[PX_A_COUNT], hold[PX_A_COUNT];
	bool used[PX_A_COUNT];
	struct pxmpos mpos[PX_MAX_INSTR + 1];
	struct pxring ledger; /* struct px_ledger */
	/* orders */
	struct pxo *open_head[PX_PRODUCT_COUNT], *open_tail[PX_PRODUCT_COUNT];
	uint32_t open_count[PX_MAX_INSTR + 1];
	struct pxmap clid[PX_PRODUCT_COUNT]; /* open orders by client id */
	struct pxring closed[PX_PRODUCT_COUNT]; /* struct pxo * */
	struct pxring fills[PX_PRODUCT_COUNT];  /* struct px_fill */
	int64_t cancel_after[PX_PRODUCT_COUNT]; /* deadline ns, 0 = off */
	/* Futures */
	int64_t cash[PX_A_COUNT], flex[PX_A_COUNT];
	int64_t inv_u; /* fi_xbtusd balance, XBT units */
	struct pxfpos fpos[PX_MAX_INSTR + 1];
	struct pxfpref fpref[PX_MAX_INSTR + 1];
	struct pxring alog; /* struct px_alog */
	uint64_t alog_next;
};

struct pxcandle {
	int64_t begin_ns;
	int64_t o, h, l, c, vol_u;
	px_i128 notional;
	uint32_t count;
};

struct pxcring {
	struct pxcandle v[PX_OHLC_KEEP];
	size_t head, n;
};

struct pxinst {
	const struct px_instr *in;
	struct engine *eng;
	struct px *px;
	struct pxring trades; /* struct px_trade */
	uint64_t trade_seq;
	struct pxcring *ohlc[PX_OHLC_NIV];
	struct pxcandle *mins; /* PX_MINUTES_24H buckets by minute */
	bool has_last, has_mark, has_index;
	int64_t last_u, last_qty_u, last_ns;
	int64_t mark_u, index_u;
	dec_t funding_rate, funding_pred, rel_funding, rel_funding_pred;
	int64_t next_funding_ns;
	bool book_changed, ticker_changed;
};

struct pxlistener {
	px_listener_fn fn;
	void *ctx;
	int handle;
};

struct px {
	struct px_opts opts;
	struct px_instruments tab;
	struct pxinst inst[PX_MAX_INSTR + 1]; /* by instrument id */
	struct pxacct **acct;                 /* by id; [0] = market */
	uint32_t nacct;                       /* including the market */
	size_t acap;
	struct pxmap ids; /* wire id -> struct pxo * (open and kept closed) */
	int64_t now;
	uint64_t seed, id_counter, order_seq;
	uint32_t nsched; /* scheduled (starttm) orders */
	struct pxlistener *ls;
	size_t nls, lscap;
	int next_handle;
	int emitting; /* > 0 while listeners run */
	bool dirty;
	bool nonce_dirty;       /* only nonces moved since the last save */
	int64_t nonce_dirty_ns; /* px time when they first did */
	void (*dirty_fn)(void *ctx);
	void *dirty_ctx;
	bool restoring;       /* persist_load: no holds/funds checks */
	struct pxo *edit_new; /* px_edit: the replacement being placed */
	struct pxo *child;    /* a conditional-close child between admit and ACCEPTED */
	struct pxo **parents; /* parents whose close child the engine will place (FIFO) */
	size_t npar, parcap, parhead;
	struct pxo **grave;   /* closed orders freed at the next mutating call */
	size_t ngrave, gravecap;
	int64_t edit_release_u; /* px_edit: the old order's hold, usable by the new one */
	int edit_release_asset;
};

/* ---- px.c ---- */
struct pxacct *px_acct(const struct px *px, uint32_t id);
void px_mark_dirty(struct px *px);
void px_emit(struct px *px, const struct px_event *ev);
void px_emit_balance(struct px *px, struct pxacct *a, int asset, const struct px_ledger *l);
/* Wire ids. */
void px_gen_txid(struct px *px, char prefix, char out[PX_ID_MAX]);
void px_gen_uuid(struct px *px, char out[PX_ID_MAX]);
struct pxacct *px_acct_new(struct px *px, uint32_t id);
void px_acct_free(struct px *px, struct pxacct *a);
/* Guard of every mutating entry point. */
int px_check_busy(const struct px *px, struct kerr *err);
/* After an engine call: BOOK_DONE and TICKER events of changed instruments. */
void px_after_engine(struct px *px, struct pxinst *pi);

/* ---- units (px_units.c) ---- */
int64_t px_pow10(int n);
px_i128 px_pow10_128(int n); /* up to 10^38 */
/* v * 10^(to - from), rounded with r (an i128 in, int64 out; -1 on overflow). */
int px_rescale(px_i128 v, int from, int to, enum dec_round r, int64_t *out);
dec_t px_dec(int64_t u, int dp);
/* dec -> units: exact (-1 if it has more decimals than dp) */
int px_units(dec_t v, int dp, int64_t *out);
/* notional (qty_u * price_u) of an instrument in `asset_dp` units */
int64_t px_notional_to(const struct px_instr *in, px_i128 notional, int asset_dp,
		       enum dec_round r);
/* fee of an amount at rate ppm, rounded with r */
int64_t px_fee(int64_t amount_u, uint32_t ppm, enum dec_round r);
/* USD value (at USD decimals) of u units of asset */
int64_t px_usd_value(const struct px *px, int asset, int64_t u);
/* a reference price in units (last, mark, index, with fallbacks) */
int64_t px_ref_u(const struct px *px, const struct pxinst *pi, enum engine_ref ref);

/* ---- orders (px_orders.c) ---- */
extern const struct engine_ops px_engine_ops;
void px_order_free(struct pxo *o);
void px_order_sync(struct pxo *o); /* refresh public dec fields from units */
void px_open_link(struct pxacct *a, struct pxo *o);
void px_open_unlink(struct pxacct *a, struct pxo *o);
void px_order_finish(struct px *px, struct pxo *o); /* closed: to history or freed */
void px_order_emit(struct px *px, struct pxo *o, enum px_exec e, const struct px_fill *f);
struct pxo *px_order_new(struct px *px, struct pxacct *a, struct pxinst *pi);
void px_amend_record(struct px *px, struct pxo *o, enum px_amend_kind kind, int reason);
void px_order_start_scheduled(struct px *px, struct pxo *o);
/* Request prices to engine units (px_place.c): an absolute or last-relative price,
 * and a distance / signed offset. */
int px_resolve_price(struct px *px, struct pxinst *pi, enum engine_side side,
		     enum engine_type type, bool trigger, const struct px_price *p, int64_t *out,
		     const char *field, struct kerr *err);
int px_resolve_offset(const struct px_instr *in, const struct px_price *p, bool signed_ok,
		      struct engine_offset *out, const char *field, struct kerr *err);
bool px_type_has_limit(enum engine_type t);
bool px_type_has_trigger(enum engine_type t);
bool px_type_is_trailing(enum engine_type t);
void px_result_from(struct px_result *res, const struct pxo *o, int64_t filled_before);
/* Free the orders of earlier calls that nobody may reference any more. */
void px_gc(struct px *px);

/* ---- spot (px_spot.c) ---- */
/* Hold needed by an order in its (proposed) engine state; asset in *asset. */
int64_t px_spot_need(struct px *px, struct pxo *o, const struct engine_order *eo, int *asset,
		     enum engine_admit_phase phase);
void px_hold_set(struct px *px, struct pxo *o, int asset, int64_t need);
void px_hold_release(struct px *px, struct pxo *o);
void px_spot_fill(struct px *px, struct pxo *o, int64_t q, int64_t price_u, bool maker,
		  struct px_fill *f);
struct px_ledger *px_ledger_add(struct px *px, struct pxacct *a, enum px_ledger_type type,
				const char *subtype, int asset, int64_t amount_u, int64_t fee_u,
				const char *refid);
int64_t px_mpos_signed(const struct pxacct *a, uint32_t instr);

/* ---- futures (px_futures.c) ---- */
int px_fut_admit(struct px *px, struct pxo *o, const struct engine_order *eo);
void px_fut_fill(struct px *px, struct pxo *o, int64_t q, int64_t price_u, bool maker,
		 struct px_fill *f);
void px_fut_mark_changed(struct px *px, struct pxinst *pi);
struct px_alog *px_alog_new(struct px *px, struct pxacct *a);
/* Available flex margin in USD units. */
int64_t px_fut_flex_available(const struct px *px, const struct pxacct *a);

/* ---- futures margin math (px_fut_margin.c) ---- */
struct pxf_flex {
	int64_t balance_value, collateral, pnl, funding; /* USD units */
	int64_t im, im_orders, mm, iso_margin, iso_pnl, iso_orders;
};
struct pxf_inv {
	int64_t pnl, im, im_orders, mm; /* XBT units */
};
/* Tiered margin of a USD notional (flex) or a number of contracts (inverse). */
dec_t pxf_tier_margin(const struct px_instr *in, dec_t amount, bool maint);
/* The tier of `amount`: margin(x) = *a + *r * x inside it. */
int pxf_tier_of(const struct px_instr *in, dec_t amount, bool maint, dec_t *a, dec_t *r);
int64_t pxf_usd_units(const struct px *px, dec_t v, enum dec_round r);
int64_t pxf_mark_u(const struct px *px, const struct pxinst *pi);
px_i128 pxf_inv_value(const struct px_instr *in, int64_t contracts, int64_t price_u);
int64_t pxf_upnl(const struct px *px, const struct px_instr *in, const struct pxfpos *f,
		 int64_t p);
dec_t pxf_entry(const struct px_instr *in, const struct pxfpos *f);
dec_t pxf_notional_usd(const struct px *px, const struct px_instr *in, int64_t qty, int64_t p);
int64_t pxf_opening_part(int64_t pos, enum engine_side side, int64_t rem, uint32_t flags);
int64_t pxf_order_price(const struct px *px, const struct pxinst *pi, const struct pxo *o);
void pxf_flex_compute(const struct px *px, const struct pxacct *a, const struct pxo *exclude,
		      struct pxf_flex *c);
int64_t pxf_flex_available(const struct pxf_flex *c);
void pxf_inv_compute(const struct px *px, const struct pxacct *a, const struct pxo *exclude,
		     struct pxf_inv *c);
void pxf_emit_pos_wallet(struct px *px, struct pxacct *a, const struct px_instr *in);

/* ---- market data (px_market.c) ---- */
void px_market_trade(struct px *px, struct pxinst *pi, int64_t price_u, int64_t qty_u,
		     enum engine_side aggressor, enum engine_type taker_type, bool liq);
int px_market_init(struct pxinst *pi, size_t trades_keep);
void px_market_free(struct pxinst *pi);
void px_market_clear(struct pxinst *pi);

#endif
