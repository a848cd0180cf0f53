/* test_book: the core order book keeps levels sorted, cuts to depth, groups,
 * walks, and computes Kraken's WS v2 checksum exactly (official vectors). */
#include <stdlib.h>
#include <string.h>

#include "base/dec.h"
#include "core/book.h"
#include "tests/unit/unit.h"

static void set_dec(struct book *b, enum side s, const char *px, const char *qty)
{
	dec_t p, q;
	int64_t ip, iq;
	assert_int_equal(dec_parse(px, (size_t)-1, &p, NULL), 0);
	assert_int_equal(dec_parse(qty, (size_t)-1, &q, NULL), 0);
	assert_int_equal(book_px_from_dec(b, p, &ip), 0);
	assert_int_equal(book_qty_from_dec(b, q, &iq), 0);
	book_set(b, s, ip, iq);
}

/* Kraken's official BTC/USD example (kraken-protocol.md §6.1 O3). */
static void checksum_official_btc(void **state)
{
	static const char *asks[][2] = {
		{"45285.2", "0.00100000"}, {"45286.4", "1.54571953"}, {"45286.6", "1.54571109"},
		{"45289.6", "1.54560911"}, {"45290.2", "0.15890660"}, {"45291.8", "1.54553491"},
		{"45294.7", "0.04454749"}, {"45296.1", "0.35380000"}, {"45297.5", "0.09945542"},
		{"45299.5", "0.18772827"}};
	static const char *bids[][2] = {
		{"45283.5", "0.10000000"}, {"45283.4", "1.54582015"}, {"45282.1", "0.10000000"},
		{"45281.0", "0.10000000"}, {"45280.3", "1.54592586"}, {"45279.0", "0.07990000"},
		{"45277.6", "0.03310103"}, {"45277.5", "0.30000000"}, {"45277.3", "1.54602737"},
		{"45276.6", "0.15445238"}};
	struct book b;
	book_init(&b, 1, 8, 10);
	/* insert in scrambled order: the book must sort */
	for (int i = 9; i >= 0; i -= 2)
		set_dec(&b, SIDE_SELL, asks[i][0], asks[i][1]);
	for (int i = 0; i < 10; i += 2)
		set_dec(&b, SIDE_SELL, asks[i][0], asks[i][1]);
	for (int i = 0; i < 10; i++)
		set_dec(&b, SIDE_BUY, bids[i][0], bids[i][1]);
	assert_int_equal(book_checksum(&b), 3310070434u);
	struct book_level l;
	assert_true(book_best(&b, SIDE_SELL, &l));
	assert_int_equal(l.px, 452852);
	assert_true(book_best(&b, SIDE_BUY, &l));
	assert_int_equal(l.px, 452835);
	book_free(&b);
}

/* Computed vector C1: 12 levels per side, only the top 10 count. */
static void checksum_only_top_ten(void **state)
{
	struct book b;
	book_init(&b, 1, 8, 25);
	for (int i = 0; i < 12; i++) {
		book_set(&b, SIDE_SELL, 600000 + 5 * i, 50000000 + 1000000LL * i);
		book_set(&b, SIDE_BUY, 599995 - 5 * i, 125000000 + 100000LL * i);
	}
	assert_int_equal(book_checksum(&b), 2594943363u);
	book_free(&b);
}

/* Computed vector C2: leading zeros stripped from small prices. */
static void checksum_leading_zeros(void **state)
{
	struct book b;
	book_init(&b, 6, 2, 10);
	set_dec(&b, SIDE_SELL, "0.000124", "1500");
	set_dec(&b, SIDE_SELL, "0.000125", "20.5");
	set_dec(&b, SIDE_SELL, "0.000127", "0.75");
	set_dec(&b, SIDE_SELL, "0.000130", "100000");
	set_dec(&b, SIDE_BUY, "0.000123", "3000");
	set_dec(&b, SIDE_BUY, "0.000121", "0.01");
	set_dec(&b, SIDE_BUY, "0.000120", "42.42");
	set_dec(&b, SIDE_BUY, "0.000100", "7");
	assert_int_equal(book_checksum(&b), 3253227889u);
	book_free(&b);
}

static void delete_and_truncate(void **state)
{
	struct book b;
	book_init(&b, 0, 0, 3);
	for (int i = 1; i <= 5; i++) {
		book_set(&b, SIDE_BUY, 100 - i, i);
		book_set(&b, SIDE_SELL, 100 + i, i);
	}
	assert_int_equal(book_count(&b, SIDE_BUY), 5);
	book_truncate(&b);
	assert_int_equal(book_count(&b, SIDE_BUY), 3);
	assert_int_equal(book_count(&b, SIDE_SELL), 3);
	assert_int_equal(book_level_at(&b, SIDE_BUY, 2)->px, 97); /* worst kept bid */
	assert_int_equal(book_level_at(&b, SIDE_SELL, 2)->px, 103);
	book_set(&b, SIDE_BUY, 99, 0); /* delete the best bid */
	assert_int_equal(book_level_at(&b, SIDE_BUY, 0)->px, 98);
	book_set(&b, SIDE_BUY, 42, 0); /* deleting an absent level is harmless */
	assert_int_equal(book_count(&b, SIDE_BUY), 2);
	book_set(&b, SIDE_SELL, 101, 77); /* update in place */
	assert_int_equal(book_qty_at(&b, SIDE_SELL, 101), 77);
	assert_int_equal(book_qty_at(&b, SIDE_SELL, 150), 0);
	book_free(&b);
}

/* A reference model: random operations must leave the book equal to a plain array. */
static void random_against_model(void **state)
{
	enum { RANGE = 400 };
	int64_t model[2][RANGE];
	memset(model, 0, sizeof model);
	struct book b;
	book_init(&b, 0, 0, 0);
	srand(7);
	for (int it = 0; it < 200000; it++) {
		int s = rand() & 1;
		int px = rand() % RANGE;
		int64_t q = (rand() % 3 == 0) ? 0 : 1 + rand() % 1000;
		model[s][px] = q;
		book_set(&b, s ? SIDE_SELL : SIDE_BUY, px, q);
	}
	for (int s = 0; s < 2; s++) {
		enum side sd = s ? SIDE_SELL : SIDE_BUY;
		size_t k = 0;
		for (int i = 0; i < RANGE; i++) {
			int px = s ? i : RANGE - 1 - i; /* best first */
			if (!model[s][px])
				continue;
			const struct book_level *l = book_level_at(&b, sd, k++);
			assert_non_null(l);
			assert_int_equal(l->px, px);
			assert_int_equal(l->qty, model[s][px]);
		}
		assert_int_equal(book_count(&b, sd), k);
	}
	book_free(&b);
}

static void grouping_and_walk(void **state)
{
	struct book b;
	book_init(&b, 1, 0, 0);
	book_set(&b, SIDE_BUY, 1001, 1);
	book_set(&b, SIDE_BUY, 1004, 2);
	book_set(&b, SIDE_BUY, 995, 4);
	book_set(&b, SIDE_SELL, 1006, 1);
	book_set(&b, SIDE_SELL, 1011, 2);
	book_set(&b, SIDE_SELL, 1020, 5);
	struct book_level out[8];
	size_t n = book_grouped(&b, SIDE_BUY, 10, out, 8);
	assert_int_equal(n, 2);
	assert_int_equal(out[0].px, 1000);
	assert_int_equal(out[0].qty, 3);
	assert_int_equal(out[1].px, 990);
	n = book_grouped(&b, SIDE_SELL, 10, out, 8);
	assert_int_equal(n, 2);
	assert_int_equal(out[0].px, 1010);
	assert_int_equal(out[0].qty, 1);
	assert_int_equal(out[1].px, 1020);
	assert_int_equal(out[1].qty, 7);
	int64_t filled, worst;
	__int128 cost;
	assert_true(book_walk(&b, SIDE_BUY, 3, &filled, &cost, &worst));
	assert_int_equal(filled, 3);
	assert_int_equal((int64_t)cost, 1006 + 2 * 1011);
	assert_int_equal(worst, 1011);
	assert_false(book_walk(&b, SIDE_BUY, 100, &filled, &cost, &worst));
	assert_int_equal(filled, 8);
	book_free(&b);
}

static void off_scale_rejected(void **state)
{
	struct book b;
	book_init(&b, 1, 8, 10);
	dec_t d;
	int64_t v;
	assert_int_equal(dec_parse("45285.25", (size_t)-1, &d, NULL), 0);
	assert_int_equal(book_px_from_dec(&b, d, &v), -1);
	assert_int_equal(dec_parse("45285.20", (size_t)-1, &d, NULL), 0);
	assert_int_equal(book_px_from_dec(&b, d, &v), 0);
	assert_int_equal(v, 452852);
	book_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(checksum_official_btc),
		cmocka_unit_test(checksum_only_top_ten),
		cmocka_unit_test(checksum_leading_zeros),
		cmocka_unit_test(delete_and_truncate),
		cmocka_unit_test(random_against_model),
		cmocka_unit_test(grouping_and_walk),
		cmocka_unit_test(off_scale_rejected),
	};
	return kt_run_tests(tests);
}
