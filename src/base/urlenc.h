/* urlenc: application/x-www-form-urlencoded bodies and query strings.
 *
 * Encoding is the strict RFC 3986 form: every byte except the unreserved
 * A-Z a-z 0-9 - . _ ~ becomes %XX (upper-case hex), so '+' is sent as %2B and
 * space as %20. Kraken signs the exact bytes of the body, and this is the one
 * encoding every server decodes the same way.
 * Decoding accepts '+' as space (HTML forms send it) and %XX in either case;
 * malformed escapes and %00 are rejected.
 *
 * struct urlform owns its strings; urlform_free releases them. */
#ifndef KT_BASE_URLENC_H
#define KT_BASE_URLENC_H

#include <stddef.h>

#include "base/kerr.h"
#include "base/sbuf.h"

enum urlenc_err {
	URLENC_E_SYNTAX = 1, /* bad %XX escape */
	URLENC_E_NUL,        /* %00: would truncate a C string */
};

/* Append the percent-encoding of s[0..n). */
void urlenc_encode(struct sbuf *b, const char *s, size_t n);
/* Append "key=val", preceded by '&' when b is not empty. */
void urlenc_add(struct sbuf *b, const char *key, const char *val);
/* Append the decoding of s[0..n) to out ('+' is a space). */
int urlenc_decode(const char *s, size_t n, struct sbuf *out, struct kerr *err);

struct urlform {
	char **keys, **vals; /* decoded, NUL-terminated; n entries in order */
	size_t n;
};

#define FORM_INIT                                                                                  \
	{                                                                                          \
		NULL, NULL, 0                                                                      \
	}

/* Parse "a=1&b=x%20y&c" (c gets ""; empty pieces are skipped). On failure
 * the form is left empty. The form must be empty or freed before the call. */
int urlform_parse(const char *s, size_t n, struct urlform *f, struct kerr *err);
/* First value of key, or NULL. */
const char *urlform_get(const struct urlform *f, const char *key);
/* All values of a repeated key (orderIds=a&orderIds=b), in order: stores up
 * to cap pointers into out and returns how many there are in total. */
size_t urlform_get_all(const struct urlform *f, const char *key, const char **out, size_t cap);
void urlform_free(struct urlform *f);

/* Split a request target "/a/b?x=1" into the path (length *path_len) and the
 * query after '?' (NULL with *query_len 0 when there is none). */
void url_split_query(const char *target, size_t n, size_t *path_len, const char **query,
                     size_t *query_len);

#endif
