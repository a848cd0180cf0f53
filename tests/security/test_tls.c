/* test_tls: certificate verification of krakterm's two TLS clients — the HTTP
 * client (curl) and the WebSocket client (libwebsockets) — against local TLS
 * peers made by the test (tests/security/mkcerts.sh: a test CA, a valid, an
 * expired and a wrong-host certificate, and an unrelated CA). No internet.
 *
 * Proves, for HTTPS (openssl s_server) and for wss (socat as the TLS front of
 * our own WebSocket echo server in the same loop):
 *   - a certificate that chains to the configured CA and names the host is
 *     accepted (the request / the echo goes through);
 *   - a certificate from an unknown CA, an expired certificate and a certificate
 *     for another host name are each refused before any application byte is
 *     exchanged, with a message that says so ("TLS certificate verification
 *     failed: unable to get local issuer certificate" / "...certificate has
 *     expired" / a host-name mismatch);
 *   - the configuration schema has no setting that could turn verification off
 *     (ca_file, which ADDS a trust anchor, is the only TLS setting). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/cfg.h"
#include "net/http_client.h"
#include "net/http_server.h"
#include "net/loop.h"
#include "net/ws_client.h"
#include "tests/fixtures/net/nettest.h"
#include "tests/unit/unit.h"

static char certs[512]; /* mkcerts.sh output, made once */

static const char *cert(const char *name)
{
	static char buf[4][700];
	static int i;
	i = (i + 1) % 4;
	snprintf(buf[i], sizeof buf[i], "%s/%s", certs, name);
	return buf[i];
}

/* Make the certificates once (the first test that needs them). */
static void need_certs(void)
{
	if (certs[0])
		return;
	const char *tmp = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
	snprintf(certs, sizeof certs, "%s/kt-sectls-XXXXXX", tmp);
	if (!mkdtemp(certs))
		fail_msg("cannot make a temporary directory");
	if (!nt_have("openssl") || !nt_have("socat"))
		fail_msg("the TLS tests need the openssl and socat programs");
	const char *src = getenv("KT_TOP_SRCDIR") ? getenv("KT_TOP_SRCDIR") : KT_SRCDIR;
	char cmd[2048];
	snprintf(cmd, sizeof cmd, "sh '%s/tests/security/mkcerts.sh' '%s'", src, certs);
	if (system(cmd) != 0)
		fail_msg("mkcerts.sh failed (see %s/mkcerts.log)", certs);
}

static void remove_certs(void)
{
	char cmd[600];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", certs);
	if (certs[0] && system(cmd) != 0)
		fprintf(stderr, "# cannot remove %s\n", certs);
}

/* ---- HTTPS ---- */

struct hres {
	struct kt_loop *loop;
	bool done;
	int status;
	enum http_err kind;
	char error[512];
};

static void on_http(void *arg, const struct http_result *r)
{
	struct hres *h = arg;
	h->done = true;
	h->status = r->status;
	h->kind = r->kind;
	snprintf(h->error, sizeof h->error, "%s", r->error ? r->error : "");
	kt_loop_stop(h->loop);
}

/* GET https://host:port/ from an `openssl s_server -www` serving cert_name, with
 * ca_name as the extra trust anchor (in the loop options, as a profile's ca_file). */
static void https_get(const char *cert_name, const char *ca_name, const char *host, struct hres *h)
{
	need_certs();
	int port;
	const char *const argv[] = {
	        "openssl",       "s_server", "-accept",        "127.0.0.1:0", "-cert",
	        cert(cert_name), "-key",     cert("good.key"), "-www",        NULL};
	pid_t pid = nt_spawn_port(argv, "ACCEPT 127.0.0.1:", &port);
	assert_true(pid > 0);
	struct kt_loop_opts lo = {.ca_file = cert(ca_name)};
	struct kt_loop *loop = kt_loop_new(&lo, NULL);
	assert_non_null(loop);
	memset(h, 0, sizeof *h);
	h->loop = loop;
	char u[160];
	snprintf(u, sizeof u, "https://%s:%d/", host, port);
	struct http_req_opts o = {.url = u, .timeout_ms = 10000};
	http_request(loop, &o, on_http, h);
	bool ok = nt_run(loop, 15000);
	kt_loop_free(loop);
	nt_kill(pid);
	assert_true(ok);
	assert_true(h->done);
	print_message("# https %s (trusting %s): status %d, error \"%s\"\n", cert_name, ca_name,
	              h->status, h->error);
}

static void https_valid_accepted(void **state)
{
	struct hres h;
	https_get("good.pem", "ca.pem", "localhost", &h);
	assert_int_equal(h.kind, HTTP_OK);
	assert_int_equal(h.status, 200);
	https_get("good.pem", "ca.pem", "127.0.0.1", &h); /* the IP SAN */
	assert_int_equal(h.status, 200);
}

static void https_unknown_ca_refused(void **state)
{
	struct hres h;
	https_get("good.pem", "other-ca.pem", "localhost", &h);
	assert_int_equal(h.kind, HTTP_E_TLS);
	assert_int_equal(h.status, 0);
	assert_non_null(strstr(h.error, "TLS certificate verification failed: "
	                                "unable to get local issuer certificate"));
}

static void https_expired_refused(void **state)
{
	struct hres h;
	https_get("expired.pem", "ca.pem", "localhost", &h);
	assert_int_equal(h.kind, HTTP_E_TLS);
	assert_int_equal(h.status, 0);
	assert_non_null(strstr(h.error, "TLS certificate verification failed: "));
	assert_non_null(strstr(h.error, "expired"));
}

static void https_wrong_host_refused(void **state)
{
	struct hres h;
	https_get("wronghost.pem", "ca.pem", "localhost", &h);
	assert_int_equal(h.kind, HTTP_E_TLS);
	assert_int_equal(h.status, 0);
	assert_non_null(strstr(h.error, "TLS certificate verification failed: "));
	assert_non_null(strstr(h.error, "localhost")); /* names the host it expected */
}

/* ---- wss ---- */

struct wres {
	struct kt_loop *loop;
	struct ws_client *c;
	int opens, msgs, closes, code;
	char reason[512];
	char last[64];
};

static int srv_upgrade(void *ctx, struct http_conn *conn, const char *path,
                       const struct http_request *req)
{
	return 0;
}

static void srv_request(void *ctx, struct http_request *req)
{
	http_reply(req, 404, NULL, "no", 2, NULL);
}

static void srv_message(void *ctx, struct http_conn *conn, const char *data, size_t len,
                        bool binary)
{
	ws_conn_send(conn, data, len); /* echo */
}

static void srv_close(void *ctx, struct http_conn *conn, int code, const char *reason) {}

static const struct http_server_ops echo_ops = {
        .on_request = srv_request,
        .on_ws_upgrade = srv_upgrade,
        .on_ws_message = srv_message,
        .on_ws_close = srv_close,
};

static void cl_open(void *arg)
{
	struct wres *w = arg;
	w->opens++;
	ws_client_send(w->c, "secret-free hello", 17);
}

static void cl_message(void *arg, const char *data, size_t len)
{
	struct wres *w = arg;
	w->msgs++;
	snprintf(w->last, sizeof w->last, "%.*s", (int)len, data);
	ws_client_close(w->c, 1000, "done");
}

static void cl_close(void *arg, int code, const char *reason)
{
	struct wres *w = arg;
	w->closes++;
	w->code = code;
	w->c = NULL;
	snprintf(w->reason, sizeof w->reason, "%s", reason);
	kt_loop_stop(w->loop);
}

static void srv_stopped(void *arg)
{
	kt_loop_stop(arg);
}

/* wss://localhost:P/echo through socat (serving cert_name) to an echo server on
 * this loop, trusting ca_name. */
static void wss_echo(const char *cert_name, const char *ca_name, struct wres *w)
{
	need_certs();
	struct kt_loop_opts lo = {.ca_file = cert(ca_name), .timeout_secs = nt_tls_timeout_secs()};
	struct kt_loop *loop = kt_loop_new(&lo, NULL);
	assert_non_null(loop);
	struct http_server *srv =
	        http_server_start(kt_loop_uv(loop), "127.0.0.1", 0, &echo_ops, NULL, NULL);
	assert_non_null(srv);
	char listen[1600], target[64];
	snprintf(listen, sizeof listen,
	         "OPENSSL-LISTEN:0,bind=127.0.0.1,reuseaddr,fork,verify=0,cert=%s,key=%s",
	         cert(cert_name), cert("good.key"));
	snprintf(target, sizeof target, "TCP:127.0.0.1:%d", http_server_port(srv));
	const char *const argv[] = {"socat", "-d", "-d", listen, target, NULL};
	int port;
	pid_t pid = nt_spawn_port(argv, "listening on AF=2 127.0.0.1:", &port);
	assert_true(pid > 0);
	memset(w, 0, sizeof *w);
	w->loop = loop;
	char u[128];
	snprintf(u, sizeof u, "wss://localhost:%d/echo", port);
	struct ws_client_ops ops = {
	        .on_open = cl_open, .on_message = cl_message, .on_close = cl_close};
	w->c = ws_client_connect(loop, u, &ops, w, NULL);
	assert_non_null(w->c);
	bool ok = nt_run(loop, 20000);
	if (w->c)
		ws_client_free(w->c);
	http_server_stop(srv, srv_stopped, loop);
	nt_run(loop, 5000);
	kt_loop_free(loop);
	nt_kill(pid);
	assert_true(ok);
	print_message("# wss %s (trusting %s): opens %d, close %d \"%s\"\n", cert_name, ca_name,
	              w->opens, w->code, w->reason);
}

static void wss_valid_accepted(void **state)
{
	struct wres w;
	wss_echo("good.pem", "ca.pem", &w);
	assert_int_equal(w.opens, 1);
	assert_string_equal(w.last, "secret-free hello");
	assert_int_equal(w.code, 1000);
}

static void wss_refused(const char *cert_name, const char *ca_name, const char *why)
{
	struct wres w;
	wss_echo(cert_name, ca_name, &w);
	assert_int_equal(w.opens, 0);
	assert_int_equal(w.msgs, 0);
	assert_int_equal(w.closes, 1);
	assert_int_equal(w.code, WS_CLIENT_ABNORMAL);
	assert_non_null(strstr(w.reason, "TLS certificate verification failed: "));
	assert_non_null(strstr(w.reason, why));
}

static void wss_unknown_ca_refused(void **state)
{
	wss_refused("good.pem", "other-ca.pem", "unable to get local issuer certificate");
}

static void wss_expired_refused(void **state)
{
	wss_refused("expired.pem", "ca.pem", "expired");
}

static void wss_wrong_host_refused(void **state)
{
	wss_refused("wronghost.pem", "ca.pem", "mismatch");
}

/* Nothing in the schema turns verification off: the only TLS-related setting
 * is ca_file, which adds a trust anchor. */
static void schema_has_no_insecure_switch(void **state)
{
	static const char *const bad[] = {"insecure",    "verify", "ssl",   "tls",    "skip",
	                                  "self_signed", "cert",   "trust", "unsafe", NULL};
	size_t n;
	const struct cfg_setting *s = cfg_schema(&n);
	size_t ca_files = 0;
	for (size_t i = 0; i < n; i++) {
		const char *leaf =
		        strrchr(s[i].path, '.') ? strrchr(s[i].path, '.') + 1 : s[i].path;
		if (strcmp(leaf, "ca_file") == 0) {
			ca_files++;
			continue;
		}
		for (const char *const *b = bad; *b; b++)
			if (strstr(s[i].path, *b))
				fail_msg("config setting '%s' looks like a TLS switch", s[i].path);
	}
	assert_true(ca_files >= 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(https_valid_accepted),
	        cmocka_unit_test(https_unknown_ca_refused),
	        cmocka_unit_test(https_expired_refused),
	        cmocka_unit_test(https_wrong_host_refused),
	        cmocka_unit_test(wss_valid_accepted),
	        cmocka_unit_test(wss_unknown_ca_refused),
	        cmocka_unit_test(wss_expired_refused),
	        cmocka_unit_test(wss_wrong_host_refused),
	        cmocka_unit_test(schema_has_no_insecure_switch),
	};
	int rc = kt_run_tests(tests);
	remove_certs();
	return rc;
}
