/* test_spot_rest_codec: every Spot REST decoder on fixtures written from the
 * documented shapes (tests/fixtures/spot_rest), applied to a state; and that
 * malformed or truncated answers give a clear error and leave the state
 * untouched. */
#include <stdlib.h>
#include <string.h>

#include "kraken/spot_rest_codec.h"
#include "tests/unit/spot_rest_util.h"
#include "tests/unit/unit.h"

static void assert_dec_str(dec_t v, const char *want, const char *what)
{
	dec_t w;
	assert_int_equal(dec_parse(want, (size_t)-1, &w, NULL), 0);
	if (!dec_eq(v, w)) {
		char b[DEC_FMT_MAX];
		dec_fmt(v, -1, b, sizeof b);
		fail_msg("%s: got %s, want %s", what, b, want);
	}
}
#define ASSERT_DEC(v, s) assert_dec_str((v), (s), #v)

struct evcount {
	int n[EV_COUNT];
};

static void count_ev(void *ctx, const struct state_event *ev)
{
	((struct evcount *)ctx)->n[ev->kind]++;
}

/* ---- envelope ---- */

static void envelope_ok_error_warning(void **s)
{
	(void)s;
	struct jdoc d;
	jdoc_init(&d);
	struct spot_env env;
	struct kerr e = KERR_INIT;
	const char *ok = "{\"error\":[],\"result\":{\"a\":1}}";
	assert_int_equal(spot_env_parse(&d, ok, strlen(ok), &env, &e), 0);
	assert_true(env.result > 0);
	const char *bad = "{\"error\":[\"EOrder:Insufficient funds\",\"EGeneral:Other\"]}";
	assert_int_equal(spot_env_parse(&d, bad, strlen(bad), &env, &e), 1);
	assert_string_equal(env.error, "EOrder:Insufficient funds");
	assert_int_equal(env.nerrors, 2);
	assert_int_equal(env.result, -1);
	char *body;
	int res = srt_load("warning.json", &d, &body);
	assert_true(res > 0); /* a warning is not an error */
	struct spot_time t;
	assert_int_equal(spot_dec_time(&d, res, &t, &e), 0);
	assert_int_equal(t.unixtime, 1700000000);
	free(body);
	jdoc_free(&d);
}

static void envelope_malformed(void **s)
{
	(void)s;
	static const char *const cases[] = {
		"",                                    /* empty */
		"<html>502 Bad Gateway</html>",        /* a proxy's page */
		"{\"error\":[],\"result\":{\"unix",    /* truncated */
		"[1,2]",                               /* not an object */
		"{\"foo\":1}",                         /* no envelope */
		"{\"error\":\"EGeneral:x\"}",          /* error not an array */
		"{\"error\":[5]}",                     /* error entry not a string */
	};
	struct jdoc d;
	jdoc_init(&d);
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct spot_env env;
		struct kerr e = KERR_INIT;
		assert_int_equal(spot_env_parse(&d, cases[i], strlen(cases[i]), &env, &e), -1);
		assert_int_equal(e.code, SPOT_E_JSON);
		assert_true(e.msg[0] != '\0');
	}
	jdoc_free(&d);
}

/* ---- public ---- */

static void time_status_assets(void **s)
{
	(void)s;
	struct jdoc d;
	jdoc_init(&d);
	char *body;
	struct kerr e = KERR_INIT;
	int res = srt_load("time.json", &d, &body);
	struct spot_time t;
	assert_int_equal(spot_dec_time(&d, res, &t, &e), 0);
	assert_int_equal(t.unixtime, 1700000000);
	assert_string_equal(t.rfc1123, "Tue, 14 Nov 23 22:13:20 +0000");
	free(body);

	res = srt_load("system_status.json", &d, &body);
	struct spot_system_status ss;
	assert_int_equal(spot_dec_system_status(&d, res, &ss, &e), 0);
	assert_int_equal(ss.status, SPOT_SYS_ONLINE);
	assert_int_equal(ss.ts_ns, 1700000000LL * 1000000000LL);
	free(body);

	res = srt_load("assets.json", &d, &body);
	struct spot_asset *a;
	size_t n;
	assert_int_equal(spot_dec_assets(&d, res, &a, &n, &e), 0);
	assert_int_equal(n, 4);
	assert_string_equal(a[0].id, "XXBT");
	assert_string_equal(a[0].altname, "XBT");
	assert_string_equal(a[0].display, "BTC");
	assert_int_equal(a[0].decimals, 10);
	ASSERT_DEC(a[0].collateral_value, "1");
	assert_string_equal(a[2].display, "DOGE");
	assert_string_equal(a[3].display, "SOL");
	free(a);
	free(body);
	jdoc_free(&d);
}

static void asset_pairs_to_instruments(void **s)
{
	(void)s;
	struct state st;
	struct evcount ec = {{0}};
	state_init(&st);
	state_listen(&st, count_ev, &ec);
	struct jdoc d;
	jdoc_init(&d);
	char *body;
	struct kerr e = KERR_INIT;
	int res = srt_load("asset_pairs.json", &d, &body);
	struct spot_pair *p;
	size_t n;
	assert_int_equal(spot_dec_asset_pairs(&d, res, &p, &n, &e), 0);
	assert_int_equal(n, 3); /* the ".d" dark-pool pair is skipped */
	const struct instrument *in = &p[0].in;
	assert_string_equal(in->id, "BTC/USD");
	assert_string_equal(in->rest_id, "XXBTZUSD");
	assert_string_equal(in->altname, "XBTUSD");
	assert_string_equal(p[0].wsname, "XBT/USD");
	assert_string_equal(in->base, "BTC");
	assert_string_equal(in->quote, "USD");
	assert_string_equal(in->base_rest, "XXBT");
	assert_string_equal(in->quote_rest, "ZUSD");
	ASSERT_DEC(in->tick, "0.1");
	ASSERT_DEC(in->lot, "0.00000001");
	ASSERT_DEC(in->min_size, "0.0001");
	ASSERT_DEC(in->min_cost, "0.5");
	assert_int_equal(in->price_dp, 1);
	assert_int_equal(in->qty_dp, 8);
	assert_int_equal(in->cost_dp, 5);
	assert_int_equal(in->leverage_buy[0], 2);
	assert_int_equal(in->leverage_buy[3], 5);
	assert_int_equal(in->leverage_buy[4], 0);
	ASSERT_DEC(in->fee_taker, "0.004");
	ASSERT_DEC(in->fee_maker, "0.0025");
	assert_true(in->tradeable);
	assert_false(in->post_only);
	assert_int_equal(in->product, PRODUCT_SPOT);
	assert_string_equal(p[1].in.id, "ETH/BTC");
	assert_true(p[1].in.post_only);
	assert_true(p[1].in.tradeable);
	assert_int_equal(p[1].in.leverage_buy[0], 0);
	assert_string_equal(p[2].in.id, "SOL/USD");
	assert_false(p[2].in.tradeable); /* cancel_only */
	ASSERT_DEC(p[2].in.fee_maker, "0.004"); /* no maker schedule: same as taker */

	spot_apply_instruments(&st, p, n);
	assert_int_equal(ec.n[EV_INSTRUMENTS], 1);
	assert_int_equal(state_find_instrument(&st, "BTC/USD"), 0);
	assert_int_equal(state_find_instrument(&st, "XXBTZUSD"), 0);
	assert_int_equal(state_find_instrument(&st, "XBTUSD"), 0);
	assert_int_equal(state_find_instrument(&st, "XBT/USD"), 0);
	assert_int_equal(state_find_instrument(&st, "ETHXBT"), 1);
	free(p);
	free(body);
	jdoc_free(&d);
	state_free(&st);
}

static void asset_pairs_malformed(void **s)
{
	(void)s;
	static const char *const cases[] = {
		"{\"error\":[],\"result\":[]}",
		"{\"error\":[],\"result\":{\"XXBTZUSD\":{\"altname\":\"XBTUSD\"}}}",
		"{\"error\":[],\"result\":{\"XXBTZUSD\":{\"altname\":\"XBTUSD\",\"base\":\"XXBT\","
		"\"quote\":\"ZUSD\",\"pair_decimals\":1,\"lot_decimals\":99}}}",
		"{\"error\":[],\"result\":{\"XXBTZUSD\":{\"altname\":\"XBTUSD\",\"base\":\"XXBT\","
		"\"quote\":\"ZUSD\",\"pair_decimals\":1,\"lot_decimals\":8,\"ordermin\":\"abc\"}}}",
		"{\"error\":[],\"result\":{\"XXBTZUSD\":{\"altname\":\"XBTUSD\",\"base\":\"XXBT\","
		"\"quote\":\"ZUSD\",\"pair_decimals\":1,\"lot_decimals\":8,\"fees\":[[0]]}}}",
	};
	struct jdoc d;
	jdoc_init(&d);
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct spot_pair *p = (void *)1;
		size_t n = 9;
		struct kerr e = KERR_INIT;
		int res = srt_parse(cases[i], &d);
		assert_int_equal(spot_dec_asset_pairs(&d, res, &p, &n, &e), -1);
		assert_null(p);
		assert_int_equal(n, 0);
		assert_true(e.msg[0] != '\0');
	}
	jdoc_free(&d);
}

static void ticker_applied(void **s)
{
	(void)s;
	struct state st;
	srt_state_init(&st);
	struct jdoc d;
	jdoc_init(&d);
	char *body;
	struct kerr e = KERR_INIT;
	int res = srt_load("ticker.json", &d, &body);
	struct spot_ticker_row *t;
	size_t n;
	assert_int_equal(spot_dec_ticker(&d, res, &t, &n, &e), 0);
	assert_int_equal(n, 1);
	assert_int_equal(spot_apply_ticker(&st, t, n), 1);
	const struct ticker *tk = &state_market_peek(&st, SRT_BTCUSD)->ticker;
	ASSERT_DEC(tk->ask, "30300.1");
	ASSERT_DEC(tk->ask_qty, "1");
	ASSERT_DEC(tk->bid, "30300");
	ASSERT_DEC(tk->bid_qty, "2");
	ASSERT_DEC(tk->last, "30303.2");
	ASSERT_DEC(tk->volume, "4412.73601799");
	ASSERT_DEC(tk->high, "31631");
	ASSERT_DEC(tk->low, "29868.3");
	ASSERT_DEC(tk->open24h, "30502.8");
	ASSERT_DEC(tk->change_pct, "-0.65"); /* (30303.2 - 30502.8) / 30502.8 */
	assert_true(tk->has & TK_CHANGE);
	free(t);
	free(body);

	/* a row missing "c" fails as a whole */
	res = srt_parse("{\"error\":[],\"result\":{\"XXBTZUSD\":{\"a\":[\"1\",\"1\",\"1\"],"
			"\"b\":[\"1\",\"1\",\"1\"]}}}",
			&d);
	assert_int_equal(spot_dec_ticker(&d, res, &t, &n, &e), -1);
	assert_non_null(strstr(e.msg, "\"c\""));
	jdoc_free(&d);
	state_free(&st);
}

static void depth_snapshot(void **s)
{
	(void)s;
	struct state st;
	srt_state_init(&st);
	struct jdoc d;
	jdoc_init(&d);
	char *body;
	struct kerr e = KERR_INIT;
	int res = srt_load("depth.json", &d, &body);
	struct spot_depth dp;
	assert_int_equal(spot_dec_depth(&d, res, &dp, &e), 0);
	assert_string_equal(dp.pair, "XXBTZUSD");
	assert_int_equal(dp.nasks, 3);
	assert_int_equal(dp.nbids, 3);
	assert_int_equal(spot_apply_depth(&st, &dp, &e), 0);
	const struct book *b = &state_market_peek(&st, SRT_BTCUSD)->book;
	assert_true(b->valid);
	struct book_level best;
	assert_true(book_best(b, SIDE_BUY, &best));
	assert_int_equal(best.px, 302970);
	assert_int_equal(best.qty, 111500000);
	assert_true(book_best(b, SIDE_SELL, &best));
	assert_int_equal(best.px, 303841);
	assert_int_equal(book_count(b, SIDE_SELL), 3);
	spot_depth_free(&dp);
	free(body);

	/* a price finer than the pair's precision: refused, book unchanged */
	res = srt_parse("{\"error\":[],\"result\":{\"XXBTZUSD\":{\"asks\":[[\"30000.05\",\"1\",1]],"
			"\"bids\":[]}}}",
			&d);
	assert_int_equal(spot_dec_depth(&d, res, &dp, &e), 0);
	assert_int_equal(spot_apply_depth(&st, &dp, &e), -1);
	assert_int_equal(book_count(b, SIDE_SELL), 3);
	spot_depth_free(&dp);
	/* truncated level */
	res = srt_parse("{\"error\":[],\"result\":{\"XXBTZUSD\":{\"asks\":[[\"30000.5\"]],"
			"\"bids\":[]}}}",
			&d);
	assert_int_equal(spot_dec_depth(&d, res, &dp, &e), -1);
	assert_null(dp.asks);
	jdoc_free(&d);
	state_free(&st);
}

static void ohlc_and_trades(void **s)
{
	(void)s;
	struct state st;
	srt_state_init(&st);
	struct jdoc d;
	jdoc_init(&d);
	char *body;
	struct kerr e = KERR_INIT;
	int res = srt_load("ohlc.json", &d, &body);
	struct spot_ohlc o;
	assert_int_equal(spot_dec_ohlc(&d, res, &o, &e), 0);
	assert_int_equal(o.n, 3);
	assert_int_equal(o.last, 1688671260);
	assert_int_equal(o.c[0].start_ms, 1688671200000LL);
	ASSERT_DEC(o.c[2].close, "30291.4");
	ASSERT_DEC(o.c[1].volume, "4.42996871");
	assert_int_equal(spot_apply_ohlc(&st, &o, 1, &e), 0);
	const struct market *m = state_market_peek(&st, SRT_BTCUSD);
	assert_int_equal(m->candles.n, 3);
	assert_int_equal(m->candles.interval_min, 1);
	free(o.c);
	free(body);

	res = srt_load("trades.json", &d, &body);
	struct spot_trades t;
	assert_int_equal(spot_dec_trades(&d, res, &t, &e), 0);
	assert_int_equal(t.n, 3);
	assert_string_equal(t.last, "1688671969993150842");
	assert_int_equal(t.t[0].time_ms, 1688669597827LL);
	assert_int_equal(t.t[0].side, SIDE_BUY);
	assert_int_equal(t.t[1].side, SIDE_SELL);
	ASSERT_DEC(t.t[2].qty, "0.01235716");
	assert_int_equal(spot_apply_trades(&st, &t, &e), 0);
	assert_int_equal(m->trades.n, 3);
	ASSERT_DEC(trade_ring_at(&m->trades, 0)->qty, "0.01235716");
	free(t.t);
	free(body);

	res = srt_parse("{\"error\":[],\"result\":{\"XXBTZUSD\":[[\"1\",\"1\",1.5,\"x\",\"m\",\"\",1]],"
			"\"last\":\"1\"}}",
			&d);
	assert_int_equal(spot_dec_trades(&d, res, &t, &e), -1);
	jdoc_free(&d);
	state_free(&st);
}

/* ---- private ---- */

static const struct balance *find_bal(const struct balance *b, size_t n, const char *asset)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(b[i].asset, asset) == 0)
			return &b[i];
	fail_msg("no balance %s", asset);
	return NULL;
}

static void balances(void **s)
{
	(void)s;
	struct state st;
	srt_state_init(&st);
	struct jdoc d;
	jdoc_init(&d);
	char *body;
	struct kerr e = KERR_INIT;
	int res = srt_load("balance.json", &d, &body);
	struct balance *b;
	size_t n;
	assert_int_equal(spot_dec_balance(&d, res, &b, &n, &e), 0);
	assert_int_equal(n, 5);
	ASSERT_DEC(find_bal(b, n, "USD")->total, "2970172.7962");
	ASSERT_DEC(find_bal(b, n, "BTC")->available, "1.24");
	ASSERT_DEC(find_bal(b, n, "DOGE")->total, "0");
	ASSERT_DEC(find_bal(b, n, "ETH.S")->total, "2.5"); /* staked: shown apart */
	ASSERT_DEC(find_bal(b, n, "ETH.S")->available, "0");
	ASSERT_DEC(find_bal(b, n, "USDT")->total, "500");
	free(b);
	free(body);

	res = srt_load("balance_ex.json", &d, &body);
	assert_int_equal(spot_dec_balance_ex(&d, res, &b, &n, &e), 0);
	assert_int_equal(n, 3);
	const struct balance *usd = find_bal(b, n, "USD");
	ASSERT_DEC(usd->total, "25435.21");
	ASSERT_DEC(usd->hold, "8249.76");
	ASSERT_DEC(usd->available, "17185.45");
	/* 1.2435 + 0.5 - 0.1 - 0.8423 */
	ASSERT_DEC(find_bal(b, n, "BTC")->available, "0.8012");
	ASSERT_DEC(find_bal(b, n, "ETH.S")->available, "0");
	spot_apply_balances(&st, b, n);
	ASSERT_DEC(state_balance(&st, "USD")->available, "17185.45");
	free(b);
	free(body);

	res = srt_load("trade_balance.json", &d, &body);
	struct spot_trade_balance tb;
	assert_int_equal(spot_dec_trade_balance(&d, res, &tb, &e), 0);
	ASSERT_DEC(tb.eb, "1101.3425");
	ASSERT_DEC(tb.n, "-10.0232");
	ASSERT_DEC(tb.ml, "5432.57");
	free(body);

	res = srt_parse("{\"error\":[],\"result\":{\"ZUSD\":{\"hold_trade\":\"1\"}}}", &d);
	assert_int_equal(spot_dec_balance_ex(&d, res, &b, &n, &e), -1);
	assert_non_null(strstr(e.msg, "balance"));
	jdoc_free(&d);
	state_free(&st);
}

static void open_orders(void **s)
{
	(void)s;
	struct state st;
	srt_state_init(&st);
	struct jdoc d;
	jdoc_init(&d);
	char *body;
	struct kerr e = KERR_INIT;
	int res = srt_load("open_orders.json", &d, &body);
	struct order *o;
	size_t n;
	assert_int_equal(spot_dec_open_orders(&d, res, &st, &o, &n, &e), 0);
	assert_int_equal(n, 3);
	/* partly filled post-only limit with a client id */
	assert_string_equal(o[0].id, "OQCLML-BW3P3-BUCMWZ");
	assert_string_equal(o[0].cl_id, "6d1b345e-2821-40e2-ad83-4ecb18a06876");
	assert_int_equal(o[0].instr, SRT_BTCUSD);
	assert_int_equal(o[0].side, SIDE_BUY);
	assert_int_equal(o[0].type, OT_LIMIT);
	assert_int_equal(o[0].status, OS_PARTIAL);
	ASSERT_DEC(o[0].qty, "1.25");
	ASSERT_DEC(o[0].filled, "0.375");
	ASSERT_DEC(o[0].limit_price, "30010");
	assert_true(o[0].post_only);
	assert_int_equal(o[0].tif, TIF_GTC);
	assert_int_equal(o[0].created_ms, 1688666559897LL);
	/* untriggered stop-loss-limit on index, 5:1, expiring */
	assert_int_equal(o[1].type, OT_STOP_LIMIT);
	assert_int_equal(o[1].status, OS_UNTRIGGERED);
	ASSERT_DEC(o[1].trigger_price, "27500");
	ASSERT_DEC(o[1].limit_price, "27400");
	assert_int_equal(o[1].signal, TRIG_INDEX);
	assert_int_equal(o[1].leverage, 5);
	assert_int_equal(o[1].tif, TIF_GTD);
	assert_int_equal(o[1].expire_ms, 1688760000000LL);
	assert_false(o[1].post_only);
	/* trailing stop with a percentage offset and its current trigger */
	assert_int_equal(o[2].type, OT_TRAILING_STOP);
	ASSERT_DEC(o[2].trail_offset, "1.5");
	assert_true(o[2].trail_pct);
	ASSERT_DEC(o[2].trigger_price, "29850.5");

	struct evcount ec = {{0}};
	state_listen(&st, count_ev, &ec);
	spot_apply_orders(&st, o, n, true, NULL, NULL);
	assert_int_equal(ec.n[EV_ORDERS], 3);
	assert_non_null(state_order_by_cl(&st, "6d1b345e-2821-40e2-ad83-4ecb18a06876"));
	free(o);
	free(body);
	jdoc_free(&d);
	state_free(&st);
}

static void closed_and_query_orders(void **s)
{
	(void)s;
	struct state st;
	srt_state_init(&st);
	struct jdoc d;
	jdoc_init(&d);
	char *body;
	struct kerr e = KERR_INIT;
	int res = srt_load("closed_orders.json", &d, &body);
	struct order *o;
	size_t n;
	int64_t count;
	assert_int_equal(spot_dec_closed_orders(&d, res, &st, &o, &n, &count, &e), 0);
	assert_int_equal(n, 2);
	assert_int_equal(count, 2);
	assert_int_equal(o[0].status, OS_CANCELLED);
	assert_string_equal(o[0].reason, "User requested");
	assert_int_equal(o[0].instr, -1); /* XBTGBP is not listed here */
	assert_int_equal(o[0].updated_ms, 1688148610048LL);
	assert_int_equal(o[1].status, OS_FILLED);
	assert_int_equal(o[1].type, OT_MARKET);
	ASSERT_DEC(o[1].avg_price, "30300");
	free(o);
	free(body);

	res = srt_load("query_orders.json", &d, &body);
	assert_int_equal(spot_dec_query_orders(&d, res, &st, &o, &n, &e), 0);
	assert_int_equal(n, 1);
	assert_int_equal(o[0].status, OS_FILLED);
	ASSERT_DEC(o[0].trigger_price, "27500");
	ASSERT_DEC(o[0].limit_price, "27500"); /* from limitprice once triggered */

	/* An open snapshot must not reopen an order the state knows is closed,
	 * and open orders missing from a snapshot are reported. */
	spot_apply_orders(&st, o, n, false, NULL, NULL);
	free(body);
	res = srt_load("open_orders.json", &d, &body);
	struct order *oo;
	size_t no;
	assert_int_equal(spot_dec_open_orders(&d, res, &st, &oo, &no, &e), 0);
	spot_apply_orders(&st, oo, no, true, NULL, NULL);
	struct order stale = oo[0];
	snprintf(stale.id, sizeof stale.id, "%s", o[0].id);
	spot_apply_orders(&st, &stale, 1, false, NULL, NULL);
	assert_int_equal(state_order_get(&st, o[0].id)->status, OS_FILLED);
	char(*gone)[ORDER_ID_MAX];
	size_t ngone;
	spot_apply_orders(&st, oo + 1, 2, true, &gone, &ngone);
	assert_int_equal(ngone, 1);
	assert_string_equal(gone[0], "OQCLML-BW3P3-BUCMWZ");
	free(gone);
	free(oo);
	free(o);
	free(body);

	/* bad status / side / type / missing descr */
	static const char *const bad[] = {
		"{\"error\":[],\"result\":{\"O1\":{\"status\":\"weird\",\"vol\":\"1\",\"descr\":{"
		"\"pair\":\"XBTUSD\",\"type\":\"buy\",\"ordertype\":\"limit\",\"price\":\"1\"}}}}",
		"{\"error\":[],\"result\":{\"O1\":{\"status\":\"open\",\"vol\":\"1\",\"descr\":{"
		"\"pair\":\"XBTUSD\",\"type\":\"hold\",\"ordertype\":\"limit\",\"price\":\"1\"}}}}",
		"{\"error\":[],\"result\":{\"O1\":{\"status\":\"open\",\"vol\":\"1\",\"descr\":{"
		"\"pair\":\"XBTUSD\",\"type\":\"buy\",\"ordertype\":\"moon\",\"price\":\"1\"}}}}",
		"{\"error\":[],\"result\":{\"O1\":{\"status\":\"open\",\"vol\":\"1\"}}}",
		"{\"error\":[],\"result\":{\"O1\":{\"status\":\"open\",\"vol\":\"x\",\"descr\":{"
		"\"pair\":\"XBTUSD\",\"type\":\"buy\",\"ordertype\":\"limit\",\"price\":\"1\"}}}}",
	};
	size_t before = st.norders;
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		res = srt_parse(bad[i], &d);
		assert_int_equal(spot_dec_query_orders(&d, res, &st, &o, &n, &e), -1);
		assert_null(o);
	}
	assert_int_equal(st.norders, before);
	jdoc_free(&d);
	state_free(&st);
}

static void trades_history_fills(void **s)
{
	(void)s;
	struct state st;
	srt_state_init(&st);
	struct jdoc d;
	jdoc_init(&d);
	char *body;
	struct kerr e = KERR_INIT;
	int res = srt_load("trades_history.json", &d, &body);
	struct fill *f;
	size_t n;
	int64_t count;
	assert_int_equal(spot_dec_trades_history(&d, res, &st, &f, &n, &count, &e), 0);
	assert_int_equal(n, 2);
	assert_int_equal(count, 2);
	/* oldest first */
	assert_string_equal(f[0].id, "TCWJEG-FL4SZ-3FKGH6");
	assert_false(f[0].maker);
	assert_true(f[1].maker);
	assert_string_equal(f[1].order_id, "OQCLML-BW3P3-BUCMWZ");
	assert_int_equal(f[1].instr, SRT_BTCUSD);
	ASSERT_DEC(f[1].qty, "0.0205528");
	ASSERT_DEC(f[1].fee, "1.23358");
	assert_string_equal(f[1].fee_asset, "USD");
	assert_int_equal(f[1].time_ms, 1688667796880LL);
	spot_apply_fills(&st, f, n);
	spot_apply_fills(&st, f, n); /* deduplicated by id */
	assert_int_equal(st.nfills, 2);
	assert_string_equal(state_fill_at(&st, 0)->id, "THVRQM-33VKH-UCI7BS");
	free(f);
	free(body);
	jdoc_free(&d);
	state_free(&st);
}

static void open_positions_net(void **s)
{
	(void)s;
	struct state st;
	srt_state_init(&st);
	struct jdoc d;
	jdoc_init(&d);
	char *body;
	struct kerr e = KERR_INIT;
	int res = srt_load("open_positions.json", &d, &body);
	struct position *p;
	size_t n;
	assert_int_equal(spot_dec_open_positions(&d, res, &st, &p, &n, &e), 0);
	assert_int_equal(n, 1); /* two longs on one pair: one net position */
	/* open = 8.82412861 - 0.202 + 8 */
	ASSERT_DEC(p[0].size, "16.62212861");
	ASSERT_DEC(p[0].upnl, "248554.2042");
	ASSERT_DEC(p[0].initial_margin, "50073.45939");
	assert_int_equal(p[0].instr, SRT_BTCUSD);
	assert_string_equal(p[0].pnl_asset, "USD");
	/* entry = (104610.52842 * 8.62212861 / 8.82412861 + 145756.76856) / 16.62212861 */
	ASSERT_DEC(p[0].entry, "14918.2");
	spot_apply_positions(&st, p, n);
	assert_non_null(state_position(&st, SRT_BTCUSD));
	free(p);
	free(body);
	jdoc_free(&d);
	state_free(&st);
}

static void ledgers(void **s)
{
	(void)s;
	struct state st;
	srt_state_init(&st);
	struct jdoc d;
	jdoc_init(&d);
	char *body;
	struct kerr e = KERR_INIT;
	int res = srt_load("ledgers.json", &d, &body);
	struct spot_ledger *l;
	size_t n;
	int64_t count;
	assert_int_equal(spot_dec_ledgers(&d, res, &l, &n, &count, &e), 0);
	assert_int_equal(n, 3);
	assert_int_equal(count, 3);
	assert_string_equal(l[0].id, "LTST01-AAAAA-BBBBBB"); /* oldest first */
	assert_string_equal(l[0].subtype, "spottofutures");
	assert_string_equal(l[0].asset, "USD");
	assert_string_equal(l[2].asset, "GBP");
	ASSERT_DEC(l[2].amount, "-24.5");
	spot_apply_ledgers(&st, l, n);
	spot_apply_ledgers(&st, l, n);
	assert_int_equal(st.nalog, 3);
	const struct account_log_entry *a = state_account_log_at(&st, 0);
	assert_string_equal(a->info, "trade");
	ASSERT_DEC(a->new_balance, "459567.9171");
	ASSERT_DEC(a->old_balance, "459592.4661"); /* 459567.9171 + 24.5 + 0.049 */
	free(l);
	free(body);
	jdoc_free(&d);
	state_free(&st);
}

/* ---- trading results ---- */

static void trading_results(void **s)
{
	(void)s;
	struct jdoc d;
	jdoc_init(&d);
	char *body;
	struct kerr e = KERR_INIT;
	int res = srt_load("add_order.json", &d, &body);
	struct spot_add_result ar;
	assert_int_equal(spot_dec_add_order(&d, res, &ar, &e), 0);
	assert_string_equal(ar.txid, "OUF4EM-FRGI2-MQMWZD");
	assert_string_equal(ar.descr, "buy 1.25000000 XBTUSD @ limit 27500.0");
	assert_string_equal(ar.close, "close position @ stop loss 26000.0 -> limit 25900.0");
	free(body);

	res = srt_load("add_order_validate.json", &d, &body);
	assert_int_equal(spot_dec_add_order(&d, res, &ar, &e), 0);
	assert_string_equal(ar.txid, "");
	free(body);

	res = srt_load("add_order_batch.json", &d, &body);
	struct spot_add_result *br;
	size_t n;
	assert_int_equal(spot_dec_add_order_batch(&d, res, &br, &n, &e), 0);
	assert_int_equal(n, 3);
	assert_string_equal(br[0].txid, "OUF4EM-FRGI2-MQMWZD");
	assert_string_equal(br[1].error, "EOrder:Insufficient funds");
	assert_string_equal(br[1].txid, "");
	assert_string_equal(br[2].descr, "sell 0.50000000 XBTUSD @ limit 31000.0");
	free(br);
	free(body);

	char id[64];
	res = srt_load("amend_order.json", &d, &body);
	assert_int_equal(spot_dec_amend(&d, res, id, sizeof id, &e), 0);
	assert_string_equal(id, "TYVZ7S-SKRDS-HAJCQY");
	free(body);

	res = srt_load("edit_order.json", &d, &body);
	struct spot_edit_result er;
	assert_int_equal(spot_dec_edit(&d, res, &er, &e), 0);
	assert_true(er.ok);
	assert_string_equal(er.txid, "OFVXHJ-KPQ3B-VS7ELA");
	assert_string_equal(er.originaltxid, "OHYO67-6LP66-HMQ437");
	free(body);

	int count;
	bool pending = true;
	res = srt_load("cancel_order.json", &d, &body);
	assert_int_equal(spot_dec_cancel(&d, res, &count, &pending, &e), 0);
	assert_int_equal(count, 1);
	assert_false(pending);
	free(body);
	res = srt_load("cancel_all.json", &d, &body);
	assert_int_equal(spot_dec_cancel(&d, res, &count, NULL, &e), 0);
	assert_int_equal(count, 4);
	free(body);
	res = srt_load("cancel_batch.json", &d, &body);
	assert_int_equal(spot_dec_cancel(&d, res, &count, NULL, &e), 0);
	assert_int_equal(count, 2);
	free(body);

	res = srt_load("cancel_after.json", &d, &body);
	struct spot_cancel_after ca;
	assert_int_equal(spot_dec_cancel_after(&d, res, &ca, &e), 0);
	assert_int_equal(ca.trigger_ns - ca.current_ns, 60LL * 1000000000LL);
	free(body);
	res = srt_parse("{\"error\":[],\"result\":{\"currentTime\":\"2023-03-24T17:41:56Z\","
			"\"triggerTime\":\"0\"}}",
			&d);
	assert_int_equal(spot_dec_cancel_after(&d, res, &ca, &e), 0);
	assert_int_equal(ca.trigger_ns, 0);

	char tok[128];
	int exp;
	res = srt_load("ws_token.json", &d, &body);
	assert_int_equal(spot_dec_ws_token(&d, res, tok, sizeof tok, &exp, &e), 0);
	assert_string_equal(tok, "1Dwc4lzSwNWOAwkMdqhssNNFhs1ed606d1WcF3XfEMw");
	assert_int_equal(exp, 900);
	free(body);

	res = srt_load("wallet_transfer.json", &d, &body);
	assert_int_equal(spot_dec_wallet_transfer(&d, res, id, sizeof id, &e), 0);
	assert_string_equal(id, "BOG5AE5-KSCNR4-VPNPEV");
	free(body);

	/* malformed trading results */
	res = srt_parse("{\"error\":[],\"result\":{\"descr\":{\"order\":\"x\"},\"txid\":[]}}", &d);
	assert_int_equal(spot_dec_add_order(&d, res, &ar, &e), -1);
	res = srt_parse("{\"error\":[],\"result\":{\"descr\":{\"order\":\"x\"},\"txid\":[7]}}", &d);
	assert_int_equal(spot_dec_add_order(&d, res, &ar, &e), -1);
	res = srt_parse("{\"error\":[],\"result\":{\"count\":\"many\"}}", &d);
	assert_int_equal(spot_dec_cancel(&d, res, &count, NULL, &e), -1);
	res = srt_parse("{\"error\":[],\"result\":{\"token\":\"\"}}", &d);
	assert_int_equal(spot_dec_ws_token(&d, res, tok, sizeof tok, &exp, &e), -1);
	res = srt_parse("{\"error\":[],\"result\":{\"orders\":{}}}", &d);
	assert_int_equal(spot_dec_add_order_batch(&d, res, &br, &n, &e), -1);
	jdoc_free(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(envelope_ok_error_warning),
		cmocka_unit_test(envelope_malformed),
		cmocka_unit_test(time_status_assets),
		cmocka_unit_test(asset_pairs_to_instruments),
		cmocka_unit_test(asset_pairs_malformed),
		cmocka_unit_test(ticker_applied),
		cmocka_unit_test(depth_snapshot),
		cmocka_unit_test(ohlc_and_trades),
		cmocka_unit_test(balances),
		cmocka_unit_test(open_orders),
		cmocka_unit_test(closed_and_query_orders),
		cmocka_unit_test(trades_history_fills),
		cmocka_unit_test(open_positions_net),
		cmocka_unit_test(ledgers),
		cmocka_unit_test(trading_results),
	};
	return kt_run_tests(tests);
}
