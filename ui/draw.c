/* draw: pane frames, status bar, tab bar, message line and the help and
 * switcher overlays. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "base/clock.h"
#include "ui/ui_int.h"

void draw_right(struct ui *ui, int y, int x, int w, int style, const char *s)
{
	if (x + w > term_clip_right(ui->term))
		return; /* a column the pane has no room for is left out, never half drawn */
	int n = (int)strlen(s);
	if (n > w && w > 0 && (isdigit((unsigned char)s[0]) ||
			       ((s[0] == '-' || s[0] == '+') && isdigit((unsigned char)s[1])))) {
		/* A number cut short reads as another number (100.00k as 100.0): fill. */
		term_fill(ui->term, y, x, w, style, '#');
		return;
	}
	if (n > w)
		n = w;
	term_put(ui->term, y, x + w - n, style, s, w);
}

void draw_frame(struct ui *ui, enum pane_id p, bool focus, int64_t now_ms)
{
	const struct rect *r = &ui->rects[p];
	struct term *t = ui->term;
	term_box(t, r->y, r->x, r->h, r->w, ui_style(ui, focus ? SLOT_border_focus : SLOT_border));
	int x = r->x + 2, maxw = r->w - 4;
	x += term_putf(t, r->y, x, ui_style(ui, focus ? SLOT_title_focus : SLOT_title), maxw, " %s ",
		       pane_defs[p]->title);
	if (pane_defs[p]->stale && pane_defs[p]->stale(ui, now_ms))
		x += term_put(t, r->y, x, ui_style(ui, SLOT_warning), " STALE ", r->x + r->w - 2 - x);
	if (pane_defs[p]->subtitle) {
		char sub[96];
		sub[0] = '\0';
		pane_defs[p]->subtitle(ui, sub, sizeof sub);
		if (sub[0]) {
			char s[100];
			snprintf(s, sizeof s, " %s ", sub);
			int room = r->x + r->w - 2 - x;
			if (room > 4)
				draw_right(ui, r->y, x, room - 1, ui_style(ui, SLOT_dim), s);
		}
	}
}

static const char *short_feed_state(enum feed_state s)
{
	switch (s) {
	case FEED_UP: return "";
	case FEED_CONNECTING: return "conn";
	case FEED_AUTHENTICATING: return "auth";
	case FEED_BACKOFF: return "retry";
	case FEED_FAILED: return "FAIL";
	case FEED_OFF: return "off";
	}
	return "?";
}

/* Feed names for the compact status bar (same order as enum feed_id). */
static const char *feed_abbrev(enum feed_id f)
{
	switch (f) {
	case FEED_SPOT_PUBLIC: return "S";
	case FEED_SPOT_PRIVATE: return "SA";
	case FEED_FUT_PUBLIC: return "F";
	case FEED_FUT_PRIVATE: return "FA";
	case FEED_COUNT: break;
	}
	return "?";
}

/* A piece of the status bar in one style. */
struct status_seg {
	char text[48];
	enum theme_slot slot;
};

#define STATUS_SEGS (FEED_COUNT + 2)

/* Display columns of a UTF-8 string (the status bar has no wide characters). */
static int text_cols(const char *s)
{
	int n = 0;
	for (; *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

static enum theme_slot feed_slot(const struct feed_status *fs)
{
	return fs->state == FEED_UP ? SLOT_ok : fs->state == FEED_FAILED ? SLOT_error : SLOT_warning;
}

/* The feeds at a level of detail: 0 every feed by name with its state or
 * message age ("spot:0.4s spot-auth:retry"); 1 the feeds that are not up in
 * full, first, then the up ones abbreviated with the oldest message age
 * ("spot-auth:retry S✓ F✓ FA✓ 0.4s"); 2 every feed abbreviated ("SA:retry").
 * Returns the number of segments; *cols their width. */
static int status_feeds(struct ui *ui, int64_t now_ms, int level, struct status_seg *seg,
			int *cols)
{
	const char *tick = term_utf8(ui->term) ? "✓" : "+";
	int n = 0;
	int64_t oldest = -1;
	/* Feeds that are not up come first in the compact forms: they matter. */
	for (int pass = level == 0 ? 1 : 0; pass < 2; pass++) {
		for (int f = 0; f < FEED_COUNT; f++) {
			const struct feed_status *fs = &ui->st->feeds[f];
			bool up = fs->state == FEED_UP;
			if (fs->state == FEED_OFF || (level > 0 && up != (pass == 1)))
				continue;
			char age[16] = "";
			if (up && fs->last_msg_mono_ms) {
				int64_t a = now_ms - fs->last_msg_mono_ms;
				if (a > oldest)
					oldest = a;
				fmt_age(age, sizeof age, a);
			}
			const char *st = up ? age : short_feed_state(fs->state);
			if (level == 0 || (level == 1 && !up))
				snprintf(seg[n].text, sizeof seg[n].text, " %s:%s",
					 feed_name((enum feed_id)f), st);
			else if (up)
				snprintf(seg[n].text, sizeof seg[n].text, " %s%s",
					 feed_abbrev((enum feed_id)f), tick);
			else
				snprintf(seg[n].text, sizeof seg[n].text, " %s:%s",
					 feed_abbrev((enum feed_id)f), st);
			seg[n].slot = feed_slot(fs);
			n++;
		}
	}
	if (level > 0 && oldest >= 0) {
		char age[16];
		fmt_age(age, sizeof age, oldest);
		snprintf(seg[n].text, sizeof seg[n].text, " %s", age);
		seg[n].slot = oldest > 10000 ? SLOT_warning : SLOT_ok;
		n++;
	}
	*cols = 0;
	for (int i = 0; i < n; i++)
		*cols += text_cols(seg[i].text);
	return n;
}

/* The right side at a level of detail: 0 REST round trips, rate limits and
 * the clock; 1 round trips and the clock; 2 the clock; 3 nothing. */
static void status_right(struct ui *ui, int level, char *buf, size_t cap)
{
	char clock[16], rtt[32] = "", lim[48] = "";
	time_t now = time(NULL);
	struct tm tm;
	gmtime_r(&now, &tm);
	strftime(clock, sizeof clock, "%H:%M:%SZ", &tm);
	const struct rate_limits *rl = &ui->st->limits;
	if (level <= 1 && (ui->st->rest_rtt_us[PRODUCT_SPOT] || ui->st->rest_rtt_us[PRODUCT_FUTURES]))
		snprintf(rtt, sizeof rtt, "rtt %u/%ums ", ui->st->rest_rtt_us[PRODUCT_SPOT] / 1000,
			 ui->st->rest_rtt_us[PRODUCT_FUTURES] / 1000);
	if (level == 0 && (rl->spot_rest_max || rl->fut_budget_max))
		snprintf(lim, sizeof lim, "rl %d/%d %d/%d%s ", rl->spot_rest_counter / 100,
			 rl->spot_rest_max / 100, rl->fut_budget_used, rl->fut_budget_max,
			 rl->waiting ? "+" : "");
	if (level >= 3)
		buf[0] = '\0';
	else
		snprintf(buf, cap, " %s%s%s ", rtt, lim, clock);
}

void draw_status(struct ui *ui, int64_t now_ms)
{
	struct term *t = ui->term;
	int bar = ui_style(ui, SLOT_status_bar);
	term_fill(t, 0, 0, ui->w, bar, ' ');
	int x = 0;
	x += term_putf(t, 0, x, ui_style(ui, ui->o.live ? SLOT_live_badge : SLOT_paper_badge), -1,
		       " %s ", ui->o.live ? "LIVE" : "PAPER");
	x += term_putf(t, 0, x, bar, -1, " %s ", ui->profile);
	if (ui->o.live) {
		bool armed = ui_can_trade(ui, now_ms);
		x += term_put(t, 0, x, ui_style(ui, armed ? SLOT_armed : SLOT_dim),
			      armed ? " ARMED " : " read-only ", -1);
	}
	const struct instrument *in = ui_instrument(ui);
	if (in)
		x += term_putf(t, 0, x, ui_style(ui, SLOT_title), -1, " %s ", in->id);
	/* Dead man's switch: the sooner of the two products' cancel times. */
	int64_t dms = 0;
	for (int p = 0; p < PRODUCT_COUNT; p++)
		if (ui->st->dms_trigger_ms[p] && (!dms || ui->st->dms_trigger_ms[p] < dms))
			dms = ui->st->dms_trigger_ms[p];
	if (dms) {
		char cd[16];
		fmt_countdown(cd, sizeof cd, dms - (int64_t)time(NULL) * 1000);
		x += term_putf(t, 0, x, ui_style(ui, SLOT_warning), -1, " DMS %s ", cd);
	}
	/* Feeds, then REST round trips, rate limits and the clock on the right:
	 * the most detail that fits. The names of feeds that are up go first,
	 * then the rate limits, the round trips, the clock, and the full names of
	 * feeds that are not up; every feed's state stays to the last. */
	static const struct {
		int feeds, right;
	} plan[] = {{0, 0}, {1, 0}, {1, 1}, {1, 2}, {1, 3}, {2, 0}, {2, 1}, {2, 2}, {2, 3}};
	struct status_seg seg[STATUS_SEGS];
	char right[128];
	int nseg = 0, cols = 0, rw = 0;
	for (size_t i = 0; i < sizeof plan / sizeof plan[0]; i++) {
		nseg = status_feeds(ui, now_ms, plan[i].feeds, seg, &cols);
		status_right(ui, plan[i].right, right, sizeof right);
		rw = (int)strlen(right);
		if (x + cols + rw <= ui->w)
			break;
	}
	for (int i = 0; i < nseg && x < ui->w; i++)
		x += term_put(t, 0, x, ui_style(ui, seg[i].slot), seg[i].text, ui->w - x);
	if (rw && x + rw <= ui->w)
		term_put(t, 0, ui->w - rw, bar, right, rw);
}

/* The label of tab p at a level of detail: 0 the pane's title, 1 a short name,
 * 2 the number alone (the focused tab keeps its short name). */
static void tab_label(struct ui *ui, int p, int level, char *buf, size_t cap)
{
	/* Short names so all nine tabs fit in 80 columns. */
	static const char *const tabs[PANE_COUNT] = {"Book", "Watch", "Trades", "Chart", "Orders",
						     "Pos", "Spot", "Fut", "Funding"};
	if (level == 2 && p != (int)ui->focus)
		snprintf(buf, cap, " %d ", p + 1);
	else
		snprintf(buf, cap, " %d %s ", p + 1, level == 0 ? pane_defs[p]->title : tabs[p]);
}

void draw_tabs(struct ui *ui)
{
	struct term *t = ui->term;
	term_fill(t, 1, 0, ui->w, ui_style(ui, SLOT_tab), ' ');
	char label[64];
	int level = 0;
	for (; level < 2; level++) { /* the most detail that fits */
		int need = 0;
		for (int p = 0; p < PANE_COUNT; p++) {
			tab_label(ui, p, level, label, sizeof label);
			need += (int)strlen(label);
		}
		if (need <= ui->w)
			break;
	}
	int x = 0;
	for (int p = 0; p < PANE_COUNT && x < ui->w; p++) {
		bool active = p == (int)ui->focus || (ui->visible[p] && p == PANE_TRADES && ui->focus == PANE_BOOK);
		tab_label(ui, p, level, label, sizeof label);
		x += term_put(t, 1, x, ui_style(ui, active ? SLOT_tab_active : SLOT_tab), label,
			      ui->w - x);
	}
}

void draw_message(struct ui *ui, int64_t now_ms)
{
	int y = ui->h - 1;
	enum theme_slot s = ui->msg_level == NOTICE_ERROR ? SLOT_error
			    : ui->msg_level == NOTICE_WARN ? SLOT_warning : SLOT_message;
	term_fill(ui->term, y, 0, ui->w, ui_style(ui, SLOT_normal), ' ');
	if (ui->msg[0]) {
		/* Old information fades: show the age of messages older than 10 s. */
		char age[16] = "";
		if (ui->msg_ms >= 0 && now_ms - ui->msg_ms > 10000)
			fmt_age(age, sizeof age, now_ms - ui->msg_ms);
		int n = term_put(ui->term, y, 0, ui_style(ui, s), ui->msg, ui->w - 8);
		if (age[0])
			term_putf(ui->term, y, n + 1, ui_style(ui, SLOT_dim), -1, "(%s ago)", age);
	} else {
		term_put(ui->term, y, 0, ui_style(ui, SLOT_dim), "? help  / instrument  b buy  s sell  q quit", -1);
	}
}

/* The help overlay: generated from the action table and the active key map. */
void draw_help(struct ui *ui)
{
	struct term *t = ui->term;
	int w = ui->w - 4 < 96 ? ui->w - 4 : 96, h = ui->h - 4;
	int y0 = 2, x0 = (ui->w - w) / 2;
	int nst = ui_style(ui, SLOT_normal);
	for (int y = 0; y < h; y++)
		term_fill(t, y0 + y, x0, w, nst, ' ');
	term_box(t, y0, x0, h, w, ui_style(ui, SLOT_border_focus));
	term_putf(t, y0, x0 + 2, ui_style(ui, SLOT_title_focus), -1, " Help: key map '%s' ", ui->km.name);
	/* Build the lines: per context, each action with its keys. */
	char lines[256][128];
	int n = 0;
	for (int c = 0; c < KC_COUNT && n < 256; c++) {
		bool header = false;
		for (size_t i = 0; i < action_count() && n < 256; i++) {
			const struct action *a = action_at(i);
			char keys[64];
			keymap_keys_for(&ui->km, (enum key_ctx)c, a->name, keys, sizeof keys);
			if (!keys[0])
				continue;
			if (!header) {
				snprintf(lines[n++], sizeof lines[0], "#%s", key_ctx_name((enum key_ctx)c));
				header = true;
			}
			snprintf(lines[n++], sizeof lines[0], "  %-14s %-22s %s", keys, a->name, a->help);
		}
	}
	if (ui->help_top > n - 1)
		ui->help_top = n > 0 ? n - 1 : 0;
	int rows = h - 3;
	for (int i = 0; i < rows && ui->help_top + i < n; i++) {
		const char *l = lines[ui->help_top + i];
		if (l[0] == '#')
			term_putf(t, y0 + 1 + i, x0 + 2, ui_style(ui, SLOT_header), w - 4, "%s (falls back to global)", l + 1);
		else
			term_put(t, y0 + 1 + i, x0 + 2, nst, l, w - 4);
	}
	term_put(t, y0 + h - 2, x0 + 2, ui_style(ui, SLOT_dim),
		 "Up/Down/PgUp/PgDn scroll, any other key closes", w - 4);
}

void draw_switcher(struct ui *ui)
{
	struct term *t = ui->term;
	int w = ui->w - 4 < 60 ? ui->w - 4 : 60;
	int h = ui->h - 6 < 20 ? ui->h - 6 : 20;
	int y0 = 3, x0 = (ui->w - w) / 2;
	int nst = ui_style(ui, SLOT_normal);
	for (int y = 0; y < h; y++)
		term_fill(t, y0 + y, x0, w, nst, ' ');
	term_box(t, y0, x0, h, w, ui_style(ui, SLOT_border_focus));
	term_put(t, y0, x0 + 2, ui_style(ui, SLOT_title_focus), " Instrument ", -1);
	term_putf(t, y0 + 1, x0 + 2, ui_style(ui, SLOT_input), w - 4, "> %s_", ui->sw_query);
	for (int i = 0; i < ui->sw_nhits && i < h - 3; i++) {
		const struct instrument *in = state_instrument(ui->st, ui->sw_hits[i]);
		int s = ui_style(ui, i == ui->sw_sel ? SLOT_selection : SLOT_normal);
		term_fill(t, y0 + 2 + i, x0 + 1, w - 2, s, ' ');
		term_putf(t, y0 + 2 + i, x0 + 2, s, w - 4, "%-16s %-8s %s/%s", in->id,
			  product_name(in->product), in->base, in->quote);
	}
}

void cols_layout(const struct colspec *c, int n, int width, int *xs)
{
	bool show[32] = {false};
	int used = 0;
	if (n > 32)
		n = 32;
	/* Take columns by priority, then by table order, while they fit. */
	for (int prio = 0; prio < 8; prio++)
		for (int i = 0; i < n; i++)
			if (c[i].prio == prio && used + c[i].w <= width + 1) {
				show[i] = true;
				used += c[i].w;
			}
	int x = 0;
	for (int i = 0; i < n; i++) {
		xs[i] = show[i] ? x : -1;
		if (show[i])
			x += c[i].w;
	}
}

void cols_header(struct ui *ui, int y, int x0, const struct colspec *c, int n, const int *xs)
{
	int st = ui_style(ui, SLOT_header);
	for (int i = 0; i < n; i++)
		cols_cell(ui, y, x0, c, i, xs, st, c[i].name);
}

void cols_cell(struct ui *ui, int y, int x0, const struct colspec *c, int i, const int *xs,
	       int style, const char *text)
{
	if (xs[i] < 0)
		return;
	if (c[i].right)
		draw_right(ui, y, x0 + xs[i], c[i].w - 1, style, text);
	else
		term_put(ui->term, y, x0 + xs[i], style, text, c[i].w - 1);
}
