/* test_client_refresh: the client re-reads the futures instrument metadata
 * on its timer. A Futures-only client (no keys, no feeds) talks to a small
 * HTTP server on the same loop (127.0.0.1, port 0) that answers
 * /derivatives/api/v3/instruments with a different document each time; the
 * period is set to a few milliseconds through cfg.instr_refresh_ms, so the
 * timer really fires. It proves: the first load, then a refresh that
 * replaces the metadata (tick size, contract size) and adds a new listing;
 * a refresh whose answer is unreadable leaves the state as it was and the
 * next tick tries again; and nothing is requested after the client is freed.
 * Waiting is "run until the condition holds", with a generous watchdog. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/dec.h"
#include "core/state.h"
#include "kraken/client.h"
#include "net/http_server.h"
#include "net/loop.h"
#include "tests/fixtures/net/nettest.h"
#include "tests/unit/unit.h"

#define PATH "/derivatives/api/v3/instruments"

/* PF_XBTUSD with a tick size, and optionally PF_ETHUSD (a new listing). */
static const char *const docs[] = {
        /* 1: the start-up load */
        "{\"result\":\"success\",\"instruments\":[{\"symbol\":\"PF_XBTUSD\",\"type\":"
        "\"flexible_futures\",\"base\":\"XBT\",\"quote\":\"USD\",\"tickSize\":0.5,"
        "\"contractSize\":1,\"tradeable\":true,\"contractValueTradePrecision\":4}]}",
        /* 2: unreadable (no instruments): nothing may change */
        "{\"result\":\"success\",\"serverTime\":\"2024-03-01T10:00:00.000Z\"}",
        /* 3: a new tick size and a new contract */
        "{\"result\":\"success\",\"instruments\":[{\"symbol\":\"PF_XBTUSD\",\"type\":"
        "\"flexible_futures\",\"base\":\"XBT\",\"quote\":\"USD\",\"tickSize\":1,"
        "\"contractSize\":1,\"tradeable\":true,\"contractValueTradePrecision\":3},"
        "{\"symbol\":\"PF_ETHUSD\",\"type\":\"flexible_futures\",\"base\":\"ETH\",\"quote\":"
        "\"USD\",\"tickSize\":0.1,\"contractSize\":1,\"tradeable\":true,"
        "\"contractValueTradePrecision\":2}]}",
};

struct t {
	struct kt_loop *loop;
	struct http_server *srv;
	struct state st;
	struct kraken_client *kc;
	int requests;       /* instrument requests answered */
	int other_requests; /* anything else (must stay 0) */
	bool ready;
	char ready_error[600];
	dec_t tick_at_third; /* PF_XBTUSD's tick when the third request came */
	int instr_events;
	int stop_after;   /* stop the loop once this many requests were answered... */
	bool stop_on_eth; /* ...or once PF_ETHUSD is known */
};

static void on_request(void *ctx, struct http_request *req)
{
	struct t *t = ctx;
	if (strcmp(req->path, PATH) != 0) {
		t->other_requests++;
		http_reply(req, 404, NULL, "", 0, NULL);
		return;
	}
	int i = t->requests < 2 ? t->requests : 2;
	if (t->requests == 2) {
		int idx = state_find_instrument(&t->st, "PF_XBTUSD");
		t->tick_at_third = state_instrument(&t->st, idx)->tick;
	}
	t->requests++;
	http_reply(req, 200, "application/json", docs[i], strlen(docs[i]), NULL);
	if (t->stop_after && t->requests >= t->stop_after)
		kt_loop_stop(t->loop);
}

static void on_event(void *ctx, const struct state_event *ev)
{
	struct t *t = ctx;
	if (ev->kind != EV_INSTRUMENTS)
		return;
	t->instr_events++;
	if (t->stop_on_eth && state_find_instrument(&t->st, "PF_ETHUSD") >= 0)
		kt_loop_stop(t->loop);
}

static void on_ready(void *arg, const char *error)
{
	struct t *t = arg;
	t->ready = true;
	snprintf(t->ready_error, sizeof t->ready_error, "%s", error ? error : "");
	kt_loop_stop(t->loop);
}

static void stopped(void *arg)
{
	kt_loop_stop(arg);
}

static dec_t D(const char *s)
{
	dec_t v;
	assert_int_equal(dec_parse(s, (size_t)-1, &v, NULL), 0);
	return v;
}

static const struct instrument *instr(struct t *t, const char *id)
{
	return state_instrument(&t->st, state_find_instrument(&t->st, id));
}

static void refresh_on_timer(void **s)
{
	(void)s;
	struct t *t = calloc(1, sizeof *t);
	struct kerr err = KERR_INIT;
	t->loop = kt_loop_new(NULL, &err);
	assert_non_null(t->loop);
	static const struct http_server_ops ops = {.on_request = on_request};
	t->srv = http_server_start(kt_loop_uv(t->loop), "127.0.0.1", 0, &ops, t, &err);
	if (!t->srv)
		fail_msg("http_server_start: %s", err.msg);
	char url[64];
	snprintf(url, sizeof url, "http://127.0.0.1:%d", http_server_port(t->srv));
	state_init(&t->st);
	state_listen(&t->st, on_event, t);
	/* hourly unless told otherwise; a few ms here */
	assert_int_equal(KRAKEN_INSTR_REFRESH_MS, 3600000u);
	struct kraken_client_cfg cfg = {.futures = {.rest_url = url}, .instr_refresh_ms = 5};
	t->kc = kraken_client_new(t->loop, &t->st, &cfg, &err);
	if (!t->kc)
		fail_msg("kraken_client_new: %s", err.msg);

	/* start-up: the first load */
	kraken_client_start(t->kc, on_ready, t);
	assert_true(nt_run(t->loop, 10000));
	assert_true(t->ready);
	assert_string_equal(t->ready_error, "");
	assert_int_equal(t->requests, 1);
	assert_true(dec_eq(instr(t, "PF_XBTUSD")->tick, D("0.5")));
	assert_int_equal(state_find_instrument(&t->st, "PF_ETHUSD"), -1);

	/* the timer fires: an unreadable answer, then the new metadata */
	t->stop_on_eth = true;
	assert_true(nt_run(t->loop, 10000));
	assert_int_equal(t->requests, 3);
	/* the unreadable second answer changed nothing */
	assert_true(dec_eq(t->tick_at_third, D("0.5")));
	/* the third replaced the metadata in place and added the new listing */
	const struct instrument *xbt = instr(t, "PF_XBTUSD");
	assert_int_equal(state_find_instrument(&t->st, "PF_XBTUSD"), 0);
	assert_true(dec_eq(xbt->tick, D("1")));
	assert_int_equal(xbt->product, PRODUCT_FUTURES);
	const struct instrument *eth = instr(t, "PF_ETHUSD");
	assert_non_null(eth);
	assert_true(dec_eq(eth->tick, D("0.1")));
	assert_int_equal(state_find_instrument(&t->st, "pf_ethusd"), 1);
	assert_true(t->instr_events >= 2);

	/* it keeps going, one request at a time */
	t->stop_on_eth = false;
	t->stop_after = t->requests + 2;
	assert_true(nt_run(t->loop, 10000));
	assert_int_equal(t->requests, t->stop_after);

	/* freed: the timer is gone with the client */
	kraken_client_free(t->kc);
	int before = t->requests;
	t->stop_after = 0;
	nt_run(t->loop, 100); /* a watchdog expiry is the expected outcome here */
	assert_int_equal(t->requests, before);
	assert_int_equal(t->other_requests, 0);

	http_server_stop(t->srv, stopped, t->loop);
	assert_true(nt_run(t->loop, 5000));
	state_free(&t->st);
	kt_loop_free(t->loop);
	free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(refresh_on_timer),
	};
	return kt_run_tests(tests);
}
