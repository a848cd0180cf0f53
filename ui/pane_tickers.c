/* pane_tickers: the watchlist across spot and futures — last, 24h change,
 * volume (as a USD notional), bid/ask, mark, index, funding rate and open
 * interest; sortable, filterable by product and by name (a prompt on the
 * pane's first row). Columns are as wide as their values and the least
 * important give way first when the pane is narrow. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ui/ui_int.h"

#define ROWS_MAX 512

struct row {
	int instr;
	const struct ticker *t;
	dec_t notional; /* 24h volume in USD (quote currency when no USD rate is known) */
	bool has_notional;
};

/* 24h change in percent: the feed's value, or derived from the open. */
static bool change_of(const struct ticker *t, dec_t *out)
{
	if (t->has & TK_CHANGE) {
		*out = t->change_pct;
		return true;
	}
	if ((t->has & TK_LAST) && !dec_is_zero(t->open24h)) {
		dec_t d;
		if (dec_sub(t->last, t->open24h, &d) == 0 &&
		    dec_mul(d, dec_from_int(100), 8, DEC_HALF_EVEN, &d) == 0 &&
		    dec_div(d, t->open24h, 2, DEC_HALF_EVEN, out) == 0)
			return true;
	}
	return false;
}

/* Is the quote currency worth one US dollar, as far as a volume ranking goes? */
static bool quote_is_usd(const char *q)
{
	static const char *const usd[] = {"USD", "ZUSD", "USDT", "USDC", "DAI", "PYUSD"};
	for (size_t i = 0; i < sizeof usd / sizeof usd[0]; i++)
		if (strcasecmp(q, usd[i]) == 0)
			return true;
	return false;
}

/* The 24h volume as a USD notional, so spot, linear and inverse markets rank
 * together: spot volume is in the base currency (times the price), linear
 * futures in contracts of contract_size base units (times the price), inverse
 * futures in contracts worth contract_size USD each (never times the price).
 * A quote that is not a dollar is converted at its "<QUOTE>/USD" last price
 * when that market is known. */
static bool notional_of(const struct ui *ui, const struct instrument *in, const struct ticker *t,
			dec_t *out)
{
	if (!(t->has & TK_VOLUME))
		return false;
	dec_t cs = in->product == PRODUCT_FUTURES && dec_sign(in->contract_size) > 0
			   ? in->contract_size
			   : dec_from_int(1);
	dec_t v;
	if (dec_mul(t->volume, cs, 8, DEC_DOWN, &v) < 0)
		return false;
	if (instrument_is_inverse(in)) {
		*out = v;
		return true;
	}
	dec_t px = (t->has & TK_LAST) && dec_sign(t->last) > 0 ? t->last : t->mark;
	if (dec_mul(v, px, 2, DEC_DOWN, out) < 0)
		return false;
	if (quote_is_usd(in->quote))
		return true;
	char pair[2 * ASSET_MAX + 2];
	snprintf(pair, sizeof pair, "%s/USD", in->quote);
	const struct market *m = state_market_peek(ui->st, state_find_instrument(ui->st, pair));
	if (m && (m->ticker.has & TK_LAST) && dec_sign(m->ticker.last) > 0)
		dec_mul(*out, m->ticker.last, 2, DEC_DOWN, out);
	return true;
}

static int cmp_rows(const void *a, const void *b, void *arg)
{
	const struct row *x = a, *y = b;
	const struct ui *ui = arg;
	int c = 0;
	dec_t vx = dec_zero(), vy = dec_zero();
	switch (ui->tickers_sort) {
	case TS_NAME:
		c = strcmp(ui->st->instr[x->instr].id, ui->st->instr[y->instr].id);
		break;
	case TS_CHANGE:
		change_of(x->t, &vx);
		change_of(y->t, &vy);
		c = -dec_cmp(vx, vy);
		break;
	case TS_VOLUME:
		/* Markets without a volume go last, then the biggest first. */
		c = (int)y->has_notional - (int)x->has_notional;
		if (!c)
			c = -dec_cmp(x->notional, y->notional);
		break;
	case TS_FUNDING:
		c = -dec_cmp(x->t->rel_funding_rate, y->t->rel_funding_rate);
		break;
	case TS_COUNT:
		break;
	}
	if (ui->tickers_desc)
		c = -c;
	return c ? c : x->instr - y->instr;
}

/* Does the market pass the product filter and the name filter? */
static bool shown(const struct ui *ui, const struct instrument *in)
{
	if (strcmp(ui->tickers_filter, "spot") == 0 && in->product != PRODUCT_SPOT)
		return false;
	if (strcmp(ui->tickers_filter, "futures") == 0 && in->product != PRODUCT_FUTURES)
		return false;
	return !ui->tickers_name[0] || strcasestr(in->id, ui->tickers_name) != NULL;
}

static int collect(struct ui *ui, struct row *rows)
{
	int n = 0;
	for (size_t i = 0; i < ui->st->ninstr && n < ROWS_MAX; i++) {
		const struct market *m = state_market_peek(ui->st, (int)i);
		const struct instrument *in = &ui->st->instr[i];
		if (!m || !m->ticker.has || !shown(ui, in))
			continue;
		rows[n].instr = (int)i;
		rows[n].t = &m->ticker;
		rows[n].has_notional = notional_of(ui, in, &m->ticker, &rows[n].notional);
		n++;
	}
	qsort_r(rows, (size_t)n, sizeof *rows, cmp_rows, ui);
	return n;
}

bool tickers_prompt_key(struct ui *ui, const char *name, const char *utf8)
{
	size_t len = strlen(ui->tickers_name);
	if (strcmp(name, "Esc") == 0) {
		ui->tickers_name[0] = '\0';
		ui->tickers_typing = false;
	} else if (strcmp(name, "Enter") == 0) {
		ui->tickers_typing = false;
	} else if (strcmp(name, "Backspace") == 0) {
		if (len)
			ui->tickers_name[len - 1] = '\0';
	} else if (strcmp(name, "C-u") == 0) {
		ui->tickers_name[0] = '\0';
	} else if (utf8 && utf8[0] && strcmp(name, utf8) == 0 && utf8[0] != ' ') {
		/* A printable key (named by its own text): part of the name. */
		if (len + strlen(utf8) < sizeof ui->tickers_name)
			strcat(ui->tickers_name, utf8);
	} else {
		return false;
	}
	ui->tickers_sel = 0;
	ui->tickers_top = 0;
	return true;
}

void tickers_select_current(struct ui *ui)
{
	struct row rows[ROWS_MAX];
	int n = collect(ui, rows);
	if (ui->tickers_sel < n) {
		ui_set_instrument(ui, rows[ui->tickers_sel].instr);
		ui->instr_chosen = true;
	}
}

/* Columns in table order; the widths are the least each needs, widened to
 * the values on screen. When the pane is narrow, higher prio goes first. */
enum tcol { C_MARKET, C_LAST, C_CHANGE, C_VOL, C_BID, C_ASK, C_MARK, C_INDEX, C_FUND, C_OI, C_N };

static const struct colspec cols_base[C_N] = {
	[C_MARKET] = {"Market", 11, 0, false}, [C_LAST] = {"Last", 9, 0, true},
	[C_CHANGE] = {"24h", 8, 1, true},      [C_VOL] = {"Vol $", 7, 2, true},
	[C_BID] = {"Bid", 7, 4, true},         [C_ASK] = {"Ask", 7, 4, true},
	[C_MARK] = {"Mark", 7, 5, true},       [C_INDEX] = {"Index", 7, 6, true},
	[C_FUND] = {"Fund/h", 9, 3, true},     [C_OI] = {"OI", 7, 5, true},
};

/* The text of column c for a row (empty when the feed does not give it);
 * *slot is set for coloured cells. */
static void cell_text(struct ui *ui, const struct row *rw, int c, char *v, size_t cap,
		      enum theme_slot *slot)
{
	const struct instrument *in = &ui->st->instr[rw->instr];
	const struct ticker *tk = rw->t;
	dec_t ch, p;
	v[0] = '\0';
	switch (c) {
	case C_MARKET: snprintf(v, cap, " %s", in->id); break;
	case C_LAST: fmt_dec_group(v, cap, tk->last, in->price_dp); break;
	case C_CHANGE:
		if (change_of(tk, &ch)) {
			fmt_pct(v, cap, ch, 2, true);
			*slot = dec_sign(ch) >= 0 ? SLOT_up : SLOT_down;
		}
		break;
	case C_VOL:
		if (rw->has_notional)
			fmt_qty_short(v, cap, rw->notional, 0);
		break;
	case C_BID:
		if ((tk->has & TK_BBO) && dec_sign(tk->bid) > 0)
			fmt_dec_group(v, cap, tk->bid, in->price_dp);
		break;
	case C_ASK:
		if ((tk->has & TK_BBO) && dec_sign(tk->ask) > 0)
			fmt_dec_group(v, cap, tk->ask, in->price_dp);
		break;
	case C_MARK: if (tk->has & TK_MARK) fmt_dec_group(v, cap, tk->mark, in->price_dp); break;
	case C_INDEX: if (tk->has & TK_INDEX) fmt_dec_group(v, cap, tk->index, in->price_dp); break;
	case C_FUND:
		if ((tk->has & TK_FUNDING) &&
		    dec_mul(tk->rel_funding_rate, dec_from_int(100), 8, DEC_HALF_EVEN, &p) == 0)
			fmt_pct(v, cap, p, 4, true);
		break;
	case C_OI: if (tk->has & TK_OI) fmt_qty_short(v, cap, tk->open_interest, 0); break;
	}
}

/* The filter prompt / active name filter on the pane's first row. */
static void draw_prompt(struct ui *ui, const struct rect *r)
{
	int x = term_putf(ui->term, r->y, r->x, ui_style(ui, SLOT_input), r->w, "Filter: %s%s",
			  ui->tickers_name, ui->tickers_typing ? "_" : "");
	term_put(ui->term, r->y, r->x + x + 1, ui_style(ui, SLOT_dim),
		 ui->tickers_typing ? "(Enter keeps, Esc clears)" : "", r->w - x - 1);
}

static void draw(struct ui *ui, const struct rect *r)
{
	struct term *t = ui->term;
	struct row rows[ROWS_MAX];
	int n = collect(ui, rows);
	struct rect body = *r;
	if (ui->tickers_typing || ui->tickers_name[0]) {
		draw_prompt(ui, r);
		body.y++;
		body.h--;
	}
	if (n == 0) {
		if (ui->tickers_name[0] || ui->tickers_filter[0])
			term_putf(t, body.y, body.x, ui_style(ui, SLOT_dim), body.w, "no %s%smarket matches",
				  ui->tickers_filter, ui->tickers_filter[0] ? " " : "");
		else
			term_put(t, body.y, body.x, ui_style(ui, SLOT_dim), "waiting for tickers...", body.w);
		return;
	}
	if (ui->tickers_sel >= n)
		ui->tickers_sel = n - 1;
	int vis = body.h - 1;
	if (vis < 1)
		return;
	if (ui->tickers_sel < ui->tickers_top)
		ui->tickers_top = ui->tickers_sel;
	if (ui->tickers_sel >= ui->tickers_top + vis)
		ui->tickers_top = ui->tickers_sel - vis + 1;
	/* Column widths fit what is on screen (plus one cell of gap). */
	struct colspec cols[C_N];
	memcpy(cols, cols_base, sizeof cols);
	for (int i = 0; i < vis && ui->tickers_top + i < n; i++)
		for (int c = 0; c < C_N; c++) {
			char v[DEC_FMT_MAX + 8];
			enum theme_slot sl = SLOT_normal;
			cell_text(ui, &rows[ui->tickers_top + i], c, v, sizeof v, &sl);
			int need = (int)strlen(v) + 1;
			if (need > cols[c].w)
				cols[c].w = need;
		}
	int xs[C_N];
	cols_layout(cols, C_N, body.w, xs);
	cols_header(ui, body.y, body.x, cols, C_N, xs);
	for (int i = 0; i < vis && ui->tickers_top + i < n; i++) {
		int ri = ui->tickers_top + i;
		int y = body.y + 1 + i;
		bool sel = ri == ui->tickers_sel && ui->focus == PANE_TICKERS;
		bool cur = rows[ri].instr == ui->instr;
		int base = ui_style(ui, sel ? SLOT_selection : SLOT_normal);
		term_fill(t, y, body.x, body.w, base, ' ');
		for (int c = 0; c < C_N; c++) {
			char v[DEC_FMT_MAX + 8];
			enum theme_slot sl = SLOT_normal;
			cell_text(ui, &rows[ri], c, v, sizeof v, &sl);
			int st = base;
			if (c == C_MARKET) {
				v[0] = cur ? '>' : ' ';
				st = ui_style(ui, sel ? SLOT_selection : cur ? SLOT_title : SLOT_normal);
			} else if (!sel && sl != SLOT_normal) {
				st = ui_style(ui, sl);
			}
			cols_cell(ui, y, body.x, cols, c, xs, st, v);
		}
	}
}

static void subtitle(struct ui *ui, char *buf, size_t cap)
{
	static const char *const names[] = {"name", "change", "volume", "funding"};
	char name[sizeof ui->tickers_name + 4] = "";
	if (ui->tickers_name[0])
		snprintf(name, sizeof name, " \"%s\"", ui->tickers_name);
	snprintf(buf, cap, "%s%s  by %s%s", ui->tickers_filter[0] ? ui->tickers_filter : "all", name,
		 names[ui->tickers_sort], ui->tickers_desc ? " (rev)" : "");
}

const struct pane_def pane_tickers_def = {"Watchlist", KC_TICKERS, draw, subtitle, NULL};
