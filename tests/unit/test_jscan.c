/* test_jscan: the JSON tokenizer accepts exactly RFC 8259, fails cleanly (no
 * crash, no over-read) on anything else including every truncation of a real
 * message, navigates and converts tokens exactly, and the writer escapes
 * correctly; a Kraken WS v2 book snapshot is parsed and its CRC32 checksum
 * recomputed from the exact decimal text. */
#include <stdlib.h>
#include <string.h>

#include "base/crc32.h"
#include "base/jscan.h"
#include "base/jwrite.h"
#include "base/sbuf.h"
#include "tests/unit/unit.h"

/* Parse a copy in an exact-size heap block so ASan catches any read past len. */
static int parse_copy(struct jdoc *d, char **copy, const char *s, size_t n, struct kerr *e)
{
	*copy = malloc(n ? n : 1);
	assert_non_null(*copy);
	memcpy(*copy, s, n);
	return jdoc_parse(d, *copy, n, e);
}

static int parse_str(struct jdoc *d, const char *s, struct kerr *e)
{
	return jdoc_parse(d, s, strlen(s), e);
}

/* ---- accept / reject ---------------------------------------------------- */

/* Valid documents of every kind parse, with the expected token count. */
static void valid_documents(void **state)
{
	static const struct {
		const char *json;
		size_t ntok;
		enum jtype root;
	} ok[] = {
	        {"{}", 1, J_OBJ},
	        {"[]", 1, J_ARR},
	        {"0", 1, J_NUM},
	        {"-0", 1, J_NUM},
	        {"-1.5e+10", 1, J_NUM},
	        {"\"x\"", 1, J_STR},
	        {"\"\"", 1, J_STR},
	        {"true", 1, J_TRUE},
	        {"false", 1, J_FALSE},
	        {"null", 1, J_NULL},
	        {" \n\t\r{ \"a\" : [ 1 , 2 ] } \n", 5, J_OBJ},
	        {"{\"a\":{\"b\":{\"c\":[[],{},[{}]]}}}", 11, J_OBJ},
	        {"[0,-0,1.5,1e5,1E-5,-2.5e+3,0.0,123456789012345678901234567890]", 9, J_ARR},
	        {"\"\\\"\\\\\\/\\b\\f\\n\\r\\t\\u00e9\\ud83d\\ude00\"", 1, J_STR},
	        {"\"\xc3\xa9\xe6\x97\xa5\xf0\x9f\x98\x80\xef\xbf\xbd\"", 1, J_STR},
	        {"[true,false,null,\"\",{},[]]", 7, J_ARR},
	        {"{\"\":\"\"}", 3, J_OBJ},
	        {"{\"dup\":1,\"dup\":2}", 5, J_OBJ},
	};
	struct jdoc d;
	jdoc_init(&d);
	for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
		struct kerr e = KERR_INIT;
		char *copy;
		if (parse_copy(&d, &copy, ok[i].json, strlen(ok[i].json), &e))
			fail_msg("rejected %s: %s", ok[i].json, e.msg);
		if (d.n != ok[i].ntok || jtok_type(&d, 0) != ok[i].root)
			fail_msg("%s: %zu tokens, root %d", ok[i].json, d.n, jtok_type(&d, 0));
		assert_int_equal(d.t[0].end, d.n);
		free(copy);
	}
	jdoc_free(&d);
}

/* The token array has the documented shape: spans, sizes and subtree ends. */
static void token_shape(void **state)
{
	const char *s = "{\"a\":[1,{\"b\":null}],\"c\":\"d\\n\"}";
	struct jdoc d;
	jdoc_init(&d);
	assert_int_equal(parse_str(&d, s, NULL), 0);
	assert_int_equal(d.n, 9);
	static const struct {
		enum jtype type;
		const char *raw;
		uint32_t size, end;
	} want[] = {
	        {J_OBJ, "{\"a\":[1,{\"b\":null}],\"c\":\"d\\n\"}", 2, 9},
	        {J_STR, "a", 0, 2},
	        {J_ARR, "[1,{\"b\":null}]", 2, 7},
	        {J_NUM, "1", 0, 4},
	        {J_OBJ, "{\"b\":null}", 1, 7},
	        {J_STR, "b", 0, 6},
	        {J_NULL, "null", 0, 7},
	        {J_STR, "c", 0, 8},
	        {J_STR, "d\\n", 1, 9}, /* size 1: contains an escape */
	};
	for (int i = 0; i < 9; i++) {
		size_t len;
		const char *raw = jtok_raw(&d, i, &len);
		assert_int_equal(d.t[i].type, want[i].type);
		assert_int_equal(len, strlen(want[i].raw));
		assert_memory_equal(raw, want[i].raw, len);
		assert_int_equal(d.t[i].size, want[i].size);
		assert_int_equal(d.t[i].end, want[i].end);
	}
	jdoc_free(&d);
}

/* Invalid documents fail with a message saying what and where. */
static void invalid_documents(void **state)
{
	static const struct {
		const char *json;
		const char *msg;
	} bad[] = {
	        {"", "unexpected end of input"},
	        {"   ", "unexpected end of input"},
	        {"01", "leading zeros are not allowed at byte 0"},
	        {"[-01]", "leading zeros"},
	        {"[1,]", "trailing comma at byte 3"},
	        {"{\"a\":1,}", "trailing comma"},
	        {"{a:1}", "expected a string key, found 'a' at byte 1"},
	        {"['a']", "expected a value, found '''"},
	        {"\"a\x01\"", "control character in string"},
	        {"\"a\tb\"", "control character"},
	        {"\"\\x\"", "invalid escape"},
	        {"\"\\u12G4\"", "4 hex digits"},
	        {"\"\\u12\"", "4 hex digits"},
	        {"\"\\u12", "truncated"},
	        {"[1 2]", "expected ',' or ']', found '2'"},
	        {"{\"a\" 1}", "expected ':' after key"},
	        {"{\"a\":1 \"b\":2}", "expected ',' or '}'"},
	        {"{\"a\":1} x", "unexpected data after the JSON value, found 'x' at byte 8"},
	        {"1 2", "unexpected data"},
	        {"tru", "invalid literal"},
	        {"nul", "invalid literal"},
	        {"True", "expected a value"},
	        {"-", "unexpected end of input"},
	        {"1.", "unexpected end of input"},
	        {"1.e5", "expected a digit after '.'"},
	        {"1e", "unexpected end of input"},
	        {"1e+", "unexpected end of input"},
	        {".5", "expected a value"},
	        {"+1", "expected a value"},
	        {"NaN", "expected a value"},
	        {"Infinity", "expected a value"},
	        {"[", "unexpected end of input"},
	        {"{", "unexpected end of input at byte 1"},
	        {"\"abc", "unterminated string at byte 0"},
	        {"\xff", "found byte 0xff"},
	        {"\"\xc3\"", "invalid UTF-8"},
	        {"\"\xc0\xaf\"", "invalid UTF-8"},         /* overlong '/' */
	        {"\"\xed\xa0\x80\"", "invalid UTF-8"},     /* UTF-16 surrogate in UTF-8 */
	        {"\"\xf4\x90\x80\x80\"", "invalid UTF-8"}, /* above U+10FFFF */
	        {"\"\xe0\x80\x80\"", "invalid UTF-8"},     /* overlong */
	        {"[1]]", "unexpected data"},
	        {"{\"a\":1}}", "unexpected data"},
	        {"{\"a\"}", "expected ':'"},
	        {"{,}", "expected a string key"},
	        {"[,1]", "expected a value"},
	        {"[1,,2]", "expected a value"},
	        {"{\"a\":}", "expected a value"},
	        {"\xef\xbb\xbf{}", "found byte 0xef"}, /* no BOM */
	};
	struct jdoc d;
	jdoc_init(&d);
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct kerr e = KERR_INIT;
		char *copy;
		if (parse_copy(&d, &copy, bad[i].json, strlen(bad[i].json), &e) == 0)
			fail_msg("accepted invalid %s", bad[i].json);
		if (e.code != JSCAN_E_SYNTAX || !strstr(e.msg, bad[i].msg))
			fail_msg("%s: got \"%s\", want \"%s\"", bad[i].json, e.msg, bad[i].msg);
		assert_int_equal(d.n, 0);
		assert_int_equal(jtok_type(&d, 0), J_NONE);
		free(copy);
	}
	jdoc_free(&d);
}

/* Depth 64 is accepted, 65 rejected, for arrays and objects. */
static void depth_limit(void **state)
{
	struct sbuf b = SBUF_INIT;
	struct jdoc d;
	struct kerr e = KERR_INIT;
	jdoc_init(&d);
	for (int depth = 63; depth <= 66; depth++) {
		for (int obj = 0; obj < 2; obj++) {
			sbuf_reset(&b);
			for (int i = 0; i < depth; i++)
				sbuf_adds(&b, obj ? "{\"k\":" : "[");
			sbuf_adds(&b, "1");
			for (int i = 0; i < depth; i++)
				sbuf_adds(&b, obj ? "}" : "]");
			int rc = jdoc_parse(&d, b.p, b.len, &e);
			if (depth <= JSCAN_MAX_DEPTH) {
				assert_int_equal(rc, 0);
			} else {
				assert_int_equal(rc, -1);
				assert_int_equal(e.code, JSCAN_E_DEPTH);
				assert_non_null(strstr(e.msg, "deeper than 64"));
			}
		}
	}
	sbuf_free(&b);
	jdoc_free(&d);
}

/* Every proper prefix of a real message fails cleanly; random byte damage
 * never crashes or over-reads (each run uses an exact-size heap copy). */
static void truncation_and_damage(void **state)
{
	size_t len;
	char *doc = kt_fixture_read("base/ws2_book_snapshot_btcusd.json", &len);
	struct jdoc d;
	jdoc_init(&d);
	struct kerr e = KERR_INIT;
	char *copy;
	assert_int_equal(parse_copy(&d, &copy, doc, len, &e), 0);
	free(copy);
	/* strip the trailing newline: every shorter prefix is then incomplete */
	while (len && (doc[len - 1] == '\n'))
		len--;
	for (size_t n = 0; n < len; n++) {
		int rc = parse_copy(&d, &copy, doc, n, &e);
		if (rc == 0)
			fail_msg("prefix of %zu bytes accepted", n);
		assert_int_equal(d.n, 0);
		assert_non_null(strstr(e.msg, "at byte"));
		free(copy);
	}
	uint64_t r = 12345;
	static const char junk[] = "{}[],:\"\\0123456789-+.eEtfnul \x01\x80\xff";
	for (int i = 0; i < 4000; i++) {
		char *m = malloc(len);
		memcpy(m, doc, len);
		for (int k = 0; k < 3; k++) {
			r = r * 6364136223846793005ULL + 1442695040888963407ULL;
			m[(r >> 33) % len] = junk[(r >> 17) % (sizeof junk - 1)];
		}
		if (jdoc_parse(&d, m, len, &e) == 0)
			assert_int_equal(d.t[0].end, d.n);
		free(m);
	}
	free(doc);
	jdoc_free(&d);
}

/* ---- navigation --------------------------------------------------------- */

/* Object/array lookups, iteration and paths, including chaining from -1. */
static void lookup_helpers(void **state)
{
	const char *s =
	        "{\"a\":1,\"list\":[10,[20,21],{\"x\":true},30],\"o\":{},\"a\\u0062\":\"esc\","
	        "\"dup\":1,\"dup\":2}";
	struct jdoc d;
	jdoc_init(&d);
	assert_int_equal(parse_str(&d, s, NULL), 0);
	int64_t v;
	assert_int_equal(jtok_i64(&d, jobj_get(&d, 0, "a"), &v), 0);
	assert_int_equal(v, 1);
	assert_int_equal(jobj_get(&d, 0, "missing"), -1);
	assert_int_equal(jobj_get(&d, 0, "A"), -1);
	assert_int_equal(jobj_getn(&d, 0, "abc", 1), jobj_get(&d, 0, "a"));
	assert_true(jstr_eq(&d, jobj_get(&d, 0, "ab"), "esc")); /* escaped key */
	assert_int_equal(jtok_i64(&d, jobj_get(&d, 0, "dup"), &v), 0);
	assert_int_equal(v, 1); /* first wins */

	int list = jobj_get(&d, 0, "list");
	assert_true(jtok_is(&d, list, J_ARR));
	assert_int_equal(jtok_size(&d, list), 4);
	assert_int_equal(jobj_get(&d, list, "x"), -1); /* not an object */
	assert_int_equal(jarr_at(&d, 0, 0), -1);       /* not an array */
	assert_int_equal(jarr_at(&d, list, 4), -1);
	assert_int_equal(jtok_i64(&d, jarr_at(&d, list, 3), &v), 0);
	assert_int_equal(v, 30);
	assert_true(jtok_is(&d, jarr_at(&d, list, 2), J_OBJ));

	/* iteration visits elements in order; objects give keys */
	int64_t seen[4];
	size_t n = 0;
	for (int k = jfirst(&d, list); k >= 0; k = jnext(&d, list, k))
		seen[n++] = jtok_type(&d, k);
	assert_int_equal(n, 4);
	assert_true(seen[0] == J_NUM && seen[1] == J_ARR && seen[2] == J_OBJ && seen[3] == J_NUM);
	const char *keys[] = {"a", "list", "o", "ab", "dup", "dup"};
	n = 0;
	for (int k = jfirst(&d, 0); k >= 0; k = jnext(&d, 0, k)) {
		assert_true(jstr_eq(&d, k, keys[n]));
		n++;
	}
	assert_int_equal(n, 6);
	assert_int_equal(jfirst(&d, jobj_get(&d, 0, "o")), -1); /* empty */
	assert_int_equal(jfirst(&d, jobj_get(&d, 0, "a")), -1); /* scalar */

	/* paths */
	bool b;
	assert_int_equal(jtok_bool(&d, jpath(&d, 0, "list", "2", "x", NULL), &b), 0);
	assert_true(b);
	assert_int_equal(jtok_i64(&d, jpath(&d, 0, "list", "1", "1", NULL), &v), 0);
	assert_int_equal(v, 21);
	assert_int_equal(jpath(&d, 0, NULL), 0);
	assert_int_equal(jpath(&d, 0, "list", "9", NULL), -1);
	assert_int_equal(jpath(&d, 0, "list", "-1", NULL), -1);
	assert_int_equal(jpath(&d, 0, "list", "1x", NULL), -1);
	assert_int_equal(jpath(&d, 0, "list", "", NULL), -1);
	assert_int_equal(jpath(&d, 0, "a", "b", NULL), -1);
	assert_int_equal(jpath(&d, -1, "a", NULL), -1);

	/* everything tolerates bad indices */
	assert_int_equal(jobj_get(&d, -1, "a"), -1);
	assert_int_equal(jobj_get(&d, 9999, "a"), -1);
	assert_int_equal(jarr_at(&d, -1, 0), -1);
	assert_int_equal(jfirst(&d, -1), -1);
	assert_int_equal(jnext(&d, list, -1), -1);
	assert_int_equal(jnext(&d, -1, 0), -1);
	assert_true(jtok_is(&d, -1, J_NONE)); /* an invalid index has no type */
	assert_int_equal(jtok_type(&d, 12345), J_NONE);
	assert_null(jtok_raw(&d, -1, NULL));
	assert_false(jstr_eq(&d, -1, ""));
	assert_int_equal(jtok_i64(&d, -1, &v), -1);
	assert_int_equal(jtok_bool(&d, jobj_get(&d, 0, "a"), &b), -1);
	jdoc_free(&d);
}

/* Strings are unescaped to UTF-8 (surrogate pairs included), truncated at a
 * character boundary, and compared with escapes taken into account. */
static void string_decoding(void **state)
{
	const char *s = "[\"a\\\"b\\\\c\\/d\\b\\f\\n\\r\\t\", \"\\u00e9\\u65e5\\ud83d\\ude00\", "
	                "\"\\ud83d\", \"\\ude00x\", \"plain\xc3\xa9\", \"\\u0000z\", 12.50, true]";
	struct jdoc d;
	char buf[64];
	jdoc_init(&d);
	assert_int_equal(parse_str(&d, s, NULL), 0);
	assert_int_equal(jtok_str(&d, 1, buf, sizeof buf), 12);
	assert_string_equal(buf, "a\"b\\c/d\b\f\n\r\t");
	assert_true(jstr_eq(&d, 1, "a\"b\\c/d\b\f\n\r\t"));
	assert_false(jstr_eq(&d, 1, "a\"b\\c/d\b\f\n\r"));
	assert_false(jstr_eq(&d, 1, "a\"b\\c/d\b\f\n\r\tX"));
	assert_int_equal(jtok_str(&d, 2, buf, sizeof buf), 9);
	assert_string_equal(buf, "\xc3\xa9\xe6\x97\xa5\xf0\x9f\x98\x80");
	assert_true(jstr_eq(&d, 2, "\xc3\xa9\xe6\x97\xa5\xf0\x9f\x98\x80"));
	jtok_str(&d, 3, buf, sizeof buf);
	assert_string_equal(buf, "\xef\xbf\xbd"); /* lone high surrogate */
	jtok_str(&d, 4, buf, sizeof buf);
	assert_string_equal(buf, "\xef\xbf\xbdx"); /* lone low surrogate */
	assert_true(jstr_eq(&d, 5, "plain\xc3\xa9"));
	assert_int_equal(jtok_str(&d, 6, buf, sizeof buf), 2); /* embedded NUL kept in length */
	assert_int_equal(buf[0], '\0');
	assert_int_equal(buf[1], 'z');
	assert_false(jstr_eq(&d, 6, "z"));
	assert_int_equal(jtok_str(&d, 7, buf, sizeof buf), 5); /* numbers: raw text */
	assert_string_equal(buf, "12.50");
	assert_false(jstr_eq(&d, 7, "12.50")); /* not a string */
	assert_int_equal(jtok_str(&d, 8, buf, sizeof buf), 4);
	assert_string_equal(buf, "true");

	/* truncation never splits a UTF-8 character and always terminates */
	assert_int_equal(jtok_str(&d, 2, buf, 3), 9);
	assert_string_equal(buf, "\xc3\xa9");
	assert_int_equal(jtok_str(&d, 2, buf, 2), 9);
	assert_string_equal(buf, "");
	assert_int_equal(jtok_str(&d, 2, buf, 7), 9);
	assert_string_equal(buf, "\xc3\xa9\xe6\x97\xa5");
	assert_int_equal(jtok_str(&d, 2, buf, 8), 9); /* 7 bytes of room: emoji does not fit */
	assert_string_equal(buf, "\xc3\xa9\xe6\x97\xa5");
	assert_int_equal(jtok_str(&d, 2, buf, 10), 9);
	assert_string_equal(buf, "\xc3\xa9\xe6\x97\xa5\xf0\x9f\x98\x80");
	assert_int_equal(jtok_str(&d, 1, buf, 4), 12);
	assert_string_equal(buf, "a\"b");
	assert_int_equal(jtok_str(&d, 1, NULL, 0), 12);
	buf[0] = 'X';
	assert_int_equal(jtok_str(&d, 99, buf, sizeof buf), 0);
	assert_string_equal(buf, "");

	char *dup = jtok_strdup(&d, 2);
	assert_string_equal(dup, "\xc3\xa9\xe6\x97\xa5\xf0\x9f\x98\x80");
	free(dup);
	assert_null(jtok_strdup(&d, -1));
	jdoc_free(&d);
}

/* Numbers and numeric strings convert exactly; anything else is refused. */
static void number_conversion(void **state)
{
	const char *s = "[45285.2, 0.00100000, 5.494e-6, \"141.3\", \"abc\", true, \"1\\u0030\", "
	                "1700000000000, -5, \"42\", 1.0, 1.5, 9223372036854775807, "
	                "9223372036854775808, -9223372036854775808, 18446744073709551615, "
	                "18446744073709551616, -1, 1e3, \"\", 1e-400, 12345678901234567890.5]";
	struct jdoc d;
	struct kerr e = KERR_INIT;
	dec_t v;
	jdoc_init(&d);
	assert_int_equal(parse_str(&d, s, &e), 0);
	int el[22];
	for (int i = 0; i < 22; i++)
		el[i] = jarr_at(&d, 0, (size_t)i);
	assert_int_equal(jtok_dec(&d, el[0], &v, &e), 0);
	assert_true(v.m == 452852 && v.s == 1);
	assert_int_equal(jtok_dec(&d, el[1], &v, &e), 0);
	assert_true(v.m == 100000 && v.s == 8);
	assert_int_equal(jtok_dec(&d, el[2], &v, &e), 0);
	assert_true(v.m == 5494 && v.s == 9);
	assert_int_equal(jtok_dec(&d, el[3], &v, &e), 0);
	assert_true(v.m == 1413 && v.s == 1);
	assert_int_equal(jtok_dec(&d, el[4], &v, &e), -1);
	assert_int_equal(jtok_dec(&d, el[5], &v, &e), -1);
	assert_int_equal(e.code, JSCAN_E_TYPE);
	assert_string_equal(e.msg, "expected a number, got true");
	assert_int_equal(jtok_dec(&d, el[6], &v, &e), -1); /* escaped digits are not numeric text */
	assert_int_equal(jtok_dec(&d, el[20], &v, &e), -1);
	assert_int_equal(jtok_dec(&d, el[21], &v, &e), -1);
	assert_int_equal(e.code, DEC_E_OVERFLOW);

	int64_t i64;
	uint64_t u64;
	assert_int_equal(jtok_i64(&d, el[7], &i64), 0);
	assert_true(i64 == 1700000000000LL);
	assert_int_equal(jtok_i64(&d, el[8], &i64), 0);
	assert_true(i64 == -5);
	assert_int_equal(jtok_i64(&d, el[9], &i64), 0);
	assert_true(i64 == 42);
	assert_int_equal(jtok_i64(&d, el[10], &i64), 0);
	assert_true(i64 == 1);
	assert_int_equal(jtok_i64(&d, el[11], &i64), -1);
	assert_int_equal(jtok_i64(&d, el[12], &i64), 0);
	assert_true(i64 == INT64_MAX);
	assert_int_equal(jtok_i64(&d, el[13], &i64), -1);
	assert_int_equal(jtok_i64(&d, el[14], &i64), 0);
	assert_true(i64 == INT64_MIN);
	assert_int_equal(jtok_i64(&d, el[18], &i64), 0);
	assert_true(i64 == 1000);
	assert_int_equal(jtok_i64(&d, el[19], &i64), -1);
	assert_int_equal(jtok_i64(&d, el[5], &i64), -1);
	assert_int_equal(jtok_u64(&d, el[15], &u64), 0);
	assert_true(u64 == UINT64_MAX);
	assert_int_equal(jtok_u64(&d, el[16], &u64), -1);
	assert_int_equal(jtok_u64(&d, el[17], &u64), -1);
	assert_int_equal(jtok_u64(&d, el[9], &u64), 0);
	assert_true(u64 == 42);
	assert_int_equal(jtok_u64(&d, el[18], &u64), 0);
	assert_true(u64 == 1000);
	bool b;
	assert_int_equal(jtok_bool(&d, el[5], &b), 0);
	assert_true(b);
	assert_int_equal(jtok_bool(&d, el[9], &b), -1);
	jdoc_free(&d);
}

/* One jdoc parses a stream of messages, growing its token array only as needed. */
static void reuse_across_messages(void **state)
{
	struct jdoc d;
	jdoc_init(&d);
	struct sbuf b = SBUF_INIT;
	sbuf_adds(&b, "[");
	for (int i = 0; i < 1000; i++)
		sbuf_addf(&b, "%s{\"i\":%d}", i ? "," : "", i);
	sbuf_adds(&b, "]");
	assert_int_equal(jdoc_parse(&d, b.p, b.len, NULL), 0);
	assert_int_equal(d.n, 3001);
	size_t cap = d.cap;
	void *t = d.t;
	for (int k = 0; k < 100; k++) {
		assert_int_equal(parse_str(&d, "{\"channel\":\"heartbeat\"}", NULL), 0);
		assert_true(jstr_eq(&d, jobj_get(&d, 0, "channel"), "heartbeat"));
		assert_int_equal(jdoc_parse(&d, b.p, b.len, NULL), 0);
	}
	assert_true(d.cap == cap && d.t == t); /* no reallocation once big enough */
	int64_t v;
	assert_int_equal(jtok_i64(&d, jpath(&d, 0, "999", "i", NULL), &v), 0);
	assert_int_equal(v, 999);
	sbuf_free(&b);
	jdoc_free(&d);
}

/* ---- Kraken fixture ----------------------------------------------------- */

/* Checksum text of one level: fixed places, no '.', no leading zeros. */
static void checksum_level(struct sbuf *out, dec_t v, int places)
{
	char buf[DEC_FMT_MAX];
	dec_fmt(v, places, buf, sizeof buf);
	const char *p = buf;
	char digits[DEC_FMT_MAX];
	size_t n = 0;
	for (; *p; p++)
		if (*p != '.')
			digits[n++] = *p;
	size_t z = 0;
	while (z + 1 < n && digits[z] == '0')
		z++;
	sbuf_add(out, digits + z, n - z);
}

static void checksum_side(const struct jdoc *d, int side, struct sbuf *out)
{
	int k = 0;
	for (int lv = jfirst(d, side); lv >= 0 && k < 10; lv = jnext(d, side, lv), k++) {
		dec_t price = dec_zero(), qty = dec_zero();
		struct kerr e = KERR_INIT;
		if (jtok_dec(d, jobj_get(d, lv, "price"), &price, &e) ||
		    jtok_dec(d, jobj_get(d, lv, "qty"), &qty, &e))
			fail_msg("level %d: %s", k, e.msg);
		checksum_level(out, price, 1);
		checksum_level(out, qty, 8);
	}
}

/* A WS v2 book snapshot (kraken-protocol.md §2.3, levels from §6.1 O3) is
 * navigated and its checksum recomputed from the exact number text. */
static void kraken_book_snapshot(void **state)
{
	size_t len;
	char *doc = kt_fixture_read("base/ws2_book_snapshot_btcusd.json", &len);
	struct jdoc d;
	struct kerr e = KERR_INIT;
	jdoc_init(&d);
	if (jdoc_parse(&d, doc, len, &e))
		fail_msg("fixture: %s", e.msg);
	assert_true(jstr_eq(&d, jobj_get(&d, 0, "channel"), "book"));
	assert_true(jstr_eq(&d, jobj_get(&d, 0, "type"), "snapshot"));
	int data0 = jpath(&d, 0, "data", "0", NULL);
	assert_true(jtok_is(&d, data0, J_OBJ));
	assert_true(jstr_eq(&d, jobj_get(&d, data0, "symbol"), "BTC/USD"));
	int bids = jobj_get(&d, data0, "bids"), asks = jobj_get(&d, data0, "asks");
	assert_int_equal(jtok_size(&d, bids), 10);
	assert_int_equal(jtok_size(&d, asks), 10);
	uint64_t checksum;
	assert_int_equal(jtok_u64(&d, jobj_get(&d, data0, "checksum"), &checksum), 0);
	assert_true(checksum == 3310070434u);
	char ts[40];
	jtok_str(&d, jobj_get(&d, data0, "timestamp"), ts, sizeof ts);
	assert_string_equal(ts, "2023-10-06T17:35:55.440295Z");

	dec_t p;
	assert_int_equal(jtok_dec(&d, jpath(&d, asks, "0", "qty", NULL), &p, NULL), 0);
	assert_true(p.m == 1 && p.s == 3); /* sent as 0.001: padded only for the checksum */

	struct sbuf a = SBUF_INIT, b = SBUF_INIT;
	checksum_side(&d, asks, &a);
	checksum_side(&d, bids, &b);
	assert_string_equal(a.p, "4528521000004528641545719534528661545711094528961545609114529021"
	                         "5890660452918154553491452947445474945296135380000452975994554245"
	                         "299518772827");
	assert_string_equal(b.p, "4528351000000045283415458201545282110000000452810100000004528031"
	                         "5459258645279079900004527763310103452775300000004527731546027374"
	                         "5276615445238");
	uint32_t crc = kt_crc32(0, a.p, a.len);
	crc = kt_crc32(crc, b.p, b.len);
	assert_true(crc == checksum);
	sbuf_free(&a);
	sbuf_free(&b);
	free(doc);
	jdoc_free(&d);
}

/* ---- writer ------------------------------------------------------------- */

/* The writer places commas and colons and builds a Kraken request exactly. */
static void writer_structure(void **state)
{
	struct sbuf b = SBUF_INIT;
	struct jw w;
	jw_init(&w, &b);
	jw_obj_begin(&w);
	jw_key(&w, "method");
	jw_str(&w, "add_order");
	jw_key(&w, "params");
	jw_obj_begin(&w);
	jw_key(&w, "order_type");
	jw_str(&w, "limit");
	jw_key(&w, "order_qty");
	jw_dec(&w, dec_make(125, 2));
	jw_key(&w, "limit_price");
	jw_dec(&w, dec_make(612000, 1));
	jw_key(&w, "post_only");
	jw_bool(&w, true);
	jw_key(&w, "reduce_only");
	jw_bool(&w, false);
	jw_key(&w, "cl_ord_id");
	jw_null(&w);
	jw_key(&w, "triggers");
	jw_raw(&w, "{\"reference\":\"last\"}");
	jw_obj_end(&w);
	jw_key(&w, "req_id");
	jw_i64(&w, -7);
	jw_key(&w, "conn");
	jw_u64(&w, UINT64_MAX);
	jw_key(&w, "list");
	jw_arr_begin(&w);
	jw_arr_begin(&w);
	jw_arr_end(&w);
	jw_obj_begin(&w);
	jw_obj_end(&w);
	jw_dec_str(&w, dec_make(-5, 3));
	jw_i64(&w, 1);
	jw_arr_end(&w);
	jw_obj_end(&w);
	assert_false(jw_error(&w));
	assert_string_equal(b.p,
	                    "{\"method\":\"add_order\",\"params\":{\"order_type\":\"limit\","
	                    "\"order_qty\":1.25,\"limit_price\":61200.0,\"post_only\":true,"
	                    "\"reduce_only\":false,\"cl_ord_id\":null,\"triggers\":{"
	                    "\"reference\":\"last\"}},\"req_id\":-7,\"conn\":18446744073709551615,"
	                    "\"list\":[[],{},\"-0.005\",1]}");
	struct jdoc d;
	jdoc_init(&d);
	assert_int_equal(jdoc_parse(&d, b.p, b.len, NULL), 0);
	dec_t v;
	assert_int_equal(jtok_dec(&d, jpath(&d, 0, "params", "limit_price", NULL), &v, NULL), 0);
	assert_true(dec_eq(v, dec_make(612000, 1)));
	jdoc_free(&d);
	sbuf_free(&b);
}

/* Misuse is flagged rather than producing silently broken JSON. */
static void writer_misuse(void **state)
{
	struct sbuf b = SBUF_INIT;
	struct jw w;
	jw_init(&w, &b);
	jw_obj_begin(&w);
	jw_str(&w, "value where a key is due");
	assert_true(jw_error(&w));

	sbuf_reset(&b);
	jw_init(&w, &b);
	jw_arr_begin(&w);
	jw_obj_end(&w);
	assert_true(jw_error(&w));

	sbuf_reset(&b);
	jw_init(&w, &b);
	jw_arr_begin(&w);
	assert_true(jw_error(&w)); /* unclosed */
	jw_key(&w, "k");           /* key in an array */
	jw_arr_end(&w);
	assert_true(jw_error(&w));

	sbuf_reset(&b);
	jw_init(&w, &b);
	jw_obj_begin(&w);
	jw_key(&w, "k");
	jw_obj_end(&w); /* key without value */
	assert_true(jw_error(&w));

	sbuf_reset(&b);
	jw_init(&w, &b);
	for (int i = 0; i < 65; i++)
		jw_arr_begin(&w);
	assert_true(jw_error(&w));
	sbuf_free(&b);
}

/* Every byte that needs escaping is escaped, and the result decodes back. */
static void writer_escaping(void **state)
{
	struct sbuf b = SBUF_INIT;
	struct jw w;
	jw_init(&w, &b);
	jw_str(&w, "q\"b\\s/n\nt\tr\rb\bf\f\x01\x1f\x7f\xc3\xa9");
	assert_false(jw_error(&w));
	assert_string_equal(b.p, "\"q\\\"b\\\\s/n\\nt\\tr\\rb\\bf\\f\\u0001\\u001f\x7f\xc3\xa9\"");

	/* all bytes 1..127 plus UTF-8 round-trip through writer and scanner */
	char all[140] = {0}; /* NUL-terminated too: it is also used as a key */
	size_t n = 0;
	for (int c = 1; c < 128; c++)
		all[n++] = (char)c;
	memcpy(all + n, "\xf0\x9f\x98\x80\xe6\x97\xa5", 7);
	n += 7;
	sbuf_reset(&b);
	jw_init(&w, &b);
	jw_obj_begin(&w);
	jw_key(&w, all);
	jw_strn(&w, all, n);
	jw_obj_end(&w);
	struct jdoc d;
	jdoc_init(&d);
	assert_int_equal(jdoc_parse(&d, b.p, b.len, NULL), 0);
	char back[160];
	assert_int_equal(jtok_str(&d, 2, back, sizeof back), n);
	assert_memory_equal(back, all, n);
	assert_int_equal(jobj_getn(&d, 0, all, n), 2);
	jdoc_free(&d);
	sbuf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(valid_documents),       cmocka_unit_test(token_shape),
	        cmocka_unit_test(invalid_documents),     cmocka_unit_test(depth_limit),
	        cmocka_unit_test(truncation_and_damage), cmocka_unit_test(lookup_helpers),
	        cmocka_unit_test(string_decoding),       cmocka_unit_test(number_conversion),
	        cmocka_unit_test(reuse_across_messages), cmocka_unit_test(kraken_book_snapshot),
	        cmocka_unit_test(writer_structure),      cmocka_unit_test(writer_misuse),
	        cmocka_unit_test(writer_escaping),
	};
	return kt_run_tests(tests);
}
