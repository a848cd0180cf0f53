/* spot_rest_int: field helpers shared by the Spot REST codec files (not a
 * public API). Each reads one member of a JSON object and fills err with the
 * member's name when it is missing (required) or malformed. */
#ifndef KT_KRAKEN_SPOT_REST_INT_H
#define KT_KRAKEN_SPOT_REST_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/dec.h"
#include "base/jscan.h"
#include "base/kerr.h"

/* String member into buf (truncation is an error: ids must be whole). A
 * missing optional member gives "". */
int sj_str(const struct jdoc *d, int obj, const char *key, char *buf, size_t cap, bool required,
	   struct kerr *err);
/* Decimal member (string or number). A missing optional member gives 0. */
int sj_dec(const struct jdoc *d, int obj, const char *key, dec_t *out, bool required,
	   struct kerr *err);
/* Integer member (number or numeric string). Missing optional gives 0. */
int sj_i64(const struct jdoc *d, int obj, const char *key, int64_t *out, bool required,
	   struct kerr *err);
/* A time in seconds with a fraction ("1688671970.1234" or a number) to ms. */
int sj_tok_time_ms(const struct jdoc *d, int tok, int64_t *ms, struct kerr *err);
int sj_time_ms(const struct jdoc *d, int obj, const char *key, int64_t *ms, bool required,
	       struct kerr *err);
/* Fail unless tok is an object (what names it in the message). */
int sj_need_obj(const struct jdoc *d, int tok, const char *what, struct kerr *err);
int sj_need_arr(const struct jdoc *d, int tok, const char *what, struct kerr *err);
/* Key text of an object member (the key token k) into buf. */
int sj_key(const struct jdoc *d, int k, char *buf, size_t cap, struct kerr *err);

#endif
