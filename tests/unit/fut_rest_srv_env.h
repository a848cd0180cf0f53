/* fut_rest_srv_env: the test environment of the Futures REST adapter tests —
 * a paper exchange started on a kernel-chosen loopback port (paper_start with
 * the Futures REST adapter), signed raw HTTP calls whose JSON reply is kept
 * parsed, px helpers (market liquidity, open-order count) and the client
 * codec applied to the last reply. */
#ifndef KT_TESTS_FUT_REST_SRV_ENV_H
#define KT_TESTS_FUT_REST_SRV_ENV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/jscan.h"
#include "core/state.h"
#include "kraken/fut_rest_codec.h"
#include "net/loop.h"
#include "paper/paper.h"
#include "paper/server.h"

struct env {
	struct kt_loop *loop;
	struct paper *p;
	char base[160];
	int64_t now_ns;
	struct px_keys keys;
	uint64_t nonce;
	/* the last raw reply */
	int status;
	char *body;
	struct jdoc doc;
};

/* Start (account 1 with 100000 USD in the flex wallet, test clock at
 * 2024-03-01T10:00:00Z) and stop. */
void env_init(struct env *e);
void env_free(struct env *e);
/* One request (signed with account 1's Futures key when `sign`); the reply is
 * in e->status, e->body and e->doc. */
void env_call(struct env *e, const char *method, const char *path, const char *query,
              const char *body, bool sign);
/* Signed POST of a form body / GET with a query to /derivatives/api/v3/<ep>. */
void env_post(struct env *e, const char *ep, const char *body);
void env_get(struct env *e, const char *ep, const char *query, bool sign);
/* Text of the reply at a path of keys and indices, NULL-terminated ("" if absent). */
const char *env_js(struct env *e, ...) __attribute__((sentinel));
/* Members/elements of reply[k1][k2] (k2 may be NULL). */
size_t env_jn(struct env *e, const char *k1, const char *k2);
dec_t env_dec(const char *s);
/* A resting order of the simulated market (account 0). */
void env_maker(struct env *e, const char *sym, enum engine_side side, const char *price,
               const char *qty);
/* Open futures orders of account 1. */
size_t env_open_count(struct env *e);
/* The last reply through krakterm's client codec. */
void env_client_doc(struct env *e, struct fut_doc *fd);
/* A state holding the instruments the adapter lists (decoded by the client). */
void env_client_state(struct env *e, struct state *st);

#endif
