#!/bin/sh
# STALE marks under fault injection: the paper exchange is restarted with its
# listener down for a few seconds (every feed drops), the book and wallet panes
# are marked STALE while their feeds are down, and the marks clear after the
# client reconnects and resyncs; a corrupt Spot checksum is detected and the
# book resynced without the user doing anything.
. "$KT_TOP_SRCDIR/tests/tui/lib.sh"
e2e_begin 8

# faults JSON: POST it to the exchange's control endpoint (loopback only).
faults() {
	python3 - "$E2E_URL/_paper/faults" "$1" <<'PY'
import sys, urllib.request
req = urllib.request.Request(sys.argv[1], data=sys.argv[2].encode(), method="POST",
                             headers={"Content-Type": "application/json"})
with urllib.request.urlopen(req, timeout=10) as r:
    sys.exit(0 if r.status == 200 else 1)
PY
}

e2e_paper_start --rate 40
tui_start 120 40 -c "$E2E_CONF" -p e2e
ok "the live-style profile comes up with a moving book" tui_wait "spread" 15
ok "no STALE mark while every feed is up" tui_wait_gone "STALE" 10
ok "the exchange goes down for 4 s (restart)" faults '{"restart": {"down_ms": 4000}}'
ok "the book pane is marked STALE while its feed is down" tui_wait "STALE" 5
ok "the marks clear once the feeds are back and resynced" tui_wait_gone "STALE" 20
ok "a corrupt Spot checksum is accepted as a fault" faults '{"spot_checksum": 1}'
ok "the bad checksum is detected and counted in the book title" tui_wait "1 bad/resynced" 10
ok "the resynced book is not marked STALE" tui_wait_gone "STALE" 10
tui_stop
e2e_end
