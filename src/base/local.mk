# src/base: decimals, buffers, logging, clock, errors, JSON scanning. Depends on nothing.
noinst_LIBRARIES += %reldir%/libkt_base.a
%canon_reldir%_libkt_base_a_SOURCES = \
	%reldir%/xalloc.c %reldir%/xalloc.h \
	%reldir%/sbuf.c %reldir%/sbuf.h \
	%reldir%/clock.c %reldir%/clock.h \
	%reldir%/log.c %reldir%/log.h \
	%reldir%/kerr.h \
	%reldir%/dec.c %reldir%/dec.h \
	%reldir%/jscan.c %reldir%/jscan.h \
	%reldir%/jwrite.c %reldir%/jwrite.h \
	%reldir%/crc32.c %reldir%/crc32.h \
	%reldir%/urlenc.c %reldir%/urlenc.h \
	%reldir%/b64.c %reldir%/b64.h \
	%reldir%/ktime.c %reldir%/ktime.h \
	%reldir%/uuid.c %reldir%/uuid.h \
	%reldir%/strutil.c %reldir%/strutil.h
KT_LIB_BASE = %reldir%/libkt_base.a
