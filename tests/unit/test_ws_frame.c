/* test_ws_frame: the RFC 6455 codec encodes and decodes every length class, masks,
 * reassembles fragments under the ordering and size rules, checks control frames and
 * UTF-8, computes the handshake accept key, and answers any malformed or truncated input
 * with "need more" or an error code, never a crash (buffers are sized exactly, so ASan
 * would catch an over-read). */
#include <stdlib.h>
#include <string.h>

#include "base/sbuf.h"
#include "net/ws_frame.h"
#include "tests/unit/unit.h"

static const uint8_t mask4[4] = {0x37, 0xfa, 0x21, 0x3d};

/* Decode a copy of buf[0..len) held in a buffer of exactly len bytes. */
static ssize_t decode_exact(const uint8_t *buf, size_t len, enum ws_role role, size_t max,
                            struct ws_frame *f, int *code, uint8_t **copy)
{
	uint8_t *p = malloc(len ? len : 1);
	assert_non_null(p);
	if (len)
		memcpy(p, buf, len);
	ssize_t n = ws_frame_decode(p, len, role, max, f, code);
	*copy = p;
	return n;
}

/* RFC 6455 §1.3: the handshake example. */
static void accept_key_rfc_example(void **state)
{
	char out[WS_ACCEPT_LEN + 1];
	ws_accept_key("dGhlIHNhbXBsZSBub25jZQ==", out);
	assert_string_equal(out, "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
	assert_true(ws_key_valid("dGhlIHNhbXBsZSBub25jZQ=="));
	assert_false(ws_key_valid("dGhlIHNhbXBsZSBub25jZQ="));
	assert_false(ws_key_valid("dGhlIHNhbXBsZSBub25jZ!=="));
	assert_false(ws_key_valid(NULL));
	assert_false(ws_key_valid(""));
}

/* RFC 6455 §5.7 examples, byte for byte. */
static void rfc_examples(void **state)
{
	struct ws_frame f;
	int code;
	uint8_t *cp;
	const uint8_t hello[] = {0x81, 0x05, 'H', 'e', 'l', 'l', 'o'};
	assert_int_equal(decode_exact(hello, sizeof hello, WS_ROLE_CLIENT, 1000, &f, &code, &cp),
	                 7);
	assert_true(f.fin);
	assert_int_equal(f.opcode, WS_OP_TEXT);
	assert_int_equal(f.payload_len, 5);
	assert_memory_equal(f.payload, "Hello", 5);
	free(cp);

	const uint8_t masked[] = {0x81, 0x85, 0x37, 0xfa, 0x21, 0x3d, 0x7f, 0x9f, 0x4d, 0x51, 0x58};
	assert_int_equal(decode_exact(masked, sizeof masked, WS_ROLE_SERVER, 1000, &f, &code, &cp),
	                 11);
	assert_true(f.masked);
	assert_memory_equal(f.payload, "Hello", 5);
	free(cp);

	struct sbuf b = SBUF_INIT;
	ws_frame_encode(&b, WS_OP_TEXT, true, "Hello", 5, mask4);
	assert_int_equal(b.len, sizeof masked);
	assert_memory_equal(b.p, masked, sizeof masked);
	sbuf_reset(&b);
	ws_frame_encode(&b, WS_OP_TEXT, true, "Hello", 5, NULL);
	assert_memory_equal(b.p, hello, sizeof hello);

	/* Unmasked ping with "Hello", and the 256-byte / 64 KiB binary headers. */
	sbuf_reset(&b);
	ws_frame_encode(&b, WS_OP_PING, true, "Hello", 5, NULL);
	assert_memory_equal(b.p, "\x89\x05Hello", 7);
	char *big = calloc(1, 65536);
	sbuf_reset(&b);
	ws_frame_encode(&b, WS_OP_BINARY, true, big, 256, NULL);
	assert_memory_equal(b.p, "\x82\x7e\x01\x00", 4);
	sbuf_reset(&b);
	ws_frame_encode(&b, WS_OP_BINARY, true, big, 65536, NULL);
	assert_memory_equal(b.p, "\x82\x7f\x00\x00\x00\x00\x00\x01\x00\x00", 10);
	free(big);
	sbuf_free(&b);
}

/* Every length class round-trips, masked and unmasked, with the right header size. */
static void length_classes(void **state)
{
	const size_t lens[] = {0, 1, 125, 126, 127, 65535, 65536, 70000};
	for (size_t i = 0; i < sizeof lens / sizeof lens[0]; i++) {
		size_t n = lens[i];
		char *data = malloc(n + 1);
		for (size_t k = 0; k < n; k++)
			data[k] = (char)('a' + k % 26);
		for (int m = 0; m < 2; m++) {
			struct sbuf b = SBUF_INIT;
			ws_frame_encode(&b, WS_OP_TEXT, true, data, n, m ? mask4 : NULL);
			size_t h = (n < 126 ? 2 : n <= 65535 ? 4 : 10) + (m ? 4 : 0);
			assert_int_equal(ws_frame_header_size(n, m), h);
			assert_int_equal(b.len, h + n);
			struct ws_frame f;
			int code;
			uint8_t *cp;
			ssize_t r = decode_exact((uint8_t *)b.p, b.len,
			                         m ? WS_ROLE_SERVER : WS_ROLE_CLIENT, 1 << 20, &f,
			                         &code, &cp);
			assert_int_equal(r, (ssize_t)b.len);
			assert_int_equal(f.payload_len, n);
			assert_int_equal(f.header_len, h);
			if (n)
				assert_memory_equal(f.payload, data, n);
			free(cp);
			sbuf_free(&b);
		}
		free(data);
	}
}

/* Masking is its own inverse and honours the offset into the payload. */
static void masking(void **state)
{
	uint8_t a[37], b[37];
	for (int i = 0; i < 37; i++)
		a[i] = b[i] = (uint8_t)(i * 7);
	ws_frame_mask(a, sizeof a, mask4, 0);
	for (int i = 0; i < 37; i++)
		assert_int_equal(a[i], (uint8_t)(b[i] ^ mask4[i & 3]));
	ws_frame_mask(a, sizeof a, mask4, 0);
	assert_memory_equal(a, b, sizeof a);
	/* Masking in two pieces (offset 5) equals masking at once. */
	ws_frame_mask(a, 5, mask4, 0);
	ws_frame_mask(a + 5, 32, mask4, 5);
	ws_frame_mask(b, 37, mask4, 0);
	assert_memory_equal(a, b, sizeof a);
}

/* Feed one encoded frame to the assembler. */
static int asm_feed(struct ws_asm *a, enum ws_opcode op, bool fin, const char *s, uint8_t **msg,
                    size_t *len, bool *bin, int *code)
{
	struct sbuf b = SBUF_INIT;
	ws_frame_encode(&b, op, fin, s, strlen(s), mask4);
	struct ws_frame f;
	int c;
	static uint8_t keep[256];
	assert_true(b.len < sizeof keep);
	memcpy(keep, b.p, b.len);
	assert_int_equal(ws_frame_decode(keep, b.len, WS_ROLE_SERVER, 1000, &f, &c),
	                 (ssize_t)b.len);
	sbuf_free(&b);
	return ws_asm_add(a, &f, msg, len, bin, code);
}

/* Fragments are reassembled; continuation rules and the size limit are enforced. */
static void fragmentation(void **state)
{
	struct ws_asm a;
	ws_asm_init(&a, 10);
	uint8_t *msg;
	size_t len;
	bool bin;
	int code;
	assert_int_equal(asm_feed(&a, WS_OP_TEXT, false, "Hel", &msg, &len, &bin, &code), 0);
	assert_int_equal(asm_feed(&a, WS_OP_CONT, false, "l", &msg, &len, &bin, &code), 0);
	assert_int_equal(asm_feed(&a, WS_OP_CONT, true, "o", &msg, &len, &bin, &code), 1);
	assert_int_equal(len, 5);
	assert_memory_equal(msg, "Hello", 5);
	assert_false(bin);

	/* Unfragmented: handed out as is. */
	assert_int_equal(asm_feed(&a, WS_OP_BINARY, true, "xy", &msg, &len, &bin, &code), 1);
	assert_true(bin);
	assert_int_equal(len, 2);

	/* A continuation with no open message, and a new message inside one: 1002. */
	assert_int_equal(asm_feed(&a, WS_OP_CONT, true, "x", &msg, &len, &bin, &code), -1);
	assert_int_equal(code, WS_CLOSE_PROTOCOL);
	assert_int_equal(asm_feed(&a, WS_OP_TEXT, false, "a", &msg, &len, &bin, &code), 0);
	assert_int_equal(asm_feed(&a, WS_OP_TEXT, true, "b", &msg, &len, &bin, &code), -1);
	assert_int_equal(code, WS_CLOSE_PROTOCOL);
	ws_asm_free(&a);

	/* Over the limit, whole or in pieces: 1009. */
	ws_asm_init(&a, 10);
	assert_int_equal(asm_feed(&a, WS_OP_TEXT, true, "12345678901", &msg, &len, &bin, &code),
	                 -1);
	assert_int_equal(code, WS_CLOSE_TOO_BIG);
	assert_int_equal(asm_feed(&a, WS_OP_TEXT, false, "123456", &msg, &len, &bin, &code), 0);
	assert_int_equal(asm_feed(&a, WS_OP_CONT, true, "12345", &msg, &len, &bin, &code), -1);
	assert_int_equal(code, WS_CLOSE_TOO_BIG);
	ws_asm_free(&a);

	/* A character split between fragments is fine; an invalid text message is 1007. */
	ws_asm_init(&a, 100);
	assert_int_equal(asm_feed(&a, WS_OP_TEXT, false, "\xc3", &msg, &len, &bin, &code), 0);
	assert_int_equal(asm_feed(&a, WS_OP_CONT, true, "\xa9", &msg, &len, &bin, &code), 1);
	assert_int_equal(asm_feed(&a, WS_OP_TEXT, true, "\xc3(", &msg, &len, &bin, &code), -1);
	assert_int_equal(code, WS_CLOSE_BAD_DATA);
	/* Binary messages are not checked. */
	assert_int_equal(asm_feed(&a, WS_OP_BINARY, true, "\xc3(", &msg, &len, &bin, &code), 1);
	ws_asm_free(&a);
}

/* Control frames: 125 bytes at most, never fragmented; close codes and reasons checked. */
static void control_frames(void **state)
{
	uint8_t pl[WS_CONTROL_MAX + 2] = {0};
	struct sbuf b = SBUF_INIT;
	struct ws_frame f;
	int code;
	uint8_t *cp;
	ws_frame_encode(&b, WS_OP_PING, true, pl, 125, mask4);
	assert_true(decode_exact((uint8_t *)b.p, b.len, WS_ROLE_SERVER, 1000, &f, &code, &cp) > 0);
	free(cp);
	sbuf_reset(&b);
	ws_frame_encode(&b, WS_OP_PING, true, pl, 126, mask4);
	assert_int_equal(decode_exact((uint8_t *)b.p, b.len, WS_ROLE_SERVER, 1000, &f, &code, &cp),
	                 -1);
	assert_int_equal(code, WS_CLOSE_PROTOCOL);
	free(cp);
	sbuf_reset(&b);
	ws_frame_encode(&b, WS_OP_PONG, false, "x", 1, mask4);
	assert_int_equal(decode_exact((uint8_t *)b.p, b.len, WS_ROLE_SERVER, 1000, &f, &code, &cp),
	                 -1);
	free(cp);
	sbuf_free(&b);

	/* Close payloads. */
	uint8_t buf[WS_CONTROL_MAX];
	size_t n = ws_close_payload(buf, 1000, "bye");
	assert_int_equal(n, 5);
	assert_memory_equal(buf,
	                    "\x03\xe8"
	                    "bye",
	                    5);
	int c, err;
	assert_int_equal(ws_close_parse(buf, n, &c, &err), 0);
	assert_int_equal(c, 1000);
	assert_int_equal(ws_close_parse(buf, 0, &c, &err), 0);
	assert_int_equal(c, WS_CLOSE_NO_STATUS);
	assert_int_equal(ws_close_parse(buf, 1, &c, &err), -1);
	assert_int_equal(err, WS_CLOSE_PROTOCOL);
	const int bad[] = {0, 999, 1004, 1005, 1006, 1015, 1016, 2999, 5000, 65535};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		uint8_t p2[2] = {(uint8_t)(bad[i] >> 8), (uint8_t)bad[i]};
		assert_int_equal(ws_close_parse(p2, 2, &c, &err), -1);
		assert_int_equal(err, WS_CLOSE_PROTOCOL);
	}
	const uint8_t badutf[] = {0x03, 0xe8, 0xff};
	assert_int_equal(ws_close_parse(badutf, 3, &c, &err), -1);
	assert_int_equal(err, WS_CLOSE_BAD_DATA);
	/* A long reason is cut to fit 125 bytes without splitting a character. */
	char reason[200];
	memset(reason, 'a', sizeof reason);
	reason[122] = '\xc3';
	reason[123] = '\xa9';
	reason[199] = '\0';
	n = ws_close_payload(buf, 4000, reason);
	assert_int_equal(n, 124);
	assert_true(ws_utf8_valid(buf + 2, n - 2));
}

/* Frames cut at every offset need more bytes; nothing is misread. */
static void truncated_every_offset(void **state)
{
	const size_t lens[] = {0, 5, 125, 126, 300, 65536};
	for (size_t i = 0; i < sizeof lens / sizeof lens[0]; i++) {
		char *data = calloc(1, lens[i] + 1);
		for (int m = 0; m < 2; m++) {
			struct sbuf b = SBUF_INIT;
			ws_frame_encode(&b, WS_OP_BINARY, true, data, lens[i], m ? mask4 : NULL);
			/* For the big frame test every header offset and a few payload ones. */
			for (size_t cut = 0; cut < b.len; cut += cut < 40 ? 1 : 997) {
				struct ws_frame f;
				int code = 0;
				uint8_t *cp;
				ssize_t r = decode_exact((uint8_t *)b.p, cut,
				                         m ? WS_ROLE_SERVER : WS_ROLE_CLIENT,
				                         1 << 20, &f, &code, &cp);
				assert_int_equal(r, 0);
				free(cp);
			}
			sbuf_free(&b);
		}
		free(data);
	}
}

/* Reserved bits, unknown opcodes, wrong masking, huge lengths: errors with a code. */
static void malformed(void **state)
{
	struct ws_frame f;
	int code;
	uint8_t *cp;
	struct {
		uint8_t b[14];
		size_t n;
		enum ws_role role;
		int code;
	} cases[] = {
	        {{0xC1, 0x80, 1, 2, 3, 4}, 6, WS_ROLE_SERVER, 1002}, /* RSV1 */
	        {{0xA1, 0x80, 1, 2, 3, 4}, 6, WS_ROLE_SERVER, 1002}, /* RSV2 */
	        {{0x91, 0x80, 1, 2, 3, 4}, 6, WS_ROLE_SERVER, 1002}, /* RSV3 */
	        {{0x83, 0x80, 1, 2, 3, 4}, 6, WS_ROLE_SERVER, 1002}, /* opcode 3 */
	        {{0x87, 0x80, 1, 2, 3, 4}, 6, WS_ROLE_SERVER, 1002}, /* opcode 7 */
	        {{0x8B, 0x80, 1, 2, 3, 4}, 6, WS_ROLE_SERVER, 1002}, /* opcode B */
	        {{0x8F, 0x80, 1, 2, 3, 4}, 6, WS_ROLE_SERVER, 1002}, /* opcode F */
	        {{0x81, 0x00}, 2, WS_ROLE_SERVER, 1002},             /* unmasked to server */
	        {{0x81, 0x80, 1, 2, 3, 4}, 6, WS_ROLE_CLIENT, 1002}, /* masked to client */
	        {{0x09, 0x80, 1, 2, 3, 4}, 6, WS_ROLE_SERVER, 1002}, /* fragmented ping */
	        {{0x88, 0xFE, 0, 126}, 4, WS_ROLE_SERVER, 1002},     /* 126-byte close */
	        {{0x82, 0xFF, 0x80, 0, 0, 0, 0, 0, 0, 0}, 10, WS_ROLE_SERVER, 1002}, /* top bit */
	        {{0x82, 0xFF, 0, 0, 0, 0, 0, 0x10, 0, 1}, 10, WS_ROLE_SERVER, 1009}, /* > max */
	        {{0x82, 0xFE, 0x04, 0x01}, 4, WS_ROLE_SERVER, 1009}, /* 1025 > 1024 */
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		code = 0;
		assert_int_equal(
		        decode_exact(cases[i].b, cases[i].n, cases[i].role, 1024, &f, &code, &cp),
		        -1);
		assert_int_equal(code, cases[i].code);
		free(cp);
	}
}

/* Random bytes never crash the decoder and never claim more than they hold. */
static void random_garbage(void **state)
{
	uint32_t x = 12345;
	for (int iter = 0; iter < 20000; iter++) {
		uint8_t buf[40];
		size_t n = (size_t)(iter % 41);
		for (size_t k = 0; k < n; k++) {
			x = x * 1103515245u + 12345u;
			buf[k] = (uint8_t)(x >> 16);
		}
		struct ws_frame f;
		int code;
		uint8_t *cp;
		ssize_t r = decode_exact(buf, n, iter & 1 ? WS_ROLE_SERVER : WS_ROLE_CLIENT, 64, &f,
		                         &code, &cp);
		assert_true(r >= -1 && r <= (ssize_t)n);
		if (r < 0)
			assert_true(code == 1002 || code == 1009);
		free(cp);
	}
}

/* UTF-8: the RFC 3629 edge cases. */
static void utf8(void **state)
{
	static const struct {
		const char *s;
		bool ok;
	} cases[] = {
	        {"", true},
	        {"plain ascii, longer than eight bytes", true},
	        {"\xc3\xa9", true},          /* é */
	        {"\xe2\x82\xac", true},      /* € */
	        {"\xf0\x9f\x98\x80", true},  /* U+1F600 */
	        {"\xf4\x8f\xbf\xbf", true},  /* U+10FFFF */
	        {"\xed\x9f\xbf", true},      /* U+D7FF */
	        {"\xc0\xaf", false},         /* overlong / */
	        {"\xe0\x80\xaf", false},     /* overlong */
	        {"\xf0\x80\x80\xaf", false}, /* overlong */
	        {"\xed\xa0\x80", false},     /* surrogate */
	        {"\xf4\x90\x80\x80", false}, /* > U+10FFFF */
	        {"\xf5\x80\x80\x80", false},
	        {"\x80", false},             /* lone continuation */
	        {"\xc3", false},             /* truncated */
	        {"abcdefgh\xe2\x82", false}, /* truncated after the fast path */
	        {"\xff", false},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		assert_int_equal(ws_utf8_valid(cases[i].s, strlen(cases[i].s)), cases[i].ok);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(accept_key_rfc_example), cmocka_unit_test(rfc_examples),
	        cmocka_unit_test(length_classes),         cmocka_unit_test(masking),
	        cmocka_unit_test(fragmentation),          cmocka_unit_test(control_frames),
	        cmocka_unit_test(truncated_every_offset), cmocka_unit_test(malformed),
	        cmocka_unit_test(random_garbage),         cmocka_unit_test(utf8),
	};
	return kt_run_tests(tests);
}
