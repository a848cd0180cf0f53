/* log: append-only log file with rotation and secret redaction.
 *
 * The logger is process-wide state (like tmux's log): every layer logs, and
 * libwebsockets' log callback has no user pointer. It is single-threaded. */
#include "base/log.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "base/clock.h"
#include "base/sbuf.h"
#include "base/xalloc.h"

#define MAX_REDACTIONS 64

static struct {
	FILE *fp;
	char *path;
	enum klog_level level;
	size_t max_bytes;
	int keep;
	int to_stderr;
	size_t size;
	char *redact[MAX_REDACTIONS];
	int nredact;
} L = {.level = KLOG_INFO};

static const char *const level_names[] = {"error", "warn", "info", "debug", "trace"};

const char *klog_level_name(enum klog_level level)
{
	return (unsigned)level < 5 ? level_names[level] : "?";
}

int klog_level_parse(const char *s, enum klog_level *out)
{
	for (int i = 0; i < 5; i++) {
		if (strcmp(s, level_names[i]) == 0) {
			*out = (enum klog_level)i;
			return 0;
		}
	}
	if (strcmp(s, "warning") == 0) {
		*out = KLOG_WARN;
		return 0;
	}
	return -1;
}

/* mkdir -p for the directory part of path, mode 0700 (logs may name orders). */
static void make_parent_dirs(const char *path)
{
	char *d = xstrdup(path);
	for (char *p = d + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		mkdir(d, 0700);
		*p = '/';
	}
	free(d);
}

int klog_open(const char *path, enum klog_level level, size_t max_bytes, int keep)
{
	klog_close(); /* reopening keeps the registered redactions */
	make_parent_dirs(path);
	FILE *fp = fopen(path, "a");
	if (!fp)
		return -1;
	chmod(path, 0600);
	setvbuf(fp, NULL, _IOLBF, 0);
	struct stat st;
	L.size = fstat(fileno(fp), &st) == 0 ? (size_t)st.st_size : 0;
	L.fp = fp;
	L.path = xstrdup(path);
	L.level = level;
	L.max_bytes = max_bytes;
	L.keep = keep < 1 ? 1 : keep;
	return 0;
}

void klog_close(void)
{
	if (L.fp)
		fclose(L.fp);
	L.fp = NULL;
	free(L.path);
	L.path = NULL;
}

void klog_shutdown(void)
{
	klog_close();
	for (int i = 0; i < L.nredact; i++)
		xfree_secret(L.redact[i]);
	L.nredact = 0;
}

void klog_set_level(enum klog_level level) { L.level = level; }
enum klog_level klog_get_level(void) { return L.level; }
void klog_set_stderr(int on) { L.to_stderr = on; }
const char *klog_path(void) { return L.path ? L.path : ""; }

void klog_add_redaction(const char *secret)
{
	if (!secret || strlen(secret) < 4)
		return;
	if (L.nredact >= MAX_REDACTIONS) {
		/* Never silently: the caller must know this secret is not scrubbed. */
		klog(KLOG_WARN, "log: too many secrets registered for redaction; one is not scrubbed");
		return;
	}
	for (int i = 0; i < L.nredact; i++)
		if (strcmp(L.redact[i], secret) == 0)
			return;
	L.redact[L.nredact++] = xstrdup(secret);
}

static void rotate(void)
{
	fclose(L.fp);
	L.fp = NULL;
	size_t n = strlen(L.path) + 16;
	char *from = xmalloc(n), *to = xmalloc(n);
	for (int i = L.keep; i >= 1; i--) {
		if (i == 1)
			snprintf(from, n, "%s", L.path);
		else
			snprintf(from, n, "%s.%d", L.path, i - 1);
		snprintf(to, n, "%s.%d", L.path, i);
		rename(from, to);
	}
	free(from);
	free(to);
	L.fp = fopen(L.path, "a");
	if (L.fp) {
		chmod(L.path, 0600);
		setvbuf(L.fp, NULL, _IOLBF, 0);
	}
	L.size = 0;
}

/* Replace every registered secret in b with a marker. */
static void redact(struct sbuf *b)
{
	for (int i = 0; i < L.nredact; i++) {
		const char *s = L.redact[i];
		size_t sl = strlen(s);
		char *hit;
		while ((hit = memmem(b->p, b->len, s, sl)) != NULL) {
			static const char mark[] = "[REDACTED]";
			size_t off = (size_t)(hit - b->p);
			struct sbuf out = SBUF_INIT;
			sbuf_add(&out, b->p, off);
			sbuf_add(&out, mark, sizeof mark - 1);
			sbuf_add(&out, b->p + off + sl, b->len - off - sl);
			sbuf_free_secret(b);
			*b = out;
		}
	}
}

void klogv(enum klog_level level, const char *fmt, va_list ap)
{
	if (level > L.level || (!L.fp && !L.to_stderr))
		return;
	struct sbuf b = SBUF_INIT;
	uint64_t us = kt_wall_us();
	time_t sec = (time_t)(us / 1000000u);
	struct tm tm;
	gmtime_r(&sec, &tm);
	char ts[32];
	strftime(ts, sizeof ts, "%Y-%m-%dT%H:%M:%S", &tm);
	sbuf_addf(&b, "%s.%06uZ %-5s ", ts, (unsigned)(us % 1000000u), klog_level_name(level));
	sbuf_vaddf(&b, fmt, ap);
	while (b.len && (b.p[b.len - 1] == '\n' || b.p[b.len - 1] == '\r'))
		b.p[--b.len] = '\0';
	redact(&b);
	sbuf_addc(&b, '\n');
	if (L.fp) {
		fwrite(b.p, 1, b.len, L.fp);
		L.size += b.len;
		if (L.max_bytes && L.size >= L.max_bytes)
			rotate();
	}
	if (L.to_stderr)
		fwrite(b.p, 1, b.len, stderr);
	sbuf_free(&b);
}

void klog(enum klog_level level, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	klogv(level, fmt, ap);
	va_end(ap);
}
