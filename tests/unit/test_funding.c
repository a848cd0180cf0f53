/* test_funding: perpetual funding follows the rule of paper/funding.h exactly.
 *
 * px runs by hand at a fixed clock (T0 = 2023-11-14T22:13:20Z; the next full
 * hour is 22:46:40 + ... = 1700002800 s). Premiums are set with
 * px_set_mark_index; funding_run samples them. The money moves through a test
 * adjust function made of existing px transfers (Spot <-> flex for USD,
 * flex <-> inverse for XBT), so balances and the account log can be checked:
 *   - rate for a period = clamp(average premium / 8, +-0.1%) x index
 *     (inverse: / index), published in tickers with the prediction and the next
 *     funding time;
 *   - each payment = -(size x rate) rounded half away from zero at the
 *     settlement decimals, longs paying a positive rate, shorts receiving it;
 *   - the account log has one "funding rate change" entry per payment whose
 *     realized_funding is the payment and whose new - old balance equals it;
 *   - the payments of several periods add up to the balance change;
 *   - the history keeps the rates that were in force, and survives the state
 *     file: saved (persist_save_user_funding), loaded (persist_load_funding) and
 *     put back before what a new funding object recorded since. */
#include <stdlib.h>

#include <unistd.h>

#include "paper/funding.h"
#include "paper/persist.h"
#include "tests/unit/test_px_util.h"

#define HOUR (3600LL * SEC)
#define NEXT (1700002800LL * SEC) /* first full hour after T0 */

static int adjust(struct px *px, uint32_t acct, enum px_wallet w, int asset, dec_t amount,
                  struct kerr *err)
{
	char id[PX_ID_MAX];
	dec_t a;
	dec_abs(amount, &a);
	bool credit = dec_sign(amount) > 0;
	if (w == PX_W_FLEX)
		return credit ? px_transfer_to_futures(px, acct, asset, a, id, err)
		              : px_fut_withdrawal(px, acct, asset, a, PX_W_FLEX, id, err);
	return credit ? px_fut_transfer(px, acct, PX_W_FLEX, PX_W_INVERSE, asset, a, id, err)
	              : px_fut_transfer(px, acct, PX_W_INVERSE, PX_W_FLEX, asset, a, id, err);
}

/* A position of `qty` for u (the market rests the other side at price). */
static void open_pos(struct px *px, uint32_t u, const struct px_instr *in, enum engine_side side,
                     const char *qty, const char *price)
{
	px_mkt_limit(px, in, side == ENGINE_BUY ? ENGINE_SELL : ENGINE_BUY, qty, price);
	struct px_place r = px_req(u, in, side, ENGINE_T_MARKET, qty, NULL);
	px_must_place(px, &r, NULL, NULL);
}

static void set_prices(struct px *px, const struct px_instr *in, const char *mark,
                       const char *index)
{
	dec_t m = D(mark), i = D(index);
	assert_int_equal(px_set_mark_index(px, in, &m, &i, NULL), 0);
}

static dec_t flex_usd(struct px *px, uint32_t u)
{
	struct px_fut_accounts fa;
	assert_int_equal(px_fut_accounts(px, u, &fa, NULL), 0);
	return fa.flex.cur[0].quantity; /* USD comes first */
}

struct logs {
	struct px_alog v[16];
	size_t n;
};

static void take_funding_log(void *arg, const struct px_alog *e)
{
	struct logs *l = arg;
	if (strcmp(e->info, "funding rate change") == 0 && l->n < 16)
		l->v[l->n++] = *e;
}

static struct logs funding_logs(struct px *px, uint32_t u)
{
	struct logs l = {.n = 0};
	struct px_filter f = px_filter_all(PX_FUTURES);
	f.ascending = true;
	px_alogs(px, u, &f, take_funding_log, &l);
	return l;
}

struct hist {
	struct funding_rate v[8];
	size_t n;
};

static void take_rate(void *arg, const struct funding_rate *r)
{
	struct hist *h = arg;
	if (h->n < 8)
		h->v[h->n++] = *r;
}

static void funding_amount_rule(void **state)
{
	(void)state;
	dec_t a;
	assert_int_equal(funding_amount(D("0.5"), D("7.5"), 4, &a), 0);
	assert_dec(a, "-3.75");
	assert_int_equal(funding_amount(D("-0.2"), D("7.5"), 4, &a), 0);
	assert_dec(a, "1.5");
	assert_int_equal(funding_amount(D("0.0001"), D("7.5"), 4, &a), 0);
	assert_dec(a, "-0.0008"); /* 0.00075: half away from zero */
	assert_int_equal(funding_amount(D("-0.0001"), D("7.5"), 4, &a), 0);
	assert_dec(a, "0.0008");
	assert_int_equal(funding_amount(D("0.0001"), D("-0.5"), 4, &a), 0);
	assert_dec(a, "0.0001"); /* 0.00005 -> 0.0001: a long receives a negative rate */
}

static void linear_rates_and_payments(void **state)
{
	(void)state;
	struct px *px = px_test_new();
	const struct px_instr *pf = I(px, "PF_XBTUSD");
	uint32_t lng = px_test_user(px, "100000", "10000");
	uint32_t sht = px_test_user(px, "100000", "10000");
	open_pos(px, lng, pf, ENGINE_BUY, "0.5", "60000");
	open_pos(px, sht, pf, ENGINE_SELL, "0.2", "60000");
	struct funding_opts fo = {.period_ns = HOUR, .align = true, .adjust = adjust};
	struct funding *f = funding_new(px, &fo);

	/* hour 1 (to NEXT): premium +0.1% */
	set_prices(px, pf, "60060", "60000");
	for (int64_t t = T0; t < NEXT; t += 60 * SEC) {
		px_tick(px, t);
		assert_int_equal(funding_run(f, t), 0);
	}
	assert_true(funding_next(f) == NEXT);
	struct px_ticker tk;
	assert_int_equal(px_ticker(px, pf, &tk), 0);
	assert_dec(tk.funding_rate, "0");                       /* nothing in force yet */
	assert_dec(tk.rel_funding_rate_prediction, "0.000125"); /* 0.001 / 8 */
	assert_dec(tk.funding_rate_prediction, "7.5");          /* x 60000 */
	assert_true(tk.next_funding_ns == NEXT);

	/* hour 2: the rate of hour 1's premium is in force; premium now +0.05% */
	set_prices(px, pf, "60030", "60000");
	px_tick(px, NEXT);
	assert_int_equal(funding_run(f, NEXT), 0); /* no rate was in force in hour 1 */
	assert_int_equal(px_ticker(px, pf, &tk), 0);
	assert_dec(tk.funding_rate, "7.5");
	assert_dec(tk.rel_funding_rate, "0.000125");
	assert_true(tk.next_funding_ns == NEXT + HOUR);
	dec_t l0 = flex_usd(px, lng), s0 = flex_usd(px, sht), d;
	for (int64_t t = NEXT + 60 * SEC; t < NEXT + HOUR; t += 60 * SEC)
		assert_int_equal(funding_run(f, t), 0);
	assert_int_equal(px_ticker(px, pf, &tk), 0);
	assert_dec(tk.rel_funding_rate_prediction, "0.0000625");

	/* end of hour 2: 7.5 is paid; hour 3's premium (+1.67%) is clamped to 0.1% */
	set_prices(px, pf, "61000", "60000");
	px_tick(px, NEXT + HOUR);
	assert_int_equal(funding_run(f, NEXT + HOUR), 2); /* both positions settle */
	dec_t l1 = flex_usd(px, lng);
	dec_sub(l1, l0, &d);
	assert_dec(d, "-3.75"); /* 0.5 x 7.5, the long pays */
	dec_sub(flex_usd(px, sht), s0, &d);
	assert_dec(d, "1.5"); /* 0.2 x 7.5, the short receives */
	struct logs lg = funding_logs(px, lng);
	assert_int_equal(lg.n, 1);
	assert_string_equal(lg.v[0].contract, "PF_XBTUSD");
	assert_string_equal(lg.v[0].asset, "usd");
	assert_string_equal(lg.v[0].margin_account, "flex");
	assert_dec(lg.v[0].funding_rate, "7.5");
	assert_dec(lg.v[0].realized_funding, "-3.75");
	assert_dec(lg.v[0].mark_price, "61000");
	assert_true(dec_eq(lg.v[0].old_balance, l0));
	assert_true(dec_eq(lg.v[0].new_balance, l1));
	assert_true(lg.v[0].has & PX_AL_REAL_FUNDING);
	assert_true(lg.v[0].ts_ns == NEXT + HOUR);
	for (int64_t t = NEXT + HOUR + 60 * SEC; t < NEXT + 2 * HOUR; t += 60 * SEC)
		funding_run(f, t);
	assert_int_equal(px_ticker(px, pf, &tk), 0);
	assert_dec(tk.funding_rate, "3.75"); /* 0.0005 / 8 x 60000, from hour 2 */
	assert_dec(tk.rel_funding_rate, "0.0000625");
	assert_dec(tk.rel_funding_rate_prediction, "0.001");
	px_tick(px, NEXT + 2 * HOUR);
	assert_int_equal(funding_run(f, NEXT + 2 * HOUR), 2); /* at 3.75 */
	px_tick(px, NEXT + 3 * HOUR);
	assert_int_equal(funding_run(f, NEXT + 3 * HOUR), 2); /* at 60, hour 3's clamp */

	/* the payments add up: -3.75 - 1.875 - 30 for the long, and the log agrees */
	dec_sub(flex_usd(px, lng), l0, &d);
	assert_dec(d, "-35.625");
	lg = funding_logs(px, lng);
	assert_int_equal(lg.n, 3);
	dec_t sum = dec_zero();
	for (size_t i = 0; i < lg.n; i++) {
		dec_t step;
		dec_sub(lg.v[i].new_balance, lg.v[i].old_balance, &step);
		assert_true(dec_eq(step, lg.v[i].realized_funding));
		dec_add(sum, lg.v[i].realized_funding, &sum);
		if (i)
			assert_true(dec_eq(lg.v[i].old_balance, lg.v[i - 1].new_balance));
	}
	assert_dec(sum, "-35.625");
	assert_dec(lg.v[1].funding_rate, "3.75");
	assert_dec(lg.v[2].funding_rate, "60");
	dec_sub(flex_usd(px, sht), s0, &d);
	assert_dec(d, "14.25"); /* 0.2 x (7.5 + 3.75 + 60) */

	/* the history: the rates in force, from NEXT on */
	struct hist h = {.n = 0};
	assert_int_equal(funding_history(f, pf, 0, take_rate, &h), 4);
	assert_true(h.v[0].ts_ns == NEXT);
	assert_dec(h.v[0].rate, "7.5");
	assert_dec(h.v[0].rel_rate, "0.000125");
	assert_dec(h.v[1].rate, "3.75");
	assert_dec(h.v[2].rate, "60");
	assert_dec(h.v[2].rel_rate, "0.001");
	assert_int_equal(funding_history(f, pf, NEXT + 2 * HOUR, NULL, NULL), 2);
	assert_int_equal(funding_history(f, I(px, "BTC/USD"), 0, NULL, NULL), 0);
	/* and the payment list */
	assert_int_equal(funding_payments(f, NULL, NULL), 6);
	funding_free(f);
	px_free(px);
}

/* PI_XBTUSD: rate = relative / index in XBT per 1-USD contract; 1000 contracts
 * long pay 1000 x 0.000125 / 60000 = 0.0000020833 XBT (10 decimals) from the
 * inverse account. */
static void inverse_payments(void **state)
{
	(void)state;
	struct px *px = px_test_new();
	const struct px_instr *pi = I(px, "PI_XBTUSD");
	struct px_account_init ai;
	memset(&ai, 0, sizeof ai);
	ai.fut_flex[PX_A_XBT] = D("2");
	uint32_t u = 0;
	assert_int_equal(px_account_create(px, &ai, &u, NULL), 0);
	char id[PX_ID_MAX];
	assert_int_equal(
	        px_fut_transfer(px, u, PX_W_FLEX, PX_W_INVERSE, PX_A_XBT, D("1"), id, NULL), 0);
	open_pos(px, u, pi, ENGINE_BUY, "1000", "60000");
	struct funding_opts fo = {.period_ns = HOUR, .align = true, .adjust = adjust};
	struct funding *f = funding_new(px, &fo);
	set_prices(px, pi, "60060", "60000");
	for (int64_t t = T0; t < NEXT; t += 60 * SEC)
		funding_run(f, t);
	funding_run(f, NEXT);
	struct px_ticker tk;
	assert_int_equal(px_ticker(px, pi, &tk), 0);
	assert_dec(tk.funding_rate, "0.000000002083333333");
	struct px_fut_accounts fa;
	assert_int_equal(px_fut_accounts(px, u, &fa, NULL), 0);
	dec_t b0 = fa.inverse.balance, d;
	assert_int_equal(funding_run(f, NEXT + HOUR), 1);
	assert_int_equal(px_fut_accounts(px, u, &fa, NULL), 0);
	dec_sub(fa.inverse.balance, b0, &d);
	assert_dec(d, "-0.0000020833");
	struct logs lg = funding_logs(px, u);
	assert_int_equal(lg.n, 1);
	assert_string_equal(lg.v[0].asset, "xbt");
	assert_string_equal(lg.v[0].margin_account, "f-xbt:usd");
	assert_dec(lg.v[0].realized_funding, "-0.0000020833");
	dec_sub(lg.v[0].new_balance, lg.v[0].old_balance, &d);
	assert_dec(d, "-0.0000020833");
	funding_free(f);
	px_free(px);
}

struct pays {
	struct funding_payment v[4];
	size_t n;
};

static void take_pay(void *arg, const struct funding_payment *p)
{
	struct pays *a = arg;
	if (a->n < 4)
		a->v[a->n++] = *p;
}

/* Without an adjust function (and without px_fut_adjust in px) payments are
 * computed and listed but nothing moves and nothing is logged; with it, px's
 * own function moves the money. Periods that are not aligned start at the
 * first run; the history keeps only history_keep rates. */
static void default_adjust_and_history(void **state)
{
	(void)state;
	struct px *px = px_test_new();
	const struct px_instr *pf = I(px, "PF_ETHUSD");
	uint32_t u = px_test_user(px, "10000", "10000");
	open_pos(px, u, pf, ENGINE_SELL, "2", "3000");
	struct funding_opts fo = {.period_ns = 60 * SEC, .history_keep = 3};
	struct funding *f = funding_new(px, &fo);
	set_prices(px, pf, "2997", "3000"); /* -0.1%: shorts pay */
	funding_run(f, T0);
	assert_true(funding_next(f) == T0 + 60 * SEC);
	dec_t b0 = flex_usd(px, u), d;
	for (int k = 1; k <= 5; k++)
		funding_run(f, T0 + k * 60 * SEC);
	struct pays ps = {.n = 0};
	assert_int_equal(funding_payments(f, take_pay, &ps), 4);
	/* rate -0.000125 x 3000 = -0.375; a short of 2 receives... no: pays 0.75 */
	assert_dec(ps.v[0].rate, "-0.375");
	assert_dec(ps.v[0].amount, "-0.75");
	assert_dec(ps.v[0].size, "-2");
	dec_sub(flex_usd(px, u), b0, &d);
#ifdef PX_FUT_ADJUST
	assert_true(ps.v[0].applied);
	assert_dec(d, "-3");
	assert_int_equal(funding_logs(px, u).n, 4);
#else
	assert_false(ps.v[0].applied);
	assert_dec(d, "0");
	assert_int_equal(funding_logs(px, u).n, 0);
#endif
	struct hist h = {.n = 0};
	assert_int_equal(funding_history(f, pf, 0, take_rate, &h), 3);
	assert_true(h.v[0].ts_ns == T0 + 3 * 60 * SEC);
	assert_true(h.v[2].ts_ns == T0 + 5 * 60 * SEC);
	funding_free(f);
	px_free(px);
}

static void history_survives_state_file(void **state)
{
	(void)state;
	struct px *px = px_test_new();
	const struct px_instr *pf = I(px, "PF_ETHUSD");
	struct funding_opts fo = {.period_ns = 60 * SEC, .history_keep = 5};
	struct funding *f = funding_new(px, &fo);
	set_prices(px, pf, "2997", "3000");
	for (int k = 0; k <= 4; k++)
		funding_run(f, T0 + k * 60 * SEC);
	assert_true(funding_history_gen(f) > 0);
	struct hist h = {.n = 0};
	assert_int_equal(funding_history(f, pf, 0, take_rate, &h), 4);
	struct funding_saved sv;
	memset(&sv, 0, sizeof sv);
	funding_save_history(f, &sv);
	assert_int_equal(sv.n[pf->id], 4);

	char path[256];
	const char *tmp = getenv("TMPDIR");
	snprintf(path, sizeof path, "%s/kt-funding-XXXXXX", tmp ? tmp : "/tmp");
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	struct kerr e = KERR_INIT;
	assert_int_equal(persist_save_user_funding(px, &sv, path, &e), 0);
	struct px_opts o;
	memset(&o, 0, sizeof o);
	o.now_ns = T0 + 300 * SEC;
	struct px *px2 = NULL;
	struct funding_saved sv2;
	memset(&sv2, 0, sizeof sv2);
	assert_int_equal(persist_load_funding(path, &o, &px2, &sv2, &e), 0);
	assert_int_equal(sv2.n[pf->id], 4);
	for (size_t k = 0; k < 4; k++) {
		assert_true(sv2.rates[pf->id][k].ts_ns == h.v[k].ts_ns);
		assert_true(dec_eq(sv2.rates[pf->id][k].rate, h.v[k].rate));
		assert_true(dec_eq(sv2.rates[pf->id][k].rel_rate, h.v[k].rel_rate));
	}

	/* a new funding object records two periods of its own, then gets the saved
	 * ones before them; it keeps its newest 5 */
	struct funding *f2 = funding_new(px2, &fo);
	for (int k = 5; k <= 7; k++)
		funding_run(f2, T0 + k * 60 * SEC);
	funding_restore_history(f2, &sv2);
	struct hist h2 = {.n = 0};
	assert_int_equal(funding_history(f2, pf, 0, take_rate, &h2), 5);
	assert_true(h2.v[0].ts_ns == h.v[1].ts_ns);
	assert_true(h2.v[2].ts_ns == h.v[3].ts_ns);
	assert_true(h2.v[3].ts_ns == T0 + 6 * 60 * SEC);
	assert_true(h2.v[4].ts_ns == T0 + 7 * 60 * SEC);

	/* a file without a funding history (persist_save) loads as none */
	assert_int_equal(persist_save(px, path, &e), 0);
	struct px *px3 = NULL;
	assert_int_equal(persist_load_funding(path, &o, &px3, &sv2, &e), 0);
	assert_int_equal(sv2.n[pf->id], 0);
	unlink(path);
	funding_saved_free(&sv);
	funding_saved_free(&sv2);
	funding_free(f);
	funding_free(f2);
	px_free(px);
	px_free(px2);
	px_free(px3);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(funding_amount_rule),
	        cmocka_unit_test(linear_rates_and_payments),
	        cmocka_unit_test(inverse_payments),
	        cmocka_unit_test(default_adjust_and_history),
	        cmocka_unit_test(history_survives_state_file),
	};
	return kt_run_tests(tests);
}
