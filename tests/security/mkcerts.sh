#!/bin/sh
# mkcerts DIR: throw-away TLS material for the TLS tests, made with the openssl CLI
# (Debian 12's OpenSSL 3.0; no internet, nothing outside DIR):
#   ca.pem ca.key          the test CA (the trust anchor the tests add with ca_file)
#   good.pem good.key      valid for IP:127.0.0.1 and DNS:localhost, signed by ca.pem
#   expired.pem            the same key and names, signed by ca.pem, valid only on
#                          2020-01-01 (openssl ca: x509 -days 0 is refused)
#   wronghost.pem          the same key, signed by ca.pem, for DNS:not-this-host.example
#   other-ca.pem           an unrelated CA (good.pem does not chain to it)
# Exit status 0 when everything was made.
set -eu
d=$1
mkdir -p "$d"
cd "$d"
ec="-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes"
{
	openssl req -x509 $ec -days 2 -subj /CN=krakterm-test-ca -keyout ca.key -out ca.pem
	openssl req -x509 $ec -days 2 -subj /CN=krakterm-other-ca -keyout other-ca.key -out other-ca.pem
	openssl req -new $ec -subj /CN=127.0.0.1 -keyout good.key -out good.csr
	printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\n' >good.ext
	printf 'subjectAltName=DNS:not-this-host.example\n' >wrong.ext
	openssl x509 -req -in good.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 2 \
		-out good.pem -extfile good.ext
	openssl x509 -req -in good.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 2 \
		-out wronghost.pem -extfile wrong.ext
	: >index.txt
	echo 1000 >serial
	cat >ca.cnf <<'EOC'
[ca]
default_ca = kt
[kt]
database = index.txt
serial = serial
new_certs_dir = .
policy = pol
default_md = sha256
[pol]
commonName = supplied
EOC
	openssl ca -batch -config ca.cnf -cert ca.pem -keyfile ca.key -in good.csr -out expired.pem \
		-startdate 20200101000000Z -enddate 20200102000000Z -extfile good.ext
} >mkcerts.log 2>&1
chmod 600 ./*.key
