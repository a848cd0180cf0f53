/* test_fut_ws_private: the Futures WS v1 private feeds merge into the core
 * state as Kraken means them — open orders (snapshot, new, partial fill,
 * is_cancel with each kind of reason, orders missing from a snapshot), fills
 * (snapshot order, dedupe, maker/liquidation, exponent fees), positions
 * (replace-all, isolated leverage, inverse PnL currency), balances (snapshot,
 * then deltas that carry only the changed parts), account log ("logs" and
 * "log", new_entry, funding entries refresh the funding view) and
 * notifications (once per id); bad input changes nothing. */
#include <string.h>

#include "tests/unit/fut_ws_util.h"
#include "tests/unit/unit.h"

#define ID_LIMIT "566942c8-a3b5-4184-a451-622b09493129"
#define ID_STOP  "723ba95f-13b7-418b-8fcf-ab7ba6620555"
#define ID_TRAIL "59302619-41d2-4f0b-941f-7e7914760ad3"
#define ID_NEW   "fa9806c9-cba9-4661-9f31-8c5fd045a95d"

static void dec_is(dec_t v, const char *want)
{
	char b[DEC_FMT_MAX];
	fws_dec_text(v, b);
	assert_string_equal(b, want);
}

static void orders_snapshot_and_deltas(void **state)
{
	(void)state;
	struct fws_fixture f;
	fws_fixture_init(&f);
	struct fws_msg m;
	fws_feed_file(&f, "orders_snapshot.json", &m);
	assert_int_equal(m.kind, FWS_ORDERS_SNAPSHOT);
	assert_true(m.is_private);
	assert_int_equal(m.count, 3);
	struct order *o = state_order_get(&f.st, ID_LIMIT);
	assert_non_null(o);
	assert_int_equal(o->type, OT_LIMIT);
	assert_int_equal(o->status, OS_OPEN);
	assert_int_equal(o->side, SIDE_BUY);
	assert_int_equal(o->instr, f.xbt);
	assert_string_equal(o->cl_id, "kt-1");
	assert_ptr_equal(state_order_by_cl(&f.st, "kt-1"), o);
	dec_is(o->limit_price, "8500");
	assert_true(dec_is_zero(o->trigger_price));
	o = state_order_get(&f.st, ID_STOP);
	assert_int_equal(o->type, OT_STOP_LIMIT);
	assert_int_equal(o->status, OS_UNTRIGGERED);
	assert_int_equal(o->signal, TRIG_MARK);
	assert_true(o->reduce_only);
	dec_is(o->trigger_price, "13789");
	dec_is(o->limit_price, "34900");
	o = state_order_get(&f.st, ID_TRAIL);
	assert_int_equal(o->type, OT_TRAILING_STOP);
	assert_true(o->trail_pct);
	dec_is(o->trail_offset, "20");
	dec_is(o->trigger_price, "3200.1");
	assert_int_equal(o->created_ms, 1612275024153LL);
	assert_int_equal(o->updated_ms, 1612275178153LL);

	/* new order, then a partial fill, then the full fill (only order_id) */
	fws_feed_file(&f, "orders_new.json", &m);
	o = state_order_get(&f.st, ID_NEW);
	assert_int_equal(o->status, OS_OPEN);
	assert_int_equal(o->side, SIDE_SELL);
	dec_is(o->qty, "0.304");
	fws_feed_file(&f, "orders_partial.json", &m);
	o = state_order_get(&f.st, ID_NEW);
	assert_int_equal(o->status, OS_PARTIAL);
	dec_is(o->filled, "0.1");
	fws_feed_file(&f, "orders_full_fill.json", &m);
	o = state_order_get(&f.st, ID_NEW);
	assert_int_equal(o->status, OS_FILLED);
	dec_is(o->filled, "0.304");
	assert_string_equal(o->reason, "filled");
	assert_string_equal(o->cl_id, "kt-2");

	/* is_cancel removes from the open set, with the reason in words */
	fws_feed_file(&f, "orders_cancel.json", &m);
	o = state_order_get(&f.st, ID_LIMIT);
	assert_int_equal(o->status, OS_CANCELLED);
	assert_string_equal(o->reason, "cancelled by you");
	fws_feed_file(&f, "orders_dms.json", &m);
	o = state_order_get(&f.st, ID_STOP);
	assert_int_equal(o->status, OS_CANCELLED);
	assert_non_null(strstr(o->reason, "dead man's switch"));
	/* verbose: a post-only order that would have crossed, never seen before */
	fws_feed_file(&f, "orders_post_failed.json", &m);
	o = state_order_get(&f.st, "0a9806c9-cba9-4661-9f31-8c5fd045a95e");
	assert_non_null(o);
	assert_int_equal(o->status, OS_REJECTED);
	assert_non_null(strstr(o->reason, "post-only"));
	/* a cancel for an order never seen changes nothing */
	int before = f.rec.counts[EV_ORDERS];
	assert_int_equal(fws_feed(&f,
	                          "{\"feed\":\"open_orders\",\"order_id\":\"zzz\",\"is_cancel\":"
	                          "true,\"reason\":\"cancelled_by_user\"}",
	                          &m, NULL),
	                 0);
	assert_int_equal(f.rec.counts[EV_ORDERS], before);
	assert_null(state_order_get(&f.st, "zzz"));
	fws_fixture_free(&f);
}

static void orders_snapshot_closes_missing(void **state)
{
	(void)state;
	struct fws_fixture f;
	fws_fixture_init(&f);
	struct fws_msg m;
	fws_feed_file(&f, "orders_new.json", &m);
	struct order *p = state_order_upsert(&f.st, "pending-1");
	p->product = PRODUCT_FUTURES;
	p->status = OS_PENDING;
	fws_feed_file(&f, "orders_snapshot.json", &m);
	struct order *o = state_order_get(&f.st, ID_NEW);
	assert_int_equal(o->status, OS_CANCELLED);
	assert_non_null(strstr(o->reason, "no longer open"));
	assert_int_equal(state_order_get(&f.st, "pending-1")->status, OS_PENDING);
	assert_int_equal(state_order_get(&f.st, ID_LIMIT)->status, OS_OPEN);
	fws_fixture_free(&f);
}

static void fills(void **state)
{
	(void)state;
	struct fws_fixture f;
	fws_fixture_init(&f);
	struct fws_msg m;
	fws_feed_file(&f, "fills_snapshot.json", &m);
	assert_int_equal(m.kind, FWS_FILLS_SNAPSHOT);
	assert_int_equal(f.st.nfills, 2);
	/* oldest first in, so the newest is at 0 */
	const struct fill *newest = state_fill_at(&f.st, 0);
	const struct fill *older = state_fill_at(&f.st, 1);
	assert_string_equal(newest->id, "c14ee7cb-ad4c-4b9b-9d4a-e7a2b3b8d5e4");
	assert_true(newest->liquidation);
	assert_false(newest->maker);
	assert_int_equal(newest->side, SIDE_SELL);
	assert_int_equal(newest->instr, f.pi);
	assert_string_equal(newest->fee_asset, "BTC");
	dec_is(newest->fee, "0.0000091");
	assert_true(older->maker);
	assert_int_equal(older->side, SIDE_BUY);
	dec_is(older->fee, "-0.00009142857");
	assert_string_equal(older->fee_asset, "USD");
	assert_string_equal(older->order_id, "9e30258b-5a98-4002-968a-5b0e149bcfbf");
	/* a delta adds one; the same fills again are not doubled */
	fws_feed_file(&f, "fills.json", &m);
	assert_int_equal(f.st.nfills, 3);
	dec_is(state_fill_at(&f.st, 0)->qty, "0.1");
	fws_feed_file(&f, "fills_snapshot.json", &m);
	fws_feed_file(&f, "fills.json", &m);
	assert_int_equal(f.st.nfills, 3);
	assert_int_equal(f.rec.counts[EV_FILL], 3);
	fws_fixture_free(&f);
}

static void positions(void **state)
{
	(void)state;
	struct fws_fixture f;
	fws_fixture_init(&f);
	struct fws_msg m;
	fws_feed_file(&f, "open_positions.json", &m);
	assert_int_equal(m.kind, FWS_POSITIONS);
	assert_int_equal(m.count, 2); /* the option is not an instrument we list */
	const struct position *p = state_position(&f.st, f.xbt);
	assert_non_null(p);
	dec_is(p->size, "0.04");
	dec_is(p->entry, "26911.75");
	dec_is(p->upnl, "119.56244985549435");
	dec_is(p->liq_price, "9572.804662403718");
	/* 19 decimals on the wire: rounded half-even to the 18 a dec_t holds */
	dec_is(p->unrealized_funding, "0.000411416066959013");
	assert_false(p->isolated);
	assert_string_equal(p->pnl_asset, "USD");
	p = state_position(&f.st, f.pi);
	dec_is(p->size, "-500");
	assert_true(p->isolated);
	dec_is(p->max_leverage, "10");
	assert_string_equal(p->pnl_asset, "BTC");
	/* each message is the whole set: an empty list closes everything */
	fws_feed(&f, "{\"feed\":\"open_positions\",\"account\":\"a\",\"positions\":[],\"seq\":5}",
	         &m, NULL);
	assert_null(state_position(&f.st, f.xbt));
	assert_int_equal(f.rec.counts[EV_POSITIONS], 2);
	fws_fixture_free(&f);
}

static const struct collateral *find(const struct collateral *list, int n, const char *asset)
{
	for (int i = 0; i < n; i++)
		if (strcmp(list[i].asset, asset) == 0)
			return &list[i];
	return NULL;
}

static void balances(void **state)
{
	(void)state;
	struct fws_fixture f;
	fws_fixture_init(&f);
	struct fws_msg m;
	fws_feed_file(&f, "balances_snapshot.json", &m);
	const struct futures_account *fa = &f.st.fut;
	assert_true(fa->valid);
	assert_int_equal(fa->ncur, 2);
	assert_int_equal(fa->ncash, 3);
	const struct collateral *usd = find(fa->cur, fa->ncur, "USD");
	const struct collateral *btc = find(fa->cur, fa->ncur, "BTC");
	assert_non_null(usd);
	assert_non_null(btc);
	dec_is(usd->available, "8500.25");
	dec_is(btc->collateral, "1462.5");
	dec_is(fa->initial_margin, "21.5294");         /* without orders */
	dec_is(fa->initial_margin_with_orders, "530"); /* WS initial_margin */
	dec_is(fa->unrealized_funding, "0.00041");
	dec_is(fa->available_margin, "10052.06");
	dec_is(find(fa->cash, fa->ncash, "BTC")->quantity, "0.1285407184");
	/* a holding delta changes only the listed currency */
	fws_feed_file(&f, "balances_delta_holding.json", &m);
	dec_is(find(fa->cash, fa->ncash, "USD")->quantity, "4000");
	dec_is(find(fa->cash, fa->ncash, "USDT")->quantity, "4997.5012493753");
	dec_is(fa->available_margin, "10052.06");
	/* a flex delta with a few fields: the rest stays */
	fws_feed_file(&f, "balances_delta_flex.json", &m);
	dec_is(find(fa->cur, fa->ncur, "USD")->quantity, "9100");
	dec_is(find(fa->cur, fa->ncur, "BTC")->quantity, "0.05");
	dec_is(fa->available_margin, "10152.06");
	dec_is(fa->margin_equity, "10682.06");
	dec_is(fa->portfolio_value, "10619.56");
	dec_is(fa->initial_margin, "21.5294");
	assert_int_equal(f.rec.counts[EV_FUTURES_ACCOUNT], 3);
	/* a bad number anywhere: nothing changes */
	struct kerr err = KERR_INIT;
	assert_int_equal(fws_feed(&f,
	                          "{\"feed\":\"balances\",\"holding\":{\"USD\":1},"
	                          "\"flex_futures\":{\"pnl\":\"x\"}}",
	                          &m, &err),
	                 -1);
	assert_non_null(strstr(err.msg, "pnl"));
	dec_is(find(fa->cash, fa->ncash, "USD")->quantity, "4000");
	assert_int_equal(f.rec.counts[EV_FUTURES_ACCOUNT], 3);
	/* a new snapshot starts over */
	fws_feed(&f, "{\"feed\":\"balances_snapshot\",\"holding\":{\"EUR\":1.5}}", &m, NULL);
	assert_int_equal(fa->ncash, 1);
	assert_int_equal(fa->ncur, 0);
	fws_fixture_free(&f);
}

static void account_log(void **state)
{
	(void)state;
	struct fws_fixture f;
	fws_fixture_init(&f);
	struct fws_msg m;
	fws_feed_file(&f, "account_log_snapshot.json", &m);
	assert_int_equal(m.kind, FWS_ACCOUNT_LOG_SNAPSHOT);
	assert_int_equal(f.st.nalog, 2);
	const struct account_log_entry *e = state_account_log_at(&f.st, 0); /* newest */
	assert_int_equal(e->id, 1690);
	assert_string_equal(e->instrument, "PF_XBTUSD");
	assert_string_equal(e->asset, "USD");
	assert_string_equal(e->info, "funding rate change");
	assert_int_equal(e->time_ms, 1562832000000LL);
	dec_is(e->funding_rate, "-0.000000087002552653");
	dec_is(e->realized_funding, "-0.01");
	e = state_account_log_at(&f.st, 1);
	assert_int_equal(e->id, 1689);
	assert_string_equal(e->asset, "BCH");
	assert_string_equal(e->instrument, "");
	/* the funding view of PF_XBTUSD hears about its funding entry */
	assert_int_equal(f.rec.counts[EV_FUNDING], 1);
	assert_int_equal(f.rec.last_instr[EV_FUNDING], f.xbt);
	/* the docs' "log" spelling works too */
	fws_feed_file(&f, "account_log_log_key.json", &m);
	assert_int_equal(f.st.nalog, 3);
	/* new_entry of a trade: "asset" is the contract */
	fws_feed_file(&f, "account_log_entry.json", &m);
	e = state_account_log_at(&f.st, 0);
	assert_int_equal(e->id, 1697);
	assert_string_equal(e->instrument, "PI_BCHUSD");
	assert_string_equal(e->asset, "BCH");
	assert_int_equal(e->time_ms, 1562850027632LL);
	/* again: deduplicated */
	fws_feed_file(&f, "account_log_entry.json", &m);
	assert_int_equal(f.st.nalog, 4);
	fws_fixture_free(&f);
}

static void notifications(void **state)
{
	(void)state;
	struct fws_fixture f;
	fws_fixture_init(&f);
	struct fws_msg m;
	fws_feed_file(&f, "notifications.json", &m);
	assert_int_equal(m.count, 2);
	assert_int_equal(f.rec.notices_warn, 1);
	assert_int_equal(f.rec.notices_info, 1);
	fws_feed_file(&f, "notifications.json", &m); /* a reconnect re-sends them */
	assert_int_equal(f.rec.counts[EV_NOTICE], 2);
	fws_fixture_free(&f);
}

static void private_malformed(void **state)
{
	(void)state;
	struct fws_fixture f;
	fws_fixture_init(&f);
	struct fws_msg m;
	static const char *const bad[] = {
	        /* a bad order in the middle of a snapshot */
	        "{\"feed\":\"open_orders_snapshot\",\"orders\":[{\"instrument\":\"PF_XBTUSD\","
	        "\"qty\":1,\"type\":\"limit\",\"order_id\":\"a\",\"direction\":0},{\"instrument\":"
	        "\"PF_XBTUSD\",\"qty\":1,\"type\":\"limit\",\"order_id\":\"b\",\"direction\":7}]}",
	        "{\"feed\":\"open_orders\",\"is_cancel\":true}",
	        "{\"feed\":\"open_orders\",\"order\":{\"order_id\":\"c\"}}",
	        ("{\"feed\":\"fills\",\"fills\":[{\"fill_id\":\"f\",\"instrument\":\"PF_XBTUSD\","
	         "\"price\":1,\"qty\":1,\"time\":1,\"buy\":\"yes\"}]}"),
	        "{\"feed\":\"fills\"}",
	        "{\"feed\":\"open_positions\",\"positions\":[{\"instrument\":\"PF_XBTUSD\"}]}",
	        "{\"feed\":\"account_log_snapshot\",\"logs\":[{\"id\":1,\"date\":\"yesterday\"}]}",
	        "{\"feed\":\"account_log\",\"new_entry\":{\"id\":\"x\",\"date\":1}}",
	        "{\"feed\":\"notifications_auth\",\"notifications\":[{\"note\":\"x\"}]}",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct kerr err = KERR_INIT;
		if (fws_feed(&f, bad[i], &m, &err) != -1 || !err.msg[0])
			fail_msg("case %zu was accepted", i);
		assert_non_null(strstr(err.msg, "Kraken Futures WS"));
	}
	assert_int_equal(f.st.norders, 0);
	assert_int_equal(f.st.nfills, 0);
	assert_int_equal(f.st.nalog, 0);
	for (int k = 0; k < EV_COUNT; k++)
		assert_int_equal(f.rec.counts[k], 0);
	fws_fixture_free(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(orders_snapshot_and_deltas),
	        cmocka_unit_test(orders_snapshot_closes_missing),
	        cmocka_unit_test(fills),
	        cmocka_unit_test(positions),
	        cmocka_unit_test(balances),
	        cmocka_unit_test(account_log),
	        cmocka_unit_test(notifications),
	        cmocka_unit_test(private_malformed),
	};
	return kt_run_tests(tests);
}
