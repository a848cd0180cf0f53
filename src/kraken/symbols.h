/* symbols: Kraken's many names for the same thing, normalised in one place.
 *
 * Assets: Spot REST uses ids ("XXBT", "ZUSD", "XXDG", "SOL") and altnames
 * ("XBT", "USD", "XDG"); balances may carry suffixes (".S", ".M", ".F", ".B",
 * ".T"); WS v2 and krakterm's screens use common codes ("BTC", "USD",
 * "DOGE"). Futures use "XBT" for bitcoin and symbols in mixed case
 * ("PF_XBTUSD", "pi_xbtusd", "FI_XBTUSD_220930"). */
#ifndef KT_KRAKEN_SYMBOLS_H
#define KT_KRAKEN_SYMBOLS_H

#include <stdbool.h>
#include <stddef.h>

#include "core/types.h"

/* Display code for any Kraken asset name: "XXBT"/"XBT" -> "BTC", "ZUSD" -> "USD",
 * "XXDG"/"XDG" -> "DOGE", "XETH" -> "ETH", "SOL" -> "SOL". A balance suffix
 * (".S", ".M", ".F", ".B", ".T") is removed and reported through *suffix
 * (may be NULL). Writes into buf and returns it. */
const char *kraken_asset_display(const char *name, char *buf, size_t cap, const char **suffix);
/* The Spot REST altname for a display code, used in request parameters:
 * "BTC" -> "XBT", "DOGE" -> "XDG", others unchanged. */
const char *kraken_asset_altname(const char *display, char *buf, size_t cap);
/* Futures currency code for a display code: "BTC" -> "XBT" (lower/upper kept as given). */
const char *kraken_futures_currency(const char *display, char *buf, size_t cap);

/* A Spot pair in WS v2 form ("BTC/USD") from a wsname ("XBT/USD") or a base and
 * quote display code pair. */
void kraken_pair_ws(const char *base_display, const char *quote_display, char *buf, size_t cap);

/* A Spot pair in any of Kraken's spellings — REST id ("XXBTZUSD", "XETHXXBT"),
 * altname ("XBTUSD", "SOLUSD", "USDTZUSD"), wsname ("XBT/USD") or WS v2 name
 * ("BTC/USD"), in any case — as its WS v2 name ("BTC/USD"). Without a "/" the
 * split needs a known quote at the end (fiat, USDT, USDC, XBT, ETH...) or two
 * legacy 4-letter ids. Returns 0, or -1 with buf "" when the name is not a
 * pair (no recognisable base and quote, stray characters, too long). */
int kraken_pair_normalize(const char *pair, char *buf, size_t cap);

/* Futures symbols: upper-cased copy, the kind from the prefix, and the base and
 * quote display codes ("PF_XBTUSD" -> IK_PERP_LINEAR, "BTC", "USD"). Returns -1
 * (nothing written) when the symbol is not a tradeable futures contract: an
 * index ("in_xbtusd"), a wallet ("fi_xbtusd", "flex"), an option, a dated
 * prefix (FI_, FF_) without its "_YYMMDD" or a perpetual (PF_, PI_) with one. */
int kraken_futures_parse(const char *symbol, char *upper, size_t cap, enum instr_kind *kind,
			 char *base, char *quote, size_t asset_cap);
/* Case-insensitive equality of two futures symbols. */
bool kraken_futures_symbol_eq(const char *a, const char *b);

#endif
