/* fuzz_ws_frame: the WebSocket frame decoder and message reassembly
 * (net/ws_frame.h) as the paper exchange's server runs them on a client's bytes,
 * and as a client would on a server's.
 *
 * Input: byte 0 picks the role (bit 0) and a small or the real size limit (bit 1);
 * the rest is a stream of frames, decoded one after another until the decoder
 * asks for more bytes or fails. Whole messages go through the assembler, close
 * frames through ws_close_parse. Checks: a decoded frame lies inside the buffer;
 * failures carry a documented close code; a message that reaches the application
 * as text is valid UTF-8; and encoding any payload (masked) decodes back to the
 * same bytes. Seeds: tests/fuzz/corpus/ws_frame. */
#include <stdlib.h>
#include <string.h>

#include "base/sbuf.h"
#include "net/ws_frame.h"
#include "tests/fuzz/fuzz.h"

const char *const fuzz_seeds[] = {"tests/fuzz/corpus/ws_frame", NULL};

#define CHECK(c)                                                                                   \
	do {                                                                                       \
		if (!(c))                                                                          \
			abort();                                                                   \
	} while (0)

static void roundtrip(const uint8_t *payload, size_t len)
{
	static const uint8_t mask[4] = {0x12, 0x34, 0x56, 0x78};
	struct sbuf out = SBUF_INIT;
	ws_frame_encode(&out, WS_OP_BINARY, true, payload, len, mask);
	CHECK(out.len == ws_frame_header_size(len, true) + len);
	struct ws_frame f;
	int code = 0;
	ssize_t n = ws_frame_decode((uint8_t *)out.p, out.len, WS_ROLE_SERVER, len + 1, &f, &code);
	CHECK(n == (ssize_t)out.len);
	CHECK(f.payload_len == len && (len == 0 || memcmp(f.payload, payload, len) == 0));
	sbuf_free(&out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	enum ws_role role = data[0] & 1 ? WS_ROLE_CLIENT : WS_ROLE_SERVER;
	size_t max = data[0] & 2 ? 200 : (4u << 20);
	size_t len = size - 1;
	uint8_t *buf = malloc(len ? len : 1);
	memcpy(buf, data + 1, len);
	struct ws_asm a;
	ws_asm_init(&a, max);
	size_t off = 0;
	for (int frames = 0; frames < 1000 && off < len; frames++) {
		struct ws_frame f;
		int code = 0;
		ssize_t n = ws_frame_decode(buf + off, len - off, role, max, &f, &code);
		if (n == 0)
			break;
		if (n < 0) {
			CHECK(code == WS_CLOSE_PROTOCOL || code == WS_CLOSE_TOO_BIG);
			break;
		}
		CHECK((size_t)n <= len - off && f.header_len + f.payload_len == (size_t)n);
		CHECK(f.payload_len <= max);
		off += (size_t)n;
		if (f.opcode == WS_OP_CLOSE) {
			int cc = 0, why = 0;
			if (ws_close_parse(f.payload, f.payload_len, &cc, &why) < 0)
				CHECK(why == WS_CLOSE_PROTOCOL || why == WS_CLOSE_BAD_DATA);
			continue;
		}
		if (f.opcode == WS_OP_PING || f.opcode == WS_OP_PONG) {
			CHECK(f.payload_len <= WS_CONTROL_MAX);
			continue;
		}
		uint8_t *msg;
		size_t mlen;
		bool binary;
		int r = ws_asm_add(&a, &f, &msg, &mlen, &binary, &code);
		if (r < 0) {
			CHECK(code == WS_CLOSE_PROTOCOL || code == WS_CLOSE_TOO_BIG ||
			      code == WS_CLOSE_BAD_DATA);
			break;
		}
		if (r == 1) {
			CHECK(mlen <= max);
			if (!binary)
				CHECK(ws_utf8_valid(msg, mlen));
		}
	}
	ws_asm_free(&a);
	roundtrip(data + 1, len > 300 ? 300 : len);
	free(buf);
	return 0;
}
