#!/bin/sh
# Resizing never corrupts the screen. The window is resized quickly and
# repeatedly between 80x24, 200x60, 120x40 and 60x20; after it stops at a
# size the screen must equal a fresh start at that size: the status bar on row
# 0, the message line at the bottom, every pane frame whole, the same layout
# (box corners) and the same pane titles, and — in the compact layout, on the
# spot wallet tab, whose content does not move — the very same text, so no
# leftover of an earlier layout. Then the same with the order ticket open
# during the storm and closed after it.
#
# This script checks the storms ending at 80x24 and 200x60; resize2.sh runs it
# for 120x40 and 60x20 (RESIZE_ENDS), so each stays well under a minute.
. "$KT_TOP_SRCDIR/tests/tui/lib.sh"
. "$KT_TOP_SRCDIR/tests/tui/screen.sh"
ENDS=${RESIZE_ENDS:-80x24 200x60}
set -- $ENDS
FIRST=$1
LAST=$2
e2e_begin $((1 + 5 * $# + 6))

STORM="80x24 200x60 120x40 60x20"
REF="$E2E_TMP/ref"
mkdir -p "$REF"
# No dead man's switch: nothing to switch off at each quit (quicker restarts).
printf 'profiles: { paper: { dead_man_switch = 0; }; };\n' >"$XDG_CONFIG_HOME/krakterm/config"

# What must not differ from a fresh start: the box corners, and the top and
# bottom edges of every box with the titles in them (titles and subtitles
# that do not move on an idle account; the STALE mark of a feed still
# connecting is left out). In the compact layout, everything below row 0.
frame_rows() {
	tui_screen | python3 -c '
import re, sys
for y, row in enumerate(sys.stdin.read().split("\n")):
    for m in re.finditer("\u250c[^\u2510]*\u2510|\u2514[^\u2518]*\u2518", row):
        print(y, m.start(), m.group(0).replace(" STALE ", "\u2500" * 7))'
}
body() { tui_screen | sed 1d | sed 's/ STALE /───────/'; }
save_ref() {
	tui_skeleton >"$REF/$1.skel"
	frame_rows >"$REF/$1.frames"
	body >"$REF/$1.body"
}
is_compact() { [ "$1" != 200x60 ]; }
# same_as SIZE: the screen matches the fresh start at SIZE (polls while the
# screen settles after the last resize, up to 2.5 s).
same_as() {
	i=0
	while [ $i -lt 25 ]; do
		if tui_skeleton | cmp -s - "$REF/$1.skel" && frame_rows | cmp -s - "$REF/$1.frames" &&
			{ ! is_compact "$1" || body | cmp -s - "$REF/$1.body"; }; then
			return 0
		fi
		sleep 0.1
		i=$((i + 1))
	done
	diag "differs from a fresh start at $1:"
	if is_compact "$1"; then body | diff "$REF/$1.body" - | head -n 20 | sed 's/^/#   /'; fi
	frame_rows | diff "$REF/$1.frames" - | head -n 10 | sed 's/^/#   /'
	tui_skeleton | diff "$REF/$1.skel" - | head -n 10 | sed 's/^/#   /'
	return 1
}
# storm END: five quick rounds through every size, then END.
storm() {
	for round in 1 2 3 4 5; do
		for sz in $STORM; do
			tui_resize "${sz%x*}" "${sz#*x}"
		done
	done
	tui_resize "${1%x*}" "${1#*x}"
}
status_row0() { tui_screen | head -n 1 | grep -q "^ PAPER  paper "; }
message_last() { tui_screen | tail -n 1 | grep -q "^? help  / instrument"; }
# start_at SIZE: krakterm at SIZE on the spot wallet (pane / tab 7), its data in.
start_at() {
	tui_start "${1%x*}" "${1#*x}"
	tui_wait "PAPER" 10 >/dev/null && tui_keys 7 &&
		tui_wait "100,000.00" $((5 * TUI_SLOW)) >/dev/null
}

# The references: a fresh start at each size.
refs=0
for s in $ENDS; do
	start_at "$s" && sleep 0.2 && save_ref "$s" && refs=$((refs + 1))
	tui_stop
done
ok "fresh starts at $ENDS (the references)" test $refs = $#

start_at 80x24
for s in $ENDS; do
	storm "$s"
	ok "resize storm ending at $s: the screen of a fresh start" same_as "$s"
	ok "$s: status bar on row 0" status_row0
	ok "$s: message line at the bottom" message_last
	ok "$s: every pane frame whole" tui_frames_ok
	if is_compact "$s"; then
		ok "$s: tab bar on row 1, all nine tabs, the focused one named" \
			eval 'tui_screen | sed -n 2p | grep -q "^ 1 .* 7 Spot .* 9"'
	else
		ok "$s: no tab bar, panes from row 1" eval 'tui_screen | sed -n 2p | grep -q "^┌─ Watchlist"'
	fi
done

# A form open while the window changes size: closing it leaves nothing behind.
storm "$FIRST"
tui_keys b
ok "ticket open at $FIRST" tui_wait "Order ticket: BTC/USD" 3
storm "$LAST"
ok "ticket whole after a storm ending at $LAST" \
	eval 'tui_wait "Order ticket: BTC/USD" 2 && tui_wait "Tab/Up/Down move" 2'
storm "$FIRST"
tui_esc
ok "ticket closed after the storm: the screen of a fresh start at $FIRST" same_as "$FIRST"
storm "$LAST"
ok "then at $LAST: the screen of a fresh start" same_as "$LAST"
ok "$LAST: frames whole" tui_frames_ok
ok "q quits cleanly after all the resizing" tui_quit_ok
tui_stop
e2e_end
