#!/bin/sh
# `krakterm order` without --yes on a LIVE profile asks on the terminal, run in
# tmux (a real terminal) against the paper exchange; the exchange is checked
# from outside with a second, signed REST client (tests/tui/rest.sh).
# Proves: the question states the exact order in words and that the profile is
# LIVE; answering n (or just Enter) sends nothing and exits 2 with "not
# confirmed"; answering y places exactly that order (exit 0, the order id
# printed) and the journal holds its intent and ack, and nothing of the ones
# refused.
. "$KT_TOP_SRCDIR/tests/tui/lib.sh"
. "$KT_TOP_SRCDIR/tests/tui/screen.sh"
e2e_begin 9
e2e_paper_start || exit 1
. "$KT_TOP_SRCDIR/tests/tui/rest.sh"

D=$((5 * TUI_SLOW))
n_open() { kx spot OpenOrders | kxq 'len(r["result"]["open"])'; }
open_orders() {
	kx spot OpenOrders | kxq '"\n".join(sorted("%s %s %s %s" % (o["descr"]["type"],
		o["descr"]["ordertype"], o["descr"]["price"], o["vol"]) for o in r["result"]["open"].values()))'
}
P=$(kx_px BTC/USD -3 0.1)
WORDS="LIVE (real money): Send BUY 0.01 BTC/USD limit, limit $(grouped "$P" 1)? [y/N]"
J="$XDG_STATE_HOME/krakterm/journal-e2e.jsonl"

# ask ANSWER: run the order in tmux, wait for the question, type ANSWER and Enter.
ask() {
	tui_start 160 12 -p e2e order BTC/USD buy limit 0.01 "$P"
	tui_wait "$WORDS" $((4 * D)) || return 1
	[ -n "$1" ] && tui_type "$1"
	tui_keys Enter
	tui_exited $D
}

ok "n: the question names the order and says LIVE" ask n
ok "n: exit 2, 'not confirmed: nothing was sent'" \
	eval '[ "$TUI_STATUS" = 2 ] && grep -q "not confirmed: nothing was sent" "$TUI_LOG"'
tui_stop
ok "n: nothing at the exchange" test "$(n_open)" = 0

ok "Enter alone is no" eval 'ask "" && [ "$TUI_STATUS" = 2 ]'
tui_stop
ok "Enter: nothing at the exchange" test "$(n_open)" = 0

ok "y: asked again" ask y
ok "y: exit 0, the order id printed" \
	eval '[ "$TUI_STATUS" = 0 ] && tui_screen | grep -q "O[A-Z0-9]\{5\}-[A-Z0-9]\{5\}-[A-Z0-9]\{6\}"'
tui_stop
ok "y: at the exchange, exactly that order" \
	test "$(open_orders)" = "buy limit $P $(python3 -c "print('%.8f' % 0.01)")"
jc() { python3 -c 'import json,sys; print(sum(1 for l in open(sys.argv[1]) if json.loads(l)["kind"] == sys.argv[2]))' "$J" "$1"; }
ok "journal: one intent and one ack (the refused ones sent nothing)" \
	eval '[ "$(jc intent)" = 1 ] && [ "$(jc ack)" = 1 ]'
e2e_end
