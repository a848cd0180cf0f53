# Unit tests of src/base.
check_PROGRAMS += tests/unit/test_sbuf tests/unit/test_log
TESTS += tests/unit/test_sbuf tests/unit/test_log
tests_unit_test_sbuf_SOURCES = tests/unit/test_sbuf.c
tests_unit_test_sbuf_LDADD = src/base/libkt_base.a $(KT_TEST_LDADD)
tests_unit_test_log_SOURCES = tests/unit/test_log.c
tests_unit_test_log_LDADD = src/base/libkt_base.a $(KT_TEST_LDADD)
