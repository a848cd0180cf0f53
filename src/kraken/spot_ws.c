/* spot_ws: the public Spot WS v2 session (market data subscriptions, book
 * resync, maintenance handling). The private session is in spot_ws_priv.c. */
#include "kraken/spot_ws.h"

#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "base/sbuf.h"
#include "base/xalloc.h"
#include "core/state.h"

/* What we want from one instrument. */
struct pub_sub {
	int instr;
	int depth; /* book depth, 0 = none */
	bool ticker;
	bool trade, trade_history;
	int interval;   /* ohlc minutes, 0 = none */
	bool resyncing; /* an unsubscribe/subscribe for a fresh snapshot is in flight */
};

struct spot_ws_pub {
	struct state *st;
	struct wsconn *conn;
	struct spot_ws_dec dec;
	struct spot_ws_msg msg;
	struct sbuf out;
	struct pub_sub *subs;
	size_t nsubs, cap_subs;
	int64_t req_id;
	bool ready; /* the instrument snapshot of this connection is in */
	struct spot_ws_stats stats;
};

static void pub_send(struct spot_ws_pub *p)
{
	if (p->out.len && wsconn_send(p->conn, p->out.p, p->out.len) != 0)
		LOGD("spot ws: not connected; the subscription goes out on connect");
	sbuf_reset(&p->out);
}

/* (Un)subscribe one channel for a list of symbols. */
static void pub_sub_send(struct spot_ws_pub *p, bool unsub, enum spot_ws_channel ch,
                         const char *const *syms, size_t n, int depth, int interval, bool snapshot)
{
	struct kerr err = KERR_INIT;
	struct spot_ws_sub s = {.channel = ch,
	                        .symbols = syms,
	                        .nsymbols = n,
	                        .depth = depth,
	                        .interval = interval,
	                        .snapshot = snapshot};
	if (spot_ws_build_subscribe(&p->out, unsub, &s, ++p->req_id, &err))
		LOGW("spot ws: %s", err.msg);
	else
		pub_send(p);
}

static void pub_one(struct spot_ws_pub *p, bool unsub, enum spot_ws_channel ch, int instr,
                    int depth, int interval, bool snapshot)
{
	const char *sym = p->st->instr[instr].id;
	pub_sub_send(p, unsub, ch, &sym, 1, depth, interval, snapshot);
}

static struct pub_sub *sub_find(struct spot_ws_pub *p, int instr, bool create)
{
	for (size_t i = 0; i < p->nsubs; i++)
		if (p->subs[i].instr == instr)
			return &p->subs[i];
	if (!create)
		return NULL;
	p->subs = xgrow(p->subs, &p->cap_subs, p->nsubs + 1, sizeof *p->subs);
	struct pub_sub *s = &p->subs[p->nsubs++];
	memset(s, 0, sizeof *s);
	s->instr = instr;
	return s;
}

/* Everything we hold, grouped so that one request covers many symbols. */
static void pub_subscribe_all(struct spot_ws_pub *p)
{
	const char **syms = xcalloc(p->nsubs ? p->nsubs : 1, sizeof *syms);
	static const int depths[] = {10, 25, 100, 500, 1000};
	for (size_t d = 0; d < sizeof depths / sizeof depths[0]; d++) {
		size_t n = 0;
		for (size_t i = 0; i < p->nsubs; i++)
			if (p->subs[i].depth == depths[d])
				syms[n++] = p->st->instr[p->subs[i].instr].id;
		if (n)
			pub_sub_send(p, false, SWC_BOOK, syms, n, depths[d], 0, true);
	}
	size_t n = 0;
	for (size_t i = 0; i < p->nsubs; i++)
		if (p->subs[i].ticker)
			syms[n++] = p->st->instr[p->subs[i].instr].id;
	if (n)
		pub_sub_send(p, false, SWC_TICKER, syms, n, 0, 0, true);
	for (int hist = 0; hist < 2; hist++) {
		n = 0;
		for (size_t i = 0; i < p->nsubs; i++)
			if (p->subs[i].trade && p->subs[i].trade_history == hist)
				syms[n++] = p->st->instr[p->subs[i].instr].id;
		if (n)
			pub_sub_send(p, false, SWC_TRADE, syms, n, 0, 0, hist);
	}
	for (size_t i = 0; i < p->nsubs; i++) {
		p->subs[i].resyncing = false;
		if (p->subs[i].interval)
			pub_one(p, false, SWC_OHLC, p->subs[i].instr, 0, p->subs[i].interval, true);
	}
	free(syms);
}

/* Ask for a fresh book snapshot: Kraken sends one only on a new subscription. */
static void pub_resync(struct spot_ws_pub *p, int instr)
{
	struct pub_sub *s = sub_find(p, instr, false);
	struct market *m = state_market(p->st, instr);
	if (!s || !s->depth || s->resyncing || !p->ready)
		return;
	s->resyncing = true;
	m->resyncs++;
	p->stats.resyncs++;
	LOGI("spot ws: resubscribing the %s book for a fresh snapshot", p->st->instr[instr].id);
	pub_one(p, true, SWC_BOOK, instr, s->depth, 0, false);
	pub_one(p, false, SWC_BOOK, instr, s->depth, 0, true);
}

static void pub_on_status(struct spot_ws_pub *p, const struct spot_ws_msg *m)
{
	bool maint = strcmp(m->system, "maintenance") == 0;
	wsconn_maintenance(p->conn, maint);
	if (strcmp(m->system, "online") != 0)
		state_notice(p->st, maint ? NOTICE_WARN : NOTICE_INFO, "Kraken Spot is in %s mode",
		             m->system);
}

static void pub_on_ack(struct spot_ws_pub *p, const struct spot_ws_msg *m)
{
	if (m->success)
		return;
	LOGW("spot ws: %s %s %s refused: %s", spot_ws_method_name(m->method),
	     spot_ws_channel_name(m->channel), m->symbol, m->error);
	struct pub_sub *s = m->instr >= 0 ? sub_find(p, m->instr, false) : NULL;
	if (s && m->channel == SWC_BOOK)
		s->resyncing = false;
	if (m->method == SWM_SUBSCRIBE && !strstr(m->error, "Already subscribed"))
		state_notice(p->st, NOTICE_WARN, "Kraken refused the %s feed of %s: %s",
		             spot_ws_channel_name(m->channel), m->symbol[0] ? m->symbol : "?",
		             m->error);
}

static void pub_message(void *ctx, const char *msg, size_t len)
{
	struct spot_ws_pub *p = ctx;
	struct spot_ws_msg *m = &p->msg;
	struct kerr err = KERR_INIT;
	p->stats.msgs++;
	if (spot_ws_decode(&p->dec, p->st, msg, len, m, &err)) {
		p->stats.errors++;
		LOGD("spot ws: message not applied: %s", err.msg);
	} else if (m->kind == SWK_DATA) {
		state_feed_channel_msg(p->st, FEED_SPOT_PUBLIC, spot_ws_channel_name(m->channel));
	}
	if (m->kind == SWK_DATA && m->channel == SWC_BOOK && m->snapshot && m->instr >= 0) {
		struct pub_sub *s = sub_find(p, m->instr, false);
		if (s)
			s->resyncing = false;
	}
	for (unsigned i = 0; i < m->nresync; i++)
		pub_resync(p, m->resync[i]);
	if (m->kind == SWK_DATA && m->channel == SWC_INSTRUMENT && m->snapshot && !p->ready) {
		p->ready = true;
		pub_subscribe_all(p);
	} else if (m->kind == SWK_DATA && m->channel == SWC_STATUS) {
		pub_on_status(p, m);
	} else if (m->kind == SWK_ACK) {
		pub_on_ack(p, m);
	}
}

static void pub_connected(void *ctx, bool reconnect)
{
	struct spot_ws_pub *p = ctx;
	(void)reconnect;
	spot_ws_dec_reset(&p->dec);
	p->ready = false;
	/* Every held book is out of date until its new snapshot verifies. */
	for (size_t i = 0; i < p->nsubs; i++) {
		struct market *m = state_market(p->st, p->subs[i].instr);
		if (p->subs[i].depth && m->book.valid) {
			m->book.valid = false;
			m->stale = true;
			state_changed(p->st, EV_BOOK, p->subs[i].instr);
		}
	}
	pub_sub_send(p, false, SWC_INSTRUMENT, NULL, 0, 0, 0, true);
}

static void pub_disconnected(void *ctx, int code, const char *reason)
{
	struct spot_ws_pub *p = ctx;
	(void)code;
	(void)reason;
	p->ready = false;
	for (size_t i = 0; i < p->nsubs; i++) {
		struct market *m = state_market(p->st, p->subs[i].instr);
		if (p->subs[i].depth && !m->stale) {
			m->stale = true;
			state_changed(p->st, EV_BOOK, p->subs[i].instr);
		}
	}
}

static void pub_ping(void *ctx)
{
	struct spot_ws_pub *p = ctx;
	spot_ws_build_ping(&p->out, ++p->req_id);
	pub_send(p);
}

static const struct wsconn_ops pub_ops = {
        .on_connected = pub_connected,
        .on_message = pub_message,
        .on_disconnected = pub_disconnected,
        .send_ping = pub_ping,
};

struct spot_ws_pub *spot_ws_pub_new(struct kt_loop *loop, struct state *st, const char *url,
                                    const struct wsconn_policy *policy)
{
	struct spot_ws_pub *p = xcalloc(1, sizeof *p);
	struct wsconn_policy pol = policy ? *policy : wsconn_policy_spot();
	p->st = st;
	spot_ws_dec_init(&p->dec);
	sbuf_init(&p->out);
	p->conn = wsconn_new(loop, st, FEED_SPOT_PUBLIC, url ? url : SPOT_WS_URL_PUBLIC, &pol,
	                     &pub_ops, p, NULL);
	return p;
}

void spot_ws_pub_free(struct spot_ws_pub *p)
{
	if (!p)
		return;
	wsconn_free(p->conn);
	spot_ws_dec_free(&p->dec);
	sbuf_free(&p->out);
	free(p->subs);
	free(p);
}

void spot_ws_pub_start(struct spot_ws_pub *p)
{
	wsconn_start(p->conn);
}

void spot_ws_pub_stop(struct spot_ws_pub *p)
{
	wsconn_stop(p->conn);
	p->ready = false;
}

static int check_instr(const struct spot_ws_pub *p, int instr, struct kerr *err)
{
	const struct instrument *in = state_instrument(p->st, instr);
	if (!in || in->product != PRODUCT_SPOT)
		return kerr_set(err, SPOT_WS_E_UNKNOWN, "not a Kraken Spot instrument");
	return 0;
}

int spot_ws_pub_book(struct spot_ws_pub *p, int instr, int depth, struct kerr *err)
{
	if (check_instr(p, instr, err))
		return -1;
	if (depth && depth != 10 && depth != 25 && depth != 100 && depth != 500 && depth != 1000)
		return kerr_set(err, SPOT_WS_E_VALUE,
		                "book depth %d is not one of 10, 25, 100, 500, 1000", depth);
	struct pub_sub *s = sub_find(p, instr, true);
	if (s->depth == depth)
		return 0;
	struct market *m = state_market(p->st, instr);
	if (p->ready && s->depth)
		pub_one(p, true, SWC_BOOK, instr, s->depth, 0, false);
	s->depth = depth;
	s->resyncing = false;
	m->book.depth = (size_t)depth;
	m->book.valid = false;
	if (p->ready && depth)
		pub_one(p, false, SWC_BOOK, instr, depth, 0, true);
	return 0;
}

int spot_ws_pub_ticker(struct spot_ws_pub *p, int instr, bool on, struct kerr *err)
{
	if (check_instr(p, instr, err))
		return -1;
	struct pub_sub *s = sub_find(p, instr, true);
	if (s->ticker != on && p->ready)
		pub_one(p, !on, SWC_TICKER, instr, 0, 0, true);
	s->ticker = on;
	return 0;
}

int spot_ws_pub_trades(struct spot_ws_pub *p, int instr, bool on, bool with_history,
                       struct kerr *err)
{
	if (check_instr(p, instr, err))
		return -1;
	struct pub_sub *s = sub_find(p, instr, true);
	if (s->trade != on && p->ready)
		pub_one(p, !on, SWC_TRADE, instr, 0, 0, with_history);
	s->trade = on;
	s->trade_history = with_history;
	return 0;
}

int spot_ws_pub_candles(struct spot_ws_pub *p, int instr, int interval, struct kerr *err)
{
	if (check_instr(p, instr, err))
		return -1;
	static const int ok[] = {0, 1, 5, 15, 30, 60, 240, 1440, 10080, 21600};
	size_t k = 0;
	while (k < sizeof ok / sizeof ok[0] && ok[k] != interval)
		k++;
	if (k == sizeof ok / sizeof ok[0])
		return kerr_set(err, SPOT_WS_E_VALUE, "candle interval %d is not offered by Kraken",
		                interval);
	struct pub_sub *s = sub_find(p, instr, true);
	if (s->interval == interval)
		return 0;
	if (p->ready && s->interval)
		pub_one(p, true, SWC_OHLC, instr, 0, s->interval, false);
	s->interval = interval;
	if (p->ready && interval)
		pub_one(p, false, SWC_OHLC, instr, 0, interval, true);
	return 0;
}

struct wsconn *spot_ws_pub_conn(struct spot_ws_pub *p)
{
	return p->conn;
}

struct spot_ws_stats spot_ws_pub_stats(const struct spot_ws_pub *p)
{
	return p->stats;
}
