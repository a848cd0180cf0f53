/* fut_rest_codec: endpoint table, reply envelope, number conversion and the
 * small token readers the decoders share (see fut_rest_codec.h). */
#include "kraken/fut_rest_codec.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/ktime.h"
#include "base/strutil.h"
#include "base/urlenc.h"
#include "core/state.h"
#include "kraken/errors.h"
#include "kraken/fut_rest_codec_int.h"

/* Costs from Kraken's "Futures Rate Limits" guide (kraken-protocol.md §3.4). */
static const struct fut_ep_desc eps[FUT_EP_COUNT] = {
        [FUT_EP_INSTRUMENTS] = {"instruments", "GET", false, false, false, 0},
        [FUT_EP_TICKERS] = {"tickers", "GET", false, false, false, 0},
        [FUT_EP_ORDERBOOK] = {"orderbook", "GET", false, false, false, 0},
        [FUT_EP_HISTORY] = {"history", "GET", false, false, false, 0},
        [FUT_EP_FUNDING_RATES] = {"historical-funding-rates", "GET", false, false, false, 0},
        [FUT_EP_ACCOUNTS] = {"accounts", "GET", true, false, false, 2},
        [FUT_EP_OPENPOSITIONS] = {"openpositions", "GET", true, false, false, 2},
        [FUT_EP_OPENORDERS] = {"openorders", "GET", true, false, false, 2},
        [FUT_EP_FILLS] = {"fills", "GET", true, false, false, 2},
        [FUT_EP_SENDORDER] = {"sendorder", "POST", true, false, true, 10},
        [FUT_EP_EDITORDER] = {"editorder", "POST", true, false, true, 10},
        [FUT_EP_CANCELORDER] = {"cancelorder", "POST", true, false, true, 10},
        [FUT_EP_CANCELALL] = {"cancelallorders", "POST", true, false, true, 25},
        [FUT_EP_CANCELAFTER] = {"cancelallordersafter", "POST", true, false, true, 25},
        [FUT_EP_BATCHORDER] = {"batchorder", "POST", true, false, true, 9},
        [FUT_EP_ORDERS_STATUS] = {"orders/status", "POST", true, false, true, 1},
        [FUT_EP_LEVERAGE_GET] = {"leveragepreferences", "GET", true, false, false, 2},
        [FUT_EP_LEVERAGE_PUT] = {"leveragepreferences", "PUT", true, false, false, 10},
        [FUT_EP_PNL_GET] = {"pnlpreferences", "GET", true, false, false, 2},
        [FUT_EP_PNL_PUT] = {"pnlpreferences", "PUT", true, false, false, 10},
        [FUT_EP_TRANSFER] = {"transfer", "POST", true, false, true, 10},
        [FUT_EP_WITHDRAWAL] = {"withdrawal", "POST", true, false, true, 100},
        [FUT_EP_ACCOUNT_LOG] = {"account-log", "GET", true, true, false, 3},
};

const struct fut_ep_desc *fut_ep_desc(enum fut_ep ep)
{
	return (unsigned)ep < FUT_EP_COUNT ? &eps[ep] : NULL;
}

void fut_ep_sign_path(enum fut_ep ep, struct sbuf *out)
{
	const struct fut_ep_desc *e = fut_ep_desc(ep);
	if (!e)
		return;
	sbuf_addf(out, "%s%s", e->history ? "/api/history/v3/" : "/api/v3/", e->name);
}

void fut_ep_path(enum fut_ep ep, struct sbuf *out)
{
	const struct fut_ep_desc *e = fut_ep_desc(ep);
	if (!e)
		return;
	if (!e->history)
		sbuf_adds(out, "/derivatives");
	fut_ep_sign_path(ep, out);
}

/* Value of key in a URL-encoded parameter string (raw, still encoded). */
static const char *param_raw(const char *params, const char *key, size_t *len)
{
	size_t kl = strlen(key);
	for (const char *p = params; p && *p;) {
		const char *amp = strchr(p, '&');
		size_t n = amp ? (size_t)(amp - p) : strlen(p);
		if (n > kl && strncmp(p, key, kl) == 0 && p[kl] == '=') {
			*len = n - kl - 1;
			return p + kl + 1;
		}
		p = amp ? amp + 1 : NULL;
	}
	return NULL;
}

/* Instructions in a batch: each one is an object with an "order" member, whose
 * percent-encoded form is %22order%22%3A. */
static int batch_count(const char *params)
{
	int n = 0;
	for (const char *p = params; (p = strstr(p, "%22order%22%3A")) != NULL; p++)
		n++;
	return n;
}

int fut_ep_cost(enum fut_ep ep, const char *params)
{
	const struct fut_ep_desc *e = fut_ep_desc(ep);
	if (!e)
		return 0;
	size_t len;
	switch (ep) {
	case FUT_EP_BATCHORDER:
		return e->cost + batch_count(params);
	case FUT_EP_FILLS:
		return param_raw(params, "lastFillTime", &len) ? 25 : e->cost;
	case FUT_EP_ACCOUNT_LOG: {
		const char *v = param_raw(params, "count", &len);
		long count = v ? strtol(v, NULL, 10) : 500; /* Kraken's default */
		if (count <= 25)
			return 1;
		if (count <= 50)
			return 2;
		if (count <= 1000)
			return 3;
		return count <= 5000 ? 6 : 10;
	}
	default:
		return e->cost;
	}
}

/* ---- numbers ---- */

/* Round a decimal text that does not fit dec_t exactly: keep at most 18
 * digits after the point and 18 significant digits, half-even. */
static int num_round(const char *s, size_t n, dec_t *out, struct kerr *err)
{
	char dig[80];
	size_t nd = 0, i = 0;
	bool neg = false, seen_point = false;
	long point = 0; /* digits before the decimal point, in dig */
	if (i < n && (s[i] == '-' || s[i] == '+'))
		neg = s[i++] == '-';
	for (; i < n && s[i] != 'e' && s[i] != 'E'; i++) {
		if (s[i] == '.') {
			if (seen_point)
				goto bad;
			seen_point = true;
			continue;
		}
		if (s[i] < '0' || s[i] > '9' || nd >= sizeof dig)
			goto bad;
		if (nd == 0 && s[i] == '0') { /* leading zero: shifts the point */
			if (!seen_point)
				continue;
			point--;
			continue;
		}
		dig[nd++] = s[i];
		if (!seen_point)
			point++;
	}
	if (i < n) {
		char *end;
		char ebuf[16];
		size_t el = n - i - 1;
		if (el == 0 || el >= sizeof ebuf)
			goto bad;
		memcpy(ebuf, s + i + 1, el);
		ebuf[el] = '\0';
		long e = strtol(ebuf, &end, 10);
		if (*end || e > 40 || e < -40)
			goto bad;
		point += e;
	}
	if (nd == 0) {
		*out = dec_zero();
		return 0;
	}
	if (point > 18)
		return kerr_set(err, FUT_E_SYNTAX, "number %.*s is too large", (int)n, s);
	long scale = point > 0 ? 18 - point : 18;
	long keep = point + scale; /* digits of dig that stay */
	int64_t m = 0;
	for (long k = 0; k < keep && k < (long)nd; k++)
		m = m * 10 + (dig[k] - '0');
	for (long k = (long)nd; k < keep; k++)
		m *= 10;
	if (keep < (long)nd && keep >= 0) {
		int first = dig[keep] - '0';
		bool rest = false;
		for (size_t k = (size_t)keep + 1; k < nd; k++)
			rest |= dig[k] != '0';
		if (first > 5 || (first == 5 && (rest || (m & 1))))
			m++;
	}
	if (m > DEC_MANT_MAX) { /* rounding carried into a 19th digit */
		if (scale == 0)
			return kerr_set(err, FUT_E_SYNTAX, "number %.*s is too large", (int)n, s);
		m /= 10;
		scale--;
	}
	*out = dec_normalize(dec_make(neg ? -m : m, (unsigned)scale));
	return 0;
bad:
	return kerr_set(err, FUT_E_SYNTAX, "\"%.*s\" is not a number", (int)(n > 40 ? 40 : n), s);
}

int fut_num(const char *s, size_t n, dec_t *out, struct kerr *err)
{
	if (dec_parse_num(s, n, out, NULL) == 0)
		return 0;
	return num_round(s, n, out, err);
}

void fut_symbol_upper(const char *s, size_t n, char *buf, size_t cap)
{
	if (!cap)
		return;
	size_t k = n < cap - 1 ? n : cap - 1;
	memcpy(buf, s, k);
	buf[k] = '\0';
	kt_str_upper(buf);
}

int fut_find_instrument(const struct state *st, const char *sym, size_t n)
{
	char u[INSTR_ID_MAX];
	if (n >= sizeof u)
		return -1;
	fut_symbol_upper(sym, n, u, sizeof u);
	int idx = state_find_instrument(st, u);
	const struct instrument *in = state_instrument(st, idx);
	return in && in->product == PRODUCT_FUTURES ? idx : -1;
}

const char *fut_wallet_name(enum wallet w)
{
	switch (w) {
	case WALLET_FUTURES_FLEX:
		return "flex";
	case WALLET_FUTURES_CASH:
		return "cash";
	default:
		return NULL;
	}
}

const char *fut_trigger_signal_name(enum trigger_signal s)
{
	switch (s) {
	case TRIG_MARK:
		return "mark";
	case TRIG_INDEX:
		return "index";
	default:
		return "last";
	}
}

/* ---- envelope ---- */

void fut_doc_init(struct fut_doc *fd)
{
	memset(fd, 0, sizeof *fd);
	jdoc_init(&fd->d);
}

void fut_doc_free(struct fut_doc *fd)
{
	jdoc_free(&fd->d);
}

/* errors[0]: a string, or {code, message}. */
static void first_error(const struct jdoc *d, int errs, char *buf, size_t cap)
{
	int e = jarr_at(d, errs, 0);
	if (jtok_is(d, e, J_STR)) {
		jtok_str(d, e, buf, cap);
		return;
	}
	int m = jobj_get(d, e, "message");
	if (!jtok_is(d, m, J_STR))
		m = jobj_get(d, e, "code");
	if (m >= 0)
		jtok_str(d, m, buf, cap);
}

int fut_doc_parse(struct fut_doc *fd, const char *body, size_t len, struct kerr *err)
{
	fd->ok = false;
	fd->error[0] = '\0';
	fd->server_ms = 0;
	if (jdoc_parse(&fd->d, body, len, err))
		return fr_prefix(err, "Kraken Futures sent a reply that is not JSON");
	const struct jdoc *d = &fd->d;
	if (!jtok_is(d, 0, J_OBJ))
		return kerr_set(err, FUT_E_SYNTAX,
		                "Kraken Futures sent a reply that is not an object");
	int res = jobj_get(d, 0, "result");
	int e1 = jobj_get(d, 0, "error");
	int es = jobj_get(d, 0, "errors");
	if (res >= 0 && !jtok_is(d, res, J_STR))
		return kerr_set(err, FUT_E_SYNTAX, "Kraken Futures sent a malformed `result`");
	fr_time(d, jobj_get(d, 0, "serverTime"), &fd->server_ms, NULL);
	if (jstr_eq(d, res, "success")) {
		fd->ok = true;
	} else if (res >= 0 && !jstr_eq(d, res, "error")) {
		return kerr_set(err, FUT_E_SYNTAX, "Kraken Futures sent an unknown result");
	} else if (res < 0 && e1 < 0 && !jtok_is(d, es, J_ARR)) {
		fd->ok = true; /* history endpoints: {accountUid, logs} without a result */
	}
	if (!fd->ok) {
		if (jtok_is(d, e1, J_STR))
			jtok_str(d, e1, fd->error, sizeof fd->error);
		else if (jtok_size(d, es) > 0)
			first_error(d, es, fd->error, sizeof fd->error);
		if (!fd->error[0])
			snprintf(fd->error, sizeof fd->error, "unknownError");
	}
	return 0;
}

int fut_doc_check(const struct fut_doc *fd, struct kerr *err)
{
	if (fd->ok)
		return 0;
	struct kraken_err ke = kraken_futures_error(fd->error);
	char msg[320];
	kraken_err_describe(&ke, fd->error, msg, sizeof msg);
	return kerr_set(err, FUT_E_API, "%s", msg);
}

int fr_payload(const struct fut_doc *fd, const char *key, enum jtype t, struct kerr *err)
{
	if (fut_doc_check(fd, err))
		return -1;
	int tok = jobj_get(&fd->d, 0, key);
	if (!jtok_is(&fd->d, tok, t))
		return kerr_set(err, FUT_E_SYNTAX, "Kraken Futures reply has no `%s` %s", key,
		                t == J_ARR ? "list" : "object");
	return tok;
}

int fr_prefix(struct kerr *err, const char *fmt, ...)
{
	if (!err)
		return -1;
	char pre[200], old[sizeof err->msg];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(pre, sizeof pre, fmt, ap);
	va_end(ap);
	snprintf(old, sizeof old, "%s", err->msg);
	return kerr_set(err, FUT_E_SYNTAX, "%s: %s", pre, old[0] ? old : "malformed");
}

/* ---- token readers ---- */

bool fr_absent(const struct jdoc *d, int tok)
{
	enum jtype t = jtok_type(d, tok);
	return t == J_NONE || t == J_NULL;
}

int fr_dec(const struct jdoc *d, int tok, dec_t *out, struct kerr *err)
{
	*out = dec_zero();
	if (fr_absent(d, tok))
		return 1;
	size_t n;
	const char *s = jtok_raw(d, tok, &n);
	enum jtype t = jtok_type(d, tok);
	if ((t != J_NUM && t != J_STR) || !s)
		return kerr_set(err, FUT_E_SYNTAX, "expected a number");
	if (t == J_STR && jtok_size(d, tok)) /* escapes: never in a number */
		return kerr_set(err, FUT_E_SYNTAX, "expected a number");
	if (t == J_STR && n == 0)
		return 1; /* "" is how Kraken sometimes says "none" */
	return fut_num(s, n, out, err);
}

int fr_dec_req(const struct jdoc *d, int tok, const char *what, dec_t *out, struct kerr *err)
{
	int r = fr_dec(d, tok, out, err);
	if (r > 0)
		return kerr_set(err, FUT_E_SYNTAX, "`%s` is missing", what);
	if (r < 0)
		fr_prefix(err, "`%s`", what);
	return r;
}

int fr_time(const struct jdoc *d, int tok, int64_t *ms, struct kerr *err)
{
	*ms = 0;
	if (fr_absent(d, tok))
		return 1;
	if (jtok_is(d, tok, J_NUM)) {
		int64_t v;
		if (jtok_i64(d, tok, &v))
			return kerr_set(err, FUT_E_SYNTAX, "bad timestamp");
		*ms = v;
		return 0;
	}
	char buf[64];
	if (!jtok_is(d, tok, J_STR) || jtok_str(d, tok, buf, sizeof buf) >= sizeof buf)
		return kerr_set(err, FUT_E_SYNTAX, "bad timestamp");
	if (strcmp(buf, "0") == 0 || !buf[0])
		return 1;
	int64_t ns;
	if (ktime_parse_rfc3339(buf, (size_t)-1, &ns, NULL))
		return kerr_set(err, FUT_E_SYNTAX, "bad timestamp \"%s\"", buf);
	*ms = ns / 1000000;
	return 0;
}

size_t fr_str(const struct jdoc *d, int tok, char *buf, size_t cap)
{
	if (cap)
		buf[0] = '\0';
	if (fr_absent(d, tok))
		return 0;
	return jtok_str(d, tok, buf, cap);
}

bool fr_bool(const struct jdoc *d, int tok)
{
	bool v = false;
	if (jtok_bool(d, tok, &v))
		return false;
	return v;
}

int fr_side(const struct jdoc *d, int tok, enum side *out)
{
	if (jstr_eq(d, tok, "buy") || jstr_eq(d, tok, "BUY") || jstr_eq(d, tok, "long"))
		*out = SIDE_BUY;
	else if (jstr_eq(d, tok, "sell") || jstr_eq(d, tok, "SELL") || jstr_eq(d, tok, "short"))
		*out = SIDE_SELL;
	else
		return -1;
	return 0;
}

/* mark / mark_price / MARK_PRICE, index / spot / spot_price, last / last_price. */
enum trigger_signal fr_signal_parse(const char *s)
{
	if (kt_str_istarts(s, "mark"))
		return TRIG_MARK;
	if (kt_str_istarts(s, "index") || kt_str_istarts(s, "spot"))
		return TRIG_INDEX;
	return TRIG_LAST;
}

/* ---- outcomes for the user ---- */

void fut_error_intent(const char *code, struct intent_result *ir)
{
	memset(ir, 0, sizeof *ir);
	struct kraken_err ke = kraken_futures_error(code);
	ir->status = INTENT_REJECTED;
	snprintf(ir->code, sizeof ir->code, "%s", code ? code : "unknownError");
	kraken_err_describe(&ke, code, ir->message, sizeof ir->message);
}

void fut_result_intent(enum fut_ep ep, const struct fut_order_result *r, struct intent_result *ir)
{
	struct kraken_err ke = kraken_futures_error(r->status);
	bool ok = ke.cls == KE_OK || strcmp(r->status, "success") == 0;
	/* cancelorder answers "filled" when the order could not be cancelled. */
	if (ep == FUT_EP_CANCELORDER && strcmp(r->status, "cancelled") != 0)
		ok = false;
	if (ok) {
		memset(ir, 0, sizeof *ir);
		ir->status = INTENT_OK;
		snprintf(ir->code, sizeof ir->code, "%s", r->status);
		snprintf(ir->message, sizeof ir->message, "%s",
		         ke.cls == KE_OK ? ke.message : "done");
	} else if (ep == FUT_EP_CANCELORDER && strcmp(r->status, "filled") == 0) {
		memset(ir, 0, sizeof *ir);
		ir->status = INTENT_REJECTED;
		snprintf(ir->code, sizeof ir->code, "filled");
		snprintf(ir->message, sizeof ir->message,
		         "the order was already filled, so it could not be cancelled (filled)");
	} else {
		fut_error_intent(r->status, ir);
	}
	snprintf(ir->order_id, sizeof ir->order_id, "%s", r->order_id);
	snprintf(ir->ref, sizeof ir->ref, "%s", r->ref);
	ir->count = r->count;
	ir->trigger_time_ms = r->trigger_ms;
}
