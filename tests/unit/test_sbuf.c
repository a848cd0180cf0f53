/* test_sbuf: the growable buffer keeps bytes, terminators and ownership right. */
#include <stdlib.h>
#include <string.h>

#include "base/sbuf.h"
#include "tests/unit/unit.h"

static void add_and_format(void **state)
{
	struct sbuf b = SBUF_INIT;
	assert_string_equal(sbuf_str(&b), "");
	sbuf_adds(&b, "abc");
	sbuf_addc(&b, '-');
	sbuf_addf(&b, "%d/%s", 42, "x");
	assert_string_equal(b.p, "abc-42/x");
	assert_int_equal(b.len, 8);
	sbuf_free(&b);
}

static void long_format_grows(void **state)
{
	struct sbuf b = SBUF_INIT;
	char big[1000];
	memset(big, 'z', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	sbuf_addf(&b, "<%s>", big);
	assert_int_equal(b.len, 1001);
	assert_int_equal(b.p[0], '<');
	assert_int_equal(b.p[1000], '>');
	assert_int_equal(b.p[1001], '\0');
	sbuf_free(&b);
}

static void consume_and_detach(void **state)
{
	struct sbuf b = SBUF_INIT;
	sbuf_adds(&b, "hello world");
	sbuf_consume(&b, 6);
	assert_string_equal(b.p, "world");
	sbuf_consume(&b, 99);
	assert_int_equal(b.len, 0);
	sbuf_adds(&b, "kept");
	char *s = sbuf_detach(&b);
	assert_string_equal(s, "kept");
	assert_null(b.p);
	free(s);
}

static void binary_data(void **state)
{
	struct sbuf b = SBUF_INIT;
	sbuf_add(&b, "a\0b", 3);
	assert_int_equal(b.len, 3);
	assert_memory_equal(b.p, "a\0b", 3);
	sbuf_free_secret(&b);
	assert_null(b.p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(add_and_format),
		cmocka_unit_test(long_format_grows),
		cmocka_unit_test(consume_and_detach),
		cmocka_unit_test(binary_data),
	};
	return kt_run_tests(tests);
}
