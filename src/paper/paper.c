/* paper: the paper exchange object (paper.h) without its network part: creating
 * the hub from the state file or afresh, the clock, saving, and the small wrappers
 * the adapters use for tokens, challenges and the request's account. */
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "base/log.h"
#include "base/xalloc.h"
#include "paper/auth.h"
#include "paper/funding.h"
#include "paper/paper.h"
#include "paper/persist.h"

int64_t paper_now(const struct paper *p)
{
	return p->clock ? p->clock(p->clock_ctx) : (int64_t)kt_wall_ns();
}

void paper_tick(struct paper *p)
{
	px_tick(p->px, paper_now(p));
}

/* $XDG_DATA_HOME/krakterm/paper-state.json, or ~/.local/share/... */
static char *default_state_path(void)
{
	const char *x = getenv("XDG_DATA_HOME");
	if (x && *x == '/')
		return xasprintf("%s/krakterm/paper-state.json", x);
	const char *h = getenv("HOME");
	if (!h || !*h)
		return NULL;
	return xasprintf("%s/.local/share/krakterm/paper-state.json", h);
}

/* Account 1.. with the configured starting balances. */
static int create_users(struct paper *p, const struct paper_opts *o, struct kerr *err)
{
	struct px_account_init init;
	memset(&init, 0, sizeof init);
	if (!o->balances) {
		init.spot[PX_A_USD] = dec_from_int(100000);
	} else {
		for (size_t i = 0; i < o->nbalances; i++) {
			const struct paper_balance *b = &o->balances[i];
			const struct px_asset *a = px_asset_find(p->px, b->asset);
			if (!a)
				return kerr_set(err, PX_E_ASSET, "unknown asset \"%s\" in the paper balances",
						b->asset ? b->asset : "");
			if (dec_sign(b->amount) < 0)
				return kerr_set(err, PX_E_AMOUNT, "negative paper balance of %s",
						b->asset);
			if (b->futures)
				init.fut_flex[a->idx] = b->amount;
			else
				init.spot[a->idx] = b->amount;
		}
	}
	uint32_t n = o->users ? o->users : 1;
	for (uint32_t i = 0; i < n; i++)
		if (px_account_create(p->px, &init, NULL, err) < 0)
			return -1;
	return 0;
}

struct paper *paper_create(uv_loop_t *loop, const struct paper_opts *opts, struct kerr *err)
{
	static const struct paper_opts none;
	const struct paper_opts *o = opts ? opts : &none;
	struct paper *p = xcalloc(1, sizeof *p);
	p->loop = loop;
	p->clock = o->clock;
	p->clock_ctx = o->clock_ctx;
	if (o->adapters)
		p->ad = *o->adapters;
	if (!o->state_path)
		p->state_path = default_state_path();
	else if (*o->state_path)
		p->state_path = xstrdup(o->state_path);
	int64_t now = paper_now(p);
	struct px_opts po;
	memset(&po, 0, sizeof po);
	po.now_ns = now;
	po.id_seed = o->id_seed;
	p->funding_saved = xcalloc(1, sizeof *p->funding_saved);
	if (!o->reset && p->state_path) {
		int rc = persist_load_funding(p->state_path, &po, &p->px, p->funding_saved, err);
		if (rc < 0) {
			free(p->funding_saved);
			free(p->state_path);
			free(p);
			return NULL;
		}
		if (rc == 0)
			LOGI("paper: state loaded from %s", p->state_path);
	}
	if (!p->px) {
		p->px = px_new(&po);
		if (create_users(p, o, err) < 0) {
			px_free(p->px);
			free(p->funding_saved);
			free(p->state_path);
			free(p);
			return NULL;
		}
	}
	p->auth = auth_new(p->px);
	p->started_ns = now;
	px_tick(p->px, now);
	return p;
}

void paper_destroy(struct paper *p)
{
	if (!p)
		return;
	struct kerr e = KERR_INIT;
	if (paper_flush_all(p, &e) < 0)
		LOGE("paper: %s", e.msg);
	auth_free(p->auth);
	px_free(p->px);
	funding_saved_free(p->funding_saved);
	free(p->funding_saved);
	free(p->state_path);
	free(p);
}

/* Copy the attached funding history into the snapshot if it grew. */
static void funding_snapshot(struct paper *p)
{
	if (!p->funding_ext || funding_history_gen(p->funding_ext) == p->funding_gen)
		return;
	funding_save_history(p->funding_ext, p->funding_saved);
	p->funding_gen = funding_history_gen(p->funding_ext);
	p->funding_dirty = true;
}

void paper_funding_attach(struct paper *p, struct funding *f)
{
	p->funding_ext = f;
	if (!f)
		return;
	funding_restore_history(f, p->funding_saved);
	p->funding_gen = funding_history_gen(f);
}

void paper_funding_detach(struct paper *p)
{
	if (!p)
		return;
	funding_snapshot(p);
	p->funding_ext = NULL;
}

size_t paper_funding_history(const struct paper *p, const struct px_instr *in,
			     void (*fn)(void *arg, const struct funding_rate *r), void *arg)
{
	if (p->funding_ext)
		return funding_history(p->funding_ext, in, INT64_MIN, fn, arg);
	if (!in || in->id > PX_MAX_INSTR)
		return 0;
	size_t n = p->funding_saved->n[in->id];
	for (size_t k = 0; fn && k < n; k++)
		fn(arg, &p->funding_saved->rates[in->id][k]);
	return n;
}

/* Nonce-only changes wait this long: start-up makes a dozen signed requests in a
 * row, and an fsync'd save before each reply cost ~100 ms of it. */
#define PAPER_NONCE_SAVE_NS 1000000000LL

static int save(struct paper *p, struct kerr *err)
{
	if (!p->state_path) {
		p->funding_dirty = false;
		px_clear_dirty(p->px);
		return 0;
	}
	struct kerr e = KERR_INIT;
	funding_snapshot(p);
	if (persist_save_user_funding(p->px, p->funding_saved, p->state_path, &e) < 0) {
		if (!p->flush_failed)
			LOGE("paper: saving the state failed: %s", e.msg);
		p->flush_failed = true;
		if (err)
			*err = e;
		return -1;
	}
	if (p->flush_failed)
		LOGI("paper: state saved again to %s", p->state_path);
	p->flush_failed = false;
	p->funding_dirty = false;
	px_clear_dirty(p->px);
	return 0;
}

/* A period was settled (or the history was detached) since the last save. */
static bool funding_changed(struct paper *p)
{
	funding_snapshot(p);
	return p->funding_dirty;
}

int paper_flush(struct paper *p, struct kerr *err)
{
	int64_t since;
	if (px_dirty(p->px) || funding_changed(p))
		return save(p, err);
	if (px_nonce_dirty(p->px, &since) && px_now(p->px) - since >= PAPER_NONCE_SAVE_NS)
		return save(p, err);
	return 0;
}

int paper_flush_all(struct paper *p, struct kerr *err)
{
	if (px_dirty(p->px) || px_nonce_dirty(p->px, NULL) || funding_changed(p))
		return save(p, err);
	return 0;
}

uint32_t paper_request_account(const struct paper *p, const struct http_request *req)
{
	return req && req == p->cur_req ? p->cur_account : 0;
}

int paper_token_issue(struct paper *p, uint32_t acct, char token[PAPER_TOKEN_MAX],
		      int64_t *expires_s)
{
	return auth_token_issue(p->auth, acct, paper_now(p), token, PAPER_TOKEN_MAX, expires_s);
}

int paper_token_check(struct paper *p, const char *token, uint32_t *acct)
{
	return auth_token_check(p->auth, token, paper_now(p), acct);
}

void paper_token_hold(struct paper *p, const char *token)
{
	auth_token_hold(p->auth, token, 1);
}

void paper_token_release(struct paper *p, const char *token)
{
	auth_token_hold(p->auth, token, -1);
}

int paper_challenge_issue(struct paper *p, const char *api_key,
			  char challenge[PAPER_CHALLENGE_MAX])
{
	return auth_challenge_issue(p->auth, api_key, challenge, PAPER_CHALLENGE_MAX);
}

int paper_challenge_check(struct paper *p, const char *api_key, const char *original_challenge,
			  const char *signed_challenge, uint32_t *acct)
{
	return auth_challenge_check(p->auth, api_key, original_challenge, signed_challenge, acct);
}
