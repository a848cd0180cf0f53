/* test_dec: exact decimals parse strictly, format exactly, round as each mode
 * says, and never overflow silently (checked against __int128 reference math
 * over many thousands of seeded random values). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/dec.h"
#include "tests/unit/unit.h"

typedef __int128 i128;

/* ---- helpers ------------------------------------------------------------ */

static dec_t P(const char *s)
{
	dec_t v;
	struct kerr e = KERR_INIT;
	if (dec_parse(s, (size_t)-1, &v, &e))
		fail_msg("dec_parse(\"%s\") failed: %s", s, e.msg);
	return v;
}

static const char *F(dec_t v, int places)
{
	static char buf[4][DEC_FMT_MAX];
	static int k;
	k = (k + 1) % 4;
	dec_fmt(v, places, buf[k], sizeof buf[k]);
	return buf[k];
}

static uint64_t rng;

/* splitmix64: tiny, seeded, same sequence everywhere */
static uint64_t rnd(void)
{
	uint64_t z = (rng += 0x9E3779B97F4A7C15ULL);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	return z ^ (z >> 31);
}

static int64_t pow10i(int n)
{
	int64_t v = 1;
	while (n-- > 0)
		v *= 10;
	return v;
}

static i128 pow10w(int n)
{
	i128 v = 1;
	while (n-- > 0)
		v *= 10;
	return v;
}

/* A random mantissa with 0..maxdigits digits and a random sign. */
static int64_t rnd_mant(int maxdigits)
{
	int nd = (int)(rnd() % (uint64_t)(maxdigits + 1));
	int64_t v = nd ? (int64_t)(rnd() % (uint64_t)pow10i(nd)) : 0;
	return rnd() & 1 ? -v : v;
}

static dec_t rnd_dec(int maxdigits, int maxscale)
{
	return dec_make(rnd_mant(maxdigits), (unsigned)(rnd() % (uint64_t)(maxscale + 1)));
}

/* a at scale s as an __int128 mantissa (s >= a.s). */
static i128 at_scale(dec_t a, unsigned s)
{
	return (i128)a.m * pow10w((int)(s - a.s));
}

/* Reference rounding of n/d written independently of dec.c: floor division
 * with a non-negative remainder, then each mode from its definition. */
static i128 ref_div(i128 n, i128 d, enum dec_round r, bool *inexact)
{
	if (d < 0) {
		n = -n;
		d = -d;
	}
	i128 q = n / d, rem = n % d;
	if (rem < 0) {
		q -= 1;
		rem += d;
	}
	/* now n = q*d + rem, 0 <= rem < d: the true value lies in [q, q+1) */
	*inexact = rem != 0;
	if (rem == 0)
		return q;
	bool positive = q >= 0; /* true value > 0 iff q >= 0 here */
	switch (r) {
	case DEC_FLOOR:
		return q;
	case DEC_CEIL:
		return q + 1;
	case DEC_DOWN:
		return positive ? q : q + 1;
	case DEC_UP:
		return positive ? q + 1 : q;
	case DEC_HALF_UP:
		if (2 * rem != d)
			return 2 * rem < d ? q : q + 1;
		return positive ? q + 1 : q;
	case DEC_HALF_EVEN:
		if (2 * rem != d)
			return 2 * rem < d ? q : q + 1;
		return (q % 2 == 0) ? q : q + 1;
	default:
		return q;
	}
}

static bool fits(i128 v)
{
	return v <= DEC_MANT_MAX && v >= -DEC_MANT_MAX;
}

static const enum dec_round all_modes[] = {DEC_DOWN,      DEC_UP,      DEC_FLOOR, DEC_CEIL,
                                           DEC_HALF_EVEN, DEC_HALF_UP, DEC_EXACT};

/* ---- parsing ------------------------------------------------------------ */

/* dec_parse accepts the documented forms and keeps the written scale. */
static void parse_accepts(void **state)
{
	static const struct {
		const char *in;
		int64_t m;
		unsigned s;
	} ok[] = {
	        {"0", 0, 0},
	        {"-0", 0, 0},
	        {"+0.00", 0, 2},
	        {".5", 5, 1},
	        {"5.", 5, 0},
	        {"-.5", -5, 1},
	        {"+1.25", 125, 2},
	        {"-0.001", -1, 3},
	        {"000123.4500", 1234500, 4},
	        {"1.50", 150, 2},
	        {"61200.07", 6120007, 2},
	        {"999999999999999999", 999999999999999999, 0},
	        {"-999999999999999999", -999999999999999999, 0},
	        {"0.123456789012345678", 123456789012345678, 18},
	        {"-99999999.9999999999", -999999999999999999, 10},
	        {"00000000000000000000001", 1, 0},
	        /* trailing zeros beyond what fits are dropped, the value stays exact */
	        {"0.1234567890123456780", 123456789012345678, 18},
	        {"999999999999999999.000", 999999999999999999, 0},
	        {"0.000000000000000000000", 0, 18},
	        {"1.000000000000000000000", 100000000000000000, 17},
	};
	for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
		dec_t v;
		struct kerr e = KERR_INIT;
		if (dec_parse(ok[i].in, (size_t)-1, &v, &e))
			fail_msg("\"%s\" rejected: %s", ok[i].in, e.msg);
		if (v.m != ok[i].m || v.s != ok[i].s)
			fail_msg("\"%s\" -> m=%lld s=%u, want m=%lld s=%u", ok[i].in,
			         (long long)v.m, v.s, (long long)ok[i].m, ok[i].s);
	}
	/* explicit length: only the first n bytes count */
	dec_t v;
	assert_int_equal(dec_parse("12.345xyz", 6, &v, NULL), 0);
	assert_true(v.m == 12345 && v.s == 3);
}

/* dec_parse rejects everything else with a message naming the problem. */
static void parse_rejects(void **state)
{
	static const struct {
		const char *in;
		int code;
		const char *msg;
	} bad[] = {
	        {"1e5", DEC_E_SYNTAX, "\"1e5\": exponents are not allowed"},
	        {"0x10", DEC_E_SYNTAX, "hexadecimal"},
	        {" 1", DEC_E_SYNTAX, "spaces"},
	        {"1 ", DEC_E_SYNTAX, "spaces"},
	        {"1,000", DEC_E_SYNTAX, "separators"},
	        {"--1", DEC_E_SYNTAX, "unexpected '-' at position 1"},
	        {"+", DEC_E_SYNTAX, "no digits"},
	        {"-", DEC_E_SYNTAX, "no digits"},
	        {".", DEC_E_SYNTAX, "no digits"},
	        {"", DEC_E_SYNTAX, "empty"},
	        {"nan", DEC_E_SYNTAX, "not a number"},
	        {"NaN", DEC_E_SYNTAX, "not a number"},
	        {"inf", DEC_E_SYNTAX, "not a number"},
	        {"-inf", DEC_E_SYNTAX, "not a number"},
	        {"1.2.3", DEC_E_SYNTAX, "unexpected '.' at position 3"},
	        {"12a", DEC_E_SYNTAX, "unexpected 'a'"},
	        {"1\xc2\xa0", DEC_E_SYNTAX, "unexpected byte 0xc2"},
	        {"1999999999999999999", DEC_E_OVERFLOW, "18 significant digits"},
	        {"-1000000000000000000", DEC_E_OVERFLOW, "18 significant digits"},
	        {"99999999999.99999999", DEC_E_OVERFLOW, "18 significant digits"},
	        {"0.1234567890123456789", DEC_E_SCALE, "digits after the decimal point"},
	        {"0.0000000000000000001", DEC_E_SCALE, "digits after the decimal point"},
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		dec_t v = dec_make(7, 0);
		struct kerr e = KERR_INIT;
		if (dec_parse(bad[i].in, (size_t)-1, &v, &e) == 0)
			fail_msg("\"%s\" accepted as %s", bad[i].in, F(v, -1));
		if (e.code != bad[i].code || !strstr(e.msg, bad[i].msg))
			fail_msg("\"%s\": code %d msg \"%s\", want code %d with \"%s\"", bad[i].in,
			         e.code, e.msg, bad[i].code, bad[i].msg);
	}
	assert_int_equal(dec_parse(NULL, 0, &(dec_t){0}, NULL), -1);
}

/* dec_parse_num adds JSON exponents, converted exactly or rejected. */
static void parse_num_exponents(void **state)
{
	static const struct {
		const char *in;
		int64_t m;
		unsigned s;
	} ok[] = {
	        {"5.494e-6", 5494, 9},   {"1E+3", 1000, 0},
	        {"2.5e2", 250, 0},       {"1e5", 100000, 0},
	        {"1.50e1", 150, 1},      {"0e10", 0, 0},
	        {"1e-18", 1, 18},        {"-1.0e-17", -10, 18},
	        {"45285.2", 452852, 1},  {"0.00100000", 100000, 8},
	        {"12345e-2", 12345, 2},  {"1.2345E+2", 12345, 2},
	        {"0e99999999999", 0, 0}, {"9.99999999999999999e17", 999999999999999999, 0},
	};
	for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
		dec_t v;
		struct kerr e = KERR_INIT;
		if (dec_parse_num(ok[i].in, (size_t)-1, &v, &e))
			fail_msg("\"%s\" rejected: %s", ok[i].in, e.msg);
		if (v.m != ok[i].m || v.s != ok[i].s)
			fail_msg("\"%s\" -> m=%lld s=%u, want m=%lld s=%u", ok[i].in,
			         (long long)v.m, v.s, (long long)ok[i].m, ok[i].s);
	}
	static const char *const bad[] = {
	        "1e18",          "1e-19",          "e5",    "1e",     "1e+", "1e5x",
	        "1e99999999999", "1e-99999999999", "0x1p3", "1.5e-18"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		dec_t v;
		struct kerr e = KERR_INIT;
		if (dec_parse_num(bad[i], (size_t)-1, &v, &e) == 0)
			fail_msg("\"%s\" accepted as %s", bad[i], F(v, -1));
		assert_true(e.msg[0] != '\0');
	}
	/* the same text dec_parse refuses */
	assert_int_equal(dec_parse("1e5", (size_t)-1, &(dec_t){0}, NULL), -1);
}

/* dec_parse_scaled fixes the scale, rounding as asked or refusing extra digits. */
static void parse_scaled(void **state)
{
	dec_t v;
	struct kerr e = KERR_INIT;
	assert_int_equal(dec_parse_scaled("1.5", (size_t)-1, 4, DEC_EXACT, &v, NULL), 0);
	assert_true(v.m == 15000 && v.s == 4);
	assert_int_equal(dec_parse_scaled("1.23456", (size_t)-1, 4, DEC_EXACT, &v, &e), -1);
	assert_non_null(strstr(e.msg, "at most 4 digits"));
	assert_int_equal(dec_parse_scaled("1.23456", (size_t)-1, 4, DEC_HALF_EVEN, &v, NULL), 0);
	assert_string_equal(F(v, -1), "1.2346");
	assert_string_equal(dec_round_name(DEC_HALF_EVEN), "half_even");
}

/* ---- formatting --------------------------------------------------------- */

/* dec_fmt/dec_fmt_group/dec_fmt_trim print exactly, pad and round half-even. */
static void format(void **state)
{
	char buf[DEC_FMT_MAX];
	assert_string_equal(F(P("61200.00"), -1), "61200.00");
	assert_string_equal(F(P("61200.00"), 1), "61200.0");
	assert_string_equal(F(P("5"), 3), "5.000");
	assert_string_equal(F(P("0.5"), -1), "0.5");
	assert_string_equal(F(P(".005"), 2), "0.00");   /* tie to even: 0.00 */
	assert_string_equal(F(P("-0.005"), 2), "0.00"); /* no "-0.00" */
	assert_string_equal(F(P("-0.015"), 2), "-0.02");
	assert_string_equal(F(P("1.25"), 1), "1.2");
	assert_string_equal(F(P("1.35"), 1), "1.4");
	assert_string_equal(F(P("9.99"), 1), "10.0");
	assert_string_equal(F(P("-9.5"), 0), "-10");
	assert_string_equal(F(P("0"), -1), "0");
	assert_string_equal(F(P("123"), 25), "123.000000000000000000"); /* places capped at 18 */
	assert_string_equal(F(dec_make(INT64_MAX, 0), -1), "9223372036854775807");
	assert_string_equal(F(dec_make(INT64_MIN, 0), -1), "-9223372036854775808");
	assert_string_equal(F(dec_make(INT64_MIN, 18), -1), "-9.223372036854775808");
	assert_string_equal(F(dec_make(1, 18), -1), "0.000000000000000001");

	dec_fmt_group(P("61200.0"), -1, buf, sizeof buf);
	assert_string_equal(buf, "61,200.0");
	dec_fmt_group(P("-1234567.891"), 2, buf, sizeof buf);
	assert_string_equal(buf, "-1,234,567.89");
	dec_fmt_group(P("999"), -1, buf, sizeof buf);
	assert_string_equal(buf, "999");
	dec_fmt_group(P("-100000"), -1, buf, sizeof buf);
	assert_string_equal(buf, "-100,000");
	assert_int_equal(dec_fmt_group(dec_make(INT64_MIN, 0), 18, buf, sizeof buf),
	                 (int)strlen("-9,223,372,036,854,775,808.000000000000000000"));
	assert_string_equal(buf, "-9,223,372,036,854,775,808.000000000000000000");

	dec_fmt_trim(P("1.2500"), buf, sizeof buf);
	assert_string_equal(buf, "1.25");
	dec_fmt_trim(P("10.0"), buf, sizeof buf);
	assert_string_equal(buf, "10");
	dec_fmt_trim(P("-0.000"), buf, sizeof buf);
	assert_string_equal(buf, "0");

	/* snprintf-like truncation */
	assert_int_equal(dec_fmt(P("61200.00"), -1, buf, 4), 8);
	assert_string_equal(buf, "612");
	assert_int_equal(dec_fmt(P("61200.00"), -1, NULL, 0), 8);
}

/* ---- arithmetic --------------------------------------------------------- */

/* Comparison, min/max, neg/abs and normalize work by value across scales. */
static void compare_and_basics(void **state)
{
	dec_t r;
	assert_int_equal(dec_cmp(P("1.50"), P("1.5")), 0);
	assert_true(dec_lt(P("-1"), P("0.0001")));
	assert_true(dec_gt(P("100"), P("99.999999999999999")));
	assert_true(dec_eq(dec_min(P("2"), P("1.9")), P("1.9")));
	assert_true(dec_eq(dec_max(P("-2"), P("-1.9")), P("-1.9")));
	assert_int_equal(dec_cmp(dec_make(INT64_MAX, 0), dec_make(INT64_MAX, 18)), 1);
	assert_int_equal(dec_cmp(dec_make(INT64_MIN, 0), dec_make(INT64_MAX, 0)), -1);
	assert_int_equal(dec_neg(P("1.5"), &r), 0);
	assert_string_equal(F(r, -1), "-1.5");
	assert_int_equal(dec_abs(P("-0.25"), &r), 0);
	assert_string_equal(F(r, -1), "0.25");
	dec_t n = dec_normalize(P("1.2500"));
	assert_true(n.m == 125 && n.s == 2);
	n = dec_normalize(P("100"));
	assert_true(n.m == 100 && n.s == 0);
	n = dec_normalize(P("0.000"));
	assert_true(n.m == 0 && n.s == 0);
	assert_int_equal(dec_sign(P("-0.1")), -1);
	assert_true(dec_is_zero(P("-0.0")));
}

/* Results that need a 19th digit, and int64 edge values, fail instead of wrapping. */
static void overflow_edges(void **state)
{
	dec_t r, max = dec_make(DEC_MANT_MAX, 0);
	assert_int_equal(dec_add(max, P("0"), &r), 0);
	assert_int_equal(dec_add(max, P("1"), &r), -1);
	assert_int_equal(dec_add(max, P("0.5"), &r), -1); /* needs scale 1: 19 digits */
	assert_int_equal(dec_sub(dec_make(-DEC_MANT_MAX, 0), P("1"), &r), -1);
	assert_int_equal(dec_add(dec_make(INT64_MAX, 0), dec_make(INT64_MAX, 0), &r), -1);
	assert_int_equal(dec_add(dec_make(INT64_MIN, 0), dec_make(INT64_MIN, 0), &r), -1);
	assert_int_equal(dec_sub(dec_make(INT64_MIN, 0), dec_make(INT64_MAX, 0), &r), -1);
	/* an over-long input brought back into range is fine */
	assert_int_equal(dec_add(dec_make(INT64_MAX, 0), dec_make(-INT64_MAX, 0), &r), 0);
	assert_true(dec_is_zero(r));
	assert_int_equal(dec_neg(dec_make(INT64_MIN, 0), &r), -1);
	assert_int_equal(dec_abs(dec_make(INT64_MIN, 0), &r), -1);
	assert_int_equal(dec_neg(max, &r), 0);
	assert_int_equal(r.m, -DEC_MANT_MAX);

	assert_int_equal(dec_mul(P("1000000000"), P("1000000000"), 0, DEC_EXACT, &r), -1);
	assert_int_equal(dec_mul(P("999999999"), P("999999999"), 0, DEC_EXACT, &r), 0);
	assert_int_equal(r.m, 999999998000000001LL);
	assert_int_equal(dec_mul(dec_make(INT64_MAX, 0), dec_make(INT64_MAX, 0), 0, DEC_DOWN, &r),
	                 -1);
	assert_int_equal(dec_mul(dec_make(INT64_MIN, 0), dec_make(INT64_MIN, 0), 18, DEC_DOWN, &r),
	                 -1);
	/* INT64_MIN * INT64_MIN at scale 36 rounded to 0 places: 85.07... -> 85 */
	assert_int_equal(dec_mul(dec_make(INT64_MIN, 18), dec_make(INT64_MIN, 18), 0, DEC_DOWN, &r),
	                 0);
	assert_int_equal(r.m, 85);
	assert_int_equal(dec_mul_exact(P("0.000000001"), P("0.0000000001"), &r), -1); /* scale 19 */
	assert_int_equal(dec_mul_exact(P("1.5"), P("-2.25"), &r), 0);
	assert_string_equal(F(r, -1), "-3.375");

	assert_int_equal(dec_div(P("1"), P("0"), 2, DEC_DOWN, &r), -1);
	assert_int_equal(dec_div(P("1"), P("0.000"), 2, DEC_DOWN, &r), -1);
	assert_int_equal(dec_div(max, P("0.000000000000000001"), 0, DEC_DOWN, &r), -1);
	assert_int_equal(dec_div(dec_make(INT64_MAX, 0), dec_make(1, 18), 18, DEC_DOWN, &r), -1);
	assert_int_equal(dec_div(P("1"), P("3"), 18, DEC_DOWN, &r), 0);
	assert_string_equal(F(r, -1), "0.333333333333333333");
	assert_int_equal(dec_div(P("10"), P("3"), 18, DEC_DOWN, &r), -1); /* 3.33..: 19 digits */
	assert_int_equal(dec_div(P("10"), P("3"), 17, DEC_DOWN, &r), 0);
	assert_int_equal(dec_rescale(max, 1, DEC_EXACT, &r), -1);
	assert_int_equal(dec_rescale(P("1"), 19, DEC_EXACT, &r), -1);
	assert_int_equal(dec_mul(P("1"), P("1"), 19, DEC_EXACT, &r), -1);
}

/* Every rounding mode on positive and negative ties and non-ties. */
static void rounding_modes(void **state)
{
	static const char *const in[] = {"2.5",  "-2.5", "3.5",  "-3.5", "2.4",
	                                 "-2.4", "2.6",  "-2.6", "2.0",  "-2.0"};
	static const struct {
		enum dec_round r;
		int64_t want[10];
	} t[] = {
	        {DEC_DOWN, {2, -2, 3, -3, 2, -2, 2, -2, 2, -2}},
	        {DEC_UP, {3, -3, 4, -4, 3, -3, 3, -3, 2, -2}},
	        {DEC_FLOOR, {2, -3, 3, -4, 2, -3, 2, -3, 2, -2}},
	        {DEC_CEIL, {3, -2, 4, -3, 3, -2, 3, -2, 2, -2}},
	        {DEC_HALF_EVEN, {2, -2, 4, -4, 2, -2, 3, -3, 2, -2}},
	        {DEC_HALF_UP, {3, -3, 4, -4, 2, -2, 3, -3, 2, -2}},
	};
	for (size_t m = 0; m < sizeof t / sizeof t[0]; m++)
		for (size_t i = 0; i < 10; i++) {
			dec_t r;
			assert_int_equal(dec_rescale(P(in[i]), 0, t[m].r, &r), 0);
			if (r.m != t[m].want[i] || r.s != 0)
				fail_msg("%s rounded %s -> %s, want %lld", in[i],
				         dec_round_name(t[m].r), F(r, -1), (long long)t[m].want[i]);
		}
	for (size_t i = 0; i < 10; i++) {
		dec_t r;
		int rc = dec_rescale(P(in[i]), 0, DEC_EXACT, &r);
		assert_int_equal(rc, i >= 8 ? 0 : -1);
	}

	/* the same modes through mul and div: 1/8 = 0.125 and 0.25*0.5 = 0.125 at 2 places */
	static const struct {
		enum dec_round r;
		const char *pos, *neg;
	} q[] = {
	        {DEC_DOWN, "0.12", "-0.12"},      {DEC_UP, "0.13", "-0.13"},
	        {DEC_FLOOR, "0.12", "-0.13"},     {DEC_CEIL, "0.13", "-0.12"},
	        {DEC_HALF_EVEN, "0.12", "-0.12"}, {DEC_HALF_UP, "0.13", "-0.13"},
	};
	for (size_t m = 0; m < sizeof q / sizeof q[0]; m++) {
		dec_t r;
		assert_int_equal(dec_div(P("1"), P("8"), 2, q[m].r, &r), 0);
		assert_string_equal(F(r, -1), q[m].pos);
		assert_int_equal(dec_div(P("1"), P("-8"), 2, q[m].r, &r), 0);
		assert_string_equal(F(r, -1), q[m].neg);
		assert_int_equal(dec_mul(P("0.25"), P("0.5"), 2, q[m].r, &r), 0);
		assert_string_equal(F(r, -1), q[m].pos);
		assert_int_equal(dec_mul(P("-0.25"), P("0.5"), 2, q[m].r, &r), 0);
		assert_string_equal(F(r, -1), q[m].neg);
	}
	dec_t r;
	assert_int_equal(dec_div(P("1"), P("8"), 2, DEC_EXACT, &r), -1);
	assert_int_equal(dec_div(P("1"), P("8"), 3, DEC_EXACT, &r), 0);
	assert_string_equal(F(r, -1), "0.125");
	assert_int_equal(dec_mul(P("0.25"), P("0.5"), 2, DEC_EXACT, &r), -1);
	assert_int_equal(dec_mul(P("1.5"), P("2"), 4, DEC_EXACT, &r), 0); /* scale up */
	assert_string_equal(F(r, -1), "3.0000");
	assert_int_equal(dec_div(P("0.35"), P("0.1"), 0, DEC_HALF_EVEN, &r), 0); /* 3.5 -> 4 */
	assert_string_equal(F(r, -1), "4");
	assert_int_equal(dec_div(P("0.45"), P("0.1"), 0, DEC_HALF_EVEN, &r), 0); /* 4.5 -> 4 */
	assert_string_equal(F(r, -1), "4");
}

/* Tick/lot rounding: the examples from the spec, negatives, and bad steps. */
static void round_step_examples(void **state)
{
	static const struct {
		const char *a, *step;
		enum dec_round r;
		const char *want; /* NULL: must fail */
	} t[] = {
	        {"61200.07", "0.5", DEC_FLOOR, "61200.0"},
	        {"61200.07", "0.5", DEC_CEIL, "61200.5"},
	        {"61200.07", "0.5", DEC_HALF_EVEN, "61200.0"},
	        {"61200.07", "0.5", DEC_DOWN, "61200.0"},
	        {"61200.07", "0.5", DEC_UP, "61200.5"},
	        {"61200.25", "0.5", DEC_HALF_EVEN, "61200.0"},
	        {"61200.75", "0.5", DEC_HALF_EVEN, "61201.0"},
	        {"61200.25", "0.5", DEC_HALF_UP, "61200.5"},
	        {"-61200.07", "0.5", DEC_FLOOR, "-61200.5"},
	        {"-61200.07", "0.5", DEC_CEIL, "-61200.0"},
	        {"-61200.07", "0.5", DEC_DOWN, "-61200.0"},
	        {"-61200.07", "0.5", DEC_UP, "-61200.5"},
	        {"-61200.25", "0.5", DEC_HALF_UP, "-61200.5"},
	        {"61200.5", "0.5", DEC_EXACT, "61200.5"},
	        {"61200.07", "0.5", DEC_EXACT, NULL},
	        {"0.123456", "0.0001", DEC_DOWN, "0.1234"},
	        {"0.00012", "0.0001", DEC_HALF_EVEN, "0.0001"},
	        {"17", "5", DEC_HALF_EVEN, "15"},
	        {"17.5", "5", DEC_HALF_EVEN, "20"},
	        {"7", "0.25", DEC_FLOOR, "7.00"},
	        {"1", "0", DEC_FLOOR, NULL},
	        {"1", "-0.5", DEC_FLOOR, NULL},
	        {"999999999999999999", "0.1", DEC_FLOOR, NULL},
	};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		dec_t r;
		int rc = dec_round_step(P(t[i].a), P(t[i].step), t[i].r, &r);
		if (!t[i].want) {
			if (rc == 0)
				fail_msg("%s step %s %s gave %s, want failure", t[i].a, t[i].step,
				         dec_round_name(t[i].r), F(r, -1));
			continue;
		}
		if (rc != 0 || strcmp(F(r, -1), t[i].want) != 0)
			fail_msg("%s step %s %s gave rc %d %s, want %s", t[i].a, t[i].step,
			         dec_round_name(t[i].r), rc, F(r, -1), t[i].want);
	}
	assert_true(dec_is_multiple(P("61200.5"), P("0.5")));
	assert_false(dec_is_multiple(P("61200.51"), P("0.5")));
	assert_true(dec_is_multiple(P("0"), P("0.001")));
	assert_false(dec_is_multiple(P("1"), P("0")));
}

/* dec_to_scaled is exact or fails. */
static void to_scaled(void **state)
{
	int64_t v;
	assert_int_equal(dec_to_scaled(P("45285.2"), 1, &v), 0);
	assert_int_equal(v, 452852);
	assert_int_equal(dec_to_scaled(P("0.001"), 8, &v), 0);
	assert_int_equal(v, 100000);
	assert_int_equal(dec_to_scaled(P("-1.50"), 1, &v), 0);
	assert_int_equal(v, -15);
	assert_int_equal(dec_to_scaled(P("0.05"), 1, &v), -1);
	assert_int_equal(dec_to_scaled(dec_make(INT64_MAX, 18), 18, &v), 0);
	assert_true(v == INT64_MAX);
	assert_int_equal(dec_to_scaled(dec_make(INT64_MIN, 0), 0, &v), 0);
	assert_true(v == INT64_MIN);
	assert_int_equal(dec_to_scaled(P("999999999999999999"), 2, &v), -1);
	assert_int_equal(dec_to_scaled(dec_make(INT64_MIN, 18), 18, &v), 0);
	assert_true(v == INT64_MIN);
	assert_int_equal(dec_to_scaled(dec_make(INT64_MAX, 17), 18, &v), -1);
	assert_int_equal(dec_to_scaled(P("1"), 19, &v), -1);
}

/* ---- properties --------------------------------------------------------- */

#define ITER 50000

/* parse(format(x)) == x, also through the grouped and trimmed forms. */
static void prop_roundtrip(void **state)
{
	rng = 0x5eed0001;
	for (int i = 0; i < ITER; i++) {
		dec_t a = rnd_dec(18, 18), b;
		char buf[DEC_FMT_MAX], nocomma[DEC_FMT_MAX];
		dec_fmt(a, -1, buf, sizeof buf);
		struct kerr e = KERR_INIT;
		if (dec_parse(buf, (size_t)-1, &b, &e) || b.m != a.m || b.s != a.s)
			fail_msg("round trip of m=%lld s=%u via \"%s\": %s", (long long)a.m, a.s,
			         buf, e.msg);
		dec_fmt_group(a, -1, buf, sizeof buf);
		size_t o = 0;
		for (const char *c = buf; *c; c++)
			if (*c != ',')
				nocomma[o++] = *c;
		nocomma[o] = '\0';
		assert_int_equal(dec_parse(nocomma, o, &b, NULL), 0);
		assert_true(b.m == a.m && b.s == a.s);
		dec_fmt_trim(a, buf, sizeof buf);
		assert_int_equal(dec_parse(buf, (size_t)-1, &b, NULL), 0);
		assert_true(dec_eq(a, b));
		/* padding to more places keeps the value when it still fits 18 digits */
		int places = a.s + (int)(rnd() % 4);
		dec_fmt(a, places, buf, sizeof buf);
		if (dec_parse(buf, (size_t)-1, &b, NULL) == 0)
			assert_true(dec_eq(a, b));
	}
}

/* dec_round_step lands on the grid, within one step, in the mode's direction. */
static void prop_round_step(void **state)
{
	rng = 0x5eed0002;
	for (int i = 0; i < ITER; i++) {
		dec_t a = rnd_dec(12, 6);
		dec_t step = dec_make(1 + (int64_t)(rnd() % 999), (unsigned)(rnd() % 7));
		unsigned s = a.s > step.s ? a.s : step.s;
		i128 A = at_scale(a, s), T = at_scale(step, s);
		for (size_t m = 0; m < sizeof all_modes / sizeof all_modes[0]; m++) {
			enum dec_round r = all_modes[m];
			dec_t q;
			int rc = dec_round_step(a, step, r, &q);
			if (r == DEC_EXACT) {
				assert_int_equal(rc, dec_is_multiple(a, step) ? 0 : -1);
				if (rc == 0)
					assert_true(dec_eq(q, a));
				continue;
			}
			if (rc != 0)
				fail_msg("round_step(%s, %s, %s) failed", F(a, -1), F(step, -1),
				         dec_round_name(r));
			assert_true(dec_is_multiple(q, step));
			assert_int_equal(q.s, step.s);
			i128 Q = at_scale(q, s), diff = Q - A;
			assert_true(diff < T && diff > -T); /* within one step */
			switch (r) {
			case DEC_FLOOR:
				assert_true(Q <= A);
				break;
			case DEC_CEIL:
				assert_true(Q >= A);
				break;
			case DEC_DOWN:
				assert_true(A >= 0 ? (Q <= A && Q >= 0) : (Q >= A && Q <= 0));
				break;
			case DEC_UP:
				assert_true(A >= 0 ? Q >= A : Q <= A);
				break;
			default:
				assert_true(2 * (diff < 0 ? -diff : diff) <= T);
				break;
			}
		}
	}
}

/* add/sub succeed exactly when the __int128 result fits, and invert each other. */
static void prop_add_sub(void **state)
{
	rng = 0x5eed0003;
	for (int i = 0; i < ITER; i++) {
		dec_t a = rnd_dec(18, 18), b = rnd_dec(18, 18), sum, diff, back;
		unsigned s = a.s > b.s ? a.s : b.s;
		i128 rs = at_scale(a, s) + at_scale(b, s), rd = at_scale(a, s) - at_scale(b, s);
		int rc = dec_add(a, b, &sum);
		assert_int_equal(rc, fits(rs) ? 0 : -1);
		if (rc == 0) {
			assert_true(sum.s == s && sum.m == (int64_t)rs);
			/* back at scale s is a itself, which need not fit at that scale */
			if (dec_sub(sum, b, &back) == 0)
				assert_true(dec_eq(back, a));
			else
				assert_false(fits(at_scale(a, s)));
		}
		rc = dec_sub(a, b, &diff);
		assert_int_equal(rc, fits(rd) ? 0 : -1);
		if (rc == 0) {
			assert_true(diff.s == s && diff.m == (int64_t)rd);
			/* back at scale s is a itself, which need not fit at that scale */
			if (dec_add(diff, b, &back) == 0)
				assert_true(dec_eq(back, a));
			else
				assert_false(fits(at_scale(a, s)));
		}
	}
}

/* mul/div agree with the reference in every mode or report overflow; exact
 * products divide back to the original. */
static void prop_mul_div(void **state)
{
	rng = 0x5eed0004;
	for (int i = 0; i < ITER; i++) {
		dec_t a = rnd_dec(1 + (int)(rnd() % 18), 9), b = rnd_dec(1 + (int)(rnd() % 18), 9);
		unsigned scale = (unsigned)(rnd() % 19);
		enum dec_round r = all_modes[rnd() % 7];
		dec_t q;
		bool inexact;

		/* multiplication */
		int shift = a.s + b.s - (int)scale;
		i128 n = (i128)a.m * b.m, d = 1;
		bool big = false;
		if (shift >= 0)
			d = pow10w(shift);
		else
			big = __builtin_mul_overflow(n, pow10w(-shift), &n);
		i128 ref = big ? 0 : ref_div(n, d, r, &inexact);
		int want = big || (r == DEC_EXACT && inexact) || !fits(ref) ? -1 : 0;
		int rc = dec_mul(a, b, scale, r, &q);
		if (rc != want || (rc == 0 && (q.m != (int64_t)ref || q.s != scale)))
			fail_msg("mul %s * %s @%u %s: rc %d %s", F(a, -1), F(b, -1), scale,
			         dec_round_name(r), rc, rc ? "" : F(q, -1));

		/* exact product, then divide back */
		dec_t p;
		if (dec_mul_exact(a, b, &p) == 0 && b.m != 0) {
			assert_int_equal(dec_div(p, b, a.s, DEC_EXACT, &q), 0);
			assert_true(q.m == a.m && q.s == a.s);
		}

		/* division: a/b * 10^scale = a.m * 10^e / b.m */
		if (b.m == 0) {
			assert_int_equal(dec_div(a, b, scale, r, &q), -1);
			continue;
		}
		int e = (int)scale + b.s - a.s;
		n = a.m;
		d = b.m;
		big = false;
		if (e >= 0) {
			i128 p10 = pow10w(e);
			big = __builtin_mul_overflow(n, p10, &n);
		} else {
			d *= pow10w(-e);
		}
		rc = dec_div(a, b, scale, r, &q);
		if (big) {
			assert_int_equal(rc, -1);
			continue;
		}
		ref = ref_div(n, d, r, &inexact);
		want = (r == DEC_EXACT && inexact) || !fits(ref) ? -1 : 0;
		if (rc != want || (rc == 0 && (q.m != (int64_t)ref || q.s != scale)))
			fail_msg("div %s / %s @%u %s: rc %d %s", F(a, -1), F(b, -1), scale,
			         dec_round_name(r), rc, rc ? "" : F(q, -1));
	}
}

/* Random text is either a valid decimal that formats back to itself or is rejected. */
static void prop_parse_junk(void **state)
{
	static const char alphabet[] = "0123456789.+-eE x,";
	rng = 0x5eed0005;
	for (int i = 0; i < ITER; i++) {
		char s[24];
		size_t n = rnd() % sizeof s;
		for (size_t k = 0; k < n; k++)
			s[k] = alphabet[rnd() % (sizeof alphabet - 1)];
		dec_t v;
		struct kerr e = KERR_INIT;
		if (dec_parse(s, n, &v, &e) != 0) {
			assert_true(e.code != 0 && e.msg[0]);
			continue;
		}
		/* accepted: reformatting and reparsing gives the same value */
		dec_t w;
		assert_int_equal(dec_parse(F(v, -1), (size_t)-1, &w, NULL), 0);
		assert_true(dec_eq(v, w));
		assert_null(memchr(s, 'e', n));
		assert_null(memchr(s, 'E', n));
		assert_null(memchr(s, ',', n));
		assert_null(memchr(s, ' ', n));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(parse_accepts),
	        cmocka_unit_test(parse_rejects),
	        cmocka_unit_test(parse_num_exponents),
	        cmocka_unit_test(parse_scaled),
	        cmocka_unit_test(format),
	        cmocka_unit_test(compare_and_basics),
	        cmocka_unit_test(overflow_edges),
	        cmocka_unit_test(rounding_modes),
	        cmocka_unit_test(round_step_examples),
	        cmocka_unit_test(to_scaled),
	        cmocka_unit_test(prop_roundtrip),
	        cmocka_unit_test(prop_round_step),
	        cmocka_unit_test(prop_add_sub),
	        cmocka_unit_test(prop_mul_div),
	        cmocka_unit_test(prop_parse_junk),
	};
	return kt_run_tests(tests);
}
