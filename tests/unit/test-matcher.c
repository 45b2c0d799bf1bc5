/* test-matcher.c: literal extraction, the one-pass prefilter, matches and limits. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "repoguard/buf.h"
#include "repoguard/common.h"
#include "repoguard/matcher.h"

/*
 * "lit1|lit2" (in extraction order), "^" before anchored ones, "i:" prefix when
 * caseless, "L:" when every match starts with one of them; "-" for none.
 */
static char *lits_of(const char *pattern)
{
	rg_literals l;
	rg_buf b = RG_BUF_INIT;
	size_t i;

	if (!rg_pattern_literals(&l, pattern)) {
		rg_buf_puts(&b, "-");
		return rg_buf_detach(&b);
	}
	if (l.caseless)
		rg_buf_puts(&b, "i:");
	if (l.leading)
		rg_buf_puts(&b, "L:");
	for (i = 0; i < l.n; i++) {
		rg_buf_printf(&b, "%s%s", i ? "|" : "", l.v[i].anchored ? "^" : "");
		rg_buf_put(&b, l.v[i].s, l.v[i].len);
	}
	rg_literals_free(&l);
	return rg_buf_detach(&b);
}

static void expect_lits(const char *pattern, const char *want)
{
	char *got = lits_of(pattern);

	if (strcmp(got, want))
		fail_msg("pattern %s: literals '%s', want '%s'", pattern, got, want);
	free(got);
}

static void test_extraction(void **state)
{
	(void)state;
	expect_lits("tenant_id\\s*[:=]\\s*['\"]demo['\"]", "L:tenant_id");
	expect_lits("abc", "L:abc");
	expect_lits("a", "-");
	expect_lits("a|bc", "-");
	expect_lits("abc|de", "L:abc|de");
	expect_lits("(?:abc|def)x+", "L:abc|def");
	expect_lits("x(?:ab)?yz", "yz");
	expect_lits("ab*c", "-");
	expect_lits("ab+cd", "L:ab");
	expect_lits("a?bc", "bc");
	expect_lits("a{3}b", "L:aaab");
	expect_lits("a{2,}b", "L:aa");
	expect_lits("(?i)Password", "i:L:password");
	expect_lits("(?i:KEY)=", "i:L:key");
	expect_lits("\\bkey", "L:key");
	expect_lits("(?<![A-Z0-9])AKIA[A-Z]", "L:AKIA");
	expect_lits("^<{7}(?: |$)", "L:^<<<<<<<");
	expect_lits("^abc|def", "L:^abc|def");
	expect_lits("^abc|x?def", "^abc|def");
	expect_lits("x^abc", "abc");
	expect_lits("\\x41BC", "L:ABC");
	expect_lits("\\.env\\b", "L:.env");
	expect_lits("[abc]def", "def");
	expect_lits("[]]xy", "xy");
	expect_lits("[^]]xy", "xy");
	expect_lits("[[:alpha:]]xy", "xy");
	expect_lits("foo(?=bar)baz", "L:foo");
	expect_lits("(?=x)abc", "L:abc");
	expect_lits("(?<name>abc)d", "L:abc");
	expect_lits("(?'n'abc)d", "L:abc");
	expect_lits("(?P<n>abc)d", "L:abc");
	expect_lits("(?:x+ab|cd)", "ab|cd");
	expect_lits("(abc){0}xy", "xy");
	expect_lits("(?>abc)", "L:abc");
	expect_lits("a\\tb", "L:a\tb");
	/* what the extractor does not model gives up: the pattern then runs on every line */
	expect_lits("\\Qabc\\E", "-");
	expect_lits("(?x)abc", "-");
	expect_lits("(?x: a b c )abc", "-");
	expect_lits("a{,3}bc", "-");
	expect_lits("(*UTF)abc", "-");
	expect_lits("(a)bc\\1", "-");
	expect_lits("(?#note)abc", "-");
	expect_lits("(?(1)ab|cd)", "-");
	expect_lits("\\x{41}bc", "-");
	expect_lits("\\Gabc", "-");
	/* a NUL byte is part of a literal, not its end */
	{
		rg_literals l;

		assert_int_equal(rg_pattern_literals(&l, "ab\\x00cd"), 1);
		assert_int_equal(l.v[0].len, 5);
		assert_memory_equal(l.v[0].s, "ab\0cd", 5);
		rg_literals_free(&l);
	}
	expect_lits("[0-9]{16}", "-");
	expect_lits("", "-");
}

/* Patterns that match subjects: the prefilter must always name them. */
static const struct {
	const char *pattern, *subject;
} must_find[] = {
	{ "tenant_id\\s*[:=]\\s*['\"]demo['\"]", "  const tenant_id = 'demo';" },
	{ "(?i)password", "PassWord: x" },
	{ "(?i:key)\\s*=", "API_KEY = 1" },
	{ "^<{7}(?: |$)", "<<<<<<< HEAD" },
	{ "^<{7}(?: |$)", "<<<<<<<" },
	{ "abc|de", "xxdexx" },
	{ "(?:ghp_|gho_)[A-Za-z0-9]{4}", "token ghp_abcd" },
	{ "x(?:ab)?yz", "xyz" },
	{ "a{3}b", "caaab" },
	{ "\\x41BC", "zABCz" },
	{ "foo(?=baz)baz", "foobaz" },
	{ "ab+cd", "abbbcd" },
	{ "[0-9]{4}", "1234" },
	{ "(?i)(?-i)Abc", "Abc" },
	{ "é", "caf\xc3\xa9" },
	{ "(?i:key)\\s*=\\s*\"[0-9]+\"", "key: 1, monkey = x, KEY = \"42\"" },
	{ "(?<![a-z])ab(?:c|d)", "xabc zabd abd" },
};

static void test_prefilter_finds_every_match(void **state)
{
	rg_matcher *m = rg_matcher_new();
	uint64_t active[1] = { 0 }, cand[1];
	size_t i;

	(void)state;
	for (i = 0; i < RG_ARRAY_SIZE(must_find); i++) {
		assert_int_equal(rg_matcher_add(m, must_find[i].pattern), (int)i);
		rg_bit_set(active, i);
	}
	for (i = 0; i < RG_ARRAY_SIZE(must_find); i++) {
		const char *s = must_find[i].subject;
		size_t from = 0;
		rg_match mt;

		if (rg_matcher_next(&mt, m, i, s, strlen(s), &from) != 1)
			fail_msg("pattern %s does not match '%s'", must_find[i].pattern, s);
		assert_true(rg_matcher_candidates(cand, m, active, s, strlen(s)));
		if (!rg_bit_test(cand, i))
			fail_msg("prefilter missed pattern %s on '%s'", must_find[i].pattern, s);
	}
	rg_matcher_free(m);
}

static void test_candidates_are_selective(void **state)
{
	rg_matcher *m = rg_matcher_new();
	uint64_t active[1] = { 0 }, cand[1];
	const char *plain = "const user = getUser(request);";

	(void)state;
	rg_matcher_add(m, "AKIA[A-Z0-9]{16}");
	rg_matcher_add(m, "(?i)password\\s*=");
	rg_matcher_add(m, "^={7}$");
	rg_bit_set(active, 0);
	rg_bit_set(active, 1);
	rg_bit_set(active, 2);
	assert_true(rg_matcher_prefiltered(m, 0));
	assert_false(rg_matcher_candidates(cand, m, active, plain, strlen(plain)));
	assert_false(rg_matcher_candidates(cand, m, active, "x = 'akia'", 10)); /* case-sensitive literal */
	assert_true(rg_matcher_candidates(cand, m, active, "PASSWORD", 8));
	assert_true(rg_bit_test(cand, 1));
	/* anchored literals only at the start of the line */
	assert_false(rg_matcher_candidates(cand, m, active, "a =======", 9));
	assert_true(rg_matcher_candidates(cand, m, active, "=======", 7));
	assert_true(rg_bit_test(cand, 2));
	/* inactive patterns are never candidates */
	active[0] = 0;
	assert_false(rg_matcher_candidates(cand, m, active, "PASSWORD", 8));
	rg_matcher_free(m);
}

static void test_matches_and_secret_group(void **state)
{
	rg_matcher *m = rg_matcher_new();
	const char *s = "a=\"hunter22\" b=\"xyzzy123\"";
	size_t from = 0;
	rg_match mt;

	(void)state;
	assert_int_equal(rg_matcher_add(m, "=\"(?<secret>[^\"]+)\"|=(?<secret>')"), 0);
	assert_int_equal(rg_matcher_next(&mt, m, 0, s, strlen(s), &from), 1);
	assert_true(mt.has_secret_group);
	assert_int_equal(mt.secret_start, 3);
	assert_int_equal(mt.secret_end, 11);
	assert_int_equal(rg_matcher_next(&mt, m, 0, s, strlen(s), &from), 1);
	assert_int_equal(mt.secret_start, 16);
	assert_int_equal(rg_matcher_next(&mt, m, 0, s, strlen(s), &from), 0);
	/* empty matches advance */
	assert_int_equal(rg_matcher_add(m, "x*"), 1);
	from = 0;
	assert_int_equal(rg_matcher_next(&mt, m, 1, "ab", 2, &from), 1);
	assert_int_equal(rg_matcher_next(&mt, m, 1, "ab", 2, &from), 1);
	assert_int_equal(rg_matcher_next(&mt, m, 1, "ab", 2, &from), 1);
	assert_int_equal(rg_matcher_next(&mt, m, 1, "ab", 2, &from), 0);
	assert_false(mt.has_secret_group);
	rg_matcher_free(m);
}

static void test_invalid_and_utf(void **state)
{
	rg_matcher *m = rg_matcher_new();
	const char bad[] = "caf\xc3 \xff\xfe \xc3\xa9";
	size_t from = 0;
	rg_match mt;

	(void)state;
	assert_int_equal(rg_matcher_add(m, "a(b"), RG_ECONFIG);
	assert_non_null(strstr(rg_error_last(), "invalid pattern: missing closing parenthesis at offset 3"));
	assert_int_equal(rg_matcher_add(m, "\\C"), RG_ECONFIG);
	/* (*UTF) patterns match valid characters and never fail on invalid UTF-8 */
	assert_int_equal(rg_matcher_add(m, "(*UTF)\\x{e9}"), 0);
	assert_int_equal(rg_matcher_next(&mt, m, 0, bad, sizeof(bad) - 1, &from), 1);
	assert_int_equal(mt.start, sizeof(bad) - 3);
	rg_matcher_free(m);
}

static void test_match_limit_is_an_error(void **state)
{
	rg_matcher *m = rg_matcher_new();
	char s[64];
	size_t from = 0;
	rg_match mt;

	(void)state;
	memset(s, 'a', 40);
	s[40] = 'b';
	rg_matcher_add(m, "(a+)+$");
	assert_int_equal(rg_matcher_next(&mt, m, 0, s, 41, &from), RG_ERROR);
	assert_non_null(strstr(rg_error_last(), "limit"));
	rg_matcher_free(m);
}

static void test_many_patterns(void **state)
{
	rg_matcher *m = rg_matcher_new();
	uint64_t active[3], cand[3];
	char pat[32], line[64];
	int i;

	(void)state;
	memset(active, 0xff, sizeof(active));
	for (i = 0; i < 150; i++) {
		snprintf(pat, sizeof(pat), "word%03dx", i);
		assert_int_equal(rg_matcher_add(m, pat), i);
	}
	snprintf(line, sizeof(line), "a word149x and WORD007x and word077x");
	assert_true(rg_matcher_candidates(cand, m, active, line, strlen(line)));
	for (i = 0; i < 150; i++)
		assert_int_equal(rg_bit_test(cand, (size_t)i), i == 149 || i == 77);
	rg_matcher_free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_extraction),
		cmocka_unit_test(test_prefilter_finds_every_match),
		cmocka_unit_test(test_candidates_are_selective),
		cmocka_unit_test(test_matches_and_secret_group),
		cmocka_unit_test(test_invalid_and_utf),
		cmocka_unit_test(test_match_limit_is_an_error),
		cmocka_unit_test(test_many_patterns),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
