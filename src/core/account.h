/* account: the private state of the user — orders, fills, positions, the spot
 * wallet, the futures wallet and funding — as plain records. The state store
 * (core/state) owns the collections; these are the element types. */
#ifndef KT_CORE_ACCOUNT_H
#define KT_CORE_ACCOUNT_H

#include <stdbool.h>
#include <stdint.h>

#include "base/dec.h"
#include "core/instrument.h"
#include "core/types.h"

#define ORDER_ID_MAX 48
#define REASON_MAX 96

struct order {
	char id[ORDER_ID_MAX];    /* exchange id: spot txid "OUF4EM-FRGI2-MQMWZD", futures UUID */
	char cl_id[ORDER_ID_MAX]; /* client order id (krakterm always sets one) */
	int instr;                /* index into the state's instruments */
	enum product product;
	enum side side;
	enum order_type type;
	enum order_status status;
	enum tif tif;
	enum trigger_signal signal;
	dec_t qty;          /* total order size */
	dec_t filled;       /* cumulative filled */
	dec_t limit_price;  /* zero when not a limit type */
	dec_t trigger_price;
	dec_t avg_price;
	dec_t trail_offset; /* trailing: distance (price units or percent) */
	bool trail_pct;
	dec_t display_qty;  /* iceberg */
	bool post_only, reduce_only;
	int leverage;       /* spot margin; 0 = none */
	int64_t expire_ms;
	int64_t created_ms, updated_ms;
	char reason[REASON_MAX]; /* why it closed (cancel reason, reject text) */
};

struct fill {
	char id[ORDER_ID_MAX];
	char order_id[ORDER_ID_MAX];
	int instr;
	enum product product;
	enum side side;
	dec_t price, qty, fee;
	char fee_asset[ASSET_MAX];
	bool maker;
	bool liquidation;
	int64_t time_ms;
};

struct position {
	int instr;
	enum product product;
	dec_t size;        /* signed: long > 0, short < 0 (contracts or base units) */
	dec_t entry;       /* average entry price */
	dec_t mark;
	dec_t upnl;        /* unrealized PnL in pnl_asset */
	dec_t liq_price;   /* zero when unknown */
	dec_t leverage;    /* effective leverage */
	bool isolated;     /* isolated margin (a leverage preference is set) */
	dec_t max_leverage; /* the isolated leverage preference; zero for cross */
	dec_t unrealized_funding;
	dec_t initial_margin, maintenance_margin;
	char pnl_asset[ASSET_MAX];
};

/* Spot wallet line (BalanceEx semantics). */
struct balance {
	char asset[ASSET_MAX]; /* display code: "BTC", "USD" */
	dec_t total;           /* balance */
	dec_t hold;            /* held by open orders */
	dec_t available;       /* total - hold (+ credit - credit used) */
};

/* One collateral currency in the futures multi-collateral (flex) wallet. */
struct collateral {
	char asset[ASSET_MAX];
	dec_t quantity;
	dec_t value;           /* in USD */
	dec_t collateral;      /* value after haircut */
	dec_t available;
};

#define COLLATERAL_MAX 16

struct futures_account {
	bool valid;
	struct collateral cur[COLLATERAL_MAX];
	int ncur;
	dec_t portfolio_value;
	dec_t balance_value;
	dec_t collateral_value;
	dec_t initial_margin;
	dec_t initial_margin_with_orders;
	dec_t maintenance_margin;
	dec_t available_margin;
	dec_t margin_equity;
	dec_t pnl;
	dec_t unrealized_funding;
	/* The "cash" holding wallet (non-margin). */
	struct collateral cash[COLLATERAL_MAX];
	int ncash;
};

/* An account-log entry (funding, fees, transfers, liquidations...). */
struct account_log_entry {
	int64_t id;
	int64_t time_ms;
	char info[48];        /* "funding rate change", "futures trade", "transfer"... */
	char asset[ASSET_MAX];
	char instrument[INSTR_ID_MAX];
	dec_t old_balance, new_balance;
	dec_t realized_funding;
	dec_t funding_rate;
	dec_t fee;
	dec_t realized_pnl;
};

/* A funding rate observation for a perpetual (history pane). */
struct funding_rate {
	int64_t time_ms;
	dec_t rate;          /* absolute */
	dec_t relative_rate; /* fraction */
};

#endif
