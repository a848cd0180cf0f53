#!/bin/sh
# Trading spot from the keyboard against the paper exchange, checked from
# outside with a second, signed REST client (tests/tui/rest.sh). krakterm runs
# a live-style profile pointing at `krakterm paper` and is armed with A first.
# Proves: a limit order placed through the ticket is at the exchange with the
# exact side, size and price and in the orders pane; a size below the minimum
# and a price off the tick are shown beside their fields and nothing is sent;
# backing out of the confirmation (n, Esc) sends nothing; the rounding
# suggestion is accepted with r and the rounded price is what is sent; amend
# (a new price) and nudge (exactly one tick) change the order in place; cancel
# removes exactly one order; a market buy fills and the spot wallet shows the
# bought BTC; the journal holds every intent and its ack, and the market
# buy's fills (size, instrument, order id) — once: a restarted krakterm does
# not journal the fills it receives on connecting again.
. "$KT_TOP_SRCDIR/tests/tui/lib.sh"
. "$KT_TOP_SRCDIR/tests/tui/screen.sh"
e2e_begin 38
e2e_paper_start || exit 1
. "$KT_TOP_SRCDIR/tests/tui/rest.sh"

D=$((5 * TUI_SLOW))
# The exchange's view: open spot orders as "side ordertype price vol" lines, sorted.
open_orders() {
	kx spot OpenOrders | kxq '"\n".join(sorted("%s %s %s %s" % (o["descr"]["type"],
		o["descr"]["ordertype"], o["descr"]["price"], o["vol"]) for o in r["result"]["open"].values()))'
}
n_open() { kx spot OpenOrders | kxq 'len(r["result"]["open"])'; }
# open_is TEXT: the exchange's open orders are exactly TEXT (lines, sorted).
open_is() {
	got=$(open_orders)
	[ "$got" = "$1" ] || { diag "open orders at the exchange: [$got], expected [$1]"; return 1; }
}
num() { python3 -c 'import sys; from decimal import Decimal; print(Decimal(sys.argv[1]).normalize())' "$1"; }
# vol SIZE: a size as the exchange prints it (8 decimals).
vol() { python3 -c 'import sys; from decimal import Decimal; print("%.8f" % Decimal(sys.argv[1]))' "$1"; }

# ticket SIZE PRICE: in an open ticket, type the size and the limit price.
ticket() {
	tui_wait "Order ticket: BTC/USD" 3 || return 1
	tui_keys C-u
	tui_type "$1"
	tui_keys Tab C-u
	tui_type "$2"
}

tui_start 200 60 -p e2e
ok "starts LIVE and read-only" eval 'tui_wait "LIVE" 10 && tui_wait "read-only" 2'
tui_wait "100,000.00" $D >/dev/null && tui_wait_gone "STALE" $D >/dev/null
tui_keys A
ok "A arms trading" tui_wait "ARMED" 3

# ---- a limit order through the ticket ----
P1=$(kx_px BTC/USD -2 0.1)
tui_keys b
ticket 0.01 "$P1"
ok "ticket: a valid buy shows its value and no problem" \
	eval 'tui_wait "Value " 3 && ! tui_screen | grep -q "Press r"'
tui_keys Enter
ok "confirmation in words" tui_wait "BUY 0.01 BTC/USD limit, limit $(grouped "$P1" 1)" 3
tui_keys y
ok "placed: the message line names the order id" tui_wait "placed (id O" $D
ok "the order is in the orders pane" tui_wait_re "BTC/USD +buy +limit +0\.0100 +0\.0000 +$(grouped "$P1" 1) " $D
ok "the order is at the exchange: buy limit, exact price and size" \
	open_is "buy limit $P1 $(vol 0.01)"

# ---- validation: nothing is sent ----
tui_keys b
ticket 0.00001 "$P1"
ok "a size below the minimum: the reason beside the size field" \
	tui_wait_re "Size +0\.00001 +.*(minimum|below)" 3
tui_keys Enter
ok "Enter refuses: 'not sent' on the message line" tui_wait "not sent: Size" 3
ok "the ticket stays open at its fields" eval 'tui_wait "Order ticket" 1 && tui_wait "Enter review" 1'
P2=$(kx_px BTC/USD -2.5 0.1)
tui_keys BTab C-u
tui_type 0.02
tui_keys Tab C-u
tui_type "${P2}5"
ok "a price off the tick: the rounding is offered beside the price" \
	tui_wait "tick grid: press r for $P2" 3
tui_keys Enter
ok "Enter refuses while the price is off the grid" tui_wait "not sent: Limit price" 3

# ---- backing out of the confirmation ----
tui_keys r
ok "r accepts the rounding: the field holds the rounded price" \
	eval 'tui_wait "rounded 1 value to the instrument" 3 && tui_wait_re "Limit price +${P2}_? +" 2'
tui_keys Enter
tui_wait "Send it?" 3 >/dev/null
tui_keys n
ok "n backs out of the confirmation: 'not sent', back at the fields" \
	eval 'tui_wait "not sent" 3 && tui_wait "Enter review" 2'
tui_keys Enter
tui_wait "Send it?" 3 >/dev/null
tui_esc
ok "Esc backs out too" tui_wait "Enter review" 3
ok "nothing was sent: still one order at the exchange" test "$(n_open)" = 1

# ---- the rounded order is sent ----
tui_keys Enter
tui_wait "Send it?" 3 >/dev/null
tui_keys y
ok "placed at the rounded price" tui_wait "limit $(grouped "$P2" 1)" $D
ok "at the exchange: both orders, exact" \
	eval 'open_is "$(printf "buy limit %s %s\nbuy limit %s %s" "$P1" "$(vol 0.01)" "$P2" "$(vol 0.02)" | sort)"'

# ---- amend, nudge, cancel (orders pane) ----
tui_keys 5
tui_wait_re "BTC/USD +buy +limit +0\.0200" $D >/dev/null
first=$(tui_screen | grep -E "BTC/USD +buy +limit" | head -n 1 | awk '{print $4}')
other=$(tui_screen | grep -E "BTC/USD +buy +limit" | sed -n 2p | awk '{print $4, $6}')
tui_keys a
ok "amend opens with the limit price" tui_wait "Amend order: BTC/USD" 3
P3=$(kx_px BTC/USD -3 0.1)
tui_keys C-u
tui_type "$P3"
tui_keys Enter
# The words confirmed are longer than the form is wide: they wrap onto the
# rows above the key line, whole, the new price included.
confirm_words() {
	tui_screen | python3 -c '
import sys
rows = sys.stdin.read().split("\n")
y = next(i for i, r in enumerate(rows) if "\u2502 Send it?" in r)
x = rows[y].index("\u2502 Send it?")
end = rows[y].index("\u2502", x + 1)
print(" ".join(r[x + 2:end].strip() for r in rows[y - 2:y]))'
}
ok "amend confirmation names the new price, whole" \
	eval 'tui_wait "AMEND BUY" 3 && confirm_words | grep -qF -- "-> $(grouped "$P3" 1)"'

tui_keys y
ok "amended: done on the message line" tui_wait "done: AMEND" $D
# The other order keeps its price; the selected one (size $first) now has P3.
osize=${other% *}
oprice=$(echo "${other#* }" | tr -d ,)
exp=$(printf "buy limit %s %s\nbuy limit %s %s" "$P3" "$(vol "$first")" "$oprice" "$(vol "$osize")" | sort)
ok "at the exchange: the amended order has the new price, the other is unchanged" open_is "$exp"

P4=$(python3 -c "from decimal import Decimal; print(Decimal('$P3') + Decimal('0.1'))")
tui_keys Right
ok "nudge up: sent at once, one tick" tui_wait "done: NUDGE" $D
exp=$(printf "buy limit %s %s\nbuy limit %s %s" "$P4" "$(vol "$first")" "$oprice" "$(vol "$osize")" | sort)
ok "at the exchange: exactly one tick (0.1) higher" open_is "$exp"

tui_keys c
ok "cancel asks for a confirmation naming the order" tui_wait "CANCEL BUY" 3
tui_keys y
ok "cancelled: done on the message line" tui_wait "done: CANCEL" $D
ok "at the exchange: only the other order is left" \
	open_is "buy limit $oprice $(vol "$osize")"

# ---- a market buy that fills ----
kx_wait_asks BTC/USD
tui_keys b
tui_wait "Order ticket: BTC/USD" 3 >/dev/null
tui_keys BTab
tui_type m # the Type field: "market"
tui_keys Tab C-u
tui_type 0.001
ok "market ticket previews the book walk" tui_wait "Book: avg fill" 3
tui_keys Enter
tui_wait "BUY 0.001 BTC/USD market" 3 >/dev/null
tui_keys y
ok "market buy placed" tui_wait "placed (id O" $D
ok "spot wallet shows the BTC bought" tui_wait_re "BTC +0\.00100000 " $D
btc() { num "$(kx spot Balance | kxq 'r["result"].get("XXBT", "0")')"; }
ok "at the exchange: exactly 0.001 BTC" eval '[ "$(btc)" = 0.001 ]'

# ---- the journal ----
J="$XDG_STATE_HOME/krakterm/journal-e2e.jsonl"
jcount() { python3 -c 'import json,sys; print(sum(1 for l in open(sys.argv[1]) if json.loads(l)["kind"] == sys.argv[2]))' "$J" "$1"; }
ok "journal: an intent for each request sent (2 orders, amend, nudge, cancel, market)" \
	test "$(jcount intent)" = 6
ok "journal: an ack for each, with the order id" \
	eval '[ "$(jcount ack)" = 6 ] && grep -q "\"ack\".*BUY 0.01 BTC/USD limit.* | id O" "$J"'
ok "journal: nothing refused or unknown" eval '[ "$(jcount reject)" = 0 ] && [ "$(jcount unknown)" = 0 ]'
# fills: the total size of the journal's fills ("BUY 0.001 BTC/USD (spot) at ...").
fills() {
	python3 - "$J" <<'EOPY'
import json, sys
from decimal import Decimal
tot = Decimal(0)
for l in open(sys.argv[1]):
    e = json.loads(l)
    if e["kind"] == "fill":
        w = e["text"].split()
        assert w[0] == "BUY" and w[2] == "BTC/USD" and w[3] == "(spot)", e["text"]
        tot += Decimal(w[1])
print(tot.normalize())
EOPY
}
# The fill of the market buy reaches krakterm a moment after its ack.
i=0
while [ "$(fills)" != 0.001 ] && [ $i -lt $((D * 5)) ]; do
	sleep 0.2
	i=$((i + 1))
done
mid=$(python3 -c 'import json,sys
for l in open(sys.argv[1]):
    e = json.loads(l)
    if e["kind"] == "ack" and "BTC/USD market" in e["text"]:
        print(e["text"].rsplit("| id ", 1)[1])' "$J")
ok "journal: the market buy's fills, 0.001 BTC/USD bought, with its order id" \
	eval '[ "$(fills)" = 0.001 ] && [ -n "$mid" ] && grep "\"kind\":\"fill\"" "$J" | grep -qF "| order $mid | fill "'
nf=$(jcount fill)
ok "q quits cleanly (status 0, no sanitizer report)" tui_quit_ok
tui_stop
# A new run receives the account's recent fills on connecting: not journalled again.
tui_start 200 60 -p e2e
tui_wait "LIVE" 10 >/dev/null && tui_wait_re "BTC +0\.00100000 " $D >/dev/null
tui_keys 5
tui_wait "BTC/USD" $D >/dev/null
ok "restarted: the earlier fill is not journalled again" eval 'sleep 1; [ "$(jcount fill)" = "$nf" ]'
ok "q quits cleanly again" tui_quit_ok
tui_stop
e2e_end
