#!/bin/sh
# paper_flags.sh: the options of `krakterm paper`, each by its visible effect on the
# wire (read with kx, an independent Kraken client):
#   --balance  the Spot Balance of a fresh exchange;
#   --seed     two runs with the same seed trade the same first trades, another
#              seed trades others;
#   --rate     one book operation a second per instrument trades far less than 200;
#   --speed    at 3600x the hourly funding period lasts a second, so
#              historical-funding-rates fills with what happened, and that history
#              survives a fault-injected restart and a restart of the process (even
#              with --no-market, from the state file);
#   --faults   a REST fault given at start answers as configured, and again after a
#              restart injected through /_paper/faults; "restart" itself is refused
#              in the flag (exit 2, with the reason).
. "$KT_TOP_SRCDIR/tests/e2e/lib.sh"

e2e_begin 14

# trades: the first 20 public BTC/USD trades as "price volume side" (fails with fewer).
trades20() { KX_EVAL='" ".join("%s/%s/%s" % (t[0], t[1], t[3]) for t in list(j["result"].values())[0][:20]) if len(list(j["result"].values())[0]) >= 20 else False' kx spot public/Trades pair=XBTUSD since=0 2>/dev/null; }
ntrades() { KX_EVAL='len(list(j["result"].values())[0])' kx spot public/Trades pair=XBTUSD since=0; }
# wait_for CMD...: retry CMD for up to 15 s.
wait_for() {
	i=0
	until "$@" >/dev/null 2>&1; do
		i=$((i + 1))
		[ $i -ge 150 ] && return 1
		sleep 0.1
	done
}
# rates: historical-funding-rates of PF_XBTUSD as "timestamp=rate ..." (oldest first).
rates() { KX_EVAL='" ".join("%s=%s" % (r["timestamp"], r["fundingRate"]) for r in j["rates"])' kx fut GET historical-funding-rates symbol=PF_XBTUSD; }
nrates() { KX_EVAL='len(j["rates"])' kx fut GET historical-funding-rates symbol=PF_XBTUSD; }
has_rates() { [ "$(nrates)" -ge "$1" ]; }
# faults JSON: POST it to the control endpoint.
post_faults() {
	"$E2E_PY" -c 'import sys, urllib.request as u; u.urlopen(u.Request(sys.argv[1] + "/_paper/faults", data=sys.argv[2].encode(), method="POST"), timeout=10).read()' "$E2E_URL" "$1"
}
time_unavailable() { KX_EVAL='j["error"] == ["EService:Unavailable"]' kx spot public/Time; }
assets_ok() { KX_EVAL='j["error"] == [] and "XXBT" in j["result"]' kx spot public/Assets; }
# unavailable_count: how many requests this server answered EService:Unavailable.
unavailable_count() {
	"$E2E_PY" -c 'import sys, json, urllib.request as u; print(json.load(u.urlopen(sys.argv[1] + "/_paper/faults", timeout=10))["counters"]["unavailable"])' "$E2E_URL"
}
down() { ! assets_ok; }
prefix_of() { case "$2" in "$1"*) return 0 ;; *) return 1 ;; esac; }

# ---- --faults with "restart" is refused before anything is served ----
"$KT_BIN" paper --listen 127.0.0.1:0 --state "$E2E_TMP/refused.json" --json \
	--faults '{"restart":{"down_ms":10}}' >"$E2E_TMP/refused.out" 2>"$E2E_TMP/refused.err"
rc=$?
ok "--faults with restart: exit 2 and the reason" eval '[ $rc = 2 ] && has "$E2E_TMP/refused.err" "\"restart\" cannot be given at start"'

# ---- --balance, --seed, --rate ----
e2e_paper_start --reset --balance 12345 --seed 11 --rate 200 || { diag "cannot start"; e2e_end; }
ok "--balance: the Spot USD balance of a fresh exchange" \
	eval '[ "$(KX_EVAL="j[\"result\"][\"ZUSD\"]" kx spot Balance)" = "12345.0000" ]'
wait_for trades20
A=$(trades20)
ok "--seed 11 --rate 200: twenty trades" test -n "$A"
ok "default --speed: no funding period has ended (at most the rate in force)" eval '[ "$(nrates)" -le 1 ]'
e2e_paper_stop
e2e_paper_start --reset --seed 11 --rate 200 || { diag "cannot start"; e2e_end; }
wait_for trades20
B=$(trades20)
ok "--seed 11 again: the same twenty first trades" eval '[ -n "$B" ] && [ "$A" = "$B" ]'
e2e_paper_stop
e2e_paper_start --reset --seed 12 --rate 200 || { diag "cannot start"; e2e_end; }
wait_for trades20
C=$(trades20)
ok "--seed 12: other trades" eval '[ -n "$C" ] && [ "$A" != "$C" ]'
e2e_paper_stop
e2e_paper_start --reset --seed 11 --rate 1 || { diag "cannot start"; e2e_end; }
sleep 1.5
ok "--rate 1: far fewer trades in the time 200/s made twenty" eval '[ "$(ntrades)" -lt 20 ]'
e2e_paper_stop

# ---- --speed and --faults, across restarts ----
e2e_paper_start --reset --seed 5 --speed 360000 \
	--faults '{"rest":[{"fault":"unavailable","path":"/0/public/Time"}]}' || { diag "cannot start"; e2e_end; }
time_unavailable
ok "--faults: Time answers EService:Unavailable" time_unavailable
wait_for has_rates 2
R1=$(rates)
ok "--speed 360000: funding periods of a second fill historical-funding-rates" has_rates 2
post_faults '{"restart":{"down_ms":1000}}'
wait_for down
wait_for assets_ok
ok "after a fault-injected restart (fresh counters) the --faults fault is back" \
	eval 'time_unavailable && [ "$(unavailable_count)" = 1 ]'
R2=$(rates)
ok "after the restart the funding history is still served" prefix_of "$R1" "$R2"
e2e_paper_stop
e2e_paper_start --no-market || { diag "cannot start"; e2e_end; }
R3=$(rates)
ok "after a process restart with --no-market: the saved history" prefix_of "$R1" "$R3"
ok "faults given by flag are not kept in the state" \
	eval 'KX_EVAL="j[\"error\"] == []" kx spot public/Time'
ok "--no-market: the saved balance is kept" \
	eval '[ "$(KX_EVAL="j[\"result\"][\"ZUSD\"]" kx spot Balance)" = "100000.0000" ]'
e2e_end
