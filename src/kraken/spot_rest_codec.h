/* spot_rest_codec: Kraken Spot REST without I/O — request builders (core
 * order_req -> form or JSON parameters) and response decoders (bytes -> core
 * types), kraken-protocol.md §1.
 *
 * Decoders work on a jdoc already parsed by spot_env_parse() and fill plain
 * arrays the caller frees; they never touch the state. Each spot_apply_*()
 * then writes a fully decoded result into the state and emits the events, so
 * a malformed or truncated response leaves the state exactly as it was.
 * Money stays exact: every price, size and balance goes from Kraken's decimal
 * string straight into dec_t.
 *
 * Names: instruments are found by the pair key Kraken sends ("XXBTZUSD" in
 * responses, "XBTUSD" in descr.pair) through the state's instrument map;
 * assets are shown with their common code ("BTC", see kraken/symbols.h). */
#ifndef KT_KRAKEN_SPOT_REST_CODEC_H
#define KT_KRAKEN_SPOT_REST_CODEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/dec.h"
#include "base/jscan.h"
#include "base/kerr.h"
#include "base/sbuf.h"
#include "core/state.h"

/* kerr codes of this module. */
enum spot_codec_err {
	SPOT_E_JSON = 1,  /* not JSON, or not the envelope */
	SPOT_E_SHAPE,     /* a field is missing or has the wrong type */
	SPOT_E_VALUE,     /* a value does not parse (price, enum) */
	SPOT_E_ARG,       /* a request cannot be built (unsupported combination) */
};

/* ---- the response envelope {"error":[...],"result":...} ---- */

struct spot_env {
	int result;         /* token of "result", -1 when absent */
	char error[192];    /* the first E... string ("" when none) */
	unsigned nerrors;   /* E... strings */
	unsigned nwarnings; /* W... strings (logged, not fatal) */
};

/* Parse body into d and find the envelope. Returns 0 when there is no error
 * (a result may be absent: check env->result), 1 when Kraken reported an
 * error (env->error holds the first), -1 when the body is not an envelope
 * (err says why). Warnings are logged at WARN level. */
int spot_env_parse(struct jdoc *d, const char *body, size_t len, struct spot_env *env,
		   struct kerr *err);

/* ---- request parameters ---- */

enum spot_pkind { SP_STR, SP_BOOL, SP_INT, SP_RAW };

struct spot_param {
	char *key;
	char *val; /* SP_BOOL: "true"/"false"; SP_RAW: JSON text */
	enum spot_pkind kind;
};

/* An ordered list of parameters; owns its strings. */
struct spot_params {
	struct spot_param *p;
	size_t n, cap;
};

void spot_params_init(struct spot_params *sp);
void spot_params_free(struct spot_params *sp);
void spot_params_add(struct spot_params *sp, const char *key, const char *val);
void spot_params_addk(struct spot_params *sp, enum spot_pkind kind, const char *key,
		      const char *val);
void spot_params_add_dec(struct spot_params *sp, const char *key, dec_t v);
void spot_params_add_int(struct spot_params *sp, const char *key, int64_t v);
void spot_params_add_bool(struct spot_params *sp, const char *key, bool v);
/* Value of key, or NULL. */
const char *spot_params_get(const struct spot_params *sp, const char *key);

/* Render as a form body / query string, keys sorted (nonce, when not NULL,
 * among them), every byte except A-Z a-z 0-9 - . _ ~ percent-encoded (so "+"
 * is %2B). The exact string is what gets signed. */
void spot_params_form(const struct spot_params *sp, const char *nonce, struct sbuf *out);
/* Render as a JSON object, keys sorted, nonce as a string; SP_STR values are
 * strings, SP_BOOL/SP_INT/SP_RAW bare; "close[x]" keys are gathered into a
 * nested "close" object (Kraken's JSON form of the conditional close). */
void spot_params_json(const struct spot_params *sp, const char *nonce, struct sbuf *out);

/* ---- relative prices ---- */

/* A price as AddOrder/AmendOrder take it: absolute ("27500.5"), an offset
 * from the last trade ("+50", "-50"; "#50" lets Kraken pick the sign from the
 * side and type), optionally a percentage ("+1.5%"). */
struct spot_price {
	char rel;  /* 0 = absolute, '+', '-' or '#' */
	dec_t v;   /* >= 0 for relative prices */
	bool pct;
};

int spot_price_parse(const char *s, struct spot_price *out, struct kerr *err);
/* Text form; returns the length like snprintf. */
int spot_price_fmt(const struct spot_price *p, char *buf, size_t cap);

/* ---- request builders ---- */

/* Kraken's spelling of an order type ("stop-loss-limit"); NULL for none. */
const char *spot_ordertype_name(enum order_type t);
int spot_ordertype_parse(const char *s, enum order_type *out);

/* AddOrder options that core's order_req does not carry. */
struct spot_add_opts {
	const struct spot_price *price;  /* override `price` (relative limit/trigger) */
	const struct spot_price *price2; /* override `price2` */
	const char *starttm;   /* "0", unix seconds or "+<n>" */
	const char *expiretm;  /* overrides req->expire_s ("+<n>" allowed) */
	const char *deadline;  /* RFC 3339 */
	const char *stptype;   /* "cancel-newest" | "cancel-oldest" | "cancel-both" */
	bool fcib, fciq;       /* fee in base / quote currency */
	bool nompp;            /* no market price protection */
	int32_t userref;       /* sent instead of cl_ord_id when non-zero and cl_id empty */
};

/* AddOrder parameters for req (price/price2 per the order type, §1.8).
 * opts may be NULL. The pair is sent by its altname. */
int spot_build_add_order(const struct state *st, const struct order_req *req,
			 const struct spot_add_opts *opts, struct spot_params *out, struct kerr *err);
/* One order as a JSON object for AddOrderBatch (same fields, no pair). */
int spot_build_batch_order(const struct state *st, const struct order_req *req,
			   const struct spot_add_opts *opts, struct sbuf *json, struct kerr *err);
/* AddOrderBatch: 2..15 orders of one pair; parameters to render as JSON. */
int spot_build_add_order_batch(const struct state *st, const struct order_req *reqs, size_t n,
			       const char *deadline, bool validate, struct spot_params *out,
			       struct kerr *err);
/* AmendOrder: txid (or cl_ord_id when by_cl), order_qty, limit_price, trigger_price.
 * lim/trig, when not NULL, override the absolute prices of req (relative amend). */
int spot_build_amend(const struct amend_req *req, bool by_cl, const struct spot_price *lim,
		     const struct spot_price *trig, struct spot_params *out, struct kerr *err);
/* EditOrder (cancel and replace). */
struct spot_edit_req {
	const char *txid;
	const char *pair;     /* altname */
	const dec_t *volume;  /* NULL: unchanged */
	const struct spot_price *price, *price2;
	bool post_only;
	bool validate;
};
int spot_build_edit(const struct spot_edit_req *req, struct spot_params *out, struct kerr *err);
/* CancelOrder by txid, or by client order id when by_cl. */
void spot_build_cancel(const char *id, bool by_cl, struct spot_params *out);
/* CancelOrderBatch (JSON): txids and client ids, at most 50 in total. */
int spot_build_cancel_batch(const char *const *txids, size_t ntx, const char *const *cl_ids,
			    size_t ncl, struct spot_params *out, struct kerr *err);
/* WalletTransfer Spot -> Futures ("Spot Wallet" -> "Futures Wallet"); the
 * asset is sent by its altname (BTC -> XBT). */
int spot_build_wallet_transfer(const struct transfer_req *req, struct spot_params *out,
			       struct kerr *err);

/* ---- decoded results ---- */

struct spot_time {
	int64_t unixtime;
	char rfc1123[40];
};

enum spot_sys { SPOT_SYS_ONLINE, SPOT_SYS_MAINTENANCE, SPOT_SYS_CANCEL_ONLY, SPOT_SYS_POST_ONLY,
		SPOT_SYS_UNKNOWN };
struct spot_system_status {
	enum spot_sys status;
	int64_t ts_ns;
};

struct spot_asset {
	char id[ASSET_MAX];      /* "XXBT" */
	char altname[ASSET_MAX]; /* "XBT" */
	char display[ASSET_MAX]; /* "BTC" */
	char aclass[16];
	int decimals, display_decimals;
	dec_t collateral_value;
	char status[24];
};

/* An AssetPairs entry: the instrument plus Kraken's other name for it. */
struct spot_pair {
	struct instrument in;
	char wsname[INSTR_ID_MAX]; /* "XBT/USD" (WS v1 name, kept as an alias) */
};

struct spot_ticker_row {
	char pair[INSTR_ID_MAX];
	struct ticker tk;
};

struct spot_level {
	dec_t price, qty;
	int64_t ts;
};

struct spot_depth {
	char pair[INSTR_ID_MAX];
	struct spot_level *asks, *bids; /* asks low->high, bids high->low, as sent */
	size_t nasks, nbids;
};

struct spot_ohlc {
	char pair[INSTR_ID_MAX];
	struct candle *c; /* oldest first; the last one is still forming */
	size_t n;
	int64_t last;
};

struct spot_trades {
	char pair[INSTR_ID_MAX];
	struct trade *t; /* oldest first */
	size_t n;
	char last[32];   /* the "since" cursor for the next call */
};

struct spot_trade_balance {
	dec_t eb, tb, m, n, c, v, e, mf, ml, uv;
};

struct spot_ledger {
	char id[ORDER_ID_MAX];
	char refid[ORDER_ID_MAX];
	int64_t time_ms;
	char type[24], subtype[24];
	char asset[ASSET_MAX]; /* display code */
	dec_t amount, fee, balance;
};

struct spot_add_result {
	char txid[ORDER_ID_MAX];
	char descr[160];
	char close[160];
	char error[192]; /* batches: this order's error, "" when placed */
};

struct spot_edit_result {
	char txid[ORDER_ID_MAX];
	char originaltxid[ORDER_ID_MAX];
	bool ok;         /* status "Ok" */
	char descr[160];
	char error_message[192];
};

struct spot_cancel_after {
	int64_t current_ns, trigger_ns;
};

/* ---- decoders (res = env.result) ---- */

int spot_dec_time(const struct jdoc *d, int res, struct spot_time *out, struct kerr *err);
int spot_dec_system_status(const struct jdoc *d, int res, struct spot_system_status *out,
			   struct kerr *err);
int spot_dec_assets(const struct jdoc *d, int res, struct spot_asset **out, size_t *n,
		    struct kerr *err);
int spot_dec_asset_pairs(const struct jdoc *d, int res, struct spot_pair **out, size_t *n,
			 struct kerr *err);
int spot_dec_ticker(const struct jdoc *d, int res, struct spot_ticker_row **out, size_t *n,
		    struct kerr *err);
int spot_dec_depth(const struct jdoc *d, int res, struct spot_depth *out, struct kerr *err);
void spot_depth_free(struct spot_depth *dp);
int spot_dec_ohlc(const struct jdoc *d, int res, struct spot_ohlc *out, struct kerr *err);
int spot_dec_trades(const struct jdoc *d, int res, struct spot_trades *out, struct kerr *err);

/* Balance (total only) and BalanceEx (hold and credit). Balances with a
 * read-only suffix (".S" staked, ".M", ".F", ".B", ".T", ".P") are kept as
 * separate lines named "<code><suffix>" ("ETH.S") with nothing available,
 * so the wallet shows them but no order is sized from them. */
int spot_dec_balance(const struct jdoc *d, int res, struct balance **out, size_t *n,
		     struct kerr *err);
int spot_dec_balance_ex(const struct jdoc *d, int res, struct balance **out, size_t *n,
			struct kerr *err);
int spot_dec_trade_balance(const struct jdoc *d, int res, struct spot_trade_balance *out,
			   struct kerr *err);
/* Orders of OpenOrders (result.open), ClosedOrders (result.closed; *count
 * may be NULL) and QueryOrders (result itself). instr is resolved through st
 * (-1 when the pair is unknown). */
int spot_dec_open_orders(const struct jdoc *d, int res, const struct state *st, struct order **out,
			 size_t *n, struct kerr *err);
int spot_dec_closed_orders(const struct jdoc *d, int res, const struct state *st,
			   struct order **out, size_t *n, int64_t *count, struct kerr *err);
int spot_dec_query_orders(const struct jdoc *d, int res, const struct state *st,
			  struct order **out, size_t *n, struct kerr *err);
/* One order object (the value under its txid). */
int spot_dec_order(const struct jdoc *d, int tok, const char *txid, const struct state *st,
		   struct order *o, struct kerr *err);
/* TradesHistory (result.trades) -> fills, oldest first; QueryTrades (result). */
int spot_dec_trades_history(const struct jdoc *d, int res, const struct state *st,
			    struct fill **out, size_t *n, int64_t *count, struct kerr *err);
int spot_dec_query_trades(const struct jdoc *d, int res, const struct state *st,
			  struct fill **out, size_t *n, struct kerr *err);
/* OpenPositions -> one net position per pair (long > 0). */
int spot_dec_open_positions(const struct jdoc *d, int res, const struct state *st,
			    struct position **out, size_t *n, struct kerr *err);
int spot_dec_ledgers(const struct jdoc *d, int res, struct spot_ledger **out, size_t *n,
		     int64_t *count, struct kerr *err);
int spot_dec_add_order(const struct jdoc *d, int res, struct spot_add_result *out,
		       struct kerr *err);
int spot_dec_add_order_batch(const struct jdoc *d, int res, struct spot_add_result **out,
			     size_t *n, struct kerr *err);
int spot_dec_amend(const struct jdoc *d, int res, char *amend_id, size_t cap, struct kerr *err);
int spot_dec_edit(const struct jdoc *d, int res, struct spot_edit_result *out, struct kerr *err);
/* CancelOrder / CancelAll / CancelOrderBatch: count (pending may be NULL). */
int spot_dec_cancel(const struct jdoc *d, int res, int *count, bool *pending, struct kerr *err);
int spot_dec_cancel_after(const struct jdoc *d, int res, struct spot_cancel_after *out,
			  struct kerr *err);
int spot_dec_ws_token(const struct jdoc *d, int res, char *token, size_t cap, int *expires_s,
		      struct kerr *err);
int spot_dec_wallet_transfer(const struct jdoc *d, int res, char *refid, size_t cap,
			     struct kerr *err);

/* ---- applying to the state (never fails half way) ---- */

/* Add or replace every pair, with the altname, REST id and wsname as aliases;
 * emits EV_INSTRUMENTS once. */
void spot_apply_instruments(struct state *st, const struct spot_pair *p, size_t n);
/* Rows of unknown pairs are skipped; returns how many were applied. */
size_t spot_apply_ticker(struct state *st, const struct spot_ticker_row *rows, size_t n);
/* Replace the instrument's book with the snapshot (-1 when the pair is
 * unknown or a level does not fit the book's precision; nothing changes). */
int spot_apply_depth(struct state *st, const struct spot_depth *dp, struct kerr *err);
int spot_apply_ohlc(struct state *st, const struct spot_ohlc *o, int interval_min,
		    struct kerr *err);
int spot_apply_trades(struct state *st, const struct spot_trades *t, struct kerr *err);
void spot_apply_balances(struct state *st, const struct balance *b, size_t n);
/* Upsert every order (EV_ORDERS each). With open_snapshot, spot orders the
 * state holds as open but the snapshot lacks are returned in *gone (txids,
 * malloc'd array of ORDER_ID_MAX strings, may be NULL) for the caller to query. */
void spot_apply_orders(struct state *st, const struct order *o, size_t n, bool open_snapshot,
		       char (**gone)[ORDER_ID_MAX], size_t *ngone);
void spot_apply_fills(struct state *st, const struct fill *f, size_t n);
void spot_apply_positions(struct state *st, const struct position *p, size_t n);
void spot_apply_ledgers(struct state *st, const struct spot_ledger *l, size_t n);

#endif
