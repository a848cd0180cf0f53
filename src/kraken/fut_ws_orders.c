/* fut_ws_orders: the private order feeds — open_orders / open_orders_verbose
 * (snapshot + deltas; is_cancel removes an order, with Kraken's reason) and
 * fills (snapshot + deltas) — merged into the core's orders and fills. */
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "base/strutil.h"
#include "kraken/fut_ws_int.h"
#include "kraken/symbols.h"

/* One order as decoded, before it is merged. */
struct fws_order {
	char id[ORDER_ID_MAX];
	char cl_id[ORDER_ID_MAX];
	int instr;
	enum side side;
	enum order_type type;
	enum tif tif;
	bool post_only, post_known;
	enum trigger_signal signal;
	bool has_signal;
	dec_t qty, filled, limit, stop, trail;
	bool has_limit, has_stop, has_trail, trail_pct;
	bool reduce_only;
	int64_t time_ms, updated_ms;
};

/* Kraken's order types on the WS ("limit", "stop", "take_profit",
 * "trailing_stop"; REST spellings accepted too). A stop with a limit price is
 * a stop-limit. */
static void order_type_of(const struct jdoc *d, int tok, struct fws_order *o)
{
	bool lim = o->has_limit && dec_sign(o->limit) > 0;
	o->tif = TIF_GTC;
	if (jstr_eq(d, tok, "stop") || jstr_eq(d, tok, "stp"))
		o->type = lim ? OT_STOP_LIMIT : OT_STOP;
	else if (jstr_eq(d, tok, "take_profit"))
		o->type = lim ? OT_TAKE_PROFIT_LIMIT : OT_TAKE_PROFIT;
	else if (jstr_eq(d, tok, "trailing_stop"))
		o->type = OT_TRAILING_STOP;
	else if (jstr_eq(d, tok, "mkt") || jstr_eq(d, tok, "market"))
		o->type = OT_MARKET;
	else {
		o->type = lim || jstr_eq(d, tok, "limit") ? OT_LIMIT : OT_MARKET;
		if (jstr_eq(d, tok, "post")) {
			o->post_only = o->post_known = true;
		} else if (jstr_eq(d, tok, "ioc")) {
			o->tif = TIF_IOC;
		} else if (jstr_eq(d, tok, "fok")) {
			o->tif = TIF_FOK;
		} else if (!jstr_eq(d, tok, "limit") && !jstr_eq(d, tok, "lmt")) {
			char name[32];
			jtok_str(d, tok, name, sizeof name);
			LOGD("fut ws: unknown order type \"%s\", kept as %s", name,
			     order_type_name(o->type));
		}
	}
}

static int parse_order(struct fws_ctx *x, int obj, struct fws_order *o)
{
	const struct jdoc *d = x->d;
	memset(o, 0, sizeof *o);
	if (!jtok_is(d, obj, J_OBJ))
		return fws_fail(x, FWS_E_SHAPE, "an order is not an object");
	if (fws_req_str(x, obj, "order_id", o->id, sizeof o->id) < 0 ||
	    fws_opt_str(x, obj, "cli_ord_id", o->cl_id, sizeof o->cl_id) < 0)
		return -1;
	if (!o->id[0])
		return fws_fail(x, FWS_E_SHAPE, "an order has an empty \"order_id\"");
	int ins = jobj_get(d, obj, "instrument");
	if (!jtok_is(d, ins, J_STR))
		return fws_fail(x, FWS_E_SHAPE, "order %s: missing \"instrument\"", o->id);
	o->instr = fws_instr_tok(x, ins);
	int64_t dir;
	int dt = jobj_get(d, obj, "direction");
	if (dt < 0 || jtok_i64(d, dt, &dir) < 0 || (dir != 0 && dir != 1))
		return fws_fail(x, FWS_E_SHAPE, "order %s: \"direction\" is not 0 or 1", o->id);
	o->side = dir == 0 ? SIDE_BUY : SIDE_SELL;
	o->filled = dec_zero();
	if (fws_req_dec(x, obj, "qty", &o->qty) < 0 ||
	    fws_opt_dec(x, obj, "filled", &o->filled, NULL) < 0 ||
	    fws_opt_dec(x, obj, "limit_price", &o->limit, &o->has_limit) < 0 ||
	    fws_opt_dec(x, obj, "stop_price", &o->stop, &o->has_stop) < 0 ||
	    fws_opt_bool(x, obj, "reduce_only", &o->reduce_only, NULL) < 0 ||
	    fws_opt_ms(x, obj, "time", &o->time_ms) < 0 ||
	    fws_opt_ms(x, obj, "last_update_time", &o->updated_ms) < 0)
		return -1;
	int type = jobj_get(d, obj, "type");
	if (!jtok_is(d, type, J_STR))
		return fws_fail(x, FWS_E_SHAPE, "order %s: missing \"type\"", o->id);
	order_type_of(d, type, o);
	int sig = jobj_get(d, obj, "triggerSignal");
	if (jtok_is(d, sig, J_STR)) {
		o->has_signal = true;
		if (jstr_eq(d, sig, "mark") || jstr_eq(d, sig, "mark_price"))
			o->signal = TRIG_MARK;
		else if (jstr_eq(d, sig, "spot") || jstr_eq(d, sig, "index") ||
		         jstr_eq(d, sig, "spot_price"))
			o->signal = TRIG_INDEX;
		else
			o->signal = TRIG_LAST;
	}
	int tso = jobj_get(d, obj, "trailing_stop_options");
	if (jtok_is(d, tso, J_OBJ)) {
		if (fws_opt_dec(x, tso, "max_deviation", &o->trail, &o->has_trail) < 0)
			return -1;
		int unit = jobj_get(d, tso, "unit");
		o->trail_pct = jstr_eq(d, unit, "percent") || jstr_eq(d, unit, "PERCENT");
	}
	return 0;
}

/* Merge a decoded (open) order into the store. */
static struct order *merge_order(struct state *st, const struct fws_order *f)
{
	struct order *o = state_order_upsert(st, f->id);
	o->instr = f->instr;
	o->product = PRODUCT_FUTURES;
	o->side = f->side;
	o->type = f->type;
	o->tif = f->tif;
	if (f->post_known)
		o->post_only = f->post_only;
	o->qty = f->qty;
	o->filled = f->filled;
	o->limit_price = order_type_has_limit(f->type) && f->has_limit ? f->limit : dec_zero();
	/* a trailing stop's stop_price is its current trigger */
	bool trig = order_type_has_trigger(f->type) || order_type_is_trailing(f->type);
	o->trigger_price = trig && f->has_stop ? f->stop : dec_zero();
	if (f->has_signal)
		o->signal = f->signal;
	if (f->has_trail) {
		o->trail_offset = f->trail;
		o->trail_pct = f->trail_pct;
	}
	o->reduce_only = f->reduce_only;
	if (f->cl_id[0])
		kt_strlcpy(o->cl_id, f->cl_id, sizeof o->cl_id);
	if (f->time_ms)
		o->created_ms = f->time_ms;
	o->updated_ms = f->updated_ms ? f->updated_ms : f->time_ms;
	if (trig)
		o->status = OS_UNTRIGGERED;
	else
		o->status = dec_sign(f->filled) > 0 ? OS_PARTIAL : OS_OPEN;
	o->reason[0] = '\0';
	return o;
}

/* Why an order left the book (is_cancel:true), in the core's terms. */
static const struct {
	const char *reason;
	enum order_status status;
	const char *text;
} closes[] = {
        {"full_fill", OS_FILLED, "filled"},
        {"cancelled_by_user", OS_CANCELLED, "cancelled by you"},
        {"cancelled_by_admin", OS_CANCELLED, "cancelled by Kraken"},
        {"dead_man_switch", OS_CANCELLED, "cancelled by the dead man's switch (cancel-all-after)"},
        {"liquidation", OS_CANCELLED, "cancelled: the position was liquidated"},
        {"not_enough_margin", OS_CANCELLED, "cancelled: not enough margin"},
        {"market_inactive", OS_CANCELLED, "cancelled: the market became inactive"},
        {"contract_expired", OS_EXPIRED, "the contract expired"},
        {"stop_order_triggered", OS_FILLED, "triggered"},
        {"ioc_order_failed_because_it_would_not_be_executed", OS_REJECTED,
         "rejected: the IOC order found nothing to trade against"},
        {"post_order_failed_because_it_would_filled", OS_REJECTED,
         "rejected: the post-only order would have taken liquidity"},
        {"post_order_failed_because_it_would_be_filled", OS_REJECTED,
         "rejected: the post-only order would have taken liquidity"},
        {"would_execute_self", OS_REJECTED, "rejected: it would have traded with your own order"},
        {"would_not_reduce_position", OS_REJECTED,
         "rejected: the reduce-only order would not reduce the position"},
        {"order_for_edit_not_found", OS_REJECTED, "edit rejected: the order was not found"},
};

static void close_order(struct order *o, const char *reason)
{
	o->status = OS_CANCELLED;
	snprintf(o->reason, sizeof o->reason, "%s", reason[0] ? reason : "closed");
	for (size_t i = 0; i < sizeof closes / sizeof closes[0]; i++) {
		if (strcmp(reason, closes[i].reason) != 0)
			continue;
		o->status = closes[i].status;
		snprintf(o->reason, sizeof o->reason, "%s", closes[i].text);
		break;
	}
	if (strcmp(reason, "stop_order_triggered") == 0 && order_type_has_limit(o->type)) {
		/* a stop-limit lives on as a limit order (limit_order_from_stop) */
		o->status = OS_CANCELLED;
		snprintf(o->reason, sizeof o->reason, "triggered: continues as a limit order");
	}
	if (o->status == OS_FILLED && dec_lt(o->filled, o->qty))
		o->filled = o->qty;
}

/* A snapshot lists every open order: open futures orders missing from it
 * closed while we were not listening (the owner's REST reconciliation then
 * finds out how). */
static void close_missing(struct state *st, const struct fws_order *list, size_t n)
{
	for (size_t i = 0; i < st->norders; i++) {
		struct order *o = &st->orders[i];
		if (o->product != PRODUCT_FUTURES || !order_status_is_open(o->status) ||
		    o->status == OS_PENDING)
			continue;
		bool found = false;
		for (size_t j = 0; j < n && !found; j++)
			found = strcmp(list[j].id, o->id) == 0;
		if (found)
			continue;
		o->status = OS_CANCELLED;
		snprintf(o->reason, sizeof o->reason,
		         "no longer open (closed while the feed was down)");
		state_order_changed(st, o);
	}
}

int fws_orders(struct fws_ctx *x, int obj, bool snapshot)
{
	const struct jdoc *d = x->d;
	if (snapshot) {
		int arr = fws_req_arr(x, obj, "orders");
		if (arr < 0)
			return -1;
		size_t n = jtok_size(d, arr);
		struct fws_order *list = fws_scratch(x->c, n ? n : 1, sizeof *list);
		size_t i = 0;
		for (int k = jfirst(d, arr); k >= 0; k = jnext(d, arr, k))
			if (parse_order(x, k, &list[i++]) < 0)
				return -1;
		for (i = 0; i < n; i++) {
			if (list[i].instr < 0)
				continue; /* a contract we do not list */
			state_order_changed(x->st, merge_order(x->st, &list[i]));
			x->out->count++;
		}
		close_missing(x->st, list, n);
		return 0;
	}
	bool is_cancel = false;
	char reason[64];
	struct fws_order f;
	char id[ORDER_ID_MAX];
	int ot = jobj_get(d, obj, "order");
	bool has_order = jtok_is(d, ot, J_OBJ);
	if (fws_opt_bool(x, obj, "is_cancel", &is_cancel, NULL) < 0 ||
	    fws_opt_str(x, obj, "reason", reason, sizeof reason) < 0 ||
	    fws_opt_str(x, obj, "order_id", id, sizeof id) < 0 ||
	    (has_order && parse_order(x, ot, &f) < 0))
		return -1;
	if (has_order)
		kt_strlcpy(id, f.id, sizeof id);
	if (!id[0])
		return fws_fail(x, FWS_E_SHAPE, "neither \"order\" nor \"order_id\"");
	struct order *o = state_order_get(x->st, id);
	if (has_order && f.instr >= 0)
		o = merge_order(x->st, &f);
	if (!o)
		return 0; /* a cancel of an order we never saw */
	x->out->instr = o->instr;
	if (is_cancel)
		close_order(o, reason);
	x->out->count = 1;
	state_order_changed(x->st, o);
	return 0;
}

/* ---- fills ---- */

struct fws_fill {
	struct fill f;
	int64_t seq;
};

static bool fill_type_is(const struct jdoc *d, int tok, const char *const *names)
{
	for (; *names; names++)
		if (jstr_eq(d, tok, *names))
			return true;
	return false;
}

static int parse_fill(struct fws_ctx *x, int obj, struct fws_fill *out)
{
	static const char *const liq[] = {"liquidation",    "assignor",           "assignee",
	                                  "unwindBankrupt", "unwindCounterparty", NULL};
	const struct jdoc *d = x->d;
	struct fill *f = &out->f;
	memset(out, 0, sizeof *out);
	if (!jtok_is(d, obj, J_OBJ))
		return fws_fail(x, FWS_E_SHAPE, "a fill is not an object");
	bool buy;
	char fee_cur[ASSET_MAX];
	if (fws_req_str(x, obj, "fill_id", f->id, sizeof f->id) < 0 ||
	    fws_opt_str(x, obj, "order_id", f->order_id, sizeof f->order_id) < 0 ||
	    fws_req_dec(x, obj, "price", &f->price) < 0 ||
	    fws_req_dec(x, obj, "qty", &f->qty) < 0 ||
	    fws_req_ms(x, obj, "time", &f->time_ms) < 0 ||
	    fws_opt_ms(x, obj, "seq", &out->seq) < 0 ||
	    fws_opt_dec(x, obj, "fee_paid", &f->fee, NULL) < 0 ||
	    fws_opt_str(x, obj, "fee_currency", fee_cur, sizeof fee_cur) < 0)
		return -1;
	int bt = jobj_get(d, obj, "buy");
	if (jtok_bool(d, bt, &buy) < 0)
		return fws_fail(x, FWS_E_SHAPE, "fill %s: \"buy\" is not true/false", f->id);
	int ins = jobj_get(d, obj, "instrument");
	if (!jtok_is(d, ins, J_STR))
		return fws_fail(x, FWS_E_SHAPE, "fill %s: missing \"instrument\"", f->id);
	f->instr = fws_instr_tok(x, ins);
	f->product = PRODUCT_FUTURES;
	f->side = buy ? SIDE_BUY : SIDE_SELL;
	int ft = jobj_get(d, obj, "fill_type");
	f->maker = jstr_eq(d, ft, "maker");
	f->liquidation = fill_type_is(d, ft, liq);
	if (fee_cur[0])
		kraken_asset_display(fee_cur, f->fee_asset, sizeof f->fee_asset, NULL);
	return 0;
}

static int fill_cmp(const void *a, const void *b)
{
	const struct fws_fill *x = a, *y = b;
	if (x->f.time_ms != y->f.time_ms)
		return x->f.time_ms < y->f.time_ms ? -1 : 1;
	return (x->seq > y->seq) - (x->seq < y->seq);
}

int fws_fills(struct fws_ctx *x, int obj)
{
	const struct jdoc *d = x->d;
	int arr = fws_req_arr(x, obj, "fills");
	if (arr < 0)
		return -1;
	size_t n = jtok_size(d, arr);
	struct fws_fill *list = fws_scratch(x->c, n ? n : 1, sizeof *list);
	size_t i = 0;
	for (int k = jfirst(d, arr); k >= 0; k = jnext(d, arr, k))
		if (parse_fill(x, k, &list[i++]) < 0)
			return -1;
	qsort(list, n, sizeof *list, fill_cmp); /* oldest first: the ring keeps newest last */
	for (i = 0; i < n; i++) {
		if (list[i].f.instr < 0)
			continue;
		state_add_fill(x->st, &list[i].f);
		x->out->instr = list[i].f.instr;
		x->out->count++;
	}
	return 0;
}
