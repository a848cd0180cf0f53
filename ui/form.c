/* form: field editing, stages and drawing of keyboard forms. */
#include "ui/form.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"
#include "ui/ui_int.h"

struct form *form_new(const char *title)
{
	struct form *f = xcalloc(1, sizeof *f);
	snprintf(f->title, sizeof f->title, "%s", title);
	return f;
}

void form_free(struct form *f)
{
	if (!f)
		return;
	if (f->priv_free)
		f->priv_free(f->priv);
	free(f);
}

struct field *form_add(struct form *f, int id, const char *label, enum field_kind kind)
{
	if (f->n == FORM_FIELDS_MAX)
		return &f->f[FORM_FIELDS_MAX - 1];
	struct field *fl = &f->f[f->n++];
	memset(fl, 0, sizeof *fl);
	fl->id = id;
	fl->label = label;
	fl->kind = kind;
	return fl;
}

struct field *form_field(struct form *f, int id)
{
	for (int i = 0; i < f->n; i++)
		if (f->f[i].id == id)
			return &f->f[i];
	return NULL;
}

void form_set_text(struct form *f, int id, const char *text)
{
	struct field *fl = form_field(f, id);
	if (fl)
		snprintf(fl->text, sizeof fl->text, "%s", text);
}

const char *form_text(struct form *f, int id)
{
	struct field *fl = form_field(f, id);
	return fl ? fl->text : "";
}

int form_choice(struct form *f, int id)
{
	struct field *fl = form_field(f, id);
	return fl ? fl->choice : 0;
}

bool form_on(struct form *f, int id)
{
	struct field *fl = form_field(f, id);
	return fl && fl->on;
}

void form_clear_errors(struct form *f)
{
	for (int i = 0; i < f->n; i++) {
		f->f[i].error[0] = '\0';
		f->f[i].hint[0] = '\0';
	}
	f->npreview = 0;
	f->status[0] = '\0';
}

void form_set_error(struct form *f, int id, const char *fmt, ...)
{
	struct field *fl = form_field(f, id);
	if (!fl || fl->error[0])
		return; /* the first reason is the one shown */
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(fl->error, sizeof fl->error, fmt, ap);
	va_end(ap);
}

int form_error_count(const struct form *f)
{
	int n = 0;
	for (int i = 0; i < f->n; i++)
		if (!f->f[i].hidden && f->f[i].error[0])
			n++;
	return n;
}

void form_preview(struct form *f, const char *fmt, ...)
{
	if (f->npreview == FORM_PREVIEW_LINES)
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(f->preview[f->npreview++], sizeof f->preview[0], fmt, ap);
	va_end(ap);
}

static void changed(struct ui *ui, struct form *f, int64_t now_ms)
{
	if (f->changed)
		f->changed(ui, f, now_ms);
	/* Keep the selection on a visible, editable field. */
	for (int tries = 0; tries < f->n && (f->f[f->sel].hidden || f->f[f->sel].readonly); tries++)
		f->sel = (f->sel + 1) % f->n;
}

void form_open(struct ui *ui, struct form *f, int64_t now_ms)
{
	form_free(ui->form);
	ui->form = f;
	ui->overlay = OV_FORM;
	f->stage = FS_EDIT;
	changed(ui, f, now_ms);
	ui->dirty = true;
}

void form_close(struct ui *ui)
{
	form_free(ui->form);
	ui->form = NULL;
	ui->overlay = OV_NONE;
	ui->dirty = true;
}

static void move_sel(struct form *f, int dir)
{
	for (int tries = 0; tries < f->n; tries++) {
		f->sel = (f->sel + dir + f->n) % f->n;
		if (!f->f[f->sel].hidden && !f->f[f->sel].readonly)
			return;
	}
}

void form_next_field(struct ui *ui, int64_t now_ms)
{
	(void)now_ms;
	if (ui->form && ui->form->stage == FS_EDIT)
		move_sel(ui->form, 1);
}

void form_prev_field(struct ui *ui, int64_t now_ms)
{
	(void)now_ms;
	if (ui->form && ui->form->stage == FS_EDIT)
		move_sel(ui->form, -1);
}

void form_enter(struct ui *ui, int64_t now_ms)
{
	struct form *f = ui->form;
	if (!f)
		return;
	if (f->stage == FS_EDIT) {
		changed(ui, f, now_ms);
		if (f->submit)
			f->submit(ui, f, now_ms);
		return;
	}
	if (f->stage == FS_CONFIRM && f->warning[0]) {
		f->stage = FS_CONFIRM2; /* a fat-finger guard needs a second, explicit yes */
		return;
	}
	if (f->confirmed && f->confirmed(ui, f, now_ms))
		form_close(ui);
}

void form_escape(struct ui *ui, int64_t now_ms)
{
	(void)now_ms;
	struct form *f = ui->form;
	if (!f)
		return;
	if (f->stage != FS_EDIT) {
		f->stage = FS_EDIT; /* back out of the confirmation: nothing was sent */
		ui_message(ui, NOTICE_INFO, "not sent");
		return;
	}
	form_close(ui);
}

void form_input(struct ui *ui, struct form *f, const char *name, const char *utf8, int64_t now_ms)
{
	if (!f)
		return;
	if (f->key && f->key(ui, f, name, now_ms)) {
		changed(ui, f, now_ms);
		return;
	}
	if (f->stage != FS_EDIT) {
		/* In a confirmation only y/Enter (bound) and n/Esc mean anything. */
		if (strcmp(name, "y") == 0)
			form_enter(ui, now_ms);
		else if (strcmp(name, "n") == 0)
			form_escape(ui, now_ms);
		return;
	}
	struct field *fl = &f->f[f->sel];
	if (fl->readonly || fl->hidden)
		return;
	switch (fl->kind) {
	case FK_CHOICE:
		if (strcmp(name, "Right") == 0 || strcmp(name, "Space") == 0)
			fl->choice = (fl->choice + 1) % fl->nchoices;
		else if (strcmp(name, "Left") == 0)
			fl->choice = (fl->choice + fl->nchoices - 1) % fl->nchoices;
		else if (utf8 && utf8[0]) {
			/* Typing the first letter of a choice selects it. */
			for (int i = 1; i <= fl->nchoices; i++) {
				int c = (fl->choice + i) % fl->nchoices;
				if (fl->choices[c][0] == utf8[0]) {
					fl->choice = c;
					break;
				}
			}
		}
		break;
	case FK_BOOL:
		if (strcmp(name, "Space") == 0 || strcmp(name, "Left") == 0 ||
		    strcmp(name, "Right") == 0 || strcmp(name, "y") == 0 || strcmp(name, "n") == 0)
			fl->on = strcmp(name, "y") == 0 ? true : strcmp(name, "n") == 0 ? false : !fl->on;
		break;
	case FK_TEXT: {
		size_t len = strlen(fl->text);
		if (strcmp(name, "Backspace") == 0) {
			if (len)
				fl->text[len - 1] = '\0';
		} else if (strcmp(name, "C-u") == 0) {
			fl->text[0] = '\0';
		} else if (utf8 && utf8[0] && (unsigned char)utf8[0] >= 32 &&
			   len + strlen(utf8) < sizeof fl->text) {
			strcat(fl->text, utf8);
		}
		break;
	}
	}
	changed(ui, f, now_ms);
}

#define CONFIRM_LINES 3

/* Break text into at most CONFIRM_LINES lines of at most w bytes, at spaces
 * where possible: what will be sent is shown whole, never cut at the edge. */
static int wrap_lines(const char *text, int w, char out[CONFIRM_LINES][320])
{
	int n = 0;
	const char *p = text;
	while (*p && n < CONFIRM_LINES && w > 0) {
		int len = (int)strlen(p);
		int take = len;
		if (len > w) {
			take = w;
			for (int i = w; i > w / 2; i--) {
				if (p[i] == ' ') {
					take = i;
					break;
				}
			}
			while (take > 1 && ((unsigned char)p[take] & 0xc0) == 0x80)
				take--; /* never inside a UTF-8 sequence */
		}
		if (take > 319)
			take = 319;
		memcpy(out[n], p, (size_t)take);
		out[n++][take] = '\0';
		p += take;
		while (*p == ' ')
			p++;
	}
	return n;
}

void form_draw(struct ui *ui, struct form *f, int64_t now_ms)
{
	(void)now_ms;
	struct term *t = ui->term;
	int visible = 0;
	for (int i = 0; i < f->n; i++)
		visible += !f->f[i].hidden;
	int w = ui->w < 78 ? ui->w : 78;
	/* The words of the confirmation get the rows they need above the key line. */
	char conf[CONFIRM_LINES][320];
	int nconf = 0;
	if (f->stage != FS_EDIT)
		nconf = wrap_lines(f->stage == FS_CONFIRM ? f->confirm : f->warning, w - 4, conf);
	int crows = nconf > 1 ? nconf : 1;
	int h = visible + f->npreview + 5 + crows + (f->status[0] ? 1 : 0);
	if (h > ui->h - 2)
		h = ui->h - 2;
	int y0 = (ui->h - h) / 2, x0 = (ui->w - w) / 2;
	int by = y0 + h - 2;          /* the key line */
	int end = by - crows;         /* fields and preview stay above the confirmation */
	int nst = ui_style(ui, SLOT_normal);
	for (int y = 0; y < h; y++)
		term_fill(t, y0 + y, x0, w, nst, ' ');
	term_box(t, y0, x0, h, w, ui_style(ui, SLOT_border_focus));
	term_putf(t, y0, x0 + 2, ui_style(ui, SLOT_title_focus), w - 4, " %s ", f->title);
	int y = y0 + 1, lw = 14;
	for (int i = 0; i < f->n && y < end; i++) {
		struct field *fl = &f->f[i];
		if (fl->hidden)
			continue;
		bool sel = i == f->sel && f->stage == FS_EDIT;
		term_put(t, y, x0 + 2, ui_style(ui, sel ? SLOT_selection : SLOT_dim), fl->label, lw);
		char val[FIELD_TEXT_MAX + 8];
		switch (fl->kind) {
		case FK_CHOICE:
			snprintf(val, sizeof val, "< %s >", fl->choices[fl->choice]);
			break;
		case FK_BOOL:
			snprintf(val, sizeof val, "[%c]", fl->on ? 'x' : ' ');
			break;
		case FK_TEXT:
			snprintf(val, sizeof val, "%s%s", fl->text, sel ? "_" : "");
			break;
		}
		int vx = x0 + 2 + lw + 1;
		int n = term_put(t, y, vx, ui_style(ui, sel ? SLOT_input : fl->readonly ? SLOT_dim : SLOT_normal),
				 val, 22);
		int ex = vx + (n < 22 ? 22 : n) + 1;
		if (fl->error[0])
			term_put(t, y, ex, ui_style(ui, SLOT_input_error), fl->error, x0 + w - 2 - ex);
		else if (fl->hint[0])
			term_put(t, y, ex, ui_style(ui, SLOT_dim), fl->hint, x0 + w - 2 - ex);
		y++;
	}
	if (f->status[0] && y < end)
		term_put(t, y++, x0 + 2, ui_style(ui, SLOT_warning), f->status, w - 4);
	if (f->npreview && y < end)
		term_glyph(t, y++, x0 + 1, ui_style(ui, SLOT_border), TG_HLINE, w - 2);
	for (int i = 0; i < f->npreview && y < end; i++)
		term_put(t, y++, x0 + 2, nst, f->preview[i], w - 4);
	int cslot = f->stage == FS_CONFIRM ? SLOT_warning : SLOT_error;
	for (int i = 0; i < nconf; i++)
		term_put(t, by - nconf + i, x0 + 2, ui_style(ui, (enum theme_slot)cslot), conf[i], w - 4);
	if (f->stage == FS_EDIT) {
		term_put(t, by, x0 + 2, ui_style(ui, SLOT_dim),
			 "Tab/Up/Down move  Left/Right choose  Enter review  Esc close", w - 4);
	} else if (f->stage == FS_CONFIRM) {
		term_put(t, by, x0 + 2, ui_style(ui, SLOT_normal),
			 f->warning[0] ? "Send it? y/Enter: continue   n/Esc: back" : "Send it? y/Enter: send   n/Esc: back", w - 4);
	} else {
		term_put(t, by, x0 + 2, ui_style(ui, SLOT_warning),
			 "Guard exceeded. Really send? y/Enter: SEND   n/Esc: back", w - 4);
	}
}
