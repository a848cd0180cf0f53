/* pane_funding: current and predicted funding per perpetual, the countdown to
 * the next funding, funding paid or received per position and in total, and
 * the history of funding payments from the account log. */
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

static void draw(struct ui *ui, const struct rect *r)
{
	struct term *t = ui->term;
	int64_t now = (int64_t)kt_wall_ms();
	int y = r->y;
	term_put(t, y++, r->x, ui_style(ui, SLOT_header),
		 "Perpetual      Rate/h   Predicted   Next    Pos funding   Received", r->w);
	int shown = 0;
	for (size_t i = 0; i < ui->st->ninstr && y < r->y + r->h; i++) {
		const struct instrument *in = &ui->st->instr[i];
		if (!instrument_is_perp(in))
			continue;
		const struct market *m = state_market_peek(ui->st, (int)i);
		if (!m || !(m->ticker.has & TK_FUNDING))
			continue;
		const struct ticker *tk = &m->ticker;
		char rate[24], pred[24], next[16] = "-", pf[DEC_FMT_MAX] = "", rec[DEC_FMT_MAX];
		dec_t p;
		dec_mul(tk->rel_funding_rate, dec_from_int(100), 8, DEC_HALF_EVEN, &p);
		fmt_pct(rate, sizeof rate, p, 4, true);
		dec_mul(tk->rel_funding_rate_pred, dec_from_int(100), 8, DEC_HALF_EVEN, &p);
		fmt_pct(pred, sizeof pred, p, 4, true);
		if (tk->next_funding_ms > now)
			fmt_countdown(next, sizeof next, tk->next_funding_ms - now);
		const struct position *pos = state_position(ui->st, (int)i);
		if (pos)
			fmt_dec_group(pf, sizeof pf, pos->unrealized_funding, 2);
		dec_t rsum = realized(ui, in->id);
		fmt_dec_group(rec, sizeof rec, rsum, 2);
		term_put(t, y, r->x, ui_style(ui, SLOT_title), in->id, 13);
		cell(ui, r, y, 13, 10, dec_sign(tk->rel_funding_rate) >= 0 ? SLOT_up : SLOT_down, rate);
		cell(ui, r, y, 24, 11, SLOT_dim, pred);
		cell(ui, r, y, 36, 7, SLOT_normal, next);
		cell(ui, r, y, 44, 13, SLOT_normal, pf);
		cell(ui, r, y, 57, 9, dec_sign(rsum) >= 0 ? SLOT_profit : SLOT_loss, rec);
		y++;
		shown++;
	}
	if (!shown && y < r->y + r->h)
		term_put(t, y++, r->x, ui_style(ui, SLOT_dim), "no perpetual tickers yet", r->w);
	/* History of payments, newest first. */
	if (y + 1 < r->y + r->h) {
		char tot[DEC_FMT_MAX];
		fmt_dec_group(tot, sizeof tot, realized(ui, ""), 2);
		term_putf(t, y++, r->x, ui_style(ui, SLOT_header), r->w, "History (total %s)", tot);
	}
	for (unsigned i = 0; i < ui->st->nalog && y < r->y + r->h; i++) {
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

const struct pane_def pane_funding_def = {"Funding", KC_FUNDING, draw, NULL, NULL};
