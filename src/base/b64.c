/* b64: base64 encode/decode (see b64.h). */
#include "base/b64.h"

#include <stdbool.h>
#include <stdint.h>

static const char b64_alpha[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

size_t b64_encode_buf(const void *src, size_t n, char *out)
{
	const unsigned char *p = src;
	size_t o = 0, i = 0;
	for (; n - i >= 3; i += 3) {
		uint32_t v = (uint32_t)p[i] << 16 | (uint32_t)p[i + 1] << 8 | p[i + 2];
		out[o++] = b64_alpha[v >> 18];
		out[o++] = b64_alpha[(v >> 12) & 63];
		out[o++] = b64_alpha[(v >> 6) & 63];
		out[o++] = b64_alpha[v & 63];
	}
	if (n - i) {
		uint32_t v = (uint32_t)p[i] << 16 | (n - i == 2 ? (uint32_t)p[i + 1] << 8 : 0);
		out[o++] = b64_alpha[v >> 18];
		out[o++] = b64_alpha[(v >> 12) & 63];
		out[o++] = n - i == 2 ? b64_alpha[(v >> 6) & 63] : '=';
		out[o++] = '=';
	}
	out[o] = '\0';
	return o;
}

void b64_encode(struct sbuf *b, const void *src, size_t n)
{
	size_t len = b64_encoded_len(n);
	sbuf_reserve(b, len);
	b64_encode_buf(src, n, b->p + b->len);
	b->len += len;
}

static int b64_val(unsigned char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

int b64_decode_buf(const char *s, size_t n, void *out, size_t cap, size_t *outlen, struct kerr *err)
{
	unsigned char *o = out;
	size_t len = 0;
	if (n % 4)
		return kerr_set(err, B64_E_SYNTAX, "base64: length %zu is not a multiple of 4", n);
	for (size_t i = 0; i < n; i += 4) {
		int v[4];
		size_t pad = 0;
		for (size_t k = 0; k < 4; k++) {
			unsigned char c = (unsigned char)s[i + k];
			bool last = i + 4 == n;
			if (c == '=' && last && k >= 2 && (k == 3 || s[i + 3] == '=')) {
				v[k] = 0;
				pad++;
				continue;
			}
			if ((v[k] = b64_val(c)) < 0 || pad)
				return kerr_set(err, B64_E_SYNTAX,
				                "base64: invalid character at position %zu", i + k);
		}
		uint32_t w = (uint32_t)v[0] << 18 | (uint32_t)v[1] << 12 | (uint32_t)v[2] << 6 |
		             (uint32_t)v[3];
		unsigned char bytes[3] = {(unsigned char)(w >> 16), (unsigned char)(w >> 8),
		                          (unsigned char)w};
		size_t nb = 3 - pad;
		if (cap - len < nb)
			return kerr_set(err, B64_E_SPACE, "base64: output buffer too small");
		for (size_t k = 0; k < nb; k++)
			o[len++] = bytes[k];
	}
	*outlen = len;
	return 0;
}

int b64_decode(const char *s, size_t n, struct sbuf *b, struct kerr *err)
{
	size_t got;
	size_t max = b64_decoded_max(n);
	sbuf_reserve(b, max);
	if (b64_decode_buf(s, n, b->p + b->len, max, &got, err)) {
		b->p[b->len] = '\0';
		return -1;
	}
	b->len += got;
	b->p[b->len] = '\0';
	return 0;
}
