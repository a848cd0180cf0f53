/* config loader: walks a libconfig tree against the schema (cfg.c): unknown
 * settings -> notices (with a suggestion), wrong type or value -> an error
 * naming file and line; secrets' file permissions; @include. */
#include <errno.h>
#include <libconfig.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "app/cfg.h"
#include "app/cfg_int.h"
#include "base/xalloc.h"

/* ---- loading ---- */

struct loader {
	struct cfg *cfg;
	const char *path;         /* the main file */
	const char *dir;          /* its directory: @include names are relative to it */
	struct cfg_profile *prof; /* the profile being read, if any */
	struct kerr *err;
	char file[4096]; /* src_file()'s result */
};

/* The file a setting came from. libconfig names the main stream NULL and an
 * included file as written in the @include, relative to the include dir. */
static const char *src_file(struct loader *L, const config_setting_t *s)
{
	const char *f = config_setting_source_file(s);
	if (!f)
		return L->path;
	if (f[0] == '/')
		return f;
	snprintf(L->file, sizeof L->file, "%s/%s", L->dir, f);
	return L->file;
}

static int src_line(const config_setting_t *s)
{
	return (int)config_setting_source_line(s);
}

/* Record a notice at the setting's file:line; takes ownership of msg. */
static void add_notice(struct loader *L, const config_setting_t *s, char *msg)
{
	struct cfg *cfg = L->cfg;
	cfg->notices = xrealloc(cfg->notices, (cfg->nnotices + 1) * sizeof *cfg->notices);
	struct cfg_notice *n = &cfg->notices[cfg->nnotices++];
	n->file = xstrdup(src_file(L, s));
	n->line = src_line(s);
	n->text = xasprintf("%s:%d: %s", n->file, n->line, msg);
	free(msg);
}

/* The value's type in words, for messages. */
static const char *lc_type_name(const config_setting_t *s)
{
	static const char *const names[] = {
		[CONFIG_TYPE_GROUP] = "a group",    [CONFIG_TYPE_INT] = "an integer",
		[CONFIG_TYPE_INT64] = "an integer", [CONFIG_TYPE_FLOAT] = "a floating-point number",
		[CONFIG_TYPE_STRING] = "a string",  [CONFIG_TYPE_BOOL] = "a boolean",
		[CONFIG_TYPE_ARRAY] = "an array",   [CONFIG_TYPE_LIST] = "a list",
	};
	unsigned t = (unsigned)config_setting_type(s);
	return t < sizeof names / sizeof names[0] && names[t] ? names[t] : "an unknown type";
}

static int type_error(struct loader *L, const struct cfg_setting *s, const config_setting_t *cs,
		      const char *path)
{
	bool inexact = s->type == CFG_DECIMAL && config_setting_type(cs) == CONFIG_TYPE_FLOAT;
	return kerr_set(L->err, EINVAL, "%s:%d: '%s' must be %s, not %s%s", src_file(L, cs),
			src_line(cs), path, cfg_type_name(s->type), lc_type_name(cs),
			inexact ? " (quote it, e.g. \"0.5\", so the value stays exact)" : "");
}

static int value_error(struct loader *L, const config_setting_t *cs, const char *path,
		       const char *why)
{
	return kerr_set(L->err, EINVAL, "%s:%d: '%s' %s", src_file(L, cs), src_line(cs), path, why);
}

/* Edit distance where swapping two neighbours counts as one edit ("kye" -> "key"). */
static int edit_distance(const char *a, const char *b)
{
	size_t n = strlen(a), m = strlen(b);
	int d[33][33];
	if (n > 32 || m > 32)
		return 99;
	for (size_t i = 0; i <= n; i++)
		d[i][0] = (int)i;
	for (size_t j = 0; j <= m; j++)
		d[0][j] = (int)j;
	for (size_t i = 1; i <= n; i++) {
		for (size_t j = 1; j <= m; j++) {
			int best = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
			if (d[i - 1][j] + 1 < best)
				best = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < best)
				best = d[i][j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
			    d[i - 2][j - 2] + 1 < best)
				best = d[i - 2][j - 2] + 1;
			d[i][j] = best;
		}
	}
	return d[n][m];
}

/* The closest known name among the settings allowed next to `name`, or NULL. */
static const char *suggest(const char *parent_pattern, const char *name)
{
	size_t plen = strlen(parent_pattern);
	const char *best = NULL;
	int best_d = 3;
	size_t n;
	const struct cfg_setting *schema = cfg_schema(&n);
	for (size_t i = 0; i < n; i++) {
		const char *p = schema[i].path, *leaf;
		if (plen) {
			if (strncmp(p, parent_pattern, plen) != 0 || p[plen] != '.')
				continue;
			leaf = p + plen + 1;
		} else {
			leaf = p;
		}
		if (strchr(leaf, '.') || strcmp(leaf, "*") == 0)
			continue;
		int d = edit_distance(name, leaf);
		if (d < best_d && d < (int)strlen(name)) {
			best_d = d;
			best = leaf;
		}
	}
	return best;
}

static void unknown(struct loader *L, const config_setting_t *cs, const char *parent_pattern,
		    const char *path)
{
	const char *hint = suggest(parent_pattern, config_setting_name(cs));
	add_notice(L, cs,
		   hint ? xasprintf("unknown setting '%s' (did you mean '%s'?)", path, hint)
			: xasprintf("unknown setting '%s'", path));
}

/* Several sources for one credential: the first in documented order is used. */
static void check_sources(struct loader *L, const config_setting_t *cs, const char *path,
			  const struct cfg_product *d)
{
	const char *names[2][3] = {{"key", "key_env", "key_cmd"},
				   {"secret", "secret_env", "secret_cmd"}};
	const char *vals[2][3] = {{d->key, d->key_env, d->key_cmd},
				  {d->secret, d->secret_env, d->secret_cmd}};
	const config_setting_t *m;
	for (int k = 0; k < 2; k++) {
		int first = -1;
		for (int i = 0; i < 3; i++) {
			if (!vals[k][i])
				continue;
			if (first < 0)
				first = i;
			else if ((m = config_setting_get_member(cs, names[k][i])) != NULL)
				add_notice(L, m, /* reported where the unused one is */
					   xasprintf("'%s' sets both '%s' and '%s'; '%s' is used",
						     path, names[k][first], names[k][i],
						     names[k][first]));
		}
	}
}

static int set_value(struct loader *L, const struct cfg_setting *s, const config_setting_t *cs,
		     const char *path)
{
	void *f = (char *)cfg_scope_base(s->scope, L->cfg, L->prof) + s->offset;
	int t = config_setting_type(cs);
	char why[256] = "";
	switch (s->type) {
	case CFG_BOOL:
		if (t != CONFIG_TYPE_BOOL)
			return type_error(L, s, cs, path);
		*(bool *)f = config_setting_get_bool(cs);
		return 0;
	case CFG_INT:
	case CFG_DECIMAL:
	case CFG_DURATION:
		if (t == CONFIG_TYPE_INT || t == CONFIG_TYPE_INT64) {
			long long v = config_setting_get_int64(cs);
			if (cfg_check_int(s, v, why, sizeof why) < 0) {
				if (t == CONFIG_TYPE_INT && v < 0 && s->min >= 0) /* wrapped */
					strcat(why, " (above 2147483647, write an L: 3000000000L)");
				return value_error(L, cs, path, why);
			}
			if (s->type == CFG_DECIMAL)
				*(dec_t *)f = dec_from_int(v);
			else
				*(int64_t *)f = v;
			return 0;
		}
		if (s->type == CFG_INT || t != CONFIG_TYPE_STRING)
			return type_error(L, s, cs, path);
		break;
	default:
		if (t != CONFIG_TYPE_STRING)
			return type_error(L, s, cs, path);
		break;
	}
	if (cfg_set_text(s, f, config_setting_get_string(cs), why, sizeof why) < 0)
		return value_error(L, cs, path, why);
	return 0;
}

static int walk(struct loader *L, const config_setting_t *group, const char *pattern,
		const char *path);

static int read_profile(struct loader *L, const config_setting_t *cs, const char *pattern,
			const char *path)
{
	struct cfg *cfg = L->cfg;
	cfg->profiles = xrealloc(cfg->profiles, (cfg->nprofiles + 1) * sizeof *cfg->profiles);
	struct cfg_profile *p = &cfg->profiles[cfg->nprofiles++];
	cfg_profile_init(p, config_setting_name(cs));
	p->file = xstrdup(src_file(L, cs));
	p->line = src_line(cs);
	L->prof = p;
	int rc = walk(L, cs, pattern, path);
	L->prof = NULL;
	if (rc == 0 && strcmp(p->name, "paper") == 0 && !p->paper.on)
		rc = kerr_set(L->err, EINVAL,
			      "%s:%d: profile 'paper' always uses the paper exchange; remove "
			      "'paper = false' or give the profile another name",
			      p->file, p->line);
	return rc;
}

static int enter(struct loader *L, const struct cfg_setting *s, const config_setting_t *cs,
		 const char *pattern, const char *path)
{
	if (!config_setting_is_group(cs))
		return type_error(L, s, cs, path);
	if (s->scope == CFG_SCOPE_PROFILE)
		return read_profile(L, cs, pattern, path);
	if (s->scope == CFG_SCOPE_SPOT || s->scope == CFG_SCOPE_FUTURES) {
		struct cfg_product *d = cfg_scope_base(s->scope, L->cfg, L->prof);
		d->line = src_line(cs);
		int rc = walk(L, cs, pattern, path);
		if (rc == 0)
			check_sources(L, cs, path, d);
		return rc;
	}
	return walk(L, cs, pattern, path);
}

/* Read every setting of `group` against the schema. `pattern` is the group's
 * schema path ("profiles.*"), `path` its real one ("profiles.live"). */
static int walk(struct loader *L, const config_setting_t *group, const char *pattern,
		const char *path)
{
	char *wild = *pattern ? xasprintf("%s.*", pattern) : xstrdup("*");
	bool is_wild = cfg_schema_find(wild) != NULL;
	int rc = 0;
	for (int i = 0; rc == 0 && i < config_setting_length(group); i++) {
		const config_setting_t *cs = config_setting_get_elem(group, (unsigned)i);
		const char *name = config_setting_name(cs);
		char *cpat = is_wild    ? xstrdup(wild)
			     : *pattern ? xasprintf("%s.%s", pattern, name)
					: xstrdup(name);
		char *cpath = *path ? xasprintf("%s.%s", path, name) : xstrdup(name);
		const struct cfg_setting *s = cfg_schema_find(cpat);
		if (!s)
			unknown(L, cs, pattern, cpath);
		else if (s->type == CFG_GROUP)
			rc = enter(L, s, cs, cpat, cpath);
		else
			rc = set_value(L, s, cs, cpath);
		free(cpat);
		free(cpath);
	}
	free(wild);
	return rc;
}

/* Refuse an inline `secret` (anywhere) in a file that group or others can read. */
static int check_secret_perms(struct loader *L, const config_setting_t *s, mode_t main_mode)
{
	if (config_setting_is_aggregate(s)) {
		for (int i = 0; i < config_setting_length(s); i++)
			if (check_secret_perms(L, config_setting_get_elem(s, (unsigned)i),
					       main_mode) < 0)
				return -1;
		return 0;
	}
	const char *name = config_setting_name(s), *v;
	if (!name || strcmp(name, "secret") != 0 || config_setting_type(s) != CONFIG_TYPE_STRING ||
	    !(v = config_setting_get_string(s)) || !*v)
		return 0;
	const char *file = src_file(L, s);
	mode_t mode = main_mode;
	struct stat st;
	if (strcmp(file, L->path) != 0) /* an @include'd file: not opened by us */
		mode = stat(file, &st) == 0 ? st.st_mode : 0077;
	if (mode & 077)
		return kerr_set(L->err, EACCES,
				"config: %s holds an API secret and is readable by others; run: "
				"chmod 600 %s",
				file, file);
	return 0;
}

/* Overwrite the credentials libconfig holds before it frees them. */
static void wipe_credentials(const config_setting_t *s)
{
	if (config_setting_is_aggregate(s)) {
		for (int i = 0; i < config_setting_length(s); i++)
			wipe_credentials(config_setting_get_elem(s, (unsigned)i));
		return;
	}
	const char *name = config_setting_name(s), *v;
	if (name && (strcmp(name, "secret") == 0 || strcmp(name, "key") == 0) &&
	    config_setting_type(s) == CONFIG_TYPE_STRING && (v = config_setting_get_string(s)))
		xwipe((char *)(uintptr_t)v,
		      strlen(v)); /* libconfig's own copy; it is ours to wipe */
}

static int check_default_profile(struct loader *L, config_t *lc)
{
	struct cfg *cfg = L->cfg;
	if (strcmp(cfg->default_profile, "paper") == 0 ||
	    cfg_profile_find(cfg, cfg->default_profile))
		return 0;
	const config_setting_t *s = config_lookup(lc, "default_profile");
	char *names = cfg_profile_names(cfg);
	kerr_set(L->err, ENOENT,
		 "%s:%d: default_profile '%s' is not a defined profile (defined: %s)",
		 s ? src_file(L, s) : L->path, s ? src_line(s) : 0, cfg->default_profile, names);
	free(names);
	return -1;
}

/* Parse an opened file and read it against the schema. */
static int load_stream(struct cfg *cfg, FILE *fp, const char *path, mode_t mode, struct kerr *err)
{
	config_t lc;
	config_init(&lc);
	char *dir = xstrdup(path), *slash = strrchr(dir, '/');
	if (slash)
		*slash = '\0';
	const char *incdir = slash ? (*dir ? dir : "/") : ".";
	config_set_include_dir(&lc, incdir);
	int rc = 0;
	struct loader L = {.cfg = cfg, .path = path, .dir = incdir, .err = err};
	if (config_read(&lc, fp) != CONFIG_TRUE) {
		const char *file = config_error_file(&lc);
		rc = kerr_set(err, EINVAL, "%s:%d: %s", file ? file : path, config_error_line(&lc),
			      config_error_text(&lc));
	} else {
		const config_setting_t *root = config_root_setting(&lc);
		rc = check_secret_perms(&L, root, mode);
		if (rc == 0)
			rc = walk(&L, root, "", "");
		if (rc == 0)
			rc = check_default_profile(&L, &lc);
		wipe_credentials(root);
	}
	config_destroy(&lc);
	free(dir);
	return rc;
}

int cfg_load(struct cfg *cfg, const char *path, bool required, struct kerr *err)
{
	cfg_init(cfg);
	FILE *fp = fopen(path, "r");
	if (!fp) {
		if (errno == ENOENT && !required)
			return 0;
		kerr_set(err, errno, "config: cannot open %s: %s", path, strerror(errno));
		cfg_free(cfg);
		return -1;
	}
	struct stat st;
	int rc;
	if (fstat(fileno(fp), &st) != 0 || !S_ISREG(st.st_mode)) {
		rc = kerr_set(err, EINVAL, "config: %s is not a regular file", path);
	} else {
		cfg->path = xstrdup(path);
		rc = load_stream(cfg, fp, path, st.st_mode, err);
	}
	fclose(fp);
	if (rc < 0) {
		cfg_free(cfg);
		return -1;
	}
	return 0;
}
