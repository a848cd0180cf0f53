# ui: the terminal front end, the only layer that includes curses. Depends on base, core.
noinst_LIBRARIES += %reldir%/libkt_ui.a
KT_LIB_UI = %reldir%/libkt_ui.a
%canon_reldir%_libkt_ui_a_CFLAGS = $(AM_CFLAGS) $(NCURSES_CFLAGS) $(LIBCONFIG_CFLAGS)
%canon_reldir%_libkt_ui_a_SOURCES = \
	%reldir%/term.c %reldir%/term.h \
	%reldir%/theme.c %reldir%/theme.h \
	%reldir%/keymap.c %reldir%/keymap.h \
	%reldir%/ui.c %reldir%/ui.h %reldir%/ui_int.h \
	%reldir%/actions.c %reldir%/trade_actions.h \
	%reldir%/form.c %reldir%/form.h \
	%reldir%/draw.c %reldir%/fmt.c %reldir%/switcher.c %reldir%/alerts.c \
	%reldir%/panes.c %reldir%/panes.h \
	%reldir%/pane_book.c %reldir%/pane_tickers.c %reldir%/pane_trades.c \
	%reldir%/pane_chart.c %reldir%/pane_orders.c %reldir%/pane_positions.c \
	%reldir%/pane_wallets.c %reldir%/pane_funding.c \
	%reldir%/trade_actions.c %reldir%/trade_int.h %reldir%/ticket.c %reldir%/ticket_fields.c \
	%reldir%/order_actions.c %reldir%/position_actions.c %reldir%/transfer_form.c
