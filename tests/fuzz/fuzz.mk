# tests/fuzz: libFuzzer targets for every parser of outside input (tests/fuzz/fuzz.h).
#
# ./configure CC=clang --enable-fuzzing: the targets link with -fsanitize=fuzzer and
# `make check` runs tests/fuzz/fuzz-smoke.sh (each target for KT_FUZZ_SECONDS, 5 by
# default, from its seed corpus). Any other build: the same sources link with
# fuzz_main.c, which replays the seed corpus through each target as an ordinary test.
# Long campaigns: docs/testing.md.
if FUZZING
KT_FUZZ_MAIN =
KT_FUZZ_LINK = -fsanitize=fuzzer
TESTS += tests/fuzz/fuzz-smoke.sh
else
KT_FUZZ_MAIN = tests/fuzz/fuzz_main.c
KT_FUZZ_LINK =
endif
KT_FUZZ_COMMON = tests/fuzz/fuzz.h tests/fuzz/fuzz_util.c $(KT_FUZZ_MAIN)
KT_FUZZ_LDADD = $(KT_LAYER_LIBS) $(KT_EXT_LIBS)
KT_FUZZ_CFLAGS = $(AM_CFLAGS) $(KT_APP_CFLAGS)
KT_FUZZ_PROGS = \
	tests/fuzz/fuzz_jscan \
	tests/fuzz/fuzz_fields \
	tests/fuzz/fuzz_http_parse \
	tests/fuzz/fuzz_ws_frame \
	tests/fuzz/fuzz_spot_rest \
	tests/fuzz/fuzz_spot_ws \
	tests/fuzz/fuzz_fut_rest \
	tests/fuzz/fuzz_fut_ws \
	tests/fuzz/fuzz_paper_rest \
	tests/fuzz/fuzz_paper_ws \
	tests/fuzz/fuzz_config \
	tests/fuzz/fuzz_keymap \
	tests/fuzz/fuzz_theme
check_PROGRAMS += $(KT_FUZZ_PROGS)
if !FUZZING
TESTS += $(KT_FUZZ_PROGS)
endif
EXTRA_DIST += tests/fuzz/corpus tests/fuzz/repro tests/fuzz/fuzz-smoke.sh tests/fuzz/gen-corpus.py

tests_fuzz_fuzz_jscan_SOURCES = tests/fuzz/fuzz_jscan.c $(KT_FUZZ_COMMON)
tests_fuzz_fuzz_jscan_CFLAGS = $(KT_FUZZ_CFLAGS)
tests_fuzz_fuzz_jscan_LDFLAGS = $(AM_LDFLAGS) $(KT_FUZZ_LINK)
tests_fuzz_fuzz_jscan_LDADD = $(KT_FUZZ_LDADD)
tests_fuzz_fuzz_fields_SOURCES = tests/fuzz/fuzz_fields.c $(KT_FUZZ_COMMON)
tests_fuzz_fuzz_fields_CFLAGS = $(KT_FUZZ_CFLAGS)
tests_fuzz_fuzz_fields_LDFLAGS = $(AM_LDFLAGS) $(KT_FUZZ_LINK)
tests_fuzz_fuzz_fields_LDADD = $(KT_FUZZ_LDADD)
tests_fuzz_fuzz_http_parse_SOURCES = tests/fuzz/fuzz_http_parse.c $(KT_FUZZ_COMMON)
tests_fuzz_fuzz_http_parse_CFLAGS = $(KT_FUZZ_CFLAGS)
tests_fuzz_fuzz_http_parse_LDFLAGS = $(AM_LDFLAGS) $(KT_FUZZ_LINK)
tests_fuzz_fuzz_http_parse_LDADD = $(KT_FUZZ_LDADD)
tests_fuzz_fuzz_ws_frame_SOURCES = tests/fuzz/fuzz_ws_frame.c $(KT_FUZZ_COMMON)
tests_fuzz_fuzz_ws_frame_CFLAGS = $(KT_FUZZ_CFLAGS)
tests_fuzz_fuzz_ws_frame_LDFLAGS = $(AM_LDFLAGS) $(KT_FUZZ_LINK)
tests_fuzz_fuzz_ws_frame_LDADD = $(KT_FUZZ_LDADD)
tests_fuzz_fuzz_spot_rest_SOURCES = tests/fuzz/fuzz_spot_rest.c $(KT_FUZZ_COMMON)
tests_fuzz_fuzz_spot_rest_CFLAGS = $(KT_FUZZ_CFLAGS)
tests_fuzz_fuzz_spot_rest_LDFLAGS = $(AM_LDFLAGS) $(KT_FUZZ_LINK)
tests_fuzz_fuzz_spot_rest_LDADD = $(KT_FUZZ_LDADD)
tests_fuzz_fuzz_spot_ws_SOURCES = tests/fuzz/fuzz_spot_ws.c $(KT_FUZZ_COMMON)
tests_fuzz_fuzz_spot_ws_CFLAGS = $(KT_FUZZ_CFLAGS)
tests_fuzz_fuzz_spot_ws_LDFLAGS = $(AM_LDFLAGS) $(KT_FUZZ_LINK)
tests_fuzz_fuzz_spot_ws_LDADD = $(KT_FUZZ_LDADD)
tests_fuzz_fuzz_fut_rest_SOURCES = tests/fuzz/fuzz_fut_rest.c $(KT_FUZZ_COMMON)
tests_fuzz_fuzz_fut_rest_CFLAGS = $(KT_FUZZ_CFLAGS)
tests_fuzz_fuzz_fut_rest_LDFLAGS = $(AM_LDFLAGS) $(KT_FUZZ_LINK)
tests_fuzz_fuzz_fut_rest_LDADD = $(KT_FUZZ_LDADD)
tests_fuzz_fuzz_fut_ws_SOURCES = tests/fuzz/fuzz_fut_ws.c $(KT_FUZZ_COMMON)
tests_fuzz_fuzz_fut_ws_CFLAGS = $(KT_FUZZ_CFLAGS)
tests_fuzz_fuzz_fut_ws_LDFLAGS = $(AM_LDFLAGS) $(KT_FUZZ_LINK)
tests_fuzz_fuzz_fut_ws_LDADD = $(KT_FUZZ_LDADD)
tests_fuzz_fuzz_paper_rest_SOURCES = tests/fuzz/fuzz_paper_rest.c tests/fuzz/fakesrv.c tests/fuzz/fakesrv.h tests/fuzz/paperfx.c tests/fuzz/paperfx.h $(KT_FUZZ_COMMON)
tests_fuzz_fuzz_paper_rest_CFLAGS = $(KT_FUZZ_CFLAGS)
tests_fuzz_fuzz_paper_rest_LDFLAGS = $(AM_LDFLAGS) $(KT_FUZZ_LINK)
tests_fuzz_fuzz_paper_rest_LDADD = $(KT_FUZZ_LDADD)
tests_fuzz_fuzz_paper_ws_SOURCES = tests/fuzz/fuzz_paper_ws.c tests/fuzz/fakesrv.c tests/fuzz/fakesrv.h tests/fuzz/paperfx.c tests/fuzz/paperfx.h $(KT_FUZZ_COMMON)
tests_fuzz_fuzz_paper_ws_CFLAGS = $(KT_FUZZ_CFLAGS)
tests_fuzz_fuzz_paper_ws_LDFLAGS = $(AM_LDFLAGS) $(KT_FUZZ_LINK)
tests_fuzz_fuzz_paper_ws_LDADD = $(KT_FUZZ_LDADD)
tests_fuzz_fuzz_config_SOURCES = tests/fuzz/fuzz_config.c $(KT_FUZZ_COMMON)
tests_fuzz_fuzz_config_CFLAGS = $(KT_FUZZ_CFLAGS)
tests_fuzz_fuzz_config_LDFLAGS = $(AM_LDFLAGS) $(KT_FUZZ_LINK)
tests_fuzz_fuzz_config_LDADD = $(KT_FUZZ_LDADD)
tests_fuzz_fuzz_keymap_SOURCES = tests/fuzz/fuzz_keymap.c $(KT_FUZZ_COMMON)
tests_fuzz_fuzz_keymap_CFLAGS = $(KT_FUZZ_CFLAGS)
tests_fuzz_fuzz_keymap_LDFLAGS = $(AM_LDFLAGS) $(KT_FUZZ_LINK)
tests_fuzz_fuzz_keymap_LDADD = $(KT_FUZZ_LDADD)
tests_fuzz_fuzz_theme_SOURCES = tests/fuzz/fuzz_theme.c $(KT_FUZZ_COMMON)
tests_fuzz_fuzz_theme_CFLAGS = $(KT_FUZZ_CFLAGS)
tests_fuzz_fuzz_theme_LDFLAGS = $(AM_LDFLAGS) $(KT_FUZZ_LINK)
tests_fuzz_fuzz_theme_LDADD = $(KT_FUZZ_LDADD)
