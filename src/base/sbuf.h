/* sbuf: a growable byte buffer, always NUL-terminated for convenience.
 * Ownership: the buffer owns `p`; sbuf_free releases it. */
#ifndef KT_BASE_SBUF_H
#define KT_BASE_SBUF_H

#include <stdarg.h>
#include <stddef.h>

struct sbuf {
	char *p;    /* NUL-terminated contents (may also hold binary data) */
	size_t len; /* bytes used, not counting the terminator */
	size_t cap; /* bytes allocated */
};

#define SBUF_INIT {NULL, 0, 0}

void sbuf_init(struct sbuf *b);
void sbuf_free(struct sbuf *b);
/* Wipe the contents before freeing (buffers that held a secret). */
void sbuf_free_secret(struct sbuf *b);
void sbuf_reset(struct sbuf *b);
void sbuf_reserve(struct sbuf *b, size_t extra);
void sbuf_add(struct sbuf *b, const void *data, size_t n);
void sbuf_adds(struct sbuf *b, const char *s);
void sbuf_addc(struct sbuf *b, char c);
void sbuf_addf(struct sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void sbuf_vaddf(struct sbuf *b, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));
/* Drop the first n bytes. */
void sbuf_consume(struct sbuf *b, size_t n);
/* Hand the contents to the caller (who frees them) and reset the buffer. */
char *sbuf_detach(struct sbuf *b);
/* The contents as a C string ("" when empty, never NULL). */
const char *sbuf_str(const struct sbuf *b);

#endif
