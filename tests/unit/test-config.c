/* test-config.c: rules.ini parsing, origins, layering, validation. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "repoguard/buf.h"
#include "repoguard/config.h"
#include "repoguard/finding.h"
#include "repoguard/rule.h"

static int parse(rg_conf *c, const char *text)
{
	rg_conf_init(c);
	rg_conf_parse_string(c, text, strlen(text), "test.ini");
	rg_rules_validate(c);
	return c->nerrors;
}

static void test_origins_and_comments(void **state)
{
	rg_conf c;
	const rg_conf_entry *e;

	(void)state;
	assert_int_equal(parse(&c, "; comment\n[block]\npaths = a/ b/   ; inline comment\n\n# hash\n"
		"paths = c/\n[size]\nmax_file_size = 2M\n"), 0);
	e = rg_conf_get(&c, "block", "paths");
	assert_non_null(e);
	assert_string_equal(e->value, "c/");
	assert_int_equal(e->line, 6);
	{
		char **w = rg_conf_words(&c, "block", "paths");
		assert_string_equal(w[0], "a/");
		assert_string_equal(w[1], "b/");
		assert_string_equal(w[2], "c/");
		assert_null(w[3]);
		rg_strv_free(w);
	}
	assert_int_equal(rg_conf_size(&c, "size", "max_file_size", 0), 2u << 20);
	rg_conf_free(&c);
}

/* Regression: inih r55 kept " ; comment" on indented continuation lines. */
static void test_continuation_comments(void **state)
{
	rg_conf c;
	char **w;

	(void)state;
	assert_int_equal(parse(&c, "[protect]\npaths = src/billing.ts   ; first\n"
		"  migrations/      ; an indented line continues\n\tkeep;me/\n"), 0);
	w = rg_conf_words(&c, "protect", "paths");
	assert_string_equal(w[0], "src/billing.ts");
	assert_string_equal(w[1], "migrations/");
	assert_string_equal(w[2], "keep;me/");
	assert_null(w[3]);
	rg_strv_free(w);
	rg_conf_free(&c);
}

/* Regression: `git config -f` indents every key with a tab; those are keys, not continuations. */
static void test_git_config_style_indent(void **state)
{
	rg_conf c;
	char **w;

	(void)state;
	assert_int_equal(parse(&c, "[block]\n\tpaths = dist/\n\tseverity = warn\n"
		"[protect]\n\tpaths = a/\n\t  b/\n\tmax_deleted_files = 3\n"), 0);
	w = rg_conf_words(&c, "block", "paths");
	assert_string_equal(w[0], "dist/");
	assert_null(w[1]);
	rg_strv_free(w);
	assert_string_equal(rg_conf_get(&c, "block", "severity")->value, "warn");
	w = rg_conf_words(&c, "protect", "paths");
	assert_string_equal(w[0], "a/");
	assert_string_equal(w[1], "b/");
	assert_null(w[2]);
	rg_strv_free(w);
	assert_int_equal(rg_conf_int(&c, "protect", "max_deleted_files", 0), 3);
	assert_int_equal(rg_conf_get(&c, "protect", "max_deleted_files")->line, 7);
	rg_conf_free(&c);
}

static void test_long_line(void **state)
{
	rg_conf c;
	rg_buf b = RG_BUF_INIT;
	const rg_conf_entry *e;
	int i;

	(void)state;
	rg_buf_puts(&b, "[block]\npaths =");
	for (i = 0; i < 2000; i++)
		rg_buf_printf(&b, " dir%04d/", i);
	rg_buf_puts(&b, "\nseverity = warn\n");
	assert_int_equal(parse(&c, b.ptr), 0);
	e = rg_conf_get(&c, "block", "paths");
	assert_non_null(e);
	assert_true(strlen(e->value) > 15000);
	assert_true(rg_str_endswith(e->value, "dir1999/"));
	assert_int_equal(rg_conf_get(&c, "block", "severity")->line, 3);
	rg_conf_free(&c);
	rg_buf_dispose(&b);
}

static void test_errors_name_file_and_line(void **state)
{
	rg_conf c;
	const char *err;

	(void)state;
	assert_true(parse(&c, "[block]\npathz = x\n[nosuch]\na = b\n[size]\nmax_file_size = lots\n") >= 2);
	assert_int_equal(rg_conf_size(&c, "size", "max_file_size", 7), 7);
	err = rg_buf_cstr(&c.errors);
	assert_non_null(strstr(err, "test.ini:2: unknown key 'pathz' in [block]"));
	/* at its header, once */
	assert_non_null(strstr(err, "test.ini:3: unknown section [nosuch]"));
	assert_null(strstr(err, "test.ini:4:"));
	assert_non_null(strstr(err, "test.ini:6:"));
	rg_conf_free(&c);

	assert_true(parse(&c, "[block\npaths = x\n") >= 1);
	assert_non_null(strstr(rg_buf_cstr(&c.errors), "test.ini:1:"));
	rg_conf_free(&c);

	assert_true(parse(&c, "paths = x\n") >= 1);
	assert_non_null(strstr(rg_buf_cstr(&c.errors), "outside any [section]"));
	rg_conf_free(&c);

	assert_int_equal(parse(&c, "[block]\nseverity = loud\n"), 0);
	/* values are checked by the rule that reads them */
	assert_int_equal(rg_conf_severity(&c, "block", RG_SEV_ERROR), RG_SEV_ERROR);
	assert_int_equal(c.nerrors, 1);
	assert_non_null(strstr(rg_buf_cstr(&c.errors), "test.ini:2: 'loud' is not a severity"));
	rg_conf_free(&c);
}

/* Text after a header, a doubled ']', CR-only line endings, an empty name: errors, not dropped. */
static void test_header_syntax(void **state)
{
	rg_conf c;

	(void)state;
	assert_int_equal(parse(&c, "[block] paths = vendor/\n"), 1);
	assert_non_null(strstr(rg_buf_cstr(&c.errors), "test.ini:1: text after the section header [block]: 'paths = vendor/'"));
	rg_conf_free(&c);
	assert_int_equal(parse(&c, "[block]]\npaths = x/\n"), 1);
	assert_non_null(strstr(rg_buf_cstr(&c.errors), "test.ini:1: text after the section header [block]: ']'"));
	rg_conf_free(&c);
	assert_true(parse(&c, "[block]\rpaths = zz/\r") >= 1);
	assert_non_null(strstr(rg_buf_cstr(&c.errors), "test.ini:1: a carriage return (CR) inside a line"));
	rg_conf_free(&c);
	assert_int_equal(parse(&c, "[content.]\npattern = x\n[.x]\n[content..x]\npattern = y\n"), 3);
	assert_non_null(strstr(rg_buf_cstr(&c.errors), "test.ini:4: invalid section name [content..x]: a part of it between dots is empty"));
	assert_non_null(strstr(rg_buf_cstr(&c.errors), "test.ini:1: invalid section name [content.]"));
	assert_non_null(strstr(rg_buf_cstr(&c.errors), "test.ini:3: invalid section name [.x]"));
	rg_conf_free(&c);
	assert_int_equal(parse(&c, "\xEF\xBB\xBF[block]\npaths = a/\n\xEF\xBB\xBF[size]\nmax_file_size = 1M\n"), 1);
	assert_non_null(strstr(rg_buf_cstr(&c.errors), "test.ini:3: a UTF-8 byte order mark (EF BB BF) stands at the start of this line"));
	assert_non_null(strstr(rg_buf_cstr(&c.errors), "remove it"));
	rg_conf_free(&c);
	/* still fine: a comment after the header, CRLF, a BOM, an indented continuation like a header */
	assert_int_equal(parse(&c, "\xEF\xBB\xBF[block] ; c\r\npaths = a/\r\n  [ab]/\n[lfs]\n"), 0);
	assert_int_equal(rg_conf_has_section(&c, "lfs"), 1);
	assert_int_equal(rg_conf_has_section(&c, "size"), 0);
	assert_non_null(strstr(rg_conf_get(&c, "block", "paths")->value, "[ab]/"));
	rg_conf_free(&c);
}

/* A named section written as a header alone is a section of its kind, placed at its header. */
static void test_header_only_sections(void **state)
{
	rg_conf c;
	rg_conf_entry pos;
	const rg_conf_entry *at;
	char **v;

	(void)state;
	assert_int_equal(parse(&c, "[deploy.api]\npaths = api/\n; c\n[deploy.web]\n[deploy]\n[deploy.api]\n[content.]\n"), 1);
	v = rg_conf_sections(&c, "deploy", 1);
	assert_string_equal(v[0], "deploy.api");
	assert_string_equal(v[1], "deploy.web");
	assert_null(v[2]);
	rg_strv_free(v);
	v = rg_conf_sections(&c, "deploy", 0);
	assert_string_equal(v[0], "deploy");
	assert_null(v[1]);
	rg_strv_free(v);
	v = rg_conf_sections(&c, "content", 1);
	assert_null(v[0]);
	rg_strv_free(v);
	at = rg_conf_section_at(&pos, &c, "deploy.web");
	assert_non_null(at);
	assert_int_equal(at->line, 4);
	at = rg_conf_section_at(&pos, &c, "deploy.api");
	assert_int_equal(at->line, 2);
	assert_null(rg_conf_section_at(&pos, &c, "deploy.nosuch"));
	rg_conf_free(&c);
}

/*
 * Regression: a repeated single-value key silently took the last value and a
 * message continued on an indented line lost its first line.
 */
static void test_single_value_keys(void **state)
{
	rg_conf c;

	(void)state;
	assert_int_equal(parse(&c, "[content.x]\npattern = a\nmessage = Use the user's id,\n"
		"  never a tenant   ; why\n\tliteral\n"), 0);
	assert_string_equal(rg_conf_str(&c, "content.x", "message", NULL),
		"Use the user's id, never a tenant literal");
	assert_string_equal(rg_conf_str(&c, "content.x", "message", NULL),
		"Use the user's id, never a tenant literal");
	assert_int_equal(c.nerrors, 0);
	rg_conf_free(&c);

	/* a second line is one error, however often the key is read */
	rg_conf_init(&c);
	rg_conf_parse_string(&c, "[size]\nmax_file_size = 1M\nmax_file_size = 2M\n", 45, "t.ini");
	assert_int_equal(rg_conf_size(&c, "size", "max_file_size", 0), 2u << 20);
	assert_int_equal(rg_conf_size(&c, "size", "max_file_size", 0), 2u << 20);
	assert_int_equal(c.nerrors, 1);
	assert_non_null(strstr(c.errors.ptr, "t.ini:3: [size] sets max_file_size twice (first at line 2)"));
	rg_conf_free(&c);

	/* a later layer replaces: no error */
	rg_conf_init(&c);
	rg_conf_parse_string(&c, "[size]\nmax_file_size = 1M\n", 26, "base");
	rg_conf_new_layer(&c);
	rg_conf_parse_string(&c, "[size]\nmax_file_size = 3M\n", 26, "repo");
	assert_int_equal(rg_conf_size(&c, "size", "max_file_size", 0), 3u << 20);
	assert_int_equal(c.nerrors, 0);
	rg_conf_free(&c);

	/* a continued severity is an error at the continuation */
	rg_conf_init(&c);
	rg_conf_parse_string(&c, "[lfs]\nseverity = warn\n  off\n", 28, "t.ini");
	(void)rg_conf_severity(&c, "lfs", RG_SEV_ERROR);
	assert_int_equal(c.nerrors, 1);
	assert_non_null(strstr(c.errors.ptr, "t.ini:3: [lfs] severity takes one value"));
	rg_conf_free(&c);
}

static void test_layers_replace(void **state)
{
	rg_conf c;
	char **w;

	(void)state;
	rg_conf_init(&c);
	rg_conf_parse_string(&c, "[block]\npaths = node_modules/\npaths = .vite/\n", 45, "base");
	rg_conf_new_layer(&c);
	rg_conf_parse_string(&c, "[block]\npaths = dist/\npaths = out/\n", 35, "repo");
	w = rg_conf_words(&c, "block", "paths");
	assert_string_equal(w[0], "dist/");
	assert_string_equal(w[1], "out/");
	assert_null(w[2]);
	rg_strv_free(w);
	rg_conf_free(&c);
}

static void test_default_rules_are_valid(void **state)
{
	rg_conf c;

	(void)state;
	assert_int_equal(parse(&c, rg_default_rules), 0);
	assert_non_null(rg_conf_get(&c, "block", "paths"));
	rg_conf_free(&c);
}

static void test_sizes_and_durations(void **state)
{
	uint64_t v;
	int64_t d;

	(void)state;
	assert_int_equal(rg_parse_size(&v, "5M"), 0);
	assert_true(v == 5u << 20);
	assert_int_equal(rg_parse_size(&v, "512KiB"), 0);
	assert_true(v == 512u << 10);
	assert_int_equal(rg_parse_size(&v, "100"), 0);
	assert_true(v == 100);
	assert_true(rg_parse_size(&v, "5X") < 0);
	assert_true(rg_parse_size(&v, "-1") < 0);
	assert_true(rg_parse_size(&v, "99999999999999999999G") < 0);
	assert_int_equal(rg_parse_duration(&d, "4h"), 0);
	assert_true(d == 4 * 3600);
	assert_int_equal(rg_parse_duration(&d, "30m"), 0);
	assert_true(d == 1800);
	assert_true(rg_parse_duration(&d, "4") < 0);
	assert_true(rg_parse_duration(&d, "0h") < 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_origins_and_comments),
		cmocka_unit_test(test_git_config_style_indent),
		cmocka_unit_test(test_long_line),
		cmocka_unit_test(test_continuation_comments),
		cmocka_unit_test(test_errors_name_file_and_line),
		cmocka_unit_test(test_header_syntax),
		cmocka_unit_test(test_header_only_sections),
		cmocka_unit_test(test_single_value_keys),
		cmocka_unit_test(test_layers_replace),
		cmocka_unit_test(test_default_rules_are_valid),
		cmocka_unit_test(test_sizes_and_durations),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
