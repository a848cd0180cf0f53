/* fut_rest_codec_market: public Futures REST replies (instruments, tickers,
 * order book, trade history, funding rates) -> the state. Each decoder reads
 * the whole reply into temporaries first, so a bad reply changes nothing. */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"
#include "core/state.h"
#include "kraken/fut_rest_codec.h"
#include "kraken/fut_rest_codec_int.h"
#include "kraken/symbols.h"

/* Prefix errors with what was being read. */
static int fail_at(struct kerr *err, const char *what, size_t i)
{
	return fr_prefix(err, "Kraken Futures %s, entry %zu", what, i);
}

/* marginLevels -> tiers: `contracts` (inverse) or `numNonContractUnits` (flex). */
static int decode_tiers(const struct jdoc *d, int arr, struct instrument *in, struct kerr *err)
{
	in->ntiers = 0;
	for (int k = jfirst(d, arr); k >= 0; k = jnext(d, arr, k)) {
		if (in->ntiers >= MARGIN_TIERS_MAX)
			break;
		struct margin_tier *t = &in->tiers[in->ntiers];
		int start = jobj_get(d, k, "contracts");
		if (fr_absent(d, start))
			start = jobj_get(d, k, "numNonContractUnits");
		if (fr_dec(d, start, &t->size, err) < 0 ||
		    fr_dec_req(d, jobj_get(d, k, "initialMargin"), "initialMargin", &t->initial,
		               err) ||
		    fr_dec_req(d, jobj_get(d, k, "maintenanceMargin"), "maintenanceMargin",
		               &t->maintenance, err))
			return -1;
		in->ntiers++;
	}
	return 0;
}

/* lot = 10^-precision; Kraken's precision may be 0 or negative (lots of 10). */
static int lot_from_precision(int64_t p, struct instrument *in, struct kerr *err)
{
	if (p > DEC_MAX_SCALE || p < -DEC_MAX_SCALE)
		return kerr_set(err, FUT_E_SYNTAX,
		                "contractValueTradePrecision %lld is out of range", (long long)p);
	if (p >= 0) {
		in->lot = dec_make(1, (unsigned)p);
		in->qty_dp = (uint8_t)p;
	} else {
		int64_t v = 1;
		for (int64_t i = 0; i < -p; i++)
			v *= 10;
		in->lot = dec_from_int(v);
		in->qty_dp = 0;
	}
	return 0;
}

/* One contract. Returns 1 for entries that are not futures contracts. */
static int decode_instrument(const struct jdoc *d, int k, struct instrument *in, struct kerr *err)
{
	char sym[INSTR_ID_MAX], up[INSTR_ID_MAX];
	enum instr_kind kind;
	memset(in, 0, sizeof *in);
	if (!jtok_is(d, k, J_OBJ) || fr_str(d, jobj_get(d, k, "symbol"), sym, sizeof sym) == 0)
		return kerr_set(err, FUT_E_SYNTAX, "no symbol");
	if (kraken_futures_parse(sym, up, sizeof up, &kind, in->base, in->quote, sizeof in->base))
		return 1; /* an index, an option or a symbol krakterm cannot name */
	snprintf(in->id, sizeof in->id, "%s", up);
	snprintf(in->rest_id, sizeof in->rest_id, "%s", up);
	snprintf(in->altname, sizeof in->altname, "%s", up);
	fr_str(d, jobj_get(d, k, "base"), in->base_rest, sizeof in->base_rest);
	fr_str(d, jobj_get(d, k, "quote"), in->quote_rest, sizeof in->quote_rest);
	in->product = PRODUCT_FUTURES;
	in->kind = kind;
	if (fr_dec_req(d, jobj_get(d, k, "tickSize"), "tickSize", &in->tick, err))
		return -1;
	if (dec_sign(in->tick) <= 0)
		return kerr_set(err, FUT_E_SYNTAX, "tickSize is not positive");
	in->tick = dec_normalize(in->tick);
	in->price_dp = in->tick.s;
	int64_t prec = 0;
	int pt = jobj_get(d, k, "contractValueTradePrecision");
	if (!fr_absent(d, pt) && jtok_i64(d, pt, &prec))
		return kerr_set(err, FUT_E_SYNTAX, "contractValueTradePrecision is not an integer");
	if (lot_from_precision(prec, in, err))
		return -1;
	in->min_size = in->lot;
	if (fr_dec(d, jobj_get(d, k, "contractSize"), &in->contract_size, err) < 0)
		return -1;
	if (dec_is_zero(in->contract_size))
		in->contract_size = dec_from_int(1);
	int ml = jobj_get(d, k, "marginLevels");
	if (jtok_is(d, ml, J_ARR) && decode_tiers(d, ml, in, err))
		return -1;
	if (fr_time(d, jobj_get(d, k, "lastTradingTime"), &in->expiry_ms, err) < 0)
		return -1;
	in->tradeable = fr_bool(d, jobj_get(d, k, "tradeable"));
	in->post_only = fr_bool(d, jobj_get(d, k, "postOnly"));
	return 0;
}

int fut_decode_instruments(const struct fut_doc *fd, struct state *st, size_t *n_out,
                           struct kerr *err)
{
	const struct jdoc *d = &fd->d;
	int arr = fr_payload(fd, "instruments", J_ARR, err);
	if (arr < 0)
		return -1;
	size_t cap = jtok_size(d, arr), n = 0, i = 0;
	struct instrument *tmp = xcalloc(cap ? cap : 1, sizeof *tmp);
	for (int k = jfirst(d, arr); k >= 0; k = jnext(d, arr, k), i++) {
		int r = decode_instrument(d, k, &tmp[n], err);
		if (r < 0) {
			free(tmp);
			return fail_at(err, "instruments", i);
		}
		if (r == 0)
			n++;
	}
	for (size_t j = 0; j < n; j++) {
		int idx = state_add_instrument(st, &tmp[j]);
		char low[INSTR_ID_MAX];
		snprintf(low, sizeof low, "%s", tmp[j].id);
		for (char *p = low; *p; p++)
			*p = (char)(*p >= 'A' && *p <= 'Z' ? *p + 32 : *p);
		state_alias_instrument(st, low, idx);
	}
	free(tmp);
	if (n_out)
		*n_out = n;
	state_changed(st, EV_INSTRUMENTS, -1);
	return 0;
}

/* ---- tickers ---- */

struct tk_tmp {
	int idx;
	struct ticker t;
};

/* Read field `key` into *v; sets `bit` in t->has when present. */
static int tk_field(const struct jdoc *d, int k, const char *key, dec_t *v, unsigned bit,
                    struct ticker *t, struct kerr *err)
{
	dec_t x;
	int r = fr_dec(d, jobj_get(d, k, key), &x, err);
	if (r < 0)
		return fr_prefix(err, "`%s`", key);
	if (r == 0) {
		*v = x;
		t->has |= bit;
	}
	return 0;
}

static int decode_ticker(const struct jdoc *d, int k, struct ticker *t, int64_t now_ms,
                         struct kerr *err)
{
	static const struct {
		const char *key;
		size_t off;
		unsigned bit;
	} fields[] = {
	        {"last", offsetof(struct ticker, last), TK_LAST},
	        {"bid", offsetof(struct ticker, bid), TK_BBO},
	        {"ask", offsetof(struct ticker, ask), TK_BBO},
	        {"bidSize", offsetof(struct ticker, bid_qty), TK_BBO},
	        {"askSize", offsetof(struct ticker, ask_qty), TK_BBO},
	        {"vol24h", offsetof(struct ticker, volume), TK_VOLUME},
	        {"open24h", offsetof(struct ticker, open24h), TK_CHANGE},
	        {"change24h", offsetof(struct ticker, change_pct), TK_CHANGE},
	        {"high24h", offsetof(struct ticker, high), TK_HIGHLOW},
	        {"low24h", offsetof(struct ticker, low), TK_HIGHLOW},
	        {"markPrice", offsetof(struct ticker, mark), TK_MARK},
	        {"indexPrice", offsetof(struct ticker, index), TK_INDEX},
	        {"fundingRate", offsetof(struct ticker, funding_rate), TK_FUNDING},
	        {"fundingRatePrediction", offsetof(struct ticker, funding_rate_pred), TK_FUNDING},
	        {"openInterest", offsetof(struct ticker, open_interest), TK_OI},
	};
	for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
		if (tk_field(d, k, fields[i].key, (dec_t *)((char *)t + fields[i].off),
		             fields[i].bit, t, err))
			return -1;
	int64_t ms;
	if (fr_time(d, jobj_get(d, k, "lastTime"), &ms, err) < 0)
		return -1;
	t->updated_ms = ms > now_ms ? ms : now_ms;
	return 0;
}

int fut_decode_tickers(const struct fut_doc *fd, struct state *st, struct kerr *err)
{
	const struct jdoc *d = &fd->d;
	int arr = fr_payload(fd, "tickers", J_ARR, err);
	if (arr < 0)
		return -1;
	size_t cap = jtok_size(d, arr), n = 0, i = 0;
	struct tk_tmp *tmp = xcalloc(cap ? cap : 1, sizeof *tmp);
	for (int k = jfirst(d, arr); k >= 0; k = jnext(d, arr, k), i++) {
		size_t sl;
		const char *sym = jtok_raw(d, jobj_get(d, k, "symbol"), &sl);
		if (!jtok_is(d, k, J_OBJ) || !sym || !jtok_is(d, jobj_get(d, k, "symbol"), J_STR)) {
			free(tmp);
			kerr_set(err, FUT_E_SYNTAX, "no symbol");
			return fail_at(err, "tickers", i);
		}
		int idx = fut_find_instrument(st, sym, sl);
		if (idx < 0)
			continue; /* an index ticker or a contract we do not list */
		const struct market *m = state_market_peek(st, idx);
		tmp[n].idx = idx;
		if (m)
			tmp[n].t = m->ticker; /* keep what the WS feed adds (next funding) */
		if (decode_ticker(d, k, &tmp[n].t, fd->server_ms, err)) {
			free(tmp);
			return fail_at(err, "tickers", i);
		}
		n++;
	}
	for (size_t j = 0; j < n; j++) {
		state_market(st, tmp[j].idx)->ticker = tmp[j].t;
		state_changed(st, EV_TICKER, tmp[j].idx);
	}
	free(tmp);
	return 0;
}

/* ---- order book ---- */

static int decode_side(const struct jdoc *d, int arr, const struct book *b, struct book_level *lv,
                       size_t *n, struct kerr *err)
{
	*n = 0;
	for (int k = jfirst(d, arr); k >= 0; k = jnext(d, arr, k)) {
		dec_t px, qty;
		if (!jtok_is(d, k, J_ARR) || jtok_size(d, k) < 2 ||
		    fr_dec_req(d, jarr_at(d, k, 0), "price", &px, err) ||
		    fr_dec_req(d, jarr_at(d, k, 1), "size", &qty, err))
			return kerr_set(err, FUT_E_SYNTAX, "a book level is not [price, size]");
		if (dec_sign(px) <= 0 || dec_sign(qty) < 0)
			return kerr_set(err, FUT_E_SYNTAX,
			                "a book level has a negative price or size");
		if (book_px_from_dec(b, px, &lv[*n].px) || book_qty_from_dec(b, qty, &lv[*n].qty))
			return kerr_set(
			        err, FUT_E_SYNTAX,
			        "a book level has more decimals than the instrument allows");
		(*n)++;
	}
	return 0;
}

int fut_decode_orderbook(const struct fut_doc *fd, struct state *st, int instr, struct kerr *err)
{
	const struct jdoc *d = &fd->d;
	if (!state_instrument(st, instr))
		return kerr_set(err, FUT_E_ARG, "unknown instrument");
	int ob = fr_payload(fd, "orderBook", J_OBJ, err);
	if (ob < 0)
		return -1;
	int bids = jobj_get(d, ob, "bids"), asks = jobj_get(d, ob, "asks");
	if (!jtok_is(d, bids, J_ARR) || !jtok_is(d, asks, J_ARR))
		return kerr_set(err, FUT_E_SYNTAX, "Kraken Futures order book has no bids/asks");
	struct market *m = state_market(st, instr);
	size_t nb = jtok_size(d, bids), na = jtok_size(d, asks);
	struct book_level *lb = xcalloc(nb + 1, sizeof *lb), *la = xcalloc(na + 1, sizeof *la);
	int rc = 0;
	if (decode_side(d, bids, &m->book, lb, &nb, err) ||
	    decode_side(d, asks, &m->book, la, &na, err)) {
		rc = -1;
	} else {
		book_clear(&m->book);
		for (size_t i = 0; i < nb; i++)
			book_set(&m->book, SIDE_BUY, lb[i].px, lb[i].qty);
		for (size_t i = 0; i < na; i++)
			book_set(&m->book, SIDE_SELL, la[i].px, la[i].qty);
		m->book.valid = true;
		m->stale = false;
		m->book_updated_ms = fd->server_ms;
		state_changed(st, EV_BOOK, instr);
	}
	free(lb);
	free(la);
	return rc;
}

/* ---- trades ---- */

int fut_decode_history(const struct fut_doc *fd, struct state *st, int instr, struct kerr *err)
{
	const struct jdoc *d = &fd->d;
	if (!state_instrument(st, instr))
		return kerr_set(err, FUT_E_ARG, "unknown instrument");
	int arr = fr_payload(fd, "history", J_ARR, err);
	if (arr < 0)
		return -1;
	size_t cap = jtok_size(d, arr), n = 0;
	struct trade *tmp = xcalloc(cap ? cap : 1, sizeof *tmp);
	for (int k = jfirst(d, arr); k >= 0; k = jnext(d, arr, k), n++) {
		struct trade *t = &tmp[n];
		if (!jtok_is(d, k, J_OBJ) ||
		    fr_dec_req(d, jobj_get(d, k, "price"), "price", &t->price, err) ||
		    fr_dec(d, jobj_get(d, k, "size"), &t->qty, err) < 0 ||
		    fr_time(d, jobj_get(d, k, "time"), &t->time_ms, err) ||
		    fr_side(d, jobj_get(d, k, "side"), &t->side)) {
			free(tmp);
			kerr_set(err, FUT_E_SYNTAX, "needs price, size, side and time");
			return fail_at(err, "trade history", n);
		}
		t->liquidation = jstr_eq(d, jobj_get(d, k, "type"), "liquidation");
	}
	struct market *m = state_market(st, instr);
	const struct trade *newest = trade_ring_at(&m->trades, 0);
	int64_t after = newest ? newest->time_ms : INT64_MIN;
	size_t added = 0;
	for (size_t i = n; i-- > 0;) /* the reply is newest first */
		if (tmp[i].time_ms > after) {
			trade_ring_push(&m->trades, &tmp[i]);
			candle_series_add_trade(&m->candles, &tmp[i]);
			added++;
		}
	free(tmp);
	if (added)
		state_changed(st, EV_TRADES, instr);
	return 0;
}

/* ---- funding ---- */

int fut_decode_funding_rates(const struct fut_doc *fd, struct state *st, int instr,
                             struct kerr *err)
{
	const struct jdoc *d = &fd->d;
	if (!state_instrument(st, instr))
		return kerr_set(err, FUT_E_ARG, "unknown instrument");
	int arr = fr_payload(fd, "rates", J_ARR, err);
	if (arr < 0)
		return -1;
	size_t cap = jtok_size(d, arr), n = 0;
	struct funding_rate *tmp = xcalloc(cap ? cap : 1, sizeof *tmp);
	for (int k = jfirst(d, arr); k >= 0; k = jnext(d, arr, k), n++) {
		struct funding_rate *r = &tmp[n];
		if (!jtok_is(d, k, J_OBJ) ||
		    fr_time(d, jobj_get(d, k, "timestamp"), &r->time_ms, err) ||
		    fr_dec_req(d, jobj_get(d, k, "fundingRate"), "fundingRate", &r->rate, err) ||
		    fr_dec(d, jobj_get(d, k, "relativeFundingRate"), &r->relative_rate, err) < 0) {
			free(tmp);
			kerr_set(err, FUT_E_SYNTAX, "needs timestamp and fundingRate");
			return fail_at(err, "funding rates", n);
		}
	}
	struct funding_history *h = state_funding(st, instr);
	size_t from = n > FUNDING_KEEP ? n - FUNDING_KEEP : 0;
	h->n = 0;
	for (size_t i = from; i < n; i++)
		h->r[h->n++] = tmp[i];
	free(tmp);
	state_changed(st, EV_FUNDING, instr);
	return 0;
}
