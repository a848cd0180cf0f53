#!/bin/sh
# The dead man's switch, on a live-style profile with dead_man_switch = 10
# pointing at `krakterm paper`, checked from outside with a signed REST client
# (tests/tui/rest.sh). Proves: while krakterm runs the status bar counts down
# to the cancel time; quitting normally switches it off, so the orders are
# still there well after 10 s; when krakterm dies (kill -9, the paper exchange
# keeps running) every order on both products is cancelled by the exchange
# within about 10 s, and not at once (the timer, not the exit, cancels them).
. "$KT_TOP_SRCDIR/tests/tui/lib.sh"
. "$KT_TOP_SRCDIR/tests/tui/screen.sh"
e2e_begin 10
e2e_paper_start || exit 1
. "$KT_TOP_SRCDIR/tests/tui/rest.sh"
sed -i 's/dead_man_switch = 0;/dead_man_switch = 10;/' "$E2E_CONF"

D=$((5 * TUI_SLOW))
n_orders() {
	echo $(($(kx spot OpenOrders | kxq 'len(r["result"]["open"])') + \
		$(kx fut GET openorders | kxq 'len(r["openOrders"])')))
}
# dms_armed: the status bar shows the countdown to the exchange's cancel time.
dms_armed() { tui_wait_re "DMS 00:(0[0-9]|10) " $D; }

# One order on each product, placed from outside (the account is the same;
# the futures one needs collateral first).
kx spot WalletTransfer asset=USD from="Spot Wallet" to="Futures Wallet" amount=1000 >/dev/null
kx spot AddOrder pair=XBTUSD type=buy ordertype=limit price="$(kx_px BTC/USD -3 0.1)" volume=0.01 >/dev/null
kx fut POST sendorder orderType=lmt symbol=PF_XBTUSD side=buy size=0.01 limitPrice="$(kx_px PF_XBTUSD -3 1)" >/dev/null
ok "two open orders at the exchange" test "$(n_orders)" = 2

# ---- a normal quit switches the timer off ----
tui_start 200 60 -p e2e
tui_wait "LIVE" 10 >/dev/null
ok "the status bar counts down to the cancel time" dms_armed
ok "the orders show in the orders pane" \
	eval 'tui_wait_re "BTC/USD +buy +limit" $D && tui_wait_re "PF_XBTUSD +buy +limit" $D'
tui_keys q
ok "quits normally (status 0, no sanitizer report)" \
	eval 'tui_exited 10 && [ "$TUI_STATUS" = 0 ] && ! grep -q Sanitizer "$TUI_LOG"'
ok "journal: switched off at the normal exit" \
	grep -q "dead man's switch off (normal exit)" "$XDG_STATE_HOME/krakterm/journal-e2e.jsonl"
tui_stop
sleep 12
ok "12 s after a normal quit the orders are still there" test "$(n_orders)" = 2

# ---- krakterm dies: the exchange cancels everything ----
tui_start 200 60 -p e2e
tui_wait "LIVE" 10 >/dev/null
ok "running again, the switch re-armed" dms_armed
kill -9 "$TUI_PID"
ok "krakterm is gone (kill -9), the paper exchange still runs" \
	eval 'tui_exited 5 && kill -0 "$E2E_PAPER_PID"'
ok "right after the kill the orders are still open" test "$(n_orders)" = 2
cancelled() {
	end=$(($(date +%s) + 20))
	while [ "$(date +%s)" -lt $end ]; do
		[ "$(n_orders)" = 0 ] && return 0
		sleep 0.5
	done
	return 1
}
t0=$(date +%s)
ok "within about 10 s every order is cancelled by the exchange" cancelled
diag "cancelled $(($(date +%s) - t0)) s after the kill"
tui_stop
e2e_end
