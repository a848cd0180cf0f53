/* dec: exact fixed-point decimals for prices, sizes, balances and fees.
 *
 * A value is m * 10^-s: a signed 64-bit mantissa and a scale s in [0, 18]
 * (the number of digits after the point). That holds 18 significant digits
 * exactly. Nothing here ever goes through a double. Every operation that can
 * overflow or must round says so: functions return 0 on success and -1 on
 * overflow / invalid input (filling `err` when given), and rounding is always
 * an explicit argument. */
#ifndef KT_BASE_DEC_H
#define KT_BASE_DEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/kerr.h"

#define DEC_MAX_SCALE 18
/* The largest mantissa any operation here produces: 18 nines. Results that
 * would need a 19th digit fail with DEC_E_OVERFLOW even though int64 could
 * hold some of them, so every value round-trips through text. */
#define DEC_MANT_MAX 999999999999999999LL

typedef struct {
	int64_t m; /* mantissa */
	uint8_t s; /* scale: digits after the decimal point, 0..18 */
} dec_t;

enum dec_round {
	DEC_DOWN,      /* toward zero (truncate) */
	DEC_UP,        /* away from zero */
	DEC_FLOOR,     /* toward -infinity */
	DEC_CEIL,      /* toward +infinity */
	DEC_HALF_EVEN, /* nearest, ties to even (banker's) */
	DEC_HALF_UP,   /* nearest, ties away from zero */
	DEC_EXACT,     /* fail (-1) if rounding would change the value */
};

enum dec_err {
	DEC_E_SYNTAX = 1, /* not a decimal number */
	DEC_E_OVERFLOW,   /* more than 18 significant digits, or out of range */
	DEC_E_SCALE,      /* more than 18 digits after the point */
	DEC_E_INEXACT,    /* DEC_EXACT rounding would lose digits */
	DEC_E_DIVZERO,
};

static inline dec_t dec_make(int64_t m, unsigned s) { return (dec_t){m, (uint8_t)s}; }
static inline dec_t dec_zero(void) { return (dec_t){0, 0}; }
static inline dec_t dec_from_int(int64_t v) { return (dec_t){v, 0}; }
static inline bool dec_is_zero(dec_t a) { return a.m == 0; }
static inline int dec_sign(dec_t a) { return (a.m > 0) - (a.m < 0); }

/* Strict parse of a decimal string: [+-]digits[.digits], or [+-].digits, or
 * [+-]digits. (e.g. ".5", "5.", "+1.25", "-0.001"). Exponents, spaces, hex,
 * "inf"/"nan" and junk are rejected. Trailing zeros keep their scale ("1.50"
 * has scale 2) unless the scale would exceed 18, in which case zeros beyond it
 * are dropped. n may be (size_t)-1 for a NUL-terminated string. */
int dec_parse(const char *s, size_t n, dec_t *out, struct kerr *err);
/* Like dec_parse, but also accepts a JSON-number exponent ("5.494e-6",
 * "1E+3"): for numbers received from an exchange, never for user input. */
int dec_parse_num(const char *s, size_t n, dec_t *out, struct kerr *err);

/* Comparison by value (scales may differ): -1, 0 or 1. */
int dec_cmp(dec_t a, dec_t b);
static inline bool dec_eq(dec_t a, dec_t b) { return dec_cmp(a, b) == 0; }
static inline bool dec_lt(dec_t a, dec_t b) { return dec_cmp(a, b) < 0; }
static inline bool dec_le(dec_t a, dec_t b) { return dec_cmp(a, b) <= 0; }
static inline bool dec_gt(dec_t a, dec_t b) { return dec_cmp(a, b) > 0; }
static inline bool dec_ge(dec_t a, dec_t b) { return dec_cmp(a, b) >= 0; }
dec_t dec_min(dec_t a, dec_t b);
dec_t dec_max(dec_t a, dec_t b);
int dec_neg(dec_t a, dec_t *out);
int dec_abs(dec_t a, dec_t *out);

/* Exact sum/difference at the larger of the two scales. */
int dec_add(dec_t a, dec_t b, dec_t *out);
int dec_sub(dec_t a, dec_t b, dec_t *out);
/* Product / quotient rounded to `scale` digits with rounding mode r. */
int dec_mul(dec_t a, dec_t b, unsigned scale, enum dec_round r, dec_t *out);
int dec_div(dec_t a, dec_t b, unsigned scale, enum dec_round r, dec_t *out);
/* Exact product at scale a.s + b.s (fails if that exceeds 18 or overflows). */
int dec_mul_exact(dec_t a, dec_t b, dec_t *out);
/* Change the scale, rounding with r when digits are dropped. */
int dec_rescale(dec_t a, unsigned scale, enum dec_round r, dec_t *out);
/* Drop trailing zeros (1.2500 -> 1.25, 10.0 -> 10). Never fails. */
dec_t dec_normalize(dec_t a);

/* Round a to a multiple of step (> 0), e.g. a tick or lot size. */
int dec_round_step(dec_t a, dec_t step, enum dec_round r, dec_t *out);
/* Is a an exact multiple of step (> 0)? */
bool dec_is_multiple(dec_t a, dec_t step);

/* Convert to an integer count of `unit`-sized steps of scale `scale`, i.e.
 * a * 10^scale, which must be exact (used by books keyed by integer ticks). */
int dec_to_scaled(dec_t a, unsigned scale, int64_t *out);

/* Format with exactly `places` digits after the point (rounding half-even when
 * places < a.s), or at the value's own scale when places < 0. Writes at most
 * cap bytes including the NUL and returns the length (like snprintf). */
int dec_fmt(dec_t a, int places, char *buf, size_t cap);
/* As dec_fmt, with ',' between groups of three integer digits ("61,200.0"). */
int dec_fmt_group(dec_t a, int places, char *buf, size_t cap);
/* Format at the value's own scale with trailing zeros removed ("1.5", "2"). */
int dec_fmt_trim(dec_t a, char *buf, size_t cap);

/* A buffer big enough for any dec_fmt result (sign, 19 digits, point, commas;
 * `places` above 18 is treated as 18). */
#define DEC_FMT_MAX 48

/* Parse a decimal string into a value of exactly `scale` places (rounding
 * with r when the text has more places): handy for user input checked
 * against an instrument's precision. Same syntax as dec_parse. */
int dec_parse_scaled(const char *s, size_t n, unsigned scale, enum dec_round r, dec_t *out,
		     struct kerr *err);
/* Name of a rounding mode ("half_even"), for messages. */
const char *dec_round_name(enum dec_round r);

#endif
