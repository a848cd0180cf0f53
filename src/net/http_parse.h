/* http_parse: HTTP/1.x message syntax for the server: the request-head parser (request
 * line + header fields), what a head says about framing and keep-alive, and the response
 * head. Pure functions on bytes, strict about syntax, with fixed limits, so any input is
 * answered with a status code instead of a crash; fuzzable on its own.
 *
 * Accepted: "METHOD SP origin-form-target SP HTTP/1.0|1.1" and "name: value" fields,
 * lines ending in CRLF or a bare LF. Refused: obsolete line folding, control characters,
 * absolute-form targets, other HTTP versions (505). */
#ifndef KT_NET_HTTP_PARSE_H
#define KT_NET_HTTP_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "base/sbuf.h"

#define HTTP_MAX_HEAD    (16 * 1024) /* request line + header fields + blank line */
#define HTTP_MAX_HEADERS 64

struct http_header {
	const char *name;  /* as sent (compare case-insensitively) */
	const char *value; /* leading/trailing blanks removed */
};

/* A parsed request head. Every pointer points into the buffer given to http_parse_head,
 * which must outlive it. */
struct http_head {
	const char *method;
	const char *path;  /* the target up to '?', not percent-decoded */
	const char *query; /* after '?' ("" if none), not percent-decoded */
	int minor;         /* HTTP/1.<minor>: 0 or 1 */
	size_t nheaders;
	struct http_header headers[HTTP_MAX_HEADERS];
};

/* Length of the request head at the start of buf (through the blank line), skipping
 * nothing: 0 when it is not complete yet, -1 when it would exceed max bytes. */
ssize_t http_head_length(const char *buf, size_t len, size_t max);

/* Parse a complete head of len bytes in place (separators are overwritten with NULs, so
 * buf must be writable and len must come from http_head_length). Returns 0, or -1 with
 * *status set: 400 (malformed), 431 (too many header fields), 505 (HTTP version). */
int http_parse_head(char *buf, size_t len, struct http_head *h, int *status);

/* The value of the first field called name (case-insensitive), or NULL. */
const char *http_head_get(const struct http_head *h, const char *name);

/* Does a comma-separated field value contain token (case-insensitive)? ("keep-alive,
 * Upgrade" contains "upgrade".) */
bool http_token_list_has(const char *value, const char *token);

/* Parse a Content-Length value: digits only. Returns 0, or -1 when malformed or above
 * max (then *too_big tells which). */
int http_content_length(const char *value, size_t max, size_t *out, bool *too_big);

/* Framing and persistence of a parsed request: the body length (Content-Length only;
 * absent means 0) and whether the connection stays open after the reply (HTTP/1.1 unless
 * "Connection: close"; HTTP/1.0 only with "Connection: keep-alive"). Returns 0, or -1
 * with *status: 411 (Transfer-Encoding, which we do not implement), 413 (over max_body),
 * 400 (malformed or conflicting Content-Length). */
int http_head_framing(const struct http_head *h, size_t max_body, size_t *body_len,
                      bool *keep_alive, int *status);

/* Append a response head: status line, Content-Type (NULL: text/plain), Content-Length,
 * "Connection: close" when !keep_alive ("Connection: keep-alive" for a kept HTTP/1.0
 * connection), extra (NULL or complete "Name: value\r\n" lines) and the blank line. */
void http_response_head(struct sbuf *out, int status, const char *ctype, size_t len,
                        const char *extra, bool keep_alive, int minor);

/* The standard reason phrase for a status ("Not Found"; "Unknown" for others). */
const char *http_reason(int status);

#endif
