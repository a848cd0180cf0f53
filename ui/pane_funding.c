/* pane_funding: current and predicted funding per perpetual, the countdown to
 * the next funding, funding paid or received per position and in total, the
 * funding-rate history of one perpetual (the current instrument, else the
 * selected row) and the history of funding payments from the account log. */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "base/clock.h"
#include "ui/ui_int.h"

static bool is_funding(const struct account_log_entry *e)
{
	return !dec_is_zero(e->realized_funding) || strstr(e->info, "funding") != NULL;
}

/* Sum of realized funding for an instrument id ("" = all). */
static dec_t realized(struct ui *ui, const char *instr)
{
	dec_t sum = dec_zero();
	for (unsigned i = 0; i < ui->st->nalog; i++) {
		const struct account_log_entry *e = state_account_log_at(ui->st, i);
		if (is_funding(e) && (!instr[0] || strcasecmp(e->instrument, instr) == 0))
			dec_add(sum, e->realized_funding, &sum);
	}
	return sum;
}

/* A right-aligned column at offset x of width w, only when the pane has room
 * for all of it (a column cut in half would be drawn over the border). */
static void cell(struct ui *ui, const struct rect *r, int y, int x, int w, enum theme_slot s,
		 const char *text)
{
	if (x + w <= r->w)
		draw_right(ui, y, r->x + x, w, ui_style(ui, s), text);
}

/* The perpetual whose rate history is shown: the current instrument when it
 * is one, else the selected row of the table (rows[] holds their indexes). */
static int history_instr(struct ui *ui, const int *rows, int nrows)
{
	const struct instrument *cur = ui_instrument(ui);
	if (cur && instrument_is_perp(cur))
		return ui->instr;
	if (nrows == 0)
		return -1;
	if (ui->funding_sel >= nrows)
		ui->funding_sel = nrows - 1;
	return rows[ui->funding_sel];
}

/* The funding-rate history of a perpetual, newest first, packed as many
 * "HH:MM +0.0012%" entries to a line as fit, on at most maxlines lines.
 * Returns the lines used. */
static int draw_rate_history(struct ui *ui, const struct rect *r, int y, int instr, int maxlines)
{
	struct term *t = ui->term;
	const struct instrument *in = state_instrument(ui->st, instr);
	if (!in || maxlines < 1)
		return 0;
	/* Read without state_funding(): that would allocate a history to look at. */
	const struct funding_history *h = ui->st->funding ? ui->st->funding[instr] : NULL;
	if (!h || h->n == 0) {
		term_putf(t, y, r->x, ui_style(ui, SLOT_dim), r->w,
			  "Rate history %s: not fetched", in->id);
		return 1;
	}
	term_putf(t, y, r->x, ui_style(ui, SLOT_header), r->w, "Rate history %s (%u, newest first)",
		  in->id, h->n);
	enum { ENTRY_W = 17 };
	int per = r->w / ENTRY_W > 0 ? r->w / ENTRY_W : 1;
	int lines = 1;
	unsigned k = h->n;
	for (int l = 0; l < maxlines - 1 && k > 0; l++, lines++)
		for (int c = 0; c < per && k > 0; c++) {
			const struct funding_rate *fr = &h->r[--k];
			char tm[16], rate[24];
			dec_t p;
			fmt_time_hms(tm, sizeof tm, fr->time_ms);
			tm[5] = '\0'; /* hourly: HH:MM */
			if (dec_mul(fr->relative_rate, dec_from_int(100), 8, DEC_HALF_EVEN, &p) < 0)
				p = dec_zero();
			fmt_pct(rate, sizeof rate, p, 4, true);
			term_putf(t, y + 1 + l, r->x + c * ENTRY_W,
				  ui_style(ui, dec_sign(p) >= 0 ? SLOT_up : SLOT_down), ENTRY_W - 1,
				  "%s %s", tm, rate);
		}
	return lines;
}

static void draw(struct ui *ui, const struct rect *r)
{
	struct term *t = ui->term;
	int64_t now = (int64_t)kt_wall_ms();
	int y = r->y, bottom = r->y + r->h;
	term_put(t, y++, r->x, ui_style(ui, SLOT_header),
		 "Perpetual      Rate/h   Predicted   Next    Pos funding   Received", r->w);
	int rows[64], nrows = 0;
	for (size_t i = 0; i < ui->st->ninstr && nrows < 64; i++) {
		const struct market *m = state_market_peek(ui->st, (int)i);
		if (instrument_is_perp(&ui->st->instr[i]) && m && (m->ticker.has & TK_FUNDING))
			rows[nrows++] = (int)i;
	}
	int hist = history_instr(ui, rows, nrows);
	for (int ri = 0; ri < nrows && y < bottom; ri++) {
		int i = rows[ri];
		const struct instrument *in = &ui->st->instr[i];
		const struct ticker *tk = &state_market_peek(ui->st, i)->ticker;
		char rate[24], pred[24], next[16] = "-", pf[DEC_FMT_MAX] = "", rec[DEC_FMT_MAX];
		dec_t p;
		dec_mul(tk->rel_funding_rate, dec_from_int(100), 8, DEC_HALF_EVEN, &p);
		fmt_pct(rate, sizeof rate, p, 4, true);
		dec_mul(tk->rel_funding_rate_pred, dec_from_int(100), 8, DEC_HALF_EVEN, &p);
		fmt_pct(pred, sizeof pred, p, 4, true);
		if (tk->next_funding_ms > now)
			fmt_countdown(next, sizeof next, tk->next_funding_ms - now);
		const struct position *pos = state_position(ui->st, i);
		if (pos)
			fmt_dec_group(pf, sizeof pf, pos->unrealized_funding, 2);
		dec_t rsum = realized(ui, in->id);
		fmt_dec_group(rec, sizeof rec, rsum, 2);
		bool sel = ui->focus == PANE_FUNDING && ri == ui->funding_sel;
		if (sel)
			term_fill(t, y, r->x, r->w, ui_style(ui, SLOT_selection), ' ');
		term_put(t, y, r->x, ui_style(ui, sel ? SLOT_selection : SLOT_title), in->id, 13);
		cell(ui, r, y, 13, 10, dec_sign(tk->rel_funding_rate) >= 0 ? SLOT_up : SLOT_down, rate);
		cell(ui, r, y, 24, 11, SLOT_dim, pred);
		cell(ui, r, y, 36, 7, SLOT_normal, next);
		cell(ui, r, y, 44, 13, SLOT_normal, pf);
		cell(ui, r, y, 57, 9, dec_sign(rsum) >= 0 ? SLOT_profit : SLOT_loss, rec);
		y++;
	}
	if (!nrows && y < bottom)
		term_put(t, y++, r->x, ui_style(ui, SLOT_dim), "no perpetual tickers yet", r->w);
	/* The rate history gets up to half of what is left, the payments the rest. */
	if (hist >= 0 && y + 1 < bottom) {
		int room = (bottom - y) / 2;
		y += draw_rate_history(ui, r, y, hist, room > 2 ? room : 2);
	}
	/* History of payments, newest first. */
	if (y + 1 < bottom) {
		char tot[DEC_FMT_MAX];
		fmt_dec_group(tot, sizeof tot, realized(ui, ""), 2);
		term_putf(t, y++, r->x, ui_style(ui, SLOT_header), r->w, "History (total %s)", tot);
	}
	for (unsigned i = 0; i < ui->st->nalog && y < bottom; i++) {
		const struct account_log_entry *e = state_account_log_at(ui->st, i);
		if (!is_funding(e))
			continue;
		char tm[16], amt[DEC_FMT_MAX], rt[DEC_FMT_MAX];
		fmt_time_hms(tm, sizeof tm, e->time_ms);
		fmt_dec_group(amt, sizeof amt, e->realized_funding, 4);
		dec_fmt_trim(e->funding_rate, rt, sizeof rt);
		term_putf(t, y++, r->x, ui_style(ui, dec_sign(e->realized_funding) >= 0 ? SLOT_profit : SLOT_loss),
			  r->w, "%s %-12s %12s %s  rate %s", tm, e->instrument, amt, e->asset, rt);
	}
}

static void subtitle(struct ui *ui, char *buf, size_t cap)
{
	const struct instrument *in = ui_instrument(ui);
	if (in && instrument_is_perp(in))
		snprintf(buf, cap, "rates of %s", in->id);
	else
		snprintf(buf, cap, "Up/Down: rate history");
}

const struct pane_def pane_funding_def = {"Funding", KC_FUNDING, draw, subtitle, NULL};
