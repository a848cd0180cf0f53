/* test_symbols: Kraken's names for the same asset, pair and contract
 * (kraken/symbols.h), as tables — asset ids, altnames and common codes
 * (XXBT/XBT/BTC, XXDG/XDG/DOGE, Z-fiat, USDT/USDC, balance suffixes); Spot
 * pairs in every spelling (XXBTZUSD/XBTUSD/XBT/USD/BTC/USD, XETHZUSD,
 * USDT and USDC quotes); Futures symbols of each prefix (PF_, PI_, FI_, FF_)
 * in any case; and unknown or malformed names refused without a crash. */
#include <string.h>

#include "kraken/symbols.h"
#include "tests/unit/unit.h"

static void asset_display(void **s)
{
	(void)s;
	static const struct {
		const char *in, *out, *suffix;
	} t[] = {
	        {"XXBT", "BTC", NULL},    {"XBT", "BTC", NULL},    {"BTC", "BTC", NULL},
	        {"xbt", "BTC", NULL},     {"XXDG", "DOGE", NULL},  {"XDG", "DOGE", NULL},
	        {"XETH", "ETH", NULL},    {"ETH", "ETH", NULL},    {"ZUSD", "USD", NULL},
	        {"USD", "USD", NULL},     {"ZEUR", "EUR", NULL},   {"ZGBP", "GBP", NULL},
	        {"USDT", "USDT", NULL},   {"USDC", "USDC", NULL},  {"SOL", "SOL", NULL},
	        {"XBT.M", "BTC", ".M"},   {"DOT.S", "DOT", ".S"},  {"ETH.F", "ETH", ".F"},
	        {"USDT.B", "USDT", ".B"}, {"XXBT.T", "BTC", ".T"}, {"ETH.P", "ETH", ".P"},
	        {"", "", NULL},
	};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		char buf[16];
		const char *suffix = "unset";
		assert_ptr_equal(kraken_asset_display(t[i].in, buf, sizeof buf, &suffix), buf);
		if (strcmp(buf, t[i].out) != 0)
			fail_msg("%s: %s, expected %s", t[i].in, buf, t[i].out);
		if (t[i].suffix)
			assert_string_equal(suffix, t[i].suffix);
		else
			assert_null(suffix);
	}
	/* the suffix pointer may be NULL; a small buffer truncates, never overflows */
	char small[3];
	kraken_asset_display("XXDG", small, sizeof small, NULL);
	assert_string_equal(small, "DO");
}

static void asset_altname_and_futures_currency(void **s)
{
	(void)s;
	static const struct {
		const char *in, *alt, *fut;
	} t[] = {
	        {"BTC", "XBT", "XBT"},    {"btc", "XBT", "xbt"}, {"DOGE", "XDG", "DOGE"},
	        {"ETH", "ETH", "ETH"},    {"USD", "USD", "USD"}, {"USDT", "USDT", "USDT"},
	        {"USDC", "USDC", "USDC"}, {"XBT", "XBT", "XBT"}, {"ZUSD", "ZUSD", "ZUSD"},
	};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		char a[16], f[16];
		assert_string_equal(kraken_asset_altname(t[i].in, a, sizeof a), t[i].alt);
		assert_string_equal(kraken_futures_currency(t[i].in, f, sizeof f), t[i].fut);
	}
}

static void pair_ws(void **s)
{
	(void)s;
	static const struct {
		const char *base, *quote, *out;
	} t[] = {
	        {"XXBT", "ZUSD", "BTC/USD"}, {"XBT", "USD", "BTC/USD"},
	        {"BTC", "USD", "BTC/USD"},   {"XETH", "ZUSD", "ETH/USD"},
	        {"XETH", "XXBT", "ETH/BTC"}, {"XBT", "USDT", "BTC/USDT"},
	        {"ETH", "USDC", "ETH/USDC"}, {"XXDG", "ZEUR", "DOGE/EUR"},
	};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		char buf[24];
		kraken_pair_ws(t[i].base, t[i].quote, buf, sizeof buf);
		assert_string_equal(buf, t[i].out);
	}
}

static void pair_normalize(void **s)
{
	(void)s;
	static const struct {
		const char *in, *out;
	} t[] = {
	        /* BTC/USD in each of Kraken's spellings */
	        {"XXBTZUSD", "BTC/USD"},
	        {"XBTUSD", "BTC/USD"},
	        {"XBT/USD", "BTC/USD"},
	        {"BTC/USD", "BTC/USD"},
	        {"xbtusd", "BTC/USD"},
	        {"btc/usd", "BTC/USD"},
	        /* other legacy ids */
	        {"XETHZUSD", "ETH/USD"},
	        {"XETHXXBT", "ETH/BTC"},
	        {"XXDGZEUR", "DOGE/EUR"},
	        {"ETHXBT", "ETH/BTC"},
	        {"XDGUSD", "DOGE/USD"},
	        /* stablecoin quotes, and stablecoins as bases */
	        {"XBTUSDT", "BTC/USDT"},
	        {"ETHUSDC", "ETH/USDC"},
	        {"BTC/USDT", "BTC/USDT"},
	        {"USDTZUSD", "USDT/USD"},
	        {"USDTUSD", "USDT/USD"},
	        {"USDCUSDT", "USDC/USDT"},
	        /* newer plain pairs */
	        {"SOLUSD", "SOL/USD"},
	        {"DOTEUR", "DOT/EUR"},
	};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		char buf[24];
		if (kraken_pair_normalize(t[i].in, buf, sizeof buf) != 0)
			fail_msg("%s refused", t[i].in);
		if (strcmp(buf, t[i].out) != 0)
			fail_msg("%s: %s, expected %s", t[i].in, buf, t[i].out);
	}
}

static void pair_normalize_refuses(void **s)
{
	(void)s;
	static const char *const bad[] = {
	        "",
	        "X",
	        "USD",
	        "BTC/",
	        "/USD",
	        "BTC//USD",
	        "BTC-USD",
	        "BTC USD",
	        "FOOBAR",
	        "XBTUSD_",
	        "B/USD",
	        "USDT",
	        "XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXUSD",
	        "BTC/USD/EUR",
	        "\xc3\x84"
	        "BC/USD",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		char buf[24] = "junk";
		if (kraken_pair_normalize(bad[i], buf, sizeof buf) != -1)
			fail_msg("\"%s\" accepted as %s", bad[i], buf);
		assert_string_equal(buf, "");
	}
	char buf[8] = "junk";
	assert_int_equal(kraken_pair_normalize(NULL, buf, sizeof buf), -1);
	assert_string_equal(buf, "");
}

static void futures_symbols(void **s)
{
	(void)s;
	static const struct {
		const char *in, *upper;
		enum instr_kind kind;
		const char *base, *quote;
	} t[] = {
	        {"PF_XBTUSD", "PF_XBTUSD", IK_PERP_LINEAR, "BTC", "USD"},
	        {"pf_xbtusd", "PF_XBTUSD", IK_PERP_LINEAR, "BTC", "USD"},
	        {"PF_ETHUSD", "PF_ETHUSD", IK_PERP_LINEAR, "ETH", "USD"},
	        {"PF_SOLUSD", "PF_SOLUSD", IK_PERP_LINEAR, "SOL", "USD"},
	        {"PF_XBTUSDT", "PF_XBTUSDT", IK_PERP_LINEAR, "BTC", "USDT"},
	        {"PF_ETHUSDC", "PF_ETHUSDC", IK_PERP_LINEAR, "ETH", "USDC"},
	        {"PF_XDGUSD", "PF_XDGUSD", IK_PERP_LINEAR, "DOGE", "USD"},
	        {"PI_XBTUSD", "PI_XBTUSD", IK_PERP_INVERSE, "BTC", "USD"},
	        {"pi_ethusd", "PI_ETHUSD", IK_PERP_INVERSE, "ETH", "USD"},
	        {"FI_XBTUSD_220930", "FI_XBTUSD_220930", IK_FUTURE_INVERSE, "BTC", "USD"},
	        {"fi_xbtusd_240628", "FI_XBTUSD_240628", IK_FUTURE_INVERSE, "BTC", "USD"},
	        {"FF_XBTUSD_240927", "FF_XBTUSD_240927", IK_FUTURE_LINEAR, "BTC", "USD"},
	        {"FF_ETHUSD_241227", "FF_ETHUSD_241227", IK_FUTURE_LINEAR, "ETH", "USD"},
	        {"Ff_XbtUsd_240927", "FF_XBTUSD_240927", IK_FUTURE_LINEAR, "BTC", "USD"},
	};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		char up[32], base[16], quote[16];
		enum instr_kind k = IK_SPOT;
		if (kraken_futures_parse(t[i].in, up, sizeof up, &k, base, quote, sizeof base) != 0)
			fail_msg("%s refused", t[i].in);
		assert_string_equal(up, t[i].upper);
		if (k != t[i].kind)
			fail_msg("%s: kind %d, expected %d", t[i].in, (int)k, (int)t[i].kind);
		assert_string_equal(base, t[i].base);
		assert_string_equal(quote, t[i].quote);
	}
	/* every output is optional */
	assert_int_equal(kraken_futures_parse("FF_XBTUSD_240927", NULL, 0, NULL, NULL, NULL, 0), 0);

	assert_true(kraken_futures_symbol_eq("pf_xbtusd", "PF_XBTUSD"));
	assert_true(kraken_futures_symbol_eq("FF_XBTUSD_240927", "ff_xbtusd_240927"));
	assert_false(kraken_futures_symbol_eq("PF_XBTUSD", "PI_XBTUSD"));
	assert_false(kraken_futures_symbol_eq("FF_XBTUSD_240927", "FI_XBTUSD_240927"));
}

static void futures_symbols_refused(void **s)
{
	(void)s;
	static const char *const bad[] = {
	        "",
	        "PF_",
	        "PF_XBT",
	        "XBTUSD",
	        "PF_XBTFOO",
	        "in_xbtusd",
	        "rr_xbtusd",
	        "fi_xbtusd",
	        "cash",
	        "flex",
	        "OF_ETHUSD_240927_3000_C",
	        "XX_XBTUSD",
	        "PF_USD",
	        "PF_XBTUSDXBTUSDXBTUSD",
	        "PF_XBTUSD_240927_XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX",
	        "FI_XBTUSD",
	        "FF_XBTUSD",
	        "PF_XBTUSD_240927",
	        "FI_XBTUSD_2409",
	        "FI_XBTUSD_24092X",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		char up[32] = "keep";
		enum instr_kind k = IK_SPOT;
		if (kraken_futures_parse(bad[i], up, sizeof up, &k, NULL, NULL, 0) != -1)
			fail_msg("\"%s\" accepted", bad[i]);
		assert_string_equal(up, "keep"); /* nothing written on refusal */
		assert_int_equal(k, IK_SPOT);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(asset_display),
	        cmocka_unit_test(asset_altname_and_futures_currency),
	        cmocka_unit_test(pair_ws),
	        cmocka_unit_test(pair_normalize),
	        cmocka_unit_test(pair_normalize_refuses),
	        cmocka_unit_test(futures_symbols),
	        cmocka_unit_test(futures_symbols_refused),
	};
	return kt_run_tests(tests);
}
