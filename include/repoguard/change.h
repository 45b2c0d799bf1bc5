/*
 * change.h: the data every source produces and every rule consumes.
 *
 * A change set is the difference between two states of a repository (HEAD
 * and the index, a commit and its first parent) as a list of deltas, plus a
 * view of the new state so that rules can look other paths up
 * (.gitattributes, a router file) without knowing where the state lives.
 */
#ifndef REPOGUARD_CHANGE_H
#define REPOGUARD_CHANGE_H

#include <stddef.h>
#include <stdint.h>
#include <git2.h>

struct rg_index;
struct rg_index_entry;

typedef enum {
	RG_DELTA_ADDED = 'A',
	RG_DELTA_DELETED = 'D',
	RG_DELTA_MODIFIED = 'M',
	RG_DELTA_RENAMED = 'R',    /* exact rename: same blob, new path */
	RG_DELTA_TYPECHANGE = 'T'
} rg_delta_status;

#define RG_SIZE_UNKNOWN (-1)
#define RG_SIZE_MISSING (-2) /* object not in the repository (partial clone) */

typedef struct {
	rg_delta_status status;
	char *old_path;   /* NULL for added */
	char *new_path;   /* NULL for deleted */
	uint32_t old_mode, new_mode;
	git_oid old_id, new_id;
	int64_t old_size, new_size; /* filled lazily by rg_ctx_delta_size() */
	/*
	 * Pre-commit: the index entry the new side was staged from, when the
	 * working tree file may be read instead of the blob (the index source
	 * sets it, rg_worktree_mark keeps it only when no checkin conversion
	 * applies). rg_ctx_delta_read still checks the file's stat data against
	 * the entry, as git does, before trusting it. NULL: read the blob.
	 */
	const struct rg_index_entry *wt_entry;
	const struct rg_index *wt_index;
	int wt_eol;       /* end-of-line normalisation may apply: trusted only without a '\r' */
	/*
	 * A merge's file that differs from every parent: another parent's blob at
	 * new_path (rg_changeset_drop_merged). Its lines are that parent's, not
	 * the merge's: the line rules check only lines new to both sides, as
	 * git's combined diff shows them.
	 */
	int has_merge_base;
	git_oid merge_base_id;
	/*
	 * A merge's file new to the first parent because the other parent
	 * renamed it since the merge base: the first parent's blob under the
	 * old name, whose lines are the first parent's (the old side the line
	 * rules compare with, as git's combined diff follows the rename).
	 */
	int has_merge_old;
	git_oid merge_old_id;
	/*
	 * An octopus merge: the versions of the further other parents that
	 * changed the file, cs->merge_more[merge_more_at..+merge_more_n); their
	 * lines are theirs too.
	 */
	size_t merge_more_at, merge_more_n;
} rg_delta;

typedef enum { RG_VIEW_NONE = 0, RG_VIEW_INDEX, RG_VIEW_TREE } rg_view_kind;

struct rg_treecache;

/*
 * The new state of a change set: an index or a tree. A tree is either a
 * git_tree, or (range walks) a root id read through the walk's raw-tree
 * cache, which holds the directories the diff has just read.
 */
typedef struct {
	rg_view_kind kind;
	const struct rg_index *index;   /* RG_VIEW_INDEX */
	git_repository *repo;           /* RG_VIEW_INDEX: reads a sparse index's directories */
	git_tree *tree;                 /* RG_VIEW_TREE (owned by the change set), or NULL: */
	struct rg_treecache *tc;        /* RG_VIEW_TREE without tree: borrowed from the walk */
	git_oid root;                   /* ... and the root tree id read through it */
} rg_view;

typedef struct {
	rg_delta *v;
	size_t n, alloc;
	/* what the change set is */
	int has_commit;
	int is_root;             /* the commit has no parent (fixes rebase with --root) */
	git_oid commit;          /* the new commit (ranges), else zero */
	char commit_hex[GIT_OID_HEXSZ + 1];
	const char *label;       /* "index", or commit_hex */
	char *summary;           /* commit subject, or NULL */
	char *message;           /* the commit's whole message as recorded, or NULL */
	int tag_message;         /* no commit: message is an annotated tag's, pushed as ref (no deltas) */
	int tag_target;          /* no commit: ref points at a tree (all added) or a blob (added as ref) */
	char *ref;               /* the ref being updated (push, receive), or NULL */
	int64_t time;            /* committer time, 0 for the index */
	rg_view view;            /* the new state */
	unsigned long serial;    /* distinct per rg_changeset_init in a process (cache key) */
	git_tree *old_tree;      /* the index source's HEAD tree (NULL: unborn, and for commits) */
	/*
	 * the index source: the commit old_tree is from, as fix commands name it
	 * ("HEAD"; git commit --amend: the 12-digit id of HEAD's parent), else ""
	 */
	char old_rev[GIT_OID_HEXSZ + 1];
	git_oid *merge_more;     /* rg_delta.merge_more_at (an octopus merge's other versions) */
	size_t nmerge_more, merge_more_alloc;
} rg_changeset;

void rg_changeset_init(rg_changeset *cs);
void rg_changeset_free(rg_changeset *cs);
/*
 * Room for n more deltas, when a source knows how many come: one array
 * written once, not copied at every doubling (fresh pages are a fault each).
 */
void rg_changeset_reserve(rg_changeset *cs, size_t n);
rg_delta *rg_changeset_add(rg_changeset *cs, rg_delta_status st,
	const char *old_path, uint32_t old_mode, const git_oid *old_id,
	const char *new_path, uint32_t new_mode, const git_oid *new_id);
/* Pair deleted and added deltas with the same blob into renames. */
void rg_changeset_pair_renames(rg_changeset *cs);
/* Sort deltas by path (new path, else old). */
void rg_changeset_sort(rg_changeset *cs);

/* The path a delta leaves behind (new path), or NULL for deletions. */
const char *rg_delta_path(const rg_delta *d);
/* Does the delta add content at new_path (A, M, T, R)? */
int rg_delta_adds(const rg_delta *d);
/* Does the delta remove old_path (D, R, and T from a tree to a file)? */
int rg_delta_removes(const rg_delta *d);

int rg_mode_is_blob(uint32_t mode);
/* A regular file (0100644 or 0100755): what the content rules read. */
int rg_mode_is_file(uint32_t mode);
int rg_mode_is_gitlink(uint32_t mode);

/* Look a path up in a view: 0 with id and mode set, RG_ENOTFOUND, or error. */
int rg_view_lookup(git_oid *id, uint32_t *mode, const rg_view *v, const char *path);

#endif
