/* persist_load: reading the paper state file back into a px (persist.h). Every
 * field is checked; a damaged file is refused with a message naming what is wrong
 * rather than half-loaded. Resting orders are resubmitted to their engines in the
 * saved priority order while px is in "restoring" mode (no admission checks, no
 * holds taken twice, no events). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "base/log.h"
#include "base/xalloc.h"
#include "paper/funding.h"
#include "paper/persist.h"
#include "paper/persist_int.h"
#include "paper/px_int.h"

dec_t pr_dec(json_t *j, const char *key, bool *bad)
{
	json_t *v = key ? json_object_get(j, key) : j;
	dec_t d = dec_zero();
	if (!json_is_string(v) || dec_parse(json_string_value(v), (size_t)-1, &d, NULL) < 0)
		*bad = true;
	return d;
}

uint64_t pr_u64(json_t *j, const char *key, bool *bad)
{
	json_t *v = key ? json_object_get(j, key) : j;
	const char *s = json_string_value(v);
	if (!s || !*s) {
		*bad = true;
		return 0;
	}
	char *end;
	errno = 0;
	unsigned long long x = strtoull(s, &end, 10);
	if (*end || errno)
		*bad = true;
	return x;
}

px_i128 pr_i128(json_t *j, const char *key, bool *bad)
{
	json_t *v = key ? json_object_get(j, key) : j;
	const char *s = json_string_value(v);
	if (!s || !*s) {
		*bad = true;
		return 0;
	}
	bool neg = *s == '-';
	if (neg)
		s++;
	px_i128 x = 0;
	if (!*s)
		*bad = true;
	for (; *s; s++) {
		if (*s < '0' || *s > '9' || x > ((px_i128)1 << 120)) {
			*bad = true;
			return 0;
		}
		x = x * 10 + (*s - '0');
	}
	return neg ? -x : x;
}

int64_t pr_int(json_t *j, const char *key, bool *bad)
{
	json_t *v = json_object_get(j, key);
	if (!json_is_integer(v)) {
		*bad = true;
		return 0;
	}
	return (int64_t)json_integer_value(v);
}

bool pr_bool(json_t *j, const char *key)
{
	return json_is_true(json_object_get(j, key));
}

const char *pr_str(json_t *j, const char *key, bool *bad)
{
	const char *s = json_string_value(json_object_get(j, key));
	if (!s) {
		*bad = true;
		return "";
	}
	return s;
}

static void copy_str(char *dst, size_t cap, const char *s, bool *bad)
{
	if (strlen(s) >= cap)
		*bad = true;
	snprintf(dst, cap, "%s", s);
}

static struct px_price rd_price(json_t *j, bool *bad)
{
	struct px_price p;
	memset(&p, 0, sizeof p);
	if (!json_is_object(j)) {
		*bad = true;
		return p;
	}
	p.mode = (enum px_price_mode)pr_int(j, "mode", bad);
	p.pct = pr_bool(j, "pct");
	p.v = pr_dec(j, "v", bad);
	if (p.mode > PX_P_AUTO)
		*bad = true;
	return p;
}

static struct engine_offset rd_off(json_t *j, bool *bad)
{
	struct engine_offset o = {0, ENGINE_OFF_NONE};
	if (!json_is_array(j) || json_array_size(j) != 2) {
		*bad = true;
		return o;
	}
	o.value = (int64_t)json_integer_value(json_array_get(j, 0));
	o.unit = (enum engine_offset_unit)json_integer_value(json_array_get(j, 1));
	if (o.unit > ENGINE_OFF_PPM)
		*bad = true;
	return o;
}

static int asset_idx(const struct px *px, const char *id)
{
	for (int i = 0; i < PX_A_COUNT; i++)
		if (strcmp(px->tab.assets[i].id, id) == 0)
			return i;
	return -1;
}

static struct pxinst *inst_by_symbol(struct px *px, const char *sym)
{
	const struct px_instr *in = instruments_find(&px->tab, -1, sym);
	return in ? &px->inst[in->id] : NULL;
}

/* An order record (open or closed). NULL when malformed. */
static struct pxo *order_from(struct px *px, json_t *j, struct kerr *err)
{
	bool bad = false;
	struct pxinst *pi = inst_by_symbol(px, pr_str(j, "instr", &bad));
	struct pxacct *a = px_acct(px, (uint32_t)pr_int(j, "account", &bad));
	if (!pi || !a) {
		kerr_set(err, 1, "an order names an unknown instrument or account");
		return NULL;
	}
	struct pxo *o = xcalloc(1, sizeof *o);
	struct px_order *p = &o->o;
	o->inst = pi;
	o->acct = a;
	o->keep = a->id != PX_MARKET;
	p->instr = pi->in;
	p->account = a->id;
	copy_str(p->id, sizeof p->id, pr_str(j, "id", &bad), &bad);
	copy_str(p->cl_ord_id, sizeof p->cl_ord_id, pr_str(j, "cl_ord_id", &bad), &bad);
	p->userref = (int32_t)pr_int(j, "userref", &bad);
	p->side = (enum engine_side)pr_int(j, "side", &bad);
	p->type = (enum engine_type)pr_int(j, "type", &bad);
	p->tif = (enum engine_tif)pr_int(j, "tif", &bad);
	p->stp = (enum engine_stp)pr_int(j, "stp", &bad);
	p->trigger_ref = (enum engine_ref)pr_int(j, "trigger_ref", &bad);
	p->eflags = (uint32_t)pr_int(j, "eflags", &bad);
	p->oflags = (uint32_t)pr_int(j, "oflags", &bad);
	p->status = (enum engine_status)pr_int(j, "status", &bad);
	p->reason = (int)pr_int(j, "reason", &bad);
	p->scheduled = pr_bool(j, "scheduled");
	p->triggered = pr_bool(j, "triggered");
	p->amended = pr_bool(j, "amended");
	p->restored = true;
	o->qty_u = pr_int(j, "qty_u", &bad);
	o->filled_u = pr_int(j, "filled_u", &bad);
	o->display_u = pr_int(j, "display_u", &bad);
	o->price_u = pr_int(j, "price_u", &bad);
	o->trigger_u = pr_int(j, "trigger_u", &bad);
	o->quote_u = pr_int(j, "quote_u", &bad);
	p->trail = rd_price(json_object_get(j, "trail"), &bad);
	p->limit_off = rd_price(json_object_get(j, "limit_off"), &bad);
	o->trail_e = rd_off(json_object_get(j, "trail_e"), &bad);
	o->limit_off_e = rd_off(json_object_get(j, "limit_off_e"), &bad);
	json_t *c = json_object_get(j, "close");
	if (!json_is_object(c)) {
		bad = true;
	} else {
		p->close.type = (enum engine_type)pr_int(c, "type", &bad);
		p->close.price = rd_price(json_object_get(c, "price"), &bad);
		p->close.trigger = rd_price(json_object_get(c, "trigger"), &bad);
		p->close.trail = rd_price(json_object_get(c, "trail"), &bad);
		p->close.limit_off = rd_price(json_object_get(c, "limit_off"), &bad);
		o->close_e.type = (enum engine_type)pr_int(c, "e_type", &bad);
		o->close_e.price = pr_int(c, "e_price", &bad);
		o->close_e.trigger = pr_int(c, "e_trigger", &bad);
		o->close_e.trail = rd_off(json_object_get(c, "e_trail"), &bad);
		o->close_e.limit_off = rd_off(json_object_get(c, "e_limit_off"), &bad);
	}
	o->notional = pr_i128(j, "notional", &bad);
	o->cost_u = pr_int(j, "cost_u", &bad);
	o->fee_u = pr_int(j, "fee_u", &bad);
	p->fee_asset = (int)pr_int(j, "fee_asset", &bad);
	p->leverage = (int)pr_int(j, "leverage", &bad);
	p->open_ns = pr_int(j, "open_ns", &bad);
	p->start_ns = pr_int(j, "start_ns", &bad);
	p->expire_ns = pr_int(j, "expire_ns", &bad);
	p->close_ns = pr_int(j, "close_ns", &bad);
	p->update_ns = pr_int(j, "update_ns", &bad);
	copy_str(p->parent_id, sizeof p->parent_id, pr_str(j, "parent_id", &bad), &bad);
	o->hold_asset = (int)pr_int(j, "hold_asset", &bad);
	o->hold_u = pr_int(j, "hold_u", &bad);
	p->seq = pr_u64(j, "seq", &bad);
	o->eng_seq = pr_u64(j, "eng_seq", &bad);
	json_t *am = json_object_get(j, "amends"), *r;
	size_t i;
	json_array_foreach(am, i, r)
	{
		o->amends = xgrow(o->amends, &o->amcap, o->namends + 1, sizeof *o->amends);
		struct px_amend_rec *ar = &o->amends[o->namends++];
		memset(ar, 0, sizeof *ar);
		copy_str(ar->amend_id, sizeof ar->amend_id, pr_str(r, "amend_id", &bad), &bad);
		ar->kind = (enum px_amend_kind)pr_int(r, "kind", &bad);
		ar->qty = pr_dec(r, "qty", &bad);
		ar->display = pr_dec(r, "display", &bad);
		ar->price = pr_dec(r, "price", &bad);
		ar->trigger = pr_dec(r, "trigger", &bad);
		ar->post_only = pr_bool(r, "post_only");
		ar->reason = (int)pr_int(r, "reason", &bad);
		ar->ts_ns = pr_int(r, "ts", &bad);
	}
	if (p->fee_asset < 0 || p->fee_asset >= PX_A_COUNT || o->hold_asset >= PX_A_COUNT ||
	    p->type <= ENGINE_T_NONE || p->type >= ENGINE_T_COUNT || p->side > ENGINE_SELL ||
	    o->qty_u <= 0 || o->filled_u < 0 || o->filled_u > o->qty_u)
		bad = true;
	if (bad) {
		kerr_set(err, 1, "order %s is damaged", p->id);
		px_order_free(o);
		return NULL;
	}
	px_order_sync(o);
	pxmap_put(&px->ids, p->id, o);
	return o;
}

static bool fill_from(struct px *px, json_t *j, struct px_fill *f)
{
	bool bad = false;
	memset(f, 0, sizeof *f);
	struct pxinst *pi = inst_by_symbol(px, pr_str(j, "instr", &bad));
	if (!pi)
		return false;
	f->instr = pi->in;
	copy_str(f->id, sizeof f->id, pr_str(j, "id", &bad), &bad);
	copy_str(f->order_id, sizeof f->order_id, pr_str(j, "order_id", &bad), &bad);
	copy_str(f->cl_ord_id, sizeof f->cl_ord_id, pr_str(j, "cl_ord_id", &bad), &bad);
	copy_str(f->pos_id, sizeof f->pos_id, pr_str(j, "pos_id", &bad), &bad);
	f->side = (enum engine_side)pr_int(j, "side", &bad);
	f->order_type = (enum engine_type)pr_int(j, "order_type", &bad);
	f->maker = pr_bool(j, "maker");
	f->liquidation = pr_bool(j, "liquidation");
	f->price = pr_dec(j, "price", &bad);
	f->qty = pr_dec(j, "qty", &bad);
	f->cost = pr_dec(j, "cost", &bad);
	f->fee = pr_dec(j, "fee", &bad);
	f->fee_asset = (int)pr_int(j, "fee_asset", &bad);
	f->margin = pr_dec(j, "margin", &bad);
	f->leverage = (int)pr_int(j, "leverage", &bad);
	f->pos_effect = (enum px_pos_effect)pr_int(j, "pos_effect", &bad);
	f->realized_pnl = pr_dec(j, "realized_pnl", &bad);
	f->remaining = pr_dec(j, "remaining", &bad);
	f->trade_id = pr_u64(j, "trade_id", &bad);
	copy_str(f->ledger_ids[0], sizeof f->ledger_ids[0], pr_str(j, "ledger0", &bad), &bad);
	copy_str(f->ledger_ids[1], sizeof f->ledger_ids[1], pr_str(j, "ledger1", &bad), &bad);
	f->ts_ns = pr_int(j, "ts", &bad);
	return !bad && f->fee_asset >= 0 && f->fee_asset < PX_A_COUNT;
}

static bool ledger_from(json_t *j, struct px_ledger *l)
{
	bool bad = false;
	memset(l, 0, sizeof *l);
	copy_str(l->id, sizeof l->id, pr_str(j, "id", &bad), &bad);
	copy_str(l->refid, sizeof l->refid, pr_str(j, "refid", &bad), &bad);
	l->ts_ns = pr_int(j, "ts", &bad);
	l->type = (enum px_ledger_type)pr_int(j, "type", &bad);
	copy_str(l->subtype, sizeof l->subtype, pr_str(j, "subtype", &bad), &bad);
	l->asset = (int)pr_int(j, "asset", &bad);
	l->amount = pr_dec(j, "amount", &bad);
	l->fee = pr_dec(j, "fee", &bad);
	l->balance = pr_dec(j, "balance", &bad);
	return !bad && l->asset >= 0 && l->asset < PX_A_COUNT && l->type < PX_L_COUNT;
}

static bool alog_from(json_t *j, struct px_alog *e)
{
	bool bad = false;
	memset(e, 0, sizeof *e);
	e->id = pr_u64(j, "id", &bad);
	e->ts_ns = pr_int(j, "ts", &bad);
	copy_str(e->asset, sizeof e->asset, pr_str(j, "asset", &bad), &bad);
	copy_str(e->info, sizeof e->info, pr_str(j, "info", &bad), &bad);
	copy_str(e->booking_uid, sizeof e->booking_uid, pr_str(j, "booking_uid", &bad), &bad);
	copy_str(e->margin_account, sizeof e->margin_account, pr_str(j, "margin_account", &bad),
		 &bad);
	copy_str(e->contract, sizeof e->contract, pr_str(j, "contract", &bad), &bad);
	copy_str(e->execution, sizeof e->execution, pr_str(j, "execution", &bad), &bad);
	copy_str(e->collateral, sizeof e->collateral, pr_str(j, "collateral", &bad), &bad);
	e->has = (uint32_t)pr_int(j, "has", &bad);
	dec_t *v[] = {&e->old_balance,  &e->new_balance,      &e->old_avg_entry,
		      &e->new_avg_entry, &e->trade_price,      &e->mark_price,
		      &e->realized_pnl, &e->fee,              &e->funding_rate,
		      &e->realized_funding, &e->liquidation_fee};
	json_t *a = json_object_get(j, "v");
	if (json_array_size(a) != sizeof v / sizeof v[0])
		return false;
	for (size_t i = 0; i < sizeof v / sizeof v[0]; i++)
		*v[i] = pr_dec(json_array_get(a, i), NULL, &bad);
	return !bad;
}

static bool assets_from(struct px *px, json_t *j, int64_t *out)
{
	const char *k;
	json_t *v;
	json_object_foreach(j, k, v)
	{
		int i = asset_idx(px, k);
		if (i < 0 || !json_is_integer(v))
			return false;
		out[i] = (int64_t)json_integer_value(v);
	}
	return true;
}

static int account_from(struct px *px, json_t *j, struct kerr *err)
{
	bool bad = false;
	uint32_t id = (uint32_t)pr_int(j, "id", &bad);
	if (bad || id > 1000000)
		return kerr_set(err, 1, "an account has no valid id");
	struct pxacct *a = id == PX_MARKET ? px->acct[0] : px_acct_new(px, id);
	if (id != PX_MARKET) {
		json_t *k = json_object_get(j, "keys");
		copy_str(a->keys.spot_key, sizeof a->keys.spot_key, pr_str(k, "spot_key", &bad), &bad);
		copy_str(a->keys.spot_secret, sizeof a->keys.spot_secret,
			 pr_str(k, "spot_secret", &bad), &bad);
		copy_str(a->keys.fut_key, sizeof a->keys.fut_key, pr_str(k, "fut_key", &bad), &bad);
		copy_str(a->keys.fut_secret, sizeof a->keys.fut_secret,
			 pr_str(k, "fut_secret", &bad), &bad);
		json_t *n = json_object_get(j, "nonce");
		a->nonce[0] = pr_u64(json_array_get(n, 0), NULL, &bad);
		a->nonce[1] = pr_u64(json_array_get(n, 1), NULL, &bad);
	}
	json_t *v;
	size_t i;
	json_array_foreach(json_object_get(j, "used"), i, v)
	{
		int ai = asset_idx(px, json_string_value(v) ? json_string_value(v) : "");
		if (ai < 0)
			bad = true;
		else
			a->used[ai] = true;
	}
	if (!assets_from(px, json_object_get(j, "bal"), a->bal) ||
	    !assets_from(px, json_object_get(j, "cash"), a->cash) ||
	    !assets_from(px, json_object_get(j, "flex"), a->flex))
		bad = true;
	a->inv_u = pr_int(j, "inv", &bad);
	json_t *ca = json_object_get(j, "cancel_after");
	a->cancel_after[0] = (int64_t)json_integer_value(json_array_get(ca, 0));
	a->cancel_after[1] = (int64_t)json_integer_value(json_array_get(ca, 1));
	a->alog_next = pr_u64(j, "alog_next", &bad);
	json_array_foreach(json_object_get(j, "mpos"), i, v)
	{
		struct pxinst *pi = inst_by_symbol(px, pr_str(v, "instr", &bad));
		if (!pi) {
			bad = true;
			continue;
		}
		struct pxmpos *m = &a->mpos[pi->in->id];
		m->active = true;
		copy_str(m->id, sizeof m->id, pr_str(v, "id", &bad), &bad);
		copy_str(m->ordertxid, sizeof m->ordertxid, pr_str(v, "ordertxid", &bad), &bad);
		m->side = (enum engine_side)pr_int(v, "side", &bad);
		m->open_ns = pr_int(v, "open_ns", &bad);
		m->leverage = (int)pr_int(v, "leverage", &bad);
		m->vol_u = pr_int(v, "vol", &bad);
		m->vol_closed_u = pr_int(v, "vol_closed", &bad);
		m->cost_u = pr_int(v, "cost", &bad);
		m->fee_u = pr_int(v, "fee", &bad);
		m->margin_u = pr_int(v, "margin", &bad);
		m->open_notional = pr_i128(v, "notional", &bad);
		a->hold[pi->in->quote] += m->margin_u;
	}
	json_array_foreach(json_object_get(j, "fpos"), i, v)
	{
		struct pxinst *pi = inst_by_symbol(px, pr_str(v, "instr", &bad));
		if (!pi) {
			bad = true;
			continue;
		}
		struct pxfpos *f = &a->fpos[pi->in->id];
		f->size_u = pr_int(v, "size", &bad);
		f->cost = pr_i128(v, "cost", &bad);
		f->realized_u = pr_int(v, "realized", &bad);
		f->iso_margin_u = pr_int(v, "iso_margin", &bad);
		f->funding_u = pr_int(v, "funding", &bad);
		f->fill_ns = pr_int(v, "fill_ns", &bad);
	}
	json_array_foreach(json_object_get(j, "fpref"), i, v)
	{
		struct pxinst *pi = inst_by_symbol(px, pr_str(v, "instr", &bad));
		if (!pi) {
			bad = true;
			continue;
		}
		struct pxfpref *p = &a->fpref[pi->in->id];
		p->iso = pr_bool(v, "iso");
		p->maxlev = pr_dec(v, "maxlev", &bad);
		p->pnl_asset = (int)pr_int(v, "pnl_asset", &bad);
	}
	if (bad)
		return kerr_set(err, 1, "account %u is damaged", id);
	for (int p = 0; p < PX_PRODUCT_COUNT; p++) {
		json_array_foreach(json_array_get(json_object_get(j, "closed"), (size_t)p), i, v)
		{
			struct pxo *o = order_from(px, v, err);
			if (!o)
				return -1;
			struct pxo *old = NULL;
			bool dropped = false;
			*(struct pxo **)pxring_push(&a->closed[p], &old, &dropped) = o;
			if (dropped && old) {
				pxmap_del(&px->ids, old->o.id);
				px_order_free(old);
			}
		}
		json_array_foreach(json_array_get(json_object_get(j, "fills"), (size_t)p), i, v)
		{
			struct px_fill f;
			if (!fill_from(px, v, &f))
				return kerr_set(err, 1, "a fill of account %u is damaged", id);
			f.account = id;
			*(struct px_fill *)pxring_push(&a->fills[p], NULL, NULL) = f;
		}
	}
	json_array_foreach(json_object_get(j, "ledger"), i, v)
	{
		struct px_ledger l;
		if (!ledger_from(v, &l))
			return kerr_set(err, 1, "a ledger entry of account %u is damaged", id);
		*(struct px_ledger *)pxring_push(&a->ledger, NULL, NULL) = l;
	}
	json_array_foreach(json_object_get(j, "alog"), i, v)
	{
		struct px_alog e;
		if (!alog_from(v, &e))
			return kerr_set(err, 1, "an account-log entry of account %u is damaged", id);
		*(struct px_alog *)pxring_push(&a->alog, NULL, NULL) = e;
	}
	return 0;
}

/* Put an open order back: scheduled ones wait, the others re-enter their book. */
static void reopen(struct px *px, struct pxo *o)
{
	struct pxacct *a = o->acct;
	if (o->hold_asset >= 0)
		a->hold[o->hold_asset] += o->hold_u;
	o->accepted = true;
	if (o->o.scheduled) {
		px->nsched++;
		px_open_link(a, o);
		return;
	}
	o->base_filled_u = o->filled_u;
	struct engine_req r;
	memset(&r, 0, sizeof r);
	r.account = a->id;
	r.side = o->o.side;
	r.type = o->o.type;
	r.tif = o->o.tif;
	r.stp = o->o.stp;
	r.trigger_ref = o->o.trigger_ref;
	r.flags = o->o.eflags;
	r.qty = o->qty_u - o->filled_u;
	r.display = o->display_u;
	r.price = o->price_u;
	r.trigger = o->trigger_u;
	r.trail = o->trail_e;
	r.limit_off = o->limit_off_e;
	r.expire_ns = o->o.expire_ns;
	r.userref = o->o.userref;
	r.wire_id = o->o.id;
	r.user = o;
	r.close = o->close_e;
	bool trailing = r.type == ENGINE_T_TRAILING_STOP || r.type == ENGINE_T_TRAILING_STOP_LIMIT;
	if (o->o.triggered && o->price_u > 0) {
		/* a fired stop-limit rests as a plain limit order */
		r.type = ENGINE_T_LIMIT;
		r.trigger = 0;
		r.trail = r.limit_off = (struct engine_offset){0, ENGINE_OFF_NONE};
	} else if (trailing) {
		r.trigger = 0; /* the trailing trigger restarts from the current price */
	}
	if (r.type == ENGINE_T_ICEBERG && r.display > r.qty)
		r.display = r.qty;
	o->accepted = false;
	struct engine_result er;
	struct kerr e = KERR_INIT;
	int rc = engine_submit(o->inst->eng, &r, &er, &e);
	if (rc == 0 && o->accepted) {
		o->o.restored = true;
		return;
	}
	LOGW("paper: order %s could not be restored (%s); closing it", o->o.id,
	     rc < 0 ? e.msg : engine_reason_str(er.reason));
	o->accepted = true;
	o->o.status = rc < 0 && e.code == ENGINE_R_INVALID_EXPIRY ? ENGINE_S_EXPIRED
								  : ENGINE_S_CANCELLED;
	o->o.reason = rc < 0 ? e.code : er.reason;
	o->o.close_ns = px->now;
	px_order_finish(px, o);
}

static int apply(struct px *px, json_t *root, struct kerr *err)
{
	bool bad = false;
	px->id_counter = pr_u64(root, "id_counter", &bad);
	px->order_seq = pr_u64(root, "order_seq", &bad);
	if (bad)
		return kerr_set(err, 1, "the id counters are missing");
	json_t *v;
	size_t i;
	json_array_foreach(json_object_get(root, "instruments"), i, v)
	{
		struct pxinst *pi = inst_by_symbol(px, pr_str(v, "symbol", &bad));
		if (!pi)
			continue; /* e.g. an expired dated future: forget its prices */
		pi->trade_seq = pr_u64(v, "trade_seq", &bad);
		if (json_is_integer(json_object_get(v, "last"))) {
			pi->has_last = true;
			pi->last_u = pr_int(v, "last", &bad);
			pi->last_qty_u = pr_int(v, "last_qty", &bad);
			pi->last_ns = pr_int(v, "last_ns", &bad);
			engine_set_reference(pi->eng, ENGINE_REF_LAST, pi->last_u, NULL);
		}
		if (json_is_integer(json_object_get(v, "mark"))) {
			pi->has_mark = true;
			pi->mark_u = pr_int(v, "mark", &bad);
		}
		if (json_is_integer(json_object_get(v, "index"))) {
			pi->has_index = true;
			pi->index_u = pr_int(v, "index", &bad);
		}
		if (pi->in->product == PX_FUTURES)
			engine_set_reference(pi->eng, ENGINE_REF_MARK, px_ref_u(px, pi, ENGINE_REF_MARK),
					     NULL);
		engine_set_reference(pi->eng, ENGINE_REF_INDEX, px_ref_u(px, pi, ENGINE_REF_INDEX),
				     NULL);
	}
	if (bad)
		return kerr_set(err, 1, "the instrument prices are damaged");
	json_array_foreach(json_object_get(root, "accounts"), i, v)
	{
		if (account_from(px, v, err) < 0)
			return -1;
	}
	json_array_foreach(json_object_get(root, "open_orders"), i, v)
	{
		struct pxo *o = order_from(px, v, err);
		if (!o)
			return -1;
		reopen(px, o);
	}
	return 0;
}

/* The saved funding history (absent in older files: none). */
static int funding_from(struct px *px, json_t *root, struct funding_saved *fh, struct kerr *err)
{
	json_t *o = json_object_get(root, "funding_history");
	if (!o)
		return 0;
	if (!json_is_object(o))
		return kerr_set(err, 1, "the funding history is damaged");
	const char *sym;
	json_t *a;
	json_object_foreach(o, sym, a)
	{
		const struct px_instr *in = px_instr_find(px, PX_FUTURES, sym);
		if (!in || !in->perpetual || !json_is_array(a))
			return kerr_set(err, 1, "the funding history of %s is damaged", sym);
		size_t i;
		json_t *e;
		json_array_foreach(a, i, e)
		{
			struct funding_rate r;
			json_t *t = json_array_get(e, 0), *rs = json_array_get(e, 1),
			       *rr = json_array_get(e, 2);
			if (!json_is_integer(t) || !json_is_string(rs) || !json_is_string(rr) ||
			    dec_parse(json_string_value(rs), (size_t)-1, &r.rate, NULL) < 0 ||
			    dec_parse(json_string_value(rr), (size_t)-1, &r.rel_rate, NULL) < 0)
				return kerr_set(err, 1, "the funding history of %s is damaged", sym);
			r.ts_ns = (int64_t)json_integer_value(t);
			funding_saved_add(fh, in->id, &r);
		}
	}
	return 0;
}

int persist_load(const char *path, const struct px_opts *opts, struct px **out,
		 struct kerr *err)
{
	return persist_load_funding(path, opts, out, NULL, err);
}

int persist_load_funding(const char *path, const struct px_opts *opts, struct px **out,
			 struct funding_saved *fh, struct kerr *err)
{
	*out = NULL;
	if (fh)
		funding_saved_free(fh);
	FILE *f = fopen(path, "rb");
	if (!f) {
		if (errno == ENOENT)
			return 1;
		return kerr_set(err, 1, "cannot open %s: %s", path, strerror(errno));
	}
	json_error_t je;
	json_t *root = json_loadf(f, 0, &je);
	fclose(f);
	if (!root)
		return kerr_set(err, 1, "%s: line %d: %s", path, je.line, je.text);
	bool bad = false;
	const char *fmt = pr_str(root, "format", &bad);
	if (bad || strcmp(fmt, "krakterm-paper-state") != 0 || pr_int(root, "version", &bad) != 1) {
		json_decref(root);
		return kerr_set(err, 1, "%s is not a krakterm paper state file (version 1)", path);
	}
	struct px_opts o = opts ? *opts : (struct px_opts){0};
	o.listing_ns = pr_int(root, "listing_ns", &bad);
	o.id_seed = pr_u64(root, "seed", &bad);
	if (bad || !o.id_seed) {
		json_decref(root);
		return kerr_set(err, 1, "%s: the header is damaged", path);
	}
	struct px *px = px_new(&o);
	px->restoring = true;
	int rc = apply(px, root, err);
	if (rc == 0 && fh && funding_from(px, root, fh, err) < 0) {
		funding_saved_free(fh);
		rc = -1;
	}
	px->restoring = false;
	json_decref(root);
	if (rc < 0) {
		char msg[sizeof err->msg];
		snprintf(msg, sizeof msg, "%s", err ? err->msg : "");
		px_free(px);
		return kerr_set(err, 1, "%s: %s", path, msg);
	}
	px_clear_dirty(px);
	px_gc(px);
	*out = px;
	return 0;
}
