/* bench_util: output, clocks, /proc figures and temporary directories. */
#include "bench/bench_util.h"

#include <ftw.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

void bench_out(const char *name, double value, const char *unit)
{
	if (value == (double)(int64_t)value)
		printf("%s %lld %s\n", name, (long long)value, unit);
	else
		printf("%s %.3f %s\n", name, value, unit);
	fflush(stdout);
}

void bench_outf(double value, const char *unit, const char *name_fmt, ...)
{
	char name[128];
	va_list ap;
	va_start(ap, name_fmt);
	vsnprintf(name, sizeof name, name_fmt, ap);
	va_end(ap);
	bench_out(name, value, unit);
}

static uint64_t clock_ns(clockid_t id)
{
	struct timespec ts;
	clock_gettime(id, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

uint64_t bench_thread_cpu_ns(void)
{
	return clock_ns(CLOCK_THREAD_CPUTIME_ID);
}
uint64_t bench_process_cpu_ns(void)
{
	return clock_ns(CLOCK_PROCESS_CPUTIME_ID);
}

uint64_t bench_pid_cpu_ns(pid_t pid)
{
	char path[64], buf[1024];
	snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
	FILE *f = fopen(path, "r");
	if (!f)
		return 0;
	size_t n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = '\0';
	/* Fields after the command name (which may hold spaces): state is field 3,
	 * utime field 14, stime field 15. */
	char *p = strrchr(buf, ')');
	if (!p)
		return 0;
	unsigned long ut = 0, st = 0;
	if (sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu", &ut, &st) != 2)
		return 0;
	long hz = sysconf(_SC_CLK_TCK);
	return (uint64_t)(ut + st) * (1000000000u / (uint64_t)(hz > 0 ? hz : 100));
}

long bench_status_kb(pid_t pid, const char *field)
{
	char path[64], line[256];
	if (pid)
		snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
	else
		snprintf(path, sizeof path, "/proc/self/status");
	FILE *f = fopen(path, "r");
	if (!f)
		return -1;
	long v = -1;
	size_t fl = strlen(field);
	while (fgets(line, sizeof line, f)) {
		if (strncmp(line, field, fl) == 0 && line[fl] == ':') {
			v = strtol(line + fl + 1, NULL, 10);
			break;
		}
	}
	fclose(f);
	return v;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return (x > y) - (x < y);
}

uint64_t bench_percentile(uint64_t *v, size_t n, double p)
{
	if (!n)
		return 0;
	qsort(v, n, sizeof *v, cmp_u64);
	size_t i = (size_t)(p / 100.0 * (double)(n - 1) + 0.5);
	return v[i < n ? i : n - 1];
}

const char *bench_srcdir(void)
{
	const char *s = getenv("KT_TOP_SRCDIR");
	return s && s[0] ? s : KT_SRCDIR;
}

int bench_tmpdir(char *out, size_t cap)
{
	const char *t = getenv("TMPDIR");
	snprintf(out, cap, "%s/ktbench.XXXXXX", t && t[0] ? t : "/tmp");
	return mkdtemp(out) ? 0 : -1;
}

static int rm_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(path);
}

void bench_rmdir(const char *dir)
{
	if (dir && dir[0])
		nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

double bench_scale(void)
{
	const char *s = getenv("KT_BENCH_SECS");
	double v = s ? strtod(s, NULL) : 1.0;
	return v > 0 ? v : 1.0;
}
