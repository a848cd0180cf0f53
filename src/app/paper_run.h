/* paper_run: a running paper exchange with its living market — the server
 * (paper/server.h), the market simulator (paper/sim.h, which also runs funding
 * and liquidations), and the restart hook that fault injection uses. Used by
 * `krakterm paper` and by paper profiles, which embed it. */
#ifndef KT_APP_PAPER_RUN_H
#define KT_APP_PAPER_RUN_H

#include <stdbool.h>

#include "base/kerr.h"
#include "paper/paper.h"
#include "paper/sim.h"

struct kt_loop;

struct paper_run {
	struct kt_loop *loop;
	struct paper *p;      /* changes when fault injection restarts the server */
	struct sim *sim;
	struct paper_opts po; /* as started (strings are the caller's) */
	struct sim_opts so;
	bool simulate;
	bool restarting;     /* fault injection took the server down; it comes back */
	bool stop_requested; /* paper_run_stop() during a restart */
	bool stopped;
};

/* Start the server and, when simulate, the market. 0 or -1 with err. */
int paper_run_start(struct paper_run *r, struct kt_loop *loop, const struct paper_opts *po,
		    const struct sim_opts *so, bool simulate, struct kerr *err);
/* Stop the market and the server; r->stopped becomes true once libuv closed
 * everything (keep running the loop until then). */
void paper_run_stop(struct paper_run *r);

#endif
