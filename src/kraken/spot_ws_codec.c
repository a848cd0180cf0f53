/* spot_ws_codec: Spot WS v2 envelope dispatch and the public market-data
 * channels (book, ticker, trade, ohlc, instrument, status, heartbeat). */
#include "kraken/spot_ws_codec.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "base/ktime.h"
#include "base/log.h"
#include "base/strutil.h"
#include "base/xalloc.h"
#include "core/state.h"

static const char *const channel_names[SWC_COUNT] = {
        [SWC_NONE] = "",
        [SWC_BOOK] = "book",
        [SWC_TICKER] = "ticker",
        [SWC_TRADE] = "trade",
        [SWC_OHLC] = "ohlc",
        [SWC_INSTRUMENT] = "instrument",
        [SWC_EXECUTIONS] = "executions",
        [SWC_BALANCES] = "balances",
        [SWC_STATUS] = "status",
        [SWC_HEARTBEAT] = "heartbeat",
};

static const char *const method_names[SWM_COUNT] = {
        [SWM_NONE] = "",
        [SWM_SUBSCRIBE] = "subscribe",
        [SWM_UNSUBSCRIBE] = "unsubscribe",
        [SWM_PING] = "pong",
        [SWM_ADD_ORDER] = "add_order",
        [SWM_AMEND_ORDER] = "amend_order",
        [SWM_EDIT_ORDER] = "edit_order",
        [SWM_CANCEL_ORDER] = "cancel_order",
        [SWM_CANCEL_ALL] = "cancel_all",
        [SWM_CANCEL_AFTER] = "cancel_all_orders_after",
        [SWM_BATCH_ADD] = "batch_add",
        [SWM_BATCH_CANCEL] = "batch_cancel",
};

static const char *const order_type_names[OT_COUNT] = {
        [OT_MARKET] = "market",
        [OT_LIMIT] = "limit",
        [OT_ICEBERG] = "iceberg",
        [OT_STOP] = "stop-loss",
        [OT_STOP_LIMIT] = "stop-loss-limit",
        [OT_TAKE_PROFIT] = "take-profit",
        [OT_TAKE_PROFIT_LIMIT] = "take-profit-limit",
        [OT_TRAILING_STOP] = "trailing-stop",
        [OT_TRAILING_STOP_LIMIT] = "trailing-stop-limit",
        [OT_SETTLE_POSITION] = "settle-position",
};

const char *spot_ws_channel_name(enum spot_ws_channel c)
{
	return c < SWC_COUNT ? channel_names[c] : "";
}

const char *spot_ws_method_name(enum spot_ws_method m)
{
	return m < SWM_COUNT ? method_names[m] : "";
}

static bool span_eq(const char *s, size_t n, const char *lit)
{
	return strlen(lit) == n && memcmp(s, lit, n) == 0;
}

enum spot_ws_channel spot_ws_channel_parse(const char *s, size_t n)
{
	for (int i = 1; i < SWC_COUNT; i++)
		if (span_eq(s, n, channel_names[i]))
			return (enum spot_ws_channel)i;
	return SWC_NONE;
}

enum spot_ws_method spot_ws_method_parse(const char *s, size_t n)
{
	if (span_eq(s, n, "ping"))
		return SWM_PING;
	for (int i = 1; i < SWM_COUNT; i++)
		if (span_eq(s, n, method_names[i]))
			return (enum spot_ws_method)i;
	return SWM_NONE;
}

const char *spot_ws_order_type_name(enum order_type t)
{
	return t < OT_COUNT ? order_type_names[t] : NULL;
}

int spot_ws_order_type_parse(const char *s, size_t n, enum order_type *out)
{
	for (int i = 0; i < OT_COUNT; i++) {
		if (span_eq(s, n, order_type_names[i])) {
			*out = (enum order_type)i;
			return 0;
		}
	}
	return -1;
}

void spot_ws_dec_init(struct spot_ws_dec *d)
{
	memset(d, 0, sizeof *d);
	jdoc_init(&d->doc);
}

void spot_ws_dec_free(struct spot_ws_dec *d)
{
	jdoc_free(&d->doc);
	free(d->lv);
	memset(d, 0, sizeof *d);
}

void spot_ws_dec_reset(struct spot_ws_dec *d)
{
	memset(d->seq, 0, sizeof d->seq);
}

/* ---- token helpers shared by the codec files ---- */

int64_t spot_ws_tok_ms(const struct jdoc *d, int tok)
{
	size_t n;
	const char *s = jtok_type(d, tok) == J_STR ? jtok_raw(d, tok, &n) : NULL;
	int64_t ns;
	if (!s || ktime_parse_rfc3339(s, n, &ns, NULL) != 0)
		return 0;
	return ns / 1000000;
}

int spot_ws_tok_dec(const struct jdoc *d, int tok, dec_t *out)
{
	enum jtype t = jtok_type(d, tok);
	if (t != J_NUM && t != J_STR)
		return -1;
	return jtok_dec(d, tok, out, NULL);
}

bool spot_ws_tok_str(const struct jdoc *d, int tok, char *buf, size_t cap)
{
	if (jtok_type(d, tok) != J_STR) {
		if (cap)
			buf[0] = '\0';
		return false;
	}
	jtok_str(d, tok, buf, cap);
	return true;
}

int spot_ws_tok_instr(const struct jdoc *d, struct state *st, int tok)
{
	if (jtok_type(d, tok) != J_STR)
		return -1;
	size_t n;
	const char *s = jtok_raw(d, tok, &n);
	if (d->t[tok].size == 0) /* no escapes: look the raw text up directly */
		return state_find_instrumentn(st, s, n);
	char buf[INSTR_ID_MAX];
	if (jtok_str(d, tok, buf, sizeof buf) >= sizeof buf)
		return -1;
	return state_find_instrument(st, buf);
}

/* Keep the book's integer scales equal to the instrument's precisions, as
 * the checksum needs; a change of scale throws the levels away. */
static bool book_fit(struct market *m, const struct instrument *in)
{
	if (m->book.pscale == in->price_dp && m->book.qscale == in->qty_dp)
		return false;
	size_t depth = m->book.depth;
	book_free(&m->book);
	book_init(&m->book, in->price_dp, in->qty_dp, depth);
	return true;
}

static void add_resync(struct spot_ws_msg *out, int idx)
{
	for (unsigned i = 0; i < out->nresync; i++)
		if (out->resync[i] == idx)
			return;
	if (out->nresync < SPOT_WS_RESYNC_MAX)
		out->resync[out->nresync++] = idx;
}

/* The book's stream has a hole or lies: stop trusting it until a snapshot. */
static void book_stale(struct state *st, int idx, struct market *m, struct spot_ws_msg *out)
{
	m->book.valid = false;
	m->stale = true;
	add_resync(out, idx);
	state_changed(st, EV_BOOK, idx);
}

/* ---- book ---- */

/* Parse one side's levels into the scratch array (appending). */
static int parse_levels(struct spot_ws_dec *d, int arr, enum side side, const struct book *b,
                        size_t *n, struct kerr *err)
{
	const struct jdoc *doc = &d->doc;
	if (arr < 0)
		return 0;
	if (jtok_type(doc, arr) != J_ARR)
		return kerr_set(err, SPOT_WS_E_JSON, "book %s is not an array",
		                side == SIDE_BUY ? "bids" : "asks");
	for (int k = jfirst(doc, arr); k >= 0; k = jnext(doc, arr, k)) {
		dec_t px, qty;
		if (spot_ws_tok_dec(doc, jobj_get(doc, k, "price"), &px) ||
		    spot_ws_tok_dec(doc, jobj_get(doc, k, "qty"), &qty))
			return kerr_set(err, SPOT_WS_E_JSON,
			                "book level without a numeric price and qty");
		if (*n == d->cap_lv)
			d->lv = xgrow(d->lv, &d->cap_lv, *n + 1, sizeof *d->lv);
		struct spot_ws_lvl *l = &d->lv[*n];
		if (book_px_from_dec(b, px, &l->px) || book_qty_from_dec(b, qty, &l->qty))
			return kerr_set(
			        err, SPOT_WS_E_PRECISION,
			        "book level has more decimals than the pair's precision (%u/%u)",
			        b->pscale, b->qscale);
		if (l->px <= 0 || l->qty < 0)
			return kerr_set(err, SPOT_WS_E_VALUE, "book level with a negative value");
		l->side = (uint8_t)side;
		(*n)++;
	}
	return 0;
}

int spot_ws_decode_book(struct spot_ws_dec *d, struct state *st, int item, bool snapshot,
                        struct spot_ws_msg *out, struct kerr *err)
{
	const struct jdoc *doc = &d->doc;
	int stok = jobj_get(doc, item, "symbol");
	spot_ws_tok_str(doc, stok, out->symbol, sizeof out->symbol);
	int idx = spot_ws_tok_instr(doc, st, stok);
	if (idx < 0)
		return kerr_set(err, SPOT_WS_E_UNKNOWN, "book data for unknown pair \"%s\"",
		                out->symbol);
	out->instr = idx;
	struct market *m = state_market(st, idx);
	if (book_fit(m, &st->instr[idx]) && !snapshot) {
		book_stale(st, idx, m, out);
		return kerr_set(err, SPOT_WS_E_VALUE, "%s: precision changed; resyncing the book",
		                out->symbol);
	}
	if (!snapshot && !m->book.valid) {
		out->ignored = true; /* waiting for the snapshot that follows a resync */
		return 0;
	}
	size_t n = 0;
	if (parse_levels(d, jobj_get(doc, item, "asks"), SIDE_SELL, &m->book, &n, err) ||
	    parse_levels(d, jobj_get(doc, item, "bids"), SIDE_BUY, &m->book, &n, err)) {
		book_stale(st, idx, m, out);
		return -1;
	}
	uint64_t want = 0;
	int ctok = jobj_get(doc, item, "checksum");
	bool has_ck = ctok >= 0;
	if (has_ck && jtok_u64(doc, ctok, &want) != 0) {
		book_stale(st, idx, m, out);
		return kerr_set(err, SPOT_WS_E_JSON, "%s: book checksum is not a number",
		                out->symbol);
	}
	if (snapshot) {
		book_clear(&m->book);
		if (!m->book.depth)
			m->book.depth = 10; /* Kraken's default depth */
	}
	for (size_t i = 0; i < n; i++)
		book_set(&m->book, (enum side)d->lv[i].side, d->lv[i].px, d->lv[i].qty);
	book_truncate(&m->book);
	d->book_msgs++;
	m->book_updated_ms = spot_ws_tok_ms(doc, jobj_get(doc, item, "timestamp"));
	if (has_ck && book_checksum(&m->book) != (uint32_t)want) {
		m->checksum_failures++;
		LOGW("%s: book checksum mismatch (got %u, Kraken says %llu); resyncing",
		     out->symbol, book_checksum(&m->book), (unsigned long long)want);
		book_stale(st, idx, m, out);
		return 0;
	}
	m->book.valid = true;
	if (snapshot)
		m->stale = false;
	state_changed(st, EV_BOOK, idx);
	return 0;
}

/* ---- ticker ---- */

struct tk_field {
	const char *key;
	size_t off;
	unsigned bit;
};

#define TKF(k, f, b)                                                                               \
	{                                                                                          \
		k, offsetof(struct ticker, f), b                                                   \
	}
static const struct tk_field tk_fields[] = {
        TKF("bid", bid, TK_BBO),
        TKF("bid_qty", bid_qty, TK_BBO),
        TKF("ask", ask, TK_BBO),
        TKF("ask_qty", ask_qty, TK_BBO),
        TKF("last", last, TK_LAST),
        TKF("volume", volume, TK_VOLUME),
        TKF("low", low, TK_HIGHLOW),
        TKF("high", high, TK_HIGHLOW),
        TKF("change_pct", change_pct, TK_CHANGE),
};

static int parse_ticker(const struct jdoc *doc, struct state *st, int item, int *idx,
                        struct ticker *t, struct kerr *err)
{
	*idx = spot_ws_tok_instr(doc, st, jobj_get(doc, item, "symbol"));
	if (*idx < 0)
		return kerr_set(err, SPOT_WS_E_UNKNOWN, "ticker for an unknown pair");
	const struct market *m = state_market_peek(st, *idx);
	*t = m ? m->ticker : (struct ticker){0};
	for (size_t i = 0; i < sizeof tk_fields / sizeof tk_fields[0]; i++) {
		int tok = jobj_get(doc, item, tk_fields[i].key);
		if (tok < 0)
			continue;
		if (spot_ws_tok_dec(doc, tok, (dec_t *)((char *)t + tk_fields[i].off)))
			return kerr_set(err, SPOT_WS_E_JSON, "ticker field %s is not a number",
			                tk_fields[i].key);
		t->has |= tk_fields[i].bit;
	}
	dec_t change;
	if (spot_ws_tok_dec(doc, jobj_get(doc, item, "change"), &change) == 0 &&
	    (t->has & TK_LAST) && dec_sub(t->last, change, &t->open24h) == 0)
		t->has |= TK_CHANGE;
	int64_t ms = spot_ws_tok_ms(doc, jobj_get(doc, item, "timestamp"));
	if (ms)
		t->updated_ms = ms;
	return 0;
}

static int decode_ticker(const struct jdoc *doc, struct state *st, int data,
                         struct spot_ws_msg *out, struct kerr *err)
{
	struct ticker t;
	int idx;
	for (int k = jfirst(doc, data); k >= 0; k = jnext(doc, data, k))
		if (parse_ticker(doc, st, k, &idx, &t, err))
			return -1;
	for (int k = jfirst(doc, data); k >= 0; k = jnext(doc, data, k)) {
		parse_ticker(doc, st, k, &idx, &t, NULL);
		state_market(st, idx)->ticker = t;
		out->instr = idx;
		state_changed(st, EV_TICKER, idx);
	}
	return 0;
}

/* ---- trade ---- */

static int parse_trade(const struct jdoc *doc, struct state *st, int item, int *idx,
                       struct trade *t, struct kerr *err)
{
	*idx = spot_ws_tok_instr(doc, st, jobj_get(doc, item, "symbol"));
	if (*idx < 0)
		return kerr_set(err, SPOT_WS_E_UNKNOWN, "trade for an unknown pair");
	memset(t, 0, sizeof *t);
	int stok = jobj_get(doc, item, "side");
	if (spot_ws_tok_dec(doc, jobj_get(doc, item, "price"), &t->price) ||
	    spot_ws_tok_dec(doc, jobj_get(doc, item, "qty"), &t->qty) ||
	    !(jstr_eq(doc, stok, "buy") || jstr_eq(doc, stok, "sell")))
		return kerr_set(err, SPOT_WS_E_JSON, "trade without price, qty and side");
	t->side = jstr_eq(doc, stok, "buy") ? SIDE_BUY : SIDE_SELL;
	t->time_ms = spot_ws_tok_ms(doc, jobj_get(doc, item, "timestamp"));
	return 0;
}

static int decode_trades(const struct jdoc *doc, struct state *st, int data,
                         struct spot_ws_msg *out, struct kerr *err)
{
	struct trade t;
	int idx, last = -1;
	for (int k = jfirst(doc, data); k >= 0; k = jnext(doc, data, k))
		if (parse_trade(doc, st, k, &idx, &t, err))
			return -1;
	for (int k = jfirst(doc, data); k >= 0; k = jnext(doc, data, k)) {
		parse_trade(doc, st, k, &idx, &t, NULL);
		trade_ring_push(&state_market(st, idx)->trades, &t);
		if (last >= 0 && last != idx)
			state_changed(st, EV_TRADES, last);
		last = idx;
	}
	if (last >= 0) {
		out->instr = last;
		state_changed(st, EV_TRADES, last);
	}
	return 0;
}

/* ---- ohlc ---- */

static int parse_candle(const struct jdoc *doc, struct state *st, int item, int *idx,
                        int64_t *interval, struct candle *c, struct kerr *err)
{
	*idx = spot_ws_tok_instr(doc, st, jobj_get(doc, item, "symbol"));
	if (*idx < 0)
		return kerr_set(err, SPOT_WS_E_UNKNOWN, "candle for an unknown pair");
	memset(c, 0, sizeof *c);
	if (spot_ws_tok_dec(doc, jobj_get(doc, item, "open"), &c->open) ||
	    spot_ws_tok_dec(doc, jobj_get(doc, item, "high"), &c->high) ||
	    spot_ws_tok_dec(doc, jobj_get(doc, item, "low"), &c->low) ||
	    spot_ws_tok_dec(doc, jobj_get(doc, item, "close"), &c->close) ||
	    spot_ws_tok_dec(doc, jobj_get(doc, item, "volume"), &c->volume) ||
	    jtok_i64(doc, jobj_get(doc, item, "interval"), interval) || *interval <= 0)
		return kerr_set(err, SPOT_WS_E_JSON,
		                "candle without open/high/low/close/volume/interval");
	c->start_ms = spot_ws_tok_ms(doc, jobj_get(doc, item, "interval_begin"));
	if (!c->start_ms)
		c->start_ms = spot_ws_tok_ms(doc, jobj_get(doc, item, "timestamp"));
	if (!c->start_ms)
		return kerr_set(err, SPOT_WS_E_JSON, "candle without interval_begin");
	return 0;
}

static int decode_ohlc(const struct jdoc *doc, struct state *st, int data, struct spot_ws_msg *out,
                       struct kerr *err)
{
	struct candle c;
	int idx;
	int64_t iv;
	for (int k = jfirst(doc, data); k >= 0; k = jnext(doc, data, k))
		if (parse_candle(doc, st, k, &idx, &iv, &c, err))
			return -1;
	for (int k = jfirst(doc, data); k >= 0; k = jnext(doc, data, k)) {
		parse_candle(doc, st, k, &idx, &iv, &c, NULL);
		struct candle_series *s = &state_market(st, idx)->candles;
		if (s->interval_min != iv) { /* a new interval: the old series is meaningless */
			s->interval_min = (int)iv;
			s->n = 0;
		}
		candle_series_put(s, &c);
		out->instr = idx;
		state_changed(st, EV_CANDLES, idx);
	}
	return 0;
}

/* ---- instrument ---- */

static int small_int(const struct jdoc *doc, int tok, int lo, int hi, int *out)
{
	int64_t v;
	if (jtok_i64(doc, tok, &v) || v < lo || v > hi)
		return -1;
	*out = (int)v;
	return 0;
}

/* One pair of the instrument channel, merged over what the state knows. */
static int parse_pair(const struct jdoc *doc, struct state *st, int item, struct instrument *in,
                      struct kerr *err)
{
	char sym[INSTR_ID_MAX];
	if (!spot_ws_tok_str(doc, jobj_get(doc, item, "symbol"), sym, sizeof sym) || !sym[0])
		return kerr_set(err, SPOT_WS_E_JSON, "instrument pair without a symbol");
	int idx = state_find_instrument(st, sym);
	if (idx >= 0 && st->instr[idx].product == PRODUCT_SPOT) {
		*in = st->instr[idx];
	} else {
		memset(in, 0, sizeof *in);
		kt_strlcpy(in->id, sym, sizeof in->id);
		in->product = PRODUCT_SPOT;
		in->kind = IK_SPOT;
	}
	int pp, qp, cp;
	if (small_int(doc, jobj_get(doc, item, "price_precision"), 0, DEC_MAX_SCALE, &pp) ||
	    small_int(doc, jobj_get(doc, item, "qty_precision"), 0, DEC_MAX_SCALE, &qp))
		return kerr_set(err, SPOT_WS_E_JSON, "%s: missing or impossible precisions", sym);
	in->price_dp = (uint8_t)pp;
	in->qty_dp = (uint8_t)qp;
	if (small_int(doc, jobj_get(doc, item, "cost_precision"), 0, DEC_MAX_SCALE, &cp) == 0)
		in->cost_dp = (uint8_t)cp;
	spot_ws_tok_str(doc, jobj_get(doc, item, "base"), in->base, sizeof in->base);
	spot_ws_tok_str(doc, jobj_get(doc, item, "quote"), in->quote, sizeof in->quote);
	dec_t v;
	if (spot_ws_tok_dec(doc, jobj_get(doc, item, "price_increment"), &v) == 0)
		in->tick = v;
	if (spot_ws_tok_dec(doc, jobj_get(doc, item, "qty_increment"), &v) == 0)
		in->lot = v;
	if (spot_ws_tok_dec(doc, jobj_get(doc, item, "qty_min"), &v) == 0)
		in->min_size = v;
	if (spot_ws_tok_dec(doc, jobj_get(doc, item, "cost_min"), &v) == 0)
		in->min_cost = v;
	int stat = jobj_get(doc, item, "status");
	if (stat >= 0) {
		in->post_only = jstr_eq(doc, stat, "post_only");
		in->tradeable = jstr_eq(doc, stat, "online") || in->post_only ||
		                jstr_eq(doc, stat, "limit_only") ||
		                jstr_eq(doc, stat, "reduce_only");
	}
	return 0;
}

static int decode_instrument(const struct jdoc *doc, struct state *st, int data,
                             struct spot_ws_msg *out, struct kerr *err)
{
	int pairs = jobj_get(doc, data, "pairs");
	if (jtok_type(doc, data) != J_OBJ || (pairs >= 0 && jtok_type(doc, pairs) != J_ARR))
		return kerr_set(err, SPOT_WS_E_JSON, "instrument data is not {assets, pairs}");
	struct instrument in;
	for (int k = jfirst(doc, pairs); k >= 0; k = jnext(doc, pairs, k))
		if (parse_pair(doc, st, k, &in, err))
			return -1;
	for (int k = jfirst(doc, pairs); k >= 0; k = jnext(doc, pairs, k)) {
		parse_pair(doc, st, k, &in, NULL);
		int idx = state_add_instrument(st, &in);
		struct market *m = st->market[idx];
		if (m && book_fit(m, &st->instr[idx]) && m->book_subscribed) {
			m->stale = true;
			add_resync(out, idx);
			state_changed(st, EV_BOOK, idx);
		}
	}
	state_changed(st, EV_INSTRUMENTS, -1);
	return 0;
}

/* ---- status ---- */

static int decode_status(const struct jdoc *doc, int data, struct spot_ws_msg *out,
                         struct kerr *err)
{
	int item = jarr_at(doc, data, 0);
	if (!spot_ws_tok_str(doc, jobj_get(doc, item, "system"), out->system, sizeof out->system))
		return kerr_set(err, SPOT_WS_E_JSON, "status without a system state");
	jtok_u64(doc, jobj_get(doc, item, "connection_id"), &out->connection_id);
	return 0;
}

/* ---- envelope ---- */

static void msg_reset(struct spot_ws_msg *o)
{
	o->kind = SWK_NONE;
	o->channel = SWC_NONE;
	o->method = SWM_NONE;
	o->snapshot = o->has_req_id = o->success = o->ignored = o->seq_gap = false;
	o->req_id = 0;
	o->error[0] = o->symbol[0] = o->system[0] = o->warning[0] = '\0';
	o->order_id[0] = o->cl_ord_id[0] = o->amend_id[0] = o->original_order_id[0] = '\0';
	o->instr = -1;
	o->nresync = o->nbatch = o->orders_changed = o->fills_added = 0;
	o->connection_id = 0;
	o->depth = o->maxratecount = o->count = 0;
	o->sequence = o->current_ms = o->trigger_ms = 0;
}

static int decode_data(struct spot_ws_dec *d, struct state *st, int root, struct spot_ws_msg *out,
                       struct kerr *err)
{
	const struct jdoc *doc = &d->doc;
	int data = jobj_get(doc, root, "data");
	out->kind = SWK_DATA;
	out->snapshot = jstr_eq(doc, jobj_get(doc, root, "type"), "snapshot");
	switch (out->channel) {
	case SWC_HEARTBEAT:
	case SWC_NONE:
		return 0;
	case SWC_STATUS:
		return decode_status(doc, data, out, err);
	case SWC_INSTRUMENT:
		return decode_instrument(doc, st, data, out, err);
	case SWC_EXECUTIONS:
	case SWC_BALANCES:
		return spot_ws_decode_private(d, st, root, out, err);
	default:
		break;
	}
	if (jtok_type(doc, data) != J_ARR)
		return kerr_set(err, SPOT_WS_E_JSON, "%s message without a data array",
		                spot_ws_channel_name(out->channel));
	switch (out->channel) {
	case SWC_BOOK: {
		int rc = 0;
		for (int k = jfirst(doc, data); k >= 0; k = jnext(doc, data, k))
			if (spot_ws_decode_book(d, st, k, out->snapshot, out, err))
				rc = -1;
		return rc;
	}
	case SWC_TICKER:
		return decode_ticker(doc, st, data, out, err);
	case SWC_TRADE:
		return decode_trades(doc, st, data, out, err);
	case SWC_OHLC:
		return decode_ohlc(doc, st, data, out, err);
	default:
		return 0;
	}
}

int spot_ws_decode(struct spot_ws_dec *d, struct state *st, const char *msg, size_t len,
                   struct spot_ws_msg *out, struct kerr *err)
{
	msg_reset(out);
	d->msgs++;
	if (jdoc_parse(&d->doc, msg, len, err))
		return -1;
	const struct jdoc *doc = &d->doc;
	if (jtok_type(doc, 0) != J_OBJ)
		return kerr_set(err, SPOT_WS_E_JSON, "message is not a JSON object");
	int ch = jobj_get(doc, 0, "channel");
	if (ch >= 0) {
		size_t n;
		const char *s = jtok_raw(doc, ch, &n);
		if (jtok_type(doc, ch) != J_STR)
			return kerr_set(err, SPOT_WS_E_JSON, "channel is not a string");
		out->channel = spot_ws_channel_parse(s, n);
		return decode_data(d, st, 0, out, err);
	}
	if (jobj_get(doc, 0, "method") >= 0)
		return spot_ws_decode_response(d, st, 0, out, err);
	return kerr_set(err, SPOT_WS_E_JSON, "message has neither a channel nor a method");
}
