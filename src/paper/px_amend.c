/* px_amend: changing and ending orders — amend in place, EditOrder (replace with a
 * new id), cancel by id, client id or userref, cancel all — for every protocol. */
#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"
#include "paper/px_int.h"

/* ---- lookups for amend/cancel ---- */

static struct pxo *find_order(struct px *px, struct pxacct *a, int product, const char *id,
			      const char *clid, struct kerr *err)
{
	struct pxo *o = NULL;
	if (id && *id) {
		o = pxmap_get(&px->ids, id);
		if (o && o->acct != a)
			o = NULL;
	} else if (clid && *clid && product >= 0 && product < PX_PRODUCT_COUNT) {
		o = pxmap_get(&a->clid[product], clid);
		if (!o) {
			const struct px_order *c = px_order_find_cl(px, a->id, product, clid);
			if (c) {
				kerr_set(err, PX_E_ORDER_CLOSED, "order is closed");
				return NULL;
			}
		}
	}
	if (!o) {
		kerr_set(err, PX_E_UNKNOWN_ORDER, "unknown order");
		return NULL;
	}
	if (!o->open) {
		kerr_set(err, PX_E_ORDER_CLOSED, "order is closed");
		return NULL;
	}
	return o;
}

/* Amend fields to engine units (relative prices against the last trade). */
static int amend_units(struct px *px, struct pxo *o, const struct px_amend *a,
		       struct engine_amend *am, struct kerr *err)
{
	struct pxinst *pi = o->inst;
	const struct px_instr *in = pi->in;
	memset(am, 0, sizeof *am);
	am->fields = a->fields;
	if (a->fields & ENGINE_AM_QTY) {
		int64_t q;
		if (dec_sign(a->qty) <= 0 || px_units(a->qty, in->qty_dp, &q) < 0)
			return kerr_set(err, PX_E_LOT, "invalid order quantity");
		if (q < in->min_u)
			return kerr_set(err, PX_E_ORDER_MIN, "order minimum not met");
		if (q <= o->filled_u)
			return kerr_set(err, ENGINE_R_QTY_BELOW_FILLED,
					"new quantity must be above the filled quantity");
		am->qty = q - o->base_filled_u;
	}
	if ((a->fields & ENGINE_AM_PRICE) &&
	    px_resolve_price(px, pi, o->o.side, o->o.type, false, &a->price, &am->price, "limit price",
			  err) < 0)
		return -1;
	if ((a->fields & ENGINE_AM_TRIGGER) &&
	    px_resolve_price(px, pi, o->o.side, o->o.type, true, &a->trigger, &am->trigger,
			  "trigger price", err) < 0)
		return -1;
	if (a->fields & ENGINE_AM_DISPLAY) {
		if (px_units(a->display, in->qty_dp, &am->display) < 0 || am->display <= 0)
			return kerr_set(err, PX_E_INVALID, "invalid display quantity");
	}
	if ((a->fields & ENGINE_AM_TRAIL) &&
	    px_resolve_offset(in, &a->trail, false, &am->trail, "trailing offset", err) < 0)
		return -1;
	if ((a->fields & ENGINE_AM_LIMIT_OFF) &&
	    px_resolve_offset(in, &a->limit_off, true, &am->limit_off, "limit offset", err) < 0)
		return -1;
	return 0;
}

int px_amend(struct px *px, const struct px_amend *a, struct px_result *res, struct kerr *err)
{
	struct px_result dummy;
	if (!res)
		res = &dummy;
	memset(res, 0, sizeof *res);
	if (px_check_busy(px, err) < 0)
		return -1;
	px_gc(px);
	struct pxacct *ac = px_acct(px, a->account);
	if (!ac)
		return kerr_set(err, PX_E_UNKNOWN_ACCOUNT, "unknown account");
	if (a->deadline_ns && px->now > a->deadline_ns)
		return kerr_set(err, PX_E_DEADLINE, "deadline elapsed");
	struct pxo *o = find_order(px, ac, a->product, a->id, a->cl_ord_id, err);
	if (!o)
		return -1;
	if (o->o.scheduled)
		return kerr_set(err, PX_E_NOT_SUPPORTED, "a scheduled order cannot be amended");
	struct engine_amend am;
	if (amend_units(px, o, a, &am, err) < 0)
		return -1;
	if (a->oflags & PX_O_VALIDATE)
		return 0;
	size_t before = o->namends;
	int64_t filled = o->filled_u;
	struct engine_result er;
	int rc = engine_amend(o->inst->eng, o->eng_id, &am, &er, err);
	px_after_engine(px, o->inst);
	if (rc < 0)
		return -1;
	px_result_from(res, o, filled);
	if (o->namends > before)
		snprintf(res->amend_id, sizeof res->amend_id, "%s", o->amends[before].amend_id);
	return 0;
}

int px_edit(struct px *px, const struct px_amend *a, struct px_result *res, struct kerr *err)
{
	struct px_result dummy;
	if (!res)
		res = &dummy;
	memset(res, 0, sizeof *res);
	if (px_check_busy(px, err) < 0)
		return -1;
	px_gc(px);
	struct pxacct *ac = px_acct(px, a->account);
	if (!ac)
		return kerr_set(err, PX_E_UNKNOWN_ACCOUNT, "unknown account");
	if (a->deadline_ns && px->now > a->deadline_ns)
		return kerr_set(err, PX_E_DEADLINE, "deadline elapsed");
	struct pxo *old = find_order(px, ac, a->product, a->id, a->cl_ord_id, err);
	if (!old)
		return -1;
	if (old->o.scheduled || old->o.close.type != ENGINE_T_NONE ||
	    (old->o.triggered && px_type_has_trigger(old->o.type)))
		return kerr_set(err, PX_E_NOT_SUPPORTED,
				"orders with a conditional close, triggered stops and scheduled "
				"orders cannot be edited");
	struct engine_amend am;
	if (amend_units(px, old, a, &am, err) < 0)
		return -1;
	if (a->oflags & PX_O_VALIDATE) {
		snprintf(res->orig_id, sizeof res->orig_id, "%s", old->o.id);
		return 0;
	}
	struct pxo *n = px_order_new(px, ac, old->inst);
	n->o.userref = a->set_userref ? a->userref : old->o.userref;
	n->o.side = old->o.side;
	n->o.type = old->o.type;
	n->o.tif = old->o.tif;
	n->o.stp = old->o.stp;
	n->o.trigger_ref = old->o.trigger_ref;
	n->o.eflags = old->o.eflags | ((a->fields & ENGINE_AM_POST_ONLY) ? ENGINE_F_POST_ONLY : 0);
	n->o.oflags = old->o.oflags;
	n->o.trail = (a->fields & ENGINE_AM_TRAIL) ? a->trail : old->o.trail;
	n->o.limit_off = (a->fields & ENGINE_AM_LIMIT_OFF) ? a->limit_off : old->o.limit_off;
	n->o.leverage = old->o.leverage;
	n->o.expire_ns = old->o.expire_ns;
	n->o.fee_asset = old->o.fee_asset;
	snprintf(n->o.parent_id, sizeof n->o.parent_id, "%s", old->o.id);
	n->qty_u = (a->fields & ENGINE_AM_QTY) ? am.qty + old->base_filled_u - old->filled_u
					       : old->qty_u - old->filled_u;
	n->price_u = (a->fields & ENGINE_AM_PRICE) ? am.price : old->price_u;
	n->trigger_u = (a->fields & ENGINE_AM_TRIGGER) ? am.trigger : old->trigger_u;
	n->display_u = (a->fields & ENGINE_AM_DISPLAY) ? am.display : old->display_u;
	px_order_sync(n);
	px_amend_record(px, n, PX_AMEND_ORIGINAL, 0);
	px->edit_new = n;
	px->edit_release_asset = old->hold_asset;
	px->edit_release_u = old->hold_u;
	struct engine_result er;
	int rc = engine_edit(old->inst->eng, old->eng_id, &am, &er, err);
	px->edit_release_asset = -1;
	px->edit_release_u = 0;
	px_after_engine(px, old->inst);
	if (rc < 0 || !n->accepted) {
		px->edit_new = NULL;
		px_hold_release(px, n);
		px_open_unlink(ac, n);
		if (pxmap_get(&px->ids, n->o.id) == n)
			pxmap_del(&px->ids, n->o.id);
		px_order_free(n);
		return rc < 0 ? -1 : kerr_set(err, ENGINE_R_REJECTED, "edit refused");
	}
	px_result_from(res, n, 0);
	snprintf(res->orig_id, sizeof res->orig_id, "%s", old->o.id);
	return 0;
}

/* ---- cancel ---- */

static int cancel_one(struct px *px, struct pxo *o, int why)
{
	if (o->o.scheduled) {
		o->o.scheduled = false;
		if (px->nsched)
			px->nsched--;
		o->o.status = ENGINE_S_CANCELLED;
		o->o.reason = why;
		px_order_finish(px, o);
		px_order_emit(px, o, PX_EXEC_CANCELED, NULL);
		return 0;
	}
	struct kerr e = KERR_INIT;
	int rc = engine_cancel(o->inst->eng, o->eng_id, why, &e);
	px_after_engine(px, o->inst);
	return rc;
}

int px_cancel(struct px *px, uint32_t acct, const char *id, struct kerr *err)
{
	if (px_check_busy(px, err) < 0)
		return -1;
	px_gc(px);
	struct pxacct *a = px_acct(px, acct);
	if (!a)
		return kerr_set(err, PX_E_UNKNOWN_ACCOUNT, "unknown account");
	struct pxo *o = find_order(px, a, -1, id, NULL, err);
	if (!o)
		return -1;
	if (cancel_one(px, o, ENGINE_R_USER_CANCEL) < 0)
		return kerr_set(err, PX_E_UNKNOWN_ORDER, "order could not be cancelled");
	return 0;
}

int px_cancel_cl(struct px *px, uint32_t acct, int product, const char *cl_ord_id,
		 struct kerr *err)
{
	if (px_check_busy(px, err) < 0)
		return -1;
	px_gc(px);
	struct pxacct *a = px_acct(px, acct);
	if (!a)
		return kerr_set(err, PX_E_UNKNOWN_ACCOUNT, "unknown account");
	struct pxo *o = find_order(px, a, product, NULL, cl_ord_id, err);
	if (!o)
		return -1;
	if (cancel_one(px, o, ENGINE_R_USER_CANCEL) < 0)
		return kerr_set(err, PX_E_UNKNOWN_ORDER, "order could not be cancelled");
	return 0;
}

/* Cancel the open orders of a product that match; collects first (the list changes). */
static int cancel_matching(struct px *px, struct pxacct *a, int product,
			   const struct px_instr *instr, bool by_userref, int32_t userref, int why,
			   void (*fn)(void *arg, const struct px_order *o), void *arg)
{
	size_t n = 0, cap = 0;
	struct pxo **v = NULL;
	for (int p = 0; p < PX_PRODUCT_COUNT; p++) {
		if (product >= 0 && p != product)
			continue;
		for (struct pxo *o = a->open_head[p]; o; o = o->next) {
			if (instr && o->inst->in != instr)
				continue;
			if (by_userref && o->o.userref != userref)
				continue;
			v = xgrow(v, &cap, n + 1, sizeof *v);
			v[n++] = o;
		}
	}
	int count = 0;
	for (size_t i = 0; i < n; i++) {
		if (!v[i]->open)
			continue; /* closed by an earlier cancel (self-trade, close child...) */
		if (cancel_one(px, v[i], why) == 0) {
			count++;
			if (fn)
				fn(arg, &v[i]->o);
		}
	}
	free(v);
	return count;
}

int px_cancel_userref(struct px *px, uint32_t acct, int32_t userref,
		      void (*fn)(void *arg, const struct px_order *o), void *arg)
{
	if (px->emitting)
		return 0;
	px_gc(px);
	struct pxacct *a = px_acct(px, acct);
	if (!a)
		return 0;
	return cancel_matching(px, a, PX_SPOT, NULL, true, userref, ENGINE_R_USER_CANCEL, fn, arg);
}

int px_cancel_all(struct px *px, uint32_t acct, int product, const struct px_instr *instr,
		  int why, void (*fn)(void *arg, const struct px_order *o), void *arg)
{
	if (px->emitting)
		return 0;
	px_gc(px);
	struct pxacct *a = px_acct(px, acct);
	if (!a)
		return 0;
	return cancel_matching(px, a, product, instr, false, 0, why ? why : ENGINE_R_CANCEL_ALL,
			       fn, arg);
}
