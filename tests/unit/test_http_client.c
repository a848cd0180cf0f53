/* test_http_client: HTTP requests over curl multi on the loop, against our own
 * server (net/http_server.h) on 127.0.0.1 port 0 in the same loop, and
 * against `openssl s_server -www` for HTTPS with a throw-away CA.
 *
 * Proves: method, path, query, headers and body go out intact and status,
 * body and response headers come back; the default User-Agent; keep-alive
 * reuse; non-2xx is a response, not an error; a timeout, a refused
 * connection, an oversized response and a bad protocol are distinct errors; a
 * cancelled request never calls back; TLS verification accepts the right CA
 * and refuses without it, in plain words; freeing the loop with a request in
 * flight leaks nothing (sanitizer build). */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "config.h"

#include "base/sbuf.h"
#include "base/xalloc.h"
#include "net/http_client.h"
#include "net/http_server.h"
#include "net/loop.h"
#include "tests/fixtures/net/nettest.h"
#include "tests/unit/unit.h"

struct res {
	int calls;
	int status;
	char *body;
	size_t body_len;
	char error[512];
	enum http_err kind;
	char x_echo[64];
	char x_peer[64];
	uint64_t wire_done_ns;
};

struct fx {
	struct kt_loop *loop;
	struct http_server *srv;
	int port;
	struct http_request *held;        /* a request the server never answers */
	struct http_call *cancel_on_hold; /* cancelled when the server sees it */
	bool stop_on_hold;
	bool stopped;
	struct res r[4];
	int stop_after; /* stop the loop after this many callbacks */
	int total_calls;
	/* a second request made from the first one's callback */
	struct http_req_opts chain;
	int chain_slot;
};

static struct fx *FX; /* the server callbacks reach the fixture through ctx */

/* ---- server side ---- */

static void srv_request(void *ctx, struct http_request *req)
{
	struct fx *fx = ctx;
	if (strcmp(req->path, "/hold") == 0) {
		fx->held = http_request_keep(req);
		if (fx->cancel_on_hold) {
			http_cancel(fx->cancel_on_hold);
			fx->cancel_on_hold = NULL;
		}
		if (fx->stop_on_hold)
			kt_loop_stop(fx->loop);
		return;
	}
	if (strcmp(req->path, "/big") == 0) {
		size_t n = HTTP_MAX_RESPONSE + 1;
		char *big = xcalloc(1, n);
		http_reply(req, 200, NULL, big, n, NULL);
		free(big);
		return;
	}
	if (strcmp(req->path, "/missing") == 0) {
		http_reply(req, 404, NULL, "nope", 4, NULL);
		return;
	}
	if (strcmp(req->path, "/ua") == 0) {
		const char *ua = http_request_header(req, "User-Agent");
		http_reply(req, 200, NULL, ua ? ua : "", ua ? strlen(ua) : 0, NULL);
		return;
	}
	/* /echo: what arrived, in one line, then the body as is */
	struct sbuf b = SBUF_INIT;
	const char *xt = http_request_header(req, "X-Test");
	const char *ct = http_request_header(req, "Content-Type");
	sbuf_addf(&b, "%s %s?%s X-Test=%s CT=%s|", req->method, req->path, req->query,
	          xt ? xt : "-", ct ? ct : "-");
	sbuf_add(&b, req->body, req->body_len);
	char extra[128];
	snprintf(extra, sizeof extra, "X-Echo: yes\r\nX-Peer: %s\r\n",
	         req->conn ? http_conn_peer(req->conn) : "?");
	http_reply(req, 200, "text/plain", b.p, b.len, extra);
	sbuf_free(&b);
}

static const struct http_server_ops srv_ops = {.on_request = srv_request};

static void srv_stopped(void *arg)
{
	struct fx *fx = arg;
	fx->stopped = true;
	if (fx->held)
		http_request_drop(fx->held);
	fx->held = NULL;
	kt_loop_stop(fx->loop);
}

static int setup(void **state)
{
	struct fx *fx = xcalloc(1, sizeof *fx);
	struct kerr err = KERR_INIT;
	fx->loop = kt_loop_new(NULL, &err);
	assert_non_null(fx->loop);
	fx->srv = http_server_start(kt_loop_uv(fx->loop), "127.0.0.1", 0, &srv_ops, fx, &err);
	if (!fx->srv)
		fail_msg("server: %s", err.msg);
	fx->port = http_server_port(fx->srv);
	fx->stop_after = 1;
	FX = fx;
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fx *fx = *state;
	if (fx->srv) {
		http_server_stop(fx->srv, srv_stopped, fx);
		assert_true(nt_run(fx->loop, 5000));
	}
	kt_loop_free(fx->loop);
	for (int i = 0; i < 4; i++)
		free(fx->r[i].body);
	free(fx);
	return 0;
}

/* ---- client side ---- */

static void on_result(void *arg, const struct http_result *r);

static void record(struct res *s, const struct http_result *r)
{
	s->calls++;
	s->status = r->status;
	s->body = xmalloc(r->body_len + 1); /* NULs are kept: length is body_len */
	memcpy(s->body, r->body, r->body_len);
	s->body[r->body_len] = '\0';
	s->body_len = r->body_len;
	s->kind = r->kind;
	snprintf(s->error, sizeof s->error, "%s", r->error ? r->error : "");
	const char *h = http_result_header(r, "x-echo");
	snprintf(s->x_echo, sizeof s->x_echo, "%s", h ? h : "");
	h = http_result_header(r, "X-Peer");
	snprintf(s->x_peer, sizeof s->x_peer, "%s", h ? h : "");
	s->wire_done_ns = r->wire_done_ns;
}

static void on_result(void *arg, const struct http_result *r)
{
	struct res *s = arg;
	struct fx *fx = FX;
	record(s, r);
	if (fx->chain.url) {
		struct http_req_opts o = fx->chain;
		fx->chain.url = NULL;
		assert_non_null(http_request(fx->loop, &o, on_result, &fx->r[fx->chain_slot]));
	}
	if (++fx->total_calls >= fx->stop_after)
		kt_loop_stop(fx->loop);
}

static void url(struct fx *fx, char *buf, size_t cap, const char *path)
{
	snprintf(buf, cap, "http://127.0.0.1:%d%s", fx->port, path);
}

/* GET with a query and a custom header; status, body and headers return. */
static void get_round_trip(void **state)
{
	struct fx *fx = *state;
	char u[128];
	url(fx, u, sizeof u, "/echo?x=1&y=two");
	const char *const hdrs[] = {"X-Test: abc def", NULL};
	struct http_req_opts o = {.url = u, .headers = hdrs};
	assert_non_null(http_request(fx->loop, &o, on_result, &fx->r[0]));
	assert_true(nt_run(fx->loop, 5000));
	struct res *r = &fx->r[0];
	assert_int_equal(r->calls, 1);
	assert_string_equal(r->error, "");
	assert_int_equal(r->kind, HTTP_OK);
	assert_int_equal(r->status, 200);
	assert_string_equal(r->body, "GET /echo?x=1&y=two X-Test=abc def CT=-|");
	assert_string_equal(r->x_echo, "yes");
	assert_true(r->wire_done_ns > 0);
}

/* POST and PUT carry their bodies byte for byte with the caller's
 * Content-Type; DELETE without a body uses the method as given. (No NUL in
 * the body: the server under test keeps bodies as C strings.) */
static void post_put_delete_bodies(void **state)
{
	struct fx *fx = *state;
	char u[128];
	url(fx, u, sizeof u, "/echo");
	static const char body[] = {'a', '=', '%', '\n', (char)0xff, 'z', '&', ' '};
	const char *const hdrs[] = {"Content-Type: application/x-www-form-urlencoded", NULL};
	struct http_req_opts o = {
	        .method = "POST", .url = u, .headers = hdrs, .body = body, .body_len = sizeof body};
	struct http_req_opts put = o;
	put.method = "PUT";
	struct http_req_opts del = {.method = "DELETE", .url = u};
	fx->stop_after = 3;
	assert_non_null(http_request(fx->loop, &o, on_result, &fx->r[0]));
	assert_non_null(http_request(fx->loop, &put, on_result, &fx->r[1]));
	assert_non_null(http_request(fx->loop, &del, on_result, &fx->r[2]));
	assert_true(nt_run(fx->loop, 5000));
	const char *prefix = "POST /echo? X-Test=- CT=application/x-www-form-urlencoded|";
	size_t pl = strlen(prefix);
	assert_int_equal(fx->r[0].status, 200);
	assert_int_equal(fx->r[0].body_len, pl + sizeof body);
	assert_memory_equal(fx->r[0].body, prefix, pl);
	assert_memory_equal(fx->r[0].body + pl, body, sizeof body);
	assert_int_equal(fx->r[1].status, 200);
	assert_memory_equal(fx->r[1].body, "PUT /echo?", 10);
	assert_int_equal(fx->r[1].body_len, fx->r[0].body_len - 1); /* "PUT" vs "POST" */
	assert_memory_equal(fx->r[1].body + pl - 1, body, sizeof body);
	assert_int_equal(fx->r[2].status, 200);
	assert_string_equal(fx->r[2].body, "DELETE /echo? X-Test=- CT=-|");
}

/* "User-Agent: krakterm/<version>" is sent unless the caller sets one. */
static void user_agent(void **state)
{
	struct fx *fx = *state;
	char u[128];
	url(fx, u, sizeof u, "/ua");
	const char *const hdrs[] = {"User-Agent: custom/1", NULL};
	struct http_req_opts a = {.url = u}, b = {.url = u, .headers = hdrs};
	fx->stop_after = 2;
	http_request(fx->loop, &a, on_result, &fx->r[0]);
	http_request(fx->loop, &b, on_result, &fx->r[1]);
	assert_true(nt_run(fx->loop, 5000));
	assert_string_equal(fx->r[0].body, "krakterm/" PACKAGE_VERSION);
	assert_string_equal(fx->r[1].body, "custom/1");
}

/* A request made after the previous one finished reuses its connection (the
 * server sees the same client port). */
static void keep_alive_reuse(void **state)
{
	struct fx *fx = *state;
	char u[128];
	url(fx, u, sizeof u, "/echo");
	struct http_req_opts o = {.url = u};
	fx->chain = o;
	fx->chain_slot = 1;
	fx->stop_after = 2;
	http_request(fx->loop, &o, on_result, &fx->r[0]);
	assert_true(nt_run(fx->loop, 5000));
	assert_int_equal(fx->r[0].status, 200);
	assert_int_equal(fx->r[1].status, 200);
	assert_true(fx->r[0].x_peer[0] != '\0');
	assert_string_equal(fx->r[0].x_peer, fx->r[1].x_peer);
}

/* A 404 is a response (error NULL, kind HTTP_OK), with its body. */
static void status_not_error(void **state)
{
	struct fx *fx = *state;
	char u[128];
	url(fx, u, sizeof u, "/missing");
	struct http_req_opts o = {.url = u};
	http_request(fx->loop, &o, on_result, &fx->r[0]);
	assert_true(nt_run(fx->loop, 5000));
	assert_int_equal(fx->r[0].status, 404);
	assert_int_equal(fx->r[0].kind, HTTP_OK);
	assert_string_equal(fx->r[0].error, "");
	assert_string_equal(fx->r[0].body, "nope");
}

/* No answer within timeout_ms: HTTP_E_TIMEOUT, status 0, words saying so. */
static void timeout_is_distinct(void **state)
{
	struct fx *fx = *state;
	char u[128];
	url(fx, u, sizeof u, "/hold");
	struct http_req_opts o = {.url = u, .timeout_ms = 200};
	http_request(fx->loop, &o, on_result, &fx->r[0]);
	assert_true(nt_run(fx->loop, 5000));
	assert_int_equal(fx->r[0].kind, HTTP_E_TIMEOUT);
	assert_int_equal(fx->r[0].status, 0);
	assert_non_null(strstr(fx->r[0].error, "timed out after 200 ms"));
}

/* A request cancelled once the server has it never calls back; a request
 * made afterwards still works. */
static void cancel_no_callback(void **state)
{
	struct fx *fx = *state;
	char u[128], u2[128];
	url(fx, u, sizeof u, "/hold");
	url(fx, u2, sizeof u2, "/echo");
	struct http_req_opts o = {.url = u}, o2 = {.url = u2};
	fx->cancel_on_hold = http_request(fx->loop, &o, on_result, &fx->r[0]);
	assert_non_null(fx->cancel_on_hold);
	fx->stop_on_hold = true; /* the server cancels it, then stops the loop */
	assert_true(nt_run(fx->loop, 5000));
	assert_null(fx->cancel_on_hold);
	/* more loop turns with another request: still no callback for the first */
	http_request(fx->loop, &o2, on_result, &fx->r[1]);
	assert_true(nt_run(fx->loop, 5000));
	assert_int_equal(fx->r[1].status, 200);
	assert_int_equal(fx->r[0].calls, 0);
	assert_int_equal(fx->total_calls, 1);
}

/* A TCP socket bound to 127.0.0.1 (port chosen by the kernel); listening or not. */
static int tcp_socket(int *port, bool do_listen)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t len = sizeof a;
	assert_true(fd >= 0);
	assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof a), 0);
	if (do_listen)
		assert_int_equal(listen(fd, 8), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&a, &len), 0);
	*port = ntohs(a.sin_port);
	return fd;
}

/* Nobody listening: HTTP_E_CONNECT ("cannot connect"), status 0. */
static void connection_refused(void **state)
{
	struct fx *fx = *state;
	int port, fd = tcp_socket(&port, false); /* bound, not listening: refused */
	char u[128];
	snprintf(u, sizeof u, "http://127.0.0.1:%d/", port);
	struct http_req_opts o = {.url = u};
	http_request(fx->loop, &o, on_result, &fx->r[0]);
	assert_true(nt_run(fx->loop, 5000));
	close(fd);
	assert_int_equal(fx->r[0].kind, HTTP_E_CONNECT);
	assert_int_equal(fx->r[0].status, 0);
	assert_non_null(strstr(fx->r[0].error, "cannot connect"));
}

/* A response over HTTP_MAX_RESPONSE fails with HTTP_E_TOO_BIG. */
static void response_too_big(void **state)
{
	struct fx *fx = *state;
	char u[128];
	url(fx, u, sizeof u, "/big");
	struct http_req_opts o = {.url = u};
	http_request(fx->loop, &o, on_result, &fx->r[0]);
	assert_true(nt_run(fx->loop, 10000));
	assert_int_equal(fx->r[0].kind, HTTP_E_TOO_BIG);
	assert_non_null(strstr(fx->r[0].error, "larger than 32 MiB"));
}

/* No URL is refused at once; a non-HTTP scheme fails through the callback. */
static void bad_requests(void **state)
{
	struct fx *fx = *state;
	struct http_req_opts none = {.url = NULL};
	assert_null(http_request(fx->loop, &none, on_result, &fx->r[0]));
	struct http_req_opts ftp = {.url = "ftp://127.0.0.1/x"};
	assert_non_null(http_request(fx->loop, &ftp, on_result, &fx->r[0]));
	assert_true(nt_run(fx->loop, 5000));
	assert_int_equal(fx->r[0].calls, 1);
	assert_int_equal(fx->r[0].kind, HTTP_E_OTHER);
	assert_true(fx->r[0].error[0] != '\0');
}

/* HTTPS: accepted with the test CA (per request and from the loop options),
 * refused without it with a plain "TLS certificate verification failed", and
 * refused when the certificate names another host. */
static void https_verification(void **state)
{
	struct fx *fx = *state;
	struct nt_tls tls;
	if (nt_tls_make(&tls, NULL) != 0)
		skip();
	int port;
	const char *const argv[] = {"openssl", "s_server", "-accept", "127.0.0.1:0", "-cert",
	                            tls.cert,  "-key",     tls.key,   "-www",        NULL};
	pid_t pid = nt_spawn_port(argv, "ACCEPT 127.0.0.1:", &port);
	if (pid < 0) {
		nt_tls_clean(&tls);
		fail_msg("cannot start openssl s_server");
	}
	char u[128];
	snprintf(u, sizeof u, "https://127.0.0.1:%d/", port);
	struct http_req_opts with = {.url = u, .ca_file = tls.ca, .timeout_ms = 10000};
	struct http_req_opts without = {.url = u, .timeout_ms = 10000};
	http_request(fx->loop, &without, on_result, &fx->r[0]);
	assert_true(nt_run(fx->loop, 10000));
	fx->total_calls = 0;
	http_request(fx->loop, &with, on_result, &fx->r[1]);
	assert_true(nt_run(fx->loop, 10000));

	/* the CA from the loop's options applies to every request */
	struct kt_loop_opts lo = {.ca_file = tls.ca};
	struct kt_loop *l2 = kt_loop_new(&lo, NULL);
	assert_non_null(l2);
	struct fx *saved = FX;
	struct fx f2 = {.loop = l2, .stop_after = 1};
	FX = &f2;
	http_request(l2, &without, on_result, &f2.r[0]);
	bool ok = nt_run(l2, 10000);
	FX = saved;
	kt_loop_free(l2);
	nt_kill(pid);
	nt_tls_clean(&tls);

	/* a trusted CA but a certificate for another name */
	struct nt_tls other;
	assert_int_equal(nt_tls_make(&other, "DNS:not-this-host.example"), 0);
	const char *const argv2[] = {"openssl",  "s_server", "-accept", "127.0.0.1:0", "-cert",
	                             other.cert, "-key",     other.key, "-www",        NULL};
	pid = nt_spawn_port(argv2, "ACCEPT 127.0.0.1:", &port);
	assert_true(pid > 0);
	snprintf(u, sizeof u, "https://127.0.0.1:%d/", port);
	struct http_req_opts wrong = {.url = u, .ca_file = other.ca, .timeout_ms = 10000};
	fx->total_calls = 0;
	http_request(fx->loop, &wrong, on_result, &fx->r[2]);
	bool ok3 = nt_run(fx->loop, 10000);
	nt_kill(pid);
	nt_tls_clean(&other);
	assert_true(ok3);
	assert_int_equal(fx->r[2].kind, HTTP_E_TLS);
	print_message("# wrong host: %s\n", fx->r[2].error);
	assert_non_null(strstr(fx->r[2].error, "TLS certificate verification failed: "));
	assert_non_null(strstr(fx->r[2].error, "127.0.0.1"));

	assert_int_equal(fx->r[0].kind, HTTP_E_TLS);
	assert_int_equal(fx->r[0].status, 0);
	assert_non_null(strstr(fx->r[0].error, "TLS certificate verification failed: "));
	assert_non_null(strstr(fx->r[0].error, "unable to get local issuer certificate"));
	assert_string_equal(fx->r[1].error, "");
	assert_int_equal(fx->r[1].status, 200);
	assert_true(ok);
	assert_int_equal(f2.r[0].status, 200);
	free(f2.r[0].body);
}

/* Freeing the loop with a request in flight (sent, never answered) calls
 * nothing and leaks nothing. */
static void free_loop_in_flight(void **state)
{
	struct fx *fx = *state;
	int port, fd = tcp_socket(&port, true); /* accepts in the kernel, never answers */
	char u[128];
	snprintf(u, sizeof u, "http://127.0.0.1:%d/", port);
	struct http_req_opts o = {.url = u};
	struct kt_loop *l2 = kt_loop_new(NULL, NULL);
	assert_non_null(http_request(l2, &o, on_result, &fx->r[0]));
	assert_non_null(http_request(l2, &o, on_result, &fx->r[1]));
	assert_false(nt_run(l2, 200)); /* the watchdog ends this run: nothing answers */
	kt_loop_free(l2);
	close(fd);
	assert_int_equal(fx->r[0].calls, 0);
	assert_int_equal(fx->r[1].calls, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test_setup_teardown(get_round_trip, setup, teardown),
	        cmocka_unit_test_setup_teardown(post_put_delete_bodies, setup, teardown),
	        cmocka_unit_test_setup_teardown(user_agent, setup, teardown),
	        cmocka_unit_test_setup_teardown(keep_alive_reuse, setup, teardown),
	        cmocka_unit_test_setup_teardown(status_not_error, setup, teardown),
	        cmocka_unit_test_setup_teardown(timeout_is_distinct, setup, teardown),
	        cmocka_unit_test_setup_teardown(cancel_no_callback, setup, teardown),
	        cmocka_unit_test_setup_teardown(connection_refused, setup, teardown),
	        cmocka_unit_test_setup_teardown(response_too_big, setup, teardown),
	        cmocka_unit_test_setup_teardown(bad_requests, setup, teardown),
	        cmocka_unit_test_setup_teardown(https_verification, setup, teardown),
	        cmocka_unit_test_setup_teardown(free_loop_in_flight, setup, teardown),
	};
	if (getenv("KT_TEST_FILTER")) /* run one case while debugging */
		cmocka_set_test_filter(getenv("KT_TEST_FILTER"));
	return kt_run_tests(tests);
}
