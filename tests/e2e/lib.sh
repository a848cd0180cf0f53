# lib.sh: helpers for end-to-end tests of the real krakterm binary against the
# paper exchange. Source it from a test script; every test prints TAP.
#
#   . "$KT_TOP_SRCDIR/tests/e2e/lib.sh"
#   e2e_begin 5                 # plan: 5 checks; private HOME/XDG dirs in $E2E_TMP
#   e2e_paper_start             # `krakterm paper` on 127.0.0.1:0; profile "e2e" points at it
#   kt order BTC/USD buy limit 0.01 50000 --yes   # krakterm -c $E2E_CONF -p e2e ...
#   ok "placed" test "$KT_RC" = 0
#   e2e_end                     # stops everything (also on failure, via trap)
#
# Environment from the harness: KT_BIN (the binary), KT_TOP_SRCDIR, KT_TOP_BUILDDIR.
set -u

: "${KT_BIN:?KT_BIN must point at the krakterm binary}"
E2E_N=0
E2E_FAILED=0
E2E_PIDS=""

e2e_begin() {
	echo "1..$1"
	E2E_TMP=$(mktemp -d "${TMPDIR:-/tmp}/kt-e2e.XXXXXX")
	export HOME="$E2E_TMP/home" XDG_CONFIG_HOME="$E2E_TMP/config" \
		XDG_STATE_HOME="$E2E_TMP/state" XDG_DATA_HOME="$E2E_TMP/data"
	mkdir -p "$HOME" "$XDG_CONFIG_HOME/krakterm" "$XDG_STATE_HOME" "$XDG_DATA_HOME"
	unset KRAKEN_SPOT_API_KEY KRAKEN_SPOT_API_SECRET KRAKEN_FUTURES_API_KEY KRAKEN_FUTURES_API_SECRET
	trap e2e_cleanup EXIT INT TERM
}

e2e_cleanup() {
	# Other libraries (tests/tui/lib.sh) hook their own teardown in here.
	[ -n "${E2E_CLEANUP_HOOK:-}" ] && $E2E_CLEANUP_HOOK
	for p in $E2E_PIDS; do
		kill "$p" 2>/dev/null
	done
	for p in $E2E_PIDS; do
		wait "$p" 2>/dev/null
	done
	E2E_PIDS=""
	[ -n "${E2E_KEEP:-}" ] || rm -rf "$E2E_TMP"
}

# ok DESCRIPTION COMMAND...: one TAP check.
ok() {
	desc=$1
	shift
	E2E_N=$((E2E_N + 1))
	if "$@"; then
		echo "ok $E2E_N - $desc"
	else
		echo "not ok $E2E_N - $desc"
		E2E_FAILED=1
	fi
}

# diag TEXT: a TAP comment.
diag() { printf '# %s\n' "$*"; }

# json_get FILE KEY: a top-level string/number from a one-line JSON object (no jq needed).
json_get() {
	python3 -c 'import json,sys; v=json.load(open(sys.argv[1]))[sys.argv[2]]; print(v)' "$1" "$2"
}

# e2e_paper_start [ARGS...]: run `krakterm paper` on a free port with its state in
# $E2E_TMP; write the config $E2E_CONF with profile "e2e" pointing at it.
e2e_paper_start() {
	E2E_STATE="$E2E_TMP/paper-state.json"
	"$KT_BIN" paper --listen 127.0.0.1:0 --state "$E2E_STATE" --json "$@" \
		>"$E2E_TMP/paper.json" 2>"$E2E_TMP/paper.err" &
	E2E_PAPER_PID=$!
	E2E_PIDS="$E2E_PIDS $E2E_PAPER_PID"
	i=0
	while [ ! -s "$E2E_TMP/paper.json" ] && [ $i -lt 100 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	[ -s "$E2E_TMP/paper.json" ] || { diag "paper exchange did not start:"; cat "$E2E_TMP/paper.err" >&2; return 1; }
	E2E_PORT=$(json_get "$E2E_TMP/paper.json" port)
	E2E_URL="http://127.0.0.1:$E2E_PORT"
	E2E_CONF="$E2E_TMP/config/krakterm/config"
	umask 077
	cat >"$E2E_CONF" <<EOC
default_profile = "e2e";
profiles: {
  e2e: {
    spot: { rest_url = "$E2E_URL"; ws_url = "ws://127.0.0.1:$E2E_PORT/v2";
            ws_auth_url = "ws://127.0.0.1:$E2E_PORT/auth/v2";
            key = "$(json_get "$E2E_TMP/paper.json" spot_key)";
            secret = "$(json_get "$E2E_TMP/paper.json" spot_secret)"; };
    futures: { rest_url = "$E2E_URL"; ws_url = "ws://127.0.0.1:$E2E_PORT/ws/v1";
               key = "$(json_get "$E2E_TMP/paper.json" futures_key)";
               secret = "$(json_get "$E2E_TMP/paper.json" futures_secret)"; };
    confirm = false;
    dead_man_switch = 0;
  };
};
EOC
	chmod 600 "$E2E_CONF"
}

# kt ARGS...: run krakterm against the e2e profile; output in $KT_OUT / $KT_ERR, status in $KT_RC.
kt() {
	KT_OUT="$E2E_TMP/out.txt"
	KT_ERR="$E2E_TMP/err.txt"
	"$KT_BIN" -c "$E2E_CONF" -p e2e "$@" </dev/null >"$KT_OUT" 2>"$KT_ERR"
	KT_RC=$?
	return 0
}

# has FILE TEXT: FILE contains TEXT (fixed string).
has() { grep -qF -- "$2" "$1"; }

e2e_end() {
	e2e_cleanup
	trap - EXIT INT TERM
	exit $E2E_FAILED
}
