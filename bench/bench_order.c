/* bench_order: keystroke to wire. The app's machinery without a terminal:
 * the paper exchange (paper_start, the app's adapters) and the Kraken client
 * (kraken_client: REST, both WebSocket feeds, private feeds) on one loop,
 * the headless UI on the client's state with the shipped key map.
 *
 * Each order goes through the UI's key path: "b" opens the ticket (a buy
 * limit at the best bid), "0.0001" is typed, Enter reviews, and the timer
 * starts just before "y" confirms. The request is timed to the moment the
 * paper server hands the complete AddOrder request to its Spot REST adapter
 * (a server-side receive stamp on the same clock, so it includes the
 * server's reading, parsing and signature check: an upper bound of "the last
 * byte left the socket"). Also reported: key to the gateway call (UI and
 * validation), and key to the result (the whole round trip). The loop runs
 * exactly as in krakterm, so the times include its scheduling.
 *
 * 1002 orders, 167 on each of the six Spot pairs (a UI per pair, started on
 * it): the client keeps Kraken's matching-engine rate limit per pair and
 * would otherwise make orders wait their turn (at the Pro tier used here, 180
 * orders a pair at once, then 3.75 a second) — that wait is policy, not
 * latency. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "app/paper_embed.h"
#include "base/clock.h"
#include "base/log.h"
#include "base/xalloc.h"
#include "bench/bench_loop.h"
#include "bench/bench_market.h"
#include "bench/bench_util.h"
#include "core/state.h"
#include "kraken/client.h"
#include "net/loop.h"
#include "paper/server.h"
#include "ui/ui.h"

struct ob {
	struct kt_loop *loop;
	struct paper *paper;
	struct state st;
	struct kraken_client *kc;
	struct ui *ui;
	bool ready;
	char ready_err[256];
	const char *pair; /* the UI's instrument */
	/* the wrapped gateway */
	const struct gateway_ops *real_ops;
	void *real_gw;
	struct gateway_ops ops;
	uint64_t places, done, t_gw, t_srv, t_done, cpu_srv;
	int last_status;
	char last_msg[256];
};

/* The paper adapter and the gateway wrapper need the benchmark: C callbacks
 * with fixed signatures leave no other way in than this one pointer. */
static struct ob *the_ob;
static void (*real_spot_rest)(struct paper *p, struct http_request *req);

static void stamp_spot_rest(struct paper *p, struct http_request *req)
{
	if (the_ob && strstr(req->path, "/AddOrder") && !the_ob->t_srv) {
		the_ob->t_srv = kt_mono_ns();
		the_ob->cpu_srv = bench_thread_cpu_ns();
	}
	real_spot_rest(p, req);
}

/* Pairs and order sizes (twice each pair's minimum). */
static const struct {
	const char *name, *size;
} pairs[] = {{"BTC/USD", "0.0001"}, {"ETH/USD", "0.004"}, {"SOL/USD", "0.04"},
             {"XRP/USD", "10"},     {"ETH/BTC", "0.004"}, {"BTC/EUR", "0.0001"}};
#define NPAIRS   (sizeof pairs / sizeof pairs[0])
#define PER_PAIR 167
#define WARMUP   5

struct relay {
	intent_cb cb;
	void *arg;
};

static void place_done(void *arg, const struct intent_result *res)
{
	struct relay *r = arg;
	the_ob->t_done = kt_mono_ns();
	the_ob->done++;
	the_ob->last_status = (int)res->status;
	snprintf(the_ob->last_msg, sizeof the_ob->last_msg, "%s", res->message);
	if (r->cb)
		r->cb(r->arg, res);
	free(r);
}

static int wrap_place(void *gw, const struct order_req *req, intent_cb cb, void *arg,
                      struct kerr *err)
{
	struct ob *ob = the_ob;
	ob->t_gw = kt_mono_ns();
	ob->places++;
	struct relay *r = xcalloc(1, sizeof *r);
	r->cb = cb;
	r->arg = arg;
	int rc = ob->real_ops->place(gw, req, place_done, r, err);
	if (rc < 0)
		free(r);
	return rc;
}

static void on_ready(void *arg, const char *error)
{
	struct ob *ob = arg;
	ob->ready = true;
	if (error)
		snprintf(ob->ready_err, sizeof ob->ready_err, "%s", error);
}

static bool is_ready(void *arg)
{
	return ((struct ob *)arg)->ready;
}

static bool book_there(void *arg)
{
	struct ob *ob = arg;
	int i = state_find_instrument(&ob->st, ob->pair);
	const struct market *m = state_market_peek(&ob->st, i);
	return m && m->book.valid && book_count(&m->book, SIDE_BUY) > 0;
}

static bool srv_got(void *arg)
{
	return ((struct ob *)arg)->t_srv != 0;
}
static bool completed(void *arg)
{
	struct ob *ob = arg;
	return ob->done == ob->places;
}

static void key(struct ob *ob, const char *name)
{
	char u[8] = "";
	if (strlen(name) == 1)
		snprintf(u, sizeof u, "%s", name);
	ui_key(ob->ui, name, u, (int64_t)kt_mono_ms());
}

static void paper_stopped(void *arg)
{
	*(bool *)arg = true;
}
static bool flag_set(void *arg)
{
	return *(bool *)arg;
}

static int setup(struct ob *ob, const char *tmp)
{
	struct kerr err = KERR_INIT;
	ob->loop = kt_loop_new(NULL, &err);
	if (!ob->loop)
		return fprintf(stderr, "bench_order: %s\n", err.msg), -1;
	struct paper_adapters ad = *paper_embed_adapters();
	real_spot_rest = ad.spot_rest_handle;
	ad.spot_rest_handle = stamp_spot_rest;
	static const struct paper_balance bal[] = {{"USD", {1000000, 0}, false},
	                                           {"EUR", {1000000, 0}, false},
	                                           {"XBT", {100, 0}, false}};
	struct paper_opts po = {.state_path = "",
	                        .reset = true,
	                        .users = 1,
	                        .id_seed = 7,
	                        .adapters = &ad,
	                        .balances = bal,
	                        .nbalances = 3};
	ob->paper = paper_start(kt_loop_uv(ob->loop), &po, &err);
	if (!ob->paper)
		return fprintf(stderr, "bench_order: paper: %s\n", err.msg), -1;
	struct bmarket mk;
	bmarket_init(&mk, ob->paper->px, 99);
	for (size_t i = 0; i < NPAIRS; i++)
		bmarket_add(&mk, pairs[i].name, 50);
	bmarket_free(&mk);
	struct paper_urls u;
	paper_urls(ob->paper, &u);
	struct px_keys k;
	paper_keys(ob->paper, 1, &k);
	char nonce_dir[600];
	snprintf(nonce_dir, sizeof nonce_dir, "%s/nonces", tmp);
	mkdir(nonce_dir, 0700);
	state_init(&ob->st);
	struct kraken_client_cfg kc = {
	        .spot = {u.spot_rest, u.spot_ws_public, u.spot_ws_private, k.spot_key,
	                 k.spot_secret},
	        .futures = {u.fut_rest, u.fut_ws, NULL, k.fut_key, k.fut_secret},
	        .tier = KRAKEN_TIER_PRO,
	        .nonce_dir = nonce_dir,
	        .feeds = true,
	        .private_feeds = true,
	};
	ob->kc = kraken_client_new(ob->loop, &ob->st, &kc, &err);
	if (!ob->kc)
		return fprintf(stderr, "bench_order: client: %s\n", err.msg), -1;
	kraken_client_start(ob->kc, on_ready, ob);
	if (!bench_run_until(ob->loop, is_ready, ob, 15000) || ob->ready_err[0])
		return fprintf(stderr, "bench_order: not ready: %s\n", ob->ready_err), -1;
	/* Wrap the gateway the client registered. */
	ob->real_ops = ob->st.gw_ops;
	ob->real_gw = ob->st.gw;
	ob->ops = *ob->real_ops;
	ob->ops.place = wrap_place;
	state_set_gateway(&ob->st, &ob->ops, ob->real_gw);
	return 0;
}

/* A headless UI started on `pair`, once its book is in. */
static int open_ui(struct ob *ob, const char *tmp, const char *pair)
{
	struct kerr err = KERR_INIT;
	struct ui_opts o = {
	        .profile = "paper",
	        .confirm = true,
	        .theme = "dark",
	        .keymap = "default",
	        .config_dir = tmp,
	        .data_dir = bench_srcdir(),
	        .headless = true,
	        .width = 120,
	        .height = 40,
	        .start_instrument = pair,
	};
	if (ui_new(&ob->ui, &ob->st, &o, &err) < 0)
		return fprintf(stderr, "bench_order: ui: %s\n", err.msg), -1;
	ob->pair = pair;
	if (!bench_run_until(ob->loop, book_there, ob, 10000))
		return fprintf(stderr, "bench_order: no %s book\n", pair), -1;
	return 0;
}

static void teardown(struct ob *ob)
{
	ui_free(ob->ui);
	kraken_client_free(ob->kc);
	if (ob->paper) {
		bool done = false;
		paper_stop(ob->paper, paper_stopped, &done);
		bench_run_until(ob->loop, flag_set, &done, 5000);
	}
	kt_loop_free(ob->loop);
	state_free(&ob->st);
}

/* One order through the keys; fills the three durations (ns). */
static int one_order(struct ob *ob, const char *size, uint64_t *to_gw, uint64_t *to_wire,
                     uint64_t *to_done, uint64_t *cpu_to_wire)
{
	key(ob, "b");
	for (const char *s = size; *s; s++) {
		char k[2] = {*s, 0};
		key(ob, k);
	}
	key(ob, "Enter");
	ui_render(ob->ui, (int64_t)kt_mono_ms()); /* the confirmation is on screen */
	uint64_t before = ob->places;
	ob->t_srv = 0;
	uint64_t t0 = kt_mono_ns(), c0 = bench_thread_cpu_ns();
	key(ob, "y");
	if (ob->places == before) {
		fprintf(stderr, "bench_order: the confirmation did not place the order\n");
		for (int y = 0; y < 40; y++)
			fprintf(stderr, "%s\n", ui_screen_row(ob->ui, y));
		return -1;
	}
	if (!bench_run_until(ob->loop, srv_got, ob, 5000) ||
	    !bench_run_until(ob->loop, completed, ob, 5000)) {
		fprintf(stderr, "bench_order: the order never reached the exchange\n");
		return -1;
	}
	if (ob->last_status != INTENT_OK) {
		fprintf(stderr, "bench_order: %s order refused: %s\n", ob->pair, ob->last_msg);
		return -1;
	}
	*to_gw = ob->t_gw - t0;
	*to_wire = ob->t_srv - t0;
	*to_done = ob->t_done - t0;
	*cpu_to_wire = ob->cpu_srv - c0;
	ui_render(ob->ui, (int64_t)kt_mono_ms());
	return 0;
}

int main(void)
{
	klog_set_level(KLOG_ERROR);
	char tmp[512];
	if (bench_tmpdir(tmp, sizeof tmp) < 0)
		return 1;
	struct ob ob;
	memset(&ob, 0, sizeof ob);
	the_ob = &ob;
	int rc = 1;
	size_t n = NPAIRS * PER_PAIR, k = 0;
	uint64_t *gw = calloc(n, sizeof *gw), *wire = calloc(n, sizeof *wire),
	         *done = calloc(n, sizeof *done), *cpu = calloc(n, sizeof *cpu);
	if (setup(&ob, tmp) < 0)
		goto out;
	for (size_t p = 0; p < NPAIRS; p++) {
		if (open_ui(&ob, tmp, pairs[p].name) < 0)
			goto out;
		uint64_t a, b, c, d;
		for (int i = 0; i < WARMUP; i++) /* the new book, the connection */
			if (one_order(&ob, pairs[p].size, &a, &b, &c, &d) < 0)
				goto out;
		for (int i = 0; i < PER_PAIR; i++, k++)
			if (one_order(&ob, pairs[p].size, &gw[k], &wire[k], &done[k], &cpu[k]) < 0)
				goto out;
		ui_free(ob.ui);
		ob.ui = NULL;
	}
	bench_out("order_key_to_wire_p50", (double)bench_percentile(wire, n, 50) / 1000.0, "us");
	bench_out("order_key_to_wire_p99", (double)bench_percentile(wire, n, 99) / 1000.0, "us");
	bench_out("order_key_to_wire_max", (double)bench_percentile(wire, n, 100) / 1000.0, "us");
	/* CPU time this thread spent between the key and the server's stamp:
	 * the work itself, without the waits for a core on a busy machine. */
	bench_out("order_key_to_wire_cpu_p50", (double)bench_percentile(cpu, n, 50) / 1000.0, "us");
	bench_out("order_key_to_wire_cpu_p99", (double)bench_percentile(cpu, n, 99) / 1000.0, "us");
	bench_out("order_key_to_gateway_p50", (double)bench_percentile(gw, n, 50) / 1000.0, "us");
	bench_out("order_key_to_gateway_p99", (double)bench_percentile(gw, n, 99) / 1000.0, "us");
	bench_out("order_key_to_result_p50", (double)bench_percentile(done, n, 50) / 1000.0, "us");
	bench_out("order_key_to_result_p99", (double)bench_percentile(done, n, 99) / 1000.0, "us");
	bench_out("order_count", (double)n, "orders");
	rc = 0;
out:
	teardown(&ob);
	the_ob = NULL;
	free(gw);
	free(wire);
	free(done);
	free(cpu);
	bench_rmdir(tmp);
	return rc;
}
