/* fuzz_util: helpers shared by the fuzz targets (fuzz.h). */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tests/fuzz/fuzz.h"

const char *fuzz_srcdir(void)
{
	const char *s = getenv("KT_TOP_SRCDIR");
	return s && *s ? s : KT_SRCDIR;
}

char *fuzz_read_src(const char *rel, size_t *len)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/%s", fuzz_srcdir(), rel);
	FILE *fp = fopen(path, "rb");
	if (!fp) {
		fprintf(stderr, "fuzz: cannot open %s\n", path);
		abort();
	}
	size_t cap = 4096, n = 0;
	char *buf = malloc(cap);
	size_t got;
	while (buf && (got = fread(buf + n, 1, cap - n - 1, fp)) > 0) {
		n += got;
		if (cap - n - 1 == 0)
			buf = realloc(buf, cap *= 2);
	}
	fclose(fp);
	if (!buf)
		abort();
	buf[n] = '\0';
	if (len)
		*len = n;
	return buf;
}

/* libFuzzer calls this once before the first input. With KT_FUZZ_PRINT_SEEDS set
 * it prints the seed directories and exits, so fuzz-smoke.sh learns them from the
 * target itself (one list, in the target's source). */
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	if (getenv("KT_FUZZ_PRINT_SEEDS")) {
		for (const char *const *s = fuzz_seeds; *s; s++)
			printf("%s/%s\n", fuzz_srcdir(), *s);
		fflush(stdout);
		exit(0);
	}
	return 0;
}

const char *__lsan_default_suppressions(void)
{
	return "leak:strbuf_append\nleak:libconfig_yylex\n";
}

const char *__ubsan_default_options(void)
{
	return "halt_on_error=1:print_stacktrace=1";
}

struct fuzz_split fuzz_split_init(const uint8_t *data, size_t size, unsigned max_msgs)
{
	struct fuzz_split sp = {data, data + size, max_msgs};
	return sp;
}

bool fuzz_split_next(struct fuzz_split *sp, const char **msg, size_t *len)
{
	while (sp->left > 0 && sp->p < sp->end) {
		const uint8_t *rs = memchr(sp->p, FUZZ_RS, (size_t)(sp->end - sp->p));
		const uint8_t *stop = rs ? rs : sp->end;
		const uint8_t *start = sp->p;
		sp->p = rs ? rs + 1 : sp->end;
		if (stop == start)
			continue;
		sp->left--;
		*msg = (const char *)start;
		*len = (size_t)(stop - start);
		return true;
	}
	return false;
}

char *fuzz_strndup(const void *data, size_t size)
{
	char *s = malloc(size + 1);
	if (!s)
		abort();
	if (size)
		memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

static char tmp_dir[512];
static char tmp_path[600];

static void tmp_cleanup(void)
{
	if (tmp_path[0])
		unlink(tmp_path);
	if (tmp_dir[0])
		rmdir(tmp_dir);
}

const char *fuzz_tmpfile(const void *data, size_t size, const char *suffix)
{
	if (!tmp_dir[0]) {
		const char *t = getenv("TMPDIR");
		snprintf(tmp_dir, sizeof tmp_dir, "%s/kt-fuzz-XXXXXX", t && *t ? t : "/tmp");
		if (!mkdtemp(tmp_dir))
			abort();
		atexit(tmp_cleanup);
	}
	snprintf(tmp_path, sizeof tmp_path, "%s/input%s", tmp_dir, suffix ? suffix : "");
	int fd = open(tmp_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		abort();
	const char *p = data;
	while (size > 0) {
		ssize_t w = write(fd, p, size);
		if (w <= 0)
			abort();
		p += w;
		size -= (size_t)w;
	}
	close(fd);
	return tmp_path;
}
