# src/net HTTP/1.1 + WebSocket server of the paper exchange (part of libkt_net.a).
src_net_libkt_net_a_SOURCES += \
	%reldir%/http_server.c %reldir%/http_server.h %reldir%/http_server_int.h %reldir%/ws_conn.c \
	%reldir%/http_parse.c %reldir%/http_parse.h \
	%reldir%/ws_frame.c %reldir%/ws_frame.h
