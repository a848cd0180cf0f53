/* guard: fat-finger guards — the user's own limits on what one order may do.
 * An exceeded guard never blocks an order by itself: it makes the ticket (and
 * the one-shot `order` command) ask for a second, explicit confirmation, with
 * the sentence guard_check writes. Pure: judged on core/preview's numbers.
 *
 *   max notional   the order's value (preview notional) in quote currency
 *                  (USD for futures) must not exceed it;
 *   max distance   the limit / trigger price (market: the worst level the
 *                  local book walk reaches) must lie within this many percent
 *                  of mark (futures) or last (spot);
 *   max leverage   spot: the order's leverage; futures: the isolated leverage
 *                  preference of the position, or else the resulting
 *                  position's value / the futures margin equity. Orders that
 *                  only reduce are not judged on leverage.
 * When a limit is set but the number it needs is unknown (no price, no
 * reference), that counts as exceeded: a guard is never skipped silently. */
#ifndef KT_CORE_GUARD_H
#define KT_CORE_GUARD_H

#include <stddef.h>

#include "base/dec.h"
#include "base/kerr.h"
#include "core/intent.h"

struct state;

struct guard_limits {
	dec_t max_notional;     /* zero: no limit */
	dec_t max_distance_pct; /* zero: no limit */
	int max_leverage;       /* 0: no limit */
};

/* Limits from their configuration text (NULL or "" = none). -1 with err when
 * a value is not a non-negative decimal. */
int guard_limits_parse(struct guard_limits *g, const char *max_notional,
                       const char *max_distance_pct, int max_leverage, struct kerr *err);

/* How many guards req exceeds (0 = none); why gets one sentence naming each
 * (joined with "; "), or "" when none. */
int guard_check(const struct state *st, const struct order_req *req, const struct guard_limits *g,
                char *why, size_t cap);

/* The leverage guard alone (setting a futures leverage preference): 1 and a
 * sentence when leverage is above the limit, else 0. */
int guard_check_leverage(const struct guard_limits *g, dec_t leverage, char *why, size_t cap);

#endif
