/* spot_rest_srv: routing, parameters (query, form and JSON bodies), the
 * response envelope, Kraken's error strings for px's codes, and the
 * parameter parsers the handlers share. */
#include "paper/spot_rest_srv.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/ktime.h"
#include "base/log.h"
#include "base/urlenc.h"
#include "base/xalloc.h"
#include "paper/spot_rest_srv_int.h"

static const struct route {
	const char *name;
	bool priv;
	int (*fn)(struct srs *r);
} routes[] = {
	{"Time", false, srs_h_time},
	{"SystemStatus", false, srs_h_system_status},
	{"Assets", false, srs_h_assets},
	{"AssetPairs", false, srs_h_asset_pairs},
	{"Ticker", false, srs_h_ticker},
	{"Depth", false, srs_h_depth},
	{"OHLC", false, srs_h_ohlc},
	{"Trades", false, srs_h_trades},
	{"Spread", false, srs_h_spread},
	{"Balance", true, srs_h_balance},
	{"BalanceEx", true, srs_h_balance_ex},
	{"TradeBalance", true, srs_h_trade_balance},
	{"OpenOrders", true, srs_h_open_orders},
	{"ClosedOrders", true, srs_h_closed_orders},
	{"QueryOrders", true, srs_h_query_orders},
	{"OrderAmends", true, srs_h_order_amends},
	{"TradesHistory", true, srs_h_trades_history},
	{"QueryTrades", true, srs_h_query_trades},
	{"OpenPositions", true, srs_h_open_positions},
	{"Ledgers", true, srs_h_ledgers},
	{"QueryLedgers", true, srs_h_query_ledgers},
	{"GetWebSocketsToken", true, srs_h_ws_token},
	{"WalletTransfer", true, srs_h_wallet_transfer},
	{"AddOrder", true, srs_h_add_order},
	{"AddOrderBatch", true, srs_h_add_order_batch},
	{"AmendOrder", true, srs_h_amend_order},
	{"EditOrder", true, srs_h_edit_order},
	{"CancelOrder", true, srs_h_cancel_order},
	{"CancelAll", true, srs_h_cancel_all},
	{"CancelAllOrdersAfter", true, srs_h_cancel_after},
	{"CancelOrderBatch", true, srs_h_cancel_batch},
};

/* ---- parameters ---- */

static void param_add(struct srs *r, const char *k, size_t kl, const char *v, size_t vl)
{
	r->kv = xgrow(r->kv, &r->cap, r->n + 1, sizeof *r->kv);
	r->kv[r->n].k = xstrndup(k, kl);
	r->kv[r->n].v = xstrndup(v, vl);
	r->n++;
}

static int params_form(struct srs *r, const char *s, size_t n)
{
	struct urlform f = FORM_INIT;
	if (urlform_parse(s, n, &f, NULL) < 0)
		return -1;
	for (size_t i = 0; i < f.n; i++)
		param_add(r, f.keys[i], strlen(f.keys[i]), f.vals[i], strlen(f.vals[i]));
	urlform_free(&f);
	return 0;
}

/* A scalar JSON value as parameter text; -1 for containers. */
static int json_scalar(const struct jdoc *d, int t, struct sbuf *out)
{
	switch (jtok_type(d, t)) {
	case J_STR: {
		char *s = jtok_strdup(d, t);
		sbuf_adds(out, s);
		free(s);
		return 0;
	}
	case J_NUM: {
		size_t l;
		const char *raw = jtok_raw(d, t, &l);
		sbuf_add(out, raw, l);
		return 0;
	}
	case J_TRUE: sbuf_adds(out, "true"); return 0;
	case J_FALSE: sbuf_adds(out, "false"); return 0;
	default: return -1;
	}
}

int srs_params_obj(struct srs *r, const struct jdoc *d, int obj)
{
	if (!jtok_is(d, obj, J_OBJ))
		return -1;
	struct sbuf v = SBUF_INIT;
	for (int k = jfirst(d, obj); k >= 0; k = jnext(d, obj, k)) {
		char key[64];
		if (jtok_str(d, k, key, sizeof key) >= sizeof key)
			goto bad;
		int t = k + 1;
		sbuf_reset(&v);
		if (jtok_is(d, t, J_NULL))
			continue;
		if (jtok_is(d, t, J_OBJ)) {
			/* "close":{"ordertype":..} -> close[ordertype] */
			for (int c = jfirst(d, t); c >= 0; c = jnext(d, t, c)) {
				char sub[48], full[128];
				jtok_str(d, c, sub, sizeof sub);
				sbuf_reset(&v);
				if (json_scalar(d, c + 1, &v) < 0)
					goto bad;
				int fl = snprintf(full, sizeof full, "%s[%s]", key, sub);
				param_add(r, full, (size_t)fl, v.p ? v.p : "", v.len);
			}
			continue;
		}
		if (jtok_is(d, t, J_ARR)) {
			/* a list of scalars becomes a comma list (txid:["A","B"]) */
			bool scalars = true;
			for (int e = jfirst(d, t); e >= 0 && scalars; e = jnext(d, t, e)) {
				if (v.len)
					sbuf_addc(&v, ',');
				scalars = json_scalar(d, e, &v) == 0;
			}
			if (!scalars)
				continue; /* e.g. AddOrderBatch orders: read via orders_tok */
		} else if (json_scalar(d, t, &v) < 0) {
			goto bad;
		}
		param_add(r, key, strlen(key), v.p ? v.p : "", v.len);
	}
	sbuf_free(&v);
	return 0;
bad:
	sbuf_free(&v);
	return -1;
}

static int params_json(struct srs *r, const char *s, size_t n)
{
	if (jdoc_parse(&r->doc, s, n, NULL) < 0 || !jtok_is(&r->doc, 0, J_OBJ))
		return -1;
	r->json = true;
	int o = jobj_get(&r->doc, 0, "orders");
	if (jtok_is(&r->doc, o, J_ARR))
		r->orders_tok = o;
	return srs_params_obj(r, &r->doc, 0);
}

static int parse_params(struct srs *r)
{
	const struct http_request *q = r->req;
	if (q->query && q->query[0] && params_form(r, q->query, strlen(q->query)) < 0)
		return -1;
	if (!q->body_len)
		return 0;
	const char *ct = http_request_header(q, "Content-Type");
	size_t i = 0;
	while (i < q->body_len && isspace((unsigned char)q->body[i]))
		i++;
	if ((ct && strncasecmp(ct, "application/json", 16) == 0) || (i < q->body_len && q->body[i] == '{'))
		return params_json(r, q->body, q->body_len);
	return params_form(r, q->body, q->body_len);
}

const char *srs_param(const struct srs *r, const char *key)
{
	for (size_t i = 0; i < r->n; i++)
		if (strcmp(r->kv[i].k, key) == 0)
			return r->kv[i].v;
	return NULL;
}

/* ---- errors ---- */

int srs_fail(struct srs *r, const char *kraken_error)
{
	if (!r->error[0])
		snprintf(r->error, sizeof r->error, "%s", kraken_error);
	return -1;
}

int srs_fail_arg(struct srs *r, const char *field)
{
	char e[160];
	snprintf(e, sizeof e, "EGeneral:Invalid arguments:%s", field);
	return srs_fail(r, e);
}

const char *srs_px_error(int code)
{
	switch (code) {
	case ENGINE_R_INSUFFICIENT_FUNDS: return "EOrder:Insufficient funds";
	case PX_E_ORDER_MIN: return "EOrder:Order minimum not met";
	case PX_E_COST_MIN: return "EOrder:Cost minimum not met";
	case PX_E_TICK: return "EOrder:Tick size check failed";
	case PX_E_PRICE:
	case PX_E_NO_PRICE:
	case ENGINE_R_INVALID_PRICE: return "EOrder:Invalid price";
	case PX_E_LOT:
	case ENGINE_R_INVALID_SIZE: return "EGeneral:Invalid arguments:volume";
	case PX_E_UNKNOWN_ORDER:
	case PX_E_ORDER_CLOSED:
	case ENGINE_R_NOT_FOUND: return "EOrder:Unknown order";
	case PX_E_UNKNOWN_INSTR: return "EQuery:Unknown asset pair";
	case PX_E_DUP_CLIENT_ID: return "EOrder:Duplicate cl_ord_id";
	case PX_E_BAD_CLIENT_ID: return "EGeneral:Invalid arguments:cl_ord_id";
	case PX_E_DEADLINE: return "EService:Deadline elapsed";
	case PX_E_LEVERAGE: return "EGeneral:Invalid arguments:leverage";
	case PX_E_MARGIN: return "EOrder:Margin level too low";
	case PX_E_TOO_MANY: return "EOrder:Orders limit exceeded";
	case ENGINE_R_MAX_POSITION: return "EOrder:Positions limit exceeded";
	case ENGINE_R_WOULD_NOT_REDUCE: return "EOrder:Reduce only:No position exists";
	case ENGINE_R_POST_ONLY: return "EOrder:Post only order";
	case ENGINE_R_INVALID_EXPIRY: return "EGeneral:Invalid arguments:expiretm";
	case ENGINE_R_QTY_BELOW_FILLED: return "EGeneral:Invalid arguments:order_qty";
	case ENGINE_R_NOT_A_TRIGGER:
	case ENGINE_R_TRAILING_PRICE: return "EGeneral:Invalid arguments:trigger_price";
	case ENGINE_R_EDIT_UNSUPPORTED:
	case PX_E_NOT_SUPPORTED: return "EOrder:Invalid order";
	case PX_E_MARKET_CLOSED: return "EService:Market in cancel_only mode";
	case PX_E_BUSY: return "EService:Busy";
	case PX_E_ASSET: return "EFunding:Unknown asset";
	case PX_E_AMOUNT: return "EFunding:Invalid amount";
	case PX_E_UNKNOWN_ACCOUNT:
	case PX_E_KEY: return "EAPI:Invalid key";
	case ENGINE_R_INVALID:
	case PX_E_INVALID: return "EGeneral:Invalid arguments";
	default: return "EOrder:Invalid order";
	}
}

int srs_fail_px(struct srs *r, const struct kerr *e)
{
	LOGD("paper spot rest: px refused (%s): %s", px_code_str(e->code), e->msg);
	return srs_fail(r, srs_px_error(e->code));
}

/* ---- parameter parsers ---- */

int srs_bool(struct srs *r, const char *key, bool def, bool *out)
{
	const char *v = srs_param(r, key);
	*out = def;
	if (!v)
		return 0;
	if (strcasecmp(v, "true") == 0 || strcmp(v, "1") == 0)
		*out = true;
	else if (strcasecmp(v, "false") == 0 || strcmp(v, "0") == 0)
		*out = false;
	else
		return srs_fail_arg(r, key);
	return 0;
}

int srs_dec(struct srs *r, const char *key, bool required, dec_t *out, bool *present)
{
	const char *v = srs_param(r, key);
	*out = dec_zero();
	if (present)
		*present = v != NULL;
	if (!v)
		return required ? srs_fail_arg(r, key) : 0;
	if (dec_parse(v, (size_t)-1, out, NULL) < 0)
		return srs_fail_arg(r, key);
	return 0;
}

int srs_int(struct srs *r, const char *key, int64_t lo, int64_t hi, int64_t *out, bool *present)
{
	const char *v = srs_param(r, key);
	if (present)
		*present = v != NULL;
	if (!v)
		return 0;
	char *end;
	errno = 0;
	long long x = strtoll(v, &end, 10);
	if (!v[0] || *end || errno || x < lo || x > hi)
		return srs_fail_arg(r, key);
	*out = x;
	return 0;
}

int srs_seconds_ns(const char *s, int64_t *ns)
{
	/* whole seconds and the fraction apart: 1.7e18 ns is more digits than
	 * a dec_t holds */
	dec_t d, whole, frac, fns;
	if (dec_parse(s, (size_t)-1, &d, NULL) < 0 || dec_sign(d) < 0 ||
	    dec_rescale(d, 0, DEC_FLOOR, &whole) < 0 || dec_sub(d, whole, &frac) < 0 ||
	    dec_rescale(frac, 9, DEC_FLOOR, &fns) < 0 || whole.m > INT64_MAX / KTIME_NS_PER_SEC - 1)
		return -1;
	*ns = whole.m * KTIME_NS_PER_SEC + fns.m;
	return 0;
}

int srs_time(struct srs *r, const char *key, int64_t *ns, bool *present)
{
	const char *v = srs_param(r, key);
	*ns = 0;
	if (present)
		*present = v != NULL;
	if (!v)
		return 0;
	bool rel = v[0] == '+';
	int64_t t;
	if (srs_seconds_ns(v + rel, &t) < 0)
		return srs_fail_arg(r, key);
	*ns = t == 0 && !rel ? 0 : t + (rel ? px_now(r->px) : 0);
	return 0;
}

const struct px_instr *srs_pair(struct srs *r, const char *name)
{
	const struct px_instr *in = name ? px_instr_find(r->px, PX_SPOT, name) : NULL;
	if (!in) {
		if (!name)
			srs_fail_arg(r, "pair");
		else
			srs_fail(r, "EQuery:Unknown asset pair");
	}
	return in;
}

size_t srs_split(char *s, char **out, size_t max)
{
	size_t n = 0;
	char *save = NULL;
	for (char *t = strtok_r(s, ",", &save); t && n < max; t = strtok_r(NULL, ",", &save))
		out[n++] = t;
	return n;
}

/* ---- entry ---- */

static void reply_json(struct http_request *req, int status, const struct sbuf *b)
{
	http_reply(req, status, "application/json", sbuf_str(b), b->len, NULL);
}

static void reply_error(struct http_request *req, int status, const char *error)
{
	struct sbuf b = SBUF_INIT;
	sbuf_adds(&b, "{\"error\":[");
	jw_quote(&b, error, strlen(error));
	sbuf_adds(&b, "]}");
	reply_json(req, status, &b);
	sbuf_free(&b);
}

static const struct route *find_route(const char *path)
{
	bool priv;
	const char *m;
	if (strncmp(path, "/0/public/", 10) == 0)
		priv = false, m = path + 10;
	else if (strncmp(path, "/0/private/", 11) == 0)
		priv = true, m = path + 11;
	else
		return NULL;
	for (size_t i = 0; i < sizeof routes / sizeof routes[0]; i++)
		if (routes[i].priv == priv && strcmp(routes[i].name, m) == 0)
			return &routes[i];
	return NULL;
}

void srs_params_free(struct srs *r)
{
	for (size_t i = 0; i < r->n; i++) {
		free(r->kv[i].k);
		free(r->kv[i].v);
	}
	free(r->kv);
	r->kv = NULL;
	r->n = r->cap = 0;
}

static void srs_free(struct srs *r)
{
	srs_params_free(r);
	jdoc_free(&r->doc);
	sbuf_free(&r->out);
}

void spot_rest_srv_handle(struct paper *p, struct http_request *req)
{
	const struct route *rt = find_route(req->path);
	if (!rt) {
		reply_error(req, 404, "EGeneral:Unknown method");
		return;
	}
	struct srs r;
	memset(&r, 0, sizeof r);
	r.p = p;
	r.px = p->px;
	r.req = req;
	r.orders_tok = -1;
	jdoc_init(&r.doc);
	sbuf_init(&r.out);
	jw_init(&r.w, &r.out);
	int rc = -1;
	if (rt->priv && (r.acct = paper_request_account(p, req)) == 0)
		srs_fail(&r, "EAPI:Invalid key");
	else if (parse_params(&r) < 0)
		srs_fail(&r, "EGeneral:Invalid arguments");
	else
		rc = rt->fn(&r);
	if (rc == 0 && jw_error(&r.w)) {
		LOGE("paper spot rest: %s rendered invalid JSON", rt->name);
		rc = srs_fail(&r, "EGeneral:Internal error");
	}
	if (rc < 0) {
		reply_error(req, 200, r.error[0] ? r.error : "EGeneral:Internal error");
	} else {
		struct sbuf b = SBUF_INIT;
		sbuf_adds(&b, "{\"error\":[],\"result\":");
		sbuf_add(&b, r.out.p ? r.out.p : "{}", r.out.len ? r.out.len : 2);
		sbuf_addc(&b, '}');
		reply_json(req, 200, &b);
		sbuf_free(&b);
	}
	srs_free(&r);
}
