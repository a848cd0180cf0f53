/* sim_int: the market simulator's private structures, shared by sim.c (life
 * cycle, ticks), sim_price.c (reference prices) and sim_book.c (makers and
 * takers). Nothing else includes this.
 *
 * Units: underlying prices are int64 nano-USD (1e-9 USD); instrument prices and
 * quantities are px's integer units (10^-price_dp, 10^-qty_dp); rates and
 * returns are parts per billion (ppb) or per million (ppm). */
#ifndef KT_PAPER_SIM_INT_H
#define KT_PAPER_SIM_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <uv.h>

#include "paper/prng.h"
#include "paper/sim.h"

#define SIM_NANO         1000000000LL
#define SIM_YEAR_NS      (365LL * 86400 * SIM_NANO)
#define SIM_DEPTH_CHECK  400 /* levels counted by the depth check */
#define SIM_MIN_LEVELS   150 /* below this many levels, makers spread out */
#define SIM_FLOOR_LEVELS 120 /* below this many, levels are added at once */

/* Underlying assets with a reference price process. */
enum sim_und { SIM_U_XBT, SIM_U_ETH, SIM_U_SOL, SIM_U_XRP, SIM_U_EUR, SIM_U_COUNT };

struct sim_und_state {
	int64_t p;      /* nano-USD */
	int64_t p0;     /* where it started: the weak pull goes back there */
	bool volatile_; /* regime */
};

/* A resting maker order of the market account. */
struct sim_order {
	uint64_t seq;           /* px_order.seq: the key of the order map */
	int64_t price_u, qty_u; /* qty: what is left */
	char id[PX_ID_MAX];
};

struct sim_side {
	struct sim_order *v;
	size_t n, cap;
	bool fill_far; /* too few levels: the next adds spread over the whole span */
};

/* One simulated instrument. */
struct sim_inst {
	const struct px_instr *in;
	int und_base;       /* enum sim_und */
	int und_quote;      /* enum sim_und, or -1 for USD */
	int64_t fair_u;     /* fair price now (futures: index + basis) */
	int64_t index_u;    /* the underlying's reference (spot: the pair's index) */
	int64_t basis_ppb;  /* futures: fair / index - 1 */
	int64_t ema_prem_u; /* futures: EMA of (book mid - index) */
	int64_t mark_u;     /* last pushed mark / index (0 = none yet) */
	int64_t pushed_index_u;
	int64_t half_spread_u; /* makers never quote closer to fair than this */
	int64_t span_u;        /* makers quote up to this far from fair */
	int64_t base_qty_u;    /* typical size near the touch */
	uint64_t acc_milli;    /* operation budget carried between ticks (1/1000 ops) */
	uint64_t arb_credit;   /* random ops since the last stale-quote take, x1 (3 per take) */
	struct sim_side side[2];
};

/* Order map: px seq -> (instrument slot, side, index), open addressing. */
struct sim_omap {
	uint64_t *keys; /* 0 = empty (px seqs start at 1) */
	uint32_t *vals;
	size_t cap, n;
};

struct sim {
	struct paper *p;
	struct px *px;
	struct sim_opts o;
	struct prng rng;
	struct sim_und_state und[SIM_U_COUNT];
	struct sim_inst inst[PX_MAX_INSTR];
	size_t ninst;
	int slot_of[PX_MAX_INSTR + 1]; /* px instrument id -> inst index, -1 = not simulated */
	struct px_level *levels;       /* scratch for depth checks (SIM_DEPTH_CHECK) */
	struct sim_omap map;
	int listen_handle;
	struct funding *funding;
	uv_timer_t *timer; /* heap: freed by its close callback */
	uint64_t last_ms;  /* loop time of the previous batch */
	bool fixed_step;   /* a seed was given: whole ticks of tick_ms, no CPU budget */
	uint64_t owed_ms;  /* fixed_step: elapsed time not yet simulated */
	bool running, seeded;
	struct sim_stats st;
	/* tick-level cache of sqrt(dt / year) * 1e9 for a dt */
	int64_t sqrt_dt, sqrt_for_dt;
};

/* ---- sim_price.c ---- */
/* Start the underlyings from px's last prices (else the instruments' reference
 * prices) and derive each instrument's parameters. */
void sim_price_init(struct sim *s);
/* Advance every underlying by dt_ns of simulated time and recompute every
 * instrument's fair price (and the futures' index and basis). */
void sim_price_advance(struct sim *s, int64_t dt_ns);
/* Futures: update the mark (index + EMA of the book's premium) and push mark and
 * index to px when they changed; spot: push the pair's index. */
void sim_price_marks(struct sim *s, int64_t dt_ns);
/* Underlying price as instrument units of `in` (price_dp), for base/quote. */
int64_t sim_price_units(const struct sim *s, const struct sim_inst *si);
/* Integer square root. */
uint64_t sim_isqrt(unsigned __int128 v);

/* ---- sim_book.c ---- */
void sim_book_init(struct sim *s);
void sim_book_free(struct sim *s);
/* Adopt the market's resting orders already in px. */
void sim_book_adopt(struct sim *s);
/* px listener: keeps the tracked maker orders in step with px. */
void sim_book_on_event(void *ctx, const struct px_event *ev);
/* Place orders until the side holds `want` orders; returns how many were placed. */
size_t sim_book_seed_side(struct sim *s, struct sim_inst *si, int side, size_t want);
/* Take stale quotes that the fair price moved through (one op at most). */
bool sim_book_arbitrage(struct sim *s, struct sim_inst *si);
/* One random book operation (add, cancel, amend or take). */
void sim_book_op(struct sim *s, struct sim_inst *si);
/* Count the levels of each side and switch fill_far accordingly. */
void sim_book_check_depth(struct sim *s, struct sim_inst *si);

#endif
