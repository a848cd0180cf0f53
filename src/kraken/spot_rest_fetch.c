/* spot_rest_fetch: snapshots over Spot REST into the state — the private
 * refresh (balances, open orders and the fate of orders that left the open
 * list, positions, recent trades), instruments, public market snapshots, and
 * the WebSocket token. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "base/xalloc.h"
#include "kraken/spot_rest_impl.h"

/* ---- private refresh ---- */

enum part { P_BALANCE, P_OPEN, P_POSITIONS, P_TRADES, P_QUERY, P_COUNT };

struct refresh_op;
struct refresh_part {
	struct refresh_op *r;
	enum part kind;
};

struct refresh_op {
	struct sr_op op;
	struct state *st;
	spot_done_cb done;
	void *arg;
	int pending;
	int failed;
	char msg[256];
	struct refresh_part parts[P_COUNT];
};

static void refresh_finish(struct refresh_op *r)
{
	spot_done_cb done = r->done;
	void *arg = r->arg;
	int rc = r->failed ? -1 : 0;
	char msg[256];
	snprintf(msg, sizeof msg, "%s", r->msg);
	sr_op_free(&r->op);
	if (done)
		done(arg, rc, rc ? msg : NULL);
}

static void refresh_fail(struct refresh_op *r, const char *what, const char *why)
{
	if (!r->failed++)
		snprintf(r->msg, sizeof r->msg, "%s: %.200s", what, why);
	LOGW("spot rest: refresh of %s failed: %s", what, why);
}

static void refresh_reply(void *arg, const struct spot_reply *rep);

static void refresh_call(struct refresh_op *r, enum part kind, const char *method,
			 struct spot_params *p)
{
	struct spot_call c = {.method = method, .flags = SR_PRIVATE};
	struct kerr e = KERR_INIT;
	r->parts[kind] = (struct refresh_part){r, kind};
	if (spot_rest_call(r->op.sr, &c, p, refresh_reply, &r->parts[kind], &e) < 0)
		refresh_fail(r, method, e.msg);
	else
		r->pending++;
}

/* Ask for the final state of orders that left the open list (<= 50 a call). */
static void query_gone(struct refresh_op *r, char (*gone)[ORDER_ID_MAX], size_t n)
{
	for (size_t i = 0; i < n; i += 50) {
		struct sbuf ids = SBUF_INIT;
		for (size_t j = i; j < n && j < i + 50; j++) {
			if (j > i)
				sbuf_addc(&ids, ',');
			sbuf_adds(&ids, gone[j]);
		}
		struct spot_params p;
		spot_params_init(&p);
		spot_params_add(&p, "txid", sbuf_str(&ids));
		sbuf_free(&ids);
		refresh_call(r, P_QUERY, "QueryOrders", &p);
	}
}

static int refresh_apply(struct refresh_op *r, enum part kind, const struct spot_reply *rep,
			 struct kerr *e)
{
	struct state *st = r->st;
	size_t n = 0;
	if (kind == P_BALANCE) {
		struct balance *b;
		if (spot_dec_balance_ex(rep->doc, rep->result, &b, &n, e) < 0)
			return -1;
		spot_apply_balances(st, b, n);
		free(b);
	} else if (kind == P_OPEN || kind == P_QUERY) {
		struct order *o;
		int rc = kind == P_OPEN ? spot_dec_open_orders(rep->doc, rep->result, st, &o, &n, e)
					: spot_dec_query_orders(rep->doc, rep->result, st, &o, &n, e);
		if (rc < 0)
			return -1;
		char(*gone)[ORDER_ID_MAX] = NULL;
		size_t ngone = 0;
		spot_apply_orders(st, o, n, kind == P_OPEN, &gone, &ngone);
		free(o);
		if (ngone)
			query_gone(r, gone, ngone);
		free(gone);
	} else if (kind == P_POSITIONS) {
		struct position *p;
		if (spot_dec_open_positions(rep->doc, rep->result, st, &p, &n, e) < 0)
			return -1;
		spot_apply_positions(st, p, n);
		free(p);
	} else {
		struct fill *f;
		if (spot_dec_trades_history(rep->doc, rep->result, st, &f, &n, NULL, e) < 0)
			return -1;
		spot_apply_fills(st, f, n);
		free(f);
	}
	return 0;
}

static void refresh_reply(void *arg, const struct spot_reply *rep)
{
	struct refresh_part *part = arg;
	struct refresh_op *r = part->r;
	static const char *const names[P_COUNT] = {"balances", "open orders", "positions",
						   "trades", "closed orders"};
	struct kerr e = KERR_INIT;
	if (rep->rc != 0)
		refresh_fail(r, names[part->kind], rep->message);
	else if (refresh_apply(r, part->kind, rep, &e) < 0)
		refresh_fail(r, names[part->kind], e.msg);
	if (--r->pending == 0)
		refresh_finish(r);
}

static void refresh_nokey(struct sr_op *op)
{
	refresh_finish((struct refresh_op *)op);
}

void spot_rest_refresh_private(struct spot_rest *sr, struct state *st, spot_done_cb done,
			       void *arg)
{
	struct refresh_op *r = sr_op_new(sr, sizeof *r);
	r->st = st;
	r->done = done;
	r->arg = arg;
	if (!sr->key) {
		refresh_fail(r, "private data", "no Spot API key configured");
		sr_op_after(&r->op, 0, refresh_nokey);
		return;
	}
	struct spot_params p;
	spot_params_init(&p);
	refresh_call(r, P_BALANCE, "BalanceEx", &p);
	refresh_call(r, P_OPEN, "OpenOrders", &p);
	spot_params_add_bool(&p, "docalcs", true);
	refresh_call(r, P_POSITIONS, "OpenPositions", &p);
	refresh_call(r, P_TRADES, "TradesHistory", &p);
	if (r->pending == 0)
		sr_op_after(&r->op, 0, refresh_nokey);
}

/* ---- instruments, market snapshots, token ---- */

enum snap_kind { S_PAIRS, S_TICKER, S_DEPTH, S_OHLC, S_TRADES };

struct snap_op {
	struct sr_op op;
	enum snap_kind kind;
	struct state *st;
	spot_done_cb done;
	void *arg;
	int interval;
};

static int snap_apply(struct snap_op *s, const struct spot_reply *rep, struct kerr *e)
{
	int rc = -1;
	size_t n;
	if (s->kind == S_PAIRS) {
		struct spot_pair *p;
		if ((rc = spot_dec_asset_pairs(rep->doc, rep->result, &p, &n, e)) == 0) {
			spot_apply_instruments(s->st, p, n);
			free(p);
		}
	} else if (s->kind == S_TICKER) {
		struct spot_ticker_row *t;
		if ((rc = spot_dec_ticker(rep->doc, rep->result, &t, &n, e)) == 0) {
			spot_apply_ticker(s->st, t, n);
			free(t);
		}
	} else if (s->kind == S_DEPTH) {
		struct spot_depth dp;
		if ((rc = spot_dec_depth(rep->doc, rep->result, &dp, e)) == 0) {
			rc = spot_apply_depth(s->st, &dp, e);
			spot_depth_free(&dp);
		}
	} else if (s->kind == S_OHLC) {
		struct spot_ohlc o;
		if ((rc = spot_dec_ohlc(rep->doc, rep->result, &o, e)) == 0) {
			rc = spot_apply_ohlc(s->st, &o, s->interval, e);
			free(o.c);
		}
	} else {
		struct spot_trades t;
		if ((rc = spot_dec_trades(rep->doc, rep->result, &t, e)) == 0) {
			rc = spot_apply_trades(s->st, &t, e);
			free(t.t);
		}
	}
	return rc;
}

static void snap_reply(void *arg, const struct spot_reply *rep)
{
	struct snap_op *s = arg;
	struct kerr e = KERR_INIT;
	int rc = rep->rc == 0 ? snap_apply(s, rep, &e) : -1;
	char msg[600];
	snprintf(msg, sizeof msg, "%s", rep->rc ? rep->message : e.msg);
	spot_done_cb done = s->done;
	void *darg = s->arg;
	sr_op_free(&s->op);
	if (rc < 0)
		LOGW("spot rest: snapshot failed: %s", msg);
	if (done)
		done(darg, rc, rc ? msg : NULL);
}

static int snap_start(struct spot_rest *sr, struct state *st, enum snap_kind kind,
		      const char *method, struct spot_params *p, int interval, spot_done_cb done,
		      void *arg)
{
	struct snap_op *s = sr_op_new(sr, sizeof *s);
	s->kind = kind;
	s->st = st;
	s->done = done;
	s->arg = arg;
	s->interval = interval;
	struct spot_call c = {.method = method};
	struct kerr e = KERR_INIT;
	if (spot_rest_call(sr, &c, p, snap_reply, s, &e) < 0) {
		sr_op_free(&s->op);
		return -1;
	}
	return 0;
}

int spot_rest_load_instruments(struct spot_rest *sr, struct state *st, spot_done_cb done,
			       void *arg)
{
	struct spot_params p;
	spot_params_init(&p);
	return snap_start(sr, st, S_PAIRS, "AssetPairs", &p, 0, done, arg);
}

/* "pair=<altname>" for a spot instrument, or -1. */
static int pair_param(const struct state *st, int instr, struct spot_params *p)
{
	const struct instrument *in = state_instrument(st, instr);
	spot_params_init(p);
	if (!in || in->product != PRODUCT_SPOT)
		return -1;
	spot_params_add(p, "pair", in->altname[0] ? in->altname : in->rest_id);
	return 0;
}

int spot_rest_fetch_ticker(struct spot_rest *sr, struct state *st, int instr, spot_done_cb done,
			   void *arg)
{
	struct spot_params p;
	if (instr >= 0 && pair_param(st, instr, &p) < 0)
		return -1;
	if (instr < 0)
		spot_params_init(&p);
	return snap_start(sr, st, S_TICKER, "Ticker", &p, 0, done, arg);
}

int spot_rest_fetch_depth(struct spot_rest *sr, struct state *st, int instr, int count,
			  spot_done_cb done, void *arg)
{
	struct spot_params p;
	if (pair_param(st, instr, &p) < 0)
		return -1;
	if (count > 0)
		spot_params_add_int(&p, "count", count);
	return snap_start(sr, st, S_DEPTH, "Depth", &p, 0, done, arg);
}

int spot_rest_fetch_ohlc(struct spot_rest *sr, struct state *st, int instr, int interval_min,
			 spot_done_cb done, void *arg)
{
	struct spot_params p;
	if (pair_param(st, instr, &p) < 0)
		return -1;
	spot_params_add_int(&p, "interval", interval_min);
	return snap_start(sr, st, S_OHLC, "OHLC", &p, interval_min, done, arg);
}

int spot_rest_fetch_trades(struct spot_rest *sr, struct state *st, int instr, spot_done_cb done,
			   void *arg)
{
	struct spot_params p;
	if (pair_param(st, instr, &p) < 0)
		return -1;
	return snap_start(sr, st, S_TRADES, "Trades", &p, 0, done, arg);
}

struct token_op {
	struct sr_op op;
	spot_token_cb cb;
	void *arg;
};

static void token_reply(void *arg, const struct spot_reply *rep)
{
	struct token_op *t = arg;
	spot_token_cb cb = t->cb;
	void *carg = t->arg;
	sr_op_free(&t->op);
	char token[256];
	int exp = 0;
	struct kerr e = KERR_INIT;
	if (rep->rc != 0)
		cb(carg, -1, NULL, 0, rep->message);
	else if (spot_dec_ws_token(rep->doc, rep->result, token, sizeof token, &exp, &e) < 0)
		cb(carg, -1, NULL, 0, e.msg);
	else
		cb(carg, 0, token, exp, NULL);
}

int spot_rest_ws_token(struct spot_rest *sr, spot_token_cb cb, void *arg)
{
	if (!sr->key)
		return -1;
	struct token_op *t = sr_op_new(sr, sizeof *t);
	t->cb = cb;
	t->arg = arg;
	struct spot_params p;
	spot_params_init(&p);
	struct spot_call c = {.method = "GetWebSocketsToken", .flags = SR_PRIVATE};
	if (spot_rest_call(sr, &c, &p, token_reply, t, NULL) < 0) {
		sr_op_free(&t->op);
		return -1;
	}
	return 0;
}
