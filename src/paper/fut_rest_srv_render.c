/* fut_rest_srv_render: px records in Kraken Futures REST shapes (OrderJson,
 * OrderTriggerJson), and px/engine codes as Kraken's statuses and reasons.
 * Written with base/jwrite: exact decimals, never a double. */
#include <stdio.h>
#include <string.h>

#include "paper/fut_rest_srv_int.h"

void frs_kd(struct jw *w, const char *key, dec_t v)
{
	jw_key(w, key);
	jw_dec(w, v);
}

void frs_ks(struct jw *w, const char *key, const char *v)
{
	jw_key(w, key);
	jw_str(w, v);
}

void frs_kb(struct jw *w, const char *key, bool v)
{
	jw_key(w, key);
	jw_bool(w, v);
}

void frs_ki(struct jw *w, const char *key, int64_t v)
{
	jw_key(w, key);
	jw_i64(w, v);
}

void frs_knull(struct jw *w, const char *key)
{
	jw_key(w, key);
	jw_null(w);
}

const char *frs_side(enum engine_side s)
{
	return s == ENGINE_BUY ? "buy" : "sell";
}

const char *frs_code(const struct px *px, int asset)
{
	const struct px_asset *a = px_asset(px, asset);
	return a ? a->fut_code : "?";
}

static bool is_take_profit(enum engine_type t)
{
	return t == ENGINE_T_TAKE_PROFIT || t == ENGINE_T_TAKE_PROFIT_LIMIT;
}

static bool is_trigger_type(enum engine_type t)
{
	return t == ENGINE_T_STOP_LOSS || t == ENGINE_T_STOP_LOSS_LIMIT ||
	       t == ENGINE_T_TAKE_PROFIT || t == ENGINE_T_TAKE_PROFIT_LIMIT ||
	       t == ENGINE_T_TRAILING_STOP || t == ENGINE_T_TRAILING_STOP_LIMIT;
}

bool frs_is_trigger(const struct px_order *o)
{
	return is_trigger_type(o->type) && !o->triggered;
}

/* OrderJson `type`. */
static const char *order_type(const struct px_order *o)
{
	if (o->type == ENGINE_T_MARKET)
		return "mkt";
	if (is_trigger_type(o->type)) /* fired: now a limit or market order */
		return dec_is_zero(o->price) ? "mkt" : "lmt";
	if (o->eflags & ENGINE_F_POST_ONLY)
		return "post";
	if (o->tif == ENGINE_IOC)
		return "ioc";
	return o->tif == ENGINE_FOK ? "fok" : "lmt";
}

static void cl_member(struct jw *w, const char *key, const struct px_order *o)
{
	if (o->cl_ord_id[0])
		frs_ks(w, key, o->cl_ord_id);
	else
		frs_knull(w, key);
}

static void price_member(struct jw *w, const char *key, dec_t v)
{
	if (dec_is_zero(v))
		frs_knull(w, key);
	else
		frs_kd(w, key, v);
}

void frs_order_json(struct jw *w, const struct px_order *o, const dec_t *filled)
{
	jw_obj_begin(w);
	frs_ks(w, "orderId", o->id);
	cl_member(w, "cliOrdId", o);
	frs_ks(w, "type", order_type(o));
	frs_ks(w, "symbol", o->instr->symbol);
	frs_ks(w, "side", frs_side(o->side));
	frs_kd(w, "quantity", o->qty);
	frs_kd(w, "filled", filled ? *filled : o->filled);
	price_member(w, "limitPrice", o->price);
	frs_kb(w, "reduceOnly", (o->eflags & ENGINE_F_REDUCE_ONLY) != 0);
	frs_kt(w, "timestamp", o->open_ns);
	frs_kt(w, "lastUpdateTimestamp", o->update_ns ? o->update_ns : o->open_ns);
	jw_obj_end(w);
}

static const char *signal_name(enum engine_ref r)
{
	switch (r) {
	case ENGINE_REF_MARK:
		return "mark_price";
	case ENGINE_REF_INDEX:
		return "spot_price"; /* triggerSignal=index comes back as spot_price */
	default:
		return "last_price";
	}
}

void frs_trigger_json(struct jw *w, const struct px_order *o)
{
	/* A buy stop fires on a rise, a buy take-profit on a fall. */
	bool above = is_take_profit(o->type) ? o->side == ENGINE_SELL : o->side == ENGINE_BUY;
	jw_obj_begin(w);
	frs_ks(w, "uid", o->id);
	cl_member(w, "clientId", o);
	frs_ks(w, "type", dec_is_zero(o->price) && o->limit_off.mode == PX_P_NONE ? "stp" : "lmt");
	frs_ks(w, "symbol", o->instr->symbol);
	frs_ks(w, "side", frs_side(o->side));
	frs_kd(w, "quantity", o->qty);
	price_member(w, "limitPrice", o->price);
	price_member(w, "triggerPrice", o->trigger);
	frs_ks(w, "triggerSide", above ? "trigger_above" : "trigger_below");
	frs_ks(w, "triggerSignal", signal_name(o->trigger_ref));
	frs_kb(w, "reduceOnly", (o->eflags & ENGINE_F_REDUCE_ONLY) != 0);
	frs_kt(w, "timestamp", o->open_ns);
	frs_kt(w, "lastUpdateTimestamp", o->update_ns ? o->update_ns : o->open_ns);
	frs_knull(w, "startTime");
	if (o->type == ENGINE_T_TRAILING_STOP || o->type == ENGINE_T_TRAILING_STOP_LIMIT) {
		jw_key(w, "trailingStopOptions");
		jw_obj_begin(w);
		frs_kd(w, "maxDeviation", o->trail.v);
		frs_ks(w, "unit", o->trail.pct ? "PERCENT" : "QUOTE_CURRENCY");
		jw_obj_end(w);
	}
	jw_obj_end(w);
}

void frs_order_member(struct jw *w, const struct px_order *o)
{
	if (frs_is_trigger(o)) {
		jw_key(w, "orderTrigger");
		frs_trigger_json(w, o);
	} else {
		jw_key(w, "order");
		frs_order_json(w, o, NULL);
	}
}

const char *frs_code_status(int code)
{
	switch (code) {
	case ENGINE_R_INVALID_PRICE:
	case PX_E_TICK:
	case PX_E_PRICE:
	case PX_E_NO_PRICE:
		return "invalidPrice";
	case ENGINE_R_INVALID_SIZE:
	case ENGINE_R_QTY_BELOW_FILLED:
	case PX_E_LOT:
	case PX_E_ORDER_MIN:
	case PX_E_COST_MIN:
		return "invalidSize";
	case ENGINE_R_INSUFFICIENT_FUNDS:
	case PX_E_MARGIN:
		return "insufficientAvailableFunds";
	case ENGINE_R_WOULD_NOT_REDUCE:
		return "wouldNotReducePosition";
	case ENGINE_R_MAX_POSITION:
		return "maxPositionViolation";
	case ENGINE_R_POST_ONLY:
		return "postWouldExecute";
	case ENGINE_R_SELF_TRADE:
		return "selfFill";
	case ENGINE_R_PRICE_PROTECTION:
		return "outsidePriceCollar";
	case ENGINE_R_IOC_REMAINDER:
	case ENGINE_R_FOK_UNFILLED:
	case ENGINE_R_NO_LIQUIDITY:
		return "iocWouldNotExecute";
	case PX_E_DUP_CLIENT_ID:
		return "clientOrderIdAlreadyExist";
	case PX_E_CLIENT_ID_LONG:
		return "clientOrderIdTooBig";
	case PX_E_BAD_CLIENT_ID:
		return "clientOrderIdInvalid";
	case PX_E_DEADLINE:
		return "wouldProcessAfterSpecifiedTime";
	case PX_E_TOO_MANY:
		return "tooManyOrders";
	case PX_E_MAX_LEVERAGE:
		return "fixedLeverageTooHigh";
	case PX_E_MARKET_CLOSED:
		return "marketInactive";
	case PX_E_UNKNOWN_ORDER:
	case PX_E_ORDER_CLOSED:
		return "orderForEditNotFound";
	case ENGINE_R_NOT_A_TRIGGER:
		return "orderForEditNotAStop";
	case ENGINE_R_TRAILING_PRICE:
		return "cannotEditTriggerPriceOfTrailingStop";
	default:
		return NULL;
	}
}

const char *frs_reject_reason(int code)
{
	switch (code) {
	case ENGINE_R_POST_ONLY:
		return "POST_WOULD_EXECUTE";
	case ENGINE_R_IOC_REMAINDER:
	case ENGINE_R_FOK_UNFILLED:
	case ENGINE_R_NO_LIQUIDITY:
		return "IOC_WOULD_NOT_EXECUTE";
	case ENGINE_R_SELF_TRADE:
		return "WOULD_EXECUTE_SELF";
	case ENGINE_R_WOULD_NOT_REDUCE:
		return "WOULD_NOT_REDUCE_POSITION";
	case ENGINE_R_INSUFFICIENT_FUNDS:
	case PX_E_MARGIN:
		return "INSUFFICIENT_MARGIN";
	case ENGINE_R_PRICE_PROTECTION:
		return "PRICE_COLLAR";
	case ENGINE_R_MAX_POSITION:
		return "MAX_POSITION_EXCEEDED";
	case ENGINE_R_INVALID_PRICE:
	case PX_E_TICK:
		return "INVALID_PRICE";
	case ENGINE_R_INVALID_SIZE:
	case PX_E_LOT:
	case PX_E_ORDER_MIN:
		return "INVALID_QUANTITY";
	default:
		return "REJECTED_AFTER_EXECUTION";
	}
}
