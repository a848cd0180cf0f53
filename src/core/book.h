/* book: an L2 order book, fast enough for the heaviest Kraken feeds.
 *
 * Prices and sizes are int64 counts of the book's fixed scales (pscale,
 * qscale decimal places): for Spot these are the instrument's price_precision
 * and qty_precision, which is exactly what the WS v2 checksum needs (a
 * level's checksum text is just the decimal digits of those integers).
 * Each side is a sorted array with the BEST level at the highest index, so
 * the frequent changes near the top move few bytes, and cutting the worst
 * levels after an update is an index bump. No allocation per update once the
 * arrays have grown. */
#ifndef KT_CORE_BOOK_H
#define KT_CORE_BOOK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/dec.h"
#include "core/types.h"

struct book_level {
	int64_t px;  /* price in units of 10^-pscale */
	int64_t qty; /* size in units of 10^-qscale */
};

struct book_side {
	struct book_level *lv; /* lv[start .. start+n) sorted worst -> best */
	size_t start, n, cap;
};

struct book {
	uint8_t pscale, qscale;
	size_t depth;           /* levels kept per side (0 = unlimited) */
	struct book_side bids, asks;
	uint64_t seq;           /* last applied sequence (futures) */
	uint64_t updates;       /* levels applied since creation */
	bool valid;             /* false until a snapshot, and after a detected gap/mismatch */
};

void book_init(struct book *b, unsigned pscale, unsigned qscale, size_t depth);
void book_free(struct book *b);
/* Drop every level (before a snapshot); keeps the arrays. */
void book_clear(struct book *b);
/* Set a level: qty 0 deletes it. O(log n) search plus a short move near the top. */
void book_set(struct book *b, enum side side, int64_t px, int64_t qty);
/* Cut each side to `depth` levels (Spot v2: after every message). */
void book_truncate(struct book *b);
size_t book_count(const struct book *b, enum side side);
/* The i-th best level (0 = best); NULL past the end. */
const struct book_level *book_level_at(const struct book *b, enum side side, size_t i);
/* Best bid/ask; false when that side is empty. */
bool book_best(const struct book *b, enum side side, struct book_level *out);
/* Quantity resting at an exact price (0 when none). */
int64_t book_qty_at(const struct book *b, enum side side, int64_t px);
/* Kraken Spot v2 checksum: CRC32 of the top 10 asks (low->high) then the top
 * 10 bids (high->low), each level as price digits then qty digits. */
uint32_t book_checksum(const struct book *b);

/* Conversions between exact decimals and the book's integer units. Fail (-1)
 * when the value has more decimals than the scale allows. */
int book_px_from_dec(const struct book *b, dec_t d, int64_t *out);
int book_qty_from_dec(const struct book *b, dec_t d, int64_t *out);
static inline dec_t book_px_dec(const struct book *b, int64_t px) { return dec_make(px, b->pscale); }
static inline dec_t book_qty_dec(const struct book *b, int64_t q) { return dec_make(q, b->qscale); }

/* Group levels into buckets of `step` price units (a multiple of the tick),
 * bids rounded down and asks up, summing quantities: writes up to `max`
 * grouped levels best-first and returns how many. */
size_t book_grouped(const struct book *b, enum side side, int64_t step, struct book_level *out,
		    size_t max);

/* Walk the book as a market order of `qty` on `side` (buy walks asks): the
 * quantity that would fill, its cost in px*qty units (scale pscale+qscale)
 * and the worst price reached. Returns false if the book cannot fill it all. */
bool book_walk(const struct book *b, enum side side, int64_t qty, int64_t *filled,
	       __int128 *cost, int64_t *worst_px);

#endif
