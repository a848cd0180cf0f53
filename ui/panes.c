/* panes: the table of panes, in tab order. */
#include "ui/ui_int.h"

const struct pane_def *const pane_defs[PANE_COUNT] = {
	[PANE_BOOK] = &pane_book_def,
	[PANE_TICKERS] = &pane_tickers_def,
	[PANE_TRADES] = &pane_trades_def,
	[PANE_CHART] = &pane_chart_def,
	[PANE_ORDERS] = &pane_orders_def,
	[PANE_POSITIONS] = &pane_positions_def,
	[PANE_SPOT_WALLET] = &pane_spot_wallet_def,
	[PANE_FUT_WALLET] = &pane_fut_wallet_def,
	[PANE_FUNDING] = &pane_funding_def,
};
