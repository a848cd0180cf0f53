/* fut_rest_srv_log: the history family's account-log
 * (/api/history/v3/account-log) of the paper Futures REST adapter: funding
 * payments, trades, transfers..., paged by time or id. Its replies have no
 * `result` member, as Kraken's history endpoints. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/strutil.h"
#include "paper/fut_rest_srv_int.h"

struct log_ctx {
	struct frs *c;
	const char *info; /* filter, or NULL */
	size_t left;      /* entries still wanted */
};

static void opt_dec(struct jw *w, const char *key, const struct px_alog *e, uint32_t bit, dec_t v)
{
	if (e->has & bit)
		frs_kd(w, key, v);
	else
		frs_knull(w, key);
}

static void opt_str(struct jw *w, const char *key, const char *v)
{
	if (v[0])
		frs_ks(w, key, v);
	else
		frs_knull(w, key);
}

static void log_entry(void *arg, const struct px_alog *e)
{
	struct log_ctx *lc = arg;
	if (!lc->left || (lc->info && strcmp(lc->info, e->info) != 0))
		return;
	lc->left--;
	struct jw *w = &lc->c->w;
	jw_obj_begin(w);
	frs_ks(w, "asset", e->asset);
	frs_ks(w, "booking_uid", e->booking_uid);
	opt_str(w, "collateral", e->collateral);
	opt_str(w, "contract", e->contract);
	frs_kt(w, "date", e->ts_ns);
	opt_str(w, "execution", e->execution);
	opt_dec(w, "fee", e, PX_AL_FEE, e->fee);
	opt_dec(w, "funding_rate", e, PX_AL_FUNDING_RATE, e->funding_rate);
	frs_ki(w, "id", (int64_t)e->id);
	frs_ks(w, "info", e->info);
	frs_ks(w, "margin_account", e->margin_account);
	opt_dec(w, "mark_price", e, PX_AL_MARK_PRICE, e->mark_price);
	opt_dec(w, "new_average_entry_price", e, PX_AL_NEW_ENTRY, e->new_avg_entry);
	frs_kd(w, "new_balance", e->new_balance);
	opt_dec(w, "old_average_entry_price", e, PX_AL_OLD_ENTRY, e->old_avg_entry);
	frs_kd(w, "old_balance", e->old_balance);
	opt_dec(w, "realized_funding", e, PX_AL_REAL_FUNDING, e->realized_funding);
	opt_dec(w, "realized_pnl", e, PX_AL_REALIZED_PNL, e->realized_pnl);
	opt_dec(w, "trade_price", e, PX_AL_TRADE_PRICE, e->trade_price);
	frs_knull(w, "conversion_spread_percentage");
	opt_dec(w, "liquidation_fee", e, PX_AL_LIQ_FEE, e->liquidation_fee);
	jw_obj_end(w);
}

/* A non-negative integer argument: 0 ok / 1 absent / -1 bad. */
static int uint_arg(const struct urlform *a, const char *key, uint64_t *out)
{
	const char *v = frs_arg(a, key);
	if (!v || !v[0])
		return 1;
	char *end;
	unsigned long long x = strtoull(v, &end, 10);
	if (*end || v[0] == '-')
		return -1;
	*out = x;
	return 0;
}

void frs_account_log(struct frs *c)
{
	struct px_filter f = px_filter_all(PX_FUTURES);
	uint64_t since = 0, before = 0, count = 500;
	const char *sort = frs_arg(&c->args, "sort");
	if (uint_arg(&c->args, "since", &since) < 0 || uint_arg(&c->args, "before", &before) < 0 ||
	    uint_arg(&c->args, "from", &f.from_id) < 0 || uint_arg(&c->args, "to", &f.to_id) < 0 ||
	    uint_arg(&c->args, "count", &count) < 0 || count == 0 ||
	    (sort && !kt_strieq(sort, "asc") && !kt_strieq(sort, "desc"))) {
		frs_error(c, "invalidArgument");
		return;
	}
	if (since)
		f.start_ns = (int64_t)since * 1000000 - 1; /* since is inclusive */
	if (before)
		f.end_ns = (int64_t)before * 1000000 - 1;
	f.ascending = sort && kt_strieq(sort, "asc");
	struct log_ctx lc = {c, frs_arg(&c->args, "info"), (size_t)count};
	if (lc.info && !lc.info[0])
		lc.info = NULL;
	if (!lc.info)
		f.limit = (size_t)count;
	char uid[40];
	snprintf(uid, sizeof uid, "00000000-0000-4000-8000-%012x", c->acct);
	sbuf_reset(&c->out);
	jw_init(&c->w, &c->out);
	jw_obj_begin(&c->w);
	frs_ks(&c->w, "accountUid", uid);
	jw_key(&c->w, "logs");
	jw_arr_begin(&c->w);
	px_alogs(c->px, c->acct, &f, log_entry, &lc);
	jw_arr_end(&c->w);
	frs_ok_end(c);
}
