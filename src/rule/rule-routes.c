/*
 * rule-routes.c: a component refactor must reach the router.
 *
 *   [routes]
 *   roots = src/product/App.tsx          ; where routing starts
 *   components = src/components/ src/pages/
 *   aliases = @/=src/                    ; as in tsconfig paths / vite alias
 *   exclude = *.test.* *.stories.*       ; files meant to stand alone
 *
 * From the roots, as the change set's new state holds them (the index, or
 * the commit's tree), the import graph is followed (imports.h). Findings:
 *   dangling     a file reachable from a root imports a path the change
 *                deletes or renames away (named by importing file and line);
 *   unreachable  a component file the change adds or renames is not
 *                reachable from any root (named with who imports it, and
 *                the route that goes elsewhere when one is recognisable);
 *                for a merge also one that another parent brings and
 *                routes, and that no route reaches after the merge.
 * The graph is only built when a change set can have such a finding: it
 * adds or renames a component file, or deletes or renames any file.
 */
#include <stdlib.h>
#include <string.h>

#include "repoguard/routes.h"
#include "repoguard/routes-int.h"
#include "repoguard/source.h"

static const char *const routes_keys[] = { "roots", "components", "aliases", "base_url", "exclude", NULL };
static const rg_section_spec routes_section = { "routes", RG_SEC_PLAIN, routes_keys };
static const rg_section_spec *const routes_sections[] = { &routes_section, NULL };

static const char routes_default_exclude[] =
	"*.test.* *.spec.* *.stories.* *.story.* __tests__/ __mocks__/ *.d.ts";

extern const rg_rule rg_rule_routes;

static void routes_free(void *state)
{
	routes_state *s = state;
	size_t i;

	rg_strv_free(s->roots);
	free(s->self_path);
	rg_patlist_free(&s->components);
	rg_patlist_free(&s->exclude);
	for (i = 0; i < s->naliases; i++) {
		free(s->aliases[i].from);
		free(s->aliases[i].to);
	}
	free(s->aliases);
	rg_import_cache_free(s->cache);
	free(s);
}

/* "./src//App.tsx" -> "src/App.tsx"; NULL when it is not a plain path. */
static char *routes_norm_root(const char *w)
{
	rg_buf in = RG_BUF_INIT, out = RG_BUF_INIT;
	char *r = NULL;

	if (!rg_pattern_is_literal(w))
		return NULL;
	while (*w == '/')
		w++;
	rg_buf_printf(&in, "./%s", w);
	if (rg_import_base(&out, "", in.ptr, NULL, 0) == 0)
		r = rg_buf_detach(&out);
	rg_buf_dispose(&in);
	rg_buf_dispose(&out);
	return r;
}

static void routes_conf_roots(routes_state *s, rg_conf *conf)
{
	const rg_conf_entry *e = rg_conf_get(conf, "routes", "roots");
	char **w = rg_conf_words(conf, "routes", "roots");
	size_t i, n = 0;

	for (i = 0; w[i]; i++)
		;
	s->roots = rg_calloc(i + 1, sizeof(*s->roots));
	for (i = 0; w[i]; i++) {
		char *p = routes_norm_root(w[i]);

		if (!p)
			rg_conf_error(conf, e, "roots= takes file paths, not patterns: '%s' "
				"(name each router file, e.g. src/App.tsx)", w[i]);
		else
			s->roots[n++] = p;
	}
	s->nroots = n;
	if (e) {
		s->roots_file = e->file;
		s->roots_line = e->line;
	}
	rg_strv_free(w);
}

static void routes_conf_aliases(routes_state *s, rg_conf *conf)
{
	const rg_conf_entry *e = rg_conf_get(conf, "routes", "aliases");
	char **w = rg_conf_words(conf, "routes", "aliases");
	size_t i;

	for (i = 0; w[i]; i++)
		;
	s->aliases = rg_calloc(i + 1, sizeof(*s->aliases));
	for (i = 0; w[i]; i++) {
		const char *eq = strchr(w[i], '=');

		if (!eq || eq == w[i]) {
			rg_conf_error(conf, e, "aliases= takes PREFIX=PATH pairs such as @/=src/, not '%s'", w[i]);
			continue;
		}
		s->aliases[s->naliases].from = rg_strndup(w[i], (size_t)(eq - w[i]));
		s->aliases[s->naliases].to = rg_strdup(eq + 1);
		s->naliases++;
	}
	rg_strv_free(w);
}

/*
 * base_url = src: tsconfig's compilerOptions.baseUrl, where a bare import
 * ('components/Feed') names src/components/Feed when that exists, and is a
 * package otherwise. Kept as the last alias, with an empty prefix (which
 * aliases= cannot write), so that it is tried after every other.
 */
static void routes_conf_base_url(routes_state *s, rg_conf *conf)
{
	int nerr = conf->nerrors;
	const rg_conf_entry *e = rg_conf_get_one(conf, "routes", "base_url");
	char **w = rg_conf_words(conf, "routes", "base_url");
	rg_buf in = RG_BUF_INIT, out = RG_BUF_INIT;

	if (!e || !w[0] || conf->nerrors != nerr) /* set twice: said once, at the second line */
		goto out;
	if (w[1] || !rg_pattern_is_literal(w[0])) {
		rg_conf_error(conf, e, "base_url= takes one directory path (as tsconfig's baseUrl, e.g. src), not '%s'",
			e->value);
		goto out;
	}
	rg_buf_printf(&in, "./%s", w[0][0] == '/' ? w[0] + 1 : w[0]);
	if (rg_import_base(&out, "", in.ptr, NULL, 0) < 0 && strcmp(w[0], ".") && strcmp(w[0], "./")) {
		rg_conf_error(conf, e, "base_url= names a directory of the repository, not '%s'", w[0]);
		goto out;
	}
	s->aliases = rg_realloc(s->aliases, (s->naliases + 2) * sizeof(*s->aliases));
	s->aliases[s->naliases].from = rg_strdup("");
	s->aliases[s->naliases].to = rg_strdup(out.ptr ? out.ptr : "");
	s->naliases++;
	memset(&s->aliases[s->naliases], 0, sizeof(*s->aliases));
out:
	rg_buf_dispose(&in);
	rg_buf_dispose(&out);
	rg_strv_free(w);
}

static int routes_configure(void **state, rg_conf *conf)
{
	routes_state *s = rg_calloc(1, sizeof(*s));
	int nerr = conf->nerrors;

	s->severity = rg_conf_severity(conf, "routes", RG_SEV_ERROR);
	s->self_path = conf->self_path ? rg_strdup(conf->self_path) : NULL;
	routes_conf_roots(s, conf);
	routes_conf_aliases(s, conf);
	routes_conf_base_url(s, conf);
	rg_conf_patterns(&s->components, conf, "routes", "components");
	if (rg_conf_get(conf, "routes", "exclude"))
		rg_conf_patterns(&s->exclude, conf, "routes", "exclude");
	else
		rg_patlist_add_words(&s->exclude, routes_default_exclude, "rules.ini (built-in)", 0);
	if (!s->nroots && conf->nerrors == nerr && s->severity != RG_SEV_OFF &&
	    (s->components.n || s->naliases))
		rg_conf_error(conf, rg_conf_get(conf, "routes", s->components.n ? "components" :
			rg_conf_get(conf, "routes", "aliases") ? "aliases" : "base_url"),
			"[routes] needs roots=: the router file(s) routing starts from");
	if (s->severity == RG_SEV_OFF || !s->nroots || conf->nerrors != nerr) {
		routes_free(s);
		return RG_OK;
	}
	*state = s;
	return RG_OK;
}

/* A source file under components= and not excluded. */
/* ---------------------------------------------------------------- change set */

static void routes_note_once(rg_findings *out, int *flag, const char *fmt, const char *arg)
{
	if (*flag)
		return;
	*flag = 1;
	rg_findings_info(out, fmt, arg);
}

/* Files of the change's new side that can import (importer candidates). */
static rg_ifile **routes_changed_sources(routes_run *run, const rg_changeset *cs, size_t *n)
{
	rg_ifile **v = rg_calloc(cs->n + 1, sizeof(*v));
	size_t i;

	*n = 0;
	for (i = 0; i < cs->n; i++) {
		const char *p = cs->v[i].new_path;
		rg_ifile *f;

		if (!p || !rg_import_is_source(p))
			continue;
		f = rg_igraph_file(run->g, p);
		if (f->exists)
			v[(*n)++] = f;
	}
	return v;
}

static int routes_check_graph(rg_findings *out, routes_run *run, const rg_changeset *cs,
	const routes_removed *rm, const rg_delta **targets, size_t ntargets)
{
	rg_ifile **cand = NULL;
	size_t ncand = 0, i;

	if (rm->n)
		rg_routes_dangling(out, run, cs, rm);
	for (i = 0; i < ntargets; i++) {
		rg_ifile *f = rg_igraph_file(run->g, targets[i]->new_path);

		if (f->reachable || !f->exists)
			continue;
		if (!cand)
			cand = routes_changed_sources(run, cs, &ncand);
		rg_routes_unreachable(out, run, f, targets[i], cand, ncand);
	}
	free(cand);
	return RG_OK;
}

/* ---------------------------------------------------------------- merges */

/*
 * The parents a change set merges besides its first, and the first
 * parent (its id and tree; *first NULL: none): a merge commit's parents,
 * or HEAD and the commits the index concludes a merge of. *ids is
 * allocated.
 */
static int routes_merge_heads(git_oid **ids, size_t *n, git_tree **first, git_oid *first_id,
	rg_ctx *ctx, const rg_changeset *cs)
{
	git_commit *c = NULL, *p = NULL;
	unsigned int i, np;
	int r = RG_OK;

	*ids = NULL;
	*n = 0;
	*first = NULL;
	if (!cs->has_commit) {
		if (cs->view.kind != RG_VIEW_INDEX || (r = rg_index_merge_heads(ids, n, ctx->repo)) < 0 || !*n)
			return r;
		if (cs->old_tree && (git_reference_name_to_id(first_id, ctx->repo, "HEAD") < 0 ||
		    git_tree_dup(first, cs->old_tree) < 0))
			r = rg_error_from_git("cannot read HEAD");
		return r;
	}
	if (git_commit_lookup(&c, ctx->repo, &cs->commit) < 0) {
		r = rg_error_from_git(cs->commit_hex);
		goto out;
	}
	np = git_commit_parentcount(c);
	if (np < 2)
		goto out;
	if (git_commit_parent(&p, c, 0) < 0 || git_commit_tree(first, p) < 0) {
		r = rg_error_from_git(cs->commit_hex);
		goto out;
	}
	git_oid_cpy(first_id, git_commit_id(p));
	*ids = rg_calloc(np - 1, sizeof(**ids));
	for (i = 1; i < np; i++)
		git_oid_cpy(&(*ids)[(*n)++], git_commit_parent_id(c, i));
out:
	git_commit_free(p);
	git_commit_free(c);
	return r;
}

/* Does the change set itself add or rename path (checked as its own)? */
static int routes_cs_adds(const rg_changeset *cs, const char *path)
{
	size_t i;

	for (i = 0; i < cs->n; i++)
		if ((cs->v[i].status == RG_DELTA_ADDED || cs->v[i].status == RG_DELTA_RENAMED) &&
		    !strcmp(cs->v[i].new_path, path))
			return 1;
	return 0;
}

/* The graph after the merge, built on first need. */
typedef struct {
	routes_run run;
	int started, no_root;
} routes_merged;

/*
 * Of the components d adds, those the merge keeps but no route reaches
 * after it, while one reaches them in the parent whose tree is t: found.
 */
static int routes_merge_lost(rg_findings *out, routes_merged *m, routes_state *s, rg_ctx *ctx,
	const rg_changeset *cs, const rg_changeset *d, git_tree *t, const git_oid *parent)
{
	char hex[GIT_OID_HEXSZ + 1];
	routes_run theirs;
	rg_view tv;
	size_t i;
	int started = 0, r = RG_OK;

	git_oid_tostr(hex, sizeof(hex), parent);
	for (i = 0; i < d->n && r == RG_OK && !m->no_root; i++) {
		const rg_delta *x = &d->v[i];
		rg_ifile *f, *g;

		if (x->status != RG_DELTA_ADDED || !rg_routes_is_component(s, x->new_path) ||
		    routes_cs_adds(cs, x->new_path))
			continue;
		if (!m->started) {
			m->started = 1;
			r = rg_routes_run_start(&m->run, s, ctx, &cs->view, rg_short_id(cs));
			if (r == 1) {
				r = RG_OK;
				m->no_root = 1; /* no root after the merge: routes_check says so */
			}
			if (r < 0 || m->no_root)
				break;
		}
		f = rg_igraph_file(m->run.g, x->new_path);
		if (!f->exists || f->reachable)
			continue;
		if (!started) {
			started = 1;
			memset(&tv, 0, sizeof(tv));
			tv.kind = RG_VIEW_TREE;
			tv.tree = t;
			if ((r = rg_routes_run_start(&theirs, s, ctx, &tv, hex)) != RG_OK) {
				r = r == 1 ? RG_OK : r; /* no root there: nothing routed it */
				break;
			}
		}
		g = rg_igraph_file(theirs.g, x->new_path);
		if (g->reachable)
			rg_routes_merge_dropped(out, &m->run, f, g, hex);
	}
	if (started)
		rg_routes_run_free(&theirs);
	return r;
}

/* The components one side of a merge adds: tree b against a (a NULL: everything). */
static int routes_merge_side(rg_findings *out, routes_merged *m, routes_state *s, rg_ctx *ctx,
	const rg_changeset *cs, git_tree *a, git_tree *b, const git_oid *parent)
{
	rg_changeset d;
	int r;

	rg_changeset_init(&d);
	r = rg_diff_trees(&d, ctx->repo, a, b);
	if (r == RG_OK)
		r = routes_merge_lost(out, m, s, ctx, cs, &d, b, parent);
	rg_changeset_free(&d);
	return r;
}

/*
 * A merge that drops the route of a component one side added: kept by
 * the merge, reachable in the parent that added it (since the merge base
 * for the first parent; new to the first parent for the others), reached
 * by no route after the merge (a conflict resolution that took the other
 * side's router). The change set holds none of it (what a merge takes
 * from a parent is that parent's), so it is looked for here; the graphs
 * are built only when such a component is found.
 */
static int routes_check_merge(rg_findings *out, routes_state *s, rg_ctx *ctx, const rg_changeset *cs)
{
	git_oid *ids = NULL, first_id, base;
	git_tree *first = NULL;
	routes_merged m;
	size_t n = 0, k;
	int r;

	if (!s->components.n || cs->view.kind == RG_VIEW_NONE)
		return RG_OK;
	memset(&m, 0, sizeof(m));
	if ((r = routes_merge_heads(&ids, &n, &first, &first_id, ctx, cs)) < 0)
		goto out;
	for (k = 0; k < n && r == RG_OK && !m.no_root; k++) {
		char hex[GIT_OID_HEXSZ + 1];
		git_commit *c = NULL;
		git_tree *t = NULL;

		if (git_commit_lookup(&c, ctx->repo, &ids[k]) < 0 || git_commit_tree(&t, c) < 0)
			r = rg_error_from_git(git_oid_tostr(hex, sizeof(hex), &ids[k]));
		else
			r = routes_merge_side(out, &m, s, ctx, cs, first, t, &ids[k]);
		git_tree_free(t);
		git_commit_free(c);
	}
	if (r == RG_OK && n && first && !m.no_root &&
	    git_merge_base(&base, ctx->repo, &first_id, &ids[0]) == 0) {
		git_commit *c = NULL;
		git_tree *t = NULL;

		if (git_commit_lookup(&c, ctx->repo, &base) < 0 || git_commit_tree(&t, c) < 0)
			r = rg_error_from_git("cannot read the merge base");
		else
			r = routes_merge_side(out, &m, s, ctx, cs, t, first, &first_id);
		git_tree_free(t);
		git_commit_free(c);
	}
	git_error_clear();
out:
	if (m.started)
		rg_routes_run_free(&m.run);
	git_tree_free(first);
	free(ids);
	return r;
}

static int routes_check(rg_findings *out, rg_ctx *ctx, const rg_changeset *cs, void *state)
{
	routes_state *s = state;
	const rg_delta **targets = rg_calloc(cs->n + 1, sizeof(*targets));
	routes_removed rm;
	routes_run run;
	size_t nt = 0, i;
	int r = RG_OK, gone;

	rm.v = rg_calloc(cs->n + 1, sizeof(*rm.v));
	rm.n = 0;
	for (i = 0; i < cs->n; i++) {
		const rg_delta *d = &cs->v[i];

		if ((d->status == RG_DELTA_ADDED || d->status == RG_DELTA_RENAMED) &&
		    rg_routes_is_component(s, d->new_path))
			targets[nt++] = d;
		if (rg_delta_removes(d) && d->old_path)
			rm.v[rm.n++] = d;
	}
	if (!nt && !rm.n)
		goto done; /* nothing this change does can break routing: no graph */
	if (cs->view.kind == RG_VIEW_NONE) {
		routes_note_once(out, &s->noted_no_view, "routes: %s: this index format cannot be read "
			"by path; routing not checked", cs->label);
		goto done;
	}
	qsort(rm.v, rm.n, sizeof(*rm.v), rg_routes_removed_cmp);
	gone = rg_routes_roots_removed(out, s, cs, &rm);
	r = rg_routes_run_start(&run, s, ctx, &cs->view, rg_short_id(cs));
	if (r == 1 && gone) {
		r = RG_OK; /* the finding says it: no "yet" note */
	} else if (r == 1) {
		rg_buf roots = RG_BUF_INIT;

		rg_routes_roots_list(&roots, s);
		routes_note_once(out, &s->noted_no_root, "routes: no root (%s) exists yet; routing not "
			"checked", roots.ptr);
		rg_buf_dispose(&roots);
		r = RG_OK;
	} else if (r == RG_OK) {
		r = routes_check_graph(out, &run, cs, &rm, targets, nt);
	}
	rg_routes_run_free(&run);
done:
	if (r == RG_OK)
		r = routes_check_merge(out, s, ctx, cs);
	free(targets);
	free(rm.v);
	return r;
}

/* ---------------------------------------------------------------- a whole tree */

typedef struct {
	const routes_state *s;
	char **v;
	size_t n, alloc;
} routes_walk;

static int routes_walk_cb(const char *root, const git_tree_entry *e, void *payload)
{
	routes_walk *w = payload;
	char *path;

	if (git_tree_entry_type(e) != GIT_OBJECT_BLOB)
		return 0;
	path = rg_printf("%s%s", root, git_tree_entry_name(e));
	if (rg_routes_is_component(w->s, path)) {
		RG_GROW(w->v, w->alloc, w->n + 1);
		w->v[w->n++] = path;
	} else {
		free(path);
	}
	return 0;
}

static int routes_tree(rg_findings *out, routes_state *s, rg_ctx *ctx, git_tree *tree,
	const char *commit_hex)
{
	rg_view view;
	routes_walk w = { s, NULL, 0, 0 };
	rg_ifile **cand = NULL;
	routes_run run;
	size_t i;
	int r;

	memset(&view, 0, sizeof(view));
	view.kind = RG_VIEW_TREE;
	view.tree = tree;
	r = rg_routes_run_start(&run, s, ctx, &view, commit_hex);
	run.tree_mode = 1;
	if (r != RG_OK)
		goto out;
	rg_routes_dangling(out, &run, NULL, NULL);
	if (s->components.n && git_tree_walk(tree, GIT_TREEWALK_PRE, routes_walk_cb, &w) < 0) {
		r = rg_error_from_git("cannot walk the tree");
		goto out;
	}
	cand = rg_calloc(w.n + 1, sizeof(*cand));
	for (i = 0; i < w.n; i++)
		cand[i] = rg_igraph_file(run.g, w.v[i]);
	for (i = 0; i < w.n; i++)
		if (!cand[i]->reachable)
			rg_routes_unreachable(out, &run, cand[i], NULL, cand, w.n);
out:
	r = r == 1 ? RG_ROUTES_NO_ROOT : r;
	for (i = 0; i < w.n; i++)
		free(w.v[i]);
	free(w.v);
	free(cand);
	rg_routes_run_free(&run);
	return r;
}

int rg_routes_check_tree(rg_findings *out, rg_ctx *ctx, git_tree *tree, const char *commit_hex)
{
	routes_state *s = NULL;
	size_t i;
	int r;

	for (i = 0; ctx->rule_state && i < rg_rules_count; i++)
		if (rg_rules[i] == &rg_rule_routes)
			return ctx->rule_state[i] ? routes_tree(out, ctx->rule_state[i], ctx, tree, commit_hex) : RG_OK;
	if (routes_configure((void **)&s, ctx->conf) < 0)
		return RG_ECONFIG;
	if (!s)
		return RG_OK;
	r = routes_tree(out, s, ctx, tree, commit_hex);
	routes_free(s);
	return r;
}

const rg_rule rg_rule_routes = {
	.id = "routes",
	.summary = "components a change adds must be reachable from the router; no import of a removed file",
	.sections = routes_sections,
	.modes = RG_MODE_ALL & ~RG_MODE_COMMIT_MSG,
	.configure = routes_configure,
	.check = routes_check,
	.free_state = routes_free,
};

