/* profile: selecting and resolving the run's profile; loading its credentials. */
#include "app/profile.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "base/xalloc.h"

static const char *const product_names[] = {"spot", "futures"};
static const char *const std_env[PROFILE_NPRODUCTS][2] = {
	{"KRAKEN_SPOT_API_KEY", "KRAKEN_SPOT_API_SECRET"},
	{"KRAKEN_FUTURES_API_KEY", "KRAKEN_FUTURES_API_SECRET"},
};

const char *profile_product_name(enum profile_product prod)
{
	return (unsigned)prod < PROFILE_NPRODUCTS ? product_names[prod] : "?";
}

int profile_select(const struct cfg *cfg, const char *cli_name, const char **name, struct kerr *err)
{
	const char *n = cli_name && *cli_name  ? cli_name
			: cfg->default_profile ? cfg->default_profile
					       : "paper";
	if (strcmp(n, "paper") != 0 && !cfg_profile_find(cfg, n)) {
		char *names = cfg_profile_names(cfg);
		kerr_set(err, ENOENT, "unknown profile '%s' (defined: %s)", n, names);
		free(names);
		return -1;
	}
	*name = n;
	return 0;
}

const char *profile_source_name(const struct profile *p, enum profile_product prod, bool secret)
{
	struct secret_spec spec = {NULL, NULL, NULL, NULL, std_env[prod][secret]};
	const struct profile_endpoint *e = &p->ep[prod];
	return secrets_source_name(secret ? e->secret_from : e->key_from, &spec, secret);
}

static char *dup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

int profile_resolve(struct profile *p, const struct cfg *cfg, const char *cli_name,
		    const struct paths *paths, struct kerr *err)
{
	memset(p, 0, sizeof *p);
	const char *name;
	if (profile_select(cfg, cli_name, &name, err) < 0)
		return -1;
	struct cfg_profile c;
	const struct cfg_profile *found = cfg_profile_find(cfg, name);
	if (found)
		cfg_profile_copy(&c, found);
	else
		cfg_profile_init(&c, name); /* the built-in paper profile */
	p->name = xstrdup(name);
	p->paper = c.paper.on;
	p->paper_seed = c.paper.seed;
	p->paper_balance = c.paper.balance;
	p->ca_file = dup_or_null(c.ca_file);
	p->tier = c.tier;
	p->safety = c.safety;
	if (c.paper.state_file)
		p->paper_state = xstrdup(c.paper.state_file);
	else if (paths)
		p->paper_state = xasprintf("%s/paper-%s.json", paths->data_dir, name);
	struct cfg_product *prods[PROFILE_NPRODUCTS] = {&c.spot, &c.futures};
	for (int i = 0; i < PROFILE_NPRODUCTS; i++) {
		if (!p->paper) /* paper URLs come from the running paper exchange */
			profile_set_endpoint(p, (enum profile_product)i, prods[i]->rest_url,
					     prods[i]->ws_url, prods[i]->ws_auth_url);
		p->src[i] = *prods[i]; /* the credential sources move into the profile */
		memset(prods[i], 0, sizeof *prods[i]);
	}
	cfg_profile_free(&c);
	return 0;
}

/* Register a credential with the log so it is scrubbed from every message. */
static void redact(const char *s)
{
	if (s)
		klog_add_redaction(s);
}

/* Resolve the key and the secret of one product; both or neither. */
static int load_product(struct profile *p, enum profile_product prod, struct kerr *err)
{
	struct profile_endpoint *e = &p->ep[prod];
	const struct cfg_product *c = &p->src[prod];
	const char *pn = product_names[prod];
	char what_key[32], what_secret[32];
	snprintf(what_key, sizeof what_key, "%s key", pn);
	snprintf(what_secret, sizeof what_secret, "%s secret", pn);
	struct secret_spec ks = {what_key, c->key, c->key_env, c->key_cmd, std_env[prod][0]};
	struct secret_spec ss = {what_secret, c->secret, c->secret_env, c->secret_cmd,
				 std_env[prod][1]};
	if (secrets_resolve(&ks, &e->key, &e->key_from, err) < 0)
		return -1;
	redact(e->key);
	if (secrets_resolve(&ss, &e->secret, &e->secret_from, err) < 0)
		return -1;
	redact(e->secret);
	if (e->key && !e->secret)
		return kerr_set(err, EINVAL,
				"%s: the key is set (from %s) but no secret is; set secret, "
				"secret_env or secret_cmd in profile '%s' (or %s)",
				pn, secrets_source_name(e->key_from, &ks, 0), p->name, ss.std_env);
	if (!e->key && e->secret)
		return kerr_set(
			err, EINVAL,
			"%s: the secret is set (from %s) but no key is; set key, key_env or "
			"key_cmd in profile '%s' (or %s)",
			pn, secrets_source_name(e->secret_from, &ss, 1), p->name, ks.std_env);
	return 0;
}

int profile_load_secrets(struct profile *p, struct kerr *err)
{
	if (p->secrets_loaded || p->paper)
		return 0;
	for (int i = 0; i < PROFILE_NPRODUCTS; i++) {
		if (load_product(p, (enum profile_product)i, err) < 0) {
			for (int j = 0; j <= i; j++) {
				xfree_secret(p->ep[j].key);
				xfree_secret(p->ep[j].secret);
				p->ep[j].key = p->ep[j].secret = NULL;
				p->ep[j].key_from = p->ep[j].secret_from = SECRET_NONE;
			}
			return -1;
		}
	}
	p->secrets_loaded = true;
	return 0;
}

bool profile_has_keys(const struct profile *p, enum profile_product prod)
{
	return (unsigned)prod < PROFILE_NPRODUCTS && p->ep[prod].key && p->ep[prod].secret;
}

bool profile_read_only(const struct profile *p)
{
	return !profile_has_keys(p, PROFILE_SPOT) && !profile_has_keys(p, PROFILE_FUTURES);
}

void profile_set_endpoint(struct profile *p, enum profile_product prod, const char *rest,
			  const char *ws, const char *ws_auth)
{
	struct profile_endpoint *e = &p->ep[prod];
	free(e->rest_url);
	free(e->ws_url);
	free(e->ws_auth_url);
	e->rest_url = dup_or_null(rest);
	e->ws_url = dup_or_null(ws);
	e->ws_auth_url = dup_or_null(ws_auth);
}

void profile_set_keys(struct profile *p, enum profile_product prod, const char *key,
		      const char *secret)
{
	struct profile_endpoint *e = &p->ep[prod];
	xfree_secret(e->key);
	xfree_secret(e->secret);
	e->key = dup_or_null(key);
	e->secret = dup_or_null(secret);
	e->key_from = e->secret_from = SECRET_NONE;
	redact(key);
	redact(secret);
}

void profile_free(struct profile *p)
{
	for (int i = 0; i < PROFILE_NPRODUCTS; i++) {
		struct profile_endpoint *e = &p->ep[i];
		free(e->rest_url);
		free(e->ws_url);
		free(e->ws_auth_url);
		xfree_secret(e->key);
		xfree_secret(e->secret);
		cfg_product_free(&p->src[i]);
	}
	free(p->name);
	free(p->paper_state);
	free(p->ca_file);
	memset(p, 0, sizeof *p);
}
