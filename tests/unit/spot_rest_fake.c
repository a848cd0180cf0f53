/* spot_rest_fake: the recorded fake transport and clock of the Spot REST
 * session tests. */
#include "tests/unit/spot_rest_fake.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tests/unit/unit.h"

static void *f_http(void *ctx, const struct http_req_opts *o,
		    void (*cb)(void *arg, const struct http_result *res), void *arg)
{
	struct fake *f = ctx;
	assert_true(f->ncalls < FAKE_MAX);
	struct fake_call *c = &f->calls[f->ncalls++];
	memset(c, 0, sizeof *c);
	snprintf(c->method, sizeof c->method, "%s", o->method ? o->method : "GET");
	snprintf(c->url, sizeof c->url, "%s", o->url);
	c->body = o->body ? strndup(o->body, o->body_len) : strdup("");
	for (int i = 0; o->headers && o->headers[i] && i < 4; i++)
		snprintf(c->headers[i], sizeof c->headers[i], "%s", o->headers[i]);
	c->cb = cb;
	c->arg = arg;
	return c;
}

static void f_cancel(void *ctx, void *call)
{
	(void)ctx;
	if (call)
		((struct fake_call *)call)->cancelled = true;
}

static void *f_timer(void *ctx, uint64_t ms, void (*cb)(void *arg), void *arg)
{
	struct fake *f = ctx;
	for (int i = 0; i < f->ntimers; i++) {
		if (!f->timers[i].active) {
			f->timers[i] = (struct fake_timer){f->now + ms, cb, arg, true};
			return &f->timers[i];
		}
	}
	assert_true(f->ntimers < FAKE_MAX);
	f->timers[f->ntimers] = (struct fake_timer){f->now + ms, cb, arg, true};
	return &f->timers[f->ntimers++];
}

static void f_timer_stop(void *ctx, void *t)
{
	(void)ctx;
	((struct fake_timer *)t)->active = false;
}

static uint64_t f_mono(void *ctx)
{
	return ((struct fake *)ctx)->now;
}

static uint64_t f_wall(void *ctx)
{
	return ((struct fake *)ctx)->wall;
}

static uint32_t f_rand(void *ctx)
{
	struct fake *f = ctx;
	f->rnd = f->rnd * 1103515245u + 12345u;
	return f->rnd >> 8;
}

void fake_init(struct fake *f)
{
	memset(f, 0, sizeof *f);
	f->now = 1000000;
	f->wall = 1700000000000ull;
	f->rnd = 7;
	const char *tmp = getenv("TMPDIR");
	snprintf(f->nonce_dir, sizeof f->nonce_dir, "%s/kt-spotrest-XXXXXX", tmp ? tmp : "/tmp");
	assert_non_null(mkdtemp(f->nonce_dir));
}

void fake_free(struct fake *f)
{
	for (int i = 0; i < f->ncalls; i++)
		free(f->calls[i].body);
	DIR *d = opendir(f->nonce_dir);
	if (d) {
		struct dirent *e;
		while ((e = readdir(d))) {
			if (e->d_name[0] == '.')
				continue;
			char p[600];
			snprintf(p, sizeof p, "%s/%s", f->nonce_dir, e->d_name);
			unlink(p);
		}
		closedir(d);
	}
	rmdir(f->nonce_dir);
}

struct spot_rest_io fake_io(struct fake *f)
{
	return (struct spot_rest_io){f, f_http, f_cancel, f_timer, f_timer_stop, f_mono, f_wall,
				     f_rand};
}

void fake_run(struct fake *f)
{
	for (;;) {
		int best = -1;
		for (int i = 0; i < f->ntimers; i++) {
			struct fake_timer *t = &f->timers[i];
			if (t->active && t->due <= f->now && (best < 0 || t->due < f->timers[best].due))
				best = i;
		}
		if (best < 0)
			return;
		f->timers[best].active = false;
		f->timers[best].cb(f->timers[best].arg);
	}
}

void fake_advance(struct fake *f, uint64_t ms)
{
	/* Step through due timers in order so each sees its own time. */
	uint64_t end = f->now + ms;
	for (;;) {
		fake_run(f);
		uint64_t next = UINT64_MAX;
		for (int i = 0; i < f->ntimers; i++)
			if (f->timers[i].active && f->timers[i].due < next)
				next = f->timers[i].due;
		if (next > end)
			break;
		f->wall += next - f->now;
		f->now = next;
	}
	f->wall += end - f->now;
	f->now = end;
	fake_run(f);
}

int fake_pending(const struct fake *f)
{
	int n = 0;
	for (int i = 0; i < f->ncalls; i++)
		n += !f->calls[i].answered && !f->calls[i].cancelled;
	return n;
}

int fake_nth_pending(const struct fake *f, int n)
{
	for (int i = 0; i < f->ncalls; i++)
		if (!f->calls[i].answered && !f->calls[i].cancelled && n-- == 0)
			return i;
	return -1;
}

static void deliver(struct fake *f, int i, const struct http_result *r)
{
	assert_true(i >= 0 && i < f->ncalls);
	struct fake_call *c = &f->calls[i];
	assert_false(c->answered);
	assert_false(c->cancelled);
	c->answered = true;
	c->cb(c->arg, r);
	fake_run(f);
}

void fake_respond(struct fake *f, int i, int status, const char *body)
{
	struct http_result r;
	memset(&r, 0, sizeof r);
	r.status = status;
	r.body = body;
	r.body_len = strlen(body);
	r.rtt_us = 4321;
	deliver(f, i, &r);
}

void fake_fail(struct fake *f, int i, enum http_err kind, const char *msg)
{
	struct http_result r;
	memset(&r, 0, sizeof r);
	r.error = msg;
	r.kind = kind;
	r.body = "";
	deliver(f, i, &r);
}

void fake_respond_fixture(struct fake *f, int i, const char *name)
{
	char path[128];
	snprintf(path, sizeof path, "spot_rest/%s", name);
	char *body = kt_fixture_read(path, NULL);
	fake_respond(f, i, 200, body);
	free(body);
}

const char *fake_header(const struct fake *f, int i, const char *name)
{
	size_t n = strlen(name);
	for (int h = 0; h < 4; h++) {
		const char *s = f->calls[i].headers[h];
		if (strncmp(s, name, n) == 0 && s[n] == ':')
			return s + n + 2;
	}
	return "";
}

int fake_count(const struct fake *f, const char *path)
{
	int n = 0;
	size_t pl = strlen(path);
	for (int i = 0; i < f->ncalls; i++) {
		const char *u = f->calls[i].url;
		const char *q = strchr(u, '?');
		size_t ul = q ? (size_t)(q - u) : strlen(u);
		n += ul >= pl && strncmp(u + ul - pl, path, pl) == 0;
	}
	return n;
}
