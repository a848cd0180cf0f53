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
