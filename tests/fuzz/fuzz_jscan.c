/* fuzz_jscan: the JSON scanner every Kraken decoder stands on (base/jscan.h).
 *
 * Any bytes go to jdoc_parse; a document that parses is then walked through every
 * accessor (lookups, unescaping into small and large buffers, exact numbers) and
 * the token array's invariants are checked: spans inside the source, subtrees
 * nested properly, member counts matching. A violation abort()s, which the fuzzer
 * reports like a crash. The same bytes, quoted by the JSON writer (jw_quote, which
 * the paper exchange uses to echo client strings), must give one valid JSON string
 * that reads back as the input when the input was UTF-8. Seeds: every JSON
 * fixture. */
#include <stdlib.h>
#include <string.h>

#include "base/b64.h"
#include "base/jscan.h"
#include "base/jwrite.h"
#include "base/sbuf.h"
#include "net/ws_frame.h"
#include "tests/fuzz/fuzz.h"

const char *const fuzz_seeds[] = {
        "tests/fixtures/spot_rest", "tests/fixtures/fut_rest", "tests/fixtures/spot_ws",
        "tests/fixtures/fut_ws",    "tests/fixtures/base",     NULL,
};

#define CHECK(c)                                                                                   \
	do {                                                                                       \
		if (!(c))                                                                          \
			abort();                                                                   \
	} while (0)

static void check_tokens(const struct jdoc *d)
{
	CHECK(d->n > 0);
	CHECK(d->t[0].end == d->n);
	for (size_t i = 0; i < d->n; i++) {
		const struct jtok *t = &d->t[i];
		CHECK((size_t)t->start + t->len <= d->len);
		CHECK(t->end > i && t->end <= d->n);
		if (t->type == J_OBJ || t->type == J_ARR) {
			/* children: count them by jumping from sibling to sibling */
			size_t k = i + 1, kids = 0;
			while (k < t->end) {
				CHECK(d->t[k].end <= t->end);
				k = d->t[k].end;
				kids++;
			}
			CHECK(kids == (t->type == J_OBJ ? 2 * (size_t)t->size : t->size));
		} else {
			CHECK(t->end == i + 1);
		}
	}
}

static void walk(const struct jdoc *d)
{
	char small[8], big[512];
	for (int i = 0; i < (int)d->n; i++) {
		dec_t v;
		int64_t i64;
		uint64_t u64;
		bool b;
		size_t len;
		(void)jtok_dec(d, i, &v, NULL);
		(void)jtok_i64(d, i, &i64);
		(void)jtok_u64(d, i, &u64);
		(void)jtok_bool(d, i, &b);
		size_t full = jtok_str(d, i, big, sizeof big);
		size_t cut = jtok_str(d, i, small, sizeof small);
		CHECK(strlen(small) < sizeof small);
		CHECK(full == cut);
		char *dup = jtok_strdup(d, i);
		CHECK(dup != NULL);
		CHECK(strlen(dup) <= full);
		if (jtok_is(d, i, J_STR)) {
			CHECK(jstr_eq(d, i, dup) ||
			      strlen(dup) != full); /* unless it holds a \u0000 */
			/* secrets and signatures arrive as base64 strings */
			struct sbuf sb = SBUF_INIT;
			(void)b64_decode(dup, strlen(dup), &sb, NULL);
			sbuf_free(&sb);
		}
		free(dup);
		(void)jtok_raw(d, i, &len);
		if (jtok_is(d, i, J_OBJ)) {
			for (int k = jfirst(d, i); k >= 0; k = jnext(d, i, k)) {
				size_t kl;
				const char *key = jtok_raw(d, k, &kl);
				CHECK(key != NULL);
				/* the first member with this (raw) key is found by lookup */
				if (!d->t[k].size)
					CHECK(jobj_getn(d, i, key, kl) >= 0);
			}
		}
		if (jtok_is(d, i, J_ARR) && jtok_size(d, i) > 0)
			CHECK(jarr_at(d, i, jtok_size(d, i) - 1) >= 0);
	}
	(void)jpath(d, 0, "result", "0", "data", NULL);
}

/* jw_quote(any bytes) is one JSON string; UTF-8 input reads back unchanged. */
static void quote_roundtrip(struct jdoc *d, const uint8_t *data, size_t size)
{
	struct sbuf q = SBUF_INIT;
	jw_quote(&q, (const char *)data, size);
	CHECK(jdoc_parse(d, q.p, q.len, NULL) == 0 && jtok_is(d, 0, J_STR));
	if (ws_utf8_valid(data, size)) {
		char *back = malloc(size + 1);
		CHECK(jtok_str(d, 0, back, size + 1) == size && memcmp(back, data, size) == 0);
		free(back);
	}
	sbuf_free(&q);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct jdoc d;
	jdoc_init(&d);
	if (size <= 4096)
		quote_roundtrip(&d, data, size);
	struct kerr err = KERR_INIT;
	if (jdoc_parse(&d, (const char *)data, size, &err) == 0) {
		check_tokens(&d);
		walk(&d);
	} else {
		CHECK(d.n == 0 && err.msg[0]);
	}
	jdoc_free(&d);
	return 0;
}
