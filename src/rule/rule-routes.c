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
 *                the route that goes elsewhere when one is recognisable).
 * The graph is only built when a change set can have such a finding: it
 * adds or renames a component file, or deletes or renames any file.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "repoguard/buf.h"
#include "repoguard/imports.h"
#include "repoguard/routes.h"
#include "repoguard/rule.h"

#define ROUTES_CHAIN_MAX 4   /* importers named in an unreachable message */

static const char *const routes_keys[] = { "roots", "components", "aliases", "exclude", NULL };
static const rg_section_spec routes_section = { "routes", RG_SEC_PLAIN, routes_keys };
static const rg_section_spec *const routes_sections[] = { &routes_section, NULL };

static const char routes_default_exclude[] =
	"*.test.* *.spec.* *.stories.* *.story.* __tests__/ __mocks__/ *.d.ts";

typedef struct {
	char **roots;
	size_t nroots;
	const char *roots_file;   /* where roots= is set */
	int roots_line;
	rg_patlist components;
	rg_patlist exclude;
	rg_import_alias *aliases;
	size_t naliases;
	int severity;
	rg_import_cache *cache;   /* created on first use; lives for the run */
	int noted_no_root, noted_no_view;
} routes_state;

/* The graph of one state, and what a check needs alongside it. */
typedef struct {
	routes_state *s;
	rg_ctx *ctx;
	rg_igraph *g;
	rg_ifile **roots;
	size_t nroots;            /* roots that exist in the state */
	const char *commit;       /* finding label, or NULL (the index) */
	int tree_mode;            /* audit of a whole tree (no change set) */
	const rg_delta **dangled; /* removals some reachable file still imports ... */
	const char **dangled_by;  /* ... and the first file that does */
	size_t ndangled, dangled_alloc, dangled_by_alloc;
	rg_buf tmp;
} routes_run;

extern const rg_rule rg_rule_routes;

static void routes_free(void *state)
{
	routes_state *s = state;
	size_t i;

	rg_strv_free(s->roots);
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

static int routes_configure(void **state, rg_conf *conf)
{
	routes_state *s = rg_calloc(1, sizeof(*s));
	int nerr = conf->nerrors;

	s->severity = rg_conf_severity(conf, "routes", RG_SEV_ERROR);
	routes_conf_roots(s, conf);
	routes_conf_aliases(s, conf);
	rg_conf_patterns(&s->components, conf, "routes", "components");
	if (rg_conf_get(conf, "routes", "exclude"))
		rg_conf_patterns(&s->exclude, conf, "routes", "exclude");
	else
		rg_patlist_add_words(&s->exclude, routes_default_exclude, "rules.ini (built-in)", 0);
	if (!s->nroots && conf->nerrors == nerr && s->severity != RG_SEV_OFF &&
	    (s->components.n || s->naliases))
		rg_conf_error(conf, rg_conf_get(conf, "routes", s->components.n ? "components" : "aliases"),
			"[routes] needs roots=: the router file(s) routing starts from");
	if (s->severity == RG_SEV_OFF || !s->nroots || conf->nerrors != nerr) {
		routes_free(s);
		return RG_OK;
	}
	*state = s;
	return RG_OK;
}

/* A source file under components= and not excluded. */
static int routes_is_component(const routes_state *s, const char *path)
{
	return path && rg_import_is_source(path) &&
		rg_patlist_match(&s->components, path, 0, NULL, NULL) &&
		!rg_patlist_match(&s->exclude, path, 0, NULL, NULL);
}

static void routes_roots_list(rg_buf *b, const routes_state *s)
{
	size_t i;

	for (i = 0; i < s->nroots; i++)
		rg_buf_printf(b, "%s%s", i ? ", " : "", s->roots[i]);
}

/* Build the graph of view and mark what the roots reach. 0: go on; 1: no root. */
static int routes_run_start(routes_run *run, routes_state *s, rg_ctx *ctx, const rg_view *view,
	const char *commit)
{
	size_t i;
	int r;

	memset(run, 0, sizeof(*run));
	run->s = s;
	run->ctx = ctx;
	run->commit = commit;
	if (!s->cache)
		s->cache = rg_import_cache_new(s->aliases, s->naliases);
	if ((r = rg_igraph_new(&run->g, s->cache, ctx, view)) < 0)
		return r;
	run->roots = rg_calloc(s->nroots + 1, sizeof(*run->roots));
	for (i = 0; i < s->nroots; i++) {
		rg_ifile *f = rg_igraph_file(run->g, s->roots[i]);

		if (f->exists)
			run->roots[run->nroots++] = f;
	}
	if (!run->nroots)
		return 1;
	return rg_igraph_reach(run->g, run->roots, run->nroots);
}

static void routes_run_free(routes_run *run)
{
	rg_igraph_free(run->g);
	free(run->roots);
	free(run->dangled);
	free(run->dangled_by);
	rg_buf_dispose(&run->tmp);
}

/* ---------------------------------------------------------------- dangling */

/* What the change removes: old paths of deletions and renames, sorted. */
typedef struct {
	const rg_delta **v;
	size_t n;
} routes_removed;

static int routes_removed_cmp(const void *a, const void *b)
{
	const rg_delta *x = *(const rg_delta *const *)a, *y = *(const rg_delta *const *)b;

	return strcmp(x->old_path, y->old_path);
}

static const rg_delta *routes_removed_find(const routes_removed *rm, const char *path)
{
	size_t lo = 0, hi = rm->n;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = strcmp(rm->v[mid]->old_path, path);

		if (!c)
			return rm->v[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* The specifier that names target from importer, in the style of spec. */
static void routes_new_spec(rg_buf *out, const routes_run *run, const char *importer,
	const char *spec, const char *target)
{
	size_t na, i, common = 0, k;
	const rg_import_alias *a = rg_igraph_aliases(run->g, &na);
	const char *t = target, *dot;
	size_t tlen;

	rg_buf_clear(out);
	/* an aliased import stays aliased */
	for (i = 0; i < na && spec[0] != '.'; i++) {
		size_t fl = strlen(a[i].from), tl = strlen(a[i].to);

		if (!strncmp(spec, a[i].from, fl) && !strncmp(target, a[i].to, tl)) {
			rg_buf_printf(out, "%s%s", a[i].from, target + tl);
			goto strip;
		}
	}
	for (i = 0; importer[i] && importer[i] == target[i]; i++)
		if (importer[i] == '/')
			common = i + 1;
	for (k = common; importer[k]; k++)
		if (importer[k] == '/')
			rg_buf_puts(out, "../");
	if (!out->len)
		rg_buf_puts(out, "./");
	rg_buf_puts(out, target + common);
strip:
	/* drop the extension when the original import had none */
	t = strrchr(spec, '/');
	t = t ? t + 1 : spec;
	dot = strrchr(out->ptr, '.');
	tlen = out->len;
	if (!strchr(t, '.') && dot && rg_import_is_source(out->ptr) && dot > strrchr(out->ptr, '/'))
		rg_buf_truncate(out, (size_t)(dot - out->ptr));
	if (out->len < tlen && rg_str_endswith(out->ptr, "/index"))
		rg_buf_truncate(out, out->len - strlen("/index"));
}

static void routes_dangling_one(rg_findings *out, routes_run *run, const rg_changeset *cs,
	const rg_ifile *f, const rg_import *im, const char *gone, const rg_delta *d)
{
	rg_buf msg = RG_BUF_INIT, detail = RG_BUF_INIT, fix = RG_BUF_INIT;
	rg_finding *x;

	rg_buf_printf(&msg, "imports '%s' (%s), which ", im->spec, gone);
	if (!d)
		rg_buf_puts(&msg, "does not exist in this tree");
	else if (d->status == RG_DELTA_RENAMED)
		rg_buf_printf(&msg, "this commit renames to %s", d->new_path);
	else
		rg_buf_puts(&msg, "this commit deletes");
	if (f->via)
		rg_buf_printf(&detail, "This file is reached from the router (through %s), so the app's "
			"build breaks on this import.", f->via->path);
	else
		rg_buf_puts(&detail, "This file is a routing root ([routes] roots), so the app's build "
			"breaks on this import.");
	if (d) {
		RG_GROW(run->dangled, run->dangled_alloc, run->ndangled + 1);
		RG_GROW(run->dangled_by, run->dangled_by_alloc, run->ndangled + 1);
		run->dangled[run->ndangled] = d;
		run->dangled_by[run->ndangled++] = f->path;
	}
	if (d && d->status == RG_DELTA_RENAMED) {
		routes_new_spec(&run->tmp, run, f->path, im->spec, d->new_path);
		rg_buf_printf(&fix, "update the import in %s line %d to '%s'", f->path, im->line, run->tmp.ptr);
	} else {
		rg_buf_printf(&fix, "remove or replace the import in %s line %d", f->path, im->line);
		if (d && !cs->has_commit) {
			rg_buf_puts(&fix, "\nor keep the file: git restore --staged --worktree --source=HEAD -- ");
			rg_buf_shquote(&fix, gone);
		}
	}
	x = rg_findings_add(out, "routes", run->s->severity, run->commit, f->path, im->line, msg.ptr);
	rg_finding_set_detail(x, detail.ptr);
	rg_finding_set_fix(x, fix.ptr);
	rg_buf_dispose(&msg);
	rg_buf_dispose(&detail);
	rg_buf_dispose(&fix);
}

/* Which removed path (or, with rm NULL, which missing path) an unresolved import meant. */
static const char *routes_gone(routes_run *run, const rg_ifile *f, const rg_import *im,
	const routes_removed *rm, const rg_delta **d)
{
	size_t na, i;
	const rg_import_alias *a = rg_igraph_aliases(run->g, &na);
	rg_buf base = RG_BUF_INIT;
	const char *gone = NULL;

	*d = NULL;
	if (rg_import_base(&base, f->path, im->spec, a, na) < 0)
		goto out;
	for (i = 0; rg_import_candidate(&run->tmp, base.ptr, i) == 0 && rm; i++) {
		if (run->tmp.len && (*d = routes_removed_find(rm, run->tmp.ptr)) != NULL) {
			gone = (*d)->old_path;
			goto out;
		}
	}
	if (!rm) {
		/* a whole tree: name what was looked for, the path as written */
		rg_buf_clear(&run->tmp);
		rg_buf_puts(&run->tmp, base.ptr);
		gone = run->tmp.ptr;
	}
out:
	rg_buf_dispose(&base);
	return gone;
}

static void routes_dangling(rg_findings *out, routes_run *run, const rg_changeset *cs,
	const routes_removed *rm)
{
	size_t i, j;

	for (i = 0; i < rg_igraph_count(run->g); i++) {
		const rg_ifile *f = rg_igraph_at(run->g, i);

		if (!f->reachable || !f->imports)
			continue;
		for (j = 0; j < f->imports->n; j++) {
			const rg_import *im = &f->imports->v[j];
			const rg_delta *d;
			const char *gone;
			char *copy;

			if (f->deps[j] || !(gone = routes_gone(run, f, im, rm, &d)))
				continue;
			copy = rg_strdup(gone);
			routes_dangling_one(out, run, cs, f, im, copy, d);
			free(copy);
		}
	}
}

/* ------------------------------------------------------------- unreachable */

/*
 * The first candidate (other than x and those seen) that imports x: at
 * run time, or with type_only set, with `import type` only.
 */
static rg_ifile *routes_importer(routes_run *run, rg_ifile *const *cand, size_t ncand,
	const rg_ifile *x, rg_ifile *const *seen, size_t nseen, int type_only)
{
	size_t i, j, k;

	for (i = 0; i < ncand; i++) {
		rg_ifile *c = cand[i];
		int skip = c == x;

		for (k = 0; k < nseen && !skip; k++)
			skip = seen[k] == c;
		if (skip || rg_igraph_load(run->g, c) < 0 || !c->imports)
			continue;
		for (j = 0; j < c->imports->n; j++)
			if (c->deps[j] == x && c->imports->v[j].type_only == type_only)
				return c;
	}
	return NULL;
}

/* Does the route path's last segment name a directory or the file of path? */
static int routes_route_names(const char *route, const char *path)
{
	const char *seg, *end = route + strlen(route), *p = path;
	size_t n;

	while (end > route && end[-1] == '/')
		end--;
	for (seg = end; seg > route && seg[-1] != '/'; seg--)
		;
	n = (size_t)(end - seg);
	if (!n || *seg == ':' || *seg == '*')
		return 0;
	while (*p) {
		size_t cl = strcspn(p, "/."), full = strcspn(p, "/");

		if (cl == n && !strncasecmp(p, seg, n))
			return 1;
		p += full;
		if (*p == '/')
			p++;
	}
	return 0;
}

/* "; src/product/App.tsx routes /pulse to EmotionalLiveFeed" when a root routes there. */
static void routes_hint(rg_buf *msg, routes_run *run, const rg_ifile *end, const char **route)
{
	size_t i, j;

	*route = NULL;
	for (i = 0; i < run->nroots; i++) {
		const rg_route_list *rl = rg_igraph_routes(run->g, run->roots[i]);

		for (j = 0; rl && j < rl->n; j++) {
			if (!rl->v[j].target || !routes_route_names(rl->v[j].path, end->path))
				continue;
			rg_buf_printf(msg, "; %s routes %s to %s", run->roots[i]->path, rl->v[j].path,
				rl->v[j].target);
			*route = rl->v[j].path;
			return;
		}
	}
}

static void routes_unreachable_one(rg_findings *out, routes_run *run, rg_ifile *f,
	const rg_delta *d, rg_ifile *const *cand, size_t ncand)
{
	rg_ifile *seen[ROUTES_CHAIN_MAX + 1], **chain = seen + 1, *typed;
	size_t n = 0, i;
	rg_buf msg = RG_BUF_INIT, detail = RG_BUF_INIT, fix = RG_BUF_INIT;
	const rg_ifile *end = f;
	const char *route = NULL;
	rg_finding *x;

	seen[0] = f;
	while (n < ROUTES_CHAIN_MAX && (chain[n] = routes_importer(run, cand, ncand, end, seen, n + 1, 0)))
		end = chain[n++];
	if (d && d->status == RG_DELTA_RENAMED)
		rg_buf_printf(&msg, "renamed from %s, but no route reaches it: ", d->old_path);
	else
		rg_buf_puts(&msg, d ? "added, but no route reaches it: " : "no route reaches it: ");
	for (i = 0; i < n; i++)
		rg_buf_printf(&msg, "%simported by %s", i ? ", " : "it is ", chain[i]->path);
	for (i = 0; !n && d && i < run->ndangled; i++)
		if (run->dangled[i] == d)
			break;
	if (n)
		rg_buf_puts(&msg, ", which no route reaches");
	else if (d && i < run->ndangled)
		rg_buf_printf(&msg, "%s still imports the old path", run->dangled_by[i]);
	else if ((typed = routes_importer(run, run->roots, run->nroots, f, NULL, 0, 1)) != NULL ||
		 (typed = routes_importer(run, cand, ncand, f, NULL, 0, 1)) != NULL)
		rg_buf_printf(&msg, "%s imports it with import type only, which is erased at compile time",
			typed->path);
	else
		rg_buf_puts(&msg, run->tree_mode ? "no component imports it" :
			"no file in this change imports it");
	routes_hint(&msg, run, end, &route);
	rg_buf_puts(&detail, "No file reachable from ");
	routes_roots_list(&detail, run->s);
	rg_buf_printf(&detail, " ([routes] roots, %s:%d) imports it at run time, so the app never loads it and "
		"this change has no effect where it is meant to.", run->s->roots_file, run->s->roots_line);
	if (!n && d && i < run->ndangled)
		rg_buf_printf(&fix, "update the import of %s in %s to the new path", d->old_path,
			run->dangled_by[i]);
	else if (route)
		rg_buf_printf(&fix, "route %s to %s (instead of what it renders now) in %s", route,
			end->path, run->roots[0]->path);
	else
		rg_buf_printf(&fix, "import %s from %s or a file it reaches", end->path, run->roots[0]->path);
	rg_buf_puts(&fix, "\nif the file is meant to stand alone, add it to exclude= in [routes]");
	x = rg_findings_add(out, "routes", run->s->severity, run->commit, f->path, 0, msg.ptr);
	rg_finding_set_detail(x, detail.ptr);
	rg_finding_set_fix(x, fix.ptr);
	rg_buf_dispose(&msg);
	rg_buf_dispose(&detail);
	rg_buf_dispose(&fix);
}

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
		routes_dangling(out, run, cs, rm);
	for (i = 0; i < ntargets; i++) {
		rg_ifile *f = rg_igraph_file(run->g, targets[i]->new_path);

		if (f->reachable || !f->exists)
			continue;
		if (!cand)
			cand = routes_changed_sources(run, cs, &ncand);
		routes_unreachable_one(out, run, f, targets[i], cand, ncand);
	}
	free(cand);
	return RG_OK;
}

static int routes_check(rg_findings *out, rg_ctx *ctx, const rg_changeset *cs, void *state)
{
	routes_state *s = state;
	const rg_delta **targets = rg_calloc(cs->n + 1, sizeof(*targets));
	routes_removed rm;
	routes_run run;
	size_t nt = 0, i;
	int r = RG_OK;

	rm.v = rg_calloc(cs->n + 1, sizeof(*rm.v));
	rm.n = 0;
	for (i = 0; i < cs->n; i++) {
		const rg_delta *d = &cs->v[i];

		if ((d->status == RG_DELTA_ADDED || d->status == RG_DELTA_RENAMED) &&
		    routes_is_component(s, d->new_path))
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
	qsort(rm.v, rm.n, sizeof(*rm.v), routes_removed_cmp);
	r = routes_run_start(&run, s, ctx, &cs->view, rg_short_id(cs));
	if (r == 1) {
		rg_buf roots = RG_BUF_INIT;

		routes_roots_list(&roots, s);
		routes_note_once(out, &s->noted_no_root, "routes: no root (%s) exists yet; routing not "
			"checked", roots.ptr);
		rg_buf_dispose(&roots);
		r = RG_OK;
	} else if (r == RG_OK) {
		r = routes_check_graph(out, &run, cs, &rm, targets, nt);
	}
	routes_run_free(&run);
done:
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
	if (routes_is_component(w->s, path)) {
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
	rg_view view = { RG_VIEW_TREE, NULL, tree };
	routes_walk w = { s, NULL, 0, 0 };
	rg_ifile **cand = NULL;
	routes_run run;
	size_t i;
	int r = routes_run_start(&run, s, ctx, &view, commit_hex);

	run.tree_mode = 1;
	if (r != RG_OK)
		goto out;
	routes_dangling(out, &run, NULL, NULL);
	if (s->components.n && git_tree_walk(tree, GIT_TREEWALK_PRE, routes_walk_cb, &w) < 0) {
		r = rg_error_from_git("cannot walk the tree");
		goto out;
	}
	cand = rg_calloc(w.n + 1, sizeof(*cand));
	for (i = 0; i < w.n; i++)
		cand[i] = rg_igraph_file(run.g, w.v[i]);
	for (i = 0; i < w.n; i++)
		if (!cand[i]->reachable)
			routes_unreachable_one(out, &run, cand[i], NULL, cand, w.n);
out:
	r = r == 1 ? RG_OK : r;
	for (i = 0; i < w.n; i++)
		free(w.v[i]);
	free(w.v);
	free(cand);
	routes_run_free(&run);
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
	"routes", "components a change adds must be reachable from the router; no import of a removed file",
	routes_sections, RG_MODE_ALL & ~RG_MODE_COMMIT_MSG,
	routes_configure, routes_check, NULL, routes_free
};
