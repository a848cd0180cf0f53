# src/paper Spot REST adapter (part of libkt_paper.a): Kraken's /0/public and
# /0/private endpoints served from px.
src_paper_libkt_paper_a_SOURCES += \
	%reldir%/spot_rest_srv.c %reldir%/spot_rest_srv.h %reldir%/spot_rest_srv_int.h \
	%reldir%/spot_rest_srv_render.c \
	%reldir%/spot_rest_srv_public.c \
	%reldir%/spot_rest_srv_account.c \
	%reldir%/spot_rest_srv_trade.c
