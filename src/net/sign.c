/* sign: Kraken HMAC signatures over OpenSSL (base64 via base/b64), with the
 * secret decoded only for the length of one call and wiped afterwards. */
#include "net/sign.h"

#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "base/b64.h"
#include "base/xalloc.h"

/* Kraken secrets are 88 base64 characters; anything far longer is a paste error. */
#define SECRET_B64_MAX 512
#define SECRET_KEY_MAX (SECRET_B64_MAX / 4 * 3)
#define SHA256_LEN     32
#define SHA512_LEN     64

static const char bad_secret_msg[] =
        "the API secret is not valid base64 — copy it again from Kraken's API settings";

/* Decode the secret into key (SECRET_KEY_MAX bytes) with base/b64's strict
 * decoder. The caller wipes key. err never receives the secret or a position in it. */
static int secret_decode(const char *b64, unsigned char *key, size_t *keylen, struct kerr *err)
{
	size_t n = b64 ? strlen(b64) : 0;
	if (n == 0)
		return kerr_set(err, SIGN_E_SECRET,
		                "the API secret is empty — copy it from Kraken's API settings");
	if (n > SECRET_B64_MAX)
		return kerr_set(err, SIGN_E_SECRET,
		                "%s (it is %zu characters long; Kraken's are 88)", bad_secret_msg,
		                n);
	if (b64_decode_buf(b64, n, key, SECRET_KEY_MAX, keylen, NULL) < 0 || *keylen == 0)
		return kerr_set(err, SIGN_E_SECRET, "%s", bad_secret_msg);
	return 0;
}

static int check_out(char *out_b64, size_t cap, struct kerr *err)
{
	if (!out_b64)
		return kerr_set(err, SIGN_E_ARG, "no buffer for the signature");
	if (cap > 0)
		out_b64[0] = '\0';
	if (cap < KRAKEN_SIGN_B64_SIZE)
		return kerr_set(err, SIGN_E_SPACE,
		                "signature buffer too small (%zu bytes, need %d)", cap,
		                KRAKEN_SIGN_B64_SIZE);
	return 0;
}

/* SHA-256 over up to three byte strings, concatenated. */
static int sha256_3(const void *a, size_t na, const void *b, size_t nb, const void *c, size_t nc,
                    unsigned char out[SHA256_LEN], struct kerr *err)
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	unsigned int len = 0;
	int ok = ctx && EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) == 1 &&
	         EVP_DigestUpdate(ctx, a, na) == 1 && EVP_DigestUpdate(ctx, b, nb) == 1 &&
	         EVP_DigestUpdate(ctx, c, nc) == 1 && EVP_DigestFinal_ex(ctx, out, &len) == 1 &&
	         len == SHA256_LEN;
	EVP_MD_CTX_free(ctx);
	return ok ? 0 : kerr_set(err, SIGN_E_CRYPTO, "SHA-256 failed inside OpenSSL");
}

/* base64(HMAC-SHA512(b64dec(secret), msg)) into out (checked by the caller). */
static int hmac_b64(const char *secret_b64, const unsigned char *msg, size_t msg_len, char *out_b64,
                    struct kerr *err)
{
	unsigned char key[SECRET_KEY_MAX];
	unsigned char mac[SHA512_LEN];
	unsigned int mac_len = 0;
	size_t keylen = 0;
	int rc = -1;
	if (secret_decode(secret_b64, key, &keylen, err) < 0)
		goto out;
	if (!HMAC(EVP_sha512(), key, (int)keylen, msg, msg_len, mac, &mac_len) ||
	    mac_len != SHA512_LEN) {
		kerr_set(err, SIGN_E_CRYPTO, "HMAC-SHA512 failed inside OpenSSL");
		goto out;
	}
	b64_encode_buf(mac, SHA512_LEN, out_b64);
	rc = 0;
out:
	xwipe(key, sizeof key);
	xwipe(mac, sizeof mac);
	return rc;
}

int kraken_spot_sign(const char *secret_b64, const char *uri_path, const char *nonce,
                     const char *postdata, size_t postdata_len, char *out_b64, size_t cap,
                     struct kerr *err)
{
	if (check_out(out_b64, cap, err) < 0)
		return -1;
	if (!uri_path || !nonce || (!postdata && postdata_len))
		return kerr_set(err, SIGN_E_ARG, "spot signature needs a path, a nonce and a body");
	size_t plen = strlen(uri_path);
	unsigned char *msg = xmalloc(plen + SHA256_LEN);
	memcpy(msg, uri_path, plen);
	int rc = -1;
	if (sha256_3(nonce, strlen(nonce), postdata ? postdata : "", postdata_len, "", 0,
	             msg + plen, err) == 0)
		rc = hmac_b64(secret_b64, msg, plen + SHA256_LEN, out_b64, err);
	free(msg);
	return rc;
}

int kraken_futures_authent(const char *secret_b64, const char *postdata, const char *nonce,
                           const char *endpoint_path, char *out_b64, size_t cap, struct kerr *err)
{
	if (check_out(out_b64, cap, err) < 0)
		return -1;
	if (!postdata || !nonce || !endpoint_path)
		return kerr_set(err, SIGN_E_ARG, "Futures Authent needs postdata, nonce and path");
	unsigned char digest[SHA256_LEN];
	if (sha256_3(postdata, strlen(postdata), nonce, strlen(nonce), endpoint_path,
	             strlen(endpoint_path), digest, err) < 0)
		return -1;
	return hmac_b64(secret_b64, digest, sizeof digest, out_b64, err);
}

int kraken_futures_sign_challenge(const char *secret_b64, const char *challenge, char *out_b64,
                                  size_t cap, struct kerr *err)
{
	if (check_out(out_b64, cap, err) < 0)
		return -1;
	if (!challenge)
		return kerr_set(err, SIGN_E_ARG, "no challenge to sign");
	unsigned char digest[SHA256_LEN];
	if (sha256_3(challenge, strlen(challenge), "", 0, "", 0, digest, err) < 0)
		return -1;
	return hmac_b64(secret_b64, digest, sizeof digest, out_b64, err);
}

const char *kraken_futures_endpoint_path(const char *url_path)
{
	static const char prefix[] = "/derivatives";
	size_t n = sizeof prefix - 1;
	if (url_path && strncmp(url_path, prefix, n) == 0 &&
	    (url_path[n] == '/' || url_path[n] == '\0'))
		return url_path + n;
	return url_path;
}

bool sign_equal(const char *a, const char *b)
{
	if (!a || !b)
		return false;
	size_t n = strlen(a);
	if (n != strlen(b))
		return false;
	return CRYPTO_memcmp(a, b, n) == 0;
}
