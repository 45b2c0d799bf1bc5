/* test-buf.c: shell quoting of paths for the fix commands (rg_buf_shquote). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "repoguard/buf.h"

static void expect_shquote(const char *in, const char *want)
{
	rg_buf b = RG_BUF_INIT;

	rg_buf_shquote(&b, in);
	assert_string_equal(rg_buf_cstr(&b), want);
	rg_buf_dispose(&b);
}

static void test_shquote_plain_and_quoted(void **state)
{
	(void)state;
	expect_shquote("src/a-b_c.txt", "src/a-b_c.txt");
	expect_shquote("a b", "'a b'");
	expect_shquote("-x.pem", "'-x.pem'");
	expect_shquote("", "''");
	expect_shquote("it's", "'it'\\''s'");
	expect_shquote("caf\xc3\xa9 $x", "'caf\xc3\xa9 $x'");
}

static void test_shquote_control_bytes(void **state)
{
	(void)state;
	/* ESC, newline, tab, DEL: $'...' with escapes, never a raw byte */
	expect_shquote("a\033[2Jb.txt", "$'a\\033[2Jb.txt'");
	expect_shquote("a\nb", "$'a\\nb'");
	expect_shquote("a\tb's\\", "$'a\\tb\\'s\\\\'");
	expect_shquote("x\177", "$'x\\177'");
	expect_shquote("\001", "$'\\001'");
	/* the octal escape is always three digits: a following digit stays a digit */
	expect_shquote("\0337", "$'\\0337'");
	/* C1 controls (U+009B, CSI) and bytes that are not UTF-8 */
	expect_shquote("a\xc2\x9b" "b", "$'a\\302\\233b'");
	expect_shquote("a\xff" "b", "$'a\\377b'");
	/* valid UTF-8 beside a control byte stays as it is */
	expect_shquote("\xc3\xa9\033", "$'\xc3\xa9\\033'");
}

static void test_shquote_output_has_no_control_bytes(void **state)
{
	rg_buf b = RG_BUF_INIT;
	char in[2] = { 0, 0 };
	int c;
	size_t i;

	(void)state;
	for (c = 1; c < 256; c++) {
		in[0] = (char)c;
		rg_buf_clear(&b);
		rg_buf_shquote(&b, in);
		for (i = 0; i < b.len; i++) {
			unsigned char u = (unsigned char)b.ptr[i];

			assert_false(u < 0x20 || u == 0x7f || u >= 0x80);
		}
	}
	rg_buf_dispose(&b);
}

/* rg_utf8_char: what a reporter must escape, as rg_buf_shquote decides */
static void test_utf8_char(void **state)
{
	int unsafe;

	(void)state;
	assert_int_equal(rg_utf8_char("a", &unsafe), 1);
	assert_false(unsafe);
	assert_int_equal(rg_utf8_char("\033[", &unsafe), 1);
	assert_true(unsafe);
	assert_int_equal(rg_utf8_char("\x9b" "2J", &unsafe), 1);  /* a lone C1 byte: not UTF-8 */
	assert_true(unsafe);
	assert_int_equal(rg_utf8_char("\xc2\x9b", &unsafe), 2);   /* U+009B, CSI */
	assert_true(unsafe);
	assert_int_equal(rg_utf8_char("\xc2\xa0", &unsafe), 2);   /* U+00A0: text */
	assert_false(unsafe);
	assert_int_equal(rg_utf8_char("\xc3\xa9", &unsafe), 2);   /* é: its 0xA9 is no control */
	assert_false(unsafe);
	assert_int_equal(rg_utf8_char("\xe2\x82\xac", &unsafe), 3); /* € holds 0x82 */
	assert_false(unsafe);
	assert_int_equal(rg_utf8_char("\xc3", &unsafe), 1);        /* cut sequence */
	assert_true(unsafe);
}

static void test_json_str_c1(void **state)
{
	rg_buf b = RG_BUF_INIT;

	(void)state;
	rg_buf_json_str(&b, "a\xc2\x9b" "b\x9b" "c\xc3\xa9");
	assert_string_equal(b.ptr, "\"a\\u009bb\\ufffdc\xc3\xa9\"");
	rg_buf_dispose(&b);
}

/* git's unquote_c_style: the escapes it knows, octal, the end; anything else refused, the buffer untouched. */
static void test_unquote_c(void **state)
{
	rg_buf b = RG_BUF_INIT;
	const char *end = NULL;

	(void)state;
	rg_buf_puts(&b, "x");
	assert_int_equal(rg_buf_unquote_c(&b, "\"a b\\t\\\"\\\\\\303\\251\" rest", &end), RG_OK);
	assert_string_equal(b.ptr, "xa b\t\"\\\xc3\xa9");
	assert_string_equal(end, " rest");
	rg_buf_truncate(&b, 1);
	assert_int_equal(rg_buf_unquote_c(&b, "\"\"", &end), RG_OK);
	assert_string_equal(b.ptr, "x");
	assert_string_equal(end, "");
	assert_int_equal(rg_buf_unquote_c(&b, "\"open", &end), RG_ERROR);
	assert_int_equal(rg_buf_unquote_c(&b, "\"bad \\q\"", &end), RG_ERROR);
	assert_int_equal(rg_buf_unquote_c(&b, "\"octal \\48\"", &end), RG_ERROR);
	assert_int_equal(rg_buf_unquote_c(&b, "\"cut \\1", &end), RG_ERROR);
	assert_int_equal(rg_buf_unquote_c(&b, "plain", &end), RG_ERROR);
	assert_string_equal(b.ptr, "x");
	rg_buf_dispose(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_shquote_plain_and_quoted),
		cmocka_unit_test(test_shquote_control_bytes),
		cmocka_unit_test(test_shquote_output_has_no_control_bytes),
		cmocka_unit_test(test_utf8_char),
		cmocka_unit_test(test_json_str_c1),
		cmocka_unit_test(test_unquote_c),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
