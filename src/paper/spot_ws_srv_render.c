/* spot_ws_srv_render: Kraken Spot WS v2 message shapes for the paper
 * exchange, written with base/jwrite into s->out (appending). */
#include <stdio.h>
#include <string.h>

#include "base/crc32.h"
#include "base/ktime.h"
#include "paper/spot_ws_srv_int.h"

void swss_time(int64_t ns, char *buf, size_t cap)
{
	ktime_fmt_rfc3339(ns, 6, buf, cap);
}

void swss_dec_units(struct jw *w, int64_t units, int dp)
{
	jw_dec(w, dec_make(units, (unsigned)dp));
}

/* A decimal at `dp` places when that is exact (how Kraken prints a pair's
 * prices and sizes), else at its own scale. */
static void dec_dp(struct jw *w, dec_t v, int dp)
{
	dec_t r;
	if (dp >= 0 && dec_rescale(v, (unsigned)dp, DEC_EXACT, &r) == 0)
		v = r;
	jw_dec(w, v);
}

static void key_dec(struct jw *w, const char *k, dec_t v, int dp)
{
	jw_key(w, k);
	dec_dp(w, v, dp);
}

static void key_str(struct jw *w, const char *k, const char *v)
{
	jw_key(w, k);
	jw_str(w, v);
}

static void key_time(struct jw *w, const char *k, int64_t ns, int digits)
{
	char t[KTIME_FMT_MAX];
	ktime_fmt_rfc3339(ns, digits, t, sizeof t);
	key_str(w, k, t);
}

static void data_begin(struct jw *w, struct sbuf *b, const char *channel, bool snapshot)
{
	jw_init(w, b);
	jw_obj_begin(w);
	key_str(w, "channel", channel);
	key_str(w, "type", snapshot ? "snapshot" : "update");
	jw_key(w, "data");
	jw_arr_begin(w);
}

/* Close data (and add the sequence of a private channel). */
static void data_end(struct jw *w, int64_t sequence)
{
	jw_arr_end(w);
	if (sequence) {
		jw_key(w, "sequence");
		jw_i64(w, sequence);
	}
	jw_obj_end(w);
}

/* Decimal digits of a non-negative integer, no leading zeros. */
static size_t digits(char *out, int64_t v)
{
	char tmp[24];
	size_t n = 0;
	uint64_t u = v < 0 ? 0 : (uint64_t)v;
	do {
		tmp[n++] = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	for (size_t i = 0; i < n; i++)
		out[i] = tmp[n - 1 - i];
	return n;
}

uint32_t swss_checksum(const struct swss_view *v)
{
	char buf[20 * 2 * 20];
	size_t len = 0;
	static const int order[2] = {ENGINE_SELL, ENGINE_BUY}; /* asks first */
	for (int k = 0; k < 2; k++) {
		const struct swss_side *sd = &v->side[order[k]];
		for (size_t i = 0; i < 10 && i < sd->n; i++) {
			len += digits(buf + len, sd->px[i]);
			len += digits(buf + len, sd->qty[i]);
		}
	}
	return kt_crc32(0, buf, len);
}

static void levels(struct jw *w, const char *key, const struct swss_lvl *l, size_t n,
                   const struct px_instr *in)
{
	jw_key(w, key);
	jw_arr_begin(w);
	for (size_t i = 0; i < n; i++) {
		jw_obj_begin(w);
		jw_key(w, "price");
		swss_dec_units(w, l[i].px, in->price_dp);
		jw_key(w, "qty");
		swss_dec_units(w, l[i].qty, in->qty_dp);
		jw_obj_end(w);
	}
	jw_arr_end(w);
}

void swss_render_book(struct spot_ws_srv *s, const struct px_instr *in, bool snapshot,
                      const struct swss_lvl *bids, size_t nb, const struct swss_lvl *asks,
                      size_t na, uint32_t checksum)
{
	struct jw w;
	data_begin(&w, &s->out, "book", snapshot);
	jw_obj_begin(&w);
	key_str(&w, "symbol", in->symbol);
	levels(&w, "bids", bids, nb, in);
	levels(&w, "asks", asks, na, in);
	jw_key(&w, "checksum");
	jw_u64(&w, checksum);
	key_time(&w, "timestamp", paper_now(s->p), 6);
	jw_obj_end(&w);
	data_end(&w, 0);
}

void swss_render_ticker(struct spot_ws_srv *s, const struct px_instr *in, bool snapshot)
{
	struct px_ticker t;
	memset(&t, 0, sizeof t);
	px_ticker(s->px, in, &t);
	struct jw w;
	data_begin(&w, &s->out, "ticker", snapshot);
	jw_obj_begin(&w);
	key_str(&w, "symbol", in->symbol);
	key_dec(&w, "bid", t.bid, in->price_dp);
	key_dec(&w, "bid_qty", t.bid_qty, in->qty_dp);
	key_dec(&w, "ask", t.ask, in->price_dp);
	key_dec(&w, "ask_qty", t.ask_qty, in->qty_dp);
	key_dec(&w, "last", t.has_last ? t.last : in->ref_price, in->price_dp);
	key_dec(&w, "volume", t.vol_24h, in->qty_dp);
	key_dec(&w, "vwap", t.vwap_24h, -1);
	key_dec(&w, "low", t.low_24h, in->price_dp);
	key_dec(&w, "high", t.high_24h, in->price_dp);
	key_dec(&w, "change", t.change_24h, in->price_dp);
	key_dec(&w, "change_pct", t.change_pct_24h, 2);
	key_time(&w, "timestamp", t.last_ns ? t.last_ns : paper_now(s->p), 6);
	jw_obj_end(&w);
	data_end(&w, 0);
}

struct trade_ctx {
	struct jw *w;
	const struct px_instr *in;
};

static void trade_item(struct jw *w, const struct px_instr *in, const struct px_trade *t)
{
	jw_obj_begin(w);
	key_str(w, "symbol", in->symbol);
	key_str(w, "side", t->side == ENGINE_BUY ? "buy" : "sell");
	key_dec(w, "price", t->price, in->price_dp);
	key_dec(w, "qty", t->qty, in->qty_dp);
	key_str(w, "ord_type", t->taker_type == ENGINE_T_MARKET ? "market" : "limit");
	jw_key(w, "trade_id");
	jw_u64(w, t->id);
	key_time(w, "timestamp", t->ts_ns, 6);
	jw_obj_end(w);
}

static void trade_cb(void *arg, const struct px_trade *t)
{
	struct trade_ctx *tc = arg;
	trade_item(tc->w, tc->in, t);
}

void swss_render_trades_snapshot(struct spot_ws_srv *s, const struct px_instr *in)
{
	struct jw w;
	data_begin(&w, &s->out, "trade", true);
	struct trade_ctx tc = {&w, in};
	px_trades(s->px, in, 0, 50, trade_cb, &tc);
	data_end(&w, 0);
}

void swss_render_trade(struct spot_ws_srv *s, const struct px_instr *in, const struct px_trade *t)
{
	struct jw w;
	data_begin(&w, &s->out, "trade", false);
	trade_item(&w, in, t);
	data_end(&w, 0);
}

struct ohlc_ctx {
	struct jw *w;
	const struct px_instr *in;
	int minutes;
	bool all;
	struct px_candle last;
	bool have;
};

static void candle_item(struct jw *w, const struct px_instr *in, int minutes,
                        const struct px_candle *c)
{
	jw_obj_begin(w);
	key_str(w, "symbol", in->symbol);
	key_dec(w, "open", c->open, in->price_dp);
	key_dec(w, "high", c->high, in->price_dp);
	key_dec(w, "low", c->low, in->price_dp);
	key_dec(w, "close", c->close, in->price_dp);
	key_dec(w, "vwap", c->vwap, -1);
	jw_key(w, "trades");
	jw_i64(w, c->count);
	key_dec(w, "volume", c->volume, in->qty_dp);
	key_time(w, "interval_begin", c->begin_ns, 9);
	jw_key(w, "interval");
	jw_i64(w, minutes);
	key_time(w, "timestamp", c->begin_ns, 6);
	jw_obj_end(w);
}

static void ohlc_cb(void *arg, const struct px_candle *c)
{
	struct ohlc_ctx *oc = arg;
	if (oc->all)
		candle_item(oc->w, oc->in, oc->minutes, c);
	oc->last = *c;
	oc->have = true;
}

void swss_render_ohlc(struct spot_ws_srv *s, const struct px_instr *in, int minutes, bool snapshot)
{
	struct jw w;
	data_begin(&w, &s->out, "ohlc", snapshot);
	struct ohlc_ctx oc = {.w = &w, .in = in, .minutes = minutes, .all = snapshot};
	int64_t since = snapshot ? 0 : paper_now(s->p) - (int64_t)minutes * 60 * KTIME_NS_PER_SEC;
	px_ohlc(s->px, in, minutes, since, ohlc_cb, &oc);
	if (!snapshot && oc.have)
		candle_item(&w, in, minutes, &oc.last);
	data_end(&w, 0);
}

void swss_render_instrument(struct spot_ws_srv *s)
{
	const struct px_instruments *t = px_instruments(s->px);
	struct jw w;
	jw_init(&w, &s->out);
	jw_obj_begin(&w);
	key_str(&w, "channel", "instrument");
	key_str(&w, "type", "snapshot");
	jw_key(&w, "data");
	jw_obj_begin(&w);
	jw_key(&w, "assets");
	jw_arr_begin(&w);
	for (int i = 0; i < PX_A_COUNT; i++) {
		const struct px_asset *a = &t->assets[i];
		jw_obj_begin(&w);
		key_str(&w, "id", a->common);
		key_str(&w, "status", "enabled");
		jw_key(&w, "precision");
		jw_i64(&w, a->decimals);
		jw_key(&w, "precision_display");
		jw_i64(&w, a->display_decimals);
		jw_key(&w, "borrowable");
		jw_bool(&w, false);
		key_dec(&w, "collateral_value", a->collateral_value, -1);
		jw_obj_end(&w);
	}
	jw_arr_end(&w);
	jw_key(&w, "pairs");
	jw_arr_begin(&w);
	const char *status = s->p->faults.system == PAPER_SYS_ONLINE        ? "online"
	                     : s->p->faults.system == PAPER_SYS_CANCEL_ONLY ? "cancel_only"
	                     : s->p->faults.system == PAPER_SYS_POST_ONLY   ? "post_only"
	                                                                    : "maintenance";
	for (size_t i = 0; i < t->n; i++) {
		const struct px_instr *in = &t->instr[i];
		if (in->product != PX_SPOT)
			continue;
		jw_obj_begin(&w);
		key_str(&w, "symbol", in->symbol);
		key_str(&w, "base", t->assets[in->base].common);
		key_str(&w, "quote", t->assets[in->quote].common);
		key_str(&w, "status", status);
		jw_key(&w, "qty_precision");
		jw_i64(&w, in->qty_dp);
		key_dec(&w, "qty_increment", in->lot, in->qty_dp);
		jw_key(&w, "price_precision");
		jw_i64(&w, in->price_dp);
		jw_key(&w, "cost_precision");
		jw_i64(&w, in->cost_dp);
		jw_key(&w, "marginable");
		jw_bool(&w, in->leverage_buy[0] != 0 || in->leverage_sell[0] != 0);
		jw_key(&w, "has_index");
		jw_bool(&w, true);
		key_dec(&w, "cost_min", in->costmin, -1);
		key_dec(&w, "tick_size", in->tick, -1);
		key_dec(&w, "price_increment", in->tick, -1);
		key_dec(&w, "qty_min", in->ordermin, -1);
		jw_obj_end(&w);
	}
	jw_arr_end(&w);
	jw_obj_end(&w);
	jw_obj_end(&w);
}

void swss_render_status(struct spot_ws_srv *s, uint64_t conn_id)
{
	static const char *const sys[] = {"online", "maintenance", "cancel_only", "post_only"};
	unsigned k = (unsigned)s->p->faults.system;
	struct jw w;
	data_begin(&w, &s->out, "status", false);
	jw_obj_begin(&w);
	key_str(&w, "api_version", "v2");
	jw_key(&w, "connection_id");
	jw_u64(&w, conn_id);
	key_str(&w, "system", k < 4 ? sys[k] : "online");
	key_str(&w, "version", "2.0.0");
	jw_obj_end(&w);
	data_end(&w, 0);
}

/* ---- executions ---- */

static const char *type_name(enum engine_type t)
{
	static const char *const names[ENGINE_T_COUNT] = {
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
	return t < ENGINE_T_COUNT && names[t] ? names[t] : "limit";
}

static bool has_trigger(enum engine_type t)
{
	return t >= ENGINE_T_STOP_LOSS && t <= ENGINE_T_TRAILING_STOP_LIMIT;
}

static bool has_limit(enum engine_type t)
{
	return t == ENGINE_T_LIMIT || t == ENGINE_T_ICEBERG || t == ENGINE_T_STOP_LOSS_LIMIT ||
	       t == ENGINE_T_TAKE_PROFIT_LIMIT || t == ENGINE_T_TRAILING_STOP_LIMIT;
}

static const char *status_name(const struct px_order *o)
{
	switch (o->status) {
	case ENGINE_S_PARTIAL:
		return "partially_filled";
	case ENGINE_S_FILLED:
		return "filled";
	case ENGINE_S_CANCELLED:
	case ENGINE_S_REJECTED:
		return "canceled";
	case ENGINE_S_EXPIRED:
		return "expired";
	default:
		return "new";
	}
}

/* Kraken's words for why an order closed or changed. */
static const char *reason_text(int reason)
{
	switch (reason) {
	case ENGINE_R_USER_CANCEL:
	case ENGINE_R_CANCEL_ALL:
		return "User requested";
	case ENGINE_R_DEAD_MAN:
		return "Cancel all orders after timer expired";
	case ENGINE_R_EDITED:
		return "Order replaced";
	case ENGINE_R_EXPIRED:
		return "Order expired";
	case ENGINE_R_POST_ONLY:
		return "Post only order";
	case ENGINE_R_IOC_REMAINDER:
	case ENGINE_R_FOK_UNFILLED:
	case ENGINE_R_NO_LIQUIDITY:
		return "Out of liquidity";
	case ENGINE_R_PRICE_PROTECTION:
		return "Market price protection";
	case ENGINE_R_SELF_TRADE:
		return "Self trade prevention";
	case ENGINE_R_WOULD_NOT_REDUCE:
		return "Reduce only:No position exists";
	case ENGINE_R_INSUFFICIENT_FUNDS:
		return "Insufficient funds";
	default:
		return "Order rejected";
	}
}

static dec_t usd_equiv(const struct spot_ws_srv *s, dec_t fee, int asset)
{
	const struct px_asset *a = px_asset(s->px, asset);
	dec_t out;
	if (!a || asset == PX_A_USD || dec_mul(fee, a->ref_usd, 4, DEC_HALF_EVEN, &out))
		return fee;
	return out;
}

static void ids(struct jw *w, const struct px_order *o)
{
	key_str(w, "order_id", o->id);
	jw_key(w, "order_userref");
	jw_i64(w, o->userref);
	if (o->cl_ord_id[0])
		key_str(w, "cl_ord_id", o->cl_ord_id);
}

static void triggers(struct jw *w, const struct spot_ws_srv *s, const struct px_order *o)
{
	const struct px_instr *in = o->instr;
	jw_key(w, "triggers");
	jw_obj_begin(w);
	key_str(w, "reference", o->trigger_ref == ENGINE_REF_INDEX ? "index" : "last");
	if (o->type == ENGINE_T_TRAILING_STOP || o->type == ENGINE_T_TRAILING_STOP_LIMIT) {
		key_dec(w, "price", o->trail.v, -1);
		key_str(w, "price_type", o->trail.pct ? "pct" : "quote");
	} else {
		key_dec(w, "price", o->trigger, in->price_dp);
		key_str(w, "price_type", "static");
	}
	key_dec(w, "actual_price", o->trigger, in->price_dp);
	key_str(w, "status", o->triggered ? "triggered" : "untriggered");
	(void)s;
	jw_obj_end(w);
}

static void totals(struct jw *w, const struct spot_ws_srv *s, const struct px_order *o)
{
	key_dec(w, "cum_qty", o->filled, o->instr->qty_dp);
	key_dec(w, "cum_cost", o->cost, -1);
	key_dec(w, "avg_price", o->avg_price, -1);
	key_dec(w, "fee_usd_equiv", usd_equiv(s, o->fee, o->fee_asset), -1);
}

/* Everything about an order (pending_new, and orders in the snapshot). */
static void order_full(struct jw *w, const struct spot_ws_srv *s, const struct px_order *o,
                       const char *exec_type, const char *status)
{
	const struct px_instr *in = o->instr;
	jw_obj_begin(w);
	ids(w, o);
	key_str(w, "symbol", in->symbol);
	key_str(w, "side", o->side == ENGINE_BUY ? "buy" : "sell");
	key_str(w, "order_type", type_name(o->type));
	key_dec(w, "order_qty", o->qty, in->qty_dp);
	if (o->oflags & PX_O_VIQC)
		key_dec(w, "cash_order_qty", o->qty_quote, -1);
	if (has_limit(o->type) && o->type != ENGINE_T_TRAILING_STOP_LIMIT) {
		key_str(w, "limit_price_type", "static");
		key_dec(w, "limit_price", o->price, in->price_dp);
	} else if (o->type == ENGINE_T_TRAILING_STOP_LIMIT) {
		key_str(w, "limit_price_type", o->limit_off.pct ? "pct" : "quote");
		dec_t off = o->limit_off.v;
		if (o->limit_off.mode == PX_P_MINUS)
			dec_neg(off, &off);
		key_dec(w, "limit_price", off, -1);
	}
	if (has_trigger(o->type))
		triggers(w, s, o);
	key_str(w, "time_in_force",
	        o->tif == ENGINE_IOC   ? "IOC"
	        : o->tif == ENGINE_GTD ? "GTD"
	                               : "GTC");
	if (o->tif == ENGINE_GTD)
		key_time(w, "expire_time", o->expire_ns, 6);
	if (o->start_ns > o->open_ns)
		key_time(w, "effective_time", o->start_ns, 6);
	if (o->eflags & ENGINE_F_POST_ONLY) {
		jw_key(w, "post_only");
		jw_bool(w, true);
	}
	if (o->eflags & ENGINE_F_REDUCE_ONLY) {
		jw_key(w, "reduce_only");
		jw_bool(w, true);
	}
	if (o->leverage) {
		jw_key(w, "margin");
		jw_bool(w, true);
	}
	if (o->type == ENGINE_T_ICEBERG)
		key_dec(w, "display_qty", o->display, in->qty_dp);
	key_str(w, "fee_ccy_pref", o->oflags & PX_O_FEE_BASE ? "fees_in_base" : "fees_in_quote");
	totals(w, s, o);
	key_str(w, "exec_type", exec_type);
	key_str(w, "order_status", status);
	key_time(w, "timestamp", o->update_ns ? o->update_ns : o->open_ns, 6);
	jw_obj_end(w);
}

static void trade_report(struct jw *w, const struct spot_ws_srv *s, const struct px_order *o,
                         const struct px_fill *f, const char *status)
{
	const struct px_instr *in = o->instr;
	const struct px_asset *fa = px_asset(s->px, f->fee_asset);
	jw_obj_begin(w);
	ids(w, o);
	key_str(w, "exec_id", f->id);
	key_str(w, "exec_type", "trade");
	jw_key(w, "trade_id");
	jw_u64(w, f->trade_id);
	key_str(w, "symbol", in->symbol);
	key_str(w, "side", f->side == ENGINE_BUY ? "buy" : "sell");
	key_dec(w, "last_qty", f->qty, in->qty_dp);
	key_dec(w, "last_price", f->price, in->price_dp);
	key_str(w, "liquidity_ind", f->maker ? "m" : "t");
	key_dec(w, "cost", f->cost, -1);
	key_str(w, "order_status", status);
	key_str(w, "order_type", type_name(o->type));
	key_time(w, "timestamp", f->ts_ns, 6);
	key_dec(w, "fee_usd_equiv", usd_equiv(s, f->fee, f->fee_asset), -1);
	jw_key(w, "fees");
	jw_arr_begin(w);
	jw_obj_begin(w);
	key_str(w, "asset", fa ? fa->common : "USD");
	key_dec(w, "qty", f->fee, -1);
	jw_obj_end(w);
	jw_arr_end(w);
	jw_obj_end(w);
}

struct snap_ctx {
	struct jw *w;
	const struct spot_ws_srv *s;
};

static void snap_order(void *arg, const struct px_order *o)
{
	struct snap_ctx *sc = arg;
	order_full(sc->w, sc->s, o, "new", status_name(o));
}

static void snap_fill(void *arg, const struct px_fill *f)
{
	struct snap_ctx *sc = arg;
	const struct px_order *o = px_order_find(sc->s->px, f->account, f->order_id);
	if (o)
		trade_report(sc->w, sc->s, o, f,
		             f->remaining.m == 0 ? "filled" : "partially_filled");
}

void swss_render_exec_snapshot(struct spot_ws_srv *s, struct swss_client *c, bool orders,
                               bool trades)
{
	struct jw w;
	data_begin(&w, &s->out, "executions", true);
	struct snap_ctx sc = {&w, s};
	if (orders) {
		struct px_filter f = px_filter_all(PX_SPOT);
		f.ascending = true;
		px_open_orders(s->px, c->acct, &f, snap_order, &sc);
	}
	if (trades) {
		struct px_filter f = px_filter_all(PX_SPOT);
		f.limit = 50;
		px_fills(s->px, c->acct, &f, snap_fill, &sc);
	}
	data_end(&w, ++c->exec_seq);
}

/* The sparse report Kraken sends for each kind of order event. */
void swss_render_exec_event(struct spot_ws_srv *s, struct swss_client *c, const struct px_event *ev)
{
	const struct px_order *o = ev->order.order;
	const struct px_instr *in = o->instr;
	int64_t ts = ev->ts_ns ? ev->ts_ns : paper_now(s->p);
	struct jw w;
	data_begin(&w, &s->out, "executions", false);
	switch (ev->order.exec) {
	case PX_EXEC_PENDING_NEW:
		order_full(&w, s, o, "pending_new", "pending_new");
		break;
	case PX_EXEC_TRADE:
	case PX_EXEC_FILLED: {
		bool done = ev->order.exec == PX_EXEC_FILLED;
		if (ev->order.fill)
			trade_report(&w, s, o, ev->order.fill,
			             done ? "filled" : "partially_filled");
		if (!done)
			break;
		jw_obj_begin(&w);
		ids(&w, o);
		key_str(&w, "exec_type", "filled");
		key_str(&w, "order_status", "filled");
		totals(&w, s, o);
		key_time(&w, "timestamp", ts, 6);
		jw_obj_end(&w);
		break;
	}
	case PX_EXEC_CANCELED:
	case PX_EXEC_EXPIRED:
	case PX_EXEC_REJECTED: {
		bool exp = ev->order.exec == PX_EXEC_EXPIRED;
		jw_obj_begin(&w);
		ids(&w, o);
		key_str(&w, "exec_type", exp ? "expired" : "canceled");
		key_str(&w, "order_status", exp ? "expired" : "canceled");
		totals(&w, s, o);
		key_str(&w, "reason", reason_text(o->reason));
		key_time(&w, "timestamp", ts, 6);
		jw_obj_end(&w);
		break;
	}
	case PX_EXEC_AMENDED:
	case PX_EXEC_RESTATED: {
		bool user = ev->order.exec == PX_EXEC_AMENDED;
		jw_obj_begin(&w);
		ids(&w, o);
		key_str(&w, "exec_type", user ? "amended" : "restated");
		key_str(&w, "order_status", status_name(o));
		key_dec(&w, "order_qty", o->qty, in->qty_dp);
		if (has_limit(o->type) && o->type != ENGINE_T_TRAILING_STOP_LIMIT)
			key_dec(&w, "limit_price", o->price, in->price_dp);
		if (o->type == ENGINE_T_ICEBERG)
			key_dec(&w, "display_qty", o->display, in->qty_dp);
		if (has_trigger(o->type))
			triggers(&w, s, o);
		jw_key(&w, "post_only");
		jw_bool(&w, (o->eflags & ENGINE_F_POST_ONLY) != 0);
		jw_key(&w, "amended");
		jw_bool(&w, true);
		key_str(&w, "reason", user ? "User requested" : reason_text(o->reason));
		key_time(&w, "timestamp", ts, 6);
		jw_obj_end(&w);
		break;
	}
	case PX_EXEC_TRIGGERED:
		jw_obj_begin(&w);
		ids(&w, o);
		key_str(&w, "exec_type", "status");
		key_str(&w, "order_status", status_name(o));
		triggers(&w, s, o);
		if (has_limit(o->type))
			key_dec(&w, "limit_price", o->price, in->price_dp);
		key_time(&w, "timestamp", ts, 6);
		jw_obj_end(&w);
		break;
	case PX_EXEC_ICEBERG_REFILL:
		jw_obj_begin(&w);
		ids(&w, o);
		key_str(&w, "exec_type", "iceberg_refill");
		key_str(&w, "order_status", status_name(o));
		key_dec(&w, "cum_qty", o->filled, in->qty_dp);
		key_dec(&w, "display_qty", o->display, in->qty_dp);
		key_time(&w, "timestamp", ts, 6);
		jw_obj_end(&w);
		break;
	case PX_EXEC_NEW:
	default:
		jw_obj_begin(&w);
		ids(&w, o);
		key_str(&w, "exec_type", "new");
		key_str(&w, "order_status", "new");
		key_time(&w, "timestamp", ts, 6);
		jw_obj_end(&w);
		break;
	}
	data_end(&w, ++c->exec_seq);
}

/* ---- balances ---- */

struct bal_ctx {
	struct jw *w;
	const struct spot_ws_srv *s;
};

static void bal_item(void *arg, int asset, const struct px_balance *b)
{
	struct bal_ctx *bc = arg;
	const struct px_asset *a = px_asset(bc->s->px, asset);
	if (!a)
		return;
	struct jw *w = bc->w;
	jw_obj_begin(w);
	key_str(w, "asset", a->common);
	key_str(w, "asset_class", "currency");
	key_dec(w, "balance", b->balance, a->decimals);
	jw_key(w, "wallets");
	jw_arr_begin(w);
	jw_obj_begin(w);
	key_str(w, "type", "spot");
	key_str(w, "id", "main");
	key_dec(w, "balance", b->balance, a->decimals);
	jw_obj_end(w);
	jw_arr_end(w);
	jw_obj_end(w);
}

void swss_render_balances_snapshot(struct spot_ws_srv *s, struct swss_client *c)
{
	struct jw w;
	data_begin(&w, &s->out, "balances", true);
	struct bal_ctx bc = {&w, s};
	px_spot_balances(s->px, c->acct, bal_item, &bc);
	data_end(&w, ++c->bal_seq);
}

void swss_render_balance_update(struct spot_ws_srv *s, struct swss_client *c,
                                const struct px_event *ev)
{
	const struct px_ledger *l = ev->balance.ledger;
	const struct px_asset *a = px_asset(s->px, ev->balance.asset);
	const char *type = px_ledger_type_str(l->type);
	struct jw w;
	data_begin(&w, &s->out, "balances", false);
	jw_obj_begin(&w);
	key_str(&w, "ledger_id", l->id);
	key_str(&w, "ref_id", l->refid);
	key_time(&w, "timestamp", l->ts_ns, 6);
	key_str(&w, "type", type);
	key_str(&w, "subtype", l->subtype);
	key_str(&w, "category", type);
	key_str(&w, "asset", a ? a->common : "?");
	key_str(&w, "asset_class", "currency");
	key_dec(&w, "amount", l->amount, a ? a->decimals : -1);
	key_dec(&w, "fee", l->fee, a ? a->decimals : -1);
	key_dec(&w, "balance", l->balance, a ? a->decimals : -1);
	key_str(&w, "wallet_type", "spot");
	key_str(&w, "wallet_id", "main");
	jw_obj_end(&w);
	data_end(&w, ++c->bal_seq);
}
