/* test_px_util: small helpers shared by the px unit tests (test_px_*.c): a
 * deterministic exchange (fixed clock and id seed), decimals from text, placing
 * orders for the market account and users, exact decimal assertions. */
#ifndef KT_TESTS_UNIT_TEST_PX_UTIL_H
#define KT_TESTS_UNIT_TEST_PX_UTIL_H

#include <stdio.h>
#include <string.h>

#include "base/dec.h"
#include "paper/px.h"
#include "tests/unit/unit.h"

#define T0 (1700000000LL * 1000000000LL) /* 2023-11-14T22:13:20Z */
#define SEC 1000000000LL

static inline dec_t D(const char *s)
{
	dec_t d = dec_zero();
	if (dec_parse(s, (size_t)-1, &d, NULL) < 0)
		fail_msg("bad decimal literal %s", s);
	return d;
}

/* assert a == text, by value ("1.50" equals "1.5") */
#define assert_dec(a, text)                                                                        \
	do {                                                                                       \
		dec_t a_ = (a);                                                                    \
		char b_[64];                                                                       \
		dec_fmt(a_, -1, b_, sizeof b_);                                                    \
		if (!dec_eq(a_, D(text)))                                                          \
			fail_msg("%s = %s, expected %s", #a, b_, text);                            \
	} while (0)

static inline struct px *px_test_new(void)
{
	struct px_opts o;
	memset(&o, 0, sizeof o);
	o.now_ns = T0;
	o.id_seed = 42;
	return px_new(&o);
}

/* A user with `usd` in the Spot wallet and `flex_usd` in the Futures flex wallet. */
static inline uint32_t px_test_user(struct px *px, const char *usd, const char *flex_usd)
{
	struct px_account_init in;
	memset(&in, 0, sizeof in);
	if (usd)
		in.spot[PX_A_USD] = D(usd);
	if (flex_usd)
		in.fut_flex[PX_A_USD] = D(flex_usd);
	uint32_t id = 0;
	assert_int_equal(px_account_create(px, &in, &id, NULL), 0);
	return id;
}

static inline const struct px_instr *I(struct px *px, const char *name)
{
	const struct px_instr *in = px_instr_find(px, -1, name);
	if (!in)
		fail_msg("no instrument %s", name);
	return in;
}

static inline struct px_place px_req(uint32_t acct, const struct px_instr *in, enum engine_side side,
				     enum engine_type type, const char *qty, const char *price)
{
	struct px_place r;
	memset(&r, 0, sizeof r);
	r.account = acct;
	r.instr = in;
	r.side = side;
	r.type = type;
	r.qty = D(qty);
	if (price)
		r.price = px_price_abs(D(price));
	return r;
}

/* Place and require success; returns the order id in `id` (may be NULL). */
static inline void px_must_place(struct px *px, const struct px_place *r, char *id,
				 struct px_result *res_out)
{
	struct px_result res;
	struct kerr e = KERR_INIT;
	if (px_place(px, r, &res, &e) < 0)
		fail_msg("px_place failed: %s (%s)", e.msg, px_code_str(e.code));
	if (id)
		snprintf(id, PX_ID_MAX, "%s", res.id);
	if (res_out)
		*res_out = res;
}

/* A resting limit order of the market account. */
static inline void px_mkt_limit(struct px *px, const struct px_instr *in, enum engine_side side,
				const char *qty, const char *price)
{
	struct px_place r = px_req(PX_MARKET, in, side, ENGINE_T_LIMIT, qty, price);
	px_must_place(px, &r, NULL, NULL);
}

static inline struct px_balance px_bal(struct px *px, uint32_t acct, int asset)
{
	struct px_balance b;
	assert_int_equal(px_spot_balance(px, acct, asset, &b), 0);
	return b;
}

#endif
