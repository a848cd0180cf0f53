/* fut_rest_srv_account: private Futures REST reads and settings of the paper
 * adapter — accounts, openpositions, openorders, fills, orders/status,
 * leverage and pnl preferences, transfer and withdrawal. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/strutil.h"
#include "base/xalloc.h"
#include "paper/fut_rest_srv_int.h"

/* ---- accounts ---- */

static void lower_code(const struct px *px, int asset, char *buf, size_t cap)
{
	snprintf(buf, cap, "%s", frs_code(px, asset));
	kt_str_lower(buf);
}

static void flex_json(struct frs *c, const struct px_fut_flex *f)
{
	struct jw *w = &c->w;
	jw_key(w, "flex");
	jw_obj_begin(w);
	frs_ks(w, "type", "multiCollateralMarginAccount");
	jw_key(w, "currencies");
	jw_obj_begin(w);
	for (size_t i = 0; i < f->ncur; i++) {
		const struct px_fut_currency *cu = &f->cur[i];
		jw_key(w, frs_code(c->px, cu->asset));
		jw_obj_begin(w);
		frs_kd(w, "quantity", cu->quantity);
		frs_kd(w, "value", cu->value);
		frs_kd(w, "collateral", cu->collateral);
		frs_kd(w, "available", cu->available);
		jw_obj_end(w);
	}
	jw_obj_end(w);
	frs_kd(w, "initialMargin", f->initial_margin);
	frs_kd(w, "initialMarginWithOrders", f->initial_margin_with_orders);
	frs_kd(w, "maintenanceMargin", f->maintenance_margin);
	frs_kd(w, "balanceValue", f->balance_value);
	frs_kd(w, "portfolioValue", f->portfolio_value);
	frs_kd(w, "collateralValue", f->collateral_value);
	frs_kd(w, "pnl", f->pnl);
	frs_kd(w, "unrealizedFunding", f->unrealized_funding);
	frs_kd(w, "totalUnrealized", f->total_unrealized);
	frs_kd(w, "totalUnrealizedAsMargin", f->total_unrealized_as_margin);
	frs_kd(w, "availableMargin", f->available_margin);
	frs_kd(w, "marginEquity", f->margin_equity);
	jw_obj_end(w);
}

/* The legacy single-collateral inverse account (amounts in XBT). */
static void inverse_json(struct frs *c, const struct px_fut_inverse *in)
{
	struct jw *w = &c->w;
	char b[DEC_FMT_MAX];
	jw_key(w, "fi_xbtusd");
	jw_obj_begin(w);
	frs_ks(w, "type", "marginAccount");
	frs_ks(w, "currency", "xbt");
	jw_key(w, "balances");
	jw_obj_begin(w);
	dec_fmt(in->balance, -1, b, sizeof b);
	frs_ks(w, "xbt", b);
	jw_obj_end(w);
	jw_key(w, "auxiliary");
	jw_obj_begin(w);
	frs_ki(w, "usd", 0);
	frs_kd(w, "pv", in->pv);
	frs_kd(w, "pnl", in->pnl);
	frs_kd(w, "af", in->af);
	frs_kd(w, "funding", in->funding);
	jw_obj_end(w);
	static const char *const mr[] = {"marginRequirements", "triggerEstimates"};
	for (int k = 0; k < 2; k++) {
		jw_key(w, mr[k]);
		jw_obj_begin(w);
		frs_kd(w, "im", in->im);
		frs_kd(w, "mm", in->mm);
		frs_kd(w, "lt", in->lt);
		frs_kd(w, "tt", in->tt);
		jw_obj_end(w);
	}
	jw_obj_end(w);
}

void frs_accounts(struct frs *c)
{
	struct px_fut_accounts a;
	struct kerr err = KERR_INIT;
	if (px_fut_accounts(c->px, c->acct, &a, &err)) {
		frs_error(c, "invalidAccount");
		return;
	}
	frs_ok_begin(c);
	struct jw *w = &c->w;
	jw_key(w, "accounts");
	jw_obj_begin(w);
	jw_key(w, "cash");
	jw_obj_begin(w);
	frs_ks(w, "type", "cashAccount");
	jw_key(w, "balances"); /* cash balances are strings, keyed in lower case */
	jw_obj_begin(w);
	for (int i = 0; i < PX_A_COUNT; i++) {
		if (dec_is_zero(a.cash[i]))
			continue;
		char code[16], b[DEC_FMT_MAX];
		lower_code(c->px, i, code, sizeof code);
		dec_fmt(a.cash[i], -1, b, sizeof b);
		frs_ks(w, code, b);
	}
	jw_obj_end(w);
	jw_obj_end(w);
	flex_json(c, &a.flex);
	inverse_json(c, &a.inverse);
	jw_obj_end(w);
	frs_ok_end(c);
}

/* ---- positions ---- */

static void position_json(void *arg, const struct px_fut_position *p)
{
	struct frs *c = arg;
	struct jw *w = &c->w;
	dec_t size = p->size;
	if (dec_sign(size) < 0)
		dec_neg(size, &size);
	jw_obj_begin(w);
	frs_ks(w, "side", dec_sign(p->size) < 0 ? "short" : "long");
	frs_ks(w, "symbol", p->instr->symbol);
	frs_kd(w, "price", p->entry_price);
	frs_kt(w, "fillTime", p->fill_ns);
	frs_kd(w, "size", size);
	frs_kd(w, "unrealizedFunding", p->unrealized_funding);
	frs_ks(w, "pnlCurrency", frs_code(c->px, p->pnl_asset));
	if (p->isolated)
		frs_kd(w, "maxFixedLeverage", p->max_leverage);
	jw_obj_end(w);
}

void frs_openpositions(struct frs *c)
{
	frs_ok_begin(c);
	jw_key(&c->w, "openPositions");
	jw_arr_begin(&c->w);
	px_fut_positions(c->px, c->acct, position_json, c);
	jw_arr_end(&c->w);
	frs_ok_end(c);
}

/* ---- open orders ---- */

static const char *open_type(const struct px_order *o)
{
	if (!frs_is_trigger(o))
		return "lmt";
	switch (o->type) {
	case ENGINE_T_TAKE_PROFIT:
	case ENGINE_T_TAKE_PROFIT_LIMIT:
		return "take_profit";
	case ENGINE_T_TRAILING_STOP:
	case ENGINE_T_TRAILING_STOP_LIMIT:
		return "trailing_stop";
	default:
		return "stop";
	}
}

static const char *signal_short(enum engine_ref r)
{
	return r == ENGINE_REF_MARK ? "mark" : r == ENGINE_REF_INDEX ? "spot" : "last";
}

static void open_order_json(void *arg, const struct px_order *o)
{
	struct frs *c = arg;
	struct jw *w = &c->w;
	dec_t unfilled;
	dec_sub(o->qty, o->filled, &unfilled);
	jw_obj_begin(w);
	frs_ks(w, "order_id", o->id);
	if (o->cl_ord_id[0])
		frs_ks(w, "cliOrdId", o->cl_ord_id);
	frs_ks(w, "symbol", o->instr->symbol);
	frs_ks(w, "side", frs_side(o->side));
	frs_ks(w, "orderType", open_type(o));
	if (!dec_is_zero(o->price))
		frs_kd(w, "limitPrice", o->price);
	if (frs_is_trigger(o)) {
		frs_kd(w, "stopPrice", o->trigger);
		frs_ks(w, "triggerSignal", signal_short(o->trigger_ref));
	}
	frs_kd(w, "unfilledSize", unfilled);
	frs_kt(w, "receivedTime", o->open_ns);
	frs_ks(w, "status", dec_is_zero(o->filled) ? "untouched" : "partiallyFilled");
	frs_kd(w, "filledSize", o->filled);
	frs_kb(w, "reduceOnly", (o->eflags & ENGINE_F_REDUCE_ONLY) != 0);
	frs_kt(w, "lastUpdateTime", o->update_ns ? o->update_ns : o->open_ns);
	jw_obj_end(w);
}

void frs_openorders(struct frs *c)
{
	frs_ok_begin(c);
	jw_key(&c->w, "openOrders");
	jw_arr_begin(&c->w);
	struct px_filter f = px_filter_all(PX_FUTURES);
	px_open_orders(c->px, c->acct, &f, open_order_json, c);
	jw_arr_end(&c->w);
	frs_ok_end(c);
}

/* ---- fills ---- */

static void fill_json(void *arg, const struct px_fill *fl)
{
	struct frs *c = arg;
	struct jw *w = &c->w;
	jw_obj_begin(w);
	frs_ks(w, "fill_id", fl->id);
	frs_ks(w, "symbol", fl->instr->symbol);
	frs_ks(w, "side", frs_side(fl->side));
	frs_ks(w, "order_id", fl->order_id);
	if (fl->cl_ord_id[0])
		frs_ks(w, "cliOrdId", fl->cl_ord_id);
	frs_kd(w, "size", fl->qty);
	frs_kd(w, "price", fl->price);
	frs_kt(w, "fillTime", fl->ts_ns);
	frs_ks(w, "fillType", fl->liquidation ? "liquidation" : fl->maker ? "maker" : "taker");
	jw_obj_end(w);
}

void frs_fills(struct frs *c)
{
	struct px_filter f = px_filter_all(PX_FUTURES);
	int64_t last = 0;
	if (frs_time_arg(&c->args, "lastFillTime", &last) < 0) {
		frs_error(c, "invalidArgument");
		return;
	}
	if (last)
		f.end_ns = last - 1; /* the 100 fills before lastFillTime */
	f.limit = 100;
	frs_ok_begin(c);
	jw_key(&c->w, "fills");
	jw_arr_begin(&c->w);
	px_fills(c->px, c->acct, &f, fill_json, c);
	jw_arr_end(&c->w);
	frs_ok_end(c);
}

/* ---- orders/status ---- */

static void cached_order(struct jw *w, const struct px_order *o)
{
	bool trig = frs_is_trigger(o);
	jw_obj_begin(w);
	frs_ks(w, "type", trig ? "TRIGGER_ORDER" : "ORDER");
	frs_ks(w, "orderId", o->id);
	if (o->cl_ord_id[0])
		frs_ks(w, "cliOrdId", o->cl_ord_id);
	else
		frs_knull(w, "cliOrdId");
	frs_ks(w, "symbol", o->instr->symbol);
	frs_ks(w, "side", frs_side(o->side));
	frs_kd(w, "quantity", o->qty);
	frs_kd(w, "filled", o->filled);
	if (dec_is_zero(o->price))
		frs_knull(w, "limitPrice");
	else
		frs_kd(w, "limitPrice", o->price);
	frs_kb(w, "reduceOnly", (o->eflags & ENGINE_F_REDUCE_ONLY) != 0);
	frs_kt(w, "timestamp", o->open_ns);
	frs_kt(w, "lastUpdateTimestamp", o->update_ns ? o->update_ns : o->open_ns);
	jw_key(w, "priceTriggerOptions");
	if (trig) {
		bool tp = o->type == ENGINE_T_TAKE_PROFIT || o->type == ENGINE_T_TAKE_PROFIT_LIMIT;
		bool above = tp ? o->side == ENGINE_SELL : o->side == ENGINE_BUY;
		jw_obj_begin(w);
		frs_kd(w, "triggerPrice", o->trigger);
		frs_ks(w, "triggerSide", above ? "TRIGGER_ABOVE" : "TRIGGER_BELOW");
		frs_ks(w, "triggerSignal",
		       o->trigger_ref == ENGINE_REF_MARK    ? "MARK_PRICE"
		       : o->trigger_ref == ENGINE_REF_INDEX ? "SPOT_PRICE"
		                                            : "LAST_PRICE");
		jw_obj_end(w);
	} else {
		jw_null(w);
	}
	frs_knull(w, "triggerTime");
	jw_obj_end(w);
}

/* Lifecycle status, update reason and error of an order. */
static void lifecycle(struct jw *w, const struct px_order *o)
{
	const char *status, *reason = NULL, *error = NULL;
	switch (o->status) {
	case ENGINE_S_PENDING:
		status = "TRIGGER_PLACED";
		break;
	case ENGINE_S_FILLED:
		status = "FULLY_EXECUTED";
		reason = "FULL_FILL";
		break;
	case ENGINE_S_REJECTED:
		status = o->triggered ? "TRIGGER_ACTIVATION_FAILURE" : "REJECTED";
		error = frs_reject_reason(o->reason);
		break;
	case ENGINE_S_CANCELLED:
	case ENGINE_S_EXPIRED:
		if (o->reason == ENGINE_R_POST_ONLY ||
		    (dec_is_zero(o->filled) &&
		     (o->reason == ENGINE_R_IOC_REMAINDER || o->reason == ENGINE_R_FOK_UNFILLED))) {
			status = "REJECTED";
			error = frs_reject_reason(o->reason);
		} else {
			status = "CANCELLED";
			reason = o->reason == ENGINE_R_DEAD_MAN ? "DEAD_MAN_SWITCH"
			                                        : "CANCELLED_BY_USER";
		}
		break;
	default:
		status = "ENTERED_BOOK";
		reason = dec_is_zero(o->filled) ? "NEW_USER_ORDER" : "PARTIAL_FILL";
	}
	frs_ks(w, "status", status);
	if (reason)
		frs_ks(w, "updateReason", reason);
	else
		frs_knull(w, "updateReason");
	if (error)
		frs_ks(w, "error", error);
	else
		frs_knull(w, "error");
}

#define RECENT_NS (5 * 1000000000LL) /* closed orders stay visible for 5 s */

static void status_entry(struct frs *c, const struct px_order *o)
{
	if (!o || o->instr->product != PX_FUTURES)
		return;
	if (!px_order_is_open(o) && o->close_ns && o->close_ns < c->now_ns - RECENT_NS)
		return;
	jw_obj_begin(&c->w);
	jw_key(&c->w, "order");
	cached_order(&c->w, o);
	lifecycle(&c->w, o);
	jw_obj_end(&c->w);
}

void frs_orders_status(struct frs *c)
{
	frs_ok_begin(c);
	jw_key(&c->w, "orders");
	jw_arr_begin(&c->w);
	for (size_t i = 0; i < c->args.n; i++) {
		const char *k = c->args.keys[i], *v = c->args.vals[i];
		if (!strcmp(k, "orderIds"))
			status_entry(c, px_order_find(c->px, c->acct, v));
		else if (!strcmp(k, "cliOrdIds"))
			status_entry(c, px_order_find_cl(c->px, c->acct, PX_FUTURES, v));
	}
	jw_arr_end(&c->w);
	frs_ok_end(c);
}

/* ---- preferences ---- */

static void lev_pref(void *arg, const struct px_instr *in, dec_t max_lev)
{
	struct jw *w = arg;
	jw_obj_begin(w);
	frs_ks(w, "symbol", in->symbol);
	frs_kd(w, "maxLeverage", max_lev);
	jw_obj_end(w);
}

void frs_leverage_get(struct frs *c)
{
	frs_ok_begin(c);
	jw_key(&c->w, "leveragePreferences");
	jw_arr_begin(&c->w);
	px_fut_leverage_prefs(c->px, c->acct, lev_pref, &c->w);
	jw_arr_end(&c->w);
	frs_ok_end(c);
}

static const struct px_instr *symbol_arg(struct frs *c)
{
	const char *s = frs_arg(&c->args, "symbol");
	if (!s || !s[0]) {
		frs_error(c, "requiredArgumentMissing");
		return NULL;
	}
	const struct px_instr *in = px_instr_find(c->px, PX_FUTURES, s);
	if (!in)
		frs_error(c, "invalidArgument");
	return in;
}

void frs_leverage_put(struct frs *c)
{
	const struct px_instr *in = symbol_arg(c);
	if (!in)
		return;
	dec_t lev;
	int r = frs_dec(&c->args, "maxLeverage", &lev);
	struct kerr err = KERR_INIT;
	if (r < 0 || (r == 0 && dec_sign(lev) <= 0) ||
	    px_fut_leverage_set(c->px, c->acct, in, r == 0 ? &lev : NULL, &err)) {
		frs_error(c, "invalidArgument");
		return;
	}
	frs_ok_begin(c);
	frs_ok_end(c);
}

static void pnl_pref(void *arg, const struct px_instr *in, int asset)
{
	struct frs *c = arg;
	jw_obj_begin(&c->w);
	frs_ks(&c->w, "symbol", in->symbol);
	frs_ks(&c->w, "pnlCurrency", frs_code(c->px, asset));
	jw_obj_end(&c->w);
}

void frs_pnl_get(struct frs *c)
{
	frs_ok_begin(c);
	jw_key(&c->w, "preferences");
	jw_arr_begin(&c->w);
	px_fut_pnl_prefs(c->px, c->acct, pnl_pref, c);
	jw_arr_end(&c->w);
	frs_ok_end(c);
}

void frs_pnl_put(struct frs *c)
{
	const struct px_instr *in = symbol_arg(c);
	if (!in)
		return;
	const char *cur = frs_arg(&c->args, "pnlPreference");
	if (!cur || !cur[0]) {
		frs_error(c, "requiredArgumentMissing");
		return;
	}
	const struct px_asset *a = px_asset_find(c->px, cur);
	struct kerr err = KERR_INIT;
	if (!a || px_fut_pnl_set(c->px, c->acct, in, a->idx, &err)) {
		frs_error(c, "invalidArgument");
		return;
	}
	frs_ok_begin(c);
	frs_ok_end(c);
}

/* ---- transfers ---- */

/* A px transfer failure in Kraken's words. */
static const char *transfer_error(int code)
{
	switch (code) {
	case ENGINE_R_INSUFFICIENT_FUNDS:
		return "insufficientFunds";
	case PX_E_WALLET:
		return "invalidAccount";
	case PX_E_ASSET:
		return "invalidUnit";
	case PX_E_AMOUNT:
		return "invalidAmount";
	default:
		return "invalidArgument";
	}
}

void frs_transfer(struct frs *c)
{
	const char *from = frs_arg(&c->args, "fromAccount"), *to = frs_arg(&c->args, "toAccount");
	const char *unit = frs_arg(&c->args, "unit");
	dec_t amount;
	int ra = frs_dec(&c->args, "amount", &amount);
	if (!from || !to || !unit || ra == 1) {
		frs_error(c, "requiredArgumentMissing");
		return;
	}
	int wf = px_wallet_parse(from), wt = px_wallet_parse(to);
	const struct px_asset *a = px_asset_find(c->px, unit);
	if (ra < 0 || dec_sign(amount) <= 0) {
		frs_error(c, "invalidAmount");
		return;
	}
	if (wf < 0 || wt < 0 || wf == PX_W_SPOT || wt == PX_W_SPOT) {
		frs_error(c, "invalidAccount");
		return;
	}
	if (!a) {
		frs_error(c, "invalidUnit");
		return;
	}
	char uid[PX_ID_MAX];
	struct kerr err = KERR_INIT;
	if (px_fut_transfer(c->px, c->acct, (enum px_wallet)wf, (enum px_wallet)wt, a->idx, amount,
	                    uid, &err)) {
		frs_error(c, transfer_error(err.code));
		return;
	}
	frs_ok_begin(c);
	frs_ok_end(c);
}

void frs_withdrawal(struct frs *c)
{
	const char *cur = frs_arg(&c->args, "currency"), *src = frs_arg(&c->args, "sourceWallet");
	dec_t amount;
	int ra = frs_dec(&c->args, "amount", &amount);
	if (!cur || ra == 1) {
		frs_error(c, "requiredArgumentMissing");
		return;
	}
	if (ra < 0 || dec_sign(amount) <= 0) {
		frs_error(c, "invalidAmount");
		return;
	}
	int ws = src && src[0] ? px_wallet_parse(src) : PX_W_CASH;
	if (ws != PX_W_CASH && ws != PX_W_FLEX) {
		frs_error(c, "invalidAccount");
		return;
	}
	const struct px_asset *a = px_asset_find(c->px, cur);
	if (!a) {
		frs_error(c, "invalidUnit");
		return;
	}
	char uid[PX_ID_MAX];
	struct kerr err = KERR_INIT;
	if (px_fut_withdrawal(c->px, c->acct, a->idx, amount, (enum px_wallet)ws, uid, &err)) {
		frs_error(c, transfer_error(err.code));
		return;
	}
	frs_ok_begin(c);
	frs_ks(&c->w, "uid", uid);
	frs_ok_end(c);
}
