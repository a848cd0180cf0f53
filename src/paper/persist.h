/* persist: the paper exchange's state file. The whole durable state — accounts,
 * keys, nonce high-water marks, Spot balances and holds, margin positions, Futures
 * wallets, positions and preferences, open orders with their engine state (in book
 * priority order), closed orders, fills, ledgers, account logs, id counters — as
 * one JSON document (jansson), written atomically: a temporary file in the same
 * directory, fsync, rename over the old file, fsync of the directory.
 *
 * Market data (trades, candles) is not saved: it is rebuilt from new trades. Only
 * the last/mark/index prices are kept so that a restart starts where it stopped,
 * and the funding rates that were in force (historical-funding-rates), when the
 * caller gives them (struct funding_saved, paper/funding.h). */
#ifndef KT_PAPER_PERSIST_H
#define KT_PAPER_PERSIST_H

#include "base/kerr.h"
#include "paper/px.h"

struct funding_saved; /* paper/funding.h */

/* Write the state of px to path (directories are created, mode 0600). 0 or -1. */
int persist_save(struct px *px, const char *path, struct kerr *err);
/* The same without the market account's resting orders: what the paper
 * exchange writes (paper_flush, before replies). The market's book is the
 * simulator's thousands of orders: megabytes of JSON that took ~200 ms of CPU
 * to write for every authenticated request (a nonce is durable state) and as
 * long to load at start-up. Its changes are not durable state (they do not
 * set px_dirty); after a restart the simulator builds a new book around the
 * saved last prices. */
int persist_save_user(struct px *px, const char *path, struct kerr *err);
/* persist_save_user with the funding history (fh may be NULL: none). */
int persist_save_user_funding(struct px *px, const struct funding_saved *fh, const char *path,
			      struct kerr *err);
/* Read path and build a px from it (opts gives the clock and limits; the listing
 * time and id seed come from the file). 0 = loaded (*out set), 1 = no file,
 * -1 = unreadable or damaged (err says where). Resting orders go back into the
 * engines in their original priority order; no events are emitted. */
int persist_load(const char *path, const struct px_opts *opts, struct px **out,
		 struct kerr *err);
/* persist_load, also filling fh (when not NULL; empty first) with the saved
 * funding history. */
int persist_load_funding(const char *path, const struct px_opts *opts, struct px **out,
			 struct funding_saved *fh, struct kerr *err);

#endif
