/* px_units: conversions between dec_t and the integer units px computes in, and
 * the valuations (fees, USD values, reference prices) built on them. */
#include "paper/px_int.h"

int64_t px_pow10(int n)
{
	int64_t v = 1;
	while (n-- > 0)
		v *= 10;
	return v;
}

px_i128 px_pow10_128(int n)
{
	px_i128 v = 1;
	while (n-- > 0)
		v *= 10;
	return v;
}

/* q = n / d rounded with r (d > 0). */
static px_i128 div_round(px_i128 n, px_i128 d, enum dec_round r)
{
	px_i128 q = n / d, rem = n % d;
	if (rem == 0)
		return q;
	bool neg = n < 0;
	px_i128 arem = rem < 0 ? -rem : rem;
	bool up = false; /* away from zero */
	switch (r) {
	case DEC_DOWN:
	case DEC_EXACT:
		up = false;
		break;
	case DEC_UP:
		up = true;
		break;
	case DEC_FLOOR:
		up = neg;
		break;
	case DEC_CEIL:
		up = !neg;
		break;
	case DEC_HALF_UP:
		up = 2 * arem >= d;
		break;
	case DEC_HALF_EVEN:
		up = 2 * arem > d || (2 * arem == d && (q & 1));
		break;
	}
	if (up)
		q += neg ? -1 : 1;
	return q;
}

int px_rescale(px_i128 v, int from, int to, enum dec_round r, int64_t *out)
{
	px_i128 x;
	if (to >= from) {
		x = v * px_pow10_128(to - from);
	} else {
		x = div_round(v, px_pow10_128(from - to), r);
	}
	if (x > INT64_MAX || x < -INT64_MAX)
		return -1;
	*out = (int64_t)x;
	return 0;
}

dec_t px_dec(int64_t u, int dp)
{
	dec_t d = {u, (uint8_t)dp};
	if (u > DEC_MANT_MAX || u < -DEC_MANT_MAX) {
		/* beyond 18 digits: drop decimals (never happens with sane amounts) */
		while (dp > 0 && (d.m > DEC_MANT_MAX || d.m < -DEC_MANT_MAX)) {
			d.m /= 10;
			dp--;
		}
		d.s = (uint8_t)dp;
	}
	return d;
}

int px_units(dec_t v, int dp, int64_t *out)
{
	return dec_to_scaled(v, (unsigned)dp, out);
}

int64_t px_notional_to(const struct px_instr *in, px_i128 notional, int asset_dp,
		       enum dec_round r)
{
	int64_t out = 0;
	if (px_rescale(notional, in->qty_dp + in->price_dp, asset_dp, r, &out) < 0)
		return notional < 0 ? -INT64_MAX : INT64_MAX;
	return out;
}

int64_t px_fee(int64_t amount_u, uint32_t ppm, enum dec_round r)
{
	return (int64_t)div_round((px_i128)amount_u * ppm, 1000000, r);
}

int64_t px_ref_u(const struct px *px, const struct pxinst *pi, enum engine_ref ref)
{
	(void)px;
	if (ref == ENGINE_REF_INDEX && pi->has_index)
		return pi->index_u;
	if (ref != ENGINE_REF_LAST && pi->has_mark)
		return pi->mark_u;
	if (pi->has_last)
		return pi->last_u;
	int64_t u = 0;
	if (px_units(pi->in->ref_price, pi->in->price_dp, &u) < 0)
		u = 0;
	return u;
}

/* The spot pair trading `asset` against USD, or NULL. */
static const struct pxinst *usd_pair(const struct px *px, int asset)
{
	for (size_t i = 1; i <= px->tab.n; i++) {
		const struct pxinst *pi = &px->inst[i];
		if (pi->in->product == PX_SPOT && pi->in->base == asset &&
		    pi->in->quote == PX_A_USD)
			return pi;
	}
	return NULL;
}

int64_t px_usd_value(const struct px *px, int asset, int64_t u)
{
	const struct px_asset *a = &px->tab.assets[asset];
	int usd_dp = px->tab.assets[PX_A_USD].decimals;
	if (asset == PX_A_USD)
		return u;
	const struct pxinst *pi = usd_pair(px, asset);
	int64_t out = 0;
	if (pi) {
		int64_t p = px_ref_u(px, pi, ENGINE_REF_LAST);
		if (px_rescale((px_i128)u * p, a->decimals + pi->in->price_dp, usd_dp,
			       DEC_HALF_UP, &out) == 0)
			return out;
		return 0;
	}
	if (asset == PX_A_EUR) {
		/* EUR via BTC/EUR and BTC/USD */
		const struct pxinst *be = NULL, *bu = usd_pair(px, PX_A_XBT);
		for (size_t i = 1; i <= px->tab.n; i++)
			if (px->inst[i].in->product == PX_SPOT &&
			    px->inst[i].in->base == PX_A_XBT && px->inst[i].in->quote == PX_A_EUR)
				be = &px->inst[i];
		if (be && bu) {
			int64_t pe = px_ref_u(px, be, ENGINE_REF_LAST);
			int64_t pu = px_ref_u(px, bu, ENGINE_REF_LAST);
			if (pe > 0) {
				/* u * pu / pe, in USD units */
				px_i128 num = (px_i128)u * pu * px_pow10_128(usd_dp + be->in->price_dp);
				px_i128 den = (px_i128)pe * px_pow10_128(a->decimals + bu->in->price_dp);
				return (int64_t)div_round(num, den, DEC_HALF_UP);
			}
		}
	}
	dec_t v;
	if (dec_mul(px_dec(u, a->decimals), a->ref_usd, (unsigned)usd_dp, DEC_HALF_UP, &v) < 0)
		return 0;
	return v.m;
}
