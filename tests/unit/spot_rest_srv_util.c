/* spot_rest_srv_util: the live paper exchange and the raw signing client. */
#include "tests/unit/spot_rest_srv_util.h"

#include <dirent.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/jwrite.h"
#include "base/sbuf.h"
#include "base/urlenc.h"
#include "net/http_client.h"
#include "net/sign.h"
#include "paper/server.h"
#include "paper/spot_rest_srv.h"
#include "tests/unit/unit.h"

static int64_t test_clock(void *ctx)
{
	return ((struct srv_h *)ctx)->now_ns;
}

void srvh_start(struct srv_h *h)
{
	memset(h, 0, sizeof *h);
	h->now_ns = 1700000000LL * 1000000000LL;
	jdoc_init(&h->doc);
	struct kerr e = KERR_INIT;
	h->loop = kt_loop_new(NULL, &e);
	if (!h->loop)
		fail_msg("loop: %s", e.msg);
	static const struct paper_adapters ad = {.spot_rest_handle = spot_rest_srv_handle};
	struct paper_balance bal[] = {{"USD", dec_from_int(100000), false},
				      {"BTC", dec_from_int(2), false}};
	struct paper_opts po = {.port = 0,
				.state_path = "",
				.balances = bal,
				.nbalances = 2,
				.adapters = &ad,
				.id_seed = 42,
				.clock = test_clock,
				.clock_ctx = h};
	h->p = paper_start(kt_loop_uv(h->loop), &po, &e);
	if (!h->p)
		fail_msg("paper: %s", e.msg);
	h->px = h->p->px;
	struct paper_urls urls;
	paper_urls(h->p, &urls);
	snprintf(h->base_url, sizeof h->base_url, "%s", urls.spot_rest);
	assert_int_equal(paper_keys(h->p, 1, &h->keys), 0);
	const char *tmp = getenv("TMPDIR");
	snprintf(h->nonce_dir, sizeof h->nonce_dir, "%s/kt-srsrv-XXXXXX", tmp ? tmp : "/tmp");
	assert_non_null(mkdtemp(h->nonce_dir));
	h->nonces = nonce_store_open(h->nonce_dir, h->keys.spot_key, NONCE_US, &e);
	if (!h->nonces)
		fail_msg("nonces: %s", e.msg);
}

static void stopped(void *arg)
{
	struct srv_h *h = arg;
	h->got = true;
	kt_loop_stop(h->loop);
}

void srvh_stop(struct srv_h *h)
{
	h->got = false;
	paper_stop(h->p, stopped, h);
	srvh_wait(h, &h->got);
	kt_loop_free(h->loop);
	nonce_store_close(h->nonces);
	jdoc_free(&h->doc);
	free(h->body);
	DIR *d = opendir(h->nonce_dir);
	if (d) {
		struct dirent *de;
		while ((de = readdir(d))) {
			if (de->d_name[0] == '.')
				continue;
			char path[600];
			snprintf(path, sizeof path, "%s/%s", h->nonce_dir, de->d_name);
			unlink(path);
		}
		closedir(d);
	}
	rmdir(h->nonce_dir);
}

struct wd {
	struct srv_h *h;
	bool expired;
};

static void wd_fire(void *arg)
{
	struct wd *w = arg;
	w->expired = true;
	kt_loop_stop(w->h->loop);
}

void srvh_wait(struct srv_h *h, bool *flag)
{
	struct wd w = {h, false};
	struct kt_timer *t = kt_timer_start(h->loop, 10000, 0, wd_fire, &w);
	while (!*flag && !w.expired)
		kt_loop_run(h->loop);
	if (!w.expired)
		kt_timer_stop(t);
	if (!*flag)
		fail_msg("timed out waiting for the exchange");
}

static void on_http(void *arg, const struct http_result *r)
{
	struct srv_h *h = arg;
	h->http = r->status;
	h->rc = -1;
	h->error[0] = '\0';
	h->res = -1;
	free(h->body);
	h->body = strndup(r->body ? r->body : "", r->body_len);
	if (!r->error && jdoc_parse(&h->doc, h->body, strlen(h->body), NULL) == 0) {
		int e = jobj_get(&h->doc, 0, "error");
		if (jtok_size(&h->doc, e) > 0) {
			h->rc = 1;
			jtok_str(&h->doc, jarr_at(&h->doc, e, 0), h->error, sizeof h->error);
		} else if (r->status == 200) {
			h->rc = 0;
			h->res = jobj_get(&h->doc, 0, "result");
		}
	}
	h->got = true;
	kt_loop_stop(h->loop);
}

int srvh_call(struct srv_h *h, const char *method, unsigned flags, ...)
{
	bool priv = flags & SRVH_PRIV, json = flags & SRVH_JSON;
	char nonce[NONCE_MAX] = "";
	struct sbuf body = SBUF_INIT, url = SBUF_INIT;
	struct jw w;
	if (priv)
		assert_int_equal(nonce_next(h->nonces, nonce, sizeof nonce, NULL), 0);
	if (json) {
		jw_init(&w, &body);
		jw_obj_begin(&w);
		if (priv) {
			jw_key(&w, "nonce");
			jw_str(&w, nonce);
		}
	} else if (priv) {
		urlenc_add(&body, "nonce", nonce);
	}
	va_list ap;
	va_start(ap, flags);
	const char *k;
	while ((k = va_arg(ap, const char *))) {
		const char *v = va_arg(ap, const char *);
		if (json) {
			jw_key(&w, k);
			if (v[0] == '[' || v[0] == '{' || !strcmp(v, "true") || !strcmp(v, "false"))
				jw_raw(&w, v);
			else
				jw_str(&w, v);
		} else {
			urlenc_add(&body, k, v);
		}
	}
	va_end(ap);
	if (json)
		jw_obj_end(&w);
	sbuf_addf(&url, "%s/0/%s/%s", h->base_url, priv ? "private" : "public", method);
	char sig[KRAKEN_SIGN_B64_SIZE], hk[128], hs[128];
	const char *headers[4] = {NULL};
	struct http_req_opts o = {0};
	if (priv) {
		char path[128];
		snprintf(path, sizeof path, "/0/private/%s", method);
		assert_int_equal(kraken_spot_sign(h->keys.spot_secret, path, nonce, body.p, body.len,
						  sig, sizeof sig, NULL),
				 0);
		snprintf(hk, sizeof hk, "API-Key: %s", h->keys.spot_key);
		snprintf(hs, sizeof hs, "API-Sign: %s", sig);
		headers[0] = hk;
		headers[1] = hs;
		headers[2] = json ? "Content-Type: application/json"
				  : "Content-Type: application/x-www-form-urlencoded";
		o.method = "POST";
		o.body = sbuf_str(&body);
		o.body_len = body.len;
	} else if (body.len) {
		sbuf_addc(&url, '?');
		sbuf_add(&url, body.p, body.len);
	}
	o.url = sbuf_str(&url);
	o.headers = headers;
	h->got = false;
	assert_non_null(http_request(h->loop, &o, on_http, h));
	sbuf_free(&body);
	sbuf_free(&url);
	srvh_wait(h, &h->got);
	return h->rc;
}

void srvh_seed(struct srv_h *h, const char *pair, enum engine_side side, const char *price,
	       const char *qty)
{
	struct px_place pl;
	memset(&pl, 0, sizeof pl);
	pl.account = PX_MARKET;
	pl.instr = px_instr_find(h->px, PX_SPOT, pair);
	assert_non_null(pl.instr);
	pl.side = side;
	pl.type = ENGINE_T_LIMIT;
	pl.qty = srvh_dec(qty);
	pl.price = px_price_abs(srvh_dec(price));
	struct px_result res;
	struct kerr e = KERR_INIT;
	if (px_place(h->px, &pl, &res, &e) < 0)
		fail_msg("seed: %s", e.msg);
}

static void count_open(void *arg, const struct px_order *o)
{
	(void)o;
	(*(size_t *)arg)++;
}

size_t srvh_px_open(struct srv_h *h)
{
	size_t n = 0;
	struct px_filter f = px_filter_all(PX_SPOT);
	px_open_orders(h->px, 1, &f, count_open, &n);
	return n;
}

const char *srvh_str(struct srv_h *h, const char *a, const char *b, const char *c)
{
	static char buf[512];
	int t = jpath(&h->doc, h->res, a, b, c, NULL);
	buf[0] = '\0';
	if (t >= 0)
		jtok_str(&h->doc, t, buf, sizeof buf);
	return buf;
}

dec_t srvh_dec(const char *s)
{
	dec_t v;
	if (dec_parse(s, (size_t)-1, &v, NULL) < 0)
		fail_msg("bad decimal %s", s);
	return v;
}
