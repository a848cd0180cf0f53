/* bench_market: market-account orders that move a px book on demand. */
#include "bench/bench_market.h"

#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"
#include "bench/bench_util.h"

void bmarket_init(struct bmarket *m, struct px *px, uint32_t seed)
{
	memset(m, 0, sizeof *m);
	m->px = px;
	m->seed = seed ? seed : 1;
}

void bmarket_free(struct bmarket *m)
{
	for (size_t i = 0; i < m->n; i++)
		free(m->b[i].ids);
	memset(m, 0, sizeof *m);
}

/* Place a market-account limit order k ticks away from the reference. */
static int place(struct bmarket *m, struct bmarket_book *b, enum engine_side side, int64_t k,
                 int64_t mult, char id[PX_ID_MAX])
{
	const struct px_instr *in = b->in;
	struct px_place pl = {.account = PX_MARKET, .instr = in, .type = ENGINE_T_LIMIT};
	pl.side = side;
	int64_t px = b->ref_u + (side == ENGINE_BUY ? -k : k) * in->tick_u;
	pl.price = px_price_abs(dec_make(px, (unsigned)in->price_dp));
	pl.qty = dec_make(in->min_u * mult, (unsigned)in->qty_dp);
	struct px_result res;
	struct kerr err = KERR_INIT;
	m->ops++;
	if (px_place(m->px, &pl, &res, &err) < 0 || !res.id[0]) {
		m->refused++;
		return -1;
	}
	if (id)
		memcpy(id, res.id, PX_ID_MAX);
	return 0;
}

int bmarket_add(struct bmarket *m, const char *name, size_t levels)
{
	const struct px_instr *in = px_instr_find(m->px, -1, name);
	if (!in || m->n == BMARKET_MAX)
		return -1;
	struct bmarket_book *b = &m->b[m->n];
	memset(b, 0, sizeof *b);
	b->in = in;
	int64_t ref;
	if (dec_to_scaled(in->ref_price, (unsigned)in->price_dp, &ref) < 0)
		return -1;
	b->ref_u = ref - ref % in->tick_u;
	for (size_t k = 1; k <= levels; k++) {
		place(m, b, ENGINE_BUY, (int64_t)k, 1 + (int64_t)(k % 7), NULL);
		place(m, b, ENGINE_SELL, (int64_t)k, 1 + (int64_t)(k % 5), NULL);
	}
	return (int)m->n++;
}

void bmarket_op(struct bmarket *m, size_t i)
{
	struct bmarket_book *b = &m->b[i];
	uint32_t r = bench_rnd(&m->seed) % 100;
	struct kerr err = KERR_INIT;
	if (r < 35 && b->nids) {
		size_t k = bench_rnd(&m->seed) % b->nids;
		m->ops++;
		if (px_cancel(m->px, PX_MARKET, b->ids[k], &err) < 0)
			m->refused++;
		memcpy(b->ids[k], b->ids[--b->nids], PX_ID_MAX);
		return;
	}
	if (r < 50 && b->nids) {
		struct px_amend a = {.account = PX_MARKET,
		                     .product = b->in->product,
		                     .id = b->ids[bench_rnd(&m->seed) % b->nids],
		                     .fields = ENGINE_AM_QTY};
		a.qty = dec_make(b->in->min_u * (1 + bench_rnd(&m->seed) % 40),
		                 (unsigned)b->in->qty_dp);
		struct px_result res;
		m->ops++;
		if (px_amend(m->px, &a, &res, &err) < 0)
			m->refused++;
		return;
	}
	/* Keep the list of near-top orders bounded: past it, cancels win. */
	if (b->nids >= 400) {
		bmarket_op(m, i);
		return;
	}
	b->ids = xgrow(b->ids, &b->cap, b->nids + 1, sizeof *b->ids);
	enum engine_side side = bench_rnd(&m->seed) & 1 ? ENGINE_BUY : ENGINE_SELL;
	int64_t k = 1 + (int64_t)(bench_rnd(&m->seed) % 10);
	if (place(m, b, side, k, 1 + (int64_t)(bench_rnd(&m->seed) % 40), b->ids[b->nids]) == 0)
		b->nids++;
}
