/* position_actions: what the positions pane does to positions — close all
 * or part (reduce-only, market or limit), set a futures leverage preference
 * (isolated margin) with its margin impact, and switch isolated <-> cross. */
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

static const struct position *selected(struct ui *ui)
{
	const struct position *p = pane_positions_selection(ui);
	if (!p || dec_is_zero(p->size) || !state_instrument(ui->st, p->instr)) {
		ui_message(ui, NOTICE_INFO, "no position selected");
		return NULL;
	}
	return p;
}

static dec_t dabs(dec_t v)
{
	dec_t r;
	return dec_abs(v, &r) == 0 ? r : v;
}

/* ---- close ---- */

enum { CF_INFO = 1, CF_TYPE, CF_PRICE, CF_SIZE };

static const char *const close_type_names[] = {"market", "limit"};

struct close_form {
	int instr;
	bool partial;
	dec_t whole;          /* |position size| when opened */
	struct order_req req; /* the closing order as intent_close_position sends it */
	struct order_check chk;
	bool tried;
	int nfix;
};

static int close_field_of(enum order_field of)
{
	return of == OF_QTY ? CF_SIZE : of == OF_LIMIT ? CF_PRICE : CF_INFO;
}

static void close_changed(struct ui *ui, struct form *f, int64_t now_ms)
{
	struct close_form *cf = f->priv;
	form_clear_errors(f);
	const struct position *p = state_position(ui->st, cf->instr);
	const struct instrument *in = state_instrument(ui->st, cf->instr);
	struct order_req *r = &cf->req;
	memset(r, 0, sizeof *r);
	cf->nfix = 0;
	if (!p || !in || dec_is_zero(p->size)) {
		form_set_error(f, CF_INFO, "the position is closed");
		return;
	}
	r->instr = cf->instr;
	r->side = dec_sign(p->size) > 0 ? SIDE_SELL : SIDE_BUY;
	r->reduce_only = true;
	r->signal = in->product == PRODUCT_FUTURES ? TRIG_MARK : TRIG_LAST;
	if (in->product == PRODUCT_SPOT)
		r->leverage = p->leverage.m ? (int)dec_normalize(p->leverage).m : 2;
	bool limit = form_choice(f, CF_TYPE) == 1;
	form_field(f, CF_PRICE)->hidden = !limit;
	r->type = limit ? OT_LIMIT : OT_MARKET;
	if (limit)
		trade_parse_dec(f, CF_PRICE, &r->limit_price);
	r->qty = dabs(p->size);
	if (cf->partial) {
		trade_parse_dec(f, CF_SIZE, &r->qty);
		char w[DEC_FMT_MAX];
		trade_fmt_qty(w, sizeof w, dabs(p->size));
		trade_textf(form_field(f, CF_SIZE)->hint, sizeof form_field(f, CF_SIZE)->hint,
		            "of %s %s", w, in->product == PRODUCT_FUTURES ? "contracts" : in->base);
		if (dec_gt(r->qty, dabs(p->size)))
			form_set_error(f, CF_SIZE, "larger than the position (%s)", w);
	}
	order_validate(ui->st, r, &cf->chk);
	for (int i = 0; i < cf->chk.n; i++) {
		const struct order_problem *pr = &cf->chk.p[i];
		int id = close_field_of(pr->field);
		struct field *fl = form_field(f, id);
		if (!cf->tried && fl->kind == FK_TEXT && !fl->readonly && !fl->text[0])
			continue;
		if (pr->has_fix) {
			char b[DEC_FMT_MAX];
			dec_fmt(pr->fix, -1, b, sizeof b);
			form_set_error(f, id, "%s grid: press r for %s",
			               pr->field == OF_QTY ? "lot" : "tick", b);
			cf->nfix++;
		} else {
			form_set_error(f, id, "%s", pr->msg);
		}
	}
	if (dec_sign(r->qty) > 0 && (!limit || dec_sign(r->limit_price) > 0))
		trade_preview_lines(ui, f, r);
	if (cf->nfix)
		snprintf(f->status, sizeof f->status,
		         "Press r to accept the rounded value%s shown.", cf->nfix > 1 ? "s" : "");
	else
		trade_arm_status(ui, f, now_ms);
}

static void close_submit(struct ui *ui, struct form *f, int64_t now_ms)
{
	struct close_form *cf = f->priv;
	cf->tried = true;
	f->warning[0] = '\0';
	close_changed(ui, f, now_ms);
	if (cf->partial && !form_text(f, CF_SIZE)[0])
		form_set_error(f, CF_SIZE, "enter the size to close");
	if (form_error_count(f) > 0 || cf->chk.n > 0) {
		ui_message(ui, NOTICE_WARN, "not sent: fix the fields marked");
		return;
	}
	order_req_describe(ui->st, &cf->req, f->confirm, sizeof f->confirm);
	struct guard_limits g;
	char why[280];
	trade_limits(ui, &g);
	if (guard_check(ui->st, &cf->req, &g, why, sizeof why) > 0)
		snprintf(f->warning, sizeof f->warning, "GUARD: %s", why);
	trade_review(ui, f, now_ms);
}

static bool close_send(struct ui *ui, struct form *f, int64_t now_ms)
{
	struct close_form *cf = f->priv;
	if (!trade_armed(ui, now_ms))
		return false;
	ui_message(ui, NOTICE_INFO, "sending: %s", f->confirm);
	struct trade_op *op = trade_op_new(ui, TRK_ORDER, f->confirm);
	struct kerr err = KERR_INIT;
	dec_t size = cf->partial ? cf->req.qty : dec_zero(); /* zero: the whole position */
	int rc = intent_close_position(ui->st, cf->instr, size,
	                               cf->req.type == OT_LIMIT ? &cf->req.limit_price : NULL,
	                               trade_op_cb, op, &err);
	if (trade_op_start(op, rc, &err) < 0) {
		f->stage = FS_EDIT;
		return false;
	}
	return true;
}

static bool close_key(struct ui *ui, struct form *f, const char *name, int64_t now_ms)
{
	if (trade_confirm_key(ui, f, name, now_ms))
		return true;
	struct close_form *cf = f->priv;
	if (f->stage != FS_EDIT || strcmp(name, "r") != 0 || !cf->nfix)
		return false;
	for (int i = 0; i < cf->chk.n; i++) {
		const struct order_problem *pr = &cf->chk.p[i];
		int id = close_field_of(pr->field);
		if (!pr->has_fix || id == CF_INFO)
			continue;
		char b[DEC_FMT_MAX];
		dec_fmt(pr->fix, -1, b, sizeof b);
		form_set_text(f, id, b);
	}
	ui_message(ui, NOTICE_INFO, "rounded to the instrument's grid");
	return true;
}

static void open_close(struct ui *ui, bool partial, int64_t now)
{
	const struct position *p = selected(ui);
	if (!p)
		return;
	const struct instrument *in = state_instrument(ui->st, p->instr);
	char title[64], sz[DEC_FMT_MAX], en[DEC_FMT_MAX];
	snprintf(title, sizeof title, "%s: %s",
	         partial ? "Close part of a position" : "Close position", in->id);
	struct form *f = form_new(title);
	struct close_form *cf = xcalloc(1, sizeof *cf);
	cf->instr = p->instr;
	cf->partial = partial;
	cf->whole = dabs(p->size);
	f->priv = cf;
	f->priv_free = free;
	trade_fmt_signed(sz, sizeof sz, p->size);
	trade_fmt_px(en, sizeof en, in, p->entry);
	struct field *fl = form_add(f, CF_INFO, "Position", FK_TEXT);
	trade_textf(fl->text, sizeof fl->text, "%s %s @ %s", sz, in->id, en);
	fl->readonly = true;
	fl = form_add(f, CF_TYPE, "Close with", FK_CHOICE);
	fl->choices = close_type_names;
	fl->nchoices = 2;
	fl = form_add(f, CF_PRICE, "Limit price", FK_TEXT);
	dec_t mark =
	        dec_is_zero(p->mark) ? order_reference_price(ui->st, p->instr, TRIG_MARK) : p->mark;
	if (!dec_is_zero(mark) && !dec_is_zero(in->tick))
		dec_round_step(mark, in->tick, dec_sign(p->size) > 0 ? DEC_CEIL : DEC_FLOOR, &mark);
	if (!dec_is_zero(mark))
		dec_fmt(mark, -1, fl->text, sizeof fl->text);
	fl = form_add(f, CF_SIZE, "Size", FK_TEXT);
	if (!partial) {
		trade_fmt_qty(fl->text, sizeof fl->text, cf->whole);
		fl->readonly = true;
	}
	f->changed = close_changed;
	f->submit = close_submit;
	f->confirmed = close_send;
	f->key = close_key;
	f->sel = partial ? 3 : 1;
	form_open(ui, f, now);
}

void ta_close_position(struct ui *ui, int64_t now)
{
	open_close(ui, false, now);
}
void ta_close_partial(struct ui *ui, int64_t now)
{
	open_close(ui, true, now);
}

/* ---- leverage and margin mode (futures) ---- */

enum { LF_INFO = 1, LF_LEV };

struct lev_form {
	int instr;
	bool to_cross; /* margin-mode switch to cross (no leverage) */
	dec_t lev;     /* the new leverage preference */
	bool tried;
};

/* The futures instrument to act on: the selected position's, else the current one. */
static int futures_target(struct ui *ui, const struct position **pp)
{
	const struct position *p = pane_positions_selection(ui);
	*pp = NULL;
	if (p && !dec_is_zero(p->size)) {
		*pp = p;
		return p->instr;
	}
	return ui->instr;
}

/* Margin held by the position now (the exchange's figure when known). */
static dec_t margin_now(const struct instrument *in, const struct position *p, dec_t mark)
{
	if (!p)
		return dec_zero();
	if (!dec_is_zero(p->initial_margin))
		return p->initial_margin;
	return preview_initial_margin(in, p->size, mark, p->isolated, p->max_leverage);
}

/* Preview lines of a margin change: initial margin, available margin and
 * the estimated liquidation, now and after. Returns false when the account
 * could not afford it. */
static bool margin_impact(struct ui *ui, struct form *f, const struct instrument *in,
                          const struct position *p, bool isolated, dec_t lev)
{
	if (!p) {
		form_preview(f, "No open position: the setting applies to the next orders.");
		return true;
	}
	dec_t mark =
	        dec_is_zero(p->mark) ? order_reference_price(ui->st, p->instr, TRIG_MARK) : p->mark;
	dec_t now = margin_now(in, p, mark);
	dec_t after = preview_initial_margin(in, p->size, mark, isolated, lev);
	char a[DEC_FMT_MAX], b[DEC_FMT_MAX], c[DEC_FMT_MAX];
	trade_fmt_money(a, sizeof a, now);
	trade_fmt_money(b, sizeof b, after);
	dec_t diff;
	dec_sub(after, now, &diff);
	trade_fmt_money(c, sizeof c, diff);
	form_preview(f, "Initial margin %s -> %s USD (%s%s)", a, b, dec_sign(diff) > 0 ? "+" : "",
	             c);
	bool ok = true;
	if (ui->st->fut.valid) {
		dec_t av = ui->st->fut.available_margin, av2;
		dec_sub(av, diff, &av2);
		trade_fmt_money(a, sizeof a, av);
		trade_fmt_money(b, sizeof b, av2);
		form_preview(f, "Available margin %s -> %s USD", a, b);
		ok = dec_sign(av2) >= 0;
	}
	/* Cross: the available margin plus what the position holds backs it. */
	dec_t liq_now = p->liq_price, liq_after, k = dec_zero();
	bool cross_known = ui->st->fut.valid;
	if (cross_known)
		dec_add(ui->st->fut.available_margin, now, &k);
	bool iso_now = p->isolated && dec_sign(p->max_leverage) > 0;
	bool has_now = !dec_is_zero(liq_now) || ((iso_now || cross_known) &&
	                                         preview_liquidation(in, p->size, p->entry, iso_now,
	                                                             p->max_leverage, k, &liq_now));
	bool has_after = (isolated || cross_known) &&
	                 preview_liquidation(in, p->size, p->entry, isolated, lev, k, &liq_after);
	trade_fmt_px(a, sizeof a, in, liq_now);
	if (has_after)
		trade_fmt_px(b, sizeof b, in, liq_after);
	form_preview(f, "Est. liquidation %s -> %s", has_now ? a : "-", has_after ? b : "-");
	return ok;
}

static void lev_changed(struct ui *ui, struct form *f, int64_t now_ms)
{
	struct lev_form *lf = f->priv;
	form_clear_errors(f);
	const struct instrument *in = state_instrument(ui->st, lf->instr);
	const struct position *p = state_position(ui->st, lf->instr);
	if (p && dec_is_zero(p->size))
		p = NULL;
	int max = instrument_max_leverage(in);
	snprintf(form_field(f, LF_LEV)->hint, sizeof form_field(f, LF_LEV)->hint, "1 to %d", max);
	lf->lev = dec_zero();
	dec_t v;
	if (!trade_parse_dec(f, LF_LEV, &v)) {
		if (lf->tried && !form_field(f, LF_LEV)->error[0])
			form_set_error(f, LF_LEV, "enter a leverage");
		trade_arm_status(ui, f, now_ms);
		return;
	}
	if (dec_lt(v, dec_from_int(1)) || (max && dec_gt(v, dec_from_int(max)))) {
		form_set_error(f, LF_LEV, "between 1 and %d for %s", max, in->id);
		return;
	}
	lf->lev = v;
	if (!margin_impact(ui, f, in, p, true, v))
		form_set_error(f, LF_LEV, "not enough available margin for this leverage");
	trade_arm_status(ui, f, now_ms);
}

static void lev_words(struct ui *ui, struct lev_form *lf, char *buf, size_t cap)
{
	const struct instrument *in = state_instrument(ui->st, lf->instr);
	char l[DEC_FMT_MAX];
	dec_fmt_trim(lf->lev, l, sizeof l);
	if (lf->to_cross)
		snprintf(buf, cap, "SET %s to cross margin (no leverage preference)", in->id);
	else
		snprintf(buf, cap, "SET %s to isolated margin at %sx leverage", in->id, l);
}

static void lev_submit(struct ui *ui, struct form *f, int64_t now_ms)
{
	struct lev_form *lf = f->priv;
	lf->tried = true;
	f->warning[0] = '\0';
	lev_changed(ui, f, now_ms);
	if (form_error_count(f) > 0 || dec_is_zero(lf->lev)) {
		ui_message(ui, NOTICE_WARN, "not sent: fix the leverage");
		return;
	}
	lev_words(ui, lf, f->confirm, sizeof f->confirm);
	struct guard_limits g;
	char why[280];
	trade_limits(ui, &g);
	if (guard_check_leverage(&g, lf->lev, why, sizeof why) > 0)
		snprintf(f->warning, sizeof f->warning, "GUARD: %s", why);
	trade_review(ui, f, now_ms);
}

static bool lev_send(struct ui *ui, struct form *f, int64_t now_ms)
{
	struct lev_form *lf = f->priv;
	if (!trade_armed(ui, now_ms))
		return false;
	ui_message(ui, NOTICE_INFO, "sending: %s", f->confirm);
	struct trade_op *op = trade_op_new(ui, TRK_LEVERAGE, f->confirm);
	struct kerr err = KERR_INIT;
	int rc = intent_set_leverage(ui->st, lf->instr, lf->to_cross ? NULL : &lf->lev, trade_op_cb,
	                             op, &err);
	if (trade_op_start(op, rc, &err) < 0) {
		f->stage = FS_EDIT;
		return false;
	}
	return true;
}

static bool lev_key(struct ui *ui, struct form *f, const char *name, int64_t now_ms)
{
	return trade_confirm_key(ui, f, name, now_ms);
}

void ta_set_leverage(struct ui *ui, int64_t now)
{
	const struct position *p;
	int instr = futures_target(ui, &p);
	const struct instrument *in = state_instrument(ui->st, instr);
	if (!in || in->product != PRODUCT_FUTURES) {
		ui_message(ui, NOTICE_INFO,
		           "leverage preferences are for futures: select a futures position");
		return;
	}
	char title[64];
	snprintf(title, sizeof title, "Leverage: %s", in->id);
	struct form *f = form_new(title);
	struct lev_form *lf = xcalloc(1, sizeof *lf);
	lf->instr = instr;
	f->priv = lf;
	f->priv_free = free;
	struct field *fl = form_add(f, LF_INFO, "Now", FK_TEXT);
	char l[DEC_FMT_MAX];
	if (p && p->isolated && !dec_is_zero(p->max_leverage)) {
		dec_fmt_trim(p->max_leverage, l, sizeof l);
		trade_textf(fl->text, sizeof fl->text, "isolated at %sx", l);
	} else {
		snprintf(fl->text, sizeof fl->text, "%s", p ? "cross margin" : "no position");
	}
	fl->readonly = true;
	fl = form_add(f, LF_LEV, "New leverage", FK_TEXT);
	if (p && p->isolated && !dec_is_zero(p->max_leverage))
		dec_fmt_trim(p->max_leverage, fl->text, sizeof fl->text);
	f->sel = 1;
	f->changed = lev_changed;
	f->submit = lev_submit;
	f->confirmed = lev_send;
	f->key = lev_key;
	form_open(ui, f, now);
}

/* isolated -> cross clears the preference; cross -> isolated sets the
 * instrument's default: its maximum leverage (1 / the first tier's initial
 * margin), which keeps the initial margin where cross margin had it. */
void ta_toggle_margin_mode(struct ui *ui, int64_t now)
{
	const struct position *p;
	int instr = futures_target(ui, &p);
	const struct instrument *in = state_instrument(ui->st, instr);
	if (!in || in->product != PRODUCT_FUTURES || !p) {
		ui_message(ui, NOTICE_INFO, "select a futures position to switch its margin mode");
		return;
	}
	struct lev_form *lf = xcalloc(1, sizeof *lf);
	lf->instr = instr;
	lf->to_cross = p->isolated;
	if (!lf->to_cross) {
		int max = instrument_max_leverage(in);
		if (max <= 0) {
			ui_message(ui, NOTICE_WARN,
			           "%s has no margin schedule yet: try again shortly", in->id);
			free(lf);
			return;
		}
		lf->lev = dec_from_int(max);
	}
	char words[320], info[FIELD_TEXT_MAX], l[DEC_FMT_MAX];
	lev_words(ui, lf, words, sizeof words);
	dec_fmt_trim(p->max_leverage, l, sizeof l);
	if (p->isolated)
		trade_textf(info, sizeof info, "now isolated at %sx; switch to cross", l);
	else
		snprintf(info, sizeof info, "now cross; switch to isolated at %dx", (int)lf->lev.m);
	struct form *f = trade_confirm_form("Margin mode", info, words, lf, lev_send);
	margin_impact(ui, f, in, p, !lf->to_cross, lf->lev);
	struct guard_limits g;
	char why[280];
	trade_limits(ui, &g);
	if (!lf->to_cross && guard_check_leverage(&g, lf->lev, why, sizeof why) > 0)
		snprintf(f->warning, sizeof f->warning, "GUARD: %s", why);
	trade_confirm_open(ui, f, now);
}
