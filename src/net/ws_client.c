/* ws_client: one libwebsockets client connection per struct ws_client.
 *
 * States: resolving (uv_getaddrinfo) -> connecting (lws) -> open -> closing
 * -> done. The lws wsi points back at us through its opaque user data; when
 * we let go of a wsi early we clear that pointer first, so callbacks for a
 * dying wsi find nothing and are ignored.
 *
 * Re-entrancy: user callbacks may free or close the client. `busy` counts
 * our frames on the stack; a free during them is finished when the last one
 * unwinds. */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <libwebsockets.h>

#include "config.h"

#include "base/log.h"
#include "base/sbuf.h"
#include "base/xalloc.h"
#include "net/resolve.h"
#include "net/ws_client.h"

#define WS_BATCH 64 /* messages written per writeable callback */

enum ws_state { WS_RESOLVING, WS_CONNECTING, WS_OPEN, WS_CLOSING, WS_DONE };

struct ws_msg {
	struct ws_msg *next;
	size_t len;
	unsigned char buf[]; /* LWS_PRE bytes of headroom, then the message */
};

struct ws_client {
	struct kt_loop_owned own;
	struct kt_loop *loop;
	struct ws_client_ops ops;
	void *arg;
	enum ws_state state;
	struct kt_resolve *resolving;
	struct kt_timer *close_timer; /* reports a close that came before open */
	struct lws *wsi;
	char *host, *host_hdr, *path;
	int port;
	bool tls;
	struct ws_msg *q_head, **q_tail;
	bool ping_wanted;
	struct sbuf rx;
	int close_code;
	char close_reason[124]; /* a close frame carries at most 123 bytes of reason */
	bool have_peer_close;
	bool close_sent;  /* the close handshake has been started */
	uint64_t err_seq; /* lws error lines logged before our connect */
	unsigned busy;    /* our frames on the stack */
	bool freed;       /* free requested; done when busy drops to 0 */
	bool notified;    /* on_close has run */
};

/* ---- lifetime ---- */

static void ws_queue_clear(struct ws_client *c)
{
	while (c->q_head) {
		struct ws_msg *m = c->q_head;
		c->q_head = m->next;
		free(m);
	}
	c->q_tail = &c->q_head;
}

/* Let go of the wsi. Inside our own callback for it, clearing the back
 * pointer is enough: ws_lws_cb then returns -1 and lws closes it. Inside
 * another lws callback a synchronous kill could pull the rug from under lws,
 * so it is asynchronous (woken with lws_cancel_service: lws timers armed
 * from outside may otherwise wait). */
static void ws_detach_wsi(struct ws_client *c, bool in_own_cb)
{
	struct lws *wsi = c->wsi;
	if (!wsi)
		return;
	c->wsi = NULL;
	lws_set_opaque_user_data(wsi, NULL);
	if (in_own_cb)
		return;
	if (*kt_loop_lws_depth(c->loop) == 0) {
		lws_set_timeout(wsi, PENDING_TIMEOUT_USER_OK, LWS_TO_KILL_SYNC);
	} else {
		lws_set_timeout(wsi, PENDING_TIMEOUT_USER_OK, LWS_TO_KILL_ASYNC);
		lws_cancel_service(kt_loop_lws(c->loop));
	}
}

/* Stop everything in flight: the resolver, the close timer, the wsi. */
static void ws_detach_all(struct ws_client *c, bool in_own_cb)
{
	if (c->resolving) {
		kt_resolve_cancel(c->resolving);
		c->resolving = NULL;
	}
	if (c->close_timer) {
		kt_timer_stop(c->close_timer);
		c->close_timer = NULL;
	}
	ws_detach_wsi(c, in_own_cb);
}

static void ws_destroy(struct ws_client *c)
{
	ws_detach_all(c, false);
	kt_loop_disown(&c->own);
	ws_queue_clear(c);
	sbuf_free(&c->rx);
	free(c->host);
	free(c->host_hdr);
	free(c->path);
	free(c);
}

static void ws_enter(struct ws_client *c)
{
	c->busy++;
}

/* Returns true when the client was destroyed. */
static bool ws_leave(struct ws_client *c)
{
	if (--c->busy == 0 && c->freed) {
		ws_destroy(c);
		return true;
	}
	return false;
}

/* Report the end once, then free (after the outermost frame unwinds). */
static void ws_finish(struct ws_client *c, int code, const char *reason, bool in_own_cb)
{
	if (c->notified)
		return;
	c->notified = true;
	c->state = WS_DONE;
	ws_detach_all(c, in_own_cb);
	LOGD("ws: %s:%d closed: %d %s", c->host, c->port, code, reason);
	ws_enter(c);
	if (c->ops.on_close)
		c->ops.on_close(c->arg, code, reason ? reason : "");
	c->freed = true;
	ws_leave(c);
}

static void ws_release(struct kt_loop_owned *o)
{
	ws_client_free((struct ws_client *)o);
}

void ws_client_free(struct ws_client *c)
{
	if (!c || c->freed)
		return;
	c->freed = true;
	ws_detach_all(c, false);
	if (!c->busy)
		ws_destroy(c);
}

/* ---- the lws side ---- */

/* What went wrong, in words: lws's callback text is terse ("connect SSL err
 * 1: error:00000001:..."); the reason, a certificate problem say, is in the
 * error it logged ("SSL error: unable to get local issuer certificate
 * (preverify_ok=0;...)"). */
static void ws_connect_error_text(struct ws_client *c, const char *in, size_t len, char *out,
                                  size_t cap)
{
	const char *logged = kt_loop_lws_log_seq() != c->err_seq ? kt_loop_lws_last_error() : "";
	int n = snprintf(out, cap, "cannot connect to %s%s:%d: ", c->tls ? "wss://" : "ws://",
	                 c->host, c->port);
	if (n < 0 || (size_t)n >= cap)
		return;
	out += n;
	cap -= (size_t)n;
	static const char ssl[] = "SSL error: ";
	if (strncmp(logged, ssl, sizeof ssl - 1) == 0) {
		const char *why = logged + sizeof ssl - 1;
		const char *end = strstr(why, " (preverify");
		snprintf(out, cap, "TLS certificate verification failed: %.*s",
		         (int)(end ? (size_t)(end - why) : strlen(why)), why);
	} else if (in && len) {
		snprintf(out, cap, "%.*s%s%s", (int)len, in, logged[0] ? " - " : "", logged);
	} else {
		snprintf(out, cap, "%s", logged[0] ? logged : "connection failed");
	}
}

static int ws_write_queue(struct ws_client *c, struct lws *wsi)
{
	if (c->ping_wanted) {
		unsigned char ping[LWS_PRE + 4];
		c->ping_wanted = false;
		if (lws_write(wsi, ping + LWS_PRE, 0, LWS_WRITE_PING) < 0)
			return -1;
	}
	for (int n = 0; c->q_head && n < WS_BATCH; n++) {
		struct ws_msg *m = c->q_head;
		int w = lws_write(wsi, m->buf + LWS_PRE, m->len, LWS_WRITE_TEXT);
		if (w < 0 || (size_t)w < m->len) {
			LOGD("ws: %s: write failed", c->host);
			return -1;
		}
		c->q_head = m->next;
		if (!c->q_head)
			c->q_tail = &c->q_head;
		free(m);
		if (lws_send_pipe_choked(wsi))
			break;
	}
	if (c->q_head) {
		lws_callback_on_writable(wsi);
		return 0;
	}
	if (c->state == WS_CLOSING && !c->close_sent) {
		/* Not "return -1": from a writeable callback lws takes that as a
		 * failed write and drops the socket without a close frame. A
		 * "kill" with a close reason set starts the close handshake. */
		c->close_sent = true;
		lws_close_reason(wsi, (enum lws_close_status)c->close_code,
		                 (unsigned char *)c->close_reason, strlen(c->close_reason));
		lws_set_timeout(wsi, PENDING_TIMEOUT_USER_OK, LWS_TO_KILL_SYNC);
	}
	return 0;
}

/* Gather fragments (and lws's partial deliveries of big frames) into one
 * message; deliver it once it is complete. */
static int ws_receive(struct ws_client *c, struct lws *wsi, const char *in, size_t len)
{
	bool final = lws_is_final_fragment(wsi);
	if (final && c->rx.len == 0) {
		if (c->ops.on_message)
			c->ops.on_message(c->arg, in, len);
		return 0;
	}
	if (c->rx.len + len > WS_CLIENT_MAX_MESSAGE) {
		c->state = WS_CLOSING;
		c->close_code = WS_CLIENT_TOO_BIG;
		snprintf(c->close_reason, sizeof c->close_reason,
		         "incoming message larger than %u MiB", WS_CLIENT_MAX_MESSAGE >> 20);
		sbuf_free(&c->rx);
		lws_close_reason(wsi, LWS_CLOSE_STATUS_MESSAGE_TOO_LARGE,
		                 (unsigned char *)c->close_reason, strlen(c->close_reason));
		return -1;
	}
	sbuf_add(&c->rx, in, len);
	if (final) {
		if (c->ops.on_message)
			c->ops.on_message(c->arg, c->rx.p, c->rx.len);
		if (c->freed)
			return 0;
		if (c->rx.cap > (1u << 20))
			sbuf_free(&c->rx); /* do not keep a big buffer around */
		else
			sbuf_reset(&c->rx);
	}
	return 0;
}

static void ws_peer_close(struct ws_client *c, const unsigned char *in, size_t len)
{
	c->have_peer_close = true;
	c->close_code = len >= 2 ? (in[0] << 8) | in[1] : WS_CLIENT_NO_STATUS;
	size_t n = len > 2 ? len - 2 : 0;
	if (n >= sizeof c->close_reason)
		n = sizeof c->close_reason - 1;
	if (n) /* in is NULL for an empty close frame */
		memcpy(c->close_reason, in + 2, n);
	c->close_reason[n] = '\0';
}

static int ws_append_headers(struct lws *wsi, void *in, size_t len)
{
	unsigned char **p = in, *end = *p + len;
	static const char ua[] = "krakterm/" PACKAGE_VERSION;
	if (lws_add_http_header_by_token(wsi, WSI_TOKEN_HTTP_USER_AGENT, (const unsigned char *)ua,
	                                 (int)sizeof ua - 1, p, end))
		return -1;
	return 0;
}

static int ws_dispatch(struct ws_client *c, struct lws *wsi, enum lws_callback_reasons reason,
                       void *in, size_t len)
{
	char text[400];
	switch (reason) {
	case LWS_CALLBACK_CLIENT_APPEND_HANDSHAKE_HEADER:
		return ws_append_headers(wsi, in, len);
	case LWS_CALLBACK_CLIENT_ESTABLISHED:
		c->wsi = wsi;
		c->state = WS_OPEN;
		LOGD("ws: %s:%d open", c->host, c->port);
		if (c->ops.on_open)
			c->ops.on_open(c->arg);
		if (!c->freed && c->wsi && (c->q_head || c->ping_wanted || c->state == WS_CLOSING))
			lws_callback_on_writable(wsi);
		return 0;
	case LWS_CALLBACK_CLIENT_RECEIVE:
		return ws_receive(c, wsi, in, len);
	case LWS_CALLBACK_CLIENT_RECEIVE_PONG:
		if (c->ops.on_pong)
			c->ops.on_pong(c->arg);
		return 0;
	case LWS_CALLBACK_CLIENT_WRITEABLE:
		return ws_write_queue(c, wsi);
	case LWS_CALLBACK_WS_PEER_INITIATED_CLOSE:
		ws_peer_close(c, in, len);
		return 0;
	case LWS_CALLBACK_CLIENT_CONNECTION_ERROR:
		ws_connect_error_text(c, in, in ? strnlen(in, 200) : 0, text, sizeof text);
		ws_finish(c, WS_CLIENT_ABNORMAL, text, true);
		return 0;
	case LWS_CALLBACK_CLIENT_CLOSED:
	case LWS_CALLBACK_WSI_DESTROY:
		if (c->state == WS_CONNECTING) { /* e.g. the handshake timed out */
			static const char why[] = "no WebSocket handshake (timed out or refused)";
			ws_connect_error_text(c, why, sizeof why - 1, text, sizeof text);
			ws_finish(c, WS_CLIENT_ABNORMAL, text, true);
		} else if (c->have_peer_close || c->state == WS_CLOSING) {
			ws_finish(c, c->close_code, c->close_reason, true);
		} else {
			ws_finish(c, WS_CLIENT_ABNORMAL, "connection lost", true);
		}
		return 0;
	default:
		return 0;
	}
}

/* The protocol callback of the loop's client vhost. */
static int ws_lws_cb(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in,
                     size_t len)
{
	struct ws_client *c = wsi ? lws_get_opaque_user_data(wsi) : NULL;
	if (!c)
		return reason == LWS_CALLBACK_CLIENT_WRITEABLE ? -1 : 0;
	unsigned *depth = kt_loop_lws_depth(c->loop);
	(*depth)++;
	ws_enter(c);
	int rc = ws_dispatch(c, wsi, reason, in, len);
	bool dropped = c->wsi != wsi && c->state != WS_CONNECTING; /* let go during the call */
	ws_leave(c);
	(*depth)--;
	if (dropped && reason != LWS_CALLBACK_CLIENT_CONNECTION_ERROR &&
	    reason != LWS_CALLBACK_CLIENT_CLOSED && reason != LWS_CALLBACK_WSI_DESTROY)
		return -1;
	return rc;
}

const struct lws_protocols *ws_client_protocol(void)
{
	static const struct lws_protocols proto = {
	        .name = "krakterm-ws-client",
	        .callback = ws_lws_cb,
	};
	return &proto;
}

/* ---- connecting ---- */

static void ws_on_resolved(void *arg, const char *ip, const char *error)
{
	struct ws_client *c = arg;
	c->resolving = NULL;
	if (!ip) {
		ws_finish(c, WS_CLIENT_ABNORMAL, error, false);
		return;
	}
	struct lws_client_connect_info i;
	memset(&i, 0, sizeof i);
	i.context = kt_loop_lws(c->loop);
	i.vhost = kt_loop_lws_client_vhost(c->loop);
	i.address = ip;
	i.port = c->port;
	i.path = c->path;
	i.host = c->host_hdr;
	i.origin = c->host_hdr;
	i.ssl_connection = c->tls ? LCCSCF_USE_SSL : 0; /* never ALLOW_INSECURE */
	i.local_protocol_name = ws_client_protocol()->name;
	i.ietf_version_or_minus_one = -1;
	i.opaque_user_data = c;
	c->state = WS_CONNECTING;
	c->err_seq = kt_loop_lws_log_seq();
	LOGD("ws: connecting to %s (%s) port %d", c->host, ip, c->port);
	ws_enter(c); /* lws may report a failure from inside the connect call */
	struct lws *wsi = lws_client_connect_via_info(&i);
	if (!c->notified && !c->freed) {
		if (wsi) {
			c->wsi = wsi;
		} else {
			char text[400];
			ws_connect_error_text(c, NULL, 0, text, sizeof text);
			ws_finish(c, WS_CLIENT_ABNORMAL, text, false);
		}
	}
	ws_leave(c);
}

static void ws_close_timer_fire(void *arg)
{
	struct ws_client *c = arg;
	c->close_timer = NULL;
	ws_finish(c, c->close_code, c->close_reason, false);
}

/* Split ws[s]://host[:port][/path] ("[v6]" hosts allowed). */
static int ws_parse_url(struct ws_client *c, const char *url, struct kerr *err)
{
	const char *p;
	if (strncmp(url, "ws://", 5) == 0) {
		p = url + 5;
	} else if (strncmp(url, "wss://", 6) == 0) {
		p = url + 6;
		c->tls = true;
	} else {
		return kerr_set(err, WS_E_URL, "not a WebSocket URL (ws:// or wss://): %s", url);
	}
	const char *slash = p + strcspn(p, "/?#");
	const char *host = p, *host_end, *port = NULL;
	if (*p == '[') {
		host = p + 1;
		host_end = memchr(host, ']', (size_t)(slash - host));
		if (!host_end)
			return kerr_set(err, WS_E_URL, "bad IPv6 address in URL: %s", url);
		if (host_end[1] == ':')
			port = host_end + 2;
	} else {
		host_end = memchr(p, ':', (size_t)(slash - p));
		if (host_end)
			port = host_end + 1;
		else
			host_end = slash;
	}
	if (host_end == host)
		return kerr_set(err, WS_E_URL, "no host in URL: %s", url);
	c->port = c->tls ? 443 : 80;
	if (port) {
		char *e;
		long v = strtol(port, &e, 10);
		if (e != slash || v < 1 || v > 65535)
			return kerr_set(err, WS_E_URL, "bad port in URL: %s", url);
		c->port = (int)v;
	}
	c->host = xstrndup(host, (size_t)(host_end - host));
	c->path = *slash == '/' ? xstrdup(slash) : xasprintf("/%s", slash);
	bool v6 = strchr(c->host, ':') != NULL;
	if (port && c->port != (c->tls ? 443 : 80))
		c->host_hdr = xasprintf(v6 ? "[%s]:%d" : "%s:%d", c->host, c->port);
	else
		c->host_hdr = xstrdup(c->host);
	return 0;
}

struct ws_client *ws_client_connect(struct kt_loop *loop, const char *url,
                                    const struct ws_client_ops *ops, void *arg, struct kerr *err)
{
	struct ws_client *c = xcalloc(1, sizeof *c);
	c->loop = loop;
	c->ops = *ops;
	c->arg = arg;
	c->q_tail = &c->q_head;
	if (ws_parse_url(c, url, err)) {
		free(c->host);
		free(c->path);
		free(c);
		return NULL;
	}
	c->own.release = ws_release;
	kt_loop_own(loop, &c->own);
	c->state = WS_RESOLVING;
	c->resolving = kt_resolve_start(loop, c->host, ws_on_resolved, c);
	return c;
}

/* ---- user calls ---- */

int ws_client_send(struct ws_client *c, const char *data, size_t len)
{
	if (c->state >= WS_CLOSING || c->freed)
		return -1;
	struct ws_msg *m = xmalloc(sizeof *m + LWS_PRE + len);
	m->next = NULL;
	m->len = len;
	memcpy(m->buf + LWS_PRE, data, len);
	*c->q_tail = m;
	c->q_tail = &m->next;
	if (c->state == WS_OPEN && c->wsi)
		lws_callback_on_writable(c->wsi);
	return 0;
}

void ws_client_ping(struct ws_client *c)
{
	if (c->state != WS_OPEN || !c->wsi)
		return;
	c->ping_wanted = true;
	lws_callback_on_writable(c->wsi);
}

void ws_client_close(struct ws_client *c, int code, const char *reason)
{
	if (c->state >= WS_CLOSING || c->freed)
		return;
	snprintf(c->close_reason, sizeof c->close_reason, "%s", reason ? reason : "");
	c->close_code = code;
	if (c->state == WS_OPEN && c->wsi) {
		c->state = WS_CLOSING;
		lws_callback_on_writable(c->wsi);
		return;
	}
	/* Not open yet: abandon the attempt and report on the next loop turn. */
	c->state = WS_CLOSING;
	ws_detach_all(c, false);
	c->close_timer = kt_timer_start(c->loop, 0, 0, ws_close_timer_fire, c);
}

int ws_client_is_open(const struct ws_client *c)
{
	return c->state == WS_OPEN;
}
