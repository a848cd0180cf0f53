# Unit tests of src/paper (matching engine, accounts).
KT_ENGINE_TEST_SOURCES = tests/unit/engine_util.c tests/unit/engine_util.h
check_PROGRAMS += tests/unit/test_engine tests/unit/test_engine_trigger \
	tests/unit/test_engine_ops tests/unit/test_engine_prop
TESTS += tests/unit/test_engine tests/unit/test_engine_trigger \
	tests/unit/test_engine_ops tests/unit/test_engine_prop
tests_unit_test_engine_SOURCES = tests/unit/test_engine.c $(KT_ENGINE_TEST_SOURCES)
tests_unit_test_engine_LDADD = $(KT_LIB_PAPER) src/base/libkt_base.a $(KT_TEST_LDADD)
tests_unit_test_engine_trigger_SOURCES = tests/unit/test_engine_trigger.c $(KT_ENGINE_TEST_SOURCES)
tests_unit_test_engine_trigger_LDADD = $(KT_LIB_PAPER) src/base/libkt_base.a $(KT_TEST_LDADD)
tests_unit_test_engine_ops_SOURCES = tests/unit/test_engine_ops.c $(KT_ENGINE_TEST_SOURCES)
tests_unit_test_engine_ops_LDADD = $(KT_LIB_PAPER) src/base/libkt_base.a $(KT_TEST_LDADD)
tests_unit_test_engine_prop_SOURCES = tests/unit/test_engine_prop.c $(KT_ENGINE_TEST_SOURCES)
tests_unit_test_engine_prop_LDADD = $(KT_LIB_PAPER) src/base/libkt_base.a $(KT_TEST_LDADD)
