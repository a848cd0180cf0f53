/* paper_run: the paper exchange's server and market, started and stopped together. */
#include "app/paper_run.h"

#include <string.h>

#include "app/paper_embed.h"
#include "base/log.h"
#include "net/loop.h"
#include "paper/faults.h"
#include "paper/server.h"

static int start_market(struct paper_run *r, struct kerr *err)
{
	if (!r->simulate)
		return 0;
	r->sim = sim_new(r->p, &r->so, err);
	if (!r->sim)
		return -1;
	/* the history from the state file goes on in the simulator's funding */
	paper_funding_attach(r->p, sim_funding(r->sim));
	if (sim_start(r->sim) < 0) {
		kerr_set(err, 1, "the market simulator did not start");
		paper_funding_detach(r->p);
		sim_free(r->sim);
		r->sim = NULL;
		return -1;
	}
	r->p->market_running = true; /* the server's tick leaves liquidation to it */
	return 0;
}

/* Fault injection restarts the whole exchange: the market goes with it. */
static void stopped(void *arg);

static void restart_stopping(void *ctx, struct paper *p)
{
	struct paper_run *r = ctx;
	paper_funding_detach(p); /* its history is saved with the state */
	p->market_running = false;
	sim_free(r->sim);
	r->sim = NULL;
	r->p = NULL; /* freed by the restart: nobody may use it until started */
	r->restarting = true;
}

static void restart_started(void *ctx, struct paper *p, const char *error)
{
	struct paper_run *r = ctx;
	r->restarting = false;
	if (!p) {
		LOGE("paper exchange restart failed: %s", error ? error : "?");
		r->p = NULL;
		if (r->stop_requested)
			r->stopped = true;
		return;
	}
	if (r->stop_requested) {
		/* Stopped while it was down: do not bring the market back. */
		paper_stop(p, stopped, r);
		return;
	}
	r->p = p; /* faults.c re-applied the faults given at start (sticky) */
	struct kerr err = KERR_INIT;
	if (start_market(r, &err) < 0)
		LOGE("paper market after restart: %s", err.msg);
	faults_set_restart(p, &(struct faults_restart){&r->po, restart_stopping, restart_started, r});
}

int paper_run_start(struct paper_run *r, struct kt_loop *loop, const struct paper_opts *po,
		    const struct sim_opts *so, bool simulate, struct kerr *err)
{
	memset(r, 0, sizeof *r);
	r->loop = loop;
	r->po = *po;
	if (!r->po.adapters)
		r->po.adapters = paper_embed_adapters();
	if (so)
		r->so = *so;
	r->simulate = simulate;
	r->p = paper_start(kt_loop_uv(loop), &r->po, err);
	if (!r->p)
		return -1;
	faults_set_restart(r->p, &(struct faults_restart){&r->po, restart_stopping, restart_started, r});
	if (start_market(r, err) < 0) {
		paper_run_stop(r);
		return -1;
	}
	return 0;
}

static void stopped(void *arg)
{
	struct paper_run *r = arg;
	r->stopped = true;
}

void paper_run_stop(struct paper_run *r)
{
	paper_funding_detach(r->p); /* NULL while restarting */
	if (r->p)
		r->p->market_running = false;
	sim_free(r->sim);
	r->sim = NULL;
	if (r->restarting) {
		r->stop_requested = true; /* restart_started finishes the stop */
		return;
	}
	if (!r->p) {
		r->stopped = true;
		return;
	}
	struct paper *p = r->p;
	r->p = NULL;
	paper_stop(p, stopped, r);
}
