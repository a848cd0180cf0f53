/* instruments: the paper exchange's static tables of assets and instruments,
 * with Kraken's real metadata (ids, altnames, decimals, tick and lot sizes,
 * minimums, leverage, fees, futures margin tiers and funding parameters).
 *
 * Spot pairs: BTC/USD, ETH/USD, SOL/USD, XRP/USD, ETH/BTC, BTC/EUR.
 * Futures: PF_XBTUSD, PF_ETHUSD, PF_SOLUSD (flexible_futures, linear perpetuals,
 * multi-collateral), PI_XBTUSD (futures_inverse, 1 USD contracts, margined in XBT)
 * and FF_XBTUSD_YYMMDD, a linear dated future expiring on the last Friday of the
 * quarter after the one containing the listing time.
 *
 * Units: every instrument has a price unit 10^-price_dp and a quantity unit
 * 10^-qty_dp; the matching engine works in those integer units (tick_u, lot_u,
 * min_u). For futures price_dp is finer than the tick so that mark and index
 * prices keep their cents. The tables are built once per px (instruments_build)
 * and never change afterwards: pointers into them live as long as the px. */
#ifndef KT_PAPER_INSTRUMENTS_H
#define KT_PAPER_INSTRUMENTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/dec.h"
#include "paper/engine.h"

enum px_product { PX_SPOT = 0, PX_FUTURES = 1 };
#define PX_PRODUCT_COUNT 2

/* Asset indices (stable: used as array indices and in the state file by id). */
enum px_asset_idx { PX_A_XBT, PX_A_ETH, PX_A_SOL, PX_A_XRP, PX_A_USD, PX_A_EUR, PX_A_COUNT };

struct px_asset {
	int idx;              /* enum px_asset_idx */
	const char *id;       /* Spot REST id: "XXBT", "ZUSD", "SOL" */
	const char *altname;  /* "XBT", "USD", "SOL" */
	const char *common;   /* WS v2 code: "BTC", "USD" */
	const char *fut_code; /* Futures currency code (flex wallet, account log): "XBT", "USD" */
	const char *aclass;   /* "currency" */
	int decimals;         /* balances are kept at this many decimals */
	int display_decimals;
	dec_t collateral_value; /* Spot Assets `collateral_value` */
	dec_t haircut;          /* Futures flex collateral haircut (0.05 = 5%) */
	dec_t ref_usd;          /* USD value of one unit when no market price is known */
};

enum px_kind {
	PX_K_SPOT,          /* spot pair */
	PX_K_FLEX_PERP,     /* PF_: linear perpetual, multi-collateral (settles in USD) */
	PX_K_INVERSE_PERP,  /* PI_: inverse perpetual, contracts of 1 USD, settles in XBT */
	PX_K_FLEX_DATED,    /* FF_: linear fixed maturity, multi-collateral */
};

/* One margin tier: from `from` (flex: notional USD = numNonContractUnits; inverse:
 * contracts) upwards, initial/maintenance margin rates (0.02 = 2%). Rates apply
 * piecewise: each tier's rate to the part of the position inside that tier. */
struct px_margin_tier {
	dec_t from;
	dec_t im;
	dec_t mm;
};
#define PX_MAX_TIERS 3

struct px_instr {
	uint32_t id; /* 1..n: index + 1; the engine instrument id */
	enum px_product product;
	enum px_kind kind;
	char symbol[32]; /* spot: WS v2 name "BTC/USD"; futures: "PF_XBTUSD" */
	/* Spot names (NULL for futures). */
	const char *rest_id; /* "XXBTZUSD" */
	const char *altname; /* "XBTUSD" */
	const char *wsname;  /* "XBT/USD" */
	int base, quote;     /* asset indices (futures: XBT/ETH/SOL and USD) */
	int price_dp;        /* spot: pair_decimals */
	int qty_dp;          /* spot: lot_decimals; futures: contractValueTradePrecision */
	int cost_dp;         /* spot: cost_decimals */
	dec_t tick;          /* spot tick_size / futures tickSize */
	dec_t lot;           /* quantity increment (10^-qty_dp) */
	dec_t ordermin;      /* smallest order size */
	dec_t costmin;       /* spot costmin (0 for futures) */
	int64_t tick_u, lot_u, min_u; /* the same in engine units */
	uint8_t leverage_buy[4], leverage_sell[4]; /* spot margin leverages, 0-terminated */
	uint32_t fee_maker_ppm, fee_taker_ppm;      /* 2500 = 0.25% */
	dec_t fee_maker_pct, fee_taker_pct;         /* the same as percent: 0.25 */
	int margin_call, margin_stop;               /* spot margin levels (%) */
	dec_t ref_price;                            /* starting reference price */
	uint32_t mkt_collar_ppm;                    /* market price protection */
	/* Futures (zero/NULL for spot). */
	const char *fut_type;   /* "flexible_futures" | "futures_inverse" */
	const char *pair;       /* "XBT:USD" */
	const char *tag;        /* "perpetual" | "quarter" */
	const char *underlying; /* "rr_xbtusd" */
	const char *index_name; /* "in_xbtusd" */
	dec_t contract_size;    /* 1 */
	int settle_asset;       /* USD for linear, XBT for inverse */
	bool inverse, perpetual;
	struct px_margin_tier tiers[PX_MAX_TIERS];
	int ntiers;
	bool tiers_in_contracts; /* inverse: tiers by contracts; flex: by USD notional */
	dec_t max_position;      /* maxPositionSize */
	dec_t funding_coef;      /* fundingRateCoefficient */
	dec_t max_rel_funding;   /* maxRelativeFundingRate */
	int64_t opening_ns;      /* openingDate */
	int64_t last_trading_ns; /* lastTradingTime; 0 for perpetuals */
};

#define PX_MAX_INSTR 16

struct px_instruments {
	struct px_asset assets[PX_A_COUNT];
	struct px_instr instr[PX_MAX_INSTR];
	size_t n;
	int64_t listing_ns; /* what the dated future's expiry was derived from */
};

/* Fill the tables. listing_ns decides the dated future's expiry and openingDate. */
void instruments_build(struct px_instruments *t, int64_t listing_ns);
/* The dated future's expiry for a listing time: 15:00 UTC on the last Friday of
 * the quarter after the listing's quarter (ns since the epoch). */
int64_t instruments_dated_expiry(int64_t listing_ns);

/* Lookups, ASCII case-insensitive. Spot pairs match the REST id, altname, wsname
 * and the WS v2 symbol ("XXBTZUSD", "XBTUSD", "XBT/USD", "BTC/USD"); futures match
 * the symbol ("PF_XBTUSD", "pf_xbtusd"). product < 0 searches both. NULL if none. */
const struct px_instr *instruments_find(const struct px_instruments *t, int product,
					const char *name);
/* Assets match id, altname, common code and futures code ("XXBT", "XBT", "BTC"). */
const struct px_asset *instruments_asset(const struct px_instruments *t, const char *name);
/* Instrument by id (1..n), or NULL. */
const struct px_instr *instruments_get(const struct px_instruments *t, uint32_t id);

/* The engine description of an instrument. */
void instruments_engine_meta(const struct px_instr *in, struct engine_instrument *out);

#endif
