#!/bin/sh
# commands.sh: the one-shot commands of the real binary against a real paper exchange
# (`krakterm paper` on a free port, with seeded liquidity).
#
# Proves: the read commands render (text and --json); `order` places every order type
# of both products and the exchange received exactly the parameters given (read back
# with kx, an independent Kraken client in python signing as Kraken documents); amend,
# cancel, cancel --all, close (futures and spot margin), leverage N / cross, transfers
# in every direction moving both balances by exactly the amount; validation errors,
# safety guards and a missing confirmation exit 2 with nothing at the exchange; the
# journal holds the intents and acknowledgements; every --json answer parses.
. "$KT_TOP_SRCDIR/tests/e2e/lib.sh"

e2e_begin 84
e2e_paper_start --no-market || { diag "cannot start the paper exchange"; e2e_end; }
e2e_paper_seed --no-market || { diag "cannot seed the paper exchange"; e2e_end; }

T=$E2E_TMP
rc_is() { test "$KT_RC" = "$1"; }
out_has() { has "$KT_OUT" "$1"; }
err_has() { has "$KT_ERR" "$1"; }

# order ARGS...: `krakterm order ARGS --json --yes` (the e2e profile is live: without
# --yes it would ask on the terminal); OID = the order id it reports.
order() {
	kt order "$@" --json --yes
	OID=$(sed -n 's/.*"order_id":"\([^"]*\)".*/\1/p' "$KT_OUT")
}
# placed_spot CHECK ARGS...: place a spot order; then CHECK (python, on the exchange's
# own record `o` of it, read with QueryOrders) must hold.
placed_spot() {
	check=$1
	shift
	order "$@"
	[ "$KT_RC" = 0 ] && [ -n "$OID" ] || { sed 's/^/# /' "$KT_ERR"; return 1; }
	KX_ID=$OID KX_EVAL=$check kx spot QueryOrders txid="$OID"
}
# placed_fut CHECK ARGS...: the same for futures (the exchange's openorders).
placed_fut() {
	check=$1
	shift
	order "$@"
	[ "$KT_RC" = 0 ] && [ -n "$OID" ] || { sed 's/^/# /' "$KT_ERR"; return 1; }
	KX_ID=$OID KX_EVAL=$check kx fut GET openorders
}
# spot_has ID CHECK / fut_has ID CHECK: an order at the exchange, as above.
spot_has() { KX_ID=$1 KX_EVAL=$2 kx spot QueryOrders txid="$1"; }
fut_has() { KX_ID=$1 KX_EVAL=$2 kx fut GET openorders; }
# fut_filled ID SIZE: the exchange's fills of order ID add up to SIZE.
fut_filled() {
	KX_EVAL="abs(sum(f['size'] for f in j['fills'] if f['order_id'] == '$1') - $2) < 1e-9" \
		kx fut GET fills
}
spot_open_count() { KX_EVAL='len(j["result"]["open"])' kx spot OpenOrders; }
fut_open_count() { KX_EVAL='len(j["openOrders"])' kx fut GET openorders; }
# spot_bal ASSET / flex_bal ASSET / cash_bal ASSET: balances at the exchange (exact text).
spot_bal() { KX_EVAL="j['result'].get('$1', '0')" kx spot Balance; }
flex_bal() { KX_EVAL="'%.4f' % j['accounts']['flex']['currencies'].get('$1', {}).get('quantity', 0)" kx fut GET accounts; }
cash_bal() { KX_EVAL="'%.4f' % float({k.lower(): v for k, v in j['accounts']['cash']['balances'].items()}.get('$1', 0))" kx fut GET accounts; }
# moved BEFORE AFTER DELTA: AFTER - BEFORE == DELTA exactly (decimal arithmetic).
moved() {
	"$E2E_PY" -c 'import sys; from decimal import Decimal as D; sys.exit(0 if D(sys.argv[2]) - D(sys.argv[1]) == D(sys.argv[3]) else 1)' "$1" "$2" "$3"
}

# ---- reading ----
kt balances
ok "balances: both wallets render" eval 'rc_is 0 && out_has "Spot wallet" && out_has "100,000.0000" && out_has "Futures wallet"'
kt balances --json
ok "balances --json: spot USD is exactly 100000.0000" json_ok "$KT_OUT" '[b for b in j["spot"] if b["asset"] == "USD"][0]["balance"] == "100000.0000"'
kt --json ticker PF_XBTUSD
ok "global --json before the command: futures ticker with mark and book top" json_ok "$KT_OUT" 'j["mark"] == "60000.00" and j["bid"] == "59990.00" and j["ask"] == "60010.00"'
kt ticker btc/usd
ok "ticker: any case, bid and ask shown" eval 'rc_is 0 && out_has "59,990.0" && out_has "60,010.0"'
kt book BTC/USD --depth 3
ok "book --depth 3: three levels a side and the spread" eval 'rc_is 0 && [ "$(grep -c "^  ask" "$KT_OUT")" = 3 ] && [ "$(grep -c "^  bid" "$KT_OUT")" = 3 ] && out_has "spread"'
kt book PF_XBTUSD --depth 5 --json
ok "book --json: five levels, best first, decimals as strings" json_ok "$KT_OUT" 'len(j["bids"]) == 5 and j["bids"][0]["price"] == "59990" and j["asks"][0]["price"] == "60010" and j["asks"][0]["size"] == "1.0000"'
kt funding PF_XBTUSD
ok "funding: current, predicted and next" eval 'rc_is 0 && out_has "current rate" && out_has "predicted rate" && out_has "next funding"'
kt funding PF_XBTUSD --json
ok "funding --json parses with a history list" json_ok "$KT_OUT" 'isinstance(j["history"], list) and "rate" in j'
kt funding BTC/USD
ok "funding of a spot pair: exit 2" rc_is 2
kt ticker NOPE/USD
ok "unknown instrument: exit 2 naming real ones" eval 'rc_is 2 && err_has "unknown instrument" && err_has "BTC/USD"'

# ---- spot orders: each type, read back at the exchange ----
ok "spot market buy: filled, the exchange has a market buy of exactly 0.02" \
	placed_spot 'o["descr"]["ordertype"] == "market" and o["descr"]["type"] == "buy" and o["vol"] == "0.02000000" and o["vol_exec"] == "0.02000000"' \
	BTC/USD buy market 0.02
LIMIT_ID=
ok "spot limit: price and size as given" \
	placed_spot 'o["status"] == "open" and o["descr"]["ordertype"] == "limit" and o["descr"]["price"] == "59500.0" and o["vol"] == "0.01000000"' \
	BTC/USD buy limit 0.01 59500
LIMIT_ID=$OID
ok "spot iceberg: limit price and type" \
	placed_spot 'o["descr"]["ordertype"] == "iceberg" and o["descr"]["price"] == "60500.0" and o["vol"] == "0.00200000"' \
	BTC/USD sell iceberg 0.002 60500 --display 0.0005
ok "spot stop (PRICE is the trigger): stop-loss at 59000" \
	placed_spot 'o["descr"]["ordertype"] == "stop-loss" and o["descr"]["price"] == "59000.0" and o["descr"]["type"] == "sell"' \
	BTC/USD sell stop 0.0005 59000
ok "spot stop-limit on index: trigger, limit and signal" \
	placed_spot 'o["descr"]["ordertype"] == "stop-loss-limit" and o["descr"]["price"] == "59000.0" and o["descr"]["price2"] == "58900.0" and o.get("trigger") == "index"' \
	BTC/USD sell stop-limit 0.0005 58900 --trigger 59000 --trigger-signal index
ok "spot take-profit: trigger 61000" \
	placed_spot 'o["descr"]["ordertype"] == "take-profit" and o["descr"]["price"] == "61000.0"' \
	BTC/USD sell take-profit 0.0005 61000
ok "spot take-profit-limit: trigger 61000, limit 61100" \
	placed_spot 'o["descr"]["ordertype"] == "take-profit-limit" and o["descr"]["price"] == "61000.0" and o["descr"]["price2"] == "61100.0"' \
	BTC/USD sell take-profit-limit 0.0005 61100 --trigger 61000
ok "spot trailing-stop: offset +100" \
	placed_spot 'o["descr"]["ordertype"] == "trailing-stop" and o["descr"]["price"] == "+100.0"' \
	BTC/USD sell trailing-stop 0.0005 --trailing 100
ok "spot trailing-stop-limit: +1% and limit offset -50" \
	placed_spot 'o["descr"]["ordertype"] == "trailing-stop-limit" and o["descr"]["price"] == "+1%" and o["descr"]["price2"] == "-50.0"' \
	BTC/USD sell trailing-stop-limit 0.0005 --trailing 1% --limit-offset -50
NOW=$(date +%s)
ok "spot GTD: expires about an hour from now" \
	placed_spot "abs(float(o['expiretm']) - ($NOW + 3600)) < 120" \
	BTC/USD buy limit 0.001 59000 --expire +1h
ok "spot post-only resting: the exchange has the post flag" \
	placed_spot '"post" in o["oflags"]' \
	BTC/USD buy limit 0.001 59001 --post-only
order BTC/USD buy limit 0.001 60010 --post-only
ok "spot post-only that would take: the exchange refuses it, exit 1" eval 'rc_is 1 && err_has "Post only"'
ok "spot IOC that finds nothing: cancelled by the exchange" \
	placed_spot 'o["status"] == "canceled" and o["descr"]["price"] == "59000.0"' \
	BTC/USD buy limit 0.001 59000 --tif IOC
ok "spot --quote: a market buy for 100 USD (viqc)" \
	placed_spot '"viqc" in o["oflags"] and o["descr"]["ordertype"] == "market" and abs(float(o["cost"]) - 100) < 0.01' \
	BTC/USD buy market 100 --quote
ok "spot --leverage 3: on margin at 3:1" \
	placed_spot 'o["descr"]["leverage"] == "3:1"' \
	BTC/USD buy limit 0.001 59000 --leverage 3
ok "spot --close stop-limit: the conditional close arrived" \
	placed_spot '"58000.0" in o["descr"]["close"] and "57900.0" in o["descr"]["close"]' \
	BTC/USD buy limit 0.001 59000 --close stop-limit 58000 57900
N0=$(spot_open_count)
order BTC/USD buy limit 0.001 59000 --validate
ok "spot --validate: valid, nothing placed" eval 'rc_is 0 && json_ok "$KT_OUT" "j[\"validate_only\"] and j[\"status\"] == \"validated\"" && [ "$(spot_open_count)" = "$N0" ]'
kt orders --json
ok "orders --json lists the resting spot orders" json_ok "$KT_OUT" "len([o for o in j if o['product'] == 'spot']) == $N0"

# ---- spot margin position: positions and close ----
order BTC/USD buy market 0.001 --leverage 2
kt positions --json
ok "positions: the spot margin long" json_ok "$KT_OUT" '[p for p in j if p["symbol"] == "BTC/USD"][0]["side"] == "long" and [p for p in j if p["symbol"] == "BTC/USD"][0]["margin"] == "spot"'
kt close BTC/USD --yes
ok "close BTC/USD: the spot margin position is gone at the exchange" eval 'rc_is 0 && KX_EVAL="len(j[\"result\"]) == 0" kx spot OpenPositions'

# ---- transfers ----
S0=$(spot_bal ZUSD)
F0=$(flex_bal USD)
kt transfer USD 20000 spot futures --yes
S1=$(spot_bal ZUSD)
F1=$(flex_bal USD)
ok "transfer spot -> futures: spot -20000 exactly" moved "$S0" "$S1" -20000
ok "transfer spot -> futures: futures +20000 exactly, reference printed" eval 'moved "$F0" "$F1" 20000 && out_has "reference"'

# ---- futures orders ----
ok "futures market buy: filled 0.01 at the exchange" eval 'order PF_XBTUSD buy market 0.01 && rc_is 0 && fut_filled "$OID" 0.01'
ok "futures limit: lmt, price, side and size" \
	placed_fut 'o["orderType"] == "lmt" and o["limitPrice"] == 59000 and o["side"] == "buy" and o["unfilledSize"] == 0.01' \
	PF_XBTUSD buy limit 0.01 59000
FLIMIT_ID=$OID
ok "futures stop (PRICE is the trigger): stp on mark, no limit" \
	placed_fut 'o["orderType"] == "stop" and o["stopPrice"] == 59000 and o["triggerSignal"] == "mark" and "limitPrice" not in o' \
	PF_XBTUSD sell stop 0.01 59000
ok "futures stop-limit on last: trigger and limit" \
	placed_fut 'o["orderType"] == "stop" and o["stopPrice"] == 59000 and o["limitPrice"] == 58900 and o["triggerSignal"] == "last"' \
	PF_XBTUSD sell stop-limit 0.01 58900 --trigger 59000 --trigger-signal last
ok "futures take-profit on index (Kraken: spot)" \
	placed_fut 'o["orderType"] == "take_profit" and o["stopPrice"] == 61000 and o["triggerSignal"] == "spot"' \
	PF_XBTUSD sell take-profit 0.01 61000 --trigger-signal index
ok "futures take-profit-limit: trigger 61000, limit 61100" \
	placed_fut 'o["orderType"] == "take_profit" and o["stopPrice"] == 61000 and o["limitPrice"] == 61100' \
	PF_XBTUSD sell take-profit-limit 0.01 61100 --trigger 61000
ok "futures trailing-stop 1%: trigger about 1% under the market" \
	placed_fut 'o["orderType"] == "trailing_stop" and 59000 < o["stopPrice"] < 59800' \
	PF_XBTUSD sell trailing-stop 0.01 --trailing 1%
ok "futures post-only resting: placed as a limit" \
	placed_fut 'o["orderType"] == "lmt" and o["limitPrice"] == 59001' \
	PF_XBTUSD buy limit 0.01 59001 --post-only
order PF_XBTUSD buy limit 0.01 60010 --post-only
ok "futures post-only that would take: refused (postWouldExecute), exit 1" eval 'rc_is 1 && err_has "postWouldExecute"'
ok "futures IOC: filled against the book" eval 'order PF_XBTUSD buy limit 0.01 60020 --tif IOC && rc_is 0 && fut_filled "$OID" 0.01'
ok "futures FOK: filled whole" eval 'order PF_XBTUSD buy limit 0.01 60010 --tif FOK && rc_is 0 && fut_filled "$OID" 0.01'
order PF_XBTUSD buy limit 0.01 59000 --tif IOC
ok "futures IOC that finds nothing: refused, exit 1" rc_is 1
ok "futures reduce-only with a long position: reduceOnly at the exchange" \
	placed_fut 'o["reduceOnly"] is True and o["side"] == "sell" and o["limitPrice"] == 61000' \
	PF_XBTUSD sell limit 0.005 61000 --reduce-only
order PF_XBTUSD buy limit 0.01 59000 --expire +1h
ok "futures GTD: exit 2 (Kraken Futures has none), nothing sent" eval 'rc_is 2 && err_has "good-till-date"'
N0=$(fut_open_count)
order PF_XBTUSD buy limit 0.01 59000 --validate
ok "futures --validate: checked here, nothing sent" eval 'rc_is 0 && [ "$(fut_open_count)" = "$N0" ]'

# ---- positions, amend, cancel, close, leverage ----
kt positions
ok "positions: the futures long, cross margin" eval 'rc_is 0 && out_has "PF_XBTUSD" && out_has "long" && out_has "cross"'
kt amend "$LIMIT_ID" --price 59400 --size 0.02 --yes
ok "amend spot: new price and size at the exchange" eval 'rc_is 0 && spot_has "$LIMIT_ID" "o[\"descr\"][\"price\"] == \"59400.0\" and o[\"vol\"] == \"0.02000000\""'
kt amend "$FLIMIT_ID" --price 59100 --json --yes
ok "amend futures: new limit price at the exchange" eval 'rc_is 0 && fut_has "$FLIMIT_ID" "o[\"limitPrice\"] == 59100"'
kt amend "$FLIMIT_ID" --trigger 59000 --yes
ok "amend: a limit order has no trigger, exit 2" rc_is 2
kt cancel "$LIMIT_ID"
ok "cancel ID: cancelled at the exchange" eval 'rc_is 0 && spot_has "$LIMIT_ID" "o[\"status\"] == \"canceled\""'
kt leverage PF_XBTUSD 5
ok "leverage 5: isolated at 5x at the exchange" eval 'rc_is 0 && KX_EVAL="[p[\"maxLeverage\"] for p in j[\"leveragePreferences\"] if p[\"symbol\"] == \"PF_XBTUSD\"] == [5]" kx fut GET leveragepreferences'
kt leverage PF_XBTUSD --json
ok "leverage (show): isolated 5" json_ok "$KT_OUT" 'j["margin"] == "isolated" and j["leverage"] == "5"'
kt leverage PF_XBTUSD cross
ok "leverage cross: no preference left at the exchange" eval 'rc_is 0 && KX_EVAL="not [p for p in j[\"leveragePreferences\"] if p[\"symbol\"] == \"PF_XBTUSD\"]" kx fut GET leveragepreferences'
kt leverage PF_XBTUSD 50
ok "leverage above max_leverage (10): refused, exit 2" eval 'rc_is 2 && err_has "above your limit"'
kt close PF_XBTUSD --json --yes
ok "close PF_XBTUSD: no position left at the exchange" eval 'rc_is 0 && json_valid "$KT_OUT" && KX_EVAL="len(j[\"openPositions\"]) == 0" kx fut GET openpositions'
kt close PF_XBTUSD --yes
ok "close without a position: exit 2" rc_is 2
kt cancel --all PF_XBTUSD --json
ok "cancel --all PF_XBTUSD: no futures order left" eval 'rc_is 0 && json_ok "$KT_OUT" "j[\"cancelled\"] >= 1" && [ "$(fut_open_count)" = 0 ]'
kt cancel --all
ok "cancel --all: no spot order left" eval 'rc_is 0 && [ "$(spot_open_count)" = 0 ]'

# ---- transfers back ----
S0=$(spot_bal ZUSD)
F0=$(flex_bal USD)
kt transfer USD 100 futures spot --json --yes
ok "transfer futures -> spot: both move by exactly 100" eval 'rc_is 0 && moved "$S0" "$(spot_bal ZUSD)" 100 && moved "$F0" "$(flex_bal USD)" -100'
ok "transfer --json: before/after as exact strings" json_ok "$KT_OUT" 'j["amount"] == "100" and j["from"] == "futures" and j["to"] == "spot"'
F0=$(flex_bal USD)
C0=$(cash_bal usd)
kt transfer USD 100 futures futures-cash --yes
ok "transfer futures -> futures-cash: both move by exactly 100" eval 'rc_is 0 && moved "$F0" "$(flex_bal USD)" -100 && moved "$C0" "$(cash_bal usd)" 100'
F0=$(flex_bal USD)
C0=$(cash_bal usd)
kt transfer USD 40 futures-cash futures --yes
ok "transfer futures-cash -> futures: both move by exactly 40" eval 'rc_is 0 && moved "$F0" "$(flex_bal USD)" 40 && moved "$C0" "$(cash_bal usd)" -40'
kt transfer USD 1 spot futures-cash --yes
ok "transfer spot -> futures-cash: no such route, exit 2" rc_is 2

# ---- validation: exit 2, every problem named, nothing at the exchange ----
N0=$(spot_open_count)
kt order BTC/USD buy limit 0.01 59000.05
ok "tick: exit 2, the price problem with the nearest tick" eval 'rc_is 2 && err_has "price: the limit price is not a multiple of the tick size 0.1"'
kt order BTC/USD buy limit 0.000000001 59000
ok "lot: exit 2" eval 'rc_is 2 && err_has "lot size"'
kt order BTC/USD buy limit 0.00001 59000
ok "minimum: exit 2" eval 'rc_is 2 && err_has "below the minimum order"'
kt order BTC/USD sell stop 0.001 61000
ok "trigger side: a sell stop above the market, exit 2" eval 'rc_is 2 && err_has "would trigger at once"'
kt order BTC/USD buy limit 5 59000 --json
ok "funds: exit 2, the problems in --json" eval 'rc_is 2 && json_ok "$KT_OUT" "not j[\"ok\"] and j[\"problems\"][0][\"field\"] == \"size\" and \"not enough USD\" in j[\"problems\"][0][\"message\"]"'
kt order PF_XBTUSD buy limit 100 59000
ok "futures margin: exit 2" eval 'rc_is 2 && err_has "not enough margin"'
kt order BTC/USD buy limit 0.01
ok "usage: a limit order without PRICE, exit 2" eval 'rc_is 2 && err_has "needs a PRICE"'
kt order BTC/USD buy limitt 0.01 59000
ok "usage: unknown type, exit 2" eval 'rc_is 2 && err_has "unknown order type"'
ok "nothing of the above reached the exchange" test "$(spot_open_count)" = "$N0"

# ---- guards and confirmation ----
kt order BTC/USD buy limit 0.5 59000
ok "guard: 29,500 USD above max_order_notional 25000, refused, exit 2" eval 'rc_is 2 && err_has "above your limit of 25,000 USD" && err_has "--yes"'
kt order BTC/USD buy limit 0.01 50000
ok "guard: a price 16% from the market, refused, exit 2" eval 'rc_is 2 && err_has "(your limit is 5%)"'
ok "guards refused: nothing at the exchange" test "$(spot_open_count)" = "$N0"
order BTC/USD buy limit 0.5 59000
ok "guard with --yes: sent, with the warning" eval 'rc_is 0 && [ -n "$OID" ] && err_has "warning" && [ "$(spot_open_count)" = $((N0 + 1)) ]'
kt order BTC/USD buy limit 0.01 59000
ok "a LIVE order without --yes and no terminal: refused, exit 2, nothing sent" eval 'rc_is 2 && err_has "no terminal" && [ "$(spot_open_count)" = $((N0 + 1)) ]'
cat >"$T/pp.conf" <<EOC
profiles: { pp: { paper = true; confirm = false; dead_man_switch = 0; paper_seed = 7; }; };
EOC
"$KT_BIN" -c "$T/pp.conf" -p pp order BTC/USD buy market 0.001 --json </dev/null >"$T/pp.out" 2>"$T/pp.err"
CRC=$?
ok "a paper profile with confirm = false does not ask: placed on its embedded exchange" eval '[ $CRC = 0 ] && json_ok "$T/pp.out" "j[\"ok\"] and j[\"status\"] == \"filled\""'

# ---- journal ----
kt journal
ok "journal: intents, acks and rejections" eval 'rc_is 0 && out_has " intent " && out_has " ack " && out_has " reject " && out_has "BUY 0.01 BTC/USD limit, limit 59,500"'
ok "journal: the fills of the market orders, in words (spot and futures)" \
	eval 'out_has " fill      BUY 0.02 BTC/USD (spot) at " && out_has " fill      BUY 0.01 PF_XBTUSD (futures) at " && out_has "(taker) | order "'
kt journal --json
ok "journal --json: one array of entries" json_ok "$KT_OUT" 'isinstance(j, list) and {"intent", "ack", "transfer", "cancel"} <= {e["kind"] for e in j}'
kt orders --json
ok "orders --json parses (json.tool)" json_valid "$KT_OUT"

e2e_end
