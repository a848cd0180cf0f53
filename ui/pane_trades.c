/* pane_trades: the recent trades tape of the current instrument, newest first. */
#include <stdio.h>

#include "ui/ui_int.h"

static void draw(struct ui *ui, const struct rect *r)
{
	struct term *t = ui->term;
	const struct market *m = state_market_peek(ui->st, ui->instr);
	const struct instrument *in = ui_instrument(ui);
	if (!m || !in || m->trades.n == 0) {
		term_put(t, r->y, r->x, ui_style(ui, SLOT_dim), "no trades yet", r->w);
		return;
	}
	int pw = 12, qw = 11;
	term_put(t, r->y, r->x, ui_style(ui, SLOT_header), "Time", 8);
	draw_right(ui, r->y, r->x + 9, pw, ui_style(ui, SLOT_header), "Price");
	draw_right(ui, r->y, r->x + 10 + pw, qw, ui_style(ui, SLOT_header), "Size");
	int rows = r->h - 1;
	for (int i = 0; i < rows; i++) {
		const struct trade *tr = trade_ring_at(&m->trades, (unsigned)i);
		if (!tr)
			break;
		int y = r->y + 1 + i;
		char tm[16], px[DEC_FMT_MAX], q[DEC_FMT_MAX];
		fmt_time_hms(tm, sizeof tm, tr->time_ms);
		fmt_dec_group(px, sizeof px, tr->price, in->price_dp);
		fmt_qty_short(q, sizeof q, tr->qty, in->qty_dp > 4 ? 4 : in->qty_dp);
		int s = ui_style(ui, tr->side == SIDE_BUY ? SLOT_bid : SLOT_ask);
		term_put(t, y, r->x, ui_style(ui, SLOT_dim), tm, 8);
		draw_right(ui, y, r->x + 9, pw, s, px);
		draw_right(ui, y, r->x + 10 + pw, qw, ui_style(ui, SLOT_normal), q);
		if (tr->liquidation && r->w > 10 + pw + qw + 5)
			term_put(t, y, r->x + 11 + pw + qw, ui_style(ui, SLOT_warning), "liq", 3);
	}
}

static void subtitle(struct ui *ui, char *buf, size_t cap)
{
	const struct instrument *in = ui_instrument(ui);
	if (in)
		snprintf(buf, cap, "%s", in->id);
}

const struct pane_def pane_trades_def = {"Trades", KC_TRADES, draw, subtitle, NULL};
