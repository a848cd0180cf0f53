/* spot_ws_srv: Spot WS v2 connections, request dispatch, subscriptions,
 * ping/pong and heartbeats. Book diffs live in spot_ws_srv_book.c, trading in
 * spot_ws_srv_trade.c, JSON shapes in spot_ws_srv_render.c. */
#include "paper/spot_ws_srv.h"

#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "base/strutil.h"
#include "base/xalloc.h"
#include "paper/faults.h"
#include "paper/spot_ws_srv_int.h"

const int swss_depths[SWSS_NDEPTH] = {10, 25, 100, 500, 1000};
const int swss_intervals[SWSS_NIV] = {1, 5, 15, 30, 60, 240, 1440, 10080, 21600};

#define ERR_ARGS "EGeneral:Invalid arguments"

int64_t swss_now_ms(const struct spot_ws_srv *s)
{
	return paper_now(s->p) / 1000000;
}

void swss_send(struct spot_ws_srv *s, struct swss_client *c, bool keep_out)
{
	if (!c->dead && s->out.len) {
		faults_ws_send(s->p, c->conn, s->out.p, s->out.len);
		c->last_sent_ms = swss_now_ms(s);
		if (ws_conn_queued(c->conn) > s->max_queued) {
			/* A consumer this slow would only fall further behind. */
			LOGI("paper spot ws: dropping %s: %zu bytes unwritten",
			     http_conn_peer(c->conn), ws_conn_queued(c->conn));
			c->dead = true;
			s->dropped++;
			ws_conn_drop(c->conn);
		}
	}
	if (!keep_out)
		sbuf_reset(&s->out);
}

/* ---- responses ---- */

void swss_resp_begin(struct spot_ws_srv *s, struct jw *w, const struct swss_req *r)
{
	jw_init(w, &s->out);
	jw_obj_begin(w);
	jw_key(w, "method");
	jw_str(w, r->method);
	if (r->has_id) {
		jw_key(w, "req_id");
		jw_i64(w, r->req_id);
	}
}

void swss_resp_end(struct spot_ws_srv *s, struct jw *w, const struct swss_req *r, bool success)
{
	char t[48];
	jw_key(w, "success");
	jw_bool(w, success);
	swss_time(r->t_in_ns, t, sizeof t);
	jw_key(w, "time_in");
	jw_str(w, t);
	swss_time(paper_now(s->p), t, sizeof t);
	jw_key(w, "time_out");
	jw_str(w, t);
	jw_obj_end(w);
}

void swss_error(struct spot_ws_srv *s, const struct swss_req *r, const char *error,
                const char *symbol)
{
	struct jw w;
	jw_init(&w, &s->out);
	jw_obj_begin(&w);
	jw_key(&w, "error");
	jw_str(&w, error);
	if (r->method[0]) {
		jw_key(&w, "method");
		jw_str(&w, r->method);
	}
	if (r->has_id) {
		jw_key(&w, "req_id");
		jw_i64(&w, r->req_id);
	}
	if (symbol) {
		jw_key(&w, "symbol");
		jw_str(&w, symbol);
	}
	/* swss_resp_end closes the object after success/time_in/time_out */
	swss_resp_end(s, &w, r, false);
	swss_send(s, r->c, false);
}

/* ---- subscriptions ---- */

static int depth_index(int64_t d)
{
	for (int i = 0; i < SWSS_NDEPTH; i++)
		if (swss_depths[i] == d)
			return i;
	return -1;
}

static int interval_index(int64_t m)
{
	for (int i = 0; i < SWSS_NIV; i++)
		if (swss_intervals[i] == m)
			return i;
	return -1;
}

/* Does the client hold any subscription (heartbeats are due then)? */
static bool subscribed(const struct swss_client *c)
{
	if (c->instrument || c->executions || c->balances)
		return true;
	for (int i = 0; i < SWSS_NINSTR; i++)
		if (c->depth[i] || c->ticker[i] || c->trade[i] || c->ohlc[i])
			return true;
	return false;
}

/* Kraken v2 accepts only its own symbols ("BTC/USD", not "XBT/USD"). */
static const struct px_instr *spot_pair(const struct spot_ws_srv *s, const char *sym)
{
	const struct px_instr *in = px_instr_find(s->px, PX_SPOT, sym);
	return in && strcmp(in->symbol, sym) == 0 ? in : NULL;
}

static bool opt_bool(const struct jdoc *d, int obj, const char *key, bool dflt)
{
	bool v;
	return jtok_bool(d, jobj_get(d, obj, key), &v) == 0 ? v : dflt;
}

struct sub_args {
	bool unsub;
	const char *channel;
	int di; /* book depth index */
	int ii; /* ohlc interval index */
	bool snapshot;
	bool bbo; /* ticker event_trigger */
};

/* One symbol of a public subscription: the ack (or error) and the snapshot. */
static void sub_symbol(struct spot_ws_srv *s, const struct swss_req *r, const struct sub_args *a,
                       const char *sym)
{
	struct swss_client *c = r->c;
	const struct px_instr *in = spot_pair(s, sym);
	if (!in) {
		char e[96];
		snprintf(e, sizeof e, "Currency pair not supported %s", sym);
		swss_error(s, r, e, sym);
		return;
	}
	uint32_t id = in->id;
	bool have;
	if (strcmp(a->channel, "book") == 0)
		have = c->depth[id] != 0;
	else if (strcmp(a->channel, "ticker") == 0)
		have = c->ticker[id] != 0;
	else if (strcmp(a->channel, "trade") == 0)
		have = c->trade[id];
	else
		have = c->ohlc[id] & (1u << a->ii);
	if (have != a->unsub) {
		swss_error(s, r, a->unsub ? "Subscription Not Found" : "Already subscribed", sym);
		return;
	}
	int di = strcmp(a->channel, "book") == 0 ? (a->unsub ? c->depth[id] - 1 : a->di) : -1;
	struct jw w;
	swss_resp_begin(s, &w, r);
	jw_key(&w, "result");
	jw_obj_begin(&w);
	jw_key(&w, "channel");
	jw_str(&w, a->channel);
	if (di >= 0) {
		jw_key(&w, "depth");
		jw_i64(&w, swss_depths[di]);
	}
	if (strcmp(a->channel, "ticker") == 0) {
		bool bbo = a->unsub ? c->ticker[id] == SWSS_TICKER_BBO : a->bbo;
		jw_key(&w, "event_trigger");
		jw_str(&w, bbo ? "bbo" : "trades");
	}
	if (strcmp(a->channel, "ohlc") == 0) {
		jw_key(&w, "interval");
		jw_i64(&w, swss_intervals[a->ii]);
	}
	if (!a->unsub) {
		jw_key(&w, "snapshot");
		jw_bool(&w, a->snapshot);
	}
	jw_key(&w, "symbol");
	jw_str(&w, sym);
	jw_obj_end(&w);
	swss_resp_end(s, &w, r, true);
	swss_send(s, c, false);

	if (strcmp(a->channel, "book") == 0) {
		if (a->unsub) {
			c->depth[id] = 0;
			swss_book_leave(s, in, di);
		} else {
			c->depth[id] = (uint8_t)(di + 1);
			swss_book_join(s, c, in, di, a->snapshot);
		}
	} else if (strcmp(a->channel, "ticker") == 0) {
		if (c->ticker[id] == SWSS_TICKER_BBO)
			s->bbo_subs[id]--;
		c->ticker[id] = a->unsub ? 0 : a->bbo ? SWSS_TICKER_BBO : SWSS_TICKER_TRADES;
		if (c->ticker[id] == SWSS_TICKER_BBO)
			s->bbo_subs[id]++;
		if (!a->unsub && a->snapshot) {
			swss_render_ticker(s, in, true);
			swss_send(s, c, false);
		}
	} else if (strcmp(a->channel, "trade") == 0) {
		c->trade[id] = !a->unsub;
		if (!a->unsub && a->snapshot) {
			swss_render_trades_snapshot(s, in);
			swss_send(s, c, false);
		}
	} else {
		c->ohlc[id] = (uint16_t)(a->unsub ? c->ohlc[id] & ~(1u << a->ii)
		                                  : c->ohlc[id] | (1u << a->ii));
		if (!a->unsub && a->snapshot) {
			swss_render_ohlc(s, in, swss_intervals[a->ii], true);
			swss_send(s, c, false);
		}
	}
}

static void release_token(struct spot_ws_srv *s, struct swss_client *c)
{
	if (c->token_held && !c->executions && !c->balances) {
		paper_token_release(s->p, c->token);
		c->token_held = false;
	}
}

/* executions / balances on the authenticated endpoint. */
static void sub_private(struct spot_ws_srv *s, const struct swss_req *r, const struct sub_args *a)
{
	struct swss_client *c = r->c;
	const struct jdoc *d = &s->doc;
	bool execs = strcmp(a->channel, "executions") == 0;
	if (!s->auth) {
		swss_error(s, r, "EGeneral:Permission denied", NULL);
		return;
	}
	char token[PAPER_TOKEN_MAX];
	uint32_t acct = 0;
	if (jtok_str(d, jobj_get(d, r->params, "token"), token, sizeof token) == 0 ||
	    paper_token_check(s->p, token, &acct) != 0) {
		swss_error(s, r, "ESession:Invalid session", NULL);
		return;
	}
	bool *flag = execs ? &c->executions : &c->balances;
	if (*flag == !a->unsub) {
		swss_error(s, r, a->unsub ? "Subscription Not Found" : "Already subscribed", NULL);
		return;
	}
	bool snap_orders = opt_bool(d, r->params, "snap_orders", true);
	bool snap_trades = opt_bool(d, r->params, "snap_trades", false);
	bool snapshot = opt_bool(d, r->params, "snapshot", true);
	struct jw w;
	swss_resp_begin(s, &w, r);
	jw_key(&w, "result");
	jw_obj_begin(&w);
	jw_key(&w, "channel");
	jw_str(&w, a->channel);
	if (!a->unsub && execs) {
		jw_key(&w, "maxratecount");
		jw_i64(&w, 180);
		jw_key(&w, "snap_orders");
		jw_bool(&w, snap_orders);
		jw_key(&w, "snap_trades");
		jw_bool(&w, snap_trades);
	} else if (!a->unsub) {
		jw_key(&w, "snapshot");
		jw_bool(&w, snapshot);
	}
	jw_obj_end(&w);
	swss_resp_end(s, &w, r, true);
	swss_send(s, c, false);
	*flag = !a->unsub;
	if (a->unsub) {
		release_token(s, c);
		return;
	}
	c->acct = acct;
	if (!c->token_held) {
		kt_strlcpy(c->token, token, sizeof c->token);
		paper_token_hold(s->p, c->token);
		c->token_held = true;
	}
	if (execs) {
		c->exec_seq = 0;
		if (snap_orders || snap_trades) {
			swss_render_exec_snapshot(s, c, snap_orders, snap_trades);
			swss_send(s, c, false);
		}
	} else {
		c->bal_seq = 0;
		if (snapshot) {
			swss_render_balances_snapshot(s, c);
			swss_send(s, c, false);
		}
	}
}

static void subscribe(struct spot_ws_srv *s, const struct swss_req *r, bool unsub)
{
	const struct jdoc *d = &s->doc;
	char channel[24];
	if (jtok_type(d, r->params) != J_OBJ ||
	    jtok_str(d, jobj_get(d, r->params, "channel"), channel, sizeof channel) == 0) {
		swss_error(s, r, ERR_ARGS ":channel", NULL);
		return;
	}
	struct sub_args a = {.unsub = unsub, .channel = channel, .di = 0, .ii = 0};
	if (strcmp(channel, "instrument") == 0) {
		if (r->c->instrument == !unsub) {
			swss_error(s, r, unsub ? "Subscription Not Found" : "Already subscribed",
			           NULL);
			return;
		}
		bool snap = opt_bool(d, r->params, "snapshot", true);
		struct jw w;
		swss_resp_begin(s, &w, r);
		jw_key(&w, "result");
		jw_obj_begin(&w);
		jw_key(&w, "channel");
		jw_str(&w, "instrument");
		if (!unsub) {
			jw_key(&w, "snapshot");
			jw_bool(&w, snap);
		}
		jw_obj_end(&w);
		swss_resp_end(s, &w, r, true);
		swss_send(s, r->c, false);
		r->c->instrument = !unsub;
		if (!unsub && snap) {
			swss_render_instrument(s);
			swss_send(s, r->c, false);
		}
		return;
	}
	if (strcmp(channel, "executions") == 0 || strcmp(channel, "balances") == 0) {
		a.channel = strcmp(channel, "executions") == 0 ? "executions" : "balances";
		sub_private(s, r, &a);
		return;
	}
	if (strcmp(channel, "book") && strcmp(channel, "ticker") && strcmp(channel, "trade") &&
	    strcmp(channel, "ohlc")) {
		swss_error(s, r, ERR_ARGS ":channel", NULL);
		return;
	}
	int64_t v;
	int tok = jobj_get(d, r->params, "depth");
	if (tok >= 0 && (jtok_i64(d, tok, &v) || (a.di = depth_index(v)) < 0)) {
		swss_error(s, r, ERR_ARGS ":depth", NULL);
		return;
	}
	tok = jobj_get(d, r->params, "interval");
	if (tok >= 0 && (jtok_i64(d, tok, &v) || (a.ii = interval_index(v)) < 0)) {
		swss_error(s, r, ERR_ARGS ":interval", NULL);
		return;
	}
	tok = jobj_get(d, r->params, "event_trigger");
	if (tok >= 0 && !jstr_eq(d, tok, "bbo") && !jstr_eq(d, tok, "trades")) {
		swss_error(s, r, ERR_ARGS ":event_trigger", NULL);
		return;
	}
	a.bbo = jstr_eq(d, tok, "bbo");
	a.snapshot = opt_bool(d, r->params, "snapshot", strcmp(channel, "trade") != 0);
	int syms = jobj_get(d, r->params, "symbol");
	if (jtok_type(d, syms) != J_ARR || jtok_size(d, syms) == 0) {
		swss_error(s, r, ERR_ARGS ":symbol", NULL);
		return;
	}
	for (int k = jfirst(d, syms); k >= 0; k = jnext(d, syms, k)) {
		char sym[40];
		if (jtok_type(d, k) != J_STR || jtok_str(d, k, sym, sizeof sym) >= sizeof sym) {
			swss_error(s, r, ERR_ARGS ":symbol", NULL);
			continue;
		}
		sub_symbol(s, r, &a, sym);
	}
}

static void pong(struct spot_ws_srv *s, const struct swss_req *r)
{
	struct jw w;
	jw_init(&w, &s->out);
	jw_obj_begin(&w);
	jw_key(&w, "method");
	jw_str(&w, "pong");
	if (r->has_id) {
		jw_key(&w, "req_id");
		jw_i64(&w, r->req_id);
	}
	char t[48];
	swss_time(r->t_in_ns, t, sizeof t);
	jw_key(&w, "time_in");
	jw_str(&w, t);
	swss_time(paper_now(s->p), t, sizeof t);
	jw_key(&w, "time_out");
	jw_str(&w, t);
	jw_obj_end(&w);
	swss_send(s, r->c, false);
}

/* ---- connections ---- */

static void heartbeat(uv_timer_t *t)
{
	struct spot_ws_srv *s = t->data;
	int64_t now = swss_now_ms(s);
	if ((int)s->p->faults.system != s->system) {
		/* Kraken announces every change of the engine's state. */
		s->system = (int)s->p->faults.system;
		for (size_t i = 0; i < s->ncli; i++) {
			swss_render_status(s, s->cli[i]->conn_id);
			swss_send(s, s->cli[i], false);
		}
	}
	for (size_t i = 0; i < s->ncli; i++) {
		struct swss_client *c = s->cli[i];
		if (c->dead || now - c->last_sent_ms < 1000 || !subscribed(c))
			continue;
		sbuf_adds(&s->out, "{\"channel\":\"heartbeat\"}");
		swss_send(s, c, false);
	}
}

struct spot_ws_srv *spot_ws_srv_new(struct paper *p, bool auth)
{
	struct spot_ws_srv *s = xcalloc(1, sizeof *s);
	s->p = p;
	s->px = p->px;
	s->auth = auth;
	s->system = (int)p->faults.system;
	s->max_queued = SPOT_WS_SRV_MAX_QUEUED;
	s->conn_ids = (uint64_t)paper_now(p) * 0x9E3779B97F4A7C15ull | 1;
	jdoc_init(&s->doc);
	sbuf_init(&s->out);
	s->listen_handle = px_listen(s->px, swss_on_event, s);
	s->tick = xcalloc(1, sizeof *s->tick);
	uv_timer_init(p->loop, s->tick);
	s->tick->data = s;
	uv_timer_start(s->tick, heartbeat, 1000, 1000);
	return s;
}

static void tick_closed(uv_handle_t *h)
{
	free(h);
}

static void client_free(struct spot_ws_srv *s, struct swss_client *c)
{
	for (uint32_t id = 1; id < SWSS_NINSTR; id++) {
		const struct px_instr *in = px_instr_get(s->px, id);
		if (c->depth[id] && in)
			swss_book_leave(s, in, c->depth[id] - 1);
		if (c->ticker[id] == SWSS_TICKER_BBO)
			s->bbo_subs[id]--;
	}
	c->executions = c->balances = false;
	release_token(s, c);
	free(c);
}

void spot_ws_srv_free(struct spot_ws_srv *s)
{
	if (!s)
		return;
	px_unlisten(s->px, s->listen_handle);
	uv_timer_stop(s->tick);
	uv_close((uv_handle_t *)s->tick, tick_closed);
	for (size_t i = 0; i < s->ncli; i++) {
		ws_conn_set_data(s->cli[i]->conn, NULL);
		client_free(s, s->cli[i]);
	}
	free(s->cli);
	swss_free_views(s);
	jdoc_free(&s->doc);
	sbuf_free(&s->out);
	free(s->lv);
	free(s->chg[0]);
	free(s->chg[1]);
	free(s);
}

void spot_ws_srv_set_max_queued(struct spot_ws_srv *s, size_t bytes)
{
	s->max_queued = bytes;
}

size_t spot_ws_srv_dropped(const struct spot_ws_srv *s)
{
	return s->dropped;
}

void spot_ws_srv_open(struct spot_ws_srv *s, struct http_conn *conn)
{
	struct swss_client *c = xcalloc(1, sizeof *c);
	c->srv = s;
	c->conn = conn;
	ws_conn_set_data(conn, c);
	s->cli = xgrow(s->cli, &s->cap_cli, s->ncli + 1, sizeof *s->cli);
	s->cli[s->ncli++] = c;
	s->conn_ids = s->conn_ids * 6364136223846793005ull + 1442695040888963407ull;
	c->conn_id = s->conn_ids;
	swss_render_status(s, c->conn_id);
	swss_send(s, c, false);
}

void spot_ws_srv_close(struct spot_ws_srv *s, struct http_conn *conn)
{
	struct swss_client *c = ws_conn_data(conn);
	if (!c)
		return;
	ws_conn_set_data(conn, NULL);
	for (size_t i = 0; i < s->ncli; i++) {
		if (s->cli[i] == c) {
			memmove(&s->cli[i], &s->cli[i + 1], (s->ncli - i - 1) * sizeof *s->cli);
			s->ncli--;
			break;
		}
	}
	client_free(s, c);
}

void spot_ws_srv_message(struct spot_ws_srv *s, struct http_conn *conn, const char *data,
                         size_t len)
{
	struct swss_client *c = ws_conn_data(conn);
	if (!c || c->dead)
		return;
	struct swss_req r = {.c = c, .t_in_ns = paper_now(s->p)};
	struct kerr err = KERR_INIT;
	if (jdoc_parse(&s->doc, data, len, &err) || jtok_type(&s->doc, 0) != J_OBJ) {
		swss_error(s, &r, ERR_ARGS, NULL);
		return;
	}
	const struct jdoc *d = &s->doc;
	r.root = 0;
	r.params = jobj_get(d, 0, "params");
	int id = jobj_get(d, 0, "req_id");
	r.has_id = id >= 0 && jtok_i64(d, id, &r.req_id) == 0;
	int mtok = jobj_get(d, 0, "method");
	if (jtok_type(d, mtok) != J_STR || jtok_str(d, mtok, r.method, sizeof r.method) == 0 ||
	    (id >= 0 && !r.has_id)) {
		r.method[0] = '\0';
		swss_error(s, &r, ERR_ARGS, NULL);
		return;
	}
	if (strcmp(r.method, "ping") == 0)
		pong(s, &r);
	else if (strcmp(r.method, "subscribe") == 0)
		subscribe(s, &r, false);
	else if (strcmp(r.method, "unsubscribe") == 0)
		subscribe(s, &r, true);
	else if (!swss_trade(s, &r))
		swss_error(s, &r, "Method not found", NULL);
}
