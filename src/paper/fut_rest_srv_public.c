/* fut_rest_srv_public: public market data of the paper Futures REST adapter —
 * instruments, tickers (and tickers/{symbol}), orderbook, history and
 * historical-funding-rates. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"
#include "paper/fut_rest_srv_int.h"
#include "paper/funding.h"

/* ---- instruments ---- */

static void tiers_json(struct jw *w, const char *key, const struct px_instr *in)
{
	jw_key(w, key);
	jw_arr_begin(w);
	for (int i = 0; i < in->ntiers; i++) {
		jw_obj_begin(w);
		frs_kd(w, in->tiers_in_contracts ? "contracts" : "numNonContractUnits",
		       in->tiers[i].from);
		frs_kd(w, "initialMargin", in->tiers[i].im);
		frs_kd(w, "maintenanceMargin", in->tiers[i].mm);
		jw_obj_end(w);
	}
	jw_arr_end(w);
}

static void instrument_json(struct frs *c, const struct px_instr *in)
{
	struct jw *w = &c->w;
	bool live = !in->last_trading_ns || c->now_ns < in->last_trading_ns;
	jw_obj_begin(w);
	frs_ks(w, "symbol", in->symbol);
	frs_ks(w, "pair", in->pair);
	frs_ks(w, "base", frs_code(c->px, in->base));
	frs_ks(w, "quote", frs_code(c->px, in->quote));
	frs_ks(w, "type", in->fut_type);
	frs_ks(w, "underlying", in->underlying);
	if (in->last_trading_ns)
		frs_kt(w, "lastTradingTime", in->last_trading_ns);
	frs_kd(w, "tickSize", in->tick);
	frs_kd(w, "contractSize", in->contract_size);
	frs_kb(w, "tradeable", live);
	frs_ki(w, "impactMidSize", 1);
	frs_kd(w, "maxPositionSize", in->max_position);
	frs_kt(w, "openingDate", in->opening_ns);
	tiers_json(w, "marginLevels", in);
	if (in->perpetual) {
		frs_kd(w, "fundingRateCoefficient", in->funding_coef);
		frs_kd(w, "maxRelativeFundingRate", in->max_rel_funding);
	}
	frs_ki(w, "contractValueTradePrecision", in->qty_dp);
	frs_kb(w, "postOnly", false);
	tiers_json(w, "retailMarginLevels", in);
	frs_ks(w, "category", "");
	jw_key(w, "tags");
	jw_arr_begin(w);
	jw_arr_end(w);
	frs_kb(w, "tradfi", false);
	jw_obj_end(w);
}

void frs_instruments(struct frs *c)
{
	const struct px_instruments *t = px_instruments(c->px);
	frs_ok_begin(c);
	jw_key(&c->w, "instruments");
	jw_arr_begin(&c->w);
	for (size_t i = 0; i < t->n; i++)
		if (t->instr[i].product == PX_FUTURES)
			instrument_json(c, &t->instr[i]);
	jw_arr_end(&c->w);
	frs_ok_end(c);
}

/* ---- tickers ---- */

static void ticker_json(struct frs *c, const struct px_instr *in)
{
	struct px_ticker t;
	if (px_ticker(c->px, in, &t))
		memset(&t, 0, sizeof t);
	struct jw *w = &c->w;
	jw_obj_begin(w);
	frs_ks(w, "tag", in->tag);
	frs_ks(w, "pair", in->pair);
	frs_ks(w, "symbol", in->symbol);
	frs_kd(w, "markPrice", t.has_mark ? t.mark : px_ref_price(c->px, in, ENGINE_REF_MARK));
	if (t.has_bid) {
		frs_kd(w, "bid", t.bid);
		frs_kd(w, "bidSize", t.bid_qty);
	}
	if (t.has_ask) {
		frs_kd(w, "ask", t.ask);
		frs_kd(w, "askSize", t.ask_qty);
	}
	frs_kd(w, "vol24h", t.vol_24h);
	frs_kd(w, "volumeQuote", t.volume_quote_24h);
	frs_kd(w, "openInterest", t.open_interest);
	if (t.has_last) {
		frs_kd(w, "open24h", t.open_24h);
		frs_kd(w, "high24h", t.high_24h);
		frs_kd(w, "low24h", t.low_24h);
	}
	frs_kd(w, "indexPrice", t.has_index ? t.index : px_ref_price(c->px, in, ENGINE_REF_INDEX));
	if (t.has_last) {
		frs_kd(w, "last", t.last);
		frs_kt(w, "lastTime", t.last_ns);
		frs_kd(w, "lastSize", t.last_qty);
	}
	frs_kb(w, "suspended", c->p->faults.fut_suspended);
	if (in->perpetual) {
		frs_kd(w, "fundingRate", t.funding_rate);
		frs_kd(w, "fundingRatePrediction", t.funding_rate_prediction);
	}
	frs_kb(w, "postOnly", false);
	frs_kd(w, "change24h", t.change_pct_24h);
	jw_obj_end(w);
}

/* An index ticker (in_xbtusd): symbol, last, lastTime only. */
static void index_json(struct frs *c, const struct px_instr *in)
{
	struct jw *w = &c->w;
	jw_obj_begin(w);
	frs_ks(w, "symbol", in->index_name);
	frs_kd(w, "last", px_ref_price(c->px, in, ENGINE_REF_INDEX));
	frs_kt(w, "lastTime", c->now_ns);
	jw_obj_end(w);
}

void frs_tickers(struct frs *c, const char *symbol)
{
	const struct px_instruments *t = px_instruments(c->px);
	if (symbol) {
		const struct px_instr *in = px_instr_find(c->px, PX_FUTURES, symbol);
		if (!in) {
			frs_error(c, "notFound");
			return;
		}
		frs_ok_begin(c);
		jw_key(&c->w, "ticker");
		ticker_json(c, in);
		frs_ok_end(c);
		return;
	}
	frs_ok_begin(c);
	jw_key(&c->w, "tickers");
	jw_arr_begin(&c->w);
	for (size_t i = 0; i < t->n; i++)
		if (t->instr[i].product == PX_FUTURES)
			ticker_json(c, &t->instr[i]);
	for (size_t i = 0; i < t->n; i++) {
		const struct px_instr *in = &t->instr[i];
		bool first = true; /* one index ticker per index, not per contract */
		for (size_t j = 0; j < i && in->index_name; j++)
			if (t->instr[j].product == PX_FUTURES && t->instr[j].index_name &&
			    !strcmp(t->instr[j].index_name, in->index_name))
				first = false;
		if (in->product == PX_FUTURES && in->index_name && first)
			index_json(c, in);
	}
	jw_arr_end(&c->w);
	frs_ok_end(c);
}

/* ---- order book ---- */

static const struct px_instr *symbol_of(struct frs *c)
{
	const char *s = frs_arg(&c->args, "symbol");
	if (!s || !s[0]) {
		frs_error(c, "requiredArgumentMissing");
		return NULL;
	}
	const struct px_instr *in = px_instr_find(c->px, PX_FUTURES, s);
	if (!in)
		frs_error(c, "invalidArgument");
	return in;
}

#define BOOK_MAX 2000

static void side_json(struct frs *c, const struct px_instr *in, enum engine_side side,
                      struct px_level *lv)
{
	size_t n = px_depth(c->px, in, side, lv, BOOK_MAX);
	jw_key(&c->w, side == ENGINE_BUY ? "bids" : "asks");
	jw_arr_begin(&c->w);
	for (size_t i = 0; i < n; i++) {
		jw_arr_begin(&c->w);
		jw_dec(&c->w, lv[i].price);
		jw_dec(&c->w, lv[i].qty);
		jw_arr_end(&c->w);
	}
	jw_arr_end(&c->w);
}

void frs_orderbook(struct frs *c)
{
	const struct px_instr *in = symbol_of(c);
	if (!in)
		return;
	struct px_level *lv = xmalloc(BOOK_MAX * sizeof *lv);
	frs_ok_begin(c);
	jw_key(&c->w, "orderBook");
	jw_obj_begin(&c->w);
	side_json(c, in, ENGINE_BUY, lv);
	side_json(c, in, ENGINE_SELL, lv);
	jw_obj_end(&c->w);
	free(lv);
	frs_ok_end(c);
}

/* ---- trade history ---- */

struct trades {
	struct px_trade *v;
	size_t n, cap;
	int64_t before_ns; /* lastTime: only trades before it (0: all) */
};

static void keep_trade(void *arg, const struct px_trade *t)
{
	struct trades *l = arg;
	if (l->before_ns && t->ts_ns >= l->before_ns)
		return;
	l->v = xgrow(l->v, &l->cap, l->n + 1, sizeof *l->v);
	l->v[l->n++] = *t;
}

void frs_history(struct frs *c)
{
	const struct px_instr *in = symbol_of(c);
	if (!in)
		return;
	struct trades l = {0};
	if (frs_time_arg(&c->args, "lastTime", &l.before_ns) < 0) {
		frs_error(c, "invalidArgument");
		return;
	}
	px_trades(c->px, in, 0, 0, keep_trade, &l);
	frs_ok_begin(c);
	jw_key(&c->w, "history");
	jw_arr_begin(&c->w);
	size_t shown = 0;
	for (size_t i = l.n; i-- > 0 && shown < 100; shown++) { /* newest first, 100 at most */
		const struct px_trade *t = &l.v[i];
		char size[DEC_FMT_MAX];
		dec_fmt(t->qty, -1, size, sizeof size);
		jw_obj_begin(&c->w);
		frs_kt(&c->w, "time", t->ts_ns);
		frs_ki(&c->w, "trade_id", (int64_t)t->id);
		frs_kd(&c->w, "price", t->price);
		frs_ks(&c->w, "size", size); /* the spec types size as a string */
		frs_ks(&c->w, "side", frs_side(t->side));
		frs_ks(&c->w, "type", t->liquidation ? "liquidation" : "fill");
		frs_ks(&c->w, "uid", t->uid);
		jw_obj_end(&c->w);
	}
	jw_arr_end(&c->w);
	free(l.v);
	frs_ok_end(c);
}

/* ---- funding ---- */

#define FUNDING_PERIOD_NS (3600LL * 1000000000LL)

/* px keeps the current funding figures only: the reply holds the period that
 * is running now (Kraken lists every past period; see docs/protocol.md). */
static void rate_out(void *arg, const struct funding_rate *r)
{
	struct frs *c = arg;
	jw_obj_begin(&c->w);
	frs_kt(&c->w, "timestamp", r->ts_ns);
	frs_kd(&c->w, "fundingRate", r->rate);
	frs_kd(&c->w, "relativeFundingRate", r->rel_rate);
	jw_obj_end(&c->w);
}

void frs_funding_rates(struct frs *c)
{
	const struct px_instr *in = symbol_of(c);
	if (!in)
		return;
	if (!in->perpetual) {
		frs_error(c, "invalidArgument");
		return;
	}
	struct px_ticker t;
	bool have = px_ticker(c->px, in, &t) == 0 && t.next_funding_ns > 0;
	frs_ok_begin(c);
	jw_key(&c->w, "rates");
	jw_arr_begin(&c->w);
	/* What actually happened (the simulator's funding, or the history saved in
	 * the state file while none runs), else the rate in force. */
	if (paper_funding_history(c->p, in, rate_out, c) > 0)
		have = false;
	if (have) {
		jw_obj_begin(&c->w);
		frs_kt(&c->w, "timestamp", t.next_funding_ns - FUNDING_PERIOD_NS);
		frs_kd(&c->w, "fundingRate", t.funding_rate);
		frs_kd(&c->w, "relativeFundingRate", t.rel_funding_rate);
		jw_obj_end(&c->w);
	}
	jw_arr_end(&c->w);
	frs_ok_end(c);
}
