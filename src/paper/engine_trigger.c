/* engine_trigger: pending stop, take-profit and trailing orders, and GTD expiry.
 *
 * Fixed triggers sit in two heaps per reference price: one for orders that
 * fire when the price rises to their trigger (buy stops, sell take-profits;
 * min-heap) and one for orders that fire when it falls (max-heap). A price
 * move pops fired orders in O(log n) each and costs O(1) when nothing fires.
 * Trailing orders each have their own peak, so they are kept in a plain array
 * per reference and followed on every move of that reference. GTD orders sit
 * in a min-heap by expiry time. Fired orders go to the engine's work queue and
 * run after the order that moved the price has finished matching. */
#include <stdlib.h>

#include "base/xalloc.h"
#include "paper/engine_int.h"

#define BOX_TRAIL 6 /* trig_box 0..5: heaps (ref * 2 + dir); 6..8: trailing arrays */

static inline size_t *heap_idx(const struct eheap *h, struct eorder *o)
{
	return h->kind == EHEAP_EXPIRY ? &o->exp_idx : &o->trig_idx;
}

static bool heap_less(const struct eheap *h, const struct eorder *a, const struct eorder *b)
{
	const struct engine_order *x = &a->pub, *y = &b->pub;
	switch (h->kind) {
	case EHEAP_TRIG_MIN:
		return x->trigger < y->trigger || (x->trigger == y->trigger && x->seq < y->seq);
	case EHEAP_TRIG_MAX:
		return x->trigger > y->trigger || (x->trigger == y->trigger && x->seq < y->seq);
	case EHEAP_EXPIRY:
		return x->expire_ns < y->expire_ns ||
		       (x->expire_ns == y->expire_ns && x->id < y->id);
	}
	return false;
}

static void heap_set(struct eheap *h, size_t i, struct eorder *o)
{
	h->v[i] = o;
	*heap_idx(h, o) = i;
}

static void heap_up(struct eheap *h, size_t i)
{
	struct eorder *o = h->v[i];
	while (i > 0) {
		size_t p = (i - 1) / 2;
		if (!heap_less(h, o, h->v[p]))
			break;
		heap_set(h, i, h->v[p]);
		i = p;
	}
	heap_set(h, i, o);
}

static void heap_down(struct eheap *h, size_t i)
{
	struct eorder *o = h->v[i];
	for (;;) {
		size_t c = 2 * i + 1;
		if (c >= h->n)
			break;
		if (c + 1 < h->n && heap_less(h, h->v[c + 1], h->v[c]))
			c++;
		if (!heap_less(h, h->v[c], o))
			break;
		heap_set(h, i, h->v[c]);
		i = c;
	}
	heap_set(h, i, o);
}

static void heap_push(struct eheap *h, struct eorder *o)
{
	if (h->n == h->cap)
		h->v = xgrow(h->v, &h->cap, h->n + 1, sizeof *h->v);
	h->v[h->n] = o;
	heap_up(h, h->n++);
}

static void heap_remove(struct eheap *h, struct eorder *o)
{
	size_t i = *heap_idx(h, o);
	*heap_idx(h, o) = ENGINE_NO_IDX;
	struct eorder *last = h->v[--h->n];
	if (i == h->n)
		return;
	heap_set(h, i, last);
	heap_up(h, i);
	heap_down(h, *heap_idx(h, last));
}

void trig_init(struct engine *eng)
{
	for (int r = 0; r < ENGINE_REF_COUNT; r++) {
		eng->trig[r][0] = (struct eheap){.kind = EHEAP_TRIG_MIN};
		eng->trig[r][1] = (struct eheap){.kind = EHEAP_TRIG_MAX};
		eng->trail[r] = (struct etrail){0};
	}
	eng->expiry = (struct eheap){.kind = EHEAP_EXPIRY};
}

void trig_free(struct engine *eng)
{
	for (int r = 0; r < ENGINE_REF_COUNT; r++) {
		free(eng->trig[r][0].v);
		free(eng->trig[r][1].v);
		free(eng->trail[r].v);
	}
	free(eng->expiry.v);
	trig_init(eng);
}

/* 0: fires when the reference rises to the trigger; 1: when it falls to it. */
static int trig_dir(const struct engine_order *o)
{
	bool up;
	switch (o->type) {
	case ENGINE_T_TAKE_PROFIT:
	case ENGINE_T_TAKE_PROFIT_LIMIT:
		up = o->side == ENGINE_SELL;
		break;
	default: /* stop-loss and trailing */
		up = o->side == ENGINE_BUY;
		break;
	}
	return up ? 0 : 1;
}

static bool trig_crossed(const struct engine_order *o, int64_t price)
{
	return trig_dir(o) == 0 ? price >= o->trigger : price <= o->trigger;
}

/* Trigger of a trailing order from its peak: below it for sells, above for buys. */
static int64_t trail_trigger(const struct engine_order *o)
{
	int64_t d = engine_offset_amount(o->peak, &o->trail);
	return o->side == ENGINE_SELL ? o->peak - d : o->peak + d;
}

static void trail_remove(struct engine *eng, struct eorder *o)
{
	struct etrail *t = &eng->trail[o->trig_box - BOX_TRAIL];
	size_t i = o->trig_idx;
	t->v[i] = t->v[--t->n];
	t->v[i]->trig_idx = i;
}

void trig_remove(struct engine *eng, struct eorder *o)
{
	if (o->trig_box < 0)
		return;
	if (o->trig_box >= BOX_TRAIL)
		trail_remove(eng, o);
	else
		heap_remove(&eng->trig[o->trig_box / 2][o->trig_box % 2], o);
	o->trig_box = -1;
	o->trig_idx = ENGINE_NO_IDX;
}

static void trig_fire(struct engine *eng, struct eorder *o)
{
	trig_remove(eng, o);
	engine_queue_push(eng, o, EQ_ACTIVATE);
}

static void trig_check_heaps(struct engine *eng, enum engine_ref ref, int64_t price)
{
	struct eheap *up = &eng->trig[ref][0], *down = &eng->trig[ref][1];
	while (up->n && up->v[0]->pub.trigger <= price)
		trig_fire(eng, up->v[0]);
	while (down->n && down->v[0]->pub.trigger >= price)
		trig_fire(eng, down->v[0]);
}

/* Follow one trailing order to `price`; true when it fires. */
static bool trail_follow(struct engine *eng, struct eorder *o, int64_t price)
{
	struct engine_order *p = &o->pub;
	bool better = !p->peak || (p->side == ENGINE_SELL ? price > p->peak : price < p->peak);
	if (better) {
		int64_t old = p->trigger;
		p->peak = price;
		p->trigger = trail_trigger(p);
		if (p->trigger != old) {
			p->updated_ns = eng->now;
			engine_emit_order(eng, ENGINE_EV_UPDATED, o, ENGINE_UPD_TRAIL_MOVED);
		}
	}
	return trig_crossed(p, price);
}

void trig_on_price(struct engine *eng, enum engine_ref ref, int64_t price)
{
	eng->ref[ref] = price;
	eng->has_ref[ref] = true;
	struct etrail *t = &eng->trail[ref];
	for (size_t i = 0; i < t->n;) {
		struct eorder *o = t->v[i];
		if (trail_follow(eng, o, price))
			trig_fire(eng, o); /* swaps the last one into i */
		else
			i++;
	}
	trig_check_heaps(eng, ref, price);
}

void trig_add(struct engine *eng, struct eorder *o)
{
	struct engine_order *p = &o->pub;
	enum engine_ref ref = p->trigger_ref;
	if (engine_type_is_trailing(p->type)) {
		struct etrail *t = &eng->trail[ref];
		if (t->n == t->cap)
			t->v = xgrow(t->v, &t->cap, t->n + 1, sizeof *t->v);
		o->trig_box = (int8_t)(BOX_TRAIL + ref);
		o->trig_idx = t->n;
		t->v[t->n++] = o;
		/* Start at the current price, silently: the caller reports the order. */
		p->peak = eng->has_ref[ref] ? eng->ref[ref] : 0;
		p->trigger = p->peak ? trail_trigger(p) : 0;
		return;
	}
	int dir = trig_dir(p);
	o->trig_box = (int8_t)(ref * 2 + dir);
	heap_push(&eng->trig[ref][dir], o);
	if (eng->has_ref[ref])
		trig_check_heaps(eng, ref, eng->ref[ref]);
}

void trig_trail_reset(struct engine *eng, struct eorder *o)
{
	struct engine_order *p = &o->pub;
	if (!p->peak)
		return;
	p->trigger = trail_trigger(p);
	if (eng->has_ref[p->trigger_ref] && trig_crossed(p, eng->ref[p->trigger_ref]))
		trig_fire(eng, o);
}

void expiry_add(struct engine *eng, struct eorder *o)
{
	heap_push(&eng->expiry, o);
}

void expiry_remove(struct engine *eng, struct eorder *o)
{
	if (o->exp_idx != ENGINE_NO_IDX)
		heap_remove(&eng->expiry, o);
}

struct eorder *expiry_top(const struct engine *eng)
{
	return eng->expiry.n ? eng->expiry.v[0] : NULL;
}
