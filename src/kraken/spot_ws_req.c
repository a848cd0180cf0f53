/* spot_ws_req: pending Spot WS v2 requests, matched by req_id. */
#include "kraken/spot_ws_req.h"

#include <stdlib.h>
#include <string.h>

#include "base/strutil.h"
#include "base/xalloc.h"

void spot_ws_reqs_init(struct spot_ws_reqs *t)
{
	memset(t, 0, sizeof *t);
}

void spot_ws_reqs_free(struct spot_ws_reqs *t)
{
	for (size_t i = 0; i < t->n; i++)
		free(t->r[i].cl);
	free(t->r);
	memset(t, 0, sizeof *t);
}

int64_t spot_ws_reqs_next_id(struct spot_ws_reqs *t)
{
	return ++t->last_id;
}

void spot_ws_reqs_add(struct spot_ws_reqs *t, int64_t req_id, enum spot_ws_method method,
                      uint64_t deadline_ms, intent_cb cb, spot_ws_batch_cb bcb, void *arg,
                      unsigned expect, const char *const *cl, unsigned ncl)
{
	t->r = xgrow(t->r, &t->cap, t->n + 1, sizeof *t->r);
	struct spot_ws_req *r = &t->r[t->n++];
	memset(r, 0, sizeof *r);
	r->req_id = req_id;
	r->method = method;
	r->deadline_ms = deadline_ms;
	r->cb = cb;
	r->bcb = bcb;
	r->arg = arg;
	r->expect = expect ? expect : 1;
	if (ncl) {
		r->cl = xcalloc(ncl, sizeof *r->cl);
		r->ncl = ncl;
		for (unsigned i = 0; i < ncl; i++)
			kt_strlcpy(r->cl[i], cl[i] ? cl[i] : "", sizeof r->cl[i]);
	}
}

static const char *cl_at(const struct spot_ws_req *r, unsigned i)
{
	return i < r->ncl ? r->cl[i] : NULL;
}

/* Take entry i out of the table (the caller owns the copy and its cl). */
static struct spot_ws_req take(struct spot_ws_reqs *t, size_t i)
{
	struct spot_ws_req r = t->r[i];
	memmove(&t->r[i], &t->r[i + 1], (t->n - i - 1) * sizeof *t->r);
	t->n--;
	return r;
}

/* Complete a removed request as unknown, for every order it concerns. */
static void complete_unknown(struct spot_ws_req *r, const char *why)
{
	struct intent_result res;
	if (r->bcb) {
		unsigned n = r->ncl ? r->ncl : 1;
		struct intent_result *all = xcalloc(n, sizeof *all);
		for (unsigned i = 0; i < n; i++)
			spot_ws_result_unknown(r->method, cl_at(r, i), why, &all[i]);
		r->bcb(r->arg, all, n);
		free(all);
	} else if (r->cb) {
		/* A multi-order cancel still owes one answer per missing order. */
		for (unsigned k = r->got; k < r->expect; k++) {
			spot_ws_result_unknown(r->method, cl_at(r, 0), why, &res);
			r->cb(r->arg, &res);
		}
	}
	free(r->cl);
}

bool spot_ws_reqs_answer(struct spot_ws_reqs *t, const struct spot_ws_msg *m)
{
	if (!m->has_req_id)
		return false;
	size_t i = 0;
	while (i < t->n && t->r[i].req_id != m->req_id)
		i++;
	if (i == t->n)
		return false;
	struct spot_ws_req *live = &t->r[i];
	struct intent_result res;
	if (live->bcb) {
		struct spot_ws_req r = take(t, i);
		unsigned n = r.ncl ? r.ncl : 1;
		struct intent_result *all = xcalloc(n, sizeof *all);
		for (unsigned k = 0; k < n; k++)
			spot_ws_result(m, k, cl_at(&r, k), &all[k]);
		r.bcb(r.arg, all, n);
		free(all);
		free(r.cl);
		return true;
	}
	if (++live->got < live->expect) {
		/* More answers will come: keep the entry, report this one. */
		intent_cb cb = live->cb;
		void *arg = live->arg;
		spot_ws_result(m, 0, cl_at(live, 0), &res);
		if (cb)
			cb(arg, &res);
		return true;
	}
	struct spot_ws_req r = take(t, i);
	spot_ws_result(m, 0, cl_at(&r, 0), &res);
	if (r.cb)
		r.cb(r.arg, &res);
	free(r.cl);
	return true;
}

unsigned spot_ws_reqs_expire(struct spot_ws_reqs *t, uint64_t now, const char *why)
{
	unsigned done = 0;
	size_t i = 0;
	while (i < t->n) {
		if (t->r[i].deadline_ms > now) {
			i++;
			continue;
		}
		/* Callbacks may add requests: restart the scan from i afterwards. */
		struct spot_ws_req r = take(t, i);
		complete_unknown(&r, why);
		done++;
	}
	return done;
}

unsigned spot_ws_reqs_fail_all(struct spot_ws_reqs *t, const char *why)
{
	/* Requests added by the callbacks themselves belong to the next connection. */
	size_t n = t->n;
	unsigned done = 0;
	while (n-- && t->n) {
		struct spot_ws_req r = take(t, 0);
		complete_unknown(&r, why);
		done++;
	}
	return done;
}
