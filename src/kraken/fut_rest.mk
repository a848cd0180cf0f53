# src/kraken Futures REST v3: pure codec (builders + decoders) and the session
# (signing, nonces, rate-limit queue, backoff, reconciliation).
src_kraken_libkt_kraken_a_SOURCES += \
	%reldir%/fut_rest_codec.c %reldir%/fut_rest_codec.h %reldir%/fut_rest_codec_int.h \
	%reldir%/fut_rest_codec_build.c \
	%reldir%/fut_rest_codec_market.c \
	%reldir%/fut_rest_codec_account.c \
	%reldir%/fut_rest_codec_orders.c \
	%reldir%/fut_rest.c %reldir%/fut_rest.h %reldir%/fut_rest_int.h \
	%reldir%/fut_rest_ops.c
