/* bench_e2e: the paper exchange streaming book changes to the client core over
 * loopback WebSocket, in one process on one loop, as the app runs them: the
 * paper server (paper_start with the app's adapters) and a Spot WS v2 public
 * session (spot_ws_pub) writing into a core state.
 *
 * The market moves through px orders of the market account (bench_market.h),
 * every change inside the 10 best levels. Two kinds of runs:
 *   - at the maximum rate: batches of changes are made as soon as the client
 *     has received something of the previous batch (so the pipe stays full
 *     but output cannot pile up without bound);
 *   - at fixed rates (1k, 10k, 50k changes/s), to see what a given feed rate
 *     costs.
 * Reported: messages received and applied by the client per second, book
 * levels applied per second, and the process CPU (getrusage: server and
 * client together, as in krakterm's paper profile) in percent of one core.
 * After each run the client's books must equal px's (every checksum held). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include <uv.h>

#include "app/paper_embed.h"
#include "base/clock.h"
#include "base/log.h"
#include "bench/bench_loop.h"
#include "bench/bench_market.h"
#include "bench/bench_util.h"
#include "core/state.h"
#include "kraken/spot_ws.h"
#include "net/loop.h"
#include "paper/server.h"

static const char *const pairs[] = {"BTC/USD", "ETH/USD", "SOL/USD",
                                    "XRP/USD", "ETH/BTC", "BTC/EUR"};

struct e2e {
	struct kt_loop *loop;
	struct paper *paper;
	struct bmarket mk;
	struct state st;
	struct spot_ws_pub *sess;
	int idx[6];
	size_t n;
	int depth;
	/* driver */
	uv_check_t check;
	struct kt_timer *tick;
	unsigned rate; /* changes per second; 0 = as fast as the client takes them */
	uint64_t start_ns, made, msgs0, round_msgs, round_ns;
	size_t next;
};

static uint64_t client_msgs(const struct e2e *e)
{
	return spot_ws_pub_stats(e->sess).msgs;
}

static uint64_t client_levels(const struct e2e *e)
{
	uint64_t n = 0;
	for (size_t i = 0; i < e->n; i++) {
		const struct market *m = state_market_peek(&e->st, e->idx[i]);
		n += m ? m->book.updates : 0;
	}
	return n;
}

static void make_changes(struct e2e *e, unsigned k)
{
	for (unsigned i = 0; i < k; i++) {
		bmarket_op(&e->mk, e->next);
		e->next = (e->next + 1) % e->n;
	}
	e->made += k;
}

/* Maximum rate: a batch whenever fewer than LAG_MAX changes are unheard of by
 * the client (each change is one message to a depth-10 subscriber), or when
 * nothing arrived for 5 ms (a batch may change nothing visible). This keeps
 * the pipe full without letting the server's output pile up. It runs after
 * every turn of the loop (a check handle, so the loop still sleeps while the
 * client is behind) and from a 1 ms timer. */
#define LAG_MAX 1024
static void drive(struct e2e *e)
{
	uint64_t now = kt_mono_ns(), msgs = client_msgs(e) - e->msgs0;
	if (msgs != e->round_msgs)
		e->round_ns = now;
	e->round_msgs = msgs;
	if (e->made > msgs + LAG_MAX && now - e->round_ns < 5000000)
		return;
	e->round_ns = now;
	make_changes(e, 128);
}

static void on_check(uv_check_t *h)
{
	drive(h->data);
}
static void on_drive_tick(void *arg)
{
	drive(arg);
}

/* Fixed rate: every millisecond, the changes due by now. */
static void on_tick(void *arg)
{
	struct e2e *e = arg;
	uint64_t due = (kt_mono_ns() - e->start_ns) * e->rate / 1000000000u;
	if (due > e->made)
		make_changes(e, (unsigned)(due - e->made));
}

static bool books_valid(void *arg)
{
	struct e2e *e = arg;
	for (size_t i = 0; i < e->n; i++) {
		const struct market *m = state_market_peek(&e->st, e->idx[i]);
		if (!m || !m->book.valid || m->stale)
			return false;
	}
	return true;
}

/* The client's books equal px's best `depth` levels (prices and sizes). */
static bool caught_up(void *arg)
{
	struct e2e *e = arg;
	if (!books_valid(e))
		return false;
	struct px_level lv[100];
	for (size_t i = 0; i < e->n; i++) {
		const struct market *m = state_market_peek(&e->st, e->idx[i]);
		const struct px_instr *in = e->mk.b[i].in;
		for (int s = 0; s < 2; s++) {
			enum side cs = s == ENGINE_BUY ? SIDE_BUY : SIDE_SELL;
			size_t n = px_depth(e->paper->px, in, (enum engine_side)s, lv,
			                    (size_t)e->depth);
			if (book_count(&m->book, cs) != n)
				return false;
			for (size_t k = 0; k < n; k++) {
				const struct book_level *l = book_level_at(&m->book, cs, k);
				int64_t p, q;
				if (book_px_from_dec(&m->book, lv[k].price, &p) ||
				    book_qty_from_dec(&m->book, lv[k].qty, &q) || l->px != p ||
				    l->qty != q)
					return false;
			}
		}
	}
	return true;
}

static uint64_t rusage_ns(void)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return (uint64_t)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000000000u +
	       (uint64_t)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) * 1000u;
}

static void paper_stopped(void *arg)
{
	*(bool *)arg = true;
}
static bool flag_set(void *arg)
{
	return *(bool *)arg;
}

/* One run: n pairs at `depth`, `rate` changes/s (0 = max), for secs seconds. */
static int run(size_t n, int depth, unsigned rate, double secs, const char *label)
{
	struct e2e e;
	memset(&e, 0, sizeof e);
	struct kerr err = KERR_INIT;
	e.loop = kt_loop_new(NULL, &err);
	if (!e.loop)
		return fprintf(stderr, "bench_e2e: %s\n", err.msg), -1;
	struct paper_opts po = {.state_path = "",
	                        .reset = true,
	                        .users = 1,
	                        .id_seed = 7,
	                        .adapters = paper_embed_adapters()};
	e.paper = paper_start(kt_loop_uv(e.loop), &po, &err);
	if (!e.paper)
		return fprintf(stderr, "bench_e2e: paper: %s\n", err.msg), -1;
	bmarket_init(&e.mk, e.paper->px, 12345);
	state_init(&e.st);
	e.n = n;
	e.depth = depth;
	for (size_t i = 0; i < n; i++) {
		bmarket_add(&e.mk, pairs[i], 200);
		struct instrument in = {0};
		snprintf(in.id, sizeof in.id, "%s", pairs[i]);
		in.product = PRODUCT_SPOT;
		in.kind = IK_SPOT;
		e.idx[i] = state_add_instrument(&e.st, &in);
	}
	struct paper_urls u;
	paper_urls(e.paper, &u);
	e.sess = spot_ws_pub_new(e.loop, &e.st, u.spot_ws_public, NULL);
	for (size_t i = 0; i < n; i++)
		spot_ws_pub_book(e.sess, e.idx[i], depth, &err);
	spot_ws_pub_start(e.sess);
	int rc = 0;
	if (!bench_run_until(e.loop, books_valid, &e, 10000)) {
		fprintf(stderr, "bench_e2e: the books never arrived\n");
		rc = -1;
		goto out;
	}
	e.rate = rate;
	uint64_t m0 = client_msgs(&e), l0 = client_levels(&e), c0 = rusage_ns();
	e.start_ns = e.round_ns = kt_mono_ns();
	e.msgs0 = m0;
	if (rate) {
		e.tick = kt_timer_start(e.loop, 1, 1, on_tick, &e);
	} else {
		uv_check_init(kt_loop_uv(e.loop), &e.check);
		e.check.data = &e;
		uv_check_start(&e.check, on_check);
		e.tick = kt_timer_start(e.loop, 1, 1, on_drive_tick, &e);
	}
	bench_run_for(e.loop, (unsigned)(secs * 1000));
	uint64_t wall = kt_mono_ns() - e.start_ns;
	uint64_t m1 = client_msgs(&e), l1 = client_levels(&e), c1 = rusage_ns();
	kt_timer_stop(e.tick);
	if (!rate)
		uv_close((uv_handle_t *)&e.check, NULL);
	if (!bench_run_until(e.loop, caught_up, &e, 20000)) {
		fprintf(stderr, "bench_e2e: %s: the client's books do not match px\n", label);
		rc = -1;
	}
	double s = (double)wall / 1e9;
	bench_outf((double)(int64_t)((double)(m1 - m0) / s), "msg/s", "e2e_%s_msgs", label);
	bench_outf((double)(int64_t)((double)(l1 - l0) / s), "level/s", "e2e_%s_levels", label);
	bench_outf((double)(int64_t)((double)e.made / s), "change/s", "e2e_%s_changes", label);
	bench_outf((double)(c1 - c0) / (double)wall * 100.0, "%cpu", "e2e_%s_cpu", label);
	/* On a shared machine the wall clock also counts time spent waiting for a
	 * core; messages per CPU-second is what one core of our own would take. */
	if (c1 > c0)
		bench_outf((double)(int64_t)((double)(m1 - m0) / ((double)(c1 - c0) / 1e9)),
		           "msg/cpu-s", "e2e_%s_msgs_per_cpu_s", label);
	if (m1 > m0)
		bench_outf((double)(int64_t)((double)(c1 - c0) / (double)(m1 - m0)), "ns/msg",
		           "e2e_%s_cpu_per_msg", label);
	for (size_t i = 0; i < n; i++) {
		const struct market *m = state_market_peek(&e.st, e.idx[i]);
		if (m->checksum_failures || m->resyncs) {
			fprintf(stderr, "bench_e2e: %s: %u checksum failures, %u resyncs\n", label,
			        m->checksum_failures, m->resyncs);
			rc = -1;
		}
	}
	fprintf(stderr,
	        "# e2e %s: %llu changes (%llu refused), %llu messages, %zu pairs, depth %d\n",
	        label, (unsigned long long)e.made, (unsigned long long)e.mk.refused,
	        (unsigned long long)(m1 - m0), n, depth);
out:
	spot_ws_pub_free(e.sess);
	bool done = false;
	paper_stop(e.paper, paper_stopped, &done);
	bench_run_until(e.loop, flag_set, &done, 5000);
	kt_loop_free(e.loop);
	bmarket_free(&e.mk);
	state_free(&e.st);
	return rc;
}

/* Usage: bench_e2e [LABEL-SUBSTRING] (default: every run), for profiling one. */
int main(int argc, char **argv)
{
	static const struct {
		size_t pairs;
		int depth;
		unsigned rate;
		const char *label;
	} runs[] = {
	        {1, 10, 0, "max_1pair_d10"},         {6, 10, 0, "max_6pairs_d10"},
	        {1, 100, 0, "max_1pair_d100"},       {1, 10, 1000, "rate1k_1pair_d10"},
	        {1, 10, 10000, "rate10k_1pair_d10"}, {1, 10, 50000, "rate50k_1pair_d10"},
	};
	klog_set_level(KLOG_ERROR);
	double secs = 2.0 * bench_scale();
	int rc = 0;
	for (size_t i = 0; i < sizeof runs / sizeof runs[0]; i++)
		if (argc < 2 || strstr(runs[i].label, argv[1]))
			rc |= run(runs[i].pairs, runs[i].depth, runs[i].rate, secs, runs[i].label);
	return rc ? 1 : 0;
}
