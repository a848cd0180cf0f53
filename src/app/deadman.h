/* deadman: the dead man's switch. While krakterm runs it keeps Kraken's
 * cancel-all-after timers alive on both products (re-arming every third of
 * the timeout), so that a dropped SSH session, a crash or a hung machine
 * cancels every open order within the configured time. The countdown is in
 * the core state (dms_trigger_ms) for the status bar. On a normal exit the
 * timers are switched off, so quitting never cancels anything.
 *
 * Shutdown order: deadman_stop() (sends the disarm), run the loop until
 * deadman_stopped() or a timeout, free the exchange client (no callbacks
 * after that), then deadman_free(). */
#ifndef KT_APP_DEADMAN_H
#define KT_APP_DEADMAN_H

#include <stdbool.h>

struct kt_loop;
struct state;
struct journal;
struct deadman;

struct deadman *deadman_start(struct kt_loop *loop, struct state *st, int timeout_s,
			      struct journal *j);
void deadman_stop(struct deadman *d);
/* True once every disarm request was answered (or there was nothing to do). */
const bool *deadman_stopped(struct deadman *d);
void deadman_free(struct deadman *d);

#endif
