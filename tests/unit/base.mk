# Unit tests of src/base.
check_PROGRAMS += tests/unit/test_sbuf tests/unit/test_log tests/unit/test_dec \
	tests/unit/test_jscan tests/unit/test_codecs
TESTS += tests/unit/test_sbuf tests/unit/test_log tests/unit/test_dec \
	tests/unit/test_jscan tests/unit/test_codecs
tests_unit_test_sbuf_SOURCES = tests/unit/test_sbuf.c
tests_unit_test_sbuf_LDADD = src/base/libkt_base.a $(KT_TEST_LDADD)
tests_unit_test_log_SOURCES = tests/unit/test_log.c
tests_unit_test_log_LDADD = src/base/libkt_base.a $(KT_TEST_LDADD)
tests_unit_test_dec_SOURCES = tests/unit/test_dec.c
tests_unit_test_dec_LDADD = src/base/libkt_base.a $(KT_TEST_LDADD)
tests_unit_test_jscan_SOURCES = tests/unit/test_jscan.c
tests_unit_test_jscan_LDADD = src/base/libkt_base.a $(KT_TEST_LDADD)
tests_unit_test_codecs_SOURCES = tests/unit/test_codecs.c
tests_unit_test_codecs_LDADD = src/base/libkt_base.a $(KT_TEST_LDADD)
