/* bench_market: a book that moves on demand, for the end-to-end benchmarks.
 *
 * Orders of the market account (PX_MARKET) straight into px, like the paper
 * exchange's simulator does, but under the benchmark's control: a fixed number
 * of price levels per side to start with, then single book changes near the
 * top (inside the 10 best levels, so every change reaches a depth-10
 * subscriber): 50% new orders (a new level or more size at an existing one),
 * 35% cancels and 15% size amendments of the orders placed near the top.
 * Deterministic for a seed. */
#ifndef KT_BENCH_MARKET_H
#define KT_BENCH_MARKET_H

#include <stddef.h>
#include <stdint.h>

#include "paper/px.h"

#define BMARKET_MAX 16

struct bmarket_book {
	const struct px_instr *in;
	int64_t ref_u;          /* reference price in price units, on the tick grid */
	char (*ids)[PX_ID_MAX]; /* orders placed near the top (cancel/amend candidates) */
	size_t nids, cap;
};

struct bmarket {
	struct px *px;
	struct bmarket_book b[BMARKET_MAX];
	size_t n;
	uint32_t seed;
	uint64_t ops, refused;
};

void bmarket_init(struct bmarket *m, struct px *px, uint32_t seed);
void bmarket_free(struct bmarket *m);
/* Add an instrument (any px name) with `levels` resting levels a side. Returns
 * its index, or -1 when px does not know the name. */
int bmarket_add(struct bmarket *m, const char *name, size_t levels);
/* One book change of book i. */
void bmarket_op(struct bmarket *m, size_t i);

#endif
