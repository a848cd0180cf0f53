/* spot_rest_impl: the Spot REST session's insides, shared by spot_rest.c
 * (queue, transport, limits) and spot_rest_ops.c (orders, reconciliation,
 * refresh). Not a public API. */
#ifndef KT_KRAKEN_SPOT_REST_IMPL_H
#define KT_KRAKEN_SPOT_REST_IMPL_H

#include "kraken/spot_rest.h"
#include "net/nonce.h"

/* A queued or in-flight request. */
struct sr_req {
	struct sr_req *next;
	struct spot_rest *sr;
	char method[40];
	unsigned flags;
	char pair[INSTR_ID_MAX];
	int64_t trade_cost, rest_cost;
	struct spot_params params;
	unsigned attempt;
	uint64_t not_before; /* mono ms: its own backoff */
	void *call;          /* in flight: the transport's handle */
	spot_reply_cb cb;
	void *arg;
};

struct sr_pair_counter {
	char pair[INSTR_ID_MAX];
	struct rl_counter c;
};

/* A multi-step operation (an order with reconciliation, a refresh). Ops are
 * listed so spot_rest_free() can drop them; each is one malloc'd block that
 * starts with this header. */
struct sr_op {
	struct sr_op *prev, *next;
	struct spot_rest *sr;
	void *timer;
	void (*on_timer)(struct sr_op *op);
};

struct spot_rest {
	struct kt_loop *loop;
	struct state *st;
	struct spot_rest_io io;
	char *base_url, *key, *secret, *ca_file;
	struct nonce_store *nonces;
	enum kraken_tier tier;
	uint32_t timeout_ms, reconcile_delay_ms, backoff_base_ms, backoff_cap_ms;
	unsigned max_priv_inflight, max_retries;

	struct rl_counter rest; /* REST call counter (private) */
	struct rl_counter pub;  /* public calls, per IP */
	struct sr_pair_counter *pairs;
	size_t npairs, cap_pairs;
	uint64_t hold_priv_until, hold_pub_until; /* mono ms */
	unsigned hold_attempt;

	struct sr_req *queue;    /* trading requests first, then FIFO */
	struct sr_req *inflight;
	unsigned inflight_priv, inflight_pub;
	void *timer;
	uint64_t timer_due;
	struct sr_op *ops;
	struct rate_limits published;
};

uint64_t sr_now(struct spot_rest *sr);
uint64_t sr_wall(struct spot_rest *sr);
/* The matching-engine counter of a pair (created on first use). */
struct rl_counter *sr_pair_counter(struct spot_rest *sr, const char *pair);

/* Ops. */
void *sr_op_new(struct spot_rest *sr, size_t size);
void sr_op_free(struct sr_op *op);
/* Call op->on_timer after ms (replaces a pending one). */
void sr_op_after(struct sr_op *op, uint64_t ms, void (*fn)(struct sr_op *op));

/* Fill an intent_result from a failed reply. */
void sr_result_from_reply(const struct spot_reply *r, struct intent_result *res);

#endif
