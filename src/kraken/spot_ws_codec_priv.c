/* spot_ws_codec_priv: the Spot WS v2 private channels (executions, balances)
 * and the answers to requests (acks, pong, trading-method responses). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/strutil.h"
#include "base/xalloc.h"
#include "core/state.h"
#include "kraken/errors.h"
#include "kraken/spot_ws_codec.h"
#include "kraken/symbols.h"

/* Stop, take-profit and trailing orders wait for a trigger. */
static bool has_trigger(enum order_type t)
{
	return order_type_has_trigger(t) || order_type_is_trailing(t);
}

enum exec_type {
	EX_OTHER,
	EX_PENDING_NEW,
	EX_NEW,
	EX_TRADE,
	EX_FILLED,
	EX_ICEBERG_REFILL,
	EX_CANCELED,
	EX_EXPIRED,
	EX_AMENDED,
	EX_RESTATED,
	EX_STATUS,
};

static const char *const exec_names[] = {
        [EX_PENDING_NEW] = "pending_new",
        [EX_NEW] = "new",
        [EX_TRADE] = "trade",
        [EX_FILLED] = "filled",
        [EX_ICEBERG_REFILL] = "iceberg_refill",
        [EX_CANCELED] = "canceled",
        [EX_EXPIRED] = "expired",
        [EX_AMENDED] = "amended",
        [EX_RESTATED] = "restated",
        [EX_STATUS] = "status",
};

static enum exec_type exec_type_of(const struct jdoc *doc, int tok)
{
	for (size_t i = 1; i < sizeof exec_names / sizeof exec_names[0]; i++)
		if (jstr_eq(doc, tok, exec_names[i]))
			return (enum exec_type)i;
	return EX_OTHER;
}

static const struct {
	const char *name;
	enum order_status st;
} status_names[] = {
        {"pending_new", OS_PENDING}, {"new", OS_OPEN},           {"partially_filled", OS_PARTIAL},
        {"filled", OS_FILLED},       {"canceled", OS_CANCELLED}, {"expired", OS_EXPIRED},
};

/* Optional decimal field: absent is fine, present must be a number. */
static int opt_dec(const struct jdoc *doc, int obj, const char *key, dec_t *out, bool *has)
{
	int tok = jobj_get(doc, obj, key);
	*has = false;
	if (tok < 0)
		return 0;
	if (spot_ws_tok_dec(doc, tok, out))
		return -1;
	*has = true;
	return 0;
}

static int opt_bool(const struct jdoc *doc, int obj, const char *key, bool *out)
{
	int tok = jobj_get(doc, obj, key);
	if (tok < 0)
		return 0;
	return jtok_bool(doc, tok, out);
}

/* Merge the trigger description of a report into o. */
static int merge_triggers(const struct jdoc *doc, int trig, struct order *o, bool *triggered)
{
	if (trig < 0)
		return 0;
	if (jtok_type(doc, trig) != J_OBJ)
		return -1;
	int ref = jobj_get(doc, trig, "reference");
	if (ref >= 0)
		o->signal = jstr_eq(doc, ref, "index") ? TRIG_INDEX : TRIG_LAST;
	dec_t price, actual;
	bool has_price, has_actual;
	if (opt_dec(doc, trig, "price", &price, &has_price) ||
	    opt_dec(doc, trig, "actual_price", &actual, &has_actual))
		return -1;
	int pt = jobj_get(doc, trig, "price_type");
	bool relative = pt >= 0 && !jstr_eq(doc, pt, "static");
	if (order_type_is_trailing(o->type)) {
		if (has_price) {
			o->trail_offset = price;
			o->trail_pct = jstr_eq(doc, pt, "pct");
		}
		if (has_actual)
			o->trigger_price = actual;
	} else if (has_price && !relative) {
		o->trigger_price = price;
	} else if (has_actual) {
		o->trigger_price = actual;
	}
	int stat = jobj_get(doc, trig, "status");
	if (stat >= 0)
		*triggered = jstr_eq(doc, stat, "triggered");
	return 0;
}

/* Sum of a trade's fees (Kraken: all in one currency, the quote today). */
static int merge_fees(const struct jdoc *doc, int fees, struct fill *f)
{
	if (fees < 0)
		return 0;
	if (jtok_type(doc, fees) != J_ARR)
		return -1;
	for (int k = jfirst(doc, fees); k >= 0; k = jnext(doc, fees, k)) {
		dec_t q;
		if (spot_ws_tok_dec(doc, jobj_get(doc, k, "qty"), &q) ||
		    dec_add(f->fee, q, &f->fee))
			return -1;
		if (!f->fee_asset[0]) {
			char raw[ASSET_MAX];
			spot_ws_tok_str(doc, jobj_get(doc, k, "asset"), raw, sizeof raw);
			kraken_asset_display(raw, f->fee_asset, sizeof f->fee_asset, NULL);
		}
	}
	return 0;
}

/* The fill a trade report describes (the order gives what the report omits). */
static int report_fill(const struct jdoc *doc, int item, const struct order *o, int64_t ts,
                       struct fill *f)
{
	memset(f, 0, sizeof *f);
	if (!spot_ws_tok_str(doc, jobj_get(doc, item, "exec_id"), f->id, sizeof f->id) &&
	    !spot_ws_tok_str(doc, jobj_get(doc, item, "trade_id"), f->id, sizeof f->id)) {
		int64_t tid;
		if (jtok_i64(doc, jobj_get(doc, item, "trade_id"), &tid))
			return -1;
		snprintf(f->id, sizeof f->id, "%lld", (long long)tid);
	}
	if (spot_ws_tok_dec(doc, jobj_get(doc, item, "last_qty"), &f->qty) ||
	    spot_ws_tok_dec(doc, jobj_get(doc, item, "last_price"), &f->price))
		return -1;
	kt_strlcpy(f->order_id, o->id, sizeof f->order_id);
	f->instr = o->instr;
	f->product = PRODUCT_SPOT;
	f->side = o->side;
	f->maker = jstr_eq(doc, jobj_get(doc, item, "liquidity_ind"), "m");
	f->time_ms = ts;
	return merge_fees(doc, jobj_get(doc, item, "fees"), f);
}

/* Merge one (possibly sparse) execution report into o; *fill is set for a
 * trade event. snapshot: a historic trade from the snapshot must not move
 * the order's cumulative quantity (the order's own report carries it). */
static int merge_report(const struct jdoc *doc, struct state *st, int item, struct order *o,
                        bool snapshot, struct fill *fill, bool *has_fill)
{
	enum exec_type et = exec_type_of(doc, jobj_get(doc, item, "exec_type"));
	enum order_status before = o->status;
	bool fresh = o->created_ms == 0 && o->updated_ms == 0;
	*has_fill = false;
	int tok = jobj_get(doc, item, "cl_ord_id");
	if (tok >= 0 && !spot_ws_tok_str(doc, tok, o->cl_id, sizeof o->cl_id))
		return -1;
	tok = jobj_get(doc, item, "symbol");
	if (tok >= 0)
		o->instr = spot_ws_tok_instr(doc, st, tok);
	o->product = PRODUCT_SPOT;
	tok = jobj_get(doc, item, "side");
	if (tok >= 0)
		o->side = jstr_eq(doc, tok, "sell") ? SIDE_SELL : SIDE_BUY;
	tok = jobj_get(doc, item, "order_type");
	if (tok >= 0) {
		size_t n;
		const char *s = jtok_raw(doc, tok, &n);
		if (!s || spot_ws_order_type_parse(s, n, &o->type))
			return -1;
	}
	tok = jobj_get(doc, item, "time_in_force");
	if (tok >= 0) {
		char t[8];
		spot_ws_tok_str(doc, tok, t, sizeof t);
		o->tif = kt_strieq(t, "IOC") ? TIF_IOC : kt_strieq(t, "GTD") ? TIF_GTD : TIF_GTC;
	}
	bool has_qty, has_cum, has_avg, has_limit, has_disp;
	dec_t qty, cum, avg, limit, disp;
	if (opt_dec(doc, item, "order_qty", &qty, &has_qty) ||
	    opt_dec(doc, item, "cum_qty", &cum, &has_cum) ||
	    opt_dec(doc, item, "avg_price", &avg, &has_avg) ||
	    opt_dec(doc, item, "limit_price", &limit, &has_limit) ||
	    opt_dec(doc, item, "display_qty", &disp, &has_disp) ||
	    opt_bool(doc, item, "post_only", &o->post_only) ||
	    opt_bool(doc, item, "reduce_only", &o->reduce_only))
		return -1;
	if (has_qty)
		o->qty = qty;
	if (has_cum)
		o->filled = cum;
	if (has_avg)
		o->avg_price = avg;
	if (has_limit)
		o->limit_price = limit;
	if (has_disp)
		o->display_qty = disp;
	/* Until Kraken says so, a trigger order that was waiting still waits. */
	bool triggered =
	        et == EX_TRADE || !(has_trigger(o->type) &&
	                            (fresh || before == OS_PENDING || before == OS_UNTRIGGERED));
	if (merge_triggers(doc, jobj_get(doc, item, "triggers"), o, &triggered))
		return -1;
	int64_t ts = spot_ws_tok_ms(doc, jobj_get(doc, item, "timestamp"));
	if (ts) {
		o->updated_ms = ts;
		if (!o->created_ms)
			o->created_ms = ts;
	}
	int64_t exp = spot_ws_tok_ms(doc, jobj_get(doc, item, "expire_time"));
	if (exp)
		o->expire_ms = exp;
	if (!spot_ws_tok_str(doc, jobj_get(doc, item, "reason"), o->reason, sizeof o->reason))
		spot_ws_tok_str(doc, jobj_get(doc, item, "cancel_reason"), o->reason,
		                sizeof o->reason);
	if (et == EX_TRADE) {
		if (report_fill(doc, item, o, ts, fill))
			return -1;
		*has_fill = true;
		if (!has_cum && !snapshot && dec_add(o->filled, fill->qty, &o->filled))
			return -1;
	}
	tok = jobj_get(doc, item, "order_status");
	bool has_status = false;
	for (size_t i = 0; tok >= 0 && i < sizeof status_names / sizeof status_names[0]; i++) {
		if (jstr_eq(doc, tok, status_names[i].name)) {
			o->status = status_names[i].st;
			has_status = true;
		}
	}
	if (!has_status) {
		if (et == EX_FILLED)
			o->status = OS_FILLED;
		else if (et == EX_CANCELED)
			o->status = OS_CANCELLED;
		else if (et == EX_EXPIRED)
			o->status = OS_EXPIRED;
		else if (et == EX_NEW)
			o->status = OS_OPEN;
		else if (et == EX_TRADE && !snapshot)
			o->status = dec_ge(o->filled, o->qty) ? OS_FILLED : OS_PARTIAL;
		else if (fresh)
			o->status = OS_PENDING;
	}
	/* A live stop/take-profit/trailing order waits for its trigger. */
	if (o->status == OS_OPEN && has_trigger(o->type) && !triggered)
		o->status = OS_UNTRIGGERED;
	return 0;
}

static int decode_executions(struct spot_ws_dec *d, struct state *st, int data, bool snapshot,
                             struct spot_ws_msg *out, struct kerr *err)
{
	const struct jdoc *doc = &d->doc;
	struct fill f;
	bool has_fill;
	char id[ORDER_ID_MAX];
	/* Pass 1: everything must read cleanly before the state is touched. */
	for (int k = jfirst(doc, data); k >= 0; k = jnext(doc, data, k)) {
		if (!spot_ws_tok_str(doc, jobj_get(doc, k, "order_id"), id, sizeof id) || !id[0])
			return kerr_set(err, SPOT_WS_E_JSON,
			                "execution report without an order_id");
		const struct order *have = state_order_get(st, id);
		struct order tmp;
		if (have) {
			tmp = *have;
		} else {
			memset(&tmp, 0, sizeof tmp);
			tmp.instr = -1;
		}
		if (merge_report(doc, st, k, &tmp, snapshot, &f, &has_fill))
			return kerr_set(err, SPOT_WS_E_JSON, "execution report for %s is malformed",
			                id);
	}
	for (int k = jfirst(doc, data); k >= 0; k = jnext(doc, data, k)) {
		spot_ws_tok_str(doc, jobj_get(doc, k, "order_id"), id, sizeof id);
		bool trade = exec_type_of(doc, jobj_get(doc, k, "exec_type")) == EX_TRADE;
		struct order *o = state_order_get(st, id);
		if (!o && snapshot && trade) {
			/* A historic fill of an order that is no longer open. */
			struct order tmp = {.instr = -1};
			kt_strlcpy(tmp.id, id, sizeof tmp.id);
			merge_report(doc, st, k, &tmp, snapshot, &f, &has_fill);
			state_add_fill(st, &f);
			out->fills_added++;
			continue;
		}
		if (!o)
			o = state_order_upsert(st, id);
		merge_report(doc, st, k, o, snapshot, &f, &has_fill);
		state_order_changed(st, o);
		out->orders_changed++;
		if (has_fill) {
			state_add_fill(st, &f);
			out->fills_added++;
		}
	}
	return 0;
}

/* One asset line of the balances channel. */
static int parse_balance(const struct jdoc *doc, const struct state *st, int item, bool snapshot,
                         struct balance *b, bool *skip)
{
	char raw[ASSET_MAX];
	memset(b, 0, sizeof *b);
	*skip = false;
	if (!spot_ws_tok_str(doc, jobj_get(doc, item, "asset"), raw, sizeof raw) || !raw[0])
		return -1;
	const char *suffix = NULL;
	kraken_asset_display(raw, b->asset, sizeof b->asset, &suffix);
	if (spot_ws_tok_dec(doc, jobj_get(doc, item, "balance"), &b->total))
		return -1;
	/* ".M", ".S", ".F"... are earn/staking views of an asset, not the wallet. */
	*skip = suffix && suffix[0];
	if (*skip)
		return 0;
	if (snapshot) {
		/* The trading wallet is spot/main; the total also counts earn wallets. */
		int w = jobj_get(doc, item, "wallets");
		for (int k = jfirst(doc, w); k >= 0; k = jnext(doc, w, k))
			if (jstr_eq(doc, jobj_get(doc, k, "type"), "spot") &&
			    jstr_eq(doc, jobj_get(doc, k, "id"), "main") &&
			    spot_ws_tok_dec(doc, jobj_get(doc, k, "balance"), &b->total))
				return -1;
	} else {
		int wt = jobj_get(doc, item, "wallet_type");
		*skip = wt >= 0 && !jstr_eq(doc, wt, "spot");
		if (*skip)
			return 0;
	}
	const struct balance *old = state_balance(st, b->asset);
	if (old)
		b->hold = old->hold;
	if (dec_sub(b->total, b->hold, &b->available))
		b->available = b->total;
	return 0;
}

static int decode_balances(const struct jdoc *doc, struct state *st, int data, bool snapshot,
                           struct kerr *err)
{
	struct balance b;
	bool skip;
	size_t n = 0;
	for (int k = jfirst(doc, data); k >= 0; k = jnext(doc, data, k), n++)
		if (parse_balance(doc, st, k, snapshot, &b, &skip))
			return kerr_set(err, SPOT_WS_E_JSON,
			                "balance entry without asset and balance");
	if (snapshot) {
		struct balance *all = xcalloc(n ? n : 1, sizeof *all);
		size_t i = 0;
		for (int k = jfirst(doc, data); k >= 0; k = jnext(doc, data, k)) {
			parse_balance(doc, st, k, true, &all[i], &skip);
			i += !skip;
		}
		state_set_balances(st, all, i);
		free(all);
		return 0;
	}
	for (int k = jfirst(doc, data); k >= 0; k = jnext(doc, data, k)) {
		parse_balance(doc, st, k, false, &b, &skip);
		if (!skip)
			state_put_balance(st, &b);
	}
	return 0;
}

int spot_ws_decode_private(struct spot_ws_dec *d, struct state *st, int root,
                           struct spot_ws_msg *out, struct kerr *err)
{
	const struct jdoc *doc = &d->doc;
	int data = jobj_get(doc, root, "data");
	if (jtok_type(doc, data) != J_ARR)
		return kerr_set(err, SPOT_WS_E_JSON, "%s message without a data array",
		                spot_ws_channel_name(out->channel));
	int64_t seq = 0;
	int stok = jobj_get(doc, root, "sequence");
	if (stok >= 0 && jtok_i64(doc, stok, &seq))
		return kerr_set(err, SPOT_WS_E_JSON, "sequence is not an integer");
	int rc = out->channel == SWC_EXECUTIONS
	                 ? decode_executions(d, st, data, out->snapshot, out, err)
	                 : decode_balances(doc, st, data, out->snapshot, err);
	if (rc)
		return rc;
	out->sequence = seq;
	if (seq) {
		int64_t *last = &d->seq[out->channel];
		out->seq_gap = *last && seq != *last + 1;
		*last = seq;
	}
	return 0;
}

/* ---- answers to requests ---- */

static void result_ids(const struct jdoc *doc, int res, struct spot_ws_msg *out)
{
	spot_ws_tok_str(doc, jobj_get(doc, res, "order_id"), out->order_id, sizeof out->order_id);
	spot_ws_tok_str(doc, jobj_get(doc, res, "cl_ord_id"), out->cl_ord_id,
	                sizeof out->cl_ord_id);
	spot_ws_tok_str(doc, jobj_get(doc, res, "amend_id"), out->amend_id, sizeof out->amend_id);
	spot_ws_tok_str(doc, jobj_get(doc, res, "original_order_id"), out->original_order_id,
	                sizeof out->original_order_id);
	int64_t count;
	if (jtok_i64(doc, jobj_get(doc, res, "count"), &count) == 0)
		out->count = (int)count;
	out->current_ms = spot_ws_tok_ms(doc, jobj_get(doc, res, "currentTime"));
	out->trigger_ms = spot_ws_tok_ms(doc, jobj_get(doc, res, "triggerTime"));
}

static void batch_results(const struct jdoc *doc, int res, struct spot_ws_msg *out)
{
	int arr = jtok_type(doc, res) == J_ARR ? res : jobj_get(doc, res, "orders");
	for (int k = jfirst(doc, arr); k >= 0 && out->nbatch < SPOT_WS_BATCH_MAX;
	     k = jnext(doc, arr, k)) {
		struct spot_ws_order_result *r = &out->batch[out->nbatch++];
		bool ok = true;
		opt_bool(doc, k, "success", &ok);
		r->success = ok;
		spot_ws_tok_str(doc, jobj_get(doc, k, "order_id"), r->order_id, sizeof r->order_id);
		spot_ws_tok_str(doc, jobj_get(doc, k, "cl_ord_id"), r->cl_ord_id,
		                sizeof r->cl_ord_id);
		spot_ws_tok_str(doc, jobj_get(doc, k, "error"), r->error, sizeof r->error);
		if (r->error[0])
			r->success = false;
	}
}

/* A subscribe/unsubscribe answer also tells the book how deep it is. */
static void ack_effects(const struct jdoc *doc, struct state *st, int res, struct spot_ws_msg *out)
{
	int depth = 0;
	int64_t v;
	if (jtok_i64(doc, jobj_get(doc, res, "depth"), &v) == 0 && v > 0 && v <= 1000)
		depth = (int)v;
	out->depth = depth;
	if (jtok_i64(doc, jobj_get(doc, res, "maxratecount"), &v) == 0)
		out->maxratecount = (int)v;
	if (out->channel != SWC_BOOK || !out->success || out->instr < 0)
		return;
	struct market *m = state_market(st, out->instr);
	if (out->method == SWM_SUBSCRIBE) {
		m->book_subscribed = true;
		if (depth)
			m->book.depth = (size_t)depth;
	} else {
		m->book_subscribed = false;
	}
}

int spot_ws_decode_response(struct spot_ws_dec *d, struct state *st, int root,
                            struct spot_ws_msg *out, struct kerr *err)
{
	const struct jdoc *doc = &d->doc;
	int mtok = jobj_get(doc, root, "method");
	size_t n;
	const char *s = jtok_type(doc, mtok) == J_STR ? jtok_raw(doc, mtok, &n) : NULL;
	if (!s)
		return kerr_set(err, SPOT_WS_E_JSON, "method is not a string");
	out->method = spot_ws_method_parse(s, n);
	int rtok = jobj_get(doc, root, "req_id");
	out->has_req_id = rtok >= 0 && jtok_i64(doc, rtok, &out->req_id) == 0;
	bool ok = true;
	opt_bool(doc, root, "success", &ok);
	out->success = ok;
	spot_ws_tok_str(doc, jobj_get(doc, root, "error"), out->error, sizeof out->error);
	int res = jobj_get(doc, root, "result");
	int warn = jobj_get(doc, res, "warnings");
	if (warn < 0)
		warn = jobj_get(doc, root, "warnings");
	spot_ws_tok_str(doc, jarr_at(doc, warn, 0), out->warning, sizeof out->warning);
	switch (out->method) {
	case SWM_NONE:
		return kerr_set(err, SPOT_WS_E_JSON, "unknown method \"%.*s\"", (int)n, s);
	case SWM_PING:
		out->kind = SWK_PONG;
		return 0;
	case SWM_SUBSCRIBE:
	case SWM_UNSUBSCRIBE: {
		out->kind = SWK_ACK;
		int ctok = jobj_get(doc, res, "channel");
		if (ctok < 0)
			ctok = jobj_get(doc, root, "channel");
		const char *c = jtok_type(doc, ctok) == J_STR ? jtok_raw(doc, ctok, &n) : NULL;
		out->channel = c ? spot_ws_channel_parse(c, n) : SWC_NONE;
		int sym = jobj_get(doc, res, "symbol");
		if (sym < 0)
			sym = jobj_get(doc, root, "symbol");
		spot_ws_tok_str(doc, sym, out->symbol, sizeof out->symbol);
		out->instr = spot_ws_tok_instr(doc, st, sym);
		ack_effects(doc, st, res, out);
		return 0;
	}
	default:
		out->kind = SWK_RESPONSE;
		if (out->method == SWM_BATCH_ADD)
			batch_results(doc, res, out);
		else
			result_ids(doc, res, out);
		return 0;
	}
}

/* ---- responses to intent results ---- */

static void map_error(const char *raw, const char *cl_id, struct intent_result *res)
{
	struct kraken_err e = kraken_spot_error(raw);
	kt_strlcpy(res->code, raw && raw[0] ? raw : "error", sizeof res->code);
	kraken_err_describe(&e, raw, res->message, sizeof res->message);
	if (e.cls == KE_UNAVAILABLE) {
		/* Kraken may or may not have acted: the owner reconciles. */
		res->status = INTENT_UNKNOWN;
		size_t n = strlen(res->message);
		snprintf(res->message + n, sizeof res->message - n,
		         "; the outcome is unknown until reconciled");
	} else {
		res->status = INTENT_REJECTED;
	}
	if (cl_id)
		kt_strlcpy(res->ref, cl_id, sizeof res->ref);
}

void spot_ws_result(const struct spot_ws_msg *m, unsigned i, const char *cl_id,
                    struct intent_result *res)
{
	memset(res, 0, sizeof *res);
	if (!m->success) {
		map_error(m->error, cl_id, res);
		return;
	}
	res->status = INTENT_OK;
	if (cl_id)
		kt_strlcpy(res->ref, cl_id, sizeof res->ref);
	switch (m->method) {
	case SWM_BATCH_ADD:
		if (i >= m->nbatch) {
			spot_ws_result_unknown(m->method, cl_id,
			                       "Kraken's answer lists fewer orders", res);
		} else if (!m->batch[i].success) {
			map_error(m->batch[i].error, cl_id, res);
		} else {
			kt_strlcpy(res->order_id, m->batch[i].order_id, sizeof res->order_id);
		}
		return;
	case SWM_AMEND_ORDER:
		kt_strlcpy(res->order_id, m->order_id[0] ? m->order_id : m->cl_ord_id,
		           sizeof res->order_id);
		kt_strlcpy(res->ref, m->amend_id, sizeof res->ref);
		break;
	case SWM_EDIT_ORDER:
		kt_strlcpy(res->order_id, m->order_id, sizeof res->order_id);
		kt_strlcpy(res->ref, m->original_order_id, sizeof res->ref);
		break;
	case SWM_CANCEL_ALL:
	case SWM_BATCH_CANCEL:
		res->count = m->count;
		break;
	case SWM_CANCEL_AFTER:
		res->trigger_time_ms = m->trigger_ms;
		break;
	default:
		kt_strlcpy(res->order_id, m->order_id, sizeof res->order_id);
		break;
	}
	if (m->warning[0])
		snprintf(res->message, sizeof res->message, "Kraken warns: %s", m->warning);
}

void spot_ws_result_unknown(enum spot_ws_method m, const char *cl_id, const char *why,
                            struct intent_result *res)
{
	memset(res, 0, sizeof *res);
	res->status = INTENT_UNKNOWN;
	kt_strlcpy(res->code, "unknown", sizeof res->code);
	snprintf(res->message, sizeof res->message,
	         "%s: no answer to %s, so its outcome is unknown; reconciling%s%s", why,
	         spot_ws_method_name(m), cl_id && cl_id[0] ? " by client order id " : "",
	         cl_id ? cl_id : "");
	if (cl_id)
		kt_strlcpy(res->ref, cl_id, sizeof res->ref);
}
