/* spot_rest_srv_render: Kraken's Spot REST shapes — decimals as strings at
 * the pair's precision, times as seconds with four decimals, descr texts
 * ("buy 1.25000000 XBTUSD @ limit 27500.0"), and the order, trade and
 * ledger objects. */
#include <stdio.h>
#include <string.h>

#include "paper/spot_rest_srv_int.h"

void srs_w_dec(struct jw *w, dec_t v, int dp)
{
	char b[DEC_FMT_MAX];
	dec_fmt(v, dp, b, sizeof b);
	jw_str(w, b);
}

void srs_w_num(struct jw *w, dec_t v)
{
	char b[DEC_FMT_MAX];
	dec_fmt_trim(v, b, sizeof b);
	jw_raw(w, b);
}

void srs_w_time(struct jw *w, int64_t ns)
{
	char b[40];
	if (ns <= 0) {
		jw_raw(w, "0");
		return;
	}
	snprintf(b, sizeof b, "%lld.%04lld", (long long)(ns / 1000000000),
		 (long long)(ns % 1000000000 / 100000));
	jw_raw(w, b);
}

static const char *const type_names[ENGINE_T_COUNT] = {
	[ENGINE_T_MARKET] = "market",
	[ENGINE_T_LIMIT] = "limit",
	[ENGINE_T_ICEBERG] = "iceberg",
	[ENGINE_T_STOP_LOSS] = "stop-loss",
	[ENGINE_T_TAKE_PROFIT] = "take-profit",
	[ENGINE_T_STOP_LOSS_LIMIT] = "stop-loss-limit",
	[ENGINE_T_TAKE_PROFIT_LIMIT] = "take-profit-limit",
	[ENGINE_T_TRAILING_STOP] = "trailing-stop",
	[ENGINE_T_TRAILING_STOP_LIMIT] = "trailing-stop-limit",
};

const char *srs_type_name(enum engine_type t)
{
	return (unsigned)t < ENGINE_T_COUNT && type_names[t] ? type_names[t] : "market";
}

int srs_type_parse(const char *s, enum engine_type *out)
{
	for (int t = ENGINE_T_MARKET; t < ENGINE_T_COUNT; t++) {
		if (strcmp(s, type_names[t]) == 0) {
			*out = (enum engine_type)t;
			return 0;
		}
	}
	return -1;
}

void srs_fmt_price(const struct px_instr *in, const struct px_price *p, char *buf, size_t cap)
{
	char v[DEC_FMT_MAX];
	if (p->pct)
		dec_fmt_trim(p->v, v, sizeof v);
	else
		dec_fmt(p->v, in->price_dp, v, sizeof v);
	const char *pre = p->mode == PX_P_PLUS ? "+" : p->mode == PX_P_MINUS ? "-"
						  : p->mode == PX_P_AUTO   ? "#"
									   : "";
	snprintf(buf, cap, "%s%s%s", pre, v, p->pct ? "%" : "");
}

/* "limit 27500.0", "stop loss 27000.0 -> limit 26900.0", ... */
static void what_text(const struct px_instr *in, enum engine_type t, const struct px_price *price,
		      const struct px_price *trigger, const struct px_price *trail,
		      const struct px_price *limit_off, char *buf, size_t cap)
{
	char a[64], b[64];
	switch (t) {
	case ENGINE_T_LIMIT:
	case ENGINE_T_ICEBERG:
		srs_fmt_price(in, price, a, sizeof a);
		snprintf(buf, cap, "limit %s", a);
		break;
	case ENGINE_T_STOP_LOSS:
	case ENGINE_T_TAKE_PROFIT:
		srs_fmt_price(in, trigger, a, sizeof a);
		snprintf(buf, cap, "%s %s", t == ENGINE_T_STOP_LOSS ? "stop loss" : "take profit", a);
		break;
	case ENGINE_T_STOP_LOSS_LIMIT:
	case ENGINE_T_TAKE_PROFIT_LIMIT:
		srs_fmt_price(in, trigger, a, sizeof a);
		srs_fmt_price(in, price, b, sizeof b);
		snprintf(buf, cap, "%s %s -> limit %s",
			 t == ENGINE_T_STOP_LOSS_LIMIT ? "stop loss" : "take profit", a, b);
		break;
	case ENGINE_T_TRAILING_STOP:
		srs_fmt_price(in, trail, a, sizeof a);
		snprintf(buf, cap, "trailing stop %s", a);
		break;
	case ENGINE_T_TRAILING_STOP_LIMIT:
		srs_fmt_price(in, trail, a, sizeof a);
		srs_fmt_price(in, limit_off, b, sizeof b);
		snprintf(buf, cap, "trailing stop %s -> limit %s", a, b);
		break;
	default:
		snprintf(buf, cap, "market");
	}
}

void srs_descr_text(const struct srs_descr *d, char *buf, size_t cap)
{
	char qty[DEC_FMT_MAX], what[160], lev[32] = "";
	dec_fmt(d->qty, d->in->qty_dp, qty, sizeof qty);
	what_text(d->in, d->type, &d->price, &d->trigger, &d->trail, &d->limit_off, what,
		  sizeof what);
	if (d->leverage > 0)
		snprintf(lev, sizeof lev, " with %d:1 leverage", d->leverage);
	snprintf(buf, cap, "%s %s %s @ %s%s", d->side == ENGINE_BUY ? "buy" : "sell", qty,
		 d->in->altname, what, lev);
}

void srs_close_text(const struct px_instr *in, const struct px_close_req *c, char *buf,
		    size_t cap)
{
	if (c->type == ENGINE_T_NONE) {
		if (cap)
			buf[0] = '\0';
		return;
	}
	char what[160];
	what_text(in, c->type, &c->price, &c->trigger, &c->trail, &c->limit_off, what,
		  sizeof what);
	snprintf(buf, cap, "close position @ %s", what);
}

void srs_descr_of_order(const struct px_order *o, struct srs_descr *d)
{
	memset(d, 0, sizeof *d);
	d->in = o->instr;
	d->side = o->side;
	d->type = o->type;
	d->qty = o->qty;
	d->price = px_price_abs(o->price);
	d->trigger = px_price_abs(o->trigger);
	d->trail = o->trail;
	d->limit_off = o->limit_off;
	d->leverage = o->leverage;
}

static const char *status_name(const struct px_order *o)
{
	if (o->scheduled)
		return "pending";
	switch (o->status) {
	case ENGINE_S_NEW:
	case ENGINE_S_PENDING:
	case ENGINE_S_OPEN:
	case ENGINE_S_PARTIAL: return "open";
	case ENGINE_S_FILLED: return "closed";
	case ENGINE_S_EXPIRED: return "expired";
	default: return "canceled";
	}
}

/* Kraken's close reason text; NULL for a plain fill. */
static const char *reason_text(int reason)
{
	switch (reason) {
	case ENGINE_R_NONE:
	case ENGINE_R_FILLED: return NULL;
	case ENGINE_R_USER_CANCEL:
	case ENGINE_R_CANCEL_ALL: return "User requested";
	case ENGINE_R_DEAD_MAN: return "Dead man's switch";
	case ENGINE_R_EDITED: return "Order replaced";
	case ENGINE_R_EXPIRED: return "Order expired";
	case ENGINE_R_POST_ONLY: return "Post only order";
	case ENGINE_R_IOC_REMAINDER: return "Immediate or cancel";
	case ENGINE_R_NO_LIQUIDITY: return "Insufficient liquidity";
	case ENGINE_R_PRICE_PROTECTION: return "Market price protection";
	case ENGINE_R_SELF_TRADE: return "Self trade prevention";
	case ENGINE_R_WOULD_NOT_REDUCE: return "Reduce only";
	case ENGINE_R_INSUFFICIENT_FUNDS: return "Insufficient funds";
	default: return "Cancelled";
	}
}

static void oflags_text(const struct px_order *o, char *buf, size_t cap)
{
	snprintf(buf, cap, "%s%s%s%s", (o->oflags & PX_O_FEE_BASE) ? "fcib" : "fciq",
		 (o->eflags & ENGINE_F_POST_ONLY) ? ",post" : "",
		 (o->eflags & ENGINE_F_NO_MPP) ? ",nompp" : "", (o->oflags & PX_O_VIQC) ? ",viqc" : "");
}

static bool is_trailing(enum engine_type t)
{
	return t == ENGINE_T_TRAILING_STOP || t == ENGINE_T_TRAILING_STOP_LIMIT;
}

static bool is_trigger(enum engine_type t)
{
	return t >= ENGINE_T_STOP_LOSS && t < ENGINE_T_COUNT;
}

static bool has_limit_after_trigger(enum engine_type t)
{
	return t == ENGINE_T_STOP_LOSS_LIMIT || t == ENGINE_T_TAKE_PROFIT_LIMIT ||
	       t == ENGINE_T_TRAILING_STOP_LIMIT;
}

/* descr.price and descr.price2 by type. */
static void descr_prices(const struct px_order *o, char *p1, char *p2, size_t cap)
{
	const struct px_instr *in = o->instr;
	struct px_price zero = px_price_abs(dec_zero());
	struct px_price a = zero, b = zero;
	switch (o->type) {
	case ENGINE_T_LIMIT:
	case ENGINE_T_ICEBERG: a = px_price_abs(o->price); break;
	case ENGINE_T_STOP_LOSS:
	case ENGINE_T_TAKE_PROFIT: a = px_price_abs(o->trigger); break;
	case ENGINE_T_STOP_LOSS_LIMIT:
	case ENGINE_T_TAKE_PROFIT_LIMIT:
		a = px_price_abs(o->trigger);
		b = px_price_abs(o->price);
		break;
	case ENGINE_T_TRAILING_STOP_LIMIT: b = o->limit_off; /* fall through */
	case ENGINE_T_TRAILING_STOP: a = o->trail; break;
	default: break;
	}
	srs_fmt_price(in, &a, p1, cap);
	srs_fmt_price(in, &b, p2, cap);
}

static void trade_ids(void *arg, const struct px_fill *f)
{
	jw_str(arg, f->id);
}

void srs_w_order(struct srs *r, const struct px_order *o, bool trades)
{
	struct jw *w = &r->w;
	const struct px_instr *in = o->instr;
	char p1[64], p2[64], text[256], close[256], flags[48], lev[16];
	struct srs_descr d;
	srs_descr_of_order(o, &d);
	srs_descr_text(&d, text, sizeof text);
	srs_close_text(in, &o->close, close, sizeof close);
	descr_prices(o, p1, p2, sizeof p1);
	oflags_text(o, flags, sizeof flags);
	snprintf(lev, sizeof lev, o->leverage > 0 ? "%d:1" : "none", o->leverage);
	bool closed = !px_order_is_open(o);
	jw_obj_begin(w);
	jw_key(w, "refid");
	jw_null(w);
	jw_key(w, "userref");
	jw_i64(w, o->userref);
	if (o->cl_ord_id[0]) {
		jw_key(w, "cl_ord_id");
		jw_str(w, o->cl_ord_id);
	}
	jw_key(w, "status");
	jw_str(w, status_name(o));
	if (closed) {
		const char *why = reason_text(o->reason);
		jw_key(w, "reason");
		if (why)
			jw_str(w, why);
		else
			jw_null(w);
	}
	jw_key(w, "opentm");
	srs_w_time(w, o->open_ns);
	if (closed) {
		jw_key(w, "closetm");
		srs_w_time(w, o->close_ns);
	}
	jw_key(w, "starttm");
	srs_w_time(w, o->start_ns);
	jw_key(w, "expiretm");
	srs_w_time(w, o->tif == ENGINE_GTD ? o->expire_ns : 0);
	jw_key(w, "descr");
	jw_obj_begin(w);
	jw_key(w, "pair");
	jw_str(w, in->altname);
	jw_key(w, "type");
	jw_str(w, o->side == ENGINE_BUY ? "buy" : "sell");
	jw_key(w, "ordertype");
	jw_str(w, srs_type_name(o->type));
	jw_key(w, "price");
	jw_str(w, p1);
	jw_key(w, "price2");
	jw_str(w, p2);
	jw_key(w, "leverage");
	jw_str(w, lev);
	jw_key(w, "order");
	jw_str(w, text);
	jw_key(w, "close");
	jw_str(w, close);
	jw_obj_end(w);
	jw_key(w, "vol");
	srs_w_dec(w, o->qty, in->qty_dp);
	jw_key(w, "vol_exec");
	srs_w_dec(w, o->filled, in->qty_dp);
	jw_key(w, "cost");
	srs_w_dec(w, o->cost, in->cost_dp);
	jw_key(w, "fee");
	srs_w_dec(w, o->fee, o->fee_asset == in->base ? in->qty_dp : in->cost_dp);
	jw_key(w, "price");
	srs_w_dec(w, o->avg_price, in->price_dp);
	bool fired = o->triggered || is_trailing(o->type);
	jw_key(w, "stopprice");
	srs_w_dec(w, is_trigger(o->type) && fired ? o->trigger : dec_zero(), in->price_dp);
	jw_key(w, "limitprice");
	srs_w_dec(w, has_limit_after_trigger(o->type) && o->triggered ? o->price : dec_zero(),
		  in->price_dp);
	if (o->trigger_ref == ENGINE_REF_INDEX) {
		jw_key(w, "trigger");
		jw_str(w, "index");
	}
	jw_key(w, "misc");
	jw_str(w, o->triggered && o->amended ? "stopped,amended"
		  : o->triggered		 ? "stopped"
		  : o->amended		 ? "amended"
					 : "");
	jw_key(w, "oflags");
	jw_str(w, flags);
	if (o->eflags & ENGINE_F_REDUCE_ONLY) {
		jw_key(w, "reduce_only");
		jw_bool(w, true);
	}
	if (trades) {
		struct px_filter f = px_filter_all(PX_SPOT);
		f.order_id = o->id;
		f.ascending = true;
		jw_key(w, "trades");
		jw_arr_begin(w);
		px_fills(r->px, r->acct, &f, trade_ids, w);
		jw_arr_end(w);
	}
	jw_obj_end(w);
}

void srs_w_fill(struct srs *r, const struct px_fill *f, bool ledgers)
{
	struct jw *w = &r->w;
	const struct px_instr *in = f->instr;
	jw_obj_begin(w);
	jw_key(w, "ordertxid");
	jw_str(w, f->order_id);
	jw_key(w, "postxid");
	jw_str(w, f->pos_id);
	jw_key(w, "pair");
	jw_str(w, in->rest_id);
	jw_key(w, "time");
	srs_w_time(w, f->ts_ns);
	jw_key(w, "type");
	jw_str(w, f->side == ENGINE_BUY ? "buy" : "sell");
	jw_key(w, "ordertype");
	jw_str(w, srs_type_name(f->order_type));
	jw_key(w, "price");
	srs_w_dec(w, f->price, in->price_dp);
	jw_key(w, "cost");
	srs_w_dec(w, f->cost, in->cost_dp);
	jw_key(w, "fee");
	srs_w_dec(w, f->fee, f->fee_asset == in->base ? in->qty_dp : in->cost_dp);
	jw_key(w, "vol");
	srs_w_dec(w, f->qty, in->qty_dp);
	jw_key(w, "margin");
	srs_w_dec(w, f->margin, in->cost_dp);
	jw_key(w, "leverage");
	char lev[16];
	snprintf(lev, sizeof lev, "%d", f->leverage);
	jw_str(w, lev);
	jw_key(w, "misc");
	jw_str(w, f->liquidation ? "liquidation" : "");
	if (f->pos_effect != PX_POS_NONE) {
		jw_key(w, "posstatus");
		jw_str(w, f->pos_effect == PX_POS_OPEN ? "open" : "closed");
	}
	jw_key(w, "trade_id");
	jw_u64(w, f->trade_id);
	jw_key(w, "maker");
	jw_bool(w, f->maker);
	if (ledgers) {
		jw_key(w, "ledgers");
		jw_arr_begin(w);
		for (int i = 0; i < 2; i++)
			if (f->ledger_ids[i][0])
				jw_str(w, f->ledger_ids[i]);
		jw_arr_end(w);
	}
	jw_obj_end(w);
}

void srs_w_ledger(struct srs *r, const struct px_ledger *l)
{
	struct jw *w = &r->w;
	const struct px_asset *a = px_asset(r->px, l->asset);
	int dp = a ? a->decimals : 8;
	jw_obj_begin(w);
	jw_key(w, "refid");
	jw_str(w, l->refid);
	jw_key(w, "time");
	srs_w_time(w, l->ts_ns);
	jw_key(w, "type");
	jw_str(w, px_ledger_type_str(l->type));
	jw_key(w, "subtype");
	jw_str(w, l->subtype);
	jw_key(w, "aclass");
	jw_str(w, a ? a->aclass : "currency");
	jw_key(w, "asset");
	jw_str(w, a ? a->id : "?");
	jw_key(w, "amount");
	srs_w_dec(w, l->amount, dp);
	jw_key(w, "fee");
	srs_w_dec(w, l->fee, dp);
	jw_key(w, "balance");
	srs_w_dec(w, l->balance, dp);
	jw_obj_end(w);
}
