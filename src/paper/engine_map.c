/* engine_map: the engine's lookups. Orders by id in an open-addressing table
 * with linear probing and backward-shift deletion (no tombstones, so a book
 * that churns millions of orders keeps short probes); accounts by number with
 * the list of each account's live orders. */
#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"
#include "paper/engine_int.h"

static inline size_t hash_u64(uint64_t x)
{
	x ^= x >> 33;
	x *= UINT64_C(0xff51afd7ed558ccd);
	x ^= x >> 33;
	return (size_t)x;
}

void idmap_init(struct eidmap *m)
{
	m->cap = 1024;
	m->n = 0;
	m->slot = xcalloc(m->cap, sizeof *m->slot);
}

void idmap_free(struct eidmap *m)
{
	free(m->slot);
	m->slot = NULL;
	m->cap = m->n = 0;
}

static void idmap_insert_raw(struct eidmap *m, struct eorder *o)
{
	size_t mask = m->cap - 1;
	size_t i = hash_u64(o->pub.id) & mask;
	while (m->slot[i])
		i = (i + 1) & mask;
	m->slot[i] = o;
}

void idmap_put(struct eidmap *m, struct eorder *o)
{
	if ((m->n + 1) * 2 > m->cap) {
		struct eorder **old = m->slot;
		size_t oldcap = m->cap;
		m->cap *= 2;
		m->slot = xcalloc(m->cap, sizeof *m->slot);
		for (size_t i = 0; i < oldcap; i++)
			if (old[i])
				idmap_insert_raw(m, old[i]);
		free(old);
	}
	idmap_insert_raw(m, o);
	m->n++;
}

struct eorder *idmap_get(const struct eidmap *m, uint64_t id)
{
	size_t mask = m->cap - 1;
	for (size_t i = hash_u64(id) & mask; m->slot[i]; i = (i + 1) & mask)
		if (m->slot[i]->pub.id == id)
			return m->slot[i];
	return NULL;
}

void idmap_del(struct eidmap *m, uint64_t id)
{
	size_t mask = m->cap - 1;
	size_t i = hash_u64(id) & mask;
	while (m->slot[i] && m->slot[i]->pub.id != id)
		i = (i + 1) & mask;
	if (!m->slot[i])
		return;
	m->slot[i] = NULL;
	m->n--;
	/* Shift back later entries of the run whose home is at or before the hole. */
	for (size_t j = (i + 1) & mask; m->slot[j]; j = (j + 1) & mask) {
		size_t home = hash_u64(m->slot[j]->pub.id) & mask;
		bool movable = (j > i) ? (home <= i || home > j) : (home <= i && home > j);
		if (movable) {
			m->slot[i] = m->slot[j];
			m->slot[j] = NULL;
			i = j;
		}
	}
}

void acmap_free(struct eacmap *m)
{
	for (size_t i = 0; i < m->cap; i++)
		free(m->slot[i]);
	free(m->slot);
	m->slot = NULL;
	m->cap = m->n = 0;
}

struct eacct *acmap_get(const struct eacmap *m, uint32_t account)
{
	if (!m->cap)
		return NULL;
	size_t mask = m->cap - 1;
	for (size_t i = hash_u64(account) & mask; m->slot[i]; i = (i + 1) & mask)
		if (m->slot[i]->account == account)
			return m->slot[i];
	return NULL;
}

static void acmap_insert_raw(struct eacmap *m, struct eacct *a)
{
	size_t mask = m->cap - 1;
	size_t i = hash_u64(a->account) & mask;
	while (m->slot[i])
		i = (i + 1) & mask;
	m->slot[i] = a;
}

struct eacct *acmap_get_or_add(struct eacmap *m, uint32_t account)
{
	struct eacct *a = acmap_get(m, account);
	if (a)
		return a;
	if ((m->n + 1) * 2 > m->cap) {
		struct eacct **old = m->slot;
		size_t oldcap = m->cap;
		m->cap = oldcap ? oldcap * 2 : 16;
		m->slot = xcalloc(m->cap, sizeof *m->slot);
		for (size_t i = 0; i < oldcap; i++)
			if (old[i])
				acmap_insert_raw(m, old[i]);
		free(old);
	}
	a = xcalloc(1, sizeof *a);
	a->account = account;
	acmap_insert_raw(m, a);
	m->n++;
	return a;
}

void acct_link(struct eacct *a, struct eorder *o)
{
	o->aprev = NULL;
	o->anext = a->head;
	if (a->head)
		a->head->aprev = o;
	a->head = o;
	a->n++;
	o->acct = a;
}

void acct_unlink(struct eacct *a, struct eorder *o)
{
	if (o->aprev)
		o->aprev->anext = o->anext;
	else
		a->head = o->anext;
	if (o->anext)
		o->anext->aprev = o->aprev;
	o->aprev = o->anext = NULL;
	a->n--;
	o->acct = NULL;
}
