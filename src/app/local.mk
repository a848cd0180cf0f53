# src/app: wiring only — command line, configuration and profiles, secrets,
# one-shot commands and the TUI start-up. Depends on every other layer.
noinst_LIBRARIES += %reldir%/libkt_app.a
%canon_reldir%_libkt_app_a_SOURCES = \
	%reldir%/paths.c %reldir%/paths.h \
	%reldir%/cfg.c %reldir%/cfg.h %reldir%/cfg_int.h %reldir%/cfg_load.c \
	%reldir%/secrets.c %reldir%/secrets.h \
	%reldir%/profile.c %reldir%/profile.h \
	%reldir%/cli.c %reldir%/cli.h \
	%reldir%/commands.c %reldir%/commands.h \
	%reldir%/paper_embed.c %reldir%/paper_embed.h \
	%reldir%/backend.c %reldir%/backend.h \
	%reldir%/tui.c %reldir%/tui.h \
	%reldir%/journal.c %reldir%/journal.h \
	%reldir%/deadman.c %reldir%/deadman.h \
	%reldir%/paper_run.c %reldir%/paper_run.h \
	%reldir%/cmd_paper.c \
	%reldir%/cmd_util.c %reldir%/cmd_util.h \
	%reldir%/cmd_backend.c \
	%reldir%/cmd_account.c \
	%reldir%/cmd_market.c \
	%reldir%/cmd_order.c \
	%reldir%/cmd_manage.c \
	%reldir%/cmd_transfer.c \
	%reldir%/cmd_record.c
%canon_reldir%_libkt_app_a_CFLAGS = $(AM_CFLAGS) $(KT_APP_CFLAGS)
KT_LIB_APP = %reldir%/libkt_app.a
EXTRA_DIST += docs/config.example

bin_PROGRAMS += krakterm
krakterm_SOURCES = \
	%reldir%/main.c
# Layers from the top down so the static linker resolves each against the lower ones.
# Each layer's fragment sets KT_LIB_<LAYER> to its library once it has one.
KT_LAYER_LIBS = $(KT_LIB_APP) $(KT_LIB_UI) $(KT_LIB_PAPER) $(KT_LIB_KRAKEN) $(KT_LIB_NET) \
	$(KT_LIB_CORE) $(KT_LIB_BASE)
KT_EXT_LIBS = $(NCURSES_LIBS) $(LWS_LIBS) $(CURL_LIBS) $(OPENSSL_LIBS) $(JANSSON_LIBS) \
	$(LIBCONFIG_LIBS) $(LIBUV_LIBS) -lm
KT_APP_CFLAGS = $(NCURSES_CFLAGS) $(LWS_CFLAGS) $(CURL_CFLAGS) $(OPENSSL_CFLAGS) $(JANSSON_CFLAGS) \
	$(LIBCONFIG_CFLAGS) $(LIBUV_CFLAGS)
krakterm_CFLAGS = $(AM_CFLAGS) $(KT_APP_CFLAGS)
krakterm_LDADD = $(KT_LAYER_LIBS) $(KT_EXT_LIBS)
