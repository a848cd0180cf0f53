/* ticket_util: the harness of test_ticket (see ticket_util.c). One UI and one
 * state at a time, between tk_start and tk_stop, in the globals below. */
#ifndef KT_TESTS_UNIT_TICKET_UTIL_H
#define KT_TESTS_UNIT_TICKET_UTIL_H

#include <stdbool.h>

#include "core/state.h"
#include "tests/unit/unit.h"

struct ui;
struct field;

/* The time every key is pressed at. */
#define T0  1000
#define REC 16

static inline dec_t D(const char *s)
{
	dec_t d;
	assert_int_equal(dec_parse(s, (size_t)-1, &d, NULL), 0);
	return d;
}

#define assert_dec(v, s)                                                                           \
	do {                                                                                       \
		char b_[DEC_FMT_MAX];                                                              \
		dec_fmt((v), -1, b_, sizeof b_);                                                   \
		if (!dec_eq((v), D(s)))                                                            \
			fail_msg("%s is %s, expected %s", #v, b_, s);                              \
	} while (0)

/* What the fake gateway received, and the callbacks it still owes. */
struct fake {
	int nplace, namend, ncancel, nall, nlev, nxfer;
	struct order_req place[REC];
	struct amend_req amend[REC];
	char cancel[REC][ORDER_ID_MAX];
	enum product all_product[REC];
	int all_instr[REC];
	int lev_instr[REC];
	bool lev_set[REC];
	dec_t lev[REC];
	struct transfer_req xfer[REC];
	struct {
		intent_cb cb;
		void *arg;
	} pend[REC * 6];
	int npend;
};

extern struct fake tk_fk;
extern struct state tk_st;
extern struct ui *tk_ui;
extern int tk_spot, tk_perp;     /* BTC/USD (tick 0.1) and PF_XBTUSD (tick 0.5) */
extern char tk_journal[32][400]; /* "kind|text" lines from the journal hook */
extern int tk_njournal;

/* A fresh state and UI (120x40, default key map); guards: max notional only. */
void tk_start(bool live, bool confirm, const char *max_notional);
/* Answer what is in flight, free the UI and the state. */
void tk_stop(void);
/* Calls the gateway received so far, of every kind. */
int tk_sent(void);
/* The exchange answers every request in flight with status s (ids OID-n,
 * references REF-n, count 2, message msg). */
void tk_complete(enum intent_status s, const char *msg);

/* Press one key (by name); type text one character at a time. */
void tk_key(const char *name);
void tk_type(const char *s);
/* The open form's selected field; a field by label (fails when absent). */
struct field *tk_sel(void);
struct field *tk_field(const char *label);
bool tk_shown(const char *label);
/* Tab to a visible field; clear it and type; pick a choice with Right. */
void tk_go(const char *label);
void tk_set(const char *label, const char *text);
void tk_choose(const char *label, const char *value);
/* Enter, check the confirmation is shown, y: the form closes, one more call. */
void tk_send_it(void);
/* Render and look for text anywhere on the screen. */
bool tk_screen_has(const char *needle);
const struct order_req *tk_last_place(void);

/* An open order of 0.5 (px / trig may be NULL); a futures position of 2
 * contracts at 60000, isolated at 10x or cross. */
void tk_add_order(const char *id, int instr, enum side side, enum order_type t, const char *px,
                  const char *trig);
void tk_set_position(bool isolated);

#endif
