/* loop: the one event loop of the program.
 *
 * A single-threaded libuv loop owned by the app carries everything: curl's
 * multi handle (HTTP), one libwebsockets context (WebSocket clients, and the
 * paper exchange's listening vhost when one is added), timers, signals and the
 * keyboard. Nothing here blocks and nothing here starts a thread of our own
 * (libuv's thread pool resolves host names; curl's resolver has its own).
 *
 * Lifetime: kt_loop_new() ... kt_loop_run() ... kt_loop_free(). Objects made
 * on the loop (timers, signal and fd watchers, HTTP calls, WebSocket clients)
 * may be released by their owners at any time; whatever is still alive when
 * the loop is freed is released by kt_loop_free() without any callback. */
#ifndef KT_NET_LOOP_H
#define KT_NET_LOOP_H

#include <stdint.h>

#include "base/kerr.h"

struct kt_loop;
struct kt_timer;
struct kt_signal;
struct kt_fdwatch;
struct uv_loop_s;
struct lws_context;

/* kerr codes of this module. */
enum kt_loop_err {
	KT_LOOP_E_INIT = 1,    /* libuv, lws or curl refused to start */
	KT_LOOP_E_NO_KEYBOARD, /* the fd is /dev/null or a regular file: nothing to watch */
	KT_LOOP_E_WATCH,       /* any other failure to watch an fd */
};

struct kt_loop_opts {
	/* Extra trust anchor(s), PEM, added to the system's CAs for every TLS
	 * connection (HTTPS and wss). NULL: system CAs only. Verification of
	 * the chain and of the host name is always on; there is no switch. */
	const char *ca_file;
	/* Seconds allowed for a WebSocket connect + TLS handshake; 0 = 20.
	 * Raise it under valgrind. */
	unsigned timeout_secs;
};

/* Create the loop, the lws context (client vhost) and the curl multi handle.
 * opts may be NULL. Returns NULL and fills err (KT_LOOP_E_INIT) on failure. */
struct kt_loop *kt_loop_new(const struct kt_loop_opts *opts, struct kerr *err);
/* Run until kt_loop_stop() is called. Returns 0. */
int kt_loop_run(struct kt_loop *loop);
/* Make kt_loop_run() return after the current iteration. Safe in callbacks. */
void kt_loop_stop(struct kt_loop *loop);
/* Release everything still on the loop (no callbacks run), shut lws and curl
 * down, close the loop. Never call it from a callback of this loop: stop the
 * loop, let kt_loop_run() return, then free. NULL is fine. */
void kt_loop_free(struct kt_loop *loop);

/* Call cb once per loop iteration, just before the loop waits for I/O (the
 * place for "redraw if dirty"). One hook per loop; cb NULL removes it. */
void kt_loop_set_before_wait(struct kt_loop *loop, void (*cb)(void *arg), void *arg);

/* Timers. cb runs after ms milliseconds, then every repeat_ms when repeat_ms is
 * not 0. A one-shot timer (repeat_ms == 0) frees itself after its callback has
 * returned: forget the pointer in the callback. kt_timer_stop() cancels and
 * frees a pending timer; it is also safe inside the timer's own callback. */
struct kt_timer *kt_timer_start(struct kt_loop *loop, uint64_t ms, uint64_t repeat_ms,
                                void (*cb)(void *arg), void *arg);
void kt_timer_stop(struct kt_timer *t);

/* Signals (SIGINT, SIGTERM, SIGWINCH, SIGHUP...): cb runs on the loop, never
 * in the signal handler. Returns NULL and fills err on failure. */
struct kt_signal *kt_loop_on_signal(struct kt_loop *loop, int signum,
                                    void (*cb)(void *arg, int signum), void *arg, struct kerr *err);
/* Stop watching and free. Safe inside its own callback. */
void kt_signal_stop(struct kt_signal *s);

/* Watch fd for input (the keyboard). cb gets status 0 when fd is readable and
 * a negative libuv error code when polling failed. The fd's flags are saved
 * now and restored by kt_fdwatch_stop() / kt_loop_free() (libuv makes it
 * non-blocking, and the user's shell would keep that). When fd is /dev/null
 * or a regular file, returns NULL with err->code KT_LOOP_E_NO_KEYBOARD. */
struct kt_fdwatch *kt_loop_watch_fd(struct kt_loop *loop, int fd, void (*cb)(void *arg, int status),
                                    void *arg, struct kerr *err);
/* Stop watching, restore the fd's flags, free. Safe inside its own callback. */
void kt_fdwatch_stop(struct kt_fdwatch *w);

/* Reopen /dev/null on any of fds 0-2 that is closed (libuv asserts if its own
 * descriptors land there). Call once at start, before kt_loop_new(). Returns
 * 0, or -1 with err filled. */
int kt_loop_fix_std_fds(struct kerr *err);

/* The underlying libuv loop and lws context, for other src/net modules (the
 * HTTP/WebSocket server adds its listening vhost to this context). */
struct uv_loop_s *kt_loop_uv(struct kt_loop *loop);
struct lws_context *kt_loop_lws(struct kt_loop *loop);
/* The options the loop was made with (ca_file may be NULL). */
const struct kt_loop_opts *kt_loop_opts(const struct kt_loop *loop);

/* ---- Internal to src/net (http_client, ws_client, resolve) ---- */

/* Something that lives on the loop and must be released by kt_loop_free() if
 * its owner has not released it: embed it, kt_loop_own() it, kt_loop_disown()
 * it when done. release() runs at kt_loop_free() and must disown and free
 * without calling any user callback. */
struct kt_loop_owned {
	struct kt_loop_owned *prev, *next;
	void (*release)(struct kt_loop_owned *o);
};
void kt_loop_own(struct kt_loop *loop, struct kt_loop_owned *o);
void kt_loop_disown(struct kt_loop_owned *o);

/* curl: easy handles added to the multi handle carry, as CURLOPT_PRIVATE, a
 * pointer to this; done() runs once the transfer has finished (curl_code is a
 * CURLcode). The easy handle is still in the multi handle when done() runs. */
struct kt_loop_xfer {
	void (*done)(struct kt_loop_xfer *x, int curl_code);
};
/* The CURLM * of the loop (void * keeps curl.h out of this header). */
void *kt_loop_curlm(struct kt_loop *loop);

/* lws: the client vhost, and the last error line lws logged (lws reports TLS
 * failures only there). kt_loop_lws_log_seq() counts error lines, so a caller
 * can tell whether a line was logged after a point in time. */
struct lws_vhost *kt_loop_lws_client_vhost(struct kt_loop *loop);
uint64_t kt_loop_lws_log_seq(void);
const char *kt_loop_lws_last_error(void);
/* Nesting depth of ws_client's lws callback on this loop (0: not inside). */
unsigned *kt_loop_lws_depth(struct kt_loop *loop);

#endif
