/* fut_ws_market: the public Futures feeds — book (snapshot + one-level deltas
 * with per-product seq checking), ticker and trade — applied to the markets
 * of the core state.
 *
 * Books are keyed by integer price units at the instrument's precision
 * (core/book.h). Futures numbers come as JSON numbers; each is converted from
 * its text exactly. If a value ever has more decimals than the book's scale
 * (stale instrument metadata), the book is widened to hold it rather than
 * rounding a price into a neighbouring level. */
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "base/xalloc.h"
#include "kraken/fut_ws_int.h"

/* Decimals a value really needs (trailing zeros do not count). */
static unsigned need_scale(dec_t v)
{
	return dec_normalize(v).s;
}

static int64_t pow10i(unsigned k)
{
	int64_t p = 1;
	while (k--)
		p *= 10;
	return p;
}

/* Rebuild b at larger scales, keeping levels, seq and validity. The new book
 * is swapped in only when every level fits; returns 0 or -1 (b unchanged). */
static int book_widen(struct book *b, unsigned ps, unsigned qs)
{
	if (ps > DEC_MAX_SCALE || qs > DEC_MAX_SCALE)
		return -1;
	int64_t fp = pow10i(ps - b->pscale), fq = pow10i(qs - b->qscale);
	struct book nb;
	book_init(&nb, ps, qs, b->depth);
	static const enum side sides[2] = {SIDE_BUY, SIDE_SELL};
	for (int s = 0; s < 2; s++) {
		/* worst first, so each insert appends at the top */
		for (size_t i = book_count(b, sides[s]); i-- > 0;) {
			const struct book_level *lv = book_level_at(b, sides[s], i);
			int64_t px, q;
			if (__builtin_mul_overflow(lv->px, fp, &px) ||
			    __builtin_mul_overflow(lv->qty, fq, &q)) {
				book_free(&nb);
				return -1;
			}
			book_set(&nb, sides[s], px, q);
		}
	}
	nb.seq = b->seq;
	nb.updates = b->updates;
	nb.valid = b->valid;
	book_free(b);
	*b = nb;
	return 0;
}

/* Price and size in b's units, widening b first if the text needs more
 * decimals than b holds. */
static int level_units(struct fws_ctx *x, struct book *b, dec_t px, dec_t qty, int64_t *upx,
                       int64_t *uqty)
{
	unsigned ps = need_scale(px), qs = need_scale(qty);
	if (ps > b->pscale || qs > b->qscale) {
		unsigned nps = ps > b->pscale ? ps : b->pscale;
		unsigned nqs = qs > b->qscale ? qs : b->qscale;
		LOGD("fut ws: widening the book to %u/%u decimals", nps, nqs);
		if (book_widen(b, nps, nqs) < 0)
			return fws_fail(x, FWS_E_NUMBER, "a price or size does not fit the book");
	}
	if (dec_to_scaled(px, b->pscale, upx) < 0 || dec_to_scaled(qty, b->qscale, uqty) < 0)
		return fws_fail(x, FWS_E_NUMBER, "a price or size does not fit the book");
	return 0;
}

/* One {price, qty} level ([price, qty] accepted too) into a scratch level. */
static int parse_level(struct fws_ctx *x, int tok, struct fws_level *out)
{
	int p, q;
	if (jtok_is(x->d, tok, J_OBJ)) {
		p = jobj_get(x->d, tok, "price");
		q = jobj_get(x->d, tok, "qty");
	} else if (jtok_is(x->d, tok, J_ARR)) {
		p = jarr_at(x->d, tok, 0);
		q = jarr_at(x->d, tok, 1);
	} else {
		return fws_fail(x, FWS_E_SHAPE, "a book level is not an object");
	}
	if (p < 0 || q < 0)
		return fws_fail(x, FWS_E_SHAPE, "a book level lacks price or qty");
	if (fws_tok_dec_exact(x, p, "price", &out->px) < 0 ||
	    fws_tok_dec_exact(x, q, "qty", &out->qty) < 0)
		return -1;
	if (dec_sign(out->qty) < 0)
		return fws_fail(x, FWS_E_NUMBER, "a book level has a negative qty");
	return 0;
}

/* Both sides of a snapshot into the codec's scratch levels: bids first. */
static int parse_sides(struct fws_ctx *x, int bids, int asks, size_t *nb, size_t *na)
{
	struct fut_ws_codec *c = x->c;
	size_t n = jtok_size(x->d, bids) + jtok_size(x->d, asks);
	if (n > c->lv_cap) {
		size_t cap = c->lv_cap;
		c->lv = xgrow(c->lv, &cap, n, sizeof *c->lv);
		c->lv_cap = cap;
	}
	size_t i = 0;
	for (int k = jfirst(x->d, bids); k >= 0; k = jnext(x->d, bids, k))
		if (parse_level(x, k, &c->lv[i++]) < 0)
			return -1;
	*nb = i;
	for (int k = jfirst(x->d, asks); k >= 0; k = jnext(x->d, asks, k))
		if (parse_level(x, k, &c->lv[i++]) < 0)
			return -1;
	*na = i - *nb;
	return 0;
}

static void copy_product(struct fws_ctx *x, int tok)
{
	jtok_str(x->d, tok, x->out->product, sizeof x->out->product);
}

int fws_book_snapshot(struct fws_ctx *x, int obj)
{
	const struct jdoc *d = x->d;
	int prod = jobj_get(d, obj, "product_id");
	if (!jtok_is(d, prod, J_STR))
		return fws_fail(x, FWS_E_SHAPE, "missing \"product_id\"");
	copy_product(x, prod);
	int64_t seq = 0, ts = 0;
	int bids = fws_req_arr(x, obj, "bids");
	int asks = bids < 0 ? -1 : fws_req_arr(x, obj, "asks");
	if (asks < 0 || fws_req_ms(x, obj, "seq", &seq) < 0 ||
	    fws_opt_ms(x, obj, "timestamp", &ts) < 0)
		return -1;
	if (seq < 0)
		return fws_fail(x, FWS_E_NUMBER, "negative \"seq\"");
	size_t nb, na;
	if (parse_sides(x, bids, asks, &nb, &na) < 0)
		return -1;
	x->out->time_ms = ts;
	int idx = fws_instr_tok(x, prod);
	x->out->instr = idx;
	if (idx < 0)
		return 0; /* a product we do not know: nothing to update */

	/* Scales: the book's (from the instrument) unless the text needs more. */
	struct market *m = state_market(x->st, idx);
	struct book *b = &m->book;
	unsigned ps = b->pscale, qs = b->qscale;
	const struct fws_level *lv = x->c->lv;
	for (size_t i = 0; i < nb + na; i++) {
		unsigned p = need_scale(lv[i].px), q = need_scale(lv[i].qty);
		ps = p > ps ? p : ps;
		qs = q > qs ? q : qs;
	}
	int64_t probe;
	for (size_t i = 0; i < nb + na; i++)
		if (ps > DEC_MAX_SCALE || qs > DEC_MAX_SCALE ||
		    dec_to_scaled(lv[i].px, ps, &probe) < 0 ||
		    dec_to_scaled(lv[i].qty, qs, &probe) < 0)
			return fws_fail(x, FWS_E_NUMBER, "a price or size does not fit the book");

	/* Apply: every check has passed. */
	if (ps != b->pscale || qs != b->qscale) {
		size_t depth = b->depth;
		book_free(b);
		book_init(b, ps, qs, depth);
	} else {
		book_clear(b);
	}
	/* Kraken lists each side best first; insert worst first (appends). */
	for (size_t i = nb; i-- > 0;) {
		int64_t px, q;
		dec_to_scaled(lv[i].px, ps, &px);
		dec_to_scaled(lv[i].qty, qs, &q);
		book_set(b, SIDE_BUY, px, q);
	}
	for (size_t i = nb + na; i-- > nb;) {
		int64_t px, q;
		dec_to_scaled(lv[i].px, ps, &px);
		dec_to_scaled(lv[i].qty, qs, &q);
		book_set(b, SIDE_SELL, px, q);
	}
	b->seq = (uint64_t)seq;
	b->valid = true;
	if (m->stale)
		m->resyncs++;
	m->stale = false;
	m->book_subscribed = true;
	m->book_updated_ms = ts;
	x->out->count = nb + na;
	state_changed(x->st, EV_BOOK, idx);
	return 0;
}

/* The hot path: one level. Keys are visited once instead of looked up. */
int fws_book_delta(struct fws_ctx *x, int obj)
{
	const struct jdoc *d = x->d;
	int prod = -1, side = -1, seqt = -1, pricet = -1, qtyt = -1, tst = -1;
	for (int k = jfirst(d, obj); k >= 0; k = jnext(d, obj, k)) {
		size_t kl;
		const char *ks = jtok_raw(d, k, &kl);
		switch (kl) {
		case 3:
			if (memcmp(ks, "seq", 3) == 0)
				seqt = k + 1;
			else if (memcmp(ks, "qty", 3) == 0)
				qtyt = k + 1;
			break;
		case 4:
			if (memcmp(ks, "side", 4) == 0)
				side = k + 1;
			break;
		case 5:
			if (memcmp(ks, "price", 5) == 0)
				pricet = k + 1;
			break;
		case 9:
			if (memcmp(ks, "timestamp", 9) == 0)
				tst = k + 1;
			break;
		case 10:
			if (memcmp(ks, "product_id", 10) == 0)
				prod = k + 1;
			break;
		}
	}
	if (!jtok_is(d, prod, J_STR))
		return fws_fail(x, FWS_E_SHAPE, "missing \"product_id\"");
	enum side sd;
	if (jstr_eq(d, side, "buy"))
		sd = SIDE_BUY;
	else if (jstr_eq(d, side, "sell"))
		sd = SIDE_SELL;
	else
		return fws_fail(x, FWS_E_SHAPE, "\"side\" is not buy or sell");
	if (seqt < 0 || pricet < 0 || qtyt < 0)
		return fws_fail(x, FWS_E_SHAPE, "missing %s",
		                seqt < 0     ? "\"seq\""
		                : pricet < 0 ? "\"price\""
		                             : "\"qty\"");
	int64_t seq, ts = 0;
	dec_t px, qty;
	if (fws_tok_ms(x, seqt, "seq", &seq) < 0 ||
	    fws_tok_dec_exact(x, pricet, "price", &px) < 0 ||
	    fws_tok_dec_exact(x, qtyt, "qty", &qty) < 0 ||
	    (tst >= 0 && fws_tok_ms(x, tst, "timestamp", &ts) < 0))
		return -1;
	if (dec_sign(qty) < 0 || seq < 0)
		return fws_fail(x, FWS_E_NUMBER, "negative \"%s\"", seq < 0 ? "seq" : "qty");
	x->out->time_ms = ts;
	int idx = fws_instr_tok(x, prod);
	x->out->instr = idx;
	if (idx < 0) {
		copy_product(x, prod);
		return 0;
	}
	struct market *m = state_market(x->st, idx);
	struct book *b = &m->book;
	if (!b->valid || (uint64_t)seq <= b->seq) {
		/* waiting for a snapshot, or older than what the book holds */
		x->out->dropped = true;
		return 0;
	}
	if ((uint64_t)seq != b->seq + 1) {
		m->seq_gaps++;
		m->stale = true;
		b->valid = false;
		x->out->resync = true;
		copy_product(x, prod);
		LOGW("fut ws: %s book seq gap (%llu after %llu); resyncing", x->out->product,
		     (unsigned long long)seq, (unsigned long long)b->seq);
		state_changed(x->st, EV_BOOK, idx);
		return 0;
	}
	int64_t upx, uqty;
	if (level_units(x, b, px, qty, &upx, &uqty) < 0)
		return -1;
	book_set(b, sd, upx, uqty);
	b->seq = (uint64_t)seq;
	m->book_updated_ms = ts;
	x->out->count = 1;
	state_changed(x->st, EV_BOOK, idx);
	return 0;
}

/* A ticker field into *v, setting bit in *has when present. */
static int tk_field(struct fws_ctx *x, int obj, const char *key, dec_t *v, unsigned *has,
                    unsigned bit)
{
	bool present;
	if (fws_opt_dec(x, obj, key, v, &present) < 0)
		return -1;
	if (present)
		*has |= bit;
	return 0;
}

int fws_ticker(struct fws_ctx *x, int obj)
{
	const struct jdoc *d = x->d;
	int prod = jobj_get(d, obj, "product_id");
	if (!jtok_is(d, prod, J_STR))
		return fws_fail(x, FWS_E_SHAPE, "missing \"product_id\"");
	copy_product(x, prod);
	int idx = fws_instr_tok(x, prod);
	x->out->instr = idx;
	struct ticker t;
	const struct market *old = state_market_peek(x->st, idx);
	if (old)
		t = old->ticker;
	else
		memset(&t, 0, sizeof t);
	unsigned has = 0;
	bool full = strcmp(x->out->feed, "ticker") == 0; /* ticker_lite carries fewer fields */
	dec_t fr = dec_zero(), frp = dec_zero(), rfr = dec_zero(), rfrp = dec_zero();
	unsigned fund = 0;
	if (tk_field(x, obj, "last", &t.last, &has, TK_LAST) < 0 ||
	    tk_field(x, obj, "bid", &t.bid, &has, TK_BBO) < 0 ||
	    tk_field(x, obj, "ask", &t.ask, &has, TK_BBO) < 0 ||
	    tk_field(x, obj, "bid_size", &t.bid_qty, &has, TK_BBO) < 0 ||
	    tk_field(x, obj, "ask_size", &t.ask_qty, &has, TK_BBO) < 0 ||
	    tk_field(x, obj, "volume", &t.volume, &has, TK_VOLUME) < 0 ||
	    tk_field(x, obj, "change", &t.change_pct, &has, TK_CHANGE) < 0 ||
	    tk_field(x, obj, "open", &t.open24h, &has, TK_CHANGE) < 0 ||
	    tk_field(x, obj, "high", &t.high, &has, TK_HIGHLOW) < 0 ||
	    tk_field(x, obj, "low", &t.low, &has, TK_HIGHLOW) < 0 ||
	    tk_field(x, obj, "markPrice", &t.mark, &has, TK_MARK) < 0 ||
	    tk_field(x, obj, "index", &t.index, &has, TK_INDEX) < 0 ||
	    tk_field(x, obj, "openInterest", &t.open_interest, &has, TK_OI) < 0 ||
	    tk_field(x, obj, "funding_rate", &fr, &fund, TK_FUNDING) < 0 ||
	    tk_field(x, obj, "funding_rate_prediction", &frp, &fund, TK_FUNDING) < 0 ||
	    tk_field(x, obj, "relative_funding_rate", &rfr, &fund, TK_FUNDING) < 0 ||
	    tk_field(x, obj, "relative_funding_rate_prediction", &rfrp, &fund, TK_FUNDING) < 0)
		return -1;
	int64_t next_ms = 0, time_ms = 0;
	bool has_next = jobj_get(d, obj, "next_funding_rate_time") >= 0;
	if (fws_opt_ms(x, obj, "next_funding_rate_time", &next_ms) < 0 ||
	    fws_opt_ms(x, obj, "time", &time_ms) < 0)
		return -1;
	x->out->time_ms = time_ms;
	if (idx < 0)
		return 0;
	/* Funding fields are left out when zero: on a perpetual's full ticker an
	 * absent field means 0, not "unchanged". The time is absolute epoch ms
	 * (kraken-protocol.md §8). */
	bool perp = instrument_is_perp(state_instrument(x->st, idx));
	if (fund || (full && perp)) {
		t.funding_rate = fr;
		t.funding_rate_pred = frp;
		t.rel_funding_rate = rfr;
		t.rel_funding_rate_pred = rfrp;
		has |= TK_FUNDING;
	}
	if (has_next)
		t.next_funding_ms = next_ms;
	t.has |= has;
	if (time_ms)
		t.updated_ms = time_ms;
	struct market *m = state_market(x->st, idx);
	m->ticker = t;
	x->out->count = 1;
	state_changed(x->st, EV_TICKER, idx);
	return 0;
}

struct fws_trade {
	struct trade t;
	int64_t seq;
};

static int parse_trade(struct fws_ctx *x, int obj, struct fws_trade *out)
{
	const struct jdoc *d = x->d;
	memset(out, 0, sizeof *out);
	int side = jobj_get(d, obj, "side");
	if (jstr_eq(d, side, "buy"))
		out->t.side = SIDE_BUY;
	else if (jstr_eq(d, side, "sell"))
		out->t.side = SIDE_SELL;
	else
		return fws_fail(x, FWS_E_SHAPE, "a trade's \"side\" is not buy or sell");
	if (fws_req_dec(x, obj, "price", &out->t.price) < 0 ||
	    fws_req_dec(x, obj, "qty", &out->t.qty) < 0 ||
	    fws_req_ms(x, obj, "time", &out->t.time_ms) < 0 ||
	    fws_opt_ms(x, obj, "seq", &out->seq) < 0)
		return -1;
	int type = jobj_get(d, obj, "type");
	out->t.liquidation = jstr_eq(d, type, "liquidation");
	return 0;
}

static int trade_cmp(const void *a, const void *b)
{
	const struct fws_trade *x = a, *y = b;
	if (x->t.time_ms != y->t.time_ms)
		return x->t.time_ms < y->t.time_ms ? -1 : 1;
	return (x->seq > y->seq) - (x->seq < y->seq);
}

int fws_trades(struct fws_ctx *x, int obj, bool snapshot)
{
	const struct jdoc *d = x->d;
	int prod = jobj_get(d, obj, "product_id");
	if (!jtok_is(d, prod, J_STR))
		return fws_fail(x, FWS_E_SHAPE, "missing \"product_id\"");
	copy_product(x, prod);
	int arr = snapshot ? fws_req_arr(x, obj, "trades") : -1;
	if (snapshot && arr < 0)
		return -1;
	size_t n = snapshot ? jtok_size(d, arr) : 1;
	struct fws_trade *tr = fws_scratch(x->c, n ? n : 1, sizeof *tr);
	if (snapshot) {
		size_t i = 0;
		for (int k = jfirst(d, arr); k >= 0; k = jnext(d, arr, k))
			if (parse_trade(x, k, &tr[i++]) < 0)
				return -1;
		qsort(tr, n, sizeof *tr, trade_cmp); /* Kraken lists newest first */
	} else if (parse_trade(x, obj, &tr[0]) < 0) {
		return -1;
	}
	int idx = fws_instr_tok(x, prod);
	x->out->instr = idx;
	if (idx < 0)
		return 0;
	struct market *m = state_market(x->st, idx);
	if (snapshot)
		m->trades.head = m->trades.n = 0;
	for (size_t i = 0; i < n; i++) {
		trade_ring_push(&m->trades, &tr[i].t);
		/* Kraken Futures has no candle feed: the chart is built from trades. */
		candle_series_add_trade(&m->candles, &tr[i].t);
	}
	if (n)
		state_changed(x->st, EV_CANDLES, idx);
	x->out->count = n;
	if (n)
		x->out->time_ms = tr[n - 1].t.time_ms;
	state_changed(x->st, EV_TRADES, idx);
	return 0;
}
