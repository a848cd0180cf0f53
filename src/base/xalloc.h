/* xalloc: allocation that never returns NULL.
 *
 * Out of memory is fatal: the registered hook runs first (the app uses it to
 * restore the terminal), then the process aborts. */
#ifndef KT_BASE_XALLOC_H
#define KT_BASE_XALLOC_H

#include <stddef.h>

void *xmalloc(size_t n);
void *xcalloc(size_t count, size_t size);
void *xrealloc(void *p, size_t n);
/* Grow an array of `*cap` elements of `size` bytes to hold at least `need`. */
void *xgrow(void *p, size_t *cap, size_t need, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Called once, before abort(), when memory runs out. */
void xalloc_set_fatal_hook(void (*hook)(void));
/* Overwrite memory that held a secret in a way the compiler cannot elide. */
void xwipe(void *p, size_t n);
/* Wipe a NUL-terminated secret and free it (NULL is fine). */
void xfree_secret(char *s);

#endif
