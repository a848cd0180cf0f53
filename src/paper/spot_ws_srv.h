/* spot_ws_srv: the paper exchange's Kraken Spot WebSocket v2 (ws://.../v2 and,
 * with auth, ws://.../auth/v2).
 *
 * Speaks the protocol as Kraken does (kraken-protocol.md §2, docs/protocol.md):
 * a status message on connect; ping/pong; a heartbeat once a second on a
 * subscribed connection that had nothing else to say; one subscribe /
 * unsubscribe ack per symbol with Kraken's error texts ("Currency pair not
 * supported X", "Already subscribed", "Subscription Not Found"); book snapshots
 * and updates cut to each subscriber's depth with correct CRC32 checksums
 * (a level that falls out of range is not deleted, a level that comes into
 * range is sent); ticker (trades or bbo trigger), trade, ohlc and instrument;
 * and on the authenticated endpoint executions (snapshots and sparse updates
 * with sequence numbers), balances, and every trading method (add_order,
 * amend_order, edit_order, cancel_order, cancel_all, cancel_all_orders_after,
 * batch_add, batch_cancel) with the token checked and px's reasons mapped to
 * Kraken's error strings.
 *
 * Messages are written with base/jwrite; the net server coalesces writes.
 * Subscribers of the same book at the same depth share one view of it, so
 * each px change is diffed and rendered once per (pair, depth).
 * Backpressure: a subscriber whose unwritten output (ws_conn_queued) grows
 * past the limit is dropped, as Kraken drops slow consumers.
 *
 * Lifetime: one instance per endpoint (spot_ws_srv_new ... _free); the server
 * calls open/message/close for each connection. Everything runs on the
 * paper's loop. */
#ifndef KT_PAPER_SPOT_WS_SRV_H
#define KT_PAPER_SPOT_WS_SRV_H

#include <stdbool.h>
#include <stddef.h>

#include "net/http_server.h"
#include "paper/paper.h"

/* Default backpressure limit: unwritten bytes per subscriber. */
#define SPOT_WS_SRV_MAX_QUEUED (8u << 20)

/* auth: the private endpoint (/auth/v2): executions, balances and trading
 * (public channels work there too, as on Kraken's ws-auth). */
struct spot_ws_srv *spot_ws_srv_new(struct paper *p, bool auth);
void spot_ws_srv_free(struct spot_ws_srv *s);
void spot_ws_srv_open(struct spot_ws_srv *s, struct http_conn *c);
void spot_ws_srv_message(struct spot_ws_srv *s, struct http_conn *c, const char *data, size_t len);
void spot_ws_srv_close(struct spot_ws_srv *s, struct http_conn *c);

/* Change the backpressure limit (tests). */
void spot_ws_srv_set_max_queued(struct spot_ws_srv *s, size_t bytes);
/* Subscribers dropped for backpressure so far. */
size_t spot_ws_srv_dropped(const struct spot_ws_srv *s);

#endif
