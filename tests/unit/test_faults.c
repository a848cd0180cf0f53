/* test_faults: every fault can be switched on by a test and is seen on the wire.
 * A real paper exchange (test_sim_wire.h) is driven by raw HTTP and WebSocket
 * clients; faults are switched with POST /_paper/faults like a client's test
 * suite would. What each case proves:
 *   - control: GET/POST/DELETE work, bad JSON is refused with 400 and changes
 *     nothing, the switches and counters are reported; the functions behind the
 *     adapters' checksums and seqs behave (without a server);
 *   - REST: 503 and 429 gateway pages, Spot and Futures rate-limit and
 *     unavailable errors, skip/count, a dropped connection, a delayed answer
 *     (never early), a stalled answer released by DELETE;
 *   - an order placed whose answer is lost: the connection closes without a
 *     reply, and the order is in the book;
 *   - WS: dropped after N messages, dropped at random, messages delayed in
 *     order, messages lost;
 *   - a corrupted Spot book checksum (one snapshot), a skipped Futures book seq
 *     (one gap of one in a live book fed by the simulator);
 *   - a restart: the port goes away and comes back, the open order survives. */
#include <time.h>

#include "net/sign.h"
#include "tests/unit/test_sim_wire.h"

static int64_t mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static bool has(const struct sbuf *b, const char *s)
{
	return strstr(sbuf_str(b), s) != NULL;
}

/* ---- control, without a server ---- */

static void control_functions(void **state)
{
	(void)state;
	uv_loop_t loop;
	uv_loop_init(&loop);
	struct paper_opts po;
	memset(&po, 0, sizeof po);
	po.state_path = "";
	struct kerr e = KERR_INIT;
	struct paper *p = paper_create(&loop, &po, &e);
	assert_non_null(p);
	/* nothing on: values pass through, no state is created */
	assert_int_equal(faults_spot_checksum(p, 1234), 1234);
	assert_int_equal(faults_fut_seq(p, 77), 77);
	assert_null(p->faults_ext);
	const char *ok = "{\"spot_checksum\":2,\"fut_seq_skip\":1,\"system\":\"maintenance\","
	                 "\"rest\":[{\"fault\":\"http\",\"status\":502,\"count\":1}]}";
	assert_int_equal(faults_configure(p, ok, strlen(ok), &e), 0);
	assert_int_equal(p->faults.system, PAPER_SYS_MAINTENANCE);
	assert_int_equal(faults_spot_checksum(p, 1234), 1234u ^ 0x5a5a5a5au);
	assert_int_equal(faults_spot_checksum(p, 1234), 1234u ^ 0x5a5a5a5au);
	assert_int_equal(faults_spot_checksum(p, 1234), 1234);
	assert_int_equal(faults_fut_seq(p, 100), 101); /* the gap */
	assert_int_equal(faults_fut_seq(p, 101), 102); /* and the seqs go on from there */
	/* refused whole: nothing changes */
	const char *bad[] = {
	        "[1]",
	        "{\"rest\":[{\"fault\":\"explode\"}]}",
	        "{\"rest\":[{\"fault\":\"http\",\"status\":200}]}",
	        "{\"ws\":{\"drop_after\":-1}}",
	        "{\"system\":\"sleepy\"}",
	        "{\"restart\":{\"down_ms\":10}}", /* no restart handler registered */
	        "{\"spot_checksum\":1,\"paper\":{\"rest_latency_ms\":\"x\"}}",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		assert_int_equal(faults_configure(p, bad[i], strlen(bad[i]), &e), -1);
		assert_true(e.msg[0] != '\0');
	}
	assert_int_equal(faults_spot_checksum(p, 9), 9);
	assert_int_equal(p->faults_ext->nrules, 1);
	faults_clear(p);
	assert_int_equal(p->faults.system, PAPER_SYS_ONLINE);
	assert_int_equal(p->faults_ext->nrules, 0);
	assert_string_equal(faults_kind_name(FAULTS_R_LOSE_RESPONSE), "lose_response");
	faults_free(p);
	assert_null(p->faults_ext);
	paper_destroy(p);
	uv_run(&loop, UV_RUN_DEFAULT);
	assert_int_equal(uv_loop_close(&loop), 0);
}

/* ---- REST ---- */

static int rest_client(struct wfx *fx)
{
	struct sbuf *b = &fx->b, *head = &fx->head;
	int st;
	WCHECK(wcl_faults(fx, "{\"rest\":[{\"fault\":\"http\",\"status\":503,\"path\":\"/0/public/"
	                      "Time\",\"count\":1},"
	                      "{\"fault\":\"http\",\"status\":429,\"path\":\"/0/public/Assets\","
	                      "\"skip\":1,\"count\":1},"
	                      "{\"fault\":\"rate_limit\",\"path\":\"/0/public/SystemStatus\"},"
	                      "{\"fault\":\"rate_limit\",\"path\":\"/derivatives/api/v3/tickers\"},"
	                      "{\"fault\":\"unavailable\",\"path\":\"/0/public/AssetPairs\"},"
	                      "{\"fault\":\"unavailable\",\"path\":\"/derivatives/api/v3/"
	                      "instruments\"},"
	                      "{\"fault\":\"drop\",\"path\":\"/0/public/Depth\"}]}") == 200,
	       "%s", fx->msg);
	st = wcl_call(fx, "GET", "/0/public/Time", NULL, b);
	WCHECK(st == 503 && has(b, "503 Service Unavailable"), "503: %d %s", st, sbuf_str(b));
	st = wcl_call(fx, "GET", "/0/public/Time", NULL, b); /* count 1: spent */
	WCHECK(st == 200 && has(b, "unixtime"), "Time after the 503: %d %s", st, sbuf_str(b));
	st = wcl_call(fx, "GET", "/0/public/Assets", NULL, b); /* skip 1 */
	WCHECK(st == 200, "Assets skipped: %d", st);
	struct wcl *c = wcl_open(fx);
	WCHECK(c && wcl_request(c, "GET", "/0/public/Assets", "", NULL) == 0 &&
	               wcl_response(c, &st, head, b) == 1,
	       "Assets 429");
	WCHECK(st == 429 && has(head, "Retry-After: 1"), "429: %d %s", st, sbuf_str(head));
	st = wcl_call(fx, "GET", "/0/public/SystemStatus", NULL, b);
	WCHECK(st == 200 && has(b, "\"EAPI:Rate limit exceeded\""), "spot rate limit: %s",
	       sbuf_str(b));
	st = wcl_call(fx, "GET", "/derivatives/api/v3/tickers", NULL, b);
	WCHECK(st == 200 && has(b, "\"error\":\"apiLimitExceeded\"") &&
	               has(b, "\"result\":\"error\""),
	       "futures rate limit: %s", sbuf_str(b));
	st = wcl_call(fx, "GET", "/0/public/AssetPairs", NULL, b);
	WCHECK(st == 200 && has(b, "EService:Unavailable"), "spot unavailable: %s", sbuf_str(b));
	st = wcl_call(fx, "GET", "/derivatives/api/v3/instruments", NULL, b);
	WCHECK(st == 200 && has(b, "\"error\":\"Unavailable\""), "futures unavailable: %s",
	       sbuf_str(b));
	st = wcl_call(fx, "GET", "/0/public/Depth?pair=XBTUSD", NULL, b);
	WCHECK(st == 0, "dropped: expected the connection to close, got %d", st);
	/* the counters saw it all */
	st = wcl_call(fx, "GET", "/_paper/faults", NULL, b);
	WCHECK(st == 200 && has(b, "\"http\":2") && has(b, "\"rate_limit\":2") &&
	               has(b, "\"unavailable\":2") && has(b, "\"drop\":1"),
	       "counters: %s", sbuf_str(b));
	/* bad JSON is refused and changes nothing; DELETE clears */
	st = wcl_call(fx, "POST", "/_paper/faults", "{\"rest\":[{\"fault\":\"nope\"}]}", b);
	WCHECK(st == 400 && has(b, "nope"), "bad rule: %d %s", st, sbuf_str(b));
	st = wcl_call(fx, "DELETE", "/_paper/faults", NULL, b);
	WCHECK(st == 200 && has(b, "\"rest\":[]"), "DELETE: %d %s", st, sbuf_str(b));
	st = wcl_call(fx, "GET", "/0/public/Depth?pair=XBTUSD", NULL, b);
	WCHECK(st == 200, "Depth after DELETE: %d", st);
	return 0;
}

static void rest_errors(void **state)
{
	(void)state;
	struct wfx fx = {.client = rest_client};
	wfx_run(&fx);
}

static int delay_client(struct wfx *fx)
{
	struct sbuf *b = &fx->b, *head = &fx->head;
	WCHECK(wcl_faults(fx, "{\"rest\":[{\"fault\":\"delay\",\"ms\":200,\"path\":\"/0/public/"
	                      "Time\",\"count\":1},{\"fault\":\"stall\",\"path\":\"/0/public/"
	                      "SystemStatus\",\"count\":1}]}") == 200,
	       "%s", fx->msg);
	int64_t t0 = mono_ms();
	int st = wcl_call(fx, "GET", "/0/public/Time", NULL, b);
	WCHECK(st == 200 && has(b, "unixtime"), "delayed Time: %d", st);
	WCHECK(mono_ms() - t0 >= 200, "answered after %lld ms, before the delay",
	       (long long)(mono_ms() - t0));
	/* stalled: no answer while the fault holds it; DELETE releases it */
	struct wcl *c = wcl_open(fx);
	WCHECK(c && wcl_request(c, "GET", "/0/public/SystemStatus", "", NULL) == 0, "send");
	wcl_timeout(c, 300);
	WCHECK(wcl_response(c, &st, head, b) == -1, "a stalled request was answered");
	wcl_timeout(c, 5000);
	st = wcl_call(fx, "DELETE", "/_paper/faults", NULL, b);
	WCHECK(st == 200 && has(b, "\"stall\":1"), "DELETE: %s", sbuf_str(b));
	WCHECK(wcl_response(c, &st, head, b) == 1 && st == 200 && has(b, "online"),
	       "released stall: %d %s", st, sbuf_str(b));
	return 0;
}

static void rest_delay_and_stall(void **state)
{
	(void)state;
	struct wfx fx = {.client = delay_client};
	wfx_run(&fx);
}

/* A signed AddOrder whose answer is lost. */
static int lose_client(struct wfx *fx)
{
	struct sbuf *b = &fx->b, *head = &fx->head;
	WCHECK(wcl_faults(fx, "{\"rest\":[{\"fault\":\"lose_response\",\"path\":\"/0/private/"
	                      "AddOrder\",\"count\":1}]}") == 200,
	       "%s", fx->msg);
	char body[256], sig[KRAKEN_SIGN_B64_SIZE], hdr[512];
	const char *nonce = "1700000000001";
	snprintf(body, sizeof body,
	         "nonce=%s&ordertype=limit&type=buy&volume=0.01&pair=XBTUSD&price=30000", nonce);
	struct kerr e = KERR_INIT;
	WCHECK(kraken_spot_sign(fx->keys.spot_secret, "/0/private/AddOrder", nonce, body,
	                        strlen(body), sig, sizeof sig, &e) == 0,
	       "sign: %s", e.msg);
	snprintf(hdr, sizeof hdr, "API-Key: %s\r\nAPI-Sign: %s\r\n", fx->keys.spot_key, sig);
	struct wcl *c = wcl_open(fx);
	WCHECK(c && wcl_request(c, "POST", "/0/private/AddOrder", hdr, body) == 0, "send");
	int st = 0;
	int r = wcl_response(c, &st, head, b);
	WCHECK(r == 0, "expected the connection to close without an answer, got %d %d", r, st);
	st = wcl_call(fx, "GET", "/_paper/faults", NULL, b);
	WCHECK(has(b, "\"lose_response\":1"), "counters: %s", sbuf_str(b));
	return 0;
}

static void count_open(void *arg, const struct px_order *o)
{
	(void)o;
	(*(size_t *)arg)++;
}

static void lose_check(struct wfx *fx)
{
	struct px_filter f = px_filter_all(PX_SPOT);
	fx->open_orders = 0;
	px_open_orders(fx->p->px, 1, &f, count_open, &fx->open_orders);
}

static void rest_lose_response(void **state)
{
	(void)state;
	struct wfx fx = {.client = lose_client, .loop_check = lose_check};
	wfx_run(&fx);
	assert_int_equal(fx.open_orders, 1); /* placed, though nobody heard of it */
}

/* ---- WebSocket ---- */

static int ws_client(struct wfx *fx)
{
	struct sbuf *b = &fx->b, *m = &fx->m;
	/* dropped when about to send message 4 (the third pong) */
	WCHECK(wcl_faults(fx, "{\"ws\":{\"path\":\"/v2\",\"drop_after\":3}}") == 200, "%s",
	       fx->msg);
	struct wcl *c = wcl_ws_open(fx, "/v2");
	WCHECK(c, "ws open");
	WCHECK(wcl_ws_read(c, m) == 1 && has(m, "status"), "status: %s", sbuf_str(m));
	for (int i = 1; i <= 3; i++) {
		char ping[64];
		snprintf(ping, sizeof ping, "{\"method\":\"ping\",\"req_id\":%d}", i);
		WCHECK(wcl_ws_send(c, ping) == 0, "ping");
	}
	WCHECK(wcl_ws_read(c, m) == 1 && has(m, "pong"), "pong 1: %s", sbuf_str(m));
	WCHECK(wcl_ws_read(c, m) == 1 && has(m, "pong"), "pong 2: %s", sbuf_str(m));
	WCHECK(wcl_ws_read(c, m) == 0, "expected the drop, got %s", sbuf_str(m));
	/* other endpoints are not affected by a /v2 rule */
	struct wcl *f = wcl_ws_open(fx, "/ws/v1");
	WCHECK(f && wcl_ws_read(f, m) == 1 && has(m, "\"info\""), "futures info");
	/* dropped at random (always): the first message never comes */
	WCHECK(wcl_faults(fx, "{\"ws\":{\"path\":\"/ws/v1\",\"drop_ppm\":1000000}}") == 200, "%s",
	       fx->msg);
	f = wcl_ws_open(fx, "/ws/v1");
	WCHECK(f && wcl_ws_read(f, m) == 0, "random drop: %s", sbuf_str(m));
	/* delayed: a pong is never early, and messages keep their order */
	WCHECK(wcl_faults(fx, "{\"ws\":{\"latency_ms\":150}}") == 200, "%s", fx->msg);
	c = wcl_ws_open(fx, "/v2");
	WCHECK(c && wcl_ws_read(c, m) == 1 && has(m, "status"), "status");
	int64_t t0 = mono_ms();
	WCHECK(wcl_ws_send(c, "{\"method\":\"ping\",\"req_id\":7}") == 0 &&
	               wcl_ws_send(c, "{\"method\":\"ping\",\"req_id\":8}") == 0,
	       "ping");
	WCHECK(wcl_ws_read(c, m) == 1 && has(m, "\"req_id\":7"), "pong 7: %s", sbuf_str(m));
	WCHECK(mono_ms() - t0 >= 150, "pong after %lld ms", (long long)(mono_ms() - t0));
	WCHECK(wcl_ws_read(c, m) == 1 && has(m, "\"req_id\":8"), "pong 8: %s", sbuf_str(m));
	/* lost: nothing arrives until the fault is cleared */
	WCHECK(wcl_faults(fx, "{\"reset\":true,\"ws\":{\"lose_ppm\":1000000}}") == 200, "%s",
	       fx->msg);
	WCHECK(wcl_ws_send(c, "{\"method\":\"ping\",\"req_id\":9}") == 0, "ping");
	wcl_timeout(c, 300);
	WCHECK(wcl_ws_read(c, m) == -1, "a lost message arrived: %s", sbuf_str(m));
	wcl_timeout(c, 5000);
	WCHECK(wcl_call(fx, "DELETE", "/_paper/faults", NULL, b) == 200 &&
	               has(b, "\"ws_lost\":1") && has(b, "\"ws_dropped\":2"),
	       "counters: %s", sbuf_str(b));
	WCHECK(wcl_ws_send(c, "{\"method\":\"ping\",\"req_id\":10}") == 0, "ping");
	WCHECK(wcl_ws_read(c, m) == 1 && has(m, "\"req_id\":10"), "pong 10: %s", sbuf_str(m));
	return 0;
}

static void ws_faults(void **state)
{
	(void)state;
	struct wfx fx = {.client = ws_client};
	wfx_run(&fx);
}

/* ---- book checksum and seq ---- */

static void seed_book(struct wfx *fx)
{
	const struct px_instr *in = px_instr_find(fx->p->px, PX_SPOT, "BTC/USD");
	for (int i = 0; i < 12; i++) {
		for (int side = 0; side < 2; side++) {
			struct px_place r;
			memset(&r, 0, sizeof r);
			r.account = PX_MARKET;
			r.instr = in;
			r.side = side ? ENGINE_SELL : ENGINE_BUY;
			r.type = ENGINE_T_LIMIT;
			r.qty = dec_make(5 + i, 2);
			r.price =
			        px_price_abs(dec_make(side ? 600010 + 10 * i : 599990 - 10 * i, 1));
			struct px_result res;
			assert_int_equal(px_place(fx->p->px, &r, &res, NULL), 0);
		}
	}
}

static uint32_t checksum_of(const struct sbuf *m)
{
	const char *k = strstr(sbuf_str(m), "\"checksum\":");
	return k ? (uint32_t)strtoul(k + 11, NULL, 10) : 0;
}

static int checksum_client(struct wfx *fx)
{
	struct sbuf *m = &fx->m;
	const char *sub = "{\"method\":\"subscribe\",\"params\":{\"channel\":\"book\",\"symbol\":"
	                  "[\"BTC/USD\"],\"depth\":10}}";
	WCHECK(wcl_faults(fx, "{\"spot_checksum\":1}") == 200, "%s", fx->msg);
	struct wcl *a = wcl_ws_open(fx, "/v2");
	WCHECK(a && wcl_ws_send(a, sub) == 0, "subscribe a");
	WCHECK(wcl_ws_until(a, "\"type\":\"snapshot\"", m) == 1, "snapshot a");
	uint32_t bad = checksum_of(m);
	struct wcl *b = wcl_ws_open(fx, "/v2");
	WCHECK(b && wcl_ws_send(b, sub) == 0, "subscribe b");
	WCHECK(wcl_ws_until(b, "\"type\":\"snapshot\"", m) == 1, "snapshot b");
	uint32_t good = checksum_of(m);
	WCHECK(good != 0 && bad == (good ^ 0x5a5a5a5au), "checksums %u and %u", bad, good);
	return 0;
}

static void spot_checksum(void **state)
{
	(void)state;
	struct wfx fx = {.client = checksum_client, .setup = seed_book};
	wfx_run(&fx);
}

static uint64_t seq_of(const struct sbuf *m)
{
	const char *k = strstr(sbuf_str(m), "\"seq\":");
	return k ? strtoull(k + 6, NULL, 10) : 0;
}

static int seq_client(struct wfx *fx)
{
	struct sbuf *m = &fx->m;
	struct wcl *c = wcl_ws_open(fx, "/ws/v1");
	WCHECK(c && wcl_ws_send(c, "{\"event\":\"subscribe\",\"feed\":\"book\",\"product_ids\":"
	                           "[\"PF_XBTUSD\"]}") == 0,
	       "subscribe");
	WCHECK(wcl_ws_until(c, "\"book_snapshot\"", m) == 1, "snapshot");
	uint64_t last = seq_of(m);
	for (int i = 0; i < 5; i++) { /* the live book: consecutive seqs */
		WCHECK(wcl_ws_until(c, "\"feed\":\"book\"", m) == 1, "delta");
		WCHECK(seq_of(m) == last + 1, "seq %llu after %llu", (unsigned long long)seq_of(m),
		       (unsigned long long)last);
		last = seq_of(m);
	}
	WCHECK(wcl_faults(fx, "{\"fut_seq_skip\":1}") == 200, "%s", fx->msg);
	int gaps = 0;
	for (int i = 0; i < 30; i++) {
		WCHECK(wcl_ws_until(c, "\"feed\":\"book\"", m) == 1, "delta");
		uint64_t s = seq_of(m);
		WCHECK(s == last + 1 || s == last + 2, "seq %llu after %llu", (unsigned long long)s,
		       (unsigned long long)last);
		gaps += s == last + 2;
		last = s;
	}
	WCHECK(gaps == 1, "%d gaps", gaps);
	return 0;
}

static void fut_seq_skip(void **state)
{
	(void)state;
	struct wfx fx = {.client = seq_client, .sim_rate = 400};
	wfx_run(&fx);
}

/* ---- restart ---- */

static void place_user_order(struct wfx *fx)
{
	struct px_place r;
	memset(&r, 0, sizeof r);
	r.account = 1;
	r.instr = px_instr_find(fx->p->px, PX_SPOT, "BTC/USD");
	r.side = ENGINE_BUY;
	r.type = ENGINE_T_LIMIT;
	r.qty = dec_make(1, 2);
	r.price = px_price_abs(dec_from_int(30000));
	struct px_result res;
	assert_int_equal(px_place(fx->p->px, &r, &res, NULL), 0);
	paper_flush(fx->p, NULL);
}

static int restart_client(struct wfx *fx)
{
	struct sbuf *b = &fx->b;
	int st = wcl_call(fx, "GET", "/_paper/faults", NULL, b);
	WCHECK(st == 200 && has(b, "\"restart_available\":true"), "state: %s", sbuf_str(b));
	struct wcl *w = wcl_ws_open(fx, "/v2");
	WCHECK(w && wcl_ws_read(w, b) == 1, "ws before the restart");
	WCHECK(wcl_faults(fx, "{\"restart\":{\"down_ms\":100}}") == 200, "%s", fx->msg);
	WCHECK(wcl_ws_read(w, b) == 0, "the WebSocket outlived the restart: %s", sbuf_str(b));
	WCHECK(wcl_wait_up(fx, 250) == 0, "the server did not come back");
	st = wcl_call(fx, "GET", "/0/public/Time", NULL, b);
	WCHECK(st == 200, "after the restart: %d", st);
	return 0;
}

static void restart_check(struct wfx *fx)
{
	lose_check(fx);
	assert_int_equal(fx->restarts, 1);
}

static void restart_keeps_orders(void **state)
{
	(void)state;
	struct wfx fx = {
	        .client = restart_client, .setup = place_user_order, .loop_check = restart_check};
	wfx_run(&fx);
	assert_int_equal(fx.open_orders, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(control_functions),
	        cmocka_unit_test(rest_errors),
	        cmocka_unit_test(rest_delay_and_stall),
	        cmocka_unit_test(rest_lose_response),
	        cmocka_unit_test(ws_faults),
	        cmocka_unit_test(spot_checksum),
	        cmocka_unit_test(fut_seq_skip),
	        cmocka_unit_test(restart_keeps_orders),
	};
	return kt_run_tests(tests);
}
