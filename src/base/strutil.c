/* strutil: ASCII string helpers (see strutil.h). */
#include "base/strutil.h"

#include <string.h>

static char lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}
static char upper(char c)
{
	return c >= 'a' && c <= 'z' ? (char)(c - 'a' + 'A') : c;
}
static bool space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

size_t kt_strlcpy(char *dst, const char *src, size_t cap)
{
	size_t n = strlen(src);
	if (cap) {
		size_t c = n < cap - 1 ? n : cap - 1;
		memcpy(dst, src, c);
		dst[c] = '\0';
	}
	return n;
}

bool kt_strnieq(const char *a, const char *b, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (lower(a[i]) != lower(b[i]))
			return false;
		if (!a[i])
			return true;
	}
	return true;
}

bool kt_strieq(const char *a, const char *b)
{
	return kt_strnieq(a, b, (size_t)-1);
}

bool kt_str_starts(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

bool kt_str_istarts(const char *s, const char *prefix)
{
	return kt_strnieq(s, prefix, strlen(prefix));
}

bool kt_str_ends(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);
	return n >= k && memcmp(s + n - k, suffix, k) == 0;
}

char *kt_str_upper(char *s)
{
	for (char *p = s; *p; p++)
		*p = upper(*p);
	return s;
}

char *kt_str_lower(char *s)
{
	for (char *p = s; *p; p++)
		*p = lower(*p);
	return s;
}

char *kt_str_trim(char *s)
{
	size_t a = 0, n = strlen(s);
	while (a < n && space(s[a]))
		a++;
	while (n > a && space(s[n - 1]))
		n--;
	memmove(s, s + a, n - a);
	s[n - a] = '\0';
	return s;
}

size_t kt_str_split(char *s, char sep, char **out, size_t max)
{
	size_t nf = 0;
	char *p = s;
	for (;;) {
		char *q = sep ? strchr(p, sep) : NULL;
		if (nf < max)
			out[nf] = p;
		nf++;
		if (!q)
			break;
		if (nf < max)
			*q = '\0';
		p = q + 1;
	}
	return nf;
}
