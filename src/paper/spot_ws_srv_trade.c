/* spot_ws_srv_trade: Spot WS v2 order entry on the paper exchange (add_order,
 * batch_add, amend_order, edit_order) and the dispatch of every trading
 * method: params are parsed exactly as Kraken takes them, px does the work,
 * answers come in Kraken's shapes. The executions channel hears about every
 * change from px events (spot_ws_srv_book.c). */
#include <stdio.h>
#include <string.h>

#include "base/ktime.h"
#include "base/strutil.h"
#include "paper/spot_ws_srv_int.h"

#define ERR_ARGS "EGeneral:Invalid arguments"

int swss_fail(struct swss_ctx *x, const char *field)
{
	snprintf(x->err, sizeof x->err, "%s%s%s", ERR_ARGS, field ? ":" : "", field ? field : "");
	return -1;
}

/* Optional number field: 0 absent, 1 present (in *out), -1 not a number. */
static int get_dec(const struct jdoc *d, int obj, const char *key, dec_t *out)
{
	int tok = jobj_get(d, obj, key);
	if (tok < 0)
		return 0;
	enum jtype t = jtok_type(d, tok);
	if ((t != J_NUM && t != J_STR) || jtok_dec(d, tok, out, NULL))
		return -1;
	return 1;
}

static bool get_bool(const struct jdoc *d, int obj, const char *key, bool *out)
{
	int tok = jobj_get(d, obj, key);
	*out = false;
	return tok < 0 || jtok_bool(d, tok, out) == 0;
}

/* RFC 3339 field: 0 absent, 1 present, -1 malformed. */
static int get_time(const struct jdoc *d, int obj, const char *key, int64_t *ns)
{
	int tok = jobj_get(d, obj, key);
	size_t n;
	if (tok < 0)
		return 0;
	const char *s = jtok_type(d, tok) == J_STR ? jtok_raw(d, tok, &n) : NULL;
	return s && ktime_parse_rfc3339(s, n, ns, NULL) == 0 ? 1 : -1;
}

static int parse_type(const struct jdoc *d, int tok, enum engine_type *t)
{
	static const struct {
		const char *name;
		enum engine_type t;
	} types[] = {
	        {"market", ENGINE_T_MARKET},
	        {"limit", ENGINE_T_LIMIT},
	        {"iceberg", ENGINE_T_ICEBERG},
	        {"stop-loss", ENGINE_T_STOP_LOSS},
	        {"stop-loss-limit", ENGINE_T_STOP_LOSS_LIMIT},
	        {"take-profit", ENGINE_T_TAKE_PROFIT},
	        {"take-profit-limit", ENGINE_T_TAKE_PROFIT_LIMIT},
	        {"trailing-stop", ENGINE_T_TRAILING_STOP},
	        {"trailing-stop-limit", ENGINE_T_TRAILING_STOP_LIMIT},
	};
	for (size_t i = 0; i < sizeof types / sizeof types[0]; i++) {
		if (jstr_eq(d, tok, types[i].name)) {
			*t = types[i].t;
			return 0;
		}
	}
	return -1;
}

/* A price with a *_price_type: static, or an offset (pct / quote) by sign. */
static int typed_price(const struct jdoc *d, int obj, const char *key, const char *type_key,
                       const char *dflt, struct px_price *out)
{
	dec_t v;
	int has = get_dec(d, obj, key, &v);
	if (has <= 0)
		return has;
	int tt = jobj_get(d, obj, type_key);
	const char *type = dflt;
	if (tt >= 0)
		type = jstr_eq(d, tt, "static")  ? "static"
		       : jstr_eq(d, tt, "pct")   ? "pct"
		       : jstr_eq(d, tt, "quote") ? "quote"
		                                 : NULL;
	if (!type)
		return -1;
	if (strcmp(type, "static") == 0)
		*out = px_price_abs(v);
	else
		*out = px_price_offset(v, strcmp(type, "pct") == 0);
	return 1;
}

static bool is_trailing(enum engine_type t)
{
	return t == ENGINE_T_TRAILING_STOP || t == ENGINE_T_TRAILING_STOP_LIMIT;
}

static bool is_trigger(enum engine_type t)
{
	return t >= ENGINE_T_STOP_LOSS && t <= ENGINE_T_TRAILING_STOP_LIMIT;
}

static int parse_conditional(struct swss_ctx *x, int obj, struct px_close_req *cl)
{
	const struct jdoc *d = x->d;
	if (obj < 0)
		return 0;
	if (jtok_type(d, obj) != J_OBJ ||
	    parse_type(d, jobj_get(d, obj, "order_type"), &cl->type) ||
	    cl->type == ENGINE_T_MARKET || cl->type == ENGINE_T_ICEBERG)
		return swss_fail(x, "conditional");
	struct px_price lim = {0}, trig = {0};
	if (typed_price(d, obj, "limit_price", "limit_price_type",
	                cl->type == ENGINE_T_TRAILING_STOP_LIMIT ? "quote" : "static", &lim) < 0 ||
	    typed_price(d, obj, "trigger_price", "trigger_price_type",
	                is_trailing(cl->type) ? "quote" : "static", &trig) < 0)
		return swss_fail(x, "conditional");
	if (cl->type == ENGINE_T_LIMIT) {
		cl->price = lim;
	} else if (is_trailing(cl->type)) {
		trig.mode = trig.mode == PX_P_MINUS ? PX_P_PLUS : trig.mode;
		cl->trail = trig;
		if (cl->type == ENGINE_T_TRAILING_STOP_LIMIT)
			cl->limit_off = lim;
	} else {
		cl->trigger = trig;
		if (cl->type != ENGINE_T_STOP_LOSS && cl->type != ENGINE_T_TAKE_PROFIT)
			cl->price = lim;
	}
	return 0;
}

static int parse_triggers(struct swss_ctx *x, int obj, struct px_place *pl)
{
	const struct jdoc *d = x->d;
	if (!is_trigger(pl->type))
		return 0;
	if (jtok_type(d, obj) != J_OBJ)
		return swss_fail(x, "triggers");
	int ref = jobj_get(d, obj, "reference");
	if (ref >= 0 && !jstr_eq(d, ref, "last") && !jstr_eq(d, ref, "index"))
		return swss_fail(x, "triggers.reference");
	pl->trigger_ref = jstr_eq(d, ref, "index") ? ENGINE_REF_INDEX : ENGINE_REF_LAST;
	struct px_price p;
	if (typed_price(d, obj, "price", "price_type", is_trailing(pl->type) ? "quote" : "static",
	                &p) != 1)
		return swss_fail(x, "triggers.price");
	if (is_trailing(pl->type)) {
		p.mode = PX_P_PLUS; /* a distance from the peak, always positive */
		pl->trail = p;
	} else {
		pl->trigger = p;
	}
	return 0;
}

/* Highest leverage the pair offers on this side, capped at 5 as Kraken's
 * `margin` flag is. */
static int max_leverage(const struct px_instr *in, enum engine_side side)
{
	const uint8_t *l = side == ENGINE_BUY ? in->leverage_buy : in->leverage_sell;
	int best = 0;
	for (int i = 0; i < 4 && l[i]; i++)
		if (l[i] <= 5 && l[i] > best)
			best = l[i];
	return best;
}

/* One order's params (add_order, or one batch_add element with `in` fixed). */
static int parse_order(struct swss_ctx *x, int obj, const struct px_instr *in, struct px_place *pl,
                       char *cl_buf)
{
	const struct jdoc *d = x->d;
	memset(pl, 0, sizeof *pl);
	pl->account = x->acct;
	if (parse_type(d, jobj_get(d, obj, "order_type"), &pl->type))
		return swss_fail(x, "order_type");
	int side = jobj_get(d, obj, "side");
	if (!jstr_eq(d, side, "buy") && !jstr_eq(d, side, "sell"))
		return swss_fail(x, "side");
	pl->side = jstr_eq(d, side, "buy") ? ENGINE_BUY : ENGINE_SELL;
	if (!in) {
		char sym[40];
		if (jtok_str(d, jobj_get(d, obj, "symbol"), sym, sizeof sym) == 0)
			return swss_fail(x, "symbol");
		in = px_instr_find(x->s->px, PX_SPOT, sym);
		if (!in || strcmp(in->symbol, sym) != 0) {
			snprintf(x->err, sizeof x->err, "EQuery:Unknown asset pair");
			return -1;
		}
	}
	pl->instr = in;
	dec_t v;
	int hq = get_dec(d, obj, "order_qty", &v);
	if (hq == 1)
		pl->qty = v;
	int hc = get_dec(d, obj, "cash_order_qty", &v);
	if (hq < 0 || hc < 0 || (hq == 1) == (hc == 1))
		return swss_fail(x, "order_qty");
	if (hc == 1) {
		if (pl->type != ENGINE_T_MARKET || pl->side != ENGINE_BUY)
			return swss_fail(x, "cash_order_qty");
		pl->qty = v;
		pl->oflags |= PX_O_VIQC;
	}
	struct px_price lim = {0};
	if (typed_price(d, obj, "limit_price", "limit_price_type",
	                pl->type == ENGINE_T_TRAILING_STOP_LIMIT ? "quote" : "static", &lim) < 0)
		return swss_fail(x, "limit_price");
	if (pl->type == ENGINE_T_TRAILING_STOP_LIMIT)
		pl->limit_off = lim;
	else
		pl->price = lim;
	if (parse_triggers(x, jobj_get(d, obj, "triggers"), pl))
		return -1;
	int tif = jobj_get(d, obj, "time_in_force");
	if (tif >= 0 && !jstr_eq(d, tif, "gtc") && !jstr_eq(d, tif, "gtd") &&
	    !jstr_eq(d, tif, "ioc"))
		return swss_fail(x, "time_in_force");
	pl->tif = jstr_eq(d, tif, "ioc")   ? ENGINE_IOC
	          : jstr_eq(d, tif, "gtd") ? ENGINE_GTD
	                                   : ENGINE_GTC;
	if (get_time(d, obj, "expire_time", &pl->expire_ns) < 0 ||
	    (pl->tif == ENGINE_GTD && !pl->expire_ns))
		return swss_fail(x, "expire_time");
	if (get_time(d, obj, "effective_time", &pl->start_ns) < 0)
		return swss_fail(x, "effective_time");
	bool b;
	if (!get_bool(d, obj, "post_only", &b))
		return swss_fail(x, "post_only");
	pl->eflags |= b ? ENGINE_F_POST_ONLY : 0;
	if (!get_bool(d, obj, "reduce_only", &b))
		return swss_fail(x, "reduce_only");
	pl->eflags |= b ? ENGINE_F_REDUCE_ONLY : 0;
	if (!get_bool(d, obj, "no_mpp", &b))
		return swss_fail(x, "no_mpp");
	pl->eflags |= b ? ENGINE_F_NO_MPP : 0;
	if (!get_bool(d, obj, "margin", &b))
		return swss_fail(x, "margin");
	if (b && !(pl->leverage = max_leverage(in, pl->side)))
		return swss_fail(x, "margin");
	if (get_dec(d, obj, "display_qty", &pl->display) < 0)
		return swss_fail(x, "display_qty");
	int fp = jobj_get(d, obj, "fee_preference");
	if (fp >= 0 && !jstr_eq(d, fp, "base") && !jstr_eq(d, fp, "quote"))
		return swss_fail(x, "fee_preference");
	pl->oflags |= jstr_eq(d, fp, "base")    ? PX_O_FEE_BASE
	              : jstr_eq(d, fp, "quote") ? PX_O_FEE_QUOTE
	                                        : 0;
	int stp = jobj_get(d, obj, "stp_type");
	if (stp >= 0 && !jstr_eq(d, stp, "cancel_newest") && !jstr_eq(d, stp, "cancel_oldest") &&
	    !jstr_eq(d, stp, "cancel_both"))
		return swss_fail(x, "stp_type");
	pl->stp = jstr_eq(d, stp, "cancel_oldest") ? ENGINE_STP_CANCEL_OLDEST
	          : jstr_eq(d, stp, "cancel_both") ? ENGINE_STP_CANCEL_BOTH
	                                           : ENGINE_STP_CANCEL_NEWEST;
	int cl = jobj_get(d, obj, "cl_ord_id");
	int ur = jobj_get(d, obj, "order_userref");
	if (cl >= 0 && ur >= 0)
		return swss_fail(x, "cl_ord_id");
	if (cl >= 0) {
		if (jtok_type(d, cl) != J_STR ||
		    jtok_str(d, cl, cl_buf, PX_CLID_MAX) >= PX_CLID_MAX)
			return swss_fail(x, "cl_ord_id");
		pl->cl_ord_id = cl_buf;
	}
	int64_t ref;
	if (ur >= 0 && (jtok_i64(d, ur, &ref) || ref < INT32_MIN || ref > INT32_MAX))
		return swss_fail(x, "order_userref");
	pl->userref = ur >= 0 ? (int32_t)ref : 0;
	if (parse_conditional(x, jobj_get(d, obj, "conditional"), &pl->close))
		return -1;
	return 0;
}

/* Request-level options shared by add_order, edit_order and batch_add. */
static int parse_common(struct swss_ctx *x, int obj, int64_t *deadline, bool *validate)
{
	const struct jdoc *d = x->d;
	int64_t now = paper_now(x->s->p);
	if (get_time(d, obj, "deadline", deadline) < 0 ||
	    (*deadline && *deadline > now + 60 * KTIME_NS_PER_SEC))
		return swss_fail(x, "deadline");
	if (!get_bool(d, obj, "validate", validate))
		return swss_fail(x, "validate");
	return 0;
}

/* The market's state refuses new orders in some system modes. */
int swss_system_allows(struct swss_ctx *x, const struct px_place *pl)
{
	switch (x->s->p->faults.system) {
	case PAPER_SYS_MAINTENANCE:
		snprintf(x->err, sizeof x->err, "EService:Unavailable");
		return -1;
	case PAPER_SYS_CANCEL_ONLY:
		snprintf(x->err, sizeof x->err, "EService:Market in cancel_only mode");
		return -1;
	case PAPER_SYS_POST_ONLY:
		if (!pl || !(pl->eflags & ENGINE_F_POST_ONLY)) {
			snprintf(x->err, sizeof x->err, "EService:Market in post_only mode");
			return -1;
		}
		return 0;
	default:
		return 0;
	}
}

static void px_fail(struct swss_ctx *x, const struct kerr *err)
{
	swss_px_error(err->code, err->msg, x->err, sizeof x->err);
}

static void result_ids(struct jw *w, const struct px_result *res, const struct px_place *pl)
{
	jw_obj_begin(w);
	if (res->id[0]) {
		jw_key(w, "order_id");
		jw_str(w, res->id);
	}
	if (pl->cl_ord_id && pl->cl_ord_id[0]) {
		jw_key(w, "cl_ord_id");
		jw_str(w, pl->cl_ord_id);
	}
	if (pl->userref) {
		jw_key(w, "order_userref");
		jw_i64(w, pl->userref);
	}
	jw_obj_end(w);
}

static int add_order(struct swss_ctx *x)
{
	char cl[PX_CLID_MAX];
	struct px_place pl;
	int64_t deadline = 0;
	bool validate;
	if (parse_order(x, x->r->params, NULL, &pl, cl) ||
	    parse_common(x, x->r->params, &deadline, &validate) || swss_system_allows(x, &pl))
		return -1;
	pl.deadline_ns = deadline;
	pl.oflags |= validate ? PX_O_VALIDATE : 0;
	struct px_result res;
	struct kerr err = KERR_INIT;
	memset(&res, 0, sizeof res);
	if (px_place(x->s->px, &pl, &res, &err)) {
		px_fail(x, &err);
		return -1;
	}
	struct jw w;
	swss_resp_begin(x->s, &w, x->r);
	jw_key(&w, "result");
	result_ids(&w, &res, &pl);
	swss_resp_end(x->s, &w, x->r, true);
	swss_send(x->s, x->r->c, false);
	return 0;
}

static int batch_add(struct swss_ctx *x)
{
	const struct jdoc *d = x->d;
	int params = x->r->params;
	char sym[40];
	if (jtok_str(d, jobj_get(d, params, "symbol"), sym, sizeof sym) == 0)
		return swss_fail(x, "symbol");
	const struct px_instr *in = px_instr_find(x->s->px, PX_SPOT, sym);
	if (!in || strcmp(in->symbol, sym) != 0) {
		snprintf(x->err, sizeof x->err, "EQuery:Unknown asset pair");
		return -1;
	}
	int orders = jobj_get(d, params, "orders");
	size_t n = jtok_size(d, orders);
	if (jtok_type(d, orders) != J_ARR || n < 2 || n > 15)
		return swss_fail(x, "orders");
	int64_t deadline = 0;
	bool validate;
	if (parse_common(x, params, &deadline, &validate))
		return -1;
	struct px_place pl[15];
	char cl[15][PX_CLID_MAX];
	size_t i = 0;
	for (int k = jfirst(d, orders); k >= 0; k = jnext(d, orders, k), i++) {
		if (parse_order(x, k, in, &pl[i], cl[i]) || swss_system_allows(x, &pl[i]))
			return -1;
		pl[i].deadline_ns = deadline;
	}
	/* The whole batch is validated before anything is placed; funds are
	 * checked per order when it is submitted. */
	struct px_result res[15];
	struct kerr err = KERR_INIT;
	for (i = 0; i < n; i++) {
		struct px_place v = pl[i];
		v.oflags |= PX_O_VALIDATE;
		if (px_place(x->s->px, &v, &res[i], &err) &&
		    err.code != ENGINE_R_INSUFFICIENT_FUNDS && err.code != PX_E_MARGIN) {
			px_fail(x, &err);
			return -1;
		}
	}
	char errs[15][96];
	for (i = 0; i < n; i++) {
		memset(&res[i], 0, sizeof res[i]);
		errs[i][0] = '\0';
		if (validate)
			continue;
		kerr_clear(&err);
		if (px_place(x->s->px, &pl[i], &res[i], &err))
			swss_px_error(err.code, err.msg, errs[i], sizeof errs[i]);
	}
	struct jw w;
	swss_resp_begin(x->s, &w, x->r);
	jw_key(&w, "result");
	jw_arr_begin(&w);
	for (i = 0; i < n; i++) {
		if (!errs[i][0]) {
			result_ids(&w, &res[i], &pl[i]);
			continue;
		}
		jw_obj_begin(&w);
		if (pl[i].cl_ord_id) {
			jw_key(&w, "cl_ord_id");
			jw_str(&w, pl[i].cl_ord_id);
		}
		jw_key(&w, "error");
		jw_str(&w, errs[i]);
		jw_obj_end(&w);
	}
	jw_arr_end(&w);
	swss_resp_end(x->s, &w, x->r, true);
	swss_send(x->s, x->r->c, false);
	return 0;
}

static int amend_or_edit(struct swss_ctx *x, bool edit)
{
	const struct jdoc *d = x->d;
	int params = x->r->params;
	char id[PX_ID_MAX] = "", cl[PX_CLID_MAX] = "";
	jtok_str(d, jobj_get(d, params, "order_id"), id, sizeof id);
	if (!edit)
		jtok_str(d, jobj_get(d, params, "cl_ord_id"), cl, sizeof cl);
	if (!id[0] && !cl[0])
		return swss_fail(x, "order_id");
	if (x->s->p->faults.system == PAPER_SYS_MAINTENANCE ||
	    x->s->p->faults.system == PAPER_SYS_CANCEL_ONLY)
		return swss_system_allows(x, NULL);
	struct px_amend a = {.account = x->acct, .product = PX_SPOT};
	a.id = id[0] ? id : NULL;
	a.cl_ord_id = cl[0] ? cl : NULL;
	const struct px_order *o = id[0] ? px_order_find(x->s->px, x->acct, id)
	                                 : px_order_find_cl(x->s->px, x->acct, PX_SPOT, cl);
	enum engine_type type = o ? o->type : ENGINE_T_LIMIT;
	int has = get_dec(d, params, "order_qty", &a.qty);
	if (has < 0 || (!edit && has == 0))
		return swss_fail(x, "order_qty");
	a.fields |= has ? ENGINE_AM_QTY : 0;
	if ((has = get_dec(d, params, "display_qty", &a.display)) < 0)
		return swss_fail(x, "display_qty");
	a.fields |= has ? ENGINE_AM_DISPLAY : 0;
	has = typed_price(d, params, "limit_price", "limit_price_type",
	                  type == ENGINE_T_TRAILING_STOP_LIMIT ? "quote" : "static",
	                  type == ENGINE_T_TRAILING_STOP_LIMIT ? &a.limit_off : &a.price);
	if (has < 0)
		return swss_fail(x, "limit_price");
	a.fields |=
	        has ? (type == ENGINE_T_TRAILING_STOP_LIMIT ? ENGINE_AM_LIMIT_OFF : ENGINE_AM_PRICE)
	            : 0;
	struct px_price trig;
	if (edit) {
		int t = jobj_get(d, params, "triggers");
		has = t >= 0 ? typed_price(d, t, "price", "price_type",
		                           is_trailing(type) ? "quote" : "static", &trig)
		             : 0;
	} else {
		has = typed_price(d, params, "trigger_price", "trigger_price_type",
		                  is_trailing(type) ? "quote" : "static", &trig);
	}
	if (has < 0)
		return swss_fail(x, edit ? "triggers" : "trigger_price");
	if (has && is_trailing(type)) {
		trig.mode = PX_P_PLUS;
		a.trail = trig;
		a.fields |= ENGINE_AM_TRAIL;
	} else if (has) {
		a.trigger = trig;
		a.fields |= ENGINE_AM_TRIGGER;
	}
	bool b;
	if (!get_bool(d, params, "post_only", &b))
		return swss_fail(x, "post_only");
	a.post_only = b;
	a.fields |= b ? ENGINE_AM_POST_ONLY : 0;
	bool validate = false;
	if (parse_common(x, params, &a.deadline_ns, &validate))
		return -1;
	int ur = jobj_get(d, params, "order_userref");
	int64_t ref;
	if (edit && ur >= 0) {
		if (jtok_i64(d, ur, &ref) || ref < INT32_MIN || ref > INT32_MAX)
			return swss_fail(x, "order_userref");
		a.set_userref = true;
		a.userref = (int32_t)ref;
	}
	a.oflags = validate ? PX_O_VALIDATE : 0;
	struct px_result res;
	struct kerr err = KERR_INIT;
	memset(&res, 0, sizeof res);
	if ((edit ? px_edit : px_amend)(x->s->px, &a, &res, &err)) {
		px_fail(x, &err);
		return -1;
	}
	struct jw w;
	swss_resp_begin(x->s, &w, x->r);
	jw_key(&w, "result");
	jw_obj_begin(&w);
	if (edit) {
		jw_key(&w, "order_id");
		jw_str(&w, res.id);
		jw_key(&w, "original_order_id");
		jw_str(&w, res.orig_id[0] ? res.orig_id : id);
	} else {
		jw_key(&w, "amend_id");
		jw_str(&w, res.amend_id);
		jw_key(&w, id[0] ? "order_id" : "cl_ord_id");
		jw_str(&w, id[0] ? id : cl);
	}
	jw_obj_end(&w);
	swss_resp_end(x->s, &w, x->r, true);
	swss_send(x->s, x->r->c, false);
	return 0;
}

/* One answer of cancel_order (Kraken answers once per order). */
bool swss_trade(struct spot_ws_srv *s, const struct swss_req *r)
{
	static const struct {
		const char *name;
		int (*fn)(struct swss_ctx *x);
	} methods[] = {
	        {"add_order", add_order},
	        {"batch_add", batch_add},
	        {"cancel_order", swss_cancel_order},
	        {"cancel_all", swss_cancel_all},
	        {"cancel_all_orders_after", swss_cancel_after},
	        {"batch_cancel", swss_batch_cancel},
	};
	struct swss_ctx x = {.s = s, .d = &s->doc, .r = r};
	int (*fn)(struct swss_ctx *) = NULL;
	bool amend = strcmp(r->method, "amend_order") == 0,
	     edit = strcmp(r->method, "edit_order") == 0;
	for (size_t i = 0; i < sizeof methods / sizeof methods[0]; i++)
		if (strcmp(r->method, methods[i].name) == 0)
			fn = methods[i].fn;
	if (!fn && !amend && !edit)
		return false;
	if (!s->auth) {
		swss_error(s, r, "EGeneral:Permission denied", NULL);
		return true;
	}
	char token[PAPER_TOKEN_MAX];
	if (jtok_type(x.d, r->params) != J_OBJ ||
	    jtok_str(x.d, jobj_get(x.d, r->params, "token"), token, sizeof token) == 0 ||
	    paper_token_check(s->p, token, &x.acct) != 0) {
		swss_error(s, r, "ESession:Invalid session", NULL);
		return true;
	}
	int rc = fn ? fn(&x) : amend_or_edit(&x, edit);
	if (rc)
		swss_error(s, r, x.err, NULL);
	return true;
}
