/* test_resilience_orders: orders through the real Kraken client while the paper
 * exchange misbehaves (one process, one loop; tests/unit/resilience_util.h).
 * After every case the exchange holds exactly as many orders with the case's
 * client order id as the client reported placed (0 or 1), with the id the
 * client reported, and the client's open orders equal the exchange's. What each
 * case proves:
 *   - spot_orders / futures_orders: an order whose answer is lost after the
 *     exchange executed it (a resting limit, and a market order that fills at
 *     once) is reconciled by client order id: reported placed with the right
 *     id, sent exactly once. An order answered with HTTP 5xx or "Unavailable"
 *     (not executed) is reported not placed, sent once. An order refused with a
 *     rate limit (EAPI:Rate limit exceeded, HTTP 429, apiLimitExceeded) is sent
 *     again and lands once. An order whose connection was dropped unanswered
 *     (not executed) is reported as the exchange has it;
 *   - spot_nonce_race: another process on the key got a higher nonce in just
 *     before an AddOrder: refused for its nonce, looked up, sent again, placed
 *     once;
 *   - restart: the exchange restarts (state file) with open orders; the client
 *     reconnects every feed by itself, orders changed while it was away are
 *     reconciled over REST, the open orders are still at the exchange and in the
 *     client's state, an order sent while the exchange was down lands at most
 *     once as reported, and new orders and cancels work. */
#include <stdio.h>
#include <string.h>

#include "tests/unit/resilience_util.h"
#include "tests/unit/unit.h"

/* The requests on a path: the rules with that path count them. */
static unsigned path_seen(struct rz *z, const char *path)
{
	const struct faults_state *fs = rz_fstate(z);
	unsigned n = 0;
	for (size_t i = 0; i < fs->nrules; i++)
		if (strcmp(fs->rules[i].path, path) == 0)
			n += fs->rules[i].seen;
	return n;
}

#define WANT_EITHER ((enum intent_status)99) /* OK or FAILED, as the exchange has it */

struct ocase {
	const char *name;
	const char *rule; /* the fault: a JSON rule without its path */
	bool market;      /* a market order (fills at once), else a resting limit */
	enum intent_status want;
	unsigned sends; /* requests the exchange saw for it (at most) */
};

/* A lost answer: the client never sends the order again, but curl resends a
 * request whose reused connection died unanswered, nonce and all; the
 * exchange refuses that copy for its nonce (hence at most 2 seen, 1 placed). */
static const struct ocase cases[] = {
        {"lost answer, resting", "\"fault\":\"lose_response\"", false, INTENT_OK, 2},
        {"lost answer, filled", "\"fault\":\"lose_response\"", true, INTENT_OK, 2},
        {"HTTP 503", "\"fault\":\"http\",\"status\":503", false, INTENT_FAILED, 1},
        {"unavailable", "\"fault\":\"unavailable\"", false, INTENT_FAILED, 1},
        {"rate limit", "\"fault\":\"rate_limit\"", false, INTENT_OK, 2},
        {"HTTP 429", "\"fault\":\"http\",\"status\":429", false, INTENT_OK, 2},
        /* not processed: curl resends it on a reused connection (placed), or the
         * client finds it was not placed (failed); either way it says what is */
        {"dropped unanswered", "\"fault\":\"drop\"", false, WANT_EITHER, 2},
};

static const char *status_name(enum intent_status s)
{
	static const char *const n[] = {"OK", "REJECTED", "FAILED", "UNKNOWN"};
	return (unsigned)s < 4 ? n[s] : "?";
}

static void run_case(struct rz *z, const struct ocase *c, int instr, const char *path)
{
	const struct instrument *in = state_instrument(&z->st, instr);
	char json[300];
	snprintf(json, sizeof json,
	         "{\"reset\":true,\"rest\":[{%s,\"path\":\"%s\",\"count\":1},"
	         "{\"fault\":\"delay\",\"ms\":0,\"path\":\"%s\"}]}",
	         c->rule, path, path);
	rz_faults(z, json);
	struct order_req r = c->market ? rz_market(z, instr, SIDE_BUY, 1)
	                               : rz_passive_limit(z, instr, SIDE_BUY, 5, 1);
	int64_t t0 = rz_now_ms();
	struct intent_result res = rz_place(z, &r);
	int64_t ms = rz_now_ms() - t0;
	char px_id[PX_ID_MAX];
	size_t at_px = rz_px_count_cl(z, in->product, r.cl_id, px_id, sizeof px_id);
	unsigned sends = path_seen(z, path);
	printf("# %s %s: %s in %lld ms (%s); %u sent, %zu at the exchange\n", in->id, c->name,
	       status_name(res.status), (long long)ms, res.message, sends, at_px);
	/* what the client says is what the exchange has */
	if (res.status == INTENT_OK) {
		if (at_px != 1 || strcmp(px_id, res.order_id) != 0)
			fail_msg("%s %s: placed as %s, but the exchange has %zu orders (%s)",
			         in->id, c->name, res.order_id, at_px, px_id);
	} else if (at_px != 0) {
		fail_msg("%s %s: reported %s, but the exchange has the order %s", in->id, c->name,
		         status_name(res.status), px_id);
	}
	if (c->want == WANT_EITHER ? res.status != INTENT_OK && res.status != INTENT_FAILED
	                           : res.status != c->want)
		fail_msg("%s %s: %s (%s), expected %s", in->id, c->name, status_name(res.status),
		         res.message, status_name(c->want));
	if (sends < 1 || sends > c->sends)
		fail_msg("%s %s: sent %u times, expected at most %u", in->id, c->name, sends,
		         c->sends);
	rz_assert_orders_agree(z);
}

static void spot_orders(void **state)
{
	struct rz *z = *state;
	rz_open(z, NULL);
	int btc = rz_instr(z, "BTC/USD");
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		run_case(z, &cases[i], btc, "/0/private/AddOrder");
	rz_close(z);
}

static void futures_orders(void **state)
{
	struct rz *z = *state;
	rz_open(z, NULL);
	int fut = rz_instr(z, "PF_XBTUSD");
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		run_case(z, &cases[i], fut, "/derivatives/api/v3/sendorder");
	rz_close(z);
}

/* Another process on the key got a higher nonce to the exchange just before
 * ours: the AddOrder is refused for its nonce, looked up (not placed), and
 * sent again with a new nonce; it lands once. */
static void spot_nonce_race(void **state)
{
	struct rz *z = *state;
	rz_open(z, NULL);
	int btc = rz_instr(z, "BTC/USD");
	const char *path = "/0/private/AddOrder";
	char json[160];
	snprintf(json, sizeof json, "{\"rest\":[{\"fault\":\"delay\",\"ms\":0,\"path\":\"%s\"}]}",
	         path);
	rz_faults(z, json);
	struct order_req r = rz_passive_limit(z, btc, SIDE_BUY, 5, 1);
	/* nonces are microseconds: "the other process" is 300 ms ahead */
	px_nonce_set(rz_px(z), 1, PX_SPOT, px_nonce_get(rz_px(z), 1, PX_SPOT) + 300000);
	struct intent_result res = rz_place(z, &r);
	char px_id[PX_ID_MAX];
	size_t at_px = rz_px_count_cl(z, PX_SPOT, r.cl_id, px_id, sizeof px_id);
	printf("# nonce race: %s (%s); %u sent, %zu at the exchange\n", status_name(res.status),
	       res.message, path_seen(z, path), at_px);
	assert_int_equal(res.status, INTENT_OK);
	assert_int_equal(at_px, 1);
	assert_string_equal(px_id, res.order_id);
	assert_int_equal(path_seen(z, path), 2); /* refused once, then placed */
	rz_assert_orders_agree(z);
	rz_close(z);
}

/* ---- restart ---- */

static bool market_stopped(struct rz *z, void *arg)
{
	(void)arg;
	return z->run.sim == NULL; /* paper_run's restart hook dropped it */
}

static bool market_back(struct rz *z, void *arg)
{
	(void)arg;
	return z->run.sim != NULL && z->run.p != NULL;
}

struct ups {
	uint32_t n[FEED_COUNT];
};

static bool all_reconnected(struct rz *z, void *arg)
{
	struct ups *u = arg;
	for (int f = 0; f < FEED_COUNT; f++)
		if (z->feed_ups[f] <= u->n[f] || z->st.feeds[f].state != FEED_UP)
			return false;
	return true;
}

static bool closed_in_client(struct rz *z, void *arg)
{
	const struct order *o = state_order_get(&z->st, arg);
	return o && !order_status_is_open(o->status);
}

static void canceled(void *arg, const struct intent_result *res)
{
	struct rz_pending *p = arg;
	p->res = *res;
	p->done = true;
}

static void restart(void **state)
{
	struct rz *z = *state;
	/* The pro tier: on the starter tier (REST counter 15, -0.33/s) the two
	 * private refreshes after the restart (7 units each, TradesHistory 4) hold
	 * the order status lookups back for ~25 s. */
	struct rz_opts o = {.state_file = true, .tier = KRAKEN_TIER_PRO};
	rz_open(z, &o);
	int btc = rz_instr(z, "BTC/USD"), fut = rz_instr(z, "PF_XBTUSD");
	/* A and F stay open; B and G will be cancelled while the client is away */
	char a[ORDER_ID_MAX], f[ORDER_ID_MAX], b[ORDER_ID_MAX], g[ORDER_ID_MAX];
	char *ids[] = {a, f, b, g};
	for (int i = 0; i < 4; i++) {
		struct order_req r = rz_passive_limit(z, i % 2 ? fut : btc, SIDE_BUY, 5 + i, 1);
		struct intent_result res = rz_place(z, &r);
		if (res.status != INTENT_OK)
			fail_msg("order %d: %s", i, res.message);
		snprintf(ids[i], ORDER_ID_MAX, "%s", res.order_id);
	}
	assert_int_equal(rz_assert_orders_agree(z), 4);

	/* priced now: the exchange cannot be asked while it is down */
	struct order_req down_spot = rz_passive_limit(z, btc, SIDE_BUY, 10, 1);
	struct order_req down_fut = rz_passive_limit(z, fut, SIDE_BUY, 10, 1);
	struct ups u;
	memcpy(u.n, z->feed_ups, sizeof u.n);
	rz_faults(z, "{\"restart\":{\"down_ms\":800}}");
	int64_t t0 = rz_now_ms();
	assert_true(rz_wait(z, market_stopped, NULL, 10000));
	/* the exchange is down (z->run.p is stale now: not touched until it is back);
	 * an order sent now waits for it, or fails knowing nothing was sent */
	struct rz_pending p_spot, p_fut;
	rz_place_start(z, &down_spot, &p_spot);
	rz_place_start(z, &down_fut, &p_fut);
	assert_true(rz_wait(z, market_back, NULL, 15000));
	int64_t t_up = rz_now_ms();
	/* changes the client has not heard of: cancelled while it was away */
	struct kerr err = KERR_INIT;
	assert_int_equal(px_cancel(rz_px(z), 1, b, &err), 0);
	assert_int_equal(px_cancel(rz_px(z), 1, g, &err), 0);
	assert_true(px_order_find(rz_px(z), 1, a) &&
	            px_order_is_open(px_order_find(rz_px(z), 1, a)));
	assert_true(px_order_find(rz_px(z), 1, f) &&
	            px_order_is_open(px_order_find(rz_px(z), 1, f)));

	if (!rz_wait(z, all_reconnected, &u, 30000))
		fail_msg("feeds after the restart: %s %s %s %s",
		         feed_state_name(z->st.feeds[0].state),
		         feed_state_name(z->st.feeds[1].state),
		         feed_state_name(z->st.feeds[2].state),
		         feed_state_name(z->st.feeds[3].state));
	int64_t t_feeds = rz_now_ms();
	assert_true(rz_wait(z, rz_pending_done, &p_spot, 30000));
	assert_true(rz_wait(z, rz_pending_done, &p_fut, 30000));
	struct {
		struct order_req *r;
		struct rz_pending *p;
	} down[] = {{&down_spot, &p_spot}, {&down_fut, &p_fut}};
	for (int i = 0; i < 2; i++) {
		const struct instrument *in = state_instrument(&z->st, down[i].r->instr);
		char id[PX_ID_MAX];
		size_t n = rz_px_count_cl(z, in->product, down[i].r->cl_id, id, sizeof id);
		printf("# %s order sent while down: %s (%s)\n", in->id,
		       status_name(down[i].p->res.status), down[i].p->res.message);
		if (down[i].p->res.status == INTENT_OK)
			assert_true(n == 1 && strcmp(id, down[i].p->res.order_id) == 0);
		else
			assert_int_equal(n, 0);
	}
	/* reconciled: B and G closed in the client; A and F (and what was placed
	 * while down) open in both */
	int64_t t_b = rz_now_ms();
	assert_true(rz_wait(z, closed_in_client, b, 30000));
	printf("# B seen closed after %lld ms\n", (long long)(rz_now_ms() - t_b));
	assert_true(rz_wait(z, closed_in_client, g, 30000));
	rz_assert_orders_agree(z);
	assert_true(order_status_is_open(state_order_get(&z->st, a)->status));
	assert_true(order_status_is_open(state_order_get(&z->st, f)->status));

	/* new orders and cancels work */
	for (int i = 0; i < 2; i++) {
		struct order_req r = rz_passive_limit(z, i ? fut : btc, SIDE_BUY, 4, 2);
		struct intent_result res = rz_place(z, &r);
		assert_int_equal(res.status, INTENT_OK);
		assert_int_equal(rz_px_count_cl(z, i ? PX_FUTURES : PX_SPOT, r.cl_id, NULL, 0), 1);
	}
	for (int i = 0; i < 2; i++) {
		struct rz_pending p = {0};
		assert_int_equal(intent_cancel(&z->st, i ? f : a, canceled, &p, &err), 0);
		assert_true(rz_wait(z, rz_pending_done, &p, 30000));
		assert_int_equal(p.res.status, INTENT_OK);
		assert_false(px_order_is_open(px_order_find(rz_px(z), 1, i ? f : a)));
	}
	rz_assert_orders_agree(z);
	printf("# restart: exchange back %lld ms after the request, every feed up again %lld ms "
	       "after that\n",
	       (long long)(t_up - t0), (long long)(t_feeds - t_up));
	rz_close(z);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test_setup_teardown(spot_orders, rz_setup, rz_teardown),
	        cmocka_unit_test_setup_teardown(futures_orders, rz_setup, rz_teardown),
	        cmocka_unit_test_setup_teardown(spot_nonce_race, rz_setup, rz_teardown),
	        cmocka_unit_test_setup_teardown(restart, rz_setup, rz_teardown),
	};
	return kt_run_tests(tests);
}
