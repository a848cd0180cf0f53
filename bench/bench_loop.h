/* bench_loop: running the one loop until something holds, with a deadline
 * (a hang guard: a benchmark that cannot finish says so and exits non-zero,
 * it never waits forever). */
#ifndef KT_BENCH_LOOP_H
#define KT_BENCH_LOOP_H

#include <stdbool.h>

#include "net/loop.h"

/* Run the loop until until(arg) holds (checked every 2 ms and after every
 * turn of the loop) or ms milliseconds passed. Returns whether it holds. */
bool bench_run_until(struct kt_loop *loop, bool (*until)(void *arg), void *arg, unsigned ms);
/* Run the loop for ms milliseconds. */
void bench_run_for(struct kt_loop *loop, unsigned ms);

#endif
