/*
 * test-utf16.c: the UTF-16 decoder the line rules read Windows text with
 * (rg_utf16_bom, rg_utf16_to_utf8): BOMs, both byte orders, surrogate
 * pairs, bad input as U+FFFD, and agreement with glibc's iconv on valid
 * input.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <iconv.h>
#include <cmocka.h>

#include "repoguard/buf.h"
#include "repoguard/utf16.h"

#define FFFD "\xef\xbf\xbd"

static void expect_decode(const char *in, size_t len, int order, const char *want, size_t want_len)
{
	rg_buf b = RG_BUF_INIT;

	rg_buf_puts(&b, "x"); /* appended, not overwritten */
	rg_utf16_to_utf8(&b, in, len, order);
	assert_int_equal(b.len, want_len + 1);
	assert_memory_equal(b.ptr + 1, want, want_len);
	assert_int_equal(b.ptr[b.len], '\0');
	rg_buf_dispose(&b);
}

static void test_bom(void **state)
{
	(void)state;
	assert_int_equal(rg_utf16_bom("\xff\xfe", 2), RG_UTF16_LE);
	assert_int_equal(rg_utf16_bom("\xff\xfe" "a\0", 4), RG_UTF16_LE);
	assert_int_equal(rg_utf16_bom("\xfe\xff" "\0a", 4), RG_UTF16_BE);
	assert_int_equal(rg_utf16_bom("\xff\xfe\0\0", 4), RG_UTF16_NONE); /* UTF-32LE */
	assert_int_equal(rg_utf16_bom("\xfe\xff\0\0", 4), RG_UTF16_BE);   /* U+0000 in BE, not UTF-32 */
	assert_int_equal(rg_utf16_bom("\xef\xbb\xbf" "a", 4), RG_UTF16_NONE); /* UTF-8's BOM */
	assert_int_equal(rg_utf16_bom("a\0b\0", 4), RG_UTF16_NONE);
	assert_int_equal(rg_utf16_bom("\xff", 1), RG_UTF16_NONE);
	assert_int_equal(rg_utf16_bom(NULL, 0), RG_UTF16_NONE);
}

static void test_decode(void **state)
{
	(void)state;
	expect_decode("a\0=\0\r\0\n\0", 8, RG_UTF16_LE, "a=\r\n", 4);
	expect_decode("\0a\0=\0\n", 6, RG_UTF16_BE, "a=\n", 3);
	expect_decode("\xe9\0", 2, RG_UTF16_LE, "\xc3\xa9", 2);             /* U+00E9 */
	expect_decode("\xac\x20", 2, RG_UTF16_LE, "\xe2\x82\xac", 3);       /* U+20AC */
	expect_decode("\x3d\xd8\x00\xde", 4, RG_UTF16_LE, "\xf0\x9f\x98\x80", 4); /* U+1F600, a pair */
	expect_decode("\xd8\x3d\xde\x00", 4, RG_UTF16_BE, "\xf0\x9f\x98\x80", 4);
	expect_decode("\xff\xdb\xff\xdf", 4, RG_UTF16_LE, "\xf4\x8f\xbf\xbf", 4); /* U+10FFFF */
	expect_decode("\xff\xfe", 2, RG_UTF16_LE, "\xef\xbb\xbf", 3);       /* a second BOM is a character */
	expect_decode("a\0\0\0b\0", 6, RG_UTF16_LE, "a\0b", 3);             /* U+0000 stays a NUL */
	expect_decode("", 0, RG_UTF16_LE, "", 0);
}

static void test_bad_input(void **state)
{
	(void)state;
	/* a high surrogate alone, at the end, before a non-surrogate, before another high one */
	expect_decode("\x3d\xd8", 2, RG_UTF16_LE, FFFD, 3);
	expect_decode("\x3d\xd8" "a\0", 4, RG_UTF16_LE, FFFD "a", 4);
	expect_decode("\x3d\xd8\x3d\xd8\x00\xde", 6, RG_UTF16_LE, FFFD "\xf0\x9f\x98\x80", 7);
	/* a low surrogate alone, and a pair in the wrong order */
	expect_decode("\x00\xde" "a\0", 4, RG_UTF16_LE, FFFD "a", 4);
	expect_decode("\x00\xde\x3d\xd8", 4, RG_UTF16_LE, FFFD FFFD, 6);
	/* an odd last byte */
	expect_decode("a\0b", 3, RG_UTF16_LE, "a" FFFD, 4);
	expect_decode("\x3d\xd8\x00", 3, RG_UTF16_LE, FFFD FFFD, 6);
}

/* Valid UTF-16LE, deterministic: ASCII, Latin, CJK and astral characters, CRLF. */
static size_t make_valid(unsigned char *out, size_t units, unsigned seed)
{
	size_t n = 0;

	srand(seed);
	while (n + 2 <= units) {
		unsigned r = (unsigned)rand(), c;

		switch (r % 5) {
		case 0: c = 0x20 + (r >> 4) % 0x5f; break;
		case 1: c = 0xa0 + (r >> 4) % 0x700; break;
		case 2: c = 0x3000 + (r >> 4) % 0xa000; break;
		case 3:
			c = 0x10000 + (r >> 4) % 0x100000;
			c -= 0x10000;
			out[2 * n] = (unsigned char)((0xd800 + (c >> 10)) & 0xff);
			out[2 * n + 1] = (unsigned char)((0xd800 + (c >> 10)) >> 8);
			out[2 * n + 2] = (unsigned char)((0xdc00 + (c & 0x3ff)) & 0xff);
			out[2 * n + 3] = (unsigned char)((0xdc00 + (c & 0x3ff)) >> 8);
			n += 2;
			continue;
		default: c = (r >> 4) % 2 ? '\r' : '\n'; break;
		}
		if (c >= 0xd800 && c <= 0xdfff)
			c = 0xe000;
		out[2 * n] = (unsigned char)(c & 0xff);
		out[2 * n + 1] = (unsigned char)(c >> 8);
		n++;
	}
	return 2 * n;
}

static void test_agrees_with_iconv(void **state)
{
	unsigned char in[4096];
	char want[8192];
	unsigned seed;

	(void)state;
	for (seed = 1; seed <= 20; seed++) {
		iconv_t cd = iconv_open("UTF-8", "UTF-16LE");
		size_t len = make_valid(in, sizeof(in) / 2, seed), inleft = len, outleft = sizeof(want);
		char *ip = (char *)in, *op = want;
		rg_buf b = RG_BUF_INIT;

		assert_true(cd != (iconv_t)-1);
		assert_int_equal(iconv(cd, &ip, &inleft, &op, &outleft), 0);
		iconv_close(cd);
		rg_utf16_to_utf8(&b, (const char *)in, len, RG_UTF16_LE);
		assert_int_equal(b.len, sizeof(want) - outleft);
		assert_memory_equal(b.ptr, want, b.len);
		rg_buf_dispose(&b);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bom),
		cmocka_unit_test(test_decode),
		cmocka_unit_test(test_bad_input),
		cmocka_unit_test(test_agrees_with_iconv),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
