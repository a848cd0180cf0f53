/* symbols: asset and symbol normalisation tables. */
#include "kraken/symbols.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

/* Kraken ids and altnames whose common code differs. */
static const struct {
	const char *kraken;
	const char *display;
} asset_map[] = {
	{"XXBT", "BTC"}, {"XBT", "BTC"},   {"XXDG", "DOGE"}, {"XDG", "DOGE"},
	{"XETH", "ETH"}, {"XETC", "ETC"},  {"XLTC", "LTC"},  {"XXLM", "XLM"},
	{"XXMR", "XMR"}, {"XXRP", "XRP"},  {"XZEC", "ZEC"},  {"XMLN", "MLN"},
	{"XREP", "REP"}, {"ZUSD", "USD"},  {"ZEUR", "EUR"},  {"ZGBP", "GBP"},
	{"ZCAD", "CAD"}, {"ZJPY", "JPY"},  {"ZAUD", "AUD"},  {"ZCHF", "CHF"},
};

static const char *const suffixes[] = {".S", ".M", ".F", ".B", ".T", ".P"};

const char *kraken_asset_display(const char *name, char *buf, size_t cap, const char **suffix)
{
	char tmp[32];
	snprintf(tmp, sizeof tmp, "%s", name);
	if (suffix)
		*suffix = NULL;
	char *dot = strchr(tmp, '.');
	if (dot) {
		for (size_t i = 0; i < sizeof suffixes / sizeof suffixes[0]; i++) {
			if (strcasecmp(dot, suffixes[i]) == 0) {
				if (suffix)
					*suffix = suffixes[i];
				break;
			}
		}
		*dot = '\0';
	}
	for (char *p = tmp; *p; p++)
		*p = (char)toupper((unsigned char)*p);
	for (size_t i = 0; i < sizeof asset_map / sizeof asset_map[0]; i++) {
		if (strcmp(tmp, asset_map[i].kraken) == 0) {
			snprintf(buf, cap, "%s", asset_map[i].display);
			return buf;
		}
	}
	snprintf(buf, cap, "%s", tmp);
	return buf;
}

const char *kraken_asset_altname(const char *display, char *buf, size_t cap)
{
	if (strcasecmp(display, "BTC") == 0)
		snprintf(buf, cap, "XBT");
	else if (strcasecmp(display, "DOGE") == 0)
		snprintf(buf, cap, "XDG");
	else
		snprintf(buf, cap, "%s", display);
	return buf;
}

const char *kraken_futures_currency(const char *display, char *buf, size_t cap)
{
	if (strcasecmp(display, "BTC") == 0)
		snprintf(buf, cap, "%s", islower((unsigned char)display[0]) ? "xbt" : "XBT");
	else
		snprintf(buf, cap, "%s", display);
	return buf;
}

void kraken_pair_ws(const char *base_display, const char *quote_display, char *buf, size_t cap)
{
	char b[16], q[16];
	kraken_asset_display(base_display, b, sizeof b, NULL);
	kraken_asset_display(quote_display, q, sizeof q, NULL);
	snprintf(buf, cap, "%s/%s", b, q);
}

/* Is s[0..n) letters and digits only? */
static bool alnum_only(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)s[i]))
			return false;
	return n > 0;
}

/* Is s (4 chars) one of the legacy X/Z-prefixed asset ids ("XXBT", "ZUSD")? */
static bool legacy_id(const char *s)
{
	if (s[0] != 'X' && s[0] != 'Z')
		return false;
	for (size_t i = 0; i < sizeof asset_map / sizeof asset_map[0]; i++)
		if (strlen(asset_map[i].kraken) == 4 && strncmp(s, asset_map[i].kraken, 4) == 0)
			return true;
	return false;
}

/* Quotes a slash-less pair name may end with; longer spellings first, so
 * "USDTZUSD" is USDT/USD and "XBTUSDT" is BTC/USDT. */
static const char *const pair_quotes[] = {
	"ZUSD", "ZEUR", "ZGBP", "ZCAD", "ZJPY", "ZAUD", "ZCHF", "XXBT", "XETH", "USDT",
	"USDC", "USD",	"EUR",	"GBP",	"CAD",	"JPY",	"AUD",	"CHF",	"XBT",	"ETH", "DAI"};

int kraken_pair_normalize(const char *pair, char *buf, size_t cap)
{
	if (cap)
		buf[0] = '\0';
	char u[32], base[16], quote[16];
	size_t n = pair ? strlen(pair) : 0;
	if (n < 4 || n >= sizeof u)
		return -1;
	for (size_t i = 0; i <= n; i++)
		u[i] = (char)toupper((unsigned char)pair[i]);
	size_t bl;
	const char *q;
	const char *slash = strchr(u, '/');
	if (slash) {
		bl = (size_t)(slash - u);
		q = slash + 1;
	} else if (n == 8 && legacy_id(u) && legacy_id(u + 4)) {
		bl = 4;
		q = u + 4;
	} else {
		q = NULL;
		for (size_t i = 0; i < sizeof pair_quotes / sizeof pair_quotes[0] && !q; i++) {
			size_t ql = strlen(pair_quotes[i]);
			if (n >= ql + 2 && strcmp(u + n - ql, pair_quotes[i]) == 0)
				q = u + n - ql;
		}
		if (!q)
			return -1;
		bl = (size_t)(q - u);
	}
	size_t ql = strlen(q);
	if (bl < 2 || ql < 2 || bl >= sizeof base || ql >= sizeof quote || !alnum_only(u, bl) ||
	    !alnum_only(q, ql))
		return -1;
	memcpy(base, u, bl);
	base[bl] = '\0';
	memcpy(quote, q, ql + 1);
	kraken_pair_ws(base, quote, buf, cap);
	return 0;
}

int kraken_futures_parse(const char *symbol, char *upper, size_t cap, enum instr_kind *kind,
			 char *base, char *quote, size_t asset_cap)
{
	char u[48];
	size_t n = strlen(symbol);
	if (n < 6 || n >= sizeof u)
		return -1;
	for (size_t i = 0; i <= n; i++)
		u[i] = (char)toupper((unsigned char)symbol[i]);
	enum instr_kind k;
	if (strncmp(u, "PF_", 3) == 0)
		k = IK_PERP_LINEAR;
	else if (strncmp(u, "PI_", 3) == 0)
		k = IK_PERP_INVERSE;
	else if (strncmp(u, "FF_", 3) == 0)
		k = IK_FUTURE_LINEAR;
	else if (strncmp(u, "FI_", 3) == 0)
		k = IK_FUTURE_INVERSE;
	else
		return -1;
	/* The pair part: "XBTUSD" (perpetual) or "XBTUSD_220930" (dated). */
	const char *pair = u + 3;
	const char *us = strchr(pair, '_');
	size_t plen = us ? (size_t)(us - pair) : strlen(pair);
	if (plen < 5 || plen > 12)
		return -1;
	/* Perpetuals have no date; dated contracts end in "_YYMMDD" (without
	 * one, "fi_xbtusd" is the legacy margin account's name, not a contract). */
	bool dated = k == IK_FUTURE_LINEAR || k == IK_FUTURE_INVERSE;
	if (dated != (us != NULL))
		return -1;
	if (us && (strlen(us) != 7 || strspn(us + 1, "0123456789") != 6))
		return -1;
	/* Quote is the trailing fiat/stable code; the base is the rest. */
	static const char *const quotes[] = {"USDT", "USDC", "USD", "EUR", "GBP"};
	const char *qfound = NULL;
	for (size_t i = 0; i < sizeof quotes / sizeof quotes[0]; i++) {
		size_t ql = strlen(quotes[i]);
		if (plen > ql && strncmp(pair + plen - ql, quotes[i], ql) == 0) {
			qfound = quotes[i];
			break;
		}
	}
	if (!qfound)
		return -1;
	char b[16];
	size_t blen = plen - strlen(qfound);
	if (blen >= sizeof b)
		return -1;
	memcpy(b, pair, blen);
	b[blen] = '\0';
	if (upper)
		snprintf(upper, cap, "%s", u);
	if (kind)
		*kind = k;
	if (base)
		kraken_asset_display(b, base, asset_cap, NULL);
	if (quote)
		snprintf(quote, asset_cap, "%s", qfound);
	return 0;
}

bool kraken_futures_symbol_eq(const char *a, const char *b) { return strcasecmp(a, b) == 0; }
