/* spot_rest_util: shared helpers of the Spot REST unit tests. */
#include "tests/unit/spot_rest_util.h"

#include <stdlib.h>
#include <string.h>

#include "tests/unit/unit.h"

int srt_load(const char *name, struct jdoc *d, char **body)
{
	char path[128];
	size_t len;
	snprintf(path, sizeof path, "spot_rest/%s", name);
	*body = kt_fixture_read(path, &len);
	struct spot_env env;
	struct kerr e = KERR_INIT;
	int rc = spot_env_parse(d, *body, len, &env, &e);
	if (rc < 0)
		fail_msg("%s: %s", name, e.msg);
	return env.result;
}

int srt_parse(const char *json, struct jdoc *d)
{
	struct spot_env env;
	struct kerr e = KERR_INIT;
	if (spot_env_parse(d, json, strlen(json), &env, &e) < 0)
		fail_msg("bad test JSON: %s", e.msg);
	return env.result;
}

void srt_state_init(struct state *st)
{
	state_init(st);
	struct jdoc d;
	jdoc_init(&d);
	char *body;
	int res = srt_load("asset_pairs.json", &d, &body);
	struct spot_pair *p;
	size_t n;
	struct kerr e = KERR_INIT;
	if (spot_dec_asset_pairs(&d, res, &p, &n, &e) < 0)
		fail_msg("asset pairs: %s", e.msg);
	spot_apply_instruments(st, p, n);
	free(p);
	jdoc_free(&d);
	free(body);
}
