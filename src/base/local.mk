# src/base: decimals, buffers, logging, clock, errors, JSON scanning. Depends on nothing.
noinst_LIBRARIES += %reldir%/libkt_base.a
%canon_reldir%_libkt_base_a_SOURCES = \
	%reldir%/xalloc.c %reldir%/xalloc.h \
	%reldir%/sbuf.c %reldir%/sbuf.h \
	%reldir%/clock.c %reldir%/clock.h \
	%reldir%/log.c %reldir%/log.h \
	%reldir%/kerr.h
KT_LIB_BASE = %reldir%/libkt_base.a
