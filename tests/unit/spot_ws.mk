# Unit tests of the Spot WS v2 client (codec, builders, pending requests,
# wsconn) and of the paper exchange's Spot WS v2 adapter.
KT_SPOT_WS_TEST_LIBS = src/kraken/libkt_kraken.a src/core/libkt_core.a src/net/libkt_net.a \
	src/base/libkt_base.a $(LWS_LIBS) $(CURL_LIBS) $(OPENSSL_LIBS) $(LIBUV_LIBS) $(KT_TEST_LDADD)
check_PROGRAMS += tests/unit/test_spot_ws_codec
TESTS += tests/unit/test_spot_ws_codec
tests_unit_test_spot_ws_codec_SOURCES = tests/unit/test_spot_ws_codec.c
tests_unit_test_spot_ws_codec_LDADD = $(KT_SPOT_WS_TEST_LIBS)
check_PROGRAMS += tests/unit/test_spot_ws_build
TESTS += tests/unit/test_spot_ws_build
tests_unit_test_spot_ws_build_SOURCES = tests/unit/test_spot_ws_build.c
tests_unit_test_spot_ws_build_LDADD = $(KT_SPOT_WS_TEST_LIBS)
check_PROGRAMS += tests/unit/test_wsconn
TESTS += tests/unit/test_wsconn
tests_unit_test_wsconn_SOURCES = tests/unit/test_wsconn.c \
	tests/fixtures/net/nettest.c tests/fixtures/net/nettest.h
tests_unit_test_wsconn_CFLAGS = $(AM_CFLAGS) $(LIBUV_CFLAGS)
tests_unit_test_wsconn_LDADD = $(KT_SPOT_WS_TEST_LIBS)
# The paper adapter spoken to by the client session over the real loop.
check_PROGRAMS += tests/unit/test_spot_ws_srv tests/unit/test_spot_ws_srv_trade
TESTS += tests/unit/test_spot_ws_srv tests/unit/test_spot_ws_srv_trade
KT_SPOT_WS_SRV_FX = tests/unit/spot_ws_srv_fx.c tests/unit/spot_ws_srv_fx.h \
	tests/fixtures/net/nettest.c tests/fixtures/net/nettest.h
KT_SPOT_WS_SRV_LDADD = $(KT_LIB_PAPER) src/kraken/libkt_kraken.a \
	src/core/libkt_core.a src/net/libkt_net.a src/base/libkt_base.a $(JANSSON_LIBS) \
	$(LWS_LIBS) $(CURL_LIBS) $(OPENSSL_LIBS) $(LIBUV_LIBS) $(KT_TEST_LDADD)
tests_unit_test_spot_ws_srv_SOURCES = tests/unit/test_spot_ws_srv.c $(KT_SPOT_WS_SRV_FX)
tests_unit_test_spot_ws_srv_CFLAGS = $(AM_CFLAGS) $(LIBUV_CFLAGS)
tests_unit_test_spot_ws_srv_LDADD = $(KT_SPOT_WS_SRV_LDADD)
tests_unit_test_spot_ws_srv_trade_SOURCES = tests/unit/test_spot_ws_srv_trade.c $(KT_SPOT_WS_SRV_FX)
tests_unit_test_spot_ws_srv_trade_CFLAGS = $(AM_CFLAGS) $(LIBUV_CFLAGS)
tests_unit_test_spot_ws_srv_trade_LDADD = $(KT_SPOT_WS_SRV_LDADD)
