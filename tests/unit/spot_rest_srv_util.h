/* spot_rest_srv_util: a live paper exchange (paper_start on a loopback port,
 * the Spot REST adapter plugged in, a test clock) and a raw HTTP client that
 * signs requests exactly as Kraken wants (net/sign.h, net/nonce.h), for the
 * adapter tests. Only paper, net and base are linked: no client decoding. */
#ifndef KT_TESTS_SPOT_REST_SRV_UTIL_H
#define KT_TESTS_SPOT_REST_SRV_UTIL_H

#include <stdbool.h>
#include <stdint.h>

#include "base/jscan.h"
#include "net/loop.h"
#include "net/nonce.h"
#include "paper/paper.h"
#include "paper/px.h"

/* srvh_call flags */
#define SRVH_PRIV 1u /* POST /0/private/..., signed */
#define SRVH_JSON 2u /* JSON body */

struct srv_h {
	struct kt_loop *loop;
	struct paper *p;
	struct px *px;
	struct px_keys keys;
	char base_url[160];
	struct nonce_store *nonces;
	char nonce_dir[256];
	int64_t now_ns; /* the exchange's clock */
	/* the last reply */
	bool got;
	int rc, http; /* rc: 0 ok, 1 Kraken error, -1 other */
	char error[200];
	char *body;
	struct jdoc doc;
	int res; /* result token in doc */
};

/* Start the exchange. Account 1 holds 100000 USD and 2 BTC. */
void srvh_start(struct srv_h *h);
void srvh_stop(struct srv_h *h);
/* Run the loop until *flag (fails the test after 10 s). */
void srvh_wait(struct srv_h *h, bool *flag);
/* A request: key, value pairs, NULL-terminated, sent in that order (the
 * nonce first). In JSON bodies values starting with '[' or '{' and
 * true/false are sent bare, everything else as strings. Returns h->rc. */
int srvh_call(struct srv_h *h, const char *method, unsigned flags, ...)
	__attribute__((sentinel));
/* A resting limit order of the simulated market account (0). */
void srvh_seed(struct srv_h *h, const char *pair, enum engine_side side, const char *price,
	       const char *qty);
/* Number of open spot orders of account 1 in px. */
size_t srvh_px_open(struct srv_h *h);
/* A string in the last result by path ("" if absent). */
const char *srvh_str(struct srv_h *h, const char *a, const char *b, const char *c);
dec_t srvh_dec(const char *s);

#endif
