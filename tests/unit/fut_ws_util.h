/* fut_ws_util: shared setup for the Futures WS tests — a state with three
 * futures instruments and an event recorder. */
#ifndef KT_TESTS_FUT_WS_UTIL_H
#define KT_TESTS_FUT_WS_UTIL_H

#include "core/state.h"
#include "kraken/fut_ws_codec.h"

struct fws_rec {
	int counts[EV_COUNT];
	int notices_warn, notices_info;
	int last_instr[EV_COUNT];
	char last_notice[512];
};

struct fws_fixture {
	struct state st;
	struct fut_ws_codec codec;
	struct fws_rec rec;
	int xbt, pi, eth; /* PF_XBTUSD, PI_XBTUSD, PF_ETHUSD */
};

void fws_fixture_init(struct fws_fixture *f);
void fws_fixture_free(struct fws_fixture *f);
/* Decode a string; returns fut_ws_decode's result and fills out/err. */
int fws_feed(struct fws_fixture *f, const char *json, struct fws_msg *out, struct kerr *err);
/* Decode a fixture file from tests/fixtures/fut_ws/; asserts success. */
void fws_feed_file(struct fws_fixture *f, const char *name, struct fws_msg *out);
/* Price and size of level i (0 = best) of an instrument's book as text. */
void fws_level_text(struct fws_fixture *f, int instr, enum side side, size_t i, char *px,
                    char *qty);
void fws_dec_text(dec_t v, char *buf);

#endif
