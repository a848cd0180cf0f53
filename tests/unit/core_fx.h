/* core_fx: the instruments the core's order tests (test_validate.c,
 * test_preview.c, test_guard.c) start from. Each test adds what it is about
 * (fees, minimums, leverage) before state_add_instrument. */
#ifndef KT_TESTS_UNIT_CORE_FX_H
#define KT_TESTS_UNIT_CORE_FX_H

#include <string.h>

#include "core/state.h"
#include "tests/unit/unit.h"

static inline dec_t D(const char *s)
{
	dec_t d;
	assert_int_equal(dec_parse(s, (size_t)-1, &d, NULL), 0);
	return d;
}

/* BTC/USD spot: tick 0.1, lot 0.00000001, tradeable. */
static inline void core_fx_spot(struct instrument *in)
{
	memset(in, 0, sizeof *in);
	strcpy(in->id, "BTC/USD");
	strcpy(in->base, "BTC");
	strcpy(in->quote, "USD");
	in->product = PRODUCT_SPOT;
	in->kind = IK_SPOT;
	in->tick = D("0.1");
	in->lot = D("0.00000001");
	in->price_dp = 1;
	in->qty_dp = 8;
	in->tradeable = true;
}

/* PF_XBTUSD linear perpetual: tick 0.5, lot 0.0001, contract 1 BTC, one margin
 * tier (initial 2 %, maintenance 1 %), tradeable. */
static inline void core_fx_perp(struct instrument *in)
{
	memset(in, 0, sizeof *in);
	strcpy(in->id, "PF_XBTUSD");
	strcpy(in->base, "BTC");
	strcpy(in->quote, "USD");
	in->product = PRODUCT_FUTURES;
	in->kind = IK_PERP_LINEAR;
	in->tick = D("0.5");
	in->lot = D("0.0001");
	in->contract_size = D("1");
	in->price_dp = 1;
	in->qty_dp = 4;
	in->ntiers = 1;
	in->tiers[0].initial = D("0.02");
	in->tiers[0].maintenance = D("0.01");
	in->tradeable = true;
}

#endif
