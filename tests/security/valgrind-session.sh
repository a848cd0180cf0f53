#!/bin/sh
# valgrind-session: an end-to-end krakterm session under valgrind (memcheck, full
# leak check), run by hand — it takes minutes, so it is not part of `make check`:
#
#   cd build && KT_BIN=$PWD/krakterm KT_TOP_SRCDIR=$PWD/.. sh ../tests/security/valgrind-session.sh
#
# Use a normal build (not --enable-sanitizers: ASan and valgrind do not mix).
# Everything runs under `valgrind --leak-check=full --show-leak-kinds=definite,indirect
# --errors-for-leak-kinds=definite,indirect --error-exitcode=99`:
#   1. `krakterm paper` (the exchange, with its market simulator), for the whole
#      session, stopped with SIGINT at the end;
#   2. one-shot commands of a live-style profile against it: balances, an order,
#      orders, book, cancel --all (REST, signing, nonces, WebSocket start-up);
#   3. the TUI in tmux: start, feeds connect, switch panes, open and close the help,
#      quit with 'q'.
# Proves: no invalid read/write, no use of uninitialised memory, no definite or
# indirect leak in any of them (valgrind's exit status 99 otherwise). Logs are kept
# in $SEC_TMP when SEC_KEEP=1.
. "$KT_TOP_SRCDIR/tests/security/lib.sh"

command -v valgrind >/dev/null || { echo "1..0 # SKIP valgrind not installed"; exit 0; }
sec_begin 4
VG="valgrind --leak-check=full --show-leak-kinds=definite,indirect \
--errors-for-leak-kinds=definite,indirect --error-exitcode=99 --num-callers=30"
export KT_TEST_TIME_SCALE=10

# 1. the exchange under valgrind (sec_paper_start cannot wrap it: done by hand)
$VG --log-file="$SEC_TMP/vg-paper.log" "$KT_BIN" paper --listen 127.0.0.1:0 \
	--state "$SEC_TMP/paper-state.json" --reset --rate 50 --json \
	>"$SEC_TMP/paper.json" 2>"$SEC_TMP/paper.err" &
PAPER_PID=$!
wait_for 60 test -s "$SEC_TMP/paper.json" || { diag "paper did not start"; exit 1; }
PAPER_PORT=$(json_get "$SEC_TMP/paper.json" port)
SPOT_KEY=$(json_get "$SEC_TMP/paper.json" spot_key)
SPOT_SECRET=$(json_get "$SEC_TMP/paper.json" spot_secret)
FUT_KEY=$(json_get "$SEC_TMP/paper.json" futures_key)
FUT_SECRET=$(json_get "$SEC_TMP/paper.json" futures_secret)
C="$SEC_TMP/config/krakterm"
sec_live_conf "$C/vg.conf" "127.0.0.1:$PAPER_PORT" http

# 2. one-shot commands, one after another
vg_fail=0
i=0
for cmd in "balances" "order BTC/USD buy limit 0.001 50000 --yes" "orders" \
	"book BTC/USD --depth 5" "transfer USD 1000 spot futures --yes" \
	"order PF_XBTUSD buy limit 0.01 50000 --yes" "positions" "cancel --all"; do
	i=$((i + 1))
	# shellcheck disable=SC2086 # cmd is split into its words on purpose
	$VG --log-file="$SEC_TMP/vg-cmd$i.log" "$KT_BIN" -c "$C/vg.conf" $cmd </dev/null \
		>"$SEC_TMP/cmd$i.out" 2>&1
	rc=$?
	diag "krakterm $cmd: exit $rc, $(grep -h 'ERROR SUMMARY' "$SEC_TMP/vg-cmd$i.log" | sed 's/==[0-9]*== //')"
	[ $rc -eq 99 ] && vg_fail=1
done
ok "one-shot commands: valgrind found no error and no leak" test $vg_fail -eq 0

# 3. the TUI (timeouts scaled for valgrind)
if command -v tmux >/dev/null && command -v script >/dev/null; then
	# as sec_tui does, with valgrind in front of krakterm
	name="vg-$$"
	st="$SEC_TMP/$name-state"
	mkdir -p "$st"
	cat >"$SEC_TMP/$name.run" <<EOF
export HOME='$HOME' XDG_CONFIG_HOME='$XDG_CONFIG_HOME' XDG_STATE_HOME='$st'
export XDG_DATA_HOME='$XDG_DATA_HOME' TERM=xterm-256color
echo \$\$ >'$SEC_TMP/$name.pid'
exec $VG --log-file=$SEC_TMP/vg-tui.log $KT_BIN -c $C/vg.conf
EOF
	tmx new-session -d -s "$name" -x 120 -y 40 \
		"script -q -e -c 'sh $SEC_TMP/$name.run' $SEC_TMP/$name.typescript; echo EXITED \$? >$SEC_TMP/$name.exit; sleep 600"
	SEC_TMUX="$SEC_TMUX $name"
	wait_for 120 sh -c "[ \$(cat '$st/krakterm/krakterm.log' 2>/dev/null | grep -c ': connected') -ge 3 ]" ||
		diag "TUI: the feeds did not all connect"
	for k in 5 7 8 2 '?' Escape 1; do
		tmx send-keys -t "$name" "$k"
		sleep 2
	done
	tmx send-keys -t "$name" q
	wait_for 120 test -s "$SEC_TMP/$name.exit"
	diag "TUI: $(cat "$SEC_TMP/$name.exit" 2>/dev/null), $(grep -h 'ERROR SUMMARY' "$SEC_TMP/vg-tui.log" | sed 's/==[0-9]*== //')"
	ok "TUI session: it ran (feeds connected) and quit on 'q'" \
		sh -c "[ \$(grep -c ': connected' '$st/krakterm/krakterm.log') -ge 3 ] && grep -q 'EXITED 0' '$SEC_TMP/$name.exit'"
	ok "TUI session: valgrind found no error and no leak" \
		grep -q 'ERROR SUMMARY: 0 errors' "$SEC_TMP/vg-tui.log"
else
	skip_n 2 "needs tmux and script"
fi

# 1. (end) stop the exchange: it saves its state and frees everything
kill -INT "$PAPER_PID"
wait "$PAPER_PID"
rc=$?
diag "paper: exit $rc, $(grep -h 'ERROR SUMMARY' "$SEC_TMP/vg-paper.log" | sed 's/==[0-9]*== //')"
ok "the paper exchange (whole session, SIGINT): no error, no leak" \
	sh -c "[ $rc -ne 99 ] && grep -q 'ERROR SUMMARY: 0 errors' '$SEC_TMP/vg-paper.log'"
sec_end
