/* fmt: number, time and age formatting for narrow terminal columns. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "ui/ui_int.h"

void fmt_dec(char *buf, size_t cap, dec_t v, int places) { dec_fmt(v, places, buf, cap); }

void fmt_dec_group(char *buf, size_t cap, dec_t v, int places)
{
	dec_fmt_group(v, places, buf, cap);
}

void fmt_qty_short(char *buf, size_t cap, dec_t v, int places)
{
	static const struct {
		int64_t div;
		const char *suffix;
	} units[] = {{1000000000000LL, "T"}, {1000000000LL, "B"}, {1000000LL, "M"}, {1000LL, "k"}};
	dec_t a;
	if (dec_abs(v, &a) < 0)
		a = v;
	for (size_t i = 0; i < sizeof units / sizeof units[0]; i++) {
		dec_t lim = dec_from_int(units[i].div * 10);
		if (dec_ge(a, lim)) {
			dec_t q, qa;
			/* At most 4 digits, so it fits the columns it is meant for. */
			int dp = dec_ge(a, dec_from_int(units[i].div * 100)) ? 0 : 1;
			if (dec_div(v, dec_from_int(units[i].div), dp, DEC_HALF_EVEN, &q) == 0) {
				char n[DEC_FMT_MAX];
				if (dec_abs(q, &qa) == 0 && dp == 1 && dec_ge(qa, dec_from_int(100)))
					dp = 0; /* 99.96k rounds to 100.0k: show 100k */
				dec_fmt(q, dp, n, sizeof n);
				snprintf(buf, cap, "%s%s", n, units[i].suffix);
				return;
			}
		}
	}
	dec_fmt(v, places, buf, cap);
}

void fmt_pct(char *buf, size_t cap, dec_t pct, int places, bool sign)
{
	char n[DEC_FMT_MAX];
	dec_fmt(pct, places, n, sizeof n);
	snprintf(buf, cap, "%s%s%%", sign && dec_sign(pct) > 0 ? "+" : "", n);
}

void fmt_age(char *buf, size_t cap, int64_t ms)
{
	if (ms < 0)
		ms = 0;
	if (ms < 10000)
		snprintf(buf, cap, "%d.%ds", (int)(ms / 1000), (int)(ms % 1000 / 100));
	else if (ms < 120000)
		snprintf(buf, cap, "%ds", (int)(ms / 1000));
	else if (ms < 7200000)
		snprintf(buf, cap, "%dm", (int)(ms / 60000));
	else
		snprintf(buf, cap, "%dh", (int)(ms / 3600000));
}

void fmt_countdown(char *buf, size_t cap, int64_t ms)
{
	if (ms < 0)
		ms = 0;
	int64_t s = ms / 1000;
	if (s >= 3600)
		snprintf(buf, cap, "%d:%02d:%02d", (int)(s / 3600), (int)(s / 60 % 60), (int)(s % 60));
	else
		snprintf(buf, cap, "%02d:%02d", (int)(s / 60), (int)(s % 60));
}

void fmt_time_hms(char *buf, size_t cap, int64_t epoch_ms)
{
	time_t t = (time_t)(epoch_ms / 1000);
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(buf, cap, "%H:%M:%S", &tm);
}
