/* fut_ws_srv_render: px records in Kraken Futures WS v1 shapes, written with
 * base/jwrite (exact decimals, no double anywhere). Field names and layouts
 * follow docs.kraken.com's futures-websocket pages (see docs/protocol.md). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/ktime.h"
#include "base/xalloc.h"
#include "paper/faults.h"
#include "paper/fut_ws_srv_int.h"

static void kd(struct jw *w, const char *key, dec_t v)
{
	jw_key(w, key);
	jw_dec(w, v);
}

static void ki(struct jw *w, const char *key, int64_t v)
{
	jw_key(w, key);
	jw_i64(w, v);
}

static void ks(struct jw *w, const char *key, const char *v)
{
	jw_key(w, key);
	jw_str(w, v);
}

static void kb(struct jw *w, const char *key, bool v)
{
	jw_key(w, key);
	jw_bool(w, v);
}

static int64_t ms(int64_t ns)
{
	return ns / 1000000;
}

static const char *side_str(enum engine_side s)
{
	return s == ENGINE_BUY ? "buy" : "sell";
}

/* Asset code as the Futures wallets spell it ("USD", "XBT"). */
static const char *fut_code(const struct fut_ws_srv *s, int asset)
{
	const struct px_asset *a = px_asset(s->px, asset);
	return a ? a->fut_code : "?";
}

/* ---- book ---- */

static size_t depth_all(struct fut_ws_srv *s, const struct px_instr *in, enum engine_side side)
{
	if (!s->lv_cap) {
		s->lv_cap = 1024;
		s->lv = xmalloc(s->lv_cap * sizeof *s->lv);
	}
	for (;;) {
		size_t n = px_depth(s->px, in, side, s->lv, s->lv_cap);
		if (n < s->lv_cap)
			return n;
		s->lv_cap *= 2;
		s->lv = xrealloc(s->lv, s->lv_cap * sizeof *s->lv);
	}
}

static void levels(struct fut_ws_srv *s, struct jw *w, const struct px_instr *in,
                   enum engine_side side)
{
	size_t n = depth_all(s, in, side);
	jw_arr_begin(w);
	for (size_t i = 0; i < n; i++) { /* best first, as Kraken lists them */
		jw_obj_begin(w);
		kd(w, "price", s->lv[i].price);
		kd(w, "qty", s->lv[i].qty);
		jw_obj_end(w);
	}
	jw_arr_end(w);
}

void fwss_render_book_snapshot(struct fut_ws_srv *s, const struct px_instr *in)
{
	struct jw w;
	jw_init(&w, &s->out);
	jw_obj_begin(&w);
	ks(&w, "feed", "book_snapshot");
	ks(&w, "product_id", in->symbol);
	ki(&w, "timestamp", fwss_now_ms(s));
	ki(&w, "seq", (int64_t)faults_fut_seq(s->p, s->book_seq[in->id]));
	jw_key(&w, "tickSize");
	jw_null(&w);
	jw_key(&w, "bids");
	levels(s, &w, in, ENGINE_BUY);
	jw_key(&w, "asks");
	levels(s, &w, in, ENGINE_SELL);
	jw_obj_end(&w);
}

void fwss_render_book_delta(struct fut_ws_srv *s, const struct px_instr *in, enum engine_side side,
                            dec_t price, dec_t qty, int64_t ts_ms)
{
	struct jw w;
	jw_init(&w, &s->out);
	jw_obj_begin(&w);
	ks(&w, "feed", "book");
	ks(&w, "product_id", in->symbol);
	ks(&w, "side", side_str(side));
	ki(&w, "seq", (int64_t)faults_fut_seq(s->p, s->book_seq[in->id]));
	kd(&w, "price", price);
	kd(&w, "qty", qty);
	ki(&w, "timestamp", ts_ms);
	jw_obj_end(&w);
}

/* ---- ticker ---- */

static dec_t premium(const struct px_ticker *t)
{
	dec_t diff, pct, out;
	if (!t->has_mark || !t->has_index || dec_sign(t->index) <= 0 ||
	    dec_sub(t->mark, t->index, &diff) < 0 ||
	    dec_mul(diff, dec_from_int(100), 8, DEC_HALF_EVEN, &pct) < 0 ||
	    dec_div(pct, t->index, 2, DEC_HALF_EVEN, &out) < 0)
		return dec_zero();
	return out;
}

/* "50x": the leverage the first margin tier allows. */
static void leverage_str(const struct px_instr *in, char *buf, size_t cap)
{
	dec_t lev = dec_from_int(1);
	if (in->ntiers > 0 && dec_sign(in->tiers[0].im) > 0)
		dec_div(dec_from_int(1), in->tiers[0].im, 0, DEC_DOWN, &lev);
	snprintf(buf, cap, "%lldx", (long long)lev.m);
}

/* Funding fields are perpetuals-only and left out when zero (as Kraken does). */
static void funding(struct jw *w, const char *key, dec_t v)
{
	if (!dec_is_zero(v))
		kd(w, key, v);
}

void fwss_render_ticker(struct fut_ws_srv *s, const struct px_instr *in, bool lite)
{
	struct px_ticker t;
	memset(&t, 0, sizeof t);
	px_ticker(s->px, in, &t);
	int64_t now = paper_now(s->p);
	int64_t dtm =
	        in->last_trading_ns > now ? (in->last_trading_ns - now) / 86400000000000LL : 0;
	struct jw w;
	jw_init(&w, &s->out);
	jw_obj_begin(&w);
	if (lite) {
		ks(&w, "feed", "ticker_lite");
		ks(&w, "product_id", in->symbol);
		kd(&w, "bid", t.bid);
		kd(&w, "ask", t.ask);
		kd(&w, "change", t.change_pct_24h);
		kd(&w, "premium", premium(&t));
		kd(&w, "volume", t.vol_24h);
		ks(&w, "tag", in->tag ? in->tag : "perpetual");
		ks(&w, "pair", in->pair ? in->pair : "");
		ki(&w, "dtm", dtm);
		ki(&w, "maturityTime", ms(in->last_trading_ns));
		kd(&w, "volumeQuote", t.volume_quote_24h);
		jw_obj_end(&w);
		return;
	}
	ki(&w, "time", ms(now));
	ks(&w, "product_id", in->symbol);
	if (in->perpetual) {
		funding(&w, "funding_rate", t.funding_rate);
		funding(&w, "funding_rate_prediction", t.funding_rate_prediction);
		funding(&w, "relative_funding_rate", t.rel_funding_rate);
		funding(&w, "relative_funding_rate_prediction", t.rel_funding_rate_prediction);
		if (t.next_funding_ns)
			ki(&w, "next_funding_rate_time", ms(t.next_funding_ns)); /* absolute */
	}
	ks(&w, "feed", "ticker");
	kd(&w, "bid", t.bid);
	kd(&w, "ask", t.ask);
	kd(&w, "bid_size", t.bid_qty);
	kd(&w, "ask_size", t.ask_qty);
	kd(&w, "volume", t.vol_24h);
	ki(&w, "dtm", dtm);
	char lev[16];
	leverage_str(in, lev, sizeof lev);
	ks(&w, "leverage", lev);
	kd(&w, "index", t.index);
	kd(&w, "premium", premium(&t));
	kd(&w, "last", t.last);
	kd(&w, "change", t.change_pct_24h);
	kb(&w, "suspended", s->p->faults.fut_suspended);
	ks(&w, "tag", in->tag ? in->tag : "perpetual");
	ks(&w, "pair", in->pair ? in->pair : "");
	kd(&w, "openInterest", t.open_interest);
	kd(&w, "markPrice", t.mark);
	ki(&w, "maturityTime", ms(in->last_trading_ns));
	kb(&w, "post_only", false);
	kd(&w, "volumeQuote", t.volume_quote_24h);
	kd(&w, "open", t.open_24h);
	kd(&w, "high", t.high_24h);
	kd(&w, "low", t.low_24h);
	jw_obj_end(&w);
}

/* ---- trades ---- */

void fwss_render_trade(struct jw *w, const struct px_trade *t, const struct px_instr *in, bool top)
{
	(void)top;
	jw_obj_begin(w);
	ks(w, "feed", "trade");
	ks(w, "product_id", in->symbol);
	ks(w, "uid", t->uid);
	ks(w, "side", side_str(t->side));
	ks(w, "type", t->liquidation ? "liquidation" : "fill");
	ki(w, "seq", (int64_t)t->id);
	ki(w, "time", ms(t->ts_ns));
	kd(w, "qty", t->qty);
	kd(w, "price", t->price);
	jw_obj_end(w);
}

struct trade_collect {
	struct px_trade t[100];
	size_t n;
};

static void collect_trade(void *arg, const struct px_trade *t)
{
	struct trade_collect *c = arg;
	if (c->n < sizeof c->t / sizeof c->t[0])
		c->t[c->n++] = *t;
}

void fwss_render_trade_snapshot(struct fut_ws_srv *s, const struct px_instr *in)
{
	struct trade_collect *tc = xcalloc(1, sizeof *tc);
	px_trades(s->px, in, 0, 100, collect_trade, tc); /* oldest first */
	struct jw w;
	jw_init(&w, &s->out);
	jw_obj_begin(&w);
	ks(&w, "feed", "trade_snapshot");
	ks(&w, "product_id", in->symbol);
	jw_key(&w, "trades");
	jw_arr_begin(&w);
	for (size_t i = tc->n; i-- > 0;) /* newest first, as Kraken lists them */
		fwss_render_trade(&w, &tc->t[i], in, false);
	jw_arr_end(&w);
	jw_obj_end(&w);
	free(tc);
}

/* ---- orders ---- */

static const char *order_type(enum engine_type t)
{
	switch (t) {
	case ENGINE_T_STOP_LOSS:
	case ENGINE_T_STOP_LOSS_LIMIT:
		return "stop";
	case ENGINE_T_TAKE_PROFIT:
	case ENGINE_T_TAKE_PROFIT_LIMIT:
		return "take_profit";
	case ENGINE_T_TRAILING_STOP:
	case ENGINE_T_TRAILING_STOP_LIMIT:
		return "trailing_stop";
	case ENGINE_T_MARKET:
		return "market";
	default:
		return "limit";
	}
}

static bool is_trigger(enum engine_type t)
{
	return t >= ENGINE_T_STOP_LOSS && t <= ENGINE_T_TRAILING_STOP_LIMIT;
}

void fwss_render_order(struct jw *w, const struct px_order *o)
{
	jw_obj_begin(w);
	ks(w, "instrument", o->instr->symbol);
	ki(w, "time", ms(o->open_ns));
	ki(w, "last_update_time", ms(o->update_ns ? o->update_ns : o->open_ns));
	kd(w, "qty", o->qty);
	kd(w, "filled", o->filled);
	if (o->type != ENGINE_T_TRAILING_STOP)
		kd(w, "limit_price", o->price);
	kd(w, "stop_price", o->trigger);
	/* a fired stop-limit lives on as a limit order (Kraken: limit_order_from_stop) */
	bool fired = o->triggered && is_trigger(o->type);
	ks(w, "type", fired ? (dec_sign(o->price) > 0 ? "limit" : "market") : order_type(o->type));
	ks(w, "order_id", o->id);
	if (o->cl_ord_id[0])
		ks(w, "cli_ord_id", o->cl_ord_id);
	ki(w, "direction", o->side == ENGINE_BUY ? 0 : 1);
	kb(w, "reduce_only", (o->eflags & ENGINE_F_REDUCE_ONLY) != 0);
	if (is_trigger(o->type) && !fired)
		ks(w, "triggerSignal",
		   o->trigger_ref == ENGINE_REF_MARK    ? "mark"
		   : o->trigger_ref == ENGINE_REF_INDEX ? "spot"
		                                        : "last");
	if (o->type == ENGINE_T_TRAILING_STOP || o->type == ENGINE_T_TRAILING_STOP_LIMIT) {
		jw_key(w, "trailing_stop_options");
		jw_obj_begin(w);
		kd(w, "max_deviation", o->trail.v);
		ks(w, "unit", o->trail.pct ? "percent" : "quote_currency");
		jw_obj_end(w);
	}
	jw_obj_end(w);
}

static void order_cb(void *arg, const struct px_order *o)
{
	fwss_render_order(arg, o);
}

void fwss_render_orders_snapshot(struct fut_ws_srv *s, uint32_t acct, bool verbose)
{
	char id[40];
	fwss_account_id(acct, id);
	struct jw w;
	jw_init(&w, &s->out);
	jw_obj_begin(&w);
	ks(&w, "feed", verbose ? "open_orders_verbose_snapshot" : "open_orders_snapshot");
	ks(&w, "account", id);
	jw_key(&w, "orders");
	jw_arr_begin(&w);
	struct px_filter f = px_filter_all(PX_FUTURES);
	f.ascending = true;
	px_open_orders(s->px, acct, &f, order_cb, &w);
	jw_arr_end(&w);
	jw_obj_end(&w);
}

/* ---- fills ---- */

static const char *fill_order_type(enum engine_type t)
{
	switch (t) {
	case ENGINE_T_MARKET:
		return "market";
	case ENGINE_T_LIMIT:
	case ENGINE_T_ICEBERG:
		return "lmt";
	default:
		return "stp";
	}
}

void fwss_render_fill(struct jw *w, struct fut_ws_srv *s, const struct px_fill *f)
{
	jw_obj_begin(w);
	ks(w, "instrument", f->instr->symbol);
	ki(w, "time", ms(f->ts_ns));
	kd(w, "price", f->price);
	ki(w, "seq", (int64_t)f->trade_id);
	kb(w, "buy", f->side == ENGINE_BUY);
	kd(w, "qty", f->qty);
	kd(w, "remaining_order_qty", f->remaining);
	ks(w, "order_id", f->order_id);
	if (f->cl_ord_id[0])
		ks(w, "cli_ord_id", f->cl_ord_id);
	ks(w, "fill_id", f->id);
	ks(w, "fill_type", f->liquidation ? "liquidation" : f->maker ? "maker" : "taker");
	kd(w, "fee_paid", f->fee);
	ks(w, "fee_currency", fut_code(s, f->fee_asset));
	ks(w, "taker_order_type", f->maker ? "lmt" : fill_order_type(f->order_type));
	ks(w, "order_type", fill_order_type(f->order_type));
	jw_obj_end(w);
}

struct fill_ctx {
	struct fut_ws_srv *s;
	struct jw *w;
	uint32_t only;
	size_t n;
};

static void fill_cb(void *arg, const struct px_fill *f)
{
	struct fill_ctx *c = arg;
	if (c->n >= 100 || (c->only && !(c->only & (1u << f->instr->id))))
		return;
	fwss_render_fill(c->w, c->s, f);
	c->n++;
}

void fwss_render_fills_snapshot(struct fut_ws_srv *s, uint32_t acct, uint32_t only)
{
	char id[40];
	fwss_account_id(acct, id);
	struct jw w;
	jw_init(&w, &s->out);
	jw_obj_begin(&w);
	ks(&w, "feed", "fills_snapshot");
	ks(&w, "account", id);
	jw_key(&w, "fills");
	jw_arr_begin(&w);
	struct px_filter f = px_filter_all(PX_FUTURES);
	struct fill_ctx c = {s, &w, only, 0};
	px_fills(s->px, acct, &f, fill_cb, &c); /* newest first */
	jw_arr_end(&w);
	jw_obj_end(&w);
}

/* ---- positions ---- */

struct pos_ctx {
	struct fut_ws_srv *s;
	struct jw *w;
};

static void pos_cb(void *arg, const struct px_fut_position *p)
{
	struct pos_ctx *c = arg;
	struct jw *w = c->w;
	jw_obj_begin(w);
	ks(w, "instrument", p->instr->symbol);
	kd(w, "balance", p->size);
	kd(w, "pnl", p->upnl);
	kd(w, "entry_price", p->entry_price);
	kd(w, "mark_price", p->mark_price);
	kd(w, "index_price", p->index_price);
	kd(w, "liquidation_threshold", p->has_liq ? p->liq_price : dec_zero());
	kd(w, "effective_leverage", p->effective_leverage);
	dec_t roe = dec_zero();
	if (dec_sign(p->initial_margin) > 0)
		dec_div(p->upnl, p->initial_margin, 8, DEC_HALF_EVEN, &roe);
	kd(w, "return_on_equity", roe);
	if (!dec_is_zero(p->unrealized_funding))
		kd(w, "unrealized_funding", p->unrealized_funding);
	kd(w, "initial_margin", p->initial_margin);
	kd(w, "initial_margin_with_orders", p->initial_margin);
	kd(w, "maintenance_margin", p->maintenance_margin);
	if (!p->instr->inverse) /* Kraken leaves it out for inverse contracts */
		ks(w, "pnl_currency", fut_code(c->s, p->pnl_asset));
	if (p->isolated)
		kd(w, "max_fixed_leverage", p->max_leverage);
	jw_obj_end(w);
}

void fwss_render_positions(struct fut_ws_srv *s, uint32_t acct)
{
	char id[40];
	fwss_account_id(acct, id);
	struct jw w;
	jw_init(&w, &s->out);
	jw_obj_begin(&w);
	ks(&w, "feed", "open_positions");
	ks(&w, "account", id);
	jw_key(&w, "positions");
	jw_arr_begin(&w);
	struct pos_ctx c = {s, &w};
	px_fut_positions(s->px, acct, pos_cb, &c);
	jw_arr_end(&w);
	ki(&w, "seq", (int64_t)++s->msg_seq);
	ki(&w, "timestamp", fwss_now_ms(s));
	jw_obj_end(&w);
}

/* ---- balances ---- */

static void flex_fields(struct jw *w, const struct px_fut_flex *f)
{
	kd(w, "balance_value", f->balance_value);
	kd(w, "portfolio_value", f->portfolio_value);
	kd(w, "collateral_value", f->collateral_value);
	kd(w, "initial_margin", f->initial_margin_with_orders); /* WS: with orders */
	kd(w, "initial_margin_without_orders", f->initial_margin);
	kd(w, "maintenance_margin", f->maintenance_margin);
	kd(w, "pnl", f->pnl);
	kd(w, "unrealized_funding", f->unrealized_funding);
	kd(w, "total_unrealized", f->total_unrealized);
	kd(w, "total_unrealized_as_margin", f->total_unrealized_as_margin);
	kd(w, "margin_equity", f->margin_equity);
	kd(w, "available_margin", f->available_margin);
}

void fwss_render_balances(struct fut_ws_srv *s, uint32_t acct, bool snapshot)
{
	struct px_fut_accounts a;
	memset(&a, 0, sizeof a);
	px_fut_accounts(s->px, acct, &a, NULL);
	char id[40];
	fwss_account_id(acct, id);
	struct jw w;
	jw_init(&w, &s->out);
	jw_obj_begin(&w);
	ks(&w, "feed", snapshot ? "balances_snapshot" : "balances");
	ks(&w, "account", id);
	jw_key(&w, "holding");
	jw_obj_begin(&w);
	for (int i = 0; i < PX_A_COUNT; i++)
		if (!dec_is_zero(a.cash[i]) || i == PX_A_USD)
			kd(&w, fut_code(s, i), a.cash[i]);
	jw_obj_end(&w);
	jw_key(&w, "futures");
	jw_obj_begin(&w);
	jw_key(&w, "F-XBT:USD");
	jw_obj_begin(&w);
	ks(&w, "name", "F-XBT:USD");
	ks(&w, "pair", "XBT/USD");
	ks(&w, "unit", "XBT");
	kd(&w, "portfolio_value", a.inverse.pv);
	kd(&w, "balance", a.inverse.balance);
	kd(&w, "maintenance_margin", a.inverse.mm);
	kd(&w, "initial_margin", a.inverse.im);
	kd(&w, "available", a.inverse.af);
	kd(&w, "unrealized_funding", a.inverse.funding);
	kd(&w, "pnl", a.inverse.pnl);
	jw_obj_end(&w);
	jw_obj_end(&w);
	jw_key(&w, "flex_futures");
	jw_obj_begin(&w);
	jw_key(&w, "currencies");
	jw_obj_begin(&w);
	for (size_t i = 0; i < a.flex.ncur; i++) {
		const struct px_fut_currency *c = &a.flex.cur[i];
		jw_key(&w, fut_code(s, c->asset));
		jw_obj_begin(&w);
		kd(&w, "quantity", c->quantity);
		kd(&w, "value", c->value);
		kd(&w, "collateral_value", c->collateral);
		kd(&w, "available", c->available);
		kd(&w, "haircut", c->haircut);
		kd(&w, "conversion_spread", dec_zero());
		jw_obj_end(&w);
	}
	jw_obj_end(&w);
	flex_fields(&w, &a.flex);
	jw_key(&w, "isolated");
	jw_obj_begin(&w);
	jw_obj_end(&w);
	jw_key(&w, "cross");
	jw_obj_begin(&w);
	flex_fields(&w, &a.flex);
	kd(&w, "effective_leverage", dec_zero());
	jw_obj_end(&w);
	jw_obj_end(&w);
	ki(&w, "timestamp", fwss_now_ms(s));
	ki(&w, "seq", (int64_t)++s->msg_seq);
	jw_obj_end(&w);
}

/* ---- account log ---- */

static void alog_num(struct jw *w, const struct px_alog *e, uint32_t bit, const char *key, dec_t v)
{
	kd(w, key, (e->has & bit) ? v : dec_zero());
}

void fwss_render_alog(struct jw *w, const struct px_alog *e)
{
	char date[KTIME_FMT_MAX];
	ktime_fmt_ms(e->ts_ns, date, sizeof date);
	jw_obj_begin(w);
	ki(w, "id", (int64_t)e->id);
	ks(w, "date", date);
	ks(w, "asset", e->asset);
	if (e->contract[0])
		ks(w, "contract", e->contract);
	ks(w, "info", e->info);
	ks(w, "booking_uid", e->booking_uid);
	ks(w, "margin_account", e->margin_account);
	alog_num(w, e, PX_AL_OLD_BALANCE, "old_balance", e->old_balance);
	alog_num(w, e, PX_AL_NEW_BALANCE, "new_balance", e->new_balance);
	alog_num(w, e, PX_AL_OLD_ENTRY, "old_average_entry_price", e->old_avg_entry);
	alog_num(w, e, PX_AL_NEW_ENTRY, "new_average_entry_price", e->new_avg_entry);
	alog_num(w, e, PX_AL_TRADE_PRICE, "trade_price", e->trade_price);
	alog_num(w, e, PX_AL_MARK_PRICE, "mark_price", e->mark_price);
	alog_num(w, e, PX_AL_REALIZED_PNL, "realized_pnl", e->realized_pnl);
	alog_num(w, e, PX_AL_FEE, "fee", e->fee);
	ks(w, "execution", e->execution);
	ks(w, "collateral", e->collateral);
	alog_num(w, e, PX_AL_FUNDING_RATE, "funding_rate", e->funding_rate);
	alog_num(w, e, PX_AL_REAL_FUNDING, "realized_funding", e->realized_funding);
	kd(w, "conversion_spread_percentage", dec_zero());
	alog_num(w, e, PX_AL_LIQ_FEE, "liquidation_fee", e->liquidation_fee);
	jw_obj_end(w);
}

static void alog_cb(void *arg, const struct px_alog *e)
{
	fwss_render_alog(arg, e);
}

void fwss_render_alog_snapshot(struct fut_ws_srv *s, uint32_t acct)
{
	struct jw w;
	jw_init(&w, &s->out);
	jw_obj_begin(&w);
	ks(&w, "feed", "account_log_snapshot");
	jw_key(&w, "logs");
	jw_arr_begin(&w);
	struct px_filter f = px_filter_all(PX_FUTURES);
	f.limit = 500;
	px_alogs(s->px, acct, &f, alog_cb, &w); /* newest first */
	jw_arr_end(&w);
	jw_obj_end(&w);
}
