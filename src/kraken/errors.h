/* errors: every Kraken error — Spot error strings ("EOrder:Insufficient funds"),
 * Futures error codes ("apiLimitExceeded") and order statuses
 * ("postWouldExecute") — mapped to a krakterm code, a class that tells the
 * session what to do (retry later, back off, reconcile, give up) and a
 * plain-English message that tells the user what to do. */
#ifndef KT_KRAKEN_ERRORS_H
#define KT_KRAKEN_ERRORS_H

#include <stdbool.h>
#include <stddef.h>

enum kraken_err_class {
	KE_OK,
	KE_REJECTED,   /* the request was refused; nothing happened; do not retry */
	KE_RATE_LIMIT, /* slow down, then retry */
	KE_UNAVAILABLE,/* exchange busy/down; retry with backoff (orders: reconcile first) */
	KE_AUTH,       /* key, signature, permission: fix the configuration */
	KE_NONCE,      /* nonce too low: another user of the key; do not retry blindly */
	KE_UNKNOWN,    /* unrecognised; treat as rejected but keep the raw text */
};

struct kraken_err {
	enum kraken_err_class cls;
	const char *code;    /* the canonical Kraken text, e.g. "EOrder:Insufficient funds" */
	const char *message; /* plain English with what to do */
};

/* Look up a Spot error string (with or without a ":detail" tail; the detail
 * is appended to the message by kraken_err_describe). Unknown strings give a
 * KE_UNKNOWN entry whose code is NULL. */
struct kraken_err kraken_spot_error(const char *err);
/* Futures top-level `error` codes and every sendStatus/editStatus/
 * cancelStatus status value. "placed", "edited", "cancelled", "filled" and
 * "partiallyFilled" are KE_OK. */
struct kraken_err kraken_futures_error(const char *code);
/* "<message> (<raw>)" into buf, for notices and one-shot commands. */
void kraken_err_describe(const struct kraken_err *e, const char *raw, char *buf, size_t cap);
/* Is this a warning ("W...") rather than an error? */
bool kraken_spot_is_warning(const char *err);

#endif
