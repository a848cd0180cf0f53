/* spot_rest_more: typed Spot REST operations beyond what the gateway needs
 * every day — Time, SystemStatus, Assets, TradeBalance, Ledgers (reads), and
 * EditOrder, AddOrderBatch, CancelOrderBatch (trading). Each is one request
 * through spot_rest_call() whose answer is decoded by the codec and handed to
 * a typed callback (see spot_rest.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/sbuf.h"
#include "kraken/spot_rest_impl.h"
#include "kraken/symbols.h"

/* CancelOrderBatch takes at most this many ids (txids and client ids). */
#define CANCEL_BATCH_MAX 50

enum more_kind {
	MK_TIME,
	MK_STATUS,
	MK_ASSETS,
	MK_TRADE_BALANCE,
	MK_LEDGERS,
	MK_EDIT,
	MK_BATCH,
	MK_CANCEL_BATCH,
};

union more_cb {
	spot_time_cb time;
	spot_status_cb status;
	spot_assets_cb assets;
	spot_trade_balance_cb trade_balance;
	spot_ledgers_cb ledgers;
	spot_edit_cb edit;
	spot_batch_cb batch;
	spot_count_cb count;
};

struct more_op {
	struct sr_op op;
	enum more_kind kind;
	struct state *st; /* may be NULL for reads */
	union more_cb cb;
	void *arg;
	bool validate;           /* EditOrder: check only */
	bool without_count;      /* Ledgers: no total asked for */
	char orig[ORDER_ID_MAX]; /* EditOrder: the order being replaced */
	size_t nids;             /* CancelOrderBatch: ids asked for (txids first) */
	size_t ntx;
	char txids[CANCEL_BATCH_MAX][ORDER_ID_MAX];
};

static bool is_trading(enum more_kind k)
{
	return k == MK_EDIT || k == MK_BATCH || k == MK_CANCEL_BATCH;
}

/* ---- outcomes ---- */

static void outcome_from_reply(const struct spot_reply *r, struct spot_outcome *o)
{
	memset(o, 0, sizeof *o);
	o->rc = r->rc;
	o->unknown = r->unknown;
	if (r->rc == 1) {
		o->cls = r->kerr.cls;
		snprintf(o->code, sizeof o->code, "%s", r->error ? r->error : "");
	}
	if (r->rc != 0)
		snprintf(o->message, sizeof o->message, "%s", r->message);
}

/* The answer arrived but does not decode. A trading call may still have been
 * carried out, so its outcome is unknown rather than failed. */
static void outcome_unreadable(struct spot_outcome *o, const struct more_op *m, const char *why)
{
	o->rc = -1;
	o->unknown = is_trading(m->kind);
	snprintf(o->message, sizeof o->message, "Kraken's answer was unreadable: %.200s", why);
}

/* Tell the user what an unknown outcome of a trading call means for them. */
static void outcome_advise(struct spot_outcome *o, const char *what)
{
	if (o->rc != -1 || !o->unknown)
		return;
	char why[sizeof o->message];
	snprintf(why, sizeof why, "%s", o->message);
	snprintf(o->message, sizeof o->message,
	         "the %s's outcome is unknown (%.150s): check your open orders before trying again",
	         what, why);
}

/* ---- state updates after trading calls ---- */

static void mark_cancelled(struct state *st, const char *id, const char *why)
{
	struct order *o = st ? state_order_get(st, id) : NULL;
	if (o && order_status_is_open(o->status)) {
		o->status = OS_CANCELLED;
		snprintf(o->reason, sizeof o->reason, "%s", why);
		state_order_changed(st, o);
	}
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

/* ---- replies, one per kind ---- */

static void reply_time(const struct more_op *m, const struct spot_reply *r, struct spot_outcome *o)
{
	struct spot_time t;
	struct kerr e = KERR_INIT;
	if (o->rc == 0 && spot_dec_time(r->doc, r->result, &t, &e) < 0)
		outcome_unreadable(o, m, e.msg);
	m->cb.time(m->arg, o, o->rc == 0 ? &t : NULL);
}

static void reply_status(const struct more_op *m, const struct spot_reply *r,
                         struct spot_outcome *o)
{
	struct spot_system_status s;
	struct kerr e = KERR_INIT;
	if (o->rc == 0 && spot_dec_system_status(r->doc, r->result, &s, &e) < 0)
		outcome_unreadable(o, m, e.msg);
	m->cb.status(m->arg, o, o->rc == 0 ? &s : NULL);
}

static void reply_assets(const struct more_op *m, const struct spot_reply *r,
                         struct spot_outcome *o)
{
	struct spot_asset *a = NULL;
	size_t n = 0;
	struct kerr e = KERR_INIT;
	if (o->rc == 0 && spot_dec_assets(r->doc, r->result, &a, &n, &e) < 0)
		outcome_unreadable(o, m, e.msg);
	m->cb.assets(m->arg, o, o->rc == 0 ? a : NULL, o->rc == 0 ? n : 0);
	free(a);
}

static void reply_trade_balance(const struct more_op *m, const struct spot_reply *r,
                                struct spot_outcome *o)
{
	struct spot_trade_balance tb;
	struct kerr e = KERR_INIT;
	if (o->rc == 0 && spot_dec_trade_balance(r->doc, r->result, &tb, &e) < 0)
		outcome_unreadable(o, m, e.msg);
	m->cb.trade_balance(m->arg, o, o->rc == 0 ? &tb : NULL);
}

static void reply_ledgers(const struct more_op *m, const struct spot_reply *r,
                          struct spot_outcome *o)
{
	struct spot_ledger *l = NULL;
	size_t n = 0;
	int64_t count = 0;
	struct kerr e = KERR_INIT;
	if (o->rc == 0 && spot_dec_ledgers(r->doc, r->result, &l, &n, &count, &e) < 0)
		outcome_unreadable(o, m, e.msg);
	if (o->rc == 0 && m->st)
		spot_apply_ledgers(m->st, l, n);
	if (m->without_count)
		count = -1;
	m->cb.ledgers(m->arg, o, o->rc == 0 ? l : NULL, o->rc == 0 ? n : 0, count);
	free(l);
}

static void reply_edit(const struct more_op *m, const struct spot_reply *r, struct spot_outcome *o)
{
	struct spot_edit_result er;
	struct kerr e = KERR_INIT;
	bool decoded = false;
	if (o->rc == 0) {
		if (spot_dec_edit(r->doc, r->result, &er, &e) < 0) {
			outcome_unreadable(o, m, e.msg);
		} else if (!er.ok && !(m->validate && !er.error_message[0])) {
			/* Kraken answers a refused edit inside the result (a
			 * validate-only answer may carry neither status nor txid). */
			decoded = true;
			o->rc = 1;
			o->cls = KE_REJECTED;
			snprintf(o->code, sizeof o->code, "Err");
			snprintf(o->message, sizeof o->message,
			         "Kraken refused the edit of order %s: %.150s", m->orig,
			         er.error_message[0] ? er.error_message : "no reason given");
		} else {
			decoded = true;
			if (!m->validate && er.txid[0]) {
				char why[128];
				snprintf(why, sizeof why, "replaced by %s (edit)", er.txid);
				mark_cancelled(m->st, m->orig, why);
			}
		}
	}
	outcome_advise(o, "edit");
	m->cb.edit(m->arg, o, decoded ? &er : NULL);
}

static void reply_batch(const struct more_op *m, const struct spot_reply *r, struct spot_outcome *o)
{
	struct spot_add_result *res = NULL;
	size_t n = 0;
	struct kerr e = KERR_INIT;
	if (o->rc == 0 && spot_dec_add_order_batch(r->doc, r->result, &res, &n, &e) < 0)
		outcome_unreadable(o, m, e.msg);
	outcome_advise(o, "order batch");
	m->cb.batch(m->arg, o, o->rc == 0 ? res : NULL, o->rc == 0 ? n : 0);
	free(res);
}

static void reply_cancel_batch(const struct more_op *m, const struct spot_reply *r,
                               struct spot_outcome *o)
{
	int count = 0;
	struct kerr e = KERR_INIT;
	if (o->rc == 0 && spot_dec_cancel(r->doc, r->result, &count, NULL, &e) < 0)
		outcome_unreadable(o, m, e.msg);
	/* Only a full count says which orders went: each one asked for. */
	if (o->rc == 0 && (size_t)count == m->nids)
		for (size_t i = 0; i < m->ntx; i++)
			mark_cancelled(m->st, m->txids[i], "cancelled by user (batch)");
	outcome_advise(o, "cancel batch");
	m->cb.count(m->arg, o, o->rc == 0 ? count : 0);
}

static void more_reply(void *arg, const struct spot_reply *r)
{
	static void (*const handlers[])(const struct more_op *, const struct spot_reply *,
	                                struct spot_outcome *) = {
	        [MK_TIME] = reply_time,       [MK_STATUS] = reply_status,
	        [MK_ASSETS] = reply_assets,   [MK_TRADE_BALANCE] = reply_trade_balance,
	        [MK_LEDGERS] = reply_ledgers, [MK_EDIT] = reply_edit,
	        [MK_BATCH] = reply_batch,     [MK_CANCEL_BATCH] = reply_cancel_batch,
	};
	struct more_op *op = arg;
	/* The op goes first, so the callback may start new calls freely. */
	struct more_op m = *op;
	sr_op_free(&op->op);
	struct spot_outcome o;
	outcome_from_reply(r, &o);
	handlers[m.kind](&m, r, &o);
}

/* ---- starting calls ---- */

static struct more_op *more_new(struct spot_rest *sr, enum more_kind kind, struct state *st,
                                void *arg)
{
	struct more_op *m = sr_op_new(sr, sizeof *m);
	m->kind = kind;
	m->st = st;
	m->arg = arg;
	return m;
}

/* Queue the request of m; on failure m is freed and err says why. */
static int more_call(struct more_op *m, const struct spot_call *c, struct spot_params *p,
                     struct kerr *err)
{
	if (spot_rest_call(m->op.sr, c, p, more_reply, m, err) < 0) {
		sr_op_free(&m->op);
		return -1;
	}
	return 0;
}

/* A comma list of asset codes as Kraken takes them: Kraken's own ids and
 * altnames pass unchanged, common codes it does not know become altnames
 * ("BTC,ETH,ZUSD" -> "XBT,ETH,ZUSD"). */
static void add_assets(struct spot_params *p, const char *key, const char *list)
{
	struct sbuf b = SBUF_INIT;
	const char *s = list;
	while (*s) {
		size_t len = strcspn(s, ",");
		char code[ASSET_MAX], alt[ASSET_MAX];
		snprintf(code, sizeof code, "%.*s", (int)len, s);
		if (code[0]) {
			if (b.len)
				sbuf_addc(&b, ',');
			sbuf_adds(&b, kraken_asset_altname(code, alt, sizeof alt));
		}
		s += len;
		if (*s == ',')
			s++;
	}
	if (b.len)
		spot_params_add(p, key, sbuf_str(&b));
	sbuf_free(&b);
}

static int public_call(struct spot_rest *sr, enum more_kind kind, const char *method,
                       struct spot_params *p, union more_cb cb, void *arg, struct kerr *err)
{
	struct more_op *m = more_new(sr, kind, NULL, arg);
	m->cb = cb;
	struct spot_call c = {.method = method};
	return more_call(m, &c, p, err);
}

int spot_rest_time(struct spot_rest *sr, spot_time_cb cb, void *arg, struct kerr *err)
{
	struct spot_params p;
	spot_params_init(&p);
	return public_call(sr, MK_TIME, "Time", &p, (union more_cb){.time = cb}, arg, err);
}

int spot_rest_system_status(struct spot_rest *sr, spot_status_cb cb, void *arg, struct kerr *err)
{
	struct spot_params p;
	spot_params_init(&p);
	return public_call(sr, MK_STATUS, "SystemStatus", &p, (union more_cb){.status = cb}, arg,
	                   err);
}

int spot_rest_assets(struct spot_rest *sr, const char *assets, spot_assets_cb cb, void *arg,
                     struct kerr *err)
{
	struct spot_params p;
	spot_params_init(&p);
	if (assets)
		add_assets(&p, "asset", assets);
	return public_call(sr, MK_ASSETS, "Assets", &p, (union more_cb){.assets = cb}, arg, err);
}

int spot_rest_trade_balance(struct spot_rest *sr, const char *asset, spot_trade_balance_cb cb,
                            void *arg, struct kerr *err)
{
	struct spot_params p;
	spot_params_init(&p);
	if (asset)
		add_assets(&p, "asset", asset);
	struct more_op *m = more_new(sr, MK_TRADE_BALANCE, NULL, arg);
	m->cb.trade_balance = cb;
	struct spot_call c = {.method = "TradeBalance", .flags = SR_PRIVATE};
	return more_call(m, &c, &p, err);
}

int spot_rest_ledgers(struct spot_rest *sr, struct state *st, const struct spot_ledger_query *q,
                      spot_ledgers_cb cb, void *arg, struct kerr *err)
{
	struct spot_params p;
	spot_params_init(&p);
	if (q) {
		if (q->asset)
			add_assets(&p, "asset", q->asset);
		if (q->type && q->type[0])
			spot_params_add(&p, "type", q->type);
		if (q->start > 0)
			spot_params_add_int(&p, "start", q->start);
		if (q->end > 0)
			spot_params_add_int(&p, "end", q->end);
		if (q->ofs > 0)
			spot_params_add_int(&p, "ofs", q->ofs);
		if (q->without_count)
			spot_params_add_bool(&p, "without_count", true);
	}
	struct more_op *m = more_new(sr, MK_LEDGERS, st, arg);
	m->cb.ledgers = cb;
	m->without_count = q && q->without_count;
	/* The method name alone makes spot_rest_call charge the heavy cost. */
	struct spot_call c = {.method = "Ledgers", .flags = SR_PRIVATE};
	return more_call(m, &c, &p, err);
}

int spot_rest_edit_order(struct spot_rest *sr, struct state *st, const struct spot_edit_req *req,
                         spot_edit_cb cb, void *arg, struct kerr *err)
{
	struct spot_params p;
	if (spot_build_edit(req, &p, err) < 0)
		return -1;
	const struct order *o = state_order_get(st, req->txid);
	const struct instrument *in = state_instrument(st, state_find_instrument(st, req->pair));
	struct more_op *m = more_new(sr, MK_EDIT, st, arg);
	m->cb.edit = cb;
	m->validate = req->validate;
	snprintf(m->orig, sizeof m->orig, "%s", req->txid);
	/* Unknown orders are charged as the youngest (the most expensive). */
	struct spot_call c = {.method = "EditOrder",
	                      .flags = SR_PRIVATE | SR_TRADE,
	                      .pair = in ? in->rest_id : order_pair(st, o),
	                      .trade_cost =
	                              kraken_trade_cost(KTO_EDIT, o ? order_age_ms(sr, o) : 0)};
	return more_call(m, &c, &p, err);
}

int spot_rest_add_order_batch(struct spot_rest *sr, struct state *st, const struct order_req *reqs,
                              size_t n, const char *deadline, bool validate, spot_batch_cb cb,
                              void *arg, struct kerr *err)
{
	struct spot_params p;
	if (spot_build_add_order_batch(st, reqs, n, deadline, validate, &p, err) < 0)
		return -1;
	const struct instrument *in = state_instrument(st, reqs[0].instr);
	struct more_op *m = more_new(sr, MK_BATCH, st, arg);
	m->cb.batch = cb;
	m->validate = validate;
	struct spot_call c = {.method = "AddOrderBatch",
	                      .flags = SR_PRIVATE | SR_JSON | SR_TRADE,
	                      .pair = in->rest_id,
	                      .trade_cost = kraken_trade_batch_add_cost(n)};
	return more_call(m, &c, &p, err);
}

int spot_rest_cancel_order_batch(struct spot_rest *sr, struct state *st, const char *const *txids,
                                 size_t ntx, const char *const *cl_ids, size_t ncl,
                                 spot_count_cb cb, void *arg, struct kerr *err)
{
	struct spot_params p;
	if (spot_build_cancel_batch(txids, ntx, cl_ids, ncl, &p, err) < 0)
		return -1;
	/* One counter per call: the pair of the first order we know, charged
	 * for every id (unknown orders as the youngest). */
	const char *pair = NULL;
	int64_t cost = 0;
	for (size_t i = 0; i < ntx + ncl; i++) {
		const struct order *o = i < ntx ? state_order_get(st, txids[i])
		                                : state_order_by_cl(st, cl_ids[i - ntx]);
		if (!pair)
			pair = order_pair(st, o);
		cost += kraken_trade_cost(KTO_CANCEL, o ? order_age_ms(sr, o) : 0);
	}
	struct more_op *m = more_new(sr, MK_CANCEL_BATCH, st, arg);
	m->cb.count = cb;
	m->nids = ntx + ncl;
	m->ntx = ntx;
	for (size_t i = 0; i < ntx; i++)
		snprintf(m->txids[i], sizeof m->txids[i], "%s", txids[i]);
	struct spot_call c = {.method = "CancelOrderBatch",
	                      .flags = SR_PRIVATE | SR_JSON | SR_TRADE,
	                      .pair = pair,
	                      .trade_cost = cost};
	return more_call(m, &c, &p, err);
}
