/* fuzz_main: the main of a fuzz target in builds without libFuzzer.
 *
 *   fuzz_x              replay the target's seed corpus (fuzz_seeds), TAP output:
 *                       one test per seed directory
 *   fuzz_x FILE|DIR...  replay these inputs instead (a crash file from libFuzzer,
 *                       under gcc, valgrind or a debugger)
 *
 * Each seed is replayed whole and cut short (at half and at all but its last byte),
 * since truncated messages are what a dropped connection delivers. A crash or a
 * sanitizer report ends the program, which the TAP driver reports as an error. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "tests/fuzz/fuzz.h"

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static unsigned replay_file(const char *path, bool cuts)
{
	FILE *fp = fopen(path, "rb");
	if (!fp)
		return 0;
	size_t cap = 1 << 16, n = 0, got;
	uint8_t *buf = malloc(cap);
	while ((got = fread(buf + n, 1, cap - n, fp)) > 0) {
		n += got;
		if (n == cap)
			buf = realloc(buf, cap *= 2);
	}
	fclose(fp);
	unsigned runs = 0;
	/* a copy of exactly the input's size, so ASan sees any read past the end */
	size_t lens[3] = {n, n / 2, n ? n - 1 : 0};
	for (int i = 0; i < (cuts && n > 1 ? 3 : 1); i++) {
		uint8_t *in = malloc(lens[i] ? lens[i] : 1);
		memcpy(in, buf, lens[i]);
		LLVMFuzzerTestOneInput(in, lens[i]);
		free(in);
		runs++;
	}
	free(buf);
	return runs;
}

/* Replay every regular file of dir (sorted, not recursive); -1 if dir is unusable. */
static long replay_dir(const char *dir, bool cuts)
{
	DIR *d = opendir(dir);
	if (!d)
		return -1;
	size_t n = 0, cap = 64;
	char **names = malloc(cap * sizeof *names);
	struct dirent *e;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		if (n == cap)
			names = realloc(names, (cap *= 2) * sizeof *names);
		names[n++] = strdup(e->d_name);
	}
	closedir(d);
	qsort(names, n, sizeof *names, name_cmp);
	long runs = 0;
	for (size_t i = 0; i < n; i++) {
		char path[4096];
		struct stat st;
		snprintf(path, sizeof path, "%s/%s", dir, names[i]);
		if (stat(path, &st) == 0 && S_ISREG(st.st_mode))
			runs += replay_file(path, cuts);
		free(names[i]);
	}
	free(names);
	return runs;
}

static const char *base_name(const char *p)
{
	const char *s = strrchr(p, '/');
	return s ? s + 1 : p;
}

int main(int argc, char **argv)
{
	LLVMFuzzerInitialize(&argc, &argv);
	const char *me = base_name(argv[0]);
	if (argc > 1) {
		for (int i = 1; i < argc; i++) {
			struct stat st;
			long runs = stat(argv[i], &st) == 0 && S_ISDIR(st.st_mode)
			                    ? replay_dir(argv[i], false)
			                    : (long)replay_file(argv[i], false);
			fprintf(stderr, "%s: %s: %ld input%s replayed\n", me, argv[i], runs,
			        runs == 1 ? "" : "s");
		}
		return 0;
	}
	size_t ndirs = 0;
	while (fuzz_seeds[ndirs])
		ndirs++;
	printf("1..%zu\n", ndirs);
	int failed = 0;
	for (size_t i = 0; i < ndirs; i++) {
		char dir[4096];
		snprintf(dir, sizeof dir, "%s/%s", fuzz_srcdir(), fuzz_seeds[i]);
		long runs = replay_dir(dir, true);
		if (runs <= 0) {
			printf("not ok %zu - %s: no seed inputs in %s\n", i + 1, me, fuzz_seeds[i]);
			failed = 1;
		} else {
			printf("ok %zu - %s: %ld inputs from %s replayed without a crash\n", i + 1,
			       me, runs, fuzz_seeds[i]);
		}
		fflush(stdout);
	}
	return failed;
}
