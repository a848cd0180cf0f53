/* preview: what an order would do if it filled, computed before it is sent —
 * the numbers the order ticket shows live and the fat-finger guards judge
 * (core/guard). Pure arithmetic on the state's instruments, book, ticker,
 * positions and wallets: exact decimals, no I/O, no clock.
 *
 * The formulas (documented for users in docs/trading.md):
 *   price       the limit price for limit types; the trigger for stop /
 *               take-profit market types; for trailing types the trigger the
 *               offset implies from the reference price now; for market
 *               orders the average fill from walking the local book (the
 *               reference price when the book is empty).
 *   notional    base size x price (linear futures: contracts x contract size
 *               x price; inverse futures: contracts x contract size, in USD).
 *   fee         notional x the maker rate (post-only, and resting limit /
 *               iceberg orders that do not cross the book) or the taker rate.
 *   margin      futures: the exposure the order adds x the initial-margin rate
 *               of the instrument's tier for the order size (at least 1/L when
 *               the contract is isolated at leverage L); spot margin: the
 *               added exposure / the order's leverage. Reducing orders add 0.
 *   position    before and after the fill, signed; the average entry after
 *               (unchanged when reducing, the fill price after a flip).
 *   liquidation linear futures only. Q = |size after| x contract size, E = the
 *               entry after, mm = the maintenance rate for that size, K = the
 *               collateral behind the position:
 *                 isolated at leverage L: K = Q x E / L;
 *                 cross: K = available margin + this position's initial
 *                        margin now - the order's fee (other positions are
 *                        ignored: an approximation);
 *               long:  liq = (E - K/Q) / (1 - mm)   rounded up to the price dp;
 *               short: liq = (E + K/Q) / (1 + mm)   rounded down.
 *               No liquidation price when it would be <= 0.
 *   distance    (price or trigger - reference) / reference x 100, signed, 2 dp;
 *               the reference is mark (futures) or last (spot); for market
 *               orders the price is the worst level the walk reaches.
 *   walk        market orders: average fill and worst price over the local
 *               book, and slippage = (avg - best) / best x 10,000 bps (sells:
 *               best - avg), 2 dp; book_fills says whether the book holds it. */
#ifndef KT_CORE_PREVIEW_H
#define KT_CORE_PREVIEW_H

#include <stdbool.h>

#include "base/dec.h"
#include "core/instrument.h"
#include "core/intent.h"

struct state;

struct order_preview {
	/* The price the order is judged at (see above); false when unknown. */
	bool has_price;
	dec_t price;
	/* The reference: mark (futures) or last (spot); zero when unknown. */
	dec_t ref_price;
	enum trigger_signal ref_signal;
	bool inverse;          /* inverse futures: values in USD, settled in coin */
	char quote[ASSET_MAX]; /* currency of notional, fee, margin and PnL */
	char base[ASSET_MAX];

	dec_t base_qty; /* the size in base units (viqc converted at price) */
	dec_t notional; /* zero when !has_price (except viqc: the size itself) */
	bool maker;     /* fee at the maker rate */
	dec_t fee_rate;
	dec_t fee;

	bool has_margin;   /* futures, or spot on margin */
	dec_t margin;      /* added initial margin (0 when the order reduces) */
	dec_t margin_rate; /* rate used: tier initial margin, or 1/leverage */

	/* Position (futures, spot margin) or, for spot cash orders, the base
	 * balance: signed, before and after the fill. */
	bool is_balance; /* pos_* are the spot base wallet balance */
	dec_t pos_before, pos_after;
	bool has_entry;
	dec_t entry_after; /* average entry after the fill (zero when flat) */
	bool has_pnl;
	dec_t realized_pnl; /* on the part of the position the order closes */

	bool has_liq;
	dec_t liq_price;
	bool liq_isolated;
	dec_t liq_leverage; /* isolated: the leverage preference */

	bool has_distance;
	dec_t distance_pct; /* signed: > 0 above the reference */

	bool walked;       /* a market order walked the local book */
	bool book_fills;   /* the book holds the whole size */
	dec_t walk_filled; /* base units the book holds (up to the size) */
	dec_t walk_avg, walk_worst, walk_best;
	dec_t slippage_bps;
};

/* Fill out for req. Returns 0, or -1 when the instrument is unknown (out is
 * zeroed). Missing market data leaves the matching has_* flags false. */
int order_preview(const struct state *st, const struct order_req *req, struct order_preview *out);

/* Estimated liquidation price of a linear futures position of signed `size`
 * (contracts) at average entry `entry` (formula above). isolated: at
 * `leverage`; cross: `collateral` is K. Returns false when there is none
 * (inverse, flat, or <= 0). */
bool preview_liquidation(const struct instrument *in, dec_t size, dec_t entry, bool isolated,
                         dec_t leverage, dec_t collateral, dec_t *liq);

/* Initial margin of a futures position of signed `size` at `price`: notional
 * x tier rate, or notional / leverage when isolated at a higher rate. */
dec_t preview_initial_margin(const struct instrument *in, dec_t size, dec_t price, bool isolated,
                             dec_t leverage);

#endif
