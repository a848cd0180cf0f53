/* The paper exchange's Futures REST adapter over real HTTP on loopback
 * (paper_start: net/http_server -> routing and paper/auth -> fut_rest_srv_handle
 * -> px):
 * - raw requests prove Kraken's exact shapes: statuses (placed,
 *   postWouldExecute, iocWouldNotExecute, wouldNotReducePosition,
 *   insufficientAvailableFunds, clientOrderIdAlreadyExist, invalidPrice...),
 *   orderEvents (PLACE, EXECUTION, REJECT, CANCEL, EDIT; triggerSignal=index
 *   echoed as spot_price), errors (requiredArgumentMissing, invalidArgument,
 *   Json Parse Error, notFound), parameters taken from the query or the body,
 *   and that a refused request changes nothing;
 * - replies decode with krakterm's client codec into the same state;
 * - a krakterm fut_rest session (builder -> signed HTTP -> adapter -> decoder)
 *   places, amends, cancels, refreshes and transfers against it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/jscan.h"
#include "base/urlenc.h"
#include "core/state.h"
#include "kraken/fut_rest.h"
#include "kraken/fut_rest_codec.h"
#include "net/loop.h"
#include "net/nonce.h"
#include "tests/fixtures/net/nettest.h"
#include "tests/unit/fut_rest_srv_env.h"
#include "tests/unit/unit.h"

/* ---- tests ---- */

/* Public data: instruments, tickers, book, trades, funding; decoded by the
 * client into the same figures. */
static void test_public(void **s)
{
	(void)s;
	struct env e;
	env_init(&e);
	struct state st;
	env_client_state(&e, &st);
	const struct instrument *in =
	        state_instrument(&st, state_find_instrument(&st, "PF_XBTUSD"));
	assert_non_null(in);
	assert_true(dec_eq(in->lot, env_dec("0.0001")));
	assert_true(dec_eq(in->tick, env_dec("1")));
	assert_int_equal(in->ntiers, 3);
	assert_true(dec_eq(in->tiers[2].size, env_dec("2000000")));
	const struct instrument *pi =
	        state_instrument(&st, state_find_instrument(&st, "PI_XBTUSD"));
	assert_int_equal(pi->kind, IK_PERP_INVERSE);
	assert_true(dec_eq(pi->tick, env_dec("0.5")));
	assert_true(dec_eq(pi->lot, env_dec("1")));

	const struct px_instr *xbt = px_instr_find(e.p->px, PX_FUTURES, "PF_XBTUSD");
	dec_t mark = env_dec("60000.50"), index = env_dec("60000.00");
	assert_int_equal(px_set_mark_index(e.p->px, xbt, &mark, &index, NULL), 0);
	px_set_funding(e.p->px, xbt, env_dec("0.0125"), env_dec("0.01"), env_dec("0.000002"),
	               env_dec("0.000003"), e.now_ns + 3600000000000LL);
	env_maker(&e, "PF_XBTUSD", ENGINE_BUY, "59990", "1.5");
	env_maker(&e, "PF_XBTUSD", ENGINE_SELL, "60010", "2");
	env_get(&e, "tickers", NULL, false);
	assert_string_equal(env_js(&e, "result", NULL), "success");
	struct fut_doc fd;
	struct kerr err = KERR_INIT;
	env_client_doc(&e, &fd);
	assert_int_equal(fut_decode_tickers(&fd, &st, &err), 0);
	fut_doc_free(&fd);
	int idx = state_find_instrument(&st, "PF_XBTUSD");
	const struct ticker *t = &state_market_peek(&st, idx)->ticker;
	assert_true(dec_eq(t->mark, mark));
	assert_true(dec_eq(t->index, index));
	assert_true(dec_eq(t->funding_rate, env_dec("0.0125")));
	assert_true(dec_eq(t->bid, env_dec("59990")));
	assert_true(dec_eq(t->ask_qty, env_dec("2")));

	env_get(&e, "orderbook", "symbol=PF_XBTUSD", false);
	env_client_doc(&e, &fd);
	assert_int_equal(fut_decode_orderbook(&fd, &st, idx, &err), 0);
	fut_doc_free(&fd);
	const struct book *b = &state_market_peek(&st, idx)->book;
	assert_int_equal(book_level_at(b, SIDE_BUY, 0)->px, 59990);
	assert_int_equal(book_level_at(b, SIDE_SELL, 0)->qty, 20000);

	env_post(&e, "sendorder", "orderType=mkt&symbol=PF_XBTUSD&side=buy&size=0.5"); /* a trade */
	env_get(&e, "history", "symbol=pf_xbtusd", false);
	assert_int_equal(env_jn(&e, "history", NULL), 1);
	assert_string_equal(env_js(&e, "history", "0", "size", NULL), "0.5000");
	env_client_doc(&e, &fd);
	assert_int_equal(fut_decode_history(&fd, &st, idx, &err), 0);
	fut_doc_free(&fd);
	assert_true(dec_eq(trade_ring_at(&state_market_peek(&st, idx)->trades, 0)->price,
	                   env_dec("60010")));

	env_get(&e, "historical-funding-rates", "symbol=PF_XBTUSD", false);
	env_client_doc(&e, &fd);
	assert_int_equal(fut_decode_funding_rates(&fd, &st, idx, &err), 0);
	fut_doc_free(&fd);
	assert_int_equal(state_funding(&st, idx)->n, 1);
	env_get(&e, "orderbook", NULL, false);
	assert_string_equal(env_js(&e, "error", NULL), "requiredArgumentMissing");
	env_get(&e, "orderbook", "symbol=PF_NOPE", false);
	assert_string_equal(env_js(&e, "error", NULL), "invalidArgument");
	env_get(&e, "tickers/PF_ETHUSD", NULL, false);
	assert_string_equal(env_js(&e, "ticker", "symbol", NULL), "PF_ETHUSD");
	env_get(&e, "nosuchthing", NULL, true);
	assert_int_equal(e.status, 404);
	assert_string_equal(env_js(&e, "error", NULL), "notFound");
	env_call(&e, "GET", "/derivatives/api/v3/sendorder", NULL, NULL, true);
	assert_int_equal(e.status, 405);
	/* private without credentials */
	env_get(&e, "accounts", NULL, false);
	assert_string_equal(env_js(&e, "error", NULL), "authenticationError");
	state_free(&st);
	env_free(&e);
}

/* sendorder: each status Kraken documents, with its orderEvents. */
static void test_sendorder(void **s)
{
	(void)s;
	struct env e;
	env_init(&e);
	env_maker(&e, "PF_XBTUSD", ENGINE_SELL, "60010", "1");
	env_maker(&e, "PF_XBTUSD", ENGINE_BUY, "59990", "1");

	env_post(&e, "sendorder",
	         "orderType=lmt&symbol=PF_XBTUSD&side=buy&size=0.01&limitPrice=59000"
	         "&cliOrdId=c-lmt");
	assert_string_equal(env_js(&e, "result", NULL), "success");
	assert_string_equal(env_js(&e, "sendStatus", "status", NULL), "placed");
	assert_string_equal(env_js(&e, "sendStatus", "cliOrdId", NULL), "c-lmt");
	assert_true(strlen(env_js(&e, "sendStatus", "order_id", NULL)) > 10);
	assert_string_equal(env_js(&e, "sendStatus", "orderEvents", "0", "type", NULL), "PLACE");
	assert_string_equal(env_js(&e, "sendStatus", "orderEvents", "0", "order", "type", NULL),
	                    "lmt");
	assert_string_equal(env_js(&e, "sendStatus", "orderEvents", "0", "order", "cliOrdId", NULL),
	                    "c-lmt");

	env_post(&e, "sendorder",
	         "orderType=post&symbol=PF_XBTUSD&side=buy&size=0.01&limitPrice=60010");
	assert_string_equal(env_js(&e, "sendStatus", "status", NULL), "postWouldExecute");
	assert_string_equal(env_js(&e, "sendStatus", "orderEvents", "0", "type", NULL), "REJECT");
	assert_string_equal(env_js(&e, "sendStatus", "orderEvents", "0", "reason", NULL),
	                    "POST_WOULD_EXECUTE");

	env_post(&e, "sendorder",
	         "orderType=ioc&symbol=PF_XBTUSD&side=buy&size=0.01&limitPrice=59000");
	assert_string_equal(env_js(&e, "sendStatus", "status", NULL), "iocWouldNotExecute");
	assert_string_equal(env_js(&e, "sendStatus", "orderEvents", "0", "reason", NULL),
	                    "IOC_WOULD_NOT_EXECUTE");

	env_post(&e, "sendorder", "orderType=mkt&symbol=PF_XBTUSD&side=buy&size=0.1");
	assert_string_equal(env_js(&e, "sendStatus", "status", NULL), "placed");
	assert_string_equal(env_js(&e, "sendStatus", "orderEvents", "0", "type", NULL),
	                    "EXECUTION");
	assert_string_equal(env_js(&e, "sendStatus", "orderEvents", "0", "price", NULL),
	                    "60010.00");
	assert_string_equal(env_js(&e, "sendStatus", "orderEvents", "0", "amount", NULL), "0.1000");
	assert_string_equal(
	        env_js(&e, "sendStatus", "orderEvents", "0", "orderPriorExecution", "filled", NULL),
	        "0.0000");

	env_post(&e, "sendorder",
	         "orderType=stp&symbol=PF_XBTUSD&side=sell&size=0.05&stopPrice=55000"
	         "&triggerSignal=index&reduceOnly=true");
	assert_string_equal(env_js(&e, "sendStatus", "status", NULL), "placed");
	assert_string_equal(
	        env_js(&e, "sendStatus", "orderEvents", "0", "orderTrigger", "triggerSignal", NULL),
	        "spot_price");
	assert_string_equal(
	        env_js(&e, "sendStatus", "orderEvents", "0", "orderTrigger", "triggerSide", NULL),
	        "trigger_below");

	/* refusals change nothing */
	size_t before = env_open_count(&e);
	env_post(&e, "sendorder",
	         "orderType=lmt&symbol=PF_ETHUSD&side=sell&size=0.1&limitPrice=3100"
	         "&reduceOnly=true");
	assert_string_equal(env_js(&e, "sendStatus", "status", NULL), "wouldNotReducePosition");
	env_post(&e, "sendorder",
	         "orderType=lmt&symbol=PF_XBTUSD&side=buy&size=1000&limitPrice=59000");
	assert_string_equal(env_js(&e, "sendStatus", "status", NULL), "insufficientAvailableFunds");
	env_post(&e, "sendorder",
	         "orderType=lmt&symbol=PF_XBTUSD&side=buy&size=0.01&limitPrice=59000"
	         "&cliOrdId=c-lmt");
	assert_string_equal(env_js(&e, "sendStatus", "status", NULL), "clientOrderIdAlreadyExist");
	env_post(&e, "sendorder",
	         "orderType=lmt&symbol=PF_XBTUSD&side=buy&size=0.01&limitPrice=59000.5");
	assert_string_equal(env_js(&e, "sendStatus", "status", NULL), "invalidPrice");
	env_post(&e, "sendorder",
	         "orderType=lmt&symbol=PF_XBTUSD&side=buy&size=0.00001&limitPrice=59000");
	assert_string_equal(env_js(&e, "sendStatus", "status", NULL), "invalidSize");
	env_post(&e, "sendorder", "orderType=lmt&symbol=PF_XBTUSD&side=buy&limitPrice=59000");
	assert_string_equal(env_js(&e, "result", NULL), "error");
	assert_string_equal(env_js(&e, "error", NULL), "requiredArgumentMissing");
	env_post(&e, "sendorder", "orderType=lmt&symbol=PF_XBTUSD&side=up&size=1&limitPrice=59000");
	assert_string_equal(env_js(&e, "error", NULL), "invalidArgument");
	env_post(&e, "sendorder", "orderType=lmt&symbol=PF_NOPE&side=buy&size=1&limitPrice=59000");
	assert_string_equal(env_js(&e, "error", NULL), "invalidArgument");
	env_post(&e, "sendorder", "orderType=trailing_stop&symbol=PF_XBTUSD&side=sell&size=1");
	assert_string_equal(env_js(&e, "error", NULL), "requiredArgumentMissing");
	assert_int_equal(env_open_count(&e), before);

	/* POST parameters in the query string work too */
	env_call(&e, "POST", "/derivatives/api/v3/sendorder",
	         "orderType=lmt&symbol=PF_XBTUSD&side=sell&size=0.01&limitPrice=61000", NULL, true);
	assert_string_equal(env_js(&e, "sendStatus", "status", NULL), "placed");
	assert_int_equal(env_open_count(&e), before + 1);
	/* suspended markets */
	e.p->faults.fut_suspended = true;
	env_post(&e, "sendorder",
	         "orderType=lmt&symbol=PF_XBTUSD&side=sell&size=0.01&limitPrice=61000");
	assert_string_equal(env_js(&e, "sendStatus", "status", NULL), "marketSuspended");
	e.p->faults.fut_suspended = false;
	env_free(&e);
}

/* editorder, cancelorder, cancelallorders, cancelallordersafter. */
static void test_edit_cancel(void **s)
{
	(void)s;
	struct env e;
	env_init(&e);
	env_post(&e, "sendorder",
	         "orderType=lmt&symbol=PF_XBTUSD&side=buy&size=0.01&limitPrice=59000"
	         "&cliOrdId=c1");
	char id[64];
	snprintf(id, sizeof id, "%s", env_js(&e, "sendStatus", "order_id", NULL));
	char body[256];
	snprintf(body, sizeof body, "orderId=%s&size=0.02&limitPrice=59100", id);
	env_post(&e, "editorder", body);
	assert_string_equal(env_js(&e, "editStatus", "status", NULL), "edited");
	assert_string_equal(env_js(&e, "editStatus", "orderEvents", "0", "type", NULL), "EDIT");
	assert_string_equal(env_js(&e, "editStatus", "orderEvents", "0", "old", "quantity", NULL),
	                    "0.0100");
	assert_string_equal(env_js(&e, "editStatus", "orderEvents", "0", "new", "quantity", NULL),
	                    "0.0200");
	assert_string_equal(env_js(&e, "editStatus", "orderEvents", "0", "new", "limitPrice", NULL),
	                    "59100.00");
	env_post(&e, "editorder", "orderId=00000000-0000-4000-8000-000000000000&size=1");
	assert_string_equal(env_js(&e, "editStatus", "status", NULL), "orderForEditNotFound");
	env_post(&e, "editorder", "size=1");
	assert_string_equal(env_js(&e, "error", NULL), "requiredArgumentMissing");

	snprintf(body, sizeof body, "order_id=%s", id);
	env_post(&e, "cancelorder", body);
	assert_string_equal(env_js(&e, "cancelStatus", "status", NULL), "cancelled");
	assert_string_equal(env_js(&e, "cancelStatus", "orderEvents", "0", "type", NULL), "CANCEL");
	env_post(&e, "cancelorder", body);
	assert_string_equal(env_js(&e, "cancelStatus", "status", NULL), "notFound");

	env_post(&e, "sendorder",
	         "orderType=lmt&symbol=PF_XBTUSD&side=buy&size=0.01&limitPrice=59000"
	         "&cliOrdId=c2");
	env_post(&e, "cancelorder", "cliOrdId=c2");
	assert_string_equal(env_js(&e, "cancelStatus", "status", NULL), "cancelled");

	env_post(&e, "sendorder",
	         "orderType=lmt&symbol=PF_XBTUSD&side=buy&size=0.01&limitPrice=59000");
	env_post(&e, "sendorder",
	         "orderType=lmt&symbol=PF_ETHUSD&side=buy&size=0.1&limitPrice=2900");
	env_post(&e, "cancelallorders", "symbol=PF_ETHUSD");
	assert_string_equal(env_js(&e, "cancelStatus", "cancelOnly", NULL), "PF_ETHUSD");
	assert_int_equal(env_jn(&e, "cancelStatus", "cancelledOrders"), 1);
	env_post(&e, "cancelallorders", "");
	assert_string_equal(env_js(&e, "cancelStatus", "status", NULL), "cancelled");
	assert_string_equal(env_js(&e, "cancelStatus", "cancelOnly", NULL), "all");
	assert_int_equal(env_jn(&e, "cancelStatus", "orderEvents"), 1);
	env_post(&e, "cancelallorders", "");
	assert_string_equal(env_js(&e, "cancelStatus", "status", NULL), "noOrdersToCancel");

	env_post(&e, "cancelallordersafter", "timeout=60");
	assert_string_equal(env_js(&e, "status", "triggerTime", NULL), "2024-03-01T10:01:00.000Z");
	assert_string_equal(env_js(&e, "status", "currentTime", NULL), "2024-03-01T10:00:00.000Z");
	env_post(&e, "cancelallordersafter", "timeout=0");
	assert_string_equal(env_js(&e, "status", "triggerTime", NULL), "0");
	env_post(&e, "cancelallordersafter", "");
	assert_string_equal(env_js(&e, "error", NULL), "requiredArgumentMissing");
	env_free(&e);
}

/* batchorder: the client's json= body; statuses per instruction; a bad batch
 * is refused whole. */
static void test_batch(void **s)
{
	(void)s;
	struct env e;
	env_init(&e);
	env_maker(&e, "PF_XBTUSD", ENGINE_SELL, "60010", "1");
	env_post(&e, "sendorder",
	         "orderType=lmt&symbol=PF_XBTUSD&side=buy&size=0.01&limitPrice=59000");
	char id[ORDER_ID_MAX];
	snprintf(id, sizeof id, "%s", env_js(&e, "sendStatus", "order_id", NULL));

	struct state st;
	env_client_state(&e, &st);
	int idx = state_find_instrument(&st, "PF_XBTUSD");
	struct order_req a, b;
	memset(&a, 0, sizeof a);
	a.instr = idx;
	a.type = OT_LIMIT;
	a.qty = env_dec("0.02");
	a.limit_price = env_dec("58000");
	snprintf(a.cl_id, sizeof a.cl_id, "b-1");
	b = a;
	b.post_only = true;
	b.limit_price = env_dec("60010");
	snprintf(b.cl_id, sizeof b.cl_id, "b-2");
	struct fut_batch_item it[3];
	memset(it, 0, sizeof it);
	it[0].op = it[1].op = FUT_BATCH_SEND;
	snprintf(it[0].tag, sizeof it[0].tag, "1");
	snprintf(it[1].tag, sizeof it[1].tag, "2");
	it[0].in = it[1].in = state_instrument(&st, idx);
	it[0].req = &a;
	it[1].req = &b;
	it[2].op = FUT_BATCH_CANCEL;
	snprintf(it[2].order_id, sizeof it[2].order_id, "%s", id);
	struct sbuf body = SBUF_INIT;
	assert_int_equal(fut_build_batch(it, 3, &body, NULL), 0);
	env_post(&e, "batchorder", sbuf_str(&body));
	assert_int_equal(env_jn(&e, "batchStatus", NULL), 3);
	assert_string_equal(env_js(&e, "batchStatus", "0", "status", NULL), "placed");
	assert_string_equal(env_js(&e, "batchStatus", "0", "order_tag", NULL), "1");
	assert_string_equal(env_js(&e, "batchStatus", "1", "status", NULL), "postWouldExecute");
	assert_string_equal(env_js(&e, "batchStatus", "2", "status", NULL), "cancelled");
	struct fut_doc fd;
	env_client_doc(&e, &fd);
	struct fut_order_result r[3];
	size_t n = 0;
	assert_int_equal(fut_decode_batch(&fd, &st, r, 3, &n, NULL), 0);
	fut_doc_free(&fd);
	assert_int_equal(n, 3);
	assert_int_equal(state_order_by_cl(&st, "b-1")->status, OS_OPEN);
	assert_int_equal(state_order_by_cl(&st, "b-2")->status, OS_REJECTED);

	size_t before = env_open_count(&e);
	env_post(&e, "batchorder", "json=%7Bnot%20json");
	assert_string_equal(env_js(&e, "error", NULL), "Json Parse Error");
	sbuf_reset(&body);
	a.qty = dec_zero();
	snprintf(a.cl_id, sizeof a.cl_id, "b-3");
	sbuf_adds(&body, "json=");
	const char *bad =
	        "{\"batchOrder\":[{\"order\":\"send\",\"order_tag\":\"1\",\"orderType\":\"lmt\","
	        "\"symbol\":\"PF_XBTUSD\",\"side\":\"buy\",\"size\":0.01,\"limitPrice\":58000},"
	        "{\"order\":\"send\",\"order_tag\":\"2\",\"orderType\":\"lmt\",\"symbol\":"
	        "\"PF_XBTUSD\",\"side\":\"buy\",\"limitPrice\":58000}]}";
	urlenc_encode(&body, bad, strlen(bad));
	env_post(&e, "batchorder", sbuf_str(&body));
	assert_string_equal(env_js(&e, "error", NULL), "requiredArgumentMissing");
	assert_int_equal(env_open_count(&e), before);
	env_post(&e, "batchorder", "");
	assert_string_equal(env_js(&e, "error", NULL), "requiredArgumentMissing");
	sbuf_free(&body);
	state_free(&st);
	env_free(&e);
}

/* orders/status: open and just-closed orders with their lifecycle; a closed
 * order drops out after 5 s. */
static void test_orders_status(void **s)
{
	(void)s;
	struct env e;
	env_init(&e);
	env_maker(&e, "PF_XBTUSD", ENGINE_SELL, "60010", "1");
	env_post(&e, "sendorder",
	         "orderType=lmt&symbol=PF_XBTUSD&side=buy&size=0.01&limitPrice=59000"
	         "&cliOrdId=s-1");
	env_post(&e, "sendorder",
	         "orderType=post&symbol=PF_XBTUSD&side=buy&size=0.01&limitPrice=60010"
	         "&cliOrdId=s-2");
	env_post(&e, "sendorder",
	         "orderType=take_profit&symbol=PF_XBTUSD&side=sell&size=0.01"
	         "&stopPrice=65000&triggerSignal=mark&cliOrdId=s-3");
	env_post(&e, "orders/status",
	         "cliOrdIds=s-1&cliOrdIds=s-2&cliOrdIds=s-3"
	         "&orderIds=00000000-0000-4000-8000-000000000000");
	assert_int_equal(env_jn(&e, "orders", NULL), 3);
	assert_string_equal(env_js(&e, "orders", "0", "status", NULL), "ENTERED_BOOK");
	assert_string_equal(env_js(&e, "orders", "1", "status", NULL), "REJECTED");
	assert_string_equal(env_js(&e, "orders", "1", "error", NULL), "POST_WOULD_EXECUTE");
	assert_string_equal(env_js(&e, "orders", "2", "status", NULL), "TRIGGER_PLACED");
	assert_string_equal(env_js(&e, "orders", "2", "order", "type", NULL), "TRIGGER_ORDER");
	assert_string_equal(
	        env_js(&e, "orders", "2", "order", "priceTriggerOptions", "triggerSide", NULL),
	        "TRIGGER_ABOVE");
	struct state st;
	env_client_state(&e, &st);
	env_post(&e, "orders/status", "cliOrdIds=s-1&cliOrdIds=s-2&cliOrdIds=s-3");
	struct fut_doc fd;
	env_client_doc(&e, &fd);
	struct fut_order_state os[4];
	size_t n = 0;
	assert_int_equal(fut_decode_orders_status(&fd, &st, os, 4, &n, NULL), 0);
	fut_doc_free(&fd);
	assert_int_equal(os[1].status, FUT_LC_REJECTED);
	assert_int_equal(state_order_by_cl(&st, "s-3")->type, OT_TAKE_PROFIT);
	e.now_ns += 6000000000LL;
	env_post(&e, "orders/status", "cliOrdIds=s-1&cliOrdIds=s-2");
	assert_int_equal(env_jn(&e, "orders", NULL), 1);
	state_free(&st);
	env_free(&e);
}

/* Wallets, positions, fills, preferences, transfers and the account log,
 * decoded by the client. */
static void test_account(void **s)
{
	(void)s;
	struct env e;
	env_init(&e);
	struct state st;
	env_client_state(&e, &st);
	struct fut_doc fd;
	struct kerr err = KERR_INIT;
	env_maker(&e, "PF_XBTUSD", ENGINE_SELL, "60010", "1");
	env_post(&e, "sendorder", "orderType=mkt&symbol=PF_XBTUSD&side=buy&size=0.1&cliOrdId=m-1");
	assert_string_equal(env_js(&e, "sendStatus", "status", NULL), "placed");

	env_get(&e, "accounts", NULL, true);
	assert_string_equal(env_js(&e, "accounts", "flex", "type", NULL),
	                    "multiCollateralMarginAccount");
	assert_string_equal(env_js(&e, "accounts", "cash", "type", NULL), "cashAccount");
	env_client_doc(&e, &fd);
	assert_int_equal(fut_decode_accounts(&fd, &st, &err), 0);
	fut_doc_free(&fd);
	assert_true(st.fut.valid);
	assert_true(st.fut.ncur >= 1);
	assert_string_equal(st.fut.cur[0].asset, "USD");

	env_get(&e, "openpositions", NULL, true);
	assert_string_equal(env_js(&e, "openPositions", "0", "side", NULL), "long");
	env_client_doc(&e, &fd);
	assert_int_equal(fut_decode_openpositions(&fd, &st, &err), 0);
	fut_doc_free(&fd);
	const struct position *p = state_position(&st, state_find_instrument(&st, "PF_XBTUSD"));
	assert_non_null(p);
	assert_true(dec_eq(p->size, env_dec("0.1")));
	assert_true(dec_eq(p->entry, env_dec("60010")));

	env_get(&e, "fills", NULL, true);
	assert_string_equal(env_js(&e, "fills", "0", "fillType", NULL), "taker");
	assert_string_equal(env_js(&e, "fills", "0", "cliOrdId", NULL), "m-1");
	env_client_doc(&e, &fd);
	assert_int_equal(fut_decode_fills(&fd, &st, &err), 0);
	fut_doc_free(&fd);
	assert_int_equal(st.nfills, 1);

	env_get(&e, "openorders", NULL, true);
	assert_int_equal(env_jn(&e, "openOrders", NULL), 0);

	env_call(&e, "PUT", "/derivatives/api/v3/leveragepreferences",
	         "symbol=PF_ETHUSD&maxLeverage=5", NULL, true);
	assert_string_equal(env_js(&e, "result", NULL), "success");
	env_get(&e, "leveragepreferences", NULL, true);
	struct fut_pref pr[4];
	size_t n = 0;
	env_client_doc(&e, &fd);
	assert_int_equal(fut_decode_leverage_prefs(&fd, pr, 4, &n, &err), 0);
	fut_doc_free(&fd);
	assert_int_equal(n, 1);
	assert_string_equal(pr[0].symbol, "PF_ETHUSD");
	assert_true(dec_eq(pr[0].max_leverage, env_dec("5")));
	env_call(&e, "PUT", "/derivatives/api/v3/leveragepreferences",
	         "symbol=PF_ETHUSD&maxLeverage=500", NULL, true);
	assert_string_equal(env_js(&e, "error", NULL), "invalidArgument");
	env_call(&e, "PUT", "/derivatives/api/v3/pnlpreferences",
	         "symbol=PF_XBTUSD&pnlPreference=BTC", NULL, true);
	assert_string_equal(env_js(&e, "result", NULL), "success");
	env_get(&e, "pnlpreferences", NULL, true);
	assert_string_equal(env_js(&e, "preferences", "0", "pnlCurrency", NULL), "XBT");

	env_post(&e, "transfer", "fromAccount=flex&toAccount=cash&unit=USD&amount=100");
	assert_string_equal(env_js(&e, "result", NULL), "success");
	env_get(&e, "accounts", NULL, true);
	assert_string_equal(env_js(&e, "accounts", "cash", "balances", "usd", NULL), "100.0000");
	env_post(&e, "transfer", "fromAccount=cash&toAccount=flex&unit=USD&amount=1000000");
	assert_string_equal(env_js(&e, "error", NULL), "insufficientFunds");
	env_post(&e, "transfer", "fromAccount=moon&toAccount=flex&unit=USD&amount=1");
	assert_string_equal(env_js(&e, "error", NULL), "invalidAccount");
	env_post(&e, "transfer", "fromAccount=cash&toAccount=flex&unit=DOGE&amount=1");
	assert_string_equal(env_js(&e, "error", NULL), "invalidUnit");
	env_post(&e, "withdrawal", "currency=USD&amount=50&sourceWallet=cash");
	assert_true(strlen(env_js(&e, "uid", NULL)) > 0);
	struct fut_order_result r;
	env_client_doc(&e, &fd);
	assert_int_equal(fut_decode_withdrawal(&fd, &r, &err), 0);
	fut_doc_free(&fd);

	env_call(&e, "GET", "/api/history/v3/account-log", "count=50", NULL, true);
	assert_true(env_jn(&e, "logs", NULL) >= 1);
	assert_string_equal(env_js(&e, "result", NULL), ""); /* history replies have no result */
	env_client_doc(&e, &fd);
	assert_int_equal(fut_decode_account_log(&fd, &st, &err), 0);
	fut_doc_free(&fd);
	assert_true(st.nalog >= 1);
	env_call(&e, "GET", "/api/history/v3/account-log", "sort=sideways", NULL, true);
	assert_string_equal(env_js(&e, "error", NULL), "invalidArgument");
	state_free(&st);
	env_free(&e);
}

/* ---- a krakterm session against the adapter ---- */

struct sess {
	struct env *e;
	int calls;
	struct intent_result res;
};

static void on_res(void *arg, const struct intent_result *res)
{
	struct sess *s = arg;
	s->calls++;
	s->res = *res;
	kt_loop_stop(s->e->loop);
}

static void wait_res(struct sess *s)
{
	int want = s->calls + 1;
	while (s->calls < want)
		assert_true(nt_run(s->e->loop, 5000));
}

/* Builder -> signed HTTP -> adapter -> decoder, through fut_rest. */
static void test_session_round_trip(void **s)
{
	(void)s;
	struct env e;
	env_init(&e);
	env_maker(&e, "PF_XBTUSD", ENGINE_SELL, "60010", "1");
	char dir[256];
	const char *tmp = getenv("TMPDIR");
	snprintf(dir, sizeof dir, "%s/futrest-srv-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	assert_non_null(mkdtemp(dir));
	struct fut_rest_cfg cfg = {.base_url = e.base,
	                           .api_key = e.keys.fut_key,
	                           .api_secret = e.keys.fut_secret,
	                           .nonce_dir = dir};
	struct kerr err = KERR_INIT;
	struct fut_rest *fr = fut_rest_new(e.loop, &cfg, &err);
	assert_non_null(fr);
	struct state st;
	state_init(&st);
	struct sess ss = {&e, 0, {0}};
	assert_int_equal(fut_rest_load_instruments(fr, &st, on_res, &ss, &err), 0);
	wait_res(&ss);
	assert_int_equal(ss.res.status, INTENT_OK);
	int idx = state_find_instrument(&st, "PF_XBTUSD");
	assert_true(idx >= 0);

	struct order_req r;
	memset(&r, 0, sizeof r);
	r.instr = idx;
	r.type = OT_LIMIT;
	r.qty = env_dec("0.01");
	r.limit_price = env_dec("59000");
	snprintf(r.cl_id, sizeof r.cl_id, "rt-1");
	assert_int_equal(fut_rest_send_order(fr, &st, &r, on_res, &ss, &err), 0);
	wait_res(&ss);
	assert_int_equal(ss.res.status, INTENT_OK);
	char id[ORDER_ID_MAX];
	snprintf(id, sizeof id, "%s", ss.res.order_id);
	assert_int_equal(state_order_get(&st, id)->status, OS_OPEN);

	struct amend_req a;
	memset(&a, 0, sizeof a);
	snprintf(a.order_id, sizeof a.order_id, "%s", id);
	a.has_qty = a.has_limit = true;
	a.qty = env_dec("0.03");
	a.limit_price = env_dec("59500");
	assert_int_equal(fut_rest_edit(fr, &st, &a, on_res, &ss, &err), 0);
	wait_res(&ss);
	assert_int_equal(ss.res.status, INTENT_OK);
	assert_true(dec_eq(state_order_get(&st, id)->qty, env_dec("0.03")));
	assert_true(dec_eq(state_order_get(&st, id)->limit_price, env_dec("59500")));

	r.post_only = true;
	r.limit_price = env_dec("60010");
	snprintf(r.cl_id, sizeof r.cl_id, "rt-2");
	assert_int_equal(fut_rest_send_order(fr, &st, &r, on_res, &ss, &err), 0);
	wait_res(&ss);
	assert_int_equal(ss.res.status, INTENT_REJECTED);
	assert_string_equal(ss.res.code, "postWouldExecute");

	r.post_only = false;
	r.type = OT_STOP;
	r.trigger_price = env_dec("55000");
	r.signal = TRIG_INDEX;
	r.side = SIDE_SELL;
	snprintf(r.cl_id, sizeof r.cl_id, "rt-3");
	assert_int_equal(fut_rest_send_order(fr, &st, &r, on_res, &ss, &err), 0);
	wait_res(&ss);
	assert_int_equal(ss.res.status, INTENT_OK);
	const struct order *o = state_order_by_cl(&st, "rt-3");
	assert_int_equal(o->status, OS_UNTRIGGERED);
	assert_int_equal(o->signal, TRIG_INDEX);

	assert_int_equal(fut_rest_cancel(fr, &st, id, on_res, &ss, &err), 0);
	wait_res(&ss);
	assert_int_equal(ss.res.status, INTENT_OK);
	assert_int_equal(state_order_get(&st, id)->status, OS_CANCELLED);

	assert_int_equal(fut_rest_refresh_private(fr, &st, on_res, &ss, &err), 0);
	wait_res(&ss);
	assert_int_equal(ss.res.status, INTENT_OK);
	assert_true(st.fut.valid);
	assert_int_equal(state_order_by_cl(&st, "rt-3")->status, OS_UNTRIGGERED);

	assert_int_equal(fut_rest_cancel_all(fr, &st, -1, on_res, &ss, &err), 0);
	wait_res(&ss);
	assert_int_equal(ss.res.count, 1);
	assert_int_equal(fut_rest_cancel_after(fr, &st, 60, on_res, &ss, &err), 0);
	wait_res(&ss);
	assert_int_equal(ss.res.status, INTENT_OK);
	assert_true(ss.res.trigger_time_ms > 0);

	dec_t lev = env_dec("4");
	assert_int_equal(fut_rest_set_leverage(fr, &st, idx, &lev, on_res, &ss, &err), 0);
	wait_res(&ss);
	assert_int_equal(ss.res.status, INTENT_OK);
	struct transfer_req t;
	memset(&t, 0, sizeof t);
	snprintf(t.asset, sizeof t.asset, "USD");
	t.amount = env_dec("10");
	t.from = WALLET_FUTURES_FLEX;
	t.to = WALLET_FUTURES_CASH;
	assert_int_equal(fut_rest_transfer(fr, &st, &t, on_res, &ss, &err), 0);
	wait_res(&ss);
	assert_int_equal(ss.res.status, INTENT_OK);
	t.from = WALLET_FUTURES_CASH;
	t.to = WALLET_SPOT;
	assert_int_equal(fut_rest_transfer(fr, &st, &t, on_res, &ss, &err), 0);
	wait_res(&ss);
	assert_int_equal(ss.res.status, INTENT_OK);
	assert_true(strlen(ss.res.ref) > 0);
	assert_int_equal(fut_rest_get_account_log(fr, &st, 100, 0, on_res, &ss, &err), 0);
	wait_res(&ss);
	assert_int_equal(ss.res.status, INTENT_OK);
	assert_true(st.nalog >= 2);

	char path[512];
	snprintf(path, sizeof path, "%s", nonce_store_path(fut_rest_nonce_store(fr)));
	fut_rest_free(fr);
	unlink(path);
	rmdir(dir);
	state_free(&st);
	env_free(&e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_public),
	        cmocka_unit_test(test_sendorder),
	        cmocka_unit_test(test_edit_cancel),
	        cmocka_unit_test(test_batch),
	        cmocka_unit_test(test_orders_status),
	        cmocka_unit_test(test_account),
	        cmocka_unit_test(test_session_round_trip),
	};
	return kt_run_tests(tests);
}
