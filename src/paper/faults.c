/* faults: fault injection for the paper exchange (faults.h). One uv timer
 * serves delayed requests, stall limits and delayed WebSocket messages; the
 * control endpoint speaks JSON through jansson. */
#include "paper/faults.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "base/ktime.h"
#include "base/log.h"
#include "base/strutil.h"
#include "base/xalloc.h"
#include "paper/server.h"

#define CONTROL_PATH "/_paper/faults"
#define CORRUPT 0x5a5a5a5au
#define RESTART_GRACE_MS 50 /* let the control answer reach the wire first */

struct faults_held {
	struct faults_held *next;
	struct http_request *req; /* kept */
	uint64_t due_ms;          /* 0: never (a stall without limit) */
	bool stall;               /* at due: drop it; else hand it to resume */
	void (*resume)(void *ctx, struct http_request *req);
	void *ctx;
};

struct faults_msg {
	struct faults_msg *next;
	uint64_t due_ms;
	size_t len;
	char data[];
};

struct faults_conn {
	struct http_conn *conn;
	uint32_t gen, sent;
	uint64_t first_ms;
	bool dropped;
	struct faults_msg *head, *tail;
};

static const char *const kind_names[FAULTS_R_COUNT] = {
	"delay", "stall", "http", "rate_limit", "unavailable", "drop", "lose_response",
};

/* ---- state ---- */

static uint64_t now_ms(const struct paper *p)
{
	return uv_now(p->loop);
}

static struct faults_state *fs_get(struct paper *p)
{
	if (!p->faults_ext) {
		struct faults_state *fs = xcalloc(1, sizeof *fs);
		fs->p = p;
		prng_seed(&fs->rng, p->faults.seed ? p->faults.seed : 1);
		p->faults_ext = fs;
	}
	return p->faults_ext;
}

static void timer_closed(uv_handle_t *h)
{
	free(h);
}

static void on_timer(uv_timer_t *t);

/* (Re)arm the timer for the earliest held request or delayed message. */
static void arm(struct faults_state *fs)
{
	uint64_t due = 0;
	for (struct faults_held *h = fs->held; h; h = h->next)
		if (h->due_ms && (!due || h->due_ms < due))
			due = h->due_ms;
	for (size_t i = 0; i < fs->nconns; i++) {
		struct faults_msg *m = fs->conns[i]->head;
		if (m && (!due || m->due_ms < due))
			due = m->due_ms;
	}
	if (!due) {
		if (fs->timer)
			uv_timer_stop(fs->timer);
		return;
	}
	if (!fs->timer) {
		fs->timer = xcalloc(1, sizeof *fs->timer);
		uv_timer_init(fs->p->loop, fs->timer);
		fs->timer->data = fs;
	}
	uint64_t now = now_ms(fs->p);
	uv_timer_start(fs->timer, on_timer, due > now ? due - now : 0, 0);
	fs->timer_due = due;
}

static void conn_free(struct faults_state *fs, struct faults_conn *c)
{
	for (struct faults_msg *m = c->head, *n; m; m = n) {
		n = m->next;
		free(m);
		fs->nqueued--;
	}
	free(c);
}

static struct faults_conn *conn_get(struct faults_state *fs, struct http_conn *conn)
{
	for (size_t i = 0; i < fs->nconns; i++)
		if (fs->conns[i]->conn == conn)
			return fs->conns[i];
	fs->conns = xgrow(fs->conns, &fs->conncap, fs->nconns + 1, sizeof *fs->conns);
	struct faults_conn *c = xcalloc(1, sizeof *c);
	c->conn = conn;
	c->gen = fs->ws_gen;
	c->first_ms = now_ms(fs->p);
	fs->conns[fs->nconns++] = c;
	return c;
}

void faults_ws_closed(struct paper *p, struct http_conn *conn)
{
	struct faults_state *fs = p->faults_ext;
	if (!fs)
		return;
	for (size_t i = 0; i < fs->nconns; i++) {
		if (fs->conns[i]->conn != conn)
			continue;
		conn_free(fs, fs->conns[i]);
		fs->conns[i] = fs->conns[--fs->nconns];
		return;
	}
}

/* ---- held requests ---- */

static void hold(struct faults_state *fs, struct http_request *req, uint32_t ms, bool stall,
		 void (*resume)(void *, struct http_request *), void *ctx)
{
	struct faults_held *h = xcalloc(1, sizeof *h);
	h->req = http_request_keep(req);
	h->due_ms = ms || !stall ? now_ms(fs->p) + ms : 0;
	h->stall = stall;
	h->resume = resume;
	h->ctx = ctx;
	h->next = fs->held;
	fs->held = h;
	arm(fs);
}

/* Run a held request: resume it (delay, or a stall being cleared) or drop it. */
static void release(struct faults_state *fs, struct faults_held *h, bool drop)
{
	if (drop || !h->resume) {
		http_request_drop(h->req);
	} else {
		struct paper *p = fs->p;
		fs->resuming = h->req;
		h->resume(h->ctx, h->req);
		if (p->faults_ext == fs) /* else the request stopped the server */
			fs->resuming = NULL;
	}
	free(h);
}

/* Take the held requests due by now off the list (in arrival order). */
static struct faults_held *due_held(struct faults_state *fs, uint64_t now, bool all)
{
	struct faults_held *due = NULL, **pp = &fs->held;
	while (*pp) {
		struct faults_held *h = *pp;
		if (all || (h->due_ms && h->due_ms <= now)) {
			*pp = h->next;
			h->next = due; /* the list is newest first: reversing restores arrival */
			due = h;
		} else {
			pp = &h->next;
		}
	}
	return due;
}

static void deliver_due(struct faults_state *fs, uint64_t now)
{
	for (size_t i = 0; i < fs->nconns; i++) {
		struct faults_conn *c = fs->conns[i];
		while (c->head && c->head->due_ms <= now) {
			struct faults_msg *m = c->head;
			c->head = m->next;
			if (!c->head)
				c->tail = NULL;
			if (!c->dropped)
				ws_conn_send(c->conn, m->data, m->len);
			free(m);
			fs->nqueued--;
		}
	}
}

static void on_timer(uv_timer_t *t)
{
	struct faults_state *fs = t->data;
	struct paper *p = fs->p;
	uint64_t now = now_ms(p);
	deliver_due(fs, now);
	struct faults_held *due = due_held(fs, now, false);
	while (due) {
		struct faults_held *h = due;
		due = h->next;
		release(fs, h, h->stall);
		if (p->faults_ext != fs) { /* a resumed request stopped the server */
			for (; due; due = h) {
				h = due->next;
				http_request_drop(due->req);
				free(due);
			}
			return;
		}
	}
	paper_flush(p, NULL);
	arm(fs);
}

/* ---- REST ---- */

static bool is_spot(const struct http_request *req)
{
	return kt_str_starts(req->path, "/0/");
}

static void reply_json(struct http_request *req, int status, const char *body)
{
	http_reply(req, status, "application/json", body, strlen(body), NULL);
}

static void reply_fut_error(struct paper *p, struct http_request *req, const char *error)
{
	char ts[KTIME_FMT_MAX], body[256];
	ktime_fmt_ms(paper_now(p), ts, sizeof ts);
	snprintf(body, sizeof body, "{\"result\":\"error\",\"serverTime\":\"%s\",\"error\":\"%s\"}",
		 ts, error);
	reply_json(req, 200, body);
}

static const char *status_text(int status)
{
	switch (status) {
	case 429: return "Too Many Requests";
	case 500: return "Internal Server Error";
	case 502: return "Bad Gateway";
	case 503: return "Service Unavailable";
	case 504: return "Gateway Timeout";
	case 520: return "Web Server Returned an Unknown Error";
	case 521: return "Web Server Is Down";
	case 522: return "Connection Timed Out";
	case 524: return "A Timeout Occurred";
	default: return "Error";
	}
}

/* What a gateway in front of the exchange answers: an HTML page. */
static void reply_gateway(struct http_request *req, int status)
{
	char body[512];
	const char *t = status_text(status);
	int n = snprintf(body, sizeof body,
			 "<html>\r\n<head><title>%d %s</title></head>\r\n<body>\r\n<center><h1>%d "
			 "%s</h1></center>\r\n<hr><center>cloudflare</center>\r\n</body>\r\n</html>\r\n",
			 status, t, status, t);
	http_reply(req, status, "text/html", body, (size_t)n,
		   status == 429 ? "Retry-After: 1\r\n" : NULL);
}

static bool rule_matches(const struct faults_rule *r, const struct http_request *req)
{
	if (r->path[0] && !kt_str_starts(req->path, r->path))
		return false;
	return !r->method[0] || !strcmp(r->method, req->method);
}

/* Apply a fired rule; true when the request was taken. */
static bool apply(struct faults_state *fs, const struct faults_rule *r, struct http_request *req,
		  void (*resume)(void *, struct http_request *), void *ctx)
{
	struct paper *p = fs->p;
	fs->n_rest[r->kind]++;
	LOGD("faults: %s on %s %s", kind_names[r->kind], req->method, req->path);
	switch (r->kind) {
	case FAULTS_R_DELAY:
		hold(fs, req, r->ms, false, resume, ctx);
		return true;
	case FAULTS_R_STALL:
		hold(fs, req, r->ms, true, resume, ctx);
		return true;
	case FAULTS_R_HTTP:
		reply_gateway(req, r->status ? r->status : 503);
		return true;
	case FAULTS_R_RATE_LIMIT:
		if (is_spot(req))
			reply_json(req, 200, "{\"error\":[\"EAPI:Rate limit exceeded\"]}");
		else
			reply_fut_error(p, req, "apiLimitExceeded");
		return true;
	case FAULTS_R_UNAVAILABLE:
		if (is_spot(req))
			reply_json(req, 200, "{\"error\":[\"EService:Unavailable\"]}");
		else
			reply_fut_error(p, req, "Unavailable");
		return true;
	case FAULTS_R_DROP:
		http_request_drop(req);
		return true;
	case FAULTS_R_LOSE_RESPONSE:
		fs->lose_req = req;
		fs->lose_conn = req->conn;
		return false;
	case FAULTS_R_COUNT:
		break;
	}
	return false;
}

static bool paper_rest_any(const struct paper_faults *pf)
{
	return pf->rest_latency_ms || pf->rest_5xx_ppm || pf->rest_drop_ppm || pf->rest_hang_ppm;
}

bool faults_rest_before(struct paper *p, struct http_request *req,
			void (*resume)(void *ctx, struct http_request *req), void *ctx)
{
	struct faults_state *fs = p->faults_ext;
	const struct paper_faults *pf = &p->faults;
	if (fs && fs->resuming == req)
		return false;
	if (!paper_rest_any(pf) && (!fs || !fs->nrules))
		return false;
	if (!strcmp(req->path, CONTROL_PATH))
		return false;
	fs = fs_get(p);
	struct faults_rule tmp = {.ppm = 1000000};
	if (pf->rest_drop_ppm && prng_chance_ppm(&fs->rng, pf->rest_drop_ppm)) {
		tmp.kind = FAULTS_R_DROP;
		return apply(fs, &tmp, req, resume, ctx);
	}
	if (pf->rest_hang_ppm && prng_chance_ppm(&fs->rng, pf->rest_hang_ppm)) {
		tmp.kind = FAULTS_R_STALL;
		return apply(fs, &tmp, req, resume, ctx);
	}
	if (pf->rest_5xx_ppm && prng_chance_ppm(&fs->rng, pf->rest_5xx_ppm)) {
		tmp.kind = FAULTS_R_HTTP;
		tmp.status = prng_below(&fs->rng, 2) ? 502 : 503;
		return apply(fs, &tmp, req, resume, ctx);
	}
	for (size_t i = 0; i < fs->nrules; i++) {
		struct faults_rule *r = &fs->rules[i];
		if (!rule_matches(r, req) || (r->count && r->fired >= r->count))
			continue;
		if (++r->seen <= r->skip || !prng_chance_ppm(&fs->rng, r->ppm))
			continue;
		r->fired++;
		return apply(fs, r, req, resume, ctx);
	}
	if (pf->rest_latency_ms) {
		tmp.kind = FAULTS_R_DELAY;
		tmp.ms = pf->rest_latency_ms;
		return apply(fs, &tmp, req, resume, ctx);
	}
	return false;
}

void faults_rest_after(struct paper *p, const struct http_request *req)
{
	struct faults_state *fs = p->faults_ext;
	if (!fs || !fs->lose_req || fs->lose_req != req)
		return;
	struct http_conn *c = fs->lose_conn;
	fs->lose_req = NULL;
	fs->lose_conn = NULL;
	if (c)
		ws_conn_drop(c); /* the queued answer is discarded with the connection */
}

/* ---- WebSocket ---- */

static bool ws_any(const struct faults_state *fs, const struct paper_faults *pf)
{
	bool own = fs && (fs->ws.drop_after || fs->ws.drop_ppm || fs->ws.lose_ppm ||
			  fs->ws.latency_ms || fs->nqueued);
	return own || pf->ws_latency_ms || pf->ws_drop_after_ms || pf->ws_msg_drop_ppm;
}

static int ws_drop(struct faults_state *fs, struct faults_conn *c)
{
	c->dropped = true;
	fs->n_ws_dropped++;
	LOGD("faults: dropping ws %s", http_conn_peer(c->conn));
	ws_conn_drop(c->conn);
	return 0;
}

int faults_ws_send(struct paper *p, struct http_conn *conn, const char *data, size_t len)
{
	const struct paper_faults *pf = &p->faults;
	if (!ws_any(p->faults_ext, pf))
		return ws_conn_send(conn, data, len);
	struct faults_state *fs = fs_get(p);
	struct faults_conn *c = conn_get(fs, conn);
	if (c->dropped)
		return 0;
	const struct faults_ws *w = &fs->ws;
	bool mine = !w->path[0] || !strcmp(ws_conn_path(conn), w->path);
	if (c->gen != fs->ws_gen) {
		c->gen = fs->ws_gen;
		c->sent = 0;
	}
	uint64_t now = now_ms(p);
	if (mine && w->drop_after && c->sent >= w->drop_after)
		return ws_drop(fs, c);
	if (pf->ws_drop_after_ms && now - c->first_ms >= pf->ws_drop_after_ms)
		return ws_drop(fs, c);
	if (mine && w->drop_ppm && prng_chance_ppm(&fs->rng, w->drop_ppm))
		return ws_drop(fs, c);
	uint32_t lose = mine && w->lose_ppm > pf->ws_msg_drop_ppm ? w->lose_ppm : pf->ws_msg_drop_ppm;
	if (lose && prng_chance_ppm(&fs->rng, lose)) {
		fs->n_ws_lost++;
		return 0;
	}
	c->sent++;
	uint32_t lat = mine && w->latency_ms > pf->ws_latency_ms ? w->latency_ms : pf->ws_latency_ms;
	if (!lat && !c->head)
		return ws_conn_send(conn, data, len);
	/* late, or behind messages that are: queue to keep the order */
	struct faults_msg *m = xmalloc(sizeof *m + len);
	m->next = NULL;
	m->due_ms = now + lat;
	if (c->tail && m->due_ms < c->tail->due_ms)
		m->due_ms = c->tail->due_ms;
	m->len = len;
	memcpy(m->data, data, len);
	if (c->tail)
		c->tail->next = m;
	else
		c->head = m;
	c->tail = m;
	fs->nqueued++;
	fs->n_ws_delayed++;
	arm(fs);
	return 0;
}

uint32_t faults_spot_checksum(struct paper *p, uint32_t crc)
{
	struct faults_state *fs = p->faults_ext;
	if (p->faults.bad_checksum)
		return crc ^ CORRUPT;
	if (!fs || !fs->spot_checksums)
		return crc;
	fs->spot_checksums--;
	fs->n_checksums++;
	return crc ^ CORRUPT;
}

uint64_t faults_fut_seq(struct paper *p, uint64_t seq)
{
	struct faults_state *fs = p->faults_ext;
	if (!fs)
		return seq;
	if (fs->fut_seq_skips) {
		fs->fut_seq_skips--;
		fs->fut_seq_offset++;
		fs->n_seq_skips++;
	}
	return seq + fs->fut_seq_offset;
}

/* ---- restart ---- */

struct restart_job {
	uv_timer_t timer; /* first: the close callback frees the job */
	uv_loop_t *loop;
	struct paper *p;
	struct faults_restart r;
	struct paper_opts opts;
	uint32_t down_ms;
	bool stopped;
};

static void job_closed(uv_handle_t *h)
{
	free(h);
}

static void job_start_again(uv_timer_t *t)
{
	struct restart_job *j = t->data;
	struct kerr e = KERR_INIT;
	struct paper *np = paper_start(j->loop, &j->opts, &e);
	if (np) {
		faults_set_restart(np, &j->r);
		LOGI("faults: paper exchange restarted on port %d", j->opts.port);
	} else {
		LOGE("faults: paper exchange did not restart: %s", e.msg);
	}
	if (j->r.started)
		j->r.started(j->r.ctx, np, np ? NULL : e.msg);
	uv_close((uv_handle_t *)&j->timer, job_closed);
}

static void job_stopped(void *arg)
{
	struct restart_job *j = arg;
	uv_timer_start(&j->timer, job_start_again, j->down_ms, 0);
}

static void job_stop(uv_timer_t *t)
{
	struct restart_job *j = t->data;
	if (j->r.stopping)
		j->r.stopping(j->r.ctx, j->p);
	faults_free(j->p);
	paper_stop(j->p, job_stopped, j);
}

void faults_set_restart(struct paper *p, const struct faults_restart *r)
{
	struct faults_state *fs = fs_get(p);
	fs->restart = *r;
	fs->has_restart = r->opts != NULL;
}

int faults_restart_now(struct paper *p, uint32_t down_ms, struct kerr *err)
{
	struct faults_state *fs = p->faults_ext;
	if (!fs || !fs->has_restart)
		return kerr_set(err, EINVAL, "restart is not available (no restart handler)");
	struct paper_urls u;
	paper_urls(p, &u);
	if (!u.port)
		return kerr_set(err, EINVAL, "restart needs a started server");
	struct restart_job *j = xcalloc(1, sizeof *j);
	j->loop = p->loop;
	j->p = p;
	j->r = fs->restart;
	j->opts = *fs->restart.opts;
	j->opts.port = u.port;
	j->opts.reset = false;
	j->down_ms = down_ms;
	uv_timer_init(p->loop, &j->timer);
	j->timer.data = j;
	uv_timer_start(&j->timer, job_stop, RESTART_GRACE_MS, 0);
	LOGI("faults: restarting the paper exchange (down %u ms)", down_ms);
	return 0;
}

/* ---- configuration ---- */

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
	if (!json_is_object(o) || !k)
		return kerr_set(err, EINVAL, "each rest rule needs \"fault\"");
	int kind = -1;
	for (int i = 0; i < FAULTS_R_COUNT; i++)
		if (!strcmp(k, kind_names[i]))
			kind = i;
	if (kind < 0)
		return kerr_set(err, EINVAL, "unknown fault '%s'", k);
	r->kind = (enum faults_rest_kind)kind;
	uint32_t st = 0;
	if (get_str(o, "path", r->path, sizeof r->path, err) < 0 ||
	    get_str(o, "method", r->method, sizeof r->method, err) < 0 ||
	    get_u32(o, "skip", &r->skip, err) < 0 || get_u32(o, "count", &r->count, err) < 0 ||
	    get_u32(o, "ppm", &r->ppm, err) < 0 || get_u32(o, "ms", &r->ms, err) < 0 ||
	    get_u32(o, "status", &st, err) < 0)
		return -1;
	if (r->kind == FAULTS_R_HTTP && st && (st < 400 || st > 599))
		return kerr_set(err, EINVAL, "status must be 4xx or 5xx");
	r->status = (int)st;
	return 0;
}

static int parse_system(json_t *v, enum paper_system *out, struct kerr *err)
{
	static const char *const names[] = {"online", "maintenance", "cancel_only", "post_only"};
	for (int i = 0; i < 4; i++)
		if (json_is_string(v) && !strcmp(json_string_value(v), names[i])) {
			*out = (enum paper_system)i;
			return 0;
		}
	return kerr_set(err, EINVAL, "system must be online, maintenance, cancel_only or post_only");
}

static int parse_paper(json_t *o, struct paper_faults *pf, struct kerr *err)
{
	if (!json_is_object(o))
		return kerr_set(err, EINVAL, "\"paper\" must be an object");
	json_t *b = json_object_get(o, "bad_checksum");
	if (b)
		pf->bad_checksum = json_is_true(b);
	return get_u32(o, "rest_latency_ms", &pf->rest_latency_ms, err) < 0 ||
			       get_u32(o, "rest_5xx_ppm", &pf->rest_5xx_ppm, err) < 0 ||
			       get_u32(o, "rest_drop_ppm", &pf->rest_drop_ppm, err) < 0 ||
			       get_u32(o, "rest_hang_ppm", &pf->rest_hang_ppm, err) < 0 ||
			       get_u32(o, "ws_latency_ms", &pf->ws_latency_ms, err) < 0 ||
			       get_u32(o, "ws_drop_after_ms", &pf->ws_drop_after_ms, err) < 0 ||
			       get_u32(o, "ws_msg_drop_ppm", &pf->ws_msg_drop_ppm, err) < 0
		       ? -1
		       : 0;
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
				return kerr_set(err, EINVAL, "at most %d rest rules", FAULTS_MAX_RULES);
			if (parse_rule(r, &c->rules[c->nrules++], err) < 0)
				return -1;
		}
	}
	if ((v = json_object_get(root, "ws"))) {
		if (!json_is_object(v))
			return kerr_set(err, EINVAL, "\"ws\" must be an object");
		c->has_ws = true;
		if (get_str(v, "path", c->ws.path, sizeof c->ws.path, err) < 0 ||
		    get_u32(v, "drop_after", &c->ws.drop_after, err) < 0 ||
		    get_u32(v, "drop_ppm", &c->ws.drop_ppm, err) < 0 ||
		    get_u32(v, "lose_ppm", &c->ws.lose_ppm, err) < 0 ||
		    get_u32(v, "latency_ms", &c->ws.latency_ms, err) < 0)
			return -1;
	}
	if (get_u32(root, "spot_checksum", &c->checksums, err) < 0 ||
	    get_u32(root, "fut_seq_skip", &c->seq_skips, err) < 0)
		return -1;
	if ((v = json_object_get(root, "system")) && parse_system(v, &c->pf.system, err) < 0)
		return -1;
	if ((v = json_object_get(root, "fut_suspended")))
		c->pf.fut_suspended = json_is_true(v);
	if ((v = json_object_get(root, "paper")) && parse_paper(v, &c->pf, err) < 0)
		return -1;
	if ((v = json_object_get(root, "restart"))) {
		if (!json_is_object(v) || get_u32(v, "down_ms", &c->down_ms, err) < 0)
			return kerr_set(err, EINVAL, "\"restart\" must be {\"down_ms\": N}");
		if (!fs || !fs->has_restart)
			return kerr_set(err, EINVAL, "restart is not available (no restart handler)");
		c->has_restart = true;
	}
	return 0;
}

static void release_all(struct faults_state *fs, bool drop)
{
	struct faults_held *h = due_held(fs, 0, true);
	while (h) {
		struct faults_held *n = h->next;
		release(fs, h, drop);
		h = n;
	}
}

void faults_clear(struct paper *p)
{
	memset(&p->faults, 0, sizeof p->faults);
	struct faults_state *fs = p->faults_ext;
	if (!fs)
		return;
	fs->nrules = 0;
	memset(&fs->ws, 0, sizeof fs->ws);
	fs->ws_gen++;
	fs->spot_checksums = 0;
	fs->fut_seq_skips = 0;
	deliver_due(fs, UINT64_MAX);
	release_all(fs, false);
	if (p->faults_ext == fs)
		arm(fs);
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
	struct faults_state *fs = fs_get(p);
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
	json_t *o = json_object(), *rules = json_array(), *cnt = json_object();
	for (size_t i = 0; fs && i < fs->nrules; i++) {
		const struct faults_rule *r = &fs->rules[i];
		json_array_append_new(
			rules, json_pack("{s:s,s:s,s:s,s:I,s:I,s:I,s:I,s:I,s:I,s:I}", "fault",
					 kind_names[r->kind], "path", r->path, "method", r->method,
					 "skip", (json_int_t)r->skip, "count", (json_int_t)r->count,
					 "ppm", (json_int_t)r->ppm, "ms", (json_int_t)r->ms, "status",
					 (json_int_t)r->status, "seen", (json_int_t)r->seen, "fired",
					 (json_int_t)r->fired));
	}
	json_object_set_new(o, "result", json_string("success"));
	json_object_set_new(o, "rest", rules);
	struct faults_ws w = fs ? fs->ws : (struct faults_ws){{0}, 0, 0, 0, 0};
	json_object_set_new(o, "ws",
			    json_pack("{s:s,s:I,s:I,s:I,s:I}", "path", w.path, "drop_after",
				      (json_int_t)w.drop_after, "drop_ppm", (json_int_t)w.drop_ppm,
				      "lose_ppm", (json_int_t)w.lose_ppm, "latency_ms",
				      (json_int_t)w.latency_ms));
	json_object_set_new(o, "spot_checksum", json_integer(fs ? fs->spot_checksums : 0));
	json_object_set_new(o, "fut_seq_skip", json_integer(fs ? fs->fut_seq_skips : 0));
	json_object_set_new(o, "fut_suspended", json_boolean(pf->fut_suspended));
	json_object_set_new(o, "system", json_integer(pf->system));
	json_object_set_new(o, "restart_available", json_boolean(fs && fs->has_restart));
	json_object_set_new(
		o, "paper",
		json_pack("{s:b,s:I,s:I,s:I,s:I,s:I,s:I,s:I}", "bad_checksum", pf->bad_checksum,
			  "rest_latency_ms", (json_int_t)pf->rest_latency_ms, "rest_5xx_ppm",
			  (json_int_t)pf->rest_5xx_ppm, "rest_drop_ppm", (json_int_t)pf->rest_drop_ppm,
			  "rest_hang_ppm", (json_int_t)pf->rest_hang_ppm, "ws_latency_ms",
			  (json_int_t)pf->ws_latency_ms, "ws_drop_after_ms",
			  (json_int_t)pf->ws_drop_after_ms, "ws_msg_drop_ppm",
			  (json_int_t)pf->ws_msg_drop_ppm));
	for (int k = 0; fs && k < FAULTS_R_COUNT; k++)
		json_object_set_new(cnt, kind_names[k], json_integer((json_int_t)fs->n_rest[k]));
	json_object_set_new(cnt, "ws_dropped", json_integer(fs ? (json_int_t)fs->n_ws_dropped : 0));
	json_object_set_new(cnt, "ws_lost", json_integer(fs ? (json_int_t)fs->n_ws_lost : 0));
	json_object_set_new(cnt, "ws_delayed", json_integer(fs ? (json_int_t)fs->n_ws_delayed : 0));
	json_object_set_new(cnt, "checksums", json_integer(fs ? (json_int_t)fs->n_checksums : 0));
	json_object_set_new(cnt, "seq_skips", json_integer(fs ? (json_int_t)fs->n_seq_skips : 0));
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
	if (strcmp(req->path, CONTROL_PATH) != 0)
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

/* ---- teardown ---- */

void faults_free(struct paper *p)
{
	struct faults_state *fs = p ? p->faults_ext : NULL;
	if (!fs)
		return;
	release_all(fs, true);
	for (size_t i = 0; i < fs->nconns; i++)
		conn_free(fs, fs->conns[i]);
	free(fs->conns);
	if (fs->timer)
		uv_close((uv_handle_t *)fs->timer, timer_closed);
	p->faults_ext = NULL;
	free(fs);
}
