/* journal: an append-only record of every trading intent, request,
 * acknowledgement, rejection, fill and transfer, with timestamps, one JSON
 * object per line in $XDG_STATE_HOME/krakterm/journal-PROFILE.jsonl (0600).
 * It never holds a secret: entries are the words shown to the user and the
 * exchange's ids. `krakterm journal` prints it. */
#ifndef KT_APP_JOURNAL_H
#define KT_APP_JOURNAL_H

#include <stdint.h>
#include <stdio.h>

#include "base/kerr.h"

struct journal;
struct state;
struct fill;

/* NULL + err when the file cannot be opened. */
struct journal *journal_open(const char *state_dir, const char *profile, struct kerr *err);
void journal_close(struct journal *j);
/* kind: "intent", "request", "ack", "reject", "fill", "transfer", "cancel", "dms"... */
void journal_write(struct journal *j, const char *kind, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* The words of a "fill" entry: side, size, instrument and product, price, fee
 * and its asset, maker or taker, a liquidation, the order id and the fill id
 * ("BUY 0.001 BTC/USD (spot) at 60,000.1, fee 0.096 USD (taker) | order O-1 |
 * fill T-1"). Never a secret: only what the exchange reported. */
void journal_fill_text(const struct state *st, const struct fill *f, char *buf, size_t cap);
void journal_fill(struct journal *j, const struct state *st, const struct fill *f);
/* Journal, as "fill" entries, every fill the state hears of from now on whose
 * exchange time is at or after since_ms (wall clock; a fill without a time
 * counts as new). The snapshot of old fills a session receives on connecting
 * is older than since_ms, so it is not journalled again; the state drops fills
 * it already holds (same id), so a fill is journalled once per run. The state
 * must emit nothing after journal_close (close the backend first). */
void journal_watch_fills(struct journal *j, struct state *st, int64_t since_ms);
/* The journal file of a profile (buf). */
void journal_path(const char *state_dir, const char *profile, char *buf, size_t cap);
/* Print a journal: a table, or the raw JSON lines (json). Returns lines printed or -1. */
int journal_print(const char *path, FILE *out, int json, struct kerr *err);

#endif
