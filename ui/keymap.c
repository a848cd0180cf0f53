/* keymap: loading, overlaying and looking up key bindings. */
#include "ui/keymap.h"

#include <libconfig.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/xalloc.h"

static const char *const ctx_names[KC_COUNT] = {"global", "book", "orders", "positions",
						"tickers", "trades", "wallets", "funding",
						"chart", "form", "switcher"};

const char *key_ctx_name(enum key_ctx c) { return c < KC_COUNT ? ctx_names[c] : "?"; }

int key_ctx_parse(const char *s, enum key_ctx *out)
{
	for (int i = 0; i < KC_COUNT; i++) {
		if (strcmp(s, ctx_names[i]) == 0) {
			*out = (enum key_ctx)i;
			return 0;
		}
	}
	return -1;
}

static const char *const named_keys[] = {
	"Up", "Down", "Left", "Right", "PgUp", "PgDn", "Home", "End", "Delete", "Insert",
	"Tab", "BTab", "Enter", "Esc", "Space", "Backspace", "S-Left", "S-Right",
	"F1", "F2", "F3", "F4", "F5", "F6", "F7", "F8", "F9", "F10", "F11", "F12"};

bool key_name_valid(const char *k)
{
	size_t n = strlen(k);
	if (n == 1)
		return k[0] > 32 && k[0] < 127;
	if (n == 3 && (k[0] == 'C' || k[0] == 'M') && k[1] == '-')
		return k[0] == 'M' ? (k[2] > 32 && k[2] < 127) : (k[2] >= 'a' && k[2] <= 'z');
	if (strncmp(k, "M-", 2) == 0)
		return key_name_valid(k + 2);
	for (size_t i = 0; i < sizeof named_keys / sizeof named_keys[0]; i++)
		if (strcmp(k, named_keys[i]) == 0)
			return true;
	return false;
}

static void bind(struct keymap *km, enum key_ctx ctx, const char *key, const char *action)
{
	for (size_t i = 0; i < km->n; i++) {
		if (km->b[i].ctx == ctx && strcmp(km->b[i].key, key) == 0) {
			snprintf(km->b[i].action, sizeof km->b[i].action, "%s", action);
			return;
		}
	}
	km->b = xgrow(km->b, &km->cap, km->n + 1, sizeof *km->b);
	struct binding *b = &km->b[km->n++];
	b->ctx = ctx;
	snprintf(b->key, sizeof b->key, "%s", key);
	snprintf(b->action, sizeof b->action, "%s", action);
}

static void unbind(struct keymap *km, enum key_ctx ctx, const char *key)
{
	for (size_t i = 0; i < km->n; i++) {
		if (km->b[i].ctx == ctx && strcmp(km->b[i].key, key) == 0) {
			km->b[i] = km->b[--km->n];
			return;
		}
	}
}

int keymap_load_file(struct keymap *km, const char *path, bool (*known_action)(const char *),
		     struct kerr *err)
{
	config_t cf;
	config_init(&cf);
	int rc = 0;
	if (config_read_file(&cf, path) != CONFIG_TRUE) {
		rc = kerr_set(err, 1, "%s:%d: %s",
			      config_error_file(&cf) ? config_error_file(&cf) : path,
			      config_error_line(&cf), config_error_text(&cf));
		goto out;
	}
	config_setting_t *root = config_root_setting(&cf);
	for (int i = 0; i < config_setting_length(root); i++) {
		config_setting_t *ctxs = config_setting_get_elem(root, (unsigned)i);
		const char *cname = config_setting_name(ctxs);
		int line = config_setting_source_line(ctxs);
		if (strcmp(cname, "name") == 0 && config_setting_type(ctxs) == CONFIG_TYPE_STRING) {
			snprintf(km->name, sizeof km->name, "%s", config_setting_get_string(ctxs));
			continue;
		}
		enum key_ctx ctx;
		if (key_ctx_parse(cname, &ctx) < 0) {
			rc = kerr_set(err, 1, "%s:%d: unknown context '%s' (known: global, book, orders, "
					      "positions, tickers, trades, wallets, funding, chart, form, switcher)",
				      path, line, cname);
			goto out;
		}
		if (config_setting_type(ctxs) != CONFIG_TYPE_LIST) {
			rc = kerr_set(err, 1, "%s:%d: '%s' must be a list of [\"key\", \"action\"] pairs",
				      path, line, cname);
			goto out;
		}
		for (int j = 0; j < config_setting_length(ctxs); j++) {
			config_setting_t *pair = config_setting_get_elem(ctxs, (unsigned)j);
			int pl = config_setting_source_line(pair);
			const char *key = config_setting_get_string_elem(pair, 0);
			const char *action = config_setting_get_string_elem(pair, 1);
			if (config_setting_type(pair) != CONFIG_TYPE_ARRAY ||
			    config_setting_length(pair) != 2 || !key || !action) {
				rc = kerr_set(err, 1, "%s:%d: a binding is [\"key\", \"action\"]", path, pl);
				goto out;
			}
			if (!key_name_valid(key)) {
				rc = kerr_set(err, 1, "%s:%d: unknown key name '%s' (see docs/keys.md)", path,
					      pl, key);
				goto out;
			}
			if (strcmp(action, "none") == 0) {
				unbind(km, ctx, key);
				continue;
			}
			if (known_action && !known_action(action)) {
				rc = kerr_set(err, 1, "%s:%d: unknown action '%s' (see docs/keys.md)", path,
					      pl, action);
				goto out;
			}
			bind(km, ctx, key, action);
		}
	}
out:
	config_destroy(&cf);
	return rc;
}

int keymap_load(struct keymap *km, const char *what, const char *user_dir, const char *data_dir,
		const char *user_file, bool (*known_action)(const char *), struct kerr *err)
{
	char path[1024];
	memset(km, 0, sizeof *km);
	snprintf(km->name, sizeof km->name, "%s", what);
	int rc;
	if (strchr(what, '/')) {
		rc = keymap_load_file(km, what, known_action, err);
	} else {
		const char *dirs[] = {user_dir, data_dir};
		rc = kerr_set(err, 1, "key map '%s' not found (looked in %s and %s)", what,
			      user_dir ? user_dir : "-", data_dir ? data_dir : "-");
		for (int i = 0; i < 2; i++) {
			if (!dirs[i])
				continue;
			snprintf(path, sizeof path, "%s/%s.conf", dirs[i], what);
			if (access(path, R_OK) == 0) {
				kerr_clear(err);
				rc = keymap_load_file(km, path, known_action, err);
				break;
			}
		}
	}
	if (rc == 0 && user_file && access(user_file, R_OK) == 0)
		rc = keymap_load_file(km, user_file, known_action, err);
	return rc;
}

void keymap_free(struct keymap *km)
{
	free(km->b);
	memset(km, 0, sizeof *km);
}

const char *keymap_action(const struct keymap *km, enum key_ctx ctx, const char *key)
{
	for (size_t i = 0; i < km->n; i++)
		if (km->b[i].ctx == ctx && strcmp(km->b[i].key, key) == 0)
			return km->b[i].action;
	/* Text entry: only control, meta and function keys reach global actions,
	 * so typing "q" into a field never quits. */
	if ((ctx == KC_FORM || ctx == KC_SWITCHER) && strncmp(key, "C-", 2) != 0 &&
	    strncmp(key, "M-", 2) != 0 && !(key[0] == 'F' && key[1] >= '1' && key[1] <= '9'))
		return NULL;
	for (size_t i = 0; i < km->n; i++)
		if (km->b[i].ctx == KC_GLOBAL && strcmp(km->b[i].key, key) == 0)
			return km->b[i].action;
	return NULL;
}

size_t keymap_keys_for(const struct keymap *km, enum key_ctx ctx, const char *action, char *buf,
		       size_t cap)
{
	size_t n = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < km->n; i++) {
		if (km->b[i].ctx != ctx || strcmp(km->b[i].action, action) != 0)
			continue;
		int w = snprintf(buf + n, n < cap ? cap - n : 0, "%s%s", n ? ", " : "", km->b[i].key);
		if (w > 0)
			n += (size_t)w;
	}
	return n;
}
