/* clock: monotonic time for timeouts and ages; wall time for display and nonces. */
#ifndef KT_BASE_CLOCK_H
#define KT_BASE_CLOCK_H

#include <stdint.h>

uint64_t kt_mono_ns(void);
uint64_t kt_mono_ms(void);
uint64_t kt_wall_ns(void);
uint64_t kt_wall_us(void);
uint64_t kt_wall_ms(void);

#endif
