# The living market of the paper exchange: reference prices, simulated makers and
# takers, funding, liquidation and fault injection (docs/paper-market.md).
%canon_reldir%_libkt_paper_a_SOURCES += \
	%reldir%/prng.c %reldir%/prng.h \
	%reldir%/sim.c %reldir%/sim.h %reldir%/sim_int.h \
	%reldir%/sim_price.c \
	%reldir%/sim_book.c \
	%reldir%/funding.c %reldir%/funding.h \
	%reldir%/liquidation.c %reldir%/liquidation.h
%canon_reldir%_libkt_paper_a_SOURCES += %reldir%/faults.c %reldir%/faults.h \
	%reldir%/faults_ctl.c
