/* sim_book: the simulated makers and takers of the market account (PX_MARKET).
 *
 * Makers keep about `orders` resting limit orders per side (post-only, so they
 * never trade with each other by accident): 40% of new quotes land close to the
 * touch, the rest spread over the span (2% of the price, at least 600 ticks) with
 * a density that thins out away from the touch; sizes grow with the distance.
 * Churn: cancels (often the farther of two random quotes), amends of the
 * quantity (the nearer of two), and new quotes. When a side shows fewer than
 * SIM_MIN_LEVELS levels, new quotes spread evenly over the span until it is deep
 * again. Takers send market orders and marketable IOC limits, leaning towards
 * the fair price; when the fair price moves through stale quotes, an IOC order
 * takes them (this is how price moves turn into trades). Self-trade prevention
 * is off for the market's takers: the market trades with itself and with users.
 *
 * The resting quotes are tracked by px's order seq in an open-addressing map,
 * updated from px events (a quote filled by a user's order disappears here at
 * once), so a random quote is picked in O(1). */
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "base/xalloc.h"
#include "paper/sim_int.h"

/* ---- the order map (linear probing, backward-shift deletion) ---- */

static size_t omap_slot(const struct sim_omap *m, uint64_t key)
{
	uint64_t h = key * 0x9e3779b97f4a7c15ull;
	return (size_t)(h >> 20) & (m->cap - 1);
}

static uint32_t *omap_get(struct sim_omap *m, uint64_t key)
{
	if (!m->cap)
		return NULL;
	for (size_t i = omap_slot(m, key);; i = (i + 1) & (m->cap - 1)) {
		if (m->keys[i] == key)
			return &m->vals[i];
		if (m->keys[i] == 0)
			return NULL;
	}
}

static void omap_put(struct sim_omap *m, uint64_t key, uint32_t val);

static void omap_grow(struct sim_omap *m)
{
	struct sim_omap old = *m;
	m->cap = old.cap ? old.cap * 2 : 1024;
	m->keys = xcalloc(m->cap, sizeof *m->keys);
	m->vals = xcalloc(m->cap, sizeof *m->vals);
	m->n = 0;
	for (size_t i = 0; i < old.cap; i++)
		if (old.keys[i])
			omap_put(m, old.keys[i], old.vals[i]);
	free(old.keys);
	free(old.vals);
}

static void omap_put(struct sim_omap *m, uint64_t key, uint32_t val)
{
	if ((m->n + 1) * 2 > m->cap)
		omap_grow(m);
	size_t i = omap_slot(m, key);
	while (m->keys[i] && m->keys[i] != key)
		i = (i + 1) & (m->cap - 1);
	if (!m->keys[i])
		m->n++;
	m->keys[i] = key;
	m->vals[i] = val;
}

static void omap_del(struct sim_omap *m, uint64_t key)
{
	if (!m->cap)
		return;
	size_t i = omap_slot(m, key);
	while (m->keys[i] != key) {
		if (!m->keys[i])
			return;
		i = (i + 1) & (m->cap - 1);
	}
	m->n--;
	/* shift later members of the cluster back so lookups never stop early */
	for (size_t j = (i + 1) & (m->cap - 1); m->keys[j]; j = (j + 1) & (m->cap - 1)) {
		size_t home = omap_slot(m, m->keys[j]);
		if (((j - home) & (m->cap - 1)) >= ((j - i) & (m->cap - 1))) {
			m->keys[i] = m->keys[j];
			m->vals[i] = m->vals[j];
			i = j;
		}
	}
	m->keys[i] = 0;
}

/* ---- tracked quotes ---- */

#define VAL(slot, side, idx) (((uint32_t)(slot) << 27) | ((uint32_t)(side) << 26) | (uint32_t)(idx))
#define VAL_SLOT(v)          ((v) >> 27)
#define VAL_SIDE(v)          (((v) >> 26) & 1u)
#define VAL_IDX(v)           ((v) & ((1u << 26) - 1))

void sim_book_init(struct sim *s)
{
	memset(&s->map, 0, sizeof s->map);
	s->levels = xcalloc(SIM_DEPTH_CHECK, sizeof *s->levels);
}

static void clear_tracking(struct sim *s)
{
	for (size_t i = 0; i < s->ninst; i++)
		for (int side = 0; side < 2; side++)
			s->inst[i].side[side].n = 0;
	free(s->map.keys);
	free(s->map.vals);
	memset(&s->map, 0, sizeof s->map);
	s->st.tracked = 0;
}

void sim_book_free(struct sim *s)
{
	clear_tracking(s);
	for (size_t i = 0; i < s->ninst; i++)
		for (int side = 0; side < 2; side++)
			free(s->inst[i].side[side].v);
	free(s->levels);
}

static int64_t units(dec_t v, int dp)
{
	int64_t u = 0;
	if (dec_to_scaled(v, (unsigned)dp, &u) < 0)
		return 0;
	return u;
}

static void track_add(struct sim *s, int slot, int side, const struct px_order *o)
{
	struct sim_side *sd = &s->inst[slot].side[side];
	const struct px_instr *in = o->instr;
	sd->v = xgrow(sd->v, &sd->cap, sd->n + 1, sizeof *sd->v);
	struct sim_order *q = &sd->v[sd->n];
	q->seq = o->seq;
	q->price_u = units(o->price, in->price_dp);
	q->qty_u = units(o->qty, in->qty_dp) - units(o->filled, in->qty_dp);
	snprintf(q->id, sizeof q->id, "%s", o->id);
	omap_put(&s->map, o->seq, VAL(slot, side, sd->n));
	sd->n++;
	s->st.tracked++;
}

static void track_remove(struct sim *s, uint32_t val)
{
	struct sim_side *sd = &s->inst[VAL_SLOT(val)].side[VAL_SIDE(val)];
	size_t i = VAL_IDX(val);
	if (i >= sd->n)
		return;
	omap_del(&s->map, sd->v[i].seq);
	sd->n--;
	if (i != sd->n) {
		sd->v[i] = sd->v[sd->n];
		omap_put(&s->map, sd->v[i].seq, VAL(VAL_SLOT(val), VAL_SIDE(val), i));
	}
	s->st.tracked--;
}

/* A quote of the market account rests in the book: a GTC limit that is live. */
static bool is_quote(const struct px_order *o)
{
	return o->account == PX_MARKET && o->type == ENGINE_T_LIMIT && o->tif == ENGINE_GTC &&
	       (o->status == ENGINE_S_OPEN || o->status == ENGINE_S_PARTIAL) && !o->scheduled;
}

static void track_order(struct sim *s, const struct px_order *o, bool closing)
{
	int slot = o->instr && o->instr->id <= PX_MAX_INSTR ? s->slot_of[o->instr->id] : -1;
	if (slot < 0)
		return;
	uint32_t *v = omap_get(&s->map, o->seq);
	if (closing || !is_quote(o) || !dec_lt(o->filled, o->qty)) {
		if (v)
			track_remove(s, *v);
		return;
	}
	if (!v) {
		track_add(s, slot, o->side == ENGINE_SELL, o);
		return;
	}
	struct sim_order *q = &s->inst[slot].side[VAL_SIDE(*v)].v[VAL_IDX(*v)];
	q->price_u = units(o->price, o->instr->price_dp);
	q->qty_u = units(o->qty, o->instr->qty_dp) - units(o->filled, o->instr->qty_dp);
}

void sim_book_on_event(void *ctx, const struct px_event *ev)
{
	struct sim *s = ctx;
	if (ev->kind == PX_EV_RESET) {
		clear_tracking(s);
		return;
	}
	if (ev->kind != PX_EV_ORDER || ev->account != PX_MARKET)
		return;
	enum px_exec x = ev->order.exec;
	/* a fill that completes an order is its last event (its status may still
	 * say partial then) */
	track_order(s, ev->order.order,
	            x == PX_EXEC_FILLED || x == PX_EXEC_CANCELED || x == PX_EXEC_EXPIRED ||
	                    x == PX_EXEC_REJECTED);
}

static void adopt_one(void *arg, const struct px_order *o)
{
	track_order(arg, o, false);
}

void sim_book_adopt(struct sim *s)
{
	struct px_filter f = px_filter_all(-1);
	px_open_orders(s->px, PX_MARKET, &f, adopt_one, s);
}

/* ---- placing ---- */

static int place(struct sim *s, struct sim_inst *si, int side, enum engine_type type,
                 enum engine_tif tif, uint32_t eflags, int64_t qty_u, int64_t price_u)
{
	const struct px_instr *in = si->in;
	struct px_place r;
	memset(&r, 0, sizeof r);
	r.account = PX_MARKET;
	r.instr = in;
	r.side = side ? ENGINE_SELL : ENGINE_BUY;
	r.type = type;
	r.tif = tif;
	r.stp = ENGINE_STP_NONE;
	r.eflags = eflags;
	r.qty = dec_make(qty_u, (unsigned)in->qty_dp);
	if (price_u > 0)
		r.price = px_price_abs(dec_make(price_u, (unsigned)in->price_dp));
	struct px_result res;
	if (px_place(s->px, &r, &res, NULL) < 0 || !res.order) {
		s->st.refused++;
		return -1;
	}
	return 0;
}

static int64_t best_of(const struct sim *s, const struct px_instr *in, int side)
{
	struct px_level l;
	if (px_best(s->px, in, side ? ENGINE_SELL : ENGINE_BUY, &l) < 0)
		return 0;
	return units(l.price, in->price_dp);
}

/* Quantity for a quote `off` away from fair: grows with the distance, +-60%. */
static int64_t quote_qty(struct sim *s, const struct sim_inst *si, int64_t off)
{
	int64_t q = si->base_qty_u;
	q += (int64_t)((__int128)q * 4 * off / (si->span_u > 0 ? si->span_u : 1));
	q = q * prng_range(&s->rng, 40, 160) / 100;
	return q < si->in->min_u ? si->in->min_u : q;
}

/* Price of a quote `off` from fair on `side`, on the tick grid and never
 * crossing the other side. */
static int64_t quote_price(const struct sim *s, const struct sim_inst *si, int side, int64_t off)
{
	int64_t tick = si->in->tick_u, p;
	if (side == 0) {
		p = si->fair_u - off;
		p -= ((p % tick) + tick) % tick;
		int64_t ask = best_of(s, si->in, 1);
		if (ask && p >= ask)
			p = ask - tick;
	} else {
		p = si->fair_u + off;
		int64_t r = ((p % tick) + tick) % tick;
		if (r)
			p += tick - r;
		int64_t bid = best_of(s, si->in, 0);
		if (bid && p <= bid)
			p = bid + tick;
	}
	return p < tick ? tick : p;
}

static void op_add(struct sim *s, struct sim_inst *si, int side, bool far)
{
	int64_t span = si->span_u, off;
	if (far) {
		off = (int64_t)prng_below(&s->rng, (uint64_t)span);
	} else if (prng_below(&s->rng, 100) < 40) {
		int64_t near = span / 50 > 20 * si->in->tick_u ? span / 50 : 20 * si->in->tick_u;
		uint64_t x = prng_below(&s->rng, 1u << 20);
		off = (int64_t)(((unsigned __int128)(uint64_t)near * x * x) >> 40);
	} else {
		uint64_t x = prng_below(&s->rng, 1u << 20);
		off = (int64_t)(((unsigned __int128)(uint64_t)span * x * x) >> 40);
	}
	off += si->half_spread_u;
	s->st.adds++;
	place(s, si, side, ENGINE_T_LIMIT, ENGINE_GTC, ENGINE_F_POST_ONLY, quote_qty(s, si, off),
	      quote_price(s, si, side, off));
}

static int64_t dist(const struct sim_inst *si, const struct sim_order *q)
{
	int64_t d = q->price_u - si->fair_u;
	return d < 0 ? -d : d;
}

/* A random quote of the side: uniform, or the farther/nearer of two. */
static struct sim_order *pick(struct sim *s, struct sim_side *sd, const struct sim_inst *si,
                              int bias)
{
	if (!sd->n)
		return NULL;
	struct sim_order *a = &sd->v[prng_below(&s->rng, sd->n)];
	if (!bias)
		return a;
	struct sim_order *b = &sd->v[prng_below(&s->rng, sd->n)];
	bool a_far = dist(si, a) >= dist(si, b);
	return (bias > 0) == a_far ? a : b;
}

static void op_cancel(struct sim *s, struct sim_inst *si, int side)
{
	struct sim_side *sd = &si->side[side];
	struct sim_order *q = pick(s, sd, si, prng_below(&s->rng, 100) < 40 ? 1 : 0);
	if (!q)
		return;
	char id[PX_ID_MAX];
	uint64_t seq = q->seq;
	memcpy(id, q->id, sizeof id);
	s->st.cancels++;
	if (px_cancel(s->px, PX_MARKET, id, NULL) < 0) {
		s->st.refused++;
		uint32_t *v = omap_get(&s->map, seq); /* gone without an event: forget it */
		if (v)
			track_remove(s, *v);
	}
}

static void op_amend(struct sim *s, struct sim_inst *si, int side)
{
	struct sim_order *q = pick(s, &si->side[side], si, -1);
	if (!q)
		return;
	const struct px_order *o = px_order_find(s->px, PX_MARKET, q->id);
	s->st.amends++;
	if (!o || !px_order_is_open(o)) {
		s->st.refused++;
		return;
	}
	const struct px_instr *in = si->in;
	int64_t left = q->qty_u * prng_range(&s->rng, 50, 150) / 100;
	if (left < in->min_u)
		left = in->min_u;
	if (left == q->qty_u)
		left += in->lot_u;
	struct px_amend a;
	memset(&a, 0, sizeof a);
	a.account = PX_MARKET;
	a.product = (int)in->product;
	a.id = q->id;
	a.fields = ENGINE_AM_QTY;
	a.qty = dec_make(units(o->filled, in->qty_dp) + left, (unsigned)in->qty_dp);
	struct px_result res;
	if (px_amend(s->px, &a, &res, NULL) < 0)
		s->st.refused++;
}

static void op_take(struct sim *s, struct sim_inst *si)
{
	const struct px_instr *in = si->in;
	int64_t bid = best_of(s, in, 0), ask = best_of(s, in, 1);
	int64_t mid = bid && ask ? (bid + ask) / 2 : si->fair_u;
	/* lean towards the fair price: buy more often when the book is below it */
	int side = prng_below(&s->rng, 100) < (mid < si->fair_u ? 40u : 60u);
	int64_t qty = si->base_qty_u * prng_range(&s->rng, 10, 150) / 100;
	if (qty < in->min_u)
		qty = in->min_u;
	s->st.takes++;
	int64_t opp = side ? bid : ask;
	if (!opp)
		return;
	if (prng_below(&s->rng, 2)) {
		place(s, si, side, ENGINE_T_MARKET, ENGINE_GTC, 0, qty, 0);
		return;
	}
	int64_t through = prng_range(&s->rng, 0, 3) * in->tick_u;
	place(s, si, side, ENGINE_T_LIMIT, ENGINE_IOC, 0, qty,
	      side ? opp - through : opp + through);
}

bool sim_book_arbitrage(struct sim *s, struct sim_inst *si)
{
	const struct px_instr *in = si->in;
	int64_t tick = in->tick_u, hs = si->half_spread_u;
	int64_t ask = best_of(s, in, 1), bid = best_of(s, in, 0);
	if (ask && ask < si->fair_u - hs) {
		int64_t p = si->fair_u - hs;
		p -= p % tick;
		place(s, si, 0, ENGINE_T_LIMIT, ENGINE_IOC, 0, si->base_qty_u * 5, p);
		s->st.takes++;
		return true;
	}
	if (bid && bid > si->fair_u + hs) {
		int64_t p = si->fair_u + hs, r = p % tick;
		if (r)
			p += tick - r;
		place(s, si, 1, ENGINE_T_LIMIT, ENGINE_IOC, 0, si->base_qty_u * 5, p);
		s->st.takes++;
		return true;
	}
	return false;
}

void sim_book_op(struct sim *s, struct sim_inst *si)
{
	int side = (int)prng_below(&s->rng, 2);
	struct sim_side *sd = &si->side[side];
	size_t want = s->o.orders;
	s->st.ops++;
	if (sd->n < want * 4 / 5 || (sd->fill_far && sd->n < want * 3 / 2)) {
		op_add(s, si, side, sd->fill_far);
		return;
	}
	if (sd->n > want * 6 / 5) {
		op_cancel(s, si, side);
		return;
	}
	uint64_t roll = prng_below(&s->rng, 100);
	if (roll < 35)
		op_add(s, si, side, sd->fill_far);
	else if (roll < 65)
		op_cancel(s, si, side);
	else if (roll < 85)
		op_amend(s, si, side);
	else
		op_take(s, si);
}

size_t sim_book_seed_side(struct sim *s, struct sim_inst *si, int side, size_t want)
{
	struct sim_side *sd = &si->side[side];
	if (sd->n >= want)
		return 0;
	size_t need = want - sd->n, placed = 0;
	int64_t tick = si->in->tick_u, prev = -1;
	for (size_t k = 0; k < need; k++) {
		/* distinct levels, denser near the touch: off = span * (k / need)^1.5 */
		unsigned __int128 f = (unsigned __int128)k * 1000000 / need; /* ppm */
		int64_t off = (int64_t)((unsigned __int128)(uint64_t)si->span_u * f *
		                        sim_isqrt(f * 1000000) / 1000000000000ull);
		off += si->half_spread_u;
		off -= off % tick;
		if (off <= prev)
			off = prev + tick;
		prev = off;
		if (place(s, si, side, ENGINE_T_LIMIT, ENGINE_GTC, ENGINE_F_POST_ONLY,
		          quote_qty(s, si, off), quote_price(s, si, side, off)) == 0)
			placed++;
	}
	return placed;
}

void sim_book_check_depth(struct sim *s, struct sim_inst *si)
{
	const struct px_instr *in = si->in;
	for (int side = 0; side < 2; side++) {
		size_t n = px_depth(s->px, in, side ? ENGINE_SELL : ENGINE_BUY, s->levels,
		                    SIM_DEPTH_CHECK);
		struct sim_side *sd = &si->side[side];
		if (n < SIM_MIN_LEVELS)
			sd->fill_far = true;
		else if (n >= SIM_MIN_LEVELS + SIM_MIN_LEVELS / 3)
			sd->fill_far = false;
		if (n >= SIM_FLOOR_LEVELS || n == 0)
			continue;
		/* Below the floor (a slow rate after a fast move): add new levels behind
		 * the deepest one at once, outside the rate, so the book stays deep. */
		int64_t tick = in->tick_u, gap = si->span_u / (int64_t)(2 * s->o.orders);
		gap = gap < tick ? tick : gap - gap % tick;
		int64_t p = units(s->levels[n - 1].price, in->price_dp);
		for (size_t k = n; k < SIM_FLOOR_LEVELS; k++) {
			p += side ? gap : -gap;
			if (p <= 0)
				break;
			int64_t off = side ? p - si->fair_u : si->fair_u - p;
			s->st.adds++;
			place(s, si, side, ENGINE_T_LIMIT, ENGINE_GTC, ENGINE_F_POST_ONLY,
			      quote_qty(s, si, off < 0 ? 0 : off), p);
		}
	}
}
