/* liquidation: the paper exchange's liquidation engine for futures positions
 * (docs/paper-market.md). px marks positions to market whenever the mark
 * moves; liquidation_run() looks at every user account and liquidates:
 *
 *   - an isolated position whose mark has reached its liquidation price
 *     (px_fut_position's liq_price: long when mark <= it, short when mark >= it);
 *   - a cross-margin (flex) account whose margin equity fell below its
 *     maintenance margin, or one of whose cross positions has reached its
 *     liquidation price: all its cross positions;
 *   - the inverse account (PI_) likewise, on its XBT equity and margin.
 *
 * As on Kraken, liquidation orders go to the book: the account's open futures
 * orders on the affected contracts are cancelled first (freeing their margin),
 * then a reduce-only market order closes each position, without market price
 * protection. What the book cannot absorb stays open and is tried again on the
 * next run; with no bid (ask) at all, no order is placed until one appears.
 * The orders carry PX_O_LIQUIDATION, so px marks their fills and public trades
 * as liquidations (fillType / trade type "liquidation") and their account-log
 * entries "futures liquidation".
 *
 * Call it after px work (the simulator does, after every mark update; without
 * a simulator the server's tick does), never
 * from a px listener. */
#ifndef KT_PAPER_LIQUIDATION_H
#define KT_PAPER_LIQUIDATION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "paper/px.h"

struct liquidation_stats {
	uint32_t accounts;  /* accounts with at least one liquidation order */
	uint32_t orders;    /* liquidation orders placed */
	uint32_t cancelled; /* open orders cancelled before */
	uint32_t failed;    /* orders px refused */
	uint32_t waiting;   /* positions due, but no bid (ask) to close them into */
};

/* Liquidate what has to be (instr: only positions in that contract, NULL = all).
 * Returns the number of liquidation orders placed; st (may be NULL) gets counts. */
int liquidation_run(struct px *px, const struct px_instr *instr, struct liquidation_stats *st);

/* Whether one position is past its threshold at the current mark (isolated:
 * its own liquidation price; cross: the price or the account's equity). */
bool liquidation_due(struct px *px, uint32_t acct, const struct px_fut_position *pos);

#endif
