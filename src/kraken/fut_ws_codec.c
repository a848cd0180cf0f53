/* fut_ws_codec: message dispatch, event envelopes (info, challenge, acks,
 * error, alert, heartbeat), request builders and the shared field readers.
 * The feed decoders live in fut_ws_market.c, fut_ws_orders.c and
 * fut_ws_account.c. */
#include "kraken/fut_ws_codec.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/jwrite.h"
#include "base/strutil.h"
#include "base/xalloc.h"
#include "kraken/fut_ws_int.h"

void fut_ws_codec_init(struct fut_ws_codec *c)
{
	memset(c, 0, sizeof *c);
	jdoc_init(&c->doc);
}

void fut_ws_codec_free(struct fut_ws_codec *c)
{
	jdoc_free(&c->doc);
	free(c->lv);
	free(c->scratch);
	memset(c, 0, sizeof *c);
}

void *fws_scratch(struct fut_ws_codec *c, size_t n, size_t size)
{
	size_t need = n * size;
	if (need > c->scratch_cap) {
		size_t cap = c->scratch_cap ? c->scratch_cap : 4096;
		while (cap < need)
			cap *= 2;
		c->scratch = xrealloc(c->scratch, cap);
		c->scratch_cap = cap;
	}
	return c->scratch;
}

int fws_fail(struct fws_ctx *x, int code, const char *fmt, ...)
{
	if (x->err) {
		char msg[400];
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(msg, sizeof msg, fmt, ap);
		va_end(ap);
		const char *feed = x->out->feed[0] ? x->out->feed : "message";
		kerr_set(x->err, code, "Kraken Futures WS %s: %s", feed, msg);
	}
	return -1;
}

/* ---- field readers ---- */

/* A number with more than 18 decimals (a double printed in full, e.g. a
 * funding amount 0.0004114160669590132) rounded half-even to 18 decimals.
 * s is the token text, already a valid JSON number or numeric string. */
static int num_round18(const char *s, size_t n, dec_t *out)
{
	size_t i = 0;
	bool neg = false, point = false, any = false;
	char dig[40];
	size_t nd = 0;
	long frac = 0, e = 0;
	if (i < n && (s[i] == '-' || s[i] == '+'))
		neg = s[i++] == '-';
	for (; i < n; i++) {
		char ch = s[i];
		if (ch == '.' && !point) {
			point = true;
		} else if (ch >= '0' && ch <= '9') {
			any = true;
			if (point)
				frac++;
			if (nd == 0 && ch == '0')
				continue; /* leading zeros carry no digits */
			if (nd == sizeof dig)
				return -1;
			dig[nd++] = ch;
		} else {
			break;
		}
	}
	if (i < n && (s[i] == 'e' || s[i] == 'E')) {
		bool eneg = false;
		if (++i < n && (s[i] == '-' || s[i] == '+'))
			eneg = s[i++] == '-';
		for (; i < n && s[i] >= '0' && s[i] <= '9'; i++)
			if (e < 100000)
				e = e * 10 + (s[i] - '0');
		e = eneg ? -e : e;
	}
	if (i != n || !any)
		return -1;
	long drop = frac - e - DEC_MAX_SCALE; /* trailing digits beyond the 18th decimal */
	if (drop <= 0)
		return -1; /* not a scale problem */
	if (drop > (long)nd) {
		*out = dec_zero(); /* below a tenth of 1e-18 */
		return 0;
	}
	size_t keep = nd - (size_t)drop;
	if (keep > 18)
		return -1;
	int64_t m = 0;
	for (size_t k = 0; k < keep; k++)
		m = m * 10 + (dig[k] - '0');
	/* half-even on the dropped digits */
	int first = dig[keep] - '0';
	bool rest = false;
	for (size_t k = keep + 1; k < nd; k++)
		rest |= dig[k] != '0';
	if (first > 5 || (first == 5 && (rest || (m & 1))))
		m++;
	if (m > DEC_MANT_MAX)
		return -1;
	*out = dec_normalize(dec_make(neg ? -m : m, DEC_MAX_SCALE));
	return 0;
}

static int tok_dec(struct fws_ctx *x, int tok, const char *what, dec_t *out, bool exact)
{
	enum jtype t = jtok_type(x->d, tok);
	if (t != J_NUM && t != J_STR)
		return fws_fail(x, FWS_E_SHAPE, "\"%s\" is not a number", what);
	struct kerr e = KERR_INIT;
	if (jtok_dec(x->d, tok, out, &e) == 0)
		return 0;
	size_t len;
	const char *raw = jtok_raw(x->d, tok, &len);
	if (!exact && e.code == DEC_E_SCALE && num_round18(raw, len, out) == 0)
		return 0;
	return fws_fail(x, FWS_E_NUMBER, "\"%s\": %s", what, e.msg);
}

int fws_tok_dec(struct fws_ctx *x, int tok, const char *what, dec_t *out)
{
	return tok_dec(x, tok, what, out, false);
}

int fws_tok_dec_exact(struct fws_ctx *x, int tok, const char *what, dec_t *out)
{
	return tok_dec(x, tok, what, out, true);
}

int fws_req_dec(struct fws_ctx *x, int obj, const char *key, dec_t *out)
{
	int tok = jobj_get(x->d, obj, key);
	if (tok < 0)
		return fws_fail(x, FWS_E_SHAPE, "missing \"%s\"", key);
	return fws_tok_dec(x, tok, key, out);
}

int fws_opt_dec(struct fws_ctx *x, int obj, const char *key, dec_t *out, bool *has)
{
	int tok = jobj_get(x->d, obj, key);
	if (has)
		*has = false;
	if (tok < 0 || jtok_is(x->d, tok, J_NULL))
		return 0;
	if (fws_tok_dec(x, tok, key, out) < 0)
		return -1;
	if (has)
		*has = true;
	return 0;
}

int fws_tok_ms(struct fws_ctx *x, int tok, const char *what, int64_t *out)
{
	dec_t v;
	if (fws_tok_dec(x, tok, what, &v) < 0)
		return -1;
	dec_t whole;
	if (dec_rescale(v, 0, DEC_DOWN, &whole) < 0)
		return fws_fail(x, FWS_E_NUMBER, "\"%s\" is not a time in ms", what);
	*out = whole.m;
	return 0;
}

int fws_req_ms(struct fws_ctx *x, int obj, const char *key, int64_t *out)
{
	int tok = jobj_get(x->d, obj, key);
	if (tok < 0)
		return fws_fail(x, FWS_E_SHAPE, "missing \"%s\"", key);
	return fws_tok_ms(x, tok, key, out);
}

int fws_opt_ms(struct fws_ctx *x, int obj, const char *key, int64_t *out)
{
	int tok = jobj_get(x->d, obj, key);
	if (tok < 0 || jtok_is(x->d, tok, J_NULL))
		return 0;
	return fws_tok_ms(x, tok, key, out);
}

int fws_opt_bool(struct fws_ctx *x, int obj, const char *key, bool *out, bool *has)
{
	int tok = jobj_get(x->d, obj, key);
	if (has)
		*has = false;
	if (tok < 0 || jtok_is(x->d, tok, J_NULL))
		return 0;
	if (jtok_bool(x->d, tok, out) < 0)
		return fws_fail(x, FWS_E_SHAPE, "\"%s\" is not true/false", key);
	if (has)
		*has = true;
	return 0;
}

static int str_tok(struct fws_ctx *x, int tok, const char *key, char *buf, size_t cap)
{
	if (!jtok_is(x->d, tok, J_STR))
		return fws_fail(x, FWS_E_SHAPE, "\"%s\" is not a string", key);
	jtok_str(x->d, tok, buf, cap);
	return 0;
}

int fws_req_str(struct fws_ctx *x, int obj, const char *key, char *buf, size_t cap)
{
	int tok = jobj_get(x->d, obj, key);
	if (tok < 0)
		return fws_fail(x, FWS_E_SHAPE, "missing \"%s\"", key);
	return str_tok(x, tok, key, buf, cap);
}

int fws_opt_str(struct fws_ctx *x, int obj, const char *key, char *buf, size_t cap)
{
	int tok = jobj_get(x->d, obj, key);
	if (cap)
		buf[0] = '\0';
	if (tok < 0 || jtok_is(x->d, tok, J_NULL))
		return 0;
	return str_tok(x, tok, key, buf, cap);
}

int fws_req_arr(struct fws_ctx *x, int obj, const char *key)
{
	int tok = jobj_get(x->d, obj, key);
	if (!jtok_is(x->d, tok, J_ARR))
		return fws_fail(x, FWS_E_SHAPE, tok < 0 ? "missing \"%s\"" : "\"%s\" is not a list",
		                key);
	return tok;
}

int fws_instr(const struct state *st, const char *sym, size_t len)
{
	int idx = state_find_instrumentn(st, sym, len);
	if (idx >= 0 || len >= INSTR_ID_MAX)
		return idx;
	char up[INSTR_ID_MAX];
	memcpy(up, sym, len);
	up[len] = '\0';
	kt_str_upper(up);
	return state_find_instrumentn(st, up, len);
}

int fws_instr_tok(struct fws_ctx *x, int tok)
{
	size_t len;
	const char *s = jtok_raw(x->d, tok, &len);
	if (!s || !jtok_is(x->d, tok, J_STR))
		return -1;
	return fws_instr(x->st, s, len);
}

/* ---- dispatch ---- */

typedef int (*fws_handler)(struct fws_ctx *x, int obj);

static int h_book_snapshot(struct fws_ctx *x, int obj)
{
	return fws_book_snapshot(x, obj);
}
static int h_book(struct fws_ctx *x, int obj)
{
	return fws_book_delta(x, obj);
}
static int h_ticker(struct fws_ctx *x, int obj)
{
	return fws_ticker(x, obj);
}
static int h_trade_snapshot(struct fws_ctx *x, int obj)
{
	return fws_trades(x, obj, true);
}
static int h_trade(struct fws_ctx *x, int obj)
{
	return fws_trades(x, obj, false);
}
static int h_orders_snapshot(struct fws_ctx *x, int obj)
{
	return fws_orders(x, obj, true);
}
static int h_orders(struct fws_ctx *x, int obj)
{
	return fws_orders(x, obj, false);
}
static int h_fills(struct fws_ctx *x, int obj)
{
	return fws_fills(x, obj);
}
static int h_positions(struct fws_ctx *x, int obj)
{
	return fws_positions(x, obj);
}
static int h_bal_snapshot(struct fws_ctx *x, int obj)
{
	return fws_balances(x, obj, true);
}
static int h_balances(struct fws_ctx *x, int obj)
{
	return fws_balances(x, obj, false);
}
static int h_log_snapshot(struct fws_ctx *x, int obj)
{
	return fws_account_log(x, obj, true);
}
static int h_log(struct fws_ctx *x, int obj)
{
	return fws_account_log(x, obj, false);
}
static int h_notifications(struct fws_ctx *x, int obj)
{
	return fws_notifications(x, obj);
}

static int h_heartbeat(struct fws_ctx *x, int obj)
{
	return fws_opt_ms(x, obj, "time", &x->out->time_ms);
}

/* Data feeds by name; the most frequent first. */
static const struct {
	const char *feed;
	enum fws_kind kind;
	bool priv;
	fws_handler fn;
} feeds[] = {
        {"book", FWS_BOOK, false, h_book},
        {"ticker", FWS_TICKER, false, h_ticker},
        {"trade", FWS_TRADE, false, h_trade},
        {"heartbeat", FWS_HEARTBEAT, false, h_heartbeat},
        {"book_snapshot", FWS_BOOK_SNAPSHOT, false, h_book_snapshot},
        {"ticker_lite", FWS_TICKER, false, h_ticker},
        {"trade_snapshot", FWS_TRADE_SNAPSHOT, false, h_trade_snapshot},
        {"open_orders_verbose", FWS_ORDERS, true, h_orders},
        {"open_orders", FWS_ORDERS, true, h_orders},
        {"open_orders_verbose_snapshot", FWS_ORDERS_SNAPSHOT, true, h_orders_snapshot},
        {"open_orders_snapshot", FWS_ORDERS_SNAPSHOT, true, h_orders_snapshot},
        {"fills", FWS_FILLS, true, h_fills},
        {"fills_snapshot", FWS_FILLS_SNAPSHOT, true, h_fills},
        {"open_positions", FWS_POSITIONS, true, h_positions},
        {"open_positions_snapshot", FWS_POSITIONS, true, h_positions},
        {"balances", FWS_BALANCES, true, h_balances},
        {"balances_snapshot", FWS_BALANCES_SNAPSHOT, true, h_bal_snapshot},
        {"account_log", FWS_ACCOUNT_LOG, true, h_log},
        {"account_log_snapshot", FWS_ACCOUNT_LOG_SNAPSHOT, true, h_log_snapshot},
        {"notifications_auth", FWS_NOTIFICATIONS, true, h_notifications},
        {"notifications_auth_snapshot", FWS_NOTIFICATIONS, true, h_notifications},
};

static const char *const private_feeds[] = {
        "open_orders",
        "open_orders_verbose",
        "fills",
        "open_positions",
        "balances",
        "account_log",
        "notifications_auth",
        "account_balances_and_margins",
        "deposits_withdrawals",
};

bool fut_ws_feed_is_private(const char *feed)
{
	size_t n = strlen(feed);
	if (n > 9 && strcmp(feed + n - 9, "_snapshot") == 0)
		n -= 9;
	for (size_t i = 0; i < sizeof private_feeds / sizeof private_feeds[0]; i++)
		if (strlen(private_feeds[i]) == n && strncmp(private_feeds[i], feed, n) == 0)
			return true;
	return false;
}

static const struct {
	const char *event;
	enum fws_kind kind;
} acks[] = {
        {"subscribed", FWS_SUBSCRIBED},
        {"subscribed_failed", FWS_SUBSCRIBE_FAILED},
        {"unsubscribed", FWS_UNSUBSCRIBED},
        {"unsubscribed_failed", FWS_UNSUBSCRIBE_FAILED},
};

/* {"event": ...} envelopes: nothing in them touches the market state. */
static int decode_event(struct fws_ctx *x, int obj, int ev)
{
	const struct jdoc *d = x->d;
	struct fws_msg *out = x->out;
	if (jstr_eq(d, ev, "info")) {
		out->kind = FWS_INFO;
		int v = jobj_get(d, obj, "version");
		int64_t ver = 0;
		if (v >= 0 && jtok_i64(d, v, &ver) < 0)
			return fws_fail(x, FWS_E_SHAPE, "\"version\" is not an integer");
		out->version = (int)ver;
		return fws_opt_str(x, obj, "message", out->text, sizeof out->text);
	}
	if (jstr_eq(d, ev, "challenge")) {
		out->kind = FWS_CHALLENGE;
		if (fws_req_str(x, obj, "message", out->text, sizeof out->text) < 0)
			return -1;
		if (!out->text[0])
			return fws_fail(x, FWS_E_SHAPE, "empty challenge");
		return 0;
	}
	if (jstr_eq(d, ev, "error") || jstr_eq(d, ev, "alert")) {
		out->kind = jstr_eq(d, ev, "error") ? FWS_ERROR : FWS_ALERT;
		if (fws_opt_str(x, obj, "message", out->text, sizeof out->text) < 0)
			return -1;
		if (out->kind == FWS_ALERT)
			state_notice(x->st, NOTICE_WARN, "Kraken Futures: %s", out->text);
		return 0;
	}
	for (size_t i = 0; i < sizeof acks / sizeof acks[0]; i++) {
		if (!jstr_eq(d, ev, acks[i].event))
			continue;
		out->kind = acks[i].kind;
		if (fws_opt_str(x, obj, "feed", out->feed, sizeof out->feed) < 0)
			return -1;
		out->is_private = fut_ws_feed_is_private(out->feed);
		int ids = jobj_get(d, obj, "product_ids");
		int first = jarr_at(d, ids, 0);
		if (first >= 0) {
			if (str_tok(x, first, "product_ids", out->product, sizeof out->product) < 0)
				return -1;
			out->instr = fws_instr(x->st, out->product, strlen(out->product));
		}
		return fws_opt_str(x, obj, "message", out->text, sizeof out->text);
	}
	out->kind = FWS_UNKNOWN;
	return 0;
}

int fut_ws_decode(struct fut_ws_codec *c, struct state *st, const char *msg, size_t len,
                  struct fws_msg *out, struct kerr *err)
{
	memset(out, 0, offsetof(struct fws_msg, feed));
	out->feed[0] = out->product[0] = out->text[0] = '\0';
	out->instr = -1;
	c->messages++;
	struct fws_ctx x = {.c = c, .st = st, .d = &c->doc, .out = out, .err = err};
	struct kerr e = KERR_INIT;
	if (jdoc_parse(&c->doc, msg, len, &e) < 0) {
		c->errors++;
		return kerr_set(err, FWS_E_JSON, "Kraken Futures WS: not valid JSON (%s)", e.msg);
	}
	if (!jtok_is(&c->doc, 0, J_OBJ)) {
		c->errors++;
		return kerr_set(err, FWS_E_SHAPE, "Kraken Futures WS: a message is not an object");
	}
	int ev = jobj_get(&c->doc, 0, "event");
	int rc;
	if (ev >= 0) {
		rc = decode_event(&x, 0, ev);
	} else {
		int f = jobj_get(&c->doc, 0, "feed");
		if (f < 0 || !jtok_is(&c->doc, f, J_STR)) {
			out->kind = FWS_UNKNOWN;
			return 0;
		}
		size_t flen;
		const char *fname = jtok_raw(&c->doc, f, &flen);
		rc = 0;
		out->kind = FWS_UNKNOWN;
		for (size_t i = 0; i < sizeof feeds / sizeof feeds[0]; i++) {
			if (strlen(feeds[i].feed) != flen ||
			    memcmp(feeds[i].feed, fname, flen) != 0)
				continue;
			out->kind = feeds[i].kind;
			out->is_private = feeds[i].priv;
			memcpy(out->feed, fname, flen < FWS_FEED_MAX ? flen : FWS_FEED_MAX - 1);
			out->feed[flen < FWS_FEED_MAX ? flen : FWS_FEED_MAX - 1] = '\0';
			rc = feeds[i].fn(&x, 0);
			break;
		}
	}
	if (rc < 0)
		c->errors++;
	if (out->dropped)
		c->dropped++;
	if (out->resync)
		c->gaps++;
	return rc;
}

/* ---- requests ---- */

void fut_ws_req_challenge(struct sbuf *b, const char *api_key)
{
	struct jw w;
	jw_init(&w, b);
	jw_obj_begin(&w);
	jw_key(&w, "event");
	jw_str(&w, "challenge");
	jw_key(&w, "api_key");
	jw_str(&w, api_key);
	jw_obj_end(&w);
}

int fut_ws_auth_sign(struct fut_ws_auth *a, const char *secret_b64, const char *challenge,
                     struct kerr *err)
{
	struct kerr e = KERR_INIT;
	fut_ws_auth_clear(a);
	if (strlen(challenge) >= sizeof a->challenge)
		return kerr_set(err, FWS_E_SIGN, "the Futures WS challenge is too long");
	if (kraken_futures_sign_challenge(secret_b64, challenge, a->signed_challenge,
	                                  sizeof a->signed_challenge, &e) < 0)
		return kerr_set(err, FWS_E_SIGN, "cannot sign the Futures WS challenge: %s", e.msg);
	kt_strlcpy(a->challenge, challenge, sizeof a->challenge);
	a->ready = true;
	return 0;
}

void fut_ws_auth_clear(struct fut_ws_auth *a)
{
	xwipe(a, sizeof *a);
	a->ready = false;
}

int fut_ws_req_sub(struct sbuf *b, bool subscribe, const char *feed, const char *const *products,
                   size_t n, const char *api_key, const struct fut_ws_auth *auth)
{
	bool priv = fut_ws_feed_is_private(feed);
	if (priv && (!auth || !auth->ready || !api_key || !api_key[0]))
		return -1;
	struct jw w;
	jw_init(&w, b);
	jw_obj_begin(&w);
	jw_key(&w, "event");
	jw_str(&w, subscribe ? "subscribe" : "unsubscribe");
	jw_key(&w, "feed");
	jw_str(&w, feed);
	if (n) {
		jw_key(&w, "product_ids");
		jw_arr_begin(&w);
		for (size_t i = 0; i < n; i++)
			jw_str(&w, products[i]);
		jw_arr_end(&w);
	}
	if (priv) {
		jw_key(&w, "api_key");
		jw_str(&w, api_key);
		jw_key(&w, "original_challenge");
		jw_str(&w, auth->challenge);
		jw_key(&w, "signed_challenge");
		jw_str(&w, auth->signed_challenge);
	}
	jw_obj_end(&w);
	return 0;
}

static const char *const kind_names[FWS_KIND_COUNT] = {
        [FWS_UNKNOWN] = "unknown",
        [FWS_INFO] = "info",
        [FWS_CHALLENGE] = "challenge",
        [FWS_SUBSCRIBED] = "subscribed",
        [FWS_SUBSCRIBE_FAILED] = "subscribed_failed",
        [FWS_UNSUBSCRIBED] = "unsubscribed",
        [FWS_UNSUBSCRIBE_FAILED] = "unsubscribed_failed",
        [FWS_ERROR] = "error",
        [FWS_ALERT] = "alert",
        [FWS_HEARTBEAT] = "heartbeat",
        [FWS_BOOK_SNAPSHOT] = "book_snapshot",
        [FWS_BOOK] = "book",
        [FWS_TICKER] = "ticker",
        [FWS_TRADE_SNAPSHOT] = "trade_snapshot",
        [FWS_TRADE] = "trade",
        [FWS_ORDERS_SNAPSHOT] = "open_orders_snapshot",
        [FWS_ORDERS] = "open_orders",
        [FWS_FILLS_SNAPSHOT] = "fills_snapshot",
        [FWS_FILLS] = "fills",
        [FWS_POSITIONS] = "open_positions",
        [FWS_BALANCES_SNAPSHOT] = "balances_snapshot",
        [FWS_BALANCES] = "balances",
        [FWS_ACCOUNT_LOG_SNAPSHOT] = "account_log_snapshot",
        [FWS_ACCOUNT_LOG] = "account_log",
        [FWS_NOTIFICATIONS] = "notifications_auth",
};

const char *fws_kind_name(enum fws_kind k)
{
	return (unsigned)k < FWS_KIND_COUNT && kind_names[k] ? kind_names[k] : "?";
}
