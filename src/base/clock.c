/* clock: thin wrappers over clock_gettime. */
#include "base/clock.h"

#include <time.h>

static uint64_t ns_of(clockid_t id)
{
	struct timespec ts;
	clock_gettime(id, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

uint64_t kt_mono_ns(void) { return ns_of(CLOCK_MONOTONIC); }
uint64_t kt_mono_ms(void) { return kt_mono_ns() / 1000000u; }
uint64_t kt_wall_ns(void) { return ns_of(CLOCK_REALTIME); }
uint64_t kt_wall_us(void) { return kt_wall_ns() / 1000u; }
uint64_t kt_wall_ms(void) { return kt_wall_ns() / 1000000u; }
