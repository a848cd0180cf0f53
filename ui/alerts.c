/* alerts: price alerts and liquidation-distance alerts, set from the keyboard,
 * shown on the message line and rung on the terminal bell when they fire.
 * The alert form also lists the alerts that are set (preview lines and an
 * "Alerts" choice) and removes the chosen one with d or Delete. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"
#include "ui/form.h"
#include "ui/panes.h"
#include "ui/trade_actions.h"
#include "ui/ui_int.h"

enum { F_LEVEL = 1, F_LIST };

#define ALERT_TEXT_MAX 128

struct alert_form {
	int instr;
	bool liq;
	/* The alerts set (not fired), as the "Alerts" choice shows them. */
	int slot[ALERTS_MAX];
	char text[ALERTS_MAX][ALERT_TEXT_MAX];
	const char *names[ALERTS_MAX];
	int n;
};

static struct alert *free_slot(struct ui *ui)
{
	for (int i = 0; i < ALERTS_MAX; i++)
		if (!ui->alerts[i].used || ui->alerts[i].fired)
			return &ui->alerts[i];
	return NULL;
}

static dec_t last_price(struct ui *ui, int instr)
{
	const struct market *m = state_market_peek(ui->st, instr);
	if (m && (m->ticker.has & TK_LAST))
		return m->ticker.last;
	if (m && (m->ticker.has & TK_MARK))
		return m->ticker.mark;
	return dec_zero();
}

/* An alert in words: "BTC/USD price >= 61000", "PF_XBTUSD within 5% of liquidation". */
static void alert_describe(struct ui *ui, const struct alert *a, char *buf, size_t cap)
{
	const struct instrument *in = state_instrument(ui->st, a->instr);
	char lv[DEC_FMT_MAX];
	dec_fmt(a->level, -1, lv, sizeof lv);
	if (a->liq)
		snprintf(buf, cap, "%s within %s%% of liquidation", in ? in->id : "?", lv);
	else
		snprintf(buf, cap, "%s price %s %s", in ? in->id : "?", a->dir > 0 ? ">=" : "<=", lv);
}

/* Refresh the list of alerts set; the choice stays on the same alert when it can. */
static void alert_list(struct ui *ui, struct form *f)
{
	struct alert_form *af = f->priv;
	struct field *fl = form_field(f, F_LIST);
	int was = fl && fl->choice < af->n ? af->slot[fl->choice] : -1;
	af->n = 0;
	int keep = 0;
	for (int i = 0; i < ALERTS_MAX; i++) {
		const struct alert *a = &ui->alerts[i];
		if (!a->used || a->fired)
			continue;
		if (i == was)
			keep = af->n;
		af->slot[af->n] = i;
		alert_describe(ui, a, af->text[af->n], sizeof af->text[0]);
		af->names[af->n] = af->text[af->n];
		af->n++;
	}
	if (!fl)
		return;
	fl->choices = af->names;
	fl->nchoices = af->n;
	fl->choice = keep < af->n ? keep : 0;
	fl->hidden = af->n == 0;
	snprintf(fl->hint, sizeof fl->hint, "d deletes");
}

/* d or Delete on the "Alerts" field: remove the chosen alert. */
static bool alert_key(struct ui *ui, struct form *f, const char *name, int64_t now_ms)
{
	(void)now_ms;
	struct alert_form *af = f->priv;
	struct field *fl = &f->f[f->sel];
	if (f->stage != FS_EDIT || fl->id != F_LIST || af->n == 0 ||
	    (strcmp(name, "d") != 0 && strcmp(name, "Delete") != 0))
		return false;
	struct alert *a = &ui->alerts[af->slot[fl->choice]];
	char what[ALERT_TEXT_MAX];
	alert_describe(ui, a, what, sizeof what);
	memset(a, 0, sizeof *a);
	ui_message(ui, NOTICE_INFO, "alert removed: %s", what);
	alert_list(ui, f);
	if (af->n == 0)
		f->sel = 0; /* back to the level: the list is gone */
	return true;
}

static void alert_changed(struct ui *ui, struct form *f, int64_t now_ms)
{
	(void)now_ms;
	struct alert_form *af = f->priv;
	form_clear_errors(f);
	alert_list(ui, f);
	/* The alerts set, a line each (the last lines say how many more). */
	for (int i = 0; i < af->n; i++) {
		if (i == FORM_PREVIEW_LINES - 2 && af->n > FORM_PREVIEW_LINES - 1) {
			form_preview(f, "... and %d more (the Alerts field)", af->n - i);
			break;
		}
		form_preview(f, "set: %s", af->text[i]);
	}
	dec_t v;
	const char *txt = form_text(f, F_LEVEL);
	if (!txt[0])
		return;
	struct kerr err = KERR_INIT;
	if (dec_parse(txt, (size_t)-1, &v, &err) < 0) {
		form_set_error(f, F_LEVEL, "%s", err.msg);
		return;
	}
	if (dec_sign(v) <= 0)
		form_set_error(f, F_LEVEL, "must be greater than zero");
	if (af->liq && dec_gt(v, dec_from_int(100)))
		form_set_error(f, F_LEVEL, "a distance in percent, at most 100");
	if (!af->liq) {
		dec_t last = last_price(ui, af->instr);
		char l[DEC_FMT_MAX];
		if (!dec_is_zero(last)) {
			dec_fmt(last, -1, l, sizeof l);
			form_preview(f, "last %s: fires when the price %s %s", l,
				     dec_gt(v, last) ? "rises to" : "falls to", txt);
		}
	}
}

static void alert_submit(struct ui *ui, struct form *f, int64_t now_ms)
{
	(void)now_ms;
	if (!form_text(f, F_LEVEL)[0])
		form_set_error(f, F_LEVEL, "enter a value");
	if (form_error_count(f))
		return;
	struct alert_form *af = f->priv;
	struct alert *a = free_slot(ui);
	if (!a) {
		ui_message(ui, NOTICE_WARN, "too many alerts (%d)", ALERTS_MAX);
		form_close(ui);
		return;
	}
	memset(a, 0, sizeof *a);
	dec_parse(form_text(f, F_LEVEL), (size_t)-1, &a->level, NULL);
	a->used = true;
	a->instr = af->instr;
	a->liq = af->liq;
	const struct instrument *in = state_instrument(ui->st, af->instr);
	if (af->liq) {
		a->dir = -1;
		ui_message(ui, NOTICE_INFO, "alert: %s within %s%% of liquidation", in ? in->id : "?",
			   form_text(f, F_LEVEL));
	} else {
		dec_t last = last_price(ui, af->instr);
		a->dir = dec_ge(a->level, last) ? 1 : -1;
		ui_message(ui, NOTICE_INFO, "alert: %s %s %s", in ? in->id : "?", a->dir > 0 ? ">=" : "<=",
			   form_text(f, F_LEVEL));
	}
	form_close(ui);
}

static void open_alert(struct ui *ui, int instr, bool liq, int64_t now)
{
	const struct instrument *in = state_instrument(ui->st, instr);
	if (!in)
		return;
	char title[64];
	snprintf(title, sizeof title, "%s alert: %s", liq ? "Liquidation" : "Price", in->id);
	struct form *f = form_new(title);
	struct alert_form *af = xcalloc(1, sizeof *af);
	af->instr = instr;
	af->liq = liq;
	f->priv = af;
	f->priv_free = free;
	form_add(f, F_LEVEL, liq ? "Distance %" : "Price", FK_TEXT);
	form_add(f, F_LIST, "Alerts", FK_CHOICE);
	f->changed = alert_changed;
	f->submit = alert_submit;
	f->key = alert_key;
	form_open(ui, f, now);
}

void ta_alert_price(struct ui *ui, int64_t now) { open_alert(ui, ui->instr, false, now); }

void ta_alert_liq(struct ui *ui, int64_t now)
{
	const struct position *p = pane_positions_selection(ui);
	if (!p) {
		ui_message(ui, NOTICE_WARN, "select a position first");
		return;
	}
	open_alert(ui, p->instr, true, now);
}

void alerts_check(struct ui *ui)
{
	for (int i = 0; i < ALERTS_MAX; i++) {
		struct alert *a = &ui->alerts[i];
		if (!a->used || a->fired)
			continue;
		const struct instrument *in = state_instrument(ui->st, a->instr);
		if (!in)
			continue;
		char lv[DEC_FMT_MAX];
		dec_fmt(a->level, -1, lv, sizeof lv);
		if (a->liq) {
			const struct position *p = state_position(ui->st, a->instr);
			if (!p || dec_is_zero(p->liq_price) || dec_is_zero(p->mark))
				continue;
			dec_t d, pct;
			if (dec_sub(p->mark, p->liq_price, &d) < 0 || dec_abs(d, &d) < 0 ||
			    dec_mul(d, dec_from_int(100), 8, DEC_HALF_EVEN, &d) < 0 ||
			    dec_div(d, p->mark, 4, DEC_HALF_EVEN, &pct) < 0)
				continue;
			if (dec_le(pct, a->level)) {
				a->fired = true;
				ui_message(ui, NOTICE_ERROR, "ALERT %s: mark is within %s%% of liquidation", in->id, lv);
			}
			continue;
		}
		dec_t last = last_price(ui, a->instr);
		if (dec_is_zero(last))
			continue;
		if ((a->dir > 0 && dec_ge(last, a->level)) || (a->dir < 0 && dec_le(last, a->level))) {
			a->fired = true;
			ui_message(ui, NOTICE_ERROR, "ALERT %s: price %s %s", in->id, a->dir > 0 ? "reached" : "fell to", lv);
		}
	}
}
