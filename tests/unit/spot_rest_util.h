/* spot_rest_util: helpers shared by the Spot REST unit tests — a state loaded
 * with the AssetPairs fixture, and parsing a fixture into an envelope. */
#ifndef KT_TESTS_SPOT_REST_UTIL_H
#define KT_TESTS_SPOT_REST_UTIL_H

#include "base/jscan.h"
#include "core/state.h"
#include "kraken/spot_rest_codec.h"

/* Index of BTC/USD after srt_state_init (ETH/BTC is 1, SOL/USD 2). */
#define SRT_BTCUSD 0
#define SRT_ETHBTC 1
#define SRT_SOLUSD 2

/* state_init + the instruments of tests/fixtures/spot_rest/asset_pairs.json. */
void srt_state_init(struct state *st);
/* Parse a fixture (name under spot_rest/) into d; returns the result token.
 * *body must be freed by the caller. Fails the test on a bad envelope. */
int srt_load(const char *name, struct jdoc *d, char **body);
/* Parse literal JSON text; returns the result token (-1 if none). */
int srt_parse(const char *json, struct jdoc *d);

#endif
