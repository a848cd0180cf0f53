/* spot_paper_helper: a paper exchange with the Spot REST adapter in its own
 * process, for the end-to-end test of the real client (test_spot_rest_e2e),
 * which must not link the exchange into its own binary. It listens on
 * 127.0.0.1 (kernel-chosen port), prints
 *   READY <port> <spot key> <spot secret>
 * and answers line commands on stdin about what px holds (account 1):
 *   seed <pair> <buy|sell> <price> <qty>   a resting order of the market account
 *   instr <pair>    I <rest_id> <altname> <tick> <lot> <ordermin> <costmin> <pdp> <qdp> <cdp>
 *                     <taker %> <maker %>
 *   open            O <id> <cl_ord_id|-> <type> <side> <qty> <filled> <price> <trigger>
 *                     <trail> <status> per open spot order, then END
 *   bal <asset>     B <balance> <hold> <available>
 *   fills           F <id> <order_id> <price> <qty> <fee> per fill, then END
 *   quit
 * Errors answer "ERR <text>". Test-only: never installed. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/sbuf.h"
#include "net/loop.h"
#include "paper/server.h"
#include "paper/spot_rest_srv.h"

struct helper {
	struct kt_loop *loop;
	struct paper *p;
	struct sbuf in;
	bool quit;
};

static void out_dec(dec_t v)
{
	char b[DEC_FMT_MAX];
	dec_fmt(v, -1, b, sizeof b);
	printf(" %s", b);
}

static int cmd_seed(struct helper *h, char **a, int n)
{
	if (n != 5)
		return -1;
	struct px_place pl;
	memset(&pl, 0, sizeof pl);
	pl.account = PX_MARKET;
	pl.instr = px_instr_find(h->p->px, PX_SPOT, a[1]);
	pl.side = strcmp(a[2], "buy") == 0 ? ENGINE_BUY : ENGINE_SELL;
	pl.type = ENGINE_T_LIMIT;
	dec_t price;
	if (!pl.instr || dec_parse(a[3], (size_t)-1, &price, NULL) < 0 ||
	    dec_parse(a[4], (size_t)-1, &pl.qty, NULL) < 0)
		return -1;
	pl.price = px_price_abs(price);
	struct px_result res;
	struct kerr e = KERR_INIT;
	if (px_place(h->p->px, &pl, &res, &e) < 0) {
		printf("ERR %s\n", e.msg);
		return 0;
	}
	printf("OK\n");
	return 0;
}

static int cmd_instr(struct helper *h, char **a, int n)
{
	const struct px_instr *in = n == 2 ? px_instr_find(h->p->px, PX_SPOT, a[1]) : NULL;
	if (!in)
		return -1;
	printf("I %s %s", in->rest_id, in->altname);
	out_dec(in->tick);
	out_dec(in->lot);
	out_dec(in->ordermin);
	out_dec(in->costmin);
	printf(" %d %d %d", in->price_dp, in->qty_dp, in->cost_dp);
	out_dec(in->fee_taker_pct);
	out_dec(in->fee_maker_pct);
	printf("\n");
	return 0;
}

static void print_open(void *arg, const struct px_order *o)
{
	(void)arg;
	char trail[64];
	dec_fmt(o->trail.v, -1, trail, sizeof trail);
	printf("O %s %s %d %d", o->id, o->cl_ord_id[0] ? o->cl_ord_id : "-", (int)o->type,
	       (int)o->side);
	out_dec(o->qty);
	out_dec(o->filled);
	out_dec(o->price);
	out_dec(o->trigger);
	printf(" %s%s %d\n", trail, o->trail.pct ? "%" : "", (int)o->status);
}

static void print_fill(void *arg, const struct px_fill *f)
{
	(void)arg;
	printf("F %s %s", f->id, f->order_id);
	out_dec(f->price);
	out_dec(f->qty);
	out_dec(f->fee);
	printf("\n");
}

static int cmd(struct helper *h, char *line)
{
	char *a[8];
	int n = 0;
	char *save = NULL;
	for (char *t = strtok_r(line, " ", &save); t && n < 8; t = strtok_r(NULL, " ", &save))
		a[n++] = t;
	if (n == 0)
		return -1;
	struct px *px = h->p->px;
	if (strcmp(a[0], "seed") == 0)
		return cmd_seed(h, a, n);
	if (strcmp(a[0], "instr") == 0)
		return cmd_instr(h, a, n);
	if (strcmp(a[0], "open") == 0) {
		struct px_filter f = px_filter_all(PX_SPOT);
		px_open_orders(px, 1, &f, print_open, NULL);
		printf("END\n");
		return 0;
	}
	if (strcmp(a[0], "fills") == 0) {
		struct px_filter f = px_filter_all(PX_SPOT);
		f.ascending = true;
		px_fills(px, 1, &f, print_fill, NULL);
		printf("END\n");
		return 0;
	}
	if (strcmp(a[0], "bal") == 0 && n == 2) {
		const struct px_asset *as = px_asset_find(px, a[1]);
		struct px_balance b;
		if (!as || px_spot_balance(px, 1, as->idx, &b) < 0)
			return -1;
		printf("B");
		out_dec(b.balance);
		out_dec(b.hold_trade);
		out_dec(b.available);
		printf("\n");
		return 0;
	}
	if (strcmp(a[0], "quit") == 0) {
		h->quit = true;
		kt_loop_stop(h->loop);
		return 0;
	}
	return -1;
}

static void on_stdin(void *arg, int status)
{
	struct helper *h = arg;
	char buf[4096];
	ssize_t n = status == 0 ? read(0, buf, sizeof buf) : -1;
	if (n <= 0) {
		/* the test went away: stop */
		h->quit = true;
		kt_loop_stop(h->loop);
		return;
	}
	sbuf_add(&h->in, buf, (size_t)n);
	char *nl;
	while ((nl = memchr(h->in.p, '\n', h->in.len))) {
		*nl = '\0';
		if (cmd(h, h->in.p) < 0)
			printf("ERR bad command\n");
		fflush(stdout);
		sbuf_consume(&h->in, (size_t)(nl - h->in.p) + 1);
	}
}

static void stopped(void *arg)
{
	kt_loop_stop(((struct helper *)arg)->loop);
}

int main(void)
{
	struct helper h;
	memset(&h, 0, sizeof h);
	struct kerr e = KERR_INIT;
	h.loop = kt_loop_new(NULL, &e);
	if (!h.loop) {
		fprintf(stderr, "loop: %s\n", e.msg);
		return 1;
	}
	static const struct paper_adapters ad = {.spot_rest_handle = spot_rest_srv_handle};
	struct paper_balance bal[] = {{"USD", dec_from_int(100000), false},
				      {"BTC", dec_from_int(2), false}};
	struct paper_opts po = {.state_path = "", .balances = bal, .nbalances = 2, .adapters = &ad,
				.id_seed = 7};
	h.p = paper_start(kt_loop_uv(h.loop), &po, &e);
	if (!h.p) {
		fprintf(stderr, "paper: %s\n", e.msg);
		return 1;
	}
	struct kt_fdwatch *w = kt_loop_watch_fd(h.loop, 0, on_stdin, &h, &e);
	if (!w) {
		fprintf(stderr, "stdin: %s\n", e.msg);
		return 1;
	}
	struct paper_urls u;
	struct px_keys k;
	paper_urls(h.p, &u);
	paper_keys(h.p, 1, &k);
	printf("READY %d %s %s\n", u.port, k.spot_key, k.spot_secret);
	fflush(stdout);
	while (!h.quit)
		kt_loop_run(h.loop);
	kt_fdwatch_stop(w);
	paper_stop(h.p, stopped, &h);
	kt_loop_run(h.loop);
	kt_loop_free(h.loop);
	sbuf_free(&h.in);
	return 0;
}
