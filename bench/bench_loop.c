/* bench_loop: bounded runs of the loop. */
#include "bench/bench_loop.h"

#include <uv.h>

#include "base/clock.h"

static void tick(void *arg)
{
	(void)arg;
}

bool bench_run_until(struct kt_loop *loop, bool (*until)(void *arg), void *arg, unsigned ms)
{
	uint64_t end = kt_mono_ms() + ms;
	uv_loop_t *uv = kt_loop_uv(loop);
	/* A repeating timer keeps the loop from blocking longer than 2 ms. */
	struct kt_timer *t = kt_timer_start(loop, 2, 2, tick, NULL);
	bool ok;
	while (!(ok = until(arg)) && kt_mono_ms() < end)
		uv_run(uv, UV_RUN_ONCE);
	kt_timer_stop(t);
	return ok;
}

static bool never(void *arg)
{
	(void)arg;
	return false;
}

void bench_run_for(struct kt_loop *loop, unsigned ms)
{
	bench_run_until(loop, never, NULL, ms);
}
