/* test_ticket: trading from the keyboard through the headless UI, with the
 * shipped default key map and a fake gateway that records every call
 * (tests/unit/ticket_util.c). Proves: every order type of each product
 * reaches the gateway exactly as typed; fields that do not apply are hidden;
 * validation and parse errors show beside their field and nothing is sent;
 * rounding only with the r key; backing out of a confirmation sends nothing;
 * a guard forces a second confirmation; a live profile sends nothing until
 * armed (and disarms when idle); results reach the message line and the
 * journal; and the shipped key maps name only actions that exist. Orders,
 * positions, transfers and alerts: test_trade_actions.c. */
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

static void shipped_keymaps_name_known_actions(void **state)
{
	(void)state;
	static const char *const maps[] = {"default.conf", "vim.conf"};
	for (int i = 0; i < 2; i++) {
		char path[4096];
		snprintf(path, sizeof path, "%s/keymaps/%s",
		         getenv("KT_TOP_SRCDIR") ? getenv("KT_TOP_SRCDIR") : KT_SRCDIR, maps[i]);
		struct keymap km;
		memset(&km, 0, sizeof km);
		struct kerr err = KERR_INIT;
		if (keymap_load_file(&km, path, action_known, &err) < 0)
			fail_msg("%s", err.msg);
		for (size_t b = 0; b < km.n; b++)
			assert_true(strcmp(km.b[b].action, "none") == 0 ||
			            action_known(km.b[b].action));
		keymap_free(&km);
	}
}

static void spot_every_type(void **state)
{
	(void)state;
	tk_start(false, true, NULL);
	/* b: a buy limit at the best bid, the cursor on the size. */
	tk_key("b");
	assert_string_equal(tk_sel()->label, "Size");
	assert_string_equal(tk_field("Limit price")->text, "60000.0");
	assert_false(tk_shown("Trigger price") || tk_shown("Display size") ||
	             tk_shown("Reduce-only"));
	tk_type("0.01");
	assert_true(tk_screen_has("Order ticket: BTC/USD"));
	assert_true(tk_screen_has("Value 600.00 USD"));
	tk_key("Enter");
	assert_string_equal(tk_ui->form->confirm, "BUY 0.01 BTC/USD limit, limit 60,000.0");
	assert_true(tk_screen_has("BUY 0.01 BTC/USD limit, limit 60,000.0"));
	tk_key("y");
	assert_int_equal(tk_fk.nplace, 1);
	const struct order_req *r = tk_last_place();
	assert_int_equal(r->instr, tk_spot);
	assert_int_equal(r->side, SIDE_BUY);
	assert_int_equal(r->type, OT_LIMIT);
	assert_dec(r->qty, "0.01");
	assert_dec(r->limit_price, "60000.0");
	assert_int_equal(r->tif, TIF_GTC);
	assert_true(r->cl_id[0] != '\0');

	/* Market buy, size in quote currency (viqc). */
	tk_key("b");
	tk_choose("Type", "market");
	assert_false(tk_shown("Limit price"));
	tk_choose("Size in", "USD");
	tk_set("Size", "500");
	tk_send_it();
	assert_int_equal(tk_last_place()->type, OT_MARKET);
	assert_true(tk_last_place()->qty_in_quote);
	assert_dec(tk_last_place()->qty, "500");

	/* Limit, post-only, good till 30 minutes from now. */
	tk_key("b");
	tk_set("Size", "0.01");
	tk_set("Limit price", "59000.0");
	tk_go("Post-only");
	tk_key("Space");
	tk_choose("Time in force", "GTD");
	tk_set("Expires", "30m");
	int64_t now = (int64_t)time(NULL);
	tk_send_it();
	r = tk_last_place();
	assert_true(r->post_only);
	assert_int_equal(r->tif, TIF_GTD);
	assert_true(r->expire_s >= now + 1800 && r->expire_s <= now + 1802);

	/* Iceberg sell showing 0.1. */
	tk_key("s");
	tk_choose("Type", "iceberg");
	tk_set("Size", "1");
	tk_set("Limit price", "61000");
	tk_set("Display size", "0.1");
	tk_send_it();
	r = tk_last_place();
	assert_int_equal(r->side, SIDE_SELL);
	assert_int_equal(r->type, OT_ICEBERG);
	assert_dec(r->display_qty, "0.1");
	assert_dec(r->limit_price, "61000");

	/* Stop-loss on the index, stop-loss-limit, take-profit, take-profit-limit. */
	tk_key("s");
	tk_choose("Type", "stop-loss");
	assert_false(tk_shown("Limit price"));
	tk_set("Size", "0.5");
	tk_set("Trigger price", "58000");
	tk_choose("Trigger on", "index");
	tk_send_it();
	r = tk_last_place();
	assert_int_equal(r->type, OT_STOP);
	assert_dec(r->trigger_price, "58000");
	assert_int_equal(r->signal, TRIG_INDEX);
	assert_true(dec_is_zero(r->limit_price));
	tk_key("s");
	tk_choose("Type", "stop-loss-limit");
	tk_set("Size", "0.5");
	tk_set("Limit price", "57900");
	tk_set("Trigger price", "58000");
	tk_send_it();
	assert_int_equal(tk_last_place()->type, OT_STOP_LIMIT);
	assert_dec(tk_last_place()->limit_price, "57900");
	assert_dec(tk_last_place()->trigger_price, "58000");
	tk_key("s");
	tk_choose("Type", "take-profit");
	tk_set("Size", "0.5");
	tk_set("Trigger price", "62000");
	tk_send_it();
	assert_int_equal(tk_last_place()->type, OT_TAKE_PROFIT);
	assert_int_equal(tk_last_place()->signal, TRIG_LAST);
	tk_key("s");
	tk_choose("Type", "take-profit-limit");
	tk_set("Size", "0.5");
	tk_set("Limit price", "61900");
	tk_set("Trigger price", "62000");
	tk_send_it();
	assert_int_equal(tk_last_place()->type, OT_TAKE_PROFIT_LIMIT);
	assert_dec(tk_last_place()->limit_price, "61900");

	/* Trailing stop 1.5 %, trailing-stop-limit 100 with a 0.5 % limit offset. */
	tk_key("s");
	tk_choose("Type", "trailing-stop");
	assert_true(tk_shown("Trail offset") && !tk_shown("Limit offset"));
	tk_set("Size", "0.5");
	tk_set("Trail offset", "1.5%");
	tk_send_it();
	r = tk_last_place();
	assert_int_equal(r->type, OT_TRAILING_STOP);
	assert_dec(r->trail_offset, "1.5");
	assert_true(r->trail_pct);
	tk_key("s");
	tk_choose("Type", "trailing-stop-limit");
	tk_set("Size", "0.5");
	tk_set("Trail offset", "100");
	tk_set("Limit offset", "0.5%");
	tk_send_it();
	r = tk_last_place();
	assert_int_equal(r->type, OT_TRAILING_STOP_LIMIT);
	assert_dec(r->trail_offset, "100");
	assert_false(r->trail_pct);
	assert_dec(r->trail_limit_offset, "0.5");
	assert_true(r->trail_limit_pct);

	/* Margin buy at 3x, reduce-only, with a conditional stop-loss close. */
	tk_key("b");
	tk_set("Size", "0.01");
	tk_choose("Leverage", "3x");
	assert_true(tk_shown("Reduce-only"));
	tk_go("Reduce-only");
	tk_key("y");
	tk_choose("Close", "stop-loss");
	assert_true(tk_shown("Close price") && !tk_shown("Close limit"));
	tk_set("Close price", "55000");
	tk_send_it();
	r = tk_last_place();
	assert_int_equal(r->leverage, 3);
	assert_true(r->reduce_only);
	assert_true(r->close.set);
	assert_int_equal(r->close.type, OT_STOP);
	assert_dec(r->close.price, "55000");
	assert_int_equal(tk_fk.nplace, 11);
	tk_stop();
}

/* settle-position (spot margin): only size and leverage apply; without a
 * leverage the reason is beside the field and nothing is sent. */
static void spot_settle_position(void **state)
{
	(void)state;
	tk_start(false, true, NULL);
	tk_key("s");
	tk_choose("Type", "settle-position");
	assert_true(tk_shown("Size") && tk_shown("Leverage"));
	assert_false(tk_shown("Limit price") || tk_shown("Trigger price") ||
	             tk_shown("Trail offset") || tk_shown("Display size") ||
	             tk_shown("Time in force") || tk_shown("Post-only") || tk_shown("Reduce-only") ||
	             tk_shown("Size in") || tk_shown("Close") || tk_shown("Close price"));
	tk_set("Size", "0.5");
	tk_key("Enter");
	assert_int_equal(tk_sent(), 0);
	assert_non_null(strstr(tk_ui->msg, "not sent: Leverage: settle-position closes a margin "
	                                   "position: choose its leverage"));
	tk_choose("Leverage", "2x");
	assert_false(tk_shown("Reduce-only"));
	tk_send_it();
	const struct order_req *r = tk_last_place();
	assert_int_equal(r->side, SIDE_SELL);
	assert_int_equal(r->type, OT_SETTLE_POSITION);
	assert_int_equal(r->leverage, 2);
	assert_dec(r->qty, "0.5");
	assert_false(r->reduce_only || r->post_only || r->close.set);
	assert_true(dec_is_zero(r->limit_price) && dec_is_zero(r->trigger_price));
	tk_stop();
}

/* An armed live profile disarms itself after the idle time without a key
 * (here 2 s), says so, and sends nothing until armed again. */
static void idle_disarm(void **state)
{
	(void)state;
	tk_start(true, false, NULL);
	tk_ui->o.arm_idle_ms = 2000;
	tk_key("A");
	assert_true(tk_ui->armed);
	assert_true(ui_can_trade(tk_ui, T0 + 2000)); /* exactly the idle time: still armed */
	ui_key(tk_ui, "b", "b", T0 + 1500);          /* a key restarts the idle time */
	assert_true(ui_can_trade(tk_ui, T0 + 3400));
	tk_ui->msg[0] = '\0';
	assert_false(ui_can_trade(tk_ui, T0 + 3600));
	assert_false(tk_ui->armed);
	assert_string_equal(tk_ui->msg, "disarmed after 2 seconds without a key");
	/* The order in the open ticket is not sent. */
	ui_key(tk_ui, "C-u", "", T0 + 3700);
	ui_key(tk_ui, "1", "1", T0 + 3700);
	ui_key(tk_ui, "Enter", "", T0 + 3700);
	ui_key(tk_ui, "y", "y", T0 + 3700);
	assert_int_equal(tk_sent(), 0);
	tk_stop();
}

static void futures_every_type(void **state)
{
	(void)state;
	tk_start(false, true, NULL);
	tk_key("/");
	tk_type("pf");
	tk_key("Enter");
	assert_int_equal(tk_ui->instr, tk_perp);
	tk_key("b");
	assert_string_equal(tk_field("Instrument")->text, "PF_XBTUSD  (futures)");
	assert_false(tk_shown("Leverage") || tk_shown("Size in"));
	assert_true(tk_shown("Reduce-only"));
	tk_choose("Type", "market");
	tk_set("Size", "2");
	tk_send_it();
	assert_int_equal(tk_last_place()->type, OT_MARKET);
	assert_dec(tk_last_place()->qty, "2");

	tk_key("s");
	tk_set("Size", "1");
	tk_set("Limit price", "61000");
	tk_go("Post-only");
	tk_key("Space");
	tk_send_it();
	assert_true(tk_last_place()->post_only);
	assert_dec(tk_last_place()->limit_price, "61000");
	tk_key("s");
	tk_set("Size", "1");
	tk_set("Limit price", "59000");
	tk_choose("Time in force", "FOK");
	tk_send_it();
	assert_int_equal(tk_last_place()->tif, TIF_FOK);

	/* The brief's example: a reduce-only stop-market on mark. */
	tk_key("s");
	tk_choose("Type", "stop");
	assert_false(tk_shown("Limit price") || tk_shown("Post-only") || tk_shown("Time in force"));
	tk_set("Size", "0.5");
	tk_set("Trigger price", "59000.0");
	tk_go("Reduce-only");
	tk_key("Space");
	tk_key("Enter");
	assert_string_equal(
	        tk_ui->form->confirm,
	        "SELL 0.5 PF_XBTUSD stop-market, trigger 59,000.0 on mark, reduce-only");
	tk_key("y");
	const struct order_req *r = tk_last_place();
	assert_int_equal(r->type, OT_STOP);
	assert_int_equal(r->signal, TRIG_MARK);
	assert_true(r->reduce_only);
	assert_dec(r->trigger_price, "59000.0");

	tk_key("s");
	tk_choose("Type", "stop-limit");
	tk_set("Size", "1");
	tk_set("Limit price", "58900");
	tk_set("Trigger price", "59000");
	tk_choose("Trigger on", "last");
	tk_send_it();
	assert_int_equal(tk_last_place()->type, OT_STOP_LIMIT);
	assert_int_equal(tk_last_place()->signal, TRIG_LAST);
	tk_key("b");
	tk_choose("Type", "take-profit");
	tk_set("Size", "1");
	tk_set("Trigger price", "59000");
	tk_send_it();
	assert_int_equal(tk_last_place()->type, OT_TAKE_PROFIT);
	assert_int_equal(tk_last_place()->side, SIDE_BUY);
	tk_key("b");
	tk_choose("Type", "take-profit-limit");
	tk_set("Size", "1");
	tk_set("Limit price", "59100");
	tk_set("Trigger price", "59000");
	tk_send_it();
	assert_int_equal(tk_last_place()->type, OT_TAKE_PROFIT_LIMIT);
	tk_key("s");
	tk_choose("Type", "trailing-stop");
	assert_false(tk_shown("Limit offset"));
	tk_set("Size", "1");
	tk_set("Trail offset", "200");
	tk_choose("Trigger on", "index");
	tk_send_it();
	r = tk_last_place();
	assert_int_equal(r->type, OT_TRAILING_STOP);
	assert_dec(r->trail_offset, "200");
	assert_int_equal(r->signal, TRIG_INDEX);
	assert_int_equal(tk_fk.nplace, 8);
	tk_stop();
}

/* Each problem is shown beside its field, and Enter sends nothing. */
static void validation_beside_fields(void **state)
{
	(void)state;
	tk_start(false, true, NULL);
	tk_key("b");
	tk_set("Size", "0.0.1");
	assert_non_null(strstr(tk_field("Size")->error, "unexpected '.'"));
	tk_key("Enter");
	assert_int_equal(tk_ui->form->stage, FS_EDIT);
	assert_non_null(strstr(tk_ui->msg, "not sent: Size"));
	tk_set("Size", "0.00001");
	assert_string_equal(tk_field("Size")->error,
	                    "size is below the minimum order of 0.0001 BTC");
	tk_set("Size", "0.01");
	tk_set("Limit price", "60000.05");
	assert_string_equal(tk_field("Limit price")->error, "tick grid: press r for 60000.0");
	assert_true(tk_screen_has("tick grid: press r for 60000.0"));
	tk_key("Enter");
	assert_int_equal(tk_ui->form->stage, FS_EDIT);
	tk_set("Limit price", "60000");
	tk_choose("Leverage", "3x");
	tk_choose("Side", "sell");
	assert_string_equal(tk_field("Leverage")->error,
	                    "leverage 3 is not allowed for BTC/USD (choose 2)");
	tk_choose("Leverage", "none");
	tk_choose("Side", "buy");
	tk_choose("Type", "stop-loss");
	tk_choose("Side", "sell");
	tk_set("Trigger price", "61000");
	assert_non_null(strstr(tk_field("Trigger price")->error, "would trigger at once"));
	tk_choose("Type", "limit");
	tk_choose("Time in force", "GTD");
	tk_set("Expires", "tomorrow");
	assert_non_null(strstr(tk_field("Expires")->error, "a duration (30m, 2h, 1d)"));
	tk_key("Enter");
	assert_int_equal(tk_ui->form->stage, FS_EDIT);
	tk_key("Esc");
	assert_null(tk_ui->form);

	/* Funds, with private data: not enough USD beside the size. */
	tk_st.has_keys[PRODUCT_SPOT] = true;
	struct balance b;
	memset(&b, 0, sizeof b);
	strcpy(b.asset, "USD");
	b.total = b.available = D("100");
	state_set_balances(&tk_st, &b, 1);
	tk_key("b");
	tk_set("Size", "0.01");
	assert_non_null(strstr(tk_field("Size")->error, "not enough USD"));
	tk_key("Enter");
	tk_key("Esc");

	/* Futures: reduce-only without a position, lot size, margin. */
	tk_st.has_keys[PRODUCT_FUTURES] = true;
	struct futures_account fa;
	memset(&fa, 0, sizeof fa);
	fa.available_margin = D("100");
	state_set_futures_account(&tk_st, &fa);
	ui_set_instrument(tk_ui, tk_perp);
	tk_key("b");
	tk_set("Size", "1");
	tk_go("Reduce-only");
	tk_key("Space");
	assert_string_equal(tk_field("Reduce-only")->error,
	                    "reduce-only: there is no short position in PF_XBTUSD to reduce");
	tk_key("Space");
	assert_non_null(strstr(tk_field("Size")->error, "not enough margin"));
	tk_set("Size", "0.00005");
	assert_string_equal(tk_field("Size")->error, "size is below the lot size 0.0001");
	tk_key("Enter");
	assert_int_equal(tk_sent(), 0);
	tk_stop();
}

static void rounding_only_with_r(void **state)
{
	(void)state;
	tk_start(false, true, NULL);
	tk_key("s");
	tk_set("Size", "0.123456789"); /* lot 0.00000001 */
	tk_set("Limit price", "61000.04");
	assert_string_equal(tk_field("Size")->error, "lot grid: press r for 0.12345678");
	assert_string_equal(tk_field("Limit price")->error, "tick grid: press r for 61000.1");
	assert_non_null(strstr(tk_ui->form->status, "Press r"));
	tk_key("Enter");
	assert_int_equal(tk_sent(), 0);
	tk_key("r");
	assert_string_equal(tk_field("Size")->text, "0.12345678");
	assert_string_equal(tk_field("Limit price")->text, "61000.1");
	assert_string_equal(tk_field("Limit price")->error, "");
	tk_send_it();
	assert_dec(tk_last_place()->qty, "0.12345678");
	assert_dec(tk_last_place()->limit_price, "61000.1");
	tk_stop();
}

static void backing_out_sends_nothing(void **state)
{
	(void)state;
	tk_start(false, true, NULL);
	tk_key("b");
	tk_set("Size", "0.01");
	tk_key("Enter");
	assert_int_equal(tk_ui->form->stage, FS_CONFIRM);
	tk_key("Esc");
	assert_int_equal(tk_ui->form->stage, FS_EDIT);
	assert_string_equal(tk_ui->msg, "not sent");
	tk_key("Enter");
	tk_key("n");
	assert_int_equal(tk_ui->form->stage, FS_EDIT);
	tk_key("Esc");
	assert_null(tk_ui->form);
	assert_int_equal(tk_sent(), 0);
	assert_int_equal(tk_njournal, 0);
	tk_stop();
}

static void guard_forces_second_confirmation(void **state)
{
	(void)state;
	tk_start(false, true, "1000");
	tk_key("b");
	tk_set("Size", "0.1"); /* 6,000 USD */
	assert_true(tk_screen_has("Guard: the order is worth 6,000.00 USD"));
	tk_key("Enter");
	assert_int_equal(tk_ui->form->stage, FS_CONFIRM);
	assert_string_equal(
	        tk_ui->form->warning,
	        "GUARD: the order is worth 6,000.00 USD, above your limit of 1,000 USD");
	tk_key("Enter");
	assert_int_equal(tk_ui->form->stage, FS_CONFIRM2);
	assert_true(tk_screen_has("Really send?"));
	assert_int_equal(tk_sent(), 0);
	tk_key("y");
	assert_int_equal(tk_fk.nplace, 1);
	tk_stop();

	/* Paper with confirmations off: sent on Enter, unless a guard fires. */
	tk_start(false, false, "1000");
	tk_key("b");
	tk_set("Size", "0.01");
	tk_key("Enter");
	assert_null(tk_ui->form);
	assert_int_equal(tk_fk.nplace, 1);
	tk_key("b");
	tk_set("Size", "0.1");
	tk_key("Enter");
	assert_int_equal(tk_ui->form->stage, FS_CONFIRM2);
	assert_int_equal(tk_fk.nplace, 1);
	tk_key("Esc");
	tk_key("Esc");
	tk_stop();
}

static void live_needs_arming(void **state)
{
	(void)state;
	tk_start(true, false, NULL); /* live ignores "confirm = false" */
	tk_key("b");
	tk_set("Size", "0.01");
	assert_non_null(strstr(tk_ui->form->status, "LIVE, not armed"));
	tk_key("Enter");
	assert_int_equal(tk_ui->form->stage, FS_CONFIRM);
	tk_key("y");
	assert_string_equal(tk_ui->msg, "LIVE and not armed: nothing was sent (arm with A)");
	assert_int_equal(tk_sent(), 0);
	assert_non_null(tk_ui->form);
	tk_key("A"); /* arm from the confirmation */
	assert_true(tk_ui->armed);
	tk_key("y");
	assert_int_equal(tk_fk.nplace, 1);
	/* Disarmed: a nudge sends nothing either. */
	tk_ui->armed = false;
	struct order *o = state_order_upsert(&tk_st, "O1");
	o->instr = tk_spot;
	o->side = SIDE_BUY;
	o->type = OT_LIMIT;
	o->status = OS_OPEN;
	o->qty = D("0.5");
	o->limit_price = D("59000.0");
	state_order_changed(&tk_st, o);
	tk_key("5");
	tk_key("Right");
	assert_int_equal(tk_fk.namend, 0);
	assert_non_null(strstr(tk_ui->msg, "not armed"));
	tk_stop();
}

static void results_and_journal(void **state)
{
	(void)state;
	tk_start(false, true, NULL);
	tk_key("b");
	tk_set("Size", "0.01");
	tk_send_it();
	assert_string_equal(tk_ui->msg, "sending: BUY 0.01 BTC/USD limit, limit 60,000.0");
	tk_complete(INTENT_OK, "");
	assert_string_equal(tk_ui->msg,
	                    "placed (id OID-1): BUY 0.01 BTC/USD limit, limit 60,000.0");
	tk_key("b");
	tk_set("Size", "0.02");
	tk_send_it();
	tk_complete(INTENT_REJECTED, "not enough USD for this order");
	assert_string_equal(tk_ui->msg, "order rejected: not enough USD for this order");
	assert_int_equal(tk_njournal, 4);
	assert_string_equal(tk_journal[0], "intent|BUY 0.01 BTC/USD limit, limit 60,000.0");
	assert_string_equal(tk_journal[1], "ack|BUY 0.01 BTC/USD limit, limit 60,000.0 | id OID-1");
	assert_string_equal(tk_journal[2], "intent|BUY 0.02 BTC/USD limit, limit 60,000.0");
	assert_string_equal(tk_journal[3],
	                    "reject|BUY 0.02 BTC/USD limit, limit 60,000.0 | "
	                    "EOrder:Insufficient funds: not enough USD for this order");
	/* A result after the UI is gone touches nothing (ASan would tell). */
	tk_key("b");
	tk_set("Size", "0.03");
	tk_send_it();
	trade_ui_detach(tk_ui);
	ui_free(tk_ui);
	tk_complete(INTENT_OK, "");
	state_free(&tk_st);
}

static void order_at_book_level(void **state)
{
	(void)state;
	tk_start(false, true, NULL);
	tk_key("Enter"); /* nothing selected in the book */
	assert_null(tk_ui->form);
	tk_key("Up"); /* the best ask: a buy at that price */
	tk_key("Enter");
	assert_int_equal(form_choice(tk_ui->form, 2), 0); /* TF_SIDE: buy */
	assert_string_equal(tk_field("Limit price")->text, "60001.0");
	tk_key("Esc");
	tk_key("Down"); /* the best bid: a sell at that price */
	tk_key("Enter");
	assert_string_equal(tk_field("Side")->choices[tk_field("Side")->choice], "sell");
	assert_string_equal(tk_field("Limit price")->text, "60000.0");
	tk_key("Esc");
	/* order_ticket from a position: the closing order. */
	tk_set_position(false);
	tk_key("6");
	tk_key("n");
	assert_string_equal(tk_field("Side")->choices[tk_field("Side")->choice], "sell");
	assert_string_equal(tk_field("Size")->text, "2");
	assert_true(tk_field("Reduce-only")->on);
	tk_key("Esc");
	assert_int_equal(tk_sent(), 0);
	tk_stop();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(shipped_keymaps_name_known_actions),
	        cmocka_unit_test(spot_every_type),
	        cmocka_unit_test(spot_settle_position),
	        cmocka_unit_test(idle_disarm),
	        cmocka_unit_test(futures_every_type),
	        cmocka_unit_test(validation_beside_fields),
	        cmocka_unit_test(rounding_only_with_r),
	        cmocka_unit_test(backing_out_sends_nothing),
	        cmocka_unit_test(guard_forces_second_confirmation),
	        cmocka_unit_test(live_needs_arming),
	        cmocka_unit_test(results_and_journal),
	        cmocka_unit_test(order_at_book_level),
	};
	return kt_run_tests(tests);
}
