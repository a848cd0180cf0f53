#!/bin/sh
# TUI basics in tmux: start on the embedded paper exchange at 80x24 (compact
# layout), live data in the panes, resize to 200x60 (wide) and back, switch
# instrument with the fuzzy switcher, the help overlay, quit cleanly.
. "$KT_TOP_SRCDIR/tests/tui/lib.sh"
e2e_begin 12

tui_start 80 24
ok "starts with the PAPER badge" tui_wait "PAPER" 10
ok "compact layout: tabs at 80x24" tui_wait "1 Book" 2
tui_keys 7
ok "spot wallet shows the paper balance" tui_wait "100,000.00" 5
tui_keys 2
ok "watchlist lists spot and futures" tui_wait "PF_XBTUSD" 3
tui_resize 200 60
ok "wide layout at 200x60 (no tabs, all panes)" tui_wait "Futures wallet" 3
ok "wide layout has no tab bar" tui_wait_gone "1 Book  2" 3
tui_resize 80 24
ok "back to tabs at 80x24" tui_wait "1 Book" 3
tui_keys /
tui_type pf_xbt
ok "switcher shows matches" tui_wait "> pf_xbt_" 2
tui_keys Enter 1
ok "switched to a futures instrument" tui_wait "PF_XBTUSD  depth" 3
tui_keys ?
ok "help overlay lists actions and keys" tui_wait "switch_instrument" 2
tui_keys Escape
sleep 0.2
tui_keys q
ok "quits on q" tui_exited 5
ok "exit status 0" test "${TUI_STATUS:-x}" = 0
tui_stop
e2e_end
