/* dec: exact fixed-point decimals (see dec.h and docs/decimals.md).
 *
 * All intermediate arithmetic runs in __int128, which holds any product of two
 * int64 mantissas and any mantissa times 10^18, so nothing can wrap silently;
 * the one remaining boundary (the 18-digit result) is checked in dec_fit. */
#include "base/dec.h"

#include <string.h>

typedef __int128 i128;
typedef unsigned __int128 u128;

static const int64_t pow10_64[19] = {
        1LL,
        10LL,
        100LL,
        1000LL,
        10000LL,
        100000LL,
        1000000LL,
        10000000LL,
        100000000LL,
        1000000000LL,
        10000000000LL,
        100000000000LL,
        1000000000000LL,
        10000000000000LL,
        100000000000000LL,
        1000000000000000LL,
        10000000000000000LL,
        100000000000000000LL,
        1000000000000000000LL,
};

/* 10^n for n in [0, 38] (10^38 still fits a signed __int128). */
static i128 p10(unsigned n)
{
	if (n <= 18)
		return pow10_64[n];
	return (i128)pow10_64[18] * p10(n - 18);
}

static i128 abs128(i128 v)
{
	return v < 0 ? -v : v;
}

const char *dec_round_name(enum dec_round r)
{
	switch (r) {
	case DEC_DOWN:
		return "down";
	case DEC_UP:
		return "up";
	case DEC_FLOOR:
		return "floor";
	case DEC_CEIL:
		return "ceil";
	case DEC_HALF_EVEN:
		return "half_even";
	case DEC_HALF_UP:
		return "half_up";
	case DEC_EXACT:
		return "exact";
	}
	return "?";
}

/* Store v at scale s if it has at most 18 digits. */
static int dec_fit(i128 v, unsigned s, dec_t *out)
{
	if (v > DEC_MANT_MAX || v < -DEC_MANT_MAX)
		return -DEC_E_OVERFLOW;
	*out = dec_make((int64_t)v, s);
	return 0;
}

/* n / d rounded with r (d != 0). Returns -DEC_E_INEXACT for DEC_EXACT with a
 * remainder. */
static int div_round(i128 n, i128 d, enum dec_round r, i128 *q)
{
	i128 q0 = n / d, rem = n % d;
	*q = q0;
	if (rem == 0)
		return 0;
	bool neg = (n < 0) != (d < 0);
	i128 away = neg ? q0 - 1 : q0 + 1;
	i128 arem = abs128(rem), other = abs128(d) - arem; /* distance to the far neighbour */
	switch (r) {
	case DEC_DOWN:
		break;
	case DEC_UP:
		*q = away;
		break;
	case DEC_FLOOR:
		*q = neg ? away : q0;
		break;
	case DEC_CEIL:
		*q = neg ? q0 : away;
		break;
	case DEC_HALF_UP:
		*q = arem >= other ? away : q0;
		break;
	case DEC_HALF_EVEN:
		if (arem > other || (arem == other && (q0 & 1)))
			*q = away;
		break;
	case DEC_EXACT:
	default:
		return -DEC_E_INEXACT;
	}
	return 0;
}

/* v (at scale from) expressed at scale to, rounding with r when digits drop.
 * from <= 36, to <= 18; the result may still exceed 18 digits. */
static int rescale128(i128 v, unsigned from, unsigned to, enum dec_round r, i128 *res)
{
	if (to >= from) {
		if (__builtin_mul_overflow(v, p10(to - from), res))
			return -DEC_E_OVERFLOW;
		return 0;
	}
	return div_round(v, p10(from - to), r, res);
}

int dec_cmp(dec_t a, dec_t b)
{
	if (a.s > DEC_MAX_SCALE || b.s > DEC_MAX_SCALE) /* invalid values: no UB, no meaning */
		return (a.m > b.m) - (a.m < b.m);
	unsigned s = a.s > b.s ? a.s : b.s;
	i128 x = (i128)a.m * p10(s - a.s), y = (i128)b.m * p10(s - b.s);
	return (x > y) - (x < y);
}

dec_t dec_min(dec_t a, dec_t b)
{
	return dec_cmp(a, b) <= 0 ? a : b;
}
dec_t dec_max(dec_t a, dec_t b)
{
	return dec_cmp(a, b) >= 0 ? a : b;
}

int dec_neg(dec_t a, dec_t *out)
{
	return dec_fit(-(i128)a.m, a.s, out) ? -1 : 0;
}

int dec_abs(dec_t a, dec_t *out)
{
	return dec_fit(abs128(a.m), a.s, out) ? -1 : 0;
}

int dec_add(dec_t a, dec_t b, dec_t *out)
{
	if (a.s > DEC_MAX_SCALE || b.s > DEC_MAX_SCALE)
		return -1;
	unsigned s = a.s > b.s ? a.s : b.s;
	i128 x = (i128)a.m * p10(s - a.s) + (i128)b.m * p10(s - b.s);
	return dec_fit(x, s, out) ? -1 : 0;
}

int dec_sub(dec_t a, dec_t b, dec_t *out)
{
	if (a.s > DEC_MAX_SCALE || b.s > DEC_MAX_SCALE)
		return -1;
	unsigned s = a.s > b.s ? a.s : b.s;
	i128 x = (i128)a.m * p10(s - a.s) - (i128)b.m * p10(s - b.s);
	return dec_fit(x, s, out) ? -1 : 0;
}

int dec_mul(dec_t a, dec_t b, unsigned scale, enum dec_round r, dec_t *out)
{
	i128 p;
	if (scale > DEC_MAX_SCALE || a.s > DEC_MAX_SCALE || b.s > DEC_MAX_SCALE)
		return -1;
	if (rescale128((i128)a.m * b.m, (unsigned)a.s + b.s, scale, r, &p))
		return -1;
	return dec_fit(p, scale, out) ? -1 : 0;
}

int dec_mul_exact(dec_t a, dec_t b, dec_t *out)
{
	unsigned s = (unsigned)a.s + b.s;
	if (s > DEC_MAX_SCALE)
		return -1;
	return dec_fit((i128)a.m * b.m, s, out) ? -1 : 0;
}

int dec_div(dec_t a, dec_t b, unsigned scale, enum dec_round r, dec_t *out)
{
	if (b.m == 0 || scale > DEC_MAX_SCALE || a.s > DEC_MAX_SCALE || b.s > DEC_MAX_SCALE)
		return -1;
	/* a/b * 10^scale = a.m * 10^(scale + b.s - a.s) / b.m */
	int e = (int)scale + b.s - a.s;
	i128 n = a.m, d = b.m, q;
	if (e >= 0) {
		/* If a.m * 10^e overflows __int128 (>= 2^127), the quotient is at
		 * least 2^127 / 2^63 = 2^64: an overflow either way. */
		if (__builtin_mul_overflow(n, p10((unsigned)e), &n))
			return -1;
	} else {
		d *= p10((unsigned)-e);
	}
	if (div_round(n, d, r, &q))
		return -1;
	return dec_fit(q, scale, out) ? -1 : 0;
}

int dec_rescale(dec_t a, unsigned scale, enum dec_round r, dec_t *out)
{
	i128 v;
	if (scale > DEC_MAX_SCALE || a.s > DEC_MAX_SCALE)
		return -1;
	if (rescale128(a.m, a.s, scale, r, &v))
		return -1;
	return dec_fit(v, scale, out) ? -1 : 0;
}

dec_t dec_normalize(dec_t a)
{
	if (a.m == 0)
		return dec_zero();
	while (a.s > 0 && a.m % 10 == 0) {
		a.m /= 10;
		a.s--;
	}
	return a;
}

int dec_round_step(dec_t a, dec_t step, enum dec_round r, dec_t *out)
{
	if (step.m <= 0 || a.s > DEC_MAX_SCALE || step.s > DEC_MAX_SCALE)
		return -1;
	unsigned s = a.s > step.s ? a.s : step.s;
	i128 x = (i128)a.m * p10(s - a.s), t = (i128)step.m * p10(s - step.s), k;
	if (div_round(x, t, r, &k))
		return -1;
	/* k * step at the step's own scale: a tick-rounded price prints like the tick. */
	return dec_fit(k * step.m, step.s, out) ? -1 : 0;
}

bool dec_is_multiple(dec_t a, dec_t step)
{
	if (step.m <= 0 || a.s > DEC_MAX_SCALE || step.s > DEC_MAX_SCALE)
		return false;
	unsigned s = a.s > step.s ? a.s : step.s;
	i128 x = (i128)a.m * p10(s - a.s), t = (i128)step.m * p10(s - step.s);
	return x % t == 0;
}

int dec_to_scaled(dec_t a, unsigned scale, int64_t *out)
{
	i128 v;
	if (scale > DEC_MAX_SCALE || a.s > DEC_MAX_SCALE)
		return -1;
	if (rescale128(a.m, a.s, scale, DEC_EXACT, &v) || v > INT64_MAX || v < INT64_MIN)
		return -1;
	*out = (int64_t)v;
	return 0;
}

/* ---- parsing ------------------------------------------------------------ */

/* The pieces of a syntactically valid number: digits before and after the
 * point, and the exponent. */
struct numtext {
	bool neg;
	const char *ip, *fp; /* integer and fraction digits */
	size_t il, fl;
	int64_t exp; /* saturated at +-1e6: anything that large is out of range anyway */
};

/* Digit k of the integer digits followed by the fraction digits. */
static char nt_digit(const struct numtext *t, size_t k)
{
	return k < t->il ? t->ip[k] : t->fp[k - t->il];
}

/* Describe what is wrong with s[i] in a way a person can act on. */
static int syntax_err(const char *s, size_t n, size_t i, struct kerr *err)
{
	int shown = n > 40 ? 40 : (int)n;
	const char *more = n > 40 ? "..." : "";
	unsigned char c = i < n ? (unsigned char)s[i] : 0;
	if (n == 0)
		return kerr_set(err, DEC_E_SYNTAX, "empty string is not a number");
	if (c == 'e' || c == 'E')
		return kerr_set(err, DEC_E_SYNTAX, "\"%.*s%s\": exponents are not allowed", shown,
		                s, more);
	if (c == 'x' || c == 'X')
		return kerr_set(err, DEC_E_SYNTAX, "\"%.*s%s\": hexadecimal is not allowed", shown,
		                s, more);
	if (c == ' ' || c == '\t' || c == '\n' || c == '\r')
		return kerr_set(err, DEC_E_SYNTAX, "\"%.*s%s\": spaces are not allowed", shown, s,
		                more);
	if (c == ',')
		return kerr_set(err, DEC_E_SYNTAX,
		                "\"%.*s%s\": digit group separators (',') are not allowed", shown,
		                s, more);
	if (i >= n)
		return kerr_set(err, DEC_E_SYNTAX, "\"%.*s%s\": no digits", shown, s, more);
	if (c < 0x20 || c >= 0x7f)
		return kerr_set(err, DEC_E_SYNTAX,
		                "\"%.*s%s\": unexpected byte 0x%02x at position %zu", shown, s,
		                more, c, i);
	return kerr_set(err, DEC_E_SYNTAX, "\"%.*s%s\": unexpected '%c' at position %zu", shown, s,
	                more, c, i);
}

static size_t scan_digits(const char *s, size_t n, size_t i)
{
	while (i < n && s[i] >= '0' && s[i] <= '9')
		i++;
	return i;
}

/* Split s into sign, digits and exponent; reject anything else. */
static int scan_number(const char *s, size_t n, bool allow_exp, struct numtext *t, struct kerr *err)
{
	size_t i = 0;
	memset(t, 0, sizeof *t);
	if (i < n && (s[i] == '+' || s[i] == '-'))
		t->neg = s[i++] == '-';
	t->ip = s + i;
	i = scan_digits(s, n, i);
	t->il = (size_t)(s + i - t->ip);
	if (i < n && s[i] == '.') {
		i++;
		t->fp = s + i;
		i = scan_digits(s, n, i);
		t->fl = (size_t)(s + i - t->fp);
	}
	if (t->il + t->fl == 0) {
		size_t at = (t->fp ? (size_t)(t->fp - s) : i);
		if (allow_exp && at < n && (s[at] == 'e' || s[at] == 'E'))
			return kerr_set(err, DEC_E_SYNTAX,
			                "\"%.*s\": no digits before the exponent",
			                n > 40 ? 40 : (int)n, s);
		if (at < n && (s[at] == 'n' || s[at] == 'N' || s[at] == 'i' || s[at] == 'I'))
			return kerr_set(err, DEC_E_SYNTAX, "\"%.*s\": not a number",
			                n > 40 ? 40 : (int)n, s);
		return syntax_err(s, n, at, err);
	}
	if (i < n && (s[i] == 'e' || s[i] == 'E') && allow_exp) {
		size_t e0 = i++;
		bool eneg = false;
		if (i < n && (s[i] == '+' || s[i] == '-'))
			eneg = s[i++] == '-';
		size_t d0 = i;
		for (; i < n && s[i] >= '0' && s[i] <= '9'; i++)
			if (t->exp < 1000000)
				t->exp = t->exp * 10 + (s[i] - '0');
		if (i == d0)
			return kerr_set(err, DEC_E_SYNTAX,
			                "\"%.*s\": exponent without digits at position %zu",
			                n > 40 ? 40 : (int)n, s, e0);
		if (eneg)
			t->exp = -t->exp;
	}
	if (i < n) {
		/* "0x10": the x follows a lone zero */
		return syntax_err(s, n, i, err);
	}
	return 0;
}

/* Build the exact value of t, keeping its written scale where it fits. */
static int build_number(const struct numtext *t, const char *s, size_t n, dec_t *out,
                        struct kerr *err)
{
	size_t L = t->il + t->fl, first = 0, last;
	int shown = n > 40 ? 40 : (int)n;
	while (first < L && nt_digit(t, first) == '0')
		first++;
	int64_t s0 = (int64_t)t->fl - t->exp; /* the scale as written */
	if (first == L) {                     /* zero: keep the written scale, within range */
		*out = dec_make(0, s0 < 0 ? 0 : s0 > DEC_MAX_SCALE ? DEC_MAX_SCALE : (unsigned)s0);
		return 0;
	}
	last = L - 1;
	while (nt_digit(t, last) == '0')
		last--;
	/* value = N * 10^emin, N = digits[first..last] (k digits, no trailing zeros) */
	int64_t k = (int64_t)(last - first + 1);
	int64_t emin = t->exp - (int64_t)t->fl + (int64_t)(L - 1 - last);
	int64_t sreq = emin < 0 ? -emin : 0;
	if (sreq > DEC_MAX_SCALE)
		return kerr_set(err, DEC_E_SCALE,
		                "\"%.*s\": more than %d digits after the decimal point", shown, s,
		                DEC_MAX_SCALE);
	int64_t sc = s0 < 0 ? 0 : s0 > DEC_MAX_SCALE ? DEC_MAX_SCALE : s0;
	if (sc < sreq)
		sc = sreq;
	if (k + emin + sc > 18) /* drop written trailing zeros that do not fit */
		sc = 18 - k - emin > sreq ? 18 - k - emin : sreq;
	if (k + emin + sc > 18)
		return kerr_set(err, DEC_E_OVERFLOW,
		                "\"%.*s\": more than 18 significant digits (out of range)", shown,
		                s);
	int64_t m = 0;
	for (size_t j = first; j <= last; j++)
		m = m * 10 + (nt_digit(t, j) - '0');
	m *= pow10_64[emin + sc];
	*out = dec_make(t->neg ? -m : m, (unsigned)sc);
	return 0;
}

static int parse_common(const char *s, size_t n, bool allow_exp, dec_t *out, struct kerr *err)
{
	struct numtext t;
	if (!s)
		return kerr_set(err, DEC_E_SYNTAX, "no number given");
	if (n == (size_t)-1)
		n = strlen(s);
	if (scan_number(s, n, allow_exp, &t, err))
		return -1;
	return build_number(&t, s, n, out, err);
}

int dec_parse(const char *s, size_t n, dec_t *out, struct kerr *err)
{
	return parse_common(s, n, false, out, err);
}

int dec_parse_num(const char *s, size_t n, dec_t *out, struct kerr *err)
{
	return parse_common(s, n, true, out, err);
}

int dec_parse_scaled(const char *s, size_t n, unsigned scale, enum dec_round r, dec_t *out,
                     struct kerr *err)
{
	dec_t v;
	if (scale > DEC_MAX_SCALE)
		return kerr_set(err, DEC_E_SCALE, "scale %u is more than %d", scale, DEC_MAX_SCALE);
	if (dec_parse(s, n, &v, err))
		return -1;
	if (dec_rescale(v, scale, r, out)) {
		if (r == DEC_EXACT && v.s > scale)
			return kerr_set(err, DEC_E_INEXACT,
			                "\"%.*s\": at most %u digits after the decimal point",
			                (int)(n == (size_t)-1 ? strlen(s) : n), s, scale);
		return kerr_set(err, DEC_E_OVERFLOW, "\"%.*s\": out of range at %u decimal places",
		                (int)(n == (size_t)-1 ? strlen(s) : n), s, scale);
	}
	return 0;
}

/* ---- formatting --------------------------------------------------------- */

/* Core formatter: writes into tmp (DEC_FMT_MAX bytes) and returns the length. */
static size_t fmt_tmp(dec_t a, int places, bool group, char *tmp)
{
	unsigned s = a.s > DEC_MAX_SCALE ? DEC_MAX_SCALE : a.s;
	unsigned p = places < 0 ? s : places > DEC_MAX_SCALE ? DEC_MAX_SCALE : (unsigned)places;
	i128 v = a.m;
	if (a.s > DEC_MAX_SCALE) /* not a valid dec; print it rounded rather than garbage */
		div_round(v, p10(a.s - DEC_MAX_SCALE), DEC_HALF_EVEN, &v);
	if (p < s)
		div_round(v, p10(s - p), DEC_HALF_EVEN, &v);
	u128 u = v < 0 ? -(u128)v : (u128)v;
	char digits[48];
	size_t nd = 0;
	do {
		digits[nd++] = (char)('0' + (int)(u % 10));
		u /= 10;
	} while (u);
	/* digits[] is reversed and holds the value at scale min(p, s); pad to p places. */
	unsigned have = p < s ? p : s;
	unsigned pad = p - have;
	while (nd <= have) /* at least one integer digit */
		digits[nd++] = '0';
	size_t o = 0, ni = nd - have;
	if (v < 0)
		tmp[o++] = '-';
	for (size_t i = 0; i < ni; i++) {
		if (group && i > 0 && (ni - i) % 3 == 0)
			tmp[o++] = ',';
		tmp[o++] = digits[nd - 1 - i];
	}
	if (p > 0) {
		tmp[o++] = '.';
		for (size_t i = ni; i < nd; i++)
			tmp[o++] = digits[nd - 1 - i];
		for (unsigned i = 0; i < pad; i++)
			tmp[o++] = '0';
	}
	tmp[o] = '\0';
	return o;
}

static int fmt_out(const char *tmp, size_t len, char *buf, size_t cap)
{
	if (cap) {
		size_t c = len < cap - 1 ? len : cap - 1;
		memcpy(buf, tmp, c);
		buf[c] = '\0';
	}
	return (int)len;
}

int dec_fmt(dec_t a, int places, char *buf, size_t cap)
{
	char tmp[DEC_FMT_MAX];
	return fmt_out(tmp, fmt_tmp(a, places, false, tmp), buf, cap);
}

int dec_fmt_group(dec_t a, int places, char *buf, size_t cap)
{
	char tmp[DEC_FMT_MAX];
	return fmt_out(tmp, fmt_tmp(a, places, true, tmp), buf, cap);
}

int dec_fmt_trim(dec_t a, char *buf, size_t cap)
{
	return dec_fmt(dec_normalize(a), -1, buf, cap);
}
