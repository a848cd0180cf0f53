/* log: the krakterm log file, with levels, size-based rotation and redaction.
 *
 * Nothing is written to the terminal while the TUI runs: until klog_open() is
 * called messages go to stderr only if klog_set_stderr(1) was requested.
 * Registered secrets are replaced by "[REDACTED]" in every message, so a key
 * that slips into an error text still never reaches the file. */
#ifndef KT_BASE_LOG_H
#define KT_BASE_LOG_H

#include <stdarg.h>
#include <stddef.h>

enum klog_level { KLOG_ERROR, KLOG_WARN, KLOG_INFO, KLOG_DEBUG, KLOG_TRACE };

/* Open (append) the log at `path`, creating its directory. When the file grows
 * past max_bytes it is rotated to path.1 .. path.<keep>. Returns 0 or -1. */
int klog_open(const char *path, enum klog_level level, size_t max_bytes, int keep);
/* Close the file; registered redactions stay (the log may be reopened). */
void klog_close(void);
/* Close the file and wipe every registered redaction (at exit). */
void klog_shutdown(void);
void klog_set_level(enum klog_level level);
enum klog_level klog_get_level(void);
/* Also copy messages to stderr (one-shot commands and tests; never in the TUI). */
void klog_set_stderr(int on);
/* Parse "error|warn|info|debug|trace"; returns 0 or -1. */
int klog_level_parse(const char *s, enum klog_level *out);
const char *klog_level_name(enum klog_level level);
/* Register a secret (>= 4 chars) to scrub from every future message. The
 * logger keeps its own copy and wipes it at klog_shutdown(). */
void klog_add_redaction(const char *secret);
/* Where the log is written ("" when closed). */
const char *klog_path(void);

void klog(enum klog_level level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void klogv(enum klog_level level, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));

#define LOGE(...) klog(KLOG_ERROR, __VA_ARGS__)
#define LOGW(...) klog(KLOG_WARN, __VA_ARGS__)
#define LOGI(...) klog(KLOG_INFO, __VA_ARGS__)
#define LOGD(...) klog(KLOG_DEBUG, __VA_ARGS__)
#define LOGT(...) klog(KLOG_TRACE, __VA_ARGS__)

#endif
