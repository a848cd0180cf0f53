/* pane_orders: the open orders of both products — side, type, size, filled,
 * price and trigger, status. The selected order is what cancel/amend/nudge act on. */
#include <stdio.h>
#include <string.h>

#include "ui/panes.h"
#include "ui/ui_int.h"

int pane_orders_count(struct ui *ui)
{
	int n = 0;
	for (size_t i = 0; i < ui->st->norders; i++)
		if (order_status_is_open(ui->st->orders[i].status))
			n++;
	return n;
}

const struct order *pane_orders_at(struct ui *ui, int idx)
{
	int n = 0;
	for (size_t i = 0; i < ui->st->norders; i++) {
		if (!order_status_is_open(ui->st->orders[i].status))
			continue;
		if (n++ == idx)
			return &ui->st->orders[i];
	}
	return NULL;
}

const struct order *pane_orders_selection(struct ui *ui)
{
	int n = pane_orders_count(ui);
	if (n == 0)
		return NULL;
	if (ui->orders_sel >= n)
		ui->orders_sel = n - 1;
	return pane_orders_at(ui, ui->orders_sel);
}

enum { OC_MARKET, OC_SIDE, OC_TYPE, OC_SIZE, OC_FILLED, OC_PRICE, OC_TRIGGER, OC_STATUS, OC_N };

static const struct colspec ocols[OC_N] = {
	[OC_MARKET] = {"Market", 13, 0, false}, [OC_SIDE] = {"Side", 5, 0, false},
	[OC_TYPE] = {"Type", 15, 1, false},     [OC_SIZE] = {"Size", 11, 0, true},
	[OC_FILLED] = {"Filled", 11, 4, true},  [OC_PRICE] = {"Price", 13, 0, true},
	[OC_TRIGGER] = {"Trigger", 13, 2, true}, [OC_STATUS] = {"Status", 12, 3, false},
};

static void draw(struct ui *ui, const struct rect *r)
{
	struct term *t = ui->term;
	int n = pane_orders_count(ui);
	if (n == 0) {
		term_put(t, r->y, r->x, ui_style(ui, SLOT_dim), "no open orders", r->w);
		return;
	}
	if (ui->orders_sel >= n)
		ui->orders_sel = n - 1;
	int xs[OC_N];
	cols_layout(ocols, OC_N, r->w, xs);
	cols_header(ui, r->y, r->x, ocols, OC_N, xs);
	int rows = r->h - 1;
	int top = ui->orders_sel >= rows ? ui->orders_sel - rows + 1 : 0;
	for (int i = 0; i < rows && top + i < n; i++) {
		const struct order *o = pane_orders_at(ui, top + i);
		const struct instrument *in = state_instrument(ui->st, o->instr);
		int y = r->y + 1 + i;
		bool sel = top + i == ui->orders_sel && ui->focus == PANE_ORDERS;
		int base = ui_style(ui, sel ? SLOT_selection : SLOT_normal);
		term_fill(t, y, r->x, r->w, base, ' ');
		int pdp = in ? in->price_dp : 2, qdp = in ? in->qty_dp : 8;
		char q[DEC_FMT_MAX], f[DEC_FMT_MAX], p[DEC_FMT_MAX] = "", tr[DEC_FMT_MAX + 4] = "";
		fmt_qty_short(q, sizeof q, o->qty, qdp > 4 ? 4 : qdp);
		fmt_qty_short(f, sizeof f, o->filled, qdp > 4 ? 4 : qdp);
		if (order_type_has_limit(o->type))
			fmt_dec_group(p, sizeof p, o->limit_price, pdp);
		if (order_type_has_trigger(o->type) || order_type_is_trailing(o->type)) {
			if (order_type_is_trailing(o->type) && dec_is_zero(o->trigger_price)) {
				char off[DEC_FMT_MAX];
				dec_fmt_trim(o->trail_offset, off, sizeof off);
				snprintf(tr, sizeof tr, "+%s%s", off, o->trail_pct ? "%" : "");
			} else {
				fmt_dec_group(tr, sizeof tr, o->trigger_price, pdp);
			}
		}
		char type[24];
		snprintf(type, sizeof type, "%s%s%s", order_type_name(o->type), o->post_only ? " post" : "",
			 o->reduce_only ? " ro" : "");
		int side_st = ui_style(ui, sel ? SLOT_selection : o->side == SIDE_BUY ? SLOT_bid : SLOT_ask);
		cols_cell(ui, y, r->x, ocols, OC_MARKET, xs, base, in ? in->id : "?");
		cols_cell(ui, y, r->x, ocols, OC_SIDE, xs, side_st, o->side == SIDE_BUY ? "buy" : "sell");
		cols_cell(ui, y, r->x, ocols, OC_TYPE, xs, base, type);
		cols_cell(ui, y, r->x, ocols, OC_SIZE, xs, base, q);
		cols_cell(ui, y, r->x, ocols, OC_FILLED, xs, base, f);
		cols_cell(ui, y, r->x, ocols, OC_PRICE, xs, base, p);
		cols_cell(ui, y, r->x, ocols, OC_TRIGGER, xs, base, tr);
		cols_cell(ui, y, r->x, ocols, OC_STATUS, xs, ui_style(ui, sel ? SLOT_selection : SLOT_dim),
			  order_status_name(o->status));
	}
}

static void subtitle(struct ui *ui, char *buf, size_t cap)
{
	snprintf(buf, cap, "%d open", pane_orders_count(ui));
}

const struct pane_def pane_orders_def = {"Orders", KC_ORDERS, draw, subtitle, NULL};
