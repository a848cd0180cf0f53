/* ratelimit: decaying counters, sliding windows, backoff and Kraken Spot's
 * tier and cost tables. */
#include "kraken/ratelimit.h"

#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"

void rl_counter_init(struct rl_counter *c, int64_t max_milli, int64_t decay_milli_per_s)
{
	memset(c, 0, sizeof *c);
	c->max = max_milli;
	c->decay = decay_milli_per_s;
}

void rl_counter_set(struct rl_counter *c, int64_t max_milli, int64_t decay_milli_per_s)
{
	c->max = max_milli;
	c->decay = decay_milli_per_s;
}

int64_t rl_counter_level(struct rl_counter *c, uint64_t now_ms)
{
	if (now_ms > c->at_ms) {
		uint64_t dt = now_ms - c->at_ms;
		/* dt * decay cannot overflow for any realistic gap; cap it anyway. */
		int64_t drop = dt > 86400000u ? c->level : (int64_t)(dt * (uint64_t)c->decay / 1000u);
		c->level = drop >= c->level ? 0 : c->level - drop;
		/* Keep the sub-millisecond remainder by only moving the clock by
		 * the time that was actually converted into decay. */
		if (c->level == 0 || c->decay <= 0)
			c->at_ms = now_ms;
		else
			c->at_ms += (uint64_t)(drop * 1000 / c->decay);
	}
	return c->level;
}

uint64_t rl_counter_wait_ms(struct rl_counter *c, int64_t cost, uint64_t now_ms)
{
	int64_t level = rl_counter_level(c, now_ms);
	int64_t need = cost > c->max ? level : level + cost - c->max;
	if (need <= 0)
		return 0;
	if (c->decay <= 0)
		return UINT64_MAX;
	/* Round up, and account for the part of a millisecond already elapsed. */
	uint64_t ms = (uint64_t)((need * 1000 + c->decay - 1) / c->decay);
	uint64_t spent = now_ms > c->at_ms ? now_ms - c->at_ms : 0;
	return ms > spent ? ms - spent : 1;
}

void rl_counter_add(struct rl_counter *c, int64_t cost, uint64_t now_ms)
{
	rl_counter_level(c, now_ms);
	c->level += cost;
}

void rl_counter_fill(struct rl_counter *c, uint64_t now_ms)
{
	rl_counter_level(c, now_ms);
	if (c->level < c->max)
		c->level = c->max;
}

/* ---- sliding window ---- */

void rl_window_init(struct rl_window *w, int64_t budget, uint64_t window_ms)
{
	memset(w, 0, sizeof *w);
	w->budget = budget;
	w->window_ms = window_ms;
}

void rl_window_free(struct rl_window *w)
{
	free(w->ev);
	w->ev = NULL;
	w->n = w->cap = w->head = 0;
	w->used = 0;
}

/* Drop the calls that left the window. */
static void window_expire(struct rl_window *w, uint64_t now_ms)
{
	while (w->n > 0) {
		struct rl_window_ev *e = &w->ev[w->head];
		if (e->t_ms + w->window_ms > now_ms)
			break;
		w->used -= e->cost;
		w->head = (w->head + 1) % w->cap;
		w->n--;
	}
}

int64_t rl_window_used(struct rl_window *w, uint64_t now_ms)
{
	window_expire(w, now_ms);
	return w->used;
}

uint64_t rl_window_wait_ms(struct rl_window *w, int64_t cost, uint64_t now_ms)
{
	window_expire(w, now_ms);
	int64_t over = cost > w->budget ? w->used : w->used + cost - w->budget;
	if (over <= 0)
		return 0;
	/* Walk the oldest calls until enough cost has left the window. */
	int64_t freed = 0;
	for (size_t i = 0; i < w->n; i++) {
		const struct rl_window_ev *e = &w->ev[(w->head + i) % w->cap];
		freed += e->cost;
		if (freed >= over)
			return e->t_ms + w->window_ms - now_ms;
	}
	return w->window_ms;
}

void rl_window_add(struct rl_window *w, int64_t cost, uint64_t now_ms)
{
	window_expire(w, now_ms);
	if (w->n == w->cap) {
		size_t ncap = w->cap ? w->cap * 2 : 16;
		struct rl_window_ev *ev = xcalloc(ncap, sizeof *ev);
		for (size_t i = 0; i < w->n; i++)
			ev[i] = w->ev[(w->head + i) % w->cap];
		free(w->ev);
		w->ev = ev;
		w->cap = ncap;
		w->head = 0;
	}
	w->ev[(w->head + w->n) % w->cap] = (struct rl_window_ev){now_ms, cost};
	w->n++;
	w->used += cost;
}

uint64_t rl_backoff_ms(unsigned attempt, uint64_t base_ms, uint64_t cap_ms, uint32_t rnd)
{
	uint64_t d = base_ms;
	for (unsigned i = 0; i < attempt && d < cap_ms; i++)
		d *= 2;
	if (d > cap_ms)
		d = cap_ms;
	uint64_t half = d / 2;
	return d - half + (half ? rnd % (half + 1) : 0);
}

/* ---- Kraken Spot tables ---- */

static const struct kraken_spot_limits spot_tiers[] = {
	[KRAKEN_TIER_STARTER] = {15 * RL_UNIT, 330, 60 * RL_UNIT, 1000, 60},
	[KRAKEN_TIER_INTERMEDIATE] = {20 * RL_UNIT, 500, 125 * RL_UNIT, 2340, 80},
	[KRAKEN_TIER_PRO] = {20 * RL_UNIT, 1000, 180 * RL_UNIT, 3750, 225},
};

const struct kraken_spot_limits *kraken_spot_limits(enum kraken_tier tier)
{
	if ((unsigned)tier > KRAKEN_TIER_PRO)
		tier = KRAKEN_TIER_STARTER;
	return &spot_tiers[tier];
}

const char *kraken_tier_name(enum kraken_tier tier)
{
	switch (tier) {
	case KRAKEN_TIER_INTERMEDIATE: return "intermediate";
	case KRAKEN_TIER_PRO: return "pro";
	default: return "starter";
	}
}

int64_t kraken_trade_cost(enum kraken_trade_op op, uint64_t age_ms)
{
	static const uint64_t bounds[] = {5000, 10000, 15000, 45000, 90000, 300000};
	static const int64_t amend[] = {3, 2, 1, 0, 0, 0};
	static const int64_t edit[] = {6, 5, 4, 2, 1, 0};
	static const int64_t cancel[] = {8, 6, 5, 4, 2, 1};
	size_t b = 0;
	while (b < 6 && age_ms >= bounds[b])
		b++;
	switch (op) {
	case KTO_ADD: return RL_UNIT;
	case KTO_AMEND: return RL_UNIT + (b < 6 ? amend[b] * RL_UNIT : 0);
	case KTO_EDIT: return RL_UNIT + (b < 6 ? edit[b] * RL_UNIT : 0);
	case KTO_CANCEL: return b < 6 ? cancel[b] * RL_UNIT : 0;
	}
	return RL_UNIT;
}

int64_t kraken_trade_batch_add_cost(size_t n)
{
	return (int64_t)n * RL_UNIT / 2;
}

int64_t kraken_spot_rest_cost(const char *method)
{
	static const char *const trading[] = {"AddOrder",    "AddOrderBatch", "AmendOrder",
					      "EditOrder",   "CancelOrder",   "CancelOrderBatch"};
	static const char *const heavy[] = {"Ledgers", "QueryLedgers", "TradesHistory", "QueryTrades"};
	for (size_t i = 0; i < sizeof trading / sizeof trading[0]; i++)
		if (strcmp(method, trading[i]) == 0)
			return 0;
	for (size_t i = 0; i < sizeof heavy / sizeof heavy[0]; i++)
		if (strcmp(method, heavy[i]) == 0)
			return 4 * RL_UNIT;
	return RL_UNIT;
}
