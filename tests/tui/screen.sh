# screen.sh: checks over a captured screen for the TUI tests. Source it after
# tests/tui/lib.sh; not a test itself.
#
#   tui_frames_ok            # every pane box is whole (nothing drawn over a border)
#   tui_frames_wait SECS     # the same, once the screen settled after a resize
#   tui_skeleton             # the screen with only the box corners kept (the layout)

# tui_frames_ok [FILE]: every box on the screen (or in FILE) is closed: for each
# top-left corner, the top edge runs to a top-right corner, both sides are
# vertical lines down to the bottom corners, and the bottom edge is whole. A
# pane that writes past its width or height breaks a border and fails this.
# Meant for UTF-8 screens without an overlay (a form or help box covers borders).
tui_frames_ok() {
	if [ $# -gt 0 ]; then cat "$1"; else tui_screen; fi | python3 -c '
import sys
rows = sys.stdin.read().split("\n")
w = max(len(r) for r in rows)
g = [r.ljust(w) for r in rows]
bad = []
boxes = 0
for y, row in enumerate(g):
    for x, c in enumerate(row):
        if c != "\u250c":
            continue
        x2 = row.find("\u2510", x + 1)
        if x2 < 0 or "\u250c" in row[x + 1:x2]:
            bad.append("row %d col %d: top edge does not end in a corner" % (y, x))
            continue
        y2 = y + 1
        while y2 < len(g) and g[y2][x] == "\u2502":
            y2 += 1
        if y2 >= len(g) or g[y2][x] != "\u2514":
            bad.append("row %d col %d: left side broken at row %d (%r)" % (y, x, y2, g[y2][x] if y2 < len(g) else ""))
            continue
        for yy in range(y + 1, y2):
            if g[yy][x2] != "\u2502":
                bad.append("box at row %d col %d: right side broken at row %d: %r" % (y, x, yy, g[yy][max(0, x2 - 12):x2 + 3]))
                break
        if g[y2][x2] != "\u2518" or any(ch != "\u2500" for ch in g[y2][x + 1:x2]):
            bad.append("box at row %d col %d: bottom edge broken" % (y, x))
        boxes += 1
for b in bad[:8]:
    print("# " + b)
sys.exit(1 if bad or boxes == 0 else 0)'
}

# tui_skeleton: the screen with every character but the box corners blanked:
# the layout without its (changing) contents.
tui_skeleton() {
	tui_screen | python3 -c '
import sys
keep = set("\u250c\u2510\u2514\u2518")
for line in sys.stdin.read().rstrip("\n").split("\n"):
    print("".join(c if c in keep else " " for c in line).rstrip())'
}

# tui_wait_re REGEX SECONDS: true once a line of the screen matches REGEX (grep -E).
tui_wait_re() {
	deadline=$(($(date +%s%N) / 1000000 + ${2:-5} * 1000))
	while [ $(($(date +%s%N) / 1000000)) -lt $deadline ]; do
		if tui_screen | grep -qE -- "$1"; then
			return 0
		fi
		tui_died && break
		sleep 0.05
	done
	diag "timed out waiting for /$1/"
	return 1
}

# ok_todo DESCRIPTION REASON COMMAND...: a check that is expected to fail for
# a known REASON: "ok" when it passes, else "not ok ... # TODO REASON" (an
# expected failure that does not fail the suite).
ok_todo() {
	desc=$1
	why=$2
	shift 2
	E2E_N=$((E2E_N + 1))
	if "$@"; then
		echo "ok $E2E_N - $desc"
	else
		echo "not ok $E2E_N - $desc # TODO $why"
	fi
}

# Deadlines in seconds for "shows up promptly": generous under the sanitizers.
if [ "${KT_BUILD_SANITIZERS:-no}" = yes ]; then TUI_SLOW=3; else TUI_SLOW=1; fi

# tui_frames_wait SECONDS: tui_frames_ok once the screen has settled (after a
# resize the old layout is still on screen for a moment).
tui_frames_wait() {
	deadline=$(($(date +%s%N) / 1000000 + ${1:-3} * 1000))
	while [ $(($(date +%s%N) / 1000000)) -lt $deadline ]; do
		tui_frames_ok >/dev/null && return 0
		sleep 0.1
	done
	tui_frames_ok
}
