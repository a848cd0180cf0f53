/* spot_rest_codec: the response envelope, request parameter lists and their
 * form/JSON rendering, relative prices, and the field helpers the decoders
 * share (spot_rest_int.h). */
#include "kraken/spot_rest_codec.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/jwrite.h"
#include "base/log.h"
#include "base/urlenc.h"
#include "base/xalloc.h"
#include "kraken/errors.h"
#include "kraken/spot_rest_int.h"

/* ---- envelope ---- */

int spot_env_parse(struct jdoc *d, const char *body, size_t len, struct spot_env *env,
		   struct kerr *err)
{
	memset(env, 0, sizeof *env);
	env->result = -1;
	struct kerr jerr = KERR_INIT;
	if (jdoc_parse(d, body, len, &jerr) < 0)
		return kerr_set(err, SPOT_E_JSON, "the response is not valid JSON (%s)", jerr.msg);
	if (!jtok_is(d, 0, J_OBJ))
		return kerr_set(err, SPOT_E_JSON, "the response is not a JSON object");
	int e = jobj_get(d, 0, "error");
	int r = jobj_get(d, 0, "result");
	if (e < 0 && r < 0)
		return kerr_set(err, SPOT_E_JSON, "the response has neither \"error\" nor \"result\"");
	if (e >= 0 && !jtok_is(d, e, J_ARR))
		return kerr_set(err, SPOT_E_JSON, "the response's \"error\" is not an array");
	for (int k = jfirst(d, e); k >= 0; k = jnext(d, e, k)) {
		char s[192];
		if (!jtok_is(d, k, J_STR))
			return kerr_set(err, SPOT_E_JSON, "an entry of \"error\" is not a string");
		jtok_str(d, k, s, sizeof s);
		if (kraken_spot_is_warning(s)) {
			LOGW("kraken spot: warning %s", s);
			env->nwarnings++;
			continue;
		}
		if (env->nerrors++ == 0)
			snprintf(env->error, sizeof env->error, "%s", s);
	}
	env->result = r;
	return env->nerrors ? 1 : 0;
}

/* ---- parameters ---- */

void spot_params_init(struct spot_params *sp)
{
	memset(sp, 0, sizeof *sp);
}

void spot_params_free(struct spot_params *sp)
{
	for (size_t i = 0; i < sp->n; i++) {
		free(sp->p[i].key);
		free(sp->p[i].val);
	}
	free(sp->p);
	memset(sp, 0, sizeof *sp);
}

void spot_params_addk(struct spot_params *sp, enum spot_pkind kind, const char *key,
		      const char *val)
{
	sp->p = xgrow(sp->p, &sp->cap, sp->n + 1, sizeof *sp->p);
	sp->p[sp->n++] = (struct spot_param){xstrdup(key), xstrdup(val), kind};
}

void spot_params_add(struct spot_params *sp, const char *key, const char *val)
{
	spot_params_addk(sp, SP_STR, key, val);
}

void spot_params_add_dec(struct spot_params *sp, const char *key, dec_t v)
{
	char b[DEC_FMT_MAX];
	dec_fmt(v, -1, b, sizeof b);
	spot_params_addk(sp, SP_STR, key, b);
}

void spot_params_add_int(struct spot_params *sp, const char *key, int64_t v)
{
	char b[24];
	snprintf(b, sizeof b, "%lld", (long long)v);
	spot_params_addk(sp, SP_INT, key, b);
}

void spot_params_add_bool(struct spot_params *sp, const char *key, bool v)
{
	spot_params_addk(sp, SP_BOOL, key, v ? "true" : "false");
}

const char *spot_params_get(const struct spot_params *sp, const char *key)
{
	for (size_t i = 0; i < sp->n; i++)
		if (strcmp(sp->p[i].key, key) == 0)
			return sp->p[i].val;
	return NULL;
}

/* Indexes of the parameters in key order (stable), with the nonce as index n. */
static size_t *sorted_order(const struct spot_params *sp, const char *nonce, size_t *count)
{
	size_t total = sp->n + (nonce ? 1 : 0);
	size_t *ix = xcalloc(total ? total : 1, sizeof *ix);
	size_t m = 0;
	for (size_t i = 0; i < total; i++) {
		const char *key = i < sp->n ? sp->p[i].key : "nonce";
		size_t j = m;
		while (j > 0) {
			size_t o = ix[j - 1];
			const char *ok = o < sp->n ? sp->p[o].key : "nonce";
			if (strcmp(ok, key) <= 0)
				break;
			ix[j] = ix[j - 1];
			j--;
		}
		ix[j] = i;
		m++;
	}
	*count = total;
	return ix;
}

void spot_params_form(const struct spot_params *sp, const char *nonce, struct sbuf *out)
{
	size_t total;
	size_t *ix = sorted_order(sp, nonce, &total);
	size_t start = out->len;
	for (size_t i = 0; i < total; i++) {
		if (out->len > start)
			sbuf_addc(out, '&');
		bool is_nonce = ix[i] == sp->n;
		const char *k = is_nonce ? "nonce" : sp->p[ix[i]].key;
		const char *v = is_nonce ? nonce : sp->p[ix[i]].val;
		urlenc_encode(out, k, strlen(k));
		sbuf_addc(out, '=');
		urlenc_encode(out, v, strlen(v));
	}
	free(ix);
}

static void json_value(struct jw *w, const struct spot_param *p)
{
	if (p->kind == SP_STR)
		jw_str(w, p->val);
	else
		jw_raw(w, p->val);
}

void spot_params_json(const struct spot_params *sp, const char *nonce, struct sbuf *out)
{
	size_t total;
	size_t *ix = sorted_order(sp, nonce, &total);
	struct jw w;
	jw_init(&w, out);
	jw_obj_begin(&w);
	bool close_done = false;
	for (size_t i = 0; i < total; i++) {
		if (ix[i] == sp->n) {
			jw_key(&w, "nonce");
			jw_str(&w, nonce);
			continue;
		}
		const struct spot_param *p = &sp->p[ix[i]];
		if (strncmp(p->key, "close[", 6) == 0) {
			if (close_done)
				continue;
			close_done = true;
			jw_key(&w, "close");
			jw_obj_begin(&w);
			for (size_t j = 0; j < sp->n; j++) {
				const struct spot_param *c = &sp->p[j];
				if (strncmp(c->key, "close[", 6) != 0)
					continue;
				size_t kl = strlen(c->key);
				char sub[32];
				snprintf(sub, sizeof sub, "%.*s", (int)(kl > 7 ? kl - 7 : 0), c->key + 6);
				jw_key(&w, sub);
				json_value(&w, c);
			}
			jw_obj_end(&w);
			continue;
		}
		jw_key(&w, p->key);
		json_value(&w, p);
	}
	jw_obj_end(&w);
	free(ix);
}

/* ---- relative prices ---- */

int spot_price_parse(const char *s, struct spot_price *out, struct kerr *err)
{
	memset(out, 0, sizeof *out);
	size_t n = strlen(s);
	if (n && (s[0] == '+' || s[0] == '-' || s[0] == '#')) {
		out->rel = s[0];
		s++;
		n--;
	}
	if (n && s[n - 1] == '%') {
		if (!out->rel)
			return kerr_set(err, SPOT_E_VALUE, "a percentage price needs a +, - or # prefix");
		out->pct = true;
		n--;
	}
	if (n == 0 || s[0] == '+' || s[0] == '-')
		return kerr_set(err, SPOT_E_VALUE, "not a price");
	if (dec_parse(s, n, &out->v, err) < 0)
		return -1;
	if (dec_sign(out->v) < 0)
		return kerr_set(err, SPOT_E_VALUE, "negative price");
	return 0;
}

int spot_price_fmt(const struct spot_price *p, char *buf, size_t cap)
{
	char v[DEC_FMT_MAX];
	dec_fmt(p->v, -1, v, sizeof v);
	if (p->rel)
		return snprintf(buf, cap, "%c%s%s", p->rel, v, p->pct ? "%" : "");
	return snprintf(buf, cap, "%s", v);
}

/* ---- field helpers ---- */

int sj_need_obj(const struct jdoc *d, int tok, const char *what, struct kerr *err)
{
	if (!jtok_is(d, tok, J_OBJ))
		return kerr_set(err, SPOT_E_SHAPE, "%s is %s, expected an object", what,
				tok < 0 ? "missing" : "not an object");
	return 0;
}

int sj_need_arr(const struct jdoc *d, int tok, const char *what, struct kerr *err)
{
	if (!jtok_is(d, tok, J_ARR))
		return kerr_set(err, SPOT_E_SHAPE, "%s is %s, expected an array", what,
				tok < 0 ? "missing" : "not an array");
	return 0;
}

int sj_key(const struct jdoc *d, int k, char *buf, size_t cap, struct kerr *err)
{
	if (jtok_str(d, k, buf, cap) >= cap)
		return kerr_set(err, SPOT_E_VALUE, "a key is too long");
	return 0;
}

int sj_str(const struct jdoc *d, int obj, const char *key, char *buf, size_t cap, bool required,
	   struct kerr *err)
{
	int t = jobj_get(d, obj, key);
	if (cap)
		buf[0] = '\0';
	if (t < 0 || jtok_is(d, t, J_NULL))
		return required ? kerr_set(err, SPOT_E_SHAPE, "field \"%s\" is missing", key) : 0;
	if (!jtok_is(d, t, J_STR) && !jtok_is(d, t, J_NUM))
		return kerr_set(err, SPOT_E_SHAPE, "field \"%s\" is not a string", key);
	if (jtok_str(d, t, buf, cap) >= cap)
		return kerr_set(err, SPOT_E_VALUE, "field \"%s\" is too long", key);
	return 0;
}

int sj_dec(const struct jdoc *d, int obj, const char *key, dec_t *out, bool required,
	   struct kerr *err)
{
	int t = jobj_get(d, obj, key);
	*out = dec_zero();
	if (t < 0 || jtok_is(d, t, J_NULL))
		return required ? kerr_set(err, SPOT_E_SHAPE, "field \"%s\" is missing", key) : 0;
	struct kerr e = KERR_INIT;
	if (jtok_dec(d, t, out, &e) < 0)
		return kerr_set(err, SPOT_E_VALUE, "field \"%s\" is not a number (%s)", key, e.msg);
	return 0;
}

int sj_i64(const struct jdoc *d, int obj, const char *key, int64_t *out, bool required,
	   struct kerr *err)
{
	int t = jobj_get(d, obj, key);
	*out = 0;
	if (t < 0 || jtok_is(d, t, J_NULL))
		return required ? kerr_set(err, SPOT_E_SHAPE, "field \"%s\" is missing", key) : 0;
	if (jtok_i64(d, t, out) < 0)
		return kerr_set(err, SPOT_E_VALUE, "field \"%s\" is not an integer", key);
	return 0;
}

int sj_tok_time_ms(const struct jdoc *d, int tok, int64_t *ms, struct kerr *err)
{
	dec_t v, r;
	*ms = 0;
	if (jtok_dec(d, tok, &v, NULL) < 0 || dec_rescale(v, 3, DEC_FLOOR, &r) < 0 ||
	    dec_sign(r) < 0)
		return kerr_set(err, SPOT_E_VALUE, "a time is not a number of seconds");
	*ms = r.m;
	return 0;
}

int sj_time_ms(const struct jdoc *d, int obj, const char *key, int64_t *ms, bool required,
	       struct kerr *err)
{
	int t = jobj_get(d, obj, key);
	*ms = 0;
	if (t < 0 || jtok_is(d, t, J_NULL))
		return required ? kerr_set(err, SPOT_E_SHAPE, "field \"%s\" is missing", key) : 0;
	if (sj_tok_time_ms(d, t, ms, err) < 0)
		return kerr_set(err, SPOT_E_VALUE, "field \"%s\" is not a time", key);
	return 0;
}
