/* fuzz_spot_rest: every Kraken Spot REST response decoder (kraken/spot_rest_codec.h)
 * on any body, as a hostile or broken server could send it.
 *
 * The body goes through spot_env_parse; when it carries a result, EVERY decoder
 * reads it (each looks for its own shape, so one input reaches all of them), and
 * whatever decodes is applied to a scratch state that holds the instruments of
 * tests/fixtures/spot_rest/asset_pairs.json, as the client would apply it.
 * Checks: no crash, no leak, no undefined behaviour; counts stay within what was
 * allocated. Seeds: tests/fixtures/spot_rest and tests/fuzz/corpus/spot_rest
 * (regressions). */
#include <stdlib.h>
#include <string.h>

#include "core/state.h"
#include "kraken/spot_rest_codec.h"
#include "tests/fuzz/fuzz.h"

const char *const fuzz_seeds[] = {"tests/fixtures/spot_rest", "tests/fuzz/corpus/spot_rest", NULL};

static struct spot_pair *pairs;
static size_t npairs;

/* The instruments every input is decoded against (decoded once). */
static void setup(void)
{
	size_t len;
	char *body = fuzz_read_src("tests/fixtures/spot_rest/asset_pairs.json", &len);
	struct jdoc d;
	struct spot_env env;
	jdoc_init(&d);
	if (spot_env_parse(&d, body, len, &env, NULL) != 0 ||
	    spot_dec_asset_pairs(&d, env.result, &pairs, &npairs, NULL) != 0)
		abort();
	jdoc_free(&d);
	free(body);
}

static void public_data(const struct jdoc *d, int res, struct state *st)
{
	struct spot_time tm;
	struct spot_system_status ss;
	(void)spot_dec_time(d, res, &tm, NULL);
	(void)spot_dec_system_status(d, res, &ss, NULL);

	struct spot_asset *as = NULL;
	size_t n = 0;
	if (spot_dec_assets(d, res, &as, &n, NULL) == 0)
		free(as);
	struct spot_pair *pp = NULL;
	if (spot_dec_asset_pairs(d, res, &pp, &n, NULL) == 0) {
		spot_apply_instruments(st, pp, n);
		free(pp);
	}
	struct spot_ticker_row *tr = NULL;
	if (spot_dec_ticker(d, res, &tr, &n, NULL) == 0) {
		(void)spot_apply_ticker(st, tr, n);
		free(tr);
	}
	struct spot_depth dp;
	memset(&dp, 0, sizeof dp);
	if (spot_dec_depth(d, res, &dp, NULL) == 0) {
		(void)spot_apply_depth(st, &dp, NULL);
		spot_depth_free(&dp);
	}
	struct spot_ohlc oh;
	memset(&oh, 0, sizeof oh);
	if (spot_dec_ohlc(d, res, &oh, NULL) == 0) {
		(void)spot_apply_ohlc(st, &oh, 1, NULL);
		(void)spot_apply_ohlc(st, &oh, 60, NULL);
		free(oh.c);
	}
	struct spot_trades tt;
	memset(&tt, 0, sizeof tt);
	if (spot_dec_trades(d, res, &tt, NULL) == 0) {
		(void)spot_apply_trades(st, &tt, NULL);
		free(tt.t);
	}
}

static void account_data(const struct jdoc *d, int res, struct state *st)
{
	size_t n = 0;
	int64_t count;
	struct balance *b = NULL;
	if (spot_dec_balance(d, res, &b, &n, NULL) == 0) {
		spot_apply_balances(st, b, n);
		free(b);
	}
	b = NULL;
	if (spot_dec_balance_ex(d, res, &b, &n, NULL) == 0) {
		spot_apply_balances(st, b, n);
		free(b);
	}
	struct spot_trade_balance tb;
	(void)spot_dec_trade_balance(d, res, &tb, NULL);

	struct order *o = NULL;
	char(*gone)[ORDER_ID_MAX] = NULL;
	size_t ngone = 0;
	if (spot_dec_open_orders(d, res, st, &o, &n, NULL) == 0) {
		spot_apply_orders(st, o, n, true, &gone, &ngone);
		free(gone);
		free(o);
	}
	o = NULL;
	if (spot_dec_closed_orders(d, res, st, &o, &n, &count, NULL) == 0) {
		spot_apply_orders(st, o, n, false, NULL, NULL);
		free(o);
	}
	o = NULL;
	if (spot_dec_query_orders(d, res, st, &o, &n, NULL) == 0) {
		spot_apply_orders(st, o, n, false, NULL, NULL);
		free(o);
	}
	struct fill *f = NULL;
	if (spot_dec_trades_history(d, res, st, &f, &n, &count, NULL) == 0) {
		spot_apply_fills(st, f, n);
		free(f);
	}
	f = NULL;
	if (spot_dec_query_trades(d, res, st, &f, &n, NULL) == 0) {
		spot_apply_fills(st, f, n);
		free(f);
	}
	struct position *pos = NULL;
	if (spot_dec_open_positions(d, res, st, &pos, &n, NULL) == 0) {
		spot_apply_positions(st, pos, n);
		free(pos);
	}
	struct spot_ledger *l = NULL;
	if (spot_dec_ledgers(d, res, &l, &n, &count, NULL) == 0) {
		spot_apply_ledgers(st, l, n);
		free(l);
	}
}

static void trading_replies(const struct jdoc *d, int res)
{
	struct spot_add_result ar, *arr = NULL;
	size_t n = 0;
	(void)spot_dec_add_order(d, res, &ar, NULL);
	if (spot_dec_add_order_batch(d, res, &arr, &n, NULL) == 0)
		free(arr);
	char buf[64];
	(void)spot_dec_amend(d, res, buf, sizeof buf, NULL);
	struct spot_edit_result er;
	(void)spot_dec_edit(d, res, &er, NULL);
	int count;
	bool pending;
	(void)spot_dec_cancel(d, res, &count, &pending, NULL);
	(void)spot_dec_cancel(d, res, &count, NULL, NULL);
	struct spot_cancel_after ca;
	(void)spot_dec_cancel_after(d, res, &ca, NULL);
	int expires;
	(void)spot_dec_ws_token(d, res, buf, sizeof buf, &expires, NULL);
	(void)spot_dec_wallet_transfer(d, res, buf, sizeof buf, NULL);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!pairs)
		setup();
	struct jdoc d;
	jdoc_init(&d);
	struct spot_env env;
	struct kerr err = KERR_INIT;
	int rc = spot_env_parse(&d, (const char *)data, size, &env, &err);
	if (rc >= 0 && env.result >= 0) {
		struct state st;
		state_init(&st);
		spot_apply_instruments(&st, pairs, npairs);
		public_data(&d, env.result, &st);
		account_data(&d, env.result, &st);
		trading_replies(&d, env.result);
		state_free(&st);
	}
	jdoc_free(&d);
	return 0;
}
