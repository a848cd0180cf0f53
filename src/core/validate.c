/* validate: pre-trade checks against instrument rules, the market and wallets. */
#include "core/validate.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/state.h"

static const char *const field_names[] = {"order", "instrument", "type", "size", "price",
					  "trigger", "trailing", "trail limit", "display",
					  "time in force", "expiry", "leverage", "reduce-only",
					  "post-only", "close"};

const char *order_field_name(enum order_field f)
{
	return (unsigned)f < OF_FIELD_COUNT ? field_names[f] : "?";
}

__attribute__((format(printf, 3, 4))) static struct order_problem *
add(struct order_check *c, enum order_field f, const char *fmt, ...)
{
	if (c->n >= ORDER_PROBLEMS_MAX)
		return NULL;
	struct order_problem *p = &c->p[c->n++];
	memset(p, 0, sizeof *p);
	p->field = f;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(p->msg, sizeof p->msg, fmt, ap);
	va_end(ap);
	return p;
}

const struct order_problem *order_check_field(const struct order_check *c, enum order_field f)
{
	for (int i = 0; i < c->n; i++)
		if (c->p[i].field == f)
			return &c->p[i];
	return NULL;
}

void order_check_apply_fixes(const struct order_check *c, struct order_req *req)
{
	for (int i = 0; i < c->n; i++) {
		const struct order_problem *p = &c->p[i];
		if (!p->has_fix)
			continue;
		switch (p->field) {
		case OF_QTY: req->qty = p->fix; break;
		case OF_LIMIT: req->limit_price = p->fix; break;
		case OF_TRIGGER: req->trigger_price = p->fix; break;
		case OF_TRAIL: req->trail_offset = p->fix; break;
		default: break;
		}
	}
}

dec_t order_reference_price(const struct state *st, int instr, enum trigger_signal sig)
{
	const struct market *m = state_market_peek(st, instr);
	if (!m)
		return dec_zero();
	const struct ticker *t = &m->ticker;
	if (sig == TRIG_MARK && (t->has & TK_MARK) && !dec_is_zero(t->mark))
		return t->mark;
	if (sig == TRIG_INDEX && (t->has & TK_INDEX) && !dec_is_zero(t->index))
		return t->index;
	if ((t->has & TK_LAST) && !dec_is_zero(t->last))
		return t->last;
	struct book_level bb, ba;
	if (book_best(&m->book, SIDE_BUY, &bb) && book_best(&m->book, SIDE_SELL, &ba)) {
		dec_t mid;
		if (dec_add(book_px_dec(&m->book, bb.px), book_px_dec(&m->book, ba.px), &mid) == 0 &&
		    dec_div(mid, dec_from_int(2), (unsigned)m->book.pscale + 1, DEC_HALF_EVEN,
			    &mid) == 0)
			return mid;
	}
	return dec_zero();
}

/* A price must be positive and on the tick grid; suggest the nearest tick. */
static void check_price(struct order_check *c, enum order_field f, const char *what, dec_t px,
			dec_t tick, enum dec_round dir)
{
	char buf[DEC_FMT_MAX], tb[DEC_FMT_MAX];
	if (dec_sign(px) <= 0) {
		add(c, f, "%s must be greater than zero", what);
		return;
	}
	if (!dec_is_zero(tick) && !dec_is_multiple(px, tick)) {
		dec_t r;
		struct order_problem *p;
		dec_fmt_trim(tick, tb, sizeof tb);
		if (dec_round_step(px, tick, dir, &r) == 0 && dec_sign(r) > 0) {
			dec_fmt(r, -1, buf, sizeof buf);
			p = add(c, f, "%s is not a multiple of the tick size %s (nearest: %s)", what, tb,
				buf);
			if (p) {
				p->has_fix = true;
				p->fix = r;
			}
		} else {
			add(c, f, "%s is not a multiple of the tick size %s", what, tb);
		}
	}
}

static void check_qty(const struct instrument *in, const struct order_req *req,
		      struct order_check *c)
{
	char a[DEC_FMT_MAX], b[DEC_FMT_MAX];
	if (dec_sign(req->qty) <= 0) {
		add(c, OF_QTY, "size must be greater than zero");
		return;
	}
	if (req->qty_in_quote)
		return; /* viqc: the exchange converts; cost checks below */
	if (!dec_is_zero(in->lot) && !dec_is_multiple(req->qty, in->lot)) {
		dec_t r;
		dec_fmt_trim(in->lot, b, sizeof b);
		if (dec_round_step(req->qty, in->lot, DEC_DOWN, &r) == 0 && dec_sign(r) > 0) {
			dec_fmt(r, -1, a, sizeof a);
			struct order_problem *p = add(
				c, OF_QTY, "size is not a multiple of the lot size %s (rounded: %s)", b, a);
			if (p) {
				p->has_fix = true;
				p->fix = r;
			}
		} else {
			add(c, OF_QTY, "size is below the lot size %s", b);
		}
	}
	if (!dec_is_zero(in->min_size) && dec_lt(req->qty, in->min_size)) {
		dec_fmt_trim(in->min_size, b, sizeof b);
		add(c, OF_QTY, "size is below the minimum order of %s %s", b,
		    in->product == PRODUCT_SPOT ? in->base : "contracts");
	}
}

/* The price the order would most likely execute at, for cost and funds checks. */
static dec_t exec_price(const struct state *st, const struct order_req *req)
{
	if (order_type_has_limit(req->type) && dec_sign(req->limit_price) > 0)
		return req->limit_price;
	if (order_type_has_trigger(req->type) && dec_sign(req->trigger_price) > 0)
		return req->trigger_price;
	return order_reference_price(st, req->instr, req->signal);
}

static void check_cost_and_funds(const struct state *st, const struct instrument *in,
				 const struct order_req *req, struct order_check *c)
{
	char a[DEC_FMT_MAX], b[DEC_FMT_MAX];
	dec_t px = exec_price(st, req);
	dec_t notional = req->qty;
	if (!req->qty_in_quote) {
		if (dec_is_zero(px))
			return; /* no price known yet: the exchange will judge */
		if (dec_mul(req->qty, px, 8, DEC_CEIL, &notional) < 0) {
			add(c, OF_QTY, "size times price is too large");
			return;
		}
		if (in->product == PRODUCT_FUTURES && !dec_is_zero(in->contract_size) &&
		    !instrument_is_inverse(in))
			dec_mul(notional, in->contract_size, 8, DEC_CEIL, &notional);
	}
	if (in->product == PRODUCT_SPOT && !dec_is_zero(in->min_cost) &&
	    dec_lt(notional, in->min_cost)) {
		dec_fmt_trim(in->min_cost, b, sizeof b);
		dec_fmt(notional, in->cost_dp ? in->cost_dp : 2, a, sizeof a);
		add(c, OF_QTY, "order value %s %s is below the minimum cost of %s %s", a, in->quote,
		    b, in->quote);
	}
	if (req->reduce_only || req->validate_only)
		return;
	if (in->product == PRODUCT_SPOT && req->leverage == 0) {
		/* Spot cash orders need the asset they spend. */
		const char *asset = req->side == SIDE_BUY ? in->quote : in->base;
		const struct balance *bal = state_balance(st, asset);
		if (!bal || !st->has_keys[PRODUCT_SPOT])
			return;
		dec_t need = req->side == SIDE_BUY ? notional : req->qty;
		if (req->side == SIDE_BUY && !dec_is_zero(in->fee_taker)) {
			dec_t fee;
			if (dec_mul(need, in->fee_taker, 8, DEC_CEIL, &fee) == 0)
				dec_add(need, fee, &need);
		}
		if (dec_gt(need, bal->available)) {
			dec_fmt(need, -1, a, sizeof a);
			dec_fmt(bal->available, -1, b, sizeof b);
			add(c, OF_QTY, "not enough %s: the order needs %s, %s is available", asset, a,
			    b);
		}
		return;
	}
	if (in->product == PRODUCT_FUTURES && st->fut.valid && st->has_keys[PRODUCT_FUTURES]) {
		dec_t im, mm, margin;
		instrument_margin_rates(in, req->qty, &im, &mm);
		if (instrument_is_inverse(in) || dec_is_zero(im))
			return; /* inverse margin is in coin; judged by the exchange */
		if (dec_mul(notional, im, 8, DEC_CEIL, &margin) < 0)
			return;
		if (dec_gt(margin, st->fut.available_margin)) {
			dec_fmt(margin, 2, a, sizeof a);
			dec_fmt(st->fut.available_margin, 2, b, sizeof b);
			add(c, OF_QTY, "not enough margin: the order needs %s USD, %s USD is available",
			    a, b);
		}
	}
}

/* Stops must not trigger at once: a buy stop above the market, a sell stop
 * below it; take-profits the other way round. */
static void check_trigger_side(const struct state *st, const struct order_req *req,
			       struct order_check *c)
{
	dec_t ref = order_reference_price(st, req->instr, req->signal);
	if (dec_is_zero(ref) || dec_sign(req->trigger_price) <= 0)
		return;
	bool stop = req->type == OT_STOP || req->type == OT_STOP_LIMIT;
	bool above = req->side == SIDE_BUY ? stop : !stop;
	char r[DEC_FMT_MAX];
	dec_fmt(ref, -1, r, sizeof r);
	if (above && !dec_gt(req->trigger_price, ref))
		add(c, OF_TRIGGER, "a %s %s triggers above the %s price %s: this one would trigger at once",
		    side_name(req->side), stop ? "stop" : "take-profit",
		    trigger_signal_name(req->signal), r);
	else if (!above && !dec_lt(req->trigger_price, ref))
		add(c, OF_TRIGGER, "a %s %s triggers below the %s price %s: this one would trigger at once",
		    side_name(req->side), stop ? "stop" : "take-profit",
		    trigger_signal_name(req->signal), r);
}

static void check_leverage(const struct instrument *in, const struct order_req *req,
			   struct order_check *c)
{
	if (req->leverage == 0)
		return;
	if (in->product == PRODUCT_FUTURES) {
		add(c, OF_LEVERAGE, "futures leverage is a per-instrument setting, not an order field");
		return;
	}
	const uint8_t *opts = req->side == SIDE_BUY ? in->leverage_buy : in->leverage_sell;
	char list[64] = "";
	size_t len = 0;
	for (int i = 0; i < LEVERAGE_OPTS_MAX && opts[i]; i++) {
		if (opts[i] == req->leverage)
			return;
		len += (size_t)snprintf(list + len, sizeof list - len, "%s%d", len ? ", " : "",
					opts[i]);
		if (len >= sizeof list)
			break;
	}
	if (!opts[0])
		add(c, OF_LEVERAGE, "%s cannot be traded on margin", in->id);
	else
		add(c, OF_LEVERAGE, "leverage %d is not allowed for %s (choose %s)", req->leverage,
		    in->id, list);
}

static void check_flags(const struct state *st, const struct instrument *in,
			const struct order_req *req, struct order_check *c)
{
	if (req->post_only && req->type != OT_LIMIT && req->type != OT_ICEBERG)
		add(c, OF_POST_ONLY, "post-only applies to limit orders only");
	if (req->post_only && req->tif == TIF_IOC)
		add(c, OF_POST_ONLY, "post-only cannot be combined with IOC");
	if (req->tif == TIF_FOK && in->product == PRODUCT_SPOT)
		add(c, OF_TIF, "fill-or-kill is not available on Kraken Spot (use IOC)");
	if (req->tif == TIF_FOK && req->type != OT_LIMIT)
		add(c, OF_TIF, "fill-or-kill applies to limit orders only");
	if (req->tif == TIF_GTD && in->product == PRODUCT_FUTURES)
		add(c, OF_TIF, "good-till-date is not available on Kraken Futures");
	if ((req->tif == TIF_IOC || req->tif == TIF_FOK) && req->type != OT_LIMIT &&
	    req->type != OT_MARKET)
		add(c, OF_TIF, "%s applies to limit orders", tif_name(req->tif));
	if (req->tif == TIF_GTD) {
		time_t now = time(NULL);
		if (req->expire_s <= (int64_t)now + 5)
			add(c, OF_EXPIRE, "the expiry must be at least 5 seconds in the future");
		else if (req->expire_s > (int64_t)now + 31 * 86400)
			add(c, OF_EXPIRE, "the expiry must be within a month");
	}
	if (req->qty_in_quote && !(req->type == OT_MARKET && req->side == SIDE_BUY))
		add(c, OF_QTY, "a size in quote currency is only for market buys");
	if (req->qty_in_quote && req->leverage)
		add(c, OF_QTY, "a size in quote currency cannot be used on margin");
	if (req->reduce_only) {
		if (in->product == PRODUCT_SPOT && req->leverage == 0) {
			add(c, OF_REDUCE_ONLY, "reduce-only needs a margin order on Kraken Spot");
		} else if (in->product == PRODUCT_FUTURES && st->has_keys[PRODUCT_FUTURES]) {
			const struct position *p = state_position(st, req->instr);
			int want = req->side == SIDE_BUY ? -1 : 1; /* the position it would reduce */
			if (!p || dec_sign(p->size) != want)
				add(c, OF_REDUCE_ONLY, "reduce-only: there is no %s position in %s to reduce",
				    want > 0 ? "long" : "short", in->id);
		}
	}
	if (req->signal != TRIG_LAST && in->product == PRODUCT_SPOT && req->signal == TRIG_MARK)
		add(c, OF_TRIGGER, "Kraken Spot triggers on last or index price, not mark");
}

static void check_trailing(const struct instrument *in, const struct order_req *req,
			   struct order_check *c)
{
	if (dec_sign(req->trail_offset) <= 0) {
		add(c, OF_TRAIL, "the trailing offset must be greater than zero");
		return;
	}
	if (req->trail_pct) {
		if (dec_lt(req->trail_offset, dec_make(1, 1)) || dec_gt(req->trail_offset, dec_from_int(50)))
			add(c, OF_TRAIL, "a trailing offset in percent must be between 0.1 and 50");
	} else {
		check_price(c, OF_TRAIL, "the trailing offset", req->trail_offset, in->tick, DEC_HALF_UP);
	}
	if (req->type == OT_TRAILING_STOP_LIMIT && !req->trail_limit_pct &&
	    !dec_is_zero(req->trail_limit_offset) && !dec_is_zero(in->tick) &&
	    !dec_is_multiple(req->trail_limit_offset, in->tick))
		add(c, OF_TRAIL_LIMIT, "the limit offset is not a multiple of the tick size");
}

int order_validate(const struct state *st, const struct order_req *req, struct order_check *out)
{
	memset(out, 0, sizeof *out);
	const struct instrument *in = state_instrument(st, req->instr);
	if (!in) {
		add(out, OF_INSTRUMENT, "unknown instrument");
		return out->n;
	}
	if (!in->tradeable)
		add(out, OF_INSTRUMENT, "%s is not tradeable right now", in->id);
	if (!order_type_on_product(req->type, in->product)) {
		add(out, OF_TYPE, "%s orders are not available on Kraken %s", order_type_name(req->type),
		    in->product == PRODUCT_SPOT ? "Spot" : "Futures");
		return out->n;
	}
	check_qty(in, req, out);
	if (order_type_has_limit(req->type))
		check_price(out, OF_LIMIT, "the limit price", req->limit_price, in->tick,
			    req->side == SIDE_BUY ? DEC_FLOOR : DEC_CEIL);
	if (order_type_has_trigger(req->type)) {
		check_price(out, OF_TRIGGER, "the trigger price", req->trigger_price, in->tick,
			    DEC_HALF_UP);
		check_trigger_side(st, req, out);
	}
	if (order_type_is_trailing(req->type))
		check_trailing(in, req, out);
	if (req->type == OT_ICEBERG) {
		if (dec_sign(req->display_qty) <= 0)
			add(out, OF_DISPLAY, "an iceberg order needs a display size");
		else if (dec_ge(req->display_qty, req->qty))
			add(out, OF_DISPLAY, "the display size must be smaller than the order size");
	}
	check_leverage(in, req, out);
	check_flags(st, in, req, out);
	if (req->close.set) {
		if (in->product != PRODUCT_SPOT)
			add(out, OF_CLOSE, "conditional close orders exist on Kraken Spot only");
		else if (dec_sign(req->close.price) <= 0)
			add(out, OF_CLOSE, "the conditional close needs a price");
	}
	if (out->n == 0)
		check_cost_and_funds(st, in, req, out);
	return out->n;
}
