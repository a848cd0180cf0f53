/* px_query: the list and lookup queries over an account's orders, fills, ledger
 * and account log, with the common filter (struct px_filter): product, instrument,
 * time window, userref/client id, paging (ofs/limit), newest first by default. */
#include <string.h>

#include "paper/px_int.h"

const struct px_order *px_order_find(const struct px *px, uint32_t acct, const char *id)
{
	if (!id || !*id)
		return NULL;
	const struct pxo *o = pxmap_get(&px->ids, id);
	return o && o->o.account == acct ? &o->o : NULL;
}

const struct px_order *px_order_find_cl(const struct px *px, uint32_t acct, int product,
					const char *cl_ord_id)
{
	const struct pxacct *a = px_acct(px, acct);
	if (!a || !cl_ord_id || !*cl_ord_id || product < 0 || product >= PX_PRODUCT_COUNT)
		return NULL;
	const struct pxo *o = pxmap_get(&a->clid[product], cl_ord_id);
	if (o)
		return &o->o;
	const struct pxring *r = &a->closed[product];
	for (size_t i = r->n; i > 0; i--) {
		const struct pxo *c = *(const struct pxo **)pxring_at(r, i - 1);
		if (strcmp(c->o.cl_ord_id, cl_ord_id) == 0)
			return &c->o;
	}
	return NULL;
}

static bool in_window(const struct px_filter *f, int64_t t)
{
	if (f->start_ns && t <= f->start_ns)
		return false;
	if (f->end_ns && t > f->end_ns)
		return false;
	return true;
}

static bool order_match(const struct px_filter *f, const struct px_order *o, bool closed)
{
	if (f->product >= 0 && (int)o->instr->product != f->product)
		return false;
	if (f->instr && o->instr != f->instr)
		return false;
	if (!in_window(f, closed && f->by_close ? o->close_ns : o->open_ns))
		return false;
	if (f->has_userref && o->userref != f->userref)
		return false;
	if (f->cl_ord_id && strcmp(f->cl_ord_id, o->cl_ord_id) != 0)
		return false;
	return true;
}

/* Paging: counts every match, calls fn for those in [ofs, ofs + limit). */
struct pager {
	const struct px_filter *f;
	size_t total;
};

static bool pager_take(struct pager *p)
{
	size_t i = p->total++;
	if (i < p->f->ofs)
		return false;
	return !p->f->limit || i < p->f->ofs + p->f->limit;
}

size_t px_open_orders(const struct px *px, uint32_t acct, const struct px_filter *f,
		      void (*fn)(void *arg, const struct px_order *o), void *arg)
{
	const struct pxacct *a = px_acct(px, acct);
	if (!a)
		return 0;
	struct pager pg = {f, 0};
	for (int p = 0; p < PX_PRODUCT_COUNT; p++) {
		if (f->product >= 0 && p != f->product)
			continue;
		const struct pxo *o = f->ascending ? a->open_head[p] : a->open_tail[p];
		for (; o; o = f->ascending ? o->next : o->prev) {
			if (!order_match(f, &o->o, false))
				continue;
			if (pager_take(&pg) && fn)
				fn(arg, &o->o);
		}
	}
	return pg.total;
}

size_t px_closed_orders(const struct px *px, uint32_t acct, const struct px_filter *f,
			void (*fn)(void *arg, const struct px_order *o), void *arg)
{
	const struct pxacct *a = px_acct(px, acct);
	if (!a)
		return 0;
	struct pager pg = {f, 0};
	for (int p = 0; p < PX_PRODUCT_COUNT; p++) {
		if (f->product >= 0 && p != f->product)
			continue;
		const struct pxring *r = &a->closed[p];
		for (size_t k = 0; k < r->n; k++) {
			size_t i = f->ascending ? k : r->n - 1 - k;
			const struct pxo *o = *(const struct pxo **)pxring_at(r, i);
			if (!order_match(f, &o->o, true))
				continue;
			if (pager_take(&pg) && fn)
				fn(arg, &o->o);
		}
	}
	return pg.total;
}

size_t px_fills(const struct px *px, uint32_t acct, const struct px_filter *f,
		void (*fn)(void *arg, const struct px_fill *fl), void *arg)
{
	const struct pxacct *a = px_acct(px, acct);
	if (!a)
		return 0;
	struct pager pg = {f, 0};
	for (int p = 0; p < PX_PRODUCT_COUNT; p++) {
		if (f->product >= 0 && p != f->product)
			continue;
		const struct pxring *r = &a->fills[p];
		for (size_t k = 0; k < r->n; k++) {
			size_t i = f->ascending ? k : r->n - 1 - k;
			const struct px_fill *fl = pxring_at(r, i);
			if (f->instr && fl->instr != f->instr)
				continue;
			if (!in_window(f, fl->ts_ns))
				continue;
			if (f->order_id && strcmp(f->order_id, fl->order_id) != 0)
				continue;
			if (f->cl_ord_id && strcmp(f->cl_ord_id, fl->cl_ord_id) != 0)
				continue;
			if (pager_take(&pg) && fn)
				fn(arg, fl);
		}
	}
	return pg.total;
}

const struct px_fill *px_fill_find(const struct px *px, uint32_t acct, const char *id)
{
	const struct pxacct *a = px_acct(px, acct);
	if (!a || !id)
		return NULL;
	for (int p = 0; p < PX_PRODUCT_COUNT; p++) {
		const struct pxring *r = &a->fills[p];
		for (size_t i = r->n; i > 0; i--) {
			const struct px_fill *fl = pxring_at(r, i - 1);
			if (strcmp(fl->id, id) == 0)
				return fl;
		}
	}
	return NULL;
}

size_t px_ledgers(const struct px *px, uint32_t acct, const struct px_filter *f,
		  void (*fn)(void *arg, const struct px_ledger *l), void *arg)
{
	const struct pxacct *a = px_acct(px, acct);
	if (!a)
		return 0;
	struct pager pg = {f, 0};
	const struct pxring *r = &a->ledger;
	for (size_t k = 0; k < r->n; k++) {
		size_t i = f->ascending ? k : r->n - 1 - k;
		const struct px_ledger *l = pxring_at(r, i);
		if (f->asset >= 0 && l->asset != f->asset)
			continue;
		if (f->type_mask && !(f->type_mask & (1u << l->type)))
			continue;
		if (!in_window(f, l->ts_ns))
			continue;
		if (pager_take(&pg) && fn)
			fn(arg, l);
	}
	return pg.total;
}

const struct px_ledger *px_ledger_find(const struct px *px, uint32_t acct, const char *id)
{
	const struct pxacct *a = px_acct(px, acct);
	if (!a || !id)
		return NULL;
	for (size_t i = a->ledger.n; i > 0; i--) {
		const struct px_ledger *l = pxring_at(&a->ledger, i - 1);
		if (strcmp(l->id, id) == 0)
			return l;
	}
	return NULL;
}

size_t px_alogs(const struct px *px, uint32_t acct, const struct px_filter *f,
		void (*fn)(void *arg, const struct px_alog *e), void *arg)
{
	const struct pxacct *a = px_acct(px, acct);
	if (!a)
		return 0;
	struct pager pg = {f, 0};
	const struct pxring *r = &a->alog;
	for (size_t k = 0; k < r->n; k++) {
		size_t i = f->ascending ? k : r->n - 1 - k;
		const struct px_alog *e = pxring_at(r, i);
		if (f->from_id && e->id < f->from_id)
			continue;
		if (f->to_id && e->id > f->to_id)
			continue;
		if (!in_window(f, e->ts_ns))
			continue;
		if (pager_take(&pg) && fn)
			fn(arg, e);
	}
	return pg.total;
}
