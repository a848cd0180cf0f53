/* ktime: timestamp and duration text (see ktime.h). */
#include "base/ktime.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#define NS_PER_DAY (86400LL * KTIME_NS_PER_SEC)

int64_t ktime_days_from_civil(int64_t y, unsigned m, unsigned d)
{
	/* Howard Hinnant's algorithm: shift the year to start in March so the
	 * leap day is the last day of the (shifted) year. */
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;
	int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

void ktime_civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
	z += 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	*d = (unsigned)(doy - (153 * mp + 2) / 5 + 1);
	*m = (unsigned)(mp < 10 ? mp + 3 : mp - 9);
	*y = yoe + era * 400 + (*m <= 2);
}

static bool leap(int64_t y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static unsigned month_days(int64_t y, unsigned m)
{
	static const unsigned char dm[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	return m == 2 && leap(y) ? 29 : dm[m - 1];
}

/* Exactly `w` digits at s[*i]; -1 if not. */
static int fixed_num(const char *s, size_t n, size_t *i, int w)
{
	int v = 0;
	for (int k = 0; k < w; k++, (*i)++) {
		if (*i >= n || s[*i] < '0' || s[*i] > '9')
			return -1;
		v = v * 10 + (s[*i] - '0');
	}
	return v;
}

static bool expect(const char *s, size_t n, size_t *i, char c)
{
	if (*i < n && s[*i] == c) {
		(*i)++;
		return true;
	}
	return false;
}

static int ts_err(const char *s, size_t n, int code, const char *what, struct kerr *err)
{
	return kerr_set(err, code, "\"%.*s\": %s", n > 48 ? 48 : (int)n, s, what);
}

/* The "Z" / "+hh:mm" / "-hhmm" / nothing at the end, as seconds east of UTC. */
static int parse_zone(const char *s, size_t n, size_t i, int *off, struct kerr *err)
{
	*off = 0;
	if (i == n)
		return 0;
	if ((s[i] == 'Z' || s[i] == 'z') && i + 1 == n)
		return 0;
	if (s[i] != '+' && s[i] != '-')
		return ts_err(s, n, KTIME_E_SYNTAX, "expected 'Z' or a +hh:mm offset", err);
	int sign = s[i++] == '-' ? -1 : 1;
	int hh = fixed_num(s, n, &i, 2);
	expect(s, n, &i, ':');
	int mm = fixed_num(s, n, &i, 2);
	if (hh < 0 || mm < 0 || i != n)
		return ts_err(s, n, KTIME_E_SYNTAX, "bad time zone offset (expected +hh:mm)", err);
	if (hh > 23 || mm > 59)
		return ts_err(s, n, KTIME_E_RANGE, "time zone offset out of range", err);
	*off = sign * (hh * 3600 + mm * 60);
	return 0;
}

int ktime_parse_rfc3339(const char *s, size_t n, int64_t *ns, struct kerr *err)
{
	size_t i = 0;
	if (!s)
		return kerr_set(err, KTIME_E_SYNTAX, "no timestamp given");
	if (n == (size_t)-1)
		n = strlen(s);
	int y = fixed_num(s, n, &i, 4);
	bool ok = y >= 0 && expect(s, n, &i, '-');
	int mo = ok ? fixed_num(s, n, &i, 2) : -1;
	ok = mo >= 0 && expect(s, n, &i, '-');
	int d = ok ? fixed_num(s, n, &i, 2) : -1;
	ok = d >= 0 && (expect(s, n, &i, 'T') || expect(s, n, &i, 't') || expect(s, n, &i, ' '));
	int hh = ok ? fixed_num(s, n, &i, 2) : -1;
	ok = hh >= 0 && expect(s, n, &i, ':');
	int mi = ok ? fixed_num(s, n, &i, 2) : -1;
	ok = mi >= 0 && expect(s, n, &i, ':');
	int se = ok ? fixed_num(s, n, &i, 2) : -1;
	if (se < 0)
		return ts_err(s, n, KTIME_E_SYNTAX,
		              "not an RFC 3339 timestamp (expected YYYY-MM-DDTHH:MM:SSZ)", err);
	int64_t frac = 0;
	if (expect(s, n, &i, '.')) {
		int nd = 0;
		for (; i < n && s[i] >= '0' && s[i] <= '9'; i++, nd++)
			if (nd < 9)
				frac = frac * 10 + (s[i] - '0');
		if (nd == 0 || nd > 9)
			return ts_err(s, n, KTIME_E_SYNTAX,
			              "fraction of a second needs 1 to 9 digits", err);
		for (; nd < 9; nd++)
			frac *= 10;
	}
	int off;
	if (parse_zone(s, n, i, &off, err))
		return -1;
	if (mo < 1 || mo > 12 || d < 1 || (unsigned)d > month_days(y, (unsigned)mo) || hh > 23 ||
	    mi > 59 || se > 60)
		return ts_err(s, n, KTIME_E_RANGE, "date or time field out of range", err);
	int64_t secs = ktime_days_from_civil(y, (unsigned)mo, (unsigned)d) * 86400 + hh * 3600 +
	               mi * 60 + se - off;
	int64_t v;
	if (__builtin_mul_overflow(secs, KTIME_NS_PER_SEC, &v) ||
	    __builtin_add_overflow(v, frac, &v))
		return ts_err(s, n, KTIME_E_RANGE, "outside the representable years 1678..2261",
		              err);
	*ns = v;
	return 0;
}

struct civil {
	int64_t y;
	unsigned mo, d, h, mi, s, wday;
	int64_t nsec; /* 0..999999999 */
};

static void civil_of(int64_t ns, struct civil *c)
{
	int64_t days = ns / NS_PER_DAY, rem = ns % NS_PER_DAY;
	if (rem < 0) {
		rem += NS_PER_DAY;
		days--;
	}
	ktime_civil_from_days(days, &c->y, &c->mo, &c->d);
	int64_t sod = rem / KTIME_NS_PER_SEC;
	c->nsec = rem % KTIME_NS_PER_SEC;
	c->h = (unsigned)(sod / 3600);
	c->mi = (unsigned)(sod / 60 % 60);
	c->s = (unsigned)(sod % 60);
	c->wday = (unsigned)(((days % 7) + 11) % 7); /* 1970-01-01 was a Thursday (4) */
}

static const char *const wday_name[7] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
static const char *const mon_name[12] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                         "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

int ktime_fmt_rfc3339(int64_t ns, int digits, char *buf, size_t cap)
{
	struct civil c;
	char frac[12] = "";
	civil_of(ns, &c);
	if (digits > 9)
		digits = 9;
	if (digits > 0) {
		int64_t f = c.nsec;
		for (int k = digits; k < 9; k++)
			f /= 10;
		snprintf(frac, sizeof frac, ".%0*lld", digits, (long long)f);
	}
	return snprintf(buf, cap, "%04lld-%02u-%02uT%02u:%02u:%02u%sZ", (long long)c.y, c.mo, c.d,
	                c.h, c.mi, c.s, frac);
}

int ktime_fmt_ms(int64_t ns, char *buf, size_t cap)
{
	return ktime_fmt_rfc3339(ns, 3, buf, cap);
}

int ktime_fmt_rfc1123(int64_t ns, char *buf, size_t cap)
{
	struct civil c;
	civil_of(ns, &c);
	int yy = (int)(((c.y % 100) + 100) % 100);
	return snprintf(buf, cap, "%s, %02u %s %02d %02u:%02u:%02u +0000", wday_name[c.wday], c.d,
	                mon_name[c.mo - 1], yy, c.h, c.mi, c.s);
}

int ktime_fmt_http(int64_t ns, char *buf, size_t cap)
{
	struct civil c;
	civil_of(ns, &c);
	return snprintf(buf, cap, "%s, %02u %s %04lld %02u:%02u:%02u GMT", wday_name[c.wday], c.d,
	                mon_name[c.mo - 1], (long long)c.y, c.h, c.mi, c.s);
}

/* ---- durations ---------------------------------------------------------- */

static const struct {
	const char *name;
	int64_t ns;
} dur_units[] = {
        {"ns", 1},
        {"us", 1000},
        {"\xc2\xb5s", 1000}, /* µs */
        {"ms", 1000000},
        {"s", KTIME_NS_PER_SEC},
        {"m", 60 * KTIME_NS_PER_SEC},
        {"h", 3600 * KTIME_NS_PER_SEC},
        {"d", NS_PER_DAY},
};

/* The unit at s (longest match), or -1. */
static int dur_unit(const char *s, size_t *len)
{
	int best = -1;
	size_t bl = 0;
	for (size_t u = 0; u < sizeof dur_units / sizeof dur_units[0]; u++) {
		size_t l = strlen(dur_units[u].name);
		if (l > bl && strncmp(s, dur_units[u].name, l) == 0) {
			best = (int)u;
			bl = l;
		}
	}
	*len = bl;
	return best;
}

int ktime_parse_duration(const char *s, int64_t *ns, struct kerr *err)
{
	const char *p = s;
	size_t n = s ? strlen(s) : 0;
	__int128 total = 0;
	if (n == 0)
		return kerr_set(err, KTIME_E_SYNTAX,
		                "empty duration (expected e.g. 1h30m, 90s, 500ms)");
	if (*p == '-')
		return kerr_set(err, KTIME_E_RANGE, "\"%s\": negative durations are not allowed",
		                s);
	while (*p) {
		int64_t whole = 0, frac = 0, fscale = 1;
		const char *d0 = p;
		for (; *p >= '0' && *p <= '9'; p++)
			if (__builtin_mul_overflow(whole, 10, &whole) ||
			    __builtin_add_overflow(whole, *p - '0', &whole))
				return kerr_set(err, KTIME_E_RANGE, "\"%s\": duration too long", s);
		if (*p == '.') {
			for (p++; *p >= '0' && *p <= '9'; p++)
				if (fscale < 1000000000000000000LL) {
					frac = frac * 10 + (*p - '0');
					fscale *= 10;
				}
		}
		if (p == d0 || (p - d0 == 1 && *d0 == '.'))
			return kerr_set(err, KTIME_E_SYNTAX,
			                "\"%s\": expected a number at position %zu (e.g. 1h30m)", s,
			                (size_t)(d0 - s));
		size_t ul;
		int u = dur_unit(p, &ul);
		if (u < 0)
			return kerr_set(
			        err, KTIME_E_SYNTAX,
			        "\"%s\": missing or unknown unit at position %zu (use d, h, m, "
			        "s, ms, us, ns)",
			        s, (size_t)(p - s));
		p += ul;
		total += (__int128)whole * dur_units[u].ns +
		         (__int128)frac * dur_units[u].ns / fscale;
		if (total > INT64_MAX)
			return kerr_set(err, KTIME_E_RANGE, "\"%s\": duration too long", s);
	}
	*ns = (int64_t)total;
	return 0;
}

int ktime_fmt_duration(int64_t ns, char *buf, size_t cap)
{
	char tmp[KTIME_FMT_MAX * 2];
	size_t o = 0;
	uint64_t v = ns < 0 ? (uint64_t)0 - (uint64_t)ns : (uint64_t)ns;
	static const struct {
		const char *name;
		uint64_t ns;
	} parts[] = {{"d", 86400000000000ULL},
	             {"h", 3600000000000ULL},
	             {"m", 60000000000ULL},
	             {"s", 1000000000ULL},
	             {"ms", 1000000ULL},
	             {"us", 1000ULL},
	             {"ns", 1ULL}};
	if (ns < 0)
		tmp[o++] = '-';
	if (v == 0)
		return snprintf(buf, cap, "0s");
	for (size_t k = 0; k < sizeof parts / sizeof parts[0]; k++) {
		uint64_t q = v / parts[k].ns;
		if (q) {
			o += (size_t)snprintf(tmp + o, sizeof tmp - o, "%llu%s",
			                      (unsigned long long)q, parts[k].name);
			v %= parts[k].ns;
		}
	}
	return snprintf(buf, cap, "%s", tmp);
}
