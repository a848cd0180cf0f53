/* ticket_util: the harness of test_ticket — a fake gateway that records every
 * request and answers when told, a journal hook, a state with a spot pair and a
 * linear perpetual (books and tickers), a headless UI on the shipped default
 * key map, and helpers that drive forms by typing keys. */
#include "tests/unit/ticket_util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ui/form.h"
#include "ui/ui.h"
#include "ui/ui_int.h"

struct fake tk_fk;

static int pend(intent_cb cb, void *arg)
{
	tk_fk.pend[tk_fk.npend].cb = cb;
	tk_fk.pend[tk_fk.npend++].arg = arg;
	return 0;
}

static int g_place(void *gw, const struct order_req *r, intent_cb cb, void *arg, struct kerr *e)
{
	(void)gw, (void)e;
	tk_fk.place[tk_fk.nplace++] = *r;
	return pend(cb, arg);
}

static int g_amend(void *gw, const struct amend_req *r, intent_cb cb, void *arg, struct kerr *e)
{
	(void)gw, (void)e;
	tk_fk.amend[tk_fk.namend++] = *r;
	return pend(cb, arg);
}

static int g_cancel(void *gw, const char *id, intent_cb cb, void *arg, struct kerr *e)
{
	(void)gw, (void)e;
	snprintf(tk_fk.cancel[tk_fk.ncancel++], ORDER_ID_MAX, "%s", id);
	return pend(cb, arg);
}

static int g_all(void *gw, enum product p, int instr, intent_cb cb, void *arg, struct kerr *e)
{
	(void)gw, (void)e;
	tk_fk.all_product[tk_fk.nall] = p;
	tk_fk.all_instr[tk_fk.nall++] = instr;
	return pend(cb, arg);
}

static int g_lev(void *gw, int instr, const dec_t *lev, intent_cb cb, void *arg, struct kerr *e)
{
	(void)gw, (void)e;
	tk_fk.lev_instr[tk_fk.nlev] = instr;
	tk_fk.lev_set[tk_fk.nlev] = lev != NULL;
	tk_fk.lev[tk_fk.nlev++] = lev ? *lev : dec_zero();
	return pend(cb, arg);
}

static int g_xfer(void *gw, const struct transfer_req *r, intent_cb cb, void *arg, struct kerr *e)
{
	(void)gw, (void)e;
	tk_fk.xfer[tk_fk.nxfer++] = *r;
	return pend(cb, arg);
}

static const struct gateway_ops fake_ops = {
        .place = g_place,
        .amend = g_amend,
        .cancel = g_cancel,
        .cancel_all = g_all,
        .set_leverage = g_lev,
        .transfer = g_xfer,
};

int tk_sent(void)
{
	return tk_fk.nplace + tk_fk.namend + tk_fk.ncancel + tk_fk.nall + tk_fk.nlev + tk_fk.nxfer;
}

/* The exchange answers every request in flight. */
void tk_complete(enum intent_status s, const char *msg)
{
	int n = tk_fk.npend;
	tk_fk.npend = 0;
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
		tk_fk.pend[i].cb(tk_fk.pend[i].arg, &r);
	}
}

/* ---- the journal hook ---- */

char tk_journal[32][400];
int tk_njournal;

static void journal_hook(void *ctx, const char *kind, const char *text)
{
	(void)ctx;
	if (tk_njournal < 32)
		snprintf(tk_journal[tk_njournal++], sizeof tk_journal[0], "%s|%s", kind, text);
}

/* ---- state and UI ---- */

int tk_spot, tk_perp;

static void add_instr(struct state *s, bool fut)
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
	int i = state_add_instrument(s, &in);
	*(fut ? &tk_perp : &tk_spot) = i;
	struct market *m = state_market(s, i);
	for (int l = 0; l < 20; l++) { /* bids 60000.0 down, asks 60001.0 up, 1.5 each */
		book_set(&m->book, SIDE_BUY, 600000 - 10 * l, fut ? 15000 : 150000000);
		book_set(&m->book, SIDE_SELL, 600010 + 10 * l, fut ? 15000 : 150000000);
	}
	m->ticker.has = TK_LAST | (fut ? TK_MARK : 0);
	m->ticker.last = D("60000.5");
	m->ticker.mark = D("60000");
}

struct state tk_st;
struct ui *tk_ui;

void tk_start(bool live, bool confirm, const char *max_notional)
{
	memset(&tk_fk, 0, sizeof tk_fk);
	tk_njournal = 0;
	state_init(&tk_st);
	add_instr(&tk_st, false);
	add_instr(&tk_st, true);
	state_set_gateway(&tk_st, &fake_ops, &tk_fk);
	static char data[4096];
	snprintf(data, sizeof data, "%s",
	         getenv("KT_TOP_SRCDIR") ? getenv("KT_TOP_SRCDIR") : KT_SRCDIR);
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
	if (ui_new(&tk_ui, &tk_st, &o, &err) < 0)
		fail_msg("ui_new: %s", err.msg);
}

void tk_stop(void)
{
	tk_complete(INTENT_OK, ""); /* nothing left waiting on the UI */
	ui_free(tk_ui);
	state_free(&tk_st);
}

void tk_key(const char *name)
{
	char u[8] = "";
	if (strlen(name) == 1)
		snprintf(u, sizeof u, "%s", name);
	ui_key(tk_ui, name, u, T0);
}

void tk_type(const char *s)
{
	for (; *s; s++) {
		char k[2] = {*s, 0};
		tk_key(k);
	}
}

struct field *tk_sel(void)
{
	return &tk_ui->form->f[tk_ui->form->sel];
}

void tk_go(const char *label)
{
	assert_non_null(tk_ui->form);
	for (int i = 0; i < 40; i++) {
		if (strcmp(tk_sel()->label, label) == 0)
			return;
		tk_key("Tab");
	}
	fail_msg("no visible field '%s'", label);
}

void tk_set(const char *label, const char *text)
{
	tk_go(label);
	tk_key("C-u");
	tk_type(text);
}

void tk_choose(const char *label, const char *value)
{
	tk_go(label);
	for (int i = 0; i < 12; i++) {
		if (strcmp(tk_sel()->choices[tk_sel()->choice], value) == 0)
			return;
		tk_key("Right");
	}
	fail_msg("%s has no choice '%s'", label, value);
}

struct field *tk_field(const char *label)
{
	for (int i = 0; i < tk_ui->form->n; i++)
		if (strcmp(tk_ui->form->f[i].label, label) == 0)
			return &tk_ui->form->f[i];
	fail_msg("no field '%s'", label);
	return NULL;
}

bool tk_shown(const char *label)
{
	return !tk_field(label)->hidden;
}

/* Review and confirm: the ticket closes and the gateway has one more call. */
void tk_send_it(void)
{
	int before = tk_sent();
	tk_key("Enter");
	assert_non_null(tk_ui->form);
	if (tk_ui->form->stage != FS_CONFIRM)
		fail_msg("not at the confirmation: %s / %s", tk_ui->msg, tk_ui->form->status);
	tk_key("y");
	assert_null(tk_ui->form);
	assert_true(tk_sent() > before);
}

bool tk_screen_has(const char *needle)
{
	ui_render(tk_ui, T0);
	for (int y = 0; y < 40; y++)
		if (strstr(ui_screen_row(tk_ui, y), needle))
			return true;
	return false;
}

const struct order_req *tk_last_place(void)
{
	return &tk_fk.place[tk_fk.nplace - 1];
}

void tk_add_order(const char *id, int instr, enum side side, enum order_type t, const char *px,
                  const char *trig)
{
	struct order *o = state_order_upsert(&tk_st, id);
	o->instr = instr;
	o->product = instr == tk_perp ? PRODUCT_FUTURES : PRODUCT_SPOT;
	o->side = side;
	o->type = t;
	o->status = OS_OPEN;
	o->qty = D("0.5");
	o->limit_price = px ? D(px) : dec_zero();
	o->trigger_price = trig ? D(trig) : dec_zero();
	state_order_changed(&tk_st, o);
}

void tk_set_position(bool isolated)
{
	struct position p;
	memset(&p, 0, sizeof p);
	p.instr = tk_perp;
	p.product = PRODUCT_FUTURES;
	p.size = D("2");
	p.entry = D("60000");
	p.mark = D("60000");
	p.isolated = isolated;
	p.max_leverage = isolated ? D("10") : dec_zero();
	state_set_positions(&tk_st, PRODUCT_FUTURES, &p, 1);
}
