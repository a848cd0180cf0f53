/* cmd_util: what the one-shot commands share — their entry points, argument
 * parsing (decimals, sides, offsets, times), opening the backend and waiting
 * for it, public market-data snapshots over REST, waiting for an intent's
 * result, the confirmation prompt, the journal, and output as aligned tables
 * or as one JSON object per command.
 *
 * Exit statuses (commands.h): 0 done; 1 the exchange refused or the transport
 * failed (or the outcome is unknown); 2 usage or validation error, a safety
 * guard or a missing confirmation (nothing was sent).
 *
 * A command's life: cmd_init, parse its arguments (usage errors need no
 * network), cmd_open (loop, state, client; waits until ready), work, and
 * cmd_close on every path. The struct cmd lives on the command's stack. */
#ifndef KT_APP_CMD_UTIL_H
#define KT_APP_CMD_UTIL_H

#include <stdbool.h>
#include <stdio.h>

#include "app/backend.h"
#include "app/commands.h"
#include "base/dec.h"
#include "base/jwrite.h"
#include "base/sbuf.h"
#include "core/intent.h"

/* The commands (one row each in commands.c). */
int cmd_balances(struct app_ctx *ctx, int argc, char **argv);
int cmd_orders(struct app_ctx *ctx, int argc, char **argv);
int cmd_positions(struct app_ctx *ctx, int argc, char **argv);
int cmd_book(struct app_ctx *ctx, int argc, char **argv);
int cmd_ticker(struct app_ctx *ctx, int argc, char **argv);
int cmd_funding(struct app_ctx *ctx, int argc, char **argv);
int cmd_order(struct app_ctx *ctx, int argc, char **argv);
int cmd_cancel(struct app_ctx *ctx, int argc, char **argv);
int cmd_amend(struct app_ctx *ctx, int argc, char **argv);
int cmd_close(struct app_ctx *ctx, int argc, char **argv);
int cmd_leverage(struct app_ctx *ctx, int argc, char **argv);
int cmd_transfer(struct app_ctx *ctx, int argc, char **argv);
int cmd_journal(struct app_ctx *ctx, int argc, char **argv);
int cmd_record(struct app_ctx *ctx, int argc, char **argv);
int cmd_replay(struct app_ctx *ctx, int argc, char **argv);

/* How long to wait for the exchange: start-up, and each request's answer. */
#define CMD_READY_MS  20000u
#define CMD_ANSWER_MS 20000u

struct spot_rest;
struct fut_rest;
struct journal;

struct cmd {
	struct app_ctx *ctx;
	const char *name; /* "order": messages say "krakterm order: ..." */
	bool json;        /* --json (global, or among the command's arguments) */
	bool help;        /* --help / -h: cmd_usage prints to stdout and exits 0 */
	bool opened;
	bool json_done; /* a JSON answer was printed already (errors add none) */
	struct backend be;
	struct journal *journal;
	struct spot_rest *spub; /* public market-data sessions, made on first use */
	struct fut_rest *fpub;
};

void cmd_init(struct cmd *c, struct app_ctx *ctx, const char *name);
/* Close whatever cmd_open opened (safe when nothing was). */
void cmd_finish(struct cmd *c);

/* ---- messages ---- */

/* "krakterm NAME: message" on stderr; with --json also {"ok":false,"error":...}
 * on stdout (unless an answer was printed already). Returns status. */
int cmd_fail(struct cmd *c, int status, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* "usage: krakterm NAME ARGS" on stderr; returns APP_EXIT_USAGE. */
int cmd_usage(struct cmd *c, const char *args);
/* A note on stderr (never mixed into results). */
void cmd_note(struct cmd *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* ---- arguments ---- */

/* A simple option: "--name" (flag) or "--name VALUE" / "--name=VALUE". */
struct cmd_opt {
	const char *name;
	bool *flag;       /* set for a flag */
	const char **val; /* set for an option with a value */
};

/* Parse argv[1..]: options from opts (and --json, always), the rest into
 * pos[0..maxpos). Returns the number of positional arguments, or -1 after
 * printing what was wrong (the caller returns cmd_usage). */
int cmd_parse(struct cmd *c, int argc, char **argv, const struct cmd_opt *opts, const char **pos,
              int maxpos);
/* Is argv[i] an option name with its value attached ("--x=v") or next? Used by
 * commands with their own loops: on a match, *val is the value and *i moves
 * past it. -1 (message printed) when the value is missing. 0: no match. */
int cmd_opt_value(struct cmd *c, int argc, char **argv, int *i, const char *name, const char **val);

/* A decimal (what names it in messages). positive: must be > 0. 0 or -1
 * (message printed). */
int cmd_parse_dec(struct cmd *c, const char *what, const char *text, bool positive, dec_t *out);
/* "50" or "1.5%": an offset and whether it is a percentage; signed: a leading
 * '+' or '-' is allowed (a trailing-stop-limit's limit offset). */
int cmd_parse_offset(struct cmd *c, const char *what, const char *text, bool signed_ok, dec_t *out,
                     bool *pct);
/* A whole number in [min, max]. */
int cmd_parse_int(struct cmd *c, const char *what, const char *text, long min, long max, long *out);
/* An absolute time: unix seconds, "+SECONDS" / "+1h" (from now), or RFC 3339. */
int cmd_parse_time(struct cmd *c, const char *what, const char *text, int64_t *unix_s);

/* ---- the backend ---- */

/* Open the backend and wait until it is ready; journal: open the profile's
 * journal when it is switched on. 0, or an exit status (message printed). */
int cmd_open(struct cmd *c, const struct backend_opts *o, bool journal);
/* The instrument named by text (as listed, or in any case, or Kraken's other
 * names); -1 with a message naming the known ones of that kind. */
int cmd_instrument(struct cmd *c, const char *text);
/* Re-read private state over REST and wait (bounded). 0 or -1 (noted). */
int cmd_refresh(struct cmd *c);

/* Public snapshots into the state over REST, waited for. 0 or -1 (message
 * printed unless quiet). Futures tickers come for every contract at once. */
int cmd_fetch_ticker(struct cmd *c, int instr, bool quiet);
int cmd_fetch_book(struct cmd *c, int instr, int depth, bool quiet);
int cmd_fetch_funding(struct cmd *c, int instr, bool quiet);

/* ---- intents ---- */

struct cmd_wait {
	bool done;
	struct intent_result res;
};
/* The intent callback: copies the result into the struct cmd_wait at arg. */
void cmd_wait_cb(void *arg, const struct intent_result *res);
/* Run the loop until the result arrived or CMD_ANSWER_MS passed. 0 or -1. */
int cmd_wait(struct cmd *c, struct cmd_wait *w);
/* The exit status of an intent that could not start (kerr code 2 and 3 are
 * the core's refusals: nothing was sent). */
int cmd_start_failed(struct cmd *c, const struct kerr *err);
/* Report a result that is not INTENT_OK (or a timeout when !w->done), journal
 * it as "reject" (or "unknown"), return the exit status. what: "the order". */
int cmd_result_failed(struct cmd *c, const struct cmd_wait *w, const char *what);

/* Ask "PROMPT [y/N]" on the terminal (/dev/tty) unless --yes was given: always
 * for a live profile, for a paper profile unless confirm = false (as the TUI).
 * 0 = go ahead; otherwise an exit status (not confirmed, or no terminal to ask
 * on; message printed). */
int cmd_confirm(struct cmd *c, bool yes, const char *prompt);

/* Append to the journal (no-op when it is off). */
void cmd_journal_add(struct cmd *c, const char *kind, const char *fmt, ...)
        __attribute__((format(printf, 3, 4)));

/* ---- output ---- */

/* Decimal text for tables: grouped thousands at the value's own scale; "-"
 * for zero when dash_zero. Returns buf (DEC_FMT_MAX bytes). */
const char *cmd_dec(dec_t v, bool dash_zero, char *buf);
/* Wall-clock ms as "2026-11-22T23:31:34Z" (buf 40 bytes); "-" for 0. */
const char *cmd_time(int64_t ms, char *buf);

/* A text table: columns sized to their widest cell; align 'l' or 'r' per
 * column. Cells are copied. */
#define CMD_TABLE_COLS 12
struct cmd_table {
	int ncols;
	const char *align;
	char **cells; /* rows x ncols, row 0 the header */
	size_t nrows, cap;
};
void cmd_table_init(struct cmd_table *t, const char *align, ...); /* headers, NULL-ended */
void cmd_table_row(struct cmd_table *t, ...);                     /* ncols strings */
void cmd_table_print(struct cmd_table *t, FILE *out, const char *indent);
void cmd_table_free(struct cmd_table *t);

/* A JSON answer: begin, write with jw_*, then print (one line on stdout). */
struct cmd_json {
	struct sbuf b;
	struct jw w;
};
void cmd_json_begin(struct cmd_json *j);
void cmd_json_print(struct cmd *c, struct cmd_json *j);
/* "key": "decimal" (exact, as a string). */
void cmd_json_dec(struct jw *w, const char *key, dec_t v);
void cmd_json_str(struct jw *w, const char *key, const char *s);
/* A time in ms as an RFC 3339 string, or null for 0. */
void cmd_json_time(struct jw *w, const char *key, int64_t ms);

#endif
