/* journal: an append-only record of every trading intent, request,
 * acknowledgement, rejection, fill and transfer, with timestamps, one JSON
 * object per line in $XDG_STATE_HOME/krakterm/journal-PROFILE.jsonl (0600).
 * It never holds a secret: entries are the words shown to the user and the
 * exchange's ids. `krakterm journal` prints it. */
#ifndef KT_APP_JOURNAL_H
#define KT_APP_JOURNAL_H

#include <stdio.h>

#include "base/kerr.h"

struct journal;

/* NULL + err when the file cannot be opened. */
struct journal *journal_open(const char *state_dir, const char *profile, struct kerr *err);
void journal_close(struct journal *j);
/* kind: "intent", "request", "ack", "reject", "fill", "transfer", "cancel", "dms"... */
void journal_write(struct journal *j, const char *kind, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* The journal file of a profile (buf). */
void journal_path(const char *state_dir, const char *profile, char *buf, size_t cap);
/* Print a journal: a table, or the raw JSON lines (json). Returns lines printed or -1. */
int journal_print(const char *path, FILE *out, int json, struct kerr *err);

#endif
