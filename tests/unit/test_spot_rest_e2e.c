/* test_spot_rest_e2e: the real Spot REST client (builders, signing, nonces,
 * transport, decoders) against the real paper exchange over HTTP, the
 * exchange running in its own process (tests/unit/spot_paper_helper).
 * Round trips: every order type built from a core order_req is placed, the
 * exchange holds exactly that order, and the client's decoded state equals
 * what the exchange holds (orders, fills, balances, instruments); then
 * place -> see it in OpenOrders -> amend -> cancel. */
#include <dirent.h>
#include <fcntl.h>
#include <libgen.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "base/clock.h"
#include "kraken/spot_rest.h"
#include "net/http_client.h"
#include "tests/unit/unit.h"


struct e2e {
	pid_t pid;
	FILE *to, *from;
	struct kt_loop *loop;
	struct state st;
	struct spot_rest *sr;
	char nonce_dir[256];
	uint64_t skew;
	bool got;
	struct intent_result ir;
	int done_rc;
	char done_msg[300];
};

static struct e2e *E;

/* ---- the helper process ---- */

static void helper_start(struct e2e *e, int *port, char *key, char *secret)
{
	char self[4096];
	ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
	assert_true(n > 0);
	self[n] = '\0';
	char path[4200];
	snprintf(path, sizeof path, "%s/spot_paper_helper", dirname(self));
	int in[2], out[2];
	assert_int_equal(pipe(in), 0);
	assert_int_equal(pipe(out), 0);
	posix_spawn_file_actions_t fa;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, in[0], 0);
	posix_spawn_file_actions_adddup2(&fa, out[1], 1);
	posix_spawn_file_actions_addclose(&fa, in[1]);
	posix_spawn_file_actions_addclose(&fa, out[0]);
	char *argv[] = {path, NULL};
	if (posix_spawn(&e->pid, path, &fa, NULL, argv, environ) != 0)
		fail_msg("cannot start %s", path);
	posix_spawn_file_actions_destroy(&fa);
	close(in[0]);
	close(out[1]);
	e->to = fdopen(in[1], "w");
	e->from = fdopen(out[0], "r");
	char line[512];
	if (!fgets(line, sizeof line, e->from) ||
	    sscanf(line, "READY %d %127s %127s", port, key, secret) != 3)
		fail_msg("the helper did not start");
}

/* Send a command; the first answer line into buf. */
static void ask(const char *cmd, char *buf, size_t cap)
{
	fprintf(E->to, "%s\n", cmd);
	fflush(E->to);
	if (!fgets(buf, (int)cap, E->from))
		fail_msg("the helper went away after \"%s\"", cmd);
	buf[strcspn(buf, "\n")] = '\0';
}

static void next_line(char *buf, size_t cap)
{
	if (!fgets(buf, (int)cap, E->from))
		fail_msg("the helper went away");
	buf[strcspn(buf, "\n")] = '\0';
}

static void helper_stop(struct e2e *e)
{
	fprintf(e->to, "quit\n");
	fclose(e->to);
	int status = 0;
	for (int i = 0; i < 500; i++) {
		if (waitpid(e->pid, &status, WNOHANG) == e->pid)
			goto done;
		nanosleep(&(struct timespec){0, 10000000}, NULL);
	}
	kill(e->pid, SIGKILL);
	waitpid(e->pid, &status, 0);
done:
	fclose(e->from);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

/* ---- the client ---- */

static void *io_http(void *ctx, const struct http_req_opts *o,
		     void (*cb)(void *arg, const struct http_result *res), void *arg)
{
	return http_request(((struct e2e *)ctx)->loop, o, cb, arg);
}

static void io_cancel(void *ctx, void *call)
{
	(void)ctx;
	http_cancel(call);
}

static void *io_timer(void *ctx, uint64_t ms, void (*cb)(void *arg), void *arg)
{
	return kt_timer_start(((struct e2e *)ctx)->loop, ms > 20 ? 20 : ms, 0, cb, arg);
}

static void io_timer_stop(void *ctx, void *t)
{
	(void)ctx;
	kt_timer_stop(t);
}

/* Kraken's counters see an hour pass at every reading: no test waits. */
static uint64_t io_mono(void *ctx)
{
	struct e2e *e = ctx;
	e->skew += 3600000;
	return kt_mono_ms() + e->skew;
}

static uint64_t io_wall(void *ctx)
{
	(void)ctx;
	return kt_wall_ms();
}

static uint32_t io_rand(void *ctx)
{
	(void)ctx;
	return 3;
}

static void watchdog(void *arg)
{
	bool *expired = arg;
	*expired = true;
	kt_loop_stop(E->loop);
}

static void wait_got(void)
{
	bool expired = false;
	struct kt_timer *t = kt_timer_start(E->loop, 10000, 0, watchdog, &expired);
	while (!E->got && !expired)
		kt_loop_run(E->loop);
	if (!expired)
		kt_timer_stop(t);
	if (!E->got)
		fail_msg("timed out waiting for the client");
	E->got = false;
}

static void on_done(void *arg, int rc, const char *msg)
{
	struct e2e *e = arg;
	e->done_rc = rc;
	snprintf(e->done_msg, sizeof e->done_msg, "%s", msg ? msg : "");
	e->got = true;
	kt_loop_stop(e->loop);
}

static void on_intent(void *arg, const struct intent_result *r)
{
	struct e2e *e = arg;
	e->ir = *r;
	e->got = true;
	kt_loop_stop(e->loop);
}

static int setup(void **s)
{
	(void)s;
	E = calloc(1, sizeof *E);
	int port;
	char key[128], secret[128];
	helper_start(E, &port, key, secret);
	struct kerr e = KERR_INIT;
	E->loop = kt_loop_new(NULL, &e);
	assert_non_null(E->loop);
	const char *tmp = getenv("TMPDIR");
	snprintf(E->nonce_dir, sizeof E->nonce_dir, "%s/kt-sre2e-XXXXXX", tmp ? tmp : "/tmp");
	assert_non_null(mkdtemp(E->nonce_dir));
	char url[64];
	snprintf(url, sizeof url, "http://127.0.0.1:%d", port);
	state_init(&E->st);
	struct spot_rest_cfg cfg = {.base_url = url,
				    .api_key = key,
				    .api_secret = secret,
				    .nonce_dir = E->nonce_dir,
				    .tier = KRAKEN_TIER_PRO,
				    .timeout_ms = 10000,
				    .reconcile_delay_ms = 10,
				    .backoff_base_ms = 10,
				    .public_per_s_milli = 1000000};
	E->sr = spot_rest_new(E->loop, &E->st, &cfg, &e);
	if (!E->sr)
		fail_msg("client: %s", e.msg);
	struct spot_rest_io io = {E,	   io_http, io_cancel, io_timer, io_timer_stop,
				  io_mono, io_wall, io_rand};
	spot_rest_set_io(E->sr, &io);
	assert_int_equal(spot_rest_load_instruments(E->sr, &E->st, on_done, E), 0);
	wait_got();
	if (E->done_rc)
		fail_msg("AssetPairs: %s", E->done_msg);
	return 0;
}

static void rm_dir(const char *dir)
{
	DIR *d = opendir(dir);
	if (d) {
		struct dirent *de;
		while ((de = readdir(d))) {
			if (de->d_name[0] == '.')
				continue;
			char p[600];
			snprintf(p, sizeof p, "%s/%s", dir, de->d_name);
			unlink(p);
		}
		closedir(d);
	}
	rmdir(dir);
}

static int teardown(void **s)
{
	(void)s;
	spot_rest_free(E->sr);
	kt_loop_free(E->loop);
	state_free(&E->st);
	helper_stop(E);
	rm_dir(E->nonce_dir);
	free(E);
	return 0;
}

static dec_t D(const char *s)
{
	dec_t v;
	if (dec_parse(s, (size_t)-1, &v, NULL) < 0)
		fail_msg("bad decimal %s", s);
	return v;
}

static enum intent_status place(struct order_req *r)
{
	struct kerr e = KERR_INIT;
	if (!r->cl_id[0])
		intent_new_cl_id(r->cl_id, sizeof r->cl_id);
	if (spot_rest_add_order(E->sr, &E->st, r, on_intent, E, &e) < 0)
		fail_msg("add order: %s", e.msg);
	wait_got();
	return E->ir.status;
}

static void refresh(void)
{
	spot_rest_refresh_private(E->sr, &E->st, on_done, E);
	wait_got();
	if (E->done_rc)
		fail_msg("refresh: %s", E->done_msg);
}

/* What the exchange holds for one open order. */
struct px_view {
	char id[48], cl[48];
	int type, side, status;
	dec_t qty, filled, price, trigger;
	char trail[32];
};

static bool px_open(const char *id, struct px_view *v)
{
	char line[512];
	bool found = false;
	ask("open", line, sizeof line);
	while (strcmp(line, "END") != 0) {
		char qty[40], filled[40], price[40], trig[40];
		struct px_view x;
		memset(&x, 0, sizeof x);
		if (sscanf(line, "O %47s %47s %d %d %39s %39s %39s %39s %31s %d", x.id, x.cl, &x.type,
			   &x.side, qty, filled, price, trig, x.trail, &x.status) != 10)
			fail_msg("bad helper line: %s", line);
		x.qty = D(qty), x.filled = D(filled), x.price = D(price), x.trigger = D(trig);
		if (strcmp(x.id, id) == 0) {
			*v = x;
			found = true;
		}
		next_line(line, sizeof line);
	}
	return found;
}

static int open_count(void)
{
	char line[512];
	int n = 0;
	ask("open", line, sizeof line);
	while (strcmp(line, "END") != 0) {
		n++;
		next_line(line, sizeof line);
	}
	return n;
}

static int btcusd(void)
{
	int i = state_find_instrument(&E->st, "BTC/USD");
	assert_true(i >= 0);
	return i;
}

static void instruments_round_trip(void **s)
{
	(void)s;
	static const char *const pairs[] = {"BTC/USD", "ETH/USD", "SOL/USD", "XRP/USD", "ETH/BTC",
					    "BTC/EUR"};
	for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++) {
		char cmd[64], line[512], rest[32], alt[32], tick[32], lot[32], omin[32], cmin[32],
			taker[32], maker[32];
		int pdp, qdp, cdp;
		snprintf(cmd, sizeof cmd, "instr %s", pairs[i]);
		ask(cmd, line, sizeof line);
		assert_int_equal(sscanf(line, "I %31s %31s %31s %31s %31s %31s %d %d %d %31s %31s", rest,
					alt, tick, lot, omin, cmin, &pdp, &qdp, &cdp, taker, maker),
				 11);
		const struct instrument *in =
			state_instrument(&E->st, state_find_instrument(&E->st, pairs[i]));
		assert_non_null(in);
		assert_string_equal(in->rest_id, rest);
		assert_string_equal(in->altname, alt);
		assert_true(dec_eq(in->tick, D(tick)));
		assert_true(dec_eq(in->lot, D(lot)));
		assert_true(dec_eq(in->min_size, D(omin)));
		assert_true(dec_eq(in->min_cost, D(cmin)));
		assert_int_equal(in->price_dp, pdp);
		assert_int_equal(in->qty_dp, qdp);
		assert_int_equal(in->cost_dp, cdp);
		dec_t pct;
		assert_int_equal(dec_mul(in->fee_taker, dec_from_int(100), 6, DEC_HALF_EVEN, &pct), 0);
		assert_true(dec_eq(pct, D(taker)));
		assert_int_equal(dec_mul(in->fee_maker, dec_from_int(100), 6, DEC_HALF_EVEN, &pct), 0);
		assert_true(dec_eq(pct, D(maker)));
		assert_true(in->tradeable);
	}
}

/* Every resting order type: builder -> adapter -> px, then OpenOrders ->
 * decoder -> core state, both equal to the request. */
static void order_types_round_trip(void **s)
{
	(void)s;
	struct {
		enum order_type type;
		enum side side;
		const char *limit, *trigger, *trail;
		bool pct;
		enum order_status want;
	} cases[] = {
		{OT_LIMIT, SIDE_BUY, "50000", NULL, NULL, false, OS_OPEN},
		{OT_ICEBERG, SIDE_BUY, "50100", NULL, NULL, false, OS_OPEN},
		{OT_STOP, SIDE_SELL, NULL, "40000", NULL, false, OS_UNTRIGGERED},
		{OT_TAKE_PROFIT, SIDE_SELL, NULL, "80000", NULL, false, OS_UNTRIGGERED},
		{OT_STOP_LIMIT, SIDE_SELL, "39900", "40000", NULL, false, OS_UNTRIGGERED},
		{OT_TAKE_PROFIT_LIMIT, SIDE_SELL, "80100", "80000", NULL, false, OS_UNTRIGGERED},
		{OT_TRAILING_STOP, SIDE_SELL, NULL, NULL, "500", false, OS_UNTRIGGERED},
		{OT_TRAILING_STOP_LIMIT, SIDE_SELL, NULL, NULL, "1.5", true, OS_UNTRIGGERED},
	};
	char ids[8][48];
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct order_req r;
		memset(&r, 0, sizeof r);
		r.instr = btcusd();
		r.type = cases[i].type;
		r.side = cases[i].side;
		r.qty = D("0.1");
		if (cases[i].limit)
			r.limit_price = D(cases[i].limit);
		if (cases[i].trigger)
			r.trigger_price = D(cases[i].trigger);
		if (cases[i].trail) {
			r.trail_offset = D(cases[i].trail);
			r.trail_pct = cases[i].pct;
			r.trail_limit_offset = D("-10");
		}
		if (r.type == OT_ICEBERG)
			r.display_qty = D("0.01");
		if (place(&r) != INTENT_OK)
			fail_msg("case %zu: %s", i, E->ir.message);
		snprintf(ids[i], sizeof ids[i], "%s", E->ir.order_id);
		struct px_view v;
		assert_true(px_open(ids[i], &v));
		assert_string_equal(v.cl, r.cl_id);
		assert_true(dec_eq(v.qty, r.qty));
		if (cases[i].limit)
			assert_true(dec_eq(v.price, r.limit_price));
		if (cases[i].trigger)
			assert_true(dec_eq(v.trigger, r.trigger_price));
	}
	refresh();
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const struct order *o = state_order_get(&E->st, ids[i]);
		struct px_view v;
		assert_non_null(o);
		assert_true(px_open(ids[i], &v));
		if (o->type != cases[i].type || o->side != cases[i].side || o->status != cases[i].want)
			fail_msg("case %zu: type %d side %d status %d", i, o->type, o->side, o->status);
		assert_string_equal(o->cl_id, v.cl);
		assert_true(dec_eq(o->qty, v.qty));
		assert_true(dec_eq(o->filled, v.filled));
		if (cases[i].limit && !cases[i].trail)
			assert_true(dec_eq(o->limit_price, v.price));
		if (cases[i].trigger)
			assert_true(dec_eq(o->trigger_price, v.trigger));
		if (cases[i].trail) {
			assert_true(dec_eq(o->trail_offset, D(cases[i].trail)));
			assert_int_equal(o->trail_pct, cases[i].pct);
		}
	}
	assert_int_equal(open_count(), 8);
}

static void fills_balances_round_trip(void **s)
{
	(void)s;
	char line[512];
	ask("seed BTC/USD sell 60000 1", line, sizeof line);
	assert_string_equal(line, "OK");
	struct order_req r;
	memset(&r, 0, sizeof r);
	r.instr = btcusd();
	r.type = OT_MARKET;
	r.side = SIDE_BUY;
	r.qty = D("0.25");
	if (place(&r) != INTENT_OK)
		fail_msg("market: %s", E->ir.message);
	/* a GTD limit and an IOC that finds nothing */
	memset(&r, 0, sizeof r);
	r.instr = btcusd();
	r.type = OT_LIMIT;
	r.side = SIDE_BUY;
	r.qty = D("0.01");
	r.limit_price = D("55000");
	r.tif = TIF_GTD;
	r.expire_s = (int64_t)(kt_wall_ms() / 1000) + 3600;
	if (place(&r) != INTENT_OK)
		fail_msg("GTD: %s", E->ir.message);
	refresh();
	/* fills */
	ask("fills", line, sizeof line);
	int n = 0;
	while (strcmp(line, "END") != 0) {
		char id[48], oid[48], price[40], qty[40], fee[40];
		assert_int_equal(sscanf(line, "F %47s %47s %39s %39s %39s", id, oid, price, qty, fee),
				 5);
		const struct fill *f = state_fill_at(&E->st, 0);
		assert_non_null(f);
		assert_string_equal(f->id, id);
		assert_string_equal(f->order_id, oid);
		assert_true(dec_eq(f->price, D(price)));
		assert_true(dec_eq(f->qty, D(qty)));
		assert_true(dec_eq(f->fee, D(fee)));
		assert_int_equal(f->side, SIDE_BUY);
		n++;
		next_line(line, sizeof line);
	}
	assert_int_equal(n, 1);
	assert_int_equal(E->st.nfills, 1);
	/* balances, with holds */
	static const char *const assets[][2] = {{"USD", "USD"}, {"XBT", "BTC"}};
	for (int i = 0; i < 2; i++) {
		char cmd[32], bal[40], hold[40], avail[40];
		snprintf(cmd, sizeof cmd, "bal %s", assets[i][0]);
		ask(cmd, line, sizeof line);
		assert_int_equal(sscanf(line, "B %39s %39s %39s", bal, hold, avail), 3);
		const struct balance *b = state_balance(&E->st, assets[i][1]);
		assert_non_null(b);
		assert_true(dec_eq(b->total, D(bal)));
		assert_true(dec_eq(b->hold, D(hold)));
		assert_true(dec_eq(b->available, D(avail)));
	}
	assert_true(dec_sign(state_balance(&E->st, "USD")->hold) > 0);
	/* the market order is closed and filled; the GTD one carries its expiry */
	int closed = 0;
	for (size_t i = 0; i < E->st.norders; i++) {
		const struct order *o = &E->st.orders[i];
		if (o->type == OT_MARKET) {
			/* it left the open list, so the refresh asked for it */
			assert_int_equal(o->status, OS_FILLED);
			assert_true(dec_eq(o->filled, D("0.25")));
			closed++;
		}
		if (o->tif == TIF_GTD)
			assert_true(o->expire_ms > 0);
	}
	assert_int_equal(closed, 1);
}

/* place -> see it in OpenOrders -> amend -> cancel, all through the client. */
static void place_amend_cancel(void **s)
{
	(void)s;
	struct order_req r;
	memset(&r, 0, sizeof r);
	r.instr = btcusd();
	r.type = OT_LIMIT;
	r.side = SIDE_BUY;
	r.qty = D("0.2");
	r.limit_price = D("51000");
	r.post_only = true;
	assert_int_equal(place(&r), INTENT_OK);
	char id[48];
	snprintf(id, sizeof id, "%s", E->ir.order_id);
	refresh();
	const struct order *o = state_order_get(&E->st, id);
	assert_non_null(o);
	assert_int_equal(o->status, OS_OPEN);
	assert_true(o->post_only);

	struct amend_req a;
	memset(&a, 0, sizeof a);
	snprintf(a.order_id, sizeof a.order_id, "%s", id);
	a.has_qty = true;
	a.qty = D("0.3");
	a.has_limit = true;
	a.limit_price = D("51500");
	struct kerr e = KERR_INIT;
	assert_int_equal(spot_rest_amend(E->sr, &E->st, &a, on_intent, E, &e), 0);
	wait_got();
	assert_int_equal(E->ir.status, INTENT_OK);
	assert_true(E->ir.ref[0] != '\0');
	struct px_view v;
	assert_true(px_open(id, &v));
	assert_true(dec_eq(v.qty, D("0.3")));
	assert_true(dec_eq(v.price, D("51500")));
	refresh();
	o = state_order_get(&E->st, id);
	assert_true(dec_eq(o->qty, D("0.3")));
	assert_true(dec_eq(o->limit_price, D("51500")));

	assert_int_equal(spot_rest_cancel(E->sr, &E->st, id, on_intent, E, &e), 0);
	wait_got();
	assert_int_equal(E->ir.status, INTENT_OK);
	assert_int_equal(open_count(), 0);
	assert_int_equal(state_order_get(&E->st, id)->status, OS_CANCELLED);
	refresh();
	assert_int_equal(state_order_get(&E->st, id)->status, OS_CANCELLED);

	/* cancelling it again: Kraken's refusal reaches the user */
	assert_int_equal(spot_rest_cancel(E->sr, &E->st, id, on_intent, E, &e), 0);
	wait_got();
	assert_int_equal(E->ir.status, INTENT_REJECTED);
	assert_string_equal(E->ir.code, "EOrder:Unknown order");

	/* and a refused order: insufficient funds, nothing placed */
	memset(&r, 0, sizeof r);
	r.instr = btcusd();
	r.type = OT_LIMIT;
	r.side = SIDE_BUY;
	r.qty = D("100");
	r.limit_price = D("50000");
	assert_int_equal(place(&r), INTENT_REJECTED);
	assert_string_equal(E->ir.code, "EOrder:Insufficient funds");
	assert_int_equal(open_count(), 0);

	/* the other gateway calls */
	assert_int_equal(spot_rest_cancel_after(E->sr, &E->st, 60, on_intent, E, &e), 0);
	wait_got();
	assert_int_equal(E->ir.status, INTENT_OK);
	assert_true(E->ir.trigger_time_ms > 0);
	assert_int_equal(spot_rest_cancel_all(E->sr, &E->st, on_intent, E, &e), 0);
	wait_got();
	assert_int_equal(E->ir.status, INTENT_OK);
	struct transfer_req t = {"BTC", D("0.1"), WALLET_SPOT, WALLET_FUTURES_FLEX};
	assert_int_equal(spot_rest_wallet_transfer(E->sr, &E->st, &t, on_intent, E, &e), 0);
	wait_got();
	assert_int_equal(E->ir.status, INTENT_OK);
}

/* ---- the typed calls (spot_rest_more.c) ---- */

static struct spot_outcome g_out;
static struct spot_add_result g_batch[4];
static size_t g_n;
static char g_txid[48];
static int64_t g_count;

static void got(const struct spot_outcome *o)
{
	g_out = *o;
	E->got = true;
	kt_loop_stop(E->loop);
}

static void on_time(void *arg, const struct spot_outcome *o, const struct spot_time *t)
{
	(void)arg;
	g_count = t ? t->unixtime : 0;
	got(o);
}

static void on_status(void *arg, const struct spot_outcome *o, const struct spot_system_status *st)
{
	(void)arg;
	g_count = st ? (int64_t)st->status : -1;
	got(o);
}

static void on_assets(void *arg, const struct spot_outcome *o, const struct spot_asset *a, size_t n)
{
	(void)arg;
	g_n = n;
	snprintf(g_txid, sizeof g_txid, "%s/%s", n ? a[0].id : "", n ? a[0].display : "");
	got(o);
}

static void on_tb(void *arg, const struct spot_outcome *o, const struct spot_trade_balance *tb)
{
	(void)arg;
	g_count = tb ? dec_sign(tb->eb) : -2;
	got(o);
}

static void on_ledgers(void *arg, const struct spot_outcome *o, const struct spot_ledger *l,
		       size_t n, int64_t count)
{
	(void)arg;
	g_n = 0;
	for (size_t i = 0; i < n; i++)
		g_n += strcmp(l[i].asset, "BTC") == 0 && strcmp(l[i].type, "trade") == 0;
	g_count = count;
	got(o);
}

static void on_batch(void *arg, const struct spot_outcome *o, const struct spot_add_result *r,
		     size_t n)
{
	(void)arg;
	g_n = n;
	for (size_t i = 0; i < n && i < 4; i++)
		g_batch[i] = r[i];
	got(o);
}

static void on_edit(void *arg, const struct spot_outcome *o, const struct spot_edit_result *r)
{
	(void)arg;
	snprintf(g_txid, sizeof g_txid, "%s", r ? r->txid : "");
	got(o);
}

static void on_count(void *arg, const struct spot_outcome *o, int count)
{
	(void)arg;
	g_count = count;
	got(o);
}

/* Time, SystemStatus, Assets, TradeBalance, Ledgers, AddOrderBatch,
 * EditOrder and CancelOrderBatch through the client, checked against what
 * the exchange holds. */
static void typed_calls_round_trip(void **s)
{
	(void)s;
	struct kerr e = KERR_INIT;
	assert_int_equal(spot_rest_time(E->sr, on_time, E, &e), 0);
	wait_got();
	assert_int_equal(g_out.rc, 0);
	assert_true(g_count > 1700000000);
	assert_int_equal(spot_rest_system_status(E->sr, on_status, E, &e), 0);
	wait_got();
	assert_int_equal(g_count, SPOT_SYS_ONLINE);
	assert_int_equal(spot_rest_assets(E->sr, "BTC", on_assets, E, &e), 0);
	wait_got();
	assert_int_equal(g_out.rc, 0);
	assert_int_equal(g_n, 1);
	assert_string_equal(g_txid, "XXBT/BTC");
	assert_int_equal(spot_rest_trade_balance(E->sr, "ZUSD", on_tb, E, &e), 0);
	wait_got();
	assert_int_equal(g_out.rc, 0);
	assert_int_equal(g_count, 1);

	/* a trade, then its BTC ledger entry */
	char line[512];
	ask("seed BTC/USD sell 60000 1", line, sizeof line);
	struct order_req r;
	memset(&r, 0, sizeof r);
	r.instr = btcusd();
	r.type = OT_MARKET;
	r.side = SIDE_BUY;
	r.qty = D("0.25");
	assert_int_equal(place(&r), INTENT_OK);
	struct spot_ledger_query q = {.asset = "BTC", .type = "trade"};
	assert_int_equal(spot_rest_ledgers(E->sr, &E->st, &q, on_ledgers, E, &e), 0);
	wait_got();
	assert_int_equal(g_out.rc, 0);
	assert_int_equal(g_n, 1);
	assert_int_equal(g_count, 1);

	/* batch of two, edit one, cancel both */
	struct order_req b[2];
	memset(b, 0, sizeof b);
	for (int i = 0; i < 2; i++) {
		b[i].instr = btcusd();
		b[i].type = OT_LIMIT;
		b[i].side = SIDE_BUY;
		b[i].qty = D("0.01");
		b[i].limit_price = D(i ? "50100" : "50000");
		intent_new_cl_id(b[i].cl_id, sizeof b[i].cl_id);
	}
	assert_int_equal(
		spot_rest_add_order_batch(E->sr, &E->st, b, 2, NULL, false, on_batch, E, &e), 0);
	wait_got();
	assert_int_equal(g_out.rc, 0);
	assert_int_equal(g_n, 2);
	struct px_view v;
	char ids[2][48];
	for (int i = 0; i < 2; i++) {
		assert_string_equal(g_batch[i].error, "");
		snprintf(ids[i], sizeof ids[i], "%.47s", g_batch[i].txid);
		assert_true(px_open(ids[i], &v));
		assert_string_equal(v.cl, b[i].cl_id);
	}
	refresh();
	const struct instrument *in = state_instrument(&E->st, btcusd());
	dec_t vol = D("0.02");
	struct spot_price px = {.v = D("49000")};
	struct spot_edit_req ed = {.txid = ids[0], .pair = in->altname, .volume = &vol, .price = &px};
	assert_int_equal(spot_rest_edit_order(E->sr, &E->st, &ed, on_edit, E, &e), 0);
	wait_got();
	if (g_out.rc != 0)
		fail_msg("edit: %s", g_out.message);
	assert_true(g_txid[0] != '\0');
	assert_false(px_open(ids[0], &v));
	assert_true(px_open(g_txid, &v));
	assert_true(dec_eq(v.qty, D("0.02")));
	assert_true(dec_eq(v.price, D("49000")));
	assert_int_equal(state_order_get(&E->st, ids[0])->status, OS_CANCELLED);
	const char *tx[] = {g_txid, ids[1]};
	assert_int_equal(
		spot_rest_cancel_order_batch(E->sr, &E->st, tx, 2, NULL, 0, on_count, E, &e), 0);
	wait_got();
	assert_int_equal(g_out.rc, 0);
	assert_int_equal(g_count, 2);
	assert_int_equal(open_count(), 0);
	assert_int_equal(state_order_get(&E->st, ids[1])->status, OS_CANCELLED);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(instruments_round_trip),
		T(order_types_round_trip),
		T(fills_balances_round_trip),
		T(place_amend_cancel),
		T(typed_calls_round_trip),
	};
	return kt_run_tests(tests);
}
