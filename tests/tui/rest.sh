# rest.sh: look at the paper exchange from outside, as a second client would —
# signed Spot and Futures REST requests with the keys `e2e_paper_start` wrote to
# $E2E_TMP/paper.json. Source it after tests/tui/lib.sh; not a test itself.
#
#   kx spot OpenOrders                       # POST /0/private/OpenOrders
#   kx fut GET openorders                    # /derivatives/api/v3/openorders
#   kx fut POST sendorder symbol=PF_XBTUSD side=buy size=1 orderType=lmt limitPrice=50000
#   kx spot OpenOrders | kxq 'len(r["result"]["open"])'
#
# Nonces come from krakterm's own per-key nonce files (flock, the same format:
# src/net/nonce.h), so a running krakterm with the same key and this client
# never hand out the same or a lower nonce.

KX_PY="$E2E_TMP/kx.py"
cat >"$KX_PY" <<'EOPY'
import base64, fcntl, hashlib, hmac, json, os, sys, time, urllib.parse, urllib.request

conf = json.load(open(os.path.join(os.environ["E2E_TMP"], "paper.json")))
base = "http://127.0.0.1:%d" % conf["port"]
ndir = os.path.join(os.environ["XDG_STATE_HOME"], "krakterm", "nonces")


def nonce(key, unit):
    """The next nonce for key, shared with krakterm through its nonce file."""
    os.makedirs(ndir, mode=0o700, exist_ok=True)
    path = os.path.join(ndir, hashlib.sha256(key.encode()).hexdigest()[:32] + ".nonce")
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        have = os.pread(fd, 128, 0).decode().split()
        if len(have) == 4:
            unit = have[2]
        last = int(have[3]) if len(have) == 4 else 0
        now = int(time.time() * (1e6 if unit == "us" else 1e3))
        n = now if now > last else last + 1
        text = ("krakterm-nonce 1 %s %d\n" % (unit, n)).encode()
        os.pwrite(fd, text, 0)
        os.ftruncate(fd, len(text))
    finally:
        os.close(fd)
    return str(n)


def spot(method, params):
    path = "/0/private/" + method
    n = nonce(conf["spot_key"], "us")
    body = urllib.parse.urlencode([("nonce", n)] + params)
    inner = hashlib.sha256((n + body).encode()).digest()
    sig = hmac.new(base64.b64decode(conf["spot_secret"]), path.encode() + inner, hashlib.sha512)
    req = urllib.request.Request(base + path, data=body.encode(), method="POST", headers={
        "API-Key": conf["spot_key"], "API-Sign": base64.b64encode(sig.digest()).decode(),
        "Content-Type": "application/x-www-form-urlencoded", "User-Agent": "kt-tui-test"})
    return urllib.request.urlopen(req, timeout=10).read()


def fut(verb, endpoint, params):
    path = "/derivatives/api/v3/" + endpoint
    n = nonce(conf["futures_key"], "ms")
    post = urllib.parse.urlencode(params)
    digest = hashlib.sha256((post + n + path[len("/derivatives"):]).encode()).digest()
    sig = hmac.new(base64.b64decode(conf["futures_secret"]), digest, hashlib.sha512)
    url, data = base + path, None
    if verb == "POST":
        data = post.encode()
    elif post:
        url += "?" + post
    req = urllib.request.Request(url, data=data, method=verb, headers={
        "APIKey": conf["futures_key"], "Authent": base64.b64encode(sig.digest()).decode(),
        "Nonce": n, "Content-Type": "application/x-www-form-urlencoded",
        "User-Agent": "kt-tui-test"})
    return urllib.request.urlopen(req, timeout=10).read()


args = sys.argv[1:]
kv = [tuple(a.split("=", 1)) for a in args if "=" in a]
if args[0] == "spot":
    out = spot(args[1], kv)
else:
    out = fut(args[1], args[2], kv)
sys.stdout.write(out.decode() + "\n")
EOPY

# kx spot METHOD [k=v...] | kx fut GET|POST ENDPOINT [k=v...]: the JSON answer on stdout.
kx() { E2E_TMP="$E2E_TMP" python3 "$KX_PY" "$@"; }

# kxq EXPR: evaluate a Python expression over the JSON on stdin (as r) and print it.
kxq() { python3 -c 'import json,sys; r=json.load(sys.stdin); print(eval(sys.argv[1]))' "$1"; }

# kx_wait_asks SYMBOL: wait (up to 5 x TUI_SLOW seconds) until the public book of
# SYMBOL (BTC/USD or PF_XBTUSD) has at least 5 asks: the simulator fills the
# books within a moment of starting.
kx_wait_asks() {
	case "$1" in
	*_*) q="/derivatives/api/v3/orderbook?symbol=$1" e='len(r["orderBook"]["asks"])' ;;
	*) q="/0/public/Depth?pair=$1&count=5" e='len(list(r["result"].values())[0]["asks"])' ;;
	esac
	i=0
	while [ "$(curl -s "$E2E_URL$q" | kxq "$e")" -lt 5 ] 2>/dev/null &&
		[ $i -lt $((25 * TUI_SLOW)) ]; do
		sleep 0.2
		i=$((i + 1))
	done
}

# kx_px SYMBOL PCT TICK: a price PCT percent away from the market (spot: last
# trade; futures: mark), on the TICK grid (rounded toward the market), from
# the public tickers.
kx_px() {
	python3 - "$E2E_URL" "$1" "$2" "$3" <<'EOPY'
import json, sys, urllib.parse, urllib.request
from decimal import Decimal, ROUND_FLOOR, ROUND_CEILING
base, sym, pct, tick = sys.argv[1], sys.argv[2], Decimal(sys.argv[3]), Decimal(sys.argv[4])
if "_" in sym:
    t = json.load(urllib.request.urlopen(base + "/derivatives/api/v3/tickers/" + sym))
    ref = Decimal(str(t["ticker"]["markPrice"]))
else:
    t = json.load(urllib.request.urlopen(base + "/0/public/Ticker?pair=" + urllib.parse.quote(sym)))
    ref = Decimal(list(t["result"].values())[0]["c"][0])
p = ref * (1 + pct / 100) / tick
p = p.to_integral_value(ROUND_CEILING if pct < 0 else ROUND_FLOOR) * tick
print(p)
EOPY
}

# grouped PRICE DECIMALS: PRICE as krakterm shows it ("58,800.0").
grouped() { python3 -c 'import sys; from decimal import Decimal; print(("{:,.%sf}" % sys.argv[2]).format(Decimal(sys.argv[1])))' "$1" "$2"; }
