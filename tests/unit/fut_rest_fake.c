/* fut_rest_fake: the Futures REST test fixture (fut_rest_fake.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/state.h"
#include "kraken/fut_rest.h"
#include "net/nonce.h"
#include "tests/unit/fut_rest_fake.h"
#include "tests/unit/test_fut_rest_util.h"
#include "tests/unit/unit.h"

/* ---- fake transport and clock ---- */

static void *f_request(void *ctx, const struct http_req_opts *o,
                       void (*cb)(void *arg, const struct http_result *r), void *arg)
{
	struct fake *f = ctx;
	assert_true(f->nreq < FMAX);
	struct freq *q = &f->req[f->nreq++];
	memset(q, 0, sizeof *q);
	snprintf(q->method, sizeof q->method, "%s", o->method);
	snprintf(q->url, sizeof q->url, "%s", o->url);
	if (o->body)
		snprintf(q->body, sizeof q->body, "%.*s", (int)o->body_len, o->body);
	for (const char *const *h = o->headers; h && *h && q->nh < 8; h++)
		snprintf(q->hdr[q->nh++], sizeof q->hdr[0], "%s", *h);
	q->cb = cb;
	q->arg = arg;
	q->open = true;
	return q;
}

static void f_cancel(void *ctx, void *call)
{
	(void)ctx;
	((struct freq *)call)->open = false;
}

static uint64_t f_now(void *ctx)
{
	return ((struct fake *)ctx)->now;
}

static void *f_timer(void *ctx, uint64_t ms, void (*cb)(void *arg), void *arg)
{
	struct fake *f = ctx;
	assert_true(f->ntm < FMAX);
	struct ftimer *t = &f->tm[f->ntm++];
	t->at = f->now + ms;
	t->cb = cb;
	t->arg = arg;
	t->live = true;
	return t;
}

static void f_timer_stop(void *ctx, void *t)
{
	(void)ctx;
	((struct ftimer *)t)->live = false;
}

/* Move the clock forward, firing due timers in time order. */
void advance(struct fake *f, uint64_t ms)
{
	uint64_t end = f->now + ms;
	for (;;) {
		struct ftimer *next = NULL;
		for (int i = 0; i < f->ntm; i++)
			if (f->tm[i].live && f->tm[i].at <= end &&
			    (!next || f->tm[i].at < next->at))
				next = &f->tm[i];
		if (!next)
			break;
		if (next->at > f->now)
			f->now = next->at;
		next->live = false;
		next->cb(next->arg);
	}
	f->now = end;
}

const char *hdr(const struct freq *q, const char *name)
{
	size_t n = strlen(name);
	for (int i = 0; i < q->nh; i++)
		if (strncmp(q->hdr[i], name, n) == 0 && q->hdr[i][n] == ':')
			return q->hdr[i] + n + 2;
	return NULL;
}

void respond_full(struct freq *q, int status, const char *body, const char *retry_after)
{
	assert_true(q->open);
	q->open = false;
	struct http_resp_header h = {"Retry-After", retry_after};
	struct http_result r = {.status = status,
	                        .body = body,
	                        .body_len = strlen(body),
	                        .rtt_us = 1234,
	                        .headers = retry_after ? &h : NULL,
	                        .n_headers = retry_after ? 1 : 0};
	q->cb(q->arg, &r);
}

void respond(struct freq *q, int status, const char *body)
{
	respond_full(q, status, body, NULL);
}

void respond_fixture(struct freq *q, const char *name)
{
	char path[128];
	snprintf(path, sizeof path, "fut_rest/%s", name);
	char *b = kt_fixture_read(path, NULL);
	respond(q, 200, b);
	free(b);
}

void respond_error(struct freq *q, enum http_err kind)
{
	assert_true(q->open);
	q->open = false;
	struct http_result r = {
	        .status = 0, .body = "", .error = "simulated failure", .kind = kind};
	q->cb(q->arg, &r);
}

struct freq *last(struct fake *f)
{
	return &f->req[f->nreq - 1];
}

int count_path(const struct fake *f, const char *path)
{
	int n = 0;
	for (int i = 0; i < f->nreq; i++)
		if (strstr(f->req[i].url, path))
			n++;
	return n;
}

/* ---- fixture ---- */

static uint64_t nonce_clock(void *ctx)
{
	return ((struct ctx *)ctx)->clock_us;
}

void on_result(void *arg, const struct intent_result *res)
{
	struct ctx *c = arg;
	c->calls++;
	c->res = *res;
}

struct ctx *setup(bool keys, uint32_t recon_ms)
{
	struct ctx *c = calloc(1, sizeof *c);
	assert_non_null(c);
	frx_state(&c->st);
	const char *tmp = getenv("TMPDIR");
	snprintf(c->dir, sizeof c->dir, "%s/futrest-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	assert_non_null(mkdtemp(c->dir));
	struct fut_rest_io io = {&c->f, f_request, f_cancel, f_now, f_timer, f_timer_stop};
	struct fut_rest_cfg cfg = {.base_url = "http://127.0.0.1:9/",
	                           .api_key = keys ? "test-key" : NULL,
	                           .api_secret = keys ? SECRET : NULL,
	                           .nonce_dir = c->dir,
	                           .reconcile_delay_ms = recon_ms};
	struct kerr err = KERR_INIT;
	c->fr = fut_rest_new_io(&io, &cfg, &err);
	assert_non_null(c->fr);
	if (keys) {
		c->clock_us = 1700000000000000ULL;
		nonce_store_set_clock(fut_rest_nonce_store(c->fr), nonce_clock, c);
	}
	return c;
}

void teardown(struct ctx *c)
{
	char path[512] = "";
	if (fut_rest_nonce_store(c->fr))
		snprintf(path, sizeof path, "%s", nonce_store_path(fut_rest_nonce_store(c->fr)));
	fut_rest_free(c->fr);
	if (path[0])
		unlink(path);
	rmdir(c->dir);
	state_free(&c->st);
	free(c);
}

struct order_req f2_order(struct ctx *c, const char *cl)
{
	struct order_req r;
	memset(&r, 0, sizeof r);
	r.instr = state_find_instrument(&c->st, "PF_XBTUSD");
	r.side = SIDE_BUY;
	r.type = OT_LIMIT;
	dec_parse("0.01", (size_t)-1, &r.qty, NULL);
	dec_parse("50000", (size_t)-1, &r.limit_price, NULL);
	snprintf(r.cl_id, sizeof r.cl_id, "%s", cl);
	return r;
}
