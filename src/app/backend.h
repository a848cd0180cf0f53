/* backend: everything behind the screen — the loop, the core state, the
 * embedded paper exchange (paper profiles), the Kraken client or a replay.
 * The TUI and the one-shot commands open one, wait until it is ready, use the
 * core, and close it. Teardown is ordered: client, paper exchange (whose
 * close is asynchronous: the loop runs until it is done), loop. */
#ifndef KT_APP_BACKEND_H
#define KT_APP_BACKEND_H

#include <stdbool.h>
#include <stdio.h>

#include "app/commands.h"
#include "app/paper_run.h"
#include "core/state.h"

struct kt_loop;
struct paper;
struct kraken_client;
struct replay;

struct backend_opts {
	bool feeds;          /* WebSocket feeds (TUI, record) */
	bool private_feeds;  /* and the authenticated ones */
	bool need_keys;      /* a private command: fail early without keys */
	const char *replay;  /* --replay FILE: no exchange at all */
	FILE *record;        /* record raw messages here */
};

struct backend {
	struct app_ctx *ctx;
	struct kt_loop *loop;
	struct state st;
	struct paper_run paper; /* paper profiles: the embedded exchange */
	bool has_paper;
	struct kraken_client *kc;
	struct replay *replay;
	bool ready, failed;
	char error[600];
};

/* Create the loop and state, start the paper exchange for paper profiles,
 * load credentials (live), connect. Returns 0 or -1 with err. */
int backend_open(struct backend *b, struct app_ctx *ctx, const struct backend_opts *o,
		 struct kerr *err);
/* Run the loop until the start-up finished (instruments and the first private
 * snapshot loaded), or timeout_ms passed. 0 or -1 with err. */
int backend_wait_ready(struct backend *b, unsigned timeout_ms, struct kerr *err);
/* Run the loop until *flag becomes true or timeout_ms passed (0 = no limit).
 * Returns 0 when the flag was set, -1 on timeout. */
int backend_run_until(struct backend *b, const bool *flag, unsigned timeout_ms);
void backend_close(struct backend *b);

#endif
