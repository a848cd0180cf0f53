/* fixture: locate and read test fixtures from the source tree. */
#include <stdio.h>
#include <stdlib.h>

#include "tests/unit/unit.h"

const char *kt_fixture_path(const char *name)
{
	static char path[4096];
	const char *top = getenv("KT_TOP_SRCDIR");
	snprintf(path, sizeof path, "%s/tests/fixtures/%s", top ? top : KT_SRCDIR, name);
	return path;
}

char *kt_fixture_read(const char *name, size_t *len)
{
	const char *path = kt_fixture_path(name);
	FILE *fp = fopen(path, "rb");
	if (!fp) {
		fail_msg("fixture %s not found", path);
		return NULL;
	}
	fseek(fp, 0, SEEK_END);
	long n = ftell(fp);
	fseek(fp, 0, SEEK_SET);
	char *buf = malloc((size_t)n + 1);
	assert_non_null(buf);
	size_t got = fread(buf, 1, (size_t)n, fp);
	fclose(fp);
	buf[got] = '\0';
	if (len)
		*len = got;
	return buf;
}
