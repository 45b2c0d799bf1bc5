/*
 * context.h: the shared context a run gives its sources and rules. Rules do
 * no I/O of their own: they read objects through these functions only.
 */
#ifndef REPOGUARD_CONTEXT_H
#define REPOGUARD_CONTEXT_H

#include <pthread.h>
#include <stdint.h>
#include <git2.h>
#include "change.h"
#include "config.h"
#include "parallel.h"
#include "attr.h"
#include "finding.h"

/* Where a run comes from; rules may behave differently per mode. */
enum rg_mode {
	RG_MODE_PRE_COMMIT = 1 << 0,
	RG_MODE_PRE_PUSH = 1 << 1,
	RG_MODE_PRE_RECEIVE = 1 << 2,
	RG_MODE_CI = 1 << 3,
	RG_MODE_AUDIT = 1 << 4,
	RG_MODE_COMMIT_MSG = 1 << 5
};
#define RG_MODE_ALL 0xffff
#define RG_MODE_RANGES (RG_MODE_PRE_PUSH | RG_MODE_PRE_RECEIVE | RG_MODE_CI | RG_MODE_AUDIT)

struct rg_attr_cache;
struct rg_wt_conf;

/* A ref update being checked: pushed (pre-push), received (pre-receive), or a CI range. */
typedef struct {
	char *ref;          /* the ref updated on the receiving side: refs/heads/main */
	char *local_ref;    /* pre-push: the local ref pushed, else NULL */
	git_oid old_id;     /* zero: the ref is created */
	git_oid new_id;     /* zero: the ref is deleted */
	int forced;         /* old is not an ancestor of new (non-fast-forward) */
} rg_update;

typedef struct rg_ctx {
	git_repository *repo;
	git_odb *odb;
	rg_conf *conf;
	int mode;
	const char *mode_name;
	int64_t now;               /* REPOGUARD_NOW or time(NULL) */
	char *branch;              /* current branch short name, or NULL (detached) */
	struct rg_attr_cache *attrs;
	void **rule_state;         /* one slot per rule table entry */
	char **skip;               /* rule ids skipped by REPOGUARD_SKIP */
	int skip_noted;            /* unknown REPOGUARD_SKIP names reported (rg_engine_skip_notes) */
	/* ranges: what is being pushed/received/merged (empty for pre-commit) */
	rg_update *updates;
	size_t nupdates;
	/*
	 * pre-receive checks a push in groups of updates (one per configuration)
	 * and updates then holds the current group only; push_updates is every
	 * update of the push (borrowed, not freed). NULL elsewhere: use
	 * rg_ctx_push_updates rather than reading it.
	 */
	const rg_update *push_updates;
	size_t npush_updates;
	char *remote_name;         /* pre-push: the remote's name (or URL when unnamed) */
	char *remote_url;          /* pre-push: the URL pushed to */
	struct rg_wt_conf *wt;     /* checkin conversions (worktree.c), loaded on first use */
	/*
	 * Serialises libgit2 object reads when rules read on several threads
	 * (the content scan): rg_ctx_blob, rg_ctx_blob_size, rg_ctx_delta_read.
	 */
	pthread_mutex_t odb_lock;
	int trace_reads;           /* REPOGUARD_TRACE_READS: say where each content read came from */
	int reopen;                /* the repository came from rg_repo_open: more can be opened for threads */
	git_repository *thread_repos[RG_PARALLEL_MAX]; /* [0] unused: the workers' own (rg_ctx_thread_repos) */
	int partial;               /* a partial clone (promisor remote): -1 not known yet (rg_ctx_is_partial) */
} rg_ctx;

int rg_ctx_init(rg_ctx *ctx, git_repository *repo, rg_conf *conf, int mode, const char *mode_name);
/*
 * Open a repository for each of workers 1 to n - 1 (on the calling thread),
 * so that they inflate blobs without the lock. Returns n, or i when worker
 * i's could not be opened (it and those after it read under the lock);
 * 1 when the context's repository was not opened by rg_repo_open.
 */
size_t rg_ctx_thread_repos(rg_ctx *ctx, size_t n);
/* On a worker: read through its own repository (rg_ctx_thread_repos) until unbound (worker SIZE_MAX). */
void rg_ctx_thread_bind(rg_ctx *ctx, size_t worker);
/* Is the repository a partial clone (extensions.partialClone, or a remote.*.promisor)? */
int rg_ctx_is_partial(rg_ctx *ctx);
void rg_ctx_free(rg_ctx *ctx);

/*
 * Fill in the new sides' sizes of the files the working tree vouches for
 * (rg_worktree_size), on several threads when there are many: for checks
 * that will ask for every file's size.
 */
void rg_ctx_prefetch_sizes(rg_ctx *ctx, const rg_changeset *cs);

/* Size of the blob a delta leaves (new) or removes (old): header read only. */
int64_t rg_ctx_blob_size(rg_ctx *ctx, const git_oid *id);
int64_t rg_ctx_delta_size(rg_ctx *ctx, rg_delta *d, int new_side);
/*
 * The same for rules that gate on the size: 0 with *out set, RG_READ_MISSING
 * (*out = RG_SIZE_MISSING) where rg_ctx_delta_read would say so, or an error
 * for a missing object in a repository that should have it.
 */
int rg_ctx_delta_size_checked(int64_t *out, rg_ctx *ctx, rg_delta *d, int new_side);
/* Read a blob; caller frees with git_blob_free. */
int rg_ctx_blob(git_blob **out, rg_ctx *ctx, const git_oid *id);
/*
 * The bytes of one side of a delta: for the new side of a delta that
 * rg_worktree_mark vouched for, the working tree file when its stat data
 * still matches the index entry (as git's reuse_worktree_file: reading a
 * file is ten times cheaper than inflating a loose object), else the blob.
 * Safe to call from several threads at once.
 */
typedef struct {
	const char *data;
	size_t len;
	git_blob *blob;          /* owned, or NULL */
	pthread_mutex_t *lock;   /* the context's odb_lock, for freeing blob */
	char *buf;               /* owned, or NULL */
	int from_worktree;
} rg_blobdata;

#define RG_READ_TOO_BIG 1    /* rg_ctx_delta_read: larger than max, not read */
#define RG_READ_MISSING 2    /* rg_ctx_delta_read: the object is missing (partial clone) */

/*
 * 0 with out filled, RG_READ_TOO_BIG, RG_READ_MISSING, or an error.
 * RG_READ_MISSING only in a partial clone, where objects are missing by
 * design, and in the audit, which reports damage; elsewhere a missing
 * object is a damaged repository, an error (a check that gates commits
 * must not pass what it could not read).
 */
int rg_ctx_delta_read(rg_blobdata *out, rg_ctx *ctx, rg_delta *d, int new_side, uint64_t max);
/*
 * Read ahead: the working tree files of several deltas read at once, for a
 * thread that reads them next (src/core/worktree-batch.c). *batch is the
 * thread's own, made on first use (it stays NULL where the kernel cannot
 * batch reads; they are then read one by one); d holds at most
 * RG_READ_AHEAD_MAX deltas. rg_ctx_delta_read_batched is rg_ctx_delta_read
 * taking the new side from the batch when it holds it; what it reads so
 * must be freed before the next read ahead, which reuses the memory. A
 * batch knows its files by their deltas' addresses: a read ahead of none
 * (n = 0) empties it before those deltas go.
 */
typedef struct rg_wtbatch rg_wtbatch;
#define RG_READ_AHEAD_MAX 32
void rg_ctx_read_ahead(rg_wtbatch **batch, int *tried, rg_ctx *ctx, rg_delta *const *d, size_t n, uint64_t max);
void rg_ctx_read_ahead_free(rg_wtbatch *batch);
int rg_ctx_delta_read_batched(rg_blobdata *out, rg_ctx *ctx, rg_wtbatch *batch, rg_delta *d,
	int new_side, uint64_t max);
void rg_blobdata_free(rg_blobdata *b);

/*
 * For a change set of the index (pre-commit): point every delta whose new
 * side may be read from the working tree at its index entry. A path with a
 * clean filter, ident or working-tree-encoding never is; one that end-of-
 * line normalisation may touch (core.autocrlf, text, eol) only when the file
 * holds no '\r'. Attributes come from the index's .gitattributes,
 * $GIT_DIR/info/attributes, core.attributesFile and the system file.
 */
void rg_worktree_mark(rg_ctx *ctx, rg_changeset *cs);

/* Read the blob at path in the change set's new state. RG_ENOTFOUND if none. */
int rg_ctx_view_blob(git_blob **out, rg_ctx *ctx, const rg_changeset *cs, const char *path);

/*
 * The attributes files git reads for path (attr.h): the .gitattributes of
 * the change set's new state (not the working tree), from the root down to
 * path's directory, between the system and global files below and
 * $GIT_DIR/info/attributes above; with cs NULL, no tree files. Patterns
 * ignore case under core.ignorecase. Valid until the next call.
 */
void rg_ctx_attr_stack(rg_attr_stack *out, rg_ctx *ctx, const rg_changeset *cs, const char *path);
/*
 * The value of attribute name for path by that stack: a static "set",
 * "unset", the value string, or NULL when unspecified.
 */
const char *rg_ctx_attr(rg_ctx *ctx, const rg_changeset *cs, const char *path, const char *name);
/* Is there any attributes file that rg_ctx_attr reads for path? */
int rg_ctx_attr_any(rg_ctx *ctx, const rg_changeset *cs, const char *path);

/* Record a ref update (strings copied). */
rg_update *rg_ctx_add_update(rg_ctx *ctx, const char *ref, const char *local_ref,
	const git_oid *old_id, const git_oid *new_id);

/*
 * Every ref update of the push being checked, whatever group of it is
 * checked now (pre-receive); ctx->updates everywhere else.
 */
const rg_update *rg_ctx_push_updates(const rg_ctx *ctx, size_t *n);

/* Is this rule id skipped via REPOGUARD_SKIP? */
int rg_ctx_skipped(const rg_ctx *ctx, const char *rule_id);

#endif
