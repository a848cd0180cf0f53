# src/kraken Futures WebSocket v1 (part of libkt_kraken.a): the pure codec
# (requests + decoders applied to core state) and the session.
src_kraken_libkt_kraken_a_SOURCES += \
	%reldir%/fut_ws_codec.c %reldir%/fut_ws_codec.h %reldir%/fut_ws_int.h \
	%reldir%/fut_ws_market.c \
	%reldir%/fut_ws_orders.c \
	%reldir%/fut_ws_account.c
src_kraken_libkt_kraken_a_SOURCES += %reldir%/fut_ws.c %reldir%/fut_ws.h
