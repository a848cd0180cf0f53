/* bench_fut_ws: Futures WS v1 book deltas parsed and applied per second, on
 * one core: 200k realistic one-level deltas (prices near the top of a
 * 2x1000-level book, some deletes, exponent sizes) decoded by fut_ws_decode
 * into a core state with a listener attached. Times are CPU time of this
 * thread. Prints "name value unit" lines (bench_util.h).
 * Usage: bench_fut_ws [passes] (default: as many as fit in ~1.5 s of CPU). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench/bench_util.h"
#include "core/state.h"
#include "kraken/fut_ws_codec.h"

#define NDELTA 200000

static void count(void *ctx, const struct state_event *ev)
{
	(void)ev;
	(*(unsigned long *)ctx)++;
}

int main(int argc, char **argv)
{
	int passes = argc > 1 ? atoi(argv[1]) : 0;
	uint64_t budget = (uint64_t)(1.5e9 * bench_scale());
	struct state st;
	state_init(&st);
	struct instrument in;
	memset(&in, 0, sizeof in);
	strcpy(in.id, "PF_XBTUSD");
	in.product = PRODUCT_FUTURES;
	in.kind = IK_PERP_LINEAR;
	in.price_dp = 1;
	in.qty_dp = 4;
	state_add_instrument(&st, &in);
	unsigned long events = 0;
	state_listen(&st, count, &events);

	/* snapshot: 1000 bids below 60000, 1000 asks above */
	size_t cap = 1 << 16;
	char *snap = malloc(cap);
	size_t n = (size_t)snprintf(snap, cap,
	                            "{\"feed\":\"book_snapshot\",\"product_id\":"
	                            "\"PF_XBTUSD\",\"timestamp\":1,\"seq\":0,\"bids\":[");
	for (int i = 0; i < 1000; i++)
		n += (size_t)snprintf(snap + n, cap - n, "%s{\"price\":%d.5,\"qty\":1.25}",
		                      i ? "," : "", 59999 - i);
	n += (size_t)snprintf(snap + n, cap - n, "],\"asks\":[");
	for (int i = 0; i < 1000; i++)
		n += (size_t)snprintf(snap + n, cap - n, "%s{\"price\":%d,\"qty\":0.5}",
		                      i ? "," : "", 60001 + i);
	n += (size_t)snprintf(snap + n, cap - n, "]}");
	size_t snap_len = n;

	char *buf = malloc((size_t)NDELTA * 160);
	size_t *off = malloc(((size_t)NDELTA + 1) * sizeof *off);
	uint32_t seed = 12345;
	size_t w = 0;
	for (int i = 0; i < NDELTA; i++) {
		off[i] = w;
		uint32_t r = bench_rnd(&seed);
		bool bid = r & 1;
		int depth = (int)((r >> 1) % 50); /* near the top */
		int px = bid ? 59999 - depth : 60001 + depth;
		unsigned q = (r >> 8) % 5 == 0 ? 0 : (r >> 12) % 90000 + 1;
		w += (size_t)sprintf(
		        buf + w,
		        "{\"feed\":\"book\",\"product_id\":\"PF_XBTUSD\",\"side\":\"%s\","
		        "\"seq\":%d,\"price\":%d%s,\"qty\":%u.%04ue-1,"
		        "\"timestamp\":1612269953629}",
		        bid ? "buy" : "sell", i + 1, px, bid ? ".5" : "", q / 10000, q % 10000);
	}
	off[NDELTA] = w;

	struct fut_ws_codec c;
	fut_ws_codec_init(&c);
	struct fws_msg m;
	struct kerr err = KERR_INIT;
	uint64_t total_ns = 0;
	size_t applied = 0;
	int done_passes = 0;
	for (; passes ? done_passes < passes : total_ns < budget; done_passes++) {
		if (fut_ws_decode(&c, &st, snap, snap_len, &m, &err) < 0) {
			fprintf(stderr, "snapshot: %s\n", err.msg);
			return 1;
		}
		uint64_t t0 = bench_thread_cpu_ns();
		for (int i = 0; i < NDELTA; i++) {
			if (fut_ws_decode(&c, &st, buf + off[i], off[i + 1] - off[i], &m, &err) <
			    0) {
				fprintf(stderr, "delta %d: %s\n", i, err.msg);
				return 1;
			}
			applied += m.count;
		}
		total_ns += bench_thread_cpu_ns() - t0;
	}
	double secs = (double)total_ns / 1e9;
	size_t done = (size_t)done_passes * NDELTA;
	bench_out("fut_book_deltas", (double)(int64_t)((double)done / secs), "msg/s");
	bench_out("fut_book_delta_cost", (double)(int64_t)((double)total_ns / (double)done),
	          "ns/msg");
	fprintf(stderr, "# futures: %zu deltas, %zu levels applied, %lu events, %llu gaps\n", done,
	        applied, events, (unsigned long long)c.gaps);
	if (c.gaps || applied != done) {
		fprintf(stderr, "bench_fut_ws: deltas were not all applied\n");
		return 1;
	}
	fut_ws_codec_free(&c);
	state_free(&st);
	free(buf);
	free(off);
	free(snap);
	return 0;
}
