/* client: the sessions' lifecycle and the start-up sequence. */
#include "kraken/client.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "base/xalloc.h"
#include "kraken/client_int.h"
#include "net/loop.h"

/* Streamed tickers when a product has many instruments (live Kraken). */
static const char *const default_watchlist[] = {
	"BTC/USD", "ETH/USD", "SOL/USD", "XRP/USD", "BTC/EUR", "ETH/BTC",
	"PF_XBTUSD", "PF_ETHUSD", "PF_SOLUSD", "PI_XBTUSD", NULL};
#define ALL_TICKERS_MAX 40

static char **copy_list(const char *const *l)
{
	size_t n = 0;
	while (l && l[n])
		n++;
	char **c = xcalloc(n + 1, sizeof *c);
	for (size_t i = 0; i < n; i++)
		c[i] = xstrdup(l[i]);
	return c;
}

/* ---- raw message hooks (the recorder) ---- */

static void raw_spot(void *ctx, const char *m, size_t n) { client_record_raw(ctx, "spot", m, n); }
static void raw_spot_auth(void *ctx, const char *m, size_t n)
{
	client_record_raw(ctx, "spot-auth", m, n);
}
static void raw_futures(void *ctx, const char *m, size_t n)
{
	client_record_raw(ctx, "futures", m, n);
}

/* ---- waits for the sessions' callbacks ---- */

/* The head of every block that waits for a session's callback. */
struct kc_wait {
	struct kc_wait *prev, *next;
};

static void *wait_new(struct kraken_client *kc, size_t size)
{
	struct kc_wait *w = xcalloc(1, size);
	w->next = kc->waits;
	if (kc->waits)
		kc->waits->prev = w;
	kc->waits = w;
	return w;
}

static void wait_free(struct kraken_client *kc, struct kc_wait *w)
{
	if (w->prev)
		w->prev->next = w->next;
	else
		kc->waits = w->next;
	if (w->next)
		w->next->prev = w->prev;
	free(w);
}

/* ---- private feed callbacks ---- */


struct token_req {
	struct kc_wait w; /* first */
	struct kraken_client *kc;
	spot_ws_token_done done;
	void *arg;
};

static void token_got(void *arg, int rc, const char *token, int expires_s, const char *msg)
{
	(void)expires_s;
	struct token_req *tr = arg;
	spot_ws_token_done done = tr->done;
	void *darg = tr->arg;
	wait_free(tr->kc, &tr->w);
	if (rc == 0)
		done(darg, token, NULL, false);
	else
		done(darg, NULL, msg ? msg : "cannot get a WebSocket token", false);
}

static void get_token(void *ctx, spot_ws_token_done done, void *arg)
{
	struct kraken_client *kc = ctx;
	struct token_req *tr = wait_new(kc, sizeof *tr);
	tr->kc = kc;
	tr->done = done;
	tr->arg = arg;
	if (spot_rest_ws_token(kc->srest, token_got, tr) < 0) {
		wait_free(kc, &tr->w);
		done(arg, NULL, "cannot request a WebSocket token", false);
	}
}

static void spot_reconcile(void *ctx)
{
	struct kraken_client *kc = ctx;
	spot_rest_refresh_private(kc->srest, kc->st, NULL, NULL);
}

static void fut_refreshed(void *arg, const struct intent_result *res)
{
	(void)arg;
	if (res->status != INTENT_OK)
		LOGW("futures refresh: %s", res->message);
}

static void fut_connected(void *arg, bool reconnect)
{
	struct kraken_client *kc = arg;
	if (!reconnect || !fut_rest_has_keys(kc->frest))
		return;
	struct kerr err = KERR_INIT;
	if (fut_rest_refresh_private(kc->frest, kc->st, fut_refreshed, kc, &err) < 0)
		LOGW("futures refresh after reconnect: %s", err.msg);
}

/* ---- construction ---- */

struct kraken_client *kraken_client_new(struct kt_loop *loop, struct state *st,
					const struct kraken_client_cfg *cfg, struct kerr *err)
{
	struct kraken_client *kc = xcalloc(1, sizeof *kc);
	kc->loop = loop;
	kc->st = st;
	kc->cfg = *cfg;
	kc->watch_copy = copy_list(cfg->watchlist);
	kc->cfg.watchlist = (const char *const *)kc->watch_copy;
	kc->watched[PRODUCT_SPOT] = kc->watched[PRODUCT_FUTURES] = -1;
	kc->watched_depth = 25;
	if (cfg->spot.rest_url) {
		struct spot_rest_cfg sc = {
			.base_url = cfg->spot.rest_url,
			.api_key = cfg->spot.key,
			.api_secret = cfg->spot.secret,
			.nonce_dir = cfg->nonce_dir,
			.tier = cfg->tier,
			.timeout_ms = cfg->timeout_ms,
		};
		kc->srest = spot_rest_new(loop, st, &sc, err);
		if (!kc->srest)
			goto fail;
		st->has_keys[PRODUCT_SPOT] = spot_rest_has_key(kc->srest);
	}
	if (cfg->futures.rest_url) {
		struct fut_rest_cfg fc = {
			.base_url = cfg->futures.rest_url,
			.api_key = cfg->futures.key,
			.api_secret = cfg->futures.secret,
			.nonce_dir = cfg->nonce_dir,
			.timeout_ms = cfg->timeout_ms,
		};
		kc->frest = fut_rest_new(loop, &fc, err);
		if (!kc->frest)
			goto fail;
		st->has_keys[PRODUCT_FUTURES] = fut_rest_has_keys(kc->frest);
	}
	if (cfg->feeds && cfg->spot.ws_url) {
		kc->spub = spot_ws_pub_new(loop, st, cfg->spot.ws_url, NULL);
		if (cfg->record)
			wsconn_set_raw_hook(spot_ws_pub_conn(kc->spub), raw_spot, kc);
	}
	if (cfg->feeds && cfg->private_feeds && cfg->spot.ws_auth_url && kc->srest &&
	    spot_rest_has_key(kc->srest)) {
		static const struct spot_ws_priv_ops ops = {get_token, spot_reconcile};
		kc->spriv = spot_ws_priv_new(loop, st, cfg->spot.ws_auth_url, NULL, &ops, kc);
		if (cfg->record)
			wsconn_set_raw_hook(spot_ws_priv_conn(kc->spriv), raw_spot_auth, kc);
	}
	if (cfg->feeds && cfg->futures.ws_url) {
		bool priv = cfg->private_feeds && cfg->futures.key && cfg->futures.secret;
		struct fut_ws_opts fo = {
			.url = cfg->futures.ws_url,
			.api_key = priv ? cfg->futures.key : NULL,
			.api_secret = priv ? cfg->futures.secret : NULL,
			.on_connected = fut_connected,
			.arg = kc,
		};
		kc->fws = fut_ws_new(loop, st, &fo, err);
		if (!kc->fws)
			goto fail;
		if (cfg->record)
			fut_ws_set_raw_hook(kc->fws, raw_futures, kc);
	}
	state_set_gateway(st, &kraken_gateway_ops, kc);
	return kc;
fail:
	kraken_client_free(kc);
	return NULL;
}

void kraken_client_free(struct kraken_client *kc)
{
	if (!kc)
		return;
	if (kc->st->gw == kc)
		state_set_gateway(kc->st, NULL, NULL);
	if (kc->refresh_timer)
		kt_timer_stop(kc->refresh_timer);
	if (kc->instr_timer)
		kt_timer_stop(kc->instr_timer);
	spot_ws_pub_free(kc->spub);
	spot_ws_priv_free(kc->spriv);
	fut_ws_free(kc->fws);
	spot_rest_free(kc->srest);
	fut_rest_free(kc->frest);
	while (kc->waits) /* their callbacks will never come now */
		wait_free(kc, kc->waits);
	for (size_t i = 0; kc->watch_copy && kc->watch_copy[i]; i++)
		free(kc->watch_copy[i]);
	free(kc->watch_copy);
	free(kc);
}

/* ---- start-up ---- */

static void finish_step(struct kraken_client *kc, const char *error)
{
	if (error && !kc->failed) {
		kc->failed = true;
		snprintf(kc->error, sizeof kc->error, "%s", error);
	}
	if (--kc->pending > 0)
		return;
	kraken_ready_cb cb = kc->ready;
	kc->ready = NULL;
	if (cb)
		cb(kc->ready_arg, kc->failed ? kc->error : NULL);
}

static size_t count_product(const struct state *st, enum product p)
{
	size_t n = 0;
	for (size_t i = 0; i < st->ninstr; i++)
		n += st->instr[i].product == p;
	return n;
}

static bool in_watchlist(const struct kraken_client *kc, const struct instrument *in)
{
	const char *const *wl = kc->cfg.watchlist && kc->cfg.watchlist[0] ? kc->cfg.watchlist
									   : default_watchlist;
	for (size_t i = 0; wl[i]; i++)
		if (strcmp(wl[i], in->id) == 0)
			return true;
	return false;
}

void kraken_client_ticker(struct kraken_client *kc, int instr)
{
	const struct instrument *in = state_instrument(kc->st, instr);
	struct kerr err = KERR_INIT;
	if (!in)
		return;
	if (in->product == PRODUCT_SPOT && kc->spub) {
		if (spot_ws_pub_ticker(kc->spub, instr, true, &err) < 0)
			LOGW("ticker %s: %s", in->id, err.msg);
	} else if (in->product == PRODUCT_FUTURES && kc->fws) {
		fut_ws_subscribe(kc->fws, "ticker", in->id);
	}
}

/* Stream tickers: every instrument of a small product, else the watchlist.
 * Only instruments from index `from` on (the ones just added). */
static void subscribe_tickers(struct kraken_client *kc, size_t from)
{
	bool all[PRODUCT_COUNT] = {count_product(kc->st, PRODUCT_SPOT) <= ALL_TICKERS_MAX,
				   count_product(kc->st, PRODUCT_FUTURES) <= ALL_TICKERS_MAX};
	bool explicit_list = kc->cfg.watchlist && kc->cfg.watchlist[0];
	for (size_t i = from; i < kc->st->ninstr; i++) {
		const struct instrument *in = &kc->st->instr[i];
		if (!in->tradeable)
			continue;
		if ((explicit_list || !all[in->product]) && !in_watchlist(kc, in))
			continue;
		kraken_client_ticker(kc, (int)i);
	}
}

static void private_loaded(void *arg, int rc, const char *msg)
{
	struct kraken_client *kc = arg;
	finish_step(kc, rc == 0 ? NULL : msg);
}

static void fut_private_loaded(void *arg, const struct intent_result *res)
{
	struct kraken_client *kc = arg;
	finish_step(kc, res->status == INTENT_OK ? NULL : res->message);
}

/* ---- the periodic re-read of futures instruments ---- */

struct instr_wait {
	struct kc_wait w; /* first */
	struct kraken_client *kc;
	size_t ninstr; /* instruments before the re-read */
};

static void instr_refreshed(void *arg, const struct intent_result *res)
{
	struct instr_wait *iw = arg;
	struct kraken_client *kc = iw->kc;
	size_t before = iw->ninstr;
	wait_free(kc, &iw->w);
	kc->instr_refreshing = false;
	if (res->status != INTENT_OK) {
		/* The old metadata stays; the next tick tries again. */
		LOGW("futures instruments refresh: %s", res->message);
		return;
	}
	LOGD("futures instruments refreshed (%zu new)", kc->st->ninstr - before);
	if (kc->st->ninstr > before)
		subscribe_tickers(kc, before);
}

static void instr_tick(void *arg)
{
	struct kraken_client *kc = arg;
	if (kc->instr_refreshing || !kc->frest)
		return;
	struct instr_wait *iw = wait_new(kc, sizeof *iw);
	iw->kc = kc;
	iw->ninstr = kc->st->ninstr;
	kc->instr_refreshing = true;
	struct kerr err = KERR_INIT;
	if (fut_rest_load_instruments(kc->frest, kc->st, instr_refreshed, iw, &err) < 0) {
		LOGW("futures instruments refresh: %s", err.msg);
		wait_free(kc, &iw->w);
		kc->instr_refreshing = false;
	}
}

static void start_instr_refresh(struct kraken_client *kc)
{
	if (!kc->frest || kc->instr_timer)
		return;
	uint64_t ms = kc->cfg.instr_refresh_ms ? kc->cfg.instr_refresh_ms : KRAKEN_INSTR_REFRESH_MS;
	kc->instr_timer = kt_timer_start(kc->loop, ms, ms, instr_tick, kc);
}

/* Instruments of both products are in: start the feeds and the private reads. */
static void instruments_loaded(struct kraken_client *kc)
{
	state_changed(kc->st, EV_INSTRUMENTS, -1);
	if (kc->cfg.record)
		client_record_instruments(kc);
	struct kerr err = KERR_INIT;
	kc->pending++; /* guard while the steps below are started */
	if (kc->srest && spot_rest_has_key(kc->srest)) {
		kc->pending++;
		spot_rest_refresh_private(kc->srest, kc->st, private_loaded, kc);
	}
	if (kc->frest && fut_rest_has_keys(kc->frest)) {
		kc->pending++;
		if (fut_rest_refresh_private(kc->frest, kc->st, fut_private_loaded, kc, &err) < 0)
			finish_step(kc, err.msg);
	}
	if (kc->spub)
		spot_ws_pub_start(kc->spub);
	if (kc->spriv)
		spot_ws_priv_start(kc->spriv);
	if (kc->fws)
		fut_ws_start(kc->fws);
	subscribe_tickers(kc, 0);
	start_instr_refresh(kc);
	finish_step(kc, NULL);
}


static void spot_instruments_done(void *arg, int rc, const char *msg)
{
	struct kraken_client *kc = arg;
	if (rc != 0 && !kc->failed) {
		kc->failed = true;
		snprintf(kc->error, sizeof kc->error, "Kraken Spot instruments: %s", msg ? msg : "failed");
	}
	if (--kc->pending == 0)
		instruments_loaded(kc);
}

static void fut_instruments_done(void *arg, const struct intent_result *res)
{
	struct kraken_client *kc = arg;
	if (res->status != INTENT_OK && !kc->failed) {
		kc->failed = true;
		snprintf(kc->error, sizeof kc->error, "Kraken Futures instruments: %s", res->message);
	}
	if (--kc->pending == 0)
		instruments_loaded(kc);
}

void kraken_client_start(struct kraken_client *kc, kraken_ready_cb ready, void *arg)
{
	kc->ready = ready;
	kc->ready_arg = arg;
	kc->started = true;
	struct kerr err = KERR_INIT;
	kc->pending = 1; /* guard */
	if (kc->srest) {
		kc->pending++;
		if (spot_rest_load_instruments(kc->srest, kc->st, spot_instruments_done, kc) < 0)
			spot_instruments_done(kc, -1, "cannot start the request");
	}
	if (kc->frest) {
		kc->pending++;
		if (fut_rest_load_instruments(kc->frest, kc->st, fut_instruments_done, kc, &err) < 0) {
			struct intent_result r = {.status = INTENT_FAILED};
			snprintf(r.message, sizeof r.message, "%.250s", err.msg);
			fut_instruments_done(kc, &r);
		}
	}
	if (--kc->pending == 0)
		instruments_loaded(kc);
}

/* ---- refresh ---- */

struct refresh_wait {
	struct kc_wait w; /* first */
	struct kraken_client *kc;
	int left;
	void (*done)(void *arg);
	void *arg;
};

static void refresh_step(struct refresh_wait *w)
{
	if (--w->left > 0)
		return;
	struct kraken_client *kc = w->kc;
	void (*done)(void *arg) = w->done;
	void *arg = w->arg;
	wait_free(kc, &w->w);
	kc->refreshing--;
	if (done)
		done(arg);
	/* Requests for a refresh that came while this one ran get one more. */
	if (kc->refresh_again && !kc->refreshing) {
		kc->refresh_again = false;
		kraken_client_refresh(kc, NULL, NULL);
	}
}

static void spot_refreshed(void *arg, int rc, const char *msg)
{
	if (rc != 0)
		LOGW("spot refresh: %s", msg ? msg : "failed");
	refresh_step(arg);
}

static void fut_refreshed_w(void *arg, const struct intent_result *res)
{
	if (res->status != INTENT_OK)
		LOGW("futures refresh: %s", res->message);
	refresh_step(arg);
}

void kraken_client_refresh(struct kraken_client *kc, void (*done)(void *arg), void *arg)
{
	/* Overlapping refreshes cost rate budget for nothing: coalesce the ones
	 * nobody waits on into a single follow-up. */
	if (kc->refreshing && !done) {
		kc->refresh_again = true;
		return;
	}
	kc->refreshing++;
	struct refresh_wait *w = wait_new(kc, sizeof *w);
	w->kc = kc;
	w->done = done;
	w->arg = arg;
	w->left = 1;
	if (kc->srest && spot_rest_has_key(kc->srest)) {
		w->left++;
		spot_rest_refresh_private(kc->srest, kc->st, spot_refreshed, w);
	}
	if (kc->frest && fut_rest_has_keys(kc->frest)) {
		struct kerr err = KERR_INIT;
		w->left++;
		if (fut_rest_refresh_private(kc->frest, kc->st, fut_refreshed_w, w, &err) < 0) {
			LOGW("futures refresh: %s", err.msg);
			w->left--; /* never below 1 here: the guard is still held */
		}
	}
	refresh_step(w); /* drop the guard */
}
