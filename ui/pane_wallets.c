/* pane_wallets: the spot wallet (balance, available, held, value in a chosen
 * currency: USD, EUR, BTC or ETH) and
 * the futures wallet (collateral per currency, portfolio value, margins,
 * available margin, unrealized PnL and funding). */
#include <stdio.h>
#include <string.h>

#include "ui/ui_int.h"

const char *const ui_value_currencies[] = {"USD", "EUR", "BTC", "ETH", NULL};

/* Decimals a value in ccy is shown with. */
static int value_dp(const char *ccy)
{
	return strcmp(ccy, "USD") == 0 || strcmp(ccy, "EUR") == 0 ? 2 : 8;
}

/* The last price of the spot pair base/quote, if it is streamed (looked up by
 * name: this runs for every asset on every frame). */
static bool last_of(struct ui *ui, const char *base, const char *quote, dec_t *px)
{
	char id[2 * ASSET_MAX + 2];
	snprintf(id, sizeof id, "%s/%s", base, quote);
	int i = state_find_instrument(ui->st, id);
	const struct instrument *in = state_instrument(ui->st, i);
	if (!in || in->product != PRODUCT_SPOT || strcmp(in->base, base) != 0 ||
	    strcmp(in->quote, quote) != 0)
		return false;
	const struct market *m = state_market_peek(ui->st, i);
	if (!m || !(m->ticker.has & TK_LAST) || dec_sign(m->ticker.last) <= 0)
		return false;
	*px = m->ticker.last;
	return true;
}

/* One unit of `asset` in `ccy`: the pair asset/ccy's last price, else 1 over
 * ccy/asset's (12 decimals). */
static bool rate_of(struct ui *ui, const char *asset, const char *ccy, dec_t *out)
{
	if (strcmp(asset, ccy) == 0) {
		*out = dec_from_int(1);
		return true;
	}
	dec_t p;
	if (last_of(ui, asset, ccy, &p)) {
		*out = p;
		return true;
	}
	return last_of(ui, ccy, asset, &p) &&
	       dec_div(dec_from_int(1), p, 12, DEC_HALF_EVEN, out) == 0;
}

/* The value of `qty` of `asset` in `ccy` from the spot tickers: directly, or
 * through the first of USD, BTC, EUR, ETH that both have a market with (USD in
 * EUR on a venue with BTC/USD and BTC/EUR but no EUR/USD goes through BTC).
 * Rounded half-even to the currency's decimals only at the end. */
static bool value_in(struct ui *ui, const char *asset, dec_t qty, const char *ccy, dec_t *out)
{
	dec_t r, a, b;
	if (rate_of(ui, asset, ccy, &r))
		return dec_mul(qty, r, value_dp(ccy), DEC_HALF_EVEN, out) == 0;
	for (int i = 0; ui_value_currencies[i]; i++) {
		const char *pivot = ui_value_currencies[i];
		if (!rate_of(ui, asset, pivot, &a) || !rate_of(ui, ccy, pivot, &b))
			continue;
		dec_t mid;
		return dec_mul(qty, a, 12, DEC_HALF_EVEN, &mid) == 0 &&
		       dec_div(mid, b, value_dp(ccy), DEC_HALF_EVEN, out) == 0;
	}
	return false;
}

static void draw_spot(struct ui *ui, const struct rect *r)
{
	struct term *t = ui->term;
	if (!ui->st->has_keys[PRODUCT_SPOT]) {
		term_put(t, r->y, r->x, ui_style(ui, SLOT_dim), "no spot API key in this profile", r->w);
		return;
	}
	if (ui->st->nbal == 0) {
		term_put(t, r->y, r->x, ui_style(ui, SLOT_dim), "waiting for balances...", r->w);
		return;
	}
	int cw = (r->w - 7) / 4;
	if (cw > 16)
		cw = 16;
	term_put(t, r->y, r->x, ui_style(ui, SLOT_header), "Asset", 6);
	draw_right(ui, r->y, r->x + 6, cw - 1, ui_style(ui, SLOT_header), "Balance");
	draw_right(ui, r->y, r->x + 6 + cw, cw - 1, ui_style(ui, SLOT_header), cw >= 9 ? "Available" : "Avail");
	draw_right(ui, r->y, r->x + 6 + 2 * cw, cw - 1, ui_style(ui, SLOT_header), "Held");
	const char *ccy = ui_value_currencies[ui->value_ccy];
	char vh[16];
	snprintf(vh, sizeof vh, "%s value", ccy);
	draw_right(ui, r->y, r->x + 6 + 3 * cw, cw - 1, ui_style(ui, SLOT_header), cw >= 9 ? vh : ccy);
	dec_t total = dec_zero();
	bool total_known = true;
	int y = r->y + 1;
	for (size_t i = 0; i < ui->st->nbal; i++) {
		const struct balance *b = &ui->st->bal[i];
		dec_t v;
		bool known = value_in(ui, b->asset, b->total, ccy, &v);
		if (known)
			dec_add(total, v, &total);
		else if (!dec_is_zero(b->total))
			total_known = false;
		if (y >= r->y + r->h - 1)
			continue;
		int dp = strcmp(b->asset, "USD") == 0 || strcmp(b->asset, "EUR") == 0 ? 2 : 8;
		char a[DEC_FMT_MAX], av[DEC_FMT_MAX], h[DEC_FMT_MAX], vs[DEC_FMT_MAX] = "";
		/* Narrow columns get compact numbers (1.23M) rather than cut ones. */
		void (*f)(char *, size_t, dec_t, int) = cw >= 14 ? fmt_dec_group : fmt_qty_short;
		f(a, sizeof a, b->total, dp);
		f(av, sizeof av, b->available, dp);
		f(h, sizeof h, b->hold, dp);
		if (known)
			f(vs, sizeof vs, v, value_dp(ccy));
		term_put(t, y, r->x, ui_style(ui, SLOT_title), b->asset, 6);
		draw_right(ui, y, r->x + 6, cw - 1, ui_style(ui, SLOT_normal), a);
		draw_right(ui, y, r->x + 6 + cw, cw - 1, ui_style(ui, SLOT_normal), av);
		draw_right(ui, y, r->x + 6 + 2 * cw, cw - 1, ui_style(ui, dec_is_zero(b->hold) ? SLOT_dim : SLOT_warning), h);
		draw_right(ui, y, r->x + 6 + 3 * cw, cw - 1, ui_style(ui, SLOT_dim), vs);
		y++;
	}
	char tot[DEC_FMT_MAX];
	fmt_dec_group(tot, sizeof tot, total, value_dp(ccy));
	term_putf(t, r->y + r->h - 1, r->x, ui_style(ui, SLOT_title), r->w, "Total %s%s %s", tot,
		  total_known ? "" : "+ (some assets unpriced)", ccy);
}

static void kv(struct ui *ui, int y, int x, int w, const char *k, dec_t v, enum theme_slot s)
{
	char b[DEC_FMT_MAX];
	fmt_dec_group(b, sizeof b, v, 2);
	term_put(ui->term, y, x, ui_style(ui, SLOT_dim), k, w);
	draw_right(ui, y, x, w, ui_style(ui, s), b);
}

static void draw_futures(struct ui *ui, const struct rect *r)
{
	struct term *t = ui->term;
	const struct futures_account *fa = &ui->st->fut;
	if (!ui->st->has_keys[PRODUCT_FUTURES]) {
		term_put(t, r->y, r->x, ui_style(ui, SLOT_dim), "no futures API key in this profile", r->w);
		return;
	}
	if (!fa->valid) {
		term_put(t, r->y, r->x, ui_style(ui, SLOT_dim), "waiting for the futures wallet...", r->w);
		return;
	}
	int half = r->w / 2 - 1, y = r->y, end = r->y + r->h;
	kv(ui, y, r->x, half, "Portfolio", fa->portfolio_value, SLOT_title);
	kv(ui, y++, r->x + half + 2, half, "Available", fa->available_margin, SLOT_ok);
	if (y < end) {
		kv(ui, y, r->x, half, "Init margin", fa->initial_margin, SLOT_normal);
		kv(ui, y++, r->x + half + 2, half, "Maint margin", fa->maintenance_margin,
		   SLOT_normal);
	}
	if (y < end) {
		kv(ui, y, r->x, half, "uPnL", fa->pnl, dec_sign(fa->pnl) >= 0 ? SLOT_profit : SLOT_loss);
		kv(ui, y++, r->x + half + 2, half, "uFunding", fa->unrealized_funding,
		   dec_sign(fa->unrealized_funding) >= 0 ? SLOT_profit : SLOT_loss);
	}
	if (y < end)
		term_put(t, y++, r->x, ui_style(ui, SLOT_header), "Collateral       Quantity     USD value", r->w);
	for (int i = 0; i < fa->ncur && y < end; i++, y++) {
		const struct collateral *c = &fa->cur[i];
		char q[DEC_FMT_MAX], v[DEC_FMT_MAX];
		fmt_dec_group(q, sizeof q, c->quantity, strcmp(c->asset, "USD") == 0 ? 2 : 8);
		fmt_dec_group(v, sizeof v, c->value, 2);
		term_put(t, y, r->x, ui_style(ui, SLOT_title), c->asset, 8);
		/* Columns that do not fit are left out rather than drawn over the border. */
		if (r->w >= 24)
			draw_right(ui, y, r->x + 8, 16, ui_style(ui, SLOT_normal), q);
		if (r->w >= 38)
			draw_right(ui, y, r->x + 25, 13, ui_style(ui, SLOT_dim), v);
	}
	for (int i = 0; i < fa->ncash && y < end; i++, y++) {
		char q[DEC_FMT_MAX];
		fmt_dec_group(q, sizeof q, fa->cash[i].quantity, 8);
		term_putf(t, y, r->x, ui_style(ui, SLOT_dim), r->w, "cash %-6s %s", fa->cash[i].asset, q);
	}
}

static void spot_subtitle(struct ui *ui, char *buf, size_t cap)
{
	snprintf(buf, cap, "%zu assets", ui->st->nbal);
}

static bool spot_stale(struct ui *ui, int64_t now_ms)
{
	(void)now_ms;
	enum feed_state s = ui->st->feeds[FEED_SPOT_PRIVATE].state;
	return ui->st->has_keys[PRODUCT_SPOT] && s != FEED_UP && s != FEED_OFF;
}

static bool fut_stale(struct ui *ui, int64_t now_ms)
{
	(void)now_ms;
	enum feed_state s = ui->st->feeds[FEED_FUT_PRIVATE].state;
	return ui->st->has_keys[PRODUCT_FUTURES] && s != FEED_UP && s != FEED_OFF;
}

const struct pane_def pane_spot_wallet_def = {"Spot wallet", KC_WALLETS, draw_spot, spot_subtitle,
					       spot_stale};
const struct pane_def pane_fut_wallet_def = {"Futures wallet", KC_WALLETS, draw_futures, NULL,
					      fut_stale};
