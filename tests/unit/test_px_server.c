/* test_px_server: paper_start serves real HTTP on 127.0.0.1 port 0 and routes by path
 * to the adapters it was given (dummies here): public Spot and Futures calls reach
 * them without a key; private calls reach them only with a valid signature and
 * nonce, with the caller's account; bad keys get Kraken's error bodies; unknown
 * paths get 404; WebSocket upgrades go to /v2, /auth/v2, /ws/v1 only. A change (a
 * nonce) is in the state file once its reply arrives, and survives a restart.
 *
 * A helper thread plays the client with blocking sockets (5 s timeouts); the loop
 * runs in the test's thread; when the client is done it wakes the loop, which
 * stops the exchange. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

#include <uv.h>

#include "base/sbuf.h"
#include "net/sign.h"
#include "net/ws_frame.h"
#include "paper/server.h"
#include "tests/unit/test_px_util.h"

struct fx {
	uv_loop_t loop;
	uv_async_t wake;
	struct paper *p;
	int port;
	struct px_keys keys;
	pthread_t th;
	int result;
	char msg[512];
	bool stopped;
	int ws_opened, ws_closed, ws_objects;
};

/* ---- dummy adapters ---- */

struct spot_ws_srv {
	struct fx *fx;
	bool auth;
};
struct fut_ws_srv {
	struct fx *fx;
};

static struct fx *g_fx_for_adapters; /* adapters get only the paper: the test passes fx here */

static void dummy_rest(struct paper *p, struct http_request *req, const char *route)
{
	char body[256];
	snprintf(body, sizeof body, "{\"route\":\"%s\",\"acct\":%u,\"path\":\"%s\"}", route,
		 paper_request_account(p, req), req->path);
	http_reply(req, 200, "application/json", body, strlen(body), NULL);
}

static void spot_rest(struct paper *p, struct http_request *req)
{
	dummy_rest(p, req, "spot");
}

static void fut_rest(struct paper *p, struct http_request *req)
{
	dummy_rest(p, req, "fut");
}

static struct spot_ws_srv *spot_new(struct paper *p, bool auth)
{
	(void)p;
	struct spot_ws_srv *s = calloc(1, sizeof *s);
	s->fx = g_fx_for_adapters;
	s->auth = auth;
	s->fx->ws_objects++;
	return s;
}

static void spot_free(struct spot_ws_srv *s)
{
	s->fx->ws_objects--;
	free(s);
}

static void spot_open(struct spot_ws_srv *s, struct http_conn *c)
{
	s->fx->ws_opened++;
	const char *m = s->auth ? "hello auth" : "hello public";
	ws_conn_send(c, m, strlen(m));
}

static void spot_msg(struct spot_ws_srv *s, struct http_conn *c, const char *d, size_t n)
{
	(void)s;
	ws_conn_send(c, d, n);
}

static void spot_close(struct spot_ws_srv *s, struct http_conn *c)
{
	(void)c;
	s->fx->ws_closed++;
}

static struct fut_ws_srv *fut_new(struct paper *p)
{
	(void)p;
	struct fut_ws_srv *s = calloc(1, sizeof *s);
	s->fx = g_fx_for_adapters;
	s->fx->ws_objects++;
	return s;
}

static void fut_free(struct fut_ws_srv *s)
{
	s->fx->ws_objects--;
	free(s);
}

static void fut_open(struct fut_ws_srv *s, struct http_conn *c)
{
	s->fx->ws_opened++;
	ws_conn_send(c, "{\"event\":\"info\",\"version\":1}", 28);
}

static void fut_msg(struct fut_ws_srv *s, struct http_conn *c, const char *d, size_t n)
{
	(void)s;
	ws_conn_send(c, d, n);
}

static void fut_close(struct fut_ws_srv *s, struct http_conn *c)
{
	(void)c;
	s->fx->ws_closed++;
}

static const struct paper_adapters adapters = {
	.spot_rest_handle = spot_rest,
	.fut_rest_handle = fut_rest,
	.spot_ws_new = spot_new,
	.spot_ws_free = spot_free,
	.spot_ws_open = spot_open,
	.spot_ws_message = spot_msg,
	.spot_ws_close = spot_close,
	.fut_ws_new = fut_new,
	.fut_ws_free = fut_free,
	.fut_ws_open = fut_open,
	.fut_ws_message = fut_msg,
	.fut_ws_close = fut_close,
};

/* ---- client side (helper thread) ---- */

__attribute__((format(printf, 3, 4))) static int fail_at(struct fx *fx, int line, const char *fmt,
							 ...)
{
	int n = snprintf(fx->msg, sizeof fx->msg, "line %d: ", line);
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(fx->msg + n, sizeof fx->msg - (size_t)n, fmt, ap);
	va_end(ap);
	return -1;
}

#define CHECK(cond, ...)                                                                           \
	do {                                                                                       \
		if (!(cond))                                                                       \
			return fail_at(fx, __LINE__, __VA_ARGS__);                                 \
	} while (0)

struct cl {
	int fd;
	struct sbuf in;
};

static int cl_open(struct fx *fx, struct cl *c)
{
	c->fd = socket(AF_INET, SOCK_STREAM, 0);
	sbuf_init(&c->in);
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)fx->port)};
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	struct timeval tv = {.tv_sec = 5};
	setsockopt(c->fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
	setsockopt(c->fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
	return connect(c->fd, (struct sockaddr *)&a, sizeof a);
}

static void cl_close(struct cl *c)
{
	close(c->fd);
	sbuf_free(&c->in);
}

static int cl_send(struct cl *c, const char *s)
{
	size_t len = strlen(s);
	while (len) {
		ssize_t n = send(c->fd, s, len, MSG_NOSIGNAL);
		if (n <= 0)
			return -1;
		s += n;
		len -= (size_t)n;
	}
	return 0;
}

static int cl_fill(struct cl *c)
{
	sbuf_reserve(&c->in, 65536);
	ssize_t n = recv(c->fd, c->in.p + c->in.len, c->in.cap - c->in.len - 1, 0);
	if (n > 0) {
		c->in.len += (size_t)n;
		c->in.p[c->in.len] = '\0';
	}
	return n > 0 ? 1 : -1;
}

/* One response: status and body. */
static int cl_response(struct cl *c, int *status, struct sbuf *body)
{
	char *end;
	while (!c->in.p || !(end = strstr(c->in.p, "\r\n\r\n")))
		if (cl_fill(c) <= 0)
			return -1;
	size_t hl = (size_t)(end - c->in.p) + 4;
	*status = atoi(c->in.p + 9);
	const char *cl = strcasestr(c->in.p, "\r\nContent-Length:");
	size_t blen = cl && cl < end ? strtoul(cl + 17, NULL, 10) : 0;
	while (c->in.len < hl + blen)
		if (cl_fill(c) <= 0)
			return -1;
	sbuf_reset(body);
	sbuf_add(body, c->in.p + hl, blen);
	sbuf_consume(&c->in, hl + blen);
	return 0;
}

/* Send a request with extra header lines, read the answer. */
static int http(struct fx *fx, const char *method, const char *target, const char *headers,
		const char *body, int *status, struct sbuf *out)
{
	struct cl c;
	if (cl_open(fx, &c) < 0)
		return -1;
	struct sbuf r = SBUF_INIT;
	sbuf_addf(&r, "%s %s HTTP/1.1\r\nHost: 127.0.0.1\r\n%sContent-Length: %zu\r\n\r\n%s",
		  method, target, headers ? headers : "", body ? strlen(body) : 0,
		  body ? body : "");
	int rc = cl_send(&c, sbuf_str(&r));
	sbuf_free(&r);
	if (rc == 0)
		rc = cl_response(&c, status, out);
	cl_close(&c);
	return rc;
}

/* Upgrade to a WebSocket on path: the status, and the first text message if 101. */
static int ws_try(struct fx *fx, const char *path, int *status, struct sbuf *first)
{
	struct cl c;
	if (cl_open(fx, &c) < 0)
		return -1;
	char req[512];
	snprintf(req, sizeof req,
		 "GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
		 "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
		 "Sec-WebSocket-Version: 13\r\n\r\n",
		 path);
	int rc = cl_send(&c, req);
	char *end = NULL;
	while (rc == 0 && (!c.in.p || !(end = strstr(c.in.p, "\r\n\r\n"))))
		if (cl_fill(&c) <= 0)
			rc = -1;
	if (rc == 0) {
		*status = atoi(c.in.p + 9);
		sbuf_consume(&c.in, (size_t)(end - c.in.p) + 4);
	}
	sbuf_reset(first);
	while (rc == 0 && *status == 101) {
		struct ws_frame f;
		int code;
		ssize_t n = c.in.len ? ws_frame_decode((uint8_t *)c.in.p, c.in.len, WS_ROLE_CLIENT,
						       1 << 20, &f, &code)
				     : 0;
		if (n < 0) {
			rc = -1;
		} else if (n > 0) {
			sbuf_add(first, f.payload, f.payload_len);
			break;
		} else if (cl_fill(&c) <= 0) {
			rc = -1;
		}
	}
	cl_close(&c);
	return rc;
}

static int client(struct fx *fx)
{
	int st;
	struct sbuf b = SBUF_INIT;
	CHECK(http(fx, "GET", "/0/public/Time", NULL, NULL, &st, &b) == 0, "no answer");
	CHECK(st == 200 && strstr(b.p, "\"route\":\"spot\",\"acct\":0"), "public: %d %s", st, b.p);

	CHECK(http(fx, "POST", "/0/private/Balance", NULL, "nonce=1", &st, &b) == 0, "no answer");
	CHECK(st == 200 && !strcmp(b.p, "{\"error\":[\"EAPI:Invalid key\"]}"), "no key: %s", b.p);

	char sig[KRAKEN_SIGN_B64_SIZE], hdr[512];
	const char *body = "nonce=1700000000000001";
	kraken_spot_sign(fx->keys.spot_secret, "/0/private/Balance", "1700000000000001", body,
			 strlen(body), sig, sizeof sig, NULL);
	snprintf(hdr, sizeof hdr, "API-Key: %s\r\nAPI-Sign: %s\r\n", fx->keys.spot_key, sig);
	CHECK(http(fx, "POST", "/0/private/Balance", hdr, body, &st, &b) == 0, "no answer");
	CHECK(st == 200 && strstr(b.p, "\"route\":\"spot\",\"acct\":1"), "signed: %d %s", st, b.p);
	CHECK(http(fx, "POST", "/0/private/Balance", hdr, body, &st, &b) == 0, "no answer");
	CHECK(!strcmp(b.p, "{\"error\":[\"EAPI:Invalid nonce\"]}"), "replay: %s", b.p);
	snprintf(hdr, sizeof hdr, "API-Key: %s\r\nAPI-Sign: %s\r\n", fx->keys.spot_key,
		 "AAAA/dpxb3iT4tp/ZCVEwSnEsLxx0bqyhLpdfOpc6fn7OR8+UClSV5n9E6aSS8MPtnRfp32bAb0nmbRn6H8ndwLUQ==");
	CHECK(http(fx, "POST", "/0/private/Balance", hdr, "nonce=1700000000000002", &st, &b) == 0,
	      "no answer");
	CHECK(!strcmp(b.p, "{\"error\":[\"EAPI:Invalid signature\"]}"), "bad sign: %s", b.p);

	CHECK(http(fx, "GET", "/nope", NULL, NULL, &st, &b) == 0, "no answer");
	CHECK(st == 404 && strstr(b.p, "\"error\":\"notFound\""), "404: %d %s", st, b.p);
	CHECK(http(fx, "GET", "/0/nope", NULL, NULL, &st, &b) == 0, "no answer");
	CHECK(st == 404 && strstr(b.p, "EGeneral:Unknown method"), "404 spot: %d %s", st, b.p);

	CHECK(http(fx, "GET", "/derivatives/api/v3/instruments", NULL, NULL, &st, &b) == 0, "no answer");
	CHECK(st == 200 && strstr(b.p, "\"route\":\"fut\",\"acct\":0"), "fut public: %s", b.p);
	CHECK(http(fx, "GET", "/derivatives/api/v3/accounts", NULL, NULL, &st, &b) == 0, "no answer");
	CHECK(strstr(b.p, "\"result\":\"error\"") && strstr(b.p, "\"error\":\"authenticationError\""),
	      "fut no key: %s", b.p);
	kraken_futures_authent(fx->keys.fut_secret, "", "1700000000000", "/api/v3/accounts", sig,
			       sizeof sig, NULL);
	snprintf(hdr, sizeof hdr, "APIKey: %s\r\nAuthent: %s\r\nNonce: 1700000000000\r\n",
		 fx->keys.fut_key, sig);
	CHECK(http(fx, "GET", "/derivatives/api/v3/accounts", hdr, NULL, &st, &b) == 0, "no answer");
	CHECK(strstr(b.p, "\"route\":\"fut\",\"acct\":1"), "fut signed: %s", b.p);
	CHECK(http(fx, "GET", "/derivatives/api/v3/accounts", hdr, NULL, &st, &b) == 0, "no answer");
	CHECK(strstr(b.p, "\"error\":\"nonceDuplicate\""), "fut replay: %s", b.p);

	CHECK(ws_try(fx, "/v2", &st, &b) == 0 && st == 101 && !strcmp(b.p, "hello public"),
	      "ws /v2: %d %s", st, sbuf_str(&b));
	CHECK(ws_try(fx, "/auth/v2", &st, &b) == 0 && st == 101 && !strcmp(b.p, "hello auth"),
	      "ws /auth/v2: %d %s", st, sbuf_str(&b));
	CHECK(ws_try(fx, "/ws/v1", &st, &b) == 0 && st == 101 && strstr(b.p, "\"info\""),
	      "ws /ws/v1: %d %s", st, sbuf_str(&b));
	CHECK(ws_try(fx, "/ws/v2", &st, &b) == 0 && st == 404, "ws elsewhere: %d", st);
	sbuf_free(&b);
	return 0;
}

static void *client_main(void *arg)
{
	struct fx *fx = arg;
	fx->result = client(fx);
	uv_async_send(&fx->wake);
	return NULL;
}

static void stopped(void *arg)
{
	struct fx *fx = arg;
	fx->stopped = true;
}

static void on_wake(uv_async_t *a)
{
	struct fx *fx = a->data;
	uv_close((uv_handle_t *)&fx->wake, NULL);
	paper_stop(fx->p, stopped, fx);
	fx->p = NULL;
}

static void server_routes(void **state)
{
	(void)state;
	char dir[] = "/tmp/kt-pxsrv-XXXXXX";
	assert_non_null(mkdtemp(dir));
	char path[128];
	snprintf(path, sizeof path, "%s/state.json", dir);
	struct fx *fx = calloc(1, sizeof *fx);
	g_fx_for_adapters = fx;
	assert_int_equal(uv_loop_init(&fx->loop), 0);
	struct paper_opts o;
	memset(&o, 0, sizeof o);
	o.port = 0;
	o.state_path = path;
	o.reset = true;
	o.adapters = &adapters;
	o.id_seed = 7;
	struct kerr e = KERR_INIT;
	fx->p = paper_start(&fx->loop, &o, &e);
	if (!fx->p)
		fail_msg("paper_start: %s", e.msg);
	struct paper_urls u;
	paper_urls(fx->p, &u);
	fx->port = u.port;
	assert_true(fx->port > 0);
	char want[64];
	snprintf(want, sizeof want, "ws://127.0.0.1:%d/auth/v2", fx->port);
	assert_string_equal(u.spot_ws_private, want);
	assert_int_equal(paper_keys(fx->p, 1, &fx->keys), 0);
	assert_int_equal(paper_keys(fx->p, 2, &fx->keys), -1);
	assert_int_equal(paper_keys(fx->p, 1, &fx->keys), 0);
	struct paper_info info;
	paper_info(fx->p, &info);
	assert_int_equal(info.accounts, 1);
	assert_int_equal(info.spot_pairs, 6);
	assert_int_equal(info.futures, 5);
	struct stat sb;
	assert_int_equal(stat(path, &sb), 0); /* a fresh start is saved at once */
	assert_int_equal(sb.st_mode & 0777, 0600);
	uv_async_init(&fx->loop, &fx->wake, on_wake);
	fx->wake.data = fx;
	assert_int_equal(pthread_create(&fx->th, NULL, client_main, fx), 0);
	uv_run(&fx->loop, UV_RUN_DEFAULT);
	pthread_join(fx->th, NULL);
	assert_true(fx->stopped);
	assert_int_equal(uv_loop_close(&fx->loop), 0);
	if (fx->result != 0)
		fail_msg("%s", fx->msg);
	assert_int_equal(fx->ws_opened, 3);
	assert_int_equal(fx->ws_closed, 3);
	assert_int_equal(fx->ws_objects, 0);

	/* the accepted nonces were saved: a restart refuses them */
	o.reset = false;
	struct paper *p = paper_create(NULL, &o, &e);
	assert_non_null(p);
	assert_int_equal(px_nonce_get(p->px, 1, PX_SPOT), 1700000000000001ULL);
	assert_int_equal(px_nonce_get(p->px, 1, PX_FUTURES), 1700000000000ULL);
	struct px_keys k;
	assert_int_equal(paper_keys(p, 1, &k), 0);
	assert_string_equal(k.fut_secret, fx->keys.fut_secret);
	paper_destroy(p);
	unlink(path);
	rmdir(dir);
	free(fx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(server_routes),
	};
	return kt_run_tests(tests);
}
