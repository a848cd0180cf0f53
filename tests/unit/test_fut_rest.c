/* The Futures REST session through a fake transport and clock: what goes on
 * the wire (method, URL, body, APIKey/Authent/Nonce), the cost budget and the
 * history pool making requests wait, backoff after apiLimitExceeded and 429,
 * retries of reads, and reconciliation of an order whose reply was lost —
 * placed, rejected, found in open orders or fills, not placed, or unknown —
 * without ever sending the order twice. The fixture is fut_rest_fake.h;
 * transfers, preferences and batches are in test_fut_rest_account.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/state.h"
#include "kraken/fut_rest.h"
#include "net/nonce.h"
#include "tests/unit/fut_rest_fake.h"
#include "tests/unit/test_fut_rest_util.h"
#include "tests/unit/unit.h"

/* ---- tests ---- */

/* sendorder goes out as a signed form POST whose body and Authent are the
 * §6.2 F2 vector; the reply's order id is reported and the order is stored. */
static void test_signed_sendorder(void **s)
{
	(void)s;
	struct ctx *c = setup(true, 0);
	struct order_req r = f2_order(c, "my-order-1");
	struct kerr err = KERR_INIT;
	assert_int_equal(fut_rest_send_order(c->fr, &c->st, &r, on_result, c, &err), 0);
	assert_int_equal(c->f.nreq, 1);
	struct freq *q = last(&c->f);
	assert_string_equal(q->method, "POST");
	assert_string_equal(q->url, "http://127.0.0.1:9/derivatives/api/v3/sendorder");
	assert_string_equal(q->body, "orderType=lmt&symbol=PF_XBTUSD&side=buy&size=0.01"
	                             "&limitPrice=50000&cliOrdId=my-order-1");
	assert_string_equal(hdr(q, "APIKey"), "test-key");
	assert_string_equal(hdr(q, "Nonce"), "1700000000000");
	assert_string_equal(hdr(q, "Authent"),
	                    "/E2ro6j3vSsyeT6NXGcPPil6tQYKaYe34rOubNTOEQ08IPr8l33Ms"
	                    "aES59vMk3JBMRz2RfC657NJwNVK4AOUSw==");
	assert_string_equal(hdr(q, "Content-Type"), "application/x-www-form-urlencoded");
	assert_int_equal(c->calls, 0);
	respond_fixture(q, "sendorder_placed.json");
	assert_int_equal(c->calls, 1);
	assert_int_equal(c->res.status, INTENT_OK);
	assert_string_equal(c->res.order_id, "179f9af8-e45e-469d-b3e9-aaaaaaaaaaaa");
	assert_non_null(state_order_get(&c->st, "179f9af8-e45e-469d-b3e9-aaaaaaaaaaaa"));
	assert_int_equal(c->st.rest_rtt_us[PRODUCT_FUTURES], 1234);
	assert_int_equal(c->st.limits.fut_budget_used, 1000);
	assert_int_equal(c->st.limits.fut_budget_max, 50000);
	teardown(c);
}

/* GET: parameters in the query, postData = the query, signed path without
 * /derivatives (F1 for an empty query). Public calls carry no credentials. */
static void test_get_signing_and_public(void **s)
{
	(void)s;
	struct ctx *c = setup(true, 0);
	c->clock_us = 1415957147986000ULL; /* accounts takes ...986, openpositions ...987 */
	struct kerr err = KERR_INIT;
	assert_int_equal(fut_rest_refresh_private(c->fr, &c->st, on_result, c, &err), 0);
	assert_int_equal(c->f.nreq, 4);
	struct freq *q = NULL;
	for (int i = 0; i < 4; i++)
		if (strstr(c->f.req[i].url, "/openpositions"))
			q = &c->f.req[i];
	assert_non_null(q);
	assert_string_equal(q->method, "GET");
	assert_string_equal(q->url, "http://127.0.0.1:9/derivatives/api/v3/openpositions");
	assert_int_equal(q->body[0], '\0');
	/* F1: empty postData, Nonce 1415957147987, /api/v3/openpositions */
	assert_string_equal(hdr(q, "Nonce"), "1415957147987");
	assert_string_equal(hdr(q, "Authent"), "D8xIwDXEGpk7MNDki634yySsoKXpFLWSbVxUgKAOERF4Kt"
	                                       "mTPjuMoIrXPX+pBBb9+8qMzEG6js6uT1HGaIdcug==");
	assert_string_equal(hdr(&c->f.req[0], "Nonce"), "1415957147986");

	/* one refresh reply per endpoint, one callback for all four */
	const char *fx[] = {"accounts.json", "openpositions.json", "openorders.json", "fills.json"};
	const char *ep[] = {"/accounts", "/openpositions", "/openorders", "/fills"};
	for (int k = 0; k < 4; k++)
		for (int i = 0; i < 4; i++)
			if (strstr(c->f.req[i].url, ep[k]))
				respond_fixture(&c->f.req[i], fx[k]);
	assert_int_equal(c->calls, 1);
	assert_int_equal(c->res.status, INTENT_OK);
	assert_true(c->st.fut.valid);
	assert_int_equal(c->st.npos, 3);
	assert_int_equal(c->st.nfills, 3);

	/* public: no credentials, parameters in the query */
	int idx = state_find_instrument(&c->st, "PF_XBTUSD");
	assert_int_equal(fut_rest_get_book(c->fr, &c->st, idx, on_result, c, &err), 0);
	q = last(&c->f);
	assert_string_equal(q->url,
	                    "http://127.0.0.1:9/derivatives/api/v3/orderbook?symbol=PF_XBTUSD");
	assert_null(hdr(q, "APIKey"));
	assert_null(hdr(q, "Authent"));
	respond_fixture(q, "orderbook.json");
	assert_int_equal(c->res.status, INTENT_OK);
	assert_true(state_market_peek(&c->st, idx)->book.valid);

	/* PUT: query string, no body */
	dec_t lev;
	dec_parse("5", (size_t)-1, &lev, NULL);
	assert_int_equal(fut_rest_set_leverage(c->fr, &c->st, idx, &lev, on_result, c, &err), 0);
	q = last(&c->f);
	assert_string_equal(q->method, "PUT");
	assert_string_equal(q->url, "http://127.0.0.1:9/derivatives/api/v3/leveragepreferences"
	                            "?symbol=PF_XBTUSD&maxLeverage=5");
	assert_string_equal(q->body, "");
	respond_fixture(q, "success.json");
	assert_int_equal(c->res.status, INTENT_OK);
	teardown(c);
}

/* A refresh where one endpoint fails reports that failure once. */
static void test_refresh_failure(void **s)
{
	(void)s;
	struct ctx *c = setup(true, 0);
	struct kerr err = KERR_INIT;
	assert_int_equal(fut_rest_refresh_private(c->fr, &c->st, on_result, c, &err), 0);
	respond_fixture(&c->f.req[0], "error_auth.json");
	for (int i = 1; i < 4; i++)
		respond(&c->f.req[i], 200,
		        "{\"result\":\"success\",\"accounts\":{},\"openPositions\":[],"
		        "\"openOrders\":[],\"fills\":[]}");
	assert_int_equal(c->calls, 1);
	assert_int_equal(c->res.status, INTENT_REJECTED);
	assert_string_equal(c->res.code, "authenticationError");
	teardown(c);
}

/* The 500-per-10-s budget: 60 orders of cost 10 -> 50 leave now, 10 wait
 * (and are counted as waiting) until the window has room. */
static void test_budget_queue(void **s)
{
	(void)s;
	struct ctx *c = setup(true, 0);
	struct kerr err = KERR_INIT;
	for (int i = 0; i < 60; i++) {
		char cl[16];
		snprintf(cl, sizeof cl, "q%d", i);
		struct order_req r = f2_order(c, cl);
		assert_int_equal(fut_rest_send_order(c->fr, &c->st, &r, on_result, c, &err), 0);
	}
	assert_int_equal(c->f.nreq, 50);
	assert_int_equal(fut_rest_queued(c->fr), 10);
	assert_int_equal(fut_rest_budget_used(c->fr), 500);
	assert_int_equal(c->st.limits.waiting, 10);
	advance(&c->f, 9999);
	assert_int_equal(c->f.nreq, 50);
	advance(&c->f, 1);
	assert_int_equal(c->f.nreq, 60);
	assert_int_equal(fut_rest_queued(c->fr), 0);
	/* the queued ones went out in order */
	assert_non_null(strstr(c->f.req[50].body, "cliOrdId=q50"));
	assert_non_null(strstr(c->f.req[59].body, "cliOrdId=q59"));
	teardown(c);
}

/* The history pool: 100 tokens, account-log of 500 entries costs 3. */
static void test_history_pool(void **s)
{
	(void)s;
	struct ctx *c = setup(true, 0);
	struct kerr err = KERR_INIT;
	for (int i = 0; i < 34; i++)
		assert_int_equal(
		        fut_rest_get_account_log(c->fr, &c->st, 500, 0, on_result, c, &err), 0);
	assert_int_equal(c->f.nreq, 33);
	assert_string_equal(c->f.req[0].url,
	                    "http://127.0.0.1:9/api/history/v3/account-log?count=500");
	assert_non_null(hdr(&c->f.req[0], "Authent"));
	advance(&c->f, 11000);
	assert_int_equal(c->f.nreq, 33);
	advance(&c->f, 2000);
	assert_int_equal(c->f.nreq, 34);
	respond_fixture(&c->f.req[0], "account_log.json");
	assert_int_equal(c->res.status, INTENT_OK);
	assert_int_equal(c->st.nalog, 3);
	teardown(c);
}

/* apiLimitExceeded and HTTP 429: the request is held back (Retry-After
 * respected) and retried; other requests wait behind it. */
static void test_rate_limit_backoff(void **s)
{
	(void)s;
	struct ctx *c = setup(true, 0);
	struct kerr err = KERR_INIT;
	assert_int_equal(fut_rest_cancel_after(c->fr, &c->st, 60, on_result, c, &err), 0);
	respond_fixture(last(&c->f), "error_api_limit.json");
	assert_int_equal(c->calls, 0);
	assert_int_equal(c->f.nreq, 1);
	assert_int_equal(fut_rest_queued(c->fr), 1);
	advance(&c->f, 1000);
	assert_int_equal(c->f.nreq, 2);
	assert_string_equal(last(&c->f)->body, "timeout=60");
	respond_full(last(&c->f), 429, "Too Many Requests", "3");
	assert_int_equal(fut_rest_cancel(c->fr, &c->st, "abc", NULL, NULL, &err), 0);
	assert_int_equal(c->f.nreq, 2); /* waits behind the backoff */
	advance(&c->f, 2999);
	assert_int_equal(c->f.nreq, 2);
	advance(&c->f, 1);
	assert_int_equal(c->f.nreq, 4);
	assert_non_null(strstr(c->f.req[2].url, "cancelallordersafter"));
	respond_fixture(&c->f.req[2], "cancel_after.json");
	assert_int_equal(c->calls, 1);
	assert_int_equal(c->res.status, INTENT_OK);
	assert_int_equal(c->res.trigger_time_ms, 1709287823839LL);
	teardown(c);
}

/* A read that hits a 503 is retried after a backoff. */
static void test_read_retry(void **s)
{
	(void)s;
	struct ctx *c = setup(false, 0);
	struct kerr err = KERR_INIT;
	assert_int_equal(fut_rest_get_tickers(c->fr, &c->st, on_result, c, &err), 0);
	respond(last(&c->f), 503, "<html>busy</html>");
	assert_int_equal(c->calls, 0);
	advance(&c->f, 1000);
	assert_int_equal(c->f.nreq, 2);
	respond_fixture(last(&c->f), "tickers.json");
	assert_int_equal(c->res.status, INTENT_OK);
	/* private without a key: refused up front */
	assert_int_equal(fut_rest_refresh_private(c->fr, &c->st, on_result, c, &err), -1);
	assert_int_equal(err.code, FUT_REST_E_NOKEY);
	assert_int_equal(c->f.nreq, 2);
	teardown(c);
}

/* Drive a lost sendorder into reconciliation; returns the ctx. */
static struct ctx *lost_order(const char *cl, enum http_err how)
{
	struct ctx *c = setup(true, 500);
	struct order_req r = f2_order(c, cl);
	struct kerr err = KERR_INIT;
	assert_int_equal(fut_rest_send_order(c->fr, &c->st, &r, on_result, c, &err), 0);
	respond_error(last(&c->f), how);
	assert_int_equal(c->calls, 0);
	advance(&c->f, 499);
	assert_int_equal(c->f.nreq, 1);
	advance(&c->f, 1);
	assert_int_equal(c->f.nreq, 2);
	struct freq *q = last(&c->f);
	assert_string_equal(q->url, "http://127.0.0.1:9/derivatives/api/v3/orders/status");
	char want[96];
	snprintf(want, sizeof want, "cliOrdIds=%s", cl);
	assert_string_equal(q->body, want);
	return c;
}

static const char *empty_status = "{\"result\":\"success\",\"orders\":[]}";

/* Timeout -> orders/status finds the order: placed, with Kraken's id. */
static void test_reconcile_status_placed(void **s)
{
	(void)s;
	struct ctx *c = lost_order("kt-c1", HTTP_E_TIMEOUT);
	respond_fixture(last(&c->f), "orders_status.json");
	assert_int_equal(c->calls, 1);
	assert_int_equal(c->res.status, INTENT_OK);
	assert_string_equal(c->res.order_id, "179f9af8-e45e-469d-b3e9-aaaaaaaaaaaa");
	assert_int_equal(count_path(&c->f, "/sendorder"), 1);
	teardown(c);
}

/* orders/status says REJECTED: the user hears why. */
static void test_reconcile_status_rejected(void **s)
{
	(void)s;
	struct ctx *c = lost_order("kt-c3", HTTP_E_SEND_RECV);
	respond_fixture(last(&c->f), "orders_status.json");
	assert_int_equal(c->res.status, INTENT_REJECTED);
	assert_string_equal(c->res.code, "POST_WOULD_EXECUTE");
	teardown(c);
}

/* Not in orders/status (older than a few seconds) but in openorders. */
static void test_reconcile_open_orders(void **s)
{
	(void)s;
	struct ctx *c = lost_order("kt-sell-1", HTTP_E_TIMEOUT);
	respond(last(&c->f), 200, empty_status);
	advance(&c->f, 0);
	assert_int_equal(c->f.nreq, 3);
	assert_non_null(strstr(last(&c->f)->url, "/openorders"));
	respond_fixture(last(&c->f), "openorders.json");
	assert_int_equal(c->res.status, INTENT_OK);
	assert_string_equal(c->res.order_id, "59302619-41d2-4f0b-941f-7e7914760ad3");
	assert_int_equal(count_path(&c->f, "/sendorder"), 1);
	teardown(c);
}

/* Filled already: found in fills. */
static void test_reconcile_fills(void **s)
{
	(void)s;
	struct ctx *c = lost_order("kt-x", HTTP_E_TIMEOUT);
	respond(last(&c->f), 200, empty_status);
	advance(&c->f, 0);
	respond(last(&c->f), 200, "{\"result\":\"success\",\"openOrders\":[]}");
	advance(&c->f, 0);
	assert_non_null(strstr(last(&c->f)->url, "/fills"));
	respond_fixture(last(&c->f), "fills.json");
	assert_int_equal(c->res.status, INTENT_OK);
	assert_string_equal(c->res.order_id, "3f513c4c-683d-44ab-a73b-d296abbea201");
	teardown(c);
}

/* Nowhere to be found: reported as not placed, and never resent. */
static void test_reconcile_not_placed(void **s)
{
	(void)s;
	struct ctx *c = lost_order("kt-none", HTTP_E_TIMEOUT);
	respond(last(&c->f), 200, empty_status);
	advance(&c->f, 0);
	respond(last(&c->f), 200, "{\"result\":\"success\",\"openOrders\":[]}");
	advance(&c->f, 0);
	respond(last(&c->f), 200, "{\"result\":\"success\",\"fills\":[]}");
	assert_int_equal(c->calls, 1);
	assert_int_equal(c->res.status, INTENT_FAILED);
	assert_non_null(strstr(c->res.message, "kt-none"));
	assert_int_equal(count_path(&c->f, "/sendorder"), 1);
	teardown(c);
}

/* A 5xx reply to sendorder is an unknown outcome too. */
static void test_reconcile_after_5xx(void **s)
{
	(void)s;
	struct ctx *c = setup(true, 500);
	struct order_req r = f2_order(c, "kt-c1");
	struct kerr err = KERR_INIT;
	assert_int_equal(fut_rest_send_order(c->fr, &c->st, &r, on_result, c, &err), 0);
	respond(last(&c->f), 502, "<html>Bad Gateway</html>");
	advance(&c->f, 500);
	assert_non_null(strstr(last(&c->f)->url, "/orders/status"));
	respond_fixture(last(&c->f), "orders_status.json");
	assert_int_equal(c->res.status, INTENT_OK);
	teardown(c);
}

/* When even the checks fail, the outcome is reported unknown (with the
 * client id to look for), still without resending. */
static void test_reconcile_unknown(void **s)
{
	(void)s;
	struct ctx *c = lost_order("kt-lost", HTTP_E_TIMEOUT);
	for (int guard = 0; c->calls == 0 && guard < 100; guard++) {
		for (int i = 0; i < c->f.nreq; i++)
			if (c->f.req[i].open)
				respond_error(&c->f.req[i], HTTP_E_TIMEOUT);
		advance(&c->f, 60000);
	}
	assert_int_equal(c->calls, 1);
	assert_int_equal(c->res.status, INTENT_UNKNOWN);
	assert_non_null(strstr(c->res.message, "kt-lost"));
	assert_int_equal(count_path(&c->f, "/sendorder"), 1);
	teardown(c);
}

/* Connection refused: nothing was sent, so no reconciliation is needed. */
static void test_connect_refused(void **s)
{
	(void)s;
	struct ctx *c = setup(true, 500);
	struct order_req r = f2_order(c, "kt-c1");
	struct kerr err = KERR_INIT;
	assert_int_equal(fut_rest_send_order(c->fr, &c->st, &r, on_result, c, &err), 0);
	respond_error(last(&c->f), HTTP_E_CONNECT);
	assert_int_equal(c->calls, 1);
	assert_int_equal(c->res.status, INTENT_FAILED);
	advance(&c->f, 5000);
	assert_int_equal(c->f.nreq, 1);
	teardown(c);
}

/* A rejected order (status in sendStatus) and a refused request (error). */
static void test_rejections(void **s)
{
	(void)s;
	struct ctx *c = setup(true, 500);
	struct order_req r = f2_order(c, "kt-c3");
	struct kerr err = KERR_INIT;
	assert_int_equal(fut_rest_send_order(c->fr, &c->st, &r, on_result, c, &err), 0);
	respond_fixture(last(&c->f), "sendorder_rejected.json");
	assert_int_equal(c->res.status, INTENT_REJECTED);
	assert_string_equal(c->res.code, "postWouldExecute");
	assert_int_equal(fut_rest_send_order(c->fr, &c->st, &r, on_result, c, &err), 0);
	respond_fixture(last(&c->f), "error_auth.json");
	assert_int_equal(c->res.status, INTENT_REJECTED);
	assert_string_equal(c->res.code, "authenticationError");
	/* refused before sending: no client id, unknown instrument */
	r.cl_id[0] = '\0';
	assert_int_equal(fut_rest_send_order(c->fr, &c->st, &r, on_result, c, &err), -1);
	r = f2_order(c, "x");
	r.instr = 999;
	assert_int_equal(fut_rest_send_order(c->fr, &c->st, &r, on_result, c, &err), -1);
	assert_int_equal(c->f.nreq, 2);
	teardown(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_signed_sendorder),
	        cmocka_unit_test(test_get_signing_and_public),
	        cmocka_unit_test(test_refresh_failure),
	        cmocka_unit_test(test_budget_queue),
	        cmocka_unit_test(test_history_pool),
	        cmocka_unit_test(test_rate_limit_backoff),
	        cmocka_unit_test(test_read_retry),
	        cmocka_unit_test(test_reconcile_status_placed),
	        cmocka_unit_test(test_reconcile_status_rejected),
	        cmocka_unit_test(test_reconcile_open_orders),
	        cmocka_unit_test(test_reconcile_fills),
	        cmocka_unit_test(test_reconcile_not_placed),
	        cmocka_unit_test(test_reconcile_after_5xx),
	        cmocka_unit_test(test_reconcile_unknown),
	        cmocka_unit_test(test_connect_refused),
	        cmocka_unit_test(test_rejections),
	};
	return kt_run_tests(tests);
}
