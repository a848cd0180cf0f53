/* replay: reading a recording line by line and applying it with the decoders. */
#include "kraken/replay.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "base/jscan.h"
#include "base/log.h"
#include "base/xalloc.h"
#include "core/state.h"
#include "kraken/fut_ws_codec.h"
#include "kraken/record.h"
#include "kraken/spot_ws_codec.h"
#include "net/loop.h"

struct replay {
	struct kt_loop *loop;
	struct state *st;
	FILE *fp;
	unsigned speed;
	void (*done)(void *arg);
	void *arg;
	struct kt_timer *timer;
	struct jdoc line;
	struct spot_ws_dec spot, spot_auth;
	struct fut_ws_codec fut;
	struct replay_stats stats;
	char *buf;
	size_t cap;
	ssize_t len;      /* the line read ahead, -1 at the end */
	uint64_t t0_rec;  /* first timestamp of the recording */
	uint64_t t0_mono; /* when replaying started */
};

/* Subscribe acks carry the book depth the recording was made with. */
static void note_depth(struct state *st, const struct spot_ws_msg *m)
{
	if (m->kind != SWK_ACK || m->channel != SWC_BOOK || !m->depth)
		return;
	int idx = state_find_instrument(st, m->symbol);
	struct market *mk = state_market(st, idx);
	if (mk)
		mk->book.depth = (size_t)m->depth;
}

/* Apply one recording line. */
static int apply(struct replay *r, const char *line, size_t n, uint64_t *t_ms)
{
	struct kerr err = KERR_INIT;
	if (jdoc_parse(&r->line, line, n, &err) < 0)
		return -1;
	int t = jobj_get(&r->line, 0, "t"), src = jobj_get(&r->line, 0, "src");
	if (t < 0 || src < 0 || jtok_u64(&r->line, t, t_ms) < 0)
		return -1;
	if (jstr_eq(&r->line, src, "instruments")) {
		if (record_read_instruments(&r->line, jobj_get(&r->line, 0, "list"), r->st, &err) < 0)
			return -1;
		state_changed(r->st, EV_INSTRUMENTS, -1);
		return 0;
	}
	int msg = jobj_get(&r->line, 0, "msg");
	if (msg < 0)
		return -1; /* a "raw" line: it was not JSON when it arrived either */
	const struct jtok *tk = &r->line.t[msg];
	/* The message is a value inside the line: hand the decoders its bytes. */
	size_t start = tk->start, end = start + tk->len;
	if (tk->type == J_STR) {
		start--;
		end++;
	}
	if (jstr_eq(&r->line, src, "futures")) {
		struct fws_msg out;
		return fut_ws_decode(&r->fut, r->st, line + start, end - start, &out, &err);
	}
	struct spot_ws_dec *d = jstr_eq(&r->line, src, "spot-auth") ? &r->spot_auth : &r->spot;
	struct spot_ws_msg out;
	int rc = spot_ws_decode(d, r->st, line + start, end - start, &out, &err);
	note_depth(r->st, &out);
	return rc;
}

static void init(struct replay *r, struct state *st)
{
	r->st = st;
	jdoc_init(&r->line);
	spot_ws_dec_init(&r->spot);
	spot_ws_dec_init(&r->spot_auth);
	fut_ws_codec_init(&r->fut);
}

static void fini(struct replay *r)
{
	jdoc_free(&r->line);
	spot_ws_dec_free(&r->spot);
	spot_ws_dec_free(&r->spot_auth);
	fut_ws_codec_free(&r->fut);
	free(r->buf);
	if (r->fp)
		fclose(r->fp);
}

static void apply_counted(struct replay *r, uint64_t *t_ms)
{
	r->stats.lines++;
	size_t n = (size_t)r->len;
	while (n && (r->buf[n - 1] == '\n' || r->buf[n - 1] == '\r'))
		n--;
	if (n == 0)
		return;
	if (apply(r, r->buf, n, t_ms) == 0)
		r->stats.applied++;
	else
		r->stats.errors++;
}

int replay_run_all(struct state *st, const char *path, struct replay_stats *out, struct kerr *err)
{
	struct replay r;
	memset(&r, 0, sizeof r);
	init(&r, st);
	r.fp = fopen(path, "r");
	if (!r.fp) {
		fini(&r);
		return kerr_set(err, 1, "%s: %s", path, strerror(errno));
	}
	uint64_t t;
	while ((r.len = getline(&r.buf, &r.cap, r.fp)) >= 0)
		apply_counted(&r, &t);
	r.stats.done = true;
	if (out)
		*out = r.stats;
	fini(&r);
	return (int)r.stats.applied;
}

static void step(void *arg);

/* Apply every line that is due, then sleep until the next one. */
static void step(void *arg)
{
	struct replay *r = arg;
	r->timer = NULL;
	uint64_t now = kt_mono_ms();
	for (int burst = 0; burst < 5000; burst++) {
		if (r->len < 0) {
			r->stats.done = true;
			if (r->done)
				r->done(r->arg);
			return;
		}
		/* Peek at the line's time without applying it. */
		uint64_t t = 0;
		const char *p = strstr(r->buf, "\"t\":");
		if (p)
			t = strtoull(p + 4, NULL, 10);
		if (!r->t0_rec) {
			r->t0_rec = t;
			r->t0_mono = now;
		}
		if (r->speed && t > r->t0_rec) {
			uint64_t due = r->t0_mono + (t - r->t0_rec) * 100 / r->speed;
			if (due > now) {
				r->timer = kt_timer_start(r->loop, due - now, 0, step, r);
				return;
			}
		}
		apply_counted(r, &t);
		r->len = getline(&r->buf, &r->cap, r->fp);
	}
	r->timer = kt_timer_start(r->loop, 0, 0, step, r); /* let the loop breathe */
}

struct replay *replay_open(struct kt_loop *loop, struct state *st, const char *path,
			   unsigned speed_pct, void (*done)(void *arg), void *arg, struct kerr *err)
{
	struct replay *r = xcalloc(1, sizeof *r);
	init(r, st);
	r->loop = loop;
	r->speed = speed_pct;
	r->done = done;
	r->arg = arg;
	r->fp = fopen(path, "r");
	if (!r->fp) {
		kerr_set(err, 1, "cannot open the recording %s: %s", path, strerror(errno));
		fini(r);
		free(r);
		return NULL;
	}
	r->len = getline(&r->buf, &r->cap, r->fp);
	return r;
}

void replay_start(struct replay *r) { r->timer = kt_timer_start(r->loop, 0, 0, step, r); }

void replay_free(struct replay *r)
{
	if (!r)
		return;
	if (r->timer)
		kt_timer_stop(r->timer);
	fini(r);
	free(r);
}

struct replay_stats replay_stats(const struct replay *r) { return r->stats; }
