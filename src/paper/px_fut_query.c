/* px_fut_query: the Futures queries of the px hub — positions with PnL, margin and
 * liquidation price, the accounts summary (flex, cash, inverse) — and the leverage
 * and PnL preferences (isolated margin at a maxLeverage, or cross). */
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

/* ---- queries ---- */

/* Liquidation price of a linear position: equity(L) = k + s * L must equal
 * mm_other + a_t + r_t * |s| * L in the tier t that holds |s| * L. */
static bool liq_linear(const struct px *px, const struct px_instr *in, const struct pxfpos *f,
		       dec_t k, dec_t mm_other, dec_t *out)
{
	dec_t s = px_dec(f->size_u, in->qty_dp), as;
	dec_abs(s, &as);
	for (int t = in->ntiers - 1; t >= 0; t--) {
		dec_t a = pxf_tier_margin(in, in->tiers[t].from, true), rb, r = in->tiers[t].mm;
		dec_mul(r, in->tiers[t].from, 12, DEC_HALF_UP, &rb);
		dec_sub(a, rb, &a);
		dec_t num, den, one = dec_from_int(1), f1, l;
		if (f->size_u > 0) { /* L = (a + mm_other - k) / (s * (1 - r)) */
			dec_add(a, mm_other, &num);
			dec_sub(num, k, &num);
			dec_sub(one, r, &f1);
		} else { /* L = (k - a - mm_other) / (|s| * (1 + r)) */
			dec_sub(k, a, &num);
			dec_sub(num, mm_other, &num);
			dec_add(one, r, &f1);
		}
		if (dec_mul(as, f1, 12, DEC_HALF_UP, &den) < 0 || dec_is_zero(den))
			continue;
		if (dec_div(num, den, (unsigned)in->price_dp, DEC_HALF_UP, &l) < 0)
			continue;
		if (dec_sign(l) <= 0) {
			if (t == 0)
				return false;
			continue;
		}
		dec_t n;
		dec_mul(as, l, 8, DEC_HALF_UP, &n);
		if (dec_ge(n, in->tiers[t].from) || t == 0) {
			*out = l;
			return true;
		}
	}
	(void)px;
	return false;
}

static void fill_position(const struct px *px, const struct pxacct *a, uint32_t id,
			  struct px_fut_position *out)
{
	const struct pxinst *pi = &px->inst[id];
	const struct px_instr *in = pi->in;
	const struct pxfpos *f = &a->fpos[id];
	const struct pxfpref *pref = &a->fpref[id];
	int sa = in->settle_asset, sdp = asset_dp(px, sa), udp = asset_dp(px, PX_A_USD);
	int64_t m = pxf_mark_u(px, pi);
	memset(out, 0, sizeof *out);
	out->instr = in;
	out->size = px_dec(f->size_u, in->qty_dp);
	out->entry_price = pxf_entry(in, f);
	out->mark_price = px_dec(m, in->price_dp);
	out->index_price = px_dec(px_ref_u(px, pi, ENGINE_REF_INDEX), in->price_dp);
	int64_t upnl = pxf_upnl(px, in, f, m);
	out->upnl = px_dec(upnl, sdp);
	out->realized_pnl = px_dec(f->realized_u, sdp);
	out->unrealized_funding = px_dec(f->funding_u, sdp);
	out->pnl_asset = pref->pnl_asset >= 0 ? pref->pnl_asset : sa;
	out->fill_ns = f->fill_ns;
	out->isolated = pref->iso && !in->inverse;
	if (out->isolated) {
		out->max_leverage = pref->maxlev;
		out->iso_margin = px_dec(f->iso_margin_u, udp);
	}
	if (in->inverse) {
		dec_t mk = px_dec(m, in->price_dp), r;
		dec_t c = px_dec(i64abs(f->size_u), in->qty_dp);
		dec_div(pxf_tier_margin(in, c, false), mk, (unsigned)sdp, DEC_CEIL, &out->initial_margin);
		dec_div(pxf_tier_margin(in, c, true), mk, (unsigned)sdp, DEC_CEIL,
			&out->maintenance_margin);
		/* L = (s + mm_c) / (B + sign * cost) */
		dec_t a_t, rate, mmc, b = px_dec(a->inv_u, sdp), cost, den, num;
		pxf_tier_of(in, c, true, &a_t, &rate);
		mmc = pxf_tier_margin(in, c, true);
		int64_t cx = 0;
		px_rescale(f->cost, PX_INV_DP, sdp, DEC_HALF_UP, &cx);
		cost = px_dec(f->size_u > 0 ? cx : -cx, sdp);
		dec_add(b, cost, &den);
		dec_add(out->size, mmc, &num);
		if (dec_sign(den) > 0 && dec_div(num, den, (unsigned)in->price_dp, DEC_HALF_UP, &r) == 0 &&
		    dec_sign(r) > 0) {
			out->has_liq = true;
			out->liq_price = r;
		}
		dec_t eq = px_dec(a->inv_u + upnl, sdp), notional;
		dec_div(c, mk, (unsigned)sdp, DEC_HALF_UP, &notional);
		if (dec_sign(eq) > 0)
			dec_div(notional, eq, 2, DEC_HALF_UP, &out->effective_leverage);
		return;
	}
	dec_t n = pxf_notional_usd(px, in, f->size_u, m);
	out->initial_margin = px_dec(pxf_usd_units(px, pxf_tier_margin(in, n, false), DEC_CEIL), udp);
	out->maintenance_margin = px_dec(pxf_usd_units(px, pxf_tier_margin(in, n, true), DEC_CEIL), udp);
	dec_t k, mm_other = dec_zero(), equity;
	dec_t sdec = px_dec(f->size_u, in->qty_dp), sm, se;
	if (out->isolated) {
		/* k = allocated - s * entry (entry cost exact) */
		int64_t cu = px_notional_to(in, f->cost, udp, DEC_HALF_UP);
		se = px_dec(f->size_u > 0 ? cu : -cu, udp);
		dec_sub(out->iso_margin, se, &k);
		dec_add(out->iso_margin, out->upnl, &equity);
	} else {
		struct pxf_flex c;
		pxf_flex_compute(px, a, NULL, &c);
		int64_t eq = c.collateral + c.pnl + c.funding;
		equity = px_dec(eq, udp);
		dec_mul(sdec, out->mark_price, 12, DEC_HALF_UP, &sm);
		dec_sub(equity, sm, &k);
		mm_other = px_dec(c.mm, udp);
		dec_sub(mm_other, out->maintenance_margin, &mm_other);
	}
	out->has_liq = liq_linear(px, in, f, k, mm_other, &out->liq_price);
	if (dec_sign(equity) > 0)
		dec_div(n, equity, 2, DEC_HALF_UP, &out->effective_leverage);
}

int px_fut_position(const struct px *px, uint32_t acct, const struct px_instr *instr,
		    struct px_fut_position *out)
{
	const struct pxacct *a = acct ? px_acct(px, acct) : NULL;
	if (!a || !instr || instr->id == 0 || instr->id > px->tab.n ||
	    instr->product != PX_FUTURES || !a->fpos[instr->id].size_u)
		return -1;
	fill_position(px, a, instr->id, out);
	return 0;
}

void px_fut_positions(const struct px *px, uint32_t acct,
		      void (*fn)(void *arg, const struct px_fut_position *p), void *arg)
{
	const struct pxacct *a = acct ? px_acct(px, acct) : NULL;
	if (!a)
		return;
	for (uint32_t id = 1; id <= px->tab.n; id++) {
		if (px->tab.instr[id - 1].product != PX_FUTURES || !a->fpos[id].size_u)
			continue;
		struct px_fut_position p;
		fill_position(px, a, id, &p);
		fn(arg, &p);
	}
}

int px_fut_accounts(const struct px *px, uint32_t acct, struct px_fut_accounts *out,
		    struct kerr *err)
{
	memset(out, 0, sizeof *out);
	const struct pxacct *a = acct ? px_acct(px, acct) : NULL;
	if (!a)
		return kerr_set(err, PX_E_UNKNOWN_ACCOUNT, "unknown account");
	int udp = asset_dp(px, PX_A_USD);
	for (int i = 0; i < PX_A_COUNT; i++)
		out->cash[i] = px_dec(a->cash[i], asset_dp(px, i));
	struct pxf_flex c;
	pxf_flex_compute(px, a, NULL, &c);
	struct px_fut_flex *fx = &out->flex;
	int64_t avail = pxf_flex_available(&c);
	for (int pass = 0; pass < 2; pass++) {
		for (int i = 0; i < PX_A_COUNT; i++) {
			if ((pass == 0) != (i == PX_A_USD))
				continue;
			if (i != PX_A_USD && !a->flex[i])
				continue;
			struct px_fut_currency *cu = &fx->cur[fx->ncur++];
			int dp = asset_dp(px, i);
			int64_t v = px_usd_value(px, i, a->flex[i]);
			cu->asset = i;
			cu->quantity = px_dec(a->flex[i], dp);
			cu->value = px_dec(v, udp);
			cu->haircut = px->tab.assets[i].haircut;
			dec_t om;
			dec_sub(dec_from_int(1), cu->haircut, &om);
			if (v > 0)
				dec_mul(cu->value, om, (unsigned)udp, DEC_FLOOR, &cu->collateral);
			else
				cu->collateral = cu->value;
			/* withdrawable: the quantity, limited by the available margin */
			int64_t one = px_usd_value(px, i, px_pow10(dp));
			int64_t lim = a->flex[i];
			if (one > 0 && avail < INT64_MAX / 2) {
				dec_t am = px_dec(avail > 0 ? avail : 0, udp), q;
				dec_t per = px_dec(one, udp);
				if (!dec_is_zero(om) && dec_mul(per, om, 12, DEC_HALF_UP, &per) == 0 &&
				    dec_sign(per) > 0 && dec_div(am, per, (unsigned)dp, DEC_FLOOR, &q) == 0 &&
				    q.m < lim)
					lim = q.m;
			}
			cu->available = px_dec(lim > 0 ? lim : 0, dp);
		}
	}
	fx->balance_value = px_dec(c.balance_value, udp);
	fx->collateral_value = px_dec(c.collateral, udp);
	fx->pnl = px_dec(c.pnl, udp);
	fx->unrealized_funding = px_dec(c.funding, udp);
	fx->total_unrealized = px_dec(c.pnl + c.funding, udp);
	fx->total_unrealized_as_margin = fx->total_unrealized;
	fx->portfolio_value = px_dec(c.balance_value + c.pnl + c.funding + c.iso_pnl, udp);
	fx->margin_equity = px_dec(c.collateral + c.pnl + c.funding, udp);
	fx->initial_margin = px_dec(c.im, udp);
	fx->initial_margin_with_orders = px_dec(c.im_orders, udp);
	fx->maintenance_margin = px_dec(c.mm, udp);
	fx->isolated_margin = px_dec(c.iso_margin, udp);
	fx->isolated_pnl = px_dec(c.iso_pnl, udp);
	fx->available_margin = px_dec(avail, udp);

	struct pxf_inv ic;
	pxf_inv_compute(px, a, NULL, &ic);
	int xdp = asset_dp(px, PX_A_XBT);
	struct px_fut_inverse *iv = &out->inverse;
	iv->balance = px_dec(a->inv_u, xdp);
	iv->pnl = px_dec(ic.pnl, xdp);
	iv->pv = px_dec(a->inv_u + ic.pnl, xdp);
	iv->af = px_dec(a->inv_u + ic.pnl - ic.im_orders, xdp);
	iv->funding = px_dec(0, xdp);
	iv->im = px_dec(ic.im, xdp);
	iv->mm = px_dec(ic.mm, xdp);
	iv->lt = px_dec(ic.mm, xdp);
	iv->tt = px_dec(ic.mm / 2, xdp);
	return 0;
}

int64_t px_fut_flex_available(const struct px *px, const struct pxacct *a)
{
	struct pxf_flex c;
	pxf_flex_compute(px, a, NULL, &c);
	return pxf_flex_available(&c);
}

/* ---- preferences ---- */

int px_fut_leverage_get(const struct px *px, uint32_t acct, const struct px_instr *instr,
			dec_t *out)
{
	const struct pxacct *a = acct ? px_acct(px, acct) : NULL;
	if (!a || !instr || instr->id == 0 || instr->id > px->tab.n)
		return 0;
	const struct pxfpref *p = &a->fpref[instr->id];
	if (p->iso && out)
		*out = p->maxlev;
	return p->iso ? 1 : 0;
}

int px_fut_leverage_set(struct px *px, uint32_t acct, const struct px_instr *instr,
			const dec_t *max_leverage, struct kerr *err)
{
	if (px_check_busy(px, err) < 0)
		return -1;
	struct pxacct *a = acct ? px_acct(px, acct) : NULL;
	if (!a)
		return kerr_set(err, PX_E_UNKNOWN_ACCOUNT, "unknown account");
	if (!instr || instr->id == 0 || instr->id > px->tab.n || instr->product != PX_FUTURES)
		return kerr_set(err, PX_E_UNKNOWN_INSTR, "unknown symbol");
	if (instr->inverse)
		return kerr_set(err, PX_E_NOT_SUPPORTED, "leverage preferences are for flex contracts");
	struct pxfpref *p = &a->fpref[instr->id];
	struct pxfpos *f = &a->fpos[instr->id];
	int udp = asset_dp(px, PX_A_USD);
	if (!max_leverage) {
		p->iso = false;
		p->maxlev = dec_zero();
		f->iso_margin_u = 0;
		px_mark_dirty(px);
		pxf_emit_pos_wallet(px, a, instr);
		return 0;
	}
	dec_t maxl, one = dec_from_int(1);
	dec_div(one, instr->tiers[0].im, 8, DEC_FLOOR, &maxl);
	if (dec_sign(*max_leverage) <= 0 || dec_lt(*max_leverage, one) || dec_gt(*max_leverage, maxl))
		return kerr_set(err, PX_E_MAX_LEVERAGE, "maxLeverage must be between 1 and %s",
				"the instrument's maximum");
	int64_t alloc = 0;
	if (f->size_u) {
		dec_t n = px_dec(px_notional_to(instr, f->cost, udp, DEC_HALF_UP), udp), r;
		if (dec_div(n, *max_leverage, (unsigned)udp, DEC_CEIL, &r) == 0)
			alloc = r.m;
		/* switching must not take more than what is free */
		int64_t before = p->iso ? f->iso_margin_u : 0;
		bool was_iso = p->iso;
		dec_t was_lev = p->maxlev;
		int64_t was_alloc = f->iso_margin_u;
		p->iso = false;
		f->iso_margin_u = 0;
		int64_t avail = px_fut_flex_available(px, a);
		if (alloc > avail + before) {
			p->iso = was_iso;
			p->maxlev = was_lev;
			f->iso_margin_u = was_alloc;
			return kerr_set(err, ENGINE_R_INSUFFICIENT_FUNDS,
					"not enough available margin for that leverage");
		}
	}
	p->iso = true;
	p->maxlev = *max_leverage;
	f->iso_margin_u = alloc;
	px_mark_dirty(px);
	pxf_emit_pos_wallet(px, a, instr);
	return 0;
}

void px_fut_leverage_prefs(const struct px *px, uint32_t acct,
			   void (*fn)(void *arg, const struct px_instr *in, dec_t max_lev),
			   void *arg)
{
	const struct pxacct *a = acct ? px_acct(px, acct) : NULL;
	if (!a)
		return;
	for (uint32_t id = 1; id <= px->tab.n; id++)
		if (a->fpref[id].iso)
			fn(arg, &px->tab.instr[id - 1], a->fpref[id].maxlev);
}

int px_fut_pnl_get(const struct px *px, uint32_t acct, const struct px_instr *instr)
{
	const struct pxacct *a = acct ? px_acct(px, acct) : NULL;
	if (!a || !instr || instr->id == 0 || instr->id > px->tab.n)
		return -1;
	int p = a->fpref[instr->id].pnl_asset;
	return p >= 0 ? p : instr->settle_asset;
}

int px_fut_pnl_set(struct px *px, uint32_t acct, const struct px_instr *instr, int asset,
		   struct kerr *err)
{
	if (px_check_busy(px, err) < 0)
		return -1;
	struct pxacct *a = acct ? px_acct(px, acct) : NULL;
	if (!a)
		return kerr_set(err, PX_E_UNKNOWN_ACCOUNT, "unknown account");
	if (!instr || instr->id == 0 || instr->id > px->tab.n || instr->product != PX_FUTURES)
		return kerr_set(err, PX_E_UNKNOWN_INSTR, "unknown symbol");
	if (asset < 0 || asset >= PX_A_COUNT)
		return kerr_set(err, PX_E_ASSET, "unknown currency");
	a->fpref[instr->id].pnl_asset = asset;
	px_mark_dirty(px);
	return 0;
}

void px_fut_pnl_prefs(const struct px *px, uint32_t acct,
		      void (*fn)(void *arg, const struct px_instr *in, int asset), void *arg)
{
	const struct pxacct *a = acct ? px_acct(px, acct) : NULL;
	if (!a)
		return;
	for (uint32_t id = 1; id <= px->tab.n; id++)
		if (a->fpref[id].pnl_asset >= 0)
			fn(arg, &px->tab.instr[id - 1], a->fpref[id].pnl_asset);
}
