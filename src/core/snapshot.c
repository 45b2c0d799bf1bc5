/*
 * snapshot.c: the work tree as a tree object, built in a separate in-memory
 * index so that the real index is never touched (include/repoguard/backup.h).
 *
 * The in-memory index starts as a copy of the real one (that copy, without
 * intent-to-add entries, is also the index tree). Then every difference the
 * status of the work tree reports is applied: deletions first (a file that
 * became a directory), then modified, type-changed and untracked files,
 * hashed through git's clean filters as `git add` would.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "repoguard/backup.h"
#include "repoguard/buf.h"
#include "repoguard/cfgenv.h"
#include "repoguard/common.h"

typedef struct {
	git_repository *repo;
	git_index *real;
	git_index *mem;
	const char *workdir;
	int filemode;          /* core.fileMode: trust the executable bit */
	int untracked;         /* untracked files are the repository's (status.showUntrackedFiles != no) */
	size_t saved_ignored;
	char **assumed;        /* `update-index --assume-unchanged` paths: status skips them */
	size_t nassumed, assumed_alloc;
	char *git_dirs[2];     /* the git dir and common dir when inside the work tree ("dir/") */
	const rg_secret_paths *secret;
	char **secrets;        /* kept out of mem: the work tree's secret files */
	size_t nsecrets, secrets_alloc;
	rg_kept_entry *staged; /* kept out of mem: staged secret files HEAD does not have as staged */
	size_t nstaged, staged_alloc;
	git_tree *head_tree;
} snap;

static int snap_filemode(git_repository *repo)
{
	git_config *cfg = NULL;
	int v = 1;

	if (git_repository_config_snapshot(&cfg, repo) < 0)
		git_error_clear();
	rg_git_config_bool(&v, cfg, "core.filemode", 1);
	git_config_free(cfg);
	return v;
}

/*
 * status.showUntrackedFiles=no says untracked files are none of the
 * repository's business (a dotfiles repository whose work tree is $HOME):
 * they are then neither saved nor removed, as `git stash` leaves them, but
 * those in the target's way, which are saved as ignored ones are.
 */
static int snap_untracked(git_repository *repo)
{
	git_config *cfg = NULL;
	char *v = NULL;
	int on = 1;

	if (git_repository_config_snapshot(&cfg, repo) < 0)
		git_error_clear();
	if (rg_git_config_string(&v, cfg, "status.showUntrackedFiles") == RG_OK)
		on = strcasecmp(v, "no") && strcasecmp(v, "false") && strcasecmp(v, "off") && strcmp(v, "0");
	free(v);
	git_config_free(cfg);
	return on;
}

/* A sparse checkout (core.sparseCheckout), rather than skip-worktree bits set by hand. */
static int snap_sparse(git_repository *repo)
{
	git_config *cfg = NULL;
	int v = 0;

	if (git_repository_config_snapshot(&cfg, repo) < 0)
		git_error_clear();
	rg_git_config_bool(&v, cfg, "core.sparsecheckout", 0);
	git_config_free(cfg);
	return v;
}

/*
 * The filter drivers configured (filter.NAME.clean, .smudge or .process):
 * git runs them, libgit2 1.5 never does. Read with a plain config iterator
 * (libgit2's regex matching leaks pcre2 match data).
 */
static char **snap_filter_drivers(git_repository *repo)
{
	git_config *cfg = NULL;
	git_config_iterator *it = NULL;
	git_config_entry *e;
	char **v = NULL;
	size_t n = 0, alloc = 0;

	if (git_repository_config_snapshot(&cfg, repo) < 0 || git_config_iterator_new(&it, cfg) < 0) {
		git_error_clear();
		git_config_free(cfg);
		return NULL;
	}
	while (git_config_next(&e, it) == 0) {
		const char *dot = strrchr(e->name, '.');
		size_t len;

		if (!rg_str_startswith(e->name, "filter.") || !dot || dot <= e->name + 7 ||
		    (strcmp(dot, ".clean") && strcmp(dot, ".smudge") && strcmp(dot, ".process")) ||
		    !e->value || !*e->value)
			continue;
		len = (size_t)(dot - (e->name + 7));
		RG_GROW(v, alloc, n + 2);
		v[n++] = rg_strndup(e->name + 7, len);
		v[n] = NULL;
	}
	git_error_clear();
	git_config_iterator_free(it);
	git_config_free(cfg);
	return v;
}

/*
 * A path whose filter attribute names a configured driver (filter=lfs):
 * libgit2's checkout would write its stored form (an LFS pointer) instead of
 * the file git writes, and a restore could not give its bytes back.
 */
static int snap_check_filter(git_repository *repo, char **drivers, const char *path)
{
	const char *value = NULL;
	char **d;

	if (!drivers || git_attr_get(&value, repo, GIT_ATTR_CHECK_FILE_THEN_INDEX, path, "filter") < 0) {
		git_error_clear();
		return RG_OK;
	}
	if (git_attr_value(value) != GIT_ATTR_VALUE_STRING)
		return RG_OK;
	for (d = drivers; *d; d++) {
		if (!strcmp(*d, value)) {
			rg_error_set("%s uses the filter driver '%s' (filter=%s in .gitattributes), which "
				"libgit2 cannot run: the rollback would write files in their stored form (for git "
				"lfs: pointer files), not as git does; rollback does not support filter drivers "
				"(use git stash -u and git checkout instead)", path, value, value);
			return RG_EREFUSED;
		}
	}
	return RG_OK;
}

/* Every path of the index and of target, when some filter driver is configured. */
static int snap_check_filters(git_repository *repo, git_index *real, const git_tree *target)
{
	char **drivers = snap_filter_drivers(repo);
	git_diff *diff = NULL;
	size_t i, n;
	int r = RG_OK;

	if (!drivers)
		return RG_OK;
	n = git_index_entrycount(real);
	for (i = 0; i < n && r == RG_OK; i++) {
		const git_index_entry *e = git_index_get_byindex(real, i);

		if (e->mode != GIT_FILEMODE_COMMIT)
			r = snap_check_filter(repo, drivers, e->path);
	}
	/* target's paths that the index lacks */
	if (r == RG_OK && target && git_diff_tree_to_index(&diff, repo, (git_tree *)target, real, NULL) < 0)
		r = rg_error_from_git("cannot compare the target with the index");
	n = r == RG_OK && diff ? git_diff_num_deltas(diff) : 0;
	for (i = 0; i < n && r == RG_OK; i++) {
		const git_diff_delta *d = git_diff_get_delta(diff, i);

		if (d->status == GIT_DELTA_DELETED && d->old_file.mode != GIT_FILEMODE_COMMIT)
			r = snap_check_filter(repo, drivers, d->old_file.path);
	}
	git_diff_free(diff);
	rg_strv_free(drivers);
	return r;
}

/* dir's path below the work tree with a trailing '/', or NULL when it is not below it. */
static char *snap_below_workdir(const char *workdir, const char *dir)
{
	char *rel = rg_path_below(workdir, dir), *out = rel && *rel ? rg_printf("%s/", rel) : NULL;

	free(rel);
	return out;
}

/*
 * A git directory inside the work tree under another name than .git
 * (GIT_DIR=repo.git GIT_WORK_TREE=., a dotfiles repository in $HOME):
 * libgit2's status lists its files as untracked, and they must never be
 * saved, let alone removed.
 */
static void snap_find_git_dirs(snap *s)
{
	s->git_dirs[0] = snap_below_workdir(s->workdir, git_repository_path(s->repo));
	s->git_dirs[1] = snap_below_workdir(s->workdir, git_repository_commondir(s->repo));
}

/* Is path the git directory, or in it? */
static int snap_in_git_dir(const snap *s, const char *path)
{
	size_t i;

	for (i = 0; i < RG_ARRAY_SIZE(s->git_dirs); i++) {
		const char *d = s->git_dirs[i];
		size_t n = d ? strlen(d) - 1 : 0;  /* without its '/' */

		if (d && !strncmp(path, d, n) && (path[n] == '\0' || path[n] == '/'))
			return 1;
	}
	return 0;
}

static int snap_kept_out(const snap *s, const char *path)
{
	size_t i;

	for (i = 0; i < s->nsecrets; i++)
		if (!strcmp(s->secrets[i], path))
			return 1;
	return 0;
}

/*
 * A secret or environment file of the work tree (untracked, or changed from
 * the index): its blob would be published by any push of a ref reaching the
 * backup, so it stays out of mem (and of the object database) and is copied
 * aside instead. A tracked one keeps its index entry in mem.
 */
static int snap_keep_out(snap *s, const char *path)
{
	if (!s->secret || !rg_secret_paths_match(s->secret, path))
		return 0;
	if (!snap_kept_out(s, path)) {
		RG_GROW(s->secrets, s->secrets_alloc, s->nsecrets + 1);
		s->secrets[s->nsecrets++] = rg_strdup(path);
	}
	return 1;
}

/* Is dir (below the work tree) a linked worktree of this repository: its .git file names our worktrees/? */
static int snap_is_linked_worktree(const snap *s, const char *dir)
{
	char *dotgit = rg_printf("%s%s%s.git", s->workdir, dir, rg_str_endswith(dir, "/") ? "" : "/");
	char *ours = rg_printf("%sworktrees/", git_repository_commondir(s->repo));
	rg_buf text = RG_BUF_INIT;
	int linked = 0;

	if (rg_buf_read_file(&text, dotgit, 4096) >= 0 && text.ptr && rg_str_startswith(text.ptr, "gitdir: ")) {
		char *gd = rg_strndup(text.ptr + 8, strcspn(text.ptr + 8, "\n")), *real, *ours_real;

		if (gd[0] != '/') { /* relative to the directory of the .git file */
			char *abs = rg_printf("%s%s/%s", s->workdir, dir, gd);

			free(gd);
			gd = abs;
		}
		real = realpath(gd, NULL);
		ours_real = realpath(ours, NULL);

		linked = real && ours_real && !strncmp(real, ours_real, strlen(ours_real)) &&
			real[strlen(ours_real)] == '/';
		free(real);
		free(ours_real);
		free(gd);
	}
	rg_buf_dispose(&text);
	free(ours);
	free(dotgit);
	return linked;
}

/* Add path from the work tree to the in-memory index. */
static int snap_add_file(snap *s, const char *path)
{
	char *full = rg_printf("%s%s", s->workdir, path);
	const git_index_entry *old = git_index_get_bypath(s->mem, path, 0);
	git_index_entry e;
	struct stat st;
	int r = RG_ERROR;

	memset(&e, 0, sizeof(e));
	if (lstat(full, &st) < 0) {
		rg_error_set("%s: cannot read: %s", path, strerror(errno));
		goto out;
	}
	if (S_ISLNK(st.st_mode))
		e.mode = GIT_FILEMODE_LINK;
	else if (S_ISREG(st.st_mode) && s->filemode)
		e.mode = (st.st_mode & S_IXUSR) ? GIT_FILEMODE_BLOB_EXECUTABLE : GIT_FILEMODE_BLOB;
	else if (S_ISREG(st.st_mode))
		e.mode = old && old->mode == GIT_FILEMODE_BLOB_EXECUTABLE ?
			GIT_FILEMODE_BLOB_EXECUTABLE : GIT_FILEMODE_BLOB;
	else if (S_ISDIR(st.st_mode) && snap_is_linked_worktree(s, path)) {
		int n = (int)(strlen(path) - (rg_str_endswith(path, "/") ? 1 : 0));

		rg_error_set("%.*s/ is a linked worktree of this repository (git worktree add) inside the "
			"work tree: its files cannot be saved with this one; move it out (git worktree move "
			"%.*s ../NEW-PATH) or ignore it (add /%.*s/ to .git/info/exclude), then run again",
			n, path, n, path, n, path);
		r = RG_EREFUSED;
		goto out;
	} else if (S_ISDIR(st.st_mode)) {
		rg_error_set("%.*s/ is a directory git does not look into (a nested repository?); "
			"nothing can be rolled back until it is saved: move it out of the work tree "
			"or add it as a submodule, then run again",
			(int)(strlen(path) - (rg_str_endswith(path, "/") ? 1 : 0)), path);
		r = RG_EREFUSED;
		goto out;
	} else {
		rg_error_set("%s is neither a file nor a symbolic link; move it out of the work tree", path);
		r = RG_EREFUSED;
		goto out;
	}
	if (snap_keep_out(s, path)) {
		r = RG_OK;
		goto out;
	}
	if (git_blob_create_from_workdir(&e.id, s->repo, path) < 0) {
		r = rg_error_from_git(path);
		goto out;
	}
	e.path = path;
	e.file_size = (uint32_t)st.st_size;
	if (git_index_add(s->mem, &e) < 0) {
		r = rg_error_from_git(path);
		goto out;
	}
	r = RG_OK;
out:
	free(full);
	return r;
}

/* Is e what HEAD has at its path (nothing new to keep out)? */
static int snap_in_head(const snap *s, const git_index_entry *e)
{
	git_tree_entry *te = NULL;
	int same = s->head_tree && git_tree_entry_bypath(&te, s->head_tree, e->path) == 0 &&
		git_oid_equal(git_tree_entry_id(te), &e->id) && git_tree_entry_filemode(te) == (git_filemode_t)e->mode;

	git_tree_entry_free(te);
	git_error_clear();
	return same;
}

/*
 * A staged secret file that HEAD does not have so: neither I nor W may
 * reach its blob. It is recorded (a restore stages it again) and its work
 * tree file is copied aside, changed or not (W has no entry for it).
 */
static int snap_stage_kept_out(snap *s, const git_index_entry *e)
{
	char *full;
	struct stat st;

	if (!s->secret || !rg_secret_paths_match(s->secret, e->path) || snap_in_head(s, e))
		return 0;
	RG_GROW(s->staged, s->staged_alloc, s->nstaged + 1);
	s->staged[s->nstaged].path = rg_strdup(e->path);
	git_oid_cpy(&s->staged[s->nstaged].id, &e->id);
	s->staged[s->nstaged].mode = e->mode;
	s->nstaged++;
	full = rg_printf("%s%s", s->workdir, e->path);
	if (lstat(full, &st) == 0 && (S_ISREG(st.st_mode) || S_ISLNK(st.st_mode)))
		snap_keep_out(s, e->path);
	free(full);
	return 1;
}

/* Copy the real index (stage 0 only); intent-to-add paths are hashed later. */
static int snap_copy_index(snap *s, git_oid *index_tree, char ***ita, size_t *nita)
{
	size_t i, n = git_index_entrycount(s->real), alloc = 0;

	for (i = 0; i < n; i++) {
		const git_index_entry *e = git_index_get_byindex(s->real, i);

		if (git_index_entry_stage(e) != 0) {
			/* rollback refuses a merge, rebase, cherry-pick or revert in progress before:
			 * this is a conflicting git stash pop or apply, which has no --abort */
			rg_error_set("%s is in conflict (a git stash pop or apply that conflicted keeps the "
				"stash); resolve it (edit, then git add) or undo it (git reset --merge), then "
				"run again", e->path);
			return RG_EREFUSED;
		}
		if ((e->flags_extended & GIT_INDEX_ENTRY_SKIP_WORKTREE) && snap_sparse(s->repo)) {
			/* libgit2 1.5 has no sparse checkout: a checkout would fill the tree */
			rg_error_set("%s is outside the sparse checkout; rollback does not support sparse "
				"checkouts: run git sparse-checkout disable first", e->path);
			return RG_EREFUSED;
		}
		if (e->flags_extended & GIT_INDEX_ENTRY_SKIP_WORKTREE) {
			/* the bit set by hand: the file's own changes are hidden from status, so not saved */
			rg_buf q = RG_BUF_INIT;

			rg_buf_shquote(&q, e->path);
			rg_error_set("%s is marked skip-worktree: changes to it would not be saved; "
				"run git update-index --no-skip-worktree -- %s first (and set it again afterwards)",
				e->path, q.ptr);
			rg_buf_dispose(&q);
			return RG_EREFUSED;
		}
		if (e->flags_extended & GIT_INDEX_ENTRY_INTENT_TO_ADD) {
			RG_GROW(*ita, alloc, *nita + 1);
			(*ita)[(*nita)++] = rg_strdup(e->path);
			continue;
		}
		if (snap_stage_kept_out(s, e))
			continue;
		if (e->flags & GIT_INDEX_ENTRY_VALID) {
			RG_GROW(s->assumed, s->assumed_alloc, s->nassumed + 1);
			s->assumed[s->nassumed++] = rg_strdup(e->path);
		}
		if (git_index_add(s->mem, e) < 0)
			return rg_error_from_git(e->path);
	}
	if (git_index_write_tree_to(index_tree, s->mem, s->repo) < 0)
		return rg_error_from_git("cannot write the index as a tree");
	return RG_OK;
}

static int snap_status(git_status_list **out, git_repository *repo, int untracked)
{
	git_status_options o;

	git_status_options_init(&o, GIT_STATUS_OPTIONS_VERSION);
	o.show = GIT_STATUS_SHOW_WORKDIR_ONLY;
	o.flags = GIT_STATUS_OPT_EXCLUDE_SUBMODULES | GIT_STATUS_OPT_DISABLE_PATHSPEC_MATCH;
	if (untracked)
		o.flags |= GIT_STATUS_OPT_INCLUDE_UNTRACKED | GIT_STATUS_OPT_RECURSE_UNTRACKED_DIRS;
	if (git_status_list_new(out, repo, &o) < 0)
		return rg_error_from_git("cannot read the status of the work tree");
	return RG_OK;
}

static const char *snap_status_path(const git_status_entry *e)
{
	const git_diff_delta *d = e->index_to_workdir;

	return d->new_file.path ? d->new_file.path : d->old_file.path;
}

/*
 * An assume-unchanged path is never compared by the status (libgit2, like
 * git, trusts the flag), yet the checkout overwrites it: hash it as it is.
 */
static int snap_apply_assumed(snap *s)
{
	size_t i;
	int r = RG_OK;

	for (i = 0; i < s->nassumed && r == RG_OK; i++) {
		const char *path = s->assumed[i];
		char *full = rg_printf("%s%s", s->workdir, path);
		struct stat st;

		if (lstat(full, &st) == 0 && !S_ISDIR(st.st_mode))
			r = snap_add_file(s, path);
		else if (git_index_remove(s->mem, path, 0) < 0)
			git_error_clear();
		free(full);
	}
	return r;
}

/* Apply the work tree's differences from the index to s->mem. */
static int snap_apply_status(snap *s, char **ita, size_t nita)
{
	git_status_list *list = NULL;
	size_t i, n;
	int r = snap_status(&list, s->repo, s->untracked);

	n = r == RG_OK ? git_status_list_entrycount(list) : 0;
	for (i = 0; i < n && r == RG_OK; i++) {
		const git_status_entry *e = git_status_byindex(list, i);

		if (snap_in_git_dir(s, snap_status_path(e)))
			continue;
		if (e->status & GIT_STATUS_WT_UNREADABLE) {
			rg_error_set("%s cannot be read; fix its permissions, then run again", snap_status_path(e));
			r = RG_EREFUSED;
		} else if ((e->status & GIT_STATUS_WT_DELETED) &&
		           git_index_remove(s->mem, snap_status_path(e), 0) < 0) {
			git_error_clear(); /* an intent-to-add path is not in mem */
		}
	}
	for (i = 0; i < n && r == RG_OK; i++) {
		const git_status_entry *e = git_status_byindex(list, i);

		if (snap_in_git_dir(s, snap_status_path(e)))
			continue;
		if (e->status & (GIT_STATUS_WT_NEW | GIT_STATUS_WT_MODIFIED | GIT_STATUS_WT_TYPECHANGE))
			r = snap_add_file(s, snap_status_path(e));
	}
	for (i = 0; i < nita && r == RG_OK; i++) {
		struct stat st;
		char *full = rg_printf("%s%s", s->workdir, ita[i]);

		if (lstat(full, &st) == 0 && !git_index_get_bypath(s->mem, ita[i], 0))
			r = snap_add_file(s, ita[i]);
		free(full);
	}
	if (r == RG_OK)
		r = snap_apply_assumed(s);
	git_status_list_free(list);
	return r;
}

/* Save a file the checkout would overwrite unless W already has it (it is ignored). */
static int snap_keep_file(snap *s, const char *path)
{
	int r;

	if (git_index_get_bypath(s->mem, path, 0) || snap_kept_out(s, path))
		return RG_OK;
	if ((r = snap_add_file(s, path)) == RG_OK)
		s->saved_ignored++;
	return r;
}

static int snap_keep_dir_cb(const char *rel, const char *name, const struct stat *st, void *payload)
{
	snap *s = payload;

	if (!strcmp(name, ".git")) {
		char *dir = rg_strndup(rel, strlen(rel) - strlen("/.git"));

		rg_error_set("the target has a file at %s, where the work tree has a nested "
			"repository; move it away first, then run again", dir);
		free(dir);
		return RG_EREFUSED;
	}
	return st && !S_ISDIR(st->st_mode) ? snap_keep_file(s, rel) : RG_OK;
}

/* A directory where the target has a file: the checkout removes it with everything in it. */
static int snap_keep_dir(snap *s, const char *path)
{
	return rg_dirwalk(s->workdir, path, 0, snap_keep_dir_cb, s);
}

/* What the work tree has in the way of the target's path (or of a leading directory of it). */
static int snap_in_way(snap *s, const char *path)
{
	char *p = rg_strdup(path), *slash = p;
	int r = RG_OK;

	for (;;) {
		struct stat st;
		char *full;
		int exists;

		slash = strchr(slash, '/');
		if (slash)
			*slash = '\0';
		full = rg_printf("%s%s", s->workdir, p);
		exists = lstat(full, &st) == 0;
		free(full);
		if (!exists)
			break;
		if (S_ISDIR(st.st_mode) && slash) {
			*slash++ = '/';
			continue;
		}
		r = S_ISDIR(st.st_mode) ? snap_keep_dir(s, p) : snap_keep_file(s, p);
		break;
	}
	free(p);
	return r;
}

/*
 * A checked-out submodule the target does not have (or has as something
 * else): libgit2's forced checkout deletes its whole work tree, changes and
 * untracked files included, and the backup keeps only the gitlink.
 */
static int snap_submodule_gone(snap *s, const char *path)
{
	char *dotgit = rg_printf("%s%s/.git", s->workdir, path);
	rg_buf cmd = RG_BUF_INIT;
	struct stat st;
	int populated = lstat(dotgit, &st) == 0;

	free(dotgit);
	if (!populated)
		return RG_OK;
	rg_buf_puts(&cmd, "git submodule deinit ");
	rg_buf_shquote(&cmd, path);
	rg_error_set("%s is a submodule that the target does not have: the checkout would delete its "
		"work tree, with whatever is not committed in it; run %s (it refuses while the "
		"submodule has changes), then run again", path, cmd.ptr);
	rg_buf_dispose(&cmd);
	return RG_EREFUSED;
}

/* Ignored files where target has a path: the checkout would overwrite them; submodules it would delete. */
static int snap_ignored(snap *s, const git_tree *target)
{
	git_diff *diff = NULL;
	git_diff_options o;
	size_t i, n;
	int r = RG_OK;

	git_diff_options_init(&o, GIT_DIFF_OPTIONS_VERSION);
	if (git_diff_tree_to_index(&diff, s->repo, (git_tree *)target, s->real, &o) < 0)
		return rg_error_from_git("cannot compare the target with the index");
	n = git_diff_num_deltas(diff);
	for (i = 0; i < n && r == RG_OK; i++) {
		const git_diff_delta *d = git_diff_get_delta(diff, i);

		/* in the target, not in the index: maybe an ignored file in the work tree */
		if (d->status == GIT_DELTA_DELETED)
			r = snap_in_way(s, d->old_file.path);
		else if (d->new_file.mode == GIT_FILEMODE_COMMIT && d->old_file.mode != GIT_FILEMODE_COMMIT)
			r = snap_submodule_gone(s, d->new_file.path);
	}
	git_diff_free(diff);
	return r;
}

static int snap_head(rg_snapshot *out, git_repository *repo)
{
	git_commit *c = NULL;

	if (git_reference_name_to_id(&out->head, repo, "HEAD") < 0) {
		git_error_clear();
		rg_error_set("HEAD has no commits yet: there is nothing to roll back");
		return RG_EREFUSED;
	}
	if (git_commit_lookup(&c, repo, &out->head) < 0)
		return rg_error_from_git("cannot read HEAD");
	git_oid_cpy(&out->head_tree, git_commit_tree_id(c));
	git_commit_free(c);
	return RG_OK;
}

/* `git add -N` paths as a tree of empty blobs, so that a restore can mark them again. */
static int snap_ita_tree(git_oid *out, git_repository *repo, char **ita, size_t n)
{
	git_index *idx = NULL;
	git_index_entry e;
	size_t i;
	int r = RG_OK;

	memset(&e, 0, sizeof(e));
	e.mode = GIT_FILEMODE_BLOB;
	if (git_index_new(&idx) < 0 || git_blob_create_from_buffer(&e.id, repo, "", 0) < 0)
		r = rg_error_from_git("cannot record the intent-to-add entries");
	for (i = 0; i < n && r == RG_OK; i++) {
		e.path = ita[i];
		if (git_index_add(idx, &e) < 0)
			r = rg_error_from_git(ita[i]);
	}
	if (r == RG_OK && git_index_write_tree_to(out, idx, repo) < 0)
		r = rg_error_from_git("cannot record the intent-to-add entries");
	git_index_free(idx);
	return r;
}

int rg_snapshot_take(rg_snapshot *out, git_repository *repo, const rg_snapshot_opts *o)
{
	snap s;
	char **ita = NULL;
	size_t nita = 0, i;
	int r;

	memset(out, 0, sizeof(*out));
	memset(&s, 0, sizeof(s));
	s.repo = repo;
	s.workdir = git_repository_workdir(repo);
	if (!s.workdir) {
		rg_error_set("this repository has no work tree");
		return RG_EUSAGE;
	}
	s.secret = o->secret;
	out->secret = o->secret;
	s.filemode = snap_filemode(repo);
	s.untracked = snap_untracked(repo);
	out->untracked_off = !s.untracked;
	if ((r = snap_head(out, repo)) < 0)
		return r;
	if (git_tree_lookup(&s.head_tree, repo, &out->head_tree) < 0) {
		r = rg_error_from_git("cannot read HEAD's tree");
		goto out;
	}
	if (git_repository_index(&s.real, repo) < 0 || git_index_read(s.real, 1) < 0) {
		r = rg_error_from_git_index("cannot read the index");
		goto out;
	}
	if (git_index_new(&s.mem) < 0) {
		r = rg_error_from_git("cannot create an index in memory");
		goto out;
	}
	snap_find_git_dirs(&s);
	r = snap_check_filters(repo, s.real, o->target);
	if (r == RG_OK)
		r = snap_copy_index(&s, &out->index_tree, &ita, &nita);
	if (r == RG_OK)
		r = snap_apply_status(&s, ita, nita);
	if (r == RG_OK && o->target)
		r = snap_ignored(&s, o->target);
	for (i = 0; i < o->nway && r == RG_OK; i++)
		if (!git_index_get_bypath(s.real, o->way[i], 0))
			r = snap_in_way(&s, o->way[i]);
	if (r == RG_OK && git_index_write_tree_to(&out->work_tree, s.mem, repo) < 0)
		r = rg_error_from_git("cannot write the work tree as a tree");
	if (r == RG_OK && nita)
		r = snap_ita_tree(&out->ita_tree, repo, ita, nita);
	out->has_ita = nita > 0;
	out->saved_ignored = s.saved_ignored;
	out->secrets = s.secrets;
	out->nsecrets = s.nsecrets;
	out->staged = s.staged;
	out->nstaged = s.nstaged;
	s.secrets = NULL;
	s.nsecrets = 0;
	s.staged = NULL;
	s.nstaged = 0;
out:
	for (i = 0; i < s.nsecrets; i++)
		free(s.secrets[i]);
	free(s.secrets);
	for (i = 0; i < s.nstaged; i++)
		free(s.staged[i].path);
	free(s.staged);
	git_tree_free(s.head_tree);
	for (i = 0; i < nita; i++)
		free(ita[i]);
	free(ita);
	for (i = 0; i < s.nassumed; i++)
		free(s.assumed[i]);
	free(s.assumed);
	free(s.git_dirs[0]);
	free(s.git_dirs[1]);
	git_index_free(s.mem);
	git_index_free(s.real);
	return r;
}

void rg_snapshot_dispose(rg_snapshot *s)
{
	size_t i;

	for (i = 0; i < s->nsecrets; i++)
		free(s->secrets[i]);
	free(s->secrets);
	for (i = 0; i < s->nstaged; i++)
		free(s->staged[i].path);
	free(s->staged);
	s->secrets = NULL;
	s->nsecrets = 0;
	s->staged = NULL;
	s->nstaged = 0;
}

int rg_snapshot_clean(const rg_snapshot *s)
{
	return !s->has_ita && !s->nsecrets && !s->nstaged && git_oid_equal(&s->index_tree, &s->head_tree) &&
		git_oid_equal(&s->work_tree, &s->head_tree);
}
