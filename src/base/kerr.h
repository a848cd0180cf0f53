/* kerr: an error code plus a human-readable cause, filled in by callees.
 * Functions that can fail take `struct kerr *err` (may be NULL) and return
 * 0 on success or a negative value on failure. */
#ifndef KT_BASE_KERR_H
#define KT_BASE_KERR_H

#include <stdio.h>

struct kerr {
	int code;      /* module-specific code; 0 = no error */
	char msg[512]; /* what went wrong and, where possible, what to do */
};

#define KERR_INIT {0, {0}}

__attribute__((format(printf, 3, 4))) static inline int kerr_set(struct kerr *e, int code,
								  const char *fmt, ...)
{
	if (e) {
		__builtin_va_list ap;
		__builtin_va_start(ap, fmt);
		e->code = code;
		vsnprintf(e->msg, sizeof e->msg, fmt, ap);
		__builtin_va_end(ap);
	}
	return -1;
}

static inline void kerr_clear(struct kerr *e)
{
	if (e) {
		e->code = 0;
		e->msg[0] = '\0';
	}
}

#endif
