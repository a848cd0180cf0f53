/* test_codecs: CRC-32 matches the zlib/Kraken vectors and a bitwise reference;
 * form encoding, base64, timestamps, durations, UUIDs and string helpers
 * encode, decode and reject exactly as their headers promise. */
#include <stdlib.h>
#include <string.h>

#include "base/b64.h"
#include "base/crc32.h"
#include "base/ktime.h"
#include "base/strutil.h"
#include "base/urlenc.h"
#include "base/uuid.h"
#include "tests/unit/unit.h"

static uint64_t rng = 0xc0dec5;

static uint64_t rnd(void)
{
	rng = rng * 6364136223846793005ULL + 1442695040888963407ULL;
	return rng >> 11;
}

/* ---- crc32 -------------------------------------------------------------- */

static uint32_t crc_bitwise(const unsigned char *p, size_t n)
{
	uint32_t c = 0xFFFFFFFFu;
	for (size_t i = 0; i < n; i++) {
		c ^= p[i];
		for (int k = 0; k < 8; k++)
			c = (c >> 1) ^ (0xEDB88320u & -(c & 1));
	}
	return ~c;
}

/* The standard check value, Kraken's official book vector (§6.1 O3) and the
 * computed one (§6.2 C2); incremental use and random inputs agree with a
 * bit-by-bit reference at every length and alignment. */
static void crc32_vectors(void **state)
{
	assert_true(kt_crc32(0, "123456789", 9) == 0xCBF43926u);
	assert_true(kt_crc32(0, "", 0) == 0);
	const char *asks =
	        "452852100000452864154571953452866154571109452896154560911452902158906"
	        "60452918154553491452947445474945296135380000452975994554245299518772827";
	const char *bids =
	        "452835100000004528341545820154528211000000045281010000000452803154592"
	        "586452790799000045277633101034527753000000045277315460273745276615445238";
	uint32_t c = kt_crc32(0, asks, strlen(asks));
	c = kt_crc32(c, bids, strlen(bids));
	assert_true(c == 3310070434u);
	const char *c2 = "1241500001252050127751301000000012330000012111204242100700";
	assert_true(kt_crc32(0, c2, strlen(c2)) == 3253227889u);

	unsigned char buf[300];
	for (size_t i = 0; i < sizeof buf; i++)
		buf[i] = (unsigned char)rnd();
	for (size_t off = 0; off < 8; off++)
		for (size_t n = 0; n + off <= sizeof buf; n += 1 + n / 16) {
			uint32_t want = crc_bitwise(buf + off, n);
			assert_true(kt_crc32(0, buf + off, n) == want);
			size_t cut = n ? (size_t)(rnd() % n) : 0;
			uint32_t inc =
			        kt_crc32(kt_crc32(0, buf + off, cut), buf + off + cut, n - cut);
			assert_true(inc == want);
		}
}

/* ---- urlenc ------------------------------------------------------------- */

/* Only unreserved bytes stay literal: '+' is %2B, space %20. */
static void urlenc_encoding(void **state)
{
	struct sbuf b = SBUF_INIT;
	urlenc_add(&b, "nonce", "1616492376594");
	urlenc_add(&b, "ordertype", "limit");
	urlenc_add(&b, "pair", "XBTUSD");
	urlenc_add(&b, "price", "37500");
	urlenc_add(&b, "type", "buy");
	urlenc_add(&b, "volume", "1.25");
	assert_string_equal(b.p, "nonce=1616492376594&ordertype=limit&pair=XBTUSD&price=37500&"
	                         "type=buy&volume=1.25");
	sbuf_reset(&b);
	urlenc_add(&b, "a b", "x+y z");
	urlenc_add(&b, "k&=", "~-._/?\xc3\xa9%");
	urlenc_add(&b, "empty", "");
	assert_string_equal(b.p, "a%20b=x%2By%20z&k%26%3D=~-._%2F%3F%C3%A9%25&empty=");
	sbuf_free(&b);
}

/* Decoding handles '+' and %XX in both cases and rejects bad escapes and NULs. */
static void urlenc_decoding(void **state)
{
	struct sbuf b = SBUF_INIT;
	struct kerr e = KERR_INIT;
	assert_int_equal(urlenc_decode("a+b%20c%2B%2b%c3%A9", 19, &b, &e), 0);
	assert_string_equal(b.p, "a b c++\xc3\xa9");
	static const char *const bad[] = {"%G1", "%4", "%", "ab%", "%%41", "x%zz"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		sbuf_reset(&b);
		assert_int_equal(urlenc_decode(bad[i], strlen(bad[i]), &b, &e), -1);
		assert_int_equal(e.code, URLENC_E_SYNTAX);
	}
	assert_int_equal(urlenc_decode("a%00b", 5, &b, &e), -1);
	assert_int_equal(e.code, URLENC_E_NUL);

	/* every byte 1..255 survives encode then decode */
	char all[255];
	for (int i = 0; i < 255; i++)
		all[i] = (char)(i + 1);
	struct sbuf enc = SBUF_INIT;
	urlenc_encode(&enc, all, sizeof all);
	sbuf_reset(&b);
	assert_int_equal(urlenc_decode(enc.p, enc.len, &b, NULL), 0);
	assert_int_equal(b.len, sizeof all);
	assert_memory_equal(b.p, all, sizeof all);
	sbuf_free(&enc);
	sbuf_free(&b);
}

/* Forms: repeated keys, valueless keys, empty pieces, encoded separators. */
static void form_parsing(void **state)
{
	struct urlform f = FORM_INIT;
	struct kerr e = KERR_INIT;
	const char *s = "orderIds=a&orderIds=b%2Bc&x=1&&flag&empty=&k%3D=v%26&orderIds=d";
	assert_int_equal(urlform_parse(s, strlen(s), &f, &e), 0);
	assert_int_equal(f.n, 7);
	assert_string_equal(urlform_get(&f, "x"), "1");
	assert_string_equal(urlform_get(&f, "flag"), "");
	assert_string_equal(urlform_get(&f, "empty"), "");
	assert_string_equal(urlform_get(&f, "k="), "v&");
	assert_null(urlform_get(&f, "missing"));
	assert_string_equal(urlform_get(&f, "orderIds"), "a");
	const char *ids[2];
	assert_int_equal(urlform_get_all(&f, "orderIds", ids, 2), 3);
	assert_string_equal(ids[0], "a");
	assert_string_equal(ids[1], "b+c");
	assert_int_equal(urlform_get_all(&f, "nope", ids, 2), 0);
	urlform_free(&f);
	assert_int_equal(f.n, 0);

	assert_int_equal(urlform_parse("", 0, &f, &e), 0);
	assert_int_equal(f.n, 0);
	urlform_free(&f);
	/* many pairs grow the arrays */
	struct sbuf b = SBUF_INIT;
	for (int i = 0; i < 100; i++)
		sbuf_addf(&b, "%sk%d=v%d", i ? "&" : "", i, i);
	assert_int_equal(urlform_parse(b.p, b.len, &f, &e), 0);
	assert_int_equal(f.n, 100);
	assert_string_equal(urlform_get(&f, "k99"), "v99");
	urlform_free(&f);
	sbuf_free(&b);

	assert_int_equal(urlform_parse("a=1&b=%zz", 9, &f, &e), -1);
	assert_int_equal(f.n, 0);
	assert_non_null(strstr(e.msg, "bad percent escape"));
	assert_int_equal(urlform_parse("a%0=1", 5, &f, &e), -1);
	assert_int_equal(f.n, 0);

	size_t plen, qlen;
	const char *q;
	url_split_query("/a/b?x=1&y=2", 12, &plen, &q, &qlen);
	assert_int_equal(plen, 4);
	assert_int_equal(qlen, 7);
	assert_memory_equal(q, "x=1&y=2", 7);
	url_split_query("/derivatives/api/v3/openpositions", 33, &plen, &q, &qlen);
	assert_int_equal(plen, 33);
	assert_null(q);
	assert_int_equal(qlen, 0);
	url_split_query("/p?", 3, &plen, &q, &qlen);
	assert_int_equal(plen, 2);
	assert_non_null(q);
	assert_int_equal(qlen, 0);
}

/* ---- b64 ---------------------------------------------------------------- */

/* RFC 4648 vectors, a Kraken secret, random round trips, strict rejection. */
static void base64(void **state)
{
	static const char *const v[][2] = {{"", ""},
	                                   {"f", "Zg=="},
	                                   {"fo", "Zm8="},
	                                   {"foo", "Zm9v"},
	                                   {"foob", "Zm9vYg=="},
	                                   {"fooba", "Zm9vYmE="},
	                                   {"foobar", "Zm9vYmFy"}};
	char out[128];
	unsigned char raw[128];
	size_t n;
	struct kerr e = KERR_INIT;
	for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
		assert_int_equal(b64_encode_buf(v[i][0], strlen(v[i][0]), out), strlen(v[i][1]));
		assert_string_equal(out, v[i][1]);
		assert_int_equal(b64_decode_buf(v[i][1], strlen(v[i][1]), raw, sizeof raw, &n, &e),
		                 0);
		assert_int_equal(n, strlen(v[i][0]));
		assert_memory_equal(raw, v[i][0], n);
	}
	const char *secret = "kQH5HW/8p1uGOVjbgWA7FunAmGO8lsSUXNsu3eow76sz84Q18fWxnyRzBHCd3pd5nE9qa"
	                     "99HAZtuZuj6F1huXg==";
	assert_int_equal(b64_decode_buf(secret, strlen(secret), raw, sizeof raw, &n, &e), 0);
	assert_int_equal(n, 64);
	b64_encode_buf(raw, n, out);
	assert_string_equal(out, secret);

	struct sbuf b = SBUF_INIT;
	for (int i = 0; i < 500; i++) {
		unsigned char src[40];
		size_t len = rnd() % sizeof src;
		for (size_t k = 0; k < len; k++)
			src[k] = (unsigned char)rnd();
		sbuf_reset(&b);
		b64_encode(&b, src, len);
		assert_int_equal(b.len, b64_encoded_len(len));
		struct sbuf dec = SBUF_INIT;
		assert_int_equal(b64_decode(b.p, b.len, &dec, &e), 0);
		assert_int_equal(dec.len, len);
		if (len)
			assert_memory_equal(dec.p, src, len);
		sbuf_free(&dec);
	}
	sbuf_free(&b);

	static const char *const bad[] = {"Zg=",  "Zg==Zg==", "Z===", "Zm9v\n",   "Zm9v Zg==",
	                                  "Zm9-", "=Zm9",     "Zm=v", "Zm9v====", "Zg=a"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		if (b64_decode_buf(bad[i], strlen(bad[i]), raw, sizeof raw, &n, &e) == 0)
			fail_msg("accepted \"%s\"", bad[i]);
		assert_int_equal(e.code, B64_E_SYNTAX);
	}
	assert_int_equal(b64_decode_buf("Zm9vYmFy", 8, raw, 5, &n, &e), -1);
	assert_int_equal(e.code, B64_E_SPACE);
	struct sbuf d2 = SBUF_INIT;
	sbuf_adds(&d2, "keep");
	assert_int_equal(b64_decode("Zm9v!", 5, &d2, &e), -1);
	assert_string_equal(d2.p, "keep");
	sbuf_free(&d2);
}

/* ---- ktime -------------------------------------------------------------- */

#define S(x) ((int64_t)(x)*KTIME_NS_PER_SEC)

/* RFC 3339 in the forms Kraken sends, offsets, and range/syntax errors. */
static void rfc3339_parse(void **state)
{
	static const struct {
		const char *in;
		int64_t ns;
	} ok[] = {
	        {"2023-09-25T07:49:37.708706Z", S(1695628177) + 708706000},
	        {"2023-09-25T07:49:37.708706123Z", S(1695628177) + 708706123},
	        {"2023-09-25T07:49:37Z", S(1695628177)},
	        {"2023-09-25T07:49:37+00:00", S(1695628177)},
	        {"2023-09-25T09:49:37+02:00", S(1695628177)},
	        {"2023-09-25T02:19:37-05:30", S(1695628177)},
	        {"2023-09-25T09:49:37.5+0200", S(1695628177) + 500000000},
	        {"2023-09-25t07:49:37z", S(1695628177)},
	        {"2023-09-25 07:49:37", S(1695628177)},
	        {"2016-02-25T09:45:53.818Z", S(1456393553) + 818000000},
	        {"1970-01-01T00:00:00Z", 0},
	        {"1969-12-31T23:59:59.5Z", -500000000},
	        {"2024-02-29T00:00:00Z", S(1709164800)},
	        {"2016-12-31T23:59:60Z", S(1483228800)}, /* leap second: the next instant */
	        {"1677-09-21T00:12:44Z", S(-9223372036)},
	        {"2262-04-11T23:47:16Z", S(9223372036)},
	};
	for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
		int64_t ns;
		struct kerr e = KERR_INIT;
		if (ktime_parse_rfc3339(ok[i].in, (size_t)-1, &ns, &e))
			fail_msg("%s: %s", ok[i].in, e.msg);
		if (ns != ok[i].ns)
			fail_msg("%s -> %lld, want %lld", ok[i].in, (long long)ns,
			         (long long)ok[i].ns);
	}
	static const struct {
		const char *in;
		int code;
	} bad[] = {
	        {"", KTIME_E_SYNTAX},
	        {"2023-09-25", KTIME_E_SYNTAX},
	        {"2023-09-25T07:49Z", KTIME_E_SYNTAX},
	        {"2023-9-25T07:49:37Z", KTIME_E_SYNTAX},
	        {"2023-09-25T07:49:37.Z", KTIME_E_SYNTAX},
	        {"2023-09-25T07:49:37.1234567890Z", KTIME_E_SYNTAX},
	        {"2023-09-25T07:49:37+0", KTIME_E_SYNTAX},
	        {"2023-09-25T07:49:37Zx", KTIME_E_SYNTAX},
	        {"2023-09-25T07:49:37 Z", KTIME_E_SYNTAX},
	        {"1695628177", KTIME_E_SYNTAX},
	        {"2023-02-29T00:00:00Z", KTIME_E_RANGE},
	        {"2023-13-01T00:00:00Z", KTIME_E_RANGE},
	        {"2023-00-01T00:00:00Z", KTIME_E_RANGE},
	        {"2023-04-31T00:00:00Z", KTIME_E_RANGE},
	        {"2023-09-25T24:00:00Z", KTIME_E_RANGE},
	        {"2023-09-25T07:60:00Z", KTIME_E_RANGE},
	        {"2023-09-25T07:49:61Z", KTIME_E_RANGE},
	        {"2023-09-25T07:49:37+24:00", KTIME_E_RANGE},
	        {"1677-09-21T00:12:43Z", KTIME_E_RANGE},
	        {"2262-04-11T23:47:17Z", KTIME_E_RANGE},
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		int64_t ns;
		struct kerr e = KERR_INIT;
		if (ktime_parse_rfc3339(bad[i].in, (size_t)-1, &ns, &e) == 0)
			fail_msg("accepted %s", bad[i].in);
		if (e.code != bad[i].code)
			fail_msg("%s: code %d (%s), want %d", bad[i].in, e.code, e.msg,
			         bad[i].code);
	}
	int64_t ns;
	assert_int_equal(ktime_parse_rfc3339("2023-09-25T07:49:37Zjunk", 20, &ns, NULL), 0);
}

/* Formatting: RFC 3339 at 0/3/6/9 digits, Futures ms, Kraken's rfc1123, HTTP dates. */
static void time_format(void **state)
{
	char buf[KTIME_FMT_MAX];
	int64_t t = S(1695628177) + 708706123;
	assert_int_equal(ktime_fmt_rfc3339(t, 0, buf, sizeof buf), 20);
	assert_string_equal(buf, "2023-09-25T07:49:37Z");
	ktime_fmt_rfc3339(t, 3, buf, sizeof buf);
	assert_string_equal(buf, "2023-09-25T07:49:37.708Z");
	ktime_fmt_rfc3339(t, 6, buf, sizeof buf);
	assert_string_equal(buf, "2023-09-25T07:49:37.708706Z");
	ktime_fmt_rfc3339(t, 9, buf, sizeof buf);
	assert_string_equal(buf, "2023-09-25T07:49:37.708706123Z");
	ktime_fmt_ms(S(1456393553) + 818000000, buf, sizeof buf);
	assert_string_equal(buf, "2016-02-25T09:45:53.818Z");
	ktime_fmt_rfc3339(-500000000, 3, buf, sizeof buf);
	assert_string_equal(buf, "1969-12-31T23:59:59.500Z");
	ktime_fmt_rfc1123(S(1795386422), buf, sizeof buf);
	assert_string_equal(buf, "Sun, 22 Nov 26 22:27:02 +0000");
	ktime_fmt_rfc1123(S(1709164800) + 1, buf, sizeof buf);
	assert_string_equal(buf, "Thu, 29 Feb 24 00:00:00 +0000");
	ktime_fmt_http(S(1795386422), buf, sizeof buf);
	assert_string_equal(buf, "Sun, 22 Nov 2026 22:27:02 GMT");
	ktime_fmt_http(0, buf, sizeof buf);
	assert_string_equal(buf, "Thu, 01 Jan 1970 00:00:00 GMT");
	ktime_fmt_rfc3339(INT64_MIN, 9, buf, sizeof buf);
	assert_string_equal(buf, "1677-09-21T00:12:43.145224192Z");
	ktime_fmt_rfc3339(INT64_MAX, 9, buf, sizeof buf);
	assert_string_equal(buf, "2262-04-11T23:47:16.854775807Z");

	/* random instants survive format then parse, and dates survive civil conversion */
	for (int i = 0; i < 20000; i++) {
		int64_t ns = (int64_t)(rnd() << 11) >> 1, back;
		ktime_fmt_rfc3339(ns, 9, buf, sizeof buf);
		assert_int_equal(ktime_parse_rfc3339(buf, (size_t)-1, &back, NULL), 0);
		assert_true(back == ns);
		int64_t days = (int64_t)(rnd() % 2000001) - 1000000, y;
		unsigned m, d;
		ktime_civil_from_days(days, &y, &m, &d);
		assert_true(ktime_days_from_civil(y, m, d) == days);
	}
	assert_true(ktime_days_from_civil(2000, 3, 1) == 11017);
}

/* Durations: units, fractions, combinations, and what is refused. */
static void durations(void **state)
{
	static const struct {
		const char *in;
		int64_t ns;
	} ok[] = {
	        {"1h30m", S(5400)},
	        {"90s", S(90)},
	        {"500ms", 500000000},
	        {"1.5s", 1500000000},
	        {"2d", S(172800)},
	        {"1m30s500ms", 90500000000},
	        {"10us", 10000},
	        {"10\xc2\xb5s", 10000},
	        {"7ns", 7},
	        {"0s", 0},
	        {"0.25h", S(900)},
	        {"300000h", S(1080000000)},
	        {"1.0000000001s", 1000000000},
	};
	for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
		int64_t ns;
		struct kerr e = KERR_INIT;
		if (ktime_parse_duration(ok[i].in, &ns, &e))
			fail_msg("%s: %s", ok[i].in, e.msg);
		if (ns != ok[i].ns)
			fail_msg("%s -> %lld, want %lld", ok[i].in, (long long)ns,
			         (long long)ok[i].ns);
	}
	static const char *const bad[] = {
	        "",   "90", "h", "1x", "-1s", "1h 30m", ".s", "3000000h", "99999999999999999999s",
	        "1sm"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		int64_t ns;
		struct kerr e = KERR_INIT;
		if (ktime_parse_duration(bad[i], &ns, &e) == 0)
			fail_msg("accepted \"%s\" as %lld", bad[i], (long long)ns);
		assert_true(e.msg[0] != '\0');
	}
	char buf[KTIME_FMT_MAX];
	ktime_fmt_duration(S(5400), buf, sizeof buf);
	assert_string_equal(buf, "1h30m");
	ktime_fmt_duration(0, buf, sizeof buf);
	assert_string_equal(buf, "0s");
	ktime_fmt_duration(1500000, buf, sizeof buf);
	assert_string_equal(buf, "1ms500us");
	ktime_fmt_duration(-S(90), buf, sizeof buf);
	assert_string_equal(buf, "-1m30s");
	ktime_fmt_duration(INT64_MIN, buf, sizeof buf);
	assert_string_equal(buf, "-106751d23h47m16s854ms775us808ns");
	for (int i = 0; i < 2000; i++) {
		int64_t ns = (int64_t)(rnd() >> 1), back;
		ktime_fmt_duration(ns, buf, sizeof buf);
		assert_int_equal(ktime_parse_duration(buf, &back, NULL), 0);
		assert_true(back == ns);
	}
}

/* ---- uuid --------------------------------------------------------------- */

/* UUIDs are version 4 / RFC variant, distinct, and the validator agrees. */
static void uuids(void **state)
{
	char a[KT_UUID_STRLEN + 1], b[KT_UUID_STRLEN + 1];
	assert_int_equal(kt_uuid_v4(a), 0);
	assert_int_equal(kt_uuid_v4(b), 0);
	assert_int_equal(strlen(a), 36);
	assert_true(a[8] == '-' && a[13] == '-' && a[18] == '-' && a[23] == '-');
	assert_int_equal(a[14], '4');
	assert_non_null(strchr("89ab", a[19]));
	assert_string_not_equal(a, b);
	assert_true(kt_uuid_valid(a));
	assert_true(kt_uuid_valid("C100B894-1729-464d-ace1-52dbce11db42"));
	assert_false(kt_uuid_valid("c100b894-1729-464d-ace1-52dbce11db4"));
	assert_false(kt_uuid_valid("c100b894x1729-464d-ace1-52dbce11db42"));
	assert_false(kt_uuid_valid("g100b894-1729-464d-ace1-52dbce11db42"));
	assert_false(kt_uuid_valid(""));

	unsigned char r[1000] = {0};
	assert_int_equal(kt_random_bytes(r, 0), 0);
	assert_int_equal(kt_random_bytes(r, sizeof r), 0);
	int nonzero = 0;
	for (size_t i = 0; i < sizeof r; i++)
		nonzero += r[i] != 0;
	assert_true(nonzero > 900); /* ~996 expected; all-zero would mean nothing was written */
}

/* ---- strutil ------------------------------------------------------------ */

/* The string helpers: truncating copy, ASCII case folding, trim, split. */
static void string_helpers(void **state)
{
	char buf[8];
	assert_int_equal(kt_strlcpy(buf, "PF_XBTUSD", sizeof buf), 9);
	assert_string_equal(buf, "PF_XBTU");
	assert_int_equal(kt_strlcpy(buf, "ab", sizeof buf), 2);
	assert_string_equal(buf, "ab");
	assert_int_equal(kt_strlcpy(buf, "ab", 0), 2);
	assert_true(kt_strieq("PF_XBTUSD", "pf_xbtusd"));
	assert_false(kt_strieq("PF_XBTUSD", "pf_xbtus"));
	assert_false(kt_strieq("a", "ab"));
	assert_true(kt_strieq("", ""));
	assert_false(kt_strieq("\xc3\xa9", "\xc3\x89")); /* ASCII only */
	assert_true(kt_strnieq("BTC/USD", "btc/eur", 4));
	assert_true(kt_str_starts("EOrder:Insufficient funds", "EOrder:"));
	assert_false(kt_str_starts("EO", "EOrder:"));
	assert_true(kt_str_istarts("pi_xbtusd", "PI_"));
	assert_true(kt_str_ends("XXBTZUSD", "ZUSD"));
	assert_false(kt_str_ends("SD", "ZUSD"));
	char s[32] = "  \tfi_xbtusd_180615 \r\n";
	assert_string_equal(kt_str_trim(s), "fi_xbtusd_180615");
	assert_string_equal(kt_str_upper(s), "FI_XBTUSD_180615");
	assert_string_equal(kt_str_lower(s), "fi_xbtusd_180615");
	strcpy(s, "   ");
	assert_string_equal(kt_str_trim(s), "");

	char csv[] = "a,,b,c";
	char *f[4];
	assert_int_equal(kt_str_split(csv, ',', f, 4), 4);
	assert_string_equal(f[0], "a");
	assert_string_equal(f[1], "");
	assert_string_equal(f[2], "b");
	assert_string_equal(f[3], "c");
	char csv2[] = "x:y:z";
	assert_int_equal(kt_str_split(csv2, ':', f, 2), 3);
	assert_string_equal(f[0], "x");
	assert_string_equal(f[1], "y:z");
	char none[] = "";
	assert_int_equal(kt_str_split(none, ',', f, 4), 1);
	assert_string_equal(f[0], "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(crc32_vectors),   cmocka_unit_test(urlenc_encoding),
	        cmocka_unit_test(urlenc_decoding), cmocka_unit_test(form_parsing),
	        cmocka_unit_test(base64),          cmocka_unit_test(rfc3339_parse),
	        cmocka_unit_test(time_format),     cmocka_unit_test(durations),
	        cmocka_unit_test(uuids),           cmocka_unit_test(string_helpers),
	};
	return kt_run_tests(tests);
}
