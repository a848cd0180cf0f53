/* bench_mem: the client's memory with 10 books of depth 1000.
 *
 * This process runs the paper exchange (paper_start with the app's adapters)
 * with 1000 resting levels a side on the six Spot pairs and four perpetuals,
 * and starts a second process (itself, with --client) that holds only what
 * krakterm's client side holds: the loop, the core state, a headless UI
 * (120x40), a Spot WS v2 public session subscribed to the six books at depth
 * 1000, and a Futures WS v1 session watching the four perpetuals (book,
 * ticker and trades; Futures books are full depth). Once every book holds
 * 1000 levels a side, the market moves for 3 s (2000 changes a second over
 * the ten books), and the client reports its VmRSS and VmHWM from
 * /proc/self/status. A separate process, so the exchange's own memory is not
 * counted. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "app/paper_embed.h"
#include "base/clock.h"
#include "base/log.h"
#include "bench/bench_loop.h"
#include "bench/bench_market.h"
#include "bench/bench_util.h"
#include "core/state.h"
#include "kraken/fut_ws.h"
#include "kraken/spot_ws.h"
#include "net/loop.h"
#include "paper/server.h"
#include "ui/ui.h"

#define LEVELS 1000

static const char *const spot[] = {"BTC/USD", "ETH/USD", "SOL/USD",
                                   "XRP/USD", "ETH/BTC", "BTC/EUR"};
static const char *const futs[] = {"PF_XBTUSD", "PF_ETHUSD", "PF_SOLUSD", "PI_XBTUSD"};
#define NSPOT 6
#define NFUT  4

/* ---- the client (child) ---- */

struct client {
	struct state st;
	int idx[NSPOT + NFUT];
};

static bool books_full(void *arg)
{
	struct client *c = arg;
	for (int i = 0; i < NSPOT + NFUT; i++) {
		const struct market *m = state_market_peek(&c->st, c->idx[i]);
		if (!m || !m->book.valid || book_count(&m->book, SIDE_BUY) < LEVELS ||
		    book_count(&m->book, SIDE_SELL) < LEVELS)
			return false;
	}
	return true;
}

static int client_main(const char *spot_url, const char *fut_url)
{
	struct kerr err = KERR_INIT;
	struct kt_loop *loop = kt_loop_new(NULL, &err);
	struct client c;
	state_init(&c.st);
	for (int i = 0; i < NSPOT + NFUT; i++) {
		struct instrument in = {0};
		snprintf(in.id, sizeof in.id, "%s", i < NSPOT ? spot[i] : futs[i - NSPOT]);
		in.product = i < NSPOT ? PRODUCT_SPOT : PRODUCT_FUTURES;
		in.kind = i < NSPOT ? IK_SPOT : IK_PERP_LINEAR;
		c.idx[i] = state_add_instrument(&c.st, &in);
	}
	state_changed(&c.st, EV_INSTRUMENTS, -1);
	struct ui *ui = NULL;
	struct ui_opts o = {.profile = "paper",
	                    .theme = "dark",
	                    .keymap = "default",
	                    .config_dir = "/nonexistent",
	                    .data_dir = bench_srcdir(),
	                    .headless = true,
	                    .width = 120,
	                    .height = 40};
	if (ui_new(&ui, &c.st, &o, &err) < 0)
		return fprintf(stderr, "bench_mem: ui: %s\n", err.msg), 1;
	struct spot_ws_pub *sp = spot_ws_pub_new(loop, &c.st, spot_url, NULL);
	for (int i = 0; i < NSPOT; i++)
		spot_ws_pub_book(sp, c.idx[i], LEVELS, &err);
	spot_ws_pub_start(sp);
	struct fut_ws_opts fo = {.url = fut_url};
	struct fut_ws *fw = fut_ws_new(loop, &c.st, &fo, &err);
	for (int i = 0; i < NFUT; i++)
		fut_ws_watch(fw, futs[i], true);
	fut_ws_start(fw);
	int rc = 0;
	if (!bench_run_until(loop, books_full, &c, 20000)) {
		fprintf(stderr, "bench_mem: the books never filled\n");
		rc = 1;
	} else {
		/* Tell the exchange to move the market, render as the app would. */
		kill(getppid(), SIGUSR1);
		for (int f = 0; f < 60; f++) {
			bench_run_for(loop, 50);
			ui_render(ui, (int64_t)kt_mono_ms());
		}
		bench_out("client_10books_d1000_vmrss", (double)bench_status_kb(0, "VmRSS"), "kB");
		bench_out("client_10books_d1000_vmhwm", (double)bench_status_kb(0, "VmHWM"), "kB");
	}
	spot_ws_pub_free(sp);
	fut_ws_free(fw);
	ui_free(ui);
	kt_loop_free(loop);
	state_free(&c.st);
	return rc;
}

/* ---- the exchange (parent) ---- */

/* SIGUSR1 from the child: its books are full, start moving. A flag set in a
 * signal handler must be a global; this is the only one. */
static volatile sig_atomic_t go;
static void on_usr1(int sig)
{
	(void)sig;
	go = 1;
}

struct server {
	struct kt_loop *loop;
	struct bmarket mk;
	pid_t child;
	bool exited;
	int status;
	uint64_t start_ns, made;
	size_t next;
};

static void drive(void *arg)
{
	struct server *s = arg;
	if (!go)
		return;
	if (!s->start_ns)
		s->start_ns = kt_mono_ns();
	uint64_t due = (kt_mono_ns() - s->start_ns) * 2000 / 1000000000u;
	for (; s->made < due; s->made++) {
		bmarket_op(&s->mk, s->next);
		s->next = (s->next + 1) % s->mk.n;
	}
}

static bool child_done(void *arg)
{
	struct server *s = arg;
	if (!s->exited && waitpid(s->child, &s->status, WNOHANG) == s->child)
		s->exited = true;
	return s->exited;
}

static void paper_stopped(void *arg)
{
	*(bool *)arg = true;
}
static bool flag_set(void *arg)
{
	return *(bool *)arg;
}

int main(int argc, char **argv)
{
	klog_set_level(KLOG_ERROR);
	if (argc == 4 && strcmp(argv[1], "--client") == 0)
		return client_main(argv[2], argv[3]);
	signal(SIGUSR1, on_usr1);
	struct server s;
	memset(&s, 0, sizeof s);
	struct kerr err = KERR_INIT;
	s.loop = kt_loop_new(NULL, &err);
	struct paper_opts po = {
	        .state_path = "", .reset = true, .users = 1, .adapters = paper_embed_adapters()};
	struct paper *p = s.loop ? paper_start(kt_loop_uv(s.loop), &po, &err) : NULL;
	if (!p)
		return fprintf(stderr, "bench_mem: paper: %s\n", err.msg), 1;
	bmarket_init(&s.mk, p->px, 31);
	for (int i = 0; i < NSPOT; i++)
		bmarket_add(&s.mk, spot[i], LEVELS + 5);
	for (int i = 0; i < NFUT; i++)
		bmarket_add(&s.mk, futs[i], LEVELS + 5);
	struct paper_urls u;
	paper_urls(p, &u);
	s.child = fork();
	if (s.child == 0) {
		execl("/proc/self/exe", "bench_mem", "--client", u.spot_ws_public, u.fut_ws,
		      (char *)NULL);
		_exit(127);
	}
	struct kt_timer *t = kt_timer_start(s.loop, 1, 1, drive, &s);
	if (!bench_run_until(s.loop, child_done, &s, 60000)) {
		kill(s.child, SIGKILL);
		waitpid(s.child, &s.status, 0);
		fprintf(stderr, "bench_mem: the client did not finish\n");
		s.status = 1;
	}
	kt_timer_stop(t);
	fprintf(stderr, "# %llu market changes while the client ran\n", (unsigned long long)s.made);
	bmarket_free(&s.mk);
	bool done = false;
	paper_stop(p, paper_stopped, &done);
	bench_run_until(s.loop, flag_set, &done, 5000);
	kt_loop_free(s.loop);
	return WIFEXITED(s.status) && WEXITSTATUS(s.status) == 0 ? 0 : 1;
}
