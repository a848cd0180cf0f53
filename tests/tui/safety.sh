#!/bin/sh
# Trading safety in the TUI, on a live-style profile (explicit URLs and keys,
# pointing at `krakterm paper`; not the paper profile), checked from outside
# with a signed REST client (tests/tui/rest.sh). Proves: the profile starts
# disarmed ("read-only"); a ticket can be filled in and confirmed, but the
# confirmation is refused and nothing reaches the exchange; A inside the
# confirmation arms and y then sends; disarmed again, a nudge sends nothing;
# an order above max_order_notional needs a second, explicit confirmation
# (n there sends nothing); the journal holds no intent for what was refused;
# with arm_idle_timeout = 3s an armed profile disarms itself after 3 seconds
# without a key, says so, and sends nothing more.
. "$KT_TOP_SRCDIR/tests/tui/lib.sh"
. "$KT_TOP_SRCDIR/tests/tui/screen.sh"
e2e_begin 27
e2e_paper_start || exit 1
. "$KT_TOP_SRCDIR/tests/tui/rest.sh"
# A small fat-finger limit: 100 USD of notional.
sed -i 's/^    confirm = false;/    confirm = false; max_order_notional = "100";/' "$E2E_CONF"

D=$((5 * TUI_SLOW))
n_open() { kx spot OpenOrders | kxq 'len(r["result"]["open"])'; }
prices() { kx spot OpenOrders | kxq '" ".join(sorted(o["descr"]["price"] for o in r["result"]["open"].values()))'; }
equal() { [ "$2" = "$3" ] || { diag "$1: got [$2], expected [$3]"; return 1; }; }
J="$XDG_STATE_HOME/krakterm/journal-e2e.jsonl"
jcount() { python3 -c 'import json,sys; print(sum(1 for l in open(sys.argv[1]) if json.loads(l)["kind"] == sys.argv[2]))' "$J" "$1" 2>/dev/null || echo 0; }
# ticket SIZE PRICE: b, then the size and the limit price, then Enter.
ticket() {
	tui_keys b
	tui_wait "Order ticket: BTC/USD" 3 >/dev/null || return 1
	tui_type "$1"
	tui_keys Tab C-u
	tui_type "$2"
	tui_keys Enter
}

tui_start 200 60 -p e2e
ok "a live profile: the LIVE badge" tui_wait "LIVE" 10
ok "it starts disarmed: read-only" tui_wait " read-only " 2
tui_wait "100,000.00" $D >/dev/null && tui_wait_gone "STALE" $D >/dev/null

# ---- disarmed: nothing is sent ----
P1=$(kx_px BTC/USD -2 0.1)
tui_keys b
tui_wait "Order ticket: BTC/USD" 3 >/dev/null
ok "the ticket says nothing will be sent" tui_wait "LIVE, not armed: nothing will be sent" 3
tui_type 0.001
tui_keys Tab C-u
tui_type "$P1"
tui_keys Enter
ok "the confirmation is shown" tui_wait "BUY 0.001 BTC/USD limit" 3
tui_keys y
ok "confirming while disarmed is refused" \
	tui_wait "LIVE and not armed: nothing was sent (arm with A)" 3
ok "the form stays open" tui_wait "Order ticket: BTC/USD" 1
ok "nothing reached the exchange" equal "open orders" "$(n_open)" 0
ok "nothing journalled as sent" equal "journal intents" "$(jcount intent)" 0

# ---- arming inside the confirmation ----
tui_keys A
ok "A in the confirmation arms" tui_wait "ARMED" 3
tui_keys y
ok "y then sends" tui_wait "placed (id O" $D
ok "the order is at the exchange" equal "open orders" "$(n_open)" 1

# ---- disarmed again: a nudge sends nothing ----
tui_keys A
ok "A again disarms" tui_wait " read-only " 3
tui_keys 5
tui_wait_re "BTC/USD +buy +limit" $D >/dev/null
tui_keys Right
ok "a nudge while disarmed is refused" tui_wait "nothing was sent" 3
ok "the price at the exchange is unchanged" equal price "$(prices)" "$P1"

# ---- the fat-finger guard (max_order_notional 100) ----
tui_keys A
tui_wait "ARMED" 3 >/dev/null
ticket 0.01 "$P1"
ok "above max_order_notional: the confirmation says a guard fired" \
	eval 'tui_wait "BUY 0.01 BTC/USD limit" 3 && tui_wait "Send it? y/Enter: continue" 1'
tui_keys y
ok "the first yes asks a second time, naming the guard" \
	eval 'tui_wait "Guard exceeded. Really send?" 3 && tui_wait "GUARD:" 1 && tui_wait "100" 1'
tui_keys n
ok "n at the second confirmation: back, nothing sent" \
	eval 'tui_wait "not sent" 3 && equal "open orders" "$(n_open)" 1'
tui_keys Enter
tui_wait "Send it? y/Enter: continue" 3 >/dev/null
tui_keys y
tui_wait "Guard exceeded. Really send?" 3 >/dev/null
tui_keys y
ok "two explicit yeses send it" tui_wait "placed (id O" $D
ok "at the exchange: two orders now" equal "open orders" "$(n_open)" 2
ok "journal: two intents, two acks, no refusal journalled as sent" \
	eval 'equal intents "$(jcount intent)" 2 && equal acks "$(jcount ack)" 2'
ok "q quits cleanly (status 0, no sanitizer report)" tui_quit_ok
tui_stop

# ---- idle disarm: arm_idle_timeout = 3s ----
sed -i 's/^    confirm = false;/    confirm = false; arm_idle_timeout = "3s";/' "$E2E_CONF"
tui_start 200 60 -p e2e
tui_wait "LIVE" 10 >/dev/null && tui_wait "100,000.00" $D >/dev/null
tui_keys A
ok "idle timeout 3 s: A arms" tui_wait "ARMED" 3
ok "3 s without a key: disarmed by itself, read-only in the status bar" \
	tui_wait " read-only " $((3 + D))
ok "the message line says it was disarmed for want of a key" \
	tui_wait_re "disarmed after .* without a key" 1
n0=$(n_open)
ticket 0.001 "$P1"
tui_wait "BUY 0.001 BTC/USD limit" 3 >/dev/null
tui_keys y
ok "an order after the idle disarm is refused" \
	tui_wait "LIVE and not armed: nothing was sent (arm with A)" 3
ok "nothing more reached the exchange" equal "open orders" "$(n_open)" "$n0"
ok "q quits cleanly after the idle disarm" tui_quit_ok
tui_stop
e2e_end
