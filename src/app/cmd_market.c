/* cmd_market: `krakterm book`, `ticker` and `funding` — public market data of
 * one instrument, from one REST snapshot (funding also listens briefly to the
 * ticker feed, the only place Kraken announces the next funding time). */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "app/cmd_util.h"
#include "core/state.h"

static int open_public(struct cmd *c, bool feeds)
{
	struct backend_opts o = {.feeds = feeds};
	return cmd_open(c, &o, false);
}

/* ---- book ---- */

static void book_json(struct cmd *c, const struct instrument *in, const struct book *b, int depth)
{
	struct cmd_json j;
	cmd_json_begin(&j);
	struct jw *w = &j.w;
	jw_obj_begin(w);
	cmd_json_str(w, "symbol", in->id);
	cmd_json_str(w, "product", product_name(in->product));
	for (int s = 0; s < 2; s++) {
		enum side side = s == 0 ? SIDE_BUY : SIDE_SELL;
		jw_key(w, s == 0 ? "bids" : "asks");
		jw_arr_begin(w);
		for (size_t i = 0; i < (size_t)depth; i++) {
			const struct book_level *l = book_level_at(b, side, i);
			if (!l)
				break;
			jw_obj_begin(w);
			cmd_json_dec(w, "price", book_px_dec(b, l->px));
			cmd_json_dec(w, "size", book_qty_dec(b, l->qty));
			jw_obj_end(w);
		}
		jw_arr_end(w);
	}
	jw_obj_end(w);
	cmd_json_print(c, &j);
}

static void book_text(struct cmd *c, const struct instrument *in, const struct book *b, int depth)
{
	FILE *out = c->ctx->out;
	char p[DEC_FMT_MAX], q[DEC_FMT_MAX];
	size_t na = book_count(b, SIDE_SELL), nb = book_count(b, SIDE_BUY);
	if (na > (size_t)depth)
		na = (size_t)depth;
	if (nb > (size_t)depth)
		nb = (size_t)depth;
	fprintf(out, "%s order book (%s%s)\n", in->id,
	        in->product == PRODUCT_SPOT ? "sizes in " : "sizes in contracts",
	        in->product == PRODUCT_SPOT ? in->base : "");
	if (na + nb == 0) {
		fprintf(out, "  (empty)\n");
		return;
	}
	struct cmd_table t;
	cmd_table_init(&t, "lrr", "", "PRICE", "SIZE", NULL);
	for (size_t i = na; i-- > 0;) {
		const struct book_level *l = book_level_at(b, SIDE_SELL, i);
		cmd_table_row(&t, "ask", cmd_dec(book_px_dec(b, l->px), false, p),
		              cmd_dec(book_qty_dec(b, l->qty), false, q));
	}
	struct book_level ba, bb;
	if (book_best(b, SIDE_SELL, &ba) && book_best(b, SIDE_BUY, &bb)) {
		cmd_dec(book_px_dec(b, ba.px - bb.px), false, p);
		cmd_table_row(&t, "-", "spread", p);
	}
	for (size_t i = 0; i < nb; i++) {
		const struct book_level *l = book_level_at(b, SIDE_BUY, i);
		cmd_table_row(&t, "bid", cmd_dec(book_px_dec(b, l->px), false, p),
		              cmd_dec(book_qty_dec(b, l->qty), false, q));
	}
	cmd_table_print(&t, out, "  ");
	cmd_table_free(&t);
}

int cmd_book(struct app_ctx *ctx, int argc, char **argv)
{
	struct cmd c;
	cmd_init(&c, ctx, "book");
	const char *pos[1], *depth_s = NULL;
	const struct cmd_opt opts[] = {{"--depth", NULL, &depth_s}, {NULL, NULL, NULL}};
	long depth = 10;
	if (cmd_parse(&c, argc, argv, opts, pos, 1) != 1 ||
	    (depth_s && cmd_parse_int(&c, "--depth", depth_s, 1, 500, &depth) < 0))
		return cmd_usage(&c, "SYMBOL [--depth N] [--json]");
	int rc = open_public(&c, false), instr = -1;
	if (rc == 0 && (instr = cmd_instrument(&c, pos[0])) < 0)
		rc = APP_EXIT_USAGE;
	if (rc == 0 && cmd_fetch_book(&c, instr, (int)depth, false) < 0)
		rc = APP_EXIT_FAIL;
	if (rc == 0) {
		const struct instrument *in = state_instrument(&c.be.st, instr);
		const struct market *m = state_market_peek(&c.be.st, instr);
		struct book empty;
		book_init(&empty, in->price_dp, in->qty_dp, 0);
		const struct book *b = m ? &m->book : &empty;
		if (c.json)
			book_json(&c, in, b, (int)depth);
		else
			book_text(&c, in, b, (int)depth);
		book_free(&empty);
	}
	cmd_finish(&c);
	return rc;
}

/* ---- ticker ---- */

struct tk_field {
	const char *key, *label;
	unsigned bit;
	size_t off;
};

#define TKF(k, l, b, f)                                                                            \
	{                                                                                          \
		k, l, b, offsetof(struct ticker, f)                                                \
	}
static const struct tk_field tk_fields[] = {
        TKF("last", "last", TK_LAST, last),
        TKF("bid", "bid", TK_BBO, bid),
        TKF("bid_size", "bid size", TK_BBO, bid_qty),
        TKF("ask", "ask", TK_BBO, ask),
        TKF("ask_size", "ask size", TK_BBO, ask_qty),
        TKF("mark", "mark", TK_MARK, mark),
        TKF("index", "index", TK_INDEX, index),
        TKF("open_24h", "open 24h", TK_CHANGE, open24h),
        TKF("change_24h_pct", "change 24h %", TK_CHANGE, change_pct),
        TKF("high_24h", "high 24h", TK_HIGHLOW, high),
        TKF("low_24h", "low 24h", TK_HIGHLOW, low),
        TKF("volume_24h", "volume 24h", TK_VOLUME, volume),
        TKF("open_interest", "open interest", TK_OI, open_interest),
        TKF("funding_rate", "funding rate", TK_FUNDING, funding_rate),
        TKF("funding_rate_predicted", "predicted funding", TK_FUNDING, funding_rate_pred),
};
#undef TKF
#define NTKF (sizeof tk_fields / sizeof tk_fields[0])

static dec_t tk_get(const struct ticker *t, const struct tk_field *f)
{
	return *(const dec_t *)(const void *)((const char *)t + f->off);
}

int cmd_ticker(struct app_ctx *ctx, int argc, char **argv)
{
	struct cmd c;
	cmd_init(&c, ctx, "ticker");
	const char *pos[1];
	if (cmd_parse(&c, argc, argv, NULL, pos, 1) != 1)
		return cmd_usage(&c, "SYMBOL [--json]");
	int rc = open_public(&c, false), instr = -1;
	if (rc == 0 && (instr = cmd_instrument(&c, pos[0])) < 0)
		rc = APP_EXIT_USAGE;
	if (rc == 0 && cmd_fetch_ticker(&c, instr, false) < 0)
		rc = APP_EXIT_FAIL;
	if (rc == 0) {
		const struct instrument *in = state_instrument(&c.be.st, instr);
		const struct market *m = state_market_peek(&c.be.st, instr);
		struct ticker none;
		memset(&none, 0, sizeof none);
		const struct ticker *t = m ? &m->ticker : &none;
		char v[DEC_FMT_MAX];
		if (c.json) {
			struct cmd_json j;
			cmd_json_begin(&j);
			jw_obj_begin(&j.w);
			cmd_json_str(&j.w, "symbol", in->id);
			cmd_json_str(&j.w, "product", product_name(in->product));
			for (size_t i = 0; i < NTKF; i++) {
				if (t->has & tk_fields[i].bit) {
					cmd_json_dec(&j.w, tk_fields[i].key,
					             tk_get(t, &tk_fields[i]));
				} else {
					jw_key(&j.w, tk_fields[i].key);
					jw_null(&j.w);
				}
			}
			jw_obj_end(&j.w);
			cmd_json_print(&c, &j);
		} else {
			fprintf(ctx->out, "%s (%s %s in %s)\n", in->id,
			        in->product == PRODUCT_SPOT ? "Kraken Spot" : "Kraken Futures",
			        in->product == PRODUCT_SPOT ? in->base : "contract", in->quote);
			for (size_t i = 0; i < NTKF; i++)
				if (t->has & tk_fields[i].bit)
					fprintf(ctx->out, "  %-18s %s\n", tk_fields[i].label,
					        cmd_dec(tk_get(t, &tk_fields[i]), false, v));
		}
	}
	cmd_finish(&c);
	return rc;
}

/* ---- funding ---- */

struct next_wait {
	const struct state *st;
	int instr;
	bool got;
};

static void next_listener(void *arg, const struct state_event *ev)
{
	struct next_wait *nw = arg;
	if (ev->kind != EV_TICKER || ev->instr != nw->instr)
		return;
	const struct market *m = state_market_peek(nw->st, nw->instr);
	nw->got = m && m->ticker.next_funding_ms > 0;
}

/* The ticker feed announces the next funding time; give it a second. */
static void wait_next_funding(struct cmd *c, int instr)
{
	struct next_wait nw = {&c->be.st, instr, false};
	const struct market *m = state_market_peek(&c->be.st, instr);
	if (m && m->ticker.next_funding_ms > 0)
		return;
	state_listen(&c->be.st, next_listener, &nw);
	backend_run_until(&c->be, &nw.got, 1000);
	state_unlisten(&c->be.st, next_listener, &nw);
}

static void funding_print(struct cmd *c, const struct instrument *in, const struct ticker *t,
                          const struct funding_history *h, long nhist)
{
	unsigned from = h && h->n > (unsigned)nhist ? h->n - (unsigned)nhist : 0;
	char a[DEC_FMT_MAX], b[DEC_FMT_MAX], ts[40];
	bool has = t->has & TK_FUNDING;
	if (c->json) {
		struct cmd_json j;
		cmd_json_begin(&j);
		struct jw *w = &j.w;
		jw_obj_begin(w);
		cmd_json_str(w, "symbol", in->id);
		if (has) {
			cmd_json_dec(w, "rate", t->funding_rate);
			cmd_json_dec(w, "predicted_rate", t->funding_rate_pred);
		} else {
			jw_key(w, "rate");
			jw_null(w);
			jw_key(w, "predicted_rate");
			jw_null(w);
		}
		if (!dec_is_zero(t->rel_funding_rate))
			cmd_json_dec(w, "relative_rate", t->rel_funding_rate);
		if (!dec_is_zero(t->rel_funding_rate_pred))
			cmd_json_dec(w, "relative_predicted_rate", t->rel_funding_rate_pred);
		cmd_json_time(w, "next_funding", t->next_funding_ms);
		jw_key(w, "history");
		jw_arr_begin(w);
		for (unsigned i = from; h && i < h->n; i++) {
			jw_obj_begin(w);
			cmd_json_time(w, "time", h->r[i].time_ms);
			cmd_json_dec(w, "rate", h->r[i].rate);
			cmd_json_dec(w, "relative_rate", h->r[i].relative_rate);
			jw_obj_end(w);
		}
		jw_arr_end(w);
		jw_obj_end(w);
		cmd_json_print(c, &j);
		return;
	}
	FILE *out = c->ctx->out;
	fprintf(out, "%s funding (rates per period; positive: longs pay shorts)\n", in->id);
	fprintf(out, "  %-18s %s\n", "current rate",
	        has ? cmd_dec(t->funding_rate, false, a) : "unknown");
	fprintf(out, "  %-18s %s\n", "predicted rate",
	        has ? cmd_dec(t->funding_rate_pred, false, a) : "unknown");
	if (!dec_is_zero(t->rel_funding_rate))
		fprintf(out, "  %-18s %s\n", "relative rate",
		        cmd_dec(t->rel_funding_rate, false, a));
	fprintf(out, "  %-18s %s\n", "next funding",
	        t->next_funding_ms > 0 ? cmd_time(t->next_funding_ms, ts) : "not announced");
	if (!h || h->n == 0) {
		fprintf(out, "  history: none yet\n");
		return;
	}
	struct cmd_table tb;
	cmd_table_init(&tb, "lrr", "TIME", "RATE", "RELATIVE", NULL);
	for (unsigned i = h->n; i-- > from;)
		cmd_table_row(&tb, cmd_time(h->r[i].time_ms, ts), cmd_dec(h->r[i].rate, false, a),
		              cmd_dec(h->r[i].relative_rate, false, b));
	fprintf(out, "  history (newest first):\n");
	cmd_table_print(&tb, out, "  ");
	cmd_table_free(&tb);
}

int cmd_funding(struct app_ctx *ctx, int argc, char **argv)
{
	struct cmd c;
	cmd_init(&c, ctx, "funding");
	const char *pos[1], *hist_s = NULL;
	const struct cmd_opt opts[] = {{"--history", NULL, &hist_s}, {NULL, NULL, NULL}};
	long nhist = 10;
	if (cmd_parse(&c, argc, argv, opts, pos, 1) != 1 ||
	    (hist_s && cmd_parse_int(&c, "--history", hist_s, 0, FUNDING_KEEP, &nhist) < 0))
		return cmd_usage(&c, "SYMBOL [--history N] [--json]");
	int rc = open_public(&c, true), instr = -1;
	if (rc == 0 && (instr = cmd_instrument(&c, pos[0])) < 0)
		rc = APP_EXIT_USAGE;
	const struct instrument *in = rc == 0 ? state_instrument(&c.be.st, instr) : NULL;
	if (in && !instrument_is_perp(in))
		rc = cmd_fail(&c, APP_EXIT_USAGE, "%s has no funding: only perpetual futures do",
		              in->id);
	if (rc == 0 &&
	    (cmd_fetch_ticker(&c, instr, false) < 0 || cmd_fetch_funding(&c, instr, false) < 0))
		rc = APP_EXIT_FAIL;
	if (rc == 0) {
		wait_next_funding(&c, instr);
		const struct market *m = state_market_peek(&c.be.st, instr);
		struct ticker none;
		memset(&none, 0, sizeof none);
		funding_print(&c, in, m ? &m->ticker : &none, state_funding(&c.be.st, instr),
		              nhist);
	}
	cmd_finish(&c);
	return rc;
}
