#!/bin/sh
# tls-binary: the krakterm binary with a LIVE profile whose REST and WebSocket URLs
# (https://, wss://) point at socat TLS fronts of `krakterm paper`, each front
# serving a certificate made by tests/security/mkcerts.sh. The TUI runs in tmux.
#
# Proves:
#   - with ca_file naming the test CA and a valid certificate, every feed connects
#     (Spot public and private WebSocket, Futures WebSocket) and REST loads;
#   - without ca_file (the CA is unknown), with an expired certificate, with a
#     certificate for another host name and with ca_file naming an unrelated CA,
#     nothing connects and the log says why ("TLS certificate verification failed:
#     ..."), while the screen shows the feeds as down;
#   - no setting can turn verification off: the sources set curl's VERIFYPEER/HOST
#     on and never an lws/OpenSSL "allow insecure" flag, and settings such as
#     `insecure = true` are reported as unknown settings (config-check fails);
#   - a live profile cannot use plaintext http:// or ws:// to a non-loopback host.
. "$KT_TOP_SRCDIR/tests/security/lib.sh"

sec_begin 20
if ! command -v tmux >/dev/null || ! command -v socat >/dev/null || ! command -v openssl >/dev/null ||
	! command -v script >/dev/null; then
	skip_n 20 "needs tmux, socat, openssl and script"
	sec_end
fi
sec_paper_start || exit 1
sec_certs || { diag "mkcerts.sh failed"; exit 1; }
sec_tls_front good.pem && GOOD=$FRONT_PORT
sec_tls_front expired.pem && EXPIRED=$FRONT_PORT
sec_tls_front wronghost.pem && WRONG=$FRONT_PORT
C="$SEC_TMP/config/krakterm"

# start_tui NAME CONF / finish_tui NAME: the TUIs run side by side (a refused
# start-up takes ~15 s: REST gives up its first snapshot before the feeds try).
# finish waits up to 25 s until the log shows the outcome (three connected feeds,
# or a verification failure of REST and of a feed), keeps the screen and the log,
# and quits with 'q'.
screen_has() { # NAME TEXT
	sec_screen "$1-$$" "$SEC_TMP/$1.screen" && grep -qF "$2" "$SEC_TMP/$1.screen"
}
start_tui() {
	sec_tui "$1-$$" -c "$2"
}
finish_tui() {
	log=$(sec_tui_log "$1-$$")
	wait_for 25 sh -c "[ \$(cat '$log' 2>/dev/null | grep -c ': connected') -ge 3 ] ||
		{ grep -q 'rest.*TLS certificate verification failed' '$log' &&
		  grep -q 'cannot connect to wss.*TLS certificate verification failed' '$log'; } 2>/dev/null"
	sleep 1
	# a refused start-up shows its feeds as retrying (slower under the sanitizers)
	[ "$1" = good ] || wait_for 10 screen_has "$1" ":retry"
	sec_screen "$1-$$" "$SEC_TMP/$1.screen"
	tmx send-keys -t "$1-$$" q
	wait_for 10 test -s "$SEC_TMP/$1-$$.exit" || diag "$1: the TUI did not quit on 'q'"
	cp "$log" "$SEC_TMP/$1.log" 2>/dev/null || : >"$SEC_TMP/$1.log"
}

connected() { [ "$(grep -c ': connected' "$1")" -ge 3 ]; }
no_tls_errors() { ! grep -q "TLS certificate verification failed" "$1"; }
refused_with() {
	grep -q "rest.*TLS certificate verification failed: .*$2" "$1" &&
		grep -q "cannot connect to wss://localhost:[0-9]*: TLS certificate verification failed: .*$2" "$1" &&
		! grep -q ': connected' "$1"
}

sec_live_conf "$C/good.conf" "localhost:$GOOD" https "ca_file = \"$CERTS/ca.pem\";"
sec_live_conf "$C/noca.conf" "localhost:$GOOD" https
sec_live_conf "$C/otherca.conf" "localhost:$GOOD" https "ca_file = \"$CERTS/other-ca.pem\";"
sec_live_conf "$C/expired.conf" "localhost:$EXPIRED" https "ca_file = \"$CERTS/ca.pem\";"
sec_live_conf "$C/wrong.conf" "localhost:$WRONG" https "ca_file = \"$CERTS/ca.pem\";"
oneshot() { # NAME: a one-shot command over REST (balances) with that profile
	timeout 60 "$KT_BIN" -c "$C/$1.conf" balances >"$SEC_TMP/$1.out" 2>"$SEC_TMP/$1.err" </dev/null
}
for t in good noca otherca expired wrong; do
	start_tui $t "$C/$t.conf"
	[ $t = good ] && continue # after its TUI: two users of one key race their nonces
	oneshot $t & # meanwhile (a refusal takes the command's 20 s timeout)
	eval "oneshot_$t=\$!"
	SEC_PIDS="$SEC_PIDS $!"
done
for t in good noca otherca expired wrong; do
	finish_tui $t
done

oneshot_rc() { # NAME: the exit status of its one-shot command
	eval "wait \$oneshot_$1"
}
oneshot good
echo $? >"$SEC_TMP/good.rc"
for t in noca otherca expired wrong; do
	oneshot_rc $t
	echo $? >"$SEC_TMP/$t.rc"
done
oneshot_ok() { [ "$(cat "$SEC_TMP/$1.rc")" = 0 ] && grep -q "Spot wallet" "$SEC_TMP/$1.out"; }
oneshot_refused() { [ "$(cat "$SEC_TMP/$1.rc")" != 0 ] && ! grep -q "Spot wallet" "$SEC_TMP/$1.out"; }

# 1-3: a valid certificate from the configured CA
ok "valid certificate + ca_file: all three WebSocket feeds connect" connected "$SEC_TMP/good.log"
ok "valid certificate + ca_file: no verification error logged" no_tls_errors "$SEC_TMP/good.log"
ok "valid certificate: the screen shows no feed in retry" lacks "$SEC_TMP/good.screen" ":retry"
ok "valid certificate: a one-shot command (balances) works over https" oneshot_ok good

# 4-5: no ca_file: the test CA is unknown to the system store
ok "unknown CA (no ca_file): REST and wss refused, the log says why" \
	refused_with "$SEC_TMP/noca.log" "unable to get local issuer certificate"
ok "unknown CA: the screen shows the feeds retrying, not live" has "$SEC_TMP/noca.screen" ":retry"
all_refused() {
	for t in noca otherca expired wrong; do
		oneshot_refused $t || return 1
	done
}
ok "refused certificates: one-shot commands fail, printing no data" all_refused
ok "refused certificates: one-shot commands name the TLS failure on stderr" \
	sh -c "grep -q 'TLS certificate verification failed' '$SEC_TMP/noca.err' && grep -q 'expired' '$SEC_TMP/expired.err'"
diag "one-shot without ca_file said: $(cat "$SEC_TMP/noca.err")"

# 6: ca_file names an unrelated CA
ok "ca_file of an unrelated CA: refused (unable to get local issuer certificate)" \
	refused_with "$SEC_TMP/otherca.log" "unable to get local issuer certificate"

# 7: expired
ok "expired certificate: refused (certificate has expired)" \
	refused_with "$SEC_TMP/expired.log" "expired"

# 8: wrong host name
ok "certificate for another host name: refused" refused_with "$SEC_TMP/wrong.log" ""
ok "wrong host: the reason names the host-name mismatch" \
	sh -c "grep -q 'TLS certificate verification failed: .*\\(mismatch\\|does not match\\|no alternative certificate subject name\\|localhost\\)' '$SEC_TMP/wrong.log'"

# 10-11: the code never switches verification off
src="$KT_TOP_SRCDIR/src"
ok "curl: VERIFYPEER and VERIFYHOST are only ever set on (1L / 2L)" sh -c "
	grep -rq 'CURLOPT_SSL_VERIFYPEER, 1L' '$src' && grep -rq 'CURLOPT_SSL_VERIFYHOST, 2L' '$src' &&
	! grep -rnE 'CURLOPT_(PROXY_)?SSL_VERIFY(PEER|HOST|STATUS)' '$src' |
		grep -vE 'VERIFYPEER, 1L|VERIFYHOST, 2L'"
ok "no lws/OpenSSL flag that skips verification anywhere in src/" sh -c "
	! grep -rnE 'LCCSCF_(ALLOW_(INSECURE|SELFSIGNED|EXPIRED)|SKIP_SERVER_CERT_HOSTNAME_CHECK)|SSL_VERIFY_NONE|X509_V_FLAG_NO_CHECK_TIME|CURLSSLOPT_NO_REVOKE|set_verify_result' '$src'"

# 12-15: settings that would switch it off do not exist
unknown_setting() { # FILE NAME
	"$KT_BIN" -c "$1" -p live config-check >"$SEC_TMP/cc.out" 2>"$SEC_TMP/cc.err"
	rc=$?
	[ $rc -eq 2 ] && grep -qF "unknown setting '$2'" "$SEC_TMP/cc.err"
}
sec_live_conf "$C/insecure.conf" "localhost:$GOOD" https "insecure = true;"
ok "'insecure = true' in a live profile is an unknown setting (config-check fails)" \
	unknown_setting "$C/insecure.conf" "profiles.live.insecure"
sec_live_conf "$C/verify.conf" "localhost:$GOOD" https "tls_verify = false;"
ok "'tls_verify = false' is an unknown setting" unknown_setting "$C/verify.conf" "profiles.live.tls_verify"
sed 's/secret = "\([^"]*\)"; };$/secret = "\1"; ssl_verify_peer = false; };/' "$C/good.conf" >"$C/sslv.conf"
chmod 600 "$C/sslv.conf"
ok "'spot.ssl_verify_peer = false' is an unknown setting" \
	unknown_setting "$C/sslv.conf" "profiles.live.spot.ssl_verify_peer"
{ echo 'verify_certificates = false;'; cat "$C/good.conf"; } >"$C/top.conf"
chmod 600 "$C/top.conf"
ok "top-level 'verify_certificates = false' is an unknown setting" \
	unknown_setting "$C/top.conf" "verify_certificates"

# 16-17: plaintext to a remote host is refused by the schema
plain_refused() { # FILE
	"$KT_BIN" -c "$1" -p live config-check >"$SEC_TMP/cc.out" 2>"$SEC_TMP/cc.err"
	[ $? -eq 2 ] && grep -q "rest_url\|ws_url" "$SEC_TMP/cc.err"
}
sec_live_conf "$C/plain.conf" "api.kraken.com" http
ok "a live profile with http:// to a non-loopback host is refused" plain_refused "$C/plain.conf"
sed 's#rest_url = "http://api.kraken.com"#rest_url = "https://api.kraken.com"#g' "$C/plain.conf" >"$C/plainws.conf"
chmod 600 "$C/plainws.conf"
ok "a live profile with ws:// to a non-loopback host is refused" plain_refused "$C/plainws.conf"
diag "config-check said: $(head -1 "$SEC_TMP/cc.err")"
sec_end
