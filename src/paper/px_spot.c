/* px_spot: Spot money. Wallet balances and holds per asset, what an order must
 * hold, settlement of fills (plain and margin), the ledger, spot margin positions
 * and TradeBalance.
 *
 * Rounding: a fill's cost (qty * price) and fee are rounded half-up to the quote
 * asset's decimals; holds are rounded up, so a hold always covers the cost and the
 * largest (taker) fee of what is left to fill. After each fill an order's hold is
 * recomputed for its remaining quantity (never raised), and released on close. */
#include <string.h>

#include "paper/px_int.h"

static int asset_dp(const struct px *px, int asset)
{
	return px->tab.assets[asset].decimals;
}

int64_t px_mpos_signed(const struct pxacct *a, uint32_t instr)
{
	if (instr > PX_MAX_INSTR)
		return 0;
	const struct pxmpos *p = &a->mpos[instr];
	if (!p->active)
		return 0;
	int64_t open = p->vol_u - p->vol_closed_u;
	return p->side == ENGINE_BUY ? open : -open;
}

void px_hold_set(struct px *px, struct pxo *o, int asset, int64_t need)
{
	struct pxacct *a = o->acct;
	if (o->hold_asset >= 0)
		a->hold[o->hold_asset] -= o->hold_u;
	o->hold_asset = asset;
	o->hold_u = need;
	if (asset >= 0) {
		a->hold[asset] += need;
		a->used[asset] = true;
	}
	if (o->keep) {
		px_mark_dirty(px);
		if (asset >= 0)
			px_emit_balance(px, a, asset, NULL);
	}
}

void px_hold_release(struct px *px, struct pxo *o)
{
	if (o->hold_asset < 0)
		return;
	int asset = o->hold_asset;
	bool had = o->hold_u != 0;
	o->acct->hold[asset] -= o->hold_u;
	o->hold_asset = -1;
	o->hold_u = 0;
	if (o->keep && had) {
		px_mark_dirty(px);
		px_emit_balance(px, o->acct, asset, NULL);
	}
}

/* Cost of buying (or selling) `qty` walking the other side of the book, in quote
 * units rounded up; the remainder beyond the visible levels or the collar is priced
 * at the last level reached. *worst gets the worst price used (0 if the book is empty). */
static int64_t walk_cost(struct px *px, struct pxinst *pi, enum engine_side side, int64_t qty,
			 bool nompp, int64_t *worst)
{
	const struct px_instr *in = pi->in;
	struct engine_level lv[256];
	enum engine_side other = side == ENGINE_BUY ? ENGINE_SELL : ENGINE_BUY;
	size_t n = engine_depth(pi->eng, other, lv, 256);
	*worst = 0;
	if (!n)
		return 0;
	int64_t limit = side == ENGINE_BUY ? INT64_MAX : 0;
	if (in->mkt_collar_ppm && !nompp) {
		int64_t d = (int64_t)((px_i128)lv[0].price * in->mkt_collar_ppm / 1000000);
		limit = side == ENGINE_BUY ? lv[0].price + d : lv[0].price - d;
	}
	px_i128 notional = 0;
	int64_t left = qty, last = lv[0].price;
	for (size_t i = 0; i < n && left > 0; i++) {
		if (side == ENGINE_BUY ? lv[i].price > limit : lv[i].price < limit)
			break;
		int64_t q = left < lv[i].qty ? left : lv[i].qty;
		notional += (px_i128)q * lv[i].price;
		left -= q;
		last = lv[i].price;
	}
	if (left > 0)
		notional += (px_i128)left * last;
	*worst = last;
	return px_notional_to(in, notional, asset_dp(px, in->quote), DEC_CEIL);
}

/* The price a buy can be expected to pay at worst for a pending trigger order. */
static int64_t trigger_estimate(struct px *px, struct pxinst *pi, const struct engine_order *eo)
{
	const struct px_instr *in = pi->in;
	if (eo->price > 0)
		return eo->price;
	int64_t t = eo->trigger;
	if (t <= 0) { /* trailing: from the reference price */
		t = px_ref_u(px, pi, eo->trigger_ref);
		if (eo->trail.unit == ENGINE_OFF_PRICE)
			t += eo->trail.value;
		else if (eo->trail.unit == ENGINE_OFF_PPM)
			t += (int64_t)((px_i128)t * eo->trail.value / 1000000);
	}
	return t + (int64_t)((px_i128)t * in->mkt_collar_ppm / 1000000);
}

static bool is_market_like(const struct engine_order *eo)
{
	enum engine_type t = eo->type;
	return t == ENGINE_T_MARKET || t == ENGINE_T_STOP_LOSS || t == ENGINE_T_TAKE_PROFIT ||
	       t == ENGINE_T_TRAILING_STOP;
}

/* The price at which `rem` of a buy (or the margin of any side) is valued, and the
 * matching quote cost, rounded up. */
static int64_t order_cost(struct px *px, struct pxinst *pi, const struct engine_order *eo,
			  int64_t rem, enum engine_admit_phase ph, int64_t *price)
{
	const struct px_instr *in = pi->in;
	bool pending = eo->status == ENGINE_S_PENDING && ph != ENGINE_ADMIT_TRIGGER;
	if (pending || (eo->status == ENGINE_S_NEW && eo->type != ENGINE_T_MARKET &&
			eo->type != ENGINE_T_LIMIT && eo->type != ENGINE_T_ICEBERG &&
			ph != ENGINE_ADMIT_TRIGGER)) {
		*price = trigger_estimate(px, pi, eo);
		return px_notional_to(in, (px_i128)rem * *price, asset_dp(px, in->quote), DEC_CEIL);
	}
	if (is_market_like(eo) || (eo->price <= 0)) {
		int64_t worst;
		int64_t c = walk_cost(px, pi, eo->side, rem, (eo->flags & ENGINE_F_NO_MPP) != 0,
				      &worst);
		*price = worst;
		return c;
	}
	*price = eo->price;
	return px_notional_to(in, (px_i128)rem * eo->price, asset_dp(px, in->quote), DEC_CEIL);
}

int64_t px_spot_need(struct px *px, struct pxo *o, const struct engine_order *eo, int *asset,
		     enum engine_admit_phase ph)
{
	struct pxinst *pi = o->inst;
	const struct px_instr *in = pi->in;
	int64_t rem = eo->qty - eo->filled;
	bool buy = eo->side == ENGINE_BUY;
	*asset = buy || o->o.leverage ? in->quote : in->base;
	if (o->acct->id == PX_MARKET) {
		*asset = -1;
		return 0;
	}
	if (rem <= 0)
		return 0;
	uint32_t ppm = in->fee_taker_ppm;
	bool fee_base = (o->o.oflags & PX_O_FEE_BASE) != 0;
	if (o->o.leverage) {
		int64_t pos = px_mpos_signed(o->acct, in->id), closing = 0;
		if (buy && pos < 0)
			closing = rem < -pos ? rem : -pos;
		else if (!buy && pos > 0)
			closing = rem < pos ? rem : pos;
		int64_t opening = (eo->flags & ENGINE_F_REDUCE_ONLY) ? 0 : rem - closing;
		int64_t price;
		int64_t cost = order_cost(px, pi, eo, rem, ph, &price);
		int64_t fee = px_fee(cost, ppm, DEC_CEIL);
		int64_t mcost = px_notional_to(in, (px_i128)opening * price, asset_dp(px, in->quote),
					       DEC_CEIL);
		int64_t margin = (mcost + o->o.leverage - 1) / o->o.leverage;
		return margin + fee;
	}
	if (buy) {
		if (o->quote_u > 0) {
			int64_t left = o->quote_u - o->cost_u;
			if (left < 0)
				left = 0;
			return left + (fee_base ? 0 : px_fee(left, ppm, DEC_CEIL));
		}
		int64_t price;
		int64_t cost = order_cost(px, pi, eo, rem, ph, &price);
		return cost + (fee_base ? 0 : px_fee(cost, ppm, DEC_CEIL));
	}
	int64_t base_u = 0;
	px_rescale(rem, in->qty_dp, asset_dp(px, in->base), DEC_CEIL, &base_u);
	return base_u + (fee_base ? px_fee(base_u, ppm, DEC_CEIL) : 0);
}

struct px_ledger *px_ledger_add(struct px *px, struct pxacct *a, enum px_ledger_type type,
				const char *subtype, int asset, int64_t amount_u, int64_t fee_u,
				const char *refid)
{
	a->bal[asset] += amount_u - fee_u;
	a->used[asset] = true;
	if (a->id == PX_MARKET)
		return NULL;
	struct px_ledger *l = pxring_push(&a->ledger, NULL, NULL);
	px_gen_txid(px, 'L', l->id);
	snprintf(l->refid, sizeof l->refid, "%s", refid ? refid : "");
	l->ts_ns = px->now;
	l->type = type;
	snprintf(l->subtype, sizeof l->subtype, "%s", subtype ? subtype : "");
	l->asset = asset;
	int dp = asset_dp(px, asset);
	l->amount = px_dec(amount_u, dp);
	l->fee = px_dec(fee_u, dp);
	l->balance = px_dec(a->bal[asset], dp);
	px_mark_dirty(px);
	return l;
}

/* Settle a margin fill: close part of the position (PnL), open the rest. */
static void margin_fill(struct px *px, struct pxo *o, int64_t q, int64_t price_u, int64_t cost_u,
			int64_t fee_u, struct px_fill *f)
{
	struct pxacct *a = o->acct;
	const struct px_instr *in = o->inst->in;
	int qa = in->quote, qdp = asset_dp(px, qa);
	struct pxmpos *p = &a->mpos[in->id];
	bool buy = o->o.side == ENGINE_BUY;
	int64_t pos = px_mpos_signed(a, in->id), closing = 0;
	if (buy && pos < 0)
		closing = q < -pos ? q : -pos;
	else if (!buy && pos > 0)
		closing = q < pos ? q : pos;
	int64_t opening = q - closing, pnl_u = 0;
	if (closing) {
		int64_t open = p->vol_u - p->vol_closed_u;
		px_i128 removed = p->open_notional * closing / open;
		px_i128 exitn = (px_i128)closing * price_u;
		px_i128 pnl = p->side == ENGINE_BUY ? exitn - removed : removed - exitn;
		pnl_u = px_notional_to(in, pnl, qdp, DEC_HALF_UP);
		int64_t rel = (int64_t)((px_i128)p->margin_u * closing / open);
		if (closing == open)
			rel = p->margin_u;
		p->margin_u -= rel;
		a->hold[qa] -= rel;
		p->vol_closed_u += closing;
		p->open_notional -= removed;
		f->pos_effect = PX_POS_CLOSE;
		f->realized_pnl = px_dec(pnl_u, qdp);
		snprintf(f->pos_id, sizeof f->pos_id, "%s", p->id);
	}
	if (opening) {
		if (!p->active) {
			memset(p, 0, sizeof *p);
			p->active = true;
			px_gen_txid(px, 'T', p->id);
			snprintf(p->ordertxid, sizeof p->ordertxid, "%s", o->o.id);
			p->side = o->o.side;
			p->open_ns = px->now;
			p->leverage = o->o.leverage;
		}
		int64_t oc = px_notional_to(in, (px_i128)opening * price_u, qdp, DEC_HALF_UP);
		int64_t margin = (oc + o->o.leverage - 1) / o->o.leverage;
		p->vol_u += opening;
		p->cost_u += oc;
		p->fee_u += closing ? (int64_t)((px_i128)fee_u * opening / q) : fee_u;
		p->open_notional += (px_i128)opening * price_u;
		p->margin_u += margin;
		a->hold[qa] += margin;
		f->margin = px_dec(margin, qdp);
		if (!closing) {
			f->pos_effect = PX_POS_OPEN;
			snprintf(f->pos_id, sizeof f->pos_id, "%s", p->id);
		}
	}
	(void)cost_u;
	f->leverage = o->o.leverage;
	struct px_ledger *l = px_ledger_add(px, a, PX_L_MARGIN, "", qa, pnl_u, fee_u, f->id);
	if (l)
		snprintf(f->ledger_ids[0], sizeof f->ledger_ids[0], "%s", l->id);
	if (p->active && p->vol_u == p->vol_closed_u) {
		a->hold[qa] -= p->margin_u;
		memset(p, 0, sizeof *p);
	}
	px_emit_balance(px, a, qa, l);
	struct px_event ev = {.kind = PX_EV_MARGIN_POSITION, .ts_ns = px->now, .account = a->id,
			      .instr = in};
	px_emit(px, &ev);
}

void px_spot_fill(struct px *px, struct pxo *o, int64_t q, int64_t price_u, bool maker,
		  struct px_fill *f)
{
	struct pxacct *a = o->acct;
	const struct px_instr *in = o->inst->in;
	int qa = in->quote, ba = in->base, qdp = asset_dp(px, qa), bdp = asset_dp(px, ba);
	int64_t cost_u = px_notional_to(in, (px_i128)q * price_u, qdp, DEC_HALF_UP);
	uint32_t ppm = maker ? in->fee_maker_ppm : in->fee_taker_ppm;
	bool fee_base = (o->o.oflags & PX_O_FEE_BASE) && !o->o.leverage;
	int64_t base_u = 0;
	px_rescale(q, in->qty_dp, bdp, DEC_HALF_UP, &base_u);
	int64_t fee_u = px_fee(fee_base ? base_u : cost_u, ppm, DEC_HALF_UP);
	if (a->id == PX_MARKET)
		fee_u = 0;

	px_gen_txid(px, 'T', f->id);
	snprintf(f->order_id, sizeof f->order_id, "%s", o->o.id);
	snprintf(f->cl_ord_id, sizeof f->cl_ord_id, "%s", o->o.cl_ord_id);
	f->account = a->id;
	f->instr = in;
	f->side = o->o.side;
	f->order_type = o->o.type;
	f->maker = maker;
	f->price = px_dec(price_u, in->price_dp);
	f->qty = px_dec(q, in->qty_dp);
	f->cost = px_dec(cost_u, qdp);
	f->fee_asset = fee_base ? ba : qa;
	f->fee = px_dec(fee_u, asset_dp(px, f->fee_asset));
	f->remaining = px_dec(o->qty_u - o->filled_u, in->qty_dp);
	f->trade_id = o->inst->trade_seq;
	f->ts_ns = px->now;
	o->cost_u += cost_u;
	o->fee_u += fee_u;
	if (a->id == PX_MARKET)
		return;
	if (o->o.leverage) {
		margin_fill(px, o, q, price_u, cost_u, fee_u, f);
		return;
	}
	struct px_ledger *lq, *lb;
	if (o->o.side == ENGINE_BUY) {
		lq = px_ledger_add(px, a, PX_L_TRADE, "", qa, -cost_u, fee_base ? 0 : fee_u, f->id);
		lb = px_ledger_add(px, a, PX_L_TRADE, "", ba, base_u, fee_base ? fee_u : 0, f->id);
	} else {
		lb = px_ledger_add(px, a, PX_L_TRADE, "", ba, -base_u, fee_base ? fee_u : 0, f->id);
		lq = px_ledger_add(px, a, PX_L_TRADE, "", qa, cost_u, fee_base ? 0 : fee_u, f->id);
	}
	snprintf(f->ledger_ids[0], sizeof f->ledger_ids[0], "%s", lq ? lq->id : "");
	snprintf(f->ledger_ids[1], sizeof f->ledger_ids[1], "%s", lb ? lb->id : "");
	px_emit_balance(px, a, qa, lq);
	px_emit_balance(px, a, ba, lb);
}

/* ---- queries ---- */

static void balance_of(const struct px *px, const struct pxacct *a, int asset,
		       struct px_balance *out)
{
	int dp = asset_dp(px, asset);
	out->balance = px_dec(a->bal[asset], dp);
	out->hold_trade = px_dec(a->hold[asset], dp);
	out->credit = px_dec(0, dp);
	out->credit_used = px_dec(0, dp);
	out->available = px_dec(a->bal[asset] - a->hold[asset], dp);
}

int px_spot_balance(const struct px *px, uint32_t acct, int asset, struct px_balance *out)
{
	const struct pxacct *a = acct ? px_acct(px, acct) : NULL;
	if (!a || asset < 0 || asset >= PX_A_COUNT)
		return -1;
	balance_of(px, a, asset, out);
	return 0;
}

void px_spot_balances(const struct px *px, uint32_t acct,
		      void (*fn)(void *arg, int asset, const struct px_balance *b), void *arg)
{
	const struct pxacct *a = acct ? px_acct(px, acct) : NULL;
	if (!a)
		return;
	for (int i = 0; i < PX_A_COUNT; i++) {
		if (!a->used[i] && !a->bal[i] && !a->hold[i])
			continue;
		struct px_balance b;
		balance_of(px, a, i, &b);
		fn(arg, i, &b);
	}
}

/* Value of the open part of a margin position at the last price, and its PnL. */
static void mpos_value(const struct px *px, const struct pxmpos *p, const struct px_instr *in,
		       int64_t *value_u, int64_t *net_u)
{
	const struct pxinst *pi = &px->inst[in->id];
	int64_t open = p->vol_u - p->vol_closed_u;
	int64_t last = px_ref_u(px, pi, ENGINE_REF_LAST);
	int qdp = asset_dp(px, in->quote);
	px_i128 cur = (px_i128)open * last;
	*value_u = px_notional_to(in, cur, qdp, DEC_HALF_UP);
	px_i128 pnl = p->side == ENGINE_BUY ? cur - p->open_notional : p->open_notional - cur;
	*net_u = px_notional_to(in, pnl, qdp, DEC_HALF_UP);
}

void px_margin_positions(const struct px *px, uint32_t acct,
			 void (*fn)(void *arg, const struct px_margin_pos *p), void *arg)
{
	const struct pxacct *a = acct ? px_acct(px, acct) : NULL;
	if (!a)
		return;
	for (uint32_t i = 1; i <= px->tab.n; i++) {
		const struct pxmpos *p = &a->mpos[i];
		if (!p->active)
			continue;
		const struct px_instr *in = &px->tab.instr[i - 1];
		int qdp = asset_dp(px, in->quote);
		struct px_margin_pos m;
		memset(&m, 0, sizeof m);
		snprintf(m.id, sizeof m.id, "%s", p->id);
		snprintf(m.ordertxid, sizeof m.ordertxid, "%s", p->ordertxid);
		m.instr = in;
		m.side = p->side;
		m.open_ns = p->open_ns;
		m.cost = px_dec(p->cost_u, qdp);
		m.fee = px_dec(p->fee_u, qdp);
		m.vol = px_dec(p->vol_u, in->qty_dp);
		m.vol_closed = px_dec(p->vol_closed_u, in->qty_dp);
		m.margin = px_dec(p->margin_u, qdp);
		int64_t v, n;
		mpos_value(px, p, in, &v, &n);
		m.value = px_dec(v, qdp);
		m.net = px_dec(n, qdp);
		int64_t open = p->vol_u - p->vol_closed_u;
		if (open > 0) {
			int dp = in->price_dp + 4;
			px_i128 q = p->open_notional * px_pow10(4) / open;
			m.avg_price = dec_normalize(px_dec((int64_t)q, dp));
		}
		m.leverage = p->leverage;
		m.rollover_ns = p->open_ns + 4LL * 3600 * 1000000000LL;
		fn(arg, &m);
	}
}

int px_spot_trade_balance(const struct px *px, uint32_t acct, int asset,
			  struct px_trade_balance *out, struct kerr *err)
{
	memset(out, 0, sizeof *out);
	const struct pxacct *a = acct ? px_acct(px, acct) : NULL;
	if (!a)
		return kerr_set(err, PX_E_UNKNOWN_ACCOUNT, "unknown account");
	if (asset < 0 || asset >= PX_A_COUNT)
		return kerr_set(err, PX_E_ASSET, "unknown asset");
	/* everything in USD units first, then into `asset` */
	int64_t eb = 0, m = 0, n = 0, c = 0, v = 0, uv = 0;
	for (int i = 0; i < PX_A_COUNT; i++)
		eb += px_usd_value(px, i, a->bal[i]);
	for (uint32_t i = 1; i <= px->tab.n; i++) {
		const struct pxmpos *p = &a->mpos[i];
		if (!p->active)
			continue;
		const struct px_instr *in = &px->tab.instr[i - 1];
		int64_t val, net;
		mpos_value(px, p, in, &val, &net);
		int64_t open = p->vol_u - p->vol_closed_u;
		int64_t cost = px_notional_to(in, p->open_notional, asset_dp(px, in->quote),
					      DEC_HALF_UP);
		m += px_usd_value(px, in->quote, p->margin_u);
		n += px_usd_value(px, in->quote, net);
		c += px_usd_value(px, in->quote, cost);
		v += px_usd_value(px, in->quote, val);
		(void)open;
	}
	for (const struct pxo *o = a->open_head[PX_SPOT]; o; o = o->next) {
		const struct px_instr *in = o->inst->in;
		int64_t p = o->price_u ? o->price_u : px_ref_u(px, o->inst, ENGINE_REF_LAST);
		int64_t val = px_notional_to(in, (px_i128)(o->qty_u - o->filled_u) * p,
					     asset_dp(px, in->quote), DEC_HALF_UP);
		uv += px_usd_value(px, in->quote, val);
	}
	int64_t one = px_usd_value(px, asset, px_pow10(asset_dp(px, asset))); /* USD per unit */
	int usd_dp = asset_dp(px, PX_A_USD), dp = asset_dp(px, asset);
	if (one <= 0)
		return kerr_set(err, PX_E_NO_PRICE, "no price for %s", px->tab.assets[asset].altname);
#define CONV(x) px_dec((int64_t)((px_i128)(x) * px_pow10(dp) / one), dp)
	int64_t e = eb + n;
	out->eb = CONV(eb);
	out->tb = CONV(eb);
	out->m = CONV(m);
	out->n = CONV(n);
	out->c = CONV(c);
	out->v = CONV(v);
	out->e = CONV(e);
	out->mf = CONV(e - m);
	out->uv = CONV(uv);
#undef CONV
	(void)usd_dp;
	if (m > 0) {
		out->has_ml = true;
		dec_div(px_dec(e, 0), px_dec(m, 0), 2, DEC_HALF_UP, &out->ml);
		dec_mul(out->ml, dec_from_int(100), 2, DEC_HALF_UP, &out->ml);
	}
	return 0;
}
