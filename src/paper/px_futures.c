/* px_futures: Futures money in motion: order admission by available margin, fill
 * settlement (positions, realized PnL, fees, isolated allocations) with the account
 * log, and mark/index updates. The arithmetic is in px_fut_margin.c, the queries
 * and preferences in px_fut_query.c. docs/paper.md has the formulas; in short:
 *
 *   linear  upnl = size * (mark - entry)                       (USD)
 *   inverse upnl = contracts * (1/entry - 1/mark)              (XBT)
 *   IM/MM   tiered, each tier's rate on the part of the notional inside it
 *   cross   margin_equity = collateral_value + upnl(cross) + unrealized funding
 *           available     = margin_equity - IM(with orders) - isolated margin
 *   isolated position equity = allocated margin + its upnl; allocated =
 *           notional at entry / maxLeverage, taken from the available margin
 *   liquidation: the mark at which the equity backing the position equals the
 *           maintenance margin (other positions and collateral prices fixed).
 * Realized PnL and fees settle into the flex USD balance (linear) or the inverse
 * account's XBT balance (PI_). */
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

/* ---- admission ---- */

int px_fut_admit(struct px *px, struct pxo *o, const struct engine_order *eo)
{
	struct pxacct *a = o->acct;
	struct pxinst *pi = o->inst;
	const struct px_instr *in = pi->in;
	struct pxfpos *f = &a->fpos[in->id];
	int64_t rem = eo->qty - eo->filled;
	int64_t open = pxf_opening_part(f->size_u, eo->side, rem, eo->flags);
	if (open <= 0)
		return 0; /* reducing never needs margin */
	struct pxo view = *o; /* valued as the engine proposes it */
	view.price_u = eo->price;
	view.trigger_u = eo->trigger;
	int64_t p = pxf_order_price(px, pi, &view);
	if (in->inverse) {
		struct pxf_inv c;
		pxf_inv_compute(px, a, o, &c);
		int64_t avail = a->inv_u + c.pnl - c.im_orders;
		/* the IM of the extra contracts, valued at the order's price */
		dec_t imo = pxf_tier_margin(in, px_dec(i64abs(f->size_u) + open, in->qty_dp), false);
		dec_t d, r;
		dec_sub(imo, pxf_tier_margin(in, px_dec(i64abs(f->size_u), in->qty_dp), false), &d);
		int64_t need = 0;
		if (dec_div(d, px_dec(p, in->price_dp), (unsigned)asset_dp(px, PX_A_XBT), DEC_CEIL,
			    &r) == 0)
			need = r.m;
		px_i128 val = pxf_inv_value(in, rem, p);
		int64_t vx = 0;
		px_rescale(val, PX_INV_DP, asset_dp(px, PX_A_XBT), DEC_CEIL, &vx);
		need += px_fee(vx, in->fee_taker_ppm, DEC_CEIL);
		return need > avail ? ENGINE_R_INSUFFICIENT_FUNDS : 0;
	}
	struct pxf_flex c;
	pxf_flex_compute(px, a, o, &c);
	int64_t avail = pxf_flex_available(&c);
	dec_t add = pxf_notional_usd(px, in, open, p);
	int64_t need;
	const struct pxfpref *pref = &a->fpref[in->id];
	if (pref->iso) {
		dec_t r;
		need = dec_div(add, pref->maxlev, (unsigned)asset_dp(px, PX_A_USD), DEC_CEIL, &r) == 0
			       ? r.m
			       : INT64_MAX / 2;
	} else {
		/* the IM of this instrument with the order minus without it */
		dec_t base = pxf_notional_usd(px, in, f->size_u, pxf_mark_u(px, pi));
		for (const struct pxo *q = a->open_head[PX_FUTURES]; q; q = q->next) {
			if (q->inst != pi || q == o)
				continue;
			int64_t op = pxf_opening_part(f->size_u, q->o.side, q->qty_u - q->filled_u,
						  q->o.eflags);
			dec_add(base, pxf_notional_usd(px, in, op, pxf_order_price(px, pi, q)), &base);
		}
		dec_t with;
		dec_add(base, add, &with);
		need = pxf_usd_units(px, pxf_tier_margin(in, with, false), DEC_CEIL) -
		       pxf_usd_units(px, pxf_tier_margin(in, base, false), DEC_CEIL);
	}
	dec_t all = pxf_notional_usd(px, in, rem, p);
	need += px_fee(pxf_usd_units(px, all, DEC_CEIL), in->fee_taker_ppm, DEC_CEIL);
	return need > avail ? ENGINE_R_INSUFFICIENT_FUNDS : 0;
}

/* ---- account log ---- */

struct px_alog *px_alog_new(struct px *px, struct pxacct *a)
{
	struct px_alog *e = pxring_push(&a->alog, NULL, NULL);
	e->id = a->alog_next++;
	e->ts_ns = px->now;
	px_mark_dirty(px);
	return e;
}

static void alog_emit(struct px *px, struct pxacct *a, const struct px_alog *e)
{
	struct px_event ev = {.kind = PX_EV_ALOG, .ts_ns = px->now, .account = a->id};
	ev.alog = e;
	px_emit(px, &ev);
}

int px_alog_append(struct px *px, uint32_t acct, struct px_alog *e, struct kerr *err)
{
	if (px_check_busy(px, err) < 0)
		return -1;
	struct pxacct *a = acct ? px_acct(px, acct) : NULL;
	if (!a)
		return kerr_set(err, PX_E_UNKNOWN_ACCOUNT, "unknown account");
	struct px_alog *slot = px_alog_new(px, a);
	uint64_t id = slot->id;
	int64_t ts = slot->ts_ns;
	*slot = *e;
	slot->id = e->id ? e->id : id;
	slot->ts_ns = e->ts_ns ? e->ts_ns : ts;
	if (slot->id >= a->alog_next)
		a->alog_next = slot->id + 1;
	e->id = slot->id;
	e->ts_ns = slot->ts_ns;
	alog_emit(px, a, slot);
	return 0;
}

int px_fut_adjust(struct px *px, uint32_t acct, enum px_wallet wallet, int asset, dec_t amount,
		  struct kerr *err)
{
	if (px_check_busy(px, err) < 0)
		return -1;
	struct pxacct *a = acct ? px_acct(px, acct) : NULL;
	if (!a)
		return kerr_set(err, PX_E_UNKNOWN_ACCOUNT, "no such account");
	if (wallet != PX_W_FLEX && wallet != PX_W_INVERSE)
		return kerr_set(err, PX_E_WALLET, "only the flex and inverse wallets can be adjusted");
	if (wallet == PX_W_INVERSE)
		asset = PX_A_XBT;
	const struct px_asset *as = px_asset(px, asset);
	if (!as)
		return kerr_set(err, PX_E_ASSET, "unknown asset");
	int64_t u;
	if (px_units(amount, as->decimals, &u) < 0)
		return kerr_set(err, PX_E_AMOUNT, "the amount has more decimals than %s allows", as->altname);
	*(wallet == PX_W_INVERSE ? &a->inv_u : &a->flex[asset]) += u;
	px_mark_dirty(px);
	struct px_event ev = {.kind = PX_EV_FUT_WALLET, .ts_ns = px->now, .account = a->id};
	px_emit(px, &ev);
	return 0;
}

/* ---- fills ---- */

void pxf_emit_pos_wallet(struct px *px, struct pxacct *a, const struct px_instr *in)
{
	struct px_event ev = {.kind = PX_EV_FUT_POSITION, .ts_ns = px->now, .account = a->id,
			      .instr = in};
	px_emit(px, &ev);
	ev.kind = PX_EV_FUT_WALLET;
	ev.instr = NULL;
	px_emit(px, &ev);
}

void px_fut_fill(struct px *px, struct pxo *o, int64_t q, int64_t price_u, bool maker,
		 struct px_fill *f)
{
	struct pxacct *a = o->acct;
	struct pxinst *pi = o->inst;
	const struct px_instr *in = pi->in;
	struct pxfpos *p = &a->fpos[in->id];
	bool user = a->id != PX_MARKET;
	int64_t signed_q = o->o.side == ENGINE_BUY ? q : -q;
	int64_t s = p->size_u, as = i64abs(s);
	int64_t closing = (s > 0 && signed_q < 0) || (s < 0 && signed_q > 0)
				  ? (q < as ? q : as)
				  : 0;
	int64_t opening = q - closing;
	int sa = in->settle_asset, sdp = asset_dp(px, sa);
	uint32_t ppm = maker ? in->fee_maker_ppm : in->fee_taker_ppm;
	dec_t old_entry = pxf_entry(in, p);
	int64_t pnl_u = 0, fee_u = 0, cost_u;
	if (in->inverse) {
		px_i128 v = pxf_inv_value(in, q, price_u);
		px_rescale(v, PX_INV_DP, sdp, DEC_HALF_UP, &cost_u); /* XBT value of the fill */
		if (closing) {
			px_i128 removed = p->cost * closing / as;
			px_i128 exitv = pxf_inv_value(in, closing, price_u);
			px_i128 pnl = s > 0 ? removed - exitv : exitv - removed;
			px_rescale(pnl, PX_INV_DP, sdp, DEC_HALF_UP, &pnl_u);
			p->cost -= removed;
		}
		if (opening)
			p->cost += pxf_inv_value(in, opening, price_u);
	} else {
		cost_u = px_notional_to(in, (px_i128)q * price_u, sdp, DEC_HALF_UP);
		if (closing) {
			px_i128 removed = p->cost * closing / as;
			px_i128 exitn = (px_i128)closing * price_u;
			px_i128 pnl = s > 0 ? exitn - removed : removed - exitn;
			pnl_u = px_notional_to(in, pnl, sdp, DEC_HALF_UP);
			p->cost -= removed;
		}
		if (opening)
			p->cost += (px_i128)opening * price_u;
	}
	if (user)
		fee_u = px_fee(cost_u, ppm, DEC_HALF_UP);
	/* isolated margin follows the position */
	struct pxfpref *pref = &a->fpref[in->id];
	if (user && pref->iso && !in->inverse) {
		if (closing)
			p->iso_margin_u -= closing == as ? p->iso_margin_u
							 : (int64_t)((px_i128)p->iso_margin_u *
								     closing / as);
		if (opening) {
			dec_t n = pxf_notional_usd(px, in, opening, price_u), r;
			if (dec_div(n, pref->maxlev, (unsigned)sdp, DEC_CEIL, &r) == 0)
				p->iso_margin_u += r.m;
		}
	}
	p->size_u = s + signed_q;
	if (p->size_u == 0) {
		p->cost = 0;
		p->iso_margin_u = 0;
	}
	p->realized_u += pnl_u;
	p->fill_ns = px->now;

	px_gen_uuid(px, f->id);
	snprintf(f->order_id, sizeof f->order_id, "%s", o->o.id);
	snprintf(f->cl_ord_id, sizeof f->cl_ord_id, "%s", o->o.cl_ord_id);
	f->account = a->id;
	f->instr = in;
	f->side = o->o.side;
	f->order_type = o->o.type;
	f->maker = maker;
	f->price = px_dec(price_u, in->price_dp);
	f->qty = px_dec(q, in->qty_dp);
	f->cost = px_dec(cost_u, sdp);
	f->fee = px_dec(fee_u, sdp);
	f->fee_asset = sa;
	f->realized_pnl = px_dec(pnl_u, sdp);
	f->remaining = px_dec(o->qty_u - o->filled_u, in->qty_dp);
	f->trade_id = pi->trade_seq;
	f->ts_ns = px->now;
	f->liquidation = (o->o.oflags & PX_O_LIQUIDATION) != 0;
	o->cost_u += in->inverse ? 0 : cost_u;
	o->fee_u += fee_u;
	if (!user)
		return;

	int64_t *bal = in->inverse ? &a->inv_u : &a->flex[PX_A_USD];
	int64_t old = *bal;
	*bal += pnl_u - fee_u;
	struct px_alog *e = px_alog_new(px, a);
	snprintf(e->asset, sizeof e->asset, "%s", in->inverse ? "xbt" : "usd");
	snprintf(e->info, sizeof e->info, "%s", f->liquidation ? "futures liquidation" : "futures trade");
	px_gen_uuid(px, e->booking_uid);
	snprintf(e->margin_account, sizeof e->margin_account, "%s",
		 in->inverse ? "f-xbt:usd" : "flex");
	snprintf(e->contract, sizeof e->contract, "%s", in->symbol);
	snprintf(e->execution, sizeof e->execution, "%s", f->id);
	snprintf(e->collateral, sizeof e->collateral, "%s", in->inverse ? "XBT" : "USD");
	e->has = PX_AL_OLD_BALANCE | PX_AL_NEW_BALANCE | PX_AL_OLD_ENTRY | PX_AL_NEW_ENTRY |
		 PX_AL_TRADE_PRICE | PX_AL_MARK_PRICE | PX_AL_REALIZED_PNL | PX_AL_FEE;
	e->old_balance = px_dec(old, sdp);
	e->new_balance = px_dec(*bal, sdp);
	e->old_avg_entry = old_entry;
	e->new_avg_entry = pxf_entry(in, p);
	e->trade_price = f->price;
	e->mark_price = px_dec(pxf_mark_u(px, pi), in->price_dp);
	e->realized_pnl = f->realized_pnl;
	e->fee = f->fee;
	alog_emit(px, a, e);
	pxf_emit_pos_wallet(px, a, in);
}

void px_fut_mark_changed(struct px *px, struct pxinst *pi)
{
	pi->ticker_changed = true;
	if (!px->nls)
		return;
	for (uint32_t i = 1; i < px->nacct; i++) {
		struct pxacct *a = px->acct[i];
		if (a && a->fpos[pi->in->id].size_u)
			pxf_emit_pos_wallet(px, a, pi->in);
	}
}

int px_set_mark_index(struct px *px, const struct px_instr *instr, const dec_t *mark,
		      const dec_t *index, struct kerr *err)
{
	if (px_check_busy(px, err) < 0)
		return -1;
	if (!instr || instr->id == 0 || instr->id > px->tab.n)
		return kerr_set(err, PX_E_UNKNOWN_INSTR, "unknown instrument");
	struct pxinst *pi = &px->inst[instr->id];
	int64_t m = 0, ix = 0;
	if (mark && (px_rescale(mark->m, mark->s, instr->price_dp, DEC_HALF_UP, &m) < 0 || m <= 0))
		return kerr_set(err, PX_E_PRICE, "invalid mark price");
	if (index &&
	    (px_rescale(index->m, index->s, instr->price_dp, DEC_HALF_UP, &ix) < 0 || ix <= 0))
		return kerr_set(err, PX_E_PRICE, "invalid index price");
	px_gc(px);
	if (mark) {
		pi->mark_u = m;
		pi->has_mark = true;
		engine_set_reference(pi->eng, ENGINE_REF_MARK, m, NULL);
	}
	if (index) {
		pi->index_u = ix;
		pi->has_index = true;
		engine_set_reference(pi->eng, ENGINE_REF_INDEX, ix, NULL);
	}
	if (instr->product == PX_FUTURES)
		px_fut_mark_changed(px, pi);
	px_after_engine(px, pi);
	return 0;
}
