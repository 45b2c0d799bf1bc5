/*
 * routes-int.h: internal to the routes rule. What rule-routes.c
 * (configuration, change sets, whole trees) and routes-find.c (the
 * findings) share; callers outside the rule use routes.h.
 */
#ifndef REPOGUARD_ROUTES_INT_H
#define REPOGUARD_ROUTES_INT_H

#include "repoguard/buf.h"
#include "repoguard/imports.h"
#include "repoguard/rule.h"

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
	char *self_path;          /* the repository's rules file (rg_conf.self_path), or NULL */
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

/* What a change removes: old paths of deletions and renames, sorted. */
typedef struct {
	const rg_delta **v;
	size_t n;
} routes_removed;

/* A source file under components= and not excluded. */
int rg_routes_is_component(const routes_state *s, const char *path);
/* "a, b" */
void rg_routes_roots_list(rg_buf *b, const routes_state *s);
/* Build the graph of view and mark what the roots reach. 0: go on; 1: no root exists. */
int rg_routes_run_start(routes_run *run, routes_state *s, rg_ctx *ctx, const rg_view *view,
	const char *commit);
void rg_routes_run_free(routes_run *run);
/* qsort order of routes_removed (by old path). */
int rg_routes_removed_cmp(const void *a, const void *b);
/* Reachable files importing what rm removes (rm NULL: a whole tree, anything missing). */
void rg_routes_dangling(rg_findings *out, routes_run *run, const rg_changeset *cs,
	const routes_removed *rm);
/*
 * Roots the change deletes or renames away (to a path roots= does not name):
 * findings; their count. None when the change also edits the rules file.
 */
int rg_routes_roots_removed(rg_findings *out, const routes_state *s, const rg_changeset *cs,
	const routes_removed *rm);
/* f (added or renamed by d, or NULL for a whole tree) is not reachable: report it. */
void rg_routes_unreachable(rg_findings *out, routes_run *run, rg_ifile *f,
	const rg_delta *d, rg_ifile *const *cand, size_t ncand);
/*
 * f, a component a merge brings from its parent parent_hex, where theirs (the
 * same path in that parent's graph) is reachable, is not reachable after
 * the merge: report it.
 */
void rg_routes_merge_dropped(rg_findings *out, routes_run *run, const rg_ifile *f,
	const rg_ifile *theirs, const char *parent_hex);

#endif
