/* px_map: the two small containers of the px hub: a string-keyed hash map (wire
 * ids, client order ids) and a bounded ring of fixed-size records (history). */
#include <stdlib.h>
#include <stdint.h>
#include <string.h>

#include "base/xalloc.h"
#include "paper/px_int.h"

/* A deleted slot: a non-NULL pointer that is never dereferenced. */
#define TOMB ((char *)(uintptr_t)1)

static uint64_t hash_str(const char *s)
{
	uint64_t h = 1469598103934665603ULL; /* FNV-1a */
	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 1099511628211ULL;
	}
	return h;
}

void pxmap_init(struct pxmap *m)
{
	memset(m, 0, sizeof *m);
}

void pxmap_free(struct pxmap *m)
{
	for (size_t i = 0; i < m->cap; i++)
		if (m->keys[i] && m->keys[i] != TOMB)
			free(m->keys[i]);
	free(m->keys);
	free(m->vals);
	memset(m, 0, sizeof *m);
}

static size_t find_slot(const struct pxmap *m, const char *key)
{
	size_t mask = m->cap - 1, i = (size_t)hash_str(key) & mask;
	for (;;) {
		char *k = m->keys[i];
		if (!k)
			return SIZE_MAX;
		if (k != TOMB && strcmp(k, key) == 0)
			return i;
		i = (i + 1) & mask;
	}
}

void *pxmap_get(const struct pxmap *m, const char *key)
{
	if (!m->cap || !key)
		return NULL;
	size_t i = find_slot(m, key);
	return i == SIZE_MAX ? NULL : m->vals[i];
}

static void grow(struct pxmap *m)
{
	struct pxmap old = *m;
	size_t cap = old.cap ? old.cap : 16;
	if (old.n * 2 >= cap)
		cap *= 2;
	m->cap = cap;
	m->keys = xcalloc(cap, sizeof *m->keys);
	m->vals = xcalloc(cap, sizeof *m->vals);
	m->n = m->used = 0;
	for (size_t i = 0; i < old.cap; i++) {
		if (!old.keys[i] || old.keys[i] == TOMB)
			continue;
		size_t j = (size_t)hash_str(old.keys[i]) & (cap - 1);
		while (m->keys[j])
			j = (j + 1) & (cap - 1);
		m->keys[j] = old.keys[i];
		m->vals[j] = old.vals[i];
		m->n++;
		m->used++;
	}
	free(old.keys);
	free(old.vals);
}

void pxmap_put(struct pxmap *m, const char *key, void *val)
{
	if (!m->cap || (m->used + 1) * 4 >= m->cap * 3)
		grow(m);
	size_t i = find_slot(m, key);
	if (i != SIZE_MAX) {
		m->vals[i] = val;
		return;
	}
	size_t mask = m->cap - 1;
	i = (size_t)hash_str(key) & mask;
	while (m->keys[i] && m->keys[i] != TOMB)
		i = (i + 1) & mask;
	if (!m->keys[i])
		m->used++;
	m->keys[i] = xstrdup(key);
	m->vals[i] = val;
	m->n++;
}

void pxmap_del(struct pxmap *m, const char *key)
{
	if (!m->cap || !key)
		return;
	size_t i = find_slot(m, key);
	if (i == SIZE_MAX)
		return;
	free(m->keys[i]);
	m->keys[i] = TOMB;
	m->vals[i] = NULL;
	m->n--;
}

void pxring_init(struct pxring *r, size_t elem, size_t cap)
{
	memset(r, 0, sizeof *r);
	r->elem = elem;
	r->cap = cap ? cap : 1;
}

void pxring_free(struct pxring *r)
{
	free(r->v);
	r->v = NULL;
	r->n = r->head = 0;
}

void pxring_clear(struct pxring *r)
{
	r->n = r->head = 0;
}

void *pxring_push(struct pxring *r, void *evicted, bool *dropped)
{
	if (dropped)
		*dropped = false;
	if (!r->v)
		r->v = xcalloc(r->cap, r->elem);
	unsigned char *slot;
	if (r->n == r->cap) {
		slot = r->v + r->head * r->elem;
		if (evicted)
			memcpy(evicted, slot, r->elem);
		if (dropped)
			*dropped = true;
		r->head = (r->head + 1) % r->cap;
	} else {
		slot = r->v + ((r->head + r->n) % r->cap) * r->elem;
		r->n++;
	}
	memset(slot, 0, r->elem);
	return slot;
}

void *pxring_at(const struct pxring *r, size_t i)
{
	if (i >= r->n)
		return NULL;
	return r->v + ((r->head + i) % r->cap) * r->elem;
}
