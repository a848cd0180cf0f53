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

# The python interpreter itself (not a version-manager shim: saves ~70 ms a call).
E2E_PY=$(python3 -c 'import sys; print(sys.executable)')

# e2e_paper_stop: stop the paper exchange started by e2e_paper_start (its state is saved).
e2e_paper_stop() {
	kill "$E2E_PAPER_PID" 2>/dev/null
	wait "$E2E_PAPER_PID" 2>/dev/null
	E2E_PIDS=$(echo "$E2E_PIDS" | tr ' ' '\n' | grep -vx "$E2E_PAPER_PID" | tr '\n' ' ')
	: >"$E2E_TMP/paper.json"
}

# e2e_paper_seed [ARGS...]: a market that holds still, for exact checks. Start the
# exchange with `e2e_paper_start --no-market` (no simulation: empty books, and a lone
# account cannot trade with itself), then this stops it, adds resting limit orders of
# the market account (account 0, unlimited funds) to its state file — 10 levels a
# side, 10 apart, around 60000 on BTC/USD (0.5 BTC each) and PF_XBTUSD (1 contract
# each) — and starts it again with ARGS (a new port; the keys are kept in the state).
e2e_paper_seed() {
	e2e_paper_stop
	"$E2E_PY" - "$E2E_STATE" <<'EOPY' || return 1
import copy, json, sys
path = sys.argv[1]
s = json.load(open(path))
zero = {"mode": 0, "pct": False, "v": "0"}
tmpl = {"cl_ord_id": "", "userref": 0, "account": 0, "type": 2, "tif": 0, "stp": 0,
        "trigger_ref": 0, "eflags": 0, "oflags": 0, "status": 2, "reason": 0,
        "scheduled": False, "triggered": False, "amended": False, "filled_u": 0,
        "display_u": 0, "trigger_u": 0, "quote_u": 0, "trail": zero, "limit_off": zero,
        "trail_e": [0, 0], "limit_off_e": [0, 0],
        "close": {"type": 0, "price": zero, "trigger": zero, "trail": zero, "limit_off": zero,
                  "e_type": 0, "e_price": 0, "e_trigger": 0, "e_trail": [0, 0],
                  "e_limit_off": [0, 0]},
        "notional": "0", "cost_u": 0, "fee_u": 0, "fee_asset": 4, "leverage": 0,
        "start_ns": 0, "expire_ns": 0, "close_ns": 0, "parent_id": "", "hold_asset": 4,
        "hold_u": 0, "amends": []}
books = {"BTC/USD": (1, 8, 50000000), "PF_XBTUSD": (2, 4, 10000)}  # price dp, qty dp, qty units
seq, n = int(s["order_seq"]) + 1000, 0
for sym, (pdp, qdp, qty_u) in books.items():
    for side in (0, 1):
        for k in range(1, 11):
            n += 1
            seq += 1
            o = copy.deepcopy(tmpl)
            o.update({"id": ("OSEED%02d-MARKT-MAKER0" % n) if "/" in sym
                      else "00000000-5eed-4000-8000-%012d" % n,
                      "instr": sym, "side": side, "qty_u": qty_u,
                      "price_u": (60000 + (k if side else -k) * 10) * 10**pdp,
                      "open_ns": s["saved_ns"], "update_ns": s["saved_ns"],
                      "seq": str(seq), "eng_seq": str(seq)})
            s["open_orders"].append(o)
s["order_seq"] = str(seq)
json.dump(s, open(path, "w"))
EOPY
	e2e_paper_start "$@" && e2e_paper_warm
}

# e2e_paper_warm: one signed Futures request (with a Nonce) right after a start. The
# paper exchange keeps its window of recent Futures nonces in memory only: until it
# holds one, a request that overtakes an earlier one of the same client (krakterm
# sends four at start-up) is refused as nonceBelowThreshold.
e2e_paper_warm() {
	kx fut GET accounts >/dev/null
}

# kx spot METHOD [k=v...] | kx fut GET|POST|PUT ENDPOINT [k=v...]: call the paper
# exchange directly with a minimal third-party Kraken client (python3 stdlib), signed
# exactly as Kraken documents (Spot API-Sign, Futures Authent); prints the JSON reply.
# Public Spot calls: kx spot public/Ticker pair=XBTUSD.
# With KX_EVAL=EXPR: evaluate EXPR on the reply (`j`) instead; a bool sets the exit
# status (the reply goes to stderr when false), anything else is printed. With KX_ID=ID
# also `o`: that order (Spot QueryOrders/OpenOrders result, Futures openOrders), or None.
kx() {
	"$E2E_PY" - "$E2E_TMP/paper.json" "$@" <<'EOPY'
import base64, hashlib, hmac, json, os, sys, time, urllib.error, urllib.parse, urllib.request
info = json.load(open(sys.argv[1]))
prod, args = sys.argv[2], sys.argv[3:]
base = "http://127.0.0.1:%d" % info["port"]
def send(req):
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.read().decode()
    except urllib.error.HTTPError as e:
        return e.read().decode()
def b64hmac(secret, msg):
    return base64.b64encode(hmac.new(base64.b64decode(secret), msg, hashlib.sha512).digest()).decode()
if prod == "spot":
    method, kv = args[0], [tuple(a.split("=", 1)) for a in args[1:]]
    if method.startswith("public/"):
        q = urllib.parse.urlencode(kv)
        reply = send(urllib.request.Request(base + "/0/" + method + ("?" + q if q else "")))
    else:
        nonce = str(time.time_ns() // 1000)
        body = urllib.parse.urlencode([("nonce", nonce)] + kv)
        path = "/0/private/" + method
        sig = b64hmac(info["spot_secret"],
                      path.encode() + hashlib.sha256((nonce + body).encode()).digest())
        reply = send(urllib.request.Request(base + path, data=body.encode(), method="POST",
            headers={"API-Key": info["spot_key"], "API-Sign": sig, "User-Agent": "kx-e2e",
                     "Content-Type": "application/x-www-form-urlencoded"}))
else:
    verb, ep, kv = args[0], args[1], [tuple(a.split("=", 1)) for a in args[2:]]
    data = urllib.parse.urlencode(kv)
    path = "/derivatives/api/v3/" + ep
    nonce = str(time.time_ns() // 1000000)
    sig = b64hmac(info["futures_secret"],
                  hashlib.sha256((data + nonce + path[len("/derivatives"):]).encode()).digest())
    url = base + path + ("?" + data if data and verb != "POST" else "")
    reply = send(urllib.request.Request(url, data=data.encode() if verb == "POST" else None,
        method=verb, headers={"APIKey": info["futures_key"], "Authent": sig, "Nonce": nonce,
        "User-Agent": "kx-e2e", "Content-Type": "application/x-www-form-urlencoded"}))
expr = os.environ.get("KX_EVAL")
if not expr:
    print(reply)
    sys.exit(0)
j = json.loads(reply)
o, oid = None, os.environ.get("KX_ID")
if oid:
    r = j.get("result", {}) if isinstance(j.get("result"), dict) else {}
    o = r.get(oid) or r.get("open", {}).get(oid) or next(
        (x for x in j.get("openOrders", []) if x.get("order_id") == oid), None)
try:
    v = eval(expr, {"j": j, "o": o})
except Exception as e:
    v = False
    print("kx: %s: %r" % (expr, e), file=sys.stderr)
if isinstance(v, bool):
    if not v:
        print("kx: false for %s" % json.dumps(o if oid else j)[:3000], file=sys.stderr)
    sys.exit(0 if v else 1)
print(v)
EOPY
}

# jq_py FILE EXPR: evaluate a python expression on the JSON in FILE (bound to `j`);
# prints the result (str() of it). Exit status 1 when it raises.
jq_py() {
	"$E2E_PY" -c 'import json,sys; j=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$1" "$2"
}

# json_ok FILE EXPR: true when the python expression EXPR (the JSON in FILE bound to
# `j`) is true; false when it is false, raises, or FILE is not JSON.
json_ok() {
	"$E2E_PY" -c 'import json,sys; j=json.load(open(sys.argv[1])); sys.exit(0 if eval(sys.argv[2]) else 1)' \
		"$1" "$2" 2>/dev/null
}

# json_valid FILE: FILE holds one JSON document (python3 -m json.tool accepts it).
json_valid() { "$E2E_PY" -m json.tool "$1" >/dev/null 2>&1; }
