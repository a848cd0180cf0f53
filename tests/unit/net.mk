# Unit tests of the src/net client side: the loop, the HTTP client, the WebSocket client.
# The client tests share tests/fixtures/net/nettest.c (loop watchdog, TLS peers).
KT_NET_TEST_LDADD = src/net/libkt_net.a src/base/libkt_base.a $(LWS_LIBS) $(CURL_LIBS) \
	$(OPENSSL_LIBS) $(LIBUV_LIBS) $(KT_TEST_LDADD)
KT_NET_TEST_CFLAGS = $(AM_CFLAGS) $(LIBUV_CFLAGS)
check_PROGRAMS += tests/unit/test_loop tests/unit/test_http_client tests/unit/test_ws_client
TESTS += tests/unit/test_loop tests/unit/test_http_client tests/unit/test_ws_client
tests_unit_test_loop_SOURCES = tests/unit/test_loop.c \
	tests/fixtures/net/nettest.c tests/fixtures/net/nettest.h
tests_unit_test_loop_CFLAGS = $(KT_NET_TEST_CFLAGS)
tests_unit_test_loop_LDADD = $(KT_NET_TEST_LDADD)
tests_unit_test_http_client_SOURCES = tests/unit/test_http_client.c \
	tests/fixtures/net/nettest.c tests/fixtures/net/nettest.h
tests_unit_test_http_client_CFLAGS = $(KT_NET_TEST_CFLAGS)
tests_unit_test_http_client_LDADD = $(KT_NET_TEST_LDADD)
tests_unit_test_ws_client_SOURCES = tests/unit/test_ws_client.c \
	tests/fixtures/net/nettest.c tests/fixtures/net/nettest.h \
	tests/fixtures/net/rawws.c tests/fixtures/net/rawws.h
tests_unit_test_ws_client_CFLAGS = $(KT_NET_TEST_CFLAGS)
tests_unit_test_ws_client_LDADD = $(KT_NET_TEST_LDADD)
