/* test_fut_rest_util: shared helpers of the Futures REST tests — load a
 * fixture into a fut_doc, build a state with the fixture instruments, and
 * compare decimals against text. */
#ifndef KT_TESTS_FUT_REST_UTIL_H
#define KT_TESTS_FUT_REST_UTIL_H

#include <stddef.h>

#include "base/dec.h"
#include "core/state.h"
#include "kraken/fut_rest_codec.h"

/* A fixture and its parsed reply (the doc points into buf). */
struct frx {
	char *buf;
	size_t len;
	struct fut_doc fd;
};

/* Load tests/fixtures/fut_rest/<name> and parse it (the test fails if the
 * envelope does not parse). */
void frx_load(struct frx *f, const char *name);
/* Parse literal text (copied). Returns fut_doc_parse's result. */
int frx_text(struct frx *f, const char *text, struct kerr *err);
void frx_free(struct frx *f);

/* A state holding the instruments of fut_rest/instruments.json. */
void frx_state(struct state *st);
/* Does v equal the decimal text s (by value)? */
int frx_dec_is(dec_t v, const char *s);
/* Count events by kind (listener context is an int[EV_COUNT]). */
void frx_count_events(void *ctx, const struct state_event *ev);

#endif
