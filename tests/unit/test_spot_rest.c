/* test_spot_rest: the Spot REST session over a fake transport and clock —
 * public GETs and signed private POSTs (form and JSON), requests waiting
 * their turn behind the REST counter and the per-pair matching-engine
 * counter, trading requests ahead of reads, backoff on "Rate limit
 * exceeded" / HTTP 429 / "Throttled: <ts>", retries of reads, the
 * reconciliation of orders with an unknown outcome (found open, found
 * closed, not found, lookup failing; never resent), cancels and amends read
 * back, the private refresh, and the rate-limit view in the state. */
#include <stdlib.h>
#include <string.h>

#include "kraken/spot_rest.h"
#include "net/sign.h"
#include "tests/unit/spot_rest_fake.h"
#include "tests/unit/spot_rest_util.h"
#include "tests/unit/unit.h"

#define SECRET "kQH5HW/8p1uGOVjbgWA7FunAmGO8lsSUXNsu3eow76sz84Q18fWxnyRzBHCd3pd5nE9qa99HAZtuZuj6F1huXg=="
#define CLID "6d1b345e-2821-40e2-ad83-4ecb18a06876"

struct t {
	struct fake f;
	struct state st;
	struct spot_rest *sr;
	struct intent_result res;
	int nres;
	int done_rc, ndone;
	char done_msg[300];
	int nreplies;
	struct spot_reply last;
	int limits_events;
};

static struct t *T;

static void on_limits(void *ctx, const struct state_event *ev)
{
	if (ev->kind == EV_LIMITS)
		((struct t *)ctx)->limits_events++;
}

static void open_session(struct t *t, enum kraken_tier tier, unsigned inflight)
{
	struct spot_rest_cfg cfg = {.base_url = "http://kraken.test/",
				    .api_key = "KEY",
				    .api_secret = SECRET,
				    .nonce_dir = t->f.nonce_dir,
				    .tier = tier,
				    .max_private_inflight = inflight,
				    .reconcile_delay_ms = 1000};
	struct kerr e = KERR_INIT;
	t->sr = spot_rest_new(NULL, &t->st, &cfg, &e);
	if (!t->sr)
		fail_msg("spot_rest_new: %s", e.msg);
	struct spot_rest_io io = fake_io(&t->f);
	spot_rest_set_io(t->sr, &io);
}

static int setup(void **s)
{
	(void)s;
	T = calloc(1, sizeof *T);
	fake_init(&T->f);
	srt_state_init(&T->st);
	state_listen(&T->st, on_limits, T);
	open_session(T, KRAKEN_TIER_STARTER, 1);
	return 0;
}

static int teardown(void **s)
{
	(void)s;
	spot_rest_free(T->sr);
	state_free(&T->st);
	fake_free(&T->f);
	free(T);
	return 0;
}

static void on_intent(void *arg, const struct intent_result *r)
{
	struct t *t = arg;
	t->res = *r;
	t->nres++;
}

static void on_done(void *arg, int rc, const char *msg)
{
	struct t *t = arg;
	t->done_rc = rc;
	t->ndone++;
	snprintf(t->done_msg, sizeof t->done_msg, "%s", msg ? msg : "");
}

static void on_reply(void *arg, const struct spot_reply *r)
{
	struct t *t = arg;
	t->nreplies++;
	t->last = *r;
	t->last.doc = NULL;
	t->last.error = NULL;
}

static dec_t D(const char *s)
{
	dec_t v;
	assert_int_equal(dec_parse(s, (size_t)-1, &v, NULL), 0);
	return v;
}

static void call(const char *method, unsigned flags)
{
	struct spot_params p;
	spot_params_init(&p);
	struct spot_call c = {.method = method, .flags = flags};
	assert_int_equal(spot_rest_call(T->sr, &c, &p, on_reply, T, NULL), 0);
}

/* ---- transport ---- */

static void public_get(void **s)
{
	(void)s;
	assert_int_equal(spot_rest_fetch_ticker(T->sr, &T->st, SRT_BTCUSD, on_done, T), 0);
	assert_int_equal(fake_pending(&T->f), 0); /* never inside the call */
	fake_run(&T->f);
	assert_int_equal(T->f.ncalls, 1);
	assert_string_equal(T->f.calls[0].method, "GET");
	assert_string_equal(T->f.calls[0].url, "http://kraken.test/0/public/Ticker?pair=XBTUSD");
	assert_string_equal(fake_header(&T->f, 0, "API-Key"), "");
	fake_respond_fixture(&T->f, 0, "ticker.json");
	assert_int_equal(T->ndone, 1);
	assert_int_equal(T->done_rc, 0);
	assert_true(dec_eq(state_market_peek(&T->st, SRT_BTCUSD)->ticker.last, D("30303.2")));
	assert_int_equal(T->st.rest_rtt_us[PRODUCT_SPOT], 4321);
}

static void private_post_signed(void **s)
{
	(void)s;
	call("Balance", SR_PRIVATE);
	fake_run(&T->f);
	struct fake_call *c = &T->f.calls[0];
	assert_string_equal(c->method, "POST");
	assert_string_equal(c->url, "http://kraken.test/0/private/Balance");
	assert_string_equal(fake_header(&T->f, 0, "API-Key"), "KEY");
	assert_string_equal(fake_header(&T->f, 0, "Content-Type"),
			    "application/x-www-form-urlencoded");
	assert_true(strncmp(c->body, "nonce=", 6) == 0);
	const char *nonce = c->body + 6;
	assert_int_equal(strlen(nonce), 16); /* microseconds */
	char sig[KRAKEN_SIGN_B64_SIZE];
	assert_int_equal(kraken_spot_sign(SECRET, "/0/private/Balance", nonce, c->body,
					  strlen(c->body), sig, sizeof sig, NULL),
			 0);
	assert_string_equal(fake_header(&T->f, 0, "API-Sign"), sig);
	fake_respond_fixture(&T->f, 0, "balance.json");
	assert_int_equal(T->nreplies, 1);
	assert_int_equal(T->last.rc, 0);

	/* JSON bodies: the nonce as a string, signed over the JSON text */
	call("CancelOrderBatch", SR_PRIVATE | SR_JSON);
	fake_run(&T->f);
	c = &T->f.calls[1];
	assert_string_equal(fake_header(&T->f, 1, "Content-Type"), "application/json");
	assert_true(strncmp(c->body, "{\"nonce\":\"", 10) == 0);
	char n2[32];
	snprintf(n2, sizeof n2, "%.16s", c->body + 10);
	assert_true(strcmp(n2, nonce) > 0); /* strictly increasing */
	assert_int_equal(kraken_spot_sign(SECRET, "/0/private/CancelOrderBatch", n2, c->body,
					  strlen(c->body), sig, sizeof sig, NULL),
			 0);
	assert_string_equal(fake_header(&T->f, 1, "API-Sign"), sig);
	fake_respond_fixture(&T->f, 1, "error_funds.json");
	assert_int_equal(T->last.rc, 1);
	assert_int_equal(T->last.kerr.cls, KE_REJECTED);

	/* no key: private calls are refused up front */
	struct spot_rest_cfg cfg = {.base_url = "http://kraken.test"};
	struct spot_rest *pub = spot_rest_new(NULL, &T->st, &cfg, NULL);
	struct spot_params p;
	spot_params_init(&p);
	spot_params_add(&p, "x", "y");
	struct spot_call cc = {.method = "Balance", .flags = SR_PRIVATE};
	struct kerr e = KERR_INIT;
	assert_int_equal(spot_rest_call(pub, &cc, &p, on_reply, T, &e), -1);
	assert_int_equal(p.n, 0); /* params taken over even on failure */
	assert_non_null(strstr(e.msg, "key"));
	spot_rest_free(pub);
}

static void one_private_at_a_time_and_priority(void **s)
{
	(void)s;
	call("Balance", SR_PRIVATE);
	call("OpenOrders", SR_PRIVATE);
	call("CancelOrder", SR_PRIVATE | SR_TRADE);
	fake_run(&T->f);
	assert_int_equal(fake_pending(&T->f), 1);
	/* the cancel went first: trading requests jump ahead of reads */
	assert_int_equal(fake_count(&T->f, "/0/private/CancelOrder"), 1);
	fake_respond_fixture(&T->f, 0, "cancel_order.json");
	assert_int_equal(fake_pending(&T->f), 1);
	assert_int_equal(fake_count(&T->f, "/0/private/Balance"), 1);
	fake_respond_fixture(&T->f, 1, "balance.json");
	assert_int_equal(fake_count(&T->f, "/0/private/OpenOrders"), 1);
	fake_respond_fixture(&T->f, 2, "open_orders.json");
	assert_int_equal(T->nreplies, 3);
}

static void rest_counter_waits(void **s)
{
	(void)s;
	spot_rest_free(T->sr);
	open_session(T, KRAKEN_TIER_STARTER, 64);
	for (int i = 0; i < 16; i++)
		call("Balance", SR_PRIVATE);
	fake_run(&T->f);
	assert_int_equal(T->f.ncalls, 15);
	assert_int_equal(spot_rest_queued(T->sr), 1);
	assert_int_equal(T->st.limits.spot_rest_counter, 1500);
	assert_int_equal(T->st.limits.spot_rest_max, 1500);
	assert_int_equal(T->st.limits.waiting, 1);
	assert_true(T->limits_events > 0);
	fake_advance(&T->f, 3030);
	assert_int_equal(T->f.ncalls, 15);
	fake_advance(&T->f, 1);
	assert_int_equal(T->f.ncalls, 16);
	assert_int_equal(T->st.limits.waiting, 0);
	/* ledger calls cost 4: after the counter empties, three fit at once */
	fake_advance(&T->f, 60000);
	for (int i = 0; i < 4; i++)
		call("Ledgers", SR_PRIVATE);
	fake_run(&T->f);
	assert_int_equal(T->f.ncalls, 19);
	/* pro tier: 20 units decaying 1/s */
	spot_rest_set_tier(T->sr, KRAKEN_TIER_PRO);
	assert_int_equal(kraken_spot_limits(KRAKEN_TIER_PRO)->rest_decay, 1000);
	fake_advance(&T->f, 999);
	assert_int_equal(T->f.ncalls, 20);
	for (int i = 0; i < T->f.ncalls; i++)
		if (!T->f.calls[i].answered)
			fake_respond_fixture(&T->f, i, "balance.json");
}

static void trade_counter_per_pair(void **s)
{
	(void)s;
	spot_rest_free(T->sr);
	open_session(T, KRAKEN_TIER_STARTER, 200);
	for (int i = 0; i < 61; i++) {
		struct spot_params p;
		spot_params_init(&p);
		struct spot_call c = {.method = "AddOrder",
				      .flags = SR_PRIVATE | SR_TRADE,
				      .pair = "XXBTZUSD",
				      .trade_cost = kraken_trade_cost(KTO_ADD, 0)};
		assert_int_equal(spot_rest_call(T->sr, &c, &p, on_reply, T, NULL), 0);
	}
	/* another pair is not held up by the busy one */
	struct spot_params p;
	spot_params_init(&p);
	struct spot_call c2 = {.method = "AddOrder",
			       .flags = SR_PRIVATE | SR_TRADE,
			       .pair = "XETHXXBT",
			       .trade_cost = RL_UNIT};
	assert_int_equal(spot_rest_call(T->sr, &c2, &p, on_reply, T, NULL), 0);
	fake_run(&T->f);
	assert_int_equal(T->f.ncalls, 61);
	assert_int_equal(spot_rest_trade_level(T->sr, "XXBTZUSD"), 60 * RL_UNIT);
	assert_int_equal(T->st.limits.spot_trade_counter, 6000);
	assert_int_equal(T->st.limits.spot_trade_max, 6000);
	assert_int_equal(spot_rest_counter_level(T->sr), 0); /* orders are not on the REST counter */
	fake_advance(&T->f, 999);
	assert_int_equal(T->f.ncalls, 61);
	fake_advance(&T->f, 1); /* starter decays 1 per second */
	assert_int_equal(T->f.ncalls, 62);
	for (int i = 0; i < T->f.ncalls; i++)
		fake_respond_fixture(&T->f, i, "add_order.json");
	assert_int_equal(T->nreplies, 62);
}

static void rate_limit_backoff(void **s)
{
	(void)s;
	call("Balance", SR_PRIVATE);
	fake_run(&T->f);
	fake_respond(&T->f, 0, 200, "{\"error\":[\"EAPI:Rate limit exceeded\"]}");
	assert_int_equal(T->nreplies, 0); /* waits and retries, the caller hears nothing */
	assert_int_equal(spot_rest_counter_level(T->sr), 15 * RL_UNIT); /* assumed full */
	assert_int_equal(fake_pending(&T->f), 0);
	fake_advance(&T->f, 249);
	assert_int_equal(fake_pending(&T->f), 0); /* backoff is at least half of 500 ms */
	fake_advance(&T->f, 3100); /* and the counter has to make room */
	assert_int_equal(fake_pending(&T->f), 1);
	fake_respond_fixture(&T->f, 1, "balance.json");
	assert_int_equal(T->nreplies, 1);
	assert_int_equal(T->last.rc, 0);

	/* HTTP 429 on a public call */
	call("Ticker", 0);
	fake_run(&T->f);
	fake_respond(&T->f, 2, 429, "Too Many Requests");
	assert_int_equal(fake_pending(&T->f), 0);
	fake_advance(&T->f, 1000);
	assert_int_equal(fake_pending(&T->f), 1);
	fake_respond_fixture(&T->f, 3, "ticker.json");
	assert_int_equal(T->nreplies, 2);
}

static void throttled_waits_until_given_time(void **s)
{
	(void)s;
	call("OpenOrders", SR_PRIVATE);
	fake_run(&T->f);
	/* wall is 1700000000000 ms: wait until 1700000010 s */
	fake_respond_fixture(&T->f, 0, "throttled.json");
	fake_advance(&T->f, 9999);
	assert_int_equal(fake_pending(&T->f), 0);
	call("Balance", SR_PRIVATE); /* everything private waits */
	fake_advance(&T->f, 0);
	assert_int_equal(fake_pending(&T->f), 0);
	fake_advance(&T->f, 1);
	assert_int_equal(fake_pending(&T->f), 1);
	assert_int_equal(fake_count(&T->f, "/0/private/OpenOrders"), 2);
	fake_respond_fixture(&T->f, 1, "open_orders.json");
	fake_respond_fixture(&T->f, 2, "balance.json");
	assert_int_equal(T->nreplies, 2);
}

static void reads_retry_then_give_up(void **s)
{
	(void)s;
	call("Balance", SR_PRIVATE);
	fake_run(&T->f);
	fake_respond(&T->f, 0, 502, "<html>Bad Gateway</html>");
	fake_advance(&T->f, 60000);
	fake_fail(&T->f, 1, HTTP_E_TIMEOUT, "timed out");
	fake_advance(&T->f, 60000);
	fake_respond(&T->f, 2, 200, "{\"error\":[\"EService:Unavailable\"]}");
	fake_advance(&T->f, 60000);
	fake_respond(&T->f, 3, 200, "{\"error\":[],\"res");
	fake_advance(&T->f, 60000);
	fake_fail(&T->f, 4, HTTP_E_CONNECT, "refused");
	fake_advance(&T->f, 60000);
	assert_int_equal(T->nreplies, 0);
	fake_fail(&T->f, 5, HTTP_E_SEND_RECV, "connection reset");
	/* 1 try + 5 retries */
	assert_int_equal(T->nreplies, 1);
	assert_int_equal(T->last.rc, -1);
	assert_non_null(strstr(T->last.message, "connection reset"));
	fake_advance(&T->f, 60000);
	assert_int_equal(T->f.ncalls, 6);

	/* a Kraken refusal is final at once */
	call("Balance", SR_PRIVATE);
	fake_run(&T->f);
	fake_respond(&T->f, 6, 200, "{\"error\":[\"EGeneral:Permission denied\"]}");
	assert_int_equal(T->nreplies, 2);
	assert_int_equal(T->last.rc, 1);
	assert_int_equal(T->last.kerr.cls, KE_AUTH);
}

/* ---- orders and reconciliation ---- */

static struct order_req limit_req(void)
{
	struct order_req r;
	memset(&r, 0, sizeof r);
	r.instr = SRT_BTCUSD;
	r.type = OT_LIMIT;
	r.side = SIDE_BUY;
	r.qty = D("1.25");
	r.limit_price = D("30010");
	strcpy(r.cl_id, CLID);
	return r;
}

static void place(void)
{
	struct order_req r = limit_req();
	int before = fake_count(&T->f, "/0/private/AddOrder");
	assert_int_equal(spot_rest_add_order(T->sr, &T->st, &r, on_intent, T, NULL), 0);
	fake_run(&T->f);
	assert_int_equal(fake_count(&T->f, "/0/private/AddOrder"), before + 1);
}

static void add_order_ok_and_rejected(void **s)
{
	(void)s;
	place();
	assert_non_null(strstr(T->f.calls[0].body, "cl_ord_id=" CLID));
	fake_respond_fixture(&T->f, 0, "add_order.json");
	assert_int_equal(T->nres, 1);
	assert_int_equal(T->res.status, INTENT_OK);
	assert_string_equal(T->res.order_id, "OUF4EM-FRGI2-MQMWZD");
	const struct order *o = state_order_get(&T->st, "OUF4EM-FRGI2-MQMWZD");
	assert_non_null(o);
	assert_int_equal(o->status, OS_PENDING);
	assert_string_equal(o->cl_id, CLID);

	place();
	fake_respond_fixture(&T->f, 1, "error_funds.json");
	assert_int_equal(T->nres, 2);
	assert_int_equal(T->res.status, INTENT_REJECTED);
	assert_string_equal(T->res.code, "EOrder:Insufficient funds");
	assert_non_null(strstr(T->res.message, "not enough"));

	/* refused before sending: the request never left, so it is retried */
	place();
	fake_fail(&T->f, 2, HTTP_E_CONNECT, "connection refused");
	fake_advance(&T->f, 1000);
	assert_int_equal(fake_count(&T->f, "/0/private/AddOrder"), 4);
	fake_respond_fixture(&T->f, 3, "add_order.json");
	assert_int_equal(T->res.status, INTENT_OK);

	/* invalid requests fail synchronously and nothing is sent */
	struct order_req r = limit_req();
	r.tif = TIF_FOK;
	struct kerr e = KERR_INIT;
	assert_int_equal(spot_rest_add_order(T->sr, &T->st, &r, on_intent, T, &e), -1);
	fake_run(&T->f);
	assert_int_equal(T->f.ncalls, 4);
}

static void reconcile_timeout_found_open(void **s)
{
	(void)s;
	place();
	fake_fail(&T->f, 0, HTTP_E_TIMEOUT, "timed out after 15000 ms");
	assert_int_equal(T->nres, 0);
	fake_advance(&T->f, 999);
	assert_int_equal(fake_pending(&T->f), 0); /* a moment for Kraken to book it */
	fake_advance(&T->f, 1);
	assert_int_equal(fake_pending(&T->f), 1);
	assert_int_equal(fake_count(&T->f, "/0/private/OpenOrders"), 1);
	assert_non_null(strstr(T->f.calls[1].body, "cl_ord_id=" CLID));
	fake_respond_fixture(&T->f, 1, "open_orders.json");
	assert_int_equal(T->nres, 1);
	assert_int_equal(T->res.status, INTENT_OK);
	assert_string_equal(T->res.order_id, "OQCLML-BW3P3-BUCMWZ");
	assert_non_null(strstr(T->res.message, "confirmed"));
	assert_int_equal(state_order_by_cl(&T->st, CLID)->status, OS_PARTIAL);
	assert_int_equal(fake_count(&T->f, "/0/private/AddOrder"), 1); /* never resent */
}

static void reconcile_not_found_anywhere(void **s)
{
	(void)s;
	place();
	fake_fail(&T->f, 0, HTTP_E_SEND_RECV, "connection lost");
	fake_advance(&T->f, 1000);
	fake_respond(&T->f, 1, 200, "{\"error\":[],\"result\":{\"open\":{}}}");
	assert_int_equal(fake_count(&T->f, "/0/private/ClosedOrders"), 1);
	const char *body = T->f.calls[2].body;
	assert_non_null(strstr(body, "cl_ord_id=" CLID));
	assert_non_null(strstr(body, "start=1699999880")); /* two minutes back */
	fake_respond(&T->f, 2, 200, "{\"error\":[],\"result\":{\"closed\":{},\"count\":0}}");
	assert_int_equal(T->nres, 1);
	assert_int_equal(T->res.status, INTENT_FAILED);
	assert_non_null(strstr(T->res.message, "not placed"));
	fake_advance(&T->f, 60000);
	assert_int_equal(fake_count(&T->f, "/0/private/AddOrder"), 1);
	assert_null(state_order_by_cl(&T->st, CLID));
}

static void reconcile_5xx_found_closed(void **s)
{
	(void)s;
	place();
	fake_respond(&T->f, 0, 503, "Service Unavailable");
	fake_advance(&T->f, 1000);
	fake_respond(&T->f, 1, 200, "{\"error\":[],\"result\":{\"open\":{}}}");
	/* the closed list holds our order (filled at once) */
	fake_respond(&T->f, 2, 200,
		     "{\"error\":[],\"result\":{\"count\":1,\"closed\":{\"OABCDE-FGHIJ-KLMNOP\":{"
		     "\"cl_ord_id\":\"" CLID "\",\"status\":\"closed\",\"opentm\":1700000000.1,"
		     "\"closetm\":1700000000.2,\"descr\":{\"pair\":\"XBTUSD\",\"type\":\"buy\","
		     "\"ordertype\":\"limit\",\"price\":\"30010.0\"},\"vol\":\"1.25\","
		     "\"vol_exec\":\"1.25\",\"price\":\"30005.0\"}}}}");
	assert_int_equal(T->res.status, INTENT_OK);
	assert_string_equal(T->res.order_id, "OABCDE-FGHIJ-KLMNOP");
	assert_non_null(strstr(T->res.message, "filled"));
	assert_int_equal(state_order_get(&T->st, "OABCDE-FGHIJ-KLMNOP")->status, OS_FILLED);
	assert_int_equal(fake_count(&T->f, "/0/private/AddOrder"), 1);
}

static void reconcile_service_unavailable_and_lookup_failure(void **s)
{
	(void)s;
	place();
	fake_respond(&T->f, 0, 200, "{\"error\":[\"EService:Unavailable\"]}");
	fake_advance(&T->f, 1000);
	assert_int_equal(fake_count(&T->f, "/0/private/OpenOrders"), 1);
	/* the lookup itself keeps failing: reads retry, then the outcome stays unknown */
	for (int i = 1; i <= 6; i++) {
		fake_respond(&T->f, i, 502, "Bad Gateway");
		fake_advance(&T->f, 60000);
	}
	assert_int_equal(T->nres, 1);
	assert_int_equal(T->res.status, INTENT_UNKNOWN);
	assert_non_null(strstr(T->res.message, CLID));
	assert_int_equal(fake_count(&T->f, "/0/private/AddOrder"), 1);

	/* an unreadable success answer is also an unknown outcome */
	place();
	fake_respond(&T->f, 7, 200, "{\"error\":[],\"result\":{\"descr\":");
	fake_advance(&T->f, 1000);
	assert_int_equal(fake_count(&T->f, "/0/private/OpenOrders"), 7);
	fake_respond_fixture(&T->f, 8, "open_orders.json");
	assert_int_equal(T->res.status, INTENT_OK);
}

static void cancel_paths(void **s)
{
	(void)s;
	/* the order is known to the state: its pair and age set the cost */
	struct jdoc d;
	jdoc_init(&d);
	char *body;
	int res = srt_load("open_orders.json", &d, &body);
	struct order *o;
	size_t n;
	assert_int_equal(spot_dec_open_orders(&d, res, &T->st, &o, &n, NULL), 0);
	o[0].created_ms = o[0].updated_ms = (int64_t)T->f.wall - 6000; /* 6 s old */
	spot_apply_orders(&T->st, o, n, true, NULL, NULL);
	free(o);
	free(body);
	jdoc_free(&d);

	const char *id = "OQCLML-BW3P3-BUCMWZ";
	assert_int_equal(spot_rest_cancel(T->sr, &T->st, id, on_intent, T, NULL), 0);
	fake_run(&T->f);
	assert_int_equal(spot_rest_trade_level(T->sr, "XXBTZUSD"), 6 * RL_UNIT);
	assert_non_null(strstr(T->f.calls[0].body, "txid=OQCLML-BW3P3-BUCMWZ"));
	fake_respond_fixture(&T->f, 0, "cancel_order.json");
	assert_int_equal(T->res.status, INTENT_OK);
	assert_int_equal(state_order_get(&T->st, id)->status, OS_CANCELLED);

	/* timeout -> QueryOrders says canceled -> OK */
	const char *id2 = "OB5VMB-B4U2U-DK2WRW";
	assert_int_equal(spot_rest_cancel(T->sr, &T->st, id2, on_intent, T, NULL), 0);
	fake_run(&T->f);
	fake_fail(&T->f, 1, HTTP_E_TIMEOUT, "timed out");
	fake_advance(&T->f, 1000);
	assert_int_equal(fake_count(&T->f, "/0/private/QueryOrders"), 1);
	assert_non_null(strstr(T->f.calls[2].body, "txid=OB5VMB-B4U2U-DK2WRW"));
	fake_respond(&T->f, 2, 200,
		     "{\"error\":[],\"result\":{\"OB5VMB-B4U2U-DK2WRW\":{\"status\":\"canceled\","
		     "\"descr\":{\"pair\":\"XBTUSD\",\"type\":\"sell\",\"ordertype\":"
		     "\"stop-loss-limit\",\"price\":\"27500.0\",\"price2\":\"27400.0\"},"
		     "\"vol\":\"0.5\",\"vol_exec\":\"0\"}}}");
	assert_int_equal(T->nres, 2);
	assert_int_equal(T->res.status, INTENT_OK);
	assert_int_equal(fake_count(&T->f, "/0/private/CancelOrder"), 2);

	/* timeout -> still open -> the cancel did not happen */
	const char *id3 = "OXHXSB-IYUQ4-KKNNAS";
	assert_int_equal(spot_rest_cancel(T->sr, &T->st, id3, on_intent, T, NULL), 0);
	fake_run(&T->f);
	fake_respond(&T->f, 3, 500, "oops");
	fake_advance(&T->f, 1000);
	fake_respond(&T->f, 4, 200,
		     "{\"error\":[],\"result\":{\"OXHXSB-IYUQ4-KKNNAS\":{\"status\":\"open\","
		     "\"descr\":{\"pair\":\"XBTUSD\",\"type\":\"sell\",\"ordertype\":"
		     "\"trailing-stop\",\"price\":\"+1.5%\"},\"vol\":\"0.1\",\"vol_exec\":\"0\"}}}");
	assert_int_equal(T->res.status, INTENT_FAILED);
	assert_non_null(strstr(T->res.message, "still open"));
	assert_int_equal(fake_count(&T->f, "/0/private/CancelOrder"), 3);

	/* unknown order */
	assert_int_equal(spot_rest_cancel(T->sr, &T->st, "ONOPE", on_intent, T, NULL), 0);
	fake_run(&T->f);
	fake_respond(&T->f, 5, 200, "{\"error\":[\"EOrder:Unknown order\"]}");
	assert_int_equal(T->res.status, INTENT_REJECTED);
	assert_string_equal(T->res.code, "EOrder:Unknown order");
}

static void amend_paths(void **s)
{
	(void)s;
	struct amend_req a;
	memset(&a, 0, sizeof a);
	strcpy(a.order_id, "OBCMZD-JIEE7-77TH3F");
	a.has_qty = true;
	a.qty = D("1.25");
	assert_int_equal(spot_rest_amend(T->sr, &T->st, &a, on_intent, T, NULL), 0);
	fake_run(&T->f);
	assert_non_null(strstr(T->f.calls[0].body, "order_qty=1.25"));
	fake_respond_fixture(&T->f, 0, "amend_order.json");
	assert_int_equal(T->res.status, INTENT_OK);
	assert_string_equal(T->res.ref, "TYVZ7S-SKRDS-HAJCQY");

	/* unknown outcome: read the order back and compare */
	assert_int_equal(spot_rest_amend(T->sr, &T->st, &a, on_intent, T, NULL), 0);
	fake_run(&T->f);
	fake_fail(&T->f, 1, HTTP_E_TIMEOUT, "timed out");
	fake_advance(&T->f, 1000);
	fake_respond_fixture(&T->f, 2, "query_orders.json"); /* vol 1.25 */
	assert_int_equal(T->res.status, INTENT_OK);
	assert_non_null(strstr(T->res.message, "confirmed"));
	a.qty = D("2");
	assert_int_equal(spot_rest_amend(T->sr, &T->st, &a, on_intent, T, NULL), 0);
	fake_run(&T->f);
	fake_fail(&T->f, 3, HTTP_E_TIMEOUT, "timed out");
	fake_advance(&T->f, 1000);
	fake_respond_fixture(&T->f, 4, "query_orders.json");
	assert_int_equal(T->res.status, INTENT_FAILED);
	assert_int_equal(fake_count(&T->f, "/0/private/AmendOrder"), 3);
}

static void other_intents(void **s)
{
	(void)s;
	assert_int_equal(spot_rest_cancel_all(T->sr, &T->st, on_intent, T, NULL), 0);
	fake_run(&T->f);
	fake_fail(&T->f, 0, HTTP_E_TIMEOUT, "timed out"); /* idempotent: simply retried */
	fake_advance(&T->f, 1000);
	fake_respond_fixture(&T->f, 1, "cancel_all.json");
	assert_int_equal(T->res.status, INTENT_OK);
	assert_int_equal(T->res.count, 4);

	assert_int_equal(spot_rest_cancel_after(T->sr, &T->st, 60, on_intent, T, NULL), 0);
	fake_run(&T->f);
	assert_non_null(strstr(T->f.calls[2].body, "timeout=60"));
	fake_respond_fixture(&T->f, 2, "cancel_after.json");
	assert_int_equal(T->res.status, INTENT_OK);
	assert_int_equal(T->res.trigger_time_ms, 1679679776000LL);
	assert_int_equal(spot_rest_cancel_after(T->sr, &T->st, 86400, on_intent, T, NULL), -1);

	struct transfer_req tr = {"BTC", D("0.5"), WALLET_SPOT, WALLET_FUTURES_FLEX};
	assert_int_equal(spot_rest_wallet_transfer(T->sr, &T->st, &tr, on_intent, T, NULL), 0);
	fake_run(&T->f);
	fake_respond_fixture(&T->f, 3, "wallet_transfer.json");
	assert_int_equal(T->res.status, INTENT_OK);
	assert_string_equal(T->res.ref, "BOG5AE5-KSCNR4-VPNPEV");
	/* an unknown transfer outcome is reported, never retried */
	assert_int_equal(spot_rest_wallet_transfer(T->sr, &T->st, &tr, on_intent, T, NULL), 0);
	fake_run(&T->f);
	fake_fail(&T->f, 4, HTTP_E_TIMEOUT, "timed out");
	assert_int_equal(T->res.status, INTENT_UNKNOWN);
	fake_advance(&T->f, 60000);
	assert_int_equal(fake_count(&T->f, "/0/private/WalletTransfer"), 2);
}

struct tok {
	int rc, n;
	char token[128];
	int exp;
};

static void on_token(void *arg, int rc, const char *token, int expires_s, const char *msg)
{
	struct tok *t = arg;
	(void)msg;
	t->rc = rc;
	t->n++;
	t->exp = expires_s;
	snprintf(t->token, sizeof t->token, "%s", token ? token : "");
}

static void refresh_instruments_token(void **s)
{
	(void)s;
	/* open orders the state knows but the snapshot lacks are looked up */
	struct jdoc d;
	jdoc_init(&d);
	char *body;
	int res = srt_load("query_orders.json", &d, &body);
	struct order *o;
	size_t n;
	assert_int_equal(spot_dec_query_orders(&d, res, &T->st, &o, &n, NULL), 0);
	o[0].status = OS_OPEN;
	spot_apply_orders(&T->st, o, n, false, NULL, NULL);
	free(o);
	free(body);
	jdoc_free(&d);

	spot_rest_free(T->sr);
	open_session(T, KRAKEN_TIER_PRO, 8);
	spot_rest_refresh_private(T->sr, &T->st, on_done, T);
	fake_run(&T->f);
	assert_int_equal(T->f.ncalls, 4);
	assert_int_equal(fake_count(&T->f, "/0/private/BalanceEx"), 1);
	assert_int_equal(fake_count(&T->f, "/0/private/OpenPositions"), 1);
	assert_non_null(strstr(T->f.calls[2].body, "docalcs=true"));
	fake_respond_fixture(&T->f, 0, "balance_ex.json");
	fake_respond_fixture(&T->f, 1, "open_orders.json");
	assert_int_equal(fake_count(&T->f, "/0/private/QueryOrders"), 1);
	assert_non_null(strstr(T->f.calls[4].body, "txid=OBCMZD-JIEE7-77TH3F"));
	fake_respond_fixture(&T->f, 2, "open_positions.json");
	fake_respond_fixture(&T->f, 3, "trades_history.json");
	assert_int_equal(T->ndone, 0);
	fake_respond_fixture(&T->f, 4, "query_orders.json");
	assert_int_equal(T->ndone, 1);
	assert_int_equal(T->done_rc, 0);
	assert_non_null(state_balance(&T->st, "USD"));
	assert_int_equal(state_order_get(&T->st, "OBCMZD-JIEE7-77TH3F")->status, OS_FILLED);
	assert_non_null(state_order_get(&T->st, "OXHXSB-IYUQ4-KKNNAS"));
	assert_non_null(state_position(&T->st, SRT_BTCUSD));
	assert_int_equal(T->st.nfills, 2);

	/* a part failing makes the whole refresh report it */
	spot_rest_refresh_private(T->sr, &T->st, on_done, T);
	fake_run(&T->f);
	fake_respond(&T->f, 5, 200, "{\"error\":[\"EGeneral:Permission denied\"]}");
	fake_respond_fixture(&T->f, 6, "open_orders.json");
	fake_respond(&T->f, 7, 200, "{\"error\":[],\"result\":{}}");
	fake_respond(&T->f, 8, 200, "{\"error\":[],\"result\":{\"trades\":5}}");
	assert_int_equal(T->ndone, 2);
	assert_int_equal(T->done_rc, -1);
	assert_non_null(strstr(T->done_msg, "balances"));

	/* instruments */
	struct state fresh;
	state_init(&fresh);
	assert_int_equal(spot_rest_load_instruments(T->sr, &fresh, on_done, T), 0);
	fake_run(&T->f);
	assert_string_equal(T->f.calls[9].url, "http://kraken.test/0/public/AssetPairs");
	fake_respond_fixture(&T->f, 9, "asset_pairs.json");
	assert_int_equal(T->done_rc, 0);
	assert_int_equal(fresh.ninstr, 3);
	state_free(&fresh);

	struct tok tk = {0};
	assert_int_equal(spot_rest_ws_token(T->sr, on_token, &tk), 0);
	fake_run(&T->f);
	fake_respond_fixture(&T->f, 10, "ws_token.json");
	assert_int_equal(tk.n, 1);
	assert_int_equal(tk.rc, 0);
	assert_int_equal(tk.exp, 900);
	assert_string_equal(tk.token, "1Dwc4lzSwNWOAwkMdqhssNNFhs1ed606d1WcF3XfEMw");

	/* depth / OHLC / trades snapshots */
	assert_int_equal(spot_rest_fetch_depth(T->sr, &T->st, SRT_BTCUSD, 10, on_done, T), 0);
	assert_int_equal(spot_rest_fetch_ohlc(T->sr, &T->st, SRT_BTCUSD, 5, on_done, T), 0);
	assert_int_equal(spot_rest_fetch_trades(T->sr, &T->st, SRT_BTCUSD, on_done, T), 0);
	fake_advance(&T->f, 5000);
	assert_string_equal(T->f.calls[11].url,
			    "http://kraken.test/0/public/Depth?count=10&pair=XBTUSD");
	fake_respond_fixture(&T->f, 11, "depth.json");
	fake_respond_fixture(&T->f, 12, "ohlc.json");
	fake_respond_fixture(&T->f, 13, "trades.json");
	assert_int_equal(T->done_rc, 0);
	const struct market *m = state_market_peek(&T->st, SRT_BTCUSD);
	assert_int_equal(m->candles.interval_min, 5);
	assert_int_equal(m->trades.n, 3);
	assert_int_equal(book_count(&m->book, SIDE_BUY), 3);
}

static void free_with_pending_work(void **s)
{
	(void)s;
	/* requests in flight, queued and reconciling: freed without callbacks */
	place();
	fake_fail(&T->f, 0, HTTP_E_TIMEOUT, "timed out");
	call("Balance", SR_PRIVATE);
	call("Ticker", 0);
	fake_run(&T->f);
	spot_rest_refresh_private(T->sr, &T->st, on_done, T);
	spot_rest_free(T->sr);
	T->sr = NULL;
	assert_int_equal(T->nres, 0);
	assert_int_equal(T->ndone, 0);
}

int main(void)
{
#define U(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
		U(public_get),
		U(private_post_signed),
		U(one_private_at_a_time_and_priority),
		U(rest_counter_waits),
		U(trade_counter_per_pair),
		U(rate_limit_backoff),
		U(throttled_waits_until_given_time),
		U(reads_retry_then_give_up),
		U(add_order_ok_and_rejected),
		U(reconcile_timeout_found_open),
		U(reconcile_not_found_anywhere),
		U(reconcile_5xx_found_closed),
		U(reconcile_service_unavailable_and_lookup_failure),
		U(cancel_paths),
		U(amend_paths),
		U(other_intents),
		U(refresh_instruments_token),
		U(free_with_pending_work),
	};
	return kt_run_tests(tests);
}
