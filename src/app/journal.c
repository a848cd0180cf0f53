/* journal: appending and printing the trade journal. */
#include "app/journal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "base/clock.h"
#include "base/jscan.h"
#include "base/jwrite.h"
#include "base/ktime.h"
#include "base/sbuf.h"
#include "base/xalloc.h"
#include "core/state.h"

struct journal {
	FILE *fp;
	char *profile;
	int64_t fills_since_ms; /* journal_watch_fills */
	const struct state *fills_st;
};

void journal_path(const char *state_dir, const char *profile, char *buf, size_t cap)
{
	snprintf(buf, cap, "%s/journal-%s.jsonl", state_dir, profile);
}

struct journal *journal_open(const char *state_dir, const char *profile, struct kerr *err)
{
	char path[1024];
	mkdir(state_dir, 0700);
	journal_path(state_dir, profile, path, sizeof path);
	int fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0) {
		kerr_set(err, 1, "cannot open the journal %s: %s", path, strerror(errno));
		return NULL;
	}
	struct journal *j = xcalloc(1, sizeof *j);
	j->fp = fdopen(fd, "a");
	j->profile = xstrdup(profile);
	return j;
}

void journal_close(struct journal *j)
{
	if (!j)
		return;
	fclose(j->fp);
	free(j->profile);
	free(j);
}

void journal_write(struct journal *j, const char *kind, const char *fmt, ...)
{
	if (!j)
		return;
	char text[1024], ts[40];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(text, sizeof text, fmt, ap);
	va_end(ap);
	ktime_fmt_rfc3339((int64_t)kt_wall_ns(), 3, ts, sizeof ts);
	struct sbuf b = SBUF_INIT;
	struct jw w;
	jw_init(&w, &b);
	jw_obj_begin(&w);
	jw_key(&w, "time");
	jw_str(&w, ts);
	jw_key(&w, "profile");
	jw_str(&w, j->profile);
	jw_key(&w, "kind");
	jw_str(&w, kind);
	jw_key(&w, "text");
	jw_str(&w, text);
	jw_obj_end(&w);
	sbuf_addc(&b, '\n');
	fwrite(b.p, 1, b.len, j->fp);
	fflush(j->fp);
	fsync(fileno(j->fp)); /* a journal entry must survive a crash right after */
	sbuf_free(&b);
}

void journal_fill_text(const struct state *st, const struct fill *f, char *buf, size_t cap)
{
	const struct instrument *in = state_instrument(st, f->instr);
	char side[8], qty[DEC_FMT_MAX], px[DEC_FMT_MAX], fee[DEC_FMT_MAX];
	snprintf(side, sizeof side, "%s", f->side == SIDE_BUY ? "BUY" : "SELL");
	dec_fmt_trim(f->qty, qty, sizeof qty);
	dec_fmt_group(f->price, -1, px, sizeof px);
	dec_fmt_trim(f->fee, fee, sizeof fee);
	snprintf(buf, cap, "%s %s %s (%s) at %s, fee %s%s%s (%s)%s | order %s | fill %s", side, qty,
	         in ? in->id : "?", product_name(f->product), px, fee, f->fee_asset[0] ? " " : "",
	         f->fee_asset, f->maker ? "maker" : "taker", f->liquidation ? ", LIQUIDATION" : "",
	         f->order_id[0] ? f->order_id : "-", f->id[0] ? f->id : "-");
}

void journal_fill(struct journal *j, const struct state *st, const struct fill *f)
{
	if (!j)
		return;
	char text[600];
	journal_fill_text(st, f, text, sizeof text);
	journal_write(j, "fill", "%s", text);
}

static void on_state(void *ctx, const struct state_event *ev)
{
	struct journal *j = ctx;
	if (ev->kind != EV_FILL || !ev->ptr)
		return;
	const struct fill *f = ev->ptr;
	if (f->time_ms != 0 && f->time_ms < j->fills_since_ms)
		return; /* from the snapshot of earlier fills: journalled by the run that saw it */
	journal_fill(j, j->fills_st, f);
}

void journal_watch_fills(struct journal *j, struct state *st, int64_t since_ms)
{
	if (!j)
		return;
	j->fills_since_ms = since_ms;
	j->fills_st = st;
	state_listen(st, on_state, j);
}

int journal_print(const char *path, FILE *out, int json, struct kerr *err)
{
	FILE *fp = fopen(path, "r");
	if (!fp) {
		if (errno == ENOENT)
			return 0;
		return kerr_set(err, 1, "cannot read the journal %s: %s", path, strerror(errno));
	}
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	int count = 0;
	struct jdoc d;
	jdoc_init(&d);
	while ((n = getline(&line, &cap, fp)) > 0) {
		if (json) {
			fputs(line, out);
			count++;
			continue;
		}
		if (jdoc_parse(&d, line, (size_t)n, NULL) < 0)
			continue;
		char t[40], k[24], x[1100];
		jtok_str(&d, jobj_get(&d, 0, "time"), t, sizeof t);
		jtok_str(&d, jobj_get(&d, 0, "kind"), k, sizeof k);
		jtok_str(&d, jobj_get(&d, 0, "text"), x, sizeof x);
		fprintf(out, "%-24s %-9s %s\n", t, k, x);
		count++;
	}
	jdoc_free(&d);
	free(line);
	fclose(fp);
	return count;
}
