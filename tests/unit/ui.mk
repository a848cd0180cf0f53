# Unit tests of ui/ (headless screen).
check_PROGRAMS += tests/unit/test_ui
TESTS += tests/unit/test_ui
tests_unit_test_ui_SOURCES = tests/unit/test_ui.c
tests_unit_test_ui_LDADD = ui/libkt_ui.a src/core/libkt_core.a src/base/libkt_base.a \
	$(NCURSES_LIBS) $(LIBCONFIG_LIBS) $(KT_TEST_LDADD)

# The panes one by one: book ladder, watchlist, status bar and funding.
check_PROGRAMS += tests/unit/test_pane_book tests/unit/test_pane_tickers tests/unit/test_ui_status
TESTS += tests/unit/test_pane_book tests/unit/test_pane_tickers tests/unit/test_ui_status
tests_unit_test_pane_book_SOURCES = tests/unit/test_pane_book.c
tests_unit_test_pane_book_LDADD = $(tests_unit_test_ui_LDADD)
tests_unit_test_pane_tickers_SOURCES = tests/unit/test_pane_tickers.c
tests_unit_test_pane_tickers_LDADD = $(tests_unit_test_ui_LDADD)
tests_unit_test_ui_status_SOURCES = tests/unit/test_ui_status.c
tests_unit_test_ui_status_LDADD = $(tests_unit_test_ui_LDADD)
check_PROGRAMS += tests/unit/test_pane_wallets
TESTS += tests/unit/test_pane_wallets
tests_unit_test_pane_wallets_SOURCES = tests/unit/test_pane_wallets.c
tests_unit_test_pane_wallets_LDADD = $(tests_unit_test_ui_LDADD)
