/* sim: the living market of the paper exchange. It makes the books, trades,
 * tickers, OHLC, mark/index prices, funding and liquidations of the paper
 * exchange move like a real market's, through the same px calls a client's
 * orders go through (docs/paper-market.md):
 *
 *   - one reference price per underlying (BTC, ETH, SOL, XRP in USD, and EUR/USD)
 *     follows a random walk with calm/volatile regimes, jumps and a weak pull
 *     back to where it started; every pair's fair price is derived from them
 *     (ETH/BTC = ETH/USD / BTC/USD, BTC/EUR = BTC/USD / EUR/USD), futures add a
 *     small basis (sim_price.c). Integer arithmetic only.
 *   - simulated makers (account PX_MARKET) keep hundreds of price levels per
 *     side around the fair price, sizes growing away from the touch, and churn
 *     near the top (add, cancel, amend); simulated takers send market and
 *     marketable IOC limit orders, so trades come out of real matching
 *     (sim_book.c). User orders in the book are hit like anyone's.
 *   - futures get an index (the underlying's reference) and a mark
 *     (index + EMA of the book mid's premium) pushed with px_set_mark_index;
 *     perpetuals get funding (paper/funding.h); positions past their
 *     liquidation threshold are liquidated (paper/liquidation.h).
 *
 * Reproducible: a seed and the same sequence of sim_step() calls give the same
 * orders and trades (the px clock and id seed being equal). Running on the loop
 * with a seed given, the timer also advances in whole ticks of tick_ms (catching
 * up when it fires late, without the CPU budget), so two runs with the same seed
 * trade the same sequence, however the timer fires (timestamps aside). The rate is book
 * operations per second per instrument; `speed` scales simulated time (price
 * moves, regime lengths, the funding period) against the clock.
 *
 * Lifetime: sim_new() after the paper exists (paper_create/paper_start), then
 * sim_start() to run on the paper's loop (a uv timer doing a batch of
 * operations every tick_ms, never more than a few ms per batch). sim_free()
 * before the paper is destroyed; the loop must run once more afterwards for
 * the timer handle to be released. Single-threaded, like px. */
#ifndef KT_PAPER_SIM_H
#define KT_PAPER_SIM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/kerr.h"
#include "paper/paper.h"

struct sim;
struct funding;

struct sim_opts {
	uint64_t seed;  /* 0: taken from the clock (not reproducible) */
	uint32_t speed; /* percent of real time: 100 = real time, 1000 = 10x; 0 = 100 */
	uint32_t rate;  /* book operations per second per instrument; 0 = 20 */
	/* Instruments by any px name ("BTC/USD", "PF_XBTUSD"), NULL-terminated;
	 * NULL = every instrument. */
	const char *const *instruments;
	uint32_t tick_ms; /* timer period and sim_step() unit of real time; 0 = 10 */
	uint32_t orders;  /* maker orders per side and instrument; 0 = 250 */
	bool no_funding;  /* no funding on perpetuals */
	bool no_liquidation;
	uint32_t batch_budget_us; /* longest batch on the loop; 0 = 4000 */
};

/* Create the simulation for p (nothing happens until sim_seed_book/sim_step/
 * sim_start). Resting orders of the market account already in px (a restored
 * state) are adopted. NULL + err on an unknown instrument name. */
struct sim *sim_new(struct paper *p, const struct sim_opts *o, struct kerr *err);
/* Stop and free (NULL is fine). The market's orders stay in the book. */
void sim_free(struct sim *s);

/* Fill every side that has fewer than the wanted maker orders at once, so a
 * fresh exchange shows a full book. Returns the number of orders placed. */
size_t sim_seed_book(struct sim *s);

/* Run on the paper's loop every tick_ms (sim_seed_book is called first). 0, or
 * -1 when already running. */
int sim_start(struct sim *s);
void sim_stop(struct sim *s);

/* Run n ticks now, each as if tick_ms of real time had passed: deterministic
 * (no clock, no time budget). For tests and benchmarks. */
void sim_step(struct sim *s, unsigned n);

/* Funding of the perpetuals (NULL with no_funding): its history serves
 * historical-funding-rates (funding_history in paper/funding.h). */
struct funding *sim_funding(struct sim *s);

/* The reference (fair) price of an instrument as the simulator sees it now;
 * -1 when the instrument is not simulated. */
int sim_fair(const struct sim *s, const struct px_instr *in, dec_t *out);

struct sim_stats {
	uint64_t ticks;
	uint64_t ops; /* book operations attempted (add, cancel, amend, take) */
	uint64_t adds, cancels, amends, takes;
	uint64_t refused;      /* px refused an operation (e.g. post-only would cross) */
	uint64_t liquidations; /* liquidation orders placed */
	uint64_t funding_payments;
	uint64_t budget_cut; /* ticks that stopped early for the time budget */
	size_t tracked;      /* maker orders resting now */
};
void sim_stats(const struct sim *s, struct sim_stats *out);

#endif
