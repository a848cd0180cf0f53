/* fut_ws_srv_feed: px events to Futures WS subscribers — book deltas with a
 * per-product seq, trades, order / fill / account-log deltas of the account,
 * coalesced position and balance updates — and the 1 s timer that publishes
 * tickers and heartbeats. */
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "base/xalloc.h"
#include "paper/fut_ws_srv_int.h"

static bool futures_instr(const struct px_instr *in)
{
	return in && in->product == PX_FUTURES && in->id < FWSS_NINSTR;
}

static void book_event(struct fut_ws_srv *s, const struct px_event *ev)
{
	const struct px_instr *in = ev->instr;
	if (!futures_instr(in))
		return;
	/* every change advances the product's seq, watched or not */
	s->book_seq[in->id]++;
	if (!s->book_subs[in->id])
		return;
	sbuf_reset(&s->out);
	fwss_render_book_delta(s, in, ev->book.side, ev->book.price, ev->book.qty,
	                       ev->ts_ns / 1000000);
	for (size_t i = 0; i < s->ncli; i++)
		if (s->cli[i]->pub[in->id] & FWSS_BOOK)
			fwss_send_keep(s, s->cli[i]);
	sbuf_reset(&s->out);
}

static void trade_event(struct fut_ws_srv *s, const struct px_event *ev)
{
	const struct px_instr *in = ev->instr;
	if (!futures_instr(in) || !s->trade_subs[in->id])
		return;
	sbuf_reset(&s->out);
	struct jw w;
	jw_init(&w, &s->out);
	fwss_render_trade(&w, ev->trade, in, true);
	for (size_t i = 0; i < s->ncli; i++)
		if (s->cli[i]->pub[in->id] & FWSS_TRADE)
			fwss_send_keep(s, s->cli[i]);
	sbuf_reset(&s->out);
}

/* Kraken's open_orders "reason" for an order that left the book. *full: the
 * delta carries the whole order (rejections); *verbose_only: only
 * open_orders_verbose reports it (post-only orders that would have crossed). */
static const char *close_reason(int reason, bool *full, bool *verbose_only)
{
	*full = false;
	*verbose_only = false;
	switch (reason) {
	case ENGINE_R_FILLED:
		return "full_fill";
	case ENGINE_R_DEAD_MAN:
		return "dead_man_switch";
	case ENGINE_R_POST_ONLY:
		*full = *verbose_only = true;
		return "post_order_failed_because_it_would_filled";
	case ENGINE_R_IOC_REMAINDER:
	case ENGINE_R_FOK_UNFILLED:
	case ENGINE_R_NO_LIQUIDITY:
	case ENGINE_R_PRICE_PROTECTION:
		*full = true;
		return "ioc_order_failed_because_it_would_not_be_executed";
	case ENGINE_R_SELF_TRADE:
		*full = true;
		return "would_execute_self";
	case ENGINE_R_WOULD_NOT_REDUCE:
		*full = true;
		return "would_not_reduce_position";
	case ENGINE_R_INSUFFICIENT_FUNDS:
	case PX_E_MARGIN:
		*full = true;
		return "not_enough_margin";
	case ENGINE_R_EXPIRED:
	case PX_E_MARKET_CLOSED:
		return "contract_expired";
	default:
		return "cancelled_by_user";
	}
}

static void render_order_delta(struct fut_ws_srv *s, const char *feed, const struct px_order *o,
                               bool cancel, bool full, const char *reason)
{
	struct jw w;
	sbuf_reset(&s->out);
	jw_init(&w, &s->out);
	jw_obj_begin(&w);
	jw_key(&w, "feed");
	jw_str(&w, feed);
	if (!cancel || full) {
		jw_key(&w, "order");
		fwss_render_order(&w, o);
	} else {
		jw_key(&w, "order_id");
		jw_str(&w, o->id);
	}
	jw_key(&w, "is_cancel");
	jw_bool(&w, cancel);
	jw_key(&w, "reason");
	jw_str(&w, reason);
	jw_obj_end(&w);
}

static void order_event(struct fut_ws_srv *s, const struct px_event *ev)
{
	const struct px_order *o = ev->order.order;
	if (!o || !futures_instr(o->instr))
		return;
	bool cancel = false, full = false, verbose_only = false;
	const char *reason;
	switch (ev->order.exec) {
	case PX_EXEC_NEW:
		reason = "new_placed_order_by_user";
		break;
	case PX_EXEC_TRADE:
		reason = "partial_fill";
		break;
	case PX_EXEC_AMENDED:
	case PX_EXEC_RESTATED:
		reason = "edited_by_user";
		break;
	case PX_EXEC_TRIGGERED:
		/* a stop-limit goes on as a limit order; a stop-market leaves at once */
		cancel = dec_sign(o->price) <= 0;
		reason = cancel ? "stop_order_triggered" : "limit_order_from_stop";
		break;
	case PX_EXEC_FILLED:
		cancel = true;
		reason = "full_fill";
		break;
	case PX_EXEC_CANCELED:
	case PX_EXEC_EXPIRED:
	case PX_EXEC_REJECTED:
		cancel = true;
		reason = close_reason(ev->order.exec == PX_EXEC_EXPIRED ? ENGINE_R_EXPIRED
		                                                        : o->reason,
		                      &full, &verbose_only);
		if (ev->order.exec == PX_EXEC_REJECTED)
			full = true;
		break;
	default:
		return; /* pending_new, iceberg refills: nothing on Futures WS */
	}
	bool rendered[2] = {false, false};
	static const char *const feeds[2] = {"open_orders", "open_orders_verbose"};
	for (size_t i = 0; i < s->ncli; i++) {
		struct fwss_client *c = s->cli[i];
		if (c->acct != ev->account)
			continue;
		for (int v = 0; v < 2; v++) {
			uint32_t bit = 1u << (v ? FWSS_OPEN_ORDERS_VERBOSE : FWSS_OPEN_ORDERS);
			if (!(c->priv & bit) || (verbose_only && !v))
				continue;
			if (!rendered[v]) {
				render_order_delta(s, feeds[v], o, cancel, full, reason);
				rendered[v] = true;
				rendered[!v] = false;
			}
			fwss_send_keep(s, c);
		}
	}
	sbuf_reset(&s->out);
}

static void fill_event(struct fut_ws_srv *s, const struct px_event *ev)
{
	const struct px_fill *f = ev->fill;
	if (!f || !futures_instr(f->instr))
		return;
	bool rendered = false;
	for (size_t i = 0; i < s->ncli; i++) {
		struct fwss_client *c = s->cli[i];
		if (c->acct != ev->account || !(c->priv & (1u << FWSS_FILLS)) ||
		    (c->fills_only && !(c->fills_only & (1u << f->instr->id))))
			continue;
		if (!rendered) {
			char id[40];
			fwss_account_id(ev->account, id);
			struct jw w;
			sbuf_reset(&s->out);
			jw_init(&w, &s->out);
			jw_obj_begin(&w);
			jw_key(&w, "feed");
			jw_str(&w, "fills");
			jw_key(&w, "account");
			jw_str(&w, id);
			jw_key(&w, "fills");
			jw_arr_begin(&w);
			fwss_render_fill(&w, s, f);
			jw_arr_end(&w);
			jw_obj_end(&w);
			rendered = true;
		}
		fwss_send_keep(s, c);
	}
	sbuf_reset(&s->out);
}

static void alog_event(struct fut_ws_srv *s, const struct px_event *ev)
{
	bool rendered = false;
	for (size_t i = 0; i < s->ncli; i++) {
		struct fwss_client *c = s->cli[i];
		if (c->acct != ev->account || !(c->priv & (1u << FWSS_ACCOUNT_LOG)))
			continue;
		if (!rendered) {
			struct jw w;
			sbuf_reset(&s->out);
			jw_init(&w, &s->out);
			jw_obj_begin(&w);
			jw_key(&w, "feed");
			jw_str(&w, "account_log");
			jw_key(&w, "new_entry");
			fwss_render_alog(&w, ev->alog);
			jw_obj_end(&w);
			rendered = true;
		}
		fwss_send_keep(s, c);
	}
	sbuf_reset(&s->out);
}

/* px_reset: everything the clients hold is void; they reconnect and resync. */
static void reset_event(struct fut_ws_srv *s)
{
	for (size_t i = 0; i < s->ncli; i++)
		if (!s->cli[i]->dead)
			ws_conn_close(s->cli[i]->conn, 1012, "paper exchange reset");
}

void fwss_on_px_event(void *ctx, const struct px_event *ev)
{
	struct fut_ws_srv *s = ctx;
	switch (ev->kind) {
	case PX_EV_BOOK:
		book_event(s, ev);
		break;
	case PX_EV_TRADE:
		trade_event(s, ev);
		break;
	case PX_EV_ORDER:
		order_event(s, ev);
		break;
	case PX_EV_FILL:
		fill_event(s, ev);
		break;
	case PX_EV_FUT_POSITION:
		fwss_mark_dirty(s, ev->account, true, false);
		break;
	case PX_EV_FUT_WALLET:
		fwss_mark_dirty(s, ev->account, false, true);
		break;
	case PX_EV_ALOG:
		alog_event(s, ev);
		break;
	case PX_EV_RESET:
		reset_event(s);
		break;
	default:
		break;
	}
}

/* ---- coalesced private updates ---- */

static void flush_cb(uv_timer_t *t)
{
	struct fut_ws_srv *s = t->data;
	s->flush_armed = false;
	/* durability: what the client hears of must be on disk first */
	paper_flush(s->p, NULL);
	for (size_t i = 0; i < s->ncli; i++) {
		struct fwss_client *c = s->cli[i];
		if (c->dirty_pos) {
			c->dirty_pos = false;
			sbuf_reset(&s->out);
			fwss_render_positions(s, c->acct);
			fwss_send(s, c);
		}
		if (c->dirty_bal) {
			c->dirty_bal = false;
			sbuf_reset(&s->out);
			fwss_render_balances(s, c->acct, false);
			fwss_send(s, c);
		}
	}
}

/* Mark moves change positions many times a second: send at most every 100 ms. */
void fwss_mark_dirty(struct fut_ws_srv *s, uint32_t acct, bool pos, bool bal)
{
	bool any = false;
	for (size_t i = 0; i < s->ncli; i++) {
		struct fwss_client *c = s->cli[i];
		if (c->acct != acct || c->dead)
			continue;
		if (pos && (c->priv & (1u << FWSS_OPEN_POSITIONS)))
			any = c->dirty_pos = true;
		if (bal && (c->priv & (1u << FWSS_BALANCES)))
			any = c->dirty_bal = true;
	}
	if (any && !s->flush_armed && s->flush) {
		s->flush_armed = true;
		uv_timer_start(s->flush, flush_cb, 100, 0);
	}
}

/* ---- 1 s: tickers (every field, every second) and heartbeats ---- */

#define HEARTBEAT_EVERY 5 /* seconds */

static void tick_cb(uv_timer_t *t)
{
	struct fut_ws_srv *s = t->data;
	s->ticks++;
	const struct px_instruments *tab = px_instruments(s->px);
	for (size_t i = 0; i < s->ncli; i++) {
		struct fwss_client *c = s->cli[i];
		for (size_t k = 0; k < tab->n; k++) {
			const struct px_instr *in = &tab->instr[k];
			if (!futures_instr(in))
				continue;
			for (int lite = 0; lite < 2; lite++) {
				if (!(c->pub[in->id] & (lite ? FWSS_TICKER_LITE : FWSS_TICKER)))
					continue;
				sbuf_reset(&s->out);
				fwss_render_ticker(s, in, lite);
				fwss_send(s, c);
			}
		}
		if (c->heartbeat && s->ticks % HEARTBEAT_EVERY == 0) {
			sbuf_reset(&s->out);
			sbuf_addf(&s->out, "{\"feed\":\"heartbeat\",\"time\":%lld}",
			          (long long)fwss_now_ms(s));
			fwss_send(s, c);
		}
	}
}

void fwss_start_timers(struct fut_ws_srv *s)
{
	if (!s->p->loop)
		return;
	s->tick = xcalloc(1, sizeof *s->tick);
	s->flush = xcalloc(1, sizeof *s->flush);
	uv_timer_init(s->p->loop, s->tick);
	uv_timer_init(s->p->loop, s->flush);
	s->tick->data = s->flush->data = s;
	uv_timer_start(s->tick, tick_cb, 1000, 1000);
	uv_unref((uv_handle_t *)s->tick); /* never keeps the loop alive on its own */
	uv_unref((uv_handle_t *)s->flush);
}

static void free_handle(uv_handle_t *h)
{
	free(h);
}

void fwss_stop_timers(struct fut_ws_srv *s)
{
	if (s->tick)
		uv_close((uv_handle_t *)s->tick, free_handle);
	if (s->flush)
		uv_close((uv_handle_t *)s->flush, free_handle);
	s->tick = s->flush = NULL;
}
