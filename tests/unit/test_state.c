/* test_state: the store indexes instruments and orders, emits typed events,
 * keeps fills/account-log deduplicated, and prunes closed orders safely. */
#include <string.h>

#include "core/state.h"
#include "tests/unit/unit.h"

struct rec {
	int counts[EV_COUNT];
	int last_instr;
	char last_text[128];
};

static void listener(void *ctx, const struct state_event *ev)
{
	struct rec *r = ctx;
	r->counts[ev->kind]++;
	r->last_instr = ev->instr;
	if (ev->text)
		strncpy(r->last_text, ev->text, sizeof r->last_text - 1);
}

static int add_instr(struct state *st, const char *id, const char *rest, enum product p)
{
	struct instrument in;
	memset(&in, 0, sizeof in);
	strcpy(in.id, id);
	strcpy(in.rest_id, rest);
	in.product = p;
	in.price_dp = 1;
	in.qty_dp = 8;
	return state_add_instrument(st, &in);
}

static void instruments_and_aliases(void **state)
{
	struct state st;
	state_init(&st);
	int a = add_instr(&st, "BTC/USD", "XXBTZUSD", PRODUCT_SPOT);
	int b = add_instr(&st, "PF_XBTUSD", "PF_XBTUSD", PRODUCT_FUTURES);
	assert_int_equal(a, 0);
	assert_int_equal(b, 1);
	assert_int_equal(state_find_instrument(&st, "XXBTZUSD"), a);
	state_alias_instrument(&st, "XBT/USD", a);
	assert_int_equal(state_find_instrument(&st, "XBT/USD"), a);
	assert_int_equal(state_find_instrument(&st, "nope"), -1);
	/* re-adding replaces metadata, keeps the index */
	assert_int_equal(add_instr(&st, "BTC/USD", "XXBTZUSD", PRODUCT_SPOT), a);
	assert_int_equal(st.ninstr, 2);
	struct market *m = state_market(&st, a);
	assert_non_null(m);
	assert_int_equal(m->book.pscale, 1);
	assert_ptr_equal(state_market(&st, a), m);
	assert_null(state_market_peek(&st, b));
	state_free(&st);
}

static void orders_events_and_prune(void **state)
{
	struct state st;
	struct rec r;
	memset(&r, 0, sizeof r);
	state_init(&st);
	state_listen(&st, listener, &r);
	int a = add_instr(&st, "BTC/USD", "XXBTZUSD", PRODUCT_SPOT);
	char id[32];
	for (int i = 0; i < 50; i++) {
		snprintf(id, sizeof id, "O%02d", i);
		struct order *o = state_order_upsert(&st, id);
		o->instr = a;
		snprintf(o->cl_id, sizeof o->cl_id, "cl-%02d", i);
		o->status = (i % 2) ? OS_OPEN : OS_FILLED;
		o->side = SIDE_BUY;
		o->type = OT_LIMIT;
		o->qty = dec_make(100000000, 8);
		o->limit_price = dec_make(1000, 1);
		state_order_changed(&st, o);
	}
	assert_int_equal(r.counts[EV_ORDERS], 50);
	assert_int_equal(st.norders, 50);
	state_orders_prune(&st, 5); /* 25 closed -> keep the newest 5 */
	assert_int_equal(st.norders, 30);
	/* every lookup still points at the right record after compaction */
	for (int i = 0; i < 50; i++) {
		snprintf(id, sizeof id, "O%02d", i);
		struct order *o = state_order_get(&st, id);
		char cl[16];
		snprintf(cl, sizeof cl, "cl-%02d", i);
		if (i % 2 || i >= 40) {
			assert_non_null(o);
			assert_string_equal(o->id, id);
			assert_ptr_equal(state_order_by_cl(&st, cl), o);
		} else {
			assert_null(o);
			assert_null(state_order_by_cl(&st, cl));
		}
	}
	/* own-order overlay: 25 open orders of 1 BTC at 100.0 */
	dec_t q = state_open_qty_at(&st, a, SIDE_BUY, dec_make(1000, 1));
	assert_true(dec_eq(q, dec_from_int(25)));
	state_free(&st);
}

static void fills_and_log_dedup(void **state)
{
	struct state st;
	struct rec r;
	memset(&r, 0, sizeof r);
	state_init(&st);
	state_listen(&st, listener, &r);
	struct fill f;
	memset(&f, 0, sizeof f);
	strcpy(f.id, "F1");
	state_add_fill(&st, &f);
	state_add_fill(&st, &f);
	strcpy(f.id, "F2");
	state_add_fill(&st, &f);
	assert_int_equal(r.counts[EV_FILL], 2);
	assert_string_equal(state_fill_at(&st, 0)->id, "F2");
	assert_string_equal(state_fill_at(&st, 1)->id, "F1");
	assert_null(state_fill_at(&st, 2));
	struct account_log_entry e;
	memset(&e, 0, sizeof e);
	e.id = 7;
	state_add_account_log(&st, &e);
	state_add_account_log(&st, &e);
	assert_int_equal(r.counts[EV_ACCOUNT_LOG], 1);
	state_notice(&st, NOTICE_WARN, "hello %d", 5);
	assert_string_equal(r.last_text, "hello 5");
	state_free(&st);
}

static void positions_and_wallets(void **state)
{
	struct state st;
	state_init(&st);
	struct position p[2];
	memset(p, 0, sizeof p);
	p[0].instr = 3;
	p[0].product = PRODUCT_FUTURES;
	p[0].size = dec_from_int(2);
	p[1].instr = 4;
	p[1].product = PRODUCT_FUTURES; /* zero size: dropped */
	state_set_positions(&st, PRODUCT_FUTURES, p, 2);
	assert_int_equal(st.npos, 1);
	assert_non_null(state_position(&st, 3));
	assert_null(state_position(&st, 4));
	state_set_positions(&st, PRODUCT_FUTURES, NULL, 0);
	assert_null(state_position(&st, 3));
	struct balance b;
	memset(&b, 0, sizeof b);
	strcpy(b.asset, "USD");
	b.total = dec_from_int(10);
	state_put_balance(&st, &b);
	b.total = dec_from_int(11);
	state_put_balance(&st, &b);
	assert_int_equal(st.nbal, 1);
	assert_true(dec_eq(state_balance(&st, "USD")->total, dec_from_int(11)));
	state_free(&st);
}

static void feed_health(void **state)
{
	struct state st;
	struct rec r;
	memset(&r, 0, sizeof r);
	state_init(&st);
	state_listen(&st, listener, &r);
	state_feed_set(&st, FEED_SPOT_PUBLIC, FEED_CONNECTING, NULL);
	state_feed_set(&st, FEED_SPOT_PUBLIC, FEED_CONNECTING, NULL); /* no change, no event */
	state_feed_set(&st, FEED_SPOT_PUBLIC, FEED_BACKOFF, "connection refused");
	state_feed_set(&st, FEED_SPOT_PUBLIC, FEED_CONNECTING, NULL);
	assert_int_equal(r.counts[EV_FEED], 3);
	assert_int_equal(st.feeds[FEED_SPOT_PUBLIC].reconnects, 1);
	assert_string_equal(st.feeds[FEED_SPOT_PUBLIC].last_error, "connection refused");
	state_feed_msg(&st, FEED_SPOT_PUBLIC, 1234);
	assert_int_equal(st.feeds[FEED_SPOT_PUBLIC].last_msg_mono_ms, 1234);
	/* channels: each keeps the time of its own last message */
	assert_null(state_feed_channel(&st, FEED_SPOT_PUBLIC, "book"));
	state_feed_channel_msg(&st, FEED_SPOT_PUBLIC, "book");
	state_feed_msg(&st, FEED_SPOT_PUBLIC, 2000);
	state_feed_channel_msg(&st, FEED_SPOT_PUBLIC, "ticker");
	state_feed_msg(&st, FEED_SPOT_PUBLIC, 2500);
	state_feed_channel_msg(&st, FEED_SPOT_PUBLIC, "ticker");
	const struct feed_channel *c = state_feed_channel(&st, FEED_SPOT_PUBLIC, "book");
	assert_non_null(c);
	assert_int_equal(c->last_msg_mono_ms, 1234);
	assert_int_equal(c->messages, 1);
	c = state_feed_channel(&st, FEED_SPOT_PUBLIC, "ticker");
	assert_int_equal(c->last_msg_mono_ms, 2500);
	assert_int_equal(c->messages, 2);
	assert_null(state_feed_channel(&st, FEED_SPOT_PRIVATE, "book"));
	state_feed_channel_msg(&st, FEED_SPOT_PUBLIC, ""); /* ignored */
	state_feed_channel_msg(&st, FEED_SPOT_PUBLIC, NULL);
	for (int i = 0; i < 2 * FEED_CHANNELS_MAX; i++) { /* more than it keeps: no overflow */
		char name[16];
		snprintf(name, sizeof name, "ch%d", i);
		state_feed_channel_msg(&st, FEED_SPOT_PUBLIC, name);
	}
	assert_int_equal(st.feeds[FEED_SPOT_PUBLIC].nchannels, FEED_CHANNELS_MAX);
	state_unlisten(&st, listener, &r);
	state_feed_set(&st, FEED_SPOT_PUBLIC, FEED_UP, NULL);
	assert_int_equal(r.counts[EV_FEED], 3);
	assert_string_equal(st.feeds[FEED_SPOT_PUBLIC].last_error, "");
	state_free(&st);
}

/* Candles built from trades (Kraken Futures has no candle feed). */
static void candles_from_trades(void **state)
{
	struct candle_series cs;
	memset(&cs, 0, sizeof cs);
	cs.interval_min = 1;
	struct trade t = {.time_ms = 60000 * 10 + 5, .price = dec_make(100, 0), .qty = dec_make(2, 0)};
	candle_series_add_trade(&cs, &t);
	t.time_ms += 1000;
	t.price = dec_make(105, 0);
	candle_series_add_trade(&cs, &t);
	t.time_ms += 1000;
	t.price = dec_make(98, 0);
	candle_series_add_trade(&cs, &t);
	candle_series_add_trade(&cs, &t); /* the same trade again: ignored */
	assert_int_equal(cs.n, 1);
	assert_int_equal(cs.c[0].start_ms, 600000);
	assert_true(dec_eq(cs.c[0].open, dec_from_int(100)));
	assert_true(dec_eq(cs.c[0].high, dec_from_int(105)));
	assert_true(dec_eq(cs.c[0].low, dec_from_int(98)));
	assert_true(dec_eq(cs.c[0].close, dec_from_int(98)));
	assert_true(dec_eq(cs.c[0].volume, dec_from_int(6)));
	t.time_ms = 60000 * 11;
	candle_series_add_trade(&cs, &t);
	assert_int_equal(cs.n, 2);
	assert_true(dec_eq(cs.c[1].open, dec_from_int(98)));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(instruments_and_aliases),
		cmocka_unit_test(orders_events_and_prune),
		cmocka_unit_test(fills_and_log_dedup),
		cmocka_unit_test(positions_and_wallets),
		cmocka_unit_test(feed_health),
		cmocka_unit_test(candles_from_trades),
	};
	return kt_run_tests(tests);
}
