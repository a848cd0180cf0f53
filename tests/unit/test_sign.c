/* test_sign: every Kraken signing vector of kraken-protocol.md §6 (fixtures in
 * tests/fixtures/sign/vectors.txt) matches byte for byte; bad secrets fail with
 * a clear message that never echoes the secret; path stripping and the
 * constant-time compare behave. */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "net/sign.h"
#include "tests/unit/unit.h"

struct vector {
	char kind[16], secret[128], nonce[32], path[128], data[1024], expect[128];
};

/* Copy the value of "field =" inside the block text [b, e) into out ("" if the
 * value is empty). Fails the test if the field is missing. */
static void field(const char *b, const char *e, const char *name, char *out, size_t cap)
{
	size_t nl = strlen(name);
	for (const char *p = b; p < e;) {
		const char *eol = memchr(p, '\n', (size_t)(e - p));
		if (!eol)
			eol = e;
		if ((size_t)(eol - p) >= nl + 2 && strncmp(p, name, nl) == 0 &&
		    strncmp(p + nl, " =", 2) == 0) {
			const char *v = p + nl + 2;
			if (v < eol && *v == ' ')
				v++;
			size_t n = (size_t)(eol - v);
			assert_true(n < cap);
			memcpy(out, v, n);
			out[n] = '\0';
			return;
		}
		p = eol + 1;
	}
	fail_msg("vector field '%s' missing", name);
}

/* Load vector [name] from the fixture; fields a kind does not use stay "". */
static void load(const char *name, struct vector *v)
{
	char *text = kt_fixture_read("sign/vectors.txt", NULL);
	char hdr[64];
	snprintf(hdr, sizeof hdr, "\n[%s]\n", name);
	const char *b = strstr(text, hdr);
	if (!b)
		fail_msg("vector %s not in the fixture", name);
	b += strlen(hdr);
	const char *e = strstr(b, "\n[");
	if (!e)
		e = b + strlen(b);
	memset(v, 0, sizeof *v);
	field(b, e, "kind", v->kind, sizeof v->kind);
	field(b, e, "secret", v->secret, sizeof v->secret);
	field(b, e, "data", v->data, sizeof v->data);
	field(b, e, "expect", v->expect, sizeof v->expect);
	if (strcmp(v->kind, "challenge") != 0) {
		field(b, e, "nonce", v->nonce, sizeof v->nonce);
		field(b, e, "path", v->path, sizeof v->path);
	}
	free(text);
}

/* Sign vector `name` with the function its kind names and compare. */
static void check_vector(const char *name)
{
	struct vector v;
	char out[KRAKEN_SIGN_B64_SIZE];
	struct kerr err = KERR_INIT;
	int rc;
	load(name, &v);
	if (strcmp(v.kind, "spot") == 0)
		rc = kraken_spot_sign(v.secret, v.path, v.nonce, v.data, strlen(v.data), out,
		                      sizeof out, &err);
	else if (strcmp(v.kind, "futures") == 0)
		rc = kraken_futures_authent(v.secret, v.data, v.nonce,
		                            kraken_futures_endpoint_path(v.path), out, sizeof out,
		                            &err);
	else
		rc = kraken_futures_sign_challenge(v.secret, v.data, out, sizeof out, &err);
	if (rc != 0)
		fail_msg("%s: %s", name, err.msg);
	assert_int_equal(strlen(out), 88);
	assert_string_equal(out, v.expect);
}

/* O1: the official Spot REST example (form body). */
static void vector_o1_spot_form(void **state)
{
	check_vector("O1");
}

/* Spot API-Sign over a JSON body (nonce as a string inside it). */
static void vector_spot_json(void **state)
{
	check_vector("spot-json");
}

/* O2: the official Futures WS signed challenge. */
static void vector_o2_challenge(void **state)
{
	check_vector("O2");
}

/* F1: Futures Authent with an empty postData (GET). */
static void vector_f1_empty_body(void **state)
{
	check_vector("F1");
}

/* F2: Futures Authent for sendorder with a Nonce header. */
static void vector_f2_sendorder(void **state)
{
	check_vector("F2");
}

/* F2b: the same without a Nonce header: the nonce contributes "". */
static void vector_f2b_no_nonce(void **state)
{
	check_vector("F2b");
}

/* F3: batchorder, percent-encoded JSON signed as on the wire. */
static void vector_f3_batchorder(void **state)
{
	check_vector("F3");
}

/* Spot signs exactly postdata_len bytes: whatever follows them does not count. */
static void spot_signs_exact_length(void **state)
{
	struct vector v;
	char out[KRAKEN_SIGN_B64_SIZE];
	load("O1", &v);
	size_t n = strlen(v.data);
	strcat(v.data, "&junk=1");
	assert_int_equal(
	        kraken_spot_sign(v.secret, v.path, v.nonce, v.data, n, out, sizeof out, NULL), 0);
	assert_string_equal(out, v.expect);
}

/* A secret that is not base64 fails with the agreed message; the secret (or a
 * fragment of it) is never echoed, and the output is left empty. */
static void bad_secret_is_clear_and_silent(void **state)
{
	const char *bad[] = {
	        "kQH5HW/8p1uGOVjbgWA7FunAmGO8lsSUXNsu3eow76sz84Q18fWxnyRzBHCd3pd5nE9qa99HAZ!@#$",
	        "kQH5HW/8p1uGOVjbgWA7Fun",  /* wrong length */
	        "kQH5HW/8p1uG OVjbgWA7Fun", /* a space inside */
	        "kQH5HW/8p1uGOVjbgWA7Fu==\n",
	        "kQH5HW/8p1uGOVjbgWA7F===", /* three '=' */
	        "kQH5HW/8p1uG=VjbgWA7FunA", /* '=' in the middle */
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		char out[KRAKEN_SIGN_B64_SIZE] = "untouched";
		struct kerr err = KERR_INIT;
		assert_int_equal(kraken_spot_sign(bad[i], "/0/private/Balance", "1", "nonce=1", 7,
		                                  out, sizeof out, &err),
		                 -1);
		assert_int_equal(err.code, SIGN_E_SECRET);
		assert_string_equal(out, "");
		assert_non_null(strstr(err.msg,
		                       "the API secret is not valid base64 — copy it again "
		                       "from Kraken's API settings"));
		assert_null(strstr(err.msg, "kQH5"));
		assert_null(strstr(err.msg, "OVjbg"));

		err = (struct kerr)KERR_INIT;
		assert_int_equal(kraken_futures_authent(bad[i], "", "", "/api/v3/accounts", out,
		                                        sizeof out, &err),
		                 -1);
		assert_int_equal(err.code, SIGN_E_SECRET);
		assert_int_equal(
		        kraken_futures_sign_challenge(bad[i], "abc", out, sizeof out, &err), -1);
		assert_null(strstr(err.msg, "kQH5"));
	}
	struct kerr err = KERR_INIT;
	char out[KRAKEN_SIGN_B64_SIZE];
	assert_int_equal(kraken_futures_sign_challenge("", "abc", out, sizeof out, &err), -1);
	assert_non_null(strstr(err.msg, "empty"));
	assert_int_equal(kraken_futures_sign_challenge(NULL, "abc", out, sizeof out, &err), -1);
	char huge[601];
	memset(huge, 'A', 600);
	huge[600] = '\0';
	assert_int_equal(kraken_futures_sign_challenge(huge, "abc", out, sizeof out, &err), -1);
	assert_int_equal(err.code, SIGN_E_SECRET);
	assert_non_null(strstr(err.msg, "600 characters"));
	assert_null(strstr(err.msg, "AAAA"));
}

/* Padding is not key material. HMAC zero-pads short keys, so only a key longer
 * than SHA-512's 128-byte block shows it: the 127-byte key 00..7e ("...fg==")
 * must not be taken as 129 bytes (expected value computed with python3). */
static void padding_is_not_key_material(void **state)
{
	const char *secret = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gISIjJCUmJygpKissLS4vMDEy"
	                     "MzQ1Njc4OTo7PD0+P0BBQkNERUZHSElKS0xNTk9QUVJTVFVWV1hZWltcXV5fYGFiY2Rl"
	                     "ZmdoaWprbG1ub3BxcnN0dXZ3eHl6e3x9fg==";
	char out[KRAKEN_SIGN_B64_SIZE];
	assert_int_equal(kraken_futures_sign_challenge(secret, "x", out, sizeof out, NULL), 0);
	assert_string_equal(out, "I+t6ijZ+1k7IvuaQ7I8HLk7t5Tl9YhZb8JItoSAKKc3A1meyd0CEMtumz1c8es0h"
	                         "Yhtc704kYZ+m8sxuW7TxSg==");
}

/* A buffer smaller than KRAKEN_SIGN_B64_SIZE is refused before any work. */
static void small_buffer_refused(void **state)
{
	char out[KRAKEN_SIGN_B64_SIZE - 1];
	struct kerr err = KERR_INIT;
	assert_int_equal(kraken_futures_sign_challenge("YQ==", "x", out, sizeof out, &err), -1);
	assert_int_equal(err.code, SIGN_E_SPACE);
	assert_string_equal(out, "");
}

/* Futures signs the path without "/derivatives"; other paths pass unchanged. */
static void futures_path_stripping(void **state)
{
	assert_string_equal(kraken_futures_endpoint_path("/derivatives/api/v3/sendorder"),
	                    "/api/v3/sendorder");
	assert_string_equal(kraken_futures_endpoint_path("/api/history/v3/account-log"),
	                    "/api/history/v3/account-log");
	assert_string_equal(kraken_futures_endpoint_path("/derivativesX/api"), "/derivativesX/api");
	assert_string_equal(kraken_futures_endpoint_path("/derivatives"), "");
	assert_null(kraken_futures_endpoint_path(NULL));
}

/* sign_equal matches equal strings only; NULL never matches. */
static void equal_compare(void **state)
{
	assert_true(sign_equal("abc==", "abc=="));
	assert_true(sign_equal("", ""));
	assert_false(sign_equal("abc==", "abd=="));
	assert_false(sign_equal("abc", "abc=="));
	assert_false(sign_equal(NULL, "a"));
	assert_false(sign_equal("a", NULL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(vector_o1_spot_form),
	        cmocka_unit_test(vector_spot_json),
	        cmocka_unit_test(vector_o2_challenge),
	        cmocka_unit_test(vector_f1_empty_body),
	        cmocka_unit_test(vector_f2_sendorder),
	        cmocka_unit_test(vector_f2b_no_nonce),
	        cmocka_unit_test(vector_f3_batchorder),
	        cmocka_unit_test(spot_signs_exact_length),
	        cmocka_unit_test(bad_secret_is_clear_and_silent),
	        cmocka_unit_test(padding_is_not_key_material),
	        cmocka_unit_test(small_buffer_refused),
	        cmocka_unit_test(futures_path_stripping),
	        cmocka_unit_test(equal_compare),
	};
	return kt_run_tests(tests);
}
