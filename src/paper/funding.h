/* funding: funding of the paper exchange's perpetual futures, as Kraken does it
 * (docs/paper-market.md):
 *
 *   - every call of funding_run() samples each perpetual's premium
 *     (mark - index) / index; a period's rate is set at its start from the
 *     average premium of the period before:
 *       relative rate = clamp(average premium / fundingRateCoefficient,
 *                             +-maxRelativeFundingRate)
 *       absolute rate = relative x index   (linear: USD per contract)
 *                     = relative / index   (inverse: XBT per 1-USD contract)
 *     The rate in force, the prediction (the running average of the current
 *     period) and the next funding time are published with px_set_funding, so
 *     tickers show them.
 *   - at the end of every period each open position pays or receives
 *       payment = -(size x absolute rate), rounded half away from zero to the
 *                 settlement asset's decimals (USD 4, XBT 10)
 *     so longs pay when the rate is positive. The money moves in the flex USD
 *     balance (linear) or the inverse account's XBT (PI_), and an account-log
 *     entry "funding rate change" records funding_rate, realized_funding, the
 *     mark price and the old and new balances.
 *   - the rates that were in force are kept per instrument (funding_history) for
 *     historical-funding-rates.
 *
 *   - that history outlives the object: funding_save_history copies it into a
 *     struct funding_saved, which the state file keeps (paper/persist.h) and
 *     funding_restore_history puts back into the next object (paper.h:
 *     paper_funding_attach/detach).
 *
 * Moving money goes through `funding_opts.adjust`; when it is NULL,
 * px_fut_adjust() credits or debits the wallet and writes the account log.
 *
 * Time is px's (px_now); the period is an hour (shorter when the simulator runs
 * faster). Single-threaded, like px. */
#ifndef KT_PAPER_FUNDING_H
#define KT_PAPER_FUNDING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/dec.h"
#include "base/kerr.h"
#include "paper/px.h"

struct funding;

/* Credit (amount > 0) or debit a futures wallet: PX_W_FLEX (asset: a flex
 * currency) or PX_W_INVERSE (XBT). The shape of px_fut_adjust. */
typedef int (*funding_adjust_fn)(struct px *px, uint32_t acct, enum px_wallet wallet, int asset,
                                 dec_t amount, struct kerr *err);

struct funding_opts {
	int64_t period_ns;        /* 0 = one hour */
	bool align;               /* periods end on multiples of period_ns (the full hour) */
	size_t history_keep;      /* rates kept per instrument; 0 = 2000 */
	funding_adjust_fn adjust; /* NULL: px_fut_adjust if px has it (see above) */
};

/* A rate that was in force from ts_ns for one period. */
struct funding_rate {
	int64_t ts_ns;
	dec_t rate;     /* absolute */
	dec_t rel_rate; /* relative */
};

/* One payment (the last 1000 are kept, for inspection and tests). */
struct funding_payment {
	uint32_t account;
	const struct px_instr *instr;
	int64_t ts_ns; /* end of the period */
	dec_t size;    /* signed position */
	dec_t rate;    /* absolute rate of the period */
	dec_t amount;  /* signed change of the balance */
	dec_t old_balance, new_balance;
	bool applied;     /* the money moved (an adjust function exists and succeeded) */
	uint64_t alog_id; /* account-log entry, 0 if none */
};

struct funding *funding_new(struct px *px, const struct funding_opts *o);
void funding_free(struct funding *f);

/* Sample the premiums, settle every period that ended by now_ns, publish the
 * rates. Returns the number of payments made in this call. Call it after px
 * work, never from a px listener. */
int funding_run(struct funding *f, int64_t now_ns);

/* When the current period ends (0 before the first funding_run). */
int64_t funding_next(const struct funding *f);

/* Rates in force with ts_ns >= since_ns, oldest first; returns how many. */
size_t funding_history(const struct funding *f, const struct px_instr *in, int64_t since_ns,
                       void (*fn)(void *arg, const struct funding_rate *r), void *arg);

/* Changes whenever a period is settled (a rate joins the history). */
uint64_t funding_history_gen(const struct funding *f);

/* The rate history of every perpetual, apart from a funding object: what the
 * state file keeps and what is served while no simulator runs. Indexed by
 * px_instr id; arrays oldest first, owned (funding_saved_free). */
struct funding_saved {
	struct funding_rate *rates[PX_MAX_INSTR + 1];
	size_t n[PX_MAX_INSTR + 1];
};
void funding_saved_free(struct funding_saved *s);
/* Append one rate of instrument `id` (newest last). */
void funding_saved_add(struct funding_saved *s, uint32_t id, const struct funding_rate *r);
/* Replace s by f's history. */
void funding_save_history(const struct funding *f, struct funding_saved *s);
/* Put a saved history into f, before what f recorded itself (entries not
 * older than f's own oldest are skipped; f keeps its newest history_keep). */
void funding_restore_history(struct funding *f, const struct funding_saved *s);

/* The recent payments, oldest first; returns how many. */
size_t funding_payments(const struct funding *f,
                        void (*fn)(void *arg, const struct funding_payment *p), void *arg);

/* The payment rule on its own: -(size x rate) at dp decimals, half away from
 * zero. 0, or -1 on overflow. */
int funding_amount(dec_t size, dec_t rate, int dp, dec_t *out);

#endif
