/* instrument: derived facts about instruments. */
#include "core/instrument.h"

int instrument_max_leverage(const struct instrument *in)
{
	int best = 0;
	if (in->product == PRODUCT_SPOT) {
		for (int i = 0; i < LEVERAGE_OPTS_MAX; i++) {
			if (in->leverage_buy[i] > best)
				best = in->leverage_buy[i];
			if (in->leverage_sell[i] > best)
				best = in->leverage_sell[i];
		}
		return best;
	}
	if (in->ntiers == 0 || dec_is_zero(in->tiers[0].initial))
		return 0;
	dec_t lev;
	if (dec_div(dec_from_int(1), in->tiers[0].initial, 0, DEC_DOWN, &lev) < 0)
		return 0;
	return (int)lev.m;
}

void instrument_margin_rates(const struct instrument *in, dec_t size, dec_t *im, dec_t *mm)
{
	dec_t a;
	if (dec_abs(size, &a) < 0)
		a = size;
	*im = dec_zero();
	*mm = dec_zero();
	for (int i = 0; i < in->ntiers; i++) {
		if (i > 0 && dec_lt(a, in->tiers[i].size))
			break;
		*im = in->tiers[i].initial;
		*mm = in->tiers[i].maintenance;
	}
}
