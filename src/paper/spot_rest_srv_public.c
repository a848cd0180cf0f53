/* spot_rest_srv_public: the public Spot REST endpoints — Time,
 * SystemStatus, Assets, AssetPairs, Ticker, Depth, OHLC, Trades, Spread —
 * rendered from px's instruments and market data. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/ktime.h"
#include "base/xalloc.h"
#include "paper/spot_rest_srv_int.h"

#define MAX_LIST 64

int srs_h_time(struct srs *r)
{
	int64_t now = px_now(r->px);
	char rfc[KTIME_FMT_MAX];
	ktime_fmt_rfc1123(now, rfc, sizeof rfc);
	jw_obj_begin(&r->w);
	jw_key(&r->w, "unixtime");
	jw_i64(&r->w, now / KTIME_NS_PER_SEC);
	jw_key(&r->w, "rfc1123");
	jw_str(&r->w, rfc);
	jw_obj_end(&r->w);
	return 0;
}

int srs_h_system_status(struct srs *r)
{
	static const char *const names[] = {"online", "maintenance", "cancel_only", "post_only"};
	char ts[KTIME_FMT_MAX];
	ktime_fmt_rfc3339(px_now(r->px), 0, ts, sizeof ts);
	unsigned s = (unsigned)r->p->faults.system;
	jw_obj_begin(&r->w);
	jw_key(&r->w, "status");
	jw_str(&r->w, s < 4 ? names[s] : "online");
	jw_key(&r->w, "timestamp");
	jw_str(&r->w, ts);
	jw_obj_end(&r->w);
	return 0;
}

int srs_h_assets(struct srs *r)
{
	const struct px_instruments *t = px_instruments(r->px);
	bool want[PX_A_COUNT];
	const char *list = srs_param(r, "asset");
	const char *aclass = srs_param(r, "aclass");
	if (aclass && strcmp(aclass, "currency") != 0)
		return srs_fail_arg(r, "aclass");
	for (int i = 0; i < PX_A_COUNT; i++)
		want[i] = list == NULL;
	if (list) {
		char *copy = xstrdup(list), *items[MAX_LIST];
		size_t n = srs_split(copy, items, MAX_LIST);
		for (size_t i = 0; i < n; i++) {
			const struct px_asset *a = px_asset_find(r->px, items[i]);
			if (!a) {
				free(copy);
				return srs_fail(r, "EQuery:Unknown asset");
			}
			want[a->idx] = true;
		}
		free(copy);
	}
	jw_obj_begin(&r->w);
	for (int i = 0; i < PX_A_COUNT; i++) {
		const struct px_asset *a = &t->assets[i];
		if (!want[i])
			continue;
		jw_key(&r->w, a->id);
		jw_obj_begin(&r->w);
		jw_key(&r->w, "aclass");
		jw_str(&r->w, a->aclass);
		jw_key(&r->w, "altname");
		jw_str(&r->w, a->altname);
		jw_key(&r->w, "decimals");
		jw_i64(&r->w, a->decimals);
		jw_key(&r->w, "display_decimals");
		jw_i64(&r->w, a->display_decimals);
		if (dec_sign(a->collateral_value) > 0) {
			jw_key(&r->w, "collateral_value");
			srs_w_num(&r->w, a->collateral_value);
		}
		jw_key(&r->w, "status");
		jw_str(&r->w, "enabled");
		jw_obj_end(&r->w);
	}
	jw_obj_end(&r->w);
	return 0;
}

/* Which pairs a "pair" list names (every spot pair when absent). */
static int pair_list(struct srs *r, bool required, const struct px_instr **out, size_t *n)
{
	const struct px_instruments *t = px_instruments(r->px);
	const char *list = srs_param(r, "pair");
	*n = 0;
	if (!list) {
		if (required)
			return srs_fail_arg(r, "pair");
		for (size_t i = 0; i < t->n && *n < MAX_LIST; i++)
			if (t->instr[i].product == PX_SPOT)
				out[(*n)++] = &t->instr[i];
		return 0;
	}
	char *copy = xstrdup(list), *items[MAX_LIST];
	size_t k = srs_split(copy, items, MAX_LIST);
	for (size_t i = 0; i < k; i++) {
		const struct px_instr *in = srs_pair(r, items[i]);
		if (!in) {
			free(copy);
			return -1;
		}
		out[(*n)++] = in;
	}
	free(copy);
	if (*n == 0)
		return srs_fail_arg(r, "pair");
	return 0;
}

/* The one pair of Depth/OHLC/Trades/Spread. */
static const struct px_instr *one_pair(struct srs *r)
{
	const char *name = srs_param(r, "pair");
	if (!name || !name[0] || strchr(name, ',')) {
		srs_fail_arg(r, "pair");
		return NULL;
	}
	return srs_pair(r, name);
}

static void w_fee_schedule(struct jw *w, dec_t pct)
{
	jw_arr_begin(w);
	jw_arr_begin(w);
	jw_i64(w, 0);
	srs_w_num(w, pct);
	jw_arr_end(w);
	jw_arr_end(w);
}

static void w_leverage(struct jw *w, const uint8_t *lev)
{
	jw_arr_begin(w);
	for (int i = 0; i < 4 && lev[i]; i++)
		jw_i64(w, lev[i]);
	jw_arr_end(w);
}

static void w_pair(struct srs *r, const struct px_instr *in, const char *info)
{
	struct jw *w = &r->w;
	const struct px_asset *b = px_asset(r->px, in->base), *q = px_asset(r->px, in->quote);
	bool all = strcmp(info, "info") == 0;
	jw_obj_begin(w);
	if (all) {
		jw_key(w, "altname");
		jw_str(w, in->altname);
		jw_key(w, "wsname");
		jw_str(w, in->wsname);
		jw_key(w, "aclass_base");
		jw_str(w, b->aclass);
		jw_key(w, "base");
		jw_str(w, b->id);
		jw_key(w, "aclass_quote");
		jw_str(w, q->aclass);
		jw_key(w, "quote");
		jw_str(w, q->id);
		jw_key(w, "lot");
		jw_str(w, "unit");
		jw_key(w, "cost_decimals");
		jw_i64(w, in->cost_dp);
		jw_key(w, "pair_decimals");
		jw_i64(w, in->price_dp);
		jw_key(w, "lot_decimals");
		jw_i64(w, in->qty_dp);
		jw_key(w, "lot_multiplier");
		jw_i64(w, 1);
	}
	if (all || strcmp(info, "leverage") == 0) {
		jw_key(w, "leverage_buy");
		w_leverage(w, in->leverage_buy);
		jw_key(w, "leverage_sell");
		w_leverage(w, in->leverage_sell);
	}
	if (all || strcmp(info, "fees") == 0) {
		jw_key(w, "fees");
		w_fee_schedule(w, in->fee_taker_pct);
		jw_key(w, "fees_maker");
		w_fee_schedule(w, in->fee_maker_pct);
		jw_key(w, "fee_volume_currency");
		jw_str(w, "ZUSD");
	}
	if (all || strcmp(info, "margin") == 0) {
		jw_key(w, "margin_call");
		jw_i64(w, in->margin_call);
		jw_key(w, "margin_stop");
		jw_i64(w, in->margin_stop);
	}
	if (all) {
		jw_key(w, "ordermin");
		srs_w_dec(w, in->ordermin, -1);
		jw_key(w, "costmin");
		srs_w_dec(w, in->costmin, -1);
		jw_key(w, "tick_size");
		srs_w_dec(w, in->tick, -1);
		jw_key(w, "status");
		jw_str(w, r->p->faults.system == PAPER_SYS_CANCEL_ONLY ? "cancel_only"
			  : r->p->faults.system == PAPER_SYS_POST_ONLY ? "post_only"
								       : "online");
	}
	jw_obj_end(w);
}

int srs_h_asset_pairs(struct srs *r)
{
	const struct px_instr *list[MAX_LIST];
	size_t n;
	const char *info = srs_param(r, "info");
	if (!info)
		info = "info";
	if (strcmp(info, "info") && strcmp(info, "leverage") && strcmp(info, "fees") &&
	    strcmp(info, "margin"))
		return srs_fail_arg(r, "info");
	if (pair_list(r, false, list, &n) < 0)
		return -1;
	jw_obj_begin(&r->w);
	for (size_t i = 0; i < n; i++) {
		jw_key(&r->w, list[i]->rest_id);
		w_pair(r, list[i], info);
	}
	jw_obj_end(&r->w);
	return 0;
}

/* [price, whole lot volume, lot volume] */
static void w_bbo(struct jw *w, const struct px_instr *in, bool has, dec_t px, dec_t qty)
{
	dec_t whole;
	if (!has)
		px = qty = dec_zero();
	dec_rescale(qty, 0, DEC_DOWN, &whole);
	jw_arr_begin(w);
	srs_w_dec(w, px, in->price_dp);
	srs_w_dec(w, whole, 0);
	srs_w_dec(w, qty, in->qty_dp);
	jw_arr_end(w);
}

static void w_pair_of(struct jw *w, dec_t a, dec_t b, int dp)
{
	jw_arr_begin(w);
	srs_w_dec(w, a, dp);
	srs_w_dec(w, b, dp);
	jw_arr_end(w);
}

int srs_h_ticker(struct srs *r)
{
	const struct px_instr *list[MAX_LIST];
	size_t n;
	if (pair_list(r, false, list, &n) < 0)
		return -1;
	struct jw *w = &r->w;
	jw_obj_begin(w);
	for (size_t i = 0; i < n; i++) {
		const struct px_instr *in = list[i];
		struct px_ticker t;
		memset(&t, 0, sizeof t);
		px_ticker(r->px, in, &t);
		jw_key(w, in->rest_id);
		jw_obj_begin(w);
		jw_key(w, "a");
		w_bbo(w, in, t.has_ask, t.ask, t.ask_qty);
		jw_key(w, "b");
		w_bbo(w, in, t.has_bid, t.bid, t.bid_qty);
		jw_key(w, "c");
		jw_arr_begin(w);
		/* Before the first trade, the price the market opened at. */
		srs_w_dec(w, t.has_last ? t.last : px_ref_price(r->px, in, ENGINE_REF_LAST), in->price_dp);
		srs_w_dec(w, t.has_last ? t.last_qty : dec_zero(), in->qty_dp);
		jw_arr_end(w);
		jw_key(w, "v");
		w_pair_of(w, t.vol_today, t.vol_24h, in->qty_dp);
		jw_key(w, "p");
		w_pair_of(w, t.vwap_today, t.vwap_24h, in->price_dp);
		jw_key(w, "t");
		jw_arr_begin(w);
		jw_i64(w, t.trades_today);
		jw_i64(w, t.trades_24h);
		jw_arr_end(w);
		jw_key(w, "l");
		w_pair_of(w, t.low_today, t.low_24h, in->price_dp);
		jw_key(w, "h");
		w_pair_of(w, t.high_today, t.high_24h, in->price_dp);
		jw_key(w, "o");
		srs_w_dec(w, t.open_today, in->price_dp);
		jw_obj_end(w);
	}
	jw_obj_end(w);
	return 0;
}

static void w_levels(struct srs *r, const struct px_instr *in, enum engine_side side, size_t count)
{
	struct px_level *lv = xcalloc(count, sizeof *lv);
	size_t n = px_depth(r->px, in, side, lv, count);
	int64_t now_s = px_now(r->px) / KTIME_NS_PER_SEC;
	jw_arr_begin(&r->w);
	for (size_t i = 0; i < n; i++) {
		jw_arr_begin(&r->w);
		srs_w_dec(&r->w, lv[i].price, in->price_dp);
		srs_w_dec(&r->w, lv[i].qty, in->qty_dp);
		jw_i64(&r->w, now_s);
		jw_arr_end(&r->w);
	}
	jw_arr_end(&r->w);
	free(lv);
}

int srs_h_depth(struct srs *r)
{
	const struct px_instr *in = one_pair(r);
	int64_t count = 100;
	if (!in || srs_int(r, "count", 1, 500, &count, NULL) < 0)
		return -1;
	jw_obj_begin(&r->w);
	jw_key(&r->w, in->rest_id);
	jw_obj_begin(&r->w);
	jw_key(&r->w, "asks");
	w_levels(r, in, ENGINE_SELL, (size_t)count);
	jw_key(&r->w, "bids");
	w_levels(r, in, ENGINE_BUY, (size_t)count);
	jw_obj_end(&r->w);
	jw_obj_end(&r->w);
	return 0;
}

struct candles {
	struct px_candle *c;
	size_t n, cap;
};

static void collect_candle(void *arg, const struct px_candle *c)
{
	struct candles *cs = arg;
	cs->c = xgrow(cs->c, &cs->cap, cs->n + 1, sizeof *cs->c);
	cs->c[cs->n++] = *c;
}

int srs_h_ohlc(struct srs *r)
{
	const struct px_instr *in = one_pair(r);
	int64_t interval = 1, since = 0;
	if (!in || srs_int(r, "interval", 1, 21600, &interval, NULL) < 0 ||
	    srs_int(r, "since", 0, INT64_MAX / KTIME_NS_PER_SEC, &since, NULL) < 0)
		return -1;
	if (!px_ohlc_interval_ok((int)interval))
		return srs_fail_arg(r, "interval");
	struct candles cs = {0};
	px_ohlc(r->px, in, (int)interval, since * KTIME_NS_PER_SEC, collect_candle, &cs);
	struct jw *w = &r->w;
	jw_obj_begin(w);
	jw_key(w, in->rest_id);
	jw_arr_begin(w);
	for (size_t i = 0; i < cs.n; i++) {
		const struct px_candle *c = &cs.c[i];
		jw_arr_begin(w);
		jw_i64(w, c->begin_ns / KTIME_NS_PER_SEC);
		srs_w_dec(w, c->open, in->price_dp);
		srs_w_dec(w, c->high, in->price_dp);
		srs_w_dec(w, c->low, in->price_dp);
		srs_w_dec(w, c->close, in->price_dp);
		srs_w_dec(w, c->vwap, in->price_dp);
		srs_w_dec(w, c->volume, in->qty_dp);
		jw_i64(w, c->count);
		jw_arr_end(w);
	}
	jw_arr_end(w);
	/* "last": the newest committed candle (the last row is still forming) */
	jw_key(w, "last");
	jw_i64(w, cs.n >= 2 ? cs.c[cs.n - 2].begin_ns / KTIME_NS_PER_SEC
		  : cs.n     ? cs.c[0].begin_ns / KTIME_NS_PER_SEC
			     : since);
	jw_obj_end(w);
	free(cs.c);
	return 0;
}

struct trades_ctx {
	struct srs *r;
	const struct px_instr *in;
	int64_t last_ns;
};

static void w_trade(void *arg, const struct px_trade *t)
{
	struct trades_ctx *c = arg;
	struct jw *w = &c->r->w;
	jw_arr_begin(w);
	srs_w_dec(w, t->price, c->in->price_dp);
	srs_w_dec(w, t->qty, c->in->qty_dp);
	srs_w_time(w, t->ts_ns);
	jw_str(w, t->side == ENGINE_BUY ? "b" : "s");
	jw_str(w, t->taker_type == ENGINE_T_MARKET ? "m" : "l");
	jw_str(w, "");
	jw_u64(w, t->id);
	jw_arr_end(w);
	c->last_ns = t->ts_ns;
}

int srs_h_trades(struct srs *r)
{
	const struct px_instr *in = one_pair(r);
	int64_t since = 0, count = 1000;
	if (!in || srs_int(r, "since", 0, INT64_MAX, &since, NULL) < 0 ||
	    srs_int(r, "count", 1, 1000, &count, NULL) < 0)
		return -1;
	/* "since" is a nanosecond cursor; small values are seconds */
	if (since > 0 && since < 100000000000LL)
		since *= KTIME_NS_PER_SEC;
	struct trades_ctx c = {r, in, since};
	struct jw *w = &r->w;
	jw_obj_begin(w);
	jw_key(w, in->rest_id);
	jw_arr_begin(w);
	px_trades(r->px, in, since, (size_t)count, w_trade, &c);
	jw_arr_end(w);
	char last[24];
	snprintf(last, sizeof last, "%lld", (long long)c.last_ns);
	jw_key(w, "last");
	jw_str(w, last);
	jw_obj_end(w);
	return 0;
}

int srs_h_spread(struct srs *r)
{
	const struct px_instr *in = one_pair(r);
	if (!in || srs_int(r, "since", 0, INT64_MAX, &(int64_t){0}, NULL) < 0)
		return -1;
	struct px_level bid, ask;
	bool hb = px_best(r->px, in, ENGINE_BUY, &bid) == 0;
	bool ha = px_best(r->px, in, ENGINE_SELL, &ask) == 0;
	int64_t now_s = px_now(r->px) / KTIME_NS_PER_SEC;
	struct jw *w = &r->w;
	jw_obj_begin(w);
	jw_key(w, in->rest_id);
	jw_arr_begin(w);
	if (hb && ha) {
		jw_arr_begin(w);
		jw_i64(w, now_s);
		srs_w_dec(w, bid.price, in->price_dp);
		srs_w_dec(w, ask.price, in->price_dp);
		jw_arr_end(w);
	}
	jw_arr_end(w);
	jw_key(w, "last");
	jw_i64(w, now_s);
	jw_obj_end(w);
	return 0;
}
