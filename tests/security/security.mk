# tests/security: TLS verification (the HTTP and WebSocket clients, and the krakterm
# binary against TLS fronts of the paper exchange), secrets (never in logs, journal,
# screen, crash output or command output; file permissions; failing secret
# commands), and a bounded resource soak. docs/security.md says what each proves.
check_PROGRAMS += tests/security/test_tls
TESTS += tests/security/test_tls tests/security/tls-binary.sh tests/security/secrets.sh \
	tests/security/soak.sh
tests_security_test_tls_SOURCES = tests/security/test_tls.c \
	tests/fixtures/net/nettest.c tests/fixtures/net/nettest.h
tests_security_test_tls_CFLAGS = $(AM_CFLAGS) $(KT_APP_CFLAGS)
tests_security_test_tls_LDADD = $(KT_LAYER_LIBS) $(KT_EXT_LIBS) $(KT_TEST_LDADD)
EXTRA_DIST += tests/security/lib.sh tests/security/mkcerts.sh tests/security/tls-binary.sh \
	tests/security/secrets.sh tests/security/soak.sh tests/security/valgrind-session.sh
