/* fuzz: what every fuzz target includes.
 *
 * A target is one file defining LLVMFuzzerTestOneInput() and the list of its
 * seed directories (fuzz_seeds). The same file builds two ways:
 *   - `./configure CC=clang --enable-fuzzing`: linked with -fsanitize=fuzzer,
 *     libFuzzer's main drives it (tests/fuzz/fuzz-smoke.sh runs each target
 *     for a few seconds in `make check`; docs/testing.md has long campaigns);
 *   - every other build: linked with tests/fuzz/fuzz_main.c, a small main that
 *     replays the seed corpus (and any files given on the command line)
 *     through the target and prints TAP, so every build exercises the target
 *     and a crash found by libFuzzer can be replayed under gcc or valgrind.
 *
 * Inputs that hold several messages (WebSocket sessions, pipelined requests)
 * separate them with the ASCII record separator 0x1E, as RFC 7464 JSON text
 * sequences do: no fixture contains it, so each fixture file is one message. */
#ifndef KT_TESTS_FUZZ_H
#define KT_TESTS_FUZZ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define FUZZ_RS 0x1e

/* libFuzzer's entry points (defined by each target / by fuzz_util.c). */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

/* LeakSanitizer's built-in suppressions for the fuzz programs (fuzz_util.c): the
 * leaks of libconfig 1.5 itself (its lexer/parser drop the token buffers of a file
 * that fails to parse — reproduced with libconfig alone; krakterm then exits),
 * never our code. */
const char *__lsan_default_suppressions(void);
/* UndefinedBehaviorSanitizer's defaults for the fuzz programs: halt on the first
 * report, with a stack trace. The fuzzing build does not make UB fatal at compile
 * time (-fsanitize-recover), and libFuzzer only notices a finding that stops the
 * program, so without this a campaign would print undefined behaviour and go on. */
const char *__ubsan_default_options(void);

/* Seed directories of the target, relative to the source tree
 * ("tests/fixtures/spot_rest", "tests/fuzz/corpus/paper_rest"), NULL-terminated. */
extern const char *const fuzz_seeds[];

/* The source tree: $KT_TOP_SRCDIR, else the one this was built from. */
const char *fuzz_srcdir(void);
/* Read a file under the source tree into a malloc'd NUL-terminated buffer
 * (abort()s when it cannot: a target's fixed setup must not silently vanish). */
char *fuzz_read_src(const char *rel, size_t *len);

/* Iterate over the messages of an input split at FUZZ_RS:
 *   struct fuzz_split sp = fuzz_split_init(data, size);
 *   const char *m; size_t n;
 *   while (fuzz_split_next(&sp, &m, &n)) ...
 * Empty messages are skipped; at most max_msgs are returned (bounded work). */
struct fuzz_split {
	const uint8_t *p, *end;
	unsigned left;
};
struct fuzz_split fuzz_split_init(const uint8_t *data, size_t size, unsigned max_msgs);
bool fuzz_split_next(struct fuzz_split *sp, const char **msg, size_t *len);

/* A malloc'd NUL-terminated copy of data (parsers that need a C string). */
char *fuzz_strndup(const void *data, size_t size);

/* Write data to a private temporary file (loaders that take a path); the path
 * stays valid until the next call. Returns the path. */
const char *fuzz_tmpfile(const void *data, size_t size, const char *suffix);

#endif
