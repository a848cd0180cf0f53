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

void candle_series_add_trade(struct candle_series *s, const struct trade *t)
{
	if (t->time_ms <= s->last_trade_ms)
		return;
	s->last_trade_ms = t->time_ms;
	int64_t span = (int64_t)(s->interval_min > 0 ? s->interval_min : 1) * 60000;
	int64_t start = t->time_ms - t->time_ms % span;
	struct candle c;
	if (s->n && s->c[s->n - 1].start_ms == start) {
		c = s->c[s->n - 1];
		if (dec_gt(t->price, c.high))
			c.high = t->price;
		if (dec_lt(t->price, c.low))
			c.low = t->price;
		c.close = t->price;
		dec_t v;
		if (dec_add(c.volume, t->qty, &v) == 0)
			c.volume = v;
	} else {
		c.start_ms = start;
		c.open = c.high = c.low = c.close = t->price;
		c.volume = t->qty;
	}
	candle_series_put(s, &c);
}
