# tests: shared helpers, the unit tests of each layer (listed in tests/unit/*.mk),
# end-to-end tests of the real binary (tests/e2e) and TUI tests in tmux (tests/tui).
check_LIBRARIES = tests/unit/libkt_testutil.a
tests_unit_libkt_testutil_a_SOURCES = tests/unit/fixture.c tests/unit/unit.h
KT_TEST_LDADD = tests/unit/libkt_testutil.a $(CMOCKA_LIBS)
AM_CFLAGS += $(CMOCKA_CFLAGS)

include $(top_srcdir)/tests/unit/base.mk
EXTRA_DIST += tests/fixtures tests/e2e tests/tui tests/check-layers.sh
include $(top_srcdir)/tests/unit/core.mk
include $(top_srcdir)/tests/unit/net.mk
include $(top_srcdir)/tests/unit/sign.mk
include $(top_srcdir)/tests/unit/paper.mk
include $(top_srcdir)/tests/unit/app.mk
include $(top_srcdir)/tests/unit/netsrv.mk
include $(top_srcdir)/tests/unit/ui.mk
include $(top_srcdir)/tests/unit/fut_ws.mk
include $(top_srcdir)/tests/unit/fut_rest.mk
include $(top_srcdir)/tests/unit/spot_ws.mk
include $(top_srcdir)/tests/unit/spot_rest.mk
include $(top_srcdir)/tests/unit/pxcore.mk
include $(top_srcdir)/tests/unit/trade.mk
include $(top_srcdir)/tests/unit/sim.mk
include $(top_srcdir)/tests/tui/tui.mk
include $(top_srcdir)/tests/fuzz/fuzz.mk
include $(top_srcdir)/tests/e2e/e2e.mk
include $(top_srcdir)/tests/unit/resilience.mk
include $(top_srcdir)/tests/security/security.mk
# The documentation covers every action, theme slot, command and option.
check_PROGRAMS += tests/unit/test_docs
TESTS += tests/unit/test_docs tests/docs-commands.sh
tests_unit_test_docs_SOURCES = tests/unit/test_docs.c
tests_unit_test_docs_LDADD = ui/libkt_ui.a src/core/libkt_core.a src/base/libkt_base.a \
	$(NCURSES_LIBS) $(LIBCONFIG_LIBS) $(KT_TEST_LDADD)
EXTRA_DIST += tests/docs-commands.sh
