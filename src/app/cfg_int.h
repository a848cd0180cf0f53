/* cfg_int: what the config loader (cfg_load.c) shares with the schema (cfg.c). */
#ifndef KT_APP_CFG_INT_H
#define KT_APP_CFG_INT_H

#include <stddef.h>
#include <stdint.h>

#include "app/cfg.h"

/* The schema entry of a path pattern ("profiles.*.spot.key"), or NULL. */
const struct cfg_setting *cfg_schema_find(const char *pattern);
/* 0 when v is within the setting's bounds, else -1 with "must be ..." in why. */
int cfg_check_int(const struct cfg_setting *s, int64_t v, char *why, size_t cap);
/* Store a value written as text (a default, or a string from the file) into
 * its field f. 0, or -1 with the reason in why ("must be ..."). */
int cfg_set_text(const struct cfg_setting *s, void *f, const char *text, char *why, size_t cap);
/* The struct a setting of `scope` lives in (p may be NULL for root settings). */
void *cfg_scope_base(enum cfg_scope scope, struct cfg *cfg, struct cfg_profile *p);

#endif
