/* resilience_util: the exchange + client fixture of the fault scenarios. */
#include "tests/unit/resilience_util.h"

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <uv.h>

#include "base/log.h"
#include "base/xalloc.h"
#include "net/loop.h"
#include "tests/unit/unit.h"

/* The simulated instruments: enough for both products, cheap on 2 cores. */
static const char *const rz_sim_instruments[] = {"BTC/USD", "ETH/USD", "PF_XBTUSD", "PF_ETHUSD",
                                                 NULL};

unsigned rz_ms(unsigned ms)
{
	const char *s = getenv("KT_TEST_TIME_SCALE");
	int v = s ? atoi(s) : 1;
	return ms * (unsigned)(v > 0 ? v : 1);
}

int64_t rz_now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* ---- the state's events ---- */

static void listener(void *ctx, const struct state_event *ev)
{
	struct rz *z = ctx;
	if (ev->kind == EV_FEED && ev->instr >= 0 && ev->instr < FEED_COUNT) {
		enum feed_id f = (enum feed_id)ev->instr;
		bool up = z->st.feeds[f].state == FEED_UP;
		bool was_up = z->feed_up_ms[f] > z->feed_down_ms[f];
		if (up && !was_up) {
			z->feed_ups[f]++;
			z->feed_up_ms[f] = rz_now_ms();
		} else if (!up && was_up) {
			z->feed_downs[f]++;
			z->feed_down_ms[f] = rz_now_ms();
		}
	} else if (ev->kind == EV_BOOK && ev->instr == z->watch_instr && z->watch_instr >= 0) {
		const struct market *m = state_market_peek(&z->st, ev->instr);
		if (m && m->stale) {
			z->stale_seen++;
			z->was_stale = true;
		} else if (m && m->book.valid && z->was_stale) {
			z->fresh_again++;
			z->was_stale = false;
		}
	}
}

static void on_ready(void *arg, const char *error)
{
	struct rz *z = arg;
	z->ready = true;
	if (error)
		snprintf(z->error, sizeof z->error, "%s", error);
}

/* ---- waiting ---- */

static void wake(void *arg)
{
	(void)arg; /* only wakes the loop so the condition is looked at again */
}

bool rz_wait(struct rz *z, rz_cond cond, void *arg, unsigned timeout_ms)
{
	int64_t deadline = rz_now_ms() + rz_ms(timeout_ms);
	struct kt_timer *t = kt_timer_start(z->loop, 5, 5, wake, NULL);
	bool ok;
	while (!(ok = cond(z, arg)) && rz_now_ms() < deadline)
		uv_run(kt_loop_uv(z->loop), UV_RUN_ONCE);
	kt_timer_stop(t);
	return ok;
}

static bool never(struct rz *z, void *arg)
{
	(void)z;
	return rz_now_ms() >= *(int64_t *)arg;
}

void rz_pump(struct rz *z, unsigned ms)
{
	int64_t until = rz_now_ms() + ms;
	rz_wait(z, never, &until, ms + 1000);
}

static bool is_ready(struct rz *z, void *arg)
{
	(void)arg;
	return z->ready;
}

bool rz_feed_is_up(struct rz *z, void *feed)
{
	return z->st.feeds[(enum feed_id)(intptr_t)feed].state == FEED_UP;
}

bool rz_all_feeds_up(struct rz *z, void *unused)
{
	(void)unused;
	for (int f = 0; f < FEED_COUNT; f++)
		if (z->st.feeds[f].state != FEED_UP)
			return false;
	return true;
}

/* ---- open / close ---- */

static int rm_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	remove(path);
	return 0;
}

/* The loop and the state (and the log, when asked for). */
static void begin(struct rz *z)
{
	memset(z, 0, sizeof *z);
	z->watch_instr = -1;
	if (getenv("KT_TEST_LOG")) {
		klog_set_stderr(1);
		klog_set_level(KLOG_DEBUG);
	}
	struct kerr err = KERR_INIT;
	z->loop = kt_loop_new(NULL, &err);
	if (!z->loop)
		fail_msg("loop: %s", err.msg);
	state_init(&z->st);
	state_listen(&z->st, listener, z);
}

/* The client, wired as src/app/backend.c wires it; waits until it is ready. */
static void connect_client(struct rz *z, const struct px_keys *k, const struct rz_opts *o)
{
	struct kerr err = KERR_INIT;
	struct kraken_client_cfg kc = {
	        .spot = {z->urls.spot_rest, z->urls.spot_ws_public, z->urls.spot_ws_private,
	                 k->spot_key, k->spot_secret},
	        .futures = {z->urls.fut_rest, z->urls.fut_ws, NULL, k->fut_key, k->fut_secret},
	        .tier = o->tier,
	        .nonce_dir = z->nonce_dir,
	        .feeds = !o->no_feeds,
	        .private_feeds = !o->no_feeds,
	};
	z->kc = kraken_client_new(z->loop, &z->st, &kc, &err);
	if (!z->kc)
		fail_msg("client: %s", err.msg);
	kraken_client_start(z->kc, on_ready, z);
	if (!rz_wait(z, is_ready, NULL, 30000))
		fail_msg("the client did not get ready");
	if (z->error[0])
		fail_msg("the client failed to start: %s", z->error);
	if (!o->no_feeds && !rz_wait(z, rz_all_feeds_up, NULL, 30000))
		fail_msg("feeds did not come up: %s %s %s %s",
		         feed_state_name(z->st.feeds[0].state),
		         feed_state_name(z->st.feeds[1].state),
		         feed_state_name(z->st.feeds[2].state),
		         feed_state_name(z->st.feeds[3].state));
}

void rz_open(struct rz *z, const struct rz_opts *o)
{
	static const struct rz_opts none;
	if (!o)
		o = &none;
	begin(z);
	const char *tmp = getenv("TMPDIR");
	snprintf(z->dir, sizeof z->dir, "%s/kt-resil-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	assert_non_null(mkdtemp(z->dir));
	snprintf(z->nonce_dir, sizeof z->nonce_dir, "%s/nonces", z->dir);
	snprintf(z->state_path, sizeof z->state_path, "%s/paper-state.json", z->dir);

	/* Money on both sides so that orders of both products pass the funds checks. */
	static struct paper_balance bal[2];
	bal[0] = (struct paper_balance){"USD", dec_from_int(1000000), false};
	bal[1] = (struct paper_balance){"USD", dec_from_int(1000000), true};
	struct paper_opts po = {
	        .port = 0,
	        .state_path = o->state_file ? z->state_path : "",
	        .reset = true,
	        .balances = bal,
	        .nbalances = 2,
	        .users = 1,
	        .id_seed = 42,
	};
	struct sim_opts so = {
	        .seed = 7,
	        .rate = o->sim_rate ? o->sim_rate : 50,
	        .instruments = rz_sim_instruments,
	};
	struct kerr err = KERR_INIT;
	if (paper_run_start(&z->run, z->loop, &po, &so, true, &err) < 0)
		fail_msg("paper exchange: %s", err.msg);
	if (o->early_faults)
		rz_faults(z, o->early_faults);
	paper_urls(z->run.p, &z->urls);
	if (o->no_client)
		return;
	struct px_keys k;
	assert_int_equal(paper_keys(z->run.p, 1, &k), 0);
	connect_client(z, &k, o);
	xwipe(&k, sizeof k);
}

void rz_connect(struct rz *z, const struct paper_urls *urls, const struct px_keys *k,
                const char *nonce_dir, const struct rz_opts *o)
{
	static const struct rz_opts none;
	begin(z);
	z->run.stopped = true; /* no exchange of ours */
	z->urls = *urls;
	snprintf(z->nonce_dir, sizeof z->nonce_dir, "%s", nonce_dir);
	connect_client(z, k, o ? o : &none);
}

static bool run_stopped(struct rz *z, void *arg)
{
	(void)arg;
	return z->run.stopped;
}

void rz_close(struct rz *z)
{
	kraken_client_free(z->kc);
	z->kc = NULL;
	paper_run_stop(&z->run);
	if (!rz_wait(z, run_stopped, NULL, 10000))
		fail_msg("the paper exchange did not stop");
	state_free(&z->st);
	kt_loop_free(z->loop);
	z->loop = NULL;
	if (z->dir[0])
		nftw(z->dir, rm_entry, 8, FTW_DEPTH | FTW_PHYS);
}

int rz_setup(void **state)
{
	*state = xcalloc(1, sizeof(struct rz));
	return 0;
}

int rz_teardown(void **state)
{
	struct rz *z = *state;
	if (z->loop)
		rz_close(z);
	free(z);
	return 0;
}

/* ---- the exchange ---- */

struct paper *rz_paper(struct rz *z)
{
	assert_non_null(z->run.p);
	return z->run.p;
}

struct px *rz_px(struct rz *z)
{
	return rz_paper(z)->px;
}

void rz_faults(struct rz *z, const char *json)
{
	struct kerr err = KERR_INIT;
	if (faults_configure(rz_paper(z), json, strlen(json), &err) < 0)
		fail_msg("faults %s: %s", json, err.msg);
}

struct faults_state *rz_fstate(struct rz *z)
{
	return faults_state_get(rz_paper(z));
}

int rz_instr(struct rz *z, const char *id)
{
	int i = state_find_instrument(&z->st, id);
	if (i < 0)
		fail_msg("no instrument %s in the client's state", id);
	return i;
}

const struct px_instr *rz_px_instr(struct rz *z, int instr)
{
	const struct instrument *in = state_instrument(&z->st, instr);
	assert_non_null(in);
	const struct px_instr *pi =
	        px_instr_find(rz_px(z), in->product == PRODUCT_SPOT ? PX_SPOT : PX_FUTURES, in->id);
	if (!pi)
		fail_msg("the exchange has no %s", in->id);
	return pi;
}

void rz_sim_stop(struct rz *z)
{
	if (z->run.sim)
		sim_stop(z->run.sim);
}

void rz_sim_start(struct rz *z)
{
	if (z->run.sim)
		sim_start(z->run.sim);
}

/* ---- books ---- */

struct book_arg {
	int instr;
};

static bool book_live(struct rz *z, void *arg)
{
	int instr = ((struct book_arg *)arg)->instr;
	const struct market *m = state_market_peek(&z->st, instr);
	return m && m->book.valid && !m->stale && book_count(&m->book, SIDE_BUY) > 0 &&
	       book_count(&m->book, SIDE_SELL) > 0;
}

void rz_watch(struct rz *z, int instr, int depth)
{
	z->watch_instr = instr;
	intent_watch(&z->st, instr, depth);
	struct book_arg a = {instr};
	if (!rz_wait(z, book_live, &a, 20000))
		fail_msg("the book of %s did not arrive", state_instrument(&z->st, instr)->id);
}

bool rz_book_equal(struct rz *z, int instr, size_t levels, char *why, size_t cap)
{
	const struct market *m = state_market_peek(&z->st, instr);
	if (!m || !m->book.valid || m->stale) {
		snprintf(why, cap, "the client's book is %s",
		         !m               ? "missing"
		         : !m->book.valid ? "not valid"
		                          : "stale");
		return false;
	}
	const struct px_instr *pi = rz_px_instr(z, instr);
	size_t want = levels ? levels : 100000;
	struct px_level *lv = xcalloc(want, sizeof *lv);
	bool ok = true;
	for (int s = 0; s < 2 && ok; s++) {
		enum side side = s ? SIDE_SELL : SIDE_BUY;
		size_t n = px_depth(rz_px(z), pi, s ? ENGINE_SELL : ENGINE_BUY, lv, want);
		size_t have = book_count(&m->book, side);
		if (have != n) {
			snprintf(why, cap, "%s side: the client has %zu levels, the exchange %zu",
			         side_name(side), have, n);
			ok = false;
			break;
		}
		for (size_t i = 0; i < n; i++) {
			const struct book_level *b = book_level_at(&m->book, side, i);
			if (dec_eq(book_px_dec(&m->book, b->px), lv[i].price) &&
			    dec_eq(book_qty_dec(&m->book, b->qty), lv[i].qty))
				continue;
			char p1[48], q1[48], p2[48], q2[48];
			dec_fmt_trim(book_px_dec(&m->book, b->px), p1, sizeof p1);
			dec_fmt_trim(book_qty_dec(&m->book, b->qty), q1, sizeof q1);
			dec_fmt_trim(lv[i].price, p2, sizeof p2);
			dec_fmt_trim(lv[i].qty, q2, sizeof q2);
			snprintf(why, cap, "%s level %zu: client %s x %s, exchange %s x %s",
			         side_name(side), i, p1, q1, p2, q2);
			ok = false;
			break;
		}
	}
	free(lv);
	return ok;
}

struct eq_arg {
	int instr;
	size_t levels;
	char why[200];
};

static bool books_equal(struct rz *z, void *arg)
{
	struct eq_arg *a = arg;
	return rz_book_equal(z, a->instr, a->levels, a->why, sizeof a->why);
}

size_t rz_assert_books_equal(struct rz *z, int instr, size_t levels)
{
	struct eq_arg a = {instr, levels, ""};
	if (!rz_wait(z, books_equal, &a, 15000))
		fail_msg("%s: books differ: %s", state_instrument(&z->st, instr)->id, a.why);
	const struct market *m = state_market_peek(&z->st, instr);
	size_t nb = book_count(&m->book, SIDE_BUY), ns = book_count(&m->book, SIDE_SELL);
	return nb < ns ? nb : ns;
}

/* ---- orders ---- */

static dec_t min_size(const struct instrument *in)
{
	return dec_is_zero(in->min_size) ? in->lot : in->min_size;
}

struct order_req rz_passive_limit(struct rz *z, int instr, enum side side, int away_pct, int mult)
{
	const struct instrument *in = state_instrument(&z->st, instr);
	struct px_level best;
	if (px_best(rz_px(z), rz_px_instr(z, instr), side == SIDE_BUY ? ENGINE_BUY : ENGINE_SELL,
	            &best) < 0)
		fail_msg("%s has no %s side", in->id, side_name(side));
	dec_t f = dec_make(side == SIDE_BUY ? 100 - away_pct : 100 + away_pct, 2), px, price;
	assert_int_equal(dec_mul(best.price, f, 12, DEC_HALF_EVEN, &px), 0);
	assert_int_equal(
	        dec_round_step(px, in->tick, side == SIDE_BUY ? DEC_FLOOR : DEC_CEIL, &price), 0);
	struct order_req r;
	memset(&r, 0, sizeof r);
	r.instr = instr;
	r.side = side;
	r.type = OT_LIMIT;
	r.tif = TIF_GTC;
	r.limit_price = price;
	assert_int_equal(dec_mul_exact(min_size(in), dec_from_int(mult), &r.qty), 0);
	return r;
}

struct order_req rz_market(struct rz *z, int instr, enum side side, int mult)
{
	const struct instrument *in = state_instrument(&z->st, instr);
	struct order_req r;
	memset(&r, 0, sizeof r);
	r.instr = instr;
	r.side = side;
	r.type = OT_MARKET;
	r.tif = TIF_GTC;
	assert_int_equal(dec_mul_exact(min_size(in), dec_from_int(mult), &r.qty), 0);
	return r;
}

static void placed(void *arg, const struct intent_result *res)
{
	struct rz_pending *p = arg;
	p->res = *res;
	p->done = true;
}

void rz_place_start(struct rz *z, struct order_req *req, struct rz_pending *pend)
{
	struct kerr err = KERR_INIT;
	memset(pend, 0, sizeof *pend);
	if (intent_place(&z->st, req, placed, pend, &err) < 0)
		fail_msg("intent_place refused: %s", err.msg);
}

bool rz_pending_done(struct rz *z, void *pend)
{
	(void)z;
	return ((struct rz_pending *)pend)->done;
}

struct intent_result rz_place(struct rz *z, struct order_req *req)
{
	struct rz_pending p;
	rz_place_start(z, req, &p);
	if (!rz_wait(z, rz_pending_done, &p, 30000))
		fail_msg("no result for the order %s", req->cl_id);
	return p.res;
}

struct cl_count {
	size_t n;
	char *id;
	size_t cap;
};

static void count_cl(void *arg, const struct px_order *o)
{
	struct cl_count *c = arg;
	c->n++;
	if (c->id)
		snprintf(c->id, c->cap, "%s", o->id);
}

size_t rz_px_count_cl(struct rz *z, int product, const char *cl_id, char *id_out, size_t cap)
{
	struct px_filter f = px_filter_all(product);
	f.cl_ord_id = cl_id;
	struct cl_count c = {0, id_out, cap};
	if (id_out && cap)
		id_out[0] = '\0';
	px_open_orders(rz_px(z), 1, &f, count_cl, &c);
	px_closed_orders(rz_px(z), 1, &f, count_cl, &c);
	return c.n;
}

size_t rz_px_open_count(struct rz *z, int product)
{
	struct px_filter f = px_filter_all(product);
	return px_open_orders(rz_px(z), 1, &f, NULL, NULL);
}

struct agree {
	struct rz *z;
	char *why;
	size_t cap;
	bool ok;
	size_t n;
	const char **cl; /* client ids seen so far */
};

static void check_px_order(void *arg, const struct px_order *o)
{
	struct agree *a = arg;
	if (!a->ok)
		return;
	const struct order *s = state_order_get(&a->z->st, o->id);
	if (!s || !order_status_is_open(s->status)) {
		snprintf(a->why, a->cap,
		         "order %s (%s) is open at the exchange but %s in the client", o->id,
		         o->cl_ord_id, s ? order_status_name(s->status) : "unknown");
		a->ok = false;
		return;
	}
	for (size_t i = 0; o->cl_ord_id[0] && i < a->n; i++) {
		if (strcmp(a->cl[i], o->cl_ord_id) == 0) {
			snprintf(a->why, a->cap, "client order id %s is used twice", o->cl_ord_id);
			a->ok = false;
			return;
		}
	}
	a->cl = xrealloc(a->cl, (a->n + 1) * sizeof *a->cl);
	a->cl[a->n++] = o->cl_ord_id;
}

bool rz_orders_agree(struct rz *z, char *why, size_t cap)
{
	char dummy[8];
	if (!why) {
		why = dummy;
		cap = sizeof dummy;
	}
	struct agree a = {z, why, cap, true, 0, NULL};
	struct px_filter f = px_filter_all(-1);
	px_open_orders(rz_px(z), 1, &f, check_px_order, &a);
	/* the id lookups use px's own strings: done before px changes again */
	free(a.cl);
	for (size_t i = 0; a.ok && i < z->st.norders; i++) {
		const struct order *o = &z->st.orders[i];
		if (!order_status_is_open(o->status))
			continue;
		const struct px_order *x = px_order_find(rz_px(z), 1, o->id);
		if (!x || !px_order_is_open(x)) {
			snprintf(why, cap, "order %s is open in the client but %s at the exchange",
			         o->id, x ? "closed" : "unknown");
			a.ok = false;
		}
	}
	return a.ok;
}

struct agree_arg {
	char why[200];
};

static bool agree_cond(struct rz *z, void *arg)
{
	struct agree_arg *a = arg;
	return rz_orders_agree(z, a->why, sizeof a->why);
}

size_t rz_assert_orders_agree(struct rz *z)
{
	struct agree_arg a = {""};
	if (!rz_wait(z, agree_cond, &a, 15000))
		fail_msg("orders disagree: %s", a.why);
	struct px_filter f = px_filter_all(-1);
	return px_open_orders(rz_px(z), 1, &f, NULL, NULL);
}
