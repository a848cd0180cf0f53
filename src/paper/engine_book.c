/* engine_book: the resting book of the matching engine. Each side is an array
 * of price levels sorted with the best level last, each level a FIFO of
 * orders. The file also records which levels changed during a call so that
 * exactly one LEVEL event per changed level goes out when the call ends. */
#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"
#include "paper/engine_int.h"

/* Sort key: ascending in the array, best last (bids by price, asks by -price). */
static inline int64_t level_key(enum engine_side side, int64_t price)
{
	return side == ENGINE_BUY ? price : -price;
}

/* Index of the first level whose key is >= key (n when none). */
static size_t side_lower_bound(const struct eside *s, enum engine_side side, int64_t key)
{
	size_t lo = 0, hi = s->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (level_key(side, s->lv[mid]->price) < key)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

void ebook_init(struct engine *eng)
{
	memset(eng->side, 0, sizeof eng->side);
	eng->free_levels = NULL;
	eng->gen = 1;
}

void ebook_free(struct engine *eng)
{
	for (int s = 0; s < 2; s++) {
		for (size_t i = 0; i < eng->side[s].n; i++)
			free(eng->side[s].lv[i]);
		free(eng->side[s].lv);
		eng->side[s].lv = NULL;
		eng->side[s].n = eng->side[s].cap = 0;
	}
	while (eng->free_levels) {
		struct elevel *lv = eng->free_levels;
		eng->free_levels = lv->free_next;
		free(lv);
	}
	free(eng->dirty);
	eng->dirty = NULL;
	eng->ndirty = eng->dirty_cap = 0;
}

struct elevel *ebook_best(const struct engine *eng, enum engine_side side)
{
	const struct eside *s = &eng->side[side];
	return s->n ? s->lv[s->n - 1] : NULL;
}

struct elevel *ebook_find(const struct engine *eng, enum engine_side side, int64_t price)
{
	const struct eside *s = &eng->side[side];
	/* Most lookups hit the best level. */
	if (s->n && s->lv[s->n - 1]->price == price)
		return s->lv[s->n - 1];
	size_t i = side_lower_bound(s, side, level_key(side, price));
	return i < s->n && s->lv[i]->price == price ? s->lv[i] : NULL;
}

void ebook_touch(struct engine *eng, struct elevel *lv, enum engine_side side)
{
	if (lv->dirty_gen == eng->gen)
		return;
	if (eng->ndirty == eng->dirty_cap)
		eng->dirty =
		        xgrow(eng->dirty, &eng->dirty_cap, eng->ndirty + 1, sizeof *eng->dirty);
	eng->dirty[eng->ndirty] = (struct edirty){lv, lv->price, lv->qty, side};
	lv->dirty_gen = eng->gen;
	lv->dirty_idx = (uint32_t)eng->ndirty++;
}

/* A new level: if the same price was emptied earlier in this call, reuse that
 * entry so the level still gets a single event. */
static void level_touch_new(struct engine *eng, struct elevel *lv, enum engine_side side)
{
	for (size_t i = 0; i < eng->ndirty; i++) {
		struct edirty *d = &eng->dirty[i];
		if (!d->lv && d->side == side && d->price == lv->price) {
			d->lv = lv;
			lv->dirty_gen = eng->gen;
			lv->dirty_idx = (uint32_t)i;
			return;
		}
	}
	ebook_touch(eng, lv, side);
}

static struct elevel *level_create(struct engine *eng, enum engine_side side, int64_t price)
{
	struct eside *s = &eng->side[side];
	size_t i = side_lower_bound(s, side, level_key(side, price));
	struct elevel *lv = eng->free_levels;
	if (lv)
		eng->free_levels = lv->free_next;
	else
		lv = xmalloc(sizeof *lv);
	memset(lv, 0, sizeof *lv);
	lv->price = price;
	if (s->n == s->cap)
		s->lv = xgrow(s->lv, &s->cap, s->n + 1, sizeof *s->lv);
	memmove(&s->lv[i + 1], &s->lv[i], (s->n - i) * sizeof *s->lv);
	s->lv[i] = lv;
	s->n++;
	level_touch_new(eng, lv, side);
	return lv;
}

static void level_destroy(struct engine *eng, struct elevel *lv, enum engine_side side)
{
	struct eside *s = &eng->side[side];
	size_t i = s->n - 1;
	if (s->lv[i] != lv) {
		i = side_lower_bound(s, side, level_key(side, lv->price));
		memmove(&s->lv[i], &s->lv[i + 1], (s->n - i - 1) * sizeof *s->lv);
	}
	s->n--;
	if (lv->dirty_gen == eng->gen)
		eng->dirty[lv->dirty_idx].lv = NULL;
	lv->free_next = eng->free_levels;
	eng->free_levels = lv;
}

static void level_link_tail(struct elevel *lv, struct eorder *o)
{
	o->next = NULL;
	o->prev = lv->tail;
	if (lv->tail)
		lv->tail->next = o;
	else
		lv->head = o;
	lv->tail = o;
}

static void level_unlink_only(struct elevel *lv, struct eorder *o)
{
	if (o->prev)
		o->prev->next = o->next;
	else
		lv->head = o->next;
	if (o->next)
		o->next->prev = o->prev;
	else
		lv->tail = o->prev;
	o->prev = o->next = NULL;
}

void ebook_append(struct engine *eng, struct eorder *o)
{
	enum engine_side side = o->pub.side;
	struct elevel *lv = ebook_find(eng, side, o->pub.price);
	if (!lv)
		lv = level_create(eng, side, o->pub.price);
	ebook_touch(eng, lv, side);
	level_link_tail(lv, o);
	lv->qty += o->pub.shown;
	lv->count++;
	o->level = lv;
}

void ebook_unlink(struct engine *eng, struct eorder *o)
{
	struct elevel *lv = o->level;
	ebook_touch(eng, lv, o->pub.side);
	level_unlink_only(lv, o);
	lv->qty -= o->pub.shown;
	lv->count--;
	o->pub.shown = 0;
	o->level = NULL;
	if (!lv->count)
		level_destroy(eng, lv, o->pub.side);
}

void ebook_set_shown(struct engine *eng, struct eorder *o, int64_t shown)
{
	struct elevel *lv = o->level;
	ebook_touch(eng, lv, o->pub.side);
	lv->qty += shown - o->pub.shown;
	o->pub.shown = shown;
}

void ebook_requeue(struct engine *eng, struct eorder *o, int64_t shown)
{
	struct elevel *lv = o->level;
	ebook_set_shown(eng, o, shown);
	if (lv->tail != o) {
		level_unlink_only(lv, o);
		level_link_tail(lv, o);
	}
}

void ebook_flush(struct engine *eng)
{
	for (size_t i = 0; i < eng->ndirty; i++) {
		struct edirty *d = &eng->dirty[i];
		int64_t q = d->lv ? d->lv->qty : 0;
		if (q == d->old_qty)
			continue;
		struct engine_event ev = {.kind = ENGINE_EV_LEVEL};
		ev.level.side = d->side;
		ev.level.price = d->price;
		ev.level.qty = q;
		engine_emit(eng, &ev);
	}
	eng->ndirty = 0;
	if (++eng->gen == 0)
		eng->gen = 1;
}

int engine_best(const struct engine *eng, enum engine_side side, int64_t *price, int64_t *qty)
{
	const struct elevel *lv = ebook_best(eng, side);
	if (!lv)
		return -1;
	if (price)
		*price = lv->price;
	if (qty)
		*qty = lv->qty;
	return 0;
}

size_t engine_depth(const struct engine *eng, enum engine_side side, struct engine_level *out,
                    size_t n)
{
	const struct eside *s = &eng->side[side];
	size_t k = 0;
	for (size_t i = s->n; i > 0 && k < n; i--, k++) {
		const struct elevel *lv = s->lv[i - 1];
		out[k] = (struct engine_level){lv->price, lv->qty, lv->count};
	}
	return k;
}

size_t engine_level_count(const struct engine *eng, enum engine_side side)
{
	return eng->side[side].n;
}
