/* ui: creation, state events, layout, key dispatch and the frame. */
#include "ui/ui.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "base/xalloc.h"
#include "ui/form.h"
#include "ui/trade_actions.h"
#include "ui/ui_int.h"

/* Wide layout needs this much room; below it panes become tabs. */
#define WIDE_MIN_W 140
#define WIDE_MIN_H 36
/* The watchlist with all its columns, and what the book and the chart need
 * beside it before it gets that much. */
#define WATCH_FULL_W 98
#define WIDE_SIDE_MIN 50

/* The instrument to show first: the configured one, else BTC/USD, else the first. */
static int start_instrument(const struct ui *ui)
{
	int idx = ui->o.start_instrument ? state_find_instrument(ui->st, ui->o.start_instrument) : -1;
	if (idx < 0)
		idx = state_find_instrument(ui->st, "BTC/USD");
	return idx >= 0 ? idx : 0;
}

static void on_state(void *ctx, const struct state_event *ev)
{
	struct ui *ui = ctx;
	switch (ev->kind) {
	case EV_NOTICE:
		ui_message(ui, ev->level, "%s", ev->text);
		break;
	case EV_INSTRUMENTS:
		/* Instruments arrive per product: move to the default one when it
		 * appears, unless the user already chose. */
		if (ui->st->ninstr > 0 && !ui->instr_chosen && ui->instr != start_instrument(ui))
			ui_set_instrument(ui, start_instrument(ui));
		break;
	case EV_TICKER:
	case EV_POSITIONS:
		alerts_check(ui);
		break;
	default:
		break;
	}
	ui->form_stale = true;
	ui->dirty = true;
}

int ui_style(const struct ui *ui, enum theme_slot s) { return ui->theme.style[s]; }

void ui_message(struct ui *ui, enum notice_level lvl, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(ui->msg, sizeof ui->msg, fmt, ap);
	va_end(ap);
	ui->msg_level = lvl;
	ui->msg_ms = -1; /* stamped at the next frame */
	ui->dirty = true;
	if (lvl == NOTICE_ERROR)
		term_bell(ui->term);
}

const struct instrument *ui_instrument(const struct ui *ui)
{
	return state_instrument(ui->st, ui->instr);
}

void ui_set_instrument(struct ui *ui, int instr)
{
	if (!state_instrument(ui->st, instr))
		return;
	ui->instr = instr;
	ui->book_sel = 0;
	ui->book_group = 1;
	intent_watch(ui->st, instr, ui->book_depth);
	ui->dirty = true;
}

bool ui_can_trade(struct ui *ui, int64_t now_ms)
{
	if (!ui->o.live)
		return true;
	if (ui->armed && ui->o.arm_idle_ms > 0 && now_ms - ui->last_key_ms > ui->o.arm_idle_ms) {
		ui->armed = false;
		int64_t s = (ui->o.arm_idle_ms + 999) / 1000;
		if (s % 60 == 0)
			ui_message(ui, NOTICE_WARN, "disarmed after %lld minute%s without a key",
				   (long long)(s / 60), s == 60 ? "" : "s");
		else
			ui_message(ui, NOTICE_WARN, "disarmed after %lld second%s without a key",
				   (long long)s, s == 1 ? "" : "s");
	}
	return ui->armed;
}

static void free_strings(struct ui *ui)
{
	free(ui->profile);
	free(ui->max_notional);
	free(ui->max_distance_pct);
	free(ui->start_instrument);
}

int ui_new(struct ui **out, struct state *st, const struct ui_opts *o, struct kerr *err)
{
	struct ui *ui = xcalloc(1, sizeof *ui);
	ui->st = st;
	ui->o = *o;
	ui->profile = xstrdup(o->profile ? o->profile : "paper");
	/* Keep copies of the strings used after ui_new (the caller's may be on its
	 * stack); the ones only needed here are not kept at all. */
	ui->max_notional = o->max_notional ? xstrdup(o->max_notional) : NULL;
	ui->max_distance_pct = o->max_distance_pct ? xstrdup(o->max_distance_pct) : NULL;
	ui->start_instrument = o->start_instrument ? xstrdup(o->start_instrument) : NULL;
	ui->o.max_notional = ui->max_notional;
	ui->o.max_distance_pct = ui->max_distance_pct;
	ui->o.start_instrument = ui->start_instrument;
	ui->o.profile = ui->o.theme = ui->o.keymap = ui->o.config_dir = ui->o.data_dir = NULL;
	ui->instr = -1;
	ui->book_depth = 25;
	ui->book_group = 1;
	ui->tickers_sort = TS_NAME;
	ui->value_ccy = o->value_currency >= 0 && o->value_currency < UI_VALUE_CCY_COUNT
				? o->value_currency : 0;
	struct term_opts to = {.headless = o->headless, .width = o->width, .height = o->height,
			       .ascii = o->ascii, .no_color = o->no_color, .max_depth = o->max_depth};
	if (term_open(&ui->term, &to, err) < 0)
		goto fail;
	char udir[1024], ddir[1024], ufile[1024];
	snprintf(udir, sizeof udir, "%s/themes", o->config_dir ? o->config_dir : ".");
	snprintf(ddir, sizeof ddir, "%s/themes", o->data_dir ? o->data_dir : ".");
	if (theme_load(&ui->theme, ui->term, o->theme ? o->theme : "dark", udir, ddir, err) < 0)
		goto fail;
	snprintf(udir, sizeof udir, "%s/keymaps", o->config_dir ? o->config_dir : ".");
	snprintf(ddir, sizeof ddir, "%s/keymaps", o->data_dir ? o->data_dir : ".");
	snprintf(ufile, sizeof ufile, "%s/keys.conf", o->config_dir ? o->config_dir : ".");
	if (keymap_load(&ui->km, o->keymap ? o->keymap : "default", udir, ddir,
			o->config_dir ? ufile : NULL, action_known, err) < 0)
		goto fail;
	term_size(ui->term, &ui->w, &ui->h);
	ui_layout(ui);
	state_listen(st, on_state, ui);
	if (st->ninstr > 0)
		ui_set_instrument(ui, start_instrument(ui));
	ui->dirty = true;
	*out = ui;
	return 0;
fail:
	keymap_free(&ui->km);
	term_close(ui->term);
	free_strings(ui);
	free(ui);
	return -1;
}

void ui_free(struct ui *ui)
{
	if (!ui)
		return;
	trade_ui_detach(ui); /* results arriving later must not touch a freed UI */
	state_unlisten(ui->st, on_state, ui);
	form_free(ui->form);
	keymap_free(&ui->km);
	term_close(ui->term);
	free_strings(ui);
	free(ui);
}

void ui_restore_terminal(struct ui *ui)
{
	if (ui)
		term_restore(ui->term);
}

bool ui_quit_requested(const struct ui *ui) { return ui->quit; }

/* ---- layout ---- */

static void set_rect(struct ui *ui, enum pane_id p, int y, int x, int h, int w)
{
	ui->rects[p] = (struct rect){y, x, h, w};
	ui->visible[p] = h >= 3 && w >= 10;
}

void ui_layout(struct ui *ui)
{
	memset(ui->visible, 0, sizeof ui->visible);
	bool fits = ui->w >= WIDE_MIN_W && ui->h >= WIDE_MIN_H;
	ui->compact = ui->layout_pref == 2 || (ui->layout_pref == 0 && !fits);
	int top = 1, bottom = ui->h - 1; /* status bar above, message line below */
	if (ui->compact) {
		top = 2; /* tab bar */
		set_rect(ui, ui->focus, top, 0, bottom - top, ui->w);
		/* The book tab also shows the trades when there is room beside it. */
		if (ui->focus == PANE_BOOK && ui->w >= 100) {
			int bw = ui->w * 55 / 100;
			set_rect(ui, PANE_BOOK, top, 0, bottom - top, bw);
			set_rect(ui, PANE_TRADES, top, bw, bottom - top, ui->w - bw);
		}
		return;
	}
	int h = bottom - top;
	int upper = h * 58 / 100, lower = h - upper;
	int tw = ui->w * 28 / 100, bw = ui->w * 30 / 100, rw = ui->w - tw - bw;
	/* A large screen gives the watchlist room for every column (bid, ask,
	 * mark, index, funding, open interest) once the book and the chart keep
	 * WIDE_SIDE_MIN columns each. */
	if (ui->w - WATCH_FULL_W >= 2 * WIDE_SIDE_MIN) {
		tw = WATCH_FULL_W;
		bw = (ui->w - tw) / 2;
		rw = ui->w - tw - bw;
	}
	set_rect(ui, PANE_TICKERS, top, 0, upper, tw);
	set_rect(ui, PANE_BOOK, top, tw, upper, bw);
	int ch = upper / 2;
	set_rect(ui, PANE_CHART, top, tw + bw, ch, rw);
	set_rect(ui, PANE_TRADES, top + ch, tw + bw, upper - ch, rw);
	int y2 = top + upper, l1 = lower / 2, l2 = lower - l1;
	int ow = ui->w / 2;
	set_rect(ui, PANE_ORDERS, y2, 0, l1, ow);
	set_rect(ui, PANE_POSITIONS, y2, ow, l1, ui->w - ow);
	int ww = ui->w / 3;
	set_rect(ui, PANE_SPOT_WALLET, y2 + l1, 0, l2, ww);
	set_rect(ui, PANE_FUT_WALLET, y2 + l1, ww, l2, ww);
	set_rect(ui, PANE_FUNDING, y2 + l1, 2 * ww, l2, ui->w - 2 * ww);
}

void ui_resize(struct ui *ui, int w, int h)
{
	term_resize(ui->term, w, h);
	term_size(ui->term, &ui->w, &ui->h);
	ui_layout(ui);
	term_invalidate(ui->term);
	ui->dirty = true;
}

/* ---- keys ---- */

static enum key_ctx current_ctx(const struct ui *ui)
{
	switch (ui->overlay) {
	case OV_FORM: return KC_FORM;
	case OV_SWITCHER: return KC_SWITCHER;
	default: break;
	}
	return pane_defs[ui->focus]->ctx;
}

void ui_key(struct ui *ui, const char *name, const char *utf8, int64_t now_ms)
{
	ui->dirty = true;
	if (strcmp(name, "Resize") == 0) {
		/* Curses resized itself already; calling resizeterm() again would
		 * queue another Resize key, forever. */
		term_sync_size(ui->term);
		term_size(ui->term, &ui->w, &ui->h);
		ui_layout(ui);
		term_invalidate(ui->term);
		return;
	}
	ui->last_key_ms = now_ms;
	if (ui->overlay == OV_HELP) {
		const char *a = keymap_action(&ui->km, KC_GLOBAL, name);
		if (strcmp(name, "Down") == 0 || strcmp(name, "j") == 0)
			ui->help_top++;
		else if ((strcmp(name, "Up") == 0 || strcmp(name, "k") == 0) && ui->help_top > 0)
			ui->help_top--;
		else if (strcmp(name, "PgDn") == 0 || strcmp(name, "Space") == 0)
			ui->help_top += 10;
		else if (strcmp(name, "PgUp") == 0)
			ui->help_top = ui->help_top > 10 ? ui->help_top - 10 : 0;
		else if (a && strcmp(a, "quit") == 0 && strcmp(name, "q") != 0)
			ui->quit = true;
		else
			ui->overlay = OV_NONE;
		return;
	}
	if (ui->overlay == OV_SWITCHER) {
		switcher_key(ui, name, utf8);
		return;
	}
	if (ui->tickers_typing && ui->overlay == OV_NONE) {
		/* The watchlist's name prompt takes text; any other key closes it
		 * (keeping the filter) and does what it always does. */
		if (ui->focus == PANE_TICKERS && tickers_prompt_key(ui, name, utf8))
			return;
		ui->tickers_typing = false;
	}
	enum key_ctx ctx = current_ctx(ui);
	const char *an = keymap_action(&ui->km, ctx, name);
	if (ui->overlay == OV_FORM) {
		/* Bound form actions first, everything else is text for the field. */
		if (an) {
			const struct action *a = action_find(an);
			if (a && (a->ctx_mask & (1u << KC_FORM) || a->ctx_mask & (1u << KC_GLOBAL))) {
				a->run(ui, now_ms);
				return;
			}
		}
		form_input(ui, ui->form, name, utf8, now_ms);
		return;
	}
	if (!an)
		return;
	const struct action *a = action_find(an);
	if (a)
		a->run(ui, now_ms);
}

void ui_input(struct ui *ui, int64_t now_ms)
{
	struct term_key k;
	/* Bounded: a flood of input must not starve the network. */
	for (int i = 0; i < 512 && term_getkey(ui->term, &k); i++)
		ui_key(ui, k.name, k.utf8, now_ms);
}

/* ---- frame ---- */

bool ui_needs_frame(const struct ui *ui, int64_t now_ms)
{
	return ui->dirty || now_ms >= ui->next_tick_ms;
}

void ui_render(struct ui *ui, int64_t now_ms)
{
	if (ui->msg_ms < 0)
		ui->msg_ms = now_ms;
	ui_can_trade(ui, now_ms); /* applies the idle disarm */
	term_erase(ui->term);
	if (ui->w < 40 || ui->h < 10) {
		term_put(ui->term, 0, 0, ui_style(ui, SLOT_warning), "krakterm: window too small", -1);
		term_flush(ui->term);
		ui->dirty = false;
		return;
	}
	draw_status(ui, now_ms);
	if (ui->compact)
		draw_tabs(ui);
	for (int p = 0; p < PANE_COUNT; p++) {
		if (!ui->visible[p])
			continue;
		draw_frame(ui, (enum pane_id)p, p == (int)ui->focus, now_ms);
		const struct rect *r = &ui->rects[p];
		struct rect in = {r->y + 1, r->x + 1, r->h - 2, r->w - 2};
		term_clip(ui->term, in.y, in.x, in.h, in.w);
		pane_defs[p]->draw(ui, &in);
		term_unclip(ui->term);
	}
	draw_message(ui, now_ms);
	/* Market data moved: the open form's preview (notional, slippage,
	 * distance) is recomputed at most once per frame. */
	if (ui->overlay == OV_FORM && ui->form && ui->form->changed && ui->form->stage == FS_EDIT &&
	    ui->form_stale) {
		ui->form->changed(ui, ui->form, now_ms);
		ui->form_stale = false;
	}
	if (ui->overlay == OV_HELP)
		draw_help(ui);
	else if (ui->overlay == OV_SWITCHER)
		draw_switcher(ui);
	else if (ui->overlay == OV_FORM && ui->form)
		form_draw(ui, ui->form, now_ms);
	term_flush(ui->term);
	ui->dirty = false;
	ui->last_frame_ms = now_ms;
	/* Clocks, ages and countdowns move once a second. */
	ui->next_tick_ms = now_ms - now_ms % 1000 + 1000;
}

const char *ui_screen_row(struct ui *ui, int y) { return term_row(ui->term, y); }

void ui_notice(struct ui *ui, int level, const char *text)
{
	ui_message(ui, level >= 2 ? NOTICE_ERROR : level == 1 ? NOTICE_WARN : NOTICE_INFO, "%s", text);
}
