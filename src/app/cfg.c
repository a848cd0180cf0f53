/* config: the schema table, values checked and stored by it, defaults, and
 * copying and freeing the structs. The loader is in cfg_load.c. */
#include "app/cfg.h"
#include "app/cfg_int.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/paths.h"
#include "base/sbuf.h"
#include "base/xalloc.h"

/* ---- the schema ---- */

static const char *const level_choices[] = {"error", "warn", "info", "debug", "trace", NULL};
static const char *const tier_choices[] = {"starter", "intermediate", "pro", NULL};
static const char *const value_choices[] = {"USD", "EUR", "BTC", "ETH", NULL};

/* clang-format off */
#define ROOT(name, type, def, lo, hi, ch, doc) \
	{#name, type, def, doc, CFG_SCOPE_ROOT, offsetof(struct cfg, name), lo, hi, ch}
#define PROF(name, field, type, def, lo, hi, ch, doc) \
	{"profiles.*." name, type, def, doc, CFG_SCOPE_PROFILE, \
	 offsetof(struct cfg_profile, field), lo, hi, ch}
#define PROD(prod, scope, name, type, def, doc) \
	{"profiles.*." prod "." #name, type, def, doc, scope, \
	 offsetof(struct cfg_product, name), 0, 0, NULL}
#define GROUP(path, scope, doc) {path, CFG_GROUP, NULL, doc, scope, 0, 0, 0, NULL}
/* The six credential sources of one product. */
#define CREDS(prod, scope) \
	PROD(prod, scope, key, CFG_STRING, NULL, "API key, inline"), \
	PROD(prod, scope, secret, CFG_STRING, NULL, "API secret, inline (then chmod 600)"), \
	PROD(prod, scope, key_env, CFG_STRING, NULL, "variable holding the key"), \
	PROD(prod, scope, secret_env, CFG_STRING, NULL, "variable holding the secret"), \
	PROD(prod, scope, key_cmd, CFG_STRING, NULL, "command printing the key"), \
	PROD(prod, scope, secret_cmd, CFG_STRING, NULL, "command printing the secret")

static const struct cfg_setting schema[] = {
	ROOT(default_profile, CFG_STRING, "paper", 0, 0, NULL,
	     "profile used when --profile is not given"),
	ROOT(log_level, CFG_ENUM, "info", 0, 0, level_choices,
	     "log detail: error, warn, info, debug or trace (--log-level overrides)"),
	ROOT(log_max_bytes, CFG_INT, "5000000", 0, INT64_MAX, NULL,
	     "rotate the log when it reaches this size; 0 = never"),
	ROOT(log_keep, CFG_INT, "3", 1, 100, NULL, "rotated logs to keep"),
	ROOT(keymap, CFG_STRING, "default", 0, 0, NULL, "key map: default, vim, or a file name"),
	ROOT(theme, CFG_STRING, "dark", 0, 0, NULL, "colour theme name or file name"),
	ROOT(value_currency, CFG_ENUM, "USD", 0, 0, value_choices,
	     "currency the spot wallet is valued in: USD, EUR, BTC or ETH"),
	GROUP("profiles", CFG_SCOPE_ROOT, "the profiles, one group per profile"),
	GROUP("profiles.*", CFG_SCOPE_PROFILE, "a profile: endpoints, credentials, safety limits"),
	GROUP("profiles.*.spot", CFG_SCOPE_SPOT, "Kraken Spot endpoints and credentials"),
	PROD("spot", CFG_SCOPE_SPOT, rest_url, CFG_HTTP_URL, "https://api.kraken.com",
	     "Spot REST base URL"),
	PROD("spot", CFG_SCOPE_SPOT, ws_url, CFG_WS_URL, "wss://ws.kraken.com/v2",
	     "Spot public WebSocket URL"),
	PROD("spot", CFG_SCOPE_SPOT, ws_auth_url, CFG_WS_URL, "wss://ws-auth.kraken.com/v2",
	     "Spot private WebSocket URL"),
	CREDS("spot", CFG_SCOPE_SPOT),
	GROUP("profiles.*.futures", CFG_SCOPE_FUTURES, "Kraken Futures endpoints and credentials"),
	PROD("futures", CFG_SCOPE_FUTURES, rest_url, CFG_HTTP_URL, "https://futures.kraken.com",
	     "Futures REST base URL"),
	PROD("futures", CFG_SCOPE_FUTURES, ws_url, CFG_WS_URL, "wss://futures.kraken.com/ws/v1",
	     "Futures WebSocket URL"),
	CREDS("futures", CFG_SCOPE_FUTURES),
	PROF("ca_file", ca_file, CFG_PATH, NULL, 0, 0, NULL,
	     "extra trusted CA certificate (PEM) for both products"),
	PROF("tier", tier, CFG_ENUM, "starter", 0, 0, tier_choices,
	     "Spot verification tier (rate limits): starter, intermediate or pro"),
	PROF("confirm", safety.confirm, CFG_BOOL, "true", 0, 0, NULL, "ask before sending orders"),
	PROF("arm_idle_timeout", safety.arm_idle_timeout_s, CFG_DURATION, "15m", 0, 7 * 86400,
	     NULL, "disarm a live profile after this much idle time; 0 = never"),
	PROF("max_order_notional", safety.max_order_notional, CFG_DECIMAL, "25000", 0, INT64_MAX,
	     NULL, "largest order value in quote currency; \"0\" = no limit"),
	PROF("max_price_distance_pct", safety.max_price_distance_pct, CFG_DECIMAL, "5", 0, 100,
	     NULL, "largest limit-price distance from the market, in percent; \"0\" = off"),
	PROF("max_leverage", safety.max_leverage, CFG_INT, "10", 1, 100, NULL,
	     "highest leverage krakterm will send"),
	PROF("dead_man_switch", safety.dead_man_switch_s, CFG_INT, "60", 0, 86400, NULL,
	     "cancel-all-after period in seconds, renewed while running; 0 = off"),
	PROF("journal", safety.journal, CFG_BOOL, "true", 0, 0, NULL,
	     "record orders and fills in the journal"),
	PROF("paper", paper.on, CFG_BOOL, "false", 0, 0, NULL,
	     "use the embedded paper exchange instead of Kraken"),
	PROF("paper_state", paper.state_file, CFG_PATH, NULL, 0, 0, NULL,
	     "paper account state file (default: data dir/paper-PROFILE.json)"),
	PROF("paper_seed", paper.seed, CFG_INT, "0", 0, INT64_MAX, NULL,
	     "paper market simulation seed; 0 = a new seed each run"),
	PROF("paper_balance", paper.balance, CFG_DECIMAL, "100000", 0, INT64_MAX, NULL,
	     "starting USD balance of a new paper account"),
};
/* clang-format on */

#define NSCHEMA (sizeof schema / sizeof schema[0])

const struct cfg_setting *cfg_schema(size_t *n)
{
	*n = NSCHEMA;
	return schema;
}

const struct cfg_setting *cfg_schema_find(const char *pattern)
{
	for (size_t i = 0; i < NSCHEMA; i++)
		if (strcmp(schema[i].path, pattern) == 0)
			return &schema[i];
	return NULL;
}

const char *cfg_type_name(enum cfg_type t)
{
	static const char *const names[] = {
		[CFG_GROUP] = "a group { ... }",
		[CFG_STRING] = "a string",
		[CFG_PATH] = "a file name string",
		[CFG_HTTP_URL] = "a URL string",
		[CFG_WS_URL] = "a URL string",
		[CFG_BOOL] = "true or false",
		[CFG_INT] = "an integer",
		[CFG_DECIMAL] = "a decimal string such as \"25000\"",
		[CFG_DURATION] = "a duration string such as \"15m\"",
		[CFG_ENUM] = "a string",
	};
	return (unsigned)t < sizeof names / sizeof names[0] ? names[t] : "?";
}

const char *cfg_tier_name(int tier)
{
	return tier >= 0 && tier <= CFG_TIER_PRO ? tier_choices[tier] : "?";
}

/* ---- values ---- */

int cfg_duration_parse(const char *s, int64_t *secs)
{
	static const struct {
		char unit;
		int64_t mult;
	} units[] = {{'s', 1}, {'m', 60}, {'h', 3600}, {'d', 86400}};
	int64_t total = 0;
	if (!*s)
		return -1;
	while (*s) {
		if (*s < '0' || *s > '9')
			return -1;
		int64_t n = 0;
		while (*s >= '0' && *s <= '9') {
			if (n > (INT64_MAX - 9) / 10)
				return -1;
			n = n * 10 + (*s++ - '0');
		}
		int64_t mult = 0;
		if (*s == '\0' && total == 0)
			mult = 1; /* a bare number: seconds */
		for (size_t i = 0; i < sizeof units / sizeof units[0]; i++)
			if (*s == units[i].unit)
				mult = units[i].mult;
		if (!mult || n > (INT64_MAX - total) / mult)
			return -1;
		total += n * mult;
		if (*s)
			s++;
	}
	*secs = total;
	return 0;
}

void cfg_duration_fmt(int64_t secs, char *buf, size_t cap)
{
	static const struct {
		char unit;
		int64_t mult;
	} units[] = {{'d', 86400}, {'h', 3600}, {'m', 60}, {'s', 1}};
	size_t len = 0;
	if (secs <= 0 || cap == 0) {
		snprintf(buf, cap, "0");
		return;
	}
	buf[0] = '\0';
	for (size_t i = 0; i < sizeof units / sizeof units[0] && len < cap; i++) {
		int64_t n = secs / units[i].mult;
		secs %= units[i].mult;
		if (n)
			len += (size_t)snprintf(buf + len, cap - len, "%lld%c", (long long)n,
						units[i].unit);
	}
}

static bool host_is_loopback(const char *h, size_t n)
{
	return (n == 9 && strncmp(h, "localhost", 9) == 0) ||
	       (n >= 4 && strncmp(h, "127.", 4) == 0) || (n == 5 && strncmp(h, "[::1]", 5) == 0);
}

/* A URL of the wanted family: TLS always, plain only to a loopback host. */
static int check_url(const char *url, bool ws, char *why, size_t cap)
{
	const char *tls = ws ? "wss://" : "https://", *plain = ws ? "ws://" : "http://";
	const char *host;
	bool is_plain = false;
	if (strncmp(url, tls, strlen(tls)) == 0) {
		host = url + strlen(tls);
	} else if (strncmp(url, plain, strlen(plain)) == 0) {
		host = url + strlen(plain);
		is_plain = true;
	} else {
		snprintf(why, cap, "must start with %s", tls);
		return -1;
	}
	size_t n = host[0] == '[' ? strcspn(host, "]") + 1 : strcspn(host, ":/?#");
	if (n == 0 || (host[0] == '[' && host[n - 1] != ']')) {
		snprintf(why, cap, "has no host name");
		return -1;
	}
	if (is_plain && !host_is_loopback(host, n)) {
		snprintf(why, cap, "is not encrypted: use %s (%s is only for loopback addresses)",
			 tls, plain);
		return -1;
	}
	return 0;
}

int cfg_check_int(const struct cfg_setting *s, int64_t v, char *why, size_t cap)
{
	if (v >= s->min && v <= s->max)
		return 0;
	if (s->max == INT64_MAX)
		snprintf(why, cap, "must be at least %lld", (long long)s->min);
	else
		snprintf(why, cap, "must be between %lld and %lld", (long long)s->min,
			 (long long)s->max);
	return -1;
}

static int check_dec(const struct cfg_setting *s, dec_t v, char *why, size_t cap)
{
	if (dec_lt(v, dec_from_int(s->min)) || dec_gt(v, dec_from_int(s->max)))
		return cfg_check_int(s, s->min - 1, why, cap); /* reuse the wording */
	return 0;
}

static void set_string(char **field, const char *v)
{
	xfree_secret(*field); /* any string may be a credential */
	*field = v ? xstrdup(v) : NULL;
}

/* Store a value written as text (a default, or a string from the file) into
 * its field. Returns 0, or -1 with the reason in why ("must be ..."). */
int cfg_set_text(const struct cfg_setting *s, void *f, const char *text, char *why, size_t cap)
{
	int64_t i;
	dec_t d;
	char *end;
	switch (s->type) {
	case CFG_GROUP:
		return -1;
	case CFG_STRING:
		set_string(f, text);
		return 0;
	case CFG_PATH:
		xfree_secret(*(char **)f);
		*(char **)f = text && *text ? paths_expand_home(text) : NULL;
		return 0;
	case CFG_HTTP_URL:
	case CFG_WS_URL:
		if (check_url(text, s->type == CFG_WS_URL, why, cap) < 0)
			return -1;
		set_string(f, text);
		return 0;
	case CFG_BOOL:
		*(bool *)f = strcmp(text, "true") == 0;
		return 0;
	case CFG_INT:
		errno = 0;
		i = strtoll(text, &end, 10);
		if (errno || *end || end == text) {
			snprintf(why, cap, "must be an integer");
			return -1;
		}
		if (cfg_check_int(s, i, why, cap) < 0)
			return -1;
		*(int64_t *)f = i;
		return 0;
	case CFG_DECIMAL:
		if (dec_parse(text, (size_t)-1, &d, NULL) < 0) {
			snprintf(why, cap, "must be a decimal number such as \"25000\" or \"0.5\"");
			return -1;
		}
		if (check_dec(s, d, why, cap) < 0)
			return -1;
		*(dec_t *)f = d;
		return 0;
	case CFG_DURATION:
		if (cfg_duration_parse(text, &i) < 0) {
			snprintf(why, cap,
				 "must be a duration such as \"90s\", \"15m\" or \"1h30m\"");
			return -1;
		}
		if (cfg_check_int(s, i, why, cap) < 0)
			return -1;
		*(int64_t *)f = i;
		return 0;
	case CFG_ENUM:
		for (int k = 0; s->choices[k]; k++) {
			if (strcmp(text, s->choices[k]) == 0) {
				*(int *)f = k;
				return 0;
			}
		}
		size_t len = (size_t)snprintf(why, cap, "must be one of");
		for (int k = 0; s->choices[k] && len < cap; k++)
			len += (size_t)snprintf(why + len, cap - len, "%s %s", k ? "," : "",
						s->choices[k]);
		return -1;
	}
	return -1;
}

/* The struct a setting of `scope` lives in. */
void *cfg_scope_base(enum cfg_scope scope, struct cfg *cfg, struct cfg_profile *p)
{
	switch (scope) {
	case CFG_SCOPE_ROOT:
		return cfg;
	case CFG_SCOPE_PROFILE:
		return p;
	case CFG_SCOPE_SPOT:
		return p ? &p->spot : NULL;
	case CFG_SCOPE_FUTURES:
		return p ? &p->futures : NULL;
	}
	return NULL;
}

/* Apply every default of the given scopes. Defaults are trusted (a test checks them). */
static void apply_defaults(struct cfg *cfg, struct cfg_profile *p, bool root)
{
	char why[256];
	for (size_t i = 0; i < NSCHEMA; i++) {
		const struct cfg_setting *s = &schema[i];
		if (s->type == CFG_GROUP || !s->def || (s->scope == CFG_SCOPE_ROOT) != root)
			continue;
		cfg_set_text(s, (char *)cfg_scope_base(s->scope, cfg, p) + s->offset, s->def, why,
			 sizeof why);
	}
}

void cfg_init(struct cfg *cfg)
{
	memset(cfg, 0, sizeof *cfg);
	apply_defaults(cfg, NULL, true);
}

void cfg_profile_init(struct cfg_profile *p, const char *name)
{
	memset(p, 0, sizeof *p);
	apply_defaults(NULL, p, false);
	p->name = xstrdup(name);
	p->paper.on = strcmp(name, "paper") == 0;
}

/* Every string of a product, for freeing and copying. */
static const size_t product_strings[] = {
	offsetof(struct cfg_product, rest_url),    offsetof(struct cfg_product, ws_url),
	offsetof(struct cfg_product, ws_auth_url), offsetof(struct cfg_product, key),
	offsetof(struct cfg_product, secret),      offsetof(struct cfg_product, key_env),
	offsetof(struct cfg_product, secret_env),  offsetof(struct cfg_product, key_cmd),
	offsetof(struct cfg_product, secret_cmd),
};
#define PRODUCT_STR(d, i) ((char **)((char *)(d) + product_strings[i]))

void cfg_product_free(struct cfg_product *d)
{
	for (size_t i = 0; i < sizeof product_strings / sizeof product_strings[0]; i++)
		xfree_secret(*PRODUCT_STR(d, i));
	memset(d, 0, sizeof *d);
}

static void product_copy(struct cfg_product *dst, const struct cfg_product *src)
{
	*dst = *src;
	for (size_t i = 0; i < sizeof product_strings / sizeof product_strings[0]; i++)
		if (*PRODUCT_STR(dst, i))
			*PRODUCT_STR(dst, i) = xstrdup(*PRODUCT_STR(dst, i));
}

void cfg_profile_copy(struct cfg_profile *dst, const struct cfg_profile *src)
{
	*dst = *src;
	dst->name = xstrdup(src->name);
	dst->file = src->file ? xstrdup(src->file) : NULL;
	dst->ca_file = src->ca_file ? xstrdup(src->ca_file) : NULL;
	dst->paper.state_file = src->paper.state_file ? xstrdup(src->paper.state_file) : NULL;
	product_copy(&dst->spot, &src->spot);
	product_copy(&dst->futures, &src->futures);
}

void cfg_profile_free(struct cfg_profile *p)
{
	free(p->name);
	free(p->file);
	free(p->ca_file);
	free(p->paper.state_file);
	cfg_product_free(&p->spot);
	cfg_product_free(&p->futures);
	memset(p, 0, sizeof *p);
}

void cfg_free(struct cfg *cfg)
{
	free(cfg->path);
	free(cfg->default_profile);
	free(cfg->keymap);
	free(cfg->theme);
	for (size_t i = 0; i < cfg->nprofiles; i++)
		cfg_profile_free(&cfg->profiles[i]);
	free(cfg->profiles);
	for (size_t i = 0; i < cfg->nnotices; i++) {
		free(cfg->notices[i].file);
		free(cfg->notices[i].text);
	}
	free(cfg->notices);
	memset(cfg, 0, sizeof *cfg);
}

const struct cfg_profile *cfg_profile_find(const struct cfg *cfg, const char *name)
{
	for (size_t i = 0; i < cfg->nprofiles; i++)
		if (strcmp(cfg->profiles[i].name, name) == 0)
			return &cfg->profiles[i];
	return NULL;
}

char *cfg_profile_names(const struct cfg *cfg)
{
	struct sbuf b = SBUF_INIT;
	for (size_t i = 0; i < cfg->nprofiles; i++)
		sbuf_addf(&b, "%s%s", i ? ", " : "", cfg->profiles[i].name);
	if (!cfg_profile_find(cfg, "paper"))
		sbuf_addf(&b, "%spaper", b.len ? ", " : "");
	return sbuf_detach(&b);
}
