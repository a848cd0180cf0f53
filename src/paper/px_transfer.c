/* px_transfer: moving money between the Spot wallet and the Futures wallets
 * (Spot WalletTransfer, Futures withdrawal, Futures transfer). Every transfer
 * moves exactly the amount on both sides or nothing at all, and leaves a Spot
 * ledger entry and/or Futures account-log entries with a shared reference. */
#include <ctype.h>
#include <string.h>

#include "paper/px_int.h"

static int amount_units(const struct px *px, int asset, dec_t amount, int64_t *u,
			struct kerr *err)
{
	if (asset < 0 || asset >= PX_A_COUNT)
		return kerr_set(err, PX_E_ASSET, "unknown asset");
	if (dec_sign(amount) <= 0)
		return kerr_set(err, PX_E_AMOUNT, "amount must be positive");
	if (px_units(amount, px->tab.assets[asset].decimals, u) < 0)
		return kerr_set(err, PX_E_AMOUNT, "amount has more than %d decimals",
				px->tab.assets[asset].decimals);
	return 0;
}

static struct pxacct *user(struct px *px, uint32_t acct, struct kerr *err)
{
	if (px_check_busy(px, err) < 0)
		return NULL;
	struct pxacct *a = acct ? px_acct(px, acct) : NULL;
	if (!a)
		kerr_set(err, PX_E_UNKNOWN_ACCOUNT, "unknown account");
	return a;
}

/* Balance of a futures wallet for an asset (NULL if the wallet cannot hold it). */
static int64_t *wallet_slot(struct pxacct *a, enum px_wallet w, int asset)
{
	switch (w) {
	case PX_W_CASH:
		return &a->cash[asset];
	case PX_W_FLEX:
		return &a->flex[asset];
	case PX_W_INVERSE:
		return asset == PX_A_XBT ? &a->inv_u : NULL;
	case PX_W_SPOT:
		return &a->bal[asset];
	}
	return NULL;
}

static const char *alog_account(enum px_wallet w)
{
	switch (w) {
	case PX_W_INVERSE:
		return "f-xbt:usd";
	case PX_W_CASH:
		return "cash";
	default:
		return "flex";
	}
}

static void alog_entry(struct px *px, struct pxacct *a, enum px_wallet w, int asset,
		       const char *info, int64_t old, int64_t now, const char *uid)
{
	struct px_alog *e = px_alog_new(px, a);
	const struct px_asset *as = &px->tab.assets[asset];
	snprintf(e->asset, sizeof e->asset, "%s", as->fut_code);
	for (char *c = e->asset; *c; c++)
		*c = (char)tolower((unsigned char)*c);
	snprintf(e->info, sizeof e->info, "%s", info);
	snprintf(e->booking_uid, sizeof e->booking_uid, "%s", uid);
	snprintf(e->margin_account, sizeof e->margin_account, "%s", alog_account(w));
	snprintf(e->collateral, sizeof e->collateral, "%s", as->fut_code);
	e->has = PX_AL_OLD_BALANCE | PX_AL_NEW_BALANCE;
	e->old_balance = px_dec(old, as->decimals);
	e->new_balance = px_dec(now, as->decimals);
	struct px_event ev = {.kind = PX_EV_ALOG, .ts_ns = px->now, .account = a->id};
	ev.alog = e;
	px_emit(px, &ev);
}

static void wallet_event(struct px *px, struct pxacct *a)
{
	struct px_event ev = {.kind = PX_EV_FUT_WALLET, .ts_ns = px->now, .account = a->id};
	px_emit(px, &ev);
}

/* Can `u` of `asset` leave the flex wallet without leaving negative available margin? */
static bool flex_can_release(struct px *px, struct pxacct *a, int asset, int64_t u)
{
	if (a->flex[asset] < u)
		return false;
	a->flex[asset] -= u;
	int64_t avail = px_fut_flex_available(px, a);
	a->flex[asset] += u;
	return avail >= 0;
}

int px_transfer_to_futures(struct px *px, uint32_t acct, int asset, dec_t amount,
			   char refid[PX_ID_MAX], struct kerr *err)
{
	struct pxacct *a = user(px, acct, err);
	int64_t u;
	if (!a || amount_units(px, asset, amount, &u, err) < 0)
		return -1;
	if (u > a->bal[asset] - a->hold[asset])
		return kerr_set(err, ENGINE_R_INSUFFICIENT_FUNDS, "insufficient funds");
	char ref[PX_ID_MAX], uid[PX_ID_MAX];
	px_gen_txid(px, 'B', ref);
	px_gen_uuid(px, uid);
	struct px_ledger *l = px_ledger_add(px, a, PX_L_TRANSFER, "spottofutures", asset, -u, 0, ref);
	int64_t old = a->flex[asset];
	a->flex[asset] += u;
	alog_entry(px, a, PX_W_FLEX, asset, "cross-exchange transfer", old, a->flex[asset], uid);
	px_emit_balance(px, a, asset, l);
	wallet_event(px, a);
	if (refid)
		snprintf(refid, PX_ID_MAX, "%s", ref);
	px_mark_dirty(px);
	return 0;
}

int px_fut_withdrawal(struct px *px, uint32_t acct, int asset, dec_t amount,
		      enum px_wallet source, char uid[PX_ID_MAX], struct kerr *err)
{
	struct pxacct *a = user(px, acct, err);
	int64_t u;
	if (!a || amount_units(px, asset, amount, &u, err) < 0)
		return -1;
	if (source != PX_W_FLEX && source != PX_W_CASH)
		return kerr_set(err, PX_E_WALLET, "sourceWallet must be cash or flex");
	int64_t *from = wallet_slot(a, source, asset);
	bool ok = source == PX_W_FLEX ? flex_can_release(px, a, asset, u) : *from >= u;
	if (!ok)
		return kerr_set(err, ENGINE_R_INSUFFICIENT_FUNDS, "insufficient funds");
	char id[PX_ID_MAX];
	px_gen_uuid(px, id);
	int64_t old = *from;
	*from -= u;
	alog_entry(px, a, source, asset, "cross-exchange transfer", old, *from, id);
	struct px_ledger *l = px_ledger_add(px, a, PX_L_TRANSFER, "spotfromfutures", asset, u, 0, id);
	px_emit_balance(px, a, asset, l);
	wallet_event(px, a);
	if (uid)
		snprintf(uid, PX_ID_MAX, "%s", id);
	px_mark_dirty(px);
	return 0;
}

int px_fut_transfer(struct px *px, uint32_t acct, enum px_wallet from, enum px_wallet to,
		    int asset, dec_t amount, char uid[PX_ID_MAX], struct kerr *err)
{
	struct pxacct *a = user(px, acct, err);
	int64_t u;
	if (!a || amount_units(px, asset, amount, &u, err) < 0)
		return -1;
	if (from == PX_W_SPOT || to == PX_W_SPOT || from == to)
		return kerr_set(err, PX_E_WALLET, "transfers are between cash, flex and fi_xbtusd");
	int64_t *src = wallet_slot(a, from, asset), *dst = wallet_slot(a, to, asset);
	if (!src || !dst)
		return kerr_set(err, PX_E_ASSET, "that wallet does not hold %s",
				px->tab.assets[asset].fut_code);
	bool ok = from == PX_W_FLEX ? flex_can_release(px, a, asset, u) : *src >= u;
	if (ok && from == PX_W_INVERSE) {
		/* the inverse account must keep its margin */
		struct px_fut_accounts fa;
		px_fut_accounts(px, a->id, &fa, NULL);
		int64_t af = 0;
		px_units(fa.inverse.af, px->tab.assets[PX_A_XBT].decimals, &af);
		ok = af >= u;
	}
	if (!ok)
		return kerr_set(err, ENGINE_R_INSUFFICIENT_FUNDS, "insufficient funds");
	char id[PX_ID_MAX];
	px_gen_uuid(px, id);
	int64_t s0 = *src, d0 = *dst;
	*src -= u;
	*dst += u;
	alog_entry(px, a, from, asset, "transfer", s0, *src, id);
	alog_entry(px, a, to, asset, "transfer", d0, *dst, id);
	wallet_event(px, a);
	if (uid)
		snprintf(uid, PX_ID_MAX, "%s", id);
	px_mark_dirty(px);
	return 0;
}
