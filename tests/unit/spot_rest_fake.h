/* spot_rest_fake: a fake transport and clock for the Spot REST session
 * (struct spot_rest_io): requests are recorded and answered by the test,
 * timers fire when the test advances the clock. Nothing touches the network
 * and nothing sleeps. */
#ifndef KT_TESTS_SPOT_REST_FAKE_H
#define KT_TESTS_SPOT_REST_FAKE_H

#include <stdbool.h>
#include <stdint.h>

#include "kraken/spot_rest.h"

#define FAKE_MAX 256

struct fake_call {
	char method[8];
	char url[512];
	char *body;
	char headers[4][300];
	void (*cb)(void *arg, const struct http_result *res);
	void *arg;
	bool answered, cancelled;
};

struct fake_timer {
	uint64_t due;
	void (*cb)(void *arg);
	void *arg;
	bool active;
};

struct fake {
	uint64_t now, wall;
	uint32_t rnd;
	struct fake_call calls[FAKE_MAX];
	int ncalls;
	struct fake_timer timers[FAKE_MAX];
	int ntimers;
	char nonce_dir[256];
};

/* Set up a fake with mono time 1000000 ms and wall time 1700000000000 ms and a
 * temporary nonce directory. */
void fake_init(struct fake *f);
void fake_free(struct fake *f);
struct spot_rest_io fake_io(struct fake *f);
/* Fire every timer due now (repeatedly, as callbacks add more). */
void fake_run(struct fake *f);
/* Move both clocks forward and fire what became due. */
void fake_advance(struct fake *f, uint64_t ms);
/* Calls not answered yet. */
int fake_pending(const struct fake *f);
/* The index of the n-th unanswered call (0 = oldest), or -1. */
int fake_nth_pending(const struct fake *f, int n);
/* Answer call i with an HTTP response, or fail it at the transport level. */
void fake_respond(struct fake *f, int i, int status, const char *body);
void fake_fail(struct fake *f, int i, enum http_err kind, const char *msg);
/* Answer call i with a fixture under spot_rest/. */
void fake_respond_fixture(struct fake *f, int i, const char *name);
/* The value of header `name` of call i ("" if absent). */
const char *fake_header(const struct fake *f, int i, const char *name);
/* How many calls so far went to this URL path suffix ("/0/private/AddOrder"). */
int fake_count(const struct fake *f, const char *path);

#endif
