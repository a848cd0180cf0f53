/* persist: writing the paper exchange's state file (persist.h); reading it back
 * is in persist_load.c. Amounts are saved as integer units (exact), decimals as
 * strings, 64-bit counters and 128-bit notionals as decimal strings. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>

#include "base/xalloc.h"
#include "paper/funding.h"
#include "paper/persist.h"
#include "paper/persist_int.h"
#include "paper/px_int.h"

json_t *pj_dec(dec_t v)
{
	char b[DEC_FMT_MAX];
	dec_fmt(v, -1, b, sizeof b);
	return json_string(b);
}

json_t *pj_u64(uint64_t v)
{
	char b[24];
	snprintf(b, sizeof b, "%llu", (unsigned long long)v);
	return json_string(b);
}

json_t *pj_i128(px_i128 v)
{
	char b[48], *p = b + sizeof b;
	*--p = '\0';
	bool neg = v < 0;
	unsigned __int128 u = neg ? (unsigned __int128)(-(v + 1)) + 1 : (unsigned __int128)v;
	do {
		*--p = (char)('0' + (int)(u % 10));
		u /= 10;
	} while (u);
	if (neg)
		*--p = '-';
	return json_string(p);
}

static json_t *pj_price(const struct px_price *p)
{
	return json_pack("{s:i,s:b,s:o}", "mode", (int)p->mode, "pct", p->pct, "v", pj_dec(p->v));
}

static json_t *pj_off(const struct engine_offset *o)
{
	return json_pack("[I,i]", (json_int_t)o->value, (int)o->unit);
}

static json_t *order_json(const struct pxo *o)
{
	const struct px_order *p = &o->o;
	json_t *j = json_object();
	json_object_set_new(j, "id", json_string(p->id));
	json_object_set_new(j, "cl_ord_id", json_string(p->cl_ord_id));
	json_object_set_new(j, "userref", json_integer(p->userref));
	json_object_set_new(j, "account", json_integer(p->account));
	json_object_set_new(j, "instr", json_string(p->instr->symbol));
	json_object_set_new(j, "side", json_integer(p->side));
	json_object_set_new(j, "type", json_integer(p->type));
	json_object_set_new(j, "tif", json_integer(p->tif));
	json_object_set_new(j, "stp", json_integer(p->stp));
	json_object_set_new(j, "trigger_ref", json_integer(p->trigger_ref));
	json_object_set_new(j, "eflags", json_integer(p->eflags));
	json_object_set_new(j, "oflags", json_integer(p->oflags));
	json_object_set_new(j, "status", json_integer(p->status));
	json_object_set_new(j, "reason", json_integer(p->reason));
	json_object_set_new(j, "scheduled", json_boolean(p->scheduled));
	json_object_set_new(j, "triggered", json_boolean(p->triggered));
	json_object_set_new(j, "amended", json_boolean(p->amended));
	json_object_set_new(j, "qty_u", json_integer(o->qty_u));
	json_object_set_new(j, "filled_u", json_integer(o->filled_u));
	json_object_set_new(j, "display_u", json_integer(o->display_u));
	json_object_set_new(j, "price_u", json_integer(o->price_u));
	json_object_set_new(j, "trigger_u", json_integer(o->trigger_u));
	json_object_set_new(j, "quote_u", json_integer(o->quote_u));
	json_object_set_new(j, "trail", pj_price(&p->trail));
	json_object_set_new(j, "limit_off", pj_price(&p->limit_off));
	json_object_set_new(j, "trail_e", pj_off(&o->trail_e));
	json_object_set_new(j, "limit_off_e", pj_off(&o->limit_off_e));
	json_t *c = json_object();
	json_object_set_new(c, "type", json_integer(p->close.type));
	json_object_set_new(c, "price", pj_price(&p->close.price));
	json_object_set_new(c, "trigger", pj_price(&p->close.trigger));
	json_object_set_new(c, "trail", pj_price(&p->close.trail));
	json_object_set_new(c, "limit_off", pj_price(&p->close.limit_off));
	json_object_set_new(c, "e_type", json_integer(o->close_e.type));
	json_object_set_new(c, "e_price", json_integer(o->close_e.price));
	json_object_set_new(c, "e_trigger", json_integer(o->close_e.trigger));
	json_object_set_new(c, "e_trail", pj_off(&o->close_e.trail));
	json_object_set_new(c, "e_limit_off", pj_off(&o->close_e.limit_off));
	json_object_set_new(j, "close", c);
	json_object_set_new(j, "notional", pj_i128(o->notional));
	json_object_set_new(j, "cost_u", json_integer(o->cost_u));
	json_object_set_new(j, "fee_u", json_integer(o->fee_u));
	json_object_set_new(j, "fee_asset", json_integer(p->fee_asset));
	json_object_set_new(j, "leverage", json_integer(p->leverage));
	json_object_set_new(j, "open_ns", json_integer(p->open_ns));
	json_object_set_new(j, "start_ns", json_integer(p->start_ns));
	json_object_set_new(j, "expire_ns", json_integer(p->expire_ns));
	json_object_set_new(j, "close_ns", json_integer(p->close_ns));
	json_object_set_new(j, "update_ns", json_integer(p->update_ns));
	json_object_set_new(j, "parent_id", json_string(p->parent_id));
	json_object_set_new(j, "hold_asset", json_integer(o->hold_asset));
	json_object_set_new(j, "hold_u", json_integer(o->hold_u));
	json_object_set_new(j, "seq", pj_u64(p->seq));
	json_object_set_new(j, "eng_seq", pj_u64(o->eng_seq));
	json_t *am = json_array();
	for (size_t i = 0; i < o->namends; i++) {
		const struct px_amend_rec *r = &o->amends[i];
		json_array_append_new(
			am, json_pack("{s:s,s:i,s:o,s:o,s:o,s:o,s:b,s:i,s:I}", "amend_id", r->amend_id,
				      "kind", (int)r->kind, "qty", pj_dec(r->qty), "display",
				      pj_dec(r->display), "price", pj_dec(r->price), "trigger",
				      pj_dec(r->trigger), "post_only", r->post_only, "reason", r->reason,
				      "ts", (json_int_t)r->ts_ns));
	}
	json_object_set_new(j, "amends", am);
	return j;
}

static json_t *fill_json(const struct px_fill *f)
{
	json_t *j = json_object();
	json_object_set_new(j, "id", json_string(f->id));
	json_object_set_new(j, "order_id", json_string(f->order_id));
	json_object_set_new(j, "cl_ord_id", json_string(f->cl_ord_id));
	json_object_set_new(j, "pos_id", json_string(f->pos_id));
	json_object_set_new(j, "instr", json_string(f->instr->symbol));
	json_object_set_new(j, "side", json_integer(f->side));
	json_object_set_new(j, "order_type", json_integer(f->order_type));
	json_object_set_new(j, "maker", json_boolean(f->maker));
	json_object_set_new(j, "liquidation", json_boolean(f->liquidation));
	json_object_set_new(j, "price", pj_dec(f->price));
	json_object_set_new(j, "qty", pj_dec(f->qty));
	json_object_set_new(j, "cost", pj_dec(f->cost));
	json_object_set_new(j, "fee", pj_dec(f->fee));
	json_object_set_new(j, "fee_asset", json_integer(f->fee_asset));
	json_object_set_new(j, "margin", pj_dec(f->margin));
	json_object_set_new(j, "leverage", json_integer(f->leverage));
	json_object_set_new(j, "pos_effect", json_integer(f->pos_effect));
	json_object_set_new(j, "realized_pnl", pj_dec(f->realized_pnl));
	json_object_set_new(j, "remaining", pj_dec(f->remaining));
	json_object_set_new(j, "trade_id", pj_u64(f->trade_id));
	json_object_set_new(j, "ledger0", json_string(f->ledger_ids[0]));
	json_object_set_new(j, "ledger1", json_string(f->ledger_ids[1]));
	json_object_set_new(j, "ts", json_integer(f->ts_ns));
	return j;
}

static json_t *ledger_json(const struct px_ledger *l)
{
	return json_pack("{s:s,s:s,s:I,s:i,s:s,s:i,s:o,s:o,s:o}", "id", l->id, "refid", l->refid,
			 "ts", (json_int_t)l->ts_ns, "type", (int)l->type, "subtype", l->subtype,
			 "asset", l->asset, "amount", pj_dec(l->amount), "fee", pj_dec(l->fee),
			 "balance", pj_dec(l->balance));
}

static json_t *alog_json(const struct px_alog *e)
{
	json_t *j = json_object();
	json_object_set_new(j, "id", pj_u64(e->id));
	json_object_set_new(j, "ts", json_integer(e->ts_ns));
	json_object_set_new(j, "asset", json_string(e->asset));
	json_object_set_new(j, "info", json_string(e->info));
	json_object_set_new(j, "booking_uid", json_string(e->booking_uid));
	json_object_set_new(j, "margin_account", json_string(e->margin_account));
	json_object_set_new(j, "contract", json_string(e->contract));
	json_object_set_new(j, "execution", json_string(e->execution));
	json_object_set_new(j, "collateral", json_string(e->collateral));
	json_object_set_new(j, "has", json_integer(e->has));
	const dec_t *v[] = {&e->old_balance,  &e->new_balance,      &e->old_avg_entry,
			    &e->new_avg_entry, &e->trade_price,      &e->mark_price,
			    &e->realized_pnl, &e->fee,              &e->funding_rate,
			    &e->realized_funding, &e->liquidation_fee};
	json_t *a = json_array();
	for (size_t i = 0; i < sizeof v / sizeof v[0]; i++)
		json_array_append_new(a, pj_dec(*v[i]));
	json_object_set_new(j, "v", a);
	return j;
}

static json_t *assets_json(const struct px *px, const int64_t *v)
{
	json_t *j = json_object();
	for (int i = 0; i < PX_A_COUNT; i++)
		if (v[i])
			json_object_set_new(j, px->tab.assets[i].id, json_integer(v[i]));
	return j;
}

static json_t *account_json(const struct px *px, const struct pxacct *a)
{
	json_t *j = json_object();
	json_object_set_new(j, "id", json_integer(a->id));
	if (a->id != PX_MARKET) {
		json_object_set_new(j, "keys",
				    json_pack("{s:s,s:s,s:s,s:s}", "spot_key", a->keys.spot_key,
					      "spot_secret", a->keys.spot_secret, "fut_key",
					      a->keys.fut_key, "fut_secret", a->keys.fut_secret));
		json_object_set_new(j, "nonce", json_pack("[o,o]", pj_u64(a->nonce[0]),
							  pj_u64(a->nonce[1])));
	}
	json_t *used = json_array();
	for (int i = 0; i < PX_A_COUNT; i++)
		if (a->used[i])
			json_array_append_new(used, json_string(px->tab.assets[i].id));
	json_object_set_new(j, "used", used);
	json_object_set_new(j, "bal", assets_json(px, a->bal));
	json_object_set_new(j, "cash", assets_json(px, a->cash));
	json_object_set_new(j, "flex", assets_json(px, a->flex));
	json_object_set_new(j, "inv", json_integer(a->inv_u));
	json_object_set_new(j, "cancel_after",
			    json_pack("[I,I]", (json_int_t)a->cancel_after[0],
				      (json_int_t)a->cancel_after[1]));
	json_object_set_new(j, "alog_next", pj_u64(a->alog_next));
	json_t *mp = json_array(), *fp = json_array(), *pr = json_array();
	for (uint32_t id = 1; id <= px->tab.n; id++) {
		const char *sym = px->tab.instr[id - 1].symbol;
		const struct pxmpos *m = &a->mpos[id];
		if (m->active)
			json_array_append_new(
				mp, json_pack("{s:s,s:s,s:s,s:i,s:I,s:i,s:I,s:I,s:I,s:I,s:I,s:o}",
					      "instr", sym, "id", m->id, "ordertxid", m->ordertxid,
					      "side", (int)m->side, "open_ns", (json_int_t)m->open_ns,
					      "leverage", m->leverage, "vol", (json_int_t)m->vol_u,
					      "vol_closed", (json_int_t)m->vol_closed_u, "cost",
					      (json_int_t)m->cost_u, "fee", (json_int_t)m->fee_u,
					      "margin", (json_int_t)m->margin_u, "notional",
					      pj_i128(m->open_notional)));
		const struct pxfpos *f = &a->fpos[id];
		if (f->size_u || f->realized_u)
			json_array_append_new(
				fp, json_pack("{s:s,s:I,s:o,s:I,s:I,s:I,s:I}", "instr", sym, "size",
					      (json_int_t)f->size_u, "cost", pj_i128(f->cost),
					      "realized", (json_int_t)f->realized_u, "iso_margin",
					      (json_int_t)f->iso_margin_u, "funding",
					      (json_int_t)f->funding_u, "fill_ns", (json_int_t)f->fill_ns));
		const struct pxfpref *p = &a->fpref[id];
		if (p->iso || p->pnl_asset >= 0)
			json_array_append_new(pr, json_pack("{s:s,s:b,s:o,s:i}", "instr", sym, "iso",
							    p->iso, "maxlev", pj_dec(p->maxlev),
							    "pnl_asset", p->pnl_asset));
	}
	json_object_set_new(j, "mpos", mp);
	json_object_set_new(j, "fpos", fp);
	json_object_set_new(j, "fpref", pr);
	json_t *closed = json_array(), *fills = json_array();
	for (int p = 0; p < PX_PRODUCT_COUNT; p++) {
		json_t *c = json_array(), *f = json_array();
		for (size_t i = 0; i < a->closed[p].n; i++)
			json_array_append_new(c, order_json(*(struct pxo **)pxring_at(&a->closed[p], i)));
		for (size_t i = 0; i < a->fills[p].n; i++)
			json_array_append_new(f, fill_json(pxring_at(&a->fills[p], i)));
		json_array_append_new(closed, c);
		json_array_append_new(fills, f);
	}
	json_object_set_new(j, "closed", closed);
	json_object_set_new(j, "fills", fills);
	json_t *led = json_array(), *al = json_array();
	for (size_t i = 0; i < a->ledger.n; i++)
		json_array_append_new(led, ledger_json(pxring_at(&a->ledger, i)));
	for (size_t i = 0; i < a->alog.n; i++)
		json_array_append_new(al, alog_json(pxring_at(&a->alog, i)));
	json_object_set_new(j, "ledger", led);
	json_object_set_new(j, "alog", al);
	return j;
}

/* Book priority: by instrument, then engine time priority; scheduled ones last. */
static int open_cmp(const void *x, const void *y)
{
	const struct pxo *a = *(const struct pxo *const *)x, *b = *(const struct pxo *const *)y;
	if (a->inst->in->id != b->inst->in->id)
		return a->inst->in->id < b->inst->in->id ? -1 : 1;
	if (a->o.scheduled != b->o.scheduled)
		return a->o.scheduled ? 1 : -1;
	if (a->eng_seq != b->eng_seq)
		return a->eng_seq < b->eng_seq ? -1 : 1;
	return a->o.seq < b->o.seq ? -1 : a->o.seq > b->o.seq;
}

static json_t *state_json(struct px *px, bool market_orders)
{
	json_t *root = json_object();
	json_object_set_new(root, "format", json_string("krakterm-paper-state"));
	json_object_set_new(root, "version", json_integer(1));
	json_object_set_new(root, "saved_ns", json_integer(px->now));
	json_object_set_new(root, "listing_ns", json_integer(px->tab.listing_ns));
	json_object_set_new(root, "seed", pj_u64(px->seed));
	json_object_set_new(root, "id_counter", pj_u64(px->id_counter));
	json_object_set_new(root, "order_seq", pj_u64(px->order_seq));
	json_t *ins = json_array();
	for (uint32_t id = 1; id <= px->tab.n; id++) {
		const struct pxinst *pi = &px->inst[id];
		json_t *j = json_pack("{s:s,s:o}", "symbol", pi->in->symbol, "trade_seq",
				      pj_u64(pi->trade_seq));
		if (pi->has_last) {
			json_object_set_new(j, "last", json_integer(pi->last_u));
			json_object_set_new(j, "last_qty", json_integer(pi->last_qty_u));
			json_object_set_new(j, "last_ns", json_integer(pi->last_ns));
		}
		if (pi->has_mark)
			json_object_set_new(j, "mark", json_integer(pi->mark_u));
		if (pi->has_index)
			json_object_set_new(j, "index", json_integer(pi->index_u));
		json_array_append_new(ins, j);
	}
	json_object_set_new(root, "instruments", ins);
	json_t *accts = json_array();
	size_t nopen = 0, cap = 0;
	struct pxo **open = NULL;
	for (uint32_t i = 0; i < px->nacct; i++) {
		const struct pxacct *a = px->acct[i];
		if (!a)
			continue;
		json_array_append_new(accts, account_json(px, a));
		for (int p = 0; p < PX_PRODUCT_COUNT && (market_orders || a->id != PX_MARKET); p++)
			for (struct pxo *o = a->open_head[p]; o; o = o->next) {
				open = xgrow(open, &cap, nopen + 1, sizeof *open);
				open[nopen++] = o;
			}
	}
	json_object_set_new(root, "accounts", accts);
	if (nopen)
		qsort(open, nopen, sizeof *open, open_cmp);
	json_t *oo = json_array();
	for (size_t i = 0; i < nopen; i++)
		json_array_append_new(oo, order_json(open[i]));
	free(open);
	json_object_set_new(root, "open_orders", oo);
	return root;
}

/* mkdir -p for the directory part of path. */
static int make_dirs(const char *path)
{
	char *d = xstrdup(path);
	for (char *p = d + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(d, 0700) < 0 && errno != EEXIST) {
			free(d);
			return -1;
		}
		*p = '/';
	}
	free(d);
	return 0;
}

static int write_all(int fd, const char *s, size_t n)
{
	while (n) {
		ssize_t w = write(fd, s, n);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		s += w;
		n -= (size_t)w;
	}
	return 0;
}

/* {"PF_XBTUSD": [[ts_ns, "rate", "relative rate"], ...], ...}, oldest first. */
static json_t *funding_json(struct px *px, const struct funding_saved *fh)
{
	json_t *o = json_object();
	for (uint32_t id = 0; id <= PX_MAX_INSTR; id++) {
		if (!fh->n[id] || id < 1 || id > px->tab.n)
			continue;
		json_t *a = json_array();
		for (size_t k = 0; k < fh->n[id]; k++) {
			const struct funding_rate *r = &fh->rates[id][k];
			json_array_append_new(a, json_pack("[I,o,o]", (json_int_t)r->ts_ns,
							   pj_dec(r->rate), pj_dec(r->rel_rate)));
		}
		json_object_set_new(o, px->inst[id].in->symbol, a);
	}
	return o;
}

static int save(struct px *px, const struct funding_saved *fh, const char *path,
		bool market_orders, struct kerr *err)
{
	json_t *root = state_json(px, market_orders);
	if (fh)
		json_object_set_new(root, "funding_history", funding_json(px, fh));
	char *text = json_dumps(root, JSON_COMPACT);
	json_decref(root);
	if (!text)
		return kerr_set(err, 1, "cannot serialise the paper state");
	if (make_dirs(path) < 0) {
		int e = errno;
		free(text);
		return kerr_set(err, 1, "cannot create the directory of %s: %s", path, strerror(e));
	}
	char *tmp = xasprintf("%s.tmp.%ld", path, (long)getpid());
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	int rc = -1, e = 0;
	if (fd >= 0) {
		if (write_all(fd, text, strlen(text)) == 0 && write_all(fd, "\n", 1) == 0 &&
		    fsync(fd) == 0)
			rc = 0;
		e = errno;
		if (close(fd) < 0 && rc == 0) {
			rc = -1;
			e = errno;
		}
	} else {
		e = errno;
	}
	if (rc == 0 && rename(tmp, path) < 0) {
		rc = -1;
		e = errno;
	}
	if (rc < 0) {
		unlink(tmp);
		kerr_set(err, 1, "cannot write %s: %s", path, strerror(e));
	} else {
		/* make the rename itself durable */
		char *dir = xstrdup(path);
		char *slash = strrchr(dir, '/');
		if (slash == dir)
			slash[1] = '\0';
		else if (slash)
			*slash = '\0';
		else
			snprintf(dir, strlen(dir) + 1, ".");
		int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (dfd >= 0) {
			fsync(dfd);
			close(dfd);
		}
		free(dir);
	}
	free(tmp);
	xwipe(text, strlen(text)); /* it holds the API secrets */
	free(text);
	return rc;
}

int persist_save(struct px *px, const char *path, struct kerr *err)
{
	return save(px, NULL, path, true, err);
}

int persist_save_user(struct px *px, const char *path, struct kerr *err)
{
	return save(px, NULL, path, false, err);
}

int persist_save_user_funding(struct px *px, const struct funding_saved *fh, const char *path,
			      struct kerr *err)
{
	return save(px, fh, path, false, err);
}
