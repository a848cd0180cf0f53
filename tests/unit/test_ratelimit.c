/* test_ratelimit: Kraken's counters modelled with an injected clock — the
 * decaying REST counter per tier (waits, decay, exact wait times), ledger
 * calls costing more, the matching-engine cost by order age, the sliding
 * cost window, and exponential backoff with bounded jitter. */
#include <string.h>

#include "kraken/ratelimit.h"
#include "tests/unit/unit.h"

static void counter_starter_tier(void **s)
{
	(void)s;
	const struct kraken_spot_limits *l = kraken_spot_limits(KRAKEN_TIER_STARTER);
	struct rl_counter c;
	rl_counter_init(&c, l->rest_max, l->rest_decay);
	uint64_t t = 1000000;
	for (int i = 0; i < 15; i++) {
		assert_int_equal(rl_counter_wait_ms(&c, RL_UNIT, t), 0);
		rl_counter_add(&c, RL_UNIT, t);
	}
	/* the 16th call waits until one unit has decayed: 1 / 0.33 s = 3031 ms */
	assert_int_equal(rl_counter_wait_ms(&c, RL_UNIT, t), 3031);
	assert_int_equal(rl_counter_wait_ms(&c, RL_UNIT, t + 3000), 31);
	assert_int_equal(rl_counter_wait_ms(&c, RL_UNIT, t + 3031), 0);
	/* it decays to zero and never below */
	assert_int_equal(rl_counter_level(&c, t + 100000), 0);
	assert_int_equal(rl_counter_level(&c, t + 200000), 0);
	/* a call costing more than the maximum goes once the counter is empty */
	assert_int_equal(rl_counter_wait_ms(&c, 20 * RL_UNIT, t + 200000), 0);
	rl_counter_add(&c, RL_UNIT, t + 200000);
	assert_true(rl_counter_wait_ms(&c, 20 * RL_UNIT, t + 200000) > 0);
	rl_counter_fill(&c, t + 200000);
	assert_int_equal(rl_counter_level(&c, t + 200000), 15 * RL_UNIT);
}

static void counter_other_tiers(void **s)
{
	(void)s;
	struct rl_counter c;
	const struct kraken_spot_limits *l = kraken_spot_limits(KRAKEN_TIER_INTERMEDIATE);
	rl_counter_init(&c, l->rest_max, l->rest_decay);
	for (int i = 0; i < 20; i++)
		rl_counter_add(&c, RL_UNIT, 0);
	assert_int_equal(rl_counter_wait_ms(&c, RL_UNIT, 0), 2000); /* 0.5 per second */
	l = kraken_spot_limits(KRAKEN_TIER_PRO);
	rl_counter_set(&c, l->rest_max, l->rest_decay);
	assert_int_equal(rl_counter_wait_ms(&c, RL_UNIT, 0), 1000); /* 1 per second */
	/* decay is exact over many small steps (no drift from rounding) */
	for (uint64_t t = 1; t <= 10000; t++)
		rl_counter_level(&c, t);
	assert_int_equal(rl_counter_level(&c, 10000), 10 * RL_UNIT);
	assert_int_equal(kraken_spot_limits(KRAKEN_TIER_PRO)->trade_max, 180 * RL_UNIT);
	assert_int_equal(kraken_spot_limits(KRAKEN_TIER_INTERMEDIATE)->trade_max, 125 * RL_UNIT);
	assert_int_equal(kraken_spot_limits((enum kraken_tier)7)->rest_max, 15 * RL_UNIT);
	assert_string_equal(kraken_tier_name(KRAKEN_TIER_PRO), "pro");
}

static void rest_costs(void **s)
{
	(void)s;
	assert_int_equal(kraken_spot_rest_cost("Balance"), RL_UNIT);
	assert_int_equal(kraken_spot_rest_cost("OpenOrders"), RL_UNIT);
	assert_int_equal(kraken_spot_rest_cost("Ledgers"), 4 * RL_UNIT);
	assert_int_equal(kraken_spot_rest_cost("QueryLedgers"), 4 * RL_UNIT);
	assert_int_equal(kraken_spot_rest_cost("TradesHistory"), 4 * RL_UNIT);
	assert_int_equal(kraken_spot_rest_cost("QueryTrades"), 4 * RL_UNIT);
	assert_int_equal(kraken_spot_rest_cost("AddOrder"), 0);
	assert_int_equal(kraken_spot_rest_cost("CancelOrder"), 0);
	assert_int_equal(kraken_spot_rest_cost("AmendOrder"), 0);
	/* A starter key fits three ledger calls, then waits 4 / 0.33 s. */
	struct rl_counter c;
	rl_counter_init(&c, 15 * RL_UNIT, 330);
	for (int i = 0; i < 3; i++) {
		assert_int_equal(rl_counter_wait_ms(&c, 4 * RL_UNIT, 0), 0);
		rl_counter_add(&c, 4 * RL_UNIT, 0);
	}
	assert_int_equal(rl_counter_wait_ms(&c, 4 * RL_UNIT, 0), 3031);
}

static void trade_cost_by_age(void **s)
{
	(void)s;
	static const struct {
		enum kraken_trade_op op;
		uint64_t age_ms;
		int64_t cost;
	} cases[] = {
		{KTO_ADD, 0, 1},	 {KTO_ADD, 999999, 1},
		{KTO_AMEND, 0, 4},	 {KTO_AMEND, 4999, 4},	  {KTO_AMEND, 5000, 3},
		{KTO_AMEND, 10000, 2},	 {KTO_AMEND, 15000, 1},	  {KTO_AMEND, 400000, 1},
		{KTO_EDIT, 0, 7},	 {KTO_EDIT, 9999, 6},	  {KTO_EDIT, 14999, 5},
		{KTO_EDIT, 44999, 3},	 {KTO_EDIT, 89999, 2},	  {KTO_EDIT, 299999, 1},
		{KTO_EDIT, 300000, 1},	 {KTO_CANCEL, 0, 8},	  {KTO_CANCEL, 5000, 6},
		{KTO_CANCEL, 10000, 5},	 {KTO_CANCEL, 15000, 4},  {KTO_CANCEL, 45000, 2},
		{KTO_CANCEL, 90000, 1},	 {KTO_CANCEL, 299999, 1}, {KTO_CANCEL, 300000, 0},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		int64_t got = kraken_trade_cost(cases[i].op, cases[i].age_ms);
		if (got != cases[i].cost * RL_UNIT)
			fail_msg("case %zu: cost %lld, want %lld", i, (long long)got,
				 (long long)cases[i].cost * RL_UNIT);
	}
	assert_int_equal(kraken_trade_batch_add_cost(15), 7500);
	/* Starter threshold 60 decaying 1/s: 60 fresh cancels of young orders
	 * would be 480; seven fit, the eighth waits 4 s. */
	struct rl_counter c;
	const struct kraken_spot_limits *l = kraken_spot_limits(KRAKEN_TIER_STARTER);
	rl_counter_init(&c, l->trade_max, l->trade_decay);
	for (int i = 0; i < 7; i++)
		rl_counter_add(&c, kraken_trade_cost(KTO_CANCEL, 0), 0);
	assert_int_equal(rl_counter_wait_ms(&c, kraken_trade_cost(KTO_CANCEL, 0), 0), 4000);
	/* an old order costs nothing to cancel, but still waits while over */
	assert_int_equal(rl_counter_wait_ms(&c, kraken_trade_cost(KTO_CANCEL, 600000), 0), 0);
}

static void sliding_window(void **s)
{
	(void)s;
	struct rl_window w;
	rl_window_init(&w, 500, 10000);
	rl_window_add(&w, 400, 0);
	rl_window_add(&w, 100, 5000);
	assert_int_equal(rl_window_used(&w, 5000), 500);
	assert_int_equal(rl_window_wait_ms(&w, 1, 5000), 5000);
	assert_int_equal(rl_window_wait_ms(&w, 1, 9999), 1);
	assert_int_equal(rl_window_wait_ms(&w, 1, 10000), 0);
	assert_int_equal(rl_window_used(&w, 10000), 100);
	assert_int_equal(rl_window_wait_ms(&w, 450, 10000), 5000);
	for (int i = 0; i < 100; i++) /* grows its ring */
		rl_window_add(&w, 1, 11000 + (uint64_t)i);
	assert_int_equal(rl_window_used(&w, 11100), 200);
	assert_int_equal(rl_window_used(&w, 30000), 0);
	assert_int_equal(rl_window_wait_ms(&w, 9999, 30000), 0);
	rl_window_free(&w);
}

static void backoff_jitter(void **s)
{
	(void)s;
	for (uint32_t rnd = 0; rnd < 2000; rnd += 37) {
		uint64_t d0 = rl_backoff_ms(0, 500, 30000, rnd);
		assert_true(d0 >= 250 && d0 <= 500);
		uint64_t d3 = rl_backoff_ms(3, 500, 30000, rnd);
		assert_true(d3 >= 2000 && d3 <= 4000);
		uint64_t d20 = rl_backoff_ms(20, 500, 30000, rnd);
		assert_true(d20 >= 15000 && d20 <= 30000);
	}
	assert_int_equal(rl_backoff_ms(1, 500, 30000, 0), 500);
	assert_int_equal(rl_backoff_ms(1, 500, 30000, 500), 1000);
	assert_true(rl_backoff_ms(0, 500, 30000, 123) != rl_backoff_ms(0, 500, 30000, 124));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(counter_starter_tier), cmocka_unit_test(counter_other_tiers),
		cmocka_unit_test(rest_costs),		cmocka_unit_test(trade_cost_by_age),
		cmocka_unit_test(sliding_window),	cmocka_unit_test(backoff_jitter),
	};
	return kt_run_tests(tests);
}
