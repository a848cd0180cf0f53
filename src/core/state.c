/* state: the store's collections, lookups and event dispatch. */
#include "core/state.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"

void state_init(struct state *st)
{
	memset(st, 0, sizeof *st);
	strmap_init(&st->instr_by_id);
	strmap_init(&st->order_by_id);
	strmap_init(&st->order_by_cl);
}

void state_free(struct state *st)
{
	for (size_t i = 0; i < st->ninstr; i++) {
		if (st->market[i]) {
			book_free(&st->market[i]->book);
			free(st->market[i]);
		}
		free(st->funding[i]);
	}
	free(st->instr);
	free(st->market);
	free(st->funding);
	free(st->orders);
	free(st->pos);
	free(st->bal);
	free(st->listeners);
	strmap_free(&st->instr_by_id);
	strmap_free(&st->order_by_id);
	strmap_free(&st->order_by_cl);
	memset(st, 0, sizeof *st);
}

void state_listen(struct state *st, state_listener fn, void *ctx)
{
	st->listeners = xgrow(st->listeners, &st->cap_listeners, st->nlisteners + 1,
			      sizeof *st->listeners);
	st->listeners[st->nlisteners].fn = fn;
	st->listeners[st->nlisteners].ctx = ctx;
	st->nlisteners++;
}

void state_unlisten(struct state *st, state_listener fn, void *ctx)
{
	for (size_t i = 0; i < st->nlisteners; i++) {
		if (st->listeners[i].fn == fn && st->listeners[i].ctx == ctx) {
			memmove(&st->listeners[i], &st->listeners[i + 1],
				(st->nlisteners - i - 1) * sizeof *st->listeners);
			st->nlisteners--;
			return;
		}
	}
}

void state_emit(struct state *st, const struct state_event *ev)
{
	/* A listener may unlisten itself; iterate over a stable count. */
	for (size_t i = 0; i < st->nlisteners; i++)
		st->listeners[i].fn(st->listeners[i].ctx, ev);
}

void state_changed(struct state *st, enum ev_kind kind, int instr)
{
	struct state_event ev = {.kind = kind, .instr = instr};
	if (instr >= 0 && (size_t)instr < st->ninstr && kind != EV_FEED)
		ev.product = st->instr[instr].product;
	state_emit(st, &ev);
}

void state_notice(struct state *st, enum notice_level level, const char *fmt, ...)
{
	char text[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(text, sizeof text, fmt, ap);
	va_end(ap);
	struct state_event ev = {.kind = EV_NOTICE, .instr = -1, .level = level, .text = text};
	state_emit(st, &ev);
}

void state_set_gateway(struct state *st, const struct gateway_ops *ops, void *gw)
{
	st->gw_ops = ops;
	st->gw = gw;
}

int state_add_instrument(struct state *st, const struct instrument *in)
{
	int idx = strmap_get(&st->instr_by_id, in->id);
	if (idx >= 0 && st->instr[idx].product == in->product) {
		st->instr[idx] = *in;
	} else {
		size_t cap = st->cap_instr;
		st->instr = xgrow(st->instr, &cap, st->ninstr + 1, sizeof *st->instr);
		size_t capm = st->cap_instr;
		st->market = xgrow(st->market, &capm, st->ninstr + 1, sizeof *st->market);
		size_t capf = st->cap_instr;
		st->funding = xgrow(st->funding, &capf, st->ninstr + 1, sizeof *st->funding);
		st->cap_instr = cap;
		idx = (int)st->ninstr++;
		st->instr[idx] = *in;
		st->market[idx] = NULL;
		st->funding[idx] = NULL;
		strmap_put(&st->instr_by_id, in->id, idx);
	}
	if (in->rest_id[0] && strmap_get(&st->instr_by_id, in->rest_id) < 0)
		strmap_put(&st->instr_by_id, in->rest_id, idx);
	if (in->altname[0] && strmap_get(&st->instr_by_id, in->altname) < 0)
		strmap_put(&st->instr_by_id, in->altname, idx);
	return idx;
}

void state_alias_instrument(struct state *st, const char *alias, int idx)
{
	strmap_put(&st->instr_by_id, alias, idx);
}

int state_find_instrument(const struct state *st, const char *id)
{
	return strmap_get(&st->instr_by_id, id);
}

int state_find_instrumentn(const struct state *st, const char *id, size_t len)
{
	return strmap_getn(&st->instr_by_id, id, len);
}

struct market *state_market(struct state *st, int idx)
{
	if (idx < 0 || (size_t)idx >= st->ninstr)
		return NULL;
	if (!st->market[idx]) {
		const struct instrument *in = &st->instr[idx];
		struct market *m = xcalloc(1, sizeof *m);
		book_init(&m->book, in->price_dp, in->qty_dp, 0);
		m->candles.interval_min = 1;
		st->market[idx] = m;
	}
	return st->market[idx];
}

const struct market *state_market_peek(const struct state *st, int idx)
{
	if (idx < 0 || (size_t)idx >= st->ninstr)
		return NULL;
	return st->market[idx];
}

struct funding_history *state_funding(struct state *st, int idx)
{
	if (idx < 0 || (size_t)idx >= st->ninstr)
		return NULL;
	if (!st->funding[idx])
		st->funding[idx] = xcalloc(1, sizeof *st->funding[idx]);
	return st->funding[idx];
}

/* ---- orders ---- */

struct order *state_order_get(struct state *st, const char *id)
{
	int i = strmap_get(&st->order_by_id, id);
	return i >= 0 ? &st->orders[i] : NULL;
}

struct order *state_order_by_cl(struct state *st, const char *cl_id)
{
	if (!cl_id[0])
		return NULL;
	int i = strmap_get(&st->order_by_cl, cl_id);
	return i >= 0 ? &st->orders[i] : NULL;
}

struct order *state_order_upsert(struct state *st, const char *id)
{
	struct order *o = state_order_get(st, id);
	if (o)
		return o;
	st->orders = xgrow(st->orders, &st->cap_orders, st->norders + 1, sizeof *st->orders);
	o = &st->orders[st->norders];
	memset(o, 0, sizeof *o);
	o->instr = -1;
	snprintf(o->id, sizeof o->id, "%s", id);
	strmap_put(&st->order_by_id, o->id, (int)st->norders);
	st->norders++;
	return o;
}

void state_order_changed(struct state *st, struct order *o)
{
	if (o->cl_id[0])
		strmap_put(&st->order_by_cl, o->cl_id, (int)(o - st->orders));
	struct state_event ev = {.kind = EV_ORDERS, .instr = o->instr, .ptr = o};
	if (o->instr >= 0 && (size_t)o->instr < st->ninstr)
		ev.product = st->instr[o->instr].product;
	state_emit(st, &ev);
}

static int remap_index(void *arg, int v)
{
	const int *newpos = arg;
	return newpos[v];
}

void state_orders_prune(struct state *st, size_t keep)
{
	size_t closed = 0;
	for (size_t i = 0; i < st->norders; i++)
		if (!order_status_is_open(st->orders[i].status))
			closed++;
	if (closed <= keep)
		return;
	size_t drop = closed - keep; /* the oldest closed ones go */
	int *newpos = xmalloc(st->norders * sizeof *newpos);
	size_t w = 0;
	for (size_t i = 0; i < st->norders; i++) {
		if (drop && !order_status_is_open(st->orders[i].status)) {
			drop--;
			newpos[i] = -1;
			continue;
		}
		newpos[i] = (int)w;
		if (w != i)
			st->orders[w] = st->orders[i];
		w++;
	}
	st->norders = w;
	strmap_remap(&st->order_by_id, remap_index, newpos);
	strmap_remap(&st->order_by_cl, remap_index, newpos);
	free(newpos);
}

dec_t state_open_qty_at(const struct state *st, int instr, enum side side, dec_t price)
{
	dec_t sum = dec_zero();
	for (size_t i = 0; i < st->norders; i++) {
		const struct order *o = &st->orders[i];
		if (o->instr != instr || o->side != side || !order_status_is_open(o->status) ||
		    o->status == OS_UNTRIGGERED || !order_type_has_limit(o->type) ||
		    !dec_eq(o->limit_price, price))
			continue;
		dec_t left;
		if (dec_sub(o->qty, o->filled, &left) == 0)
			dec_add(sum, left, &sum);
	}
	return sum;
}

/* ---- fills and account log ---- */

void state_add_fill(struct state *st, const struct fill *f)
{
	for (unsigned i = 0; i < st->nfills; i++)
		if (strcmp(state_fill_at(st, i)->id, f->id) == 0)
			return;
	st->fills[st->fills_head] = *f;
	const struct fill *stored = &st->fills[st->fills_head];
	st->fills_head = (st->fills_head + 1) % FILLS_KEEP;
	if (st->nfills < FILLS_KEEP)
		st->nfills++;
	struct state_event ev = {.kind = EV_FILL, .instr = f->instr, .product = f->product,
				 .ptr = stored};
	state_emit(st, &ev);
}

const struct fill *state_fill_at(const struct state *st, unsigned i)
{
	if (i >= st->nfills)
		return NULL;
	return &st->fills[(st->fills_head + FILLS_KEEP - 1 - i) % FILLS_KEEP];
}

void state_add_account_log(struct state *st, const struct account_log_entry *e)
{
	for (unsigned i = 0; i < st->nalog; i++)
		if (state_account_log_at(st, i)->id == e->id)
			return;
	st->alog[st->alog_head] = *e;
	const struct account_log_entry *stored = &st->alog[st->alog_head];
	st->alog_head = (st->alog_head + 1) % ACCOUNT_LOG_KEEP;
	if (st->nalog < ACCOUNT_LOG_KEEP)
		st->nalog++;
	struct state_event ev = {.kind = EV_ACCOUNT_LOG, .instr = -1, .product = PRODUCT_FUTURES,
				 .ptr = stored};
	state_emit(st, &ev);
}

const struct account_log_entry *state_account_log_at(const struct state *st, unsigned i)
{
	if (i >= st->nalog)
		return NULL;
	return &st->alog[(st->alog_head + ACCOUNT_LOG_KEEP - 1 - i) % ACCOUNT_LOG_KEEP];
}

/* ---- positions and wallets ---- */

void state_set_positions(struct state *st, enum product p, const struct position *pos, size_t n)
{
	size_t w = 0;
	for (size_t i = 0; i < st->npos; i++)
		if (st->pos[i].product != p)
			st->pos[w++] = st->pos[i];
	st->npos = w;
	st->pos = xgrow(st->pos, &st->cap_pos, st->npos + n, sizeof *st->pos);
	for (size_t i = 0; i < n; i++)
		if (!dec_is_zero(pos[i].size))
			st->pos[st->npos++] = pos[i];
	struct state_event ev = {.kind = EV_POSITIONS, .instr = -1, .product = p};
	state_emit(st, &ev);
}

const struct position *state_position(const struct state *st, int instr)
{
	for (size_t i = 0; i < st->npos; i++)
		if (st->pos[i].instr == instr)
			return &st->pos[i];
	return NULL;
}

void state_set_balances(struct state *st, const struct balance *b, size_t n)
{
	st->bal = xgrow(st->bal, &st->cap_bal, n, sizeof *st->bal);
	if (n) /* b may be NULL for an empty wallet: memcpy(_, NULL, 0) is undefined */
		memcpy(st->bal, b, n * sizeof *b);
	st->nbal = n;
	state_changed(st, EV_BALANCES, -1);
}

void state_put_balance(struct state *st, const struct balance *b)
{
	for (size_t i = 0; i < st->nbal; i++) {
		if (strcmp(st->bal[i].asset, b->asset) == 0) {
			st->bal[i] = *b;
			state_changed(st, EV_BALANCES, -1);
			return;
		}
	}
	st->bal = xgrow(st->bal, &st->cap_bal, st->nbal + 1, sizeof *st->bal);
	st->bal[st->nbal++] = *b;
	state_changed(st, EV_BALANCES, -1);
}

const struct balance *state_balance(const struct state *st, const char *asset)
{
	for (size_t i = 0; i < st->nbal; i++)
		if (strcmp(st->bal[i].asset, asset) == 0)
			return &st->bal[i];
	return NULL;
}

void state_set_futures_account(struct state *st, const struct futures_account *fa)
{
	st->fut = *fa;
	st->fut.valid = true;
	state_changed(st, EV_FUTURES_ACCOUNT, -1);
}

/* ---- feeds ---- */

void state_feed_set(struct state *st, enum feed_id f, enum feed_state s, const char *error)
{
	struct feed_status *fs = &st->feeds[f];
	if (fs->state == s && !error)
		return;
	if (s == FEED_CONNECTING && fs->state == FEED_BACKOFF)
		fs->reconnects++;
	fs->state = s;
	if (error)
		snprintf(fs->last_error, sizeof fs->last_error, "%s", error);
	else if (s == FEED_UP)
		fs->last_error[0] = '\0';
	struct state_event ev = {.kind = EV_FEED, .instr = (int)f};
	state_emit(st, &ev);
}

void state_feed_msg(struct state *st, enum feed_id f, int64_t mono_ms)
{
	st->feeds[f].last_msg_mono_ms = mono_ms;
	st->feeds[f].messages++;
}

const struct feed_channel *state_feed_channel(const struct state *st, enum feed_id f,
					      const char *channel)
{
	const struct feed_status *fs = &st->feeds[f];
	for (unsigned i = 0; i < fs->nchannels; i++)
		if (strcmp(fs->channels[i].name, channel) == 0)
			return &fs->channels[i];
	return NULL;
}

void state_feed_channel_msg(struct state *st, enum feed_id f, const char *channel)
{
	struct feed_status *fs = &st->feeds[f];
	if (!channel || !*channel)
		return;
	struct feed_channel *c = NULL;
	for (unsigned i = 0; i < fs->nchannels && !c; i++)
		if (strcmp(fs->channels[i].name, channel) == 0)
			c = &fs->channels[i];
	if (!c) {
		if (fs->nchannels == FEED_CHANNELS_MAX)
			return;
		c = &fs->channels[fs->nchannels++];
		snprintf(c->name, sizeof c->name, "%s", channel);
	}
	c->last_msg_mono_ms = fs->last_msg_mono_ms;
	c->messages++;
}
