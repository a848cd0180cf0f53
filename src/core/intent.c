/* intent: validated user intents, handed to the registered gateway. */
#include "core/intent.h"

#include <stdio.h>
#include <string.h>
#include <sys/random.h>

#include "core/state.h"
#include "core/validate.h"

void intent_new_cl_id(char *buf, size_t cap)
{
	unsigned char r[16];
	if (getrandom(r, sizeof r, 0) != (ssize_t)sizeof r) {
		/* getrandom cannot fail for 16 bytes after boot; be safe anyway */
		for (size_t i = 0; i < sizeof r; i++)
			r[i] = (unsigned char)(i * 37u + (unsigned)(uintptr_t)buf);
	}
	r[6] = (unsigned char)((r[6] & 0x0f) | 0x40); /* version 4 */
	r[8] = (unsigned char)((r[8] & 0x3f) | 0x80); /* RFC 4122 variant */
	snprintf(buf, cap,
		 "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", r[0],
		 r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8], r[9], r[10], r[11], r[12], r[13],
		 r[14], r[15]);
}

static int no_gateway(struct kerr *err)
{
	return kerr_set(err, 1, "not connected to an exchange: nothing was sent");
}

int intent_place(struct state *st, struct order_req *req, intent_cb cb, void *arg, struct kerr *err)
{
	struct order_check chk;
	if (order_validate(st, req, &chk) > 0)
		return kerr_set(err, 2, "%s: %s (nothing was sent)", order_field_name(chk.p[0].field),
				chk.p[0].msg);
	if (!st->gw_ops)
		return no_gateway(err);
	if (!req->cl_id[0])
		intent_new_cl_id(req->cl_id, sizeof req->cl_id);
	return st->gw_ops->place(st->gw, req, cb, arg, err);
}

int intent_amend(struct state *st, const struct amend_req *req, intent_cb cb, void *arg,
		 struct kerr *err)
{
	struct order *o = state_order_get(st, req->order_id);
	if (!o || !order_status_is_open(o->status))
		return kerr_set(err, 3, "order %s is not open", req->order_id);
	const struct instrument *in = state_instrument(st, o->instr);
	if (in) {
		if (req->has_limit && (dec_sign(req->limit_price) <= 0 ||
				       (!dec_is_zero(in->tick) && !dec_is_multiple(req->limit_price, in->tick))))
			return kerr_set(err, 2, "the new price is not a positive multiple of the tick size (nothing was sent)");
		if (req->has_trigger && (dec_sign(req->trigger_price) <= 0 ||
					 (!dec_is_zero(in->tick) && !dec_is_multiple(req->trigger_price, in->tick))))
			return kerr_set(err, 2, "the new trigger is not a positive multiple of the tick size (nothing was sent)");
		if (req->has_qty && (dec_sign(req->qty) <= 0 ||
				     (!dec_is_zero(in->lot) && !dec_is_multiple(req->qty, in->lot))))
			return kerr_set(err, 2, "the new size is not a positive multiple of the lot size (nothing was sent)");
		if (req->has_qty && dec_le(req->qty, o->filled))
			return kerr_set(err, 2, "the new size must be larger than what already filled (nothing was sent)");
	}
	if (!req->has_qty && !req->has_limit && !req->has_trigger)
		return kerr_set(err, 2, "nothing to change");
	if (!st->gw_ops)
		return no_gateway(err);
	return st->gw_ops->amend(st->gw, req, cb, arg, err);
}

int intent_cancel(struct state *st, const char *order_id, intent_cb cb, void *arg, struct kerr *err)
{
	if (!st->gw_ops)
		return no_gateway(err);
	return st->gw_ops->cancel(st->gw, order_id, cb, arg, err);
}

int intent_cancel_all(struct state *st, enum product product, int instr, intent_cb cb, void *arg,
		      struct kerr *err)
{
	if (!st->gw_ops)
		return no_gateway(err);
	return st->gw_ops->cancel_all(st->gw, product, instr, cb, arg, err);
}

int intent_cancel_after(struct state *st, enum product product, int timeout_s, intent_cb cb,
			void *arg, struct kerr *err)
{
	if (timeout_s < 0 || timeout_s >= 86400)
		return kerr_set(err, 2, "the dead man's switch timeout must be 0..86399 seconds");
	if (!st->gw_ops)
		return no_gateway(err);
	return st->gw_ops->cancel_after(st->gw, product, timeout_s, cb, arg, err);
}

int intent_set_leverage(struct state *st, int instr, const dec_t *leverage, intent_cb cb, void *arg,
			struct kerr *err)
{
	const struct instrument *in = state_instrument(st, instr);
	if (!in || in->product != PRODUCT_FUTURES)
		return kerr_set(err, 2, "leverage preferences exist for futures instruments only");
	if (leverage) {
		int max = instrument_max_leverage(in);
		if (dec_sign(*leverage) <= 0 || (max && dec_gt(*leverage, dec_from_int(max))))
			return kerr_set(err, 2, "leverage must be between 1 and %d for %s", max, in->id);
	}
	if (!st->gw_ops)
		return no_gateway(err);
	return st->gw_ops->set_leverage(st->gw, instr, leverage, cb, arg, err);
}

int intent_transfer(struct state *st, const struct transfer_req *req, intent_cb cb, void *arg,
		    struct kerr *err)
{
	if (dec_sign(req->amount) <= 0)
		return kerr_set(err, 2, "the amount must be greater than zero");
	if (req->from == req->to)
		return kerr_set(err, 2, "source and destination are the same wallet");
	if (req->from == WALLET_SPOT) {
		const struct balance *b = state_balance(st, req->asset);
		if (b && dec_gt(req->amount, b->available)) {
			char a[DEC_FMT_MAX];
			dec_fmt(b->available, -1, a, sizeof a);
			return kerr_set(err, 2, "only %s %s is available in the spot wallet", a,
					req->asset);
		}
	}
	if (!st->gw_ops)
		return no_gateway(err);
	return st->gw_ops->transfer(st->gw, req, cb, arg, err);
}

int intent_close_position(struct state *st, int instr, dec_t size, const dec_t *limit, intent_cb cb,
			  void *arg, struct kerr *err)
{
	const struct position *p = state_position(st, instr);
	if (!p || dec_is_zero(p->size))
		return kerr_set(err, 2, "there is no open position to close");
	struct order_req req;
	memset(&req, 0, sizeof req);
	req.instr = instr;
	req.side = dec_sign(p->size) > 0 ? SIDE_SELL : SIDE_BUY;
	dec_t whole;
	dec_abs(p->size, &whole);
	req.qty = dec_is_zero(size) ? whole : size;
	if (dec_gt(req.qty, whole))
		return kerr_set(err, 2, "the size to close is larger than the position");
	req.reduce_only = true;
	if (limit) {
		req.type = OT_LIMIT;
		req.limit_price = *limit;
	} else {
		req.type = OT_MARKET;
	}
	const struct instrument *in = state_instrument(st, instr);
	if (in && in->product == PRODUCT_SPOT)
		req.leverage = p->leverage.m ? (int)dec_normalize(p->leverage).m : 2;
	return intent_place(st, &req, cb, arg, err);
}

void intent_watch(struct state *st, int instr, int depth)
{
	if (st->gw_ops && st->gw_ops->watch)
		st->gw_ops->watch(st->gw, instr, depth);
}

void order_req_describe(const struct state *st, const struct order_req *req, char *buf, size_t cap)
{
	const struct instrument *in = state_instrument(st, req->instr);
	char qty[DEC_FMT_MAX], px[DEC_FMT_MAX], tr[DEC_FMT_MAX];
	/* Sizes without trailing zeros ("0.01", not "0.01000000"); prices at the
	 * instrument's precision, as the exchange shows them. */
	int pdp = in ? in->price_dp : -1;
	dec_fmt_group(dec_normalize(req->qty), -1, qty, sizeof qty);
	size_t n = 0;
#define OUT(...)                                                                                   \
	do {                                                                                       \
		if (n < cap)                                                                       \
			n += (size_t)snprintf(buf + n, cap - n, __VA_ARGS__);                      \
	} while (0)
	const char *type = order_type_name(req->type);
	if (req->type == OT_STOP)
		type = "stop-market";
	else if (req->type == OT_TAKE_PROFIT)
		type = "take-profit-market";
	OUT("%s %s%s %s %s", req->side == SIDE_BUY ? "BUY" : "SELL", qty,
	    req->qty_in_quote && in ? " (quote)" : "", in ? in->id : "?", type);
	if (order_type_has_trigger(req->type)) {
		dec_fmt_group(req->trigger_price, pdp, tr, sizeof tr);
		OUT(", trigger %s on %s", tr, trigger_signal_name(req->signal));
	}
	if (order_type_is_trailing(req->type)) {
		dec_fmt_group(req->trail_offset, -1, tr, sizeof tr);
		OUT(", trailing %s%s on %s", tr, req->trail_pct ? "%" : "",
		    trigger_signal_name(req->signal));
	}
	if (order_type_has_limit(req->type)) {
		dec_fmt_group(req->limit_price, pdp, px, sizeof px);
		OUT(", limit %s", px);
	}
	if (req->type == OT_TRAILING_STOP_LIMIT) {
		dec_fmt_group(req->trail_limit_offset, -1, px, sizeof px);
		OUT(", limit offset %s%s", px, req->trail_limit_pct ? "%" : "");
	}
	if (req->type == OT_ICEBERG) {
		dec_fmt_group(req->display_qty, -1, px, sizeof px);
		OUT(", showing %s", px);
	}
	if (req->leverage)
		OUT(", leverage %dx", req->leverage);
	if (req->post_only)
		OUT(", post-only");
	if (req->reduce_only)
		OUT(", reduce-only");
	if (req->tif != TIF_GTC)
		OUT(", %s", tif_name(req->tif));
	if (req->close.set) {
		dec_fmt_group(req->close.price, -1, px, sizeof px);
		OUT(", then close with %s at %s", order_type_name(req->close.type), px);
	}
	if (req->validate_only)
		OUT(" (validate only)");
#undef OUT
}
