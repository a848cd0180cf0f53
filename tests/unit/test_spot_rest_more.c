/* test_spot_rest_more: the typed Spot REST operations of spot_rest_more.c
 * over the fake transport and clock — Time, SystemStatus, Assets,
 * TradeBalance, Ledgers, EditOrder, AddOrderBatch and CancelOrderBatch. For
 * each: the request as sent (method, path, parameters), the typed result,
 * a Kraken error reply; Ledgers charged its heavier REST cost; the trading
 * calls charged on the pair's matching-engine counter and never resent when
 * their outcome is unknown. */
#include <stdlib.h>
#include <string.h>

#include "kraken/spot_rest.h"
#include "tests/unit/spot_rest_fake.h"
#include "tests/unit/spot_rest_util.h"
#include "tests/unit/unit.h"

#define SECRET                                                                                     \
	"kQH5HW/8p1uGOVjbgWA7FunAmGO8lsSUXNsu3eow76sz84Q18fWxnyRzBHCd3pd5nE9qa99HAZtuZuj6F1huXg=="
#define ORIG "OHYO67-6LP66-HMQ437"

/* What the last typed callback saw (copied: the results die with the call). */
struct seen {
	int n;
	struct spot_outcome o;
	bool has_result;
	struct spot_time time;
	struct spot_system_status status;
	struct spot_asset assets[8];
	struct spot_trade_balance tb;
	struct spot_ledger ledgers[8];
	struct spot_edit_result edit;
	struct spot_add_result batch[8];
	size_t nres;
	int64_t count;
};

struct t {
	struct fake f;
	struct state st;
	struct spot_rest *sr;
	struct seen s;
};

static struct t *T;

static int setup(void **s)
{
	(void)s;
	T = calloc(1, sizeof *T);
	fake_init(&T->f);
	srt_state_init(&T->st);
	struct spot_rest_cfg cfg = {.base_url = "http://kraken.test",
	                            .api_key = "KEY",
	                            .api_secret = SECRET,
	                            .nonce_dir = T->f.nonce_dir,
	                            .tier = KRAKEN_TIER_STARTER};
	struct kerr e = KERR_INIT;
	T->sr = spot_rest_new(NULL, &T->st, &cfg, &e);
	if (!T->sr)
		fail_msg("spot_rest_new: %s", e.msg);
	struct spot_rest_io io = fake_io(&T->f);
	spot_rest_set_io(T->sr, &io);
	return 0;
}

static int teardown(void **s)
{
	(void)s;
	spot_rest_free(T->sr);
	state_free(&T->st);
	fake_free(&T->f);
	free(T);
	return 0;
}

static dec_t D(const char *s)
{
	dec_t v;
	assert_int_equal(dec_parse(s, (size_t)-1, &v, NULL), 0);
	return v;
}

static void seen(struct t *t, const struct spot_outcome *o, const void *res)
{
	t->s.n++;
	t->s.o = *o;
	t->s.has_result = res != NULL;
}

static void on_time(void *arg, const struct spot_outcome *o, const struct spot_time *r)
{
	struct t *t = arg;
	seen(t, o, r);
	if (r)
		t->s.time = *r;
}

static void on_status(void *arg, const struct spot_outcome *o, const struct spot_system_status *r)
{
	struct t *t = arg;
	seen(t, o, r);
	if (r)
		t->s.status = *r;
}

static void on_assets(void *arg, const struct spot_outcome *o, const struct spot_asset *a, size_t n)
{
	struct t *t = arg;
	seen(t, o, a);
	t->s.nres = n;
	for (size_t i = 0; i < n && i < 8; i++)
		t->s.assets[i] = a[i];
}

static void on_tb(void *arg, const struct spot_outcome *o, const struct spot_trade_balance *r)
{
	struct t *t = arg;
	seen(t, o, r);
	if (r)
		t->s.tb = *r;
}

static void on_ledgers(void *arg, const struct spot_outcome *o, const struct spot_ledger *l,
                       size_t n, int64_t count)
{
	struct t *t = arg;
	seen(t, o, l);
	t->s.nres = n;
	t->s.count = count;
	for (size_t i = 0; i < n && i < 8; i++)
		t->s.ledgers[i] = l[i];
}

static void on_edit(void *arg, const struct spot_outcome *o, const struct spot_edit_result *r)
{
	struct t *t = arg;
	seen(t, o, r);
	if (r)
		t->s.edit = *r;
}

static void on_batch(void *arg, const struct spot_outcome *o, const struct spot_add_result *r,
                     size_t n)
{
	struct t *t = arg;
	seen(t, o, r);
	t->s.nres = n;
	for (size_t i = 0; i < n && i < 8; i++)
		t->s.batch[i] = r[i];
}

static void on_count(void *arg, const struct spot_outcome *o, int count)
{
	struct t *t = arg;
	seen(t, o, o->rc == 0 ? o : NULL);
	t->s.count = count;
}

static const char *body(int i)
{
	return T->f.calls[i].body;
}

/* An open order of BTC/USD placed age_ms ago. */
static void open_order(const char *txid, const char *cl_id, uint64_t age_ms)
{
	struct order *o = state_order_upsert(&T->st, txid);
	o->instr = SRT_BTCUSD;
	o->product = PRODUCT_SPOT;
	o->side = SIDE_BUY;
	o->type = OT_LIMIT;
	o->status = OS_OPEN;
	o->qty = D("1");
	o->limit_price = D("30000");
	snprintf(o->cl_id, sizeof o->cl_id, "%s", cl_id);
	o->created_ms = o->updated_ms = (int64_t)(T->f.wall - age_ms);
	state_order_changed(&T->st, o);
}

/* ---- public ---- */

static void time_status_assets(void **s)
{
	(void)s;
	struct kerr e = KERR_INIT;
	assert_int_equal(spot_rest_time(T->sr, on_time, T, &e), 0);
	assert_int_equal(spot_rest_system_status(T->sr, on_status, T, &e), 0);
	assert_int_equal(spot_rest_assets(T->sr, "BTC,eth,XXDG", on_assets, T, &e), 0);
	assert_int_equal(T->f.ncalls, 0); /* never inside the call */
	fake_advance(&T->f, 3000);        /* public calls: a burst of two, then ~1/s */
	assert_int_equal(T->f.ncalls, 3);
	assert_string_equal(T->f.calls[0].method, "GET");
	assert_string_equal(T->f.calls[0].url, "http://kraken.test/0/public/Time");
	assert_string_equal(T->f.calls[1].url, "http://kraken.test/0/public/SystemStatus");
	assert_string_equal(T->f.calls[2].url,
	                    "http://kraken.test/0/public/Assets?asset=XBT%2Ceth%2CXXDG");
	assert_string_equal(fake_header(&T->f, 2, "API-Key"), "");
	assert_int_equal(spot_rest_counter_level(T->sr), 0); /* public: not on the key's counter */

	fake_respond_fixture(&T->f, 0, "time.json");
	assert_int_equal(T->s.n, 1);
	assert_int_equal(T->s.o.rc, 0);
	assert_int_equal(T->s.time.unixtime, 1700000000);
	assert_string_equal(T->s.time.rfc1123, "Tue, 14 Nov 23 22:13:20 +0000");

	fake_respond_fixture(&T->f, 1, "system_status.json");
	assert_int_equal(T->s.o.rc, 0);
	assert_int_equal(T->s.status.status, SPOT_SYS_ONLINE);
	assert_true(T->s.status.ts_ns == 1700000000LL * 1000000000LL);

	fake_respond_fixture(&T->f, 2, "assets.json");
	assert_int_equal(T->s.n, 3);
	assert_int_equal(T->s.o.rc, 0);
	assert_int_equal(T->s.nres, 4);
	const struct spot_asset *btc = NULL;
	for (size_t i = 0; i < T->s.nres; i++)
		if (strcmp(T->s.assets[i].id, "XXBT") == 0)
			btc = &T->s.assets[i];
	assert_non_null(btc);
	assert_string_equal(btc->altname, "XBT");
	assert_string_equal(btc->display, "BTC");
	assert_int_equal(btc->decimals, 10);
	assert_int_equal(btc->display_decimals, 5);
	assert_true(dec_eq(btc->collateral_value, D("1")));

	/* Kraken's refusal: its code and a plain-English message, no result */
	assert_int_equal(spot_rest_assets(T->sr, NULL, on_assets, T, &e), 0);
	fake_advance(&T->f, 2000);
	assert_string_equal(T->f.calls[3].url, "http://kraken.test/0/public/Assets");
	fake_respond(&T->f, 3, 200, "{\"error\":[\"EQuery:Unknown asset\"]}");
	assert_int_equal(T->s.n, 4);
	assert_int_equal(T->s.o.rc, 1);
	assert_false(T->s.has_result);
	assert_int_equal(T->s.o.cls, KE_REJECTED);
	assert_string_equal(T->s.o.code, "EQuery:Unknown asset");
	assert_non_null(strstr(T->s.o.message, "does not know this asset"));

	/* an answer that does not decode: a failure, not a crash */
	assert_int_equal(spot_rest_time(T->sr, on_time, T, &e), 0);
	fake_advance(&T->f, 2000);
	fake_respond(&T->f, 4, 200, "{\"error\":[],\"result\":{\"rfc1123\":\"x\"}}");
	assert_int_equal(T->s.o.rc, -1);
	assert_false(T->s.o.unknown);
	assert_false(T->s.has_result);
	assert_non_null(strstr(T->s.o.message, "unreadable"));
}

/* ---- private reads ---- */

static void trade_balance(void **s)
{
	(void)s;
	struct kerr e = KERR_INIT;
	assert_int_equal(spot_rest_trade_balance(T->sr, "BTC", on_tb, T, &e), 0);
	fake_run(&T->f);
	assert_string_equal(T->f.calls[0].method, "POST");
	assert_string_equal(T->f.calls[0].url, "http://kraken.test/0/private/TradeBalance");
	assert_string_equal(fake_header(&T->f, 0, "API-Key"), "KEY");
	assert_true(strncmp(body(0), "asset=XBT&nonce=", 16) == 0);
	assert_int_equal(spot_rest_counter_level(T->sr), 1000); /* an ordinary private call */
	fake_respond_fixture(&T->f, 0, "trade_balance.json");
	assert_int_equal(T->s.n, 1);
	assert_int_equal(T->s.o.rc, 0);
	assert_true(dec_eq(T->s.tb.eb, D("1101.3425")));
	assert_true(dec_eq(T->s.tb.e, D("382.2032")));
	assert_true(dec_eq(T->s.tb.mf, D("375.1678")));
	assert_true(dec_eq(T->s.tb.ml, D("5432.57")));
	assert_true(dec_eq(T->s.tb.n, D("-10.0232")));

	/* no asset: Kraken's default, only the nonce is sent */
	assert_int_equal(spot_rest_trade_balance(T->sr, NULL, on_tb, T, &e), 0);
	fake_run(&T->f);
	assert_true(strncmp(body(1), "nonce=", 6) == 0);
	fake_respond_fixture(&T->f, 1, "error_funds.json");
	assert_int_equal(T->s.o.rc, 1);
	assert_false(T->s.has_result);
	assert_string_equal(T->s.o.code, "EOrder:Insufficient funds");

	/* a session without a key refuses at once */
	struct spot_rest_cfg cfg = {.base_url = "http://kraken.test"};
	struct spot_rest *pub = spot_rest_new(NULL, &T->st, &cfg, NULL);
	assert_int_equal(spot_rest_trade_balance(pub, NULL, on_tb, T, &e), -1);
	assert_int_equal(spot_rest_ledgers(pub, NULL, NULL, on_ledgers, T, &e), -1);
	assert_non_null(strstr(e.msg, "key"));
	spot_rest_free(pub);
	assert_int_equal(T->s.n, 2);
}

static void ledgers(void **s)
{
	(void)s;
	struct kerr e = KERR_INIT;
	struct spot_ledger_query q = {
	        .asset = "BTC,ZUSD", .type = "trade", .start = 1688400000, .ofs = 50};
	assert_int_equal(spot_rest_ledgers(T->sr, &T->st, &q, on_ledgers, T, &e), 0);
	fake_run(&T->f);
	assert_string_equal(T->f.calls[0].url, "http://kraken.test/0/private/Ledgers");
	assert_true(strncmp(body(0), "asset=XBT%2CZUSD&nonce=", 23) == 0);
	assert_non_null(strstr(body(0), "&ofs=50&start=1688400000&type=trade"));
	/* ledger calls are heavy: 4 units on the REST counter, not 1 */
	assert_int_equal(spot_rest_counter_level(T->sr), 4000);
	fake_respond_fixture(&T->f, 0, "ledgers.json");
	assert_int_equal(T->s.n, 1);
	assert_int_equal(T->s.o.rc, 0);
	assert_int_equal(T->s.nres, 3);
	assert_int_equal(T->s.count, 3);
	const struct spot_ledger *btc = NULL;
	for (size_t i = 0; i < 3; i++)
		if (strcmp(T->s.ledgers[i].id, "LMKZCZ-Z3GVL-CXKK4H") == 0)
			btc = &T->s.ledgers[i];
	assert_non_null(btc);
	assert_string_equal(btc->asset, "BTC");
	assert_string_equal(btc->refid, "TBZIP2-F6QOU-TMB6FY");
	assert_string_equal(btc->type, "trade");
	assert_true(dec_eq(btc->amount, D("0.0015")));
	assert_true(dec_eq(btc->balance, D("1.2435")));
	assert_int_equal(btc->time_ms, 1688444262888);
	/* and into the state's account log */
	assert_int_equal(T->st.nalog, 3);

	/* two more bring the Starter counter (max 15) to 12: a third waits its turn */
	for (int i = 0; i < 3; i++)
		assert_int_equal(spot_rest_ledgers(T->sr, NULL, NULL, on_ledgers, T, &e), 0);
	fake_run(&T->f);
	for (int i = 1; i <= 2; i++) {
		assert_true(strncmp(body(i), "nonce=", 6) == 0);
		fake_respond_fixture(&T->f, i, "ledgers.json");
	}
	assert_int_equal(T->f.ncalls, 3);
	assert_int_equal(spot_rest_counter_level(T->sr), 12000);
	assert_int_equal(spot_rest_queued(T->sr), 1);
	fake_advance(&T->f, 2000);
	assert_int_equal(T->f.ncalls, 3);
	fake_advance(&T->f, 2000); /* 16 - 15 units at 0.33/s: about 3 s */
	assert_int_equal(T->f.ncalls, 4);

	/* a refusal, and without_count */
	fake_respond(&T->f, 3, 200, "{\"error\":[\"EGeneral:Permission denied\"]}");
	assert_int_equal(T->s.o.rc, 1);
	assert_int_equal(T->s.o.cls, KE_AUTH);
	assert_string_equal(T->s.o.code, "EGeneral:Permission denied");
	struct spot_ledger_query q2 = {.without_count = true};
	assert_int_equal(spot_rest_ledgers(T->sr, NULL, &q2, on_ledgers, T, &e), 0);
	fake_advance(&T->f, 20000);
	assert_int_equal(T->f.ncalls, 5);
	assert_true(strncmp(body(4), "nonce=", 6) == 0);
	assert_non_null(strstr(body(4), "&without_count=true"));
	fake_respond(&T->f, 4, 200, "{\"error\":[],\"result\":{\"ledger\":{}}}");
	assert_int_equal(T->s.o.rc, 0);
	assert_int_equal(T->s.nres, 0);
	assert_int_equal(T->s.count, -1);
}

/* ---- trading ---- */

static void edit_order(void **s)
{
	(void)s;
	struct kerr e = KERR_INIT;
	open_order(ORIG, "", 2000);
	dec_t vol = D("0.0003");
	struct spot_price px = {.v = D("19500")};
	struct spot_edit_req req = {.txid = ORIG, .pair = "XBTUSD", .volume = &vol, .price = &px};
	assert_int_equal(spot_rest_edit_order(T->sr, &T->st, &req, on_edit, T, &e), 0);
	fake_run(&T->f);
	assert_string_equal(T->f.calls[0].url, "http://kraken.test/0/private/EditOrder");
	assert_true(strncmp(body(0), "nonce=", 6) == 0);
	assert_non_null(strstr(body(0), "&pair=XBTUSD&price=19500&txid=" ORIG "&volume=0.0003"));
	/* an edit of a 2 s old order: 1 + 6 on the pair's counter, nothing on the REST counter */
	assert_int_equal(spot_rest_trade_level(T->sr, "XXBTZUSD"), 7000);
	assert_int_equal(spot_rest_counter_level(T->sr), 0);
	fake_respond_fixture(&T->f, 0, "edit_order.json");
	assert_int_equal(T->s.n, 1);
	assert_int_equal(T->s.o.rc, 0);
	assert_true(T->s.edit.ok);
	assert_string_equal(T->s.edit.txid, "OFVXHJ-KPQ3B-VS7ELA");
	assert_string_equal(T->s.edit.originaltxid, ORIG);
	const struct order *o = state_order_get(&T->st, ORIG);
	assert_int_equal(o->status, OS_CANCELLED);
	assert_non_null(strstr(o->reason, "OFVXHJ-KPQ3B-VS7ELA"));

	/* refused in the envelope, or inside the result ("status":"Err") */
	open_order("O2", "", 600000);
	req.txid = "O2";
	assert_int_equal(spot_rest_edit_order(T->sr, &T->st, &req, on_edit, T, &e), 0);
	fake_run(&T->f);
	fake_respond_fixture(&T->f, 1, "error_funds.json");
	assert_int_equal(T->s.o.rc, 1);
	assert_false(T->s.has_result);
	assert_string_equal(T->s.o.code, "EOrder:Insufficient funds");
	assert_int_equal(spot_rest_edit_order(T->sr, &T->st, &req, on_edit, T, &e), 0);
	fake_run(&T->f);
	fake_respond(&T->f, 2, 200,
	             "{\"error\":[],\"result\":{\"status\":\"Err\",\"error_message\":"
	             "\"Order not found\"}}");
	assert_int_equal(T->s.o.rc, 1);
	assert_true(T->s.has_result);
	assert_false(T->s.edit.ok);
	assert_non_null(strstr(T->s.o.message, "Order not found"));
	assert_int_equal(state_order_get(&T->st, "O2")->status, OS_OPEN);

	/* validate only: an answer without status or txid is fine; nothing changes */
	req.validate = true;
	assert_int_equal(spot_rest_edit_order(T->sr, &T->st, &req, on_edit, T, &e), 0);
	fake_run(&T->f);
	assert_non_null(strstr(body(3), "&validate=true"));
	fake_respond(&T->f, 3, 200,
	             "{\"error\":[],\"result\":{\"descr\":{\"order\":\"buy 0.00030000 XBTUSD @ "
	             "limit 19500.0\"}}}");
	assert_int_equal(T->s.o.rc, 0);
	assert_true(T->s.has_result);
	assert_string_equal(T->s.edit.descr, "buy 0.00030000 XBTUSD @ limit 19500.0");
	assert_int_equal(state_order_get(&T->st, "O2")->status, OS_OPEN);
	req.validate = false;

	/* lost answer: reported unknown, never sent again */
	assert_int_equal(spot_rest_edit_order(T->sr, &T->st, &req, on_edit, T, &e), 0);
	fake_run(&T->f);
	fake_fail(&T->f, 4, HTTP_E_TIMEOUT, "timed out");
	fake_advance(&T->f, 60000);
	assert_int_equal(T->s.n, 5);
	assert_int_equal(T->s.o.rc, -1);
	assert_true(T->s.o.unknown);
	assert_non_null(strstr(T->s.o.message, "outcome is unknown"));
	assert_int_equal(fake_count(&T->f, "/0/private/EditOrder"), 5);

	/* refused before sending */
	req.pair = NULL;
	assert_int_equal(spot_rest_edit_order(T->sr, &T->st, &req, on_edit, T, &e), -1);
	assert_int_equal(T->f.ncalls, 5);
}

static struct order_req batch_req(const char *cl, const char *price, enum side side)
{
	struct order_req r;
	memset(&r, 0, sizeof r);
	r.instr = SRT_BTCUSD;
	r.type = OT_LIMIT;
	r.side = side;
	r.qty = D("0.5");
	r.limit_price = D(price);
	snprintf(r.cl_id, sizeof r.cl_id, "%s", cl);
	return r;
}

static void add_order_batch(void **s)
{
	(void)s;
	struct kerr e = KERR_INIT;
	struct order_req reqs[3] = {batch_req("kt-1", "27500", SIDE_BUY),
	                            batch_req("kt-2", "27000", SIDE_BUY),
	                            batch_req("kt-3", "31000", SIDE_SELL)};
	assert_int_equal(
	        spot_rest_add_order_batch(T->sr, &T->st, reqs, 3, NULL, false, on_batch, T, &e), 0);
	fake_run(&T->f);
	assert_string_equal(T->f.calls[0].url, "http://kraken.test/0/private/AddOrderBatch");
	assert_string_equal(fake_header(&T->f, 0, "Content-Type"), "application/json");
	assert_true(strncmp(body(0), "{\"nonce\":\"", 10) == 0);
	assert_non_null(strstr(body(0), "\"orders\":[{"));
	assert_non_null(strstr(body(0), "\"cl_ord_id\":\"kt-2\""));
	assert_non_null(strstr(body(0), "\"pair\":\"XBTUSD\""));
	/* a batch of three costs 3/2 on the pair's counter */
	assert_int_equal(spot_rest_trade_level(T->sr, "XXBTZUSD"), 1500);
	fake_respond_fixture(&T->f, 0, "add_order_batch.json");
	assert_int_equal(T->s.n, 1);
	assert_int_equal(T->s.o.rc, 0);
	assert_int_equal(T->s.nres, 3);
	assert_string_equal(T->s.batch[0].txid, "OUF4EM-FRGI2-MQMWZD");
	assert_string_equal(T->s.batch[0].error, "");
	assert_string_equal(T->s.batch[1].error, "EOrder:Insufficient funds");
	assert_string_equal(T->s.batch[2].txid, "OCF5EM-FRGI2-MQMWZD");

	/* validate and deadline are sent; a refusal of the whole batch */
	assert_int_equal(spot_rest_add_order_batch(T->sr, &T->st, reqs, 2, "2023-11-14T22:13:30Z",
	                                           true, on_batch, T, &e),
	                 0);
	fake_run(&T->f);
	assert_non_null(strstr(body(1), "\"deadline\":\"2023-11-14T22:13:30Z\""));
	assert_non_null(strstr(body(1), "\"validate\":true"));
	fake_respond(&T->f, 1, 200, "{\"error\":[\"EGeneral:Invalid arguments:orders\"]}");
	assert_int_equal(T->s.o.rc, 1);
	assert_false(T->s.has_result);
	assert_string_equal(T->s.o.code, "EGeneral:Invalid arguments:orders");
	assert_non_null(strstr(T->s.o.message, "orders"));

	/* HTTP 5xx: unknown outcome, never sent again */
	assert_int_equal(
	        spot_rest_add_order_batch(T->sr, &T->st, reqs, 2, NULL, false, on_batch, T, &e), 0);
	fake_run(&T->f);
	fake_respond(&T->f, 2, 502, "bad gateway");
	fake_advance(&T->f, 60000);
	assert_int_equal(T->s.o.rc, -1);
	assert_true(T->s.o.unknown);
	assert_non_null(strstr(T->s.o.message, "check your open orders"));
	assert_int_equal(fake_count(&T->f, "/0/private/AddOrderBatch"), 3);

	/* one order is not a batch: refused before sending */
	assert_int_equal(
	        spot_rest_add_order_batch(T->sr, &T->st, reqs, 1, NULL, false, on_batch, T, &e),
	        -1);
	assert_int_equal(T->f.ncalls, 3);
	assert_int_equal(T->s.n, 3);
}

static void cancel_order_batch(void **s)
{
	(void)s;
	struct kerr e = KERR_INIT;
	open_order("O1", "", 2000);
	open_order("O2", "kt-9", 100000);
	const char *tx[] = {"O1"};
	const char *cl[] = {"kt-9"};
	assert_int_equal(spot_rest_cancel_order_batch(T->sr, &T->st, tx, 1, cl, 1, on_count, T, &e),
	                 0);
	fake_run(&T->f);
	assert_string_equal(T->f.calls[0].url, "http://kraken.test/0/private/CancelOrderBatch");
	assert_string_equal(fake_header(&T->f, 0, "Content-Type"), "application/json");
	assert_true(strncmp(body(0), "{\"cl_ord_ids\":[\"kt-9\"],\"nonce\":\"", 32) == 0);
	assert_non_null(strstr(body(0), "\",\"orders\":[\"O1\"]}"));
	/* cancels by age: 8 (2 s) + 1 (100 s) */
	assert_int_equal(spot_rest_trade_level(T->sr, "XXBTZUSD"), 9000);
	fake_respond_fixture(&T->f, 0, "cancel_batch.json");
	assert_int_equal(T->s.n, 1);
	assert_int_equal(T->s.o.rc, 0);
	assert_int_equal(T->s.count, 2);
	assert_int_equal(state_order_get(&T->st, "O1")->status, OS_CANCELLED);

	/* a refusal */
	const char *tx2[] = {"OX", "OY"};
	assert_int_equal(
	        spot_rest_cancel_order_batch(T->sr, &T->st, tx2, 2, NULL, 0, on_count, T, &e), 0);
	fake_run(&T->f);
	assert_true(strncmp(body(1), "{\"nonce\":\"", 10) == 0);
	assert_non_null(strstr(body(1), "\"orders\":[\"OX\",\"OY\"]}"));
	fake_respond(&T->f, 1, 200, "{\"error\":[\"EOrder:Unknown order\"]}");
	assert_int_equal(T->s.o.rc, 1);
	assert_string_equal(T->s.o.code, "EOrder:Unknown order");
	assert_int_equal(T->s.count, 0);

	/* too many ids: refused before sending */
	const char *many[51];
	for (int i = 0; i < 51; i++)
		many[i] = "OZ";
	assert_int_equal(
	        spot_rest_cancel_order_batch(T->sr, &T->st, many, 51, NULL, 0, on_count, T, &e),
	        -1);
	assert_non_null(strstr(e.msg, "1 to 50"));
	assert_int_equal(T->f.ncalls, 2);
	assert_int_equal(T->s.n, 2);
}

static void free_with_pending_typed_calls(void **s)
{
	(void)s;
	/* queued and in flight: dropped without callbacks */
	assert_int_equal(spot_rest_time(T->sr, on_time, T, NULL), 0);
	assert_int_equal(spot_rest_ledgers(T->sr, &T->st, NULL, on_ledgers, T, NULL), 0);
	assert_int_equal(spot_rest_trade_balance(T->sr, NULL, on_tb, T, NULL), 0);
	fake_run(&T->f);
	spot_rest_free(T->sr);
	T->sr = NULL;
	assert_int_equal(T->s.n, 0);
}

int main(void)
{
#define U(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
	        U(time_status_assets),
	        U(trade_balance),
	        U(ledgers),
	        U(edit_order),
	        U(add_order_batch),
	        U(cancel_order_batch),
	        U(free_with_pending_typed_calls),
	};
	return kt_run_tests(tests);
}
