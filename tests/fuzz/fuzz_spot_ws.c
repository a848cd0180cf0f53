/* fuzz_spot_ws: the Kraken Spot WebSocket v2 decoder (spot_ws_decode), message by
 * message, as a session would run it.
 *
 * Every input starts from the same state: the instruments, a depth-10 book
 * subscription and a verified BTC/USD snapshot from tests/fixtures/spot_ws (so
 * book updates reach the checksum path), and the executions ack. The input is
 * then a sequence of messages separated by 0x1E, decoded in order against that
 * state with one decoder (sequence numbers, stale books and resyncs carry over).
 * Trading responses are also turned into intent results. Checks: no crash, leak
 * or undefined behaviour; the decoder's report stays within its arrays. Seeds:
 * tests/fixtures/spot_ws (one message each) and tests/fuzz/corpus/spot_ws
 * (sessions: snapshot + updates, orders + executions). */
#include <stdlib.h>
#include <string.h>

#include "core/state.h"
#include "kraken/spot_ws_codec.h"
#include "tests/fuzz/fuzz.h"

const char *const fuzz_seeds[] = {"tests/fixtures/spot_ws", "tests/fuzz/corpus/spot_ws", NULL};

static const char *const prelude_files[] = {
        "tests/fixtures/spot_ws/instrument_snapshot.json",
        "tests/fixtures/spot_ws/ack_book.json",
        "tests/fixtures/spot_ws/book_snapshot_btcusd.json",
        "tests/fixtures/spot_ws/ack_executions.json",
};
#define NPRELUDE (sizeof prelude_files / sizeof prelude_files[0])
static char *prelude[NPRELUDE];
static size_t prelude_len[NPRELUDE];

static void setup(void)
{
	for (size_t i = 0; i < NPRELUDE; i++)
		prelude[i] = fuzz_read_src(prelude_files[i], &prelude_len[i]);
}

static void check_msg(const struct spot_ws_msg *m, const struct state *st)
{
	if (m->nresync > SPOT_WS_RESYNC_MAX || m->nbatch > SPOT_WS_BATCH_MAX)
		abort();
	for (unsigned i = 0; i < m->nresync; i++)
		if (m->resync[i] < 0 || !state_instrument(st, m->resync[i]))
			abort();
	if (m->kind == SWK_RESPONSE) {
		struct intent_result r;
		unsigned n = m->nbatch ? m->nbatch : 1;
		for (unsigned i = 0; i < n; i++)
			spot_ws_result(m, i, "cl-1", &r);
		spot_ws_result_unknown(m->method, "cl-1", "timeout", &r);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!prelude[0])
		setup();
	struct state st;
	struct spot_ws_dec d;
	struct spot_ws_msg m;
	state_init(&st);
	spot_ws_dec_init(&d);
	for (size_t i = 0; i < NPRELUDE; i++)
		if (spot_ws_decode(&d, &st, prelude[i], prelude_len[i], &m, NULL) != 0)
			abort(); /* the fixtures themselves must decode */
	struct fuzz_split sp = fuzz_split_init(data, size, 64);
	const char *msg;
	size_t len;
	while (fuzz_split_next(&sp, &msg, &len)) {
		struct kerr err = KERR_INIT;
		memset(&m, 0, sizeof m);
		if (spot_ws_decode(&d, &st, msg, len, &m, &err) != 0 && !err.msg[0])
			abort(); /* a failure always says why */
		check_msg(&m, &st);
	}
	spot_ws_dec_free(&d);
	state_free(&st);
	return 0;
}
