/* test-checkpoint.c: the [checkpoint] configuration, tag names and globs. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <git2.h>

#include "repoguard/buf.h"
#include "repoguard/checkpoint.h"

#define T_20260304_0506 1772600760 /* 2026-03-04 05:06:00 UTC */

/* Parse text, load [checkpoint]; returns the number of errors, *k filled. */
static int load(rg_conf *c, rg_ckpt_conf *k, const char *text)
{
	rg_conf_init(c);
	rg_conf_parse_string(c, text, strlen(text), "t.ini");
	rg_ckpt_conf_load(k, c);
	return c->nerrors;
}

static void done(rg_conf *c, rg_ckpt_conf *k)
{
	rg_ckpt_conf_free(k);
	rg_conf_free(c);
}

static void test_defaults(void **state)
{
	rg_conf c;
	rg_ckpt_conf k;
	rg_buf b = RG_BUF_INIT;

	(void)state;
	assert_int_equal(load(&c, &k, ""), 0);
	assert_int_equal(k.every, 0);
	assert_int_equal(k.on, RG_MODE_PRE_PUSH);
	assert_int_equal(k.severity, RG_SEV_ERROR);
	assert_string_equal(k.tags[0], "checkpoint-*");
	assert_null(k.tags[1]);
	assert_int_equal(rg_ckpt_format_name(&b, &k, T_20260304_0506), 0);
	assert_string_equal(b.ptr, "checkpoint-20260304-0506");
	rg_buf_dispose(&b);
	done(&c, &k);
}

static void test_values(void **state)
{
	rg_conf c;
	rg_ckpt_conf k;
	rg_buf b = RG_BUF_INIT;

	(void)state;
	assert_int_equal(load(&c, &k, "[checkpoint]\nevery = 90m\non = ci pre-commit\n"
		"tags = checkpoint-* phase*-checkpoint-*\n  cp/*\nname = cp/%Y/%m%d-%H%M\nseverity = warn\n"), 0);
	assert_int_equal(k.every, 90 * 60);
	assert_int_equal(k.on, RG_MODE_CI | RG_MODE_PRE_COMMIT);
	assert_int_equal(k.severity, RG_SEV_WARN);
	assert_int_equal(rg_ckpt_format_name(&b, &k, T_20260304_0506), 0);
	assert_string_equal(b.ptr, "cp/2026/0304-0506");
	rg_buf_clear(&b);
	rg_ckpt_patterns_str(&b, &k);
	assert_string_equal(b.ptr, "checkpoint-* phase*-checkpoint-* cp/*");
	rg_buf_dispose(&b);
	done(&c, &k);
}

static void test_matching_is_git_tag_list(void **state)
{
	rg_conf c;
	rg_ckpt_conf k;

	(void)state;
	assert_int_equal(load(&c, &k, "[checkpoint]\ntags = checkpoint-* phase?-checkpoint-* cp/*\n"
		"name = cp/%H\n"), 0);
	assert_true(rg_ckpt_name_matches(&k, "checkpoint-20260101-0000"));
	assert_true(rg_ckpt_name_matches(&k, "checkpoint-a/b"));    /* '*' crosses '/' */
	assert_true(rg_ckpt_name_matches(&k, "phase2-checkpoint-x"));
	assert_false(rg_ckpt_name_matches(&k, "phase12-checkpoint-x"));
	assert_true(rg_ckpt_name_matches(&k, "cp/deep/er"));
	assert_false(rg_ckpt_name_matches(&k, "release-1"));
	assert_false(rg_ckpt_name_matches(&k, "my-checkpoint-1"));
	done(&c, &k);
}

static void test_errors(void **state)
{
	static const struct { const char *text, *msg; } bad[] = {
		{ "[checkpoint]\nevery = 4x\n", "t.ini:2: '4x' for every is not a duration" },
		{ "[checkpoint]\nevery = 0\n", "t.ini:2: '0' for every" },
		{ "[checkpoint]\non = pre-push post\n", "t.ini:2: on: 'post' is not one of" },
		{ "[checkpoint]\non =\n", "t.ini:2: on: name at least one" },
		{ "[checkpoint]\ntags = [x\n", "t.ini:2: tags: invalid pattern" },
		{ "[checkpoint]\ntags = a-* !b\nname = a-%H\n", "t.ini:2: tags: '!b': negative patterns" },
		{ "[checkpoint]\ntags =\n", "t.ini:2: tags: no pattern given" },
		{ "[checkpoint]\nname = x\n", "name = x gives tags like 'x' that tags = checkpoint-* does not match" },
		{ "[checkpoint]\nname = checkpoint-%H..\n", "is not a valid tag name" },
		{ "[checkpoint]\nname = checkpoint-%H:%M\n", "is not a valid tag name" },
		{ "[checkpoint]\ntags = cp-?\nname = cp-%u\n", "a second checkpoint in the same minute is named 'cp-4-2'" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		rg_conf c;
		rg_ckpt_conf k;

		assert_true(load(&c, &k, bad[i].text) > 0);
		if (!strstr(rg_buf_cstr(&c.errors), bad[i].msg))
			fail_msg("case %zu: expected '%s' in: %s", i, bad[i].msg, rg_buf_cstr(&c.errors));
		done(&c, &k);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_values),
		cmocka_unit_test(test_matching_is_git_tag_list),
		cmocka_unit_test(test_errors),
	};
	int r;

	git_libgit2_init();
	r = cmocka_run_group_tests(tests, NULL, NULL);
	git_libgit2_shutdown();
	return r;
}
