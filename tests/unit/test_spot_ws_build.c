/* test_spot_ws_build: the Spot WS v2 request builders produce exactly the
 * JSON Kraken documents (every channel's subscription with explicit snapshot
 * flags, all ten order types, triggers, GTD, conditional closes, the other
 * trading methods), refuse what Kraken would refuse, and the pending-request
 * table matches answers by req_id, completes each callback exactly once and
 * turns timeouts and lost connections into INTENT_UNKNOWN with the client
 * order id. */
#include <stdlib.h>
#include <string.h>

#include "base/dec.h"
#include "core/instrument.h"
#include "kraken/spot_ws_codec.h"
#include "kraken/spot_ws_req.h"
#include "tests/unit/unit.h"

static dec_t D(const char *s)
{
	dec_t v;
	assert_int_equal(dec_parse(s, (size_t)-1, &v, NULL), 0);
	return v;
}

static struct instrument btc(void)
{
	struct instrument in = {0};
	snprintf(in.id, sizeof in.id, "BTC/USD");
	in.product = PRODUCT_SPOT;
	in.price_dp = 1;
	in.qty_dp = 8;
	return in;
}

static struct order_req base_req(enum order_type t, enum side s)
{
	struct order_req r = {0};
	r.type = t;
	r.side = s;
	r.qty = D("1.25");
	snprintf(r.cl_id, sizeof r.cl_id, "c-1");
	return r;
}

#define TOKEN    "TOK"
#define HEAD(m)  "{\"method\":\"" m "\",\"params\":{"
#define TAIL(id) ",\"token\":\"" TOKEN "\"},\"req_id\":" id "}"

static void expect_add(const struct order_req *r, const struct spot_ws_order_opts *o,
                       const char *want)
{
	struct sbuf b = SBUF_INIT;
	struct instrument in = btc();
	struct kerr err = KERR_INIT;
	int rc = spot_ws_build_add_order(&b, &in, r, o, TOKEN, 5, &err);
	if (rc)
		fail_msg("build failed: %s", err.msg);
	assert_string_equal(sbuf_str(&b), want);
	sbuf_free(&b);
}

static void expect_add_error(const struct order_req *r, const char *needle)
{
	struct sbuf b = SBUF_INIT;
	struct instrument in = btc();
	struct kerr err = KERR_INIT;
	assert_int_equal(spot_ws_build_add_order(&b, &in, r, NULL, TOKEN, 5, &err), -1);
	assert_non_null(strstr(err.msg, needle));
	assert_int_equal(b.len, 0);
	sbuf_free(&b);
}

static void subscriptions(void **state)
{
	(void)state;
	struct sbuf b = SBUF_INIT;
	const char *syms[] = {"BTC/USD", "ETH/USD"};
	struct spot_ws_sub s = {
	        .channel = SWC_BOOK, .symbols = syms, .nsymbols = 2, .depth = 25, .snapshot = true};
	assert_int_equal(spot_ws_build_subscribe(&b, false, &s, 1, NULL), 0);
	assert_string_equal(
	        b.p, "{\"method\":\"subscribe\",\"params\":{\"channel\":\"book\",\"symbol\":"
	             "[\"BTC/USD\",\"ETH/USD\"],\"depth\":25,\"snapshot\":true},\"req_id\":1}");
	sbuf_reset(&b);
	assert_int_equal(spot_ws_build_subscribe(&b, true, &s, 2, NULL), 0);
	assert_string_equal(
	        b.p, "{\"method\":\"unsubscribe\",\"params\":{\"channel\":\"book\",\"symbol\":"
	             "[\"BTC/USD\",\"ETH/USD\"],\"depth\":25},\"req_id\":2}");
	sbuf_reset(&b);
	s = (struct spot_ws_sub){.channel = SWC_TRADE, .symbols = syms, .nsymbols = 1};
	assert_int_equal(spot_ws_build_subscribe(&b, false, &s, 3, NULL), 0);
	assert_string_equal(
	        b.p, "{\"method\":\"subscribe\",\"params\":{\"channel\":\"trade\",\"symbol\":"
	             "[\"BTC/USD\"],\"snapshot\":false},\"req_id\":3}");
	sbuf_reset(&b);
	s = (struct spot_ws_sub){.channel = SWC_TICKER,
	                         .symbols = syms,
	                         .nsymbols = 1,
	                         .snapshot = true,
	                         .bbo_trigger = true};
	assert_int_equal(spot_ws_build_subscribe(&b, false, &s, 0, NULL), 0);
	assert_string_equal(
	        b.p, "{\"method\":\"subscribe\",\"params\":{\"channel\":\"ticker\",\"symbol\":"
	             "[\"BTC/USD\"],\"event_trigger\":\"bbo\",\"snapshot\":true}}");
	sbuf_reset(&b);
	s = (struct spot_ws_sub){.channel = SWC_OHLC,
	                         .symbols = syms,
	                         .nsymbols = 1,
	                         .interval = 5,
	                         .snapshot = true};
	assert_int_equal(spot_ws_build_subscribe(&b, false, &s, 4, NULL), 0);
	assert_string_equal(b.p,
	                    "{\"method\":\"subscribe\",\"params\":{\"channel\":\"ohlc\",\"symbol\":"
	                    "[\"BTC/USD\"],\"interval\":5,\"snapshot\":true},\"req_id\":4}");
	sbuf_reset(&b);
	s = (struct spot_ws_sub){.channel = SWC_INSTRUMENT, .snapshot = true};
	assert_int_equal(spot_ws_build_subscribe(&b, false, &s, 5, NULL), 0);
	assert_string_equal(b.p, "{\"method\":\"subscribe\",\"params\":{\"channel\":\"instrument\","
	                         "\"snapshot\":true},\"req_id\":5}");
	sbuf_reset(&b);
	s = (struct spot_ws_sub){.channel = SWC_EXECUTIONS, .snapshot = true, .token = TOKEN};
	assert_int_equal(spot_ws_build_subscribe(&b, false, &s, 6, NULL), 0);
	assert_string_equal(b.p, "{\"method\":\"subscribe\",\"params\":{\"channel\":\"executions\","
	                         "\"snap_orders\":true,\"snap_trades\":true,\"order_status\":true,"
	                         "\"token\":\"TOK\"},\"req_id\":6}");
	sbuf_reset(&b);
	s = (struct spot_ws_sub){.channel = SWC_BALANCES, .snapshot = true, .token = TOKEN};
	assert_int_equal(spot_ws_build_subscribe(&b, false, &s, 7, NULL), 0);
	assert_string_equal(b.p, "{\"method\":\"subscribe\",\"params\":{\"channel\":\"balances\","
	                         "\"snapshot\":true,\"token\":\"TOK\"},\"req_id\":7}");
	sbuf_reset(&b);
	spot_ws_build_ping(&b, 8);
	assert_string_equal(b.p, "{\"method\":\"ping\",\"req_id\":8}");
	sbuf_free(&b);
}

static void subscription_errors(void **state)
{
	(void)state;
	struct sbuf b = SBUF_INIT;
	struct kerr err = KERR_INIT;
	const char *syms[] = {"BTC/USD"};
	struct spot_ws_sub s = {.channel = SWC_BOOK, .symbols = syms, .nsymbols = 1, .depth = 20};
	assert_int_equal(spot_ws_build_subscribe(&b, false, &s, 1, &err), -1);
	assert_non_null(strstr(err.msg, "depth 20"));
	s = (struct spot_ws_sub){
	        .channel = SWC_OHLC, .symbols = syms, .nsymbols = 1, .interval = 3};
	assert_int_equal(spot_ws_build_subscribe(&b, false, &s, 1, &err), -1);
	s = (struct spot_ws_sub){.channel = SWC_EXECUTIONS};
	assert_int_equal(spot_ws_build_subscribe(&b, false, &s, 1, &err), -1);
	assert_non_null(strstr(err.msg, "token"));
	s = (struct spot_ws_sub){.channel = SWC_TICKER};
	assert_int_equal(spot_ws_build_subscribe(&b, false, &s, 1, &err), -1);
	assert_int_equal(b.len, 0);
	sbuf_free(&b);
}

/* All ten order types, each with the fields it needs. */
static void add_order_types(void **state)
{
	(void)state;
	struct order_req r = base_req(OT_MARKET, SIDE_BUY);
	expect_add(
	        &r, NULL,
	        HEAD("add_order") "\"order_type\":\"market\",\"side\":\"buy\",\"order_qty\":1.25,"
	                          "\"symbol\":\"BTC/USD\",\"cl_ord_id\":\"c-1\"" TAIL("5"));
	r = base_req(OT_LIMIT, SIDE_SELL);
	r.limit_price = D("45000.5");
	r.post_only = true;
	expect_add(
	        &r, NULL,
	        HEAD("add_order") "\"order_type\":\"limit\",\"side\":\"sell\",\"order_qty\":1.25,"
	                          "\"symbol\":\"BTC/"
	                          "USD\",\"limit_price\":45000.5,\"post_only\":true,"
	                          "\"cl_ord_id\":\"c-1\"" TAIL("5"));
	r = base_req(OT_ICEBERG, SIDE_BUY);
	r.limit_price = D("45000");
	r.display_qty = D("0.1");
	expect_add(
	        &r, NULL,
	        HEAD("add_order") "\"order_type\":\"iceberg\",\"side\":\"buy\",\"order_qty\":1.25,"
	                          "\"symbol\":\"BTC/"
	                          "USD\",\"limit_price\":45000,\"display_qty\":0.1,"
	                          "\"cl_ord_id\":\"c-1\"" TAIL("5"));
	r = base_req(OT_STOP, SIDE_SELL);
	r.trigger_price = D("44000.0");
	r.signal = TRIG_INDEX;
	r.reduce_only = true;
	expect_add(&r, NULL,
	           HEAD("add_order") "\"order_type\":\"stop-loss\",\"side\":\"sell\",\"order_qty\":"
	                             "1.25,"
	                             "\"symbol\":\"BTC/USD\",\"triggers\":{\"reference\":\"index\","
	                             "\"price\":44000.0},\"reduce_only\":true,\"cl_ord_id\":\"c-"
	                             "1\"" TAIL("5"));
	r = base_req(OT_STOP_LIMIT, SIDE_SELL);
	r.trigger_price = D("44000");
	r.limit_price = D("43900");
	expect_add(
	        &r, NULL,
	        HEAD("add_order") "\"order_type\":\"stop-loss-limit\",\"side\":\"sell\","
	                          "\"order_qty\":1.25,\"symbol\":\"BTC/USD\",\"limit_price\":43900,"
	                          "\"triggers\":{\"price\":44000},\"cl_ord_id\":\"c-1\"" TAIL("5"));
	r = base_req(OT_TAKE_PROFIT, SIDE_SELL);
	r.trigger_price = D("50000");
	expect_add(&r, NULL,
	           HEAD("add_order") "\"order_type\":\"take-profit\",\"side\":\"sell\",\"order_"
	                             "qty\":1.25,"
	                             "\"symbol\":\"BTC/USD\",\"triggers\":{\"price\":50000},"
	                             "\"cl_ord_id\":\"c-1\"" TAIL("5"));
	r = base_req(OT_TAKE_PROFIT_LIMIT, SIDE_SELL);
	r.trigger_price = D("50000");
	r.limit_price = D("50100");
	expect_add(
	        &r, NULL,
	        HEAD("add_order") "\"order_type\":\"take-profit-limit\",\"side\":\"sell\","
	                          "\"order_qty\":1.25,\"symbol\":\"BTC/USD\",\"limit_price\":50100,"
	                          "\"triggers\":{\"price\":50000},\"cl_ord_id\":\"c-1\"" TAIL("5"));
	r = base_req(OT_TRAILING_STOP, SIDE_SELL);
	r.trail_offset = D("1.5");
	r.trail_pct = true;
	expect_add(&r, NULL,
	           HEAD("add_order") "\"order_type\":\"trailing-stop\",\"side\":\"sell\","
	                             "\"order_qty\":1.25,\"symbol\":\"BTC/"
	                             "USD\",\"triggers\":{\"price\":1.5,"
	                             "\"price_type\":\"pct\"},\"cl_ord_id\":\"c-1\"" TAIL("5"));
	r = base_req(OT_TRAILING_STOP_LIMIT, SIDE_SELL);
	r.trail_offset = D("150");
	r.trail_limit_offset = D("-10");
	expect_add(
	        &r, NULL,
	        HEAD("add_order") "\"order_type\":\"trailing-stop-limit\",\"side\":\"sell\","
	                          "\"order_qty\":1.25,\"symbol\":\"BTC/USD\",\"limit_price\":-10,"
	                          "\"limit_price_type\":\"quote\",\"triggers\":{\"price\":150,"
	                          "\"price_type\":\"quote\"},\"cl_ord_id\":\"c-1\"" TAIL("5"));
	r = base_req(OT_SETTLE_POSITION, SIDE_BUY);
	r.leverage = 2;
	expect_add(&r, NULL,
	           HEAD("add_order") "\"order_type\":\"settle-position\",\"side\":\"buy\","
	                             "\"order_qty\":1.25,\"symbol\":\"BTC/USD\",\"margin\":true,"
	                             "\"cl_ord_id\":\"c-1\"" TAIL("5"));
}

/* Time in force, quote-currency size, conditional close, options. */
static void add_order_options(void **state)
{
	(void)state;
	struct order_req r = base_req(OT_LIMIT, SIDE_BUY);
	r.limit_price = D("45000");
	r.tif = TIF_GTD;
	r.expire_s = 1700000000;
	r.validate_only = true;
	struct spot_ws_order_opts o = {.fee_pref = SWF_QUOTE,
	                               .stp = SWS_CANCEL_BOTH,
	                               .deadline_ns = 1700000000123456789LL};
	expect_add(&r, &o,
	           HEAD("add_order") "\"order_type\":\"limit\",\"side\":\"buy\",\"order_qty\":1.25,"
	                             "\"symbol\":\"BTC/"
	                             "USD\",\"limit_price\":45000,\"time_in_force\":\"gtd\","
	                             "\"expire_time\":\"2023-11-14T22:13:20Z\",\"fee_preference\":"
	                             "\"quote\","
	                             "\"stp_type\":\"cancel_both\",\"cl_ord_id\":\"c-1\","
	                             "\"validate\":true,"
	                             "\"deadline\":\"2023-11-14T22:13:20.123Z\"" TAIL("5"));
	r = base_req(OT_MARKET, SIDE_BUY);
	r.qty = D("100");
	r.qty_in_quote = true;
	r.tif = TIF_IOC;
	r.cl_id[0] = '\0';
	o = (struct spot_ws_order_opts){.order_userref = 42};
	expect_add(&r, &o,
	           HEAD("add_order") "\"order_type\":\"market\",\"side\":\"buy\",\"cash_order_"
	                             "qty\":100,"
	                             "\"symbol\":\"BTC/USD\",\"time_in_force\":\"ioc\","
	                             "\"order_userref\":42" TAIL("5"));
	r = base_req(OT_LIMIT, SIDE_BUY);
	r.limit_price = D("28440");
	r.close = (struct close_req){
	        .set = true, .type = OT_STOP_LIMIT, .price = D("28410"), .price2 = D("28400")};
	expect_add(&r, NULL,
	           HEAD("add_order") "\"order_type\":\"limit\",\"side\":\"buy\",\"order_qty\":1.25,"
	                             "\"symbol\":\"BTC/"
	                             "USD\",\"limit_price\":28440,\"cl_ord_id\":\"c-1\","
	                             "\"conditional\":{\"order_type\":\"stop-loss-limit\","
	                             "\"trigger_price\":28410,\"limit_price\":28400}" TAIL("5"));
}

static void add_order_refusals(void **state)
{
	(void)state;
	struct order_req r = base_req(OT_LIMIT, SIDE_BUY);
	expect_add_error(&r, "limit price");
	r.limit_price = D("1");
	r.tif = TIF_FOK;
	expect_add_error(&r, "fill-or-kill");
	r = base_req(OT_STOP, SIDE_SELL);
	r.trigger_price = D("1");
	r.signal = TRIG_MARK;
	expect_add_error(&r, "mark");
	r = base_req(OT_LIMIT, SIDE_SELL);
	r.limit_price = D("1");
	r.qty_in_quote = true;
	expect_add_error(&r, "market buys");
	r = base_req(OT_TRAILING_STOP, SIDE_SELL);
	expect_add_error(&r, "trailing distance");
	r = base_req(OT_LIMIT, SIDE_BUY);
	r.limit_price = D("1");
	r.tif = TIF_GTD;
	expect_add_error(&r, "expiry");
}

static void other_methods(void **state)
{
	(void)state;
	struct sbuf b = SBUF_INIT;
	struct kerr err = KERR_INIT;
	struct instrument in = btc();
	struct order_req rs[2] = {base_req(OT_LIMIT, SIDE_BUY), base_req(OT_LIMIT, SIDE_SELL)};
	rs[0].limit_price = D("100");
	rs[1].limit_price = D("200");
	snprintf(rs[1].cl_id, sizeof rs[1].cl_id, "c-2");
	assert_int_equal(spot_ws_build_batch_add(&b, &in, rs, 2, NULL, TOKEN, 9, &err), 0);
	assert_string_equal(
	        b.p,
	        HEAD("batch_add") "\"orders\":[{\"order_type\":\"limit\",\"side\":"
	                          "\"buy\",\"order_qty\":1.25,\"limit_price\":100,\"cl_ord_id\":"
	                          "\"c-1\"},"
	                          "{\"order_type\":\"limit\",\"side\":\"sell\",\"order_qty\":1.25,"
	                          "\"limit_price\":200,\"cl_ord_id\":\"c-2\"}],\"symbol\":\"BTC/"
	                          "USD\"" TAIL("9"));
	sbuf_reset(&b);
	assert_int_equal(spot_ws_build_batch_add(&b, &in, rs, 1, NULL, TOKEN, 9, &err), -1);
	struct amend_req a = {.has_limit = true, .limit_price = D("45001.5")};
	snprintf(a.order_id, sizeof a.order_id, "OAAAAA-BBBBB-CCCCCC");
	assert_int_equal(spot_ws_build_amend(&b, &a, D("0.5"), false, true, 0, TOKEN, 10, &err), 0);
	assert_string_equal(b.p, HEAD("amend_order") "\"order_id\":\"OAAAAA-BBBBB-CCCCCC\","
	                                             "\"order_qty\":0.5,\"limit_price\":45001.5,"
	                                             "\"post_only\":true" TAIL("10"));
	sbuf_reset(&b);
	a = (struct amend_req){
	        .has_qty = true, .qty = D("2"), .has_trigger = true, .trigger_price = D("44000")};
	snprintf(a.order_id, sizeof a.order_id, "c-1");
	assert_int_equal(spot_ws_build_amend(&b, &a, dec_zero(), true, false, 0, TOKEN, 11, &err),
	                 0);
	assert_string_equal(b.p, HEAD("amend_order") "\"cl_ord_id\":\"c-1\",\"order_qty\":2,"
	                                             "\"trigger_price\":44000" TAIL("11"));
	sbuf_reset(&b);
	a = (struct amend_req){.has_limit = true, .limit_price = D("1")};
	snprintf(a.order_id, sizeof a.order_id, "OX");
	assert_int_equal(spot_ws_build_amend(&b, &a, dec_zero(), false, false, 0, TOKEN, 1, &err),
	                 -1);
	assert_non_null(strstr(err.msg, "size"));
	a = (struct amend_req){
	        .has_qty = true, .qty = D("3"), .has_limit = true, .limit_price = D("45000")};
	snprintf(a.order_id, sizeof a.order_id, "OAAAAA-BBBBB-CCCCCC");
	assert_int_equal(spot_ws_build_edit(&b, &in, &a, TOKEN, 12, &err), 0);
	assert_string_equal(
	        b.p, HEAD("edit_order") "\"order_id\":\"OAAAAA-BBBBB-CCCCCC\","
	                                "\"symbol\":\"BTC/"
	                                "USD\",\"order_qty\":3,\"limit_price\":45000" TAIL("12"));
	sbuf_reset(&b);
	const char *ids[] = {"O1", "O2"};
	assert_int_equal(spot_ws_build_cancel(&b, ids, 2, false, TOKEN, 13, &err), 0);
	assert_string_equal(b.p, HEAD("cancel_order") "\"order_id\":[\"O1\",\"O2\"]" TAIL("13"));
	sbuf_reset(&b);
	assert_int_equal(spot_ws_build_cancel(&b, ids, 1, true, TOKEN, 14, &err), 0);
	assert_string_equal(b.p, HEAD("cancel_order") "\"cl_ord_id\":[\"O1\"]" TAIL("14"));
	sbuf_reset(&b);
	spot_ws_build_cancel_all(&b, TOKEN, 15);
	assert_string_equal(b.p, "{\"method\":\"cancel_all\",\"params\":{\"token\":\"TOK\"},"
	                         "\"req_id\":15}");
	sbuf_reset(&b);
	assert_int_equal(spot_ws_build_cancel_after(&b, 60, TOKEN, 16, &err), 0);
	assert_string_equal(b.p, HEAD("cancel_all_orders_after") "\"timeout\":60" TAIL("16"));
	sbuf_reset(&b);
	assert_int_equal(spot_ws_build_cancel_after(&b, 86400, TOKEN, 16, &err), -1);
	const char *cls[] = {"c-9"};
	assert_int_equal(spot_ws_build_batch_cancel(&b, ids, 2, cls, 1, TOKEN, 17, &err), 0);
	assert_string_equal(b.p, HEAD("batch_cancel") "\"orders\":[\"O1\",\"O2\"],"
	                                              "\"cl_ord_id\":[\"c-9\"]" TAIL("17"));
	sbuf_reset(&b);
	assert_int_equal(spot_ws_build_batch_cancel(&b, ids, 1, NULL, 0, TOKEN, 18, &err), -1);
	sbuf_free(&b);
}

/* ---- the pending-request table ---- */

struct calls {
	int n;
	struct intent_result last;
	struct intent_result batch[4];
	size_t nbatch;
	struct spot_ws_reqs *t; /* to add a request from inside a callback */
};

static void on_result(void *arg, const struct intent_result *res)
{
	struct calls *c = arg;
	c->n++;
	c->last = *res;
	if (c->t) {
		const char *cl = "late";
		spot_ws_reqs_add(c->t, 99, SWM_ADD_ORDER, 9000, on_result, NULL, c, 1, &cl, 1);
		c->t = NULL;
	}
}

static void on_batch(void *arg, const struct intent_result *res, size_t n)
{
	struct calls *c = arg;
	c->n++;
	c->nbatch = n;
	memcpy(c->batch, res, n * sizeof *res);
}

static struct spot_ws_msg answer(enum spot_ws_method m, int64_t id, bool ok, const char *oid)
{
	struct spot_ws_msg msg;
	memset(&msg, 0, sizeof msg);
	msg.kind = SWK_RESPONSE;
	msg.method = m;
	msg.has_req_id = true;
	msg.req_id = id;
	msg.success = ok;
	if (ok)
		snprintf(msg.order_id, sizeof msg.order_id, "%s", oid);
	else
		snprintf(msg.error, sizeof msg.error, "%s", oid);
	return msg;
}

static void pending_matching(void **state)
{
	(void)state;
	struct spot_ws_reqs t;
	spot_ws_reqs_init(&t);
	struct calls a = {0}, b = {0}, c = {0};
	const char *cl = "cl-a";
	int64_t ia = spot_ws_reqs_next_id(&t), ib = spot_ws_reqs_next_id(&t);
	assert_true(ib > ia);
	spot_ws_reqs_add(&t, ia, SWM_ADD_ORDER, 1000, on_result, NULL, &a, 1, &cl, 1);
	spot_ws_reqs_add(&t, ib, SWM_CANCEL_ORDER, 1000, on_result, NULL, &b, 2, NULL, 0);
	struct spot_ws_msg m = answer(SWM_ADD_ORDER, 77, true, "OX");
	assert_false(spot_ws_reqs_answer(&t, &m)); /* nobody asked 77 */
	m = answer(SWM_CANCEL_ORDER, ib, true, "O1");
	assert_true(spot_ws_reqs_answer(&t, &m));
	assert_int_equal(b.n, 1);
	assert_int_equal(spot_ws_reqs_count(&t), 2); /* one more cancel answer is due */
	m = answer(SWM_CANCEL_ORDER, ib, false, "EOrder:Unknown order");
	assert_true(spot_ws_reqs_answer(&t, &m));
	assert_int_equal(b.n, 2);
	assert_int_equal(b.last.status, INTENT_REJECTED);
	m = answer(SWM_ADD_ORDER, ia, true, "OA");
	assert_true(spot_ws_reqs_answer(&t, &m));
	assert_int_equal(a.n, 1);
	assert_int_equal(a.last.status, INTENT_OK);
	assert_string_equal(a.last.order_id, "OA");
	assert_string_equal(a.last.ref, "cl-a");
	assert_false(spot_ws_reqs_answer(&t, &m)); /* answered once only */
	assert_int_equal(spot_ws_reqs_count(&t), 0);
	/* batch_add: one callback with a result per order */
	const char *cls[] = {"b-1", "b-2"};
	spot_ws_reqs_add(&t, 50, SWM_BATCH_ADD, 1000, NULL, on_batch, &c, 1, cls, 2);
	m = answer(SWM_BATCH_ADD, 50, true, "");
	m.nbatch = 2;
	m.batch[0].success = true;
	snprintf(m.batch[0].order_id, sizeof m.batch[0].order_id, "OB1");
	m.batch[1].success = false;
	snprintf(m.batch[1].error, sizeof m.batch[1].error, "EOrder:Invalid price");
	assert_true(spot_ws_reqs_answer(&t, &m));
	assert_int_equal(c.n, 1);
	assert_int_equal(c.nbatch, 2);
	assert_string_equal(c.batch[0].order_id, "OB1");
	assert_int_equal(c.batch[1].status, INTENT_REJECTED);
	assert_string_equal(c.batch[1].ref, "b-2");
	spot_ws_reqs_free(&t);
}

/* Silence becomes INTENT_UNKNOWN with the client order id, exactly once. */
static void pending_timeouts(void **state)
{
	(void)state;
	struct spot_ws_reqs t;
	spot_ws_reqs_init(&t);
	struct calls a = {0}, b = {0}, c = {0};
	const char *cl = "cl-t";
	spot_ws_reqs_add(&t, 1, SWM_ADD_ORDER, 1000, on_result, NULL, &a, 1, &cl, 1);
	spot_ws_reqs_add(&t, 2, SWM_CANCEL_ORDER, 5000, on_result, NULL, &b, 3, NULL, 0);
	assert_int_equal(spot_ws_reqs_expire(&t, 999, "late"), 0);
	a.t = &t; /* the callback places a new order */
	assert_int_equal(spot_ws_reqs_expire(&t, 1000, "late"), 1);
	assert_int_equal(a.n, 1);
	assert_int_equal(a.last.status, INTENT_UNKNOWN);
	assert_string_equal(a.last.ref, "cl-t");
	assert_non_null(strstr(a.last.message, "cl-t"));
	assert_int_equal(spot_ws_reqs_count(&t), 2);
	struct spot_ws_msg m = answer(SWM_CANCEL_ORDER, 2, true, "O1");
	spot_ws_reqs_answer(&t, &m);
	assert_int_equal(b.n, 1);
	spot_ws_reqs_add(&t, 3, SWM_BATCH_ADD, 9000, NULL, on_batch, &c, 1,
	                 (const char *const[]){"x", "y"}, 2);
	assert_int_equal(spot_ws_reqs_fail_all(&t, "connection lost"), 3);
	assert_int_equal(b.n, 3); /* the two missing cancel answers */
	assert_int_equal(b.last.status, INTENT_UNKNOWN);
	assert_int_equal(c.nbatch, 2);
	assert_string_equal(c.batch[1].ref, "y");
	assert_int_equal(c.batch[0].status, INTENT_UNKNOWN);
	assert_int_equal(a.n, 2); /* the late order too */
	assert_int_equal(spot_ws_reqs_count(&t), 0);
	spot_ws_reqs_free(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(subscriptions),      cmocka_unit_test(subscription_errors),
	        cmocka_unit_test(add_order_types),    cmocka_unit_test(add_order_options),
	        cmocka_unit_test(add_order_refusals), cmocka_unit_test(other_methods),
	        cmocka_unit_test(pending_matching),   cmocka_unit_test(pending_timeouts),
	};
	return kt_run_tests(tests);
}
