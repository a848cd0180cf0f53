/* test_spot_ws_srv: the paper exchange's Spot WS v2 adapter, spoken to over
 * the real loop (net HTTP/WS server + ws client). Proves that the krakterm
 * Spot WS client session, subscribed to a book at depth 10 and at depth 100,
 * follows 10,000 px-driven book changes with every checksum verifying and
 * ends equal to px's depth, and resyncs after a bad checksum; that acks,
 * errors, pong and heartbeats look like Kraken's; and that a subscriber that
 * does not read is dropped. Fixture: spot_ws_srv_fx.h; trading is in
 * test_spot_ws_srv_trade.c. */
#include <stdlib.h>
#include <string.h>

#include "base/jscan.h"
#include "base/xalloc.h"
#include "core/state.h"
#include "kraken/spot_ws.h"
#include "net/http_server.h"
#include "net/loop.h"
#include "net/ws_client.h"
#include "paper/paper.h"
#include "paper/spot_ws_srv.h"
#include "tests/fixtures/net/nettest.h"
#include "tests/unit/spot_ws_srv_fx.h"
#include "tests/unit/unit.h"

/* ---- book: 10,000 px-driven changes ---- */

static bool book_valid(const struct state *st)
{
	const struct market *m = state_market_peek(st, btc_idx(st));
	return m && m->book.valid && !m->stale;
}

static bool both_books_valid(struct fx *fx)
{
	return book_valid(&fx->st) && book_valid(&fx->st2);
}

/* Does the client's book equal px's top `depth` on both sides? */
static bool book_matches(struct fx *fx, const struct state *st, size_t depth)
{
	const struct market *m = state_market_peek(st, btc_idx(st));
	if (!m || !m->book.valid)
		return false;
	struct px_level lv[100];
	for (int side = 0; side < 2; side++) {
		enum side cs = side == ENGINE_BUY ? SIDE_BUY : SIDE_SELL;
		size_t n = px_depth(fx->paper->px, fx->btc, (enum engine_side)side, lv, depth);
		if (book_count(&m->book, cs) != n)
			return false;
		for (size_t i = 0; i < n; i++) {
			const struct book_level *l = book_level_at(&m->book, cs, i);
			int64_t p, q;
			if (dec_to_scaled(lv[i].price, 1, &p) || dec_to_scaled(lv[i].qty, 8, &q) ||
			    l->px != p || l->qty != q)
				return false;
		}
	}
	return true;
}

static bool caught_up(struct fx *fx)
{
	return book_matches(fx, &fx->st, 10) && book_matches(fx, &fx->st2, 100);
}

struct gen {
	struct fx *fx;
	uint32_t seed;
	char (*ids)[PX_ID_MAX];
	size_t nids, cap;
	int done, target;
};

static uint32_t rnd(struct gen *g)
{
	g->seed = g->seed * 1664525u + 1013904223u;
	return g->seed >> 8;
}

/* One book change by the market account: place, cancel or resize an order. */
static void gen_one(struct gen *g)
{
	struct px *px = g->fx->paper->px;
	const struct px_instr *in = g->fx->btc;
	uint32_t r = rnd(g) % 100;
	struct kerr err = KERR_INIT;
	struct px_result res;
	if (r < 40 && g->nids) {
		size_t k = rnd(g) % g->nids;
		px_cancel(px, PX_MARKET, g->ids[k], &err);
		memcpy(g->ids[k], g->ids[--g->nids], PX_ID_MAX);
		return;
	}
	if (r < 50 && g->nids) {
		struct px_amend a = {.account = PX_MARKET,
		                     .product = PX_SPOT,
		                     .id = g->ids[rnd(g) % g->nids],
		                     .fields = ENGINE_AM_QTY};
		a.qty = dec_make(5000 * (1 + rnd(g) % 40), 8);
		px_amend(px, &a, &res, &err);
		return;
	}
	struct px_place pl = {.account = PX_MARKET, .instr = in, .type = ENGINE_T_LIMIT};
	pl.side = rnd(g) % 2 ? ENGINE_BUY : ENGINE_SELL;
	int64_t k = 1 + rnd(g) % 150; /* ticks away from 60000.0 */
	int64_t price = 600000 + (pl.side == ENGINE_BUY ? -k : k);
	pl.price = px_price_abs(dec_make(price, 1));
	pl.qty = dec_make(5000 * (1 + rnd(g) % 40), 8);
	if (px_place(px, &pl, &res, &err) == 0 && res.id[0]) {
		g->ids = xgrow(g->ids, &g->cap, g->nids + 1, sizeof *g->ids);
		memcpy(g->ids[g->nids++], res.id, PX_ID_MAX);
	}
}

static void gen_fire(void *arg)
{
	struct gen *g = arg;
	for (int i = 0; i < 50 && g->done < g->target; i++, g->done++)
		gen_one(g);
	if (g->done >= g->target)
		kt_loop_stop(g->fx->loop);
}

static void book_follows_px(void **state)
{
	struct fx *fx = *state;
	struct kerr err = KERR_INIT;
	struct wsconn_policy p = fast();
	struct gen g = {.fx = fx, .seed = 12345, .target = 10000};
	for (int i = 0; i < 300; i++) /* a book before anyone subscribes */
		gen_one(&g);
	fx->sess = spot_ws_pub_new(fx->loop, &fx->st, fx->url_pub, &p);
	fx->sess2 = spot_ws_pub_new(fx->loop, &fx->st2, fx->url_pub, &p);
	assert_int_equal(spot_ws_pub_book(fx->sess, btc_idx(&fx->st), 10, &err), 0);
	assert_int_equal(spot_ws_pub_book(fx->sess2, btc_idx(&fx->st2), 100, &err), 0);
	spot_ws_pub_start(fx->sess);
	spot_ws_pub_start(fx->sess2);
	assert_true(wait_for(fx, both_books_valid, 10000));
	assert_int_equal(fx->st.instr[btc_idx(&fx->st)].price_dp, 1);
	assert_int_equal(fx->st.instr[btc_idx(&fx->st)].qty_dp, 8);
	assert_true(caught_up(fx));
	struct kt_timer *t = kt_timer_start(fx->loop, 1, 1, gen_fire, &g);
	assert_true(nt_run(fx->loop, 60000));
	kt_timer_stop(t);
	assert_int_equal(g.done, 10000);
	assert_true(wait_for(fx, caught_up, 20000));
	for (int k = 0; k < 2; k++) {
		struct state *st = k ? &fx->st2 : &fx->st;
		const struct market *m = state_market_peek(st, btc_idx(st));
		assert_int_equal(m->checksum_failures, 0);
		assert_int_equal(m->resyncs, 0);
		assert_false(m->stale);
		assert_true(m->book.updates > 1000);
	}
	assert_int_equal(spot_ws_pub_stats(fx->sess).errors, 0);
	assert_int_equal(spot_ws_pub_stats(fx->sess2).errors, 0);
	assert_int_equal(book_count(&state_market_peek(&fx->st, btc_idx(&fx->st))->book, SIDE_BUY),
	                 10);
	free(g.ids);
}

static bool caught_up_10(struct fx *fx)
{
	return book_matches(fx, &fx->st, 10);
}

static bool stale_seen(struct fx *fx)
{
	return state_market_peek(&fx->st, btc_idx(&fx->st))->checksum_failures > 0;
}

static bool pub_valid(struct fx *fx)
{
	return book_valid(&fx->st);
}

/* A corrupted checksum (the fault switch) makes the client resync; once the
 * fault is gone the fresh snapshot verifies and the book follows px again. */
static void book_bad_checksum_resync(void **state)
{
	struct fx *fx = *state;
	struct kerr err = KERR_INIT;
	struct wsconn_policy p = fast();
	struct gen g = {.fx = fx, .seed = 99};
	for (int i = 0; i < 100; i++)
		gen_one(&g);
	fx->sess = spot_ws_pub_new(fx->loop, &fx->st, fx->url_pub, &p);
	assert_int_equal(spot_ws_pub_book(fx->sess, btc_idx(&fx->st), 10, &err), 0);
	spot_ws_pub_start(fx->sess);
	assert_true(wait_for(fx, pub_valid, 10000));
	fx->paper->faults.bad_checksum = true;
	for (int i = 0; i < 50; i++)
		gen_one(&g);
	assert_true(wait_for(fx, stale_seen, 5000));
	fx->paper->faults.bad_checksum = false;
	for (int i = 0; i < 50; i++)
		gen_one(&g);
	assert_true(wait_for(fx, caught_up_10, 5000));
	const struct market *m = state_market_peek(&fx->st, btc_idx(&fx->st));
	assert_true(m->resyncs >= 1);
	assert_false(m->stale);
	free(g.ids);
}

static void raw_protocol(void **state)
{
	struct fx *fx = *state;
	struct gen g = {.fx = fx, .seed = 7};
	for (int i = 0; i < 50; i++)
		gen_one(&g);
	raw_connect(fx, fx->url_pub);
	long i = expect(fx, 0, "\"channel\":\"status\"");
	assert_non_null(strstr(fx->msgs[i], "\"system\":\"online\""));
	assert_non_null(strstr(fx->msgs[i], "\"api_version\":\"v2\""));
	raw_send(fx, "{\"method\":\"ping\",\"req_id\":42}");
	i = expect(fx, 0, "\"method\":\"pong\"");
	assert_non_null(strstr(fx->msgs[i], "\"req_id\":42"));
	assert_non_null(strstr(fx->msgs[i], "\"time_in\":\""));
	size_t mark = fx->nmsgs;
	raw_send(fx, "{\"method\":\"subscribe\",\"params\":{\"channel\":\"book\",\"symbol\":"
	             "[\"XBT/USD\",\"BTC/USD\"],\"depth\":10},\"req_id\":5}");
	i = expect(fx, mark, "Currency pair not supported XBT/USD");
	assert_non_null(strstr(fx->msgs[i], "\"success\":false"));
	assert_non_null(strstr(fx->msgs[i], "\"symbol\":\"XBT/USD\""));
	assert_non_null(strstr(fx->msgs[i], "\"req_id\":5"));
	i = expect(fx, mark,
	           "\"result\":{\"channel\":\"book\",\"depth\":10,\"snapshot\":true,"
	           "\"symbol\":\"BTC/USD\"},\"success\":true");
	i = expect(fx, mark, "\"channel\":\"book\",\"type\":\"snapshot\"");
	/* the snapshot verifies through the real decoder */
	struct spot_ws_dec dec;
	struct spot_ws_msg m;
	struct kerr err = KERR_INIT;
	spot_ws_dec_init(&dec);
	struct instrument in = {.product = PRODUCT_SPOT, .price_dp = 1, .qty_dp = 8};
	snprintf(in.id, sizeof in.id, "BTC/USD");
	struct state st;
	state_init(&st);
	state_market(&st, state_add_instrument(&st, &in))->book.depth = 10;
	assert_int_equal(spot_ws_decode(&dec, &st, fx->msgs[i], strlen(fx->msgs[i]), &m, &err), 0);
	assert_true(state_market(&st, 0)->book.valid);
	assert_int_equal(m.nresync, 0);
	spot_ws_dec_free(&dec);
	state_free(&st);

	mark = fx->nmsgs;
	raw_send(fx, "{\"method\":\"subscribe\",\"params\":{\"channel\":\"book\",\"symbol\":"
	             "[\"BTC/USD\"]},\"req_id\":6}");
	expect(fx, mark, "\"error\":\"Already subscribed\"");
	raw_send(fx, "{\"method\":\"unsubscribe\",\"params\":{\"channel\":\"ticker\",\"symbol\":"
	             "[\"ETH/USD\"]},\"req_id\":7}");
	expect(fx, mark, "\"error\":\"Subscription Not Found\"");
	raw_send(fx, "{\"method\":\"subscribe\",\"params\":{\"channel\":\"book\",\"symbol\":"
	             "[\"ETH/USD\"],\"depth\":7}}");
	expect(fx, mark, "EGeneral:Invalid arguments:depth");
	raw_send(fx, "{\"method\":\"subscribe\",\"params\":{\"channel\":\"executions\","
	             "\"token\":\"x\"}}");
	expect(fx, mark, "EGeneral:Permission denied");
	raw_send(fx, "{\"method\":\"frobnicate\"}");
	expect(fx, mark, "\"error\":\"Method not found\"");
	raw_send(fx, "{not json");
	expect(fx, mark, "\"error\":\"EGeneral:Invalid arguments\"");
	raw_send(fx, "{\"method\":\"subscribe\",\"params\":{\"channel\":\"ticker\",\"symbol\":"
	             "[\"BTC/USD\"]},\"req_id\":8}");
	expect(fx, mark, "\"channel\":\"ticker\",\"type\":\"snapshot\"");
	raw_send(fx, "{\"method\":\"subscribe\",\"params\":{\"channel\":\"trade\",\"symbol\":"
	             "[\"BTC/USD\"]},\"req_id\":9}");
	i = expect(fx, mark, "\"channel\":\"trade\",\"snapshot\":false");
	raw_send(fx, "{\"method\":\"subscribe\",\"params\":{\"channel\":\"ohlc\",\"symbol\":"
	             "[\"BTC/USD\"],\"interval\":5},\"req_id\":10}");
	expect(fx, mark, "\"channel\":\"ohlc\",\"type\":\"snapshot\"");
	raw_send(fx, "{\"method\":\"subscribe\",\"params\":{\"channel\":\"instrument\"}}");
	i = expect(fx, mark, "\"channel\":\"instrument\",\"type\":\"snapshot\"");
	assert_non_null(strstr(fx->msgs[i], "\"symbol\":\"BTC/USD\""));
	assert_non_null(strstr(fx->msgs[i], "\"price_precision\":1"));
	/* nothing moves: a heartbeat within a couple of seconds */
	mark = fx->nmsgs;
	expect(fx, mark, "{\"channel\":\"heartbeat\"}");
	/* a change of the engine's state is announced on the status channel */
	fx->paper->faults.system = PAPER_SYS_MAINTENANCE;
	i = expect(fx, mark, "\"system\":\"maintenance\"");
	assert_non_null(strstr(fx->msgs[i], "\"channel\":\"status\""));
	fx->paper->faults.system = PAPER_SYS_ONLINE;
	free(g.ids);
}

/* A subscriber that lets its output pile up is dropped, not buffered forever. */
static bool raw_gone(struct fx *fx)
{
	return fx->raw_closed;
}

static void raw_backpressure(void **state)
{
	struct fx *fx = *state;
	struct gen g = {.fx = fx, .seed = 3};
	for (int i = 0; i < 1000; i++)
		gen_one(&g);
	spot_ws_srv_set_max_queued(fx->pub, 1000); /* the status and the ack fit, the book not */
	raw_connect(fx, fx->url_pub);
	expect(fx, 0, "\"channel\":\"status\"");
	raw_send(fx, "{\"method\":\"subscribe\",\"params\":{\"channel\":\"book\",\"symbol\":"
	             "[\"BTC/USD\"],\"depth\":1000}}");
	assert_true(wait_for(fx, raw_gone, 5000));
	assert_int_equal(spot_ws_srv_dropped(fx->pub), 1);
	free(g.ids);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test_setup_teardown(book_follows_px, setup, teardown),
	        cmocka_unit_test_setup_teardown(book_bad_checksum_resync, setup, teardown),
	        cmocka_unit_test_setup_teardown(raw_protocol, setup, teardown),
	        cmocka_unit_test_setup_teardown(raw_backpressure, setup, teardown),
	};
	return kt_run_tests(tests);
}
