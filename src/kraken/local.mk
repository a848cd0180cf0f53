# src/kraken: Spot and Futures protocol codecs and sessions. Depends on base, core, net.
noinst_LIBRARIES += %reldir%/libkt_kraken.a
KT_LIB_KRAKEN = %reldir%/libkt_kraken.a
%canon_reldir%_libkt_kraken_a_CFLAGS = $(AM_CFLAGS) $(JANSSON_CFLAGS) $(LIBUV_CFLAGS)
%canon_reldir%_libkt_kraken_a_SOURCES = \
	%reldir%/symbols.c %reldir%/symbols.h \
	%reldir%/errors.c %reldir%/errors.h \
	%reldir%/client.c %reldir%/client.h %reldir%/client_int.h \
	%reldir%/client_gateway.c %reldir%/client_record.c \
	%reldir%/record.c %reldir%/record.h \
	%reldir%/replay.c %reldir%/replay.h
include %reldir%/spot_rest.mk
include %reldir%/fut_rest.mk
include %reldir%/spot_ws.mk
include %reldir%/fut_ws.mk
