/* liquidation: liquidation of futures positions past their threshold
 * (liquidation.h). */
#include "paper/liquidation.h"

#include <string.h>

#include "base/log.h"

/* The mark has reached the position's liquidation price. */
static bool past_price(const struct px_fut_position *p)
{
	if (!p->has_liq || dec_sign(p->liq_price) <= 0)
		return false;
	return dec_sign(p->size) > 0 ? dec_le(p->mark_price, p->liq_price)
	                             : dec_ge(p->mark_price, p->liq_price);
}

/* The account's cross equity is below its maintenance margin. */
static bool account_under(struct px *px, uint32_t acct, bool inverse)
{
	struct px_fut_accounts fa;
	if (px_fut_accounts(px, acct, &fa, NULL) < 0)
		return false;
	if (inverse)
		return dec_sign(fa.inverse.mm) > 0 && dec_lt(fa.inverse.pv, fa.inverse.mm);
	return dec_sign(fa.flex.maintenance_margin) > 0 &&
	       dec_lt(fa.flex.margin_equity, fa.flex.maintenance_margin);
}

bool liquidation_due(struct px *px, uint32_t acct, const struct px_fut_position *pos)
{
	if (dec_is_zero(pos->size))
		return false;
	if (past_price(pos))
		return true;
	return !pos->isolated && account_under(px, acct, pos->instr->inverse);
}

struct scan {
	struct px *px;
	uint32_t acct;
	const struct px_instr *only;
	struct px_fut_position due[PX_MAX_INSTR];
	size_t n, npos;
	bool cross_due, inverse_due;
};

/* First pass: which positions must go. A cross account goes whole. */
static void scan_pos(void *arg, const struct px_fut_position *p)
{
	struct scan *sc = arg;
	sc->npos++;
	if (past_price(p) && !p->isolated) {
		if (p->instr->inverse)
			sc->inverse_due = true;
		else
			sc->cross_due = true;
	}
}

static void pick_pos(void *arg, const struct px_fut_position *p)
{
	struct scan *sc = arg;
	if (sc->only && p->instr != sc->only)
		return;
	bool due = p->isolated         ? past_price(p)
	           : p->instr->inverse ? sc->inverse_due
	                               : sc->cross_due;
	if (due && sc->n < PX_MAX_INSTR)
		sc->due[sc->n++] = *p;
}

static int close_position(struct px *px, uint32_t acct, const struct px_fut_position *p,
                          struct liquidation_stats *st)
{
	const struct px_instr *in = p->instr;
	int c = px_cancel_all(px, acct, PX_FUTURES, in, ENGINE_R_CANCEL_ALL, NULL, NULL);
	if (c > 0)
		st->cancelled += (uint32_t)c;
	/* Nothing to trade with: wait rather than record an order that fills
	 * nothing every run (and a state-file write with each). */
	struct px_ticker t;
	bool sell = dec_sign(p->size) > 0;
	if (px_ticker(px, in, &t) < 0 || !(sell ? t.has_bid : t.has_ask)) {
		LOGD("liquidation: account %u %s: no liquidity, waiting", acct, in->symbol);
		st->waiting++;
		return 0;
	}
	struct px_place r;
	memset(&r, 0, sizeof r);
	r.account = acct;
	r.instr = in;
	r.side = sell ? ENGINE_SELL : ENGINE_BUY;
	r.type = ENGINE_T_MARKET;
	r.tif = ENGINE_IOC;
	r.eflags = ENGINE_F_REDUCE_ONLY | ENGINE_F_NO_MPP;
	r.oflags = PX_O_LIQUIDATION;
	dec_abs(p->size, &r.qty);
	struct px_result res;
	struct kerr e = KERR_INIT;
	if (px_place(px, &r, &res, &e) < 0) {
		st->failed++;
		LOGW("liquidation: account %u %s: order refused: %s", acct, in->symbol, e.msg);
		return 0;
	}
	char mk[DEC_FMT_MAX], lq[DEC_FMT_MAX], sz[DEC_FMT_MAX], fl[DEC_FMT_MAX];
	dec_fmt(p->mark_price, -1, mk, sizeof mk);
	dec_fmt(p->liq_price, -1, lq, sizeof lq);
	dec_fmt(p->size, -1, sz, sizeof sz);
	dec_fmt(res.filled, -1, fl, sizeof fl);
	/* an empty book makes this repeat every run: say it once it does something */
	if (dec_is_zero(res.filled))
		LOGD("liquidation: account %u %s: nothing filled", acct, in->symbol);
	else
		LOGI("liquidation: account %u %s size %s at mark %s (threshold %s): %s filled",
		     acct, in->symbol, sz, mk, p->has_liq ? lq : "-", fl);
	st->orders++;
	return 1;
}

int liquidation_run(struct px *px, const struct px_instr *instr, struct liquidation_stats *st)
{
	struct liquidation_stats local;
	if (!st)
		st = &local;
	memset(st, 0, sizeof *st);
	uint32_t users = px_account_count(px);
	int placed = 0;
	for (uint32_t a = 1; a <= users; a++) {
		struct scan sc;
		memset(&sc, 0, sizeof sc);
		sc.px = px;
		sc.acct = a;
		sc.only = instr;
		px_fut_positions(px, a, scan_pos, &sc);
		if (!sc.npos)
			continue;
		if (!sc.cross_due)
			sc.cross_due = account_under(px, a, false);
		if (!sc.inverse_due)
			sc.inverse_due = account_under(px, a, true);
		px_fut_positions(px, a, pick_pos, &sc);
		if (!sc.n)
			continue;
		st->accounts++;
		for (size_t i = 0; i < sc.n; i++)
			placed += close_position(px, a, &sc.due[i], st);
	}
	return placed;
}
