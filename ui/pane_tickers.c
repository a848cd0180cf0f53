/* pane_tickers: the watchlist across spot and futures — last, 24h change,
 * volume, bid/ask, mark, index, funding rate and open interest; sortable and
 * filterable. Columns appear as the pane gets wider. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ui/ui_int.h"

#define ROWS_MAX 512

struct row {
	int instr;
	const struct ticker *t;
};

/* 24h change in percent: the feed's value, or derived from the open. */
static bool change_of(const struct ticker *t, dec_t *out)
{
	if (t->has & TK_CHANGE) {
		*out = t->change_pct;
		return true;
	}
	if ((t->has & TK_LAST) && !dec_is_zero(t->open24h)) {
		dec_t d;
		if (dec_sub(t->last, t->open24h, &d) == 0 &&
		    dec_mul(d, dec_from_int(100), 8, DEC_HALF_EVEN, &d) == 0 &&
		    dec_div(d, t->open24h, 2, DEC_HALF_EVEN, out) == 0)
			return true;
	}
	return false;
}

static int cmp_rows(const void *a, const void *b, void *arg)
{
	const struct row *x = a, *y = b;
	const struct ui *ui = arg;
	int c = 0;
	dec_t vx = dec_zero(), vy = dec_zero();
	switch (ui->tickers_sort) {
	case TS_NAME:
		c = strcmp(ui->st->instr[x->instr].id, ui->st->instr[y->instr].id);
		break;
	case TS_CHANGE:
		change_of(x->t, &vx);
		change_of(y->t, &vy);
		c = -dec_cmp(vx, vy);
		break;
	case TS_VOLUME: {
		/* Quote volume: volume x last, so markets compare. */
		dec_mul(x->t->volume, x->t->last, 2, DEC_DOWN, &vx);
		dec_mul(y->t->volume, y->t->last, 2, DEC_DOWN, &vy);
		c = -dec_cmp(vx, vy);
		break;
	}
	case TS_FUNDING:
		c = -dec_cmp(x->t->rel_funding_rate, y->t->rel_funding_rate);
		break;
	case TS_COUNT:
		break;
	}
	if (ui->tickers_desc)
		c = -c;
	return c ? c : x->instr - y->instr;
}

static int collect(struct ui *ui, struct row *rows)
{
	int n = 0;
	for (size_t i = 0; i < ui->st->ninstr && n < ROWS_MAX; i++) {
		const struct market *m = state_market_peek(ui->st, (int)i);
		const struct instrument *in = &ui->st->instr[i];
		if (!m || !m->ticker.has)
			continue;
		if (strcmp(ui->tickers_filter, "spot") == 0 && in->product != PRODUCT_SPOT)
			continue;
		if (strcmp(ui->tickers_filter, "futures") == 0 && in->product != PRODUCT_FUTURES)
			continue;
		rows[n].instr = (int)i;
		rows[n].t = &m->ticker;
		n++;
	}
	qsort_r(rows, (size_t)n, sizeof *rows, cmp_rows, ui);
	return n;
}

void tickers_select_current(struct ui *ui);
void tickers_select_current(struct ui *ui)
{
	struct row rows[ROWS_MAX];
	int n = collect(ui, rows);
	if (ui->tickers_sel < n) {
		ui_set_instrument(ui, rows[ui->tickers_sel].instr);
		ui->instr_chosen = true;
	}
}

struct col {
	const char *name;
	int w;
	int min_width; /* pane width needed before the column shows */
};

static const struct col cols[] = {
	{"Market", 14, 0}, {"Last", 12, 0},   {"24h", 8, 0},      {"Vol", 8, 40},
	{"Bid", 12, 60},   {"Ask", 12, 72},   {"Mark", 12, 86},   {"Index", 12, 100},
	{"Fund/h", 9, 110}, {"OI", 8, 120},
};

static void draw(struct ui *ui, const struct rect *r)
{
	struct term *t = ui->term;
	struct row rows[ROWS_MAX];
	int n = collect(ui, rows);
	if (n == 0) {
		term_put(t, r->y, r->x, ui_style(ui, SLOT_dim), "waiting for tickers...", r->w);
		return;
	}
	if (ui->tickers_sel >= n)
		ui->tickers_sel = n - 1;
	int x = r->x;
	int ncols = 0;
	for (size_t c = 0; c < sizeof cols / sizeof cols[0]; c++) {
		if (r->w < cols[c].min_width || x + cols[c].w > r->x + r->w)
			break;
		if (c == 0)
			term_put(t, r->y, x, ui_style(ui, SLOT_header), cols[c].name, cols[c].w);
		else
			draw_right(ui, r->y, x, cols[c].w - 1, ui_style(ui, SLOT_header), cols[c].name);
		x += cols[c].w;
		ncols++;
	}
	int vis = r->h - 1;
	if (ui->tickers_sel < ui->tickers_top)
		ui->tickers_top = ui->tickers_sel;
	if (ui->tickers_sel >= ui->tickers_top + vis)
		ui->tickers_top = ui->tickers_sel - vis + 1;
	for (int i = 0; i < vis && ui->tickers_top + i < n; i++) {
		int ri = ui->tickers_top + i;
		const struct instrument *in = &ui->st->instr[rows[ri].instr];
		const struct ticker *tk = rows[ri].t;
		int y = r->y + 1 + i;
		bool sel = ri == ui->tickers_sel && ui->focus == PANE_TICKERS;
		bool cur = rows[ri].instr == ui->instr;
		int base = ui_style(ui, sel ? SLOT_selection : SLOT_normal);
		term_fill(t, y, r->x, r->w, base, ' ');
		x = r->x;
		for (int c = 0; c < ncols; c++) {
			char v[DEC_FMT_MAX] = "";
			int st = base;
			dec_t ch;
			switch (c) {
			case 0:
				term_putf(t, y, x, ui_style(ui, sel ? SLOT_selection : cur ? SLOT_title : SLOT_normal),
					  cols[c].w, "%s%s", cur ? ">" : " ", in->id);
				x += cols[c].w;
				continue;
			case 1: fmt_dec_group(v, sizeof v, tk->last, in->price_dp); break;
			case 2:
				if (change_of(tk, &ch)) {
					fmt_pct(v, sizeof v, ch, 2, true);
					if (!sel)
						st = ui_style(ui, dec_sign(ch) >= 0 ? SLOT_up : SLOT_down);
				}
				break;
			case 3: fmt_qty_short(v, sizeof v, tk->volume, 2); break;
			case 4: if ((tk->has & TK_BBO) && dec_sign(tk->bid) > 0) fmt_dec_group(v, sizeof v, tk->bid, in->price_dp); break;
			case 5: if ((tk->has & TK_BBO) && dec_sign(tk->ask) > 0) fmt_dec_group(v, sizeof v, tk->ask, in->price_dp); break;
			case 6: if (tk->has & TK_MARK) fmt_dec_group(v, sizeof v, tk->mark, in->price_dp); break;
			case 7: if (tk->has & TK_INDEX) fmt_dec_group(v, sizeof v, tk->index, in->price_dp); break;
			case 8:
				if (tk->has & TK_FUNDING) {
					dec_t p;
					if (dec_mul(tk->rel_funding_rate, dec_from_int(100), 8, DEC_HALF_EVEN, &p) == 0)
						fmt_pct(v, sizeof v, p, 4, true);
				}
				break;
			case 9: if (tk->has & TK_OI) fmt_qty_short(v, sizeof v, tk->open_interest, 0); break;
			}
			draw_right(ui, y, x, cols[c].w - 1, st, v);
			x += cols[c].w;
		}
	}
}

static void subtitle(struct ui *ui, char *buf, size_t cap)
{
	static const char *const names[] = {"name", "change", "volume", "funding"};
	snprintf(buf, cap, "%s  by %s%s", ui->tickers_filter[0] ? ui->tickers_filter : "all",
		 names[ui->tickers_sort], ui->tickers_desc ? " (rev)" : "");
}

const struct pane_def pane_tickers_def = {"Watchlist", KC_TICKERS, draw, subtitle, NULL};
