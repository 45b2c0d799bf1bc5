/*
 * walk.h: the commit walk for shallow clones (src/source/walk-shallow.c).
 *
 * libgit2 1.5 does not know shallow clones: it reads the parents a boundary
 * commit names, finds them missing, and fails every walk and merge-base that
 * reaches the boundary, even when the boundary is far below what is asked
 * (a CI clone with fetch-depth: 50 checking a 3-commit pull request). This
 * walk treats the commits listed in $GIT_DIR/shallow as having no parents,
 * as git does, and refuses, rather than misreads, a range that reaches the
 * boundary: a boundary commit cannot be diffed against its first parent.
 */
#ifndef REPOGUARD_SOURCE_WALK_H
#define REPOGUARD_SOURCE_WALK_H

#include <stddef.h>
#include <git2.h>

/* Parse a shallow file (one hex id per line) into a sorted array. RG_ERROR on a bad line. */
int rg_shallow_parse(git_oid **out, size_t *n, const char *text, size_t len);

/*
 * Commits reachable from tips and not from hide, parents before children
 * (each tip's in turn, first parents first), honouring the repository's
 * shallow boundary. *out is allocated (free it). A commit of the range at
 * the boundary is an error naming it. Also walks the tips of a push at
 * once in a full clone (rg_source_updates), as git's rev-list would.
 */
int rg_walk_shallow(git_oid **out, size_t *n, git_repository *repo,
	const git_oid *tips, size_t ntips, const git_oid *hide, size_t nhide);

/*
 * Ancestry questions over one commit graph, each commit read once however
 * many questions walk it: a push that force-moves many refs, or a branch
 * with many checkpoint tags elsewhere, costs one read of the history, not
 * one per question (git_graph_descendant_of reads it again each time). A
 * commit at a shallow clone's edge has no parents: what lies below it is
 * not found.
 */
typedef struct rg_ancestry rg_ancestry;

int rg_ancestry_new(rg_ancestry **out, git_repository *repo);
/* Is ancestor tip or reachable from it? 1 or 0; RG_ERROR naming a commit a full clone lacks. */
int rg_ancestry_ask(rg_ancestry *a, const git_oid *tip, const git_oid *ancestor);
void rg_ancestry_free(rg_ancestry *a);

#endif
