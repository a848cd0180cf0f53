/* server: the paper exchange on the network. paper_start() creates the exchange
 * (paper_create), listens with net/http_server on host:port, routes every request
 * and WebSocket upgrade by path (see paper.h for the table), authenticates private
 * REST requests before handing them to the adapters, runs px_tick every tick_ms and
 * before every request, and keeps the state file current (paper_flush at the end of
 * each callback and from a uv_idle before the next socket write).
 *
 * Auth failures are answered here in Kraken's shapes:
 *   Spot:    200 {"error":["EAPI:Invalid key"]} (or Invalid signature / Invalid nonce)
 *   Futures: 200 {"result":"error","serverTime":..,"error":"authenticationError"}
 *            (or nonceBelowThreshold / nonceDuplicate)
 * Unknown paths: 404 {"error":["EGeneral:Unknown method"]} under /0/, else
 * {"result":"error","error":"notFound"} style JSON. */
#ifndef KT_PAPER_SERVER_H
#define KT_PAPER_SERVER_H

#include <stdint.h>

#include <uv.h>

#include "base/kerr.h"
#include "paper/paper.h"

/* Create and start. NULL + err when the state cannot be loaded or the port cannot be
 * bound. The loop must run for anything to happen. */
struct paper *paper_start(uv_loop_t *loop, const struct paper_opts *opts, struct kerr *err);
/* Stop listening, close every connection, free the adapters' WS instances, save the
 * state and free p; done(arg) runs once libuv has closed everything (the loop must
 * keep running until then). p is unusable after this call. */
void paper_stop(struct paper *p, void (*done)(void *arg), void *arg);

/* Where it listens. */
struct paper_urls {
	int port;
	char spot_rest[128];     /* http://127.0.0.1:P */
	char spot_ws_public[128]; /* ws://127.0.0.1:P/v2 */
	char spot_ws_private[128]; /* ws://127.0.0.1:P/auth/v2 */
	char fut_rest[128];     /* http://127.0.0.1:P */
	char fut_ws[128];     /* ws://127.0.0.1:P/ws/v1 */
};
void paper_urls(const struct paper *p, struct paper_urls *out);
/* An account's API keys (secrets included: never log them). 0 or -1. */
int paper_keys(const struct paper *p, uint32_t acct, struct px_keys *out);

/* A description for `krakterm paper` (text or --json): the lead renders it. */
struct paper_info {
	struct paper_urls urls;
	const char *state_path; /* "" when memory-only */
	uint32_t accounts;      /* user accounts 1..n */
	size_t spot_pairs, futures;
	int64_t started_ns;
};
void paper_info(const struct paper *p, struct paper_info *out);

#endif
