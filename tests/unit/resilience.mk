# The fault scenarios: the real Kraken client against the paper exchange's fault
# injection, in one process and one loop (tests/unit/test_resilience*.c,
# docs/testing.md "Fault scenarios"). They link every layer, like the app.
check_LIBRARIES += tests/unit/libkt_resil.a
tests_unit_libkt_resil_a_SOURCES = tests/unit/resilience_util.c tests/unit/resilience_util.h
tests_unit_libkt_resil_a_CFLAGS = $(AM_CFLAGS) $(KT_APP_CFLAGS)
KT_RESIL_LDADD = tests/unit/libkt_resil.a $(KT_LAYER_LIBS) $(KT_EXT_LIBS) $(KT_TEST_LDADD)
KT_RESIL_TESTS = tests/unit/test_resilience_ws tests/unit/test_resilience_rest \
	tests/unit/test_resilience_orders tests/unit/test_resilience_nonce
check_PROGRAMS += $(KT_RESIL_TESTS)
TESTS += $(KT_RESIL_TESTS)
tests_unit_test_resilience_ws_SOURCES = tests/unit/test_resilience_ws.c
tests_unit_test_resilience_ws_CFLAGS = $(AM_CFLAGS) $(KT_APP_CFLAGS)
tests_unit_test_resilience_ws_LDADD = $(KT_RESIL_LDADD)
tests_unit_test_resilience_rest_SOURCES = tests/unit/test_resilience_rest.c
tests_unit_test_resilience_rest_CFLAGS = $(AM_CFLAGS) $(KT_APP_CFLAGS)
tests_unit_test_resilience_rest_LDADD = $(KT_RESIL_LDADD)
tests_unit_test_resilience_orders_SOURCES = tests/unit/test_resilience_orders.c
tests_unit_test_resilience_orders_CFLAGS = $(AM_CFLAGS) $(KT_APP_CFLAGS)
tests_unit_test_resilience_orders_LDADD = $(KT_RESIL_LDADD)
tests_unit_test_resilience_nonce_SOURCES = tests/unit/test_resilience_nonce.c
tests_unit_test_resilience_nonce_CFLAGS = $(AM_CFLAGS) $(KT_APP_CFLAGS)
tests_unit_test_resilience_nonce_LDADD = $(KT_RESIL_LDADD)
