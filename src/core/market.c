/* market: trade ring and candle series upkeep. */
#include "core/market.h"

#include <string.h>

void trade_ring_push(struct trade_ring *r, const struct trade *t)
{
	r->t[r->head] = *t;
	r->head = (r->head + 1) % TRADES_KEEP;
	if (r->n < TRADES_KEEP)
		r->n++;
}

const struct trade *trade_ring_at(const struct trade_ring *r, unsigned i)
{
	if (i >= r->n)
		return NULL;
	return &r->t[(r->head + TRADES_KEEP - 1 - i) % TRADES_KEEP];
}

void candle_series_put(struct candle_series *s, const struct candle *c)
{
	/* Updates almost always touch the newest candle: search from the end. */
	unsigned i = s->n;
	while (i > 0 && s->c[i - 1].start_ms > c->start_ms)
		i--;
	if (i > 0 && s->c[i - 1].start_ms == c->start_ms) {
		s->c[i - 1] = *c;
		return;
	}
	if (s->n == CANDLES_KEEP) {
		if (i == 0)
			return; /* older than everything we keep */
		memmove(s->c, s->c + 1, (CANDLES_KEEP - 1) * sizeof s->c[0]);
		s->n--;
		i--;
	}
	memmove(s->c + i + 1, s->c + i, (s->n - i) * sizeof s->c[0]);
	s->c[i] = *c;
	s->n++;
}
