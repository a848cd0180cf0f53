/* trade_int: what the trading files of ui/ share — the pending-intent record
 * whose callback reports and journals the result, the arming gate, the
 * confirmation policy, the guard limits and a few formatting helpers.
 * Private to ui/ (ticket*.c, order_actions.c, position_actions.c,
 * transfer_form.c, trade_actions.c). */
#ifndef KT_UI_TRADE_INT_H
#define KT_UI_TRADE_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/dec.h"
#include "core/guard.h"
#include "core/instrument.h"
#include "core/intent.h"
#include "core/validate.h"

struct ui;
struct form;
struct order;
struct instrument;

enum trade_kind { TRK_ORDER, TRK_CANCEL, TRK_CANCEL_ALL, TRK_AMEND, TRK_LEVERAGE, TRK_TRANSFER };

/* One intent in flight. Owned by the UI's list until its callback fires (the
 * callback frees it); after trade_ui_detach, ui is NULL and the callback only
 * frees it. */
struct trade_op {
	struct ui *ui;
	struct trade_op *next;
	enum trade_kind kind;
	char what[320];              /* the intent in words (message, journal) */
	char order_id[ORDER_ID_MAX]; /* amend/cancel: the order it concerns */
	bool nudge;                  /* a nudge: forget the pending nudge on failure */
};

/* A new op in the UI's list, journalled as "intent" with `what` (the words
 * the user confirmed). Call the intent right after, with trade_op_cb and op. */
struct trade_op *trade_op_new(struct ui *ui, enum trade_kind kind, const char *what);
/* The intent callback for every trading intent: message line + journal
 * ("ack", "reject" or "unknown"); frees op. */
void trade_op_cb(void *arg, const struct intent_result *res);
/* After the intent_* call: on a refusal (rc < 0: nothing was sent, the
 * callback never fires) report it, journal "reject" and free op. op must not
 * be used after this (a callback may already have freed it). Returns rc. */
int trade_op_start(struct trade_op *op, int rc, const struct kerr *err);
/* Journal one line through the app's hook (when set). */
void trade_journal(struct ui *ui, const char *kind, const char *text);

/* May something be sent now? Live profiles must be armed; says so on the
 * message line when not. */
bool trade_armed(struct ui *ui, int64_t now_ms);
/* Should a confirmation be asked (always on live; paper unless turned off)? */
bool trade_confirm_wanted(const struct ui *ui);
/* The user's fat-finger limits (bad configuration text: that limit is off). */
void trade_limits(struct ui *ui, struct guard_limits *g);
/* Confirmation stages: a key bound to "arm" arms from inside the form. */
bool trade_confirm_key(struct ui *ui, struct form *f, const char *name, int64_t now_ms);
/* A line for a form's status when the live profile is not armed ("" else). */
void trade_arm_status(struct ui *ui, struct form *f, int64_t now_ms);
/* After a form's own checks passed and f->confirm / f->warning are set:
 * show the confirmation, or on paper with confirmations off send at once
 * through f->confirmed (unless a guard fired: then straight to the second
 * confirmation). May close and free f. */
void trade_review(struct ui *ui, struct form *f, int64_t now_ms);

/* A form that is only a confirmation: a read-only line `info`, the words
 * `confirm`, and `send` as its confirmed hook; priv is freed with free().
 * Add preview lines or a warning, then trade_confirm_open: it opens the form
 * at its confirmation (the second one straight away when confirmations are
 * off and a guard fired), or sends at once on paper with confirmations off. */
struct form *trade_confirm_form(const char *title, const char *info, const char *confirm,
                                void *priv, bool (*send)(struct ui *, struct form *, int64_t));
void trade_confirm_open(struct ui *ui, struct form *f, int64_t now_ms);
/* The order preview as form lines: value, fee, margin or spend, position and
 * entry, liquidation, distance, book walk (the ticket and the close form). */
void trade_preview_lines(struct ui *ui, struct form *f, const struct order_req *r);

/* An order request that reproduces an open order (guards, descriptions). */
void trade_req_from_order(const struct order *o, struct order_req *req);
/* Parse a decimal typed into a field; "" gives zero and false. On bad text
 * sets the field's error (dec_parse's words) and returns false. */
bool trade_parse_dec(struct form *f, int id, dec_t *out);

/* snprintf for display text that may be cut short on purpose. */
void trade_textf(char *buf, size_t cap, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Formatting: a price at the instrument's precision, money at 2 places, a
 * quantity trimmed, a signed quantity ("+0.5", "-2", "0"). */
void trade_fmt_px(char *buf, size_t cap, const struct instrument *in, dec_t v);
void trade_fmt_money(char *buf, size_t cap, dec_t v);
void trade_fmt_qty(char *buf, size_t cap, dec_t v);
void trade_fmt_signed(char *buf, size_t cap, dec_t v);

/* ---- the order ticket (ticket.c, ticket_fields.c) ---- */

enum ticket_field {
	TF_INSTR = 1, /* read-only header; also where general problems show */
	TF_SIDE,
	TF_TYPE,
	TF_SIZE,
	TF_UNIT, /* spot market buys: size in base or quote currency */
	TF_LIMIT,
	TF_TRIGGER,
	TF_TRAIL, /* trailing offset: price units, or percent with a '%' */
	TF_TRAIL_LIMIT,
	TF_DISPLAY,
	TF_SIGNAL,
	TF_LEVERAGE,
	TF_REDUCE,
	TF_POST,
	TF_TIF,
	TF_EXPIRE,
	TF_CLOSE,
	TF_CLOSE_PX,
	TF_CLOSE_PX2,
};

struct ticket {
	int instr;
	enum product product;
	/* Choice lists for this instrument (the form's fields point into them). */
	enum order_type types[OT_COUNT];
	int ntypes;
	enum tif tifs[3];
	int ntif;
	enum trigger_signal sigs[3];
	int nsig;
	char unit_text[2][ASSET_MAX];
	const char *unit_names[2];
	char lev_text[LEVERAGE_OPTS_MAX * 2 + 1][8];
	const char *lev_names[LEVERAGE_OPTS_MAX * 2 + 1];
	int levs[LEVERAGE_OPTS_MAX * 2 + 1];
	int nlev;
	/* The fields as last read. */
	struct order_req req;
	bool parse_ok;          /* every visible text field parsed */
	struct order_check chk; /* order_validate of req */
	bool tried;             /* Enter pressed: empty required fields are errors now */
};

/* Add the ticket's fields for instrument in (choices from the instrument). */
void ticket_build(struct form *f, struct ticket *tk, const struct instrument *in);
/* Checks of the ticket beyond order_validate, added to chk: a settle-position
 * order without a leverage (it closes a margin position). */
void ticket_check_type(const struct ticket *tk, struct order_check *chk);
/* Hide what does not apply to the chosen product / type / options. */
void ticket_visibility(struct form *f, const struct ticket *tk);
/* Read the visible fields into tk->req; parse errors go beside their field.
 * Returns false when a field did not parse. */
bool ticket_read(struct form *f, struct ticket *tk);
/* Set the fields from an order request (prefill; accepted rounding). */
void ticket_fill(struct form *f, struct ticket *tk, const struct order_req *req);
/* Show tk->chk's problems beside their fields; the short text for a
 * suggested rounding. Returns how many suggestions are shown. */
int ticket_show_problems(struct form *f, const struct ticket *tk);
/* The ticket field a validation problem belongs to (TF_INSTR when hidden). */
int ticket_field_of(const struct form *f, enum order_field of);

#endif
