/* sim: the market simulator's life cycle and its tick (sim.h). A tick advances
 * the reference prices by the simulated time (real time x speed), lets takers
 * remove quotes the price moved through, spends the tick's share of the
 * operation rate on random book operations (interleaved across instruments so a
 * time-budget cut is fair), checks the depth now and then, pushes futures marks
 * and runs funding and liquidation. */
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "base/xalloc.h"
#include "paper/funding.h"
#include "paper/liquidation.h"
#include "paper/sim_int.h"

#define DEPTH_EVERY    16  /* ticks between depth checks */
#define MAX_CATCHUP_MS 100 /* a late timer does not make up for more than this */

static int add_instr(struct sim *s, const struct px_instr *in)
{
	if (!in || s->slot_of[in->id] >= 0)
		return 0;
	if (s->ninst >= PX_MAX_INSTR)
		return -1;
	s->slot_of[in->id] = (int)s->ninst;
	struct sim_inst *si = &s->inst[s->ninst++];
	memset(si, 0, sizeof *si);
	si->in = in;
	return 0;
}

struct sim *sim_new(struct paper *p, const struct sim_opts *o, struct kerr *err)
{
	struct sim *s = xcalloc(1, sizeof *s);
	s->p = p;
	s->px = p->px;
	if (o)
		s->o = *o;
	s->o.instruments = NULL;
	if (!s->o.speed)
		s->o.speed = 100;
	if (!s->o.rate)
		s->o.rate = 20;
	if (!s->o.tick_ms)
		s->o.tick_ms = 10;
	if (!s->o.orders)
		s->o.orders = 250;
	if (!s->o.batch_budget_us)
		s->o.batch_budget_us = 4000;
	s->fixed_step = s->o.seed != 0;
	if (!s->o.seed)
		s->o.seed = (uint64_t)paper_now(p) ^ (uint64_t)uv_hrtime();
	prng_seed(&s->rng, s->o.seed);
	for (size_t i = 0; i <= PX_MAX_INSTR; i++)
		s->slot_of[i] = -1;
	const struct px_instruments *t = px_instruments(s->px);
	if (o && o->instruments) {
		for (const char *const *n = o->instruments; *n; n++) {
			const struct px_instr *in = px_instr_find(s->px, -1, *n);
			if (!in) {
				kerr_set(err, PX_E_UNKNOWN_INSTR, "unknown instrument '%s'", *n);
				free(s);
				return NULL;
			}
			add_instr(s, in);
		}
	} else {
		for (size_t i = 0; i < t->n; i++)
			add_instr(s, &t->instr[i]);
	}
	sim_price_init(s);
	sim_book_init(s);
	sim_book_adopt(s);
	s->listen_handle = px_listen(s->px, sim_book_on_event, s);
	if (!s->o.no_funding) {
		struct funding_opts fo;
		memset(&fo, 0, sizeof fo);
		fo.period_ns = (int64_t)3600 * SIM_NANO * 100 / s->o.speed;
		fo.align = s->o.speed == 100;
		s->funding = funding_new(s->px, &fo);
	}
	LOGI("sim: %zu instruments, seed %llu, rate %u/s, speed %u%%", s->ninst,
	     (unsigned long long)s->o.seed, s->o.rate, s->o.speed);
	return s;
}

static void timer_closed(uv_handle_t *h)
{
	free(h);
}

void sim_free(struct sim *s)
{
	if (!s)
		return;
	sim_stop(s);
	if (s->timer)
		uv_close((uv_handle_t *)s->timer, timer_closed);
	px_unlisten(s->px, s->listen_handle);
	funding_free(s->funding);
	sim_book_free(s);
	free(s);
}

size_t sim_seed_book(struct sim *s)
{
	size_t n = 0;
	for (size_t i = 0; i < s->ninst; i++) {
		struct sim_inst *si = &s->inst[i];
		if (si->in->last_trading_ns && px_now(s->px) >= si->in->last_trading_ns)
			continue;
		for (int side = 0; side < 2; side++)
			n += sim_book_seed_side(s, si, side, s->o.orders);
	}
	s->seeded = true;
	sim_price_marks(s, 0);
	return n;
}

static bool tradeable(const struct sim *s, const struct sim_inst *si)
{
	return !si->in->last_trading_ns || px_now(s->px) < si->in->last_trading_ns;
}

/* One tick of `ms` real milliseconds; with a budget, stop the random operations
 * once the batch has used budget_us of CPU. */
static void tick(struct sim *s, uint64_t ms, bool budget)
{
	int64_t dt = (int64_t)ms * 1000000 * s->o.speed / 100;
	uint64_t t0 = budget ? uv_hrtime() : 0;
	s->st.ticks++;
	sim_price_advance(s, dt);
	uint64_t most = 0, left[PX_MAX_INSTR];
	for (size_t i = 0; i < s->ninst; i++) {
		struct sim_inst *si = &s->inst[i];
		si->acc_milli += (uint64_t)s->o.rate * ms;
		left[i] = si->acc_milli / 1000;
		si->acc_milli %= 1000;
		if (!tradeable(s, si)) {
			left[i] = 0;
			continue;
		}
		/* stale quotes go first, but never with more than a quarter of the ops:
		 * at a slow rate the makers must still get to quote */
		if (left[i] && si->arb_credit >= 3 && sim_book_arbitrage(s, si)) {
			left[i]--;
			si->arb_credit -= 3;
		}
		si->arb_credit += left[i];
		if (si->arb_credit > 30)
			si->arb_credit = 30;
		if (left[i] > most)
			most = left[i];
	}
	for (uint64_t k = 0; k < most; k++) {
		for (size_t i = 0; i < s->ninst; i++)
			if (left[i] > k)
				sim_book_op(s, &s->inst[i]);
		if (budget && (k & 15) == 15 &&
		    uv_hrtime() - t0 > (uint64_t)s->o.batch_budget_us * 1000) {
			s->st.budget_cut++;
			break;
		}
	}
	if (s->st.ticks % DEPTH_EVERY == 0)
		for (size_t i = 0; i < s->ninst; i++)
			if (tradeable(s, &s->inst[i]))
				sim_book_check_depth(s, &s->inst[i]);
	sim_price_marks(s, dt);
	if (s->funding)
		s->st.funding_payments += (uint64_t)funding_run(s->funding, px_now(s->px));
	if (!s->o.no_liquidation)
		s->st.liquidations += (uint64_t)liquidation_run(s->px, NULL, NULL);
}

void sim_step(struct sim *s, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		tick(s, s->o.tick_ms, false);
}

static void on_timer(uv_timer_t *t)
{
	struct sim *s = t->data;
	uint64_t now = uv_now(s->p->loop);
	uint64_t ms = now - s->last_ms;
	s->last_ms = now;
	if (ms > MAX_CATCHUP_MS)
		ms = MAX_CATCHUP_MS;
	if (!ms)
		return;
	paper_tick(s->p);
	if (!s->fixed_step) {
		tick(s, ms, true);
		return;
	}
	/* A seeded market is the same market every run: it advances in whole ticks, the
	 * sim_step() unit, however late the timer fires, and no batch is cut short. */
	s->owed_ms += ms;
	for (; s->owed_ms >= s->o.tick_ms; s->owed_ms -= s->o.tick_ms)
		tick(s, s->o.tick_ms, false);
}

int sim_start(struct sim *s)
{
	if (s->running)
		return -1;
	if (!s->seeded)
		sim_seed_book(s);
	if (!s->timer) {
		s->timer = xcalloc(1, sizeof *s->timer);
		uv_timer_init(s->p->loop, s->timer);
		s->timer->data = s;
	}
	s->last_ms = uv_now(s->p->loop);
	uv_timer_start(s->timer, on_timer, s->o.tick_ms, s->o.tick_ms);
	s->running = true;
	return 0;
}

void sim_stop(struct sim *s)
{
	if (s && s->running) {
		uv_timer_stop(s->timer);
		s->running = false;
	}
}

struct funding *sim_funding(struct sim *s)
{
	return s->funding;
}

int sim_fair(const struct sim *s, const struct px_instr *in, dec_t *out)
{
	if (!in || in->id > PX_MAX_INSTR || s->slot_of[in->id] < 0)
		return -1;
	*out = dec_make(s->inst[s->slot_of[in->id]].fair_u, (unsigned)in->price_dp);
	return 0;
}

void sim_stats(const struct sim *s, struct sim_stats *out)
{
	*out = s->st;
}
