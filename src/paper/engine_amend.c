/* engine_amend: changing live orders. engine_amend changes an order in place
 * (Spot AmendOrder, Futures editorder): reducing the quantity or the iceberg
 * slice keeps queue priority; a larger quantity or slice sends the order to
 * the back of its level; a new limit price takes it out of the book and runs
 * it again as if new (it may trade). engine_edit (Spot EditOrder) cancels the
 * order and places a new one with a new id. */
#include <string.h>

#include "paper/engine_int.h"

/* Check `a` against order p and build the proposed order in np. */
static int amend_prepare(struct engine *eng, const struct eorder *o, const struct engine_amend *a,
                         struct engine_order *np, struct kerr *err)
{
	const struct engine_order *p = &o->pub;
	bool pending = p->status == ENGINE_S_PENDING;
	bool trailing = engine_type_is_trailing(p->type);
	*np = *p;
	if (a->fields & ENGINE_AM_QTY) {
		if (a->qty <= p->filled)
			return kerr_set(err, ENGINE_R_QTY_BELOW_FILLED,
			                "new quantity must be above the filled quantity");
		if (engine_check_qty(eng, a->qty, err) < 0)
			return -1;
		np->qty = a->qty;
	}
	if (a->fields & ENGINE_AM_PRICE) {
		if (!engine_type_has_limit(p->type))
			return kerr_set(err, ENGINE_R_INVALID, "%s orders have no limit price",
			                engine_type_str(p->type));
		if (trailing && pending)
			return kerr_set(err, ENGINE_R_TRAILING_PRICE,
			                "a trailing stop's limit follows its trigger: amend the "
			                "limit offset");
		if (engine_check_price(eng, a->price, "limit price", err) < 0)
			return -1;
		np->price = a->price;
		if (pending)
			np->limit_off = (struct engine_offset){0, ENGINE_OFF_NONE};
	}
	if (a->fields & ENGINE_AM_TRIGGER) {
		if (!pending)
			return kerr_set(err, ENGINE_R_NOT_A_TRIGGER,
			                "order has no pending trigger");
		if (trailing)
			return kerr_set(err, ENGINE_R_TRAILING_PRICE,
			                "a trailing stop's trigger follows the price: amend the "
			                "trailing offset");
		if (engine_check_price(eng, a->trigger, "trigger price", err) < 0)
			return -1;
		np->trigger = a->trigger;
	}
	if (a->fields & ENGINE_AM_TRAIL) {
		if (!trailing || !pending)
			return kerr_set(err, ENGINE_R_NOT_A_TRIGGER, "not a pending trailing stop");
		if (engine_check_offset(eng, &a->trail, true, err) < 0)
			return -1;
		np->trail = a->trail;
	}
	if (a->fields & ENGINE_AM_LIMIT_OFF) {
		bool ok = pending && (p->type == ENGINE_T_TRAILING_STOP_LIMIT ||
		                      p->type == ENGINE_T_STOP_LOSS_LIMIT ||
		                      p->type == ENGINE_T_TAKE_PROFIT_LIMIT);
		if (!ok)
			return kerr_set(err, ENGINE_R_NOT_A_TRIGGER,
			                "only pending stop-limit orders take a limit offset");
		if (engine_check_offset(eng, &a->limit_off, false, err) < 0)
			return -1;
		np->limit_off = a->limit_off;
		if (p->type != ENGINE_T_TRAILING_STOP_LIMIT)
			np->price = 0;
	}
	if (a->fields & ENGINE_AM_DISPLAY) {
		if (p->type != ENGINE_T_ICEBERG)
			return kerr_set(err, ENGINE_R_INVALID,
			                "only iceberg orders have a display");
		np->display = a->display;
	}
	if (np->type == ENGINE_T_ICEBERG && !(a->fields & ENGINE_AM_DISPLAY) &&
	    np->display > np->qty)
		np->display = np->qty;
	if (np->type == ENGINE_T_ICEBERG &&
	    (np->display <= 0 || np->display > np->qty || np->display % eng->meta.lot ||
	     np->display * 15 < np->qty))
		return kerr_set(err, ENGINE_R_INVALID_SIZE,
		                "iceberg display must be a lot multiple between 1/15 of the "
		                "quantity and the quantity");
	return 0;
}

/* Apply a checked amend to a resting (not pending) order. */
static void amend_resting(struct engine *eng, struct eorder *o, const struct engine_order *np)
{
	struct engine_order *p = &o->pub;
	bool reprice = np->price != p->price;
	bool grow = np->qty > p->qty || np->display > p->display;
	p->qty = np->qty;
	p->display = np->display;
	p->updated_ns = eng->now;
	if (reprice) {
		/* A new price is a new arrival: out of the book, match, rest again. */
		ebook_unlink(eng, o);
		p->price = np->price;
		engine_emit_order(eng, ENGINE_EV_UPDATED, o, ENGINE_UPD_AMENDED);
		match_execute(eng, o);
		return;
	}
	int64_t rem = p->qty - p->filled;
	int64_t slice = p->display && p->display < rem ? p->display : rem;
	if (grow) {
		p->seq = ++eng->seq;
		ebook_requeue(eng, o, slice);
	} else {
		ebook_set_shown(eng, o, p->shown < slice ? p->shown : slice);
	}
	engine_emit_order(eng, ENGINE_EV_UPDATED, o, ENGINE_UPD_AMENDED);
}

/* Apply a checked amend to a pending trigger order. */
static void amend_pending(struct engine *eng, struct eorder *o, const struct engine_order *np)
{
	struct engine_order *p = &o->pub;
	bool retrigger =
	        np->trigger != p->trigger || memcmp(&np->trail, &p->trail, sizeof np->trail) != 0;
	p->qty = np->qty;
	p->price = np->price;
	p->limit_off = np->limit_off;
	p->trail = np->trail;
	p->updated_ns = eng->now;
	if (retrigger && engine_type_is_trailing(p->type)) {
		engine_emit_order(eng, ENGINE_EV_UPDATED, o, ENGINE_UPD_AMENDED);
		trig_trail_reset(eng, o);
	} else if (retrigger) {
		trig_remove(eng, o);
		p->trigger = np->trigger;
		engine_emit_order(eng, ENGINE_EV_UPDATED, o, ENGINE_UPD_AMENDED);
		trig_add(eng, o);
	} else {
		engine_emit_order(eng, ENGINE_EV_UPDATED, o, ENGINE_UPD_AMENDED);
	}
}

int engine_amend(struct engine *eng, uint64_t id, const struct engine_amend *a,
                 struct engine_result *res, struct kerr *err)
{
	if (res)
		memset(res, 0, sizeof *res);
	if (eng->busy)
		return engine_op_begin(eng, err);
	struct eorder *o = idmap_get(&eng->ids, id);
	if (!o)
		return kerr_set(err, ENGINE_R_NOT_FOUND, "unknown order");
	struct engine_order *p = &o->pub, np;
	if (amend_prepare(eng, o, a, &np, err) < 0)
		return -1;
	bool pending = p->status == ENGINE_S_PENDING;
	if ((np.flags & ENGINE_F_REDUCE_ONLY) && np.qty > p->qty) {
		struct eorder tmp = *o;
		tmp.pub.qty = np.qty;
		int64_t allowed = match_reduce_allowed(eng, &tmp);
		if (!allowed)
			return kerr_set(err, ENGINE_R_WOULD_NOT_REDUCE,
			                "reduce-only order would not reduce the position");
		np.qty = np.filled + allowed;
	}
	bool post = (a->fields & ENGINE_AM_POST_ONLY) || (p->flags & ENGINE_F_POST_ONLY);
	if (!pending && np.price != p->price && post && match_would_take(eng, p->side, np.price))
		return kerr_set(err, ENGINE_R_POST_ONLY, "the new price would take liquidity");
	if (eng->ops.admit) {
		int r = eng->ops.admit(eng->ctx, &np, ENGINE_ADMIT_AMEND);
		if (r)
			return kerr_set(err, r, "amend refused: %s", engine_reason_str(r));
	}
	engine_op_begin(eng, NULL);
	eng->watch = res;
	eng->watch_id = id;
	if (pending)
		amend_pending(eng, o, &np);
	else
		amend_resting(eng, o, &np);
	engine_op_end(eng);
	return 0;
}

int engine_edit(struct engine *eng, uint64_t id, const struct engine_amend *a,
                struct engine_result *res, struct kerr *err)
{
	if (res)
		memset(res, 0, sizeof *res);
	if (eng->busy)
		return engine_op_begin(eng, err);
	struct eorder *o = idmap_get(&eng->ids, id);
	if (!o)
		return kerr_set(err, ENGINE_R_NOT_FOUND, "unknown order");
	const struct engine_order *p = &o->pub;
	if ((p->triggered && engine_type_has_trigger(p->type)) || p->close.type != ENGINE_T_NONE)
		return kerr_set(err, ENGINE_R_EDIT_UNSUPPORTED,
		                "triggered stops and orders with a conditional close cannot be "
		                "edited");
	struct engine_req r = {
	        .account = p->account,
	        .side = p->side,
	        .type = p->type,
	        .tif = p->tif,
	        .stp = p->stp,
	        .trigger_ref = p->trigger_ref,
	        .flags = p->flags,
	        .qty = p->qty - p->filled,
	        .display = p->display,
	        .price = p->price,
	        .trigger = p->trigger,
	        .trail = p->trail,
	        .limit_off = p->limit_off,
	        .expire_ns = p->expire_ns,
	        .userref = p->userref,
	        .cl_ord_id = p->cl_ord_id[0] ? p->cl_ord_id : NULL,
	};
	if (engine_type_is_trailing(p->type))
		r.trigger = 0;
	if (a->fields & ENGINE_AM_QTY) {
		if (a->qty <= p->filled)
			return kerr_set(err, ENGINE_R_QTY_BELOW_FILLED,
			                "new quantity must be above the filled quantity");
		r.qty = a->qty - p->filled;
	}
	if (a->fields & ENGINE_AM_PRICE) {
		r.price = a->price;
		r.limit_off = (struct engine_offset){0, ENGINE_OFF_NONE};
	}
	if (a->fields & ENGINE_AM_TRIGGER)
		r.trigger = a->trigger;
	if (a->fields & ENGINE_AM_DISPLAY)
		r.display = a->display;
	if (a->fields & ENGINE_AM_TRAIL)
		r.trail = a->trail;
	if (a->fields & ENGINE_AM_LIMIT_OFF) {
		r.limit_off = a->limit_off;
		r.price = 0;
	}
	if (a->fields & ENGINE_AM_POST_ONLY)
		r.flags |= ENGINE_F_POST_ONLY;
	if (r.display && r.display > r.qty)
		r.display = r.qty;
	if (engine_check(eng, &r, err) < 0)
		return -1;
	struct eorder *n = engine_order_from_req(eng, &r);
	n->pub.parent = id;
	if (eng->ops.admit) {
		int rc = eng->ops.admit(eng->ctx, &n->pub, ENGINE_ADMIT_EDIT);
		if (rc) {
			engine_order_release(eng, n);
			return kerr_set(err, rc, "edit refused: %s", engine_reason_str(rc));
		}
	}
	engine_op_begin(eng, NULL);
	struct engine_result dummy;
	eng->watch = res ? res : &dummy;
	eng->watch_id = n->pub.id;
	match_close(eng, o, ENGINE_S_CANCELLED, ENGINE_R_EDITED);
	match_place(eng, n, ENGINE_ADMIT_EDIT, true);
	engine_op_end(eng);
	return 0;
}
