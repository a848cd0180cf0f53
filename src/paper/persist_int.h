/* persist_int: JSON helpers shared by persist.c (writing) and persist_load.c
 * (reading) of the paper state file. */
#ifndef KT_PAPER_PERSIST_INT_H
#define KT_PAPER_PERSIST_INT_H

#include <stdint.h>

#include <jansson.h>

#include "base/dec.h"
#include "paper/px_int.h"

json_t *pj_dec(dec_t v);
json_t *pj_u64(uint64_t v);
json_t *pj_i128(px_i128 v);

/* Readers: a missing or malformed value gives 0 / "" and sets *bad. */
dec_t pr_dec(json_t *j, const char *key, bool *bad);
uint64_t pr_u64(json_t *j, const char *key, bool *bad);
px_i128 pr_i128(json_t *j, const char *key, bool *bad);
int64_t pr_int(json_t *j, const char *key, bool *bad);
bool pr_bool(json_t *j, const char *key);
const char *pr_str(json_t *j, const char *key, bool *bad);

#endif
