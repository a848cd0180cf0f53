/* Futures REST decoders for market data and private account data: every
 * endpoint's documented shape decodes into the right core records (exact
 * decimals, exponents included), and a malformed or error reply fails with a
 * clear message and leaves the state untouched. */
#include <stdlib.h>
#include <string.h>

#include "base/ktime.h"
#include "core/state.h"
#include "kraken/fut_rest_codec.h"
#include "tests/unit/test_fut_rest_util.h"
#include "tests/unit/unit.h"

static int64_t ms_of(const char *iso)
{
	int64_t ns = 0;
	assert_int_equal(ktime_parse_rfc3339(iso, (size_t)-1, &ns, NULL), 0);
	return ns / 1000000;
}

/* Instruments: every contract becomes an instrument with the right tick,
 * lot (negative precision included), tiers, expiry; indices/options skipped. */
static void test_instruments(void **s)
{
	(void)s;
	struct state st;
	state_init(&st);
	int ev[EV_COUNT] = {0};
	state_listen(&st, frx_count_events, ev);
	struct frx f;
	frx_load(&f, "instruments.json");
	size_t n = 0;
	struct kerr err = KERR_INIT;
	assert_int_equal(fut_decode_instruments(&f.fd, &st, &n, &err), 0);
	assert_int_equal(n, 6);
	assert_int_equal(st.ninstr, 6);
	assert_int_equal(ev[EV_INSTRUMENTS], 1);

	const struct instrument *pf =
	        state_instrument(&st, state_find_instrument(&st, "PF_XBTUSD"));
	assert_non_null(pf);
	assert_int_equal(state_find_instrument(&st, "pf_xbtusd"),
	                 state_find_instrument(&st, "PF_XBTUSD"));
	assert_int_equal(pf->product, PRODUCT_FUTURES);
	assert_int_equal(pf->kind, IK_PERP_LINEAR);
	assert_string_equal(pf->base, "BTC");
	assert_string_equal(pf->quote, "USD");
	assert_string_equal(pf->base_rest, "XBT");
	assert_string_equal(pf->rest_id, "PF_XBTUSD");
	assert_true(frx_dec_is(pf->tick, "1"));
	assert_int_equal(pf->price_dp, 0);
	assert_true(frx_dec_is(pf->lot, "0.0001"));
	assert_true(frx_dec_is(pf->min_size, "0.0001"));
	assert_int_equal(pf->qty_dp, 4);
	assert_true(frx_dec_is(pf->contract_size, "1"));
	assert_int_equal(pf->ntiers, 3);
	assert_true(frx_dec_is(pf->tiers[1].size, "500000"));
	assert_true(frx_dec_is(pf->tiers[1].initial, "0.04"));
	assert_true(frx_dec_is(pf->tiers[2].maintenance, "0.05"));
	assert_int_equal(pf->expiry_ms, 0);
	assert_true(pf->tradeable);
	assert_false(pf->post_only);

	const struct instrument *pi =
	        state_instrument(&st, state_find_instrument(&st, "PI_XBTUSD"));
	assert_int_equal(pi->kind, IK_PERP_INVERSE);
	assert_true(frx_dec_is(pi->tick, "0.5"));
	assert_int_equal(pi->price_dp, 1);
	assert_true(frx_dec_is(pi->lot, "1"));
	assert_int_equal(pi->qty_dp, 0);
	assert_true(frx_dec_is(pi->tiers[0].size, "0"));

	const struct instrument *fi =
	        state_instrument(&st, state_find_instrument(&st, "FI_XBTUSD_240628"));
	assert_int_equal(fi->kind, IK_FUTURE_INVERSE);
	assert_int_equal(fi->expiry_ms, ms_of("2024-06-28T15:00:00.000Z"));

	const struct instrument *shib =
	        state_instrument(&st, state_find_instrument(&st, "PF_SHIBUSD"));
	assert_true(frx_dec_is(shib->tick, "0.00000001"));
	assert_int_equal(shib->price_dp, 8);
	assert_true(frx_dec_is(shib->lot, "1000")); /* contractValueTradePrecision -3 */
	assert_int_equal(shib->qty_dp, 0);

	assert_true(state_instrument(&st, state_find_instrument(&st, "PF_ETHUSD"))->post_only);
	assert_false(state_instrument(&st, state_find_instrument(&st, "PF_DEFIUSD"))->tradeable);
	assert_int_equal(state_find_instrument(&st, "IN_XBTUSD"), -1);
	frx_free(&f);
	state_free(&st);
}

/* Tickers: every documented field, JSON-number exponents kept exact. */
static void test_tickers(void **s)
{
	(void)s;
	struct state st;
	frx_state(&st);
	int ev[EV_COUNT] = {0};
	state_listen(&st, frx_count_events, ev);
	struct frx f;
	frx_load(&f, "tickers.json");
	struct kerr err = KERR_INIT;
	assert_int_equal(fut_decode_tickers(&f.fd, &st, &err), 0);
	assert_int_equal(ev[EV_TICKER], 3); /* unknown contract and indices skipped */

	const struct ticker *t =
	        &state_market_peek(&st, state_find_instrument(&st, "PF_XBTUSD"))->ticker;
	assert_true(frx_dec_is(t->funding_rate, "0.000005494"));
	assert_true(frx_dec_is(t->funding_rate_pred, "-0.00000025"));
	assert_true(frx_dec_is(t->bid_qty, "0.5"));
	assert_true(frx_dec_is(t->ask_qty, "1.2345"));
	assert_true(frx_dec_is(t->open_interest, "1234.5678"));
	assert_int_equal(t->next_funding_ms, 0);

	t = &state_market_peek(&st, state_find_instrument(&st, "PI_XBTUSD"))->ticker;
	unsigned all = TK_LAST | TK_BBO | TK_VOLUME | TK_CHANGE | TK_HIGHLOW | TK_MARK | TK_INDEX |
	               TK_FUNDING | TK_OI;
	assert_int_equal(t->has & all, all);
	assert_true(frx_dec_is(t->last, "61000"));
	assert_true(frx_dec_is(t->bid, "60999.5"));
	assert_true(frx_dec_is(t->ask, "61000.5"));
	assert_true(frx_dec_is(t->volume, "15304"));
	assert_true(frx_dec_is(t->open24h, "60000"));
	assert_true(frx_dec_is(t->change_pct, "1.6666666666666667"));
	assert_true(frx_dec_is(t->high, "61500"));
	assert_true(frx_dec_is(t->low, "59500.5"));
	assert_true(frx_dec_is(t->mark, "61000.25"));
	assert_true(frx_dec_is(t->index, "61001.7"));
	assert_true(frx_dec_is(t->funding_rate, "0.000000118588737106"));
	assert_true(frx_dec_is(t->funding_rate_pred, "0.00000011852486794"));
	assert_int_equal(t->updated_ms, ms_of("2024-03-01T10:00:01.335Z"));

	t = &state_market_peek(&st, state_find_instrument(&st, "FI_XBTUSD_240628"))->ticker;
	assert_int_equal(t->has & TK_FUNDING, 0);
	assert_int_equal(t->has & TK_HIGHLOW, 0);
	frx_free(&f);
	state_free(&st);
}

/* Order book: a snapshot replaces the book, best levels first. */
static void test_orderbook(void **s)
{
	(void)s;
	struct state st;
	frx_state(&st);
	int idx = state_find_instrument(&st, "PF_XBTUSD");
	struct frx f;
	frx_load(&f, "orderbook.json");
	struct kerr err = KERR_INIT;
	assert_int_equal(fut_decode_orderbook(&f.fd, &st, idx, &err), 0);
	const struct book *b = &state_market_peek(&st, idx)->book;
	assert_true(b->valid);
	assert_int_equal(book_count(b, SIDE_BUY), 3);
	assert_int_equal(book_count(b, SIDE_SELL), 3);
	assert_int_equal(book_level_at(b, SIDE_BUY, 0)->px, 61001);
	assert_int_equal(book_level_at(b, SIDE_BUY, 0)->qty, 5000);
	assert_int_equal(book_level_at(b, SIDE_SELL, 0)->px, 61003);
	assert_int_equal(book_level_at(b, SIDE_SELL, 0)->qty, 4183);
	assert_int_equal(book_level_at(b, SIDE_SELL, 2)->px, 61010);
	frx_free(&f);

	/* PI_XBTUSD trades whole contracts: a fractional size is refused and
	 * the book it would have replaced stays as it was. */
	int pi = state_find_instrument(&st, "PI_XBTUSD");
	struct frx g;
	assert_int_equal(frx_text(&g,
	                          "{\"result\":\"success\",\"orderBook\":{\"bids\":[[60000,3]],"
	                          "\"asks\":[[60001,2]]}}",
	                          NULL),
	                 0);
	assert_int_equal(fut_decode_orderbook(&g.fd, &st, pi, &err), 0);
	frx_free(&g);
	assert_int_equal(frx_text(&g,
	                          "{\"result\":\"success\",\"orderBook\":{\"bids\":[[60000,0.5]],"
	                          "\"asks\":[]}}",
	                          NULL),
	                 0);
	assert_int_equal(fut_decode_orderbook(&g.fd, &st, pi, &err), -1);
	assert_int_equal(err.code, FUT_E_SYNTAX);
	assert_non_null(strstr(err.msg, "decimals"));
	b = &state_market_peek(&st, pi)->book;
	assert_int_equal(book_count(b, SIDE_BUY), 1);
	assert_int_equal(book_level_at(b, SIDE_SELL, 0)->px, 600010);
	frx_free(&g);
	state_free(&st);
}

/* Trade history: oldest first into the ring, liquidations flagged, and a
 * second identical reply adds nothing. */
static void test_history(void **s)
{
	(void)s;
	struct state st;
	frx_state(&st);
	int idx = state_find_instrument(&st, "PF_XBTUSD");
	struct frx f;
	frx_load(&f, "history.json");
	struct kerr err = KERR_INIT;
	assert_int_equal(fut_decode_history(&f.fd, &st, idx, &err), 0);
	const struct trade_ring *r = &state_market_peek(&st, idx)->trades;
	assert_int_equal(r->n, 3);
	assert_true(frx_dec_is(trade_ring_at(r, 0)->price, "61002"));
	assert_true(frx_dec_is(trade_ring_at(r, 0)->qty, "0.01"));
	assert_int_equal(trade_ring_at(r, 0)->side, SIDE_BUY);
	assert_true(trade_ring_at(r, 1)->liquidation);
	assert_int_equal(trade_ring_at(r, 1)->side, SIDE_SELL);
	assert_true(frx_dec_is(trade_ring_at(r, 2)->qty, "1"));
	assert_int_equal(fut_decode_history(&f.fd, &st, idx, &err), 0);
	assert_int_equal(r->n, 3);
	frx_free(&f);
	state_free(&st);
}

/* Funding history: absolute and relative rates, tiny exponents exact. */
static void test_funding_rates(void **s)
{
	(void)s;
	struct state st;
	frx_state(&st);
	int idx = state_find_instrument(&st, "PF_XBTUSD");
	struct frx f;
	frx_load(&f, "funding_rates.json");
	struct kerr err = KERR_INIT;
	assert_int_equal(fut_decode_funding_rates(&f.fd, &st, idx, &err), 0);
	struct funding_history *h = state_funding(&st, idx);
	assert_int_equal(h->n, 3);
	assert_true(frx_dec_is(h->r[0].rate, "-0.000000000815861558"));
	assert_true(frx_dec_is(h->r[0].relative_rate, "-0.000016898883333333"));
	assert_true(frx_dec_is(h->r[2].rate, "0.000005494"));
	assert_int_equal(h->r[1].time_ms, ms_of("2024-03-01T04:00:00Z"));
	frx_free(&f);
	state_free(&st);
}

/* Wallets: flex currencies and margin figures, the cash wallet; the legacy
 * marginAccount entry is tolerated. A 20-decimal double is rounded, not refused. */
static void test_accounts(void **s)
{
	(void)s;
	struct state st;
	frx_state(&st);
	struct frx f;
	frx_load(&f, "accounts.json");
	struct kerr err = KERR_INIT;
	assert_int_equal(fut_decode_accounts(&f.fd, &st, &err), 0);
	const struct futures_account *fa = &st.fut;
	assert_true(fa->valid);
	assert_int_equal(fa->ncur, 3);
	assert_string_equal(fa->cur[0].asset, "BTC");
	assert_true(frx_dec_is(fa->cur[0].quantity, "0.1185308247"));
	assert_true(frx_dec_is(fa->cur[0].value, "4998.721054420551"));
	assert_string_equal(fa->cur[2].asset, "EUR");
	assert_true(frx_dec_is(fa->portfolio_value, "15010.12"));
	assert_true(frx_dec_is(fa->balance_value, "14997.86"));
	assert_true(frx_dec_is(fa->collateral_value, "14773.41"));
	assert_true(frx_dec_is(fa->initial_margin, "120.5"));
	assert_true(frx_dec_is(fa->initial_margin_with_orders, "150.25"));
	assert_true(frx_dec_is(fa->maintenance_margin, "60.25"));
	assert_true(frx_dec_is(fa->available_margin, "14664.91"));
	assert_true(frx_dec_is(fa->margin_equity, "14785.41"));
	assert_true(frx_dec_is(fa->pnl, "12.26"));
	assert_true(frx_dec_is(fa->unrealized_funding, "-0.000010454321800968"));
	assert_int_equal(fa->ncash, 2);
	assert_string_equal(fa->cash[0].asset, "BTC");
	assert_true(frx_dec_is(fa->cash[0].quantity, "141.31756797"));
	assert_string_equal(fa->cash[1].asset, "USD");
	frx_free(&f);
	state_free(&st);
}

/* Positions: signed sizes, isolated margin from maxFixedLeverage, pnl
 * currency; a contract we do not list is skipped; lower-case symbols match. */
static void test_openpositions(void **s)
{
	(void)s;
	struct state st;
	frx_state(&st);
	struct frx f;
	frx_load(&f, "openpositions.json");
	struct kerr err = KERR_INIT;
	assert_int_equal(fut_decode_openpositions(&f.fd, &st, &err), 0);
	assert_int_equal(st.npos, 3);
	const struct position *p = state_position(&st, state_find_instrument(&st, "PI_XBTUSD"));
	assert_true(frx_dec_is(p->size, "-10000"));
	assert_true(frx_dec_is(p->entry, "60392.749993345933"));
	assert_false(p->isolated);
	assert_true(frx_dec_is(p->unrealized_funding, "0.000010454321800968"));
	p = state_position(&st, state_find_instrument(&st, "PF_DEFIUSD"));
	assert_true(p->isolated);
	assert_true(frx_dec_is(p->max_leverage, "5"));
	assert_true(frx_dec_is(p->size, "1.5"));
	assert_string_equal(p->pnl_asset, "BTC");
	assert_true(frx_dec_is(p->unrealized_funding, "-0.00734280459722639"));
	p = state_position(&st, state_find_instrument(&st, "PF_XBTUSD"));
	assert_true(frx_dec_is(p->size, "0.0123"));
	assert_false(p->isolated);
	frx_free(&f);
	state_free(&st);
}

/* Open orders: types from orderType + prices, statuses, trigger signals;
 * an order we held as open that is no longer listed is closed, while an
 * order still pending an acknowledgement is left alone. */
static void test_openorders(void **s)
{
	(void)s;
	struct state st;
	frx_state(&st);
	struct order *gone = state_order_upsert(&st, "old-open");
	gone->product = PRODUCT_FUTURES;
	gone->status = OS_OPEN;
	gone->qty = dec_from_int(1);
	struct order *pend = state_order_upsert(&st, "pending-1");
	pend->product = PRODUCT_FUTURES;
	pend->status = OS_PENDING;

	struct frx f;
	frx_load(&f, "openorders.json");
	struct kerr err = KERR_INIT;
	assert_int_equal(fut_decode_openorders(&f.fd, &st, &err), 0);
	const struct order *o = state_order_get(&st, "59302619-41d2-4f0b-941f-7e7914760ad3");
	assert_non_null(o);
	assert_string_equal(o->cl_id, "kt-sell-1");
	assert_ptr_equal(state_order_by_cl(&st, "kt-sell-1"), o);
	assert_int_equal(o->type, OT_LIMIT);
	assert_int_equal(o->status, OS_OPEN);
	assert_true(o->reduce_only);
	assert_true(frx_dec_is(o->qty, "304"));
	assert_int_equal(o->instr, state_find_instrument(&st, "PI_XBTUSD"));
	o = state_order_get(&st, "022774bc-2c4a-4f26-9317-436c8d85746d");
	assert_int_equal(o->status, OS_PARTIAL);
	assert_true(frx_dec_is(o->qty, "1"));
	assert_true(frx_dec_is(o->filled, "0.25"));
	o = state_order_get(&st, "d08021f7-58cb-4f2c-9c86-da4c60de46bb");
	assert_int_equal(o->type, OT_STOP);
	assert_int_equal(o->status, OS_UNTRIGGERED);
	assert_int_equal(o->signal, TRIG_MARK);
	assert_true(frx_dec_is(o->trigger_price, "58000"));
	o = state_order_get(&st, "179f9af8-e45e-469d-b3e9-2fd4675cb7d0");
	assert_int_equal(o->type, OT_TAKE_PROFIT_LIMIT);
	assert_int_equal(o->signal, TRIG_INDEX);
	assert_true(frx_dec_is(o->limit_price, "66000"));
	assert_int_equal(state_order_get(&st, "old-open")->status, OS_CANCELLED);
	assert_int_equal(state_order_get(&st, "pending-1")->status, OS_PENDING);
	frx_free(&f);
	state_free(&st);
}

/* Fills: oldest first, maker/taker/liquidation, duplicates ignored. */
static void test_fills(void **s)
{
	(void)s;
	struct state st;
	frx_state(&st);
	struct frx f;
	frx_load(&f, "fills.json");
	struct kerr err = KERR_INIT;
	assert_int_equal(fut_decode_fills(&f.fd, &st, &err), 0);
	assert_int_equal(st.nfills, 3);
	const struct fill *x = state_fill_at(&st, 0); /* newest */
	assert_string_equal(x->id, "3d57ed09-fbd6-44f1-8e8b-b10e551c5e73");
	assert_true(x->maker);
	assert_true(frx_dec_is(x->qty, "0.25"));
	assert_string_equal(x->order_id, "022774bc-2c4a-4f26-9317-436c8d85746d");
	x = state_fill_at(&st, 1);
	assert_false(x->maker);
	assert_true(frx_dec_is(x->price, "59456.5"));
	assert_int_equal(x->side, SIDE_SELL);
	assert_true(state_fill_at(&st, 2)->liquidation);
	assert_int_equal(fut_decode_fills(&f.fd, &st, &err), 0);
	assert_int_equal(st.nfills, 3);
	frx_free(&f);
	state_free(&st);
}

/* Account log (history family, no `result`): funding payments and others. */
static void test_account_log(void **s)
{
	(void)s;
	struct state st;
	frx_state(&st);
	struct frx f;
	frx_load(&f, "account_log.json");
	assert_true(f.fd.ok);
	struct kerr err = KERR_INIT;
	assert_int_equal(fut_decode_account_log(&f.fd, &st, &err), 0);
	assert_int_equal(st.nalog, 3);
	const struct account_log_entry *e = state_account_log_at(&st, 0); /* newest */
	assert_int_equal(e->id, 1002);
	assert_string_equal(e->info, "funding rate change");
	assert_string_equal(e->asset, "USD");
	assert_string_equal(e->instrument, "PF_XBTUSD");
	assert_true(frx_dec_is(e->realized_funding, "0.02"));
	assert_true(frx_dec_is(e->funding_rate, "0.000005494"));
	assert_true(frx_dec_is(e->new_balance, "5000.12"));
	e = state_account_log_at(&st, 1);
	assert_string_equal(e->asset, "BTC");
	assert_true(frx_dec_is(e->fee, "0.0000025"));
	e = state_account_log_at(&st, 2);
	assert_int_equal(e->id, 1000);
	assert_string_equal(e->instrument, "");
	assert_int_equal(e->time_ms, ms_of("2024-02-29T12:00:00Z"));
	frx_free(&f);
	state_free(&st);
}

/* Error envelopes: `error` and `errors[]` forms; every decoder refuses them
 * with FUT_E_API and Kraken's meaning, and changes nothing. */
static void test_error_replies(void **s)
{
	(void)s;
	struct state st;
	frx_state(&st);
	struct frx f;
	frx_load(&f, "error_api_limit.json");
	assert_false(f.fd.ok);
	assert_string_equal(f.fd.error, "apiLimitExceeded");
	struct kerr err = KERR_INIT;
	assert_int_equal(fut_decode_openpositions(&f.fd, &st, &err), -1);
	assert_int_equal(err.code, FUT_E_API);
	assert_non_null(strstr(err.msg, "too many"));
	assert_int_equal(fut_decode_accounts(&f.fd, &st, &err), -1);
	assert_false(st.fut.valid);
	frx_free(&f);

	frx_load(&f, "error_errors_array.json");
	assert_false(f.fd.ok);
	assert_string_equal(f.fd.error, "apiLimitExceeded");
	frx_free(&f);
	frx_load(&f, "error_auth.json");
	assert_int_equal(fut_doc_check(&f.fd, &err), -1);
	assert_non_null(strstr(err.msg, "key"));
	frx_free(&f);
	state_free(&st);
}

/* Truncated or mis-shaped replies fail with a message and touch nothing. */
static void test_malformed(void **s)
{
	(void)s;
	struct state st;
	frx_state(&st);
	struct kerr err = KERR_INIT;
	struct frx f;
	/* truncated */
	size_t len;
	char *full = kt_fixture_read("fut_rest/tickers.json", &len);
	full[len / 2] = '\0';
	assert_int_equal(frx_text(&f, full, &err), -1);
	assert_int_equal(err.code, FUT_E_SYNTAX);
	assert_non_null(strstr(err.msg, "not JSON"));
	frx_free(&f);
	free(full);
	/* not an object, unknown result */
	assert_int_equal(frx_text(&f, "[1,2]", &err), -1);
	frx_free(&f);
	assert_int_equal(frx_text(&f, "{\"result\":\"maybe\"}", &err), -1);
	frx_free(&f);
	/* wrong payload type */
	assert_int_equal(frx_text(&f, "{\"result\":\"success\",\"tickers\":{}}", &err), 0);
	assert_int_equal(fut_decode_tickers(&f.fd, &st, &err), -1);
	assert_int_equal(err.code, FUT_E_SYNTAX);
	frx_free(&f);
	/* one bad ticker: none of the good ones before it is applied */
	assert_int_equal(frx_text(&f,
	                          "{\"result\":\"success\",\"tickers\":["
	                          "{\"symbol\":\"PF_XBTUSD\",\"last\":1},"
	                          "{\"symbol\":\"PI_XBTUSD\",\"last\":\"abc\"}]}",
	                          &err),
	                 0);
	assert_int_equal(fut_decode_tickers(&f.fd, &st, &err), -1);
	assert_non_null(strstr(err.msg, "last"));
	assert_null(state_market_peek(&st, state_find_instrument(&st, "PF_XBTUSD")));
	frx_free(&f);
	/* a position without a size: positions keep their previous snapshot */
	struct frx good;
	frx_load(&good, "openpositions.json");
	assert_int_equal(fut_decode_openpositions(&good.fd, &st, &err), 0);
	frx_free(&good);
	assert_int_equal(frx_text(&f,
	                          "{\"result\":\"success\",\"openPositions\":["
	                          "{\"side\":\"long\",\"symbol\":\"PF_XBTUSD\",\"price\":1}]}",
	                          &err),
	                 0);
	assert_int_equal(fut_decode_openpositions(&f.fd, &st, &err), -1);
	assert_non_null(strstr(err.msg, "open positions, entry 0"));
	assert_int_equal(st.npos, 3);
	frx_free(&f);
	/* an instrument with a bad tick size */
	size_t before = st.ninstr;
	assert_int_equal(frx_text(&f,
	                          "{\"result\":\"success\",\"instruments\":["
	                          "{\"symbol\":\"PF_NEWUSD\",\"tickSize\":0,\"tradeable\":true}]}",
	                          &err),
	                 0);
	assert_int_equal(fut_decode_instruments(&f.fd, &st, NULL, &err), -1);
	assert_int_equal(st.ninstr, before);
	frx_free(&f);
	/* an account-log entry with a text where a number goes */
	assert_int_equal(frx_text(&f,
	                          "{\"accountUid\":\"x\",\"logs\":[{\"id\":1,\"date\":"
	                          "\"2024-01-01T00:00:00Z\",\"fee\":\"lots\"}]}",
	                          &err),
	                 0);
	assert_int_equal(fut_decode_account_log(&f.fd, &st, &err), -1);
	assert_int_equal(st.nalog, 0);
	frx_free(&f);
	state_free(&st);
}

/* fut_num: exact when it fits, half-even rounding to 18 places otherwise. */
static void test_numbers(void **s)
{
	(void)s;
	dec_t v;
	assert_int_equal(fut_num("5.494e-6", 8, &v, NULL), 0);
	assert_true(frx_dec_is(v, "0.000005494"));
	assert_int_equal(fut_num("1E+3", 4, &v, NULL), 0);
	assert_true(frx_dec_is(v, "1000"));
	assert_int_equal(fut_num("-0.0073428045972263895", 22, &v, NULL), 0);
	assert_true(frx_dec_is(v, "-0.00734280459722639"));
	assert_int_equal(fut_num("0.0000000000000000015", 21, &v, NULL), 0);
	assert_true(frx_dec_is(v, "0.000000000000000002"));
	assert_int_equal(fut_num("0.0000000000000000025", 21, &v, NULL), 0);
	assert_true(frx_dec_is(v, "0.000000000000000002"));
	assert_int_equal(fut_num("1e-30", 5, &v, NULL), 0);
	assert_true(frx_dec_is(v, "0"));
	assert_int_equal(fut_num("123456789012345678.91", 21, &v, NULL), 0);
	assert_true(frx_dec_is(v, "123456789012345679"));
	struct kerr err = KERR_INIT;
	assert_int_equal(fut_num("1e25", 4, &v, &err), -1);
	assert_int_equal(fut_num("12a", 3, &v, &err), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_instruments),   cmocka_unit_test(test_tickers),
	        cmocka_unit_test(test_orderbook),     cmocka_unit_test(test_history),
	        cmocka_unit_test(test_funding_rates), cmocka_unit_test(test_accounts),
	        cmocka_unit_test(test_openpositions), cmocka_unit_test(test_openorders),
	        cmocka_unit_test(test_fills),         cmocka_unit_test(test_account_log),
	        cmocka_unit_test(test_error_replies), cmocka_unit_test(test_malformed),
	        cmocka_unit_test(test_numbers),
	};
	return kt_run_tests(tests);
}
