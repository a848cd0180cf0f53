/* ratelimit: Kraken's rate-limit counters, modelled on our side so requests
 * wait their turn instead of being refused.
 *
 * Three generic tools, all driven by a caller-supplied monotonic clock in
 * milliseconds (so tests inject time and never sleep):
 *   - rl_counter: a counter that rises by each call's cost and decays
 *     linearly (Kraken Spot: the REST call counter per API key, and the
 *     matching-engine counter per pair);
 *   - rl_window: a cost budget per sliding time window (Kraken Futures:
 *     500 cost units per 10 s on /derivatives);
 *   - rl_backoff_ms: exponential backoff with jitter after "slow down".
 * Plus Kraken Spot's numbers: the tier table and the matching-engine cost of
 * each order action by the order's age (kraken-protocol.md §1.4).
 *
 * Counter values are in milli-units (a cost of 1 is 1000) so fractional
 * decays such as 0.33/s or 2.34/s stay exact integers. No allocation except
 * in rl_window (its event ring, freed by rl_window_free). */
#ifndef KT_KRAKEN_RATELIMIT_H
#define KT_KRAKEN_RATELIMIT_H

#include <stddef.h>
#include <stdint.h>

#define RL_UNIT 1000 /* one counter unit in milli-units */

/* A linearly decaying counter. */
struct rl_counter {
	int64_t level; /* milli-units as of at_ms, >= 0 */
	int64_t max;   /* a call may go when level + cost <= max */
	int64_t decay; /* milli-units per second */
	uint64_t at_ms;
};

void rl_counter_init(struct rl_counter *c, int64_t max_milli, int64_t decay_milli_per_s);
/* Change max/decay (a new tier) keeping the current level. */
void rl_counter_set(struct rl_counter *c, int64_t max_milli, int64_t decay_milli_per_s);
/* The level after decay up to now_ms (also moves the counter's clock). */
int64_t rl_counter_level(struct rl_counter *c, uint64_t now_ms);
/* Milliseconds to wait before a call of `cost` fits under max (0: go now).
 * A cost larger than max fits once the counter has decayed to zero. */
uint64_t rl_counter_wait_ms(struct rl_counter *c, int64_t cost, uint64_t now_ms);
/* Count a call. */
void rl_counter_add(struct rl_counter *c, int64_t cost, uint64_t now_ms);
/* The server said we are over the limit: assume the counter is full. */
void rl_counter_fill(struct rl_counter *c, uint64_t now_ms);

/* A cost budget per sliding window. */
struct rl_window {
	int64_t budget;
	uint64_t window_ms;
	struct rl_window_ev {
		uint64_t t_ms;
		int64_t cost;
	} *ev;              /* ring of the calls inside the window */
	size_t head, n, cap;
	int64_t used;       /* sum of ev[].cost */
};

void rl_window_init(struct rl_window *w, int64_t budget, uint64_t window_ms);
void rl_window_free(struct rl_window *w);
/* Cost spent in the window ending at now_ms. */
int64_t rl_window_used(struct rl_window *w, uint64_t now_ms);
/* Milliseconds until a call of `cost` fits (0: go now). A cost above the
 * budget fits when the window is empty. */
uint64_t rl_window_wait_ms(struct rl_window *w, int64_t cost, uint64_t now_ms);
void rl_window_add(struct rl_window *w, int64_t cost, uint64_t now_ms);

/* Delay before retry number `attempt` (0-based): base * 2^attempt capped at
 * cap, then "equal jitter" — half fixed, half random from rnd — so many
 * clients do not retry in lock step, yet the delay never drops to zero. */
uint64_t rl_backoff_ms(unsigned attempt, uint64_t base_ms, uint64_t cap_ms, uint32_t rnd);

/* ---- Kraken Spot ---- */

/* Verification tiers (same order as the profile's cfg_tier). */
enum kraken_tier { KRAKEN_TIER_STARTER, KRAKEN_TIER_INTERMEDIATE, KRAKEN_TIER_PRO };

struct kraken_spot_limits {
	int64_t rest_max, rest_decay;   /* REST call counter: 15 / 0.33 s^-1 ... (milli) */
	int64_t trade_max, trade_decay; /* matching-engine counter per pair: 60 / 1 s^-1 ... */
	int max_open_orders;            /* per pair */
};

/* The table for a tier (an out-of-range tier gives Starter, the strictest). */
const struct kraken_spot_limits *kraken_spot_limits(enum kraken_tier tier);
const char *kraken_tier_name(enum kraken_tier tier);

/* Matching-engine actions. */
enum kraken_trade_op { KTO_ADD, KTO_AMEND, KTO_EDIT, KTO_CANCEL };

/* Cost (milli-units) of one action on an order of age `age_ms` (since it was
 * placed or last amended; ignored for KTO_ADD). Kraken: add +1; amend
 * +1 + 3/2/1/0/0/0; edit +1 + 6/5/4/2/1/0; cancel 8/6/5/4/2/1 for ages
 * < 5/10/15/45/90/300 s, nothing from 300 s on. */
int64_t kraken_trade_cost(enum kraken_trade_op op, uint64_t age_ms);
/* AddOrderBatch of n orders: n/2. */
int64_t kraken_trade_batch_add_cost(size_t n);

/* REST counter cost of a Spot method (milli-units): 0 for the trading
 * methods (AddOrder, AddOrderBatch, AmendOrder, EditOrder, CancelOrder,
 * CancelOrderBatch: they count on the matching-engine counter instead), 4 for
 * the ledger and trade-history methods (docs say +2, a newer copy +4: we
 * budget the safe +4), 1 for every other private method. */
int64_t kraken_spot_rest_cost(const char *method);

#endif
