/* fut_rest_codec_orders: outcomes of order requests (sendorder, editorder,
 * cancelorder, cancelallorders, cancelallordersafter, batchorder, withdrawal,
 * orders/status). The status fields say what happened; orderEvents say how
 * the order looks now and are applied to the state's orders and fills. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"
#include "core/state.h"
#include "kraken/fut_rest_codec.h"
#include "kraken/fut_rest_codec_int.h"

/* ---- order records ---- */

/* Stop or take-profit from the trigger direction: a buy stop triggers on a
 * rise, a buy take-profit on a fall (and the reverse for sells). */
static bool is_take_profit(enum side side, bool above)
{
	return side == SIDE_BUY ? !above : above;
}

/* OrderJson `type` of a plain (non-trigger) order. */
static void plain_type(const struct jdoc *d, int t, struct fr_order *o)
{
	o->type = OT_LIMIT;
	o->tif = TIF_GTC;
	if (jstr_eq(d, t, "post"))
		o->post_only = true;
	else if (jstr_eq(d, t, "ioc"))
		o->tif = TIF_IOC;
	else if (jstr_eq(d, t, "fok"))
		o->tif = TIF_FOK;
	else if (jstr_eq(d, t, "mkt"))
		o->type = OT_MARKET;
	else if (jstr_eq(d, t, "stp"))
		o->type = dec_is_zero(o->limit) ? OT_STOP : OT_STOP_LIMIT;
	else if (jstr_eq(d, t, "take_profit"))
		o->type = dec_is_zero(o->limit) ? OT_TAKE_PROFIT : OT_TAKE_PROFIT_LIMIT;
	else if (jstr_eq(d, t, "trailing_stop"))
		o->type = OT_TRAILING_STOP;
}

int fr_order_decode(const struct jdoc *d, int tok, bool trigger, struct fr_order *o,
                    struct kerr *err)
{
	memset(o, 0, sizeof *o);
	o->trigger = trigger;
	if (!jtok_is(d, tok, J_OBJ))
		return kerr_set(err, FUT_E_SYNTAX, "an order is not an object");
	int id = jobj_get(d, tok, trigger ? "uid" : "orderId");
	if (fr_absent(d, id))
		id = jobj_get(d, tok, "order_id");
	int cl = jobj_get(d, tok, trigger ? "clientId" : "cliOrdId");
	if (fr_absent(d, cl))
		cl = jobj_get(d, tok, "cliOrdId");
	if (fr_str(d, id, o->id, sizeof o->id) == 0 ||
	    fr_str(d, jobj_get(d, tok, "symbol"), o->symbol, sizeof o->symbol) == 0 ||
	    fr_side(d, jobj_get(d, tok, "side"), &o->side) ||
	    fr_dec(d, jobj_get(d, tok, "quantity"), &o->qty, err) < 0 ||
	    fr_dec(d, jobj_get(d, tok, "filled"), &o->filled, err) < 0 ||
	    fr_dec(d, jobj_get(d, tok, "limitPrice"), &o->limit, err) < 0 ||
	    fr_dec(d, jobj_get(d, tok, "triggerPrice"), &o->trigger_price, err) < 0 ||
	    fr_time(d, jobj_get(d, tok, "timestamp"), &o->created_ms, err) < 0 ||
	    fr_time(d, jobj_get(d, tok, "lastUpdateTimestamp"), &o->updated_ms, err) < 0)
		return kerr_set(err, FUT_E_SYNTAX,
		                "an order needs an id, symbol, side and numbers");
	fr_str(d, cl, o->cl_id, sizeof o->cl_id);
	char sym[INSTR_ID_MAX];
	snprintf(sym, sizeof sym, "%s", o->symbol);
	fut_symbol_upper(sym, strlen(sym), o->symbol, sizeof o->symbol);
	o->reduce_only = fr_bool(d, jobj_get(d, tok, "reduceOnly"));
	if (!trigger) {
		plain_type(d, jobj_get(d, tok, "type"), o);
		return 0;
	}
	char sig[24], tside[24];
	fr_str(d, jobj_get(d, tok, "triggerSignal"), sig, sizeof sig);
	fr_str(d, jobj_get(d, tok, "triggerSide"), tside, sizeof tside);
	o->signal = fr_signal_parse(sig);
	bool tp = is_take_profit(o->side, strstr(tside, "above") || strstr(tside, "ABOVE"));
	bool lim = !dec_is_zero(o->limit);
	if (tp)
		o->type = lim ? OT_TAKE_PROFIT_LIMIT : OT_TAKE_PROFIT;
	else
		o->type = lim ? OT_STOP_LIMIT : OT_STOP;
	return 0;
}

void fr_order_apply(struct state *st, const struct fr_order *o, enum order_status status,
                    const char *reason)
{
	struct order *so = state_order_upsert(st, o->id);
	so->instr = fut_find_instrument(st, o->symbol, strlen(o->symbol));
	so->product = PRODUCT_FUTURES;
	if (o->cl_id[0])
		snprintf(so->cl_id, sizeof so->cl_id, "%s", o->cl_id);
	so->side = o->side;
	so->type = o->type;
	so->tif = o->tif;
	so->signal = o->signal;
	so->post_only = o->post_only;
	so->reduce_only = o->reduce_only;
	if (!dec_is_zero(o->qty))
		so->qty = o->qty;
	so->filled = o->filled;
	so->limit_price = o->limit;
	if (!dec_is_zero(o->trigger_price))
		so->trigger_price = o->trigger_price;
	if (o->created_ms)
		so->created_ms = o->created_ms;
	if (o->updated_ms)
		so->updated_ms = o->updated_ms;
	so->status = status;
	if (reason)
		snprintf(so->reason, sizeof so->reason, "%s", reason);
	state_order_changed(st, so);
}

/* Open status of an order from its fill progress. */
static enum order_status live_status(const struct fr_order *o)
{
	if (o->trigger)
		return OS_UNTRIGGERED;
	if (dec_sign(o->qty) > 0 && dec_ge(o->filled, o->qty))
		return OS_FILLED;
	return dec_sign(o->filled) > 0 ? OS_PARTIAL : OS_OPEN;
}

/* ---- orderEvents ---- */

enum fr_ev_kind { FR_EV_PLACE, FR_EV_EXEC, FR_EV_REJECT, FR_EV_CANCEL, FR_EV_EDIT };

struct fr_event {
	enum fr_ev_kind kind;
	bool has_order;
	struct fr_order o;
	char uid[ORDER_ID_MAX]; /* CANCEL/REJECT without an order */
	char exec_id[ORDER_ID_MAX];
	dec_t price, amount;
	char reason[48];
};

/* The order of an event: `order`, `orderTrigger` or (for EDIT) `new`. */
static int event_order(const struct jdoc *d, int k, const char *key, struct fr_event *e,
                       struct kerr *err)
{
	int t = jobj_get(d, k, key);
	bool trig = false;
	if (fr_absent(d, t) && strcmp(key, "order") == 0) {
		t = jobj_get(d, k, "orderTrigger");
		trig = true;
	}
	if (fr_absent(d, t))
		return 0;
	e->has_order = true;
	return fr_order_decode(d, t, trig, &e->o, err);
}

static int decode_event(const struct jdoc *d, int k, struct fr_event *e, struct kerr *err)
{
	memset(e, 0, sizeof *e);
	int type = jobj_get(d, k, "type");
	fr_str(d, jobj_get(d, k, "uid"), e->uid, sizeof e->uid);
	if (jstr_eq(d, type, "PLACE")) {
		e->kind = FR_EV_PLACE;
		return event_order(d, k, "order", e, err);
	}
	if (jstr_eq(d, type, "EXECUTION")) {
		e->kind = FR_EV_EXEC;
		fr_str(d, jobj_get(d, k, "executionId"), e->exec_id, sizeof e->exec_id);
		if (fr_dec_req(d, jobj_get(d, k, "price"), "price", &e->price, err) ||
		    fr_dec_req(d, jobj_get(d, k, "amount"), "amount", &e->amount, err))
			return -1;
		return event_order(d, k, "orderPriorExecution", e, err);
	}
	if (jstr_eq(d, type, "REJECT")) {
		e->kind = FR_EV_REJECT;
		fr_str(d, jobj_get(d, k, "reason"), e->reason, sizeof e->reason);
		return event_order(d, k, "order", e, err);
	}
	if (jstr_eq(d, type, "CANCEL")) {
		e->kind = FR_EV_CANCEL;
		return event_order(d, k, "order", e, err);
	}
	if (jstr_eq(d, type, "EDIT")) {
		e->kind = FR_EV_EDIT;
		return event_order(d, k, "new", e, err);
	}
	return kerr_set(err, FUT_E_SYNTAX, "unknown order event type");
}

/* Decode every event first (so a bad one changes nothing). *out is malloc'd. */
static int decode_events(const struct jdoc *d, int arr, struct fr_event **out, size_t *n,
                         struct kerr *err)
{
	*out = NULL;
	*n = 0;
	if (fr_absent(d, arr))
		return 0;
	if (!jtok_is(d, arr, J_ARR))
		return kerr_set(err, FUT_E_SYNTAX, "orderEvents is not a list");
	struct fr_event *ev = xcalloc(jtok_size(d, arr) + 1, sizeof *ev);
	size_t i = 0;
	for (int k = jfirst(d, arr); k >= 0; k = jnext(d, arr, k), i++) {
		if (decode_event(d, k, &ev[i], err)) {
			free(ev);
			return -1;
		}
	}
	*out = ev;
	*n = i;
	return 0;
}

static void apply_exec(struct state *st, struct fr_event *e, int64_t when_ms)
{
	struct fr_order *o = &e->o;
	dec_t filled;
	if (dec_add(o->filled, e->amount, &filled) == 0)
		o->filled = filled;
	fr_order_apply(st, o, live_status(o), NULL);
	struct fill f;
	memset(&f, 0, sizeof f);
	snprintf(f.id, sizeof f.id, "%s", e->exec_id[0] ? e->exec_id : o->id);
	snprintf(f.order_id, sizeof f.order_id, "%s", o->id);
	f.instr = fut_find_instrument(st, o->symbol, strlen(o->symbol));
	f.product = PRODUCT_FUTURES;
	f.side = o->side;
	f.price = e->price;
	f.qty = e->amount;
	f.time_ms = when_ms;
	if (f.instr >= 0)
		state_add_fill(st, &f);
}

static void apply_events(struct state *st, struct fr_event *ev, size_t n, int64_t when_ms)
{
	for (size_t i = 0; i < n; i++) {
		struct fr_event *e = &ev[i];
		switch (e->kind) {
		case FR_EV_PLACE:
		case FR_EV_EDIT:
			if (e->has_order)
				fr_order_apply(st, &e->o, live_status(&e->o), NULL);
			break;
		case FR_EV_EXEC:
			if (e->has_order)
				apply_exec(st, e, when_ms);
			break;
		case FR_EV_REJECT:
		case FR_EV_CANCEL: {
			enum order_status s = e->kind == FR_EV_REJECT ? OS_REJECTED : OS_CANCELLED;
			if (e->has_order) {
				fr_order_apply(st, &e->o, s, e->reason[0] ? e->reason : NULL);
			} else if (e->uid[0]) {
				struct order *so = state_order_get(st, e->uid);
				if (so) {
					so->status = s;
					state_order_changed(st, so);
				}
			}
			break;
		}
		}
	}
	/* An IOC/FOK/market order's unfilled rest does not rest in the book. */
	for (size_t i = 0; i < n; i++) {
		if (!ev[i].has_order || ev[i].o.trigger)
			continue;
		struct order *so = state_order_get(st, ev[i].o.id);
		if (so && (so->tif == TIF_IOC || so->tif == TIF_FOK || so->type == OT_MARKET) &&
		    (so->status == OS_OPEN || so->status == OS_PARTIAL)) {
			so->status = OS_CANCELLED;
			snprintf(so->reason, sizeof so->reason,
			         "unfilled rest of an immediate order");
			state_order_changed(st, so);
		}
	}
}

/* ---- status records ---- */

/* {status, order_id|orderId, cliOrdId, receivedTime|dateTimeReceived, order_tag}. */
static int decode_status(const struct jdoc *d, int obj, struct fut_order_result *r,
                         struct kerr *err)
{
	memset(r, 0, sizeof *r);
	if (!jtok_is(d, obj, J_OBJ) ||
	    fr_str(d, jobj_get(d, obj, "status"), r->status, sizeof r->status) == 0)
		return kerr_set(err, FUT_E_SYNTAX, "Kraken Futures order status has no `status`");
	int id = jobj_get(d, obj, "order_id");
	if (fr_absent(d, id))
		id = jobj_get(d, obj, "orderId");
	fr_str(d, id, r->order_id, sizeof r->order_id);
	fr_str(d, jobj_get(d, obj, "cliOrdId"), r->cl_id, sizeof r->cl_id);
	fr_str(d, jobj_get(d, obj, "order_tag"), r->order_tag, sizeof r->order_tag);
	int rt = jobj_get(d, obj, "receivedTime");
	if (fr_absent(d, rt))
		rt = jobj_get(d, obj, "dateTimeReceived");
	if (fr_time(d, rt, &r->received_ms, err) < 0)
		return -1;
	return 0;
}

/* A single-order status object: decode it and its events, then apply. */
static int single(const struct fut_doc *fd, const char *key, struct state *st,
                  struct fut_order_result *r, struct kerr *err)
{
	int obj = fr_payload(fd, key, J_OBJ, err);
	if (obj < 0)
		return -1;
	struct fut_order_result tmp;
	struct fr_event *ev;
	size_t n;
	if (decode_status(&fd->d, obj, &tmp, err) ||
	    decode_events(&fd->d, jobj_get(&fd->d, obj, "orderEvents"), &ev, &n, err))
		return -1;
	if (!tmp.order_id[0] && n && ev[0].has_order)
		snprintf(tmp.order_id, sizeof tmp.order_id, "%s", ev[0].o.id);
	if (!tmp.cl_id[0] && n && ev[0].has_order)
		snprintf(tmp.cl_id, sizeof tmp.cl_id, "%s", ev[0].o.cl_id);
	if (st)
		apply_events(st, ev, n, tmp.received_ms ? tmp.received_ms : fd->server_ms);
	free(ev);
	*r = tmp;
	return 0;
}

int fut_decode_sendorder(const struct fut_doc *fd, struct state *st, struct fut_order_result *r,
                         struct kerr *err)
{
	return single(fd, "sendStatus", st, r, err);
}

int fut_decode_editorder(const struct fut_doc *fd, struct state *st, struct fut_order_result *r,
                         struct kerr *err)
{
	return single(fd, "editStatus", st, r, err);
}

int fut_decode_cancelorder(const struct fut_doc *fd, struct state *st, struct fut_order_result *r,
                           struct kerr *err)
{
	if (single(fd, "cancelStatus", st, r, err))
		return -1;
	if (st && strcmp(r->status, "cancelled") == 0 && r->order_id[0]) {
		struct order *so = state_order_get(st, r->order_id);
		if (so && order_status_is_open(so->status)) {
			so->status = OS_CANCELLED;
			state_order_changed(st, so);
		}
	}
	return 0;
}

int fut_decode_cancelall(const struct fut_doc *fd, struct state *st, struct fut_order_result *r,
                         struct kerr *err)
{
	const struct jdoc *d = &fd->d;
	int obj = fr_payload(fd, "cancelStatus", J_OBJ, err);
	if (obj < 0)
		return -1;
	int list = jobj_get(d, obj, "cancelledOrders");
	if (!fr_absent(d, list) && !jtok_is(d, list, J_ARR))
		return kerr_set(err, FUT_E_SYNTAX, "cancelledOrders is not a list");
	if (single(fd, "cancelStatus", st, r, err))
		return -1;
	r->count = (int)jtok_size(d, list);
	for (int k = jfirst(d, list); st && k >= 0; k = jnext(d, list, k)) {
		char id[ORDER_ID_MAX];
		fr_str(d, jobj_get(d, k, "order_id"), id, sizeof id);
		struct order *so = id[0] ? state_order_get(st, id) : NULL;
		if (so && order_status_is_open(so->status)) {
			so->status = OS_CANCELLED;
			state_order_changed(st, so);
		}
	}
	return 0;
}

int fut_decode_cancel_after(const struct fut_doc *fd, struct fut_order_result *r, struct kerr *err)
{
	int obj = fr_payload(fd, "status", J_OBJ, err);
	if (obj < 0)
		return -1;
	memset(r, 0, sizeof *r);
	if (fr_time(&fd->d, jobj_get(&fd->d, obj, "triggerTime"), &r->trigger_ms, err) < 0 ||
	    fr_time(&fd->d, jobj_get(&fd->d, obj, "currentTime"), &r->received_ms, err) < 0)
		return -1;
	snprintf(r->status, sizeof r->status, "success");
	return 0;
}

int fut_decode_batch(const struct fut_doc *fd, struct state *st, struct fut_order_result *out,
                     size_t cap, size_t *n, struct kerr *err)
{
	const struct jdoc *d = &fd->d;
	int arr = fr_payload(fd, "batchStatus", J_ARR, err);
	if (arr < 0)
		return -1;
	size_t cnt = jtok_size(d, arr), i = 0;
	struct fut_order_result *tmp = xcalloc(cnt + 1, sizeof *tmp);
	struct fr_event **ev = xcalloc(cnt + 1, sizeof *ev);
	size_t *nev = xcalloc(cnt + 1, sizeof *nev);
	int rc = 0;
	for (int k = jfirst(d, arr); k >= 0; k = jnext(d, arr, k), i++)
		if (decode_status(d, k, &tmp[i], err) ||
		    decode_events(d, jobj_get(d, k, "orderEvents"), &ev[i], &nev[i], err)) {
			rc = -1;
			break;
		}
	for (size_t j = 0; j < cnt; j++) {
		if (rc == 0 && st)
			apply_events(st, ev[j], nev[j],
			             tmp[j].received_ms ? tmp[j].received_ms : fd->server_ms);
		if (rc == 0 && j < cap)
			out[j] = tmp[j];
		free(ev[j]);
	}
	free(ev);
	free(nev);
	free(tmp);
	if (rc)
		return fr_prefix(err, "Kraken Futures batchStatus entry %zu", i);
	*n = cnt;
	return 0;
}

int fut_decode_withdrawal(const struct fut_doc *fd, struct fut_order_result *r, struct kerr *err)
{
	if (fut_doc_check(fd, err))
		return -1;
	memset(r, 0, sizeof *r);
	fr_str(&fd->d, jobj_get(&fd->d, 0, "uid"), r->ref, sizeof r->ref);
	snprintf(r->status, sizeof r->status, "success");
	return 0;
}

/* ---- orders/status ---- */

static enum fut_lifecycle lifecycle(const struct jdoc *d, int tok)
{
	static const struct {
		const char *s;
		enum fut_lifecycle lc;
	} map[] = {
	        {"ENTERED_BOOK", FUT_LC_ENTERED_BOOK},
	        {"FULLY_EXECUTED", FUT_LC_FULLY_EXECUTED},
	        {"REJECTED", FUT_LC_REJECTED},
	        {"CANCELLED", FUT_LC_CANCELLED},
	        {"TRIGGER_PLACED", FUT_LC_TRIGGER_PLACED},
	        {"TRIGGER_ACTIVATION_FAILURE", FUT_LC_TRIGGER_FAILED},
	};
	for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
		if (jstr_eq(d, tok, map[i].s))
			return map[i].lc;
	return FUT_LC_UNKNOWN;
}

/* CachedOrderJson: a plain order, or a TRIGGER_ORDER with priceTriggerOptions. */
static int cached_order(const struct jdoc *d, int tok, struct fr_order *o, struct kerr *err)
{
	if (fr_order_decode(d, tok, false, o, err))
		return -1;
	int pto = jobj_get(d, tok, "priceTriggerOptions");
	if (!jstr_eq(d, jobj_get(d, tok, "type"), "TRIGGER_ORDER") && fr_absent(d, pto))
		return 0;
	o->trigger = true;
	char sig[24], tside[24];
	fr_str(d, jobj_get(d, pto, "triggerSignal"), sig, sizeof sig);
	fr_str(d, jobj_get(d, pto, "triggerSide"), tside, sizeof tside);
	if (fr_dec(d, jobj_get(d, pto, "triggerPrice"), &o->trigger_price, err) < 0)
		return -1;
	o->signal = fr_signal_parse(sig);
	bool tp = is_take_profit(o->side, strstr(tside, "ABOVE") || strstr(tside, "above"));
	bool lim = !dec_is_zero(o->limit);
	o->type = tp ? (lim ? OT_TAKE_PROFIT_LIMIT : OT_TAKE_PROFIT)
	             : (lim ? OT_STOP_LIMIT : OT_STOP);
	return 0;
}

static enum order_status lc_status(enum fut_lifecycle lc, const struct fr_order *o)
{
	switch (lc) {
	case FUT_LC_FULLY_EXECUTED:
		return OS_FILLED;
	case FUT_LC_REJECTED:
	case FUT_LC_TRIGGER_FAILED:
		return OS_REJECTED;
	case FUT_LC_CANCELLED:
		return OS_CANCELLED;
	case FUT_LC_TRIGGER_PLACED:
		return OS_UNTRIGGERED;
	default:
		return live_status(o);
	}
}

int fut_decode_orders_status(const struct fut_doc *fd, struct state *st,
                             struct fut_order_state *out, size_t cap, size_t *n, struct kerr *err)
{
	const struct jdoc *d = &fd->d;
	int arr = fr_payload(fd, "orders", J_ARR, err);
	if (arr < 0)
		return -1;
	size_t cnt = jtok_size(d, arr), i = 0;
	struct fr_order *ord = xcalloc(cnt + 1, sizeof *ord);
	struct fut_order_state *tmp = xcalloc(cnt + 1, sizeof *tmp);
	for (int k = jfirst(d, arr); k >= 0; k = jnext(d, arr, k), i++) {
		if (!jtok_is(d, k, J_OBJ) ||
		    cached_order(d, jobj_get(d, k, "order"), &ord[i], err)) {
			free(ord);
			free(tmp);
			return fr_prefix(err, "Kraken Futures orders/status entry %zu", i);
		}
		tmp[i].status = lifecycle(d, jobj_get(d, k, "status"));
		fr_str(d, jobj_get(d, k, "error"), tmp[i].error, sizeof tmp[i].error);
		snprintf(tmp[i].order_id, sizeof tmp[i].order_id, "%s", ord[i].id);
		snprintf(tmp[i].cl_id, sizeof tmp[i].cl_id, "%s", ord[i].cl_id);
		tmp[i].qty = ord[i].qty;
		tmp[i].filled = ord[i].filled;
	}
	for (size_t j = 0; j < cnt; j++) {
		if (st)
			fr_order_apply(st, &ord[j], lc_status(tmp[j].status, &ord[j]),
			               tmp[j].error[0] ? tmp[j].error : NULL);
		if (j < cap)
			out[j] = tmp[j];
	}
	free(ord);
	free(tmp);
	*n = cnt;
	return 0;
}

int fut_find_cl_ord_id(const struct fut_doc *fd, const char *key, const char *cl_id, char *order_id,
                       size_t cap, struct kerr *err)
{
	const struct jdoc *d = &fd->d;
	int arr = fr_payload(fd, key, J_ARR, err);
	if (arr < 0)
		return -1;
	for (int k = jfirst(d, arr); k >= 0; k = jnext(d, arr, k)) {
		if (!cl_id[0] || !jstr_eq(d, jobj_get(d, k, "cliOrdId"), cl_id))
			continue;
		fr_str(d, jobj_get(d, k, "order_id"), order_id, cap);
		return 1;
	}
	return 0;
}
