/* spot_ws_req: the Spot WS v2 requests still waiting for their answer.
 *
 * Every trading request carries a req_id; Kraken echoes it in the answer
 * (once per order for cancel_order). The table matches answers to requests,
 * completes each intent callback exactly once (once per order id for a
 * multi-order cancel), and turns silence into an unknown outcome: a request
 * past its deadline, or in flight when the connection dropped, completes
 * with INTENT_UNKNOWN and its client order id, so the owner reconciles it
 * instead of resending it blindly. Pure: time is an argument. */
#ifndef KT_KRAKEN_SPOT_WS_REQ_H
#define KT_KRAKEN_SPOT_WS_REQ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/intent.h"
#include "kraken/spot_ws_codec.h"

/* batch_add completes with one result per order, in request order. */
typedef void (*spot_ws_batch_cb)(void *arg, const struct intent_result *res, size_t n);

struct spot_ws_req {
	int64_t req_id;
	enum spot_ws_method method;
	uint64_t deadline_ms; /* monotonic ms; no answer by then: unknown */
	intent_cb cb;         /* every method but batch_add */
	spot_ws_batch_cb bcb; /* batch_add */
	void *arg;
	unsigned expect, got;     /* answers expected / received */
	char (*cl)[ORDER_ID_MAX]; /* client order id per order (owned; may be NULL) */
	unsigned ncl;
};

struct spot_ws_reqs {
	struct spot_ws_req *r;
	size_t n, cap;
	int64_t last_id;
};

void spot_ws_reqs_init(struct spot_ws_reqs *t);
/* Drop everything without calling back (shutdown). */
void spot_ws_reqs_free(struct spot_ws_reqs *t);
/* A fresh req_id (1, 2, 3...; never reused within a table's life). */
int64_t spot_ws_reqs_next_id(struct spot_ws_reqs *t);
/* Track a request. cl lists the client order ids it concerns (copied; n of
 * them for batch_add); expect is the number of answers (1, or the number of
 * ids of a cancel_order). */
void spot_ws_reqs_add(struct spot_ws_reqs *t, int64_t req_id, enum spot_ws_method method,
                      uint64_t deadline_ms, intent_cb cb, spot_ws_batch_cb bcb, void *arg,
                      unsigned expect, const char *const *cl, unsigned ncl);
/* Deliver a decoded answer (kind SWK_RESPONSE): calls the matching
 * request's callback. Returns false when no request has that req_id. */
bool spot_ws_reqs_answer(struct spot_ws_reqs *t, const struct spot_ws_msg *m);
/* Complete every request whose deadline is <= now as INTENT_UNKNOWN.
 * Returns how many requests were completed. */
unsigned spot_ws_reqs_expire(struct spot_ws_reqs *t, uint64_t now, const char *why);
/* Complete every request as INTENT_UNKNOWN (the connection is gone). */
unsigned spot_ws_reqs_fail_all(struct spot_ws_reqs *t, const char *why);
static inline size_t spot_ws_reqs_count(const struct spot_ws_reqs *t)
{
	return t->n;
}

#endif
