/* spot_rest_orders: decoding Spot REST order records (OpenOrders,
 * ClosedOrders, QueryOrders) into core orders, and applying them. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"
#include "kraken/spot_rest_codec.h"
#include "kraken/spot_rest_int.h"

static int parse_status(const char *s, const struct order *o, const char *misc,
			enum order_status *out)
{
	if (strcmp(s, "pending") == 0)
		*out = OS_PENDING;
	else if (strcmp(s, "open") == 0) {
		bool triggered = strstr(misc, "stopped") || strstr(misc, "touched");
		if (dec_sign(o->filled) > 0)
			*out = OS_PARTIAL;
		else if ((order_type_has_trigger(o->type) || order_type_is_trailing(o->type)) &&
			 !triggered)
			*out = OS_UNTRIGGERED;
		else
			*out = OS_OPEN;
	} else if (strcmp(s, "closed") == 0)
		*out = OS_FILLED;
	else if (strcmp(s, "canceled") == 0 || strcmp(s, "cancelled") == 0)
		*out = OS_CANCELLED;
	else if (strcmp(s, "expired") == 0)
		*out = OS_EXPIRED;
	else
		return -1;
	return 0;
}

/* descr.price / price2 by order type (kraken-protocol.md §1.8). */
static int descr_prices(const struct jdoc *d, int descr, struct order *o, struct kerr *err)
{
	char p1[48], p2[48];
	if (sj_str(d, descr, "price", p1, sizeof p1, false, err) < 0 ||
	    sj_str(d, descr, "price2", p2, sizeof p2, false, err) < 0)
		return -1;
	struct spot_price a = {0}, b = {0};
	if ((p1[0] && spot_price_parse(p1, &a, NULL) < 0) ||
	    (p2[0] && spot_price_parse(p2, &b, NULL) < 0))
		return kerr_set(err, SPOT_E_VALUE, "order %s: descr price is not a price", o->id);
	/* Relative prices (+5%) have no absolute value until triggered: the
	 * stopprice/limitprice fields fill those in afterwards. */
	dec_t v1 = a.rel ? dec_zero() : a.v, v2 = b.rel ? dec_zero() : b.v;
	switch (o->type) {
	case OT_LIMIT:
	case OT_ICEBERG:
		o->limit_price = v1;
		break;
	case OT_STOP:
	case OT_TAKE_PROFIT:
		o->trigger_price = v1;
		break;
	case OT_STOP_LIMIT:
	case OT_TAKE_PROFIT_LIMIT:
		o->trigger_price = v1;
		o->limit_price = v2;
		break;
	case OT_TRAILING_STOP:
	case OT_TRAILING_STOP_LIMIT:
		o->trail_offset = a.v;
		o->trail_pct = a.pct;
		break;
	default:
		break;
	}
	return 0;
}

static int parse_leverage(const char *s)
{
	int lev = 0;
	if (s[0] && strcmp(s, "none") != 0 && sscanf(s, "%d", &lev) != 1)
		lev = 0;
	return lev > 0 && lev < 256 ? lev : 0;
}

int spot_dec_order(const struct jdoc *d, int tok, const char *txid, const struct state *st,
		   struct order *o, struct kerr *err)
{
	memset(o, 0, sizeof *o);
	snprintf(o->id, sizeof o->id, "%s", txid);
	o->product = PRODUCT_SPOT;
	o->instr = -1;
	int descr = jobj_get(d, tok, "descr");
	char status[24], pair[INSTR_ID_MAX], side[8], otype[32], lev[16], misc[96], oflags[64],
		tif[8], trig[16];
	dec_t stop, limit;
	if (sj_need_obj(d, tok, txid, err) < 0 || sj_need_obj(d, descr, "descr", err) < 0 ||
	    sj_str(d, tok, "status", status, sizeof status, true, err) < 0 ||
	    sj_str(d, tok, "cl_ord_id", o->cl_id, sizeof o->cl_id, false, err) < 0 ||
	    sj_str(d, descr, "pair", pair, sizeof pair, true, err) < 0 ||
	    sj_str(d, descr, "type", side, sizeof side, true, err) < 0 ||
	    sj_str(d, descr, "ordertype", otype, sizeof otype, true, err) < 0 ||
	    sj_str(d, descr, "leverage", lev, sizeof lev, false, err) < 0 ||
	    sj_dec(d, tok, "vol", &o->qty, true, err) < 0 ||
	    sj_dec(d, tok, "vol_exec", &o->filled, false, err) < 0 ||
	    sj_dec(d, tok, "price", &o->avg_price, false, err) < 0 ||
	    sj_dec(d, tok, "stopprice", &stop, false, err) < 0 ||
	    sj_dec(d, tok, "limitprice", &limit, false, err) < 0 ||
	    sj_str(d, tok, "misc", misc, sizeof misc, false, err) < 0 ||
	    sj_str(d, tok, "oflags", oflags, sizeof oflags, false, err) < 0 ||
	    sj_str(d, tok, "timeinforce", tif, sizeof tif, false, err) < 0 ||
	    sj_str(d, tok, "trigger", trig, sizeof trig, false, err) < 0 ||
	    sj_time_ms(d, tok, "opentm", &o->created_ms, false, err) < 0 ||
	    sj_time_ms(d, tok, "closetm", &o->updated_ms, false, err) < 0 ||
	    sj_time_ms(d, tok, "expiretm", &o->expire_ms, false, err) < 0)
		return -1;
	/* a long close reason is cut, not an error */
	int why = jobj_get(d, tok, "reason");
	if (jtok_is(d, why, J_STR))
		jtok_str(d, why, o->reason, sizeof o->reason);
	if (strcmp(side, "buy") == 0)
		o->side = SIDE_BUY;
	else if (strcmp(side, "sell") == 0)
		o->side = SIDE_SELL;
	else
		return kerr_set(err, SPOT_E_VALUE, "order %s: unknown side \"%s\"", txid, side);
	if (spot_ordertype_parse(otype, &o->type) < 0)
		return kerr_set(err, SPOT_E_VALUE, "order %s: unknown order type \"%s\"", txid, otype);
	if (parse_status(status, o, misc, &o->status) < 0)
		return kerr_set(err, SPOT_E_VALUE, "order %s: unknown status \"%s\"", txid, status);
	if (descr_prices(d, descr, o, err) < 0)
		return -1;
	if (dec_sign(stop) > 0)
		o->trigger_price = stop;
	if (dec_sign(limit) > 0)
		o->limit_price = limit;
	int ro = jobj_get(d, tok, "reduce_only");
	bool rov = false;
	if (ro >= 0 && jtok_bool(d, ro, &rov) == 0)
		o->reduce_only = rov;
	o->post_only = strstr(oflags, "post") != NULL;
	o->signal = strcmp(trig, "index") == 0 ? TRIG_INDEX : TRIG_LAST;
	o->leverage = parse_leverage(lev);
	if (tif[0] && tif_parse(tif, &o->tif) < 0)
		return kerr_set(err, SPOT_E_VALUE, "order %s: unknown time in force \"%s\"", txid, tif);
	if (!tif[0] && o->expire_ms > 0)
		o->tif = TIF_GTD;
	if (!o->updated_ms)
		o->updated_ms = o->created_ms;
	o->instr = state_find_instrument(st, pair);
	return 0;
}

/* Every TXID -> order member of obj. */
static int dec_order_map(const struct jdoc *d, int obj, const char *what, const struct state *st,
			 struct order **out, size_t *n, struct kerr *err)
{
	*out = NULL;
	*n = 0;
	if (sj_need_obj(d, obj, what, err) < 0)
		return -1;
	struct order *o = xcalloc(jtok_size(d, obj) + 1, sizeof *o);
	size_t m = 0;
	for (int k = jfirst(d, obj); k >= 0; k = jnext(d, obj, k), m++) {
		char txid[ORDER_ID_MAX];
		if (sj_key(d, k, txid, sizeof txid, err) < 0 ||
		    spot_dec_order(d, k + 1, txid, st, &o[m], err) < 0) {
			free(o);
			return -1;
		}
	}
	*out = o;
	*n = m;
	return 0;
}

int spot_dec_open_orders(const struct jdoc *d, int res, const struct state *st, struct order **out,
			 size_t *n, struct kerr *err)
{
	*out = NULL;
	*n = 0;
	if (sj_need_obj(d, res, "result", err) < 0)
		return -1;
	return dec_order_map(d, jobj_get(d, res, "open"), "result.open", st, out, n, err);
}

int spot_dec_closed_orders(const struct jdoc *d, int res, const struct state *st,
			   struct order **out, size_t *n, int64_t *count, struct kerr *err)
{
	*out = NULL;
	*n = 0;
	int64_t c = 0;
	if (sj_need_obj(d, res, "result", err) < 0 || sj_i64(d, res, "count", &c, false, err) < 0)
		return -1;
	if (count)
		*count = c;
	return dec_order_map(d, jobj_get(d, res, "closed"), "result.closed", st, out, n, err);
}

int spot_dec_query_orders(const struct jdoc *d, int res, const struct state *st,
			  struct order **out, size_t *n, struct kerr *err)
{
	return dec_order_map(d, res, "result", st, out, n, err);
}

void spot_apply_orders(struct state *st, const struct order *o, size_t n, bool open_snapshot,
		       char (**gone)[ORDER_ID_MAX], size_t *ngone)
{
	if (gone) {
		*gone = NULL;
		*ngone = 0;
	}
	if (open_snapshot && gone) {
		size_t cap = 0;
		for (size_t i = 0; i < st->norders; i++) {
			const struct order *s = &st->orders[i];
			if (s->product != PRODUCT_SPOT || !order_status_is_open(s->status))
				continue;
			bool found = false;
			for (size_t j = 0; j < n && !found; j++)
				found = strcmp(o[j].id, s->id) == 0;
			if (found)
				continue;
			*gone = xgrow(*gone, &cap, *ngone + 1, sizeof **gone);
			snprintf((*gone)[(*ngone)++], ORDER_ID_MAX, "%s", s->id);
		}
	}
	for (size_t i = 0; i < n; i++) {
		struct order *s = state_order_get(st, o[i].id);
		/* A snapshot taken before a close must not reopen the order. */
		if (s && !order_status_is_open(s->status) && order_status_is_open(o[i].status))
			continue;
		s = state_order_upsert(st, o[i].id);
		*s = o[i];
		state_order_changed(st, s);
	}
}
