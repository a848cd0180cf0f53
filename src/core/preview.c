/* preview: the estimated effects of an order (formulas in preview.h). */
#include "core/preview.h"

#include <stdio.h>
#include <string.h>

#include "core/state.h"
#include "core/validate.h"

/* Money values carry 8 places; on huge values precision is given up two
 * places at a time rather than failing. */
#define MONEY_DP 8

static int mulr(dec_t a, dec_t b, int scale, enum dec_round r, dec_t *out)
{
	for (int s = scale; s >= 0; s -= 2)
		if (dec_mul(a, b, (unsigned)s, r, out) == 0)
			return 0;
	return -1;
}

static int divr(dec_t a, dec_t b, int scale, enum dec_round r, dec_t *out)
{
	if (dec_is_zero(b))
		return -1;
	for (int s = scale; s >= 0; s -= 2)
		if (dec_div(a, b, (unsigned)s, r, out) == 0)
			return 0;
	return -1;
}

static dec_t dabs(dec_t a)
{
	dec_t r;
	return dec_abs(a, &r) == 0 ? r : a;
}

static dec_t contract_size(const struct instrument *in)
{
	return dec_is_zero(in->contract_size) ? dec_from_int(1) : in->contract_size;
}

static bool is_linear_futures(const struct instrument *in)
{
	return in->product == PRODUCT_FUTURES && !instrument_is_inverse(in);
}

/* Notional of `size` (position units: contracts or base units) at price. */
static int notional_of(const struct instrument *in, dec_t size, dec_t price, dec_t *out)
{
	dec_t q = dabs(size);
	if (in->product == PRODUCT_FUTURES) {
		if (mulr(q, contract_size(in), MONEY_DP, DEC_HALF_EVEN, &q) < 0)
			return -1;
		if (instrument_is_inverse(in)) {
			*out = q; /* contracts are worth a fixed USD amount each */
			return 0;
		}
	}
	return mulr(q, price, MONEY_DP, DEC_HALF_EVEN, out);
}

dec_t preview_initial_margin(const struct instrument *in, dec_t size, dec_t price, bool isolated,
                             dec_t leverage)
{
	dec_t notional, im, mm, m = dec_zero(), m2;
	if (notional_of(in, size, price, &notional) < 0)
		return dec_zero();
	instrument_margin_rates(in, size, &im, &mm);
	mulr(notional, im, MONEY_DP, DEC_CEIL, &m);
	if (isolated && dec_sign(leverage) > 0 &&
	    divr(notional, leverage, MONEY_DP, DEC_CEIL, &m2) == 0 && dec_gt(m2, m))
		m = m2;
	return m;
}

bool preview_liquidation(const struct instrument *in, dec_t size, dec_t entry, bool isolated,
                         dec_t leverage, dec_t collateral, dec_t *liq)
{
	if (!is_linear_futures(in) || dec_is_zero(size) || dec_sign(entry) <= 0)
		return false;
	dec_t q, k, num, den, im, mm, one = dec_from_int(1), f;
	if (mulr(dabs(size), contract_size(in), MONEY_DP, DEC_HALF_EVEN, &q) < 0 || dec_is_zero(q))
		return false;
	instrument_margin_rates(in, size, &im, &mm);
	if (isolated) {
		if (dec_sign(leverage) <= 0 || mulr(q, entry, MONEY_DP, DEC_HALF_EVEN, &k) < 0 ||
		    divr(k, leverage, MONEY_DP, DEC_HALF_EVEN, &k) < 0)
			return false;
	} else {
		k = collateral;
	}
	bool longp = dec_sign(size) > 0;
	/* long: (E*Q - K) / (Q*(1 - mm)); short: (E*Q + K) / (Q*(1 + mm)) */
	if (mulr(entry, q, MONEY_DP, DEC_HALF_EVEN, &num) < 0 ||
	    (longp ? dec_sub(num, k, &num) : dec_add(num, k, &num)) < 0 ||
	    (longp ? dec_sub(one, mm, &f) : dec_add(one, mm, &f)) < 0 ||
	    mulr(q, f, MONEY_DP + 4, DEC_HALF_EVEN, &den) < 0 || dec_sign(den) <= 0)
		return false;
	if (dec_sign(num) <= 0)
		return false;
	if (divr(num, den, in->price_dp, longp ? DEC_CEIL : DEC_FLOOR, liq) < 0)
		return false;
	return dec_sign(*liq) > 0;
}

/* a / b for __int128, rounded half-even (b > 0). */
static __int128 div_half_even(__int128 a, __int128 b)
{
	__int128 q = a / b, r = a % b;
	if (r < 0) {
		r = -r;
	}
	__int128 twice = 2 * r;
	if (twice > b || (twice == b && (q & 1)))
		q += a < 0 ? -1 : 1;
	return q;
}

static __int128 pow10_128(unsigned n)
{
	__int128 p = 1;
	while (n--)
		p *= 10;
	return p;
}

/* Spend a quote amount on the book (viqc market buy): base filled, cost. */
static bool walk_quote(const struct book *b, dec_t quote, int64_t *filled, __int128 *cost,
                       int64_t *worst)
{
	unsigned cs = (unsigned)b->pscale + b->qscale;
	__int128 budget = quote.m;
	if (cs >= quote.s)
		budget *= pow10_128(cs - quote.s);
	else
		budget /= pow10_128(quote.s - cs);
	__int128 c = 0;
	int64_t f = 0, w = 0;
	size_t n = book_count(b, SIDE_SELL);
	for (size_t i = 0; i < n && c < budget; i++) {
		const struct book_level *l = book_level_at(b, SIDE_SELL, i);
		__int128 lc = (__int128)l->qty * l->px;
		int64_t take = l->qty;
		if (c + lc > budget) {
			take = (int64_t)((budget - c) / l->px);
			lc = (__int128)take * l->px;
		}
		if (take <= 0)
			break;
		c += lc;
		f += take;
		w = l->px;
	}
	*filled = f;
	*cost = c;
	*worst = w;
	return budget - c < (__int128)(w ? w : 1); /* less than one unit of size left */
}

/* Market orders: walk the local book for the average and worst fill. */
static void walk_book(const struct market *m, const struct order_req *req,
                      struct order_preview *out)
{
	const struct book *b = &m->book;
	enum side opp = req->side == SIDE_BUY ? SIDE_SELL : SIDE_BUY;
	struct book_level best;
	if (!book_best(b, opp, &best))
		return;
	int64_t filled = 0, worst = 0;
	__int128 cost = 0;
	bool full;
	if (req->qty_in_quote && req->side == SIDE_BUY) {
		full = walk_quote(b, req->qty, &filled, &cost, &worst);
	} else {
		dec_t q;
		int64_t units;
		if (dec_rescale(req->qty, b->qscale, DEC_DOWN, &q) < 0 ||
		    dec_to_scaled(q, b->qscale, &units) < 0 || units <= 0)
			return;
		full = book_walk(b, req->side, units, &filled, &cost, &worst);
	}
	if (filled <= 0)
		return;
	unsigned extra = b->pscale + 4u <= DEC_MAX_SCALE ? 4u : 0u;
	__int128 avg = div_half_even(cost * pow10_128(extra), filled);
	if (avg > DEC_MANT_MAX)
		return;
	out->walked = true;
	out->book_fills = full;
	out->walk_filled = book_qty_dec(b, filled);
	out->walk_avg = dec_normalize(dec_make((int64_t)avg, b->pscale + extra));
	out->walk_worst = book_px_dec(b, worst);
	out->walk_best = book_px_dec(b, best.px);
	dec_t d;
	if (req->side == SIDE_BUY)
		dec_sub(out->walk_avg, out->walk_best, &d);
	else
		dec_sub(out->walk_best, out->walk_avg, &d);
	if (mulr(d, dec_from_int(10000), MONEY_DP, DEC_HALF_EVEN, &d) == 0)
		divr(d, out->walk_best, 2, DEC_HALF_EVEN, &out->slippage_bps);
}

/* Trailing types: the trigger (and limit) the offsets imply right now. */
static bool trailing_price(const struct state *st, const struct instrument *in,
                           const struct order_req *req, dec_t *out)
{
	dec_t ref = order_reference_price(st, req->instr, req->signal), off, px;
	if (dec_is_zero(ref))
		return false;
	bool sell = req->side == SIDE_SELL;
	off = req->trail_offset;
	if (req->trail_pct && mulr(ref, off, MONEY_DP, DEC_HALF_EVEN, &off) == 0)
		divr(off, dec_from_int(100), in->price_dp, DEC_HALF_EVEN, &off);
	if ((sell ? dec_sub(ref, off, &px) : dec_add(ref, off, &px)) < 0)
		return false;
	if (req->type == OT_TRAILING_STOP_LIMIT && dec_sign(req->trail_limit_offset) > 0) {
		off = req->trail_limit_offset;
		if (req->trail_limit_pct && mulr(px, off, MONEY_DP, DEC_HALF_EVEN, &off) == 0)
			divr(off, dec_from_int(100), in->price_dp, DEC_HALF_EVEN, &off);
		if ((sell ? dec_sub(px, off, &px) : dec_add(px, off, &px)) < 0)
			return false;
	}
	*out = px;
	return dec_sign(px) > 0;
}

/* Does a limit order cross the book now (fill as a taker)? */
static bool crosses(const struct market *m, const struct order_req *req)
{
	if (!m)
		return false;
	struct book_level l;
	if (!book_best(&m->book, req->side == SIDE_BUY ? SIDE_SELL : SIDE_BUY, &l))
		return false;
	dec_t touch = book_px_dec(&m->book, l.px);
	return req->side == SIDE_BUY ? dec_ge(req->limit_price, touch)
	                             : dec_le(req->limit_price, touch);
}

static void price_and_fee(const struct state *st, const struct instrument *in,
                          const struct market *m, const struct order_req *req,
                          struct order_preview *out)
{
	dec_t px = dec_zero();
	bool has = false;
	if (req->type == OT_MARKET) {
		if (m)
			walk_book(m, req, out);
		px = out->walked ? out->walk_avg : out->ref_price;
		has = !dec_is_zero(px);
	} else if (order_type_has_limit(req->type)) {
		px = req->limit_price;
		has = dec_sign(px) > 0;
	} else if (order_type_has_trigger(req->type)) {
		px = req->trigger_price;
		has = dec_sign(px) > 0;
	} else if (order_type_is_trailing(req->type)) {
		has = trailing_price(st, in, req, &px);
	}
	out->has_price = has;
	out->price = has ? px : dec_zero();

	/* Size in base units and the notional. */
	if (req->qty_in_quote) {
		out->notional = req->qty;
		if (out->walked && out->book_fills)
			out->base_qty = out->walk_filled;
		else if (has)
			divr(req->qty, px, in->qty_dp, DEC_DOWN, &out->base_qty);
	} else {
		out->base_qty = req->qty;
		if (in->product == PRODUCT_FUTURES)
			mulr(req->qty, contract_size(in), MONEY_DP, DEC_HALF_EVEN, &out->base_qty);
		if (has)
			notional_of(in, req->qty, px, &out->notional);
	}

	bool maker = req->post_only;
	if (!maker && (req->type == OT_LIMIT || req->type == OT_ICEBERG))
		maker = req->tif != TIF_IOC && req->tif != TIF_FOK && !crosses(m, req);
	out->maker = maker;
	out->fee_rate = maker ? in->fee_maker : in->fee_taker;
	if (!dec_is_zero(out->notional))
		mulr(out->notional, out->fee_rate, MONEY_DP, DEC_CEIL, &out->fee);
}

/* Position before/after, average entry and realized PnL. */
static void position_after(const struct state *st, const struct instrument *in,
                           const struct order_req *req, struct order_preview *out, dec_t *q_added)
{
	*q_added = dec_zero();
	if (in->product == PRODUCT_SPOT && req->leverage == 0) {
		const struct balance *b = state_balance(st, in->base);
		out->is_balance = true;
		out->pos_before = b ? b->total : dec_zero();
		(req->side == SIDE_BUY ? dec_add : dec_sub)(out->pos_before, out->base_qty,
		                                            &out->pos_after);
		return;
	}
	const struct position *p = state_position(st, req->instr);
	dec_t s0 = p ? p->size : dec_zero(), e0 = p ? p->entry : dec_zero();
	dec_t q = in->product == PRODUCT_FUTURES ? req->qty : out->base_qty;
	if (req->reduce_only) {
		int want = req->side == SIDE_BUY ? -1 : 1;
		q = dec_sign(s0) == want ? dec_min(q, dabs(s0)) : dec_zero();
	}
	dec_t delta = q, s1;
	if (req->side == SIDE_SELL)
		dec_neg(q, &delta);
	if (dec_add(s0, delta, &s1) < 0)
		return;
	out->pos_before = s0;
	out->pos_after = s1;
	dec_t a0 = dabs(s0), a1 = dabs(s1);
	if (dec_gt(a1, a0))
		dec_sub(a1, a0, q_added);
	if (!out->has_price || dec_is_zero(s1))
		return;
	dec_t px = out->price;
	out->has_entry = true;
	if (dec_is_zero(s0) || dec_sign(s0) == dec_sign(delta)) {
		/* Adding: size-weighted average of the old entry and the fill. */
		dec_t c0, c1, sum;
		if (mulr(a0, e0, MONEY_DP, DEC_HALF_EVEN, &c0) < 0 ||
		    mulr(q, px, MONEY_DP, DEC_HALF_EVEN, &c1) < 0 || dec_add(c0, c1, &sum) < 0 ||
		    divr(sum, a1, MONEY_DP, DEC_HALF_EVEN, &out->entry_after) < 0)
			out->has_entry = false;
		out->entry_after = dec_normalize(out->entry_after);
		return;
	}
	/* Reducing (or flipping): the closed part realizes PnL at the old entry. */
	dec_t closed = dec_min(q, a0), d, pnl;
	out->entry_after = dec_gt(q, a0) ? px : e0;
	if (instrument_is_inverse(in))
		return;
	if (dec_sign(s0) > 0)
		dec_sub(px, e0, &d);
	else
		dec_sub(e0, px, &d);
	if (in->product == PRODUCT_FUTURES)
		mulr(closed, contract_size(in), MONEY_DP, DEC_HALF_EVEN, &closed);
	if (mulr(d, closed, MONEY_DP, DEC_HALF_EVEN, &pnl) == 0) {
		out->has_pnl = true;
		out->realized_pnl = pnl;
	}
}

static void margin_and_liq(const struct state *st, const struct instrument *in,
                           const struct order_req *req, struct order_preview *out, dec_t added)
{
	if (in->product == PRODUCT_SPOT) {
		if (req->leverage <= 0 || !out->has_price)
			return;
		dec_t lev = dec_from_int(req->leverage), n;
		out->has_margin = true;
		divr(dec_from_int(1), lev, MONEY_DP, DEC_HALF_EVEN, &out->margin_rate);
		if (notional_of(in, added, out->price, &n) == 0)
			divr(n, lev, MONEY_DP, DEC_CEIL, &out->margin);
		return;
	}
	const struct position *p = state_position(st, req->instr);
	bool iso = p && p->isolated && dec_sign(p->max_leverage) > 0;
	dec_t lev = iso ? p->max_leverage : dec_zero();
	dec_t im, mm;
	instrument_margin_rates(in, req->qty, &im, &mm);
	out->margin_rate = im;
	if (iso) {
		dec_t r;
		if (divr(dec_from_int(1), lev, MONEY_DP, DEC_HALF_EVEN, &r) == 0 && dec_gt(r, im))
			out->margin_rate = r;
	}
	if (!out->has_price)
		return;
	out->has_margin = true;
	dec_t n, m1 = dec_zero(), m2;
	if (notional_of(in, added, out->price, &n) == 0) {
		mulr(n, im, MONEY_DP, DEC_CEIL, &m1);
		if (iso && divr(n, lev, MONEY_DP, DEC_CEIL, &m2) == 0 && dec_gt(m2, m1))
			m1 = m2;
	}
	out->margin = m1;
	if (!out->has_entry || instrument_is_inverse(in))
		return;
	dec_t k = dec_zero();
	if (!iso) {
		if (!st->fut.valid)
			return;
		dec_t held = dec_zero();
		if (p && !dec_is_zero(p->size))
			held = !dec_is_zero(p->initial_margin)
			               ? p->initial_margin
			               : preview_initial_margin(in, p->size, p->entry, false, lev);
		if (dec_add(st->fut.available_margin, held, &k) < 0 || dec_sub(k, out->fee, &k) < 0)
			return;
	}
	out->liq_isolated = iso;
	out->liq_leverage = lev;
	out->has_liq = preview_liquidation(in, out->pos_after, out->entry_after, iso, lev, k,
	                                   &out->liq_price);
}

static void distance(const struct order_req *req, struct order_preview *out)
{
	dec_t px = dec_zero(), d;
	if (order_type_has_trigger(req->type))
		px = req->trigger_price;
	else if (req->type == OT_MARKET)
		px = out->walked ? out->walk_worst : dec_zero();
	else if (out->has_price)
		px = out->price;
	if (dec_sign(px) <= 0 || dec_sign(out->ref_price) <= 0)
		return;
	if (dec_sub(px, out->ref_price, &d) < 0 ||
	    mulr(d, dec_from_int(100), MONEY_DP, DEC_HALF_EVEN, &d) < 0 ||
	    divr(d, out->ref_price, 2, DEC_HALF_EVEN, &out->distance_pct) < 0)
		return;
	out->has_distance = true;
}

int order_preview(const struct state *st, const struct order_req *req, struct order_preview *out)
{
	memset(out, 0, sizeof *out);
	const struct instrument *in = state_instrument(st, req->instr);
	if (!in)
		return -1;
	const struct market *m = state_market_peek(st, req->instr);
	out->inverse = instrument_is_inverse(in);
	snprintf(out->base, sizeof out->base, "%s", in->base);
	snprintf(out->quote, sizeof out->quote, "%s", in->quote);
	out->ref_signal = in->product == PRODUCT_FUTURES ? TRIG_MARK : TRIG_LAST;
	out->ref_price = order_reference_price(st, req->instr, out->ref_signal);
	price_and_fee(st, in, m, req, out);
	dec_t added;
	position_after(st, in, req, out, &added);
	margin_and_liq(st, in, req, out, added);
	distance(req, out);
	return 0;
}
