/* config: the krakterm configuration file (libconfig syntax), read against a schema.
 *
 * Every setting krakterm understands is a row of one table (cfg_schema()): its
 * path pattern ("profiles.*.spot.key", where '*' matches any profile name), its
 * type, its default as it would be written in the file, and a line of
 * documentation. Loading walks the file against that table: a setting that is
 * not in it is reported as a notice (with file:line and a suggestion) and
 * otherwise ignored; a setting of the wrong type or with a bad value is an
 * error naming file:line. Defaults come from the same table. The user's file is
 * only ever read.
 *
 * Naming: libconfig's symbols are config_*, ours are cfg_*. Include this header
 * as "app/cfg.h"; the autoconf header is <config.h>. */
#ifndef KT_APP_CONFIG_H
#define KT_APP_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/dec.h"
#include "base/kerr.h"

/* Spot verification tier: decides the rate-limit budget. */
enum cfg_tier { CFG_TIER_STARTER, CFG_TIER_INTERMEDIATE, CFG_TIER_PRO };

/* Where one product (spot or futures) lives and where its API key comes from.
 * Strings are owned; NULL means "not set". The inline key/secret are copies of
 * what the file says (wiped on free); profile.c resolves the actual credentials. */
struct cfg_product {
	char *rest_url;
	char *ws_url;
	char *ws_auth_url; /* spot only */
	char *key, *secret;
	char *key_env, *secret_env;
	char *key_cmd, *secret_cmd;
	int line; /* where the group starts; 0 when built in */
};

/* Trading safety limits, enforced by the trading layer. */
struct cfg_safety {
	bool confirm;                 /* ask before sending orders */
	int64_t arm_idle_timeout_s;   /* disarm after this idle time; 0 = never */
	dec_t max_order_notional;     /* per order, quote currency; 0 = no limit */
	dec_t max_price_distance_pct; /* from the mark/last price; 0 = no check */
	int64_t max_leverage;
	int64_t dead_man_switch_s; /* cancel-all-after period; 0 = off */
	bool journal;              /* keep a trade journal in the state dir */
};

/* The embedded paper exchange, when a profile uses it. */
struct cfg_paper {
	bool on;
	char *state_file; /* NULL = $XDG_DATA_HOME/krakterm/paper-<profile>.json */
	int64_t seed;     /* market simulation seed; 0 = a new one each run */
	dec_t balance;    /* starting balance of a new account, in USD */
};

struct cfg_profile {
	char *name;
	char *file; /* where it was defined; NULL for the built-in paper profile */
	int line;
	struct cfg_product spot, futures;
	char *ca_file; /* extra trust anchor (PEM), "~/" expanded; NULL = none */
	int tier;      /* enum cfg_tier */
	struct cfg_safety safety;
	struct cfg_paper paper;
};

/* A problem that does not stop krakterm (unknown setting, ignored value).
 * One-shot commands print these to stderr; the TUI shows them on its message line. */
struct cfg_notice {
	char *file;
	int line;
	char *text; /* complete message: "file:line: unknown setting 'x' (did you mean 'y'?)" */
};

struct cfg {
	char *path; /* the file that was read; NULL when running on built-in defaults */
	char *default_profile;
	int log_level; /* enum klog_level */
	int64_t log_max_bytes;
	int64_t log_keep;
	char *keymap;
	char *theme;
	int value_currency; /* index into "USD", "EUR", "BTC", "ETH" */
	struct cfg_profile *profiles; /* as defined in the file, in file order */
	size_t nprofiles;
	struct cfg_notice *notices;
	size_t nnotices;
};

/* Read `path`. When `required` is false a missing file is fine and yields the
 * built-in defaults (cfg->path stays NULL); otherwise it is an error. Errors
 * (syntax, wrong type, bad value, an inline secret in a file others can read)
 * fill err with "file:line: what" and return -1; cfg is then empty but safe to
 * free. Always call cfg_free(). */
int cfg_load(struct cfg *cfg, const char *path, bool required, struct kerr *err);
/* Built-in defaults, no file. */
void cfg_init(struct cfg *cfg);
void cfg_free(struct cfg *cfg);

/* The profile named `name` as the file defines it, or NULL. */
const struct cfg_profile *cfg_profile_find(const struct cfg *cfg, const char *name);
/* Fill p with the defaults of a profile called `name` (the built-in "paper"
 * profile gets paper.on = true). Free with cfg_profile_free(). */
void cfg_profile_init(struct cfg_profile *p, const char *name);
void cfg_profile_copy(struct cfg_profile *dst, const struct cfg_profile *src);
void cfg_profile_free(struct cfg_profile *p);
/* Wipe and free a product's strings (used when a profile takes them over). */
void cfg_product_free(struct cfg_product *d);
/* "live, paper": every profile name a user can select (malloc'd). */
char *cfg_profile_names(const struct cfg *cfg);

const char *cfg_tier_name(int tier);
/* "15m", "1h30m", "90s", "0": seconds to the config file's duration syntax. */
void cfg_duration_fmt(int64_t secs, char *buf, size_t cap);
/* Parse a duration: "0", "45", "90s", "15m", "1h30m", "2d". Returns 0 or -1. */
int cfg_duration_parse(const char *s, int64_t *secs);

/* ---- the schema ---- */

enum cfg_type {
	CFG_GROUP,    /* a group { ... } */
	CFG_STRING,   /* any string */
	CFG_PATH,     /* a file name; a leading "~/" is expanded */
	CFG_HTTP_URL, /* https://... (http:// only for loopback hosts) */
	CFG_WS_URL,   /* wss://...   (ws:// only for loopback hosts) */
	CFG_BOOL,     /* true / false */
	CFG_INT,      /* integer within [min, max] */
	CFG_DECIMAL,  /* exact decimal: a string "25000.5" (or an integer), within [min, max] */
	CFG_DURATION, /* "15m" style string (or integer seconds), within [min, max] seconds */
	CFG_ENUM,     /* one of `choices` */
};

/* Which struct a setting's value lands in (internal to the loader). */
enum cfg_scope { CFG_SCOPE_ROOT, CFG_SCOPE_PROFILE, CFG_SCOPE_SPOT, CFG_SCOPE_FUTURES };

struct cfg_setting {
	const char *path; /* pattern; '*' stands for a profile name */
	enum cfg_type type;
	const char *def; /* default, written as in the file (NULL = unset) */
	const char *doc;
	enum cfg_scope scope;       /* for CFG_GROUP: the scope of its children */
	size_t offset;              /* of the value in the scope's struct */
	int64_t min, max;           /* CFG_INT, CFG_DECIMAL, CFG_DURATION */
	const char *const *choices; /* CFG_ENUM, NULL-terminated; the index is stored */
};

/* The schema table (read-only, static). */
const struct cfg_setting *cfg_schema(size_t *n);
const char *cfg_type_name(enum cfg_type t);

#endif
