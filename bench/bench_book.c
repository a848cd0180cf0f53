/* bench_book: order-book throughput on one core.
 *
 * 1. Spot WS v2 book messages parsed, applied and checksummed per second
 *    (spot_ws_decode into a core state with a listener), at subscription
 *    depths 10, 100 and 1000. The messages are what Kraken sends a subscriber
 *    of that depth: a generator keeps a deeper "exchange" book, changes it
 *    (60% size updates, 20% deletes, 20% new levels; 70% of the changes in
 *    the top 10 levels, 20% in the top tenth of the depth, 10% anywhere in
 *    it), and emits the changed levels plus, after a delete, the level that
 *    comes into range, with the CRC32 of the subscriber's top 10; a quarter
 *    of the messages carry two changes. Every checksum must verify.
 * 2. core book_set() updates without any parsing, at the same depths.
 *
 * Times are CPU time of this thread, so other load on the machine does not
 * count against the code. Prints "name value unit" lines. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/sbuf.h"
#include "bench/bench_util.h"
#include "core/book.h"
#include "core/state.h"
#include "kraken/spot_ws_codec.h"

#define PSCALE 1
#define QSCALE 8

struct lvl {
	int64_t px, qty;
	enum side side;
};

/* The message stream for one depth. */
struct stream {
	char *buf;
	size_t *off; /* message i is buf[off[i] .. off[i+1]) */
	size_t n;
	struct sbuf snap;
	size_t levels; /* levels carried by the updates */
};

struct gen {
	size_t depth;
	struct book full, view; /* the exchange's book; the subscriber's */
	uint32_t seed;
	int64_t us; /* timestamp, microseconds into the day */
};

static int64_t rnd_qty(struct gen *g)
{
	return (int64_t)(bench_rnd(&g->seed) % 200000000u) + 1000;
}

/* Rank of the level to change: mostly near the top, as real feeds are. */
static size_t pick_rank(struct gen *g, size_t count)
{
	size_t lim = g->depth < count ? g->depth : count;
	uint32_t r = bench_rnd(&g->seed) % 100;
	size_t span = r < 70 ? 10 : r < 90 ? g->depth / 10 + 1 : g->depth;
	if (span > lim)
		span = lim;
	return span ? bench_rnd(&g->seed) % span : 0;
}

/* Change the exchange's book once; append the levels a subscriber is sent. */
static void gen_op(struct gen *g, struct lvl *out, size_t *n)
{
	enum side s = bench_rnd(&g->seed) & 1 ? SIDE_BUY : SIDE_SELL;
	size_t cnt = book_count(&g->full, s);
	size_t r = pick_rank(g, cnt);
	const struct book_level *at = book_level_at(&g->full, s, r);
	uint32_t kind = bench_rnd(&g->seed) % 100;
	if (kind >= 60 && kind < 80 && cnt > g->depth + 5) { /* delete */
		int64_t px = at->px;
		book_set(&g->full, s, px, 0);
		out[(*n)++] = (struct lvl){px, 0, s};
		const struct book_level *in = book_level_at(&g->full, s, g->depth - 1);
		if (in)
			out[(*n)++] = (struct lvl){in->px, in->qty, s};
		return;
	}
	if (kind >= 80) { /* a new level just better than rank r */
		struct book_level best_other;
		enum side o = s == SIDE_BUY ? SIDE_SELL : SIDE_BUY;
		int64_t lo, hi;
		const struct book_level *prev = r ? book_level_at(&g->full, s, r - 1) : NULL;
		if (!book_best(&g->full, o, &best_other))
			best_other.px = s == SIDE_BUY ? at->px + 100 : at->px - 100;
		if (s == SIDE_BUY) {
			lo = at->px + 1;
			hi = (prev ? prev->px : best_other.px) - 1;
		} else {
			lo = (prev ? prev->px : best_other.px) + 1;
			hi = at->px - 1;
		}
		if (lo <= hi) {
			int64_t px = lo + (int64_t)(bench_rnd(&g->seed) % (uint32_t)(hi - lo + 1));
			int64_t q = rnd_qty(g);
			book_set(&g->full, s, px, q);
			out[(*n)++] = (struct lvl){px, q, s};
			return;
		}
	}
	int64_t q = rnd_qty(g); /* size update */
	book_set(&g->full, s, at->px, q);
	out[(*n)++] = (struct lvl){at->px, q, s};
}

static void put_num(struct sbuf *b, int64_t v, unsigned scale)
{
	int64_t p = 1;
	for (unsigned i = 0; i < scale; i++)
		p *= 10;
	sbuf_addf(b, "%lld.%0*lld", (long long)(v / p), (int)scale, (long long)(v % p));
}

static void put_levels(struct sbuf *b, const char *key, const struct lvl *l, size_t n, enum side s)
{
	sbuf_addf(b, "\"%s\":[", key);
	bool first = true;
	for (size_t i = 0; i < n; i++) {
		if (l[i].side != s)
			continue;
		sbuf_addf(b, "%s{\"price\":", first ? "" : ",");
		put_num(b, l[i].px, PSCALE);
		sbuf_adds(b, ",\"qty\":");
		if (l[i].qty)
			put_num(b, l[i].qty, QSCALE);
		else
			sbuf_adds(b, "0");
		sbuf_adds(b, "}");
		first = false;
	}
	sbuf_adds(b, "]");
}

static void put_msg(struct gen *g, struct sbuf *b, bool snapshot, const struct lvl *l, size_t n)
{
	g->us += 1 + bench_rnd(&g->seed) % 5000;
	int64_t s = g->us / 1000000 % 86400;
	sbuf_addf(b, "{\"channel\":\"book\",\"type\":\"%s\",\"data\":[{\"symbol\":\"BTC/USD\",",
	          snapshot ? "snapshot" : "update");
	put_levels(b, "bids", l, n, SIDE_BUY);
	sbuf_adds(b, ",");
	put_levels(b, "asks", l, n, SIDE_SELL);
	sbuf_addf(b,
	          ",\"checksum\":%u,\"timestamp\":\"2025-06-01T%02lld:%02lld:%02lld.%06lldZ\"}]}",
	          book_checksum(&g->view), (long long)(s / 3600), (long long)(s / 60 % 60),
	          (long long)(s % 60), (long long)(g->us % 1000000));
}

static void view_apply(struct gen *g, const struct lvl *l, size_t n)
{
	for (size_t i = 0; i < n; i++) /* asks first, as the decoder applies them */
		if (l[i].side == SIDE_SELL)
			book_set(&g->view, l[i].side, l[i].px, l[i].qty);
	for (size_t i = 0; i < n; i++)
		if (l[i].side == SIDE_BUY)
			book_set(&g->view, l[i].side, l[i].px, l[i].qty);
	book_truncate(&g->view);
}

/* The exchange's top `depth` equals the subscriber's view (the generator is right). */
static bool view_matches(struct gen *g)
{
	for (int s = 0; s < 2; s++) {
		enum side sd = s ? SIDE_BUY : SIDE_SELL;
		size_t n = book_count(&g->view, sd);
		if (n !=
		    (book_count(&g->full, sd) < g->depth ? book_count(&g->full, sd) : g->depth))
			return false;
		for (size_t i = 0; i < n; i++) {
			const struct book_level *a = book_level_at(&g->view, sd, i);
			const struct book_level *b = book_level_at(&g->full, sd, i);
			if (a->px != b->px || a->qty != b->qty)
				return false;
		}
	}
	return true;
}

static void make_stream(struct stream *st, size_t depth, size_t nmsg)
{
	struct gen g = {.depth = depth, .seed = 0x9e3779b9u ^ (uint32_t)depth, .us = 43200000000};
	book_init(&g.full, PSCALE, QSCALE, 0);
	book_init(&g.view, PSCALE, QSCALE, depth);
	size_t init = depth + 50;
	struct lvl *snap = malloc(2 * init * sizeof *snap);
	for (size_t i = 0; i < init; i++) {
		int64_t qb = rnd_qty(&g), qa = rnd_qty(&g);
		book_set(&g.full, SIDE_BUY, 599995 - 5 * (int64_t)i, qb);
		book_set(&g.full, SIDE_SELL, 600005 + 5 * (int64_t)i, qa);
		if (i < depth) {
			snap[2 * i] = (struct lvl){599995 - 5 * (int64_t)i, qb, SIDE_BUY};
			snap[2 * i + 1] = (struct lvl){600005 + 5 * (int64_t)i, qa, SIDE_SELL};
		}
	}
	view_apply(&g, snap, 2 * depth);
	sbuf_init(&st->snap);
	put_msg(&g, &st->snap, true, snap, 2 * depth);
	free(snap);

	struct sbuf b = SBUF_INIT;
	st->off = malloc((nmsg + 1) * sizeof *st->off);
	st->n = nmsg;
	st->levels = 0;
	for (size_t i = 0; i < nmsg; i++) {
		struct lvl l[8];
		size_t n = 0;
		gen_op(&g, l, &n);
		if (bench_rnd(&g.seed) % 4 == 0)
			gen_op(&g, l, &n);
		view_apply(&g, l, n);
		st->off[i] = b.len;
		st->levels += n;
		put_msg(&g, &b, false, l, n);
	}
	st->off[nmsg] = b.len;
	st->buf = sbuf_detach(&b);
	if (!view_matches(&g)) {
		fprintf(stderr, "bench_book: generator bug: view differs from the book\n");
		exit(1);
	}
	book_free(&g.full);
	book_free(&g.view);
}

static void stream_free(struct stream *st)
{
	free(st->buf);
	free(st->off);
	sbuf_free(&st->snap);
}

/* A listener is always there in the app: count the book events it hears. */
static void on_event(void *ctx, const struct state_event *ev)
{
	*(unsigned long *)ctx += ev->kind == EV_BOOK;
}

static void bench_spot(size_t depth)
{
	size_t nmsg = 100000;
	struct stream s;
	make_stream(&s, depth, nmsg);
	struct state st;
	state_init(&st);
	struct instrument in;
	memset(&in, 0, sizeof in);
	strcpy(in.id, "BTC/USD");
	in.product = PRODUCT_SPOT;
	in.kind = IK_SPOT;
	in.price_dp = PSCALE;
	in.qty_dp = QSCALE;
	int idx = state_add_instrument(&st, &in);
	unsigned long events = 0;
	state_listen(&st, on_event, &events);
	struct market *m = state_market(&st, idx);
	m->book.depth = depth;
	struct spot_ws_dec d;
	spot_ws_dec_init(&d);
	struct spot_ws_msg out;
	struct kerr err = KERR_INIT;
	uint64_t cpu = 0, done = 0, budget = (uint64_t)(1.5e9 * bench_scale());
	while (cpu < budget) {
		if (spot_ws_decode(&d, &st, s.snap.p, s.snap.len, &out, &err) < 0) {
			fprintf(stderr, "bench_book: snapshot: %s\n", err.msg);
			exit(1);
		}
		uint64_t t0 = bench_thread_cpu_ns();
		for (size_t i = 0; i < s.n; i++) {
			if (spot_ws_decode(&d, &st, s.buf + s.off[i], s.off[i + 1] - s.off[i], &out,
			                   &err) < 0 ||
			    out.nresync) {
				fprintf(stderr, "bench_book: depth %zu message %zu: %s\n", depth, i,
				        out.nresync ? "checksum mismatch" : err.msg);
				exit(1);
			}
		}
		cpu += bench_thread_cpu_ns() - t0;
		done += s.n;
	}
	if (m->checksum_failures || !m->book.valid) {
		fprintf(stderr, "bench_book: depth %zu: checksum failures\n", depth);
		exit(1);
	}
	double secs = (double)cpu / 1e9;
	bench_outf((double)(int64_t)((double)done / secs), "msg/s", "spot_book_msgs_d%zu", depth);
	bench_outf((double)(int64_t)((double)cpu / (double)done), "ns/msg", "spot_book_cost_d%zu",
	           depth);
	bench_outf((double)(int64_t)((double)s.off[s.n] / (double)s.n), "B/msg",
	           "spot_book_msg_size_d%zu", depth);
	fprintf(stderr, "# spot depth %zu: %zu levels in %zu messages, %lu book events\n", depth,
	        s.levels, s.n, events);
	spot_ws_dec_free(&d);
	state_free(&st);
	stream_free(&s);
}

/* book_set alone: a book of `depth` levels a side changed near the top the
 * same way as above (sizes, deletes and inserts, with the levels that come
 * into range), replayed from the same starting prices. */
static void bench_book_set(size_t depth)
{
	enum { NOPS = 1 << 20 };
	struct lvl *ops = malloc(NOPS * sizeof *ops);
	struct gen g = {.depth = depth, .seed = 12345u + (uint32_t)depth};
	book_init(&g.full, PSCALE, QSCALE, 0);
	book_init(&g.view, PSCALE, QSCALE, depth);
	for (size_t i = 0; i < depth + 50; i++) {
		book_set(&g.full, SIDE_BUY, 599995 - 5 * (int64_t)i, rnd_qty(&g));
		book_set(&g.full, SIDE_SELL, 600005 + 5 * (int64_t)i, rnd_qty(&g));
	}
	size_t n = 0;
	while (n + 2 < NOPS)
		gen_op(&g, ops, &n);
	struct book b;
	uint64_t cpu = 0, done = 0, budget = (uint64_t)(0.7e9 * bench_scale());
	while (cpu < budget) {
		book_init(&b, PSCALE, QSCALE, depth);
		for (size_t i = 0; i < depth + 50; i++) {
			book_set(&b, SIDE_BUY, 599995 - 5 * (int64_t)i, 1000);
			book_set(&b, SIDE_SELL, 600005 + 5 * (int64_t)i, 1000);
		}
		uint64_t t0 = bench_thread_cpu_ns();
		for (size_t i = 0; i < n; i++)
			book_set(&b, ops[i].side, ops[i].px, ops[i].qty);
		cpu += bench_thread_cpu_ns() - t0;
		done += n;
		book_free(&b);
	}
	bench_outf((double)(int64_t)((double)done / ((double)cpu / 1e9)), "upd/s",
	           "core_book_set_d%zu", depth);
	free(ops);
	book_free(&g.full);
	book_free(&g.view);
}

/* The checksum alone (top 10 of each side), as every Spot message needs it. */
static void bench_checksum(void)
{
	struct book b;
	book_init(&b, PSCALE, QSCALE, 10);
	uint32_t seed = 7;
	for (int i = 0; i < 10; i++) {
		book_set(&b, SIDE_BUY, 599995 - 5 * i,
		         (int64_t)(bench_rnd(&seed) % 200000000u) + 1);
		book_set(&b, SIDE_SELL, 600005 + 5 * i,
		         (int64_t)(bench_rnd(&seed) % 200000000u) + 1);
	}
	uint32_t acc = 0;
	size_t n = 200000;
	uint64_t t0 = bench_thread_cpu_ns();
	for (size_t i = 0; i < n; i++) {
		b.bids.lv[b.bids.start].qty = (int64_t)i + 1; /* defeat hoisting */
		acc ^= book_checksum(&b);
	}
	uint64_t cpu = bench_thread_cpu_ns() - t0;
	if (acc == 0x12345678u)
		fprintf(stderr, "#\n");
	bench_out("book_checksum_cost", (double)(int64_t)((double)cpu / (double)n), "ns");
	book_free(&b);
}

/* Usage: bench_book [spot|checksum|set]... (default: all), for profiling one part. */
static bool wanted(int argc, char **argv, const char *what)
{
	if (argc < 2)
		return true;
	for (int i = 1; i < argc; i++)
		if (strcmp(argv[i], what) == 0)
			return true;
	return false;
}

int main(int argc, char **argv)
{
	static const size_t depths[] = {10, 100, 1000};
	for (size_t i = 0; i < 3 && wanted(argc, argv, "spot"); i++)
		bench_spot(depths[i]);
	if (wanted(argc, argv, "checksum"))
		bench_checksum();
	for (size_t i = 0; i < 3 && wanted(argc, argv, "set"); i++)
		bench_book_set(depths[i]);
	return 0;
}
