/* test_fut_ws_codec: the Futures WS v1 codec decodes every public feed and
 * envelope from the documented shapes (fixtures under tests/fixtures/fut_ws),
 * keeps books exact (exponent numbers included), detects seq gaps (stale +
 * resubscribe requested + counted), drops stale deltas, survives malformed and
 * truncated input with a clear error and the state untouched, signs the
 * challenge with the official vector O2 and builds exact requests. */
#include <stdlib.h>
#include <string.h>

#include "base/sbuf.h"
#include "tests/unit/fut_ws_util.h"
#include "tests/unit/unit.h"

static void envelopes(void **state)
{
	(void)state;
	struct fws_fixture f;
	fws_fixture_init(&f);
	struct fws_msg m;
	fws_feed_file(&f, "info.json", &m);
	assert_int_equal(m.kind, FWS_INFO);
	assert_int_equal(m.version, 1);
	fws_feed_file(&f, "challenge.json", &m);
	assert_int_equal(m.kind, FWS_CHALLENGE);
	assert_string_equal(m.text, "c100b894-1729-464d-ace1-52dbce11db42");
	fws_feed_file(&f, "subscribed_book.json", &m);
	assert_int_equal(m.kind, FWS_SUBSCRIBED);
	assert_string_equal(m.feed, "book");
	assert_string_equal(m.product, "PF_XBTUSD");
	assert_int_equal(m.instr, f.xbt);
	assert_false(m.is_private);
	fws_feed_file(&f, "subscribed_failed.json", &m);
	assert_int_equal(m.kind, FWS_SUBSCRIBE_FAILED);
	assert_true(m.is_private);
	assert_string_equal(m.text, "Invalid signed challenge");
	fws_feed_file(&f, "error_product.json", &m);
	assert_int_equal(m.kind, FWS_ERROR);
	assert_string_equal(m.text, "Invalid product id");
	fws_feed_file(&f, "alert.json", &m);
	assert_int_equal(m.kind, FWS_ALERT);
	assert_int_equal(f.rec.notices_warn, 1);
	assert_non_null(strstr(f.rec.last_notice, "maintenance at 10:00"));
	fws_feed_file(&f, "heartbeat.json", &m);
	assert_int_equal(m.kind, FWS_HEARTBEAT);
	assert_int_equal(m.time_ms, 1534262350627LL);
	assert_int_equal(fws_feed(&f, "{\"event\":\"pong\"}", &m, NULL), 0);
	assert_int_equal(m.kind, FWS_UNKNOWN);
	assert_int_equal(fws_feed(&f, "{\"feed\":\"ticker_xl\",\"x\":1}", &m, NULL), 0);
	assert_int_equal(m.kind, FWS_UNKNOWN);
	fws_fixture_free(&f);
}

static void book_snapshot_exact(void **state)
{
	(void)state;
	struct fws_fixture f;
	fws_fixture_init(&f);
	struct fws_msg m;
	fws_feed_file(&f, "book_snapshot.json", &m);
	assert_int_equal(m.kind, FWS_BOOK_SNAPSHOT);
	assert_int_equal(m.instr, f.xbt);
	assert_int_equal(m.count, 6);
	const struct market *mk = state_market_peek(&f.st, f.xbt);
	assert_true(mk->book.valid);
	assert_int_equal(mk->book.seq, 1000);
	assert_int_equal(mk->book.pscale, 1);
	assert_int_equal(mk->book.qscale, 4);
	assert_int_equal(book_count(&mk->book, SIDE_BUY), 3);
	assert_int_equal(book_count(&mk->book, SIDE_SELL), 3);
	char px[DEC_FMT_MAX], q[DEC_FMT_MAX];
	fws_level_text(&f, f.xbt, SIDE_BUY, 0, px, q);
	assert_string_equal(px, "34892.5");
	assert_string_equal(q, "0.6385");
	/* exponent forms: 3.4891e4 and 2.5E-3 */
	fws_level_text(&f, f.xbt, SIDE_BUY, 2, px, q);
	assert_string_equal(px, "34891");
	assert_string_equal(q, "0.0025");
	fws_level_text(&f, f.xbt, SIDE_SELL, 0, px, q);
	assert_string_equal(px, "34911.5");
	assert_string_equal(q, "2.0598");
	fws_level_text(&f, f.xbt, SIDE_SELL, 2, px, q);
	assert_string_equal(px, "34913");
	assert_string_equal(q, "5");
	assert_int_equal(f.rec.counts[EV_BOOK], 1);
	assert_int_equal(mk->book_updated_ms, 1612269825817LL);
	fws_fixture_free(&f);
}

static void book_deltas_and_stale(void **state)
{
	(void)state;
	struct fws_fixture f;
	fws_fixture_init(&f);
	struct fws_msg m;
	/* before any snapshot a delta is dropped without a resync */
	fws_feed_file(&f, "book_delta.json", &m);
	assert_true(m.dropped);
	assert_false(m.resync);
	fws_feed_file(&f, "book_snapshot.json", &m);
	fws_feed_file(&f, "book_delta.json", &m);
	assert_int_equal(m.kind, FWS_BOOK);
	assert_false(m.dropped);
	assert_int_equal(m.count, 1);
	char px[DEC_FMT_MAX], q[DEC_FMT_MAX];
	fws_level_text(&f, f.xbt, SIDE_SELL, 0, px, q);
	assert_string_equal(q, "1.5");
	/* qty 0 deletes the level */
	fws_feed_file(&f, "book_delta_delete.json", &m);
	const struct market *mk = state_market_peek(&f.st, f.xbt);
	assert_int_equal(book_count(&mk->book, SIDE_BUY), 2);
	fws_level_text(&f, f.xbt, SIDE_BUY, 0, px, q);
	assert_string_equal(px, "34892");
	/* the same seq again, and an older one: dropped, book unchanged */
	uint64_t updates = mk->book.updates;
	fws_feed_file(&f, "book_delta.json", &m);
	assert_true(m.dropped);
	fws_feed(&f,
	         "{\"feed\":\"book\",\"product_id\":\"PF_XBTUSD\",\"side\":\"buy\",\"seq\":999,"
	         "\"price\":1,\"qty\":1}",
	         &m, NULL);
	assert_true(m.dropped);
	assert_int_equal(mk->book.updates, updates);
	assert_int_equal(mk->book.seq, 1002);
	assert_int_equal(mk->seq_gaps, 0);
	assert_int_equal(f.codec.dropped, 3);
	fws_fixture_free(&f);
}

static void book_seq_gap_resync(void **state)
{
	(void)state;
	struct fws_fixture f;
	fws_fixture_init(&f);
	struct fws_msg m;
	fws_feed_file(&f, "book_snapshot.json", &m);
	int books = f.rec.counts[EV_BOOK];
	fws_feed_file(&f, "book_delta_gap.json", &m); /* seq 1005 after 1000 */
	assert_true(m.resync);
	assert_int_equal(m.instr, f.xbt);
	assert_string_equal(m.product, "PF_XBTUSD");
	const struct market *mk = state_market_peek(&f.st, f.xbt);
	assert_int_equal(mk->seq_gaps, 1);
	assert_true(mk->stale);
	assert_false(mk->book.valid);
	assert_int_equal(f.rec.counts[EV_BOOK], books + 1); /* the UI hears it went stale */
	assert_int_equal(f.codec.gaps, 1);
	/* until the new snapshot, deltas are dropped and no second resync is asked */
	fws_feed(&f,
	         "{\"feed\":\"book\",\"product_id\":\"PF_XBTUSD\",\"side\":\"buy\",\"seq\":1006,"
	         "\"price\":34890,\"qty\":1}",
	         &m, NULL);
	assert_true(m.dropped);
	assert_false(m.resync);
	assert_int_equal(mk->seq_gaps, 1);
	fws_feed(&f,
	         "{\"feed\":\"book_snapshot\",\"product_id\":\"PF_XBTUSD\",\"timestamp\":1,"
	         "\"seq\":2000,\"tickSize\":null,\"bids\":[{\"price\":100,\"qty\":1}],"
	         "\"asks\":[]}",
	         &m, NULL);
	assert_true(mk->book.valid);
	assert_false(mk->stale);
	assert_int_equal(mk->resyncs, 1);
	assert_int_equal(book_count(&mk->book, SIDE_BUY), 1);
	assert_int_equal(book_count(&mk->book, SIDE_SELL), 0);
	fws_feed(&f,
	         "{\"feed\":\"book\",\"product_id\":\"PF_XBTUSD\",\"side\":\"sell\",\"seq\":2001,"
	         "\"price\":101,\"qty\":2}",
	         &m, NULL);
	assert_false(m.dropped);
	assert_int_equal(book_count(&mk->book, SIDE_SELL), 1);
	fws_fixture_free(&f);
}

static void book_widens_for_finer_prices(void **state)
{
	(void)state;
	struct fws_fixture f;
	fws_fixture_init(&f);
	struct fws_msg m;
	fws_feed_file(&f, "book_snapshot.json", &m);
	/* 2 decimals on a 1-decimal book: kept exactly, not rounded */
	struct kerr err = KERR_INIT;
	assert_int_equal(fws_feed(&f,
	                          "{\"feed\":\"book\",\"product_id\":\"PF_XBTUSD\",\"side\":"
	                          "\"buy\",\"seq\":1001,\"price\":34892.25,\"qty\":1.00001}",
	                          &m, &err),
	                 0);
	const struct market *mk = state_market_peek(&f.st, f.xbt);
	assert_int_equal(mk->book.pscale, 2);
	assert_int_equal(mk->book.qscale, 5);
	char px[DEC_FMT_MAX], q[DEC_FMT_MAX];
	fws_level_text(&f, f.xbt, SIDE_BUY, 0, px, q);
	assert_string_equal(px, "34892.5");
	fws_level_text(&f, f.xbt, SIDE_BUY, 1, px, q);
	assert_string_equal(px, "34892.25");
	assert_string_equal(q, "1.00001");
	assert_int_equal(book_count(&mk->book, SIDE_BUY), 4);
	assert_int_equal(book_count(&mk->book, SIDE_SELL), 3);
	assert_int_equal(mk->book.seq, 1001);
	fws_fixture_free(&f);
}

/* Snapshot of a market's book for before/after comparisons. */
static void book_text(struct fws_fixture *f, char *out, size_t cap)
{
	const struct market *mk = state_market_peek(&f->st, f->xbt);
	size_t w = 0;
	out[0] = '\0';
	if (!mk)
		return;
	w += (size_t)snprintf(out + w, cap - w, "seq=%llu valid=%d|",
	                      (unsigned long long)mk->book.seq, mk->book.valid);
	for (int s = 0; s < 2; s++)
		for (size_t i = 0; i < book_count(&mk->book, (enum side)s) && w < cap; i++) {
			const struct book_level *lv = book_level_at(&mk->book, (enum side)s, i);
			w += (size_t)snprintf(out + w, cap - w, "%d:%lld/%lld ", s,
			                      (long long)lv->px, (long long)lv->qty);
		}
}

static void malformed_leaves_state(void **state)
{
	(void)state;
	struct fws_fixture f;
	fws_fixture_init(&f);
	struct fws_msg m;
	fws_feed_file(&f, "book_snapshot.json", &m);
	char before[4096], after[4096];
	book_text(&f, before, sizeof before);
	int events = f.rec.counts[EV_BOOK];
	static const struct {
		const char *json;
		int code;
		const char *says;
	} bad[] = {
	        {"", FWS_E_JSON, "not valid JSON"},
	        {"{\"feed\":\"book\",", FWS_E_JSON, "not valid JSON"},
	        {"[1,2,3]", FWS_E_SHAPE, "not an object"},
	        {"{\"feed\":\"book\",\"product_id\":\"PF_XBTUSD\",\"side\":\"buy\",\"seq\":1001,"
	         "\"qty\":1}",
	         FWS_E_SHAPE, "missing \"price\""},
	        {"{\"feed\":\"book\",\"product_id\":\"PF_XBTUSD\",\"side\":\"up\",\"seq\":1001,"
	         "\"price\":1,\"qty\":1}",
	         FWS_E_SHAPE, "side"},
	        {"{\"feed\":\"book\",\"product_id\":\"PF_XBTUSD\",\"side\":\"buy\",\"seq\":1001,"
	         "\"price\":\"abc\",\"qty\":1}",
	         FWS_E_NUMBER, "price"},
	        {"{\"feed\":\"book\",\"product_id\":\"PF_XBTUSD\",\"side\":\"buy\",\"seq\":1001,"
	         "\"price\":1,\"qty\":-1}",
	         FWS_E_NUMBER, "negative"},
	        {"{\"feed\":\"book\",\"product_id\":\"PF_XBTUSD\",\"side\":\"buy\",\"seq\":1001,"
	         "\"price\":1e400,\"qty\":1}",
	         FWS_E_NUMBER, "price"},
	        {"{\"feed\":\"book\",\"product_id\":\"PF_XBTUSD\",\"side\":\"buy\",\"seq\":true,"
	         "\"price\":1,\"qty\":1}",
	         FWS_E_SHAPE, "seq"},
	        /* a bad level in the middle of a snapshot: nothing is applied */
	        {"{\"feed\":\"book_snapshot\",\"product_id\":\"PF_XBTUSD\",\"seq\":5,\"bids\":"
	         "[{\"price\":1,\"qty\":1},{\"price\":2}],\"asks\":[]}",
	         FWS_E_SHAPE, "price or qty"},
	        {"{\"feed\":\"book_snapshot\",\"product_id\":\"PF_XBTUSD\",\"seq\":5,\"bids\":{}}",
	         FWS_E_SHAPE, "\"bids\" is not a list"},
	        {"{\"feed\":\"book_snapshot\",\"product_id\":\"PF_XBTUSD\",\"bids\":[],\"asks\":[]"
	         "}",
	         FWS_E_SHAPE, "missing \"seq\""},
	        {"{\"feed\":\"ticker\",\"product_id\":\"PF_XBTUSD\",\"bid\":[1]}", FWS_E_SHAPE,
	         "bid"},
	        {"{\"feed\":\"trade\",\"product_id\":\"PF_XBTUSD\",\"side\":\"buy\",\"price\":1}",
	         FWS_E_SHAPE, "qty"},
	        {"{\"event\":\"challenge\"}", FWS_E_SHAPE, "message"},
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct kerr err = KERR_INIT;
		assert_int_equal(fws_feed(&f, bad[i].json, &m, &err), -1);
		if (err.code != bad[i].code || !strstr(err.msg, bad[i].says))
			fail_msg("case %zu: code %d, \"%s\"", i, err.code, err.msg);
	}
	book_text(&f, after, sizeof after);
	assert_string_equal(before, after);
	assert_int_equal(f.rec.counts[EV_BOOK], events);
	assert_int_equal(f.rec.counts[EV_TICKER], 0);
	assert_int_equal(f.rec.counts[EV_TRADES], 0);
	fws_fixture_free(&f);
}

/* Every truncation of every fixture fails cleanly and changes nothing. */
static void truncations(void **state)
{
	(void)state;
	static const char *const names[] = {"book_snapshot.json",        "ticker_perp.json",
	                                    "trade_snapshot.json",       "orders_snapshot.json",
	                                    "fills_snapshot.json",       "balances_snapshot.json",
	                                    "account_log_snapshot.json", "open_positions.json"};
	for (size_t n = 0; n < sizeof names / sizeof names[0]; n++) {
		struct fws_fixture f;
		fws_fixture_init(&f);
		char path[128];
		snprintf(path, sizeof path, "fut_ws/%s", names[n]);
		size_t len;
		char *text = kt_fixture_read(path, &len);
		while (len && (text[len - 1] == '\n' || text[len - 1] == ' '))
			len--;
		for (size_t cut = 0; cut < len; cut++) {
			struct fws_msg m;
			char *copy = malloc(cut ? cut : 1); /* exact size: ASan sees overreads */
			memcpy(copy, text, cut);
			struct kerr err = KERR_INIT;
			int rc = fut_ws_decode(&f.codec, &f.st, copy, cut, &m, &err);
			free(copy);
			if (rc != -1 || err.code != FWS_E_JSON)
				fail_msg("%s cut at %zu: rc %d (%s)", names[n], cut, rc, err.msg);
		}
		for (int k = 0; k < EV_COUNT; k++)
			assert_int_equal(f.rec.counts[k], 0);
		free(text);
		fws_fixture_free(&f);
	}
}

static void ticker_fields(void **state)
{
	(void)state;
	struct fws_fixture f;
	fws_fixture_init(&f);
	struct fws_msg m;
	fws_feed_file(&f, "ticker_perp.json", &m);
	assert_int_equal(m.kind, FWS_TICKER);
	const struct ticker *t = &state_market_peek(&f.st, f.xbt)->ticker;
	char b[DEC_FMT_MAX];
	unsigned all = TK_LAST | TK_BBO | TK_VOLUME | TK_CHANGE | TK_HIGHLOW | TK_MARK | TK_INDEX |
	               TK_FUNDING | TK_OI;
	assert_int_equal(t->has & all, all);
	fws_dec_text(t->mark, b);
	assert_string_equal(b, "21979.68641534714");
	fws_dec_text(t->funding_rate, b);
	assert_string_equal(b, "-0.000000000062604214");
	fws_dec_text(t->rel_funding_rate_pred, b);
	assert_string_equal(b, "-0.000008047629166667");
	assert_int_equal(t->next_funding_ms, 1676394000000LL);
	fws_dec_text(t->bid_qty, b);
	assert_string_equal(b, "2.536");
	fws_dec_text(t->change_pct, b);
	assert_string_equal(b, "1.9974017538161748");
	fws_dec_text(t->open_interest, b);
	assert_string_equal(b, "3007.258");
	/* account numbers beyond 18 decimals are rounded half-even, never refused */
	assert_int_equal(fws_feed(&f,
	                          "{\"feed\":\"ticker_lite\",\"product_id\":\"PF_ETHUSD\","
	                          "\"bid\":0.1000000000000000005,\"ask\":0.1000000000000000015,"
	                          "\"change\":-1.23456789012345678e-9,\"volume\":1e-30}",
	                          &m, NULL),
	                 0);
	const struct ticker *te = &state_market_peek(&f.st, f.eth)->ticker;
	fws_dec_text(te->bid, b);
	assert_string_equal(b, "0.1"); /* a tie goes to the even neighbour */
	fws_dec_text(te->ask, b);
	assert_string_equal(b, "0.100000000000000002");
	fws_dec_text(te->change_pct, b);
	assert_string_equal(b, "-0.00000000123456789");
	fws_dec_text(te->volume, b);
	assert_string_equal(b, "0");
	assert_false(te->has & TK_FUNDING); /* ticker_lite: no funding fields implied */
	assert_int_equal(t->updated_ms, 1676393235406LL);
	/* funding fields are left out when zero: absent means 0, not unchanged */
	fws_feed_file(&f, "ticker_nofunding.json", &m);
	t = &state_market_peek(&f.st, f.xbt)->ticker;
	assert_true(dec_is_zero(t->funding_rate));
	assert_true(dec_is_zero(t->rel_funding_rate));
	assert_true(dec_is_zero(t->funding_rate_pred));
	assert_true(t->has & TK_FUNDING);
	assert_int_equal(t->next_funding_ms, 1676397600000LL);
	fws_dec_text(t->last, b);
	assert_string_equal(b, "21984");
	assert_int_equal(f.rec.counts[EV_TICKER], 3);
	/* unknown products are ignored */
	assert_int_equal(fws_feed(&f,
	                          "{\"feed\":\"ticker\",\"product_id\":\"PF_NOPEUSD\","
	                          "\"bid\":1}",
	                          &m, NULL),
	                 0);
	assert_int_equal(m.instr, -1);
	assert_int_equal(f.rec.counts[EV_TICKER], 3);
	fws_fixture_free(&f);
}

static void trades(void **state)
{
	(void)state;
	struct fws_fixture f;
	fws_fixture_init(&f);
	struct fws_msg m;
	fws_feed_file(&f, "trade_snapshot.json", &m);
	assert_int_equal(m.kind, FWS_TRADE_SNAPSHOT);
	assert_int_equal(m.count, 2);
	const struct trade_ring *r = &state_market_peek(&f.st, f.xbt)->trades;
	assert_int_equal(r->n, 2);
	/* newest first from the ring, whatever the snapshot order */
	assert_int_equal(trade_ring_at(r, 0)->time_ms, 1612269657781LL);
	assert_false(trade_ring_at(r, 0)->liquidation);
	assert_int_equal(trade_ring_at(r, 0)->side, SIDE_SELL);
	assert_true(trade_ring_at(r, 1)->liquidation);
	assert_int_equal(trade_ring_at(r, 1)->side, SIDE_BUY);
	fws_feed_file(&f, "trade.json", &m);
	assert_int_equal(r->n, 3);
	char b[DEC_FMT_MAX];
	fws_dec_text(trade_ring_at(r, 0)->price, b);
	assert_string_equal(b, "34969.5");
	/* a new snapshot (after a resubscribe) replaces the ring */
	fws_feed_file(&f, "trade_snapshot.json", &m);
	assert_int_equal(r->n, 2);
	assert_int_equal(f.rec.counts[EV_TRADES], 3);
	fws_fixture_free(&f);
}

#define O2_SECRET                                                                                  \
	"7zxMEF5p/Z8l2p2U7Ghv6x14Af+Fx+92tPgUdVQ748FOIrEoT9bgT+bTRfXc5pz8na+hL/QdrCVG7bh9KpT0eMTm"
#define O2_SIGNED                                                                                  \
	"4JEpF3ix66GA2B+ooK128Ift4XQVtc137N9yeg4Kqsn9PI0Kpzbysl9M1IeCEdjg0zl00wkVqcsnG4bmnlMb3A=="

static void challenge_and_requests(void **state)
{
	(void)state;
	struct fws_fixture f;
	fws_fixture_init(&f);
	struct fws_msg m;
	struct sbuf b = SBUF_INIT;
	fut_ws_req_challenge(&b, "KEY");
	assert_string_equal(sbuf_str(&b), "{\"event\":\"challenge\",\"api_key\":\"KEY\"}");
	/* the official vector O2, through the decoder and the signer */
	fws_feed_file(&f, "challenge.json", &m);
	struct fut_ws_auth auth;
	memset(&auth, 0, sizeof auth);
	struct kerr err = KERR_INIT;
	assert_int_equal(fut_ws_auth_sign(&auth, O2_SECRET, m.text, &err), 0);
	assert_true(auth.ready);
	assert_string_equal(auth.signed_challenge, O2_SIGNED);
	sbuf_reset(&b);
	assert_int_equal(fut_ws_req_sub(&b, true, "fills", NULL, 0, "KEY", &auth), 0);
	assert_string_equal(sbuf_str(&b),
	                    "{\"event\":\"subscribe\",\"feed\":\"fills\",\"api_key\":\"KEY\","
	                    "\"original_challenge\":\"c100b894-1729-464d-ace1-52dbce11db42\","
	                    "\"signed_challenge\":\"" O2_SIGNED "\"}");
	/* unsubscribing a private feed carries the challenge too */
	sbuf_reset(&b);
	assert_int_equal(fut_ws_req_sub(&b, false, "open_orders_verbose", NULL, 0, "KEY", &auth),
	                 0);
	assert_non_null(strstr(sbuf_str(&b), "\"event\":\"unsubscribe\""));
	assert_non_null(strstr(sbuf_str(&b), "\"signed_challenge\":\"" O2_SIGNED "\""));
	/* public feeds never carry the key */
	sbuf_reset(&b);
	const char *ids[] = {"PF_XBTUSD", "PF_ETHUSD"};
	assert_int_equal(fut_ws_req_sub(&b, true, "book", ids, 2, "KEY", &auth), 0);
	assert_string_equal(sbuf_str(&b), "{\"event\":\"subscribe\",\"feed\":\"book\","
	                                  "\"product_ids\":[\"PF_XBTUSD\",\"PF_ETHUSD\"]}");
	/* no signed challenge, no private request */
	struct fut_ws_auth none;
	memset(&none, 0, sizeof none);
	sbuf_reset(&b);
	assert_int_equal(fut_ws_req_sub(&b, true, "balances", NULL, 0, "KEY", &none), -1);
	assert_int_equal(b.len, 0);
	/* a bad secret is a clear error */
	assert_int_equal(fut_ws_auth_sign(&none, "not*base64", "abc", &err), -1);
	assert_int_equal(err.code, FWS_E_SIGN);
	assert_false(none.ready);
	fut_ws_auth_clear(&auth);
	assert_false(auth.ready);
	assert_true(fut_ws_feed_is_private("fills_snapshot"));
	assert_true(fut_ws_feed_is_private("notifications_auth"));
	assert_false(fut_ws_feed_is_private("book"));
	assert_false(fut_ws_feed_is_private("heartbeat"));
	sbuf_free(&b);
	fws_fixture_free(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(envelopes),
	        cmocka_unit_test(book_snapshot_exact),
	        cmocka_unit_test(book_deltas_and_stale),
	        cmocka_unit_test(book_seq_gap_resync),
	        cmocka_unit_test(book_widens_for_finer_prices),
	        cmocka_unit_test(malformed_leaves_state),
	        cmocka_unit_test(truncations),
	        cmocka_unit_test(ticker_fields),
	        cmocka_unit_test(trades),
	        cmocka_unit_test(challenge_and_requests),
	};
	return kt_run_tests(tests);
}
