/* fut_ws: the Futures WS v1 session on top of wsconn and the pure codec. */
#include "kraken/fut_ws.h"

#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "base/log.h"
#include "base/sbuf.h"
#include "base/strutil.h"
#include "base/xalloc.h"
#include "core/state.h"
#include "kraken/fut_ws_codec.h"

/* The private feeds a keyed session always subscribes. */
static const char *const private_feeds[] = {
        "open_orders_verbose", "fills", "open_positions", "balances", "account_log",
        "notifications_auth",
};
#define NPRIVATE (sizeof private_feeds / sizeof private_feeds[0])

static const char *const public_feeds[] = {"book", "ticker", "ticker_lite", "trade"};

struct fut_sub {
	char feed[16];
	char product[INSTR_ID_MAX];
};

struct fut_ws {
	struct state *st;
	struct wsconn *conn;
	struct fut_ws_codec codec;
	struct fut_ws_auth auth;
	char *api_key;
	char *secret;
	struct wsconn_env env;
	bool has_env;
	void (*on_connected)(void *arg, bool reconnect);
	void *arg;
	struct fut_sub *subs;
	size_t nsubs, cap_subs;
	struct sbuf out;
	bool cb_pending; /* owner callback due once the private feeds are requested */
	bool cb_reconnect;
	unsigned private_acks;
	bool authed;
	bool failed;      /* private feeds refused: do not retry on this connection */
	bool challenging; /* a challenge was requested and not answered yet */
};

static bool keyed(const struct fut_ws *s)
{
	return s->api_key && s->api_key[0] && s->secret && s->secret[0];
}

static uint64_t now_ms(const struct fut_ws *s)
{
	return s->has_env && s->env.now_ms ? s->env.now_ms(s->env.arg) : kt_mono_ms();
}

static void send_buf(struct fut_ws *s)
{
	if (s->out.len && wsconn_send(s->conn, s->out.p, s->out.len) < 0)
		LOGD("fut ws: not connected; %s dropped (resent on connect)", sbuf_str(&s->out));
	sbuf_reset(&s->out);
}

static void send_sub(struct fut_ws *s, bool on, const char *feed, const char *const *ids, size_t n)
{
	sbuf_reset(&s->out);
	if (fut_ws_req_sub(&s->out, on, feed, ids, n, s->api_key, &s->auth) == 0)
		send_buf(s);
}

/* All public subscriptions of one feed in one request. */
static void send_public(struct fut_ws *s)
{
	const char **ids = xmalloc((s->nsubs + 1) * sizeof *ids);
	for (size_t f = 0; f < sizeof public_feeds / sizeof public_feeds[0]; f++) {
		size_t n = 0;
		for (size_t i = 0; i < s->nsubs; i++)
			if (strcmp(s->subs[i].feed, public_feeds[f]) == 0)
				ids[n++] = s->subs[i].product;
		if (n)
			send_sub(s, true, public_feeds[f], ids, n);
	}
	free(ids);
}

static void owner_callback(struct fut_ws *s)
{
	if (!s->cb_pending)
		return;
	s->cb_pending = false;
	if (s->on_connected)
		s->on_connected(s->arg, s->cb_reconnect);
}

static void on_connected(void *ctx, bool reconnect)
{
	struct fut_ws *s = ctx;
	fut_ws_auth_clear(&s->auth);
	s->private_acks = 0;
	s->authed = false;
	s->failed = false;
	s->challenging = false;
	s->cb_pending = true;
	s->cb_reconnect = reconnect;
	send_sub(s, true, "heartbeat", NULL, 0);
	send_public(s);
	if (!keyed(s)) {
		owner_callback(s);
		return;
	}
	state_feed_set(s->st, FEED_FUT_PRIVATE, FEED_AUTHENTICATING, NULL);
	sbuf_reset(&s->out);
	fut_ws_req_challenge(&s->out, s->api_key);
	send_buf(s);
	s->challenging = true;
}

/* Books we were keeping are not current any more: show them stale until the
 * snapshot of the next connection. */
static void books_stale(struct fut_ws *s)
{
	for (size_t i = 0; i < s->nsubs; i++) {
		if (strcmp(s->subs[i].feed, "book") != 0)
			continue;
		int idx = state_find_instrument(s->st, s->subs[i].product);
		struct market *m = idx >= 0 ? state_market(s->st, idx) : NULL;
		if (!m || !m->book.valid)
			continue;
		m->book.valid = false;
		m->stale = true;
		state_changed(s->st, EV_BOOK, idx);
	}
}

static void on_disconnected(void *ctx, int code, const char *reason)
{
	struct fut_ws *s = ctx;
	LOGI("fut ws: disconnected (%d %s)", code, reason ? reason : "");
	fut_ws_auth_clear(&s->auth);
	s->authed = false;
	s->cb_pending = false;
	s->challenging = false;
	books_stale(s);
	if (keyed(s))
		state_feed_set(s->st, FEED_FUT_PRIVATE, FEED_BACKOFF,
		               reason && reason[0] ? reason : NULL);
}

static void on_challenge(struct fut_ws *s, const char *challenge)
{
	struct kerr err = KERR_INIT;
	if (!keyed(s) || s->failed || !s->challenging)
		return;
	s->challenging = false;
	if (fut_ws_auth_sign(&s->auth, s->secret, challenge, &err) < 0) {
		s->failed = true;
		state_feed_set(s->st, FEED_FUT_PRIVATE, FEED_FAILED, err.msg);
		state_notice(s->st, NOTICE_ERROR, "Futures private feeds: %s", err.msg);
		owner_callback(s);
		return;
	}
	for (size_t i = 0; i < NPRIVATE; i++)
		send_sub(s, true, private_feeds[i], NULL, 0);
	owner_callback(s);
}

static void on_ack(struct fut_ws *s, const struct fws_msg *m)
{
	if (m->kind == FWS_SUBSCRIBED && m->is_private) {
		if (++s->private_acks == 1) {
			s->authed = true;
			state_feed_set(s->st, FEED_FUT_PRIVATE, FEED_UP, NULL);
		}
	} else if (m->kind == FWS_SUBSCRIBE_FAILED && m->is_private) {
		if (!s->failed) {
			char why[160];
			snprintf(why, sizeof why, "Kraken refused the private feeds: %.100s",
			         m->text[0] ? m->text : "check the Futures API key and secret");
			state_feed_set(s->st, FEED_FUT_PRIVATE, FEED_FAILED, why);
			state_notice(s->st, NOTICE_ERROR, "Futures: %s", why);
		}
		s->failed = true;
		s->authed = false;
	} else if (m->kind == FWS_SUBSCRIBE_FAILED || m->kind == FWS_UNSUBSCRIBE_FAILED) {
		state_notice(s->st, NOTICE_WARN, "Futures: could not %ssubscribe %s %s%s%s",
		             m->kind == FWS_UNSUBSCRIBE_FAILED ? "un" : "", m->feed, m->product,
		             m->text[0] ? ": " : "", m->text);
	}
}

/* A book seq gap: ask for a fresh snapshot of that product only. */
static void resync_book(struct fut_ws *s, const char *product)
{
	const char *ids[1] = {product};
	send_sub(s, false, "book", ids, 1);
	send_sub(s, true, "book", ids, 1);
}

static void on_message(void *ctx, const char *msg, size_t len)
{
	struct fut_ws *s = ctx;
	struct fws_msg m;
	struct kerr err = KERR_INIT;
	if (fut_ws_decode(&s->codec, s->st, msg, len, &m, &err) < 0) {
		/* bad input is never fatal; do not flood the log either */
		if (s->codec.errors <= 20 || s->codec.errors % 1000 == 0)
			LOGW("%s (%llu so far)", err.msg, (unsigned long long)s->codec.errors);
		return;
	}
	if (m.is_private)
		state_feed_msg(s->st, FEED_FUT_PRIVATE, (int64_t)now_ms(s));
	if (m.feed[0] && m.kind >= FWS_HEARTBEAT) {
		/* "book_snapshot" and "book" are one channel; the suffix is cut in place
		 * (m is ours), which costs nothing on the deltas. */
		size_t n = strlen(m.feed);
		if (n > 9 && memcmp(m.feed + n - 9, "_snapshot", 9) == 0)
			m.feed[n - 9] = '\0';
		state_feed_channel_msg(s->st, m.is_private ? FEED_FUT_PRIVATE : FEED_FUT_PUBLIC,
				       m.feed);
	}
	switch (m.kind) {
	case FWS_CHALLENGE:
		on_challenge(s, m.text);
		break;
	case FWS_SUBSCRIBED:
	case FWS_SUBSCRIBE_FAILED:
	case FWS_UNSUBSCRIBED:
	case FWS_UNSUBSCRIBE_FAILED:
		on_ack(s, &m);
		break;
	case FWS_ERROR:
		LOGW("fut ws: Kraken says: %s", m.text);
		if (s->challenging) {
			/* the challenge request itself was refused: the key is wrong */
			char why[160];
			snprintf(why, sizeof why, "Kraken refused the API key (%.100s)", m.text);
			s->challenging = false;
			s->failed = true;
			state_feed_set(s->st, FEED_FUT_PRIVATE, FEED_FAILED, why);
			state_notice(s->st, NOTICE_ERROR, "Futures private feeds: %s", why);
			owner_callback(s);
			break;
		}
		state_notice(s->st, NOTICE_WARN, "Kraken Futures: %s", m.text);
		break;
	case FWS_ALERT:
		if (strcasestr(m.text, "maintenance"))
			wsconn_maintenance(s->conn, true);
		break;
	case FWS_INFO:
		LOGD("fut ws: server version %d", m.version);
		wsconn_maintenance(s->conn, false);
		break;
	default:
		if (m.resync)
			resync_book(s, m.product);
		break;
	}
}

struct fut_ws *fut_ws_new(struct kt_loop *loop, struct state *st, const struct fut_ws_opts *opts,
                          struct kerr *err)
{
	if (!opts || !opts->url || !opts->url[0]) {
		kerr_set(err, 1, "no Futures WebSocket URL configured");
		return NULL;
	}
	struct fut_ws *s = xcalloc(1, sizeof *s);
	s->st = st;
	fut_ws_codec_init(&s->codec);
	sbuf_init(&s->out);
	s->on_connected = opts->on_connected;
	s->arg = opts->arg;
	if (opts->api_key && opts->api_key[0] && opts->api_secret && opts->api_secret[0]) {
		s->api_key = xstrdup(opts->api_key);
		s->secret = xstrdup(opts->api_secret);
		klog_add_redaction(s->secret);
	}
	if (opts->env) {
		s->env = *opts->env;
		s->has_env = true;
	}
	struct wsconn_policy pol = opts->policy ? *opts->policy : wsconn_policy_futures();
	static const struct wsconn_ops ops = {
	        .on_connected = on_connected,
	        .on_message = on_message,
	        .on_disconnected = on_disconnected,
	};
	s->conn = wsconn_new(loop, st, FEED_FUT_PUBLIC, opts->url, &pol, &ops, s, opts->env);
	state_feed_set(st, FEED_FUT_PRIVATE, FEED_OFF, NULL);
	return s;
}

void fut_ws_free(struct fut_ws *s)
{
	if (!s)
		return;
	wsconn_free(s->conn);
	fut_ws_codec_free(&s->codec);
	fut_ws_auth_clear(&s->auth);
	sbuf_free(&s->out);
	free(s->subs);
	free(s->api_key);
	xfree_secret(s->secret);
	free(s);
}

void fut_ws_start(struct fut_ws *s)
{
	wsconn_start(s->conn);
}

void fut_ws_stop(struct fut_ws *s)
{
	wsconn_stop(s->conn);
	if (keyed(s))
		state_feed_set(s->st, FEED_FUT_PRIVATE, FEED_OFF, NULL);
}

static bool is_public(const char *feed)
{
	for (size_t i = 0; i < sizeof public_feeds / sizeof public_feeds[0]; i++)
		if (strcmp(feed, public_feeds[i]) == 0)
			return true;
	return false;
}

static long find_sub(const struct fut_ws *s, const char *feed, const char *product)
{
	for (size_t i = 0; i < s->nsubs; i++)
		if (strcmp(s->subs[i].feed, feed) == 0 && strcmp(s->subs[i].product, product) == 0)
			return (long)i;
	return -1;
}

int fut_ws_subscribe(struct fut_ws *s, const char *feed, const char *product)
{
	if (!is_public(feed) || !product[0] || strlen(product) >= INSTR_ID_MAX)
		return -1;
	if (find_sub(s, feed, product) >= 0)
		return 0;
	s->subs = xgrow(s->subs, &s->cap_subs, s->nsubs + 1, sizeof *s->subs);
	struct fut_sub *sub = &s->subs[s->nsubs++];
	kt_strlcpy(sub->feed, feed, sizeof sub->feed);
	kt_strlcpy(sub->product, product, sizeof sub->product);
	if (wsconn_is_open(s->conn))
		send_sub(s, true, feed, &product, 1);
	return 0;
}

int fut_ws_unsubscribe(struct fut_ws *s, const char *feed, const char *product)
{
	if (!is_public(feed))
		return -1;
	long i = find_sub(s, feed, product);
	if (i < 0)
		return 0;
	s->subs[i] = s->subs[--s->nsubs];
	if (wsconn_is_open(s->conn))
		send_sub(s, false, feed, &product, 1);
	if (strcmp(feed, "book") == 0) {
		int idx = state_find_instrument(s->st, product);
		struct market *m = idx >= 0 ? state_market(s->st, idx) : NULL;
		if (m) {
			m->book_subscribed = false;
			m->book.valid = false;
		}
	}
	return 0;
}

void fut_ws_watch(struct fut_ws *s, const char *product, bool on)
{
	static const char *const feeds[] = {"book", "ticker", "trade"};
	for (size_t i = 0; i < 3; i++)
		(on ? fut_ws_subscribe : fut_ws_unsubscribe)(s, feeds[i], product);
}

void fut_ws_set_raw_hook(struct fut_ws *s, void (*fn)(void *ctx, const char *msg, size_t len),
                         void *ctx)
{
	wsconn_set_raw_hook(s->conn, fn, ctx);
}

void fut_ws_stats(const struct fut_ws *s, struct fut_ws_stats *out)
{
	out->messages = s->codec.messages;
	out->errors = s->codec.errors;
	out->dropped = s->codec.dropped;
	out->gaps = s->codec.gaps;
	out->connects = wsconn_opens(s->conn);
	out->authed = s->authed;
}

struct wsconn *fut_ws_conn(struct fut_ws *s)
{
	return s->conn;
}
