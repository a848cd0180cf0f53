/* ticket_fields: the order ticket's fields — which exist for a product,
 * which are shown for an order type, how they are read into an order
 * request (with parse errors beside the field) and written back from one. */
#include <stdio.h>
#include <string.h>

#include "base/clock.h"
#include "base/ktime.h"
#include "base/strutil.h"
#include "ui/form.h"
#include "ui/trade_int.h"
#include "ui/ui_int.h"

static const char *const side_names[] = {"buy", "sell"};
static const char *const spot_type_names[] = {"market",
                                              "limit",
                                              "iceberg",
                                              "stop-loss",
                                              "stop-loss-limit",
                                              "take-profit",
                                              "take-profit-limit",
                                              "trailing-stop",
                                              "trailing-stop-limit",
                                              "settle-position"};
static const enum order_type spot_types[] = {OT_MARKET,
                                             OT_LIMIT,
                                             OT_ICEBERG,
                                             OT_STOP,
                                             OT_STOP_LIMIT,
                                             OT_TAKE_PROFIT,
                                             OT_TAKE_PROFIT_LIMIT,
                                             OT_TRAILING_STOP,
                                             OT_TRAILING_STOP_LIMIT,
                                             OT_SETTLE_POSITION};
static const char *const fut_type_names[] = {"market",       "limit",       "stop",
                                             "stop-limit",   "take-profit", "take-profit-limit",
                                             "trailing-stop"};
static const enum order_type fut_types[] = {OT_MARKET,       OT_LIMIT,       OT_STOP,
                                            OT_STOP_LIMIT,   OT_TAKE_PROFIT, OT_TAKE_PROFIT_LIMIT,
                                            OT_TRAILING_STOP};
static const char *const spot_tif_names[] = {"GTC", "IOC", "GTD"};
static const enum tif spot_tifs[] = {TIF_GTC, TIF_IOC, TIF_GTD};
static const char *const fut_tif_names[] = {"GTC", "IOC", "FOK"};
static const enum tif fut_tifs[] = {TIF_GTC, TIF_IOC, TIF_FOK};
static const char *const spot_sig_names[] = {"last", "index"};
static const enum trigger_signal spot_sigs[] = {TRIG_LAST, TRIG_INDEX};
static const char *const fut_sig_names[] = {"mark", "last", "index"};
static const enum trigger_signal fut_sigs[] = {TRIG_MARK, TRIG_LAST, TRIG_INDEX};
static const char *const close_names[] = {
        "none", "limit", "stop-loss", "stop-loss-limit", "take-profit", "take-profit-limit"};
static const enum order_type close_types[] = {OT_MARKET,     OT_LIMIT,       OT_STOP,
                                              OT_STOP_LIMIT, OT_TAKE_PROFIT, OT_TAKE_PROFIT_LIMIT};

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

static struct field *choice(struct form *f, int id, const char *label, const char *const *names,
                            int n)
{
	struct field *fl = form_add(f, id, label, FK_CHOICE);
	fl->choices = names;
	fl->nchoices = n;
	return fl;
}

/* Spot margin: "none" and the union of the pair's buy and sell leverages. */
static void leverage_choices(struct ticket *tk, const struct instrument *in)
{
	tk->nlev = 0;
	snprintf(tk->lev_text[0], sizeof tk->lev_text[0], "none");
	tk->levs[tk->nlev++] = 0;
	for (int k = 0; k < 2; k++) {
		const uint8_t *o = k == 0 ? in->leverage_buy : in->leverage_sell;
		for (int i = 0; i < LEVERAGE_OPTS_MAX && o[i]; i++) {
			bool dup = false;
			for (int j = 0; j < tk->nlev; j++)
				dup |= tk->levs[j] == o[i];
			if (dup)
				continue;
			snprintf(tk->lev_text[tk->nlev], sizeof tk->lev_text[0], "%dx", o[i]);
			tk->levs[tk->nlev++] = o[i];
		}
	}
	for (int i = 0; i < tk->nlev; i++)
		tk->lev_names[i] = tk->lev_text[i];
}

void ticket_build(struct form *f, struct ticket *tk, const struct instrument *in)
{
	bool spot = in->product == PRODUCT_SPOT;
	tk->product = in->product;
	tk->ntypes = spot ? N(spot_types) : N(fut_types);
	memcpy(tk->types, spot ? spot_types : fut_types, sizeof tk->types[0] * (size_t)tk->ntypes);
	tk->ntif = 3;
	memcpy(tk->tifs, spot ? spot_tifs : fut_tifs, sizeof tk->tifs);
	tk->nsig = spot ? N(spot_sigs) : N(fut_sigs);
	memcpy(tk->sigs, spot ? spot_sigs : fut_sigs, sizeof tk->sigs[0] * (size_t)tk->nsig);
	snprintf(tk->unit_text[0], sizeof tk->unit_text[0], "%s", in->base);
	snprintf(tk->unit_text[1], sizeof tk->unit_text[1], "%s", in->quote);
	tk->unit_names[0] = tk->unit_text[0];
	tk->unit_names[1] = tk->unit_text[1];
	leverage_choices(tk, in);

	struct field *fl = form_add(f, TF_INSTR, "Instrument", FK_TEXT);
	snprintf(fl->text, sizeof fl->text, "%s  (%s)", in->id, product_name(in->product));
	fl->readonly = true;
	choice(f, TF_SIDE, "Side", side_names, 2);
	choice(f, TF_TYPE, "Type", spot ? spot_type_names : fut_type_names, tk->ntypes);
	form_add(f, TF_SIZE, "Size", FK_TEXT);
	choice(f, TF_UNIT, "Size in", tk->unit_names, 2);
	form_add(f, TF_LIMIT, "Limit price", FK_TEXT);
	form_add(f, TF_TRIGGER, "Trigger price", FK_TEXT);
	form_add(f, TF_TRAIL, "Trail offset", FK_TEXT);
	form_add(f, TF_TRAIL_LIMIT, "Limit offset", FK_TEXT);
	form_add(f, TF_DISPLAY, "Display size", FK_TEXT);
	choice(f, TF_SIGNAL, "Trigger on", spot ? spot_sig_names : fut_sig_names, tk->nsig);
	choice(f, TF_LEVERAGE, "Leverage", tk->lev_names, tk->nlev);
	form_add(f, TF_REDUCE, "Reduce-only", FK_BOOL);
	form_add(f, TF_POST, "Post-only", FK_BOOL);
	choice(f, TF_TIF, "Time in force", spot ? spot_tif_names : fut_tif_names, 3);
	form_add(f, TF_EXPIRE, "Expires", FK_TEXT);
	if (spot) {
		choice(f, TF_CLOSE, "Close", close_names, N(close_names));
		form_add(f, TF_CLOSE_PX, "Close price", FK_TEXT);
		form_add(f, TF_CLOSE_PX2, "Close limit", FK_TEXT);
	}
	f->sel = 1;
}

static enum order_type chosen_type(struct form *f, const struct ticket *tk)
{
	int c = form_choice(f, TF_TYPE);
	return c >= 0 && c < tk->ntypes ? tk->types[c] : OT_LIMIT;
}

static void show(struct form *f, int id, bool on)
{
	struct field *fl = form_field(f, id);
	if (fl)
		fl->hidden = !on;
}

void ticket_visibility(struct form *f, const struct ticket *tk)
{
	bool spot = tk->product == PRODUCT_SPOT;
	enum order_type t = chosen_type(f, tk);
	bool buy = form_choice(f, TF_SIDE) == 0;
	bool lev_shown = spot && tk->nlev > 1;
	bool margin = lev_shown && tk->levs[form_choice(f, TF_LEVERAGE)] > 0;
	show(f, TF_UNIT, spot && t == OT_MARKET && buy && !margin);
	show(f, TF_LIMIT, order_type_has_limit(t));
	show(f, TF_TRIGGER, order_type_has_trigger(t));
	show(f, TF_TRAIL, order_type_is_trailing(t));
	show(f, TF_TRAIL_LIMIT, t == OT_TRAILING_STOP_LIMIT);
	show(f, TF_DISPLAY, t == OT_ICEBERG);
	show(f, TF_SIGNAL, order_type_has_trigger(t) || order_type_is_trailing(t));
	show(f, TF_LEVERAGE, lev_shown);
	/* settle-position closes a margin position at market: it needs the
	 * position's leverage and nothing else (it reduces by its nature). */
	bool settle = t == OT_SETTLE_POSITION;
	show(f, TF_REDUCE, (!spot || margin) && !settle);
	show(f, TF_POST, t == OT_LIMIT || (spot && t == OT_ICEBERG));
	bool tif = spot ? t != OT_MARKET && !settle : t == OT_LIMIT;
	show(f, TF_TIF, tif);
	show(f, TF_EXPIRE, tif && spot && tk->tifs[form_choice(f, TF_TIF)] == TIF_GTD);
	if (spot) {
		show(f, TF_CLOSE, !settle);
		int c = settle ? 0 : form_choice(f, TF_CLOSE);
		show(f, TF_CLOSE_PX, c > 0);
		show(f, TF_CLOSE_PX2,
		     close_types[c] == OT_STOP_LIMIT || close_types[c] == OT_TAKE_PROFIT_LIMIT);
	}
}

static bool visible(struct form *f, int id)
{
	struct field *fl = form_field(f, id);
	return fl && !fl->hidden;
}

/* A visible decimal field: zero when empty or hidden; false on a parse error. */
static bool read_dec(struct form *f, int id, dec_t *out)
{
	*out = dec_zero();
	if (!visible(f, id))
		return true;
	const char *t = form_text(f, id);
	if (!t[0])
		return true;
	trade_parse_dec(f, id, out);
	return form_field(f, id)->error[0] == '\0';
}

/* An offset: a price difference, or a percentage when it ends in '%'. */
static bool read_offset(struct form *f, int id, dec_t *out, bool *pct)
{
	*out = dec_zero();
	*pct = false;
	if (!visible(f, id))
		return true;
	char t[FIELD_TEXT_MAX];
	snprintf(t, sizeof t, "%s", form_text(f, id));
	kt_str_trim(t);
	size_t n = strlen(t);
	if (n && t[n - 1] == '%') {
		*pct = true;
		t[--n] = '\0';
	}
	if (!n)
		return true;
	struct kerr err = KERR_INIT;
	if (dec_parse(t, n, out, &err) < 0) {
		form_set_error(f, id, "%s", err.msg);
		*out = dec_zero();
		return false;
	}
	return true;
}

/* GTD expiry: a duration from now ("30m", "2h", "1d") or a UTC time
 * ("2025-06-01 12:00", "2025-06-01T12:00:00Z"); unix seconds. */
static bool read_expiry(struct form *f, int64_t *out)
{
	*out = 0;
	if (!visible(f, TF_EXPIRE))
		return true;
	char t[FIELD_TEXT_MAX + 4];
	snprintf(t, sizeof t, "%s", form_text(f, TF_EXPIRE));
	kt_str_trim(t);
	if (!t[0])
		return true;
	int64_t ns;
	if (ktime_parse_duration(t, &ns, NULL) == 0) {
		*out = (int64_t)(kt_wall_ns() / KTIME_NS_PER_SEC) +
		       (ns + KTIME_NS_PER_SEC - 1) / KTIME_NS_PER_SEC;
		return true;
	}
	if (strlen(t) == 16) /* "YYYY-MM-DD HH:MM": seconds are optional */
		strcat(t, ":00");
	if (ktime_parse_rfc3339(t, (size_t)-1, &ns, NULL) == 0) {
		*out = ns / KTIME_NS_PER_SEC;
		return true;
	}
	form_set_error(f, TF_EXPIRE, "a duration (30m, 2h, 1d) or a UTC time (2025-06-01 12:00)");
	return false;
}

bool ticket_read(struct form *f, struct ticket *tk)
{
	struct order_req *r = &tk->req;
	int instr = tk->instr;
	memset(r, 0, sizeof *r);
	r->instr = instr;
	r->side = form_choice(f, TF_SIDE) == 0 ? SIDE_BUY : SIDE_SELL;
	r->type = chosen_type(f, tk);
	bool ok = read_dec(f, TF_SIZE, &r->qty);
	r->qty_in_quote = visible(f, TF_UNIT) && form_choice(f, TF_UNIT) == 1;
	ok &= read_dec(f, TF_LIMIT, &r->limit_price);
	ok &= read_dec(f, TF_TRIGGER, &r->trigger_price);
	ok &= read_offset(f, TF_TRAIL, &r->trail_offset, &r->trail_pct);
	ok &= read_offset(f, TF_TRAIL_LIMIT, &r->trail_limit_offset, &r->trail_limit_pct);
	ok &= read_dec(f, TF_DISPLAY, &r->display_qty);
	r->signal = visible(f, TF_SIGNAL) ? tk->sigs[form_choice(f, TF_SIGNAL)] : tk->sigs[0];
	r->leverage = visible(f, TF_LEVERAGE) ? tk->levs[form_choice(f, TF_LEVERAGE)] : 0;
	r->reduce_only = visible(f, TF_REDUCE) && form_on(f, TF_REDUCE);
	r->post_only = visible(f, TF_POST) && form_on(f, TF_POST);
	r->tif = visible(f, TF_TIF) ? tk->tifs[form_choice(f, TF_TIF)] : TIF_GTC;
	ok &= read_expiry(f, &r->expire_s);
	if (tk->product == PRODUCT_SPOT && visible(f, TF_CLOSE) && form_choice(f, TF_CLOSE) > 0) {
		r->close.set = true;
		r->close.type = close_types[form_choice(f, TF_CLOSE)];
		ok &= read_dec(f, TF_CLOSE_PX, &r->close.price);
		ok &= read_dec(f, TF_CLOSE_PX2, &r->close.price2);
	}
	return ok;
}

static void set_dec(struct form *f, int id, dec_t v, bool pct)
{
	if (dec_is_zero(v))
		return;
	char b[DEC_FMT_MAX + 1];
	dec_fmt(v, -1, b, sizeof b - 1);
	if (pct)
		strcat(b, "%");
	form_set_text(f, id, b);
}

static void set_choice(struct form *f, int id, int c)
{
	struct field *fl = form_field(f, id);
	if (fl && c >= 0 && c < fl->nchoices)
		fl->choice = c;
}

void ticket_fill(struct form *f, struct ticket *tk, const struct order_req *r)
{
	set_choice(f, TF_SIDE, r->side == SIDE_BUY ? 0 : 1);
	for (int i = 0; i < tk->ntypes; i++)
		if (tk->types[i] == r->type)
			set_choice(f, TF_TYPE, i);
	set_dec(f, TF_SIZE, r->qty, false);
	set_choice(f, TF_UNIT, r->qty_in_quote ? 1 : 0);
	set_dec(f, TF_LIMIT, r->limit_price, false);
	set_dec(f, TF_TRIGGER, r->trigger_price, false);
	set_dec(f, TF_TRAIL, r->trail_offset, r->trail_pct);
	set_dec(f, TF_TRAIL_LIMIT, r->trail_limit_offset, r->trail_limit_pct);
	set_dec(f, TF_DISPLAY, r->display_qty, false);
	for (int i = 0; i < tk->nsig; i++)
		if (tk->sigs[i] == r->signal)
			set_choice(f, TF_SIGNAL, i);
	for (int i = 0; i < tk->nlev; i++)
		if (tk->levs[i] == r->leverage)
			set_choice(f, TF_LEVERAGE, i);
	struct field *fl = form_field(f, TF_REDUCE);
	if (fl)
		fl->on = r->reduce_only;
	if ((fl = form_field(f, TF_POST)))
		fl->on = r->post_only;
	for (int i = 0; i < tk->ntif; i++)
		if (tk->tifs[i] == r->tif)
			set_choice(f, TF_TIF, i);
}

int ticket_field_of(const struct form *f, enum order_field of)
{
	static const int map[OF_FIELD_COUNT] = {
	        [OF_GENERAL] = TF_INSTR,      [OF_INSTRUMENT] = TF_INSTR,
	        [OF_TYPE] = TF_TYPE,          [OF_QTY] = TF_SIZE,
	        [OF_LIMIT] = TF_LIMIT,        [OF_TRIGGER] = TF_TRIGGER,
	        [OF_TRAIL] = TF_TRAIL,        [OF_TRAIL_LIMIT] = TF_TRAIL_LIMIT,
	        [OF_DISPLAY] = TF_DISPLAY,    [OF_TIF] = TF_TIF,
	        [OF_EXPIRE] = TF_EXPIRE,      [OF_LEVERAGE] = TF_LEVERAGE,
	        [OF_REDUCE_ONLY] = TF_REDUCE, [OF_POST_ONLY] = TF_POST,
	        [OF_CLOSE] = TF_CLOSE_PX,
	};
	int id = (unsigned)of < OF_FIELD_COUNT ? map[of] : TF_INSTR;
	for (int i = 0; i < f->n; i++)
		if (f->f[i].id == id)
			return f->f[i].hidden ? TF_INSTR : id;
	return TF_INSTR;
}

void ticket_check_type(const struct ticket *tk, struct order_check *chk)
{
	const struct order_req *r = &tk->req;
	if (r->type != OT_SETTLE_POSITION || r->leverage != 0 || chk->n >= ORDER_PROBLEMS_MAX)
		return;
	struct order_problem *p = &chk->p[chk->n++];
	memset(p, 0, sizeof *p);
	p->field = OF_LEVERAGE;
	snprintf(p->msg, sizeof p->msg,
	         "settle-position closes a margin position: choose its leverage");
}

int ticket_show_problems(struct form *f, const struct ticket *tk)
{
	int fixes = 0;
	for (int i = 0; i < tk->chk.n; i++) {
		const struct order_problem *p = &tk->chk.p[i];
		int id = ticket_field_of(f, p->field);
		struct field *fl = form_field(f, id);
		/* While typing, an empty field is not yet an error. */
		if (!tk->tried && fl && fl->kind == FK_TEXT && !fl->readonly && !fl->text[0])
			continue;
		if (p->has_fix) {
			char fx[DEC_FMT_MAX];
			dec_fmt(p->fix, -1, fx, sizeof fx);
			form_set_error(f, id, "%s grid: press r for %s",
			               p->field == OF_QTY ? "lot" : "tick", fx);
			fixes++;
		} else {
			form_set_error(f, id, "%s", p->msg);
		}
	}
	return fixes;
}
