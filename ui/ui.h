/* ui: the terminal user interface — the screen a trader leaves open all day.
 *
 * The UI reads the core state and calls core intents; it never sees JSON or
 * sockets. The app owns the loop: it calls ui_input() when the keyboard is
 * readable, ui_frame_due()/ui_render() from its redraw timer (a frame-rate
 * cap: state events only mark the screen dirty), and ui_resize() on SIGWINCH. */
#ifndef KT_UI_UI_H
#define KT_UI_UI_H

#include <stdbool.h>
#include <stdint.h>

#include "base/kerr.h"

struct state;
struct ui;

/* Services the UI asks of the app (arming, journal, ...). All optional. */
struct ui_hooks {
	void *ctx;
	/* The user confirmed an order in the ticket: the app journals it. */
	void (*journal)(void *ctx, const char *kind, const char *text);
};

struct ui_opts {
	const char *profile;       /* profile name for the status bar */
	bool live;                 /* LIVE vs PAPER badge; live starts disarmed */
	bool confirm;              /* ask before sending (paper may turn it off) */
	int64_t arm_idle_ms;       /* disarm after this long without a key (0 = never) */
	const char *theme;         /* "dark", "light", "mono" or a path */
	const char *keymap;        /* "default", "vim" or a path */
	int value_currency;        /* the spot wallet's valuation: an index of ui_value_currencies */
	const char *config_dir;    /* user's themes/, keymaps/ and keys.conf live here */
	const char *data_dir;      /* shipped themes/ and keymaps/ */
	bool ascii;                /* ASCII line drawing */
	bool no_color;             /* NO_COLOR: attributes only */
	int max_depth;             /* cap colours (8, 16, 256) */
	bool headless;             /* tests and benchmarks: draw into a grid */
	int width, height;         /* headless size */
	const char *start_instrument; /* e.g. "BTC/USD"; NULL = the first one */
	/* Fat-finger guards, as exact decimal strings ("" / NULL = none). */
	const char *max_notional;
	const char *max_distance_pct;
	int max_leverage;
	struct ui_hooks hooks;
};

/* The currencies the spot wallet can be valued in (NULL-terminated); the
 * config's value_currency lists the same, in the same order. */
extern const char *const ui_value_currencies[];

/* The UI copies what it keeps of opts: the caller's strings may go away after
 * ui_new returns. */
int ui_new(struct ui **out, struct state *st, const struct ui_opts *opts, struct kerr *err);
void ui_free(struct ui *ui);
/* Leave curses (fatal paths). */
void ui_restore_terminal(struct ui *ui);

/* Read and handle every pending key. */
void ui_input(struct ui *ui, int64_t now_ms);
/* Handle one key by name (tests; also used by ui_input). */
void ui_key(struct ui *ui, const char *name, const char *utf8, int64_t now_ms);
bool ui_quit_requested(const struct ui *ui);
/* Does the screen need drawing (something changed, or a clock/countdown ticks)? */
bool ui_needs_frame(const struct ui *ui, int64_t now_ms);
void ui_render(struct ui *ui, int64_t now_ms);
void ui_resize(struct ui *ui, int w, int h);

/* Show a message on the message line (level: 0 info, 1 warning, 2 error). */
void ui_notice(struct ui *ui, int level, const char *text);

/* Headless: text of screen row y. */
const char *ui_screen_row(struct ui *ui, int y);

#endif
