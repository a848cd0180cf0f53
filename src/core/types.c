/* types: names and parsing of the shared enums. */
#include "core/types.h"

#include <strings.h>

static const char *const product_names[] = {"spot", "futures"};
static const char *const order_type_names[] = {
	"market", "limit", "iceberg", "stop", "stop-limit", "take-profit",
	"take-profit-limit", "trailing-stop", "trailing-stop-limit", "settle-position"};
static const char *const tif_names[] = {"GTC", "IOC", "GTD", "FOK"};
static const char *const trig_names[] = {"last", "mark", "index"};
static const char *const status_names[] = {"pending", "untriggered", "open", "partial",
					   "filled", "cancelled", "expired", "rejected"};

const char *product_name(enum product p) { return p < PRODUCT_COUNT ? product_names[p] : "?"; }
const char *side_name(enum side s) { return s == SIDE_BUY ? "buy" : "sell"; }

const char *order_type_name(enum order_type t)
{
	return (unsigned)t < OT_COUNT ? order_type_names[t] : "?";
}

const char *tif_name(enum tif t) { return (unsigned)t <= TIF_FOK ? tif_names[t] : "?"; }

const char *trigger_signal_name(enum trigger_signal s)
{
	return (unsigned)s <= TRIG_INDEX ? trig_names[s] : "?";
}

const char *order_status_name(enum order_status s)
{
	return (unsigned)s <= OS_REJECTED ? status_names[s] : "?";
}

const char *wallet_name(enum wallet w)
{
	switch (w) {
	case WALLET_SPOT: return "spot";
	case WALLET_FUTURES_FLEX: return "futures";
	case WALLET_FUTURES_CASH: return "futures-cash";
	}
	return "?";
}

bool order_status_is_open(enum order_status s)
{
	return s == OS_PENDING || s == OS_UNTRIGGERED || s == OS_OPEN || s == OS_PARTIAL;
}

bool order_type_on_product(enum order_type t, enum product p)
{
	if (p == PRODUCT_SPOT)
		return t < OT_COUNT;
	/* Futures: no iceberg, no trailing-stop-limit, no settle-position. */
	return t == OT_MARKET || t == OT_LIMIT || t == OT_STOP || t == OT_STOP_LIMIT ||
	       t == OT_TAKE_PROFIT || t == OT_TAKE_PROFIT_LIMIT || t == OT_TRAILING_STOP;
}

bool order_type_has_limit(enum order_type t)
{
	return t == OT_LIMIT || t == OT_ICEBERG || t == OT_STOP_LIMIT ||
	       t == OT_TAKE_PROFIT_LIMIT;
}

bool order_type_has_trigger(enum order_type t)
{
	return t == OT_STOP || t == OT_STOP_LIMIT || t == OT_TAKE_PROFIT ||
	       t == OT_TAKE_PROFIT_LIMIT;
}

bool order_type_is_trailing(enum order_type t)
{
	return t == OT_TRAILING_STOP || t == OT_TRAILING_STOP_LIMIT;
}

static int parse_in(const char *s, const char *const *names, int n)
{
	for (int i = 0; i < n; i++)
		if (strcasecmp(s, names[i]) == 0)
			return i;
	return -1;
}

int order_type_parse(const char *s, enum order_type *out)
{
	static const struct {
		const char *alias;
		enum order_type t;
	} aliases[] = {
		{"mkt", OT_MARKET},
		{"lmt", OT_LIMIT},
		{"stop-loss", OT_STOP},
		{"stp", OT_STOP},
		{"stop-market", OT_STOP},
		{"stop-loss-limit", OT_STOP_LIMIT},
		{"take_profit", OT_TAKE_PROFIT},
		{"take-profit-market", OT_TAKE_PROFIT},
		{"trailing_stop", OT_TRAILING_STOP},
		{"trailing", OT_TRAILING_STOP},
		{"trailing-limit", OT_TRAILING_STOP_LIMIT},
	};
	int i = parse_in(s, order_type_names, OT_COUNT);
	if (i >= 0) {
		*out = (enum order_type)i;
		return 0;
	}
	for (unsigned k = 0; k < sizeof aliases / sizeof aliases[0]; k++) {
		if (strcasecmp(s, aliases[k].alias) == 0) {
			*out = aliases[k].t;
			return 0;
		}
	}
	return -1;
}

int side_parse(const char *s, enum side *out)
{
	if (strcasecmp(s, "buy") == 0 || strcasecmp(s, "b") == 0 || strcasecmp(s, "long") == 0) {
		*out = SIDE_BUY;
		return 0;
	}
	if (strcasecmp(s, "sell") == 0 || strcasecmp(s, "s") == 0 || strcasecmp(s, "short") == 0) {
		*out = SIDE_SELL;
		return 0;
	}
	return -1;
}

int tif_parse(const char *s, enum tif *out)
{
	int i = parse_in(s, tif_names, 4);
	if (i < 0)
		return -1;
	*out = (enum tif)i;
	return 0;
}

int trigger_signal_parse(const char *s, enum trigger_signal *out)
{
	int i = parse_in(s, trig_names, 3);
	if (i < 0) {
		if (strcasecmp(s, "mark_price") == 0)
			i = TRIG_MARK;
		else if (strcasecmp(s, "last_price") == 0)
			i = TRIG_LAST;
		else if (strcasecmp(s, "spot_price") == 0 || strcasecmp(s, "spot") == 0)
			i = TRIG_INDEX;
		else
			return -1;
	}
	*out = (enum trigger_signal)i;
	return 0;
}
