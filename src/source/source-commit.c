/*
 * source-commit.c: commits against their first parent, one by one or as a
 * range; a merge keeps only what none of its parents has (rg_changeset_drop_merged).
 */
#include <stdlib.h>
#include <string.h>

#include "repoguard/common.h"
#include "repoguard/source.h"
#include "walk.h"

static char *commit_subject(const git_commit *c)
{
	const char *s = git_commit_summary((git_commit *)c);

	return rg_strdup(s ? s : "");
}

static int sc_parent_has(int *has, rg_treecache *tc, const git_oid *root, const rg_delta *d)
{
	git_oid id;
	uint32_t mode = 0;
	int r;

	*has = 0;
	if (d->new_path) {
		r = rg_treecache_lookup(&id, &mode, tc, root, d->new_path);
		if (r == RG_ENOTFOUND)
			return RG_OK;
		if (r < 0)
			return r;
		*has = mode == d->new_mode && git_oid_equal(&id, &d->new_id);
		return RG_OK;
	}
	/* a deletion: the other parent lacks the file too (or has a directory there) */
	r = rg_treecache_lookup(&id, &mode, tc, root, d->old_path);
	if (r == RG_ENOTFOUND) {
		*has = 1;
		return RG_OK;
	}
	if (r < 0)
		return r;
	*has = (mode & 0170000) == 0040000;
	return RG_OK;
}

/* A kept file of a merge: the first other parent's regular file at its path, for the line rules. */
static int sc_merge_base(rg_treecache *tc, const git_oid *roots, size_t nroots, rg_delta *d)
{
	git_oid id;
	uint32_t mode = 0;
	size_t k;
	int r;

	if (!d->new_path || !rg_mode_is_file(d->new_mode))
		return RG_OK;
	for (k = 0; k < nroots; k++) {
		r = rg_treecache_lookup(&id, &mode, tc, &roots[k], d->new_path);
		if (r == RG_ENOTFOUND)
			continue;
		if (r < 0)
			return r;
		if (rg_mode_is_file(mode)) {
			d->has_merge_base = 1;
			git_oid_cpy(&d->merge_base_id, &id);
			return RG_OK;
		}
	}
	return RG_OK;
}

int rg_changeset_drop_merged(rg_changeset *cs, rg_treecache *tc, const git_oid *roots, size_t nroots)
{
	size_t i, k, o;
	int r = RG_OK;

	if (!nroots)
		return RG_OK;
	for (i = o = 0; i < cs->n; i++) {
		rg_delta *d = &cs->v[i];
		int has = 0;

		for (k = 0; k < nroots && !has && r == RG_OK; k++)
			r = sc_parent_has(&has, tc, &roots[k], d);
		if (r < 0)
			has = 0; /* keep the rest: cs is freed by the caller */
		if (has) {
			free(d->old_path);
			free(d->new_path);
			continue;
		}
		if (r == RG_OK)
			r = sc_merge_base(tc, roots, nroots, d);
		cs->v[o++] = *d;
	}
	cs->n = o;
	return r;
}

/* The trees of a merge's other parents (parents 2..n). */
static int sc_other_roots(git_oid **out, size_t *n, const git_commit *commit)
{
	unsigned int np = git_commit_parentcount(commit), k;
	int r = RG_OK;

	*out = NULL;
	*n = 0;
	if (np < 2)
		return RG_OK;
	*out = rg_calloc(np - 1, sizeof(**out));
	for (k = 1; k < np && r == RG_OK; k++) {
		git_commit *p = NULL;

		if (git_commit_parent(&p, commit, k) < 0) {
			char hex[GIT_OID_HEXSZ + 1], *what;

			git_oid_tostr(hex, sizeof(hex), git_commit_id(commit));
			what = rg_printf("cannot read parent %u of merge %.12s", k + 1, hex);
			r = rg_error_from_git(what);
			free(what);
		} else {
			git_oid_cpy(&(*out)[(*n)++], git_commit_tree_id(p));
		}
		git_commit_free(p);
	}
	return r;
}

/*
 * One commit against its first parent, diffed by tree id through tc (shared
 * by a range walk: the new root of one commit is the old root of the next).
 * A merge keeps only the deltas none of its other parents has: what came
 * from one of them is that parent's (checked as its own commit when it is
 * new), so a merge of main into a feature branch does not carry main's past.
 */
static int sc_commit(rg_ctx *ctx, rg_treecache *tc, const git_oid *id, const char *ref,
	rg_source_cb cb, void *payload)
{
	git_commit *commit = NULL, *parent = NULL;
	git_oid *others = NULL;
	size_t nothers = 0;
	rg_changeset cs;
	int r;

	rg_changeset_init(&cs);
	if (git_commit_lookup(&commit, ctx->repo, id) < 0) {
		char hex[GIT_OID_HEXSZ + 1];

		git_oid_tostr(hex, sizeof(hex), id);
		return rg_error_from_git(hex);
	}
	if (git_commit_parentcount(commit) > 0 && git_commit_parent(&parent, commit, 0) < 0) {
		r = rg_error_from_git("cannot read the first parent (shallow clone?)");
		goto out;
	}
	r = rg_diff_tree_ids(&cs, tc, "", parent ? git_commit_tree_id(parent) : NULL,
		git_commit_tree_id(commit));
	if (r < 0)
		goto out;
	if ((r = sc_other_roots(&others, &nothers, commit)) < 0 ||
	    (r = rg_changeset_drop_merged(&cs, tc, others, nothers)) < 0)
		goto out;
	cs.has_commit = 1;
	git_oid_cpy(&cs.commit, id);
	git_oid_tostr(cs.commit_hex, sizeof(cs.commit_hex), id);
	cs.label = cs.commit_hex;
	cs.summary = commit_subject(commit);
	cs.ref = ref ? rg_strdup(ref) : NULL;
	cs.time = (int64_t)git_commit_time(commit);
	cs.view.kind = RG_VIEW_TREE;
	cs.view.tc = tc;
	git_oid_cpy(&cs.view.root, git_commit_tree_id(commit));
	rg_changeset_pair_renames(&cs);
	rg_changeset_sort(&cs);
	r = cb(&cs, payload);
out:
	rg_changeset_free(&cs);
	free(others);
	git_commit_free(parent);
	git_commit_free(commit);
	return r;
}

int rg_source_commit(rg_ctx *ctx, const git_oid *id, const char *ref,
	rg_source_cb cb, void *payload)
{
	rg_treecache *tc = NULL;
	int r = rg_treecache_new(&tc, ctx->repo);

	if (r == RG_OK)
		r = sc_commit(ctx, tc, id, ref, cb, payload);
	rg_treecache_free(tc);
	return r;
}

/* libgit2 1.5 cannot walk past a shallow boundary: see walk.h. */
static int range_shallow(rg_ctx *ctx, rg_treecache *tc, const git_oid *tips, size_t ntips,
	const git_oid *hide, size_t nhide, const char *ref,
	rg_source_cb cb, void *payload)
{
	git_oid *ids = NULL;
	size_t n = 0, i;
	int r = rg_walk_shallow(&ids, &n, ctx->repo, tips, ntips, hide, nhide);

	for (i = 0; i < n && r == RG_OK; i++)
		r = sc_commit(ctx, tc, &ids[i], ref, cb, payload);
	free(ids);
	return r;
}

/*
 * libgit2 caches every parsed tree (256 MiB by default). A range reads each
 * tree at most twice in a row (the new side of one commit, the old side of
 * the next), so a small cache keeps the hits: on bench/ranges.sh (1,000
 * commits, 100,000 files) it takes ci from 79 to 45 MB and its system time
 * (page faults) from about 45 to 15 ms. The caller's limit is restored.
 */
#define RANGE_CACHE_BYTES ((ssize_t)4 << 20)

static int range_walk(rg_ctx *ctx, rg_treecache *tc, const git_oid *tips, size_t ntips,
	const git_oid *hide, size_t nhide, const char *ref,
	rg_source_cb cb, void *payload);

int rg_source_range(rg_ctx *ctx, const git_oid *tips, size_t ntips,
	const git_oid *hide, size_t nhide, const char *ref,
	rg_source_cb cb, void *payload)
{
	ssize_t cur = 0, allowed = 0;
	rg_treecache *tc = NULL;
	int r = rg_treecache_new(&tc, ctx->repo);

	if (r < 0)
		return r;
	git_libgit2_opts(GIT_OPT_GET_CACHED_MEMORY, &cur, &allowed);
	if (allowed > RANGE_CACHE_BYTES)
		git_libgit2_opts(GIT_OPT_SET_CACHE_MAX_SIZE, RANGE_CACHE_BYTES);
	git_libgit2_opts(GIT_OPT_SET_CACHE_OBJECT_LIMIT, GIT_OBJECT_TREE, (size_t)0);
	r = range_walk(ctx, tc, tips, ntips, hide, nhide, ref, cb, payload);
	git_libgit2_opts(GIT_OPT_SET_CACHE_OBJECT_LIMIT, GIT_OBJECT_TREE, (size_t)4096);
	rg_treecache_free(tc);
	if (allowed > RANGE_CACHE_BYTES)
		git_libgit2_opts(GIT_OPT_SET_CACHE_MAX_SIZE, allowed);
	return r;
}

static int range_walk(rg_ctx *ctx, rg_treecache *tc, const git_oid *tips, size_t ntips,
	const git_oid *hide, size_t nhide, const char *ref,
	rg_source_cb cb, void *payload)
{
	git_revwalk *walk = NULL;
	git_oid id;
	size_t i;
	int r = RG_OK, w = 0;

	if (git_repository_is_shallow(ctx->repo) == 1)
		return range_shallow(ctx, tc, tips, ntips, hide, nhide, ref, cb, payload);
	if (git_revwalk_new(&walk, ctx->repo) < 0)
		return rg_error_from_git("cannot walk history");
	git_revwalk_sorting(walk, GIT_SORT_TOPOLOGICAL | GIT_SORT_REVERSE);
	for (i = 0; i < ntips && r == RG_OK; i++)
		if (git_revwalk_push(walk, &tips[i]) < 0)
			r = rg_error_from_git("cannot walk from tip");
	for (i = 0; i < nhide && r == RG_OK; i++)
		if (git_revwalk_hide(walk, &hide[i]) < 0)
			r = rg_error_from_git("cannot hide commit from the walk");
	while (r == RG_OK && (w = git_revwalk_next(&id, walk)) == 0)
		r = sc_commit(ctx, tc, &id, ref, cb, payload);
	if (r == RG_OK && w != GIT_ITEROVER)
		r = rg_error_from_git("history walk failed");
	git_revwalk_free(walk);
	return r;
}
