/*
 * test-routes.c: the routing check over whole trees (rg_routes_check_tree,
 * for `repoguard audit`), over commit ranges (one change set per commit,
 * as pre-push / pre-receive / ci see them), the co-change rule in ranges,
 * and the parse cache (each blob parsed once per run). Repositories are
 * built with the real git in a temporary directory.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <cmocka.h>
#include <git2.h>

#include "repoguard/buf.h"
#include "repoguard/common.h"
#include "repoguard/imports.h"
#include "repoguard/routes.h"
#include "repoguard/rule.h"
#include "repoguard/source.h"

#include "scratch-repo.h"

static void write_file(const char *path, const char *text)
{
	rg_buf p = RG_BUF_INIT;
	FILE *f;

	scratch_sh("mkdir -p \"$(dirname '%s')\"", path);
	rg_buf_printf(&p, "%s/repo/%s", scratch_dir, path);
	f = fopen(p.ptr, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	rg_buf_dispose(&p);
}

static void commit(const char *msg)
{
	scratch_sh("git add -A && git commit -q --no-verify -m '%s'", msg);
}

typedef struct {
	git_repository *repo;
	rg_conf conf;
	rg_ctx ctx;
	rg_findings f;
} fixture;

static void fx_open(fixture *x, const char *ini, int mode)
{
	rg_buf p = RG_BUF_INIT;

	memset(x, 0, sizeof(*x));
	rg_buf_printf(&p, "%s/repo", scratch_dir);
	assert_int_equal(git_repository_open(&x->repo, p.ptr), 0);
	rg_conf_init(&x->conf);
	rg_conf_parse_string(&x->conf, ini, strlen(ini), "test.ini");
	rg_rules_validate(&x->conf);
	assert_int_equal(x->conf.nerrors, 0);
	assert_int_equal(rg_ctx_init(&x->ctx, x->repo, &x->conf, mode, "test"), 0);
	rg_findings_init(&x->f);
	rg_buf_dispose(&p);
}

static void fx_close(fixture *x)
{
	rg_engine_free(&x->ctx);
	rg_ctx_free(&x->ctx);
	rg_findings_free(&x->f);
	rg_conf_free(&x->conf);
	git_repository_free(x->repo);
}

static git_tree *head_tree(fixture *x, git_oid *id)
{
	git_object *o = NULL;
	git_tree *t = NULL;

	assert_int_equal(git_revparse_single(&o, x->repo, "HEAD^{tree}"), 0);
	t = (git_tree *)o;
	if (id)
		assert_int_equal(git_reference_name_to_id(id, x->repo, "HEAD"), 0);
	return t;
}

/* Findings rendered one a line: "rule path:line message" */
static char *render(const rg_findings *f)
{
	rg_buf b = RG_BUF_INIT;
	size_t i;

	for (i = 0; i < f->n; i++)
		rg_buf_printf(&b, "%s %.7s %s:%d %s\n", f->v[i].rule, f->v[i].commit ? f->v[i].commit : "-",
			f->v[i].path ? f->v[i].path : "", f->v[i].line, f->v[i].message);
	rg_buf_puts(&b, "");
	return rg_buf_detach(&b);
}

static const char routes_ini[] =
	"[routes]\nroots = repo-src/App.tsx\ncomponents = repo-src/components/**\naliases = @/=repo-src/\n";

static void test_whole_tree(void **state)
{
	fixture x;
	git_tree *t;
	char *out;

	(void)state;
	write_file("repo-src/App.tsx",
		"import A from '@/components/A'\nimport Missing from './components/Missing'\n"
		"import css from './app.css'\nimport React from 'react'\n");
	write_file("repo-src/app.css", "body {}\n");
	write_file("repo-src/components/A.tsx", "export default 1\n");
	write_file("repo-src/components/Orphan.tsx", "export default 2\n");
	write_file("repo-src/components/Lonely.tsx", "import O from './Orphan'\n");
	write_file("repo-src/components/A.test.tsx", "import A from './A'\n");
	commit("tree");
	fx_open(&x, routes_ini, RG_MODE_AUDIT);
	t = head_tree(&x, NULL);
	/* without the engine: [routes] is read from ctx->conf */
	assert_int_equal(rg_routes_check_tree(&x.f, &x.ctx, t, "c0ffee"), 0);
	out = render(&x.f);
	assert_string_equal(out,
		"routes c0ffee repo-src/App.tsx:2 imports './components/Missing' (repo-src/components/Missing), "
		"which does not exist in this tree\n"
		"routes c0ffee repo-src/components/Lonely.tsx:0 no route reaches it: no component imports it\n"
		"routes c0ffee repo-src/components/Orphan.tsx:0 no route reaches it: it is imported by "
		"repo-src/components/Lonely.tsx, which no route reaches\n");
	free(out);
	/* with the engine configured, its state (and parse cache) is used */
	rg_findings_free(&x.f);
	rg_findings_init(&x.f);
	assert_int_equal(rg_engine_configure(&x.ctx), 0);
	assert_int_equal(rg_routes_check_tree(&x.f, &x.ctx, t, NULL), 0);
	assert_int_equal(x.f.n, 3);
	git_tree_free(t);
	fx_close(&x);
	/* no root in the tree: nothing checked, and the caller is told */
	fx_open(&x, "[routes]\nroots = repo-src/Nope.tsx\ncomponents = repo-src/components/**\n", RG_MODE_AUDIT);
	t = head_tree(&x, NULL);
	assert_int_equal(rg_routes_check_tree(&x.f, &x.ctx, t, NULL), RG_ROUTES_NO_ROOT);
	assert_int_equal(x.f.n, 0);
	git_tree_free(t);
	fx_close(&x);
	/* no [routes]: nothing */
	fx_open(&x, "[block]\npaths = x/\n", RG_MODE_AUDIT);
	t = head_tree(&x, NULL);
	assert_int_equal(rg_routes_check_tree(&x.f, &x.ctx, t, NULL), 0);
	assert_int_equal(x.f.n, 0);
	git_tree_free(t);
	fx_close(&x);
}

static int engine_cb(rg_changeset *cs, void *payload)
{
	fixture *x = payload;

	return rg_engine_check(&x->f, &x->ctx, cs);
}

static void test_range_per_commit(void **state)
{
	fixture x;
	git_oid base, tip;
	char *out;
	rg_buf ini = RG_BUF_INIT, want = RG_BUF_INIT;
	char c2[8], c3[8];

	(void)state;
	scratch_sh("git rm -rqf repo-src && mkdir -p repo-src/components");
	write_file("repo-src/App.tsx", "import A from './components/A'\n");
	write_file("repo-src/components/A.tsx", "export default 1\n");
	commit("base");
	scratch_sh("git rev-parse HEAD >../base");
	write_file("repo-src/components/B.tsx", "export default 2\n");
	commit("unrouted B");
	scratch_sh("git rev-parse --short=7 HEAD >../c2");
	write_file("repo-src/App.tsx", "import A from './components/A'\nimport B from './components/B'\n");
	commit("route B");
	write_file("repo-src/components/C.tsx", "export default 3\n");
	write_file("repo-src/App.tsx",
		"import A from './components/A'\nimport B from './components/B'\nimport C from './components/C'\n");
	commit("C with the router");
	scratch_sh("git mv repo-src/components/A.tsx repo-src/components/AA.tsx && "
		"git commit -qm 'rename A, App not updated' && git rev-parse --short=7 HEAD >../c3");
	{
		FILE *f;
		rg_buf p = RG_BUF_INIT;

		rg_buf_printf(&p, "%s/c2", scratch_dir);
		f = fopen(p.ptr, "r");
		assert_non_null(f);
		assert_non_null(fgets(c2, sizeof(c2), f));
		fclose(f);
		rg_buf_clear(&p);
		rg_buf_printf(&p, "%s/c3", scratch_dir);
		f = fopen(p.ptr, "r");
		assert_non_null(f);
		assert_non_null(fgets(c3, sizeof(c3), f));
		fclose(f);
		rg_buf_dispose(&p);
	}
	rg_buf_puts(&ini, routes_ini);
	rg_buf_puts(&ini, "[cochange.router]\nwhen = repo-src/components/\nrequire = repo-src/App.tsx\n");
	fx_open(&x, ini.ptr, RG_MODE_PRE_PUSH);
	assert_int_equal(rg_engine_configure(&x.ctx), 0);
	assert_int_equal(git_reference_name_to_id(&tip, x.repo, "HEAD"), 0);
	{
		git_object *o = NULL;

		assert_int_equal(git_revparse_single(&o, x.repo, "HEAD~4"), 0);
		git_oid_cpy(&base, git_object_id(o));
		git_object_free(o);
	}
	assert_int_equal(rg_source_range(&x.ctx, &tip, 1, &base, 1, "refs/heads/main", engine_cb, &x), 0);
	assert_int_equal(rg_engine_finish(&x.f, &x.ctx), 0);
	out = render(&x.f);
	rg_buf_printf(&want,
		"cochange.router %s repo-src/components/B.tsx:0 added without a change to repo-src/App.tsx\n"
		"routes %s repo-src/components/B.tsx:0 added, but no route reaches it: no import of it is found in the source files this change adds or modifies\n"
		"cochange.router %s repo-src/components/AA.tsx:0 renamed without a change to repo-src/App.tsx\n"
		"routes %s repo-src/App.tsx:1 imports './components/A' (repo-src/components/A.tsx), which this commit renames to repo-src/components/AA.tsx\n"
		"routes %s repo-src/components/AA.tsx:0 renamed from repo-src/components/A.tsx, but no route reaches it: repo-src/App.tsx still imports the old path\n",
		c2, c2, c3, c3, c3);
	assert_string_equal(out, want.ptr);
	free(out);
	rg_buf_dispose(&want);
	rg_buf_dispose(&ini);
	fx_close(&x);
}

static void test_parse_once(void **state)
{
	fixture x;
	rg_import_cache *c;
	rg_igraph *g1, *g2;
	git_tree *t;
	rg_view v;
	rg_ifile *root;
	rg_import_alias al = { "@/", "repo-src/" };

	(void)state;
	fx_open(&x, "", RG_MODE_AUDIT);
	t = head_tree(&x, NULL);
	v.kind = RG_VIEW_TREE;
	v.index = NULL;
	v.tree = t;
	c = rg_import_cache_new(&al, 1);
	assert_int_equal(rg_igraph_new(&g1, c, &x.ctx, &v), 0);
	root = rg_igraph_file(g1, "repo-src/App.tsx");
	assert_true(root->exists);
	assert_int_equal(rg_igraph_reach(g1, &root, 1), 0);
	/* App.tsx, B.tsx, C.tsx (AA.tsx is not reached: App still names A) */
	assert_int_equal(rg_import_cache_parsed(c), 3);
	assert_true(rg_igraph_file(g1, "repo-src/components/B.tsx")->reachable);
	assert_false(rg_igraph_file(g1, "repo-src/components/AA.tsx")->reachable);
	assert_ptr_equal(rg_igraph_file(g1, "repo-src/components/C.tsx")->via, root);
	/* a second graph over the same blobs parses nothing again */
	assert_int_equal(rg_igraph_new(&g2, c, &x.ctx, &v), 0);
	root = rg_igraph_file(g2, "repo-src/App.tsx");
	assert_int_equal(rg_igraph_reach(g2, &root, 1), 0);
	assert_int_equal(rg_import_cache_parsed(c), 3);
	assert_false(rg_igraph_exists(g2, "repo-src/components/A.tsx"));
	assert_true(rg_igraph_exists(g2, "repo-src/components/AA.tsx"));
	rg_igraph_free(g1);
	rg_igraph_free(g2);
	rg_import_cache_free(c);
	git_tree_free(t);
	fx_close(&x);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_whole_tree),
		cmocka_unit_test(test_range_per_commit),
		cmocka_unit_test(test_parse_once),
	};

	return cmocka_run_group_tests(tests, scratch_setup, scratch_teardown);
}
