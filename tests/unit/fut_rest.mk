# Unit tests of Kraken Futures REST: the codec (builders, decoders, signing
# vectors), the session (rate limits, reconciliation through a fake transport).
KT_FUT_REST_TEST_LDADD = $(KT_LIB_KRAKEN) src/core/libkt_core.a src/net/libkt_net.a \
	src/base/libkt_base.a $(LWS_LIBS) $(CURL_LIBS) $(OPENSSL_LIBS) $(LIBUV_LIBS) \
	$(KT_TEST_LDADD)
KT_FUT_REST_TEST_UTIL = tests/unit/test_fut_rest_util.c tests/unit/test_fut_rest_util.h
check_PROGRAMS += tests/unit/test_fut_rest_build tests/unit/test_fut_rest_codec \
	tests/unit/test_fut_rest_orders
TESTS += tests/unit/test_fut_rest_build tests/unit/test_fut_rest_codec \
	tests/unit/test_fut_rest_orders
tests_unit_test_fut_rest_build_SOURCES = tests/unit/test_fut_rest_build.c
tests_unit_test_fut_rest_build_LDADD = $(KT_FUT_REST_TEST_LDADD)
tests_unit_test_fut_rest_codec_SOURCES = tests/unit/test_fut_rest_codec.c $(KT_FUT_REST_TEST_UTIL)
tests_unit_test_fut_rest_codec_LDADD = $(KT_FUT_REST_TEST_LDADD)
tests_unit_test_fut_rest_orders_SOURCES = tests/unit/test_fut_rest_orders.c $(KT_FUT_REST_TEST_UTIL)
tests_unit_test_fut_rest_orders_LDADD = $(KT_FUT_REST_TEST_LDADD)
check_PROGRAMS += tests/unit/test_fut_rest tests/unit/test_fut_rest_account
TESTS += tests/unit/test_fut_rest tests/unit/test_fut_rest_account
KT_FUT_REST_FAKE = tests/unit/fut_rest_fake.c tests/unit/fut_rest_fake.h
tests_unit_test_fut_rest_SOURCES = tests/unit/test_fut_rest.c $(KT_FUT_REST_FAKE) \
	$(KT_FUT_REST_TEST_UTIL)
tests_unit_test_fut_rest_LDADD = $(KT_FUT_REST_TEST_LDADD)
tests_unit_test_fut_rest_account_SOURCES = tests/unit/test_fut_rest_account.c \
	$(KT_FUT_REST_FAKE) $(KT_FUT_REST_TEST_UTIL)
tests_unit_test_fut_rest_account_LDADD = $(KT_FUT_REST_TEST_LDADD)
# The paper exchange's Futures REST adapter over real HTTP (paper_start), with
# the client codec and a fut_rest session against it.
check_PROGRAMS += tests/unit/test_fut_rest_srv
TESTS += tests/unit/test_fut_rest_srv
tests_unit_test_fut_rest_srv_SOURCES = tests/unit/test_fut_rest_srv.c \
	tests/unit/fut_rest_srv_env.c tests/unit/fut_rest_srv_env.h \
	tests/fixtures/net/nettest.c tests/fixtures/net/nettest.h
tests_unit_test_fut_rest_srv_CFLAGS = $(AM_CFLAGS) $(LIBUV_CFLAGS)
tests_unit_test_fut_rest_srv_LDADD = $(KT_LIB_PAPER) $(KT_LIB_KRAKEN) src/core/libkt_core.a \
	src/net/libkt_net.a src/base/libkt_base.a $(LWS_LIBS) $(CURL_LIBS) $(OPENSSL_LIBS) \
	$(LIBUV_LIBS) $(JANSSON_LIBS) $(KT_TEST_LDADD)
# The client's periodic re-read of the futures instruments, against a small
# HTTP server on the same loop.
check_PROGRAMS += tests/unit/test_client_refresh
TESTS += tests/unit/test_client_refresh
tests_unit_test_client_refresh_SOURCES = tests/unit/test_client_refresh.c \
	tests/fixtures/net/nettest.c tests/fixtures/net/nettest.h
tests_unit_test_client_refresh_CFLAGS = $(AM_CFLAGS) $(LIBUV_CFLAGS)
tests_unit_test_client_refresh_LDADD = $(KT_LIB_KRAKEN) src/core/libkt_core.a \
	src/net/libkt_net.a src/base/libkt_base.a $(LWS_LIBS) $(CURL_LIBS) $(OPENSSL_LIBS) \
	$(LIBUV_LIBS) $(JANSSON_LIBS) $(KT_TEST_LDADD)
