/* validate: every check an order must pass before it may leave, with the
 * reason attached to the ticket field it concerns. Used by the order ticket,
 * the one-shot `order` command and intent_place (which refuses to send an
 * order with problems). Prices and sizes are never silently rounded: a
 * problem may carry a suggested rounded value that the user can accept. */
#ifndef KT_CORE_VALIDATE_H
#define KT_CORE_VALIDATE_H

#include <stdbool.h>

#include "base/dec.h"
#include "core/intent.h"

struct state;

enum order_field {
	OF_GENERAL,
	OF_INSTRUMENT,
	OF_TYPE,
	OF_QTY,
	OF_LIMIT,
	OF_TRIGGER,
	OF_TRAIL,
	OF_TRAIL_LIMIT,
	OF_DISPLAY,
	OF_TIF,
	OF_EXPIRE,
	OF_LEVERAGE,
	OF_REDUCE_ONLY,
	OF_POST_ONLY,
	OF_CLOSE,
	OF_FIELD_COUNT
};

struct order_problem {
	enum order_field field;
	char msg[160];
	bool has_fix;   /* a rounded value that would pass this check */
	dec_t fix;
};

#define ORDER_PROBLEMS_MAX 12

struct order_check {
	struct order_problem p[ORDER_PROBLEMS_MAX];
	int n;
};

/* Run every check; returns the number of problems (0 = the order may be sent).
 * Balance and margin checks use the state's wallets when they are known. */
int order_validate(const struct state *st, const struct order_req *req, struct order_check *out);
/* The first problem for a field, or NULL. */
const struct order_problem *order_check_field(const struct order_check *c, enum order_field f);
/* Apply every suggested fix to req (the user consented to rounding). */
void order_check_apply_fixes(const struct order_check *c, struct order_req *req);
const char *order_field_name(enum order_field f);

/* The reference price an order is judged against: the trigger signal's price
 * (last/mark/index) or, failing that, the mid of the book. Zero if unknown. */
dec_t order_reference_price(const struct state *st, int instr, enum trigger_signal sig);

#endif
