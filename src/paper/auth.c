/* auth: request authentication of the paper exchange, exactly as Kraken does it
 * (see auth.h): Spot API-Sign with strictly increasing nonces, Futures Authent
 * with a duplicate/threshold nonce window, Spot WS tokens, Futures WS challenges. */
#include <stdlib.h>
#include <string.h>

#include "base/b64.h"
#include "base/jscan.h"
#include "base/sbuf.h"
#include "base/strutil.h"
#include "base/urlenc.h"
#include "base/uuid.h"
#include "base/xalloc.h"
#include "net/sign.h"
#include "paper/auth.h"

#define TOKEN_LIFE_NS  (900LL * 1000000000LL)
#define FUT_WINDOW     64   /* recent futures nonces remembered per account */
#define MAX_CHALLENGES 1024

struct token {
	char tok[64];
	uint32_t acct;
	int64_t expires_ns;
	int holds;
};

struct challenge {
	char key[64];
	char chal[40];
	uint32_t acct;
};

struct fut_window {
	uint64_t v[FUT_WINDOW];
	size_t n, head;
};

struct paper_auth {
	struct px *px;
	struct token *tok;
	size_t ntok, tokcap;
	struct challenge *ch;
	size_t nch, chcap;
	struct fut_window *win; /* by account id */
	size_t nwin;
};

struct paper_auth *auth_new(struct px *px)
{
	struct paper_auth *a = xcalloc(1, sizeof *a);
	a->px = px;
	return a;
}

void auth_reset(struct paper_auth *a)
{
	if (a->tok)
		xwipe(a->tok, a->tokcap * sizeof *a->tok);
	a->ntok = a->nch = 0;
	free(a->win);
	a->win = NULL;
	a->nwin = 0;
}

void auth_free(struct paper_auth *a)
{
	if (!a)
		return;
	auth_reset(a);
	free(a->tok);
	free(a->ch);
	free(a);
}

const char *auth_spot_error(enum auth_result r)
{
	switch (r) {
	case AUTH_OK:
		return "";
	case AUTH_E_KEY:
		return "EAPI:Invalid key";
	case AUTH_E_SIGN:
		return "EAPI:Invalid signature";
	case AUTH_E_NONCE:
	case AUTH_E_NONCE_DUP:
		return "EAPI:Invalid nonce";
	}
	return "EGeneral:Internal error";
}

const char *auth_fut_error(enum auth_result r)
{
	switch (r) {
	case AUTH_OK:
		return "";
	case AUTH_E_KEY:
	case AUTH_E_SIGN:
		return "authenticationError";
	case AUTH_E_NONCE:
		return "nonceBelowThreshold";
	case AUTH_E_NONCE_DUP:
		return "nonceDuplicate";
	}
	return "unknownError";
}

/* Strict decimal u64 (no sign, no spaces, at most 20 digits). */
static int parse_u64(const char *s, size_t n, uint64_t *out)
{
	if (n == 0 || n > 20)
		return -1;
	uint64_t v = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		unsigned d = (unsigned)(s[i] - '0');
		if (v > (UINT64_MAX - d) / 10)
			return -1;
		v = v * 10 + d;
	}
	*out = v;
	return 0;
}

static bool body_is_json(const char *body, size_t len, const char *ctype)
{
	if (ctype && strstr(ctype, "json"))
		return true;
	for (size_t i = 0; i < len; i++) {
		if (body[i] == ' ' || body[i] == '\t' || body[i] == '\r' || body[i] == '\n')
			continue;
		return body[i] == '{';
	}
	return false;
}

int auth_spot_body_nonce(const char *body, size_t len, const char *ctype, uint64_t *nonce,
			 char *text, size_t cap)
{
	if (cap)
		text[0] = '\0';
	if (body_is_json(body, len, ctype)) {
		struct jdoc d;
		jdoc_init(&d);
		int rc = -1;
		if (jdoc_parse(&d, body, len, NULL) == 0) {
			int t = jobj_get(&d, 0, "nonce");
			size_t n = 0;
			const char *raw = jtok_raw(&d, t, &n);
			if (raw && (jtok_is(&d, t, J_STR) || jtok_is(&d, t, J_NUM)) &&
			    parse_u64(raw, n, nonce) == 0 && n < cap) {
				memcpy(text, raw, n);
				text[n] = '\0';
				rc = 0;
			}
		}
		jdoc_free(&d);
		return rc;
	}
	struct urlform f = FORM_INIT;
	if (urlform_parse(body, len, &f, NULL) < 0)
		return -1;
	const char *v = urlform_get(&f, "nonce");
	int rc = -1;
	if (v && parse_u64(v, strlen(v), nonce) == 0 && strlen(v) < cap) {
		snprintf(text, cap, "%s", v);
		rc = 0;
	}
	urlform_free(&f);
	return rc;
}

enum auth_result auth_spot_rest(struct paper_auth *a, const struct http_request *req,
				uint32_t *acct)
{
	const char *key = http_request_header(req, "API-Key");
	const char *sig = http_request_header(req, "API-Sign");
	uint32_t id = px_account_by_key(a->px, PX_SPOT, key);
	if (!id)
		return AUTH_E_KEY;
	uint64_t nonce = 0;
	char ntext[32];
	if (auth_spot_body_nonce(req->body, req->body_len, http_request_header(req, "Content-Type"),
				 &nonce, ntext, sizeof ntext) < 0)
		return AUTH_E_NONCE;
	if (!sig)
		return AUTH_E_SIGN;
	const struct px_keys *k = px_account_keys(a->px, id);
	char want[KRAKEN_SIGN_B64_SIZE];
	if (kraken_spot_sign(k->spot_secret, req->path, ntext, req->body, req->body_len, want,
			     sizeof want, NULL) < 0 ||
	    !sign_equal(want, sig))
		return AUTH_E_SIGN;
	if (nonce <= px_nonce_get(a->px, id, PX_SPOT))
		return AUTH_E_NONCE;
	px_nonce_set(a->px, id, PX_SPOT, nonce);
	*acct = id;
	return AUTH_OK;
}

/* Futures nonce rules: above the high-water mark is fine; at or below it, a value
 * seen recently is a duplicate, and one that is older than every value the
 * window still holds, or more than FUT_REORDER below the mark, is below the
 * threshold. Requests sent together may arrive in any order (Kraken tolerates
 * brief reordering), also right after a restart, when the window is empty. */
#define FUT_REORDER 10000 /* nonce units: 10 s of millisecond nonces */
static enum auth_result fut_nonce(struct paper_auth *a, uint32_t id, uint64_t n)
{
	if (id >= a->nwin) {
		size_t nn = (size_t)id + 1;
		a->win = xrealloc(a->win, nn * sizeof *a->win);
		memset(a->win + a->nwin, 0, (nn - a->nwin) * sizeof *a->win);
		a->nwin = nn;
	}
	struct fut_window *w = &a->win[id];
	uint64_t hwm = px_nonce_get(a->px, id, PX_FUTURES);
	for (size_t i = 0; i < w->n; i++)
		if (w->v[i] == n)
			return AUTH_E_NONCE_DUP;
	if (n <= hwm) {
		if (n == hwm)
			return AUTH_E_NONCE_DUP;
		uint64_t oldest = UINT64_MAX;
		for (size_t i = 0; i < w->n; i++)
			if (w->v[i] < oldest)
				oldest = w->v[i];
		if ((w->n == FUT_WINDOW && n < oldest) || hwm - n > FUT_REORDER)
			return AUTH_E_NONCE;
	}
	if (w->n < FUT_WINDOW) {
		w->v[w->n++] = n;
	} else {
		w->v[w->head] = n;
		w->head = (w->head + 1) % FUT_WINDOW;
	}
	if (n > hwm)
		px_nonce_set(a->px, id, PX_FUTURES, n);
	return AUTH_OK;
}

enum auth_result auth_fut_rest(struct paper_auth *a, const struct http_request *req,
			       uint32_t *acct)
{
	const char *key = http_request_header(req, "APIKey");
	const char *sig = http_request_header(req, "Authent");
	const char *nonce = http_request_header(req, "Nonce");
	uint32_t id = px_account_by_key(a->px, PX_FUTURES, key);
	if (!id || !sig)
		return id ? AUTH_E_SIGN : AUTH_E_KEY;
	const struct px_keys *k = px_account_keys(a->px, id);
	struct sbuf post = SBUF_INIT;
	sbuf_adds(&post, req->query);
	sbuf_add(&post, req->body, req->body_len);
	const char *path = kraken_futures_endpoint_path(req->path);
	char want[KRAKEN_SIGN_B64_SIZE];
	bool ok = kraken_futures_authent(k->fut_secret, sbuf_str(&post), nonce ? nonce : "", path,
					 want, sizeof want, NULL) == 0 &&
		  sign_equal(want, sig);
	if (!ok) {
		/* clients signing the decoded postData (Kraken's pre-2024 rule) */
		struct sbuf dec = SBUF_INIT;
		if (urlenc_decode(post.p ? post.p : "", post.len, &dec, NULL) == 0 &&
		    kraken_futures_authent(k->fut_secret, sbuf_str(&dec), nonce ? nonce : "", path,
					   want, sizeof want, NULL) == 0)
			ok = sign_equal(want, sig);
		sbuf_free(&dec);
	}
	sbuf_free(&post);
	if (!ok)
		return AUTH_E_SIGN;
	if (nonce && *nonce) {
		uint64_t n;
		if (parse_u64(nonce, strlen(nonce), &n) < 0)
			return AUTH_E_NONCE;
		enum auth_result r = fut_nonce(a, id, n);
		if (r != AUTH_OK)
			return r;
	}
	*acct = id;
	return AUTH_OK;
}

/* ---- Spot WS tokens ---- */

static void tokens_expire(struct paper_auth *a, int64_t now)
{
	size_t j = 0;
	for (size_t i = 0; i < a->ntok; i++) {
		if (a->tok[i].holds <= 0 && a->tok[i].expires_ns <= now)
			continue;
		a->tok[j++] = a->tok[i];
	}
	if (j < a->ntok)
		xwipe(a->tok + j, (a->ntok - j) * sizeof *a->tok);
	a->ntok = j;
}

static struct token *token_find(struct paper_auth *a, const char *t)
{
	if (!t || !*t)
		return NULL;
	for (size_t i = 0; i < a->ntok; i++)
		if (sign_equal(a->tok[i].tok, t))
			return &a->tok[i];
	return NULL;
}

int auth_token_issue(struct paper_auth *a, uint32_t acct, int64_t now_ns, char *out,
		     size_t cap, int64_t *expires_s)
{
	if (!px_account_exists(a->px, acct) || cap < 45)
		return -1;
	tokens_expire(a, now_ns);
	unsigned char raw[33];
	if (kt_random_bytes(raw, sizeof raw) < 0)
		return -1;
	a->tok = xgrow(a->tok, &a->tokcap, a->ntok + 1, sizeof *a->tok);
	struct token *t = &a->tok[a->ntok++];
	memset(t, 0, sizeof *t);
	b64_encode_buf(raw, sizeof raw, t->tok);
	xwipe(raw, sizeof raw);
	t->acct = acct;
	t->expires_ns = now_ns + TOKEN_LIFE_NS;
	snprintf(out, cap, "%s", t->tok);
	if (expires_s)
		*expires_s = TOKEN_LIFE_NS / 1000000000LL;
	return 0;
}

int auth_token_check(struct paper_auth *a, const char *token, int64_t now_ns, uint32_t *acct)
{
	struct token *t = token_find(a, token);
	if (!t || (t->holds <= 0 && t->expires_ns <= now_ns))
		return -1;
	if (acct)
		*acct = t->acct;
	return 0;
}

void auth_token_hold(struct paper_auth *a, const char *token, int delta)
{
	struct token *t = token_find(a, token);
	if (t) {
		t->holds += delta;
		if (t->holds < 0)
			t->holds = 0;
	}
}

/* ---- Futures WS challenges ---- */

int auth_challenge_issue(struct paper_auth *a, const char *api_key, char *out, size_t cap)
{
	uint32_t id = px_account_by_key(a->px, PX_FUTURES, api_key);
	if (!id || cap < KT_UUID_STRLEN + 1)
		return -1;
	if (a->nch == MAX_CHALLENGES) { /* forget the oldest */
		memmove(a->ch, a->ch + 1, (a->nch - 1) * sizeof *a->ch);
		a->nch--;
	}
	a->ch = xgrow(a->ch, &a->chcap, a->nch + 1, sizeof *a->ch);
	struct challenge *c = &a->ch[a->nch++];
	memset(c, 0, sizeof *c);
	snprintf(c->key, sizeof c->key, "%s", api_key);
	if (kt_uuid_v4(c->chal) < 0) {
		a->nch--;
		return -1;
	}
	c->acct = id;
	snprintf(out, cap, "%s", c->chal);
	return 0;
}

int auth_challenge_check(struct paper_auth *a, const char *api_key, const char *challenge,
			 const char *signed_challenge, uint32_t *acct)
{
	if (!api_key || !challenge || !signed_challenge)
		return -1;
	for (size_t i = a->nch; i > 0; i--) {
		const struct challenge *c = &a->ch[i - 1];
		if (strcmp(c->key, api_key) != 0 || strcmp(c->chal, challenge) != 0)
			continue;
		const struct px_keys *k = px_account_keys(a->px, c->acct);
		if (!k || strcmp(k->fut_key, api_key) != 0)
			return -1;
		char want[KRAKEN_SIGN_B64_SIZE];
		if (kraken_futures_sign_challenge(k->fut_secret, challenge, want, sizeof want,
						  NULL) < 0 ||
		    !sign_equal(want, signed_challenge))
			return -1;
		if (acct)
			*acct = c->acct;
		return 0;
	}
	return -1;
}
