/* test_engine_ops: the engine's account-facing rules. Reduce-only (refused or
 * cut to the position, re-checked at each fill), every self-trade prevention
 * mode, amend keeping or losing queue priority, edit giving a new id, cancel
 * and cancel-all, the spot conditional close and the admit hook. */
#include "tests/unit/unit.h"
#include "tests/unit/engine_util.h"

#define B ENGINE_BUY
#define S ENGINE_SELL

/* Without a position, a reduce-only order is refused before acceptance. */
static void reduce_only_rejected(void **state)
{
	struct th *t = th_new(ENGINE_FUTURES, 0);
	struct engine_req r = {.account = 2,
	                       .side = S,
	                       .type = ENGINE_T_LIMIT,
	                       .qty = 1,
	                       .price = 100,
	                       .flags = ENGINE_F_REDUCE_ONLY};
	struct engine_result res;
	uint64_t id = th_submit(t, &r, &res);
	assert_int_equal(res.status, ENGINE_S_REJECTED);
	assert_int_equal(res.reason, ENGINE_R_WOULD_NOT_REDUCE);
	assert_null(th_find(t, ENGINE_EV_ACCEPTED, id));
	/* a short position is not reduced by selling either */
	t->pos[2] = -5;
	th_submit(t, &r, &res);
	assert_int_equal(res.reason, ENGINE_R_WOULD_NOT_REDUCE);
	th_free(t);
}

/* A reduce-only order larger than the position is cut to it, so it cannot flip. */
static void reduce_only_cut_to_position(void **state)
{
	struct th *t = th_new(ENGINE_FUTURES, 0);
	th_limit(t, 1, B, 10, 100);
	t->pos[2] = 3;
	struct engine_req r = {.account = 2,
	                       .side = S,
	                       .type = ENGINE_T_MARKET,
	                       .qty = 5,
	                       .flags = ENGINE_F_REDUCE_ONLY};
	struct engine_result res;
	th_submit(t, &r, &res);
	assert_int_equal(res.qty, 3);
	assert_int_equal(res.filled, 3);
	assert_int_equal(res.status, ENGINE_S_FILLED);
	assert_int_equal(t->pos[2], 0);
	th_free(t);
}

/* A resting reduce-only order whose position went away is cancelled when it
 * would fill, and matching goes on behind it. */
static void reduce_only_rechecked_at_fill(void **state)
{
	struct th *t = th_new(ENGINE_FUTURES, 0);
	t->pos[2] = 2;
	struct engine_req r = {.account = 2,
	                       .side = S,
	                       .type = ENGINE_T_LIMIT,
	                       .qty = 2,
	                       .price = 105,
	                       .flags = ENGINE_F_REDUCE_ONLY};
	uint64_t ro = th_submit(t, &r, NULL);
	uint64_t other = th_limit(t, 3, S, 1, 105);
	t->pos[2] = 1; /* the position shrank elsewhere */
	th_clear(t);
	struct engine_result res;
	struct engine_req buy = {
	        .account = 4, .side = B, .type = ENGINE_T_LIMIT, .qty = 3, .price = 105};
	th_submit(t, &buy, &res);
	assert_int_equal(th_nth(t, ENGINE_EV_TRADE, 0)->maker, ro);
	assert_int_equal(th_nth(t, ENGINE_EV_TRADE, 0)->qty, 1); /* cut to the position */
	const struct tev *c = th_find(t, ENGINE_EV_CLOSED, ro);
	assert_int_equal(c->status, ENGINE_S_CANCELLED);
	assert_int_equal(c->reason, ENGINE_R_WOULD_NOT_REDUCE);
	assert_int_equal(th_nth(t, ENGINE_EV_TRADE, 1)->maker, other);
	assert_int_equal(res.filled, 2);
	assert_int_equal(t->pos[2], 0);
	th_free(t);
}

/* cancel_newest (default): the incoming order is cancelled, the resting stays. */
static void stp_cancel_newest(void **state)
{
	struct th *t = th_new(ENGINE_SPOT, 0);
	uint64_t other = th_limit(t, 2, S, 1, 100);
	uint64_t own = th_limit(t, 1, S, 1, 100);
	struct engine_req r = {
	        .account = 1, .side = B, .type = ENGINE_T_LIMIT, .qty = 2, .price = 100};
	struct engine_result res;
	th_clear(t);
	th_submit(t, &r, &res);
	assert_int_equal(th_count(t, ENGINE_EV_TRADE), 1);
	assert_int_equal(th_nth(t, ENGINE_EV_TRADE, 0)->maker, other);
	assert_int_equal(res.status, ENGINE_S_CANCELLED);
	assert_int_equal(res.reason, ENGINE_R_SELF_TRADE);
	assert_int_equal(res.filled, 1);
	assert_non_null(engine_order_get(t->eng, own));
	th_free(t);
}

/* cancel_oldest: the resting own order goes, matching continues. */
static void stp_cancel_oldest(void **state)
{
	struct th *t = th_new(ENGINE_SPOT, 0);
	uint64_t own = th_limit(t, 1, S, 1, 100);
	uint64_t other = th_limit(t, 2, S, 1, 101);
	struct engine_req r = {.account = 1,
	                       .side = B,
	                       .type = ENGINE_T_LIMIT,
	                       .qty = 2,
	                       .price = 101,
	                       .stp = ENGINE_STP_CANCEL_OLDEST};
	struct engine_result res;
	th_clear(t);
	th_submit(t, &r, &res);
	const struct tev *c = th_find(t, ENGINE_EV_CLOSED, own);
	assert_int_equal(c->reason, ENGINE_R_SELF_TRADE);
	assert_int_equal(th_nth(t, ENGINE_EV_TRADE, 0)->maker, other);
	assert_int_equal(res.status, ENGINE_S_PARTIAL);
	assert_int_equal(res.filled, 1);
	const int64_t bid[] = {101, 1};
	th_assert_side(t, B, bid, 1);
	th_assert_side(t, S, NULL, 0);
	th_free(t);
}

/* cancel_both: both go, nothing trades. */
static void stp_cancel_both(void **state)
{
	struct th *t = th_new(ENGINE_SPOT, 0);
	uint64_t own = th_limit(t, 1, S, 1, 100);
	th_limit(t, 2, S, 1, 101);
	struct engine_req r = {.account = 1,
	                       .side = B,
	                       .type = ENGINE_T_LIMIT,
	                       .qty = 2,
	                       .price = 101,
	                       .stp = ENGINE_STP_CANCEL_BOTH};
	struct engine_result res;
	th_clear(t);
	th_submit(t, &r, &res);
	assert_int_equal(th_count(t, ENGINE_EV_TRADE), 0);
	assert_int_equal(th_find(t, ENGINE_EV_CLOSED, own)->reason, ENGINE_R_SELF_TRADE);
	assert_int_equal(res.reason, ENGINE_R_SELF_TRADE);
	assert_int_equal(res.status, ENGINE_S_CANCELLED);
	const int64_t ask[] = {101, 1};
	th_assert_side(t, S, ask, 1);
	th_free(t);
}

/* none: the account trades with itself. */
static void stp_none(void **state)
{
	struct th *t = th_new(ENGINE_SPOT, 0);
	uint64_t own = th_limit(t, 1, S, 1, 100);
	struct engine_req r = {.account = 1,
	                       .side = B,
	                       .type = ENGINE_T_LIMIT,
	                       .qty = 1,
	                       .price = 100,
	                       .stp = ENGINE_STP_NONE};
	struct engine_result res;
	th_clear(t);
	uint64_t id = th_submit(t, &r, &res);
	const struct tev *tr = th_find(t, ENGINE_EV_TRADE, id);
	assert_non_null(tr);
	assert_int_equal(tr->maker, own);
	assert_int_equal(res.status, ENGINE_S_FILLED);
	th_free(t);
}

/* Reducing the quantity keeps the place in the queue; growing loses it. */
static void amend_priority(void **state)
{
	struct th *t = th_new(ENGINE_SPOT, 0);
	uint64_t a = th_limit(t, 1, S, 5, 100);
	uint64_t b = th_limit(t, 2, S, 5, 100);
	struct kerr err = KERR_INIT;
	struct engine_amend am = {.fields = ENGINE_AM_QTY, .qty = 3};
	struct engine_result res;
	th_clear(t);
	assert_int_equal(engine_amend(t->eng, a, &am, &res, &err), 0);
	assert_int_equal(res.id, a);
	assert_int_equal(res.qty, 3);
	assert_int_equal(th_find(t, ENGINE_EV_UPDATED, a)->what, ENGINE_UPD_AMENDED);
	assert_int_equal(th_count(t, ENGINE_EV_LEVEL), 1);
	assert_int_equal(th_nth(t, ENGINE_EV_LEVEL, 0)->qty, 8);
	th_clear(t);
	th_limit(t, 3, B, 1, 100);
	assert_int_equal(th_nth(t, ENGINE_EV_TRADE, 0)->maker, a); /* still first */

	am.qty = 9; /* 1 filled + 8 open: larger than before */
	assert_int_equal(engine_amend(t->eng, a, &am, NULL, &err), 0);
	th_clear(t);
	th_limit(t, 3, B, 1, 100);
	assert_int_equal(th_nth(t, ENGINE_EV_TRADE, 0)->maker, b); /* a went to the back */

	am.qty = 1; /* not above the filled quantity */
	assert_int_equal(engine_amend(t->eng, a, &am, NULL, &err), -1);
	assert_int_equal(err.code, ENGINE_R_QTY_BELOW_FILLED);
	assert_int_equal(engine_amend(t->eng, 12345, &am, NULL, &err), -1);
	assert_int_equal(err.code, ENGINE_R_NOT_FOUND);
	th_free(t);
}

/* A price amend is a new arrival: back of the queue, and it may trade. */
static void amend_price(void **state)
{
	struct th *t = th_new(ENGINE_SPOT, 0);
	uint64_t a = th_limit(t, 1, S, 1, 100);
	uint64_t b = th_limit(t, 2, S, 1, 100);
	struct kerr err = KERR_INIT;
	struct engine_amend am = {.fields = ENGINE_AM_PRICE, .price = 101};
	assert_int_equal(engine_amend(t->eng, a, &am, NULL, &err), 0);
	am.price = 100;
	assert_int_equal(engine_amend(t->eng, a, &am, NULL, &err), 0);
	th_clear(t);
	th_limit(t, 3, B, 1, 100);
	assert_int_equal(th_nth(t, ENGINE_EV_TRADE, 0)->maker, b);

	uint64_t bid = th_limit(t, 4, B, 2, 98);
	/* post-only: a crossing price is refused and nothing changes */
	am.fields = ENGINE_AM_PRICE | ENGINE_AM_POST_ONLY;
	assert_int_equal(engine_amend(t->eng, bid, &am, NULL, &err), -1);
	assert_int_equal(err.code, ENGINE_R_POST_ONLY);
	assert_int_equal(engine_order_get(t->eng, bid)->price, 98);
	/* without it the order takes a's 100 and rests the rest */
	am.fields = ENGINE_AM_PRICE;
	struct engine_result res;
	th_clear(t);
	assert_int_equal(engine_amend(t->eng, bid, &am, &res, &err), 0);
	assert_int_equal(th_find(t, ENGINE_EV_TRADE, bid)->maker, a);
	assert_int_equal(res.filled, 1);
	assert_int_equal(res.status, ENGINE_S_PARTIAL);
	const int64_t bids[] = {100, 1};
	th_assert_side(t, B, bids, 1);
	th_free(t);
}

/* An iceberg's slice can shrink in place; a larger slice goes to the back. */
static void amend_iceberg_display(void **state)
{
	struct th *t = th_new(ENGINE_SPOT, 0);
	struct engine_req r = {.account = 1,
	                       .side = S,
	                       .type = ENGINE_T_ICEBERG,
	                       .qty = 10,
	                       .display = 4,
	                       .price = 100};
	uint64_t ice = th_submit(t, &r, NULL);
	uint64_t b = th_limit(t, 2, S, 1, 100);
	struct kerr err = KERR_INIT;
	struct engine_amend am = {.fields = ENGINE_AM_DISPLAY, .display = 2};
	assert_int_equal(engine_amend(t->eng, ice, &am, NULL, &err), 0);
	const int64_t ask[] = {100, 3};
	th_assert_side(t, S, ask, 1);
	th_clear(t);
	th_limit(t, 3, B, 1, 100);
	assert_int_equal(th_nth(t, ENGINE_EV_TRADE, 0)->maker, ice);
	am.display = 5;
	assert_int_equal(engine_amend(t->eng, ice, &am, NULL, &err), 0);
	th_clear(t);
	th_limit(t, 3, B, 1, 100);
	assert_int_equal(th_nth(t, ENGINE_EV_TRADE, 0)->maker, b);
	th_free(t);
}

/* Edit cancels and replaces: a new id, the old one closed as edited. */
static void edit_new_id(void **state)
{
	struct th *t = th_new(ENGINE_SPOT, 0);
	uint64_t a = th_limit(t, 1, S, 5, 100);
	uint64_t b = th_limit(t, 2, S, 5, 100);
	th_limit(t, 3, B, 2, 100); /* a: 2 filled, 3 open */
	struct kerr err = KERR_INIT;
	struct engine_amend ed = {.fields = ENGINE_AM_QTY, .qty = 4};
	struct engine_result res;
	th_clear(t);
	assert_int_equal(engine_edit(t->eng, a, &ed, &res, &err), 0);
	assert_int_not_equal(res.id, a);
	assert_int_equal(res.qty, 2); /* new total 4 minus the 2 already filled */
	assert_null(engine_order_get(t->eng, a));
	const struct tev *c = th_find(t, ENGINE_EV_CLOSED, a);
	assert_int_equal(c->status, ENGINE_S_CANCELLED);
	assert_int_equal(c->reason, ENGINE_R_EDITED);
	const struct tev *acc = th_find(t, ENGINE_EV_ACCEPTED, res.id);
	assert_non_null(acc);
	assert_int_equal(acc->parent, a);
	assert_true(th_index(t, ENGINE_EV_CLOSED, a) < th_index(t, ENGINE_EV_ACCEPTED, res.id));
	th_clear(t);
	th_limit(t, 3, B, 1, 100);
	assert_int_equal(th_nth(t, ENGINE_EV_TRADE, 0)->maker, b); /* no priority kept */

	/* orders with a conditional close cannot be edited */
	struct engine_req r = {.account = 1,
	                       .side = B,
	                       .type = ENGINE_T_LIMIT,
	                       .qty = 1,
	                       .price = 90,
	                       .close = {.type = ENGINE_T_LIMIT, .price = 95}};
	uint64_t p = th_submit(t, &r, NULL);
	assert_int_equal(engine_edit(t->eng, p, &ed, NULL, &err), -1);
	assert_int_equal(err.code, ENGINE_R_EDIT_UNSUPPORTED);
	/* a refused edit leaves the original alone */
	t->admit_account = 2;
	t->admit_reason = ENGINE_R_INSUFFICIENT_FUNDS;
	ed.qty = 9;
	assert_int_equal(engine_edit(t->eng, b, &ed, NULL, &err), -1);
	assert_int_equal(err.code, ENGINE_R_INSUFFICIENT_FUNDS);
	assert_non_null(engine_order_get(t->eng, b));
	th_free(t);
}

static void count_order(void *arg, const struct engine_order *o)
{
	(void)o;
	(*(int *)arg)++;
}

/* Cancel one, cancel an account's orders, cancel everyone's. */
static void cancel_and_cancel_all(void **state)
{
	struct th *t = th_new(ENGINE_SPOT, 0);
	uint64_t a = th_limit(t, 1, S, 1, 100);
	th_limit(t, 1, S, 1, 101);
	th_limit(t, 1, B, 1, 90);
	struct engine_req stop = {
	        .account = 1, .side = S, .type = ENGINE_T_STOP_LOSS, .qty = 1, .trigger = 50};
	th_submit(t, &stop, NULL);
	th_limit(t, 2, S, 1, 102);
	th_limit(t, 3, B, 1, 89);
	struct kerr err = KERR_INIT;
	assert_int_equal(engine_cancel(t->eng, a, ENGINE_R_USER_CANCEL, &err), 0);
	assert_int_equal(th_find(t, ENGINE_EV_CLOSED, a)->reason, ENGINE_R_USER_CANCEL);
	assert_int_equal(engine_cancel(t->eng, a, ENGINE_R_USER_CANCEL, &err), -1);
	assert_int_equal(err.code, ENGINE_R_NOT_FOUND);
	int n = 0;
	engine_foreach_order(t->eng, 1, count_order, &n);
	assert_int_equal(n, 3);
	th_clear(t);
	assert_int_equal(engine_cancel_all(t->eng, 1, ENGINE_R_CANCEL_ALL), 3);
	assert_int_equal(th_count(t, ENGINE_EV_CLOSED), 3);
	assert_int_equal(th_count(t, ENGINE_EV_LEVEL), 2);
	n = 0;
	engine_foreach_order(t->eng, 1, count_order, &n);
	assert_int_equal(n, 0);
	assert_int_equal(engine_order_count(t->eng), 2);
	assert_int_equal(engine_cancel_all(t->eng, 9, ENGINE_R_CANCEL_ALL), 0);
	assert_int_equal(engine_cancel_all(t->eng, ENGINE_ALL_ACCOUNTS, ENGINE_R_DEAD_MAN), 2);
	assert_int_equal(engine_order_count(t->eng), 0);
	assert_int_equal(engine_level_count(t->eng, B) + engine_level_count(t->eng, S), 0);
	th_free(t);
}

/* Spot conditional close: when the parent closes, a child for the filled
 * quantity is placed on the other side, with the close's type and prices. */
static void conditional_close(void **state)
{
	struct th *t = th_new(ENGINE_SPOT, 0);
	struct engine_req r = {.account = 1,
	                       .side = B,
	                       .type = ENGINE_T_LIMIT,
	                       .qty = 2,
	                       .price = 100,
	                       .close = {.type = ENGINE_T_LIMIT, .price = 110}};
	uint64_t parent = th_submit(t, &r, NULL);
	th_clear(t);
	th_limit(t, 2, S, 2, 100);
	const struct tev *acc = NULL;
	for (size_t i = 0; i < t->n; i++)
		if (t->ev[i].kind == ENGINE_EV_ACCEPTED && t->ev[i].parent == parent)
			acc = &t->ev[i];
	assert_non_null(acc);
	assert_int_equal(acc->side, S);
	assert_int_equal(acc->qty, 2);
	assert_int_equal(acc->price, 110);
	assert_int_equal(acc->account, 1);
	assert_true(th_index(t, ENGINE_EV_CLOSED, parent) <
	            th_index(t, ENGINE_EV_ACCEPTED, acc->id));
	assert_int_equal(engine_order_tag(t->eng, acc->id, "OCHILD-1", NULL), 0);
	assert_string_equal(engine_order_get(t->eng, acc->id)->wire_id, "OCHILD-1");
	const int64_t ask[] = {110, 2};
	th_assert_side(t, S, ask, 1);

	/* partly filled, then cancelled: the close covers the filled part;
	 * a stop-loss close waits for its trigger */
	r.close = (struct engine_close){.type = ENGINE_T_STOP_LOSS, .trigger = 90};
	r.qty = 5;
	uint64_t p2 = th_submit(t, &r, NULL);
	th_limit(t, 2, S, 3, 100);
	assert_null(th_find(t, ENGINE_EV_CLOSED, p2));
	th_clear(t);
	struct kerr err = KERR_INIT;
	assert_int_equal(engine_cancel(t->eng, p2, ENGINE_R_USER_CANCEL, &err), 0);
	const struct tev *c2 = th_nth(t, ENGINE_EV_ACCEPTED, 0);
	assert_non_null(c2);
	assert_int_equal(c2->parent, p2);
	assert_int_equal(c2->qty, 3);
	assert_int_equal(c2->status, ENGINE_S_PENDING);
	assert_int_equal(t->admit_calls[ENGINE_ADMIT_CLOSE], 2);

	/* nothing filled: no close */
	uint64_t p3 = th_submit(t, &r, NULL);
	th_clear(t);
	engine_cancel(t->eng, p3, ENGINE_R_USER_CANCEL, &err);
	assert_int_equal(th_count(t, ENGINE_EV_ACCEPTED), 0);
	th_free(t);
}

/* A refusal from admit closes the order as rejected, before any trade. */
static void admit_rejects(void **state)
{
	struct th *t = th_new(ENGINE_SPOT, 0);
	th_limit(t, 1, S, 1, 100);
	t->admit_account = 2;
	t->admit_reason = ENGINE_R_INSUFFICIENT_FUNDS;
	th_clear(t);
	uint64_t id = th_limit(t, 2, B, 1, 100);
	assert_null(th_find(t, ENGINE_EV_ACCEPTED, id));
	const struct tev *c = th_find(t, ENGINE_EV_CLOSED, id);
	assert_int_equal(c->status, ENGINE_S_REJECTED);
	assert_int_equal(c->reason, ENGINE_R_INSUFFICIENT_FUNDS);
	assert_int_equal(th_count(t, ENGINE_EV_TRADE), 0);
	assert_string_equal(engine_reason_str(ENGINE_R_USER + 3), "Rejected by account");
	th_free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(reduce_only_rejected),
	        cmocka_unit_test(reduce_only_cut_to_position),
	        cmocka_unit_test(reduce_only_rechecked_at_fill),
	        cmocka_unit_test(stp_cancel_newest),
	        cmocka_unit_test(stp_cancel_oldest),
	        cmocka_unit_test(stp_cancel_both),
	        cmocka_unit_test(stp_none),
	        cmocka_unit_test(amend_priority),
	        cmocka_unit_test(amend_price),
	        cmocka_unit_test(amend_iceberg_display),
	        cmocka_unit_test(edit_new_id),
	        cmocka_unit_test(cancel_and_cancel_all),
	        cmocka_unit_test(conditional_close),
	        cmocka_unit_test(admit_rejects),
	};
	return kt_run_tests(tests);
}
