/* test_log: levels filter, secrets are redacted, and the file rotates by size. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/log.h"
#include "tests/unit/unit.h"

static char dir[256];

static char *slurp(const char *path)
{
	FILE *fp = fopen(path, "r");
	if (!fp)
		return NULL;
	static char buf[65536];
	size_t n = fread(buf, 1, sizeof buf - 1, fp);
	buf[n] = '\0';
	fclose(fp);
	return buf;
}

static int setup(void **state)
{
	snprintf(dir, sizeof dir, "%s/kt-log-XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	return mkdtemp(dir) ? 0 : -1;
}

static void levels_filter(void **state)
{
	char path[512];
	snprintf(path, sizeof path, "%s/sub/dir/krakterm.log", dir);
	assert_int_equal(klog_open(path, KLOG_INFO, 0, 3), 0);
	LOGI("visible %d", 1);
	LOGD("hidden %d", 2);
	LOGE("error line");
	klog_close();
	char *s = slurp(path);
	assert_non_null(s);
	assert_non_null(strstr(s, "info  visible 1"));
	assert_null(strstr(s, "hidden"));
	assert_non_null(strstr(s, "error error line"));
	struct stat st;
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
}

static void secrets_redacted(void **state)
{
	char path[512];
	snprintf(path, sizeof path, "%s/redact.log", dir);
	assert_int_equal(klog_open(path, KLOG_DEBUG, 0, 1), 0);
	klog_add_redaction("s3cr3t-KEY-material");
	LOGW("request failed with key s3cr3t-KEY-material and again s3cr3t-KEY-material!");
	klog_close();
	char *s = slurp(path);
	assert_null(strstr(s, "s3cr3t"));
	assert_non_null(strstr(s, "key [REDACTED] and again [REDACTED]!"));
}

static void rotates_by_size(void **state)
{
	char path[512], p1[600], p2[600], p3[600];
	snprintf(path, sizeof path, "%s/rot.log", dir);
	snprintf(p1, sizeof p1, "%s.1", path);
	snprintf(p2, sizeof p2, "%s.2", path);
	snprintf(p3, sizeof p3, "%s.3", path);
	assert_int_equal(klog_open(path, KLOG_INFO, 200, 2), 0);
	for (int i = 0; i < 20; i++)
		LOGI("line %02d with some padding to fill the file", i);
	klog_close();
	struct stat st;
	assert_int_equal(stat(p1, &st), 0);
	assert_int_equal(stat(p2, &st), 0);
	assert_int_not_equal(stat(p3, &st), 0); /* only `keep` old files */
	assert_int_equal(stat(path, &st), 0);
	assert_true(st.st_size < 200);
}

static void level_names_parse(void **state)
{
	enum klog_level l;
	assert_int_equal(klog_level_parse("debug", &l), 0);
	assert_int_equal(l, KLOG_DEBUG);
	assert_int_equal(klog_level_parse("warning", &l), 0);
	assert_int_equal(l, KLOG_WARN);
	assert_int_equal(klog_level_parse("loud", &l), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(levels_filter, setup),
		cmocka_unit_test_setup(secrets_redacted, setup),
		cmocka_unit_test_setup(rotates_by_size, setup),
		cmocka_unit_test(level_names_parse),
	};
	return kt_run_tests(tests);
}
