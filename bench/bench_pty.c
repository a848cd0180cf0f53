/* bench_pty: the real krakterm in a pseudo-terminal (forkpty, TERM
 * xterm-256color, LANG C.UTF-8, a private HOME and XDG directories), counting
 * every byte it writes to the terminal (read from the master side).
 *
 * 1. Start-up (the built-in paper profile, no configuration): from fork to
 *    the first output that holds the book pane's spread line, which is drawn
 *    only once the book has both sides, in the same frame as its prices;
 *    5 launches (the first creates the paper account, the others load it).
 *    After the first start-up, 10 s of the paper profile as a user sees it:
 *    the embedded exchange's simulated market moves (sim.h defaults), and
 *    krakterm's CPU (exchange and simulator included: they run in its
 *    process), bytes/s and VmRSS/VmHWM are taken.
 * 2. A market moving at a chosen rate: the paper profile's simulator rate is
 *    not configurable, so this benchmark runs the paper exchange itself (the
 *    same paper_start and adapters the app embeds) and krakterm uses a
 *    profile whose URLs point at it over loopback (market data only, no
 *    keys). BTC/USD's book changes 0 (idle), 100, 1000 and 10000 times a
 *    second inside its 10 best levels (bench_market.h): bytes per second
 *    read from the pty and krakterm's CPU (from /proc/PID/stat; the
 *    exchange's work is in this process, not krakterm's), at 200x60 and, at
 *    1000/s, also at 80x24. Idle lasts 10 s, the others 5 s.
 * krakterm comes from $KT_BIN (make bench sets it), else ./krakterm. */
#include <errno.h>
#include <fcntl.h>
#include <pty.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <uv.h>

#include "app/paper_embed.h"
#include "base/clock.h"
#include "base/log.h"
#include "base/sbuf.h"
#include "bench/bench_loop.h"
#include "bench/bench_market.h"
#include "bench/bench_util.h"
#include "net/loop.h"
#include "paper/server.h"

#define OUT_KEEP (4u << 20) /* output kept for searching (start-up only) */

struct kproc {
	pid_t pid;
	int fd;
	uv_poll_t poll;
	bool polling, eof;
	uint64_t bytes;
	struct sbuf out; /* what it wrote, while `keep` */
	bool keep;
};

static const char *bin(void)
{
	const char *b = getenv("KT_BIN");
	return b && b[0] ? b : "./krakterm";
}

static void on_pty(uv_poll_t *h, int status, int events)
{
	struct kproc *k = h->data;
	(void)events;
	char buf[65536];
	for (;;) {
		ssize_t n = status < 0 ? -1 : read(k->fd, buf, sizeof buf);
		if (n > 0) {
			k->bytes += (uint64_t)n;
			if (k->keep && k->out.len < OUT_KEEP)
				sbuf_add(&k->out, buf, (size_t)n);
			continue;
		}
		if (n < 0 && errno == EAGAIN)
			return;
		k->eof = true; /* EIO: the child closed its side */
		uv_poll_stop(h);
		return;
	}
}

/* Start krakterm -p profile at cols x rows with HOME etc. under dir. */
static int kproc_start(struct kt_loop *loop, struct kproc *k, const char *dir, const char *profile,
                       int cols, int rows)
{
	memset(k, 0, sizeof k[0]);
	k->keep = true;
	struct winsize ws = {.ws_row = (unsigned short)rows, .ws_col = (unsigned short)cols};
	k->pid = forkpty(&k->fd, NULL, NULL, &ws);
	if (k->pid < 0)
		return perror("forkpty"), -1;
	if (k->pid == 0) {
		char home[600], cfg[600], st[600], data[600], term[] = "TERM=xterm-256color",
		                                              lang[] = "LANG=C.UTF-8",
		                                              path[] = "PATH=/usr/bin:/bin";
		snprintf(home, sizeof home, "HOME=%s", dir);
		snprintf(cfg, sizeof cfg, "XDG_CONFIG_HOME=%s/c", dir);
		snprintf(st, sizeof st, "XDG_STATE_HOME=%s/s", dir);
		snprintf(data, sizeof data, "XDG_DATA_HOME=%s/d", dir);
		char *const env[] = {home, cfg, st, data, term, lang, path, NULL};
		execle(bin(), "krakterm", "-p", profile, (char *)NULL, env);
		_exit(127);
	}
	fcntl(k->fd, F_SETFL, fcntl(k->fd, F_GETFL) | O_NONBLOCK);
	uv_poll_init(kt_loop_uv(loop), &k->poll, k->fd);
	k->poll.data = k;
	uv_poll_start(&k->poll, UV_READABLE | UV_DISCONNECT, on_pty);
	k->polling = true;
	return 0;
}

static bool kproc_eof(void *arg)
{
	return ((struct kproc *)arg)->eof;
}

/* SIGTERM, drain until it closed the terminal, reap (SIGKILL after 5 s). */
static void kproc_stop(struct kt_loop *loop, struct kproc *k)
{
	kill(k->pid, SIGTERM);
	bench_run_until(loop, kproc_eof, k, 5000);
	int status;
	for (int i = 0; i < 500 && waitpid(k->pid, &status, WNOHANG) == 0; i++)
		bench_run_for(loop, 10);
	if (waitpid(k->pid, &status, WNOHANG) == 0) {
		kill(k->pid, SIGKILL);
		waitpid(k->pid, &status, 0);
	}
	if (k->polling)
		uv_close((uv_handle_t *)&k->poll, NULL);
	bench_run_for(loop, 1);
	close(k->fd);
	sbuf_free(&k->out);
}

/* The book pane's spread line ("spread 0.1 (0.2 bp)") was written: the
 * book has both sides and its rows are in the same frame. */
static bool shows(void *arg)
{
	const struct sbuf *o = &((struct kproc *)arg)->out;
	const char *p = o->p, *end = o->p + o->len;
	while (p && p < end) {
		p = memmem(p, (size_t)(end - p), "spread ", 7);
		if (!p)
			return false;
		p += 7;
		size_t left = (size_t)(end - p) < 24 ? (size_t)(end - p) : 24;
		if (memmem(p, left, " bp)", 4))
			return true;
	}
	return false;
}

static int write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	if (!f)
		return -1;
	fputs(text, f);
	return fclose(f);
}

static void paper_stopped(void *arg)
{
	*(bool *)arg = true;
}
static bool flag_set(void *arg)
{
	return *(bool *)arg;
}

/* ---- 1 and 2: the paper profile ---- */

/* $KT_BENCH_DUMP set: write what krakterm wrote (debugging) to $KT_BENCH_DUMP.what. */
static void dump(const struct kproc *k, const char *what)
{
	const char *d = getenv("KT_BENCH_DUMP");
	if (!d)
		return;
	char path[700];
	snprintf(path, sizeof path, "%s.%s", d, what);
	write_file(path, sbuf_str(&k->out));
}

/* Measure a running krakterm for ms milliseconds: CPU, bytes/s (and memory). */
static void measure(struct kt_loop *loop, struct kproc *k, unsigned ms, const char *name)
{
	uint64_t c0 = bench_pid_cpu_ns(k->pid), b0 = k->bytes, w0 = kt_mono_ns();
	bench_run_for(loop, ms);
	uint64_t c1 = bench_pid_cpu_ns(k->pid), b1 = k->bytes, w1 = kt_mono_ns();
	double secs = (double)(w1 - w0) / 1e9;
	bench_outf((double)(c1 - c0) / (double)(w1 - w0) * 100.0, "%cpu", "%s_cpu", name);
	bench_outf((double)(int64_t)((double)(b1 - b0) / secs), "B/s", "%s_bytes", name);
}

static void memory(struct kproc *k, const char *name)
{
	bench_outf((double)bench_status_kb(k->pid, "VmRSS"), "kB", "%s_vmrss", name);
	bench_outf((double)bench_status_kb(k->pid, "VmHWM"), "kB", "%s_vmhwm", name);
}

static int paper_profile(const char *dir)
{
	struct kerr err = KERR_INIT;
	struct kt_loop *loop = kt_loop_new(NULL, &err);
	uint64_t ms[5], cpu_ms[5];
	int rc = 0;
	for (int run = 0; run < 5 && rc == 0; run++) {
		struct kproc k;
		uint64_t t0 = kt_mono_ns();
		if (kproc_start(loop, &k, dir, "paper", 120, 40) < 0)
			return -1;
		if (!bench_run_until(loop, shows, &k, 15000)) {
			fprintf(stderr,
			        "bench_pty: krakterm (paper) never showed the book; it wrote "
			        "%llu bytes\n",
			        (unsigned long long)k.bytes);
			dump(&k, "startup");
			rc = -1;
		}
		ms[run] = (kt_mono_ns() - t0) / 1000000;
		cpu_ms[run] = bench_pid_cpu_ns(k.pid) / 1000000;
		k.keep = false;
		if (run == 0 && rc == 0) {
			bench_run_for(loop, 1000); /* let it settle */
			measure(loop, &k, (unsigned)(10000 * bench_scale()), "tui_paper_120x40");
			memory(&k, "tui_paper");
		}
		kproc_stop(loop, &k);
	}
	if (rc == 0) {
		uint64_t sorted[5];
		memcpy(sorted, ms, sizeof sorted);
		/* The first launch creates the paper account; the others load it. */
		bench_out("tui_startup_first", (double)ms[0], "ms");
		bench_out("tui_startup_median", (double)bench_percentile(sorted + 1, 4, 50), "ms");
		bench_out("tui_startup_max", (double)bench_percentile(sorted + 1, 4, 100), "ms");
		/* krakterm's CPU time up to that frame: the work, without waits for a core
		 * (/proc counts in clock ticks: 10 ms steps). */
		memcpy(sorted, cpu_ms, sizeof sorted);
		bench_out("tui_startup_cpu_median", (double)bench_percentile(sorted + 1, 4, 50),
		          "ms");
		for (int i = 0; i < 5; i++)
			fprintf(stderr, "# start-up %d: %llu ms, %llu ms of CPU\n", i + 1,
			        (unsigned long long)ms[i], (unsigned long long)cpu_ms[i]);
	}
	kt_loop_free(loop);
	return rc;
}

/* ---- 3: a moving market from our own paper exchange ---- */

struct feed {
	struct kt_loop *loop;
	struct paper *paper;
	struct bmarket mk;
	unsigned rate;
	uint64_t start_ns, made;
};

static void feed_tick(void *arg)
{
	struct feed *f = arg;
	uint64_t due = (kt_mono_ns() - f->start_ns) * f->rate / 1000000000u;
	for (; f->made < due; f->made++)
		bmarket_op(&f->mk, 0);
}

/* krakterm at cols x rows while BTC/USD changes `rate` times a second. */
static int feed_run(struct feed *f, const char *dir, int cols, int rows, unsigned rate, double secs)
{
	struct kproc k;
	if (kproc_start(f->loop, &k, dir, "feed", cols, rows) < 0)
		return -1;
	int rc = 0;
	if (!bench_run_until(f->loop, shows, &k, 15000)) {
		fprintf(stderr, "bench_pty: krakterm (feed) never showed the book\n");
		dump(&k, "feed");
		rc = -1;
		goto out;
	}
	k.keep = false;
	bench_run_for(f->loop, 1000);  /* let it settle */
	if (getenv("KT_BENCH_DUMP")) { /* keep what the measurement wrote */
		sbuf_reset(&k.out);
		k.keep = true;
	}
	f->rate = rate;
	f->made = 0;
	f->start_ns = kt_mono_ns();
	struct kt_timer *t = rate ? kt_timer_start(f->loop, 1, 1, feed_tick, f) : NULL;
	char name[64];
	if (rate)
		snprintf(name, sizeof name, "tui_%dx%d_rate%u", cols, rows, rate);
	else
		snprintf(name, sizeof name, "tui_idle_%dx%d", cols, rows);
	measure(f->loop, &k, (unsigned)(secs * 1000), name);
	kt_timer_stop(t);
	if (rate == 1000 && cols == 200)
		memory(&k, "tui_feed");
	dump(&k, name);
	fprintf(stderr, "# %dx%d at %u changes/s: %llu changes\n", cols, rows, rate,
	        (unsigned long long)f->made);
out:
	kproc_stop(f->loop, &k);
	return rc;
}

static int feed_profile(const char *dir)
{
	struct feed f;
	memset(&f, 0, sizeof f);
	struct kerr err = KERR_INIT;
	f.loop = kt_loop_new(NULL, &err);
	struct paper_opts po = {
	        .state_path = "", .reset = true, .users = 1, .adapters = paper_embed_adapters()};
	f.paper = f.loop ? paper_start(kt_loop_uv(f.loop), &po, &err) : NULL;
	if (!f.paper) {
		fprintf(stderr, "bench_pty: paper: %s\n", err.msg);
		kt_loop_free(f.loop);
		return -1;
	}
	bmarket_init(&f.mk, f.paper->px, 77);
	bmarket_add(&f.mk, "BTC/USD", 200);
	bmarket_add(&f.mk, "PF_XBTUSD", 50);
	struct paper_urls u;
	paper_urls(f.paper, &u);
	char cfg[2048], path[700];
	snprintf(path, sizeof path, "%s/c/krakterm", dir);
	mkdir(path, 0700);
	snprintf(cfg, sizeof cfg,
	         "profiles: { feed: {\n"
	         "  spot: { rest_url = \"%s\"; ws_url = \"%s\"; ws_auth_url = \"%s\"; };\n"
	         "  futures: { rest_url = \"%s\"; ws_url = \"%s\"; };\n"
	         "  dead_man_switch = 0; journal = false; }; };\n",
	         u.spot_rest, u.spot_ws_public, u.spot_ws_private, u.fut_rest, u.fut_ws);
	snprintf(path, sizeof path, "%s/c/krakterm/config", dir);
	write_file(path, cfg);
	double secs = 5.0 * bench_scale();
	int rc = feed_run(&f, dir, 200, 60, 0, 2 * secs);
	static const unsigned rates[] = {100, 1000, 10000};
	for (size_t i = 0; i < 3 && rc == 0; i++)
		rc = feed_run(&f, dir, 200, 60, rates[i], secs);
	if (rc == 0)
		rc = feed_run(&f, dir, 80, 24, 1000, secs);
	bmarket_free(&f.mk);
	bool done = false;
	paper_stop(f.paper, paper_stopped, &done);
	bench_run_until(f.loop, flag_set, &done, 5000);
	kt_loop_free(f.loop);
	return rc;
}

/* Usage: bench_pty [paper|feed] (default: both). */
int main(int argc, char **argv)
{
	klog_set_level(KLOG_ERROR);
	signal(SIGPIPE, SIG_IGN);
	if (access(bin(), X_OK) != 0) {
		fprintf(stderr, "bench_pty: no krakterm at %s (set KT_BIN)\n", bin());
		return 1;
	}
	char dir[512];
	if (bench_tmpdir(dir, sizeof dir) < 0)
		return 1;
	char sub[600];
	static const char *const subs[] = {"c", "s", "d"};
	for (int i = 0; i < 3; i++) {
		snprintf(sub, sizeof sub, "%s/%s", dir, subs[i]);
		mkdir(sub, 0700);
	}
	const char *only = argc > 1 ? argv[1] : "";
	int rc = 0;
	if (!only[0] || strcmp(only, "paper") == 0)
		rc = paper_profile(dir);
	if (rc == 0 && (!only[0] || strcmp(only, "feed") == 0))
		rc = feed_profile(dir);
	bench_rmdir(dir);
	return rc ? 1 : 0;
}
