/*
 * routes-find.c: the routing check's findings (see rule-routes.c): dangling
 * imports of what a change removes, and component files no root reaches,
 * explained with who imports them and the route that goes elsewhere.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "repoguard/routes-int.h"

#define ROUTES_CHAIN_MAX 4   /* importers named in an unreachable message */

int rg_routes_is_component(const routes_state *s, const char *path)
{
	return path && rg_import_is_source(path) &&
		rg_patlist_match(&s->components, path, 0, NULL, NULL) &&
		!rg_patlist_match(&s->exclude, path, 0, NULL, NULL);
}

void rg_routes_roots_list(rg_buf *b, const routes_state *s)
{
	size_t i;

	for (i = 0; i < s->nroots; i++) {
		if (i)
			rg_buf_puts(b, ", ");
		rg_buf_cquote(b, s->roots[i]); /* as paths in finding lines */
	}
}

/* Build the graph of view and mark what the roots reach. 0: go on; 1: no root. */
int rg_routes_run_start(routes_run *run, routes_state *s, rg_ctx *ctx, const rg_view *view,
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

void rg_routes_run_free(routes_run *run)
{
	rg_igraph_free(run->g);
	free(run->roots);
	free(run->dangled);
	free(run->dangled_by);
	rg_buf_dispose(&run->tmp);
}

/* ---------------------------------------------------------------- dangling */

/* What the change removes: old paths of deletions and renames, sorted. */

int rg_routes_removed_cmp(const void *a, const void *b)
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

/* Does target lie under the alias's path (a whole path component, as "src" names "src/x")? */
static int routes_alias_holds(const rg_import_alias *a, const char *target)
{
	size_t tl = strlen(a->to);

	return tl && !strncmp(target, a->to, tl) && (a->to[tl - 1] == '/' || target[tl] == '/');
}

/*
 * TypeScript's ESM style: an import written './x.js' named x.ts (or x.tsx),
 * so the new specifier keeps the spec's .js / .jsx rather than naming the
 * .ts file, which TypeScript refuses to import.
 */
static void routes_keep_js_ext(rg_buf *out, const char *spec_last)
{
	const char *ext = strrchr(spec_last, '.');
	const char *dot = strrchr(out->ptr, '.');
	int jsx;

	if (!ext || !dot || strchr(dot, '/') || (strcmp(ext, ".js") && strcmp(ext, ".jsx")) ||
	    (strcmp(dot, ".ts") && strcmp(dot, ".tsx")))
		return;
	jsx = !strcmp(ext, ".jsx") && !strcmp(dot, ".tsx");
	rg_buf_truncate(out, (size_t)(dot - out->ptr));
	rg_buf_puts(out, jsx ? ".jsx" : ".js");
}

/*
 * The specifier that names target from importer, in the style of spec, with
 * the "?query" or "#hash" spec has (Vite's '?react', '?raw' choose what is
 * imported).
 */
static void routes_new_spec(rg_buf *out, const routes_run *run, const char *importer,
	const char *spec, const char *target)
{
	size_t na, i, common = 0, k;
	const rg_import_alias *a = rg_igraph_aliases(run->g, &na);
	size_t q = (spec[0] == '#') + strcspn(spec + (spec[0] == '#'), "?#");
	char *bare = rg_strndup(spec, q);
	const char *t = target, *dot;
	size_t tlen;

	rg_buf_clear(out);
	/* an aliased import stays aliased */
	for (i = 0; i < na && spec[0] != '.'; i++) {
		size_t fl = strlen(a[i].from), tl = strlen(a[i].to);

		if (!strncmp(spec, a[i].from, fl) && routes_alias_holds(&a[i], target)) {
			/* base_url (the empty prefix) names src/x as x, not /x */
			rg_buf_printf(out, "%s%s", a[i].from, target + tl + (!fl && target[tl] == '/'));
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
	t = strrchr(bare, '/');
	t = t ? t + 1 : bare;
	dot = strrchr(out->ptr, '.');
	tlen = out->len;
	if (!strchr(t, '.') && dot && rg_import_is_source(out->ptr) && dot > strrchr(out->ptr, '/'))
		rg_buf_truncate(out, (size_t)(dot - out->ptr));
	if (out->len < tlen && rg_str_endswith(out->ptr, "/index"))
		rg_buf_truncate(out, out->len - strlen("/index"));
	routes_keep_js_ext(out, t);
	rg_buf_puts(out, spec + q);
	free(bare);
}

/* pre, then path C-quoted as git quotes it (a newline in a path must not break a fix line). */
static void routes_put_path(rg_buf *b, const char *pre, const char *path)
{
	rg_buf_puts(b, pre);
	rg_buf_cquote(b, path);
}

static void routes_dangling_one(rg_findings *out, routes_run *run, const rg_changeset *cs,
	const rg_ifile *f, const rg_import *im, const char *gone, const rg_delta *d)
{
	rg_buf msg = RG_BUF_INIT, detail = RG_BUF_INIT, fix = RG_BUF_INIT;
	rg_finding *x;

	rg_buf_printf(&msg, "imports '%s' (", im->spec);
	rg_buf_cquote(&msg, gone);
	rg_buf_puts(&msg, "), which ");
	if (!d)
		rg_buf_puts(&msg, "does not exist in this tree");
	else if (d->status == RG_DELTA_RENAMED)
		routes_put_path(&msg, "this commit renames to ", d->new_path);
	else
		rg_buf_puts(&msg, "this commit deletes");
	if (f->via) {
		routes_put_path(&detail, "This file is reached from the router (through ", f->via->path);
		rg_buf_puts(&detail, "), so the app's build breaks on this import.");
	} else
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
		routes_put_path(&fix, "update the import in ", f->path);
		rg_buf_printf(&fix, " line %d to '%s'", im->line, run->tmp.ptr);
	} else {
		routes_put_path(&fix, "remove or replace the import in ", f->path);
		rg_buf_printf(&fix, " line %d", im->line);
		if (d && !cs->has_commit) {
			rg_buf_printf(&fix, "\nor keep the file: git restore --staged --worktree --source=%s -- ",
				cs->old_rev[0] ? cs->old_rev : "HEAD");
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
	size_t na, i, k;
	const rg_import_alias *a = rg_igraph_aliases(run->g, &na);
	rg_buf base = RG_BUF_INIT;
	const char *gone = NULL;
	int r;

	*d = NULL;
	/* each path an alias gives, in turn, as the import is resolved */
	for (k = 0; rm && (r = rg_import_base_nth(&base, f->path, im->spec, a, na, k)) != 1; k++) {
		if (r < 0)
			continue;
		for (i = 0; rg_import_candidate(&run->tmp, base.ptr, i) == 0; i++) {
			if (run->tmp.len && (*d = routes_removed_find(rm, run->tmp.ptr)) != NULL) {
				gone = (*d)->old_path;
				goto out;
			}
		}
	}
	/* nothing under base_url: a package, not a missing file */
	if (!rm && rg_import_base(&base, f->path, im->spec, a, na) != RG_OK)
		goto out;
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

void rg_routes_dangling(rg_findings *out, routes_run *run, const rg_changeset *cs,
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

/* ----------------------------------------------------------- roots removed */

static int routes_is_root(const routes_state *s, const char *path)
{
	size_t i;

	for (i = 0; path && i < s->nroots; i++)
		if (!strcmp(s->roots[i], path))
			return 1;
	return 0;
}

static void routes_root_removed_one(rg_findings *out, const routes_state *s, const rg_changeset *cs,
	const rg_delta *d)
{
	rg_buf msg = RG_BUF_INIT, fix = RG_BUF_INIT;
	rg_finding *x;
	size_t i;

	if (d->status == RG_DELTA_RENAMED) {
		rg_buf_puts(&msg, "the routing root is renamed to ");
		rg_buf_cquote(&msg, d->new_path);
		rg_buf_puts(&msg, ", which [routes] roots does not name");
		rg_buf_printf(&fix, "name the new router in roots= of [routes] (%s:%d): roots =",
			s->roots_file, s->roots_line);
		for (i = 0; i < s->nroots; i++)
			rg_buf_printf(&fix, " %s", strcmp(s->roots[i], d->old_path) ? s->roots[i] : d->new_path);
	} else {
		rg_buf_puts(&msg, "the routing root is deleted");
		rg_buf_printf(&fix, "name the router that replaces it in roots= of [routes] (%s:%d), "
			"or remove it there", s->roots_file, s->roots_line);
		if (!cs->has_commit) {
			rg_buf_printf(&fix, "\nor keep the file: git restore --staged --worktree --source=%s -- ",
				cs->old_rev[0] ? cs->old_rev : "HEAD");
			rg_buf_shquote(&fix, d->old_path);
		}
	}
	x = rg_findings_add(out, "routes", s->severity, rg_short_id(cs), d->old_path, 0, msg.ptr);
	rg_finding_set_detail(x, "Routing is checked from the files roots= names: with this one gone, "
		"the routes it declared are not checked any more, and a component no route reaches passes "
		"unnoticed.");
	rg_finding_set_fix(x, fix.ptr);
	rg_buf_dispose(&msg);
	rg_buf_dispose(&fix);
}

/* Does the change set touch the rules file? Then roots= as loaded may not be what it names. */
static int routes_changes_rules(const routes_state *s, const rg_changeset *cs)
{
	size_t i;

	for (i = 0; s->self_path && i < cs->n; i++)
		if ((cs->v[i].new_path && !strcmp(cs->v[i].new_path, s->self_path)) ||
		    (cs->v[i].old_path && !strcmp(cs->v[i].old_path, s->self_path)))
			return 1;
	return 0;
}

int rg_routes_roots_removed(rg_findings *out, const routes_state *s, const rg_changeset *cs,
	const routes_removed *rm)
{
	size_t i;
	int n = 0;

	/*
	 * ci and pre-receive load the rules from the base: a commit that renames
	 * the router and updates roots= with it would be taken for one that does not
	 */
	if (routes_changes_rules(s, cs))
		return 0;
	for (i = 0; i < rm->n; i++) {
		const rg_delta *d = rm->v[i];

		if (!routes_is_root(s, d->old_path) ||
		    (d->status == RG_DELTA_RENAMED && routes_is_root(s, d->new_path)))
			continue;
		routes_root_removed_one(out, s, cs, d);
		n++;
	}
	return n;
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

/* The fix that routes path: import it from the first root or a file it reaches. */
static void routes_fix_import(rg_buf *fix, const routes_run *run, const char *path)
{
	routes_put_path(fix, "import ", path);
	routes_put_path(fix, " from ", run->roots[0]->path);
	rg_buf_puts(fix, " or a file it reaches");
}

/* Add the finding on f, with the way out every routes finding offers; the buffers are disposed. */
static void routes_add(rg_findings *out, const routes_run *run, const rg_ifile *f,
	rg_buf *msg, rg_buf *detail, rg_buf *fix)
{
	rg_finding *x;

	rg_buf_puts(fix, "\nif the file is meant to stand alone, add it to exclude= in [routes]");
	x = rg_findings_add(out, "routes", run->s->severity, run->commit, f->path, 0, msg->ptr);
	rg_finding_set_detail(x, detail->ptr);
	rg_finding_set_fix(x, fix->ptr);
	rg_buf_dispose(msg);
	rg_buf_dispose(detail);
	rg_buf_dispose(fix);
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
			routes_put_path(msg, "; ", run->roots[i]->path);
			routes_put_path(msg, " routes ", rl->v[j].path);
			rg_buf_printf(msg, " to %s", rl->v[j].target);
			*route = rl->v[j].path;
			return;
		}
	}
}

void rg_routes_unreachable(rg_findings *out, routes_run *run, rg_ifile *f,
	const rg_delta *d, rg_ifile *const *cand, size_t ncand)
{
	rg_ifile *seen[ROUTES_CHAIN_MAX + 1], **chain = seen + 1, *typed;
	size_t n = 0, i;
	rg_buf msg = RG_BUF_INIT, detail = RG_BUF_INIT, fix = RG_BUF_INIT;
	const rg_ifile *end = f;
	const char *route = NULL;

	seen[0] = f;
	while (n < ROUTES_CHAIN_MAX && (chain[n] = routes_importer(run, cand, ncand, end, seen, n + 1, 0)))
		end = chain[n++];
	if (d && d->status == RG_DELTA_RENAMED) {
		routes_put_path(&msg, "renamed from ", d->old_path);
		rg_buf_puts(&msg, ", but no route reaches it: ");
	} else {
		rg_buf_puts(&msg, d ? "added, but no route reaches it: " : "no route reaches it: ");
	}
	for (i = 0; i < n; i++)
		routes_put_path(&msg, i ? ", imported by " : "it is imported by ", chain[i]->path);
	for (i = 0; !n && d && i < run->ndangled; i++)
		if (run->dangled[i] == d)
			break;
	if (n) {
		rg_buf_puts(&msg, ", which no route reaches");
	} else if (d && i < run->ndangled) {
		routes_put_path(&msg, "", run->dangled_by[i]);
		rg_buf_puts(&msg, " still imports the old path");
	} else if ((typed = routes_importer(run, run->roots, run->nroots, f, NULL, 0, 1)) != NULL ||
		   (typed = routes_importer(run, cand, ncand, f, NULL, 0, 1)) != NULL) {
		routes_put_path(&msg, "", typed->path);
		rg_buf_puts(&msg, " imports it with import type only, which is erased at compile time");
	} else {
		/*
		 * Only what the parser reads as an import that resolves here counts:
		 * say what was looked for, not that the files hold no import of it
		 */
		rg_buf_puts(&msg, run->tree_mode ? "no component imports it" :
			"no import of it is found in the source files this change adds or modifies");
	}
	routes_hint(&msg, run, end, &route);
	rg_buf_puts(&detail, "No file reachable from ");
	rg_routes_roots_list(&detail, run->s);
	rg_buf_printf(&detail, " ([routes] roots, %s:%d) imports it at run time, so the app never loads it%s",
		run->s->roots_file, run->s->roots_line, run->tree_mode ? "." :
		" and this change has no effect where it is meant to.");
	if (!n && d && i < run->ndangled) {
		routes_put_path(&fix, "update the import of ", d->old_path);
		routes_put_path(&fix, " in ", run->dangled_by[i]);
		rg_buf_puts(&fix, " to the new path");
	} else if (route) {
		routes_put_path(&fix, "route ", route);
		routes_put_path(&fix, " to ", end->path);
		routes_put_path(&fix, " (instead of what it renders now) in ", run->roots[0]->path);
	} else {
		routes_fix_import(&fix, run, end->path);
	}
	routes_add(out, run, f, &msg, &detail, &fix);
}

void rg_routes_merge_dropped(rg_findings *out, routes_run *run, const rg_ifile *f,
	const rg_ifile *theirs, const char *parent_hex)
{
	rg_buf msg = RG_BUF_INIT, detail = RG_BUF_INIT, fix = RG_BUF_INIT;
	const rg_ifile *via = theirs->via;

	rg_buf_printf(&msg, "routed in %.12s, a parent of this merge, but no route reaches it "
		"after the merge", parent_hex);
	if (via) {
		routes_put_path(&msg, ": ", via->path);
		rg_buf_puts(&msg, " imports it there, not here");
	}
	rg_buf_puts(&detail, "No file reachable from ");
	rg_routes_roots_list(&detail, run->s);
	rg_buf_printf(&detail, " ([routes] roots, %s:%d) imports it at run time after this merge: "
		"its resolution dropped the import that routed it, so the app never loads it.",
		run->s->roots_file, run->s->roots_line);
	if (via) {
		routes_put_path(&fix, "restore the import of ", f->path);
		routes_put_path(&fix, " in ", via->path);
		rg_buf_printf(&fix, " (as %.12s has it: git show %.12s:", parent_hex, parent_hex);
		rg_buf_cquote(&fix, via->path);
		rg_buf_puts(&fix, ")");
	} else {
		routes_fix_import(&fix, run, f->path);
	}
	routes_add(out, run, f, &msg, &detail, &fix);
}
