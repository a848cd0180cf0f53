/* sim_price: the simulator's reference prices, in integers only.
 *
 * Each underlying (BTC, ETH, SOL, XRP in USD; EUR/USD) moves by a log-return per
 * tick drawn as r = sigma_tick * z, with z a standard normal from the PRNG's
 * quantile table (prng_normal_ppm) and sigma_tick = sigma_year * sqrt(dt / year)
 * in parts per billion; the price becomes p * (1 + r) (exact integer maths on
 * nano-USD). Crypto returns share a common factor (correlation 0.7) so cross pairs
 * stay calmer than their legs. A regime (calm / volatile, 3x sigma) switches at
 * random with mean durations of 2 h and 20 min; jumps (1.5% sigma; 0.3% for EUR)
 * arrive on average every 6 h when calm, every 30 min when volatile. A weak pull
 * (time constant 60 days) brings prices back towards where they started, so a
 * paper exchange left running for months stays plausible.
 *
 * Instruments: spot pairs quote base/quote of the underlyings; futures take the
 * underlying as index and add a basis: an Ornstein-Uhlenbeck premium around
 * +0.005% for perpetuals (time constant 10 min, 0.01% standard deviation), plus a
 * 5%/year carry to expiry for the dated future. The mark is index + an EMA (2 s)
 * of the book mid's premium over the index, as Kraken derives it from the impact
 * mid. A spot pair's index (for trigger=index orders) is its underlyings' price
 * without the book's noise. */
#include <string.h>

#include "base/log.h"
#include "paper/sim_int.h"

/* Per-underlying parameters. */
struct und_param {
	int asset;         /* px asset index */
	int64_t sigma_ppm; /* annual volatility, calm regime */
	int64_t jump_ppm;  /* jump size, one sigma */
	int64_t corr_ppm;  /* weight of the common crypto factor */
};
static const struct und_param und_tab[SIM_U_COUNT] = {
        [SIM_U_XBT] = {PX_A_XBT, 450000, 15000, 1000000},
        [SIM_U_ETH] = {PX_A_ETH, 600000, 15000, 700000},
        [SIM_U_SOL] = {PX_A_SOL, 850000, 15000, 700000},
        [SIM_U_XRP] = {PX_A_XRP, 750000, 15000, 700000},
        [SIM_U_EUR] = {PX_A_EUR, 60000, 3000, 0},
};

#define VOLATILE_FACTOR   3
#define CALM_MEAN_NS      (2LL * 3600 * SIM_NANO)
#define VOLATILE_MEAN_NS  (20LL * 60 * SIM_NANO)
#define JUMP_CALM_NS      (6LL * 3600 * SIM_NANO)
#define JUMP_VOLATILE_NS  (30LL * 60 * SIM_NANO)
#define PULL_NS           (60LL * 86400 * SIM_NANO)
#define PERP_BASIS_PPB    50000LL  /* +0.005% */
#define BASIS_SD_PPB      100000LL /* 0.01% */
#define BASIS_TAU_NS      (600LL * SIM_NANO)
#define CARRY_PPB_YEAR    50000000LL /* 5% a year */
#define MARK_TAU_NS       (2LL * SIM_NANO)
#define SPREAD_PPM        5     /* half spread, at least one tick */
#define SPAN_PPM          20000 /* makers quote up to 2% away, at least SPAN_TICKS ticks */
#define SPAN_TICKS        600
#define BASE_NOTIONAL_USD 2000

uint64_t sim_isqrt(unsigned __int128 v)
{
	if (v < 2)
		return (uint64_t)v;
	uint64_t hi = (uint64_t)(v >> 64), lo = (uint64_t)v;
	int bits = hi ? 128 - __builtin_clzll(hi) : 64 - __builtin_clzll(lo);
	/* Newton from above: 2^ceil(bits/2) >= sqrt(v) */
	unsigned __int128 x = (unsigned __int128)1 << ((bits + 1) / 2);
	for (;;) {
		unsigned __int128 y = (x + v / x) / 2;
		if (y >= x)
			break;
		x = y;
	}
	return (uint64_t)x;
}

static int und_of_asset(int asset)
{
	for (int u = 0; u < SIM_U_COUNT; u++)
		if (und_tab[u].asset == asset)
			return u;
	return -1;
}

static int64_t pow10i(int n)
{
	int64_t v = 1;
	while (n-- > 0)
		v *= 10;
	return v;
}

static int64_t dec_units(dec_t v, int dp)
{
	int64_t u = 0;
	dec_t r;
	if (dec_rescale(v, (unsigned)dp, DEC_HALF_UP, &r) < 0 ||
	    dec_to_scaled(r, (unsigned)dp, &u) < 0)
		return 0;
	return u;
}

int64_t sim_price_units(const struct sim *s, const struct sim_inst *si)
{
	const struct px_instr *in = si->in;
	int64_t base = s->und[si->und_base].p;
	int64_t quote = si->und_quote >= 0 ? s->und[si->und_quote].p : SIM_NANO;
	if (quote <= 0)
		return 0;
	unsigned __int128 v = (unsigned __int128)base * (uint64_t)pow10i(in->price_dp);
	return (int64_t)((v + (uint64_t)quote / 2) / (uint64_t)quote);
}

/* Where an underlying starts: the last trade of a USD pair of it in px, else
 * the asset's reference price; EUR from BTC/USD over BTC/EUR. */
static void und_start(struct sim *s)
{
	const struct px_instruments *t = px_instruments(s->px);
	for (int u = 0; u < SIM_U_COUNT; u++) {
		const struct px_asset *a = px_asset(s->px, und_tab[u].asset);
		s->und[u].p = dec_units(a->ref_usd, 9);
	}
	int64_t btc_usd = 0, btc_eur = 0;
	for (size_t i = 0; i < t->n; i++) {
		const struct px_instr *in = &t->instr[i];
		if (in->product != PX_SPOT)
			continue;
		struct px_trade tr;
		if (px_last_trade(s->px, in, &tr) < 0)
			continue;
		int64_t nano = dec_units(tr.price, 9);
		if (in->quote == PX_A_USD) {
			int u = und_of_asset(in->base);
			if (u >= 0 && nano > 0)
				s->und[u].p = nano;
			if (in->base == PX_A_XBT)
				btc_usd = nano;
		} else if (in->base == PX_A_XBT && in->quote == PX_A_EUR) {
			btc_eur = nano;
		}
	}
	if (btc_usd > 0 && btc_eur > 0)
		s->und[SIM_U_EUR].p =
		        (int64_t)((unsigned __int128)btc_usd * SIM_NANO / (uint64_t)btc_eur);
	for (int u = 0; u < SIM_U_COUNT; u++)
		s->und[u].p0 = s->und[u].p;
}

void sim_price_init(struct sim *s)
{
	und_start(s);
	for (size_t i = 0; i < s->ninst; i++) {
		struct sim_inst *si = &s->inst[i];
		const struct px_instr *in = si->in;
		si->und_base = und_of_asset(in->base);
		si->und_quote = in->product == PX_SPOT ? und_of_asset(in->quote) : -1;
		if (si->und_base < 0)
			si->und_base = SIM_U_XBT;
		si->basis_ppb = in->product == PX_FUTURES ? PERP_BASIS_PPB : 0;
		int64_t f = sim_price_units(s, si);
		si->index_u = f;
		si->fair_u = f;
		int64_t tick = in->tick_u;
		int64_t hs = f * SPREAD_PPM / 1000000;
		si->half_spread_u = hs < tick ? tick : hs - hs % tick;
		int64_t span = f / 1000000 * SPAN_PPM;
		if (span < SPAN_TICKS * tick)
			span = SPAN_TICKS * tick;
		si->span_u = span - span % tick;
		/* ~2000 USD near the touch; inverse contracts are 1 USD each */
		int64_t q;
		if (in->inverse) {
			q = BASE_NOTIONAL_USD * pow10i(in->qty_dp);
		} else {
			int64_t base_nano = s->und[si->und_base].p;
			unsigned __int128 n = (unsigned __int128)BASE_NOTIONAL_USD * SIM_NANO *
			                      (uint64_t)pow10i(in->qty_dp);
			q = base_nano > 0 ? (int64_t)(n / (uint64_t)base_nano) : in->min_u;
		}
		si->base_qty_u = q < in->min_u ? in->min_u : q;
	}
}

/* sqrt(dt / year) * 1e9, cached for the usual constant dt. */
static int64_t sqrt_dt(struct sim *s, int64_t dt_ns)
{
	if (s->sqrt_for_dt != dt_ns) {
		unsigned __int128 v = (unsigned __int128)(uint64_t)dt_ns * 1000000000000000000ull;
		s->sqrt_dt = (int64_t)sim_isqrt(v / (uint64_t)SIM_YEAR_NS);
		s->sqrt_for_dt = dt_ns;
	}
	return s->sqrt_dt;
}

/* p * (1 + r_ppb / 1e9), never below one nano. */
static int64_t apply_ppb(int64_t p, int64_t r_ppb)
{
	__int128 d = (__int128)p * r_ppb / SIM_NANO;
	__int128 v = (__int128)p + d;
	return v < 1 ? 1 : v > INT64_MAX / 4 ? INT64_MAX / 4 : (int64_t)v;
}

static void und_advance(struct sim *s, int64_t dt_ns)
{
	int64_t sq = sqrt_dt(s, dt_ns);
	int64_t common = prng_normal_ppm(&s->rng);
	for (int u = 0; u < SIM_U_COUNT; u++) {
		struct sim_und_state *st = &s->und[u];
		const struct und_param *pp = &und_tab[u];
		/* regime switch */
		if (prng_chance(&s->rng, (uint64_t)dt_ns,
		                st->volatile_ ? VOLATILE_MEAN_NS : CALM_MEAN_NS))
			st->volatile_ = !st->volatile_;
		int64_t sigma_ppb = pp->sigma_ppm * sq / 1000000; /* per tick */
		if (st->volatile_)
			sigma_ppb *= VOLATILE_FACTOR;
		/* z = c * common + sqrt(1 - c^2) * own, in ppm of a sigma */
		int64_t own = prng_normal_ppm(&s->rng);
		int64_t c = pp->corr_ppm;
		int64_t rest = (int64_t)sim_isqrt((unsigned __int128)(1000000000000LL - c * c));
		int64_t z = (c * common + rest * own) / 1000000;
		int64_t r = sigma_ppb * z / 1000000;
		/* weak pull back to p0: -(p - p0) / p0 * dt / PULL */
		__int128 dev = (__int128)(st->p - st->p0) * SIM_NANO / st->p0; /* ppb */
		r -= (int64_t)(dev * dt_ns / PULL_NS);
		/* jumps */
		if (prng_chance(&s->rng, (uint64_t)dt_ns,
		                st->volatile_ ? JUMP_VOLATILE_NS : JUMP_CALM_NS))
			r += pp->jump_ppm * prng_normal_ppm(&s->rng) / 1000;
		st->p = apply_ppb(st->p, r);
	}
}

/* Futures basis: an OU premium (perpetuals) plus carry to expiry (dated). */
static void basis_advance(struct sim *s, struct sim_inst *si, int64_t dt_ns)
{
	const struct px_instr *in = si->in;
	/* b += (mean - b) dt / tau + sd * sqrt(2 dt / tau) * z */
	int64_t b = si->basis_ppb;
	int64_t mean = PERP_BASIS_PPB;
	if (!in->perpetual) {
		int64_t left = in->last_trading_ns - px_now(s->px);
		if (left < 0)
			left = 0;
		mean += (int64_t)((__int128)CARRY_PPB_YEAR * left / SIM_YEAR_NS);
	}
	int64_t pull = (int64_t)((__int128)(mean - b) * dt_ns / BASIS_TAU_NS);
	int64_t k = (int64_t)sim_isqrt((unsigned __int128)(uint64_t)dt_ns * 2 * 1000000000000ull /
	                               (uint64_t)BASIS_TAU_NS); /* ppm */
	int64_t noise = BASIS_SD_PPB * k / 1000000 * prng_normal_ppm(&s->rng) / 1000000;
	si->basis_ppb = b + pull + noise;
}

void sim_price_advance(struct sim *s, int64_t dt_ns)
{
	if (dt_ns <= 0)
		return;
	und_advance(s, dt_ns);
	for (size_t i = 0; i < s->ninst; i++) {
		struct sim_inst *si = &s->inst[i];
		int64_t f = sim_price_units(s, si);
		si->index_u = f;
		if (si->in->product == PX_FUTURES) {
			basis_advance(s, si, dt_ns);
			f = apply_ppb(f, si->basis_ppb);
		}
		si->fair_u = f < si->in->tick_u ? si->in->tick_u : f;
	}
}

static int64_t best_u(const struct sim *s, const struct px_instr *in, enum engine_side side)
{
	struct px_level l;
	if (px_best(s->px, in, side, &l) < 0)
		return 0;
	return dec_units(l.price, in->price_dp);
}

/* A spot pair's index is its underlying's price (what Kraken's index tracks):
 * trigger=index orders fire on it. */
static void push_spot_index(struct sim *s, struct sim_inst *si)
{
	int64_t index = si->index_u < si->in->tick_u ? si->in->tick_u : si->index_u;
	if (index == si->pushed_index_u)
		return;
	dec_t di = dec_make(index, (unsigned)si->in->price_dp);
	struct kerr e = KERR_INIT;
	if (px_set_mark_index(s->px, si->in, NULL, &di, &e) < 0) {
		LOGD("sim: %s: index not set: %s", si->in->symbol, e.msg);
		return;
	}
	si->pushed_index_u = index;
}

void sim_price_marks(struct sim *s, int64_t dt_ns)
{
	for (size_t i = 0; i < s->ninst; i++) {
		struct sim_inst *si = &s->inst[i];
		const struct px_instr *in = si->in;
		if (in->product != PX_FUTURES) {
			push_spot_index(s, si);
			continue;
		}
		if (in->last_trading_ns && px_now(s->px) >= in->last_trading_ns)
			continue;
		int64_t bid = best_u(s, in, ENGINE_BUY), ask = best_u(s, in, ENGINE_SELL);
		int64_t mid = bid && ask ? (bid + ask) / 2 : si->fair_u;
		int64_t prem = mid - si->index_u;
		if (si->mark_u == 0)
			si->ema_prem_u = si->fair_u - si->index_u;
		else
			si->ema_prem_u += (int64_t)((__int128)(prem - si->ema_prem_u) * dt_ns /
			                            (MARK_TAU_NS + dt_ns));
		int64_t index = si->index_u, mark = index + si->ema_prem_u;
		if (mark <= 0)
			mark = index;
		if (mark == si->mark_u && index == si->pushed_index_u)
			continue;
		dec_t dm = dec_make(mark, (unsigned)in->price_dp);
		dec_t di = dec_make(index, (unsigned)in->price_dp);
		struct kerr e = KERR_INIT;
		if (px_set_mark_index(s->px, in, &dm, &di, &e) < 0) {
			LOGD("sim: %s: mark not set: %s", in->symbol, e.msg);
			continue;
		}
		si->mark_u = mark;
		si->pushed_index_u = index;
	}
}
