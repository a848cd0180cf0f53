# Unit tests of the Kraken Spot REST client (src/kraken: ratelimit, spot_rest_*).
KT_SPOT_REST_TEST_LDADD = src/kraken/libkt_kraken.a src/net/libkt_net.a src/core/libkt_core.a \
	src/base/libkt_base.a $(LWS_LIBS) $(CURL_LIBS) $(OPENSSL_LIBS) $(LIBUV_LIBS) $(KT_TEST_LDADD)
KT_SPOT_REST_TEST_UTIL = tests/unit/spot_rest_util.c tests/unit/spot_rest_util.h
check_PROGRAMS += tests/unit/test_spot_rest_codec
TESTS += tests/unit/test_spot_rest_codec
tests_unit_test_spot_rest_codec_SOURCES = tests/unit/test_spot_rest_codec.c $(KT_SPOT_REST_TEST_UTIL)
tests_unit_test_spot_rest_codec_LDADD = $(KT_SPOT_REST_TEST_LDADD)
check_PROGRAMS += tests/unit/test_spot_rest_build
TESTS += tests/unit/test_spot_rest_build
tests_unit_test_spot_rest_build_SOURCES = tests/unit/test_spot_rest_build.c $(KT_SPOT_REST_TEST_UTIL)
tests_unit_test_spot_rest_build_LDADD = $(KT_SPOT_REST_TEST_LDADD)
check_PROGRAMS += tests/unit/test_ratelimit
TESTS += tests/unit/test_ratelimit
tests_unit_test_ratelimit_SOURCES = tests/unit/test_ratelimit.c
tests_unit_test_ratelimit_LDADD = $(KT_SPOT_REST_TEST_LDADD)
check_PROGRAMS += tests/unit/test_spot_rest
TESTS += tests/unit/test_spot_rest
tests_unit_test_spot_rest_SOURCES = tests/unit/test_spot_rest.c $(KT_SPOT_REST_TEST_UTIL) \
	tests/unit/spot_rest_fake.c tests/unit/spot_rest_fake.h
tests_unit_test_spot_rest_LDADD = $(KT_SPOT_REST_TEST_LDADD)
# The paper exchange's Spot REST adapter over HTTP (paper, net and base only).
KT_SPOT_REST_SRV_LDADD = $(KT_LIB_PAPER) src/net/libkt_net.a src/base/libkt_base.a \
	$(LWS_LIBS) $(CURL_LIBS) $(OPENSSL_LIBS) $(JANSSON_LIBS) $(LIBUV_LIBS) $(KT_TEST_LDADD)
check_PROGRAMS += tests/unit/test_spot_rest_srv
TESTS += tests/unit/test_spot_rest_srv
tests_unit_test_spot_rest_srv_SOURCES = tests/unit/test_spot_rest_srv.c \
	tests/unit/spot_rest_srv_util.c tests/unit/spot_rest_srv_util.h
tests_unit_test_spot_rest_srv_CFLAGS = $(AM_CFLAGS) $(LIBUV_CFLAGS)
tests_unit_test_spot_rest_srv_LDADD = $(KT_SPOT_REST_SRV_LDADD)
# End to end: the real client against the real paper exchange in its own process
# (spot_paper_helper), so the exchange and the client are never linked together.
check_PROGRAMS += tests/unit/spot_paper_helper tests/unit/test_spot_rest_e2e
TESTS += tests/unit/test_spot_rest_e2e
tests_unit_spot_paper_helper_SOURCES = tests/unit/spot_paper_helper.c
tests_unit_spot_paper_helper_CFLAGS = $(AM_CFLAGS) $(LIBUV_CFLAGS)
tests_unit_spot_paper_helper_LDADD = $(KT_LIB_PAPER) src/net/libkt_net.a src/base/libkt_base.a \
	$(LWS_LIBS) $(CURL_LIBS) $(OPENSSL_LIBS) $(JANSSON_LIBS) $(LIBUV_LIBS)
tests_unit_test_spot_rest_e2e_SOURCES = tests/unit/test_spot_rest_e2e.c
tests_unit_test_spot_rest_e2e_LDADD = $(KT_SPOT_REST_TEST_LDADD)
check_PROGRAMS += tests/unit/test_spot_rest_more
TESTS += tests/unit/test_spot_rest_more
tests_unit_test_spot_rest_more_SOURCES = tests/unit/test_spot_rest_more.c $(KT_SPOT_REST_TEST_UTIL) \
	tests/unit/spot_rest_fake.c tests/unit/spot_rest_fake.h
tests_unit_test_spot_rest_more_LDADD = $(KT_SPOT_REST_TEST_LDADD)
# Table tests of the error and symbol maps (src/kraken/errors.c, symbols.c).
check_PROGRAMS += tests/unit/test_errors tests/unit/test_symbols
TESTS += tests/unit/test_errors tests/unit/test_symbols
tests_unit_test_errors_SOURCES = tests/unit/test_errors.c
tests_unit_test_errors_LDADD = $(KT_SPOT_REST_TEST_LDADD)
tests_unit_test_symbols_SOURCES = tests/unit/test_symbols.c
tests_unit_test_symbols_LDADD = $(KT_SPOT_REST_TEST_LDADD)
