/* test_ticket: trading from the keyboard through the headless UI, with the
 * shipped default key map and a fake gateway that records every call. Proves:
 * every order type of each product reaches the gateway exactly as typed;
 * fields that do not apply are hidden; validation and parse errors show
 * beside their field and nothing is sent; rounding only with the r key;
 * backing out of a confirmation sends nothing; a guard forces a second
 * confirmation; cancel, amend, nudge, cancel-all, close, leverage, margin
 * mode and transfers send exactly what was confirmed; a live profile sends
 * nothing until armed; results reach the message line and the journal; and
 * the shipped key maps name only actions that exist. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/state.h"
#include "ui/form.h"
#include "ui/keymap.h"
#include "ui/trade_actions.h"
#include "ui/ui.h"
#include "ui/ui_int.h"
#include "tests/unit/unit.h"

#define T0 1000

static dec_t D(const char *s)
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

/* ---- the fake gateway ---- */

#define REC 16

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

static struct fake fk;

static int pend(intent_cb cb, void *arg)
{
	fk.pend[fk.npend].cb = cb;
	fk.pend[fk.npend++].arg = arg;
	return 0;
}

static int g_place(void *gw, const struct order_req *r, intent_cb cb, void *arg, struct kerr *e)
{
	(void)gw, (void)e;
	fk.place[fk.nplace++] = *r;
	return pend(cb, arg);
}

static int g_amend(void *gw, const struct amend_req *r, intent_cb cb, void *arg, struct kerr *e)
{
	(void)gw, (void)e;
	fk.amend[fk.namend++] = *r;
	return pend(cb, arg);
}

static int g_cancel(void *gw, const char *id, intent_cb cb, void *arg, struct kerr *e)
{
	(void)gw, (void)e;
	snprintf(fk.cancel[fk.ncancel++], ORDER_ID_MAX, "%s", id);
	return pend(cb, arg);
}

static int g_all(void *gw, enum product p, int instr, intent_cb cb, void *arg, struct kerr *e)
{
	(void)gw, (void)e;
	fk.all_product[fk.nall] = p;
	fk.all_instr[fk.nall++] = instr;
	return pend(cb, arg);
}

static int g_lev(void *gw, int instr, const dec_t *lev, intent_cb cb, void *arg, struct kerr *e)
{
	(void)gw, (void)e;
	fk.lev_instr[fk.nlev] = instr;
	fk.lev_set[fk.nlev] = lev != NULL;
	fk.lev[fk.nlev++] = lev ? *lev : dec_zero();
	return pend(cb, arg);
}

static int g_xfer(void *gw, const struct transfer_req *r, intent_cb cb, void *arg, struct kerr *e)
{
	(void)gw, (void)e;
	fk.xfer[fk.nxfer++] = *r;
	return pend(cb, arg);
}

static const struct gateway_ops fake_ops = {
	.place = g_place, .amend = g_amend, .cancel = g_cancel, .cancel_all = g_all,
	.set_leverage = g_lev, .transfer = g_xfer,
};

static int sent(void) { return fk.nplace + fk.namend + fk.ncancel + fk.nall + fk.nlev + fk.nxfer; }

/* The exchange answers every request in flight. */
static void complete(enum intent_status s, const char *msg)
{
	int n = fk.npend;
	fk.npend = 0;
	for (int i = 0; i < n; i++) {
		struct intent_result r;
		memset(&r, 0, sizeof r);
		r.status = s;
		snprintf(r.order_id, sizeof r.order_id, "OID-%d", i + 1);
		snprintf(r.ref, sizeof r.ref, "REF-%d", i + 1);
		snprintf(r.message, sizeof r.message, "%s", msg);
		if (s == INTENT_REJECTED)
			snprintf(r.code, sizeof r.code, "EOrder:Insufficient funds");
		r.count = 2;
		fk.pend[i].cb(fk.pend[i].arg, &r);
	}
}

/* ---- the journal hook ---- */

static char journal[32][400];
static int njournal;

static void journal_hook(void *ctx, const char *kind, const char *text)
{
	(void)ctx;
	if (njournal < 32)
		snprintf(journal[njournal++], sizeof journal[0], "%s|%s", kind, text);
}

/* ---- state and UI ---- */

static int spot, perp;

static void add_instr(struct state *st, bool fut)
{
	struct instrument in;
	memset(&in, 0, sizeof in);
	snprintf(in.id, sizeof in.id, "%s", fut ? "PF_XBTUSD" : "BTC/USD");
	strcpy(in.base, "BTC");
	strcpy(in.quote, "USD");
	in.product = fut ? PRODUCT_FUTURES : PRODUCT_SPOT;
	in.kind = fut ? IK_PERP_LINEAR : IK_SPOT;
	in.price_dp = 1;
	in.qty_dp = fut ? 4 : 8;
	in.cost_dp = 5;
	in.tick = D(fut ? "0.5" : "0.1");
	in.lot = D(fut ? "0.0001" : "0.00000001");
	in.min_size = D("0.0001");
	in.min_cost = fut ? dec_zero() : D("0.5");
	in.fee_maker = D(fut ? "0.0002" : "0.0025");
	in.fee_taker = D(fut ? "0.0005" : "0.004");
	in.contract_size = D("1");
	in.leverage_buy[0] = fut ? 0 : 2;
	in.leverage_buy[1] = fut ? 0 : 3;
	in.leverage_sell[0] = fut ? 0 : 2;
	in.ntiers = fut ? 1 : 0;
	in.tiers[0].initial = D("0.02");
	in.tiers[0].maintenance = D("0.01");
	in.tradeable = true;
	int i = state_add_instrument(st, &in);
	*(fut ? &perp : &spot) = i;
	struct market *m = state_market(st, i);
	for (int l = 0; l < 20; l++) { /* bids 60000.0 down, asks 60001.0 up, 1.5 each */
		book_set(&m->book, SIDE_BUY, 600000 - 10 * l, fut ? 15000 : 150000000);
		book_set(&m->book, SIDE_SELL, 600010 + 10 * l, fut ? 15000 : 150000000);
	}
	m->ticker.has = TK_LAST | (fut ? TK_MARK : 0);
	m->ticker.last = D("60000.5");
	m->ticker.mark = D("60000");
}

static struct state st;
static struct ui *ui;

static void start(bool live, bool confirm, const char *max_notional)
{
	memset(&fk, 0, sizeof fk);
	njournal = 0;
	state_init(&st);
	add_instr(&st, false);
	add_instr(&st, true);
	state_set_gateway(&st, &fake_ops, &fk);
	static char data[4096];
	snprintf(data, sizeof data, "%s", getenv("KT_TOP_SRCDIR") ? getenv("KT_TOP_SRCDIR") : KT_SRCDIR);
	struct ui_opts o;
	memset(&o, 0, sizeof o);
	o.profile = live ? "live" : "paper";
	o.live = live;
	o.confirm = confirm;
	o.headless = true;
	o.width = 120;
	o.height = 40;
	o.keymap = "default";
	o.theme = "dark";
	o.data_dir = data;
	o.config_dir = "/nonexistent";
	o.max_notional = max_notional;
	o.hooks.journal = journal_hook;
	struct kerr err = KERR_INIT;
	if (ui_new(&ui, &st, &o, &err) < 0)
		fail_msg("ui_new: %s", err.msg);
}

static void stop(void)
{
	complete(INTENT_OK, ""); /* nothing left waiting on the UI */
	ui_free(ui);
	state_free(&st);
}

static void key(const char *name)
{
	char u[8] = "";
	if (strlen(name) == 1)
		snprintf(u, sizeof u, "%s", name);
	ui_key(ui, name, u, T0);
}

static void type(const char *s)
{
	for (; *s; s++) {
		char k[2] = {*s, 0};
		key(k);
	}
}

static struct field *sel(void) { return &ui->form->f[ui->form->sel]; }

static void go(const char *label)
{
	assert_non_null(ui->form);
	for (int i = 0; i < 40; i++) {
		if (strcmp(sel()->label, label) == 0)
			return;
		key("Tab");
	}
	fail_msg("no visible field '%s'", label);
}

static void set(const char *label, const char *text)
{
	go(label);
	key("C-u");
	type(text);
}

static void choose(const char *label, const char *value)
{
	go(label);
	for (int i = 0; i < 12; i++) {
		if (strcmp(sel()->choices[sel()->choice], value) == 0)
			return;
		key("Right");
	}
	fail_msg("%s has no choice '%s'", label, value);
}

static struct field *field(const char *label)
{
	for (int i = 0; i < ui->form->n; i++)
		if (strcmp(ui->form->f[i].label, label) == 0)
			return &ui->form->f[i];
	fail_msg("no field '%s'", label);
	return NULL;
}

static bool shown(const char *label) { return !field(label)->hidden; }

/* Review and confirm: the ticket closes and the gateway has one more call. */
static void send_it(void)
{
	int before = sent();
	key("Enter");
	assert_non_null(ui->form);
	if (ui->form->stage != FS_CONFIRM)
		fail_msg("not at the confirmation: %s / %s", ui->msg, ui->form->status);
	key("y");
	assert_null(ui->form);
	assert_true(sent() > before);
}

static bool screen_has(const char *needle)
{
	ui_render(ui, T0);
	for (int y = 0; y < 40; y++)
		if (strstr(ui_screen_row(ui, y), needle))
			return true;
	return false;
}

static const struct order_req *last_place(void) { return &fk.place[fk.nplace - 1]; }

/* ---- tests ---- */

static void shipped_keymaps_name_known_actions(void **state)
{
	(void)state;
	static const char *const maps[] = {"default.conf", "vim.conf"};
	for (int i = 0; i < 2; i++) {
		char path[4096];
		snprintf(path, sizeof path, "%s/keymaps/%s",
			 getenv("KT_TOP_SRCDIR") ? getenv("KT_TOP_SRCDIR") : KT_SRCDIR, maps[i]);
		struct keymap km;
		memset(&km, 0, sizeof km);
		struct kerr err = KERR_INIT;
		if (keymap_load_file(&km, path, action_known, &err) < 0)
			fail_msg("%s", err.msg);
		for (size_t b = 0; b < km.n; b++)
			assert_true(strcmp(km.b[b].action, "none") == 0 || action_known(km.b[b].action));
		keymap_free(&km);
	}
}

static void spot_every_type(void **state)
{
	(void)state;
	start(false, true, NULL);
	/* b: a buy limit at the best bid, the cursor on the size. */
	key("b");
	assert_string_equal(sel()->label, "Size");
	assert_string_equal(field("Limit price")->text, "60000.0");
	assert_false(shown("Trigger price") || shown("Display size") || shown("Reduce-only"));
	type("0.01");
	assert_true(screen_has("Order ticket: BTC/USD"));
	assert_true(screen_has("Value 600.00 USD"));
	key("Enter");
	assert_string_equal(ui->form->confirm, "BUY 0.01 BTC/USD limit, limit 60,000.0");
	assert_true(screen_has("BUY 0.01 BTC/USD limit, limit 60,000.0"));
	key("y");
	assert_int_equal(fk.nplace, 1);
	const struct order_req *r = last_place();
	assert_int_equal(r->instr, spot);
	assert_int_equal(r->side, SIDE_BUY);
	assert_int_equal(r->type, OT_LIMIT);
	assert_dec(r->qty, "0.01");
	assert_dec(r->limit_price, "60000.0");
	assert_int_equal(r->tif, TIF_GTC);
	assert_true(r->cl_id[0] != '\0');

	/* Market buy, size in quote currency (viqc). */
	key("b");
	choose("Type", "market");
	assert_false(shown("Limit price"));
	choose("Size in", "USD");
	set("Size", "500");
	send_it();
	assert_int_equal(last_place()->type, OT_MARKET);
	assert_true(last_place()->qty_in_quote);
	assert_dec(last_place()->qty, "500");

	/* Limit, post-only, good till 30 minutes from now. */
	key("b");
	set("Size", "0.01");
	set("Limit price", "59000.0");
	go("Post-only");
	key("Space");
	choose("Time in force", "GTD");
	set("Expires", "30m");
	int64_t now = (int64_t)time(NULL);
	send_it();
	r = last_place();
	assert_true(r->post_only);
	assert_int_equal(r->tif, TIF_GTD);
	assert_true(r->expire_s >= now + 1800 && r->expire_s <= now + 1802);

	/* Iceberg sell showing 0.1. */
	key("s");
	choose("Type", "iceberg");
	set("Size", "1");
	set("Limit price", "61000");
	set("Display size", "0.1");
	send_it();
	r = last_place();
	assert_int_equal(r->side, SIDE_SELL);
	assert_int_equal(r->type, OT_ICEBERG);
	assert_dec(r->display_qty, "0.1");
	assert_dec(r->limit_price, "61000");

	/* Stop-loss on the index, stop-loss-limit, take-profit, take-profit-limit. */
	key("s");
	choose("Type", "stop-loss");
	assert_false(shown("Limit price"));
	set("Size", "0.5");
	set("Trigger price", "58000");
	choose("Trigger on", "index");
	send_it();
	r = last_place();
	assert_int_equal(r->type, OT_STOP);
	assert_dec(r->trigger_price, "58000");
	assert_int_equal(r->signal, TRIG_INDEX);
	assert_true(dec_is_zero(r->limit_price));
	key("s");
	choose("Type", "stop-loss-limit");
	set("Size", "0.5");
	set("Limit price", "57900");
	set("Trigger price", "58000");
	send_it();
	assert_int_equal(last_place()->type, OT_STOP_LIMIT);
	assert_dec(last_place()->limit_price, "57900");
	assert_dec(last_place()->trigger_price, "58000");
	key("s");
	choose("Type", "take-profit");
	set("Size", "0.5");
	set("Trigger price", "62000");
	send_it();
	assert_int_equal(last_place()->type, OT_TAKE_PROFIT);
	assert_int_equal(last_place()->signal, TRIG_LAST);
	key("s");
	choose("Type", "take-profit-limit");
	set("Size", "0.5");
	set("Limit price", "61900");
	set("Trigger price", "62000");
	send_it();
	assert_int_equal(last_place()->type, OT_TAKE_PROFIT_LIMIT);
	assert_dec(last_place()->limit_price, "61900");

	/* Trailing stop 1.5 %, trailing-stop-limit 100 with a 0.5 % limit offset. */
	key("s");
	choose("Type", "trailing-stop");
	assert_true(shown("Trail offset") && !shown("Limit offset"));
	set("Size", "0.5");
	set("Trail offset", "1.5%");
	send_it();
	r = last_place();
	assert_int_equal(r->type, OT_TRAILING_STOP);
	assert_dec(r->trail_offset, "1.5");
	assert_true(r->trail_pct);
	key("s");
	choose("Type", "trailing-stop-limit");
	set("Size", "0.5");
	set("Trail offset", "100");
	set("Limit offset", "0.5%");
	send_it();
	r = last_place();
	assert_int_equal(r->type, OT_TRAILING_STOP_LIMIT);
	assert_dec(r->trail_offset, "100");
	assert_false(r->trail_pct);
	assert_dec(r->trail_limit_offset, "0.5");
	assert_true(r->trail_limit_pct);

	/* Margin buy at 3x, reduce-only, with a conditional stop-loss close. */
	key("b");
	set("Size", "0.01");
	choose("Leverage", "3x");
	assert_true(shown("Reduce-only"));
	go("Reduce-only");
	key("y");
	choose("Close", "stop-loss");
	assert_true(shown("Close price") && !shown("Close limit"));
	set("Close price", "55000");
	send_it();
	r = last_place();
	assert_int_equal(r->leverage, 3);
	assert_true(r->reduce_only);
	assert_true(r->close.set);
	assert_int_equal(r->close.type, OT_STOP);
	assert_dec(r->close.price, "55000");
	assert_int_equal(fk.nplace, 11);
	stop();
}

static void futures_every_type(void **state)
{
	(void)state;
	start(false, true, NULL);
	key("/");
	type("pf");
	key("Enter");
	assert_int_equal(ui->instr, perp);
	key("b");
	assert_string_equal(field("Instrument")->text, "PF_XBTUSD  (futures)");
	assert_false(shown("Leverage") || shown("Size in"));
	assert_true(shown("Reduce-only"));
	choose("Type", "market");
	set("Size", "2");
	send_it();
	assert_int_equal(last_place()->type, OT_MARKET);
	assert_dec(last_place()->qty, "2");

	key("s");
	set("Size", "1");
	set("Limit price", "61000");
	go("Post-only");
	key("Space");
	send_it();
	assert_true(last_place()->post_only);
	assert_dec(last_place()->limit_price, "61000");
	key("s");
	set("Size", "1");
	set("Limit price", "59000");
	choose("Time in force", "FOK");
	send_it();
	assert_int_equal(last_place()->tif, TIF_FOK);

	/* The brief's example: a reduce-only stop-market on mark. */
	key("s");
	choose("Type", "stop");
	assert_false(shown("Limit price") || shown("Post-only") || shown("Time in force"));
	set("Size", "0.5");
	set("Trigger price", "59000.0");
	go("Reduce-only");
	key("Space");
	key("Enter");
	assert_string_equal(ui->form->confirm,
			    "SELL 0.5 PF_XBTUSD stop-market, trigger 59,000.0 on mark, reduce-only");
	key("y");
	const struct order_req *r = last_place();
	assert_int_equal(r->type, OT_STOP);
	assert_int_equal(r->signal, TRIG_MARK);
	assert_true(r->reduce_only);
	assert_dec(r->trigger_price, "59000.0");

	key("s");
	choose("Type", "stop-limit");
	set("Size", "1");
	set("Limit price", "58900");
	set("Trigger price", "59000");
	choose("Trigger on", "last");
	send_it();
	assert_int_equal(last_place()->type, OT_STOP_LIMIT);
	assert_int_equal(last_place()->signal, TRIG_LAST);
	key("b");
	choose("Type", "take-profit");
	set("Size", "1");
	set("Trigger price", "59000");
	send_it();
	assert_int_equal(last_place()->type, OT_TAKE_PROFIT);
	assert_int_equal(last_place()->side, SIDE_BUY);
	key("b");
	choose("Type", "take-profit-limit");
	set("Size", "1");
	set("Limit price", "59100");
	set("Trigger price", "59000");
	send_it();
	assert_int_equal(last_place()->type, OT_TAKE_PROFIT_LIMIT);
	key("s");
	choose("Type", "trailing-stop");
	assert_false(shown("Limit offset"));
	set("Size", "1");
	set("Trail offset", "200");
	choose("Trigger on", "index");
	send_it();
	r = last_place();
	assert_int_equal(r->type, OT_TRAILING_STOP);
	assert_dec(r->trail_offset, "200");
	assert_int_equal(r->signal, TRIG_INDEX);
	assert_int_equal(fk.nplace, 8);
	stop();
}

/* Each problem is shown beside its field, and Enter sends nothing. */
static void validation_beside_fields(void **state)
{
	(void)state;
	start(false, true, NULL);
	key("b");
	set("Size", "0.0.1");
	assert_non_null(strstr(field("Size")->error, "unexpected '.'"));
	key("Enter");
	assert_int_equal(ui->form->stage, FS_EDIT);
	assert_non_null(strstr(ui->msg, "not sent: Size"));
	set("Size", "0.00001");
	assert_string_equal(field("Size")->error, "size is below the minimum order of 0.0001 BTC");
	set("Size", "0.01");
	set("Limit price", "60000.05");
	assert_string_equal(field("Limit price")->error, "tick grid: press r for 60000.0");
	assert_true(screen_has("tick grid: press r for 60000.0"));
	key("Enter");
	assert_int_equal(ui->form->stage, FS_EDIT);
	set("Limit price", "60000");
	choose("Leverage", "3x");
	choose("Side", "sell");
	assert_string_equal(field("Leverage")->error,
			    "leverage 3 is not allowed for BTC/USD (choose 2)");
	choose("Leverage", "none");
	choose("Side", "buy");
	choose("Type", "stop-loss");
	choose("Side", "sell");
	set("Trigger price", "61000");
	assert_non_null(strstr(field("Trigger price")->error, "would trigger at once"));
	choose("Type", "limit");
	choose("Time in force", "GTD");
	set("Expires", "tomorrow");
	assert_non_null(strstr(field("Expires")->error, "a duration (30m, 2h, 1d)"));
	key("Enter");
	assert_int_equal(ui->form->stage, FS_EDIT);
	key("Esc");
	assert_null(ui->form);

	/* Funds, with private data: not enough USD beside the size. */
	st.has_keys[PRODUCT_SPOT] = true;
	struct balance b;
	memset(&b, 0, sizeof b);
	strcpy(b.asset, "USD");
	b.total = b.available = D("100");
	state_set_balances(&st, &b, 1);
	key("b");
	set("Size", "0.01");
	assert_non_null(strstr(field("Size")->error, "not enough USD"));
	key("Enter");
	key("Esc");

	/* Futures: reduce-only without a position, lot size, margin. */
	st.has_keys[PRODUCT_FUTURES] = true;
	struct futures_account fa;
	memset(&fa, 0, sizeof fa);
	fa.available_margin = D("100");
	state_set_futures_account(&st, &fa);
	ui_set_instrument(ui, perp);
	key("b");
	set("Size", "1");
	go("Reduce-only");
	key("Space");
	assert_string_equal(field("Reduce-only")->error,
			    "reduce-only: there is no short position in PF_XBTUSD to reduce");
	key("Space");
	assert_non_null(strstr(field("Size")->error, "not enough margin"));
	set("Size", "0.00005");
	assert_string_equal(field("Size")->error, "size is below the lot size 0.0001");
	key("Enter");
	assert_int_equal(sent(), 0);
	stop();
}

static void rounding_only_with_r(void **state)
{
	(void)state;
	start(false, true, NULL);
	key("s");
	set("Size", "0.123456789"); /* lot 0.00000001 */
	set("Limit price", "61000.04");
	assert_string_equal(field("Size")->error, "lot grid: press r for 0.12345678");
	assert_string_equal(field("Limit price")->error, "tick grid: press r for 61000.1");
	assert_non_null(strstr(ui->form->status, "Press r"));
	key("Enter");
	assert_int_equal(sent(), 0);
	key("r");
	assert_string_equal(field("Size")->text, "0.12345678");
	assert_string_equal(field("Limit price")->text, "61000.1");
	assert_string_equal(field("Limit price")->error, "");
	send_it();
	assert_dec(last_place()->qty, "0.12345678");
	assert_dec(last_place()->limit_price, "61000.1");
	stop();
}

static void backing_out_sends_nothing(void **state)
{
	(void)state;
	start(false, true, NULL);
	key("b");
	set("Size", "0.01");
	key("Enter");
	assert_int_equal(ui->form->stage, FS_CONFIRM);
	key("Esc");
	assert_int_equal(ui->form->stage, FS_EDIT);
	assert_string_equal(ui->msg, "not sent");
	key("Enter");
	key("n");
	assert_int_equal(ui->form->stage, FS_EDIT);
	key("Esc");
	assert_null(ui->form);
	assert_int_equal(sent(), 0);
	assert_int_equal(njournal, 0);
	stop();
}

static void guard_forces_second_confirmation(void **state)
{
	(void)state;
	start(false, true, "1000");
	key("b");
	set("Size", "0.1"); /* 6,000 USD */
	assert_true(screen_has("Guard: the order is worth 6,000.00 USD"));
	key("Enter");
	assert_int_equal(ui->form->stage, FS_CONFIRM);
	assert_string_equal(ui->form->warning,
			    "GUARD: the order is worth 6,000.00 USD, above your limit of 1,000 USD");
	key("Enter");
	assert_int_equal(ui->form->stage, FS_CONFIRM2);
	assert_true(screen_has("Really send?"));
	assert_int_equal(sent(), 0);
	key("y");
	assert_int_equal(fk.nplace, 1);
	stop();

	/* Paper with confirmations off: sent on Enter, unless a guard fires. */
	start(false, false, "1000");
	key("b");
	set("Size", "0.01");
	key("Enter");
	assert_null(ui->form);
	assert_int_equal(fk.nplace, 1);
	key("b");
	set("Size", "0.1");
	key("Enter");
	assert_int_equal(ui->form->stage, FS_CONFIRM2);
	assert_int_equal(fk.nplace, 1);
	key("Esc");
	key("Esc");
	stop();
}

static void live_needs_arming(void **state)
{
	(void)state;
	start(true, false, NULL); /* live ignores "confirm = false" */
	key("b");
	set("Size", "0.01");
	assert_non_null(strstr(ui->form->status, "LIVE, not armed"));
	key("Enter");
	assert_int_equal(ui->form->stage, FS_CONFIRM);
	key("y");
	assert_string_equal(ui->msg, "LIVE and not armed: nothing was sent (arm with A)");
	assert_int_equal(sent(), 0);
	assert_non_null(ui->form);
	key("A"); /* arm from the confirmation */
	assert_true(ui->armed);
	key("y");
	assert_int_equal(fk.nplace, 1);
	/* Disarmed: a nudge sends nothing either. */
	ui->armed = false;
	struct order *o = state_order_upsert(&st, "O1");
	o->instr = spot;
	o->side = SIDE_BUY;
	o->type = OT_LIMIT;
	o->status = OS_OPEN;
	o->qty = D("0.5");
	o->limit_price = D("59000.0");
	state_order_changed(&st, o);
	key("5");
	key("Right");
	assert_int_equal(fk.namend, 0);
	assert_non_null(strstr(ui->msg, "not armed"));
	stop();
}

static void results_and_journal(void **state)
{
	(void)state;
	start(false, true, NULL);
	key("b");
	set("Size", "0.01");
	send_it();
	assert_string_equal(ui->msg, "sending: BUY 0.01 BTC/USD limit, limit 60,000.0");
	complete(INTENT_OK, "");
	assert_string_equal(ui->msg, "placed (id OID-1): BUY 0.01 BTC/USD limit, limit 60,000.0");
	key("b");
	set("Size", "0.02");
	send_it();
	complete(INTENT_REJECTED, "not enough USD for this order");
	assert_string_equal(ui->msg, "order rejected: not enough USD for this order");
	assert_int_equal(njournal, 4);
	assert_string_equal(journal[0], "intent|BUY 0.01 BTC/USD limit, limit 60,000.0");
	assert_string_equal(journal[1], "ack|BUY 0.01 BTC/USD limit, limit 60,000.0 | id OID-1");
	assert_string_equal(journal[2], "intent|BUY 0.02 BTC/USD limit, limit 60,000.0");
	assert_string_equal(journal[3], "reject|BUY 0.02 BTC/USD limit, limit 60,000.0 | "
					"EOrder:Insufficient funds: not enough USD for this order");
	/* A result after the UI is gone touches nothing (ASan would tell). */
	key("b");
	set("Size", "0.03");
	send_it();
	trade_ui_detach(ui);
	ui_free(ui);
	complete(INTENT_OK, "");
	state_free(&st);
}

static void add_order(const char *id, int instr, enum side side, enum order_type t, const char *px,
		      const char *trig)
{
	struct order *o = state_order_upsert(&st, id);
	o->instr = instr;
	o->product = instr == perp ? PRODUCT_FUTURES : PRODUCT_SPOT;
	o->side = side;
	o->type = t;
	o->status = OS_OPEN;
	o->qty = D("0.5");
	o->limit_price = px ? D(px) : dec_zero();
	o->trigger_price = trig ? D(trig) : dec_zero();
	state_order_changed(&st, o);
}

static void orders_cancel_amend_nudge(void **state)
{
	(void)state;
	start(false, true, NULL);
	add_order("O1", spot, SIDE_BUY, OT_LIMIT, "59000.0", NULL);
	add_order("O2", perp, SIDE_SELL, OT_STOP, NULL, "59000.0");
	add_order("O3", perp, SIDE_SELL, OT_STOP_LIMIT, "58900.0", "59000.0");
	key("5");
	key("c");
	assert_int_equal(ui->form->stage, FS_CONFIRM);
	assert_string_equal(ui->form->confirm, "CANCEL BUY 0.5 BTC/USD limit, limit 59,000.0 (id O1)");
	key("y");
	assert_int_equal(fk.ncancel, 1);
	assert_string_equal(fk.cancel[0], "O1");
	complete(INTENT_OK, "");
	assert_string_equal(ui->msg, "done: CANCEL BUY 0.5 BTC/USD limit, limit 59,000.0 (id O1)");

	/* Amend the price in place; a price off the tick is rounded only with r. */
	key("a");
	assert_string_equal(sel()->label, "Limit price");
	set("Limit price", "59010.05");
	assert_string_equal(field("Limit price")->error, "tick grid: press r for 59010.0");
	key("Enter");
	assert_int_equal(fk.namend, 0);
	key("r");
	key("Enter");
	assert_string_equal(ui->form->confirm,
			    "AMEND BUY 0.5 BTC/USD limit, limit 59,000.0: price 59,000.0 -> 59,010.0");
	key("y");
	assert_int_equal(fk.namend, 1);
	assert_string_equal(fk.amend[0].order_id, "O1");
	assert_true(fk.amend[0].has_limit && !fk.amend[0].has_qty && !fk.amend[0].has_trigger);
	assert_dec(fk.amend[0].limit_price, "59010.0");
	key("a");
	set("Size", "0.7");
	send_it();
	assert_true(fk.amend[1].has_qty && !fk.amend[1].has_limit);
	assert_dec(fk.amend[1].qty, "0.7");
	complete(INTENT_OK, "");

	/* Nudges: one tick; a quick repeat builds on the one in flight; a
	 * rejected nudge is forgotten. */
	key("Right");
	assert_null(ui->form);
	assert_dec(fk.amend[2].limit_price, "59000.1");
	key("Right");
	assert_dec(fk.amend[3].limit_price, "59000.2");
	complete(INTENT_REJECTED, "no");
	key("Left");
	assert_dec(fk.amend[4].limit_price, "58999.9");
	key("Down"); /* the stop: its trigger moves by the 0.5 tick */
	key("Left");
	assert_true(fk.amend[5].has_trigger && !fk.amend[5].has_limit);
	assert_dec(fk.amend[5].trigger_price, "58999.5");
	key("Down"); /* the stop-limit: both move */
	key("Right");
	assert_dec(fk.amend[6].limit_price, "58900.5");
	assert_dec(fk.amend[6].trigger_price, "59000.5");
	assert_int_equal(fk.namend, 7);
	stop();
}

static void cancel_all_counts(void **state)
{
	(void)state;
	start(false, true, NULL);
	key("X");
	assert_null(ui->form);
	assert_string_equal(ui->msg, "no open orders in BTC/USD to cancel");
	add_order("O1", spot, SIDE_BUY, OT_LIMIT, "59000.0", NULL);
	add_order("O2", spot, SIDE_SELL, OT_LIMIT, "61000.0", NULL);
	add_order("O3", perp, SIDE_SELL, OT_STOP, NULL, "59000.0");
	key("X");
	assert_string_equal(ui->form->confirm, "CANCEL ALL 2 open orders of BTC/USD");
	key("Esc");
	assert_int_equal(sent(), 0);
	key("Enter"); /* back at the (empty) edit stage: Enter asks again */
	key("y");
	assert_int_equal(fk.nall, 1);
	assert_int_equal(fk.all_product[0], PRODUCT_SPOT);
	assert_int_equal(fk.all_instr[0], spot);
	complete(INTENT_OK, "");
	assert_string_equal(ui->msg, "cancelled 2 orders");
	key("M-x");
	assert_string_equal(ui->form->confirm, "CANCEL ALL 3 open orders (2 spot, 1 futures)");
	key("y");
	assert_int_equal(fk.nall, 3);
	assert_int_equal(fk.all_product[1], PRODUCT_SPOT);
	assert_int_equal(fk.all_product[2], PRODUCT_FUTURES);
	assert_int_equal(fk.all_instr[1], -1);
	assert_int_equal(fk.all_instr[2], -1);
	stop();
}

static void set_position(bool isolated)
{
	struct position p;
	memset(&p, 0, sizeof p);
	p.instr = perp;
	p.product = PRODUCT_FUTURES;
	p.size = D("2");
	p.entry = D("60000");
	p.mark = D("60000");
	p.isolated = isolated;
	p.max_leverage = isolated ? D("10") : dec_zero();
	state_set_positions(&st, PRODUCT_FUTURES, &p, 1);
}

static void positions_close_leverage_mode(void **state)
{
	(void)state;
	start(false, true, NULL);
	set_position(false);
	key("6");
	key("c");
	assert_string_equal(field("Size")->text, "2");
	send_it();
	const struct order_req *r = last_place();
	assert_int_equal(r->instr, perp);
	assert_int_equal(r->side, SIDE_SELL);
	assert_int_equal(r->type, OT_MARKET);
	assert_true(r->reduce_only);
	assert_dec(r->qty, "2");
	key("p");
	assert_string_equal(sel()->label, "Size");
	type("0.5");
	choose("Close with", "limit");
	assert_string_equal(field("Limit price")->text, "60000.0");
	send_it();
	r = last_place();
	assert_int_equal(r->type, OT_LIMIT);
	assert_dec(r->qty, "0.5");
	assert_dec(r->limit_price, "60000");
	assert_true(r->reduce_only);
	key("p");
	type("3");
	assert_string_equal(field("Size")->error, "larger than the position (2)");
	key("Esc");

	/* Leverage 10x: margin 2 x 60000 x 2% = 2,400 now, 12,000 at 10x. */
	key("l");
	type("10");
	assert_true(screen_has("Initial margin 2,400.00 -> 12,000.00 USD (+9,600.00)"));
	send_it();
	assert_int_equal(fk.nlev, 1);
	assert_int_equal(fk.lev_instr[0], perp);
	assert_true(fk.lev_set[0]);
	assert_dec(fk.lev[0], "10");
	/* Cross -> isolated at the default 50x (1 / 2%). */
	key("m");
	assert_string_equal(ui->form->confirm, "SET PF_XBTUSD to isolated margin at 50x leverage");
	key("y");
	assert_true(fk.lev_set[1]);
	assert_dec(fk.lev[1], "50");
	/* Isolated -> cross clears the preference. */
	set_position(true);
	key("m");
	assert_string_equal(ui->form->confirm, "SET PF_XBTUSD to cross margin (no leverage preference)");
	key("y");
	assert_int_equal(fk.nlev, 3);
	assert_false(fk.lev_set[2]);
	stop();
}

static void transfers_both_ways(void **state)
{
	(void)state;
	start(false, true, NULL);
	st.has_keys[PRODUCT_SPOT] = true;
	struct balance b;
	memset(&b, 0, sizeof b);
	strcpy(b.asset, "USD");
	b.total = D("1000");
	b.available = D("900");
	state_set_balances(&st, &b, 1);
	struct futures_account fa;
	memset(&fa, 0, sizeof fa);
	fa.ncur = 1;
	strcpy(fa.cur[0].asset, "USD");
	fa.cur[0].quantity = D("50");
	fa.cur[0].available = D("40");
	fa.ncash = 1;
	strcpy(fa.cash[0].asset, "USD");
	fa.cash[0].quantity = D("20");
	state_set_futures_account(&st, &fa);

	key("t");
	assert_string_equal(sel()->label, "Amount");
	type("2000");
	assert_string_equal(field("Amount")->error, "only 900 USD can leave the spot wallet");
	key("C-u");
	type("100");
	assert_true(screen_has("spot          USD: 1000 -> 900"));
	assert_true(screen_has("futures       USD: 50 -> 150"));
	key("Enter");
	assert_string_equal(ui->form->confirm, "TRANSFER 100 USD from spot to futures");
	key("y");
	assert_int_equal(fk.nxfer, 1);
	assert_string_equal(fk.xfer[0].asset, "USD");
	assert_dec(fk.xfer[0].amount, "100");
	assert_int_equal(fk.xfer[0].from, WALLET_SPOT);
	assert_int_equal(fk.xfer[0].to, WALLET_FUTURES_FLEX);
	complete(INTENT_OK, "");
	assert_string_equal(ui->msg, "transferred (ref REF-1): TRANSFER 100 USD from spot to futures");
	assert_string_equal(journal[1], "ack|TRANSFER 100 USD from spot to futures | ref REF-1");

	/* From the futures wallet pane: futures -> spot, m for the maximum. */
	key("8");
	key("t");
	key("m");
	assert_string_equal(field("Amount")->text, "40");
	send_it();
	assert_int_equal(fk.xfer[1].from, WALLET_FUTURES_FLEX);
	assert_int_equal(fk.xfer[1].to, WALLET_SPOT);
	assert_dec(fk.xfer[1].amount, "40");
	/* Futures flex -> cash; spot -> cash has no direct route. */
	key("t");
	choose("To", "futures-cash");
	set("Amount", "10");
	send_it();
	assert_int_equal(fk.xfer[2].from, WALLET_FUTURES_FLEX);
	assert_int_equal(fk.xfer[2].to, WALLET_FUTURES_CASH);
	key("t");
	choose("From", "spot");
	choose("To", "futures-cash");
	set("Amount", "10");
	assert_string_equal(field("To")->error, "no direct route: go through the futures wallet");
	key("Enter");
	assert_int_equal(ui->form->stage, FS_EDIT);
	assert_int_equal(fk.nxfer, 3);
	stop();
}

static void order_at_book_level(void **state)
{
	(void)state;
	start(false, true, NULL);
	key("Enter"); /* nothing selected in the book */
	assert_null(ui->form);
	key("Up"); /* the best ask: a buy at that price */
	key("Enter");
	assert_int_equal(form_choice(ui->form, 2), 0); /* TF_SIDE: buy */
	assert_string_equal(field("Limit price")->text, "60001.0");
	key("Esc");
	key("Down"); /* the best bid: a sell at that price */
	key("Enter");
	assert_string_equal(field("Side")->choices[field("Side")->choice], "sell");
	assert_string_equal(field("Limit price")->text, "60000.0");
	key("Esc");
	/* order_ticket from a position: the closing order. */
	set_position(false);
	key("6");
	key("n");
	assert_string_equal(field("Side")->choices[field("Side")->choice], "sell");
	assert_string_equal(field("Size")->text, "2");
	assert_true(field("Reduce-only")->on);
	key("Esc");
	assert_int_equal(sent(), 0);
	stop();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(shipped_keymaps_name_known_actions),
		cmocka_unit_test(spot_every_type),
		cmocka_unit_test(futures_every_type),
		cmocka_unit_test(validation_beside_fields),
		cmocka_unit_test(rounding_only_with_r),
		cmocka_unit_test(backing_out_sends_nothing),
		cmocka_unit_test(guard_forces_second_confirmation),
		cmocka_unit_test(live_needs_arming),
		cmocka_unit_test(results_and_journal),
		cmocka_unit_test(orders_cancel_amend_nudge),
		cmocka_unit_test(cancel_all_counts),
		cmocka_unit_test(positions_close_leverage_mode),
		cmocka_unit_test(transfers_both_ways),
		cmocka_unit_test(order_at_book_level),
	};
	return kt_run_tests(tests);
}
