# Unit tests of the living market: simulator, funding, liquidation, fault injection.
KT_SIM_TEST_LDADD = $(KT_LIB_PAPER) src/net/libkt_net.a src/base/libkt_base.a \
	$(JANSSON_LIBS) $(LIBUV_LIBS) $(OPENSSL_LIBS) $(KT_TEST_LDADD)
check_PROGRAMS += tests/unit/test_sim tests/unit/test_funding tests/unit/test_liquidation
TESTS += tests/unit/test_sim tests/unit/test_funding tests/unit/test_liquidation
tests_unit_test_sim_SOURCES = tests/unit/test_sim.c
tests_unit_test_sim_CFLAGS = $(AM_CFLAGS) $(LIBUV_CFLAGS)
tests_unit_test_sim_LDADD = $(KT_SIM_TEST_LDADD)
tests_unit_test_funding_SOURCES = tests/unit/test_funding.c
tests_unit_test_funding_LDADD = $(KT_SIM_TEST_LDADD)
tests_unit_test_liquidation_SOURCES = tests/unit/test_liquidation.c
tests_unit_test_liquidation_LDADD = $(KT_SIM_TEST_LDADD)
check_PROGRAMS += tests/unit/test_faults
TESTS += tests/unit/test_faults
tests_unit_test_faults_SOURCES = tests/unit/test_faults.c tests/unit/test_sim_wire.h
tests_unit_test_faults_CFLAGS = $(AM_CFLAGS) $(LIBUV_CFLAGS) -pthread
tests_unit_test_faults_LDFLAGS = $(AM_LDFLAGS) -pthread
tests_unit_test_faults_LDADD = $(KT_SIM_TEST_LDADD)
# A liquidation over the wire: Futures REST fills and account log.
check_PROGRAMS += tests/unit/test_fut_rest_srv_liq
TESTS += tests/unit/test_fut_rest_srv_liq
tests_unit_test_fut_rest_srv_liq_SOURCES = tests/unit/test_fut_rest_srv_liq.c \
	tests/unit/fut_rest_srv_env.c tests/unit/fut_rest_srv_env.h \
	tests/fixtures/net/nettest.c tests/fixtures/net/nettest.h
tests_unit_test_fut_rest_srv_liq_CFLAGS = $(AM_CFLAGS) $(LIBUV_CFLAGS)
tests_unit_test_fut_rest_srv_liq_LDADD = $(KT_LIB_PAPER) $(KT_LIB_KRAKEN) src/core/libkt_core.a \
	src/net/libkt_net.a src/base/libkt_base.a $(LWS_LIBS) $(CURL_LIBS) $(OPENSSL_LIBS) \
	$(LIBUV_LIBS) $(JANSSON_LIBS) $(KT_TEST_LDADD)
