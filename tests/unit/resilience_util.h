/* resilience_util: the fixture of the fault scenarios (tests/unit/test_resilience*.c).
 *
 * One process, one loop: the paper exchange with its living market
 * (app/paper_run.h, 127.0.0.1 port 0) and the real Kraken client
 * (kraken/client.h: both products, public and private feeds, the keys of
 * paper account 1, a nonce directory in a temporary directory), wired as
 * src/app/backend.c wires them. Faults are switched with faults_configure()
 * on whatever paper is current (a restart replaces it).
 *
 * Waiting is always "run the loop until a condition holds, or give up after a
 * generous deadline" (scaled by $KT_TEST_TIME_SCALE): nothing here asserts on
 * how long something took. With $KT_TEST_LOG set the library log goes to
 * stderr.
 *
 * Lifetime: rz_open() ... rz_close(); rz_close() releases everything
 * (client, exchange, loop, state, temporary directory). */
#ifndef KT_TESTS_RESILIENCE_UTIL_H
#define KT_TESTS_RESILIENCE_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "app/paper_run.h"
#include "core/state.h"
#include "kraken/client.h"
#include "paper/faults.h"
#include "paper/px.h"
#include "paper/server.h"

struct rz_opts {
	bool state_file;          /* keep the exchange's state in a file (restarts) */
	bool no_feeds;            /* REST only (no WebSocket feeds) */
	const char *early_faults; /* faults switched on before the client starts */
	uint32_t sim_rate;        /* book operations per second per instrument; 0 = 50 */
	enum kraken_tier tier;    /* Spot verification tier (rate limits); 0 = starter */
	bool no_client;           /* the exchange alone (other processes are the clients) */
};

struct rz {
	struct kt_loop *loop;
	struct paper_run run; /* run.p and run.sim change when the exchange restarts */
	struct state st;
	struct kraken_client *kc;
	char dir[128]; /* temporary directory (nonces, state file) */
	char nonce_dir[192];
	char state_path[192];
	struct paper_urls urls;
	bool ready;
	char error[600];
	/* what the state's events showed */
	uint32_t feed_ups[FEED_COUNT];   /* transitions to FEED_UP */
	uint32_t feed_downs[FEED_COUNT]; /* transitions from FEED_UP to anything else */
	int64_t feed_up_ms[FEED_COUNT];  /* monotonic ms of the last FEED_UP */
	int64_t feed_down_ms[FEED_COUNT];
	int watch_instr;      /* the instrument whose stale flag is tracked (-1: none) */
	uint32_t stale_seen;  /* EV_BOOK events that showed watch_instr stale */
	uint32_t fresh_again; /* times its book became valid again after being stale */
	bool was_stale;
};

/* cmocka fixtures: *state is a zeroed struct rz for the test to rz_open();
 * the teardown closes it if the test did not (a failed check), so the
 * exchange, the client and the temporary directory never outlive a test. */
int rz_setup(void **state);
int rz_teardown(void **state);

/* Milliseconds scaled by $KT_TEST_TIME_SCALE (deadlines only). */
unsigned rz_ms(unsigned ms);
int64_t rz_now_ms(void);

/* Start the exchange (market simulated) and the client; wait until the client
 * is ready (instruments and the first private snapshot) and every feed is up.
 * Fails the test on any error. */
void rz_open(struct rz *z, const struct rz_opts *o);
/* The client alone, to an exchange that runs elsewhere (another process):
 * loop, state and client as rz_open() makes them. rz_close() releases it. */
void rz_connect(struct rz *z, const struct paper_urls *urls, const struct px_keys *k,
                const char *nonce_dir, const struct rz_opts *o);
void rz_close(struct rz *z);

/* The exchange's current paper and px (a restart replaces them). */
struct paper *rz_paper(struct rz *z);
struct px *rz_px(struct rz *z);

/* Run the loop until cond(z, arg) holds (true) or timeout_ms passed (false). */
typedef bool (*rz_cond)(struct rz *z, void *arg);
bool rz_wait(struct rz *z, rz_cond cond, void *arg, unsigned timeout_ms);
/* Run the loop for ms (letting a stream flow; never an assertion). */
void rz_pump(struct rz *z, unsigned ms);
/* Is the feed up? (cond-compatible: arg is an enum feed_id cast through intptr_t) */
bool rz_feed_is_up(struct rz *z, void *feed);
bool rz_all_feeds_up(struct rz *z, void *unused);

/* faults_configure() on the current paper; fails the test if refused. */
void rz_faults(struct rz *z, const char *json);
/* The fault state (counters) of the current paper (created if needed). */
struct faults_state *rz_fstate(struct rz *z);

/* Instruments: the client's index of an id ("BTC/USD", "PF_XBTUSD") and the
 * exchange's record of it. */
int rz_instr(struct rz *z, const char *id);
const struct px_instr *rz_px_instr(struct rz *z, int instr);

/* Stop / restart the market simulator (the book keeps still while stopped). */
void rz_sim_stop(struct rz *z);
void rz_sim_start(struct rz *z);

/* Watch an instrument's book like the UI does (intent_watch), track its stale
 * flag, and wait until the book is valid and not stale. */
void rz_watch(struct rz *z, int instr, int depth);
/* Does the client's book of instr equal the exchange's, level by level, up to
 * `levels` per side (0: every level the exchange has)? why gets the first
 * difference. */
bool rz_book_equal(struct rz *z, int instr, size_t levels, char *why, size_t cap);
/* Wait (the simulator stopped) until the books are equal; fails the test with
 * the last difference otherwise. Returns the levels compared per side. */
size_t rz_assert_books_equal(struct rz *z, int instr, size_t levels);

/* ---- orders ---- */

/* A limit order of instr resting `away_pct` percent behind the exchange's best
 * price on its side (never marketable), of the instrument's minimum size
 * times `mult`. cl_id is filled by intent_place. */
struct order_req rz_passive_limit(struct rz *z, int instr, enum side side, int away_pct, int mult);
/* A market order of the minimum size times mult. */
struct order_req rz_market(struct rz *z, int instr, enum side side, int mult);

struct rz_pending {
	bool done;
	struct intent_result res;
};
/* intent_place(); the result lands in *pend. Fails the test if refused at once. */
void rz_place_start(struct rz *z, struct order_req *req, struct rz_pending *pend);
/* Place and wait for the result (fails the test on timeout). */
struct intent_result rz_place(struct rz *z, struct order_req *req);
bool rz_pending_done(struct rz *z, void *pend);

/* Orders of account 1 at the exchange with this client order id (open and
 * closed), and the id of the last one found. */
size_t rz_px_count_cl(struct rz *z, int product, const char *cl_id, char *id_out, size_t cap);
/* Open orders of account 1 for a product. */
size_t rz_px_open_count(struct rz *z, int product);
/* The client's open orders and the exchange's open orders of account 1 are the
 * same set of ids (both products), and no client order id is used by two
 * orders at the exchange. why (may be NULL) gets the first difference. */
bool rz_orders_agree(struct rz *z, char *why, size_t cap);
/* Wait until they agree; fails the test with the difference otherwise.
 * Returns how many orders are open. */
size_t rz_assert_orders_agree(struct rz *z);

#endif
