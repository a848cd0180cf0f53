/* test_resilience_rest: the real Kraken client against the paper exchange's REST
 * faults (one process, one loop; tests/unit/resilience_util.h). Every request
 * the exchange sees on a faulted path is counted (the rules' counters) and
 * time-stamped while the loop runs. What each case proves:
 *   - startup_public_reads: HTTP 503 on Spot AssetPairs and apiLimitExceeded on
 *     Futures instruments at start-up: the client retries them and starts;
 *     each was asked for exactly once more than it failed;
 *   - private_reads: HTTP 503, HTTP 429, EAPI:Rate limit exceeded and
 *     EService:Unavailable on the Spot reads of a private refresh, HTTP 502,
 *     HTTP 429 (Retry-After: 1), apiLimitExceeded and "Unavailable" on the
 *     Futures reads: each read is retried until it succeeds, once per failure
 *     (no duplicates), and each retry waited at least the policy's backoff for
 *     its attempt;
 *   - no_retry_storm: a read that keeps failing is asked for at most 4 times in
 *     3 s, with waits that double (Spot: 250+ ms, 500+, 1000+, 2000+); a
 *     Futures read that keeps failing is given up after 4 tries, and nothing
 *     is sent for it afterwards.
 * The waits are checked as lower bounds only (a loaded machine only makes them
 * longer); nothing asserts that something happened quickly. */
#include <stdio.h>
#include <string.h>

#include "tests/unit/resilience_util.h"
#include "tests/unit/unit.h"

#define TOL_MS 100 /* time stamps are taken between loop turns (a late turn shortens a gap) */

/* The requests seen on one path: every rule with that path counts them. */
struct track {
	const char *path;
	unsigned n;
	int64_t t[16];
};

static unsigned path_seen(struct rz *z, const char *path)
{
	const struct faults_state *fs = rz_fstate(z);
	unsigned n = 0;
	for (size_t i = 0; i < fs->nrules; i++)
		if (strcmp(fs->rules[i].path, path) == 0)
			n += fs->rules[i].seen;
	return n;
}

struct tracking {
	struct track *tr;
	size_t n;
	bool *done;    /* what the wait is for (NULL: never) */
	int64_t until; /* or a time (0: none) */
};

/* Called between loop turns: time-stamp what arrived since. */
static bool track_cond(struct rz *z, void *arg)
{
	struct tracking *k = arg;
	int64_t now = rz_now_ms();
	for (size_t i = 0; i < k->n; i++) {
		struct track *t = &k->tr[i];
		unsigned seen = path_seen(z, t->path);
		while (t->n < seen && t->n < 16)
			t->t[t->n++] = now;
	}
	if (k->done && *k->done)
		return true;
	return k->until && now >= k->until;
}

/* Counting rules (a delay of 0: the request goes through) behind the faults. */
static void add_counters(struct rz *z, struct track *tr, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char json[200];
		snprintf(json, sizeof json,
		         "{\"rest\":[{\"fault\":\"delay\",\"ms\":0,\"path\":\"%s\"}]}", tr[i].path);
		rz_faults(z, json);
	}
}

/* Each wait before a retry was at least min_ms * 2^k (k = the retry). */
static void assert_backoff(const struct track *t, unsigned min_ms, unsigned first_k)
{
	for (unsigned i = 1; i < t->n; i++) {
		int64_t gap = t->t[i] - t->t[i - 1];
		int64_t want = (int64_t)min_ms << (first_k + i - 1);
		if (gap + TOL_MS < want)
			fail_msg("%s: retry %u came %lld ms after the previous try (at least %lld)",
			         t->path, i, (long long)gap, (long long)want);
	}
}

static void print_track(const struct track *t)
{
	char buf[200];
	size_t o = 0;
	for (unsigned i = 1; i < t->n && o < sizeof buf; i++)
		o += (size_t)snprintf(buf + o, sizeof buf - o, "%s%lld", i > 1 ? ", " : "",
		                      (long long)(t->t[i] - t->t[i - 1]));
	printf("# %s: %u tries, waits %s ms\n", t->path, t->n, t->n > 1 ? buf : "-");
}

static void refreshed(void *arg)
{
	*(bool *)arg = true;
}

/* ---- start-up ---- */

static void startup_public_reads(void **state)
{
	struct rz *z = *state;
	struct rz_opts o = {
	        .no_feeds = true,
	        .early_faults =
	                "{\"rest\":[{\"fault\":\"http\",\"status\":503,\"path\":\"/0/public/"
	                "AssetPairs\","
	                "\"count\":2},{\"fault\":\"rate_limit\",\"path\":\"/derivatives/api/v3/"
	                "instruments\",\"count\":1},{\"fault\":\"delay\",\"ms\":0,\"path\":\"/0/"
	                "public/"
	                "AssetPairs\"},{\"fault\":\"delay\",\"ms\":0,\"path\":\"/derivatives/api/"
	                "v3/"
	                "instruments\"}]}",
	};
	rz_open(z, &o); /* ready: both instrument lists loaded */
	assert_true(rz_instr(z, "BTC/USD") >= 0 && rz_instr(z, "PF_XBTUSD") >= 0);
	assert_int_equal(path_seen(z, "/0/public/AssetPairs"), 3);
	assert_int_equal(path_seen(z, "/derivatives/api/v3/instruments"), 2);
	assert_int_equal(rz_fstate(z)->n_rest[FAULTS_R_HTTP], 2);
	assert_int_equal(rz_fstate(z)->n_rest[FAULTS_R_RATE_LIMIT], 1);
	rz_close(z);
}

/* ---- private reads ---- */

/* The pro tier's REST counter (20, -1/s) keeps the waits short: on the starter
 * tier (15, -0.33/s) a private refresh costs 7 units (TradesHistory 4), and
 * after "EAPI:Rate limit exceeded" every call waits ~3 s per unit. */
static const struct rz_opts pro = {.tier = KRAKEN_TIER_PRO};

static void private_reads(void **state)
{
	struct rz *z = *state;
	rz_open(z, &pro);
	struct track tr[] = {
	        {"/0/private/BalanceEx", 0, {0}},
	        {"/0/private/OpenOrders", 0, {0}},
	        {"/0/private/TradesHistory", 0, {0}},
	        {"/0/private/OpenPositions", 0, {0}},
	        {"/derivatives/api/v3/accounts", 0, {0}},
	        {"/derivatives/api/v3/openorders", 0, {0}},
	        {"/derivatives/api/v3/fills", 0, {0}},
	        {"/derivatives/api/v3/openpositions", 0, {0}},
	};
	rz_faults(
	        z,
	        "{\"rest\":["
	        "{\"fault\":\"http\",\"status\":503,\"path\":\"/0/private/BalanceEx\",\"count\":2},"
	        "{\"fault\":\"http\",\"status\":429,\"path\":\"/0/private/"
	        "OpenOrders\",\"count\":1},"
	        "{\"fault\":\"rate_limit\",\"path\":\"/0/private/TradesHistory\",\"count\":1},"
	        "{\"fault\":\"unavailable\",\"path\":\"/0/private/OpenPositions\",\"count\":1},"
	        "{\"fault\":\"http\",\"status\":502,\"path\":\"/derivatives/api/v3/accounts\","
	        "\"count\":2},"
	        "{\"fault\":\"http\",\"status\":429,\"path\":\"/derivatives/api/v3/openorders\","
	        "\"count\":1},"
	        "{\"fault\":\"rate_limit\",\"path\":\"/derivatives/api/v3/fills\",\"count\":1},"
	        "{\"fault\":\"unavailable\",\"path\":\"/derivatives/api/v3/openpositions\","
	        "\"count\":1}]}");
	size_t n = sizeof tr / sizeof tr[0];
	add_counters(z, tr, n);
	bool done = false;
	struct tracking k = {tr, n, &done, 0};
	kraken_client_refresh(z->kc, refreshed, &done);
	assert_true(rz_wait(z, track_cond, &k, 60000));
	rz_pump(z, 300);
	track_cond(z, &k);
	/* one try more than failures: every read ended well, none was doubled */
	static const unsigned want[] = {3, 2, 2, 2, 3, 2, 2, 2};
	for (size_t i = 0; i < n; i++) {
		print_track(&tr[i]);
		if (tr[i].n != want[i])
			fail_msg("%s: %u tries, expected %u", tr[i].path, tr[i].n, want[i]);
	}
	const struct faults_state *fs = rz_fstate(z);
	assert_int_equal(fs->n_rest[FAULTS_R_HTTP], 6);
	assert_int_equal(fs->n_rest[FAULTS_R_RATE_LIMIT], 2);
	assert_int_equal(fs->n_rest[FAULTS_R_UNAVAILABLE], 2);
	/* Spot backoff: 500 ms doubling, each wait drawn from [d/2, d] */
	for (size_t i = 0; i < 4; i++)
		assert_backoff(&tr[i], 250, 0);
	/* Futures: 1 s doubling, the same way; a 429 waits for its Retry-After (1 s) */
	assert_backoff(&tr[4], 500, 0);
	assert_backoff(&tr[5], 1000, 0);
	assert_backoff(&tr[6], 500, 0);
	assert_backoff(&tr[7], 500, 0);
	assert_non_null(state_balance(&z->st, "USD"));
	rz_close(z);
}

/* ---- no storm ---- */

static void no_retry_storm(void **state)
{
	struct rz *z = *state;
	rz_open(z, &pro);
	struct track tr[] = {
	        {"/0/private/BalanceEx", 0, {0}},
	        {"/derivatives/api/v3/accounts", 0, {0}},
	};
	/* Spot: fails 4 times, then answers; Futures: fails for ever */
	rz_faults(
	        z,
	        "{\"rest\":["
	        "{\"fault\":\"http\",\"status\":503,\"path\":\"/0/private/BalanceEx\",\"count\":4},"
	        "{\"fault\":\"http\",\"status\":503,\"path\":\"/derivatives/api/v3/accounts\"}]}");
	add_counters(z, tr, 1);
	bool done = false;
	struct tracking k = {tr, 2, NULL, rz_now_ms() + 3000};
	kraken_client_refresh(z->kc, refreshed, &done);
	rz_wait(z, track_cond, &k, 10000);
	/* in the first 3 s: at most 4 tries of each (0, 250+, 750+, 1750+) */
	assert_true(tr[0].n >= 1 && tr[0].n <= 4);
	assert_true(tr[1].n >= 1 && tr[1].n <= 3); /* futures: 0, 500+, 1500+ */
	unsigned spot_3s = tr[0].n, fut_3s = tr[1].n;
	k.until = 0;
	k.done = &done;
	assert_true(rz_wait(z, track_cond, &k, 30000));
	/* the refresh has finished: spot read on its 5th try, futures gave up after 4 */
	rz_pump(z, 1500);
	track_cond(z, &k);
	assert_int_equal(tr[0].n, 5);
	assert_int_equal(tr[1].n, 4);
	assert_backoff(&tr[0], 250, 0);
	assert_backoff(&tr[1], 500, 0);
	printf("# in the first 3 s: %u spot tries, %u futures tries\n", spot_3s, fut_3s);
	print_track(&tr[0]);
	print_track(&tr[1]);
	rz_close(z);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test_setup_teardown(startup_public_reads, rz_setup, rz_teardown),
	        cmocka_unit_test_setup_teardown(private_reads, rz_setup, rz_teardown),
	        cmocka_unit_test_setup_teardown(no_retry_storm, rz_setup, rz_teardown),
	};
	return kt_run_tests(tests);
}
