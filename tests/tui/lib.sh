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
TUI_STARTS=0

# tui_start W H ARGS...: start krakterm in tmux at W x H with ARGS.
tui_start() {
	w=$1
	h=$2
	shift 2
	TUI_LOG="$E2E_TMP/tui-stderr.txt"
	# A new tmux server each time: a server still going away after
	# kill-server would take the new session down with it.
	TUI_STARTS=$((TUI_STARTS + 1))
	TUI_SOCK="kt-$$-$TUI_STARTS"
	rm -f "$E2E_TMP/tui-status" "$E2E_TMP/tui-stty"
	TUI_DIED_SAID=
	# The command runs through sh so that stderr is kept and the pane stays
	# open after krakterm exits (its status is written for tui_exited, the
	# terminal modes it left behind for tui_tty_sane).
	cmd="env HOME='$HOME' XDG_CONFIG_HOME='$XDG_CONFIG_HOME' XDG_STATE_HOME='$XDG_STATE_HOME' \
XDG_DATA_HOME='$XDG_DATA_HOME' TERM=xterm-256color LANG=C.UTF-8 LC_ALL= ${TUI_ENV:-} \
'$KT_BIN' $* 2>'$TUI_LOG'; echo \$? >'$E2E_TMP/tui-status'; stty -a >'$E2E_TMP/tui-stty' 2>&1; sleep 600"
	tmux -L "$TUI_SOCK" -f /dev/null new-session -d -s "$TUI_SESSION" -x "$w" -y "$h" "$cmd"
	tmux -L "$TUI_SOCK" set-option -t "$TUI_SESSION" status off >/dev/null
	E2E_TUI=1
	# krakterm's pid: the pane shell's child (env execs krakterm in place).
	TUI_PID=
	pane=$(tmux -L "$TUI_SOCK" display-message -p -t "$TUI_SESSION" '#{pane_pid}')
	i=0
	while [ -n "$pane" ] && [ -z "$TUI_PID" ] && [ $i -lt 100 ]; do
		TUI_PID=$(pgrep -P "$pane" | head -n 1)
		[ -n "$TUI_PID" ] || sleep 0.02
		i=$((i + 1))
	done
}

# tui_tty_sane: after krakterm exited, the terminal is back to normal: off the
# alternate screen, cursor shown, echo and canonical input on.
tui_tty_sane() {
	[ -s "$E2E_TMP/tui-stty" ] || { diag "no stty output"; return 1; }
	modes=$(tmux -L "$TUI_SOCK" display-message -p -t "$TUI_SESSION" '#{alternate_on} #{cursor_flag}')
	[ "$modes" = "0 1" ] || { diag "alternate_on cursor_flag: $modes"; return 1; }
	grep -qw -- echo "$E2E_TMP/tui-stty" && grep -qw -- icanon "$E2E_TMP/tui-stty" ||
		{ diag "tty modes not restored:"; sed 's/^/#   /' "$E2E_TMP/tui-stty"; return 1; }
}

tui_keys() { tmux -L "$TUI_SOCK" send-keys -t "$TUI_SESSION" "$@"; }
# tui_esc: Escape on its own (a key right behind it would read as Alt+key).
tui_esc() { tui_keys Escape; sleep 0.15; }
tui_type() { tmux -L "$TUI_SOCK" send-keys -t "$TUI_SESSION" -l "$1"; }
tui_screen() { tmux -L "$TUI_SOCK" capture-pane -p -t "$TUI_SESSION"; }
tui_screen_color() { tmux -L "$TUI_SOCK" capture-pane -e -p -t "$TUI_SESSION"; }
tui_resize() { tmux -L "$TUI_SOCK" resize-window -t "$TUI_SESSION" -x "$1" -y "$2"; }

# tui_died: krakterm has exited (said once, with the start of its stderr, so a
# crash fails the waits at once instead of each timing out).
tui_died() {
	[ -s "$E2E_TMP/tui-status" ] || return 1
	if [ -z "${TUI_DIED_SAID:-}" ]; then
		TUI_DIED_SAID=1
		diag "krakterm exited with status $(cat "$E2E_TMP/tui-status"); its stderr:"
		head -n 15 "$TUI_LOG" 2>/dev/null | sed 's/^/#   /'
	fi
}

# tui_wait TEXT SECONDS: true once the screen shows TEXT (fixed string).
tui_wait() {
	deadline=$(($(date +%s%N) / 1000000 + ${2:-5} * 1000))
	while [ $(($(date +%s%N) / 1000000)) -lt $deadline ]; do
		if tui_screen | grep -qF -- "$1"; then
			return 0
		fi
		tui_died && break
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

# tui_quit_ok: Esc out of any form, q, and krakterm ends cleanly: status 0
# and no sanitizer report on its stderr (leaks are reported at exit).
tui_quit_ok() {
	tui_esc
	tui_esc
	tui_keys q
	tui_exited 20 || { diag "krakterm did not quit"; return 1; }
	if [ "$TUI_STATUS" != 0 ] || grep -q "Sanitizer\|runtime error" "$TUI_LOG"; then
		diag "exit status $TUI_STATUS; stderr:"
		head -n 20 "$TUI_LOG" | sed 's/^/#   /'
		return 1
	fi
}

tui_stop() {
	[ -n "${E2E_TUI:-}" ] || return 0
	tmux -L "$TUI_SOCK" kill-server 2>/dev/null
	E2E_TUI=
	# Let krakterm finish writing its files before the test dir goes away
	# (only krakterm: a paper exchange of the test keeps running until the end);
	# one that does not end is killed, so it cannot write into a removed dir.
	i=0
	while [ -n "${TUI_PID:-}" ] && kill -0 "$TUI_PID" 2>/dev/null && [ $i -lt 150 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	if [ -n "${TUI_PID:-}" ] && kill -0 "$TUI_PID" 2>/dev/null; then
		diag "krakterm did not end within 15 s of the hangup: killed"
		kill -9 "$TUI_PID" 2>/dev/null
	fi
}

# Stop tmux too when the test ends or fails.
E2E_CLEANUP_HOOK=tui_stop
