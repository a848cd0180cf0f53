#!/usr/bin/env python3
"""gen-corpus: writes the hand-made seed inputs of the fuzz targets into
tests/fuzz/corpus/<target>/ (the fixtures under tests/fixtures are used as seeds
directly and are not copied, except where a target needs a file in its own dir).

Run from anywhere: python3 tests/fuzz/gen-corpus.py. The output is committed;
rerun after changing this file. Multi-message inputs join their messages with
0x1E (the record separator the WebSocket and paper targets split on)."""
import os
import shutil
import struct

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(TOP, "tests", "fuzz", "corpus")
RS = b"\x1e"


def write(target, name, data):
    d = os.path.join(OUT, target)
    os.makedirs(d, exist_ok=True)
    if isinstance(data, str):
        data = data.encode()
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


def fixture(area, name):
    with open(os.path.join(TOP, "tests", "fixtures", area, name), "rb") as f:
        return f.read().strip()


def join(*msgs):
    return RS.join(m.encode() if isinstance(m, str) else m for m in msgs)


# ---- fields: what a user types in the order ticket or on the command line ----
FIELDS = [
    "0.001", "61200.5", "-0.25", ".5", "5.", "+1.25", "1.50", "999999999999999999",
    "0.000000000000000001", "1e-3", "5.494e-6", "1E+3", "12,5", "  1", "nan", "inf", "0x10",
    "+50", "-1.5%", "#20", "buy", "SELL", "limit", "stop-loss-limit", "take-profit", "mkt",
    "trailing-stop-limit", "iceberg", "GTC", "ioc", "gtd", "fok", "mark", "index", "last",
    "1h30m", "90s", "500ms", "1.5s", "2d3h", "0", "15m", "2023-09-25T07:49:37.708706Z",
    "2016-02-25T09:45:53.818Z", "2024-03-01 10:00:00+02:00", "1677-09-21T00:12:43Z",
    "2262-04-11T23:47:16.854775807Z", "debug", "trace", "bright-cyan", "255", "default",
    "C-c", "M-x", "PgDn", "F12", "BTab", "a=1&b=x%20y&c", "orderIds=a&orderIds=b&x=%2B",
    "/0/private/AddOrder?nonce=1", "%00", "%zz",
    "-p\nlive\nconfig-check", "--json\npaths", "--profile=paper\n--log-level\ndebug",
    "--replay\nfile.jsonl\n--\nrecord", "-c\n/tmp/x\n--version", "--help", "-x",
    "--log-level=loud", "order\nBTC/USD\nbuy\nlimit\n0.01\n50000\n--yes",
    "5d1a31bd-0a1f-4e3c-9e9b-0123456789ab",
]

# ---- http: request heads the paper exchange's server parses ----
HTTP = {
    "get_time": "GET /0/public/Time HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",
    "post_form": "POST /0/private/Balance HTTP/1.1\r\nHost: x\r\nAPI-Key: k\r\nAPI-Sign: s\r\n"
                 "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 13\r\n\r\n",
    "http10_keepalive": "GET /derivatives/api/v3/tickers HTTP/1.0\r\nConnection: keep-alive\r\n\r\n",
    "upgrade": "GET /v2 HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
               "Connection: keep-alive, Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
               "Sec-WebSocket-Version: 13\r\n\r\n",
    "upgrade_v8": "GET /ws/v1 HTTP/1.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                  "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 8\r\n\r\n",
    "chunked": "POST /x HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n",
    "two_lengths": "POST /x HTTP/1.1\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n",
    "bare_lf": "GET /a?b=c HTTP/1.1\nHost: y\n\n",
    "folding": "GET / HTTP/1.1\r\nX: a\r\n  b\r\n\r\n",
    "absolute": "GET http://x/ HTTP/1.1\r\n\r\n",
    "http2": "GET / HTTP/2.0\r\n\r\n",
    "small_limit": "SLOW / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Long: " + "a" * 80 + "\r\n\r\n",
}


def ws_frame(op, payload, mask=b"\x01\x02\x03\x04", fin=True, rsv=0):
    b0 = (0x80 if fin else 0) | rsv | op
    n = len(payload)
    m = 0x80 if mask else 0
    if n < 126:
        head = bytes([b0, m | n])
    elif n < 65536:
        head = bytes([b0, m | 126]) + struct.pack(">H", n)
    else:
        head = bytes([b0, m | 127]) + struct.pack(">Q", n)
    if mask:
        body = bytes(c ^ mask[i % 4] for i, c in enumerate(payload))
        return head + mask + body
    return head + payload


WS_FRAMES = {
    # byte 0: bit 0 = client role (unmasked frames expected), bit 1 = 200-byte limit
    "text": b"\x00" + ws_frame(1, b'{"method":"ping"}'),
    "fragmented": b"\x00" + ws_frame(1, b'{"a":', fin=False) + ws_frame(0, b'1}'),
    "ping_close": b"\x00" + ws_frame(9, b"hi") + ws_frame(8, b"\x03\xe8bye"),
    "binary16": b"\x00" + ws_frame(2, b"x" * 300),
    "too_big": b"\x02" + ws_frame(1, b"y" * 300),
    "client_unmasked": b"\x01" + ws_frame(1, b'{"event":"info"}', mask=None),
    "bad_utf8": b"\x00" + ws_frame(1, b"\xc3\x28"),
    "rsv": b"\x00" + ws_frame(1, b"x", rsv=0x40),
    "close_1005": b"\x00" + ws_frame(8, b""),
    "cont_first": b"\x00" + ws_frame(0, b"x"),
}


def spot_ws_sessions():
    snap = fixture("spot_ws", "book_snapshot_btcusd.json")
    return {
        "book_updates": join(snap, fixture("spot_ws", "book_update_btcusd_repeat.json"),
                             fixture("spot_ws", "book_update_btcusd_truncate.json"),
                             fixture("spot_ws", "book_update_btcusd_badck.json"), snap),
        "executions": join(fixture("spot_ws", "executions_snapshot.json"),
                           fixture("spot_ws", "executions_new.json"),
                           fixture("spot_ws", "executions_trade.json"),
                           fixture("spot_ws", "executions_filled.json"),
                           fixture("spot_ws", "executions_canceled.json")),
        "trading": join(fixture("spot_ws", "add_order_ok.json"),
                        fixture("spot_ws", "batch_add_ok.json"),
                        fixture("spot_ws", "amend_order_ok.json"),
                        fixture("spot_ws", "cancel_order_unknown.json"),
                        fixture("spot_ws", "pong.json")),
        "market": join(fixture("spot_ws", "ticker_snapshot.json"),
                       fixture("spot_ws", "ticker_update.json"),
                       fixture("spot_ws", "trade_snapshot.json"),
                       fixture("spot_ws", "ohlc_snapshot.json"),
                       fixture("spot_ws", "ohlc_update.json"),
                       fixture("spot_ws", "instrument_update_btc_precision.json"),
                       fixture("spot_ws", "status_maintenance.json")),
    }


def fut_ws_sessions():
    f = lambda n: fixture("fut_ws", n)
    return {
        "book": join(f("book_delta.json"), f("book_delta_delete.json"), f("book_delta_gap.json"),
                     f("book_snapshot.json"), f("book_delta.json")),
        "private": join(f("challenge.json"), f("orders_snapshot.json"), f("orders_new.json"),
                        f("orders_partial.json"), f("orders_full_fill.json"),
                        f("fills_snapshot.json"), f("fills.json"), f("open_positions.json"),
                        f("balances_snapshot.json"), f("balances_delta_flex.json")),
        "misc": join(f("info.json"), f("subscribed_book.json"), f("subscribed_failed.json"),
                     f("ticker_perp.json"), f("trade_snapshot.json"), f("trade.json"),
                     f("heartbeat.json"), f("alert.json"), f("notifications.json"),
                     f("notifications.json"), f("account_log_snapshot.json"),
                     f("account_log_entry.json")),
    }


def http_req(method, path, body="", headers=None, query=""):
    h = [f"{method} {path}{'?' + query if query else ''} HTTP/1.1", "Host: 127.0.0.1"]
    for k, v in (headers or {}).items():
        h.append(f"{k}: {v}")
    if body:
        h.append("Content-Type: application/x-www-form-urlencoded")
        h.append(f"Content-Length: {len(body)}")
    return ("\r\n".join(h) + "\r\n\r\n" + body).encode()


def spot(method, body=""):
    priv = method not in ("Time", "SystemStatus", "Assets", "AssetPairs", "Ticker", "Depth",
                          "OHLC", "Trades", "Spread")
    path = ("/0/private/" if priv else "/0/public/") + method
    if priv:
        body = "nonce=1709287200000" + ("&" + body if body else "")
        return http_req("POST", path, body, {"API-Key": "k", "API-Sign": "c2ln"})
    return http_req("GET", path, query=body)


def fut(ep, body="", method="POST", query=""):
    path = ep if ep.startswith("/") else "/derivatives/api/v3/" + ep
    hdr = {"APIKey": "k", "Authent": "c2ln", "Nonce": "1709287200000"}
    if method == "GET":
        return http_req("GET", path, headers=hdr, query=query or body)
    return http_req(method, path, body, hdr, query)


def spot_json():
    body = (b'{"nonce":"1","pair":"XBTUSD","orders":[{"ordertype":"limit","type":"buy",'
            b'"volume":"0.01","price":"59000"},{"ordertype":"limit","type":"sell",'
            b'"volume":"0.01","price":"61000"}]}')
    head = ("POST /0/private/AddOrderBatch HTTP/1.1\r\nAPI-Key: k\r\nAPI-Sign: c2ln\r\n"
            "Content-Type: application/json\r\nContent-Length: %d\r\n\r\n" % len(body))
    return head.encode() + body


def paper_rest():
    s = {
        "spot_public": join(spot("Time"), spot("SystemStatus"), spot("Assets", "asset=XBT,USD"),
                            spot("AssetPairs", "pair=XBTUSD"), spot("Ticker", "pair=XBTUSD"),
                            spot("Depth", "pair=XBTUSD&count=5"),
                            spot("OHLC", "pair=XBTUSD&interval=5"),
                            spot("Trades", "pair=XBTUSD&since=0"), spot("Spread", "pair=XBTUSD")),
        "spot_orders": join(
            spot("AddOrder", "pair=XBTUSD&type=buy&ordertype=limit&volume=0.01&price=59000"
                             "&cl_ord_id=c1"),
            spot("AddOrder", "pair=XBTUSD&type=sell&ordertype=stop-loss-limit&volume=0.02"
                             "&price=%2B100&price2=58000&oflags=post"),
            spot("AddOrder", "pair=XBTUSD&type=buy&ordertype=market&volume=0.01&validate=true"),
            spot("AddOrder", "pair=XBTUSD&type=buy&ordertype=trailing-stop&volume=0.01"
                             "&price=%2B1.5%25&close%5Bordertype%5D=limit&close%5Bprice%5D=70000"),
            spot("AmendOrder", "cl_ord_id=c1&order_qty=0.02&limit_price=59001"),
            spot("EditOrder", "txid=OXXXXX-XXXXX-XXXXXX&pair=XBTUSD&volume=0.03"),
            spot("OpenOrders", "trades=true"), spot("QueryOrders", "txid=OABC,ODEF"),
            spot("CancelOrder", "cl_ord_id=c1"), spot("CancelAll"),
            spot("CancelAllOrdersAfter", "timeout=60"), spot("ClosedOrders"),
            spot("TradesHistory"), spot("Ledgers", "asset=all")),
        "spot_account": join(spot("Balance"), spot("BalanceEx"), spot("TradeBalance", "asset=ZUSD"),
                             spot("OpenPositions"), spot("GetWebSocketsToken"),
                             spot("WalletTransfer", "asset=XBT&from=Spot%20Wallet&to=Futures%20"
                                                    "Wallet&amount=0.1"),
                             spot("QueryTrades", "txid=T1"), spot("QueryLedgers", "id=L1")),
        "spot_json": spot_json(),
        "fut_public": join(fut("instruments", method="GET"), fut("tickers", method="GET"),
                           fut("orderbook", "symbol=PF_XBTUSD", "GET"),
                           fut("history", "symbol=PF_XBTUSD", "GET"),
                           fut("historical-funding-rates", "symbol=PF_XBTUSD", "GET"),
                           fut("/api/charts/v1/trade/PF_XBTUSD/1h", method="GET")),
        "fut_orders": join(
            fut("sendorder", "orderType=lmt&symbol=PF_XBTUSD&side=buy&size=0.01&limitPrice=59000"
                             "&cliOrdId=f1"),
            fut("sendorder", "orderType=stp&symbol=PF_XBTUSD&side=sell&size=0.01&stopPrice=58000"
                             "&triggerSignal=mark&reduceOnly=true"),
            fut("sendorder", "orderType=trailing_stop&symbol=pf_xbtusd&side=sell&size=1e-2"
                             "&trailingStopMaxDeviation=1&trailingStopDeviationUnit=PERCENT"),
            fut("editorder", "cliOrdId=f1&size=0.02&limitPrice=59500"),
            fut("batchorder", "json=%7B%22batchOrder%22%3A%5B%7B%22order%22%3A%22send%22%2C%22"
                              "order_tag%22%3A%221%22%2C%22orderType%22%3A%22lmt%22%2C%22symbol"
                              "%22%3A%22PF_XBTUSD%22%2C%22side%22%3A%22buy%22%2C%22size%22%3A1"
                              "%2C%22limitPrice%22%3A59000%7D%5D%7D"),
            fut("openorders", method="GET"), fut("orders/status", "cliOrdIds=f1&orderIds=x"),
            fut("cancelorder", "cliOrdId=f1"), fut("cancelallorders", "symbol=PF_XBTUSD"),
            fut("cancelallordersafter", "timeout=60"), fut("fills", method="GET"),
            fut("/api/history/v3/account-log", "count=5", "GET")),
        "fut_account": join(fut("accounts", method="GET"), fut("openpositions", method="GET"),
                            fut("leveragepreferences", method="GET"),
                            fut("leveragepreferences", method="PUT",
                                query="symbol=PF_XBTUSD&maxLeverage=5"),
                            fut("pnlpreferences", method="PUT", query="symbol=PF_XBTUSD&pnlPreference=BTC"),
                            fut("transfer", "fromAccount=flex&toAccount=cash&unit=USD&amount=10"),
                            fut("withdrawal", "currency=USD&amount=1"),
                            fut("feeschedules/volumes", method="GET")),
        # regression: a client string that is not UTF-8 echoed into a reply (fixed in
        # base/jwrite.c: such bytes are written as U+FFFD)
        "regress_utf8": join(fut("editorder", "cliOrdId=%9A%CE%D9%8Fize&size=0.02"),
                             spot("AddOrder", "pair=XBTUSD&type=buy&ordertype=limit&volume=1"
                                              "&price=1&cl_ord_id=%FF%FE")),
        "garbage": join(b"GET /nowhere HTTP/1.1\r\n\r\n", b"POST /0/private/AddOrder HTTP/1.1\r\n"
                        b"Content-Length: 3\r\n\r\n%zz"),
    }
    return s


def paper_ws():
    sub = lambda ch, extra="": ('{"method":"subscribe","params":{"channel":"%s"%s},"req_id":1}'
                                % (ch, extra))
    return {
        "spot_public": join(sub("book", ',"symbol":["BTC/USD"],"depth":10'),
                            sub("ticker", ',"symbol":["BTC/USD","ETH/USD"],"event_trigger":"bbo"'),
                            sub("trade", ',"symbol":["BTC/USD"]'),
                            sub("ohlc", ',"symbol":["BTC/USD"],"interval":5'),
                            sub("instrument"), '{"method":"ping","req_id":7}',
                            '{"method":"unsubscribe","params":{"channel":"book","symbol":'
                            '["BTC/USD"],"depth":10}}'),
        "spot_private": join(
            sub("executions", ',"token":"$TOKEN","snap_orders":true,"snap_trades":true'),
            sub("balances", ',"token":"$TOKEN"'),
            '{"method":"add_order","params":{"order_type":"limit","side":"buy","order_qty":0.01,'
            '"limit_price":59000,"symbol":"BTC/USD","cl_ord_id":"w1","token":"$TOKEN"},"req_id":2}',
            '{"method":"amend_order","params":{"cl_ord_id":"w1","order_qty":0.02,'
            '"token":"$TOKEN"},"req_id":3}',
            '{"method":"batch_add","params":{"symbol":"BTC/USD","token":"$TOKEN","orders":['
            '{"order_type":"limit","side":"sell","order_qty":0.01,"limit_price":61000},'
            '{"order_type":"stop-loss","side":"sell","order_qty":0.01,"triggers":{"price":50000}}]}}',
            '{"method":"cancel_order","params":{"cl_ord_id":["w1"],"token":"$TOKEN"}}',
            '{"method":"cancel_all_orders_after","params":{"timeout":60,"token":"$TOKEN"}}',
            '{"method":"cancel_all","params":{"token":"$TOKEN"}}'),
        "fut": join('{"event":"subscribe","feed":"book","product_ids":["PF_XBTUSD"]}',
                    '{"event":"subscribe","feed":"ticker","product_ids":["PF_XBTUSD","PI_XBTUSD"]}',
                    '{"event":"subscribe","feed":"trade","product_ids":["PF_XBTUSD"]}',
                    '{"event":"subscribe","feed":"heartbeat"}',
                    '{"event":"challenge","api_key":"$FKEY"}',
                    '{"event":"subscribe","feed":"open_orders_verbose","api_key":"$FKEY",'
                    '"original_challenge":"$CHAL","signed_challenge":"$SIGNED"}',
                    '{"event":"subscribe","feed":"fills","api_key":"$FKEY",'
                    '"original_challenge":"$CHAL","signed_challenge":"$SIGNED"}',
                    '{"event":"subscribe","feed":"balances","api_key":"$FKEY",'
                    '"original_challenge":"$CHAL","signed_challenge":"$SIGNED"}',
                    '{"event":"subscribe","feed":"open_positions","api_key":"$FKEY",'
                    '"original_challenge":"$CHAL","signed_challenge":"$SIGNED"}',
                    '{"event":"subscribe","feed":"account_log","api_key":"$FKEY",'
                    '"original_challenge":"$CHAL","signed_challenge":"x"}',
                    '{"event":"unsubscribe","feed":"book","product_ids":["PF_XBTUSD"]}'),
        "junk": join("{", "[]", '{"method":7}', '{"event":"subscribe","feed":"nope"}', "\"\\ud800\""),
    }


def main():
    if os.path.isdir(OUT):
        shutil.rmtree(OUT)
    for i, f in enumerate(FIELDS):
        write("fields", "f%02d" % i, f)
    for n, v in HTTP.items():
        write("http", n, v)
    for n, v in WS_FRAMES.items():
        write("ws_frame", n, v)
    # regression: an empty result applied as an empty wallet (memcpy from NULL, fixed
    # in src/core/state.c), and an empty book side (NULL + 0, fixed in src/core/book.c)
    write("spot_rest", "regress_empty_result", '{"error":[],"result":{}}')
    write("spot_rest", "regress_empty_depth",
          '{"error":[],"result":{"XXBTZUSD":{"asks":[],"bids":[["60000.0","1.0",1]]}}}')
    for n, v in spot_ws_sessions().items():
        write("spot_ws", n, v)
    for n, v in fut_ws_sessions().items():
        write("fut_ws", n, v)
    for n, v in paper_rest().items():
        write("paper_rest", n, v)
    for n, v in paper_ws().items():
        write("paper_ws", n, v)
    with open(os.path.join(TOP, "docs", "config.example"), "rb") as f:
        write("config", "config.example", f.read())
    for n in ("nav.conf", "broken_keymap.conf"):
        write("keymap", n, fixture("ui", n) + b"\n")
    write("keymap", "overlay.conf", 'global = ( ["x", "none"], ["F5", "help"] );\n'
                                    'orders = ( ["c", "cancel_order"] );\n')
    write("theme", "broken_theme.conf", fixture("ui", "broken_theme.conf") + b"\n")
    write("theme", "small.conf", 'name = "t";\nslots = { bid = { fg = "green"; fg256 = 34; '
                                 'attrs = "bold,underline"; mono = "reverse"; }; };\n')


if __name__ == "__main__":
    main()
