/* b64: base64 (RFC 4648, standard alphabet, '=' padding), used for API
 * secrets and signatures. Decoding is strict: the length must be a multiple
 * of 4, padding only at the end, and any other character (whitespace
 * included) is rejected, so a mangled secret fails loudly instead of
 * producing a wrong key.
 *
 * The _buf variants write into caller memory and never allocate, which is
 * what secret material wants (no realloc leaves stray copies behind). */
#ifndef KT_BASE_B64_H
#define KT_BASE_B64_H

#include <stddef.h>

#include "base/kerr.h"
#include "base/sbuf.h"

enum b64_err {
	B64_E_SYNTAX = 1, /* not base64 */
	B64_E_SPACE,      /* output buffer too small */
};

/* Encoded length of n bytes (without a NUL). */
static inline size_t b64_encoded_len(size_t n)
{
	return (n + 2) / 3 * 4;
}
/* Upper bound of the decoded length of n characters. */
static inline size_t b64_decoded_max(size_t n)
{
	return n / 4 * 3;
}

/* Encode into out, which holds b64_encoded_len(n) + 1 bytes; NUL-terminates
 * and returns the encoded length. */
size_t b64_encode_buf(const void *src, size_t n, char *out);
/* Append the encoding of src to b. */
void b64_encode(struct sbuf *b, const void *src, size_t n);
/* Decode s[0..n) into out (cap bytes; b64_decoded_max(n) is always enough);
 * the decoded length goes to *outlen. */
int b64_decode_buf(const char *s, size_t n, void *out, size_t cap, size_t *outlen,
                   struct kerr *err);
/* Append the decoding of s[0..n) to b. */
int b64_decode(const char *s, size_t n, struct sbuf *b, struct kerr *err);

#endif
