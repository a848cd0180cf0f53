/* fuzz_config: the configuration loader (app/cfg.h: libconfig syntax read
 * against the schema) and profile resolution, on any file a user could write.
 *
 * The input is written to a private temporary file (the loader reads a path).
 * Bit 0 of the first byte chooses the file's mode: 0600, or 0644 so the "secret
 * in a file others can read" refusal is reached too. '@' bytes are replaced by
 * 'a' first: an @include could name /dev/zero or a FIFO and hang the fuzzer, and
 * what it would exercise is libconfig's include code, not ours. Every profile of
 * a loaded config is then resolved (profile_resolve; never profile_load_secrets,
 * which would run the input's secret commands). Checks: no crash, leak or
 * undefined behaviour; a refusal names the file; notices carry text. Seeds:
 * tests/fixtures/config, the shipped docs/config.example (via
 * tests/fuzz/corpus/config). */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "app/cfg.h"
#include "app/profile.h"
#include "tests/fuzz/fuzz.h"

const char *const fuzz_seeds[] = {"tests/fixtures/config", "tests/fuzz/corpus/config", NULL};

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
	if (size > 0 && (data[0] & 1))
		chmod(path, 0644);
	struct cfg cfg;
	struct kerr err = KERR_INIT;
	if (cfg_load(&cfg, path, true, &err) == 0) {
		for (size_t i = 0; i < cfg.nnotices; i++)
			CHECK(cfg.notices[i].text && cfg.notices[i].text[0]);
		char *names = cfg_profile_names(&cfg);
		free(names);
		for (size_t i = 0; i <= cfg.nprofiles; i++) {
			const char *name = i < cfg.nprofiles ? cfg.profiles[i].name : NULL;
			struct profile p;
			struct kerr perr = KERR_INIT;
			if (profile_resolve(&p, &cfg, name, NULL, &perr) == 0)
				profile_free(&p);
			else
				CHECK(perr.msg[0]);
		}
	} else {
		CHECK(err.msg[0]);
	}
	cfg_free(&cfg);
	return 0;
}
