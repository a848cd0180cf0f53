/* cmd_order: `krakterm order` — place one order of any type on either product,
 * through the same core the order ticket uses: order_validate (every problem,
 * nothing sent), the fat-finger guards (refused unless --yes), the
 * confirmation (profiles with confirm = true, unless --yes), the journal,
 * intent_place, and the order's status as the exchange reports it.
 *
 *   krakterm order SYMBOL buy|sell TYPE SIZE [PRICE] [options]
 *
 * PRICE is the limit price of limit, iceberg, stop-limit and take-profit-limit
 * orders. For stop and take-profit (market) orders PRICE is the trigger when
 * --trigger is not given. Market and trailing orders take no PRICE. */
#include <stdio.h>
#include <string.h>

#include "app/cmd_util.h"
#include "core/guard.h"
#include "core/state.h"
#include "core/validate.h"

#define ORDER_ARGS                                                                                 \
	"SYMBOL buy|sell TYPE SIZE [PRICE] [--trigger PRICE] [--trigger-signal last|mark|index]\n" \
	"       [--trailing OFFSET[%]] [--limit-offset OFFSET[%]] [--display SIZE] [--quote]\n"    \
	"       [--reduce-only] [--post-only] [--tif GTC|IOC|GTD|FOK] [--expire TIME]\n"           \
	"       [--leverage N] [--close TYPE PRICE [PRICE2]] [--validate] [--yes] [--json]"

/* Everything the command line says, before any instrument is known. */
struct order_args {
	const char *symbol, *side, *type, *size, *price;
	const char *trigger, *signal, *trailing, *limit_offset, *display, *tif, *expire, *leverage;
	const char *close_type, *close_price, *close_price2;
	bool quote, reduce_only, post_only, validate, yes;
};

static int parse_close(struct cmd *c, int argc, char **argv, int *i, struct order_args *a)
{
	if (*i + 2 >= argc) {
		fprintf(c->ctx->err, "krakterm order: --close needs TYPE and PRICE\n");
		return -1;
	}
	a->close_type = argv[++*i];
	a->close_price = argv[++*i];
	enum order_type t;
	/* A *-limit close also takes its limit price. */
	if (order_type_parse(a->close_type, &t) == 0 && order_type_has_limit(t) && t != OT_LIMIT) {
		if (*i + 1 >= argc) {
			fprintf(c->ctx->err,
			        "krakterm order: --close %s needs PRICE and PRICE2 (the limit)\n",
			        a->close_type);
			return -1;
		}
		a->close_price2 = argv[++*i];
	}
	return 0;
}

static int parse_args(struct cmd *c, int argc, char **argv, struct order_args *a)
{
	struct {
		const char *name;
		const char **val;
	} vals[] = {
	        {"--trigger", &a->trigger},   {"--trigger-signal", &a->signal},
	        {"--trailing", &a->trailing}, {"--limit-offset", &a->limit_offset},
	        {"--display", &a->display},   {"--tif", &a->tif},
	        {"--expire", &a->expire},     {"--leverage", &a->leverage},
	};
	struct {
		const char *name;
		bool *flag;
	} flags[] = {
	        {"--quote", &a->quote},
	        {"--reduce-only", &a->reduce_only},
	        {"--post-only", &a->post_only},
	        {"--validate", &a->validate},
	        {"--yes", &a->yes},
	        {"--json", &c->json},
	};
	const char **pos[] = {&a->symbol, &a->side, &a->type, &a->size, &a->price};
	size_t npos = 0;
	for (int i = 1; i < argc; i++) {
		const char *s = argv[i];
		bool done = false;
		if (strcmp(s, "--help") == 0 || strcmp(s, "-h") == 0) {
			c->help = true;
			return -1;
		}
		if (strcmp(s, "--close") == 0) {
			if (parse_close(c, argc, argv, &i, a) < 0)
				return -1;
			continue;
		}
		for (size_t k = 0; k < sizeof flags / sizeof flags[0] && !done; k++)
			if (strcmp(s, flags[k].name) == 0)
				*flags[k].flag = done = true;
		for (size_t k = 0; k < sizeof vals / sizeof vals[0] && !done; k++) {
			int r = cmd_opt_value(c, argc, argv, &i, vals[k].name, vals[k].val);
			if (r < 0)
				return -1;
			done = r > 0;
		}
		if (done)
			continue;
		if (s[0] == '-' && s[1] == '-') {
			fprintf(c->ctx->err, "krakterm order: unknown option '%s'\n", s);
			return -1;
		}
		if (npos == sizeof pos / sizeof pos[0]) {
			fprintf(c->ctx->err, "krakterm order: unexpected argument '%s'\n", s);
			return -1;
		}
		*pos[npos++] = s;
	}
	if (npos < 4) {
		fprintf(c->ctx->err, "krakterm order: SYMBOL, side, TYPE and SIZE are needed\n");
		return -1;
	}
	return 0;
}

/* The prices and offsets each type needs, checked before anything connects. */
static int check_shape(struct cmd *c, const struct order_args *a, enum order_type t)
{
	const char *name = order_type_name(t);
	const char *why = NULL;
	if ((t == OT_MARKET || order_type_is_trailing(t)) && a->price)
		why = "takes no PRICE";
	else if (order_type_has_limit(t) && !a->price)
		why = "needs a PRICE (the limit price)";
	else if ((t == OT_STOP || t == OT_TAKE_PROFIT) && !a->price == !a->trigger)
		why = "needs its trigger price, as PRICE or as --trigger (not both)";
	else if ((t == OT_STOP_LIMIT || t == OT_TAKE_PROFIT_LIMIT) && !a->trigger)
		why = "needs --trigger PRICE (PRICE is its limit price)";
	else if (!order_type_has_trigger(t) && a->trigger)
		why = "takes no --trigger";
	else if (order_type_is_trailing(t) && !a->trailing)
		why = "needs --trailing OFFSET[%]";
	else if (t == OT_TRAILING_STOP_LIMIT && !a->limit_offset)
		why = "needs --limit-offset OFFSET[%] (from the trigger; +0 = at the trigger)";
	else if (t != OT_TRAILING_STOP_LIMIT && a->limit_offset)
		why = "takes no --limit-offset";
	else if (t == OT_ICEBERG && !a->display)
		why = "needs --display SIZE";
	else if (t == OT_SETTLE_POSITION)
		why = "is not supported here (use `krakterm close`)";
	if (!why)
		return 0;
	fprintf(c->ctx->err, "krakterm order: a %s order %s\n", name, why);
	return -1;
}

/* Turn the words into an order_req (instrument not needed yet). */
static int build_req(struct cmd *c, const struct order_args *a, struct order_req *r)
{
	memset(r, 0, sizeof *r);
	if (side_parse(a->side, &r->side) < 0) {
		fprintf(c->ctx->err, "krakterm order: the side is buy or sell, not '%s'\n",
		        a->side);
		return -1;
	}
	if (order_type_parse(a->type, &r->type) < 0) {
		fprintf(c->ctx->err,
		        "krakterm order: unknown order type '%s' (market, limit, iceberg, stop, "
		        "stop-limit, take-profit, take-profit-limit, trailing-stop, "
		        "trailing-stop-limit)\n",
		        a->type);
		return -1;
	}
	if (check_shape(c, a, r->type) < 0 || cmd_parse_dec(c, "SIZE", a->size, true, &r->qty) < 0)
		return -1;
	if (a->price &&
	    cmd_parse_dec(c, "PRICE", a->price, true,
	                  order_type_has_limit(r->type) ? &r->limit_price : &r->trigger_price) < 0)
		return -1;
	if (a->trigger && cmd_parse_dec(c, "--trigger", a->trigger, true, &r->trigger_price) < 0)
		return -1;
	if (a->trailing && cmd_parse_offset(c, "--trailing", a->trailing, false, &r->trail_offset,
	                                    &r->trail_pct) < 0)
		return -1;
	if (a->limit_offset && cmd_parse_offset(c, "--limit-offset", a->limit_offset, true,
	                                        &r->trail_limit_offset, &r->trail_limit_pct) < 0)
		return -1;
	if (a->display && cmd_parse_dec(c, "--display", a->display, true, &r->display_qty) < 0)
		return -1;
	if (a->signal && trigger_signal_parse(a->signal, &r->signal) < 0) {
		fprintf(c->ctx->err, "krakterm order: --trigger-signal is last, mark or index\n");
		return -1;
	}
	if (a->tif && tif_parse(a->tif, &r->tif) < 0) {
		fprintf(c->ctx->err, "krakterm order: --tif is GTC, IOC, GTD or FOK\n");
		return -1;
	}
	if (a->expire) {
		if (a->tif && r->tif != TIF_GTD) {
			fprintf(c->ctx->err, "krakterm order: --expire goes with --tif GTD\n");
			return -1;
		}
		r->tif = TIF_GTD;
		if (cmd_parse_time(c, "--expire", a->expire, &r->expire_s) < 0)
			return -1;
	} else if (r->tif == TIF_GTD) {
		fprintf(c->ctx->err, "krakterm order: --tif GTD needs --expire TIME\n");
		return -1;
	}
	long lev = 0;
	if (a->leverage && cmd_parse_int(c, "--leverage", a->leverage, 1, 100, &lev) < 0)
		return -1;
	r->leverage = (int)lev;
	r->qty_in_quote = a->quote;
	r->reduce_only = a->reduce_only;
	r->post_only = a->post_only;
	r->validate_only = a->validate;
	if (a->close_type) {
		r->close.set = true;
		if (order_type_parse(a->close_type, &r->close.type) < 0 ||
		    r->close.type == OT_MARKET || r->close.type == OT_ICEBERG ||
		    r->close.type == OT_SETTLE_POSITION) {
			fprintf(c->ctx->err,
			        "krakterm order: --close TYPE is limit, stop, stop-limit, "
			        "take-profit, take-profit-limit or trailing-stop\n");
			return -1;
		}
		if (cmd_parse_dec(c, "--close PRICE", a->close_price, true, &r->close.price) < 0 ||
		    (a->close_price2 && cmd_parse_dec(c, "--close PRICE2", a->close_price2, true,
		                                      &r->close.price2) < 0))
			return -1;
	}
	return 0;
}

static int report_problems(struct cmd *c, const struct order_check *chk)
{
	fprintf(c->ctx->err, "krakterm order: the order was not sent (%d problem%s):\n", chk->n,
	        chk->n == 1 ? "" : "s");
	for (int i = 0; i < chk->n; i++)
		fprintf(c->ctx->err, "  %s: %s\n", order_field_name(chk->p[i].field),
		        chk->p[i].msg);
	if (c->json) {
		struct cmd_json j;
		cmd_json_begin(&j);
		jw_obj_begin(&j.w);
		jw_key(&j.w, "ok");
		jw_bool(&j.w, false);
		jw_key(&j.w, "exit_status");
		jw_i64(&j.w, APP_EXIT_USAGE);
		cmd_json_str(&j.w, "error", "the order did not pass validation: nothing was sent");
		jw_key(&j.w, "problems");
		jw_arr_begin(&j.w);
		for (int i = 0; i < chk->n; i++) {
			jw_obj_begin(&j.w);
			cmd_json_str(&j.w, "field", order_field_name(chk->p[i].field));
			cmd_json_str(&j.w, "message", chk->p[i].msg);
			if (chk->p[i].has_fix)
				cmd_json_dec(&j.w, "suggestion", chk->p[i].fix);
			jw_obj_end(&j.w);
		}
		jw_arr_end(&j.w);
		jw_obj_end(&j.w);
		cmd_json_print(c, &j);
	}
	return APP_EXIT_USAGE;
}

/* The guards: refused unless --yes (then a warning). 0 to go on. */
static int check_guards(struct cmd *c, const struct order_req *r, bool yes, char *why, size_t cap)
{
	const struct cfg_safety *s = &c->ctx->profile->safety;
	struct guard_limits g = {s->max_order_notional, s->max_price_distance_pct,
	                         (int)s->max_leverage};
	if (guard_check(&c->be.st, r, &g, why, cap) == 0)
		return 0;
	if (yes) {
		cmd_note(c, "krakterm order: warning: %s (sent anyway: --yes)", why);
		return 0;
	}
	return cmd_fail(c, APP_EXIT_USAGE,
	                "refused by the safety limits of profile '%s': %s. Nothing was sent; add "
	                "--yes to send it anyway",
	                c->ctx->profile->name, why);
}

/* The average fill price of an order: the exchange's, or from its fills. */
static dec_t avg_price(const struct state *st, const struct order *o)
{
	if (dec_sign(o->avg_price) > 0 || dec_is_zero(o->filled))
		return o->avg_price;
	dec_t qty = dec_zero(), cost = dec_zero(), v;
	for (unsigned i = 0; i < st->nfills; i++) {
		const struct fill *f = state_fill_at(st, i);
		if (!f || strcmp(f->order_id, o->id) != 0)
			continue;
		if (dec_mul(f->price, f->qty, 12, DEC_HALF_EVEN, &v) < 0 ||
		    dec_add(cost, v, &cost) < 0 || dec_add(qty, f->qty, &qty) < 0)
			return dec_zero();
	}
	const struct instrument *in = state_instrument(st, o->instr);
	if (dec_is_zero(qty) ||
	    dec_div(cost, qty, in ? in->price_dp + 2u : 8u, DEC_HALF_EVEN, &v) < 0)
		return dec_zero();
	return dec_normalize(v);
}

static void print_placed(struct cmd *c, const struct order_req *r, const char *desc,
                         const struct intent_result *res, const char *guard_warning)
{
	const struct order *o = res->order_id[0] ? state_order_get(&c->be.st, res->order_id) : NULL;
	const char *status = r->validate_only ? "validated"
	                     : o              ? order_status_name(o->status)
	                                      : "placed";
	if (c->json) {
		struct cmd_json j;
		cmd_json_begin(&j);
		jw_obj_begin(&j.w);
		jw_key(&j.w, "ok");
		jw_bool(&j.w, true);
		cmd_json_str(&j.w, "order_id", res->order_id[0] ? res->order_id : NULL);
		cmd_json_str(&j.w, "cl_id", r->cl_id);
		cmd_json_str(&j.w, "status", status);
		if (o) {
			cmd_json_dec(&j.w, "filled", o->filled);
			if (dec_sign(avg_price(&c->be.st, o)) > 0)
				cmd_json_dec(&j.w, "avg_price", avg_price(&c->be.st, o));
		}
		cmd_json_str(&j.w, "description", desc);
		cmd_json_str(&j.w, "message", res->message);
		jw_key(&j.w, "validate_only");
		jw_bool(&j.w, r->validate_only);
		cmd_json_str(&j.w, "guard_warning", guard_warning[0] ? guard_warning : NULL);
		jw_obj_end(&j.w);
		cmd_json_print(c, &j);
		return;
	}
	if (r->validate_only) {
		fprintf(c->ctx->out,
		        "valid: the exchange accepted it as valid; nothing was placed\n");
		return;
	}
	fprintf(c->ctx->out, "order %s: %s", res->order_id[0] ? res->order_id : "(no id)", status);
	if (o && dec_sign(o->filled) > 0) {
		char f[DEC_FMT_MAX], p[DEC_FMT_MAX];
		fprintf(c->ctx->out, ", filled %s at %s", cmd_dec(o->filled, false, f),
		        cmd_dec(avg_price(&c->be.st, o), true, p));
	}
	fprintf(c->ctx->out, "\n");
}

/* Validate, guard, confirm, send and report. The backend is open. */
static int place(struct cmd *c, struct order_req *r, bool yes)
{
	struct state *st = &c->be.st;
	const struct instrument *in = state_instrument(st, r->instr);
	/* The core judges against the market: reference prices, and for market
	 * orders the book they would walk. */
	cmd_fetch_ticker(c, r->instr, true);
	if (r->type == OT_MARKET)
		cmd_fetch_book(c, r->instr, 100, true);
	struct order_check chk;
	if (order_validate(st, r, &chk) > 0)
		return report_problems(c, &chk);
	char why[600] = "", desc[400];
	int rc = check_guards(c, r, yes, why, sizeof why);
	if (rc)
		return rc;
	order_req_describe(st, r, desc, sizeof desc);
	if (!c->json)
		fprintf(c->ctx->out, "%s\n", desc);
	if (r->validate_only && in->product == PRODUCT_FUTURES) {
		/* Kraken Futures has no validate-only orders: sending would place it. */
		struct intent_result res = {.status = INTENT_OK};
		snprintf(res.message, sizeof res.message,
		         "checked here only: Kraken Futures cannot validate an order without "
		         "placing it; nothing was sent");
		if (!c->json)
			fprintf(c->ctx->out, "valid: %s\n", res.message);
		else
			print_placed(c, r, desc, &res, why);
		return APP_EXIT_OK;
	}
	char prompt[500];
	snprintf(prompt, sizeof prompt, "Send %s?", desc);
	if (!r->validate_only && (rc = cmd_confirm(c, yes, prompt)) != 0)
		return rc; /* validate-only places nothing: no need to ask */
	cmd_journal_add(c, "intent", "%s%s", desc,
	                why[0] ? " (safety limits overridden with --yes)" : "");
	struct cmd_wait w = {0};
	struct kerr err = KERR_INIT;
	if (intent_place(st, r, cmd_wait_cb, &w, &err) < 0)
		return cmd_start_failed(c, &err);
	cmd_wait(c, &w);
	if (!w.done || w.res.status != INTENT_OK)
		return cmd_result_failed(c, &w, "the order");
	if (!r->validate_only)
		cmd_refresh(c); /* the order's status now, as the exchange reports it */
	const struct order *o = state_order_get(st, w.res.order_id);
	cmd_journal_add(c, "ack", "%s %s: %s (%s)", r->validate_only ? "validated" : "order",
	                w.res.order_id[0] ? w.res.order_id : "-",
	                o ? order_status_name(o->status) : w.res.message, desc);
	print_placed(c, r, desc, &w.res, why);
	return APP_EXIT_OK;
}

int cmd_order(struct app_ctx *ctx, int argc, char **argv)
{
	struct cmd c;
	cmd_init(&c, ctx, "order");
	struct order_args a;
	struct order_req r;
	memset(&a, 0, sizeof a);
	if (parse_args(&c, argc, argv, &a) < 0 || build_req(&c, &a, &r) < 0)
		return cmd_usage(&c, ORDER_ARGS);
	struct backend_opts o = {.need_keys = true};
	int rc = cmd_open(&c, &o, true);
	if (rc == 0 && (r.instr = cmd_instrument(&c, a.symbol)) < 0)
		rc = APP_EXIT_USAGE;
	if (rc == 0) {
		const struct instrument *in = state_instrument(&c.be.st, r.instr);
		if (!a.signal)
			r.signal = in->product == PRODUCT_FUTURES ? TRIG_MARK : TRIG_LAST;
		rc = place(&c, &r, a.yes);
	}
	cmd_finish(&c);
	return rc;
}
