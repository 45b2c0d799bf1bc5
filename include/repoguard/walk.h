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
 * For each i, is ancestors[i] reachable from tips[i] (or the same commit)?
 * out[i] = 1 or 0. All the questions share one graph, each commit read once:
 * a push that force-moves many refs costs one read of the history, not one
 * per ref. A commit at a shallow clone's edge has no parents, so what lies
 * below it is not found (0). RG_ERROR naming a commit that a full clone
 * lacks and the answer depends on.
 */
int rg_walk_ancestry(int *out, git_repository *repo, const git_oid *tips,
	const git_oid *ancestors, size_t n);

#endif
