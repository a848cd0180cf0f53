# Unit tests of trading from the keyboard: the order preview and the
# fat-finger guards (src/core), and the order ticket and the other trading
# forms through the headless UI with a fake gateway (ui/).
check_PROGRAMS += tests/unit/test_preview tests/unit/test_guard tests/unit/test_ticket
TESTS += tests/unit/test_preview tests/unit/test_guard tests/unit/test_ticket
tests_unit_test_preview_SOURCES = tests/unit/test_preview.c tests/unit/core_fx.h
tests_unit_test_preview_LDADD = src/core/libkt_core.a src/base/libkt_base.a $(KT_TEST_LDADD)
tests_unit_test_guard_SOURCES = tests/unit/test_guard.c tests/unit/core_fx.h
tests_unit_test_guard_LDADD = src/core/libkt_core.a src/base/libkt_base.a $(KT_TEST_LDADD)
tests_unit_test_ticket_SOURCES = tests/unit/test_ticket.c tests/unit/ticket_util.c \
	tests/unit/ticket_util.h
tests_unit_test_ticket_LDADD = ui/libkt_ui.a src/core/libkt_core.a src/base/libkt_base.a \
	$(NCURSES_LIBS) $(LIBCONFIG_LIBS) $(KT_TEST_LDADD)
check_PROGRAMS += tests/unit/test_trade_actions
TESTS += tests/unit/test_trade_actions
tests_unit_test_trade_actions_SOURCES = tests/unit/test_trade_actions.c tests/unit/ticket_util.c \
	tests/unit/ticket_util.h
tests_unit_test_trade_actions_LDADD = $(tests_unit_test_ticket_LDADD)
