/* guard: the user's fat-finger limits, judged on the order preview. */
#include "core/guard.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "core/preview.h"
#include "core/state.h"

static int parse_limit(const char *text, const char *what, dec_t *out, struct kerr *err)
{
	*out = dec_zero();
	if (!text || !text[0])
		return 0;
	struct kerr e = KERR_INIT;
	if (dec_parse(text, (size_t)-1, out, &e) < 0)
		return kerr_set(err, 1, "%s: %s", what, e.msg);
	if (dec_sign(*out) < 0)
		return kerr_set(err, 1, "%s must not be negative", what);
	return 0;
}

int guard_limits_parse(struct guard_limits *g, const char *max_notional,
                       const char *max_distance_pct, int max_leverage, struct kerr *err)
{
	memset(g, 0, sizeof *g);
	if (parse_limit(max_notional, "max_notional", &g->max_notional, err) < 0 ||
	    parse_limit(max_distance_pct, "max_distance_pct", &g->max_distance_pct, err) < 0)
		return -1;
	if (max_leverage < 0)
		return kerr_set(err, 1, "max_leverage must not be negative");
	g->max_leverage = max_leverage;
	return 0;
}

struct why {
	char *buf;
	size_t cap, len;
	int n;
};

__attribute__((format(printf, 2, 3))) static void say(struct why *w, const char *fmt, ...)
{
	w->n++;
	if (!w->buf || w->cap == 0 || w->len >= w->cap)
		return;
	if (w->len) {
		int k = snprintf(w->buf + w->len, w->cap - w->len, "; ");
		w->len += k > 0 ? (size_t)k : 0;
		if (w->len >= w->cap)
			return;
	}
	va_list ap;
	va_start(ap, fmt);
	int k = vsnprintf(w->buf + w->len, w->cap - w->len, fmt, ap);
	va_end(ap);
	w->len += k > 0 ? (size_t)k : 0;
}

/* The leverage the order leaves the account at (0 when unknown / not judged). */
static dec_t order_leverage(const struct state *st, const struct instrument *in,
                            const struct order_req *req, const struct order_preview *pv,
                            bool *unknown)
{
	*unknown = false;
	if (in->product == PRODUCT_SPOT)
		return dec_from_int(req->leverage);
	dec_t a0, a1;
	dec_abs(pv->pos_before, &a0);
	dec_abs(pv->pos_after, &a1);
	if (req->reduce_only || !dec_gt(a1, a0))
		return dec_zero(); /* only reduces: not judged */
	const struct position *p = state_position(st, req->instr);
	if (p && p->isolated && dec_sign(p->max_leverage) > 0)
		return p->max_leverage;
	dec_t n = dec_zero(), lev;
	dec_t px = pv->has_price ? pv->price : pv->ref_price;
	dec_t cs = dec_is_zero(in->contract_size) ? dec_from_int(1) : in->contract_size;
	if (dec_mul(a1, cs, 8, DEC_HALF_EVEN, &n) < 0)
		n = dec_zero();
	else if (!instrument_is_inverse(in) && dec_mul(n, px, 4, DEC_HALF_EVEN, &n) < 0)
		n = dec_zero(); /* inverse contracts are worth a fixed USD amount each */
	if (dec_is_zero(n) || !st->fut.valid || dec_sign(st->fut.margin_equity) <= 0 ||
	    dec_div(n, st->fut.margin_equity, 2, DEC_HALF_EVEN, &lev) < 0) {
		*unknown = true;
		return dec_zero();
	}
	return lev;
}

int guard_check_leverage(const struct guard_limits *g, dec_t leverage, char *why, size_t cap)
{
	struct why w = {why, cap, 0, 0};
	if (why && cap)
		why[0] = '\0';
	if (g->max_leverage > 0 && dec_gt(leverage, dec_from_int(g->max_leverage))) {
		char l[DEC_FMT_MAX];
		dec_fmt_trim(leverage, l, sizeof l);
		say(&w, "leverage %sx is above your limit of %dx", l, g->max_leverage);
	}
	return w.n;
}

int guard_check(const struct state *st, const struct order_req *req, const struct guard_limits *g,
                char *why, size_t cap)
{
	struct why w = {why, cap, 0, 0};
	if (why && cap)
		why[0] = '\0';
	const struct instrument *in = state_instrument(st, req->instr);
	struct order_preview pv;
	if (!in || order_preview(st, req, &pv) < 0)
		return 0;
	char a[DEC_FMT_MAX], b[DEC_FMT_MAX], r[DEC_FMT_MAX];
	if (dec_sign(g->max_notional) > 0) {
		dec_fmt_group(g->max_notional, -1, b, sizeof b);
		if (dec_is_zero(pv.notional)) {
			say(&w,
			    "the order's value cannot be estimated (no price known); your limit is "
			    "%s %s",
			    b, pv.quote);
		} else if (dec_gt(pv.notional, g->max_notional)) {
			dec_fmt_group(pv.notional, 2, a, sizeof a);
			say(&w, "the order is worth %s %s, above your limit of %s %s", a, pv.quote,
			    b, pv.quote);
		}
	}
	if (dec_sign(g->max_distance_pct) > 0) {
		dec_fmt_trim(g->max_distance_pct, b, sizeof b);
		const char *what = order_type_has_trigger(req->type)   ? "trigger"
		                   : req->type == OT_MARKET            ? "worst fill on the book"
		                   : order_type_is_trailing(req->type) ? "estimated trigger"
		                                                       : "price";
		dec_t d;
		if (!pv.has_distance) {
			if (req->type != OT_MARKET || dec_is_zero(pv.ref_price))
				say(&w,
				    "the %s's distance from %s cannot be judged (no %s price "
				    "known); your limit is %s%%",
				    what, trigger_signal_name(pv.ref_signal),
				    trigger_signal_name(pv.ref_signal), b);
		} else if (dec_abs(pv.distance_pct, &d) == 0 && dec_gt(d, g->max_distance_pct)) {
			dec_fmt(d, 2, a, sizeof a);
			dec_fmt_group(pv.ref_price, -1, r, sizeof r);
			say(&w, "the %s is %s%% %s %s %s (your limit is %s%%)", what, a,
			    dec_sign(pv.distance_pct) > 0 ? "above" : "below",
			    trigger_signal_name(pv.ref_signal), r, b);
		}
	}
	if (g->max_leverage > 0) {
		bool unknown;
		dec_t lev = order_leverage(st, in, req, &pv, &unknown);
		if (unknown) {
			say(&w,
			    "the leverage this order leads to cannot be estimated; your limit is "
			    "%dx",
			    g->max_leverage);
		} else if (dec_gt(lev, dec_from_int(g->max_leverage))) {
			dec_fmt_trim(lev, a, sizeof a);
			say(&w, "%s at %sx leverage, above your limit of %dx",
			    in->product == PRODUCT_SPOT ? "a margin order"
			                                : "the position would run",
			    a, g->max_leverage);
		}
	}
	return w.n;
}
