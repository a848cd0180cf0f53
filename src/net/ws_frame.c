/* ws_frame: RFC 6455 frame codec, reassembly, UTF-8 check and handshake accept key. */
#include "net/ws_frame.h"

#include <string.h>

#include <openssl/evp.h>

#define WS_GUID "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"

ssize_t ws_frame_decode(uint8_t *buf, size_t len, enum ws_role role, size_t max_payload,
                        struct ws_frame *f, int *close_code)
{
	if (len < 2)
		return 0;
	uint8_t b0 = buf[0], b1 = buf[1];
	memset(f, 0, sizeof *f);
	f->fin = (b0 & 0x80) != 0;
	f->opcode = b0 & 0x0F;
	f->masked = (b1 & 0x80) != 0;
	*close_code = WS_CLOSE_PROTOCOL;
	if (b0 & 0x70)
		return -1; /* RSV1-3: no extension was negotiated */
	bool control = (f->opcode & 0x08) != 0;
	if (f->opcode > WS_OP_BINARY && !control)
		return -1;
	if (control && f->opcode > WS_OP_PONG)
		return -1;
	if (f->masked != (role == WS_ROLE_SERVER))
		return -1;

	uint64_t plen = b1 & 0x7F;
	size_t hlen = 2;
	if (control && (!f->fin || plen > WS_CONTROL_MAX))
		return -1;
	if (plen == 126) {
		if (len < 4)
			return 0;
		plen = (uint64_t)buf[2] << 8 | buf[3];
		hlen = 4;
	} else if (plen == 127) {
		if (len < 10)
			return 0;
		plen = 0;
		for (int i = 0; i < 8; i++)
			plen = plen << 8 | buf[2 + i];
		if (plen >> 63)
			return -1;
		hlen = 10;
	}
	if (plen > max_payload) {
		*close_code = WS_CLOSE_TOO_BIG;
		return -1;
	}
	if (f->masked) {
		if (len < hlen + 4)
			return 0;
		memcpy(f->mask, buf + hlen, 4);
		hlen += 4;
	}
	*close_code = 0;
	if (len - hlen < plen)
		return 0;
	f->header_len = hlen;
	f->payload_len = (size_t)plen;
	f->payload = buf + hlen;
	if (f->masked)
		ws_frame_mask(f->payload, f->payload_len, f->mask, 0);
	return (ssize_t)(hlen + plen);
}

size_t ws_frame_header_size(size_t len, bool masked)
{
	size_t h = len < 126 ? 2 : len <= 0xFFFF ? 4 : 10;
	return h + (masked ? 4 : 0);
}

void ws_frame_encode(struct sbuf *out, enum ws_opcode op, bool fin, const void *payload, size_t len,
                     const uint8_t *mask)
{
	size_t h = ws_frame_header_size(len, mask != NULL);
	sbuf_reserve(out, h + len);
	uint8_t *p = (uint8_t *)out->p + out->len;
	uint8_t mbit = mask ? 0x80 : 0;
	p[0] = (uint8_t)((fin ? 0x80 : 0) | (op & 0x0F));
	size_t i = 2;
	if (len < 126) {
		p[1] = (uint8_t)(mbit | len);
	} else if (len <= 0xFFFF) {
		p[1] = mbit | 126;
		p[2] = (uint8_t)(len >> 8);
		p[3] = (uint8_t)len;
		i = 4;
	} else {
		p[1] = mbit | 127;
		for (int k = 0; k < 8; k++)
			p[2 + k] = (uint8_t)((uint64_t)len >> (56 - 8 * k));
		i = 10;
	}
	if (mask) {
		memcpy(p + i, mask, 4);
		i += 4;
	}
	if (len)
		memcpy(p + i, payload, len);
	if (mask)
		ws_frame_mask(p + i, len, mask, 0);
	out->len += h + len;
	out->p[out->len] = '\0';
}

void ws_frame_mask(uint8_t *data, size_t len, const uint8_t mask[4], size_t offset)
{
	size_t i = 0;
	/* Word at a time once aligned with the mask: inbound frames can be megabytes. */
	uint8_t m[8];
	for (int k = 0; k < 8; k++)
		m[k] = mask[(offset + (size_t)k) & 3];
	uint64_t m64;
	memcpy(&m64, m, 8);
	for (; i + 8 <= len; i += 8) {
		uint64_t w;
		memcpy(&w, data + i, 8);
		w ^= m64;
		memcpy(data + i, &w, 8);
	}
	for (; i < len; i++)
		data[i] ^= mask[(offset + i) & 3];
}

size_t ws_close_payload(uint8_t *buf, int code, const char *reason)
{
	buf[0] = (uint8_t)(code >> 8);
	buf[1] = (uint8_t)code;
	size_t n = reason ? strlen(reason) : 0;
	if (n > WS_CONTROL_MAX - 2)
		n = WS_CONTROL_MAX - 2;
	/* Never cut a multi-byte character in half. */
	while (n > 0 && !ws_utf8_valid(reason, n))
		n--;
	if (n)
		memcpy(buf + 2, reason, n);
	return 2 + n;
}

/* May a peer send this close code? (RFC 6455 §7.4) */
static bool close_code_ok(int c)
{
	if (c >= 3000 && c <= 4999)
		return true;
	return c >= 1000 && c <= 1014 && c != 1004 && c != 1005 && c != 1006;
}

int ws_close_parse(const uint8_t *payload, size_t len, int *code, int *close_code)
{
	*code = WS_CLOSE_NO_STATUS;
	if (len == 0)
		return 0;
	*close_code = WS_CLOSE_PROTOCOL;
	if (len == 1)
		return -1;
	*code = payload[0] << 8 | payload[1];
	if (!close_code_ok(*code))
		return -1;
	if (!ws_utf8_valid(payload + 2, len - 2)) {
		*close_code = WS_CLOSE_BAD_DATA;
		return -1;
	}
	*close_code = 0;
	return 0;
}

bool ws_utf8_valid(const void *s, size_t n)
{
	const uint8_t *p = s;
	size_t i = 0;
	while (i < n) {
		/* ASCII fast path, 8 bytes at a time: JSON is nearly all ASCII. */
		while (i + 8 <= n) {
			uint64_t w;
			memcpy(&w, p + i, 8);
			if (w & 0x8080808080808080ULL)
				break;
			i += 8;
		}
		if (i >= n)
			break;
		uint8_t c = p[i];
		if (c < 0x80) {
			i++;
			continue;
		}
		size_t need;
		uint8_t lo = 0x80, hi = 0xBF; /* range of the second byte */
		if (c >= 0xC2 && c <= 0xDF) {
			need = 1;
		} else if (c >= 0xE0 && c <= 0xEF) {
			need = 2;
			if (c == 0xE0)
				lo = 0xA0; /* overlong */
			else if (c == 0xED)
				hi = 0x9F; /* surrogates */
		} else if (c >= 0xF0 && c <= 0xF4) {
			need = 3;
			if (c == 0xF0)
				lo = 0x90; /* overlong */
			else if (c == 0xF4)
				hi = 0x8F; /* > U+10FFFF */
		} else {
			return false;
		}
		if (n - i <= need)
			return false;
		if (p[i + 1] < lo || p[i + 1] > hi)
			return false;
		for (size_t k = 2; k <= need; k++)
			if ((p[i + k] & 0xC0) != 0x80)
				return false;
		i += need + 1;
	}
	return true;
}

static const char b64_alphabet[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/* Standard base64 with padding; out must hold 4 * ceil(n / 3) + 1 bytes. */
static void b64_encode(const uint8_t *in, size_t n, char *out)
{
	size_t o = 0;
	for (size_t i = 0; i < n; i += 3) {
		uint32_t v = (uint32_t)in[i] << 16;
		if (i + 1 < n)
			v |= (uint32_t)in[i + 1] << 8;
		if (i + 2 < n)
			v |= in[i + 2];
		out[o++] = b64_alphabet[v >> 18 & 63];
		out[o++] = b64_alphabet[v >> 12 & 63];
		out[o++] = i + 1 < n ? b64_alphabet[v >> 6 & 63] : '=';
		out[o++] = i + 2 < n ? b64_alphabet[v & 63] : '=';
	}
	out[o] = '\0';
}

void ws_accept_key(const char *client_key, char out[WS_ACCEPT_LEN + 1])
{
	struct sbuf s = SBUF_INIT;
	sbuf_adds(&s, client_key);
	sbuf_adds(&s, WS_GUID);
	uint8_t md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;
	if (EVP_Digest(s.p, s.len, md, &mdlen, EVP_sha1(), NULL) != 1 || mdlen != 20)
		memset(md, 0, 20); /* cannot happen with a working libcrypto */
	sbuf_free(&s);
	b64_encode(md, 20, out);
}

bool ws_key_valid(const char *key)
{
	if (!key || strlen(key) != 24 || strcmp(key + 22, "==") != 0)
		return false;
	for (int i = 0; i < 22; i++)
		if (!key[i] || !strchr(b64_alphabet, key[i]))
			return false;
	return true;
}

bool ws_handshake_is_upgrade(const struct http_head *h)
{
	const char *up = http_head_get(h, "Upgrade");
	return up && http_token_list_has(up, "websocket");
}

int ws_handshake_accept(const struct http_head *h, size_t body_len, struct sbuf *out, int *status)
{
	const char *conn = http_head_get(h, "Connection");
	const char *key = http_head_get(h, "Sec-WebSocket-Key");
	const char *ver = http_head_get(h, "Sec-WebSocket-Version");
	*status = 400;
	if (strcmp(h->method, "GET") != 0 || h->minor < 1 || !conn ||
	    !http_token_list_has(conn, "upgrade") || !ws_key_valid(key) || body_len)
		return -1;
	*status = 426;
	if (!ver || strcmp(ver, "13") != 0)
		return -1;
	char accept[WS_ACCEPT_LEN + 1];
	ws_accept_key(key, accept);
	sbuf_addf(out,
	          "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
	          "Connection: Upgrade\r\nSec-WebSocket-Accept: %s\r\n\r\n",
	          accept);
	*status = 0;
	return 0;
}

void ws_asm_init(struct ws_asm *a, size_t max_message)
{
	sbuf_init(&a->buf);
	a->max = max_message;
	a->opcode = 0;
	a->open = false;
}

void ws_asm_free(struct ws_asm *a)
{
	sbuf_free(&a->buf);
}

int ws_asm_add(struct ws_asm *a, const struct ws_frame *f, uint8_t **msg, size_t *len, bool *binary,
               int *close_code)
{
	*close_code = WS_CLOSE_PROTOCOL;
	if (f->opcode == WS_OP_CONT) {
		if (!a->open)
			return -1;
		if (f->payload_len > a->max - a->buf.len) {
			*close_code = WS_CLOSE_TOO_BIG;
			return -1;
		}
		sbuf_add(&a->buf, f->payload, f->payload_len);
		if (!f->fin)
			return 0;
		a->open = false;
		*msg = (uint8_t *)a->buf.p;
		*len = a->buf.len;
		*binary = a->opcode == WS_OP_BINARY;
	} else if (f->opcode == WS_OP_TEXT || f->opcode == WS_OP_BINARY) {
		if (a->open)
			return -1;
		if (f->payload_len > a->max) {
			*close_code = WS_CLOSE_TOO_BIG;
			return -1;
		}
		if (!f->fin) {
			/* Drop a previous big message's memory rather than keep it forever. */
			if (a->buf.cap > 65536)
				sbuf_free(&a->buf);
			sbuf_reset(&a->buf);
			sbuf_add(&a->buf, f->payload, f->payload_len);
			a->open = true;
			a->opcode = f->opcode;
			return 0;
		}
		*msg = f->payload;
		*len = f->payload_len;
		*binary = f->opcode == WS_OP_BINARY;
	} else {
		return -1;
	}
	if (!*binary && !ws_utf8_valid(*msg, *len)) {
		*close_code = WS_CLOSE_BAD_DATA;
		return -1;
	}
	*close_code = 0;
	return 1;
}
