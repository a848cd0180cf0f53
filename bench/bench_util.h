/* bench_util: what every benchmark program shares — its output format, clocks,
 * process CPU and memory figures, and a deterministic random generator.
 *
 * Output: every result is one line on stdout, "name value unit" (a name
 * without spaces, a number, a unit without spaces), so `make bench` output can
 * be compared and parsed by scripts. Anything else (progress, explanations)
 * goes to stderr. Benchmarks never assert on timings: a slow machine gives
 * slow numbers, not a failure. */
#ifndef KT_BENCH_UTIL_H
#define KT_BENCH_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* One result line: "name value unit". */
void bench_out(const char *name, double value, const char *unit);
/* printf-style name, for families of results (depth, rate...). */
void bench_outf(double value, const char *unit, const char *name_fmt, ...)
        __attribute__((format(printf, 3, 4)));

/* CPU time of the calling thread / whole process (user + system), ns. */
uint64_t bench_thread_cpu_ns(void);
uint64_t bench_process_cpu_ns(void);
/* CPU time (user + system, ns) of another process from /proc/PID/stat; 0 when unreadable. */
uint64_t bench_pid_cpu_ns(pid_t pid);
/* A field of /proc/PID/status in kB ("VmRSS", "VmHWM"); pid 0 = self. -1 when absent. */
long bench_status_kb(pid_t pid, const char *field);

/* xorshift32: deterministic, seed must not be 0. */
static inline uint32_t bench_rnd(uint32_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 17;
	*s ^= *s << 5;
	return *s;
}

/* Percentiles of an array of samples (sorted in place). p in [0, 100]. */
uint64_t bench_percentile(uint64_t *v, size_t n, double p);

/* The source tree (themes, keymaps): $KT_TOP_SRCDIR, else the configured one. */
const char *bench_srcdir(void);
/* A fresh private directory under $TMPDIR (removed by bench_rmdir). */
int bench_tmpdir(char *out, size_t cap);
void bench_rmdir(const char *dir);

/* Seconds a benchmark should run: $KT_BENCH_SECS scaled (default 1.0). */
double bench_scale(void);

#endif
