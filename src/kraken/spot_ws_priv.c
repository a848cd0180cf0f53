/* spot_ws_priv: the private Spot WS v2 session — token per connection,
 * executions and balances, and the trading methods with req_id matching. */
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "base/log.h"
#include "base/sbuf.h"
#include "base/strutil.h"
#include "base/xalloc.h"
#include "core/state.h"
#include "kraken/spot_ws.h"
#include "net/loop.h"

/* One outstanding token request; outlives the session if the owner answers late. */
struct tokreq {
	struct spot_ws_priv *p; /* NULL once the session is gone */
	uint32_t gen;           /* the connection it was asked for */
};

struct spot_ws_priv {
	struct kt_loop *loop;
	struct state *st;
	struct wsconn *conn;
	struct spot_ws_priv_ops ops;
	void *ctx;
	struct spot_ws_dec dec;
	struct spot_ws_msg msg;
	struct sbuf out;
	struct spot_ws_reqs reqs;
	struct kt_timer *tick;
	struct tokreq *tokreq;
	char *token;
	uint32_t gen; /* bumped on every connect */
	uint32_t timeout_ms;
	bool reconnect; /* the current connection is not the first */
	bool ready;     /* executions subscribed on this connection */
	struct spot_ws_stats stats;
};

static void forget_token(struct spot_ws_priv *p)
{
	xfree_secret(p->token);
	p->token = NULL;
}

static void priv_subscribe(struct spot_ws_priv *p, enum spot_ws_channel ch)
{
	struct kerr err = KERR_INIT;
	struct spot_ws_sub s = {.channel = ch, .snapshot = true, .token = p->token};
	if (spot_ws_build_subscribe(&p->out, false, &s, spot_ws_reqs_next_id(&p->reqs), &err) == 0)
		wsconn_send(p->conn, p->out.p, p->out.len);
	else
		LOGW("spot ws private: %s", err.msg);
	sbuf_reset(&p->out);
}

static void token_done(void *arg, const char *token, const char *error, bool fatal)
{
	struct tokreq *tr = arg;
	struct spot_ws_priv *p = tr->p;
	uint32_t gen = tr->gen;
	free(tr);
	if (!p)
		return; /* the session is gone */
	p->tokreq = NULL;
	if (gen != p->gen || !wsconn_is_open(p->conn))
		return; /* asked for a connection that no longer exists */
	if (!token || !token[0]) {
		char why[200];
		snprintf(why, sizeof why, "no WebSocket token: %s",
		         error ? error : "unknown error");
		if (fatal) {
			state_notice(p->st, NOTICE_ERROR, "Kraken Spot private feed stopped: %s",
			             why);
			wsconn_fail(p->conn, why);
		} else {
			wsconn_restart(p->conn, why);
		}
		return;
	}
	forget_token(p);
	p->token = xstrdup(token);
	priv_subscribe(p, SWC_EXECUTIONS);
	priv_subscribe(p, SWC_BALANCES);
}

static void ask_token(struct spot_ws_priv *p)
{
	if (p->tokreq)
		p->tokreq->p = NULL; /* an older request answers into the void */
	p->tokreq = xcalloc(1, sizeof *p->tokreq);
	p->tokreq->p = p;
	p->tokreq->gen = p->gen;
	p->ops.get_token(p->ctx, token_done, p->tokreq);
}

static void priv_connected(void *ctx, bool reconnect)
{
	struct spot_ws_priv *p = ctx;
	p->gen++;
	p->reconnect = reconnect;
	p->ready = false;
	spot_ws_dec_reset(&p->dec);
	forget_token(p);
	ask_token(p);
}

static void priv_disconnected(void *ctx, int code, const char *reason)
{
	struct spot_ws_priv *p = ctx;
	(void)code;
	p->ready = false;
	p->stats.unanswered +=
	        spot_ws_reqs_fail_all(&p->reqs, reason && reason[0] ? reason : "connection lost");
}

static void priv_on_ack(struct spot_ws_priv *p, const struct spot_ws_msg *m)
{
	if (!m->success) {
		LOGW("spot ws private: subscribing %s refused: %s",
		     spot_ws_channel_name(m->channel), m->error);
		/* A refused token gets a fresh one on the next connection. */
		wsconn_restart(p->conn, m->error);
		return;
	}
	if (m->channel != SWC_EXECUTIONS || m->method != SWM_SUBSCRIBE || p->ready)
		return;
	p->ready = true;
	wsconn_set_up(p->conn);
	if (p->reconnect && p->ops.reconcile)
		p->ops.reconcile(p->ctx);
}

static void priv_message(void *ctx, const char *msg, size_t len)
{
	struct spot_ws_priv *p = ctx;
	struct spot_ws_msg *m = &p->msg;
	struct kerr err = KERR_INIT;
	p->stats.msgs++;
	if (spot_ws_decode(&p->dec, p->st, msg, len, m, &err)) {
		p->stats.errors++;
		LOGW("spot ws private: message not applied: %s", err.msg);
		/* A lost execution report means our orders may be wrong. */
		if (m->channel == SWC_EXECUTIONS && p->ops.reconcile)
			p->ops.reconcile(p->ctx);
		return;
	}
	switch (m->kind) {
	case SWK_ACK:
		priv_on_ack(p, m);
		break;
	case SWK_RESPONSE:
		if (!spot_ws_reqs_answer(&p->reqs, m))
			LOGD("spot ws private: answer to unknown request %lld",
			     (long long)m->req_id);
		break;
	case SWK_DATA:
		state_feed_channel_msg(p->st, FEED_SPOT_PRIVATE, spot_ws_channel_name(m->channel));
		if (m->seq_gap && p->ops.reconcile) {
			LOGW("spot ws private: %s sequence skipped; reconciling",
			     spot_ws_channel_name(m->channel));
			p->ops.reconcile(p->ctx);
		}
		break;
	default:
		break;
	}
}

static void priv_ping(void *ctx)
{
	struct spot_ws_priv *p = ctx;
	spot_ws_build_ping(&p->out, spot_ws_reqs_next_id(&p->reqs));
	wsconn_send(p->conn, p->out.p, p->out.len);
	sbuf_reset(&p->out);
}

static void priv_tick(void *arg)
{
	struct spot_ws_priv *p = arg;
	if (spot_ws_reqs_count(&p->reqs))
		p->stats.unanswered += spot_ws_reqs_expire(&p->reqs, kt_mono_ms(),
		                                           "Kraken did not answer in time");
}

static const struct wsconn_ops priv_ops = {
        .on_connected = priv_connected,
        .on_message = priv_message,
        .on_disconnected = priv_disconnected,
        .send_ping = priv_ping,
};

struct spot_ws_priv *spot_ws_priv_new(struct kt_loop *loop, struct state *st, const char *url,
                                      const struct wsconn_policy *policy,
                                      const struct spot_ws_priv_ops *ops, void *ctx)
{
	struct spot_ws_priv *p = xcalloc(1, sizeof *p);
	struct wsconn_policy pol = policy ? *policy : wsconn_policy_spot();
	pol.up_after_auth = true;
	p->loop = loop;
	p->st = st;
	p->ops = *ops;
	p->ctx = ctx;
	p->timeout_ms = 10000;
	spot_ws_dec_init(&p->dec);
	sbuf_init(&p->out);
	spot_ws_reqs_init(&p->reqs);
	p->conn = wsconn_new(loop, st, FEED_SPOT_PRIVATE, url ? url : SPOT_WS_URL_PRIVATE, &pol,
	                     &priv_ops, p, NULL);
	return p;
}

void spot_ws_priv_free(struct spot_ws_priv *p)
{
	if (!p)
		return;
	if (p->tokreq)
		p->tokreq->p = NULL;
	wsconn_free(p->conn);
	kt_timer_stop(p->tick);
	spot_ws_dec_free(&p->dec);
	sbuf_free(&p->out);
	spot_ws_reqs_free(&p->reqs);
	forget_token(p);
	free(p);
}

void spot_ws_priv_start(struct spot_ws_priv *p)
{
	if (!p->tick)
		p->tick = kt_timer_start(p->loop, 500, 500, priv_tick, p);
	wsconn_start(p->conn);
}

void spot_ws_priv_stop(struct spot_ws_priv *p)
{
	wsconn_stop(p->conn);
	kt_timer_stop(p->tick);
	p->tick = NULL;
	p->ready = false;
	p->stats.unanswered += spot_ws_reqs_fail_all(&p->reqs, "the private feed was stopped");
}

bool spot_ws_priv_ready(const struct spot_ws_priv *p)
{
	return p->ready && p->token;
}

void spot_ws_priv_set_timeout(struct spot_ws_priv *p, uint32_t ms)
{
	p->timeout_ms = ms;
}

struct wsconn *spot_ws_priv_conn(struct spot_ws_priv *p)
{
	return p->conn;
}

struct spot_ws_stats spot_ws_priv_stats(const struct spot_ws_priv *p)
{
	return p->stats;
}

/* ---- trading ---- */

static int not_ready(struct spot_ws_priv *p, struct kerr *err)
{
	if (spot_ws_priv_ready(p))
		return 0;
	return kerr_set(err, SPOT_WS_E_VALUE,
	                "the Kraken Spot private WebSocket is not connected; try again shortly");
}

/* Send what is in p->out and track it; on failure nothing is tracked. */
static int submit(struct spot_ws_priv *p, int64_t id, enum spot_ws_method m, intent_cb cb,
                  spot_ws_batch_cb bcb, void *arg, unsigned expect, const char *const *cl,
                  unsigned ncl, struct kerr *err)
{
	int rc = wsconn_send(p->conn, p->out.p, p->out.len);
	sbuf_reset(&p->out);
	if (rc)
		return kerr_set(err, SPOT_WS_E_VALUE,
		                "the Kraken Spot private WebSocket is closing");
	spot_ws_reqs_add(&p->reqs, id, m, kt_mono_ms() + p->timeout_ms, cb, bcb, arg, expect, cl,
	                 ncl);
	return 0;
}

static const struct instrument *spot_instr(const struct spot_ws_priv *p, int idx, struct kerr *err)
{
	const struct instrument *in = state_instrument(p->st, idx);
	if (!in || in->product != PRODUCT_SPOT) {
		kerr_set(err, SPOT_WS_E_UNKNOWN, "not a Kraken Spot instrument");
		return NULL;
	}
	return in;
}

int spot_ws_place(struct spot_ws_priv *p, const struct order_req *req,
                  const struct spot_ws_order_opts *opts, intent_cb cb, void *arg, struct kerr *err)
{
	const struct instrument *in = spot_instr(p, req->instr, err);
	if (!in || not_ready(p, err))
		return -1;
	int64_t id = spot_ws_reqs_next_id(&p->reqs);
	if (spot_ws_build_add_order(&p->out, in, req, opts, p->token, id, err)) {
		sbuf_reset(&p->out);
		return -1;
	}
	const char *cl = req->cl_id;
	return submit(p, id, SWM_ADD_ORDER, cb, NULL, arg, 1, &cl, 1, err);
}

int spot_ws_batch_add(struct spot_ws_priv *p, const struct order_req *reqs, size_t n,
                      const struct spot_ws_order_opts *opts, spot_ws_batch_cb cb, void *arg,
                      struct kerr *err)
{
	const struct instrument *in = n ? spot_instr(p, reqs[0].instr, err) : NULL;
	if (!n)
		kerr_set(err, SPOT_WS_E_VALUE, "an empty batch");
	if (!in || not_ready(p, err))
		return -1;
	int64_t id = spot_ws_reqs_next_id(&p->reqs);
	if (spot_ws_build_batch_add(&p->out, in, reqs, n, opts, p->token, id, err)) {
		sbuf_reset(&p->out);
		return -1;
	}
	const char *cl[SPOT_WS_BATCH_MAX];
	for (size_t i = 0; i < n; i++)
		cl[i] = reqs[i].cl_id;
	return submit(p, id, SWM_BATCH_ADD, NULL, cb, arg, 1, cl, (unsigned)n, err);
}

int spot_ws_amend(struct spot_ws_priv *p, const struct amend_req *a, intent_cb cb, void *arg,
                  struct kerr *err)
{
	if (not_ready(p, err))
		return -1;
	const struct order *o = state_order_get(p->st, a->order_id);
	dec_t qty = o ? o->qty : dec_zero();
	int64_t id = spot_ws_reqs_next_id(&p->reqs);
	if (spot_ws_build_amend(&p->out, a, qty, false, o && o->post_only, 0, p->token, id, err)) {
		sbuf_reset(&p->out);
		return -1;
	}
	const char *cl = o ? o->cl_id : NULL;
	return submit(p, id, SWM_AMEND_ORDER, cb, NULL, arg, 1, &cl, cl ? 1 : 0, err);
}

int spot_ws_edit(struct spot_ws_priv *p, const struct amend_req *a, intent_cb cb, void *arg,
                 struct kerr *err)
{
	const struct order *o = state_order_get(p->st, a->order_id);
	if (!o)
		return kerr_set(err, SPOT_WS_E_UNKNOWN, "order %s is not known", a->order_id);
	const struct instrument *in = spot_instr(p, o->instr, err);
	if (!in || not_ready(p, err))
		return -1;
	int64_t id = spot_ws_reqs_next_id(&p->reqs);
	if (spot_ws_build_edit(&p->out, in, a, p->token, id, err)) {
		sbuf_reset(&p->out);
		return -1;
	}
	return submit(p, id, SWM_EDIT_ORDER, cb, NULL, arg, 1, NULL, 0, err);
}

int spot_ws_cancel(struct spot_ws_priv *p, const char *order_id, intent_cb cb, void *arg,
                   struct kerr *err)
{
	return spot_ws_cancel_many(p, &order_id, 1, false, cb, arg, err);
}

int spot_ws_cancel_many(struct spot_ws_priv *p, const char *const *ids, size_t n, bool by_cl,
                        intent_cb cb, void *arg, struct kerr *err)
{
	if (not_ready(p, err))
		return -1;
	int64_t id = spot_ws_reqs_next_id(&p->reqs);
	if (spot_ws_build_cancel(&p->out, ids, n, by_cl, p->token, id, err)) {
		sbuf_reset(&p->out);
		return -1;
	}
	return submit(p, id, SWM_CANCEL_ORDER, cb, NULL, arg, (unsigned)n, by_cl ? ids : NULL,
	              by_cl ? (unsigned)n : 0, err);
}

int spot_ws_cancel_all(struct spot_ws_priv *p, intent_cb cb, void *arg, struct kerr *err)
{
	if (not_ready(p, err))
		return -1;
	int64_t id = spot_ws_reqs_next_id(&p->reqs);
	spot_ws_build_cancel_all(&p->out, p->token, id);
	return submit(p, id, SWM_CANCEL_ALL, cb, NULL, arg, 1, NULL, 0, err);
}

int spot_ws_cancel_after(struct spot_ws_priv *p, int timeout_s, intent_cb cb, void *arg,
                         struct kerr *err)
{
	if (not_ready(p, err))
		return -1;
	int64_t id = spot_ws_reqs_next_id(&p->reqs);
	if (spot_ws_build_cancel_after(&p->out, timeout_s, p->token, id, err)) {
		sbuf_reset(&p->out);
		return -1;
	}
	return submit(p, id, SWM_CANCEL_AFTER, cb, NULL, arg, 1, NULL, 0, err);
}

int spot_ws_batch_cancel(struct spot_ws_priv *p, const char *const *ids, size_t n,
                         const char *const *cl_ids, size_t ncl, intent_cb cb, void *arg,
                         struct kerr *err)
{
	if (not_ready(p, err))
		return -1;
	int64_t id = spot_ws_reqs_next_id(&p->reqs);
	if (spot_ws_build_batch_cancel(&p->out, ids, n, cl_ids, ncl, p->token, id, err)) {
		sbuf_reset(&p->out);
		return -1;
	}
	return submit(p, id, SWM_BATCH_CANCEL, cb, NULL, arg, 1, NULL, 0, err);
}
