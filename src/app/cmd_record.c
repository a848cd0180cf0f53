/* cmd_record: `krakterm journal`, `record` and `replay`.
 *
 * record connects the public feeds with the client's recorder on (every raw
 * message, kraken/record.h format), watches the named symbols, and stops at
 * SIGINT/SIGTERM or after --duration. replay applies a recording to a fresh
 * state with replay_run_all (the live decoders, no exchange) and prints what
 * the state then holds: the quick check that a recording is usable. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "app/cmd_util.h"
#include "app/journal.h"
#include "base/clock.h"
#include "core/state.h"
#include "kraken/client.h"
#include "kraken/replay.h"
#include "net/loop.h"

/* ---- journal ---- */

int cmd_journal(struct app_ctx *ctx, int argc, char **argv)
{
	struct cmd c;
	cmd_init(&c, ctx, "journal");
	if (cmd_parse(&c, argc, argv, NULL, NULL, 0) < 0)
		return cmd_usage(&c, "[--json]");
	char path[1024];
	journal_path(ctx->paths->state_dir, ctx->profile->name, path, sizeof path);
	struct kerr err = KERR_INIT;
	if (!c.json) {
		int n = journal_print(path, ctx->out, 0, &err);
		if (n < 0)
			return cmd_fail(&c, APP_EXIT_FAIL, "%s", err.msg);
		if (n == 0)
			fprintf(ctx->out, "the journal of profile '%s' is empty (%s)\n",
			        ctx->profile->name, path);
		return APP_EXIT_OK;
	}
	/* One JSON array of the journal's objects (the file holds one per line). */
	char *buf = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&buf, &len);
	int n = mem ? journal_print(path, mem, 1, &err) : -1;
	if (mem)
		fclose(mem);
	if (n < 0) {
		free(buf);
		return cmd_fail(&c, APP_EXIT_FAIL, "%s", mem ? err.msg : "out of memory");
	}
	fputc('[', ctx->out);
	bool first = true;
	for (char *line = buf, *next; line && *line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		if (!*line)
			continue;
		fprintf(ctx->out, "%s%s", first ? "" : ",", line);
		first = false;
	}
	fputs("]\n", ctx->out);
	free(buf);
	return APP_EXIT_OK;
}

/* ---- record ---- */

static void on_stop(void *arg, int signum)
{
	(void)signum;
	*(bool *)arg = true;
}

/* Lines in the recording (0 for a pipe or device: reading it back would block). */
static size_t count_lines(const char *path)
{
	struct stat st;
	if (stat(path, &st) < 0 || !S_ISREG(st.st_mode))
		return 0;
	FILE *f = fopen(path, "r");
	size_t n = 0;
	int ch;
	if (!f)
		return 0;
	while ((ch = getc(f)) != EOF)
		n += ch == '\n';
	fclose(f);
	return n;
}

/* Watch the named symbols: a book (one per product: the feeds follow one),
 * trades and the ticker of each. */
static int watch_symbols(struct cmd *c, const char **syms, int n)
{
	int last[PRODUCT_COUNT] = {-1, -1};
	for (int i = 0; i < n; i++) {
		int instr = cmd_instrument(c, syms[i]);
		if (instr < 0)
			return APP_EXIT_USAGE;
		const struct instrument *in = state_instrument(&c->be.st, instr);
		if (last[in->product] >= 0)
			cmd_note(
			        c,
			        "krakterm record: note: the feeds keep one order book per product: "
			        "%s replaces %s (its ticker is still recorded)",
			        in->id, state_instrument(&c->be.st, last[in->product])->id);
		last[in->product] = instr;
		kraken_client_ticker(c->be.kc, instr);
	}
	for (int p = 0; p < PRODUCT_COUNT; p++)
		if (last[p] >= 0)
			intent_watch(&c->be.st, last[p], 25);
	return 0;
}

int cmd_record(struct app_ctx *ctx, int argc, char **argv)
{
	struct cmd c;
	cmd_init(&c, ctx, "record");
	const char *pos[17], *dur_s = NULL;
	const struct cmd_opt opts[] = {{"--duration", NULL, &dur_s}, {NULL, NULL, NULL}};
	long dur = 0;
	int n = cmd_parse(&c, argc, argv, opts, pos, 17);
	if (n < 1 || (dur_s && cmd_parse_int(&c, "--duration", dur_s, 1, 7 * 86400, &dur) < 0))
		return cmd_usage(&c, "FILE [--duration SECONDS] [SYMBOL...]");
	FILE *fp = fopen(pos[0], "w");
	if (!fp)
		return cmd_fail(&c, APP_EXIT_FAIL, "cannot write %s: %m", pos[0]);
	struct backend_opts o = {.feeds = true, .record = fp};
	int rc = cmd_open(&c, &o, false);
	if (rc == 0)
		rc = watch_symbols(&c, pos + 1, n - 1);
	uint64_t t0 = kt_mono_ms();
	if (rc == 0) {
		bool stop = false;
		struct kt_signal *s1 = kt_loop_on_signal(c.be.loop, SIGINT, on_stop, &stop, NULL);
		struct kt_signal *s2 = kt_loop_on_signal(c.be.loop, SIGTERM, on_stop, &stop, NULL);
		if (!c.json)
			cmd_note(&c, "recording to %s%s", pos[0],
			         dur ? "" : " (Ctrl-C or SIGTERM stops)");
		backend_run_until(&c.be, &stop, (unsigned)dur * 1000u);
		kt_signal_stop(s1);
		kt_signal_stop(s2);
	}
	cmd_finish(&c); /* the recorder writes until the client is gone */
	fclose(fp);
	if (rc)
		return rc;
	size_t lines = count_lines(pos[0]);
	double secs = (double)(kt_mono_ms() - t0) / 1000.0;
	if (c.json) {
		struct cmd_json j;
		cmd_json_begin(&j);
		jw_obj_begin(&j.w);
		jw_key(&j.w, "ok");
		jw_bool(&j.w, true);
		cmd_json_str(&j.w, "file", pos[0]);
		jw_key(&j.w, "lines");
		jw_u64(&j.w, lines);
		jw_key(&j.w, "duration_ms");
		jw_u64(&j.w, kt_mono_ms() - t0);
		jw_obj_end(&j.w);
		cmd_json_print(&c, &j);
	} else {
		fprintf(ctx->out, "recorded %zu lines to %s in %.1f s\n", lines, pos[0], secs);
	}
	return APP_EXIT_OK;
}

/* ---- replay ---- */

static void replay_text(FILE *out, const char *path, const struct replay_stats *rs,
                        const struct state *st)
{
	fprintf(out, "replay of %s: %llu lines, %llu applied, %llu errors\n", path,
	        (unsigned long long)rs->lines, (unsigned long long)rs->applied,
	        (unsigned long long)rs->errors);
	size_t np[PRODUCT_COUNT] = {0};
	for (size_t i = 0; i < st->ninstr; i++)
		np[st->instr[i].product]++;
	fprintf(out, "instruments: %zu spot, %zu futures\n", np[PRODUCT_SPOT], np[PRODUCT_FUTURES]);
	struct cmd_table t;
	cmd_table_init(&t, "lrrrrrr", "SYMBOL", "BID", "ASK", "LEVELS", "LAST", "MARK", "TRADES",
	               NULL);
	for (size_t i = 0; i < st->ninstr; i++) {
		const struct market *m = state_market_peek(st, (int)i);
		if (!m)
			continue;
		bool has_book =
		        book_count(&m->book, SIDE_BUY) + book_count(&m->book, SIDE_SELL) > 0;
		if (!has_book && !m->ticker.has && !m->trades.n)
			continue;
		char b[DEC_FMT_MAX] = "-", a[DEC_FMT_MAX] = "-", l[DEC_FMT_MAX], k[DEC_FMT_MAX],
		     lv[48], tr[24];
		struct book_level bl;
		if (book_best(&m->book, SIDE_BUY, &bl))
			cmd_dec(book_px_dec(&m->book, bl.px), false, b);
		if (book_best(&m->book, SIDE_SELL, &bl))
			cmd_dec(book_px_dec(&m->book, bl.px), false, a);
		snprintf(lv, sizeof lv, "%zu/%zu", book_count(&m->book, SIDE_BUY),
		         book_count(&m->book, SIDE_SELL));
		snprintf(tr, sizeof tr, "%u", m->trades.n);
		cmd_table_row(&t, st->instr[i].id, b, a, lv,
		              (m->ticker.has & TK_LAST) ? cmd_dec(m->ticker.last, false, l) : "-",
		              (m->ticker.has & TK_MARK) ? cmd_dec(m->ticker.mark, false, k) : "-",
		              tr);
	}
	if (t.nrows > 1)
		cmd_table_print(&t, out, NULL);
	else
		fprintf(out, "no market data\n");
	cmd_table_free(&t);
}

static void replay_json(struct cmd *c, const struct replay_stats *rs, const struct state *st)
{
	struct cmd_json j;
	cmd_json_begin(&j);
	struct jw *w = &j.w;
	jw_obj_begin(w);
	jw_key(w, "lines");
	jw_u64(w, rs->lines);
	jw_key(w, "applied");
	jw_u64(w, rs->applied);
	jw_key(w, "errors");
	jw_u64(w, rs->errors);
	jw_key(w, "instruments");
	jw_u64(w, st->ninstr);
	jw_key(w, "markets");
	jw_arr_begin(w);
	for (size_t i = 0; i < st->ninstr; i++) {
		const struct market *m = state_market_peek(st, (int)i);
		if (!m)
			continue;
		size_t nb = book_count(&m->book, SIDE_BUY), na = book_count(&m->book, SIDE_SELL);
		if (!nb && !na && !m->ticker.has && !m->trades.n)
			continue;
		jw_obj_begin(w);
		cmd_json_str(w, "symbol", st->instr[i].id);
		cmd_json_str(w, "product", product_name(st->instr[i].product));
		jw_key(w, "bid_levels");
		jw_u64(w, nb);
		jw_key(w, "ask_levels");
		jw_u64(w, na);
		struct book_level bl;
		if (book_best(&m->book, SIDE_BUY, &bl))
			cmd_json_dec(w, "best_bid", book_px_dec(&m->book, bl.px));
		if (book_best(&m->book, SIDE_SELL, &bl))
			cmd_json_dec(w, "best_ask", book_px_dec(&m->book, bl.px));
		jw_key(w, "ticker");
		jw_bool(w, m->ticker.has != 0);
		if (m->ticker.has & TK_LAST)
			cmd_json_dec(w, "last", m->ticker.last);
		if (m->ticker.has & TK_MARK)
			cmd_json_dec(w, "mark", m->ticker.mark);
		jw_key(w, "trades");
		jw_u64(w, m->trades.n);
		jw_obj_end(w);
	}
	jw_arr_end(w);
	jw_obj_end(w);
	cmd_json_print(c, &j);
}

int cmd_replay(struct app_ctx *ctx, int argc, char **argv)
{
	struct cmd c;
	cmd_init(&c, ctx, "replay");
	const char *pos[1];
	bool summary = false;
	const struct cmd_opt opts[] = {{"--summary", &summary, NULL}, {NULL, NULL, NULL}};
	if (cmd_parse(&c, argc, argv, opts, pos, 1) != 1)
		return cmd_usage(&c, "FILE [--summary] [--json]");
	struct state st;
	state_init(&st);
	struct replay_stats rs;
	memset(&rs, 0, sizeof rs);
	struct kerr err = KERR_INIT;
	int rc = APP_EXIT_OK;
	if (replay_run_all(&st, pos[0], &rs, &err) < 0)
		rc = cmd_fail(&c, APP_EXIT_FAIL, "%s", err.msg);
	else if (c.json)
		replay_json(&c, &rs, &st);
	else
		replay_text(ctx->out, pos[0], &rs, &st);
	state_free(&st);
	return rc;
}
