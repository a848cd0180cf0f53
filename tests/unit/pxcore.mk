# Unit tests of the paper exchange's core: the px hub, auth, the state file, the server.
KT_PX_TEST_LDADD = $(KT_LIB_PAPER) src/net/libkt_net.a src/base/libkt_base.a \
	$(JANSSON_LIBS) $(LIBUV_LIBS) $(OPENSSL_LIBS) $(KT_TEST_LDADD)
KT_PX_TEST_SOURCES = tests/unit/test_px_util.h
check_PROGRAMS += tests/unit/test_px_spot
TESTS += tests/unit/test_px_spot
tests_unit_test_px_spot_SOURCES = tests/unit/test_px_spot.c $(KT_PX_TEST_SOURCES)
tests_unit_test_px_spot_LDADD = $(KT_PX_TEST_LDADD)
check_PROGRAMS += tests/unit/test_px_futures
TESTS += tests/unit/test_px_futures
tests_unit_test_px_futures_SOURCES = tests/unit/test_px_futures.c $(KT_PX_TEST_SOURCES)
tests_unit_test_px_futures_LDADD = $(KT_PX_TEST_LDADD)
check_PROGRAMS += tests/unit/test_px_misc
TESTS += tests/unit/test_px_misc
tests_unit_test_px_misc_SOURCES = tests/unit/test_px_misc.c $(KT_PX_TEST_SOURCES)
tests_unit_test_px_misc_LDADD = $(KT_PX_TEST_LDADD)
check_PROGRAMS += tests/unit/test_px_auth
TESTS += tests/unit/test_px_auth
tests_unit_test_px_auth_SOURCES = tests/unit/test_px_auth.c $(KT_PX_TEST_SOURCES)
tests_unit_test_px_auth_CFLAGS = $(AM_CFLAGS) $(LIBUV_CFLAGS)
tests_unit_test_px_auth_LDADD = $(KT_PX_TEST_LDADD)
check_PROGRAMS += tests/unit/test_px_server
TESTS += tests/unit/test_px_server
tests_unit_test_px_server_SOURCES = tests/unit/test_px_server.c $(KT_PX_TEST_SOURCES)
tests_unit_test_px_server_CFLAGS = $(AM_CFLAGS) $(LIBUV_CFLAGS) -pthread
tests_unit_test_px_server_LDFLAGS = $(AM_LDFLAGS) -pthread
tests_unit_test_px_server_LDADD = $(KT_PX_TEST_LDADD)
