/* test_fut_rest_account: the Futures REST session's account calls through the
 * fake transport (fut_rest_fake.h): transfers between futures wallets and
 * withdrawals to Spot, leverage and pnl preferences, batch orders — each with
 * the exact request on the wire and its typed result. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/state.h"
#include "kraken/fut_rest.h"
#include "tests/unit/fut_rest_fake.h"
#include "tests/unit/test_fut_rest_util.h"
#include "tests/unit/unit.h"

/* Transfers between futures wallets and withdrawals to Spot. */
static void test_transfers(void **s)
{
	(void)s;
	struct ctx *c = setup(true, 0);
	struct kerr err = KERR_INIT;
	struct transfer_req t;
	memset(&t, 0, sizeof t);
	snprintf(t.asset, sizeof t.asset, "USD");
	dec_parse("100", (size_t)-1, &t.amount, NULL);
	t.from = WALLET_FUTURES_FLEX;
	t.to = WALLET_FUTURES_CASH;
	assert_int_equal(fut_rest_transfer(c->fr, &c->st, &t, on_result, c, &err), 0);
	assert_string_equal(last(&c->f)->body,
	                    "fromAccount=flex&toAccount=cash&unit=USD&amount=100");
	respond_fixture(last(&c->f), "success.json");
	assert_int_equal(c->res.status, INTENT_OK);
	snprintf(t.asset, sizeof t.asset, "BTC");
	dec_parse("0.5", (size_t)-1, &t.amount, NULL);
	t.to = WALLET_SPOT;
	assert_int_equal(fut_rest_transfer(c->fr, &c->st, &t, on_result, c, &err), 0);
	assert_string_equal(last(&c->f)->url, "http://127.0.0.1:9/derivatives/api/v3/withdrawal");
	assert_string_equal(last(&c->f)->body, "currency=XBT&amount=0.5&sourceWallet=flex");
	respond_fixture(last(&c->f), "withdrawal.json");
	assert_int_equal(c->res.status, INTENT_OK);
	assert_string_equal(c->res.ref, "9053db5f-0d5e-48dd-b606-a5c92576b706");
	t.from = WALLET_SPOT;
	t.to = WALLET_FUTURES_FLEX;
	assert_int_equal(fut_rest_transfer(c->fr, &c->st, &t, on_result, c, &err), -1);
	teardown(c);
}

static size_t g_prefs;
static void on_prefs(void *arg, const struct intent_result *res, const struct fut_pref *p, size_t n)
{
	(void)arg;
	(void)p;
	assert_int_equal(res->status, INTENT_OK);
	g_prefs = n;
}

static struct intent_result g_batch_res;
static size_t g_batch_n;
static void on_batch(void *arg, const struct intent_result *res, const struct fut_order_result *it,
                     size_t n)
{
	(void)arg;
	g_batch_res = *res;
	g_batch_n = n;
	if (n)
		assert_string_equal(it[1].status, "postWouldExecute");
}

/* Preferences and batches carry typed results. */
static void test_prefs_batch(void **s)
{
	(void)s;
	struct ctx *c = setup(true, 0);
	struct kerr err = KERR_INIT;
	assert_int_equal(fut_rest_get_leverage_prefs(c->fr, &c->st, on_prefs, c, &err), 0);
	respond_fixture(last(&c->f), "leverage_prefs.json");
	assert_int_equal(g_prefs, 2);
	struct order_req r = f2_order(c, "kt-b1");
	const struct instrument *in = state_instrument(&c->st, r.instr);
	struct fut_batch_item it;
	memset(&it, 0, sizeof it);
	it.op = FUT_BATCH_SEND;
	snprintf(it.tag, sizeof it.tag, "1");
	it.in = in;
	it.req = &r;
	assert_int_equal(fut_rest_batch(c->fr, &c->st, &it, 1, on_batch, c, &err), 0);
	assert_non_null(strstr(last(&c->f)->body, "json=%7B%22batchOrder"));
	respond_fixture(last(&c->f), "batchorder.json");
	assert_int_equal(g_batch_res.status, INTENT_OK);
	assert_int_equal(g_batch_n, 3);
	teardown(c);
}

static struct intent_result g_pnl_res;
static struct fut_pref g_pnl;
static size_t g_pnl_n;
static void on_pnl_prefs(void *arg, const struct intent_result *res, const struct fut_pref *p,
                         size_t n)
{
	(void)arg;
	g_pnl_res = *res;
	g_pnl_n = n;
	if (n)
		g_pnl = p[0];
}

/* pnlpreferences round trip: a signed GET decoded into typed preferences, a
 * PUT with symbol and currency in the query (BTC goes out as XBT), the new
 * preference read back; refusals are reported; bad arguments send nothing. */
static void test_pnl_prefs(void **s)
{
	(void)s;
	struct ctx *c = setup(true, 0);
	struct kerr err = KERR_INIT;
	assert_int_equal(fut_rest_get_pnl_prefs(c->fr, &c->st, on_pnl_prefs, c, &err), 0);
	struct freq *q = last(&c->f);
	assert_string_equal(q->method, "GET");
	assert_string_equal(q->url, "http://127.0.0.1:9/derivatives/api/v3/pnlpreferences");
	assert_string_equal(hdr(q, "APIKey"), "test-key");
	assert_non_null(hdr(q, "Authent"));
	respond_fixture(q, "pnl_prefs.json");
	assert_int_equal(g_pnl_res.status, INTENT_OK);
	assert_int_equal(g_pnl_n, 1);
	assert_string_equal(g_pnl.symbol, "PF_XBTUSD");
	assert_string_equal(g_pnl.pnl_currency, "BTC");
	int idx = state_find_instrument(&c->st, "PF_XBTUSD");
	assert_int_equal(fut_rest_set_pnl_currency(c->fr, &c->st, idx, "BTC", on_result, c, &err),
	                 0);
	q = last(&c->f);
	assert_string_equal(q->method, "PUT");
	assert_string_equal(q->url, "http://127.0.0.1:9/derivatives/api/v3/pnlpreferences"
	                            "?symbol=PF_XBTUSD&pnlPreference=XBT");
	assert_string_equal(q->body, "");
	respond_fixture(q, "success.json");
	assert_int_equal(c->res.status, INTENT_OK);
	assert_int_equal(fut_rest_get_pnl_prefs(c->fr, &c->st, on_pnl_prefs, c, &err), 0);
	respond(last(&c->f), 200,
	        "{\"result\":\"success\",\"preferences\":[{\"symbol\":\"pf_xbtusd\","
	        "\"pnlCurrency\":\"XBT\"}]}");
	assert_int_equal(g_pnl_n, 1);
	assert_string_equal(g_pnl.symbol, "PF_XBTUSD");
	assert_string_equal(g_pnl.pnl_currency, "XBT");
	/* refusals, typed with Kraken's code */
	assert_int_equal(fut_rest_set_pnl_currency(c->fr, &c->st, idx, "USD", on_result, c, &err),
	                 0);
	respond_fixture(last(&c->f), "error_auth.json");
	assert_int_equal(c->res.status, INTENT_REJECTED);
	assert_string_equal(c->res.code, "authenticationError");
	assert_int_equal(fut_rest_get_pnl_prefs(c->fr, &c->st, on_pnl_prefs, c, &err), 0);
	respond_fixture(last(&c->f), "error_auth.json");
	assert_int_equal(g_pnl_res.status, INTENT_REJECTED);
	assert_int_equal(g_pnl_n, 0);
	/* not a futures instrument: nothing sent */
	int sent = c->f.nreq;
	assert_int_equal(fut_rest_set_pnl_currency(c->fr, &c->st, 999, "USD", on_result, c, &err),
	                 -1);
	assert_int_equal(c->f.nreq, sent);
	teardown(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_transfers),
	        cmocka_unit_test(test_prefs_batch),
	        cmocka_unit_test(test_pnl_prefs),
	};
	return kt_run_tests(tests);
}
