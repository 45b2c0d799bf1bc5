/* source-commit.c: commits against their first parent, one by one or as a range. */
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

/*
 * One commit against its first parent, diffed by tree id through tc (shared
 * by a range walk: the new root of one commit is the old root of the next).
 */
static int sc_commit(rg_ctx *ctx, rg_treecache *tc, const git_oid *id, const char *ref,
	rg_source_cb cb, void *payload)
{
	git_commit *commit = NULL, *parent = NULL;
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
