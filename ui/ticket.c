/* ticket: the order ticket — opened from anywhere, prefilled from the
 * selection, validated beside each field on every key, previewed live
 * (core/preview), confirmed in words (twice when a fat-finger guard fires)
 * and sent with intent_place. Nothing else leaves the ticket. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"
#include "core/preview.h"
#include "ui/form.h"
#include "ui/panes.h"
#include "ui/trade_actions.h"
#include "ui/trade_int.h"
#include "ui/ui_int.h"

/* ---- preview lines ---- */

static void pct_of_rate(char *buf, size_t cap, dec_t rate)
{
	dec_t p;
	if (dec_mul(rate, dec_from_int(100), 6, DEC_HALF_EVEN, &p) < 0)
		p = dec_zero();
	trade_fmt_qty(buf, cap, p);
}

static void preview_value(struct ui *ui, struct form *f, const struct order_req *r,
                          const struct order_preview *pv)
{
	char v[DEC_FMT_MAX], fee[DEC_FMT_MAX], rate[DEC_FMT_MAX];
	if (dec_is_zero(pv->notional)) {
		form_preview(f, "Value: unknown (no price yet: no book or ticker)");
		return;
	}
	trade_fmt_money(v, sizeof v, pv->notional);
	trade_fmt_money(fee, sizeof fee, pv->fee);
	pct_of_rate(rate, sizeof rate, pv->fee_rate);
	form_preview(f, "Value %s %s   fee ~%s %s (%s %s%%)", v, pv->quote, fee, pv->quote,
	             pv->maker ? "maker" : "taker", rate);
	const struct instrument *in = state_instrument(ui->st, r->instr);
	if (pv->has_margin) {
		char m[DEC_FMT_MAX], rt[DEC_FMT_MAX], av[DEC_FMT_MAX];
		trade_fmt_money(m, sizeof m, pv->margin);
		pct_of_rate(rt, sizeof rt, pv->margin_rate);
		if (in && in->product == PRODUCT_FUTURES && ui->st->fut.valid) {
			trade_fmt_money(av, sizeof av, ui->st->fut.available_margin);
			form_preview(f, "Margin +%s %s (%s%% initial)   available %s USD", m,
			             pv->quote, rt, av);
		} else if (in && in->product == PRODUCT_FUTURES) {
			form_preview(f, "Margin +%s %s (%s%% initial)", m, pv->quote, rt);
		} else {
			form_preview(f, "Margin +%s %s (cost / %dx)", m, pv->quote, r->leverage);
		}
		return;
	}
	/* Spot cash: what the order spends and what is available. */
	const char *asset = r->side == SIDE_BUY ? pv->quote : pv->base;
	dec_t need = r->side == SIDE_BUY ? pv->notional : pv->base_qty;
	if (r->side == SIDE_BUY)
		dec_add(need, pv->fee, &need);
	const struct balance *b = state_balance(ui->st, asset);
	char n[DEC_FMT_MAX], a[DEC_FMT_MAX];
	if (r->side == SIDE_BUY)
		trade_fmt_money(n, sizeof n, need);
	else
		trade_fmt_qty(n, sizeof n, need);
	if (b) {
		if (r->side == SIDE_BUY)
			trade_fmt_money(a, sizeof a, b->available);
		else
			trade_fmt_qty(a, sizeof a, b->available);
		form_preview(f, "Spends %s %s%s   available %s %s", n, asset,
		             r->side == SIDE_BUY ? " with fee" : "", a, asset);
	} else {
		form_preview(f, "Spends %s %s%s", n, asset, r->side == SIDE_BUY ? " with fee" : "");
	}
}

static void preview_position(struct ui *ui, struct form *f, const struct order_req *r,
                             const struct order_preview *pv)
{
	const struct instrument *in = state_instrument(ui->st, r->instr);
	char a[DEC_FMT_MAX], b[DEC_FMT_MAX], e[DEC_FMT_MAX], line[96];
	if (pv->is_balance) {
		trade_fmt_qty(a, sizeof a, pv->pos_before);
		trade_fmt_qty(b, sizeof b, pv->pos_after);
		form_preview(f, "%s balance %s -> %s", pv->base, a, b);
		return;
	}
	trade_fmt_signed(a, sizeof a, pv->pos_before);
	trade_fmt_signed(b, sizeof b, pv->pos_after);
	int n = snprintf(line, sizeof line, "Position %s -> %s %s", a, b,
	                 in && in->product == PRODUCT_FUTURES ? "contracts" : pv->base);
	if (pv->has_entry && n > 0 && (size_t)n < sizeof line) {
		trade_fmt_px(e, sizeof e, in, pv->entry_after);
		n += snprintf(line + n, sizeof line - (size_t)n, "   avg entry %s", e);
	}
	if (pv->has_pnl && n > 0 && (size_t)n < sizeof line) {
		trade_fmt_money(e, sizeof e, pv->realized_pnl);
		snprintf(line + n, sizeof line - (size_t)n, "   PnL %s%s %s",
		         dec_sign(pv->realized_pnl) > 0 ? "+" : "", e, pv->quote);
	}
	form_preview(f, "%s", line);
	if (pv->has_liq) {
		trade_fmt_px(e, sizeof e, in, pv->liq_price);
		if (pv->liq_isolated) {
			trade_fmt_qty(a, sizeof a, pv->liq_leverage);
			form_preview(f, "Est. liquidation %s (isolated %sx)", e, a);
		} else {
			form_preview(f, "Est. liquidation %s (cross, from the available margin)",
			             e);
		}
	}
}

static void preview_market(struct ui *ui, struct form *f, const struct order_req *r,
                           const struct order_preview *pv)
{
	const struct instrument *in = state_instrument(ui->st, r->instr);
	char a[DEC_FMT_MAX], w[DEC_FMT_MAX], s[DEC_FMT_MAX], q[DEC_FMT_MAX];
	if (pv->has_distance) {
		dec_t d;
		dec_abs(pv->distance_pct, &d);
		dec_fmt(d, 2, a, sizeof a);
		trade_fmt_px(w, sizeof w, in, pv->ref_price);
		const char *what = order_type_has_trigger(r->type)   ? "Trigger"
		                   : r->type == OT_MARKET            ? "Worst fill"
		                   : order_type_is_trailing(r->type) ? "Est. trigger"
		                                                     : "Price";
		form_preview(f, "%s %s%% %s %s %s", what, a,
		             dec_sign(pv->distance_pct) >= 0 ? "above" : "below",
		             trigger_signal_name(pv->ref_signal), w);
	}
	if (r->type != OT_MARKET)
		return;
	if (!pv->walked) {
		form_preview(f, "Book: nothing on the %s side here; valued at %s",
		             r->side == SIDE_BUY ? "ask" : "bid",
		             trigger_signal_name(pv->ref_signal));
		return;
	}
	trade_fmt_px(a, sizeof a, in, pv->walk_avg);
	trade_fmt_px(w, sizeof w, in, pv->walk_worst);
	dec_fmt(pv->slippage_bps, 2, s, sizeof s);
	if (pv->book_fills) {
		form_preview(f, "Book: avg fill %s   worst %s   slippage %s bps", a, w, s);
	} else {
		trade_fmt_qty(q, sizeof q, pv->walk_filled);
		form_preview(f,
		             "Book holds only %s: avg %s, worst %s (%s bps); the rest fills beyond",
		             q, a, w, s);
	}
}

void trade_preview_lines(struct ui *ui, struct form *f, const struct order_req *r)
{
	struct order_preview pv;
	if (order_preview(ui->st, r, &pv) < 0)
		return;
	preview_value(ui, f, r, &pv);
	preview_position(ui, f, r, &pv);
	preview_market(ui, f, r, &pv);
}

static void ticket_preview(struct ui *ui, struct form *f, struct ticket *tk, int64_t now_ms)
{
	const struct order_req *r = &tk->req;
	if (!tk->parse_ok || dec_sign(r->qty) <= 0) {
		form_preview(f, "Enter a size to see the value, fee, margin and position.");
	} else {
		trade_preview_lines(ui, f, r);
		struct guard_limits g;
		char why[300];
		trade_limits(ui, &g);
		if (tk->chk.n == 0 && guard_check(ui->st, r, &g, why, sizeof why) > 0)
			form_preview(f, "Guard: %s", why);
	}
	if (ui->o.live && !ui_can_trade(ui, now_ms))
		form_preview(f, "LIVE, not armed: nothing will be sent until you arm.");
}

/* ---- form hooks ---- */

static void ticket_changed(struct ui *ui, struct form *f, int64_t now_ms)
{
	struct ticket *tk = f->priv;
	form_clear_errors(f);
	ticket_visibility(f, tk);
	tk->parse_ok = ticket_read(f, tk);
	order_validate(ui->st, &tk->req, &tk->chk);
	ticket_check_type(tk, &tk->chk);
	int fixes = ticket_show_problems(f, tk);
	const struct instrument *in = state_instrument(ui->st, tk->instr);
	struct field *sz = form_field(f, TF_SIZE);
	if (sz && in)
		snprintf(sz->hint, sizeof sz->hint, "%s",
		         in->product == PRODUCT_FUTURES ? "contracts"
		         : tk->req.qty_in_quote         ? in->quote
		                                        : in->base);
	struct field *fl = form_field(f, TF_TRAIL);
	if (fl)
		snprintf(fl->hint, sizeof fl->hint, "price, or %% (1.5%%)");
	if ((fl = form_field(f, TF_TRAIL_LIMIT)))
		snprintf(fl->hint, sizeof fl->hint, "price, or %% (0.5%%)");
	if ((fl = form_field(f, TF_EXPIRE)))
		snprintf(fl->hint, sizeof fl->hint, "30m, 2h, or 2025-06-01 12:00 UTC");
	if ((fl = form_field(f, TF_CLOSE_PX)))
		snprintf(fl->hint, sizeof fl->hint, "trigger (limit: the price)");
	ticket_preview(ui, f, tk, now_ms);
	if (fixes) {
		snprintf(f->status, sizeof f->status,
		         "Press r to accept the rounded value%s shown.", fixes > 1 ? "s" : "");
		return;
	}
	/* Reasons are cut short beside the field: the first one in full here. */
	for (int i = 0; i < f->n; i++) {
		if (!f->f[i].hidden && f->f[i].error[0]) {
			trade_textf(f->status, sizeof f->status, "%s: %s", f->f[i].label,
			            f->f[i].error);
			return;
		}
	}
	trade_arm_status(ui, f, now_ms);
}

static void ticket_submit(struct ui *ui, struct form *f, int64_t now_ms)
{
	struct ticket *tk = f->priv;
	tk->tried = true;
	f->warning[0] = '\0';
	ticket_changed(ui, f, now_ms);
	if (!form_field(f, TF_SIZE)->text[0])
		form_set_error(f, TF_SIZE, "enter a size");
	if (form_error_count(f) > 0 || tk->chk.n > 0 || !tk->parse_ok) {
		for (int i = 0; i < f->n; i++) {
			if (!f->f[i].hidden && f->f[i].error[0]) {
				ui_message(ui, NOTICE_WARN, "not sent: %s: %s", f->f[i].label,
				           f->f[i].error);
				break;
			}
		}
		return;
	}
	order_req_describe(ui->st, &tk->req, f->confirm, sizeof f->confirm);
	struct guard_limits g;
	char why[280];
	trade_limits(ui, &g);
	if (guard_check(ui->st, &tk->req, &g, why, sizeof why) > 0)
		snprintf(f->warning, sizeof f->warning, "GUARD: %s", why);
	trade_review(ui, f, now_ms);
}

static bool ticket_confirmed(struct ui *ui, struct form *f, int64_t now_ms)
{
	struct ticket *tk = f->priv;
	if (!trade_armed(ui, now_ms))
		return false;
	struct order_req req = tk->req;
	req.cl_id[0] = '\0';
	ui_message(ui, NOTICE_INFO, "sending: %s", f->confirm);
	struct trade_op *op = trade_op_new(ui, TRK_ORDER, f->confirm);
	struct kerr err = KERR_INIT;
	int rc = intent_place(ui->st, &req, trade_op_cb, op, &err);
	if (trade_op_start(op, rc, &err) < 0) {
		f->stage = FS_EDIT;
		return false;
	}
	return true;
}

/* r: accept every rounding the validation suggests (the user's consent). */
static bool ticket_key(struct ui *ui, struct form *f, const char *name, int64_t now_ms)
{
	if (trade_confirm_key(ui, f, name, now_ms))
		return true;
	struct ticket *tk = f->priv;
	if (f->stage != FS_EDIT || strcmp(name, "r") != 0)
		return false;
	struct order_req r = tk->req;
	order_check_apply_fixes(&tk->chk, &r);
	int n = 0;
	for (int i = 0; i < tk->chk.n; i++) {
		const struct order_problem *p = &tk->chk.p[i];
		if (!p->has_fix)
			continue;
		char b[DEC_FMT_MAX];
		dec_fmt(p->fix, -1, b, sizeof b);
		int id = ticket_field_of(f, p->field);
		if (id == TF_INSTR)
			continue;
		form_set_text(f, id, b);
		n++;
	}
	if (n)
		ui_message(ui, NOTICE_INFO, "rounded %d value%s to the instrument's grid", n,
		           n > 1 ? "s" : "");
	return n > 0;
}

/* ---- opening ---- */

static void open_ticket(struct ui *ui, const struct order_req *pre, int64_t now_ms)
{
	const struct instrument *in = state_instrument(ui->st, pre->instr);
	if (!in) {
		ui_message(ui, NOTICE_WARN, "no instrument yet: wait for the instrument list");
		return;
	}
	if (pre->instr != ui->instr)
		ui_set_instrument(ui, pre->instr);
	char title[64];
	snprintf(title, sizeof title, "Order ticket: %s", in->id);
	struct form *f = form_new(title);
	struct ticket *tk = xcalloc(1, sizeof *tk);
	tk->instr = pre->instr;
	f->priv = tk;
	f->priv_free = free;
	ticket_build(f, tk, in);
	ticket_fill(f, tk, pre);
	f->changed = ticket_changed;
	f->submit = ticket_submit;
	f->confirmed = ticket_confirmed;
	f->key = ticket_key;
	/* Start on the size when the rest is prefilled. */
	for (int i = 0; i < f->n; i++)
		if (f->f[i].id == TF_SIZE && !f->f[i].text[0])
			f->sel = i;
	form_open(ui, f, now_ms);
}

static void base_req(struct ui *ui, struct order_req *r)
{
	memset(r, 0, sizeof *r);
	r->instr = ui->instr;
	r->type = OT_LIMIT;
	const struct instrument *in = ui_instrument(ui);
	r->signal = in && in->product == PRODUCT_FUTURES ? TRIG_MARK : TRIG_LAST;
}

/* The best price on a side of the current book (false when empty). */
static bool touch(struct ui *ui, enum side s, dec_t *px)
{
	const struct market *m = state_market_peek(ui->st, ui->instr);
	struct book_level l;
	if (!m || !book_best(&m->book, s, &l))
		return false;
	*px = book_px_dec(&m->book, l.px);
	return true;
}

/* A book level picked: the opposite side trades against it (an ask buys,
 * a bid sells), as a limit order at that price. */
static bool from_book(struct ui *ui, struct order_req *r)
{
	enum side s;
	dec_t px;
	if (ui->focus != PANE_BOOK || !pane_book_selection(ui, &s, &px))
		return false;
	r->side = s == SIDE_SELL ? SIDE_BUY : SIDE_SELL;
	r->limit_price = px;
	return true;
}

/* Open order selected: a ticket like it (same side, type, prices, remaining size). */
static bool from_order(struct ui *ui, struct order_req *r)
{
	const struct order *o = ui->focus == PANE_ORDERS ? pane_orders_selection(ui) : NULL;
	if (!o || !state_instrument(ui->st, o->instr))
		return false;
	trade_req_from_order(o, r);
	r->expire_s = 0;
	if (r->tif == TIF_GTD)
		r->tif = TIF_GTC;
	return true;
}

/* Position selected: the order that closes it — opposite side, its whole
 * size, reduce-only, a limit at the mark rounded away from crossing. */
static bool from_position(struct ui *ui, struct order_req *r)
{
	const struct position *p =
	        ui->focus == PANE_POSITIONS ? pane_positions_selection(ui) : NULL;
	const struct instrument *in = p ? state_instrument(ui->st, p->instr) : NULL;
	if (!p || !in || dec_is_zero(p->size))
		return false;
	memset(r, 0, sizeof *r);
	r->instr = p->instr;
	r->type = OT_LIMIT;
	r->signal = in->product == PRODUCT_FUTURES ? TRIG_MARK : TRIG_LAST;
	r->side = dec_sign(p->size) > 0 ? SIDE_SELL : SIDE_BUY;
	dec_abs(p->size, &r->qty);
	r->reduce_only = true;
	if (in->product == PRODUCT_SPOT)
		r->leverage = dec_is_zero(p->leverage) ? 2 : (int)dec_normalize(p->leverage).m;
	dec_t mark = p->mark;
	if (dec_is_zero(mark))
		mark = order_reference_price(ui->st, p->instr, r->signal);
	if (!dec_is_zero(mark) && !dec_is_zero(in->tick))
		dec_round_step(mark, in->tick, r->side == SIDE_SELL ? DEC_CEIL : DEC_FLOOR, &mark);
	r->limit_price = mark;
	return true;
}

void ta_order_ticket(struct ui *ui, int64_t now)
{
	struct order_req r;
	base_req(ui, &r);
	if (!from_order(ui, &r) && !from_position(ui, &r) && !from_book(ui, &r)) {
		r.side = SIDE_BUY;
		touch(ui, SIDE_BUY, &r.limit_price);
	}
	open_ticket(ui, &r, now);
}

static void side_ticket(struct ui *ui, enum side side, int64_t now)
{
	struct order_req r;
	base_req(ui, &r);
	if (!from_book(ui, &r))
		touch(ui, side, &r.limit_price); /* your own side's best: rests, never crosses */
	r.side = side;
	open_ticket(ui, &r, now);
}

void ta_buy(struct ui *ui, int64_t now)
{
	side_ticket(ui, SIDE_BUY, now);
}
void ta_sell(struct ui *ui, int64_t now)
{
	side_ticket(ui, SIDE_SELL, now);
}

void ta_order_at_level(struct ui *ui, int64_t now)
{
	struct order_req r;
	base_req(ui, &r);
	if (!from_book(ui, &r)) {
		ui_message(ui, NOTICE_INFO, "select a book level first (Up/Down)");
		return;
	}
	open_ticket(ui, &r, now);
}
