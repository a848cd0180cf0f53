/* fuzz_http_parse: the paper exchange's HTTP/1.x request-head parser
 * (net/http_parse.h) and the WebSocket handshake check built on it, with any
 * bytes a client could send. Checks: a head is found only inside the input and
 * within the limit; a parsed head's strings lie inside the (NUL-separated) buffer;
 * every refusal carries one of the documented statuses. Seeds:
 * tests/fuzz/corpus/http (requests of every route, upgrades, malformed heads). */
#include <stdlib.h>
#include <string.h>

#include "base/sbuf.h"
#include "net/http_parse.h"
#include "net/ws_frame.h"
#include "tests/fuzz/fuzz.h"

const char *const fuzz_seeds[] = {"tests/fuzz/corpus/http", NULL};

#define CHECK(c)                                                                                   \
	do {                                                                                       \
		if (!(c))                                                                          \
			abort();                                                                   \
	} while (0)

static bool inside(const char *p, const char *buf, size_t len)
{
	return p >= buf && p < buf + len + 1;
}

static void check_head(const struct http_head *h, const char *buf, size_t len)
{
	CHECK(inside(h->method, buf, len) && inside(h->path, buf, len));
	CHECK(inside(h->query, buf, len) || !h->query[0]); /* "" when there is none */
	CHECK(h->minor == 0 || h->minor == 1);
	CHECK(h->nheaders <= HTTP_MAX_HEADERS);
	for (size_t i = 0; i < h->nheaders; i++) {
		const struct http_header *f = &h->headers[i];
		CHECK(inside(f->name, buf, len) && inside(f->value, buf, len));
		size_t cl;
		bool big;
		(void)http_content_length(f->value, HTTP_MAX_HEADERS, &cl, &big);
		(void)http_token_list_has(f->value, "upgrade");
		CHECK(http_head_get(h, f->name) != NULL);
	}
	size_t body = 0;
	bool keep = false;
	int status = 0;
	if (http_head_framing(h, 1 << 20, &body, &keep, &status) < 0)
		CHECK(status == 400 || status == 411 || status == 413);
	else
		CHECK(body <= 1 << 20);
	if (ws_handshake_is_upgrade(h)) {
		struct sbuf out = SBUF_INIT;
		status = 0;
		if (ws_handshake_accept(h, body, &out, &status) < 0)
			CHECK(status == 400 || status == 426);
		else
			CHECK(out.len > 0);
		sbuf_free(&out);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* a small limit as well as the real one, so the limit path is reached */
	size_t max = size > 0 && data[0] == 'S' ? 64 : HTTP_MAX_HEAD;
	ssize_t n = http_head_length((const char *)data, size, max);
	CHECK(n >= -1 && n <= (ssize_t)size && n <= (ssize_t)max);
	if (n <= 0)
		return 0;
	char *buf = fuzz_strndup(data, (size_t)n);
	struct http_head h;
	int status = 0;
	if (http_parse_head(buf, (size_t)n, &h, &status) == 0)
		check_head(&h, buf, (size_t)n);
	else
		CHECK(status == 400 || status == 431 || status == 505);
	free(buf);
	return 0;
}
