/* fut_rest_codec: Kraken Futures REST v3 — pure request builders and response
 * decoders. No I/O, no clock, no globals: bytes and core types only.
 *
 * Requests: every endpoint krakterm uses is described once (fut_ep_desc:
 * method, path, signed or public, rate-limit cost); builders turn core
 * requests (struct order_req, amend_req...) into the URL-encoded parameter
 * string that goes on the wire — the query for GET/PUT, the body for POST —
 * which is also exactly the `postData` that Authent signs.
 *
 * Responses: fut_doc_parse tokenizes a body once (base/jscan keeps number text,
 * so Futures' JSON numbers become dec_t exactly, exponents included) and reads
 * the envelope (`result`, `serverTime`, `error`/`errors`). The typed decoders
 * then either apply the payload to the state (instruments, tickers, book,
 * trades, funding, wallet, positions, orders, fills, account log) or fill
 * small result records (order statuses, preferences). A decoder checks the
 * whole payload before it changes anything: malformed input leaves the state
 * untouched and fails with a plain-English kerr.
 *
 * `result:"success"` only means the request was accepted; whether an order
 * was placed is in sendStatus/editStatus/cancelStatus/batchStatus[i].status
 * (fut_order_result.status), mapped to an intent_result by fut_result_intent.
 * See docs/protocol.md (Futures REST) and kraken-protocol.md §3. */
#ifndef KT_KRAKEN_FUT_REST_CODEC_H
#define KT_KRAKEN_FUT_REST_CODEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/dec.h"
#include "base/jscan.h"
#include "base/kerr.h"
#include "base/sbuf.h"
#include "core/account.h"
#include "core/instrument.h"
#include "core/intent.h"

struct state;

/* kerr codes of this module. */
enum fut_codec_err {
	FUT_E_SYNTAX = 1, /* not JSON, or not the shape Kraken documents */
	FUT_E_API,        /* a well-formed error reply; fut_doc.error has Kraken's code */
	FUT_E_ARG,        /* a builder got a request it cannot express */
};

/* ---- endpoints ---- */

enum fut_ep {
	FUT_EP_INSTRUMENTS,
	FUT_EP_TICKERS,
	FUT_EP_ORDERBOOK,
	FUT_EP_HISTORY,
	FUT_EP_FUNDING_RATES, /* historical-funding-rates */
	FUT_EP_ACCOUNTS,
	FUT_EP_OPENPOSITIONS,
	FUT_EP_OPENORDERS,
	FUT_EP_FILLS,
	FUT_EP_SENDORDER,
	FUT_EP_EDITORDER,
	FUT_EP_CANCELORDER,
	FUT_EP_CANCELALL,
	FUT_EP_CANCELAFTER,
	FUT_EP_BATCHORDER,
	FUT_EP_ORDERS_STATUS,
	FUT_EP_LEVERAGE_GET,
	FUT_EP_LEVERAGE_PUT,
	FUT_EP_PNL_GET,
	FUT_EP_PNL_PUT,
	FUT_EP_TRANSFER,
	FUT_EP_WITHDRAWAL,
	FUT_EP_ACCOUNT_LOG, /* history pool: /api/history/v3/account-log */
	FUT_EP_COUNT
};

struct fut_ep_desc {
	const char *name;   /* "sendorder", "orders/status", "account-log" */
	const char *method; /* "GET", "POST", "PUT" */
	bool priv;          /* signed (APIKey/Authent/Nonce) */
	bool history;       /* /api/history/v3 family: its own token pool */
	bool body;          /* parameters go in a form body (POST), else in the query */
	int cost;           /* base cost in its pool (derivatives budget or history tokens) */
};

const struct fut_ep_desc *fut_ep_desc(enum fut_ep ep);
/* The URL path: "/derivatives/api/v3/sendorder" or "/api/history/v3/account-log". */
void fut_ep_path(enum fut_ep ep, struct sbuf *out);
/* The path Authent signs: without "/derivatives" ("/api/v3/sendorder"). */
void fut_ep_sign_path(enum fut_ep ep, struct sbuf *out);
/* Cost of one call with these parameters: batchorder 9 + instructions,
 * fills with lastFillTime 25, account-log by count (1..10). */
int fut_ep_cost(enum fut_ep ep, const char *params);

/* ---- request builders (append URL-encoded "k=v&k=v" to out) ---- */

/* sendorder from a core order request. `in` is the order's instrument (its
 * rest_id is the symbol sent). Mapping: OT_LIMIT -> lmt, + post_only -> post,
 * + TIF_IOC -> ioc, + TIF_FOK -> fok; OT_MARKET -> mkt; OT_STOP -> stp without
 * limitPrice; OT_STOP_LIMIT -> stp with limitPrice; OT_TAKE_PROFIT[_LIMIT] ->
 * take_profit; OT_TRAILING_STOP -> trailing_stop with trailingStopMaxDeviation
 * and trailingStopDeviationUnit PERCENT|QUOTE_CURRENCY. Trigger types carry
 * triggerSignal mark|index|last. Parameter order: orderType, symbol, side,
 * size, limitPrice, stopPrice, triggerSignal, trailing fields, reduceOnly,
 * cliOrdId. Returns -1 (FUT_E_ARG) for types Futures does not have. */
int fut_build_sendorder(const struct instrument *in, const struct order_req *req, struct sbuf *out,
                        struct kerr *err);
/* editorder: `orderId` (camelCase) or, when by_cl_id, `cliOrdId`; then size
 * (with qtyMode=ABSOLUTE: krakterm's qty is the order's total size),
 * limitPrice, stopPrice for the fields set in a. */
int fut_build_editorder(const struct amend_req *a, bool by_cl_id, struct sbuf *out,
                        struct kerr *err);
/* cancelorder: `order_id` (snake_case), or `cliOrdId` when order_id is NULL. */
int fut_build_cancelorder(const char *order_id, const char *cl_id, struct sbuf *out,
                          struct kerr *err);
/* cancelallorders: `symbol` only when given (NULL: every order). */
void fut_build_cancelall(const char *symbol, struct sbuf *out);
/* cancelallordersafter: `timeout` in seconds (0 disarms). */
void fut_build_cancel_after(unsigned timeout_s, struct sbuf *out);

/* One batchorder instruction. */
enum fut_batch_op { FUT_BATCH_SEND, FUT_BATCH_EDIT, FUT_BATCH_CANCEL };
struct fut_batch_item {
	enum fut_batch_op op;
	char tag[16];                  /* send: order_tag (maps replies to requests) */
	const struct instrument *in;   /* send */
	const struct order_req *req;   /* send */
	const struct amend_req *amend; /* edit (amend->order_id is the order_id) */
	char order_id[ORDER_ID_MAX];   /* cancel: order_id, or ... */
	char cl_id[ORDER_ID_MAX];      /* ... cliOrdId when order_id is empty */
};
/* batchorder: the form field json=<URL-encoded {"batchOrder":[...]}>. */
int fut_build_batch(const struct fut_batch_item *items, size_t n, struct sbuf *out,
                    struct kerr *err);
/* orders/status: repeated orderIds=...&cliOrdIds=... keys. */
void fut_build_orders_status(const char *const *order_ids, size_t n_ids, const char *const *cl_ids,
                             size_t n_cl, struct sbuf *out);
/* PUT leveragepreferences: symbol, and maxLeverage when lev is given
 * (isolated margin at that leverage); without it the contract is cross. */
void fut_build_leverage_put(const char *symbol, const dec_t *lev, struct sbuf *out);
/* PUT pnlpreferences. */
void fut_build_pnl_put(const char *symbol, const char *currency, struct sbuf *out);
/* transfer between futures wallets ("flex", "cash", "fi_xbtusd"). */
void fut_build_transfer(const char *from_wallet, const char *to_wallet, const char *unit,
                        dec_t amount, struct sbuf *out);
/* withdrawal Futures -> Spot: currency, amount, sourceWallet (NULL: "cash"). */
void fut_build_withdrawal(const char *currency, dec_t amount, const char *source_wallet,
                          struct sbuf *out);
/* symbol=<symbol> (orderbook, history, historical-funding-rates). */
void fut_build_symbol(const char *symbol, struct sbuf *out);
/* fills: lastFillTime (ISO ms) when last_fill_ms > 0. */
void fut_build_fills(int64_t last_fill_ms, struct sbuf *out);
/* account-log: count (1..500) and, when > 0, since (epoch ms). */
void fut_build_account_log(unsigned count, int64_t since_ms, struct sbuf *out);

/* Futures wire names. */
const char *fut_wallet_name(enum wallet w); /* "flex", "cash"; NULL for WALLET_SPOT */
const char *fut_trigger_signal_name(enum trigger_signal s); /* "mark", "index", "last" */

/* ---- responses ---- */

struct fut_doc {
	struct jdoc d;
	bool ok;           /* success reply (history replies have no `result`) */
	char error[64];    /* Kraken's error code when !ok: `error`, else errors[0] */
	int64_t server_ms; /* serverTime, 0 when absent */
};

void fut_doc_init(struct fut_doc *fd);
void fut_doc_free(struct fut_doc *fd);
/* Tokenize a body and read the envelope. 0 when it is a JSON object with a
 * success or error envelope (check fd->ok); -1 (FUT_E_SYNTAX) otherwise. */
int fut_doc_parse(struct fut_doc *fd, const char *body, size_t len, struct kerr *err);
/* 0 for a success reply; -1 with FUT_E_API and Kraken's meaning otherwise. */
int fut_doc_check(const struct fut_doc *fd, struct kerr *err);

/* Market data -> state. Each returns 0 or -1 (state untouched). */
/* Every futures contract (not indices) -> state_add_instrument, plus a
 * lower-case alias; emits EV_INSTRUMENTS once. *n_out: how many (may be NULL). */
int fut_decode_instruments(const struct fut_doc *fd, struct state *st, size_t *n_out,
                           struct kerr *err);
/* Tickers of known instruments -> market->ticker (EV_TICKER each); unknown
 * symbols and index tickers are skipped. */
int fut_decode_tickers(const struct fut_doc *fd, struct state *st, struct kerr *err);
/* orderBook -> the instrument's book, replaced as a snapshot (EV_BOOK). */
int fut_decode_orderbook(const struct fut_doc *fd, struct state *st, int instr, struct kerr *err);
/* history -> the trade ring (oldest first; only trades newer than the ring's
 * newest are added, so a repeated call adds nothing twice). EV_TRADES. */
int fut_decode_history(const struct fut_doc *fd, struct state *st, int instr, struct kerr *err);
/* rates -> state_funding(instr) (the newest FUNDING_KEEP). EV_FUNDING. */
int fut_decode_funding_rates(const struct fut_doc *fd, struct state *st, int instr,
                             struct kerr *err);

/* Private data -> state. */
/* accounts: flex (multi-collateral) wallet and the cash wallet -> the futures
 * account (EV_FUTURES_ACCOUNT); legacy marginAccount entries are tolerated and
 * skipped (krakterm trades the flex wallet). */
int fut_decode_accounts(const struct fut_doc *fd, struct state *st, struct kerr *err);
/* openPositions -> state_set_positions(PRODUCT_FUTURES) (snapshot). A position
 * with maxFixedLeverage is isolated at that leverage. */
int fut_decode_openpositions(const struct fut_doc *fd, struct state *st, struct kerr *err);
/* openOrders -> orders (upsert). Futures orders the state holds as open but
 * absent from the snapshot are closed (filled if fully filled, else
 * cancelled); orders still pending an acknowledgement are left alone. */
int fut_decode_openorders(const struct fut_doc *fd, struct state *st, struct kerr *err);
/* fills -> state_add_fill, oldest first (duplicates ignored by the state). */
int fut_decode_fills(const struct fut_doc *fd, struct state *st, struct kerr *err);
/* account-log logs -> state_add_account_log, oldest first. */
int fut_decode_account_log(const struct fut_doc *fd, struct state *st, struct kerr *err);

/* Preferences (leveragePreferences / preferences). */
struct fut_pref {
	char symbol[INSTR_ID_MAX];    /* upper-case */
	dec_t max_leverage;           /* leverage preference (isolated); zero when absent */
	char pnl_currency[ASSET_MAX]; /* pnl preference */
};
int fut_decode_leverage_prefs(const struct fut_doc *fd, struct fut_pref *out, size_t cap, size_t *n,
                              struct kerr *err);
int fut_decode_pnl_prefs(const struct fut_doc *fd, struct fut_pref *out, size_t cap, size_t *n,
                         struct kerr *err);

/* ---- order requests' outcomes ---- */

struct fut_order_result {
	char status[48]; /* "placed", "postWouldExecute", "cancelled"... */
	char order_id[ORDER_ID_MAX];
	char cl_id[ORDER_ID_MAX];
	char order_tag[16]; /* batch */
	int64_t received_ms;
	int count;              /* cancelallorders: cancelledOrders */
	int64_t trigger_ms;     /* cancelallordersafter: triggerTime (0: disarmed) */
	char ref[ORDER_ID_MAX]; /* withdrawal uid */
};

/* sendStatus / editStatus / cancelStatus (single order): fills r and applies
 * orderEvents (PLACE, EXECUTION, REJECT, CANCEL, EDIT) to the state's orders
 * (st may be NULL). */
int fut_decode_sendorder(const struct fut_doc *fd, struct state *st, struct fut_order_result *r,
                         struct kerr *err);
int fut_decode_editorder(const struct fut_doc *fd, struct state *st, struct fut_order_result *r,
                         struct kerr *err);
int fut_decode_cancelorder(const struct fut_doc *fd, struct state *st, struct fut_order_result *r,
                           struct kerr *err);
/* cancelallorders: status cancelled|noOrdersToCancel, count = cancelledOrders. */
int fut_decode_cancelall(const struct fut_doc *fd, struct state *st, struct fut_order_result *r,
                         struct kerr *err);
/* cancelallordersafter: status.triggerTime ("0" when disarmed). */
int fut_decode_cancel_after(const struct fut_doc *fd, struct fut_order_result *r, struct kerr *err);
/* batchStatus[i], in the reply's order. */
int fut_decode_batch(const struct fut_doc *fd, struct state *st, struct fut_order_result *out,
                     size_t cap, size_t *n, struct kerr *err);
/* withdrawal: uid -> r->ref. transfer / PUT preferences only need fut_doc_check. */
int fut_decode_withdrawal(const struct fut_doc *fd, struct fut_order_result *r, struct kerr *err);

/* orders/status lifecycle. */
enum fut_lifecycle {
	FUT_LC_UNKNOWN,
	FUT_LC_ENTERED_BOOK,
	FUT_LC_FULLY_EXECUTED,
	FUT_LC_REJECTED,
	FUT_LC_CANCELLED,
	FUT_LC_TRIGGER_PLACED,
	FUT_LC_TRIGGER_FAILED, /* TRIGGER_ACTIVATION_FAILURE */
};
struct fut_order_state {
	char order_id[ORDER_ID_MAX];
	char cl_id[ORDER_ID_MAX];
	enum fut_lifecycle status;
	dec_t qty, filled;
	char error[48]; /* OrderError when rejected ("POST_WOULD_EXECUTE"), else "" */
};
/* orders[] -> out (up to cap; *n = how many in the reply) and, when st is
 * given, the state's orders. */
int fut_decode_orders_status(const struct fut_doc *fd, struct state *st,
                             struct fut_order_state *out, size_t cap, size_t *n, struct kerr *err);

/* The order_id of the entry of list `key` ("openOrders", "fills") whose
 * cliOrdId is cl_id: 1 when found (id copied), 0 when not, -1 on a reply
 * without that list. Reconciliation uses it. */
int fut_find_cl_ord_id(const struct fut_doc *fd, const char *key, const char *cl_id, char *order_id,
                       size_t cap, struct kerr *err);

/* Outcome of an order request for the user: `ep` says which request it was
 * (a cancel that finds the order "filled" was not cancelled). */
void fut_result_intent(enum fut_ep ep, const struct fut_order_result *r, struct intent_result *ir);
/* An error reply (Kraken's code) as an intent result (INTENT_REJECTED). */
void fut_error_intent(const char *code, struct intent_result *ir);

/* ---- helpers shared with the session ---- */

/* A Futures JSON number (or numeric string) to a dec_t: exact when it fits
 * 18 digits after the point, else rounded half-even to fit (Kraken prints
 * some doubles with 19+ decimals: 1.045432180096817e-05). */
int fut_num(const char *s, size_t n, dec_t *out, struct kerr *err);
/* Upper-cased copy of a futures symbol into buf. */
void fut_symbol_upper(const char *s, size_t n, char *buf, size_t cap);
/* Index of the instrument with this futures symbol (any case), or -1. */
int fut_find_instrument(const struct state *st, const char *sym, size_t n);

#endif
