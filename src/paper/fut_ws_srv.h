/* fut_ws_srv: the paper exchange's Kraken Futures WebSocket v1 (ws://.../ws/v1).
 *
 * Speaks the protocol as Kraken does (kraken-protocol.md §4, docs/protocol.md):
 * {"event":"info","version":1} on connect; subscribe/unsubscribe acks
 * ("subscribed", "unsubscribed", "subscribed_failed") and errors ("Invalid
 * product id", "Invalid feed", "Json Error"); the challenge flow (paper/auth
 * verifies the signature); public feeds book (snapshot + one-level deltas with
 * a per-product seq), ticker and ticker_lite (every field, once a second per
 * product; funding fields on perpetuals, left out when zero), trade (snapshot
 * + deltas) and heartbeat; private feeds open_orders, open_orders_verbose,
 * fills, open_positions, balances, account_log and notifications_auth fed by
 * px events, with Kraken's field names.
 *
 * Backpressure: a subscriber whose unwritten output (ws_conn_queued) grows past
 * the limit is dropped (close 1006), so one slow client cannot hold the
 * exchange's memory hostage.
 *
 * Lifetime: one instance per paper server (fut_ws_srv_new ... _free); the
 * server calls open/message/close for each connection on /ws/v1. Everything
 * runs on the paper's loop. */
#ifndef KT_PAPER_FUT_WS_SRV_H
#define KT_PAPER_FUT_WS_SRV_H

#include <stddef.h>

#include "net/http_server.h"
#include "paper/paper.h"

/* Default backpressure limit: unwritten bytes per subscriber. */
#define FUT_WS_SRV_MAX_QUEUED (8u << 20)

struct fut_ws_srv *fut_ws_srv_new(struct paper *p);
void fut_ws_srv_free(struct fut_ws_srv *s);
void fut_ws_srv_open(struct fut_ws_srv *s, struct http_conn *c);
void fut_ws_srv_message(struct fut_ws_srv *s, struct http_conn *c, const char *data, size_t len);
void fut_ws_srv_close(struct fut_ws_srv *s, struct http_conn *c);

/* Change the backpressure limit (tests). */
void fut_ws_srv_set_max_queued(struct fut_ws_srv *s, size_t bytes);
/* Subscribers dropped for backpressure so far. */
size_t fut_ws_srv_dropped(const struct fut_ws_srv *s);

#endif
