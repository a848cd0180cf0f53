/* errors: the Kraken error tables. */
#include "kraken/errors.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

static const struct kraken_err spot_errors[] = {
	{KE_AUTH, "EAPI:Invalid key",
	 "Kraken does not know this API key: check the key in your profile (it may have been deleted)"},
	{KE_AUTH, "EAPI:Invalid signature",
	 "Kraken rejected the request signature: the API secret does not belong to this key; copy it again"},
	{KE_NONCE, "EAPI:Invalid nonce",
	 "another program used this key with a higher nonce; use a separate key for krakterm or widen the key's nonce window"},
	{KE_AUTH, "EGeneral:Permission denied",
	 "this API key lacks the permission for that action; enable it in Kraken's API key settings"},
	{KE_AUTH, "EGeneral:Temporary lockout",
	 "Kraken locked this key out for a while after too many failures; wait, then retry"},
	{KE_AUTH, "EAPI:Feature disabled", "this feature is disabled for your account"},
	{KE_RATE_LIMIT, "EAPI:Rate limit exceeded",
	 "too many API calls: krakterm slows down and retries"},
	{KE_RATE_LIMIT, "EService:Throttled", "Kraken is throttling this key: retrying after the given time"},
	{KE_RATE_LIMIT, "EOrder:Rate limit exceeded",
	 "too many order actions on this pair: wait a few seconds before placing, amending or cancelling more"},
	{KE_REJECTED, "EOrder:Orders limit exceeded",
	 "you have the maximum number of open orders on this pair: cancel some first"},
	{KE_REJECTED, "EOrder:Positions limit exceeded", "the maximum number of open margin positions is reached"},
	{KE_UNAVAILABLE, "EService:Unavailable", "Kraken's service is unavailable: retrying shortly"},
	{KE_UNAVAILABLE, "EService:Busy", "Kraken is busy: retrying shortly"},
	{KE_UNAVAILABLE, "EService:Internal error", "Kraken reported an internal error: retrying shortly"},
	{KE_REJECTED, "EService:Market in cancel_only mode",
	 "the market only accepts cancellations right now"},
	{KE_REJECTED, "EService:Market in post_only mode",
	 "the market only accepts post-only limit orders right now"},
	{KE_REJECTED, "EService:Market in limit_only mode", "the market only accepts limit orders right now"},
	{KE_REJECTED, "EService:Deadline elapsed",
	 "the order reached Kraken after its deadline and was not placed"},
	{KE_REJECTED, "EGeneral:Invalid arguments", "Kraken rejected a parameter of the request"},
	{KE_REJECTED, "EGeneral:Unknown method", "Kraken does not know this API method"},
	{KE_REJECTED, "EGeneral:Internal error", "Kraken reported an internal error"},
	{KE_REJECTED, "EQuery:Unknown asset pair", "Kraken does not know this pair"},
	{KE_REJECTED, "EQuery:Unknown asset", "Kraken does not know this asset"},
	{KE_REJECTED, "EOrder:Insufficient funds",
	 "not enough available balance for this order: lower the size or move funds into the wallet"},
	{KE_REJECTED, "EOrder:Order minimum not met", "the order is smaller than the pair's minimum size"},
	{KE_REJECTED, "EOrder:Cost minimum not met", "the order's value is below the pair's minimum cost"},
	{KE_REJECTED, "EOrder:Tick size check failed", "the price is not a multiple of the pair's tick size"},
	{KE_REJECTED, "EOrder:Invalid price", "the price is not valid for this pair"},
	{KE_REJECTED, "EOrder:Invalid order", "Kraken rejected the order as invalid"},
	{KE_REJECTED, "EOrder:Unknown order", "no such order (it may have filled or been cancelled already)"},
	{KE_REJECTED, "EOrder:Margin level too low",
	 "the margin level is too low for this order: add collateral or reduce the size"},
	{KE_REJECTED, "EOrder:Margin allowance exceeded", "the margin allowance for this pair is used up"},
	{KE_REJECTED, "EOrder:Insufficient margin", "not enough margin for this order"},
	{KE_REJECTED, "EOrder:Reduce only:No position exists",
	 "reduce-only order refused: there is no position to reduce"},
	{KE_REJECTED, "EOrder:Reduce only:Non-PC", "reduce-only order refused"},
	{KE_REJECTED, "EOrder:Post only order", "the post-only order would have taken liquidity, so it was cancelled"},
	{KE_REJECTED, "EOrder:Scheduled orders limit exceeded", "too many scheduled orders"},
	{KE_REJECTED, "EOrder:Unknown position", "no such position"},
	{KE_REJECTED, "EFunding:Insufficient funds", "not enough funds in the source wallet for this transfer"},
	{KE_REJECTED, "EFunding:Unknown asset", "this asset cannot be transferred"},
	{KE_REJECTED, "EFunding:Invalid amount", "the transfer amount is not valid"},
	{KE_REJECTED, "EFunding:Too many transfer requests", "too many transfers: wait a moment"},
	{KE_REJECTED, "ETrade:Invalid request", "Kraken rejected the trade request"},
	{KE_AUTH, "ESession:Invalid session",
	 "the WebSocket session token is no longer valid: krakterm fetches a new one and reconnects"},
	{KE_REJECTED, "EOrder:Duplicate client order id",
	 "an open order already uses this client order id"},
};

/* Futures top-level error codes and order statuses. */
static const struct kraken_err fut_errors[] = {
	{KE_OK, "placed", "order placed"},
	{KE_OK, "partiallyFilled", "order placed and partly filled"},
	{KE_OK, "filled", "order filled"},
	{KE_OK, "cancelled", "order cancelled"},
	{KE_OK, "edited", "order amended"},
	{KE_OK, "noOrdersToCancel", "there were no orders to cancel"},
	{KE_AUTH, "authenticationError",
	 "Kraken Futures rejected the key or signature: check the futures key and secret in your profile"},
	{KE_AUTH, "accountInactive", "the futures account is inactive"},
	{KE_AUTH, "invalidAccount", "no such futures account"},
	{KE_RATE_LIMIT, "apiLimitExceeded", "too many futures API calls: krakterm slows down and retries"},
	{KE_NONCE, "nonceBelowThreshold",
	 "another program used this futures key with a higher nonce; use a separate key for krakterm"},
	{KE_NONCE, "nonceDuplicate", "a nonce was reused with this futures key; use a separate key for krakterm"},
	{KE_UNAVAILABLE, "Unavailable", "Kraken Futures is unavailable: retrying shortly"},
	{KE_UNAVAILABLE, "Server Error", "Kraken Futures reported a server error"},
	{KE_UNAVAILABLE, "unknownError", "Kraken Futures reported an unknown error"},
	{KE_REJECTED, "insufficientFunds", "not enough funds for this request"},
	{KE_REJECTED, "insufficientAvailableFunds",
	 "not enough available margin for this order: lower the size or add collateral"},
	{KE_REJECTED, "invalidAmount", "the amount is not valid"},
	{KE_REJECTED, "invalidArgument", "Kraken Futures rejected a parameter of the request"},
	{KE_REJECTED, "invalidUnit", "the unit is not valid"},
	{KE_REJECTED, "Json Parse Error", "Kraken Futures could not parse the request"},
	{KE_REJECTED, "marketUnavailable", "this market is unavailable right now"},
	{KE_REJECTED, "notFound", "no such order (it may have filled or been cancelled already)"},
	{KE_REJECTED, "requiredArgumentMissing", "a required parameter is missing"},
	{KE_REJECTED, "wouldNotReducePosition", "reduce-only order refused: it would not reduce the position"},
	{KE_REJECTED, "postWouldExecute", "the post-only order would have taken liquidity, so it was not placed"},
	{KE_REJECTED, "iocWouldNotExecute", "the immediate-or-cancel order found nothing to fill against"},
	{KE_REJECTED, "invalidPrice", "the price is not valid (check the tick size)"},
	{KE_REJECTED, "invalidSize", "the size is not valid (check the contract size step and minimum)"},
	{KE_REJECTED, "selfFill", "the order would have traded against your own order"},
	{KE_REJECTED, "tooManySmallOrders", "too many small orders: place larger ones"},
	{KE_REJECTED, "tooManyOrders", "the maximum number of open orders is reached"},
	{KE_REJECTED, "marketSuspended", "the market is suspended"},
	{KE_REJECTED, "marketInactive", "the market is not active"},
	{KE_REJECTED, "marketIsPostOnly", "the market only accepts post-only orders right now"},
	{KE_REJECTED, "maxPositionViolation", "the order would exceed the maximum position size"},
	{KE_REJECTED, "outsidePriceCollar", "the price is too far from the market (outside the price collar)"},
	{KE_REJECTED, "wouldIncreasePriceDislocation", "the order would move the price too far"},
	{KE_REJECTED, "wouldCauseLiquidation", "the order would cause a liquidation"},
	{KE_REJECTED, "clientOrderIdAlreadyExist", "an order with this client order id already exists"},
	{KE_REJECTED, "clientOrderIdTooBig", "the client order id is too long"},
	{KE_REJECTED, "clientOrderIdTooLong", "the client order id is too long"},
	{KE_REJECTED, "clientOrderIdInvalid", "the client order id is not valid"},
	{KE_REJECTED, "fixedLeverageTooHigh", "the leverage is higher than this contract allows"},
	{KE_REJECTED, "orderForEditNotFound", "the order to amend was not found (filled or cancelled?)"},
	{KE_REJECTED, "orderForEditNotAStop", "only stop orders have a trigger price to amend"},
	{KE_REJECTED, "cannotEditTriggerPriceOfTrailingStop", "a trailing stop's trigger cannot be set directly"},
	{KE_REJECTED, "cannotEditLimitPriceOfTrailingStop", "a trailing stop's limit cannot be set directly"},
	{KE_REJECTED, "wouldProcessAfterSpecifiedTime", "the order reached Kraken after its deadline"},
};

bool kraken_spot_is_warning(const char *err) { return err && err[0] == 'W'; }

struct kraken_err kraken_spot_error(const char *err)
{
	struct kraken_err best = {KE_UNKNOWN, NULL, "Kraken returned an error"};
	size_t best_len = 0;
	if (!err)
		return best;
	/* "EService: Throttled: 1700000000" has a space after the colon. */
	char norm[160];
	size_t w = 0;
	for (size_t i = 0; err[i] && w + 1 < sizeof norm; i++) {
		if (err[i] == ' ' && i > 0 && err[i - 1] == ':')
			continue;
		norm[w++] = err[i];
	}
	norm[w] = '\0';
	for (size_t i = 0; i < sizeof spot_errors / sizeof spot_errors[0]; i++) {
		size_t n = strlen(spot_errors[i].code);
		if (strncmp(norm, spot_errors[i].code, n) == 0 && (norm[n] == '\0' || norm[n] == ':') &&
		    n > best_len) {
			best = spot_errors[i];
			best_len = n;
		}
	}
	if (best_len == 0 && strncmp(norm, "EService:", 9) == 0)
		best.cls = KE_UNAVAILABLE;
	return best;
}

struct kraken_err kraken_futures_error(const char *code)
{
	struct kraken_err e = {KE_UNKNOWN, NULL, "Kraken Futures returned an error"};
	if (!code)
		return e;
	for (size_t i = 0; i < sizeof fut_errors / sizeof fut_errors[0]; i++)
		if (strcasecmp(code, fut_errors[i].code) == 0)
			return fut_errors[i];
	return e;
}

void kraken_err_describe(const struct kraken_err *e, const char *raw, char *buf, size_t cap)
{
	const char *detail = NULL;
	if (e->code && raw) {
		/* A ":field" tail after the known code says which parameter. */
		const char *p = strstr(raw, e->code);
		if (p) {
			p += strlen(e->code);
			if (*p == ':' && p[1])
				detail = p + 1;
		}
	}
	if (detail)
		snprintf(buf, cap, "%s: %s (%s)", e->message, detail, raw);
	else if (raw && (!e->code || strcmp(raw, e->code) != 0))
		snprintf(buf, cap, "%s (%s)", e->message, raw);
	else
		snprintf(buf, cap, "%s (%s)", e->message, e->code ? e->code : "?");
}
