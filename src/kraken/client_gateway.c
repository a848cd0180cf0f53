/* client_gateway: the core's gateway — every intent routed to the product
 * that carries it. Orders travel over REST (reconciled by client order id when
 * their outcome is unknown); the feeds report the rest. */
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "base/xalloc.h"
#include "kraken/client_int.h"
#include "net/loop.h"

static struct kraken_client *KC(void *gw) { return gw; }

static int no_product(const char *what, struct kerr *err)
{
	return kerr_set(err, 1, "this profile has no %s endpoint: nothing was sent", what);
}

/* After an intent, when a product's private feed is down, re-read its state. */
static void refresh_fire(void *arg)
{
	struct kraken_client *kc = arg;
	kc->refresh_timer = NULL;
	kraken_client_refresh(kc, NULL, NULL);
}

void client_schedule_refresh(struct kraken_client *kc)
{
	if (kc->refresh_timer)
		return;
	kc->refresh_timer = kt_timer_start(kc->loop, 300, 0, refresh_fire, kc);
}

static bool feed_up(const struct kraken_client *kc, enum product p)
{
	enum feed_id f = p == PRODUCT_SPOT ? FEED_SPOT_PRIVATE : FEED_FUT_PRIVATE;
	return kc->st->feeds[f].state == FEED_UP;
}

/* Wraps the caller's callback: completes it, then refreshes if needed. */
struct relay {
	struct kraken_client *kc;
	enum product product;
	intent_cb cb;
	void *arg;
};

static void relay_done(void *arg, const struct intent_result *res)
{
	struct relay *r = arg;
	if (!feed_up(r->kc, r->product) || res->status == INTENT_UNKNOWN)
		client_schedule_refresh(r->kc);
	if (r->cb)
		r->cb(r->arg, res);
	free(r);
}

static struct relay *relay_new(struct kraken_client *kc, enum product p, intent_cb cb, void *arg)
{
	struct relay *r = xcalloc(1, sizeof *r);
	r->kc = kc;
	r->product = p;
	r->cb = cb;
	r->arg = arg;
	return r;
}

/* Run a started call: on immediate failure the relay is freed here. */
static int started(int rc, struct relay *r)
{
	if (rc < 0)
		free(r);
	return rc;
}

static int gw_place(void *gw, const struct order_req *req, intent_cb cb, void *arg,
		    struct kerr *err)
{
	struct kraken_client *kc = KC(gw);
	const struct instrument *in = state_instrument(kc->st, req->instr);
	if (!in)
		return kerr_set(err, 1, "unknown instrument: nothing was sent");
	struct relay *r = relay_new(kc, in->product, cb, arg);
	if (in->product == PRODUCT_SPOT) {
		if (!kc->srest)
			return started(no_product("Kraken Spot", err), r);
		return started(spot_rest_add_order(kc->srest, kc->st, req, relay_done, r, err), r);
	}
	if (!kc->frest)
		return started(no_product("Kraken Futures", err), r);
	return started(fut_rest_send_order(kc->frest, kc->st, req, relay_done, r, err), r);
}

/* The product of an order we know, or a guess from its id (futures ids are UUIDs). */
static enum product order_product(struct kraken_client *kc, const char *id)
{
	struct order *o = state_order_get(kc->st, id);
	if (o)
		return o->product;
	return strlen(id) == 36 && id[8] == '-' ? PRODUCT_FUTURES : PRODUCT_SPOT;
}

static int gw_amend(void *gw, const struct amend_req *req, intent_cb cb, void *arg,
		    struct kerr *err)
{
	struct kraken_client *kc = KC(gw);
	enum product p = order_product(kc, req->order_id);
	struct relay *r = relay_new(kc, p, cb, arg);
	if (p == PRODUCT_SPOT)
		return started(kc->srest ? spot_rest_amend(kc->srest, kc->st, req, relay_done, r, err)
					 : no_product("Kraken Spot", err), r);
	return started(kc->frest ? fut_rest_edit(kc->frest, kc->st, req, relay_done, r, err)
				 : no_product("Kraken Futures", err), r);
}

static int gw_cancel(void *gw, const char *order_id, intent_cb cb, void *arg, struct kerr *err)
{
	struct kraken_client *kc = KC(gw);
	enum product p = order_product(kc, order_id);
	struct relay *r = relay_new(kc, p, cb, arg);
	if (p == PRODUCT_SPOT)
		return started(kc->srest ? spot_rest_cancel(kc->srest, kc->st, order_id, relay_done, r, err)
					 : no_product("Kraken Spot", err), r);
	return started(kc->frest ? fut_rest_cancel(kc->frest, kc->st, order_id, relay_done, r, err)
				 : no_product("Kraken Futures", err), r);
}

/* Spot has no per-pair cancel-all: cancel the pair's open orders one by one
 * and report the total. */
struct multi_cancel {
	struct kraken_client *kc;
	intent_cb cb;
	void *arg;
	int left, ok;
	struct intent_result first_err;
	bool has_err;
};

static void multi_step(void *arg, const struct intent_result *res)
{
	struct multi_cancel *m = arg;
	if (res->status == INTENT_OK)
		m->ok++;
	else if (!m->has_err) {
		m->first_err = *res;
		m->has_err = true;
	}
	if (--m->left > 0)
		return;
	struct intent_result out;
	if (m->has_err && m->ok == 0) {
		out = m->first_err;
	} else {
		memset(&out, 0, sizeof out);
		out.status = INTENT_OK;
		snprintf(out.message, sizeof out.message, "%d order%s cancelled%s", m->ok,
			 m->ok == 1 ? "" : "s", m->has_err ? " (some could not be)" : "");
	}
	out.count = m->ok;
	client_schedule_refresh(m->kc);
	if (m->cb)
		m->cb(m->arg, &out);
	free(m);
}

static int spot_cancel_instr(struct kraken_client *kc, int instr, intent_cb cb, void *arg,
			     struct kerr *err)
{
	struct multi_cancel *m = xcalloc(1, sizeof *m);
	m->kc = kc;
	m->cb = cb;
	m->arg = arg;
	m->left = 1; /* guard */
	/* Collect ids first: callbacks may change the order table. */
	size_t n = 0;
	char (*ids)[ORDER_ID_MAX] = xcalloc(kc->st->norders + 1, sizeof *ids);
	for (size_t i = 0; i < kc->st->norders; i++) {
		const struct order *o = &kc->st->orders[i];
		if (o->instr == instr && order_status_is_open(o->status))
			memcpy(ids[n++], o->id, ORDER_ID_MAX);
	}
	for (size_t i = 0; i < n; i++) {
		m->left++;
		struct kerr e2 = KERR_INIT;
		if (spot_rest_cancel(kc->srest, kc->st, ids[i], multi_step, m, &e2) < 0) {
			m->left--;
			LOGW("cancel %s: %s", ids[i], e2.msg);
		}
	}
	free(ids);
	(void)err;
	struct intent_result none = {.status = INTENT_OK};
	multi_step(m, &none);
	return 0;
}

static int gw_cancel_all(void *gw, enum product product, int instr, intent_cb cb, void *arg,
			 struct kerr *err)
{
	struct kraken_client *kc = KC(gw);
	if (product == PRODUCT_SPOT) {
		if (!kc->srest)
			return no_product("Kraken Spot", err);
		if (instr >= 0)
			return spot_cancel_instr(kc, instr, cb, arg, err);
		struct relay *r = relay_new(kc, product, cb, arg);
		return started(spot_rest_cancel_all(kc->srest, kc->st, relay_done, r, err), r);
	}
	if (!kc->frest)
		return no_product("Kraken Futures", err);
	struct relay *r = relay_new(kc, product, cb, arg);
	return started(fut_rest_cancel_all(kc->frest, kc->st, instr, relay_done, r, err), r);
}

static int gw_cancel_after(void *gw, enum product product, int timeout_s, intent_cb cb, void *arg,
			   struct kerr *err)
{
	struct kraken_client *kc = KC(gw);
	if (product == PRODUCT_SPOT)
		return kc->srest ? spot_rest_cancel_after(kc->srest, kc->st, timeout_s, cb, arg, err)
				 : no_product("Kraken Spot", err);
	return kc->frest ? fut_rest_cancel_after(kc->frest, kc->st, (unsigned)timeout_s, cb, arg, err)
			 : no_product("Kraken Futures", err);
}

static int gw_set_leverage(void *gw, int instr, const dec_t *leverage, intent_cb cb, void *arg,
			   struct kerr *err)
{
	struct kraken_client *kc = KC(gw);
	if (!kc->frest)
		return no_product("Kraken Futures", err);
	struct relay *r = relay_new(kc, PRODUCT_FUTURES, cb, arg);
	return started(fut_rest_set_leverage(kc->frest, kc->st, instr, leverage, relay_done, r, err), r);
}

static int gw_transfer(void *gw, const struct transfer_req *req, intent_cb cb, void *arg,
		       struct kerr *err)
{
	struct kraken_client *kc = KC(gw);
	/* Both wallets change: re-read both products afterwards. */
	struct relay *r = relay_new(kc, PRODUCT_SPOT, cb, arg);
	if (req->from == WALLET_SPOT) {
		if (!kc->srest)
			return started(no_product("Kraken Spot", err), r);
		return started(spot_rest_wallet_transfer(kc->srest, kc->st, req, relay_done, r, err), r);
	}
	if (!kc->frest)
		return started(no_product("Kraken Futures", err), r);
	if (req->to == WALLET_SPOT)
		return started(fut_rest_withdraw_to_spot(kc->frest, kc->st, req->asset, req->amount,
							 req->from, relay_done, r, err), r);
	return started(fut_rest_transfer(kc->frest, kc->st, req, relay_done, r, err), r);
}

void client_watch(void *gw, int instr, int depth)
{
	struct kraken_client *kc = KC(gw);
	const struct instrument *in = state_instrument(kc->st, instr);
	if (!in)
		return;
	enum product p = in->product;
	int prev = kc->watched[p];
	struct kerr err = KERR_INIT;
	if (p == PRODUCT_SPOT && kc->spub) {
		if (prev >= 0 && prev != instr) {
			spot_ws_pub_book(kc->spub, prev, 0, &err);
			spot_ws_pub_trades(kc->spub, prev, false, false, &err);
			spot_ws_pub_candles(kc->spub, prev, 0, &err);
		}
		if (spot_ws_pub_book(kc->spub, instr, depth, &err) < 0)
			LOGW("book %s: %s", in->id, err.msg);
		if (prev != instr) {
			spot_ws_pub_trades(kc->spub, instr, true, true, &err);
			spot_ws_pub_candles(kc->spub, instr, 1, &err);
			spot_ws_pub_ticker(kc->spub, instr, true, &err);
		}
	} else if (p == PRODUCT_FUTURES && kc->fws) {
		if (prev >= 0 && prev != instr)
			fut_ws_watch(kc->fws, state_instrument(kc->st, prev)->id, false);
		if (prev != instr) {
			fut_ws_watch(kc->fws, in->id, true);
			/* Futures WS has no candles: the chart is built from the trades. It
			 * has no funding history either: the funding pane's comes over REST. */
			if (instrument_is_perp(in) && kc->frest &&
			    fut_rest_get_funding(kc->frest, kc->st, instr, NULL, NULL, &err) < 0)
				LOGW("funding history %s: %s", in->id, err.msg);
		}
	}
	kc->watched[p] = instr;
	kc->watched_depth = depth;
}

static void gw_refresh(void *gw) { kraken_client_refresh(KC(gw), NULL, NULL); }

const struct gateway_ops kraken_gateway_ops = {
	.place = gw_place,
	.amend = gw_amend,
	.cancel = gw_cancel,
	.cancel_all = gw_cancel_all,
	.cancel_after = gw_cancel_after,
	.set_leverage = gw_set_leverage,
	.transfer = gw_transfer,
	.watch = client_watch,
	.refresh = gw_refresh,
};
