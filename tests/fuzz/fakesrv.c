/* fakesrv: an in-memory stand-in for net/http_server.c (see fakesrv.h). */
#include "tests/fuzz/fakesrv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/jscan.h"
#include "base/xalloc.h"
#include "net/ws_frame.h"

struct fake_req {
	struct http_request pub; /* first: the adapters see only this */
	struct http_header *hdr;
	char *strings; /* method, path, query, header names and values, body */
	int replies;
	bool kept, dropped;
};

struct http_conn {
	char path[32];
	void *data;
	bool closed;
	size_t sent;
};

static int last_status;
static int verbose = -1; /* $KT_FUZZ_VERBOSE: print what the adapters send (writing seeds) */

static void show(const char *what, const char *s, size_t n)
{
	if (verbose < 0)
		verbose = getenv("KT_FUZZ_VERBOSE") != NULL;
	if (verbose)
		fprintf(stderr, "%s %.*s\n", what, (int)(n > 400 ? 400 : n), s);
}

/* Abort unless s[0..n) is one JSON document (what every reply must be). */
static void must_be_json(const char *s, size_t n)
{
	static struct jdoc d; /* reused: allocation-free after warm-up */
	if (!d.t)
		jdoc_init(&d);
	struct kerr err = KERR_INIT;
	if (jdoc_parse(&d, s, n, &err) != 0)
		abort();
}

static char *put(char **at, const char *s, size_t n)
{
	char *r = *at;
	memcpy(r, s, n);
	r[n] = '\0';
	*at += n + 1;
	return r;
}

struct http_request *fakesrv_request(const struct http_head *h, const char *body, size_t len)
{
	size_t need = len + 1 + strlen(h->method) + strlen(h->path) + strlen(h->query) + 3;
	for (size_t i = 0; i < h->nheaders; i++)
		need += strlen(h->headers[i].name) + strlen(h->headers[i].value) + 2;
	struct fake_req *r = xcalloc(1, sizeof *r);
	char *at = r->strings = xmalloc(need);
	r->hdr = xcalloc(h->nheaders ? h->nheaders : 1, sizeof *r->hdr);
	r->pub.method = put(&at, h->method, strlen(h->method));
	r->pub.path = put(&at, h->path, strlen(h->path));
	r->pub.query = put(&at, h->query, strlen(h->query));
	for (size_t i = 0; i < h->nheaders; i++) {
		r->hdr[i].name = put(&at, h->headers[i].name, strlen(h->headers[i].name));
		r->hdr[i].value = put(&at, h->headers[i].value, strlen(h->headers[i].value));
	}
	r->pub.body = put(&at, body, len);
	r->pub.body_len = len;
	r->pub.minor = h->minor;
	r->pub.headers = r->hdr;
	r->pub.nheaders = h->nheaders;
	return &r->pub;
}

void fakesrv_finish(struct http_request *req)
{
	struct fake_req *r = (struct fake_req *)req;
	if (r->replies > 1 || (r->replies == 0 && !r->kept && !r->dropped))
		abort(); /* the adapter contract: exactly one reply */
	free(r->hdr);
	free(r->strings);
	free(r);
}

int fakesrv_last_status(void)
{
	return last_status;
}

/* ---- net/http_server.h ---- */

const char *http_request_header(const struct http_request *req, const char *name)
{
	for (size_t i = 0; i < req->nheaders; i++)
		if (strcasecmp(req->headers[i].name, name) == 0)
			return req->headers[i].value;
	return NULL;
}

struct http_server *http_server_start(uv_loop_t *loop, const char *host, int port,
                                      const struct http_server_ops *ops, void *ctx,
                                      struct kerr *err)
{
	(void)loop, (void)host, (void)port, (void)ops, (void)ctx;
	kerr_set(err, 1, "fakesrv: no sockets in the fuzz harness");
	return NULL;
}

int http_server_port(const struct http_server *srv)
{
	(void)srv;
	return -1;
}

void http_server_stop(struct http_server *srv, void (*done)(void *arg), void *arg)
{
	(void)srv;
	if (done)
		done(arg);
}

struct http_request *http_request_keep(struct http_request *req)
{
	((struct fake_req *)req)->kept = true;
	return req;
}

void http_reply(struct http_request *req, int status, const char *content_type, const char *body,
                size_t len, const char *extra_headers)
{
	struct fake_req *r = (struct fake_req *)req;
	(void)extra_headers;
	r->replies++;
	last_status = status;
	char what[32];
	snprintf(what, sizeof what, "reply %d:", status);
	show(what, body, len);
	if (status < 100 || status > 599)
		abort();
	if (content_type && strstr(content_type, "json"))
		must_be_json(body, len);
}

void http_request_drop(struct http_request *req)
{
	((struct fake_req *)req)->dropped = true;
}

static int send_msg(struct http_conn *c, const char *data, size_t len, bool text)
{
	if (c->closed)
		return -1;
	show(c->path, data, text ? len : 0);
	if (text) {
		if (!ws_utf8_valid(data, len))
			abort();
		must_be_json(data, len);
	}
	c->sent++;
	return 0;
}

int ws_conn_send(struct http_conn *c, const char *data, size_t len)
{
	return send_msg(c, data, len, true);
}

int ws_conn_send_binary(struct http_conn *c, const void *data, size_t len)
{
	return send_msg(c, data, len, false);
}

int ws_conn_ping(struct http_conn *c, const void *data, size_t len)
{
	(void)data;
	return c->closed || len > WS_CONTROL_MAX ? -1 : 0;
}

void ws_conn_close(struct http_conn *c, int code, const char *reason)
{
	(void)code, (void)reason;
	c->closed = true;
}

void ws_conn_drop(struct http_conn *c)
{
	c->closed = true;
}

size_t ws_conn_queued(const struct http_conn *c)
{
	(void)c;
	return 0;
}

void ws_conn_set_data(struct http_conn *c, void *data)
{
	c->data = data;
}

void *ws_conn_data(const struct http_conn *c)
{
	return c->data;
}

const char *ws_conn_path(const struct http_conn *c)
{
	return c->path;
}

const char *http_conn_peer(const struct http_conn *c)
{
	(void)c;
	return "127.0.0.1:1";
}

/* ---- connections ---- */

struct http_conn *fakesrv_conn_new(const char *path)
{
	struct http_conn *c = xcalloc(1, sizeof *c);
	snprintf(c->path, sizeof c->path, "%s", path);
	return c;
}

void fakesrv_conn_free(struct http_conn *c)
{
	free(c);
}

bool fakesrv_conn_closed(const struct http_conn *c)
{
	return c->closed;
}

size_t fakesrv_conn_sent(const struct http_conn *c)
{
	return c->sent;
}
