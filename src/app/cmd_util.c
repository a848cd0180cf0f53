/* cmd_util: messages, argument parsing, the confirmation prompt, the journal
 * and table/JSON output of the one-shot commands. */
#include "app/cmd_util.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "app/journal.h"
#include "base/ktime.h"
#include "base/xalloc.h"

void cmd_init(struct cmd *c, struct app_ctx *ctx, const char *name)
{
	memset(c, 0, sizeof *c);
	c->ctx = ctx;
	c->name = name;
	c->json = ctx->args && ctx->args->json;
}

/* ---- messages ---- */

int cmd_fail(struct cmd *c, int status, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	fprintf(c->ctx->err, "krakterm %s: %s\n", c->name, msg);
	if (c->json && !c->json_done) {
		struct cmd_json j;
		cmd_json_begin(&j);
		jw_obj_begin(&j.w);
		jw_key(&j.w, "ok");
		jw_bool(&j.w, false);
		jw_key(&j.w, "exit_status");
		jw_i64(&j.w, status);
		cmd_json_str(&j.w, "error", msg);
		jw_obj_end(&j.w);
		cmd_json_print(c, &j);
	}
	return status;
}

int cmd_usage(struct cmd *c, const char *args)
{
	if (c->help) { /* asked for: the answer, not an error */
		fprintf(c->ctx->out, "usage: krakterm %s %s\n(see krakterm(1), COMMANDS)\n",
			c->name, args);
		return APP_EXIT_OK;
	}
	fprintf(c->ctx->err, "usage: krakterm %s %s\n(see krakterm(1), COMMANDS)\n", c->name, args);
	return APP_EXIT_USAGE;
}

void cmd_note(struct cmd *c, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vfprintf(c->ctx->err, fmt, ap);
	va_end(ap);
	fputc('\n', c->ctx->err);
}

/* ---- arguments ---- */

int cmd_opt_value(struct cmd *c, int argc, char **argv, int *i, const char *name, const char **val)
{
	const char *a = argv[*i];
	size_t n = strlen(name);
	if (strncmp(a, name, n) != 0)
		return 0;
	if (a[n] == '=') {
		*val = a + n + 1;
		return 1;
	}
	if (a[n] != '\0')
		return 0;
	if (*i + 1 >= argc) {
		fprintf(c->ctx->err, "krakterm %s: %s needs a value\n", c->name, name);
		return -1;
	}
	*val = argv[++*i];
	return 1;
}

/* A negative number is an argument, not an option. */
static bool looks_like_option(const char *a)
{
	return a[0] == '-' && a[1] != '\0' && !isdigit((unsigned char)a[1]) && a[1] != '.';
}

int cmd_parse(struct cmd *c, int argc, char **argv, const struct cmd_opt *opts, const char **pos,
              int maxpos)
{
	int npos = 0;
	bool only_pos = false;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (!only_pos && strcmp(a, "--") == 0) {
			only_pos = true;
			continue;
		}
		if (only_pos || !looks_like_option(a)) {
			if (npos >= maxpos) {
				fprintf(c->ctx->err, "krakterm %s: unexpected argument '%s'\n",
				        c->name, a);
				return -1;
			}
			pos[npos++] = a;
			continue;
		}
		if (strcmp(a, "--json") == 0) {
			c->json = true;
			continue;
		}
		if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			c->help = true;
			return -1;
		}
		bool matched = false;
		for (const struct cmd_opt *o = opts; o && o->name; o++) {
			if (o->flag && strcmp(a, o->name) == 0) {
				*o->flag = true;
				matched = true;
			} else if (o->val) {
				int r = cmd_opt_value(c, argc, argv, &i, o->name, o->val);
				if (r < 0)
					return -1;
				matched = r > 0;
			}
			if (matched)
				break;
		}
		if (!matched) {
			fprintf(c->ctx->err, "krakterm %s: unknown option '%s'\n", c->name, a);
			return -1;
		}
	}
	return npos;
}

int cmd_parse_dec(struct cmd *c, const char *what, const char *text, bool positive, dec_t *out)
{
	struct kerr e = KERR_INIT;
	if (dec_parse(text, (size_t)-1, out, &e) < 0) {
		fprintf(c->ctx->err, "krakterm %s: %s '%s' is not a number: %s\n", c->name, what,
		        text, e.msg);
		return -1;
	}
	if (positive && dec_sign(*out) <= 0) {
		fprintf(c->ctx->err, "krakterm %s: %s must be greater than zero\n", c->name, what);
		return -1;
	}
	return 0;
}

int cmd_parse_offset(struct cmd *c, const char *what, const char *text, bool signed_ok, dec_t *out,
                     bool *pct)
{
	char buf[64];
	size_t n = strlen(text);
	if (n == 0 || n >= sizeof buf) {
		fprintf(c->ctx->err, "krakterm %s: %s '%s' is not an offset\n", c->name, what,
		        text);
		return -1;
	}
	memcpy(buf, text, n + 1);
	*pct = buf[n - 1] == '%';
	if (*pct)
		buf[--n] = '\0';
	const char *num = buf;
	if (buf[0] == '+')
		num++;
	if (!signed_ok && buf[0] == '-') {
		fprintf(c->ctx->err, "krakterm %s: %s must be positive\n", c->name, what);
		return -1;
	}
	return cmd_parse_dec(c, what, num, !signed_ok, out);
}

int cmd_parse_int(struct cmd *c, const char *what, const char *text, long min, long max, long *out)
{
	char *end;
	errno = 0;
	long v = strtol(text, &end, 10);
	if (errno || end == text || *end || v < min || v > max) {
		fprintf(c->ctx->err, "krakterm %s: %s must be a whole number from %ld to %ld\n",
		        c->name, what, min, max);
		return -1;
	}
	*out = v;
	return 0;
}

int cmd_parse_time(struct cmd *c, const char *what, const char *text, int64_t *unix_s)
{
	struct kerr e = KERR_INIT;
	int64_t ns;
	char *end;
	if (text[0] == '+') {
		long long secs = strtoll(text + 1, &end, 10);
		if (end != text + 1 && *end == '\0' && secs > 0) {
			*unix_s = (int64_t)time(NULL) + secs;
			return 0;
		}
		if (ktime_parse_duration(text + 1, &ns, &e) == 0 && ns > 0) {
			*unix_s = (int64_t)time(NULL) + ns / 1000000000;
			return 0;
		}
	} else {
		long long secs = strtoll(text, &end, 10);
		if (end != text && *end == '\0' && secs > 0) {
			*unix_s = secs;
			return 0;
		}
		if (ktime_parse_rfc3339(text, strlen(text), &ns, &e) == 0) {
			*unix_s = ns / 1000000000;
			return 0;
		}
	}
	fprintf(c->ctx->err,
	        "krakterm %s: %s '%s' is not a time: give unix seconds, +SECONDS, +DURATION "
	        "(e.g. +1h) or RFC 3339 (2026-01-31T12:00:00Z)\n",
	        c->name, what, text);
	return -1;
}

/* ---- confirmation and journal ---- */

int cmd_confirm(struct cmd *c, bool yes, const char *prompt)
{
	const struct profile *p = c->ctx->profile;
	bool live = profile_is_live(p);
	if (yes || (!live && !p->safety.confirm))
		return 0;
	int fd = open("/dev/tty", O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		if (live)
			return cmd_fail(
			        c, APP_EXIT_USAGE,
			        "profile '%s' is LIVE: this needs your confirmation and there is "
			        "no terminal to ask on. Nothing was sent; add --yes to send it "
			        "without asking",
			        p->name);
		return cmd_fail(
		        c, APP_EXIT_USAGE,
		        "profile '%s' asks before sending (confirm = true) and there is no "
		        "terminal to ask on. Nothing was sent; add --yes, or set confirm = false "
		        "in the profile",
		        p->name);
	}
	char q[1200];
	int n = snprintf(q, sizeof q, "%s%s [y/N] ", live ? "LIVE (real money): " : "", prompt);
	if (write(fd, q, (size_t)(n < (int)sizeof q ? n : (int)sizeof q - 1)) < 0) {
		close(fd);
		return cmd_fail(c, APP_EXIT_USAGE, "cannot ask on the terminal: nothing was sent");
	}
	char ans[16] = "";
	ssize_t r = read(fd, ans, sizeof ans - 1);
	close(fd);
	ans[r > 0 ? r : 0] = '\0';
	if (ans[0] == 'y' || ans[0] == 'Y')
		return 0;
	return cmd_fail(c, APP_EXIT_USAGE, "not confirmed: nothing was sent");
}

void cmd_journal_add(struct cmd *c, const char *kind, const char *fmt, ...)
{
	if (!c->journal)
		return;
	char text[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(text, sizeof text, fmt, ap);
	va_end(ap);
	journal_write(c->journal, kind, "%s", text);
}

/* ---- output ---- */

const char *cmd_dec(dec_t v, bool dash_zero, char *buf)
{
	if (dash_zero && dec_is_zero(v))
		snprintf(buf, DEC_FMT_MAX, "-");
	else
		dec_fmt_group(v, -1, buf, DEC_FMT_MAX);
	return buf;
}

const char *cmd_time(int64_t ms, char *buf)
{
	if (ms <= 0)
		snprintf(buf, 40, "-");
	else
		ktime_fmt_rfc3339(ms * 1000000, 0, buf, 40);
	return buf;
}

void cmd_table_init(struct cmd_table *t, const char *align, ...)
{
	memset(t, 0, sizeof *t);
	t->align = align;
	t->ncols = (int)strlen(align);
	t->cap = 16;
	t->cells = xcalloc(t->cap * (size_t)t->ncols, sizeof *t->cells);
	va_list ap;
	va_start(ap, align);
	for (int i = 0; i < t->ncols; i++)
		t->cells[i] = xstrdup(va_arg(ap, const char *));
	va_end(ap);
	t->nrows = 1;
}

void cmd_table_row(struct cmd_table *t, ...)
{
	if (t->nrows == t->cap) {
		t->cells = xrealloc(t->cells, t->cap * 2 * (size_t)t->ncols * sizeof *t->cells);
		t->cap *= 2;
	}
	va_list ap;
	va_start(ap, t);
	for (int i = 0; i < t->ncols; i++) {
		const char *s = va_arg(ap, const char *);
		t->cells[t->nrows * (size_t)t->ncols + (size_t)i] = xstrdup(s ? s : "");
	}
	va_end(ap);
	t->nrows++;
}

void cmd_table_print(struct cmd_table *t, FILE *out, const char *indent)
{
	size_t w[CMD_TABLE_COLS] = {0};
	for (size_t r = 0; r < t->nrows; r++)
		for (int i = 0; i < t->ncols && i < CMD_TABLE_COLS; i++) {
			size_t n = strlen(t->cells[r * (size_t)t->ncols + (size_t)i]);
			if (n > w[i])
				w[i] = n;
		}
	for (size_t r = 0; r < t->nrows; r++) {
		fputs(indent ? indent : "", out);
		for (int i = 0; i < t->ncols && i < CMD_TABLE_COLS; i++) {
			const char *s = t->cells[r * (size_t)t->ncols + (size_t)i];
			bool last = i == t->ncols - 1;
			if (t->align[i] == 'r')
				fprintf(out, "%*s", (int)w[i], s);
			else if (last)
				fputs(s, out);
			else
				fprintf(out, "%-*s", (int)w[i], s);
			if (!last)
				fputs("  ", out);
		}
		fputc('\n', out);
	}
}

void cmd_table_free(struct cmd_table *t)
{
	for (size_t i = 0; i < t->nrows * (size_t)t->ncols; i++)
		free(t->cells[i]);
	free(t->cells);
	memset(t, 0, sizeof *t);
}

void cmd_json_begin(struct cmd_json *j)
{
	sbuf_init(&j->b);
	jw_init(&j->w, &j->b);
}

void cmd_json_print(struct cmd *c, struct cmd_json *j)
{
	fprintf(c->ctx->out, "%s\n", sbuf_str(&j->b));
	fflush(c->ctx->out);
	sbuf_free(&j->b);
	c->json_done = true;
}

void cmd_json_dec(struct jw *w, const char *key, dec_t v)
{
	jw_key(w, key);
	jw_dec_str(w, v);
}

void cmd_json_str(struct jw *w, const char *key, const char *s)
{
	jw_key(w, key);
	if (s)
		jw_str(w, s);
	else
		jw_null(w);
}

void cmd_json_time(struct jw *w, const char *key, int64_t ms)
{
	jw_key(w, key);
	if (ms <= 0) {
		jw_null(w);
		return;
	}
	char buf[40];
	ktime_fmt_rfc3339(ms * 1000000, 3, buf, sizeof buf);
	jw_str(w, buf);
}
