/* transfer_form: move an asset between the spot wallet and the futures
 * (flex) wallet, either way, or between the futures flex and cash wallets —
 * with a "max" key, both balances before and after, and a confirmation. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/strutil.h"
#include "base/xalloc.h"
#include "ui/form.h"
#include "ui/trade_actions.h"
#include "ui/trade_int.h"
#include "ui/ui_int.h"

enum { XF_FROM = 1, XF_TO, XF_ASSET, XF_AMOUNT };

static const char *const wallet_names[] = {"spot", "futures", "futures-cash"};
static const enum wallet wallets[] = {WALLET_SPOT, WALLET_FUTURES_FLEX, WALLET_FUTURES_CASH};

struct xfer_form {
	struct transfer_req req;
	bool tried;
};

/* Kraken Futures names bitcoin XBT; the spot wallet BTC. */
static bool same_asset(const char *a, const char *b)
{
	if (kt_strieq(a, b))
		return true;
	bool ab = kt_strieq(a, "BTC") || kt_strieq(a, "XBT");
	bool bb = kt_strieq(b, "BTC") || kt_strieq(b, "XBT");
	return ab && bb;
}

static const struct collateral *find_coll(const struct collateral *c, int n, const char *asset)
{
	for (int i = 0; i < n; i++)
		if (same_asset(c[i].asset, asset))
			return &c[i];
	return NULL;
}

/* A wallet's balance of asset and what may leave it; false when unknown. */
static bool wallet_balance(const struct state *st, enum wallet w, const char *asset, dec_t *bal,
                           dec_t *avail)
{
	*bal = *avail = dec_zero();
	if (w == WALLET_SPOT) {
		const struct balance *b = state_balance(st, asset);
		if (!b && !st->has_keys[PRODUCT_SPOT])
			return false;
		if (b) {
			*bal = b->total;
			*avail = b->available;
		}
		return true;
	}
	if (!st->fut.valid)
		return false;
	const struct collateral *c = w == WALLET_FUTURES_FLEX
	                                     ? find_coll(st->fut.cur, st->fut.ncur, asset)
	                                     : find_coll(st->fut.cash, st->fut.ncash, asset);
	if (c) {
		*bal = c->quantity;
		*avail = dec_is_zero(c->available) && w == WALLET_FUTURES_CASH ? c->quantity
		                                                               : c->available;
	}
	return true;
}

/* Spot <-> futures (flex) and futures flex <-> cash are the routes Kraken has. */
static bool route_ok(enum wallet a, enum wallet b)
{
	return (a == WALLET_SPOT && b == WALLET_FUTURES_FLEX) ||
	       (a == WALLET_FUTURES_FLEX && (b == WALLET_SPOT || b == WALLET_FUTURES_CASH)) ||
	       (a == WALLET_FUTURES_CASH && b == WALLET_FUTURES_FLEX);
}

static void show_balance(struct form *f, const struct state *st, enum wallet w, const char *asset,
                         dec_t delta)
{
	dec_t bal, avail, after;
	if (!wallet_balance(st, w, asset, &bal, &avail)) {
		form_preview(f, "%-13s %s: balance not known", wallet_name(w), asset);
		return;
	}
	char a[DEC_FMT_MAX], b[DEC_FMT_MAX];
	dec_add(bal, delta, &after);
	trade_fmt_qty(a, sizeof a, bal);
	trade_fmt_qty(b, sizeof b, after);
	form_preview(f, "%-13s %s: %s -> %s", wallet_name(w), asset, a, b);
}

static void xfer_changed(struct ui *ui, struct form *f, int64_t now_ms)
{
	struct xfer_form *xf = f->priv;
	struct transfer_req *r = &xf->req;
	form_clear_errors(f);
	memset(r, 0, sizeof *r);
	struct field *as = form_field(f, XF_ASSET);
	kt_str_upper(as->text);
	if (kt_strlcpy(r->asset, as->text, sizeof r->asset) >= sizeof r->asset) {
		form_set_error(f, XF_ASSET, "not an asset code (USD, BTC...)");
		r->asset[0] = '\0';
	}
	r->from = wallets[form_choice(f, XF_FROM)];
	r->to = wallets[form_choice(f, XF_TO)];
	if (r->from == r->to)
		form_set_error(f, XF_TO, "choose another wallet than the source");
	else if (!route_ok(r->from, r->to))
		form_set_error(f, XF_TO, "no direct route: go through the futures wallet");
	if (!r->asset[0] && xf->tried)
		form_set_error(f, XF_ASSET, "enter an asset (USD, BTC...)");
	dec_t bal, avail;
	bool known = r->asset[0] && wallet_balance(ui->st, r->from, r->asset, &bal, &avail);
	if (known) {
		char m[DEC_FMT_MAX];
		trade_fmt_qty(m, sizeof m, avail);
		snprintf(form_field(f, XF_AMOUNT)->hint, sizeof form_field(f, XF_AMOUNT)->hint,
		         "m: max %s", m);
	}
	if (trade_parse_dec(f, XF_AMOUNT, &r->amount)) {
		if (dec_sign(r->amount) <= 0)
			form_set_error(f, XF_AMOUNT, "must be greater than zero");
		else if (known && dec_gt(r->amount, avail)) {
			char m[DEC_FMT_MAX];
			trade_fmt_qty(m, sizeof m, avail);
			form_set_error(f, XF_AMOUNT, "only %s %s can leave the %s wallet", m,
			               r->asset, wallet_name(r->from));
		}
	} else if (xf->tried && !form_field(f, XF_AMOUNT)->error[0]) {
		form_set_error(f, XF_AMOUNT, "enter an amount");
	}
	if (r->asset[0] && r->from != r->to) {
		dec_t out;
		dec_neg(r->amount, &out);
		show_balance(f, ui->st, r->from, r->asset, out);
		show_balance(f, ui->st, r->to, r->asset, r->amount);
	}
	trade_arm_status(ui, f, now_ms);
}

static void xfer_submit(struct ui *ui, struct form *f, int64_t now_ms)
{
	struct xfer_form *xf = f->priv;
	xf->tried = true;
	xfer_changed(ui, f, now_ms);
	if (form_error_count(f) > 0) {
		ui_message(ui, NOTICE_WARN, "not sent: fix the fields marked");
		return;
	}
	char a[DEC_FMT_MAX];
	dec_fmt_group(xf->req.amount, -1, a, sizeof a);
	snprintf(f->confirm, sizeof f->confirm, "TRANSFER %s %s from %s to %s", a, xf->req.asset,
	         wallet_name(xf->req.from), wallet_name(xf->req.to));
	trade_review(ui, f, now_ms);
}

static bool xfer_send(struct ui *ui, struct form *f, int64_t now_ms)
{
	struct xfer_form *xf = f->priv;
	if (!trade_armed(ui, now_ms))
		return false;
	ui_message(ui, NOTICE_INFO, "sending: %s", f->confirm);
	struct trade_op *op = trade_op_new(ui, TRK_TRANSFER, f->confirm);
	struct kerr err = KERR_INIT;
	int rc = intent_transfer(ui->st, &xf->req, trade_op_cb, op, &err);
	if (trade_op_start(op, rc, &err) < 0) {
		f->stage = FS_EDIT;
		return false;
	}
	return true;
}

/* m: the whole available amount (not while typing the asset's name). */
static bool xfer_key(struct ui *ui, struct form *f, const char *name, int64_t now_ms)
{
	if (trade_confirm_key(ui, f, name, now_ms))
		return true;
	if (f->stage != FS_EDIT || strcmp(name, "m") != 0 || f->f[f->sel].id == XF_ASSET)
		return false;
	struct xfer_form *xf = f->priv;
	dec_t bal, avail;
	if (!xf->req.asset[0] ||
	    !wallet_balance(ui->st, xf->req.from, xf->req.asset, &bal, &avail)) {
		ui_message(ui, NOTICE_INFO, "the %s balance is not known",
		           wallet_name(xf->req.from));
		return true;
	}
	char b[DEC_FMT_MAX];
	dec_fmt(dec_normalize(avail), -1, b, sizeof b);
	form_set_text(f, XF_AMOUNT, b);
	return true;
}

void ta_transfer(struct ui *ui, int64_t now)
{
	struct form *f = form_new("Transfer between wallets");
	struct xfer_form *xf = xcalloc(1, sizeof *xf);
	f->priv = xf;
	f->priv_free = free;
	bool from_fut = ui->focus == PANE_FUT_WALLET;
	struct field *fl = form_add(f, XF_FROM, "From", FK_CHOICE);
	fl->choices = wallet_names;
	fl->nchoices = 3;
	fl->choice = from_fut ? 1 : 0;
	fl = form_add(f, XF_TO, "To", FK_CHOICE);
	fl->choices = wallet_names;
	fl->nchoices = 3;
	fl->choice = from_fut ? 0 : 1;
	fl = form_add(f, XF_ASSET, "Asset", FK_TEXT);
	snprintf(fl->text, sizeof fl->text, "USD");
	form_add(f, XF_AMOUNT, "Amount", FK_TEXT);
	f->sel = 3;
	f->changed = xfer_changed;
	f->submit = xfer_submit;
	f->confirmed = xfer_send;
	f->key = xfer_key;
	form_open(ui, f, now);
}
