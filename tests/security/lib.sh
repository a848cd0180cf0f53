# lib.sh: helpers for the security tests of the real krakterm binary (TLS fronts,
# secrets, resources). Source it; every test prints TAP.
#
#   . "$KT_TOP_SRCDIR/tests/security/lib.sh"
#   sec_begin 7             # plan; private HOME and XDG dirs under $SEC_TMP
#   sec_paper_start         # `krakterm paper` on 127.0.0.1:0 ($PAPER_PORT, keys in $SPOT_KEY...)
#   sec_tls_front good.pem  # a socat TLS front of it: $FRONT_PORT
#   ok "what it proves" some_command args
#   sec_end                 # stops everything it started (also on failure, via the trap)
#
# From the harness: KT_BIN, KT_TOP_SRCDIR, KT_TOP_BUILDDIR.
set -u
: "${KT_BIN:?KT_BIN must point at the krakterm binary}"
SEC_N=0
SEC_FAILED=0
SEC_PIDS=""
SEC_TMUX=""
SEC_SOCK="kt-sec-$$" # a private tmux server: other tests' sessions never interfere

# tmx ARGS...: tmux on the private server.
tmx() { tmux -L "$SEC_SOCK" "$@"; }

sec_begin() {
	echo "1..$1"
	SEC_TMP=$(mktemp -d "${TMPDIR:-/tmp}/kt-sec.XXXXXX")
	export HOME="$SEC_TMP/home" XDG_CONFIG_HOME="$SEC_TMP/config" \
		XDG_STATE_HOME="$SEC_TMP/state" XDG_DATA_HOME="$SEC_TMP/data"
	mkdir -p "$HOME" "$XDG_CONFIG_HOME/krakterm" "$XDG_STATE_HOME" "$XDG_DATA_HOME"
	unset KRAKEN_SPOT_API_KEY KRAKEN_SPOT_API_SECRET KRAKEN_FUTURES_API_KEY \
		KRAKEN_FUTURES_API_SECRET
	ulimit -c 0 # a crash must not leave a core file with secrets in it
	trap sec_cleanup EXIT INT TERM
}

sec_cleanup() {
	for s in $SEC_TMUX; do
		tmx kill-session -t "$s" 2>/dev/null
	done
	[ -z "$SEC_TMUX" ] || tmx kill-server 2>/dev/null
	# a TUI whose tmux server went away early would be orphaned: stop it by its pid
	for f in "$SEC_TMP"/*.pid; do
		[ -f "$f" ] && kill "$(cat "$f")" 2>/dev/null
	done
	for p in $SEC_PIDS; do
		kill "$p" 2>/dev/null
	done
	for p in $SEC_PIDS; do
		wait "$p" 2>/dev/null
	done
	SEC_PIDS=""
	SEC_TMUX=""
	[ -n "${SEC_KEEP:-}" ] || rm -rf "$SEC_TMP"
}

sec_end() {
	sec_cleanup
	trap - EXIT INT TERM
	exit $SEC_FAILED
}

# ok DESCRIPTION COMMAND...: one TAP check.
ok() {
	desc=$1
	shift
	SEC_N=$((SEC_N + 1))
	if "$@"; then
		echo "ok $SEC_N - $desc"
	else
		echo "not ok $SEC_N - $desc"
		SEC_FAILED=1
	fi
}

# skip_n N REASON: N checks skipped (a tool is missing).
skip_n() {
	i=0
	while [ $i -lt "$1" ]; do
		SEC_N=$((SEC_N + 1))
		echo "ok $SEC_N # SKIP $2"
		i=$((i + 1))
	done
}

diag() { printf '# %s\n' "$*"; }

# has FILE TEXT / lacks FILE TEXT: fixed-string search (a missing file lacks everything).
has() { [ -f "$1" ] && grep -qF -- "$2" "$1"; }
lacks() { ! has "$1" "$2"; }

# lacks_all TEXT FILES...: no file (searched recursively, binary too) contains TEXT.
lacks_all() {
	t=$1
	shift
	for f in "$@"; do
		[ -e "$f" ] || continue
		if grep -rqaF -- "$t" "$f"; then
			diag "found a secret in: $(grep -rlaF -- "$t" "$f" | head -3 | tr '\n' ' ')"
			return 1
		fi
	done
	return 0
}

json_get() {
	python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$1" "$2"
}

# wait_for SECONDS COMMAND...: poll (every 0.2 s) until COMMAND succeeds.
wait_for() {
	n=$(($1 * 5))
	shift
	while [ "$n" -gt 0 ]; do
		"$@" && return 0
		sleep 0.2
		n=$((n - 1))
	done
	return 1
}

# sec_sanitized: is $KT_BIN built with AddressSanitizer? ($KT_BUILD_SANITIZERS from
# the harness, else the binary itself: gcc links libasan.so, clang links it in).
sec_sanitized() {
	[ "${KT_BUILD_SANITIZERS:-}" = yes ] || grep -qaE 'libasan\.so|AddressSanitizer' "$KT_BIN"
}

# sec_paper_start: `krakterm paper` on a kernel-chosen port with its own state file.
# Sets PAPER_PID, PAPER_PORT and the four credentials it issued (SPOT_KEY SPOT_SECRET FUT_KEY
# FUT_SECRET): these are the "live" keys of the tests' profiles.
sec_paper_start() {
	"$KT_BIN" paper --listen 127.0.0.1:0 --state "$SEC_TMP/paper-state.json" --json "$@" \
		>"$SEC_TMP/paper.json" 2>"$SEC_TMP/paper.err" &
	PAPER_PID=$!
	SEC_PIDS="$SEC_PIDS $!"
	wait_for 10 test -s "$SEC_TMP/paper.json" ||
		{ diag "paper exchange did not start"; cat "$SEC_TMP/paper.err" >&2; return 1; }
	PAPER_PORT=$(json_get "$SEC_TMP/paper.json" port)
	SPOT_KEY=$(json_get "$SEC_TMP/paper.json" spot_key)
	SPOT_SECRET=$(json_get "$SEC_TMP/paper.json" spot_secret)
	FUT_KEY=$(json_get "$SEC_TMP/paper.json" futures_key)
	FUT_SECRET=$(json_get "$SEC_TMP/paper.json" futures_secret)
}

# sec_certs: the TLS material of tests/security/mkcerts.sh in $CERTS.
sec_certs() {
	CERTS="$SEC_TMP/certs"
	sh "$KT_TOP_SRCDIR/tests/security/mkcerts.sh" "$CERTS"
}

# sec_tls_front CERT [TARGET_PORT]: socat TLS listener on 127.0.0.1:0 serving
# $CERTS/CERT (key good.key) in front of the paper exchange. Sets FRONT_PORT.
sec_tls_front() {
	log="$SEC_TMP/socat-$1.log"
	socat -d -d "OPENSSL-LISTEN:0,bind=127.0.0.1,reuseaddr,fork,verify=0,cert=$CERTS/$1,key=$CERTS/good.key" \
		"TCP:127.0.0.1:${2:-$PAPER_PORT}" 2>"$log" &
	SEC_PIDS="$SEC_PIDS $!"
	wait_for 10 grep -qs "listening on AF=2 127.0.0.1:" "$log" || return 1
	FRONT_PORT=$(grep -o "listening on AF=2 127.0.0.1:[0-9]*" "$log" | head -1 | sed 's/.*://')
}

# sec_live_conf FILE HOSTPORT SCHEME [EXTRA]: a LIVE profile "live" whose Spot and
# Futures endpoints are SCHEME://HOSTPORT (https+wss or http+ws), keys inline
# (mode 600); EXTRA is added to the profile (e.g. 'ca_file = "...";').
sec_live_conf() {
	case $3 in https) ws=wss ;; *) ws=ws ;; esac
	umask 077
	cat >"$1" <<EOC
default_profile = "live";
profiles: {
  live: {
    spot: { rest_url = "$3://$2"; ws_url = "$ws://$2/v2"; ws_auth_url = "$ws://$2/auth/v2";
            key = "$SPOT_KEY"; secret = "$SPOT_SECRET"; };
    futures: { rest_url = "$3://$2"; ws_url = "$ws://$2/ws/v1";
               key = "$FUT_KEY"; secret = "$FUT_SECRET"; };
    confirm = false;
    dead_man_switch = 0;
    ${4:-}
  };
};
EOC
	chmod 600 "$1"
}

# sec_tui NAME ARGS...: krakterm's TUI in a detached tmux session NAME
# (120x40), under `script` so that every byte it writes to the terminal is kept in
# $SEC_TMP/NAME.typescript; its state (log, journal) goes to $SEC_TMP/NAME-state.
# $SEC_TUI_ENV: extra VAR=value words for its environment. $SEC_TMP/NAME.exit
# receives "EXITED <status>" when it ends.
sec_tui() {
	name=$1
	shift
	st="$SEC_TMP/$name-state"
	mkdir -p "$st"
	# the command goes in a file: script's typescript header names only the file
	run="$SEC_TMP/$name.run"
	{
		echo "export HOME='$HOME' XDG_CONFIG_HOME='$XDG_CONFIG_HOME' XDG_STATE_HOME='$st'"
		echo "export XDG_DATA_HOME='$XDG_DATA_HOME' TERM=xterm-256color ${SEC_TUI_ENV:-}"
		echo "echo \$\$ >'$SEC_TMP/$name.pid'"
		echo "exec $KT_BIN $*"
	} >"$run"
	chmod 700 "$run"
	tmx new-session -d -s "$name" -x 120 -y 40 \
		"script -q -e -c 'sh $run' $SEC_TMP/$name.typescript; echo EXITED \$? >$SEC_TMP/$name.exit; sleep 600"
	SEC_TMUX="$SEC_TMUX $name"
}

# sec_screen NAME FILE: the screen's text (and the scrollback) into FILE.
sec_screen() {
	tmx capture-pane -p -S -200 -t "$1" >"$2" 2>/dev/null
}

sec_tui_log() {
	echo "$SEC_TMP/$1-state/krakterm/krakterm.log"
}

# sec_tui_pid NAME: the pid of krakterm in session NAME (a descendant of the pane).
sec_tui_pid() {
	todo=$(tmx list-panes -t "$1" -F '#{pane_pid}' 2>/dev/null | head -1)
	while [ -n "$todo" ]; do
		next=""
		for p in $todo; do
			ps -o pid=,comm= --ppid "$p" >"$SEC_TMP/ps.txt"
			k=$(awk '$2 == "krakterm" {print $1; exit}' "$SEC_TMP/ps.txt")
			[ -n "$k" ] && { echo "$k"; return 0; }
			next="$next $(awk '{print $1}' "$SEC_TMP/ps.txt")"
		done
		todo=$(echo $next)
	done
	return 1
}
