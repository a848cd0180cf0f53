/* fut_ws_srv_int: the Futures WS adapter's shared internals (fut_ws_srv.c:
 * connections and requests; fut_ws_srv_feed.c: px events and timers;
 * fut_ws_srv_render.c: Kraken's JSON shapes). Not a public API. */
#ifndef KT_PAPER_FUT_WS_SRV_INT_H
#define KT_PAPER_FUT_WS_SRV_INT_H

#include <stdbool.h>
#include <stdint.h>

#include <uv.h>

#include "base/jscan.h"
#include "base/jwrite.h"
#include "base/sbuf.h"
#include "paper/fut_ws_srv.h"

/* Public feed bits per instrument. */
enum { FWSS_BOOK = 1, FWSS_TICKER = 2, FWSS_TICKER_LITE = 4, FWSS_TRADE = 8 };

/* Private feeds. */
enum fwss_priv {
	FWSS_OPEN_ORDERS,
	FWSS_OPEN_ORDERS_VERBOSE,
	FWSS_FILLS,
	FWSS_OPEN_POSITIONS,
	FWSS_BALANCES,
	FWSS_ACCOUNT_LOG,
	FWSS_NOTIFICATIONS,
	FWSS_PRIV_COUNT
};

#define FWSS_NINSTR (PX_MAX_INSTR + 1) /* indexed by px_instr.id (1..n) */

struct fwss_client {
	struct fut_ws_srv *srv;
	struct http_conn *conn;
	uint32_t acct;            /* account of the private feeds (0 = none yet) */
	uint8_t pub[FWSS_NINSTR]; /* FWSS_* bits per instrument */
	uint32_t priv;            /* 1u << enum fwss_priv */
	uint32_t fills_only;      /* fills: bit per instrument id; 0 = all */
	bool heartbeat;
	bool dirty_pos, dirty_bal; /* coalesced private updates due */
	bool dead;                 /* dropped (backpressure): send nothing more */
};

struct fut_ws_srv {
	struct paper *p;
	struct px *px;
	int listen_handle;
	struct fwss_client **cli;
	size_t ncli, cap_cli;
	uint32_t book_subs[FWSS_NINSTR]; /* subscribers per instrument */
	uint32_t trade_subs[FWSS_NINSTR];
	uint64_t book_seq[FWSS_NINSTR]; /* last book seq sent per instrument */
	uint64_t msg_seq;               /* seq of private messages */
	size_t max_queued;
	size_t dropped;
	struct jdoc doc;
	struct sbuf out;
	struct px_level *lv; /* depth scratch */
	size_t lv_cap;
	uv_timer_t *tick;  /* 1 s: tickers, heartbeats */
	uv_timer_t *flush; /* coalesced positions / balances */
	bool flush_armed;
	unsigned ticks;
};

/* Send the contents of s->out to one client (applying backpressure); resets out. */
void fwss_send(struct fut_ws_srv *s, struct fwss_client *c);
/* Send s->out to one client, keeping out for the next client. */
void fwss_send_keep(struct fut_ws_srv *s, struct fwss_client *c);
int64_t fwss_now_ms(const struct fut_ws_srv *s);
/* Kraken-style account id ("UUID") of a paper account. */
void fwss_account_id(uint32_t acct, char out[40]);

/* Rendering into s->out (appending). */
void fwss_render_book_snapshot(struct fut_ws_srv *s, const struct px_instr *in);
void fwss_render_book_delta(struct fut_ws_srv *s, const struct px_instr *in, enum engine_side side,
                            dec_t price, dec_t qty, int64_t ts_ms);
void fwss_render_ticker(struct fut_ws_srv *s, const struct px_instr *in, bool lite);
void fwss_render_trade(struct jw *w, const struct px_trade *t, const struct px_instr *in, bool top);
void fwss_render_trade_snapshot(struct fut_ws_srv *s, const struct px_instr *in);
void fwss_render_order(struct jw *w, const struct px_order *o);
void fwss_render_orders_snapshot(struct fut_ws_srv *s, uint32_t acct, bool verbose);
void fwss_render_fill(struct jw *w, struct fut_ws_srv *s, const struct px_fill *f);
void fwss_render_fills_snapshot(struct fut_ws_srv *s, uint32_t acct, uint32_t only);
void fwss_render_positions(struct fut_ws_srv *s, uint32_t acct);
void fwss_render_balances(struct fut_ws_srv *s, uint32_t acct, bool snapshot);
void fwss_render_alog(struct jw *w, const struct px_alog *e);
void fwss_render_alog_snapshot(struct fut_ws_srv *s, uint32_t acct);

/* px events and timers (fut_ws_srv_feed.c). */
void fwss_on_px_event(void *ctx, const struct px_event *ev);
void fwss_start_timers(struct fut_ws_srv *s);
void fwss_stop_timers(struct fut_ws_srv *s);
void fwss_mark_dirty(struct fut_ws_srv *s, uint32_t acct, bool pos, bool bal);

#endif
