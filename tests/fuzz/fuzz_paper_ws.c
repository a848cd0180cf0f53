/* fuzz_paper_ws: the paper exchange's WebSocket adapters — Spot WS v2 public
 * (/v2) and private (/auth/v2), Futures WS v1 (/ws/v1) — on any client message,
 * against an in-memory exchange (paperfx.h) with one connection per endpoint.
 *
 * Input: messages separated by 0x1E; each message goes to every endpoint whose
 * connection is still open (a Spot message is garbage to the Futures adapter and
 * the reverse: both must cope). Between messages the clock moves and the market
 * trades, so subscriptions render their updates. Credentials cannot be guessed,
 * so placeholders are replaced before delivery: $TOKEN (a valid Spot WS token of
 * account 1), $FKEY (account 1's Futures key), $CHAL (a challenge issued for it)
 * and $SIGNED (that challenge correctly signed). Checks (fakesrv.c): everything an
 * adapter sends is valid UTF-8 JSON; no crash, leak or undefined behaviour.
 * Seeds: tests/fuzz/corpus/paper_ws. */
#include <stdlib.h>
#include <string.h>

#include "base/sbuf.h"
#include "net/sign.h"
#include "paper/fut_ws_srv.h"
#include "paper/px.h"
#include "paper/spot_ws_srv.h"
#include "tests/fuzz/fakesrv.h"
#include "tests/fuzz/fuzz.h"
#include "tests/fuzz/paperfx.h"

const char *const fuzz_seeds[] = {"tests/fuzz/corpus/paper_ws", NULL};

static struct paperfx fx; /* the loop lives across inputs; the paper does not */

struct creds {
	char token[PAPER_TOKEN_MAX];
	char fkey[64];
	char chal[PAPER_CHALLENGE_MAX];
	char signed_chal[128];
};

static void make_creds(struct creds *cr)
{
	memset(cr, 0, sizeof *cr);
	int64_t exp;
	const struct px_keys *k = px_account_keys(fx.p->px, 1);
	if (!k || paper_token_issue(fx.p, 1, cr->token, &exp) != 0)
		abort();
	snprintf(cr->fkey, sizeof cr->fkey, "%s", k->fut_key);
	if (paper_challenge_issue(fx.p, k->fut_key, cr->chal) != 0 ||
	    kraken_futures_sign_challenge(k->fut_secret, cr->chal, cr->signed_chal,
	                                  sizeof cr->signed_chal, NULL) != 0)
		abort();
}

/* msg with the placeholders replaced, into b. */
static void substitute(struct sbuf *b, const char *msg, size_t len, const struct creds *cr)
{
	static const char *const names[] = {"$TOKEN", "$FKEY", "$CHAL", "$SIGNED"};
	const char *vals[] = {cr->token, cr->fkey, cr->chal, cr->signed_chal};
	sbuf_reset(b);
	size_t i = 0;
	while (i < len) {
		bool done = false;
		for (size_t k = 0; k < 4 && !done; k++) {
			size_t n = strlen(names[k]);
			if (len - i >= n && memcmp(msg + i, names[k], n) == 0) {
				sbuf_add(b, vals[k], strlen(vals[k]));
				i += n;
				done = true;
			}
		}
		if (!done)
			sbuf_add(b, msg + i++, 1);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	paperfx_open(&fx);
	struct creds cr;
	make_creds(&cr);
	struct spot_ws_srv *pub = spot_ws_srv_new(fx.p, false), *priv = spot_ws_srv_new(fx.p, true);
	struct fut_ws_srv *fut = fut_ws_srv_new(fx.p);
	struct http_conn *cpub = fakesrv_conn_new("/v2"), *cpriv = fakesrv_conn_new("/auth/v2"),
	                 *cfut = fakesrv_conn_new("/ws/v1");
	spot_ws_srv_open(pub, cpub);
	spot_ws_srv_open(priv, cpriv);
	fut_ws_srv_open(fut, cfut);

	struct sbuf b = SBUF_INIT;
	struct fuzz_split sp = fuzz_split_init(data, size, 32);
	const char *msg;
	size_t len;
	unsigned i = 0;
	while (fuzz_split_next(&sp, &msg, &len)) {
		substitute(&b, msg, len, &cr);
		const char *m = sbuf_str(&b);
		paper_tick(fx.p);
		if (!fakesrv_conn_closed(cpub))
			spot_ws_srv_message(pub, cpub, m, b.len);
		if (!fakesrv_conn_closed(cpriv))
			spot_ws_srv_message(priv, cpriv, m, b.len);
		if (!fakesrv_conn_closed(cfut))
			fut_ws_srv_message(fut, cfut, m, b.len);
		paperfx_advance(&fx, 1100);
		paperfx_market_order(&fx, i++);
		uv_run(&fx.loop, UV_RUN_NOWAIT);
	}
	sbuf_free(&b);
	spot_ws_srv_close(pub, cpub);
	spot_ws_srv_close(priv, cpriv);
	fut_ws_srv_close(fut, cfut);
	spot_ws_srv_free(pub);
	spot_ws_srv_free(priv);
	fut_ws_srv_free(fut);
	fakesrv_conn_free(cpub);
	fakesrv_conn_free(cpriv);
	fakesrv_conn_free(cfut);
	paperfx_close(&fx);
	return 0;
}
