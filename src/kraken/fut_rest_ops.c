/* fut_rest_ops: the session's endpoints — build the parameters, decode the
 * reply into the state, report an intent_result — and the reconciliation of
 * orders whose outcome is unknown (see fut_rest.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "base/xalloc.h"
#include "core/state.h"
#include "kraken/fut_rest.h"
#include "kraken/fut_rest_int.h"
#include "kraken/symbols.h"

/* ---- generic replies ---- */

/* A decoder failed: Kraken's refusal (FUT_E_API) or a reply we cannot read. */
static void decode_failed(const struct fut_doc *fd, const struct kerr *err,
                          struct intent_result *res)
{
	if (err->code == FUT_E_API)
		fut_error_intent(fd->error, res);
	else
		fr_result(res, INTENT_FAILED, "", "%s", err->msg);
}

static int decode_plain(struct fr_call *c, const struct fut_doc *fd, struct kerr *err)
{
	switch (c->ep) {
	case FUT_EP_INSTRUMENTS:
		return fut_decode_instruments(fd, c->st, NULL, err);
	case FUT_EP_TICKERS:
		return fut_decode_tickers(fd, c->st, err);
	case FUT_EP_ORDERBOOK:
		return fut_decode_orderbook(fd, c->st, c->instr, err);
	case FUT_EP_HISTORY:
		return fut_decode_history(fd, c->st, c->instr, err);
	case FUT_EP_FUNDING_RATES:
		return fut_decode_funding_rates(fd, c->st, c->instr, err);
	case FUT_EP_ACCOUNTS:
		return fut_decode_accounts(fd, c->st, err);
	case FUT_EP_OPENPOSITIONS:
		return fut_decode_openpositions(fd, c->st, err);
	case FUT_EP_OPENORDERS:
		return fut_decode_openorders(fd, c->st, err);
	case FUT_EP_FILLS:
		return fut_decode_fills(fd, c->st, err);
	case FUT_EP_ACCOUNT_LOG:
		return fut_decode_account_log(fd, c->st, err);
	default: /* PUT preferences, transfer: success is all there is */
		return fut_doc_check(fd, err);
	}
}

static void plain_reply(struct fr_call *c, const struct fut_doc *fd)
{
	struct kerr err = KERR_INIT;
	struct intent_result res;
	if (decode_plain(c, fd, &err))
		decode_failed(fd, &err, &res);
	else
		fr_result(&res, INTENT_OK, "success", "done");
	fr_finish(c, &res);
}

static void plain_fail(struct fr_call *c, enum fr_fail kind, const char *msg)
{
	struct intent_result res;
	if (kind == FR_UNKNOWN)
		fr_result(&res, INTENT_UNKNOWN, "",
		          "%s: the request may or may not have taken effect", msg);
	else
		fr_result(&res, INTENT_FAILED, "", "%s", msg);
	fr_finish(c, &res);
}

static struct fr_call *new_call(struct fut_rest *fr, struct state *st, enum fut_ep ep, intent_cb cb,
                                void *arg)
{
	struct fr_call *c = fr_call_new(fr, st, ep);
	c->on_reply = plain_reply;
	c->on_fail = plain_fail;
	c->cb = cb;
	c->arg = arg;
	return c;
}

/* The futures instrument at idx, or NULL with err. */
static const struct instrument *fut_instr(struct state *st, int idx, struct kerr *err)
{
	const struct instrument *in = state_instrument(st, idx);
	if (!in || in->product != PRODUCT_FUTURES) {
		kerr_set(err, FUT_REST_E_ARG, "not a Kraken Futures instrument (nothing was sent)");
		return NULL;
	}
	return in;
}

static const char *sym(const struct instrument *in)
{
	return in->rest_id[0] ? in->rest_id : in->id;
}

/* ---- public ---- */

int fut_rest_load_instruments(struct fut_rest *fr, struct state *st, intent_cb cb, void *arg,
                              struct kerr *err)
{
	return fr_submit(new_call(fr, st, FUT_EP_INSTRUMENTS, cb, arg), err);
}

int fut_rest_get_tickers(struct fut_rest *fr, struct state *st, intent_cb cb, void *arg,
                         struct kerr *err)
{
	return fr_submit(new_call(fr, st, FUT_EP_TICKERS, cb, arg), err);
}

static int per_instr(struct fut_rest *fr, struct state *st, enum fut_ep ep, int instr, intent_cb cb,
                     void *arg, struct kerr *err)
{
	const struct instrument *in = fut_instr(st, instr, err);
	if (!in)
		return -1;
	struct fr_call *c = new_call(fr, st, ep, cb, arg);
	c->instr = instr;
	fut_build_symbol(sym(in), &c->params);
	return fr_submit(c, err);
}

int fut_rest_get_book(struct fut_rest *fr, struct state *st, int instr, intent_cb cb, void *arg,
                      struct kerr *err)
{
	return per_instr(fr, st, FUT_EP_ORDERBOOK, instr, cb, arg, err);
}

int fut_rest_get_trades(struct fut_rest *fr, struct state *st, int instr, intent_cb cb, void *arg,
                        struct kerr *err)
{
	return per_instr(fr, st, FUT_EP_HISTORY, instr, cb, arg, err);
}

int fut_rest_get_funding(struct fut_rest *fr, struct state *st, int instr, intent_cb cb, void *arg,
                         struct kerr *err)
{
	return per_instr(fr, st, FUT_EP_FUNDING_RATES, instr, cb, arg, err);
}

/* ---- private data ---- */

static int need_key(struct fut_rest *fr, struct kerr *err)
{
	if (fut_rest_has_keys(fr))
		return 0;
	return kerr_set(err, FUT_REST_E_NOKEY,
	                "no Kraken Futures API key is configured (nothing was sent)");
}

int fut_rest_refresh_private(struct fut_rest *fr, struct state *st, intent_cb cb, void *arg,
                             struct kerr *err)
{
	if (need_key(fr, err))
		return -1;
	static const enum fut_ep eps[] = {FUT_EP_ACCOUNTS, FUT_EP_OPENPOSITIONS, FUT_EP_OPENORDERS,
	                                  FUT_EP_FILLS};
	struct fr_group *g = xcalloc(1, sizeof *g);
	g->cb = cb;
	g->arg = arg;
	g->pending = (int)(sizeof eps / sizeof eps[0]);
	g->refs = g->pending;
	for (size_t i = 0; i < sizeof eps / sizeof eps[0]; i++) {
		struct fr_call *c = new_call(fr, st, eps[i], NULL, NULL);
		c->group = g;
		fr_submit(c, NULL); /* cannot fail: the key is there */
	}
	return 0;
}

int fut_rest_get_account_log(struct fut_rest *fr, struct state *st, unsigned count,
                             int64_t since_ms, intent_cb cb, void *arg, struct kerr *err)
{
	if (need_key(fr, err))
		return -1;
	struct fr_call *c = new_call(fr, st, FUT_EP_ACCOUNT_LOG, cb, arg);
	fut_build_account_log(count, since_ms, &c->params);
	return fr_submit(c, err);
}

#define PREFS_MAX 256

static void prefs_reply(struct fr_call *c, const struct fut_doc *fd)
{
	struct kerr err = KERR_INIT;
	struct intent_result res;
	struct fut_pref *p = xcalloc(PREFS_MAX, sizeof *p);
	size_t n = 0;
	int rc = c->ep == FUT_EP_LEVERAGE_GET
	                 ? fut_decode_leverage_prefs(fd, p, PREFS_MAX, &n, &err)
	                 : fut_decode_pnl_prefs(fd, p, PREFS_MAX, &n, &err);
	if (rc)
		decode_failed(fd, &err, &res);
	else
		fr_result(&res, INTENT_OK, "success", "done");
	fut_prefs_cb cb = c->pcb;
	void *arg = c->arg;
	c->cb = NULL;
	fr_finish(c, &res);
	if (cb)
		cb(arg, &res, p, rc ? 0 : (n < PREFS_MAX ? n : PREFS_MAX));
	free(p);
}

static void prefs_fail(struct fr_call *c, enum fr_fail kind, const char *msg)
{
	(void)kind;
	struct intent_result res;
	fr_result(&res, INTENT_FAILED, "", "%s", msg);
	fut_prefs_cb cb = c->pcb;
	void *arg = c->arg;
	fr_finish(c, &res);
	if (cb)
		cb(arg, &res, NULL, 0);
}

static int get_prefs(struct fut_rest *fr, struct state *st, enum fut_ep ep, fut_prefs_cb cb,
                     void *arg, struct kerr *err)
{
	if (need_key(fr, err))
		return -1;
	struct fr_call *c = new_call(fr, st, ep, NULL, arg);
	c->pcb = cb;
	c->on_reply = prefs_reply;
	c->on_fail = prefs_fail;
	return fr_submit(c, err);
}

int fut_rest_get_leverage_prefs(struct fut_rest *fr, struct state *st, fut_prefs_cb cb, void *arg,
                                struct kerr *err)
{
	return get_prefs(fr, st, FUT_EP_LEVERAGE_GET, cb, arg, err);
}

int fut_rest_get_pnl_prefs(struct fut_rest *fr, struct state *st, fut_prefs_cb cb, void *arg,
                           struct kerr *err)
{
	return get_prefs(fr, st, FUT_EP_PNL_GET, cb, arg, err);
}

/* ---- order replies ---- */

/* A fire-and-forget openorders refresh after an order request of unknown
 * outcome, so the screen shows the truth soon. */
static void refresh_orders(struct fut_rest *fr, struct state *st)
{
	struct fr_call *c = new_call(fr, st, FUT_EP_OPENORDERS, NULL, NULL);
	fr_submit(c, NULL);
}

static void order_reply(struct fr_call *c, const struct fut_doc *fd)
{
	struct kerr err = KERR_INIT;
	struct intent_result res;
	struct fut_order_result r;
	int rc;
	if (!fd->ok) { /* Kraken refused the request itself: nothing happened */
		fut_error_intent(fd->error, &res);
		fr_finish(c, &res);
		return;
	}
	switch (c->ep) {
	case FUT_EP_EDITORDER:
		rc = fut_decode_editorder(fd, c->st, &r, &err);
		break;
	case FUT_EP_CANCELORDER:
		rc = fut_decode_cancelorder(fd, c->st, &r, &err);
		break;
	case FUT_EP_CANCELALL:
		rc = fut_decode_cancelall(fd, c->st, &r, &err);
		break;
	case FUT_EP_CANCELAFTER:
		rc = fut_decode_cancel_after(fd, &r, &err);
		break;
	case FUT_EP_WITHDRAWAL:
		rc = fut_decode_withdrawal(fd, &r, &err);
		break;
	default:
		rc = fut_doc_check(fd, &err);
		memset(&r, 0, sizeof r);
		snprintf(r.status, sizeof r.status, "success");
		break;
	}
	if (rc) {
		fr_result(&res, INTENT_UNKNOWN, "",
		          "%s: the request may or may not have taken effect", err.msg);
		refresh_orders(c->fr, c->st);
	} else {
		fut_result_intent(c->ep, &r, &res);
	}
	fr_finish(c, &res);
}

static void order_fail(struct fr_call *c, enum fr_fail kind, const char *msg)
{
	if (kind == FR_UNKNOWN && c->ep != FUT_EP_TRANSFER && c->ep != FUT_EP_WITHDRAWAL &&
	    c->ep != FUT_EP_LEVERAGE_PUT && c->ep != FUT_EP_PNL_PUT)
		refresh_orders(c->fr, c->st);
	plain_fail(c, kind, msg);
}

static struct fr_call *order_call(struct fut_rest *fr, struct state *st, enum fut_ep ep,
                                  intent_cb cb, void *arg)
{
	struct fr_call *c = new_call(fr, st, ep, cb, arg);
	c->on_reply = order_reply;
	c->on_fail = order_fail;
	return c;
}

/* ---- reconciliation of sendorder ---- */

static void recon_reply(struct fr_call *c, const struct fut_doc *fd);
static void recon_fail(struct fr_call *c, enum fr_fail kind, const char *msg);

static void recon_setup(struct fr_call *c)
{
	static const enum fut_ep steps[] = {FUT_EP_ORDERS_STATUS, FUT_EP_OPENORDERS, FUT_EP_FILLS};
	c->ep = steps[c->recon_step - 1];
	c->attempts = 0;
	c->write = false; /* looking is safe to repeat */
	c->on_reply = recon_reply;
	c->on_fail = recon_fail;
	sbuf_reset(&c->params);
	if (c->ep == FUT_EP_ORDERS_STATUS) {
		const char *cl = c->req.cl_id;
		fut_build_orders_status(NULL, 0, &cl, 1, &c->params);
	}
}

static void recon_start(struct fr_call *c, const char *why)
{
	LOGW("futures order %s: outcome unknown (%s); checking by its client id", c->req.cl_id,
	     why);
	c->recon_step = 1;
	recon_setup(c);
	fr_resubmit_after(c, c->fr->recon_delay_ms);
}

static void recon_found(struct fr_call *c, const char *order_id, const char *how)
{
	struct intent_result res;
	fr_result(&res, INTENT_OK, "placed",
	          "order placed (confirmed by %s after the reply was lost)", how);
	snprintf(res.order_id, sizeof res.order_id, "%s", order_id);
	fr_finish(c, &res);
}

static void recon_next(struct fr_call *c)
{
	if (c->recon_step >= 3) {
		struct intent_result res;
		fr_result(&res, INTENT_FAILED, "notFound",
		          "the order was not placed: Kraken has no order with client id %s "
		          "(checked order status, open orders and fills)",
		          c->req.cl_id);
		fr_finish(c, &res);
		return;
	}
	c->recon_step++;
	recon_setup(c);
	fr_resubmit_after(c, 0);
}

/* orders/status answered: the order's lifecycle says placed or rejected. */
static int recon_status(struct fr_call *c, const struct fut_doc *fd, struct kerr *err)
{
	struct fut_order_state os[8];
	size_t n = 0;
	if (fut_decode_orders_status(fd, c->st, os, 8, &n, err))
		return -1;
	for (size_t i = 0; i < n && i < 8; i++) {
		if (strcmp(os[i].cl_id, c->req.cl_id) != 0)
			continue;
		if (os[i].status == FUT_LC_REJECTED) {
			struct intent_result res;
			fr_result(&res, INTENT_REJECTED, os[i].error[0] ? os[i].error : "REJECTED",
			          "Kraken rejected the order (%s)",
			          os[i].error[0] ? os[i].error : "no reason given");
			snprintf(res.order_id, sizeof res.order_id, "%s", os[i].order_id);
			fr_finish(c, &res);
		} else {
			recon_found(c, os[i].order_id, "its order status");
		}
		return 1;
	}
	return 0;
}

static void recon_reply(struct fr_call *c, const struct fut_doc *fd)
{
	struct kerr err = KERR_INIT;
	char id[ORDER_ID_MAX] = "";
	int found;
	switch (c->ep) {
	case FUT_EP_ORDERS_STATUS:
		found = recon_status(c, fd, &err);
		if (found > 0)
			return;
		break;
	case FUT_EP_OPENORDERS:
		found = fut_find_cl_ord_id(fd, "openOrders", c->req.cl_id, id, sizeof id, &err);
		if (found >= 0 && fut_decode_openorders(fd, c->st, &err))
			found = -1;
		break;
	default:
		found = fut_find_cl_ord_id(fd, "fills", c->req.cl_id, id, sizeof id, &err);
		if (found >= 0 && fut_decode_fills(fd, c->st, &err))
			found = -1;
		break;
	}
	if (found < 0) {
		recon_fail(c, FR_FAILED, err.msg);
		return;
	}
	if (found > 0) {
		recon_found(c, id, c->ep == FUT_EP_OPENORDERS ? "the open orders" : "its fills");
		return;
	}
	recon_next(c);
}

static void recon_fail(struct fr_call *c, enum fr_fail kind, const char *msg)
{
	(void)kind;
	if (++c->attempts < FR_RECON_TRIES) {
		fr_resubmit_after(c, fr_backoff(c->fr, c->attempts));
		return;
	}
	struct intent_result res;
	fr_result(&res, INTENT_UNKNOWN, "",
	          "the order's outcome is unknown: Kraken's reply was lost "
	          "and checking failed (%s); look for client id %s before "
	          "sending it again",
	          msg, c->req.cl_id);
	fr_finish(c, &res);
}

static void send_reply(struct fr_call *c, const struct fut_doc *fd)
{
	struct kerr err = KERR_INIT;
	struct intent_result res;
	struct fut_order_result r;
	if (!fd->ok) { /* refused before anything was placed */
		fut_error_intent(fd->error, &res);
		fr_finish(c, &res);
		return;
	}
	if (fut_decode_sendorder(fd, c->st, &r, &err)) {
		recon_start(c, err.msg); /* accepted, but we cannot read what happened */
		return;
	}
	fut_result_intent(FUT_EP_SENDORDER, &r, &res);
	fr_finish(c, &res);
}

static void send_fail(struct fr_call *c, enum fr_fail kind, const char *msg)
{
	if (kind == FR_UNKNOWN) {
		recon_start(c, msg);
		return;
	}
	plain_fail(c, kind, msg);
}

/* ---- trading ---- */

int fut_rest_send_order(struct fut_rest *fr, struct state *st, const struct order_req *req,
                        intent_cb cb, void *arg, struct kerr *err)
{
	const struct instrument *in = fut_instr(st, req->instr, err);
	if (!in || need_key(fr, err))
		return -1;
	if (!req->cl_id[0])
		return kerr_set(err, FUT_REST_E_ARG,
		                "an order needs a client order id (nothing was sent)");
	struct fr_call *c = new_call(fr, st, FUT_EP_SENDORDER, cb, arg);
	c->req = *req;
	c->on_reply = send_reply;
	c->on_fail = send_fail;
	if (fut_build_sendorder(in, req, &c->params, err)) {
		fr_call_free(c);
		return -1;
	}
	return fr_submit(c, err);
}

int fut_rest_edit(struct fut_rest *fr, struct state *st, const struct amend_req *a, intent_cb cb,
                  void *arg, struct kerr *err)
{
	if (need_key(fr, err))
		return -1;
	struct fr_call *c = order_call(fr, st, FUT_EP_EDITORDER, cb, arg);
	if (fut_build_editorder(a, false, &c->params, err)) {
		fr_call_free(c);
		return -1;
	}
	return fr_submit(c, err);
}

int fut_rest_cancel(struct fut_rest *fr, struct state *st, const char *order_id, intent_cb cb,
                    void *arg, struct kerr *err)
{
	if (need_key(fr, err))
		return -1;
	struct fr_call *c = order_call(fr, st, FUT_EP_CANCELORDER, cb, arg);
	if (fut_build_cancelorder(order_id, NULL, &c->params, err)) {
		fr_call_free(c);
		return -1;
	}
	return fr_submit(c, err);
}

int fut_rest_cancel_all(struct fut_rest *fr, struct state *st, int instr, intent_cb cb, void *arg,
                        struct kerr *err)
{
	const struct instrument *in = NULL;
	if (instr >= 0 && !(in = fut_instr(st, instr, err)))
		return -1;
	if (need_key(fr, err))
		return -1;
	struct fr_call *c = order_call(fr, st, FUT_EP_CANCELALL, cb, arg);
	fut_build_cancelall(in ? sym(in) : NULL, &c->params);
	return fr_submit(c, err);
}

int fut_rest_cancel_after(struct fut_rest *fr, struct state *st, unsigned timeout_s, intent_cb cb,
                          void *arg, struct kerr *err)
{
	if (need_key(fr, err))
		return -1;
	struct fr_call *c = order_call(fr, st, FUT_EP_CANCELAFTER, cb, arg);
	fut_build_cancel_after(timeout_s, &c->params);
	return fr_submit(c, err);
}

static void batch_reply(struct fr_call *c, const struct fut_doc *fd)
{
	struct kerr err = KERR_INIT;
	struct intent_result res;
	size_t cap = jtok_size(&fd->d, jobj_get(&fd->d, 0, "batchStatus")) + 1, n = 0;
	struct fut_order_result *items = xcalloc(cap, sizeof *items);
	if (!fd->ok)
		fut_error_intent(fd->error, &res);
	else if (fut_decode_batch(fd, c->st, items, cap, &n, &err))
		fr_result(&res, INTENT_UNKNOWN, "",
		          "%s: the batch may or may not have taken effect", err.msg);
	else
		fr_result(&res, INTENT_OK, "success",
		          "batch processed: see each instruction's status");
	if (res.status == INTENT_UNKNOWN)
		refresh_orders(c->fr, c->st);
	fut_batch_cb cb = c->bcb;
	void *arg = c->arg;
	fr_finish(c, &res);
	if (cb)
		cb(arg, &res, items, res.status == INTENT_OK ? n : 0);
	free(items);
}

static void batch_fail(struct fr_call *c, enum fr_fail kind, const char *msg)
{
	struct intent_result res;
	if (kind == FR_UNKNOWN) {
		fr_result(&res, INTENT_UNKNOWN, "",
		          "%s: the batch may or may not have taken effect", msg);
		refresh_orders(c->fr, c->st);
	} else {
		fr_result(&res, INTENT_FAILED, "", "%s", msg);
	}
	fut_batch_cb cb = c->bcb;
	void *arg = c->arg;
	fr_finish(c, &res);
	if (cb)
		cb(arg, &res, NULL, 0);
}

int fut_rest_batch(struct fut_rest *fr, struct state *st, const struct fut_batch_item *items,
                   size_t n, fut_batch_cb cb, void *arg, struct kerr *err)
{
	if (need_key(fr, err))
		return -1;
	struct fr_call *c = new_call(fr, st, FUT_EP_BATCHORDER, NULL, arg);
	c->bcb = cb;
	c->on_reply = batch_reply;
	c->on_fail = batch_fail;
	if (fut_build_batch(items, n, &c->params, err)) {
		fr_call_free(c);
		return -1;
	}
	return fr_submit(c, err);
}

int fut_rest_set_leverage(struct fut_rest *fr, struct state *st, int instr,
                          const dec_t *lev_or_null, intent_cb cb, void *arg, struct kerr *err)
{
	const struct instrument *in = fut_instr(st, instr, err);
	if (!in || need_key(fr, err))
		return -1;
	if (lev_or_null && dec_sign(*lev_or_null) <= 0)
		return kerr_set(err, FUT_REST_E_ARG,
		                "leverage must be above zero (nothing was sent)");
	struct fr_call *c = order_call(fr, st, FUT_EP_LEVERAGE_PUT, cb, arg);
	fut_build_leverage_put(sym(in), lev_or_null, &c->params);
	return fr_submit(c, err);
}

int fut_rest_set_pnl_currency(struct fut_rest *fr, struct state *st, int instr,
                              const char *currency, intent_cb cb, void *arg, struct kerr *err)
{
	const struct instrument *in = fut_instr(st, instr, err);
	if (!in || need_key(fr, err))
		return -1;
	char cur[ASSET_MAX];
	kraken_futures_currency(currency, cur, sizeof cur);
	struct fr_call *c = order_call(fr, st, FUT_EP_PNL_PUT, cb, arg);
	fut_build_pnl_put(sym(in), cur, &c->params);
	return fr_submit(c, err);
}

int fut_rest_transfer(struct fut_rest *fr, struct state *st, const struct transfer_req *t,
                      intent_cb cb, void *arg, struct kerr *err)
{
	if (t->to == WALLET_SPOT)
		return fut_rest_withdraw_to_spot(fr, st, t->asset, t->amount, t->from, cb, arg,
		                                 err);
	const char *from = fut_wallet_name(t->from), *to = fut_wallet_name(t->to);
	if (!from || !to || t->from == t->to)
		return kerr_set(err, FUT_REST_E_ARG,
		                "a Futures transfer moves funds between the flex and cash wallets "
		                "(nothing was sent)");
	if (dec_sign(t->amount) <= 0)
		return kerr_set(err, FUT_REST_E_ARG,
		                "the amount must be above zero (nothing was sent)");
	if (need_key(fr, err))
		return -1;
	char unit[ASSET_MAX];
	kraken_futures_currency(t->asset, unit, sizeof unit);
	struct fr_call *c = order_call(fr, st, FUT_EP_TRANSFER, cb, arg);
	fut_build_transfer(from, to, unit, t->amount, &c->params);
	return fr_submit(c, err);
}

int fut_rest_withdraw_to_spot(struct fut_rest *fr, struct state *st, const char *asset,
                              dec_t amount, enum wallet from, intent_cb cb, void *arg,
                              struct kerr *err)
{
	const char *src = fut_wallet_name(from);
	if (!src)
		return kerr_set(
		        err, FUT_REST_E_ARG,
		        "withdrawals to Spot come from the flex or cash wallet (nothing was sent)");
	if (dec_sign(amount) <= 0)
		return kerr_set(err, FUT_REST_E_ARG,
		                "the amount must be above zero (nothing was sent)");
	if (need_key(fr, err))
		return -1;
	char cur[ASSET_MAX];
	kraken_futures_currency(asset, cur, sizeof cur);
	struct fr_call *c = order_call(fr, st, FUT_EP_WITHDRAWAL, cb, arg);
	fut_build_withdrawal(cur, amount, src, &c->params);
	return fr_submit(c, err);
}
