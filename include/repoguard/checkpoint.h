/*
 * checkpoint.h: checkpoint tags, shared by the checkpoint rule and the
 * checkpoint, rollback and status commands (docs/checkpoint.md).
 *
 * A checkpoint is a tag whose name matches one of the [checkpoint] tags
 * globs (matched like `git tag --list PATTERN`: '*' also crosses '/'). Its
 * time is the tagger date of an annotated tag, or the committer date of the
 * commit a lightweight tag points at. A commit is covered when it is
 * reachable from some checkpoint's commit.
 */
#ifndef REPOGUARD_CHECKPOINT_H
#define REPOGUARD_CHECKPOINT_H

#include <stddef.h>
#include <stdint.h>
#include <git2.h>
#include "buf.h"
#include "config.h"
#include "context.h"

typedef struct {
	int64_t every;   /* seconds; 0 when 'every' is not set (the rule is off) */
	char **tags;     /* globs on the tag name, NULL-terminated */
	char *name;      /* strftime format for tags repoguard creates (UTC) */
	int on;          /* RG_MODE_* where the rule is enforced */
	int severity;
} rg_ckpt_conf;

/* Read [checkpoint]; problems are recorded with rg_conf_error. RG_ECONFIG on any. */
int rg_ckpt_conf_load(rg_ckpt_conf *out, rg_conf *conf);
void rg_ckpt_conf_free(rg_ckpt_conf *c);
/* Does a short tag name ("checkpoint-20260101-0400") match the tags globs? */
int rg_ckpt_name_matches(const rg_ckpt_conf *c, const char *tag);
/* "checkpoint-* phase*-checkpoint-*" for messages. */
void rg_ckpt_patterns_str(rg_buf *out, const rg_ckpt_conf *c);
/* The name format applied at time t (UTC), without uniqueness. */
int rg_ckpt_format_name(rg_buf *out, const rg_ckpt_conf *c, int64_t t);
/* A tag name for time t that does not exist yet: NAME, NAME-2, NAME-3, ... */
int rg_ckpt_unique_name(rg_buf *out, git_repository *repo, const rg_ckpt_conf *c, int64_t t);
/* The same from the *seq-th name on (1: the plain name, 2: "-2", ...); *seq is the one chosen. */
int rg_ckpt_unique_name_from(rg_buf *out, int *seq, git_repository *repo, const rg_ckpt_conf *c, int64_t t);

typedef struct {
	char *name;          /* short tag name */
	git_oid commit;      /* the commit it marks (peeled) */
	int64_t time;        /* checkpoint time */
	int64_t commit_time; /* committer date of commit */
	int annotated;
} rg_ckpt;

typedef struct {
	rg_ckpt *v;
	size_t n, alloc;
} rg_ckpt_list;

/*
 * Every checkpoint tag of the repository, newest first (time, then name).
 * Tags that do not peel to a commit are skipped.
 */
int rg_ckpt_list_load(rg_ckpt_list *l, git_repository *repo, const rg_ckpt_conf *c);
/* Apply pushed/received tag updates (refs/tags/NAME created, moved, deleted). */
int rg_ckpt_list_apply_updates(rg_ckpt_list *l, git_repository *repo, const rg_ckpt_conf *c,
	const rg_update *u, size_t n);
void rg_ckpt_list_free(rg_ckpt_list *l);

/* Is commit tip or one of its ancestors? Also in a shallow clone (libgit2's graph query fails there). */
int rg_ckpt_in_history(git_repository *repo, const git_oid *commit, const git_oid *tip);

/*
 * Newest checkpoint whose commit is tip or one of its ancestors, or NULL.
 * Of those with the same time, and over one dated after now (a wrong
 * clock; INT64_MAX: no such preference), one whose commit descends from
 * it wins: it is the nearer point of the history.
 */
const rg_ckpt *rg_ckpt_last_in_history(git_repository *repo, const rg_ckpt_list *l,
	const git_oid *tip, int64_t now);

/* The uncovered work of one tip, measured at now. */
typedef struct {
	size_t count;        /* commits reachable from tip and from no checkpoint */
	size_t future;       /* of which dated after now (clock skew; counted as made now) */
	git_oid oldest;      /* the oldest of them by committer date */
	int64_t oldest_time; /* its date, at most now */
	git_oid *ids;        /* when asked for: every uncovered commit, newest first */
	size_t nids;
} rg_ckpt_work;

int rg_ckpt_uncovered(rg_ckpt_work *w, git_repository *repo, const rg_ckpt_list *l,
	const git_oid *tip, int64_t now, int want_ids);
void rg_ckpt_work_free(rg_ckpt_work *w);

/*
 * The range check (ci, pre-receive): replays the now-rule at the time of
 * every pushed commit (reachable from tip and not from hide). It fails when
 * a pushed commit made at time T2 finds a commit of the tip's history made
 * at T1, T2 - T1 > every, that no checkpoint made before T2 covers: work
 * already on the server counts too, so pushing often hides nothing. Commits
 * dated after now (clock skew) are left out of the timeline.
 */
typedef struct {
	int failed;
	size_t pushed;       /* pushed commits considered */
	size_t future;       /* pushed commits dated after now, left out */
	git_oid from, to;    /* the longest uncovered stretch: first and last commit */
	int64_t from_time, to_time;
	size_t commits;      /* commits of the tip's history made within the stretch */
	int have_split;
	git_oid split;       /* a commit whose checkpoint would cut the stretch */
	int64_t split_time;
} rg_ckpt_stretch;

int rg_ckpt_replay(rg_ckpt_stretch *out, git_repository *repo, const rg_ckpt_list *l,
	const git_oid *tip, const git_oid *hide, size_t nhide, int64_t every, int64_t now);

/* "2026-01-01 04:00 UTC" */
void rg_ckpt_fmt_time(char *out, size_t outlen, int64_t t);
/*
 * The commit's short id (12) and subject, "abc123456789 subject", the
 * subject with every secret masked (rg_content_mask: the built-in ones, and
 * ctx's [content.NAME] secret groups; ctx may be NULL).
 */
void rg_ckpt_describe_commit(rg_buf *out, git_repository *repo, const git_oid *id, const rg_ctx *ctx);

/* What the checkpoint, rollback and status commands share. */
typedef struct {
	git_repository *repo;
	rg_conf conf;
	rg_ckpt_conf ck;
	rg_ctx ctx;            /* now (REPOGUARD_NOW), branch */
} rg_ckpt_session;

/*
 * Open the repository and load [checkpoint] (config_file: --config, or NULL).
 * Returns 0, or an exit status after printing why.
 */
int rg_ckpt_session_open(rg_ckpt_session *s, const char *command, const char *config_file);
void rg_ckpt_session_close(rg_ckpt_session *s);

#endif
