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
	static const char *hdr = "Market       Side Type              Size      Filled        Price      Trigger Status";
	term_put(t, r->y, r->x, ui_style(ui, SLOT_header), hdr, r->w);
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
		int x = r->x;
		x += term_put(t, y, x, base, in ? in->id : "?", 12) + 1;
		x = r->x + 13;
		term_put(t, y, x, ui_style(ui, sel ? SLOT_selection : o->side == SIDE_BUY ? SLOT_bid : SLOT_ask),
			 o->side == SIDE_BUY ? "buy" : "sell", 4);
		x += 5;
		term_put(t, y, x, base, type, 17);
		x += 17;
		draw_right(ui, y, x, 10, base, q);
		x += 11;
		draw_right(ui, y, x, 10, base, f);
		x += 11;
		draw_right(ui, y, x, 12, base, p);
		x += 13;
		draw_right(ui, y, x, 12, base, tr);
		x += 13;
		term_put(t, y, x, ui_style(ui, sel ? SLOT_selection : SLOT_dim), order_status_name(o->status),
			 r->x + r->w - x);
	}
}

static void subtitle(struct ui *ui, char *buf, size_t cap)
{
	snprintf(buf, cap, "%d open", pane_orders_count(ui));
}

const struct pane_def pane_orders_def = {"Orders", KC_ORDERS, draw, subtitle, NULL};
