/* test_spot_rest_srv: the paper exchange's Spot REST adapter over real HTTP
 * (paper_start on a loopback port, requests signed by the real client) —
 * Kraken's JSON shapes for the public endpoints, the exact error string for
 * every bad AddOrder and that a refused request changes nothing, the
 * trading endpoints' answers (descr texts, txid arrays, batches checked as a
 * whole), self-trade prevention in its three modes (stptype), volume=0 closing
 * a margin position, the dead man's switch, transfers and WebSocket tokens. */
#include <stdlib.h>
#include <string.h>

#include "paper/server.h"
#include "tests/unit/spot_rest_srv_util.h"
#include "tests/unit/unit.h"

static struct srv_h *H;

static int setup(void **s)
{
	(void)s;
	H = calloc(1, sizeof *H);
	srvh_start(H);
	return 0;
}

static int teardown(void **s)
{
	(void)s;
	srvh_stop(H);
	free(H);
	return 0;
}

#define PRIV SRVH_PRIV

static void expect_error(const char *want)
{
	if (H->rc != 1 || strcmp(H->error, want) != 0)
		fail_msg("want error \"%s\", got rc %d: %s", want, H->rc, H->body);
}

static dec_t usd_available(void)
{
	struct px_balance b;
	assert_int_equal(px_spot_balance(H->px, 1, PX_A_USD, &b), 0);
	return b.available;
}

static void public_endpoints(void **s)
{
	(void)s;
	assert_int_equal(srvh_call(H, "Time", 0, NULL), 0);
	assert_string_equal(H->body, "{\"error\":[],\"result\":{\"unixtime\":1700000000,"
				     "\"rfc1123\":\"Tue, 14 Nov 23 22:13:20 +0000\"}}");
	assert_int_equal(srvh_call(H, "SystemStatus", 0, NULL), 0);
	assert_string_equal(srvh_str(H, "status", NULL, NULL), "online");
	assert_string_equal(srvh_str(H, "timestamp", NULL, NULL), "2023-11-14T22:13:20Z");
	H->p->faults.system = PAPER_SYS_CANCEL_ONLY;
	assert_int_equal(srvh_call(H, "SystemStatus", 0, NULL), 0);
	assert_string_equal(srvh_str(H, "status", NULL, NULL), "cancel_only");
	H->p->faults.system = PAPER_SYS_ONLINE;

	assert_int_equal(srvh_call(H, "Assets", 0, "asset", "XBT,USD", NULL), 0);
	assert_int_equal(jtok_size(&H->doc, H->res), 2);
	assert_string_equal(srvh_str(H, "XXBT", "altname", NULL), "XBT");
	assert_string_equal(srvh_str(H, "ZUSD", "aclass", NULL), "currency");
	assert_int_equal(srvh_call(H, "Assets", 0, "asset", "FOO", NULL), 1);
	expect_error("EQuery:Unknown asset");

	/* any name of a pair answers keyed by the canonical id */
	assert_int_equal(srvh_call(H, "AssetPairs", 0, "pair", "BTC/USD", NULL), 0);
	assert_string_equal(srvh_str(H, "XXBTZUSD", "altname", NULL), "XBTUSD");
	assert_string_equal(srvh_str(H, "XXBTZUSD", "wsname", NULL), "XBT/USD");
	assert_string_equal(srvh_str(H, "XXBTZUSD", "tick_size", NULL), "0.1");
	assert_string_equal(srvh_str(H, "XXBTZUSD", "ordermin", NULL), "0.00005");
	assert_string_equal(srvh_str(H, "XXBTZUSD", "pair_decimals", NULL), "1");
	assert_int_equal(srvh_call(H, "AssetPairs", 0, "pair", "XBTUSD,ETHXBT", "info", "fees",
				   NULL),
			 0);
	assert_int_equal(jtok_size(&H->doc, jobj_get(&H->doc, H->res, "XETHXXBT")), 3);
	assert_int_equal(srvh_call(H, "AssetPairs", 0, "pair", "NOPE", NULL), 1);
	expect_error("EQuery:Unknown asset pair");
	assert_int_equal(srvh_call(H, "AssetPairs", 0, "info", "everything", NULL), 1);
	expect_error("EGeneral:Invalid arguments:info");

	/* unknown method: 404 with Kraken's error */
	assert_int_equal(srvh_call(H, "Moon", 0, NULL), 1);
	assert_int_equal(H->http, 404);
	expect_error("EGeneral:Unknown method");
	assert_int_equal(srvh_call(H, "Balance", 0, NULL), 1); /* private name on the public path */
	assert_int_equal(H->http, 404);
}

static void market_data(void **s)
{
	(void)s;
	srvh_seed(H, "BTC/USD", ENGINE_SELL, "60010", "0.5");
	srvh_seed(H, "BTC/USD", ENGINE_SELL, "60020", "1");
	srvh_seed(H, "BTC/USD", ENGINE_BUY, "59990", "0.7");
	assert_int_equal(srvh_call(H, "Depth", 0, "pair", "XBTUSD", "count", "1", NULL), 0);
	int asks = jpath(&H->doc, H->res, "XXBTZUSD", "asks", NULL);
	assert_int_equal(jtok_size(&H->doc, asks), 1);
	char b[32];
	jtok_str(&H->doc, jpath(&H->doc, asks, "0", "0", NULL), b, sizeof b);
	assert_string_equal(b, "60010.0");
	jtok_str(&H->doc, jpath(&H->doc, asks, "0", "1", NULL), b, sizeof b);
	assert_string_equal(b, "0.50000000");
	assert_int_equal(srvh_call(H, "Depth", 0, "pair", "XBTUSD,ETHUSD", NULL), 1);
	expect_error("EGeneral:Invalid arguments:pair");
	assert_int_equal(srvh_call(H, "Depth", 0, "pair", "XBTUSD", "count", "0", NULL), 1);
	expect_error("EGeneral:Invalid arguments:count");

	/* a trade: account 1 buys into the ask */
	assert_int_equal(srvh_call(H, "AddOrder", PRIV, "pair", "XBTUSD", "type", "buy", "ordertype",
				   "market", "volume", "0.25", NULL),
			 0);
	assert_int_equal(srvh_call(H, "Trades", 0, "pair", "BTC/USD", NULL), 0);
	int tr = jpath(&H->doc, H->res, "XXBTZUSD", NULL);
	assert_int_equal(jtok_size(&H->doc, tr), 1);
	jtok_str(&H->doc, jpath(&H->doc, tr, "0", "3", NULL), b, sizeof b);
	assert_string_equal(b, "b");
	jtok_str(&H->doc, jpath(&H->doc, tr, "0", "4", NULL), b, sizeof b);
	assert_string_equal(b, "m");
	assert_string_equal(srvh_str(H, "last", NULL, NULL), "1700000000000000000");
	assert_int_equal(srvh_call(H, "OHLC", 0, "pair", "XBTUSD", "interval", "5", NULL), 0);
	assert_true(jtok_size(&H->doc, jpath(&H->doc, H->res, "XXBTZUSD", NULL)) >= 1);
	assert_int_equal(srvh_call(H, "OHLC", 0, "pair", "XBTUSD", "interval", "7", NULL), 1);
	expect_error("EGeneral:Invalid arguments:interval");
	assert_int_equal(srvh_call(H, "Spread", 0, "pair", "XBTUSD", NULL), 0);
	assert_int_equal(srvh_call(H, "Ticker", 0, NULL), 0);
	assert_true(jtok_size(&H->doc, H->res) >= 6);

}

/* Each bad AddOrder gets Kraken's exact error and changes nothing. */
static void add_order_errors(void **s)
{
	(void)s;
	srvh_seed(H, "BTC/USD", ENGINE_SELL, "60010", "0.5");
	dec_t usd = usd_available();
#define BAD(want, ...)                                                                             \
	do {                                                                                       \
		assert_int_equal(srvh_call(H, "AddOrder", PRIV, __VA_ARGS__, NULL), 1);            \
		expect_error(want);                                                                \
		assert_int_equal(srvh_px_open(H), 0);                                              \
		assert_true(dec_eq(usd_available(), usd));                                         \
	} while (0)
#define LIM "type", "buy", "ordertype", "limit"
	BAD("EQuery:Unknown asset pair", "pair", "NOPE", LIM, "volume", "1", "price", "1");
	BAD("EGeneral:Invalid arguments:pair", LIM, "volume", "1", "price", "1");
	BAD("EGeneral:Invalid arguments:type", "pair", "XBTUSD", "type", "hold", "ordertype", "limit",
	    "volume", "1", "price", "1");
	BAD("EGeneral:Invalid arguments:ordertype", "pair", "XBTUSD", "type", "buy", "ordertype",
	    "moon", "volume", "1");
	BAD("EGeneral:Invalid arguments:volume", "pair", "XBTUSD", LIM, "price", "50000");
	BAD("EGeneral:Invalid arguments:volume", "pair", "XBTUSD", LIM, "volume", "1e3", "price",
	    "50000");
	BAD("EGeneral:Invalid arguments:price", "pair", "XBTUSD", LIM, "volume", "0.1");
	BAD("EGeneral:Invalid arguments:price", "pair", "XBTUSD", LIM, "volume", "0.1", "price",
	    "abc");
	BAD("EGeneral:Invalid arguments:price", "pair", "XBTUSD", LIM, "volume", "0.1", "price",
	    "5%");
	BAD("EOrder:Invalid price", "pair", "XBTUSD", LIM, "volume", "0.1", "price", "50000.05");
	BAD("EOrder:Order minimum not met", "pair", "XBTUSD", LIM, "volume", "0.00001", "price",
	    "50000");
	BAD("EOrder:Cost minimum not met", "pair", "XBTUSD", LIM, "volume", "0.00005", "price",
	    "1000");
	BAD("EOrder:Insufficient funds", "pair", "XBTUSD", LIM, "volume", "10", "price", "50000");
	BAD("EGeneral:Invalid arguments:price", "pair", "XBTUSD", "type", "sell", "ordertype",
	    "trailing-stop", "volume", "0.1", "price", "50");
	BAD("EGeneral:Invalid arguments:price2", "pair", "XBTUSD", "type", "sell", "ordertype",
	    "trailing-stop-limit", "volume", "0.1", "price", "+50", "price2", "10");
	BAD("EGeneral:Invalid arguments:price2", "pair", "XBTUSD", "type", "sell", "ordertype",
	    "stop-loss-limit", "volume", "0.1", "price", "50000");
	BAD("EGeneral:Invalid arguments:displayvol", "pair", "XBTUSD", "type", "buy", "ordertype",
	    "iceberg", "volume", "1", "price", "50000");
	BAD("EGeneral:Invalid arguments:expiretm", "pair", "XBTUSD", LIM, "volume", "0.1", "price",
	    "50000", "timeinforce", "GTD");
	BAD("EGeneral:Invalid arguments:timeinforce", "pair", "XBTUSD", LIM, "volume", "0.1",
	    "price", "50000", "timeinforce", "FOK");
	BAD("EGeneral:Invalid arguments:cl_ord_id", "pair", "XBTUSD", LIM, "volume", "0.1", "price",
	    "50000", "userref", "7", "cl_ord_id", "abc");
	BAD("EGeneral:Invalid arguments:cl_ord_id", "pair", "XBTUSD", LIM, "volume", "0.1", "price",
	    "50000", "cl_ord_id", "this-is-far-too-long-for-kraken");
	BAD("EGeneral:Invalid arguments:oflags", "pair", "XBTUSD", "type", "buy", "ordertype",
	    "market", "volume", "0.1", "oflags", "post");
	BAD("EGeneral:Invalid arguments:oflags", "pair", "XBTUSD", LIM, "volume", "0.1", "price",
	    "50000", "oflags", "fcib,fciq");
	BAD("EGeneral:Invalid arguments:oflags", "pair", "XBTUSD", "type", "sell", "ordertype",
	    "market", "volume", "0.1", "oflags", "viqc");
	BAD("EGeneral:Invalid arguments:oflags", "pair", "XBTUSD", LIM, "volume", "0.1", "price",
	    "50000", "oflags", "rocket");
	BAD("EGeneral:Invalid arguments:close[ordertype]", "pair", "XBTUSD", LIM, "volume", "0.1",
	    "price", "50000", "close[ordertype]", "market", "close[price]", "1");
	BAD("EGeneral:Invalid arguments:close[price2]", "pair", "XBTUSD", LIM, "volume", "0.1",
	    "price", "50000", "close[ordertype]", "stop-loss-limit", "close[price]", "45000");
	BAD("EService:Deadline elapsed", "pair", "XBTUSD", LIM, "volume", "0.1", "price", "50000",
	    "deadline", "2023-11-14T22:13:19Z");
	BAD("EGeneral:Invalid arguments:deadline", "pair", "XBTUSD", LIM, "volume", "0.1", "price",
	    "50000", "deadline", "2023-11-14T22:15:00Z");
	BAD("EGeneral:Invalid arguments:stptype", "pair", "XBTUSD", LIM, "volume", "0.1", "price",
	    "50000", "stptype", "cancel_newest");
	BAD("EGeneral:Invalid arguments:trigger", "pair", "XBTUSD", "type", "sell", "ordertype",
	    "stop-loss", "volume", "0.1", "price", "50000", "trigger", "mark");
	BAD("EGeneral:Invalid arguments:leverage", "pair", "XBTUSD", LIM, "volume", "0.1", "price",
	    "50000", "leverage", "7");
	BAD("EOrder:Post only order", "pair", "XBTUSD", LIM, "volume", "0.1", "price", "60020",
	    "oflags", "post");
	BAD("EOrder:Reduce only:No position exists", "pair", "XBTUSD", "type", "sell", "ordertype",
	    "settle-position", "volume", "0", "leverage", "2");
	H->p->faults.system = PAPER_SYS_CANCEL_ONLY;
	BAD("EService:Market in cancel_only mode", "pair", "XBTUSD", LIM, "volume", "0.1", "price",
	    "50000");
	H->p->faults.system = PAPER_SYS_POST_ONLY;
	BAD("EService:Market in post_only mode", "pair", "XBTUSD", LIM, "volume", "0.1", "price",
	    "50000");
	H->p->faults.system = PAPER_SYS_MAINTENANCE;
	BAD("EService:Unavailable", "pair", "XBTUSD", LIM, "volume", "0.1", "price", "50000");
	H->p->faults.system = PAPER_SYS_ONLINE;
	/* validate: described, nothing placed */
	assert_int_equal(srvh_call(H, "AddOrder", PRIV, "pair", "XBTUSD", LIM, "volume", "0.1",
				   "price", "50000", "validate", "true", NULL),
			 0);
	assert_string_equal(srvh_str(H, "descr", "order", NULL),
			    "buy 0.10000000 XBTUSD @ limit 50000.0");
	assert_int_equal(jobj_get(&H->doc, H->res, "txid"), -1);
	assert_int_equal(srvh_px_open(H), 0);
#undef BAD
#undef LIM
}

static void add_order_shapes(void **s)
{
	(void)s;
	/* form body, conditional close, relative limit */
	assert_int_equal(srvh_call(H, "AddOrder", PRIV, "pair", "XBTUSD", "type", "buy", "ordertype",
				   "limit", "volume", "0.5", "price", "50000", "cl_ord_id", "my-order-1",
				   "close[ordertype]", "stop-loss-limit", "close[price]", "45000",
				   "close[price2]", "44900", NULL),
			 0);
	assert_string_equal(srvh_str(H, "descr", "order", NULL),
			    "buy 0.50000000 XBTUSD @ limit 50000.0");
	assert_string_equal(srvh_str(H, "descr", "close", NULL),
			    "close position @ stop loss 45000.0 -> limit 44900.0");
	int tx = jpath(&H->doc, H->res, "txid", NULL);
	assert_true(jtok_is(&H->doc, tx, J_ARR));
	char txid[48];
	jtok_str(&H->doc, jarr_at(&H->doc, tx, 0), txid, sizeof txid);
	assert_int_equal(strlen(txid), 19); /* OXXXXX-XXXXX-XXXXXX */

	/* JSON body with a nested close and a relative trailing offset */
	assert_int_equal(srvh_call(H, "AddOrder", PRIV | SRVH_JSON, "pair", "BTC/USD", "type", "sell",
				   "ordertype", "trailing-stop", "volume", "0.25", "price", "+1.5%",
				   "userref", "77", NULL),
			 0);
	assert_string_equal(srvh_str(H, "descr", "order", NULL),
			    "sell 0.25000000 XBTUSD @ trailing stop +1.5%");
	assert_int_equal(srvh_px_open(H), 2);
	/* good-till-date, absolute and relative */
	assert_int_equal(srvh_call(H, "AddOrder", PRIV, "pair", "XBTUSD", "type", "buy", "ordertype",
				   "limit", "volume", "0.01", "price", "40000", "timeinforce", "GTD",
				   "expiretm", "1700003600", NULL),
			 0);
	assert_int_equal(srvh_call(H, "AddOrder", PRIV, "pair", "XBTUSD", "type", "buy", "ordertype",
				   "limit", "volume", "0.01", "price", "40000", "timeinforce", "GTD",
				   "expiretm", "+60", "starttm", "0", NULL),
			 0);
	H->now_ns += 61LL * 1000000000LL;
	assert_int_equal(srvh_call(H, "Time", 0, NULL), 0);
	assert_int_equal(srvh_px_open(H), 3); /* the relative one expired */
	assert_int_equal(srvh_call(H, "ClosedOrders", PRIV, "start", "1700000030", NULL), 0);
	assert_string_equal(srvh_str(H, "count", NULL, NULL), "1");

	/* OpenOrders: Kraken's order object */
	assert_int_equal(srvh_call(H, "OpenOrders", PRIV, "cl_ord_id", "my-order-1", NULL), 0);
	int open = jobj_get(&H->doc, H->res, "open");
	assert_int_equal(jtok_size(&H->doc, open), 1);
	int o = jobj_get(&H->doc, open, txid);
	assert_true(o >= 0);
	char b[64];
#define FIELD(path, want)                                                                          \
	do {                                                                                       \
		jtok_str(&H->doc, jpath(&H->doc, o, path, NULL), b, sizeof b);                     \
		assert_string_equal(b, want);                                                      \
	} while (0)
	FIELD("status", "open");
	FIELD("vol", "0.50000000");
	FIELD("vol_exec", "0.00000000");
	FIELD("cl_ord_id", "my-order-1");
	FIELD("oflags", "fciq");
	FIELD("opentm", "1700000000.0000");
	jtok_str(&H->doc, jpath(&H->doc, o, "descr", "price", NULL), b, sizeof b);
	assert_string_equal(b, "50000.0");
	jtok_str(&H->doc, jpath(&H->doc, o, "descr", "close", NULL), b, sizeof b);
	assert_string_equal(b, "close position @ stop loss 45000.0 -> limit 44900.0");
	assert_true(jtok_is(&H->doc, jobj_get(&H->doc, o, "opentm"), J_NUM));
	assert_int_equal(srvh_call(H, "OpenOrders", PRIV, "userref", "77", NULL), 0);
	assert_int_equal(jtok_size(&H->doc, jobj_get(&H->doc, H->res, "open")), 1);
	assert_int_equal(srvh_call(H, "QueryOrders", PRIV, "txid", txid, "trades", "true", NULL), 0);
	assert_true(jtok_is(&H->doc, jpath(&H->doc, H->res, txid, "trades", NULL), J_ARR));
	assert_int_equal(srvh_call(H, "QueryOrders", PRIV, "txid", "ONOPE0-AAAAA-BBBBBB", NULL), 1);
	expect_error("EOrder:Unknown order");
	assert_int_equal(srvh_call(H, "QueryOrders", PRIV, NULL), 1);
	expect_error("EGeneral:Invalid arguments:txid");
#undef FIELD
}

/* The txid of the last AddOrder reply. */
static void last_txid(char *out, size_t cap)
{
	int tx = jpath(&H->doc, H->res, "txid", NULL);
	assert_true(jtok_is(&H->doc, tx, J_ARR));
	jtok_str(&H->doc, jarr_at(&H->doc, tx, 0), out, cap);
}

/* QueryOrders of one order: its status, reason ("" if none) and vol_exec. */
static void order_state(const char *txid, char *status, char *reason, char *vol_exec)
{
	assert_int_equal(srvh_call(H, "QueryOrders", PRIV, "txid", txid, NULL), 0);
	int o = jobj_get(&H->doc, H->res, txid);
	assert_true(o >= 0);
	jtok_str(&H->doc, jobj_get(&H->doc, o, "status"), status, 32);
	int r = jobj_get(&H->doc, o, "reason");
	reason[0] = '\0';
	if (r >= 0 && jtok_is(&H->doc, r, J_STR))
		jtok_str(&H->doc, r, reason, 64);
	jtok_str(&H->doc, jobj_get(&H->doc, o, "vol_exec"), vol_exec, 32);
}

/* One self-trade: our own sell 0.1 @ 60000 rests in front of the market's sell
 * 0.1 @ 60010; a buy 0.1 @ 60010 with `stp` (NULL: none given) would trade
 * with our own order first. `own` and `taker` get the txids. */
static void self_trade(const char *stp, char own[48], char taker[48])
{
	assert_int_equal(srvh_call(H, "CancelAll", PRIV, NULL), 0);
	srvh_seed(H, "BTC/USD", ENGINE_SELL, "60010", "0.1");
	assert_int_equal(srvh_call(H, "AddOrder", PRIV, "pair", "XBTUSD", "type", "sell", "ordertype",
				   "limit", "volume", "0.1", "price", "60000", NULL),
			 0);
	last_txid(own, 48);
	if (stp)
		assert_int_equal(srvh_call(H, "AddOrder", PRIV, "pair", "XBTUSD", "type", "buy",
					   "ordertype", "limit", "volume", "0.1", "price", "60010",
					   "stptype", stp, NULL),
				 0);
	else
		assert_int_equal(srvh_call(H, "AddOrder", PRIV, "pair", "XBTUSD", "type", "buy",
					   "ordertype", "limit", "volume", "0.1", "price", "60010",
					   NULL),
				 0);
	last_txid(taker, 48);
}

/* stptype over the wire: cancel-newest (and the default) cancels the incoming
 * order and leaves ours resting; cancel-oldest cancels ours and the incoming
 * order goes on to trade with the market behind it; cancel-both cancels both.
 * No self trade ever happens: the BTC balance only moves by the market fill. */
static void self_trade_prevention(void **s)
{
	(void)s;
	char own[48], taker[48], st[32], why[64], ex[32];
	const char *modes[] = {NULL, "cancel-newest"};
	for (size_t i = 0; i < 2; i++) {
		self_trade(modes[i], own, taker);
		order_state(taker, st, why, ex);
		assert_string_equal(st, "canceled");
		assert_string_equal(why, "Self trade prevention");
		assert_true(dec_eq(srvh_dec(ex), dec_zero()));
		order_state(own, st, why, ex);
		assert_string_equal(st, "open");
		assert_int_equal(srvh_px_open(H), 1);
	}

	self_trade("cancel-oldest", own, taker);
	order_state(own, st, why, ex);
	assert_string_equal(st, "canceled");
	assert_string_equal(why, "Self trade prevention");
	order_state(taker, st, why, ex);
	assert_string_equal(st, "closed"); /* filled by the market's 60010 */
	assert_true(dec_eq(srvh_dec(ex), srvh_dec("0.1")));
	assert_int_equal(srvh_px_open(H), 0);

	self_trade("cancel-both", own, taker);
	order_state(own, st, why, ex);
	assert_string_equal(st, "canceled");
	assert_string_equal(why, "Self trade prevention");
	order_state(taker, st, why, ex);
	assert_string_equal(st, "canceled");
	assert_string_equal(why, "Self trade prevention");
	assert_int_equal(srvh_px_open(H), 0);

	/* one trade in all: the cancel-oldest buy against the market */
	assert_int_equal(srvh_call(H, "TradesHistory", PRIV, NULL), 0);
	assert_string_equal(srvh_str(H, "count", NULL, NULL), "1");
	struct px_balance b;
	assert_int_equal(px_spot_balance(H->px, 1, PX_A_XBT, &b), 0);
	assert_true(dec_eq(b.balance, srvh_dec("2.1")));
}

static size_t open_positions(void)
{
	assert_int_equal(srvh_call(H, "OpenPositions", PRIV, NULL), 0);
	return (size_t)jtok_size(&H->doc, H->res);
}

/* AddOrder with volume=0 and leverage closes the margin position it trades
 * against, for its whole open volume (Kraken: "volume can be specified as 0
 * for closing margin orders"): a sell closes a long. Without leverage, or
 * with nothing to close on that side, it is refused and nothing changes. */
static void margin_close_volume_zero(void **s)
{
	(void)s;
	srvh_seed(H, "BTC/USD", ENGINE_SELL, "60010", "1");
	srvh_seed(H, "BTC/USD", ENGINE_BUY, "59990", "1");
	assert_int_equal(srvh_call(H, "AddOrder", PRIV, "pair", "XBTUSD", "type", "buy", "ordertype",
				   "market", "volume", "0.2", "leverage", "2", NULL),
			 0);
	assert_int_equal(open_positions(), 1);
	assert_int_equal(srvh_call(H, "AddOrder", PRIV, "pair", "XBTUSD", "type", "sell", "ordertype",
				   "market", "volume", "0", NULL),
			 1);
	expect_error("EGeneral:Invalid arguments:volume");
	assert_int_equal(srvh_call(H, "AddOrder", PRIV, "pair", "XBTUSD", "type", "buy", "ordertype",
				   "market", "volume", "0", "leverage", "2", NULL),
			 1);
	expect_error("EOrder:Reduce only:No position exists");
	assert_int_equal(open_positions(), 1);
	assert_int_equal(srvh_px_open(H), 0);

	assert_int_equal(srvh_call(H, "AddOrder", PRIV, "pair", "XBTUSD", "type", "sell", "ordertype",
				   "limit", "price", "59990", "volume", "0", "leverage", "2", NULL),
			 0);
	assert_string_equal(srvh_str(H, "descr", "order", NULL),
			    "sell 0.20000000 XBTUSD @ limit 59990.0 with 2:1 leverage");
	assert_int_equal(open_positions(), 0);
	assert_int_equal(srvh_px_open(H), 0);
	struct px_balance b;
	assert_int_equal(px_spot_balance(H->px, 1, PX_A_XBT, &b), 0);
	assert_true(dec_eq(b.balance, srvh_dec("2"))); /* margin: no BTC moved */
}

static void batches_and_cancels(void **s)
{
	(void)s;
	/* AddOrderBatch: checked as a whole (a bad entry places nothing)... */
	assert_int_equal(srvh_call(H, "AddOrderBatch", PRIV | SRVH_JSON, "pair", "XBTUSD", "orders",
				   "[{\"ordertype\":\"limit\",\"type\":\"buy\",\"volume\":\"0.1\","
				   "\"price\":\"50000\"},{\"ordertype\":\"limit\",\"type\":\"buy\","
				   "\"volume\":\"0.1\"}]",
				   NULL),
			 1);
	expect_error("EGeneral:Invalid arguments:price");
	assert_int_equal(srvh_px_open(H), 0);
	assert_int_equal(srvh_call(H, "AddOrderBatch", PRIV | SRVH_JSON, "pair", "XBTUSD", "orders",
				   "[{\"ordertype\":\"limit\",\"type\":\"buy\",\"volume\":\"0.1\","
				   "\"price\":\"50000\"}]",
				   NULL),
			 1);
	expect_error("EGeneral:Invalid arguments:orders");
	/* ...then each order stands alone (funds) */
	assert_int_equal(srvh_call(H, "AddOrderBatch", PRIV | SRVH_JSON, "pair", "XBTUSD", "orders",
				   "[{\"ordertype\":\"limit\",\"type\":\"buy\",\"volume\":\"0.1\","
				   "\"price\":\"50000\",\"cl_ord_id\":\"b1\"},"
				   "{\"ordertype\":\"limit\",\"type\":\"buy\",\"volume\":\"50\","
				   "\"price\":\"50000\"},"
				   "{\"ordertype\":\"limit\",\"type\":\"sell\",\"volume\":\"0.2\","
				   "\"price\":\"70000\",\"close\":{\"ordertype\":\"limit\","
				   "\"price\":\"65000\"}}]",
				   NULL),
			 0);
	int arr = jobj_get(&H->doc, H->res, "orders");
	assert_int_equal(jtok_size(&H->doc, arr), 3);
	char b[64], t1[48], t3[48];
	jtok_str(&H->doc, jpath(&H->doc, arr, "0", "txid", NULL), t1, sizeof t1);
	jtok_str(&H->doc, jpath(&H->doc, arr, "1", "error", NULL), b, sizeof b);
	assert_string_equal(b, "EOrder:Insufficient funds");
	jtok_str(&H->doc, jpath(&H->doc, arr, "2", "txid", NULL), t3, sizeof t3);
	assert_int_equal(srvh_px_open(H), 2);

	/* CancelOrderBatch: one unknown id cancels nothing */
	char list[200];
	snprintf(list, sizeof list, "[\"%s\",\"ONOPE0-AAAAA-BBBBBB\"]", t1);
	assert_int_equal(srvh_call(H, "CancelOrderBatch", PRIV | SRVH_JSON, "orders", list, NULL), 1);
	expect_error("EOrder:Unknown order");
	assert_int_equal(srvh_px_open(H), 2);
	snprintf(list, sizeof list, "[\"%s\"]", t3);
	assert_int_equal(srvh_call(H, "CancelOrderBatch", PRIV | SRVH_JSON, "orders", list,
				   "cl_ord_ids", "[\"b1\"]", NULL),
			 0);
	assert_string_equal(srvh_str(H, "count", NULL, NULL), "2");
	assert_int_equal(srvh_px_open(H), 0);

	/* CancelOrder by txid, by userref; CancelAll */
	assert_int_equal(srvh_call(H, "CancelOrder", PRIV, "txid", t1, NULL), 1);
	expect_error("EOrder:Unknown order");
	assert_int_equal(srvh_call(H, "CancelOrder", PRIV, NULL), 1);
	expect_error("EGeneral:Invalid arguments:txid");
	for (int i = 0; i < 3; i++)
		assert_int_equal(srvh_call(H, "AddOrder", PRIV, "pair", "XBTUSD", "type", "buy",
					   "ordertype", "limit", "volume", "0.01", "price", "40000",
					   "userref", i < 2 ? "5" : "6", NULL),
				 0);
	assert_int_equal(srvh_call(H, "CancelOrder", PRIV, "txid", "5", NULL), 0);
	assert_string_equal(srvh_str(H, "count", NULL, NULL), "2");
	assert_string_equal(srvh_str(H, "pending", NULL, NULL), "false");
	assert_int_equal(srvh_call(H, "CancelAll", PRIV, NULL), 0);
	assert_string_equal(srvh_str(H, "count", NULL, NULL), "1");
	assert_int_equal(srvh_px_open(H), 0);

	/* the dead man's switch fires on the exchange's clock */
	assert_int_equal(srvh_call(H, "AddOrder", PRIV, "pair", "XBTUSD", "type", "buy", "ordertype",
				   "limit", "volume", "0.01", "price", "40000", NULL),
			 0);
	assert_int_equal(srvh_call(H, "CancelAllOrdersAfter", PRIV, "timeout", "60", NULL), 0);
	assert_string_equal(srvh_str(H, "currentTime", NULL, NULL), "2023-11-14T22:13:20Z");
	assert_string_equal(srvh_str(H, "triggerTime", NULL, NULL), "2023-11-14T22:14:20Z");
	assert_int_equal(srvh_call(H, "CancelAllOrdersAfter", PRIV, "timeout", "86400", NULL), 1);
	expect_error("EGeneral:Invalid arguments:timeout");
	H->now_ns += 61LL * 1000000000LL;
	assert_int_equal(srvh_call(H, "Time", 0, NULL), 0); /* the server ticks before answering */
	assert_int_equal(srvh_px_open(H), 0);
}

static void amend_edit_amends(void **s)
{
	(void)s;
	assert_int_equal(srvh_call(H, "AddOrder", PRIV, "pair", "XBTUSD", "type", "buy", "ordertype",
				   "limit", "volume", "0.5", "price", "50000", "cl_ord_id", "amend-me",
				   NULL),
			 0);
	char txid[48];
	jtok_str(&H->doc, jpath(&H->doc, H->res, "txid", "0", NULL), txid, sizeof txid);
	assert_int_equal(srvh_call(H, "AmendOrder", PRIV, "cl_ord_id", "amend-me", "order_qty",
				   "0.75", "limit_price", "50100", NULL),
			 0);
	assert_true(srvh_str(H, "amend_id", NULL, NULL)[0] != '\0');
	const struct px_order *o = px_order_find(H->px, 1, txid);
	assert_true(dec_eq(o->qty, srvh_dec("0.75")));
	assert_true(dec_eq(o->price, srvh_dec("50100")));
	assert_int_equal(srvh_call(H, "AmendOrder", PRIV, "txid", txid, "cl_ord_id", "amend-me",
				   "order_qty", "1", NULL),
			 1);
	expect_error("EGeneral:Invalid arguments:cl_ord_id");
	assert_int_equal(srvh_call(H, "AmendOrder", PRIV, "txid", txid, "limit_price", "50100.05",
				   NULL),
			 1);
	expect_error("EOrder:Invalid price");
	assert_int_equal(srvh_call(H, "AmendOrder", PRIV, "txid", txid, NULL), 1);
	expect_error("EGeneral:Invalid arguments");
	assert_int_equal(srvh_call(H, "OrderAmends", PRIV, "order_id", txid, NULL), 0);
	assert_string_equal(srvh_str(H, "count", NULL, NULL), "2");
	assert_string_equal(srvh_str(H, "amends", "0", "amend_type"), "original");
	assert_string_equal(srvh_str(H, "amends", "1", "order_qty"), "0.75000000");

	/* EditOrder replaces the order */
	assert_int_equal(srvh_call(H, "EditOrder", PRIV, "txid", txid, "pair", "XBTUSD", "volume",
				   "0.6", "price", "49900", NULL),
			 0);
	assert_string_equal(srvh_str(H, "status", NULL, NULL), "Ok");
	assert_string_equal(srvh_str(H, "originaltxid", NULL, NULL), txid);
	char ntx[48];
	snprintf(ntx, sizeof ntx, "%s", srvh_str(H, "txid", NULL, NULL));
	assert_true(strcmp(ntx, txid) != 0);
	assert_string_equal(srvh_str(H, "descr", "order", NULL),
			    "buy 0.60000000 XBTUSD @ limit 49900.0");
	assert_false(px_order_is_open(px_order_find(H->px, 1, txid)));
	assert_int_equal(srvh_call(H, "EditOrder", PRIV, "txid", ntx, "pair", "ETHUSD", "volume",
				   "1", NULL),
			 1);
	expect_error("EGeneral:Invalid arguments:pair");
	assert_int_equal(srvh_call(H, "EditOrder", PRIV, "txid", txid, "pair", "XBTUSD", "volume",
				   "1", NULL),
			 1);
	expect_error("EOrder:Unknown order");
	assert_int_equal(srvh_px_open(H), 1);
}

static void account_reads_transfer_token(void **s)
{
	(void)s;
	srvh_seed(H, "BTC/USD", ENGINE_SELL, "60000", "1");
	assert_int_equal(srvh_call(H, "AddOrder", PRIV, "pair", "XBTUSD", "type", "buy", "ordertype",
				   "limit", "volume", "0.5", "price", "60000", NULL),
			 0);
	assert_int_equal(srvh_call(H, "Balance", PRIV, NULL), 0);
	assert_string_equal(srvh_str(H, "XXBT", NULL, NULL), "2.5000000000");
	assert_int_equal(srvh_call(H, "BalanceEx", PRIV, NULL), 0);
	assert_string_equal(srvh_str(H, "XXBT", "hold_trade", NULL), "0.0000000000");
	assert_int_equal(srvh_call(H, "TradeBalance", PRIV, NULL), 0);
	assert_true(srvh_str(H, "eb", NULL, NULL)[0] != '\0');
	assert_int_equal(srvh_call(H, "TradeBalance", PRIV, "asset", "FOO", NULL), 1);
	expect_error("EQuery:Unknown asset");
	assert_int_equal(srvh_call(H, "TradesHistory", PRIV, "ledgers", "true", NULL), 0);
	assert_string_equal(srvh_str(H, "count", NULL, NULL), "1");
	int trades = jobj_get(&H->doc, H->res, "trades");
	char tid[48];
	jtok_str(&H->doc, jfirst(&H->doc, trades), tid, sizeof tid);
	int t = jobj_get(&H->doc, trades, tid);
	char b[64];
	jtok_str(&H->doc, jobj_get(&H->doc, t, "pair"), b, sizeof b);
	assert_string_equal(b, "XXBTZUSD");
	jtok_str(&H->doc, jobj_get(&H->doc, t, "vol"), b, sizeof b);
	assert_string_equal(b, "0.50000000");
	assert_int_equal(jtok_size(&H->doc, jobj_get(&H->doc, t, "ledgers")), 2);
	assert_int_equal(srvh_call(H, "TradesHistory", PRIV, "type", "weird", NULL), 1);
	expect_error("EGeneral:Invalid arguments:type");
	assert_int_equal(srvh_call(H, "QueryTrades", PRIV, "txid", tid, NULL), 0);
	assert_int_equal(jtok_size(&H->doc, H->res), 1);
	assert_int_equal(srvh_call(H, "ClosedOrders", PRIV, NULL), 0);
	assert_string_equal(srvh_str(H, "count", NULL, NULL), "1");
	assert_int_equal(srvh_call(H, "ClosedOrders", PRIV, "closetime", "sometimes", NULL), 1);
	expect_error("EGeneral:Invalid arguments:closetime");
	assert_int_equal(srvh_call(H, "Ledgers", PRIV, "asset", "XBT", "type", "trade", NULL), 0);
	int led = jobj_get(&H->doc, H->res, "ledger");
	assert_int_equal(jtok_size(&H->doc, led), 1);
	char lid[48];
	jtok_str(&H->doc, jfirst(&H->doc, led), lid, sizeof lid);
	assert_int_equal(srvh_call(H, "QueryLedgers", PRIV, "id", lid, NULL), 0);
	assert_string_equal(srvh_str(H, lid, "asset", NULL), "XXBT");
	assert_string_equal(srvh_str(H, lid, "type", NULL), "trade");
	assert_int_equal(srvh_call(H, "Ledgers", PRIV, "type", "nonsense", NULL), 1);
	expect_error("EGeneral:Invalid arguments:type");
	assert_int_equal(srvh_call(H, "OpenPositions", PRIV, "docalcs", "true", NULL), 0);
	assert_int_equal(jtok_size(&H->doc, H->res), 0);

	/* WalletTransfer */
	assert_int_equal(srvh_call(H, "WalletTransfer", PRIV, "asset", "XBT", "from", "Spot Wallet",
				   "to", "Futures Wallet", "amount", "0.5", NULL),
			 0);
	assert_true(srvh_str(H, "refid", NULL, NULL)[0] != '\0');
	struct px_balance bb;
	px_spot_balance(H->px, 1, PX_A_XBT, &bb);
	assert_true(dec_eq(bb.balance, srvh_dec("2")));
	assert_int_equal(srvh_call(H, "WalletTransfer", PRIV, "asset", "XBT", "from", "spot",
				   "to", "Futures Wallet", "amount", "0.5", NULL),
			 1);
	expect_error("EGeneral:Invalid arguments:from");
	assert_int_equal(srvh_call(H, "WalletTransfer", PRIV, "asset", "XBT", "from", "Spot Wallet",
				   "to", "Futures Wallet", "amount", "500", NULL),
			 1);
	expect_error("EFunding:Insufficient funds");
	assert_int_equal(srvh_call(H, "WalletTransfer", PRIV, "asset", "FOO", "from", "Spot Wallet",
				   "to", "Futures Wallet", "amount", "1", NULL),
			 1);
	expect_error("EFunding:Unknown asset");

	assert_int_equal(srvh_call(H, "GetWebSocketsToken", PRIV, NULL), 0);
	uint32_t acct = 0;
	char token[PAPER_TOKEN_MAX];
	snprintf(token, sizeof token, "%s", srvh_str(H, "token", NULL, NULL));
	assert_int_equal(paper_token_check(H->p, token, &acct), 0);
	assert_int_equal(acct, 1);
	assert_string_equal(srvh_str(H, "expires", NULL, NULL), "900");
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(public_endpoints),	 T(market_data),	 T(add_order_errors),
		T(add_order_shapes),	 T(self_trade_prevention), T(margin_close_volume_zero),
		T(batches_and_cancels),
		T(amend_edit_amends),
		T(account_reads_transfer_token),
	};
	return kt_run_tests(tests);
}
