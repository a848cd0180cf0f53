/* resolve: asynchronous host name resolution on the loop (uv_getaddrinfo).
 *
 * libwebsockets 4.1.6 resolves with a blocking getaddrinfo(), which would
 * freeze the whole program on a slow DNS server; the WebSocket client resolves
 * here first and connects to the address. */
#ifndef KT_NET_RESOLVE_H
#define KT_NET_RESOLVE_H

#include "net/loop.h"

struct kt_resolve;

/* cb runs once, on the loop, with ip set to a numeric address (IPv4 preferred
 * when the name has both) and error NULL, or with ip NULL and error saying
 * what failed. The strings live only during the call. */
typedef void (*kt_resolve_cb)(void *arg, const char *ip, const char *error);

/* Start resolving host (a name or a numeric address). Never calls cb before
 * returning. The handle is valid until cb has run or kt_resolve_cancel(). */
struct kt_resolve *kt_resolve_start(struct kt_loop *loop, const char *host, kt_resolve_cb cb,
                                    void *arg);
/* Cancel: cb will not run (a no-op inside cb). Never after cb has returned. */
void kt_resolve_cancel(struct kt_resolve *r);

#endif
