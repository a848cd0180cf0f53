/* test_journal: the trade journal's fill entries. Proves: a fill is written
 * in words with its side, size, instrument, product, price, fee, maker or
 * taker, liquidation flag, order id and fill id; fills older than the start
 * of the run (the snapshot a session receives on connecting) are not written
 * again; a fill the state already holds is written once; every line is one
 * JSON object of kind "fill"; `krakterm journal` prints them as a table. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app/journal.h"
#include "core/state.h"
#include "tests/unit/unit.h"

static dec_t D(const char *s)
{
	dec_t d;
	assert_int_equal(dec_parse(s, (size_t)-1, &d, NULL), 0);
	return d;
}

static int add_spot(struct state *st)
{
	struct instrument in;
	memset(&in, 0, sizeof in);
	snprintf(in.id, sizeof in.id, "BTC/USD");
	snprintf(in.base, sizeof in.base, "BTC");
	snprintf(in.quote, sizeof in.quote, "USD");
	in.product = PRODUCT_SPOT;
	return state_add_instrument(st, &in);
}

static struct fill mkfill(const char *id, int instr, int64_t time_ms, bool liq)
{
	struct fill f;
	memset(&f, 0, sizeof f);
	snprintf(f.id, sizeof f.id, "%s", id);
	snprintf(f.order_id, sizeof f.order_id, "OQCLML-BW3P3-BUCMWZ");
	snprintf(f.fee_asset, sizeof f.fee_asset, "USD");
	f.instr = instr;
	f.product = PRODUCT_SPOT;
	f.side = liq ? SIDE_SELL : SIDE_BUY;
	f.price = D("60012.3");
	f.qty = D("0.00100000");
	f.fee = D("0.2400");
	f.liquidation = liq;
	f.time_ms = time_ms;
	return f;
}

static char *slurp(const char *path)
{
	FILE *fp = fopen(path, "r");
	assert_non_null(fp);
	static char buf[8192];
	size_t n = fread(buf, 1, sizeof buf - 1, fp);
	buf[n] = '\0';
	fclose(fp);
	return buf;
}

static int count(const char *hay, const char *needle)
{
	int n = 0;
	for (const char *p = hay; (p = strstr(p, needle)); p += strlen(needle))
		n++;
	return n;
}

static void fill_words(void **state)
{
	(void)state;
	struct state st;
	state_init(&st);
	int i = add_spot(&st);
	struct fill f = mkfill("TCCCTY-WE2O6-P3NJ4G", i, 5000, false);
	char text[600];
	journal_fill_text(&st, &f, text, sizeof text);
	assert_string_equal(text, "BUY 0.001 BTC/USD (spot) at 60,012.3, fee 0.24 USD (taker) | "
	                          "order OQCLML-BW3P3-BUCMWZ | fill TCCCTY-WE2O6-P3NJ4G");
	f = mkfill("T2", i, 5000, true);
	f.maker = true;
	journal_fill_text(&st, &f, text, sizeof text);
	assert_string_equal(text, "SELL 0.001 BTC/USD (spot) at 60,012.3, fee 0.24 USD (maker), "
	                          "LIQUIDATION | order OQCLML-BW3P3-BUCMWZ | fill T2");
	state_free(&st);
}

static void new_fills_once(void **state)
{
	(void)state;
	char dir[] = "/tmp/kt-journal-XXXXXX";
	assert_non_null(mkdtemp(dir));
	struct kerr err = KERR_INIT;
	struct journal *j = journal_open(dir, "t", &err);
	assert_non_null(j);
	struct state st;
	state_init(&st);
	int i = add_spot(&st);
	journal_watch_fills(j, &st, 10000);
	struct fill old = mkfill("T-OLD", i, 9999, false);
	state_add_fill(&st, &old); /* the snapshot: before the run started */
	struct fill f = mkfill("T-NEW", i, 10000, false);
	state_add_fill(&st, &f);
	state_add_fill(&st, &f); /* heard again (REST and WebSocket): once */
	struct fill liq = mkfill("T-LIQ", i, 20000, true);
	state_add_fill(&st, &liq);
	state_free(&st);
	journal_close(j);

	char path[256];
	journal_path(dir, "t", path, sizeof path);
	const char *s = slurp(path);
	assert_int_equal(count(s, "\n"), 2);
	assert_int_equal(count(s, "\"kind\":\"fill\""), 2);
	assert_int_equal(count(s, "T-OLD"), 0);
	assert_int_equal(count(s, "fill T-NEW\""), 1);
	assert_int_equal(count(s, "LIQUIDATION | order OQCLML-BW3P3-BUCMWZ | fill T-LIQ"), 1);

	char *out = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&out, &len);
	assert_int_equal(journal_print(path, mem, 0, &err), 2);
	fclose(mem);
	assert_non_null(strstr(out, " fill      BUY 0.001 BTC/USD (spot) at 60,012.3"));
	free(out);
	unlink(path);
	rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(fill_words),
	        cmocka_unit_test(new_fills_once),
	};
	return kt_run_tests(tests);
}
