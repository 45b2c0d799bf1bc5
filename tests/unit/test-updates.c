/* test-updates.c: pre-push / pre-receive input parsing, the shallow file, SARIF/JSON strings. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "repoguard/buf.h"
#include "repoguard/updates.h"
#include "../../src/report/report-util.h"
#include "repoguard/walk.h"

#define Z40 "0000000000000000000000000000000000000000"
#define A40 "1111111111111111111111111111111111111111"
#define B40 "abcdef0123456789abcdef0123456789abcdef01"

static void ctx0(rg_ctx *c)
{
	memset(c, 0, sizeof(*c));
	c->mode_name = "test";
}

static void test_push_lines(void **state)
{
	rg_ctx c;
	const char *in = "refs/heads/main " A40 " refs/heads/main " B40 "\n"
		"(delete) " Z40 " refs/heads/old " A40 "\r\n"
		"\n"
		"HEAD " B40 " refs/heads/new " Z40;
	char hex[GIT_OID_HEXSZ + 1];

	(void)state;
	ctx0(&c);
	assert_int_equal(rg_updates_parse_push(&c, in, strlen(in)), 0);
	assert_int_equal(c.nupdates, 3);
	assert_string_equal(c.updates[0].ref, "refs/heads/main");
	assert_string_equal(c.updates[0].local_ref, "refs/heads/main");
	git_oid_tostr(hex, sizeof(hex), &c.updates[0].old_id);
	assert_string_equal(hex, B40);   /* the remote's oid is the old one */
	git_oid_tostr(hex, sizeof(hex), &c.updates[0].new_id);
	assert_string_equal(hex, A40);
	assert_true(rg_update_is_delete(&c.updates[1]));
	assert_false(rg_update_is_create(&c.updates[1]));
	assert_string_equal(c.updates[1].local_ref, "(delete)");
	assert_true(rg_update_is_create(&c.updates[2]));
	rg_ctx_free(&c);
}

static void test_receive_lines(void **state)
{
	rg_ctx c;
	const char *in = Z40 " " A40 " refs/heads/new\n" A40 " " Z40 " refs/tags/v1\n";

	(void)state;
	ctx0(&c);
	assert_int_equal(rg_updates_parse_receive(&c, in, strlen(in)), 0);
	assert_int_equal(c.nupdates, 2);
	assert_true(rg_update_is_create(&c.updates[0]));
	assert_null(c.updates[0].local_ref);
	assert_true(rg_update_is_delete(&c.updates[1]));
	assert_string_equal(c.updates[1].ref, "refs/tags/v1");
	rg_ctx_free(&c);
}

static void test_bad_lines(void **state)
{
	static const char *const bad_push[] = {
		"refs/heads/main " A40 " refs/heads/main\n",                 /* 3 fields */
		"refs/heads/main " A40 " refs/heads/main " "1234\n",         /* short oid */
		"refs/heads/main " A40 " refs/heads/main " "ABCDEF0123456789abcdef0123456789abcdef01\n", /* upper case */
		"refs/heads/main  " A40 " refs/heads/main " A40 "\n",        /* empty field */
		"ok " A40 " refs/heads/main " A40 "\nbroken\n",              /* second line */
	};
	static const char *const bad_receive[] = {
		A40 " " A40 "\n",
		A40 " " A40 " refs/heads/a b\n",
		A40 A40 " refs/heads/x\n",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad_push) / sizeof(*bad_push); i++) {
		rg_ctx c;

		ctx0(&c);
		assert_int_equal(rg_updates_parse_push(&c, bad_push[i], strlen(bad_push[i])), RG_EUSAGE);
		rg_ctx_free(&c);
	}
	for (i = 0; i < sizeof(bad_receive) / sizeof(*bad_receive); i++) {
		rg_ctx c;

		ctx0(&c);
		assert_int_equal(rg_updates_parse_receive(&c, bad_receive[i], strlen(bad_receive[i])), RG_EUSAGE);
		rg_ctx_free(&c);
	}
	{
		rg_ctx c;
		const char *two = "ok " A40 " refs/heads/main " A40 "\nbroken\n";

		ctx0(&c);
		rg_updates_parse_push(&c, two, strlen(two));
		assert_non_null(strstr(rg_error_last(), "line 2"));
		rg_ctx_free(&c);
	}
}

static void test_shallow_file(void **state)
{
	git_oid *ids = NULL;
	size_t n = 0;
	const char *ok = B40 "\n" A40 "\n\n";
	char hex[GIT_OID_HEXSZ + 1];

	(void)state;
	assert_int_equal(rg_shallow_parse(&ids, &n, ok, strlen(ok)), 0);
	assert_int_equal(n, 2);
	git_oid_tostr(hex, sizeof(hex), &ids[0]);
	assert_string_equal(hex, A40);   /* sorted */
	free(ids);
	assert_int_equal(rg_shallow_parse(&ids, &n, "xyz\n", 4), RG_ERROR);
	assert_null(ids);
	assert_int_equal(n, 0);
	assert_int_equal(rg_shallow_parse(&ids, &n, "", 0), 0);
	assert_int_equal(n, 0);
}

static void test_json_strings(void **state)
{
	rg_buf b = RG_BUF_INIT;

	(void)state;
	rg_buf_json_str(&b, "a\"b\\c\n\x01 \xc3\xbc \xff \xed\xa0\x80 \xf0\x9f\x98\x80");
	assert_string_equal(b.ptr, "\"a\\\"b\\\\c\\n\\u0001 \xc3\xbc \\ufffd \\ufffd\\ufffd\\ufffd \xf0\x9f\x98\x80\"");
	rg_buf_dispose(&b);
}

static void test_report_file(void **state)
{
	rg_finding f;
	int line;

	(void)state;
	memset(&f, 0, sizeof(f));
	f.path = (char *)"node_modules";
	f.is_dir = 1;
	assert_string_equal(rg_report_file(&f, &line), ".gitignore");
	assert_int_equal(line, 1);
	f.is_dir = 0;
	f.line = 7;
	assert_string_equal(rg_report_file(&f, &line), "node_modules");
	assert_int_equal(line, 7);
	f.path = NULL;
	assert_null(rg_report_file(&f, &line));
	f.anchor = (char *)"conf/rules.ini";
	f.anchor_line = 4;
	assert_string_equal(rg_report_file(&f, &line), "conf/rules.ini");
	assert_int_equal(line, 4);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_push_lines),
		cmocka_unit_test(test_receive_lines),
		cmocka_unit_test(test_bad_lines),
		cmocka_unit_test(test_shallow_file),
		cmocka_unit_test(test_json_strings),
		cmocka_unit_test(test_report_file),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
