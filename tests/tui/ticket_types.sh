#!/bin/sh
# The order types beyond limit and market, placed through the order ticket
# against the paper exchange and checked at the exchange from outside, with a
# second, signed REST client (tests/tui/rest.sh) and with `krakterm orders
# --json` (a fresh client's view of what the exchange holds). krakterm runs a
# live-style profile pointing at `krakterm paper`, armed with A.
# Proves: spot buy stop-loss, take-profit-limit and trailing-stop orders and a
# post-only limit good till a date reach the exchange with the exact type,
# trigger and limit prices, offset, flag and expiry; futures stop (trigger on
# mark), take-profit (trigger on last) and trailing-stop orders and a
# reduce-only limit reach it with the exact type, trigger price, trigger signal
# and flag (the trailing stop's trigger 500 below the mark: the offset typed); a position is closed partly and then fully from the
# positions pane (reduce-only market orders: the exchange's position shrinks by
# exactly the size, then is gone); the journal holds a fill for each of the
# market orders, with their sizes.
. "$KT_TOP_SRCDIR/tests/tui/lib.sh"
. "$KT_TOP_SRCDIR/tests/tui/screen.sh"
e2e_begin 35
e2e_paper_start || exit 1
. "$KT_TOP_SRCDIR/tests/tui/rest.sh"

D=$((5 * TUI_SLOW))
vol() { python3 -c 'import sys; from decimal import Decimal; print("%.8f" % Decimal(sys.argv[1]))' "$1"; }
# until_eq WHAT EXPECTED CMD...: poll CMD until it prints EXPECTED (D seconds).
until_eq() {
	what=$1
	exp=$2
	shift 2
	end=$(($(date +%s) + D))
	while :; do
		got=$("$@" 2>/dev/null)
		[ "$got" = "$exp" ] && return 0
		[ "$(date +%s)" -ge $end ] && break
		sleep 0.2
	done
	diag "$what: got [$got], expected [$exp]"
	return 1
}
# spot_order TYPE: "side ordertype price price2 vol oflags" of the open spot orders of TYPE.
spot_order() {
	kx spot OpenOrders | kxq '"\n".join(sorted("%s %s %s %s %s %s" % (o["descr"]["type"],
		o["descr"]["ordertype"], o["descr"]["price"], o["descr"]["price2"], o["vol"], o["oflags"])
		for o in r["result"]["open"].values() if o["descr"]["ordertype"] == "'"$1"'"))'
}
# fut_order TYPE: "side orderType limit stop signal size reduceOnly" of the open futures orders of TYPE.
fut_order() {
	kx fut GET openorders | kxq '"\n".join(sorted("%s %s %s %s %s %s %s" % (o["side"],
		o["orderType"], o.get("limitPrice"), o.get("stopPrice"), o.get("triggerSignal"),
		o["unfilledSize"], o["reduceOnly"]) for o in r["openOrders"] if o["orderType"] == "'"$1"'"))'
}
# mine FILTER FORMAT: `krakterm orders --json`, the orders passing FILTER (Python over o) in FORMAT.
mine() {
	"$KT_BIN" -c "$E2E_CONF" -p e2e orders --json </dev/null 2>/dev/null |
		kxq '"\n".join(sorted('"$2"' for o in r if '"$1"'))'
}
position() {
	kx fut GET openpositions | kxq '" ".join("%s %s %s" % (p["symbol"], p["side"], p["size"]) for p in r["openPositions"])'
}

# open_type KEY LETTERS: open the ticket with b or s, choose the type by typing
# LETTERS on the Type field (each picks the next type starting with it), and
# come back to the size field, cleared.
open_type() {
	tui_keys "$1"
	tui_wait "Order ticket:" 3 >/dev/null || return 1
	tui_keys BTab
	tui_type "$2"
	tui_keys Tab C-u
}
# next TEXT: Tab to the next visible field, clear it, type TEXT.
next() {
	tui_keys Tab C-u
	tui_type "$1"
}
# send WORDS: Enter, the confirmation starts with WORDS, y, the form closes.
send() {
	tui_keys Enter
	tui_wait "$1" 3 || return 1
	tui_keys y
	tui_wait_gone "Send it?" $D
}

tui_start 200 60 -p e2e
tui_wait "LIVE" 10 >/dev/null && tui_wait "100,000.00" $D >/dev/null && tui_wait_gone "STALE" $D >/dev/null
tui_keys A
ok "armed" tui_wait "ARMED" 3

# ---- spot ----
ST=$(kx_px BTC/USD 3 0.1)
open_type b s
tui_type 0.001
next "$ST"
ok "spot stop-loss: trigger shown, no limit price" \
	eval 'tui_wait_re "Trigger price +$ST" 3 && ! tui_screen | grep -q "Limit price"'
ok "spot stop-loss: confirmed in words" send "BUY 0.001 BTC/USD stop-market, trigger $(grouped "$ST" 1) on last"
ok "at the exchange: buy stop-loss, trigger $ST, 0.001" \
	until_eq stop-loss "buy stop-loss $ST 0.0 $(vol 0.001) fciq" spot_order stop-loss

TT=$(kx_px BTC/USD -3 0.1)
TL=$(kx_px BTC/USD -2.9 0.1)
open_type b tt
tui_type 0.001
next "$TL"
next "$TT"
ok "spot take-profit-limit: confirmed in words" send "BUY 0.001 BTC/USD take-profit-limit"
ok "at the exchange: buy take-profit-limit, trigger $TT, limit $TL" \
	until_eq take-profit-limit "buy take-profit-limit $TT $TL $(vol 0.001) fciq" spot_order take-profit-limit

open_type b ttt
tui_type 0.001
next "2%"
ok "spot trailing-stop: confirmed in words" send "BUY 0.001 BTC/USD trailing-stop"
ok "at the exchange: buy trailing-stop, offset +2%" \
	until_eq trailing-stop "buy trailing-stop +2% 0.0 $(vol 0.001) fciq" spot_order trailing-stop
ok "krakterm orders --json: trailing offset 2 percent" \
	until_eq "orders --json" "2 True" mine 'o["type"] == "trailing-stop" and o["symbol"] == "BTC/USD"' '"%s %s" % (__import__("decimal").Decimal(o["trailing_offset"]).normalize(), o["trailing_pct"])'

PL=$(kx_px BTC/USD -4 0.1)
tui_keys b
tui_wait "Order ticket:" 3 >/dev/null
tui_keys C-u
tui_type 0.002
next "$PL"
tui_keys Tab Tab Space # leverage, post-only: on
tui_keys Tab Right Right # time in force: GTD
next 2h
ok "spot limit: post-only on, GTD with its expiry field" \
	eval 'tui_wait_re "Post-only +\[x\]|Post-only +< yes >|Post-only +yes" 3 && tui_wait_re "Expires +2h" 1'
now=$(date +%s)
ok "spot post-only GTD limit: confirmed in words" send "BUY 0.002 BTC/USD limit"
ok "at the exchange: buy limit $PL, post-only" \
	until_eq limit "buy limit $PL 0.0 $(vol 0.002) fciq,post" spot_order limit
exp=$(kx spot OpenOrders | kxq '[o["expiretm"] for o in r["result"]["open"].values() if o["descr"]["ordertype"] == "limit"][0]')
ok "at the exchange: expires 2 hours from now" \
	python3 -c "import sys; e=float('$exp'); sys.exit(not ($now + 7195 <= e <= $now + 7210))"

# ---- futures: collateral first ----
"$KT_BIN" -c "$E2E_CONF" -p e2e transfer USD 20000 spot futures --yes </dev/null >/dev/null 2>&1
tui_keys /
tui_type pf_xbtusd
tui_keys Enter
ok "switched to PF_XBTUSD, collateral in the futures wallet" \
	eval 'tui_wait " PF_XBTUSD " 3 && tui_wait_re "USD +20,000\.00" $D'

FS=$(kx_px PF_XBTUSD 3 1)
open_type b s
tui_type 0.01
next "$FS"
ok "futures stop: triggers on mark by default" tui_wait_re "Trigger on +< mark >" 3
ok "futures stop: confirmed in words" send "BUY 0.01 PF_XBTUSD stop-market, trigger $(grouped "$FS" 0) on mark"
ok "at the exchange: buy stp, trigger $FS on mark" \
	until_eq stop "buy stop None $FS.0 mark 0.01 False" fut_order stop

FT=$(kx_px PF_XBTUSD -3 1)
open_type b t
tui_type 0.01
next "$FT"
tui_keys Tab Right # trigger on: last
ok "futures take-profit: trigger on last" tui_wait_re "Trigger on +< last >" 3
ok "futures take-profit: confirmed in words" send "BUY 0.01 PF_XBTUSD take-profit-market, trigger $(grouped "$FT" 0) on last"
ok "at the exchange: buy take_profit, trigger $FT on last" \
	until_eq take_profit "buy take_profit None $FT.0 last 0.01 False" fut_order take_profit

open_type s ttt
tui_type 0.01
next 500
ok "futures trailing-stop: confirmed in words" send "SELL 0.01 PF_XBTUSD trailing-stop"
ok "at the exchange: sell trailing_stop of 0.01 on mark" \
	until_eq trailing_stop "sell trailing_stop mark 0.01" \
	eval 'fut_order trailing_stop | awk "{print \$1, \$2, \$5, \$6}"'
# The exchange's REST does not show the offset: its trigger is 500 below the
# highest mark since the order was placed (the mark moves a little meanwhile).
trail_gap() {
	stop=$(fut_order trailing_stop | awk '{print $4}')
	mark=$(curl -s "$E2E_URL/derivatives/api/v3/tickers/PF_XBTUSD" | kxq 'r["ticker"]["markPrice"]')
	python3 -c "import sys; g = $mark - $stop; sys.exit(not 350 <= g <= 510)" ||
		{ diag "mark $mark, trigger $stop"; return 1; }
}
ok "at the exchange: its trigger trails the mark by 500" trail_gap

# A position to reduce and close: a market buy of 0.03 (the book has asks).
until_eq "PF_XBTUSD asks" True eval "curl -s '$E2E_URL/derivatives/api/v3/orderbook?symbol=PF_XBTUSD' | kxq 'len(r[\"orderBook\"][\"asks\"]) > 5'" >/dev/null
open_type b m
tui_type 0.03
send "BUY 0.03 PF_XBTUSD market" >/dev/null
ok "a long position of 0.03 at the exchange" until_eq position "PF_XBTUSD long 0.03" position

FR=$(kx_px PF_XBTUSD 2 1)
tui_keys s
tui_wait "Order ticket:" 3 >/dev/null
tui_keys C-u
tui_type 0.01
next "$FR"
tui_keys Tab Space # reduce-only: on
ok "futures reduce-only limit: confirmed in words" send "SELL 0.01 PF_XBTUSD limit"
ok "at the exchange: sell lmt $FR, reduce-only" \
	until_eq lmt "sell lmt $FR.0 None None 0.01 True" fut_order lmt

# ---- closing the position from the positions pane ----
tui_keys 6
tui_wait_re "PF_XBTUSD +long +0\.0300" $D >/dev/null
tui_keys p
tui_wait "Size" 3 >/dev/null
tui_type 0.01
ok "partial close: confirmed in words" send "SELL 0.01 PF_XBTUSD market"
ok "at the exchange: the position is 0.02" until_eq position "PF_XBTUSD long 0.02" position
ok "positions pane: long 0.02" tui_wait_re "PF_XBTUSD +long +0\.0200" $D
tui_keys c
ok "full close: the whole 0.02, confirmed in words" send "SELL 0.02 PF_XBTUSD market"
ok "at the exchange: no position left" until_eq position "" position

# ---- the journal: a fill for each market order ----
J="$XDG_STATE_HOME/krakterm/journal-e2e.jsonl"
fills() {
	python3 - "$J" "$1" <<'EOPY'
import json, sys
from decimal import Decimal
tot = Decimal(0)
for l in open(sys.argv[1]):
    e = json.loads(l)
    w = e["text"].split()
    if e["kind"] == "fill" and w[0] == sys.argv[2] and w[2] == "PF_XBTUSD" and w[3] == "(futures)":
        tot += Decimal(w[1])
print(tot.normalize())
EOPY
}
ok "journal: fills of the futures market buy, 0.03 bought" until_eq "bought" 0.03 fills BUY
ok "journal: fills of both closes, 0.03 sold" until_eq "sold" 0.03 fills SELL
ok "journal: each fill names its order and fill id" \
	eval '! grep "\"kind\":\"fill\"" "$J" | grep -v "| order [^ -][^ ]* | fill [^ -]"'
ok "q quits cleanly (status 0, no sanitizer report)" tui_quit_ok
tui_stop
e2e_end
