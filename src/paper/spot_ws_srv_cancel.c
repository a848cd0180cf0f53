/* spot_ws_srv_cancel: the Spot WS v2 cancel methods on the paper exchange
 * (cancel_order answered once per order, cancel_all, cancel_all_orders_after,
 * batch_cancel) and the map from px's reasons to Kraken's error strings. */
#include <stdio.h>
#include <string.h>

#include "base/ktime.h"
#include "paper/spot_ws_srv_int.h"

#define ERR_ARGS "EGeneral:Invalid arguments"

void swss_px_error(int code, const char *msg, char *buf, size_t cap)
{
	const char *e;
	switch (code) {
	case ENGINE_R_INSUFFICIENT_FUNDS:
		e = "EOrder:Insufficient funds";
		break;
	case PX_E_ORDER_MIN:
		e = "EOrder:Order minimum not met";
		break;
	case PX_E_COST_MIN:
		e = "EOrder:Cost minimum not met";
		break;
	case PX_E_TICK:
		e = "EOrder:Tick size check failed";
		break;
	case PX_E_PRICE:
	case PX_E_NO_PRICE:
	case ENGINE_R_INVALID_PRICE:
	case ENGINE_R_TRAILING_PRICE:
		e = "EOrder:Invalid price";
		break;
	case PX_E_LOT:
	case ENGINE_R_INVALID_SIZE:
	case ENGINE_R_QTY_BELOW_FILLED:
		e = ERR_ARGS ":order_qty";
		break;
	case PX_E_UNKNOWN_ORDER:
	case PX_E_ORDER_CLOSED:
	case ENGINE_R_NOT_FOUND:
		e = "EOrder:Unknown order";
		break;
	case PX_E_UNKNOWN_INSTR:
		e = "EQuery:Unknown asset pair";
		break;
	case PX_E_DUP_CLIENT_ID:
		e = "EOrder:Duplicate client order id";
		break;
	case PX_E_BAD_CLIENT_ID:
		e = ERR_ARGS ":cl_ord_id";
		break;
	case PX_E_DEADLINE:
		e = "EService:Deadline elapsed";
		break;
	case PX_E_LEVERAGE:
		e = ERR_ARGS ":margin";
		break;
	case PX_E_MARGIN:
		e = "EOrder:Margin level too low";
		break;
	case PX_E_TOO_MANY:
		e = "EOrder:Orders limit exceeded";
		break;
	case ENGINE_R_WOULD_NOT_REDUCE:
		e = "EOrder:Reduce only:No position exists";
		break;
	case ENGINE_R_INVALID_EXPIRY:
		e = ERR_ARGS ":expire_time";
		break;
	case PX_E_MARKET_CLOSED:
		e = "EService:Market in cancel_only mode";
		break;
	case PX_E_NOT_SUPPORTED:
	case ENGINE_R_EDIT_UNSUPPORTED:
	case ENGINE_R_NOT_A_TRIGGER:
		e = "EOrder:Invalid order";
		break;
	case PX_E_BUSY:
		e = "EService:Busy";
		break;
	default:
		e = ERR_ARGS;
		break;
	}
	snprintf(buf, cap, "%s", e);
	(void)msg;
}

/* ---- params ---- */

static void cancel_answer(struct swss_ctx *x, const char *id, const char *cl, const char *error)
{
	if (error) {
		swss_error(x->s, x->r, error, NULL);
		return;
	}
	struct jw w;
	swss_resp_begin(x->s, &w, x->r);
	jw_key(&w, "result");
	jw_obj_begin(&w);
	if (id && id[0]) {
		jw_key(&w, "order_id");
		jw_str(&w, id);
	}
	if (cl && cl[0]) {
		jw_key(&w, "cl_ord_id");
		jw_str(&w, cl);
	}
	jw_obj_end(&w);
	swss_resp_end(x->s, &w, x->r, true);
	swss_send(x->s, x->r->c, false);
}

static void userref_cancelled(void *arg, const struct px_order *o)
{
	struct swss_ctx *x = arg;
	cancel_answer(x, o->id, o->cl_ord_id, NULL);
}

int swss_cancel_order(struct swss_ctx *x)
{
	const struct jdoc *d = x->d;
	int params = x->r->params;
	int ids = jobj_get(d, params, "order_id"), cls = jobj_get(d, params, "cl_ord_id"),
	    refs = jobj_get(d, params, "order_userref");
	if (jtok_size(d, ids) + jtok_size(d, cls) + jtok_size(d, refs) == 0)
		return swss_fail(x, "order_id");
	if (x->s->p->faults.system == PAPER_SYS_MAINTENANCE)
		return swss_system_allows(x, NULL);
	struct kerr err = KERR_INIT;
	char buf[PX_CLID_MAX], e[96];
	for (int k = jfirst(d, ids); k >= 0; k = jnext(d, ids, k)) {
		jtok_str(d, k, buf, sizeof buf);
		bool ok = px_cancel(x->s->px, x->acct, buf, &err) == 0;
		if (!ok)
			swss_px_error(err.code, err.msg, e, sizeof e);
		cancel_answer(x, buf, NULL, ok ? NULL : e);
	}
	for (int k = jfirst(d, cls); k >= 0; k = jnext(d, cls, k)) {
		jtok_str(d, k, buf, sizeof buf);
		bool ok = px_cancel_cl(x->s->px, x->acct, PX_SPOT, buf, &err) == 0;
		const struct px_order *o =
		        ok ? px_order_find_cl(x->s->px, x->acct, PX_SPOT, buf) : NULL;
		if (!ok)
			swss_px_error(err.code, err.msg, e, sizeof e);
		cancel_answer(x, o ? o->id : NULL, buf, ok ? NULL : e);
	}
	for (int k = jfirst(d, refs); k >= 0; k = jnext(d, refs, k)) {
		int64_t ref;
		if (jtok_i64(d, k, &ref) || ref < INT32_MIN || ref > INT32_MAX) {
			swss_error(x->s, x->r, ERR_ARGS ":order_userref", NULL);
			continue;
		}
		if (px_cancel_userref(x->s->px, x->acct, (int32_t)ref, userref_cancelled, x) == 0)
			cancel_answer(x, NULL, NULL, "EOrder:Unknown order");
	}
	return 0;
}

int swss_cancel_all(struct swss_ctx *x)
{
	if (x->s->p->faults.system == PAPER_SYS_MAINTENANCE)
		return swss_system_allows(x, NULL);
	int n = px_cancel_all(x->s->px, x->acct, PX_SPOT, NULL, ENGINE_R_CANCEL_ALL, NULL, NULL);
	struct jw w;
	swss_resp_begin(x->s, &w, x->r);
	jw_key(&w, "result");
	jw_obj_begin(&w);
	jw_key(&w, "count");
	jw_i64(&w, n < 0 ? 0 : n);
	jw_obj_end(&w);
	swss_resp_end(x->s, &w, x->r, true);
	swss_send(x->s, x->r->c, false);
	return 0;
}

int swss_cancel_after(struct swss_ctx *x)
{
	int64_t timeout;
	if (jtok_i64(x->d, jobj_get(x->d, x->r->params, "timeout"), &timeout) || timeout < 0 ||
	    timeout >= 86400)
		return swss_fail(x, "timeout");
	int64_t trig = 0, now = paper_now(x->s->p);
	struct kerr err = KERR_INIT;
	if (px_cancel_after(x->s->px, x->acct, PX_SPOT, timeout, &trig, &err)) {
		swss_px_error(err.code, err.msg, x->err, sizeof x->err);
		return -1;
	}
	char t[KTIME_FMT_MAX];
	struct jw w;
	swss_resp_begin(x->s, &w, x->r);
	jw_key(&w, "result");
	jw_obj_begin(&w);
	ktime_fmt_rfc3339(now, 0, t, sizeof t);
	jw_key(&w, "currentTime");
	jw_str(&w, t);
	if (trig)
		ktime_fmt_rfc3339(trig, 0, t, sizeof t);
	jw_key(&w, "triggerTime");
	jw_str(&w, trig ? t : "0");
	jw_obj_end(&w);
	swss_resp_end(x->s, &w, x->r, true);
	swss_send(x->s, x->r->c, false);
	return 0;
}

int swss_batch_cancel(struct swss_ctx *x)
{
	const struct jdoc *d = x->d;
	int params = x->r->params;
	int ids = jobj_get(d, params, "orders"), cls = jobj_get(d, params, "cl_ord_id");
	size_t n = jtok_size(d, ids) + jtok_size(d, cls);
	if (jtok_type(d, ids) != J_ARR || n < 2 || n > 50)
		return swss_fail(x, "orders");
	if (x->s->p->faults.system == PAPER_SYS_MAINTENANCE)
		return swss_system_allows(x, NULL);
	int count = 0;
	char buf[PX_CLID_MAX];
	for (int k = jfirst(d, ids); k >= 0; k = jnext(d, ids, k)) {
		jtok_str(d, k, buf, sizeof buf);
		int64_t ref;
		/* order ids, or userrefs written as strings */
		if (px_cancel(x->s->px, x->acct, buf, NULL) == 0)
			count++;
		else if (jtok_i64(d, k, &ref) == 0 && ref >= INT32_MIN && ref <= INT32_MAX)
			count += px_cancel_userref(x->s->px, x->acct, (int32_t)ref, NULL, NULL);
	}
	for (int k = jfirst(d, cls); k >= 0; k = jnext(d, cls, k)) {
		jtok_str(d, k, buf, sizeof buf);
		count += px_cancel_cl(x->s->px, x->acct, PX_SPOT, buf, NULL) == 0;
	}
	struct jw w;
	swss_resp_begin(x->s, &w, x->r);
	jw_key(&w, "result");
	jw_obj_begin(&w);
	jw_key(&w, "count");
	jw_i64(&w, count);
	jw_obj_end(&w);
	swss_resp_end(x->s, &w, x->r, true);
	swss_send(x->s, x->r->c, false);
	return 0;
}
