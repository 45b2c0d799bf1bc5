/* test-wildmatch.c: git's wildmatch semantics and the gitignore-style lists. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "repoguard/common.h"
#include "repoguard/glob.h"

typedef struct {
	const char *pat, *text;
	unsigned flags;
	int match;
} wm_case;

static const wm_case wm_cases[] = {
	{ "foo", "foo", 0, 1 }, { "bar", "foo", 0, 0 }, { "", "", 0, 1 },
	{ "???", "foo", 0, 1 }, { "??", "foo", 0, 0 }, { "*", "foo", 0, 1 },
	{ "f*", "foo", 0, 1 }, { "*f", "foo", 0, 0 }, { "*foo*", "foo", 0, 1 },
	{ "*ob*a*r*", "foobar", 0, 1 }, { "*ab", "aaaaaaabababab", 0, 1 },
	{ "foo\\*", "foo*", 0, 1 }, { "foo\\*bar", "foobar", 0, 0 },
	{ "f\\\\oo", "f\\oo", 0, 1 }, { "*[al]?", "ball", 0, 1 },
	{ "[ten]", "ten", 0, 0 }, { "t[a-g]n", "ten", 0, 1 }, { "t[!a-g]n", "ten", 0, 0 },
	{ "t[!a-g]n", "ton", 0, 1 }, { "t[^a-g]n", "ton", 0, 1 },
	{ "a[]]b", "a]b", 0, 1 }, { "a[]-]b", "a-b", 0, 1 }, { "a[]-]b", "a]b", 0, 1 },
	{ "a[]-]b", "aab", 0, 0 }, { "a[]a-]b", "aab", 0, 1 }, { "]", "]", 0, 1 },
	{ "foo*bar", "foo/baz/bar", RG_WM_PATHNAME, 0 },
	{ "foo*bar", "foo/baz/bar", 0, 1 },
	{ "foo**bar", "foo/baz/bar", RG_WM_PATHNAME, 0 },
	{ "foo/**/bar", "foo/baz/bar", RG_WM_PATHNAME, 1 },
	{ "foo/**/bar", "foo/b/a/z/bar", RG_WM_PATHNAME, 1 },
	{ "foo/**/bar", "foo/bar", RG_WM_PATHNAME, 1 },
	{ "foo/**/**/bar", "foo/b/a/z/bar", RG_WM_PATHNAME, 1 },
	{ "foo?bar", "foo/bar", RG_WM_PATHNAME, 0 },
	{ "foo[/]bar", "foo/bar", RG_WM_PATHNAME, 0 },
	{ "**/foo", "foo", RG_WM_PATHNAME, 1 }, { "**/foo", "XXX/foo", RG_WM_PATHNAME, 1 },
	{ "**/foo", "bar/baz/foo", RG_WM_PATHNAME, 1 }, { "*/foo", "bar/baz/foo", RG_WM_PATHNAME, 0 },
	{ "**/bar*", "foo/bar/baz", RG_WM_PATHNAME, 0 },
	{ "**/bar/*", "deep/foo/bar/baz", RG_WM_PATHNAME, 1 },
	{ "**/bar/*", "deep/foo/bar/baz/", RG_WM_PATHNAME, 0 },
	{ "**/bar/**", "deep/foo/bar/baz/", RG_WM_PATHNAME, 1 },
	{ "**/bar/*", "deep/foo/bar", RG_WM_PATHNAME, 0 },
	{ "*/bar/**", "foo/bar/baz/x", RG_WM_PATHNAME, 1 },
	{ "a/**", "a/b/c", RG_WM_PATHNAME, 1 }, { "a/**", "a", RG_WM_PATHNAME, 0 },
	{ "src/**/*.ts", "src/a.ts", RG_WM_PATHNAME, 1 },
	{ "src/**/*.ts", "src/x/y/a.ts", RG_WM_PATHNAME, 1 },
	{ "src/**/*.ts", "lib/src/a.ts", RG_WM_PATHNAME, 0 },
	{ "[[:alpha:]][[:digit:]][[:upper:]]", "a1B", 0, 1 },
	{ "[[:digit:][:upper:][:space:]]", "a", 0, 0 },
	{ "[[:digit:][:upper:][:space:]]", "A", 0, 1 },
	{ "[[:digit:][:upper:][:space:]]", "1", 0, 1 },
	{ "[a-", "a", 0, 0 }, { "[[:nope:]]", "a", 0, 0 }, { "abc\\", "abc", 0, 0 },
	{ "vite.config.*", "vite.config.ts", RG_WM_PATHNAME, 1 },
	{ "FOO", "foo", RG_WM_CASEFOLD, 1 }, { "[A-Z]x", "bx", RG_WM_CASEFOLD, 1 },
};

static void test_wildmatch_cases(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(wm_cases) / sizeof(wm_cases[0]); i++) {
		const wm_case *c = &wm_cases[i];
		int got = rg_wildmatch(c->pat, c->text, c->flags) == 0;

		if (got != c->match)
			fail_msg("wildmatch('%s', '%s', %u) = %d, want %d", c->pat, c->text, c->flags, got, c->match);
	}
}

/* The memo path (taken after rg_wildmatch_steps) decides every case the same. */
static void test_wildmatch_cases_memo(void **state)
{
	unsigned long saved = rg_wildmatch_steps;

	rg_wildmatch_steps = 0;
	test_wildmatch_cases(state);
	rg_wildmatch_steps = saved;
}

/*
 * Regression (fuzz-attr timeout): runs of "(starstar)/" components backtracked
 * exponentially; a .gitattributes line like this ran for minutes.
 */
static void test_wildmatch_pathological(void **state)
{
	char pat[512], text[512];
	size_t i;

	(void)state;
	for (i = 0; i < 40; i++) {
		memcpy(pat + 3 * i, "**/", 3);
		memcpy(text + 2 * i, "a/", 2);
	}
	memcpy(pat + 3 * i, "x", 2);
	memcpy(text + 2 * i, "y", 2);
	assert_int_not_equal(rg_wildmatch(pat, text, RG_WM_PATHNAME), 0);
	text[2 * i] = 'x';
	assert_int_equal(rg_wildmatch(pat, text, RG_WM_PATHNAME), 0);
	assert_int_not_equal(rg_wildmatch("*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b",
		"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaac", 0), 0);
	assert_int_equal(rg_wildmatch("*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b",
		"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab", 0), 0);
}

static int m(const rg_patlist *l, const char *path, int isdir)
{
	return rg_patlist_match(l, path, isdir, NULL, NULL);
}

static void test_block_defaults(void **state)
{
	rg_patlist l = { 0 };
	size_t dirlen = 0;

	(void)state;
	assert_int_equal(rg_patlist_add_words(&l, "node_modules/ .vite/", "t", 1), 0);
	assert_true(m(&l, "node_modules/x.js", 0));
	assert_true(m(&l, "frontend/node_modules/react/index.js", 0));
	assert_true(m(&l, "node_modules/.vite/deps/a.js", 0));
	assert_true(m(&l, ".vite/deps/a.js", 0));
	assert_true(m(&l, "frontend/.vite/x", 0));
	assert_true(m(&l, "a/node_modules", 1));   /* a gitlink of that name */
	assert_false(m(&l, "a/node_modules", 0));  /* a plain file called node_modules */
	assert_false(m(&l, "docs/node_modules.md", 0));
	assert_false(m(&l, "my_node_modules/x", 0));
	assert_false(m(&l, "node_modules_x/y", 0));
	assert_false(m(&l, "src/vite/x", 0));
	assert_true(rg_patlist_match(&l, "web/node_modules/a/b.js", 0, &dirlen, NULL));
	assert_int_equal(dirlen, strlen("web/node_modules"));
	rg_patlist_free(&l);
}

static void test_anchoring_and_negation(void **state)
{
	rg_patlist l = { 0 };

	(void)state;
	assert_int_equal(rg_patlist_add_words(&l, "/dist/ *.pem src/**/*.gen.ts *.log !keep.log logs/ !logs/keep.txt", "t", 1), 0);
	assert_true(m(&l, "dist/a.js", 0));
	assert_false(m(&l, "src/dist/a.js", 0));
	assert_true(m(&l, "a/b/key.pem", 0));
	assert_true(m(&l, "src/x/y.gen.ts", 0));
	assert_false(m(&l, "lib/src/y.gen.ts", 0));
	assert_true(m(&l, "a.log", 0));
	assert_false(m(&l, "keep.log", 0));
	assert_false(m(&l, "sub/keep.log", 0));
	/* as in gitignore, nothing below an excluded directory is re-included */
	assert_true(m(&l, "logs/keep.txt", 0));
	rg_patlist_free(&l);
}

static void test_invalid_patterns(void **state)
{
	rg_patlist l = { 0 };

	(void)state;
	assert_true(rg_patlist_add(&l, "[abc", "t", 1) < 0);
	assert_true(rg_patlist_add(&l, "abc\\", "t", 1) < 0);
	assert_true(rg_patlist_add(&l, "/", "t", 1) < 0);
	assert_true(rg_patlist_add(&l, "!", "t", 1) < 0);
	assert_int_equal(rg_patlist_add(&l, "a\\[b", "t", 1), 0);
	assert_true(m(&l, "x/a[b", 0));
	rg_patlist_free(&l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_wildmatch_cases),
		cmocka_unit_test(test_wildmatch_cases_memo),
		cmocka_unit_test(test_wildmatch_pathological),
		cmocka_unit_test(test_block_defaults),
		cmocka_unit_test(test_anchoring_and_negation),
		cmocka_unit_test(test_invalid_patterns),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
