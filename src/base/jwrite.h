/* jwrite: a small streaming JSON writer for requests built on hot paths.
 *
 * It appends to a caller-owned sbuf and takes care of commas, colons and
 * string escaping; the caller supplies the structure in order:
 *
 *   struct jw w; jw_init(&w, &buf);
 *   jw_obj_begin(&w);
 *   jw_key(&w, "method"); jw_str(&w, "add_order");
 *   jw_key(&w, "params"); jw_obj_begin(&w); ... jw_obj_end(&w);
 *   jw_obj_end(&w);
 *   if (jw_error(&w)) ... (unbalanced calls or nesting deeper than 64)
 *
 * Decimals are written exactly from dec_t, never through a double. Misuse
 * (a value where a key is due, closing the wrong container) sets the error
 * flag; the text written so far is then not valid JSON. */
#ifndef KT_BASE_JWRITE_H
#define KT_BASE_JWRITE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/dec.h"
#include "base/sbuf.h"

struct jw {
	struct sbuf *b;    /* borrowed */
	uint64_t in_obj;   /* bit k: level k+1 is an object */
	uint64_t nonempty; /* bit k: level k+1 already has a member/element */
	unsigned depth;
	bool after_key; /* a key was written; its value is due */
	bool err;
};

void jw_init(struct jw *w, struct sbuf *b);
bool jw_error(const struct jw *w);
void jw_obj_begin(struct jw *w);
void jw_obj_end(struct jw *w);
void jw_arr_begin(struct jw *w);
void jw_arr_end(struct jw *w);
void jw_key(struct jw *w, const char *key);
void jw_str(struct jw *w, const char *s);
void jw_strn(struct jw *w, const char *s, size_t n);
/* Raw JSON text inserted as one value (the caller vouches for it). */
void jw_raw(struct jw *w, const char *json);
/* A decimal as a JSON number at its own scale ("0.00100000", "-5"). */
void jw_dec(struct jw *w, dec_t v);
/* A decimal as a JSON string ("37500.5"), as Spot REST JSON bodies want. */
void jw_dec_str(struct jw *w, dec_t v);
void jw_i64(struct jw *w, int64_t v);
void jw_u64(struct jw *w, uint64_t v);
void jw_bool(struct jw *w, bool v);
void jw_null(struct jw *w);
/* Append s as a quoted, escaped JSON string to b (no structure handling). Bytes
 * that are not well-formed UTF-8 are written as U+FFFD, so the text stays JSON. */
void jw_quote(struct sbuf *b, const char *s, size_t n);

#endif
