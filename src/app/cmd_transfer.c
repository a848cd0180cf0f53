/* cmd_transfer: `krakterm transfer ASSET AMOUNT FROM TO` — move funds between
 * the Spot wallet, the Futures (flex, multi-collateral) wallet and the Futures
 * cash wallet, showing both balances before and after and the exchange's
 * reference, journalled. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "app/cmd_util.h"
#include "core/state.h"
#include "kraken/symbols.h"

static int wallet_parse(const char *s, enum wallet *w)
{
	if (strcasecmp(s, "spot") == 0)
		*w = WALLET_SPOT;
	else if (strcasecmp(s, "futures") == 0 || strcasecmp(s, "flex") == 0)
		*w = WALLET_FUTURES_FLEX;
	else if (strcasecmp(s, "futures-cash") == 0 || strcasecmp(s, "cash") == 0)
		*w = WALLET_FUTURES_CASH;
	else
		return -1;
	return 0;
}

/* What a wallet holds of an asset (display code); zero when nothing. */
static dec_t wallet_amount(const struct state *st, enum wallet w, const char *asset)
{
	if (w == WALLET_SPOT) {
		const struct balance *b = state_balance(st, asset);
		return b ? b->total : dec_zero();
	}
	const struct collateral *list = w == WALLET_FUTURES_FLEX ? st->fut.cur : st->fut.cash;
	int n = w == WALLET_FUTURES_FLEX ? st->fut.ncur : st->fut.ncash;
	char want[ASSET_MAX], have[ASSET_MAX];
	kraken_asset_display(asset, want, sizeof want, NULL);
	for (int i = 0; i < n; i++)
		if (strcasecmp(kraken_asset_display(list[i].asset, have, sizeof have, NULL),
		               want) == 0)
			return list[i].quantity;
	return dec_zero();
}

static void print_result(struct cmd *c, const struct transfer_req *t, const char *ref,
                         const dec_t before[2], const dec_t after[2])
{
	const char *names[2] = {wallet_name(t->from), wallet_name(t->to)};
	char a[DEC_FMT_MAX], b[DEC_FMT_MAX];
	if (c->json) {
		struct cmd_json j;
		cmd_json_begin(&j);
		struct jw *w = &j.w;
		jw_obj_begin(w);
		jw_key(w, "ok");
		jw_bool(w, true);
		cmd_json_str(w, "asset", t->asset);
		cmd_json_dec(w, "amount", t->amount);
		cmd_json_str(w, "from", names[0]);
		cmd_json_str(w, "to", names[1]);
		cmd_json_str(w, "reference", ref[0] ? ref : NULL);
		const char *keys[2] = {"before", "after"};
		const dec_t *vals[2] = {before, after};
		for (int k = 0; k < 2; k++) {
			jw_key(w, keys[k]);
			jw_obj_begin(w);
			cmd_json_dec(w, "from", vals[k][0]);
			cmd_json_dec(w, "to", vals[k][1]);
			jw_obj_end(w);
		}
		jw_obj_end(w);
		cmd_json_print(c, &j);
		return;
	}
	fprintf(c->ctx->out, "transferred %s %s from %s to %s (reference %s)\n",
	        cmd_dec(t->amount, false, a), t->asset, names[0], names[1], ref[0] ? ref : "none");
	struct cmd_table tb;
	cmd_table_init(&tb, "llrr", "WALLET", "ASSET", "BEFORE", "AFTER", NULL);
	for (int i = 0; i < 2; i++)
		cmd_table_row(&tb, names[i], t->asset, cmd_dec(before[i], false, a),
		              cmd_dec(after[i], false, b));
	cmd_table_print(&tb, c->ctx->out, "  ");
	cmd_table_free(&tb);
}

static int transfer(struct cmd *c, struct transfer_req *t, bool yes)
{
	struct state *st = &c->be.st;
	dec_t before[2] = {wallet_amount(st, t->from, t->asset),
	                   wallet_amount(st, t->to, t->asset)};
	char amt[DEC_FMT_MAX], prompt[300];
	dec_fmt_trim(t->amount, amt, sizeof amt);
	snprintf(prompt, sizeof prompt, "Move %s %s from the %s wallet to the %s wallet?", amt,
	         t->asset, wallet_name(t->from), wallet_name(t->to));
	int rc = cmd_confirm(c, yes, prompt);
	if (rc)
		return rc;
	cmd_journal_add(c, "transfer", "move %s %s from %s to %s", amt, t->asset,
	                wallet_name(t->from), wallet_name(t->to));
	struct cmd_wait w = {0};
	struct kerr err = KERR_INIT;
	if (intent_transfer(st, t, cmd_wait_cb, &w, &err) < 0)
		return cmd_start_failed(c, &err);
	cmd_wait(c, &w);
	if (!w.done || w.res.status != INTENT_OK)
		return cmd_result_failed(c, &w, "the transfer");
	cmd_journal_add(c, "ack", "moved %s %s from %s to %s (reference %s)", amt, t->asset,
	                wallet_name(t->from), wallet_name(t->to),
	                w.res.ref[0] ? w.res.ref : "none");
	cmd_refresh(c);
	dec_t after[2] = {wallet_amount(st, t->from, t->asset), wallet_amount(st, t->to, t->asset)};
	print_result(c, t, w.res.ref, before, after);
	return APP_EXIT_OK;
}

int cmd_transfer(struct app_ctx *ctx, int argc, char **argv)
{
	struct cmd c;
	cmd_init(&c, ctx, "transfer");
	const char *pos[4];
	bool yes = false;
	const struct cmd_opt opts[] = {{"--yes", &yes, NULL}, {NULL, NULL, NULL}};
	struct transfer_req t;
	memset(&t, 0, sizeof t);
	int n = cmd_parse(&c, argc, argv, opts, pos, 4);
	if (n != 4 || cmd_parse_dec(&c, "AMOUNT", pos[1], true, &t.amount) < 0)
		return cmd_usage(
		        &c, "ASSET AMOUNT FROM TO [--yes] [--json]\n"
		            "       (FROM TO: spot futures | futures spot | futures-cash futures"
		            " | futures futures-cash)");
	if (wallet_parse(pos[2], &t.from) < 0 || wallet_parse(pos[3], &t.to) < 0) {
		fprintf(ctx->err,
		        "krakterm transfer: the wallets are spot, futures and futures-cash\n");
		return cmd_usage(&c, "ASSET AMOUNT FROM TO [--yes] [--json]");
	}
	bool supported = (t.from == WALLET_SPOT && t.to == WALLET_FUTURES_FLEX) ||
	                 (t.from != WALLET_SPOT && t.to == WALLET_SPOT) ||
	                 (t.from == WALLET_FUTURES_CASH && t.to == WALLET_FUTURES_FLEX) ||
	                 (t.from == WALLET_FUTURES_FLEX && t.to == WALLET_FUTURES_CASH);
	if (!supported)
		return cmd_fail(&c, APP_EXIT_USAGE, "Kraken has no transfer from %s to %s",
		                wallet_name(t.from), wallet_name(t.to));
	char up[ASSET_MAX];
	size_t i = 0;
	for (; pos[0][i] && i + 1 < sizeof up; i++)
		up[i] = (char)toupper((unsigned char)pos[0][i]);
	up[i] = '\0';
	kraken_asset_display(up, t.asset, sizeof t.asset, NULL);
	struct backend_opts o = {.need_keys = true};
	int rc = cmd_open(&c, &o, true);
	if (rc == 0)
		rc = transfer(&c, &t, yes);
	cmd_finish(&c);
	return rc;
}
