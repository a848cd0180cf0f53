# Unit tests of the src/net HTTP/WebSocket server and the WebSocket frame codec.
check_PROGRAMS += tests/unit/test_ws_frame tests/unit/test_http_server tests/unit/test_ws_server
TESTS += tests/unit/test_ws_frame tests/unit/test_http_server tests/unit/test_ws_server
tests_unit_test_ws_frame_SOURCES = tests/unit/test_ws_frame.c
tests_unit_test_ws_frame_LDADD = src/net/libkt_net.a src/base/libkt_base.a $(OPENSSL_LIBS) \
	$(KT_TEST_LDADD)
KT_HTTP_SERVER_FX = tests/unit/http_server_fx.c tests/unit/http_server_fx.h
KT_HTTP_SERVER_FX_LDADD = src/net/libkt_net.a src/base/libkt_base.a $(LIBUV_LIBS) \
	$(OPENSSL_LIBS) $(KT_TEST_LDADD)
tests_unit_test_http_server_SOURCES = tests/unit/test_http_server.c $(KT_HTTP_SERVER_FX)
tests_unit_test_http_server_CFLAGS = $(AM_CFLAGS) $(LIBUV_CFLAGS) -pthread
tests_unit_test_http_server_LDFLAGS = $(AM_LDFLAGS) -pthread
tests_unit_test_http_server_LDADD = $(KT_HTTP_SERVER_FX_LDADD)
tests_unit_test_ws_server_SOURCES = tests/unit/test_ws_server.c $(KT_HTTP_SERVER_FX)
tests_unit_test_ws_server_CFLAGS = $(AM_CFLAGS) $(LIBUV_CFLAGS) -pthread
tests_unit_test_ws_server_LDFLAGS = $(AM_LDFLAGS) -pthread
tests_unit_test_ws_server_LDADD = $(KT_HTTP_SERVER_FX_LDADD)
