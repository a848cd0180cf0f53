/* nonce: strictly increasing nonces per API key, across restarts and across
 * concurrent krakterm processes that share the key.
 *
 * Each key has one small state file, <state_dir>/<sha256(key) hex prefix>.nonce
 * (mode 0600, the key itself never appears), holding the format and the highest
 * nonce ever handed out: "krakterm-nonce 1 us 1732312345678901\n". Every
 * nonce_next() takes flock(LOCK_EX) on that file, reads the last value, hands
 * out max(now, last + 1), writes it back and unlocks; so two processes never
 * produce the same or a lower nonce, and a clock that went backwards (even
 * across a restart) still yields increasing values. A key keeps one format:
 * Kraken treats a value with fewer digits as lower ("EAPI:Invalid nonce").
 * See docs/signing.md for recovery. */
#ifndef KT_NET_NONCE_H
#define KT_NET_NONCE_H

#include <stddef.h>
#include <stdint.h>

#include "base/kerr.h"

/* Room for any nonce (20 digits of a uint64) plus the terminator. */
#define NONCE_MAX 21

enum nonce_format {
	NONCE_US = 0, /* microseconds since the epoch, 16 digits (default) */
	NONCE_MS,     /* milliseconds since the epoch, 13 digits */
};

enum nonce_err {
	NONCE_E_ARG = 1, /* bad argument (empty key, buffer too small) */
	NONCE_E_IO,      /* the state directory or file cannot be created/read/written */
	NONCE_E_FORMAT,  /* the key's file holds another format than the one asked for */
	NONCE_E_DAMAGED, /* the state file does not parse */
	NONCE_E_LOCKED,  /* another process held the lock for too long */
	NONCE_E_RANGE,   /* the counter would pass UINT64_MAX */
};

/* Wall-clock source in microseconds since the epoch (injectable for tests). */
typedef uint64_t (*nonce_clock_fn)(void *ctx);

struct nonce_store; /* one per API key; owned by the caller */

/* Open (creating if needed) the store for key_id under state_dir, e.g.
 * "$XDG_STATE_HOME/krakterm/nonces". Missing directories are created with mode
 * 0700. Refuses (NULL, err filled) when the key's file already holds a
 * different format. The file descriptor stays open until nonce_store_close(). */
struct nonce_store *nonce_store_open(const char *state_dir, const char *key_id,
                                     enum nonce_format fmt, struct kerr *err);
/* Write the next nonce as decimal text ("1732312345678901") into out.
 * Returns 0 or -1 (err filled, out set to "" when cap > 0). */
int nonce_next(struct nonce_store *st, char *out, size_t cap, struct kerr *err);
/* Replace the wall clock (tests). fn == NULL restores the real clock. */
void nonce_store_set_clock(struct nonce_store *st, nonce_clock_fn fn, void *ctx);
/* The state file's path (for messages and recovery hints). */
const char *nonce_store_path(const struct nonce_store *st);
/* Flush the file to disk and release everything. NULL is fine. */
void nonce_store_close(struct nonce_store *st);

#endif
