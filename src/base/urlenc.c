/* urlenc: form encoding and parsing (see urlenc.h). */
#include "base/urlenc.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"

static bool unreserved(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
	       c == '-' || c == '.' || c == '_' || c == '~';
}

void urlenc_encode(struct sbuf *b, const char *s, size_t n)
{
	static const char hex[] = "0123456789ABCDEF";
	sbuf_reserve(b, n);
	b->p[b->len] = '\0'; /* reserve alone leaves a fresh buffer unterminated */
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (unreserved(c)) {
			sbuf_addc(b, (char)c);
		} else {
			char e[3] = {'%', hex[c >> 4], hex[c & 15]};
			sbuf_add(b, e, 3);
		}
	}
}

void urlenc_add(struct sbuf *b, const char *key, const char *val)
{
	if (b->len)
		sbuf_addc(b, '&');
	urlenc_encode(b, key, strlen(key));
	sbuf_addc(b, '=');
	urlenc_encode(b, val, strlen(val));
}

static int hexdig(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int urlenc_decode(const char *s, size_t n, struct sbuf *out, struct kerr *err)
{
	sbuf_reserve(out, n);
	out->p[out->len] = '\0'; /* reserve alone leaves a fresh buffer unterminated */
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (c == '+') {
			c = ' ';
		} else if (c == '%') {
			int hi = n - i >= 3 ? hexdig((unsigned char)s[i + 1]) : -1;
			int lo = n - i >= 3 ? hexdig((unsigned char)s[i + 2]) : -1;
			if (hi < 0 || lo < 0)
				return kerr_set(err, URLENC_E_SYNTAX,
				                "bad percent escape at byte %zu (expected %%XX)",
				                i);
			c = (char)(hi * 16 + lo);
			if (c == '\0')
				return kerr_set(err, URLENC_E_NUL, "%%00 (a NUL byte) at byte %zu",
				                i);
			i += 2;
		}
		sbuf_addc(out, c);
	}
	return 0;
}

static char *decode_dup(const char *s, size_t n, struct kerr *err)
{
	struct sbuf b = SBUF_INIT;
	if (urlenc_decode(s, n, &b, err)) {
		sbuf_free(&b);
		return NULL;
	}
	return b.p ? sbuf_detach(&b) : xstrdup("");
}

int urlform_parse(const char *s, size_t n, struct urlform *f, struct kerr *err)
{
	size_t cap = 0;
	memset(f, 0, sizeof *f);
	for (size_t i = 0; i < n;) {
		const char *amp = memchr(s + i, '&', n - i);
		size_t end = amp ? (size_t)(amp - s) : n;
		if (end > i) {
			const char *eq = memchr(s + i, '=', end - i);
			size_t klen = eq ? (size_t)(eq - (s + i)) : end - i;
			char *k = decode_dup(s + i, klen, err), *v = NULL;
			if (k &&
			    !(v = eq ? decode_dup(eq + 1, end - i - klen - 1, err) : xstrdup(""))) {
				free(k);
				k = NULL;
			}
			if (!k) {
				urlform_free(f);
				return -1;
			}
			if (f->n == cap) { /* keys and vals always share one capacity */
				cap = cap ? cap * 2 : 8;
				f->keys = xrealloc(f->keys, cap * sizeof *f->keys);
				f->vals = xrealloc(f->vals, cap * sizeof *f->vals);
			}
			f->keys[f->n] = k;
			f->vals[f->n++] = v;
		}
		i = end + 1;
	}
	return 0;
}

const char *urlform_get(const struct urlform *f, const char *key)
{
	for (size_t i = 0; i < f->n; i++)
		if (strcmp(f->keys[i], key) == 0)
			return f->vals[i];
	return NULL;
}

size_t urlform_get_all(const struct urlform *f, const char *key, const char **out, size_t cap)
{
	size_t c = 0;
	for (size_t i = 0; i < f->n; i++)
		if (strcmp(f->keys[i], key) == 0) {
			if (c < cap)
				out[c] = f->vals[i];
			c++;
		}
	return c;
}

void urlform_free(struct urlform *f)
{
	for (size_t i = 0; i < f->n; i++) {
		free(f->keys[i]);
		free(f->vals[i]);
	}
	free(f->keys);
	free(f->vals);
	memset(f, 0, sizeof *f);
}

void url_split_query(const char *target, size_t n, size_t *path_len, const char **query,
                     size_t *query_len)
{
	const char *q = memchr(target, '?', n);
	*path_len = q ? (size_t)(q - target) : n;
	*query = q ? q + 1 : NULL;
	*query_len = q ? n - *path_len - 1 : 0;
}
