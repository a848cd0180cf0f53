/* test_resilience_ws: the real Kraken client against the paper exchange's
 * WebSocket faults, in one process and one loop (tests/unit/resilience_util.h).
 * What each case proves:
 *   - spot_public_drop: the Spot public WebSocket dropped mid-stream (after N
 *     messages) reconnects by itself, resubscribes, and after the resync the
 *     client's book equals the exchange's at every subscribed level (100);
 *     an order placed while the feed was down and the orders placed before
 *     are all known to the client, once each;
 *   - futures_drop: the same for the Futures WebSocket (public and private
 *     feeds on one socket): reconnect, re-authenticate, full-depth book equal,
 *     orders agree;
 *   - spot_checksum: a corrupted Spot book checksum is detected
 *     (checksum_failures), the book is marked stale, resubscribed on the same
 *     connection and equal to the exchange's afterwards (stale cleared);
 *   - futures_seq_gap: a skipped Futures book seq is detected (seq_gaps), the
 *     book resubscribed and equal afterwards.
 * Books are compared with the simulator stopped (a still book), waiting until
 * the last messages in flight have arrived. */
#include <stdio.h>
#include <string.h>

#include "tests/unit/resilience_util.h"
#include "tests/unit/unit.h"

struct since {
	enum feed_id feed;
	uint32_t ups;
	int instr;
	uint32_t fresh;
};

/* The feed came up again after a drop and the book was resynced since. */
static bool back_and_resynced(struct rz *z, void *arg)
{
	struct since *s = arg;
	const struct market *m = state_market_peek(&z->st, s->instr);
	return z->feed_ups[s->feed] > s->ups && m && m->book.valid && !m->stale &&
	       z->fresh_again > s->fresh;
}

static bool ws_dropped(struct rz *z, void *arg)
{
	(void)arg;
	return rz_fstate(z)->n_ws_dropped > 0;
}

static bool feed_down(struct rz *z, void *arg)
{
	return !rz_feed_is_up(z, arg);
}

/* Two resting orders per product, so that "no order lost" has something to check. */
static void place_resting(struct rz *z, int spot, int fut)
{
	for (int i = 0; i < 2; i++) {
		struct order_req r =
		        rz_passive_limit(z, i ? fut : spot, i ? SIDE_SELL : SIDE_BUY, 5, 1);
		struct intent_result res = rz_place(z, &r);
		if (res.status != INTENT_OK)
			fail_msg("resting order: %s", res.message);
	}
}

/* Drop `path` mid-stream; returns the reconnect time in ms. */
static int64_t drop_and_recover(struct rz *z, const char *path, enum feed_id feed, int instr,
                                int other_instr)
{
	const struct market *m = state_market_peek(&z->st, instr);
	struct since s = {feed, z->feed_ups[feed], instr, z->fresh_again};
	uint32_t stale0 = z->stale_seen;
	char json[128];
	snprintf(json, sizeof json, "{\"ws\":{\"path\":\"%s\",\"drop_after\":150}}", path);
	rz_faults(z, json);
	assert_true(rz_wait(z, ws_dropped, NULL, 20000));
	int64_t t_drop = rz_now_ms();
	/* the new connection must live: switch the drop off at once (the
	 * client waits at least its backoff before reconnecting) */
	rz_faults(z, "{\"ws\":{}}");
	assert_int_equal(rz_fstate(z)->n_ws_dropped, 1);
	/* while the feed is down, an order still goes over REST and lands once */
	assert_true(rz_wait(z, feed_down, (void *)(intptr_t)feed, 10000));
	struct order_req r = rz_passive_limit(z, other_instr, SIDE_BUY, 6, 1);
	struct intent_result res = rz_place(z, &r);
	assert_int_equal(res.status, INTENT_OK);
	assert_int_equal(
	        rz_px_count_cl(z, state_instrument(&z->st, other_instr)->product, r.cl_id, NULL, 0),
	        1);
	if (!rz_wait(z, back_and_resynced, &s, 30000))
		fail_msg("%s: no reconnect and resync (feed %s, ups %u -> %u, fresh %u -> %u, "
		         "valid %d, stale %d)",
		         path, feed_state_name(z->st.feeds[feed].state), s.ups, z->feed_ups[feed],
		         s.fresh, z->fresh_again, m->book.valid, m->stale);
	assert_true(z->feed_downs[feed] >= 1);
	assert_true(z->stale_seen > stale0); /* shown stale while it was away */
	return z->feed_up_ms[feed] - t_drop;
}

static void spot_public_drop(void **state)
{
	struct rz *z = *state;
	rz_open(z, NULL);
	int btc = rz_instr(z, "BTC/USD"), fut = rz_instr(z, "PF_XBTUSD");
	rz_watch(z, btc, 100);
	place_resting(z, btc, fut);
	int64_t ms = drop_and_recover(z, "/v2", FEED_SPOT_PUBLIC, btc, btc);
	/* the other feeds were not touched */
	assert_int_equal(z->feed_downs[FEED_SPOT_PRIVATE], 0);
	assert_int_equal(z->feed_downs[FEED_FUT_PUBLIC], 0);
	rz_pump(z, 500); /* deltas after the new snapshot too */
	rz_sim_stop(z);
	size_t n = rz_assert_books_equal(z, btc, 100);
	assert_int_equal(n, 100);
	size_t open = rz_assert_orders_agree(z);
	assert_int_equal(open, 3);
	printf("# spot public: reconnected and resynced %lld ms after the drop; %zu levels equal\n",
	       (long long)ms, n);
	rz_close(z);
}

static void futures_drop(void **state)
{
	struct rz *z = *state;
	rz_open(z, NULL);
	int btc = rz_instr(z, "BTC/USD"), fut = rz_instr(z, "PF_XBTUSD");
	rz_watch(z, fut, 100);
	place_resting(z, btc, fut);
	uint32_t priv_ups = z->feed_ups[FEED_FUT_PRIVATE];
	int64_t ms = drop_and_recover(z, "/ws/v1", FEED_FUT_PUBLIC, fut, fut);
	/* the private feeds of the same socket came back, authenticated again */
	assert_true(rz_wait(z, rz_feed_is_up, (void *)(intptr_t)FEED_FUT_PRIVATE, 20000));
	assert_true(z->feed_ups[FEED_FUT_PRIVATE] > priv_ups);
	assert_int_equal(z->feed_downs[FEED_SPOT_PUBLIC], 0);
	rz_pump(z, 500);
	rz_sim_stop(z);
	size_t n = rz_assert_books_equal(z, fut, 0);
	assert_true(n >= 100);
	size_t open = rz_assert_orders_agree(z);
	assert_int_equal(open, 3);
	printf("# futures: reconnected and resynced %lld ms after the drop; %zu+ levels equal\n",
	       (long long)ms, n);
	rz_close(z);
}

struct fault_seen {
	int instr;
	uint32_t count0, resyncs0, fresh0;
	bool gap; /* seq_gaps, else checksum_failures */
};

static bool detected_and_resynced(struct rz *z, void *arg)
{
	struct fault_seen *f = arg;
	const struct market *m = state_market_peek(&z->st, f->instr);
	uint32_t c = f->gap ? m->seq_gaps : m->checksum_failures;
	return c > f->count0 && m->resyncs > f->resyncs0 && z->fresh_again > f->fresh0 &&
	       m->book.valid && !m->stale;
}

static void spot_checksum(void **state)
{
	struct rz *z = *state;
	rz_open(z, NULL);
	int btc = rz_instr(z, "BTC/USD");
	rz_watch(z, btc, 100);
	rz_pump(z, 300);
	const struct market *m = state_market_peek(&z->st, btc);
	struct fault_seen f = {btc, m->checksum_failures, m->resyncs, z->fresh_again, false};
	uint32_t stale0 = z->stale_seen;
	uint32_t ups = z->feed_ups[FEED_SPOT_PUBLIC];
	int64_t t0 = rz_now_ms();
	rz_faults(z, "{\"spot_checksum\":1}");
	if (!rz_wait(z, detected_and_resynced, &f, 20000))
		fail_msg("checksum failures %u, resyncs %u, stale %d", m->checksum_failures,
		         m->resyncs, m->stale);
	int64_t ms = rz_now_ms() - t0;
	assert_int_equal(rz_fstate(z)->n_checksums, 1);
	assert_int_equal(m->checksum_failures, f.count0 + 1);
	assert_true(z->stale_seen > stale0);                  /* it was shown stale meanwhile */
	assert_int_equal(z->feed_ups[FEED_SPOT_PUBLIC], ups); /* same connection */
	rz_pump(z, 500);
	rz_sim_stop(z);
	size_t n = rz_assert_books_equal(z, btc, 100);
	assert_int_equal(n, 100);
	assert_false(m->stale);
	printf("# spot checksum: detected and resynced in %lld ms; %zu levels equal\n",
	       (long long)ms, n);
	rz_close(z);
}

static void futures_seq_gap(void **state)
{
	struct rz *z = *state;
	rz_open(z, NULL);
	int fut = rz_instr(z, "PF_XBTUSD");
	rz_watch(z, fut, 100);
	rz_pump(z, 300);
	const struct market *m = state_market_peek(&z->st, fut);
	struct fault_seen f = {fut, m->seq_gaps, m->resyncs, z->fresh_again, true};
	uint32_t stale0 = z->stale_seen;
	uint32_t ups = z->feed_ups[FEED_FUT_PUBLIC];
	int64_t t0 = rz_now_ms();
	rz_faults(z, "{\"fut_seq_skip\":1}");
	if (!rz_wait(z, detected_and_resynced, &f, 20000))
		fail_msg("seq gaps %u, resyncs %u, stale %d", m->seq_gaps, m->resyncs, m->stale);
	int64_t ms = rz_now_ms() - t0;
	assert_int_equal(rz_fstate(z)->n_seq_skips, 1);
	assert_int_equal(m->seq_gaps, f.count0 + 1);
	assert_true(z->stale_seen > stale0);
	assert_int_equal(z->feed_ups[FEED_FUT_PUBLIC], ups);
	rz_pump(z, 500);
	rz_sim_stop(z);
	size_t n = rz_assert_books_equal(z, fut, 0);
	assert_true(n >= 100);
	printf("# futures seq gap: detected and resynced in %lld ms; %zu+ levels equal\n",
	       (long long)ms, n);
	rz_close(z);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test_setup_teardown(spot_public_drop, rz_setup, rz_teardown),
	        cmocka_unit_test_setup_teardown(futures_drop, rz_setup, rz_teardown),
	        cmocka_unit_test_setup_teardown(spot_checksum, rz_setup, rz_teardown),
	        cmocka_unit_test_setup_teardown(futures_seq_gap, rz_setup, rz_teardown),
	};
	return kt_run_tests(tests);
}
