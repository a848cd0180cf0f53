/* spot_rest_ops: order actions over Spot REST with their reconciliation —
 * AddOrder (unknown outcome: look for the client order id among open, then
 * recently closed orders; sent again only when a nonce refusal was followed
 * by proof that it was not placed), AmendOrder and CancelOrder (unknown
 * outcome: query the order), CancelAll, CancelAllOrdersAfter and
 * WalletTransfer. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "base/strutil.h"
#include "kraken/spot_rest_impl.h"

/* How far back ClosedOrders looks for an order placed with an unknown outcome. */
#define RECONCILE_LOOKBACK_S 120
/* AddOrders sent again after "EAPI:Invalid nonce" when the lookup proved the
 * refused one was not placed (another process won the nonce race). */
#define ADD_NONCE_RESENDS 3

enum op_kind { OK_ADD, OK_AMEND, OK_CANCEL, OK_CANCEL_ALL, OK_CANCEL_AFTER, OK_TRANSFER };

struct intent_op {
	struct sr_op op;
	enum op_kind kind;
	struct state *st;
	intent_cb cb;
	void *arg;
	struct order_req req;   /* OK_ADD */
	struct amend_req amend; /* OK_AMEND */
	char id[ORDER_ID_MAX];  /* the order (cancel/amend) or client id (add) */
	uint64_t submit_wall_ms;
	char why[160];          /* why the outcome was unknown */
	bool nonce_refused;     /* the unknown outcome was a nonce refusal */
	unsigned resends;       /* AddOrders sent again after one */
};

static void complete(struct intent_op *io, struct intent_result *res)
{
	intent_cb cb = io->cb;
	void *arg = io->arg;
	sr_op_free(&io->op);
	cb(arg, res);
}

static void complete_status(struct intent_op *io, enum intent_status st, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void complete_status(struct intent_op *io, enum intent_status st, const char *fmt, ...)
{
	struct intent_result res;
	memset(&res, 0, sizeof res);
	res.status = st;
	if (io->kind == OK_AMEND || io->kind == OK_CANCEL)
		snprintf(res.order_id, sizeof res.order_id, "%s", io->id);
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(res.message, sizeof res.message, fmt, ap);
	va_end(ap);
	complete(io, &res);
}

static void complete_reply(struct intent_op *io, const struct spot_reply *r)
{
	struct intent_result res;
	sr_result_from_reply(r, &res);
	if (io->kind == OK_AMEND || io->kind == OK_CANCEL)
		snprintf(res.order_id, sizeof res.order_id, "%s", io->id);
	complete(io, &res);
}

static struct intent_op *op_new(struct spot_rest *sr, enum op_kind kind, struct state *st,
				intent_cb cb, void *arg)
{
	struct intent_op *io = sr_op_new(sr, sizeof *io);
	io->kind = kind;
	io->st = st;
	io->cb = cb;
	io->arg = arg;
	io->submit_wall_ms = sr_wall(sr);
	return io;
}

static int op_call(struct intent_op *io, const struct spot_call *c, struct spot_params *p,
		   spot_reply_cb cb, struct kerr *err)
{
	if (spot_rest_call(io->op.sr, c, p, cb, io, err) < 0) {
		sr_op_free(&io->op);
		return -1;
	}
	return 0;
}

/* Age of an order for the matching-engine cost (since placed or amended). */
static uint64_t order_age_ms(struct spot_rest *sr, const struct order *o)
{
	int64_t t = o->updated_ms > o->created_ms ? o->updated_ms : o->created_ms;
	uint64_t now = sr_wall(sr);
	return t > 0 && (uint64_t)t < now ? now - (uint64_t)t : 0;
}

static const char *order_pair(const struct state *st, const struct order *o)
{
	const struct instrument *in = o ? state_instrument(st, o->instr) : NULL;
	return in ? in->rest_id : NULL;
}

/* ---- AddOrder ---- */

static void add_lookup_open(struct sr_op *op);

/* The order is known to exist with txid: record it and report success. */
static void add_placed(struct intent_op *io, const char *txid, const struct order *found,
		       const char *how)
{
	struct state *st = io->st;
	if (found) {
		spot_apply_orders(st, found, 1, false, NULL, NULL);
	} else if (!state_order_get(st, txid)) {
		/* Provisional until the private feed or a refresh says more. */
		struct order *o = state_order_upsert(st, txid);
		const struct order_req *r = &io->req;
		snprintf(o->cl_id, sizeof o->cl_id, "%s", r->cl_id);
		o->instr = r->instr;
		o->product = PRODUCT_SPOT;
		o->side = r->side;
		o->type = r->type;
		o->status = OS_PENDING;
		o->tif = r->tif;
		o->signal = r->signal;
		o->qty = r->qty;
		o->limit_price = r->limit_price;
		o->trigger_price = r->trigger_price;
		o->trail_offset = r->trail_offset;
		o->trail_pct = r->trail_pct;
		o->display_qty = r->display_qty;
		o->post_only = r->post_only;
		o->reduce_only = r->reduce_only;
		o->leverage = r->leverage;
		o->expire_ms = r->expire_s * 1000;
		o->created_ms = o->updated_ms = (int64_t)io->submit_wall_ms;
		state_order_changed(st, o);
	}
	struct intent_result res;
	memset(&res, 0, sizeof res);
	res.status = INTENT_OK;
	snprintf(res.order_id, sizeof res.order_id, "%s", txid);
	snprintf(res.message, sizeof res.message, "order %s placed%s", txid, how);
	complete(io, &res);
}

/* Unknown outcome: wait a moment (Kraken may still be booking it), then look. */
static void add_reconcile(struct intent_op *io, const char *why)
{
	kt_strlcpy(io->why, why, sizeof io->why);
	if (!io->req.cl_id[0]) {
		complete_status(io, INTENT_UNKNOWN,
				"the order's outcome is unknown (%s) and it has no client id to look "
				"for: check your open orders before placing it again",
				why);
		return;
	}
	LOGW("spot rest: AddOrder %s outcome unknown (%s): reconciling", io->req.cl_id, why);
	sr_op_after(&io->op, io->op.sr->reconcile_delay_ms, add_lookup_open);
}

static void add_reply(void *arg, const struct spot_reply *r)
{
	struct intent_op *io = arg;
	if (r->rc == -1 && r->unknown) {
		io->nonce_refused = r->kerr.cls == KE_NONCE;
		add_reconcile(io, r->message);
		return;
	}
	if (r->rc != 0) {
		complete_reply(io, r);
		return;
	}
	struct spot_add_result ar;
	struct kerr e = KERR_INIT;
	if (spot_dec_add_order(r->doc, r->result, &ar, &e) < 0) {
		add_reconcile(io, e.msg);
		return;
	}
	if (io->req.validate_only) {
		complete_status(io, INTENT_OK, "validated, not placed: %s", ar.descr);
		return;
	}
	if (!ar.txid[0]) {
		add_reconcile(io, "the answer had no txid");
		return;
	}
	add_placed(io, ar.txid, NULL, "");
}

/* A reconciliation read failed even after its retries. */
static void add_lookup_failed(struct intent_op *io, const struct spot_reply *r)
{
	complete_status(io, INTENT_UNKNOWN,
			"the order's outcome is unknown (%s) and looking it up failed (%s): check "
			"your orders for client id %s before placing it again",
			io->why, r->message, io->req.cl_id);
}

static int add_send(struct intent_op *io, struct kerr *err);

/* The nonce was refused and Kraken has no such order: nothing was placed, so
 * the same order goes again (same client id) with a new nonce. */
static void add_resend(struct intent_op *io)
{
	io->resends++;
	io->nonce_refused = false;
	LOGI("spot rest: AddOrder %s was refused for its nonce and not placed: sending it again",
	     io->req.cl_id);
	struct kerr e = KERR_INIT;
	if (add_send(io, &e) < 0)
		complete_status(io, INTENT_FAILED, "the order was not placed (%s): %s", io->why,
				e.msg);
}

/* The order with our client id among decoded orders, or NULL. */
static const struct order *find_cl(const struct order *o, size_t n, const char *cl_id)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(o[i].cl_id, cl_id) == 0)
			return &o[i];
	return NULL;
}

static void add_closed_reply(void *arg, const struct spot_reply *r)
{
	struct intent_op *io = arg;
	if (r->rc != 0) {
		add_lookup_failed(io, r);
		return;
	}
	struct order *o = NULL;
	size_t n = 0;
	struct kerr e = KERR_INIT;
	if (spot_dec_closed_orders(r->doc, r->result, io->st, &o, &n, NULL, &e) < 0) {
		struct spot_reply bad = *r;
		kt_strlcpy(bad.message, e.msg, sizeof bad.message);
		add_lookup_failed(io, &bad);
		return;
	}
	const struct order *f = find_cl(o, n, io->req.cl_id);
	if (f) {
		char how[64];
		snprintf(how, sizeof how, " (confirmed; already %s)", order_status_name(f->status));
		add_placed(io, f->id, f, how);
	} else if (io->nonce_refused && io->resends < ADD_NONCE_RESENDS) {
		add_resend(io);
	} else {
		complete_status(io, INTENT_FAILED,
				"the order was not placed: Kraken has no order with client id %s "
				"after an unknown outcome (%s)",
				io->req.cl_id, io->why);
	}
	free(o);
}

static void add_lookup_closed(struct intent_op *io)
{
	struct spot_params p;
	spot_params_init(&p);
	spot_params_add(&p, "cl_ord_id", io->req.cl_id);
	int64_t start = (int64_t)(io->submit_wall_ms / 1000) - RECONCILE_LOOKBACK_S;
	spot_params_add_int(&p, "start", start > 0 ? start : 0);
	struct spot_call c = {.method = "ClosedOrders", .flags = SR_PRIVATE};
	struct kerr e = KERR_INIT;
	if (spot_rest_call(io->op.sr, &c, &p, add_closed_reply, io, &e) < 0)
		complete_status(io, INTENT_UNKNOWN, "the order's outcome is unknown: %s", e.msg);
}

static void add_open_reply(void *arg, const struct spot_reply *r)
{
	struct intent_op *io = arg;
	if (r->rc != 0) {
		add_lookup_failed(io, r);
		return;
	}
	struct order *o = NULL;
	size_t n = 0;
	struct kerr e = KERR_INIT;
	if (spot_dec_open_orders(r->doc, r->result, io->st, &o, &n, &e) < 0) {
		struct spot_reply bad = *r;
		kt_strlcpy(bad.message, e.msg, sizeof bad.message);
		add_lookup_failed(io, &bad);
		return;
	}
	const struct order *f = find_cl(o, n, io->req.cl_id);
	if (f)
		add_placed(io, f->id, f, " (confirmed among open orders)");
	else
		add_lookup_closed(io);
	free(o);
}

static void add_lookup_open(struct sr_op *op)
{
	struct intent_op *io = (struct intent_op *)op;
	struct spot_params p;
	spot_params_init(&p);
	spot_params_add(&p, "cl_ord_id", io->req.cl_id);
	struct spot_call c = {.method = "OpenOrders", .flags = SR_PRIVATE};
	struct kerr e = KERR_INIT;
	if (spot_rest_call(op->sr, &c, &p, add_open_reply, io, &e) < 0)
		complete_status(io, INTENT_UNKNOWN, "the order's outcome is unknown: %s", e.msg);
}

/* Queue the AddOrder of io->req (first send, or a resend). -1: not queued
 * (err set; io untouched). */
static int add_send(struct intent_op *io, struct kerr *err)
{
	struct spot_params p;
	if (spot_build_add_order(io->st, &io->req, NULL, &p, err) < 0)
		return -1;
	const struct instrument *in = state_instrument(io->st, io->req.instr);
	struct spot_call c = {.method = "AddOrder",
			      .flags = SR_PRIVATE | SR_TRADE,
			      .pair = in->rest_id,
			      .trade_cost = kraken_trade_cost(KTO_ADD, 0)};
	return spot_rest_call(io->op.sr, &c, &p, add_reply, io, err);
}

int spot_rest_add_order(struct spot_rest *sr, struct state *st, const struct order_req *req,
			intent_cb cb, void *arg, struct kerr *err)
{
	struct intent_op *io = op_new(sr, OK_ADD, st, cb, arg);
	io->req = *req;
	snprintf(io->id, sizeof io->id, "%s", req->cl_id);
	if (add_send(io, err) < 0) {
		sr_op_free(&io->op);
		return -1;
	}
	return 0;
}

/* ---- AmendOrder ---- */

static void amend_query_reply(void *arg, const struct spot_reply *r)
{
	struct intent_op *io = arg;
	struct order *o = NULL;
	size_t n = 0;
	struct kerr e = KERR_INIT;
	if (r->rc != 0 || spot_dec_query_orders(r->doc, r->result, io->st, &o, &n, &e) < 0 ||
	    n == 0) {
		complete_status(io, INTENT_UNKNOWN,
				"the amend's outcome is unknown (%s) and the order could not be read "
				"back (%s): check the order",
				io->why, r->rc ? r->message : e.msg[0] ? e.msg : "not found");
		free(o);
		return;
	}
	const struct amend_req *a = &io->amend;
	bool done = (!a->has_qty || dec_eq(o->qty, a->qty)) &&
		    (!a->has_limit || dec_eq(o->limit_price, a->limit_price)) &&
		    (!a->has_trigger || dec_eq(o->trigger_price, a->trigger_price));
	spot_apply_orders(io->st, o, 1, false, NULL, NULL);
	free(o);
	if (done)
		complete_status(io, INTENT_OK, "order %s amended (confirmed by reading it back)",
				io->id);
	else
		complete_status(io, INTENT_FAILED,
				"the amend of order %s did not take effect (%s); the order is unchanged",
				io->id, io->why);
}

static void query_order(struct sr_op *op, spot_reply_cb cb)
{
	struct intent_op *io = (struct intent_op *)op;
	struct spot_params p;
	spot_params_init(&p);
	spot_params_add(&p, "txid", io->id);
	struct spot_call c = {.method = "QueryOrders", .flags = SR_PRIVATE};
	struct kerr e = KERR_INIT;
	if (spot_rest_call(op->sr, &c, &p, cb, io, &e) < 0)
		complete_status(io, INTENT_UNKNOWN, "the outcome is unknown: %s", e.msg);
}

static void amend_query(struct sr_op *op)
{
	query_order(op, amend_query_reply);
}

static void amend_reply(void *arg, const struct spot_reply *r)
{
	struct intent_op *io = arg;
	if (r->rc == -1 && r->unknown) {
		kt_strlcpy(io->why, r->message, sizeof io->why);
		sr_op_after(&io->op, io->op.sr->reconcile_delay_ms, amend_query);
		return;
	}
	if (r->rc != 0) {
		complete_reply(io, r);
		return;
	}
	struct intent_result res;
	memset(&res, 0, sizeof res);
	res.status = INTENT_OK;
	snprintf(res.order_id, sizeof res.order_id, "%s", io->id);
	if (spot_dec_amend(r->doc, r->result, res.ref, sizeof res.ref, NULL) < 0)
		res.ref[0] = '\0';
	snprintf(res.message, sizeof res.message, "order %s amended", io->id);
	complete(io, &res);
}

int spot_rest_amend(struct spot_rest *sr, struct state *st, const struct amend_req *req,
		    intent_cb cb, void *arg, struct kerr *err)
{
	struct spot_params p;
	if (spot_build_amend(req, false, NULL, NULL, &p, err) < 0)
		return -1;
	const struct order *o = state_order_get(st, req->order_id);
	struct intent_op *io = op_new(sr, OK_AMEND, st, cb, arg);
	io->amend = *req;
	snprintf(io->id, sizeof io->id, "%s", req->order_id);
	struct spot_call c = {.method = "AmendOrder",
			      .flags = SR_PRIVATE | SR_TRADE,
			      .pair = order_pair(st, o),
			      .trade_cost = kraken_trade_cost(KTO_AMEND, o ? order_age_ms(sr, o) : 0)};
	return op_call(io, &c, &p, amend_reply, err);
}

/* ---- CancelOrder ---- */

static void mark_cancelled(struct state *st, const char *id)
{
	struct order *o = state_order_get(st, id);
	if (o && order_status_is_open(o->status)) {
		o->status = OS_CANCELLED;
		snprintf(o->reason, sizeof o->reason, "cancelled by user");
		state_order_changed(st, o);
	}
}

static void cancel_query_reply(void *arg, const struct spot_reply *r)
{
	struct intent_op *io = arg;
	struct order *o = NULL;
	size_t n = 0;
	struct kerr e = KERR_INIT;
	if (r->rc != 0 || spot_dec_query_orders(r->doc, r->result, io->st, &o, &n, &e) < 0 ||
	    n == 0) {
		complete_status(io, INTENT_UNKNOWN,
				"the cancel's outcome is unknown (%s) and the order could not be read "
				"back (%s): check the order",
				io->why, r->rc ? r->message : e.msg[0] ? e.msg : "not found");
		free(o);
		return;
	}
	enum order_status s = o->status;
	spot_apply_orders(io->st, o, 1, false, NULL, NULL);
	free(o);
	if (s == OS_CANCELLED)
		complete_status(io, INTENT_OK, "order %s cancelled (confirmed by reading it back)",
				io->id);
	else if (s == OS_FILLED || s == OS_EXPIRED)
		complete_status(io, INTENT_REJECTED, "order %s was already %s", io->id,
				order_status_name(s));
	else
		complete_status(io, INTENT_FAILED, "order %s is still open: the cancel did not "
						   "happen (%s)",
				io->id, io->why);
}

static void cancel_query(struct sr_op *op)
{
	query_order(op, cancel_query_reply);
}

static void cancel_reply(void *arg, const struct spot_reply *r)
{
	struct intent_op *io = arg;
	if (r->rc == -1 && r->unknown) {
		kt_strlcpy(io->why, r->message, sizeof io->why);
		sr_op_after(&io->op, io->op.sr->reconcile_delay_ms, cancel_query);
		return;
	}
	if (r->rc != 0) {
		complete_reply(io, r);
		return;
	}
	int count = 0;
	struct kerr e = KERR_INIT;
	if (spot_dec_cancel(r->doc, r->result, &count, NULL, &e) < 0) {
		kt_strlcpy(io->why, e.msg, sizeof io->why);
		sr_op_after(&io->op, 0, cancel_query);
		return;
	}
	if (count == 0) {
		complete_status(io, INTENT_REJECTED, "Kraken cancelled nothing for order %s", io->id);
		return;
	}
	mark_cancelled(io->st, io->id);
	struct intent_result res;
	memset(&res, 0, sizeof res);
	res.status = INTENT_OK;
	res.count = count;
	snprintf(res.order_id, sizeof res.order_id, "%s", io->id);
	snprintf(res.message, sizeof res.message, "order %s cancelled", io->id);
	complete(io, &res);
}

int spot_rest_cancel(struct spot_rest *sr, struct state *st, const char *order_id, intent_cb cb,
		     void *arg, struct kerr *err)
{
	if (!order_id || !order_id[0])
		return kerr_set(err, 1, "no order to cancel");
	const struct order *o = state_order_get(st, order_id);
	struct spot_params p;
	spot_build_cancel(order_id, false, &p);
	struct intent_op *io = op_new(sr, OK_CANCEL, st, cb, arg);
	snprintf(io->id, sizeof io->id, "%s", order_id);
	/* Unknown orders are charged as the youngest (the most expensive). */
	struct spot_call c = {.method = "CancelOrder",
			      .flags = SR_PRIVATE | SR_TRADE,
			      .pair = order_pair(st, o),
			      .trade_cost = kraken_trade_cost(KTO_CANCEL, o ? order_age_ms(sr, o) : 0)};
	return op_call(io, &c, &p, cancel_reply, err);
}

/* ---- CancelAll, CancelAllOrdersAfter, WalletTransfer ---- */

static void simple_reply(void *arg, const struct spot_reply *r)
{
	struct intent_op *io = arg;
	if (r->rc != 0) {
		complete_reply(io, r);
		return;
	}
	struct intent_result res;
	memset(&res, 0, sizeof res);
	res.status = INTENT_OK;
	struct kerr e = KERR_INIT;
	int rc = 0;
	if (io->kind == OK_CANCEL_ALL) {
		rc = spot_dec_cancel(r->doc, r->result, &res.count, NULL, &e);
		snprintf(res.message, sizeof res.message, "%d spot order%s cancelled", res.count,
			 res.count == 1 ? "" : "s");
	} else if (io->kind == OK_CANCEL_AFTER) {
		struct spot_cancel_after ca;
		rc = spot_dec_cancel_after(r->doc, r->result, &ca, &e);
		res.trigger_time_ms = ca.trigger_ns / 1000000;
		snprintf(res.message, sizeof res.message, "%s",
			 ca.trigger_ns ? "dead man's switch armed" : "dead man's switch disarmed");
	} else {
		rc = spot_dec_wallet_transfer(r->doc, r->result, res.ref, sizeof res.ref, &e);
		snprintf(res.message, sizeof res.message, "transfer %s submitted", res.ref);
	}
	if (rc < 0) {
		res.status = io->kind == OK_TRANSFER ? INTENT_UNKNOWN : INTENT_FAILED;
		snprintf(res.message, sizeof res.message, "Kraken's answer was unreadable: %.200s", e.msg);
	}
	complete(io, &res);
}

static void transfer_reply(void *arg, const struct spot_reply *r)
{
	struct intent_op *io = arg;
	if (r->rc == -1 && r->unknown) {
		complete_status(io, INTENT_UNKNOWN,
				"the transfer's outcome is unknown (%s): check both wallets before "
				"trying again",
				r->message);
		return;
	}
	simple_reply(arg, r);
}

int spot_rest_cancel_all(struct spot_rest *sr, struct state *st, intent_cb cb, void *arg,
			 struct kerr *err)
{
	struct spot_params p;
	spot_params_init(&p);
	struct intent_op *io = op_new(sr, OK_CANCEL_ALL, st, cb, arg);
	/* Idempotent, so an unknown outcome is simply retried (no SR_TRADE). */
	struct spot_call c = {.method = "CancelAll", .flags = SR_PRIVATE};
	return op_call(io, &c, &p, simple_reply, err);
}

int spot_rest_cancel_after(struct spot_rest *sr, struct state *st, int timeout_s, intent_cb cb,
			   void *arg, struct kerr *err)
{
	if (timeout_s < 0 || timeout_s >= 86400)
		return kerr_set(err, 1, "the dead man's switch timeout must be 0..86399 seconds");
	struct spot_params p;
	spot_params_init(&p);
	spot_params_add_int(&p, "timeout", timeout_s);
	struct intent_op *io = op_new(sr, OK_CANCEL_AFTER, st, cb, arg);
	struct spot_call c = {.method = "CancelAllOrdersAfter", .flags = SR_PRIVATE};
	return op_call(io, &c, &p, simple_reply, err);
}

int spot_rest_wallet_transfer(struct spot_rest *sr, struct state *st,
			      const struct transfer_req *req, intent_cb cb, void *arg,
			      struct kerr *err)
{
	struct spot_params p;
	if (spot_build_wallet_transfer(req, &p, err) < 0)
		return -1;
	struct intent_op *io = op_new(sr, OK_TRANSFER, st, cb, arg);
	/* SR_TRADE: moving money twice is worse than not knowing. */
	struct spot_call c = {.method = "WalletTransfer", .flags = SR_PRIVATE | SR_TRADE};
	return op_call(io, &c, &p, transfer_reply, err);
}
