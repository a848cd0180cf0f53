/* px_place: placing orders, with all validation
 * done once for every protocol: ticks, lots, minimums, client ids, deadlines,
 * leverage, relative prices. Funds are checked by the engine's admit callback
 * (px_orders.c), which also takes the holds. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "base/uuid.h"
#include "paper/px_int.h"

/* ---- price resolution ---- */

bool px_type_has_limit(enum engine_type t)
{
	return t == ENGINE_T_LIMIT || t == ENGINE_T_ICEBERG || t == ENGINE_T_STOP_LOSS_LIMIT ||
	       t == ENGINE_T_TAKE_PROFIT_LIMIT;
}

bool px_type_has_trigger(enum engine_type t)
{
	return t == ENGINE_T_STOP_LOSS || t == ENGINE_T_TAKE_PROFIT ||
	       t == ENGINE_T_STOP_LOSS_LIMIT || t == ENGINE_T_TAKE_PROFIT_LIMIT;
}

bool px_type_is_trailing(enum engine_type t)
{
	return t == ENGINE_T_TRAILING_STOP || t == ENGINE_T_TRAILING_STOP_LIMIT;
}

/* Round a unit price to the nearest tick. */
static int64_t round_tick(const struct px_instr *in, int64_t u)
{
	int64_t t = in->tick_u, r = u % t;
	if (r == 0)
		return u;
	return 2 * r >= t ? u - r + t : u - r;
}

/* An absolute or last-trade-relative price (limit or trigger) in units. */
int px_resolve_price(struct px *px, struct pxinst *pi, enum engine_side side,
			 enum engine_type type, bool trigger, const struct px_price *p,
			 int64_t *out, const char *field, struct kerr *err)
{
	const struct px_instr *in = pi->in;
	if (p->mode == PX_P_NONE)
		return kerr_set(err, PX_E_INVALID, "missing %s", field);
	if (dec_sign(p->v) < 0)
		return kerr_set(err, PX_E_PRICE, "%s must be positive", field);
	if (p->mode == PX_P_ABS && !p->pct) {
		int64_t u;
		if (px_units(p->v, in->price_dp, &u) < 0)
			return kerr_set(err, PX_E_PRICE, "%s can only be specified up to %d decimals",
					field, in->price_dp);
		if (u <= 0)
			return kerr_set(err, PX_E_PRICE, "%s must be positive", field);
		if (u % in->tick_u)
			return kerr_set(err, PX_E_TICK, "%s is not a multiple of the tick size",
					field);
		*out = u;
		return 0;
	}
	int64_t base = px_ref_u(px, pi, ENGINE_REF_LAST);
	if (base <= 0)
		return kerr_set(err, PX_E_NO_PRICE, "no last price for a relative %s", field);
	int64_t delta;
	if (p->pct) {
		/* base * v / 100 */
		dec_t b = px_dec(base, in->price_dp), d;
		if (dec_mul(b, p->v, (unsigned)in->price_dp + 2, DEC_HALF_UP, &d) < 0 ||
		    px_rescale(d.m, d.s + 2, in->price_dp, DEC_HALF_UP, &delta) < 0)
			return kerr_set(err, PX_E_PRICE, "invalid %s", field);
	} else if (px_units(p->v, in->price_dp, &delta) < 0) {
		return kerr_set(err, PX_E_PRICE, "%s can only be specified up to %d decimals", field,
				in->price_dp);
	}
	int sign = 1;
	if (p->mode == PX_P_MINUS) {
		sign = -1;
	} else if (p->mode == PX_P_AUTO) {
		/* the side of the last price on which the order does not execute at once */
		bool buy = side == ENGINE_BUY;
		if (!trigger)
			sign = buy ? -1 : 1;
		else if (type == ENGINE_T_TAKE_PROFIT || type == ENGINE_T_TAKE_PROFIT_LIMIT)
			sign = buy ? -1 : 1;
		else
			sign = buy ? 1 : -1;
	}
	int64_t u = round_tick(in, base + sign * delta);
	if (u <= 0)
		return kerr_set(err, PX_E_PRICE, "%s must be positive", field);
	*out = u;
	return 0;
}

/* A distance (trailing) or signed offset (limit offset) as an engine offset. */
int px_resolve_offset(const struct px_instr *in, const struct px_price *p, bool signed_ok,
			  struct engine_offset *out, const char *field, struct kerr *err)
{
	memset(out, 0, sizeof *out);
	if (p->mode == PX_P_NONE)
		return 0;
	if (p->mode == PX_P_AUTO || (!signed_ok && p->mode == PX_P_MINUS) || dec_sign(p->v) < 0)
		return kerr_set(err, PX_E_INVALID, "invalid %s", field);
	int64_t v;
	if (p->pct) {
		if (px_units(p->v, 4, &v) < 0) /* 1% = 10000 ppm */
			return kerr_set(err, PX_E_PRICE, "%s has too many decimals", field);
		out->unit = ENGINE_OFF_PPM;
	} else {
		if (px_units(p->v, in->price_dp, &v) < 0)
			return kerr_set(err, PX_E_PRICE, "%s can only be specified up to %d decimals",
					field, in->price_dp);
		if (v % in->tick_u)
			return kerr_set(err, PX_E_TICK, "%s is not a multiple of the tick size",
					field);
		out->unit = ENGINE_OFF_PRICE;
	}
	if (!signed_ok && v <= 0)
		return kerr_set(err, PX_E_PRICE, "%s must be positive", field);
	out->value = p->mode == PX_P_MINUS ? -v : v;
	if (out->value == 0 && !signed_ok)
		out->unit = ENGINE_OFF_NONE;
	return 0;
}

/* ---- client ids ---- */

static int check_clid(int product, const char *s, struct kerr *err)
{
	size_t n = strlen(s);
	if (product == PX_FUTURES) {
		if (n > 100)
			return kerr_set(err, PX_E_CLIENT_ID_LONG, "cliOrdId longer than 100 characters");
		for (size_t i = 0; i < n; i++)
			if ((unsigned char)s[i] < 0x21 || (unsigned char)s[i] > 0x7e)
				return kerr_set(err, PX_E_BAD_CLIENT_ID, "invalid cliOrdId");
		return 0;
	}
	if (kt_uuid_valid(s))
		return 0;
	bool hex = n == 32;
	for (size_t i = 0; hex && i < n; i++)
		hex = isxdigit((unsigned char)s[i]) != 0;
	if (hex)
		return 0;
	if (n > 18)
		return kerr_set(err, PX_E_BAD_CLIENT_ID,
				"cl_ord_id must be a UUID, 32 hex digits or up to 18 characters");
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || (unsigned char)s[i] > 0x7e)
			return kerr_set(err, PX_E_BAD_CLIENT_ID, "invalid cl_ord_id");
	return 0;
}

/* ---- place ---- */

static bool lev_ok(const struct px_instr *in, enum engine_side side, int lev)
{
	const uint8_t *l = side == ENGINE_BUY ? in->leverage_buy : in->leverage_sell;
	for (int i = 0; i < 4 && l[i]; i++)
		if (l[i] == lev)
			return true;
	return false;
}

/* The largest quantity (lot units) a quote amount buys walking the asks. */
static int64_t viqc_qty(struct px *px, struct pxinst *pi, int64_t quote_u, bool nompp)
{
	const struct px_instr *in = pi->in;
	int qdp = px->tab.assets[in->quote].decimals;
	struct engine_level lv[256];
	size_t n = engine_depth(pi->eng, ENGINE_SELL, lv, 256);
	int64_t limit = INT64_MAX;
	if (n && in->mkt_collar_ppm && !nompp)
		limit = lv[0].price + (int64_t)((px_i128)lv[0].price * in->mkt_collar_ppm / 1000000);
	int64_t qty = 0, left = quote_u;
	for (size_t i = 0; i < n && left > 0; i++) {
		if (lv[i].price > limit)
			break;
		int64_t cost = px_notional_to(in, (px_i128)lv[i].qty * lv[i].price, qdp, DEC_CEIL);
		if (cost <= left) {
			qty += lv[i].qty;
			left -= cost;
			continue;
		}
		/* part of this level: left / price, in qty units, rounded down */
		px_i128 num = (px_i128)left * px_pow10(in->qty_dp + in->price_dp - qdp > 0
							       ? in->qty_dp + in->price_dp - qdp
							       : 0);
		int64_t q = (int64_t)(num / lv[i].price);
		while (q > 0 && px_notional_to(in, (px_i128)q * lv[i].price, qdp, DEC_CEIL) > left)
			q--;
		qty += q;
		break;
	}
	return qty - qty % in->lot_u;
}

static void req_fill_from_order(struct pxo *o, struct engine_req *r)
{
	memset(r, 0, sizeof *r);
	r->account = o->o.account;
	r->side = o->o.side;
	r->type = o->o.type;
	r->tif = o->o.tif;
	r->stp = o->o.stp;
	r->trigger_ref = o->o.trigger_ref;
	r->flags = o->o.eflags;
	r->qty = o->qty_u - o->base_filled_u;
	r->display = o->display_u;
	r->price = o->price_u;
	r->trigger = o->trigger_u;
	r->trail = o->trail_e;
	r->limit_off = o->limit_off_e;
	r->expire_ns = o->o.expire_ns;
	r->userref = o->o.userref;
	r->wire_id = o->o.id;
	r->user = o;
	r->close = o->close_e;
}

/* Resolve and check everything of a request; fills o's units. */
static int prepare(struct px *px, struct pxinst *pi, const struct px_place *rq, struct pxo *o,
		   struct kerr *err)
{
	const struct px_instr *in = pi->in;
	enum engine_type t = rq->type;
	if (t <= ENGINE_T_NONE || t >= ENGINE_T_COUNT)
		return kerr_set(err, PX_E_INVALID, "invalid ordertype");
	bool trig_limit = t == ENGINE_T_STOP_LOSS_LIMIT || t == ENGINE_T_TAKE_PROFIT_LIMIT;
	if ((t == ENGINE_T_LIMIT || t == ENGINE_T_ICEBERG ||
	     (trig_limit && rq->price.mode != PX_P_NONE)) &&
	    px_resolve_price(px, pi, rq->side, t, false, &rq->price, &o->price_u, "price", err) < 0)
		return -1;
	if (trig_limit && rq->price.mode == PX_P_NONE) {
		/* futures limitPriceOffset: limit = trigger + offset */
		if (rq->limit_off.mode == PX_P_NONE)
			return kerr_set(err, PX_E_INVALID, "missing price");
		if (px_resolve_offset(in, &rq->limit_off, true, &o->limit_off_e, "limit offset", err) < 0)
			return -1;
		if (o->limit_off_e.unit == ENGINE_OFF_NONE)
			o->limit_off_e.unit = ENGINE_OFF_PRICE;
	}
	if (px_type_has_trigger(t) &&
	    px_resolve_price(px, pi, rq->side, t, true, &rq->trigger, &o->trigger_u, "trigger price",
			  err) < 0)
		return -1;
	if (px_type_is_trailing(t)) {
		if (rq->trail.mode == PX_P_NONE)
			return kerr_set(err, PX_E_INVALID, "missing trailing offset");
		if (px_resolve_offset(in, &rq->trail, false, &o->trail_e, "trailing offset", err) < 0)
			return -1;
		if (t == ENGINE_T_TRAILING_STOP_LIMIT) {
			if (rq->limit_off.mode == PX_P_NONE)
				return kerr_set(err, PX_E_INVALID, "missing limit offset");
			if (px_resolve_offset(in, &rq->limit_off, true, &o->limit_off_e, "limit offset",
					   err) < 0)
				return -1;
			if (o->limit_off_e.unit == ENGINE_OFF_NONE)
				o->limit_off_e.unit = ENGINE_OFF_PRICE;
		}
	}
	/* quantity */
	if (rq->oflags & PX_O_VIQC) {
		if (in->product != PX_SPOT || rq->side != ENGINE_BUY || t != ENGINE_T_MARKET ||
		    rq->leverage)
			return kerr_set(err, PX_E_INVALID, "viqc is for spot market buys only");
		int qdp = px->tab.assets[in->quote].decimals;
		if (dec_sign(rq->qty) <= 0 || px_units(rq->qty, qdp, &o->quote_u) < 0)
			return kerr_set(err, PX_E_INVALID, "invalid volume");
		if (dec_lt(rq->qty, in->costmin))
			return kerr_set(err, PX_E_COST_MIN, "cost minimum not met");
		o->qty_u = viqc_qty(px, pi, o->quote_u, (rq->eflags & ENGINE_F_NO_MPP) != 0);
		if (o->qty_u <= 0)
			return kerr_set(err, PX_E_NO_PRICE, "no liquidity to price the order");
		if (o->qty_u < in->min_u)
			return kerr_set(err, PX_E_ORDER_MIN, "order minimum not met");
	} else {
		if (dec_sign(rq->qty) <= 0)
			return kerr_set(err, PX_E_INVALID, "invalid volume");
		if (px_units(rq->qty, in->qty_dp, &o->qty_u) < 0)
			return kerr_set(err, PX_E_LOT, "volume can only be specified up to %d decimals",
					in->qty_dp);
		if (o->qty_u % in->lot_u)
			return kerr_set(err, PX_E_LOT, "volume is not a multiple of the lot size");
		if (o->qty_u < in->min_u)
			return kerr_set(err, PX_E_ORDER_MIN, "order minimum not met");
	}
	if (t == ENGINE_T_ICEBERG) {
		if (px_units(rq->display, in->qty_dp, &o->display_u) < 0 || o->display_u <= 0)
			return kerr_set(err, PX_E_INVALID, "invalid displayvol");
		if (o->display_u * 15 < o->qty_u)
			return kerr_set(err, PX_E_INVALID, "displayvol must be at least 1/15 of volume");
	}
	/* cost minimum of spot limit orders */
	if (in->product == PX_SPOT && o->price_u && dec_sign(in->costmin) > 0) {
		int cdp = in->qty_dp + in->price_dp;
		dec_t cost = px_dec(0, 0);
		int64_t c;
		if (px_rescale((px_i128)o->qty_u * o->price_u, cdp, cdp, DEC_DOWN, &c) == 0)
			cost = px_dec(c, cdp);
		if (dec_lt(cost, in->costmin))
			return kerr_set(err, PX_E_COST_MIN, "cost minimum not met");
	}
	if (rq->leverage) {
		if (in->product != PX_SPOT || !lev_ok(in, rq->side, rq->leverage))
			return kerr_set(err, PX_E_LEVERAGE, "leverage %d is not available",
					rq->leverage);
	}
	/* conditional close */
	const struct px_close_req *c = &rq->close;
	if (c->type != ENGINE_T_NONE) {
		if (in->product != PX_SPOT)
			return kerr_set(err, PX_E_INVALID, "conditional close is spot only");
		if (c->type == ENGINE_T_MARKET || c->type == ENGINE_T_ICEBERG || c->type >= ENGINE_T_COUNT)
			return kerr_set(err, PX_E_INVALID, "invalid close[ordertype]");
		enum engine_side cs = rq->side == ENGINE_BUY ? ENGINE_SELL : ENGINE_BUY;
		o->close_e.type = c->type;
		if (px_type_has_limit(c->type) &&
		    px_resolve_price(px, pi, cs, c->type, false, &c->price, &o->close_e.price,
				  "close[price]", err) < 0)
			return -1;
		if (px_type_has_trigger(c->type) &&
		    px_resolve_price(px, pi, cs, c->type, true, &c->trigger, &o->close_e.trigger,
				  "close[price]", err) < 0)
			return -1;
		if (px_type_is_trailing(c->type)) {
			if (px_resolve_offset(in, &c->trail, false, &o->close_e.trail, "close[price]",
					   err) < 0 ||
			    px_resolve_offset(in, &c->limit_off, true, &o->close_e.limit_off,
					   "close[price2]", err) < 0)
				return -1;
			if (c->type == ENGINE_T_TRAILING_STOP_LIMIT &&
			    o->close_e.limit_off.unit == ENGINE_OFF_NONE)
				o->close_e.limit_off.unit = ENGINE_OFF_PRICE;
		}
	}
	return 0;
}

static void fill_public(struct px *px, struct pxo *o, const struct px_place *rq)
{
	const struct px_instr *in = o->inst->in;
	if (rq->cl_ord_id)
		snprintf(o->o.cl_ord_id, sizeof o->o.cl_ord_id, "%s", rq->cl_ord_id);
	o->o.userref = rq->userref;
	o->o.side = rq->side;
	o->o.type = rq->type;
	o->o.tif = rq->tif;
	o->o.stp = rq->stp;
	o->o.trigger_ref = rq->trigger_ref;
	o->o.eflags = rq->eflags;
	o->o.oflags = rq->oflags & ~PX_O_VALIDATE;
	o->o.trail = rq->trail;
	o->o.limit_off = rq->limit_off;
	o->o.leverage = rq->leverage;
	o->o.start_ns = rq->start_ns > px->now ? rq->start_ns : 0;
	o->o.expire_ns = rq->tif == ENGINE_GTD ? rq->expire_ns : 0;
	o->o.close = rq->close;
	if (o->quote_u)
		o->o.qty_quote = px_dec(o->quote_u, px->tab.assets[in->quote].decimals);
	if (in->product == PX_SPOT)
		o->o.fee_asset = (rq->oflags & PX_O_FEE_BASE) ? in->base : in->quote;
	else
		o->o.fee_asset = in->settle_asset;
	px_order_sync(o);
}

/* A view of a not-yet-submitted order as the engine would hold it. */
static void eo_from_order(const struct pxo *o, struct engine_order *eo)
{
	memset(eo, 0, sizeof *eo);
	eo->account = o->o.account;
	eo->side = o->o.side;
	eo->type = o->o.type;
	eo->flags = o->o.eflags;
	eo->qty = o->qty_u - o->base_filled_u;
	eo->price = o->price_u;
	eo->trigger = o->trigger_u;
	eo->trail = o->trail_e;
	eo->limit_off = o->limit_off_e;
	eo->status = px_type_has_trigger(o->o.type) || px_type_is_trailing(o->o.type) ? ENGINE_S_PENDING
										: ENGINE_S_NEW;
}

void px_result_from(struct px_result *res, const struct pxo *o, int64_t filled_before)
{
	res->order = &o->o;
	snprintf(res->id, sizeof res->id, "%s", o->o.id);
	res->status = o->o.status;
	res->reason = o->o.reason;
	res->filled = px_dec(o->filled_u - filled_before, o->inst->in->qty_dp);
}

int px_place(struct px *px, const struct px_place *rq, struct px_result *res, struct kerr *err)
{
	struct px_result dummy;
	if (!res)
		res = &dummy;
	memset(res, 0, sizeof *res);
	if (px_check_busy(px, err) < 0)
		return -1;
	px_gc(px);
	struct pxacct *a = px_acct(px, rq->account);
	if (!a)
		return kerr_set(err, PX_E_UNKNOWN_ACCOUNT, "unknown account");
	if (!rq->instr || rq->instr->id == 0 || rq->instr->id > px->tab.n ||
	    &px->tab.instr[rq->instr->id - 1] != rq->instr)
		return kerr_set(err, PX_E_UNKNOWN_INSTR, "unknown instrument");
	struct pxinst *pi = &px->inst[rq->instr->id];
	const struct px_instr *in = pi->in;
	if (in->last_trading_ns && px->now >= in->last_trading_ns)
		return kerr_set(err, PX_E_MARKET_CLOSED, "%s no longer trades", in->symbol);
	if (rq->deadline_ns && px->now > rq->deadline_ns)
		return kerr_set(err, PX_E_DEADLINE, "deadline elapsed");
	int prod = in->product;
	if (rq->cl_ord_id && *rq->cl_ord_id) {
		if (check_clid(prod, rq->cl_ord_id, err) < 0)
			return -1;
		if (pxmap_get(&a->clid[prod], rq->cl_ord_id))
			return kerr_set(err, PX_E_DUP_CLIENT_ID, "client order id already in use");
	}
	if (rq->account != PX_MARKET && a->open_count[in->id] >= px->opts.max_open)
		return kerr_set(err, PX_E_TOO_MANY, "too many open orders for %s", in->symbol);
	if (rq->start_ns > px->now && prod != PX_SPOT)
		return kerr_set(err, PX_E_INVALID, "start time is spot only");

	/* a scratch record for the checks; becomes the order when all is well */
	struct pxo tmp;
	memset(&tmp, 0, sizeof tmp);
	tmp.inst = pi;
	tmp.acct = a;
	if (prepare(px, pi, rq, &tmp, err) < 0)
		return -1;
	struct engine_req req;
	tmp.o.side = rq->side;
	tmp.o.type = rq->type;
	tmp.o.tif = rq->tif;
	tmp.o.stp = rq->stp;
	tmp.o.trigger_ref = rq->trigger_ref;
	tmp.o.eflags = rq->eflags;
	tmp.o.userref = rq->userref;
	tmp.o.account = rq->account;
	tmp.o.expire_ns = rq->tif == ENGINE_GTD ? rq->expire_ns : 0;
	req_fill_from_order(&tmp, &req);
	req.wire_id = NULL;
	req.user = NULL;
	if (engine_check(pi->eng, &req, err) < 0)
		return -1; /* engine reasons pass through */
	if (rq->oflags & PX_O_VALIDATE)
		return 0;

	struct pxo *o = px_order_new(px, a, pi);
	o->qty_u = tmp.qty_u;
	o->quote_u = tmp.quote_u;
	o->price_u = tmp.price_u;
	o->trigger_u = tmp.trigger_u;
	o->display_u = tmp.display_u;
	o->trail_e = tmp.trail_e;
	o->limit_off_e = tmp.limit_off_e;
	o->close_e = tmp.close_e;
	fill_public(px, o, rq);
	px_amend_record(px, o, PX_AMEND_ORIGINAL, 0);

	if (o->o.start_ns) {
		/* scheduled: funds are held now, the order enters the book at start_ns */
		struct engine_order eo;
		eo_from_order(o, &eo);
		int asset = -1;
		int64_t need = a->id == PX_MARKET ? 0 : px_spot_need(px, o, &eo, &asset, ENGINE_ADMIT_NEW);
		if (asset >= 0 && need > a->bal[asset] - a->hold[asset]) {
			int code = o->o.leverage ? PX_E_MARGIN : ENGINE_R_INSUFFICIENT_FUNDS;
			pxmap_del(&px->ids, o->o.id);
			px_order_free(o);
			return kerr_set(err, code, "insufficient funds");
		}
		if (asset >= 0)
			px_hold_set(px, o, asset, need);
		o->o.scheduled = true;
		o->accepted = true;
		px->nsched++;
		px_open_link(a, o);
		if (o->keep)
			px_mark_dirty(px);
		px_order_emit(px, o, PX_EXEC_PENDING_NEW, NULL);
		px_order_emit(px, o, PX_EXEC_NEW, NULL);
		px_result_from(res, o, 0);
		return 0;
	}

	req_fill_from_order(o, &req);
	struct engine_result er;
	int rc = engine_submit(pi->eng, &req, &er, err);
	px_after_engine(px, pi);
	if (rc < 0 || (!o->accepted && o->o.reason != ENGINE_R_POST_ONLY)) {
		int code = rc < 0 ? (err ? err->code : ENGINE_R_REJECTED) : o->o.reason;
		px_hold_release(px, o);
		px_open_unlink(a, o);
		if (pxmap_get(&px->ids, o->o.id) == o)
			pxmap_del(&px->ids, o->o.id);
		px_order_free(o);
		if (rc < 0)
			return -1;
		const char *why = code == ENGINE_R_INSUFFICIENT_FUNDS ? "insufficient funds"
				  : code == PX_E_MARGIN			  ? "insufficient margin"
									  : px_code_str(code);
		return kerr_set(err, code, "%s", why);
	}
	if (!o->accepted) /* futures post-only refused: a rejected order with an id */
		px_order_finish(px, o);
	px_result_from(res, o, 0);
	return 0;
}

void px_order_start_scheduled(struct px *px, struct pxo *o)
{
	o->o.scheduled = false;
	if (px->nsched)
		px->nsched--;
	struct engine_req req;
	req_fill_from_order(o, &req);
	struct engine_result er;
	struct kerr e = KERR_INIT;
	if (engine_submit(o->inst->eng, &req, &er, &e) < 0) {
		o->o.status = ENGINE_S_REJECTED;
		o->o.reason = e.code;
		px_order_finish(px, o);
		px_order_emit(px, o, PX_EXEC_REJECTED, NULL);
	}
	px_after_engine(px, o->inst);
	if (o->keep)
		px_mark_dirty(px);
}
