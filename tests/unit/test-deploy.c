/* test-deploy.c: deploy targets: path ownership, push matching, stamps, the
 * verdict, and the netlify.toml / Dockerfile / pm2 readers of init. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "repoguard/common.h"
#include "repoguard/config.h"
#include "repoguard/deploy.h"
#include "repoguard/finding.h"
#include "repoguard/rule.h"

static void load(rg_deploy_conf *dc, rg_conf *c, const char *text)
{
	rg_conf_init(c);
	assert_int_equal(rg_conf_parse_string(c, text, strlen(text), "test.ini"), 0);
	assert_int_equal(rg_deploy_conf_load(dc, c), 0);
}

static int owns(const rg_deploy_conf *dc, const char *target, const char *path)
{
	int i = rg_deploy_conf_find(dc, target);

	assert_true(i >= 0);
	return rg_deploy_owns(&dc->v[i], path);
}

static void test_owns(void **state)
{
	rg_conf c;
	rg_deploy_conf dc;

	load(&dc, &c,
		"[deploy.web]\npaths = src/** !src/legacy/** /index.html *.md\n"
		"[deploy.all]\npaths = ** !backend/\n"
		"[deploy.api]\npaths = backend/ !backend/docs/ backend/docs/api.md\n");
	assert_true(owns(&dc, "web", "src/a.ts"));
	assert_true(owns(&dc, "web", "src/x/y/z.ts"));
	assert_false(owns(&dc, "web", "src/legacy/old.ts"));
	assert_false(owns(&dc, "web", "src/legacy/deep/old.ts"));
	assert_true(owns(&dc, "web", "index.html"));
	assert_false(owns(&dc, "web", "backend/index.html"));
	assert_true(owns(&dc, "web", "docs/guide.md"));   /* basename pattern at any depth */
	assert_false(owns(&dc, "web", "srcx/a.ts"));
	assert_true(owns(&dc, "all", "README"));
	assert_true(owns(&dc, "all", "frontend/a/b.js"));
	assert_false(owns(&dc, "all", "backend/server.js"));
	assert_false(owns(&dc, "all", "backend/a/b/c.js"));
	assert_true(owns(&dc, "all", "backend.js"));
	assert_true(owns(&dc, "api", "backend/server.js"));
	assert_false(owns(&dc, "api", "backend/docs/intro.md"));
	assert_true(owns(&dc, "api", "backend/docs/api.md"));   /* the last match decides */
	assert_false(owns(&dc, "api", "backend"));               /* a file named backend */
	assert_false(owns(&dc, "api", "frontend/backend.txt"));
	rg_deploy_conf_free(&dc);
	rg_conf_free(&c);
}

static void test_pushes_to(void **state)
{
	rg_conf c;
	rg_deploy_conf dc;
	const rg_deploy_target *t;

	load(&dc, &c, "[deploy.ec2]\npaths = backend/\nbranches = deploy/ec2 release/* refs/tags/v*\n"
		"remotes = production *github.com:acme/site.git\n");
	t = &dc.v[0];
	assert_true(rg_deploy_pushes_to(t, "refs/heads/deploy/ec2", NULL, NULL));
	assert_false(rg_deploy_pushes_to(t, "refs/heads/deploy/ec2-old", NULL, NULL));
	assert_false(rg_deploy_pushes_to(t, "refs/tags/deploy/ec2", NULL, NULL));
	assert_true(rg_deploy_pushes_to(t, "refs/heads/release/1.2", NULL, NULL));
	assert_false(rg_deploy_pushes_to(t, "refs/heads/release/a/b", NULL, NULL));
	assert_true(rg_deploy_pushes_to(t, "refs/tags/v1.0", NULL, NULL));
	assert_false(rg_deploy_pushes_to(t, "refs/heads/main", "origin", "git@github.com:acme/app.git"));
	assert_true(rg_deploy_pushes_to(t, "refs/heads/main", "production", "ssh://host/x.git"));
	assert_true(rg_deploy_pushes_to(t, "refs/heads/main", "gh", "git@github.com:acme/site.git"));
	assert_false(rg_deploy_pushes_to(t, "refs/heads/main", NULL, NULL));
	rg_deploy_conf_free(&dc);
	rg_conf_free(&c);
}

static void test_conf_errors(void **state)
{
	static const char *const bad[] = {
		"[deploy]\npaths = src/\n",
		"[deploy.x]\nbranches = deploy/x\n",
		"[deploy.x]\npaths = a/\nunmapped = off\n",
		"[deploy.x]\npaths = a/\n[deploy]\nunmapped = maybe\n",
		"[deploy..x]\npaths = a/\n",
		"[deploy.x.lock]\npaths = a/\n",
		"[deploy.x]\npaths = [a\n",
	};
	size_t i;

	for (i = 0; i < RG_ARRAY_SIZE(bad); i++) {
		rg_conf c;
		rg_deploy_conf dc;
		int parsed, r;

		rg_conf_init(&c);
		rg_conf_parse_string(&c, bad[i], strlen(bad[i]), "bad.ini");
		parsed = c.nerrors; /* [deploy..x] is refused at its header */
		r = rg_deploy_conf_load(&dc, &c);
		assert_true(r == RG_ECONFIG || (parsed > 0 && r == 0));
		assert_non_null(strstr(rg_buf_cstr(&c.errors), "bad.ini:"));
		rg_deploy_conf_free(&dc);
		rg_conf_free(&c);
	}
	assert_true(rg_deploy_name_valid("ec2"));
	assert_true(rg_deploy_name_valid("web-prod_1.eu"));
	assert_false(rg_deploy_name_valid(""));
	assert_false(rg_deploy_name_valid("a/b"));
	assert_false(rg_deploy_name_valid("-x"));
	assert_false(rg_deploy_name_valid("x*"));
}

static size_t count_of(const char *s, const char *what)
{
	size_t n = 0;

	for (; (s = strstr(s, what)) != NULL; s++)
		n++;
	return n;
}

/*
 * Loading a file as the hooks do (init checks its proposal this way) checks
 * the deploy targets too, through the deploy rule, and says each problem
 * once: init used to load the targets a second time, listing each twice.
 */
static void test_load_text_reports_once(void **state)
{
	static const char text[] = "[deploy.web]\npaths = a[b\n[deploy.api]\nbranches = deploy/api\n";
	rg_conf c;
	const char *e;
	void **st = NULL;

	/* what rg_conf_load_text does (run.c, which needs the command layer) */
	rg_conf_init(&c);
	rg_conf_parse_string(&c, text, strlen(text), "p.ini");
	rg_rules_validate(&c);
	assert_int_equal(rg_rules_configure(&st, &c), RG_ECONFIG);
	rg_rules_free(st);
	e = rg_buf_cstr(&c.errors);
	assert_int_equal(count_of(e, "p.ini:2: invalid pattern 'a[b'"), 1);
	assert_int_equal(count_of(e, "[deploy.api] has no paths"), 1);
	assert_int_equal(c.nerrors, 2);
	rg_conf_free(&c);
}

static void test_stamps(void **state)
{
	rg_deploy_stamp a, b, c;
	rg_buf s = RG_BUF_INIT;

	assert_int_equal(rg_deploy_stamp_parse(&a, "20260101T000000Z"), 0);
	assert_int_equal(a.seq, 1);
	assert_int_equal(rg_deploy_stamp_parse(&b, "20260101T000000Z-2"), 0);
	assert_int_equal(rg_deploy_stamp_parse(&c, "20260101T000000Z-10"), 0);
	assert_true(rg_deploy_stamp_cmp(&a, &b) < 0);
	assert_true(rg_deploy_stamp_cmp(&b, &c) < 0);     /* numerically, not by name */
	assert_int_equal(rg_deploy_stamp_cmp(&c, &c), 0);
	assert_int_equal(rg_deploy_stamp_parse(&c, "20260102T000000Z"), 0);
	assert_true(rg_deploy_stamp_cmp(&b, &c) < 0);
	assert_int_equal(rg_deploy_stamp_parse(&a, "20260101T000000Z-1"), RG_ERROR);
	assert_int_equal(rg_deploy_stamp_parse(&a, "20260101T000000Z-02"), RG_ERROR);
	assert_int_equal(rg_deploy_stamp_parse(&a, "20260101T000000Z-"), RG_ERROR);
	assert_int_equal(rg_deploy_stamp_parse(&a, "20260101T000000Z-9999999"), RG_ERROR);
	assert_int_equal(rg_deploy_stamp_parse(&a, "20260101T000000"), RG_ERROR);
	assert_int_equal(rg_deploy_stamp_parse(&a, "2026010xT000000Z"), RG_ERROR);
	assert_int_equal(rg_deploy_stamp_parse(&a, "20260101T000000Zx"), RG_ERROR);
	assert_int_equal(rg_deploy_stamp_parse(&a, "manual"), RG_ERROR);
	rg_deploy_stamp_format(&s, 1767225600, 1);
	assert_string_equal(s.ptr, "20260101T000000Z");
	rg_buf_clear(&s);
	rg_deploy_stamp_format(&s, 1767225661, 3);
	assert_string_equal(s.ptr, "20260101T000101Z-3");
	rg_buf_dispose(&s);
}

static void test_map_and_judge(void **state)
{
	rg_conf c;
	rg_deploy_conf dc;
	rg_deploy_map m;
	int ec2[2] = { 0, 1 }, web[2] = { 1, 0 };
	rg_buf b = RG_BUF_INIT;

	load(&dc, &c, "[deploy.web]\npaths = src/ /yarn.lock\n[deploy.ec2]\npaths = backend/ /yarn.lock\n");
	rg_deploy_map_init(&m);
	rg_deploy_map_finish(&m, &dc);
	assert_int_equal(rg_deploy_judge(&m, ec2), RG_DEPLOY_UNCHANGED);
	rg_deploy_map_free(&m);

	rg_deploy_map_init(&m);
	rg_deploy_map_add(&m, 'M', NULL, "src/b.ts");
	rg_deploy_map_add(&m, 'A', NULL, "src/a.ts");
	rg_deploy_map_add(&m, 'M', NULL, "src/b.ts");   /* seen twice (two commits) */
	rg_deploy_map_add(&m, 'M', NULL, "README.md");
	rg_deploy_map_finish(&m, &dc);
	assert_int_equal(m.n, 3);
	assert_string_equal(m.changes[0].path, "README.md");
	assert_int_equal(m.per[0].n, 2);
	assert_int_equal(m.per[1].n, 0);
	assert_int_equal(m.unmapped.n, 1);
	assert_int_equal(rg_deploy_judge(&m, ec2), RG_DEPLOY_MISMATCH);
	assert_int_equal(rg_deploy_judge(&m, web), RG_DEPLOY_MATCH);
	assert_int_equal(rg_deploy_count_others(&m, ec2), 2);
	rg_deploy_describe_owners(&b, &m, &dc, ec2);
	assert_string_equal(b.ptr, "belong to web (2) and to no target (1)");
	rg_buf_clear(&b);
	rg_deploy_list(&b, &m, &m.per[0], 1, "  ");
	assert_string_equal(b.ptr, "  A src/a.ts\n  ... and 1 more\n");
	rg_deploy_map_free(&m);

	rg_deploy_map_init(&m);
	rg_deploy_map_add(&m, 'R', "backend/util.js", "src/util.js");
	rg_deploy_map_finish(&m, &dc);
	assert_int_equal(rg_deploy_judge(&m, ec2), RG_DEPLOY_MIXED);
	assert_int_equal(rg_deploy_judge(&m, web), RG_DEPLOY_MIXED);
	rg_buf_clear(&b);
	rg_deploy_list(&b, &m, &m.per[1], 10, "");
	assert_string_equal(b.ptr, "R backend/util.js -> src/util.js\n");
	rg_deploy_map_free(&m);

	rg_deploy_map_init(&m);
	rg_deploy_map_add(&m, 'M', NULL, "yarn.lock");
	rg_deploy_map_finish(&m, &dc);
	assert_int_equal(rg_deploy_judge(&m, ec2), RG_DEPLOY_MIXED);
	rg_deploy_map_free(&m);

	rg_deploy_map_init(&m);
	rg_deploy_map_add(&m, 'D', NULL, "docs/x.md");
	rg_deploy_map_finish(&m, &dc);
	assert_int_equal(rg_deploy_judge(&m, ec2), RG_DEPLOY_UNMAPPED_ONLY);
	rg_deploy_map_free(&m);

	rg_deploy_map_init(&m);
	rg_deploy_map_add(&m, 'M', NULL, "src/a.ts");
	rg_deploy_map_finish(&m, &dc);
	rg_buf_clear(&b);
	rg_deploy_describe_owners(&b, &m, &dc, ec2);
	assert_string_equal(b.ptr, "belongs to web");
	rg_buf_clear(&b);
	rg_deploy_names_of(&b, &dc, (int[]){ 1, 1 });
	assert_string_equal(b.ptr, "web and ec2");
	rg_deploy_map_free(&m);
	rg_buf_dispose(&b);
	rg_deploy_conf_free(&dc);
	rg_conf_free(&c);
}

static void netlify_is(const char *text, const char *want)
{
	char *base = NULL;

	assert_int_equal(rg_netlify_base(&base, text, strlen(text)), 0);
	if (!want)
		assert_null(base);
	else {
		assert_non_null(base);
		assert_string_equal(base, want);
	}
	free(base);
}

static void test_netlify(void **state)
{
	netlify_is("[build]\nbase = \"frontend\"\n", "frontend");
	netlify_is("[build]\r\n  base='site/'\r\n", "site/");
	netlify_is("# c\n[ build ]\n  command = \"x\"\n  base = \"a\\\"b\" # comment\n", "a\"b");
	netlify_is("build.base = \"top\"\n[build]\npublish = \"dist\"\n", "top");
	netlify_is("[build.environment]\nbase = \"no\"\n", NULL);
	netlify_is("[context.production]\nbase = \"no\"\n[build]\npublish = \"x\"\n", NULL);
	netlify_is("[[plugins]]\nbase = \"no\"\n", NULL);
	netlify_is("[build]\nbase = \"\"\n", "");
	netlify_is("[build]\nbase = \"\"\"multi\"\"\"\n", NULL);
	netlify_is("[build]\nbase = \"unterminated\n", NULL);
	netlify_is("[build]\n\"base\" = \"quoted-key\"\n", "quoted-key");
	netlify_is("", NULL);
	netlify_is("[build", NULL);
}

static void strv_is(char **v, const char *const *want)
{
	size_t i;

	for (i = 0; want[i]; i++) {
		assert_non_null(v[i]);
		assert_string_equal(v[i], want[i]);
	}
	assert_null(v[i]);
	rg_strv_free(v);
}

#define DF(text, ...) strv_is(rg_dockerfile_sources(text, strlen(text)), (const char *const[]){ __VA_ARGS__, NULL })

static void test_dockerfile(void **state)
{
	DF("FROM node\nCOPY backend/ package.json /app/\n", "backend", "package.json");
	DF("FROM node AS b\ncopy --chown=1:1 ./src /x\nCOPY --from=b /app /srv\n", "src");
	DF("ADD [\"a.txt\", \"dir/\", \"/dst\"]\n", "a.txt", "dir");
	DF("COPY \\\n  one \\\n  two /dst\n", "one", "two");
	DF("COPY . .\n", ".");
	DF("ADD https://example.com/x.tgz /x\nRUN echo COPY a b\n", NULL);
	DF("COPY onlyone\n", NULL);
	DF("", NULL);
}

#define PM2(text, ...) strv_is(rg_pm2_paths(text, strlen(text)), (const char *const[]){ __VA_ARGS__, NULL })

static void test_pm2(void **state)
{
	PM2("module.exports = { apps: [{ name: 'a', script: './srv/index.js', cwd: \"srv\" }] }",
		"./srv/index.js", "srv");
	PM2("{\"apps\": [{\"script\": \"server.js\"}]}", "server.js");
	PM2("myscript: 'no', description: \"script: 'no'\"", NULL);
	PM2("script: `tpl.js`\nscript:", "tpl.js");
	PM2("script: 'unterminated\n", NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_owns),
		cmocka_unit_test(test_pushes_to),
		cmocka_unit_test(test_conf_errors),
		cmocka_unit_test(test_load_text_reports_once),
		cmocka_unit_test(test_stamps),
		cmocka_unit_test(test_map_and_judge),
		cmocka_unit_test(test_netlify),
		cmocka_unit_test(test_dockerfile),
		cmocka_unit_test(test_pm2),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
