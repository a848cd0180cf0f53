/* paperfx: an in-memory paper exchange for the paper fuzz targets: paper_create
 * (no server, no state file) with a fixed clock, account 1 funded in Spot and in
 * the Futures flex wallet, and resting market orders on BTC/USD and PF_XBTUSD so
 * that client orders can match. Deterministic: the same input meets the same
 * exchange (ids from a fixed seed, time only moves when paperfx_advance says). */
#ifndef KT_TESTS_PAPERFX_H
#define KT_TESTS_PAPERFX_H

#include <stdint.h>

#include "paper/paper.h"

struct paperfx {
	uv_loop_t loop;
	struct paper *p;
	int64_t now_ns;
};

/* Create (fx->loop is initialised once per process by the caller's first use). */
void paperfx_open(struct paperfx *fx);
/* Destroy the paper and let the loop close any handle the adapters left. */
void paperfx_close(struct paperfx *fx);
/* Move the exchange clock by ms and tick px. */
void paperfx_advance(struct paperfx *fx, int64_t ms);
/* One resting order (or a taker) of the simulated market account; the index picks
 * instrument, side and price from a small table. */
void paperfx_market_order(struct paperfx *fx, unsigned index);

#endif
