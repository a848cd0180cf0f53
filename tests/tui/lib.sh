# lib.sh: helpers for TUI tests — the real krakterm in a detached tmux session,
# driven with send-keys and read with capture-pane. Builds on tests/e2e/lib.sh
# (TAP, private HOME/XDG dirs, the paper exchange, the "e2e" profile).
#
#   . "$KT_TOP_SRCDIR/tests/tui/lib.sh"
#   e2e_begin 4
#   tui_start 80 24 -p paper          # krakterm ARGS in tmux, W x H
#   tui_wait "PAPER" 5                # poll capture-pane until TEXT shows (seconds)
#   tui_keys 2                        # tmux send-keys
#   ok "watchlist" tui_wait "Watchlist" 2
#   tui_stop; e2e_end

. "$KT_TOP_SRCDIR/tests/e2e/lib.sh"

if ! command -v tmux >/dev/null 2>&1; then
	echo "1..0 # SKIP tmux is not installed"
	exit 0
fi

TUI_SESSION="kt$$"
TUI_SOCK="kt-$$"

# tui_start W H ARGS...: start krakterm in tmux at W x H with ARGS.
tui_start() {
	w=$1
	h=$2
	shift 2
	TUI_LOG="$E2E_TMP/tui-stderr.txt"
	# The command runs through sh so that stderr is kept and the pane stays
	# open after krakterm exits (its status is written for tui_exit_status).
	cmd="env HOME='$HOME' XDG_CONFIG_HOME='$XDG_CONFIG_HOME' XDG_STATE_HOME='$XDG_STATE_HOME' \
XDG_DATA_HOME='$XDG_DATA_HOME' TERM=xterm-256color LANG=C.UTF-8 ${TUI_ENV:-} \
'$KT_BIN' $* 2>'$TUI_LOG'; echo \$? >'$E2E_TMP/tui-status'; sleep 600"
	tmux -L "$TUI_SOCK" -f /dev/null new-session -d -s "$TUI_SESSION" -x "$w" -y "$h" "$cmd"
	tmux -L "$TUI_SOCK" set-option -t "$TUI_SESSION" status off >/dev/null
	E2E_TUI=1
}

tui_keys() { tmux -L "$TUI_SOCK" send-keys -t "$TUI_SESSION" "$@"; }
tui_type() { tmux -L "$TUI_SOCK" send-keys -t "$TUI_SESSION" -l "$1"; }
tui_screen() { tmux -L "$TUI_SOCK" capture-pane -p -t "$TUI_SESSION"; }
tui_screen_color() { tmux -L "$TUI_SOCK" capture-pane -e -p -t "$TUI_SESSION"; }
tui_resize() { tmux -L "$TUI_SOCK" resize-window -t "$TUI_SESSION" -x "$1" -y "$2"; }

# tui_wait TEXT SECONDS: true once the screen shows TEXT (fixed string).
tui_wait() {
	deadline=$(($(date +%s%N) / 1000000 + ${2:-5} * 1000))
	while [ $(($(date +%s%N) / 1000000)) -lt $deadline ]; do
		if tui_screen | grep -qF -- "$1"; then
			return 0
		fi
		sleep 0.05
	done
	diag "timed out waiting for: $1"
	tui_screen | sed 's/^/#   /'
	return 1
}

# tui_wait_gone TEXT SECONDS: true once TEXT is no longer on screen.
tui_wait_gone() {
	deadline=$(($(date +%s%N) / 1000000 + ${2:-5} * 1000))
	while [ $(($(date +%s%N) / 1000000)) -lt $deadline ]; do
		if ! tui_screen | grep -qF -- "$1"; then
			return 0
		fi
		sleep 0.05
	done
	diag "still on screen: $1"
	return 1
}

# tui_exited SECONDS: krakterm has exited (status in $TUI_STATUS).
tui_exited() {
	deadline=$(($(date +%s) + ${1:-5}))
	while [ "$(date +%s)" -lt $deadline ]; do
		if [ -s "$E2E_TMP/tui-status" ]; then
			TUI_STATUS=$(cat "$E2E_TMP/tui-status")
			return 0
		fi
		sleep 0.05
	done
	return 1
}

tui_stop() {
	[ -n "${E2E_TUI:-}" ] || return 0
	tmux -L "$TUI_SOCK" kill-server 2>/dev/null
	E2E_TUI=
	# Let krakterm finish writing its files before the test dir goes away.
	i=0
	while pgrep -f "$E2E_TMP" >/dev/null 2>&1 && [ $i -lt 50 ]; do
		sleep 0.1
		i=$((i + 1))
	done
}

# Stop tmux too when the test ends or fails.
E2E_CLEANUP_HOOK=tui_stop
