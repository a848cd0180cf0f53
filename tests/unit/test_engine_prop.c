/* test_engine_prop: a fixed-seed random run of 10,000 engine calls (every
 * order type and flag, cancels, amends, edits, reference moves, expiry) that
 * checks, after every call, that:
 *  - the LEVEL events of the call name each level at most once and only with
 *    a real change, and replaying all LEVEL events onto an empty map gives
 *    exactly engine_depth() for both sides;
 *  - each level's total is the sum of the visible parts of its resting orders;
 *  - the book is never crossed;
 * and at the end that fills are conserved: for every order the TRADE events
 * add up to its final filled quantity, and bought == sold. */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "tests/unit/unit.h"
#include "tests/unit/engine_util.h"

#define NOPS    10000
#define PX_SPAN 4096
#define MAX_SEQ (1u << 16)
#define SEQ(id) ((size_t)((id) & ((UINT64_C(1) << 40) - 1)))

struct prop {
	struct th *t;
	uint64_t rng;
	int64_t map[2][PX_SPAN];    /* replayed LEVEL events */
	unsigned stamp[2][PX_SPAN]; /* call number of the last LEVEL event there */
	unsigned call;
	int64_t fills[MAX_SEQ]; /* per order, from TRADE events */
	int64_t closed_filled[MAX_SEQ];
	unsigned char closed[MAX_SEQ];
	unsigned char side_of[MAX_SEQ]; /* 1 + side, from ACCEPTED/CLOSED */
	int64_t maker_sum, taker_sum;
	uint64_t *ids; /* every accepted order, for cancels/amends */
	size_t nids, capids;
	int64_t mid, now;
	size_t trades, level_events;
};

static uint64_t rnd(struct prop *p)
{
	p->rng ^= p->rng >> 12;
	p->rng ^= p->rng << 25;
	p->rng ^= p->rng >> 27;
	return p->rng * UINT64_C(2685821657736338717);
}

static int64_t rnd_in(struct prop *p, int64_t lo, int64_t hi)
{
	return lo + (int64_t)(rnd(p) % (uint64_t)(hi - lo + 1));
}

/* Fold the events of one call into the model and check them. */
static void absorb(struct prop *p)
{
	struct th *t = p->t;
	p->call++;
	for (size_t i = 0; i < t->n; i++) {
		const struct tev *e = &t->ev[i];
		switch (e->kind) {
		case ENGINE_EV_LEVEL:
			assert_true(e->price > 0 && e->price < PX_SPAN);
			assert_int_not_equal(p->stamp[e->side][e->price],
			                     p->call);                           /* once per call */
			assert_int_not_equal(p->map[e->side][e->price], e->qty); /* a real change */
			p->stamp[e->side][e->price] = p->call;
			p->map[e->side][e->price] = e->qty;
			p->level_events++;
			break;
		case ENGINE_EV_TRADE:
			assert_true(e->qty > 0);
			p->fills[SEQ(e->id)] += e->qty;
			p->fills[SEQ(e->maker)] += e->qty;
			p->taker_sum += e->qty;
			p->maker_sum += e->qty;
			p->trades++;
			break;
		case ENGINE_EV_ACCEPTED:
			if (p->nids == p->capids) {
				p->capids = p->capids ? p->capids * 2 : 1024;
				p->ids = realloc(p->ids, p->capids * sizeof *p->ids);
				assert_non_null(p->ids);
			}
			p->ids[p->nids++] = e->id;
			p->side_of[SEQ(e->id)] = (unsigned char)(1 + e->side);
			break;
		case ENGINE_EV_CLOSED:
			assert_false(p->closed[SEQ(e->id)]);
			p->closed[SEQ(e->id)] = 1;
			p->side_of[SEQ(e->id)] = (unsigned char)(1 + e->side);
			p->closed_filled[SEQ(e->id)] = e->filled;
			assert_int_equal(e->filled, p->fills[SEQ(e->id)]);
			assert_true(e->filled <= e->qty);
			break;
		case ENGINE_EV_UPDATED:
			break;
		}
	}
	th_clear(t);
}

struct shown_sum {
	int64_t v[2][PX_SPAN];
	const struct prop *p;
};

static void add_shown(void *arg, const struct engine_order *o)
{
	struct shown_sum *s = arg;
	assert_int_equal(o->filled, s->p->fills[SEQ(o->id)]);
	if (o->status == ENGINE_S_PENDING) {
		assert_int_equal(o->shown, 0);
		return;
	}
	assert_true(o->shown > 0);
	assert_true(o->shown <= o->qty - o->filled);
	s->v[o->side][o->price] += o->shown;
}

/* The replayed map, the depth snapshot and the resting orders agree. */
static void check_book(struct prop *p)
{
	static struct engine_level lv[PX_SPAN];
	static struct shown_sum sum;
	memset(&sum, 0, sizeof sum);
	sum.p = p;
	engine_foreach_order(p->t->eng, ENGINE_ALL_ACCOUNTS, add_shown, &sum);
	for (int s = 0; s < 2; s++) {
		size_t n = engine_depth(p->t->eng, s, lv, PX_SPAN);
		size_t k = 0;
		/* best first: bids from the top price down, asks from the bottom up */
		for (int64_t i = 0; i < PX_SPAN; i++) {
			int64_t px = s == ENGINE_BUY ? PX_SPAN - 1 - i : i;
			assert_int_equal(sum.v[s][px], p->map[s][px]);
			if (!p->map[s][px])
				continue;
			assert_true(k < n);
			assert_int_equal(lv[k].price, px);
			assert_int_equal(lv[k].qty, p->map[s][px]);
			k++;
		}
		assert_int_equal(k, n);
	}
	int64_t bid, ask;
	if (engine_best(p->t->eng, ENGINE_BUY, &bid, NULL) == 0 &&
	    engine_best(p->t->eng, ENGINE_SELL, &ask, NULL) == 0)
		assert_true(bid < ask);
}

static uint64_t pick_id(struct prop *p)
{
	return p->nids ? p->ids[rnd(p) % p->nids] : 1;
}

static void random_submit(struct prop *p)
{
	struct engine_req r = {0};
	r.account = (uint32_t)rnd_in(p, 0, 5);
	r.side = rnd(p) & 1 ? ENGINE_BUY : ENGINE_SELL;
	r.qty = rnd_in(p, 1, 20);
	r.stp = (enum engine_stp)rnd_in(p, 0, 3);
	r.trigger_ref = (enum engine_ref)rnd_in(p, 0, 2);
	int64_t px = p->mid + rnd_in(p, -15, 15);
	int k = (int)rnd_in(p, 0, 99);
	if (k < 45) {
		r.type = ENGINE_T_LIMIT;
		r.price = px;
		int tif = (int)rnd_in(p, 0, 9);
		r.tif = tif < 6   ? ENGINE_GTC
		        : tif < 7 ? ENGINE_IOC
		        : tif < 8 ? ENGINE_FOK
		                  : ENGINE_GTD;
		if (r.tif == ENGINE_GTC && rnd_in(p, 0, 9) == 0)
			r.flags |= ENGINE_F_POST_ONLY;
		if (rnd_in(p, 0, 19) == 0)
			r.close = (struct engine_close){.type = ENGINE_T_LIMIT,
			                                .price = px +
			                                         (r.side == ENGINE_BUY ? 5 : -5)};
	} else if (k < 55) {
		r.type = ENGINE_T_MARKET;
		r.qty = rnd_in(p, 1, 40);
		if (rnd(p) & 1)
			r.flags |= ENGINE_F_NO_MPP;
	} else if (k < 62) {
		r.type = ENGINE_T_ICEBERG;
		r.qty = rnd_in(p, 15, 60);
		r.display = rnd_in(p, (r.qty + 14) / 15, r.qty);
		r.price = px;
	} else if (k < 66) {
		r.type = rnd(p) & 1 ? ENGINE_T_STOP_LOSS : ENGINE_T_TAKE_PROFIT;
		r.trigger = px;
	} else if (k < 70) {
		r.type = rnd(p) & 1 ? ENGINE_T_STOP_LOSS_LIMIT : ENGINE_T_TAKE_PROFIT_LIMIT;
		r.trigger = px;
		if (rnd(p) & 1)
			r.price = px + rnd_in(p, -3, 3);
		else
			r.limit_off = (struct engine_offset){rnd_in(p, -3, 3), ENGINE_OFF_PRICE};
	} else if (k < 75) {
		r.type = rnd(p) & 1 ? ENGINE_T_TRAILING_STOP : ENGINE_T_TRAILING_STOP_LIMIT;
		r.trail = rnd(p) & 1 ? (struct engine_offset){rnd_in(p, 1, 8), ENGINE_OFF_PRICE}
		                     : (struct engine_offset){rnd_in(p, 500, 9000), ENGINE_OFF_PPM};
		if (r.type == ENGINE_T_TRAILING_STOP_LIMIT)
			r.limit_off = (struct engine_offset){rnd_in(p, -4, 4), ENGINE_OFF_PRICE};
	} else {
		r.type = ENGINE_T_LIMIT;
		r.price = px;
		r.flags |= ENGINE_F_REDUCE_ONLY;
	}
	if (r.tif == ENGINE_GTD ||
	    (r.type != ENGINE_T_LIMIT && rnd_in(p, 0, 9) == 0 && r.type != ENGINE_T_MARKET)) {
		r.tif = ENGINE_GTD;
		r.expire_ns = p->now + rnd_in(p, 1, 50) * 1000;
	}
	struct kerr err = KERR_INIT;
	struct engine_result res;
	if (engine_submit(p->t->eng, &r, &res, &err) != 0)
		fail_msg("random request refused: %s", err.msg);
}

static void random_amend(struct prop *p, bool edit)
{
	struct engine_amend a = {0};
	int k = (int)rnd_in(p, 0, 3);
	if (k == 0 || k == 3) {
		a.fields |= ENGINE_AM_QTY;
		a.qty = rnd_in(p, 1, 40);
	}
	if (k == 1 || k == 3) {
		a.fields |= ENGINE_AM_PRICE;
		a.price = p->mid + rnd_in(p, -15, 15);
	}
	if (k == 2) {
		a.fields |= ENGINE_AM_TRIGGER;
		a.trigger = p->mid + rnd_in(p, -15, 15);
	}
	struct kerr err = KERR_INIT;
	if (edit)
		engine_edit(p->t->eng, pick_id(p), &a, NULL, &err);
	else
		engine_amend(p->t->eng, pick_id(p), &a, NULL, &err);
}

static void one_call(struct prop *p)
{
	int k = (int)rnd_in(p, 0, 99);
	p->mid += rnd_in(p, -1, 1);
	p->mid = p->mid < 950 ? 950 : p->mid > 1050 ? 1050 : p->mid;
	if (k < 60) {
		random_submit(p);
	} else if (k < 75) {
		engine_cancel(p->t->eng, pick_id(p), ENGINE_R_USER_CANCEL, NULL);
	} else if (k < 85) {
		random_amend(p, false);
	} else if (k < 88) {
		random_amend(p, true);
	} else if (k < 94) {
		enum engine_ref ref = rnd(p) & 1 ? ENGINE_REF_MARK : ENGINE_REF_INDEX;
		engine_set_reference(p->t->eng, ref, p->mid + rnd_in(p, -5, 5), NULL);
	} else if (k < 99) {
		p->now += rnd_in(p, 1, 20) * 1000;
		engine_tick(p->t->eng, p->now);
	} else {
		engine_cancel_all(p->t->eng, (uint32_t)rnd_in(p, 0, 5), ENGINE_R_CANCEL_ALL);
	}
}

static void fill_order(void *arg, const struct engine_order *o)
{
	const struct prop *p = arg;
	assert_int_equal(o->filled, p->fills[SEQ(o->id)]);
}

/* Level events replay to the book, and fills are conserved, over 10,000 calls. */
static void random_sequence(void **state)
{
	struct prop *p = calloc(1, sizeof *p);
	assert_non_null(p);
	p->t = th_new(ENGINE_SPOT, 20000);
	p->rng = UINT64_C(0x9e3779b97f4a7c15);
	p->mid = 1000;
	p->now = 1000;
	absorb(p);
	for (int i = 0; i < NOPS; i++) {
		one_call(p);
		absorb(p);
		check_book(p);
	}
	/* conservation: closed orders' final fills and live orders' fills match the
	 * trades, and every trade had exactly one maker and one taker */
	int64_t sum_closed = 0;
	for (size_t i = 0; i < MAX_SEQ; i++)
		if (p->closed[i]) {
			assert_int_equal(p->closed_filled[i], p->fills[i]);
			sum_closed += p->fills[i];
		}
	engine_foreach_order(p->t->eng, ENGINE_ALL_ACCOUNTS, fill_order, p);
	int64_t sum_all = 0, bought = 0, sold = 0;
	for (size_t i = 0; i < MAX_SEQ; i++) {
		sum_all += p->fills[i];
		if (p->fills[i])
			assert_true(p->side_of[i] != 0);
		if (p->side_of[i] == 1 + ENGINE_BUY)
			bought += p->fills[i];
		else
			sold += p->fills[i];
	}
	assert_int_equal(sum_all, p->maker_sum + p->taker_sum);
	assert_int_equal(bought, sold); /* every fill has a buyer and a seller */
	assert_int_equal(bought, p->taker_sum);
	assert_true(sum_closed <= sum_all);
	/* the run did exercise the engine */
	assert_true(p->trades > 1000);
	assert_true(p->level_events > 5000);
	assert_true(p->nids > 3000);
	print_message("# %zu trades, %zu level events, %zu orders\n", p->trades, p->level_events,
	              p->nids);
	free(p->ids);
	th_free(p->t);
	free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(random_sequence),
	};
	return kt_run_tests(tests);
}
