/* resolve: uv_getaddrinfo with cancellation that never races the callback.
 *
 * libuv runs getaddrinfo on its thread pool; a cancel may come too late to
 * stop it, so the request always finishes through resolve_done(), which frees
 * it and calls the user only if nobody cancelled. */
#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <uv.h>

#include "base/xalloc.h"
#include "net/resolve.h"

struct kt_resolve {
	struct kt_loop_owned own;
	uv_getaddrinfo_t req;
	uv_timer_t fail_timer; /* reports a failure to start on the next turn */
	bool failing;
	int fail_status;
	char *host;
	kt_resolve_cb cb; /* NULL once cancelled */
	void *arg;
};

/* The first IPv4 address, else the first address, as text. */
static int resolve_pick(const struct addrinfo *res, char *ip, size_t cap)
{
	const struct addrinfo *pick = NULL;
	for (const struct addrinfo *a = res; a; a = a->ai_next) {
		if (a->ai_family == AF_INET) {
			pick = a;
			break;
		}
		if (!pick && a->ai_family == AF_INET6)
			pick = a;
	}
	if (!pick)
		return -1;
	if (pick->ai_family == AF_INET)
		return uv_ip4_name((const struct sockaddr_in *)(const void *)pick->ai_addr, ip,
		                   cap);
	return uv_ip6_name((const struct sockaddr_in6 *)(const void *)pick->ai_addr, ip, cap);
}

static void resolve_free(struct kt_resolve *r)
{
	free(r->host);
	free(r);
}

static void resolve_free_timer_cb(uv_handle_t *h)
{
	resolve_free(h->data);
}

/* Call the user (unless cancelled); the caller frees r afterwards. */
static void resolve_report(struct kt_resolve *r, int status, struct addrinfo *res)
{
	char ip[INET6_ADDRSTRLEN + 1] = "";
	char error[300] = "";
	if (status == 0 && resolve_pick(res, ip, sizeof ip) != 0)
		status = UV_EAI_NODATA;
	if (status)
		snprintf(error, sizeof error, "cannot resolve host name %s: %s", r->host,
		         uv_strerror(status));
	kt_loop_disown(&r->own);
	kt_resolve_cb cb = r->cb;
	r->cb = NULL;
	if (cb)
		cb(r->arg, status ? NULL : ip, status ? error : NULL);
}

static void resolve_done(uv_getaddrinfo_t *req, int status, struct addrinfo *res)
{
	struct kt_resolve *r = req->data;
	resolve_report(r, status, res);
	uv_freeaddrinfo(res);
	resolve_free(r);
}

static void resolve_fail_fire(uv_timer_t *t)
{
	struct kt_resolve *r = t->data;
	resolve_report(r, r->fail_status, NULL);
	uv_close((uv_handle_t *)t, resolve_free_timer_cb);
}

static void resolve_release(struct kt_loop_owned *o)
{
	kt_resolve_cancel((struct kt_resolve *)o);
}

struct kt_resolve *kt_resolve_start(struct kt_loop *loop, const char *host, kt_resolve_cb cb,
                                    void *arg)
{
	struct kt_resolve *r = xcalloc(1, sizeof *r);
	struct addrinfo hints;
	memset(&hints, 0, sizeof hints);
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	r->host = xstrdup(host);
	r->cb = cb;
	r->arg = arg;
	r->req.data = r;
	r->own.release = resolve_release;
	kt_loop_own(loop, &r->own);
	int rc = uv_getaddrinfo(kt_loop_uv(loop), &r->req, resolve_done, r->host, NULL, &hints);
	if (rc) {
		r->failing = true;
		r->fail_status = rc;
		uv_timer_init(kt_loop_uv(loop), &r->fail_timer);
		r->fail_timer.data = r;
		uv_timer_start(&r->fail_timer, resolve_fail_fire, 0, 0);
	}
	return r;
}

void kt_resolve_cancel(struct kt_resolve *r)
{
	if (!r)
		return;
	r->cb = NULL;
	kt_loop_disown(&r->own);
	if (r->failing) {
		if (!uv_is_closing((uv_handle_t *)&r->fail_timer))
			uv_close((uv_handle_t *)&r->fail_timer, resolve_free_timer_cb);
	} else {
		uv_cancel((uv_req_t *)&r->req); /* resolve_done still runs and frees r */
	}
}
