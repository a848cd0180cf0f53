# src/paper core: the px hub (instruments, accounts, orders, Spot and Futures money,
# transfers, market data), auth, the state file and the server (docs/paper.md).
src_paper_libkt_paper_a_SOURCES += \
	%reldir%/instruments.c %reldir%/instruments.h \
	%reldir%/px.c %reldir%/px.h %reldir%/px_int.h \
	%reldir%/px_map.c %reldir%/px_units.c \
	%reldir%/px_orders.c %reldir%/px_place.c %reldir%/px_amend.c \
	%reldir%/px_spot.c %reldir%/px_futures.c %reldir%/px_fut_margin.c \
	%reldir%/px_fut_query.c %reldir%/px_transfer.c \
	%reldir%/px_market.c %reldir%/px_query.c \
	%reldir%/auth.c %reldir%/auth.h \
	%reldir%/persist.c %reldir%/persist_load.c %reldir%/persist.h %reldir%/persist_int.h \
	%reldir%/paper.c %reldir%/paper.h \
	%reldir%/server.c %reldir%/server.h
