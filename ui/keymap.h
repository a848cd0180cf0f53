/* keymap: key bindings as data (keymaps/NAME.conf, libconfig).
 *
 * A key map binds key names to action names per context: global, book,
 * orders, positions, tickers, trades, wallets, funding, chart, form, switcher.
 * A key not bound in the focused context falls back to global. The shipped
 * map ("default" or "vim") loads first; the user's own file (keys.conf in the
 * config dir) then overrides or adds bindings. Every action name is checked
 * against the action table, every key name against the known names, and every
 * error names the file and line. */
#ifndef KT_UI_KEYMAP_H
#define KT_UI_KEYMAP_H

#include <stdbool.h>
#include <stddef.h>

#include "base/kerr.h"

enum key_ctx {
	KC_GLOBAL,
	KC_BOOK,
	KC_ORDERS,
	KC_POSITIONS,
	KC_TICKERS,
	KC_TRADES,
	KC_WALLETS,
	KC_FUNDING,
	KC_CHART,
	KC_FORM,
	KC_SWITCHER,
	KC_COUNT
};

struct binding {
	enum key_ctx ctx;
	char key[16];
	char action[32];
};

struct keymap {
	char name[32];
	struct binding *b;
	size_t n, cap;
};

const char *key_ctx_name(enum key_ctx c);
int key_ctx_parse(const char *s, enum key_ctx *out);
/* Is this a key name term_getkey can produce ("q", "C-c", "M-x", "PgDn"...)? */
bool key_name_valid(const char *name);

/* Load `name_or_path` (searching user_dir then data_dir for NAME.conf), then
 * the overlay file `user_file` when it exists (NULL: none). `known_action`
 * says whether an action name exists. */
int keymap_load(struct keymap *km, const char *name_or_path, const char *user_dir,
		const char *data_dir, const char *user_file, bool (*known_action)(const char *),
		struct kerr *err);
/* Load one file on top of what km holds (used by keymap_load and tests). */
int keymap_load_file(struct keymap *km, const char *path, bool (*known_action)(const char *),
		     struct kerr *err);
void keymap_free(struct keymap *km);
/* The action bound to key in ctx, falling back to global; NULL if none. */
const char *keymap_action(const struct keymap *km, enum key_ctx ctx, const char *key);
/* The keys bound to action in ctx (not global), joined with ", " into buf. */
size_t keymap_keys_for(const struct keymap *km, enum key_ctx ctx, const char *action, char *buf,
		       size_t cap);

#endif
