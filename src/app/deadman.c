/* deadman: re-arming cancel-all-after on both products. */
#include "app/deadman.h"

#include <stdlib.h>
#include <string.h>

#include "app/journal.h"
#include "base/log.h"
#include "base/xalloc.h"
#include "core/state.h"
#include "net/loop.h"

struct arm_req {
	struct deadman *d;
	enum product p;
	bool disarm;
	struct arm_req *next;
};

struct deadman {
	struct kt_loop *loop;
	struct state *st;
	struct journal *j;
	int timeout_s;
	struct kt_timer *timer;
	bool warned[PRODUCT_COUNT];
	struct arm_req *inflight; /* requests not answered yet (freed by deadman_free) */
	int disarms_left;
	bool stopping, stopped;
};

static void unlink_req(struct deadman *d, struct arm_req *a)
{
	for (struct arm_req **pp = &d->inflight; *pp; pp = &(*pp)->next) {
		if (*pp == a) {
			*pp = a->next;
			return;
		}
	}
}

static void armed(void *arg, const struct intent_result *res)
{
	struct arm_req *a = arg;
	struct deadman *d = a->d;
	unlink_req(d, a);
	if (res->status == INTENT_OK) {
		d->st->dms_trigger_ms[a->p] = a->disarm ? 0 : res->trigger_time_ms;
		d->warned[a->p] = false;
	} else if (!d->warned[a->p]) {
		d->warned[a->p] = true;
		state_notice(d->st, NOTICE_ERROR, "dead man's switch (%s): %s", product_name(a->p),
			     res->message);
	}
	state_changed(d->st, EV_LIMITS, -1);
	if (a->disarm && --d->disarms_left == 0)
		d->stopped = true;
	free(a);
}

static void send_all(struct deadman *d, int timeout_s)
{
	for (int p = 0; p < PRODUCT_COUNT; p++) {
		if (!d->st->has_keys[p])
			continue;
		struct arm_req *a = xcalloc(1, sizeof *a);
		a->d = d;
		a->p = (enum product)p;
		a->disarm = timeout_s == 0;
		a->next = d->inflight;
		d->inflight = a;
		if (a->disarm)
			d->disarms_left++;
		struct kerr err = KERR_INIT;
		if (intent_cancel_after(d->st, (enum product)p, timeout_s, armed, a, &err) < 0) {
			LOGW("dead man's switch (%s): %s", product_name((enum product)p), err.msg);
			unlink_req(d, a);
			if (a->disarm)
				d->disarms_left--;
			free(a);
		}
	}
}

static void tick(void *arg)
{
	struct deadman *d = arg;
	send_all(d, d->timeout_s);
}

struct deadman *deadman_start(struct kt_loop *loop, struct state *st, int timeout_s,
			      struct journal *j)
{
	struct deadman *d = xcalloc(1, sizeof *d);
	d->loop = loop;
	d->st = st;
	d->j = j;
	d->timeout_s = timeout_s < 10 ? 10 : timeout_s;
	uint64_t every = (uint64_t)d->timeout_s * 1000 / 3;
	/* The first arming waits until the start-up knows which keys exist. */
	d->timer = kt_timer_start(loop, 2000, every, tick, d);
	journal_write(j, "dms", "dead man's switch on: every order is cancelled %d s after krakterm stops",
		      d->timeout_s);
	return d;
}

void deadman_stop(struct deadman *d)
{
	if (!d || d->stopping)
		return;
	d->stopping = true;
	kt_timer_stop(d->timer);
	d->timer = NULL;
	send_all(d, 0);
	if (d->disarms_left == 0)
		d->stopped = true;
	journal_write(d->j, "dms", "dead man's switch off (normal exit)");
}

const bool *deadman_stopped(struct deadman *d)
{
	static const bool yes = true;
	return d ? &d->stopped : &yes;
}

void deadman_free(struct deadman *d)
{
	if (!d)
		return;
	if (d->timer)
		kt_timer_stop(d->timer);
	while (d->inflight) {
		struct arm_req *a = d->inflight;
		d->inflight = a->next;
		free(a);
	}
	free(d);
}
