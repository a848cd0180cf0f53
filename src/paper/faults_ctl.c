/* faults_ctl: the fault-injection control endpoint (GET/POST/DELETE
 * /_paper/faults, loopback only) and faults_configure(): the JSON of
 * docs/paper-market.md checked whole, then applied to struct faults_state
 * and struct paper_faults. */
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "base/strutil.h"
#include "base/xalloc.h"
#include "paper/faults.h"

static void reply_json(struct http_request *req, int status, const char *body)
{
	http_reply(req, status, "application/json", body, strlen(body), NULL);
}

/* ---- configuration ---- */

/* The unsigned fields the JSON sets and GET shows, by name. */
struct u32_field {
	const char *name;
	size_t off;
};
#define F(type, field)                                                                             \
	{                                                                                          \
#field, offsetof(type, field)                                                      \
	}
static const struct u32_field paper_fields[] = {
        F(struct paper_faults, rest_latency_ms), F(struct paper_faults, rest_5xx_ppm),
        F(struct paper_faults, rest_drop_ppm),   F(struct paper_faults, rest_hang_ppm),
        F(struct paper_faults, ws_latency_ms),   F(struct paper_faults, ws_drop_after_ms),
        F(struct paper_faults, ws_msg_drop_ppm),
};
static const struct u32_field ws_fields[] = {
        F(struct faults_ws, drop_after),
        F(struct faults_ws, drop_ppm),
        F(struct faults_ws, lose_ppm),
        F(struct faults_ws, latency_ms),
};
static const struct u32_field rule_fields[] = {
        F(struct faults_rule, skip),
        F(struct faults_rule, count),
        F(struct faults_rule, ppm),
        F(struct faults_rule, ms),
};
#undef F
#define NF(t) (sizeof(t) / sizeof((t)[0]))

static int get_u32(json_t *o, const char *key, uint32_t *out, struct kerr *err)
{
	json_t *v = json_object_get(o, key);
	if (!v)
		return 0;
	if (!json_is_integer(v) || json_integer_value(v) < 0 ||
	    json_integer_value(v) > (json_int_t)UINT32_MAX)
		return kerr_set(err, EINVAL, "%s must be a non-negative integer", key);
	*out = (uint32_t)json_integer_value(v);
	return 0;
}

static int get_fields(json_t *o, void *base, const struct u32_field *f, size_t n, struct kerr *err)
{
	for (size_t i = 0; i < n; i++)
		if (get_u32(o, f[i].name, (uint32_t *)((char *)base + f[i].off), err) < 0)
			return -1;
	return 0;
}

static void put_fields(json_t *o, const void *base, const struct u32_field *f, size_t n)
{
	for (size_t i = 0; i < n; i++)
		json_object_set_new(
		        o, f[i].name,
		        json_integer(*(const uint32_t *)((const char *)base + f[i].off)));
}

static int get_str(json_t *o, const char *key, char *out, size_t cap, struct kerr *err)
{
	json_t *v = json_object_get(o, key);
	if (!v)
		return 0;
	if (!json_is_string(v) || strlen(json_string_value(v)) >= cap)
		return kerr_set(err, EINVAL, "%s must be a string shorter than %zu", key, cap);
	snprintf(out, cap, "%s", json_string_value(v));
	return 0;
}

static int parse_rule(json_t *o, struct faults_rule *r, struct kerr *err)
{
	memset(r, 0, sizeof *r);
	r->ppm = 1000000;
	const char *k = json_string_value(json_object_get(o, "fault"));
	int kind = -1;
	for (int i = 0; k && i < FAULTS_R_COUNT; i++)
		if (!strcmp(k, faults_kind_name((enum faults_rest_kind)i)))
			kind = i;
	if (kind < 0)
		return kerr_set(err, EINVAL, "each rest rule needs a known \"fault\" (%s)",
		                k ? k : "missing");
	r->kind = (enum faults_rest_kind)kind;
	uint32_t st = 0;
	if (get_str(o, "path", r->path, sizeof r->path, err) < 0 ||
	    get_str(o, "method", r->method, sizeof r->method, err) < 0 ||
	    get_fields(o, r, rule_fields, NF(rule_fields), err) < 0 ||
	    get_u32(o, "status", &st, err) < 0)
		return -1;
	if (r->kind == FAULTS_R_HTTP && st && (st < 400 || st > 599))
		return kerr_set(err, EINVAL, "status must be 4xx or 5xx");
	r->status = (int)st;
	return 0;
}

static const char *const system_names[] = {"online", "maintenance", "cancel_only", "post_only"};

static int parse_system(json_t *v, enum paper_system *out, struct kerr *err)
{
	for (int i = 0; i < 4; i++)
		if (json_is_string(v) && !strcmp(json_string_value(v), system_names[i])) {
			*out = (enum paper_system)i;
			return 0;
		}
	return kerr_set(err, EINVAL,
	                "system must be online, maintenance, cancel_only or post_only");
}

/* Everything the JSON may change, checked whole before any of it applies. */
struct conf {
	bool reset;
	struct faults_rule rules[FAULTS_MAX_RULES];
	size_t nrules;
	bool has_ws;
	struct faults_ws ws;
	uint32_t checksums, seq_skips;
	bool has_seed;
	uint64_t seed;
	struct paper_faults pf;
	bool has_restart;
	uint32_t down_ms;
};

static int parse_conf(struct paper *p, json_t *root, struct conf *c, struct kerr *err)
{
	struct faults_state *fs = p->faults_ext;
	memset(c, 0, sizeof *c);
	c->reset = json_is_true(json_object_get(root, "reset"));
	c->pf = p->faults;
	if (c->reset)
		memset(&c->pf, 0, sizeof c->pf);
	json_t *v;
	if ((v = json_object_get(root, "seed"))) {
		if (!json_is_integer(v))
			return kerr_set(err, EINVAL, "seed must be an integer");
		c->has_seed = true;
		c->seed = (uint64_t)json_integer_value(v);
	}
	if (fs && !c->reset) {
		memcpy(c->rules, fs->rules, sizeof c->rules);
		c->nrules = fs->nrules;
	}
	if ((v = json_object_get(root, "rest"))) {
		size_t i;
		json_t *r;
		if (!json_is_array(v))
			return kerr_set(err, EINVAL, "\"rest\" must be an array of rules");
		json_array_foreach(v, i, r)
		{
			if (c->nrules == FAULTS_MAX_RULES)
				return kerr_set(err, EINVAL, "at most %d rest rules",
				                FAULTS_MAX_RULES);
			if (parse_rule(r, &c->rules[c->nrules++], err) < 0)
				return -1;
		}
	}
	if ((v = json_object_get(root, "ws"))) {
		if (!json_is_object(v))
			return kerr_set(err, EINVAL, "\"ws\" must be an object");
		c->has_ws = true;
		if (get_str(v, "path", c->ws.path, sizeof c->ws.path, err) < 0 ||
		    get_fields(v, &c->ws, ws_fields, NF(ws_fields), err) < 0)
			return -1;
	}
	if (get_u32(root, "spot_checksum", &c->checksums, err) < 0 ||
	    get_u32(root, "fut_seq_skip", &c->seq_skips, err) < 0)
		return -1;
	if ((v = json_object_get(root, "system")) && parse_system(v, &c->pf.system, err) < 0)
		return -1;
	if ((v = json_object_get(root, "fut_suspended")))
		c->pf.fut_suspended = json_is_true(v);
	if ((v = json_object_get(root, "paper"))) {
		if (!json_is_object(v))
			return kerr_set(err, EINVAL, "\"paper\" must be an object");
		if (json_object_get(v, "bad_checksum"))
			c->pf.bad_checksum = json_is_true(json_object_get(v, "bad_checksum"));
		if (get_fields(v, &c->pf, paper_fields, NF(paper_fields), err) < 0)
			return -1;
	}
	if ((v = json_object_get(root, "restart"))) {
		if (!json_is_object(v) || get_u32(v, "down_ms", &c->down_ms, err) < 0)
			return kerr_set(err, EINVAL, "\"restart\" must be {\"down_ms\": N}");
		if (!fs || !fs->has_restart)
			return kerr_set(err, EINVAL,
			                "restart is not available (no restart handler)");
		c->has_restart = true;
	}
	return 0;
}

int faults_configure(struct paper *p, const char *json, size_t len, struct kerr *err)
{
	json_error_t je;
	json_t *root = json_loadb(json, len, 0, &je);
	if (!root || !json_is_object(root)) {
		json_decref(root);
		return kerr_set(err, EINVAL, "the body must be a JSON object (%s)", je.text);
	}
	struct conf *c = xmalloc(sizeof *c);
	int rc = parse_conf(p, root, c, err);
	json_decref(root);
	if (rc < 0) {
		free(c);
		return -1;
	}
	if (c->reset)
		faults_clear(p);
	struct faults_state *fs = faults_state_get(p);
	memcpy(fs->rules, c->rules, sizeof fs->rules);
	fs->nrules = c->nrules;
	if (c->has_ws) {
		fs->ws = c->ws;
		fs->ws_gen++;
	}
	fs->spot_checksums += c->checksums;
	fs->fut_seq_skips += c->seq_skips;
	p->faults = c->pf;
	if (c->has_seed) {
		p->faults.seed = c->seed;
		prng_seed(&fs->rng, c->seed);
	}
	if (c->has_restart)
		rc = faults_restart_now(p, c->down_ms, err);
	free(c);
	return rc;
}

int faults_configure_sticky(struct paper *p, const char *json, size_t len, struct kerr *err)
{
	json_error_t je;
	json_t *root = json_loadb(json, len, 0, &je);
	bool restart = root && json_is_object(root) && json_object_get(root, "restart");
	json_decref(root);
	if (restart)
		return kerr_set(err, EINVAL,
		                "\"restart\" cannot be given at start (it would restart the "
		                "exchange at every boot): POST {\"restart\":{\"down_ms\":N}} "
		                "to /_paper/faults once it runs");
	if (faults_configure(p, json, len, err) < 0)
		return -1;
	struct faults_state *fs = faults_state_get(p);
	free(fs->sticky);
	fs->sticky = xstrndup(json, len);
	return 0;
}

/* ---- control endpoint ---- */

static bool loopback(const struct http_request *req)
{
	const char *peer = req->conn ? http_conn_peer(req->conn) : "";
	return kt_str_starts(peer, "127.") || kt_str_starts(peer, "[::1]") ||
	       kt_str_starts(peer, "::1");
}

static json_t *state_json(const struct paper *p)
{
	const struct faults_state *fs = p->faults_ext;
	const struct paper_faults *pf = &p->faults;
	static const struct faults_state none;
	if (!fs)
		fs = &none;
	json_t *o = json_object(), *rules = json_array(), *cnt = json_object();
	for (size_t i = 0; i < fs->nrules; i++) {
		const struct faults_rule *r = &fs->rules[i];
		json_t *j =
		        json_pack("{s:s,s:s,s:s,s:i,s:I,s:I}", "fault", faults_kind_name(r->kind),
		                  "path", r->path, "method", r->method, "status", r->status, "seen",
		                  (json_int_t)r->seen, "fired", (json_int_t)r->fired);
		put_fields(j, r, rule_fields, NF(rule_fields));
		json_array_append_new(rules, j);
	}
	json_t *ws = json_pack("{s:s}", "path", fs->ws.path);
	put_fields(ws, &fs->ws, ws_fields, NF(ws_fields));
	json_t *pj = json_pack("{s:b}", "bad_checksum", pf->bad_checksum);
	put_fields(pj, pf, paper_fields, NF(paper_fields));
	json_object_set_new(o, "result", json_string("success"));
	json_object_set_new(o, "rest", rules);
	json_object_set_new(o, "ws", ws);
	json_object_set_new(o, "paper", pj);
	json_object_set_new(o, "spot_checksum", json_integer(fs->spot_checksums));
	json_object_set_new(o, "fut_seq_skip", json_integer(fs->fut_seq_skips));
	json_object_set_new(o, "fut_suspended", json_boolean(pf->fut_suspended));
	json_object_set_new(o, "system", json_string(system_names[pf->system & 3]));
	json_object_set_new(o, "restart_available", json_boolean(fs->has_restart));
	for (int k = 0; k < FAULTS_R_COUNT; k++)
		json_object_set_new(cnt, faults_kind_name((enum faults_rest_kind)k),
		                    json_integer((json_int_t)fs->n_rest[k]));
	const uint64_t *nv[] = {&fs->n_ws_dropped, &fs->n_ws_lost, &fs->n_ws_delayed,
	                        &fs->n_checksums, &fs->n_seq_skips};
	const char *nn[] = {"ws_dropped", "ws_lost", "ws_delayed", "checksums", "seq_skips"};
	for (size_t k = 0; k < NF(nn); k++)
		json_object_set_new(cnt, nn[k], json_integer((json_int_t)*nv[k]));
	json_object_set_new(o, "counters", cnt);
	return o;
}

static void reply_state(struct paper *p, struct http_request *req)
{
	json_t *o = state_json(p);
	char *s = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	reply_json(req, 200, s ? s : "{}");
	free(s);
}

bool faults_control(struct paper *p, struct http_request *req)
{
	if (strcmp(req->path, FAULTS_CONTROL_PATH) != 0)
		return false;
	if (!loopback(req)) {
		reply_json(req, 404, "{\"result\":\"error\",\"error\":\"notFound\"}");
		return true;
	}
	if (!strcmp(req->method, "GET")) {
		reply_state(p, req);
	} else if (!strcmp(req->method, "DELETE")) {
		faults_clear(p);
		reply_state(p, req);
	} else if (!strcmp(req->method, "POST")) {
		struct kerr e = KERR_INIT;
		if (faults_configure(p, req->body, req->body_len, &e) < 0) {
			json_t *o = json_pack("{s:s,s:s}", "result", "error", "error", e.msg);
			char *s = json_dumps(o, JSON_COMPACT);
			json_decref(o);
			reply_json(req, 400, s ? s : "{}");
			free(s);
		} else {
			reply_state(p, req);
		}
	} else {
		http_reply(req, 405, "application/json", "{\"result\":\"error\"}", 18,
		           "Allow: GET, POST, DELETE\r\n");
	}
	return true;
}
