/* record: the recording format shared by the recorder and the player.
 *
 * One JSON object per line:
 *   {"t":<unix ms>,"src":"spot"|"spot-auth"|"futures","msg":<the message as received>}
 *   {"t":<unix ms>,"src":"instruments","list":[{...one instrument...}, ...]}
 * A message that is not valid JSON is kept as a string in "raw" instead of
 * "msg", so a recording never loses what arrived. Recordings hold no secrets:
 * the authenticated feeds carry only a session token in requests, and requests
 * are not recorded. */
#ifndef KT_KRAKEN_RECORD_H
#define KT_KRAKEN_RECORD_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "base/jscan.h"
#include "base/kerr.h"

struct state;

void record_write_msg(FILE *fp, uint64_t t_ms, const char *src, const char *msg, size_t len);
void record_write_instruments(FILE *fp, uint64_t t_ms, const struct state *st);
/* Read the instruments of a parsed "instruments" line into st. */
int record_read_instruments(const struct jdoc *d, int list, struct state *st, struct kerr *err);

#endif
