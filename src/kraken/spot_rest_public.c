/* spot_rest_public: decoders for the public Spot REST endpoints (Time,
 * SystemStatus, Assets, AssetPairs, Ticker, Depth, OHLC, Trades) and the
 * functions that apply them to the state. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/ktime.h"
#include "base/xalloc.h"
#include "kraken/spot_rest_codec.h"
#include "kraken/spot_rest_int.h"
#include "kraken/symbols.h"

int spot_dec_time(const struct jdoc *d, int res, struct spot_time *out, struct kerr *err)
{
	memset(out, 0, sizeof *out);
	if (sj_need_obj(d, res, "result", err) < 0 ||
	    sj_i64(d, res, "unixtime", &out->unixtime, true, err) < 0 ||
	    sj_str(d, res, "rfc1123", out->rfc1123, sizeof out->rfc1123, false, err) < 0)
		return -1;
	return 0;
}

int spot_dec_system_status(const struct jdoc *d, int res, struct spot_system_status *out,
			   struct kerr *err)
{
	static const char *const names[] = {"online", "maintenance", "cancel_only", "post_only"};
	char s[32], ts[48];
	memset(out, 0, sizeof *out);
	if (sj_need_obj(d, res, "result", err) < 0 ||
	    sj_str(d, res, "status", s, sizeof s, true, err) < 0 ||
	    sj_str(d, res, "timestamp", ts, sizeof ts, false, err) < 0)
		return -1;
	out->status = SPOT_SYS_UNKNOWN;
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (strcmp(s, names[i]) == 0)
			out->status = (enum spot_sys)i;
	if (ts[0] && ktime_parse_rfc3339(ts, (size_t)-1, &out->ts_ns, NULL) < 0)
		return kerr_set(err, SPOT_E_VALUE, "field \"timestamp\" is not an RFC 3339 time");
	return 0;
}

int spot_dec_assets(const struct jdoc *d, int res, struct spot_asset **out, size_t *n,
		    struct kerr *err)
{
	*out = NULL;
	*n = 0;
	if (sj_need_obj(d, res, "result", err) < 0)
		return -1;
	struct spot_asset *a = xcalloc(jtok_size(d, res) + 1, sizeof *a);
	size_t m = 0;
	for (int k = jfirst(d, res); k >= 0; k = jnext(d, res, k), m++) {
		struct spot_asset *x = &a[m];
		int v = k + 1;
		int64_t dec = 0, ddec = 0;
		if (sj_key(d, k, x->id, sizeof x->id, err) < 0 || sj_need_obj(d, v, x->id, err) < 0 ||
		    sj_str(d, v, "altname", x->altname, sizeof x->altname, true, err) < 0 ||
		    sj_str(d, v, "aclass", x->aclass, sizeof x->aclass, false, err) < 0 ||
		    sj_i64(d, v, "decimals", &dec, false, err) < 0 ||
		    sj_i64(d, v, "display_decimals", &ddec, false, err) < 0 ||
		    sj_dec(d, v, "collateral_value", &x->collateral_value, false, err) < 0 ||
		    sj_str(d, v, "status", x->status, sizeof x->status, false, err) < 0) {
			free(a);
			return -1;
		}
		x->decimals = (int)dec;
		x->display_decimals = (int)ddec;
		kraken_asset_display(x->id, x->display, sizeof x->display, NULL);
	}
	*out = a;
	*n = m;
	return 0;
}

/* Leverage list [2,3,4,5] into a 0-terminated byte array. */
static int dec_leverage(const struct jdoc *d, int obj, const char *key, uint8_t *out,
			struct kerr *err)
{
	int a = jobj_get(d, obj, key);
	memset(out, 0, LEVERAGE_OPTS_MAX);
	if (a < 0)
		return 0;
	if (sj_need_arr(d, a, key, err) < 0)
		return -1;
	size_t i = 0;
	for (int e = jfirst(d, a); e >= 0 && i + 1 < LEVERAGE_OPTS_MAX; e = jnext(d, a, e)) {
		int64_t v;
		if (jtok_i64(d, e, &v) < 0 || v < 1 || v > 255)
			return kerr_set(err, SPOT_E_VALUE, "\"%s\" holds a bad leverage", key);
		out[i++] = (uint8_t)v;
	}
	return 0;
}

/* First fee tier [[volume, percent], ...] as a fraction (0.26 % -> 0.0026). */
static int dec_fee(const struct jdoc *d, int obj, const char *key, dec_t *out, bool *has,
		   struct kerr *err)
{
	int a = jobj_get(d, obj, key);
	*has = false;
	*out = dec_zero();
	if (a < 0 || jtok_size(d, a) == 0)
		return 0;
	dec_t pct;
	if (!jtok_is(d, a, J_ARR) || jtok_dec(d, jpath(d, a, "0", "1", NULL), &pct, NULL) < 0 ||
	    dec_div(pct, dec_from_int(100), (unsigned)(pct.s + 2 > 18 ? 18 : pct.s + 2), DEC_HALF_EVEN,
		    out) < 0)
		return kerr_set(err, SPOT_E_VALUE, "field \"%s\" is not a fee schedule", key);
	*has = true;
	return 0;
}

static int dec_pair(const struct jdoc *d, int k, struct spot_pair *p, struct kerr *err)
{
	struct instrument *in = &p->in;
	int v = k + 1;
	char status[24];
	int64_t pdp = 0, ldp = 0, cdp = 0;
	if (sj_key(d, k, in->rest_id, sizeof in->rest_id, err) < 0 ||
	    sj_need_obj(d, v, in->rest_id, err) < 0 ||
	    sj_str(d, v, "altname", in->altname, sizeof in->altname, true, err) < 0 ||
	    sj_str(d, v, "wsname", p->wsname, sizeof p->wsname, false, err) < 0 ||
	    sj_str(d, v, "base", in->base_rest, sizeof in->base_rest, true, err) < 0 ||
	    sj_str(d, v, "quote", in->quote_rest, sizeof in->quote_rest, true, err) < 0 ||
	    sj_i64(d, v, "pair_decimals", &pdp, true, err) < 0 ||
	    sj_i64(d, v, "lot_decimals", &ldp, true, err) < 0 ||
	    sj_i64(d, v, "cost_decimals", &cdp, false, err) < 0 ||
	    sj_dec(d, v, "ordermin", &in->min_size, false, err) < 0 ||
	    sj_dec(d, v, "costmin", &in->min_cost, false, err) < 0 ||
	    sj_dec(d, v, "tick_size", &in->tick, false, err) < 0 ||
	    sj_str(d, v, "status", status, sizeof status, false, err) < 0 ||
	    dec_leverage(d, v, "leverage_buy", in->leverage_buy, err) < 0 ||
	    dec_leverage(d, v, "leverage_sell", in->leverage_sell, err) < 0)
		return -1;
	if (pdp < 0 || pdp > 18 || ldp < 0 || ldp > 18 || cdp < 0 || cdp > 18)
		return kerr_set(err, SPOT_E_VALUE, "pair %s has decimals out of range", in->rest_id);
	bool has_taker, has_maker;
	if (dec_fee(d, v, "fees", &in->fee_taker, &has_taker, err) < 0 ||
	    dec_fee(d, v, "fees_maker", &in->fee_maker, &has_maker, err) < 0)
		return -1;
	if (!has_maker)
		in->fee_maker = in->fee_taker;
	char b[ASSET_MAX], q[ASSET_MAX];
	kraken_asset_display(in->base_rest, b, sizeof b, NULL);
	kraken_asset_display(in->quote_rest, q, sizeof q, NULL);
	snprintf(in->base, sizeof in->base, "%s", b);
	snprintf(in->quote, sizeof in->quote, "%s", q);
	kraken_pair_ws(b, q, in->id, sizeof in->id);
	in->product = PRODUCT_SPOT;
	in->kind = IK_SPOT;
	in->price_dp = (uint8_t)pdp;
	in->qty_dp = (uint8_t)ldp;
	in->cost_dp = (uint8_t)cdp;
	in->lot = dec_make(1, (unsigned)ldp);
	if (dec_is_zero(in->tick))
		in->tick = dec_make(1, (unsigned)pdp);
	in->contract_size = dec_from_int(1);
	in->tradeable = !status[0] || strcmp(status, "online") == 0 ||
			strcmp(status, "post_only") == 0 || strcmp(status, "limit_only") == 0 ||
			strcmp(status, "reduce_only") == 0;
	in->post_only = strcmp(status, "post_only") == 0;
	return 0;
}

int spot_dec_asset_pairs(const struct jdoc *d, int res, struct spot_pair **out, size_t *n,
			 struct kerr *err)
{
	*out = NULL;
	*n = 0;
	if (sj_need_obj(d, res, "result", err) < 0)
		return -1;
	struct spot_pair *p = xcalloc(jtok_size(d, res) + 1, sizeof *p);
	size_t m = 0;
	for (int k = jfirst(d, res); k >= 0; k = jnext(d, res, k)) {
		char key[INSTR_ID_MAX];
		jtok_str(d, k, key, sizeof key);
		size_t kl = strlen(key);
		if (kl > 2 && strcmp(key + kl - 2, ".d") == 0)
			continue; /* retired dark-pool pairs */
		if (dec_pair(d, k, &p[m], err) < 0) {
			free(p);
			return -1;
		}
		m++;
	}
	*out = p;
	*n = m;
	return 0;
}

void spot_apply_instruments(struct state *st, const struct spot_pair *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		int idx = state_add_instrument(st, &p[i].in);
		if (p[i].wsname[0])
			state_alias_instrument(st, p[i].wsname, idx);
		state_alias_instrument(st, p[i].in.rest_id, idx);
		state_alias_instrument(st, p[i].in.altname, idx);
	}
	state_changed(st, EV_INSTRUMENTS, -1);
}

/* Element i of array member key as a decimal. */
static int arr_dec(const struct jdoc *d, int obj, const char *key, size_t i, dec_t *out,
		   struct kerr *err)
{
	int a = jobj_get(d, obj, key);
	if (!jtok_is(d, a, J_ARR) || jtok_dec(d, jarr_at(d, a, i), out, NULL) < 0)
		return kerr_set(err, SPOT_E_SHAPE, "ticker field \"%s\"[%zu] is missing or bad", key,
				i);
	return 0;
}

static int dec_ticker_row(const struct jdoc *d, int k, struct spot_ticker_row *r,
			  struct kerr *err)
{
	int v = k + 1;
	struct ticker *t = &r->tk;
	if (sj_key(d, k, r->pair, sizeof r->pair, err) < 0 || sj_need_obj(d, v, r->pair, err) < 0 ||
	    arr_dec(d, v, "a", 0, &t->ask, err) < 0 || arr_dec(d, v, "a", 2, &t->ask_qty, err) < 0 ||
	    arr_dec(d, v, "b", 0, &t->bid, err) < 0 || arr_dec(d, v, "b", 2, &t->bid_qty, err) < 0 ||
	    arr_dec(d, v, "c", 0, &t->last, err) < 0 || arr_dec(d, v, "v", 1, &t->volume, err) < 0 ||
	    arr_dec(d, v, "h", 1, &t->high, err) < 0 || arr_dec(d, v, "l", 1, &t->low, err) < 0 ||
	    sj_dec(d, v, "o", &t->open24h, false, err) < 0)
		return -1;
	t->has = TK_LAST | TK_BBO | TK_VOLUME | TK_HIGHLOW;
	if (dec_sign(t->open24h) > 0) {
		dec_t diff, ratio;
		if (dec_sub(t->last, t->open24h, &diff) == 0 &&
		    dec_div(diff, t->open24h, 6, DEC_HALF_EVEN, &ratio) == 0 &&
		    dec_mul(ratio, dec_from_int(100), 2, DEC_HALF_EVEN, &t->change_pct) == 0)
			t->has |= TK_CHANGE;
	}
	return 0;
}

int spot_dec_ticker(const struct jdoc *d, int res, struct spot_ticker_row **out, size_t *n,
		    struct kerr *err)
{
	*out = NULL;
	*n = 0;
	if (sj_need_obj(d, res, "result", err) < 0)
		return -1;
	struct spot_ticker_row *r = xcalloc(jtok_size(d, res) + 1, sizeof *r);
	size_t m = 0;
	for (int k = jfirst(d, res); k >= 0; k = jnext(d, res, k), m++) {
		if (dec_ticker_row(d, k, &r[m], err) < 0) {
			free(r);
			return -1;
		}
	}
	*out = r;
	*n = m;
	return 0;
}

size_t spot_apply_ticker(struct state *st, const struct spot_ticker_row *rows, size_t n)
{
	size_t applied = 0;
	for (size_t i = 0; i < n; i++) {
		int idx = state_find_instrument(st, rows[i].pair);
		struct market *m = state_market(st, idx);
		if (!m)
			continue;
		int64_t upd = m->ticker.updated_ms;
		m->ticker = rows[i].tk;
		m->ticker.updated_ms = upd;
		state_changed(st, EV_TICKER, idx);
		applied++;
	}
	return applied;
}

/* The result's one pair member (the key that is not "last"). */
static int pair_member(const struct jdoc *d, int res, char *pair, size_t cap, struct kerr *err)
{
	if (sj_need_obj(d, res, "result", err) < 0)
		return -1;
	for (int k = jfirst(d, res); k >= 0; k = jnext(d, res, k)) {
		if (jstr_eq(d, k, "last"))
			continue;
		if (sj_key(d, k, pair, cap, err) < 0)
			return -1;
		return k + 1;
	}
	return kerr_set(err, SPOT_E_SHAPE, "the result holds no pair");
}

static int dec_levels(const struct jdoc *d, int obj, const char *key, struct spot_level **out,
		      size_t *n, struct kerr *err)
{
	int a = jobj_get(d, obj, key);
	*out = NULL;
	*n = 0;
	if (sj_need_arr(d, a, key, err) < 0)
		return -1;
	struct spot_level *lv = xcalloc(jtok_size(d, a) + 1, sizeof *lv);
	size_t m = 0;
	for (int e = jfirst(d, a); e >= 0; e = jnext(d, a, e), m++) {
		if (!jtok_is(d, e, J_ARR) || jtok_dec(d, jarr_at(d, e, 0), &lv[m].price, NULL) < 0 ||
		    jtok_dec(d, jarr_at(d, e, 1), &lv[m].qty, NULL) < 0 ||
		    dec_sign(lv[m].price) <= 0 || dec_sign(lv[m].qty) < 0) {
			free(lv);
			return kerr_set(err, SPOT_E_VALUE, "%s level %zu is not [price, volume, time]",
					key, m);
		}
		jtok_i64(d, jarr_at(d, e, 2), &lv[m].ts);
	}
	*out = lv;
	*n = m;
	return 0;
}

int spot_dec_depth(const struct jdoc *d, int res, struct spot_depth *out, struct kerr *err)
{
	memset(out, 0, sizeof *out);
	int v = pair_member(d, res, out->pair, sizeof out->pair, err);
	if (v < 0 || sj_need_obj(d, v, out->pair, err) < 0 ||
	    dec_levels(d, v, "asks", &out->asks, &out->nasks, err) < 0 ||
	    dec_levels(d, v, "bids", &out->bids, &out->nbids, err) < 0) {
		spot_depth_free(out);
		return -1;
	}
	return 0;
}

void spot_depth_free(struct spot_depth *dp)
{
	free(dp->asks);
	free(dp->bids);
	dp->asks = dp->bids = NULL;
	dp->nasks = dp->nbids = 0;
}

/* Convert one side into the book's integer units; -1 if a level does not fit. */
static int side_units(const struct book *b, const struct spot_level *lv, size_t n,
		      struct book_level *out, struct kerr *err)
{
	for (size_t i = 0; i < n; i++) {
		if (book_px_from_dec(b, lv[i].price, &out[i].px) < 0 ||
		    book_qty_from_dec(b, lv[i].qty, &out[i].qty) < 0)
			return kerr_set(err, SPOT_E_VALUE,
					"a level has more decimals than the pair allows");
	}
	return 0;
}

int spot_apply_depth(struct state *st, const struct spot_depth *dp, struct kerr *err)
{
	int idx = state_find_instrument(st, dp->pair);
	if (idx < 0)
		return kerr_set(err, SPOT_E_VALUE, "unknown pair %s", dp->pair);
	struct market *m = state_market(st, idx);
	struct book_level *a = xcalloc(dp->nasks + 1, sizeof *a);
	struct book_level *b = xcalloc(dp->nbids + 1, sizeof *b);
	int rc = -1;
	if (side_units(&m->book, dp->asks, dp->nasks, a, err) == 0 &&
	    side_units(&m->book, dp->bids, dp->nbids, b, err) == 0) {
		book_clear(&m->book);
		int64_t ts = 0;
		for (size_t i = 0; i < dp->nasks; i++) {
			book_set(&m->book, SIDE_SELL, a[i].px, a[i].qty);
			ts = dp->asks[i].ts > ts ? dp->asks[i].ts : ts;
		}
		for (size_t i = 0; i < dp->nbids; i++) {
			book_set(&m->book, SIDE_BUY, b[i].px, b[i].qty);
			ts = dp->bids[i].ts > ts ? dp->bids[i].ts : ts;
		}
		book_truncate(&m->book);
		m->book.valid = true;
		if (ts > 0)
			m->book_updated_ms = ts <= INT64_MAX / 1000 ? ts * 1000 : m->book_updated_ms;
		state_changed(st, EV_BOOK, idx);
		rc = 0;
	}
	free(a);
	free(b);
	return rc;
}

int spot_dec_ohlc(const struct jdoc *d, int res, struct spot_ohlc *out, struct kerr *err)
{
	memset(out, 0, sizeof *out);
	int v = pair_member(d, res, out->pair, sizeof out->pair, err);
	if (v < 0 || sj_need_arr(d, v, out->pair, err) < 0 ||
	    sj_i64(d, res, "last", &out->last, false, err) < 0)
		return -1;
	struct candle *c = xcalloc(jtok_size(d, v) + 1, sizeof *c);
	size_t m = 0;
	for (int e = jfirst(d, v); e >= 0; e = jnext(d, v, e), m++) {
		int64_t t;
		if (!jtok_is(d, e, J_ARR) || jtok_i64(d, jarr_at(d, e, 0), &t) < 0 ||
		    jtok_dec(d, jarr_at(d, e, 1), &c[m].open, NULL) < 0 ||
		    jtok_dec(d, jarr_at(d, e, 2), &c[m].high, NULL) < 0 ||
		    jtok_dec(d, jarr_at(d, e, 3), &c[m].low, NULL) < 0 ||
		    jtok_dec(d, jarr_at(d, e, 4), &c[m].close, NULL) < 0 ||
		    jtok_dec(d, jarr_at(d, e, 6), &c[m].volume, NULL) < 0) {
			free(c);
			return kerr_set(err, SPOT_E_VALUE, "candle %zu is not [time,o,h,l,c,vwap,vol,n]",
					m);
		}
		if (t < 0 || t > INT64_MAX / 1000) {
			free(c);
			return kerr_set(err, SPOT_E_VALUE, "candle %zu: time out of range", m);
		}
		c[m].start_ms = t * 1000;
	}
	out->c = c;
	out->n = m;
	return 0;
}

int spot_apply_ohlc(struct state *st, const struct spot_ohlc *o, int interval_min,
		    struct kerr *err)
{
	int idx = state_find_instrument(st, o->pair);
	struct market *m = state_market(st, idx);
	if (!m)
		return kerr_set(err, SPOT_E_VALUE, "unknown pair %s", o->pair);
	if (m->candles.interval_min != interval_min) {
		m->candles.interval_min = interval_min;
		m->candles.n = 0;
	}
	for (size_t i = 0; i < o->n; i++)
		candle_series_put(&m->candles, &o->c[i]);
	state_changed(st, EV_CANDLES, idx);
	return 0;
}

int spot_dec_trades(const struct jdoc *d, int res, struct spot_trades *out, struct kerr *err)
{
	memset(out, 0, sizeof *out);
	int v = pair_member(d, res, out->pair, sizeof out->pair, err);
	if (v < 0 || sj_need_arr(d, v, out->pair, err) < 0 ||
	    sj_str(d, res, "last", out->last, sizeof out->last, false, err) < 0)
		return -1;
	struct trade *t = xcalloc(jtok_size(d, v) + 1, sizeof *t);
	size_t m = 0;
	for (int e = jfirst(d, v); e >= 0; e = jnext(d, v, e), m++) {
		int side = jarr_at(d, e, 3);
		if (!jtok_is(d, e, J_ARR) || jtok_dec(d, jarr_at(d, e, 0), &t[m].price, NULL) < 0 ||
		    jtok_dec(d, jarr_at(d, e, 1), &t[m].qty, NULL) < 0 ||
		    sj_tok_time_ms(d, jarr_at(d, e, 2), &t[m].time_ms, NULL) < 0 ||
		    !(jstr_eq(d, side, "b") || jstr_eq(d, side, "s"))) {
			free(t);
			return kerr_set(err, SPOT_E_VALUE,
					"trade %zu is not [price,vol,time,b|s,m|l,misc,id]", m);
		}
		t[m].side = jstr_eq(d, side, "b") ? SIDE_BUY : SIDE_SELL;
	}
	out->t = t;
	out->n = m;
	return 0;
}

int spot_apply_trades(struct state *st, const struct spot_trades *t, struct kerr *err)
{
	int idx = state_find_instrument(st, t->pair);
	struct market *m = state_market(st, idx);
	if (!m)
		return kerr_set(err, SPOT_E_VALUE, "unknown pair %s", t->pair);
	for (size_t i = 0; i < t->n; i++)
		trade_ring_push(&m->trades, &t->t[i]);
	state_changed(st, EV_TRADES, idx);
	return 0;
}
