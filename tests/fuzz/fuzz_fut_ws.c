/* fuzz_fut_ws: the Kraken Futures WebSocket v1 decoder (fut_ws_decode), message by
 * message, as a session runs it.
 *
 * Every input starts from the same state: the instruments of
 * tests/fixtures/fut_rest/instruments.json and the PF_XBTUSD book snapshot of
 * tests/fixtures/fut_ws (so deltas reach the sequence logic). The input is a
 * sequence of messages separated by 0x1E, decoded in order by one codec (book
 * sequence numbers, notification ids and scratch arrays carry over). Checks: no
 * crash, leak or undefined behaviour; a failure always says why; the reported
 * instrument exists. Seeds: tests/fixtures/fut_ws and tests/fuzz/corpus/fut_ws
 * (sessions). */
#include <stdlib.h>
#include <string.h>

#include "core/state.h"
#include "kraken/fut_rest_codec.h"
#include "kraken/fut_ws_codec.h"
#include "tests/fuzz/fuzz.h"

const char *const fuzz_seeds[] = {"tests/fixtures/fut_ws", "tests/fuzz/corpus/fut_ws", NULL};

static char *instruments, *snapshot;
static size_t instruments_len, snapshot_len;

#define CHECK(c)                                                                                   \
	do {                                                                                       \
		if (!(c))                                                                          \
			abort();                                                                   \
	} while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!instruments) {
		instruments =
		        fuzz_read_src("tests/fixtures/fut_rest/instruments.json", &instruments_len);
		snapshot = fuzz_read_src("tests/fixtures/fut_ws/book_snapshot.json", &snapshot_len);
	}
	struct state st;
	struct fut_doc fd;
	struct fut_ws_codec c;
	struct fws_msg m;
	state_init(&st);
	fut_doc_init(&fd);
	fut_ws_codec_init(&c);
	CHECK(fut_doc_parse(&fd, instruments, instruments_len, NULL) == 0 &&
	      fut_decode_instruments(&fd, &st, NULL, NULL) == 0);
	fut_doc_free(&fd);
	CHECK(fut_ws_decode(&c, &st, snapshot, snapshot_len, &m, NULL) == 0);

	struct fuzz_split sp = fuzz_split_init(data, size, 64);
	const char *msg;
	size_t len;
	while (fuzz_split_next(&sp, &msg, &len)) {
		struct kerr err = KERR_INIT;
		memset(&m, 0, sizeof m);
		if (fut_ws_decode(&c, &st, msg, len, &m, &err) != 0) {
			CHECK(err.msg[0]);
			continue;
		}
		CHECK(m.instr == -1 || state_instrument(&st, m.instr) != NULL);
		CHECK(memchr(m.feed, 0, sizeof m.feed) && memchr(m.text, 0, sizeof m.text));
		(void)fws_kind_name(m.kind);
		(void)fut_ws_feed_is_private(m.feed);
	}
	fut_ws_codec_free(&c);
	state_free(&st);
	return 0;
}
