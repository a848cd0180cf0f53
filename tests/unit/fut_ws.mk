# Unit tests of the Futures WebSocket v1 codec (src/kraken/fut_ws_*) and, when
# present, its session and paper adapter.
KT_FUT_WS_TEST_LIBS = src/kraken/libkt_kraken.a src/core/libkt_core.a src/net/libkt_net.a \
	src/base/libkt_base.a $(OPENSSL_LIBS) $(KT_TEST_LDADD)
KT_FUT_WS_TEST_UTIL = tests/unit/fut_ws_util.c tests/unit/fut_ws_util.h
check_PROGRAMS += tests/unit/test_fut_ws_codec tests/unit/test_fut_ws_private
TESTS += tests/unit/test_fut_ws_codec tests/unit/test_fut_ws_private
tests_unit_test_fut_ws_codec_SOURCES = tests/unit/test_fut_ws_codec.c $(KT_FUT_WS_TEST_UTIL)
tests_unit_test_fut_ws_codec_LDADD = $(KT_FUT_WS_TEST_LIBS)
tests_unit_test_fut_ws_private_SOURCES = tests/unit/test_fut_ws_private.c $(KT_FUT_WS_TEST_UTIL)
tests_unit_test_fut_ws_private_LDADD = $(KT_FUT_WS_TEST_LIBS)
# The session over the real loop against a scripted server.
check_PROGRAMS += tests/unit/test_fut_ws_session
TESTS += tests/unit/test_fut_ws_session
tests_unit_test_fut_ws_session_SOURCES = tests/unit/test_fut_ws_session.c \
	tests/fixtures/net/nettest.c tests/fixtures/net/nettest.h
tests_unit_test_fut_ws_session_CFLAGS = $(AM_CFLAGS) $(LIBUV_CFLAGS)
tests_unit_test_fut_ws_session_LDADD = src/kraken/libkt_kraken.a src/core/libkt_core.a \
	src/net/libkt_net.a src/base/libkt_base.a $(LWS_LIBS) $(CURL_LIBS) $(OPENSSL_LIBS) \
	$(LIBUV_LIBS) $(KT_TEST_LDADD)
# The paper adapter (src/paper/fut_ws_srv*) against a krakterm session over the real loop.
check_PROGRAMS += tests/unit/test_fut_ws_srv
TESTS += tests/unit/test_fut_ws_srv
tests_unit_test_fut_ws_srv_SOURCES = tests/unit/test_fut_ws_srv.c \
	tests/fixtures/net/nettest.c tests/fixtures/net/nettest.h
tests_unit_test_fut_ws_srv_CFLAGS = $(AM_CFLAGS) $(LIBUV_CFLAGS)
tests_unit_test_fut_ws_srv_LDADD = src/paper/libkt_paper.a src/kraken/libkt_kraken.a \
	src/core/libkt_core.a src/net/libkt_net.a src/base/libkt_base.a $(JANSSON_LIBS) \
	$(LWS_LIBS) $(CURL_LIBS) $(OPENSSL_LIBS) $(LIBUV_LIBS) $(KT_TEST_LDADD)
