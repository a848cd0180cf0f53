# Kraken Spot WebSocket v2 client: the reconnecting connection (shared with Futures),
# the pure codec (decoders + request builders), the pending-request table and the
# public/private sessions.
src_kraken_libkt_kraken_a_SOURCES += \
	%reldir%/wsconn.c %reldir%/wsconn.h \
	%reldir%/spot_ws_codec.c %reldir%/spot_ws_codec_priv.c %reldir%/spot_ws_build.c \
	%reldir%/spot_ws_codec.h \
	%reldir%/spot_ws_req.c %reldir%/spot_ws_req.h \
	%reldir%/spot_ws.c %reldir%/spot_ws_priv.c %reldir%/spot_ws.h
