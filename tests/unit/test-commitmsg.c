/* test-commitmsg.c: commit message cleanup as git does it, exemptions, the [commit-msg] rule. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "repoguard/buf.h"
#include "repoguard/commitmsg.h"
#include "repoguard/rule.h"

static void expect_clean(const char *in, const char *comment, const char *want)
{
	rg_buf b = RG_BUF_INIT;

	rg_commit_msg_clean(&b, in, strlen(in), comment);
	if (strcmp(rg_buf_cstr(&b), want))
		fail_msg("clean(%s) = '%s', want '%s'", in, rg_buf_cstr(&b), want);
	rg_buf_dispose(&b);
}

static void test_clean(void **state)
{
	(void)state;
	/* the same results as `git stripspace --strip-comments` */
	expect_clean("\n\n  \nfeat: x  \n# comment\n\n\n\nbody\t\n #not comment\n\n", "#",
		"feat: x\n\nbody\n #not comment\n");
	expect_clean("fix: y", "#", "fix: y\n");
	expect_clean("# only comments\n#\n", "#", "");
	expect_clean("", "#", "");
	expect_clean("a\r\n\r\nb\r\n", "#", "a\n\nb\n");
	expect_clean("a\n; c\n# kept\n", ";", "a\n# kept\n");
	expect_clean("a\n// c\n", "//", "a\n");
	/* the scissors line cuts everything below it */
	expect_clean("feat: z\n# ------------------------ >8 ------------------------\ndiff --git a b\n", "#",
		"feat: z\n");
	expect_clean("# ------------------------ >8 ------------------------\nx\n", "#", "");
	expect_clean("a\n; ------------------------ >8 ------------------------\nx\n", ";", "a\n");
	/* NULL: git am's message keeps its '#' lines and anything below a scissors line */
	expect_clean("feat: a\n\n# kept  \n# ------------------------ >8 ------------------------\nx\n\n", NULL,
		"feat: a\n\n# kept\n# ------------------------ >8 ------------------------\nx\n");
	/* only the exact line (with its newline) is the scissors */
	expect_clean("a\n# ------------------------ >8 ------------------------ x\nb\n", "#", "a\nb\n");
}

static void test_exempt(void **state)
{
	(void)state;
	assert_true(rg_commit_msg_exempt("Merge branch 'feature' into main\n"));
	assert_true(rg_commit_msg_exempt("Merge remote-tracking branch 'origin/main'\n"));
	assert_true(rg_commit_msg_exempt("Merge pull request #12 from a/b\n"));
	assert_true(rg_commit_msg_exempt("Revert \"feat: x\"\n"));
	assert_true(rg_commit_msg_exempt("fixup! feat: x\n"));
	assert_true(rg_commit_msg_exempt("squash! feat: x\n"));
	assert_true(rg_commit_msg_exempt("amend! feat: x\n"));
	assert_true(rg_commit_msg_exempt("Merge tags 'v1' and 'v2'\n"));
	assert_true(rg_commit_msg_exempt("Merge remote-tracking branches 'origin/a' and 'origin/b'\n"));
	assert_true(rg_commit_msg_exempt("Merge commits 'abc' and 'def'\n"));
	assert_true(rg_commit_msg_exempt("Reapply \"feat: x\"\n")); /* git 2.43+ reverting a revert */
	assert_false(rg_commit_msg_exempt("Merged stuff\n"));
	assert_false(rg_commit_msg_exempt("Reapply the fix\n"));
	assert_false(rg_commit_msg_exempt("fixup: x\n"));
}

typedef struct {
	rg_conf conf;
	rg_ctx ctx;
	rg_findings f;
} fx;

static void fx_init(fx *x, const char *text)
{
	rg_conf_init(&x->conf);
	rg_conf_parse_string(&x->conf, text, strlen(text), "t.ini");
	rg_rules_validate(&x->conf);
	assert_int_equal(x->conf.nerrors, 0);
	rg_ctx_init(&x->ctx, NULL, &x->conf, RG_MODE_COMMIT_MSG, "commit-msg");
	assert_int_equal(rg_engine_configure(&x->ctx), 0);
	rg_findings_init(&x->f);
}

static void fx_free(fx *x)
{
	rg_findings_free(&x->f);
	rg_engine_free(&x->ctx);
	rg_ctx_free(&x->ctx);
	rg_conf_free(&x->conf);
}

static void test_rule(void **state)
{
	fx x;

	(void)state;
	fx_init(&x, "[commit-msg]\npattern = ^(feat|fix|docs|refactor|test|chore|stabilize)(\\([\\w.-]+\\))?: .+\n"
		"message = Use Conventional Commits\n");
	assert_int_equal(rg_commit_msg_check(&x.f, &x.ctx, "feat(core): add x\n\nbody\n", NULL), 0);
	assert_int_equal(rg_commit_msg_check(&x.f, &x.ctx, "fix: y\n", NULL), 0);
	assert_int_equal(x.f.n, 0);
	assert_int_equal(rg_commit_msg_check(&x.f, &x.ctx, "Merge branch 'x'\n", NULL), 0);
	assert_int_equal(x.f.n, 0);
	assert_int_equal(rg_commit_msg_check(&x.f, &x.ctx, "added stuff\n\nfeat: hidden in the body\n",
		"no-such-dir/COMMIT_EDITMSG"), 0); /* unresolvable: named as given (t0840: resolved, absolute) */
	assert_int_equal(x.f.n, 1);
	assert_string_equal(x.f.v[0].rule, "commit-msg");
	assert_int_equal(x.f.v[0].severity, RG_SEV_ERROR);
	assert_non_null(strstr(x.f.v[0].detail, "Use Conventional Commits\nsubject: added stuff\npattern: ^(feat"));
	assert_non_null(strstr(x.f.v[0].detail, "(t.ini:2)"));
	assert_string_equal(x.f.v[0].fix,
		"git commit -e -F no-such-dir/COMMIT_EDITMSG   # edit the message you wrote and commit again");
	assert_int_equal(rg_commit_msg_check(&x.f, &x.ctx, "", NULL), 0);
	assert_int_equal(x.f.n, 2);
	assert_string_equal(x.f.v[1].message, "empty commit message");
	/* UTF mode: a character is one '.', invalid UTF-8 is not an error */
	fx_free(&x);
	fx_init(&x, "[commit-msg]\npattern = ^.{1,5}\\n\nseverity = warn\n");
	assert_int_equal(rg_commit_msg_check(&x.f, &x.ctx, "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\n", NULL), 0);
	assert_int_equal(x.f.n, 0);
	assert_int_equal(rg_commit_msg_check(&x.f, &x.ctx, "ab\xff\xfe\n", NULL), 0);
	assert_int_equal(x.f.n, 1);
	assert_int_equal(x.f.v[0].severity, RG_SEV_WARN);
	fx_free(&x);
	/* no pattern: nothing is checked */
	fx_init(&x, "[commit-msg]\nseverity = error\n");
	assert_int_equal(rg_commit_msg_check(&x.f, &x.ctx, "anything\n", NULL), 0);
	assert_int_equal(x.f.n, 0);
	fx_free(&x);
}

static void test_comment_prefix(void **state)
{
	char *c;

	(void)state;
	c = rg_commit_msg_comment(NULL, "x\n", 2);
	assert_string_equal(c, "#");
	free(c);
	/* commit.cleanup from git -c: the modes that keep comment lines, as git spells them */
	unsetenv("GIT_CONFIG_COUNT");
	unsetenv("GIT_CONFIG_PARAMETERS");
	assert_false(rg_commit_msg_keeps_comments(NULL));
	setenv("GIT_CONFIG_PARAMETERS", "'commit.cleanup'='whitespace'", 1);
	assert_true(rg_commit_msg_keeps_comments(NULL));
	setenv("GIT_CONFIG_PARAMETERS", "'commit.cleanup'='scissors' 'commit.cleanup'='strip'", 1);
	assert_false(rg_commit_msg_keeps_comments(NULL));
	setenv("GIT_CONFIG_PARAMETERS", "'Commit.Cleanup'='verbatim'", 1);
	assert_true(rg_commit_msg_keeps_comments(NULL));
	setenv("GIT_CONFIG_PARAMETERS", "'commit.cleanup'='Verbatim'", 1);
	assert_false(rg_commit_msg_keeps_comments(NULL));
	unsetenv("GIT_CONFIG_PARAMETERS");
	/* the scissors line ends the message; without one, the whole text */
	assert_int_equal(rg_commit_msg_end("a\n# ------------------------ >8 ------------------------\nb\n", 60, "#"), 2);
	assert_int_equal(rg_commit_msg_end("a\nb\n", 4, "#"), 4);
}

static void test_utf8(void **state)
{
	rg_buf b = RG_BUF_INIT;

	(void)state;
	/* valid UTF-8 kept; a lone byte, a truncated sequence, an overlong form and a surrogate become U+FFFD */
	rg_buf_put_utf8(&b, "caf\xc3\xa9 \xe9 \xe2\x82 \xc0\xaf \xed\xa0\x80!");
	assert_string_equal(b.ptr, "caf\xc3\xa9 \xef\xbf\xbd \xef\xbf\xbd\xef\xbf\xbd "
		"\xef\xbf\xbd\xef\xbf\xbd \xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd!");
	rg_buf_clear(&b);
	/* no repository, no i18n.commitEncoding: only the replacement */
	unsetenv("GIT_CONFIG_PARAMETERS");
	unsetenv("GIT_CONFIG_COUNT");
	rg_commit_msg_utf8(&b, NULL, "fix: \xe9t\xe9\n");
	assert_string_equal(b.ptr, "fix: \xef\xbf\xbdt\xef\xbf\xbd\n");
	rg_buf_clear(&b);
	/* i18n.commitEncoding from git -c converts */
	setenv("GIT_CONFIG_PARAMETERS", "'i18n.commitencoding'='ISO-8859-1'", 1);
	rg_commit_msg_utf8(&b, NULL, "fix: \xe9t\xe9\n");
	assert_string_equal(b.ptr, "fix: \xc3\xa9t\xc3\xa9\n");
	rg_buf_clear(&b);
	/* an encoding iconv does not know: the bytes as they are, replaced */
	setenv("GIT_CONFIG_PARAMETERS", "'i18n.commitencoding'='no-such-charset'", 1);
	rg_commit_msg_utf8(&b, NULL, "\xe9");
	assert_string_equal(b.ptr, "\xef\xbf\xbd");
	unsetenv("GIT_CONFIG_PARAMETERS");
	rg_buf_dispose(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_clean),
		cmocka_unit_test(test_exempt),
		cmocka_unit_test(test_rule),
		cmocka_unit_test(test_comment_prefix),
		cmocka_unit_test(test_utf8),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
