# Unit tests of src/core (books, state store, validation).
KT_CORE_TEST_LIBS = src/core/libkt_core.a src/base/libkt_base.a $(KT_TEST_LDADD)
check_PROGRAMS += tests/unit/test_book tests/unit/test_state tests/unit/test_validate
TESTS += tests/unit/test_book tests/unit/test_state tests/unit/test_validate
tests_unit_test_book_SOURCES = tests/unit/test_book.c
tests_unit_test_book_LDADD = $(KT_CORE_TEST_LIBS)
tests_unit_test_state_SOURCES = tests/unit/test_state.c
tests_unit_test_state_LDADD = $(KT_CORE_TEST_LIBS)
tests_unit_test_validate_SOURCES = tests/unit/test_validate.c tests/unit/core_fx.h
tests_unit_test_validate_LDADD = $(KT_CORE_TEST_LIBS)
