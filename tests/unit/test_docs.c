/* test_docs: the documentation keeps up with the code. Every action of the key
 * table is described in docs/keys.md and the man page, every theme slot in
 * docs/themes.md and the man page, so a new key or slot cannot ship undocumented.
 * (tests/docs-commands.sh does the same for commands and their options.) */
#include <stdlib.h>
#include <string.h>

#include "tests/unit/unit.h"
#include "ui/theme.h"
#include "ui/ui_int.h"

static char *doc(const char *name)
{
	char rel[256];
	snprintf(rel, sizeof rel, "../../docs/%s", name);
	return kt_fixture_read(rel, NULL);
}

/* `word` occurs in text as a whole word (not inside a longer name). */
static bool has_word(const char *text, const char *word)
{
	size_t n = strlen(word);
	for (const char *p = strstr(text, word); p; p = strstr(p + 1, word)) {
		bool before = p == text || !(p[-1] == '_' || (p[-1] >= 'a' && p[-1] <= 'z'));
		char c = p[n];
		bool after = !(c == '_' || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'));
		if (before && after)
			return true;
	}
	return false;
}

static void every_action_documented(void **state)
{
	(void)state;
	char *keys = doc("keys.md"), *man = doc("krakterm.1");
	int missing = 0;
	for (size_t i = 0; i < action_count(); i++) {
		const char *a = action_at(i)->name;
		if (!has_word(keys, a))
			print_message("docs/keys.md: action %s is not described\n", a), missing++;
		if (!has_word(man, a))
			print_message("docs/krakterm.1: action %s is not described\n", a), missing++;
	}
	free(keys);
	free(man);
	assert_true(action_count() > 30);
	assert_int_equal(missing, 0);
}

static void every_slot_documented(void **state)
{
	(void)state;
	char *themes = doc("themes.md"), *man = doc("krakterm.1");
	int missing = 0;
	for (int s = 0; s < SLOT_COUNT; s++) {
		const char *n = theme_slot_name((enum theme_slot)s);
		if (!has_word(themes, n))
			print_message("docs/themes.md: slot %s is not described\n", n), missing++;
		if (!has_word(man, n))
			print_message("docs/krakterm.1: slot %s is not described\n", n), missing++;
	}
	free(themes);
	free(man);
	assert_int_equal(missing, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(every_action_documented),
	        cmocka_unit_test(every_slot_documented),
	};
	return kt_run_tests(tests);
}
