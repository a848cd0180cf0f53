/* backend: opening and closing the machinery behind the screen. */
#include "app/backend.h"

#include <stdlib.h>
#include <string.h>

#include <uv.h>

#include "app/paper_embed.h"
#include "base/log.h"
#include "base/xalloc.h"
#include "kraken/client.h"
#include "kraken/replay.h"
#include "net/loop.h"
#include "paper/server.h"

static void on_ready(void *arg, const char *error)
{
	struct backend *b = arg;
	b->ready = true;
	if (error) {
		b->failed = true;
		snprintf(b->error, sizeof b->error, "%s", error);
	}
}

/* Start the embedded paper exchange and point the profile at it. */
static int start_paper(struct backend *b, struct kerr *err)
{
	struct profile *p = b->ctx->profile;
	struct paper_balance bal = {"USD", p->paper_balance, false};
	struct paper_opts po = {
		.port = 0,
		.state_path = p->paper_state,
		.balances = dec_is_zero(p->paper_balance) ? NULL : &bal,
		.nbalances = dec_is_zero(p->paper_balance) ? 0 : 1,
		.adapters = paper_embed_adapters(),
	};
	if (paths_ensure_dir(b->ctx->paths->data_dir, err) < 0)
		return -1;
	struct sim_opts so = {.seed = (uint64_t)p->paper_seed};
	if (paper_run_start(&b->paper, b->loop, &po, &so, true, err) < 0)
		return -1;
	b->has_paper = true;
	struct paper_urls u;
	paper_urls(b->paper.p, &u);
	struct px_keys k;
	if (paper_keys(b->paper.p, 1, &k) < 0)
		return kerr_set(err, 1, "the paper exchange has no user account");
	profile_set_endpoint(p, PROFILE_SPOT, u.spot_rest, u.spot_ws_public, u.spot_ws_private);
	profile_set_endpoint(p, PROFILE_FUTURES, u.fut_rest, u.fut_ws, NULL);
	profile_set_keys(p, PROFILE_SPOT, k.spot_key, k.spot_secret);
	profile_set_keys(p, PROFILE_FUTURES, k.fut_key, k.fut_secret);
	xwipe(&k, sizeof k);
	LOGI("paper exchange on %s", u.spot_rest);
	return 0;
}

int backend_open(struct backend *b, struct app_ctx *ctx, const struct backend_opts *o,
		 struct kerr *err)
{
	memset(b, 0, sizeof *b);
	b->ctx = ctx;
	state_init(&b->st);
	if (kt_loop_fix_std_fds(err) < 0)
		return -1;
	struct profile *p = ctx->profile;
	struct kt_loop_opts lo = {.ca_file = p->ca_file};
	b->loop = kt_loop_new(&lo, err);
	if (!b->loop)
		return -1;
	if (o->replay) {
		b->replay = replay_open(b->loop, &b->st, o->replay, 100, NULL, NULL, err);
		if (!b->replay)
			return -1;
		replay_start(b->replay);
		b->ready = true;
		return 0;
	}
	if (p->paper) {
		if (start_paper(b, err) < 0)
			return -1;
	} else if (profile_load_secrets(p, err) < 0) {
		return -1;
	}
	if (o->need_keys && profile_read_only(p))
		return kerr_set(err, 2,
				"profile '%s' has no API keys: set key/secret (or key_env, key_cmd) "
				"for spot or futures in the config, or use the paper profile",
				p->name);
	char nonce_dir[1024];
	snprintf(nonce_dir, sizeof nonce_dir, "%s/nonces", ctx->paths->state_dir);
	const struct profile_endpoint *sp = &p->ep[PROFILE_SPOT], *fu = &p->ep[PROFILE_FUTURES];
	struct kraken_client_cfg kc = {
		.spot = {sp->rest_url, sp->ws_url, sp->ws_auth_url, sp->key, sp->secret},
		.futures = {fu->rest_url, fu->ws_url, NULL, fu->key, fu->secret},
		.tier = (enum kraken_tier)p->tier,
		.nonce_dir = nonce_dir,
		.feeds = o->feeds,
		.private_feeds = o->private_feeds,
		.record = o->record,
	};
	b->kc = kraken_client_new(b->loop, &b->st, &kc, err);
	if (!b->kc)
		return -1;
	kraken_client_start(b->kc, on_ready, b);
	return 0;
}

static void on_deadline(void *arg)
{
	bool *expired = arg;
	*expired = true;
}

int backend_run_until(struct backend *b, const bool *flag, unsigned timeout_ms)
{
	bool expired = false;
	struct kt_timer *t = timeout_ms ? kt_timer_start(b->loop, timeout_ms, 0, on_deadline, &expired)
					: NULL;
	while (!*flag && !expired) {
		/* One turn of the loop at a time: the flag is checked in between. */
		if (uv_run(kt_loop_uv(b->loop), UV_RUN_ONCE) == 0 && !*flag)
			break;
	}
	if (t && !expired)
		kt_timer_stop(t);
	return *flag ? 0 : -1;
}

int backend_wait_ready(struct backend *b, unsigned timeout_ms, struct kerr *err)
{
	if (backend_run_until(b, &b->ready, timeout_ms) < 0)
		return kerr_set(err, 1, "no answer from the exchange within %u s", timeout_ms / 1000);
	if (b->failed)
		return kerr_set(err, 1, "%s", b->error);
	return 0;
}

void backend_close(struct backend *b)
{
	kraken_client_free(b->kc);
	b->kc = NULL;
	replay_free(b->replay);
	b->replay = NULL;
	if (b->has_paper) {
		paper_run_stop(&b->paper);
		backend_run_until(b, &b->paper.stopped, 5000);
		b->has_paper = false;
	}
	state_free(&b->st);
	kt_loop_free(b->loop);
	b->loop = NULL;
}
