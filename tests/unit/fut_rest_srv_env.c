/* fut_rest_srv_env: helpers of the Futures REST adapter tests (see the header). */
#include "tests/unit/fut_rest_srv_env.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "net/http_client.h"
#include "net/sign.h"
#include "paper/fut_rest_srv.h"
#include "tests/fixtures/net/nettest.h"
#include "tests/unit/unit.h"

static int64_t test_clock(void *ctx)
{
	return ((struct env *)ctx)->now_ns;
}

void env_init(struct env *e)
{
	memset(e, 0, sizeof *e);
	e->now_ns = 1709287200000000000LL; /* 2024-03-01T10:00:00Z */
	struct kerr err = KERR_INIT;
	e->loop = kt_loop_new(NULL, &err);
	assert_non_null(e->loop);
	static const struct paper_balance bal[] = {
	        {"USD", {100000, 0}, true},
	};
	struct paper_opts o = {.state_path = "",
	                       .reset = true,
	                       .balances = bal,
	                       .nbalances = 1,
	                       .users = 1,
	                       .id_seed = 11,
	                       .clock = test_clock,
	                       .clock_ctx = e};
	static const struct paper_adapters ad = {.fut_rest_handle = fut_rest_srv_handle};
	o.adapters = &ad;
	e->p = paper_start(kt_loop_uv(e->loop), &o, &err);
	if (!e->p)
		fail_msg("paper_start: %s", err.msg);
	assert_int_equal(paper_keys(e->p, 1, &e->keys), 0);
	struct paper_urls u;
	paper_urls(e->p, &u);
	snprintf(e->base, sizeof e->base, "%s", u.fut_rest);
	jdoc_init(&e->doc);
	e->nonce = 1709287200000ULL;
}

static void stopped(void *arg)
{
	kt_loop_stop(arg);
}

void env_free(struct env *e)
{
	paper_stop(e->p, stopped, e->loop);
	nt_run(e->loop, 5000);
	jdoc_free(&e->doc);
	free(e->body);
	kt_loop_free(e->loop);
}

/* ---- raw HTTP ---- */

static void on_reply(void *arg, const struct http_result *r)
{
	struct env *e = arg;
	assert_null(r->error);
	e->status = r->status;
	free(e->body);
	e->body = malloc(r->body_len + 1);
	memcpy(e->body, r->body, r->body_len);
	e->body[r->body_len] = '\0';
	kt_loop_stop(e->loop);
}

/* Send one request (signed when `sign`) and parse the JSON reply into e->doc. */
void env_call(struct env *e, const char *method, const char *path, const char *query,
              const char *body, bool sign)
{
	char url[2048], hk[128], ha[128], hn[64];
	snprintf(url, sizeof url, "%s%s%s%s", e->base, path, query && *query ? "?" : "",
	         query ? query : "");
	const char *hdr[6] = {"Content-Type: application/x-www-form-urlencoded", NULL};
	size_t nh = 1;
	if (sign) {
		char post[4096], nonce[32], sig[KRAKEN_SIGN_B64_SIZE];
		snprintf(post, sizeof post, "%s%s", query ? query : "", body ? body : "");
		snprintf(nonce, sizeof nonce, "%llu", (unsigned long long)++e->nonce);
		assert_int_equal(kraken_futures_authent(e->keys.fut_secret, post, nonce,
		                                        kraken_futures_endpoint_path(path), sig,
		                                        sizeof sig, NULL),
		                 0);
		snprintf(hk, sizeof hk, "APIKey: %s", e->keys.fut_key);
		snprintf(ha, sizeof ha, "Authent: %s", sig);
		snprintf(hn, sizeof hn, "Nonce: %s", nonce);
		hdr[nh++] = hk;
		hdr[nh++] = ha;
		hdr[nh++] = hn;
	}
	hdr[nh] = NULL;
	struct http_req_opts o = {.method = method,
	                          .url = url,
	                          .headers = hdr,
	                          .body = body,
	                          .body_len = body ? strlen(body) : 0};
	assert_non_null(http_request(e->loop, &o, on_reply, e));
	assert_true(nt_run(e->loop, 5000));
	if (jdoc_parse(&e->doc, e->body, strlen(e->body), NULL))
		fail_msg("%s %s: not JSON: %s", method, path, e->body);
}

void env_post(struct env *e, const char *ep, const char *body)
{
	char path[128];
	snprintf(path, sizeof path, "/derivatives/api/v3/%s", ep);
	env_call(e, "POST", path, NULL, body, true);
}

void env_get(struct env *e, const char *ep, const char *query, bool sign)
{
	char path[128];
	snprintf(path, sizeof path, "/derivatives/api/v3/%s", ep);
	env_call(e, "GET", path, query, NULL, sign);
}

/* String at a path of keys/indices ("" when absent). */
const char *env_js(struct env *e, ...)
{
	static char buf[8][256];
	static int slot;
	va_list ap;
	va_start(ap, e);
	int t = 0;
	for (const char *k; (k = va_arg(ap, const char *)) != NULL;)
		t = jpath(&e->doc, t, k, (const char *)NULL);
	va_end(ap);
	char *b = buf[slot++ % 8];
	b[0] = '\0';
	if (t >= 0)
		jtok_str(&e->doc, t, b, 256);
	return b;
}

size_t env_jn(struct env *e, const char *k1, const char *k2)
{
	int t = jpath(&e->doc, 0, k1, (const char *)NULL);
	if (k2)
		t = jpath(&e->doc, t, k2, (const char *)NULL);
	return jtok_size(&e->doc, t);
}

/* ---- px helpers ---- */

dec_t env_dec(const char *s)
{
	dec_t v;
	assert_int_equal(dec_parse(s, (size_t)-1, &v, NULL), 0);
	return v;
}

/* A resting order of the simulated market (account 0). */
void env_maker(struct env *e, const char *sym, enum engine_side side, const char *price,
               const char *qty)
{
	struct px_place pl;
	memset(&pl, 0, sizeof pl);
	pl.account = PX_MARKET;
	pl.instr = px_instr_find(e->p->px, PX_FUTURES, sym);
	pl.side = side;
	pl.type = ENGINE_T_LIMIT;
	pl.qty = env_dec(qty);
	pl.price = px_price_abs(env_dec(price));
	struct px_result res;
	struct kerr err = KERR_INIT;
	if (px_place(e->p->px, &pl, &res, &err))
		fail_msg("maker: %s", err.msg);
}

static void no_order(void *arg, const struct px_order *o)
{
	(void)arg;
	(void)o;
}

size_t env_open_count(struct env *e)
{
	struct px_filter f = px_filter_all(PX_FUTURES);
	return px_open_orders(e->p->px, 1, &f, no_order, NULL);
}

/* Decode the last reply with krakterm's client codec. */
void env_client_doc(struct env *e, struct fut_doc *fd)
{
	fut_doc_init(fd);
	struct kerr err = KERR_INIT;
	if (fut_doc_parse(fd, e->body, strlen(e->body), &err))
		fail_msg("client codec: %s", err.msg);
}

void env_client_state(struct env *e, struct state *st)
{
	state_init(st);
	env_get(e, "instruments", NULL, false);
	struct fut_doc fd;
	env_client_doc(e, &fd);
	struct kerr err = KERR_INIT;
	size_t n = 0;
	assert_int_equal(fut_decode_instruments(&fd, st, &n, &err), 0);
	assert_int_equal(n, 5);
	fut_doc_free(&fd);
}
