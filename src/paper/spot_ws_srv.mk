# The paper exchange's Kraken Spot WebSocket v2 adapter (/v2 and /auth/v2).
src_paper_libkt_paper_a_SOURCES += \
	%reldir%/spot_ws_srv.c %reldir%/spot_ws_srv.h %reldir%/spot_ws_srv_int.h \
	%reldir%/spot_ws_srv_book.c \
	%reldir%/spot_ws_srv_trade.c \
	%reldir%/spot_ws_srv_cancel.c \
	%reldir%/spot_ws_srv_render.c
