/* profile: the profile krakterm runs with, resolved from the config.
 *
 * Selection: --profile NAME, else default_profile, else the built-in "paper".
 * A profile is live unless it is paper. A paper profile runs the embedded paper
 * exchange: its URLs (and keys) are filled in by whoever starts that exchange
 * (profile_set_endpoint / profile_set_keys); configured keys are not used.
 *
 * Credentials are fetched separately by profile_load_secrets(), after the log
 * is open, since they are registered with the log's redaction list (and
 * fetching may run a command such as `pass`, so a command that only needs
 * market data never has to). They are wiped by profile_free(). */
#ifndef KT_APP_PROFILE_H
#define KT_APP_PROFILE_H

#include <stdbool.h>

#include "app/cfg.h"
#include "app/paths.h"
#include "app/secrets.h"
#include "base/kerr.h"

enum profile_product { PROFILE_SPOT, PROFILE_FUTURES, PROFILE_NPRODUCTS };

/* One product's endpoints and credentials. All strings owned by the profile. */
struct profile_endpoint {
	char *rest_url; /* NULL for paper until the paper exchange is started */
	char *ws_url;
	char *ws_auth_url; /* spot only */
	char *key;         /* NULL until loaded, or when none is configured */
	char *secret;      /* wiped on free; never printed */
	enum secret_source key_from, secret_from;
};

struct profile {
	char *name;
	bool paper;        /* the embedded paper exchange; live otherwise */
	char *paper_state; /* paper account file (default: data dir/paper-NAME.json) */
	int64_t paper_seed;
	dec_t paper_balance;
	char *ca_file; /* NULL = system trust store only */
	int tier;      /* enum cfg_tier */
	struct cfg_safety safety;
	struct profile_endpoint ep[PROFILE_NPRODUCTS]; /* indexed by enum profile_product */
	bool secrets_loaded;
	struct cfg_product src[PROFILE_NPRODUCTS]; /* private: configured credential sources */
};

/* The profile name to use: cli_name, else cfg->default_profile, else "paper".
 * An unknown name is an error that lists the defined profiles. */
int profile_select(const struct cfg *cfg, const char *cli_name, const char **name,
		   struct kerr *err);
/* Select and fill p (credentials not loaded yet). paths may be NULL (then
 * paper_state stays NULL unless configured). Free with profile_free(). */
int profile_resolve(struct profile *p, const struct cfg *cfg, const char *cli_name,
		    const struct paths *paths, struct kerr *err);
/* Fetch the API keys of both products (once; later calls return 0), register
 * them for log redaction. A key without its secret (or the reverse) is an
 * error. Paper profiles have nothing to load. */
int profile_load_secrets(struct profile *p, struct kerr *err);
void profile_free(struct profile *p);

static inline bool profile_is_live(const struct profile *p)
{
	return !p->paper;
}
/* Both key and secret are present for the product. */
bool profile_has_keys(const struct profile *p, enum profile_product prod);
/* No keys for either product: market data only. */
bool profile_read_only(const struct profile *p);
const char *profile_product_name(enum profile_product prod);
/* Where a loaded credential came from, as the config spells it ("key_cmd",
 * "secret_env", "KRAKEN_SPOT_API_KEY"...), or "nowhere". */
const char *profile_source_name(const struct profile *p, enum profile_product prod, bool secret);

/* For the paper exchange starter: point a product at it (strings copied;
 * ws_auth may be NULL) and give it the keys it issued (registered for redaction). */
void profile_set_endpoint(struct profile *p, enum profile_product prod, const char *rest,
			  const char *ws, const char *ws_auth);
void profile_set_keys(struct profile *p, enum profile_product prod, const char *key,
		      const char *secret);

#endif
