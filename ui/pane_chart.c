/* pane_chart: a candle chart of the current instrument from OHLC data, one
 * column per candle, scaled to the pane with integer arithmetic. */
#include <stdio.h>
#include <string.h>

#include "ui/ui_int.h"

/* Row (0 = top) of price p between lo and hi over h rows. */
static int row_of(__int128 p, __int128 lo, __int128 hi, int h)
{
	if (hi <= lo)
		return h / 2;
	__int128 r = (hi - p) * (h - 1) / (hi - lo);
	return (int)r;
}

/* A decimal as an integer at scale s (truncated). */
static __int128 at_scale(dec_t d, unsigned s)
{
	dec_t r;
	if (dec_rescale(d, s, DEC_DOWN, &r) < 0)
		return 0;
	return r.m;
}

static void draw(struct ui *ui, const struct rect *r)
{
	struct term *t = ui->term;
	const struct market *m = state_market_peek(ui->st, ui->instr);
	const struct instrument *in = ui_instrument(ui);
	if (!m || !in || m->candles.n == 0) {
		term_put(t, r->y, r->x, ui_style(ui, SLOT_dim), "no candles yet", r->w);
		return;
	}
	int axis = 12;
	int cols = r->w - axis - 1;
	int h = r->h;
	if (cols < 2 || h < 3)
		return;
	unsigned first = m->candles.n > (unsigned)cols ? m->candles.n - (unsigned)cols : 0;
	unsigned s = in->price_dp;
	__int128 lo = 0, hi = 0;
	for (unsigned i = first; i < m->candles.n; i++) {
		__int128 l = at_scale(m->candles.c[i].low, s), hh = at_scale(m->candles.c[i].high, s);
		if (i == first || l < lo)
			lo = l;
		if (i == first || hh > hi)
			hi = hh;
	}
	bool utf = term_utf8(t);
	for (unsigned i = first; i < m->candles.n; i++) {
		const struct candle *c = &m->candles.c[i];
		int x = r->x + (int)(i - first);
		__int128 o = at_scale(c->open, s), cl = at_scale(c->close, s);
		int yh = row_of(at_scale(c->high, s), lo, hi, h), yl = row_of(at_scale(c->low, s), lo, hi, h);
		int yo = row_of(o, lo, hi, h), yc = row_of(cl, lo, hi, h);
		int st = ui_style(ui, cl >= o ? SLOT_chart_up : SLOT_chart_down);
		int top = yo < yc ? yo : yc, bot = yo < yc ? yc : yo;
		for (int y = yh; y <= yl; y++) {
			const char *g = (y >= top && y <= bot) ? (utf ? "█" : "#") : (utf ? "│" : "|");
			term_put(t, r->y + y, x, st, g, 1);
		}
	}
	char a[DEC_FMT_MAX];
	fmt_dec_group(a, sizeof a, dec_make((int64_t)hi, s), in->price_dp);
	draw_right(ui, r->y, r->x + r->w - axis, axis, ui_style(ui, SLOT_dim), a);
	fmt_dec_group(a, sizeof a, dec_make((int64_t)lo, s), in->price_dp);
	draw_right(ui, r->y + h - 1, r->x + r->w - axis, axis, ui_style(ui, SLOT_dim), a);
	const struct candle *last = &m->candles.c[m->candles.n - 1];
	fmt_dec_group(a, sizeof a, last->close, in->price_dp);
	int yc = row_of(at_scale(last->close, s), lo, hi, h);
	draw_right(ui, r->y + yc, r->x + r->w - axis, axis, ui_style(ui, SLOT_title), a);
}

static void subtitle(struct ui *ui, char *buf, size_t cap)
{
	const struct market *m = state_market_peek(ui->st, ui->instr);
	const struct instrument *in = ui_instrument(ui);
	if (in && m)
		snprintf(buf, cap, "%s %dm", in->id, m->candles.interval_min);
}

const struct pane_def pane_chart_def = {"Chart", KC_CHART, draw, subtitle, NULL};
