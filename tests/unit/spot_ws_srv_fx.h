/* spot_ws_srv_fx: the fixture of the paper Spot WS v2 adapter tests
 * (test_spot_ws_srv.c, test_spot_ws_srv_trade.c): a paper exchange with one
 * user, its public and authenticated WS adapters behind our own net server on
 * 127.0.0.1, krakterm client states holding BTC/USD, and a raw WebSocket
 * client that keeps every message it receives. */
#ifndef KT_TESTS_UNIT_SPOT_WS_SRV_FX_H
#define KT_TESTS_UNIT_SPOT_WS_SRV_FX_H

#include <stdbool.h>
#include <stddef.h>

#include "core/state.h"
#include "kraken/spot_ws.h"
#include "kraken/wsconn.h"
#include "net/http_server.h"
#include "net/loop.h"
#include "net/ws_client.h"
#include "paper/paper.h"
#include "paper/spot_ws_srv.h"

struct fx {
	struct kt_loop *loop;
	struct paper *paper;
	struct spot_ws_srv *pub, *auth;
	struct http_server *srv;
	char url_pub[64], url_auth[64];
	const struct px_instr *btc;
	/* client side */
	struct state st;
	struct spot_ws_pub *sess;
	struct state st2;
	struct spot_ws_pub *sess2;
	struct spot_ws_priv *priv;
	char token[PAPER_TOKEN_MAX];
	int reconciles;
	/* raw client */
	struct ws_client *raw;
	char **msgs;
	size_t nmsgs, cap_msgs;
	bool raw_closed;
	/* what a wait is for */
	bool (*until)(struct fx *fx);
	struct kt_timer *poll;
};

/* cmocka setup/teardown: the exchange, the server and two client states. */
int setup(void **state);
int teardown(void **state);
/* Run the loop until until(fx) holds (checked every 5 ms) or ms pass. */
bool wait_for(struct fx *fx, bool (*until)(struct fx *fx), unsigned ms);
/* The Spot reconnect policy with a fast first backoff and no jitter. */
struct wsconn_policy fast(void);
/* BTC/USD in a client state. */
int btc_idx(const struct state *st);

/* The raw client: connect, send, and find what came back (fx->msgs). */
void raw_connect(struct fx *fx, const char *url);
void raw_send(struct fx *fx, const char *json);
/* Index of the first message from `from` on containing text (and b), or -1. */
long find_msg(const struct fx *fx, size_t from, const char *text);
long find_msg2(const struct fx *fx, size_t from, const char *a, const char *b);
/* Wait (5 s) for such a message after message `from`; its index (fails the case if none). */
long expect(struct fx *fx, size_t from, const char *text);
long expect2(struct fx *fx, size_t from, const char *a, const char *b);

#endif
