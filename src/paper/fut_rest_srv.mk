# src/paper Kraken Futures REST v3 adapter (/derivatives/api/v3, /api/history/v3).
src_paper_libkt_paper_a_SOURCES += \
	%reldir%/fut_rest_srv.c %reldir%/fut_rest_srv.h %reldir%/fut_rest_srv_int.h \
	%reldir%/fut_rest_srv_render.c \
	%reldir%/fut_rest_srv_public.c \
	%reldir%/fut_rest_srv_account.c \
	%reldir%/fut_rest_srv_log.c \
	%reldir%/fut_rest_srv_trade.c \
	%reldir%/fut_rest_srv_batch.c
