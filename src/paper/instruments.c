/* instruments: the asset and instrument tables of the paper exchange (see
 * instruments.h). Values follow Kraken's published metadata. */
#include <stdio.h>
#include <string.h>

#include "base/ktime.h"
#include "base/strutil.h"
#include "paper/instruments.h"

#define D(m, s) ((dec_t){(m), (s)})

static const struct px_asset asset_tab[PX_A_COUNT] = {
	[PX_A_XBT] = {PX_A_XBT, "XXBT", "XBT", "BTC", "XBT", "currency", 10, 5, D(10, 1),
		      D(5, 2), D(60000, 0)},
	[PX_A_ETH] = {PX_A_ETH, "XETH", "ETH", "ETH", "ETH", "currency", 10, 5, D(10, 1),
		      D(10, 2), D(3000, 0)},
	[PX_A_SOL] = {PX_A_SOL, "SOL", "SOL", "SOL", "SOL", "currency", 10, 5, D(9, 1),
		      D(15, 2), D(150, 0)},
	[PX_A_XRP] = {PX_A_XRP, "XXRP", "XRP", "XRP", "XRP", "currency", 8, 5, D(9, 1),
		      D(15, 2), D(6, 1)},
	[PX_A_USD] = {PX_A_USD, "ZUSD", "USD", "USD", "USD", "currency", 4, 2, D(10, 1),
		      D(0, 0), D(1, 0)},
	[PX_A_EUR] = {PX_A_EUR, "ZEUR", "EUR", "EUR", "EUR", "currency", 4, 2, D(10, 1),
		      D(1, 2), D(109, 2)},
};

/* Spot pairs: ids, decimals, minimums, leverage, reference price. */
struct spot_def {
	const char *symbol, *rest_id, *altname, *wsname;
	int base, quote, price_dp, qty_dp, cost_dp;
	dec_t tick, ordermin, costmin, ref;
	uint8_t lev[4];
};

static const struct spot_def spot_tab[] = {
	{"BTC/USD", "XXBTZUSD", "XBTUSD", "XBT/USD", PX_A_XBT, PX_A_USD, 1, 8, 5, D(1, 1),
	 D(5, 5), D(5, 1), D(60000, 0), {2, 3, 4, 5}},
	{"ETH/USD", "XETHZUSD", "ETHUSD", "ETH/USD", PX_A_ETH, PX_A_USD, 2, 8, 5, D(1, 2),
	 D(2, 3), D(5, 1), D(3000, 0), {2, 3, 4, 5}},
	{"SOL/USD", "SOLUSD", "SOLUSD", "SOL/USD", PX_A_SOL, PX_A_USD, 2, 8, 5, D(1, 2),
	 D(2, 2), D(5, 1), D(150, 0), {2, 3, 0, 0}},
	{"XRP/USD", "XXRPZUSD", "XRPUSD", "XRP/USD", PX_A_XRP, PX_A_USD, 5, 8, 5, D(1, 5),
	 D(5, 0), D(5, 1), D(6, 1), {2, 3, 4, 5}},
	{"ETH/BTC", "XETHXXBT", "ETHXBT", "ETH/XBT", PX_A_ETH, PX_A_XBT, 5, 8, 10, D(1, 5),
	 D(2, 3), D(2, 5), D(5, 2), {2, 3, 4, 5}},
	{"BTC/EUR", "XXBTZEUR", "XBTEUR", "XBT/EUR", PX_A_XBT, PX_A_EUR, 1, 8, 5, D(1, 1),
	 D(5, 5), D(5, 1), D(55000, 0), {2, 3, 4, 5}},
};

/* Futures contracts. */
struct fut_def {
	const char *symbol; /* NULL: the dated future (symbol built at runtime) */
	enum px_kind kind;
	int base;
	const char *pair, *underlying, *index_name;
	int price_dp, qty_dp;
	dec_t tick, ref;
};

static const struct fut_def fut_tab[] = {
	{"PF_XBTUSD", PX_K_FLEX_PERP, PX_A_XBT, "XBT:USD", "rr_xbtusd", "in_xbtusd", 2, 4,
	 D(1, 0), D(60000, 0)},
	{"PF_ETHUSD", PX_K_FLEX_PERP, PX_A_ETH, "ETH:USD", "rr_ethusd", "in_ethusd", 3, 3,
	 D(1, 1), D(3000, 0)},
	{"PF_SOLUSD", PX_K_FLEX_PERP, PX_A_SOL, "SOL:USD", "rr_solusd", "in_solusd", 4, 2,
	 D(1, 2), D(150, 0)},
	{"PI_XBTUSD", PX_K_INVERSE_PERP, PX_A_XBT, "XBT:USD", "rr_xbtusd", "in_xbtusd", 3, 0,
	 D(5, 1), D(60000, 0)},
	{NULL, PX_K_FLEX_DATED, PX_A_XBT, "XBT:USD", "rr_xbtusd", "in_xbtusd", 2, 4, D(1, 0),
	 D(60000, 0)},
};

/* A decimal in units of 10^-dp (the tables only hold exact values). */
static int64_t to_units(dec_t v, int dp)
{
	int64_t u = 0;
	if (dec_to_scaled(v, (unsigned)dp, &u) < 0)
		return 0;
	return u;
}

static void fill_units(struct px_instr *in)
{
	in->lot = D(1, (uint8_t)in->qty_dp);
	in->tick_u = to_units(in->tick, in->price_dp);
	in->lot_u = 1;
	in->min_u = to_units(in->ordermin, in->qty_dp);
	if (in->min_u < 1)
		in->min_u = 1;
}

static void add_spot(struct px_instruments *t, const struct spot_def *d)
{
	struct px_instr *in = &t->instr[t->n];
	memset(in, 0, sizeof *in);
	in->id = (uint32_t)++t->n;
	in->product = PX_SPOT;
	in->kind = PX_K_SPOT;
	snprintf(in->symbol, sizeof in->symbol, "%s", d->symbol);
	in->rest_id = d->rest_id;
	in->altname = d->altname;
	in->wsname = d->wsname;
	in->base = d->base;
	in->quote = d->quote;
	in->price_dp = d->price_dp;
	in->qty_dp = d->qty_dp;
	in->cost_dp = d->cost_dp;
	in->tick = d->tick;
	in->ordermin = d->ordermin;
	in->costmin = d->costmin;
	memcpy(in->leverage_buy, d->lev, sizeof in->leverage_buy);
	memcpy(in->leverage_sell, d->lev, sizeof in->leverage_sell);
	in->fee_maker_ppm = 2500;
	in->fee_taker_ppm = 4000;
	in->fee_maker_pct = D(25, 2);
	in->fee_taker_pct = D(40, 2);
	in->margin_call = 80;
	in->margin_stop = 40;
	in->ref_price = d->ref;
	in->mkt_collar_ppm = 10000;
	in->contract_size = D(1, 0);
	fill_units(in);
}

static void add_fut(struct px_instruments *t, const struct fut_def *d, int64_t listing_ns)
{
	struct px_instr *in = &t->instr[t->n];
	memset(in, 0, sizeof *in);
	in->id = (uint32_t)++t->n;
	in->product = PX_FUTURES;
	in->kind = d->kind;
	in->inverse = d->kind == PX_K_INVERSE_PERP;
	in->perpetual = d->kind != PX_K_FLEX_DATED;
	in->base = d->base;
	in->quote = PX_A_USD;
	in->price_dp = d->price_dp;
	in->qty_dp = d->qty_dp;
	in->cost_dp = 4;
	in->tick = d->tick;
	in->ordermin = D(1, (uint8_t)d->qty_dp);
	in->costmin = dec_zero();
	in->fee_maker_ppm = 200;
	in->fee_taker_ppm = 500;
	in->fee_maker_pct = D(2, 2);
	in->fee_taker_pct = D(5, 2);
	in->ref_price = d->ref;
	in->mkt_collar_ppm = 10000;
	in->fut_type = in->inverse ? "futures_inverse" : "flexible_futures";
	in->pair = d->pair;
	in->underlying = d->underlying;
	in->index_name = d->index_name;
	in->contract_size = D(1, 0);
	in->settle_asset = in->inverse ? PX_A_XBT : PX_A_USD;
	in->ntiers = 3;
	if (in->inverse) {
		in->tiers_in_contracts = true;
		in->tiers[0] = (struct px_margin_tier){D(0, 0), D(2, 2), D(1, 2)};
		in->tiers[1] = (struct px_margin_tier){D(500000, 0), D(4, 2), D(2, 2)};
		in->tiers[2] = (struct px_margin_tier){D(1000000, 0), D(6, 2), D(3, 2)};
		in->max_position = D(1000000, 0);
	} else {
		in->tiers[0] = (struct px_margin_tier){D(0, 0), D(2, 2), D(1, 2)};
		in->tiers[1] = (struct px_margin_tier){D(500000, 0), D(4, 2), D(2, 2)};
		in->tiers[2] = (struct px_margin_tier){D(2000000, 0), D(10, 2), D(5, 2)};
		in->max_position = D(1000000, 0);
	}
	/* 2022-01-01T00:00:00Z, Kraken's openingDate of the perpetuals. */
	in->opening_ns = ktime_days_from_civil(2022, 1, 1) * 86400 * KTIME_NS_PER_SEC;
	if (in->perpetual) {
		snprintf(in->symbol, sizeof in->symbol, "%s", d->symbol);
		in->tag = "perpetual";
		in->funding_coef = D(8, 0);
		in->max_rel_funding = D(1, 3);
	} else {
		in->last_trading_ns = instruments_dated_expiry(listing_ns);
		int64_t y;
		unsigned m, day;
		ktime_civil_from_days(in->last_trading_ns / (86400 * KTIME_NS_PER_SEC), &y, &m, &day);
		snprintf(in->symbol, sizeof in->symbol, "FF_XBTUSD_%02d%02u%02u", (int)(y % 100), m,
			 day);
		in->tag = "quarter";
		int64_t day_ns = 86400 * KTIME_NS_PER_SEC;
		in->opening_ns = listing_ns - ((listing_ns % day_ns) + day_ns) % day_ns;
	}
	fill_units(in);
}

int64_t instruments_dated_expiry(int64_t listing_ns)
{
	const int64_t day_ns = 86400 * KTIME_NS_PER_SEC;
	int64_t days = listing_ns >= 0 ? listing_ns / day_ns : (listing_ns - day_ns + 1) / day_ns;
	int64_t y;
	unsigned m, d;
	ktime_civil_from_days(days, &y, &m, &d);
	/* last month of the next quarter */
	unsigned q = (m - 1) / 3 + 1; /* 1..4 */
	q++;
	if (q > 4) {
		q = 1;
		y++;
	}
	unsigned em = q * 3;
	/* last day of that month */
	int64_t first_next = em == 12 ? ktime_days_from_civil(y + 1, 1, 1)
				       : ktime_days_from_civil(y, em + 1, 1);
	int64_t last = first_next - 1;
	/* 1970-01-01 was a Thursday: weekday 0 = Thursday, Friday = 1 */
	int64_t wd = ((last % 7) + 7) % 7;
	int64_t back = (wd - 1 + 7) % 7;
	return (last - back) * day_ns + 15 * 3600 * KTIME_NS_PER_SEC;
}

void instruments_build(struct px_instruments *t, int64_t listing_ns)
{
	memset(t, 0, sizeof *t);
	memcpy(t->assets, asset_tab, sizeof asset_tab);
	t->listing_ns = listing_ns;
	for (size_t i = 0; i < sizeof spot_tab / sizeof spot_tab[0]; i++)
		add_spot(t, &spot_tab[i]);
	for (size_t i = 0; i < sizeof fut_tab / sizeof fut_tab[0]; i++)
		add_fut(t, &fut_tab[i], listing_ns);
}

const struct px_instr *instruments_find(const struct px_instruments *t, int product,
					const char *name)
{
	if (!name || !*name)
		return NULL;
	for (size_t i = 0; i < t->n; i++) {
		const struct px_instr *in = &t->instr[i];
		if (product >= 0 && (int)in->product != product)
			continue;
		if (kt_strieq(in->symbol, name))
			return in;
		if (in->product == PX_SPOT &&
		    (kt_strieq(in->rest_id, name) || kt_strieq(in->altname, name) ||
		     kt_strieq(in->wsname, name)))
			return in;
	}
	return NULL;
}

const struct px_asset *instruments_asset(const struct px_instruments *t, const char *name)
{
	if (!name || !*name)
		return NULL;
	for (int i = 0; i < PX_A_COUNT; i++) {
		const struct px_asset *a = &t->assets[i];
		if (kt_strieq(a->id, name) || kt_strieq(a->altname, name) ||
		    kt_strieq(a->common, name) || kt_strieq(a->fut_code, name))
			return a;
	}
	return NULL;
}

const struct px_instr *instruments_get(const struct px_instruments *t, uint32_t id)
{
	if (id == 0 || id > t->n)
		return NULL;
	return &t->instr[id - 1];
}

void instruments_engine_meta(const struct px_instr *in, struct engine_instrument *out)
{
	memset(out, 0, sizeof *out);
	out->id = in->id;
	out->symbol = in->symbol;
	out->product = in->product == PX_SPOT ? ENGINE_SPOT : ENGINE_FUTURES;
	out->tick = in->tick_u;
	out->lot = in->lot_u;
	out->min_qty = in->min_u;
	out->mkt_collar_ppm = in->mkt_collar_ppm;
}
