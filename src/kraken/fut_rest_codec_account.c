/* fut_rest_codec_account: private Futures REST replies (wallets, positions,
 * open orders, fills, account log, preferences) -> the state. Each decoder
 * reads the whole reply into temporaries first, so a bad reply changes
 * nothing. */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"
#include "core/state.h"
#include "kraken/fut_rest_codec.h"
#include "kraken/fut_rest_codec_int.h"
#include "kraken/symbols.h"

static int fail_at(struct kerr *err, const char *what, size_t i)
{
	return fr_prefix(err, "Kraken Futures %s, entry %zu", what, i);
}

/* Display code of a futures currency key ("xbt", "XBT" -> "BTC"). */
static void asset_of(const struct jdoc *d, int tok, char *buf, size_t cap)
{
	char raw[ASSET_MAX * 2];
	fr_str(d, tok, raw, sizeof raw);
	kraken_asset_display(raw, buf, cap, NULL);
}

/* ---- accounts ---- */

static int decode_flex(const struct jdoc *d, int k, struct futures_account *fa, struct kerr *err)
{
	static const struct {
		const char *key;
		size_t off;
	} f[] = {
	        {"portfolioValue", offsetof(struct futures_account, portfolio_value)},
	        {"balanceValue", offsetof(struct futures_account, balance_value)},
	        {"collateralValue", offsetof(struct futures_account, collateral_value)},
	        {"initialMargin", offsetof(struct futures_account, initial_margin)},
	        {"initialMarginWithOrders",
	         offsetof(struct futures_account, initial_margin_with_orders)},
	        {"maintenanceMargin", offsetof(struct futures_account, maintenance_margin)},
	        {"availableMargin", offsetof(struct futures_account, available_margin)},
	        {"marginEquity", offsetof(struct futures_account, margin_equity)},
	        {"pnl", offsetof(struct futures_account, pnl)},
	        {"unrealizedFunding", offsetof(struct futures_account, unrealized_funding)},
	};
	for (size_t i = 0; i < sizeof f / sizeof f[0]; i++)
		if (fr_dec(d, jobj_get(d, k, f[i].key), (dec_t *)((char *)fa + f[i].off), err) < 0)
			return -1;
	int cur = jobj_get(d, k, "currencies");
	if (!fr_absent(d, cur) && !jtok_is(d, cur, J_OBJ))
		return kerr_set(err, FUT_E_SYNTAX, "flex currencies is not an object");
	fa->ncur = 0;
	for (int c = jfirst(d, cur); c >= 0; c = jnext(d, cur, c)) {
		if (fa->ncur >= COLLATERAL_MAX)
			break;
		struct collateral *cl = &fa->cur[fa->ncur];
		asset_of(d, c, cl->asset, sizeof cl->asset);
		int v = c + 1;
		if (!jtok_is(d, v, J_OBJ) ||
		    fr_dec_req(d, jobj_get(d, v, "quantity"), "quantity", &cl->quantity, err) ||
		    fr_dec(d, jobj_get(d, v, "value"), &cl->value, err) < 0 ||
		    fr_dec(d, jobj_get(d, v, "collateral"), &cl->collateral, err) < 0 ||
		    fr_dec(d, jobj_get(d, v, "available"), &cl->available, err) < 0)
			return kerr_set(err, FUT_E_SYNTAX, "flex currency %s is malformed",
			                cl->asset);
		fa->ncur++;
	}
	return 0;
}

static int decode_cash(const struct jdoc *d, int k, struct futures_account *fa, struct kerr *err)
{
	int bal = jobj_get(d, k, "balances");
	if (!fr_absent(d, bal) && !jtok_is(d, bal, J_OBJ))
		return kerr_set(err, FUT_E_SYNTAX, "cash balances is not an object");
	fa->ncash = 0;
	for (int c = jfirst(d, bal); c >= 0; c = jnext(d, bal, c)) {
		if (fa->ncash >= COLLATERAL_MAX)
			break;
		struct collateral *cl = &fa->cash[fa->ncash];
		asset_of(d, c, cl->asset, sizeof cl->asset);
		if (fr_dec_req(d, c + 1, cl->asset, &cl->quantity, err))
			return -1;
		cl->available = cl->quantity;
		fa->ncash++;
	}
	return 0;
}

int fut_decode_accounts(const struct fut_doc *fd, struct state *st, struct kerr *err)
{
	const struct jdoc *d = &fd->d;
	int acc = fr_payload(fd, "accounts", J_OBJ, err);
	if (acc < 0)
		return -1;
	struct futures_account fa;
	memset(&fa, 0, sizeof fa);
	for (int k = jfirst(d, acc); k >= 0; k = jnext(d, acc, k)) {
		int v = k + 1;
		if (!jtok_is(d, v, J_OBJ))
			return kerr_set(err, FUT_E_SYNTAX,
			                "Kraken Futures account entry is not an object");
		int type = jobj_get(d, v, "type");
		int rc = 0;
		if (jstr_eq(d, type, "multiCollateralMarginAccount") ||
		    (fr_absent(d, type) && jstr_eq(d, k, "flex")))
			rc = decode_flex(d, v, &fa, err);
		else if (jstr_eq(d, type, "cashAccount") ||
		         (fr_absent(d, type) && jstr_eq(d, k, "cash")))
			rc = decode_cash(d, v, &fa, err);
		/* legacy single-collateral "marginAccount" wallets (fi_xbtusd...): skipped */
		if (rc) {
			char name[32];
			fr_str(d, k, name, sizeof name);
			return fr_prefix(err, "Kraken Futures account %s", name);
		}
	}
	state_set_futures_account(st, &fa);
	return 0;
}

/* ---- positions ---- */

int fut_decode_openpositions(const struct fut_doc *fd, struct state *st, struct kerr *err)
{
	const struct jdoc *d = &fd->d;
	int arr = fr_payload(fd, "openPositions", J_ARR, err);
	if (arr < 0)
		return -1;
	size_t cap = jtok_size(d, arr), n = 0, i = 0;
	struct position *tmp = xcalloc(cap ? cap : 1, sizeof *tmp);
	for (int k = jfirst(d, arr); k >= 0; k = jnext(d, arr, k), i++) {
		struct position *p = &tmp[n];
		size_t sl;
		const char *sym = jtok_raw(d, jobj_get(d, k, "symbol"), &sl);
		enum side side;
		if (!jtok_is(d, k, J_OBJ) || !sym || fr_side(d, jobj_get(d, k, "side"), &side) ||
		    fr_dec_req(d, jobj_get(d, k, "size"), "size", &p->size, err) ||
		    fr_dec_req(d, jobj_get(d, k, "price"), "price", &p->entry, err) ||
		    fr_dec(d, jobj_get(d, k, "unrealizedFunding"), &p->unrealized_funding, err) <
		            0 ||
		    fr_dec(d, jobj_get(d, k, "maxFixedLeverage"), &p->max_leverage, err) < 0) {
			free(tmp);
			kerr_set(err, FUT_E_SYNTAX, "needs symbol, side, size and price");
			return fail_at(err, "open positions", i);
		}
		p->instr = fut_find_instrument(st, sym, sl);
		if (p->instr < 0)
			continue; /* a contract krakterm does not list */
		p->product = PRODUCT_FUTURES;
		if (dec_sign(p->size) < 0)
			dec_neg(p->size, &p->size);
		if (side == SIDE_SELL)
			dec_neg(p->size, &p->size);
		p->isolated = dec_sign(p->max_leverage) > 0;
		if (p->isolated)
			p->leverage = p->max_leverage;
		int pc = jobj_get(d, k, "pnlCurrency");
		if (!fr_absent(d, pc))
			asset_of(d, pc, p->pnl_asset, sizeof p->pnl_asset);
		const struct market *m = state_market_peek(st, p->instr);
		if (m && (m->ticker.has & TK_MARK))
			p->mark = m->ticker.mark;
		n++;
	}
	state_set_positions(st, PRODUCT_FUTURES, tmp, n);
	free(tmp);
	return 0;
}

/* ---- open orders ---- */

/* OpenOrderJson -> core order fields. */
static int decode_open_order(const struct jdoc *d, int k, const struct state *st, struct order *o,
                             struct kerr *err)
{
	memset(o, 0, sizeof *o);
	size_t sl;
	const char *sym = jtok_raw(d, jobj_get(d, k, "symbol"), &sl);
	dec_t unfilled;
	if (!jtok_is(d, k, J_OBJ) || !sym ||
	    fr_str(d, jobj_get(d, k, "order_id"), o->id, sizeof o->id) == 0 ||
	    fr_side(d, jobj_get(d, k, "side"), &o->side) ||
	    fr_dec(d, jobj_get(d, k, "filledSize"), &o->filled, err) < 0 ||
	    fr_dec(d, jobj_get(d, k, "unfilledSize"), &unfilled, err) < 0 ||
	    fr_dec(d, jobj_get(d, k, "limitPrice"), &o->limit_price, err) < 0 ||
	    fr_dec(d, jobj_get(d, k, "stopPrice"), &o->trigger_price, err) < 0 ||
	    fr_time(d, jobj_get(d, k, "receivedTime"), &o->created_ms, err) < 0 ||
	    fr_time(d, jobj_get(d, k, "lastUpdateTime"), &o->updated_ms, err) < 0)
		return kerr_set(err, FUT_E_SYNTAX, "needs order_id, symbol, side and sizes");
	fr_str(d, jobj_get(d, k, "cliOrdId"), o->cl_id, sizeof o->cl_id);
	o->instr = fut_find_instrument(st, sym, sl);
	o->product = PRODUCT_FUTURES;
	if (dec_add(o->filled, unfilled, &o->qty))
		return kerr_set(err, FUT_E_SYNTAX, "order size out of range");
	o->reduce_only = fr_bool(d, jobj_get(d, k, "reduceOnly"));
	char sig[24];
	fr_str(d, jobj_get(d, k, "triggerSignal"), sig, sizeof sig);
	o->signal = fr_signal_parse(sig);
	int ot = jobj_get(d, k, "orderType");
	bool has_limit = !dec_is_zero(o->limit_price);
	bool trigger = true;
	if (jstr_eq(d, ot, "stop") || jstr_eq(d, ot, "stp"))
		o->type = has_limit ? OT_STOP_LIMIT : OT_STOP;
	else if (jstr_eq(d, ot, "take_profit"))
		o->type = has_limit ? OT_TAKE_PROFIT_LIMIT : OT_TAKE_PROFIT;
	else if (jstr_eq(d, ot, "trailing_stop"))
		o->type = OT_TRAILING_STOP;
	else {
		o->type = OT_LIMIT;
		trigger = false;
		if (jstr_eq(d, ot, "post"))
			o->post_only = true;
	}
	bool partial =
	        jstr_eq(d, jobj_get(d, k, "status"), "partiallyFilled") || dec_sign(o->filled) > 0;
	o->status = partial ? OS_PARTIAL : (trigger ? OS_UNTRIGGERED : OS_OPEN);
	return 0;
}

static bool in_list(const struct order *list, size_t n, const char *id)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(list[i].id, id) == 0)
			return true;
	return false;
}

int fut_decode_openorders(const struct fut_doc *fd, struct state *st, struct kerr *err)
{
	const struct jdoc *d = &fd->d;
	int arr = fr_payload(fd, "openOrders", J_ARR, err);
	if (arr < 0)
		return -1;
	size_t cap = jtok_size(d, arr), n = 0;
	struct order *tmp = xcalloc(cap ? cap : 1, sizeof *tmp);
	for (int k = jfirst(d, arr); k >= 0; k = jnext(d, arr, k), n++) {
		if (decode_open_order(d, k, st, &tmp[n], err)) {
			free(tmp);
			return fail_at(err, "open orders", n);
		}
	}
	/* Futures orders we hold as open that Kraken no longer lists have closed. */
	for (size_t i = 0; i < st->norders; i++) {
		struct order *o = &st->orders[i];
		if (o->product != PRODUCT_FUTURES || !order_status_is_open(o->status) ||
		    o->status == OS_PENDING || in_list(tmp, n, o->id))
			continue;
		o->status = dec_ge(o->filled, o->qty) && dec_sign(o->qty) > 0 ? OS_FILLED
		                                                              : OS_CANCELLED;
		snprintf(o->reason, sizeof o->reason, "no longer open at Kraken");
		state_order_changed(st, o);
	}
	for (size_t i = 0; i < n; i++) {
		struct order *o = state_order_upsert(st, tmp[i].id);
		struct order keep = *o;
		*o = tmp[i];
		if (!o->cl_id[0])
			snprintf(o->cl_id, sizeof o->cl_id, "%s", keep.cl_id);
		if (!o->trail_offset.m) {
			o->trail_offset = keep.trail_offset;
			o->trail_pct = keep.trail_pct;
		}
		state_order_changed(st, o);
	}
	free(tmp);
	return 0;
}

/* ---- fills ---- */

int fut_decode_fills(const struct fut_doc *fd, struct state *st, struct kerr *err)
{
	const struct jdoc *d = &fd->d;
	int arr = fr_payload(fd, "fills", J_ARR, err);
	if (arr < 0)
		return -1;
	size_t cap = jtok_size(d, arr), n = 0, i = 0;
	struct fill *tmp = xcalloc(cap ? cap : 1, sizeof *tmp);
	for (int k = jfirst(d, arr); k >= 0; k = jnext(d, arr, k), i++) {
		struct fill *f = &tmp[n];
		memset(f, 0, sizeof *f);
		size_t sl;
		const char *sym = jtok_raw(d, jobj_get(d, k, "symbol"), &sl);
		if (!jtok_is(d, k, J_OBJ) || !sym ||
		    fr_str(d, jobj_get(d, k, "fill_id"), f->id, sizeof f->id) == 0 ||
		    fr_side(d, jobj_get(d, k, "side"), &f->side) ||
		    fr_dec_req(d, jobj_get(d, k, "size"), "size", &f->qty, err) ||
		    fr_dec_req(d, jobj_get(d, k, "price"), "price", &f->price, err) ||
		    fr_time(d, jobj_get(d, k, "fillTime"), &f->time_ms, err)) {
			free(tmp);
			kerr_set(err, FUT_E_SYNTAX,
			         "needs fill_id, symbol, side, size, price, fillTime");
			return fail_at(err, "fills", i);
		}
		fr_str(d, jobj_get(d, k, "order_id"), f->order_id, sizeof f->order_id);
		int ft = jobj_get(d, k, "fillType");
		f->maker = jstr_eq(d, ft, "maker");
		f->liquidation = jstr_eq(d, ft, "liquidation");
		f->product = PRODUCT_FUTURES;
		f->instr = fut_find_instrument(st, sym, sl);
		if (f->instr >= 0)
			n++;
	}
	for (size_t j = n; j-- > 0;) /* newest first on the wire */
		state_add_fill(st, &tmp[j]);
	free(tmp);
	return 0;
}

/* ---- account log ---- */

int fut_decode_account_log(const struct fut_doc *fd, struct state *st, struct kerr *err)
{
	const struct jdoc *d = &fd->d;
	int arr = fr_payload(fd, "logs", J_ARR, err);
	if (arr < 0)
		return -1;
	size_t cap = jtok_size(d, arr), n = 0;
	struct account_log_entry *tmp = xcalloc(cap ? cap : 1, sizeof *tmp);
	for (int k = jfirst(d, arr); k >= 0; k = jnext(d, arr, k), n++) {
		struct account_log_entry *e = &tmp[n];
		if (!jtok_is(d, k, J_OBJ) || jtok_i64(d, jobj_get(d, k, "id"), &e->id) ||
		    fr_time(d, jobj_get(d, k, "date"), &e->time_ms, err) ||
		    fr_dec(d, jobj_get(d, k, "old_balance"), &e->old_balance, err) < 0 ||
		    fr_dec(d, jobj_get(d, k, "new_balance"), &e->new_balance, err) < 0 ||
		    fr_dec(d, jobj_get(d, k, "realized_funding"), &e->realized_funding, err) < 0 ||
		    fr_dec(d, jobj_get(d, k, "funding_rate"), &e->funding_rate, err) < 0 ||
		    fr_dec(d, jobj_get(d, k, "fee"), &e->fee, err) < 0 ||
		    fr_dec(d, jobj_get(d, k, "realized_pnl"), &e->realized_pnl, err) < 0) {
			free(tmp);
			kerr_set(err, FUT_E_SYNTAX, "needs id and date, numbers where numbers go");
			return fail_at(err, "account log", n);
		}
		fr_str(d, jobj_get(d, k, "info"), e->info, sizeof e->info);
		asset_of(d, jobj_get(d, k, "asset"), e->asset, sizeof e->asset);
		char c[INSTR_ID_MAX];
		size_t cl = fr_str(d, jobj_get(d, k, "contract"), c, sizeof c);
		fut_symbol_upper(c, cl, e->instrument, sizeof e->instrument);
	}
	/* Kraken sorts newest first by default; the state wants oldest first. */
	bool desc = n > 1 && tmp[0].id > tmp[n - 1].id;
	for (size_t j = 0; j < n; j++)
		state_add_account_log(st, &tmp[desc ? n - 1 - j : j]);
	free(tmp);
	return 0;
}

/* ---- preferences ---- */

static int decode_prefs(const struct fut_doc *fd, const char *key, bool leverage,
                        struct fut_pref *out, size_t cap, size_t *n, struct kerr *err)
{
	const struct jdoc *d = &fd->d;
	int arr = fr_payload(fd, key, J_ARR, err);
	if (arr < 0)
		return -1;
	size_t i = 0;
	for (int k = jfirst(d, arr); k >= 0; k = jnext(d, arr, k), i++) {
		struct fut_pref p;
		memset(&p, 0, sizeof p);
		char sym[INSTR_ID_MAX];
		size_t sl = fr_str(d, jobj_get(d, k, "symbol"), sym, sizeof sym);
		if (!sl)
			return kerr_set(err, FUT_E_SYNTAX,
			                "Kraken Futures preference %zu has no symbol", i);
		fut_symbol_upper(sym, sl, p.symbol, sizeof p.symbol);
		if (leverage) {
			if (fr_dec_req(d, jobj_get(d, k, "maxLeverage"), "maxLeverage",
			               &p.max_leverage, err))
				return fail_at(err, "leverage preferences", i);
		} else {
			fr_str(d, jobj_get(d, k, "pnlCurrency"), p.pnl_currency,
			       sizeof p.pnl_currency);
		}
		if (i < cap)
			out[i] = p;
	}
	*n = i;
	return 0;
}

int fut_decode_leverage_prefs(const struct fut_doc *fd, struct fut_pref *out, size_t cap, size_t *n,
                              struct kerr *err)
{
	return decode_prefs(fd, "leveragePreferences", true, out, cap, n, err);
}

int fut_decode_pnl_prefs(const struct fut_doc *fd, struct fut_pref *out, size_t cap, size_t *n,
                         struct kerr *err)
{
	return decode_prefs(fd, "preferences", false, out, cap, n, err);
}
