#!/bin/sh
# Futures and transfers from the keyboard against the paper exchange, checked
# from outside with a second, signed REST client (tests/tui/rest.sh); krakterm
# runs a live-style profile pointing at `krakterm paper`, armed with A.
# Proves: a transfer spot -> futures and one futures -> spot move exactly the
# amount at the exchange and in both wallet panes; a futures limit order
# through the ticket is at the exchange with the exact parameters; orders
# placed by another client show up in the orders pane; X cancels every order
# of the current instrument and only those, M-x every order on both products;
# a futures market buy fills and the positions and futures wallet panes show
# it; set leverage makes the contract isolated at that leverage, m switches it
# to cross and back to isolated (at 50x: past the max-leverage guard, so it
# asks twice); the journal holds every intent and its ack.
. "$KT_TOP_SRCDIR/tests/tui/lib.sh"
. "$KT_TOP_SRCDIR/tests/tui/screen.sh"
e2e_begin 44
e2e_paper_start || exit 1
. "$KT_TOP_SRCDIR/tests/tui/rest.sh"

D=$((5 * TUI_SLOW))
dec() { python3 -c 'import sys; from decimal import Decimal; print(eval(sys.argv[1], {"D": Decimal}).normalize())' "$1"; }
spot_usd() { dec "D('$(kx spot BalanceEx | kxq 'r["result"]["ZUSD"]["balance"]')')"; }
fut_usd() { dec "D('$(kx fut GET accounts | kxq 'r["accounts"]["flex"]["currencies"]["USD"]["quantity"]')')"; }
fut_open() {
	kx fut GET openorders | kxq '"\n".join(sorted("%s %s %s %s %s" % (o["symbol"], o["side"],
		o["orderType"], o["limitPrice"], o["unfilledSize"]) for o in r["openOrders"]))'
}
n_fut_open() { kx fut GET openorders | kxq 'len(r["openOrders"])'; }
n_spot_open() { kx spot OpenOrders | kxq 'len(r["result"]["open"])'; }
lev_prefs() {
	kx fut GET leveragepreferences | kxq '" ".join("%s=%s" % (p["symbol"], p["maxLeverage"]) for p in r.get("leveragePreferences", []))'
}
# equal WHAT GOT EXPECTED: compare, saying what differs.
equal() { [ "$2" = "$3" ] || { diag "$1: got [$2], expected [$3]"; return 1; }; }

tui_start 200 60 -p e2e
tui_wait "LIVE" 10 >/dev/null && tui_wait "100,000.00" $D >/dev/null && tui_wait_gone "STALE" $D >/dev/null
tui_keys A
ok "armed" tui_wait "ARMED" 3

# ---- transfers ----
s0=$(spot_usd)
f0=$(fut_usd)
tui_keys t
ok "transfer form opens spot -> futures" \
	eval 'tui_wait "Transfer between wallets" 3 && tui_wait_re "From +< spot >" 1 && tui_wait_re "To +< futures >" 1'
tui_type 2500.5
ok "the preview shows both balances after" \
	eval 'tui_wait_re "spot +USD: 100000 -> 97499.5" 3 && tui_wait_re "futures +USD: 0 -> 2500.5" 1'
tui_keys Enter
ok "confirmation in words" tui_wait "TRANSFER 2,500.5 USD from spot to futures" 3
tui_keys y
ok "transferred, with the exchange's reference" tui_wait "transferred (ref " $D
ok "at the exchange: spot USD down by exactly 2500.5" equal "spot USD" "$(spot_usd)" "$(dec "D('$s0') - D('2500.5')")"
ok "at the exchange: futures collateral up by exactly 2500.5" equal "futures USD" "$(fut_usd)" "$(dec "D('$f0') + D('2500.5')")"
ok "both wallet panes updated" \
	eval 'tui_wait_re "USD +97,499\.50 +97,499\.50 " $D && tui_wait_re "USD +2,500\.50 +2,500\.50" $D'

tui_keys 8 t
ok "from the futures wallet the form opens futures -> spot" \
	eval 'tui_wait "Transfer between wallets" 3 && tui_wait_re "From +< futures >" 1 && tui_wait_re "To +< spot >" 1'
tui_type 500.25
tui_keys Enter
tui_wait "TRANSFER 500.25 USD from futures to spot" 3 >/dev/null
tui_keys y
ok "transferred back" tui_wait "transferred (ref " $D
ok "at the exchange: spot USD up by exactly 500.25" equal "spot USD" "$(spot_usd)" "$(dec "D('$s0') - D('2500.5') + D('500.25')")"
ok "at the exchange: futures collateral down by exactly 500.25" equal "futures USD" "$(fut_usd)" "$(dec "D('$f0') + D('2500.5') - D('500.25')")"
ok "both wallet panes updated" \
	eval 'tui_wait_re "USD +97,999\.75 +97,999\.75 " $D && tui_wait_re "USD +2,000\.25 +2,000\.25" $D'

# ---- a futures limit order ----
tui_keys /
tui_type pf_xbtusd
tui_keys Enter
ok "switched to PF_XBTUSD" tui_wait " PF_XBTUSD " 3
F1=$(kx_px PF_XBTUSD -2 1)
tui_keys b
tui_wait "Order ticket: PF_XBTUSD" 3 >/dev/null
tui_type 0.01
tui_keys Tab C-u
tui_type "$F1"
ok "futures ticket previews the margin" tui_wait_re "Margin \+[0-9.,]+ USD \(2% initial\)" 3
tui_keys Enter
ok "confirmation in words" tui_wait "BUY 0.01 PF_XBTUSD limit, limit $(grouped "$F1" 0)" 3
tui_keys y
ok "placed: the message line names the order id" tui_wait "placed (id " $D
ok "in the orders pane" tui_wait_re "PF_XBTUSD +buy +limit +0\.0100 +0\.0000 +$(grouped "$F1" 0) " $D
ok "at the exchange: PF_XBTUSD buy lmt, exact price and size" \
	equal "futures orders" "$(fut_open)" "PF_XBTUSD buy lmt $F1.0 0.01"

# ---- orders from another client; cancel all of one instrument; cancel all ----
F2=$(kx_px PF_XBTUSD -3 1)
S1=$(kx_px BTC/USD -3 0.1)
kx fut POST sendorder orderType=lmt symbol=PF_XBTUSD side=buy size=0.02 limitPrice="$F2" >/dev/null
kx spot AddOrder pair=XBTUSD type=buy ordertype=limit price="$S1" volume=0.03 >/dev/null
ok "orders placed elsewhere appear in the orders pane" \
	eval 'tui_wait_re "PF_XBTUSD +buy +limit +0\.0200" $D && tui_wait_re "BTC/USD +buy +limit +0\.0300" $D'
tui_keys X
ok "X: a confirmation with the count of this instrument's orders" \
	tui_wait "CANCEL ALL 2 open orders of PF_XBTUSD" 3
tui_keys y
ok "cancelled 2" tui_wait "cancelled 2 orders" $D
ok "at the exchange: no futures order left, the spot one untouched" \
	eval 'equal futures "$(n_fut_open)" 0 && equal spot "$(n_spot_open)" 1'
kx fut POST sendorder orderType=lmt symbol=PF_XBTUSD side=buy size=0.02 limitPrice="$F2" >/dev/null
tui_wait_re "PF_XBTUSD +buy +limit +0\.0200" $D >/dev/null
tui_keys M-x
ok "M-x: a confirmation with the counts of both products" \
	tui_wait "CANCEL ALL 2 open orders (1 spot, 1 futures)" 3
tui_keys y
ok "cancelled: one request per product" tui_wait "cancelled 1 order" $D
ok "at the exchange: no order left on either product" \
	eval 'equal futures "$(n_fut_open)" 0 && equal spot "$(n_spot_open)" 0'
ok "orders pane empty" tui_wait "no open orders" $D

# ---- a market buy, the position, leverage and margin mode ----
kx_wait_asks PF_XBTUSD
tui_keys b
tui_wait "Order ticket: PF_XBTUSD" 3 >/dev/null
tui_keys BTab
tui_type m # the Type field: "market"
tui_keys Tab C-u
tui_type 0.01
tui_keys Enter
tui_wait "BUY 0.01 PF_XBTUSD market" 3 >/dev/null
tui_keys y
ok "market buy placed" tui_wait "placed (id " $D
ok "positions pane: long 0.01 PF_XBTUSD, cross" \
	tui_wait_re "PF_XBTUSD +long +0\.0100 .* cross" $D
ok "futures wallet: initial margin in use" tui_wait_re "Init margin +[1-9][0-9.,]* " $D
ok "at the exchange: a long position of 0.01" \
	equal position "$(kx fut GET openpositions | kxq '" ".join("%s %s %s" % (p["symbol"], p["side"], p["size"]) for p in r["openPositions"])')" \
	"PF_XBTUSD long 0.01"
tui_keys 6 l
tui_wait "Leverage: PF_XBTUSD" 3 >/dev/null
tui_type 5
tui_keys Enter
ok "leverage: confirmation in words" tui_wait "SET PF_XBTUSD to isolated margin at 5x leverage" 3
tui_keys y
ok "leverage set: isolated 5x in the positions pane" tui_wait_re "PF_XBTUSD +long .* 5x +isolated" $D
ok "at the exchange: leverage preference 5" equal prefs "$(lev_prefs)" "PF_XBTUSD=5"
tui_keys m
ok "m: switch to cross, in words" tui_wait "SET PF_XBTUSD to cross margin" 3
tui_keys y
ok "cross in the positions pane; no preference at the exchange" \
	eval 'tui_wait_re "PF_XBTUSD +long .* cross" $D && equal prefs "$(lev_prefs)" ""'
tui_keys m
tui_wait "SET PF_XBTUSD to isolated margin at 50x leverage" 3 >/dev/null
tui_keys y
ok "m back to isolated at 50x: past the max-leverage guard, asks again" \
	tui_wait "Guard exceeded. Really send?" 3
tui_keys y
ok "isolated at 50x after the second yes" \
	eval 'tui_wait_re "PF_XBTUSD +long .* 50x +isolated" $D && equal prefs "$(lev_prefs)" "PF_XBTUSD=50"'
ok "all pane frames whole (with a position and its columns)" tui_frames_ok
# The smallest wide layout and a forced wide 80x24: the orders and positions
# tables are wider than their panes; what does not fit is left out.
tui_resize 140 36
ok "140x36: frames whole (wide tables cut at the pane, not over it)" \
	tui_frames_wait 3
tui_resize 80 24
tui_wait "1 Book  2 Watch" 3 >/dev/null # compact: resized before L toggles
tui_keys L
ok "forced wide 80x24: frames whole" eval 'tui_wait "wide layout" 3 && tui_frames_wait 3'
tui_keys L
tui_resize 200 60

# ---- the journal ----
J="$XDG_STATE_HOME/krakterm/journal-e2e.jsonl"
jcount() { python3 -c 'import json,sys; print(sum(1 for l in open(sys.argv[1]) if json.loads(l)["kind"] == sys.argv[2]))' "$J" "$1"; }
ok "journal: an intent and an ack for each request (2 transfers, order, 3 cancel-alls, market, 3 margin changes)" \
	eval 'equal intents "$(jcount intent)" 10 && equal acks "$(jcount ack)" 10'
ok "journal: transfers with their reference, cancel-alls with their count" \
	eval 'grep -q "\"ack\".*TRANSFER 2,500.5 USD from spot to futures | ref ." "$J" &&
	grep -q "\"ack\".*CANCEL ALL 2 open futures orders of PF_XBTUSD | 2 cancelled" "$J"'
ok "q quits cleanly (status 0, no sanitizer report)" tui_quit_ok
tui_stop
e2e_end
