/* engine_util: a harness for the matching-engine tests. It owns an engine,
 * records every event (copied, since order pointers die with the call), keeps
 * each account's position from the TRADE events (as the accounts layer would)
 * and answers ops->admit and ops->position. */
#ifndef KT_TESTS_UNIT_ENGINE_UTIL_H
#define KT_TESTS_UNIT_ENGINE_UTIL_H

#include <stddef.h>
#include <stdint.h>

#include "paper/engine.h"

#define TH_ACCOUNTS 16

/* One recorded event. */
struct tev {
	enum engine_ev_kind kind;
	enum engine_update what;
	uint64_t id;    /* order (ACCEPTED/UPDATED/CLOSED) or taker (TRADE) */
	uint64_t maker; /* TRADE */
	uint64_t parent;
	uint32_t account;
	enum engine_type type;
	enum engine_status status;
	int reason;
	enum engine_side side; /* order side, taker side, or level side */
	int64_t price;         /* order limit, trade price or level price */
	int64_t qty;           /* order qty, trade qty or level qty */
	int64_t filled;
	int64_t trigger;
	int64_t shown;
	uint64_t trade_id;
	int triggered;
	unsigned op; /* which harness call produced it */
};

struct th {
	struct engine *eng;
	struct tev *ev;
	size_t n, cap;
	unsigned op;
	int64_t pos[TH_ACCOUNTS];
	int admit_reason; /* returned by admit for admit_account */
	uint32_t admit_account;
	unsigned admit_calls[5]; /* per engine_admit_phase */
	int reenter_rc;          /* what a submit from inside a callback returned */
	int try_reenter;
};

struct th *th_new(enum engine_product product, uint32_t collar_ppm);
void th_free(struct th *t);
/* Forget recorded events. */
void th_clear(struct th *t);

/* A GTC limit order; asserts it was created. Returns its id. */
uint64_t th_limit(struct th *t, uint32_t account, enum engine_side side, int64_t qty,
                  int64_t price);
/* Submit a request; asserts it was created; returns res.id. */
uint64_t th_submit(struct th *t, const struct engine_req *r, struct engine_result *res);
/* Make a trade at px between two helper accounts (14 sells, 15 buys IOC). */
void th_trade_at(struct th *t, int64_t px);

size_t th_count(const struct th *t, enum engine_ev_kind kind);
/* The first event of `kind` about order id (0: any), or NULL. */
const struct tev *th_find(const struct th *t, enum engine_ev_kind kind, uint64_t id);
/* Index of that event, or -1. */
long th_index(const struct th *t, enum engine_ev_kind kind, uint64_t id);
/* The k-th event of `kind`. */
const struct tev *th_nth(const struct th *t, enum engine_ev_kind kind, size_t k);

/* Assert a side of the book: n levels given as price, qty pairs, best first. */
void th_assert_side(const struct th *t, enum engine_side side, const int64_t *pq, size_t n);

#endif
