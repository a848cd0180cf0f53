/* engine: lifecycle and public entry points of the matching engine, request
 * validation, the order pool, the work queue and event delivery. Matching
 * itself is in engine_match.c, the book in engine_book.c, triggers and expiry
 * in engine_trigger.c, amend/edit in engine_amend.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "base/xalloc.h"
#include "paper/engine_int.h"

#define ORDER_CHUNK 256

/* ---- type helpers ---- */

bool engine_type_is_market(enum engine_type t)
{
	return t == ENGINE_T_MARKET || t == ENGINE_T_STOP_LOSS || t == ENGINE_T_TAKE_PROFIT ||
	       t == ENGINE_T_TRAILING_STOP;
}

bool engine_type_has_trigger(enum engine_type t)
{
	return t >= ENGINE_T_STOP_LOSS && t <= ENGINE_T_TRAILING_STOP_LIMIT;
}

bool engine_type_is_trailing(enum engine_type t)
{
	return t == ENGINE_T_TRAILING_STOP || t == ENGINE_T_TRAILING_STOP_LIMIT;
}

bool engine_type_has_limit(enum engine_type t)
{
	return t == ENGINE_T_LIMIT || t == ENGINE_T_ICEBERG || t == ENGINE_T_STOP_LOSS_LIMIT ||
	       t == ENGINE_T_TAKE_PROFIT_LIMIT || t == ENGINE_T_TRAILING_STOP_LIMIT;
}

int64_t engine_offset_amount(int64_t base, const struct engine_offset *off)
{
	switch (off->unit) {
	case ENGINE_OFF_PRICE:
		return off->value;
	case ENGINE_OFF_PPM:
		return (int64_t)((__int128)base * off->value / 1000000);
	case ENGINE_OFF_NONE:
		break;
	}
	return 0;
}

/* Onto the tick, never more aggressive: buys round down, sells up; >= one tick. */
int64_t engine_round_tick(const struct engine *eng, int64_t price, enum engine_side side)
{
	int64_t t = eng->meta.tick;
	int64_t r = price % t;
	if (r < 0)
		r += t;
	if (r)
		price = side == ENGINE_BUY ? price - r : price - r + t;
	return price < t ? t : price;
}

/* ---- pool, events, queue ---- */

struct eorder *engine_order_alloc(struct engine *eng)
{
	if (!eng->free_orders) {
		struct eorder *chunk = xmalloc(ORDER_CHUNK * sizeof *chunk);
		if (eng->nchunks == eng->chunks_cap)
			eng->chunks = xgrow(eng->chunks, &eng->chunks_cap, eng->nchunks + 1,
			                    sizeof *eng->chunks);
		eng->chunks[eng->nchunks++] = chunk;
		for (size_t i = 0; i < ORDER_CHUNK; i++) {
			chunk[i].next = eng->free_orders;
			eng->free_orders = &chunk[i];
		}
	}
	struct eorder *o = eng->free_orders;
	eng->free_orders = o->next;
	memset(o, 0, sizeof *o);
	o->trig_idx = o->exp_idx = ENGINE_NO_IDX;
	o->trig_box = -1;
	return o;
}

void engine_order_release(struct engine *eng, struct eorder *o)
{
	o->pub.id = 0;
	o->next = eng->free_orders;
	eng->free_orders = o;
}

void engine_emit(struct engine *eng, struct engine_event *ev)
{
	if (!eng->ops.on_event)
		return;
	ev->ts_ns = eng->now;
	eng->ops.on_event(eng->ctx, ev);
}

void engine_emit_order(struct engine *eng, enum engine_ev_kind kind, struct eorder *o,
                       enum engine_update what)
{
	struct engine_event ev = {.kind = kind};
	ev.ord.order = &o->pub;
	ev.ord.what = what;
	engine_emit(eng, &ev);
}

void engine_queue_push(struct engine *eng, struct eorder *o, enum equeue_kind kind)
{
	o->qkind = (uint8_t)kind;
	o->qnext = NULL;
	if (eng->qtail)
		eng->qtail->qnext = o;
	else
		eng->qhead = o;
	eng->qtail = o;
}

void engine_watch_note(struct engine *eng, const struct eorder *o)
{
	if (!eng->watch || o->pub.id != eng->watch_id)
		return;
	eng->watch->id = o->pub.id;
	eng->watch->status = o->pub.status;
	eng->watch->reason = o->pub.reason;
	eng->watch->qty = o->pub.qty;
	eng->watch->filled = o->pub.filled;
}

int engine_op_begin(struct engine *eng, struct kerr *err)
{
	if (eng->busy)
		return kerr_set(err, ENGINE_R_BUSY,
		                "the matching engine is busy (call from a callback)");
	eng->busy = true;
	return 0;
}

/* Run fired triggers and conditional-close children until nothing is left, then
 * report the changed levels. */
void engine_op_end(struct engine *eng)
{
	struct eorder *o;
	while ((o = eng->qhead)) {
		eng->qhead = o->qnext;
		if (!eng->qhead)
			eng->qtail = NULL;
		enum equeue_kind kind = o->qkind;
		o->qkind = EQ_NONE;
		o->qnext = NULL;
		if (kind == EQ_ACTIVATE)
			match_activate(eng, o);
		else
			match_place(eng, o, ENGINE_ADMIT_CLOSE, false);
	}
	ebook_flush(eng);
	if (eng->watch) {
		struct eorder *w = idmap_get(&eng->ids, eng->watch_id);
		if (w)
			engine_watch_note(eng, w);
	}
	eng->watch = NULL;
	eng->watch_id = 0;
	eng->busy = false;
}

/* ---- lifecycle ---- */

struct engine *engine_new(const struct engine_instrument *meta, const struct engine_ops *ops,
                          void *ctx)
{
	struct engine *eng = xcalloc(1, sizeof *eng);
	eng->meta = *meta;
	if (eng->meta.tick < 1)
		eng->meta.tick = 1;
	if (eng->meta.lot < 1)
		eng->meta.lot = 1;
	if (eng->meta.min_qty < eng->meta.lot)
		eng->meta.min_qty = eng->meta.lot;
	snprintf(eng->symbol, sizeof eng->symbol, "%s", meta->symbol ? meta->symbol : "?");
	eng->meta.symbol = eng->symbol;
	eng->meta.id &= (1u << 24) - 1;
	if (ops)
		eng->ops = *ops;
	eng->ctx = ctx;
	ebook_init(eng);
	idmap_init(&eng->ids);
	trig_init(eng);
	return eng;
}

void engine_free(struct engine *eng)
{
	if (!eng)
		return;
	ebook_free(eng);
	idmap_free(&eng->ids);
	acmap_free(&eng->accts);
	trig_free(eng);
	for (size_t i = 0; i < eng->nchunks; i++)
		free(eng->chunks[i]);
	free(eng->chunks);
	free(eng);
}

const struct engine_instrument *engine_instrument(const struct engine *eng)
{
	return &eng->meta;
}

/* ---- validation ---- */

int engine_check_price(const struct engine *eng, int64_t price, const char *what, struct kerr *err)
{
	if (price <= 0 || price > ENGINE_MAX_PRICE)
		return kerr_set(err, ENGINE_R_INVALID_PRICE, "%s must be positive", what);
	if (price % eng->meta.tick)
		return kerr_set(err, ENGINE_R_INVALID_PRICE,
		                "%s is not a multiple of the tick size", what);
	return 0;
}

int engine_check_offset(const struct engine *eng, const struct engine_offset *off, bool trail,
                        struct kerr *err)
{
	const char *what = trail ? "trailing offset" : "limit offset";
	switch (off->unit) {
	case ENGINE_OFF_PRICE:
		if (trail && off->value <= 0)
			return kerr_set(err, ENGINE_R_INVALID_PRICE, "%s must be positive", what);
		if (off->value % eng->meta.tick || off->value > ENGINE_MAX_PRICE ||
		    off->value < -ENGINE_MAX_PRICE)
			return kerr_set(err, ENGINE_R_INVALID_PRICE,
			                "%s is not a multiple of the tick size", what);
		return 0;
	case ENGINE_OFF_PPM:
		if ((trail && off->value <= 0) || off->value >= 1000000 || off->value <= -1000000)
			return kerr_set(err, ENGINE_R_INVALID_PRICE, "%s percentage out of range",
			                what);
		return 0;
	case ENGINE_OFF_NONE:
		break;
	}
	return kerr_set(err, ENGINE_R_INVALID_PRICE, "%s missing", what);
}

/* The prices a type needs, and none that it does not. */
static int check_type_prices(const struct engine *eng, enum engine_type t, int64_t price,
                             int64_t trigger, const struct engine_offset *trail,
                             const struct engine_offset *loff, struct kerr *err)
{
	bool trailing = engine_type_is_trailing(t);
	bool rel_limit = t == ENGINE_T_STOP_LOSS_LIMIT || t == ENGINE_T_TAKE_PROFIT_LIMIT;
	if (trailing) {
		if (engine_check_offset(eng, trail, true, err) < 0)
			return -1;
		if (trigger || price)
			return kerr_set(err, ENGINE_R_INVALID,
			                "a trailing stop takes an offset, not a price");
	} else if (trail->unit != ENGINE_OFF_NONE) {
		return kerr_set(err, ENGINE_R_INVALID,
		                "only trailing stops take a trailing offset");
	}
	if (engine_type_has_trigger(t) && !trailing &&
	    engine_check_price(eng, trigger, "trigger price", err) < 0)
		return -1;
	if (!engine_type_has_trigger(t) && trigger)
		return kerr_set(err, ENGINE_R_INVALID, "%s orders take no trigger price",
		                engine_type_str(t));
	if (t == ENGINE_T_TRAILING_STOP_LIMIT || (rel_limit && loff->unit != ENGINE_OFF_NONE)) {
		if (engine_check_offset(eng, loff, false, err) < 0)
			return -1;
		if (price)
			return kerr_set(err, ENGINE_R_INVALID,
			                "give either a limit price or a limit offset");
		return 0;
	}
	if (loff->unit != ENGINE_OFF_NONE)
		return kerr_set(err, ENGINE_R_INVALID, "%s orders take no limit offset",
		                engine_type_str(t));
	if (engine_type_has_limit(t))
		return engine_check_price(eng, price, "limit price", err);
	if (price)
		return kerr_set(err, ENGINE_R_INVALID, "%s orders take no limit price",
		                engine_type_str(t));
	return 0;
}

static int check_close(const struct engine *eng, const struct engine_close *c, struct kerr *err)
{
	if (c->type == ENGINE_T_NONE)
		return 0;
	if (c->type <= ENGINE_T_MARKET || c->type >= ENGINE_T_COUNT || c->type == ENGINE_T_ICEBERG)
		return kerr_set(err, ENGINE_R_INVALID,
		                "a conditional close must be a limit, stop, take-profit or "
		                "trailing order");
	return check_type_prices(eng, c->type, c->price, c->trigger, &c->trail, &c->limit_off, err);
}

int engine_check_qty(const struct engine *eng, int64_t qty, struct kerr *err)
{
	if (qty <= 0 || qty > ENGINE_MAX_QTY)
		return kerr_set(err, ENGINE_R_INVALID_SIZE, "order quantity must be positive");
	if (qty % eng->meta.lot)
		return kerr_set(err, ENGINE_R_INVALID_SIZE,
		                "order quantity is not a multiple of the lot size");
	if (qty < eng->meta.min_qty)
		return kerr_set(err, ENGINE_R_INVALID_SIZE,
		                "order quantity is below the minimum order size");
	return 0;
}

int engine_check(const struct engine *eng, const struct engine_req *r, struct kerr *err)
{
	if (r->type <= ENGINE_T_NONE || r->type >= ENGINE_T_COUNT)
		return kerr_set(err, ENGINE_R_INVALID, "unknown order type");
	if ((unsigned)r->side > ENGINE_SELL || (unsigned)r->tif > ENGINE_FOK ||
	    (unsigned)r->stp > ENGINE_STP_NONE || (unsigned)r->trigger_ref >= ENGINE_REF_COUNT)
		return kerr_set(err, ENGINE_R_INVALID,
		                "unknown side, time in force, stp or trigger");
	if (r->flags & ~(ENGINE_F_POST_ONLY | ENGINE_F_REDUCE_ONLY | ENGINE_F_NO_MPP))
		return kerr_set(err, ENGINE_R_INVALID, "unknown order flag");
	if (engine_check_qty(eng, r->qty, err) < 0)
		return -1;
	if (check_type_prices(eng, r->type, r->price, r->trigger, &r->trail, &r->limit_off, err) <
	    0)
		return -1;
	if (r->type == ENGINE_T_ICEBERG) {
		if (r->display <= 0 || r->display > r->qty || r->display % eng->meta.lot)
			return kerr_set(err, ENGINE_R_INVALID_SIZE,
			                "iceberg display quantity must be a lot multiple, at most "
			                "the order quantity");
		if (r->display * 15 < r->qty)
			return kerr_set(err, ENGINE_R_INVALID_SIZE,
			                "iceberg display quantity must be at least 1/15 of the "
			                "order quantity");
	} else if (r->display) {
		return kerr_set(err, ENGINE_R_INVALID,
		                "only iceberg orders take a display quantity");
	}
	if (r->flags & ENGINE_F_POST_ONLY) {
		if (!engine_type_has_limit(r->type))
			return kerr_set(err, ENGINE_R_INVALID, "post-only needs a limit order");
		if (r->tif == ENGINE_IOC || r->tif == ENGINE_FOK)
			return kerr_set(err, ENGINE_R_INVALID, "post-only cannot be IOC or FOK");
	}
	if (r->tif == ENGINE_GTD && r->expire_ns <= eng->now)
		return kerr_set(err, ENGINE_R_INVALID_EXPIRY, "expiry time is not in the future");
	if (r->cl_ord_id && strlen(r->cl_ord_id) >= sizeof((struct engine_order *)0)->cl_ord_id)
		return kerr_set(err, ENGINE_R_INVALID, "client order id too long");
	if (r->wire_id && strlen(r->wire_id) >= sizeof((struct engine_order *)0)->wire_id)
		return kerr_set(err, ENGINE_R_INVALID, "order id too long");
	return check_close(eng, &r->close, err);
}

struct eorder *engine_order_from_req(struct engine *eng, const struct engine_req *r)
{
	struct eorder *o = engine_order_alloc(eng);
	struct engine_order *p = &o->pub;
	p->id = ((uint64_t)eng->meta.id << 40) | ++eng->next_id;
	p->account = r->account;
	p->flags = r->flags;
	p->side = r->side;
	p->type = r->type;
	p->tif = r->tif;
	p->stp = r->stp;
	p->trigger_ref = r->trigger_ref;
	p->status = ENGINE_S_NEW;
	p->qty = r->qty;
	p->display = r->type == ENGINE_T_ICEBERG ? r->display : 0;
	p->price = r->price;
	p->trigger = r->trigger;
	p->trail = r->trail;
	p->limit_off = r->limit_off;
	p->expire_ns = r->tif == ENGINE_GTD ? r->expire_ns : 0;
	p->created_ns = p->updated_ns = eng->now;
	p->userref = r->userref;
	if (r->cl_ord_id)
		snprintf(p->cl_ord_id, sizeof p->cl_ord_id, "%s", r->cl_ord_id);
	if (r->wire_id)
		snprintf(p->wire_id, sizeof p->wire_id, "%s", r->wire_id);
	p->user = r->user;
	p->close = r->close;
	return o;
}

/* ---- public mutating calls ---- */

int engine_submit(struct engine *eng, const struct engine_req *req, struct engine_result *res,
                  struct kerr *err)
{
	struct engine_result dummy;
	if (!res)
		res = &dummy;
	memset(res, 0, sizeof *res);
	res->status = ENGINE_S_REJECTED;
	if (eng->busy) {
		res->reason = ENGINE_R_BUSY;
		return engine_op_begin(eng, err);
	}
	if (engine_check(eng, req, err) < 0) {
		res->reason = err ? err->code : ENGINE_R_INVALID;
		return -1;
	}
	engine_op_begin(eng, NULL);
	struct eorder *o = engine_order_from_req(eng, req);
	eng->watch = res;
	eng->watch_id = o->pub.id;
	match_place(eng, o, ENGINE_ADMIT_NEW, false);
	engine_op_end(eng);
	return 0;
}

int engine_cancel(struct engine *eng, uint64_t id, int why, struct kerr *err)
{
	if (engine_op_begin(eng, err) < 0)
		return -1;
	struct eorder *o = idmap_get(&eng->ids, id);
	if (!o) {
		eng->busy = false;
		return kerr_set(err, ENGINE_R_NOT_FOUND, "unknown order");
	}
	match_close(eng, o, ENGINE_S_CANCELLED, why);
	engine_op_end(eng);
	return 0;
}

int engine_cancel_all(struct engine *eng, uint32_t account, int why)
{
	if (engine_op_begin(eng, NULL) < 0)
		return -1;
	/* Collect first: closing edits the lists (and closes free nothing else). */
	struct eorder **v = NULL;
	size_t n = 0, cap = 0;
	if (account == ENGINE_ALL_ACCOUNTS) {
		for (size_t i = 0; i < eng->ids.cap; i++) {
			if (!eng->ids.slot[i])
				continue;
			v = xgrow(v, &cap, n + 1, sizeof *v);
			v[n++] = eng->ids.slot[i];
		}
	} else {
		struct eacct *a = acmap_get(&eng->accts, account);
		for (struct eorder *o = a ? a->head : NULL; o; o = o->anext) {
			v = xgrow(v, &cap, n + 1, sizeof *v);
			v[n++] = o;
		}
	}
	for (size_t i = 0; i < n; i++)
		match_close(eng, v[i], ENGINE_S_CANCELLED, why);
	free(v);
	engine_op_end(eng);
	return (int)n;
}

void engine_tick(struct engine *eng, int64_t now_ns)
{
	if (engine_op_begin(eng, NULL) < 0) {
		LOGW("engine %s: engine_tick from a callback ignored", eng->symbol);
		return;
	}
	eng->now = now_ns;
	struct eorder *o;
	while ((o = expiry_top(eng)) && o->pub.expire_ns <= now_ns)
		match_close(eng, o, ENGINE_S_EXPIRED, ENGINE_R_EXPIRED);
	engine_op_end(eng);
}

int engine_set_reference(struct engine *eng, enum engine_ref ref, int64_t price, struct kerr *err)
{
	if ((unsigned)ref >= ENGINE_REF_COUNT || price <= 0 || price > ENGINE_MAX_PRICE)
		return kerr_set(err, ENGINE_R_INVALID_PRICE, "bad reference price");
	if (engine_op_begin(eng, err) < 0)
		return -1;
	trig_on_price(eng, ref, price);
	engine_op_end(eng);
	return 0;
}

int engine_order_tag(struct engine *eng, uint64_t id, const char *wire_id, void *user)
{
	struct eorder *o = idmap_get(&eng->ids, id);
	if (!o)
		return -1;
	if (wire_id)
		snprintf(o->pub.wire_id, sizeof o->pub.wire_id, "%s", wire_id);
	if (user)
		o->pub.user = user;
	return 0;
}

/* ---- queries ---- */

const struct engine_order *engine_order_get(const struct engine *eng, uint64_t id)
{
	const struct eorder *o = idmap_get(&eng->ids, id);
	return o ? &o->pub : NULL;
}

void engine_foreach_order(const struct engine *eng, uint32_t account,
                          void (*fn)(void *arg, const struct engine_order *o), void *arg)
{
	if (account == ENGINE_ALL_ACCOUNTS) {
		for (size_t i = 0; i < eng->ids.cap; i++)
			if (eng->ids.slot[i])
				fn(arg, &eng->ids.slot[i]->pub);
		return;
	}
	const struct eacct *a = acmap_get(&eng->accts, account);
	for (const struct eorder *o = a ? a->head : NULL; o; o = o->anext)
		fn(arg, &o->pub);
}

size_t engine_order_count(const struct engine *eng)
{
	return eng->ids.n;
}

int engine_reference(const struct engine *eng, enum engine_ref ref, int64_t *price)
{
	if ((unsigned)ref >= ENGINE_REF_COUNT || !eng->has_ref[ref])
		return -1;
	*price = eng->ref[ref];
	return 0;
}

/* ---- names ---- */

const char *engine_reason_str(int reason)
{
	static const char *const names[] = {
	        [ENGINE_R_NONE] = "",
	        [ENGINE_R_INVALID] = "Invalid arguments",
	        [ENGINE_R_INVALID_PRICE] = "Invalid price",
	        [ENGINE_R_INVALID_SIZE] = "Invalid order size",
	        [ENGINE_R_INVALID_EXPIRY] = "Invalid expiry time",
	        [ENGINE_R_NOT_FOUND] = "Unknown order",
	        [ENGINE_R_BUSY] = "Engine busy",
	        [ENGINE_R_QTY_BELOW_FILLED] = "Quantity not above filled quantity",
	        [ENGINE_R_NOT_A_TRIGGER] = "Order has no pending trigger",
	        [ENGINE_R_TRAILING_PRICE] = "Trailing stop prices follow the market",
	        [ENGINE_R_EDIT_UNSUPPORTED] = "Order cannot be edited",
	        [ENGINE_R_FILLED] = "Filled",
	        [ENGINE_R_USER_CANCEL] = "User requested",
	        [ENGINE_R_CANCEL_ALL] = "User requested cancel all",
	        [ENGINE_R_DEAD_MAN] = "Dead man's switch",
	        [ENGINE_R_EDITED] = "Order replaced",
	        [ENGINE_R_EXPIRED] = "Order expired",
	        [ENGINE_R_POST_ONLY] = "Post only order",
	        [ENGINE_R_IOC_REMAINDER] = "Immediate or cancel",
	        [ENGINE_R_FOK_UNFILLED] = "Fill or kill",
	        [ENGINE_R_NO_LIQUIDITY] = "Insufficient liquidity",
	        [ENGINE_R_PRICE_PROTECTION] = "Market price protection",
	        [ENGINE_R_SELF_TRADE] = "Self trade prevention",
	        [ENGINE_R_WOULD_NOT_REDUCE] = "Reduce only: would not reduce position",
	        [ENGINE_R_INSUFFICIENT_FUNDS] = "Insufficient funds",
	        [ENGINE_R_MAX_POSITION] = "Maximum position exceeded",
	        [ENGINE_R_REJECTED] = "Rejected",
	};
	if (reason >= 0 && (size_t)reason < sizeof names / sizeof names[0] && names[reason])
		return names[reason];
	return reason >= ENGINE_R_USER ? "Rejected by account" : "Unknown reason";
}

const char *engine_type_str(enum engine_type t)
{
	static const char *const names[ENGINE_T_COUNT] = {
	        "none",
	        "market",
	        "limit",
	        "iceberg",
	        "stop-loss",
	        "take-profit",
	        "stop-loss-limit",
	        "take-profit-limit",
	        "trailing-stop",
	        "trailing-stop-limit",
	};
	return (unsigned)t < ENGINE_T_COUNT ? names[t] : "?";
}

const char *engine_status_str(enum engine_status s)
{
	static const char *const names[] = {"new",    "pending",   "open",    "partially_filled",
	                                    "filled", "cancelled", "expired", "rejected"};
	return (unsigned)s <= ENGINE_S_REJECTED ? names[s] : "?";
}
