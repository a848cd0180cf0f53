/* test_sim: the market simulator makes a living market that is reproducible.
 * Each case builds a memory-only paper exchange with a fixed clock and id seed,
 * runs the simulator with sim_step (no timers), and checks what px shows:
 *   - the PRNG is a pure function of its seed, bounded draws stay in range and
 *     the table normal has mean ~0 and sigma ~1;
 *   - a fixed seed and the same steps give the same trades, twice; another seed
 *     gives others;
 *   - every book keeps >= 100 levels per side and never crosses, at a slow and
 *     at a fast rate, through thousands of ticks;
 *   - prices stay coherent: ETH/BTC is ETH/USD over BTC/USD, BTC/EUR is BTC/USD
 *     over EUR/USD, futures' index is the underlying and their mark sits within
 *     a small premium of it; the last trades are near the fair prices;
 *   - the market account's quotes hit user orders, and resting market orders
 *     of a restored exchange are adopted;
 *   - sim_start runs on the loop, never crossing, until stopped. */
#include <stdlib.h>
#include <string.h>

#include <uv.h>

#include "paper/paper.h"
#include "paper/prng.h"
#include "paper/sim.h"
#include "tests/unit/unit.h"

#define T0 (1700000000LL * 1000000000LL)

struct env {
	uv_loop_t loop;
	int64_t now;
	struct paper *p;
	struct sim *s;
	uint64_t trade_hash, trades;
	int handle;
};

static int64_t env_clock(void *ctx)
{
	return ((struct env *)ctx)->now;
}

static void on_event(void *ctx, const struct px_event *ev)
{
	struct env *e = ctx;
	if (ev->kind != PX_EV_TRADE)
		return;
	const struct px_trade *t = ev->trade;
	uint64_t v[5] = {ev->instr->id, (uint64_t)t->price.m, t->price.s, (uint64_t)t->qty.m,
	                 (uint64_t)t->side};
	for (int i = 0; i < 5; i++)
		e->trade_hash = (e->trade_hash ^ v[i]) * 0x100000001b3ull;
	e->trades++;
}

static void env_open(struct env *e, uint64_t seed, uint32_t rate, uint32_t orders)
{
	memset(e, 0, sizeof *e);
	uv_loop_init(&e->loop);
	e->now = T0;
	e->trade_hash = 0xcbf29ce484222325ull;
	struct paper_opts po;
	memset(&po, 0, sizeof po);
	po.state_path = "";
	po.id_seed = 42;
	po.clock = env_clock;
	po.clock_ctx = e;
	struct kerr err = KERR_INIT;
	e->p = paper_create(&e->loop, &po, &err);
	if (!e->p)
		fail_msg("paper_create: %s", err.msg);
	e->handle = px_listen(e->p->px, on_event, e);
	struct sim_opts so;
	memset(&so, 0, sizeof so);
	so.seed = seed;
	so.rate = rate;
	so.orders = orders;
	e->s = sim_new(e->p, &so, &err);
	if (!e->s)
		fail_msg("sim_new: %s", err.msg);
}

static void env_close(struct env *e)
{
	sim_free(e->s);
	px_unlisten(e->p->px, e->handle);
	paper_destroy(e->p);
	uv_run(&e->loop, UV_RUN_DEFAULT);
	assert_int_equal(uv_loop_close(&e->loop), 0);
}

/* n ticks of 10 ms, the clock following. */
static void env_run(struct env *e, unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		e->now += 10000000;
		paper_tick(e->p);
		sim_step(e->s, 1);
	}
}

static int64_t best_u(struct px *px, const struct px_instr *in, enum engine_side side)
{
	struct px_level l;
	int64_t u = 0;
	if (px_best(px, in, side, &l) < 0 || dec_to_scaled(l.price, (unsigned)in->price_dp, &u) < 0)
		return 0;
	return u;
}

static int64_t fair_u(struct env *e, const struct px_instr *in)
{
	dec_t d;
	int64_t u = 0;
	assert_int_equal(sim_fair(e->s, in, &d), 0);
	assert_int_equal(dec_to_scaled(d, (unsigned)in->price_dp, &u), 0);
	return u;
}

/* Every book: >= 100 levels a side, best bid below best ask. */
static void check_books(struct env *e)
{
	static struct px_level lv[200];
	const struct px_instruments *t = px_instruments(e->p->px);
	for (size_t i = 0; i < t->n; i++) {
		const struct px_instr *in = &t->instr[i];
		size_t nb = px_depth(e->p->px, in, ENGINE_BUY, lv, 200);
		size_t na = px_depth(e->p->px, in, ENGINE_SELL, lv, 200);
		if (nb < 100 || na < 100)
			fail_msg("%s: %zu bid and %zu ask levels", in->symbol, nb, na);
		int64_t b = best_u(e->p->px, in, ENGINE_BUY), a = best_u(e->p->px, in, ENGINE_SELL);
		if (!(b > 0 && a > b))
			fail_msg("%s: crossed or empty: bid %lld ask %lld", in->symbol,
			         (long long)b, (long long)a);
	}
}

/* ---- PRNG ---- */

static void prng_repeatable(void **state)
{
	(void)state;
	struct prng a, b, c;
	prng_seed(&a, 7);
	prng_seed(&b, 7);
	prng_seed(&c, 8);
	bool differ = false;
	for (int i = 0; i < 1000; i++) {
		uint64_t x = prng_next(&a);
		assert_true(x == prng_next(&b));
		differ |= x != prng_next(&c);
	}
	assert_true(differ);
	for (int i = 0; i < 10000; i++) {
		assert_true(prng_below(&a, 7) < 7);
		int64_t r = prng_range(&a, -3, 3);
		assert_true(r >= -3 && r <= 3);
	}
	assert_int_equal(prng_below(&a, 0), 0);
	assert_true(prng_chance_ppm(&a, 1000000));
	assert_false(prng_chance_ppm(&a, 0));
	/* the table normal: mean within 0.02 sigma, variance within 5% of 1 */
	int64_t sum = 0;
	__int128 sq = 0;
	const int n = 200000;
	for (int i = 0; i < n; i++) {
		int64_t z = prng_normal_ppm(&a);
		assert_true(z >= -3300000 && z <= 3300000);
		sum += z;
		sq += (__int128)z * z;
	}
	int64_t mean = sum / n, var = (int64_t)(sq / n / 1000000);
	assert_true(mean > -20000 && mean < 20000);
	assert_true(var > 950000 && var < 1050000);
}

/* ---- determinism ---- */

static void run_once(uint64_t seed, uint64_t *hash, uint64_t *trades, size_t *seeded)
{
	struct env e;
	env_open(&e, seed, 500, 120);
	*seeded = sim_seed_book(e.s);
	env_run(&e, 600);
	*hash = e.trade_hash;
	*trades = e.trades;
	env_close(&e);
}

static void same_seed_same_trades(void **state)
{
	(void)state;
	uint64_t h1, h2, h3, n1, n2, n3;
	size_t s1, s2, s3;
	run_once(1234, &h1, &n1, &s1);
	run_once(1234, &h2, &n2, &s2);
	run_once(4321, &h3, &n3, &s3);
	assert_true(n1 > 100); /* six seconds of a 500/s market trade */
	assert_int_equal(s1, s2);
	assert_int_equal(n1, n2);
	assert_true(h1 == h2);
	assert_true(h1 != h3);
}

/* ---- depth, crossing, coherence ---- */

static void books_stay_deep(void **state)
{
	(void)state;
	struct env e;
	env_open(&e, 99, 40, 0);
	sim_seed_book(e.s);
	check_books(&e);
	for (int k = 0; k < 60; k++) { /* 60 s of a slow market */
		env_run(&e, 100);
		check_books(&e);
	}
	struct sim_stats st;
	sim_stats(e.s, &st);
	assert_true(st.takes > 0 && st.cancels > 0 && st.amends > 0);
	assert_int_equal(st.refused, 0);
	env_close(&e);

	env_open(&e, 100, 20000, 0); /* and a fast one */
	sim_seed_book(e.s);
	for (int k = 0; k < 10; k++) {
		env_run(&e, 10);
		check_books(&e);
	}
	sim_stats(e.s, &st);
	assert_true(st.ops >= 10 * 10 * 200 * 11 * 9 / 10);
	env_close(&e);
}

static const struct px_instr *in_of(struct env *e, const char *name)
{
	const struct px_instr *in = px_instr_find(e->p->px, -1, name);
	assert_non_null(in);
	return in;
}

static int64_t absl(int64_t v)
{
	return v < 0 ? -v : v;
}

static void prices_coherent(void **state)
{
	(void)state;
	struct env e;
	env_open(&e, 5, 300, 0);
	sim_seed_book(e.s);
	for (int k = 0; k < 20; k++) {
		env_run(&e, 50);
		/* ETH/BTC = ETH/USD / BTC/USD (prices at 5, 2 and 1 decimals) */
		int64_t btc = fair_u(&e, in_of(&e, "BTC/USD")),
		        eth = fair_u(&e, in_of(&e, "ETH/USD"));
		int64_t ethbtc = fair_u(&e, in_of(&e, "ETH/BTC"));
		int64_t want = eth * 10000 / btc; /* 1e5 * (eth / 1e2) / (btc / 1e1) */
		assert_true(absl(ethbtc - want) <= 1);
		/* the perpetual's index is the BTC/USD reference, its mark close by */
		const struct px_instr *pf = in_of(&e, "PF_XBTUSD");
		struct px_ticker t;
		assert_int_equal(px_ticker(e.p->px, pf, &t), 0);
		assert_true(t.has_mark && t.has_index);
		int64_t ix = 0, mk = 0;
		assert_int_equal(dec_to_scaled(t.index, 2, &ix), 0);
		assert_int_equal(dec_to_scaled(t.mark, 2, &mk), 0);
		assert_true(absl(ix - btc * 10) <= 10); /* 1 dp -> 2 dp */
		assert_true(absl(mk - ix) * 1000 < ix); /* premium under 0.1% */
		/* the last BTC/USD trade is within 0.2% of the fair price */
		struct px_trade tr;
		if (px_last_trade(e.p->px, in_of(&e, "BTC/USD"), &tr) == 0) {
			int64_t lu = 0;
			assert_int_equal(dec_to_scaled(tr.price, 1, &lu), 0);
			assert_true(absl(lu - btc) * 500 < btc);
		}
		/* BTC/EUR follows BTC/USD within the EUR/USD range (0.8 .. 1.4) */
		int64_t be = fair_u(&e, in_of(&e, "BTC/EUR"));
		assert_true(be * 8 < btc * 10 && be * 14 > btc * 10);
	}
	struct px_ticker t;
	assert_int_equal(px_ticker(e.p->px, in_of(&e, "PF_XBTUSD"), &t), 0);
	assert_true(t.next_funding_ns > e.now); /* funding publishes its schedule */
	env_close(&e);
}

/* A user's bid at the touch is filled by the simulated takers. */
static void takers_hit_users(void **state)
{
	(void)state;
	struct env e;
	env_open(&e, 11, 2000, 0);
	sim_seed_book(e.s);
	struct px_account_init ai;
	memset(&ai, 0, sizeof ai);
	ai.spot[PX_A_USD] = dec_from_int(1000000);
	uint32_t u = 0;
	assert_int_equal(px_account_create(e.p->px, &ai, &u, NULL), 0);
	const struct px_instr *in = in_of(&e, "BTC/USD");
	int64_t bid = best_u(e.p->px, in, ENGINE_BUY);
	struct px_place r;
	memset(&r, 0, sizeof r);
	r.account = u;
	r.instr = in;
	r.side = ENGINE_BUY;
	r.type = ENGINE_T_LIMIT;
	r.qty = dec_make(1, 4); /* 0.0001 BTC at the best bid + 1 tick */
	r.price = px_price_abs(dec_make(bid + 1, 1));
	struct px_result res;
	assert_int_equal(px_place(e.p->px, &r, &res, NULL), 0);
	char id[PX_ID_MAX];
	snprintf(id, sizeof id, "%s", res.id);
	for (int k = 0; k < 200; k++) {
		env_run(&e, 10);
		const struct px_order *o = px_order_find(e.p->px, u, id);
		if (o && o->status == ENGINE_S_FILLED)
			break;
	}
	const struct px_order *o = px_order_find(e.p->px, u, id);
	assert_non_null(o);
	assert_int_equal(o->status, ENGINE_S_FILLED);
	env_close(&e);
}

/* A spot pair's index is the simulated underlying: a trigger=index stop fires on it.
 * A buy stop-loss 0.5% above the index waits; once the index is pushed past it
 * (px_set_mark_index stands in for a jump), it fires. A sell stop above the index
 * fires at once, as on Kraken. */
static void spot_index_triggers(void **state)
{
	(void)state;
	struct env e;
	env_open(&e, 5, 200, 0);
	sim_seed_book(e.s);
	env_run(&e, 50);
	struct px_account_init ai;
	memset(&ai, 0, sizeof ai);
	ai.spot[PX_A_USD] = dec_from_int(1000000);
	ai.spot[PX_A_XBT] = dec_from_int(10);
	uint32_t u = 0;
	assert_int_equal(px_account_create(e.p->px, &ai, &u, NULL), 0);
	const struct px_instr *in = in_of(&e, "BTC/USD");
	int64_t index = 0;
	assert_int_equal(dec_to_scaled(px_ref_price(e.p->px, in, ENGINE_REF_INDEX),
				       (unsigned)in->price_dp, &index),
			 0);
	/* the index is the underlying, not the last trade and not the fair price's noise */
	int64_t f = fair_u(&e, in);
	assert_true(index > f - f / 100 && index < f + f / 100);

	struct px_place r;
	memset(&r, 0, sizeof r);
	r.account = u;
	r.instr = in;
	r.type = ENGINE_T_STOP_LOSS;
	r.trigger_ref = ENGINE_REF_INDEX;
	r.qty = dec_make(1, 3);
	r.side = ENGINE_BUY;
	r.trigger = px_price_abs(dec_make(index + index / 200, (unsigned)in->price_dp));
	struct px_result res;
	assert_int_equal(px_place(e.p->px, &r, &res, NULL), 0);
	char buy[PX_ID_MAX];
	snprintf(buy, sizeof buy, "%s", res.id);
	assert_int_equal(px_order_find(e.p->px, u, buy)->status, ENGINE_S_PENDING);

	r.side = ENGINE_SELL;
	r.trigger = px_price_abs(dec_make(index + index / 10, (unsigned)in->price_dp));
	assert_int_equal(px_place(e.p->px, &r, &res, NULL), 0);
	const struct px_order *sell = px_order_find(e.p->px, u, res.id);
	assert_true(sell->triggered);
	assert_int_equal(sell->status, ENGINE_S_FILLED);

	dec_t jump = dec_make(index + index / 100, (unsigned)in->price_dp);
	assert_int_equal(px_set_mark_index(e.p->px, in, NULL, &jump, NULL), 0);
	const struct px_order *o = px_order_find(e.p->px, u, buy);
	assert_true(o->triggered);
	assert_int_equal(o->status, ENGINE_S_FILLED);
	env_close(&e);
}

/* Running on the loop with a seed: two runs trade the same sequence (compared over
 * the trades both made), though their timers fire at different moments. */
#define LIVE_KEEP 4096
static uint64_t live_hash[2][LIVE_KEEP];
static size_t live_n[2];
static int live_run;

static void on_live_trade(void *ctx, const struct px_event *ev)
{
	struct env *e = ctx;
	on_event(ctx, ev);
	if (ev->kind == PX_EV_TRADE && live_n[live_run] < LIVE_KEEP)
		live_hash[live_run][live_n[live_run]++] = e->trade_hash;
}

static void on_live_stop(uv_timer_t *t)
{
	struct env *e = t->data;
	sim_stop(e->s);
	uv_close((uv_handle_t *)t, NULL);
}

static void live_same_seed(void **state)
{
	(void)state;
	for (live_run = 0; live_run < 2; live_run++) {
		struct env e;
		env_open(&e, 77, 3000, 0);
		px_unlisten(e.p->px, e.handle);
		e.handle = px_listen(e.p->px, on_live_trade, &e);
		assert_int_equal(sim_start(e.s), 0);
		uv_timer_t stop;
		uv_timer_init(&e.loop, &stop);
		stop.data = &e;
		/* different lengths, and a busy loop in the second run, shift the ticks */
		uv_timer_start(&stop, on_live_stop, live_run ? 330 : 270, 0);
		if (live_run) {
			uint64_t t0 = uv_hrtime();
			while (uv_hrtime() - t0 < 25000000)
				; /* the first tick fires 25 ms late */
		}
		uv_run(&e.loop, UV_RUN_DEFAULT);
		env_close(&e);
	}
	size_t n = live_n[0] < live_n[1] ? live_n[0] : live_n[1];
	assert_true(n >= 20);
	assert_true(live_hash[0][n - 1] == live_hash[1][n - 1]);
}

/* A second simulator on the same exchange adopts the first one's quotes. */
static void adopts_resting_orders(void **state)
{
	(void)state;
	struct env e;
	env_open(&e, 3, 100, 50);
	size_t n = sim_seed_book(e.s);
	assert_true(n >= 11 * 2 * 50);
	struct sim_stats st;
	sim_stats(e.s, &st);
	size_t tracked = st.tracked;
	sim_free(e.s);
	struct sim_opts so;
	memset(&so, 0, sizeof so);
	so.seed = 3;
	so.orders = 50;
	struct kerr err = KERR_INIT;
	e.s = sim_new(e.p, &so, &err);
	assert_non_null(e.s);
	sim_stats(e.s, &st);
	assert_int_equal(st.tracked, tracked);
	assert_int_equal(sim_seed_book(e.s), 0); /* already full */
	const char *bad[] = {"NOPE/USD", NULL};
	so.instruments = bad;
	assert_null(sim_new(e.p, &so, &err));
	assert_int_equal(err.code, PX_E_UNKNOWN_INSTR);
	env_close(&e);
}

/* On the loop: the timer runs batches until stopped. */
struct loop_run {
	struct env *e;
	uv_timer_t stop;
	int checks;
};

static void on_check(uv_timer_t *t)
{
	struct loop_run *lr = t->data;
	struct sim_stats st;
	sim_stats(lr->e->s, &st);
	if (++lr->checks < 100 && st.ticks < 20)
		return;
	check_books(lr->e);
	sim_stop(lr->e->s);
	uv_timer_stop(t);
	uv_close((uv_handle_t *)t, NULL);
}

static void runs_on_the_loop(void **state)
{
	(void)state;
	struct env e;
	env_open(&e, 21, 5000, 0);
	e.now = T0;
	assert_int_equal(sim_start(e.s), 0);
	assert_int_equal(sim_start(e.s), -1);
	struct loop_run lr = {.e = &e};
	uv_timer_init(&e.loop, &lr.stop);
	lr.stop.data = &lr;
	uv_timer_start(&lr.stop, on_check, 20, 20);
	uv_run(&e.loop, UV_RUN_DEFAULT);
	struct sim_stats st;
	sim_stats(e.s, &st);
	assert_true(st.ticks >= 1);
	assert_true(st.ops > 0);
	env_close(&e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(prng_repeatable),  cmocka_unit_test(same_seed_same_trades),
	        cmocka_unit_test(books_stay_deep),  cmocka_unit_test(prices_coherent),
	        cmocka_unit_test(takers_hit_users), cmocka_unit_test(adopts_resting_orders),
	        cmocka_unit_test(runs_on_the_loop), cmocka_unit_test(spot_index_triggers),
	        cmocka_unit_test(live_same_seed),
	};
	return kt_run_tests(tests);
}
