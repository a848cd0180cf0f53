/* test_errors: the Kraken error tables (kraken/errors.h) against the lists
 * of kraken-protocol.md — every Spot error string of §1.5 and every Futures
 * error code (§3.3) and sendStatus/editStatus/cancelStatus status (§3.5)
 * maps to its canonical code, the class that tells the session what to do,
 * and a plain-English message; "EAPI:Invalid nonce" tells the user about the
 * other program and the nonce window; details after the code, spacing
 * variants and case are understood; unknown text stays unknown. */
#include <string.h>

#include "kraken/errors.h"
#include "tests/unit/unit.h"

struct row {
	const char *raw;  /* as Kraken sends it */
	const char *code; /* the canonical code it must map to */
	enum kraken_err_class cls;
};

/* kraken-protocol.md §1.5, grouped as there. */
static const struct row spot_rows[] = {
        /* auth and keys */
        {"EAPI:Invalid key", "EAPI:Invalid key", KE_AUTH},
        {"EAPI:Invalid signature", "EAPI:Invalid signature", KE_AUTH},
        {"EAPI:Invalid nonce", "EAPI:Invalid nonce", KE_NONCE},
        {"EGeneral:Permission denied", "EGeneral:Permission denied", KE_AUTH},
        {"EGeneral:Temporary lockout", "EGeneral:Temporary lockout", KE_AUTH},
        /* limits */
        {"EAPI:Rate limit exceeded", "EAPI:Rate limit exceeded", KE_RATE_LIMIT},
        {"EService: Throttled: 1700000000", "EService:Throttled", KE_RATE_LIMIT},
        {"EService:Throttled:1700000000", "EService:Throttled", KE_RATE_LIMIT},
        {"EOrder:Rate limit exceeded", "EOrder:Rate limit exceeded", KE_RATE_LIMIT},
        {"EOrder:Orders limit exceeded", "EOrder:Orders limit exceeded", KE_REJECTED},
        /* service */
        {"EService:Unavailable", "EService:Unavailable", KE_UNAVAILABLE},
        {"EService:Market in cancel_only mode", "EService:Market in cancel_only mode", KE_REJECTED},
        {"EService:Market in post_only mode", "EService:Market in post_only mode", KE_REJECTED},
        {"EService:Deadline elapsed", "EService:Deadline elapsed", KE_REJECTED},
        /* orders */
        {"EGeneral:Invalid arguments", "EGeneral:Invalid arguments", KE_REJECTED},
        {"EGeneral:Invalid arguments:volume", "EGeneral:Invalid arguments", KE_REJECTED},
        {"EOrder:Insufficient funds", "EOrder:Insufficient funds", KE_REJECTED},
        {"EOrder:Order minimum not met", "EOrder:Order minimum not met", KE_REJECTED},
        {"EOrder:Cost minimum not met", "EOrder:Cost minimum not met", KE_REJECTED},
        {"EOrder:Tick size check failed", "EOrder:Tick size check failed", KE_REJECTED},
        {"EOrder:Invalid price", "EOrder:Invalid price", KE_REJECTED},
        {"EOrder:Margin level too low", "EOrder:Margin level too low", KE_REJECTED},
        {"EOrder:Reduce only:No position exists", "EOrder:Reduce only:No position exists",
         KE_REJECTED},
};

/* §3.3 error codes. */
static const struct row fut_error_rows[] = {
        {"accountInactive", "accountInactive", KE_AUTH},
        {"apiLimitExceeded", "apiLimitExceeded", KE_RATE_LIMIT},
        {"authenticationError", "authenticationError", KE_AUTH},
        {"insufficientFunds", "insufficientFunds", KE_REJECTED},
        {"invalidAccount", "invalidAccount", KE_AUTH},
        {"invalidAmount", "invalidAmount", KE_REJECTED},
        {"invalidArgument", "invalidArgument", KE_REJECTED},
        {"invalidUnit", "invalidUnit", KE_REJECTED},
        {"Json Parse Error", "Json Parse Error", KE_REJECTED},
        {"marketUnavailable", "marketUnavailable", KE_REJECTED},
        {"nonceBelowThreshold", "nonceBelowThreshold", KE_NONCE},
        {"nonceDuplicate", "nonceDuplicate", KE_NONCE},
        {"notFound", "notFound", KE_REJECTED},
        {"requiredArgumentMissing", "requiredArgumentMissing", KE_REJECTED},
        {"Server Error", "Server Error", KE_UNAVAILABLE},
        {"Unavailable", "Unavailable", KE_UNAVAILABLE},
        {"unknownError", "unknownError", KE_UNAVAILABLE},
};

/* §3.5 sendStatus.status values (and the edit/cancel outcomes). */
static const struct row fut_status_rows[] = {
        {"placed", "placed", KE_OK},
        {"partiallyFilled", "partiallyFilled", KE_OK},
        {"filled", "filled", KE_OK},
        {"cancelled", "cancelled", KE_OK},
        {"edited", "edited", KE_OK},
        {"noOrdersToCancel", "noOrdersToCancel", KE_OK},
        {"insufficientAvailableFunds", "insufficientAvailableFunds", KE_REJECTED},
        {"wouldNotReducePosition", "wouldNotReducePosition", KE_REJECTED},
        {"postWouldExecute", "postWouldExecute", KE_REJECTED},
        {"iocWouldNotExecute", "iocWouldNotExecute", KE_REJECTED},
        {"invalidPrice", "invalidPrice", KE_REJECTED},
        {"invalidSize", "invalidSize", KE_REJECTED},
        {"selfFill", "selfFill", KE_REJECTED},
        {"tooManySmallOrders", "tooManySmallOrders", KE_REJECTED},
        {"tooManyOrders", "tooManyOrders", KE_REJECTED},
        {"marketSuspended", "marketSuspended", KE_REJECTED},
        {"marketInactive", "marketInactive", KE_REJECTED},
        {"marketIsPostOnly", "marketIsPostOnly", KE_REJECTED},
        {"maxPositionViolation", "maxPositionViolation", KE_REJECTED},
        {"outsidePriceCollar", "outsidePriceCollar", KE_REJECTED},
        {"wouldIncreasePriceDislocation", "wouldIncreasePriceDislocation", KE_REJECTED},
        {"wouldCauseLiquidation", "wouldCauseLiquidation", KE_REJECTED},
        {"clientOrderIdAlreadyExist", "clientOrderIdAlreadyExist", KE_REJECTED},
        {"clientOrderIdTooBig", "clientOrderIdTooBig", KE_REJECTED},
        {"clientOrderIdTooLong", "clientOrderIdTooLong", KE_REJECTED}, /* §8: accept both */
        {"clientOrderIdInvalid", "clientOrderIdInvalid", KE_REJECTED},
        {"fixedLeverageTooHigh", "fixedLeverageTooHigh", KE_REJECTED},
        {"notFound", "notFound", KE_REJECTED},
        {"orderForEditNotFound", "orderForEditNotFound", KE_REJECTED},
        {"orderForEditNotAStop", "orderForEditNotAStop", KE_REJECTED},
        {"cannotEditTriggerPriceOfTrailingStop", "cannotEditTriggerPriceOfTrailingStop",
         KE_REJECTED},
        {"cannotEditLimitPriceOfTrailingStop", "cannotEditLimitPriceOfTrailingStop", KE_REJECTED},
        {"wouldProcessAfterSpecifiedTime", "wouldProcessAfterSpecifiedTime", KE_REJECTED},
};

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* A message a user can act on: a sentence, not the code echoed back. */
static void check_message(const struct kraken_err *e, const char *raw)
{
	assert_non_null(e->message);
	if (strlen(e->message) < 10 || strcmp(e->message, e->code) == 0)
		fail_msg("%s: message \"%s\" says nothing", raw, e->message);
}

static void check_rows(const struct row *rows, size_t n, struct kraken_err (*look)(const char *))
{
	for (size_t i = 0; i < n; i++) {
		struct kraken_err e = look(rows[i].raw);
		if (!e.code)
			fail_msg("%s: not in the table", rows[i].raw);
		if (strcmp(e.code, rows[i].code) != 0)
			fail_msg("%s: code %s, expected %s", rows[i].raw, e.code, rows[i].code);
		if (e.cls != rows[i].cls)
			fail_msg("%s: class %d, expected %d", rows[i].raw, (int)e.cls,
			         (int)rows[i].cls);
		check_message(&e, rows[i].raw);
	}
}

static void spot_table(void **s)
{
	(void)s;
	check_rows(spot_rows, N(spot_rows), kraken_spot_error);
}

static void futures_error_codes(void **s)
{
	(void)s;
	check_rows(fut_error_rows, N(fut_error_rows), kraken_futures_error);
}

static void futures_statuses(void **s)
{
	(void)s;
	check_rows(fut_status_rows, N(fut_status_rows), kraken_futures_error);
	/* Futures fields come in mixed case */
	struct kraken_err e = kraken_futures_error("POSTWOULDEXECUTE");
	assert_string_equal(e.code, "postWouldExecute");
	assert_int_equal(e.cls, KE_REJECTED);
}

static void invalid_nonce_advice(void **s)
{
	(void)s;
	struct kraken_err e = kraken_spot_error("EAPI:Invalid nonce");
	assert_int_equal(e.cls, KE_NONCE);
	/* the advice, in errors.c's exact words */
	assert_string_equal(e.message, "another program used this key with a higher nonce; use a "
	                               "separate key for krakterm or widen the key's nonce window");
	char buf[300];
	kraken_err_describe(&e, "EAPI:Invalid nonce", buf, sizeof buf);
	assert_string_equal(buf, "another program used this key with a higher nonce; use a "
	                         "separate key for krakterm or widen the key's nonce window "
	                         "(EAPI:Invalid nonce)");
	/* Futures: the same story for its nonce codes */
	e = kraken_futures_error("nonceBelowThreshold");
	assert_non_null(strstr(e.message, "another program used this futures key with a higher "
	                                  "nonce"));
}

static void describe_details(void **s)
{
	(void)s;
	char buf[300];
	const char *raw = "EGeneral:Invalid arguments:volume";
	struct kraken_err e = kraken_spot_error(raw);
	kraken_err_describe(&e, raw, buf, sizeof buf);
	assert_string_equal(buf, "Kraken rejected a parameter of the request: volume "
	                         "(EGeneral:Invalid arguments:volume)");
	raw = "EService: Throttled: 1700000000";
	e = kraken_spot_error(raw);
	kraken_err_describe(&e, raw, buf, sizeof buf);
	assert_non_null(strstr(buf, "throttling"));
	assert_non_null(strstr(buf, "(EService: Throttled: 1700000000)"));
	/* the longest known code wins over a shorter prefix */
	e = kraken_spot_error("EOrder:Reduce only:No position exists");
	assert_string_equal(e.code, "EOrder:Reduce only:No position exists");
	/* a small buffer truncates */
	char small[8];
	kraken_err_describe(&e, "EOrder:Reduce only:No position exists", small, sizeof small);
	assert_int_equal(strlen(small), 7);
}

static void unknown_and_warnings(void **s)
{
	(void)s;
	static const char *const unknown[] = {"", "EFoo:Bar", "EOrder:Insufficient fundsX",
	                                      "Something else"};
	for (size_t i = 0; i < N(unknown); i++) {
		struct kraken_err e = kraken_spot_error(unknown[i]);
		if (e.cls != KE_UNKNOWN || e.code)
			fail_msg("\"%s\" was recognised as %s", unknown[i], e.code);
		assert_non_null(e.message);
	}
	assert_int_equal(kraken_spot_error(NULL).cls, KE_UNKNOWN);
	/* an unknown EService error is still the service: retry with backoff */
	struct kraken_err e = kraken_spot_error("EService:Something new");
	assert_null(e.code);
	assert_int_equal(e.cls, KE_UNAVAILABLE);
	char buf[200];
	kraken_err_describe(&e, "EService:Something new", buf, sizeof buf);
	assert_non_null(strstr(buf, "(EService:Something new)"));

	e = kraken_futures_error("someNewStatus");
	assert_int_equal(e.cls, KE_UNKNOWN);
	assert_null(e.code);
	assert_int_equal(kraken_futures_error(NULL).cls, KE_UNKNOWN);

	assert_true(kraken_spot_is_warning("WGeneral:Danger"));
	assert_false(kraken_spot_is_warning("EGeneral:Danger"));
	assert_false(kraken_spot_is_warning(NULL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(spot_table),       cmocka_unit_test(futures_error_codes),
	        cmocka_unit_test(futures_statuses), cmocka_unit_test(invalid_nonce_advice),
	        cmocka_unit_test(describe_details), cmocka_unit_test(unknown_and_warnings),
	};
	return kt_run_tests(tests);
}
