# src/core: instruments, books, orders, positions, wallets, funding, the state store
# and its events, user intents. No I/O, no curses, no JSON. Depends on base.
noinst_LIBRARIES += %reldir%/libkt_core.a
KT_LIB_CORE = %reldir%/libkt_core.a
%canon_reldir%_libkt_core_a_SOURCES = \
	%reldir%/types.c %reldir%/types.h \
	%reldir%/strmap.c %reldir%/strmap.h \
	%reldir%/instrument.c %reldir%/instrument.h \
	%reldir%/book.c %reldir%/book.h \
	%reldir%/market.c %reldir%/market.h \
	%reldir%/account.h \
	%reldir%/feed.c %reldir%/feed.h \
	%reldir%/state.c %reldir%/state.h \
	%reldir%/intent.c %reldir%/intent.h \
	%reldir%/validate.c %reldir%/validate.h \
	%reldir%/preview.c %reldir%/preview.h \
	%reldir%/guard.c %reldir%/guard.h
