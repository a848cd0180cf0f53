/* strutil: the few string helpers protocol and config code keep needing.
 * ASCII only and locale-independent on purpose: symbols, enum names and
 * header names are ASCII, and a user's locale must not change how
 * "PF_XBTUSD" compares with "pf_xbtusd" (Kraken Futures mixes the cases). */
#ifndef KT_BASE_STRUTIL_H
#define KT_BASE_STRUTIL_H

#include <stdbool.h>
#include <stddef.h>

/* Copy src into dst (cap bytes, always NUL-terminated when cap > 0);
 * returns strlen(src), so truncation is `ret >= cap`. */
size_t kt_strlcpy(char *dst, const char *src, size_t cap);
/* ASCII case-insensitive equality. */
bool kt_strieq(const char *a, const char *b);
bool kt_strnieq(const char *a, const char *b, size_t n);
bool kt_str_starts(const char *s, const char *prefix);
bool kt_str_istarts(const char *s, const char *prefix);
bool kt_str_ends(const char *s, const char *suffix);
/* ASCII upper/lower case in place; returns s. */
char *kt_str_upper(char *s);
char *kt_str_lower(char *s);
/* Strip ASCII whitespace at both ends in place; returns s (moved contents). */
char *kt_str_trim(char *s);
/* Split s in place at each sep: stores up to max field pointers into out and
 * returns the number of fields (which may be larger than max; the last
 * stored field then holds the unsplit rest). "a,,b" gives "a", "", "b". */
size_t kt_str_split(char *s, char sep, char **out, size_t max);

#endif
