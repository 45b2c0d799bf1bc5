/*
 * backup.h: saving everything in a work tree as commits, and putting it back
 * (`repoguard rollback`, docs/checkpoint.md).
 *
 * A backup is two commits, like a stash: I records the index (parent: HEAD),
 * W records the work tree (parents: HEAD, I, and T when the index has
 * intent-to-add entries: a commit whose tree holds those paths). W's tree is built in a separate
 * in-memory index from the real index plus every change of the work tree:
 * modified, deleted and untracked (not ignored) files, executable bits and
 * symbolic links; ignored files are saved too where the rollback target has
 * a file at the same path (the checkout would overwrite them). Secret and
 * environment files the index does not track are kept out of W (and of the
 * object database) and copied aside (rg_secret_paths). The real index
 * is never written. The backup is kept as refs/repoguard/backup/NAME, never
 * as a branch (`git push --all` would publish it). Backups made before
 * 2026-12 also have the branch repoguard/backup/NAME; those are still read.
 */
#ifndef REPOGUARD_BACKUP_H
#define REPOGUARD_BACKUP_H

#include <stdint.h>
#include <git2.h>
#include "buf.h"
#include "config.h"
#include "glob.h"

#define RG_BACKUP_REFS "refs/repoguard/backup/"
/* where older versions also kept each backup: still read, never written */
#define RG_BACKUP_BRANCHES "refs/heads/repoguard/backup/"
#define RG_BACKUP_SUBJECT "repoguard backup of "
/* the trailer of a backup commit that kept files out of git: their number */
#define RG_BACKUP_KEPT_OUT "Repoguard-Kept-Out: "
#define RG_BACKUP_KEPT_STAGED "Repoguard-Kept-Out-Staged: "

/*
 * Files a backup keeps out of git objects when git does not track them
 * (untracked, or ignored but in the target's way): [envfile] paths and
 * [audit] secret_paths, ignoring case. A blob reaches every remote that a
 * ref reaching it is pushed to (git push --mirror pushes refs/repoguard/),
 * so they are copied to $GIT_COMMON_DIR/repoguard/backup-files/<W>/ instead.
 */
typedef struct {
	rg_patlist lists[2];
} rg_secret_paths;

/* A staged version of a secret file, kept out of the backup's index commit. */
typedef struct {
	char *path;
	git_oid id;
	uint32_t mode;
} rg_kept_entry;

typedef struct {
	git_oid head;          /* HEAD's commit */
	git_oid head_tree;
	git_oid index_tree;    /* the real index as a tree */
	git_oid work_tree;     /* everything in the work tree as a tree */
	int has_ita;
	git_oid ita_tree;      /* `git add -N` paths (empty blobs) */
	size_t saved_ignored;  /* ignored files saved because the target has their path */
	int untracked_off;     /* status.showUntrackedFiles=no: untracked files left alone (but those in the way) */
	const rg_secret_paths *secret; /* as given to rg_snapshot_take */
	char **secrets;        /* secret files of the work tree: not in work_tree, kept out of git */
	size_t nsecrets;
	rg_kept_entry *staged; /* staged secret files HEAD lacks: not in index_tree nor work_tree */
	size_t nstaged;
} rg_snapshot;

typedef struct {
	const git_tree *target;        /* the tree a checkout is about to write, or NULL */
	char **way;                    /* more paths it writes: a restored backup's kept-out files */
	size_t nway;
	const rg_secret_paths *secret; /* files to keep out of work_tree, or NULL */
} rg_snapshot_opts;

/*
 * Hash the work tree into the object database (objects only, no refs).
 * Refuses (RG_EREFUSED, the message says what to do) conflicts, untracked
 * nested repositories and ignored directories where target has a file.
 * Free with rg_snapshot_dispose.
 */
int rg_snapshot_take(rg_snapshot *s, git_repository *repo, const rg_snapshot_opts *o);
void rg_snapshot_dispose(rg_snapshot *s);
/* Nothing that a move of HEAD to new_head and a hard reset would lose? */
int rg_snapshot_clean(const rg_snapshot *s);

/* [envfile] paths and [audit] secret_paths of conf; free with rg_secret_paths_free. */
void rg_secret_paths_load(rg_secret_paths *out, rg_conf *conf);
void rg_secret_paths_free(rg_secret_paths *p);
int rg_secret_paths_match(const rg_secret_paths *p, const char *path);

/* The directory of a backup's kept-out files (allocated), whether or not it exists. */
char *rg_backup_files_dir(git_repository *repo, const git_oid *w);
/* Copy the snapshot's secret files there (work/PATH) and its staged ones (index/PATH), all or none. */
int rg_backup_files_save(git_repository *repo, const git_oid *w, const rg_snapshot *s);
/* The work tree's files there (index: the staged ones), sorted; RG_ERROR when unreadable. */
int rg_backup_files_list(char ***out, size_t *n, git_repository *repo, const git_oid *w, int index);
/* A staged file saved there as a blob id and mode (hashed, not written when write is 0). */
int rg_backup_files_staged(git_oid *id, uint32_t *mode, git_repository *repo, const git_oid *w,
	const char *path, int write);
/* Copy them back into the work tree, replacing what stands at their paths. */
int rg_backup_files_put(git_repository *repo, const git_oid *w, char **paths, size_t n);
/* Does the work tree hold path as saved (type, bytes, permission bits)? */
int rg_backup_files_same(git_repository *repo, const git_oid *w, const char *path);
void rg_backup_files_remove(git_repository *repo, const git_oid *w);

typedef struct {
	git_oid commit;        /* W */
	git_oid index_commit;  /* I */
	char *ref;             /* refs/repoguard/backup/NAME */
} rg_backup;

/* "main-20260101-093000" (-2, -3 ... when taken as a backup ref or an older backup branch). */
int rg_backup_name(rg_buf *out, git_repository *repo, const char *branch, int64_t now);
/* Write I and W and both refs; why: "before rollback to X" for the message. */
int rg_backup_save(rg_backup *b, git_repository *repo, const rg_snapshot *s,
	const char *branch, const char *name, const char *why, int64_t now);
void rg_backup_free(rg_backup *b);

/* The signature repoguard writes tags and backups with (GIT_COMMITTER_*, user.*). */
int rg_signature(git_signature **out, git_repository *repo, int64_t now);

typedef struct {
	git_oid head, index, ita;  /* the parents: HEAD, I, T */
	int has_ita;
	char *branch;              /* the branch it was made on */
	size_t kept_out;           /* files kept out of git (rg_backup_files_*) */
	size_t kept_staged;        /* staged versions of them */
} rg_backup_info;

/* Is commit a backup made by rg_backup_save? RG_ENOTFOUND when not. */
int rg_backup_parse(rg_backup_info *out, git_repository *repo, const git_oid *commit);
void rg_backup_info_free(rg_backup_info *b);

/*
 * Move HEAD (its branch, or detached) to target and reset index and work
 * tree to it; saved: the snapshot taken just before, already in a backup.
 * Untracked files go too (they are in the backup), but for those target's
 * .gitignore files ignore. The result is verified. Files that were ignored
 * are never touched: *unignored counts those now untracked (target lacks
 * the .gitignore line that ignored them).
 */
int rg_backup_reset_hard(size_t *unignored, git_repository *repo, const rg_snapshot *saved,
	const git_oid *target);
/* Put backup W back: work tree = W, HEAD = its first parent, index = I (+ T). Verified, as above. */
int rg_backup_restore(size_t *unignored, git_repository *repo, const rg_snapshot *saved, const git_oid *w);

#endif
