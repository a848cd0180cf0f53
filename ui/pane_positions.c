/* pane_positions: open positions — side, size, entry, mark, unrealized PnL,
 * liquidation price and its distance, leverage, isolated or cross. */
#include <stdio.h>
#include <string.h>

#include "ui/panes.h"
#include "ui/ui_int.h"

const struct position *pane_positions_selection(struct ui *ui)
{
	if (ui->st->npos == 0)
		return NULL;
	if (ui->positions_sel >= (int)ui->st->npos)
		ui->positions_sel = (int)ui->st->npos - 1;
	return &ui->st->pos[ui->positions_sel];
}

/* Distance from mark to liquidation, in percent of mark (one decimal). */
static bool liq_distance(const struct position *p, dec_t *pct)
{
	if (dec_is_zero(p->liq_price) || dec_is_zero(p->mark))
		return false;
	dec_t d;
	if (dec_sub(p->mark, p->liq_price, &d) < 0 || dec_abs(d, &d) < 0 ||
	    dec_mul(d, dec_from_int(100), 8, DEC_HALF_EVEN, &d) < 0)
		return false;
	return dec_div(d, p->mark, 1, DEC_HALF_EVEN, pct) == 0;
}

enum { PC_MARKET, PC_SIDE, PC_SIZE, PC_ENTRY, PC_MARK, PC_UPNL, PC_LIQ, PC_DIST, PC_LEV, PC_MODE,
       PC_N };

static const struct colspec pcols[PC_N] = {
	[PC_MARKET] = {"Market", 13, 0, false}, [PC_SIDE] = {"Side", 6, 0, false},
	[PC_SIZE] = {"Size", 10, 0, true},      [PC_ENTRY] = {"Entry", 12, 1, true},
	[PC_MARK] = {"Mark", 12, 2, true},      [PC_UPNL] = {"uPnL", 12, 0, true},
	[PC_LIQ] = {"Liq price", 12, 1, true},  [PC_DIST] = {"dist", 7, 3, true},
	[PC_LEV] = {"Lev", 6, 2, true},         [PC_MODE] = {"Mode", 9, 2, false},
};

static void draw(struct ui *ui, const struct rect *r)
{
	struct term *t = ui->term;
	if (ui->st->npos == 0) {
		term_put(t, r->y, r->x, ui_style(ui, SLOT_dim), "no open positions", r->w);
		return;
	}
	int xs[PC_N];
	cols_layout(pcols, PC_N, r->w, xs);
	cols_header(ui, r->y, r->x, pcols, PC_N, xs);
	if (ui->positions_sel >= (int)ui->st->npos)
		ui->positions_sel = (int)ui->st->npos - 1;
	for (size_t i = 0; i < ui->st->npos && (int)i < r->h - 1; i++) {
		const struct position *p = &ui->st->pos[i];
		const struct instrument *in = state_instrument(ui->st, p->instr);
		int y = r->y + 1 + (int)i;
		bool sel = (int)i == ui->positions_sel && ui->focus == PANE_POSITIONS;
		int base = ui_style(ui, sel ? SLOT_selection : SLOT_normal);
		term_fill(t, y, r->x, r->w, base, ' ');
		int pdp = in ? in->price_dp : 2, qdp = in ? in->qty_dp : 4;
		bool longp = dec_sign(p->size) > 0;
		dec_t size;
		dec_abs(p->size, &size);
		char sz[DEC_FMT_MAX], en[DEC_FMT_MAX], mk[DEC_FMT_MAX], pnl[DEC_FMT_MAX], lq[DEC_FMT_MAX] = "-",
			dist[16] = "", lev[16] = "";
		fmt_qty_short(sz, sizeof sz, size, qdp > 4 ? 4 : qdp);
		fmt_dec_group(en, sizeof en, p->entry, pdp);
		fmt_dec_group(mk, sizeof mk, p->mark, pdp);
		fmt_dec_group(pnl, sizeof pnl, p->upnl, 2);
		dec_t pct;
		if (!dec_is_zero(p->liq_price)) {
			fmt_dec_group(lq, sizeof lq, p->liq_price, pdp);
			if (liq_distance(p, &pct))
				fmt_pct(dist, sizeof dist, pct, 1, false);
		}
		dec_t lv = p->isolated ? p->max_leverage : p->leverage;
		if (!dec_is_zero(lv)) {
			dec_t l1;
			dec_rescale(lv, 1, DEC_HALF_EVEN, &l1);
			dec_fmt_trim(l1, lev, sizeof lev - 1);
			strcat(lev, "x");
		}
		int sel_or = ui_style(ui, SLOT_selection);
		cols_cell(ui, y, r->x, pcols, PC_MARKET, xs, base, in ? in->id : "?");
		cols_cell(ui, y, r->x, pcols, PC_SIDE, xs, sel ? sel_or : ui_style(ui, longp ? SLOT_bid : SLOT_ask),
			  longp ? "long" : "short");
		cols_cell(ui, y, r->x, pcols, PC_SIZE, xs, base, sz);
		cols_cell(ui, y, r->x, pcols, PC_ENTRY, xs, base, en);
		cols_cell(ui, y, r->x, pcols, PC_MARK, xs, base, mk);
		cols_cell(ui, y, r->x, pcols, PC_UPNL, xs,
			  sel ? sel_or : ui_style(ui, dec_sign(p->upnl) >= 0 ? SLOT_profit : SLOT_loss), pnl);
		cols_cell(ui, y, r->x, pcols, PC_LIQ, xs, base, lq);
		cols_cell(ui, y, r->x, pcols, PC_DIST, xs, sel ? sel_or : ui_style(ui, SLOT_warning), dist);
		cols_cell(ui, y, r->x, pcols, PC_LEV, xs, base, lev);
		cols_cell(ui, y, r->x, pcols, PC_MODE, xs, sel ? sel_or : ui_style(ui, SLOT_dim),
			  p->product == PRODUCT_SPOT ? "margin" : p->isolated ? "isolated" : "cross");
	}
}

static void subtitle(struct ui *ui, char *buf, size_t cap)
{
	/* Total unrealized PnL of futures positions (USD-settled). */
	dec_t total = dec_zero();
	for (size_t i = 0; i < ui->st->npos; i++)
		dec_add(total, ui->st->pos[i].upnl, &total);
	char s[DEC_FMT_MAX];
	fmt_dec_group(s, sizeof s, total, 2);
	snprintf(buf, cap, "%zu open  uPnL %s", ui->st->npos, s);
}

const struct pane_def pane_positions_def = {"Positions", KC_POSITIONS, draw, subtitle, NULL};
