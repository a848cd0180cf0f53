/* cmd_account: `krakterm balances`, `orders` and `positions` — the account as
 * the exchange reports it right now (one REST snapshot of each product). */
#include <stdio.h>
#include <string.h>

#include "app/cmd_util.h"
#include "core/preview.h"
#include "core/state.h"

static int open_private(struct cmd *c)
{
	struct backend_opts o = {.need_keys = true};
	return cmd_open(c, &o, false);
}

/* ---- balances ---- */

static void balances_json(struct cmd *c)
{
	const struct state *st = &c->be.st;
	const struct futures_account *fa = &st->fut;
	struct cmd_json j;
	cmd_json_begin(&j);
	struct jw *w = &j.w;
	jw_obj_begin(w);
	jw_key(w, "spot");
	if (!st->has_keys[PRODUCT_SPOT]) {
		jw_null(w);
	} else {
		jw_arr_begin(w);
		for (size_t i = 0; i < st->nbal; i++) {
			const struct balance *b = &st->bal[i];
			jw_obj_begin(w);
			cmd_json_str(w, "asset", b->asset);
			cmd_json_dec(w, "balance", b->total);
			cmd_json_dec(w, "held", b->hold);
			cmd_json_dec(w, "available", b->available);
			jw_obj_end(w);
		}
		jw_arr_end(w);
	}
	jw_key(w, "futures");
	if (!st->has_keys[PRODUCT_FUTURES] || !fa->valid) {
		jw_null(w);
	} else {
		jw_obj_begin(w);
		jw_key(w, "collateral");
		jw_arr_begin(w);
		for (int i = 0; i < fa->ncur; i++) {
			const struct collateral *k = &fa->cur[i];
			jw_obj_begin(w);
			cmd_json_str(w, "asset", k->asset);
			cmd_json_dec(w, "quantity", k->quantity);
			cmd_json_dec(w, "value", k->value);
			cmd_json_dec(w, "collateral", k->collateral);
			cmd_json_dec(w, "available", k->available);
			jw_obj_end(w);
		}
		jw_arr_end(w);
		cmd_json_dec(w, "portfolio_value", fa->portfolio_value);
		cmd_json_dec(w, "balance_value", fa->balance_value);
		cmd_json_dec(w, "collateral_value", fa->collateral_value);
		cmd_json_dec(w, "initial_margin", fa->initial_margin);
		cmd_json_dec(w, "initial_margin_with_orders", fa->initial_margin_with_orders);
		cmd_json_dec(w, "maintenance_margin", fa->maintenance_margin);
		cmd_json_dec(w, "available_margin", fa->available_margin);
		cmd_json_dec(w, "margin_equity", fa->margin_equity);
		cmd_json_dec(w, "pnl", fa->pnl);
		cmd_json_dec(w, "unrealized_funding", fa->unrealized_funding);
		jw_key(w, "cash");
		jw_arr_begin(w);
		for (int i = 0; i < fa->ncash; i++) {
			jw_obj_begin(w);
			cmd_json_str(w, "asset", fa->cash[i].asset);
			cmd_json_dec(w, "quantity", fa->cash[i].quantity);
			jw_obj_end(w);
		}
		jw_arr_end(w);
		jw_obj_end(w);
	}
	jw_obj_end(w);
	cmd_json_print(c, &j);
}

static void balances_text(struct cmd *c)
{
	const struct state *st = &c->be.st;
	const struct futures_account *fa = &st->fut;
	FILE *out = c->ctx->out;
	char a[DEC_FMT_MAX], b[DEC_FMT_MAX], d[DEC_FMT_MAX], e[DEC_FMT_MAX];
	fprintf(out, "Spot wallet\n");
	if (!st->has_keys[PRODUCT_SPOT]) {
		fprintf(out, "  (no Spot API key in this profile)\n");
	} else if (st->nbal == 0) {
		fprintf(out, "  (empty)\n");
	} else {
		struct cmd_table t;
		cmd_table_init(&t, "lrrr", "ASSET", "BALANCE", "HELD", "AVAILABLE", NULL);
		for (size_t i = 0; i < st->nbal; i++) {
			const struct balance *x = &st->bal[i];
			cmd_table_row(&t, x->asset, cmd_dec(x->total, false, a),
			              cmd_dec(x->hold, false, b), cmd_dec(x->available, false, d));
		}
		cmd_table_print(&t, out, "  ");
		cmd_table_free(&t);
	}
	fprintf(out, "\nFutures wallet (multi-collateral, values in USD)\n");
	if (!st->has_keys[PRODUCT_FUTURES] || !fa->valid) {
		fprintf(out, "  (%s)\n",
		        st->has_keys[PRODUCT_FUTURES] ? "not reported"
		                                      : "no Futures API key in this profile");
		return;
	}
	struct cmd_table t;
	cmd_table_init(&t, "lrrrr", "COLLATERAL", "QUANTITY", "VALUE", "AFTER HAIRCUT", "AVAILABLE",
	               NULL);
	for (int i = 0; i < fa->ncur; i++) {
		const struct collateral *k = &fa->cur[i];
		cmd_table_row(&t, k->asset, cmd_dec(k->quantity, false, a),
		              cmd_dec(k->value, false, b), cmd_dec(k->collateral, false, d),
		              cmd_dec(k->available, false, e));
	}
	cmd_table_print(&t, out, "  ");
	cmd_table_free(&t);
	struct {
		const char *label;
		dec_t v;
	} rows[] = {
	        {"portfolio value", fa->portfolio_value},
	        {"collateral value", fa->collateral_value},
	        {"initial margin", fa->initial_margin},
	        {"  with open orders", fa->initial_margin_with_orders},
	        {"maintenance margin", fa->maintenance_margin},
	        {"available margin", fa->available_margin},
	        {"margin equity", fa->margin_equity},
	        {"unrealized PnL", fa->pnl},
	        {"unrealized funding", fa->unrealized_funding},
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
		fprintf(out, "  %-20s %s\n", rows[i].label, cmd_dec(rows[i].v, false, a));
	if (fa->ncash) {
		fprintf(out, "\nFutures cash wallet (not margin)\n");
		cmd_table_init(&t, "lr", "ASSET", "QUANTITY", NULL);
		for (int i = 0; i < fa->ncash; i++)
			cmd_table_row(&t, fa->cash[i].asset,
			              cmd_dec(fa->cash[i].quantity, false, a));
		cmd_table_print(&t, out, "  ");
		cmd_table_free(&t);
	}
}

int cmd_balances(struct app_ctx *ctx, int argc, char **argv)
{
	struct cmd c;
	cmd_init(&c, ctx, "balances");
	if (cmd_parse(&c, argc, argv, NULL, NULL, 0) < 0)
		return cmd_usage(&c, "[--json]");
	int rc = open_private(&c);
	if (rc == 0) {
		if (c.json)
			balances_json(&c);
		else
			balances_text(&c);
	}
	cmd_finish(&c);
	return rc;
}

/* ---- orders ---- */

static void order_flags(const struct order *o, char *buf, size_t cap)
{
	size_t n = 0;
	buf[0] = '\0';
#define ADD(...) n += (size_t)snprintf(buf + n, n < cap ? cap - n : 0, __VA_ARGS__)
	if (o->post_only)
		ADD("%spost-only", n ? "," : "");
	if (o->reduce_only)
		ADD("%sreduce-only", n ? "," : "");
	if (o->tif != TIF_GTC)
		ADD("%s%s", n ? "," : "", tif_name(o->tif));
	if (o->leverage)
		ADD("%s%dx", n ? "," : "", o->leverage);
	if (o->type == OT_ICEBERG && dec_sign(o->display_qty) > 0) {
		char d[DEC_FMT_MAX];
		dec_fmt_trim(o->display_qty, d, sizeof d);
		ADD("%sshow %s", n ? "," : "", d);
	}
	if (order_type_is_trailing(o->type)) {
		char d[DEC_FMT_MAX];
		dec_fmt_trim(o->trail_offset, d, sizeof d);
		ADD("%strail %s%s", n ? "," : "", d, o->trail_pct ? "%" : "");
	}
#undef ADD
	if (n >= cap && cap)
		buf[cap - 1] = '\0';
}

static void order_json(struct jw *w, const struct state *st, const struct order *o)
{
	const struct instrument *in = state_instrument(st, o->instr);
	jw_obj_begin(w);
	cmd_json_str(w, "id", o->id);
	cmd_json_str(w, "cl_id", o->cl_id[0] ? o->cl_id : NULL);
	cmd_json_str(w, "product", product_name(o->product));
	cmd_json_str(w, "symbol", in ? in->id : NULL);
	cmd_json_str(w, "side", side_name(o->side));
	cmd_json_str(w, "type", order_type_name(o->type));
	cmd_json_str(w, "status", order_status_name(o->status));
	cmd_json_dec(w, "size", o->qty);
	cmd_json_dec(w, "filled", o->filled);
	if (order_type_has_limit(o->type))
		cmd_json_dec(w, "limit_price", o->limit_price);
	if (order_type_has_trigger(o->type) || order_type_is_trailing(o->type)) {
		if (dec_sign(o->trigger_price) > 0)
			cmd_json_dec(w, "trigger_price", o->trigger_price);
		cmd_json_str(w, "trigger_signal", trigger_signal_name(o->signal));
	}
	if (order_type_is_trailing(o->type)) {
		cmd_json_dec(w, "trailing_offset", o->trail_offset);
		jw_key(w, "trailing_pct");
		jw_bool(w, o->trail_pct);
	}
	if (o->type == OT_ICEBERG)
		cmd_json_dec(w, "display_size", o->display_qty);
	cmd_json_str(w, "tif", tif_name(o->tif));
	jw_key(w, "post_only");
	jw_bool(w, o->post_only);
	jw_key(w, "reduce_only");
	jw_bool(w, o->reduce_only);
	jw_key(w, "leverage");
	jw_i64(w, o->leverage);
	cmd_json_time(w, "expire", o->expire_ms);
	cmd_json_time(w, "created", o->created_ms);
	jw_obj_end(w);
}

int cmd_orders(struct app_ctx *ctx, int argc, char **argv)
{
	struct cmd c;
	cmd_init(&c, ctx, "orders");
	if (cmd_parse(&c, argc, argv, NULL, NULL, 0) < 0)
		return cmd_usage(&c, "[--json]");
	int rc = open_private(&c);
	if (rc) {
		cmd_finish(&c);
		return rc;
	}
	const struct state *st = &c.be.st;
	struct cmd_json j;
	struct cmd_table t;
	if (c.json) {
		cmd_json_begin(&j);
		jw_arr_begin(&j.w);
	} else {
		cmd_table_init(&t, "lllllrrrrll", "ID", "SYMBOL", "SIDE", "TYPE", "STATUS", "SIZE",
		               "FILLED", "PRICE", "TRIGGER", "ON", "FLAGS", NULL);
	}
	for (size_t i = 0; i < st->norders; i++) {
		const struct order *o = &st->orders[i];
		if (!order_status_is_open(o->status))
			continue;
		if (c.json) {
			order_json(&j.w, st, o);
			continue;
		}
		const struct instrument *in = state_instrument(st, o->instr);
		char q[DEC_FMT_MAX], f[DEC_FMT_MAX], p[DEC_FMT_MAX], tr[DEC_FMT_MAX], fl[120];
		bool trig = order_type_has_trigger(o->type) || order_type_is_trailing(o->type);
		order_flags(o, fl, sizeof fl);
		cmd_table_row(&t, o->id, in ? in->id : "?", side_name(o->side),
		              order_type_name(o->type), order_status_name(o->status),
		              cmd_dec(o->qty, false, q), cmd_dec(o->filled, true, f),
		              order_type_has_limit(o->type) ? cmd_dec(o->limit_price, true, p)
		                                            : "-",
		              trig ? cmd_dec(o->trigger_price, true, tr) : "-",
		              trig ? trigger_signal_name(o->signal) : "-", fl);
	}
	if (c.json) {
		jw_arr_end(&j.w);
		cmd_json_print(&c, &j);
	} else {
		if (t.nrows == 1)
			fprintf(ctx->out, "no open orders\n");
		else
			cmd_table_print(&t, ctx->out, NULL);
		cmd_table_free(&t);
	}
	cmd_finish(&c);
	return APP_EXIT_OK;
}

/* ---- positions ---- */

/* A position with what the snapshot left out filled in from the ticker and
 * the core's formulas (docs/trading.md): mark, unrealized PnL, liquidation
 * price and, for cross margin, the effective leverage. */
static void position_complete(const struct state *st, const struct position *p,
                              struct position *out)
{
	*out = *p;
	const struct instrument *in = state_instrument(st, p->instr);
	const struct market *m = state_market_peek(st, p->instr);
	if (!in || p->product != PRODUCT_FUTURES)
		return;
	if (dec_is_zero(out->mark) && m && (m->ticker.has & TK_MARK))
		out->mark = m->ticker.mark;
	if (dec_is_zero(out->mark) || dec_is_zero(out->entry))
		return;
	dec_t cs = dec_is_zero(in->contract_size) ? dec_from_int(1) : in->contract_size;
	dec_t q, diff, v;
	if (dec_mul(p->size, cs, 8, DEC_HALF_EVEN, &q) < 0)
		return;
	if (dec_is_zero(out->upnl) && !instrument_is_inverse(in) &&
	    dec_sub(out->mark, out->entry, &diff) == 0 &&
	    dec_mul(q, diff, 4, DEC_HALF_EVEN, &v) == 0) {
		out->upnl = v;
		if (!out->pnl_asset[0])
			snprintf(out->pnl_asset, sizeof out->pnl_asset, "%s", in->quote);
	}
	if (dec_is_zero(out->liq_price) && !instrument_is_inverse(in)) {
		dec_t k = st->fut.available_margin;
		if (!p->isolated)
			dec_add(k,
			        preview_initial_margin(in, p->size, out->mark, false, dec_zero()),
			        &k);
		dec_t liq;
		if (preview_liquidation(in, p->size, p->entry, p->isolated, p->max_leverage, k,
		                        &liq))
			out->liq_price = liq;
	}
	if (!p->isolated && dec_is_zero(out->leverage) && st->fut.valid &&
	    dec_sign(st->fut.margin_equity) > 0) {
		dec_t a, n;
		if (dec_abs(q, &a) == 0 && dec_mul(a, out->mark, 4, DEC_HALF_EVEN, &n) == 0)
			dec_div(n, st->fut.margin_equity, 2, DEC_HALF_EVEN, &out->leverage);
	}
}

static void positions_print(struct cmd *c, const struct position *ps, size_t n)
{
	const struct state *st = &c->be.st;
	struct cmd_json j;
	struct cmd_table t;
	if (c->json) {
		cmd_json_begin(&j);
		jw_arr_begin(&j.w);
	} else {
		cmd_table_init(&t, "llllrrrrrrl", "PRODUCT", "SYMBOL", "SIDE", "MARGIN", "SIZE",
		               "ENTRY", "MARK", "UPNL", "LIQ PRICE", "LEVERAGE", "PNL IN", NULL);
	}
	for (size_t i = 0; i < n; i++) {
		const struct position *p = &ps[i];
		const struct instrument *in = state_instrument(st, p->instr);
		const char *side = dec_sign(p->size) > 0 ? "long" : "short";
		const char *margin = p->product == PRODUCT_SPOT ? "spot margin"
		                     : p->isolated              ? "isolated"
		                                                : "cross";
		dec_t size;
		dec_abs(p->size, &size);
		if (c->json) {
			struct jw *w = &j.w;
			jw_obj_begin(w);
			cmd_json_str(w, "product", product_name(p->product));
			cmd_json_str(w, "symbol", in ? in->id : NULL);
			cmd_json_str(w, "side", side);
			cmd_json_dec(w, "size", size);
			cmd_json_dec(w, "entry", p->entry);
			cmd_json_dec(w, "mark", p->mark);
			cmd_json_dec(w, "upnl", p->upnl);
			cmd_json_str(w, "pnl_currency", p->pnl_asset[0] ? p->pnl_asset : NULL);
			cmd_json_dec(w, "liq_price", p->liq_price);
			cmd_json_dec(w, "leverage", p->leverage);
			cmd_json_str(w, "margin",
			             p->product == PRODUCT_SPOT ? "spot"
			             : p->isolated              ? "isolated"
			                                        : "cross");
			if (p->isolated)
				cmd_json_dec(w, "max_leverage", p->max_leverage);
			cmd_json_dec(w, "unrealized_funding", p->unrealized_funding);
			jw_obj_end(w);
			continue;
		}
		char s[DEC_FMT_MAX], e[DEC_FMT_MAX], m[DEC_FMT_MAX], u[DEC_FMT_MAX], l[DEC_FMT_MAX],
		        lv[DEC_FMT_MAX + 1];
		if (dec_is_zero(p->leverage))
			snprintf(lv, sizeof lv, "-");
		else
			snprintf(lv, sizeof lv, "%sx", cmd_dec(p->leverage, false, s));
		cmd_table_row(&t, product_name(p->product), in ? in->id : "?", side, margin,
		              cmd_dec(size, false, s), cmd_dec(p->entry, true, e),
		              cmd_dec(p->mark, true, m), cmd_dec(p->upnl, false, u),
		              cmd_dec(p->liq_price, true, l), lv,
		              p->pnl_asset[0] ? p->pnl_asset : "-");
	}
	if (c->json) {
		jw_arr_end(&j.w);
		cmd_json_print(c, &j);
	} else {
		if (t.nrows == 1)
			fprintf(c->ctx->out, "no open positions\n");
		else
			cmd_table_print(&t, c->ctx->out, NULL);
		cmd_table_free(&t);
	}
}

int cmd_positions(struct app_ctx *ctx, int argc, char **argv)
{
	struct cmd c;
	cmd_init(&c, ctx, "positions");
	if (cmd_parse(&c, argc, argv, NULL, NULL, 0) < 0)
		return cmd_usage(&c, "[--json]");
	int rc = open_private(&c);
	if (rc) {
		cmd_finish(&c);
		return rc;
	}
	const struct state *st = &c.be.st;
	/* Marks come with the futures tickers (one request for every contract). */
	for (size_t i = 0; i < st->npos; i++)
		if (st->pos[i].product == PRODUCT_FUTURES) {
			cmd_fetch_ticker(&c, st->pos[i].instr, true);
			break;
		}
	struct position ps[64];
	size_t n = 0;
	for (size_t i = 0; i < st->npos && n < sizeof ps / sizeof ps[0]; i++)
		if (!dec_is_zero(st->pos[i].size))
			position_complete(st, &st->pos[i], &ps[n++]);
	positions_print(&c, ps, n);
	cmd_finish(&c);
	return APP_EXIT_OK;
}
