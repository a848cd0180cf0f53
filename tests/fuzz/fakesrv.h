/* fakesrv: net/http_server.h without sockets, for fuzzing the paper exchange's
 * protocol adapters in memory.
 *
 * fakesrv.c defines every function of net/http_server.h, so a program that links
 * it before libkt_net.a never pulls in the real server (http_server_start fails).
 * Requests are built by the harness (fakesrv_request), handed to an adapter, and
 * their reply is checked here: exactly one reply per request, and every reply and
 * every WebSocket message an adapter sends is valid JSON (UTF-8 included) — the
 * paper exchange must answer anything with something a Kraken client can read.
 * A violation abort()s, which the fuzzer reports like a crash. */
#ifndef KT_TESTS_FAKESRV_H
#define KT_TESTS_FAKESRV_H

#include <stdbool.h>
#include <stddef.h>

#include "net/http_server.h"

/* A request made from a parsed head and a body (copied); free with fakesrv_free. */
struct http_request *fakesrv_request(const struct http_head *h, const char *body, size_t len);
/* After the adapter returned: abort() unless it replied exactly once (or kept the
 * request for later, which the harness then releases). Frees the request. */
void fakesrv_finish(struct http_request *req);
/* The status of the last reply (0 before any). */
int fakesrv_last_status(void);

/* A WebSocket connection on `path` ("/v2", "/auth/v2", "/ws/v1"). */
struct http_conn *fakesrv_conn_new(const char *path);
void fakesrv_conn_free(struct http_conn *c);
/* Was it closed or dropped by the adapter? */
bool fakesrv_conn_closed(const struct http_conn *c);
/* Messages sent to it so far. */
size_t fakesrv_conn_sent(const struct http_conn *c);

#endif
