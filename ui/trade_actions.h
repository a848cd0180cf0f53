/* trade_actions: the trading actions of the UI (order ticket, cancel, amend,
 * nudge, close, leverage, margin mode, transfers, alerts), as rows of the
 * action table in ui/actions.c. Implemented in ui/ticket.c (the order
 * ticket), ui/order_actions.c (open orders), ui/position_actions.c
 * (positions), ui/transfer_form.c (wallet transfers), ui/alerts.c (alerts);
 * ui/trade_actions.c holds what they share (ui/trade_int.h). The user's
 * guide is docs/trading.md. */
#ifndef KT_UI_TRADE_ACTIONS_H
#define KT_UI_TRADE_ACTIONS_H

#include <stdint.h>

struct ui;

void ta_alert_price(struct ui *ui, int64_t now);
void ta_alert_liq(struct ui *ui, int64_t now);

/* ticket.c */
void ta_order_ticket(struct ui *ui, int64_t now);
void ta_buy(struct ui *ui, int64_t now);
void ta_sell(struct ui *ui, int64_t now);
void ta_order_at_level(struct ui *ui, int64_t now);
/* order_actions.c */
void ta_cancel_order(struct ui *ui, int64_t now);
void ta_amend_order(struct ui *ui, int64_t now);
void ta_nudge_up(struct ui *ui, int64_t now);
void ta_nudge_down(struct ui *ui, int64_t now);
void ta_cancel_all_instrument(struct ui *ui, int64_t now);
void ta_cancel_all(struct ui *ui, int64_t now);
/* position_actions.c */
void ta_close_position(struct ui *ui, int64_t now);
void ta_close_partial(struct ui *ui, int64_t now);
void ta_set_leverage(struct ui *ui, int64_t now);
void ta_toggle_margin_mode(struct ui *ui, int64_t now);
/* transfer_form.c */
void ta_transfer(struct ui *ui, int64_t now);

/* Forget the UI in every intent still waiting for its result, so a result
 * that arrives after ui_free touches nothing. ui_free calls it. */
void trade_ui_detach(struct ui *ui);

#define TRADE_ACTIONS                                                                              \
	{"order_ticket", "open the order ticket, prefilled from the selection", CTX(KC_GLOBAL),    \
	 ta_order_ticket},                                                                         \
	{"buy", "open the order ticket as a buy", CTX(KC_GLOBAL), ta_buy},                         \
	{"sell", "open the order ticket as a sell", CTX(KC_GLOBAL), ta_sell},                      \
	{"order_at_level", "order at the selected book level (an ask buys, a bid sells)",          \
	 CTX(KC_BOOK), ta_order_at_level},                                                         \
	{"cancel_order", "cancel the selected order", CTX(KC_ORDERS), ta_cancel_order},            \
	{"amend_order", "change the selected order's price or size in place", CTX(KC_ORDERS),      \
	 ta_amend_order},                                                                          \
	{"nudge_up", "move the selected order's price one tick up", CTX(KC_ORDERS), ta_nudge_up},  \
	{"nudge_down", "move the selected order's price one tick down", CTX(KC_ORDERS),            \
	 ta_nudge_down},                                                                           \
	{"cancel_all_instrument", "cancel every open order of this instrument", CTX(KC_GLOBAL),    \
	 ta_cancel_all_instrument},                                                                \
	{"cancel_all", "cancel every open order on both products", CTX(KC_GLOBAL), ta_cancel_all}, \
	{"close_position", "close the selected position (market or limit, reduce-only)",           \
	 CTX(KC_POSITIONS), ta_close_position},                                                    \
	{"close_partial", "close part of the selected position", CTX(KC_POSITIONS),                \
	 ta_close_partial},                                                                        \
	{"set_leverage", "set a futures contract's leverage (isolated margin)", CTX(KC_POSITIONS), \
	 ta_set_leverage},                                                                         \
	{"toggle_margin_mode", "switch a futures contract between isolated and cross margin",      \
	 CTX(KC_POSITIONS), ta_toggle_margin_mode},                                                \
	{"transfer", "move funds between the spot and futures wallets", CTX(KC_GLOBAL),            \
	 ta_transfer},                                                                             \
	{"alert_price", "set a price alert on this instrument", CTX(KC_GLOBAL), ta_alert_price},   \
	{"alert_liquidation", "alert when the liquidation price comes close", CTX(KC_POSITIONS),   \
	 ta_alert_liq},

#endif
