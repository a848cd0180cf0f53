/* order_actions: what the open-orders pane does to orders — cancel (with a
 * confirmation), amend price / trigger / size in place (a form), nudge the
 * price one tick, cancel every order of an instrument or of both products. */
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

enum { AF_INFO = 1, AF_PRICE, AF_TRIG, AF_SIZE };

/* What a confirmation-only form (cancel, cancel all) sends. */
struct cancel_form {
	char order_id[ORDER_ID_MAX]; /* one order; "" for cancel-all */
	int instr;                   /* cancel-all of one instrument; -1: every instrument */
	int count[PRODUCT_COUNT];    /* cancel-all: open orders per product */
};

static void describe_order(struct ui *ui, const struct order *o, char *buf, size_t cap)
{
	struct order_req r;
	trade_req_from_order(o, &r);
	order_req_describe(ui->st, &r, buf, cap);
}

/* ---- cancel ---- */

static bool cancel_send(struct ui *ui, struct form *f, int64_t now_ms)
{
	struct cancel_form *cf = f->priv;
	if (!trade_armed(ui, now_ms))
		return false;
	struct trade_op *op = trade_op_new(ui, TRK_CANCEL, f->confirm);
	snprintf(op->order_id, sizeof op->order_id, "%s", cf->order_id);
	ui_message(ui, NOTICE_INFO, "sending: %s", f->confirm);
	struct kerr err = KERR_INIT;
	int rc = intent_cancel(ui->st, cf->order_id, trade_op_cb, op, &err);
	return trade_op_start(op, rc, &err) == 0;
}

void ta_cancel_order(struct ui *ui, int64_t now)
{
	const struct order *o = pane_orders_selection(ui);
	if (!o) {
		ui_message(ui, NOTICE_INFO, "no open order selected");
		return;
	}
	struct cancel_form *cf = xcalloc(1, sizeof *cf);
	snprintf(cf->order_id, sizeof cf->order_id, "%s", o->id);
	char d[240], c[320], info[FIELD_TEXT_MAX];
	describe_order(ui, o, d, sizeof d);
	snprintf(c, sizeof c, "CANCEL %s (id %s)", d, o->id);
	trade_textf(info, sizeof info, "order %s", o->id);
	trade_confirm_open(ui, trade_confirm_form("Cancel order", info, c, cf, cancel_send), now);
}

/* ---- cancel all ---- */

static bool cancel_all_send(struct ui *ui, struct form *f, int64_t now_ms)
{
	struct cancel_form *cf = f->priv;
	if (!trade_armed(ui, now_ms))
		return false;
	bool ok = true;
	for (int p = 0; p < PRODUCT_COUNT; p++) {
		if (!cf->count[p])
			continue;
		char what[320];
		const struct instrument *in = state_instrument(ui->st, cf->instr);
		snprintf(what, sizeof what, "CANCEL ALL %d open %s order%s%s%s", cf->count[p],
		         product_name((enum product)p), cf->count[p] == 1 ? "" : "s",
		         in ? " of " : "", in ? in->id : "");
		struct trade_op *op = trade_op_new(ui, TRK_CANCEL_ALL, what);
		ui_message(ui, NOTICE_INFO, "sending: %s", what);
		struct kerr err = KERR_INIT;
		int rc = intent_cancel_all(ui->st, (enum product)p, cf->instr, trade_op_cb, op,
		                           &err);
		ok &= trade_op_start(op, rc, &err) == 0;
	}
	return ok;
}

static void cancel_all_open(struct ui *ui, int instr, int64_t now)
{
	struct cancel_form *cf = xcalloc(1, sizeof *cf);
	cf->instr = instr;
	int total = 0;
	for (int i = 0, n = pane_orders_count(ui); i < n; i++) {
		const struct order *o = pane_orders_at(ui, i);
		if (instr >= 0 && o->instr != instr)
			continue;
		cf->count[o->product == PRODUCT_FUTURES ? PRODUCT_FUTURES : PRODUCT_SPOT]++;
		total++;
	}
	const struct instrument *in = state_instrument(ui->st, instr);
	if (total == 0) {
		ui_message(ui, NOTICE_INFO, "no open orders%s%s to cancel", in ? " in " : "",
		           in ? in->id : "");
		free(cf);
		return;
	}
	char c[320], info[FIELD_TEXT_MAX];
	if (in)
		snprintf(c, sizeof c, "CANCEL ALL %d open order%s of %s", total,
		         total == 1 ? "" : "s", in->id);
	else
		snprintf(c, sizeof c, "CANCEL ALL %d open order%s (%d spot, %d futures)", total,
		         total == 1 ? "" : "s", cf->count[PRODUCT_SPOT],
		         cf->count[PRODUCT_FUTURES]);
	snprintf(info, sizeof info, "%d open order%s will be cancelled", total,
	         total == 1 ? "" : "s");
	trade_confirm_open(ui,
	                   trade_confirm_form(in ? "Cancel all orders of this instrument"
	                                         : "Cancel all orders",
	                                      info, c, cf, cancel_all_send),
	                   now);
}

void ta_cancel_all_instrument(struct ui *ui, int64_t now)
{
	if (!ui_instrument(ui)) {
		ui_message(ui, NOTICE_INFO, "no instrument selected");
		return;
	}
	cancel_all_open(ui, ui->instr, now);
}

void ta_cancel_all(struct ui *ui, int64_t now)
{
	cancel_all_open(ui, -1, now);
}

/* ---- amend ---- */

struct amend_form {
	char order_id[ORDER_ID_MAX];
	int instr;
	struct order_req old;  /* the order as it stands (remaining size) */
	dec_t old_qty, filled; /* total size and filled part */
	struct amend_req req;  /* what changes */
	bool tried;
	bool nudge;
	int nfix;
	int fix_id[3];
	dec_t fix[3];
};

static void amend_fix(struct form *f, struct amend_form *af, int id, dec_t v, const char *grid)
{
	char b[DEC_FMT_MAX];
	dec_fmt(v, -1, b, sizeof b);
	form_set_error(f, id, "%s grid: press r for %s", grid, b);
	if (af->nfix < 3) {
		af->fix_id[af->nfix] = id;
		af->fix[af->nfix++] = v;
	}
}

/* Check one price field: positive and on the tick grid (suggest the nearest). */
static void amend_price(struct form *f, struct amend_form *af, const struct instrument *in, int id,
                        dec_t old, enum dec_round dir, bool *has, dec_t *out)
{
	*has = false;
	struct field *fl = form_field(f, id);
	if (!fl || fl->hidden)
		return;
	dec_t v;
	if (!trade_parse_dec(f, id, &v)) {
		if (!fl->error[0] && af->tried)
			form_set_error(f, id, "enter a price");
		return;
	}
	if (dec_sign(v) <= 0) {
		form_set_error(f, id, "must be greater than zero");
		return;
	}
	if (!dec_is_zero(in->tick) && !dec_is_multiple(v, in->tick)) {
		dec_t r;
		if (dec_round_step(v, in->tick, dir, &r) == 0 && dec_sign(r) > 0)
			amend_fix(f, af, id, r, "tick");
		else
			form_set_error(f, id, "not a multiple of the tick size");
		return;
	}
	*out = v;
	*has = !dec_eq(v, old);
}

static void amend_changed(struct ui *ui, struct form *f, int64_t now_ms)
{
	struct amend_form *af = f->priv;
	const struct instrument *in = state_instrument(ui->st, af->instr);
	form_clear_errors(f);
	af->nfix = 0;
	struct amend_req *a = &af->req;
	memset(a, 0, sizeof *a);
	snprintf(a->order_id, sizeof a->order_id, "%s", af->order_id);
	if (!in)
		return;
	amend_price(f, af, in, AF_PRICE, af->old.limit_price,
	            af->old.side == SIDE_BUY ? DEC_FLOOR : DEC_CEIL, &a->has_limit,
	            &a->limit_price);
	amend_price(f, af, in, AF_TRIG, af->old.trigger_price, DEC_HALF_UP, &a->has_trigger,
	            &a->trigger_price);
	dec_t q;
	if (trade_parse_dec(f, AF_SIZE, &q)) {
		if (dec_sign(q) <= 0) {
			form_set_error(f, AF_SIZE, "must be greater than zero");
		} else if (!dec_is_zero(in->lot) && !dec_is_multiple(q, in->lot)) {
			dec_t r;
			if (dec_round_step(q, in->lot, DEC_DOWN, &r) == 0 && dec_sign(r) > 0)
				amend_fix(f, af, AF_SIZE, r, "lot");
			else
				form_set_error(f, AF_SIZE, "below the lot size");
		} else if (dec_le(q, af->filled)) {
			form_set_error(f, AF_SIZE, "must be larger than the filled part");
		} else if (!dec_eq(q, af->old_qty)) {
			a->has_qty = true;
			a->qty = q;
		}
	} else if (af->tried && !form_field(f, AF_SIZE)->error[0]) {
		form_set_error(f, AF_SIZE, "enter a size");
	}
	char x[DEC_FMT_MAX], y[DEC_FMT_MAX];
	if (a->has_limit) {
		trade_fmt_px(x, sizeof x, in, af->old.limit_price);
		trade_fmt_px(y, sizeof y, in, a->limit_price);
		form_preview(f, "Price %s -> %s", x, y);
	}
	if (a->has_trigger) {
		trade_fmt_px(x, sizeof x, in, af->old.trigger_price);
		trade_fmt_px(y, sizeof y, in, a->trigger_price);
		form_preview(f, "Trigger %s -> %s", x, y);
	}
	if (a->has_qty) {
		trade_fmt_qty(x, sizeof x, af->old_qty);
		trade_fmt_qty(y, sizeof y, a->qty);
		form_preview(f, "Size %s -> %s", x, y);
	}
	struct order_req r = af->old;
	if (a->has_limit)
		r.limit_price = a->limit_price;
	if (a->has_trigger)
		r.trigger_price = a->trigger_price;
	struct order_preview pv;
	if (order_preview(ui->st, &r, &pv) == 0 && pv.has_distance) {
		dec_t d;
		dec_abs(pv.distance_pct, &d);
		dec_fmt(d, 2, x, sizeof x);
		trade_fmt_px(y, sizeof y, in, pv.ref_price);
		form_preview(f, "%s %s%% %s %s %s",
		             order_type_has_trigger(r.type) ? "Trigger" : "Price", x,
		             dec_sign(pv.distance_pct) >= 0 ? "above" : "below",
		             trigger_signal_name(pv.ref_signal), y);
	}
	if (af->nfix)
		snprintf(f->status, sizeof f->status,
		         "Press r to accept the rounded value%s shown.", af->nfix > 1 ? "s" : "");
	else
		trade_arm_status(ui, f, now_ms);
}

static void amend_words(struct ui *ui, struct amend_form *af, char *buf, size_t cap)
{
	const struct instrument *in = state_instrument(ui->st, af->instr);
	char d[200], x[DEC_FMT_MAX], y[DEC_FMT_MAX];
	order_req_describe(ui->st, &af->old, d, sizeof d);
	size_t n = (size_t)snprintf(buf, cap, "%s %s:", af->nudge ? "NUDGE" : "AMEND", d);
	const struct amend_req *a = &af->req;
	if (a->has_limit && n < cap) {
		trade_fmt_px(x, sizeof x, in, af->old.limit_price);
		trade_fmt_px(y, sizeof y, in, a->limit_price);
		n += (size_t)snprintf(buf + n, cap - n, " price %s -> %s", x, y);
	}
	if (a->has_trigger && n < cap) {
		trade_fmt_px(x, sizeof x, in, af->old.trigger_price);
		trade_fmt_px(y, sizeof y, in, a->trigger_price);
		n += (size_t)snprintf(buf + n, cap - n, " trigger %s -> %s", x, y);
	}
	if (a->has_qty && n < cap) {
		trade_fmt_qty(x, sizeof x, af->old_qty);
		trade_fmt_qty(y, sizeof y, a->qty);
		snprintf(buf + n, cap - n, " size %s -> %s", x, y);
	}
}

/* The guards judge the order as it would stand after the amend. */
static void amend_guard(struct ui *ui, struct amend_form *af, char *warning, size_t cap)
{
	struct order_req r = af->old;
	if (af->req.has_limit)
		r.limit_price = af->req.limit_price;
	if (af->req.has_trigger)
		r.trigger_price = af->req.trigger_price;
	if (af->req.has_qty)
		dec_sub(af->req.qty, af->filled, &r.qty);
	struct guard_limits g;
	char why[280];
	trade_limits(ui, &g);
	warning[0] = '\0';
	if (guard_check(ui->st, &r, &g, why, sizeof why) > 0)
		snprintf(warning, cap, "GUARD: %s", why);
}

static void amend_submit(struct ui *ui, struct form *f, int64_t now_ms)
{
	struct amend_form *af = f->priv;
	af->tried = true;
	amend_changed(ui, f, now_ms);
	if (form_error_count(f) > 0) {
		ui_message(ui, NOTICE_WARN, "not sent: fix the fields marked");
		return;
	}
	if (!af->req.has_limit && !af->req.has_trigger && !af->req.has_qty) {
		ui_message(ui, NOTICE_INFO, "nothing changed: edit the price or the size");
		return;
	}
	amend_words(ui, af, f->confirm, sizeof f->confirm);
	amend_guard(ui, af, f->warning, sizeof f->warning);
	trade_review(ui, f, now_ms);
}

static bool amend_send(struct ui *ui, struct form *f, int64_t now_ms)
{
	struct amend_form *af = f->priv;
	if (!trade_armed(ui, now_ms))
		return false;
	struct trade_op *op = trade_op_new(ui, TRK_AMEND, f->confirm);
	snprintf(op->order_id, sizeof op->order_id, "%s", af->order_id);
	op->nudge = af->nudge;
	if (af->nudge) {
		snprintf(ui->nudge_id, sizeof ui->nudge_id, "%s", af->order_id);
		ui->nudge_limit = af->req.has_limit ? af->req.limit_price : af->old.limit_price;
		ui->nudge_trigger =
		        af->req.has_trigger ? af->req.trigger_price : af->old.trigger_price;
	} else if (strcmp(ui->nudge_id, af->order_id) == 0) {
		ui->nudge_id[0] = '\0'; /* a real amend: nudges start from the order again */
	}
	ui_message(ui, NOTICE_INFO, "sending: %s", f->confirm);
	struct kerr err = KERR_INIT;
	int rc = intent_amend(ui->st, &af->req, trade_op_cb, op, &err);
	if (trade_op_start(op, rc, &err) < 0) {
		f->stage = FS_EDIT;
		return false;
	}
	return true;
}

static bool amend_key(struct ui *ui, struct form *f, const char *name, int64_t now_ms)
{
	if (trade_confirm_key(ui, f, name, now_ms))
		return true;
	struct amend_form *af = f->priv;
	if (f->stage != FS_EDIT || strcmp(name, "r") != 0 || !af->nfix)
		return false;
	for (int i = 0; i < af->nfix; i++) {
		char b[DEC_FMT_MAX];
		dec_fmt(af->fix[i], -1, b, sizeof b);
		form_set_text(f, af->fix_id[i], b);
	}
	ui_message(ui, NOTICE_INFO, "rounded to the instrument's grid");
	return true;
}

static struct form *amend_form_new(struct ui *ui, const struct order *o)
{
	const struct instrument *in = state_instrument(ui->st, o->instr);
	struct amend_form *af = xcalloc(1, sizeof *af);
	snprintf(af->order_id, sizeof af->order_id, "%s", o->id);
	af->instr = o->instr;
	trade_req_from_order(o, &af->old);
	af->old_qty = o->qty;
	af->filled = o->filled;
	char title[64];
	snprintf(title, sizeof title, "Amend order: %s", in ? in->id : "?");
	struct form *f = form_new(title);
	f->priv = af;
	f->priv_free = free;
	struct field *fl = form_add(f, AF_INFO, "Order", FK_TEXT);
	trade_textf(fl->text, sizeof fl->text, "%s %s %s", side_name(o->side),
	            order_type_name(o->type), o->id);
	fl->readonly = true;
	fl = form_add(f, AF_PRICE, "Limit price", FK_TEXT);
	fl->hidden = !order_type_has_limit(o->type);
	if (!fl->hidden)
		dec_fmt(o->limit_price, -1, fl->text, sizeof fl->text);
	fl = form_add(f, AF_TRIG, "Trigger price", FK_TEXT);
	fl->hidden = !order_type_has_trigger(o->type);
	if (!fl->hidden)
		dec_fmt(o->trigger_price, -1, fl->text, sizeof fl->text);
	fl = form_add(f, AF_SIZE, "Size", FK_TEXT);
	dec_fmt(o->qty, -1, fl->text, sizeof fl->text);
	if (!dec_is_zero(o->filled)) {
		char b[DEC_FMT_MAX];
		dec_fmt_trim(o->filled, b, sizeof b);
		snprintf(fl->hint, sizeof fl->hint, "total; %s filled", b);
	}
	f->changed = amend_changed;
	f->submit = amend_submit;
	f->confirmed = amend_send;
	f->key = amend_key;
	f->sel = 1;
	return f;
}

void ta_amend_order(struct ui *ui, int64_t now)
{
	const struct order *o = pane_orders_selection(ui);
	if (!o) {
		ui_message(ui, NOTICE_INFO, "no open order selected");
		return;
	}
	if (o->type == OT_MARKET || order_type_is_trailing(o->type)) {
		ui_message(ui, NOTICE_INFO,
		           "%s orders cannot be amended: cancel and place a new one",
		           order_type_name(o->type));
		return;
	}
	form_open(ui, amend_form_new(ui, o), now);
}

/* ---- nudge ---- */

/* One tick up or down: the limit price, the trigger for stop / take-profit
 * market orders, both for stop-limit / take-profit-limit (the gap stays).
 * Repeats build on the last nudge sent, before the exchange echoes it. */
static void nudge(struct ui *ui, int dir, int64_t now)
{
	const struct order *o = pane_orders_selection(ui);
	if (!o) {
		ui_message(ui, NOTICE_INFO, "no open order selected");
		return;
	}
	const struct instrument *in = state_instrument(ui->st, o->instr);
	if (!in || dec_sign(in->tick) <= 0 || o->type == OT_MARKET ||
	    order_type_is_trailing(o->type)) {
		ui_message(ui, NOTICE_INFO, "%s orders have no price to nudge",
		           order_type_name(o->type));
		return;
	}
	bool again = strcmp(ui->nudge_id, o->id) == 0;
	dec_t lim = again ? ui->nudge_limit : o->limit_price;
	dec_t trg = again ? ui->nudge_trigger : o->trigger_price;
	struct form *f = amend_form_new(ui, o);
	struct amend_form *af = f->priv;
	af->nudge = true;
	af->req = (struct amend_req){0};
	snprintf(af->req.order_id, sizeof af->req.order_id, "%s", o->id);
	bool ok = true;
	if (order_type_has_limit(o->type)) {
		af->req.has_limit = true;
		ok &= (dir > 0 ? dec_add : dec_sub)(lim, in->tick, &af->req.limit_price) == 0 &&
		      dec_sign(af->req.limit_price) > 0;
	}
	if (order_type_has_trigger(o->type)) {
		af->req.has_trigger = true;
		ok &= (dir > 0 ? dec_add : dec_sub)(trg, in->tick, &af->req.trigger_price) == 0 &&
		      dec_sign(af->req.trigger_price) > 0;
	}
	if (!ok) {
		ui_message(ui, NOTICE_INFO, "cannot nudge below one tick");
		form_free(f);
		return;
	}
	/* The old prices the words show are the ones this nudge starts from. */
	af->old.limit_price = lim;
	af->old.trigger_price = trg;
	amend_words(ui, af, f->confirm, sizeof f->confirm);
	amend_guard(ui, af, f->warning, sizeof f->warning);
	if (f->warning[0]) {
		/* A guard is never skipped: the amend form asks twice. */
		if (af->req.has_limit)
			dec_fmt(af->req.limit_price, -1, form_field(f, AF_PRICE)->text,
			        FIELD_TEXT_MAX);
		if (af->req.has_trigger)
			dec_fmt(af->req.trigger_price, -1, form_field(f, AF_TRIG)->text,
			        FIELD_TEXT_MAX);
		form_open(ui, f, now);
		f->stage = FS_CONFIRM;
		return;
	}
	/* Paper, or live and armed: no confirmation for one tick. */
	amend_send(ui, f, now);
	form_free(f);
}

void ta_nudge_up(struct ui *ui, int64_t now)
{
	nudge(ui, 1, now);
}
void ta_nudge_down(struct ui *ui, int64_t now)
{
	nudge(ui, -1, now);
}
