/* auth: who is calling the paper exchange, checked exactly as Kraken checks it.
 *
 * - Spot REST private: headers API-Key and API-Sign; the body (form or JSON, where
 *   the nonce may be a string or a number) carries `nonce`. API-Sign is recomputed
 *   with net/sign.h (kraken_spot_sign over the exact body bytes) and compared in
 *   constant time; the nonce must be strictly above the key's high-water mark.
 * - Futures REST private: headers APIKey, Authent and optionally Nonce; postData is
 *   the query string, the body, or query + body when both are present; the signed
 *   path has no /derivatives prefix. Nonces: a value seen before is
 *   nonceDuplicate, one older than the recent window nonceBelowThreshold; requests
 *   without a Nonce header are not nonce-checked (ccxt never sends one).
 * - Spot WS tokens and the Futures WS challenge (paper.h wraps these).
 *
 * Nonce high-water marks live in px (px_nonce_get/set) so they are saved with the
 * state. Secrets are never logged. */
#ifndef KT_PAPER_AUTH_H
#define KT_PAPER_AUTH_H

#include <stdint.h>

#include "net/http_server.h"
#include "paper/px.h"

enum auth_result {
	AUTH_OK = 0,
	AUTH_E_KEY,       /* unknown or missing key */
	AUTH_E_SIGN,      /* signature missing or wrong */
	AUTH_E_NONCE,     /* spot: not above the last nonce / missing; futures: below threshold */
	AUTH_E_NONCE_DUP, /* futures: nonce already used */
};

struct paper_auth;

struct paper_auth *auth_new(struct px *px);
void auth_free(struct paper_auth *a);
/* Forget tokens and challenges (px_reset). */
void auth_reset(struct paper_auth *a);

/* Check a Spot private request; on AUTH_OK *acct is the caller. The Kraken error
 * string for a result is auth_spot_error(). */
enum auth_result auth_spot_rest(struct paper_auth *a, const struct http_request *req,
				uint32_t *acct);
const char *auth_spot_error(enum auth_result r); /* "EAPI:Invalid key", ... */
/* The nonce of a Spot body (form, or JSON string/number); 0 or -1. */
int auth_spot_body_nonce(const char *body, size_t len, const char *content_type,
			 uint64_t *nonce, char *text, size_t cap);

/* Check a Futures private request (path as received, with /derivatives). */
enum auth_result auth_fut_rest(struct paper_auth *a, const struct http_request *req,
			       uint32_t *acct);
const char *auth_fut_error(enum auth_result r); /* "authenticationError", ... */

/* Spot WS tokens (now: ns since the epoch). */
int auth_token_issue(struct paper_auth *a, uint32_t acct, int64_t now_ns, char *out,
		     size_t cap, int64_t *expires_s);
int auth_token_check(struct paper_auth *a, const char *token, int64_t now_ns, uint32_t *acct);
void auth_token_hold(struct paper_auth *a, const char *token, int delta);

/* Futures WS challenges. */
int auth_challenge_issue(struct paper_auth *a, const char *api_key, char *out, size_t cap);
int auth_challenge_check(struct paper_auth *a, const char *api_key, const char *challenge,
			 const char *signed_challenge, uint32_t *acct);

#endif
