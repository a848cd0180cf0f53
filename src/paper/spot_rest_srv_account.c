/* spot_rest_srv_account: the private Spot REST read endpoints (balances,
 * orders, trades, positions, ledgers), the WebSocket token and the wallet
 * transfer. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/ktime.h"
#include "base/xalloc.h"
#include "paper/spot_rest_srv_int.h"

#define PAGE 50
#define MAX_IDS 50

/* ---- balances ---- */

static void w_balance(void *arg, int asset, const struct px_balance *b)
{
	struct srs *r = arg;
	const struct px_asset *a = px_asset(r->px, asset);
	jw_key(&r->w, a->id);
	srs_w_dec(&r->w, b->balance, a->decimals);
}

int srs_h_balance(struct srs *r)
{
	jw_obj_begin(&r->w);
	px_spot_balances(r->px, r->acct, w_balance, r);
	jw_obj_end(&r->w);
	return 0;
}

static void w_balance_ex(void *arg, int asset, const struct px_balance *b)
{
	struct srs *r = arg;
	const struct px_asset *a = px_asset(r->px, asset);
	struct jw *w = &r->w;
	jw_key(w, a->id);
	jw_obj_begin(w);
	jw_key(w, "balance");
	srs_w_dec(w, b->balance, a->decimals);
	if (dec_sign(b->credit) || dec_sign(b->credit_used)) {
		jw_key(w, "credit");
		srs_w_dec(w, b->credit, a->decimals);
		jw_key(w, "credit_used");
		srs_w_dec(w, b->credit_used, a->decimals);
	}
	jw_key(w, "hold_trade");
	srs_w_dec(w, b->hold_trade, a->decimals);
	jw_obj_end(w);
}

int srs_h_balance_ex(struct srs *r)
{
	jw_obj_begin(&r->w);
	px_spot_balances(r->px, r->acct, w_balance_ex, r);
	jw_obj_end(&r->w);
	return 0;
}

int srs_h_trade_balance(struct srs *r)
{
	const char *name = srs_param(r, "asset");
	const struct px_asset *a = px_asset_find(r->px, name ? name : "ZUSD");
	if (!a)
		return srs_fail(r, "EQuery:Unknown asset");
	struct px_trade_balance tb;
	struct kerr e = KERR_INIT;
	if (px_spot_trade_balance(r->px, r->acct, a->idx, &tb, &e) < 0)
		return srs_fail_px(r, &e);
	struct jw *w = &r->w;
	const char *keys[] = {"eb", "tb", "m", "n", "c", "v", "e", "mf"};
	const dec_t vals[] = {tb.eb, tb.tb, tb.m, tb.n, tb.c, tb.v, tb.e, tb.mf};
	jw_obj_begin(w);
	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
		jw_key(w, keys[i]);
		srs_w_dec(w, vals[i], a->decimals);
	}
	if (tb.has_ml) {
		jw_key(w, "ml");
		srs_w_dec(w, tb.ml, 2);
	}
	jw_key(w, "uv");
	srs_w_dec(w, tb.uv, a->decimals);
	jw_obj_end(w);
	return 0;
}

/* ---- filters shared by the list endpoints ---- */

static bool is_number(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!isdigit((unsigned char)*s) && *s != '.')
			return false;
	return true;
}

enum id_kind { ID_ORDER, ID_TRADE, ID_LEDGER };

/* start/end: unix seconds, or an id whose time is used (exclusive bound). */
static int bound(struct srs *r, const char *key, enum id_kind kind, bool by_close, int64_t *ns)
{
	const char *v = srs_param(r, key);
	*ns = 0;
	if (!v || !v[0])
		return 0;
	if (is_number(v))
		return srs_seconds_ns(v, ns) < 0 ? srs_fail_arg(r, key) : 0;
	if (kind == ID_ORDER) {
		const struct px_order *o = px_order_find(r->px, r->acct, v);
		if (o)
			*ns = by_close && o->close_ns ? o->close_ns : o->open_ns;
	} else if (kind == ID_TRADE) {
		const struct px_fill *f = px_fill_find(r->px, r->acct, v);
		if (f)
			*ns = f->ts_ns;
	} else {
		const struct px_ledger *l = px_ledger_find(r->px, r->acct, v);
		if (l)
			*ns = l->ts_ns;
	}
	return *ns ? 0 : srs_fail_arg(r, key);
}

static int common_filter(struct srs *r, struct px_filter *f, enum id_kind kind)
{
	int64_t ofs = 0;
	if (bound(r, "start", kind, f->by_close, &f->start_ns) < 0 ||
	    bound(r, "end", kind, f->by_close, &f->end_ns) < 0 ||
	    srs_int(r, "ofs", 0, INT32_MAX, &ofs, NULL) < 0)
		return -1;
	f->ofs = (size_t)ofs;
	f->limit = PAGE;
	return 0;
}

static int order_filter(struct srs *r, struct px_filter *f, bool *trades)
{
	int64_t userref = 0;
	bool has_ref;
	*f = px_filter_all(PX_SPOT);
	if (srs_bool(r, "trades", false, trades) < 0 ||
	    srs_int(r, "userref", INT32_MIN, INT32_MAX, &userref, &has_ref) < 0)
		return -1;
	f->has_userref = has_ref;
	f->userref = (int32_t)userref;
	f->cl_ord_id = srs_param(r, "cl_ord_id");
	return 0;
}

struct orders_ctx {
	struct srs *r;
	bool trades;
};

static void w_keyed_order(void *arg, const struct px_order *o)
{
	struct orders_ctx *c = arg;
	jw_key(&c->r->w, o->id);
	srs_w_order(c->r, o, c->trades);
}

int srs_h_open_orders(struct srs *r)
{
	struct px_filter f;
	struct orders_ctx c = {r, false};
	if (order_filter(r, &f, &c.trades) < 0)
		return -1;
	jw_obj_begin(&r->w);
	jw_key(&r->w, "open");
	jw_obj_begin(&r->w);
	px_open_orders(r->px, r->acct, &f, w_keyed_order, &c);
	jw_obj_end(&r->w);
	jw_obj_end(&r->w);
	return 0;
}

int srs_h_closed_orders(struct srs *r)
{
	struct px_filter f;
	struct orders_ctx c = {r, false};
	bool no_count;
	if (order_filter(r, &f, &c.trades) < 0 ||
	    srs_bool(r, "without_count", false, &no_count) < 0)
		return -1;
	const char *ct = srs_param(r, "closetime");
	if (ct && strcmp(ct, "open") && strcmp(ct, "close") && strcmp(ct, "both"))
		return srs_fail_arg(r, "closetime");
	f.by_close = !ct || strcmp(ct, "open") != 0;
	if (common_filter(r, &f, ID_ORDER) < 0)
		return -1;
	jw_obj_begin(&r->w);
	jw_key(&r->w, "closed");
	jw_obj_begin(&r->w);
	size_t total = px_closed_orders(r->px, r->acct, &f, w_keyed_order, &c);
	jw_obj_end(&r->w);
	if (!no_count) {
		jw_key(&r->w, "count");
		jw_u64(&r->w, total);
	}
	jw_obj_end(&r->w);
	return 0;
}

/* A required comma list of ids (1..max). Returns the count; *copy to free. */
static int id_list(struct srs *r, const char *key, size_t max, char **copy, char **ids)
{
	const char *v = srs_param(r, key);
	*copy = NULL;
	if (!v || !v[0])
		return srs_fail_arg(r, key);
	*copy = xstrdup(v);
	size_t n = srs_split(*copy, ids, max + 1);
	if (n == 0 || n > max) {
		free(*copy);
		*copy = NULL;
		return srs_fail_arg(r, key);
	}
	return (int)n;
}

int srs_h_query_orders(struct srs *r)
{
	struct px_filter f;
	bool trades;
	char *copy, *ids[MAX_IDS + 1];
	if (order_filter(r, &f, &trades) < 0)
		return -1;
	int n = id_list(r, "txid", MAX_IDS, &copy, ids);
	if (n < 0)
		return -1;
	const struct px_order *found[MAX_IDS];
	for (int i = 0; i < n; i++) {
		found[i] = px_order_find(r->px, r->acct, ids[i]);
		if (!found[i] || found[i]->instr->product != PX_SPOT) {
			free(copy);
			return srs_fail(r, "EOrder:Unknown order");
		}
	}
	jw_obj_begin(&r->w);
	for (int i = 0; i < n; i++) {
		if (f.has_userref && found[i]->userref != f.userref)
			continue;
		jw_key(&r->w, found[i]->id);
		srs_w_order(r, found[i], trades);
	}
	jw_obj_end(&r->w);
	free(copy);
	return 0;
}

int srs_h_order_amends(struct srs *r)
{
	const char *id = srs_param(r, "order_id");
	if (!id)
		return srs_fail_arg(r, "order_id");
	const struct px_order *o = px_order_find(r->px, r->acct, id);
	if (!o)
		return srs_fail(r, "EOrder:Unknown order");
	static const char *const kinds[] = {"original", "user", "restated"};
	const struct px_instr *in = o->instr;
	struct jw *w = &r->w;
	jw_obj_begin(w);
	jw_key(w, "amends");
	jw_arr_begin(w);
	for (size_t i = 0; i < o->namends; i++) {
		const struct px_amend_rec *a = &o->amends[i];
		jw_obj_begin(w);
		jw_key(w, "amend_id");
		jw_str(w, a->amend_id);
		jw_key(w, "amend_type");
		jw_str(w, kinds[a->kind]);
		jw_key(w, "order_qty");
		srs_w_dec(w, a->qty, in->qty_dp);
		jw_key(w, "display_qty");
		srs_w_dec(w, a->display, in->qty_dp);
		jw_key(w, "limit_price");
		srs_w_dec(w, a->price, in->price_dp);
		jw_key(w, "trigger_price");
		srs_w_dec(w, a->trigger, in->price_dp);
		jw_key(w, "post_only");
		jw_bool(w, a->post_only);
		jw_key(w, "timestamp");
		jw_i64(w, a->ts_ns / 1000000);
		jw_obj_end(w);
	}
	jw_arr_end(w);
	jw_key(w, "count");
	jw_u64(w, o->namends);
	jw_obj_end(w);
	return 0;
}

/* ---- trades ---- */

enum pos_type { PT_ALL, PT_ANY, PT_CLOSED, PT_NONE };

struct fills_ctx {
	struct srs *r;
	enum pos_type type;
	bool ledgers;
	size_t skip, left, total;
};

static void w_keyed_fill(void *arg, const struct px_fill *f)
{
	struct fills_ctx *c = arg;
	bool match = c->type == PT_ALL || (c->type == PT_NONE && f->pos_effect == PX_POS_NONE) ||
		     (c->type == PT_ANY && f->pos_effect != PX_POS_NONE) ||
		     (c->type == PT_CLOSED && f->pos_effect == PX_POS_CLOSE);
	if (!match || f->instr->product != PX_SPOT)
		return;
	c->total++;
	if (c->skip) {
		c->skip--;
		return;
	}
	if (!c->left)
		return;
	c->left--;
	jw_key(&c->r->w, f->id);
	srs_w_fill(c->r, f, c->ledgers);
}

int srs_h_trades_history(struct srs *r)
{
	struct fills_ctx c = {r, PT_ALL, false, 0, 0, 0};
	const char *type = srs_param(r, "type");
	if (!type || strcmp(type, "all") == 0)
		c.type = PT_ALL;
	else if (strcmp(type, "any position") == 0)
		c.type = PT_ANY;
	else if (strcmp(type, "closed position") == 0 || strcmp(type, "closing position") == 0)
		c.type = PT_CLOSED;
	else if (strcmp(type, "no position") == 0)
		c.type = PT_NONE;
	else
		return srs_fail_arg(r, "type");
	bool trades, consolidate;
	struct px_filter f = px_filter_all(PX_SPOT);
	if (srs_bool(r, "ledgers", false, &c.ledgers) < 0 ||
	    srs_bool(r, "trades", false, &trades) < 0 ||
	    srs_bool(r, "consolidate_taker", true, &consolidate) < 0 ||
	    common_filter(r, &f, ID_TRADE) < 0)
		return -1;
	/* the position filter is applied here, so paging is too */
	c.skip = f.ofs;
	c.left = f.limit;
	f.ofs = 0;
	f.limit = 0;
	jw_obj_begin(&r->w);
	jw_key(&r->w, "trades");
	jw_obj_begin(&r->w);
	px_fills(r->px, r->acct, &f, w_keyed_fill, &c);
	jw_obj_end(&r->w);
	jw_key(&r->w, "count");
	jw_u64(&r->w, c.total);
	jw_obj_end(&r->w);
	return 0;
}

int srs_h_query_trades(struct srs *r)
{
	char *copy, *ids[21];
	int n = id_list(r, "txid", 20, &copy, ids);
	if (n < 0)
		return -1;
	const struct px_fill *found[20];
	for (int i = 0; i < n; i++) {
		found[i] = px_fill_find(r->px, r->acct, ids[i]);
		if (!found[i] || found[i]->instr->product != PX_SPOT) {
			free(copy);
			return srs_fail_arg(r, "txid");
		}
	}
	jw_obj_begin(&r->w);
	for (int i = 0; i < n; i++) {
		jw_key(&r->w, found[i]->id);
		srs_w_fill(r, found[i], false);
	}
	jw_obj_end(&r->w);
	free(copy);
	return 0;
}

/* ---- positions ---- */

struct pos_ctx {
	struct srs *r;
	char **ids;
	size_t nids;
	bool calcs;
};

static void w_position(void *arg, const struct px_margin_pos *p)
{
	struct pos_ctx *c = arg;
	struct jw *w = &c->r->w;
	const struct px_instr *in = p->instr;
	bool want = c->nids == 0;
	for (size_t i = 0; i < c->nids && !want; i++)
		want = strcmp(c->ids[i], p->id) == 0;
	if (!want)
		return;
	jw_key(w, p->id);
	jw_obj_begin(w);
	jw_key(w, "ordertxid");
	jw_str(w, p->ordertxid);
	jw_key(w, "posstatus");
	jw_str(w, "open");
	jw_key(w, "pair");
	jw_str(w, in->rest_id);
	jw_key(w, "time");
	srs_w_time(w, p->open_ns);
	jw_key(w, "type");
	jw_str(w, p->side == ENGINE_BUY ? "buy" : "sell");
	jw_key(w, "ordertype");
	jw_str(w, "limit");
	jw_key(w, "cost");
	srs_w_dec(w, p->cost, in->cost_dp);
	jw_key(w, "fee");
	srs_w_dec(w, p->fee, in->cost_dp);
	jw_key(w, "vol");
	srs_w_dec(w, p->vol, in->qty_dp);
	jw_key(w, "vol_closed");
	srs_w_dec(w, p->vol_closed, in->qty_dp);
	jw_key(w, "margin");
	srs_w_dec(w, p->margin, in->cost_dp);
	if (c->calcs) {
		char net[DEC_FMT_MAX + 1];
		jw_key(w, "value");
		srs_w_dec(w, p->value, in->cost_dp);
		net[0] = dec_sign(p->net) < 0 ? '-' : '+';
		dec_t a;
		dec_abs(p->net, &a);
		dec_fmt(a, in->cost_dp, net + 1, sizeof net - 1);
		jw_key(w, "net");
		jw_str(w, net);
	}
	jw_key(w, "terms");
	jw_str(w, "0.0100% per 4 hours");
	char roll[24];
	snprintf(roll, sizeof roll, "%lld", (long long)(p->rollover_ns / KTIME_NS_PER_SEC));
	jw_key(w, "rollovertm");
	jw_str(w, roll);
	jw_key(w, "misc");
	jw_str(w, "");
	jw_key(w, "oflags");
	jw_str(w, "");
	jw_obj_end(w);
}

int srs_h_open_positions(struct srs *r)
{
	struct pos_ctx c = {r, NULL, 0, false};
	char *copy = NULL, *ids[MAX_IDS];
	const char *cons = srs_param(r, "consolidation");
	if (cons && strcmp(cons, "market") != 0)
		return srs_fail_arg(r, "consolidation");
	if (srs_bool(r, "docalcs", false, &c.calcs) < 0)
		return -1;
	const char *list = srs_param(r, "txid");
	if (list && list[0]) {
		copy = xstrdup(list);
		c.nids = srs_split(copy, ids, MAX_IDS);
		c.ids = ids;
	}
	jw_obj_begin(&r->w);
	px_margin_positions(r->px, r->acct, w_position, &c);
	jw_obj_end(&r->w);
	free(copy);
	return 0;
}

/* ---- ledgers ---- */

static void w_keyed_ledger(void *arg, const struct px_ledger *l)
{
	struct srs *r = arg;
	jw_key(&r->w, l->id);
	srs_w_ledger(r, l);
}

static int ledger_types(struct srs *r, uint32_t *mask)
{
	const char *t = srs_param(r, "type");
	*mask = 0;
	if (!t || strcmp(t, "all") == 0)
		return 0;
	for (int i = 0; i < PX_L_COUNT; i++)
		if (strcmp(t, px_ledger_type_str((enum px_ledger_type)i)) == 0)
			*mask = 1u << i;
	static const char *const known[] = {"credit", "staking", "dividend", "sale", "nft",
					    "earn", "conversion", "reward"};
	if (*mask)
		return 0;
	for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
		if (strcmp(t, known[i]) == 0) {
			*mask = 1u << 31; /* a valid type that never occurs here */
			return 0;
		}
	return srs_fail_arg(r, "type");
}

int srs_h_ledgers(struct srs *r)
{
	struct px_filter f = px_filter_all(PX_SPOT);
	bool no_count;
	const char *aclass = srs_param(r, "aclass");
	if (aclass && strcmp(aclass, "currency") != 0)
		return srs_fail_arg(r, "aclass");
	if (ledger_types(r, &f.type_mask) < 0 || srs_bool(r, "without_count", false, &no_count) < 0 ||
	    common_filter(r, &f, ID_LEDGER) < 0)
		return -1;
	const char *list = srs_param(r, "asset");
	if (list && strcmp(list, "all") != 0) {
		char *copy = xstrdup(list), *items[PX_A_COUNT + 1];
		size_t n = srs_split(copy, items, PX_A_COUNT + 1);
		const struct px_asset *a = NULL;
		for (size_t i = 0; i < n; i++) {
			if (!(a = px_asset_find(r->px, items[i]))) {
				free(copy);
				return srs_fail(r, "EQuery:Unknown asset");
			}
		}
		free(copy);
		if (n != 1)
			return srs_fail_arg(r, "asset"); /* px filters one asset at a time */
		f.asset = a->idx;
	}
	jw_obj_begin(&r->w);
	jw_key(&r->w, "ledger");
	jw_obj_begin(&r->w);
	size_t total = px_ledgers(r->px, r->acct, &f, w_keyed_ledger, r);
	jw_obj_end(&r->w);
	if (!no_count) {
		jw_key(&r->w, "count");
		jw_u64(&r->w, total);
	}
	jw_obj_end(&r->w);
	return 0;
}

int srs_h_query_ledgers(struct srs *r)
{
	char *copy, *ids[21];
	int n = id_list(r, "id", 20, &copy, ids);
	if (n < 0)
		return -1;
	const struct px_ledger *found[20];
	for (int i = 0; i < n; i++) {
		if (!(found[i] = px_ledger_find(r->px, r->acct, ids[i]))) {
			free(copy);
			return srs_fail_arg(r, "id");
		}
	}
	jw_obj_begin(&r->w);
	for (int i = 0; i < n; i++) {
		jw_key(&r->w, found[i]->id);
		srs_w_ledger(r, found[i]);
	}
	jw_obj_end(&r->w);
	free(copy);
	return 0;
}

/* ---- token and transfer ---- */

int srs_h_ws_token(struct srs *r)
{
	char token[PAPER_TOKEN_MAX];
	int64_t exp = 0;
	if (paper_token_issue(r->p, r->acct, token, &exp) < 0)
		return srs_fail(r, "EGeneral:Internal error");
	jw_obj_begin(&r->w);
	jw_key(&r->w, "token");
	jw_str(&r->w, token);
	jw_key(&r->w, "expires");
	jw_i64(&r->w, exp);
	jw_obj_end(&r->w);
	return 0;
}

int srs_h_wallet_transfer(struct srs *r)
{
	const char *name = srs_param(r, "asset"), *from = srs_param(r, "from"),
		   *to = srs_param(r, "to");
	dec_t amount;
	if (!name)
		return srs_fail_arg(r, "asset");
	if (!from || strcmp(from, "Spot Wallet") != 0)
		return srs_fail_arg(r, "from");
	if (!to || strcmp(to, "Futures Wallet") != 0)
		return srs_fail_arg(r, "to");
	if (srs_dec(r, "amount", true, &amount, NULL) < 0)
		return -1;
	if (dec_sign(amount) <= 0)
		return srs_fail(r, "EFunding:Invalid amount");
	const struct px_asset *a = px_asset_find(r->px, name);
	if (!a)
		return srs_fail(r, "EFunding:Unknown asset");
	char refid[PX_ID_MAX];
	struct kerr e = KERR_INIT;
	if (px_transfer_to_futures(r->px, r->acct, a->idx, amount, refid, &e) < 0)
		return srs_fail(r, e.code == ENGINE_R_INSUFFICIENT_FUNDS ? "EFunding:Insufficient funds"
								       : srs_px_error(e.code));
	jw_obj_begin(&r->w);
	jw_key(&r->w, "refid");
	jw_str(&r->w, refid);
	jw_obj_end(&r->w);
	return 0;
}
