/* fuzz_theme: the theme loader (ui/theme.h) on any file a user could write,
 * drawn for a headless terminal at every colour depth (mono, 8, 16, 256).
 *
 * The input goes to a private temporary file ('@' replaced as in fuzz_config.c).
 * Checks: no crash, leak or undefined behaviour; a refusal names the file; a
 * loaded theme gives every slot a usable style id. Seeds: the shipped themes and
 * tests/fixtures/ui/broken_theme.conf (via tests/fuzz/corpus/theme). */
#include <stdlib.h>
#include <string.h>

#include "tests/fuzz/fuzz.h"
#include "ui/term.h"
#include "ui/theme.h"

const char *const fuzz_seeds[] = {"themes", "tests/fuzz/corpus/theme", NULL};

#define CHECK(c)                                                                                   \
	do {                                                                                       \
		if (!(c))                                                                          \
			abort();                                                                   \
	} while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 64 * 1024 || size < 1)
		return 0;
	static const int depths[] = {TERM_MONO, TERM_8, TERM_16, TERM_256};
	char *text = fuzz_strndup(data, size);
	for (size_t i = 0; i < size; i++)
		if (text[i] == '@')
			text[i] = 'a';
	const char *path = fuzz_tmpfile(text, size, ".conf");
	free(text);
	struct term_opts o = {.headless = true, .width = 40, .height = 10};
	o.max_depth = depths[data[0] & 3];
	o.no_color = o.max_depth == TERM_MONO;
	struct term *t;
	if (term_open(&t, &o, NULL) != 0)
		abort();
	struct theme th;
	struct kerr err = KERR_INIT;
	if (theme_load(&th, t, path, NULL, NULL, &err) == 0) {
		for (int i = 0; i < SLOT_COUNT; i++)
			CHECK(th.style[i] >= 0);
	} else {
		CHECK(strstr(err.msg, "input.conf") != NULL);
	}
	term_close(t);
	return 0;
}
