/* trade_actions: what the trading forms share — intents in flight and their
 * results on the message line and in the journal, the arming gate, the
 * confirmation policy, the guard limits, parsing and formatting helpers. */
#include "ui/trade_actions.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "base/xalloc.h"
#include "ui/form.h"
#include "ui/trade_int.h"
#include "ui/ui_int.h"

static const char *const kind_noun[] = {
        [TRK_ORDER] = "order", [TRK_CANCEL] = "cancel",          [TRK_CANCEL_ALL] = "cancel-all",
        [TRK_AMEND] = "amend", [TRK_LEVERAGE] = "margin change", [TRK_TRANSFER] = "transfer",
};

void trade_journal(struct ui *ui, const char *kind, const char *text)
{
	if (ui && ui->o.hooks.journal)
		ui->o.hooks.journal(ui->o.hooks.ctx, kind, text);
}

struct trade_op *trade_op_new(struct ui *ui, enum trade_kind kind, const char *what)
{
	struct trade_op *op = xcalloc(1, sizeof *op);
	op->ui = ui;
	op->kind = kind;
	snprintf(op->what, sizeof op->what, "%s", what);
	op->next = ui->trade_ops;
	ui->trade_ops = op;
	trade_journal(ui, "intent", what);
	return op;
}

static void op_free(struct trade_op *op)
{
	if (op->ui) {
		for (struct trade_op **pp = &op->ui->trade_ops; *pp; pp = &(*pp)->next) {
			if (*pp == op) {
				*pp = op->next;
				break;
			}
		}
	}
	free(op);
}

void trade_ui_detach(struct ui *ui)
{
	for (struct trade_op *op = ui->trade_ops; op; op = op->next)
		op->ui = NULL;
	ui->trade_ops = NULL;
}

/* A failed nudge: the next one starts again from the order as the exchange has it. */
static void forget_nudge(struct ui *ui, const struct trade_op *op)
{
	if (op->nudge && strcmp(ui->nudge_id, op->order_id) == 0)
		ui->nudge_id[0] = '\0';
}

void trade_op_cb(void *arg, const struct intent_result *res)
{
	struct trade_op *op = arg;
	struct ui *ui = op->ui;
	if (!ui) {
		op_free(op);
		return;
	}
	const char *noun = kind_noun[op->kind];
	const char *why = res->message[0] ? res->message
	                  : res->code[0]  ? res->code
	                                  : "no reason given";
	char j[1024];
	if (res->status == INTENT_OK) {
		switch (op->kind) {
		case TRK_ORDER:
			ui_message(ui, NOTICE_INFO, "placed (id %s): %s", res->order_id, op->what);
			snprintf(j, sizeof j, "%s | id %s", op->what, res->order_id);
			break;
		case TRK_CANCEL_ALL:
			ui_message(ui, NOTICE_INFO, "cancelled %d order%s", res->count,
			           res->count == 1 ? "" : "s");
			snprintf(j, sizeof j, "%s | %d cancelled", op->what, res->count);
			break;
		case TRK_TRANSFER:
			ui_message(ui, NOTICE_INFO, "transferred (ref %s): %s",
			           res->ref[0] ? res->ref : "-", op->what);
			snprintf(j, sizeof j, "%s | ref %s", op->what, res->ref);
			break;
		default:
			ui_message(ui, NOTICE_INFO, "done: %s", op->what);
			snprintf(j, sizeof j, "%s%s%s", op->what, res->order_id[0] ? " | id " : "",
			         res->order_id);
			break;
		}
		trade_journal(ui, "ack", j);
	} else {
		forget_nudge(ui, op);
		const char *how = res->status == INTENT_REJECTED ? "rejected"
		                  : res->status == INTENT_FAILED ? "failed, nothing happened"
		                                                 : "outcome unknown";
		ui_message(ui, res->status == INTENT_UNKNOWN ? NOTICE_WARN : NOTICE_ERROR,
		           "%s %s: %s", noun, how, why);
		snprintf(j, sizeof j, "%s | %s%s%s", op->what, res->code, res->code[0] ? ": " : "",
		         why);
		trade_journal(ui, res->status == INTENT_UNKNOWN ? "unknown" : "reject", j);
	}
	op_free(op);
}

int trade_op_start(struct trade_op *op, int rc, const struct kerr *err)
{
	if (rc >= 0)
		return rc;
	struct ui *ui = op->ui;
	const char *why = err && err->msg[0] ? err->msg : "refused";
	if (ui) {
		forget_nudge(ui, op);
		ui_message(ui, NOTICE_ERROR, "%s not sent: %s", kind_noun[op->kind], why);
		char j[1024];
		snprintf(j, sizeof j, "%s | not sent: %s", op->what, why);
		trade_journal(ui, "reject", j);
	}
	op_free(op);
	return rc;
}

bool trade_armed(struct ui *ui, int64_t now_ms)
{
	if (ui_can_trade(ui, now_ms))
		return true;
	char keys[64];
	keymap_keys_for(&ui->km, KC_GLOBAL, "arm", keys, sizeof keys);
	ui_message(ui, NOTICE_WARN, "LIVE and not armed: nothing was sent (arm with %s)",
	           keys[0] ? keys : "the arm action");
	return false;
}

bool trade_confirm_wanted(const struct ui *ui)
{
	return ui->o.live || ui->o.confirm;
}

void trade_limits(struct ui *ui, struct guard_limits *g)
{
	struct kerr err = KERR_INIT;
	if (guard_limits_parse(g, ui->o.max_notional, ui->o.max_distance_pct, ui->o.max_leverage,
	                       &err) < 0) {
		LOGW("fat-finger guards: %s", err.msg);
		/* Keep whatever parsed; a bad value switches only that guard off. */
		struct guard_limits one;
		memset(g, 0, sizeof *g);
		if (guard_limits_parse(&one, ui->o.max_notional, NULL, 0, NULL) == 0)
			g->max_notional = one.max_notional;
		if (guard_limits_parse(&one, NULL, ui->o.max_distance_pct, 0, NULL) == 0)
			g->max_distance_pct = one.max_distance_pct;
		g->max_leverage = ui->o.max_leverage > 0 ? ui->o.max_leverage : 0;
	}
}

bool trade_confirm_key(struct ui *ui, struct form *f, const char *name, int64_t now_ms)
{
	if (f->stage == FS_EDIT || !ui->o.live)
		return false;
	const char *a = keymap_action(&ui->km, KC_GLOBAL, name);
	if (!a || strcmp(a, "arm") != 0 || strcmp(name, "y") == 0 || strcmp(name, "n") == 0)
		return false;
	const struct action *act = action_find("arm");
	if (act)
		act->run(ui, now_ms);
	return true;
}

void trade_arm_status(struct ui *ui, struct form *f, int64_t now_ms)
{
	if (!ui->o.live || ui_can_trade(ui, now_ms))
		return;
	char keys[64];
	keymap_keys_for(&ui->km, KC_GLOBAL, "arm", keys, sizeof keys);
	snprintf(f->status, sizeof f->status,
	         "LIVE, not armed: nothing will be sent. Press %s in the confirmation to arm.",
	         keys[0] ? keys : "the arm key");
}

void trade_review(struct ui *ui, struct form *f, int64_t now_ms)
{
	if (trade_confirm_wanted(ui)) {
		f->stage = FS_CONFIRM;
		return;
	}
	if (f->warning[0]) {
		f->stage = FS_CONFIRM2; /* the first confirmation is off; a guard never is */
		return;
	}
	if (f->confirmed && f->confirmed(ui, f, now_ms))
		form_close(ui);
}

static bool confirm_only_key(struct ui *ui, struct form *f, const char *name, int64_t now_ms)
{
	return trade_confirm_key(ui, f, name, now_ms);
}

/* Enter after backing out of a confirmation-only form: confirm again. */
static void confirm_only_submit(struct ui *ui, struct form *f, int64_t now_ms)
{
	(void)ui;
	(void)now_ms;
	f->stage = f->warning[0] && !trade_confirm_wanted(ui) ? FS_CONFIRM2 : FS_CONFIRM;
}

struct form *trade_confirm_form(const char *title, const char *info, const char *confirm,
                                void *priv, bool (*send)(struct ui *, struct form *, int64_t))
{
	struct form *f = form_new(title);
	struct field *fl = form_add(f, 1, "", FK_TEXT);
	snprintf(fl->text, sizeof fl->text, "%s", info);
	fl->readonly = true;
	f->priv = priv;
	f->priv_free = free;
	snprintf(f->confirm, sizeof f->confirm, "%s", confirm);
	f->submit = confirm_only_submit;
	f->confirmed = send;
	f->key = confirm_only_key;
	return f;
}

void trade_confirm_open(struct ui *ui, struct form *f, int64_t now_ms)
{
	if (!trade_confirm_wanted(ui) && !f->warning[0]) {
		f->confirmed(ui, f, now_ms);
		form_free(f);
		return;
	}
	form_open(ui, f, now_ms);
	trade_arm_status(ui, f, now_ms);
	f->stage = f->warning[0] && !trade_confirm_wanted(ui) ? FS_CONFIRM2 : FS_CONFIRM;
}

void trade_req_from_order(const struct order *o, struct order_req *req)
{
	memset(req, 0, sizeof *req);
	req->instr = o->instr;
	req->side = o->side;
	req->type = o->type;
	dec_sub(o->qty, o->filled, &req->qty);
	if (dec_sign(req->qty) <= 0)
		req->qty = o->qty;
	req->limit_price = o->limit_price;
	req->trigger_price = o->trigger_price;
	req->signal = o->signal;
	req->trail_offset = o->trail_offset;
	req->trail_pct = o->trail_pct;
	req->display_qty = o->display_qty;
	req->post_only = o->post_only;
	req->reduce_only = o->reduce_only;
	req->tif = o->tif;
	req->expire_s = o->expire_ms / 1000;
	req->leverage = o->leverage;
}

bool trade_parse_dec(struct form *f, int id, dec_t *out)
{
	*out = dec_zero();
	const char *t = form_text(f, id);
	if (!t[0])
		return false;
	struct kerr err = KERR_INIT;
	if (dec_parse(t, (size_t)-1, out, &err) < 0) {
		form_set_error(f, id, "%s", err.msg);
		*out = dec_zero();
		return false;
	}
	return true;
}

void trade_fmt_px(char *buf, size_t cap, const struct instrument *in, dec_t v)
{
	int dp = in ? in->price_dp : -1;
	if (dp >= 0 && v.s > dp)
		dp = v.s; /* never hide digits the user typed */
	dec_fmt_group(v, dp, buf, cap);
}

void trade_textf(char *buf, size_t cap, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, cap, fmt, ap);
	va_end(ap);
}

void trade_fmt_money(char *buf, size_t cap, dec_t v)
{
	dec_fmt_group(v, 2, buf, cap);
}

void trade_fmt_qty(char *buf, size_t cap, dec_t v)
{
	char t[DEC_FMT_MAX];
	dec_fmt_trim(v, t, sizeof t);
	snprintf(buf, cap, "%s", t);
}

void trade_fmt_signed(char *buf, size_t cap, dec_t v)
{
	char t[DEC_FMT_MAX];
	dec_fmt_trim(v, t, sizeof t);
	snprintf(buf, cap, "%s%s", dec_sign(v) > 0 ? "+" : "", t);
}
