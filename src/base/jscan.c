/* jscan: the JSON tokenizer and its accessors (see jscan.h). */
#include "base/jscan.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"

void jdoc_init(struct jdoc *d)
{
	memset(d, 0, sizeof *d);
}

void jdoc_free(struct jdoc *d)
{
	free(d->t);
	jdoc_init(d);
}

/* ---- tokenizer ---------------------------------------------------------- */

struct jparser {
	struct jdoc *d;
	const unsigned char *s;
	size_t len, i;
	struct kerr *err;
};

static int jp_fail(struct jparser *p, int code, size_t at, const char *what)
{
	p->d->n = 0;
	return kerr_set(p->err, code, "JSON: %s at byte %zu", what, at);
}

static int jp_fail_char(struct jparser *p, const char *what)
{
	char msg[96];
	if (p->i >= p->len)
		return jp_fail(p, JSCAN_E_SYNTAX, p->i, "unexpected end of input");
	unsigned char c = p->s[p->i];
	if (c >= 0x20 && c < 0x7f)
		snprintf(msg, sizeof msg, "%s, found '%c'", what, c);
	else
		snprintf(msg, sizeof msg, "%s, found byte 0x%02x", what, c);
	return jp_fail(p, JSCAN_E_SYNTAX, p->i, msg);
}

static void jp_ws(struct jparser *p)
{
	while (p->i < p->len) {
		unsigned char c = p->s[p->i];
		if (c != ' ' && c != '\n' && c != '\r' && c != '\t')
			break;
		p->i++;
	}
}

static int jp_push(struct jdoc *d, enum jtype type, size_t start)
{
	if (d->n == d->cap)
		d->t = xgrow(d->t, &d->cap, d->n + 1, sizeof *d->t);
	struct jtok *t = &d->t[d->n];
	t->type = (uint8_t)type;
	t->start = (uint32_t)start;
	t->len = 0;
	t->size = 0;
	t->end = (uint32_t)d->n + 1;
	return (int)d->n++;
}

static bool is_digit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

static int hexval(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Length of the well-formed UTF-8 sequence at p (no overlongs, surrogates or
 * code points above U+10FFFF), or 0. */
static size_t utf8_seq(const unsigned char *p, size_t n)
{
	unsigned c = p[0], lo = 0x80, hi = 0xBF;
	size_t need;
	if (c >= 0xC2 && c <= 0xDF)
		need = 2;
	else if (c >= 0xE0 && c <= 0xEF) {
		need = 3;
		if (c == 0xE0)
			lo = 0xA0;
		if (c == 0xED)
			hi = 0x9F;
	} else if (c >= 0xF0 && c <= 0xF4) {
		need = 4;
		if (c == 0xF0)
			lo = 0x90;
		if (c == 0xF4)
			hi = 0x8F;
	} else
		return 0;
	if (n < need || p[1] < lo || p[1] > hi)
		return 0;
	for (size_t k = 2; k < need; k++)
		if (p[k] < 0x80 || p[k] > 0xBF)
			return 0;
	return need;
}

/* A string starting at the opening quote p->i; pushes a J_STR token. */
static int jp_string(struct jparser *p)
{
	size_t open = p->i++;
	int tok = jp_push(p->d, J_STR, p->i);
	bool esc = false;
	for (;;) {
		while (p->i < p->len) {
			unsigned char c = p->s[p->i];
			if (c < 0x20 || c == '"' || c == '\\' || c >= 0x80)
				break;
			p->i++;
		}
		if (p->i >= p->len)
			return jp_fail(p, JSCAN_E_SYNTAX, open, "unterminated string");
		unsigned char c = p->s[p->i];
		if (c == '"')
			break;
		if (c < 0x20)
			return jp_fail(p, JSCAN_E_SYNTAX, p->i,
			               "control character in string (must be escaped)");
		if (c >= 0x80) {
			size_t k = utf8_seq(p->s + p->i, p->len - p->i);
			if (!k)
				return jp_fail(p, JSCAN_E_SYNTAX, p->i, "invalid UTF-8 in string");
			p->i += k;
			continue;
		}
		/* backslash */
		esc = true;
		if (p->i + 1 >= p->len)
			return jp_fail(p, JSCAN_E_SYNTAX, open, "unterminated string");
		switch (p->s[p->i + 1]) {
		case '"':
		case '\\':
		case '/':
		case 'b':
		case 'f':
		case 'n':
		case 'r':
		case 't':
			p->i += 2;
			break;
		case 'u':
			for (size_t k = 2; k < 6; k++) {
				if (p->i + k >= p->len)
					return jp_fail(p, JSCAN_E_SYNTAX, p->i,
					               "truncated \\u escape");
				if (hexval(p->s[p->i + k]) < 0)
					return jp_fail(p, JSCAN_E_SYNTAX, p->i,
					               "\\u must be followed by 4 hex digits");
			}
			p->i += 6;
			break;
		default:
			return jp_fail(p, JSCAN_E_SYNTAX, p->i, "invalid escape sequence");
		}
	}
	struct jtok *t = &p->d->t[tok];
	t->len = (uint32_t)(p->i - t->start);
	t->size = esc;
	p->i++; /* closing quote */
	return 0;
}

static int jp_number(struct jparser *p)
{
	size_t start = p->i;
	const unsigned char *s = p->s;
	if (s[p->i] == '-')
		p->i++;
	if (p->i >= p->len || !is_digit(s[p->i]))
		return jp_fail_char(p, "expected a digit in number");
	if (s[p->i] == '0') {
		p->i++;
		if (p->i < p->len && is_digit(s[p->i]))
			return jp_fail(p, JSCAN_E_SYNTAX, start, "leading zeros are not allowed");
	} else {
		while (p->i < p->len && is_digit(s[p->i]))
			p->i++;
	}
	if (p->i < p->len && s[p->i] == '.') {
		p->i++;
		if (p->i >= p->len || !is_digit(s[p->i]))
			return jp_fail_char(p, "expected a digit after '.'");
		while (p->i < p->len && is_digit(s[p->i]))
			p->i++;
	}
	if (p->i < p->len && (s[p->i] == 'e' || s[p->i] == 'E')) {
		p->i++;
		if (p->i < p->len && (s[p->i] == '+' || s[p->i] == '-'))
			p->i++;
		if (p->i >= p->len || !is_digit(s[p->i]))
			return jp_fail_char(p, "expected a digit in exponent");
		while (p->i < p->len && is_digit(s[p->i]))
			p->i++;
	}
	int tok = jp_push(p->d, J_NUM, start);
	p->d->t[tok].len = (uint32_t)(p->i - start);
	return 0;
}

static int jp_literal(struct jparser *p, const char *word, enum jtype type)
{
	size_t n = strlen(word);
	if (p->len - p->i < n || memcmp(p->s + p->i, word, n) != 0)
		return jp_fail(p, JSCAN_E_SYNTAX, p->i,
		               "invalid literal (expected true, false or null)");
	int tok = jp_push(p->d, type, p->i);
	p->d->t[tok].len = (uint32_t)n;
	p->i += n;
	return 0;
}

enum jp_state { JP_VALUE, JP_KEY, JP_AFTER };

/* One value at p->i; containers are opened here and closed in jp_after. */
static int jp_value(struct jparser *p, uint32_t *stack, int *depth, enum jp_state *next)
{
	struct jdoc *d = p->d;
	if (*depth > 0 && d->t[stack[*depth - 1]].type == J_ARR)
		d->t[stack[*depth - 1]].size++;
	*next = JP_AFTER;
	switch (p->s[p->i]) {
	case '{':
	case '[': {
		bool obj = p->s[p->i] == '{';
		if (*depth == JSCAN_MAX_DEPTH)
			return jp_fail(p, JSCAN_E_DEPTH, p->i, "nesting deeper than 64 levels");
		int tok = jp_push(d, obj ? J_OBJ : J_ARR, p->i);
		stack[(*depth)++] = (uint32_t)tok;
		p->i++;
		jp_ws(p);
		if (p->i < p->len && p->s[p->i] == (obj ? '}' : ']'))
			return 0; /* empty: jp_after closes it */
		*next = obj ? JP_KEY : JP_VALUE;
		return 0;
	}
	case '"':
		return jp_string(p);
	case 't':
		return jp_literal(p, "true", J_TRUE);
	case 'f':
		return jp_literal(p, "false", J_FALSE);
	case 'n':
		return jp_literal(p, "null", J_NULL);
	default:
		if (p->s[p->i] == '-' || is_digit(p->s[p->i]))
			return jp_number(p);
		return jp_fail_char(p, "expected a value");
	}
}

/* After a value: a comma, the end of the enclosing container, or the end of input. */
static int jp_after(struct jparser *p, uint32_t *stack, int *depth, enum jp_state *next)
{
	struct jdoc *d = p->d;
	for (;;) {
		jp_ws(p);
		if (*depth == 0) {
			if (p->i != p->len)
				return jp_fail_char(p, "unexpected data after the JSON value");
			return 1;
		}
		struct jtok *top = &d->t[stack[*depth - 1]];
		char close = top->type == J_OBJ ? '}' : ']';
		if (p->i < p->len && p->s[p->i] == ',') {
			p->i++;
			jp_ws(p);
			if (p->i < p->len && p->s[p->i] == close)
				return jp_fail(p, JSCAN_E_SYNTAX, p->i, "trailing comma");
			*next = top->type == J_OBJ ? JP_KEY : JP_VALUE;
			return 0;
		}
		if (p->i >= p->len || p->s[p->i] != close)
			return jp_fail_char(p, top->type == J_OBJ ? "expected ',' or '}'"
			                                          : "expected ',' or ']'");
		top->len = (uint32_t)(p->i + 1 - top->start);
		top->end = (uint32_t)d->n;
		(*depth)--;
		p->i++;
	}
}

static int jp_key(struct jparser *p, uint32_t *stack, int depth)
{
	if (p->i >= p->len || p->s[p->i] != '"')
		return jp_fail_char(p, "expected a string key");
	p->d->t[stack[depth - 1]].size++;
	if (jp_string(p))
		return -1;
	jp_ws(p);
	if (p->i >= p->len || p->s[p->i] != ':')
		return jp_fail_char(p, "expected ':' after key");
	p->i++;
	return 0;
}

int jdoc_parse(struct jdoc *d, const char *src, size_t len, struct kerr *err)
{
	struct jparser p = {d, (const unsigned char *)src, len, 0, err};
	uint32_t stack[JSCAN_MAX_DEPTH];
	int depth = 0;
	enum jp_state st = JP_VALUE;
	d->src = src;
	d->len = len;
	d->n = 0;
	if (len >= UINT32_MAX)
		return jp_fail(&p, JSCAN_E_SIZE, 0, "document too large");
	for (;;) {
		int rc;
		jp_ws(&p);
		if (st == JP_KEY) {
			if (jp_key(&p, stack, depth))
				return -1;
			st = JP_VALUE;
			continue;
		}
		if (st == JP_VALUE) {
			if (p.i >= p.len)
				return jp_fail(&p, JSCAN_E_SYNTAX, p.i,
				               "unexpected end of input, expected a value");
			if (jp_value(&p, stack, &depth, &st))
				return -1;
			continue;
		}
		rc = jp_after(&p, stack, &depth, &st);
		if (rc < 0)
			return -1;
		if (rc > 0)
			return 0;
	}
}

/* ---- string decoding ---------------------------------------------------- */

static bool valid(const struct jdoc *d, int tok)
{
	return tok >= 0 && (size_t)tok < d->n;
}

static size_t utf8_put(uint32_t cp, char *out)
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xC0 | (cp >> 6));
		out[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xE0 | (cp >> 12));
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		out[2] = (char)(0x80 | (cp & 0x3F));
		return 3;
	}
	out[0] = (char)(0xF0 | (cp >> 18));
	out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
	out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
	out[3] = (char)(0x80 | (cp & 0x3F));
	return 4;
}

/* 4 hex digits at s[i..i+4) (bounds checked), or -1. */
static long hex4(const char *s, size_t n, size_t i)
{
	long v = 0;
	if (n < 4 || i > n - 4)
		return -1;
	for (size_t k = 0; k < 4; k++) {
		int h = hexval((unsigned char)s[i + k]);
		if (h < 0)
			return -1;
		v = v * 16 + h;
	}
	return v;
}

/* Decode the unit of escaped text at s[*i] into out (1-4 bytes); advances *i. */
static size_t unesc_next(const char *s, size_t n, size_t *i, char out[4])
{
	char c = s[(*i)++];
	if (c != '\\' || *i >= n) {
		out[0] = c;
		return 1;
	}
	c = s[(*i)++];
	switch (c) {
	case 'b':
		out[0] = '\b';
		return 1;
	case 'f':
		out[0] = '\f';
		return 1;
	case 'n':
		out[0] = '\n';
		return 1;
	case 'r':
		out[0] = '\r';
		return 1;
	case 't':
		out[0] = '\t';
		return 1;
	case 'u':
		break;
	default:
		out[0] = c;
		return 1; /* " \ / */
	}
	long cp = hex4(s, n, *i);
	if (cp < 0)
		return utf8_put(0xFFFD, out);
	*i += 4;
	if (cp >= 0xD800 && cp <= 0xDBFF && *i + 1 < n && s[*i] == '\\' && s[*i + 1] == 'u') {
		long lo = hex4(s, n, *i + 2);
		if (lo >= 0xDC00 && lo <= 0xDFFF) {
			*i += 6;
			return utf8_put(0x10000 + (((uint32_t)cp - 0xD800) << 10) +
			                        ((uint32_t)lo - 0xDC00),
			                out);
		}
	}
	if (cp >= 0xD800 && cp <= 0xDFFF)
		cp = 0xFFFD; /* lone surrogate */
	return utf8_put((uint32_t)cp, out);
}

bool jstr_eqn(const struct jdoc *d, int tok, const char *s, size_t n)
{
	if (!jtok_is(d, tok, J_STR))
		return false;
	const struct jtok *t = &d->t[tok];
	const char *r = d->src + t->start;
	if (!t->size)
		return t->len == n && memcmp(r, s, n) == 0;
	size_t i = 0, o = 0;
	while (i < t->len) {
		char u[4];
		size_t k = unesc_next(r, t->len, &i, u);
		if (o + k > n || memcmp(s + o, u, k) != 0)
			return false;
		o += k;
	}
	return o == n;
}

bool jstr_eq(const struct jdoc *d, int tok, const char *s)
{
	return jstr_eqn(d, tok, s, strlen(s));
}

size_t jtok_str(const struct jdoc *d, int tok, char *buf, size_t cap)
{
	size_t o = 0, i = 0;
	unsigned char dropped = 0; /* first byte that did not fit */
	bool cut = false;
	if (cap)
		buf[0] = '\0';
	if (!valid(d, tok))
		return 0;
	const struct jtok *t = &d->t[tok];
	const char *r = d->src + t->start;
	bool unescape = t->type == J_STR && t->size;
	while (i < t->len) {
		char u[4];
		size_t k = unescape ? unesc_next(r, t->len, &i, u) : (u[0] = r[i++], 1);
		for (size_t j = 0; j < k; j++, o++) {
			if (o + 1 < cap)
				buf[o] = u[j];
			else if (!cut) {
				cut = true;
				dropped = (unsigned char)u[j];
			}
		}
	}
	if (!cap)
		return o;
	size_t w = cut ? cap - 1 : o;
	if (cut && (dropped & 0xC0) == 0x80) {
		/* cut inside a character: drop its lead byte and continuation bytes too */
		while (w > 0 && ((unsigned char)buf[w - 1] & 0xC0) == 0x80)
			w--;
		if (w > 0)
			w--;
	}
	buf[w] = '\0';
	return o;
}

char *jtok_strdup(const struct jdoc *d, int tok)
{
	if (!valid(d, tok))
		return NULL;
	size_t n = jtok_str(d, tok, NULL, 0);
	char *s = xmalloc(n + 1);
	jtok_str(d, tok, s, n + 1);
	return s;
}

/* ---- navigation --------------------------------------------------------- */

enum jtype jtok_type(const struct jdoc *d, int tok)
{
	return valid(d, tok) ? (enum jtype)d->t[tok].type : J_NONE;
}

bool jtok_is(const struct jdoc *d, int tok, enum jtype t)
{
	return jtok_type(d, tok) == t;
}

size_t jtok_size(const struct jdoc *d, int tok)
{
	enum jtype t = jtok_type(d, tok);
	return t == J_OBJ || t == J_ARR ? d->t[tok].size : 0;
}

const char *jtok_raw(const struct jdoc *d, int tok, size_t *len)
{
	if (!valid(d, tok))
		return NULL;
	if (len)
		*len = d->t[tok].len;
	return d->src + d->t[tok].start;
}

int jfirst(const struct jdoc *d, int container)
{
	return jtok_size(d, container) ? container + 1 : -1;
}

int jnext(const struct jdoc *d, int container, int child)
{
	if (!valid(d, container) || child <= container || !valid(d, child))
		return -1;
	uint32_t nx;
	if (d->t[container].type == J_OBJ) {
		if (!valid(d, child + 1))
			return -1;
		nx = d->t[child + 1].end;
	} else {
		nx = d->t[child].end;
	}
	return nx < d->t[container].end ? (int)nx : -1;
}

int jobj_getn(const struct jdoc *d, int obj, const char *key, size_t keylen)
{
	if (!jtok_is(d, obj, J_OBJ))
		return -1;
	for (int k = jfirst(d, obj); k >= 0; k = jnext(d, obj, k))
		if (jstr_eqn(d, k, key, keylen))
			return k + 1;
	return -1;
}

int jobj_get(const struct jdoc *d, int obj, const char *key)
{
	return jobj_getn(d, obj, key, strlen(key));
}

int jarr_at(const struct jdoc *d, int arr, size_t i)
{
	if (!jtok_is(d, arr, J_ARR) || i >= d->t[arr].size)
		return -1;
	int k = arr + 1;
	while (i--)
		k = (int)d->t[k].end;
	return k;
}

int jpath(const struct jdoc *d, int tok, ...)
{
	va_list ap;
	const char *k;
	va_start(ap, tok);
	while (tok >= 0 && (k = va_arg(ap, const char *)) != NULL) {
		if (jtok_is(d, tok, J_OBJ)) {
			tok = jobj_get(d, tok, k);
		} else if (jtok_is(d, tok, J_ARR) && *k) {
			size_t idx = 0;
			for (const char *c = k; *c && tok >= 0; c++) {
				if (!is_digit((unsigned char)*c) || idx > (size_t)UINT32_MAX)
					tok = -1;
				idx = idx * 10 + (size_t)(*c - '0');
			}
			if (tok >= 0)
				tok = jarr_at(d, tok, idx);
		} else {
			tok = -1;
		}
	}
	va_end(ap);
	return tok;
}

/* ---- scalar conversion -------------------------------------------------- */

/* Raw text of a number, or of a string without escapes (numeric strings). */
static const char *num_text(const struct jdoc *d, int tok, size_t *len)
{
	enum jtype t = jtok_type(d, tok);
	if (t != J_NUM && !(t == J_STR && !d->t[tok].size))
		return NULL;
	*len = d->t[tok].len;
	return d->src + d->t[tok].start;
}

static const char *type_name(enum jtype t)
{
	static const char *const names[] = {"nothing",  "an object", "an array", "a string",
	                                    "a number", "true",      "false",    "null"};
	return (unsigned)t < sizeof names / sizeof names[0] ? names[t] : "?";
}

int jtok_dec(const struct jdoc *d, int tok, dec_t *out, struct kerr *err)
{
	size_t n;
	const char *s = num_text(d, tok, &n);
	if (!s)
		return kerr_set(err, JSCAN_E_TYPE, "expected a number, got %s",
		                type_name(jtok_type(d, tok)));
	return dec_parse_num(s, n, out, err);
}

/* Whole decimal text (with exponent or fraction) that is not a plain integer. */
static int integral_dec(const char *s, size_t n, dec_t *v)
{
	if (dec_parse_num(s, n, v, NULL))
		return -1;
	*v = dec_normalize(*v);
	return v->s == 0 ? 0 : -1;
}

int jtok_i64(const struct jdoc *d, int tok, int64_t *out)
{
	size_t n, i = 0;
	const char *s = num_text(d, tok, &n);
	if (!s || n == 0)
		return -1;
	bool neg = s[0] == '-';
	i = neg;
	int64_t v = 0;
	for (; i < n && is_digit((unsigned char)s[i]); i++) {
		int dig = s[i] - '0';
		if (__builtin_mul_overflow(v, 10, &v) ||
		    (neg ? __builtin_sub_overflow(v, dig, &v) : __builtin_add_overflow(v, dig, &v)))
			return -1;
	}
	if (i == n && n > (size_t)neg) {
		*out = v;
		return 0;
	}
	dec_t x;
	if (integral_dec(s, n, &x))
		return -1;
	*out = x.m;
	return 0;
}

int jtok_u64(const struct jdoc *d, int tok, uint64_t *out)
{
	size_t n, i = 0;
	const char *s = num_text(d, tok, &n);
	if (!s || n == 0)
		return -1;
	uint64_t v = 0;
	for (; i < n && is_digit((unsigned char)s[i]); i++)
		if (__builtin_mul_overflow(v, 10, &v) || __builtin_add_overflow(v, s[i] - '0', &v))
			return -1;
	if (i == n) {
		*out = v;
		return 0;
	}
	dec_t x;
	if (integral_dec(s, n, &x) || x.m < 0)
		return -1;
	*out = (uint64_t)x.m;
	return 0;
}

int jtok_bool(const struct jdoc *d, int tok, bool *out)
{
	enum jtype t = jtok_type(d, tok);
	if (t != J_TRUE && t != J_FALSE)
		return -1;
	*out = t == J_TRUE;
	return 0;
}
