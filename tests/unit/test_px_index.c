/* test_px_index: a spot pair's index price (trigger=index orders) without the market
 * simulator: it starts at the pair's reference price and then follows the last
 * trade, as a futures contract's mark and index do, so an index stop can fire. */
#include "tests/unit/test_px_util.h"

static void spot_index_follows_last(void **state)
{
	(void)state;
	struct px *px = px_test_new();
	uint32_t u = px_test_user(px, "100000", NULL), v = px_test_user(px, "100000", NULL);
	const struct px_instr *btc = I(px, "BTC/USD");

	/* at first the index is the pair's reference price */
	assert_true(dec_eq(px_ref_price(px, btc, ENGINE_REF_INDEX),
			   px_ref_price(px, btc, ENGINE_REF_LAST)));

	/* then it follows the last trade */
	px_mkt_limit(px, btc, ENGINE_SELL, "0.01", "50000");
	struct px_place t = px_req(v, btc, ENGINE_BUY, ENGINE_T_MARKET, "0.01", NULL);
	px_must_place(px, &t, NULL, NULL); /* last = 50000 */
	assert_dec(px_ref_price(px, btc, ENGINE_REF_INDEX), "50000");

	/* a buy stop-loss on the index at 51000 waits */
	struct px_place sl = px_req(u, btc, ENGINE_BUY, ENGINE_T_STOP_LOSS, "0.01", NULL);
	sl.trigger = px_price_abs(D("51000"));
	sl.trigger_ref = ENGINE_REF_INDEX;
	char id[PX_ID_MAX];
	px_must_place(px, &sl, id, NULL);
	assert_int_equal(px_order_find(px, u, id)->status, ENGINE_S_PENDING);

	/* a trade at 51500 moves the index past the trigger: the stop buys at 52000 */
	px_mkt_limit(px, btc, ENGINE_SELL, "0.01", "51500");
	px_mkt_limit(px, btc, ENGINE_SELL, "0.01", "52000");
	px_must_place(px, &t, NULL, NULL);
	const struct px_order *o = px_order_find(px, u, id);
	assert_true(o->triggered);
	assert_int_equal(o->status, ENGINE_S_FILLED);
	assert_dec(o->avg_price, "52000");
	px_free(px);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(spot_index_follows_last),
	};
	return kt_run_tests(tests);
}
