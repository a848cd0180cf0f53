/* spot_ws_srv_fx: the paper Spot WS adapter tests' fixture (spot_ws_srv_fx.h). */
#include <stdlib.h>
#include <string.h>

#include "base/jscan.h"
#include "base/xalloc.h"
#include "core/state.h"
#include "kraken/spot_ws.h"
#include "net/http_server.h"
#include "net/loop.h"
#include "net/ws_client.h"
#include "paper/paper.h"
#include "paper/spot_ws_srv.h"
#include "tests/fixtures/net/nettest.h"
#include "tests/unit/spot_ws_srv_fx.h"
#include "tests/unit/unit.h"

/* ---- the server: our own net server routing to the two adapter instances ---- */

static struct spot_ws_srv *route(struct fx *fx, struct http_conn *conn)
{
	return strcmp(ws_conn_path(conn), "/auth/v2") == 0 ? fx->auth : fx->pub;
}

static void srv_request(void *ctx, struct http_request *req)
{
	(void)ctx;
	http_reply(req, 404, NULL, "", 0, NULL);
}

static int srv_upgrade(void *ctx, struct http_conn *conn, const char *path,
                       const struct http_request *req)
{
	struct fx *fx = ctx;
	(void)req;
	if (strcmp(path, "/v2") && strcmp(path, "/auth/v2"))
		return 404;
	spot_ws_srv_open(route(fx, conn), conn);
	return 0;
}

static void srv_message(void *ctx, struct http_conn *conn, const char *data, size_t len,
                        bool binary)
{
	struct fx *fx = ctx;
	(void)binary;
	spot_ws_srv_message(route(fx, conn), conn, data, len);
}

static void srv_close(void *ctx, struct http_conn *conn, int code, const char *reason)
{
	struct fx *fx = ctx;
	(void)code;
	(void)reason;
	spot_ws_srv_close(route(fx, conn), conn);
}

static const struct http_server_ops srv_ops = {
        .on_request = srv_request,
        .on_ws_upgrade = srv_upgrade,
        .on_ws_message = srv_message,
        .on_ws_close = srv_close,
};

static void add_btc(struct state *st)
{
	/* What REST would have loaded; the instrument channel fixes the precisions. */
	struct instrument in = {0};
	snprintf(in.id, sizeof in.id, "BTC/USD");
	snprintf(in.rest_id, sizeof in.rest_id, "XXBTZUSD");
	in.product = PRODUCT_SPOT;
	in.kind = IK_SPOT;
	state_add_instrument(st, &in);
}

int setup(void **state)
{
	struct fx *fx = xcalloc(1, sizeof *fx);
	struct kerr err = KERR_INIT;
	fx->loop = kt_loop_new(NULL, &err);
	assert_non_null(fx->loop);
	struct paper_opts po = {.state_path = "", .reset = true, .users = 1, .id_seed = 7};
	fx->paper = paper_create(kt_loop_uv(fx->loop), &po, &err);
	if (!fx->paper)
		fail_msg("paper: %s", err.msg);
	fx->pub = spot_ws_srv_new(fx->paper, false);
	fx->auth = spot_ws_srv_new(fx->paper, true);
	fx->srv = http_server_start(kt_loop_uv(fx->loop), "127.0.0.1", 0, &srv_ops, fx, &err);
	assert_non_null(fx->srv);
	int port = http_server_port(fx->srv);
	snprintf(fx->url_pub, sizeof fx->url_pub, "ws://127.0.0.1:%d/v2", port);
	snprintf(fx->url_auth, sizeof fx->url_auth, "ws://127.0.0.1:%d/auth/v2", port);
	fx->btc = px_instr_find(fx->paper->px, PX_SPOT, "BTC/USD");
	assert_non_null(fx->btc);
	state_init(&fx->st);
	state_init(&fx->st2);
	add_btc(&fx->st);
	add_btc(&fx->st2);
	*state = fx;
	return 0;
}

static void srv_stopped(void *arg)
{
	struct fx *fx = arg;
	kt_loop_stop(fx->loop);
}

int teardown(void **state)
{
	struct fx *fx = *state;
	spot_ws_pub_free(fx->sess);
	spot_ws_pub_free(fx->sess2);
	spot_ws_priv_free(fx->priv);
	ws_client_free(fx->raw);
	http_server_stop(fx->srv, srv_stopped, fx);
	assert_true(nt_run(fx->loop, 5000));
	spot_ws_srv_free(fx->pub);
	spot_ws_srv_free(fx->auth);
	paper_destroy(fx->paper);
	kt_loop_free(fx->loop);
	state_free(&fx->st);
	state_free(&fx->st2);
	for (size_t i = 0; i < fx->nmsgs; i++)
		free(fx->msgs[i]);
	free(fx->msgs);
	free(fx);
	return 0;
}

/* Run the loop until fx->until(fx) holds (checked every 5 ms). */
static void poll_fire(void *arg)
{
	struct fx *fx = arg;
	if (fx->until && fx->until(fx))
		kt_loop_stop(fx->loop);
}

bool wait_for(struct fx *fx, bool (*until)(struct fx *fx), unsigned ms)
{
	if (until(fx))
		return true;
	fx->until = until;
	fx->poll = kt_timer_start(fx->loop, 5, 5, poll_fire, fx);
	bool ok = nt_run(fx->loop, ms);
	kt_timer_stop(fx->poll);
	fx->until = NULL;
	return ok && until(fx);
}

struct wsconn_policy fast(void)
{
	struct wsconn_policy p = wsconn_policy_spot();
	p.backoff_first_ms = 20;
	p.jitter_pct = 0;
	return p;
}

int btc_idx(const struct state *st)
{
	return state_find_instrument(st, "BTC/USD");
}

/* ---- a raw client: Kraken's exact acks, errors, pong and heartbeat ---- */

static void raw_open(void *arg)
{
	(void)arg;
}

static void raw_message(void *arg, const char *data, size_t len)
{
	struct fx *fx = arg;
	fx->msgs = xgrow(fx->msgs, &fx->cap_msgs, fx->nmsgs + 1, sizeof *fx->msgs);
	fx->msgs[fx->nmsgs++] = xstrndup(data, len);
}

static void raw_close(void *arg, int code, const char *reason)
{
	struct fx *fx = arg;
	(void)code;
	(void)reason;
	fx->raw = NULL;
	fx->raw_closed = true;
}

static const struct ws_client_ops raw_ops = {
        .on_open = raw_open,
        .on_message = raw_message,
        .on_close = raw_close,
};

void raw_connect(struct fx *fx, const char *url)
{
	struct kerr err = KERR_INIT;
	fx->raw = ws_client_connect(fx->loop, url, &raw_ops, fx, &err);
	assert_non_null(fx->raw);
}

void raw_send(struct fx *fx, const char *json)
{
	assert_int_equal(ws_client_send(fx->raw, json, strlen(json)), 0);
}

static const char *want_text;
static size_t want_from;

/* Index of the first message from `from` on containing `text`, or -1. */
long find_msg(const struct fx *fx, size_t from, const char *text)
{
	for (size_t i = from; i < fx->nmsgs; i++)
		if (strstr(fx->msgs[i], text))
			return (long)i;
	return -1;
}

static bool have_text(struct fx *fx)
{
	return find_msg(fx, want_from, want_text) >= 0;
}

/* Wait for a message containing text (after message `from`); its index. */
long expect(struct fx *fx, size_t from, const char *text)
{
	want_text = text;
	want_from = from;
	if (!wait_for(fx, have_text, 5000))
		fail_msg("no message with %s", text);
	return find_msg(fx, from, text);
}

/* Index of the first message from `from` on containing both texts, or -1. */
long find_msg2(const struct fx *fx, size_t from, const char *a, const char *b)
{
	for (size_t i = from; i < fx->nmsgs; i++)
		if (strstr(fx->msgs[i], a) && strstr(fx->msgs[i], b))
			return (long)i;
	return -1;
}

static const char *want_text2;

static bool have_text2(struct fx *fx)
{
	return find_msg2(fx, want_from, want_text, want_text2) >= 0;
}

long expect2(struct fx *fx, size_t from, const char *a, const char *b)
{
	want_text = a;
	want_text2 = b;
	want_from = from;
	if (!wait_for(fx, have_text2, 5000))
		fail_msg("no message with %s and %s", a, b);
	return find_msg2(fx, from, a, b);
}
