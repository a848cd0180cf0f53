/* http_server: HTTP/1.1 + WebSocket server on libuv (see http_server.h for the contract).
 *
 * Life of a connection: accepted -> reading; each read appends to `in` and runs
 * conn_process(), which parses as many requests (HTTP mode) or frames (WebSocket mode)
 * as are complete. Output is appended to `out`; the connection is put on the server's
 * "dirty" list, and the uv_prepare callback (run once per loop iteration, just before
 * the loop blocks) swaps `out` with the idle `wbuf` and writes it in one uv_write.
 * Ending: srv_conn_close() calls uv_close(); the memory is freed in the close callback, so a
 * connection stays valid until the loop comes round, whatever a callback does to it. */
#include "net/http_server.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "base/log.h"
#include "base/sbuf.h"
#include "base/xalloc.h"
#include "net/http_server_int.h"
#include "net/ws_frame.h"

static void conn_process(struct http_conn *c);
static void conn_flush(struct http_conn *c);
static void on_prepare(uv_prepare_t *p);
static void on_linger(uv_timer_t *t);
static void on_alloc(uv_handle_t *h, size_t suggested, uv_buf_t *buf);
static void on_read(uv_stream_t *s, ssize_t nread, const uv_buf_t *buf);
static void update_reading(struct http_conn *c);

/* ---- bookkeeping ---- */

static void srv_handle_closed(struct http_server *srv)
{
	if (--srv->handles > 0)
		return;
	void (*done)(void *) = srv->done;
	void *arg = srv->done_arg;
	LOGD("http_server: stopped (port %d)", srv->port);
	free(srv);
	if (done)
		done(arg);
}

static void srv_handle_closed_cb(uv_handle_t *h)
{
	srv_handle_closed(h->data);
}

static void dirty_remove(struct http_conn *c)
{
	struct http_server *srv = c->srv;
	if (!c->dirty)
		return;
	if (c->dirty_prev)
		c->dirty_prev->dirty_next = c->dirty_next;
	else
		srv->dirty_head = c->dirty_next;
	if (c->dirty_next)
		c->dirty_next->dirty_prev = c->dirty_prev;
	else
		srv->dirty_tail = c->dirty_prev;
	c->dirty_prev = c->dirty_next = NULL;
	c->dirty = false;
}

/* Ask for a flush (and, with need_process, a parse) before the loop next blocks. */
void srv_mark_dirty(struct http_conn *c)
{
	struct http_server *srv = c->srv;
	if (c->dirty || c->closing)
		return;
	c->dirty = true;
	c->dirty_prev = srv->dirty_tail;
	c->dirty_next = NULL;
	if (srv->dirty_tail)
		srv->dirty_tail->dirty_next = c;
	else
		srv->dirty_head = c;
	srv->dirty_tail = c;
	if (!srv->stopping)
		uv_prepare_start(&srv->prepare, on_prepare);
}

size_t srv_conn_queued(const struct http_conn *c)
{
	return c->out.len + c->wbuf.len;
}

void srv_set_close(struct http_conn *c, int code, const char *reason)
{
	if (c->close_set)
		return;
	c->close_set = true;
	c->close_code = code;
	snprintf(c->close_reason, sizeof c->close_reason, "%s", reason ? reason : "");
}

void srv_start_linger(struct http_conn *c)
{
	struct http_server *srv = c->srv;
	if (c->linger_deadline || srv->stopping)
		return;
	c->linger_deadline = uv_now(srv->loop) + LINGER_MS;
	if (!uv_is_active((uv_handle_t *)&srv->linger))
		uv_timer_start(&srv->linger, on_linger, LINGER_TICK_MS, LINGER_TICK_MS);
}

static void req_free(struct srv_req *r)
{
	if (!r)
		return;
	free(r->headbuf);
	free(r->bodybuf);
	free(r);
}

/* ---- closing ---- */

static void on_conn_closed(uv_handle_t *h)
{
	struct http_conn *c = h->data;
	struct http_server *srv = c->srv;
	if (c->ws_open) {
		c->ws_open = false;
		LOGD("http_server: ws %s %s closed (%d %s)", c->peer, c->ws_path, c->close_code,
		     c->close_reason);
		if (srv->ops.on_ws_close)
			srv->ops.on_ws_close(srv->ctx, c, c->close_code, c->close_reason);
	}
	dirty_remove(c);
	if (c->prev)
		c->prev->next = c->next;
	else
		srv->conns = c->next;
	if (c->next)
		c->next->prev = c->prev;
	if (c->req) {
		if (c->req->kept)
			c->req->pub.conn = NULL; /* the owner still answers or drops it */
		else
			req_free(c->req);
	}
	req_free(c->parsing);
	sbuf_free(&c->in);
	sbuf_free(&c->out);
	sbuf_free(&c->wbuf);
	ws_asm_free(&c->wsa);
	free(c->ws_path);
	free(c);
	srv_handle_closed(srv);
}

void srv_conn_close(struct http_conn *c)
{
	if (c->closing)
		return;
	if (c->ws_open)
		srv_set_close(c, WS_CLOSE_ABNORMAL, "");
	c->closing = true;
	dirty_remove(c);
	uv_close((uv_handle_t *)&c->tcp, on_conn_closed);
}

static void on_linger(uv_timer_t *t)
{
	struct http_server *srv = t->data;
	uint64_t now = uv_now(srv->loop);
	bool any = false;
	for (struct http_conn *c = srv->conns; c; c = c->next) {
		if (c->closing || !c->linger_deadline)
			continue;
		if (now >= c->linger_deadline) {
			LOGD("http_server: %s did not finish closing; cut", c->peer);
			srv_conn_close(c);
		} else {
			any = true;
		}
	}
	if (!any)
		uv_timer_stop(t);
}

static void on_shutdown(uv_shutdown_t *req, int status)
{
	struct http_conn *c = req->data;
	if (c->closing)
		return;
	if (status < 0 || c->peer_eof)
		srv_conn_close(c);
}

/* Everything queued is written: carry out the pending close, if any. */
static void conn_flushed(struct http_conn *c)
{
	if (c->after == AF_CLOSE) {
		srv_conn_close(c);
	} else if (c->after == AF_SHUTDOWN && !c->shutdown_sent) {
		c->shutdown_sent = true;
		c->sreq.data = c;
		if (c->peer_eof || uv_shutdown(&c->sreq, (uv_stream_t *)&c->tcp, on_shutdown) < 0)
			srv_conn_close(c);
	}
}

/* ---- writing ---- */

static void on_write(uv_write_t *req, int status)
{
	struct http_conn *c = req->data;
	c->writing = false;
	if (c->wbuf.cap > 4u * 1024 * 1024)
		sbuf_free(&c->wbuf); /* give back the memory of a burst */
	else
		sbuf_reset(&c->wbuf);
	if (c->closing)
		return;
	if (status < 0) {
		LOGD("http_server: write to %s failed: %s", c->peer, uv_strerror(status));
		srv_conn_close(c);
		return;
	}
	if (!c->ws && !c->req && c->in.len > c->in_off)
		c->need_process = true; /* processing may have paused on a full output queue */
	if (c->need_process)
		srv_mark_dirty(c);
	conn_flush(c);
	update_reading(c); /* reading may have paused on a full output queue */
}

/* Write everything queued since the last write, in one uv_write. */
static void conn_flush(struct http_conn *c)
{
	if (c->writing || c->closing)
		return;
	if (c->out.len == 0) {
		conn_flushed(c);
		return;
	}
	struct sbuf t = c->wbuf;
	c->wbuf = c->out;
	c->out = t;
	sbuf_reset(&c->out);
	uv_buf_t b = uv_buf_init(c->wbuf.p, (unsigned int)c->wbuf.len);
	c->wreq.data = c;
	int rc = uv_write(&c->wreq, (uv_stream_t *)&c->tcp, &b, 1, on_write);
	if (rc < 0) {
		LOGD("http_server: write to %s failed: %s", c->peer, uv_strerror(rc));
		sbuf_reset(&c->wbuf);
		srv_conn_close(c);
		return;
	}
	c->writing = true;
}

static void on_prepare(uv_prepare_t *p)
{
	struct http_server *srv = p->data;
	struct http_conn *c;
	while ((c = srv->dirty_head) != NULL) {
		dirty_remove(c);
		if (c->need_process) {
			c->need_process = false;
			conn_process(c);
		}
		conn_flush(c);
	}
	uv_prepare_stop(p);
}

/* ---- reading ---- */

static void update_reading(struct http_conn *c)
{
	if (c->closing || c->peer_eof)
		return;
	bool want = srv_conn_queued(c) <= OUT_HIGH || c->draining;
	if (!c->ws && c->req && c->in.len - c->in_off > PIPELINE_MAX)
		want = false;
	if (want == c->reading)
		return;
	c->reading = want;
	if (want)
		uv_read_start((uv_stream_t *)&c->tcp, on_alloc, on_read);
	else
		uv_read_stop((uv_stream_t *)&c->tcp);
}

static void on_alloc(uv_handle_t *h, size_t suggested, uv_buf_t *buf)
{
	struct http_conn *c = h->data;
	if (c->draining) {
		sbuf_reset(&c->in);
		c->in_off = 0;
	}
	sbuf_reserve(&c->in, 65536);
	buf->base = c->in.p + c->in.len;
	buf->len = c->in.cap - c->in.len - 1; /* keep room for the NUL */
}

static void on_read(uv_stream_t *s, ssize_t nread, const uv_buf_t *buf)
{
	struct http_conn *c = s->data;
	if (nread == 0 || c->closing)
		return;
	if (nread < 0) {
		c->peer_eof = true;
		c->reading = false;
		if (nread != UV_EOF || c->shutdown_sent) {
			if (nread != UV_EOF)
				LOGD("http_server: read from %s: %s", c->peer,
				     uv_strerror((int)nread));
			srv_conn_close(c);
			return;
		}
		/* An HTTP client may half-close after its last request: still answer it. A
		 * WebSocket that is closing still gets its close frame. Then close. */
		if (!c->ws) {
			c->need_process = true;
			srv_mark_dirty(c);
		} else if (c->after != AF_NONE) {
			srv_mark_dirty(c);
		} else {
			srv_conn_close(c);
		}
		return;
	}
	if (c->draining)
		return;
	c->in.len += (size_t)nread;
	c->in.p[c->in.len] = '\0';
	conn_process(c);
}

/* ---- HTTP ---- */

/* Queue a complete response on c. */
static void put_response(struct http_conn *c, int status, const char *ctype, const char *body,
                         size_t len, const char *extra, bool keep_alive, int minor, bool head_only)
{
	if (status < 100 || status > 999)
		status = 500;
	http_response_head(&c->out, status, ctype, len, extra, keep_alive, minor);
	if (!head_only && len)
		sbuf_add(&c->out, body, len);
	srv_mark_dirty(c);
}

/* Answer a request we refuse (bad syntax, limits) and close once it is written. */
static void http_error(struct http_conn *c, int status, const char *extra)
{
	char body[64];
	int n = snprintf(body, sizeof body, "%d %s\n", status, http_reason(status));
	LOGD("http_server: %s: %d %s", c->peer, status, http_reason(status));
	req_free(c->parsing);
	c->parsing = NULL;
	put_response(c, status, "text/plain", body, (size_t)n, extra, false, 1, false);
	c->after = AF_SHUTDOWN;
	c->draining = true;
	srv_start_linger(c);
}

/* Parse the head at buf into a new request; on failure answer with an error. */
static struct srv_req *http_read_head(struct http_conn *c, const char *buf, size_t hl)
{
	struct srv_req *r = xcalloc(1, sizeof *r);
	r->headbuf = xstrndup(buf, hl);
	int status;
	if (http_parse_head(r->headbuf, hl, &r->head, &status) < 0) {
		req_free(r);
		http_error(c, status, NULL);
		return NULL;
	}
	struct http_head *h = &r->head;
	r->pub.method = h->method;
	r->pub.path = h->path;
	r->pub.query = h->query;
	r->pub.minor = h->minor;
	r->pub.headers = h->headers;
	r->pub.nheaders = h->nheaders;
	r->pub.body = "";
	r->head_only = strcmp(h->method, "HEAD") == 0;
	if (http_head_framing(h, HTTP_MAX_BODY, &c->body_len, &r->keep_alive, &status) < 0) {
		req_free(r);
		http_error(c, status, NULL);
		return NULL;
	}
	c->head_len = hl;
	return r;
}

/* Validate and answer an upgrade request; returns 1 to go on (now in WebSocket mode). */
static int http_upgrade(struct http_conn *c, struct srv_req *r)
{
	struct http_server *srv = c->srv;
	const struct http_head *h = &r->head;
	size_t mark = c->out.len;
	int status;
	if (ws_handshake_accept(h, r->pub.body_len, &c->out, &status) < 0) {
		req_free(r);
		http_error(c, status, status == 426 ? "Sec-WebSocket-Version: 13\r\n" : NULL);
		return 0;
	}
	/* Upgraded before the callback, so that it may already send (after the 101). */
	c->ws = true;
	c->ws_open = true;
	c->ws_path = xstrdup(h->path);
	ws_asm_init(&c->wsa, WS_MAX_MESSAGE);
	r->pub.conn = c;
	int rc = srv->ops.on_ws_upgrade ? srv->ops.on_ws_upgrade(srv->ctx, c, h->path, &r->pub)
	                                : 404;
	req_free(r);
	if (c->closing) {
		c->ws_open = c->ws_open && rc == 0;
		return 0;
	}
	if (rc != 0) {
		c->out.len = mark;
		c->out.p[mark] = '\0';
		c->ws = c->ws_open = c->ws_close_sent = c->close_set = false;
		c->after = AF_NONE;
		c->linger_deadline = 0;
		free(c->ws_path);
		c->ws_path = NULL;
		http_error(c, rc >= 400 && rc <= 599 ? rc : 403, NULL);
		return 0;
	}
	LOGD("http_server: ws %s upgraded on %s", c->peer, c->ws_path);
	srv_mark_dirty(c);
	return 1;
}

/* Handle at most one request from the input; returns 1 to go on, 0 to wait. */
static int http_step(struct http_conn *c)
{
	struct http_server *srv = c->srv;
	if (c->req || c->after != AF_NONE || srv_conn_queued(c) > OUT_HIGH)
		return 0;
	if (!c->parsing) {
		/* Blank lines before a request are allowed (RFC 9112 §2.2). */
		while (c->in_off < c->in.len &&
		       (c->in.p[c->in_off] == '\r' || c->in.p[c->in_off] == '\n'))
			c->in_off++;
		size_t avail = c->in.len - c->in_off;
		if (avail == 0)
			return 0; /* (before c->in.p is used: it is NULL when nothing came) */
		const char *buf = c->in.p + c->in_off;
		ssize_t hl = http_head_length(buf, avail, HTTP_MAX_HEAD);
		if (hl < 0) {
			http_error(c, 431, NULL);
			return 0;
		}
		if (hl == 0)
			return 0;
		c->parsing = http_read_head(c, buf, (size_t)hl);
		if (!c->parsing)
			return 0;
		const char *expect = http_head_get(&c->parsing->head, "Expect");
		if (expect && strcasecmp(expect, "100-continue") == 0 && c->body_len &&
		    avail < c->head_len + c->body_len && c->parsing->head.minor >= 1) {
			sbuf_adds(&c->out, "HTTP/1.1 100 Continue\r\n\r\n");
			srv_mark_dirty(c);
		}
	}
	if (c->in.len - c->in_off < c->head_len + c->body_len)
		return 0;
	struct srv_req *r = c->parsing;
	c->parsing = NULL;
	/* Bodies may hold NUL bytes: copy by length, then terminate for convenience. */
	r->bodybuf = xmalloc(c->body_len + 1);
	memcpy(r->bodybuf, c->in.p + c->in_off + c->head_len, c->body_len);
	r->bodybuf[c->body_len] = '\0';
	r->pub.body = r->bodybuf;
	r->pub.body_len = c->body_len;
	c->in_off += c->head_len + c->body_len;
	if (ws_handshake_is_upgrade(&r->head))
		return http_upgrade(c, r);

	LOGD("http_server: %s %s %s%s%s (%zu bytes)", c->peer, r->pub.method, r->pub.path,
	     *r->pub.query ? "?" : "", r->pub.query, r->pub.body_len);
	c->req = r;
	r->pub.conn = c;
	if (srv->ops.on_request)
		srv->ops.on_request(srv->ctx, &r->pub);
	else
		http_reply(&r->pub, 404, NULL, "404 Not Found\n", 14, NULL);
	if (c->req == r && !r->kept) {
		LOGD("http_server: request %s %s was not answered", r->pub.method, r->pub.path);
		http_reply(&r->pub, 500, NULL, "request not answered\n", 21, NULL);
	}
	return !c->closing;
}

/* Parse and dispatch everything complete in the input buffer. */
static void conn_process(struct http_conn *c)
{
	if (c->processing || c->closing)
		return;
	c->processing = true;
	while (!c->closing && (c->ws ? srv_ws_step(c) : http_step(c)) > 0)
		;
	if (!c->closing) {
		sbuf_consume(&c->in, c->in_off);
		c->in_off = 0;
		if (c->in.len == 0 && c->in.cap > 1024 * 1024)
			sbuf_free(&c->in);
		/* Half-closed HTTP client: close once its last request is answered. */
		if (!c->ws && c->peer_eof && !c->req && c->after == AF_NONE) {
			c->after = AF_CLOSE;
			srv_mark_dirty(c);
		}
		update_reading(c);
	}
	c->processing = false;
}

/* ---- accepting ---- */

static int sockaddr_port(const struct sockaddr_storage *ss)
{
	return ntohs(ss->ss_family == AF_INET6 ? ((const struct sockaddr_in6 *)ss)->sin6_port
	                                       : ((const struct sockaddr_in *)ss)->sin_port);
}

static void on_connection(uv_stream_t *ls, int status)
{
	struct http_server *srv = ls->data;
	if (status < 0 || srv->stopping) {
		LOGD("http_server: accept: %s", uv_strerror(status));
		return;
	}
	struct http_conn *c = xcalloc(1, sizeof *c);
	c->srv = srv;
	uv_tcp_init(srv->loop, &c->tcp);
	c->tcp.data = c;
	srv->handles++;
	c->next = srv->conns;
	if (srv->conns)
		srv->conns->prev = c;
	srv->conns = c;
	snprintf(c->peer, sizeof c->peer, "?");
	if (uv_accept(ls, (uv_stream_t *)&c->tcp) < 0) {
		srv_conn_close(c);
		return;
	}
	uv_tcp_nodelay(&c->tcp, 1);
	struct sockaddr_storage ss;
	int sl = sizeof ss;
	char ip[INET6_ADDRSTRLEN];
	if (uv_tcp_getpeername(&c->tcp, (struct sockaddr *)&ss, &sl) == 0 &&
	    uv_ip_name((struct sockaddr *)&ss, ip, sizeof ip) == 0)
		snprintf(c->peer, sizeof c->peer, "%s:%d", ip, sockaddr_port(&ss));
	if (uv_read_start((uv_stream_t *)&c->tcp, on_alloc, on_read) < 0) {
		srv_conn_close(c);
		return;
	}
	c->reading = true;
	LOGD("http_server: connection from %s", c->peer);
}

/* Bind and listen with plain sockets first: a failure then leaves no libuv handle that
 * would need the loop to run before its memory could be freed. */
static int listen_socket(const char *host, int port, struct kerr *err)
{
	struct sockaddr_storage ss;
	if (port < 0 || port > 65535) {
		kerr_set(err, EINVAL, "port %d is out of range", port);
		return -1;
	}
	bool v6 = strchr(host, ':') != NULL;
	socklen_t sl = v6 ? sizeof(struct sockaddr_in6) : sizeof(struct sockaddr_in);
	if ((v6 ? uv_ip6_addr(host, port, (struct sockaddr_in6 *)&ss)
	        : uv_ip4_addr(host, port, (struct sockaddr_in *)&ss)) != 0) {
		kerr_set(err, EINVAL,
		         "'%s' is not an IP address (the server listens on a numeric "
		         "address such as 127.0.0.1)",
		         host);
		return -1;
	}
	int fd = socket(ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		kerr_set(err, errno, "socket: %s", strerror(errno));
		return -1;
	}
	int one = 1;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	if (bind(fd, (struct sockaddr *)&ss, sl) < 0 || listen(fd, 128) < 0) {
		int e = errno;
		close(fd);
		kerr_set(err, e, "cannot listen on %s port %d: %s", host, port, strerror(e));
		return -1;
	}
	return fd;
}

struct http_server *http_server_start(uv_loop_t *loop, const char *host, int port,
                                      const struct http_server_ops *ops, void *ctx,
                                      struct kerr *err)
{
	if (!host || !*host || strcmp(host, "localhost") == 0)
		host = "127.0.0.1";
	int fd = listen_socket(host, port, err);
	if (fd < 0)
		return NULL;
	struct sockaddr_storage ss;
	socklen_t sl = sizeof ss;
	getsockname(fd, (struct sockaddr *)&ss, &sl);
	struct http_server *srv = xcalloc(1, sizeof *srv);
	srv->loop = loop;
	srv->ops = *ops;
	srv->ctx = ctx;
	srv->port = sockaddr_port(&ss);
	uv_tcp_init(loop, &srv->listener);
	uv_prepare_init(loop, &srv->prepare);
	uv_timer_init(loop, &srv->linger);
	srv->listener.data = srv->prepare.data = srv->linger.data = srv;
	srv->handles = 3;
	int rc = uv_tcp_open(&srv->listener, fd);
	if (rc < 0)
		close(fd);
	else
		rc = uv_listen((uv_stream_t *)&srv->listener, 128, on_connection);
	if (rc < 0) {
		/* Unusual (fd table trouble); the handles are freed once the loop runs. */
		kerr_set(err, -rc, "cannot listen on port %d: %s", srv->port, uv_strerror(rc));
		http_server_stop(srv, NULL, NULL);
		return NULL;
	}
	LOGD("http_server: listening on %s port %d", host, srv->port);
	return srv;
}

int http_server_port(const struct http_server *srv)
{
	return srv->port;
}

void http_server_stop(struct http_server *srv, void (*done)(void *arg), void *arg)
{
	if (srv->stopping)
		return;
	srv->stopping = true;
	srv->done = done;
	srv->done_arg = arg;
	uv_close((uv_handle_t *)&srv->listener, srv_handle_closed_cb);
	uv_close((uv_handle_t *)&srv->prepare, srv_handle_closed_cb);
	uv_close((uv_handle_t *)&srv->linger, srv_handle_closed_cb);
	for (struct http_conn *c = srv->conns; c; c = c->next) {
		if (c->ws_open)
			srv_set_close(c, WS_CLOSE_GOING_AWAY, "server stopping");
		srv_conn_close(c);
	}
}

/* ---- requests ---- */

const char *http_request_header(const struct http_request *req, const char *name)
{
	for (size_t i = 0; i < req->nheaders; i++)
		if (strcasecmp(req->headers[i].name, name) == 0)
			return req->headers[i].value;
	return NULL;
}

struct http_request *http_request_keep(struct http_request *req)
{
	((struct srv_req *)req)->kept = true;
	return req;
}

void http_reply(struct http_request *req, int status, const char *content_type, const char *body,
                size_t len, const char *extra_headers)
{
	struct srv_req *r = (struct srv_req *)req;
	struct http_conn *c = req->conn;
	if (c && c->req == r && !c->closing) {
		c->req = NULL;
		put_response(c, status, content_type, body, len, extra_headers, r->keep_alive,
		             r->pub.minor, r->head_only);
		if (!r->keep_alive) {
			c->after = AF_SHUTDOWN;
			c->draining = true;
			srv_start_linger(c);
		} else {
			c->need_process = true; /* pipelined requests may be waiting */
		}
	}
	if (c && c->req == r)
		c->req = NULL;
	req_free(r);
}

void http_request_drop(struct http_request *req)
{
	struct srv_req *r = (struct srv_req *)req;
	struct http_conn *c = req->conn;
	if (c && c->req == r) {
		c->req = NULL;
		LOGD("http_server: %s: request dropped without a reply", c->peer);
		srv_conn_close(c);
	}
	req_free(r);
}

