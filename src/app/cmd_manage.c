/* cmd_manage: `krakterm cancel`, `amend`, `close` and `leverage` — changing
 * what is already at the exchange, through the core's intents, with the same
 * guards, confirmation and journal as new orders. */
#include <stdio.h>
#include <string.h>

#include "app/cmd_util.h"
#include "core/guard.h"
#include "core/state.h"
#include "core/validate.h"
#include "kraken/fut_rest.h"

static int open_trading(struct cmd *c)
{
	struct backend_opts o = {.need_keys = true};
	return cmd_open(c, &o, true);
}

static void guard_limits_of(const struct cmd *c, struct guard_limits *g)
{
	const struct cfg_safety *s = &c->ctx->profile->safety;
	g->max_notional = s->max_order_notional;
	g->max_distance_pct = s->max_price_distance_pct;
	g->max_leverage = (int)s->max_leverage;
}

/* Guards exceeded: refused unless --yes (then a warning). 0 to go on. */
static int guard_verdict(struct cmd *c, int n, const char *why, bool yes)
{
	if (n == 0)
		return 0;
	if (yes) {
		cmd_note(c, "krakterm %s: warning: %s (sent anyway: --yes)", c->name, why);
		return 0;
	}
	return cmd_fail(c, APP_EXIT_USAGE,
	                "refused by the safety limits of profile '%s': %s. Nothing was sent; add "
	                "--yes to send it anyway",
	                c->ctx->profile->name, why);
}

static void print_ok(struct cmd *c, const char *text, const char *order_id, int count)
{
	if (!c->json) {
		fprintf(c->ctx->out, "%s\n", text);
		return;
	}
	struct cmd_json j;
	cmd_json_begin(&j);
	jw_obj_begin(&j.w);
	jw_key(&j.w, "ok");
	jw_bool(&j.w, true);
	if (order_id)
		cmd_json_str(&j.w, "order_id", order_id);
	if (count >= 0) {
		jw_key(&j.w, "cancelled");
		jw_i64(&j.w, count);
	}
	cmd_json_str(&j.w, "message", text);
	jw_obj_end(&j.w);
	cmd_json_print(c, &j);
}

/* ---- cancel ---- */

static int cancel_one(struct cmd *c, const char *id)
{
	struct cmd_wait w = {0};
	struct kerr err = KERR_INIT;
	cmd_journal_add(c, "cancel", "cancel order %s", id);
	if (intent_cancel(&c->be.st, id, cmd_wait_cb, &w, &err) < 0)
		return cmd_start_failed(c, &err);
	cmd_wait(c, &w);
	if (!w.done || w.res.status != INTENT_OK)
		return cmd_result_failed(c, &w, "the cancellation");
	cmd_journal_add(c, "ack", "order %s cancelled", id);
	char text[200];
	snprintf(text, sizeof text, "order %s cancelled", id);
	print_ok(c, text, id, -1);
	return APP_EXIT_OK;
}

static int cancel_all(struct cmd *c, const char *symbol)
{
	int instr = -1, total = 0;
	if (symbol && (instr = cmd_instrument(c, symbol)) < 0)
		return APP_EXIT_USAGE;
	const struct instrument *in = state_instrument(&c->be.st, instr);
	for (int p = 0; p < PRODUCT_COUNT; p++) {
		if ((in && in->product != (enum product)p) || !c->be.st.has_keys[p])
			continue;
		struct cmd_wait w = {0};
		struct kerr err = KERR_INIT;
		cmd_journal_add(c, "cancel", "cancel every %s order%s%s",
		                product_name((enum product)p), in ? " of " : "", in ? in->id : "");
		if (intent_cancel_all(&c->be.st, (enum product)p, instr, cmd_wait_cb, &w, &err) < 0)
			return cmd_start_failed(c, &err);
		cmd_wait(c, &w);
		if (!w.done || w.res.status != INTENT_OK)
			return cmd_result_failed(c, &w, "the cancellation");
		cmd_journal_add(c, "ack", "%d %s order%s cancelled", w.res.count,
		                product_name((enum product)p), w.res.count == 1 ? "" : "s");
		total += w.res.count;
	}
	char text[200];
	snprintf(text, sizeof text, "%d order%s cancelled%s%s", total, total == 1 ? "" : "s",
	         in ? " on " : "", in ? in->id : "");
	print_ok(c, text, NULL, total);
	return APP_EXIT_OK;
}

int cmd_cancel(struct app_ctx *ctx, int argc, char **argv)
{
	struct cmd c;
	cmd_init(&c, ctx, "cancel");
	bool all = false;
	const char *pos[1] = {NULL};
	const struct cmd_opt opts[] = {{"--all", &all, NULL}, {NULL, NULL, NULL}};
	int n = cmd_parse(&c, argc, argv, opts, pos, 1);
	if (n < 0 || (!all && n != 1))
		return cmd_usage(&c, "ID | --all [SYMBOL] [--json]");
	int rc = open_trading(&c);
	if (rc == 0)
		rc = all ? cancel_all(&c, n ? pos[0] : NULL) : cancel_one(&c, pos[0]);
	cmd_finish(&c);
	return rc;
}

/* ---- amend ---- */

/* The order as it would be after the amendment, for the guards. */
static void amended_req(const struct order *o, const struct amend_req *a, struct order_req *r)
{
	memset(r, 0, sizeof *r);
	r->instr = o->instr;
	r->side = o->side;
	r->type = o->type;
	r->qty = a->has_qty ? a->qty : o->qty;
	r->limit_price = a->has_limit ? a->limit_price : o->limit_price;
	r->trigger_price = a->has_trigger ? a->trigger_price : o->trigger_price;
	r->signal = o->signal;
	r->trail_offset = o->trail_offset;
	r->trail_pct = o->trail_pct;
	r->display_qty = o->display_qty;
	r->post_only = o->post_only;
	r->reduce_only = o->reduce_only;
	r->tif = o->tif;
	r->leverage = o->leverage;
}

int cmd_amend(struct app_ctx *ctx, int argc, char **argv)
{
	struct cmd c;
	cmd_init(&c, ctx, "amend");
	const char *pos[1], *price = NULL, *size = NULL, *trigger = NULL;
	bool yes = false;
	const struct cmd_opt opts[] = {{"--price", NULL, &price},
	                               {"--size", NULL, &size},
	                               {"--trigger", NULL, &trigger},
	                               {"--yes", &yes, NULL},
	                               {NULL, NULL, NULL}};
	struct amend_req a;
	memset(&a, 0, sizeof a);
	if (cmd_parse(&c, argc, argv, opts, pos, 1) != 1 || (!price && !size && !trigger) ||
	    (price && cmd_parse_dec(&c, "--price", price, true, &a.limit_price) < 0) ||
	    (size && cmd_parse_dec(&c, "--size", size, true, &a.qty) < 0) ||
	    (trigger && cmd_parse_dec(&c, "--trigger", trigger, true, &a.trigger_price) < 0))
		return cmd_usage(&c, "ID [--price P] [--size S] [--trigger T] [--yes] [--json]");
	a.has_limit = price != NULL;
	a.has_qty = size != NULL;
	a.has_trigger = trigger != NULL;
	snprintf(a.order_id, sizeof a.order_id, "%s", pos[0]);
	int rc = open_trading(&c);
	struct order *o = rc ? NULL : state_order_get(&c.be.st, a.order_id);
	if (rc == 0 && (!o || !order_status_is_open(o->status)))
		rc = cmd_fail(&c, APP_EXIT_USAGE, "order %s is not open (see `krakterm orders`)",
		              a.order_id);
	if (rc == 0 && price && !order_type_has_limit(o->type))
		rc = cmd_fail(&c, APP_EXIT_USAGE, "a %s order has no limit price to change",
		              order_type_name(o->type));
	if (rc == 0 && trigger && !order_type_has_trigger(o->type))
		rc = cmd_fail(&c, APP_EXIT_USAGE, "a %s order has no trigger price to change",
		              order_type_name(o->type));
	char why[600] = "", before[400] = "", after[400] = "";
	struct order_req r;
	if (rc == 0) {
		struct guard_limits g;
		guard_limits_of(&c, &g);
		cmd_fetch_ticker(&c, o->instr, true);
		amended_req(o, &a, &r);
		order_req_describe(&c.be.st, &r, after, sizeof after);
		struct amend_req none = {.has_qty = false};
		struct order_req old;
		amended_req(o, &none, &old);
		order_req_describe(&c.be.st, &old, before, sizeof before);
		rc = guard_verdict(&c, guard_check(&c.be.st, &r, &g, why, sizeof why), why, yes);
	}
	char prompt[900];
	snprintf(prompt, sizeof prompt, "Change order %s from %s to %s?", a.order_id, before,
	         after);
	if (rc == 0 && (rc = cmd_confirm(&c, yes, prompt)) == 0) {
		struct cmd_wait w = {0};
		struct kerr err = KERR_INIT;
		cmd_journal_add(&c, "intent", "amend order %s: %s -> %s", a.order_id, before,
		                after);
		if (intent_amend(&c.be.st, &a, cmd_wait_cb, &w, &err) < 0) {
			rc = cmd_start_failed(&c, &err);
		} else if (cmd_wait(&c, &w), !w.done || w.res.status != INTENT_OK) {
			rc = cmd_result_failed(&c, &w, "the amendment");
		} else {
			cmd_journal_add(&c, "ack", "order %s amended: %s", a.order_id, after);
			char text[600];
			snprintf(text, sizeof text, "order %s amended: %s", a.order_id, after);
			print_ok(&c, text, a.order_id, -1);
		}
	}
	cmd_finish(&c);
	return rc;
}

/* ---- close ---- */

/* The order intent_close_position will send, for the words and the guards. */
static int close_req(struct cmd *c, int instr, dec_t size, const dec_t *limit, struct order_req *r)
{
	const struct position *p = state_position(&c->be.st, instr);
	const struct instrument *in = state_instrument(&c->be.st, instr);
	if (!p || dec_is_zero(p->size))
		return cmd_fail(c, APP_EXIT_USAGE, "there is no open position in %s to close",
		                in->id);
	memset(r, 0, sizeof *r);
	r->instr = instr;
	r->side = dec_sign(p->size) > 0 ? SIDE_SELL : SIDE_BUY;
	dec_abs(p->size, &r->qty);
	if (!dec_is_zero(size))
		r->qty = size;
	r->reduce_only = true;
	r->type = limit ? OT_LIMIT : OT_MARKET;
	if (limit)
		r->limit_price = *limit;
	r->signal = in->product == PRODUCT_FUTURES ? TRIG_MARK : TRIG_LAST;
	if (in->product == PRODUCT_SPOT)
		r->leverage = p->leverage.m ? (int)dec_normalize(p->leverage).m : 2;
	return 0;
}

int cmd_close(struct app_ctx *ctx, int argc, char **argv)
{
	struct cmd c;
	cmd_init(&c, ctx, "close");
	const char *pos[2] = {NULL, NULL}, *limit_s = NULL;
	bool yes = false;
	const struct cmd_opt opts[] = {
	        {"--limit", NULL, &limit_s}, {"--yes", &yes, NULL}, {NULL, NULL, NULL}};
	dec_t size = dec_zero(), limit = dec_zero();
	int n = cmd_parse(&c, argc, argv, opts, pos, 2);
	if (n < 1 || (n == 2 && cmd_parse_dec(&c, "SIZE", pos[1], true, &size) < 0) ||
	    (limit_s && cmd_parse_dec(&c, "--limit", limit_s, true, &limit) < 0))
		return cmd_usage(&c, "SYMBOL [SIZE] [--limit PRICE] [--yes] [--json]");
	int rc = open_trading(&c), instr = -1;
	if (rc == 0 && (instr = cmd_instrument(&c, pos[0])) < 0)
		rc = APP_EXIT_USAGE;
	struct order_req r;
	char why[600] = "", desc[400] = "", prompt[500];
	if (rc == 0)
		rc = close_req(&c, instr, size, limit_s ? &limit : NULL, &r);
	if (rc == 0) {
		struct guard_limits g;
		guard_limits_of(&c, &g);
		cmd_fetch_ticker(&c, instr, true);
		if (!limit_s)
			cmd_fetch_book(&c, instr, 100, true);
		order_req_describe(&c.be.st, &r, desc, sizeof desc);
		if (!c.json)
			fprintf(ctx->out, "%s\n", desc);
		rc = guard_verdict(&c, guard_check(&c.be.st, &r, &g, why, sizeof why), why, yes);
	}
	snprintf(prompt, sizeof prompt, "Send %s?", desc);
	if (rc == 0 && (rc = cmd_confirm(&c, yes, prompt)) == 0) {
		struct cmd_wait w = {0};
		struct kerr err = KERR_INIT;
		cmd_journal_add(&c, "intent", "close: %s", desc);
		if (intent_close_position(&c.be.st, instr, size, limit_s ? &limit : NULL,
		                          cmd_wait_cb, &w, &err) < 0) {
			rc = cmd_start_failed(&c, &err);
		} else if (cmd_wait(&c, &w), !w.done || w.res.status != INTENT_OK) {
			rc = cmd_result_failed(&c, &w, "the closing order");
		} else {
			cmd_refresh(&c);
			const struct order *o = state_order_get(&c.be.st, w.res.order_id);
			const char *status = o ? order_status_name(o->status) : "placed";
			cmd_journal_add(&c, "ack", "order %s: %s (%s)", w.res.order_id, status,
			                desc);
			char text[600];
			snprintf(text, sizeof text, "order %s: %s", w.res.order_id, status);
			print_ok(&c, text, w.res.order_id, -1);
		}
	}
	cmd_finish(&c);
	return rc;
}

/* ---- leverage ---- */

struct prefs_wait {
	bool done;
	struct intent_result res;
	char symbol[INSTR_ID_MAX];
	bool found;
	dec_t lev;
};

static void prefs_got(void *arg, const struct intent_result *res, const struct fut_pref *prefs,
                      size_t n)
{
	struct prefs_wait *pw = arg;
	pw->res = *res;
	pw->done = true;
	for (size_t i = 0; i < n; i++)
		if (strcasecmp(prefs[i].symbol, pw->symbol) == 0 &&
		    dec_sign(prefs[i].max_leverage) > 0) {
			pw->found = true;
			pw->lev = prefs[i].max_leverage;
		}
}

static void print_margin(struct cmd *c, const char *symbol, bool isolated, dec_t lev)
{
	char l[DEC_FMT_MAX];
	dec_fmt_trim(lev, l, sizeof l);
	if (c->json) {
		struct cmd_json j;
		cmd_json_begin(&j);
		jw_obj_begin(&j.w);
		jw_key(&j.w, "ok");
		jw_bool(&j.w, true);
		cmd_json_str(&j.w, "symbol", symbol);
		cmd_json_str(&j.w, "margin", isolated ? "isolated" : "cross");
		if (isolated)
			cmd_json_dec(&j.w, "leverage", lev);
		else
			cmd_json_str(&j.w, "leverage", NULL);
		jw_obj_end(&j.w);
		cmd_json_print(c, &j);
	} else if (isolated) {
		fprintf(c->ctx->out, "%s: isolated margin at %sx leverage\n", symbol, l);
	} else {
		fprintf(c->ctx->out, "%s: cross margin\n", symbol);
	}
}

/* Read the preference from the exchange (a private request of its own). */
static int leverage_show(struct cmd *c, const struct instrument *in)
{
	const struct profile_endpoint *ep = &c->ctx->profile->ep[PROFILE_FUTURES];
	char nonce_dir[1024];
	snprintf(nonce_dir, sizeof nonce_dir, "%s/nonces", c->ctx->paths->state_dir);
	struct fut_rest_cfg fc = {.base_url = ep->rest_url,
	                          .api_key = ep->key,
	                          .api_secret = ep->secret,
	                          .nonce_dir = nonce_dir};
	struct kerr err = KERR_INIT;
	struct fut_rest *fr = fut_rest_new(c->be.loop, &fc, &err);
	if (!fr)
		return cmd_fail(c, APP_EXIT_FAIL, "%s", err.msg);
	struct prefs_wait pw = {0};
	snprintf(pw.symbol, sizeof pw.symbol, "%s", in->id);
	int rc = APP_EXIT_OK;
	if (fut_rest_get_leverage_prefs(fr, &c->be.st, prefs_got, &pw, &err) < 0)
		rc = cmd_fail(c, APP_EXIT_FAIL, "%s", err.msg);
	else if (backend_run_until(&c->be, &pw.done, CMD_ANSWER_MS) < 0)
		rc = cmd_fail(c, APP_EXIT_FAIL, "no answer from the exchange within %u s",
		              CMD_ANSWER_MS / 1000);
	else if (pw.res.status != INTENT_OK)
		rc = cmd_fail(c, APP_EXIT_FAIL, "%s", pw.res.message);
	else
		print_margin(c, in->id, pw.found, pw.lev);
	fut_rest_free(fr);
	return rc;
}

int cmd_leverage(struct app_ctx *ctx, int argc, char **argv)
{
	struct cmd c;
	cmd_init(&c, ctx, "leverage");
	const char *pos[2] = {NULL, NULL};
	bool yes = false;
	const struct cmd_opt opts[] = {{"--yes", &yes, NULL}, {NULL, NULL, NULL}};
	int n = cmd_parse(&c, argc, argv, opts, pos, 2);
	bool cross = n == 2 && strcasecmp(pos[1], "cross") == 0;
	dec_t lev = dec_zero();
	if (n < 1 || (n == 2 && !cross && cmd_parse_dec(&c, "leverage", pos[1], true, &lev) < 0))
		return cmd_usage(&c, "SYMBOL [N|cross] [--yes] [--json]");
	int rc = open_trading(&c), instr = -1;
	if (rc == 0 && (instr = cmd_instrument(&c, pos[0])) < 0)
		rc = APP_EXIT_USAGE;
	const struct instrument *in = rc ? NULL : state_instrument(&c.be.st, instr);
	if (in && in->product != PRODUCT_FUTURES)
		rc = cmd_fail(&c, APP_EXIT_USAGE,
		              "%s is a Spot pair: leverage is per order there (order --leverage N)",
		              in->id);
	if (rc == 0 && n == 1) {
		rc = leverage_show(&c, in);
		cmd_finish(&c);
		return rc;
	}
	char why[300] = "";
	if (rc == 0 && !cross) {
		struct guard_limits g;
		guard_limits_of(&c, &g);
		rc = guard_verdict(&c, guard_check_leverage(&g, lev, why, sizeof why), why, yes);
	}
	if (rc == 0) {
		char l[DEC_FMT_MAX];
		dec_fmt_trim(lev, l, sizeof l);
		struct cmd_wait w = {0};
		struct kerr err = KERR_INIT;
		cmd_journal_add(&c, "intent", "%s: %s%s%s", in->id,
		                cross ? "cross margin" : "isolated at ", cross ? "" : l,
		                cross ? "" : "x");
		if (intent_set_leverage(&c.be.st, instr, cross ? NULL : &lev, cmd_wait_cb, &w,
		                        &err) < 0) {
			rc = cmd_start_failed(&c, &err);
		} else if (cmd_wait(&c, &w), !w.done || w.res.status != INTENT_OK) {
			rc = cmd_result_failed(&c, &w, "the leverage change");
		} else {
			cmd_journal_add(&c, "ack", "%s: %s%s%s", in->id,
			                cross ? "cross margin" : "isolated at ", cross ? "" : l,
			                cross ? "" : "x");
			print_margin(&c, in->id, !cross, lev);
		}
	}
	cmd_finish(&c);
	return rc;
}
