/* jscan: a zero-copy JSON tokenizer that keeps the raw text of every token.
 *
 * Kraken sends prices and sizes as JSON numbers at full precision; a DOM
 * library turns them into double and loses the digits. jdoc_parse makes one
 * pass over the text and fills a flat array of tokens in document order
 * (jsmn-style); each token records its byte span in the source, so numbers are
 * converted exactly (jtok_dec) and strings are unescaped only when asked.
 *
 * Shape of the token array: token 0 is the root. A container is followed by
 * its subtree; `end` is the index just past that subtree, so siblings are
 * reached by jumping to `end`. An object's children alternate key (a J_STR
 * token) and value. Parsing is iterative (explicit stack, depth limit
 * JSCAN_MAX_DEPTH) and allocation-free once the token array is big enough:
 * reuse one jdoc for a stream of messages.
 *
 * Lifetime: a jdoc points into `src`, which the caller keeps alive and
 * unchanged while tokens are used. Every accessor accepts any int as a token
 * index (-1 from a failed lookup included) and then reports "not found", so
 * lookups can be chained without checks in between. */
#ifndef KT_BASE_JSCAN_H
#define KT_BASE_JSCAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/dec.h"
#include "base/kerr.h"

#define JSCAN_MAX_DEPTH 64

enum jtype { J_NONE, J_OBJ, J_ARR, J_STR, J_NUM, J_TRUE, J_FALSE, J_NULL };

enum jscan_err {
	JSCAN_E_SYNTAX = 1, /* not valid JSON */
	JSCAN_E_DEPTH,      /* nested deeper than JSCAN_MAX_DEPTH */
	JSCAN_E_SIZE,       /* document larger than 4 GiB */
	JSCAN_E_TYPE,       /* a token is not of the expected type / value */
};

struct jtok {
	uint8_t type;   /* enum jtype */
	uint32_t start; /* byte offset of the raw text in src */
	uint32_t len;   /* raw text length; strings: content between the quotes, still escaped */
	uint32_t size;  /* obj: members; arr: elements; str: 1 if it contains a '\' escape */
	uint32_t end;   /* index of the first token after this token's subtree */
};

struct jdoc {
	const char *src; /* borrowed: the parsed text */
	size_t len;
	struct jtok *t; /* owned; reused across jdoc_parse calls */
	size_t n, cap;
};

void jdoc_init(struct jdoc *d);
void jdoc_free(struct jdoc *d);
/* Tokenize src[0..len). Strict RFC 8259: one value, no trailing junk, UTF-8
 * strings without raw control characters, no leading zeros, depth <= 64.
 * Never reads src[len]. On failure d->n is 0 and err says what was wrong and
 * at which byte offset. */
int jdoc_parse(struct jdoc *d, const char *src, size_t len, struct kerr *err);

/* Value token of `key` in object `obj`, or -1 (also when obj is not an object). */
int jobj_get(const struct jdoc *d, int obj, const char *key);
int jobj_getn(const struct jdoc *d, int obj, const char *key, size_t keylen);
/* Element i of array arr, or -1. */
int jarr_at(const struct jdoc *d, int arr, size_t i);
/* Iteration: for (int k = jfirst(d, c); k >= 0; k = jnext(d, c, k)) visits
 * the elements of an array or, for objects, the KEY tokens (value = k + 1). */
int jfirst(const struct jdoc *d, int container);
int jnext(const struct jdoc *d, int container, int child);
/* Type of a token; J_NONE for an out-of-range index. */
enum jtype jtok_type(const struct jdoc *d, int tok);
bool jtok_is(const struct jdoc *d, int tok, enum jtype t);
/* Number of members/elements of a container (0 for anything else). */
size_t jtok_size(const struct jdoc *d, int tok);
/* Raw text of a token (strings: still escaped, without quotes); NULL if none. */
const char *jtok_raw(const struct jdoc *d, int tok, size_t *len);

/* Does string token tok equal s (after unescaping)? */
bool jstr_eq(const struct jdoc *d, int tok, const char *s);
bool jstr_eqn(const struct jdoc *d, int tok, const char *s, size_t n);
/* Number, or string holding a number, to an exact decimal (exponents allowed). */
int jtok_dec(const struct jdoc *d, int tok, dec_t *out, struct kerr *err);
/* Integer number or numeric string; fails on fractions that are not whole,
 * out-of-range values and other types. */
int jtok_i64(const struct jdoc *d, int tok, int64_t *out);
int jtok_u64(const struct jdoc *d, int tok, uint64_t *out);
/* JSON true/false only. */
int jtok_bool(const struct jdoc *d, int tok, bool *out);
/* Unescaped copy of a string token (\uXXXX, surrogate pairs included, become
 * UTF-8; lone surrogates become U+FFFD); other tokens give their raw text.
 * Always NUL-terminated when cap > 0, truncated at a UTF-8 character boundary.
 * Returns the full length (truncated if the result is >= cap), or 0 for an
 * invalid index. */
size_t jtok_str(const struct jdoc *d, int tok, char *buf, size_t cap);
/* Unescaped malloc'd copy (free with free()); NULL for an invalid index. */
char *jtok_strdup(const struct jdoc *d, int tok);

/* Follow a path of object keys / array indices (as decimal strings) from
 * tok: jpath(d, 0, "data", "0", "bids", NULL). Returns the token or -1. */
int jpath(const struct jdoc *d, int tok, ...) __attribute__((sentinel));

#endif
