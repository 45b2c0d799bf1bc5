/*
 * context.h: the shared context a run gives its sources and rules. Rules do
 * no I/O of their own: they read objects through these functions only.
 */
#ifndef REPOGUARD_CONTEXT_H
#define REPOGUARD_CONTEXT_H

#include <stdint.h>
#include <git2.h>
#include "change.h"
#include "config.h"
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
} rg_ctx;

int rg_ctx_init(rg_ctx *ctx, git_repository *repo, rg_conf *conf, int mode, const char *mode_name);
void rg_ctx_free(rg_ctx *ctx);

/* Size of the blob a delta leaves (new) or removes (old): header read only. */
int64_t rg_ctx_blob_size(rg_ctx *ctx, const git_oid *id);
int64_t rg_ctx_delta_size(rg_ctx *ctx, rg_delta *d, int new_side);
/* Read a blob; caller frees with git_blob_free. */
int rg_ctx_blob(git_blob **out, rg_ctx *ctx, const git_oid *id);
/* Read the blob at path in the change set's new state. RG_ENOTFOUND if none. */
int rg_ctx_view_blob(git_blob **out, rg_ctx *ctx, const rg_changeset *cs, const char *path);

/*
 * The value of attribute name for path in the change set's new state, from
 * the .gitattributes files of that state (not the working tree) and
 * $GIT_DIR/info/attributes. Returns a static "set", "unset", the value
 * string, or NULL when unspecified.
 */
const char *rg_ctx_attr(rg_ctx *ctx, const rg_changeset *cs, const char *path, const char *name);

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
