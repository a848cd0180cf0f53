/* test_spot_ws_codec: the Spot WS v2 decoder against fixtures. Proves that
 * every channel's snapshot and update lands in the state exactly; that the
 * book checksum verifies on the official vectors (O3, O4/O5 with padding)
 * and the computed ones (C1, C2) through the real decoder; that repeated
 * levels, truncation to depth, a checksum mismatch (stale + resync +
 * counter) and a too-precise value are handled; that malformed or truncated
 * messages fail with a clear error and leave the state untouched; and that
 * sparse execution reports merge into the orders held. */
#include <stdlib.h>
#include <string.h>

#include "base/dec.h"
#include "core/state.h"
#include "kraken/spot_ws_codec.h"
#include "tests/unit/unit.h"

struct fx {
	struct state st;
	struct spot_ws_dec d;
	struct spot_ws_msg m;
	struct kerr err;
	int btc;
};

static dec_t D(const char *s)
{
	dec_t v;
	assert_int_equal(dec_parse(s, (size_t)-1, &v, NULL), 0);
	return v;
}

#define assert_dec(a, s) assert_true(dec_eq((a), D(s)))

static int decode_str(struct fx *f, const char *s)
{
	kerr_clear(&f->err);
	return spot_ws_decode(&f->d, &f->st, s, strlen(s), &f->m, &f->err);
}

static int decode_file(struct fx *f, const char *name)
{
	char path[128];
	size_t n;
	snprintf(path, sizeof path, "spot_ws/%s", name);
	char *s = kt_fixture_read(path, &n);
	kerr_clear(&f->err);
	int rc = spot_ws_decode(&f->d, &f->st, s, n, &f->m, &f->err);
	free(s);
	return rc;
}

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof *f);
	state_init(&f->st);
	spot_ws_dec_init(&f->d);
	assert_int_equal(decode_file(f, "instrument_snapshot.json"), 0);
	f->btc = state_find_instrument(&f->st, "BTC/USD");
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	spot_ws_dec_free(&f->d);
	state_free(&f->st);
	free(f);
	return 0;
}

static struct market *mkt(struct fx *f, const char *sym)
{
	return state_market(&f->st, state_find_instrument(&f->st, sym));
}

/* Subscribe-ack a book at `depth` so the decoder knows where to cut. */
static void ack_depth(struct fx *f, const char *sym, int depth)
{
	char s[256];
	snprintf(s, sizeof s,
	         "{\"method\":\"subscribe\",\"result\":{\"channel\":\"book\",\"depth\":%d,"
	         "\"snapshot\":true,\"symbol\":\"%s\"},\"success\":true}",
	         depth, sym);
	assert_int_equal(decode_str(f, s), 0);
	assert_int_equal(f->m.kind, SWK_ACK);
}

/* The instrument channel creates pairs with the precisions the checksum needs. */
static void instrument_snapshot(void **state)
{
	struct fx *f = *state;
	assert_int_equal(f->m.kind, SWK_DATA);
	assert_int_equal(f->m.channel, SWC_INSTRUMENT);
	assert_int_equal(f->st.ninstr, 4);
	const struct instrument *in = state_instrument(&f->st, f->btc);
	assert_string_equal(in->id, "BTC/USD");
	assert_int_equal(in->price_dp, 1);
	assert_int_equal(in->qty_dp, 8);
	assert_int_equal(in->cost_dp, 5);
	assert_dec(in->tick, "0.1");
	assert_dec(in->lot, "0.00000001");
	assert_dec(in->min_size, "0.0001");
	assert_dec(in->min_cost, "0.5");
	assert_string_equal(in->base, "BTC");
	assert_string_equal(in->quote, "USD");
	assert_true(in->tradeable);
	assert_int_equal(in->product, PRODUCT_SPOT);
	in = state_instrument(&f->st, state_find_instrument(&f->st, "ETH/EUR"));
	assert_true(in->post_only && in->tradeable);
	in = state_instrument(&f->st, state_find_instrument(&f->st, "SHIB/USD"));
	assert_false(in->tradeable);
	assert_int_equal(in->price_dp, 6);
	assert_int_equal(in->qty_dp, 2);
}

/* Metadata REST already gave is kept; the channel refreshes precisions. */
static void instrument_refreshes_rest_entry(void **state)
{
	struct fx *f = *state;
	struct instrument in = f->st.instr[f->btc];
	snprintf(in.rest_id, sizeof in.rest_id, "XXBTZUSD");
	in.fee_taker = D("0.004");
	in.price_dp = 3;
	state_add_instrument(&f->st, &in);
	assert_int_equal(decode_file(f, "instrument_snapshot.json"), 0);
	assert_int_equal(f->st.ninstr, 4);
	assert_string_equal(f->st.instr[f->btc].rest_id, "XXBTZUSD");
	assert_dec(f->st.instr[f->btc].fee_taker, "0.004");
	assert_int_equal(f->st.instr[f->btc].price_dp, 1);
}

/* O3: the official BTC/USD vector through the decoder. */
static void book_official_btc(void **state)
{
	struct fx *f = *state;
	ack_depth(f, "BTC/USD", 10);
	struct market *m = mkt(f, "BTC/USD");
	assert_true(m->book_subscribed);
	assert_int_equal(m->book.depth, 10);
	assert_int_equal(decode_file(f, "book_snapshot_btcusd.json"), 0);
	assert_int_equal(f->m.channel, SWC_BOOK);
	assert_true(f->m.snapshot);
	assert_int_equal(f->m.nresync, 0);
	assert_true(m->book.valid);
	assert_false(m->stale);
	assert_int_equal(book_checksum(&m->book), 3310070434u);
	assert_int_equal(book_count(&m->book, SIDE_BUY), 10);
	struct book_level l;
	assert_true(book_best(&m->book, SIDE_SELL, &l));
	assert_int_equal(l.px, 452852);
	assert_int_equal(l.qty, 100000);
	assert_true(book_best(&m->book, SIDE_BUY, &l));
	assert_int_equal(l.px, 452835);
	assert_int_equal(m->checksum_failures, 0);
	assert_true(m->book_updated_ms > 0);
}

/* O4/O5: the docs print MATIC values unpadded; the decoder pads by precision. */
static void book_official_matic(void **state)
{
	struct fx *f = *state;
	ack_depth(f, "MATIC/USD", 10);
	struct market *m = mkt(f, "MATIC/USD");
	assert_int_equal(decode_file(f, "book_snapshot_matic.json"), 0);
	assert_true(m->book.valid);
	assert_int_equal(book_checksum(&m->book), 2439117997u);
	assert_int_equal(decode_file(f, "book_update_matic.json"), 0);
	assert_true(m->book.valid);
	assert_int_equal(f->m.nresync, 0);
	assert_int_equal(book_checksum(&m->book), 2114181697u);
	assert_int_equal(book_qty_at(&m->book, SIDE_BUY, 5657), 109839475580);
}

/* C1: 12 levels per side at depth 25; only the top 10 are in the checksum. */
static void book_c1_top_ten(void **state)
{
	struct fx *f = *state;
	ack_depth(f, "ETH/EUR", 25);
	struct market *m = mkt(f, "ETH/EUR");
	assert_int_equal(decode_file(f, "book_snapshot_c1.json"), 0);
	assert_true(m->book.valid);
	assert_int_equal(book_count(&m->book, SIDE_SELL), 12);
	assert_int_equal(book_checksum(&m->book), 2594943363u);
}

/* C2: leading zeros of tiny prices are stripped in the checksum text. */
static void book_c2_leading_zeros(void **state)
{
	struct fx *f = *state;
	ack_depth(f, "SHIB/USD", 10);
	struct market *m = mkt(f, "SHIB/USD");
	assert_int_equal(decode_file(f, "book_snapshot_c2.json"), 0);
	assert_true(m->book.valid);
	assert_int_equal(book_checksum(&m->book), 3253227889u);
}

/* One update may touch a level twice: applied in order; then an insert cuts
 * the worst level (Kraken sends no delete for it) and the checksum holds. */
static void book_repeat_and_truncate(void **state)
{
	struct fx *f = *state;
	ack_depth(f, "BTC/USD", 10);
	struct market *m = mkt(f, "BTC/USD");
	assert_int_equal(decode_file(f, "book_snapshot_btcusd.json"), 0);
	assert_int_equal(decode_file(f, "book_update_btcusd_repeat.json"), 0);
	assert_int_equal(f->m.nresync, 0);
	assert_true(m->book.valid);
	assert_int_equal(book_qty_at(&m->book, SIDE_SELL, 452852), 25000000);
	assert_int_equal(book_qty_at(&m->book, SIDE_BUY, 452836), 80000000);
	assert_int_equal(book_qty_at(&m->book, SIDE_BUY, 452835), 0);
	assert_int_equal(book_count(&m->book, SIDE_SELL), 10);
	assert_int_equal(decode_file(f, "book_update_btcusd_truncate.json"), 0);
	assert_true(m->book.valid);
	assert_int_equal(book_count(&m->book, SIDE_BUY), 10);
	assert_int_equal(book_level_at(&m->book, SIDE_BUY, 9)->px, 452773);
	assert_int_equal(book_qty_at(&m->book, SIDE_BUY, 452766), 0);
	assert_int_equal(m->checksum_failures, 0);
}

/* A wrong checksum: stale, counted, resync asked; updates are ignored until
 * a fresh snapshot verifies, which clears the stale mark. */
static void book_checksum_mismatch(void **state)
{
	struct fx *f = *state;
	ack_depth(f, "BTC/USD", 10);
	struct market *m = mkt(f, "BTC/USD");
	assert_int_equal(decode_file(f, "book_snapshot_btcusd.json"), 0);
	assert_int_equal(decode_file(f, "book_update_btcusd_badck.json"), 0);
	assert_int_equal(f->m.nresync, 1);
	assert_int_equal(f->m.resync[0], f->btc);
	assert_true(m->stale);
	assert_false(m->book.valid);
	assert_int_equal(m->checksum_failures, 1);
	assert_int_equal(decode_file(f, "book_update_btcusd_repeat.json"), 0);
	assert_true(f->m.ignored);
	assert_int_equal(f->m.nresync, 0);
	assert_int_equal(decode_file(f, "book_snapshot_btcusd.json"), 0);
	assert_false(m->stale);
	assert_true(m->book.valid);
	assert_int_equal(book_checksum(&m->book), 3310070434u);
	assert_int_equal(m->checksum_failures, 1);
}

/* More decimals than price_precision: a protocol error; the levels are not
 * applied, the book goes stale and a resync is asked for. */
static void book_precision_error(void **state)
{
	struct fx *f = *state;
	ack_depth(f, "BTC/USD", 10);
	struct market *m = mkt(f, "BTC/USD");
	assert_int_equal(decode_file(f, "book_snapshot_btcusd.json"), 0);
	assert_int_equal(decode_file(f, "book_update_btcusd_precision.json"), -1);
	assert_int_equal(f->err.code, SPOT_WS_E_PRECISION);
	assert_non_null(strstr(f->err.msg, "decimals"));
	assert_int_equal(f->m.nresync, 1);
	assert_true(m->stale);
	assert_int_equal(book_qty_at(&m->book, SIDE_SELL, 452864), 154571953);
	assert_int_equal(book_checksum(&m->book), 3310070434u);
}

/* A precision change on the instrument channel re-scales the book and asks
 * for a fresh snapshot of a subscribed book. */
static void book_precision_change(void **state)
{
	struct fx *f = *state;
	ack_depth(f, "BTC/USD", 10);
	struct market *m = mkt(f, "BTC/USD");
	assert_int_equal(decode_file(f, "book_snapshot_btcusd.json"), 0);
	assert_int_equal(decode_file(f, "instrument_update_btc_precision.json"), 0);
	assert_int_equal(f->m.nresync, 1);
	assert_int_equal(m->book.pscale, 2);
	assert_int_equal(m->book.depth, 10);
	assert_false(m->book.valid);
	assert_true(m->stale);
}

/* Bad input never crashes, fails with a message, and changes nothing. */
static void malformed_messages(void **state)
{
	struct fx *f = *state;
	ack_depth(f, "BTC/USD", 10);
	struct market *m = mkt(f, "BTC/USD");
	assert_int_equal(decode_file(f, "book_snapshot_btcusd.json"), 0);
	assert_int_equal(decode_file(f, "executions_snapshot.json"), 0);
	size_t norders = f->st.norders;
	static const char *const bad[] = {
	        "",
	        "{",
	        "[]",
	        "null",
	        "{\"foo\":1}",
	        "{\"channel\":7}",
	        "{\"channel\":\"book\",\"type\":\"update\",\"data\":{}}",
	        "{\"channel\":\"book\",\"type\":\"update\",\"data\":[{\"symbol\":\"NOPE/USD\","
	        "\"bids\":[],\"asks\":[],\"checksum\":0}]}",
	        "{\"channel\":\"ticker\",\"type\":\"update\",\"data\":[{\"symbol\":\"BTC/USD\","
	        "\"bid\":\"abc\"}]}",
	        "{\"channel\":\"trade\",\"type\":\"update\",\"data\":[{\"symbol\":\"BTC/USD\","
	        "\"side\":\"up\",\"price\":1,\"qty\":1}]}",
	        "{\"channel\":\"ohlc\",\"type\":\"update\",\"data\":[{\"symbol\":\"BTC/USD\"}]}",
	        "{\"channel\":\"executions\",\"type\":\"update\",\"data\":[{\"exec_type\":\"new\"}]"
	        "}",
	        "{\"channel\":\"executions\",\"type\":\"update\",\"data\":[{\"order_id\":\"X\","
	        "\"exec_type\":\"trade\",\"last_qty\":1}]}",
	        "{\"channel\":\"executions\",\"type\":\"update\",\"data\":[{\"order_id\":"
	        "\"OQCLML-BW3P3-BUCMWZ\",\"order_qty\":\"many\"}]}",
	        "{\"channel\":\"balances\",\"type\":\"update\",\"data\":[{\"asset\":\"USD\"}]}",
	        "{\"channel\":\"instrument\",\"type\":\"update\",\"data\":{\"pairs\":[{\"symbol\":"
	        "\"BTC/USD\",\"price_precision\":99,\"qty_precision\":8}]}}",
	        "{\"method\":7}",
	        "{\"method\":\"frobnicate\"}",
	        "{\"channel\":\"status\",\"data\":[]}",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		assert_int_equal(decode_str(f, bad[i]), -1);
		assert_true(f->err.msg[0] != '\0');
		assert_true(m->book.valid);
		assert_int_equal(book_checksum(&m->book), 3310070434u);
		assert_int_equal(f->st.norders, norders);
		assert_int_equal(f->st.instr[f->btc].price_dp, 1);
	}
	const struct order *o = state_order_get(&f->st, "OQCLML-BW3P3-BUCMWZ");
	assert_dec(o->qty, "0.5");
	/* Every truncation of a valid update fails cleanly. */
	size_t n;
	char *s = kt_fixture_read("spot_ws/book_update_btcusd_repeat.json", &n);
	while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == ' '))
		n--;
	for (size_t cut = 0; cut < n; cut++) {
		kerr_clear(&f->err);
		assert_int_equal(spot_ws_decode(&f->d, &f->st, s, cut, &f->m, &f->err), -1);
		assert_int_equal(book_checksum(&m->book), 3310070434u);
	}
	free(s);
}

static void ticker_channel(void **state)
{
	struct fx *f = *state;
	assert_int_equal(decode_file(f, "ticker_snapshot.json"), 0);
	const struct ticker *t = &mkt(f, "BTC/USD")->ticker;
	assert_int_equal(f->m.instr, f->btc);
	assert_dec(t->bid, "45283.5");
	assert_dec(t->ask, "45285.2");
	assert_dec(t->ask_qty, "0.001");
	assert_dec(t->last, "45284.9");
	assert_dec(t->volume, "1519.83946017");
	assert_dec(t->high, "45450.5");
	assert_dec(t->change_pct, "1.99");
	assert_dec(t->open24h, "44400.0");
	assert_true((t->has & (TK_LAST | TK_BBO | TK_VOLUME | TK_CHANGE | TK_HIGHLOW)) ==
	            (TK_LAST | TK_BBO | TK_VOLUME | TK_CHANGE | TK_HIGHLOW));
	assert_true(t->updated_ms > 0);
	assert_int_equal(decode_file(f, "ticker_update.json"), 0);
	assert_dec(t->bid, "45283.6");
	assert_dec(t->last, "45284.0");
}

static void trade_channel(void **state)
{
	struct fx *f = *state;
	assert_int_equal(decode_file(f, "trade_snapshot.json"), 0);
	assert_int_equal(decode_file(f, "trade_update.json"), 0);
	const struct trade_ring *r = &mkt(f, "BTC/USD")->trades;
	assert_int_equal(r->n, 3);
	const struct trade *t = trade_ring_at(r, 0);
	assert_dec(t->price, "45285.2");
	assert_dec(t->qty, "0.001");
	assert_int_equal(t->side, SIDE_BUY);
	assert_true(t->time_ms > 0);
	assert_int_equal(trade_ring_at(r, 2)->side, SIDE_SELL);
}

static void ohlc_channel(void **state)
{
	struct fx *f = *state;
	assert_int_equal(decode_file(f, "ohlc_snapshot.json"), 0);
	assert_int_equal(decode_file(f, "ohlc_update.json"), 0);
	const struct candle_series *s = &mkt(f, "BTC/USD")->candles;
	assert_int_equal(s->interval_min, 1);
	assert_int_equal(s->n, 2);
	assert_dec(s->c[1].close, "45299.0");
	assert_dec(s->c[1].high, "45299.0");
	assert_dec(s->c[0].open, "45200.0");
	assert_int_equal(s->c[1].start_ms - s->c[0].start_ms, 60000);
}

static void status_heartbeat_pong(void **state)
{
	struct fx *f = *state;
	assert_int_equal(decode_file(f, "status.json"), 0);
	assert_int_equal(f->m.channel, SWC_STATUS);
	assert_string_equal(f->m.system, "online");
	assert_true(f->m.connection_id == 12393906104898154338ull);
	assert_int_equal(decode_file(f, "status_maintenance.json"), 0);
	assert_string_equal(f->m.system, "maintenance");
	assert_int_equal(decode_file(f, "heartbeat.json"), 0);
	assert_int_equal(f->m.kind, SWK_DATA);
	assert_int_equal(f->m.channel, SWC_HEARTBEAT);
	assert_int_equal(decode_file(f, "pong.json"), 0);
	assert_int_equal(f->m.kind, SWK_PONG);
	assert_true(f->m.has_req_id);
	assert_int_equal(f->m.req_id, 7);
}

static void acks(void **state)
{
	struct fx *f = *state;
	assert_int_equal(decode_file(f, "ack_book.json"), 0);
	assert_int_equal(f->m.kind, SWK_ACK);
	assert_int_equal(f->m.method, SWM_SUBSCRIBE);
	assert_int_equal(f->m.channel, SWC_BOOK);
	assert_true(f->m.success);
	assert_int_equal(f->m.req_id, 3);
	assert_string_equal(f->m.symbol, "BTC/USD");
	assert_int_equal(f->m.depth, 10);
	assert_int_equal(decode_file(f, "ack_error.json"), 0);
	assert_false(f->m.success);
	assert_string_equal(f->m.error, "Currency pair not supported XBT/USD");
	assert_string_equal(f->m.symbol, "XBT/USD");
	assert_int_equal(f->m.instr, -1);
	assert_int_equal(decode_file(f, "ack_executions.json"), 0);
	assert_int_equal(f->m.channel, SWC_EXECUTIONS);
	assert_int_equal(f->m.maxratecount, 180);
	assert_non_null(strstr(f->m.warning, "deprecated"));
}

/* A whole order life: snapshot, pending_new, the sparse new, a partial
 * fill, an amend, the fill and filled, a cancel, a trigger, and an iceberg
 * with refill/restated/expired — each update merged into the held order. */
static void executions_lifecycle(void **state)
{
	struct fx *f = *state;
	assert_int_equal(decode_file(f, "executions_snapshot.json"), 0);
	assert_true(f->m.snapshot);
	assert_int_equal(f->m.sequence, 1);
	assert_int_equal(f->st.norders, 2); /* the historic fill made no order */
	assert_int_equal(f->st.nfills, 1);
	const struct order *lim = state_order_get(&f->st, "OQCLML-BW3P3-BUCMWZ");
	assert_int_equal(lim->status, OS_OPEN);
	assert_int_equal(lim->side, SIDE_SELL);
	assert_int_equal(lim->type, OT_LIMIT);
	assert_true(lim->post_only);
	assert_dec(lim->limit_price, "46000.0");
	assert_string_equal(lim->cl_id, "5b0c8d54-4c22-4b5e-9d0f-1b2c3d4e5f60");
	assert_ptr_equal(state_order_by_cl(&f->st, lim->cl_id), lim);
	const struct order *stop = state_order_get(&f->st, "OSTOPX-11111-AAAAAA");
	assert_int_equal(stop->status, OS_UNTRIGGERED);
	assert_int_equal(stop->type, OT_STOP);
	assert_int_equal(stop->signal, TRIG_INDEX);
	assert_dec(stop->trigger_price, "44000.0");
	assert_int_equal(stop->instr, f->btc);
	const struct fill *hist = state_fill_at(&f->st, 0);
	assert_string_equal(hist->id, "TDLH43-DVQXD-2KHVYY");
	assert_true(hist->maker);
	assert_dec(hist->fee, "0.72");
	assert_string_equal(hist->fee_asset, "USD");

	assert_int_equal(decode_file(f, "executions_pending_new.json"), 0);
	const char *id = "O6T4LG-ZT6S5-T33WYO";
	const struct order *o = state_order_get(&f->st, id);
	assert_int_equal(o->status, OS_PENDING);
	assert_int_equal(o->instr, f->btc);
	assert_dec(o->qty, "0.1");
	assert_int_equal(decode_file(f, "executions_new.json"), 0);
	o = state_order_get(&f->st, id);
	assert_int_equal(o->status, OS_OPEN);
	assert_dec(o->qty, "0.1"); /* kept: the sparse update does not carry it */
	assert_dec(o->limit_price, "45285.2");
	assert_int_equal(o->side, SIDE_BUY);
	assert_int_equal(decode_file(f, "executions_trade.json"), 0);
	o = state_order_get(&f->st, id);
	assert_int_equal(o->status, OS_PARTIAL);
	assert_dec(o->filled, "0.04");
	assert_int_equal(f->m.fills_added, 1);
	const struct fill *fl = state_fill_at(&f->st, 0);
	assert_string_equal(fl->id, "TVHJ7G-CF6XR-3LEHZC");
	assert_string_equal(fl->order_id, id);
	assert_dec(fl->price, "45285.2");
	assert_dec(fl->qty, "0.04");
	assert_dec(fl->fee, "2.8982528");
	assert_int_equal(fl->side, SIDE_BUY);
	assert_int_equal(fl->instr, f->btc);
	assert_int_equal(decode_file(f, "executions_amended.json"), 0);
	o = state_order_get(&f->st, id);
	assert_dec(o->qty, "0.12");
	assert_dec(o->limit_price, "45284.0");
	assert_string_equal(o->reason, "User requested");
	assert_int_equal(o->status, OS_PARTIAL);
	assert_int_equal(decode_file(f, "executions_filled.json"), 0);
	o = state_order_get(&f->st, id);
	assert_int_equal(o->status, OS_FILLED);
	assert_dec(o->filled, "0.12");
	assert_dec(o->avg_price, "45284.4");
	assert_int_equal(f->st.nfills, 3);
	assert_false(state_fill_at(&f->st, 0)->maker);
	assert_int_equal(decode_file(f, "executions_canceled.json"), 0);
	lim = state_order_get(&f->st, "OQCLML-BW3P3-BUCMWZ");
	assert_int_equal(lim->status, OS_CANCELLED);
	assert_string_equal(lim->reason, "User requested");
	assert_int_equal(decode_file(f, "executions_triggered.json"), 0);
	assert_int_equal(state_order_get(&f->st, "OSTOPX-11111-AAAAAA")->status, OS_OPEN);
	assert_int_equal(decode_file(f, "executions_misc.json"), 0);
	o = state_order_get(&f->st, "OICEBG-33333-CCCCCC");
	assert_int_equal(o->status, OS_EXPIRED);
	assert_int_equal(o->type, OT_ICEBERG);
	assert_int_equal(o->tif, TIF_GTD);
	assert_true(o->expire_ms > 0);
	assert_dec(o->qty, "0.9");
	assert_dec(o->filled, "0.1");
	assert_dec(o->display_qty, "0.1");
	assert_string_equal(o->reason, "Order expired");
	assert_false(f->m.seq_gap);
	assert_int_equal(f->m.sequence, 9);
}

/* A skipped sequence number is reported so the session reconciles. */
static void executions_sequence_gap(void **state)
{
	struct fx *f = *state;
	assert_int_equal(decode_file(f, "executions_snapshot.json"), 0);
	assert_false(f->m.seq_gap);
	assert_int_equal(decode_file(f, "executions_pending_new.json"), 0);
	assert_false(f->m.seq_gap);
	assert_int_equal(decode_file(f, "executions_trade.json"), 0); /* 4 after 2 */
	assert_true(f->m.seq_gap);
	spot_ws_dec_reset(&f->d); /* a new connection starts over */
	assert_int_equal(decode_file(f, "executions_new.json"), 0);
	assert_false(f->m.seq_gap);
}

static void balances_channel(void **state)
{
	struct fx *f = *state;
	assert_int_equal(decode_file(f, "balances_snapshot.json"), 0);
	assert_int_equal(f->st.nbal, 2); /* "XBT.M" is an earn view, not the wallet */
	assert_dec(state_balance(&f->st, "BTC")->total, "1.2");
	assert_dec(state_balance(&f->st, "BTC")->available, "1.2");
	assert_dec(state_balance(&f->st, "USD")->total, "100000");
	assert_int_equal(decode_file(f, "balances_update.json"), 0);
	assert_dec(state_balance(&f->st, "USD")->total, "98185.6937472");
	assert_dec(state_balance(&f->st, "BTC")->total, "1.24"); /* the earn line is skipped */
	assert_int_equal(f->m.sequence, 2);
}

static void result_of(struct fx *f, const char *file, const char *cl, struct intent_result *r)
{
	assert_int_equal(decode_file(f, file), 0);
	assert_int_equal(f->m.kind, SWK_RESPONSE);
	assert_true(f->m.has_req_id);
	spot_ws_result(&f->m, 0, cl, r);
}

/* Trading answers become intent results, with Kraken's errors mapped. */
static void responses(void **state)
{
	struct fx *f = *state;
	struct intent_result r;
	result_of(f, "add_order_ok.json", "cl-1", &r);
	assert_int_equal(f->m.method, SWM_ADD_ORDER);
	assert_int_equal(f->m.req_id, 11);
	assert_int_equal(r.status, INTENT_OK);
	assert_string_equal(r.order_id, "O6T4LG-ZT6S5-T33WYO");
	assert_string_equal(r.ref, "cl-1");
	result_of(f, "add_order_rejected.json", "cl-2", &r);
	assert_int_equal(r.status, INTENT_REJECTED);
	assert_string_equal(r.code, "EOrder:Insufficient funds");
	assert_non_null(strstr(r.message, "not enough"));
	result_of(f, "add_order_busy.json", "cl-3", &r);
	assert_int_equal(r.status, INTENT_UNKNOWN);
	assert_string_equal(r.ref, "cl-3");
	assert_non_null(strstr(r.message, "unknown"));
	result_of(f, "amend_order_ok.json", NULL, &r);
	assert_int_equal(r.status, INTENT_OK);
	assert_string_equal(r.ref, "TTW6PD-RC36L-ZZSWNU");
	assert_string_equal(r.order_id, "9a0a1d21-6c6b-4d1e-8f00-0c4d5f2b7a11");
	result_of(f, "edit_order_ok.json", NULL, &r);
	assert_string_equal(r.order_id, "ONEWID-44444-DDDDDD");
	assert_string_equal(r.ref, "OQCLML-BW3P3-BUCMWZ");
	result_of(f, "cancel_order_ok.json", NULL, &r);
	assert_string_equal(r.order_id, "OQCLML-BW3P3-BUCMWZ");
	result_of(f, "cancel_order_unknown.json", NULL, &r);
	assert_int_equal(r.status, INTENT_REJECTED);
	assert_string_equal(r.code, "EOrder:Unknown order");
	result_of(f, "cancel_all_ok.json", NULL, &r);
	assert_int_equal(r.count, 2);
	result_of(f, "cancel_after_ok.json", NULL, &r);
	assert_int_equal(f->m.method, SWM_CANCEL_AFTER);
	assert_true(r.trigger_time_ms - f->m.current_ms == 60000);
	result_of(f, "batch_cancel_ok.json", NULL, &r);
	assert_int_equal(r.count, 2);
	assert_int_equal(decode_file(f, "batch_add_ok.json"), 0);
	assert_int_equal(f->m.nbatch, 2);
	spot_ws_result(&f->m, 1, "b-2", &r);
	assert_int_equal(r.status, INTENT_OK);
	assert_string_equal(r.order_id, "OBATCH-22222-BBBBBB");
	spot_ws_result(&f->m, 2, "b-3", &r);
	assert_int_equal(r.status, INTENT_UNKNOWN);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test_setup_teardown(instrument_snapshot, setup, teardown),
	        cmocka_unit_test_setup_teardown(instrument_refreshes_rest_entry, setup, teardown),
	        cmocka_unit_test_setup_teardown(book_official_btc, setup, teardown),
	        cmocka_unit_test_setup_teardown(book_official_matic, setup, teardown),
	        cmocka_unit_test_setup_teardown(book_c1_top_ten, setup, teardown),
	        cmocka_unit_test_setup_teardown(book_c2_leading_zeros, setup, teardown),
	        cmocka_unit_test_setup_teardown(book_repeat_and_truncate, setup, teardown),
	        cmocka_unit_test_setup_teardown(book_checksum_mismatch, setup, teardown),
	        cmocka_unit_test_setup_teardown(book_precision_error, setup, teardown),
	        cmocka_unit_test_setup_teardown(book_precision_change, setup, teardown),
	        cmocka_unit_test_setup_teardown(malformed_messages, setup, teardown),
	        cmocka_unit_test_setup_teardown(ticker_channel, setup, teardown),
	        cmocka_unit_test_setup_teardown(trade_channel, setup, teardown),
	        cmocka_unit_test_setup_teardown(ohlc_channel, setup, teardown),
	        cmocka_unit_test_setup_teardown(status_heartbeat_pong, setup, teardown),
	        cmocka_unit_test_setup_teardown(acks, setup, teardown),
	        cmocka_unit_test_setup_teardown(executions_lifecycle, setup, teardown),
	        cmocka_unit_test_setup_teardown(executions_sequence_gap, setup, teardown),
	        cmocka_unit_test_setup_teardown(balances_channel, setup, teardown),
	        cmocka_unit_test_setup_teardown(responses, setup, teardown),
	};
	return kt_run_tests(tests);
}
