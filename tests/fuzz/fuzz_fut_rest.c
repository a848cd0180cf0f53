/* fuzz_fut_rest: every Kraken Futures REST v3 response decoder
 * (kraken/fut_rest_codec.h) on any body.
 *
 * The body goes through fut_doc_parse / fut_doc_check; then EVERY decoder reads
 * it against a scratch state holding the instruments of
 * tests/fixtures/fut_rest/instruments.json (state decoders apply what they decode,
 * as the client does), and the order outcomes are mapped to intent results.
 * Checks: no crash, leak or undefined behaviour; reported counts stay within the
 * caller's arrays. Seeds: tests/fixtures/fut_rest. */
#include <stdlib.h>
#include <string.h>

#include "core/state.h"
#include "kraken/fut_rest_codec.h"
#include "tests/fuzz/fuzz.h"

const char *const fuzz_seeds[] = {"tests/fixtures/fut_rest", NULL};

static char *instruments;
static size_t instruments_len;

#define CHECK(c)                                                                                   \
	do {                                                                                       \
		if (!(c))                                                                          \
			abort();                                                                   \
	} while (0)

static void state_with_instruments(struct state *st)
{
	struct fut_doc fd;
	fut_doc_init(&fd);
	state_init(st);
	if (fut_doc_parse(&fd, instruments, instruments_len, NULL) != 0 ||
	    fut_decode_instruments(&fd, st, NULL, NULL) != 0)
		abort();
	fut_doc_free(&fd);
}

static void outcome(enum fut_ep ep, const struct fut_order_result *r)
{
	struct intent_result ir;
	fut_result_intent(ep, r, &ir);
}

static void decode_all(const struct fut_doc *fd, struct state *st)
{
	int instr = fut_find_instrument(st, "PF_XBTUSD", 9);
	size_t n;
	(void)fut_decode_instruments(fd, st, &n, NULL);
	(void)fut_decode_tickers(fd, st, NULL);
	(void)fut_decode_orderbook(fd, st, instr, NULL);
	(void)fut_decode_history(fd, st, instr, NULL);
	(void)fut_decode_funding_rates(fd, st, instr, NULL);
	(void)fut_decode_accounts(fd, st, NULL);
	(void)fut_decode_openpositions(fd, st, NULL);
	(void)fut_decode_openorders(fd, st, NULL);
	(void)fut_decode_fills(fd, st, NULL);
	(void)fut_decode_account_log(fd, st, NULL);

	struct fut_pref prefs[4];
	(void)fut_decode_leverage_prefs(fd, prefs, 4, &n, NULL);
	(void)fut_decode_pnl_prefs(fd, prefs, 4, &n, NULL);

	struct fut_order_result r;
	if (fut_decode_sendorder(fd, st, &r, NULL) == 0)
		outcome(FUT_EP_SENDORDER, &r);
	if (fut_decode_editorder(fd, st, &r, NULL) == 0)
		outcome(FUT_EP_EDITORDER, &r);
	if (fut_decode_cancelorder(fd, st, &r, NULL) == 0)
		outcome(FUT_EP_CANCELORDER, &r);
	if (fut_decode_cancelall(fd, st, &r, NULL) == 0)
		outcome(FUT_EP_CANCELALL, &r);
	if (fut_decode_cancel_after(fd, &r, NULL) == 0)
		outcome(FUT_EP_CANCELAFTER, &r);
	if (fut_decode_withdrawal(fd, &r, NULL) == 0)
		outcome(FUT_EP_WITHDRAWAL, &r);
	struct fut_order_result batch[8];
	if (fut_decode_batch(fd, st, batch, 8, &n, NULL) == 0)
		for (size_t i = 0; i < n && i < 8; i++)
			outcome(FUT_EP_BATCHORDER, &batch[i]);
	struct fut_order_state os[8];
	(void)fut_decode_orders_status(fd, st, os, 8, &n, NULL);
	(void)fut_decode_orders_status(fd, NULL, os, 0, &n, NULL);
	char id[ORDER_ID_MAX];
	(void)fut_find_cl_ord_id(fd, "openOrders", "cl-1", id, sizeof id, NULL);
	(void)fut_find_cl_ord_id(fd, "fills", "", id, sizeof id, NULL);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!instruments)
		instruments =
		        fuzz_read_src("tests/fixtures/fut_rest/instruments.json", &instruments_len);
	struct fut_doc fd;
	fut_doc_init(&fd);
	struct kerr err = KERR_INIT;
	if (fut_doc_parse(&fd, (const char *)data, size, &err) == 0) {
		struct intent_result ir;
		if (fut_doc_check(&fd, &err) < 0) {
			CHECK(err.msg[0]);
			fut_error_intent(fd.error, &ir);
		}
		struct state st;
		state_with_instruments(&st);
		decode_all(&fd, &st);
		state_free(&st);
	}
	fut_doc_free(&fd);
	return 0;
}
