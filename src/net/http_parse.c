/* http_parse: HTTP/1.x request-head parsing for the server. */
#include "net/http_parse.h"

#include <string.h>
#include <strings.h>

ssize_t http_head_length(const char *buf, size_t len, size_t max)
{
	size_t scan = len < max ? len : max;
	const char *p = buf, *end = buf + scan;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		if (!nl)
			break;
		size_t i = (size_t)(nl - buf);
		if (i + 1 < scan && buf[i + 1] == '\n')
			return (ssize_t)(i + 2);
		if (i + 2 < scan && buf[i + 1] == '\r' && buf[i + 2] == '\n')
			return (ssize_t)(i + 3);
		p = nl + 1;
	}
	return len >= max ? -1 : 0;
}

/* RFC 9110 tchar: the characters of a method or a field name. */
static bool is_tchar(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return true;
	if ((c | 0x20) >= 'a' && (c | 0x20) <= 'z')
		return true;
	return c && strchr("!#$%&'*+-.^_`|~", c) != NULL;
}

/* Cut the line starting at *pos (within buf[0..len)) and return it, NUL-terminated and
 * without its CRLF/LF; NULL if it holds a stray CR. */
static char *next_line(char *buf, size_t len, size_t *pos)
{
	char *line = buf + *pos;
	char *nl = memchr(line, '\n', len - *pos);
	if (!nl)
		return NULL; /* cannot happen for a head measured by http_head_length */
	*pos = (size_t)(nl - buf) + 1;
	*nl = '\0';
	if (nl > line && nl[-1] == '\r')
		nl[-1] = '\0';
	if (strchr(line, '\r'))
		return NULL;
	return line;
}

/* "METHOD SP target SP HTTP/1.x" */
static int parse_request_line(char *line, struct http_head *h, int *status)
{
	*status = 400;
	char *p = line;
	while (is_tchar((unsigned char)*p))
		p++;
	if (p == line || *p != ' ')
		return -1;
	*p++ = '\0';
	h->method = line;

	char *target = p;
	while ((unsigned char)*p > 0x20 && (unsigned char)*p < 0x7F)
		p++;
	if (p == target || *p != ' ' || target[0] != '/')
		return -1;
	*p++ = '\0';

	if (strncmp(p, "HTTP/", 5) != 0 || p[5] < '0' || p[5] > '9' || p[6] != '.' || p[7] < '0' ||
	    p[7] > '9' || p[8] != '\0')
		return -1;
	if (p[5] != '1') {
		*status = 505;
		return -1;
	}
	h->minor = p[7] == '0' ? 0 : 1;

	char *q = strchr(target, '?');
	h->query = "";
	if (q) {
		*q = '\0';
		h->query = q + 1;
	}
	h->path = target;
	return 0;
}

/* "name: value" with optional blanks around the value. */
static int parse_field(char *line, struct http_header *out)
{
	char *p = line;
	while (is_tchar((unsigned char)*p))
		p++;
	if (p == line || *p != ':')
		return -1;
	*p++ = '\0';
	while (*p == ' ' || *p == '\t')
		p++;
	char *v = p;
	for (; *p; p++) {
		unsigned char c = (unsigned char)*p;
		if ((c < 0x20 && c != '\t') || c == 0x7F)
			return -1;
	}
	while (p > v && (p[-1] == ' ' || p[-1] == '\t'))
		p--;
	*p = '\0';
	out->name = line;
	out->value = v;
	return 0;
}

int http_parse_head(char *buf, size_t len, struct http_head *h, int *status)
{
	memset(h, 0, sizeof *h);
	*status = 400;
	if (memchr(buf, '\0', len))
		return -1;
	size_t pos = 0;
	char *line = next_line(buf, len, &pos);
	if (!line || parse_request_line(line, h, status) < 0)
		return -1;
	*status = 400;
	for (;;) {
		if (pos >= len)
			return -1;
		line = next_line(buf, len, &pos);
		if (!line)
			return -1;
		if (!*line)
			break;
		if (h->nheaders == HTTP_MAX_HEADERS) {
			*status = 431;
			return -1;
		}
		if (parse_field(line, &h->headers[h->nheaders]) < 0)
			return -1;
		h->nheaders++;
	}
	*status = 0;
	return 0;
}

const char *http_head_get(const struct http_head *h, const char *name)
{
	for (size_t i = 0; i < h->nheaders; i++)
		if (strcasecmp(h->headers[i].name, name) == 0)
			return h->headers[i].value;
	return NULL;
}

bool http_token_list_has(const char *value, const char *token)
{
	size_t tl = strlen(token);
	const char *p = value;
	while (p && *p) {
		while (*p == ' ' || *p == '\t' || *p == ',')
			p++;
		const char *e = p;
		while (*e && *e != ',')
			e++;
		const char *t = e;
		while (t > p && (t[-1] == ' ' || t[-1] == '\t'))
			t--;
		if ((size_t)(t - p) == tl && strncasecmp(p, token, tl) == 0)
			return true;
		p = e;
	}
	return false;
}

int http_content_length(const char *value, size_t max, size_t *out, bool *too_big)
{
	*too_big = false;
	if (!*value)
		return -1;
	size_t n = 0;
	for (const char *p = value; *p; p++) {
		if (*p < '0' || *p > '9')
			return -1;
		if (n > (max - (size_t)(*p - '0')) / 10) {
			*too_big = true;
			return -1;
		}
		n = n * 10 + (size_t)(*p - '0');
	}
	*out = n;
	return 0;
}

int http_head_framing(const struct http_head *h, size_t max_body, size_t *body_len,
                      bool *keep_alive, int *status)
{
	const char *conn = http_head_get(h, "Connection");
	if (h->minor >= 1)
		*keep_alive = !conn || !http_token_list_has(conn, "close");
	else
		*keep_alive = conn && http_token_list_has(conn, "keep-alive");
	*body_len = 0;
	*status = 411;
	if (http_head_get(h, "Transfer-Encoding"))
		return -1;
	bool seen = false;
	for (size_t i = 0; i < h->nheaders; i++) {
		if (strcasecmp(h->headers[i].name, "Content-Length") != 0)
			continue;
		size_t v;
		bool too_big;
		if (http_content_length(h->headers[i].value, max_body, &v, &too_big) < 0) {
			*status = too_big ? 413 : 400;
			return -1;
		}
		if (seen && v != *body_len) {
			*status = 400;
			return -1;
		}
		*body_len = v;
		seen = true;
	}
	*status = 0;
	return 0;
}

void http_response_head(struct sbuf *out, int status, const char *ctype, size_t len,
                        const char *extra, bool keep_alive, int minor)
{
	sbuf_addf(out, "HTTP/1.1 %d %s\r\nContent-Type: %s\r\nContent-Length: %zu\r\n", status,
	          http_reason(status), ctype ? ctype : "text/plain", len);
	if (!keep_alive)
		sbuf_adds(out, "Connection: close\r\n");
	else if (minor == 0)
		sbuf_adds(out, "Connection: keep-alive\r\n");
	if (extra)
		sbuf_adds(out, extra);
	sbuf_adds(out, "\r\n");
}

static const struct {
	int status;
	const char *reason;
} reasons[] = {
        {101, "Switching Protocols"},
        {200, "OK"},
        {201, "Created"},
        {202, "Accepted"},
        {204, "No Content"},
        {301, "Moved Permanently"},
        {302, "Found"},
        {304, "Not Modified"},
        {400, "Bad Request"},
        {401, "Unauthorized"},
        {403, "Forbidden"},
        {404, "Not Found"},
        {405, "Method Not Allowed"},
        {408, "Request Timeout"},
        {409, "Conflict"},
        {411, "Length Required"},
        {413, "Content Too Large"},
        {415, "Unsupported Media Type"},
        {426, "Upgrade Required"},
        {429, "Too Many Requests"},
        {431, "Request Header Fields Too Large"},
        {500, "Internal Server Error"},
        {501, "Not Implemented"},
        {502, "Bad Gateway"},
        {503, "Service Unavailable"},
        {504, "Gateway Timeout"},
        {505, "HTTP Version Not Supported"},
};

const char *http_reason(int status)
{
	for (size_t i = 0; i < sizeof reasons / sizeof reasons[0]; i++)
		if (reasons[i].status == status)
			return reasons[i].reason;
	return "Unknown";
}
