#!/bin/sh
# soak: krakterm's client side under a sustained high feed rate keeps flat memory
# and a constant number of file descriptors.
#
# A busy paper exchange (`krakterm paper --rate R`: the market simulator changes
# every book R times a second per instrument, with trades) feeds a TUI-less
# client: `krakterm record FILE --duration S` on books, trades and tickers of
# Spot and Futures instruments, over a live-style profile (REST + WebSocket, as
# against Kraken); the recording's size shows how much arrived (it is emptied as
# it grows, so an hour's run takes no disk). Every 2 s the
# client's VmRSS (/proc/PID/status) and open descriptors (/proc/PID/fd) are
# sampled.
#
# Proves: after a warm-up (the first 25% of the run), the highest RSS of the last
# quarter exceeds the highest of the second quarter by less than a slack
# (max(8 MiB, 10%)), and the descriptor count does not grow (+2 allowed for a
# REST connection in flight); the client received a steady stream all along
# (messages counted); it exits cleanly (under the sanitizers: no leak report).
#
# $KT_SOAK_SECONDS sets the length (default 75; docs/testing.md has the long run:
# an hour at a higher $KT_SOAK_RATE). Sanitizer builds: ASan's quarantine makes RSS
# grow by design, so only descriptors, the stream and a clean exit are checked.
. "$KT_TOP_SRCDIR/tests/security/lib.sh"

secs=${KT_SOAK_SECONDS:-75}
rate=${KT_SOAK_RATE:-400}
sec_begin 5
sec_paper_start --reset --rate "$rate" || exit 1
C="$SEC_TMP/config/krakterm"
sec_live_conf "$C/soak.conf" "127.0.0.1:$PAPER_PORT" http
# one book per product is streamed (the last symbol's); the others give tickers/trades
"$KT_BIN" -c "$C/soak.conf" record "$SEC_TMP/feed.jsonl" --duration "$secs" \
	ETH/USD XBT/EUR BTC/USD PF_ETHUSD PI_XBTUSD PF_XBTUSD >"$SEC_TMP/rec.out" 2>"$SEC_TMP/rec.err" &
rec=$!
SEC_PIDS="$SEC_PIDS $rec"

# samples: "elapsed rss_kb fds" every 2 s while the client runs
: >"$SEC_TMP/samples.txt"
t=0
bytes=0
while kill -0 "$rec" 2>/dev/null; do
	rss=$(awk '/^VmRSS:/ {print $2}' "/proc/$rec/status" 2>/dev/null)
	fds=$(ls "/proc/$rec/fd" 2>/dev/null | wc -l)
	[ -n "$rss" ] && echo "$t $rss $fds" >>"$SEC_TMP/samples.txt"
	# drop what was recorded: the writer's offset keeps growing (the file turns
	# sparse), so its apparent size keeps counting every byte received
	size=$(stat -c %s "$SEC_TMP/feed.jsonl" 2>/dev/null || echo 0)
	[ "$size" -gt "$bytes" ] && bytes=$size
	truncate -s 0 "$SEC_TMP/feed.jsonl" 2>/dev/null
	sleep 2
	t=$((t + 2))
done
wait "$rec"
rc=$?
sleep 0.5
n=$(wc -l <"$SEC_TMP/samples.txt")
step=$((n / 16 + 1))
diag "rate $rate ops/s per instrument, $secs s; samples (s/rss_kb/fds): $(awk -v k=$step '(NR - 1) % k == 0 {printf "%s/%s/%s ", $1, $2, $3}' "$SEC_TMP/samples.txt")"
size=$(stat -c %s "$SEC_TMP/feed.jsonl" 2>/dev/null || echo 0)
[ "$size" -gt "$bytes" ] && bytes=$size
rm -f "$SEC_TMP/feed.jsonl"
diag "received $bytes bytes of recorded messages ($((bytes / secs)) bytes/s)"

# quarter windows by sample index
window_max() { # FIELD FROM TO (sample indexes, 1-based inclusive)
	awk -v f="$1" -v a="$2" -v b="$3" 'NR >= a && NR <= b && $f > m {m = $f} END {print m + 0}' \
		"$SEC_TMP/samples.txt"
}
q=$((n / 4))
rss_early=$(window_max 2 $((q + 1)) $((2 * q)))
rss_late=$(window_max 2 $((3 * q + 1)) "$n")
fd_early=$(window_max 3 $((q + 1)) $((2 * q)))
fd_late=$(window_max 3 $((3 * q + 1)) "$n")
slack=$((rss_early / 10))
[ $slack -lt 8192 ] && slack=8192
diag "RSS second quarter max ${rss_early} kB, last quarter max ${rss_late} kB (slack ${slack} kB); fds ${fd_early} -> ${fd_late}"

ok "the client ran the whole time and exited cleanly (status $rc)" \
	sh -c "[ $rc -eq 0 ] && [ $n -ge $((secs / 2 - 3)) ] && ! grep -q 'Sanitizer' '$SEC_TMP/rec.err'"
ok "a busy stream arrived (more than 20 kB a second on average)" \
	sh -c "[ $bytes -gt $((secs * 20000)) ]"
if sec_sanitized; then
	skip_n 1 "RSS under ASan grows with its quarantine by design"
else
	ok "memory is flat: last-quarter RSS within the slack of the second quarter's" \
		sh -c "[ $rss_late -le $((rss_early + slack)) ]"
fi
ok "no descriptor growth" sh -c "[ $fd_late -le $((fd_early + 2)) ] && [ $fd_early -gt 0 ]"
ok "the paper exchange survived the run" kill -0 "$PAPER_PID"
sec_end
