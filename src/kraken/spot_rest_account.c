/* spot_rest_account: decoders for the private Spot REST account endpoints
 * (Balance, BalanceEx, TradeBalance, TradesHistory, QueryTrades,
 * OpenPositions, Ledgers) and the functions that apply them to the state. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"
#include "kraken/spot_rest_codec.h"
#include "kraken/spot_rest_int.h"
#include "kraken/symbols.h"

/* Display name of a balance key; suffixed (read-only) keys keep the suffix. */
static void balance_name(const char *key, char *buf, size_t cap, bool *readonly)
{
	const char *suffix;
	char code[ASSET_MAX];
	kraken_asset_display(key, code, sizeof code, &suffix);
	*readonly = suffix != NULL;
	snprintf(buf, cap, "%s%s", code, suffix ? suffix : "");
}

int spot_dec_balance(const struct jdoc *d, int res, struct balance **out, size_t *n,
		     struct kerr *err)
{
	*out = NULL;
	*n = 0;
	if (sj_need_obj(d, res, "result", err) < 0)
		return -1;
	struct balance *b = xcalloc(jtok_size(d, res) + 1, sizeof *b);
	size_t m = 0;
	for (int k = jfirst(d, res); k >= 0; k = jnext(d, res, k), m++) {
		char key[32];
		bool ro;
		if (sj_key(d, k, key, sizeof key, err) < 0 ||
		    jtok_dec(d, k + 1, &b[m].total, NULL) < 0) {
			free(b);
			return kerr_set(err, SPOT_E_VALUE, "balance %zu is not a number", m);
		}
		balance_name(key, b[m].asset, sizeof b[m].asset, &ro);
		b[m].available = ro ? dec_zero() : b[m].total;
	}
	*out = b;
	*n = m;
	return 0;
}

/* available = balance + credit - credit_used - hold_trade */
static int balance_ex_line(const struct jdoc *d, int k, struct balance *b, struct kerr *err)
{
	char key[32];
	int v = k + 1;
	dec_t credit, used, t;
	bool ro;
	if (sj_key(d, k, key, sizeof key, err) < 0 || sj_need_obj(d, v, key, err) < 0 ||
	    sj_dec(d, v, "balance", &b->total, true, err) < 0 ||
	    sj_dec(d, v, "hold_trade", &b->hold, false, err) < 0 ||
	    sj_dec(d, v, "credit", &credit, false, err) < 0 ||
	    sj_dec(d, v, "credit_used", &used, false, err) < 0)
		return -1;
	balance_name(key, b->asset, sizeof b->asset, &ro);
	if (dec_add(b->total, credit, &t) < 0 || dec_sub(t, used, &t) < 0 ||
	    dec_sub(t, b->hold, &b->available) < 0)
		return kerr_set(err, SPOT_E_VALUE, "balance %s overflows", key);
	if (ro)
		b->available = dec_zero();
	return 0;
}

int spot_dec_balance_ex(const struct jdoc *d, int res, struct balance **out, size_t *n,
			struct kerr *err)
{
	*out = NULL;
	*n = 0;
	if (sj_need_obj(d, res, "result", err) < 0)
		return -1;
	struct balance *b = xcalloc(jtok_size(d, res) + 1, sizeof *b);
	size_t m = 0;
	for (int k = jfirst(d, res); k >= 0; k = jnext(d, res, k), m++) {
		if (balance_ex_line(d, k, &b[m], err) < 0) {
			free(b);
			return -1;
		}
	}
	*out = b;
	*n = m;
	return 0;
}

void spot_apply_balances(struct state *st, const struct balance *b, size_t n)
{
	state_set_balances(st, b, n);
}

int spot_dec_trade_balance(const struct jdoc *d, int res, struct spot_trade_balance *out,
			   struct kerr *err)
{
	memset(out, 0, sizeof *out);
	if (sj_need_obj(d, res, "result", err) < 0 || sj_dec(d, res, "eb", &out->eb, true, err) < 0 ||
	    sj_dec(d, res, "tb", &out->tb, true, err) < 0 ||
	    sj_dec(d, res, "m", &out->m, false, err) < 0 ||
	    sj_dec(d, res, "n", &out->n, false, err) < 0 ||
	    sj_dec(d, res, "c", &out->c, false, err) < 0 ||
	    sj_dec(d, res, "v", &out->v, false, err) < 0 ||
	    sj_dec(d, res, "e", &out->e, false, err) < 0 ||
	    sj_dec(d, res, "mf", &out->mf, false, err) < 0 ||
	    sj_dec(d, res, "ml", &out->ml, false, err) < 0 ||
	    sj_dec(d, res, "uv", &out->uv, false, err) < 0)
		return -1;
	return 0;
}

static int dec_fill(const struct jdoc *d, int k, const struct state *st, struct fill *f,
		    struct kerr *err)
{
	int v = k + 1;
	char pair[INSTR_ID_MAX], side[8], misc[64];
	if (sj_key(d, k, f->id, sizeof f->id, err) < 0 || sj_need_obj(d, v, f->id, err) < 0 ||
	    sj_str(d, v, "ordertxid", f->order_id, sizeof f->order_id, true, err) < 0 ||
	    sj_str(d, v, "pair", pair, sizeof pair, true, err) < 0 ||
	    sj_str(d, v, "type", side, sizeof side, true, err) < 0 ||
	    sj_time_ms(d, v, "time", &f->time_ms, true, err) < 0 ||
	    sj_dec(d, v, "price", &f->price, true, err) < 0 ||
	    sj_dec(d, v, "vol", &f->qty, true, err) < 0 ||
	    sj_dec(d, v, "fee", &f->fee, false, err) < 0 ||
	    sj_str(d, v, "misc", misc, sizeof misc, false, err) < 0)
		return -1;
	if (strcmp(side, "buy") != 0 && strcmp(side, "sell") != 0)
		return kerr_set(err, SPOT_E_VALUE, "trade %s: unknown side \"%s\"", f->id, side);
	f->side = side[0] == 'b' ? SIDE_BUY : SIDE_SELL;
	f->product = PRODUCT_SPOT;
	int mk = jobj_get(d, v, "maker");
	bool maker = false;
	if (mk >= 0 && jtok_bool(d, mk, &maker) == 0)
		f->maker = maker;
	f->liquidation = strstr(misc, "liquidat") != NULL;
	f->instr = state_find_instrument(st, pair);
	/* Kraken charges spot fees in the quote currency unless fcib was set;
	 * the trade record does not say which, so the quote is the best guess. */
	const struct instrument *in = state_instrument(st, f->instr);
	if (in)
		snprintf(f->fee_asset, sizeof f->fee_asset, "%s", in->quote);
	return 0;
}

static int fill_cmp(const void *a, const void *b)
{
	const struct fill *x = a, *y = b;
	return (x->time_ms > y->time_ms) - (x->time_ms < y->time_ms);
}

static int dec_fill_map(const struct jdoc *d, int obj, const char *what, const struct state *st,
			struct fill **out, size_t *n, struct kerr *err)
{
	*out = NULL;
	*n = 0;
	if (sj_need_obj(d, obj, what, err) < 0)
		return -1;
	struct fill *f = xcalloc(jtok_size(d, obj) + 1, sizeof *f);
	size_t m = 0;
	for (int k = jfirst(d, obj); k >= 0; k = jnext(d, obj, k), m++) {
		if (dec_fill(d, k, st, &f[m], err) < 0) {
			free(f);
			return -1;
		}
	}
	qsort(f, m, sizeof *f, fill_cmp);
	*out = f;
	*n = m;
	return 0;
}

int spot_dec_trades_history(const struct jdoc *d, int res, const struct state *st,
			    struct fill **out, size_t *n, int64_t *count, struct kerr *err)
{
	int64_t c = 0;
	*out = NULL;
	*n = 0;
	if (sj_need_obj(d, res, "result", err) < 0 || sj_i64(d, res, "count", &c, false, err) < 0)
		return -1;
	if (count)
		*count = c;
	return dec_fill_map(d, jobj_get(d, res, "trades"), "result.trades", st, out, n, err);
}

int spot_dec_query_trades(const struct jdoc *d, int res, const struct state *st,
			  struct fill **out, size_t *n, struct kerr *err)
{
	return dec_fill_map(d, res, "result", st, out, n, err);
}

void spot_apply_fills(struct state *st, const struct fill *f, size_t n)
{
	for (size_t i = 0; i < n; i++)
		state_add_fill(st, &f[i]);
}

/* ---- positions: one net position per pair ---- */

struct pos_acc {
	int instr;
	dec_t lq, lc, sq, sc; /* long/short open quantity and the cost of it */
	dec_t margin, net, value;
};

static int pos_entry(const struct jdoc *d, int k, const struct state *st, struct pos_acc *acc,
		     size_t *nacc, struct kerr *err)
{
	int v = k + 1;
	char pair[INSTR_ID_MAX], side[8];
	dec_t cost, vol, closed, margin, net, value, open, c;
	if (sj_need_obj(d, v, "position", err) < 0 ||
	    sj_str(d, v, "pair", pair, sizeof pair, true, err) < 0 ||
	    sj_str(d, v, "type", side, sizeof side, true, err) < 0 ||
	    sj_dec(d, v, "cost", &cost, true, err) < 0 || sj_dec(d, v, "vol", &vol, true, err) < 0 ||
	    sj_dec(d, v, "vol_closed", &closed, false, err) < 0 ||
	    sj_dec(d, v, "margin", &margin, false, err) < 0 ||
	    sj_dec(d, v, "net", &net, false, err) < 0 ||
	    sj_dec(d, v, "value", &value, false, err) < 0)
		return -1;
	int instr = state_find_instrument(st, pair);
	if (instr < 0)
		return 0; /* a pair we do not list: nothing to show it against */
	if (dec_sign(vol) <= 0 || dec_sub(vol, closed, &open) < 0 || dec_sign(open) < 0)
		return kerr_set(err, SPOT_E_VALUE, "position on %s has a bad volume", pair);
	/* cost of the still-open part: cost * open / vol */
	if (dec_mul(cost, open, 8, DEC_HALF_EVEN, &c) < 0 ||
	    dec_div(c, vol, 8, DEC_HALF_EVEN, &c) < 0)
		return kerr_set(err, SPOT_E_VALUE, "position on %s overflows", pair);
	size_t i = 0;
	while (i < *nacc && acc[i].instr != instr)
		i++;
	if (i == *nacc) {
		memset(&acc[i], 0, sizeof acc[i]);
		acc[i].instr = instr;
		(*nacc)++;
	}
	struct pos_acc *a = &acc[i];
	bool lng = strcmp(side, "buy") == 0;
	if (dec_add(lng ? a->lq : a->sq, open, lng ? &a->lq : &a->sq) < 0 ||
	    dec_add(lng ? a->lc : a->sc, c, lng ? &a->lc : &a->sc) < 0 ||
	    dec_add(a->margin, margin, &a->margin) < 0 || dec_add(a->net, net, &a->net) < 0 ||
	    dec_add(a->value, value, &a->value) < 0)
		return kerr_set(err, SPOT_E_VALUE, "position on %s overflows", pair);
	return 0;
}

static void pos_finish(const struct state *st, const struct pos_acc *a, struct position *p)
{
	const struct instrument *in = state_instrument(st, a->instr);
	unsigned pdp = in ? in->price_dp : 8;
	memset(p, 0, sizeof *p);
	p->instr = a->instr;
	p->product = PRODUCT_SPOT;
	if (dec_sub(a->lq, a->sq, &p->size) < 0)
		p->size = dec_zero();
	bool lng = dec_sign(p->size) > 0;
	dec_t q = lng ? a->lq : a->sq, c = lng ? a->lc : a->sc, tot;
	if (dec_sign(q) > 0)
		dec_div(c, q, pdp, DEC_HALF_EVEN, &p->entry);
	p->upnl = a->net;
	p->initial_margin = a->margin;
	if (dec_sign(a->margin) > 0 && dec_add(a->lc, a->sc, &tot) == 0)
		dec_div(tot, a->margin, 2, DEC_HALF_EVEN, &p->leverage);
	dec_t sz;
	if (dec_sign(a->value) > 0 && dec_abs(p->size, &sz) == 0 && dec_sign(sz) > 0)
		dec_div(a->value, sz, pdp, DEC_HALF_EVEN, &p->mark);
	if (in)
		snprintf(p->pnl_asset, sizeof p->pnl_asset, "%s", in->quote);
}

int spot_dec_open_positions(const struct jdoc *d, int res, const struct state *st,
			    struct position **out, size_t *n, struct kerr *err)
{
	*out = NULL;
	*n = 0;
	if (sj_need_obj(d, res, "result", err) < 0)
		return -1;
	size_t cnt = jtok_size(d, res) + 1;
	struct pos_acc *acc = xcalloc(cnt, sizeof *acc);
	size_t nacc = 0;
	for (int k = jfirst(d, res); k >= 0; k = jnext(d, res, k)) {
		if (pos_entry(d, k, st, acc, &nacc, err) < 0) {
			free(acc);
			return -1;
		}
	}
	struct position *p = xcalloc(nacc + 1, sizeof *p);
	for (size_t i = 0; i < nacc; i++)
		pos_finish(st, &acc[i], &p[i]);
	free(acc);
	*out = p;
	*n = nacc;
	return 0;
}

void spot_apply_positions(struct state *st, const struct position *p, size_t n)
{
	state_set_positions(st, PRODUCT_SPOT, p, n);
}

/* ---- ledgers ---- */

static int ledger_cmp(const void *a, const void *b)
{
	const struct spot_ledger *x = a, *y = b;
	return (x->time_ms > y->time_ms) - (x->time_ms < y->time_ms);
}

int spot_dec_ledgers(const struct jdoc *d, int res, struct spot_ledger **out, size_t *n,
		     int64_t *count, struct kerr *err)
{
	*out = NULL;
	*n = 0;
	int64_t c = 0;
	int obj = jobj_get(d, res, "ledger");
	if (sj_need_obj(d, res, "result", err) < 0 || sj_i64(d, res, "count", &c, false, err) < 0 ||
	    sj_need_obj(d, obj, "result.ledger", err) < 0)
		return -1;
	if (count)
		*count = c;
	struct spot_ledger *l = xcalloc(jtok_size(d, obj) + 1, sizeof *l);
	size_t m = 0;
	for (int k = jfirst(d, obj); k >= 0; k = jnext(d, obj, k), m++) {
		struct spot_ledger *x = &l[m];
		int v = k + 1;
		char asset[32];
		if (sj_key(d, k, x->id, sizeof x->id, err) < 0 || sj_need_obj(d, v, x->id, err) < 0 ||
		    sj_str(d, v, "refid", x->refid, sizeof x->refid, false, err) < 0 ||
		    sj_time_ms(d, v, "time", &x->time_ms, true, err) < 0 ||
		    sj_str(d, v, "type", x->type, sizeof x->type, true, err) < 0 ||
		    sj_str(d, v, "subtype", x->subtype, sizeof x->subtype, false, err) < 0 ||
		    sj_str(d, v, "asset", asset, sizeof asset, true, err) < 0 ||
		    sj_dec(d, v, "amount", &x->amount, true, err) < 0 ||
		    sj_dec(d, v, "fee", &x->fee, false, err) < 0 ||
		    sj_dec(d, v, "balance", &x->balance, false, err) < 0) {
			free(l);
			return -1;
		}
		kraken_asset_display(asset, x->asset, sizeof x->asset, NULL);
	}
	qsort(l, m, sizeof *l, ledger_cmp);
	*out = l;
	*n = m;
	return 0;
}

/* A stable positive 63-bit id from a ledger id text (FNV-1a). */
static int64_t ledger_num(const char *s)
{
	uint64_t h = 1469598103934665603ull;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return (int64_t)(h >> 1);
}

void spot_apply_ledgers(struct state *st, const struct spot_ledger *l, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		struct account_log_entry e;
		memset(&e, 0, sizeof e);
		e.id = ledger_num(l[i].id);
		e.time_ms = l[i].time_ms;
		snprintf(e.info, sizeof e.info, "%s%s%s", l[i].type, l[i].subtype[0] ? " " : "",
			 l[i].subtype);
		snprintf(e.asset, sizeof e.asset, "%s", l[i].asset);
		e.new_balance = l[i].balance;
		e.fee = l[i].fee;
		/* balance = previous + amount - fee */
		dec_t t;
		if (dec_sub(l[i].balance, l[i].amount, &t) == 0 && dec_add(t, l[i].fee, &t) == 0)
			e.old_balance = t;
		state_add_account_log(st, &e);
	}
}
