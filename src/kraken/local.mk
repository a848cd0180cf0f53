# src/kraken: Spot and Futures protocol codecs and sessions. Depends on base, core, net.
noinst_LIBRARIES += %reldir%/libkt_kraken.a
KT_LIB_KRAKEN = %reldir%/libkt_kraken.a
%canon_reldir%_libkt_kraken_a_CFLAGS = $(AM_CFLAGS) $(JANSSON_CFLAGS) $(LIBUV_CFLAGS)
%canon_reldir%_libkt_kraken_a_SOURCES = \
	%reldir%/symbols.c %reldir%/symbols.h \
	%reldir%/errors.c %reldir%/errors.h
