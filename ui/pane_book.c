/* pane_book: the order book ladder — asks above, bids below, spread between,
 * sizes, cumulative sizes and depth bars, grouping by multiples of the tick,
 * and the user's own orders marked at their level (on the row whose bucket
 * holds them when grouped). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"
#include "ui/panes.h"
#include "ui/ui_int.h"

#define ROWS_MAX 256

struct side_rows {
	struct book_level lv[ROWS_MAX];
	size_t n;
	__int128 cum[ROWS_MAX];
};

static int64_t group_step(const struct ui *ui, const struct book *b, const struct instrument *in)
{
	int64_t tick = 1;
	if (book_px_from_dec(b, in->tick, &tick) < 0 || tick < 1)
		tick = 1;
	return tick * (ui->book_group > 0 ? ui->book_group : 1);
}

static void collect(const struct ui *ui, const struct book *b, const struct instrument *in,
		    enum side s, size_t want, struct side_rows *out)
{
	if (want > ROWS_MAX)
		want = ROWS_MAX;
	int64_t step = ui->book_group > 1 ? group_step(ui, b, in) : 1;
	out->n = book_grouped(b, s, step, out->lv, want);
	__int128 c = 0;
	for (size_t i = 0; i < out->n; i++) {
		c += out->lv[i].qty;
		out->cum[i] = c;
	}
}

bool pane_book_selection(struct ui *ui, enum side *side, dec_t *price)
{
	const struct market *m = state_market_peek(ui->st, ui->instr);
	const struct instrument *in = ui_instrument(ui);
	if (!m || !in || ui->book_sel == 0)
		return false;
	struct side_rows rows;
	enum side s = ui->book_sel < 0 ? SIDE_SELL : SIDE_BUY;
	size_t idx = (size_t)(ui->book_sel < 0 ? -ui->book_sel : ui->book_sel) - 1;
	collect(ui, &m->book, in, s, idx + 1, &rows);
	if (idx >= rows.n)
		return false;
	*side = s;
	*price = book_px_dec(&m->book, rows.lv[idx].px);
	return true;
}

/* Prices (book units, sorted) of the user's open limit orders on one side of
 * the shown book, gathered once per frame: asking the state for every row
 * scanned every order each time (a third of a frame's time with 170 orders). */
struct own_prices {
	int64_t *px;
	size_t n, cap;
};

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return (x > y) - (x < y);
}

/* The row price a level at px is shown at when grouping by step: the same
 * rounding as book_grouped (bids round down, asks round up). */
static int64_t bucket_of(int64_t px, int64_t step, enum side s)
{
	if (step <= 1)
		return px;
	int64_t q = px / step, r = px % step;
	return s == SIDE_BUY ? q * step : (q + (r != 0)) * step;
}

/* Gathers the rows (bucket prices) that hold at least one own order. */
static void own_collect(const struct ui *ui, const struct book *b, enum side s, int64_t step,
			struct own_prices *out)
{
	out->n = 0;
	for (size_t i = 0; i < ui->st->norders; i++) {
		const struct order *o = &ui->st->orders[i];
		dec_t left;
		int64_t px;
		if (o->instr != ui->instr || o->side != s || !order_status_is_open(o->status) ||
		    o->status == OS_UNTRIGGERED || !order_type_has_limit(o->type) ||
		    dec_sub(o->qty, o->filled, &left) < 0 || dec_sign(left) <= 0 ||
		    book_px_from_dec(b, o->limit_price, &px) < 0)
			continue;
		out->px = xgrow(out->px, &out->cap, out->n + 1, sizeof *out->px);
		out->px[out->n++] = bucket_of(px, step, s);
	}
	if (out->n > 1)
		qsort(out->px, out->n, sizeof *out->px, cmp_i64);
}

static bool own_at(const struct own_prices *own, int64_t px)
{
	return own->n && bsearch(&px, own->px, own->n, sizeof *own->px, cmp_i64);
}

static void draw_row(struct ui *ui, const struct rect *r, int y, const struct book *b,
		     const struct instrument *in, enum side s, const struct book_level *l,
		     __int128 cum, __int128 maxcum, bool selected, const struct own_prices *own)
{
	struct term *t = ui->term;
	int w = r->w;
	/* Depth bar behind the row, proportional to the cumulative size. */
	int bar = maxcum > 0 ? (int)(cum * w / maxcum) : 0;
	int bar_style = ui_style(ui, s == SIDE_BUY ? SLOT_bid_bar : SLOT_ask_bar);
	int row_style = ui_style(ui, selected ? SLOT_selection : SLOT_normal);
	term_fill(t, y, r->x, w, row_style, ' ');
	if (!selected && bar > 0)
		term_fill(t, y, r->x + w - bar, bar, bar_style, ' ');
	char px[DEC_FMT_MAX], qty[DEC_FMT_MAX], tot[DEC_FMT_MAX];
	fmt_dec_group(px, sizeof px, book_px_dec(b, l->px), in->price_dp);
	fmt_qty_short(qty, sizeof qty, book_qty_dec(b, l->qty), in->qty_dp > 4 ? 4 : in->qty_dp);
	int64_t cum64 = cum > INT64_MAX ? INT64_MAX : (int64_t)cum;
	fmt_qty_short(tot, sizeof tot, book_qty_dec(b, cum64), in->qty_dp > 4 ? 4 : in->qty_dp);
	int cw = (w - 2) / 3;
	int ps = ui_style(ui, selected ? SLOT_selection : s == SIDE_BUY ? SLOT_bid : SLOT_ask);
	draw_right(ui, y, r->x, cw, ps, px);
	draw_right(ui, y, r->x + cw + 1, cw, row_style, qty);
	draw_right(ui, y, r->x + 2 * cw + 2, cw - 1, ui_style(ui, selected ? SLOT_selection : SLOT_dim), tot);
	/* Own orders at this level, or inside this row's bucket when grouped. */
	if (own_at(own, l->px))
		term_put(t, y, r->x, ui_style(ui, SLOT_own_order), term_utf8(t) ? "◆" : "*", 1);
}

static void draw(struct ui *ui, const struct rect *r)
{
	const struct market *m = state_market_peek(ui->st, ui->instr);
	const struct instrument *in = ui_instrument(ui);
	struct term *t = ui->term;
	if (!in) {
		term_put(t, r->y, r->x, ui_style(ui, SLOT_dim), "no instrument", r->w);
		return;
	}
	if (!m || (book_count(&m->book, SIDE_BUY) == 0 && book_count(&m->book, SIDE_SELL) == 0)) {
		term_put(t, r->y, r->x, ui_style(ui, SLOT_dim), "waiting for the book...", r->w);
		return;
	}
	const struct book *b = &m->book;
	int cw = (r->w - 2) / 3;
	draw_right(ui, r->y, r->x, cw, ui_style(ui, SLOT_header), "Price");
	draw_right(ui, r->y, r->x + cw + 1, cw, ui_style(ui, SLOT_header), "Size");
	draw_right(ui, r->y, r->x + 2 * cw + 2, cw - 1, ui_style(ui, SLOT_header), "Total");
	int rows = (r->h - 2) / 2; /* header, spread line */
	if (rows < 1)
		return;
	struct side_rows asks, bids;
	collect(ui, b, in, SIDE_SELL, (size_t)rows, &asks);
	collect(ui, b, in, SIDE_BUY, (size_t)rows, &bids);
	__int128 maxcum = 0;
	if (asks.n && asks.cum[asks.n - 1] > maxcum)
		maxcum = asks.cum[asks.n - 1];
	if (bids.n && bids.cum[bids.n - 1] > maxcum)
		maxcum = bids.cum[bids.n - 1];
	/* Asks: best ask just above the spread line. */
	int mid = r->y + 1 + rows;
	struct own_prices own_asks = {0}, own_bids = {0};
	int64_t step = ui->book_group > 1 ? group_step(ui, b, in) : 1;
	own_collect(ui, b, SIDE_SELL, step, &own_asks);
	own_collect(ui, b, SIDE_BUY, step, &own_bids);
	for (size_t i = 0; i < asks.n; i++)
		draw_row(ui, r, mid - 1 - (int)i, b, in, SIDE_SELL, &asks.lv[i], asks.cum[i], maxcum,
			 ui->book_sel == -(int)(i + 1), &own_asks);
	for (size_t i = 0; i < bids.n; i++)
		draw_row(ui, r, mid + 1 + (int)i, b, in, SIDE_BUY, &bids.lv[i], bids.cum[i], maxcum,
			 ui->book_sel == (int)(i + 1), &own_bids);
	free(own_asks.px);
	free(own_bids.px);
	/* Spread line: spread in price and basis points, last trade. */
	term_fill(t, mid, r->x, r->w, ui_style(ui, SLOT_spread), ' ');
	if (asks.n && bids.n) {
		int64_t sp = asks.lv[0].px - bids.lv[0].px;
		char s[DEC_FMT_MAX], bps[16] = "";
		fmt_dec(s, sizeof s, book_px_dec(b, sp), in->price_dp);
		/* basis points with integer math: sp * 10000 / bid, one decimal */
		__int128 bp10 = bids.lv[0].px > 0 ? (__int128)sp * 100000 / bids.lv[0].px : 0;
		snprintf(bps, sizeof bps, "%d.%d", (int)(bp10 / 10), (int)(bp10 % 10));
		term_putf(t, mid, r->x + 1, ui_style(ui, SLOT_spread), r->w - 2, "spread %s (%s bp)", s, bps);
	}
	if (m->ticker.has & TK_LAST) {
		char last[DEC_FMT_MAX];
		fmt_dec_group(last, sizeof last, m->ticker.last, in->price_dp);
		draw_right(ui, mid, r->x, r->w - 1, ui_style(ui, SLOT_spread), last);
	}
}

static void subtitle(struct ui *ui, char *buf, size_t cap)
{
	const struct instrument *in = ui_instrument(ui);
	if (!in)
		return;
	/* Checksum failures and sequence gaps are counted where the user sees them. */
	char bad[32] = "";
	const struct market *m = state_market_peek(ui->st, ui->instr);
	if (m && (m->checksum_failures || m->seq_gaps))
		snprintf(bad, sizeof bad, "  %u bad/resynced",
			 (unsigned)(m->checksum_failures + m->seq_gaps));
	if (ui->book_group > 1)
		snprintf(buf, cap, "%s  depth %d  x%d ticks%s", in->id, ui->book_depth, ui->book_group,
			 bad);
	else
		snprintf(buf, cap, "%s  depth %d%s", in->id, ui->book_depth, bad);
}

static bool stale(struct ui *ui, int64_t now_ms)
{
	const struct market *m = state_market_peek(ui->st, ui->instr);
	const struct instrument *in = ui_instrument(ui);
	if (!m || !in)
		return false;
	enum feed_id f = in->product == PRODUCT_SPOT ? FEED_SPOT_PUBLIC : FEED_FUT_PUBLIC;
	const struct feed_status *fs = &ui->st->feeds[f];
	bool feed_down = fs->state != FEED_UP && fs->state != FEED_OFF;
	bool silent = fs->state == FEED_UP && fs->last_msg_mono_ms && now_ms - fs->last_msg_mono_ms > 10000;
	return m->stale || feed_down || silent;
}

const struct pane_def pane_book_def = {"Book", KC_BOOK, draw, subtitle, stale};
