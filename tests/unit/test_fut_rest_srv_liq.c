/* test_fut_rest_srv_liq: a liquidation seen over the wire (Futures REST on
 * loopback, paper_start + the adapter). An isolated long opened with REST
 * calls is liquidated by the liquidation engine when the mark reaches its
 * liquidation price; then
 * - GET /derivatives/api/v3/fills lists the closing fill with
 *   fillType "liquidation" (the opening one stays "taker"), and krakterm's
 *   client codec decodes it as a liquidation;
 * - GET /api/history/v3/account-log has the entry "futures liquidation" for the
 *   contract, naming the fill as its execution, with the trade price and the
 *   realized PnL, and the info filter finds it;
 * - the position is gone from openpositions.
 * Without a simulator (--no-market) the server's own tick liquidates: a trade
 * through the liquidation price moves the mark (none was ever set) and the
 * position is closed without anyone calling liquidation_run. */
#include <stdio.h>
#include <string.h>

#include "core/state.h"
#include "kraken/fut_rest_codec.h"
#include "net/loop.h"
#include "paper/liquidation.h"
#include "tests/fixtures/net/nettest.h"
#include "tests/unit/fut_rest_srv_env.h"
#include "tests/unit/unit.h"

static void liquidation_on_the_wire(void **s)
{
	(void)s;
	struct env e;
	env_init(&e);
	struct px *px = e.p->px;
	struct state st;
	env_client_state(&e, &st); /* before the fills: it asks for the instruments */
	const struct px_instr *in = px_instr_find(px, PX_FUTURES, "PF_XBTUSD");
	assert_non_null(in);
	env_call(&e, "PUT", "/derivatives/api/v3/leveragepreferences",
	         "symbol=PF_XBTUSD&maxLeverage=10", NULL, true);
	assert_string_equal(env_js(&e, "result", NULL), "success");
	env_maker(&e, "PF_XBTUSD", ENGINE_SELL, "60000", "1");
	env_post(&e, "sendorder", "orderType=mkt&symbol=PF_XBTUSD&side=buy&size=1&cliOrdId=open-1");
	assert_string_equal(env_js(&e, "sendStatus", "status", NULL), "placed");
	struct px_fut_position pos;
	assert_int_equal(px_fut_position(px, 1, in, &pos), 0);
	assert_true(pos.isolated && pos.has_liq);
	assert_true(dec_eq(pos.liq_price, env_dec("54545.45"))); /* 6000 margin on 60000 */
	env_maker(&e, "PF_XBTUSD", ENGINE_BUY, "54000", "2");

	dec_t mark = pos.liq_price;
	assert_int_equal(px_set_mark_index(px, in, &mark, NULL, NULL), 0);
	assert_int_equal(liquidation_run(px, NULL, NULL), 1);

	env_get(&e, "fills", NULL, true);
	assert_string_equal(env_js(&e, "result", NULL), "success");
	assert_int_equal(env_jn(&e, "fills", NULL), 2);
	assert_string_equal(env_js(&e, "fills", "0", "fillType", NULL), "liquidation");
	assert_string_equal(env_js(&e, "fills", "0", "side", NULL), "sell");
	assert_string_equal(env_js(&e, "fills", "0", "symbol", NULL), "PF_XBTUSD");
	assert_true(dec_eq(env_dec(env_js(&e, "fills", "0", "price", NULL)), env_dec("54000")));
	assert_true(dec_eq(env_dec(env_js(&e, "fills", "0", "size", NULL)), env_dec("1")));
	assert_string_equal(env_js(&e, "fills", "1", "fillType", NULL), "taker");
	assert_string_equal(env_js(&e, "fills", "1", "cliOrdId", NULL), "open-1");
	char fill_id[PX_ID_MAX];
	snprintf(fill_id, sizeof fill_id, "%s", env_js(&e, "fills", "0", "fill_id", NULL));
	assert_true(strlen(fill_id) > 0);
	/* the client sees it as a liquidation */
	struct fut_doc fd;
	struct kerr err = KERR_INIT;
	env_client_doc(&e, &fd);
	assert_int_equal(fut_decode_fills(&fd, &st, &err), 0);
	fut_doc_free(&fd);
	assert_int_equal(st.nfills, 2);
	bool seen = false;
	for (unsigned i = 0; i < st.nfills; i++) {
		const struct fill *f = state_fill_at(&st, i);
		if (strcmp(f->id, fill_id) == 0) {
			assert_true(f->liquidation);
			seen = true;
		} else {
			assert_false(f->liquidation);
		}
	}
	assert_true(seen);
	state_free(&st);

	env_call(&e, "GET", "/api/history/v3/account-log", "count=10", NULL, true);
	assert_string_equal(env_js(&e, "logs", "0", "info", NULL), "futures liquidation");
	assert_string_equal(env_js(&e, "logs", "0", "contract", NULL), "PF_XBTUSD");
	assert_string_equal(env_js(&e, "logs", "0", "execution", NULL), fill_id);
	assert_true(dec_eq(env_dec(env_js(&e, "logs", "0", "trade_price", NULL)),
	                   env_dec("54000")));
	assert_true(dec_eq(env_dec(env_js(&e, "logs", "0", "realized_pnl", NULL)),
	                   env_dec("-6000"))); /* 1 x (54000 - 60000) */
	assert_string_equal(env_js(&e, "logs", "1", "info", NULL), "futures trade");
	env_call(&e, "GET", "/api/history/v3/account-log", "info=futures%20liquidation", NULL,
	         true);
	assert_int_equal(env_jn(&e, "logs", NULL), 1);
	assert_string_equal(env_js(&e, "logs", "0", "execution", NULL), fill_id);

	env_get(&e, "openpositions", NULL, true);
	assert_int_equal(env_jn(&e, "openPositions", NULL), 0);
	env_free(&e);
}

struct wait_ctx {
	struct env *e;
	const struct px_instr *in;
	struct kt_timer *poll;
};

static void poll_closed(void *arg)
{
	struct wait_ctx *w = arg;
	struct px_fut_position p;
	if (px_fut_position(w->e->p->px, 1, w->in, &p) < 0)
		kt_loop_stop(w->e->loop);
}

static void no_market_server_liquidates(void **s)
{
	(void)s;
	struct env e;
	env_init(&e);
	struct px *px = e.p->px;
	assert_false(e.p->market_running);
	const struct px_instr *in = px_instr_find(px, PX_FUTURES, "PF_XBTUSD");
	env_call(&e, "PUT", "/derivatives/api/v3/leveragepreferences",
	         "symbol=PF_XBTUSD&maxLeverage=10", NULL, true);
	env_maker(&e, "PF_XBTUSD", ENGINE_SELL, "60000", "1");
	env_post(&e, "sendorder", "orderType=mkt&symbol=PF_XBTUSD&side=buy&size=1");
	assert_string_equal(env_js(&e, "sendStatus", "status", NULL), "placed");
	struct px_fut_position pos;
	assert_int_equal(px_fut_position(px, 1, in, &pos), 0);
	assert_true(dec_eq(pos.liq_price, env_dec("54545.45")));
	/* another account sells into the market's bid at 54000: the last price,
	 * and so the mark, is now below the liquidation price */
	env_maker(&e, "PF_XBTUSD", ENGINE_BUY, "54000", "3");
	struct px_account_init ai;
	memset(&ai, 0, sizeof ai);
	ai.fut_flex[PX_A_USD] = env_dec("100000");
	uint32_t other = 0;
	assert_int_equal(px_account_create(px, &ai, &other, NULL), 0);
	struct px_place pl;
	memset(&pl, 0, sizeof pl);
	pl.account = other;
	pl.instr = in;
	pl.side = ENGINE_SELL;
	pl.type = ENGINE_T_MARKET;
	pl.qty = env_dec("0.1");
	struct px_result res;
	struct kerr err = KERR_INIT;
	assert_int_equal(px_place(px, &pl, &res, &err), 0);
	assert_int_equal(px_fut_position(px, 1, in, &pos), 0);
	assert_true(dec_eq(pos.mark_price, env_dec("54000")));

	struct wait_ctx w = {&e, in, NULL};
	w.poll = kt_timer_start(e.loop, 5, 5, poll_closed, &w);
	assert_true(nt_run(e.loop, 5000));
	kt_timer_stop(w.poll);
	env_get(&e, "fills", NULL, true);
	assert_string_equal(env_js(&e, "fills", "0", "fillType", NULL), "liquidation");
	assert_true(dec_eq(env_dec(env_js(&e, "fills", "0", "price", NULL)), env_dec("54000")));
	env_free(&e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(liquidation_on_the_wire),
	        cmocka_unit_test(no_market_server_liquidates),
	};
	return kt_run_tests(tests);
}
