/* spot_rest_srv_int: what the Spot REST adapter's files share — the request
 * being handled with its flattened parameters, error helpers with Kraken's
 * strings, parameter parsers and the renderers of Kraken's shapes. Not a
 * public API. */
#ifndef KT_PAPER_SPOT_REST_SRV_INT_H
#define KT_PAPER_SPOT_REST_SRV_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/dec.h"
#include "base/jscan.h"
#include "base/jwrite.h"
#include "base/kerr.h"
#include "base/sbuf.h"
#include "net/http_server.h"
#include "paper/paper.h"
#include "paper/px.h"

/* One request. Parameters come from the query string and the body (form or
 * JSON, flattened: scalars as text, "close":{...} as close[...] keys, arrays
 * of scalars joined with commas); JSON "orders" arrays stay tokens. */
struct srs {
	struct paper *p;
	struct px *px;
	struct http_request *req;
	uint32_t acct;
	struct srs_kv {
		char *k, *v;
	} *kv;
	size_t n, cap;
	struct jdoc doc;
	bool json;
	int orders_tok; /* JSON "orders" array, or -1 */
	struct sbuf out;
	struct jw w; /* writes the value of "result" into out */
	char error[200];
};

/* ---- errors (each returns -1 so handlers can `return srs_fail(...)`) ---- */

int srs_fail(struct srs *r, const char *kraken_error);
/* "EGeneral:Invalid arguments:<field>" */
int srs_fail_arg(struct srs *r, const char *field);
/* A failed px call: its code mapped to Kraken's string. */
int srs_fail_px(struct srs *r, const struct kerr *e);
/* Kraken's string for a px/engine code (order context). */
const char *srs_px_error(int code);

/* ---- parameters ---- */

const char *srs_param(const struct srs *r, const char *key);
/* Append the members of a JSON object as parameters (the flattening above). */
int srs_params_obj(struct srs *r, const struct jdoc *d, int obj);
void srs_params_free(struct srs *r);
/* Absent: *out = def. "true"/"false" (also 1/0); else invalid argument. */
int srs_bool(struct srs *r, const char *key, bool def, bool *out);
/* A decimal; absent and required -> invalid argument; absent optional -> *present false. */
int srs_dec(struct srs *r, const char *key, bool required, dec_t *out, bool *present);
int srs_int(struct srs *r, const char *key, int64_t lo, int64_t hi, int64_t *out,
	    bool *present);
/* Unix seconds with an optional fraction ("1700000000.25") to ns; 0 or -1. */
int srs_seconds_ns(const char *s, int64_t *ns);
/* Kraken times: "0", unix seconds (fraction allowed) or "+<n>" seconds from now. */
int srs_time(struct srs *r, const char *key, int64_t *ns, bool *present);
/* A Spot pair by any of its names; fails with EQuery:Unknown asset pair. */
const struct px_instr *srs_pair(struct srs *r, const char *name);
/* Split a comma list in place into at most max items; returns the count. */
size_t srs_split(char *s, char **out, size_t max);

/* ---- rendering ---- */

/* Decimal as a JSON string with exactly dp places (dp < 0: as is). */
void srs_w_dec(struct jw *w, dec_t v, int dp);
/* Decimal as a bare JSON number, trailing zeros removed. */
void srs_w_num(struct jw *w, dec_t v);
/* ns since the epoch as seconds with 4 decimals (a JSON number). */
void srs_w_time(struct jw *w, int64_t ns);
/* Kraken's order type name of an engine type. */
const char *srs_type_name(enum engine_type t);
int srs_type_parse(const char *s, enum engine_type *out);
/* A request price as text ("27500.0", "+50.0", "+1.5%", "#2%"). */
void srs_fmt_price(const struct px_instr *in, const struct px_price *p, char *buf, size_t cap);

/* What descr texts are made from (an order or a request). */
struct srs_descr {
	const struct px_instr *in;
	enum engine_side side;
	enum engine_type type;
	dec_t qty;
	struct px_price price, trigger, trail, limit_off;
	int leverage;
};
/* "buy 1.25000000 XBTUSD @ limit 27500.0" */
void srs_descr_text(const struct srs_descr *d, char *buf, size_t cap);
/* "close position @ stop loss 26000.0 -> limit 25900.0" ("" without a close) */
void srs_close_text(const struct px_instr *in, const struct px_close_req *c, char *buf,
		    size_t cap);
void srs_descr_of_order(const struct px_order *o, struct srs_descr *d);
/* One order object (OpenOrders/ClosedOrders/QueryOrders value). */
void srs_w_order(struct srs *r, const struct px_order *o, bool trades);
/* One trade object (TradesHistory/QueryTrades value). */
void srs_w_fill(struct srs *r, const struct px_fill *f, bool ledgers);
void srs_w_ledger(struct srs *r, const struct px_ledger *l);

/* ---- handlers: write the result value with r->w and return 0, or fail ---- */

int srs_h_time(struct srs *r);
int srs_h_system_status(struct srs *r);
int srs_h_assets(struct srs *r);
int srs_h_asset_pairs(struct srs *r);
int srs_h_ticker(struct srs *r);
int srs_h_depth(struct srs *r);
int srs_h_ohlc(struct srs *r);
int srs_h_trades(struct srs *r);
int srs_h_spread(struct srs *r);

int srs_h_balance(struct srs *r);
int srs_h_balance_ex(struct srs *r);
int srs_h_trade_balance(struct srs *r);
int srs_h_open_orders(struct srs *r);
int srs_h_closed_orders(struct srs *r);
int srs_h_query_orders(struct srs *r);
int srs_h_order_amends(struct srs *r);
int srs_h_trades_history(struct srs *r);
int srs_h_query_trades(struct srs *r);
int srs_h_open_positions(struct srs *r);
int srs_h_ledgers(struct srs *r);
int srs_h_query_ledgers(struct srs *r);
int srs_h_ws_token(struct srs *r);
int srs_h_wallet_transfer(struct srs *r);

int srs_h_add_order(struct srs *r);
int srs_h_add_order_batch(struct srs *r);
int srs_h_amend_order(struct srs *r);
int srs_h_edit_order(struct srs *r);
int srs_h_cancel_order(struct srs *r);
int srs_h_cancel_all(struct srs *r);
int srs_h_cancel_after(struct srs *r);
int srs_h_cancel_batch(struct srs *r);

#endif
