/* spot_ws_srv_int: the Spot WS v2 adapter's shared internals
 * (spot_ws_srv.c: connections, requests, subscriptions; spot_ws_srv_book.c:
 * book views, diffs and market-data feeds; spot_ws_srv_trade.c: order entry;
 * spot_ws_srv_cancel.c: cancels and error texts; spot_ws_srv_render.c:
 * Kraken's JSON shapes). Not a public API. */
#ifndef KT_PAPER_SPOT_WS_SRV_INT_H
#define KT_PAPER_SPOT_WS_SRV_INT_H

#include <stdbool.h>
#include <stdint.h>

#include <uv.h>

#include "base/jscan.h"
#include "base/jwrite.h"
#include "base/sbuf.h"
#include "paper/spot_ws_srv.h"

#define SWSS_NINSTR (PX_MAX_INSTR + 1) /* indexed by px_instr.id (1..n) */
#define SWSS_NDEPTH 5                  /* 10, 25, 100, 500, 1000 */
#define SWSS_NIV    9                  /* ohlc intervals */

extern const int swss_depths[SWSS_NDEPTH];
extern const int swss_intervals[SWSS_NIV];

enum { SWSS_TICKER_TRADES = 1, SWSS_TICKER_BBO = 2 };

struct swss_client {
	struct spot_ws_srv *srv;
	struct http_conn *conn;
	uint32_t acct;               /* account of the private channels (0 = none) */
	char token[PAPER_TOKEN_MAX]; /* held while executions/balances are subscribed */
	bool token_held;
	uint8_t depth[SWSS_NINSTR];  /* book: depth index + 1, 0 = none */
	uint8_t ticker[SWSS_NINSTR]; /* SWSS_TICKER_* or 0 */
	bool trade[SWSS_NINSTR];
	uint16_t ohlc[SWSS_NINSTR]; /* bit per swss_intervals index */
	bool instrument, executions, balances;
	int64_t exec_seq, bal_seq; /* last sequence sent per private channel */
	int64_t last_sent_ms;      /* for heartbeats */
	uint64_t conn_id;          /* the status channel\'s connection_id */
	bool dead;                 /* dropped: send nothing more */
};

/* The top D levels of one side per (pair, depth), as every subscriber of that
 * group holds them: prices and sizes in the pair's integer units, best first. */
struct swss_side {
	int64_t *px, *qty;
	size_t n;
	bool dirty; /* px changed something that may be within range */
};
struct swss_view {
	struct swss_side side[2]; /* enum engine_side */
	uint32_t subs;
};

struct swss_lvl {
	int64_t px, qty;
};

struct spot_ws_srv {
	struct paper *p;
	struct px *px;
	bool auth;
	int listen_handle;
	struct swss_client **cli;
	size_t ncli, cap_cli;
	struct swss_view view[SWSS_NINSTR][SWSS_NDEPTH];
	int64_t bbo[SWSS_NINSTR][2][2]; /* last best (px, qty) per side, for bbo tickers */
	uint32_t bbo_subs[SWSS_NINSTR];
	size_t max_queued, dropped;
	uint64_t conn_ids;
	struct jdoc doc;
	struct sbuf out;
	struct px_level *lv; /* depth scratch */
	size_t lv_cap;
	struct swss_lvl *chg[2]; /* diff scratch per side */
	size_t chg_cap[2];
	uv_timer_t *tick; /* 1 s: heartbeats, status changes */
	int system;       /* paper.faults.system last announced */
};

/* ---- spot_ws_srv.c ---- */
int64_t swss_now_ms(const struct spot_ws_srv *s);
/* Send s->out to one client (backpressure applied); keep_out: leave out for the
 * next client, else reset it. */
void swss_send(struct spot_ws_srv *s, struct swss_client *c, bool keep_out);

/* A request being answered. */
struct swss_req {
	struct swss_client *c;
	int root, params;
	char method[32];
	bool has_id;
	int64_t req_id;
	int64_t t_in_ns;
};
/* Start a response: {"method":..,"req_id":.. ; the caller adds "result" and
 * finishes with swss_resp_end(). */
void swss_resp_begin(struct spot_ws_srv *s, struct jw *w, const struct swss_req *r);
void swss_resp_end(struct spot_ws_srv *s, struct jw *w, const struct swss_req *r, bool success);
/* A whole error response; symbol may be NULL. Sent at once. */
void swss_error(struct spot_ws_srv *s, const struct swss_req *r, const char *error,
                const char *symbol);

/* ---- spot_ws_srv_book.c ---- */
void swss_on_event(void *ctx, const struct px_event *ev);
/* A subscriber joins/leaves the (pair, depth) group; join sends the snapshot
 * when `snapshot`. */
void swss_book_join(struct spot_ws_srv *s, struct swss_client *c, const struct px_instr *in, int di,
                    bool snapshot);
void swss_book_leave(struct spot_ws_srv *s, const struct px_instr *in, int di);
void swss_free_views(struct spot_ws_srv *s);

/* ---- spot_ws_srv_trade.c ---- */
/* Answer a trading method; false when `method` is not one. */
bool swss_trade(struct spot_ws_srv *s, const struct swss_req *r);

/* A trading request being handled: the caller's account (token checked) and,
 * when it fails, Kraken's error text. */
struct swss_ctx {
	struct spot_ws_srv *s;
	const struct jdoc *d;
	const struct swss_req *r;
	uint32_t acct;
	char err[128];
};
/* "EGeneral:Invalid arguments:<field>" into x->err; returns -1. */
int swss_fail(struct swss_ctx *x, const char *field);
/* Does paper.faults.system let this order in (pl NULL: any change)? 0 or -1. */
int swss_system_allows(struct swss_ctx *x, const struct px_place *pl);

/* ---- spot_ws_srv_cancel.c ---- */
/* Kraken's error string for a px failure (err->code + err->msg). */
void swss_px_error(int code, const char *msg, char *buf, size_t cap);
int swss_cancel_order(struct swss_ctx *x);
int swss_cancel_all(struct swss_ctx *x);
int swss_cancel_after(struct swss_ctx *x);
int swss_batch_cancel(struct swss_ctx *x);

/* ---- spot_ws_srv_render.c (append to s->out) ---- */
void swss_time(int64_t ns, char *buf, size_t cap);
void swss_dec_units(struct jw *w, int64_t units, int dp);
uint32_t swss_checksum(const struct swss_view *v);
void swss_render_book(struct spot_ws_srv *s, const struct px_instr *in, bool snapshot,
                      const struct swss_lvl *bids, size_t nb, const struct swss_lvl *asks,
                      size_t na, uint32_t checksum);
void swss_render_ticker(struct spot_ws_srv *s, const struct px_instr *in, bool snapshot);
void swss_render_trades_snapshot(struct spot_ws_srv *s, const struct px_instr *in);
void swss_render_trade(struct spot_ws_srv *s, const struct px_instr *in, const struct px_trade *t);
/* ohlc: the current candle (update), or the recent ones (snapshot). */
void swss_render_ohlc(struct spot_ws_srv *s, const struct px_instr *in, int minutes, bool snapshot);
void swss_render_instrument(struct spot_ws_srv *s);
void swss_render_status(struct spot_ws_srv *s, uint64_t conn_id);
/* executions: snapshot of open orders and recent fills, or one event. */
void swss_render_exec_snapshot(struct spot_ws_srv *s, struct swss_client *c, bool orders,
                               bool trades);
void swss_render_exec_event(struct spot_ws_srv *s, struct swss_client *c,
                            const struct px_event *ev);
void swss_render_balances_snapshot(struct spot_ws_srv *s, struct swss_client *c);
void swss_render_balance_update(struct spot_ws_srv *s, struct swss_client *c,
                                const struct px_event *ev);

#endif
