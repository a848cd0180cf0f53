/* http_client: one curl easy handle per request, driven by the loop's multi
 * handle. The loop tells us when a transfer is done (struct kt_loop_xfer);
 * we turn curl's result into a struct http_result with a plain-English error. */
#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <curl/curl.h>

#include "config.h"

#include "base/clock.h"
#include "base/log.h"
#include "base/sbuf.h"
#include "base/xalloc.h"
#include "net/http_client.h"

struct http_call {
	struct kt_loop_xfer xfer; /* the loop's completion hook */
	struct kt_loop_owned own;
	struct kt_loop *loop;
	CURL *easy;
	struct curl_slist *req_headers;
	struct sbuf body;
	struct http_resp_header *hv; /* response headers; strings owned here */
	size_t n_hv, cap_hv;
	void (*cb)(void *arg, const struct http_result *res);
	void *arg;
	uint64_t wire_ns;
	uint32_t timeout_ms;
	bool in_cb, too_big;
	char errbuf[CURL_ERROR_SIZE];
	char error[CURL_ERROR_SIZE + 128];
};

static struct http_call *http_of_xfer(struct kt_loop_xfer *x)
{
	return (struct http_call *)(void *)((char *)x - offsetof(struct http_call, xfer));
}

static struct http_call *http_of_owned(struct kt_loop_owned *o)
{
	return (struct http_call *)(void *)((char *)o - offsetof(struct http_call, own));
}

const char *http_result_header(const struct http_result *r, const char *name)
{
	for (size_t i = r->n_headers; i-- > 0;)
		if (strcasecmp(r->headers[i].name, name) == 0)
			return r->headers[i].value;
	return NULL;
}

static void http_headers_clear(struct http_call *c)
{
	for (size_t i = 0; i < c->n_hv; i++) {
		free((char *)(uintptr_t)c->hv[i].name);
		free((char *)(uintptr_t)c->hv[i].value);
	}
	c->n_hv = 0;
}

static void http_call_free(struct http_call *c)
{
	kt_loop_disown(&c->own);
	curl_multi_remove_handle(kt_loop_curlm(c->loop), c->easy);
	curl_easy_cleanup(c->easy);
	curl_slist_free_all(c->req_headers);
	sbuf_free(&c->body);
	http_headers_clear(c);
	free(c->hv);
	free(c);
}

static size_t http_write_cb(char *ptr, size_t size, size_t n, void *ud)
{
	struct http_call *c = ud;
	size_t len = size * n;
	if (c->body.len + len > HTTP_MAX_RESPONSE) {
		c->too_big = true;
		return 0; /* curl fails the transfer with CURLE_WRITE_ERROR */
	}
	sbuf_add(&c->body, ptr, len);
	return len;
}

/* One header line per call; a status line starts a new response (after a
 * "100 Continue", say), so the headers gathered so far are dropped. */
static size_t http_header_cb(char *ptr, size_t size, size_t n, void *ud)
{
	struct http_call *c = ud;
	size_t len = size * n;
	if (len >= 5 && memcmp(ptr, "HTTP/", 5) == 0) {
		http_headers_clear(c);
		return len;
	}
	const char *colon = memchr(ptr, ':', len);
	if (!colon || colon == ptr)
		return len;
	const char *v = colon + 1, *end = ptr + len;
	while (v < end && (*v == ' ' || *v == '\t'))
		v++;
	while (end > v && (end[-1] == '\r' || end[-1] == '\n' || end[-1] == ' ' || end[-1] == '\t'))
		end--;
	c->hv = xgrow(c->hv, &c->cap_hv, c->n_hv + 1, sizeof *c->hv);
	c->hv[c->n_hv].name = xstrndup(ptr, (size_t)(colon - ptr));
	c->hv[c->n_hv].value = xstrndup(v, (size_t)(end - v));
	c->n_hv++;
	return len;
}

/* Only used to timestamp the moment the request left: curl reports request
 * bytes here right after it has written them to the socket. */
static int http_debug_cb(CURL *easy, curl_infotype type, char *data, size_t size, void *ud)
{
	struct http_call *c = ud;
	if (type == CURLINFO_HEADER_OUT || type == CURLINFO_DATA_OUT)
		c->wire_ns = kt_mono_ns();
	return 0;
}

static enum http_err http_classify(const struct http_call *c, CURLcode rc)
{
	switch (rc) {
	case CURLE_OK:
		return HTTP_OK;
	case CURLE_OPERATION_TIMEDOUT:
		return HTTP_E_TIMEOUT;
	case CURLE_COULDNT_RESOLVE_HOST:
	case CURLE_COULDNT_RESOLVE_PROXY:
		return HTTP_E_RESOLVE;
	case CURLE_COULDNT_CONNECT:
		return HTTP_E_CONNECT;
	case CURLE_PEER_FAILED_VERIFICATION:
	case CURLE_SSL_CONNECT_ERROR:
	case CURLE_SSL_CACERT_BADFILE:
	case CURLE_SSL_CERTPROBLEM:
	case CURLE_SSL_ISSUER_ERROR:
	case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
	case CURLE_SSL_INVALIDCERTSTATUS:
		return HTTP_E_TLS;
	case CURLE_FILESIZE_EXCEEDED:
		return HTTP_E_TOO_BIG;
	case CURLE_WRITE_ERROR:
		return c->too_big ? HTTP_E_TOO_BIG : HTTP_E_OTHER;
	case CURLE_SEND_ERROR:
	case CURLE_RECV_ERROR:
	case CURLE_GOT_NOTHING:
	case CURLE_PARTIAL_FILE:
		return HTTP_E_SEND_RECV;
	default:
		return HTTP_E_OTHER;
	}
}

/* curl's detail without its "SSL certificate problem: " style prefixes. */
static const char *http_detail(const struct http_call *c, CURLcode rc)
{
	const char *d = c->errbuf[0] ? c->errbuf : curl_easy_strerror(rc);
	static const char *const prefixes[] = {"SSL certificate problem: ", "SSL: ", NULL};
	for (int i = 0; prefixes[i]; i++)
		if (strncmp(d, prefixes[i], strlen(prefixes[i])) == 0)
			return d + strlen(prefixes[i]);
	return d;
}

static void http_format_error(struct http_call *c, CURLcode rc, enum http_err kind)
{
	const char *d = http_detail(c, rc);
	switch (kind) {
	case HTTP_E_TIMEOUT:
		snprintf(c->error, sizeof c->error, "request timed out after %u ms (%s)",
		         (unsigned)c->timeout_ms, d);
		break;
	case HTTP_E_RESOLVE:
		snprintf(c->error, sizeof c->error, "cannot resolve host name: %s", d);
		break;
	case HTTP_E_CONNECT:
		snprintf(c->error, sizeof c->error, "cannot connect: %s", d);
		break;
	case HTTP_E_TLS:
		snprintf(c->error, sizeof c->error, "%s: %s",
		         rc == CURLE_PEER_FAILED_VERIFICATION
		                 ? "TLS certificate verification failed"
		                 : "TLS handshake failed",
		         d);
		break;
	case HTTP_E_TOO_BIG:
		snprintf(c->error, sizeof c->error, "response larger than %u MiB",
		         HTTP_MAX_RESPONSE >> 20);
		break;
	case HTTP_E_SEND_RECV:
		snprintf(c->error, sizeof c->error, "connection failed during the request: %s", d);
		break;
	default:
		snprintf(c->error, sizeof c->error, "HTTP request failed: %s", d);
		break;
	}
}

static void http_done(struct kt_loop_xfer *x, int code)
{
	struct http_call *c = http_of_xfer(x);
	CURLcode rc = (CURLcode)code;
	struct http_result r;
	memset(&r, 0, sizeof r);
	r.curl_code = code;
	r.kind = http_classify(c, rc);
	curl_off_t total_us = 0;
	curl_easy_getinfo(c->easy, CURLINFO_TOTAL_TIME_T, &total_us);
	r.rtt_us = total_us > 0 ? (uint64_t)total_us : 0;
	r.wire_done_ns = c->wire_ns;
	if (r.kind == HTTP_OK) {
		long status = 0;
		curl_easy_getinfo(c->easy, CURLINFO_RESPONSE_CODE, &status);
		r.status = (int)status;
		r.body = c->body.p ? c->body.p : "";
		r.body_len = c->body.len;
		r.headers = c->hv;
		r.n_headers = c->n_hv;
	} else {
		http_format_error(c, rc, r.kind);
		r.error = c->error;
		r.body = "";
		LOGD("http: %s", c->error);
	}
	/* Out of the multi handle first, so the connection can be reused by a
	 * request the callback makes. */
	curl_multi_remove_handle(kt_loop_curlm(c->loop), c->easy);
	kt_loop_disown(&c->own);
	c->in_cb = true;
	c->cb(c->arg, &r);
	http_call_free(c);
}

static void http_release(struct kt_loop_owned *o)
{
	http_call_free(http_of_owned(o));
}

static bool http_has_header(const char *const *headers, const char *name)
{
	size_t n = strlen(name);
	for (; headers && *headers; headers++)
		if (strncasecmp(*headers, name, n) == 0 && (*headers)[n] == ':')
			return true;
	return false;
}

static void http_set_method(struct http_call *c, const struct http_req_opts *o)
{
	const char *m = o->method ? o->method : "GET";
	bool has_body = o->body_len > 0 || strcasecmp(m, "POST") == 0 ||
	                strcasecmp(m, "PUT") == 0 || strcasecmp(m, "PATCH") == 0;
	if (strcasecmp(m, "HEAD") == 0) {
		curl_easy_setopt(c->easy, CURLOPT_NOBODY, 1L);
		return;
	}
	if (has_body) {
		/* the size first: then curl copies body_len bytes, NULs included */
		curl_easy_setopt(c->easy, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)o->body_len);
		curl_easy_setopt(c->easy, CURLOPT_COPYPOSTFIELDS, o->body ? o->body : "");
	}
	if (strcasecmp(m, has_body ? "POST" : "GET") != 0)
		curl_easy_setopt(c->easy, CURLOPT_CUSTOMREQUEST, m);
}

static void http_set_headers(struct http_call *c, const struct http_req_opts *o)
{
	for (const char *const *h = o->headers; h && *h; h++)
		c->req_headers = curl_slist_append(c->req_headers, *h);
	if (!http_has_header(o->headers, "User-Agent"))
		c->req_headers =
		        curl_slist_append(c->req_headers, "User-Agent: krakterm/" PACKAGE_VERSION);
	if (!http_has_header(o->headers, "Expect")) /* no 100-continue round trip */
		c->req_headers = curl_slist_append(c->req_headers, "Expect:");
	curl_easy_setopt(c->easy, CURLOPT_HTTPHEADER, c->req_headers);
}

struct http_call *http_request(struct kt_loop *loop, const struct http_req_opts *o,
                               void (*cb)(void *arg, const struct http_result *res), void *arg)
{
	if (!o || !o->url || !cb)
		return NULL;
	struct http_call *c = xcalloc(1, sizeof *c);
	c->xfer.done = http_done;
	c->loop = loop;
	c->cb = cb;
	c->arg = arg;
	c->timeout_ms = o->timeout_ms ? o->timeout_ms : HTTP_DEFAULT_TIMEOUT_MS;
	c->easy = curl_easy_init();
	if (!c->easy) {
		LOGE("http: curl_easy_init failed");
		free(c);
		return NULL;
	}
	CURL *e = c->easy;
	const char *ca = o->ca_file ? o->ca_file : kt_loop_opts(loop)->ca_file;
	curl_easy_setopt(e, CURLOPT_URL, o->url);
#if LIBCURL_VERSION_NUM >= 0x075500
	curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
#else
	curl_easy_setopt(e, CURLOPT_PROTOCOLS, (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS));
#endif
	curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(e, CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_1_1);
	curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, 2L);
	if (ca) /* replaces the CA bundle file; the system CA directory stays trusted */
		curl_easy_setopt(e, CURLOPT_CAINFO, ca);
	curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, (long)c->timeout_ms);
	curl_easy_setopt(e, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)HTTP_MAX_RESPONSE);
	curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, http_write_cb);
	curl_easy_setopt(e, CURLOPT_WRITEDATA, c);
	curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, http_header_cb);
	curl_easy_setopt(e, CURLOPT_HEADERDATA, c);
	curl_easy_setopt(e, CURLOPT_DEBUGFUNCTION, http_debug_cb);
	curl_easy_setopt(e, CURLOPT_DEBUGDATA, c);
	curl_easy_setopt(e, CURLOPT_VERBOSE, 1L); /* feeds http_debug_cb, prints nothing */
	curl_easy_setopt(e, CURLOPT_ERRORBUFFER, c->errbuf);
	curl_easy_setopt(e, CURLOPT_PRIVATE, (void *)&c->xfer);
	http_set_method(c, o);
	http_set_headers(c, o);
	c->own.release = http_release;
	kt_loop_own(loop, &c->own);
	CURLMcode mc = curl_multi_add_handle(kt_loop_curlm(loop), e);
	if (mc != CURLM_OK) {
		LOGE("http: cannot start a request: %s", curl_multi_strerror(mc));
		http_call_free(c);
		return NULL;
	}
	return c;
}

void http_cancel(struct http_call *c)
{
	if (!c || c->in_cb)
		return;
	http_call_free(c);
}
