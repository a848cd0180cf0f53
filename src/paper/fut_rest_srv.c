/* fut_rest_srv: routing, arguments and reply envelopes of the paper
 * exchange's Futures REST adapter (see fut_rest_srv.h). */
#include "paper/fut_rest_srv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/ktime.h"
#include "base/log.h"
#include "base/strutil.h"
#include "paper/fut_rest_srv_int.h"

/* ---- arguments ---- */

const char *frs_arg(const struct urlform *a, const char *key)
{
	return urlform_get(a, key);
}

int frs_dec(const struct urlform *a, const char *key, dec_t *out)
{
	const char *v = urlform_get(a, key);
	if (!v || !v[0])
		return 1;
	/* JSON-number spellings ("1e-3") are accepted as Kraken's parser does. */
	return dec_parse_num(v, (size_t)-1, out, NULL) ? -1 : 0;
}

int frs_bool(const struct urlform *a, const char *key, bool *out)
{
	const char *v = urlform_get(a, key);
	if (!v || !v[0])
		return 1;
	if (kt_strieq(v, "true"))
		*out = true;
	else if (kt_strieq(v, "false"))
		*out = false;
	else
		return -1;
	return 0;
}

int frs_time_arg(const struct urlform *a, const char *key, int64_t *ns)
{
	const char *v = urlform_get(a, key);
	if (!v || !v[0])
		return 1;
	char *end;
	long long ms = strtoll(v, &end, 10);
	if (!*end && ms >= 0) {
		*ns = (int64_t)ms * 1000000;
		return 0;
	}
	return ktime_parse_rfc3339(v, (size_t)-1, ns, NULL) ? -1 : 0;
}

/* ---- replies ---- */

void frs_kt(struct jw *w, const char *key, int64_t ns)
{
	char t[KTIME_FMT_MAX];
	ktime_fmt_ms(ns, t, sizeof t);
	frs_ks(w, key, t);
}

static void reply(struct frs *c, int status)
{
	if (c->replied)
		return;
	c->replied = true;
	http_reply(c->req, status, "application/json", c->out.p ? c->out.p : "{}", c->out.len,
	           NULL);
}

void frs_ok_begin(struct frs *c)
{
	sbuf_reset(&c->out);
	jw_init(&c->w, &c->out);
	jw_obj_begin(&c->w);
	frs_ks(&c->w, "result", "success");
	frs_kt(&c->w, "serverTime", c->now_ns);
}

void frs_ok_end(struct frs *c)
{
	jw_obj_end(&c->w);
	if (jw_error(&c->w)) {
		LOGE("paper futures REST: malformed reply to %s", c->req->path);
		frs_error(c, "Server Error");
		return;
	}
	reply(c, 200);
}

static void error_status(struct frs *c, int status, const char *code)
{
	sbuf_reset(&c->out);
	jw_init(&c->w, &c->out);
	jw_obj_begin(&c->w);
	frs_ks(&c->w, "result", "error");
	frs_kt(&c->w, "serverTime", c->now_ns);
	frs_ks(&c->w, "error", code);
	jw_obj_end(&c->w);
	reply(c, status);
}

void frs_error(struct frs *c, const char *code)
{
	error_status(c, 200, code);
}

/* ---- routing ---- */

struct route {
	const char *method;
	const char *name;
	bool history, priv;
	void (*fn)(struct frs *c);
};

static void tickers_all(struct frs *c)
{
	frs_tickers(c, NULL);
}

static const struct route routes[] = {
        {"GET", "instruments", false, false, frs_instruments},
        {"GET", "tickers", false, false, tickers_all},
        {"GET", "orderbook", false, false, frs_orderbook},
        {"GET", "history", false, false, frs_history},
        {"GET", "historical-funding-rates", false, false, frs_funding_rates},
        {"GET", "accounts", false, true, frs_accounts},
        {"GET", "openpositions", false, true, frs_openpositions},
        {"GET", "openorders", false, true, frs_openorders},
        {"GET", "fills", false, true, frs_fills},
        {"POST", "sendorder", false, true, frs_sendorder},
        {"POST", "editorder", false, true, frs_editorder},
        {"POST", "cancelorder", false, true, frs_cancelorder},
        {"POST", "cancelallorders", false, true, frs_cancelall},
        {"POST", "cancelallordersafter", false, true, frs_cancel_after},
        {"POST", "batchorder", false, true, frs_batchorder},
        {"POST", "orders/status", false, true, frs_orders_status},
        {"GET", "leveragepreferences", false, true, frs_leverage_get},
        {"PUT", "leveragepreferences", false, true, frs_leverage_put},
        {"GET", "pnlpreferences", false, true, frs_pnl_get},
        {"PUT", "pnlpreferences", false, true, frs_pnl_put},
        {"POST", "transfer", false, true, frs_transfer},
        {"POST", "withdrawal", false, true, frs_withdrawal},
        {"GET", "account-log", true, true, frs_account_log},
};

/* Query string and body, decoded into one list (query first). */
static int parse_args(struct frs *c)
{
	struct sbuf all = SBUF_INIT;
	sbuf_adds(&all, c->req->query ? c->req->query : "");
	if (c->req->body_len) {
		if (all.len)
			sbuf_addc(&all, '&');
		sbuf_add(&all, c->req->body, c->req->body_len);
	}
	int rc = urlform_parse(sbuf_str(&all), all.len, &c->args, NULL);
	sbuf_free(&all);
	return rc;
}

static void dispatch(struct frs *c)
{
	const char *path = c->req->path, *name;
	bool history;
	if (kt_str_starts(path, "/derivatives/api/v3/")) {
		name = path + strlen("/derivatives/api/v3/");
		history = false;
	} else if (kt_str_starts(path, "/api/history/v3/")) {
		name = path + strlen("/api/history/v3/");
		history = true;
	} else {
		error_status(c, 404, "notFound");
		return;
	}
	if (!history && kt_str_starts(name, "tickers/") && name[8] &&
	    strcmp(c->req->method, "GET") == 0) {
		if (parse_args(c))
			frs_error(c, "invalidArgument");
		else
			frs_tickers(c, name + 8);
		return;
	}
	bool known = false;
	for (size_t i = 0; i < sizeof routes / sizeof routes[0]; i++) {
		const struct route *r = &routes[i];
		if (r->history != history || strcmp(r->name, name) != 0)
			continue;
		known = true;
		if (strcmp(r->method, c->req->method) != 0)
			continue;
		if (r->priv) {
			c->acct = paper_request_account(c->p, c->req);
			if (!c->acct) {
				frs_error(c, "authenticationError");
				return;
			}
		}
		if (parse_args(c)) {
			frs_error(c, "invalidArgument");
			return;
		}
		r->fn(c);
		return;
	}
	error_status(c, known ? 405 : 404, "notFound");
}

void fut_rest_srv_handle(struct paper *p, struct http_request *req)
{
	struct frs c;
	memset(&c, 0, sizeof c);
	c.p = p;
	c.px = p->px;
	c.req = req;
	c.now_ns = paper_now(p);
	sbuf_init(&c.out);
	dispatch(&c);
	if (!c.replied) /* a handler forgot to answer: never leave the client hanging */
		frs_error(&c, "unknownError");
	urlform_free(&c.args);
	sbuf_free(&c.out);
}
