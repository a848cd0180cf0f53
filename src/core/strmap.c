/* strmap: FNV-1a hashed, linearly probed string map. */
#include "core/strmap.h"

#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"

static char tombstone_key;
#define TOMBSTONE (&tombstone_key)

static uint32_t hash_of(const char *s, size_t n)
{
	uint32_t h = 2166136261u;
	for (size_t i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= 16777619u;
	}
	return h;
}

void strmap_init(struct strmap *m) { memset(m, 0, sizeof *m); }

void strmap_free(struct strmap *m)
{
	for (size_t i = 0; i < m->cap; i++)
		if (m->slots[i].key && m->slots[i].key != TOMBSTONE)
			free(m->slots[i].key);
	free(m->slots);
	strmap_init(m);
}

static int key_eq(const struct strmap_slot *s, uint32_t h, const char *k, size_t n)
{
	return s->hash == h && strncmp(s->key, k, n) == 0 && s->key[n] == '\0';
}

static void rehash(struct strmap *m, size_t cap)
{
	struct strmap_slot *old = m->slots;
	size_t ocap = m->cap;
	m->slots = xcalloc(cap, sizeof *m->slots);
	m->cap = cap;
	m->dead = 0;
	for (size_t i = 0; i < ocap; i++) {
		if (!old[i].key || old[i].key == TOMBSTONE)
			continue;
		size_t j = old[i].hash & (cap - 1);
		while (m->slots[j].key)
			j = (j + 1) & (cap - 1);
		m->slots[j] = old[i];
	}
	free(old);
}

void strmap_putn(struct strmap *m, const char *key, size_t n, int value)
{
	if ((m->used + m->dead + 1) * 4 >= m->cap * 3)
		rehash(m, m->cap ? (m->used * 2 >= m->cap ? m->cap * 2 : m->cap) : 16);
	uint32_t h = hash_of(key, n);
	size_t j = h & (m->cap - 1), tomb = (size_t)-1;
	while (m->slots[j].key) {
		if (m->slots[j].key == TOMBSTONE) {
			if (tomb == (size_t)-1)
				tomb = j;
		} else if (key_eq(&m->slots[j], h, key, n)) {
			m->slots[j].value = value;
			return;
		}
		j = (j + 1) & (m->cap - 1);
	}
	if (tomb != (size_t)-1) {
		j = tomb;
		m->dead--;
	}
	m->slots[j].key = xstrndup(key, n);
	m->slots[j].hash = h;
	m->slots[j].value = value;
	m->used++;
}

void strmap_put(struct strmap *m, const char *key, int value)
{
	strmap_putn(m, key, strlen(key), value);
}

static struct strmap_slot *find(const struct strmap *m, const char *key, size_t n)
{
	if (!m->cap)
		return NULL;
	uint32_t h = hash_of(key, n);
	size_t j = h & (m->cap - 1);
	while (m->slots[j].key) {
		if (m->slots[j].key != TOMBSTONE && key_eq(&m->slots[j], h, key, n))
			return &m->slots[j];
		j = (j + 1) & (m->cap - 1);
	}
	return NULL;
}

int strmap_getn(const struct strmap *m, const char *key, size_t n)
{
	struct strmap_slot *s = find(m, key, n);
	return s ? s->value : -1;
}

int strmap_get(const struct strmap *m, const char *key) { return strmap_getn(m, key, strlen(key)); }

int strmap_del(struct strmap *m, const char *key)
{
	struct strmap_slot *s = find(m, key, strlen(key));
	if (!s)
		return -1;
	int v = s->value;
	free(s->key);
	s->key = TOMBSTONE;
	m->used--;
	m->dead++;
	return v;
}

void strmap_remap(struct strmap *m, int (*f)(void *arg, int v), void *arg)
{
	for (size_t i = 0; i < m->cap; i++) {
		struct strmap_slot *s = &m->slots[i];
		if (!s->key || s->key == TOMBSTONE)
			continue;
		int v = f(arg, s->value);
		if (v < 0) {
			free(s->key);
			s->key = TOMBSTONE;
			m->used--;
			m->dead++;
		} else {
			s->value = v;
		}
	}
}
