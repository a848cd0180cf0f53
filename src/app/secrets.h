/* secrets: where an API key or secret comes from, and fetching it.
 *
 * One credential (say "futures secret") is looked up in the sources a profile
 * configures, in this order, and the first configured one is used:
 *   inline value ("secret = ...") -> environment variable named by *_env ->
 *   command in *_cmd (run by /bin/sh -c; first line of its stdout)
 * and only when none is configured, the standard variable (KRAKEN_SPOT_API_KEY,
 * ...). A configured source that yields nothing is an error, never a silent
 * fall-through to another account's key. Error messages name the source, never
 * the value or a command's output. */
#ifndef KT_APP_SECRETS_H
#define KT_APP_SECRETS_H

#include "base/kerr.h"

enum secret_source {
	SECRET_NONE,    /* nothing configured: no credential */
	SECRET_INLINE,  /* key / secret in the config file */
	SECRET_ENV,     /* key_env / secret_env */
	SECRET_CMD,     /* key_cmd / secret_cmd */
	SECRET_STD_ENV, /* KRAKEN_<PRODUCT>_API_KEY / _SECRET */
};

/* The configured sources of one credential (borrowed strings; NULL = not set). */
struct secret_spec {
	const char *what;       /* "spot key", "futures secret": used in messages */
	const char *inline_val; /* from the file */
	const char *env;        /* name of a variable */
	const char *cmd;        /* shell command */
	const char *std_env;    /* the standard variable tried last */
};

/* Resolve one credential. On success *out is a malloc'd copy the caller wipes
 * with xfree_secret() (NULL with *from = SECRET_NONE when nothing is
 * configured, which is not an error). Returns 0 or -1 with err set. */
int secrets_resolve(const struct secret_spec *spec, char **out, enum secret_source *from,
		    struct kerr *err);
/* How long a key_cmd/secret_cmd may take: long enough to type a passphrase
 * into a password manager's prompt, short enough that a hung helper does not
 * hang krakterm. */
#define SECRETS_CMD_TIMEOUT_MS 60000
/* Run `cmd` through /bin/sh -c; stderr and stdin are the caller's. *out gets
 * the first line of stdout without its line ending. A non-zero exit, a signal,
 * empty output or no end of output within SECRETS_CMD_TIMEOUT_MS (the command
 * is then killed) is an error that names `what` and the command only. */
int secrets_run_cmd(const char *what, const char *cmd, char **out, struct kerr *err);
/* The same with another time limit (tests). */
int secrets_run_cmd_timeout(const char *what, const char *cmd, int timeout_ms, char **out,
			    struct kerr *err);
/* How the source is spelled in the config: "key_cmd", "secret_env",
 * or the standard variable's name. `spec` is the one it was resolved from. */
const char *secrets_source_name(enum secret_source from, const struct secret_spec *spec,
				int is_secret);

#endif
