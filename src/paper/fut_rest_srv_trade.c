/* fut_rest_srv_trade: sendorder, editorder and cancelorder of the paper
 * Futures REST adapter — parse Kraken's parameters into px requests, run
 * them, and answer with the status and orderEvents Kraken would send. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/strutil.h"
#include "base/xalloc.h"
#include "paper/fut_rest_srv_int.h"

/* ---- parsing ---- */

/* A price argument into *p (absolute). 0 ok / 1 absent / -1 bad. */
static int price_arg(const struct urlform *a, const char *key, struct px_price *p)
{
	dec_t v;
	int r = frs_dec(a, key, &v);
	if (r == 0)
		*p = px_price_abs(v);
	return r;
}

static int signal_arg(const struct urlform *a, enum engine_ref *ref)
{
	const char *s = frs_arg(a, "triggerSignal");
	if (!s || !s[0])
		return 0;
	if (kt_strieq(s, "mark"))
		*ref = ENGINE_REF_MARK;
	else if (kt_strieq(s, "index"))
		*ref = ENGINE_REF_INDEX;
	else if (kt_strieq(s, "last"))
		*ref = ENGINE_REF_LAST;
	else
		return -1;
	return 0;
}

/* The order type and the prices that go with it. */
static const char *parse_type(const struct urlform *a, const char *type, struct px_place *pl)
{
	bool has_limit = price_arg(a, "limitPrice", &pl->price) == 0;
	bool has_stop = price_arg(a, "stopPrice", &pl->trigger) == 0;
	dec_t off;
	int ro = frs_dec(a, "limitPriceOffsetValue", &off);
	const char *ou = frs_arg(a, "limitPriceOffsetUnit");
	if (ro < 0 || (ro == 0) != (ou != NULL))
		return ro < 0 ? "invalidArgument" : "requiredArgumentMissing";
	if (ro == 0) {
		if (!kt_strieq(ou, "PERCENT") && !kt_strieq(ou, "QUOTE_CURRENCY"))
			return "invalidArgument";
		pl->limit_off = px_price_offset(off, kt_strieq(ou, "PERCENT"));
	}
	bool trig = !strcmp(type, "stp") || !strcmp(type, "take_profit");
	if (!strcmp(type, "lmt") || !strcmp(type, "post") || !strcmp(type, "ioc") ||
	    !strcmp(type, "fok")) {
		if (!has_limit)
			return "requiredArgumentMissing";
		pl->type = ENGINE_T_LIMIT;
		if (!strcmp(type, "post"))
			pl->eflags |= ENGINE_F_POST_ONLY;
		pl->tif = !strcmp(type, "ioc")   ? ENGINE_IOC
		          : !strcmp(type, "fok") ? ENGINE_FOK
		                                 : ENGINE_GTC;
		pl->trigger = (struct px_price){0};
	} else if (!strcmp(type, "mkt")) {
		pl->type = ENGINE_T_MARKET;
		pl->price = pl->trigger = (struct px_price){0};
	} else if (trig) {
		if (!has_stop)
			return "requiredArgumentMissing";
		bool tp = !strcmp(type, "take_profit");
		bool lim = has_limit || ro == 0;
		pl->type = tp ? (lim ? ENGINE_T_TAKE_PROFIT_LIMIT : ENGINE_T_TAKE_PROFIT)
		              : (lim ? ENGINE_T_STOP_LOSS_LIMIT : ENGINE_T_STOP_LOSS);
	} else if (!strcmp(type, "trailing_stop")) {
		dec_t dev;
		int rd = frs_dec(a, "trailingStopMaxDeviation", &dev);
		const char *unit = frs_arg(a, "trailingStopDeviationUnit");
		if (rd == 1 || !unit)
			return "requiredArgumentMissing";
		if (rd < 0 || has_limit || has_stop || dec_sign(dev) <= 0 ||
		    (!kt_strieq(unit, "PERCENT") && !kt_strieq(unit, "QUOTE_CURRENCY")))
			return "invalidArgument";
		pl->type = ro == 0 ? ENGINE_T_TRAILING_STOP_LIMIT : ENGINE_T_TRAILING_STOP;
		pl->trail = (struct px_price){PX_P_ABS, kt_strieq(unit, "PERCENT"), dev};
	} else {
		return "invalidArgument";
	}
	if (!trig && pl->type != ENGINE_T_TRAILING_STOP &&
	    pl->type != ENGINE_T_TRAILING_STOP_LIMIT && ro == 0)
		return "invalidArgument"; /* offsets only exist for trigger orders */
	return NULL;
}

const char *frs_parse_send(struct frs *c, const struct urlform *a, struct frs_send *s)
{
	memset(s, 0, sizeof *s);
	struct px_place *pl = &s->pl;
	const char *type = frs_arg(a, "orderType"), *symbol = frs_arg(a, "symbol");
	const char *side = frs_arg(a, "side");
	int rs = frs_dec(a, "size", &pl->qty);
	if (!type || !symbol || !side || rs == 1)
		return "requiredArgumentMissing";
	if (rs < 0)
		return "invalidArgument";
	pl->account = c->acct;
	pl->instr = px_instr_find(c->px, PX_FUTURES, symbol);
	if (!pl->instr)
		return "invalidArgument";
	if (!strcmp(side, "buy"))
		pl->side = ENGINE_BUY;
	else if (!strcmp(side, "sell"))
		pl->side = ENGINE_SELL;
	else
		return "invalidArgument";
	pl->trigger_ref = ENGINE_REF_MARK;
	const char *why = parse_type(a, type, pl);
	if (why)
		return why;
	bool reduce = false;
	if (signal_arg(a, &pl->trigger_ref) < 0 || frs_bool(a, "reduceOnly", &reduce) < 0 ||
	    frs_time_arg(a, "processBefore", &pl->deadline_ns) < 0)
		return "invalidArgument";
	if (reduce)
		pl->eflags |= ENGINE_F_REDUCE_ONLY;
	const char *cl = frs_arg(a, "cliOrdId");
	pl->cl_ord_id = cl && cl[0] ? cl : NULL;
	return NULL;
}

const char *frs_parse_edit(const struct urlform *a, struct frs_edit *e)
{
	memset(e, 0, sizeof *e);
	struct px_amend *am = &e->am;
	am->product = PX_FUTURES;
	am->id = frs_arg(a, "orderId");
	if (!am->id)
		am->id = frs_arg(a, "order_id");
	am->cl_ord_id = frs_arg(a, "cliOrdId");
	if (!am->id && !am->cl_ord_id)
		return "requiredArgumentMissing";
	int rs = frs_dec(a, "size", &e->size);
	int rp = price_arg(a, "limitPrice", &am->price);
	int rt = price_arg(a, "stopPrice", &am->trigger);
	dec_t dev;
	int rd = frs_dec(a, "trailingStopMaxDeviation", &dev);
	const char *unit = frs_arg(a, "trailingStopDeviationUnit");
	const char *mode = frs_arg(a, "qtyMode");
	if (rs < 0 || rp < 0 || rt < 0 || rd < 0 ||
	    frs_time_arg(a, "processBefore", &am->deadline_ns) < 0)
		return "invalidArgument";
	if (mode && !kt_strieq(mode, "RELATIVE") && !kt_strieq(mode, "ABSOLUTE"))
		return "invalidArgument";
	e->relative = !mode || kt_strieq(mode, "RELATIVE");
	e->has_size = rs == 0;
	if (rp == 0)
		am->fields |= ENGINE_AM_PRICE;
	if (rt == 0)
		am->fields |= ENGINE_AM_TRIGGER;
	if (rd == 0) {
		if (unit && !kt_strieq(unit, "PERCENT") && !kt_strieq(unit, "QUOTE_CURRENCY"))
			return "invalidArgument";
		am->fields |= ENGINE_AM_TRAIL;
		am->trail = (struct px_price){PX_P_ABS, unit && kt_strieq(unit, "PERCENT"), dev};
	}
	if (!e->has_size && !am->fields)
		return "requiredArgumentMissing";
	return NULL;
}

const char *frs_parse_cancel(const struct urlform *a, struct frs_cancel *x)
{
	x->order_id = frs_arg(a, "order_id");
	x->cl_id = frs_arg(a, "cliOrdId");
	if ((!x->order_id || !x->order_id[0]) && (!x->cl_id || !x->cl_id[0]))
		return "requiredArgumentMissing";
	return NULL;
}

/* ---- events ---- */

struct fill_rec {
	char id[PX_ID_MAX];
	dec_t price, qty;
};

struct fill_list {
	struct fill_rec *v;
	size_t n, cap;
};

static void collect_fill(void *arg, const struct px_fill *f)
{
	struct fill_list *l = arg;
	l->v = xgrow(l->v, &l->cap, l->n + 1, sizeof *l->v);
	snprintf(l->v[l->n].id, sizeof l->v[l->n].id, "%s", f->id);
	l->v[l->n].price = f->price;
	l->v[l->n].qty = f->qty;
	l->n++;
}

/* The order's fills, oldest first. */
static void order_fills(struct frs *c, const char *order_id, struct fill_list *l)
{
	struct px_filter f = px_filter_all(PX_FUTURES);
	f.order_id = order_id;
	f.ascending = true;
	px_fills(c->px, c->acct, &f, collect_fill, l);
}

static void no_fill(void *arg, const struct px_fill *f)
{
	(void)arg;
	(void)f;
}

static size_t fill_count(struct frs *c, const char *order_id)
{
	struct px_filter f = px_filter_all(PX_FUTURES);
	f.order_id = order_id;
	f.limit = 1;
	return px_fills(c->px, c->acct, &f, no_fill, NULL);
}

/* EXECUTION events for fills[from..]: each shows the order as it was before. */
static void executions(struct jw *w, const struct px_order *o, const struct fill_list *l,
                       size_t from)
{
	dec_t cum = o->filled;
	for (size_t i = from; i < l->n; i++) /* filled before the first new fill */
		dec_sub(cum, l->v[i].qty, &cum);
	for (size_t i = from; i < l->n; i++) {
		jw_obj_begin(w);
		frs_ks(w, "type", "EXECUTION");
		frs_ks(w, "executionId", l->v[i].id);
		frs_kd(w, "price", l->v[i].price);
		frs_kd(w, "amount", l->v[i].qty);
		frs_knull(w, "orderPriorEdit");
		jw_key(w, "orderPriorExecution");
		frs_order_json(w, o, &cum);
		frs_knull(w, "takerReducedQuantity");
		jw_obj_end(w);
		dec_add(cum, l->v[i].qty, &cum);
	}
}

/* How an order that closed at once is reported: REJECT (post-only, IOC with
 * nothing filled, self-trade, reduce-only, refused) or CANCEL. */
static void closing_event(struct jw *w, const struct px_order *o)
{
	bool rejected = o->status == ENGINE_S_REJECTED || o->reason == ENGINE_R_POST_ONLY ||
	                o->reason == ENGINE_R_SELF_TRADE ||
	                o->reason == ENGINE_R_WOULD_NOT_REDUCE ||
	                (dec_is_zero(o->filled) && (o->reason == ENGINE_R_IOC_REMAINDER ||
	                                            o->reason == ENGINE_R_FOK_UNFILLED ||
	                                            o->reason == ENGINE_R_NO_LIQUIDITY));
	jw_obj_begin(w);
	frs_ks(w, "type", rejected ? "REJECT" : "CANCEL");
	frs_ks(w, "uid", o->id);
	frs_order_member(w, o);
	if (rejected)
		frs_ks(w, "reason", frs_reject_reason(o->reason));
	jw_obj_end(w);
}

static void place_events(struct frs *c, struct jw *w, const struct px_order *o)
{
	struct fill_list l = {0};
	order_fills(c, o->id, &l);
	jw_key(w, "orderEvents");
	jw_arr_begin(w);
	executions(w, o, &l, 0);
	if (px_order_is_open(o)) {
		jw_obj_begin(w);
		frs_ks(w, "type", "PLACE");
		frs_order_member(w, o);
		if (!frs_is_trigger(o))
			frs_knull(w, "reducedQuantity");
		jw_obj_end(w);
	} else if (o->status != ENGINE_S_FILLED) {
		closing_event(w, o);
	}
	jw_arr_end(w);
	free(l.v);
}

/* ---- sendorder ---- */

static const char *place_status(const struct px_result *res)
{
	if (res->status != ENGINE_S_CANCELLED && res->status != ENGINE_S_EXPIRED &&
	    res->status != ENGINE_S_REJECTED)
		return "placed";
	if (dec_sign(res->filled) > 0 && res->reason != ENGINE_R_SELF_TRADE)
		return "placed"; /* an IOC that filled in part */
	const char *s = frs_code_status(res->reason);
	return s ? s : "cancelled";
}

static void status_head(struct frs *c, struct jw *w, const char *tag, const char *status,
                        const char *id_key, const char *id, const char *cl)
{
	jw_obj_begin(w);
	if (tag)
		frs_ks(w, "order_tag", tag);
	frs_ks(w, "status", status);
	if (id && id[0])
		frs_ks(w, id_key, id);
	if (cl && cl[0])
		frs_ks(w, "cliOrdId", cl);
	frs_kt(w, tag ? "dateTimeReceived" : "receivedTime", c->now_ns);
}

static void empty_events(struct jw *w)
{
	jw_key(w, "orderEvents");
	jw_arr_begin(w);
	jw_arr_end(w);
	jw_obj_end(w);
}

const char *frs_exec_send(struct frs *c, const struct frs_send *s, struct jw *w, const char *tag)
{
	const char *cl = s->pl.cl_ord_id;
	if (c->p->faults.fut_suspended) {
		status_head(c, w, tag, "marketSuspended", "order_id", NULL, cl);
		empty_events(w);
		return NULL;
	}
	struct px_result res;
	struct kerr err = KERR_INIT;
	if (px_place(c->px, &s->pl, &res, &err)) {
		const char *st = frs_code_status(err.code);
		if (!st || err.code == PX_E_UNKNOWN_ORDER || err.code == PX_E_ORDER_CLOSED)
			return "invalidArgument";
		status_head(c, w, tag, st, "order_id", NULL, cl);
		empty_events(w);
		return NULL;
	}
	status_head(c, w, tag, place_status(&res), "order_id", res.id, cl);
	if (res.order)
		place_events(c, w, res.order);
	else {
		jw_key(w, "orderEvents");
		jw_arr_begin(w);
		jw_arr_end(w);
	}
	jw_obj_end(w);
	return NULL;
}

void frs_sendorder(struct frs *c)
{
	struct frs_send s;
	const char *why = frs_parse_send(c, &c->args, &s);
	if (why) {
		frs_error(c, why);
		return;
	}
	frs_ok_begin(c);
	jw_key(&c->w, "sendStatus");
	why = frs_exec_send(c, &s, &c->w, NULL);
	if (why)
		frs_error(c, why);
	else
		frs_ok_end(c);
}

/* ---- editorder ---- */

static const struct px_order *find_order(struct frs *c, const char *id, const char *cl)
{
	if (id && id[0])
		return px_order_find(c->px, c->acct, id);
	return px_order_find_cl(c->px, c->acct, PX_FUTURES, cl);
}

const char *frs_exec_edit(struct frs *c, const struct frs_edit *e, struct jw *w)
{
	const struct px_order *o = find_order(c, e->am.id, e->am.cl_ord_id);
	if (!o || !px_order_is_open(o) || o->instr->product != PX_FUTURES) {
		status_head(c, w, NULL, "orderForEditNotFound", "orderId", e->am.id,
		            e->am.cl_ord_id);
		empty_events(w);
		return NULL;
	}
	struct px_order old = *o; /* scalars only: px may move the record */
	struct px_amend am = e->am;
	am.account = c->acct;
	am.id = old.id;
	am.cl_ord_id = NULL;
	if (e->has_size) {
		am.fields |= ENGINE_AM_QTY;
		am.qty = e->size;
		if (e->relative && dec_add(old.filled, e->size, &am.qty))
			return "invalidArgument";
	}
	size_t before = fill_count(c, old.id);
	struct px_result res;
	struct kerr err = KERR_INIT;
	if (px_amend(c->px, &am, &res, &err)) {
		const char *st = frs_code_status(err.code);
		if (err.code == ENGINE_R_TRAILING_PRICE && (am.fields & ENGINE_AM_PRICE))
			st = "cannotEditLimitPriceOfTrailingStop";
		if (!st)
			return "invalidArgument";
		status_head(c, w, NULL, st, "orderId", old.id, old.cl_ord_id);
		empty_events(w);
		return NULL;
	}
	const struct px_order *now = px_order_find(c->px, c->acct, old.id);
	const char *st = now && now->reason == ENGINE_R_POST_ONLY ? "postWouldExecute" : "edited";
	status_head(c, w, NULL, st, "orderId", old.id, old.cl_ord_id);
	jw_key(w, "orderEvents");
	jw_arr_begin(w);
	if (now) {
		jw_obj_begin(w);
		frs_ks(w, "type", "EDIT");
		jw_key(w, "old");
		frs_order_json(w, &old, NULL);
		jw_key(w, "new");
		frs_order_json(w, now, NULL);
		frs_knull(w, "reducedQuantity");
		jw_obj_end(w);
		struct fill_list l = {0};
		order_fills(c, old.id, &l);
		executions(w, now, &l, before < l.n ? before : l.n);
		free(l.v);
		if (!px_order_is_open(now) && now->status != ENGINE_S_FILLED)
			closing_event(w, now);
	}
	jw_arr_end(w);
	jw_obj_end(w);
	return NULL;
}

void frs_editorder(struct frs *c)
{
	struct frs_edit e;
	const char *why = frs_parse_edit(&c->args, &e);
	if (why) {
		frs_error(c, why);
		return;
	}
	frs_ok_begin(c);
	jw_key(&c->w, "editStatus");
	why = frs_exec_edit(c, &e, &c->w);
	if (why)
		frs_error(c, why);
	else
		frs_ok_end(c);
}

/* ---- cancelorder ---- */

void frs_exec_cancel(struct frs *c, const struct frs_cancel *x, struct jw *w)
{
	const struct px_order *o = find_order(c, x->order_id, x->cl_id);
	if (!o || o->instr->product != PX_FUTURES) {
		status_head(c, w, NULL, "notFound", "order_id", x->order_id, x->cl_id);
		empty_events(w);
		return;
	}
	char id[PX_ID_MAX];
	snprintf(id, sizeof id, "%s", o->id);
	struct kerr err = KERR_INIT;
	if (!px_order_is_open(o) || px_cancel(c->px, c->acct, id, &err)) {
		o = px_order_find(c->px, c->acct, id);
		bool filled = o && o->status == ENGINE_S_FILLED;
		status_head(c, w, NULL, filled ? "filled" : "notFound", "order_id", id,
		            o ? o->cl_ord_id : NULL);
		empty_events(w);
		return;
	}
	o = px_order_find(c->px, c->acct, id);
	status_head(c, w, NULL, "cancelled", "order_id", id, o ? o->cl_ord_id : NULL);
	jw_key(w, "orderEvents");
	jw_arr_begin(w);
	if (o) {
		jw_obj_begin(w);
		frs_ks(w, "type", "CANCEL");
		frs_ks(w, "uid", o->id);
		frs_order_member(w, o);
		jw_obj_end(w);
	}
	jw_arr_end(w);
	jw_obj_end(w);
}

void frs_cancelorder(struct frs *c)
{
	struct frs_cancel x;
	const char *why = frs_parse_cancel(&c->args, &x);
	if (why) {
		frs_error(c, why);
		return;
	}
	frs_ok_begin(c);
	jw_key(&c->w, "cancelStatus");
	frs_exec_cancel(c, &x, &c->w);
	frs_ok_end(c);
}
