/* engine_match: what happens to an order from admission to close. Placing
 * (reduce-only cut, admit hook, post-only), matching against the other side in
 * price-time priority (self-trade prevention, market price protection, FOK,
 * iceberg refills), resting the remainder, activating fired triggers, and
 * closing orders (which places a conditional-close child). */
#include <stdint.h>

#include "paper/engine_int.h"

/* Why matching stopped before the order was done (an engine_reason). */
typedef int stop_reason;

static inline enum engine_side opposite(enum engine_side s)
{
	return s == ENGINE_BUY ? ENGINE_SELL : ENGINE_BUY;
}

static inline bool crosses(enum engine_side side, int64_t limit, int64_t px)
{
	return side == ENGINE_BUY ? px <= limit : px >= limit;
}

bool match_would_take(const struct engine *eng, enum engine_side side, int64_t limit)
{
	const struct elevel *lv = ebook_best(eng, opposite(side));
	return lv && crosses(side, limit, lv->price);
}

int64_t match_reduce_allowed(struct engine *eng, const struct eorder *o)
{
	const struct engine_order *p = &o->pub;
	if (!eng->ops.position)
		return 0;
	int64_t pos = eng->ops.position(eng->ctx, p->account, eng->meta.id);
	int64_t allowed = 0;
	if (p->side == ENGINE_BUY && pos < 0)
		allowed = pos == INT64_MIN ? INT64_MAX : -pos;
	else if (p->side == ENGINE_SELL && pos > 0)
		allowed = pos;
	allowed -= allowed % eng->meta.lot;
	int64_t rem = p->qty - p->filled;
	return allowed < rem ? allowed : rem;
}

/* Refused before acceptance: only a CLOSED event. */
static void match_reject(struct engine *eng, struct eorder *o, int reason)
{
	o->pub.status = ENGINE_S_REJECTED;
	o->pub.reason = reason;
	engine_emit_order(eng, ENGINE_EV_CLOSED, o, 0);
	engine_watch_note(eng, o);
	engine_order_release(eng, o);
}

/* The conditional-close child of a parent that closed with `filled` > 0. */
static struct eorder *close_child(struct engine *eng, const struct engine_order *parent)
{
	struct eorder *c = engine_order_alloc(eng);
	struct engine_order *p = &c->pub;
	p->id = ((uint64_t)eng->meta.id << 40) | ++eng->next_id;
	p->parent = parent->id;
	p->account = parent->account;
	p->side = opposite(parent->side);
	p->type = parent->close.type;
	p->tif = ENGINE_GTC;
	p->stp = parent->stp;
	p->trigger_ref = parent->trigger_ref;
	p->status = ENGINE_S_NEW;
	p->qty = parent->filled;
	p->price = parent->close.price;
	p->trigger = parent->close.trigger;
	p->trail = parent->close.trail;
	p->limit_off = parent->close.limit_off;
	p->created_ns = p->updated_ns = eng->now;
	p->userref = parent->userref;
	return c;
}

void match_close(struct engine *eng, struct eorder *o, enum engine_status st, int reason)
{
	struct engine_order *p = &o->pub;
	if (o->level)
		ebook_unlink(eng, o);
	trig_remove(eng, o);
	expiry_remove(eng, o);
	if (o->qkind != EQ_NONE) { /* not reachable today; keep the queue sound anyway */
		struct eorder **pp = &eng->qhead, *prev = NULL;
		while (*pp != o) {
			prev = *pp;
			pp = &(*pp)->qnext;
		}
		*pp = o->qnext;
		if (eng->qtail == o)
			eng->qtail = prev;
		o->qkind = EQ_NONE;
	}
	p->status = st;
	p->reason = reason;
	p->updated_ns = eng->now;
	if (o->live) {
		idmap_del(&eng->ids, p->id);
		acct_unlink(o->acct, o);
		o->live = false;
	}
	engine_emit_order(eng, ENGINE_EV_CLOSED, o, 0);
	engine_watch_note(eng, o);
	if (p->close.type != ENGINE_T_NONE && p->filled > 0)
		engine_queue_push(eng, close_child(eng, p), EQ_PLACE);
	engine_order_release(eng, o);
}

/* Market price protection: the worst price a market order may reach. */
static int64_t market_limit(struct engine *eng, const struct engine_order *p)
{
	const struct elevel *best = ebook_best(eng, opposite(p->side));
	int64_t unbounded = p->side == ENGINE_BUY ? INT64_MAX : INT64_MIN;
	if (!best || !eng->meta.mkt_collar_ppm || (p->flags & ENGINE_F_NO_MPP))
		return unbounded;
	struct engine_offset band = {eng->meta.mkt_collar_ppm, ENGINE_OFF_PPM};
	int64_t d = engine_offset_amount(best->price, &band);
	int64_t lim = p->side == ENGINE_BUY ? best->price + d : best->price - d;
	return engine_round_tick(eng, lim, p->side);
}

/* Quantity a FOK order could fill now, walking the book in matching order. */
static int64_t fok_available(struct engine *eng, const struct engine_order *p, int64_t limit,
                             int64_t need)
{
	const struct eside *s = &eng->side[opposite(p->side)];
	int64_t sum = 0;
	for (size_t i = s->n; i > 0; i--) {
		const struct elevel *lv = s->lv[i - 1];
		if (!crosses(p->side, limit, lv->price))
			break;
		for (const struct eorder *m = lv->head; m; m = m->next) {
			if (m->pub.account == p->account && p->stp != ENGINE_STP_NONE) {
				if (p->stp == ENGINE_STP_CANCEL_OLDEST)
					continue;
				return sum;
			}
			sum += m->pub.qty - m->pub.filled; /* hidden iceberg parts refill here */
			if (sum >= need)
				return sum;
		}
	}
	return sum;
}

static void order_mark_partial(struct engine_order *p, int64_t now)
{
	if (p->filled < p->qty)
		p->status = ENGINE_S_PARTIAL;
	p->updated_ns = now;
}

/* One fill of q between taker o and the head maker m of level lv. */
static void match_fill(struct engine *eng, struct eorder *o, struct eorder *m, struct elevel *lv,
                       int64_t q)
{
	struct engine_order *mp = &m->pub, *tp = &o->pub;
	int64_t px = lv->price;
	ebook_set_shown(eng, m, mp->shown - q);
	mp->filled += q;
	tp->filled += q;
	order_mark_partial(mp, eng->now);
	order_mark_partial(tp, eng->now);

	struct engine_event ev = {.kind = ENGINE_EV_TRADE};
	ev.trade.maker = mp;
	ev.trade.taker = tp;
	ev.trade.trade_id = ++eng->trade_id;
	ev.trade.price = px;
	ev.trade.qty = q;
	ev.trade.aggressor = tp->side;
	engine_emit(eng, &ev);

	trig_on_price(eng, ENGINE_REF_LAST, px);

	if (mp->filled == mp->qty) {
		match_close(eng, m, ENGINE_S_FILLED, ENGINE_R_FILLED);
	} else if (mp->shown == 0) {
		/* Iceberg: the next slice joins the back of the queue. */
		int64_t rem = mp->qty - mp->filled;
		mp->seq = ++eng->seq;
		ebook_requeue(eng, m, mp->display && mp->display < rem ? mp->display : rem);
		engine_emit_order(eng, ENGINE_EV_UPDATED, m, ENGINE_UPD_ICEBERG_REFILL);
	}
}

/* Take liquidity up to `limit`; returns why it stopped (ENGINE_R_NONE: done). */
static stop_reason match_run(struct engine *eng, struct eorder *o, int64_t limit)
{
	struct engine_order *p = &o->pub;
	enum engine_side opp = opposite(p->side);
	for (;;) {
		int64_t rem = p->qty - p->filled;
		if (rem <= 0)
			return ENGINE_R_NONE;
		struct elevel *lv = ebook_best(eng, opp);
		if (!lv)
			return ENGINE_R_NO_LIQUIDITY;
		if (!crosses(p->side, limit, lv->price))
			return ENGINE_R_PRICE_PROTECTION;
		struct eorder *m = lv->head;
		if (m->pub.account == p->account && p->stp != ENGINE_STP_NONE) {
			if (p->stp == ENGINE_STP_CANCEL_NEWEST)
				return ENGINE_R_SELF_TRADE;
			match_close(eng, m, ENGINE_S_CANCELLED, ENGINE_R_SELF_TRADE);
			if (p->stp == ENGINE_STP_CANCEL_BOTH)
				return ENGINE_R_SELF_TRADE;
			continue;
		}
		int64_t q = rem < m->pub.shown ? rem : m->pub.shown;
		if (m->pub.flags & ENGINE_F_REDUCE_ONLY) {
			int64_t a = match_reduce_allowed(eng, m);
			if (!a) {
				match_close(eng, m, ENGINE_S_CANCELLED, ENGINE_R_WOULD_NOT_REDUCE);
				continue;
			}
			q = a < q ? a : q;
		}
		if (p->flags & ENGINE_F_REDUCE_ONLY) {
			int64_t a = match_reduce_allowed(eng, o);
			if (!a)
				return ENGINE_R_WOULD_NOT_REDUCE;
			q = a < q ? a : q;
		}
		match_fill(eng, o, m, lv, q);
	}
}

static void match_rest(struct engine *eng, struct eorder *o)
{
	struct engine_order *p = &o->pub;
	int64_t rem = p->qty - p->filled;
	p->shown = p->display && p->display < rem ? p->display : rem;
	p->seq = ++eng->seq;
	ebook_append(eng, o);
}

void match_execute(struct engine *eng, struct eorder *o)
{
	struct engine_order *p = &o->pub;
	bool market = engine_type_is_market(p->type);
	int64_t limit = market ? market_limit(eng, p) : p->price;
	if ((p->flags & ENGINE_F_POST_ONLY) && match_would_take(eng, p->side, limit)) {
		match_close(eng, o, ENGINE_S_CANCELLED, ENGINE_R_POST_ONLY);
		return;
	}
	if (p->tif == ENGINE_FOK) {
		int64_t need = p->qty - p->filled;
		if (fok_available(eng, p, limit, need) < need) {
			match_close(eng, o, ENGINE_S_CANCELLED, ENGINE_R_FOK_UNFILLED);
			return;
		}
	}
	stop_reason why = match_run(eng, o, limit);
	if (p->filled == p->qty)
		match_close(eng, o, ENGINE_S_FILLED, ENGINE_R_FILLED);
	else if (why == ENGINE_R_SELF_TRADE || why == ENGINE_R_WOULD_NOT_REDUCE)
		match_close(eng, o, ENGINE_S_CANCELLED, why);
	else if (market)
		match_close(eng, o, ENGINE_S_CANCELLED, why);
	else if (p->tif == ENGINE_IOC)
		match_close(eng, o, ENGINE_S_CANCELLED, ENGINE_R_IOC_REMAINDER);
	else if (p->tif == ENGINE_FOK)
		match_close(eng, o, ENGINE_S_CANCELLED, ENGINE_R_FOK_UNFILLED);
	else
		match_rest(eng, o);
}

void match_place(struct engine *eng, struct eorder *o, enum engine_admit_phase phase, bool admitted)
{
	struct engine_order *p = &o->pub;
	if (p->flags & ENGINE_F_REDUCE_ONLY) {
		int64_t a = match_reduce_allowed(eng, o);
		if (!a) {
			match_reject(eng, o, ENGINE_R_WOULD_NOT_REDUCE);
			return;
		}
		p->qty = a; /* never more than the position: cut, as Kraken does */
	}
	if (!admitted && eng->ops.admit) {
		int r = eng->ops.admit(eng->ctx, p, phase);
		if (r) {
			match_reject(eng, o, r);
			return;
		}
	}
	bool pending = engine_type_has_trigger(p->type);
	if (!pending && (p->flags & ENGINE_F_POST_ONLY) && eng->meta.product == ENGINE_FUTURES &&
	    match_would_take(eng, p->side, p->price)) {
		match_reject(eng, o, ENGINE_R_POST_ONLY); /* futures: postWouldExecute */
		return;
	}
	o->live = true;
	idmap_put(&eng->ids, o);
	acct_link(acmap_get_or_add(&eng->accts, p->account), o);
	p->status = pending ? ENGINE_S_PENDING : ENGINE_S_OPEN;
	p->seq = ++eng->seq;
	if (p->tif == ENGINE_GTD)
		expiry_add(eng, o);
	if (pending) {
		trig_add(eng, o); /* a fire only queues: ACCEPTED still comes first */
		engine_emit_order(eng, ENGINE_EV_ACCEPTED, o, 0);
		return;
	}
	engine_emit_order(eng, ENGINE_EV_ACCEPTED, o, 0);
	match_execute(eng, o);
}

void match_activate(struct engine *eng, struct eorder *o)
{
	struct engine_order *p = &o->pub;
	p->triggered = 1;
	p->status = p->filled ? ENGINE_S_PARTIAL : ENGINE_S_OPEN;
	p->updated_ns = eng->now;
	if (p->limit_off.unit != ENGINE_OFF_NONE) {
		int64_t lim = p->trigger + engine_offset_amount(p->trigger, &p->limit_off);
		p->price = engine_round_tick(eng, lim, p->side);
	}
	engine_emit_order(eng, ENGINE_EV_UPDATED, o, ENGINE_UPD_TRIGGERED);
	if (p->flags & ENGINE_F_REDUCE_ONLY) {
		int64_t a = match_reduce_allowed(eng, o);
		if (!a) {
			match_close(eng, o, ENGINE_S_REJECTED, ENGINE_R_WOULD_NOT_REDUCE);
			return;
		}
		p->qty = p->filled + a;
	}
	if (eng->ops.admit) {
		int r = eng->ops.admit(eng->ctx, p, ENGINE_ADMIT_TRIGGER);
		if (r) {
			match_close(eng, o, ENGINE_S_REJECTED, r);
			return;
		}
	}
	match_execute(eng, o);
}
