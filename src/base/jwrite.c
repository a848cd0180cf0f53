/* jwrite: streaming JSON writer (see jwrite.h). */
#include "base/jwrite.h"

#include <inttypes.h>
#include <string.h>

#define JW_MAX_DEPTH 64

void jw_init(struct jw *w, struct sbuf *b)
{
	memset(w, 0, sizeof *w);
	w->b = b;
}

bool jw_error(const struct jw *w)
{
	return w->err || w->depth != 0 || w->after_key;
}

static bool level_is_obj(const struct jw *w)
{
	return w->depth && (w->in_obj >> (w->depth - 1)) & 1;
}

/* Separator before a value: none after a key, a comma between elements. */
static void jw_pre_value(struct jw *w)
{
	if (w->after_key) {
		w->after_key = false;
		return;
	}
	if (level_is_obj(w)) {
		w->err = true; /* a value where a key is due */
		return;
	}
	if (w->depth) {
		uint64_t bit = 1ULL << (w->depth - 1);
		if (w->nonempty & bit)
			sbuf_addc(w->b, ',');
		w->nonempty |= bit;
	}
}

static void jw_begin(struct jw *w, bool obj)
{
	jw_pre_value(w);
	if (w->depth == JW_MAX_DEPTH) {
		w->err = true;
		return;
	}
	uint64_t bit = 1ULL << w->depth;
	w->depth++;
	w->nonempty &= ~bit;
	if (obj)
		w->in_obj |= bit;
	else
		w->in_obj &= ~bit;
	sbuf_addc(w->b, obj ? '{' : '[');
}

static void jw_end(struct jw *w, bool obj)
{
	if (!w->depth || level_is_obj(w) != obj || w->after_key) {
		w->err = true;
		return;
	}
	w->depth--;
	sbuf_addc(w->b, obj ? '}' : ']');
}

void jw_obj_begin(struct jw *w)
{
	jw_begin(w, true);
}
void jw_obj_end(struct jw *w)
{
	jw_end(w, true);
}
void jw_arr_begin(struct jw *w)
{
	jw_begin(w, false);
}
void jw_arr_end(struct jw *w)
{
	jw_end(w, false);
}

/* Length of the well-formed UTF-8 sequence at s[0..n) (s[0] >= 0x80): 2..4, or 0
 * for a stray, overlong, surrogate or out-of-range sequence. */
static size_t utf8_seq(const unsigned char *s, size_t n)
{
	size_t len = s[0] >= 0xf0 ? 4 : s[0] >= 0xe0 ? 3 : s[0] >= 0xc2 ? 2 : 0;
	if (len == 0 || s[0] > 0xf4 || n < len)
		return 0;
	for (size_t k = 1; k < len; k++)
		if ((s[k] & 0xc0) != 0x80)
			return 0;
	if ((s[0] == 0xe0 && s[1] < 0xa0) || (s[0] == 0xed && s[1] > 0x9f) ||
	    (s[0] == 0xf0 && s[1] < 0x90) || (s[0] == 0xf4 && s[1] > 0x8f))
		return 0;
	return len;
}

void jw_quote(struct sbuf *b, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	sbuf_reserve(b, n + 2);
	sbuf_addc(b, '"');
	size_t run = 0; /* start of the pending run of bytes that need no escaping */
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\')
			continue;
		if (c >= 0x80) {
			/* JSON text is UTF-8: a byte that is not part of a well-formed
			 * sequence (a client's cliOrdId, say) becomes U+FFFD */
			size_t len = utf8_seq((const unsigned char *)s + i, n - i);
			if (len) {
				i += len - 1;
				continue;
			}
			sbuf_add(b, s + run, i - run);
			run = i + 1;
			sbuf_adds(b, "\\ufffd");
			continue;
		}
		sbuf_add(b, s + run, i - run);
		run = i + 1;
		char e[7] = {'\\', 0};
		switch (c) {
		case '"':
			e[1] = '"';
			break;
		case '\\':
			e[1] = '\\';
			break;
		case '\n':
			e[1] = 'n';
			break;
		case '\r':
			e[1] = 'r';
			break;
		case '\t':
			e[1] = 't';
			break;
		case '\b':
			e[1] = 'b';
			break;
		case '\f':
			e[1] = 'f';
			break;
		default:
			memcpy(e + 1, "u00", 3);
			e[4] = hex[c >> 4];
			e[5] = hex[c & 15];
		}
		sbuf_adds(b, e);
	}
	sbuf_add(b, s + run, n - run);
	sbuf_addc(b, '"');
}

void jw_key(struct jw *w, const char *key)
{
	if (!level_is_obj(w) || w->after_key) {
		w->err = true;
		return;
	}
	uint64_t bit = 1ULL << (w->depth - 1);
	if (w->nonempty & bit)
		sbuf_addc(w->b, ',');
	w->nonempty |= bit;
	jw_quote(w->b, key, strlen(key));
	sbuf_addc(w->b, ':');
	w->after_key = true;
}

void jw_strn(struct jw *w, const char *s, size_t n)
{
	jw_pre_value(w);
	jw_quote(w->b, s, n);
}

void jw_str(struct jw *w, const char *s)
{
	jw_strn(w, s, strlen(s));
}

void jw_raw(struct jw *w, const char *json)
{
	jw_pre_value(w);
	sbuf_adds(w->b, json);
}

void jw_dec(struct jw *w, dec_t v)
{
	char t[DEC_FMT_MAX];
	jw_pre_value(w);
	sbuf_add(w->b, t, (size_t)dec_fmt(v, -1, t, sizeof t));
}

void jw_dec_str(struct jw *w, dec_t v)
{
	char t[DEC_FMT_MAX];
	jw_pre_value(w);
	sbuf_addc(w->b, '"');
	sbuf_add(w->b, t, (size_t)dec_fmt(v, -1, t, sizeof t));
	sbuf_addc(w->b, '"');
}

void jw_i64(struct jw *w, int64_t v)
{
	jw_pre_value(w);
	sbuf_addf(w->b, "%" PRId64, v);
}

void jw_u64(struct jw *w, uint64_t v)
{
	jw_pre_value(w);
	sbuf_addf(w->b, "%" PRIu64, v);
}

void jw_bool(struct jw *w, bool v)
{
	jw_pre_value(w);
	sbuf_adds(w->b, v ? "true" : "false");
}

void jw_null(struct jw *w)
{
	jw_pre_value(w);
	sbuf_adds(w->b, "null");
}
