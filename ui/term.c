/* term: curses (ncursesw) and a headless grid behind one small drawing API. */
#define NCURSES_WIDECHAR 1
#include "ui/term.h"

#include <curses.h>
#include <langinfo.h>
#include <locale.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <wchar.h>

#include "base/xalloc.h"

#define MAX_STYLES 256
#define KEYQ 64

struct cell {
	char ch[5]; /* UTF-8, NUL-terminated */
	short style;
};

struct style {
	int fg, bg;
	unsigned attrs;
	int pair;      /* curses colour pair */
	attr_t cattr;  /* curses attributes */
};

struct term {
	bool headless, ascii, utf8, curses_on;
	SCREEN *scr;
	enum term_depth depth;
	int w, h;
	bool clipped;
	int cy0, cx0, cy1, cx1; /* drawing area while clipped: [cy0, cy1) x [cx0, cx1) */
	struct style styles[MAX_STYLES];
	int nstyles;
	struct cell *grid;   /* headless */
	char keyq[KEYQ][16]; /* headless pending keys */
	int keyq_head, keyq_n;
	char rowbuf[4096];
};

/* ---- text measurement ---- */

/* Length in bytes of the UTF-8 sequence starting at s (1 for invalid bytes). */
static int u8len(const unsigned char *s)
{
	if (s[0] < 0x80)
		return 1;
	int n = (s[0] >= 0xf0) ? 4 : (s[0] >= 0xe0) ? 3 : (s[0] >= 0xc0) ? 2 : 1;
	for (int i = 1; i < n; i++)
		if ((s[i] & 0xc0) != 0x80)
			return 1;
	return n;
}

/* ---- grid backend ---- */

static struct cell *cell_at(struct term *t, int y, int x) { return &t->grid[y * t->w + x]; }

static void grid_alloc(struct term *t)
{
	free(t->grid);
	t->grid = xcalloc((size_t)t->w * (size_t)t->h, sizeof *t->grid);
	for (int i = 0; i < t->w * t->h; i++)
		t->grid[i].ch[0] = ' ';
}

/* ---- open/close ---- */

static enum term_depth detect_depth(void)
{
	if (!has_colors())
		return TERM_MONO;
	if (COLORS >= 256)
		return TERM_256;
	if (COLORS >= 16)
		return TERM_16;
	return TERM_8;
}

int term_open(struct term **out, const struct term_opts *o, struct kerr *err)
{
	struct term *t = xcalloc(1, sizeof *t);
	t->headless = o->headless;
	t->ascii = o->ascii;
	if (t->headless) {
		t->w = o->width > 0 ? o->width : 80;
		t->h = o->height > 0 ? o->height : 24;
		t->depth = o->no_color ? TERM_MONO : (o->max_depth ? (enum term_depth)o->max_depth : TERM_256);
		t->utf8 = !o->ascii;
		grid_alloc(t);
		*out = t;
		return 0;
	}
	setlocale(LC_ALL, "");
	const char *cs = nl_langinfo(CODESET);
	t->utf8 = !o->ascii && cs && strcmp(cs, "UTF-8") == 0;
	if (!getenv("ESCDELAY"))
		set_escdelay(25);
	if (!isatty(STDOUT_FILENO)) {
		free(t);
		return kerr_set(err, 1, "the terminal interface needs a terminal on standard output");
	}
	SCREEN *scr = newterm(NULL, stdout, stdin);
	if (!scr) {
		free(t);
		return kerr_set(err, 1, "cannot initialise the terminal (TERM=%s)",
				getenv("TERM") ? getenv("TERM") : "unset");
	}
	t->curses_on = true;
	t->scr = scr;
	cbreak();
	noecho();
	nonl();
	intrflush(stdscr, FALSE);
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	meta(stdscr, TRUE);
	curs_set(0);
	t->depth = TERM_MONO;
	if (!o->no_color && has_colors()) {
		start_color();
		use_default_colors();
		t->depth = detect_depth();
		if (o->max_depth && (int)t->depth > o->max_depth)
			t->depth = (enum term_depth)o->max_depth;
	}
	getmaxyx(stdscr, t->h, t->w);
	*out = t;
	return 0;
}

void term_restore(struct term *t)
{
	if (t && t->curses_on) {
		curs_set(1);
		endwin();
		t->curses_on = false;
	}
}

void term_close(struct term *t)
{
	if (!t)
		return;
	term_restore(t);
	if (t->scr)
		delscreen(t->scr);
	free(t->grid);
	free(t);
}

void term_size(const struct term *t, int *w, int *h)
{
	*w = t->w;
	*h = t->h;
}

void term_resize(struct term *t, int w, int h)
{
	if (t->headless) {
		t->w = w;
		t->h = h;
		grid_alloc(t);
		return;
	}
	struct winsize ws;
	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0 && ws.ws_row > 0)
		resizeterm(ws.ws_row, ws.ws_col);
	getmaxyx(stdscr, t->h, t->w);
	clearok(curscr, TRUE);
}

void term_sync_size(struct term *t)
{
	if (!t->headless)
		getmaxyx(stdscr, t->h, t->w);
}

enum term_depth term_depth(const struct term *t) { return t->depth; }
bool term_utf8(const struct term *t) { return t->utf8; }

/* ---- styles ---- */

/* Nearest of the 16 ANSI colours for a 256-colour index. */
static int to16(int c)
{
	if (c < 16)
		return c;
	if (c >= 232) { /* grey ramp */
		int g = c - 232;
		return g < 6 ? 0 : g < 14 ? 8 : g < 20 ? 7 : 15;
	}
	int v = c - 16, r = v / 36, g = (v / 6) % 6, b = v % 6;
	int bright = (r > 3 || g > 3 || b > 3);
	int code = ((r >= 2) ? 1 : 0) | ((g >= 2) ? 2 : 0) | ((b >= 2) ? 4 : 0);
	if (code == 0 && (r || g || b))
		return 8;
	return code + (bright ? 8 : 0);
}

static void degrade(enum term_depth d, int *c, unsigned *attrs)
{
	if (*c == TC_DEFAULT)
		return;
	if (d < TERM_256)
		*c = to16(*c);
	if (d < TERM_16 && *c >= 8) {
		*c -= 8;
		if (attrs)
			*attrs |= TA_BOLD;
	}
}

int term_style(struct term *t, int fg, int bg, unsigned attrs)
{
	if (t->depth == TERM_MONO)
		fg = bg = TC_DEFAULT;
	degrade(t->depth, &fg, &attrs);
	degrade(t->depth, &bg, NULL);
	for (int i = 0; i < t->nstyles; i++)
		if (t->styles[i].fg == fg && t->styles[i].bg == bg && t->styles[i].attrs == attrs)
			return i;
	if (t->nstyles == MAX_STYLES)
		return 0;
	struct style *s = &t->styles[t->nstyles];
	s->fg = fg;
	s->bg = bg;
	s->attrs = attrs;
	s->pair = 0;
	s->cattr = A_NORMAL;
	if (!t->headless) {
		if (t->depth != TERM_MONO && (fg != TC_DEFAULT || bg != TC_DEFAULT)) {
			int p = alloc_pair(fg, bg);
			s->pair = p > 0 ? p : 0;
		}
		if (attrs & TA_BOLD)
			s->cattr |= A_BOLD;
		if (attrs & TA_DIM)
			s->cattr |= A_DIM;
		if (attrs & TA_REVERSE)
			s->cattr |= A_REVERSE;
		if (attrs & TA_UNDERLINE)
			s->cattr |= A_UNDERLINE;
		if (attrs & TA_BLINK)
			s->cattr |= A_BLINK;
	}
	return t->nstyles++;
}

static void set_style(struct term *t, int style)
{
	if (style < 0 || style >= t->nstyles) {
		attr_set(A_NORMAL, 0, NULL);
		return;
	}
	attr_set(t->styles[style].cattr, (short)t->styles[style].pair, NULL);
}

/* ---- drawing ---- */

void term_erase(struct term *t)
{
	if (t->headless) {
		for (int i = 0; i < t->w * t->h; i++) {
			strcpy(t->grid[i].ch, " ");
			t->grid[i].style = 0;
		}
		return;
	}
	attr_set(A_NORMAL, 0, NULL);
	erase();
}

void term_clip(struct term *t, int y, int x, int h, int w)
{
	t->clipped = true;
	t->cy0 = y;
	t->cx0 = x;
	t->cy1 = y + h;
	t->cx1 = x + w;
}

void term_unclip(struct term *t) { t->clipped = false; }

int term_clip_right(const struct term *t)
{
	return t->clipped && t->cx1 < t->w ? t->cx1 : t->w;
}

int term_put(struct term *t, int y, int x, int style, const char *s, int maxw)
{
	if (y < 0 || y >= t->h || x >= t->w || x < 0)
		return 0;
	if (t->clipped && (y < t->cy0 || y >= t->cy1 || x < t->cx0 || x >= t->cx1))
		return 0;
	int room = term_clip_right(t) - x;
	if (maxw >= 0 && maxw < room)
		room = maxw;
	int cells = 0;
	const unsigned char *p = (const unsigned char *)s;
	if (t->headless) {
		while (*p && cells < room) {
			int n = u8len(p);
			struct cell *c = cell_at(t, y, x + cells);
			memcpy(c->ch, p, (size_t)n);
			c->ch[n] = '\0';
			c->style = (short)style;
			p += n;
			cells++;
		}
		return cells;
	}
	/* Count the bytes that fit in `room` cells (one cell per code point:
	 * krakterm prints no double-width text). */
	size_t bytes = 0;
	while (p[bytes] && cells < room) {
		bytes += (size_t)u8len(p + bytes);
		cells++;
	}
	set_style(t, style);
	mvaddnstr(y, x, s, (int)bytes);
	return cells;
}

int term_putf(struct term *t, int y, int x, int style, int maxw, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	return term_put(t, y, x, style, buf, maxw);
}

void term_fill(struct term *t, int y, int x, int w, int style, char ch)
{
	char buf[512];
	if (w <= 0)
		return;
	if (w > (int)sizeof buf - 1)
		w = (int)sizeof buf - 1;
	memset(buf, ch, (size_t)w);
	buf[w] = '\0';
	term_put(t, y, x, style, buf, w);
}

static const char *const glyph_utf8[TG_COUNT] = {"─", "│", "┌", "┐", "└", "┘",
						 "├", "┤", "┬", "┴", "█", "▌"};
static const char *const glyph_ascii[TG_COUNT] = {"-", "|", "+", "+", "+", "+",
						  "+", "+", "+", "+", "#", "#"};

void term_glyph(struct term *t, int y, int x, int style, enum term_glyph g, int count)
{
	const char *s = t->utf8 ? glyph_utf8[g] : glyph_ascii[g];
	for (int i = 0; i < count; i++)
		term_put(t, y, x + i, style, s, 1);
}

void term_vline(struct term *t, int y, int x, int style, int count)
{
	const char *s = t->utf8 ? glyph_utf8[TG_VLINE] : glyph_ascii[TG_VLINE];
	for (int i = 0; i < count; i++)
		term_put(t, y + i, x, style, s, 1);
}

void term_box(struct term *t, int y, int x, int h, int w, int style)
{
	if (h < 2 || w < 2)
		return;
	term_glyph(t, y, x, style, TG_ULCORNER, 1);
	term_glyph(t, y, x + 1, style, TG_HLINE, w - 2);
	term_glyph(t, y, x + w - 1, style, TG_URCORNER, 1);
	term_vline(t, y + 1, x, style, h - 2);
	term_vline(t, y + 1, x + w - 1, style, h - 2);
	term_glyph(t, y + h - 1, x, style, TG_LLCORNER, 1);
	term_glyph(t, y + h - 1, x + 1, style, TG_HLINE, w - 2);
	term_glyph(t, y + h - 1, x + w - 1, style, TG_LRCORNER, 1);
}

void term_flush(struct term *t)
{
	if (t->headless)
		return;
	wnoutrefresh(stdscr);
	doupdate();
}

void term_bell(struct term *t)
{
	if (!t->headless)
		beep();
}

void term_invalidate(struct term *t)
{
	if (!t->headless)
		clearok(curscr, TRUE);
}

/* ---- keys ---- */

static void name_of_code(int code, struct term_key *k)
{
	static const struct {
		int code;
		const char *name;
	} names[] = {
		{KEY_UP, "Up"},         {KEY_DOWN, "Down"},   {KEY_LEFT, "Left"},
		{KEY_RIGHT, "Right"},   {KEY_PPAGE, "PgUp"},  {KEY_NPAGE, "PgDn"},
		{KEY_HOME, "Home"},     {KEY_END, "End"},     {KEY_DC, "Delete"},
		{KEY_IC, "Insert"},     {KEY_BTAB, "BTab"},   {KEY_BACKSPACE, "Backspace"},
		{KEY_ENTER, "Enter"},   {KEY_RESIZE, "Resize"}, {KEY_SLEFT, "S-Left"},
		{KEY_SRIGHT, "S-Right"},
	};
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		if (names[i].code == code) {
			snprintf(k->name, sizeof k->name, "%s", names[i].name);
			return;
		}
	}
	if (code >= KEY_F(1) && code <= KEY_F(12)) {
		snprintf(k->name, sizeof k->name, "F%d", code - KEY_F(0));
		return;
	}
	snprintf(k->name, sizeof k->name, "Key%d", code);
}

static void name_of_char(wint_t c, struct term_key *k)
{
	k->utf8[0] = '\0';
	switch (c) {
	case '\t': strcpy(k->name, "Tab"); return;
	case '\r':
	case '\n': strcpy(k->name, "Enter"); return;
	case 27: strcpy(k->name, "Esc"); return;
	case 127:
	case 8: strcpy(k->name, "Backspace"); return;
	case ' ': strcpy(k->name, "Space"); strcpy(k->utf8, " "); return;
	default: break;
	}
	if (c < 32) {
		snprintf(k->name, sizeof k->name, "C-%c", (char)('a' + c - 1));
		return;
	}
	mbstate_t st;
	memset(&st, 0, sizeof st);
	size_t n = wcrtomb(k->utf8, (wchar_t)c, &st);
	if (n == (size_t)-1 || n >= sizeof k->utf8)
		n = 0;
	k->utf8[n] = '\0';
	snprintf(k->name, sizeof k->name, "%s", k->utf8);
}

bool term_getkey(struct term *t, struct term_key *k)
{
	memset(k, 0, sizeof *k);
	if (t->headless) {
		if (!t->keyq_n)
			return false;
		snprintf(k->name, sizeof k->name, "%s", t->keyq[t->keyq_head]);
		if (strlen(k->name) == 1)
			snprintf(k->utf8, sizeof k->utf8, "%s", k->name);
		else if (strcmp(k->name, "Space") == 0)
			strcpy(k->utf8, " ");
		t->keyq_head = (t->keyq_head + 1) % KEYQ;
		t->keyq_n--;
		return true;
	}
	wint_t c;
	int r = get_wch(&c);
	if (r == ERR)
		return false;
	if (r == KEY_CODE_YES) {
		name_of_code((int)c, k);
		return true;
	}
	if (c == 27) {
		/* Esc followed at once by a key is Alt+key. */
		wint_t c2;
		int r2 = get_wch(&c2);
		if (r2 == OK && c2 != 27) {
			struct term_key inner;
			name_of_char(c2, &inner);
			k->name[0] = 'M';
			k->name[1] = '-';
			snprintf(k->name + 2, sizeof k->name - 2, "%.13s", inner.name);
			return true;
		}
		if (r2 == KEY_CODE_YES)
			unget_wch(c2);
	}
	name_of_char(c, k);
	return true;
}

void term_push_key(struct term *t, const char *name)
{
	if (t->keyq_n == KEYQ)
		return;
	int i = (t->keyq_head + t->keyq_n) % KEYQ;
	snprintf(t->keyq[i], sizeof t->keyq[i], "%s", name);
	t->keyq_n++;
}

const char *term_row(struct term *t, int y)
{
	struct term *m = t;
	size_t n = 0;
	if (!t->headless || y < 0 || y >= t->h)
		return "";
	for (int x = 0; x < t->w && n + 5 < sizeof m->rowbuf; x++) {
		size_t l = strlen(t->grid[y * t->w + x].ch);
		memcpy(m->rowbuf + n, t->grid[y * t->w + x].ch, l);
		n += l;
	}
	while (n && m->rowbuf[n - 1] == ' ')
		n--;
	m->rowbuf[n] = '\0';
	return m->rowbuf;
}
