/* px_fut_margin: the Futures margin arithmetic shared by admission, settlement
 * and the queries: tiered initial/maintenance margin, position PnL and average
 * entry (linear and inverse), and the flex / inverse account summaries (collateral
 * after haircuts, cross PnL, IM with open orders, isolated allocations). The
 * formulas are described in px_futures.c and docs/paper.md. */
#include <string.h>

#include "paper/px_int.h"

static int asset_dp(const struct px *px, int asset)
{
	return px->tab.assets[asset].decimals;
}

static int64_t i64abs(int64_t v)
{
	return v < 0 ? -v : v;
}

/* ---- margin tiers ---- */

/* Tiered margin of `amount` (a dec: USD notional, or contracts for inverse). */
dec_t pxf_tier_margin(const struct px_instr *in, dec_t amount, bool maint)
{
	dec_t sum = dec_zero();
	for (int i = 0; i < in->ntiers; i++) {
		dec_t lo = in->tiers[i].from, part;
		if (dec_le(amount, lo))
			break;
		dec_t hi = amount;
		if (i + 1 < in->ntiers && dec_lt(in->tiers[i + 1].from, amount))
			hi = in->tiers[i + 1].from;
		dec_sub(hi, lo, &part);
		dec_t m;
		dec_mul(part, maint ? in->tiers[i].mm : in->tiers[i].im, 12, DEC_HALF_UP, &m);
		dec_add(sum, m, &sum);
	}
	return sum;
}

/* The tier holding `amount`, its rate r and a with margin(x) = a + r * x there. */
int pxf_tier_of(const struct px_instr *in, dec_t amount, bool maint, dec_t *a, dec_t *r)
{
	int k = 0;
	while (k + 1 < in->ntiers && dec_ge(amount, in->tiers[k + 1].from))
		k++;
	*r = maint ? in->tiers[k].mm : in->tiers[k].im;
	dec_t at = pxf_tier_margin(in, in->tiers[k].from, maint), rb;
	dec_mul(*r, in->tiers[k].from, 12, DEC_HALF_UP, &rb);
	dec_sub(at, rb, a);
	return k;
}

/* dec USD (any scale) -> USD units */
int64_t pxf_usd_units(const struct px *px, dec_t v, enum dec_round r)
{
	int64_t u = 0;
	if (px_rescale(v.m, v.s, asset_dp(px, PX_A_USD), r, &u) < 0)
		return 0;
	return u;
}

/* ---- positions ---- */

int64_t pxf_mark_u(const struct px *px, const struct pxinst *pi)
{
	return px_ref_u(px, pi, ENGINE_REF_MARK);
}

/* contracts / price in XBT at PX_INV_DP */
px_i128 pxf_inv_value(const struct px_instr *in, int64_t contracts, int64_t price_u)
{
	if (price_u <= 0)
		return 0;
	px_i128 n = (px_i128)contracts * px_pow10_128(in->price_dp + PX_INV_DP - in->qty_dp);
	px_i128 q = n / price_u, r = n % price_u;
	if (2 * (r < 0 ? -r : r) >= price_u)
		q += n < 0 ? -1 : 1;
	return q;
}

/* Unrealized PnL in settle-asset units at price p. */
int64_t pxf_upnl(const struct px *px, const struct px_instr *in, const struct pxfpos *f,
			int64_t p)
{
	if (!f->size_u)
		return 0;
	if (in->inverse) {
		px_i128 now = pxf_inv_value(in, i64abs(f->size_u), p);
		px_i128 pnl = f->size_u > 0 ? f->cost - now : now - f->cost;
		int64_t out = 0;
		px_rescale(pnl, PX_INV_DP, asset_dp(px, PX_A_XBT), DEC_HALF_UP, &out);
		return out;
	}
	px_i128 cur = (px_i128)i64abs(f->size_u) * p;
	px_i128 pnl = f->size_u > 0 ? cur - f->cost : f->cost - cur;
	return px_notional_to(in, pnl, asset_dp(px, PX_A_USD), DEC_HALF_UP);
}

/* Average entry price (dec at price_dp + 4). */
dec_t pxf_entry(const struct px_instr *in, const struct pxfpos *f)
{
	if (!f->size_u || f->cost <= 0)
		return dec_zero();
	int dp = in->price_dp + 4;
	px_i128 n, d;
	if (in->inverse) { /* contracts / value */
		n = (px_i128)i64abs(f->size_u) * px_pow10_128(PX_INV_DP + dp - in->qty_dp);
		d = f->cost;
	} else {
		n = f->cost * px_pow10(4);
		d = i64abs(f->size_u);
	}
	px_i128 q = n / d;
	if (2 * (n % d) >= d)
		q++;
	return dec_normalize(px_dec((int64_t)q, dp));
}

/* Notional of a linear position (or order quantity) at p, in USD as a dec. */
dec_t pxf_notional_usd(const struct px *px, const struct px_instr *in, int64_t qty, int64_t p)
{
	return px_dec(px_notional_to(in, (px_i128)i64abs(qty) * p, asset_dp(px, PX_A_USD),
				     DEC_HALF_UP),
		      asset_dp(px, PX_A_USD));
}

/* ---- flex account ---- */

/* Opening part of an order given the position. */
int64_t pxf_opening_part(int64_t pos, enum engine_side side, int64_t rem, uint32_t flags)
{
	int64_t closing = 0;
	if (side == ENGINE_BUY && pos < 0)
		closing = rem < -pos ? rem : -pos;
	else if (side == ENGINE_SELL && pos > 0)
		closing = rem < pos ? rem : pos;
	return (flags & ENGINE_F_REDUCE_ONLY) ? 0 : rem - closing;
}

/* Price at which an order's quantity is valued for margin. */
int64_t pxf_order_price(const struct px *px, const struct pxinst *pi, const struct pxo *o)
{
	if (o->price_u > 0)
		return o->price_u;
	if (o->trigger_u > 0)
		return o->trigger_u;
	int64_t m = pxf_mark_u(px, pi);
	return m + (int64_t)((px_i128)m * pi->in->mkt_collar_ppm / 1000000);
}

void pxf_flex_compute(const struct px *px, const struct pxacct *a, const struct pxo *exclude,
			 struct pxf_flex *c)
{
	memset(c, 0, sizeof *c);
	for (int i = 0; i < PX_A_COUNT; i++) {
		if (!a->flex[i])
			continue;
		int64_t v = px_usd_value(px, i, a->flex[i]);
		c->balance_value += v;
		if (v > 0) {
			dec_t cv;
			dec_t one_minus;
			dec_sub(dec_from_int(1), px->tab.assets[i].haircut, &one_minus);
			dec_mul(px_dec(v, asset_dp(px, PX_A_USD)), one_minus,
				(unsigned)asset_dp(px, PX_A_USD), DEC_FLOOR, &cv);
			c->collateral += cv.m;
		} else {
			c->collateral += v;
		}
	}
	for (uint32_t id = 1; id <= px->tab.n; id++) {
		const struct pxinst *pi = &px->inst[id];
		const struct px_instr *in = pi->in;
		if (in->product != PX_FUTURES || in->inverse)
			continue;
		const struct pxfpos *f = &a->fpos[id];
		const struct pxfpref *pref = &a->fpref[id];
		int64_t m = pxf_mark_u(px, pi);
		dec_t pos_n = pxf_notional_usd(px, in, f->size_u, m);
		/* open orders: their opening parts add to the notional */
		dec_t ord_n = dec_zero();
		for (const struct pxo *o = a->open_head[PX_FUTURES]; o; o = o->next) {
			if (o->inst != pi || o == exclude)
				continue;
			int64_t open = pxf_opening_part(f->size_u, o->o.side, o->qty_u - o->filled_u,
						    o->o.eflags);
			dec_add(ord_n, pxf_notional_usd(px, in, open, pxf_order_price(px, pi, o)), &ord_n);
		}
		int64_t upnl = pxf_upnl(px, in, f, m);
		if (pref->iso) {
			c->iso_margin += f->iso_margin_u;
			c->iso_pnl += upnl;
			dec_t r;
			if (dec_div(ord_n, pref->maxlev, (unsigned)asset_dp(px, PX_A_USD), DEC_CEIL, &r) == 0)
				c->iso_orders += r.m;
			continue;
		}
		c->pnl += upnl;
		c->funding += f->funding_u;
		c->im += pxf_usd_units(px, pxf_tier_margin(in, pos_n, false), DEC_CEIL);
		c->mm += pxf_usd_units(px, pxf_tier_margin(in, pos_n, true), DEC_CEIL);
		dec_t all;
		dec_add(pos_n, ord_n, &all);
		c->im_orders += pxf_usd_units(px, pxf_tier_margin(in, all, false), DEC_CEIL);
	}
}

int64_t pxf_flex_available(const struct pxf_flex *c)
{
	return c->collateral + c->pnl + c->funding - c->im_orders - c->iso_margin - c->iso_orders;
}

/* ---- inverse account ---- */

void pxf_inv_compute(const struct px *px, const struct pxacct *a, const struct pxo *exclude,
			struct pxf_inv *c)
{
	memset(c, 0, sizeof *c);
	int xdp = asset_dp(px, PX_A_XBT);
	for (uint32_t id = 1; id <= px->tab.n; id++) {
		const struct pxinst *pi = &px->inst[id];
		const struct px_instr *in = pi->in;
		if (!in->inverse)
			continue;
		const struct pxfpos *f = &a->fpos[id];
		int64_t m = pxf_mark_u(px, pi);
		int64_t ord = 0;
		for (const struct pxo *o = a->open_head[PX_FUTURES]; o; o = o->next)
			if (o->inst == pi && o != exclude)
				ord += pxf_opening_part(f->size_u, o->o.side, o->qty_u - o->filled_u,
						    o->o.eflags);
		c->pnl += pxf_upnl(px, in, f, m);
		/* margin in contracts (USD), then / mark into XBT */
		dec_t im = pxf_tier_margin(in, px_dec(i64abs(f->size_u), in->qty_dp), false);
		dec_t mm = pxf_tier_margin(in, px_dec(i64abs(f->size_u), in->qty_dp), true);
		dec_t imo = pxf_tier_margin(in, px_dec(i64abs(f->size_u) + ord, in->qty_dp), false);
		dec_t mk = px_dec(m, in->price_dp), r;
		if (m <= 0)
			continue;
		if (dec_div(im, mk, (unsigned)xdp, DEC_CEIL, &r) == 0)
			c->im += r.m;
		if (dec_div(mm, mk, (unsigned)xdp, DEC_CEIL, &r) == 0)
			c->mm += r.m;
		if (dec_div(imo, mk, (unsigned)xdp, DEC_CEIL, &r) == 0)
			c->im_orders += r.m;
	}
}
