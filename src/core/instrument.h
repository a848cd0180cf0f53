/* instrument: what krakterm knows about a tradeable market, for both products.
 *
 * The protocol layer fills these from AssetPairs/instrument (Spot) and
 * instruments (Futures); the core, the order ticket and the UI only read them.
 * Ids: Spot uses the WS v2 form "BTC/USD"; Futures the exchange symbol
 * "PF_XBTUSD". Validation of orders against tick/lot/minimums lives in
 * core/validate. */
#ifndef KT_CORE_INSTRUMENT_H
#define KT_CORE_INSTRUMENT_H

#include <stdbool.h>
#include <stdint.h>

#include "base/dec.h"
#include "core/types.h"

#define INSTR_ID_MAX 32
#define ASSET_MAX 16
#define MARGIN_TIERS_MAX 12
#define LEVERAGE_OPTS_MAX 8

/* Futures margin tier: from `size` (contracts or base units) upward, these
 * rates (Kraken's marginLevels: the first tier starts at 0). */
struct margin_tier {
	dec_t size;
	dec_t initial;     /* initial margin rate, e.g. 0.02 */
	dec_t maintenance; /* maintenance margin rate, e.g. 0.01 */
};

struct instrument {
	char id[INSTR_ID_MAX];      /* "BTC/USD" or "PF_XBTUSD" */
	char rest_id[INSTR_ID_MAX]; /* Spot REST pair key "XXBTZUSD"; Futures symbol */
	char altname[INSTR_ID_MAX]; /* Spot "XBTUSD"; Futures same as id */
	char base[ASSET_MAX];       /* display codes: "BTC", "USD" */
	char quote[ASSET_MAX];
	char base_rest[ASSET_MAX];  /* Spot REST asset ids: "XXBT", "ZUSD" */
	char quote_rest[ASSET_MAX];
	enum product product;
	enum instr_kind kind;
	dec_t tick;        /* price increment */
	dec_t lot;         /* size increment */
	dec_t min_size;    /* ordermin */
	dec_t min_cost;    /* costmin (quote currency); zero when none */
	uint8_t price_dp;  /* price_precision (checksum formatting, display) */
	uint8_t qty_dp;    /* qty_precision */
	uint8_t cost_dp;
	dec_t contract_size; /* Futures: contract value (1 for linear perps) */
	/* Spot margin: allowed leverage values for buys and sells (0-terminated). */
	uint8_t leverage_buy[LEVERAGE_OPTS_MAX];
	uint8_t leverage_sell[LEVERAGE_OPTS_MAX];
	/* Futures margin schedule. */
	struct margin_tier tiers[MARGIN_TIERS_MAX];
	int ntiers;
	dec_t fee_maker;   /* fee rates as fractions (0.0016 = 0.16 %) */
	dec_t fee_taker;
	int64_t expiry_ms; /* dated futures: last trading time; 0 for perpetuals/spot */
	bool tradeable;
	bool post_only;    /* market in post-only mode */
};

static inline bool instrument_is_perp(const struct instrument *in)
{
	return in->kind == IK_PERP_LINEAR || in->kind == IK_PERP_INVERSE;
}

static inline bool instrument_is_inverse(const struct instrument *in)
{
	return in->kind == IK_PERP_INVERSE || in->kind == IK_FUTURE_INVERSE;
}

/* Highest leverage the instrument allows (spot: max of leverage_buy/sell;
 * futures: 1 / the lowest initial margin rate). 0 when not marginable. */
int instrument_max_leverage(const struct instrument *in);
/* Initial and maintenance margin rates for a position of |size|. */
void instrument_margin_rates(const struct instrument *in, dec_t size, dec_t *im, dec_t *mm);
/* Display name with product, e.g. "BTC/USD" or "PF_XBTUSD". */
static inline const char *instrument_name(const struct instrument *in) { return in->id; }

#endif
