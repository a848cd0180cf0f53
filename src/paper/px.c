/* px: lifecycle, accounts and keys, wire ids, time, listeners and the small
 * helpers of the paper exchange's hub (px.h). Orders are in px_orders.c, Spot
 * money in px_spot.c, Futures in px_futures.c, transfers in px_transfer.c, market
 * data in px_market.c, list queries in px_query.c. */
#include <stdio.h>
#include <strings.h>
#include <stdlib.h>
#include <string.h>

#include "base/b64.h"
#include "base/log.h"
#include "base/uuid.h"
#include "base/xalloc.h"
#include "paper/px_int.h"

static const char *const code_names[] = {
	[PX_E_UNKNOWN_ACCOUNT - ENGINE_R_USER] = "unknown_account",
	[PX_E_UNKNOWN_INSTR - ENGINE_R_USER] = "unknown_instrument",
	[PX_E_UNKNOWN_ORDER - ENGINE_R_USER] = "unknown_order",
	[PX_E_ORDER_CLOSED - ENGINE_R_USER] = "order_closed",
	[PX_E_DUP_CLIENT_ID - ENGINE_R_USER] = "duplicate_client_id",
	[PX_E_BAD_CLIENT_ID - ENGINE_R_USER] = "invalid_client_id",
	[PX_E_CLIENT_ID_LONG - ENGINE_R_USER] = "client_id_too_long",
	[PX_E_INVALID - ENGINE_R_USER] = "invalid_argument",
	[PX_E_TICK - ENGINE_R_USER] = "tick_size",
	[PX_E_LOT - ENGINE_R_USER] = "lot_size",
	[PX_E_ORDER_MIN - ENGINE_R_USER] = "order_minimum",
	[PX_E_COST_MIN - ENGINE_R_USER] = "cost_minimum",
	[PX_E_PRICE - ENGINE_R_USER] = "invalid_price",
	[PX_E_DEADLINE - ENGINE_R_USER] = "deadline_elapsed",
	[PX_E_LEVERAGE - ENGINE_R_USER] = "leverage_unavailable",
	[PX_E_MARGIN - ENGINE_R_USER] = "insufficient_margin",
	[PX_E_NO_PRICE - ENGINE_R_USER] = "no_price",
	[PX_E_BUSY - ENGINE_R_USER] = "busy",
	[PX_E_TOO_MANY - ENGINE_R_USER] = "too_many_orders",
	[PX_E_WALLET - ENGINE_R_USER] = "unknown_wallet",
	[PX_E_ASSET - ENGINE_R_USER] = "unknown_asset",
	[PX_E_AMOUNT - ENGINE_R_USER] = "invalid_amount",
	[PX_E_MAX_LEVERAGE - ENGINE_R_USER] = "leverage_too_high",
	[PX_E_MARKET_CLOSED - ENGINE_R_USER] = "market_closed",
	[PX_E_KEY - ENGINE_R_USER] = "unknown_key",
	[PX_E_NOT_SUPPORTED - ENGINE_R_USER] = "not_supported",
};

const char *px_code_str(int code)
{
	if (code == 0)
		return "ok";
	if (code >= ENGINE_R_USER) {
		size_t i = (size_t)(code - ENGINE_R_USER);
		if (i < sizeof code_names / sizeof code_names[0] && code_names[i])
			return code_names[i];
		return "unknown";
	}
	return engine_reason_str(code);
}

const char *px_exec_str(enum px_exec e)
{
	static const char *const n[] = {"pending_new", "new",      "trade",    "filled",
					"canceled",    "expired",  "amended",  "restated",
					"triggered",   "iceberg_refill", "rejected"};
	return (size_t)e < sizeof n / sizeof n[0] ? n[e] : "status";
}

const char *px_ledger_type_str(enum px_ledger_type t)
{
	static const char *const n[] = {"trade",      "margin",     "transfer", "rollover",
					"deposit",    "withdrawal", "adjustment", "settled"};
	return (size_t)t < sizeof n / sizeof n[0] ? n[t] : "unknown";
}

int px_wallet_parse(const char *name)
{
	if (!name)
		return -1;
	if (!strcasecmp(name, "cash"))
		return PX_W_CASH;
	if (!strcasecmp(name, "flex"))
		return PX_W_FLEX;
	if (!strcasecmp(name, "fi_xbtusd") || !strcasecmp(name, "f-xbt:usd"))
		return PX_W_INVERSE;
	if (!strcasecmp(name, "spot") || !strcmp(name, "Spot Wallet"))
		return PX_W_SPOT;
	return -1;
}

const char *px_wallet_name(enum px_wallet w)
{
	switch (w) {
	case PX_W_SPOT:
		return "spot";
	case PX_W_CASH:
		return "cash";
	case PX_W_FLEX:
		return "flex";
	case PX_W_INVERSE:
		return "fi_xbtusd";
	}
	return "?";
}

bool px_order_is_open(const struct px_order *o)
{
	return o->status == ENGINE_S_NEW || o->status == ENGINE_S_PENDING ||
	       o->status == ENGINE_S_OPEN || o->status == ENGINE_S_PARTIAL;
}

struct px_filter px_filter_all(int product)
{
	struct px_filter f;
	memset(&f, 0, sizeof f);
	f.product = product;
	f.asset = -1;
	return f;
}

/* ---- ids ---- */

static uint64_t mix64(uint64_t z)
{
	z += 0x9e3779b97f4a7c15ULL;
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* A fresh 64-bit value: a bijection of the counter, so never repeated. */
static uint64_t next_id_bits(struct px *px)
{
	return mix64(++px->id_counter ^ px->seed);
}

void px_gen_txid(struct px *px, char prefix, char out[PX_ID_MAX])
{
	static const char al[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
	uint64_t v = next_id_bits(px), w = mix64(v ^ 0x5bd1e995ULL);
	char c[16];
	for (int i = 0; i < 13; i++)
		c[i] = al[(v >> (5 * i)) & 31];
	for (int i = 13; i < 16; i++)
		c[i] = al[(w >> (5 * (i - 13))) & 31];
	snprintf(out, PX_ID_MAX, "%c%.5s-%.5s-%.6s", prefix, c, c + 5, c + 10);
}

void px_gen_uuid(struct px *px, char out[PX_ID_MAX])
{
	uint64_t v = next_id_bits(px), w = mix64(v + 0x632be59bd9b4e019ULL);
	snprintf(out, PX_ID_MAX, "%08x-%04x-4%03x-%04x-%04x%08x", (unsigned)(v >> 32),
		 (unsigned)((v >> 16) & 0xffff), (unsigned)(w & 0xfff),
		 (unsigned)(0x8000 | ((w >> 16) & 0x3fff)), (unsigned)(v & 0xffff),
		 (unsigned)(w >> 32));
}

/* ---- accounts ---- */

struct pxacct *px_acct(const struct px *px, uint32_t id)
{
	return id < px->nacct ? px->acct[id] : NULL;
}

struct pxacct *px_acct_new(struct px *px, uint32_t id)
{
	struct pxacct *a = xcalloc(1, sizeof *a);
	a->id = id;
	bool user = id != PX_MARKET;
	for (int p = 0; p < PX_PRODUCT_COUNT; p++) {
		pxmap_init(&a->clid[p]);
		pxring_init(&a->closed[p], sizeof(struct pxo *), user ? px->opts.closed_keep : 1);
		pxring_init(&a->fills[p], sizeof(struct px_fill), user ? px->opts.fills_keep : 1);
	}
	pxring_init(&a->ledger, sizeof(struct px_ledger), user ? px->opts.ledger_keep : 1);
	pxring_init(&a->alog, sizeof(struct px_alog), user ? px->opts.alog_keep : 1);
	for (size_t i = 0; i <= PX_MAX_INSTR; i++)
		a->fpref[i].pnl_asset = -1;
	a->alog_next = 1;
	if (id >= px->acap) {
		size_t need = (size_t)id + 1;
		px->acct = xgrow(px->acct, &px->acap, need, sizeof *px->acct);
	}
	px->acct[id] = a;
	if (id >= px->nacct)
		px->nacct = id + 1;
	return a;
}

void px_acct_free(struct px *px, struct pxacct *a)
{
	(void)px;
	if (!a)
		return;
	for (int p = 0; p < PX_PRODUCT_COUNT; p++) {
		struct pxo *o = a->open_head[p];
		while (o) {
			struct pxo *n = o->next;
			px_order_free(o);
			o = n;
		}
		for (size_t i = 0; i < a->closed[p].n; i++)
			px_order_free(*(struct pxo **)pxring_at(&a->closed[p], i));
		pxring_free(&a->closed[p]);
		pxring_free(&a->fills[p]);
		pxmap_free(&a->clid[p]);
	}
	pxring_free(&a->ledger);
	pxring_free(&a->alog);
	xwipe(&a->keys, sizeof a->keys);
	free(a);
}

static void gen_key(char *out, size_t cap, size_t nbytes)
{
	unsigned char raw[64];
	if (kt_random_bytes(raw, nbytes) < 0) {
		/* getrandom never fails on a booted system; fall back to something unique */
		for (size_t i = 0; i < nbytes; i++)
			raw[i] = (unsigned char)(mix64((uint64_t)(uintptr_t)out + i) & 0xff);
	}
	if (b64_encoded_len(nbytes) < cap)
		b64_encode_buf(raw, nbytes, out);
	xwipe(raw, sizeof raw);
}

int px_account_create(struct px *px, const struct px_account_init *init, uint32_t *id,
		      struct kerr *err)
{
	if (px_check_busy(px, err) < 0)
		return -1;
	uint32_t nid = px->nacct ? px->nacct : 1;
	struct pxacct *a = px_acct_new(px, nid);
	if (init && init->keys) {
		a->keys = *init->keys;
	} else {
		gen_key(a->keys.spot_key, sizeof a->keys.spot_key, 42);
		gen_key(a->keys.spot_secret, sizeof a->keys.spot_secret, 64);
		gen_key(a->keys.fut_key, sizeof a->keys.fut_key, 42);
		gen_key(a->keys.fut_secret, sizeof a->keys.fut_secret, 64);
	}
	if (init) {
		for (int i = 0; i < PX_A_COUNT; i++) {
			int dp = px->tab.assets[i].decimals;
			int64_t u = 0;
			if (!dec_is_zero(init->spot[i])) {
				if (px_rescale(init->spot[i].m, init->spot[i].s, dp, DEC_DOWN, &u) == 0 &&
				    u > 0) {
					char ref[PX_ID_MAX];
					px_gen_txid(px, 'Q', ref);
					px_ledger_add(px, a, PX_L_DEPOSIT, "", i, u, 0, ref);
				}
			}
			if (!dec_is_zero(init->fut_flex[i])) {
				if (px_rescale(init->fut_flex[i].m, init->fut_flex[i].s, dp, DEC_DOWN,
					       &u) == 0 &&
				    u > 0)
					a->flex[i] = u;
			}
		}
	}
	if (id)
		*id = nid;
	px_mark_dirty(px);
	return 0;
}

uint32_t px_account_count(const struct px *px)
{
	return px->nacct ? px->nacct - 1 : 0;
}

bool px_account_exists(const struct px *px, uint32_t acct)
{
	return acct > 0 && px_acct(px, acct) != NULL;
}

const struct px_keys *px_account_keys(const struct px *px, uint32_t acct)
{
	struct pxacct *a = acct ? px_acct(px, acct) : NULL;
	return a ? &a->keys : NULL;
}

uint32_t px_account_by_key(const struct px *px, int product, const char *api_key)
{
	if (!api_key || !*api_key)
		return 0;
	for (uint32_t i = 1; i < px->nacct; i++) {
		const struct pxacct *a = px->acct[i];
		if (!a)
			continue;
		const char *k = product == PX_FUTURES ? a->keys.fut_key : a->keys.spot_key;
		if (strcmp(k, api_key) == 0)
			return i;
	}
	return 0;
}

uint64_t px_nonce_get(const struct px *px, uint32_t acct, int product)
{
	struct pxacct *a = acct ? px_acct(px, acct) : NULL;
	return a && product >= 0 && product < PX_PRODUCT_COUNT ? a->nonce[product] : 0;
}

void px_nonce_set(struct px *px, uint32_t acct, int product, uint64_t nonce)
{
	struct pxacct *a = acct ? px_acct(px, acct) : NULL;
	if (a && product >= 0 && product < PX_PRODUCT_COUNT && a->nonce[product] != nonce) {
		a->nonce[product] = nonce;
		if (!px->restoring && !px->nonce_dirty) {
			px->nonce_dirty = true;
			px->nonce_dirty_ns = px->now;
		}
	}
}

/* ---- dirty flag, listeners ---- */

void px_mark_dirty(struct px *px)
{
	if (px->restoring)
		return;
	if (!px->dirty) {
		px->dirty = true;
		if (px->dirty_fn)
			px->dirty_fn(px->dirty_ctx);
	}
}

bool px_dirty(const struct px *px)
{
	return px->dirty;
}

bool px_nonce_dirty(const struct px *px, int64_t *since_ns)
{
	if (px->nonce_dirty && since_ns)
		*since_ns = px->nonce_dirty_ns;
	return px->nonce_dirty;
}

void px_clear_dirty(struct px *px)
{
	px->dirty = false;
	px->nonce_dirty = false;
}

void px_set_dirty_hook(struct px *px, void (*fn)(void *ctx), void *ctx)
{
	px->dirty_fn = fn;
	px->dirty_ctx = ctx;
}

int px_listen(struct px *px, px_listener_fn fn, void *ctx)
{
	px->ls = xgrow(px->ls, &px->lscap, px->nls + 1, sizeof *px->ls);
	px->ls[px->nls] = (struct pxlistener){fn, ctx, ++px->next_handle};
	px->nls++;
	return px->next_handle;
}

void px_unlisten(struct px *px, int handle)
{
	for (size_t i = 0; i < px->nls; i++) {
		if (px->ls[i].handle != handle)
			continue;
		if (px->emitting) {
			px->ls[i].fn = NULL; /* removed once the emission is over */
		} else {
			memmove(&px->ls[i], &px->ls[i + 1], (px->nls - i - 1) * sizeof *px->ls);
			px->nls--;
		}
		return;
	}
}

void px_emit(struct px *px, const struct px_event *ev)
{
	if (!px->nls || px->restoring)
		return;
	px->emitting++;
	for (size_t i = 0; i < px->nls; i++)
		if (px->ls[i].fn)
			px->ls[i].fn(px->ls[i].ctx, ev);
	px->emitting--;
	if (!px->emitting) {
		size_t j = 0;
		for (size_t i = 0; i < px->nls; i++)
			if (px->ls[i].fn)
				px->ls[j++] = px->ls[i];
		px->nls = j;
	}
}

void px_emit_balance(struct px *px, struct pxacct *a, int asset, const struct px_ledger *l)
{
	if (a->id == PX_MARKET)
		return;
	struct px_event ev = {.kind = PX_EV_SPOT_BALANCE, .ts_ns = px->now, .account = a->id};
	ev.balance.asset = asset;
	ev.balance.ledger = l;
	px_emit(px, &ev);
}

int px_check_busy(const struct px *px, struct kerr *err)
{
	if (px->emitting)
		return kerr_set(err, PX_E_BUSY, "the exchange cannot be changed from a listener");
	return 0;
}

/* ---- lifecycle ---- */

static void inst_init(struct px *px, struct pxinst *pi, const struct px_instr *in)
{
	memset(pi, 0, sizeof *pi);
	pi->in = in;
	pi->px = px;
	struct engine_instrument meta;
	instruments_engine_meta(in, &meta);
	pi->eng = engine_new(&meta, &px_engine_ops, pi);
	px_market_init(pi, px->opts.trades_keep);
	int64_t ref = px_ref_u(px, pi, ENGINE_REF_LAST);
	engine_set_reference(pi->eng, ENGINE_REF_LAST, ref, NULL);
	engine_set_reference(pi->eng, ENGINE_REF_INDEX, ref, NULL); /* spot triggers use it too */
	if (in->product == PX_FUTURES)
		engine_set_reference(pi->eng, ENGINE_REF_MARK, ref, NULL);
	engine_tick(pi->eng, px->now);
}

struct px *px_new(const struct px_opts *opts)
{
	struct px *px = xcalloc(1, sizeof *px);
	if (opts)
		px->opts = *opts;
	struct px_opts *o = &px->opts;
	if (!o->closed_keep)
		o->closed_keep = 2000;
	if (!o->fills_keep)
		o->fills_keep = 5000;
	if (!o->ledger_keep)
		o->ledger_keep = 10000;
	if (!o->alog_keep)
		o->alog_keep = 10000;
	if (!o->trades_keep)
		o->trades_keep = 1000;
	if (!o->max_open)
		o->max_open = 225;
	if (!o->listing_ns)
		o->listing_ns = o->now_ns;
	px->now = o->now_ns;
	px->seed = o->id_seed;
	if (!px->seed && kt_random_bytes(&px->seed, sizeof px->seed) < 0)
		px->seed = 0x1234567;
	instruments_build(&px->tab, o->listing_ns);
	pxmap_init(&px->ids);
	for (size_t i = 0; i < px->tab.n; i++)
		inst_init(px, &px->inst[i + 1], &px->tab.instr[i]);
	px_acct_new(px, PX_MARKET);
	return px;
}

static void free_orders_and_accounts(struct px *px)
{
	for (uint32_t i = 0; i < px->nacct; i++)
		px_acct_free(px, px->acct[i]);
	free(px->acct);
	px->acct = NULL;
	px->nacct = 0;
	px->acap = 0;
	pxmap_free(&px->ids);
}

void px_free(struct px *px)
{
	if (!px)
		return;
	px->emitting = 0;
	px_gc(px);
	free(px->grave);
	free(px->parents);
	/* engines first: they hold pointers to our orders but never free them */
	for (size_t i = 1; i <= px->tab.n; i++) {
		engine_free(px->inst[i].eng);
		px_market_free(&px->inst[i]);
	}
	free_orders_and_accounts(px);
	free(px->ls);
	free(px);
}

void px_reset(struct px *px)
{
	for (size_t i = 1; i <= px->tab.n; i++) {
		engine_free(px->inst[i].eng);
		px_market_free(&px->inst[i]);
	}
	free_orders_and_accounts(px);
	px_gc(px);
	pxmap_init(&px->ids);
	px->nsched = 0;
	px->npar = px->parhead = 0;
	for (size_t i = 0; i < px->tab.n; i++)
		inst_init(px, &px->inst[i + 1], &px->tab.instr[i]);
	px_acct_new(px, PX_MARKET);
	px_mark_dirty(px);
	struct px_event ev = {.kind = PX_EV_RESET, .ts_ns = px->now};
	px_emit(px, &ev);
}

/* ---- time ---- */

int64_t px_now(const struct px *px)
{
	return px->now;
}

void px_set_time(struct px *px, int64_t now_ns)
{
	if (now_ns < px->now)
		now_ns = px->now;
	px->now = now_ns;
	if (px->emitting)
		return;
	for (size_t i = 1; i <= px->tab.n; i++) {
		engine_tick(px->inst[i].eng, now_ns);
		px_after_engine(px, &px->inst[i]);
	}
}

int64_t px_next_due(const struct px *px)
{
	int64_t due = INT64_MAX;
	for (uint32_t i = 1; i < px->nacct; i++) {
		const struct pxacct *a = px->acct[i];
		if (!a)
			continue;
		for (int p = 0; p < PX_PRODUCT_COUNT; p++)
			if (a->cancel_after[p] && a->cancel_after[p] < due)
				due = a->cancel_after[p];
		if (!px->nsched)
			continue;
		for (const struct pxo *o = a->open_head[PX_SPOT]; o; o = o->next)
			if (o->o.scheduled && o->o.start_ns < due)
				due = o->o.start_ns;
	}
	return due;
}

void px_tick(struct px *px, int64_t now_ns)
{
	px_set_time(px, now_ns);
	if (px->emitting)
		return;
	for (uint32_t i = 1; i < px->nacct; i++) {
		struct pxacct *a = px->acct[i];
		if (!a)
			continue;
		for (int p = 0; p < PX_PRODUCT_COUNT; p++) {
			if (a->cancel_after[p] && a->cancel_after[p] <= px->now) {
				a->cancel_after[p] = 0;
				px_mark_dirty(px);
				LOGI("paper: cancel-all-after fired for account %u (%s)", a->id,
				     p == PX_SPOT ? "spot" : "futures");
				px_cancel_all(px, a->id, p, NULL, ENGINE_R_DEAD_MAN, NULL, NULL);
			}
		}
		if (!px->nsched)
			continue;
		struct pxo *o = a->open_head[PX_SPOT];
		while (o) {
			struct pxo *n = o->next;
			if (o->o.scheduled && o->o.start_ns <= px->now)
				px_order_start_scheduled(px, o);
			o = n;
		}
	}
}

int px_cancel_after(struct px *px, uint32_t acct, int product, int64_t timeout_s,
		    int64_t *trigger_ns, struct kerr *err)
{
	if (px_check_busy(px, err) < 0)
		return -1;
	struct pxacct *a = acct ? px_acct(px, acct) : NULL;
	if (!a)
		return kerr_set(err, PX_E_UNKNOWN_ACCOUNT, "unknown account");
	if (product < 0 || product >= PX_PRODUCT_COUNT)
		return kerr_set(err, PX_E_INVALID, "unknown product");
	if (timeout_s < 0 || timeout_s >= 86400)
		return kerr_set(err, PX_E_INVALID, "timeout must be between 0 and 86399 seconds");
	a->cancel_after[product] = timeout_s ? px->now + timeout_s * 1000000000LL : 0;
	if (trigger_ns)
		*trigger_ns = a->cancel_after[product];
	px_mark_dirty(px);
	return 0;
}

/* ---- lookups ---- */

const struct px_instruments *px_instruments(const struct px *px)
{
	return &px->tab;
}

const struct px_instr *px_instr_find(const struct px *px, int product, const char *name)
{
	return instruments_find(&px->tab, product, name);
}

const struct px_instr *px_instr_get(const struct px *px, uint32_t id)
{
	return instruments_get(&px->tab, id);
}

const struct px_asset *px_asset_find(const struct px *px, const char *name)
{
	return instruments_asset(&px->tab, name);
}

const struct px_asset *px_asset(const struct px *px, int idx)
{
	return idx >= 0 && idx < PX_A_COUNT ? &px->tab.assets[idx] : NULL;
}

/* ---- request prices ---- */

int px_price_parse(const char *s, struct px_price *out, struct kerr *err)
{
	memset(out, 0, sizeof *out);
	if (!s || !*s)
		return kerr_set(err, PX_E_INVALID, "empty price");
	out->mode = PX_P_ABS;
	if (*s == '+' || *s == ' ') /* '+' decoded from a form is a space */
		out->mode = PX_P_PLUS;
	else if (*s == '-')
		out->mode = PX_P_MINUS;
	else if (*s == '#')
		out->mode = PX_P_AUTO;
	if (out->mode != PX_P_ABS)
		s++;
	size_t n = strlen(s);
	if (n && s[n - 1] == '%') {
		out->pct = true;
		n--;
	}
	if (n == 0 || *s == '+' || *s == '-')
		return kerr_set(err, PX_E_INVALID, "invalid price");
	if (dec_parse(s, n, &out->v, err) < 0)
		return kerr_set(err, PX_E_INVALID, "invalid price");
	return 0;
}

struct px_price px_price_offset(dec_t v, bool pct)
{
	struct px_price p = {PX_P_PLUS, pct, v};
	if (dec_sign(v) < 0) {
		p.mode = PX_P_MINUS;
		dec_abs(v, &p.v);
	}
	return p;
}

void px_spot_prices(enum engine_type type, const struct px_price *price,
		    const struct px_price *price2, struct px_price *out_price,
		    struct px_price *out_trigger, struct px_price *out_trail,
		    struct px_price *out_limit_off)
{
	static const struct px_price none;
	const struct px_price *p1 = price ? price : &none, *p2 = price2 ? price2 : &none;
	*out_price = *out_trigger = *out_trail = *out_limit_off = none;
	switch (type) {
	case ENGINE_T_LIMIT:
	case ENGINE_T_ICEBERG:
		*out_price = *p1;
		break;
	case ENGINE_T_STOP_LOSS:
	case ENGINE_T_TAKE_PROFIT:
		*out_trigger = *p1;
		break;
	case ENGINE_T_STOP_LOSS_LIMIT:
	case ENGINE_T_TAKE_PROFIT_LIMIT:
		*out_trigger = *p1;
		*out_price = *p2;
		break;
	case ENGINE_T_TRAILING_STOP:
		*out_trail = *p1;
		break;
	case ENGINE_T_TRAILING_STOP_LIMIT:
		*out_trail = *p1;
		*out_limit_off = *p2;
		break;
	default:
		break;
	}
}
