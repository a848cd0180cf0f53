/* Futures REST order outcomes: sendStatus/editStatus/cancelStatus/batchStatus
 * statuses become the right intent results ("success" is not a fill), and
 * their orderEvents (PLACE, EXECUTION, REJECT, CANCEL, EDIT, trigger orders)
 * update the state's orders and fills. Also orders/status, preferences and
 * the dead man's switch. */
#include <string.h>

#include "core/state.h"
#include "kraken/fut_rest_codec.h"
#include "tests/unit/test_fut_rest_util.h"
#include "tests/unit/unit.h"

static void decode_send(struct state *st, const char *name, struct fut_order_result *r)
{
	struct frx f;
	frx_load(&f, name);
	struct kerr err = KERR_INIT;
	if (fut_decode_sendorder(&f.fd, st, r, &err))
		fail_msg("%s: %s", name, err.msg);
	frx_free(&f);
}

/* placed: INTENT_OK with the order id; the order is open in the state. */
static void test_send_placed(void **s)
{
	(void)s;
	struct state st;
	frx_state(&st);
	struct fut_order_result r;
	decode_send(&st, "sendorder_placed.json", &r);
	assert_string_equal(r.status, "placed");
	assert_string_equal(r.order_id, "179f9af8-e45e-469d-b3e9-aaaaaaaaaaaa");
	assert_string_equal(r.cl_id, "kt-c1");
	struct intent_result ir;
	fut_result_intent(FUT_EP_SENDORDER, &r, &ir);
	assert_int_equal(ir.status, INTENT_OK);
	assert_string_equal(ir.order_id, r.order_id);
	const struct order *o = state_order_by_cl(&st, "kt-c1");
	assert_non_null(o);
	assert_int_equal(o->status, OS_OPEN);
	assert_int_equal(o->type, OT_LIMIT);
	assert_int_equal(o->tif, TIF_GTC);
	assert_true(frx_dec_is(o->qty, "0.01"));
	assert_true(frx_dec_is(o->limit_price, "50000"));
	assert_int_equal(o->instr, state_find_instrument(&st, "PF_XBTUSD"));
	state_free(&st);
}

/* EXECUTION events: fills are added, the IOC order's unfilled rest is
 * cancelled (status "placed" alone would have said nothing about it). */
static void test_send_executed(void **s)
{
	(void)s;
	struct state st;
	frx_state(&st);
	struct fut_order_result r;
	decode_send(&st, "sendorder_executed.json", &r);
	assert_string_equal(r.status, "placed");
	const struct order *o = state_order_get(&st, "61ca5732-3478-42fe-8362-abbfd9465294");
	assert_non_null(o);
	assert_int_equal(o->tif, TIF_IOC);
	assert_true(frx_dec_is(o->filled, "0.75"));
	assert_int_equal(o->status, OS_CANCELLED);
	assert_int_equal(st.nfills, 2);
	assert_true(frx_dec_is(state_fill_at(&st, 0)->price, "61005"));
	assert_true(frx_dec_is(state_fill_at(&st, 0)->qty, "0.25"));
	assert_string_equal(state_fill_at(&st, 1)->id, "e1ec9f63-2338-4c44-b40a-43486c6732d7");
	state_free(&st);
}

/* postWouldExecute: rejected with Kraken's status as the code and a plain
 * explanation; the REJECT event marks the order rejected with its reason. */
static void test_send_rejected(void **s)
{
	(void)s;
	struct state st;
	frx_state(&st);
	struct fut_order_result r;
	decode_send(&st, "sendorder_rejected.json", &r);
	struct intent_result ir;
	fut_result_intent(FUT_EP_SENDORDER, &r, &ir);
	assert_int_equal(ir.status, INTENT_REJECTED);
	assert_string_equal(ir.code, "postWouldExecute");
	assert_non_null(strstr(ir.message, "post-only"));
	const struct order *o = state_order_by_cl(&st, "kt-c3");
	assert_int_equal(o->status, OS_REJECTED);
	assert_true(o->post_only);
	assert_string_equal(o->reason, "POST_WOULD_EXECUTE");

	decode_send(&st, "sendorder_insufficient.json", &r);
	fut_result_intent(FUT_EP_SENDORDER, &r, &ir);
	assert_int_equal(ir.status, INTENT_REJECTED);
	assert_string_equal(ir.code, "insufficientAvailableFunds");
	assert_string_equal(ir.order_id, "");
	state_free(&st);
}

/* A trigger order (orderTrigger): untriggered stop-limit, index signal
 * reported back as spot_price. */
static void test_send_trigger(void **s)
{
	(void)s;
	struct state st;
	frx_state(&st);
	struct fut_order_result r;
	decode_send(&st, "sendorder_trigger.json", &r);
	const struct order *o = state_order_by_cl(&st, "kt-c4");
	assert_non_null(o);
	assert_int_equal(o->status, OS_UNTRIGGERED);
	assert_int_equal(o->type, OT_STOP_LIMIT);
	assert_int_equal(o->signal, TRIG_INDEX);
	assert_true(frx_dec_is(o->trigger_price, "58000"));
	assert_true(frx_dec_is(o->limit_price, "57900"));
	assert_true(o->reduce_only);
	state_free(&st);
}

/* editorder / cancelorder / cancelallorders. */
static void test_edit_cancel(void **s)
{
	(void)s;
	struct state st;
	frx_state(&st);
	struct fut_order_result r;
	decode_send(&st, "sendorder_placed.json", &r);
	struct frx f;
	struct kerr err = KERR_INIT;
	struct intent_result ir;
	frx_load(&f, "editorder.json");
	assert_int_equal(fut_decode_editorder(&f.fd, &st, &r, &err), 0);
	frx_free(&f);
	assert_string_equal(r.status, "edited");
	assert_string_equal(r.order_id, "179f9af8-e45e-469d-b3e9-aaaaaaaaaaaa");
	fut_result_intent(FUT_EP_EDITORDER, &r, &ir);
	assert_int_equal(ir.status, INTENT_OK);
	const struct order *o = state_order_by_cl(&st, "kt-c1");
	assert_true(frx_dec_is(o->qty, "0.02"));
	assert_true(frx_dec_is(o->limit_price, "50500"));
	assert_int_equal(o->status, OS_OPEN);

	frx_load(&f, "cancelorder.json");
	assert_int_equal(fut_decode_cancelorder(&f.fd, &st, &r, &err), 0);
	frx_free(&f);
	fut_result_intent(FUT_EP_CANCELORDER, &r, &ir);
	assert_int_equal(ir.status, INTENT_OK);
	assert_int_equal(o->status, OS_CANCELLED);

	frx_load(&f, "cancelorder_notfound.json");
	assert_int_equal(fut_decode_cancelorder(&f.fd, &st, &r, &err), 0);
	frx_free(&f);
	fut_result_intent(FUT_EP_CANCELORDER, &r, &ir);
	assert_int_equal(ir.status, INTENT_REJECTED);
	assert_string_equal(ir.code, "notFound");
	snprintf(r.status, sizeof r.status, "filled");
	fut_result_intent(FUT_EP_CANCELORDER, &r, &ir);
	assert_int_equal(ir.status, INTENT_REJECTED);
	assert_non_null(strstr(ir.message, "already filled"));

	struct frx oo;
	frx_load(&oo, "openorders.json");
	assert_int_equal(fut_decode_openorders(&oo.fd, &st, &err), 0);
	frx_free(&oo);
	frx_load(&f, "cancelall.json");
	assert_int_equal(fut_decode_cancelall(&f.fd, &st, &r, &err), 0);
	frx_free(&f);
	fut_result_intent(FUT_EP_CANCELALL, &r, &ir);
	assert_int_equal(ir.status, INTENT_OK);
	assert_int_equal(ir.count, 2);
	assert_int_equal(state_order_get(&st, "59302619-41d2-4f0b-941f-7e7914760ad3")->status,
	                 OS_CANCELLED);
	assert_int_equal(state_order_get(&st, "022774bc-2c4a-4f26-9317-436c8d85746d")->status,
	                 OS_CANCELLED);
	assert_int_equal(state_order_get(&st, "d08021f7-58cb-4f2c-9c86-da4c60de46bb")->status,
	                 OS_UNTRIGGERED);
	state_free(&st);
}

/* cancelallordersafter: the trigger time, or 0 ("0") when disarmed. */
static void test_cancel_after(void **s)
{
	(void)s;
	struct frx f;
	struct kerr err = KERR_INIT;
	struct fut_order_result r;
	struct intent_result ir;
	frx_load(&f, "cancel_after.json");
	assert_int_equal(fut_decode_cancel_after(&f.fd, &r, &err), 0);
	frx_free(&f);
	assert_int_equal(r.trigger_ms, 1709287823839LL);
	fut_result_intent(FUT_EP_CANCELAFTER, &r, &ir);
	assert_int_equal(ir.status, INTENT_OK);
	assert_int_equal(ir.trigger_time_ms, 1709287823839LL);
	frx_load(&f, "cancel_after_off.json");
	assert_int_equal(fut_decode_cancel_after(&f.fd, &r, &err), 0);
	frx_free(&f);
	assert_int_equal(r.trigger_ms, 0);
	frx_load(&f, "error_api_limit.json");
	assert_int_equal(fut_decode_cancel_after(&f.fd, &r, &err), -1);
	assert_int_equal(err.code, FUT_E_API);
	frx_free(&f);
}

/* batchorder: one result per instruction, in order, each with its status. */
static void test_batch(void **s)
{
	(void)s;
	struct state st;
	frx_state(&st);
	struct frx f;
	struct kerr err = KERR_INIT;
	frx_load(&f, "batchorder.json");
	struct fut_order_result r[4];
	size_t n = 0;
	assert_int_equal(fut_decode_batch(&f.fd, &st, r, 4, &n, &err), 0);
	frx_free(&f);
	assert_int_equal(n, 3);
	assert_string_equal(r[0].order_tag, "1");
	assert_string_equal(r[0].status, "placed");
	assert_string_equal(r[1].status, "postWouldExecute");
	assert_string_equal(r[2].status, "cancelled");
	assert_string_equal(r[2].order_tag, "");
	struct intent_result ir;
	fut_result_intent(FUT_EP_BATCHORDER, &r[1], &ir);
	assert_int_equal(ir.status, INTENT_REJECTED);
	assert_int_equal(state_order_by_cl(&st, "kt-b1")->status, OS_OPEN);
	state_free(&st);
}

/* orders/status: lifecycle of open and recently closed orders, applied to
 * the state (rejected with the OrderError as reason). */
static void test_orders_status(void **s)
{
	(void)s;
	struct state st;
	frx_state(&st);
	struct frx f;
	struct kerr err = KERR_INIT;
	frx_load(&f, "orders_status.json");
	struct fut_order_state os[2];
	size_t n = 0;
	assert_int_equal(fut_decode_orders_status(&f.fd, &st, os, 2, &n, &err), 0);
	frx_free(&f);
	assert_int_equal(n, 3); /* more than cap: the count still says how many */
	assert_int_equal(os[0].status, FUT_LC_ENTERED_BOOK);
	assert_string_equal(os[0].cl_id, "kt-c1");
	assert_int_equal(os[1].status, FUT_LC_TRIGGER_PLACED);
	const struct order *o = state_order_by_cl(&st, "kt-c4");
	assert_int_equal(o->status, OS_UNTRIGGERED);
	assert_int_equal(o->type, OT_STOP);
	assert_int_equal(o->signal, TRIG_MARK);
	assert_true(frx_dec_is(o->trigger_price, "58000"));
	o = state_order_by_cl(&st, "kt-c3");
	assert_int_equal(o->status, OS_REJECTED);
	assert_string_equal(o->reason, "POST_WOULD_EXECUTE");
	assert_int_equal(state_order_by_cl(&st, "kt-c1")->status, OS_OPEN);
	state_free(&st);
}

/* Preferences, withdrawal, plain success. */
static void test_prefs_and_transfers(void **s)
{
	(void)s;
	struct frx f;
	struct kerr err = KERR_INIT;
	struct fut_pref p[4];
	size_t n = 0;
	frx_load(&f, "leverage_prefs.json");
	assert_int_equal(fut_decode_leverage_prefs(&f.fd, p, 4, &n, &err), 0);
	frx_free(&f);
	assert_int_equal(n, 2);
	assert_string_equal(p[1].symbol, "PF_ETHUSD");
	assert_true(frx_dec_is(p[1].max_leverage, "2.5"));
	frx_load(&f, "pnl_prefs.json");
	assert_int_equal(fut_decode_pnl_prefs(&f.fd, p, 4, &n, &err), 0);
	frx_free(&f);
	assert_int_equal(n, 1);
	assert_string_equal(p[0].pnl_currency, "BTC");

	struct fut_order_result r;
	struct intent_result ir;
	frx_load(&f, "withdrawal.json");
	assert_int_equal(fut_decode_withdrawal(&f.fd, &r, &err), 0);
	frx_free(&f);
	fut_result_intent(FUT_EP_WITHDRAWAL, &r, &ir);
	assert_int_equal(ir.status, INTENT_OK);
	assert_string_equal(ir.ref, "9053db5f-0d5e-48dd-b606-a5c92576b706");
	frx_load(&f, "success.json");
	assert_int_equal(fut_doc_check(&f.fd, &err), 0);
	frx_free(&f);
	fut_error_intent("invalidArgument", &ir);
	assert_int_equal(ir.status, INTENT_REJECTED);
	assert_string_equal(ir.code, "invalidArgument");
}

/* A malformed order event rejects the whole reply: no order half-applied. */
static void test_bad_event(void **s)
{
	(void)s;
	struct state st;
	frx_state(&st);
	struct frx f;
	struct kerr err = KERR_INIT;
	assert_int_equal(
	        frx_text(&f,
	                 "{\"result\":\"success\",\"sendStatus\":{\"status\":\"placed\","
	                 "\"order_id\":\"x1\",\"orderEvents\":[{\"type\":\"PLACE\",\"order\":{"
	                 "\"orderId\":\"x1\",\"type\":\"lmt\",\"symbol\":\"PF_XBTUSD\","
	                 "\"side\":\"buy\",\"quantity\":1,\"filled\":0,\"limitPrice\":1}},"
	                 "{\"type\":\"EXECUTION\",\"price\":\"x\",\"amount\":1}]}}",
	                 &err),
	        0);
	struct fut_order_result r;
	assert_int_equal(fut_decode_sendorder(&f.fd, &st, &r, &err), -1);
	assert_int_equal(err.code, FUT_E_SYNTAX);
	assert_null(state_order_get(&st, "x1"));
	frx_free(&f);
	assert_int_equal(frx_text(&f, "{\"result\":\"success\",\"sendStatus\":{}}", &err), 0);
	assert_int_equal(fut_decode_sendorder(&f.fd, &st, &r, &err), -1);
	assert_non_null(strstr(err.msg, "status"));
	frx_free(&f);
	state_free(&st);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_send_placed),
	        cmocka_unit_test(test_send_executed),
	        cmocka_unit_test(test_send_rejected),
	        cmocka_unit_test(test_send_trigger),
	        cmocka_unit_test(test_edit_cancel),
	        cmocka_unit_test(test_cancel_after),
	        cmocka_unit_test(test_batch),
	        cmocka_unit_test(test_orders_status),
	        cmocka_unit_test(test_prefs_and_transfers),
	        cmocka_unit_test(test_bad_event),
	};
	return kt_run_tests(tests);
}
