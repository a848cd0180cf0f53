#!/bin/sh
# record_replay.sh: `krakterm record` against a paper exchange with liquidity, then
# `krakterm replay --summary` of that file.
#
# Proves: a 2-second recording holds the instrument list and raw feed messages in the
# kraken/record.h line format (every line JSON, no secret in it); replaying it through
# the live decoders rebuilds the watched books (both products) and the tickers; a
# missing or unreadable recording is an error (exit 1), not a crash.
. "$KT_TOP_SRCDIR/tests/e2e/lib.sh"

e2e_begin 9
e2e_paper_start --no-market || { diag "cannot start the paper exchange"; e2e_end; }
e2e_paper_seed --no-market || { diag "cannot seed the paper exchange"; e2e_end; }

REC=$E2E_TMP/rec.jsonl
kt record "$REC" --duration 2 BTC/USD PF_XBTUSD
ok "record: exit 0 after --duration 2" test "$KT_RC" = 0
ok "record: reports the lines written" has "$KT_OUT" "recorded"
ok "recording: every line is one JSON object with t and src" python3 -c '
import json, sys
lines = open(sys.argv[1]).read().splitlines()
assert lines, "empty"
for l in lines:
    o = json.loads(l)
    assert isinstance(o["t"], int) and o["src"] in ("instruments", "spot", "spot-auth", "futures")
    assert ("msg" in o) or ("raw" in o) or ("list" in o)
' "$REC"
ok "recording: the instrument list comes first" python3 -c '
import json, sys
assert json.loads(open(sys.argv[1]).readline())["src"] == "instruments"' "$REC"
ok "recording: no API key or secret in it" python3 -c '
import json, sys
text = open(sys.argv[1]).read()
info = json.load(open(sys.argv[2]))
sys.exit(1 if any(info[k] in text for k in ("spot_key", "spot_secret", "futures_key", "futures_secret")) else 0)
' "$REC" "$E2E_TMP/paper.json"

kt replay "$REC" --summary
ok "replay --summary: both books rebuilt" eval 'test "$KT_RC" = 0 && grep -q "^BTC/USD .*59,990.0  *60,010.0  *10/10" "$KT_OUT" && grep -q "^PF_XBTUSD .*59,990  *60,010  *10/10" "$KT_OUT"'
kt replay "$REC" --json
ok "replay --json: books and tickers, nothing failed" json_ok "$KT_OUT" '(
j["errors"] == 0 and j["applied"] == j["lines"] and
{m["symbol"]: (m["best_bid"], m["best_ask"]) for m in j["markets"] if m["bid_levels"]} == {"BTC/USD": ("59990.0", "60010.0"), "PF_XBTUSD": ("59990", "60010")} and
all(m["ticker"] for m in j["markets"] if m["symbol"] in ("BTC/USD", "PF_XBTUSD")))'
kt replay "$E2E_TMP/none.jsonl"
ok "replay of a missing file: exit 1" test "$KT_RC" = 1
printf 'not json\n' >"$E2E_TMP/bad.jsonl"
kt replay "$E2E_TMP/bad.jsonl" --json
ok "replay of garbage: no crash, the bad line counted" eval 'case $KT_RC in 0) json_ok "$KT_OUT" "j[\"errors\"] == 1";; 1) true;; *) false;; esac'

e2e_end
