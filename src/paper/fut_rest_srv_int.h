/* fut_rest_srv_int: shared by the fut_rest_srv*.c files only — the request
 * context, argument readers, reply envelopes and px -> JSON renderers. */
#ifndef KT_PAPER_FUT_REST_SRV_INT_H
#define KT_PAPER_FUT_REST_SRV_INT_H

#include <stdbool.h>
#include <stdint.h>

#include "base/jwrite.h"
#include "base/sbuf.h"
#include "base/urlenc.h"
#include "paper/fut_rest_srv.h"
#include "paper/px.h"

/* One request being answered. */
struct frs {
	struct paper *p;
	struct px *px;
	struct http_request *req;
	uint32_t acct;    /* 0 for public endpoints */
	struct urlform args; /* query + body parameters, decoded */
	struct sbuf out;  /* the reply */
	struct jw w;
	int64_t now_ns;
	bool replied;
};

/* ---- arguments ---- */

/* First value of key, or NULL. */
const char *frs_arg(const struct urlform *a, const char *key);
/* A number argument: 0 ok, 1 absent (or empty), -1 not a number. */
int frs_dec(const struct urlform *a, const char *key, dec_t *out);
/* "true"/"false": 0 ok, 1 absent, -1 anything else. */
int frs_bool(const struct urlform *a, const char *key, bool *out);
/* A time argument: ISO 8601 or epoch milliseconds -> ns. 0 / 1 absent / -1. */
int frs_time_arg(const struct urlform *a, const char *key, int64_t *ns);

/* ---- replies ---- */

/* Start {"result":"success","serverTime":...; the handler adds members. */
void frs_ok_begin(struct frs *c);
/* Close the object and reply 200. */
void frs_ok_end(struct frs *c);
/* Reply {"result":"error","serverTime":...,"error":code} (discarding any
 * partial output). */
void frs_error(struct frs *c, const char *code);

/* ---- rendering helpers ---- */

void frs_kd(struct jw *w, const char *key, dec_t v);
void frs_ks(struct jw *w, const char *key, const char *v);
void frs_kb(struct jw *w, const char *key, bool v);
void frs_ki(struct jw *w, const char *key, int64_t v);
void frs_knull(struct jw *w, const char *key);
/* "2024-03-01T10:00:00.000Z" */
void frs_kt(struct jw *w, const char *key, int64_t ns);
const char *frs_side(enum engine_side s);
/* Futures currency code of an asset ("XBT", "USD"). */
const char *frs_code(const struct px *px, int asset);
/* Is the order a trigger order still waiting for its trigger? */
bool frs_is_trigger(const struct px_order *o);
/* OrderJson (orderId, cliOrdId, type, symbol, side, quantity, filled, limitPrice,
 * reduceOnly, timestamp, lastUpdateTimestamp). filled NULL: the order's own. */
void frs_order_json(struct jw *w, const struct px_order *o, const dec_t *filled);
/* OrderTriggerJson (uid, clientId, type, ..., triggerPrice, triggerSide,
 * triggerSignal mark_price|last_price|spot_price). */
void frs_trigger_json(struct jw *w, const struct px_order *o);
/* "order": OrderJson, or "orderTrigger": OrderTriggerJson for a waiting trigger. */
void frs_order_member(struct jw *w, const struct px_order *o);
/* Kraken's sendStatus/editStatus status for a px / engine code; NULL when the
 * code means a malformed request (answered with invalidArgument). */
const char *frs_code_status(int code);
/* REJECT event reason (OrderError) for a px / engine code. */
const char *frs_reject_reason(int code);

/* ---- order instructions (sendorder/editorder/cancelorder and batchorder) ---- */

struct frs_send {
	struct px_place pl; /* strings point into the request's arguments */
};
struct frs_edit {
	struct px_amend am;
	bool relative; /* qtyMode RELATIVE (default): size is the open size */
	bool has_size;
	dec_t size;
};
struct frs_cancel {
	const char *order_id, *cl_id;
};

/* Read an instruction. NULL when usable, else Kraken's error code for the
 * request (requiredArgumentMissing, invalidArgument); nothing has changed. */
const char *frs_parse_send(struct frs *c, const struct urlform *a, struct frs_send *s);
const char *frs_parse_edit(const struct urlform *a, struct frs_edit *e);
const char *frs_parse_cancel(const struct urlform *a, struct frs_cancel *x);
/* Carry one out and write its status object ({status, order_id, ...,
 * orderEvents}; batch entries get order_tag when tag is given). A request px
 * finds malformed returns its error code and writes nothing. */
const char *frs_exec_send(struct frs *c, const struct frs_send *s, struct jw *w, const char *tag);
const char *frs_exec_edit(struct frs *c, const struct frs_edit *e, struct jw *w);
void frs_exec_cancel(struct frs *c, const struct frs_cancel *x, struct jw *w);

/* ---- endpoints ---- */

void frs_instruments(struct frs *c);
void frs_tickers(struct frs *c, const char *symbol); /* NULL: every ticker */
void frs_orderbook(struct frs *c);
void frs_history(struct frs *c);
void frs_funding_rates(struct frs *c);

void frs_accounts(struct frs *c);
void frs_openpositions(struct frs *c);
void frs_openorders(struct frs *c);
void frs_fills(struct frs *c);
void frs_orders_status(struct frs *c);
void frs_leverage_get(struct frs *c);
void frs_leverage_put(struct frs *c);
void frs_pnl_get(struct frs *c);
void frs_pnl_put(struct frs *c);
void frs_transfer(struct frs *c);
void frs_withdrawal(struct frs *c);
void frs_account_log(struct frs *c);

void frs_sendorder(struct frs *c);
void frs_editorder(struct frs *c);
void frs_cancelorder(struct frs *c);
void frs_cancelall(struct frs *c);
void frs_cancel_after(struct frs *c);
void frs_batchorder(struct frs *c);

#endif
