# Unit tests of ui/ (headless screen).
check_PROGRAMS += tests/unit/test_ui
TESTS += tests/unit/test_ui
tests_unit_test_ui_SOURCES = tests/unit/test_ui.c
tests_unit_test_ui_LDADD = ui/libkt_ui.a src/core/libkt_core.a src/base/libkt_base.a \
	$(NCURSES_LIBS) $(LIBCONFIG_LIBS) $(KT_TEST_LDADD)
