/* spot_ws_build: Spot WS v2 requests (subscriptions, ping, trading methods)
 * written with jwrite from core requests. Values Kraken defaults are left out
 * unless the protocol reference says to send them explicitly (snapshot flags). */
#include <stdio.h>
#include <string.h>

#include "base/jwrite.h"
#include "base/ktime.h"
#include "core/instrument.h"
#include "kraken/spot_ws_codec.h"

static void begin(struct jw *w, struct sbuf *b, const char *method)
{
	jw_init(w, b);
	jw_obj_begin(w);
	jw_key(w, "method");
	jw_str(w, method);
}

/* Close params (when open), add token/req_id, close the request. */
static int finish(struct jw *w, const char *token, int64_t req_id, bool params_open,
                  struct kerr *err)
{
	if (params_open) {
		if (token) {
			jw_key(w, "token");
			jw_str(w, token);
		}
		jw_obj_end(w);
	}
	if (req_id > 0) {
		jw_key(w, "req_id");
		jw_i64(w, req_id);
	}
	jw_obj_end(w);
	if (jw_error(w))
		return kerr_set(err, SPOT_WS_E_VALUE, "internal error: unbalanced JSON request");
	return 0;
}

static void key_str(struct jw *w, const char *k, const char *v)
{
	jw_key(w, k);
	jw_str(w, v);
}

static void key_dec(struct jw *w, const char *k, dec_t v)
{
	jw_key(w, k);
	jw_dec(w, v);
}

static void key_bool(struct jw *w, const char *k, bool v)
{
	jw_key(w, k);
	jw_bool(w, v);
}

static void key_time(struct jw *w, const char *k, int64_t ns, int digits)
{
	char t[KTIME_FMT_MAX];
	ktime_fmt_rfc3339(ns, digits, t, sizeof t);
	key_str(w, k, t);
}

static void str_array(struct jw *w, const char *k, const char *const *v, size_t n)
{
	jw_key(w, k);
	jw_arr_begin(w);
	for (size_t i = 0; i < n; i++)
		jw_str(w, v[i]);
	jw_arr_end(w);
}

static bool depth_ok(int d)
{
	return d == 10 || d == 25 || d == 100 || d == 500 || d == 1000;
}

static bool interval_ok(int iv)
{
	static const int ok[] = {1, 5, 15, 30, 60, 240, 1440, 10080, 21600};
	for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++)
		if (ok[i] == iv)
			return true;
	return false;
}

int spot_ws_build_subscribe(struct sbuf *b, bool unsub, const struct spot_ws_sub *s, int64_t req_id,
                            struct kerr *err)
{
	struct jw w;
	enum spot_ws_channel c = s->channel;
	bool per_symbol = c == SWC_BOOK || c == SWC_TICKER || c == SWC_TRADE || c == SWC_OHLC;
	bool private = c == SWC_EXECUTIONS || c == SWC_BALANCES;
	if (!per_symbol && !private && c != SWC_INSTRUMENT)
		return kerr_set(err, SPOT_WS_E_VALUE, "channel %s cannot be subscribed",
		                spot_ws_channel_name(c));
	if (per_symbol && s->nsymbols == 0)
		return kerr_set(err, SPOT_WS_E_VALUE, "a %s subscription needs at least one pair",
		                spot_ws_channel_name(c));
	if (c == SWC_BOOK && !depth_ok(s->depth))
		return kerr_set(err, SPOT_WS_E_VALUE,
		                "book depth %d is not one of 10, 25, 100, 500, 1000", s->depth);
	if (c == SWC_OHLC && !interval_ok(s->interval))
		return kerr_set(err, SPOT_WS_E_VALUE, "candle interval %d is not offered by Kraken",
		                s->interval);
	if (private && (!s->token || !s->token[0]))
		return kerr_set(err, SPOT_WS_E_VALUE, "%s needs a WebSocket token",
		                spot_ws_channel_name(c));
	begin(&w, b, unsub ? "unsubscribe" : "subscribe");
	jw_key(&w, "params");
	jw_obj_begin(&w);
	key_str(&w, "channel", spot_ws_channel_name(c));
	if (per_symbol)
		str_array(&w, "symbol", s->symbols, s->nsymbols);
	if (c == SWC_BOOK) {
		jw_key(&w, "depth");
		jw_i64(&w, s->depth);
	}
	if (c == SWC_OHLC) {
		jw_key(&w, "interval");
		jw_i64(&w, s->interval);
	}
	if (!unsub) {
		if (c == SWC_TICKER && s->bbo_trigger)
			key_str(&w, "event_trigger", "bbo");
		if (c == SWC_EXECUTIONS) {
			/* Kraken's defaults for these disagree between pages: say what we want. */
			key_bool(&w, "snap_orders", s->snapshot);
			key_bool(&w, "snap_trades", s->snapshot);
			key_bool(&w, "order_status", true);
		} else {
			key_bool(&w, "snapshot", s->snapshot);
		}
	}
	return finish(&w, private ? s->token : NULL, req_id, true, err);
}

void spot_ws_build_ping(struct sbuf *b, int64_t req_id)
{
	struct jw w;
	begin(&w, b, "ping");
	finish(&w, NULL, req_id, false, NULL);
}

static const char *price_type(bool pct)
{
	return pct ? "pct" : "quote";
}

/* The conditional close attached to an order (secondary orders on each fill). */
static int add_conditional(struct jw *w, const struct close_req *c, struct kerr *err)
{
	const char *name = spot_ws_order_type_name(c->type);
	if (!name || c->type == OT_MARKET || c->type == OT_ICEBERG || c->type == OT_SETTLE_POSITION)
		return kerr_set(err, SPOT_WS_E_VALUE, "a conditional close cannot be a %s order",
		                name ? name : "?");
	jw_key(w, "conditional");
	jw_obj_begin(w);
	key_str(w, "order_type", name);
	if (c->type == OT_LIMIT) {
		key_dec(w, "limit_price", c->price);
	} else {
		key_dec(w, "trigger_price", c->price);
		if (order_type_is_trailing(c->type))
			key_str(w, "trigger_price_type", "quote");
		if (order_type_has_limit(c->type) || c->type == OT_TRAILING_STOP_LIMIT) {
			key_dec(w, "limit_price", c->price2);
			if (c->type == OT_TRAILING_STOP_LIMIT)
				key_str(w, "limit_price_type", "quote");
		}
	}
	jw_obj_end(w);
	return 0;
}

static int add_triggers(struct jw *w, const struct order_req *r, struct kerr *err)
{
	if (r->signal == TRIG_MARK)
		return kerr_set(err, SPOT_WS_E_VALUE,
		                "Kraken Spot triggers on last or index, not mark");
	bool trail = order_type_is_trailing(r->type);
	dec_t price = trail ? r->trail_offset : r->trigger_price;
	if (dec_sign(price) <= 0)
		return kerr_set(err, SPOT_WS_E_VALUE, "%s needs a positive %s",
		                spot_ws_order_type_name(r->type),
		                trail ? "trailing distance" : "trigger price");
	jw_key(w, "triggers");
	jw_obj_begin(w);
	if (r->signal == TRIG_INDEX)
		key_str(w, "reference", "index");
	key_dec(w, "price", price);
	if (trail)
		key_str(w, "price_type", price_type(r->trail_pct));
	jw_obj_end(w);
	return 0;
}

/* The fields of one order (add_order params, or one element of batch_add). */
static int add_order_fields(struct jw *w, const struct instrument *in, const struct order_req *r,
                            const struct spot_ws_order_opts *o, bool with_symbol, struct kerr *err)
{
	const char *type = spot_ws_order_type_name(r->type);
	if (!type || in->product != PRODUCT_SPOT)
		return kerr_set(err, SPOT_WS_E_VALUE, "not a Kraken Spot order");
	if (r->tif == TIF_FOK)
		return kerr_set(err, SPOT_WS_E_VALUE,
		                "fill-or-kill is not offered on Kraken Spot WebSocket; use IOC");
	if (r->qty_in_quote && (r->type != OT_MARKET || r->side != SIDE_BUY))
		return kerr_set(err, SPOT_WS_E_VALUE,
		                "a size in quote currency is only allowed for market buys");
	if (dec_sign(r->qty) <= 0)
		return kerr_set(err, SPOT_WS_E_VALUE, "the order size must be positive");
	key_str(w, "order_type", type);
	key_str(w, "side", r->side == SIDE_BUY ? "buy" : "sell");
	key_dec(w, r->qty_in_quote ? "cash_order_qty" : "order_qty", r->qty);
	if (with_symbol)
		key_str(w, "symbol", in->id);
	if (r->type == OT_TRAILING_STOP_LIMIT) {
		key_dec(w, "limit_price", r->trail_limit_offset);
		key_str(w, "limit_price_type", price_type(r->trail_limit_pct));
	} else if (order_type_has_limit(r->type)) {
		if (dec_sign(r->limit_price) <= 0)
			return kerr_set(err, SPOT_WS_E_VALUE,
			                "a %s order needs a positive limit price", type);
		key_dec(w, "limit_price", r->limit_price);
	}
	if ((order_type_has_trigger(r->type) || order_type_is_trailing(r->type)) &&
	    add_triggers(w, r, err))
		return -1;
	if (r->tif == TIF_IOC) {
		key_str(w, "time_in_force", "ioc");
	} else if (r->tif == TIF_GTD) {
		if (r->expire_s <= 0)
			return kerr_set(err, SPOT_WS_E_VALUE, "a GTD order needs an expiry time");
		key_str(w, "time_in_force", "gtd");
		key_time(w, "expire_time", r->expire_s * KTIME_NS_PER_SEC, 0);
	}
	if (r->post_only)
		key_bool(w, "post_only", true);
	if (r->reduce_only)
		key_bool(w, "reduce_only", true);
	if (r->leverage > 0)
		key_bool(w, "margin", true);
	if (r->type == OT_ICEBERG && dec_sign(r->display_qty) > 0)
		key_dec(w, "display_qty", r->display_qty);
	if (o && o->fee_pref != SWF_NONE)
		key_str(w, "fee_preference", o->fee_pref == SWF_BASE ? "base" : "quote");
	if (o && o->stp != SWS_NONE)
		key_str(w, "stp_type",
		        o->stp == SWS_CANCEL_NEWEST   ? "cancel_newest"
		        : o->stp == SWS_CANCEL_OLDEST ? "cancel_oldest"
		                                      : "cancel_both");
	if (r->cl_id[0]) {
		key_str(w, "cl_ord_id", r->cl_id);
	} else if (o && o->order_userref) {
		jw_key(w, "order_userref");
		jw_i64(w, o->order_userref);
	}
	if (r->close.set && add_conditional(w, &r->close, err))
		return -1;
	return 0;
}

int spot_ws_build_add_order(struct sbuf *b, const struct instrument *in,
                            const struct order_req *req, const struct spot_ws_order_opts *o,
                            const char *token, int64_t req_id, struct kerr *err)
{
	struct jw w;
	size_t mark = b->len;
	begin(&w, b, "add_order");
	jw_key(&w, "params");
	jw_obj_begin(&w);
	if (add_order_fields(&w, in, req, o, true, err)) {
		b->len = mark;
		b->p[mark] = '\0';
		return -1;
	}
	if (req->validate_only)
		key_bool(&w, "validate", true);
	if (o && o->deadline_ns)
		key_time(&w, "deadline", o->deadline_ns, 3);
	return finish(&w, token, req_id, true, err);
}

int spot_ws_build_batch_add(struct sbuf *b, const struct instrument *in,
                            const struct order_req *reqs, size_t n,
                            const struct spot_ws_order_opts *o, const char *token, int64_t req_id,
                            struct kerr *err)
{
	if (n < 2 || n > SPOT_WS_BATCH_MAX)
		return kerr_set(err, SPOT_WS_E_VALUE, "a batch holds 2 to 15 orders, not %zu", n);
	struct jw w;
	size_t mark = b->len;
	bool validate = false;
	begin(&w, b, "batch_add");
	jw_key(&w, "params");
	jw_obj_begin(&w);
	jw_key(&w, "orders");
	jw_arr_begin(&w);
	for (size_t i = 0; i < n; i++) {
		if (reqs[i].instr != reqs[0].instr) {
			b->len = mark;
			b->p[mark] = '\0';
			return kerr_set(err, SPOT_WS_E_VALUE,
			                "all orders of a batch must be on one pair");
		}
		jw_obj_begin(&w);
		if (add_order_fields(&w, in, &reqs[i], o, false, err)) {
			b->len = mark;
			b->p[mark] = '\0';
			return -1;
		}
		jw_obj_end(&w);
		validate = validate || reqs[i].validate_only;
	}
	jw_arr_end(&w);
	key_str(&w, "symbol", in->id);
	if (validate)
		key_bool(&w, "validate", true);
	if (o && o->deadline_ns)
		key_time(&w, "deadline", o->deadline_ns, 3);
	return finish(&w, token, req_id, true, err);
}

int spot_ws_build_amend(struct sbuf *b, const struct amend_req *a, dec_t qty, bool by_cl,
                        bool post_only, int64_t deadline_ns, const char *token, int64_t req_id,
                        struct kerr *err)
{
	if (!a->order_id[0])
		return kerr_set(err, SPOT_WS_E_VALUE, "amend needs an order id");
	dec_t q = a->has_qty ? a->qty : qty;
	if (dec_sign(q) <= 0)
		return kerr_set(err, SPOT_WS_E_VALUE,
		                "amend needs the order size (Kraken requires it)");
	struct jw w;
	begin(&w, b, "amend_order");
	jw_key(&w, "params");
	jw_obj_begin(&w);
	key_str(&w, by_cl ? "cl_ord_id" : "order_id", a->order_id);
	key_dec(&w, "order_qty", q);
	if (a->has_limit)
		key_dec(&w, "limit_price", a->limit_price);
	if (a->has_limit && post_only)
		key_bool(&w, "post_only", true);
	if (a->has_trigger)
		key_dec(&w, "trigger_price", a->trigger_price);
	if (deadline_ns)
		key_time(&w, "deadline", deadline_ns, 3);
	return finish(&w, token, req_id, true, err);
}

int spot_ws_build_edit(struct sbuf *b, const struct instrument *in, const struct amend_req *a,
                       const char *token, int64_t req_id, struct kerr *err)
{
	if (!a->order_id[0])
		return kerr_set(err, SPOT_WS_E_VALUE, "edit needs an order id");
	struct jw w;
	begin(&w, b, "edit_order");
	jw_key(&w, "params");
	jw_obj_begin(&w);
	key_str(&w, "order_id", a->order_id);
	key_str(&w, "symbol", in->id);
	if (a->has_qty)
		key_dec(&w, "order_qty", a->qty);
	if (a->has_limit)
		key_dec(&w, "limit_price", a->limit_price);
	if (a->has_trigger) {
		jw_key(&w, "triggers");
		jw_obj_begin(&w);
		key_dec(&w, "price", a->trigger_price);
		jw_obj_end(&w);
	}
	return finish(&w, token, req_id, true, err);
}

int spot_ws_build_cancel(struct sbuf *b, const char *const *ids, size_t n, bool by_cl,
                         const char *token, int64_t req_id, struct kerr *err)
{
	if (n == 0)
		return kerr_set(err, SPOT_WS_E_VALUE, "nothing to cancel");
	struct jw w;
	begin(&w, b, "cancel_order");
	jw_key(&w, "params");
	jw_obj_begin(&w);
	str_array(&w, by_cl ? "cl_ord_id" : "order_id", ids, n);
	return finish(&w, token, req_id, true, err);
}

void spot_ws_build_cancel_all(struct sbuf *b, const char *token, int64_t req_id)
{
	struct jw w;
	begin(&w, b, "cancel_all");
	jw_key(&w, "params");
	jw_obj_begin(&w);
	finish(&w, token, req_id, true, NULL);
}

int spot_ws_build_cancel_after(struct sbuf *b, int timeout_s, const char *token, int64_t req_id,
                               struct kerr *err)
{
	if (timeout_s < 0 || timeout_s >= 86400)
		return kerr_set(err, SPOT_WS_E_VALUE,
		                "the cancel-after timeout must be 0..86399 s");
	struct jw w;
	begin(&w, b, "cancel_all_orders_after");
	jw_key(&w, "params");
	jw_obj_begin(&w);
	jw_key(&w, "timeout");
	jw_i64(&w, timeout_s);
	return finish(&w, token, req_id, true, err);
}

int spot_ws_build_batch_cancel(struct sbuf *b, const char *const *ids, size_t n,
                               const char *const *cl_ids, size_t ncl, const char *token,
                               int64_t req_id, struct kerr *err)
{
	if (n + ncl < 2 || n + ncl > 50)
		return kerr_set(err, SPOT_WS_E_VALUE, "a batch cancel takes 2 to 50 ids, not %zu",
		                n + ncl);
	struct jw w;
	begin(&w, b, "batch_cancel");
	jw_key(&w, "params");
	jw_obj_begin(&w);
	str_array(&w, "orders", ids, n);
	if (ncl)
		str_array(&w, "cl_ord_id", cl_ids, ncl);
	return finish(&w, token, req_id, true, err);
}
