/* fut_rest_codec_build: core requests -> Kraken Futures REST parameters, as the
 * URL-encoded string that is both sent and signed (see fut_rest_codec.h). */
#include <stdio.h>
#include <string.h>

#include "base/jwrite.h"
#include "base/ktime.h"
#include "base/urlenc.h"
#include "kraken/fut_rest_codec.h"

/* One parameter of an order: JSON type matters only for batchorder. */
struct fr_kv {
	const char *key;
	char val[DEC_FMT_MAX + ORDER_ID_MAX];
	bool raw; /* a number or boolean (unquoted in JSON) */
};

#define FR_KV_MAX 12

static void kv_str(struct fr_kv *kv, size_t *n, const char *key, const char *val)
{
	kv[*n].key = key;
	snprintf(kv[*n].val, sizeof kv[*n].val, "%s", val);
	kv[(*n)++].raw = false;
}

static void kv_dec(struct fr_kv *kv, size_t *n, const char *key, dec_t v)
{
	kv[*n].key = key;
	dec_fmt_trim(v, kv[*n].val, sizeof kv[*n].val);
	kv[(*n)++].raw = true;
}

static const char *symbol_of(const struct instrument *in)
{
	return in->rest_id[0] ? in->rest_id : in->id;
}

static int need_positive(dec_t v, const char *what, struct kerr *err)
{
	if (dec_sign(v) > 0)
		return 0;
	return kerr_set(err, FUT_E_ARG, "the %s must be above zero (nothing was sent)", what);
}

/* Kraken's orderType for a core order type (and the flags that select it). */
static const char *wire_type(const struct order_req *r, struct kerr *err)
{
	switch (r->type) {
	case OT_LIMIT:
		if (r->post_only && (r->tif == TIF_IOC || r->tif == TIF_FOK)) {
			kerr_set(err, FUT_E_ARG, "a post-only order cannot also be IOC or FOK");
			return NULL;
		}
		if (r->post_only)
			return "post";
		if (r->tif == TIF_IOC)
			return "ioc";
		return r->tif == TIF_FOK ? "fok" : "lmt";
	case OT_MARKET:
		return "mkt";
	case OT_STOP:
	case OT_STOP_LIMIT:
		return "stp";
	case OT_TAKE_PROFIT:
	case OT_TAKE_PROFIT_LIMIT:
		return "take_profit";
	case OT_TRAILING_STOP:
		return "trailing_stop";
	default:
		kerr_set(err, FUT_E_ARG, "Kraken Futures has no %s orders",
		         order_type_name(r->type));
		return NULL;
	}
}

/* The order's parameters in Kraken's documented order. */
static int order_fields(const struct instrument *in, const struct order_req *r, struct fr_kv *kv,
                        size_t *n, struct kerr *err)
{
	const char *type = wire_type(r, err);
	if (!type)
		return -1;
	if (r->tif == TIF_GTD)
		return kerr_set(err, FUT_E_ARG, "Kraken Futures has no good-till-date orders");
	if (r->tif != TIF_GTC && r->type != OT_LIMIT)
		return kerr_set(err, FUT_E_ARG, "IOC/FOK apply to limit orders only on Futures");
	if (need_positive(r->qty, "size", err))
		return -1;
	*n = 0;
	kv_str(kv, n, "orderType", type);
	kv_str(kv, n, "symbol", symbol_of(in));
	kv_str(kv, n, "side", r->side == SIDE_BUY ? "buy" : "sell");
	kv_dec(kv, n, "size", r->qty);
	if (order_type_has_limit(r->type)) {
		if (need_positive(r->limit_price, "limit price", err))
			return -1;
		kv_dec(kv, n, "limitPrice", r->limit_price);
	}
	if (order_type_has_trigger(r->type)) {
		if (need_positive(r->trigger_price, "trigger price", err))
			return -1;
		kv_dec(kv, n, "stopPrice", r->trigger_price);
	}
	if (order_type_has_trigger(r->type) || r->type == OT_TRAILING_STOP)
		kv_str(kv, n, "triggerSignal", fut_trigger_signal_name(r->signal));
	if (r->type == OT_TRAILING_STOP) {
		if (need_positive(r->trail_offset, "trailing distance", err))
			return -1;
		kv_dec(kv, n, "trailingStopMaxDeviation", r->trail_offset);
		kv_str(kv, n, "trailingStopDeviationUnit",
		       r->trail_pct ? "PERCENT" : "QUOTE_CURRENCY");
	}
	if (r->reduce_only) {
		kv_str(kv, n, "reduceOnly", "true");
		kv[*n - 1].raw = true;
	}
	if (r->cl_id[0])
		kv_str(kv, n, "cliOrdId", r->cl_id);
	return 0;
}

int fut_build_sendorder(const struct instrument *in, const struct order_req *req, struct sbuf *out,
                        struct kerr *err)
{
	struct fr_kv kv[FR_KV_MAX];
	size_t n;
	if (order_fields(in, req, kv, &n, err))
		return -1;
	for (size_t i = 0; i < n; i++)
		urlenc_add(out, kv[i].key, kv[i].val);
	return 0;
}

static int amend_fields(const struct amend_req *a, struct fr_kv *kv, size_t *n, struct kerr *err)
{
	if (!a->has_qty && !a->has_limit && !a->has_trigger)
		return kerr_set(err, FUT_E_ARG, "nothing to change in the order");
	if ((a->has_qty && need_positive(a->qty, "size", err)) ||
	    (a->has_limit && need_positive(a->limit_price, "limit price", err)) ||
	    (a->has_trigger && need_positive(a->trigger_price, "trigger price", err)))
		return -1;
	if (a->has_qty)
		kv_dec(kv, n, "size", a->qty);
	if (a->has_limit)
		kv_dec(kv, n, "limitPrice", a->limit_price);
	if (a->has_trigger)
		kv_dec(kv, n, "stopPrice", a->trigger_price);
	if (a->has_qty) /* core qty is the whole order, fills included */
		kv_str(kv, n, "qtyMode", "ABSOLUTE");
	return 0;
}

int fut_build_editorder(const struct amend_req *a, bool by_cl_id, struct sbuf *out,
                        struct kerr *err)
{
	if (!a->order_id[0])
		return kerr_set(err, FUT_E_ARG, "no order to amend");
	struct fr_kv kv[FR_KV_MAX];
	size_t n = 0;
	kv_str(kv, &n, by_cl_id ? "cliOrdId" : "orderId", a->order_id);
	if (amend_fields(a, kv, &n, err))
		return -1;
	for (size_t i = 0; i < n; i++)
		urlenc_add(out, kv[i].key, kv[i].val);
	return 0;
}

int fut_build_cancelorder(const char *order_id, const char *cl_id, struct sbuf *out,
                          struct kerr *err)
{
	if (order_id && order_id[0])
		urlenc_add(out, "order_id", order_id);
	else if (cl_id && cl_id[0])
		urlenc_add(out, "cliOrdId", cl_id);
	else
		return kerr_set(err, FUT_E_ARG, "no order to cancel");
	return 0;
}

void fut_build_cancelall(const char *symbol, struct sbuf *out)
{
	if (symbol && symbol[0])
		urlenc_add(out, "symbol", symbol);
}

void fut_build_cancel_after(unsigned timeout_s, struct sbuf *out)
{
	char v[16];
	snprintf(v, sizeof v, "%u", timeout_s);
	urlenc_add(out, "timeout", v);
}

static void kv_json(struct jw *w, const struct fr_kv *kv, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		jw_key(w, kv[i].key);
		if (kv[i].raw)
			jw_raw(w, kv[i].val);
		else
			jw_str(w, kv[i].val);
	}
}

static int batch_item(struct jw *w, const struct fut_batch_item *it, struct kerr *err)
{
	struct fr_kv kv[FR_KV_MAX];
	size_t n = 0;
	jw_obj_begin(w);
	switch (it->op) {
	case FUT_BATCH_SEND:
		if (!it->in || !it->req)
			return kerr_set(err, FUT_E_ARG, "batch send without an order");
		if (order_fields(it->in, it->req, kv, &n, err))
			return -1;
		jw_key(w, "order");
		jw_str(w, "send");
		jw_key(w, "order_tag");
		jw_str(w, it->tag);
		break;
	case FUT_BATCH_EDIT:
		if (!it->amend || !it->amend->order_id[0])
			return kerr_set(err, FUT_E_ARG, "batch edit without an order id");
		jw_key(w, "order");
		jw_str(w, "edit");
		kv_str(kv, &n, "order_id", it->amend->order_id);
		if (amend_fields(it->amend, kv, &n, err))
			return -1;
		break;
	case FUT_BATCH_CANCEL:
		jw_key(w, "order");
		jw_str(w, "cancel");
		if (it->order_id[0])
			kv_str(kv, &n, "order_id", it->order_id);
		else if (it->cl_id[0])
			kv_str(kv, &n, "cliOrdId", it->cl_id);
		else
			return kerr_set(err, FUT_E_ARG, "batch cancel without an order id");
		break;
	default:
		return kerr_set(err, FUT_E_ARG, "unknown batch instruction");
	}
	kv_json(w, kv, n);
	jw_obj_end(w);
	return 0;
}

int fut_build_batch(const struct fut_batch_item *items, size_t n, struct sbuf *out,
                    struct kerr *err)
{
	if (n == 0)
		return kerr_set(err, FUT_E_ARG, "an empty batch");
	struct sbuf js = SBUF_INIT;
	struct jw w;
	jw_init(&w, &js);
	jw_obj_begin(&w);
	jw_key(&w, "batchOrder");
	jw_arr_begin(&w);
	for (size_t i = 0; i < n; i++) {
		if (batch_item(&w, &items[i], err)) {
			sbuf_free(&js);
			return -1;
		}
	}
	jw_arr_end(&w);
	jw_obj_end(&w);
	if (jw_error(&w)) {
		sbuf_free(&js);
		return kerr_set(err, FUT_E_ARG, "could not write the batch");
	}
	if (out->len)
		sbuf_addc(out, '&');
	sbuf_adds(out, "json=");
	urlenc_encode(out, js.p, js.len);
	sbuf_free(&js);
	return 0;
}

void fut_build_orders_status(const char *const *order_ids, size_t n_ids, const char *const *cl_ids,
                             size_t n_cl, struct sbuf *out)
{
	for (size_t i = 0; i < n_ids; i++)
		urlenc_add(out, "orderIds", order_ids[i]);
	for (size_t i = 0; i < n_cl; i++)
		urlenc_add(out, "cliOrdIds", cl_ids[i]);
}

static void add_dec(struct sbuf *out, const char *key, dec_t v)
{
	char b[DEC_FMT_MAX];
	dec_fmt_trim(v, b, sizeof b);
	urlenc_add(out, key, b);
}

void fut_build_leverage_put(const char *symbol, const dec_t *lev, struct sbuf *out)
{
	urlenc_add(out, "symbol", symbol);
	if (lev)
		add_dec(out, "maxLeverage", *lev);
}

void fut_build_pnl_put(const char *symbol, const char *currency, struct sbuf *out)
{
	urlenc_add(out, "symbol", symbol);
	urlenc_add(out, "pnlPreference", currency);
}

void fut_build_transfer(const char *from_wallet, const char *to_wallet, const char *unit,
                        dec_t amount, struct sbuf *out)
{
	urlenc_add(out, "fromAccount", from_wallet);
	urlenc_add(out, "toAccount", to_wallet);
	urlenc_add(out, "unit", unit);
	add_dec(out, "amount", amount);
}

void fut_build_withdrawal(const char *currency, dec_t amount, const char *source_wallet,
                          struct sbuf *out)
{
	urlenc_add(out, "currency", currency);
	add_dec(out, "amount", amount);
	urlenc_add(out, "sourceWallet", source_wallet ? source_wallet : "cash");
}

void fut_build_symbol(const char *symbol, struct sbuf *out)
{
	urlenc_add(out, "symbol", symbol);
}

void fut_build_fills(int64_t last_fill_ms, struct sbuf *out)
{
	if (last_fill_ms <= 0)
		return;
	char t[KTIME_FMT_MAX];
	ktime_fmt_ms(last_fill_ms * 1000000, t, sizeof t);
	urlenc_add(out, "lastFillTime", t);
}

void fut_build_account_log(unsigned count, int64_t since_ms, struct sbuf *out)
{
	char v[24];
	snprintf(v, sizeof v, "%u", count ? count : 1);
	urlenc_add(out, "count", v);
	if (since_ms > 0) {
		snprintf(v, sizeof v, "%lld", (long long)since_ms);
		urlenc_add(out, "since", v);
	}
}
