# src/paper: the paper exchange (matching engine, accounts, market, Kraken-protocol
# server). Depends on base, net.
noinst_LIBRARIES += %reldir%/libkt_paper.a
KT_LIB_PAPER = %reldir%/libkt_paper.a
%canon_reldir%_libkt_paper_a_CFLAGS = $(AM_CFLAGS) $(LIBUV_CFLAGS) $(JANSSON_CFLAGS)
# Matching engine: pure, no I/O (docs/paper-engine.md).
%canon_reldir%_libkt_paper_a_SOURCES = \
	%reldir%/engine.c %reldir%/engine.h %reldir%/engine_int.h \
	%reldir%/engine_book.c \
	%reldir%/engine_map.c \
	%reldir%/engine_trigger.c \
	%reldir%/engine_match.c \
	%reldir%/engine_amend.c
include %reldir%/fut_ws_srv.mk
include %reldir%/core.mk
include %reldir%/spot_ws_srv.mk
include %reldir%/fut_rest_srv.mk
include %reldir%/spot_rest_srv.mk
include %reldir%/sim.mk
