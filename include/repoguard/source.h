/*
 * source.h: producers of change sets. Each source calls cb once per change
 * set, which is freed when cb returns; a non-zero return from cb stops it.
 */
#ifndef REPOGUARD_SOURCE_H
#define REPOGUARD_SOURCE_H

#include <git2.h>
#include "change.h"
#include "context.h"
#include "treecache.h"

typedef int (*rg_source_cb)(rg_changeset *cs, void *payload);

/* The index (GIT_INDEX_FILE honoured) against HEAD: what `git commit` would record. */
int rg_source_index(rg_ctx *ctx, rg_source_cb cb, void *payload);
/* The index file git would commit from: GIT_INDEX_FILE, else GIT_DIR/index. */
char *rg_index_path(git_repository *repo);
/*
 * The commits the index concludes a merge of: MERGE_HEAD's, or before git
 * merge writes it (pre-merge-commit) its GITHEAD_<id> variables'. *out is
 * allocated (free it); none (*n = 0) outside a merge.
 */
int rg_index_merge_heads(git_oid **out, size_t *n, git_repository *repo);

/*
 * One commit against its first parent (the empty tree for a root commit); a
 * merge without what its other parents already have (rg_changeset_drop_merged).
 */
int rg_source_commit(rg_ctx *ctx, const git_oid *commit, const char *ref,
	rg_source_cb cb, void *payload);

/*
 * Every commit reachable from tips and not from hide, oldest first, each
 * against its first parent (merges as rg_source_commit). ref names the ref
 * being updated (or NULL).
 */
int rg_source_range(rg_ctx *ctx, const git_oid *tips, size_t ntips,
	const git_oid *hide, size_t nhide, const char *ref,
	rg_source_cb cb, void *payload);

/*
 * The commits rg_source_range checks, in its order (parents before
 * children): reachable from tips and not from hide, through the shallow
 * walk (walk.h) in a shallow clone. *out is allocated (free it).
 */
int rg_range_ids(git_oid **out, size_t *n, git_repository *repo,
	const git_oid *tips, size_t ntips, const git_oid *hide, size_t nhide);

/* Check ids[0..n) in that order, as rg_source_range checks the commits of its walk. */
int rg_source_commits(rg_ctx *ctx, const git_oid *ids, size_t n, const char *ref,
	rg_source_cb cb, void *payload);

/*
 * A merge at file level, as git's combined diff: drop from cs (deltas against
 * the first parent, or the index against HEAD, before renames are paired)
 * each delta that one of the other parents' root trees already has: a new
 * side equal (blob id and mode) to that parent's entry at the same path, or
 * a deletion of a path that parent lacks too, provided that parent changed
 * the path since the merge base (3-way: otherwise the merge undid the first
 * parent's change, an evil merge). What differs from every parent (a
 * conflict resolution, an evil merge) stays.
 */
#define RG_MERGE_BASES_MAX 8

/* Renames from a merge base to one parent's tree: pairs new path, old path, sorted by new path; loaded once, lazily. */
typedef struct {
	int done;
	char **v;
	size_t n;
} rg_merge_renames;

typedef struct {
	git_oid root;     /* the other parent's tree */
	/*
	 * The trees of its merge bases with the first parent: criss-cross
	 * histories have several (the first RG_MERGE_BASES_MAX are kept); 0:
	 * none (unrelated histories), every path is that parent's change.
	 */
	git_oid base[RG_MERGE_BASES_MAX];
	size_t nbase;
	/*
	 * Renames on the first parent's side since the (first) merge base,
	 * found when a kept file of the merge is new there and this parent
	 * lacks it: a file the first parent renamed and this parent edited
	 * under its old name. Sorted by new path; filled once, lazily.
	 */
	git_repository *repo;
	git_oid first_root;  /* the first parent's tree */
	rg_merge_renames ren;
	/* The same for this parent's own renames since the (first) merge base. */
	rg_merge_renames oren;
} rg_merge_side;

/*
 * The other parents (commit ids) of a merge whose first parent is first:
 * their trees and merge bases, for rg_changeset_drop_merged. *out is
 * allocated (free it); an unreadable commit is an error.
 */
int rg_merge_sides(rg_merge_side **out, git_repository *repo, const git_oid *first,
	const git_oid *others, size_t n);
void rg_merge_sides_free(rg_merge_side *sides, size_t n);

int rg_changeset_drop_merged(rg_changeset *cs, rg_treecache *tc, rg_merge_side *sides, size_t nsides);

/*
 * Diff two trees by id (either may be NULL) at prefix ("" for the root, else
 * "dir/sub/" with its slash) into cs: one delta per changed blob, symlink or
 * gitlink (A, D, M, T; no rename detection), as `git diff-tree -r --no-renames`.
 */
int rg_diff_tree_ids(rg_changeset *cs, rg_treecache *tc, const char *prefix,
	const git_oid *old_tree, const git_oid *new_tree);
/* The same for two git_tree objects (either may be NULL). */
int rg_diff_trees(rg_changeset *cs, git_repository *repo, git_tree *old_tree, git_tree *new_tree);
/* The same for two subtrees at prefix ("dir/sub/", with its slash). */
int rg_diff_trees_at(rg_changeset *cs, git_repository *repo, const char *prefix,
	git_tree *old_tree, git_tree *new_tree);

/*
 * Each message of the annotated tag at id, and of every tag it wraps (a tag
 * of a tag), outermost first, to cb (which stops the walk with a negative
 * value, returned). A missing object or one that is no tag gives none.
 */
typedef int (*rg_tag_message_cb)(const char *msg, void *payload);
int rg_tag_messages(git_repository *repo, const git_oid *id, rg_tag_message_cb cb, void *payload);

#endif
