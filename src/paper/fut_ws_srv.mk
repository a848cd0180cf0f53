# src/paper Futures WebSocket v1 adapter (part of libkt_paper.a): requests and
# acks, px events to subscribers, Kraken's JSON shapes.
src_paper_libkt_paper_a_SOURCES += \
	%reldir%/fut_ws_srv.c %reldir%/fut_ws_srv.h %reldir%/fut_ws_srv_int.h \
	%reldir%/fut_ws_srv_feed.c \
	%reldir%/fut_ws_srv_render.c
