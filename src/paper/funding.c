/* funding: perpetual funding rates, payments and history (funding.h). */
#include "paper/funding.h"

#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "base/uuid.h"
#include "base/xalloc.h"

#define PAY_KEEP         1000
#define PUBLISH_EVERY_NS 1000000000LL    /* predictions are refreshed once a second */
#define PPT              1000000000000LL /* premiums are sampled in 1e-12 */
#define RATE_DP          12              /* scale of relative and linear absolute rates */
#define INV_RATE_DP      18              /* inverse absolute rates (XBT per contract) */

struct finst {
	const struct px_instr *in; /* NULL: not a perpetual */
	__int128 prem_sum;         /* premiums of the running period, in 1e-12 */
	uint64_t nsamples;
	dec_t rel, rate; /* in force */
	struct funding_rate *hist;
	size_t hcap, hhead, hn;
};

struct funding {
	struct px *px;
	struct funding_opts o;
	funding_adjust_fn adjust;
	struct finst inst[PX_MAX_INSTR + 1];
	int64_t next_ns;
	int64_t published_ns;
	struct funding_payment pay[PAY_KEEP];
	size_t pay_head, pay_n;
	bool warned;
	uint64_t hist_gen; /* history entries ever pushed */
};

struct funding *funding_new(struct px *px, const struct funding_opts *o)
{
	struct funding *f = xcalloc(1, sizeof *f);
	f->px = px;
	if (o)
		f->o = *o;
	if (f->o.period_ns <= 0)
		f->o.period_ns = 3600LL * 1000000000LL;
	if (!f->o.history_keep)
		f->o.history_keep = 2000;
	f->adjust = f->o.adjust;
#ifdef PX_FUT_ADJUST
	if (!f->adjust)
		f->adjust = px_fut_adjust;
#endif
	const struct px_instruments *t = px_instruments(px);
	for (size_t i = 0; i < t->n; i++) {
		const struct px_instr *in = &t->instr[i];
		if (in->product != PX_FUTURES || !in->perpetual || in->id > PX_MAX_INSTR)
			continue;
		struct finst *fi = &f->inst[in->id];
		fi->in = in;
		fi->hcap = f->o.history_keep;
		fi->hist = xcalloc(fi->hcap, sizeof *fi->hist);
	}
	return f;
}

void funding_free(struct funding *f)
{
	if (!f)
		return;
	for (size_t i = 0; i <= PX_MAX_INSTR; i++)
		free(f->inst[i].hist);
	free(f);
}

int64_t funding_next(const struct funding *f)
{
	return f->next_ns;
}

int funding_amount(dec_t size, dec_t rate, int dp, dec_t *out)
{
	dec_t p;
	if (dec_mul(size, rate, (unsigned)dp, DEC_HALF_UP, &p) < 0)
		return -1;
	return dec_neg(p, out);
}

static int64_t units(dec_t v, int dp)
{
	int64_t u = 0;
	dec_t r;
	if (dec_rescale(v, (unsigned)dp, DEC_HALF_UP, &r) < 0 ||
	    dec_to_scaled(r, (unsigned)dp, &u) < 0)
		return 0;
	return u;
}

/* ---- rates ---- */

static void sample(struct funding *f, struct finst *fi)
{
	const struct px_instr *in = fi->in;
	int64_t m = units(px_ref_price(f->px, in, ENGINE_REF_MARK), in->price_dp);
	int64_t x = units(px_ref_price(f->px, in, ENGINE_REF_INDEX), in->price_dp);
	if (x <= 0 || m <= 0)
		return;
	fi->prem_sum += (__int128)(m - x) * PPT / x;
	fi->nsamples++;
}

/* Relative and absolute rates from the average premium of the samples so far. */
static void rates_of(const struct funding *f, const struct finst *fi, dec_t *rel, dec_t *rate)
{
	const struct px_instr *in = fi->in;
	*rel = dec_zero();
	*rate = dec_zero();
	if (!fi->nsamples)
		return;
	int64_t avg = (int64_t)(fi->prem_sum / (__int128)fi->nsamples);
	dec_t r;
	if (dec_sign(in->funding_coef) <= 0 ||
	    dec_div(dec_make(avg, RATE_DP), in->funding_coef, RATE_DP, DEC_HALF_EVEN, &r) < 0)
		return;
	dec_t lim = in->max_rel_funding, nlim;
	dec_neg(lim, &nlim);
	if (dec_sign(lim) > 0) {
		if (dec_gt(r, lim))
			r = lim;
		if (dec_lt(r, nlim))
			r = nlim;
	}
	*rel = dec_normalize(r);
	dec_t index = px_ref_price(f->px, in, ENGINE_REF_INDEX), a;
	if (dec_sign(index) <= 0)
		return;
	int ok = in->inverse ? dec_div(r, index, INV_RATE_DP, DEC_HALF_EVEN, &a)
	                     : dec_mul(r, index, RATE_DP, DEC_HALF_EVEN, &a);
	if (ok == 0)
		*rate = dec_normalize(a);
}

static void hist_push(struct finst *fi, int64_t ts, dec_t rate, dec_t rel)
{
	if (!fi->hcap)
		return;
	size_t i = (fi->hhead + fi->hn) % fi->hcap;
	if (fi->hn == fi->hcap)
		fi->hhead = (fi->hhead + 1) % fi->hcap;
	else
		fi->hn++;
	fi->hist[i] = (struct funding_rate){ts, rate, rel};
}

static void publish(struct funding *f, struct finst *fi)
{
	dec_t prel, prate;
	rates_of(f, fi, &prel, &prate);
	px_set_funding(f->px, fi->in, fi->rate, prate, fi->rel, prel, f->next_ns);
}

/* ---- payments ---- */

static dec_t wallet_balance(struct px *px, uint32_t acct, bool inverse)
{
	struct px_fut_accounts fa;
	if (px_fut_accounts(px, acct, &fa, NULL) < 0)
		return dec_zero();
	if (inverse)
		return fa.inverse.balance;
	for (size_t i = 0; i < fa.flex.ncur; i++)
		if (fa.flex.cur[i].asset == PX_A_USD)
			return fa.flex.cur[i].quantity;
	return dec_zero();
}

static struct funding_payment *pay_slot(struct funding *f)
{
	size_t i = (f->pay_head + f->pay_n) % PAY_KEEP;
	if (f->pay_n == PAY_KEEP)
		f->pay_head = (f->pay_head + 1) % PAY_KEEP;
	else
		f->pay_n++;
	memset(&f->pay[i], 0, sizeof f->pay[i]);
	return &f->pay[i];
}

static void log_entry(struct funding *f, struct funding_payment *p, dec_t mark)
{
	const struct px_instr *in = p->instr;
	struct px_alog e;
	memset(&e, 0, sizeof e);
	snprintf(e.asset, sizeof e.asset, "%s", in->inverse ? "xbt" : "usd");
	snprintf(e.info, sizeof e.info, "funding rate change");
	if (kt_uuid_v4(e.booking_uid) < 0)
		e.booking_uid[0] = '\0';
	snprintf(e.margin_account, sizeof e.margin_account, "%s",
	         in->inverse ? "f-xbt:usd" : "flex");
	snprintf(e.contract, sizeof e.contract, "%s", in->symbol);
	snprintf(e.collateral, sizeof e.collateral, "%s", in->inverse ? "XBT" : "USD");
	e.has = PX_AL_OLD_BALANCE | PX_AL_NEW_BALANCE | PX_AL_FUNDING_RATE | PX_AL_REAL_FUNDING |
	        PX_AL_MARK_PRICE;
	e.old_balance = p->old_balance;
	e.new_balance = p->new_balance;
	e.funding_rate = p->rate;
	e.realized_funding = p->amount;
	e.mark_price = mark;
	struct kerr err = KERR_INIT;
	if (px_alog_append(f->px, p->account, &e, &err) == 0)
		p->alog_id = e.id;
	else
		LOGW("funding: account log of %u not written: %s", p->account, err.msg);
}

static int pay_one(struct funding *f, struct finst *fi, uint32_t acct, int64_t ts)
{
	const struct px_instr *in = fi->in;
	struct px_fut_position pos;
	if (px_fut_position(f->px, acct, in, &pos) < 0 || dec_is_zero(pos.size))
		return 0;
	int dp = px_asset(f->px, in->settle_asset)->decimals;
	dec_t amount;
	if (funding_amount(pos.size, fi->rate, dp, &amount) < 0 || dec_is_zero(amount))
		return 0;
	struct funding_payment *p = pay_slot(f);
	p->account = acct;
	p->instr = in;
	p->ts_ns = ts;
	p->size = pos.size;
	p->rate = fi->rate;
	p->amount = amount;
	p->old_balance = wallet_balance(f->px, acct, in->inverse);
	p->new_balance = p->old_balance;
	if (!f->adjust) {
		if (!f->warned)
			LOGW("funding: px has no px_fut_adjust: payments are computed, not "
			     "applied");
		f->warned = true;
		return 1;
	}
	struct kerr err = KERR_INIT;
	if (f->adjust(f->px, acct, in->inverse ? PX_W_INVERSE : PX_W_FLEX, in->settle_asset, amount,
	              &err) < 0) {
		LOGW("funding: payment of %u in %s failed: %s", acct, in->symbol, err.msg);
		return 1;
	}
	p->applied = true;
	p->new_balance = wallet_balance(f->px, acct, in->inverse);
	log_entry(f, p, pos.mark_price);
	return 1;
}

/* The period ending at `end` is over: pay it, then set the next period's rate. */
static int settle(struct funding *f, struct finst *fi, int64_t end)
{
	int n = 0;
	if (!dec_is_zero(fi->rate)) {
		uint32_t users = px_account_count(f->px);
		for (uint32_t a = 1; a <= users; a++)
			n += pay_one(f, fi, a, end);
	}
	rates_of(f, fi, &fi->rel, &fi->rate);
	fi->prem_sum = 0;
	fi->nsamples = 0;
	hist_push(fi, end, fi->rate, fi->rel);
	f->hist_gen++;
	return n;
}

int funding_run(struct funding *f, int64_t now_ns)
{
	int64_t per = f->o.period_ns;
	if (!f->next_ns) {
		f->next_ns = f->o.align ? (now_ns / per + 1) * per : now_ns + per;
		f->published_ns = 0;
	}
	int n = 0;
	bool settled = false;
	while (now_ns >= f->next_ns) {
		for (size_t i = 0; i <= PX_MAX_INSTR; i++)
			if (f->inst[i].in)
				n += settle(f, &f->inst[i], f->next_ns);
		f->next_ns += per;
		settled = true;
	}
	bool pub = settled || now_ns - f->published_ns >= PUBLISH_EVERY_NS;
	for (size_t i = 0; i <= PX_MAX_INSTR; i++) {
		struct finst *fi = &f->inst[i];
		if (!fi->in)
			continue;
		sample(f, fi);
		if (pub)
			publish(f, fi);
	}
	if (pub)
		f->published_ns = now_ns;
	return n;
}

size_t funding_history(const struct funding *f, const struct px_instr *in, int64_t since_ns,
                       void (*fn)(void *arg, const struct funding_rate *r), void *arg)
{
	if (!f || !in || in->id > PX_MAX_INSTR || !f->inst[in->id].in)
		return 0;
	const struct finst *fi = &f->inst[in->id];
	size_t n = 0;
	for (size_t k = 0; k < fi->hn; k++) {
		const struct funding_rate *r = &fi->hist[(fi->hhead + k) % fi->hcap];
		if (r->ts_ns < since_ns)
			continue;
		if (fn)
			fn(arg, r);
		n++;
	}
	return n;
}

size_t funding_payments(const struct funding *f,
                        void (*fn)(void *arg, const struct funding_payment *p), void *arg)
{
	for (size_t k = 0; fn && k < f->pay_n; k++)
		fn(arg, &f->pay[(f->pay_head + k) % PAY_KEEP]);
	return f->pay_n;
}

/* ---- the history apart from a running funding object ---- */

uint64_t funding_history_gen(const struct funding *f)
{
	return f ? f->hist_gen : 0;
}

void funding_saved_free(struct funding_saved *s)
{
	if (!s)
		return;
	for (size_t i = 0; i <= PX_MAX_INSTR; i++)
		free(s->rates[i]);
	memset(s, 0, sizeof *s);
}

void funding_saved_add(struct funding_saved *s, uint32_t id, const struct funding_rate *r)
{
	if (id > PX_MAX_INSTR)
		return;
	s->rates[id] = xrealloc(s->rates[id], (s->n[id] + 1) * sizeof *s->rates[id]);
	s->rates[id][s->n[id]++] = *r;
}

static void add_to_saved(void *arg, const struct funding_rate *r)
{
	struct funding_saved *s = ((struct funding_saved **)arg)[0];
	const struct px_instr *in = ((const struct px_instr **)arg)[1];
	funding_saved_add(s, in->id, r);
}

void funding_save_history(const struct funding *f, struct funding_saved *s)
{
	funding_saved_free(s);
	for (uint32_t id = 0; id <= PX_MAX_INSTR; id++) {
		const struct finst *fi = &f->inst[id];
		if (!fi->in)
			continue;
		const void *arg[2] = {s, fi->in};
		funding_history(f, fi->in, INT64_MIN, add_to_saved, (void *)arg);
	}
}

void funding_restore_history(struct funding *f, const struct funding_saved *s)
{
	for (uint32_t id = 0; id <= PX_MAX_INSTR; id++) {
		struct finst *fi = &f->inst[id];
		if (!fi->in || !s->n[id] || !fi->hcap)
			continue;
		/* saved (older) entries first, then what this object recorded since */
		size_t n = fi->hn;
		struct funding_rate *mine = xcalloc(n ? n : 1, sizeof *mine);
		for (size_t k = 0; k < n; k++)
			mine[k] = fi->hist[(fi->hhead + k) % fi->hcap];
		fi->hhead = fi->hn = 0;
		for (size_t k = 0; k < s->n[id]; k++) {
			const struct funding_rate *r = &s->rates[id][k];
			if (!n || r->ts_ns < mine[0].ts_ns)
				hist_push(fi, r->ts_ns, r->rate, r->rel_rate);
		}
		for (size_t k = 0; k < n; k++)
			hist_push(fi, mine[k].ts_ns, mine[k].rate, mine[k].rel_rate);
		free(mine);
	}
}
