/* test_spot_rest_build: the Spot REST request builders produce the exact
 * bytes Kraken expects — AddOrder for all ten order types (form strings, and
 * the official API-Sign vector of that exact string), flags, time in force,
 * conditional close, relative prices ("+" sent as %2B), JSON bodies for the
 * batch endpoints — and refuse what Kraken would refuse. */
#include <string.h>

#include "kraken/spot_rest_codec.h"
#include "net/sign.h"
#include "tests/unit/spot_rest_util.h"
#include "tests/unit/unit.h"

#define NONCE "1616492376594"
#define SECRET "kQH5HW/8p1uGOVjbgWA7FunAmGO8lsSUXNsu3eow76sz84Q18fWxnyRzBHCd3pd5nE9qa99HAZtuZuj6F1huXg=="

static struct state st;

static int setup(void **s)
{
	(void)s;
	srt_state_init(&st);
	return 0;
}

static int teardown(void **s)
{
	(void)s;
	state_free(&st);
	return 0;
}

static dec_t D(const char *s)
{
	dec_t v;
	assert_int_equal(dec_parse(s, (size_t)-1, &v, NULL), 0);
	return v;
}

static struct order_req base_req(enum order_type t, enum side side, const char *qty)
{
	struct order_req r;
	memset(&r, 0, sizeof r);
	r.instr = SRT_BTCUSD;
	r.type = t;
	r.side = side;
	r.qty = D(qty);
	return r;
}

/* Build req into a form with the fixed nonce and compare. */
static void expect_form(const struct order_req *r, const struct spot_add_opts *o, const char *want)
{
	struct spot_params p;
	struct kerr e = KERR_INIT;
	if (spot_build_add_order(&st, r, o, &p, &e) < 0)
		fail_msg("build failed: %s", e.msg);
	struct sbuf b = SBUF_INIT;
	spot_params_form(&p, NONCE, &b);
	assert_string_equal(sbuf_str(&b), want);
	sbuf_free(&b);
	spot_params_free(&p);
}

/* As expect_form, and the API-Sign of that exact body: the expected values
 * were computed independently (python hmac/hashlib) for the fixed nonce. */
static void expect_signed(const struct order_req *r, const char *want, const char *sig)
{
	expect_form(r, NULL, want);
	char got[KRAKEN_SIGN_B64_SIZE];
	assert_int_equal(kraken_spot_sign(SECRET, "/0/private/AddOrder", NONCE, want, strlen(want),
					  got, sizeof got, NULL),
			 0);
	assert_string_equal(got, sig);
}

static void expect_refused(const struct order_req *r, const struct spot_add_opts *o,
			   const char *needle)
{
	struct spot_params p;
	struct kerr e = KERR_INIT;
	assert_int_equal(spot_build_add_order(&st, r, o, &p, &e), -1);
	if (!strstr(e.msg, needle))
		fail_msg("error \"%s\" does not mention \"%s\"", e.msg, needle);
}

/* The official vector: this exact body signs to the documented API-Sign. */
static void limit_official_vector(void **s)
{
	(void)s;
	struct order_req r = base_req(OT_LIMIT, SIDE_BUY, "1.25");
	r.limit_price = D("37500");
	const char *body =
		"nonce=1616492376594&ordertype=limit&pair=XBTUSD&price=37500&type=buy&volume=1.25";
	expect_form(&r, NULL, body);
	char sig[KRAKEN_SIGN_B64_SIZE];
	assert_int_equal(kraken_spot_sign(SECRET, "/0/private/AddOrder", NONCE, body, strlen(body),
					  sig, sizeof sig, NULL),
			 0);
	assert_string_equal(sig, "4/dpxb3iT4tp/ZCVEwSnEsLxx0bqyhLpdfOpc6fn7OR8+UClSV5n9E6aSS8MPtnRfp32bAb0nmbRn6H8ndwLUQ==");

	/* The same order as a JSON body matches the JSON vector. */
	struct spot_params p;
	assert_int_equal(spot_build_add_order(&st, &r, NULL, &p, NULL), 0);
	struct sbuf j = SBUF_INIT;
	spot_params_json(&p, NONCE, &j);
	assert_string_equal(sbuf_str(&j), "{\"nonce\":\"1616492376594\",\"ordertype\":\"limit\","
					  "\"pair\":\"XBTUSD\",\"price\":\"37500\",\"type\":\"buy\","
					  "\"volume\":\"1.25\"}");
	assert_int_equal(kraken_spot_sign(SECRET, "/0/private/AddOrder", NONCE, j.p, j.len, sig,
					  sizeof sig, NULL),
			 0);
	assert_string_equal(sig, "r/o+GpKxXjV/mls/r5CKLu5R+yzK5psqvQ4hXxMX1nzdxTBhV+ui82QGgPZMMitpFwCOAdPEZMmXgZxD2chJEg==");
	sbuf_free(&j);
	spot_params_free(&p);
}

static void all_ten_types(void **s)
{
	(void)s;
	struct order_req r = base_req(OT_MARKET, SIDE_BUY, "0.5");
	expect_signed(&r, "nonce=" NONCE "&ordertype=market&pair=XBTUSD&type=buy&volume=0.5",
		      "Pb+4cAtG7sSXOVsuwYn7JLFg82BC/HTGosEaL91ZxBgpJf7RYenSkpthY4Rfm6hadmqgF5ZaBtGN2uIWvKGbrA==");

	r = base_req(OT_ICEBERG, SIDE_SELL, "1");
	r.limit_price = D("30000.5");
	r.display_qty = D("0.1");
	expect_signed(&r,
		      "displayvol=0.1&nonce=" NONCE
		      "&ordertype=iceberg&pair=XBTUSD&price=30000.5&type=sell&volume=1",
		      "gunfVvrXMadwvp4Cc+jImCvkpR4oWWSBCFvLHLvWWpvh5SyNoXx8Zlohqu4nTnAfrLUEqPPYnK1RbJWVFXplUw==");

	r = base_req(OT_STOP, SIDE_SELL, "0.5");
	r.trigger_price = D("27000");
	r.signal = TRIG_INDEX;
	expect_signed(&r,
		      "nonce=" NONCE
		      "&ordertype=stop-loss&pair=XBTUSD&price=27000&trigger=index&type=sell&volume=0.5",
		      "+8vccyGUFPNGqI+eKZ41+6mvb43QdawVO1QgFt2Mb9agSymOQbYUd2tdsvlqzP2w4dElVYoPEoNzV0HamVF5Ig==");

	r = base_req(OT_TAKE_PROFIT, SIDE_SELL, "0.5");
	r.trigger_price = D("35000");
	expect_signed(&r,
		      "nonce=" NONCE "&ordertype=take-profit&pair=XBTUSD&price=35000&type=sell&volume=0.5",
		      "fP+ugv64ol7m7xE/bY5ZyFDaf8XsBUuBJtrSjdjFQLToOzagzPL/Rxn8WjGkRAZvg+YL2kJ6/eN54Y1hAKefYg==");

	r = base_req(OT_STOP_LIMIT, SIDE_SELL, "0.5");
	r.trigger_price = D("27000");
	r.limit_price = D("26900.5");
	expect_signed(&r,
		      "nonce=" NONCE "&ordertype=stop-loss-limit&pair=XBTUSD&price=27000"
		      "&price2=26900.5&type=sell&volume=0.5",
		      "8XhtM+usLouRc1nQ2dJLyUfuocK+NA6AoNRw4zzwuqBbWtiQzrWK/J4Aao81WpyunY/eqWymPgmDZ8hK3OFWIQ==");

	r = base_req(OT_TAKE_PROFIT_LIMIT, SIDE_BUY, "0.5");
	r.trigger_price = D("25000");
	r.limit_price = D("25010");
	expect_signed(&r,
		      "nonce=" NONCE "&ordertype=take-profit-limit&pair=XBTUSD&price=25000"
		      "&price2=25010&type=buy&volume=0.5",
		      "Tjnk4uxVhCmmzgcWaaVDOg3yyhsYnpQwiGcO0I2ug7KqF3fMc39c0u4KeDnmyIS6e8Xrqy+oNZkUZruipmtapw==");

	/* trailing offsets always start with "+", sent as %2B */
	r = base_req(OT_TRAILING_STOP, SIDE_SELL, "0.5");
	r.trail_offset = D("50");
	expect_signed(&r,
		      "nonce=" NONCE
		      "&ordertype=trailing-stop&pair=XBTUSD&price=%2B50&type=sell&volume=0.5",
		      "scC70sWJ8SDTefvRV4yB6fjLq0M4ul0dmBY7cK8g6H09RlxoyMYa7gwTqpYzqaxmueS9UiIci+cDENUwI4y5pw==");

	r = base_req(OT_TRAILING_STOP_LIMIT, SIDE_SELL, "0.5");
	r.trail_offset = D("1.5");
	r.trail_pct = true;
	r.trail_limit_offset = D("-0.5");
	r.trail_limit_pct = true;
	expect_signed(&r,
		      "nonce=" NONCE "&ordertype=trailing-stop-limit&pair=XBTUSD&price=%2B1.5%25"
		      "&price2=-0.5%25&type=sell&volume=0.5",
		      "ymroBd4EaSoZFG2Km6cw3zycoebIFDWNJWWbMY4SqXoKuqlWDxrJ/un1TyyngS6mYcRGcFI0bBrj4HOgkAOslw==");
	r.trail_limit_offset = D("0");
	r.trail_limit_pct = false;
	expect_signed(&r,
		      "nonce=" NONCE "&ordertype=trailing-stop-limit&pair=XBTUSD&price=%2B1.5%25"
		      "&price2=%2B0&type=sell&volume=0.5",
		      "g5d+CqtFjOmxv/gl4MpNRXXfQgBhfNCRYLZr3NaPBNJz8nv91M+PgC0DlYYVFtSTZYk2/FLyfHirIysO/5koOA==");

	/* settle-position: volume 0 closes the margin position */
	r = base_req(OT_SETTLE_POSITION, SIDE_SELL, "0");
	r.leverage = 2;
	expect_signed(&r,
		      "leverage=2&nonce=" NONCE
		      "&ordertype=settle-position&pair=XBTUSD&type=sell&volume=0",
		      "pUbw5s61+3Bxw4bsL4vRL34V36hCvqEFGhC0CSqmJF2/mdI/OyjztCchSbFrjCyYMRaAnmBZ5oIGevYLEeGodg==");
}

static void flags_tif_close(void **s)
{
	(void)s;
	struct order_req r = base_req(OT_LIMIT, SIDE_BUY, "1.25");
	r.limit_price = D("27500");
	r.post_only = true;
	r.reduce_only = true;
	r.tif = TIF_GTD;
	r.expire_s = 1700000000;
	r.leverage = 5;
	r.validate_only = true;
	strcpy(r.cl_id, "6d1b345e-2821-40e2-ad83-4ecb18a06876");
	r.close = (struct close_req){true, OT_STOP_LIMIT, D("26000"), D("25900")};
	expect_form(&r, NULL,
		    "cl_ord_id=6d1b345e-2821-40e2-ad83-4ecb18a06876"
		    "&close%5Bordertype%5D=stop-loss-limit&close%5Bprice2%5D=25900"
		    "&close%5Bprice%5D=26000&expiretm=1700000000&leverage=5&nonce=" NONCE
		    "&oflags=post&ordertype=limit&pair=XBTUSD&price=27500&reduce_only=true"
		    "&timeinforce=GTD&type=buy&validate=true&volume=1.25");

	/* IOC, fee currency, no MPP, viqc, relative times, deadline, stp, userref */
	r = base_req(OT_MARKET, SIDE_BUY, "100");
	r.qty_in_quote = true;
	r.tif = TIF_IOC;
	struct spot_add_opts o = {.starttm = "+60",
				  .deadline = "2023-11-14T22:13:30Z",
				  .stptype = "cancel-both",
				  .fcib = true,
				  .nompp = true,
				  .userref = 42};
	expect_form(&r, &o,
		    "deadline=2023-11-14T22%3A13%3A30Z&nonce=" NONCE
		    "&oflags=fcib%2Cnompp%2Cviqc&ordertype=market&pair=XBTUSD&starttm=%2B60"
		    "&stptype=cancel-both&timeinforce=IOC&type=buy&userref=42&volume=100");

	/* a trailing conditional close gets its "+" */
	r = base_req(OT_LIMIT, SIDE_BUY, "1");
	r.limit_price = D("27500");
	r.close = (struct close_req){true, OT_TRAILING_STOP, D("100"), dec_zero()};
	expect_form(&r, NULL,
		    "close%5Bordertype%5D=trailing-stop&close%5Bprice%5D=%2B100&nonce=" NONCE
		    "&ordertype=limit&pair=XBTUSD&price=27500&type=buy&volume=1");
}

static void relative_prices(void **s)
{
	(void)s;
	static const struct {
		const char *in, *out;
		char rel;
		bool pct;
	} ok[] = {
		{"27500.5", "27500.5", 0, false}, {"+50", "+50", '+', false},
		{"-50", "-50", '-', false},	  {"#20", "#20", '#', false},
		{"+1.5%", "+1.5%", '+', true},	  {"-0.25%", "-0.25%", '-', true},
		{"+0", "+0", '+', false},
	};
	for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
		struct spot_price p;
		char b[64];
		assert_int_equal(spot_price_parse(ok[i].in, &p, NULL), 0);
		assert_int_equal(p.rel, ok[i].rel);
		assert_int_equal(p.pct, ok[i].pct);
		spot_price_fmt(&p, b, sizeof b);
		assert_string_equal(b, ok[i].out);
	}
	static const char *const bad[] = {"", "+", "%", "5%", "++5", "+-5", "abc", "+5%%", "1e3"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct spot_price p;
		if (spot_price_parse(bad[i], &p, NULL) == 0)
			fail_msg("\"%s\" parsed", bad[i]);
	}

	/* a relative limit price and trigger through the options */
	struct order_req r = base_req(OT_STOP_LIMIT, SIDE_SELL, "1");
	struct spot_price p1 = {'#', D("2"), true}, p2 = {'-', D("100"), false};
	struct spot_add_opts o = {.price = &p1, .price2 = &p2};
	expect_form(&r, &o,
		    "nonce=" NONCE "&ordertype=stop-loss-limit&pair=XBTUSD&price=%232%25"
		    "&price2=-100&type=sell&volume=1");
}

static void refusals(void **s)
{
	(void)s;
	struct order_req r = base_req(OT_LIMIT, SIDE_BUY, "1");
	r.limit_price = D("27500");
	r.tif = TIF_FOK;
	expect_refused(&r, NULL, "fill-or-kill");
	r.tif = TIF_GTD;
	expect_refused(&r, NULL, "expiry");
	r = base_req(OT_STOP, SIDE_SELL, "1");
	r.trigger_price = D("27000");
	r.signal = TRIG_MARK;
	expect_refused(&r, NULL, "mark");
	r = base_req(OT_MARKET, SIDE_BUY, "1");
	r.post_only = true;
	expect_refused(&r, NULL, "post-only");
	r = base_req(OT_MARKET, SIDE_SELL, "1");
	r.qty_in_quote = true;
	expect_refused(&r, NULL, "quote");
	r = base_req(OT_MARKET, SIDE_BUY, "1");
	struct spot_add_opts o = {.fcib = true, .fciq = true};
	expect_refused(&r, &o, "exclude");
	r = base_req(OT_TRAILING_STOP, SIDE_SELL, "1");
	expect_refused(&r, NULL, "positive offset");
	r.trail_offset = D("50");
	struct spot_price minus = {'-', D("50"), false};
	struct spot_add_opts om = {.price = &minus};
	expect_refused(&r, &om, "must start with +");
	r = base_req(OT_ICEBERG, SIDE_BUY, "1");
	r.limit_price = D("27500");
	expect_refused(&r, NULL, "display");
	r = base_req(OT_LIMIT, SIDE_BUY, "0");
	r.limit_price = D("27500");
	expect_refused(&r, NULL, "positive");
	r = base_req(OT_LIMIT, SIDE_BUY, "1");
	r.limit_price = D("27500");
	r.close = (struct close_req){true, OT_MARKET, dec_zero(), dec_zero()};
	expect_refused(&r, NULL, "conditional close");
	r.close.set = false;
	r.instr = 99;
	expect_refused(&r, NULL, "spot instrument");
}

static void batch_and_json_bodies(void **s)
{
	(void)s;
	struct order_req rq[2];
	rq[0] = base_req(OT_LIMIT, SIDE_BUY, "1");
	rq[0].limit_price = D("27500");
	strcpy(rq[0].cl_id, "c1");
	rq[1] = base_req(OT_LIMIT, SIDE_SELL, "0.5");
	rq[1].limit_price = D("31000");
	rq[1].close = (struct close_req){true, OT_STOP, D("32000"), dec_zero()};
	struct spot_params p;
	struct kerr e = KERR_INIT;
	assert_int_equal(spot_build_add_order_batch(&st, rq, 2, NULL, true, &p, &e), 0);
	struct sbuf b = SBUF_INIT;
	spot_params_json(&p, "7", &b);
	assert_string_equal(
		sbuf_str(&b),
		"{\"nonce\":\"7\",\"orders\":[{\"cl_ord_id\":\"c1\",\"ordertype\":\"limit\","
		"\"price\":\"27500\",\"type\":\"buy\",\"volume\":\"1\"},{\"close\":{\"ordertype\":"
		"\"stop-loss\",\"price\":\"32000\"},\"ordertype\":\"limit\",\"price\":\"31000\","
		"\"type\":\"sell\",\"volume\":\"0.5\"}],\"pair\":\"XBTUSD\",\"validate\":true}");
	sbuf_free(&b);
	spot_params_free(&p);
	assert_int_equal(spot_build_add_order_batch(&st, rq, 1, NULL, false, &p, &e), -1);
	rq[1].instr = SRT_ETHBTC;
	assert_int_equal(spot_build_add_order_batch(&st, rq, 2, NULL, false, &p, &e), -1);

	const char *tx[] = {"OUF4EM-FRGI2-MQMWZD", "OCF5EM-FRGI2-MQMWZD"};
	const char *cl[] = {"c1"};
	assert_int_equal(spot_build_cancel_batch(tx, 2, cl, 1, &p, &e), 0);
	spot_params_json(&p, "8", &b);
	assert_string_equal(sbuf_str(&b), "{\"cl_ord_ids\":[\"c1\"],\"nonce\":\"8\",\"orders\":"
					  "[\"OUF4EM-FRGI2-MQMWZD\",\"OCF5EM-FRGI2-MQMWZD\"]}");
	sbuf_free(&b);
	spot_params_free(&p);
	assert_int_equal(spot_build_cancel_batch(tx, 0, cl, 0, &p, &e), -1);
}

static void amend_edit_cancel_transfer(void **s)
{
	(void)s;
	struct amend_req a;
	memset(&a, 0, sizeof a);
	strcpy(a.order_id, "OQCLML-BW3P3-BUCMWZ");
	a.has_qty = true;
	a.qty = D("2");
	a.has_limit = true;
	a.limit_price = D("30000");
	struct spot_params p;
	struct sbuf b = SBUF_INIT;
	assert_int_equal(spot_build_amend(&a, false, NULL, NULL, &p, NULL), 0);
	spot_params_form(&p, "9", &b);
	assert_string_equal(sbuf_str(&b),
			    "limit_price=30000&nonce=9&order_qty=2&txid=OQCLML-BW3P3-BUCMWZ");
	sbuf_reset(&b);
	spot_params_free(&p);
	struct spot_price rel = {'+', D("1"), true};
	a.has_qty = false;
	assert_int_equal(spot_build_amend(&a, true, &rel, NULL, &p, NULL), 0);
	spot_params_form(&p, NULL, &b);
	assert_string_equal(sbuf_str(&b), "cl_ord_id=OQCLML-BW3P3-BUCMWZ&limit_price=%2B1%25");
	sbuf_reset(&b);
	spot_params_free(&p);
	a.has_limit = false;
	assert_int_equal(spot_build_amend(&a, false, NULL, NULL, &p, NULL), -1);

	dec_t vol = D("0.0003");
	struct spot_price pr = {0, D("19500"), false};
	struct spot_edit_req ed = {.txid = "OHYO67-6LP66-HMQ437", .pair = "XBTGBP", .volume = &vol,
				   .price = &pr, .post_only = true};
	assert_int_equal(spot_build_edit(&ed, &p, NULL), 0);
	spot_params_form(&p, "9", &b);
	assert_string_equal(sbuf_str(&b), "nonce=9&oflags=post&pair=XBTGBP&price=19500"
					  "&txid=OHYO67-6LP66-HMQ437&volume=0.0003");
	sbuf_reset(&b);
	spot_params_free(&p);

	spot_build_cancel("OQCLML-BW3P3-BUCMWZ", false, &p);
	spot_params_form(&p, "9", &b);
	assert_string_equal(sbuf_str(&b), "nonce=9&txid=OQCLML-BW3P3-BUCMWZ");
	sbuf_reset(&b);
	spot_params_free(&p);

	struct transfer_req t = {"BTC", D("0.25"), WALLET_SPOT, WALLET_FUTURES_FLEX};
	assert_int_equal(spot_build_wallet_transfer(&t, &p, NULL), 0);
	spot_params_form(&p, "9", &b);
	assert_string_equal(sbuf_str(&b), "amount=0.25&asset=XBT&from=Spot%20Wallet&nonce=9"
					  "&to=Futures%20Wallet");
	sbuf_free(&b);
	spot_params_free(&p);
	t.from = WALLET_FUTURES_FLEX;
	t.to = WALLET_SPOT;
	assert_int_equal(spot_build_wallet_transfer(&t, &p, NULL), -1);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(limit_official_vector), T(all_ten_types),	    T(flags_tif_close),
		T(relative_prices),	  T(refusals),		    T(batch_and_json_bodies),
		T(amend_edit_cancel_transfer),
	};
	return kt_run_tests(tests);
}
