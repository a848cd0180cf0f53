/* prng: a small seeded pseudo-random generator for the paper exchange's market
 * simulation and fault injection: xoshiro256** seeded through splitmix64.
 * Integer only (no floating point anywhere), so a seed gives the same stream on
 * every machine and build: the simulator's determinism rests on it.
 *
 * Not for secrets (keys and ids use their own generators). One struct prng per
 * user; no globals. */
#ifndef KT_PAPER_PRNG_H
#define KT_PAPER_PRNG_H

#include <stdbool.h>
#include <stdint.h>

struct prng {
	uint64_t s[4];
};

/* Seed the state from one 64-bit value (any value, 0 included). */
void prng_seed(struct prng *r, uint64_t seed);
/* The next 64 random bits. */
uint64_t prng_next(struct prng *r);
/* Uniform in [0, n) without modulo bias; 0 when n == 0. */
uint64_t prng_below(struct prng *r, uint64_t n);
/* Uniform in [lo, hi] (inclusive); lo when hi <= lo. */
int64_t prng_range(struct prng *r, int64_t lo, int64_t hi);
/* True with probability ppm / 1e6 (ppm >= 1e6: always). */
bool prng_chance_ppm(struct prng *r, uint32_t ppm);
/* True with probability num / den (den 0: never). */
bool prng_chance(struct prng *r, uint64_t num, uint64_t den);
/* A standard normal variate times 1e6 (so 1 sigma = 1000000), from a table of
 * the normal quantile at 256 equal-probability buckets with linear
 * interpolation inside each bucket; tails are cut at about +-3.3 sigma. */
int64_t prng_normal_ppm(struct prng *r);

#endif
