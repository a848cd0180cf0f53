/* test_engine_trigger: stop-loss, take-profit, their limit variants and
 * trailing stops. Triggers fire on the reference they name (last trade, mark,
 * index), in the right direction for each side, and fired orders join the
 * book with a new time priority. Trailing triggers follow the price only in
 * the favourable direction, in price units or percent. */
#include "tests/unit/unit.h"
#include "tests/unit/engine_util.h"

#define B ENGINE_BUY
#define S ENGINE_SELL

static const struct tev *updated(const struct th *t, uint64_t id, enum engine_update what)
{
	for (size_t i = 0; i < t->n; i++)
		if (t->ev[i].kind == ENGINE_EV_UPDATED && t->ev[i].id == id &&
		    t->ev[i].what == what)
			return &t->ev[i];
	return NULL;
}

/* A stop-loss sell at 95 and a book to sell into. */
static uint64_t stop_in(struct th *t, enum engine_ref ref)
{
	th_limit(t, 1, B, 10, 90); /* liquidity for the triggered market sell */
	th_trade_at(t, 100);       /* last = 100 */
	struct engine_req r = {.account = 2,
	                       .side = S,
	                       .type = ENGINE_T_STOP_LOSS,
	                       .qty = 1,
	                       .trigger = 95,
	                       .trigger_ref = ref};
	struct engine_result res;
	uint64_t id = th_submit(t, &r, &res);
	assert_int_equal(res.status, ENGINE_S_PENDING);
	return id;
}

/* The same stop order, watching last, mark or index: only the one whose
 * reference crossed fires. */
static void trigger_reference_decides(void **state)
{
	enum engine_ref refs[] = {ENGINE_REF_LAST, ENGINE_REF_MARK, ENGINE_REF_INDEX};
	for (int i = 0; i < 3; i++) {
		struct th *t = th_new(ENGINE_FUTURES, 0);
		uint64_t id = stop_in(t, refs[i]);
		th_clear(t);
		/* mark falls to 94, index to 96, last trades at 97 */
		assert_int_equal(engine_set_reference(t->eng, ENGINE_REF_MARK, 94, NULL), 0);
		assert_int_equal(engine_set_reference(t->eng, ENGINE_REF_INDEX, 96, NULL), 0);
		th_trade_at(t, 97);
		const struct engine_order *o = engine_order_get(t->eng, id);
		if (refs[i] == ENGINE_REF_MARK) {
			assert_null(o);
			assert_non_null(updated(t, id, ENGINE_UPD_TRIGGERED));
			const struct tev *tr = th_find(t, ENGINE_EV_TRADE, id);
			assert_non_null(tr);
			assert_int_equal(tr->price, 90);
		} else {
			assert_non_null(o);
			assert_int_equal(o->status, ENGINE_S_PENDING);
			assert_int_equal(th_count(t, ENGINE_EV_UPDATED), 0);
		}
		/* and now every reference crosses */
		engine_set_reference(t->eng, ENGINE_REF_INDEX, 95, NULL);
		th_trade_at(t, 95);
		assert_null(engine_order_get(t->eng, id));
		th_free(t);
	}
}

/* Stop-loss buys fire on a rise, take-profit buys on a fall, and the reverse
 * for sells. */
static void trigger_directions(void **state)
{
	struct th *t = th_new(ENGINE_SPOT, 0);
	engine_set_reference(t->eng, ENGINE_REF_MARK, 100, NULL);
	struct engine_req r = {.account = 2, .qty = 1, .trigger_ref = ENGINE_REF_MARK};
	r.side = B, r.type = ENGINE_T_STOP_LOSS, r.trigger = 105;
	uint64_t slb = th_submit(t, &r, NULL);
	r.side = S, r.type = ENGINE_T_STOP_LOSS, r.trigger = 95;
	uint64_t sls = th_submit(t, &r, NULL);
	r.side = B, r.type = ENGINE_T_TAKE_PROFIT, r.trigger = 95;
	uint64_t tpb = th_submit(t, &r, NULL);
	r.side = S, r.type = ENGINE_T_TAKE_PROFIT, r.trigger = 105;
	uint64_t tps = th_submit(t, &r, NULL);
	assert_int_equal(engine_order_count(t->eng), 4);
	th_clear(t);
	engine_set_reference(t->eng, ENGINE_REF_MARK, 104, NULL);
	engine_set_reference(t->eng, ENGINE_REF_MARK, 96, NULL);
	assert_int_equal(th_count(t, ENGINE_EV_UPDATED), 0);
	engine_set_reference(t->eng, ENGINE_REF_MARK, 105, NULL);
	assert_non_null(updated(t, slb, ENGINE_UPD_TRIGGERED));
	assert_non_null(updated(t, tps, ENGINE_UPD_TRIGGERED));
	assert_null(updated(t, sls, ENGINE_UPD_TRIGGERED));
	assert_null(updated(t, tpb, ENGINE_UPD_TRIGGERED));
	engine_set_reference(t->eng, ENGINE_REF_MARK, 95, NULL);
	assert_non_null(updated(t, sls, ENGINE_UPD_TRIGGERED));
	assert_non_null(updated(t, tpb, ENGINE_UPD_TRIGGERED));
	/* empty book: the triggered market orders are cancelled */
	assert_int_equal(th_find(t, ENGINE_EV_CLOSED, slb)->reason, ENGINE_R_NO_LIQUIDITY);
	assert_int_equal(engine_order_count(t->eng), 0);
	th_free(t);
}

/* Stop-loss-limit rests at its limit after firing, behind orders already
 * there (new time priority); take-profit-limit may trade at once. */
static void stop_limit_and_take_profit_limit(void **state)
{
	struct th *t = th_new(ENGINE_SPOT, 0);
	th_trade_at(t, 100);
	struct engine_req r = {.account = 2,
	                       .side = S,
	                       .type = ENGINE_T_STOP_LOSS_LIMIT,
	                       .qty = 2,
	                       .trigger = 98,
	                       .price = 97};
	uint64_t sl = th_submit(t, &r, NULL);
	uint64_t early = th_limit(t, 3, S, 1, 97); /* placed after the stop */
	struct engine_level lv;
	assert_int_equal(engine_depth(t->eng, S, &lv, 1), 1);
	assert_int_equal(lv.qty, 1); /* pending stops are not in the book */
	engine_set_reference(t->eng, ENGINE_REF_LAST, 98, NULL);
	const struct engine_order *o = engine_order_get(t->eng, sl);
	assert_non_null(o);
	assert_int_equal(o->status, ENGINE_S_OPEN);
	assert_true(o->triggered);
	assert_int_equal(o->price, 97);
	engine_depth(t->eng, S, &lv, 1);
	assert_int_equal(lv.price, 97);
	assert_int_equal(lv.qty, 3);
	th_clear(t);
	th_limit(t, 4, B, 1, 97);
	assert_int_equal(th_nth(t, ENGINE_EV_TRADE, 0)->maker, early);

	th_free(t);

	/* take-profit-limit sell at 110, limit 105: fires and takes the 106 bid */
	t = th_new(ENGINE_SPOT, 0);
	th_trade_at(t, 100);
	th_limit(t, 5, B, 1, 106);
	r.type = ENGINE_T_TAKE_PROFIT_LIMIT;
	r.trigger = 110;
	r.price = 105;
	r.qty = 1;
	uint64_t tp = th_submit(t, &r, NULL);
	th_clear(t);
	engine_set_reference(t->eng, ENGINE_REF_LAST, 110, NULL);
	const struct tev *tr = th_find(t, ENGINE_EV_TRADE, tp);
	assert_non_null(tr);
	assert_int_equal(tr->price, 106);
	assert_int_equal(th_find(t, ENGINE_EV_CLOSED, tp)->status, ENGINE_S_FILLED);
	th_free(t);
}

/* A trigger that is already crossed fires as soon as it is placed. */
static void crossed_at_entry_fires(void **state)
{
	struct th *t = th_new(ENGINE_SPOT, 0);
	th_limit(t, 1, S, 1, 101);
	th_trade_at(t, 100);
	th_clear(t);
	struct engine_req r = {
	        .account = 2, .side = B, .type = ENGINE_T_STOP_LOSS, .qty = 1, .trigger = 99};
	struct engine_result res;
	uint64_t id = th_submit(t, &r, &res);
	assert_int_equal(res.status, ENGINE_S_FILLED);
	assert_true(th_index(t, ENGINE_EV_ACCEPTED, id) < th_index(t, ENGINE_EV_UPDATED, id));
	assert_int_equal(th_find(t, ENGINE_EV_TRADE, id)->price, 101);
	th_free(t);
}

/* One stop's fill moves the last price through another stop's trigger. */
static void stop_cascade(void **state)
{
	struct th *t = th_new(ENGINE_SPOT, 0);
	th_trade_at(t, 100);
	th_limit(t, 1, B, 1, 96);
	th_limit(t, 1, B, 1, 94);
	struct engine_req r = {.account = 2, .side = S, .type = ENGINE_T_STOP_LOSS, .qty = 1};
	r.trigger = 99;
	uint64_t a = th_submit(t, &r, NULL);
	r.trigger = 96;
	uint64_t b = th_submit(t, &r, NULL);
	r.trigger = 90;
	uint64_t c = th_submit(t, &r, NULL);
	th_clear(t);
	engine_set_reference(t->eng, ENGINE_REF_LAST, 99, NULL);
	assert_int_equal(th_find(t, ENGINE_EV_TRADE, a)->price, 96);
	assert_int_equal(th_find(t, ENGINE_EV_TRADE, b)->price, 94);
	assert_non_null(engine_order_get(t->eng, c)); /* last is 94: 90 not reached */
	th_free(t);
}

/* Sell trailing stop: follows rises, ignores falls, fires at peak - offset. */
static void trailing_sell_ratchets(void **state)
{
	struct th *t = th_new(ENGINE_SPOT, 0);
	th_limit(t, 1, B, 5, 90);
	th_trade_at(t, 100);
	struct engine_req r = {.account = 2,
	                       .side = S,
	                       .type = ENGINE_T_TRAILING_STOP,
	                       .qty = 1,
	                       .trail = {5, ENGINE_OFF_PRICE}};
	uint64_t id = th_submit(t, &r, NULL);
	const struct engine_order *o = engine_order_get(t->eng, id);
	assert_int_equal(o->trigger, 95);
	th_clear(t);
	th_trade_at(t, 103);
	o = engine_order_get(t->eng, id);
	assert_int_equal(o->peak, 103);
	assert_int_equal(o->trigger, 98);
	assert_non_null(updated(t, id, ENGINE_UPD_TRAIL_MOVED));
	th_clear(t);
	th_trade_at(t, 99); /* falls: the trigger stays */
	o = engine_order_get(t->eng, id);
	assert_non_null(o);
	assert_int_equal(o->trigger, 98);
	assert_null(updated(t, id, ENGINE_UPD_TRAIL_MOVED));
	th_trade_at(t, 98); /* crosses */
	assert_null(engine_order_get(t->eng, id));
	assert_non_null(updated(t, id, ENGINE_UPD_TRIGGERED));
	assert_int_equal(th_find(t, ENGINE_EV_TRADE, id)->price, 90);
	th_free(t);
}

/* Buy trailing stop on the mark price: follows falls, fires at trough + offset. */
static void trailing_buy_ratchets(void **state)
{
	struct th *t = th_new(ENGINE_FUTURES, 0);
	th_limit(t, 1, S, 5, 120);
	engine_set_reference(t->eng, ENGINE_REF_MARK, 100, NULL);
	struct engine_req r = {.account = 2,
	                       .side = B,
	                       .type = ENGINE_T_TRAILING_STOP,
	                       .qty = 1,
	                       .trail = {4, ENGINE_OFF_PRICE},
	                       .trigger_ref = ENGINE_REF_MARK};
	uint64_t id = th_submit(t, &r, NULL);
	assert_int_equal(engine_order_get(t->eng, id)->trigger, 104);
	engine_set_reference(t->eng, ENGINE_REF_MARK, 96, NULL);
	assert_int_equal(engine_order_get(t->eng, id)->trigger, 100);
	engine_set_reference(t->eng, ENGINE_REF_MARK, 99, NULL);
	assert_int_equal(engine_order_get(t->eng, id)->trigger, 100);
	th_trade_at(t, 101); /* last is not this order's reference */
	assert_non_null(engine_order_get(t->eng, id));
	th_clear(t);
	engine_set_reference(t->eng, ENGINE_REF_MARK, 100, NULL);
	assert_null(engine_order_get(t->eng, id));
	assert_int_equal(th_find(t, ENGINE_EV_TRADE, id)->price, 120);
	th_free(t);
}

/* Percent offsets: 2% under the peak for a sell, 2% over the trough for a buy. */
static void trailing_percent(void **state)
{
	struct th *t = th_new(ENGINE_SPOT, 0);
	engine_set_reference(t->eng, ENGINE_REF_INDEX, 1000, NULL);
	struct engine_req r = {.account = 2,
	                       .side = S,
	                       .type = ENGINE_T_TRAILING_STOP,
	                       .qty = 1,
	                       .trail = {20000, ENGINE_OFF_PPM},
	                       .trigger_ref = ENGINE_REF_INDEX};
	uint64_t s = th_submit(t, &r, NULL);
	r.side = B;
	uint64_t b = th_submit(t, &r, NULL);
	assert_int_equal(engine_order_get(t->eng, s)->trigger, 980);
	assert_int_equal(engine_order_get(t->eng, b)->trigger, 1020);
	engine_set_reference(t->eng, ENGINE_REF_INDEX, 1010, NULL);
	assert_int_equal(engine_order_get(t->eng, s)->trigger, 990); /* 1010 - 20.2, cut */
	assert_int_equal(engine_order_get(t->eng, b)->trigger, 1020);
	engine_set_reference(t->eng, ENGINE_REF_INDEX, 1100, NULL);
	assert_int_equal(engine_order_get(t->eng, s)->trigger, 1078);
	assert_null(engine_order_get(t->eng, b)); /* 1100 >= 1020 */
	engine_set_reference(t->eng, ENGINE_REF_INDEX, 1079, NULL);
	assert_non_null(engine_order_get(t->eng, s));
	engine_set_reference(t->eng, ENGINE_REF_INDEX, 1078, NULL);
	assert_null(engine_order_get(t->eng, s));
	th_free(t);
}

/* Trailing-stop-limit: the limit is placed at trigger + offset when it fires;
 * sells below, buys above (Kraken's price2 "-2" / "+2"). */
static void trailing_stop_limit_placement(void **state)
{
	struct th *t = th_new(ENGINE_SPOT, 0);
	engine_set_reference(t->eng, ENGINE_REF_LAST, 100, NULL);
	struct engine_req r = {.account = 2,
	                       .side = S,
	                       .type = ENGINE_T_TRAILING_STOP_LIMIT,
	                       .qty = 1,
	                       .trail = {5, ENGINE_OFF_PRICE},
	                       .limit_off = {-2, ENGINE_OFF_PRICE}};
	uint64_t s = th_submit(t, &r, NULL);
	engine_set_reference(t->eng, ENGINE_REF_LAST, 103, NULL); /* trigger -> 98 */
	engine_set_reference(t->eng, ENGINE_REF_LAST, 98, NULL);  /* fires */
	const struct engine_order *o = engine_order_get(t->eng, s);
	assert_non_null(o);
	assert_true(o->triggered);
	assert_int_equal(o->trigger, 98);
	assert_int_equal(o->price, 96);
	int64_t px;
	assert_int_equal(engine_best(t->eng, S, &px, NULL), 0); /* rests: nothing to take */
	assert_int_equal(px, 96);
	th_free(t);

	t = th_new(ENGINE_SPOT, 0);
	engine_set_reference(t->eng, ENGINE_REF_LAST, 100, NULL);
	r.side = B;
	r.trail.value = 3;
	r.limit_off.value = 2;
	uint64_t b = th_submit(t, &r, NULL);
	assert_int_equal(engine_order_get(t->eng, b)->trigger, 103);
	engine_set_reference(t->eng, ENGINE_REF_LAST, 97, NULL); /* trigger -> 100 */
	engine_set_reference(t->eng, ENGINE_REF_LAST, 100, NULL);
	o = engine_order_get(t->eng, b);
	assert_true(o->triggered);
	assert_int_equal(o->price, 102);
	assert_int_equal(engine_best(t->eng, B, &px, NULL), 0);
	assert_int_equal(px, 102);
	th_free(t);

	/* percent limit offset on a futures-style relative stop-limit */
	t = th_new(ENGINE_FUTURES, 0);
	engine_set_reference(t->eng, ENGINE_REF_MARK, 2000, NULL);
	struct engine_req sl = {.account = 2,
	                        .side = B,
	                        .type = ENGINE_T_STOP_LOSS_LIMIT,
	                        .qty = 1,
	                        .trigger = 2100,
	                        .trigger_ref = ENGINE_REF_MARK,
	                        .limit_off = {5000, ENGINE_OFF_PPM}};
	uint64_t id = th_submit(t, &sl, NULL);
	engine_set_reference(t->eng, ENGINE_REF_MARK, 2100, NULL);
	assert_int_equal(engine_order_get(t->eng, id)->price, 2110); /* 2100 + 0.5% */
	th_free(t);
}

/* Pending triggers can be amended (re-armed) and cancelled. */
static void amend_and_cancel_pending(void **state)
{
	struct th *t = th_new(ENGINE_SPOT, 0);
	th_trade_at(t, 100);
	struct engine_req r = {
	        .account = 2, .side = S, .type = ENGINE_T_STOP_LOSS, .qty = 1, .trigger = 90};
	uint64_t id = th_submit(t, &r, NULL);
	struct engine_amend a = {.fields = ENGINE_AM_TRIGGER, .trigger = 95};
	struct kerr err = KERR_INIT;
	assert_int_equal(engine_amend(t->eng, id, &a, NULL, &err), 0);
	th_trade_at(t, 96);
	assert_non_null(engine_order_get(t->eng, id));
	th_clear(t);
	th_trade_at(t, 95);
	assert_non_null(updated(t, id, ENGINE_UPD_TRIGGERED));

	uint64_t c = th_submit(t, &r, NULL);
	assert_int_equal(engine_cancel(t->eng, c, ENGINE_R_USER_CANCEL, &err), 0);
	th_trade_at(t, 80);
	assert_null(th_find(t, ENGINE_EV_TRADE, c));

	/* a trailing stop's trigger cannot be set; its offset can */
	struct engine_req tr = {.account = 2,
	                        .side = S,
	                        .type = ENGINE_T_TRAILING_STOP,
	                        .qty = 1,
	                        .trail = {10, ENGINE_OFF_PRICE}};
	uint64_t ts = th_submit(t, &tr, NULL);
	assert_int_equal(engine_order_get(t->eng, ts)->trigger, 70);
	assert_int_equal(engine_amend(t->eng, ts, &a, NULL, &err), -1);
	assert_int_equal(err.code, ENGINE_R_TRAILING_PRICE);
	struct engine_amend ta = {.fields = ENGINE_AM_TRAIL, .trail = {4, ENGINE_OFF_PRICE}};
	assert_int_equal(engine_amend(t->eng, ts, &ta, NULL, &err), 0);
	assert_int_equal(engine_order_get(t->eng, ts)->trigger, 76);
	/* a non-trigger order has no trigger to amend */
	uint64_t l = th_limit(t, 3, B, 1, 50);
	assert_int_equal(engine_amend(t->eng, l, &a, NULL, &err), -1);
	assert_int_equal(err.code, ENGINE_R_NOT_A_TRIGGER);
	th_free(t);
}

/* The accounts layer is asked again when a trigger fires and can refuse. */
static void trigger_admission(void **state)
{
	struct th *t = th_new(ENGINE_FUTURES, 0);
	th_trade_at(t, 100);
	struct engine_req r = {
	        .account = 2, .side = S, .type = ENGINE_T_STOP_LOSS, .qty = 1, .trigger = 95};
	uint64_t id = th_submit(t, &r, NULL);
	t->admit_account = 2;
	t->admit_reason = ENGINE_R_INSUFFICIENT_FUNDS;
	th_clear(t);
	th_trade_at(t, 95);
	const struct tev *c = th_find(t, ENGINE_EV_CLOSED, id);
	assert_non_null(c);
	assert_int_equal(c->status, ENGINE_S_REJECTED);
	assert_int_equal(c->reason, ENGINE_R_INSUFFICIENT_FUNDS);
	assert_int_equal(t->admit_calls[ENGINE_ADMIT_TRIGGER], 1);
	th_free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(trigger_reference_decides),
	        cmocka_unit_test(trigger_directions),
	        cmocka_unit_test(stop_limit_and_take_profit_limit),
	        cmocka_unit_test(crossed_at_entry_fires),
	        cmocka_unit_test(stop_cascade),
	        cmocka_unit_test(trailing_sell_ratchets),
	        cmocka_unit_test(trailing_buy_ratchets),
	        cmocka_unit_test(trailing_percent),
	        cmocka_unit_test(trailing_stop_limit_placement),
	        cmocka_unit_test(amend_and_cancel_pending),
	        cmocka_unit_test(trigger_admission),
	};
	return kt_run_tests(tests);
}
