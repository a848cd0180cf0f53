/* Futures REST request builders: the exact postData of every order type and
 * endpoint, the batchorder json= URL-encoding, endpoint paths and costs, and
 * (with the §6.2 F2/F2b/F3 vectors) that the bytes built are the bytes an
 * Authent over them must match. */
#include <string.h>

#include "base/sbuf.h"
#include "base/urlenc.h"
#include "core/instrument.h"
#include "kraken/fut_rest_codec.h"
#include "net/sign.h"
#include "tests/unit/unit.h"

static const char *secret =
        "79Zdrg0VIuDdflFPXNbzy/3b/f6GwAvZYgYUXvYjS/ZROxrNPx0k4yyUvThOZ7kKTecCXn0nG8aC1jZz07h8ww==";

static struct instrument pf(void)
{
	struct instrument in;
	memset(&in, 0, sizeof in);
	snprintf(in.id, sizeof in.id, "PF_XBTUSD");
	snprintf(in.rest_id, sizeof in.rest_id, "PF_XBTUSD");
	in.product = PRODUCT_FUTURES;
	in.kind = IK_PERP_LINEAR;
	return in;
}

static dec_t D(const char *s)
{
	dec_t v;
	assert_int_equal(dec_parse(s, (size_t)-1, &v, NULL), 0);
	return v;
}

static struct order_req req_of(enum side side, enum order_type t, const char *qty)
{
	struct order_req r;
	memset(&r, 0, sizeof r);
	r.side = side;
	r.type = t;
	r.qty = D(qty);
	return r;
}

static void expect_send(const struct order_req *r, const char *want)
{
	struct instrument in = pf();
	struct sbuf b = SBUF_INIT;
	struct kerr err = KERR_INIT;
	if (fut_build_sendorder(&in, r, &b, &err))
		fail_msg("build failed: %s", err.msg);
	assert_string_equal(sbuf_str(&b), want);
	sbuf_free(&b);
}

static void expect_send_fails(const struct order_req *r, const char *why)
{
	struct instrument in = pf();
	struct sbuf b = SBUF_INIT;
	struct kerr err = KERR_INIT;
	assert_int_equal(fut_build_sendorder(&in, r, &b, &err), -1);
	assert_int_equal(err.code, FUT_E_ARG);
	assert_non_null(strstr(err.msg, why));
	sbuf_free(&b);
}

/* F2: the sendorder postData built from an order_req is byte for byte the
 * vector's, and Authent over it (with and without the Nonce) matches. */
static void test_sendorder_f2(void **s)
{
	(void)s;
	struct order_req r = req_of(SIDE_BUY, OT_LIMIT, "0.01");
	r.limit_price = D("50000");
	snprintf(r.cl_id, sizeof r.cl_id, "my-order-1");
	struct instrument in = pf();
	struct sbuf b = SBUF_INIT, path = SBUF_INIT;
	assert_int_equal(fut_build_sendorder(&in, &r, &b, NULL), 0);
	assert_string_equal(sbuf_str(&b), "orderType=lmt&symbol=PF_XBTUSD&side=buy&size=0.01"
	                                  "&limitPrice=50000&cliOrdId=my-order-1");
	fut_ep_sign_path(FUT_EP_SENDORDER, &path);
	char out[KRAKEN_SIGN_B64_SIZE];
	assert_int_equal(kraken_futures_authent(secret, sbuf_str(&b), "1700000000000",
	                                        sbuf_str(&path), out, sizeof out, NULL),
	                 0);
	assert_string_equal(out,
	                    "/E2ro6j3vSsyeT6NXGcPPil6tQYKaYe34rOubNTOEQ08IPr8l33MsaES59vMk3JBMRz"
	                    "2RfC657NJwNVK4AOUSw==");
	assert_int_equal(kraken_futures_authent(secret, sbuf_str(&b), "", sbuf_str(&path), out,
	                                        sizeof out, NULL),
	                 0);
	assert_string_equal(out,
	                    "Tt8SFtaiKUlH+i9lpWLT9+aNS0p67DnXLTnzeqVoEZS0warbGMI36X1khH7tvRKbtye"
	                    "XlQpEjSkyIPj6oysGAA==");
	sbuf_free(&b);
	sbuf_free(&path);
}

/* F3: batchorder's json= field is the percent-encoded JSON of the vector. */
static void test_batch_f3(void **s)
{
	(void)s;
	struct order_req r = req_of(SIDE_BUY, OT_LIMIT, "0.01");
	r.limit_price = D("50000");
	struct instrument in = pf();
	struct fut_batch_item it;
	memset(&it, 0, sizeof it);
	it.op = FUT_BATCH_SEND;
	snprintf(it.tag, sizeof it.tag, "1");
	it.in = &in;
	it.req = &r;
	struct sbuf b = SBUF_INIT, path = SBUF_INIT;
	assert_int_equal(fut_build_batch(&it, 1, &b, NULL), 0);
	assert_string_equal(
	        sbuf_str(&b),
	        "json=%7B%22batchOrder%22%3A%5B%7B%22order%22%3A%22send%22%2C%22order_tag%22"
	        "%3A%221%22%2C%22orderType%22%3A%22lmt%22%2C%22symbol%22%3A%22PF_XBTUSD%22%2C"
	        "%22side%22%3A%22buy%22%2C%22size%22%3A0.01%2C%22limitPrice%22%3A50000%7D%5D"
	        "%7D");
	fut_ep_sign_path(FUT_EP_BATCHORDER, &path);
	char out[KRAKEN_SIGN_B64_SIZE];
	assert_int_equal(kraken_futures_authent(secret, sbuf_str(&b), "1700000000001",
	                                        sbuf_str(&path), out, sizeof out, NULL),
	                 0);
	assert_string_equal(out,
	                    "yMyOPbzuDax0w7lgIGJka7Rqm4KzAVxQAOGUTxJJG2vhjv07L+3OjGpc8xD9y46HOM/"
	                    "VFD97Ofxn/Muonpd0nA==");
	assert_int_equal(fut_ep_cost(FUT_EP_BATCHORDER, sbuf_str(&b)), 10);
	sbuf_free(&b);
	sbuf_free(&path);
}

/* Edit and cancel instructions in a batch, and the cost of a 3-item batch. */
static void test_batch_mixed(void **s)
{
	(void)s;
	struct order_req r = req_of(SIDE_SELL, OT_STOP, "2");
	r.trigger_price = D("58000");
	r.signal = TRIG_MARK;
	r.reduce_only = true;
	snprintf(r.cl_id, sizeof r.cl_id, "c\"1");
	struct amend_req a;
	memset(&a, 0, sizeof a);
	snprintf(a.order_id, sizeof a.order_id, "o-2");
	a.has_limit = true;
	a.limit_price = D("60000.5");
	struct instrument in = pf();
	struct fut_batch_item it[3];
	memset(it, 0, sizeof it);
	it[0].op = FUT_BATCH_SEND;
	snprintf(it[0].tag, sizeof it[0].tag, "a");
	it[0].in = &in;
	it[0].req = &r;
	it[1].op = FUT_BATCH_EDIT;
	it[1].amend = &a;
	it[2].op = FUT_BATCH_CANCEL;
	snprintf(it[2].cl_id, sizeof it[2].cl_id, "c9");
	struct sbuf b = SBUF_INIT, dec = SBUF_INIT;
	assert_int_equal(fut_build_batch(it, 3, &b, NULL), 0);
	assert_int_equal(urlenc_decode(b.p + 5, b.len - 5, &dec, NULL), 0);
	assert_string_equal(
	        sbuf_str(&dec),
	        "{\"batchOrder\":[{\"order\":\"send\",\"order_tag\":\"a\",\"orderType\":\"stp\","
	        "\"symbol\":\"PF_XBTUSD\",\"side\":\"sell\",\"size\":2,\"stopPrice\":58000,"
	        "\"triggerSignal\":\"mark\",\"reduceOnly\":true,\"cliOrdId\":\"c\\\"1\"},"
	        "{\"order\":\"edit\",\"order_id\":\"o-2\",\"limitPrice\":60000.5},"
	        "{\"order\":\"cancel\",\"cliOrdId\":\"c9\"}]}");
	assert_int_equal(fut_ep_cost(FUT_EP_BATCHORDER, sbuf_str(&b)), 12);
	struct kerr err = KERR_INIT;
	assert_int_equal(fut_build_batch(it, 0, &b, &err), -1);
	it[2].cl_id[0] = '\0';
	assert_int_equal(fut_build_batch(it, 3, &b, &err), -1);
	sbuf_free(&b);
	sbuf_free(&dec);
}

/* Every core order type maps to Kraken's orderType with the right fields. */
static void test_sendorder_types(void **s)
{
	(void)s;
	struct order_req r = req_of(SIDE_SELL, OT_LIMIT, "0.5");
	r.limit_price = D("61000.5");
	r.post_only = true;
	r.reduce_only = true;
	snprintf(r.cl_id, sizeof r.cl_id, "a b+c");
	expect_send(&r, "orderType=post&symbol=PF_XBTUSD&side=sell&size=0.5&limitPrice=61000.5"
	                "&reduceOnly=true&cliOrdId=a%20b%2Bc");
	r = req_of(SIDE_BUY, OT_LIMIT, "1");
	r.limit_price = D("60000");
	r.tif = TIF_IOC;
	expect_send(&r, "orderType=ioc&symbol=PF_XBTUSD&side=buy&size=1&limitPrice=60000");
	r.tif = TIF_FOK;
	expect_send(&r, "orderType=fok&symbol=PF_XBTUSD&side=buy&size=1&limitPrice=60000");
	r = req_of(SIDE_BUY, OT_MARKET, "0.0001");
	expect_send(&r, "orderType=mkt&symbol=PF_XBTUSD&side=buy&size=0.0001");
	r = req_of(SIDE_SELL, OT_STOP, "1");
	r.trigger_price = D("58000");
	r.signal = TRIG_MARK;
	expect_send(&r, "orderType=stp&symbol=PF_XBTUSD&side=sell&size=1&stopPrice=58000"
	                "&triggerSignal=mark");
	r.type = OT_STOP_LIMIT;
	r.limit_price = D("57900");
	r.signal = TRIG_LAST;
	expect_send(&r, "orderType=stp&symbol=PF_XBTUSD&side=sell&size=1&limitPrice=57900"
	                "&stopPrice=58000&triggerSignal=last");
	r = req_of(SIDE_SELL, OT_TAKE_PROFIT, "1");
	r.trigger_price = D("65000");
	r.signal = TRIG_INDEX;
	expect_send(&r, "orderType=take_profit&symbol=PF_XBTUSD&side=sell&size=1&stopPrice=65000"
	                "&triggerSignal=index");
	r.type = OT_TAKE_PROFIT_LIMIT;
	r.limit_price = D("64900");
	expect_send(&r, "orderType=take_profit&symbol=PF_XBTUSD&side=sell&size=1&limitPrice=64900"
	                "&stopPrice=65000&triggerSignal=index");
	r = req_of(SIDE_SELL, OT_TRAILING_STOP, "1");
	r.trail_offset = D("2.5");
	r.trail_pct = true;
	r.signal = TRIG_MARK;
	expect_send(&r,
	            "orderType=trailing_stop&symbol=PF_XBTUSD&side=sell&size=1&triggerSignal=mark"
	            "&trailingStopMaxDeviation=2.5&trailingStopDeviationUnit=PERCENT");
	r.trail_pct = false;
	r.trail_offset = D("150");
	r.signal = TRIG_LAST;
	expect_send(&r,
	            "orderType=trailing_stop&symbol=PF_XBTUSD&side=sell&size=1&triggerSignal=last"
	            "&trailingStopMaxDeviation=150&trailingStopDeviationUnit=QUOTE_CURRENCY");
}

/* Requests Futures cannot express are refused before anything is sent. */
static void test_sendorder_refused(void **s)
{
	(void)s;
	struct order_req r = req_of(SIDE_BUY, OT_ICEBERG, "1");
	r.limit_price = D("1");
	expect_send_fails(&r, "iceberg");
	r = req_of(SIDE_BUY, OT_LIMIT, "1");
	r.limit_price = D("1");
	r.tif = TIF_GTD;
	expect_send_fails(&r, "good-till-date");
	r.tif = TIF_IOC;
	r.post_only = true;
	expect_send_fails(&r, "post-only");
	r = req_of(SIDE_BUY, OT_LIMIT, "0");
	r.limit_price = D("1");
	expect_send_fails(&r, "size");
	r = req_of(SIDE_BUY, OT_LIMIT, "1");
	expect_send_fails(&r, "limit price");
	r = req_of(SIDE_BUY, OT_STOP, "1");
	expect_send_fails(&r, "trigger price");
	r = req_of(SIDE_BUY, OT_TRAILING_STOP, "1");
	expect_send_fails(&r, "trailing distance");
	r = req_of(SIDE_BUY, OT_MARKET, "1");
	r.tif = TIF_IOC;
	expect_send_fails(&r, "limit orders only");
	r = req_of(SIDE_BUY, OT_TRAILING_STOP_LIMIT, "1");
	expect_send_fails(&r, "Futures has no");
}

static void expect(const struct sbuf *b, const char *want)
{
	assert_string_equal(sbuf_str(b), want);
}

/* The other endpoints' parameters, in Kraken's spelling (orderId vs order_id). */
static void test_other_builders(void **s)
{
	(void)s;
	struct sbuf b = SBUF_INIT;
	struct kerr err = KERR_INIT;
	struct amend_req a;
	memset(&a, 0, sizeof a);
	snprintf(a.order_id, sizeof a.order_id, "abc");
	assert_int_equal(fut_build_editorder(&a, false, &b, &err), -1); /* nothing to change */
	a.has_qty = a.has_limit = a.has_trigger = true;
	a.qty = D("2");
	a.limit_price = D("60000");
	a.trigger_price = D("59000");
	sbuf_reset(&b);
	assert_int_equal(fut_build_editorder(&a, false, &b, &err), 0);
	expect(&b, "orderId=abc&size=2&limitPrice=60000&stopPrice=59000&qtyMode=ABSOLUTE");
	sbuf_reset(&b);
	a.has_qty = a.has_trigger = false;
	assert_int_equal(fut_build_editorder(&a, true, &b, &err), 0);
	expect(&b, "cliOrdId=abc&limitPrice=60000");

	sbuf_reset(&b);
	assert_int_equal(fut_build_cancelorder("abc", NULL, &b, &err), 0);
	expect(&b, "order_id=abc");
	sbuf_reset(&b);
	assert_int_equal(fut_build_cancelorder(NULL, "kt-1", &b, &err), 0);
	expect(&b, "cliOrdId=kt-1");
	assert_int_equal(fut_build_cancelorder("", "", &b, &err), -1);

	sbuf_reset(&b);
	fut_build_cancelall(NULL, &b);
	expect(&b, "");
	fut_build_cancelall("PF_XBTUSD", &b);
	expect(&b, "symbol=PF_XBTUSD");
	sbuf_reset(&b);
	fut_build_cancel_after(60, &b);
	expect(&b, "timeout=60");

	sbuf_reset(&b);
	const char *ids[] = {"a", "b"};
	const char *cls[] = {"kt 1"};
	fut_build_orders_status(ids, 2, cls, 1, &b);
	expect(&b, "orderIds=a&orderIds=b&cliOrdIds=kt%201");

	sbuf_reset(&b);
	dec_t lev = D("10");
	fut_build_leverage_put("PF_XBTUSD", &lev, &b);
	expect(&b, "symbol=PF_XBTUSD&maxLeverage=10");
	sbuf_reset(&b);
	fut_build_leverage_put("PF_XBTUSD", NULL, &b);
	expect(&b, "symbol=PF_XBTUSD");
	sbuf_reset(&b);
	fut_build_pnl_put("PF_XBTUSD", "BTC", &b);
	expect(&b, "symbol=PF_XBTUSD&pnlPreference=BTC");
	sbuf_reset(&b);
	fut_build_transfer("flex", "cash", "USD", D("100.50"), &b);
	expect(&b, "fromAccount=flex&toAccount=cash&unit=USD&amount=100.5");
	sbuf_reset(&b);
	fut_build_withdrawal("USD", D("5"), "flex", &b);
	expect(&b, "currency=USD&amount=5&sourceWallet=flex");
	sbuf_reset(&b);
	fut_build_withdrawal("XBT", D("0.1"), NULL, &b);
	expect(&b, "currency=XBT&amount=0.1&sourceWallet=cash");
	sbuf_reset(&b);
	fut_build_fills(0, &b);
	expect(&b, "");
	fut_build_fills(1709287200000LL, &b);
	expect(&b, "lastFillTime=2024-03-01T10%3A00%3A00.000Z");
	sbuf_reset(&b);
	fut_build_account_log(25, 1709251200000LL, &b);
	expect(&b, "count=25&since=1709251200000");
	sbuf_reset(&b);
	fut_build_symbol("PI_XBTUSD", &b);
	expect(&b, "symbol=PI_XBTUSD");
	assert_string_equal(fut_wallet_name(WALLET_FUTURES_FLEX), "flex");
	assert_string_equal(fut_wallet_name(WALLET_FUTURES_CASH), "cash");
	assert_null(fut_wallet_name(WALLET_SPOT));
	sbuf_free(&b);
}

/* Paths (signed path without /derivatives; history signed in full) and the
 * documented costs. */
static void test_paths_and_costs(void **s)
{
	(void)s;
	struct sbuf p = SBUF_INIT, sp = SBUF_INIT;
	fut_ep_path(FUT_EP_SENDORDER, &p);
	fut_ep_sign_path(FUT_EP_SENDORDER, &sp);
	assert_string_equal(sbuf_str(&p), "/derivatives/api/v3/sendorder");
	assert_string_equal(sbuf_str(&sp), "/api/v3/sendorder");
	assert_string_equal(kraken_futures_endpoint_path(sbuf_str(&p)), sbuf_str(&sp));
	sbuf_reset(&p);
	sbuf_reset(&sp);
	fut_ep_path(FUT_EP_ACCOUNT_LOG, &p);
	fut_ep_sign_path(FUT_EP_ACCOUNT_LOG, &sp);
	assert_string_equal(sbuf_str(&p), "/api/history/v3/account-log");
	assert_string_equal(sbuf_str(&sp), "/api/history/v3/account-log");
	sbuf_reset(&p);
	fut_ep_path(FUT_EP_ORDERS_STATUS, &p);
	assert_string_equal(sbuf_str(&p), "/derivatives/api/v3/orders/status");
	sbuf_free(&p);
	sbuf_free(&sp);

	assert_string_equal(fut_ep_desc(FUT_EP_LEVERAGE_PUT)->method, "PUT");
	assert_false(fut_ep_desc(FUT_EP_LEVERAGE_PUT)->body);
	assert_true(fut_ep_desc(FUT_EP_SENDORDER)->body);
	assert_false(fut_ep_desc(FUT_EP_TICKERS)->priv);
	assert_true(fut_ep_desc(FUT_EP_ACCOUNT_LOG)->history);
	assert_int_equal(fut_ep_cost(FUT_EP_TICKERS, ""), 0);
	assert_int_equal(fut_ep_cost(FUT_EP_SENDORDER, ""), 10);
	assert_int_equal(fut_ep_cost(FUT_EP_ACCOUNTS, ""), 2);
	assert_int_equal(fut_ep_cost(FUT_EP_FILLS, ""), 2);
	assert_int_equal(fut_ep_cost(FUT_EP_FILLS, "lastFillTime=x"), 25);
	assert_int_equal(fut_ep_cost(FUT_EP_CANCELALL, ""), 25);
	assert_int_equal(fut_ep_cost(FUT_EP_ORDERS_STATUS, "cliOrdIds=a"), 1);
	assert_int_equal(fut_ep_cost(FUT_EP_WITHDRAWAL, ""), 100);
	assert_int_equal(fut_ep_cost(FUT_EP_LEVERAGE_GET, ""), 2);
	assert_int_equal(fut_ep_cost(FUT_EP_LEVERAGE_PUT, ""), 10);
	assert_int_equal(fut_ep_cost(FUT_EP_ACCOUNT_LOG, "count=25"), 1);
	assert_int_equal(fut_ep_cost(FUT_EP_ACCOUNT_LOG, "count=50"), 2);
	assert_int_equal(fut_ep_cost(FUT_EP_ACCOUNT_LOG, "since=1"), 3);
	assert_int_equal(fut_ep_cost(FUT_EP_ACCOUNT_LOG, "count=2000"), 6);
	assert_int_equal(fut_ep_cost(FUT_EP_ACCOUNT_LOG, "count=90000"), 10);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_sendorder_f2),      cmocka_unit_test(test_batch_f3),
	        cmocka_unit_test(test_batch_mixed),       cmocka_unit_test(test_sendorder_types),
	        cmocka_unit_test(test_sendorder_refused), cmocka_unit_test(test_other_builders),
	        cmocka_unit_test(test_paths_and_costs),
	};
	return kt_run_tests(tests);
}
