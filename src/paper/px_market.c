/* px_market: public market data of the paper exchange: recent trades, OHLC
 * candles at Kraken's intervals, 24-hour and since-midnight ticker statistics
 * (one bucket per minute), depth, best prices and reference prices. */
#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"
#include "paper/px_int.h"

#define NS_MIN (60LL * 1000000000LL)

static const int ohlc_iv[PX_OHLC_NIV] = {1, 5, 15, 30, 60, 240, 1440, 10080, 21600};

bool px_ohlc_interval_ok(int minutes)
{
	for (int i = 0; i < PX_OHLC_NIV; i++)
		if (ohlc_iv[i] == minutes)
			return true;
	return false;
}

int px_market_init(struct pxinst *pi, size_t trades_keep)
{
	pxring_init(&pi->trades, sizeof(struct px_trade), trades_keep);
	for (int i = 0; i < PX_OHLC_NIV; i++)
		pi->ohlc[i] = xcalloc(1, sizeof *pi->ohlc[i]);
	pi->mins = xcalloc(PX_MINUTES_24H, sizeof *pi->mins);
	return 0;
}

void px_market_free(struct pxinst *pi)
{
	pxring_free(&pi->trades);
	for (int i = 0; i < PX_OHLC_NIV; i++) {
		free(pi->ohlc[i]);
		pi->ohlc[i] = NULL;
	}
	free(pi->mins);
	pi->mins = NULL;
}

void px_market_clear(struct pxinst *pi)
{
	pxring_clear(&pi->trades);
	for (int i = 0; i < PX_OHLC_NIV; i++)
		memset(pi->ohlc[i], 0, sizeof *pi->ohlc[i]);
	memset(pi->mins, 0, PX_MINUTES_24H * sizeof *pi->mins);
}

static void candle_add(struct pxcandle *c, int64_t begin, int64_t p, int64_t q)
{
	if (c->begin_ns != begin || c->count == 0) {
		memset(c, 0, sizeof *c);
		c->begin_ns = begin;
		c->o = c->h = c->l = p;
	}
	if (p > c->h)
		c->h = p;
	if (p < c->l)
		c->l = p;
	c->c = p;
	c->vol_u += q;
	c->notional += (px_i128)q * p;
	c->count++;
}

static void ohlc_add(struct pxcring *r, int64_t iv_ns, int64_t ts, int64_t p, int64_t q)
{
	int64_t begin = ts - ((ts % iv_ns) + iv_ns) % iv_ns;
	struct pxcandle *cur = r->n ? &r->v[(r->head + r->n - 1) % PX_OHLC_KEEP] : NULL;
	if (!cur || cur->begin_ns < begin) {
		if (r->n == PX_OHLC_KEEP) {
			r->head = (r->head + 1) % PX_OHLC_KEEP;
			r->n--;
		}
		cur = &r->v[(r->head + r->n) % PX_OHLC_KEEP];
		r->n++;
		memset(cur, 0, sizeof *cur);
	}
	candle_add(cur, begin, p, q);
}

void px_market_trade(struct px *px, struct pxinst *pi, int64_t price_u, int64_t qty_u,
		     enum engine_side aggressor, enum engine_type taker_type, bool liq)
{
	const struct px_instr *in = pi->in;
	struct px_trade *t = pxring_push(&pi->trades, NULL, NULL);
	t->id = ++pi->trade_seq;
	if (in->product == PX_FUTURES)
		px_gen_uuid(px, t->uid);
	t->price = px_dec(price_u, in->price_dp);
	t->qty = px_dec(qty_u, in->qty_dp);
	t->side = aggressor;
	t->taker_type = taker_type;
	t->liquidation = liq;
	t->ts_ns = px->now;
	pi->has_last = true;
	pi->last_u = price_u;
	pi->last_qty_u = qty_u;
	pi->last_ns = px->now;
	for (int i = 0; i < PX_OHLC_NIV; i++)
		ohlc_add(pi->ohlc[i], ohlc_iv[i] * NS_MIN, px->now, price_u, qty_u);
	int64_t minute = px->now / NS_MIN;
	candle_add(&pi->mins[((minute % PX_MINUTES_24H) + PX_MINUTES_24H) % PX_MINUTES_24H],
		   minute * NS_MIN, price_u, qty_u);
	pi->ticker_changed = true;
	if (!px->nls || px->restoring)
		return;
	struct px_event ev = {.kind = PX_EV_TRADE, .ts_ns = px->now, .instr = in};
	ev.trade = t;
	px_emit(px, &ev);
}

/* ---- queries ---- */

static const struct pxinst *inst_of(const struct px *px, const struct px_instr *in)
{
	if (!in || in->id == 0 || in->id > px->tab.n)
		return NULL;
	return &px->inst[in->id];
}

size_t px_depth(const struct px *px, const struct px_instr *instr, enum engine_side side,
		struct px_level *out, size_t n)
{
	const struct pxinst *pi = inst_of(px, instr);
	if (!pi || !n)
		return 0;
	struct engine_level buf[64];
	size_t done = 0;
	/* engine_depth copies from the top: ask for all we need in chunks */
	struct engine_level *lv = n <= 64 ? buf : xmalloc(n * sizeof *lv);
	done = engine_depth(pi->eng, side, lv, n);
	for (size_t i = 0; i < done; i++) {
		out[i].price = px_dec(lv[i].price, instr->price_dp);
		out[i].qty = px_dec(lv[i].qty, instr->qty_dp);
		out[i].count = lv[i].count;
	}
	if (lv != buf)
		free(lv);
	return done;
}

int px_best(const struct px *px, const struct px_instr *instr, enum engine_side side,
	    struct px_level *out)
{
	const struct pxinst *pi = inst_of(px, instr);
	int64_t p, q;
	if (!pi || engine_best(pi->eng, side, &p, &q) < 0)
		return -1;
	out->price = px_dec(p, instr->price_dp);
	out->qty = px_dec(q, instr->qty_dp);
	out->count = 0;
	return 0;
}

int px_last_trade(const struct px *px, const struct px_instr *instr, struct px_trade *out)
{
	const struct pxinst *pi = inst_of(px, instr);
	if (!pi || !pi->trades.n)
		return -1;
	*out = *(const struct px_trade *)pxring_at(&pi->trades, pi->trades.n - 1);
	return 0;
}

size_t px_trades(const struct px *px, const struct px_instr *instr, int64_t since_ns,
		 size_t max, void (*fn)(void *arg, const struct px_trade *t), void *arg)
{
	const struct pxinst *pi = inst_of(px, instr);
	if (!pi)
		return 0;
	size_t n = pi->trades.n, first = 0;
	while (first < n && ((const struct px_trade *)pxring_at(&pi->trades, first))->ts_ns <= since_ns)
		first++;
	size_t count = n - first;
	if (max && count > max) {
		if (since_ns > 0)
			n = first + max;
		else
			first = n - max;
	}
	size_t done = 0;
	for (size_t i = first; i < n; i++, done++)
		fn(arg, pxring_at(&pi->trades, i));
	return done;
}

int px_ohlc(const struct px *px, const struct px_instr *instr, int minutes, int64_t since_ns,
	    void (*fn)(void *arg, const struct px_candle *c), void *arg)
{
	const struct pxinst *pi = inst_of(px, instr);
	int idx = -1;
	for (int i = 0; i < PX_OHLC_NIV; i++)
		if (ohlc_iv[i] == minutes)
			idx = i;
	if (!pi || idx < 0)
		return -1;
	const struct pxcring *r = pi->ohlc[idx];
	int count = 0;
	for (size_t i = 0; i < r->n; i++) {
		const struct pxcandle *c = &r->v[(r->head + i) % PX_OHLC_KEEP];
		if (c->begin_ns < since_ns)
			continue;
		struct px_candle out;
		out.begin_ns = c->begin_ns;
		out.open = px_dec(c->o, instr->price_dp);
		out.high = px_dec(c->h, instr->price_dp);
		out.low = px_dec(c->l, instr->price_dp);
		out.close = px_dec(c->c, instr->price_dp);
		out.volume = px_dec(c->vol_u, instr->qty_dp);
		int dp = instr->price_dp + 4 > 18 ? 18 : instr->price_dp + 4;
		px_i128 v = c->vol_u ? c->notional * px_pow10(dp - instr->price_dp) / c->vol_u : 0;
		out.vwap = dec_normalize(px_dec((int64_t)v, dp));
		out.count = c->count;
		fn(arg, &out);
		count++;
	}
	return count;
}

dec_t px_ref_price(const struct px *px, const struct px_instr *instr, enum engine_ref ref)
{
	const struct pxinst *pi = inst_of(px, instr);
	if (!pi)
		return dec_zero();
	return px_dec(px_ref_u(px, pi, ref), instr->price_dp);
}

void px_set_funding(struct px *px, const struct px_instr *instr, dec_t rate, dec_t predicted,
		    dec_t rel_rate, dec_t rel_predicted, int64_t next_ns)
{
	if (!instr || instr->id == 0 || instr->id > px->tab.n)
		return;
	struct pxinst *pi = &px->inst[instr->id];
	pi->funding_rate = rate;
	pi->funding_pred = predicted;
	pi->rel_funding = rel_rate;
	pi->rel_funding_pred = rel_predicted;
	pi->next_funding_ns = next_ns;
	pi->ticker_changed = true;
	if (!px->emitting)
		px_after_engine(px, pi);
}

/* Statistics of the minute buckets from `from` (inclusive) to now. */
struct stats {
	int64_t open, high, low, vol, first_begin;
	px_i128 notional;
	uint32_t count;
	bool any;
};

static void stats_of(const struct px *px, const struct pxinst *pi, int64_t from, struct stats *s)
{
	memset(s, 0, sizeof *s);
	for (int i = 0; i < PX_MINUTES_24H; i++) {
		const struct pxcandle *c = &pi->mins[i];
		if (!c->count || c->begin_ns < from || c->begin_ns > px->now)
			continue;
		if (!s->any || c->begin_ns < s->first_begin) {
			s->first_begin = c->begin_ns;
			s->open = c->o;
		}
		if (!s->any || c->h > s->high)
			s->high = c->h;
		if (!s->any || c->l < s->low)
			s->low = c->l;
		s->vol += c->vol_u;
		s->notional += c->notional;
		s->count += c->count;
		s->any = true;
	}
}

static void fill_stats(const struct px_instr *in, const struct stats *s, int64_t last,
		       dec_t *vol, dec_t *vwap, dec_t *low, dec_t *high, dec_t *open, uint32_t *n)
{
	int dp = in->price_dp;
	*vol = px_dec(s->vol, in->qty_dp);
	*n = s->count;
	if (!s->any) {
		*vwap = *low = *high = *open = px_dec(last, dp);
		return;
	}
	int vdp = dp + 4 > 18 ? 18 : dp + 4;
	*vwap = dec_normalize(px_dec((int64_t)(s->notional * px_pow10(4) / s->vol), vdp));
	*low = px_dec(s->low, dp);
	*high = px_dec(s->high, dp);
	*open = px_dec(s->open, dp);
}

int px_ticker(const struct px *px, const struct px_instr *instr, struct px_ticker *out)
{
	const struct pxinst *pi = inst_of(px, instr);
	memset(out, 0, sizeof *out);
	if (!pi)
		return -1;
	int pdp = instr->price_dp, qdp = instr->qty_dp;
	int64_t p, q;
	if (engine_best(pi->eng, ENGINE_BUY, &p, &q) == 0) {
		out->has_bid = true;
		out->bid = px_dec(p, pdp);
		out->bid_qty = px_dec(q, qdp);
	}
	if (engine_best(pi->eng, ENGINE_SELL, &p, &q) == 0) {
		out->has_ask = true;
		out->ask = px_dec(p, pdp);
		out->ask_qty = px_dec(q, qdp);
	}
	int64_t last = px_ref_u(px, pi, ENGINE_REF_LAST);
	out->has_last = pi->has_last;
	out->last = px_dec(last, pdp);
	out->last_qty = px_dec(pi->last_qty_u, qdp);
	out->last_ns = pi->last_ns;
	const int64_t day = 24 * 60 * NS_MIN;
	struct stats s24, sd;
	stats_of(px, pi, px->now - day + NS_MIN, &s24);
	stats_of(px, pi, px->now - ((px->now % day) + day) % day, &sd);
	fill_stats(instr, &s24, last, &out->vol_24h, &out->vwap_24h, &out->low_24h, &out->high_24h,
		   &out->open_24h, &out->trades_24h);
	fill_stats(instr, &sd, last, &out->vol_today, &out->vwap_today, &out->low_today,
		   &out->high_today, &out->open_today, &out->trades_today);
	int quote_dp = instr->product == PX_SPOT ? px->tab.assets[instr->quote].decimals : 4;
	out->volume_quote_24h = px_dec(px_notional_to(instr, s24.notional, quote_dp, DEC_HALF_UP),
				       quote_dp);
	int64_t open = s24.any ? s24.open : last;
	out->change_24h = px_dec(last - open, pdp);
	if (open > 0)
		dec_div(px_dec((last - open) * 100, pdp), px_dec(open, pdp), 2, DEC_HALF_UP,
			&out->change_pct_24h);
	if (instr->product == PX_FUTURES) {
		out->has_mark = true;
		out->mark = px_dec(px_ref_u(px, pi, ENGINE_REF_MARK), pdp);
		out->has_index = true;
		out->index = px_dec(px_ref_u(px, pi, ENGINE_REF_INDEX), pdp);
		out->funding_rate = pi->funding_rate;
		out->funding_rate_prediction = pi->funding_pred;
		out->rel_funding_rate = pi->rel_funding;
		out->rel_funding_rate_prediction = pi->rel_funding_pred;
		out->next_funding_ns = pi->next_funding_ns;
		int64_t oi = 0;
		for (uint32_t i = 0; i < px->nacct; i++)
			if (px->acct[i] && px->acct[i]->fpos[instr->id].size_u > 0)
				oi += px->acct[i]->fpos[instr->id].size_u;
		out->open_interest = px_dec(oi, qdp);
	}
	return 0;
}
