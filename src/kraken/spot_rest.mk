# Kraken Spot REST: rate limits, the pure codec (builders and decoders) and the
# transport (signing, nonces, queueing, backoff, reconciliation).
src_kraken_libkt_kraken_a_SOURCES += \
	%reldir%/ratelimit.c %reldir%/ratelimit.h \
	%reldir%/spot_rest_codec.c %reldir%/spot_rest_codec.h %reldir%/spot_rest_int.h \
	%reldir%/spot_rest_build.c \
	%reldir%/spot_rest_public.c \
	%reldir%/spot_rest_orders.c \
	%reldir%/spot_rest_account.c \
	%reldir%/spot_rest_trading.c \
	%reldir%/spot_rest.c %reldir%/spot_rest.h %reldir%/spot_rest_impl.h \
	%reldir%/spot_rest_ops.c \
	%reldir%/spot_rest_more.c \
	%reldir%/spot_rest_fetch.c
