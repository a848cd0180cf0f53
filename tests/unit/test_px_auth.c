/* test_px_auth: the paper exchange authenticates exactly as Kraken does: it accepts
 * Kraken's own published Spot API-Sign example and the Futures Authent vectors of
 * kraken-protocol.md §6, rejects a wrong key, a wrong signature and a stale nonce
 * with Kraken's exact error strings, checks Futures WS challenges, and expires Spot
 * WS tokens after 15 minutes unless a live subscription holds them. */
#include <stdlib.h>

#include "net/sign.h"
#include "paper/auth.h"
#include "tests/unit/test_px_util.h"

#define SPOT_SECRET                                                                                \
	"kQH5HW/8p1uGOVjbgWA7FunAmGO8lsSUXNsu3eow76sz84Q18fWxnyRzBHCd3pd5nE9qa99HAZtuZuj6F1huXg=="
#define FUT_SECRET                                                                                 \
	"79Zdrg0VIuDdflFPXNbzy/3b/f6GwAvZYgYUXvYjS/ZROxrNPx0k4yyUvThOZ7kKTecCXn0nG8aC1jZz07h8ww=="
#define SPOT_KEY "spot-key-0123456789012345678901234567890123456789012345"
#define FUT_KEY  "fut-key-01234567890123456789012345678901234567890123456"

struct fx {
	struct px *px;
	struct paper_auth *a;
	uint32_t u;
};

static int setup(void **state)
{
	struct fx *fx = calloc(1, sizeof *fx);
	fx->px = px_test_new();
	struct px_keys k;
	memset(&k, 0, sizeof k);
	snprintf(k.spot_key, sizeof k.spot_key, "%s", SPOT_KEY);
	snprintf(k.spot_secret, sizeof k.spot_secret, "%s", SPOT_SECRET);
	snprintf(k.fut_key, sizeof k.fut_key, "%s", FUT_KEY);
	snprintf(k.fut_secret, sizeof k.fut_secret, "%s", FUT_SECRET);
	struct px_account_init in;
	memset(&in, 0, sizeof in);
	in.keys = &k;
	assert_int_equal(px_account_create(fx->px, &in, &fx->u, NULL), 0);
	fx->a = auth_new(fx->px);
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fx *fx = *state;
	auth_free(fx->a);
	px_free(fx->px);
	free(fx);
	return 0;
}

/* A request with up to 4 headers given as name, value pairs (NULL-terminated). */
struct req {
	struct http_request r;
	struct http_header h[4];
};

static void mkreq(struct req *q, const char *method, const char *path, const char *query,
		  const char *body, const char *const *hdrs)
{
	memset(q, 0, sizeof *q);
	q->r.method = method;
	q->r.path = path;
	q->r.query = query ? query : "";
	q->r.body = body ? body : "";
	q->r.body_len = strlen(q->r.body);
	size_t n = 0;
	for (; hdrs[2 * n] && n < 4; n++) {
		q->h[n].name = hdrs[2 * n];
		q->h[n].value = hdrs[2 * n + 1];
	}
	q->r.headers = q->h;
	q->r.nheaders = n;
}

static enum auth_result spot(struct fx *fx, const char *key, const char *sig, const char *body)
{
	const char *h[] = {"API-Key", key, "API-Sign", sig, NULL};
	struct req q;
	mkreq(&q, "POST", "/0/private/AddOrder", NULL, body, h);
	uint32_t acct = 0;
	enum auth_result r = auth_spot_rest(fx->a, &q.r, &acct);
	if (r == AUTH_OK)
		assert_int_equal(acct, fx->u);
	return r;
}

static void sign_spot(const char *nonce, const char *body, char *out)
{
	assert_int_equal(kraken_spot_sign(SPOT_SECRET, "/0/private/AddOrder", nonce, body,
					  strlen(body), out, KRAKEN_SIGN_B64_SIZE, NULL),
			 0);
}

static void spot_rest(void **state)
{
	struct fx *fx = *state;
	/* Kraken's documented example, signature included (kraken-protocol.md O1) */
	const char *body = "nonce=1616492376594&ordertype=limit&pair=XBTUSD&price=37500&type=buy&"
			   "volume=1.25";
	const char *sig = "4/dpxb3iT4tp/ZCVEwSnEsLxx0bqyhLpdfOpc6fn7OR8+UClSV5n9E6aSS8MPtnRfp32bAb0nmbR"
			  "n6H8ndwLUQ==";
	assert_int_equal(spot(fx, "unknown", sig, body), AUTH_E_KEY);
	assert_string_equal(auth_spot_error(AUTH_E_KEY), "EAPI:Invalid key");
	assert_int_equal(spot(fx, SPOT_KEY, sig, body), AUTH_OK);
	assert_int_equal(px_nonce_get(fx->px, fx->u, PX_SPOT), 1616492376594ULL);
	/* the same request again: the nonce is not above the last one */
	assert_int_equal(spot(fx, SPOT_KEY, sig, body), AUTH_E_NONCE);
	assert_string_equal(auth_spot_error(AUTH_E_NONCE), "EAPI:Invalid nonce");
	/* a tampered body */
	assert_int_equal(spot(fx, SPOT_KEY, sig,
			      "nonce=1616492376595&ordertype=limit&pair=XBTUSD&price=37500&type=buy&"
			      "volume=1.25"),
			 AUTH_E_SIGN);
	assert_string_equal(auth_spot_error(AUTH_E_SIGN), "EAPI:Invalid signature");
	/* JSON bodies: the nonce as a string or as a number */
	char s[KRAKEN_SIGN_B64_SIZE];
	const char *j1 = "{\"nonce\":\"1616492376600\",\"pair\":\"XBTUSD\"}";
	sign_spot("1616492376600", j1, s);
	assert_int_equal(spot(fx, SPOT_KEY, s, j1), AUTH_OK);
	const char *j2 = "{\"nonce\": 1616492376601, \"pair\": \"XBTUSD\"}";
	sign_spot("1616492376601", j2, s);
	assert_int_equal(spot(fx, SPOT_KEY, s, j2), AUTH_OK);
	const char *j3 = "{\"nonce\":\"1616492376599\"}"; /* lower: refused, even signed */
	sign_spot("1616492376599", j3, s);
	assert_int_equal(spot(fx, SPOT_KEY, s, j3), AUTH_E_NONCE);
	assert_int_equal(spot(fx, SPOT_KEY, s, "pair=XBTUSD"), AUTH_E_NONCE); /* no nonce */
}

static enum auth_result fut(struct fx *fx, const char *method, const char *path,
			    const char *query, const char *body, const char *key, const char *authent,
			    const char *nonce)
{
	const char *h[] = {"APIKey", key, "Authent", authent, nonce ? "Nonce" : NULL, nonce, NULL};
	struct req q;
	mkreq(&q, method, path, query, body, h);
	uint32_t acct = 0;
	enum auth_result r = auth_fut_rest(fx->a, &q.r, &acct);
	if (r == AUTH_OK)
		assert_int_equal(acct, fx->u);
	return r;
}

static void fut_rest(void **state)
{
	struct fx *fx = *state;
	const char *post = "orderType=lmt&symbol=PF_XBTUSD&side=buy&size=0.01&limitPrice=50000&"
			   "cliOrdId=my-order-1";
	const char *f2 = "/E2ro6j3vSsyeT6NXGcPPil6tQYKaYe34rOubNTOEQ08IPr8l33MsaES59vMk3JBMRz2RfC657N"
			 "JwNVK4AOUSw==";
	const char *f2b = "Tt8SFtaiKUlH+i9lpWLT9+aNS0p67DnXLTnzeqVoEZS0warbGMI36X1khH7tvRKbtyeXlQpEj"
			  "SkyIPj6oysGAA==";
	const char *f1 = "D8xIwDXEGpk7MNDki634yySsoKXpFLWSbVxUgKAOERF4KtmTPjuMoIrXPX+pBBb9+8qMzEG6js6"
			 "uT1HGaIdcug==";
	const char *path = "/derivatives/api/v3/sendorder";
	assert_int_equal(fut(fx, "POST", path, NULL, post, "nokey", f2, "1700000000000"), AUTH_E_KEY);
	assert_string_equal(auth_fut_error(AUTH_E_KEY), "authenticationError");
	assert_int_equal(fut(fx, "POST", path, NULL, post, FUT_KEY, f2b, "1700000000000"),
			 AUTH_E_SIGN);
	assert_int_equal(fut(fx, "POST", path, NULL, post, FUT_KEY, f2, "1700000000000"), AUTH_OK);
	/* the same parameters in the query string sign the same */
	assert_int_equal(fut(fx, "POST", path, post, NULL, FUT_KEY, f2, "1700000000000"),
			 AUTH_E_NONCE_DUP);
	assert_string_equal(auth_fut_error(AUTH_E_NONCE_DUP), "nonceDuplicate");
	/* no Nonce header: signed with "", not nonce-checked */
	assert_int_equal(fut(fx, "POST", path, NULL, post, FUT_KEY, f2b, NULL), AUTH_OK);
	/* an old nonce with a valid signature */
	assert_int_equal(fut(fx, "GET", "/derivatives/api/v3/openpositions", NULL, NULL, FUT_KEY, f1,
			     "1415957147987"),
			 AUTH_E_NONCE);
	assert_string_equal(auth_fut_error(AUTH_E_NONCE), "nonceBelowThreshold");
	/* a newer nonce on the history path (no /derivatives prefix to strip) */
	char s[KRAKEN_SIGN_B64_SIZE];
	assert_int_equal(kraken_futures_authent(FUT_SECRET, "count=5", "1700000000005",
						"/api/history/v3/account-log", s, sizeof s, NULL),
			 0);
	assert_int_equal(fut(fx, "GET", "/api/history/v3/account-log", "count=5", NULL, FUT_KEY, s,
			     "1700000000005"),
			 AUTH_OK);
	/* brief reordering is tolerated: 1700000000003 was never seen and is in the window */
	assert_int_equal(kraken_futures_authent(FUT_SECRET, "count=5", "1700000000003",
						"/api/history/v3/account-log", s, sizeof s, NULL),
			 0);
	assert_int_equal(fut(fx, "GET", "/api/history/v3/account-log", "count=5", NULL, FUT_KEY, s,
			     "1700000000003"),
			 AUTH_OK);
}

static void fut_challenge(void **state)
{
	struct fx *fx = *state;
	char chal[64], sig[KRAKEN_SIGN_B64_SIZE];
	assert_int_equal(auth_challenge_issue(fx->a, "nokey", chal, sizeof chal), -1);
	assert_int_equal(auth_challenge_issue(fx->a, FUT_KEY, chal, sizeof chal), 0);
	assert_int_equal(strlen(chal), 36);
	assert_int_equal(kraken_futures_sign_challenge(FUT_SECRET, chal, sig, sizeof sig, NULL), 0);
	uint32_t acct = 0;
	assert_int_equal(auth_challenge_check(fx->a, FUT_KEY, chal, sig, &acct), 0);
	assert_int_equal(acct, fx->u);
	assert_int_equal(auth_challenge_check(fx->a, FUT_KEY, chal, "AAAA", &acct), -1);
	assert_int_equal(auth_challenge_check(fx->a, FUT_KEY, "c100b894-1729-464d-ace1-52dbce11db42",
					      sig, &acct),
			 -1);
	assert_int_equal(auth_challenge_check(fx->a, "nokey", chal, sig, &acct), -1);
}

static void ws_tokens(void **state)
{
	struct fx *fx = *state;
	char tok[64];
	int64_t exp = 0;
	assert_int_equal(auth_token_issue(fx->a, 99, T0, tok, sizeof tok, &exp), -1);
	assert_int_equal(auth_token_issue(fx->a, fx->u, T0, tok, sizeof tok, &exp), 0);
	assert_int_equal(exp, 900);
	uint32_t acct = 0;
	assert_int_equal(auth_token_check(fx->a, tok, T0 + 899 * SEC, &acct), 0);
	assert_int_equal(acct, fx->u);
	assert_int_equal(auth_token_check(fx->a, tok, T0 + 900 * SEC, &acct), -1);
	assert_int_equal(auth_token_check(fx->a, "nope", T0, &acct), -1);
	/* held by a live subscription, it outlives the 15 minutes */
	char t2[64];
	assert_int_equal(auth_token_issue(fx->a, fx->u, T0, t2, sizeof t2, NULL), 0);
	auth_token_hold(fx->a, t2, 1);
	assert_int_equal(auth_token_check(fx->a, t2, T0 + 3600 * SEC, &acct), 0);
	auth_token_hold(fx->a, t2, -1);
	assert_int_equal(auth_token_check(fx->a, t2, T0 + 3600 * SEC, &acct), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(spot_rest, setup, teardown),
		cmocka_unit_test_setup_teardown(fut_rest, setup, teardown),
		cmocka_unit_test_setup_teardown(fut_challenge, setup, teardown),
		cmocka_unit_test_setup_teardown(ws_tokens, setup, teardown),
	};
	return kt_run_tests(tests);
}
