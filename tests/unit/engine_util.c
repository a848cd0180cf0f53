/* engine_util: the matching-engine test harness (see engine_util.h). */
#include <stdlib.h>
#include <string.h>

#include "tests/unit/unit.h"
#include "tests/unit/engine_util.h"

static void th_on_event(void *ctx, const struct engine_event *ev)
{
	struct th *t = ctx;
	if (t->n == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 256;
		t->ev = realloc(t->ev, t->cap * sizeof *t->ev);
		assert_non_null(t->ev);
	}
	struct tev *e = &t->ev[t->n++];
	memset(e, 0, sizeof *e);
	e->kind = ev->kind;
	e->op = t->op;
	if (ev->kind == ENGINE_EV_TRADE) {
		const struct engine_order *m = ev->trade.maker, *k = ev->trade.taker;
		e->id = k->id;
		e->maker = m->id;
		e->price = ev->trade.price;
		e->qty = ev->trade.qty;
		e->side = ev->trade.aggressor;
		e->trade_id = ev->trade.trade_id;
		e->account = k->account;
		/* Settle the fill: the accounts layer's job, needed for reduce-only. */
		int64_t d = k->side == ENGINE_BUY ? ev->trade.qty : -ev->trade.qty;
		if (k->account < TH_ACCOUNTS)
			t->pos[k->account] += d;
		if (m->account < TH_ACCOUNTS)
			t->pos[m->account] -= d;
	} else if (ev->kind == ENGINE_EV_LEVEL) {
		e->side = ev->level.side;
		e->price = ev->level.price;
		e->qty = ev->level.qty;
	} else {
		const struct engine_order *o = ev->ord.order;
		e->what = ev->ord.what;
		e->id = o->id;
		e->parent = o->parent;
		e->account = o->account;
		e->type = o->type;
		e->status = o->status;
		e->reason = o->reason;
		e->side = o->side;
		e->price = o->price;
		e->qty = o->qty;
		e->filled = o->filled;
		e->trigger = o->trigger;
		e->shown = o->shown;
		e->triggered = o->triggered;
	}
	if (t->try_reenter) {
		struct engine_req r = {.account = 1, .type = ENGINE_T_LIMIT, .qty = 1, .price = 1};
		struct kerr err = KERR_INIT;
		t->reenter_rc = engine_submit(t->eng, &r, NULL, &err) == 0 ? 0 : err.code;
		t->try_reenter = 0;
	}
}

static int th_admit(void *ctx, const struct engine_order *o, enum engine_admit_phase phase)
{
	struct th *t = ctx;
	t->admit_calls[phase]++;
	if (t->admit_reason && o->account == t->admit_account)
		return t->admit_reason;
	return 0;
}

static int64_t th_position(void *ctx, uint32_t account, uint32_t instrument)
{
	struct th *t = ctx;
	(void)instrument;
	return account < TH_ACCOUNTS ? t->pos[account] : 0;
}

struct th *th_new(enum engine_product product, uint32_t collar_ppm)
{
	struct th *t = calloc(1, sizeof *t);
	assert_non_null(t);
	struct engine_instrument meta = {
	        .id = 7,
	        .symbol = "TEST/USD",
	        .product = product,
	        .tick = 1,
	        .lot = 1,
	        .min_qty = 1,
	        .mkt_collar_ppm = collar_ppm,
	};
	struct engine_ops ops = {th_on_event, th_admit, th_position};
	t->eng = engine_new(&meta, &ops, t);
	engine_tick(t->eng, 1000);
	return t;
}

void th_free(struct th *t)
{
	engine_free(t->eng);
	free(t->ev);
	free(t);
}

void th_clear(struct th *t)
{
	t->n = 0;
}

uint64_t th_submit(struct th *t, const struct engine_req *r, struct engine_result *res)
{
	struct engine_result local;
	struct kerr err = KERR_INIT;
	if (!res)
		res = &local;
	t->op++;
	int rc = engine_submit(t->eng, r, res, &err);
	if (rc != 0)
		fail_msg("engine_submit: %s", err.msg);
	assert_int_not_equal(res->id, 0);
	return res->id;
}

uint64_t th_limit(struct th *t, uint32_t account, enum engine_side side, int64_t qty, int64_t price)
{
	struct engine_req r = {.account = account,
	                       .side = side,
	                       .type = ENGINE_T_LIMIT,
	                       .qty = qty,
	                       .price = price};
	return th_submit(t, &r, NULL);
}

void th_trade_at(struct th *t, int64_t px)
{
	th_limit(t, 14, ENGINE_SELL, 1, px);
	struct engine_req r = {.account = 15,
	                       .side = ENGINE_BUY,
	                       .type = ENGINE_T_LIMIT,
	                       .tif = ENGINE_IOC,
	                       .qty = 1,
	                       .price = px};
	struct engine_result res;
	th_submit(t, &r, &res);
	assert_int_equal(res.filled, 1);
}

size_t th_count(const struct th *t, enum engine_ev_kind kind)
{
	size_t c = 0;
	for (size_t i = 0; i < t->n; i++)
		c += t->ev[i].kind == kind;
	return c;
}

long th_index(const struct th *t, enum engine_ev_kind kind, uint64_t id)
{
	for (size_t i = 0; i < t->n; i++)
		if (t->ev[i].kind == kind && (!id || t->ev[i].id == id))
			return (long)i;
	return -1;
}

const struct tev *th_find(const struct th *t, enum engine_ev_kind kind, uint64_t id)
{
	long i = th_index(t, kind, id);
	return i < 0 ? NULL : &t->ev[i];
}

const struct tev *th_nth(const struct th *t, enum engine_ev_kind kind, size_t k)
{
	for (size_t i = 0; i < t->n; i++)
		if (t->ev[i].kind == kind && k-- == 0)
			return &t->ev[i];
	return NULL;
}

void th_assert_side(const struct th *t, enum engine_side side, const int64_t *pq, size_t n)
{
	struct engine_level lv[64];
	size_t got = engine_depth(t->eng, side, lv, 64);
	assert_int_equal(got, n);
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(lv[i].price, pq[2 * i]);
		assert_int_equal(lv[i].qty, pq[2 * i + 1]);
	}
}
