/* ws_frame: the RFC 6455 WebSocket frame codec, message reassembly, UTF-8 check and the
 * handshake accept key. Pure functions on bytes: no sockets, no loop, so both the server
 * (http_server.c) and tests can use it, and it can be fuzzed.
 *
 * Close codes returned through `close_code`: 1002 (protocol error), 1007 (invalid UTF-8 in
 * a text message), 1009 (message too big). */
#ifndef KT_NET_WS_FRAME_H
#define KT_NET_WS_FRAME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "base/sbuf.h"
#include "net/http_parse.h"

enum ws_opcode {
	WS_OP_CONT = 0x0,
	WS_OP_TEXT = 0x1,
	WS_OP_BINARY = 0x2,
	WS_OP_CLOSE = 0x8,
	WS_OP_PING = 0x9,
	WS_OP_PONG = 0xA,
};

enum ws_close_code {
	WS_CLOSE_NORMAL = 1000,
	WS_CLOSE_GOING_AWAY = 1001,
	WS_CLOSE_PROTOCOL = 1002,
	WS_CLOSE_NO_STATUS = 1005, /* reported when a close frame carried no code; never sent */
	WS_CLOSE_ABNORMAL = 1006,  /* reported when the TCP connection dropped; never sent */
	WS_CLOSE_BAD_DATA = 1007,
	WS_CLOSE_TOO_BIG = 1009,
};

/* Which side decodes: a server requires masked frames, a client refuses them. */
enum ws_role { WS_ROLE_SERVER, WS_ROLE_CLIENT };

/* Largest header: 2 + 8 (64-bit length) + 4 (mask). */
#define WS_FRAME_MAX_HEADER 14
/* Control frames carry at most 125 payload bytes. */
#define WS_CONTROL_MAX 125
/* Length of a Sec-WebSocket-Accept value (base64 of a SHA-1), without the NUL. */
#define WS_ACCEPT_LEN 28

/* One decoded frame. `payload` points into the buffer given to ws_frame_decode. */
struct ws_frame {
	bool fin;
	uint8_t opcode; /* enum ws_opcode */
	bool masked;
	uint8_t mask[4];
	size_t header_len;
	size_t payload_len;
	uint8_t *payload;
};

/* Decode the frame at the start of buf[0..len). Returns the frame's total size (header +
 * payload) when it is all there, with the payload unmasked IN PLACE (so decode a frame
 * only once); 0 when more bytes are needed (nothing is changed); -1 on a protocol error
 * with *close_code set: reserved bits, unknown opcode, wrong masking for `role`, a control
 * frame that is fragmented or longer than 125 bytes, a 64-bit length with the top bit set
 * (1002), or a payload longer than max_payload (1009). */
ssize_t ws_frame_decode(uint8_t *buf, size_t len, enum ws_role role, size_t max_payload,
                        struct ws_frame *f, int *close_code);

/* Size of the header ws_frame_encode writes for a payload of len bytes. */
size_t ws_frame_header_size(size_t len, bool masked);

/* Append one frame to out. mask: NULL for an unmasked (server) frame, or the 4 masking
 * bytes of a client frame (the payload is copied masked; the caller's bytes are not
 * changed). */
void ws_frame_encode(struct sbuf *out, enum ws_opcode op, bool fin, const void *payload, size_t len,
                     const uint8_t *mask);

/* Apply (or remove: it is its own inverse) a mask to data, as if data started `offset`
 * bytes into the payload. */
void ws_frame_mask(uint8_t *data, size_t len, const uint8_t mask[4], size_t offset);

/* The payload of a close frame: a 2-byte code and a UTF-8 reason cut to fit 125 bytes.
 * Writes into buf (>= WS_CONTROL_MAX bytes) and returns the length. */
size_t ws_close_payload(uint8_t *buf, int code, const char *reason);

/* Check a received close payload. On success *code is its code (1005 when empty) and the
 * reason is payload[2..len). Returns -1 with *close_code = 1002 (length 1, a code that must
 * not be sent) or 1007 (reason not UTF-8). */
int ws_close_parse(const uint8_t *payload, size_t len, int *code, int *close_code);

/* Is s[0..n) well-formed UTF-8 (no overlongs, surrogates or code points > U+10FFFF)? */
bool ws_utf8_valid(const void *s, size_t n);

/* Sec-WebSocket-Accept for a client's Sec-WebSocket-Key: base64(SHA-1(key + GUID)).
 * out receives WS_ACCEPT_LEN characters and a NUL. */
void ws_accept_key(const char *client_key, char out[WS_ACCEPT_LEN + 1]);

/* Is key a syntactically valid Sec-WebSocket-Key (base64 of 16 bytes: 24 characters)? */
bool ws_key_valid(const char *key);

/* Does the request ask for a WebSocket ("Upgrade: websocket"), valid or not? */
bool ws_handshake_is_upgrade(const struct http_head *h);
/* Check an upgrade request (RFC 6455 §4.2.1) and append the "101 Switching Protocols"
 * answer to out. Returns 0, or -1 with *status: 400 (not GET over HTTP/1.1, no
 * "Connection: upgrade", a bad Sec-WebSocket-Key, a body) or 426 (Sec-WebSocket-Version
 * is not 13: answer with "Sec-WebSocket-Version: 13"). */
int ws_handshake_accept(const struct http_head *h, size_t body_len, struct sbuf *out, int *status);

/* Reassembles data messages from frames, enforcing the fragmentation rules (a
 * continuation needs an open message; a new message must not start inside one) and a
 * size limit. Owns its buffer: ws_asm_free releases it. */
struct ws_asm {
	struct sbuf buf;
	size_t max;     /* largest message accepted */
	uint8_t opcode; /* WS_OP_TEXT or WS_OP_BINARY while a message is open */
	bool open;      /* a fragmented message is being collected */
};

void ws_asm_init(struct ws_asm *a, size_t max_message);
void ws_asm_free(struct ws_asm *a);
/* Feed one decoded data frame (TEXT, BINARY or CONT; control frames are the caller's).
 * Returns 1 when a whole message is ready: *msg and *len point at it (the frame's own payload
 * for an unfragmented message, no copy; otherwise the assembler's buffer, valid until the
 * next call) and *binary tells its type. Returns 0 when more fragments are needed, -1 on a
 * violation with *close_code (1002 ordering, 1009 size, 1007 text not UTF-8). */
int ws_asm_add(struct ws_asm *a, const struct ws_frame *f, uint8_t **msg, size_t *len, bool *binary,
               int *close_code);

#endif
