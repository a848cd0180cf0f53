# src/net: the event loop, HTTP over curl multi, WebSocket over lws, the HTTP/WS
# server used by the paper exchange, signing. Bytes, not exchanges. Depends on base.
noinst_LIBRARIES += %reldir%/libkt_net.a
KT_LIB_NET = %reldir%/libkt_net.a
%canon_reldir%_libkt_net_a_CFLAGS = $(AM_CFLAGS) $(LIBUV_CFLAGS) $(LWS_CFLAGS) $(CURL_CFLAGS) $(OPENSSL_CFLAGS)
%canon_reldir%_libkt_net_a_SOURCES = \
	%reldir%/loop.c %reldir%/loop.h \
	%reldir%/resolve.c %reldir%/resolve.h \
	%reldir%/http_client.c %reldir%/http_client.h \
	%reldir%/ws_client.c %reldir%/ws_client.h
include %reldir%/sign.mk
include %reldir%/server.mk
