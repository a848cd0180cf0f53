/* fuzz_paper_rest: the paper exchange's REST side as a client's bytes reach it —
 * the HTTP request parser (net/http_parse.h), the authentication checks
 * (paper/auth.h) and the Spot and Futures REST adapters (spot_rest_srv_handle,
 * fut_rest_srv_handle) — against an in-memory exchange (paperfx.h).
 *
 * Input: requests separated by 0x1E, each raw HTTP ("POST /0/private/AddOrder
 * HTTP/1.1\r\n...\r\n\r\nbody"), run in order against one exchange, so an order
 * placed by one request can be amended or cancelled by the next. Each head is
 * parsed and framed exactly as net/http_server does; the body is what follows
 * the head (cut to Content-Length). Routing follows paper/server.c. Private
 * requests are passed through the real signature/nonce check (its parsing is
 * fuzzed too) and then handled as account 1 whatever it said, so the fuzzer
 * reaches the trading code without forging HMACs. Checks (fakesrv.c): exactly one
 * reply per request, every JSON reply well-formed; no crash, leak or undefined
 * behaviour. Seeds: tests/fuzz/corpus/paper_rest. */
#include <stdlib.h>
#include <string.h>

#include "base/strutil.h"
#include "net/http_parse.h"
#include "paper/auth.h"
#include "paper/fut_rest_srv.h"
#include "paper/spot_rest_srv.h"
#include "tests/fuzz/fakesrv.h"
#include "tests/fuzz/fuzz.h"
#include "tests/fuzz/paperfx.h"

const char *const fuzz_seeds[] = {"tests/fuzz/corpus/paper_rest", NULL};

static struct paperfx fx; /* the loop lives across inputs; the paper does not */

enum route { R_NONE, R_SPOT, R_SPOT_PRIV, R_FUT, R_FUT_PRIV };

static enum route route_of(const char *path)
{
	if (kt_str_starts(path, "/0/public/"))
		return R_SPOT;
	if (kt_str_starts(path, "/0/private/"))
		return R_SPOT_PRIV;
	if (kt_str_starts(path, "/derivatives/api/v3/") ||
	    kt_str_starts(path, "/api/history/v3/") || kt_str_starts(path, "/api/charts/"))
		return R_FUT_PRIV; /* public endpoints ignore the account */
	return R_NONE;
}

static void one_request(const char *msg, size_t len)
{
	ssize_t hl = http_head_length(msg, len, HTTP_MAX_HEAD);
	if (hl <= 0)
		return;
	char *head = fuzz_strndup(msg, (size_t)hl);
	struct http_head h;
	int status;
	size_t body_len;
	bool keep;
	if (http_parse_head(head, (size_t)hl, &h, &status) == 0 &&
	    http_head_framing(&h, HTTP_MAX_BODY, &body_len, &keep, &status) == 0) {
		size_t avail = len - (size_t)hl;
		struct http_request *req =
		        fakesrv_request(&h, msg + hl, body_len < avail ? body_len : avail);
		enum route r = route_of(req->path);
		uint32_t acct = 0;
		paper_tick(fx.p);
		if (r == R_SPOT_PRIV)
			(void)auth_spot_rest(fx.p->auth, req, &acct);
		else if (r == R_FUT_PRIV)
			(void)auth_fut_rest(fx.p->auth, req, &acct);
		if (r != R_NONE) {
			fx.p->cur_req = req; /* what paper/server.c does after auth */
			fx.p->cur_account = r == R_SPOT || r == R_FUT ? 0 : 1;
			if (r == R_SPOT || r == R_SPOT_PRIV)
				spot_rest_srv_handle(fx.p, req);
			else
				fut_rest_srv_handle(fx.p, req);
			fx.p->cur_req = NULL;
			fx.p->cur_account = 0;
			fakesrv_finish(req);
		} else {
			http_reply(req, 404, NULL, "", 0, NULL);
			fakesrv_finish(req);
		}
	}
	free(head);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	paperfx_open(&fx);
	struct fuzz_split sp = fuzz_split_init(data, size, 32);
	const char *msg;
	size_t len;
	unsigned i = 0;
	while (fuzz_split_next(&sp, &msg, &len)) {
		one_request(msg, len);
		paperfx_advance(&fx, 250);
		paperfx_market_order(&fx, 6 + (i++ & 1)); /* the market trades in between */
	}
	paperfx_close(&fx);
	return 0;
}
