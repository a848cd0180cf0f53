/* client_record: `krakterm record FILE` — every raw WebSocket message received,
 * with its time, as JSON lines; plus one line with the instruments, so that a
 * replay can rebuild books without asking Kraken (kraken/replay.c). */
#include <stdio.h>
#include <string.h>

#include "base/clock.h"
#include "base/jscan.h"
#include "base/jwrite.h"
#include "base/sbuf.h"
#include "kraken/client_int.h"
#include "kraken/record.h"

void client_record_raw(struct kraken_client *kc, const char *src, const char *msg, size_t len)
{
	if (!kc->cfg.record)
		return;
	record_write_msg(kc->cfg.record, kt_wall_ms(), src, msg, len);
}

void client_record_instruments(struct kraken_client *kc)
{
	if (kc->cfg.record)
		record_write_instruments(kc->cfg.record, kt_wall_ms(), kc->st);
}
