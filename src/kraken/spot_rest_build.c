/* spot_rest_build: Spot REST request parameters from core requests —
 * AddOrder for all ten order types (kraken-protocol.md §1.8: what price and
 * price2 mean per type), batches, amend, edit, cancel and wallet transfer. */
#include <stdio.h>
#include <string.h>

#include "base/jwrite.h"
#include "kraken/spot_rest_codec.h"
#include "kraken/symbols.h"

static const char *const ordertype_names[OT_COUNT] = {
	[OT_MARKET] = "market",
	[OT_LIMIT] = "limit",
	[OT_ICEBERG] = "iceberg",
	[OT_STOP] = "stop-loss",
	[OT_STOP_LIMIT] = "stop-loss-limit",
	[OT_TAKE_PROFIT] = "take-profit",
	[OT_TAKE_PROFIT_LIMIT] = "take-profit-limit",
	[OT_TRAILING_STOP] = "trailing-stop",
	[OT_TRAILING_STOP_LIMIT] = "trailing-stop-limit",
	[OT_SETTLE_POSITION] = "settle-position",
};

const char *spot_ordertype_name(enum order_type t)
{
	return (unsigned)t < OT_COUNT ? ordertype_names[t] : NULL;
}

int spot_ordertype_parse(const char *s, enum order_type *out)
{
	for (int t = 0; t < OT_COUNT; t++) {
		if (strcmp(s, ordertype_names[t]) == 0) {
			*out = (enum order_type)t;
			return 0;
		}
	}
	return -1;
}

static void add_price(struct spot_params *sp, const char *key, const struct spot_price *p)
{
	char b[DEC_FMT_MAX + 4];
	spot_price_fmt(p, b, sizeof b);
	spot_params_add(sp, key, b);
}

static struct spot_price abs_price(dec_t v)
{
	return (struct spot_price){0, v, false};
}

/* A signed offset: '+' for >= 0 (trailing distances always), '-' below. */
static struct spot_price offset_price(dec_t v, bool pct)
{
	struct spot_price p = {'+', v, pct};
	if (dec_sign(v) < 0) {
		p.rel = '-';
		dec_abs(v, &p.v);
	}
	return p;
}

/* price and price2 of the order per its type; opts may override either. */
static int add_prices(const struct order_req *r, const struct spot_add_opts *o,
		      struct spot_params *sp, struct kerr *err)
{
	struct spot_price p1 = {0}, p2 = {0};
	bool has1 = false, has2 = false;
	switch (r->type) {
	case OT_LIMIT:
	case OT_ICEBERG:
		p1 = abs_price(r->limit_price), has1 = true;
		break;
	case OT_STOP:
	case OT_TAKE_PROFIT:
		p1 = abs_price(r->trigger_price), has1 = true;
		break;
	case OT_STOP_LIMIT:
	case OT_TAKE_PROFIT_LIMIT:
		p1 = abs_price(r->trigger_price), has1 = true;
		p2 = abs_price(r->limit_price), has2 = true;
		break;
	case OT_TRAILING_STOP_LIMIT:
		p2 = offset_price(r->trail_limit_offset, r->trail_limit_pct), has2 = true;
		/* fall through */
	case OT_TRAILING_STOP:
		if (dec_sign(r->trail_offset) <= 0)
			return kerr_set(err, SPOT_E_ARG, "a trailing stop needs a positive offset");
		p1 = offset_price(r->trail_offset, r->trail_pct), has1 = true;
		break;
	default:
		break;
	}
	if (o && o->price)
		p1 = *o->price, has1 = true;
	if (o && o->price2)
		p2 = *o->price2, has2 = true;
	if (has1 && (r->type == OT_TRAILING_STOP || r->type == OT_TRAILING_STOP_LIMIT) &&
	    p1.rel != '+')
		return kerr_set(err, SPOT_E_ARG, "a trailing stop's offset must start with +");
	if (has2 && r->type == OT_TRAILING_STOP_LIMIT && p2.rel != '+' && p2.rel != '-')
		return kerr_set(err, SPOT_E_ARG,
				"a trailing stop limit's limit offset must start with + or -");
	if (has1)
		add_price(sp, "price", &p1);
	if (has2)
		add_price(sp, "price2", &p2);
	return 0;
}

static int add_flags(const struct order_req *r, const struct spot_add_opts *o,
		     struct spot_params *sp, struct kerr *err)
{
	char flags[64] = "";
	if (r->post_only) {
		if (r->type != OT_LIMIT && r->type != OT_ICEBERG)
			return kerr_set(err, SPOT_E_ARG, "post-only applies to limit orders only");
		strcat(flags, ",post");
	}
	if (o && o->fcib && o->fciq)
		return kerr_set(err, SPOT_E_ARG, "fee in base and fee in quote exclude each other");
	if (o && o->fcib)
		strcat(flags, ",fcib");
	if (o && o->fciq)
		strcat(flags, ",fciq");
	if (o && o->nompp)
		strcat(flags, ",nompp");
	if (r->qty_in_quote) {
		if (r->type != OT_MARKET || r->side != SIDE_BUY || r->leverage > 0)
			return kerr_set(err, SPOT_E_ARG,
					"volume in quote currency applies to spot market buys only");
		strcat(flags, ",viqc");
	}
	if (flags[0])
		spot_params_add(sp, "oflags", flags + 1);
	return 0;
}

static int add_tif(const struct order_req *r, const struct spot_add_opts *o,
		   struct spot_params *sp, struct kerr *err)
{
	switch (r->tif) {
	case TIF_GTC:
		break;
	case TIF_IOC:
		spot_params_add(sp, "timeinforce", "IOC");
		break;
	case TIF_GTD:
		spot_params_add(sp, "timeinforce", "GTD");
		if (o && o->expiretm)
			spot_params_add(sp, "expiretm", o->expiretm);
		else if (r->expire_s > 0)
			spot_params_add_int(sp, "expiretm", r->expire_s);
		else
			return kerr_set(err, SPOT_E_ARG, "good-till-date needs an expiry time");
		break;
	case TIF_FOK:
		return kerr_set(err, SPOT_E_ARG, "Kraken Spot has no fill-or-kill");
	}
	if (o && o->starttm)
		spot_params_add(sp, "starttm", o->starttm);
	return 0;
}

static int add_close(const struct close_req *c, struct spot_params *sp, struct kerr *err)
{
	if (!c->set)
		return 0;
	const char *name = spot_ordertype_name(c->type);
	if (!name || c->type == OT_MARKET || c->type == OT_ICEBERG ||
	    c->type == OT_SETTLE_POSITION)
		return kerr_set(err, SPOT_E_ARG, "a conditional close must be a limit, stop, "
						 "take-profit or trailing type");
	spot_params_add(sp, "close[ordertype]", name);
	struct spot_price p = order_type_is_trailing(c->type) ? offset_price(c->price, false)
							      : abs_price(c->price);
	add_price(sp, "close[price]", &p);
	if (c->type == OT_STOP_LIMIT || c->type == OT_TAKE_PROFIT_LIMIT) {
		p = abs_price(c->price2);
		add_price(sp, "close[price2]", &p);
	} else if (c->type == OT_TRAILING_STOP_LIMIT) {
		p = offset_price(c->price2, false);
		add_price(sp, "close[price2]", &p);
	}
	return 0;
}

/* Every AddOrder field except nonce; the pair only when with_pair. */
static int build_order(const struct state *st, const struct order_req *r,
		       const struct spot_add_opts *o, bool with_pair, struct spot_params *sp,
		       struct kerr *err)
{
	const struct instrument *in = state_instrument(st, r->instr);
	if (!in || in->product != PRODUCT_SPOT)
		return kerr_set(err, SPOT_E_ARG, "not a spot instrument");
	const char *name = spot_ordertype_name(r->type);
	if (!name)
		return kerr_set(err, SPOT_E_ARG, "unknown order type");
	if (dec_sign(r->qty) < 0 || (dec_is_zero(r->qty) && r->type != OT_SETTLE_POSITION &&
				     r->leverage == 0))
		return kerr_set(err, SPOT_E_ARG, "the volume must be positive");
	spot_params_add(sp, "ordertype", name);
	spot_params_add(sp, "type", r->side == SIDE_BUY ? "buy" : "sell");
	spot_params_add_dec(sp, "volume", r->qty);
	if (with_pair)
		spot_params_add(sp, "pair", in->altname[0] ? in->altname : in->rest_id);
	if (add_prices(r, o, sp, err) < 0)
		return -1;
	if (r->type == OT_ICEBERG) {
		if (dec_sign(r->display_qty) <= 0)
			return kerr_set(err, SPOT_E_ARG, "an iceberg order needs a display volume");
		spot_params_add_dec(sp, "displayvol", r->display_qty);
	}
	if (r->signal == TRIG_MARK)
		return kerr_set(err, SPOT_E_ARG, "Kraken Spot triggers on last or index, not mark");
	if (r->signal == TRIG_INDEX && (order_type_has_trigger(r->type) || r->close.set))
		spot_params_add(sp, "trigger", "index");
	if (add_flags(r, o, sp, err) < 0 || add_tif(r, o, sp, err) < 0)
		return -1;
	if (r->leverage > 0)
		spot_params_add_int(sp, "leverage", r->leverage);
	if (r->reduce_only)
		spot_params_add_bool(sp, "reduce_only", true);
	if (r->cl_id[0])
		spot_params_add(sp, "cl_ord_id", r->cl_id);
	else if (o && o->userref)
		spot_params_add_int(sp, "userref", o->userref);
	if (add_close(&r->close, sp, err) < 0)
		return -1;
	if (o && o->stptype)
		spot_params_add(sp, "stptype", o->stptype);
	if (o && o->deadline)
		spot_params_add(sp, "deadline", o->deadline);
	return 0;
}

int spot_build_add_order(const struct state *st, const struct order_req *req,
			 const struct spot_add_opts *opts, struct spot_params *out, struct kerr *err)
{
	struct spot_params sp;
	spot_params_init(&sp);
	if (build_order(st, req, opts, true, &sp, err) < 0) {
		spot_params_free(&sp);
		return -1;
	}
	if (req->validate_only)
		spot_params_add_bool(&sp, "validate", true);
	*out = sp;
	return 0;
}

int spot_build_batch_order(const struct state *st, const struct order_req *req,
			   const struct spot_add_opts *opts, struct sbuf *json, struct kerr *err)
{
	struct spot_params sp;
	spot_params_init(&sp);
	int rc = build_order(st, req, opts, false, &sp, err);
	if (rc == 0)
		spot_params_json(&sp, NULL, json);
	spot_params_free(&sp);
	return rc;
}

int spot_build_add_order_batch(const struct state *st, const struct order_req *reqs, size_t n,
			       const char *deadline, bool validate, struct spot_params *out,
			       struct kerr *err)
{
	if (n < 2 || n > 15)
		return kerr_set(err, SPOT_E_ARG, "a batch holds 2 to 15 orders, not %zu", n);
	const struct instrument *in = state_instrument(st, reqs[0].instr);
	struct sbuf arr = SBUF_INIT;
	sbuf_addc(&arr, '[');
	for (size_t i = 0; i < n; i++) {
		if (reqs[i].instr != reqs[0].instr) {
			sbuf_free(&arr);
			return kerr_set(err, SPOT_E_ARG, "every order of a batch must be on one pair");
		}
		if (i)
			sbuf_addc(&arr, ',');
		if (spot_build_batch_order(st, &reqs[i], NULL, &arr, err) < 0) {
			sbuf_free(&arr);
			return -1;
		}
	}
	sbuf_addc(&arr, ']');
	spot_params_init(out);
	spot_params_addk(out, SP_RAW, "orders", sbuf_str(&arr));
	spot_params_add(out, "pair", in->altname[0] ? in->altname : in->rest_id);
	if (deadline)
		spot_params_add(out, "deadline", deadline);
	if (validate)
		spot_params_add_bool(out, "validate", true);
	sbuf_free(&arr);
	return 0;
}

int spot_build_amend(const struct amend_req *req, bool by_cl, const struct spot_price *lim,
		     const struct spot_price *trig, struct spot_params *out, struct kerr *err)
{
	if (!req->order_id[0])
		return kerr_set(err, SPOT_E_ARG, "no order to amend");
	if (!req->has_qty && !req->has_limit && !req->has_trigger && !lim && !trig)
		return kerr_set(err, SPOT_E_ARG, "nothing to amend");
	spot_params_init(out);
	spot_params_add(out, by_cl ? "cl_ord_id" : "txid", req->order_id);
	if (req->has_qty)
		spot_params_add_dec(out, "order_qty", req->qty);
	if (lim)
		add_price(out, "limit_price", lim);
	else if (req->has_limit)
		spot_params_add_dec(out, "limit_price", req->limit_price);
	if (trig)
		add_price(out, "trigger_price", trig);
	else if (req->has_trigger)
		spot_params_add_dec(out, "trigger_price", req->trigger_price);
	return 0;
}

int spot_build_edit(const struct spot_edit_req *req, struct spot_params *out, struct kerr *err)
{
	if (!req->txid || !req->txid[0] || !req->pair || !req->pair[0])
		return kerr_set(err, SPOT_E_ARG, "EditOrder needs the txid and the pair");
	spot_params_init(out);
	spot_params_add(out, "txid", req->txid);
	spot_params_add(out, "pair", req->pair);
	if (req->volume)
		spot_params_add_dec(out, "volume", *req->volume);
	if (req->price)
		add_price(out, "price", req->price);
	if (req->price2)
		add_price(out, "price2", req->price2);
	if (req->post_only)
		spot_params_add(out, "oflags", "post");
	if (req->validate)
		spot_params_add_bool(out, "validate", true);
	return 0;
}

void spot_build_cancel(const char *id, bool by_cl, struct spot_params *out)
{
	spot_params_init(out);
	spot_params_add(out, by_cl ? "cl_ord_id" : "txid", id);
}

static void json_str_array(const char *const *v, size_t n, struct sbuf *b)
{
	struct jw w;
	jw_init(&w, b);
	jw_arr_begin(&w);
	for (size_t i = 0; i < n; i++)
		jw_str(&w, v[i]);
	jw_arr_end(&w);
}

int spot_build_cancel_batch(const char *const *txids, size_t ntx, const char *const *cl_ids,
			    size_t ncl, struct spot_params *out, struct kerr *err)
{
	if (ntx + ncl == 0 || ntx + ncl > 50)
		return kerr_set(err, SPOT_E_ARG, "a cancel batch holds 1 to 50 ids, not %zu",
				ntx + ncl);
	spot_params_init(out);
	struct sbuf b = SBUF_INIT;
	if (ntx) {
		json_str_array(txids, ntx, &b);
		spot_params_addk(out, SP_RAW, "orders", sbuf_str(&b));
		sbuf_reset(&b);
	}
	if (ncl) {
		json_str_array(cl_ids, ncl, &b);
		spot_params_addk(out, SP_RAW, "cl_ord_ids", sbuf_str(&b));
	}
	sbuf_free(&b);
	return 0;
}

int spot_build_wallet_transfer(const struct transfer_req *req, struct spot_params *out,
			       struct kerr *err)
{
	if (req->from != WALLET_SPOT || req->to == WALLET_SPOT)
		return kerr_set(err, SPOT_E_ARG, "Spot REST only moves funds from the spot wallet "
						 "to the futures wallet");
	if (dec_sign(req->amount) <= 0)
		return kerr_set(err, SPOT_E_ARG, "the amount must be positive");
	char alt[ASSET_MAX];
	kraken_asset_altname(req->asset, alt, sizeof alt);
	spot_params_init(out);
	spot_params_add(out, "asset", alt);
	spot_params_add(out, "from", "Spot Wallet");
	spot_params_add(out, "to", "Futures Wallet");
	spot_params_add_dec(out, "amount", req->amount);
	return 0;
}
