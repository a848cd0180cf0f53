/* replay: `krakterm --replay FILE` — a recording (kraken/record.h) fed through
 * the very same decoders the live sessions use, into the state, at the pace it
 * was recorded (or faster). Read-only: the replay registers no gateway, so no
 * intent can reach an exchange. Tests feed recorded sessions the same way. */
#ifndef KT_KRAKEN_REPLAY_H
#define KT_KRAKEN_REPLAY_H

#include <stdbool.h>
#include <stdint.h>

#include "base/kerr.h"

struct kt_loop;
struct state;
struct replay;

struct replay_stats {
	uint64_t lines, applied, errors;
	bool done;
};

/* Open FILE. speed_pct: 100 = as recorded, 1000 = ten times faster, 0 = as
 * fast as possible. done (may be NULL) runs at the end of the file. */
struct replay *replay_open(struct kt_loop *loop, struct state *st, const char *path,
			   unsigned speed_pct, void (*done)(void *arg), void *arg, struct kerr *err);
void replay_start(struct replay *r);
void replay_free(struct replay *r);
struct replay_stats replay_stats(const struct replay *r);
/* Apply every line at once, without a loop (tests). Returns lines applied or -1. */
int replay_run_all(struct state *st, const char *path, struct replay_stats *out, struct kerr *err);

#endif
