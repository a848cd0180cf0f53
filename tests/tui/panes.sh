#!/bin/sh
# Live panes on the paper profile: right after the start every pane shows its
# data, not a "waiting" placeholder — watchlist prices for spot and futures,
# the spot wallet's 100,000.00 USD, the futures wallet's margins, funding rows
# for the perpetuals (and only for them), the empty orders and positions, all
# four feeds up in the status bar — in the wide layout and in each tab of the
# compact one, where the status bar abbreviates the feeds to fit 80 columns
# and the watchlist's name filter narrows the list; choosing a perpetual fetches
# its funding-rate history for the funding pane. The order book, trades and
# chart are fed by the embedded paper exchange's market simulator.
. "$KT_TOP_SRCDIR/tests/tui/lib.sh"
. "$KT_TOP_SRCDIR/tests/tui/screen.sh"
e2e_begin 31

D=$((5 * TUI_SLOW)) # "within a second or two", with room for a loaded machine (2 cores)

tui_start 200 60
ok "wide layout comes up" tui_wait "PAPER" 10
ok "watchlist: spot prices" tui_wait_re "BTC/USD +[0-9][0-9,]*\.[0-9]" $D
ok "watchlist: futures prices" tui_wait_re "PF_XBTUSD +[0-9][0-9,]*" $D
ok "spot wallet: 100,000.00 USD" tui_wait_re "USD +100,000\.00 +100,000\.00 " $D
ok "futures wallet: portfolio and available margin" \
	eval 'tui_wait_re "Portfolio +[0-9.,]+ +Available +[0-9.,]+" $D && tui_wait_gone "waiting for the futures wallet" 1'
funding_rows() {
	for p in PF_XBTUSD PF_ETHUSD PF_SOLUSD PI_XBTUSD; do
		tui_wait_re "$p +[-+]?[0-9.]+% +[-+]?[0-9.]+%" $D || return 1
	done
}
ok "funding: a row with rates for each perpetual" funding_rows
ok "funding: no row for a dated future" eval '! tui_screen | grep -qE "FF_XBTUSD_[0-9]+ +[-+]?[0-9.]+%"'
ok "orders and positions: shown empty" \
	eval 'tui_wait "no open orders" $D && tui_wait "no open positions" $D'
ok "status bar: all four feeds up" \
	eval 'tui_wait_re "spot:[0-9.]+s spot-auth:[0-9.]+s fut:[0-9.]+s fut-auth:[0-9.]+s" $D'
ok "every pane frame is whole" tui_frames_ok
ok "order book: levels shown" \
	eval 'tui_wait_gone "waiting for the book" $D && tui_wait_re "spread [0-9.]+ \([0-9.]+ bp\)" $D'
ok "trades: prints shown" tui_wait_gone "no trades yet" $D
ok "chart: candles shown" tui_wait_gone "no candles yet" $D
ok "status bar: REST round trips and rate limits" \
	eval 'tui_wait_re "rtt [0-9]+/[0-9]+ms rl [0-9]+/[0-9]+ [0-9]+/[0-9]+\+? [0-9:]+Z" $D'
ok "watchlist: bid, ask, mark, index, funding and OI columns at 200x60" \
	eval 'tui_screen | grep -qE "Market +Last +24h +Vol \\$ +Bid +Ask +Mark +Index +Fund/h +OI"'


# The compact layout: each tab shows its data as soon as it is chosen.
tui_resize 80 24
ok "compact layout" tui_wait "1 Book" 3
# Every feed's state fits on 80 columns: abbreviated when up, with the
# oldest message age, next to the clock.
ok "80x24 status bar: all four feeds up, abbreviated, and the clock" \
	eval 'tui_wait_re "^ PAPER .* S✓ SA✓ F✓ FA✓ [0-9.]+[sm] .*[0-9:]+Z *\$" $D'
tui_keys 2
ok "tab 2: watchlist prices" tui_wait_re "ETH/USD +[0-9][0-9,]*\.[0-9]" $D
# The name filter: F, then text; the list narrows as it is typed, Esc clears.
tui_keys F
tui_type eth
ok "watchlist name filter: only the matching markets" \
	eval 'tui_wait "Filter: eth_" 3 && tui_wait_re "ETH/USD +[0-9]" 1 && tui_wait_gone "PF_XBTUSD" 2'
tui_esc
ok "watchlist name filter: Esc clears it" \
	eval 'tui_wait_gone "Filter:" 3 && tui_wait_re "PF_XBTUSD +[0-9]" 2'
tui_keys 7
ok "tab 7: spot wallet" tui_wait_re "USD +100,000\.00" $D
tui_keys v
ok "spot wallet valued in EUR (v), USD through BTC/USD and BTC/EUR" \
	eval 'tui_wait "EUR value" 3 && tui_wait_re "Total [0-9,]+\.[0-9][0-9] EUR" $D'
tui_keys v v v
tui_keys 8
ok "tab 8: futures wallet" tui_wait_re "Portfolio +[0-9.,]+" $D
tui_keys 9
ok "tab 9: funding, with the history line" \
	eval 'tui_wait_re "PF_ETHUSD +[-+]?[0-9.]+%" $D && tui_wait "History (total" 1'
tui_keys /
tui_type pf_xbtusd
tui_wait "> pf_xbtusd_" 3 >/dev/null
tui_keys Enter 9
ok "funding: the perpetual's rate history, fetched when it is chosen" \
	tui_wait_re "Rate history PF_XBTUSD \([1-9][0-9]*, newest first\)" $D
tui_keys 5
ok "tab 5: orders" tui_wait "no open orders" $D
ok "compact frames are whole" tui_frames_ok

# The wide layout forced into 100x30: narrow columns get compact numbers
# (100k), never a number cut short (100.0), and nothing crosses a border.
tui_resize 100 30
tui_wait "1 Book  2 Watchlist" 3 >/dev/null # resized (compact) before L toggles
tui_keys L
ok "forced wide at 100x30" tui_wait "wide layout" 3
ok "narrow wallet columns: 100k, not a cut number" tui_wait_re "USD +100k +100k " $D
ok "forced wide frames are whole" tui_frames_wait 3
ok "q quits cleanly (status 0, no sanitizer report)" tui_quit_ok
tui_stop
e2e_end
