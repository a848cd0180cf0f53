/* intent: what the user asks for — place, amend, cancel, close, set leverage or
 * margin mode, transfer — and the gateway interface that carries it out.
 *
 * The core has no I/O: the protocol layer (src/kraken) registers a gateway
 * with state_set_gateway() and completes each request asynchronously through
 * the intent callback. The UI and the one-shot commands call the intent_*
 * functions, which validate first (core/validate) and never send an invalid
 * request. */
#ifndef KT_CORE_INTENT_H
#define KT_CORE_INTENT_H

#include <stdbool.h>
#include <stdint.h>

#include "base/dec.h"
#include "base/kerr.h"
#include "core/account.h"
#include "core/types.h"

struct state;

/* A spot conditional close (an attached stop-loss / take-profit). */
struct close_req {
	bool set;
	enum order_type type; /* limit/stop/stop-limit/take-profit/take-profit-limit/trailing */
	dec_t price;          /* trigger (or limit for OT_LIMIT) */
	dec_t price2;         /* limit price for *-limit types */
};

struct order_req {
	int instr;                 /* index into the state's instruments */
	enum side side;
	enum order_type type;
	dec_t qty;                 /* base units (spot) or contracts (futures) */
	bool qty_in_quote;         /* spot viqc: qty is in quote currency (buy market only) */
	dec_t limit_price;         /* limit types */
	dec_t trigger_price;       /* stop/take-profit types */
	enum trigger_signal signal;
	dec_t trail_offset;        /* trailing types: distance from the peak */
	bool trail_pct;            /* trail_offset is a percentage */
	dec_t trail_limit_offset;  /* spot trailing-stop-limit: limit offset from the trigger */
	bool trail_limit_pct;
	dec_t display_qty;         /* iceberg */
	bool post_only;
	bool reduce_only;
	enum tif tif;
	int64_t expire_s;          /* GTD: absolute unix seconds */
	int leverage;              /* spot margin; 0 = spot (no margin) */
	struct close_req close;
	char cl_id[ORDER_ID_MAX];  /* filled in by intent_place when empty */
	bool validate_only;        /* ask the exchange to validate without placing */
};

/* Amend in place: set the fields you change (has_* flags). */
struct amend_req {
	char order_id[ORDER_ID_MAX];
	bool has_qty, has_limit, has_trigger;
	dec_t qty, limit_price, trigger_price;
};

struct transfer_req {
	char asset[ASSET_MAX];  /* "USD", "BTC"... */
	dec_t amount;
	enum wallet from, to;
};

enum intent_status {
	INTENT_OK,        /* done: accepted by the exchange */
	INTENT_REJECTED,  /* the exchange said no (message says why) */
	INTENT_FAILED,    /* transport failure with a known outcome: nothing happened */
	INTENT_UNKNOWN,   /* outcome unknown even after reconciliation (rare; see message) */
};

struct intent_result {
	enum intent_status status;
	char code[48];              /* Kraken error code/status, e.g. "EOrder:Insufficient funds" */
	char message[256];          /* plain English: what happened and what to do */
	char order_id[ORDER_ID_MAX];/* placed/amended/cancelled order id */
	char ref[ORDER_ID_MAX];     /* transfer reference id, amend id... */
	int count;                  /* cancel-all: how many */
	int64_t trigger_time_ms;    /* cancel-all-after: when it fires */
};

typedef void (*intent_cb)(void *arg, const struct intent_result *res);

/* Implemented by the protocol layer. Each call either starts the request and
 * returns 0 (cb fires exactly once, later), or returns -1 with err filled and
 * cb never fires. */
struct gateway_ops {
	int (*place)(void *gw, const struct order_req *req, intent_cb cb, void *arg, struct kerr *err);
	int (*amend)(void *gw, const struct amend_req *req, intent_cb cb, void *arg, struct kerr *err);
	int (*cancel)(void *gw, const char *order_id, intent_cb cb, void *arg, struct kerr *err);
	/* instr < 0: every instrument of `product`. */
	int (*cancel_all)(void *gw, enum product product, int instr, intent_cb cb, void *arg,
			  struct kerr *err);
	/* timeout_s 0 disarms. */
	int (*cancel_after)(void *gw, enum product product, int timeout_s, intent_cb cb, void *arg,
			    struct kerr *err);
	/* Futures: leverage NULL = cross margin; else isolated at that leverage. */
	int (*set_leverage)(void *gw, int instr, const dec_t *leverage, intent_cb cb, void *arg,
			    struct kerr *err);
	int (*transfer)(void *gw, const struct transfer_req *req, intent_cb cb, void *arg,
			struct kerr *err);
	/* Market-data interest: the UI asks for a book/trades/candles of an instrument. */
	void (*watch)(void *gw, int instr, int book_depth);
	/* Ask for a fresh REST snapshot of private state (after a reconnect, or on demand). */
	void (*refresh)(void *gw);
};

int intent_place(struct state *st, struct order_req *req, intent_cb cb, void *arg, struct kerr *err);
int intent_amend(struct state *st, const struct amend_req *req, intent_cb cb, void *arg,
		 struct kerr *err);
int intent_cancel(struct state *st, const char *order_id, intent_cb cb, void *arg, struct kerr *err);
int intent_cancel_all(struct state *st, enum product product, int instr, intent_cb cb, void *arg,
		      struct kerr *err);
int intent_cancel_after(struct state *st, enum product product, int timeout_s, intent_cb cb,
			void *arg, struct kerr *err);
int intent_set_leverage(struct state *st, int instr, const dec_t *leverage, intent_cb cb, void *arg,
			struct kerr *err);
int intent_transfer(struct state *st, const struct transfer_req *req, intent_cb cb, void *arg,
		    struct kerr *err);
/* Close all (size zero) or part of a position: reduce-only market, or limit at `limit`. */
int intent_close_position(struct state *st, int instr, dec_t size, const dec_t *limit, intent_cb cb,
			  void *arg, struct kerr *err);
void intent_watch(struct state *st, int instr, int depth);

/* Describe an order in words, e.g. "SELL 0.5 PF_XBTUSD stop-market, trigger
 * 61,200.0 on mark, reduce-only" (confirmations, journal, CLI). */
void order_req_describe(const struct state *st, const struct order_req *req, char *buf, size_t cap);
/* A fresh client order id (UUID form) in buf. */
void intent_new_cl_id(char *buf, size_t cap);

#endif
