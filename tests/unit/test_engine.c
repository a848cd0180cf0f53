/* test_engine: the matching engine's core matching. Crossing and partial
 * fills, price-time priority, market orders (walking, empty book, price
 * protection), post-only per product, IOC, FOK, GTD expiry, icebergs, request
 * validation, event order and re-entrancy. */
#include <string.h>

#include "tests/unit/unit.h"
#include "tests/unit/engine_util.h"

#define B ENGINE_BUY
#define S ENGINE_SELL
#define SIDE(t, s, ...)                                                                            \
	do {                                                                                       \
		const int64_t pq_[] = {__VA_ARGS__};                                               \
		th_assert_side(t, s, pq_, sizeof pq_ / sizeof pq_[0] / 2);                         \
	} while (0)
#define EMPTY(t, s) th_assert_side(t, s, NULL, 0)

/* A taker fills at the maker's price; the unfilled rest of the taker rests. */
static void cross_and_partial_fills(void **state)
{
	struct th *t = th_new(ENGINE_SPOT, 0);
	uint64_t s1 = th_limit(t, 1, S, 5, 100);
	th_clear(t);
	struct engine_req r = {
	        .account = 2, .side = B, .type = ENGINE_T_LIMIT, .qty = 3, .price = 101};
	struct engine_result res;
	uint64_t b1 = th_submit(t, &r, &res);
	assert_int_equal(res.status, ENGINE_S_FILLED);
	assert_int_equal(res.filled, 3);
	const struct tev *tr = th_find(t, ENGINE_EV_TRADE, b1);
	assert_non_null(tr);
	assert_int_equal(tr->maker, s1);
	assert_int_equal(tr->price, 100); /* the maker's price, not the taker's limit */
	assert_int_equal(tr->qty, 3);
	assert_int_equal(tr->side, B);
	const struct engine_order *m = engine_order_get(t->eng, s1);
	assert_non_null(m);
	assert_int_equal(m->status, ENGINE_S_PARTIAL);
	assert_int_equal(m->filled, 3);
	SIDE(t, S, 100, 2);

	r.qty = 4;
	r.price = 100;
	uint64_t b2 = th_submit(t, &r, &res);
	assert_int_equal(res.status, ENGINE_S_PARTIAL);
	assert_int_equal(res.filled, 2);
	assert_null(engine_order_get(t->eng, s1));
	assert_int_equal(th_find(t, ENGINE_EV_CLOSED, s1)->status, ENGINE_S_FILLED);
	EMPTY(t, S);
	SIDE(t, B, 100, 2);
	assert_int_equal(engine_order_get(t->eng, b2)->shown, 2);
	int64_t last = 0;
	assert_int_equal(engine_reference(t->eng, ENGINE_REF_LAST, &last), 0);
	assert_int_equal(last, 100);
	th_free(t);
}

/* Same price: arrival order. Better price first regardless of arrival. */
static void price_time_priority(void **state)
{
	struct th *t = th_new(ENGINE_SPOT, 0);
	uint64_t a = th_limit(t, 1, S, 1, 100);
	uint64_t b = th_limit(t, 2, S, 1, 100);
	uint64_t c = th_limit(t, 3, S, 1, 99);
	SIDE(t, S, 99, 1, 100, 2);
	th_clear(t);
	th_limit(t, 4, B, 3, 100);
	assert_int_equal(th_count(t, ENGINE_EV_TRADE), 3);
	assert_int_equal(th_nth(t, ENGINE_EV_TRADE, 0)->maker, c);
	assert_int_equal(th_nth(t, ENGINE_EV_TRADE, 0)->price, 99);
	assert_int_equal(th_nth(t, ENGINE_EV_TRADE, 1)->maker, a);
	assert_int_equal(th_nth(t, ENGINE_EV_TRADE, 2)->maker, b);
	assert_true(th_nth(t, ENGINE_EV_TRADE, 1)->trade_id <
	            th_nth(t, ENGINE_EV_TRADE, 2)->trade_id);
	EMPTY(t, S);
	EMPTY(t, B);
	th_free(t);
}

/* A market order walks levels; one LEVEL event per level, after the trades. */
static void market_walks_levels(void **state)
{
	struct th *t = th_new(ENGINE_SPOT, 0);
	th_limit(t, 1, S, 1, 100);
	th_limit(t, 1, S, 2, 101);
	th_limit(t, 1, S, 3, 102);
	th_clear(t);
	struct engine_req r = {.account = 2, .side = B, .type = ENGINE_T_MARKET, .qty = 4};
	struct engine_result res;
	th_submit(t, &r, &res);
	assert_int_equal(res.status, ENGINE_S_FILLED);
	assert_int_equal(th_count(t, ENGINE_EV_TRADE), 3);
	assert_int_equal(th_nth(t, ENGINE_EV_TRADE, 0)->price, 100);
	assert_int_equal(th_nth(t, ENGINE_EV_TRADE, 1)->price, 101);
	assert_int_equal(th_nth(t, ENGINE_EV_TRADE, 2)->price, 102);
	assert_int_equal(th_nth(t, ENGINE_EV_TRADE, 2)->qty, 1);
	assert_int_equal(th_count(t, ENGINE_EV_LEVEL), 3);
	const struct tev *l0 = th_nth(t, ENGINE_EV_LEVEL, 0), *l2 = th_nth(t, ENGINE_EV_LEVEL, 2);
	assert_int_equal(l0->price, 100);
	assert_int_equal(l0->qty, 0);
	assert_int_equal(th_nth(t, ENGINE_EV_LEVEL, 1)->qty, 0);
	assert_int_equal(l2->price, 102);
	assert_int_equal(l2->qty, 2);
	assert_int_equal(l2->side, S);
	assert_true(th_index(t, ENGINE_EV_LEVEL, 0) > th_index(t, ENGINE_EV_CLOSED, res.id));
	SIDE(t, S, 102, 2);
	th_free(t);
}

/* Market orders with no (or too little) liquidity are cancelled. */
static void market_empty_book(void **state)
{
	struct th *t = th_new(ENGINE_SPOT, 0);
	struct engine_req r = {.account = 2, .side = S, .type = ENGINE_T_MARKET, .qty = 4};
	struct engine_result res;
	uint64_t id = th_submit(t, &r, &res);
	assert_int_equal(res.status, ENGINE_S_CANCELLED);
	assert_int_equal(res.reason, ENGINE_R_NO_LIQUIDITY);
	assert_int_equal(res.filled, 0);
	assert_true(th_index(t, ENGINE_EV_ACCEPTED, id) < th_index(t, ENGINE_EV_CLOSED, id));
	assert_int_equal(th_count(t, ENGINE_EV_LEVEL), 0);
	assert_int_equal(engine_order_count(t->eng), 0);

	th_limit(t, 1, B, 3, 90);
	th_submit(t, &r, &res);
	assert_int_equal(res.status, ENGINE_S_CANCELLED);
	assert_int_equal(res.reason, ENGINE_R_NO_LIQUIDITY);
	assert_int_equal(res.filled, 3);
	EMPTY(t, B);
	th_free(t);
}

/* The 1% collar stops a market order; NO_MPP lifts it. */
static void market_price_protection(void **state)
{
	struct th *t = th_new(ENGINE_FUTURES, 10000);
	th_limit(t, 1, S, 1, 10000);
	th_limit(t, 1, S, 1, 10100);
	th_limit(t, 1, S, 1, 10200);
	struct engine_req r = {.account = 2, .side = B, .type = ENGINE_T_MARKET, .qty = 3};
	struct engine_result res;
	th_submit(t, &r, &res);
	assert_int_equal(res.filled, 2); /* 10000 and 10100 are within 1% of 10000 */
	assert_int_equal(res.status, ENGINE_S_CANCELLED);
	assert_int_equal(res.reason, ENGINE_R_PRICE_PROTECTION);
	SIDE(t, S, 10200, 1);

	th_limit(t, 1, S, 1, 10000);
	r.flags = ENGINE_F_NO_MPP;
	r.qty = 2;
	th_submit(t, &r, &res);
	assert_int_equal(res.filled, 2);
	assert_int_equal(res.status, ENGINE_S_FILLED);
	th_free(t);
}

/* Spot: a crossing post-only order is accepted, then cancelled "Post only order". */
static void post_only_spot(void **state)
{
	struct th *t = th_new(ENGINE_SPOT, 0);
	th_limit(t, 1, S, 1, 100);
	th_clear(t);
	struct engine_req r = {.account = 2,
	                       .side = B,
	                       .type = ENGINE_T_LIMIT,
	                       .qty = 1,
	                       .price = 100,
	                       .flags = ENGINE_F_POST_ONLY};
	struct engine_result res;
	uint64_t id = th_submit(t, &r, &res);
	assert_int_equal(res.status, ENGINE_S_CANCELLED);
	assert_int_equal(res.reason, ENGINE_R_POST_ONLY);
	assert_non_null(th_find(t, ENGINE_EV_ACCEPTED, id));
	assert_string_equal(engine_reason_str(res.reason), "Post only order");
	assert_int_equal(th_count(t, ENGINE_EV_TRADE), 0);
	SIDE(t, S, 100, 1);
	r.price = 99;
	th_submit(t, &r, &res);
	assert_int_equal(res.status, ENGINE_S_OPEN);
	SIDE(t, B, 99, 1);
	th_free(t);
}

/* Futures: a crossing post-only order is rejected before acceptance. */
static void post_only_futures(void **state)
{
	struct th *t = th_new(ENGINE_FUTURES, 0);
	th_limit(t, 1, B, 1, 100);
	th_clear(t);
	struct engine_req r = {.account = 2,
	                       .side = S,
	                       .type = ENGINE_T_LIMIT,
	                       .qty = 1,
	                       .price = 99,
	                       .flags = ENGINE_F_POST_ONLY};
	struct engine_result res;
	uint64_t id = th_submit(t, &r, &res);
	assert_int_equal(res.status, ENGINE_S_REJECTED);
	assert_int_equal(res.reason, ENGINE_R_POST_ONLY);
	assert_null(th_find(t, ENGINE_EV_ACCEPTED, id));
	assert_non_null(th_find(t, ENGINE_EV_CLOSED, id));
	assert_int_equal(th_count(t, ENGINE_EV_LEVEL), 0);
	th_free(t);
}

/* IOC fills what crosses and cancels the rest; nothing rests. */
static void ioc_remainder_cancelled(void **state)
{
	struct th *t = th_new(ENGINE_SPOT, 0);
	th_limit(t, 1, S, 2, 100);
	th_limit(t, 1, S, 2, 102);
	struct engine_req r = {.account = 2,
	                       .side = B,
	                       .type = ENGINE_T_LIMIT,
	                       .tif = ENGINE_IOC,
	                       .qty = 5,
	                       .price = 101};
	struct engine_result res;
	th_submit(t, &r, &res);
	assert_int_equal(res.filled, 2);
	assert_int_equal(res.status, ENGINE_S_CANCELLED);
	assert_int_equal(res.reason, ENGINE_R_IOC_REMAINDER);
	EMPTY(t, B);
	th_submit(t, &r, &res);
	assert_int_equal(res.filled, 0);
	assert_int_equal(res.reason, ENGINE_R_IOC_REMAINDER);
	SIDE(t, S, 102, 2);
	th_free(t);
}

/* FOK: all at once or nothing, across levels, counting iceberg reserves. */
static void fok_all_or_nothing(void **state)
{
	struct th *t = th_new(ENGINE_FUTURES, 0);
	th_limit(t, 1, S, 2, 100);
	th_limit(t, 1, S, 2, 101);
	th_clear(t);
	struct engine_req r = {.account = 2,
	                       .side = B,
	                       .type = ENGINE_T_LIMIT,
	                       .tif = ENGINE_FOK,
	                       .qty = 5,
	                       .price = 101};
	struct engine_result res;
	th_submit(t, &r, &res);
	assert_int_equal(res.status, ENGINE_S_CANCELLED);
	assert_int_equal(res.reason, ENGINE_R_FOK_UNFILLED);
	assert_int_equal(res.filled, 0);
	assert_int_equal(th_count(t, ENGINE_EV_TRADE), 0);
	assert_int_equal(th_count(t, ENGINE_EV_LEVEL), 0);
	r.qty = 3;
	r.price = 100;
	th_submit(t, &r, &res);
	assert_int_equal(res.reason, ENGINE_R_FOK_UNFILLED);
	SIDE(t, S, 100, 2, 101, 2);
	r.price = 101;
	th_submit(t, &r, &res);
	assert_int_equal(res.status, ENGINE_S_FILLED);
	SIDE(t, S, 101, 1);
	/* An iceberg's hidden part counts: it refills at the same price. */
	struct engine_req ice = {.account = 1,
	                         .side = S,
	                         .type = ENGINE_T_ICEBERG,
	                         .qty = 6,
	                         .display = 1,
	                         .price = 101};
	th_submit(t, &ice, NULL);
	r.qty = 7;
	th_submit(t, &r, &res);
	assert_int_equal(res.status, ENGINE_S_FILLED);
	EMPTY(t, S);
	th_free(t);
}

/* GTD orders expire at their time, in expiry order; engine_tick drives it. */
static void gtd_expiry(void **state)
{
	struct th *t = th_new(ENGINE_SPOT, 0);
	struct engine_req r = {.account = 1,
	                       .side = B,
	                       .type = ENGINE_T_LIMIT,
	                       .tif = ENGINE_GTD,
	                       .qty = 2,
	                       .price = 100,
	                       .expire_ns = 5000};
	uint64_t a = th_submit(t, &r, NULL);
	r.expire_ns = 3000;
	r.price = 99;
	uint64_t b = th_submit(t, &r, NULL);
	r.expire_ns = 9000;
	r.price = 98;
	uint64_t c = th_submit(t, &r, NULL);
	th_limit(t, 2, S, 1, 100); /* a is partly filled: still expires */
	th_clear(t);
	engine_tick(t->eng, 2999);
	assert_int_equal(th_count(t, ENGINE_EV_CLOSED), 0);
	engine_tick(t->eng, 5000);
	assert_int_equal(th_count(t, ENGINE_EV_CLOSED), 2);
	assert_int_equal(th_nth(t, ENGINE_EV_CLOSED, 0)->id, b);
	assert_int_equal(th_nth(t, ENGINE_EV_CLOSED, 1)->id, a);
	assert_int_equal(th_nth(t, ENGINE_EV_CLOSED, 1)->status, ENGINE_S_EXPIRED);
	assert_int_equal(th_nth(t, ENGINE_EV_CLOSED, 1)->reason, ENGINE_R_EXPIRED);
	assert_int_equal(th_nth(t, ENGINE_EV_CLOSED, 1)->filled, 1);
	assert_int_equal(th_count(t, ENGINE_EV_LEVEL), 2);
	SIDE(t, B, 98, 2);
	assert_non_null(engine_order_get(t->eng, c));
	/* An expiry that is not in the future is refused. */
	struct kerr err = KERR_INIT;
	r.expire_ns = 5000;
	assert_int_equal(engine_submit(t->eng, &r, NULL, &err), -1);
	assert_int_equal(err.code, ENGINE_R_INVALID_EXPIRY);
	th_free(t);
}

/* An iceberg shows its slice; each refill goes to the back of the queue. */
static void iceberg_refill_priority(void **state)
{
	struct th *t = th_new(ENGINE_SPOT, 0);
	struct engine_req r = {.account = 1,
	                       .side = S,
	                       .type = ENGINE_T_ICEBERG,
	                       .qty = 10,
	                       .display = 2,
	                       .price = 100};
	uint64_t ice = th_submit(t, &r, NULL);
	uint64_t lim = th_limit(t, 2, S, 3, 100);
	SIDE(t, S, 100, 5);
	assert_int_equal(engine_order_get(t->eng, ice)->shown, 2);
	th_clear(t);
	th_limit(t, 3, B, 2, 100); /* takes the iceberg's slice: it was first */
	assert_int_equal(th_nth(t, ENGINE_EV_TRADE, 0)->maker, ice);
	const struct tev *u = th_find(t, ENGINE_EV_UPDATED, ice);
	assert_non_null(u);
	assert_int_equal(u->what, ENGINE_UPD_ICEBERG_REFILL);
	assert_int_equal(u->shown, 2);
	SIDE(t, S, 100, 5);
	assert_int_equal(th_count(t, ENGINE_EV_LEVEL), 0); /* 5 before, 5 after */
	th_clear(t);
	th_limit(t, 3, B, 3, 100); /* now the plain order is first */
	assert_int_equal(th_count(t, ENGINE_EV_TRADE), 1);
	assert_int_equal(th_nth(t, ENGINE_EV_TRADE, 0)->maker, lim);
	SIDE(t, S, 100, 2);
	th_clear(t);
	th_limit(t, 3, B, 5, 100); /* eats slices: 2, refill, 2, refill, 1 */
	assert_int_equal(th_count(t, ENGINE_EV_TRADE), 3);
	assert_int_equal(th_count(t, ENGINE_EV_LEVEL), 1);
	SIDE(t, S, 100, 1);
	const struct engine_order *o = engine_order_get(t->eng, ice);
	assert_int_equal(o->filled, 7);
	assert_int_equal(o->shown, 1);
	th_free(t);
}

/* Bad requests fail with a reason and create nothing. */
static void request_validation(void **state)
{
	struct th *t = th_new(ENGINE_SPOT, 0);
	struct engine_instrument meta = {
	        .id = 1, .symbol = "X", .tick = 5, .lot = 10, .min_qty = 20};
	struct engine *eng = engine_new(&meta, NULL, NULL);
	struct kerr err = KERR_INIT;
	struct engine_req ok = {.side = B, .type = ENGINE_T_LIMIT, .qty = 20, .price = 100};
	assert_int_equal(engine_check(eng, &ok, &err), 0);
	struct {
		struct engine_req r;
		int code;
	} bad[] = {
	        {{.side = B, .type = ENGINE_T_LIMIT, .qty = 20, .price = 101},
	         ENGINE_R_INVALID_PRICE},
	        {{.side = B, .type = ENGINE_T_LIMIT, .qty = 25, .price = 100},
	         ENGINE_R_INVALID_SIZE},
	        {{.side = B, .type = ENGINE_T_LIMIT, .qty = 10, .price = 100},
	         ENGINE_R_INVALID_SIZE},
	        {{.side = B, .type = ENGINE_T_LIMIT, .qty = 20}, ENGINE_R_INVALID_PRICE},
	        {{.side = B, .type = ENGINE_T_MARKET, .qty = 20, .price = 100}, ENGINE_R_INVALID},
	        {{.side = B, .type = ENGINE_T_MARKET, .qty = 20, .flags = ENGINE_F_POST_ONLY},
	         ENGINE_R_INVALID},
	        {{.side = B, .type = ENGINE_T_STOP_LOSS, .qty = 20}, ENGINE_R_INVALID_PRICE},
	        {{.side = B, .type = ENGINE_T_TRAILING_STOP, .qty = 20}, ENGINE_R_INVALID_PRICE},
	        {{.side = B,
	          .type = ENGINE_T_TRAILING_STOP,
	          .qty = 20,
	          .trigger = 100,
	          .trail = {5, ENGINE_OFF_PRICE}},
	         ENGINE_R_INVALID},
	        {{.side = B, .type = ENGINE_T_ICEBERG, .qty = 300, .display = 10, .price = 100},
	         ENGINE_R_INVALID_SIZE},
	        {{.side = B, .type = ENGINE_T_LIMIT, .qty = 20, .price = 100, .display = 10},
	         ENGINE_R_INVALID},
	        {{.side = B,
	          .type = ENGINE_T_LIMIT,
	          .qty = 20,
	          .price = 100,
	          .flags = ENGINE_F_POST_ONLY,
	          .tif = ENGINE_IOC},
	         ENGINE_R_INVALID},
	        {{.side = B,
	          .type = ENGINE_T_LIMIT,
	          .qty = 20,
	          .price = 100,
	          .close = {.type = ENGINE_T_MARKET}},
	         ENGINE_R_INVALID},
	        {{.side = B,
	          .type = ENGINE_T_LIMIT,
	          .qty = 20,
	          .price = 100,
	          .close = {.type = ENGINE_T_LIMIT, .price = 3}},
	         ENGINE_R_INVALID_PRICE},
	        {{.side = B, .type = ENGINE_T_COUNT, .qty = 20}, ENGINE_R_INVALID},
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		kerr_clear(&err);
		struct engine_result res;
		assert_int_equal(engine_submit(eng, &bad[i].r, &res, &err), -1);
		assert_int_equal(err.code, bad[i].code);
		assert_int_equal(res.id, 0);
		assert_true(strlen(err.msg) > 0);
	}
	assert_int_equal(engine_order_count(eng), 0);
	engine_free(eng);
	th_free(t);
}

/* ACCEPTED precedes trades, trades precede the taker's CLOSED, LEVEL events
 * come last; mutating calls from a callback are refused. */
static void event_order_and_reentrancy(void **state)
{
	struct th *t = th_new(ENGINE_SPOT, 0);
	uint64_t m = th_limit(t, 1, S, 1, 100);
	th_clear(t);
	t->try_reenter = 1;
	uint64_t k = th_limit(t, 2, B, 1, 100);
	assert_int_equal(t->reenter_rc, ENGINE_R_BUSY);
	long acc = th_index(t, ENGINE_EV_ACCEPTED, k), tr = th_index(t, ENGINE_EV_TRADE, k);
	long mc = th_index(t, ENGINE_EV_CLOSED, m), kc = th_index(t, ENGINE_EV_CLOSED, k);
	long lv = th_index(t, ENGINE_EV_LEVEL, 0);
	assert_true(acc >= 0 && acc < tr && tr < mc && mc < kc && kc < lv);
	assert_int_equal(engine_order_count(t->eng), 0);
	th_free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(cross_and_partial_fills),
	        cmocka_unit_test(price_time_priority),
	        cmocka_unit_test(market_walks_levels),
	        cmocka_unit_test(market_empty_book),
	        cmocka_unit_test(market_price_protection),
	        cmocka_unit_test(post_only_spot),
	        cmocka_unit_test(post_only_futures),
	        cmocka_unit_test(ioc_remainder_cancelled),
	        cmocka_unit_test(fok_all_or_nothing),
	        cmocka_unit_test(gtd_expiry),
	        cmocka_unit_test(iceberg_refill_priority),
	        cmocka_unit_test(request_validation),
	        cmocka_unit_test(event_order_and_reentrancy),
	};
	return kt_run_tests(tests);
}
