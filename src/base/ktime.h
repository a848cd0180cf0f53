/* ktime: wall-clock timestamps as int64 nanoseconds since the Unix epoch
 * (UTC), and the text forms Kraken uses:
 *   - RFC 3339 / ISO 8601: "2023-09-25T07:49:37.708706Z" (Spot WS v2, µs or
 *     ns), "2016-02-25T09:45:53.818Z" (Futures, ms), "+00:00" offsets;
 *   - "Sun, 22 Nov 26 22:27:02 +0000": Spot REST /0/public/Time's rfc1123
 *     field (two-digit year, numeric zone);
 *   - durations in config and the UI: "1h30m", "90s", "500ms".
 * int64 ns covers the years 1678..2261; anything outside fails cleanly.
 * No locale, no time zone database, no global state (no gmtime/timegm). */
#ifndef KT_BASE_KTIME_H
#define KT_BASE_KTIME_H

#include <stddef.h>
#include <stdint.h>

#include "base/kerr.h"

#define KTIME_NS_PER_SEC 1000000000LL
/* Enough for any ktime_fmt_* result. */
#define KTIME_FMT_MAX 40

enum ktime_err {
	KTIME_E_SYNTAX = 1, /* not a timestamp / duration */
	KTIME_E_RANGE,      /* a field out of range, or outside int64 ns */
};

/* Parse "YYYY-MM-DDTHH:MM:SS[.f{1,9}](Z|+hh:mm|-hh:mm)" ('t' or a space may
 * replace 'T'; a missing zone means UTC, as Kraken never sends local time).
 * n may be (size_t)-1 for a NUL-terminated string. */
int ktime_parse_rfc3339(const char *s, size_t n, int64_t *ns, struct kerr *err);
/* "2023-09-25T07:49:37.708706Z" with `digits` fractional digits (0..9;
 * truncated, not rounded). Returns the length like snprintf. */
int ktime_fmt_rfc3339(int64_t ns, int digits, char *buf, size_t cap);
/* Futures style, milliseconds: "2016-02-25T09:45:53.818Z". */
int ktime_fmt_ms(int64_t ns, char *buf, size_t cap);
/* Kraken's /0/public/Time rfc1123 field: "Sun, 22 Nov 26 22:27:02 +0000". */
int ktime_fmt_rfc1123(int64_t ns, char *buf, size_t cap);
/* HTTP Date header (RFC 9110 IMF-fixdate): "Sun, 22 Nov 2026 22:27:02 GMT". */
int ktime_fmt_http(int64_t ns, char *buf, size_t cap);

/* Parse a duration: one or more <number><unit> with unit d, h, m, s, ms, us
 * or ns and an optional fraction ("1.5s"); "1h30m", "90s", "500ms". A bare
 * number has no unit and is rejected. Negative durations are rejected. */
int ktime_parse_duration(const char *s, int64_t *ns, struct kerr *err);
/* Compact form for display: "1h30m", "90ms", "0s", "2d3h". Exact (no rounding). */
int ktime_fmt_duration(int64_t ns, char *buf, size_t cap);

/* Days since 1970-01-01 of a civil date (proleptic Gregorian) and back. */
int64_t ktime_days_from_civil(int64_t y, unsigned m, unsigned d);
void ktime_civil_from_days(int64_t days, int64_t *y, unsigned *m, unsigned *d);

#endif
