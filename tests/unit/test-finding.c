/* test-finding.c: findings a later rule group makes alike are dropped (rg_findings_dedupe). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "repoguard/finding.h"

static void add(rg_findings *f, const char *rule, int sev, const char *commit, const char *path,
	int line, const char *msg, const char *detail)
{
	rg_finding *x = rg_findings_add(f, rule, sev, commit, path, line, msg);

	rg_finding_set_detail(x, detail);
}

static void test_dedupe_drops_later_equal_findings(void **state)
{
	rg_findings f;

	(void)state;
	rg_findings_init(&f);
	add(&f, "secrets.github-token", RG_SEV_ERROR, "c1", "t", 1, "GitHub token", "first group");
	add(&f, "block", RG_SEV_ERROR, "c1", "node_modules/", 0, "1 file", NULL);
	add(&f, "secrets.github-token", RG_SEV_ERROR, "c1", "t", 1, "GitHub token", NULL); /* same group: kept */
	/* the second group starts here */
	add(&f, "secrets.github-token", RG_SEV_ERROR, "c1", "t", 1, "GitHub token", "second group");
	add(&f, "secrets.github-token", RG_SEV_ERROR, "c1", "t", 2, "GitHub token", NULL);
	add(&f, "secrets.github-token", RG_SEV_WARN, "c1", "t", 1, "GitHub token", NULL);
	add(&f, "branch", RG_SEV_ERROR, NULL, NULL, 0, "deleting main", NULL);
	add(&f, "block", RG_SEV_ERROR, "c1", "node_modules/", 0, "1 file", NULL);
	rg_findings_dedupe(&f, 3);
	assert_int_equal(f.n, 6);
	assert_string_equal(f.v[0].detail, "first group");
	assert_int_equal(f.v[3].line, 2);
	assert_int_equal(f.v[4].severity, RG_SEV_WARN);
	assert_string_equal(f.v[5].rule, "branch");
	rg_findings_dedupe(&f, 0); /* nothing before: nothing dropped */
	assert_int_equal(f.n, 6);
	rg_findings_free(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dedupe_drops_later_equal_findings),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
