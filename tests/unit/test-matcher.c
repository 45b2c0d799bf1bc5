/* test-matcher.c: literal extraction, the one-pass prefilter, matches and limits. */
#include <pthread.h>
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
#include "repoguard/teddy.h"

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
	/* "[=" is no POSIX item when a ']' comes first (PCRE2): the class ends early, "||" is an empty branch */
	expect_lits("[[=]=]||].xo", "-");
	expect_lits("[[=x=]]ab", "ab");
	expect_lits("[a[:b]cd", "cd");
	expect_lits("foo(?=bar)baz", "L:foo");
	expect_lits("(?=x)abc", "L:abc");
	expect_lits("(?<name>abc)d", "L:abc");
	expect_lits("(?'n'abc)d", "L:abc");
	expect_lits("(?P<n>abc)d", "L:abc");
	expect_lits("(?:x+ab|cd)", "ab|cd");
	expect_lits("(abc){0}xy", "xy");
	expect_lits("(?>abc)", "L:abc");
	expect_lits("a\\tb", "L:a\tb");
	/* an optional byte or class of punctuation inside a word: each spelling is a literal */
	expect_lits("api[_-]?key", "L:apikey|api_key|api-key");
	expect_lits("(?i)auth[_-]?key", "i:L:authkey|auth_key|auth-key");
	expect_lits("colou?r", "L:color|colour");
	expect_lits("x(?:sk|pk)[_-]?key", "key");                   /* not across a group */
	expect_lits("a[_-]?b[.]?cd", "L:abcd|a_bcd|a-bcd|ab.cd|a_b.cd|a-b.cd");
	expect_lits("key[_-]?", "L:key");                 /* nothing follows: cut back */
	expect_lits("key[_-]?[a-z]+x", "L:key");
	expect_lits("ab[!#$%]?c[!#]?d", "L:abc|ab!c|ab#c|ab$c|ab%c"); /* 15 spellings: too many */
	expect_lits("key[:=]value", "value");              /* a required class: the required bytes' */
	expect_lits("[_-]?key", "key");
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
	{ "(?i)api[_-]?key\\s*=", "my Api-Key = 1" },
	{ "(?i)api[_-]?key\\s*=", "APIKEY=1" },
	{ "colou?r", "the color" },
	{ "a[_-]?b[.]?cd", "xa-b.cdx" },
	{ "a[_-]?b[.]?cd", "abcd" },
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
	assert_false(rg_matcher_candidates(cand, m, active, "PASSWORD", 8)); /* no '=': the pattern needs one */
	assert_true(rg_matcher_candidates(cand, m, active, "PASSWORD =", 10));
	assert_true(rg_bit_test(cand, 1));
	/* anchored literals only at the start of the line */
	assert_false(rg_matcher_candidates(cand, m, active, "a =======", 9));
	assert_true(rg_matcher_candidates(cand, m, active, "=======", 7));
	assert_true(rg_bit_test(cand, 2));
	/* inactive patterns are never candidates */
	active[0] = 0;
	assert_false(rg_matcher_candidates(cand, m, active, "PASSWORD =", 10));
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

/*
 * Scan threads share the patterns, which are JIT-compiled when first run
 * (mt_jit): threads that start together on a new matcher race to compile
 * the same patterns, and must find what one scan finds after them (make
 * check-tsan runs this under ThreadSanitizer).
 */
#define MT_THREADS 4
#define MT_LINES 64

typedef struct {
	const rg_matcher *m;
	pthread_barrier_t *go;
	char (*lines)[96];
	size_t found;
} mt_worker;

static size_t scan_all(rg_mscan *sc, size_t npats, char (*lines)[96])
{
	uint64_t active[1], cand[1];
	size_t found = 0, i, k, from;
	rg_match mm;

	memset(active, 0xff, sizeof(active));
	for (k = 0; k < MT_LINES; k++) {
		size_t len = strlen(lines[k]);

		if (!rg_mscan_candidates(cand, sc, active, lines[k], len))
			continue;
		for (i = 0; i < npats; i++)
			for (from = 0; rg_bit_test(cand, i) && rg_mscan_next(&mm, sc, i, lines[k], len, &from) > 0;)
				found += i + 1;
	}
	return found;
}

static void *scan_thread(void *arg)
{
	mt_worker *w = arg;
	rg_mscan *sc = rg_mscan_new(w->m);

	pthread_barrier_wait(w->go);
	w->found = scan_all(sc, rg_matcher_count(w->m), w->lines);
	rg_mscan_free(sc);
	return NULL;
}

static void test_threads_share_lazy_jit(void **state)
{
	static const char *const pats[] = { "tok_[a-z]{4}", "(?i)secret\\s*=\\s*\\w+", "[0-9]{6}",
		"^key:\\s*(?<secret>\\S+)", "AKIA[A-Z0-9]{8}", "(?:foo|bar)baz\\d", "pass(?:word)?=\\S{3}", "x{3,}y" };
	static char lines[MT_LINES][96];
	size_t npats = sizeof(pats) / sizeof(pats[0]), i, k, want;
	rg_matcher *m = rg_matcher_new();
	pthread_t tid[MT_THREADS];
	mt_worker w[MT_THREADS];
	pthread_barrier_t go;

	(void)state;
	for (i = 0; i < npats; i++)
		assert_int_equal(rg_matcher_add(m, pats[i]), (int)i);
	for (k = 0; k < MT_LINES; k++)
		snprintf(lines[k], sizeof(lines[k]), "%s tok_abcd %06zu SECRET = v%zu key: k%zu AKIA%08zu barbaz%zu xxxy",
			k % 3 ? "password=abc" : "plain", k * 7919, k, k, k, k % 10);
	rg_matcher_ready(m);
	pthread_barrier_init(&go, NULL, MT_THREADS);
	for (i = 0; i < MT_THREADS; i++) {
		w[i].m = m;
		w[i].go = &go;
		w[i].lines = lines;
		w[i].found = 0;
		assert_int_equal(pthread_create(&tid[i], NULL, scan_thread, &w[i]), 0);
	}
	for (i = 0; i < MT_THREADS; i++)
		pthread_join(tid[i], NULL);
	pthread_barrier_destroy(&go);
	{
		rg_mscan *sc = rg_mscan_new(m);

		want = scan_all(sc, npats, lines);
		rg_mscan_free(sc);
	}
	assert_true(want > 0);
	for (i = 0; i < MT_THREADS; i++)
		assert_int_equal(w[i].found, want);
	rg_matcher_free(m);
}

/* The required bytes of a pattern, in extraction order; "-" for none, "none" without literals. */
static char *req_of(const char *pattern)
{
	rg_literals l;
	rg_buf b = RG_BUF_INIT;

	if (!rg_pattern_literals(&l, pattern)) {
		rg_buf_puts(&b, "none");
		return rg_buf_detach(&b);
	}
	if (l.nreq)
		rg_buf_put(&b, l.req, l.nreq);
	else
		rg_buf_puts(&b, "-");
	if (l.nreq2) {
		rg_buf_putc(&b, ' ');
		rg_buf_put(&b, l.req2, l.nreq2);
	}
	rg_literals_free(&l);
	return rg_buf_detach(&b);
}

static void test_required_bytes(void **state)
{
	static const struct {
		const char *pattern, *req;
	} cases[] = {
		/* the smallest set first, then the next, when neither holds the other */
		{ "(?i:password|token)\\w{0,30}\\s*(?::=|=>|[!=]==?|:|=)\\s*\"[^\"]{8,}\"", "\" :=" },
		{ "(?i:password|token)\\w{0,30}\\s*(?::=|=>|[!=]==?|:|=)\\s*['\"`]", ":= '\"`" },
		{ "(?i:token)\\s*(?::=|=)\\s*(?:\"x\"|'y')", ":= \"'" },
		{ "key[:=]+[=]\\s*\"", "= \"" },                          /* {:=} holds {=}: useless */
		{ "key[:=]\\s*[=:!]\\s*\"", "\" :=" },                     /* {:=!} holds {:=}: useless */
		{ "key(?:\"a|'b)=(?:x=|y:)", "= \"'" },                      /* a group's own two sets count */
		{ "key\\s*=\\s*(?:\"x\"|y)", "=" },                          /* no second set in every branch */
		{ "^\\s*[A-Za-z0-9_.-]*(?i:secret)[A-Za-z_]*\\s*[:=]\\s*\\S{8,}$", ":=" },
		{ "tenant_id\\s*[:=]\\s*['\"]demo['\"]", ":=" },     /* '_' is in the literal: it tells nothing */
		{ "AKIA[A-Z0-9]{16}", "-" },                               /* letters only: the literal has them */
		{ "key(?:=|:)?value", "-" },                               /* optional: not required */
		{ "key(?:=|x)value", "-" },                                /* one branch without punctuation */
		{ "key[^=]value", "-" },                                   /* a negated class */
		{ "key[a-z=]value", "-" },                                 /* a range */
		{ "key(?==)=value", "-" },                                 /* the '=' after the lookahead is in "=value" */
		{ "key(?==)=\\s*value", "=" },                             /* a lookahead is no atom, the '=' after it is */
		{ "ab=|cd", "-" },                                         /* one branch needs no punctuation */
		{ "a.=|cd=", "none" },                                     /* no literal in one branch: no prefilter at all */
		{ "ab=|cd:", "-" },                                        /* every literal holds its byte */
		{ "https://x\\.y/(?:a|b)/", "-" },                         /* both sets, ':' and '/', in the literal */
		{ "ab\\s*=|cd\\s*:", "=:" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < RG_ARRAY_SIZE(cases); i++) {
		char *got = req_of(cases[i].pattern);

		if (strcmp(got, cases[i].req) && !(strlen(got) == 2 && strlen(cases[i].req) == 2 &&
		    got[0] == cases[i].req[1] && got[1] == cases[i].req[0]) &&
		    !(strlen(got) == 5 && !strcmp(cases[i].req, ":= '\"`") && !strncmp(got, "=: ", 3)))
			fail_msg("required bytes of %s: '%s', want '%s'", cases[i].pattern, got, cases[i].req);
		free(got);
	}
}

/* A line that holds a keyword but none of the bytes its patterns need is no candidate. */
static void test_required_bytes_filter(void **state)
{
	rg_matcher *m = rg_matcher_new();
	uint64_t active = 1, cand = 0;
	rg_mscan *sc;
	size_t ls, le;
	const char *text = "call(token);\nconst token = \"abcdefgh\";\n// the token\n";

	(void)state;
	assert_int_equal(rg_matcher_add(m, "(?i:token)\\s*[:=]\\s*\"[^\"]{8,}\""), 0);
	assert_false(rg_matcher_candidates(&cand, m, &active, "call(token);", 12));
	assert_false(rg_matcher_candidates(&cand, m, &active, "x token = 1", 11)); /* no '"' */
	assert_true(rg_matcher_candidates(&cand, m, &active, "x token = \"12345678\"", 20));
	sc = rg_mscan_new(m);
	rg_mscan_buffer(sc, &active, text, strlen(text));
	assert_true(rg_mscan_next_line(&ls, &le, &cand, sc));
	assert_int_equal(ls, 13); /* the second line only */
	assert_false(rg_mscan_next_line(&ls, &le, &cand, sc));
	rg_mscan_free(sc);
	rg_matcher_free(m);
	/* two sets: an operator and a quote */
	m = rg_matcher_new();
	assert_int_equal(rg_matcher_add(m, "(?i:token)\\s*[:=]\\s*(?:\"x+\"|'x+')"), 0);
	assert_false(rg_matcher_candidates(&cand, m, &active, "token = 1", 9));
	assert_false(rg_matcher_candidates(&cand, m, &active, "token 'x'", 9));
	assert_true(rg_matcher_candidates(&cand, m, &active, "token = 'x'", 11));
	rg_matcher_free(m);
}

/*
 * Lines of 16 bytes and more are tested 16 at a time, the last block
 * overlapping: the required byte at every position of lines of every
 * length up to 70, and lines without it.
 */
static void test_required_bytes_every_position(void **state)
{
	rg_matcher *m = rg_matcher_new();
	uint64_t active = 1, cand = 0;
	char line[80];
	size_t len, at;

	(void)state;
	assert_int_equal(rg_matcher_add(m, "token[^@]*@"), 0);
	for (len = 5; len <= 70; len++) {
		memset(line, 'x', len);
		memcpy(line, "token", 5);
		assert_false(rg_matcher_candidates(&cand, m, &active, line, len));
		for (at = 5; at < len; at++) {
			line[at] = '@';
			if (!rg_matcher_candidates(&cand, m, &active, line, len))
				fail_msg("'@' at %zu of a line of %zu bytes: no candidate", at, len);
			line[at] = 'x';
		}
	}
	rg_matcher_free(m);
}

/*
 * A set is tested by nibble tables on SSSE3: a byte whose high nibble is one
 * member's and low nibble another's ('2' is 0x32: ':' is 0x3a, '"' 0x22),
 * or that is a member's with the top bit set (0xba), is not in the set.
 */
static void test_required_bytes_nibbles(void **state)
{
	rg_matcher *m = rg_matcher_new();
	uint64_t active = 1, cand = 0;
	static const unsigned char near[] = { '2', 0xba, 0xa2, '*', 0x3b, 0x23, 'z' };
	char line[64];
	size_t i, k;

	(void)state;
	assert_int_equal(rg_matcher_add(m, "token.*[:\"]"), 0);
	for (i = 0; i < sizeof(near); i++) {
		memset(line, (char)near[i], sizeof(line));
		memcpy(line, "token", 5);
		if (rg_matcher_candidates(&cand, m, &active, line, sizeof(line)))
			fail_msg("byte 0x%02x passed as one of ':' and '\"'", near[i]);
		for (k = 5; k < sizeof(line); k += 7) {
			line[k] = k % 2 ? ':' : '"';
			assert_true(rg_matcher_candidates(&cand, m, &active, line, sizeof(line)));
			line[k] = (char)near[i];
		}
	}
	rg_matcher_free(m);
}

/*
 * Several patterns' sets on one line: a line holding one set's byte meets
 * that set only, and a byte made of two members' nibbles ('7' is 0x37:
 * ':' 0x3a and '\'' 0x27; '+' 0x2b: ',' 0x2c and ';' 0x3b) meets none.
 * Short lines and long ones (the SSSE3 blocks) alike.
 */
static void test_required_bytes_several_sets(void **state)
{
	static const char *const pats[] = { "kwa[:=]", "kwb[\"']", "kwc[<>]", "kwd[,;]" };
	static const struct {
		const char *line;
		uint64_t want;
	} cases[] = {
		{ "kwa kwb kwc kwd", 0 },
		{ "kwa kwb kwc kwd 7777 \xba\xa7", 0 },
		{ "kwa kwb kwc kwd ++++", 0 },                  /* '+' is ','s high nibble and ';'s low */
		{ "kwa kwb kwc kwd ........................................ ++++", 0 },
		{ "kwa kwb kwc kwd :", 1 },
		{ "kwa kwb kwc kwd '", 2 },
		{ "kwa kwb kwc kwd <", 4 },
		{ "kwa kwb kwc kwd ;", 8 },
		{ "kwa = kwb \" kwc < kwd ,", 15 },
		{ "kwa kwb kwc kwd ........................................ = <", 5 },
		{ "kwb kwd ........................................ = <", 0 },
	};
	rg_matcher *m = rg_matcher_new();
	uint64_t active = 15, cand;
	size_t i;

	(void)state;
	for (i = 0; i < 4; i++)
		assert_int_equal(rg_matcher_add(m, pats[i]), (int)i);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		cand = 0;
		rg_matcher_candidates(&cand, m, &active, cases[i].line, strlen(cases[i].line));
		if (cand != cases[i].want)
			fail_msg("'%s': candidates %llx, want %llx", cases[i].line, (unsigned long long)cand,
				(unsigned long long)cases[i].want);
	}
	rg_matcher_free(m);
}

/*
 * A line shorter than any match of a pattern (PCRE2_INFO_MINLENGTH) is no
 * candidate; the length is in characters, so a line of multibyte ones as
 * long in characters still is. Anchored tries stop where too little text
 * is left after an occurrence.
 */
static void test_minimum_length(void **state)
{
	rg_matcher *m = rg_matcher_new();
	uint64_t active = 3, cand = 0;
	size_t from = 0;
	rg_match mt;
	const char *ok = "key = 0123456789012345678901234567890123456789";
	const char *two = "key = short key = 0123456789012345678901234567890123456789";

	(void)state;
	assert_int_equal(rg_matcher_add(m, "key\\s*=\\s*[0-9]{40}"), 0);
	assert_int_equal(rg_matcher_add(m, "(*UTF)k\\x{e9}{3}x"), 1);
	rg_matcher_candidates(&cand, m, &active, "key = 0123", 10);
	assert_false(rg_bit_test(&cand, 0));
	assert_true(rg_matcher_candidates(&cand, m, &active, ok, strlen(ok)));
	assert_true(rg_bit_test(&cand, 0));
	assert_int_equal(rg_matcher_next(&mt, m, 0, ok, strlen(ok), &from), 1);
	from = 0;
	assert_true(rg_matcher_candidates(&cand, m, &active, two, strlen(two)));
	assert_int_equal(rg_matcher_next(&mt, m, 0, two, strlen(two), &from), 1);
	assert_int_equal(mt.start, 12);
	from = 0;
	assert_false(rg_matcher_next(&mt, m, 0, "key = 0123 key = 01234567890", 28, &from));
	/* "k" and three two-byte letters: 7 bytes, 5 characters with the x */
	cand = 0;
	assert_true(rg_matcher_candidates(&cand, m, &active, "k\xc3\xa9\xc3\xa9\xc3\xa9x", 8));
	assert_true(rg_bit_test(&cand, 1));
	from = 0;
	assert_int_equal(rg_matcher_next(&mt, m, 1, "k\xc3\xa9\xc3\xa9\xc3\xa9x", 8, &from), 1);
	assert_false(rg_matcher_candidates(&cand, m, &active, "k\xc3\xa9x", 4));
	rg_matcher_free(m);
}

/* More required-byte sets than the per-line memo holds: the ones past it are checked on their own. */
static void test_required_bytes_many_sets(void **state)
{
	static const char punct[] = "!#$%&*+,./:;<=>?@_`|~\"'";
	rg_matcher *m = rg_matcher_new();
	uint64_t active[2] = { ~(uint64_t)0, ~(uint64_t)0 }, cand[2];
	char pat[32], line[32];
	size_t i, n = strlen(punct);

	(void)state;
	for (i = 0; i < 100; i++) {
		snprintf(pat, sizeof(pat), "kw%03zu[%c%c]", i, punct[i % n], punct[(i / n + i % n + 1) % n]);
		assert_int_equal(rg_matcher_add(m, pat), (int)i);
	}
	for (i = 0; i < 100; i++) {
		snprintf(line, sizeof(line), "kw%03zu", i);
		assert_false(rg_matcher_candidates(cand, m, active, line, strlen(line)));
		snprintf(line, sizeof(line), "x kw%03zu %c", i, punct[(i / n + i % n + 1) % n]);
		assert_true(rg_matcher_candidates(cand, m, active, line, strlen(line)));
		assert_true(rg_bit_test(cand, i));
	}
	rg_matcher_free(m);
}

/* A small deterministic generator (tests must not depend on rand()'s implementation). */
static uint32_t lcg(uint32_t *x)
{
	*x = *x * 1103515245u + 12345u;
	return (*x >> 16) & 0x7fff;
}

static int naive_at(const char *lit, size_t n, int ci, const char *t, size_t tlen, size_t pos)
{
	size_t j;

	if (pos + n > tlen)
		return 0;
	for (j = 0; j < n; j++) {
		int c = (unsigned char)t[pos + j];

		if (ci && c >= 'A' && c <= 'Z')
			c += 'a' - 'A';
		if (c != (unsigned char)lit[j])
			return 0;
	}
	return 1;
}

typedef struct {
	unsigned char seen[48][4096];
} many_seen;

static int many_refuse(void *arg, uint32_t id, size_t start)
{
	many_seen *m = arg;

	m->seen[id][start] = 1;
	return 0;
}

/*
 * 48 literals of distinct letters: more than 8 buckets' worth, so that
 * AVX2's second lane (buckets 8-15) holds some. Every occurrence, AVX2 and
 * scalar, against a naive search.
 */
static void test_teddy_many_literals(void **state)
{
	static many_seen m;
	uint32_t x = 11;
	char lits[48][9], text[4096];
	size_t len[48], k, i, p;
	int ci[48], scalar;
	rg_teddy *td = rg_teddy_new();

	(void)state;
	for (k = 0; k < 48; k++) {
		len[k] = 3 + lcg(&x) % 6;
		ci[k] = k % 4 == 0;
		for (i = 0; i < len[k]; i++)
			lits[k][i] = (char)((ci[k] ? 'a' : 'A' + (lcg(&x) % 2) * 32) + lcg(&x) % 26);
		lits[k][len[k]] = 0;
		rg_teddy_add(td, lits[k], len[k], ci[k], (uint32_t)k);
	}
	for (i = 0; i < sizeof(text); i++)
		text[i] = (char)('a' + lcg(&x) % 26);
	for (i = 0; i + 16 < sizeof(text); i += 5 + lcg(&x) % 40) {
		k = lcg(&x) % 48;
		memcpy(text + i, lits[k], len[k]);
		if (ci[k] && lcg(&x) % 2)
			text[i] = (char)(text[i] - 32); /* caseless: either case */
	}
	rg_teddy_build(td);
	for (scalar = 0; scalar < 2; scalar++) {
		rg_teddy_force_scalar(scalar);
		memset(&m, 0, sizeof(m));
		rg_teddy_find(td, text, sizeof(text), 0, 0, 0, many_refuse, &m, NULL);
		for (k = 0; k < 48; k++)
			for (p = 0; p < sizeof(text); p++)
				assert_int_equal(m.seen[k][p], naive_at(lits[k], len[k], ci[k], text, sizeof(text), p));
	}
	rg_teddy_force_scalar(0);
	rg_teddy_free(td);
}

/* Random literals over a small alphabet, so that they occur and overlap often: AVX2 and scalar against a naive search. */
static void test_teddy_against_naive(void **state)
{
	static const char alpha[] = "ab-c\nAB_";
	uint32_t x = 7;
	int round;

	(void)state;
	for (round = 0; round < 2000; round++) {
		rg_teddy *td = rg_teddy_new();
		char lits[12][12], text[300];
		size_t len[12], nl = 1 + lcg(&x) % 12, tlen = lcg(&x) % sizeof(text), i, k, pos;
		int ci[12], scalar;

		for (k = 0; k < nl; k++) {
			len[k] = 2 + lcg(&x) % 9;
			ci[k] = lcg(&x) % 3 == 0;
			for (i = 0; i < len[k]; i++)
				lits[k][i] = alpha[lcg(&x) % (round % 2 ? 3 : ci[k] ? 5 : 8)];
			lits[k][len[k]] = 0;
			rg_teddy_add(td, lits[k], len[k], ci[k], (uint32_t)k);
		}
		for (i = 0; i < tlen; i++)
			text[i] = alpha[lcg(&x) % (round % 2 ? 3 : 8)];
		rg_teddy_build(td);
		for (scalar = 0; scalar < 2; scalar++) {
			rg_teddy_force_scalar(scalar);
			for (pos = 0; pos <= tlen; pos += 1 + lcg(&x) % 9) {
				size_t want = tlen, p;
				uint32_t id = 99;

				for (p = pos; p < tlen && want == tlen; p++)
					for (k = 0; k < nl; k++)
						if (naive_at(lits[k], len[k], ci[k], text, tlen, p))
							want = p;
				assert_int_equal(rg_teddy_find(td, text, tlen, pos, pos, 1, NULL, NULL, &id), want);
				if (want < tlen)
					assert_true(naive_at(lits[id], len[id], ci[id], text, tlen, want));
			}
		}
		rg_teddy_force_scalar(0);
		rg_teddy_free(td);
	}
}

/*
 * The whole-buffer scan hands out exactly the lines that the line-by-line
 * prefilter names, with the same candidates: the built-in-like patterns
 * over generated source text, with keywords, markers and CRLF lines.
 */
static void test_buffer_scan_equals_line_scan(void **state)
{
	static const char *const words[] = {
		"token", "Key", "apiKey", "AKIAABCDEFGHIJKLMNOP", "<<<<<<< HEAD", "=======", "x", "const",
		"PASSWORD", "eyJhbGciOiJIUzI1NiJ9", "-----BEGIN RSA PRIVATE KEY-----", "hooks.slack.com", " ", "=",
	};
	static const char *const pats[] = {
		"(?<![A-Z0-9])(?:AKIA|ASIA)[A-Z0-9]{16}", "(?i:key)\\s*=", "^<{7}(?: |$)", "^={7}\\s*$",
		"(?i:password|token|secret)[a-z]*\\s*=", "eyJ[A-Za-z0-9_-]{10,}", "-----BEGIN[ A-Z]*PRIVATE KEY-----",
		"https://hooks\\.slack\\.com/",
	};
	rg_matcher *m = rg_matcher_new();
	uint64_t active = 0, cand, want;
	rg_buf text = RG_BUF_INIT;
	uint32_t x = 3;
	size_t i, round, lines = 0;

	(void)state;
	for (i = 0; i < RG_ARRAY_SIZE(pats); i++) {
		assert_int_equal(rg_matcher_add(m, pats[i]), (int)i);
		rg_bit_set(&active, i);
	}
	assert_false(rg_matcher_any_residual(m, &active));
	for (round = 0; round < 50; round++) {
		rg_mscan *sc = rg_mscan_new(m);
		size_t nlines = lcg(&x) % 40, at = 0, ls, le;

		rg_buf_truncate(&text, 0);
		for (i = 0; i < nlines; i++) {
			size_t w, nw = lcg(&x) % 6;

			for (w = 0; w < nw; w++)
				rg_buf_puts(&text, words[lcg(&x) % RG_ARRAY_SIZE(words)]);
			rg_buf_puts(&text, lcg(&x) % 4 ? "\n" : "\r\n");
		}
		if (lcg(&x) % 2)
			rg_buf_puts(&text, "last token=1"); /* no final newline */
		rg_mscan_buffer(sc, &active, text.ptr, text.len);
		while (rg_mscan_next_line(&ls, &le, &cand, sc)) {
			for (; at < ls; at++) {
				const char *e = memchr(text.ptr + at, '\n', text.len - at);
				size_t n = e ? (size_t)(e - text.ptr) - at : text.len - at;

				assert_false(rg_matcher_candidates(&want, m, &active, text.ptr + at, n));
				at += n;
			}
			assert_int_equal(at, ls);
			assert_true(rg_matcher_candidates(&want, m, &active, text.ptr + ls, le - ls));
			assert_int_equal(want, cand);
			at = le + 1;
			lines++;
		}
		for (; at < text.len; at++) {
			const char *e = memchr(text.ptr + at, '\n', text.len - at);
			size_t n = e ? (size_t)(e - text.ptr) - at : text.len - at;

			assert_false(rg_matcher_candidates(&want, m, &active, text.ptr + at, n));
			at += n;
		}
		rg_mscan_free(sc);
	}
	assert_true(lines > 100);
	rg_buf_dispose(&text);
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
		cmocka_unit_test(test_threads_share_lazy_jit),
		cmocka_unit_test(test_teddy_against_naive),
		cmocka_unit_test(test_teddy_many_literals),
		cmocka_unit_test(test_required_bytes),
		cmocka_unit_test(test_required_bytes_filter),
		cmocka_unit_test(test_required_bytes_many_sets),
		cmocka_unit_test(test_required_bytes_every_position),
		cmocka_unit_test(test_required_bytes_nibbles),
		cmocka_unit_test(test_minimum_length),
		cmocka_unit_test(test_required_bytes_several_sets),
		cmocka_unit_test(test_buffer_scan_equals_line_scan),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
