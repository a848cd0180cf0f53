# bench: performance measurements (`make bench`; docs/performance.md has the
# results). Never part of `make check`: benchmarks measure, they do not assert
# on time. The programs are built with everything else (so they keep compiling
# as the code changes); `make bench` runs them one after the other, each
# printing "name value unit" lines on stdout (notes go to stderr).
noinst_LIBRARIES += bench/libkt_bench.a
bench_libkt_bench_a_SOURCES = bench/bench_util.c bench/bench_util.h \
	bench/bench_loop.c bench/bench_loop.h bench/bench_market.c bench/bench_market.h
bench_libkt_bench_a_CFLAGS = $(AM_CFLAGS) $(KT_APP_CFLAGS)

KT_BENCH_BINS = bench/bench_book bench/bench_fut_ws bench/bench_e2e bench/bench_order \
	bench/bench_render bench/bench_mem bench/bench_pty
noinst_PROGRAMS += $(KT_BENCH_BINS)
KT_BENCH_LDADD = bench/libkt_bench.a $(KT_LAYER_LIBS) $(KT_EXT_LIBS)

bench_bench_book_SOURCES = bench/bench_book.c
bench_bench_book_LDADD = $(KT_BENCH_LDADD)
bench_bench_fut_ws_SOURCES = bench/bench_fut_ws.c
bench_bench_fut_ws_LDADD = $(KT_BENCH_LDADD)
bench_bench_e2e_SOURCES = bench/bench_e2e.c
bench_bench_e2e_CFLAGS = $(AM_CFLAGS) $(KT_APP_CFLAGS)
bench_bench_e2e_LDADD = $(KT_BENCH_LDADD)
bench_bench_order_SOURCES = bench/bench_order.c
bench_bench_order_CFLAGS = $(AM_CFLAGS) $(KT_APP_CFLAGS)
bench_bench_order_LDADD = $(KT_BENCH_LDADD)
bench_bench_render_SOURCES = bench/bench_render.c
bench_bench_render_LDADD = $(KT_BENCH_LDADD)
bench_bench_mem_SOURCES = bench/bench_mem.c
bench_bench_mem_CFLAGS = $(AM_CFLAGS) $(KT_APP_CFLAGS)
bench_bench_mem_LDADD = $(KT_BENCH_LDADD)
bench_bench_pty_SOURCES = bench/bench_pty.c
bench_bench_pty_CFLAGS = $(AM_CFLAGS) $(KT_APP_CFLAGS)
bench_bench_pty_LDADD = $(KT_BENCH_LDADD) -lutil

# KT_BENCH_SECS scales how long each measurement runs (default 1).
bench: $(KT_BENCH_BINS) krakterm$(EXEEXT)
	@echo "# $$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), kernel $$(uname -r)" >&2
	@echo "machine_nproc $$(nproc) cpus"
	@echo "machine_loadavg_1m $$(cut -d' ' -f1 /proc/loadavg) load"
	@for p in $(KT_BENCH_BINS); do \
		echo "# $$p" >&2; \
		KT_TOP_SRCDIR='$(abs_top_srcdir)' KT_BIN='$(abs_top_builddir)/krakterm' \
			./$$p || exit 1; \
	done
	@echo "machine_loadavg_1m_after $$(cut -d' ' -f1 /proc/loadavg) load"
.PHONY: bench
