/* bench_render: CPU time of one full frame of the UI, headless (the frame is
 * drawn into the headless terminal's grid: every pane's layout, formatting
 * and drawing, but not curses' own diff and output, which bench_pty measures
 * through a real pseudo-terminal).
 *
 * The state is what a busy screen shows: 6 Spot pairs and 4 futures, each
 * with a 100-level book, a full ticker, 256 trades and 240 one-minute
 * candles; 40 open orders, 100 fills, 4 futures positions, 6 balances, a
 * futures account and funding history; every feed up. Between frames the
 * shown book changes (3 levels) and a trade arrives, as in a live market.
 * Sizes: 80x24 (compact layout) and 200x60 (every pane). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"
#include "bench/bench_util.h"
#include "core/state.h"
#include "ui/ui.h"

static dec_t D(const char *s)
{
	dec_t d = {0, 0};
	dec_parse(s, (size_t)-1, &d, NULL);
	return d;
}

struct def {
	const char *id, *base, *quote;
	enum product product;
	enum instr_kind kind;
	int pdp, qdp;
	int64_t px; /* reference price in price units */
};

static const struct def defs[] = {
        {"BTC/USD", "BTC", "USD", PRODUCT_SPOT, IK_SPOT, 1, 8, 600000},
        {"ETH/USD", "ETH", "USD", PRODUCT_SPOT, IK_SPOT, 2, 8, 300000},
        {"SOL/USD", "SOL", "USD", PRODUCT_SPOT, IK_SPOT, 2, 8, 15000},
        {"XRP/USD", "XRP", "USD", PRODUCT_SPOT, IK_SPOT, 5, 8, 60000},
        {"ETH/BTC", "ETH", "BTC", PRODUCT_SPOT, IK_SPOT, 5, 8, 5000},
        {"BTC/EUR", "BTC", "EUR", PRODUCT_SPOT, IK_SPOT, 1, 8, 550000},
        {"PF_XBTUSD", "XBT", "USD", PRODUCT_FUTURES, IK_PERP_LINEAR, 1, 4, 600000},
        {"PF_ETHUSD", "ETH", "USD", PRODUCT_FUTURES, IK_PERP_LINEAR, 1, 3, 30000},
        {"PF_SOLUSD", "SOL", "USD", PRODUCT_FUTURES, IK_PERP_LINEAR, 2, 2, 15000},
        {"PI_XBTUSD", "XBT", "USD", PRODUCT_FUTURES, IK_PERP_INVERSE, 1, 0, 600000},
};
#define NDEFS (sizeof defs / sizeof defs[0])

static void add_market(struct state *st, const struct def *d, uint32_t *seed)
{
	struct instrument in;
	memset(&in, 0, sizeof in);
	snprintf(in.id, sizeof in.id, "%s", d->id);
	snprintf(in.base, sizeof in.base, "%s", d->base);
	snprintf(in.quote, sizeof in.quote, "%s", d->quote);
	in.product = d->product;
	in.kind = d->kind;
	in.price_dp = (uint8_t)d->pdp;
	in.qty_dp = (uint8_t)d->qdp;
	in.tick = dec_make(1, (unsigned)d->pdp);
	in.lot = dec_make(1, (unsigned)d->qdp);
	in.min_size = dec_make(1, (unsigned)d->qdp);
	in.contract_size = dec_from_int(1);
	in.tradeable = true;
	int i = state_add_instrument(st, &in);
	struct market *m = state_market(st, i);
	book_init(&m->book, (unsigned)d->pdp, (unsigned)d->qdp, 100);
	for (int l = 0; l < 100; l++) {
		book_set(&m->book, SIDE_BUY, d->px - 1 - 3 * l, 1 + bench_rnd(seed) % 50000000);
		book_set(&m->book, SIDE_SELL, d->px + 1 + 3 * l, 1 + bench_rnd(seed) % 50000000);
	}
	m->book.valid = true;
	m->book_subscribed = true;
	struct ticker *t = &m->ticker;
	t->has = TK_LAST | TK_BBO | TK_VOLUME | TK_CHANGE | TK_HIGHLOW;
	t->last = dec_make(d->px, (unsigned)d->pdp);
	t->bid = dec_make(d->px - 1, (unsigned)d->pdp);
	t->ask = dec_make(d->px + 1, (unsigned)d->pdp);
	t->bid_qty = t->ask_qty = D("1.5");
	t->volume = D("12345.678");
	t->open24h = dec_make(d->px - 1000, (unsigned)d->pdp);
	t->change_pct = D("1.67");
	t->high = dec_make(d->px + 2000, (unsigned)d->pdp);
	t->low = dec_make(d->px - 2000, (unsigned)d->pdp);
	if (d->product == PRODUCT_FUTURES) {
		t->has |= TK_MARK | TK_INDEX | TK_FUNDING | TK_OI;
		t->mark = t->index = t->last;
		t->funding_rate = D("0.0000125");
		t->rel_funding_rate = D("0.0000002");
		t->open_interest = D("2500.5");
		t->next_funding_ms = 1748779200000;
		struct funding_history *fh = state_funding(st, i);
		for (unsigned k = 0; k < 48; k++)
			fh->r[fh->n++] = (struct funding_rate){1748779200000 - 3600000 * (48 - k),
			                                       D("0.0000125"), D("0.0000002")};
	}
	for (int k = 0; k < 256; k++) {
		struct trade tr = {1748779200000 + k * 250,
		                   dec_make(d->px + k % 7, (unsigned)d->pdp),
		                   dec_make(1 + k % 13, 2), k % 3 ? SIDE_BUY : SIDE_SELL, false};
		trade_ring_push(&m->trades, &tr);
	}
	m->candles.interval_min = 1;
	for (int k = 0; k < 240; k++) {
		int64_t o = d->px + (int64_t)(bench_rnd(seed) % 200) - 100;
		struct candle c = {
		        1748779200000 - (240 - k) * 60000,  dec_make(o, (unsigned)d->pdp),
		        dec_make(o + 60, (unsigned)d->pdp), dec_make(o - 60, (unsigned)d->pdp),
		        dec_make(o + 10, (unsigned)d->pdp), D("12.5")};
		candle_series_put(&m->candles, &c);
	}
}

static void add_account(struct state *st)
{
	for (int k = 0; k < 40; k++) {
		const struct def *d = &defs[k % NDEFS];
		char id[ORDER_ID_MAX];
		snprintf(id, sizeof id, "O%05d-ABCDE-FGHIJK", k);
		struct order *o = state_order_upsert(st, id);
		snprintf(o->cl_id, sizeof o->cl_id, "cl-%d", k);
		o->instr = (int)(k % NDEFS);
		o->product = d->product;
		o->side = k % 2 ? SIDE_SELL : SIDE_BUY;
		o->type = OT_LIMIT;
		o->status = OS_OPEN;
		o->qty = dec_make(5 + k, 2);
		o->limit_price =
		        dec_make(d->px + (k % 2 ? 10 + 3 * k : -10 - 3 * k), (unsigned)d->pdp);
		o->created_ms = o->updated_ms = 1748779200000 + k * 1000;
		state_order_changed(st, o);
	}
	for (int k = 0; k < 100; k++) {
		const struct def *d = &defs[k % NDEFS];
		struct fill f;
		memset(&f, 0, sizeof f);
		snprintf(f.id, sizeof f.id, "T%05d-XYZ", k);
		snprintf(f.order_id, sizeof f.order_id, "O%05d-ABCDE-FGHIJK", k);
		f.instr = (int)(k % NDEFS);
		f.product = d->product;
		f.side = k % 2 ? SIDE_SELL : SIDE_BUY;
		f.price = dec_make(d->px, (unsigned)d->pdp);
		f.qty = dec_make(3, 2);
		f.fee = D("0.12");
		snprintf(f.fee_asset, sizeof f.fee_asset, "USD");
		f.time_ms = 1748779200000 + k * 1000;
		state_add_fill(st, &f);
	}
	struct position pos[4];
	memset(pos, 0, sizeof pos);
	for (int k = 0; k < 4; k++) {
		const struct def *d = &defs[6 + k];
		pos[k].instr = 6 + k;
		pos[k].product = PRODUCT_FUTURES;
		pos[k].size = dec_make(k % 2 ? -25 : 40, 1);
		pos[k].entry = dec_make(d->px - 50, (unsigned)d->pdp);
		pos[k].mark = dec_make(d->px, (unsigned)d->pdp);
		pos[k].upnl = D("123.45");
		pos[k].liq_price = dec_make(d->px / 2, (unsigned)d->pdp);
		pos[k].leverage = D("3.2");
		snprintf(pos[k].pnl_asset, sizeof pos[k].pnl_asset, "USD");
	}
	state_set_positions(st, PRODUCT_FUTURES, pos, 4);
	static const char *const assets[] = {"USD", "BTC", "ETH", "SOL", "XRP", "EUR"};
	struct balance b[6];
	for (int k = 0; k < 6; k++) {
		memset(&b[k], 0, sizeof b[k]);
		snprintf(b[k].asset, sizeof b[k].asset, "%s", assets[k]);
		b[k].total = D("12345.6789");
		b[k].hold = D("100");
		b[k].available = D("12245.6789");
	}
	state_set_balances(st, b, 6);
	struct futures_account fa;
	memset(&fa, 0, sizeof fa);
	fa.valid = true;
	fa.ncur = 3;
	for (int k = 0; k < 3; k++) {
		snprintf(fa.cur[k].asset, sizeof fa.cur[k].asset, "%s", assets[k]);
		fa.cur[k].quantity = fa.cur[k].value = fa.cur[k].collateral = fa.cur[k].available =
		        D("5000.25");
	}
	fa.portfolio_value = fa.balance_value = fa.collateral_value = fa.margin_equity =
	        D("15000.75");
	fa.initial_margin = fa.maintenance_margin = D("1200.5");
	fa.available_margin = D("13800.25");
	state_set_futures_account(st, &fa);
	st->has_keys[PRODUCT_SPOT] = st->has_keys[PRODUCT_FUTURES] = true;
	for (int f = 0; f < FEED_COUNT; f++)
		state_feed_set(st, (enum feed_id)f, FEED_UP, NULL);
	state_changed(st, EV_INSTRUMENTS, -1);
}

/* The market moves between frames: 3 book levels and a trade. */
static void tick(struct state *st, int k, uint32_t *seed)
{
	struct market *m = state_market(st, 0);
	for (int i = 0; i < 3; i++) {
		enum side s = bench_rnd(seed) & 1 ? SIDE_BUY : SIDE_SELL;
		int64_t px = s == SIDE_BUY ? 599999 - 3 * (int64_t)(bench_rnd(seed) % 20)
		                           : 600001 + 3 * (int64_t)(bench_rnd(seed) % 20);
		book_set(&m->book, s, px, 1 + bench_rnd(seed) % 50000000);
	}
	state_changed(st, EV_BOOK, 0);
	struct trade tr = {1748779300000 + k, dec_make(600000 + k % 11, 1), D("0.25"), SIDE_BUY,
	                   false};
	trade_ring_push(&m->trades, &tr);
	state_changed(st, EV_TRADES, 0);
}

/* n more open orders on BTC/USD, resting at the book's prices (the book pane
 * marks the levels holding the user's orders). */
static void add_orders(struct state *st, int n)
{
	for (int k = 0; k < n; k++) {
		char id[ORDER_ID_MAX];
		snprintf(id, sizeof id, "OB%05d-ABCDE-FGHIJK", k);
		struct order *o = state_order_upsert(st, id);
		snprintf(o->cl_id, sizeof o->cl_id, "clb-%d", k);
		o->instr = 0;
		o->product = PRODUCT_SPOT;
		o->side = k % 2 ? SIDE_SELL : SIDE_BUY;
		o->type = OT_LIMIT;
		o->status = OS_OPEN;
		o->qty = dec_make(1, 3);
		int64_t l = (k / 2) % 100;
		o->limit_price = dec_make(k % 2 ? 600001 + 3 * l : 599999 - 3 * l, 1);
		state_order_changed(st, o);
	}
}

static void bench_size(struct state *st, int w, int h, const char *suffix, uint32_t *seed)
{
	struct ui_opts o;
	memset(&o, 0, sizeof o);
	o.profile = "paper";
	o.headless = true;
	o.width = w;
	o.height = h;
	o.theme = "dark";
	o.keymap = "default";
	o.data_dir = bench_srcdir();
	o.config_dir = "/nonexistent";
	o.start_instrument = "BTC/USD";
	struct ui *ui = NULL;
	struct kerr err = KERR_INIT;
	if (ui_new(&ui, st, &o, &err) < 0) {
		fprintf(stderr, "bench_render: %s\n", err.msg);
		exit(1);
	}
	int64_t now = 1748779200000;
	ui_render(ui, now);
	int frames = 0;
	uint64_t cpu = 0, budget = (uint64_t)(0.5e9 * bench_scale());
	while (cpu < budget || frames < 100) {
		tick(st, frames, seed);
		now += 33;
		uint64_t t0 = bench_thread_cpu_ns();
		ui_render(ui, now);
		cpu += bench_thread_cpu_ns() - t0;
		frames++;
	}
	bool book_shown = false;
	for (int y = 0; y < h; y++)
		if (strstr(ui_screen_row(ui, y), "60,000."))
			book_shown = true;
	if (!book_shown || getenv("KT_BENCH_SHOW")) {
		if (!book_shown)
			fprintf(stderr, "bench_render: the book is not on the %dx%d screen\n", w,
			        h);
		for (int y = 0; y < h; y++)
			fprintf(stderr, "%s\n", ui_screen_row(ui, y));
		if (!book_shown)
			exit(1);
	}
	bench_outf((double)cpu / frames / 1000.0, "us", "render_frame_%dx%d%s", w, h, suffix);
	ui_free(ui);
}

int main(void)
{
	struct state st;
	state_init(&st);
	uint32_t seed = 4242;
	for (size_t i = 0; i < NDEFS; i++)
		add_market(&st, &defs[i], &seed);
	add_account(&st);
	bench_size(&st, 80, 24, "", &seed);
	bench_size(&st, 200, 60, "", &seed);
	bench_size(&st, 120, 40, "", &seed);
	/* How the frame grows with the user's open orders on the shown pair. */
	add_orders(&st, 200);
	bench_size(&st, 200, 60, "_orders240", &seed);
	add_orders(&st, 1000);
	bench_size(&st, 200, 60, "_orders1040", &seed);
	state_free(&st);
	return 0;
}
