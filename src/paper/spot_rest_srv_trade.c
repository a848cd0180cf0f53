/* spot_rest_srv_trade: the Spot REST trading endpoints — AddOrder (all ten
 * order types, relative prices, flags, time in force, conditional close,
 * deadline, validate), AddOrderBatch, AmendOrder, EditOrder, CancelOrder,
 * CancelAll, CancelAllOrdersAfter and CancelOrderBatch. Each request is
 * parsed and checked in full before px changes anything. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/ktime.h"
#include "base/xalloc.h"
#include "paper/spot_rest_srv_int.h"

/* A parsed AddOrder (or batch entry). */
struct order_in {
	struct px_place pl;
	char cl[PX_CLID_MAX];
	struct px_price req_price, req_price2; /* as given, for descr */
	bool validate;
};

/* ---- market state switches ---- */

/* Refuse new orders the market's mode does not allow. */
static int market_mode(struct srs *r, bool post_only)
{
	switch (r->p->faults.system) {
	case PAPER_SYS_MAINTENANCE: return srs_fail(r, "EService:Unavailable");
	case PAPER_SYS_CANCEL_ONLY: return srs_fail(r, "EService:Market in cancel_only mode");
	case PAPER_SYS_POST_ONLY:
		return post_only ? 0 : srs_fail(r, "EService:Market in post_only mode");
	default: return 0;
	}
}

static int cancels_allowed(struct srs *r)
{
	return r->p->faults.system == PAPER_SYS_MAINTENANCE ? srs_fail(r, "EService:Unavailable")
							    : 0;
}

/* ---- parsing ---- */

static int price_param(struct srs *r, const char *key, struct px_price *out, bool *present)
{
	const char *v = srs_param(r, key);
	memset(out, 0, sizeof *out);
	*present = v != NULL && v[0];
	if (!*present)
		return 0;
	/* a percentage is always relative: "5%" alone means nothing */
	if (px_price_parse(v, out, NULL) < 0 || (out->mode == PX_P_ABS && out->pct))
		return srs_fail_arg(r, key);
	return 0;
}

/* Kraken's client order id: a UUID (with or without dashes) or up to 18
 * printable ASCII characters. */
static bool cl_ord_id_ok(const char *s)
{
	size_t n = strlen(s), hex = 0;
	for (size_t i = 0; i < n; i++) {
		if (!isprint((unsigned char)s[i]))
			return false;
		hex += isxdigit((unsigned char)s[i]) != 0;
	}
	if (n == 36)
		return hex == 32 && s[8] == '-' && s[13] == '-' && s[18] == '-' && s[23] == '-';
	return (n == 32 && hex == 32) || (n > 0 && n <= 18);
}

static int parse_oflags(struct srs *r, struct px_place *pl)
{
	const char *v = srs_param(r, "oflags");
	if (!v || !v[0])
		return 0;
	char *copy = xstrdup(v), *items[8];
	size_t n = srs_split(copy, items, 8);
	int rc = 0;
	for (size_t i = 0; i < n && rc == 0; i++) {
		if (strcmp(items[i], "post") == 0)
			pl->eflags |= ENGINE_F_POST_ONLY;
		else if (strcmp(items[i], "fcib") == 0)
			pl->oflags |= PX_O_FEE_BASE;
		else if (strcmp(items[i], "fciq") == 0)
			pl->oflags |= PX_O_FEE_QUOTE;
		else if (strcmp(items[i], "nompp") == 0)
			pl->eflags |= ENGINE_F_NO_MPP;
		else if (strcmp(items[i], "viqc") == 0)
			pl->oflags |= PX_O_VIQC;
		else
			rc = -1;
	}
	free(copy);
	if (rc < 0 || ((pl->oflags & PX_O_FEE_BASE) && (pl->oflags & PX_O_FEE_QUOTE)))
		return srs_fail_arg(r, "oflags");
	if ((pl->eflags & ENGINE_F_POST_ONLY) && pl->type != ENGINE_T_LIMIT &&
	    pl->type != ENGINE_T_ICEBERG)
		return srs_fail_arg(r, "oflags");
	if ((pl->oflags & PX_O_VIQC) && (pl->type != ENGINE_T_MARKET || pl->side != ENGINE_BUY))
		return srs_fail_arg(r, "oflags");
	return 0;
}

static int parse_leverage(struct srs *r, int *out)
{
	const char *v = srs_param(r, "leverage");
	*out = 0;
	if (!v || strcmp(v, "none") == 0)
		return 0;
	char *end;
	long lev = strtol(v, &end, 10);
	if (end == v || (*end && strcmp(end, ":1") != 0) || lev < 1 || lev > 100)
		return srs_fail_arg(r, "leverage");
	*out = lev == 1 ? 0 : (int)lev;
	return 0;
}

static int parse_tif(struct srs *r, struct px_place *pl)
{
	const char *v = srs_param(r, "timeinforce");
	bool has_exp;
	if (srs_time(r, "starttm", &pl->start_ns, NULL) < 0 ||
	    srs_time(r, "expiretm", &pl->expire_ns, &has_exp) < 0)
		return -1;
	if (!v || strcasecmp(v, "GTC") == 0)
		pl->tif = pl->expire_ns ? ENGINE_GTD : ENGINE_GTC;
	else if (strcasecmp(v, "IOC") == 0)
		pl->tif = ENGINE_IOC;
	else if (strcasecmp(v, "GTD") == 0)
		pl->tif = ENGINE_GTD;
	else
		return srs_fail_arg(r, "timeinforce");
	if (pl->tif == ENGINE_GTD && !pl->expire_ns)
		return srs_fail_arg(r, "expiretm");
	return 0;
}

static int parse_close(struct srs *r, struct px_place *pl)
{
	const char *t = srs_param(r, "close[ordertype]");
	pl->close.type = ENGINE_T_NONE;
	if (!t)
		return 0;
	enum engine_type ct;
	if (srs_type_parse(t, &ct) < 0 || ct == ENGINE_T_MARKET || ct == ENGINE_T_ICEBERG)
		return srs_fail_arg(r, "close[ordertype]");
	struct px_price p1, p2;
	bool h1, h2;
	if (price_param(r, "close[price]", &p1, &h1) < 0 ||
	    price_param(r, "close[price2]", &p2, &h2) < 0)
		return -1;
	if (!h1)
		return srs_fail_arg(r, "close[price]");
	bool needs2 = ct == ENGINE_T_STOP_LOSS_LIMIT || ct == ENGINE_T_TAKE_PROFIT_LIMIT ||
		      ct == ENGINE_T_TRAILING_STOP_LIMIT;
	if (needs2 && !h2)
		return srs_fail_arg(r, "close[price2]");
	pl->close.type = ct;
	px_spot_prices(ct, &p1, h2 ? &p2 : NULL, &pl->close.price, &pl->close.trigger,
		       &pl->close.trail, &pl->close.limit_off);
	return 0;
}

static int parse_deadline(struct srs *r, int64_t *ns)
{
	const char *v = srs_param(r, "deadline");
	*ns = 0;
	if (!v)
		return 0;
	if (ktime_parse_rfc3339(v, (size_t)-1, ns, NULL) < 0 ||
	    *ns > px_now(r->px) + 60 * KTIME_NS_PER_SEC)
		return srs_fail_arg(r, "deadline");
	return 0;
}

/* settle-position: a reduce-only market order against the margin position. */
struct settle_ctx {
	const struct px_instr *in;
	const struct px_margin_pos *found;
	struct px_margin_pos copy;
};

static void find_pos(void *arg, const struct px_margin_pos *p)
{
	struct settle_ctx *c = arg;
	if (p->instr == c->in && !c->found) {
		c->copy = *p;
		c->found = &c->copy;
	}
}

static int settle_position(struct srs *r, struct px_place *pl)
{
	struct settle_ctx c;
	memset(&c, 0, sizeof c);
	c.in = pl->instr;
	px_margin_positions(r->px, r->acct, find_pos, &c);
	if (!c.found)
		return srs_fail(r, "EOrder:Reduce only:No position exists");
	pl->type = ENGINE_T_MARKET;
	pl->eflags |= ENGINE_F_REDUCE_ONLY;
	if (!pl->leverage)
		pl->leverage = c.found->leverage;
	if (dec_is_zero(pl->qty) && dec_sub(c.found->vol, c.found->vol_closed, &pl->qty) < 0)
		return srs_fail(r, "EOrder:Invalid order");
	return 0;
}

/* volume=0 on a margin order (Kraken: "volume can be specified as 0 for closing
 * margin orders to automatically fill the requisite quantity"): the order, of
 * any type, closes the account's positions on the pair that it trades against
 * (a sell closes longs): reduce-only, for their open volume. */
struct close_ctx {
	const struct px_instr *in;
	enum engine_side side; /* of the positions to close */
	dec_t open;
	bool found;
};

static void sum_pos(void *arg, const struct px_margin_pos *p)
{
	struct close_ctx *c = arg;
	dec_t left;
	if (p->instr != c->in || p->side != c->side || dec_sub(p->vol, p->vol_closed, &left) < 0 ||
	    dec_sign(left) <= 0)
		return;
	if (dec_add(c->open, left, &c->open) == 0)
		c->found = true;
}

static int close_volume(struct srs *r, struct px_place *pl)
{
	if (!pl->leverage || (pl->oflags & PX_O_VIQC))
		return srs_fail_arg(r, "volume");
	struct close_ctx c = {pl->instr, pl->side == ENGINE_BUY ? ENGINE_SELL : ENGINE_BUY,
			      dec_zero(), false};
	px_margin_positions(r->px, r->acct, sum_pos, &c);
	if (!c.found)
		return srs_fail(r, "EOrder:Reduce only:No position exists");
	pl->qty = c.open;
	pl->eflags |= ENGINE_F_REDUCE_ONLY;
	return 0;
}

static int parse_prices(struct srs *r, struct order_in *o)
{
	struct px_place *pl = &o->pl;
	bool h1, h2;
	if (price_param(r, "price", &o->req_price, &h1) < 0 ||
	    price_param(r, "price2", &o->req_price2, &h2) < 0)
		return -1;
	enum engine_type t = pl->type;
	bool needs1 = t != ENGINE_T_MARKET;
	bool needs2 = t == ENGINE_T_STOP_LOSS_LIMIT || t == ENGINE_T_TAKE_PROFIT_LIMIT ||
		      t == ENGINE_T_TRAILING_STOP_LIMIT;
	if (needs1 && !h1)
		return srs_fail_arg(r, "price");
	if (needs2 && !h2)
		return srs_fail_arg(r, "price2");
	bool trailing = t == ENGINE_T_TRAILING_STOP || t == ENGINE_T_TRAILING_STOP_LIMIT;
	if (trailing && o->req_price.mode != PX_P_PLUS)
		return srs_fail_arg(r, "price");
	if (t == ENGINE_T_TRAILING_STOP_LIMIT && o->req_price2.mode != PX_P_PLUS &&
	    o->req_price2.mode != PX_P_MINUS)
		return srs_fail_arg(r, "price2");
	if (t == ENGINE_T_MARKET)
		return 0;
	px_spot_prices(t, &o->req_price, needs2 ? &o->req_price2 : NULL, &pl->price, &pl->trigger,
		       &pl->trail, &pl->limit_off);
	return 0;
}

/* Every AddOrder parameter; pair_in forces the pair (batch entries). */
static int parse_order(struct srs *r, const struct px_instr *pair_in, struct order_in *o)
{
	struct px_place *pl = &o->pl;
	memset(o, 0, sizeof *o);
	pl->account = r->acct;
	pl->instr = pair_in ? pair_in : srs_pair(r, srs_param(r, "pair"));
	if (!pl->instr)
		return -1;
	const char *side = srs_param(r, "type"), *otype = srs_param(r, "ordertype");
	if (!side || (strcmp(side, "buy") && strcmp(side, "sell")))
		return srs_fail_arg(r, "type");
	pl->side = side[0] == 'b' ? ENGINE_BUY : ENGINE_SELL;
	bool settle = otype && strcmp(otype, "settle-position") == 0;
	if (!otype || (!settle && srs_type_parse(otype, &pl->type) < 0))
		return srs_fail_arg(r, "ordertype");
	if (settle)
		pl->type = ENGINE_T_MARKET;
	bool reduce;
	int64_t userref = 0;
	bool has_ref;
	const char *trig = srs_param(r, "trigger"), *stp = srs_param(r, "stptype");
	if (srs_dec(r, "volume", true, &pl->qty, NULL) < 0)
		return -1;
	if (dec_sign(pl->qty) < 0)
		return srs_fail_arg(r, "volume");
	if (parse_prices(r, o) < 0)
		return -1;
	if (srs_dec(r, "displayvol", pl->type == ENGINE_T_ICEBERG, &pl->display, NULL) < 0)
		return -1;
	if (pl->type != ENGINE_T_ICEBERG && dec_sign(pl->display))
		return srs_fail_arg(r, "displayvol");
	if (trig && strcmp(trig, "last") && strcmp(trig, "index"))
		return srs_fail_arg(r, "trigger");
	pl->trigger_ref = trig && strcmp(trig, "index") == 0 ? ENGINE_REF_INDEX : ENGINE_REF_LAST;
	if (stp && strcmp(stp, "cancel-newest") && strcmp(stp, "cancel-oldest") &&
	    strcmp(stp, "cancel-both"))
		return srs_fail_arg(r, "stptype");
	pl->stp = !stp || strcmp(stp, "cancel-newest") == 0 ? ENGINE_STP_CANCEL_NEWEST
		  : strcmp(stp, "cancel-oldest") == 0	    ? ENGINE_STP_CANCEL_OLDEST
							    : ENGINE_STP_CANCEL_BOTH;
	if (parse_oflags(r, pl) < 0 || parse_tif(r, pl) < 0 || parse_leverage(r, &pl->leverage) < 0 ||
	    srs_bool(r, "reduce_only", false, &reduce) < 0 ||
	    srs_int(r, "userref", INT32_MIN, INT32_MAX, &userref, &has_ref) < 0 ||
	    parse_close(r, pl) < 0 || parse_deadline(r, &pl->deadline_ns) < 0 ||
	    srs_bool(r, "validate", false, &o->validate) < 0)
		return -1;
	if (reduce)
		pl->eflags |= ENGINE_F_REDUCE_ONLY;
	pl->userref = (int32_t)userref;
	const char *cl = srs_param(r, "cl_ord_id");
	if (cl) {
		if (has_ref || !cl_ord_id_ok(cl))
			return srs_fail_arg(r, "cl_ord_id");
		snprintf(o->cl, sizeof o->cl, "%s", cl);
		pl->cl_ord_id = o->cl;
	}
	if (o->validate)
		pl->oflags |= PX_O_VALIDATE;
	if (settle && settle_position(r, pl) < 0)
		return -1;
	if (!settle && dec_is_zero(pl->qty) && close_volume(r, pl) < 0)
		return -1;
	return 0;
}

static void order_descr(const struct order_in *o, char *text, size_t cap, char *close,
			size_t ccap)
{
	const struct px_place *pl = &o->pl;
	struct srs_descr d = {pl->instr, pl->side, pl->type, pl->qty, pl->price,
			      pl->trigger, pl->trail, pl->limit_off, pl->leverage};
	srs_descr_text(&d, text, cap);
	srs_close_text(pl->instr, &pl->close, close, ccap);
}

static void w_descr(struct jw *w, const char *text, const char *close)
{
	jw_key(w, "descr");
	jw_obj_begin(w);
	jw_key(w, "order");
	jw_str(w, text);
	if (close && close[0]) {
		jw_key(w, "close");
		jw_str(w, close);
	}
	jw_obj_end(w);
}

/* Place a parsed order; fills id (empty for validate). -1 with r->error set. */
static int place(struct srs *r, struct order_in *o, char id[PX_ID_MAX])
{
	struct px_result res;
	struct kerr e = KERR_INIT;
	id[0] = '\0';
	if (market_mode(r, (o->pl.eflags & ENGINE_F_POST_ONLY) != 0) < 0)
		return -1;
	if (px_place(r->px, &o->pl, &res, &e) < 0)
		return srs_fail_px(r, &e);
	if (o->validate)
		return 0;
	/* A post-only order that would have taken liquidity never rests. */
	if (res.reason == ENGINE_R_POST_ONLY && res.status == ENGINE_S_CANCELLED)
		return srs_fail(r, "EOrder:Post only order");
	snprintf(id, PX_ID_MAX, "%s", res.id);
	return 0;
}

int srs_h_add_order(struct srs *r)
{
	struct order_in o;
	char id[PX_ID_MAX], text[256], close[256];
	if (parse_order(r, NULL, &o) < 0 || place(r, &o, id) < 0)
		return -1;
	order_descr(&o, text, sizeof text, close, sizeof close);
	jw_obj_begin(&r->w);
	w_descr(&r->w, text, close);
	if (id[0]) {
		jw_key(&r->w, "txid");
		jw_arr_begin(&r->w);
		jw_str(&r->w, id);
		jw_arr_end(&r->w);
	}
	jw_obj_end(&r->w);
	return 0;
}

int srs_h_add_order_batch(struct srs *r)
{
	const struct jdoc *d = &r->doc;
	size_t n = jtok_size(d, r->orders_tok);
	if (r->orders_tok < 0 || n < 2 || n > 15)
		return srs_fail_arg(r, "orders");
	const struct px_instr *in = srs_pair(r, srs_param(r, "pair"));
	int64_t deadline;
	bool validate;
	if (!in || parse_deadline(r, &deadline) < 0 || srs_bool(r, "validate", false, &validate) < 0)
		return -1;
	if (deadline && deadline < px_now(r->px))
		return srs_fail(r, "EService:Deadline elapsed");
	/* The whole batch is checked before anything is placed. */
	struct order_in *o = xcalloc(n, sizeof *o);
	size_t i = 0;
	for (int e = jfirst(d, r->orders_tok); e >= 0; e = jnext(d, r->orders_tok, e), i++) {
		struct srs sub;
		memset(&sub, 0, sizeof sub);
		sub.p = r->p;
		sub.px = r->px;
		sub.req = r->req;
		sub.acct = r->acct;
		int rc = srs_params_obj(&sub, d, e) < 0 ? srs_fail(&sub, "EGeneral:Invalid arguments")
							: parse_order(&sub, in, &o[i]);
		srs_params_free(&sub);
		if (rc < 0) {
			srs_fail(r, sub.error);
			free(o);
			return -1;
		}
		if (validate)
			o[i].pl.oflags |= PX_O_VALIDATE, o[i].validate = true;
	}
	/* Nothing new in maintenance or cancel-only mode; post-only mode is
	 * decided per order. */
	if (r->p->faults.system != PAPER_SYS_POST_ONLY && market_mode(r, false) < 0) {
		free(o);
		return -1;
	}
	struct jw *w = &r->w;
	jw_obj_begin(w);
	jw_key(w, "orders");
	jw_arr_begin(w);
	for (i = 0; i < n; i++) {
		char id[PX_ID_MAX], text[256], close[256];
		r->error[0] = '\0';
		jw_obj_begin(w);
		if (place(r, &o[i], id) < 0) {
			jw_key(w, "error");
			jw_str(w, r->error);
		} else {
			order_descr(&o[i], text, sizeof text, close, sizeof close);
			if (id[0]) {
				jw_key(w, "txid");
				jw_str(w, id);
			}
			w_descr(w, text, close);
		}
		jw_obj_end(w);
	}
	r->error[0] = '\0';
	jw_arr_end(w);
	jw_obj_end(w);
	free(o);
	return 0;
}

/* The order an amend/edit/cancel names: txid or cl_ord_id, exactly one. */
static int target(struct srs *r, const char **id, const char **cl)
{
	*id = srs_param(r, "txid");
	*cl = srs_param(r, "cl_ord_id");
	if (!*id && !*cl)
		return srs_fail_arg(r, "txid");
	if (*id && *cl)
		return srs_fail_arg(r, "cl_ord_id");
	return 0;
}

int srs_h_amend_order(struct srs *r)
{
	struct px_amend a;
	memset(&a, 0, sizeof a);
	a.account = r->acct;
	a.product = PX_SPOT;
	bool has_qty, has_disp, has_lim, has_trig, post;
	if (target(r, &a.id, &a.cl_ord_id) < 0 ||
	    srs_dec(r, "order_qty", false, &a.qty, &has_qty) < 0 ||
	    srs_dec(r, "display_qty", false, &a.display, &has_disp) < 0 ||
	    price_param(r, "limit_price", &a.price, &has_lim) < 0 ||
	    price_param(r, "trigger_price", &a.trigger, &has_trig) < 0 ||
	    srs_bool(r, "post_only", false, &post) < 0 || parse_deadline(r, &a.deadline_ns) < 0)
		return -1;
	if (has_qty && dec_sign(a.qty) <= 0)
		return srs_fail_arg(r, "order_qty");
	if (has_disp && dec_sign(a.display) <= 0)
		return srs_fail_arg(r, "display_qty");
	a.fields = (has_qty ? ENGINE_AM_QTY : 0) | (has_disp ? ENGINE_AM_DISPLAY : 0) |
		   (has_lim ? ENGINE_AM_PRICE : 0) | (has_trig ? ENGINE_AM_TRIGGER : 0) |
		   (post ? ENGINE_AM_POST_ONLY : 0);
	a.post_only = post;
	if (!(a.fields & ~ENGINE_AM_POST_ONLY))
		return srs_fail(r, "EGeneral:Invalid arguments");
	if (market_mode(r, true) < 0)
		return -1;
	struct px_result res;
	struct kerr e = KERR_INIT;
	if (px_amend(r->px, &a, &res, &e) < 0)
		return srs_fail_px(r, &e);
	jw_obj_begin(&r->w);
	jw_key(&r->w, "amend_id");
	jw_str(&r->w, res.amend_id);
	jw_obj_end(&r->w);
	return 0;
}

int srs_h_edit_order(struct srs *r)
{
	struct px_amend a;
	memset(&a, 0, sizeof a);
	a.account = r->acct;
	a.product = PX_SPOT;
	a.id = srs_param(r, "txid");
	if (!a.id)
		return srs_fail_arg(r, "txid");
	const struct px_instr *in = srs_pair(r, srs_param(r, "pair"));
	if (!in)
		return -1;
	const struct px_order *o = px_order_find(r->px, r->acct, a.id);
	if (!o || !px_order_is_open(o) || o->instr->product != PX_SPOT)
		return srs_fail(r, "EOrder:Unknown order");
	if (o->instr != in)
		return srs_fail_arg(r, "pair");
	struct px_price p1, p2;
	bool has_vol, has_disp, h1, h2, validate, dummy;
	int64_t userref;
	if (srs_dec(r, "volume", false, &a.qty, &has_vol) < 0 ||
	    srs_dec(r, "displayvol", false, &a.display, &has_disp) < 0 ||
	    price_param(r, "price", &p1, &h1) < 0 || price_param(r, "price2", &p2, &h2) < 0 ||
	    parse_deadline(r, &a.deadline_ns) < 0 || srs_bool(r, "validate", false, &validate) < 0 ||
	    srs_bool(r, "cancel_response", false, &dummy) < 0 ||
	    srs_int(r, "userref", INT32_MIN, INT32_MAX, &userref, &a.set_userref) < 0)
		return -1;
	const char *of = srs_param(r, "oflags");
	if (of && of[0] && strcmp(of, "post") != 0)
		return srs_fail_arg(r, "oflags");
	if (has_vol && dec_sign(a.qty) <= 0)
		return srs_fail_arg(r, "volume");
	a.userref = (int32_t)userref;
	struct px_price price, trig, trail, loff;
	px_spot_prices(o->type, h1 ? &p1 : NULL, h2 ? &p2 : NULL, &price, &trig, &trail, &loff);
	a.price = price, a.trigger = trig, a.trail = trail, a.limit_off = loff;
	a.fields = (has_vol ? ENGINE_AM_QTY : 0) | (has_disp ? ENGINE_AM_DISPLAY : 0) |
		   (price.mode ? ENGINE_AM_PRICE : 0) | (trig.mode ? ENGINE_AM_TRIGGER : 0) |
		   (trail.mode ? ENGINE_AM_TRAIL : 0) | (loff.mode ? ENGINE_AM_LIMIT_OFF : 0) |
		   (of && of[0] ? ENGINE_AM_POST_ONLY : 0);
	a.post_only = of && of[0];
	if (validate)
		a.oflags |= PX_O_VALIDATE;
	if (market_mode(r, a.post_only) < 0)
		return -1;
	char orig[PX_ID_MAX];
	snprintf(orig, sizeof orig, "%s", a.id);
	struct px_result res;
	struct kerr e = KERR_INIT;
	if (px_edit(r->px, &a, &res, &e) < 0)
		return srs_fail_px(r, &e);
	struct jw *w = &r->w;
	char text[256] = "";
	const struct px_order *nw = res.order;
	if (nw) {
		struct srs_descr d;
		srs_descr_of_order(nw, &d);
		srs_descr_text(&d, text, sizeof text);
	}
	jw_obj_begin(w);
	w_descr(w, text, NULL);
	if (!validate && res.id[0]) {
		jw_key(w, "txid");
		jw_str(w, res.id);
	}
	jw_key(w, "originaltxid");
	jw_str(w, orig);
	if (nw) {
		jw_key(w, "volume");
		srs_w_dec(w, nw->qty, in->qty_dp);
		jw_key(w, "price");
		srs_w_dec(w, nw->price, in->price_dp);
		jw_key(w, "price2");
		srs_w_dec(w, nw->trigger, in->price_dp);
	}
	jw_key(w, "orders_cancelled");
	jw_i64(w, validate ? 0 : 1);
	jw_key(w, "status");
	jw_str(w, "Ok");
	jw_obj_end(w);
	return 0;
}

static bool all_digits(const char *s)
{
	if (!*s || (*s == '-' && !*++s))
		return false;
	for (; *s; s++)
		if (!isdigit((unsigned char)*s))
			return false;
	return true;
}

/* An open spot order of the account by txid or client id, or NULL. */
static const struct px_order *open_spot(struct srs *r, const char *id, bool by_cl)
{
	const struct px_order *o = by_cl ? px_order_find_cl(r->px, r->acct, PX_SPOT, id)
					 : px_order_find(r->px, r->acct, id);
	return o && px_order_is_open(o) && o->instr->product == PX_SPOT ? o : NULL;
}

static void w_count(struct srs *r, int count, bool pending)
{
	jw_obj_begin(&r->w);
	jw_key(&r->w, "count");
	jw_i64(&r->w, count);
	if (pending) {
		jw_key(&r->w, "pending");
		jw_bool(&r->w, false);
	}
	jw_obj_end(&r->w);
}

int srs_h_cancel_order(struct srs *r)
{
	const char *id, *cl;
	if (target(r, &id, &cl) < 0 || cancels_allowed(r) < 0)
		return -1;
	struct kerr e = KERR_INIT;
	int count = 1;
	if (id && all_digits(id)) {
		/* a userref cancels every order carrying it */
		long long ref = strtoll(id, NULL, 10);
		if (ref < INT32_MIN || ref > INT32_MAX)
			return srs_fail_arg(r, "txid");
		count = px_cancel_userref(r->px, r->acct, (int32_t)ref, NULL, NULL);
		if (count == 0)
			return srs_fail(r, "EOrder:Unknown order");
	} else {
		const struct px_order *o = open_spot(r, id ? id : cl, cl != NULL);
		if (!o)
			return srs_fail(r, "EOrder:Unknown order");
		if (px_cancel(r->px, r->acct, o->id, &e) < 0)
			return srs_fail_px(r, &e);
	}
	w_count(r, count, true);
	return 0;
}

int srs_h_cancel_all(struct srs *r)
{
	if (cancels_allowed(r) < 0)
		return -1;
	int n = px_cancel_all(r->px, r->acct, PX_SPOT, NULL, ENGINE_R_CANCEL_ALL, NULL, NULL);
	w_count(r, n, false);
	return 0;
}

int srs_h_cancel_after(struct srs *r)
{
	int64_t timeout = 0, trig = 0;
	bool has;
	if (srs_int(r, "timeout", 0, 86399, &timeout, &has) < 0)
		return -1;
	if (!has)
		return srs_fail_arg(r, "timeout");
	struct kerr e = KERR_INIT;
	if (px_cancel_after(r->px, r->acct, PX_SPOT, timeout, &trig, &e) < 0)
		return srs_fail_px(r, &e);
	char now[KTIME_FMT_MAX], when[KTIME_FMT_MAX] = "0";
	ktime_fmt_rfc3339(px_now(r->px), 0, now, sizeof now);
	if (trig)
		ktime_fmt_rfc3339(trig, 0, when, sizeof when);
	jw_obj_begin(&r->w);
	jw_key(&r->w, "currentTime");
	jw_str(&r->w, now);
	jw_key(&r->w, "triggerTime");
	jw_str(&r->w, when);
	jw_obj_end(&r->w);
	return 0;
}

#define BATCH_MAX 50

/* Ids of a batch cancel: "orders" (strings or {"txid":..}) and "cl_ord_ids". */
static int batch_ids(struct srs *r, const struct px_order **out, size_t *n)
{
	*n = 0;
	const struct jdoc *d = &r->doc;
	char id[PX_ID_MAX + 8];
	if (r->orders_tok >= 0) {
		for (int e = jfirst(d, r->orders_tok); e >= 0; e = jnext(d, r->orders_tok, e)) {
			int t = jtok_is(d, e, J_OBJ) ? jobj_get(d, e, "txid") : e;
			if (!jtok_is(d, t, J_STR) || *n >= BATCH_MAX ||
			    jtok_str(d, t, id, sizeof id) >= sizeof id)
				return srs_fail_arg(r, "orders");
			if (!(out[(*n)++] = open_spot(r, id, false)))
				return srs_fail(r, "EOrder:Unknown order");
		}
	} else if (srs_param(r, "orders")) {
		char *copy = xstrdup(srs_param(r, "orders")), *items[BATCH_MAX + 1];
		size_t k = srs_split(copy, items, BATCH_MAX + 1);
		for (size_t i = 0; i < k; i++) {
			if (*n >= BATCH_MAX) {
				free(copy);
				return srs_fail_arg(r, "orders");
			}
			if (!(out[(*n)++] = open_spot(r, items[i], false))) {
				free(copy);
				return srs_fail(r, "EOrder:Unknown order");
			}
		}
		free(copy);
	}
	const char *cls = srs_param(r, "cl_ord_ids");
	if (cls) {
		char *copy = xstrdup(cls), *items[BATCH_MAX + 1];
		size_t k = srs_split(copy, items, BATCH_MAX + 1);
		for (size_t i = 0; i < k; i++) {
			if (*n >= BATCH_MAX) {
				free(copy);
				return srs_fail_arg(r, "cl_ord_ids");
			}
			if (!(out[(*n)++] = open_spot(r, items[i], true))) {
				free(copy);
				return srs_fail(r, "EOrder:Unknown order");
			}
		}
		free(copy);
	}
	return *n ? 0 : srs_fail_arg(r, "orders");
}

int srs_h_cancel_batch(struct srs *r)
{
	const struct px_order *orders[BATCH_MAX];
	size_t n;
	if (cancels_allowed(r) < 0 || batch_ids(r, orders, &n) < 0)
		return -1;
	/* Every id was checked: now cancel them (copy the ids first, as
	 * order pointers die with the next px change). */
	char ids[BATCH_MAX][PX_ID_MAX];
	for (size_t i = 0; i < n; i++)
		snprintf(ids[i], PX_ID_MAX, "%s", orders[i]->id);
	int count = 0;
	for (size_t i = 0; i < n; i++) {
		struct kerr e = KERR_INIT;
		if (px_cancel(r->px, r->acct, ids[i], &e) == 0)
			count++;
	}
	w_count(r, count, false);
	return 0;
}
