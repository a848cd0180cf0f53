/* sign: Kraken request signatures (Spot API-Sign, Futures Authent, Futures WS
 * signed challenge) and a constant-time compare for the paper exchange.
 *
 * All secrets are base64 strings as Kraken issues them. The decoded key bytes
 * live on the stack only for the duration of one call and are wiped before it
 * returns. No function here logs, and no error message ever contains the secret.
 * Results are base64 text written to a caller buffer of at least
 * KRAKEN_SIGN_B64_SIZE bytes. See docs/signing.md and kraken-protocol.md §1.2,
 * §3.2 and §4.3. */
#ifndef KT_NET_SIGN_H
#define KT_NET_SIGN_H

#include <stdbool.h>
#include <stddef.h>

#include "base/kerr.h"

/* base64 of a 64-byte HMAC-SHA512 (88 characters) plus the terminator. */
#define KRAKEN_SIGN_B64_SIZE 89

enum sign_err {
	SIGN_E_SECRET = 1, /* the secret is empty, too long or not valid base64 */
	SIGN_E_SPACE,      /* the output buffer is smaller than KRAKEN_SIGN_B64_SIZE */
	SIGN_E_CRYPTO,     /* OpenSSL failed (should not happen) */
	SIGN_E_ARG,        /* a required argument is NULL */
};

/* Spot REST API-Sign: base64(HMAC-SHA512(b64dec(secret), uri_path || SHA256(nonce || postdata))).
 * postdata is the exact body sent (form or JSON, containing the nonce itself);
 * it may be NULL when postdata_len is 0. uri_path is the path only
 * ("/0/private/AddOrder"). Returns 0 or -1 (err filled, out_b64 set to ""). */
int kraken_spot_sign(const char *secret_b64, const char *uri_path, const char *nonce,
                     const char *postdata, size_t postdata_len, char *out_b64, size_t cap,
                     struct kerr *err);

/* Futures REST Authent: base64(HMAC-SHA512(b64dec(secret), SHA256(postdata || nonce || path))).
 * postdata is the URL-encoded parameters exactly as sent ("" if none); nonce is
 * "" when no Nonce header is sent; endpoint_path has no "/derivatives" prefix
 * (see kraken_futures_endpoint_path). Returns 0 or -1. */
int kraken_futures_authent(const char *secret_b64, const char *postdata, const char *nonce,
                           const char *endpoint_path, char *out_b64, size_t cap, struct kerr *err);

/* Futures WS signed_challenge: base64(HMAC-SHA512(b64dec(secret), SHA256(challenge))).
 * Returns 0 or -1. */
int kraken_futures_sign_challenge(const char *secret_b64, const char *challenge, char *out_b64,
                                  size_t cap, struct kerr *err);

/* The path Futures signs: url_path without a leading "/derivatives" segment
 * ("/derivatives/api/v3/sendorder" -> "/api/v3/sendorder"); other paths, such
 * as "/api/history/v3/account-log", are returned unchanged. Points into url_path. */
const char *kraken_futures_endpoint_path(const char *url_path);

/* Compare two NUL-terminated signatures in time that depends only on their
 * lengths (which are public), not on where they differ. NULL never matches. */
bool sign_equal(const char *a, const char *b);

#endif
