# src/net signing, hashing and nonce sources (part of libkt_net.a).
src_net_libkt_net_a_SOURCES += \
	%reldir%/sign.c %reldir%/sign.h \
	%reldir%/nonce.c %reldir%/nonce.h
