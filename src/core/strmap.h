/* strmap: an open-addressing hash map from short strings to int values
 * (indexes into the caller's arrays). Keys are copied. Used for instrument,
 * order and asset lookups on hot paths (one lookup per book message). */
#ifndef KT_CORE_STRMAP_H
#define KT_CORE_STRMAP_H

#include <stddef.h>
#include <stdint.h>

struct strmap_slot {
	char *key;     /* NULL = empty; TOMBSTONE = deleted */
	uint32_t hash;
	int value;
};

struct strmap {
	struct strmap_slot *slots;
	size_t cap;   /* power of two */
	size_t used;  /* live entries */
	size_t dead;  /* tombstones */
};

void strmap_init(struct strmap *m);
void strmap_free(struct strmap *m);
/* Insert or replace. */
void strmap_put(struct strmap *m, const char *key, int value);
void strmap_putn(struct strmap *m, const char *key, size_t len, int value);
/* Value or -1. */
int strmap_get(const struct strmap *m, const char *key);
int strmap_getn(const struct strmap *m, const char *key, size_t len);
/* Remove; returns the old value or -1. */
int strmap_del(struct strmap *m, const char *key);
/* Rewrite every value v with f(v) (or delete when f returns < 0). */
void strmap_remap(struct strmap *m, int (*f)(void *arg, int v), void *arg);

#endif
