/* loop: the one libuv loop, with libwebsockets and curl joined to it.
 *
 * curl joins through its socket callback (a uv_poll_t per socket) and its
 * timer callback (one uv_timer_t); lws joins as a foreign-loop user. Timers,
 * signals and the keyboard watcher are thin wrappers over libuv handles that
 * remember what to free, so kt_loop_free() can release leftovers. */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <curl/curl.h>
#include <libwebsockets.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <uv.h>

#include "base/log.h"
#include "base/xalloc.h"
#include "net/loop.h"
#include "net/ws_client.h"

#define LOOP_DEFAULT_TIMEOUT_SECS 20
#define LOOP_SHUTDOWN_GUARD_MS    5000

struct kt_loop {
	uv_loop_t uv;
	struct lws_context *lws;
	struct lws_vhost *client_vh;
	SSL_CTX *client_tls;            /* ours, lent to lws (see loop_client_tls) */
	struct lws_protocols protos[2]; /* lws keeps a pointer: must live as long */
	CURLM *multi;
	uv_timer_t curl_timer;
	uv_prepare_t prepare;
	void (*before_wait)(void *arg);
	void *before_wait_arg;
	struct kt_loop_owned owned;      /* sentinel: objects released at kt_loop_free */
	struct kt_loop_owned curl_socks; /* sentinel: sockets curl asked us to watch */
	struct kt_loop_opts opts;
	char *ca_file;
	unsigned lws_depth;
	bool curl_global; /* curl_global_init succeeded: pair it with cleanup */
};

struct kt_timer {
	struct kt_loop_owned own;
	uv_timer_t h;
	void (*cb)(void *arg);
	void *arg;
	bool repeat, firing, stopped;
};

struct kt_signal {
	struct kt_loop_owned own;
	uv_signal_t h;
	void (*cb)(void *arg, int signum);
	void *arg;
};

struct kt_fdwatch {
	struct kt_loop_owned own;
	uv_poll_t h;
	int fd;
	int saved_flags;
	void (*cb)(void *arg, int status);
	void *arg;
};

/* One per socket curl asks us to watch. */
struct curl_sock {
	struct kt_loop_owned own;
	uv_poll_t h;
	curl_socket_t fd;
	struct kt_loop *loop;
};

/* ---- owned objects ---- */

static void owned_insert(struct kt_loop_owned *head, struct kt_loop_owned *o)
{
	o->next = head->next;
	o->prev = head;
	head->next->prev = o;
	head->next = o;
}

void kt_loop_own(struct kt_loop *loop, struct kt_loop_owned *o)
{
	owned_insert(&loop->owned, o);
}

void kt_loop_disown(struct kt_loop_owned *o)
{
	if (!o->next)
		return;
	o->prev->next = o->next;
	o->next->prev = o->prev;
	o->next = o->prev = NULL;
}

/* Release everything still owned, oldest first, until the list is empty.
 * Oldest first: an owner (a WebSocket client) is older than what it made
 * (its resolver, its timer) and releases those itself. */
static void loop_release_list(struct kt_loop_owned *head)
{
	while (head->prev != head) {
		struct kt_loop_owned *o = head->prev;
		o->release(o);
		if (head->prev == o) /* a release that forgot to disown */
			kt_loop_disown(o);
	}
}

static void free_handle_data(uv_handle_t *h)
{
	free(h->data);
}

/* ---- lws log routing ---- */

/* lws's log hook takes no user pointer, so the last error line has to be a
 * file-level variable; the loop is single-threaded. */
static char lws_last_err[256];
static uint64_t lws_err_seq;

static void loop_lws_emit(int level, const char *line)
{
	size_t n = strlen(line);
	while (n && (line[n - 1] == '\n' || line[n - 1] == '\r'))
		n--;
	enum klog_level kl = KLOG_DEBUG;
	if (level & LLL_ERR) {
		kl = KLOG_WARN;
		size_t m = n < sizeof lws_last_err - 1 ? n : sizeof lws_last_err - 1;
		memcpy(lws_last_err, line, m);
		lws_last_err[m] = '\0';
		lws_err_seq++;
	} else if (level & LLL_WARN) {
		kl = KLOG_INFO;
	}
	klog(kl, "lws: %.*s", (int)n, line);
}

uint64_t kt_loop_lws_log_seq(void)
{
	return lws_err_seq;
}
const char *kt_loop_lws_last_error(void)
{
	return lws_last_err;
}

/* ---- curl glue ---- */

static void loop_curl_check_done(struct kt_loop *loop)
{
	CURLMsg *msg;
	int left;
	while ((msg = curl_multi_info_read(loop->multi, &left))) {
		if (msg->msg != CURLMSG_DONE)
			continue;
		CURL *easy = msg->easy_handle;
		CURLcode rc = msg->data.result;
		struct kt_loop_xfer *x = NULL;
		curl_easy_getinfo(easy, CURLINFO_PRIVATE, (char **)&x);
		if (x)
			x->done(x, (int)rc);
	}
}

static void loop_curl_poll_cb(uv_poll_t *h, int status, int events)
{
	struct curl_sock *cs = h->data;
	struct kt_loop *loop = cs->loop;
	int flags = 0, running;
	if (status < 0)
		flags = CURL_CSELECT_ERR;
	if (events & UV_READABLE)
		flags |= CURL_CSELECT_IN;
	if (events & UV_WRITABLE)
		flags |= CURL_CSELECT_OUT;
	curl_multi_socket_action(loop->multi, cs->fd, flags, &running); /* may free cs */
	loop_curl_check_done(loop);
}

static void loop_curl_sock_release(struct kt_loop_owned *o)
{
	struct curl_sock *cs = (struct curl_sock *)o;
	kt_loop_disown(o);
	uv_close((uv_handle_t *)&cs->h, free_handle_data);
}

static int loop_curl_socket_cb(CURL *easy, curl_socket_t s, int what, void *userp, void *socketp)
{
	struct kt_loop *loop = userp;
	struct curl_sock *cs = socketp;
	if (what == CURL_POLL_REMOVE) {
		if (cs) {
			curl_multi_assign(loop->multi, s, NULL);
			loop_curl_sock_release(&cs->own);
		}
		return 0;
	}
	if (!cs) {
		cs = xcalloc(1, sizeof *cs);
		cs->fd = s;
		cs->loop = loop;
		int rc = uv_poll_init_socket(&loop->uv, &cs->h, s);
		if (rc) {
			LOGW("net: cannot watch curl socket %d: %s", (int)s, uv_strerror(rc));
			free(cs);
			return -1;
		}
		cs->h.data = cs;
		cs->own.release = loop_curl_sock_release;
		owned_insert(&loop->curl_socks, &cs->own);
		curl_multi_assign(loop->multi, s, cs);
	}
	int ev = 0;
	if (what & CURL_POLL_IN)
		ev |= UV_READABLE;
	if (what & CURL_POLL_OUT)
		ev |= UV_WRITABLE;
	uv_poll_start(&cs->h, ev, loop_curl_poll_cb);
	return 0;
}

static void loop_curl_timeout_cb(uv_timer_t *t)
{
	struct kt_loop *loop = t->data;
	int running;
	curl_multi_socket_action(loop->multi, CURL_SOCKET_TIMEOUT, 0, &running);
	loop_curl_check_done(loop);
}

/* curl asks for one timer; 0 ms means "as soon as possible", so it is started
 * too (skipping it stalls new transfers until some socket wakes up). */
static int loop_curl_timer_cb(CURLM *multi, long timeout_ms, void *userp)
{
	struct kt_loop *loop = userp;
	if (timeout_ms < 0)
		uv_timer_stop(&loop->curl_timer);
	else
		uv_timer_start(&loop->curl_timer, loop_curl_timeout_cb, (uint64_t)timeout_ms, 0);
	return 0;
}

void *kt_loop_curlm(struct kt_loop *loop)
{
	return loop->multi;
}

/* ---- creation and teardown ---- */

/* The TLS settings of every wss connection. We make the SSL_CTX and lend it
 * to lws rather than let lws build one: lws 4.1.6 loses its own client
 * SSL_CTX when two contexts live at once (valgrind: "definitely lost"), and
 * loading the CA file here gives a precise error. lws still verifies each
 * connection (SSL_VERIFY_PEER) and checks the host name. */
static int loop_client_tls(struct kt_loop *loop, struct kerr *err)
{
	SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());
	if (!ctx)
		return kerr_set(err, KT_LOOP_E_INIT, "cannot create a TLS context");
	loop->client_tls = ctx;
	SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
	SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, NULL);
	if (SSL_CTX_set_default_verify_paths(ctx) != 1)
		LOGW("net: the system's CA certificates could not be loaded");
	ERR_clear_error();
	if (loop->ca_file && SSL_CTX_load_verify_locations(ctx, loop->ca_file, NULL) != 1) {
		unsigned long e = ERR_peek_last_error();
		const char *why = e ? ERR_reason_error_string(e) : NULL;
		ERR_clear_error();
		return kerr_set(err, KT_LOOP_E_INIT, "cannot load the CA file %s: %s",
		                loop->ca_file, why ? why : "no certificate in it");
	}
	return 0;
}

static int loop_init_lws(struct kt_loop *loop, struct kerr *err)
{
	struct lws_context_creation_info info;
	void *foreign[1] = {&loop->uv};

	lws_set_log_level(LLL_ERR | LLL_WARN | LLL_NOTICE, loop_lws_emit);
	memset(&info, 0, sizeof info);
	info.options = LWS_SERVER_OPTION_LIBUV | LWS_SERVER_OPTION_EXPLICIT_VHOSTS |
	               LWS_SERVER_OPTION_DO_SSL_GLOBAL_INIT |
	               LWS_SERVER_OPTION_UV_NO_SIGSEGV_SIGFPE_SPIN;
	info.foreign_loops = foreign;
	info.port = CONTEXT_PORT_NO_LISTEN;
	info.user = loop;
	info.uid = -1;
	info.gid = -1;
	info.timeout_secs = loop->opts.timeout_secs; /* some lws timeouts read the context's */
	loop->lws = lws_create_context(&info);
	if (!loop->lws)
		return kerr_set(err, KT_LOOP_E_INIT, "cannot start libwebsockets: %s",
		                lws_last_err[0] ? lws_last_err : "unknown error");

	if (loop_client_tls(loop, err))
		return -1;
	loop->protos[0] = *ws_client_protocol();
	memset(&info, 0, sizeof info);
	info.options = LWS_SERVER_OPTION_DO_SSL_GLOBAL_INIT;
	info.port = CONTEXT_PORT_NO_LISTEN;
	info.protocols = loop->protos;
	info.vhost_name = "krakterm-client";
	info.provided_client_ssl_ctx = loop->client_tls;
	info.timeout_secs = loop->opts.timeout_secs;
	info.connect_timeout_secs = loop->opts.timeout_secs;
	info.uid = -1;
	info.gid = -1;
	/* lws only logs a CA file it cannot load and carries on without TLS:
	 * treat any error it logs here as fatal. */
	uint64_t seq = lws_err_seq;
	loop->client_vh = lws_create_vhost(loop->lws, &info);
	if (!loop->client_vh || seq != lws_err_seq)
		return kerr_set(err, KT_LOOP_E_INIT,
		                "cannot create the WebSocket client (CA file %s): %s",
		                loop->ca_file ? loop->ca_file : "none",
		                lws_last_err[0] ? lws_last_err : "unknown error");
	return 0;
}

static int loop_init_curl(struct kt_loop *loop, struct kerr *err)
{
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		return kerr_set(err, KT_LOOP_E_INIT, "cannot initialise libcurl");
	loop->curl_global = true;
	loop->multi = curl_multi_init();
	if (!loop->multi)
		return kerr_set(err, KT_LOOP_E_INIT, "cannot create a curl multi handle");
	curl_multi_setopt(loop->multi, CURLMOPT_SOCKETFUNCTION, loop_curl_socket_cb);
	curl_multi_setopt(loop->multi, CURLMOPT_SOCKETDATA, loop);
	curl_multi_setopt(loop->multi, CURLMOPT_TIMERFUNCTION, loop_curl_timer_cb);
	curl_multi_setopt(loop->multi, CURLMOPT_TIMERDATA, loop);
	return 0;
}

static void loop_prepare_cb(uv_prepare_t *p)
{
	struct kt_loop *loop = p->data;
	if (loop->before_wait)
		loop->before_wait(loop->before_wait_arg);
}

struct kt_loop *kt_loop_new(const struct kt_loop_opts *opts, struct kerr *err)
{
	struct kt_loop *loop = xcalloc(1, sizeof *loop);
	loop->owned.next = loop->owned.prev = &loop->owned;
	loop->curl_socks.next = loop->curl_socks.prev = &loop->curl_socks;
	if (opts)
		loop->opts = *opts;
	if (!loop->opts.timeout_secs)
		loop->opts.timeout_secs = LOOP_DEFAULT_TIMEOUT_SECS;
	if (loop->opts.ca_file) {
		if (access(loop->opts.ca_file, R_OK) != 0) {
			kerr_set(err, KT_LOOP_E_INIT, "cannot read the CA file %s: %s",
			         loop->opts.ca_file, strerror(errno));
			free(loop);
			return NULL;
		}
		loop->ca_file = xstrdup(loop->opts.ca_file);
		loop->opts.ca_file = loop->ca_file;
	}
	int rc = uv_loop_init(&loop->uv);
	if (rc) {
		kerr_set(err, KT_LOOP_E_INIT, "cannot create the event loop: %s", uv_strerror(rc));
		free(loop->ca_file);
		free(loop);
		return NULL;
	}
	loop->uv.data = loop;
	uv_timer_init(&loop->uv, &loop->curl_timer);
	loop->curl_timer.data = loop;
	uv_prepare_init(&loop->uv, &loop->prepare);
	loop->prepare.data = loop;
	uv_unref((uv_handle_t *)&loop->prepare);
	if (loop_init_curl(loop, err) || loop_init_lws(loop, err)) {
		kt_loop_free(loop);
		return NULL;
	}
	return loop;
}

int kt_loop_run(struct kt_loop *loop)
{
	uv_run(&loop->uv, UV_RUN_DEFAULT);
	return 0;
}

void kt_loop_stop(struct kt_loop *loop)
{
	uv_stop(&loop->uv);
}

static void loop_close_walk_cb(uv_handle_t *h, void *arg)
{
	if (h != arg && !uv_is_closing(h)) {
		LOGE("net: closing a %s handle someone left on the loop",
		     uv_handle_type_name(uv_handle_get_type(h)));
		uv_close(h, NULL);
	}
}

/* Shutdown runs the loop until only closing handles are left; a handle some
 * other module forgot to close would keep it running forever. This guard
 * (unreferenced: it never keeps the loop alive by itself) closes stragglers
 * instead, leaking them rather than hanging the exit. */
static void loop_guard_fire(uv_timer_t *t)
{
	uv_walk(t->loop, loop_close_walk_cb, t);
}

/* Shutdown order matters: our objects first (no callbacks), then curl (its
 * cached connections are live poll handles that would keep the loop running),
 * then lws (destroy, let the loop run the close callbacks, destroy again, run
 * again: with a foreign loop lws finishes in two steps), then our handles. */
void kt_loop_free(struct kt_loop *loop)
{
	if (!loop)
		return;
	loop_release_list(&loop->owned);
	if (loop->multi)
		curl_multi_cleanup(loop->multi); /* reports the sockets to remove */
	loop->multi = NULL;
	if (loop->curl_global)
		curl_global_cleanup();
	loop_release_list(&loop->curl_socks);
	uv_timer_stop(&loop->curl_timer);
	uv_prepare_stop(&loop->prepare);
	uv_timer_t guard;
	uv_timer_init(&loop->uv, &guard);
	uv_timer_start(&guard, loop_guard_fire, LOOP_SHUTDOWN_GUARD_MS, 0);
	uv_unref((uv_handle_t *)&guard);
	if (loop->lws) {
		lws_context_destroy(loop->lws);
		uv_run(&loop->uv, UV_RUN_DEFAULT);
		lws_context_destroy(loop->lws);
		uv_run(&loop->uv, UV_RUN_DEFAULT);
		loop->lws = NULL;
	}
	if (loop->client_tls)
		SSL_CTX_free(loop->client_tls);
	loop_release_list(&loop->owned);
	uv_close((uv_handle_t *)&loop->curl_timer, NULL);
	uv_close((uv_handle_t *)&loop->prepare, NULL);
	uv_close((uv_handle_t *)&guard, NULL);
	uv_run(&loop->uv, UV_RUN_DEFAULT);
	if (uv_loop_close(&loop->uv) == UV_EBUSY) { /* only unreferenced handles are left */
		uv_walk(&loop->uv, loop_close_walk_cb, NULL);
		uv_run(&loop->uv, UV_RUN_DEFAULT);
		uv_loop_close(&loop->uv);
	}
	free(loop->ca_file);
	free(loop);
}

void kt_loop_set_before_wait(struct kt_loop *loop, void (*cb)(void *arg), void *arg)
{
	loop->before_wait = cb;
	loop->before_wait_arg = arg;
	if (cb)
		uv_prepare_start(&loop->prepare, loop_prepare_cb);
	else
		uv_prepare_stop(&loop->prepare);
}

struct uv_loop_s *kt_loop_uv(struct kt_loop *loop)
{
	return &loop->uv;
}
struct lws_context *kt_loop_lws(struct kt_loop *loop)
{
	return loop->lws;
}
const struct kt_loop_opts *kt_loop_opts(const struct kt_loop *loop)
{
	return &loop->opts;
}
struct lws_vhost *kt_loop_lws_client_vhost(struct kt_loop *loop)
{
	return loop->client_vh;
}
unsigned *kt_loop_lws_depth(struct kt_loop *loop)
{
	return &loop->lws_depth;
}

/* ---- timers ---- */

static void timer_close(struct kt_timer *t)
{
	kt_loop_disown(&t->own);
	uv_close((uv_handle_t *)&t->h, free_handle_data);
}

static void timer_release(struct kt_loop_owned *o)
{
	timer_close((struct kt_timer *)o);
}

static void timer_fire(uv_timer_t *h)
{
	struct kt_timer *t = h->data;
	t->firing = true;
	t->cb(t->arg);
	t->firing = false;
	if (t->stopped || !t->repeat)
		timer_close(t);
}

struct kt_timer *kt_timer_start(struct kt_loop *loop, uint64_t ms, uint64_t repeat_ms,
                                void (*cb)(void *arg), void *arg)
{
	struct kt_timer *t = xcalloc(1, sizeof *t);
	t->cb = cb;
	t->arg = arg;
	t->repeat = repeat_ms != 0;
	uv_timer_init(&loop->uv, &t->h);
	t->h.data = t;
	t->own.release = timer_release;
	kt_loop_own(loop, &t->own);
	uv_timer_start(&t->h, timer_fire, ms, repeat_ms);
	return t;
}

void kt_timer_stop(struct kt_timer *t)
{
	if (!t || t->stopped)
		return;
	t->stopped = true;
	uv_timer_stop(&t->h);
	if (!t->firing)
		timer_close(t);
}

/* ---- signals ---- */

static void signal_close(struct kt_signal *s)
{
	kt_loop_disown(&s->own);
	uv_close((uv_handle_t *)&s->h, free_handle_data);
}

static void signal_release(struct kt_loop_owned *o)
{
	signal_close((struct kt_signal *)o);
}

static void signal_fire(uv_signal_t *h, int signum)
{
	struct kt_signal *s = h->data;
	s->cb(s->arg, signum);
}

struct kt_signal *kt_loop_on_signal(struct kt_loop *loop, int signum,
                                    void (*cb)(void *arg, int signum), void *arg, struct kerr *err)
{
	struct kt_signal *s = xcalloc(1, sizeof *s);
	s->cb = cb;
	s->arg = arg;
	uv_signal_init(&loop->uv, &s->h);
	s->h.data = s;
	int rc = uv_signal_start(&s->h, signal_fire, signum);
	if (rc) {
		kerr_set(err, KT_LOOP_E_INIT, "cannot watch signal %d: %s", signum,
		         uv_strerror(rc));
		uv_close((uv_handle_t *)&s->h, free_handle_data);
		return NULL;
	}
	s->own.release = signal_release;
	kt_loop_own(loop, &s->own);
	return s;
}

/* uv_close only queues the close, so this is safe inside the callback. */
void kt_signal_stop(struct kt_signal *s)
{
	if (s && !uv_is_closing((uv_handle_t *)&s->h))
		signal_close(s);
}

/* ---- fd watching (the keyboard) ---- */

static void fdwatch_close(struct kt_fdwatch *w)
{
	kt_loop_disown(&w->own);
	uv_close((uv_handle_t *)&w->h, free_handle_data);
	if (w->saved_flags != -1 && fcntl(w->fd, F_SETFL, w->saved_flags) == -1)
		LOGW("net: cannot restore the flags of fd %d: %s", w->fd, strerror(errno));
}

static void fdwatch_release(struct kt_loop_owned *o)
{
	fdwatch_close((struct kt_fdwatch *)o);
}

static void fdwatch_fire(uv_poll_t *h, int status, int events)
{
	struct kt_fdwatch *w = h->data;
	w->cb(w->arg, status < 0 ? status : 0);
}

struct kt_fdwatch *kt_loop_watch_fd(struct kt_loop *loop, int fd, void (*cb)(void *arg, int status),
                                    void *arg, struct kerr *err)
{
	int flags = fcntl(fd, F_GETFL);
	if (flags == -1) {
		kerr_set(err, KT_LOOP_E_WATCH, "cannot watch fd %d: %s", fd, strerror(errno));
		return NULL;
	}
	struct kt_fdwatch *w = xcalloc(1, sizeof *w);
	int rc = uv_poll_init(&loop->uv, &w->h, fd);
	if (rc) {
		free(w);
		fcntl(fd, F_SETFL, flags);
		if (rc == UV_EPERM)
			kerr_set(err, KT_LOOP_E_NO_KEYBOARD,
			         "no keyboard: fd %d is not a terminal or pipe (/dev/null or a "
			         "file)",
			         fd);
		else
			kerr_set(err, KT_LOOP_E_WATCH, "cannot watch fd %d: %s", fd,
			         uv_strerror(rc));
		return NULL;
	}
	w->fd = fd;
	w->saved_flags = flags;
	w->cb = cb;
	w->arg = arg;
	w->h.data = w;
	w->own.release = fdwatch_release;
	kt_loop_own(loop, &w->own);
	uv_poll_start(&w->h, UV_READABLE, fdwatch_fire);
	return w;
}

void kt_fdwatch_stop(struct kt_fdwatch *w)
{
	if (w && !uv_is_closing((uv_handle_t *)&w->h))
		fdwatch_close(w);
}

int kt_loop_fix_std_fds(struct kerr *err)
{
	for (int fd = 0; fd <= 2; fd++) {
		if (fcntl(fd, F_GETFD) != -1 || errno != EBADF)
			continue;
		int n = open("/dev/null", fd == 0 ? O_RDONLY : O_WRONLY);
		if (n == -1)
			return kerr_set(err, KT_LOOP_E_INIT, "cannot open /dev/null: %s",
			                strerror(errno));
		if (n != fd) { /* lower fds were open: put it where it belongs */
			dup2(n, fd);
			close(n);
		}
	}
	return 0;
}
