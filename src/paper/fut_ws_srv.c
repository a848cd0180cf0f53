/* fut_ws_srv: connections, requests (challenge, subscribe, unsubscribe) and
 * acks of the paper exchange's Futures WS v1, plus backpressure. */
#include "paper/fut_ws_srv.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "base/xalloc.h"
#include "paper/faults.h"
#include "paper/fut_ws_srv_int.h"

static const char *const priv_names[FWSS_PRIV_COUNT] = {
        [FWSS_OPEN_ORDERS] = "open_orders",
        [FWSS_OPEN_ORDERS_VERBOSE] = "open_orders_verbose",
        [FWSS_FILLS] = "fills",
        [FWSS_OPEN_POSITIONS] = "open_positions",
        [FWSS_BALANCES] = "balances",
        [FWSS_ACCOUNT_LOG] = "account_log",
        [FWSS_NOTIFICATIONS] = "notifications_auth",
};

static const struct {
	const char *name;
	uint8_t bit;
} pub_feeds[] = {
        {"book", FWSS_BOOK},
        {"ticker", FWSS_TICKER},
        {"ticker_lite", FWSS_TICKER_LITE},
        {"trade", FWSS_TRADE},
};

int64_t fwss_now_ms(const struct fut_ws_srv *s)
{
	return paper_now(s->p) / 1000000;
}

void fwss_account_id(uint32_t acct, char out[40])
{
	snprintf(out, 40, "%08x-0000-4000-8000-%012x", 0x9a9e0000u + (acct >> 16), acct);
}

/* Drop a client that does not read: its queue would grow without bound. */
static void backpressure(struct fut_ws_srv *s, struct fwss_client *c)
{
	if (c->dead || ws_conn_queued(c->conn) <= s->max_queued)
		return;
	LOGW("paper fut ws: %s is not reading (%zu bytes queued); dropped", http_conn_peer(c->conn),
	     ws_conn_queued(c->conn));
	c->dead = true;
	s->dropped++;
	ws_conn_drop(c->conn);
}

void fwss_send_keep(struct fut_ws_srv *s, struct fwss_client *c)
{
	if (c->dead || !s->out.len)
		return;
	faults_ws_send(s->p, c->conn, s->out.p, s->out.len);
	backpressure(s, c);
}

void fwss_send(struct fut_ws_srv *s, struct fwss_client *c)
{
	fwss_send_keep(s, c);
	sbuf_reset(&s->out);
}

static void sendf(struct fut_ws_srv *s, struct fwss_client *c, const char *fmt, ...)
        __attribute__((format(printf, 3, 4)));
static void sendf(struct fut_ws_srv *s, struct fwss_client *c, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	sbuf_reset(&s->out);
	sbuf_vaddf(&s->out, fmt, ap);
	va_end(ap);
	fwss_send(s, c);
}

static void send_error(struct fut_ws_srv *s, struct fwss_client *c, const char *msg)
{
	sendf(s, c, "{\"event\":\"error\",\"message\":\"%s\"}", msg);
}

/* ---- lifecycle ---- */

struct fut_ws_srv *fut_ws_srv_new(struct paper *p)
{
	struct fut_ws_srv *s = xcalloc(1, sizeof *s);
	s->p = p;
	s->px = p->px;
	s->max_queued = FUT_WS_SRV_MAX_QUEUED;
	jdoc_init(&s->doc);
	sbuf_init(&s->out);
	/* seqs start somewhere arbitrary, like Kraken's, never at 0 */
	for (size_t i = 0; i < FWSS_NINSTR; i++)
		s->book_seq[i] = 1000;
	s->listen_handle = px_listen(s->px, fwss_on_px_event, s);
	fwss_start_timers(s);
	return s;
}

void fut_ws_srv_free(struct fut_ws_srv *s)
{
	if (!s)
		return;
	px_unlisten(s->px, s->listen_handle);
	fwss_stop_timers(s);
	for (size_t i = 0; i < s->ncli; i++) {
		if (s->cli[i]->conn && ws_conn_data(s->cli[i]->conn) == s->cli[i])
			ws_conn_set_data(s->cli[i]->conn, NULL);
		free(s->cli[i]);
	}
	free(s->cli);
	free(s->lv);
	jdoc_free(&s->doc);
	sbuf_free(&s->out);
	free(s);
}

void fut_ws_srv_set_max_queued(struct fut_ws_srv *s, size_t bytes)
{
	s->max_queued = bytes;
}

size_t fut_ws_srv_dropped(const struct fut_ws_srv *s)
{
	return s->dropped;
}

void fut_ws_srv_open(struct fut_ws_srv *s, struct http_conn *conn)
{
	struct fwss_client *c = xcalloc(1, sizeof *c);
	c->srv = s;
	c->conn = conn;
	s->cli = xgrow(s->cli, &s->cap_cli, s->ncli + 1, sizeof *s->cli);
	s->cli[s->ncli++] = c;
	ws_conn_set_data(conn, c);
	sendf(s, c, "{\"event\":\"info\",\"version\":1}");
}

static void unsub_counts(struct fut_ws_srv *s, struct fwss_client *c)
{
	for (size_t i = 0; i < FWSS_NINSTR; i++) {
		if (c->pub[i] & FWSS_BOOK)
			s->book_subs[i]--;
		if (c->pub[i] & FWSS_TRADE)
			s->trade_subs[i]--;
		c->pub[i] = 0;
	}
}

void fut_ws_srv_close(struct fut_ws_srv *s, struct http_conn *conn)
{
	struct fwss_client *c = ws_conn_data(conn);
	for (size_t i = 0; i < s->ncli; i++) {
		if (s->cli[i] != c)
			continue;
		unsub_counts(s, c);
		s->cli[i] = s->cli[--s->ncli];
		free(c);
		break;
	}
	ws_conn_set_data(conn, NULL);
}

/* ---- requests ---- */

static void echo_auth(struct jw *w, const struct jdoc *d)
{
	static const char *const keys[] = {"api_key", "original_challenge", "signed_challenge"};
	for (size_t i = 0; i < 3; i++) {
		int t = jobj_get(d, 0, keys[i]);
		if (!jtok_is(d, t, J_STR))
			continue;
		char v[256];
		jtok_str(d, t, v, sizeof v);
		jw_key(w, keys[i]);
		jw_str(w, v);
	}
}

static void ack(struct fut_ws_srv *s, struct fwss_client *c, const char *event, const char *feed,
                const struct px_instr *const *ins, size_t n, bool auth)
{
	struct jw w;
	sbuf_reset(&s->out);
	jw_init(&w, &s->out);
	jw_obj_begin(&w);
	jw_key(&w, "event");
	jw_str(&w, event);
	jw_key(&w, "feed");
	jw_str(&w, feed);
	if (ins) {
		jw_key(&w, "product_ids");
		jw_arr_begin(&w);
		for (size_t i = 0; i < n; i++)
			jw_str(&w, ins[i]->symbol);
		jw_arr_end(&w);
	}
	if (auth)
		echo_auth(&w, &s->doc);
	jw_obj_end(&w);
	fwss_send(s, c);
}

/* The product_ids of a request, all futures instruments we list; -1 if any is
 * not (Kraken refuses the whole request), else how many. */
static int products(struct fut_ws_srv *s, int arr, const struct px_instr **out, size_t cap)
{
	const struct jdoc *d = &s->doc;
	if (!jtok_is(d, arr, J_ARR) || jtok_size(d, arr) == 0 || jtok_size(d, arr) > cap)
		return -1;
	size_t n = 0;
	for (int k = jfirst(d, arr); k >= 0; k = jnext(d, arr, k)) {
		char name[40];
		if (!jtok_is(d, k, J_STR) || jtok_str(d, k, name, sizeof name) >= sizeof name)
			return -1;
		const struct px_instr *in = px_instr_find(s->px, PX_FUTURES, name);
		if (!in || in->id >= FWSS_NINSTR)
			return -1;
		bool dup = false;
		for (size_t i = 0; i < n; i++)
			dup |= out[i] == in;
		if (!dup)
			out[n++] = in;
	}
	return (int)n;
}

static void public_sub(struct fut_ws_srv *s, struct fwss_client *c, bool on, const char *feed,
                       uint8_t bit)
{
	const struct px_instr *ins[FWSS_NINSTR];
	int n = products(s, jobj_get(&s->doc, 0, "product_ids"), ins, FWSS_NINSTR);
	if (n < 0) {
		send_error(s, c, "Invalid product id");
		return;
	}
	ack(s, c, on ? "subscribed" : "unsubscribed", feed, ins, (size_t)n, false);
	for (int i = 0; i < n; i++) {
		uint32_t id = ins[i]->id;
		bool had = c->pub[id] & bit;
		if (!on) {
			if (had && bit == FWSS_BOOK)
				s->book_subs[id]--;
			if (had && bit == FWSS_TRADE)
				s->trade_subs[id]--;
			c->pub[id] &= (uint8_t)~bit;
			continue;
		}
		c->pub[id] |= bit;
		if (!had && bit == FWSS_BOOK)
			s->book_subs[id]++;
		if (!had && bit == FWSS_TRADE)
			s->trade_subs[id]++;
		/* a (re)subscription always starts with a fresh snapshot */
		sbuf_reset(&s->out);
		if (bit == FWSS_BOOK)
			fwss_render_book_snapshot(s, ins[i]);
		else if (bit == FWSS_TRADE)
			fwss_render_trade_snapshot(s, ins[i]);
		else
			fwss_render_ticker(s, ins[i], bit == FWSS_TICKER_LITE);
		fwss_send(s, c);
	}
}

/* The snapshot a private subscription starts with. */
static void private_snapshot(struct fut_ws_srv *s, struct fwss_client *c, enum fwss_priv f)
{
	sbuf_reset(&s->out);
	switch (f) {
	case FWSS_OPEN_ORDERS:
	case FWSS_OPEN_ORDERS_VERBOSE:
		fwss_render_orders_snapshot(s, c->acct, f == FWSS_OPEN_ORDERS_VERBOSE);
		break;
	case FWSS_FILLS:
		fwss_render_fills_snapshot(s, c->acct, c->fills_only);
		break;
	case FWSS_OPEN_POSITIONS:
		fwss_render_positions(s, c->acct);
		break;
	case FWSS_BALANCES:
		fwss_render_balances(s, c->acct, true);
		break;
	case FWSS_ACCOUNT_LOG:
		fwss_render_alog_snapshot(s, c->acct);
		break;
	case FWSS_NOTIFICATIONS:
		sbuf_adds(&s->out, "{\"feed\":\"notifications_auth\",\"notifications\":[]}");
		break;
	case FWSS_PRIV_COUNT:
		break;
	}
	fwss_send(s, c);
}

static void private_sub(struct fut_ws_srv *s, struct fwss_client *c, bool on, enum fwss_priv f)
{
	const struct jdoc *d = &s->doc;
	char key[128], orig[PAPER_CHALLENGE_MAX + 8], sig[128];
	int kt = jobj_get(d, 0, "api_key"), ot = jobj_get(d, 0, "original_challenge");
	int st = jobj_get(d, 0, "signed_challenge");
	if (!jtok_is(d, kt, J_STR) || !jtok_is(d, ot, J_STR) || !jtok_is(d, st, J_STR)) {
		send_error(s, c, "Json Error");
		return;
	}
	uint32_t acct = 0;
	jtok_str(d, kt, key, sizeof key);
	jtok_str(d, ot, orig, sizeof orig);
	jtok_str(d, st, sig, sizeof sig);
	if (paper_challenge_check(s->p, key, orig, sig, &acct) < 0) {
		ack(s, c, on ? "subscribed_failed" : "unsubscribed_failed", priv_names[f], NULL, 0,
		    true);
		return;
	}
	if (f == FWSS_FILLS) {
		const struct px_instr *ins[FWSS_NINSTR];
		int pid = jobj_get(d, 0, "product_ids");
		int n = pid >= 0 ? products(s, pid, ins, FWSS_NINSTR) : 0;
		if (n < 0) {
			send_error(s, c, "Invalid product id");
			return;
		}
		c->fills_only = 0;
		for (int i = 0; i < n; i++)
			c->fills_only |= 1u << ins[i]->id;
	}
	c->acct = acct;
	ack(s, c, on ? "subscribed" : "unsubscribed", priv_names[f], NULL, 0, true);
	if (!on) {
		c->priv &= ~(1u << f);
		return;
	}
	c->priv |= 1u << f;
	private_snapshot(s, c, f);
}

static void subscribe(struct fut_ws_srv *s, struct fwss_client *c, bool on)
{
	const struct jdoc *d = &s->doc;
	int ft = jobj_get(d, 0, "feed");
	char feed[40];
	if (!jtok_is(d, ft, J_STR) || jtok_str(d, ft, feed, sizeof feed) >= sizeof feed) {
		send_error(s, c, "Json Error");
		return;
	}
	if (strcmp(feed, "heartbeat") == 0) {
		c->heartbeat = on;
		ack(s, c, on ? "subscribed" : "unsubscribed", feed, NULL, 0, false);
		return;
	}
	for (size_t i = 0; i < sizeof pub_feeds / sizeof pub_feeds[0]; i++)
		if (strcmp(feed, pub_feeds[i].name) == 0) {
			public_sub(s, c, on, feed, pub_feeds[i].bit);
			return;
		}
	for (int f = 0; f < FWSS_PRIV_COUNT; f++)
		if (strcmp(feed, priv_names[f]) == 0) {
			private_sub(s, c, on, (enum fwss_priv)f);
			return;
		}
	send_error(s, c, "Invalid feed");
}

static void challenge(struct fut_ws_srv *s, struct fwss_client *c)
{
	const struct jdoc *d = &s->doc;
	int kt = jobj_get(d, 0, "api_key");
	char key[128], ch[PAPER_CHALLENGE_MAX];
	if (!jtok_is(d, kt, J_STR) || jtok_str(d, kt, key, sizeof key) >= sizeof key ||
	    paper_challenge_issue(s->p, key, ch) < 0) {
		send_error(s, c, "Json Error");
		return;
	}
	sendf(s, c, "{\"event\":\"challenge\",\"message\":\"%s\"}", ch);
}

void fut_ws_srv_message(struct fut_ws_srv *s, struct http_conn *conn, const char *data, size_t len)
{
	struct fwss_client *c = ws_conn_data(conn);
	if (!c || c->dead)
		return;
	const struct jdoc *d = &s->doc;
	if (jdoc_parse(&s->doc, data, len, NULL) < 0 || !jtok_is(d, 0, J_OBJ)) {
		send_error(s, c, "Json Error");
		return;
	}
	int ev = jobj_get(d, 0, "event");
	if (jstr_eq(d, ev, "subscribe"))
		subscribe(s, c, true);
	else if (jstr_eq(d, ev, "unsubscribe"))
		subscribe(s, c, false);
	else if (jstr_eq(d, ev, "challenge"))
		challenge(s, c);
	else
		send_error(s, c, "Json Error");
}
