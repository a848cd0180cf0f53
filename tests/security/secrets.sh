#!/bin/sh
# secrets: API keys and secrets never leave krakterm except to sign requests.
# A LIVE-style profile points at `krakterm paper` over loopback; the credentials
# the paper exchange issued play the part of real Kraken keys.
#
# Proves:
#   - in a TUI session (tmux, under `script`, log level trace), with credentials
#     from every source (inline, secret_env/key_env, secret_cmd), no key or secret
#     reaches the log, the journal, any other file in the state dir, the screen
#     (capture-pane) or any byte written to the terminal; the state dir and every
#     file in it (log, journal, nonce files) are private to the user;
#   - crash output carries none: a TUI killed with SIGSEGV and with SIGABRT after
#     the secrets were loaded (under ASan in sanitizer builds, whose report goes to
#     the terminal), and a start-up that fails after loading them (a missing key
#     map), print none (core files are off in the test: see docs/security.md);
#   - `--json` (and plain) output of every command krakterm lists carries none
#     (`paper` is the documented exception: it prints the paper exchange's own
#     keys; it is not run here);
#   - a config file holding an inline secret is refused when group or others can
#     read it (also through @include), with advice and without the secret; a file
#     that only names sources (secret_env, secret_cmd) may be readable;
#   - a failing secret_cmd / key_cmd is a clear error naming the setting, never
#     showing what the command printed.
. "$KT_TOP_SRCDIR/tests/security/lib.sh"

sec_begin 26
sec_paper_start || exit 1
C="$SEC_TMP/config/krakterm"
U="127.0.0.1:$PAPER_PORT"

# every check of "no secret here" looks for all four credentials
no_secrets() {
	for v in "$SPOT_SECRET" "$FUT_SECRET" "$SPOT_KEY" "$FUT_KEY"; do
		lacks_all "$v" "$@" || return 1
	done
}

# A: everything inline. B: spot key inline + secret from the environment, futures
# key from the environment + secret from a command.
sec_live_conf "$C/inline.conf" "$U" http "journal = true;"
printf '%s\n' "$FUT_SECRET" >"$SEC_TMP/fut-secret.txt"
chmod 600 "$SEC_TMP/fut-secret.txt"
umask 077
sed -e "s|secret = \"$SPOT_SECRET\";|secret_env = \"KT_TEST_SPOT_SECRET\";|" \
	-e "s|key = \"$FUT_KEY\"; secret = \"$FUT_SECRET\";|key_env = \"KT_TEST_FUT_KEY\"; secret_cmd = \"cat $SEC_TMP/fut-secret.txt\";|" \
	"$C/inline.conf" >"$C/sources.conf"
chmod 644 "$C/sources.conf" # no secret inside: readable is fine
export KT_TEST_SPOT_SECRET="$SPOT_SECRET" KT_TEST_FUT_KEY="$FUT_KEY"

have_tui=1
command -v tmux >/dev/null && command -v script >/dev/null || have_tui=0

# ---- 1-10: TUI sessions ----
if [ $have_tui = 1 ]; then
	SEC_TUI_ENV="KT_TEST_SPOT_SECRET=$SPOT_SECRET KT_TEST_FUT_KEY=$FUT_KEY"
	sec_tui "a-$$" -c "$C/inline.conf" --log-level trace
	sec_tui "b-$$" -c "$C/sources.conf" --log-level trace
	SEC_TUI_ENV=""
	for s in a b; do
		log=$(sec_tui_log "$s-$$")
		wait_for 20 sh -c "[ \$(cat '$log' 2>/dev/null | grep -c ': connected') -ge 3 ]" ||
			diag "$s: the feeds did not all connect"
		sleep 2 # private snapshots, a few heartbeats
		for k in 5 7 8 '?' Escape 1; do
			tmx send-keys -t "$s-$$" "$k"
			sleep 0.3
		done
		sec_screen "$s-$$" "$SEC_TMP/$s.screen"
		tmx send-keys -t "$s-$$" q
		wait_for 10 test -s "$SEC_TMP/$s-$$.exit" || diag "$s: did not quit on 'q'"
	done
	ok "inline keys: the session really ran (private feeds connected, trace log written)" \
		sh -c "grep -q 'auth/v2: connected' '$(sec_tui_log a-$$)' && [ \$(wc -l <'$(sec_tui_log a-$$)') -gt 20 ]"
	ok "inline keys: no key or secret in the log file (trace level)" no_secrets "$(sec_tui_log a-$$)"
	ok "inline keys: none in the journal or anywhere in the state dir" \
		no_secrets "$SEC_TMP/a-$$-state"
	ok "inline keys: none on the screen (capture-pane with scrollback)" no_secrets "$SEC_TMP/a.screen"
	ok "inline keys: none in any byte written to the terminal (script typescript)" \
		no_secrets "$SEC_TMP/a-$$.typescript"
	private_files() { # DIR: krakterm's state dir 700, every file in it 600
		[ "$(stat -c %a "$1/krakterm")" = 700 ] || return 1
		bad=$(find "$1/krakterm" -type f ! -perm 600 | head -3)
		[ -z "$bad" ] || { diag "not private: $bad"; return 1; }
		find "$1/krakterm" -name '*.log' | grep -q . && find "$1/krakterm" -name '*.nonce' | grep -q .
	}
	ok "state files are private: the state dir 700, log, journal and nonce files 600" \
		private_files "$SEC_TMP/a-$$-state"
	ok "env + command sources: the session ran with private feeds" \
		grep -q 'auth/v2: connected' "$(sec_tui_log b-$$)"
	ok "env + command sources: no key or secret in log, state dir, screen or terminal" \
		no_secrets "$SEC_TMP/b-$$-state" "$SEC_TMP/b.screen" "$SEC_TMP/b-$$.typescript"

	# ---- crashes after the secrets were loaded ----
	for sig in SEGV ABRT; do
		sec_tui "c$sig-$$" -c "$C/inline.conf"
		log=$(sec_tui_log "c$sig-$$")
		wait_for 20 sh -c "[ \$(cat '$log' 2>/dev/null | grep -c ': connected') -ge 3 ]"
		pid=$(sec_tui_pid "c$sig-$$")
		[ -n "$pid" ] && kill -s "$sig" "$pid"
		wait_for 20 test -s "$SEC_TMP/c$sig-$$.exit"
		sec_screen "c$sig-$$" "$SEC_TMP/c$sig.screen"
	done
	diag "after SIGSEGV: $(cat "$SEC_TMP/cSEGV-$$.exit" 2>/dev/null); after SIGABRT: $(cat "$SEC_TMP/cABRT-$$.exit" 2>/dev/null)"
	ok "killed by SIGSEGV / SIGABRT while live: the process did die of it" \
		sh -c "! grep -q 'EXITED 0' '$SEC_TMP/cSEGV-$$.exit' && ! grep -q 'EXITED 0' '$SEC_TMP/cABRT-$$.exit'"
	ok "crash output (terminal bytes incl. sanitizer reports, screen, log) has no secret" \
		no_secrets "$SEC_TMP/cSEGV-$$.typescript" "$SEC_TMP/cABRT-$$.typescript" \
		"$SEC_TMP/cSEGV.screen" "$SEC_TMP/cABRT.screen" "$SEC_TMP/cSEGV-$$-state" \
		"$SEC_TMP/cABRT-$$-state"
else
	skip_n 10 "needs tmux and script"
fi

# ---- 11-12: a start-up that fails after the secrets were loaded ----
{ echo 'keymap = "no-such-keymap";'; cat "$C/inline.conf"; } >"$C/badkeys.conf"
chmod 600 "$C/badkeys.conf"
if [ $have_tui = 1 ]; then
	sec_tui "d-$$" -c "$C/badkeys.conf" --log-level trace
	wait_for 20 test -s "$SEC_TMP/d-$$.exit"
	ok "a TUI start-up that fails after loading the secrets reports the failure" \
		sh -c "grep -q 'no-such-keymap' '$SEC_TMP/d-$$.typescript' && ! grep -q 'EXITED 0' '$SEC_TMP/d-$$.exit'"
	ok "... and neither its output nor its log holds a key or secret" \
		no_secrets "$SEC_TMP/d-$$.typescript" "$SEC_TMP/d-$$-state"
else
	skip_n 2 "needs tmux and script"
fi

# ---- 13-15: every command's output, plain and --json ----
# First every listed command without arguments (usage errors and argument-free
# commands), then the ones that talk to the exchange with real arguments, one
# after another (two processes racing one key's nonces is another matter).
cmds=$("$KT_BIN" --help | sed -n '/^commands:/,/^$/p' | awk 'NR > 1 && NF {print $1}')
: >"$SEC_TMP/cmds.out"
n=0
run_cmd() { # CONF j|p|jp ARGS...: with --json (j) and/or plain (p)
	conf=$1
	modes=$2
	shift 2
	for j in --json ""; do
		want=p
		[ -n "$j" ] && want=j
		case $modes in *$want*) ;; *) continue ;; esac
		env KT_TEST_SPOT_SECRET="$SPOT_SECRET" KT_TEST_FUT_KEY="$FUT_KEY" \
			timeout 30 "$KT_BIN" -c "$C/$conf.conf" -p live $j "$@" </dev/null \
			>>"$SEC_TMP/cmds.out" 2>&1
		n=$((n + 1))
	done
}
for c in $cmds; do
	[ "$c" = paper ] && continue # prints the paper exchange's own keys: documented
	run_cmd inline jp "$c"
done
run_cmd sources jp config-check
if echo "$cmds" | grep -q balances; then
	run_cmd sources j balances
	run_cmd inline j book BTC/USD --depth 5
	run_cmd inline j ticker PF_XBTUSD
	run_cmd inline j funding PF_XBTUSD
	run_cmd inline jp order BTC/USD buy limit 0.001 50000 --yes
	run_cmd inline j order PF_XBTUSD sell limit 0.01 90000 --yes
	run_cmd inline j cancel --all
	run_cmd inline jp journal
	run_cmd inline j record "$SEC_TMP/rec.jsonl" --duration 2 BTC/USD PF_XBTUSD
fi
diag "ran $n command invocations: $(echo $cmds)"
ok "every listed command was run, and the trading ones did trade" \
	sh -c "echo '$cmds' | grep -q config-check && [ $n -ge 8 ] &&
	       { ! echo '$cmds' | grep -q balances || grep -q '100,000' '$SEC_TMP/cmds.out'; }"
ok "config-check says where the credentials come from" \
	sh -c "grep -q 'secret: set (from secret_env)' '$SEC_TMP/cmds.out' && grep -q 'secret: set (from secret_cmd)' '$SEC_TMP/cmds.out'"
ok "no command's output (plain and --json), nor a recording, holds a key or secret" \
	no_secrets "$SEC_TMP/cmds.out" "$SEC_TMP/rec.jsonl" "$SEC_TMP/state"

# ---- 16-21: permissions ----
perm_refused() { # FILE
	"$KT_BIN" -c "$1" -p live config-check >"$SEC_TMP/p.out" 2>"$SEC_TMP/p.err"
	rc=$?
	[ $rc -eq 2 ] && grep -q "holds an API secret and is readable by others; run: chmod 600" "$SEC_TMP/p.err"
}
cp "$C/inline.conf" "$C/loose.conf"
chmod 644 "$C/loose.conf"
ok "inline secret in a world-readable (644) config: refused with advice" perm_refused "$C/loose.conf"
chmod 640 "$C/loose.conf"
ok "inline secret in a group-readable (640) config: refused" perm_refused "$C/loose.conf"
ok "the refusal does not print the secret" no_secrets "$SEC_TMP/p.err" "$SEC_TMP/p.out"
"$KT_BIN" -c "$C/loose.conf" -p live paths >"$SEC_TMP/p.out" 2>"$SEC_TMP/p.err"
rc=$?
ok "every command refuses it, not only config-check (paths exits 2)" \
	sh -c "[ $rc -eq 2 ] && grep -q 'readable by others' '$SEC_TMP/p.err'"
# the secret in an @include'd file that is readable, the main file private
cat >"$C/part.conf" <<EOF
spot: { rest_url = "http://$U"; ws_url = "ws://$U/v2"; ws_auth_url = "ws://$U/auth/v2";
        key = "$SPOT_KEY"; secret = "$SPOT_SECRET"; };
EOF
chmod 644 "$C/part.conf"
cat >"$C/main.conf" <<EOF
default_profile = "live";
profiles: { live: {
@include "part.conf"
}; };
EOF
chmod 600 "$C/main.conf"
ok "inline secret in a readable @include'd file: refused, naming that file" \
	sh -c "'$KT_BIN' -c '$C/main.conf' config-check >/dev/null 2>'$SEC_TMP/p.err'; [ \$? -eq 2 ] && grep -q 'part.conf holds an API secret' '$SEC_TMP/p.err'"
ok "a readable config that only names secret sources (secret_env, secret_cmd) is accepted" \
	sh -c "KT_TEST_SPOT_SECRET=x KT_TEST_FUT_KEY=y '$KT_BIN' -c '$C/sources.conf' config-check >/dev/null 2>&1"

# ---- 22-26: failing secret commands ----
cmd_conf() { # FILE SETTINGS-FOR-FUTURES
	sed "s|key = \"$FUT_KEY\"; secret = \"$FUT_SECRET\";|$2|" "$C/inline.conf" >"$1"
	chmod 600 "$1"
}
# the command prints a marker that its own text does not contain
cmd_conf "$C/failcmd.conf" "key = \"$FUT_KEY\"; secret_cmd = \"printf LEAKY-%s OUTPUT-4242; exit 3\";"
"$KT_BIN" -c "$C/failcmd.conf" config-check >"$SEC_TMP/f.out" 2>"$SEC_TMP/f.err"
rc=$?
diag "failing secret_cmd: $(cat "$SEC_TMP/f.err")"
ok "a failing secret_cmd is an error (exit 2) naming the credential, command and status" \
	sh -c "[ $rc -eq 2 ] && grep -q 'futures secret: command .* failed with status 3' '$SEC_TMP/f.err'"
ok "... and does not show what the command printed" \
	sh -c "! grep -q LEAKY-OUTPUT-4242 '$SEC_TMP/f.err' '$SEC_TMP/f.out'"
ok "... nor the other product's secret, already loaded" no_secrets "$SEC_TMP/f.err" "$SEC_TMP/f.out"
cmd_conf "$C/emptycmd.conf" "key_cmd = \"true\"; secret = \"$FUT_SECRET\";"
"$KT_BIN" -c "$C/emptycmd.conf" config-check >"$SEC_TMP/f.out" 2>"$SEC_TMP/f.err"
rc=$?
ok "a key_cmd that prints nothing is an error too, not an empty key" \
	sh -c "[ $rc -eq 2 ] && grep -q 'futures key: command .* printed nothing' '$SEC_TMP/f.err'"
cmd_conf "$C/nokey.conf" "secret = \"$FUT_SECRET\";"
"$KT_BIN" -c "$C/nokey.conf" config-check >"$SEC_TMP/f.out" 2>"$SEC_TMP/f.err"
rc=$?
ok "a secret without its key is refused without printing the secret" \
	sh -c "[ $rc -eq 2 ] && ! grep -qF -- '$FUT_SECRET' '$SEC_TMP/f.err' '$SEC_TMP/f.out'"
sec_end
