/* faults: fault injection for the paper exchange (faults.h): the REST and WS
 * faults, held requests and the server restart. One uv timer serves delayed
 * requests, stall limits and delayed WebSocket messages. The JSON control
 * endpoint is in faults_ctl.c. */
#include "paper/faults.h"

#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "base/ktime.h"
#include "base/log.h"
#include "base/strutil.h"
#include "base/xalloc.h"
#include "paper/server.h"

#define CORRUPT          0x5a5a5a5au
#define RESTART_GRACE_MS 50  /* let the control answer reach the wire first */
#define DROP_WAIT_MS     200 /* a WS drop waits at most this long for earlier messages */

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
	bool dropped;      /* sends are swallowed from now on */
	uint64_t drop_due; /* the drop waits for earlier messages to be written (0: done) */
	uint64_t first_drop_ms;
	struct faults_msg *head, *tail;
};

static const char *const kind_names[FAULTS_R_COUNT] = {
        "delay", "stall", "http", "rate_limit", "unavailable", "drop", "lose_response",
};

const char *faults_kind_name(enum faults_rest_kind k)
{
	return (unsigned)k < FAULTS_R_COUNT ? kind_names[k] : "?";
}

/* ---- state ---- */

static uint64_t now_ms(const struct paper *p)
{
	return uv_now(p->loop);
}

struct faults_state *faults_state_get(struct paper *p)
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
		if (fs->conns[i]->drop_due && (!due || fs->conns[i]->drop_due < due))
			due = fs->conns[i]->drop_due;
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

/* Drop the connections whose earlier messages have reached the socket (or that
 * waited long enough for it). */
static void drop_due(struct faults_state *fs, uint64_t now)
{
	for (size_t i = 0; i < fs->nconns; i++) {
		struct faults_conn *c = fs->conns[i];
		if (!c->drop_due || c->drop_due > now)
			continue;
		if (ws_conn_queued(c->conn) && now < c->first_drop_ms + DROP_WAIT_MS) {
			c->drop_due = now + 1;
			continue;
		}
		c->drop_due = 0;
		LOGD("faults: dropping ws %s", http_conn_peer(c->conn));
		ws_conn_drop(c->conn);
	}
}

static void on_timer(uv_timer_t *t)
{
	struct faults_state *fs = t->data;
	struct paper *p = fs->p;
	uint64_t now = now_ms(p);
	deliver_due(fs, now);
	drop_due(fs, now);
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
	static const struct {
		int code;
		const char *text;
	} tab[] = {{429, "Too Many Requests"},  {500, "Internal Server Error"},
	           {502, "Bad Gateway"},        {503, "Service Unavailable"},
	           {504, "Gateway Timeout"},    {520, "Web Server Returned an Unknown Error"},
	           {521, "Web Server Is Down"}, {522, "Connection Timed Out"},
	           {524, "A Timeout Occurred"}};
	for (size_t i = 0; i < sizeof tab / sizeof tab[0]; i++)
		if (tab[i].code == status)
			return tab[i].text;
	return "Error";
}

/* What a gateway in front of the exchange answers: an HTML page. */
static void reply_gateway(struct http_request *req, int status)
{
	char body[512];
	const char *t = status_text(status);
	int n = snprintf(
	        body, sizeof body,
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
	if (!strcmp(req->path, FAULTS_CONTROL_PATH))
		return false;
	fs = faults_state_get(p);
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
	/* not at once: ws_conn_drop discards what is still queued, and the messages
	 * before the fault must reach the client */
	c->first_drop_ms = now_ms(fs->p);
	c->drop_due = c->first_drop_ms;
	arm(fs);
	return 0;
}

int faults_ws_send(struct paper *p, struct http_conn *conn, const char *data, size_t len)
{
	const struct paper_faults *pf = &p->faults;
	if (!ws_any(p->faults_ext, pf))
		return ws_conn_send(conn, data, len);
	struct faults_state *fs = faults_state_get(p);
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
	uint32_t lose =
	        mine && w->lose_ppm > pf->ws_msg_drop_ppm ? w->lose_ppm : pf->ws_msg_drop_ppm;
	if (lose && prng_chance_ppm(&fs->rng, lose)) {
		fs->n_ws_lost++;
		return 0;
	}
	c->sent++;
	uint32_t lat =
	        mine && w->latency_ms > pf->ws_latency_ms ? w->latency_ms : pf->ws_latency_ms;
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
	char *sticky; /* the start-up faults, for the new server (owned) */
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
		struct kerr fe = KERR_INIT;
		if (j->sticky && faults_configure_sticky(np, j->sticky, strlen(j->sticky), &fe) < 0)
			LOGE("faults: start-up faults not applied after the restart: %s", fe.msg);
		LOGI("faults: paper exchange restarted on port %d", j->opts.port);
	} else {
		LOGE("faults: paper exchange did not restart: %s", e.msg);
	}
	free(j->sticky);
	j->sticky = NULL;
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
	struct faults_state *fs = faults_state_get(p);
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
	j->sticky = fs->sticky ? xstrdup(fs->sticky) : NULL;
	uv_timer_init(p->loop, &j->timer);
	j->timer.data = j;
	uv_timer_start(&j->timer, job_stop, RESTART_GRACE_MS, 0);
	LOGI("faults: restarting the paper exchange (down %u ms)", down_ms);
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
	free(fs->sticky); /* off means off, after a restart too */
	fs->sticky = NULL;
	deliver_due(fs, UINT64_MAX);
	release_all(fs, false);
	if (p->faults_ext == fs)
		arm(fs);
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
	free(fs->sticky);
	free(fs);
}
