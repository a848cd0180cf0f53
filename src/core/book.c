/* book: sorted-array L2 book with the best level at the top of each array. */
#include "core/book.h"

#include <stdlib.h>
#include <string.h>

#include "base/crc32.h"
#include "base/xalloc.h"

void book_init(struct book *b, unsigned pscale, unsigned qscale, size_t depth)
{
	memset(b, 0, sizeof *b);
	b->pscale = (uint8_t)pscale;
	b->qscale = (uint8_t)qscale;
	b->depth = depth;
}

void book_free(struct book *b)
{
	free(b->bids.lv);
	free(b->asks.lv);
	b->bids.lv = b->asks.lv = NULL;
	b->bids.cap = b->asks.cap = 0;
	book_clear(b);
}

void book_clear(struct book *b)
{
	b->bids.start = b->bids.n = 0;
	b->asks.start = b->asks.n = 0;
	b->valid = false;
	b->seq = 0;
}

static struct book_side *side_of(struct book *b, enum side s)
{
	return s == SIDE_BUY ? &b->bids : &b->asks;
}

static const struct book_side *cside_of(const struct book *b, enum side s)
{
	return s == SIDE_BUY ? &b->bids : &b->asks;
}

/* "Better" order key: bids are better when higher, asks when lower. Arrays are
 * sorted by ascending key, so the best level is last. */
static inline int64_t key_of(enum side s, int64_t px) { return s == SIDE_BUY ? px : -px; }

/* Index (relative to start) of the first level whose key >= k. */
static size_t lower_bound(const struct book_side *sd, enum side s, int64_t k)
{
	size_t lo = 0, hi = sd->n;
	if (!hi)
		return 0; /* (an empty side may have no array: NULL + 0 is undefined) */
	const struct book_level *lv = sd->lv + sd->start;
	/* Most updates touch the top: check there before the binary search. */
	if (key_of(s, lv[hi - 1].px) < k)
		return hi;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (key_of(s, lv[mid].px) < k)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Make room for one more element at the end of the used range. */
static void ensure_tail_room(struct book_side *sd)
{
	if (sd->start + sd->n < sd->cap)
		return;
	if (sd->start > 0 && sd->start >= sd->cap / 4) {
		memmove(sd->lv, sd->lv + sd->start, sd->n * sizeof *sd->lv);
		sd->start = 0;
		return;
	}
	size_t cap = sd->cap;
	sd->lv = xgrow(sd->lv, &cap, sd->start + sd->n + 1, sizeof *sd->lv);
	sd->cap = cap;
}

void book_set(struct book *b, enum side s, int64_t px, int64_t qty)
{
	struct book_side *sd = side_of(b, s);
	int64_t k = key_of(s, px);
	size_t i = lower_bound(sd, s, k);
	struct book_level *lv = sd->lv ? sd->lv + sd->start : NULL;
	b->updates++;
	if (i < sd->n && lv[i].px == px) {
		if (qty > 0) {
			lv[i].qty = qty;
			return;
		}
		memmove(lv + i, lv + i + 1, (sd->n - i - 1) * sizeof *lv);
		sd->n--;
		return;
	}
	if (qty <= 0)
		return; /* deleting an absent level is a no-op */
	ensure_tail_room(sd);
	lv = sd->lv + sd->start;
	memmove(lv + i + 1, lv + i, (sd->n - i) * sizeof *lv);
	lv[i].px = px;
	lv[i].qty = qty;
	sd->n++;
}

static void truncate_side(struct book_side *sd, size_t depth)
{
	if (depth && sd->n > depth) {
		sd->start += sd->n - depth;
		sd->n = depth;
	}
}

void book_truncate(struct book *b)
{
	truncate_side(&b->bids, b->depth);
	truncate_side(&b->asks, b->depth);
}

size_t book_count(const struct book *b, enum side s) { return cside_of(b, s)->n; }

const struct book_level *book_level_at(const struct book *b, enum side s, size_t i)
{
	const struct book_side *sd = cside_of(b, s);
	if (i >= sd->n)
		return NULL;
	return &sd->lv[sd->start + sd->n - 1 - i];
}

bool book_best(const struct book *b, enum side s, struct book_level *out)
{
	const struct book_level *l = book_level_at(b, s, 0);
	if (!l)
		return false;
	*out = *l;
	return true;
}

int64_t book_qty_at(const struct book *b, enum side s, int64_t px)
{
	const struct book_side *sd = cside_of(b, s);
	size_t i = lower_bound(sd, s, key_of(s, px));
	if (i < sd->n && sd->lv[sd->start + i].px == px)
		return sd->lv[sd->start + i].qty;
	return 0;
}

/* "00".."99": two digits per division keeps the checksum text cheap (it is
 * built for every Spot book message). */
static const char digit_pairs[] = "00010203040506070809101112131415161718192021222324"
				  "25262728293031323334353637383940414243444546474849"
				  "50515253545556575859606162636465666768697071727374"
				  "75767778798081828384858687888990919293949596979899";

/* Number of decimal digits of u (1 for 0). */
static unsigned ndigits32(uint32_t u)
{
	static const uint32_t pow10[] = {10u,      100u,      1000u,      10000u,     100000u,
					 1000000u, 10000000u, 100000000u, 1000000000u};
	unsigned n = 1;
	while (n < 10 && u >= pow10[n - 1])
		n++;
	return n;
}

/* The n digits of u (n >= its digit count: zero-padded) at out[0..n). */
static void digits32(char *out, uint32_t u, unsigned n)
{
	char *p = out + n;
	while (u >= 100) {
		p -= 2;
		memcpy(p, digit_pairs + 2 * (u % 100), 2);
		u /= 100;
	}
	if (u >= 10) {
		p -= 2;
		memcpy(p, digit_pairs + 2 * u, 2);
	} else {
		*--p = (char)('0' + u);
	}
	while (p > out)
		*--p = '0';
}

/* Decimal digits of a non-negative integer, without leading zeros ("0" for
 * 0), written in place: no temporary and no copy (a copy of freshly stored
 * bytes stalls on store forwarding). 32-bit divisions by constants are much
 * cheaper than 64-bit ones, so the value is cut into 8-digit chunks. */
static size_t put_digits(char *out, int64_t v)
{
	uint64_t u = v < 0 ? 0 : (uint64_t)v;
	if (u < 100000000u) {
		unsigned n = ndigits32((uint32_t)u);
		digits32(out, (uint32_t)u, n);
		return n;
	}
	uint32_t lo = (uint32_t)(u % 100000000u);
	u /= 100000000u;
	size_t n = put_digits(out, (int64_t)u);
	digits32(out + n, lo, 8);
	return n + 8;
}

/* The best 10 levels of a side, best first, as checksum text. */
static size_t put_top10(char *out, const struct book_side *sd)
{
	size_t n = sd->n < 10 ? sd->n : 10, len = 0;
	if (!n)
		return 0;
	const struct book_level *best = sd->lv + sd->start + sd->n - 1;
	for (size_t i = 0; i < n; i++) {
		len += put_digits(out + len, best[-(ptrdiff_t)i].px);
		len += put_digits(out + len, best[-(ptrdiff_t)i].qty);
	}
	return len;
}

uint32_t book_checksum(const struct book *b)
{
	char buf[20 * 2 * 20];
	size_t len = put_top10(buf, &b->asks);
	len += put_top10(buf + len, &b->bids);
	return kt_crc32(0, buf, len);
}

int book_px_from_dec(const struct book *b, dec_t d, int64_t *out)
{
	return dec_to_scaled(d, b->pscale, out);
}

int book_qty_from_dec(const struct book *b, dec_t d, int64_t *out)
{
	return dec_to_scaled(d, b->qscale, out);
}

size_t book_grouped(const struct book *b, enum side s, int64_t step, struct book_level *out,
		    size_t max)
{
	size_t n = 0, cnt = book_count(b, s);
	if (step <= 1) {
		for (size_t i = 0; i < cnt && n < max; i++)
			out[n++] = *book_level_at(b, s, i);
		return n;
	}
	for (size_t i = 0; i < cnt; i++) {
		const struct book_level *l = book_level_at(b, s, i);
		/* bids round down, asks round up, so a bucket never looks better than it is */
		int64_t q = l->px / step, r = l->px % step;
		int64_t bucket = s == SIDE_BUY ? q * step : (q + (r != 0)) * step;
		if (n && out[n - 1].px == bucket) {
			out[n - 1].qty += l->qty;
			continue;
		}
		if (n == max)
			break;
		out[n].px = bucket;
		out[n].qty = l->qty;
		n++;
	}
	return n;
}

bool book_walk(const struct book *b, enum side s, int64_t qty, int64_t *filled, __int128 *cost,
	       int64_t *worst_px)
{
	enum side opp = s == SIDE_BUY ? SIDE_SELL : SIDE_BUY;
	int64_t left = qty;
	__int128 c = 0;
	int64_t worst = 0;
	size_t cnt = book_count(b, opp);
	for (size_t i = 0; i < cnt && left > 0; i++) {
		const struct book_level *l = book_level_at(b, opp, i);
		int64_t take = l->qty < left ? l->qty : left;
		c += (__int128)take * l->px;
		left -= take;
		worst = l->px;
	}
	*filled = qty - left;
	*cost = c;
	*worst_px = worst;
	return left == 0;
}
