/* term: the terminal, and the only file that includes curses.
 *
 * Everything else in ui/ draws through these calls with style ids made by
 * term_style(): a style is a colour pair plus attributes, chosen by the theme
 * for the terminal's colour depth. Besides the real curses backend there is a
 * headless one that draws into a character grid (unit tests and the render
 * benchmark use it to see exactly what a frame contains).
 *
 * Efficiency: drawing only touches curses' virtual screen; term_flush() sends
 * the difference to the terminal with one doupdate(), so unchanged cells are
 * never written. */
#ifndef KT_UI_TERM_H
#define KT_UI_TERM_H

#include <stdbool.h>
#include <stddef.h>

#include "base/kerr.h"

enum term_depth { TERM_MONO = 0, TERM_8 = 8, TERM_16 = 16, TERM_256 = 256 };

/* Attributes for term_style. */
#define TA_BOLD 0x01u
#define TA_DIM 0x02u
#define TA_REVERSE 0x04u
#define TA_UNDERLINE 0x08u
#define TA_BLINK 0x10u

/* Colour numbers: 0-7 the ANSI colours, 8-15 bright ones, 16-255 the 256-colour
 * cube; TC_DEFAULT the terminal's own. */
#define TC_DEFAULT (-1)

/* Line-drawing glyphs. */
enum term_glyph { TG_HLINE, TG_VLINE, TG_ULCORNER, TG_URCORNER, TG_LLCORNER, TG_LRCORNER,
		  TG_LTEE, TG_RTEE, TG_TTEE, TG_BTEE, TG_BLOCK, TG_HALF_BLOCK, TG_COUNT };

struct term;

struct term_opts {
	bool headless;      /* draw into a grid, never touch the tty */
	int width, height;  /* headless size */
	bool ascii;         /* force ASCII line drawing */
	bool no_color;      /* NO_COLOR or --mono: attributes only */
	int max_depth;      /* cap the colour depth (0 = what the terminal has) */
};

int term_open(struct term **out, const struct term_opts *opts, struct kerr *err);
/* Restore the terminal (endwin) and free. Safe to call twice via term_restore. */
void term_close(struct term *t);
/* Leave curses mode without freeing (fatal paths, before exit). */
void term_restore(struct term *t);

void term_size(const struct term *t, int *w, int *h);
/* The window changed size: ask the tty (ioctl TIOCGWINSZ) and resize curses.
 * Headless: set the new size. */
void term_resize(struct term *t, int w, int h);
/* Curses already resized itself (a "Resize" key): just read the new size. */
void term_sync_size(struct term *t);
enum term_depth term_depth(const struct term *t);
bool term_utf8(const struct term *t);

/* A style id for fg/bg colours and attributes; the same request returns the
 * same id. Colours are degraded to what the terminal can show. */
int term_style(struct term *t, int fg, int bg, unsigned attrs);

/* Drawing. Coordinates are cells; text is UTF-8 and is clipped at maxw cells
 * (maxw < 0: to the screen edge). Returns the number of cells written. */
void term_erase(struct term *t);
int term_put(struct term *t, int y, int x, int style, const char *s, int maxw);
int term_putf(struct term *t, int y, int x, int style, int maxw, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));
void term_fill(struct term *t, int y, int x, int w, int style, char ch);
void term_glyph(struct term *t, int y, int x, int style, enum term_glyph g, int count);
void term_vline(struct term *t, int y, int x, int style, int count);
void term_box(struct term *t, int y, int x, int h, int w, int style);
/* Restrict drawing to a rectangle (a pane's inside) until term_unclip: what
 * falls outside is not drawn, so a pane never writes over its frame. */
void term_clip(struct term *t, int y, int x, int h, int w);
void term_unclip(struct term *t);
/* The first column right of the drawing area (the screen width when unclipped). */
int term_clip_right(const struct term *t);
/* Send the frame to the terminal (one doupdate). */
void term_flush(struct term *t);
void term_bell(struct term *t);
/* Force the next flush to repaint everything (after a resize or Ctrl-L). */
void term_invalidate(struct term *t);

/* Keys: the next pending key as a name ("a", "A", "C-a", "M-x", "Up", "PgDn",
 * "Enter", "Esc", "Tab", "BTab", "Space", "Backspace", "Delete", "F1",
 * "Resize"...). Returns false when no key is pending (never blocks). Text
 * input (a printable character) is also given in utf8 (else ""). */
struct term_key {
	char name[16];
	char utf8[8];
};
bool term_getkey(struct term *t, struct term_key *k);
/* Headless: queue a key name for term_getkey (tests). */
void term_push_key(struct term *t, const char *name);

/* Headless only: the grid's row y as UTF-8 text (static buffer). */
const char *term_row(struct term *t, int y);

#endif
