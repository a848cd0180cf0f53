/* test_trade_actions: the order, position, transfer and alert actions through
 * the headless UI with the shipped default key map and the fake gateway of
 * tests/unit/ticket_util.c. Proves: cancel, amend, nudge and cancel-all send
 * exactly what was confirmed; closing (whole or part), leverage and margin
 * mode likewise; transfers both ways with the max shortcut; and liquidation
 * alerts fire at the distance set, once, and can be listed and deleted. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ui/form.h"
#include "ui/keymap.h"
#include "ui/trade_actions.h"
#include "ui/ui.h"
#include "ui/ui_int.h"
#include "tests/unit/ticket_util.h"

/* A liquidation-distance alert set from the positions pane fires once the
 * mark comes within the distance of the liquidation price (not before); the
 * alert form lists the alerts set and d removes the chosen one. */
static void alerts_liquidation_list_delete(void **state)
{
	(void)state;
	tk_start(false, true, NULL);
	struct position p;
	memset(&p, 0, sizeof p);
	p.instr = tk_perp;
	p.product = PRODUCT_FUTURES;
	p.size = D("2");
	p.entry = D("60000");
	p.mark = D("60000");
	p.liq_price = D("54000"); /* 10 % below the mark */
	state_set_positions(&tk_st, PRODUCT_FUTURES, &p, 1);
	tk_key("6");
	tk_key("!");
	assert_non_null(tk_ui->form);
	assert_string_equal(tk_ui->form->title, "Liquidation alert: PF_XBTUSD");
	assert_false(tk_shown("Alerts")); /* none set yet */
	tk_type("5");
	tk_key("Enter");
	assert_null(tk_ui->form);
	assert_string_equal(tk_ui->msg, "alert: PF_XBTUSD within 5% of liquidation");
	alerts_check(tk_ui);
	assert_string_equal(tk_ui->msg, "alert: PF_XBTUSD within 5% of liquidation"); /* 10 % */
	p.mark = D("57000"); /* 5.26 %: still outside */
	state_set_positions(&tk_st, PRODUCT_FUTURES, &p, 1);
	alerts_check(tk_ui);
	assert_null(strstr(tk_ui->msg, "ALERT"));
	p.mark = D("56000"); /* 3.57 % */
	state_set_positions(&tk_st, PRODUCT_FUTURES, &p, 1);
	alerts_check(tk_ui);
	assert_string_equal(tk_ui->msg, "ALERT PF_XBTUSD: mark is within 5% of liquidation");
	tk_ui->msg[0] = '\0';
	alerts_check(tk_ui); /* fires once */
	assert_string_equal(tk_ui->msg, "");

	/* Two more alerts; the form lists both, d removes the chosen one. */
	tk_key("!");
	tk_type("4");
	tk_key("Enter");
	tk_key("1");
	tk_key("!");
	tk_type("70000");
	tk_key("Enter");
	tk_key("!");
	assert_true(tk_shown("Alerts"));
	assert_int_equal(tk_ui->form->npreview, 2);
	assert_string_equal(tk_ui->form->preview[0], "set: PF_XBTUSD within 4% of liquidation");
	assert_string_equal(tk_ui->form->preview[1], "set: BTC/USD price >= 70000");
	assert_true(tk_screen_has("PF_XBTUSD within 4% of liquidation"));
	tk_go("Alerts");
	tk_key("Right");
	assert_string_equal(tk_sel()->choices[tk_sel()->choice], "BTC/USD price >= 70000");
	tk_key("d");
	assert_string_equal(tk_ui->msg, "alert removed: BTC/USD price >= 70000");
	assert_int_equal(tk_ui->form->npreview, 1);
	assert_string_equal(tk_ui->form->preview[0], "set: PF_XBTUSD within 4% of liquidation");
	tk_go("Alerts");
	tk_key("Delete");
	assert_string_equal(tk_ui->msg, "alert removed: PF_XBTUSD within 4% of liquidation");
	assert_false(tk_shown("Alerts"));
	assert_string_equal(tk_sel()->label, "Price");
	int left = 0;
	for (int i = 0; i < ALERTS_MAX; i++)
		left += tk_ui->alerts[i].used && !tk_ui->alerts[i].fired;
	assert_int_equal(left, 0);
	tk_key("Escape");
	tk_stop();
}
static void orders_cancel_amend_nudge(void **state)
{
	(void)state;
	tk_start(false, true, NULL);
	tk_add_order("O1", tk_spot, SIDE_BUY, OT_LIMIT, "59000.0", NULL);
	tk_add_order("O2", tk_perp, SIDE_SELL, OT_STOP, NULL, "59000.0");
	tk_add_order("O3", tk_perp, SIDE_SELL, OT_STOP_LIMIT, "58900.0", "59000.0");
	tk_key("5");
	tk_key("c");
	assert_int_equal(tk_ui->form->stage, FS_CONFIRM);
	assert_string_equal(tk_ui->form->confirm,
	                    "CANCEL BUY 0.5 BTC/USD limit, limit 59,000.0 (id O1)");
	tk_key("y");
	assert_int_equal(tk_fk.ncancel, 1);
	assert_string_equal(tk_fk.cancel[0], "O1");
	tk_complete(INTENT_OK, "");
	assert_string_equal(tk_ui->msg,
	                    "done: CANCEL BUY 0.5 BTC/USD limit, limit 59,000.0 (id O1)");

	/* Amend the price in place; a price off the tick is rounded only with r. */
	tk_key("a");
	assert_string_equal(tk_sel()->label, "Limit price");
	tk_set("Limit price", "59010.05");
	assert_string_equal(tk_field("Limit price")->error, "tick grid: press r for 59010.0");
	tk_key("Enter");
	assert_int_equal(tk_fk.namend, 0);
	tk_key("r");
	tk_key("Enter");
	assert_string_equal(
	        tk_ui->form->confirm,
	        "AMEND BUY 0.5 BTC/USD limit, limit 59,000.0: price 59,000.0 -> 59,010.0");
	tk_key("y");
	assert_int_equal(tk_fk.namend, 1);
	assert_string_equal(tk_fk.amend[0].order_id, "O1");
	assert_true(tk_fk.amend[0].has_limit && !tk_fk.amend[0].has_qty &&
	            !tk_fk.amend[0].has_trigger);
	assert_dec(tk_fk.amend[0].limit_price, "59010.0");
	tk_key("a");
	tk_set("Size", "0.7");
	tk_send_it();
	assert_true(tk_fk.amend[1].has_qty && !tk_fk.amend[1].has_limit);
	assert_dec(tk_fk.amend[1].qty, "0.7");
	tk_complete(INTENT_OK, "");

	/* Nudges: one tick; a quick repeat builds on the one in flight; a
	 * rejected nudge is forgotten. */
	tk_key("Right");
	assert_null(tk_ui->form);
	assert_dec(tk_fk.amend[2].limit_price, "59000.1");
	tk_key("Right");
	assert_dec(tk_fk.amend[3].limit_price, "59000.2");
	tk_complete(INTENT_REJECTED, "no");
	tk_key("Left");
	assert_dec(tk_fk.amend[4].limit_price, "58999.9");
	tk_key("Down"); /* the stop: its trigger moves by the 0.5 tick */
	tk_key("Left");
	assert_true(tk_fk.amend[5].has_trigger && !tk_fk.amend[5].has_limit);
	assert_dec(tk_fk.amend[5].trigger_price, "58999.5");
	tk_key("Down"); /* the stop-limit: both move */
	tk_key("Right");
	assert_dec(tk_fk.amend[6].limit_price, "58900.5");
	assert_dec(tk_fk.amend[6].trigger_price, "59000.5");
	assert_int_equal(tk_fk.namend, 7);
	tk_stop();
}
static void cancel_all_counts(void **state)
{
	(void)state;
	tk_start(false, true, NULL);
	tk_key("X");
	assert_null(tk_ui->form);
	assert_string_equal(tk_ui->msg, "no open orders in BTC/USD to cancel");
	tk_add_order("O1", tk_spot, SIDE_BUY, OT_LIMIT, "59000.0", NULL);
	tk_add_order("O2", tk_spot, SIDE_SELL, OT_LIMIT, "61000.0", NULL);
	tk_add_order("O3", tk_perp, SIDE_SELL, OT_STOP, NULL, "59000.0");
	tk_key("X");
	assert_string_equal(tk_ui->form->confirm, "CANCEL ALL 2 open orders of BTC/USD");
	tk_key("Esc");
	assert_int_equal(tk_sent(), 0);
	tk_key("Enter"); /* back at the (empty) edit stage: Enter asks again */
	tk_key("y");
	assert_int_equal(tk_fk.nall, 1);
	assert_int_equal(tk_fk.all_product[0], PRODUCT_SPOT);
	assert_int_equal(tk_fk.all_instr[0], tk_spot);
	tk_complete(INTENT_OK, "");
	assert_string_equal(tk_ui->msg, "cancelled 2 orders");
	tk_key("M-x");
	assert_string_equal(tk_ui->form->confirm, "CANCEL ALL 3 open orders (2 spot, 1 futures)");
	tk_key("y");
	assert_int_equal(tk_fk.nall, 3);
	assert_int_equal(tk_fk.all_product[1], PRODUCT_SPOT);
	assert_int_equal(tk_fk.all_product[2], PRODUCT_FUTURES);
	assert_int_equal(tk_fk.all_instr[1], -1);
	assert_int_equal(tk_fk.all_instr[2], -1);
	tk_stop();
}
static void positions_close_leverage_mode(void **state)
{
	(void)state;
	tk_start(false, true, NULL);
	tk_set_position(false);
	tk_key("6");
	tk_key("c");
	assert_string_equal(tk_field("Size")->text, "2");
	tk_send_it();
	const struct order_req *r = tk_last_place();
	assert_int_equal(r->instr, tk_perp);
	assert_int_equal(r->side, SIDE_SELL);
	assert_int_equal(r->type, OT_MARKET);
	assert_true(r->reduce_only);
	assert_dec(r->qty, "2");
	tk_key("p");
	assert_string_equal(tk_sel()->label, "Size");
	tk_type("0.5");
	tk_choose("Close with", "limit");
	assert_string_equal(tk_field("Limit price")->text, "60000.0");
	tk_send_it();
	r = tk_last_place();
	assert_int_equal(r->type, OT_LIMIT);
	assert_dec(r->qty, "0.5");
	assert_dec(r->limit_price, "60000");
	assert_true(r->reduce_only);
	tk_key("p");
	tk_type("3");
	assert_string_equal(tk_field("Size")->error, "larger than the position (2)");
	tk_key("Esc");

	/* Leverage 10x: margin 2 x 60000 x 2% = 2,400 now, 12,000 at 10x. */
	tk_key("l");
	tk_type("10");
	assert_true(tk_screen_has("Initial margin 2,400.00 -> 12,000.00 USD (+9,600.00)"));
	tk_send_it();
	assert_int_equal(tk_fk.nlev, 1);
	assert_int_equal(tk_fk.lev_instr[0], tk_perp);
	assert_true(tk_fk.lev_set[0]);
	assert_dec(tk_fk.lev[0], "10");
	/* Cross -> isolated at the default 50x (1 / 2%). */
	tk_key("m");
	assert_string_equal(tk_ui->form->confirm,
	                    "SET PF_XBTUSD to isolated margin at 50x leverage");
	tk_key("y");
	assert_true(tk_fk.lev_set[1]);
	assert_dec(tk_fk.lev[1], "50");
	/* Isolated -> cross clears the preference. */
	tk_set_position(true);
	tk_key("m");
	assert_string_equal(tk_ui->form->confirm,
	                    "SET PF_XBTUSD to cross margin (no leverage preference)");
	tk_key("y");
	assert_int_equal(tk_fk.nlev, 3);
	assert_false(tk_fk.lev_set[2]);
	tk_stop();
}
static void transfers_both_ways(void **state)
{
	(void)state;
	tk_start(false, true, NULL);
	tk_st.has_keys[PRODUCT_SPOT] = true;
	struct balance b;
	memset(&b, 0, sizeof b);
	strcpy(b.asset, "USD");
	b.total = D("1000");
	b.available = D("900");
	state_set_balances(&tk_st, &b, 1);
	struct futures_account fa;
	memset(&fa, 0, sizeof fa);
	fa.ncur = 1;
	strcpy(fa.cur[0].asset, "USD");
	fa.cur[0].quantity = D("50");
	fa.cur[0].available = D("40");
	fa.ncash = 1;
	strcpy(fa.cash[0].asset, "USD");
	fa.cash[0].quantity = D("20");
	state_set_futures_account(&tk_st, &fa);

	tk_key("t");
	assert_string_equal(tk_sel()->label, "Amount");
	tk_type("2000");
	assert_string_equal(tk_field("Amount")->error, "only 900 USD can leave the spot wallet");
	tk_key("C-u");
	tk_type("100");
	assert_true(tk_screen_has("spot          USD: 1000 -> 900"));
	assert_true(tk_screen_has("futures       USD: 50 -> 150"));
	tk_key("Enter");
	assert_string_equal(tk_ui->form->confirm, "TRANSFER 100 USD from spot to futures");
	tk_key("y");
	assert_int_equal(tk_fk.nxfer, 1);
	assert_string_equal(tk_fk.xfer[0].asset, "USD");
	assert_dec(tk_fk.xfer[0].amount, "100");
	assert_int_equal(tk_fk.xfer[0].from, WALLET_SPOT);
	assert_int_equal(tk_fk.xfer[0].to, WALLET_FUTURES_FLEX);
	tk_complete(INTENT_OK, "");
	assert_string_equal(tk_ui->msg,
	                    "transferred (ref REF-1): TRANSFER 100 USD from spot to futures");
	assert_string_equal(tk_journal[1], "ack|TRANSFER 100 USD from spot to futures | ref REF-1");

	/* From the futures wallet pane: futures -> spot, m for the maximum. */
	tk_key("8");
	tk_key("t");
	tk_key("m");
	assert_string_equal(tk_field("Amount")->text, "40");
	tk_send_it();
	assert_int_equal(tk_fk.xfer[1].from, WALLET_FUTURES_FLEX);
	assert_int_equal(tk_fk.xfer[1].to, WALLET_SPOT);
	assert_dec(tk_fk.xfer[1].amount, "40");
	/* Futures flex -> cash; spot -> cash has no direct route. */
	tk_key("t");
	tk_choose("To", "futures-cash");
	tk_set("Amount", "10");
	tk_send_it();
	assert_int_equal(tk_fk.xfer[2].from, WALLET_FUTURES_FLEX);
	assert_int_equal(tk_fk.xfer[2].to, WALLET_FUTURES_CASH);
	tk_key("t");
	tk_choose("From", "spot");
	tk_choose("To", "futures-cash");
	tk_set("Amount", "10");
	assert_string_equal(tk_field("To")->error,
	                    "no direct route: go through the futures wallet");
	tk_key("Enter");
	assert_int_equal(tk_ui->form->stage, FS_EDIT);
	assert_int_equal(tk_fk.nxfer, 3);
	tk_stop();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(alerts_liquidation_list_delete),
	        cmocka_unit_test(orders_cancel_amend_nudge),
	        cmocka_unit_test(cancel_all_counts),
	        cmocka_unit_test(positions_close_leverage_mode),
	        cmocka_unit_test(transfers_both_ways),
	};
	return kt_run_tests(tests);
}
