/* cmd_backend: the one-shot commands' side of the backend — opening it and
 * waiting until it is ready, finding instruments, re-reading private state,
 * public market-data snapshots over REST (one request, no feed to wait for),
 * and waiting for an intent's result. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/cmd_util.h"
#include "app/journal.h"
#include "base/clock.h"
#include "base/log.h"
#include "core/state.h"
#include "kraken/client.h"
#include "kraken/fut_rest.h"
#include "kraken/spot_rest.h"

int cmd_open(struct cmd *c, const struct backend_opts *o, bool journal)
{
	struct kerr err = KERR_INIT;
	if (c->ctx->args && c->ctx->args->replay)
		return cmd_fail(c, APP_EXIT_USAGE,
		                "--replay feeds the terminal interface; `krakterm replay FILE "
		                "--summary` looks into a recording (nothing was done)");
	c->opened = true;
	int64_t start_ms = (int64_t)(kt_wall_ns() / 1000000);
	if (backend_open(&c->be, c->ctx, o, &err) < 0)
		return cmd_fail(c, err.code == 2 ? APP_EXIT_USAGE : APP_EXIT_FAIL, "%s", err.msg);
	if (backend_wait_ready(&c->be, CMD_READY_MS, &err) < 0)
		return cmd_fail(c, APP_EXIT_FAIL, "%s", err.msg);
	if (journal && c->ctx->profile->safety.journal) {
		c->journal = journal_open(c->ctx->paths->state_dir, c->ctx->profile->name, &err);
		if (!c->journal)
			cmd_note(c, "krakterm %s: warning: %s (continuing without the journal)",
			         c->name, err.msg);
		/* A market order's fills come back with the re-read after it. */
		journal_watch_fills(c->journal, &c->be.st, start_ms);
	}
	return 0;
}

void cmd_finish(struct cmd *c)
{
	spot_rest_free(c->spub);
	c->spub = NULL;
	fut_rest_free(c->fpub);
	c->fpub = NULL;
	if (c->opened)
		backend_close(&c->be);
	c->opened = false;
	journal_close(c->journal);
	c->journal = NULL;
}

/* ---- instruments ---- */

static int find_upper(const struct state *st, const char *text)
{
	char up[INSTR_ID_MAX * 2];
	size_t n = strlen(text);
	if (n >= sizeof up)
		return -1;
	for (size_t i = 0; i <= n; i++)
		up[i] = (char)toupper((unsigned char)text[i]);
	int idx = state_find_instrument(st, up);
	if (idx < 0 && strncmp(up, "BTC", 3) == 0) { /* BTC/USD is XBT/USD to Kraken */
		memcpy(up, "XBT", 3);
		idx = state_find_instrument(st, up);
	}
	return idx;
}

int cmd_instrument(struct cmd *c, const char *text)
{
	const struct state *st = &c->be.st;
	int idx = state_find_instrument(st, text);
	if (idx < 0)
		idx = find_upper(st, text);
	if (idx >= 0)
		return idx;
	/* Name a few of the kind the user probably meant. */
	bool fut = strncasecmp(text, "PF_", 3) == 0 || strncasecmp(text, "PI_", 3) == 0 ||
	           strncasecmp(text, "FF_", 3) == 0 || strncasecmp(text, "FI_", 3) == 0;
	enum product p = fut ? PRODUCT_FUTURES : PRODUCT_SPOT;
	char list[300] = "";
	size_t len = 0;
	int shown = 0;
	for (size_t i = 0; i < st->ninstr && shown < 8; i++) {
		if (st->instr[i].product != p || !st->instr[i].tradeable)
			continue;
		len += (size_t)snprintf(list + len, sizeof list - len, "%s%s", shown ? ", " : "",
		                        st->instr[i].id);
		if (len >= sizeof list)
			break;
		shown++;
	}
	if (!shown)
		return cmd_fail(c, APP_EXIT_USAGE, "unknown instrument '%s'", text), -1;
	cmd_fail(c, APP_EXIT_USAGE, "unknown instrument '%s' (Kraken %s has %s%s)", text,
	         fut ? "Futures" : "Spot", list, shown == 8 ? ", ..." : "");
	return -1;
}

/* ---- private state ---- */

static void refreshed(void *arg)
{
	*(bool *)arg = true;
}

int cmd_refresh(struct cmd *c)
{
	if (!c->be.kc)
		return 0;
	bool done = false;
	kraken_client_refresh(c->be.kc, refreshed, &done);
	if (backend_run_until(&c->be, &done, CMD_ANSWER_MS) < 0) {
		cmd_note(c, "krakterm %s: warning: the account could not be re-read in time",
		         c->name);
		return -1;
	}
	return 0;
}

/* ---- public snapshots ---- */

struct fetch {
	bool done;
	bool ok;
	char msg[600];
};

static void spot_fetched(void *arg, int rc, const char *msg)
{
	struct fetch *f = arg;
	f->done = true;
	f->ok = rc == 0;
	snprintf(f->msg, sizeof f->msg, "%s", msg ? msg : "failed");
}

static void fut_fetched(void *arg, const struct intent_result *res)
{
	struct fetch *f = arg;
	f->done = true;
	f->ok = res->status == INTENT_OK;
	snprintf(f->msg, sizeof f->msg, "%s", res->message);
}

/* The public sessions, made on first use from the profile's endpoints. */
static int sessions(struct cmd *c, enum product p, struct kerr *err)
{
	const struct profile_endpoint *ep = &c->ctx->profile->ep[p];
	if (!ep->rest_url)
		return kerr_set(err, 1, "the profile has no %s endpoint", product_name(p));
	if (p == PRODUCT_SPOT && !c->spub) {
		struct spot_rest_cfg sc = {.base_url = ep->rest_url};
		c->spub = spot_rest_new(c->be.loop, NULL, &sc, err);
		return c->spub ? 0 : -1;
	}
	if (p == PRODUCT_FUTURES && !c->fpub) {
		struct fut_rest_cfg fc = {.base_url = ep->rest_url};
		c->fpub = fut_rest_new(c->be.loop, &fc, err);
		return c->fpub ? 0 : -1;
	}
	return 0;
}

enum fetch_kind { F_TICKER, F_BOOK, F_FUNDING };

static int fetch(struct cmd *c, int instr, enum fetch_kind kind, int depth, bool quiet)
{
	static const char *const what[] = {"ticker", "order book", "funding rates"};
	const struct instrument *in = state_instrument(&c->be.st, instr);
	struct kerr err = KERR_INIT;
	struct fetch f = {0};
	int rc = -1;
	if (!in || c->be.replay)
		return -1;
	if (sessions(c, in->product, &err) == 0) {
		struct state *st = &c->be.st;
		if (in->product == PRODUCT_SPOT) {
			rc = kind == F_TICKER
			             ? spot_rest_fetch_ticker(c->spub, st, instr, spot_fetched, &f)
			     : kind == F_BOOK
			             ? spot_rest_fetch_depth(c->spub, st, instr, depth,
			                                     spot_fetched, &f)
			             : kerr_set(&err, 1, "funding exists for futures only");
			if (rc < 0 && !err.msg[0])
				kerr_set(&err, 1, "cannot start the request");
		} else {
			rc = kind == F_TICKER
			             ? fut_rest_get_tickers(c->fpub, st, fut_fetched, &f, &err)
			     : kind == F_BOOK
			             ? fut_rest_get_book(c->fpub, st, instr, fut_fetched, &f, &err)
			             : fut_rest_get_funding(c->fpub, st, instr, fut_fetched, &f,
			                                    &err);
		}
	}
	if (rc == 0 && backend_run_until(&c->be, &f.done, CMD_ANSWER_MS) < 0)
		snprintf(f.msg, sizeof f.msg, "no answer from the exchange within %u s",
		         CMD_ANSWER_MS / 1000);
	else if (rc < 0)
		snprintf(f.msg, sizeof f.msg, "%s", err.msg);
	if (rc == 0 && f.done && f.ok)
		return 0;
	if (!quiet)
		cmd_fail(c, APP_EXIT_FAIL, "%s of %s: %s", what[kind], in->id, f.msg);
	else
		LOGW("%s of %s: %s", what[kind], in->id, f.msg);
	return -1;
}

int cmd_fetch_ticker(struct cmd *c, int instr, bool quiet)
{
	return fetch(c, instr, F_TICKER, 0, quiet);
}

int cmd_fetch_book(struct cmd *c, int instr, int depth, bool quiet)
{
	return fetch(c, instr, F_BOOK, depth, quiet);
}

int cmd_fetch_funding(struct cmd *c, int instr, bool quiet)
{
	return fetch(c, instr, F_FUNDING, 0, quiet);
}

/* ---- intents ---- */

void cmd_wait_cb(void *arg, const struct intent_result *res)
{
	struct cmd_wait *w = arg;
	w->res = *res;
	w->done = true;
}

int cmd_wait(struct cmd *c, struct cmd_wait *w)
{
	return backend_run_until(&c->be, &w->done, CMD_ANSWER_MS);
}

int cmd_start_failed(struct cmd *c, const struct kerr *err)
{
	int status = err->code == 2 || err->code == 3 ? APP_EXIT_USAGE : APP_EXIT_FAIL;
	cmd_journal_add(c, "reject", "%s", err->msg);
	return cmd_fail(c, status, "%s", err->msg);
}

int cmd_result_failed(struct cmd *c, const struct cmd_wait *w, const char *what)
{
	if (!w->done) {
		cmd_journal_add(c, "unknown", "no answer from the exchange about %s", what);
		return cmd_fail(
		        c, APP_EXIT_FAIL,
		        "no answer from the exchange within %u s; %s may or may not have gone "
		        "through — run `krakterm %s` to see",
		        CMD_ANSWER_MS / 1000, what,
		        strstr(what, "transfer") ? "balances" : "orders");
	}
	const struct intent_result *r = &w->res;
	if (r->status == INTENT_UNKNOWN) {
		cmd_journal_add(c, "unknown", "%s", r->message);
		return cmd_fail(c, APP_EXIT_FAIL,
		                "%s; the outcome of %s is unknown — run `krakterm %s` to see",
		                r->message, what, strstr(what, "transfer") ? "balances" : "orders");
	}
	/* Kraken's code, unless the message names it already. */
	bool code = r->code[0] && !strstr(r->message, r->code);
	cmd_journal_add(c, "reject", "%s%s%s", code ? r->code : "", code ? ": " : "", r->message);
	return cmd_fail(c, APP_EXIT_FAIL, "%s %s: %s%s%s%s",
	                r->status == INTENT_REJECTED ? "the exchange refused" : "failed:", what,
	                r->message, code ? " (" : "", code ? r->code : "", code ? ")" : "");
}
