/* test-cfgenv.c: GIT_CONFIG_PARAMETERS and GIT_CONFIG_COUNT read as git reads them (git -c, --config-env). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "repoguard/cfgenv.h"
#include "repoguard/common.h"

/* Parse text; want is "key=value|key|..." with "key" alone for a value-less key, "" for none. */
static void expect_parse(const char *text, int want_r, const char *want)
{
	rg_cfgenv env;
	char *got = NULL;
	size_t i;
	int r;

	rg_cfgenv_init(&env);
	r = rg_cfgenv_parse(&env, text);
	for (i = 0; i < env.n; i++) {
		char *next = env.v[i].value ?
			rg_printf("%s%s%s=%s", got ? got : "", got ? "|" : "", env.v[i].key, env.v[i].value) :
			rg_printf("%s%s%s", got ? got : "", got ? "|" : "", env.v[i].key);

		free(got);
		got = next;
	}
	if (r != want_r || strcmp(got ? got : "", want))
		fail_msg("parse(%s) = %d '%s', want %d '%s' (%s)", text, r, got ? got : "", want_r, want,
			r < 0 ? rg_error_last() : "");
	free(got);
	rg_cfgenv_free(&env);
}

static void test_new_style(void **state)
{
	(void)state;
	expect_parse("", RG_OK, "");
	expect_parse("'core.commentchar'=';'", RG_OK, "core.commentchar=;");
	expect_parse("'core.commentchar'='#' 'core.commentchar'=';'", RG_OK, "core.commentchar=#|core.commentchar=;");
	/* what git writes for odd values: spaces, quotes, '!', '=', empty, none */
	expect_parse("'user.name'='A U  Thor'", RG_OK, "user.name=A U  Thor");
	expect_parse("'x.y'='it'\\''s'", RG_OK, "x.y=it's");
	expect_parse("'x.y'='wow'\\!'!'", RG_OK, "x.y=wow!!");
	expect_parse("'x.y'='a=b=c'", RG_OK, "x.y=a=b=c");
	expect_parse("'x.y'=''", RG_OK, "x.y=");
	expect_parse("'x.y'='\"double\" and ;#'", RG_OK, "x.y=\"double\" and ;#");
	expect_parse("'x.y'='multi\nline'", RG_OK, "x.y=multi\nline");
	expect_parse("'x.y'= 'a.b'='c'", RG_OK, "x.y|a.b=c");
	expect_parse("'x.y'=", RG_OK, "x.y");
	/* separators: git's whitespace */
	expect_parse("'a.b'='1'\t'c.d'='2'\n 'e.f'='3'  ", RG_OK, "a.b=1|c.d=2|e.f=3");
	/* keys: section and name lower-cased, a subsection kept as given */
	expect_parse("'Core.CommentChar'=';'", RG_OK, "core.commentchar=;");
	expect_parse("'remote.Origin.URL'='u'", RG_OK, "remote.Origin.url=u");
	expect_parse("'sec.sub=with=equals.key'='v'", RG_OK, "sec.sub=with=equals.key=v");
	expect_parse("'sec.a b.key'='v'", RG_OK, "sec.a b.key=v");
	/* as git 2.39 writes `git -c "x.y=it's" -c x.z -c x.w= -c "X.Sub.K=a b!" -c "x.e==a=b"` */
	expect_parse("'x.y'='it'\\''s' 'x.z'= 'x.w'='' 'X.Sub.K'='a b'\\!'' 'x.e'='=a=b'", RG_OK,
		"x.y=it's|x.z|x.w=|x.Sub.k=a b!|x.e==a=b");
}

static void test_old_style(void **state)
{
	(void)state;
	/* gits before 2.31: 'key=value', split at the first '=' */
	expect_parse("'core.commentChar=;'", RG_OK, "core.commentchar=;");
	expect_parse("'x.y=a=b'", RG_OK, "x.y=a=b");
	expect_parse("'x.y='", RG_OK, "x.y=");
	expect_parse("'x.y'", RG_OK, "x.y");
	expect_parse("' x.y = v '", RG_OK, "x.y= v ");
	expect_parse("'sec.sub=with=equals.key=value'", RG_OK, "sec.sub=with=equals.key=value");
	expect_parse("'a.b=1' 'c.d'='2'", RG_OK, "a.b=1|c.d=2");
	expect_parse("'x.y=it'\\''s'", RG_OK, "x.y=it's");
}

static void test_bogus(void **state)
{
	(void)state;
	expect_parse("a.b=c", RG_ERROR, "");
	expect_parse(" 'a.b'='c'", RG_ERROR, "");
	expect_parse("'a.b", RG_ERROR, "");
	expect_parse("'a.b'x", RG_ERROR, "");
	expect_parse("'a.b'=c", RG_ERROR, "");
	expect_parse("'a.b'='c'd", RG_ERROR, "");
	expect_parse("'a.b'='c", RG_ERROR, "");
	expect_parse("'a.b'='c'\\'d'", RG_ERROR, "");
	expect_parse("'a.b'='c'\\x'd'", RG_ERROR, "");
	/* keys git rejects */
	expect_parse("'ab'='c'", RG_ERROR, "");
	expect_parse("'.ab'='c'", RG_ERROR, "");
	expect_parse("'a.'='c'", RG_ERROR, "");
	expect_parse("'a.1b'='c'", RG_ERROR, "");
	expect_parse("'a_x.b'='c'", RG_ERROR, "");
	expect_parse("'a.b_c'='c'", RG_ERROR, "");
	expect_parse("'a.sub\nx.b'='c'", RG_ERROR, "");
	expect_parse("''='c'", RG_ERROR, "");
	expect_parse("'=c'", RG_ERROR, "");
	assert_string_equal(rg_error_last(), "bogus config parameter: =c");
	expect_parse("''", RG_ERROR, "");
	/* what came before the bad item is kept */
	expect_parse("'a.b'='1' 'bad", RG_ERROR, "a.b=1");
	expect_parse("'a.b'='1' 'c.d'='2'x", RG_ERROR, "a.b=1");
}

static void test_get(void **state)
{
	rg_cfgenv env;
	const rg_cfgenv_entry *e;

	(void)state;
	rg_cfgenv_init(&env);
	assert_int_equal(rg_cfgenv_parse(&env, "'core.commentchar'='#' 'remote.Origin.url'='u' "
		"'core.commentChar'=';' 'core.bare'"), RG_OK);
	e = rg_cfgenv_get(&env, "core.commentChar");
	assert_non_null(e);
	assert_string_equal(e->value, ";");
	assert_non_null(rg_cfgenv_get(&env, "CORE.COMMENTCHAR"));
	assert_non_null(rg_cfgenv_get(&env, "REMOTE.Origin.URL"));
	assert_null(rg_cfgenv_get(&env, "remote.origin.url"));
	e = rg_cfgenv_get(&env, "core.bare");
	assert_non_null(e);
	assert_null(e->value);
	assert_null(rg_cfgenv_get(&env, "core.commentstring"));
	assert_null(rg_cfgenv_get(&env, "nonsense"));
	rg_cfgenv_free(&env);
}

static void clear_env(void)
{
	unsetenv("GIT_CONFIG_PARAMETERS");
	unsetenv("GIT_CONFIG_COUNT");
	unsetenv("GIT_CONFIG_KEY_0");
	unsetenv("GIT_CONFIG_VALUE_0");
	unsetenv("GIT_CONFIG_KEY_1");
	unsetenv("GIT_CONFIG_VALUE_1");
}

static void test_load(void **state)
{
	rg_cfgenv env;
	char *v = NULL;

	(void)state;
	clear_env();
	rg_cfgenv_init(&env);
	assert_int_equal(rg_cfgenv_load(&env), RG_OK);
	assert_int_equal(env.n, 0);
	/* GIT_CONFIG_COUNT first, GIT_CONFIG_PARAMETERS after it (it wins), as git reads them */
	setenv("GIT_CONFIG_COUNT", "2", 1);
	setenv("GIT_CONFIG_KEY_0", "Core.CommentChar", 1);
	setenv("GIT_CONFIG_VALUE_0", "'; x'", 1);
	setenv("GIT_CONFIG_KEY_1", "repoguard.config", 1);
	setenv("GIT_CONFIG_VALUE_1", "", 1);
	assert_int_equal(rg_cfgenv_load(&env), RG_OK);
	assert_int_equal(env.n, 2);
	assert_string_equal(rg_cfgenv_get(&env, "core.commentchar")->value, "'; x'");
	assert_string_equal(rg_cfgenv_get(&env, "repoguard.config")->value, "");
	rg_cfgenv_free(&env);
	setenv("GIT_CONFIG_PARAMETERS", "'core.commentchar'='@'", 1);
	assert_int_equal(rg_git_config_string(&v, NULL, "core.commentChar"), RG_OK);
	assert_string_equal(v, "@");
	free(v);
	/* a key alone has no string value: passed over */
	setenv("GIT_CONFIG_PARAMETERS", "'x.y'='1' 'x.y'", 1);
	assert_int_equal(rg_git_config_string(&v, NULL, "x.y"), RG_ENOTFOUND);
	assert_null(v);
	/* paths: ~/ is the home directory */
	setenv("GIT_CONFIG_PARAMETERS", "'core.hookspath'='~/hooks'", 1);
	setenv("HOME", "/home/u", 1);
	assert_int_equal(rg_git_config_path(&v, NULL, "core.hooksPath"), RG_OK);
	assert_string_equal(v, "/home/u/hooks");
	free(v);
	/* git refuses a bad count or a missing pair */
	rg_cfgenv_init(&env);
	setenv("GIT_CONFIG_COUNT", "2x", 1);
	assert_int_equal(rg_cfgenv_load(&env), RG_ERROR);
	assert_string_equal(rg_error_last(), "bogus count in GIT_CONFIG_COUNT");
	setenv("GIT_CONFIG_COUNT", "3", 1);
	assert_int_equal(rg_cfgenv_load(&env), RG_ERROR);
	assert_string_equal(rg_error_last(), "missing config key GIT_CONFIG_KEY_2");
	rg_cfgenv_free(&env);
	clear_env();
}

static void test_bool(void **state)
{
	int v = -1;

	(void)state;
	git_libgit2_init(); /* git_config_parse_bool reports through libgit2's error state */
	clear_env();
	assert_int_equal(rg_git_config_bool(&v, NULL, "core.fileMode", 1), RG_ENOTFOUND);
	assert_int_equal(v, 1);
	setenv("GIT_CONFIG_PARAMETERS", "'core.filemode'='false'", 1);
	assert_int_equal(rg_git_config_bool(&v, NULL, "core.fileMode", 1), RG_OK);
	assert_int_equal(v, 0);
	/* a key alone is true, as git reads "git -c core.fileMode" */
	setenv("GIT_CONFIG_PARAMETERS", "'core.filemode'='no' 'core.filemode'", 1);
	assert_int_equal(rg_git_config_bool(&v, NULL, "core.fileMode", 0), RG_OK);
	assert_int_equal(v, 1);
	/* not a boolean: the default */
	setenv("GIT_CONFIG_PARAMETERS", "'core.filemode'='maybe'", 1);
	assert_int_equal(rg_git_config_bool(&v, NULL, "core.fileMode", 1), RG_ENOTFOUND);
	assert_int_equal(v, 1);
	clear_env();
	git_libgit2_shutdown();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_new_style),
		cmocka_unit_test(test_old_style),
		cmocka_unit_test(test_bogus),
		cmocka_unit_test(test_get),
		cmocka_unit_test(test_load),
		cmocka_unit_test(test_bool),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
