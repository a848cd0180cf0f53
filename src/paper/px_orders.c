/* px_orders: order records and the engine's callbacks. The engine reports every
 * acceptance, fill, update and close; here they become px state (open lists,
 * history, holds, fills via px_spot_fill / px_fut_fill) and px events. Requests
 * (place, amend, cancel) are in px_place.c. */
#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"
#include "paper/px_int.h"

struct pxo *px_order_new(struct px *px, struct pxacct *a, struct pxinst *pi)
{
	struct pxo *o = xcalloc(1, sizeof *o);
	o->inst = pi;
	o->acct = a;
	o->hold_asset = -1;
	o->keep = a->id != PX_MARKET;
	o->o.account = a->id;
	o->o.instr = pi->in;
	o->o.seq = ++px->order_seq;
	o->o.open_ns = o->o.update_ns = px->now;
	o->o.status = ENGINE_S_NEW;
	if (pi->in->product == PX_SPOT)
		px_gen_txid(px, 'O', o->o.id);
	else
		px_gen_uuid(px, o->o.id);
	pxmap_put(&px->ids, o->o.id, o);
	return o;
}

void px_order_free(struct pxo *o)
{
	if (!o)
		return;
	free(o->amends);
	free(o);
}

/* Remove from the id map and free at the next mutating call (pointers handed out
 * by this call stay valid until then). */
static void order_bury(struct px *px, struct pxo *o)
{
	if (pxmap_get(&px->ids, o->o.id) == o)
		pxmap_del(&px->ids, o->o.id);
	px->grave = xgrow(px->grave, &px->gravecap, px->ngrave + 1, sizeof *px->grave);
	px->grave[px->ngrave++] = o;
}

void px_gc(struct px *px)
{
	if (px->emitting)
		return;
	for (size_t i = 0; i < px->ngrave; i++)
		px_order_free(px->grave[i]);
	px->ngrave = 0;
}

void px_order_sync(struct pxo *o)
{
	const struct px_instr *in = o->inst->in;
	int qdp = in->qty_dp, pdp = in->price_dp;
	o->o.qty = px_dec(o->qty_u, qdp);
	o->o.filled = px_dec(o->filled_u, qdp);
	o->o.display = px_dec(o->display_u, qdp);
	o->o.price = px_dec(o->price_u, pdp);
	o->o.trigger = px_dec(o->trigger_u, pdp);
	int cdp = in->product == PX_SPOT ? o->inst->px->tab.assets[in->quote].decimals : 4;
	o->o.cost = px_dec(o->cost_u, cdp);
	o->o.fee = px_dec(o->fee_u, o->inst->px->tab.assets[o->o.fee_asset].decimals);
	if (o->filled_u > 0) {
		/* average = notional / filled, at 4 more decimals than the price */
		int dp = pdp + 4 > 18 ? 18 : pdp + 4;
		px_i128 n = o->notional * px_pow10(dp - pdp);
		px_i128 q = n / o->filled_u, r = n % o->filled_u;
		if (2 * r >= o->filled_u)
			q++;
		o->o.avg_price = dec_normalize(px_dec((int64_t)q, dp));
	} else {
		o->o.avg_price = dec_zero();
	}
	o->o.amends = o->amends;
	o->o.namends = o->namends;
}

void px_open_link(struct pxacct *a, struct pxo *o)
{
	if (o->open)
		return;
	int p = o->inst->in->product;
	o->prev = a->open_tail[p];
	o->next = NULL;
	if (a->open_tail[p])
		a->open_tail[p]->next = o;
	else
		a->open_head[p] = o;
	a->open_tail[p] = o;
	o->open = true;
	a->open_count[o->inst->in->id]++;
	if (o->o.cl_ord_id[0])
		pxmap_put(&a->clid[p], o->o.cl_ord_id, o);
}

void px_open_unlink(struct pxacct *a, struct pxo *o)
{
	if (!o->open)
		return;
	int p = o->inst->in->product;
	if (o->prev)
		o->prev->next = o->next;
	else
		a->open_head[p] = o->next;
	if (o->next)
		o->next->prev = o->prev;
	else
		a->open_tail[p] = o->prev;
	o->prev = o->next = NULL;
	o->open = false;
	a->open_count[o->inst->in->id]--;
	if (o->o.cl_ord_id[0] && pxmap_get(&a->clid[p], o->o.cl_ord_id) == o)
		pxmap_del(&a->clid[p], o->o.cl_ord_id);
}

void px_order_finish(struct px *px, struct pxo *o)
{
	px_hold_release(px, o);
	px_open_unlink(o->acct, o);
	o->eng_id = 0;
	if (o->o.close_ns == 0)
		o->o.close_ns = px->now;
	px_order_sync(o);
	if (!o->keep) {
		order_bury(px, o);
		return;
	}
	int p = o->inst->in->product;
	struct pxo *old = NULL;
	bool dropped = false;
	struct pxo **slot = pxring_push(&o->acct->closed[p], &old, &dropped);
	*slot = o;
	if (dropped && old)
		order_bury(px, old);
	px_mark_dirty(px);
}

void px_order_emit(struct px *px, struct pxo *o, enum px_exec e, const struct px_fill *f)
{
	if (o->acct->id == PX_MARKET && !px->nls)
		return;
	px_order_sync(o);
	struct px_event ev = {.kind = PX_EV_ORDER, .ts_ns = px->now, .account = o->o.account,
			      .instr = o->inst->in};
	ev.order.order = &o->o;
	ev.order.exec = e;
	ev.order.fill = f;
	px_emit(px, &ev);
}

void px_amend_record(struct px *px, struct pxo *o, enum px_amend_kind kind, int reason)
{
	if (!o->keep)
		return;
	o->amends = xgrow(o->amends, &o->amcap, o->namends + 1, sizeof *o->amends);
	struct px_amend_rec *r = &o->amends[o->namends++];
	memset(r, 0, sizeof *r);
	px_gen_txid(px, 'T', r->amend_id);
	r->kind = kind;
	const struct px_instr *in = o->inst->in;
	r->qty = px_dec(o->qty_u, in->qty_dp);
	r->display = px_dec(o->display_u, in->qty_dp);
	r->price = px_dec(o->price_u, in->price_dp);
	r->trigger = px_dec(o->trigger_u, in->price_dp);
	r->post_only = (o->o.eflags & ENGINE_F_POST_ONLY) != 0;
	r->reason = reason;
	r->ts_ns = px->now;
	o->o.amends = o->amends;
	o->o.namends = o->namends;
}

/* Copy what the engine changed into the record; true when the quantity was cut by
 * the engine (reduce-only: a restatement). */
static bool order_pull(struct pxo *o, const struct engine_order *eo)
{
	bool cut = false;
	int64_t qty = o->base_filled_u + eo->qty;
	if (qty != o->qty_u) {
		cut = qty < o->qty_u;
		o->qty_u = qty;
	}
	o->filled_u = o->base_filled_u + eo->filled;
	o->price_u = eo->price;
	o->trigger_u = eo->trigger;
	o->display_u = eo->display;
	o->o.eflags = eo->flags;
	o->o.status = eo->status;
	if (o->o.status == ENGINE_S_OPEN && o->filled_u > 0) /* filled before a restore */
		o->o.status = ENGINE_S_PARTIAL;
	o->o.triggered = o->o.triggered || eo->triggered != 0; /* a restored one stays fired */
	o->o.update_ns = eo->updated_ns;
	o->eng_seq = eo->seq;
	px_order_sync(o);
	return cut;
}

/* ---- engine callbacks ---- */

static struct pxo *parent_pop(struct px *px)
{
	if (px->parhead >= px->npar)
		return NULL;
	struct pxo *p = px->parents[px->parhead++];
	if (px->parhead == px->npar)
		px->parhead = px->npar = 0;
	return p;
}

/* A conditional-close child: a new order record from its parent. */
static struct pxo *child_new(struct px *px, struct pxinst *pi, const struct engine_order *eo)
{
	struct pxo *par = parent_pop(px);
	struct pxacct *a = px_acct(px, eo->account);
	if (!a)
		return NULL;
	struct pxo *o = px_order_new(px, a, pi);
	o->o.side = eo->side;
	o->o.type = eo->type;
	o->o.tif = eo->tif;
	o->o.stp = eo->stp;
	o->o.trigger_ref = eo->trigger_ref;
	o->o.userref = eo->userref;
	o->qty_u = eo->qty;
	o->price_u = eo->price;
	o->trigger_u = eo->trigger;
	o->trail_e = eo->trail;
	o->limit_off_e = eo->limit_off;
	o->o.fee_asset = pi->in->product == PX_SPOT ? pi->in->quote : pi->in->settle_asset;
	if (par) {
		snprintf(o->o.parent_id, sizeof o->o.parent_id, "%s", par->o.id);
		o->o.leverage = par->o.leverage;
		o->o.oflags = par->o.oflags & (PX_O_FEE_BASE | PX_O_FEE_QUOTE);
		o->o.fee_asset = par->o.fee_asset;
		o->o.trail = par->o.close.trail;
		o->o.limit_off = par->o.close.limit_off;
	}
	px_amend_record(px, o, PX_AMEND_ORIGINAL, 0);
	return o;
}

static struct pxo *order_of(struct px *px, const struct engine_order *eo)
{
	(void)px;
	return eo->user;
}

static int op_admit(void *ctx, const struct engine_order *eo, enum engine_admit_phase ph)
{
	struct pxinst *pi = ctx;
	struct px *px = pi->px;
	if (px->restoring)
		return 0;
	struct pxo *o = order_of(px, eo);
	if (!o && ph == ENGINE_ADMIT_EDIT)
		o = px->edit_new;
	if (!o && ph == ENGINE_ADMIT_CLOSE) {
		o = child_new(px, pi, eo);
		px->child = o;
	}
	if (!o || eo->account == PX_MARKET)
		return 0;
	if (pi->in->product == PX_FUTURES)
		return px_fut_admit(px, o, eo);
	int asset = -1;
	int64_t need = px_spot_need(px, o, eo, &asset, ph);
	if (asset < 0)
		return 0;
	struct pxacct *a = o->acct;
	int64_t own = o->hold_asset == asset ? o->hold_u : 0;
	if (ph == ENGINE_ADMIT_EDIT && px->edit_release_asset == asset)
		own += px->edit_release_u;
	int64_t avail = a->bal[asset] - a->hold[asset] + own;
	if (need > avail && need > own)
		return o->o.leverage ? PX_E_MARGIN : ENGINE_R_INSUFFICIENT_FUNDS;
	px_hold_set(px, o, asset, need);
	return 0;
}

static int64_t op_position(void *ctx, uint32_t account, uint32_t instrument)
{
	struct pxinst *pi = ctx;
	struct pxacct *a = px_acct(pi->px, account);
	if (!a || instrument > PX_MAX_INSTR)
		return 0;
	if (pi->in->product == PX_SPOT)
		return px_mpos_signed(a, instrument);
	return a->fpos[instrument].size_u;
}

static void on_accepted(struct px *px, struct pxinst *pi, const struct engine_order *eo)
{
	struct pxo *o = order_of(px, eo);
	if (!o && px->edit_new && eo->parent) {
		o = px->edit_new;
		px->edit_new = NULL;
	} else if (!o && px->child) {
		o = px->child;
		px->child = NULL;
	}
	if (!o)
		return;
	if (!eo->user)
		engine_order_tag(pi->eng, eo->id, o->o.id, o);
	o->eng_id = eo->id;
	bool was_open = o->open;
	o->accepted = true;
	bool cut = order_pull(o, eo);
	px_open_link(o->acct, o);
	if (px->restoring)
		return;
	if (o->keep)
		px_mark_dirty(px);
	if (!was_open)
		px_order_emit(px, o, PX_EXEC_PENDING_NEW, NULL);
	px_order_emit(px, o, PX_EXEC_NEW, NULL);
	if (cut) {
		px_amend_record(px, o, PX_AMEND_RESTATED, ENGINE_R_WOULD_NOT_REDUCE);
		px_order_emit(px, o, PX_EXEC_RESTATED, NULL);
	}
}

static void on_trade_side(struct px *px, struct pxinst *pi, const struct engine_order *eo,
			  int64_t q, int64_t price, bool maker)
{
	struct pxo *o = order_of(px, eo);
	if (!o)
		return;
	order_pull(o, eo);
	o->notional += (px_i128)q * price;
	struct px_fill f;
	memset(&f, 0, sizeof f);
	if (pi->in->product == PX_SPOT)
		px_spot_fill(px, o, q, price, maker, &f);
	else
		px_fut_fill(px, o, q, price, maker, &f);
	const struct px_fill *stored = &f;
	if (o->keep) {
		struct px_fill *slot = pxring_push(&o->acct->fills[pi->in->product], NULL, NULL);
		*slot = f;
		stored = slot;
		px_mark_dirty(px);
		/* the hold shrinks with what is left to fill */
		if (pi->in->product == PX_SPOT && o->hold_asset >= 0) {
			int asset = -1;
			int64_t need = px_spot_need(px, o, eo, &asset, ENGINE_ADMIT_TRIGGER);
			if (asset == o->hold_asset && need < o->hold_u)
				px_hold_set(px, o, asset, need);
		}
	}
	if (o->keep || px->nls) {
		struct px_event ev = {.kind = PX_EV_FILL, .ts_ns = px->now, .account = o->o.account,
				      .instr = pi->in};
		ev.fill = stored;
		px_order_sync(o);
		px_emit(px, &ev);
		px_order_emit(px, o, o->filled_u >= o->qty_u ? PX_EXEC_FILLED : PX_EXEC_TRADE,
			      stored);
	}
}

static void on_trade(struct px *px, struct pxinst *pi, const struct engine_event *ev)
{
	const struct engine_order *mk = ev->trade.maker, *tk = ev->trade.taker;
	enum engine_type tt = tk->type;
	bool mkt = tt == ENGINE_T_MARKET || tt == ENGINE_T_STOP_LOSS ||
		   tt == ENGINE_T_TAKE_PROFIT || tt == ENGINE_T_TRAILING_STOP;
	const struct pxo *tpo = order_of(px, tk);
	bool liq = tpo && (tpo->o.oflags & PX_O_LIQUIDATION);
	px_market_trade(px, pi, ev->trade.price, ev->trade.qty, ev->trade.aggressor,
			mkt ? ENGINE_T_MARKET : ENGINE_T_LIMIT, liq);
	on_trade_side(px, pi, tk, ev->trade.qty, ev->trade.price, false);
	on_trade_side(px, pi, mk, ev->trade.qty, ev->trade.price, true);
}

static void on_updated(struct px *px, const struct engine_order *eo, enum engine_update what)
{
	struct pxo *o = order_of(px, eo);
	if (!o)
		return;
	bool cut = order_pull(o, eo);
	if (px->restoring)
		return;
	switch (what) {
	case ENGINE_UPD_AMENDED:
		o->o.amended = true;
		px_amend_record(px, o, PX_AMEND_USER, 0);
		if (o->keep)
			px_mark_dirty(px);
		px_order_emit(px, o, PX_EXEC_AMENDED, NULL);
		return;
	case ENGINE_UPD_TRIGGERED:
		if (o->keep)
			px_mark_dirty(px);
		px_order_emit(px, o, PX_EXEC_TRIGGERED, NULL);
		break;
	case ENGINE_UPD_ICEBERG_REFILL:
		px_order_emit(px, o, PX_EXEC_ICEBERG_REFILL, NULL);
		break;
	case ENGINE_UPD_TRAIL_MOVED:
		break; /* not worth a save or an event: the trigger follows the price */
	}
	if (cut) {
		px_amend_record(px, o, PX_AMEND_RESTATED, ENGINE_R_WOULD_NOT_REDUCE);
		px_order_emit(px, o, PX_EXEC_RESTATED, NULL);
	}
}

static void on_closed(struct px *px, const struct engine_order *eo)
{
	struct pxo *o = order_of(px, eo);
	if (!o && px->child) { /* a close child refused at admission */
		o = px->child;
		px->child = NULL;
	}
	if (!o && px->edit_new && eo->parent) {
		o = px->edit_new; /* never happens: edit refusals fail engine_edit */
		px->edit_new = NULL;
	}
	if (!o)
		return;
	order_pull(o, eo);
	o->o.reason = eo->reason;
	o->o.close_ns = px->now;
	o->eng_id = 0;
	if (eo->close.type != ENGINE_T_NONE && eo->filled > 0) {
		px->parents = xgrow(px->parents, &px->parcap, px->npar + 1, sizeof *px->parents);
		px->parents[px->npar++] = o;
	}
	if (px->restoring)
		return;
	if (!o->accepted && eo->reason != ENGINE_R_POST_ONLY) {
		/* refused at admission: px_place reports it; nothing to keep */
		px_hold_release(px, o);
		px_open_unlink(o->acct, o);
		if (!eo->user) /* a child nobody else will free */
			order_bury(px, o);
		return;
	}
	o->accepted = true;
	enum px_exec e;
	switch (eo->status) {
	case ENGINE_S_FILLED:
		e = PX_EXEC_FILLED;
		break;
	case ENGINE_S_EXPIRED:
		e = PX_EXEC_EXPIRED;
		break;
	case ENGINE_S_REJECTED:
		e = PX_EXEC_REJECTED;
		break;
	default:
		e = PX_EXEC_CANCELED;
		break;
	}
	px_order_finish(px, o);
	if (e != PX_EXEC_FILLED) /* the fill already said so */
		px_order_emit(px, o, e, NULL);
}

static void on_level(struct px *px, struct pxinst *pi, const struct engine_event *ev)
{
	pi->book_changed = true;
	if (!px->nls || px->restoring)
		return;
	struct px_event e = {.kind = PX_EV_BOOK, .ts_ns = px->now, .instr = pi->in};
	e.book.side = ev->level.side;
	e.book.price = px_dec(ev->level.price, pi->in->price_dp);
	e.book.qty = px_dec(ev->level.qty, pi->in->qty_dp);
	px_emit(px, &e);
}

static void op_event(void *ctx, const struct engine_event *ev)
{
	struct pxinst *pi = ctx;
	struct px *px = pi->px;
	switch (ev->kind) {
	case ENGINE_EV_ACCEPTED:
		on_accepted(px, pi, ev->ord.order);
		break;
	case ENGINE_EV_TRADE:
		on_trade(px, pi, ev);
		break;
	case ENGINE_EV_UPDATED:
		on_updated(px, ev->ord.order, ev->ord.what);
		break;
	case ENGINE_EV_CLOSED:
		on_closed(px, ev->ord.order);
		break;
	case ENGINE_EV_LEVEL:
		on_level(px, pi, ev);
		break;
	}
}

const struct engine_ops px_engine_ops = {
	.on_event = op_event,
	.admit = op_admit,
	.position = op_position,
};

void px_after_engine(struct px *px, struct pxinst *pi)
{
	if (px->restoring) {
		pi->book_changed = pi->ticker_changed = false;
		return;
	}
	if (pi->book_changed) {
		pi->book_changed = false;
		struct px_event e = {.kind = PX_EV_BOOK_DONE, .ts_ns = px->now, .instr = pi->in};
		px_emit(px, &e);
	}
	if (!pi->ticker_changed)
		return;
	pi->ticker_changed = false;
	/* Until the simulator sets them, mark and index follow the last trade. */
	if (pi->in->product == PX_FUTURES && !pi->has_mark && pi->has_last) {
		int64_t cur = -1;
		engine_reference(pi->eng, ENGINE_REF_MARK, &cur);
		if (cur != pi->last_u) {
			engine_set_reference(pi->eng, ENGINE_REF_MARK, pi->last_u, NULL);
			if (!pi->has_index)
				engine_set_reference(pi->eng, ENGINE_REF_INDEX, pi->last_u, NULL);
			px_fut_mark_changed(px, pi);
			px_after_engine(px, pi);
			return;
		}
	}
	/* A spot pair's index (trigger=index) likewise follows its last trade. */
	if (pi->in->product == PX_SPOT && !pi->has_index && pi->has_last)
		engine_set_reference(pi->eng, ENGINE_REF_INDEX, pi->last_u, NULL);
	struct px_event e = {.kind = PX_EV_TICKER, .ts_ns = px->now, .instr = pi->in};
	px_emit(px, &e);
}
