/* http_client: HTTP/1.1 requests over curl's multi interface, on the loop.
 *
 * Bytes in, bytes out: no JSON, no retries (the protocol layer decides what to
 * retry). TLS peer and host name verification are always on; the loop's CA
 * file, or the request's, is trusted in addition to the system's CAs.
 * Connections are kept alive and reused between requests to the same host. */
#ifndef KT_NET_HTTP_CLIENT_H
#define KT_NET_HTTP_CLIENT_H

#include <stddef.h>
#include <stdint.h>

#include "net/loop.h"

#define HTTP_MAX_RESPONSE       (32u << 20) /* bigger responses fail with HTTP_E_TOO_BIG */
#define HTTP_DEFAULT_TIMEOUT_MS 30000

struct http_req_opts {
	const char *method;         /* "GET" (default when NULL), "POST", "PUT", "DELETE"... */
	const char *url;            /* http:// or https:// */
	const char *const *headers; /* "Name: value" strings, NULL-terminated, or NULL */
	const char *body;           /* sent as is (copied); NULL for none */
	size_t body_len;
	uint32_t timeout_ms; /* whole request; 0 = HTTP_DEFAULT_TIMEOUT_MS */
	const char *ca_file; /* extra trust anchor; NULL = the loop's */
};

/* What kind of failure, when there is no HTTP response (error != NULL). */
enum http_err {
	HTTP_OK = 0,      /* a response arrived (any status) */
	HTTP_E_TIMEOUT,   /* timeout_ms passed */
	HTTP_E_RESOLVE,   /* host name not found */
	HTTP_E_CONNECT,   /* connection refused / unreachable */
	HTTP_E_TLS,       /* handshake or certificate verification failed */
	HTTP_E_TOO_BIG,   /* response over HTTP_MAX_RESPONSE */
	HTTP_E_SEND_RECV, /* connection broke during the exchange */
	HTTP_E_OTHER,
};

struct http_resp_header {
	const char *name;  /* as received */
	const char *value; /* leading and trailing blanks removed */
};

/* Everything here lives only during the callback. */
struct http_result {
	int status;       /* HTTP status; 0 when no response arrived */
	const char *body; /* NUL-terminated for convenience (may hold NULs) */
	size_t body_len;
	const char *error;     /* NULL on transport success, else a plain-English cause,
	                        * e.g. "TLS certificate verification failed: unable to get
	                        * local issuer certificate" */
	enum http_err kind;    /* HTTP_OK when error is NULL */
	int curl_code;         /* CURLcode, for logs */
	uint64_t rtt_us;       /* request start to last byte received */
	uint64_t wire_done_ns; /* kt_mono_ns() when the request was fully handed to the
	                        * socket (0 if it never was) */
	const struct http_resp_header *headers; /* response headers of the final response */
	size_t n_headers;
};

/* Value of the response header `name` (case-insensitive; the last one when
 * repeated), or NULL. */
const char *http_result_header(const struct http_result *r, const char *name);

struct http_call;

/* Start a request; cb runs exactly once on the loop (never inside this call)
 * unless the call is cancelled first. A "User-Agent: krakterm/<version>"
 * header is sent unless opts->headers has one. Returns NULL only when opts is
 * unusable (no URL); then cb never runs. The call handle is valid until cb
 * returns or http_cancel(). */
struct http_call *http_request(struct kt_loop *loop, const struct http_req_opts *opts,
                               void (*cb)(void *arg, const struct http_result *res), void *arg);
/* Abort the request; the callback is not called afterwards. A no-op inside the
 * call's own callback. NULL is fine. */
void http_cancel(struct http_call *call);

#endif
