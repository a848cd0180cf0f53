/* fut_rest_fake: the Futures REST session's test fixture (test_fut_rest.c,
 * test_fut_rest_account.c): a fake transport that records every request and
 * lets the test answer it, a fake clock with timers, and a session (struct ctx)
 * on a state holding the test instruments, signing with the §6.2 key. */
#ifndef KT_TESTS_UNIT_FUT_REST_FAKE_H
#define KT_TESTS_UNIT_FUT_REST_FAKE_H

#include <stdbool.h>
#include <stdint.h>

#include "core/state.h"
#include "kraken/fut_rest.h"
#include "net/http_client.h"

/* The API secret of the reference's §6.2 vectors. */
#define SECRET                                                                                     \
	"79Zdrg0VIuDdflFPXNbzy/3b/f6GwAvZYgYUXvYjS/ZROxrNPx0k4yyUvThOZ7kKTecCXn0nG8aC1jZz07h8ww=="

#define FMAX 200 /* requests and timers a case may make */

/* One request as the session sent it; cb answers it. */
struct freq {
	char method[8];
	char url[1024];
	char body[4096];
	char hdr[8][200];
	int nh;
	void (*cb)(void *arg, const struct http_result *r);
	void *arg;
	bool open;
};

struct ftimer {
	uint64_t at;
	void (*cb)(void *arg);
	void *arg;
	bool live;
};

/* The transport and clock: every request and timer, in order. */
struct fake {
	uint64_t now;
	struct freq req[FMAX];
	int nreq;
	struct ftimer tm[FMAX];
	int ntm;
};

/* A session under test and what it reported last. */
struct ctx {
	struct fake f;
	struct state st;
	struct fut_rest *fr;
	char dir[256];
	uint64_t clock_us;
	int calls;
	struct intent_result res;
};

/* Move the fake clock on by ms, firing the timers that come due. */
void advance(struct fake *f, uint64_t ms);
/* A header of the request ("" if absent). */
const char *hdr(const struct freq *q, const char *name);
/* Answer request q (once). */
void respond_full(struct freq *q, int status, const char *body, const char *retry_after);
void respond(struct freq *q, int status, const char *body);
void respond_fixture(struct freq *q, const char *name); /* tests/fixtures/fut_rest/NAME */
void respond_error(struct freq *q, enum http_err kind);
struct freq *last(struct fake *f);
int count_path(const struct fake *f, const char *path);

/* on_result: counts calls and keeps the last result in c->res. */
void on_result(void *arg, const struct intent_result *res);
/* A session with or without keys; recon_ms: the reconcile delay (0 = default). */
struct ctx *setup(bool keys, uint32_t recon_ms);
void teardown(struct ctx *c);
/* A limit buy of 0.01 PF_XBTUSD at 50000 with client id cl. */
struct order_req f2_order(struct ctx *c, const char *cl);

#endif
