/* fuzz_fields: the small parsers of what a user types or a config holds — the
 * order-ticket fields (decimals, side, type, time in force, trigger signal, Spot
 * relative prices), durations and timestamps, log levels, colour and key names,
 * query strings, and the command line itself (cli_parse).
 *
 * Besides "never crash", every parser that has a formatter must round-trip: what
 * parses, formatted and parsed again, is the same value (a price that changed on
 * the way to the wire would be a wrong order). A violation abort()s.
 *
 * Input: the bytes are one field; for cli_parse they are split at NUL or newline
 * into argv. Seeds: tests/fuzz/corpus/fields. */
#include <stdlib.h>
#include <string.h>

#include "app/cfg.h"
#include "app/cli.h"
#include "base/dec.h"
#include "base/ktime.h"
#include "base/log.h"
#include "base/sbuf.h"
#include "base/urlenc.h"
#include "base/uuid.h"
#include "core/types.h"
#include "kraken/fut_rest_codec.h"
#include "kraken/spot_rest_codec.h"
#include "tests/fuzz/fuzz.h"
#include "ui/keymap.h"
#include "ui/theme.h"

const char *const fuzz_seeds[] = {"tests/fuzz/corpus/fields", NULL};

#define CHECK(c)                                                                                   \
	do {                                                                                       \
		if (!(c))                                                                          \
			abort();                                                                   \
	} while (0)

static void decimals(const char *s, size_t n)
{
	dec_t v, w;
	char buf[DEC_FMT_MAX];
	if (dec_parse(s, n, &v, NULL) == 0) {
		CHECK(v.s <= DEC_MAX_SCALE);
		int len = dec_fmt(v, -1, buf, sizeof buf);
		CHECK(len > 0 && (size_t)len < sizeof buf);
		CHECK(dec_parse(buf, (size_t)-1, &w, NULL) == 0 && dec_eq(v, w) && w.s == v.s);
		dec_fmt_group(v, (int)(n % 20), buf, sizeof buf);
		dec_fmt_trim(v, buf, sizeof buf);
		CHECK(dec_parse(buf, (size_t)-1, &w, NULL) == 0 && dec_eq(v, w));
	}
	if (dec_parse_num(s, n, &v, NULL) == 0) {
		CHECK(v.s <= DEC_MAX_SCALE);
		dec_fmt(v, -1, buf, sizeof buf);
		CHECK(dec_parse(buf, (size_t)-1, &w, NULL) == 0 && dec_eq(v, w));
	}
	if (fut_num(s, n, &v, NULL) == 0)
		CHECK(v.s <= DEC_MAX_SCALE);
	for (unsigned scale = 0; scale <= DEC_MAX_SCALE; scale += 6)
		if (dec_parse_scaled(s, n, scale, DEC_HALF_EVEN, &v, NULL) == 0)
			CHECK(v.s == scale);
}

static void times(const char *s, size_t n)
{
	int64_t ns, back;
	char buf[KTIME_FMT_MAX];
	if (ktime_parse_rfc3339(s, n, &ns, NULL) == 0) {
		ktime_fmt_rfc3339(ns, 9, buf, sizeof buf);
		CHECK(ktime_parse_rfc3339(buf, (size_t)-1, &back, NULL) == 0 && back == ns);
		ktime_fmt_ms(ns, buf, sizeof buf);
		ktime_fmt_rfc1123(ns, buf, sizeof buf);
		ktime_fmt_http(ns, buf, sizeof buf);
	}
}

static void durations(const char *z)
{
	int64_t ns, back, secs;
	char buf[64];
	if (ktime_parse_duration(z, &ns, NULL) == 0) {
		CHECK(ns >= 0);
		ktime_fmt_duration(ns, buf, sizeof buf);
		CHECK(ktime_parse_duration(buf, &back, NULL) == 0 && back == ns);
	}
	if (cfg_duration_parse(z, &secs) == 0) {
		CHECK(secs >= 0);
		cfg_duration_fmt(secs, buf, sizeof buf);
		CHECK(cfg_duration_parse(buf, &back) == 0 && back == secs);
	}
}

static void words(const char *z)
{
	enum order_type ot;
	enum side sd;
	enum tif tf;
	enum trigger_signal sg;
	enum klog_level lv;
	enum key_ctx kc;
	int color;
	if (order_type_parse(z, &ot) == 0)
		CHECK(ot < OT_COUNT && order_type_parse(order_type_name(ot), &ot) == 0);
	if (side_parse(z, &sd) == 0)
		CHECK(sd == SIDE_BUY || sd == SIDE_SELL);
	if (tif_parse(z, &tf) == 0)
		CHECK(tif_parse(tif_name(tf), &tf) == 0);
	if (trigger_signal_parse(z, &sg) == 0)
		CHECK(trigger_signal_parse(trigger_signal_name(sg), &sg) == 0);
	if (spot_ordertype_parse(z, &ot) == 0)
		CHECK(ot < OT_COUNT);
	if (klog_level_parse(z, &lv) == 0)
		CHECK(klog_level_parse(klog_level_name(lv), &lv) == 0);
	if (key_ctx_parse(z, &kc) == 0)
		CHECK(kc < KC_COUNT);
	if (theme_color_parse(z, &color) == 0)
		CHECK(color >= -1 && color <= 255);
	(void)key_name_valid(z);
	(void)kt_uuid_valid(z);

	struct spot_price p, q;
	char buf[DEC_FMT_MAX + 4];
	if (spot_price_parse(z, &p, NULL) == 0) {
		spot_price_fmt(&p, buf, sizeof buf);
		CHECK(spot_price_parse(buf, &q, NULL) == 0);
		CHECK(p.rel == q.rel && p.pct == q.pct && dec_eq(p.v, q.v));
	}
}

static void query(const char *s, size_t n)
{
	struct urlform f = FORM_INIT;
	if (urlform_parse(s, n, &f, NULL) == 0) {
		for (size_t i = 0; i < f.n; i++)
			CHECK(urlform_get(&f, f.keys[i]) != NULL);
		const char *all[4];
		if (f.n)
			CHECK(urlform_get_all(&f, f.keys[0], all, 4) >= 1);
	}
	urlform_free(&f);
	/* decoding what we encoded gives the original bytes back */
	struct sbuf enc = SBUF_INIT, dec = SBUF_INIT;
	urlenc_encode(&enc, s, n);
	if (!memchr(s, 0, n)) {
		CHECK(urlenc_decode(sbuf_str(&enc), enc.len, &dec, NULL) == 0);
		CHECK(dec.len == n && memcmp(sbuf_str(&dec), s, n) == 0);
	}
	sbuf_free(&enc);
	sbuf_free(&dec);
	size_t plen, qlen;
	const char *q;
	url_split_query(s, n, &plen, &q, &qlen);
	CHECK(plen <= n && qlen <= n);
}

/* argv from the input, split at NUL and newline (at most 32 arguments). */
static void command_line(const char *s, size_t n)
{
	char *copy = fuzz_strndup(s, n);
	char prog[] = "krakterm", *argv[34];
	int argc = 0;
	argv[argc++] = prog;
	char *p = copy, *end = copy + n;
	while (p <= end && argc < 33) {
		char *q = p;
		while (q < end && *q && *q != '\n')
			q++;
		*q = '\0';
		argv[argc++] = p;
		p = q + 1;
	}
	argv[argc] = NULL;
	struct cli_args a;
	struct kerr err = KERR_INIT;
	if (cli_parse(argc, argv, &a, &err) == 0) {
		CHECK(a.cmd_argc >= 0 && a.cmd_argc <= argc);
		if (a.command)
			CHECK(a.cmd_argv && a.cmd_argv[0] == a.command);
	} else {
		CHECK(err.msg[0] != '\0');
	}
	free(copy);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 4096)
		return 0; /* fields are short; keep the fuzzer on what matters */
	const char *s = (const char *)data;
	char *z = fuzz_strndup(data, size);
	decimals(s, size);
	times(s, size);
	durations(z);
	words(z);
	query(s, size);
	command_line(s, size);
	free(z);
	return 0;
}
