/* form: a small keyboard form — labelled fields, a preview area and a
 * confirmation step. The order ticket, transfers, amend, leverage and alerts
 * are forms. Each field shows its value and, when invalid, the reason beside
 * it; fields that do not apply are hidden. Hooks supplied by each form
 * recompute derived fields and the preview after every change, and act on
 * submit. Nothing leaves the form until the owner's submit hook says so. */
#ifndef KT_UI_FORM_H
#define KT_UI_FORM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct ui;

enum field_kind {
	FK_TEXT,    /* free text (decimal numbers are text validated by the owner) */
	FK_CHOICE,  /* one of `choices`, cycled with Left/Right/Space */
	FK_BOOL,    /* yes/no, toggled with Space */
};

#define FORM_FIELDS_MAX 24
#define FIELD_TEXT_MAX 48
#define FORM_PREVIEW_LINES 10

struct field {
	int id;                   /* the owner's id */
	const char *label;
	enum field_kind kind;
	char text[FIELD_TEXT_MAX];
	const char *const *choices;
	int nchoices;
	int choice;
	bool on;
	bool hidden;
	bool readonly;
	char error[160];          /* reason shown beside the field */
	char hint[64];            /* dim text after the value ("max 1.2345 BTC") */
};

enum form_stage { FS_EDIT, FS_CONFIRM, FS_CONFIRM2 };

struct form {
	char title[64];
	struct field f[FORM_FIELDS_MAX];
	int n;
	int sel;                  /* selected field index */
	enum form_stage stage;
	char confirm[320];        /* what will be sent, in words */
	char warning[320];        /* fat-finger guard text for the second confirmation */
	char preview[FORM_PREVIEW_LINES][96];
	int npreview;
	char status[160];         /* a line under the fields (e.g. "rounded: accept with r") */
	void *priv;               /* the owner's data (freed with priv_free) */
	void (*priv_free)(void *);
	/* Recompute hidden fields, errors, hints and preview (after any change). */
	void (*changed)(struct ui *ui, struct form *f, int64_t now_ms);
	/* Enter pressed in FS_EDIT: validate and move to FS_CONFIRM (or refuse). */
	void (*submit)(struct ui *ui, struct form *f, int64_t now_ms);
	/* Confirmed: send. Return true to close the form. */
	bool (*confirmed)(struct ui *ui, struct form *f, int64_t now_ms);
	/* Optional owner key handler (e.g. 'r' to accept rounding, 'm' for max). */
	bool (*key)(struct ui *ui, struct form *f, const char *name, int64_t now_ms);
};

struct form *form_new(const char *title);
void form_free(struct form *f);
struct field *form_add(struct form *f, int id, const char *label, enum field_kind kind);
struct field *form_field(struct form *f, int id);
void form_set_text(struct form *f, int id, const char *text);
const char *form_text(struct form *f, int id);
int form_choice(struct form *f, int id);
bool form_on(struct form *f, int id);
void form_clear_errors(struct form *f);
void form_set_error(struct form *f, int id, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
int form_error_count(const struct form *f);
void form_preview(struct form *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Open f as the UI's overlay (the UI owns it from now on). */
void form_open(struct ui *ui, struct form *f, int64_t now_ms);
void form_close(struct ui *ui);
/* Keys the form's bound actions did not take: text editing and choices. */
void form_input(struct ui *ui, struct form *f, const char *name, const char *utf8, int64_t now_ms);
void form_draw(struct ui *ui, struct form *f, int64_t now_ms);

/* Form actions (bound in the "form" key context). */
void form_next_field(struct ui *ui, int64_t now_ms);
void form_prev_field(struct ui *ui, int64_t now_ms);
void form_enter(struct ui *ui, int64_t now_ms);
void form_escape(struct ui *ui, int64_t now_ms);

#endif
