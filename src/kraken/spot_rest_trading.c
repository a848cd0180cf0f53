/* spot_rest_trading: decoders for the results of the Spot REST trading
 * endpoints (AddOrder, AddOrderBatch, AmendOrder, EditOrder, CancelOrder,
 * CancelAll, CancelOrderBatch, CancelAllOrdersAfter, GetWebSocketsToken,
 * WalletTransfer). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/ktime.h"
#include "base/xalloc.h"
#include "kraken/spot_rest_codec.h"
#include "kraken/spot_rest_int.h"

/* descr {order, close} of an AddOrder result or batch entry. */
static int dec_descr(const struct jdoc *d, int obj, struct spot_add_result *out, bool required,
		     struct kerr *err)
{
	int descr = jobj_get(d, obj, "descr");
	if (descr < 0 && !required)
		return 0;
	if (sj_need_obj(d, descr, "descr", err) < 0 ||
	    sj_str(d, descr, "order", out->descr, sizeof out->descr, false, err) < 0 ||
	    sj_str(d, descr, "close", out->close, sizeof out->close, false, err) < 0)
		return -1;
	return 0;
}

/* txid: an array of one id (AddOrder), or a string (batch entries). */
static int dec_txid(const struct jdoc *d, int obj, char *buf, size_t cap, struct kerr *err)
{
	int t = jobj_get(d, obj, "txid");
	if (jtok_is(d, t, J_ARR))
		t = jarr_at(d, t, 0);
	if (!jtok_is(d, t, J_STR) || jtok_str(d, t, buf, cap) >= cap || !buf[0])
		return kerr_set(err, SPOT_E_SHAPE, "the result has no usable \"txid\"");
	return 0;
}

int spot_dec_add_order(const struct jdoc *d, int res, struct spot_add_result *out,
		       struct kerr *err)
{
	memset(out, 0, sizeof *out);
	if (sj_need_obj(d, res, "result", err) < 0 || dec_descr(d, res, out, false, err) < 0)
		return -1;
	/* validate=true answers with descr only and no txid. */
	if (jobj_get(d, res, "txid") < 0)
		return 0;
	return dec_txid(d, res, out->txid, sizeof out->txid, err);
}

int spot_dec_add_order_batch(const struct jdoc *d, int res, struct spot_add_result **out,
			     size_t *n, struct kerr *err)
{
	*out = NULL;
	*n = 0;
	int arr = jobj_get(d, res, "orders");
	if (sj_need_obj(d, res, "result", err) < 0 || sj_need_arr(d, arr, "result.orders", err) < 0)
		return -1;
	struct spot_add_result *r = xcalloc(jtok_size(d, arr) + 1, sizeof *r);
	size_t m = 0;
	for (int e = jfirst(d, arr); e >= 0; e = jnext(d, arr, e), m++) {
		if (sj_need_obj(d, e, "batch entry", err) < 0 ||
		    dec_descr(d, e, &r[m], false, err) < 0 ||
		    sj_str(d, e, "error", r[m].error, sizeof r[m].error, false, err) < 0 ||
		    (!r[m].error[0] && dec_txid(d, e, r[m].txid, sizeof r[m].txid, err) < 0)) {
			free(r);
			return -1;
		}
	}
	*out = r;
	*n = m;
	return 0;
}

int spot_dec_amend(const struct jdoc *d, int res, char *amend_id, size_t cap, struct kerr *err)
{
	if (sj_need_obj(d, res, "result", err) < 0 ||
	    sj_str(d, res, "amend_id", amend_id, cap, true, err) < 0)
		return -1;
	return 0;
}

int spot_dec_edit(const struct jdoc *d, int res, struct spot_edit_result *out, struct kerr *err)
{
	memset(out, 0, sizeof *out);
	char status[16];
	struct spot_add_result ar;
	memset(&ar, 0, sizeof ar);
	if (sj_need_obj(d, res, "result", err) < 0 ||
	    sj_str(d, res, "status", status, sizeof status, false, err) < 0 ||
	    sj_str(d, res, "txid", out->txid, sizeof out->txid, false, err) < 0 ||
	    sj_str(d, res, "originaltxid", out->originaltxid, sizeof out->originaltxid, false,
		   err) < 0 ||
	    sj_str(d, res, "error_message", out->error_message, sizeof out->error_message, false,
		   err) < 0 ||
	    dec_descr(d, res, &ar, false, err) < 0)
		return -1;
	snprintf(out->descr, sizeof out->descr, "%s", ar.descr);
	out->ok = status[0] ? strcmp(status, "Ok") == 0 : out->txid[0] != '\0';
	return 0;
}

int spot_dec_cancel(const struct jdoc *d, int res, int *count, bool *pending, struct kerr *err)
{
	int64_t c;
	if (sj_need_obj(d, res, "result", err) < 0 || sj_i64(d, res, "count", &c, true, err) < 0)
		return -1;
	if (c < 0 || c > INT32_MAX)
		return kerr_set(err, SPOT_E_VALUE, "field \"count\" is out of range");
	*count = (int)c;
	if (pending) {
		int p = jobj_get(d, res, "pending");
		bool v = false;
		if (p >= 0)
			jtok_bool(d, p, &v);
		*pending = v;
	}
	return 0;
}

/* An RFC 3339 member; "0" means "none" (the switch is off). */
static int dec_rfc3339(const struct jdoc *d, int obj, const char *key, int64_t *ns,
		       struct kerr *err)
{
	char s[48];
	*ns = 0;
	if (sj_str(d, obj, key, s, sizeof s, true, err) < 0)
		return -1;
	if (strcmp(s, "0") == 0)
		return 0;
	if (ktime_parse_rfc3339(s, (size_t)-1, ns, NULL) < 0)
		return kerr_set(err, SPOT_E_VALUE, "field \"%s\" is not an RFC 3339 time", key);
	return 0;
}

int spot_dec_cancel_after(const struct jdoc *d, int res, struct spot_cancel_after *out,
			  struct kerr *err)
{
	memset(out, 0, sizeof *out);
	if (sj_need_obj(d, res, "result", err) < 0 ||
	    dec_rfc3339(d, res, "currentTime", &out->current_ns, err) < 0 ||
	    dec_rfc3339(d, res, "triggerTime", &out->trigger_ns, err) < 0)
		return -1;
	return 0;
}

int spot_dec_ws_token(const struct jdoc *d, int res, char *token, size_t cap, int *expires_s,
		      struct kerr *err)
{
	int64_t exp = 0;
	if (sj_need_obj(d, res, "result", err) < 0 ||
	    sj_str(d, res, "token", token, cap, true, err) < 0 ||
	    sj_i64(d, res, "expires", &exp, false, err) < 0)
		return -1;
	if (!token[0])
		return kerr_set(err, SPOT_E_VALUE, "the WebSocket token is empty");
	*expires_s = exp > 0 && exp < 86400 ? (int)exp : 900;
	return 0;
}

int spot_dec_wallet_transfer(const struct jdoc *d, int res, char *refid, size_t cap,
			     struct kerr *err)
{
	if (sj_need_obj(d, res, "result", err) < 0 || sj_str(d, res, "refid", refid, cap, true, err) < 0)
		return -1;
	return 0;
}
