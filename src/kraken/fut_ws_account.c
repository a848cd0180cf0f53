/* fut_ws_account: the private account feeds — open_positions, balances
 * (snapshot + deltas that carry only what changed), account_log (snapshot +
 * new_entry; funding entries also refresh the funding view) and
 * notifications_auth — applied to the core's futures wallet, positions,
 * account log and notices. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/ktime.h"
#include "base/log.h"
#include "base/strutil.h"
#include "kraken/fut_ws_int.h"
#include "kraken/symbols.h"

/* ---- open_positions ---- */

static int parse_position(struct fws_ctx *x, int obj, struct position *p)
{
	const struct jdoc *d = x->d;
	memset(p, 0, sizeof *p);
	if (!jtok_is(d, obj, J_OBJ))
		return fws_fail(x, FWS_E_SHAPE, "a position is not an object");
	int ins = jobj_get(d, obj, "instrument");
	if (!jtok_is(d, ins, J_STR))
		return fws_fail(x, FWS_E_SHAPE, "a position lacks \"instrument\"");
	p->instr = fws_instr_tok(x, ins);
	p->product = PRODUCT_FUTURES;
	bool iso = false;
	char cur[ASSET_MAX];
	if (fws_req_dec(x, obj, "balance", &p->size) < 0 ||
	    fws_opt_dec(x, obj, "entry_price", &p->entry, NULL) < 0 ||
	    fws_opt_dec(x, obj, "mark_price", &p->mark, NULL) < 0 ||
	    fws_opt_dec(x, obj, "pnl", &p->upnl, NULL) < 0 ||
	    fws_opt_dec(x, obj, "liquidation_threshold", &p->liq_price, NULL) < 0 ||
	    fws_opt_dec(x, obj, "effective_leverage", &p->leverage, NULL) < 0 ||
	    fws_opt_dec(x, obj, "unrealized_funding", &p->unrealized_funding, NULL) < 0 ||
	    fws_opt_dec(x, obj, "initial_margin", &p->initial_margin, NULL) < 0 ||
	    fws_opt_dec(x, obj, "maintenance_margin", &p->maintenance_margin, NULL) < 0 ||
	    fws_opt_dec(x, obj, "max_fixed_leverage", &p->max_leverage, &iso) < 0 ||
	    fws_opt_str(x, obj, "pnl_currency", cur, sizeof cur) < 0)
		return -1;
	/* As on REST, a fixed (max) leverage is present for isolated positions only. */
	p->isolated = iso;
	const struct instrument *in = state_instrument(x->st, p->instr);
	if (cur[0])
		kraken_asset_display(cur, p->pnl_asset, sizeof p->pnl_asset, NULL);
	else if (in) /* left out for inverse contracts: PnL is in the base coin */
		kt_strlcpy(p->pnl_asset, instrument_is_inverse(in) ? in->base : in->quote,
		           sizeof p->pnl_asset);
	return 0;
}

int fws_positions(struct fws_ctx *x, int obj)
{
	const struct jdoc *d = x->d;
	int arr = fws_req_arr(x, obj, "positions");
	if (arr < 0)
		return -1;
	size_t n = jtok_size(d, arr);
	struct position *list = fws_scratch(x->c, n ? n : 1, sizeof *list);
	size_t i = 0;
	for (int k = jfirst(d, arr); k >= 0; k = jnext(d, arr, k))
		if (parse_position(x, k, &list[i++]) < 0)
			return -1;
	size_t w = 0;
	for (i = 0; i < n; i++)
		if (list[i].instr >= 0)
			list[w++] = list[i];
	/* Every message lists all positions: replace the product's set. */
	state_set_positions(x->st, PRODUCT_FUTURES, list, w);
	x->out->count = w;
	return 0;
}

/* ---- balances ---- */

/* The entry for asset in a collateral list, appended when new (NULL if full). */
static struct collateral *collateral_slot(struct collateral *list, int *n, const char *asset)
{
	for (int i = 0; i < *n; i++)
		if (strcmp(list[i].asset, asset) == 0)
			return &list[i];
	if (*n >= COLLATERAL_MAX) {
		LOGW("fut ws: more than %d wallet currencies; %s left out", COLLATERAL_MAX, asset);
		return NULL;
	}
	struct collateral *c = &list[(*n)++];
	memset(c, 0, sizeof *c);
	kt_strlcpy(c->asset, asset, sizeof c->asset);
	return c;
}

static void key_asset(const struct jdoc *d, int key, char *buf, size_t cap)
{
	char raw[ASSET_MAX];
	jtok_str(d, key, raw, sizeof raw);
	kraken_asset_display(raw, buf, cap, NULL);
}

/* holding: {"USD": 5000.0, ...} -> the cash wallet (only listed currencies change). */
static int merge_holding(struct fws_ctx *x, int obj, struct futures_account *fa)
{
	const struct jdoc *d = x->d;
	if (!jtok_is(d, obj, J_OBJ))
		return fws_fail(x, FWS_E_SHAPE, "\"holding\" is not an object");
	for (int k = jfirst(d, obj); k >= 0; k = jnext(d, obj, k)) {
		char asset[ASSET_MAX];
		dec_t q;
		key_asset(d, k, asset, sizeof asset);
		if (fws_tok_dec(x, k + 1, "holding", &q) < 0)
			return -1;
		struct collateral *c = collateral_slot(fa->cash, &fa->ncash, asset);
		if (c)
			c->quantity = c->available = q;
	}
	return 0;
}

static int merge_currencies(struct fws_ctx *x, int obj, struct futures_account *fa)
{
	const struct jdoc *d = x->d;
	if (!jtok_is(d, obj, J_OBJ))
		return fws_fail(x, FWS_E_SHAPE, "\"currencies\" is not an object");
	for (int k = jfirst(d, obj); k >= 0; k = jnext(d, obj, k)) {
		char asset[ASSET_MAX];
		key_asset(d, k, asset, sizeof asset);
		struct collateral tmp, *c = collateral_slot(fa->cur, &fa->ncur, asset);
		if (!c)
			c = &tmp; /* still validated */
		int v = k + 1;
		if (!jtok_is(d, v, J_OBJ))
			return fws_fail(x, FWS_E_SHAPE, "currency %s is not an object", asset);
		if (fws_opt_dec(x, v, "quantity", &c->quantity, NULL) < 0 ||
		    fws_opt_dec(x, v, "value", &c->value, NULL) < 0 ||
		    fws_opt_dec(x, v, "collateral_value", &c->collateral, NULL) < 0 ||
		    fws_opt_dec(x, v, "available", &c->available, NULL) < 0)
			return -1;
	}
	return 0;
}

static int merge_flex(struct fws_ctx *x, int obj, struct futures_account *fa)
{
	if (!jtok_is(x->d, obj, J_OBJ))
		return fws_fail(x, FWS_E_SHAPE, "\"flex_futures\" is not an object");
	/* WS initial_margin includes orders; initial_margin_without_orders does not. */
	const struct {
		const char *key;
		dec_t *v;
	} f[] = {
	        {"balance_value", &fa->balance_value},
	        {"portfolio_value", &fa->portfolio_value},
	        {"collateral_value", &fa->collateral_value},
	        {"initial_margin", &fa->initial_margin_with_orders},
	        {"initial_margin_without_orders", &fa->initial_margin},
	        {"maintenance_margin", &fa->maintenance_margin},
	        {"available_margin", &fa->available_margin},
	        {"margin_equity", &fa->margin_equity},
	        {"pnl", &fa->pnl},
	        {"unrealized_funding", &fa->unrealized_funding},
	};
	for (size_t i = 0; i < sizeof f / sizeof f[0]; i++)
		if (fws_opt_dec(x, obj, f[i].key, f[i].v, NULL) < 0)
			return -1;
	int cur = jobj_get(x->d, obj, "currencies");
	return cur >= 0 ? merge_currencies(x, cur, fa) : 0;
}

int fws_balances(struct fws_ctx *x, int obj, bool snapshot)
{
	struct futures_account fa;
	if (snapshot)
		memset(&fa, 0, sizeof fa);
	else
		fa = x->st->fut; /* a delta carries only the parts that changed */
	int hold = jobj_get(x->d, obj, "holding");
	int flex = jobj_get(x->d, obj, "flex_futures");
	if ((hold >= 0 && merge_holding(x, hold, &fa) < 0) ||
	    (flex >= 0 && merge_flex(x, flex, &fa) < 0))
		return -1;
	state_set_futures_account(x->st, &fa);
	x->out->count = (size_t)(fa.ncur + fa.ncash);
	return 0;
}

/* ---- account_log ---- */

static int parse_log_time(struct fws_ctx *x, int obj, int64_t *ms)
{
	int tok = jobj_get(x->d, obj, "date");
	if (tok < 0)
		return fws_fail(x, FWS_E_SHAPE, "a log entry lacks \"date\"");
	if (!jtok_is(x->d, tok, J_STR))
		return fws_tok_ms(x, tok, "date", ms);
	char buf[48];
	int64_t ns;
	jtok_str(x->d, tok, buf, sizeof buf);
	if (ktime_parse_rfc3339(buf, (size_t)-1, &ns, NULL) < 0)
		return fws_fail(x, FWS_E_SHAPE, "a log entry's \"date\" is not a time (\"%s\")",
		                buf);
	*ms = ns / 1000000;
	return 0;
}

static int parse_log(struct fws_ctx *x, int obj, struct account_log_entry *e)
{
	const struct jdoc *d = x->d;
	memset(e, 0, sizeof *e);
	if (!jtok_is(d, obj, J_OBJ))
		return fws_fail(x, FWS_E_SHAPE, "a log entry is not an object");
	int idt = jobj_get(d, obj, "id");
	if (idt < 0 || jtok_i64(d, idt, &e->id) < 0)
		return fws_fail(x, FWS_E_SHAPE, "a log entry lacks an integer \"id\"");
	char asset[INSTR_ID_MAX], contract[INSTR_ID_MAX], coll[ASSET_MAX];
	if (parse_log_time(x, obj, &e->time_ms) < 0 ||
	    fws_opt_str(x, obj, "info", e->info, sizeof e->info) < 0 ||
	    fws_opt_str(x, obj, "asset", asset, sizeof asset) < 0 ||
	    fws_opt_str(x, obj, "contract", contract, sizeof contract) < 0 ||
	    fws_opt_str(x, obj, "collateral", coll, sizeof coll) < 0 ||
	    fws_opt_dec(x, obj, "old_balance", &e->old_balance, NULL) < 0 ||
	    fws_opt_dec(x, obj, "new_balance", &e->new_balance, NULL) < 0 ||
	    fws_opt_dec(x, obj, "realized_funding", &e->realized_funding, NULL) < 0 ||
	    fws_opt_dec(x, obj, "funding_rate", &e->funding_rate, NULL) < 0 ||
	    fws_opt_dec(x, obj, "fee", &e->fee, NULL) < 0 ||
	    fws_opt_dec(x, obj, "realized_pnl", &e->realized_pnl, NULL) < 0)
		return -1;
	/* "asset" is a currency ("bch") or, for trades, the contract ("pi_bchusd"). */
	char up[INSTR_ID_MAX];
	enum instr_kind kind;
	char b[ASSET_MAX], q[ASSET_MAX];
	bool asset_is_contract =
	        asset[0] && kraken_futures_parse(asset, up, sizeof up, &kind, b, q, sizeof b) == 0;
	if (contract[0]) {
		kt_strlcpy(e->instrument, contract, sizeof e->instrument);
		kt_str_upper(e->instrument);
	} else if (asset_is_contract)
		kt_strlcpy(e->instrument, up, sizeof e->instrument);
	if (coll[0])
		kraken_asset_display(coll, e->asset, sizeof e->asset, NULL);
	else if (asset[0] && !asset_is_contract)
		kraken_asset_display(asset, e->asset, sizeof e->asset, NULL);
	return 0;
}

static int log_cmp(const void *a, const void *b)
{
	const struct account_log_entry *x = a, *y = b;
	return (x->id > y->id) - (x->id < y->id);
}

static bool is_funding(const struct account_log_entry *e)
{
	return strstr(e->info, "funding") != NULL;
}

int fws_account_log(struct fws_ctx *x, int obj, bool snapshot)
{
	const struct jdoc *d = x->d;
	int arr = -1, one = -1;
	if (snapshot) {
		/* the docs' table says "log", their example "logs": accept both */
		arr = jobj_get(d, obj, "logs");
		if (arr < 0)
			arr = jobj_get(d, obj, "log");
		if (!jtok_is(d, arr, J_ARR))
			return fws_fail(x, FWS_E_SHAPE, "missing \"logs\"");
	} else {
		one = jobj_get(d, obj, "new_entry");
		if (one < 0)
			return fws_fail(x, FWS_E_SHAPE, "missing \"new_entry\"");
	}
	size_t n = snapshot ? jtok_size(d, arr) : 1;
	struct account_log_entry *list = fws_scratch(x->c, n ? n : 1, sizeof *list);
	if (snapshot) {
		size_t i = 0;
		for (int k = jfirst(d, arr); k >= 0; k = jnext(d, arr, k))
			if (parse_log(x, k, &list[i++]) < 0)
				return -1;
		qsort(list, n, sizeof *list, log_cmp); /* oldest first */
	} else if (parse_log(x, one, &list[0]) < 0) {
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		state_add_account_log(x->st, &list[i]);
		if (!is_funding(&list[i]) || !list[i].instrument[0])
			continue;
		/* the funding view (rates paid/received per contract) refreshes */
		int idx = fws_instr(x->st, list[i].instrument, strlen(list[i].instrument));
		if (idx >= 0)
			state_changed(x->st, EV_FUNDING, idx);
	}
	x->out->count = n;
	return 0;
}

/* ---- notifications_auth ---- */

struct fws_note {
	int64_t id, effective_ms, downtime_min;
	bool has_downtime, high;
	char type[24], note[200];
};

static bool notice_seen(struct fut_ws_codec *c, int64_t id)
{
	unsigned cap = sizeof c->notice_ids / sizeof c->notice_ids[0];
	for (unsigned i = 0; i < c->notice_n; i++)
		if (c->notice_ids[i] == id)
			return true;
	c->notice_ids[c->notice_head] = id;
	c->notice_head = (c->notice_head + 1) % cap;
	if (c->notice_n < cap)
		c->notice_n++;
	return false;
}

static int parse_note(struct fws_ctx *x, int obj, struct fws_note *n)
{
	const struct jdoc *d = x->d;
	memset(n, 0, sizeof *n);
	if (!jtok_is(d, obj, J_OBJ))
		return fws_fail(x, FWS_E_SHAPE, "a notification is not an object");
	int idt = jobj_get(d, obj, "id");
	if (idt < 0 || jtok_i64(d, idt, &n->id) < 0)
		return fws_fail(x, FWS_E_SHAPE, "a notification lacks an integer \"id\"");
	if (fws_opt_str(x, obj, "type", n->type, sizeof n->type) < 0 ||
	    fws_opt_str(x, obj, "note", n->note, sizeof n->note) < 0 ||
	    fws_opt_ms(x, obj, "effective_time", &n->effective_ms) < 0)
		return -1;
	int dt = jobj_get(d, obj, "expected_downtime_minutes");
	if (dt >= 0 && !jtok_is(d, dt, J_NULL)) {
		if (fws_tok_ms(x, dt, "expected_downtime_minutes", &n->downtime_min) < 0)
			return -1;
		n->has_downtime = true;
	}
	n->high = jstr_eq(d, jobj_get(d, obj, "priority"), "high");
	return 0;
}

int fws_notifications(struct fws_ctx *x, int obj)
{
	const struct jdoc *d = x->d;
	int arr = fws_req_arr(x, obj, "notifications");
	if (arr < 0)
		return -1;
	size_t n = jtok_size(d, arr);
	struct fws_note *list = fws_scratch(x->c, n ? n : 1, sizeof *list);
	size_t i = 0;
	for (int k = jfirst(d, arr); k >= 0; k = jnext(d, arr, k))
		if (parse_note(x, k, &list[i++]) < 0)
			return -1;
	for (i = 0; i < n; i++) {
		const struct fws_note *nt = &list[i];
		if (notice_seen(x->c, nt->id))
			continue;
		char when[KTIME_FMT_MAX + 16] = "", down[48] = "";
		if (nt->effective_ms > 0 && nt->effective_ms < INT64_MAX / 1000000) { /* in range */
			char t[KTIME_FMT_MAX];
			ktime_fmt_rfc3339(nt->effective_ms * 1000000, 0, t, sizeof t);
			snprintf(when, sizeof when, " from %s", t);
		}
		if (nt->has_downtime)
			snprintf(down, sizeof down, ", about %lld min of downtime",
			         (long long)nt->downtime_min);
		state_notice(x->st, nt->high ? NOTICE_WARN : NOTICE_INFO,
		             "Kraken Futures %s notice: %s%s%s", nt->type[0] ? nt->type : "general",
		             nt->note, when, down);
		x->out->count++;
	}
	return 0;
}
