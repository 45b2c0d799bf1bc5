/*
 * restore.c: putting a tree into the work tree after a backup: the hard
 * reset of a rollback and the restore of a backup (backup.h), through
 * git_checkout_tree, git_reset and git_index. Each ends by taking a new
 * snapshot and comparing it with what was asked for, so that a libgit2
 * checkout that silently left something out is an error, not a surprise.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "repoguard/backup.h"
#include "repoguard/common.h"

typedef struct {
	git_repository *repo;
	const char *wd;
	const rg_snapshot *saved;
} rs;

static int rs_diff(git_diff **out, rs *x, git_tree *next)
{
	git_tree *cur = NULL;
	git_diff_options o;
	int r = RG_OK;

	git_diff_options_init(&o, GIT_DIFF_OPTIONS_VERSION);
	o.flags = GIT_DIFF_INCLUDE_TYPECHANGE;
	if (git_tree_lookup(&cur, x->repo, &x->saved->work_tree) < 0 ||
	    git_diff_tree_to_tree(out, x->repo, cur, next, &o) < 0)
		r = rg_error_from_git("cannot compare the saved state with the target");
	git_tree_free(cur);
	return r;
}

static int rs_unlink(rs *x, const char *path, int links_only)
{
	char *full = rg_printf("%s%s", x->wd, path);
	struct stat st;
	int r = RG_OK;

	if (lstat(full, &st) == 0 && !S_ISDIR(st.st_mode) && (!links_only || S_ISLNK(st.st_mode)) &&
	    unlink(full) < 0) {
		rg_error_set("%s: cannot remove: %s", path, strerror(errno));
		r = RG_ERROR;
	}
	/* leave no empty directory behind (rmdir fails on the first non-empty one) */
	while (r == RG_OK && !links_only) {
		char *slash = strrchr(full, '/');

		if (!slash || (size_t)(slash - full) < strlen(x->wd))
			break;
		*slash = '\0';
		if (rmdir(full) < 0)
			break;
	}
	free(full);
	return r;
}

/*
 * Symbolic links where the next tree differs: libgit2 1.5's forced checkout
 * writes a file through a link standing at its path, into the link's target
 * (which may be outside the work tree). They are in the backup.
 */
static int rs_unlink_links(rs *x, git_tree *next)
{
	git_diff *diff = NULL;
	size_t i, n;
	int r = rs_diff(&diff, x, next);

	n = r == RG_OK ? git_diff_num_deltas(diff) : 0;
	for (i = 0; i < n && r == RG_OK; i++) {
		const git_diff_delta *d = git_diff_get_delta(diff, i);

		if (d->old_file.mode == GIT_FILEMODE_LINK)
			r = rs_unlink(x, d->old_file.path, 1);
	}
	git_diff_free(diff);
	return r;
}

/*
 * The saved state's files that the index does not have (untracked, and
 * ignored ones in the way): the checkout never writes them, so removing them
 * is this file's work. Only those the saved state holds are candidates,
 * never GIT_CHECKOUT_REMOVE_UNTRACKED's "whatever else is untracked by then".
 */
static int rs_untracked(char ***out, size_t *n, rs *x)
{
	git_tree *cur = NULL;
	git_index *idx = NULL;
	git_diff *diff = NULL;
	size_t i, nd, alloc = 0;
	int r = RG_OK;

	*out = NULL;
	*n = 0;
	if (git_tree_lookup(&cur, x->repo, &x->saved->work_tree) < 0 ||
	    git_repository_index(&idx, x->repo) < 0 ||
	    git_diff_tree_to_index(&diff, x->repo, cur, idx, NULL) < 0)
		r = rg_error_from_git("cannot compare the saved state with the index");
	nd = r == RG_OK ? git_diff_num_deltas(diff) : 0;
	for (i = 0; i < nd; i++) {
		const git_diff_delta *d = git_diff_get_delta(diff, i);

		if (d->status != GIT_DELTA_DELETED)
			continue;
		RG_GROW(*out, alloc, *n + 1);
		(*out)[(*n)++] = rg_strdup(d->old_file.path);
	}
	/* the secret files kept out of W: saved aside, and untracked alike */
	for (i = 0; r == RG_OK && i < x->saved->nsecrets; i++) {
		RG_GROW(*out, alloc, *n + 1);
		(*out)[(*n)++] = rg_strdup(x->saved->secrets[i]);
	}
	git_diff_free(diff);
	git_index_free(idx);
	git_tree_free(cur);
	return r;
}

/* Does next need path's place: an entry at path, or a file where path has a directory? */
static int rs_in_way(git_tree *next, const char *path)
{
	char *q = rg_strdup(path), *slash = q;
	int way = 0;

	while (!way) {
		git_tree_entry *e = NULL;

		slash = strchr(slash, '/');
		if (slash)
			*slash = '\0';
		if (git_tree_entry_bypath(&e, next, q) == 0)
			way = !slash || git_tree_entry_type(e) != GIT_OBJECT_TREE;
		else
			git_error_clear();
		git_tree_entry_free(e);
		if (!slash)
			break;
		*slash++ = '/';
	}
	free(q);
	return way;
}

/*
 * Before the checkout, the untracked files in next's way (a forced checkout
 * stops at an untracked file in a directory that must become a file); after
 * it, the others, except what next's .gitignore files, now in place, ignore.
 * So a file ignored when it was saved, and untracked under the rules it
 * comes back to, is never removed: an undo keeps the node_modules/ or .env
 * that a rollback past their .gitignore left untracked.
 */
static int rs_clear_untracked(rs *x, git_tree *next, char **paths, size_t n, int after)
{
	size_t i;
	int r = RG_OK;

	for (i = 0; i < n && r == RG_OK; i++) {
		int ignored = 0;

		if (!paths[i] || rs_in_way(next, paths[i]) == after)
			continue;
		if (after && git_ignore_path_is_ignored(&ignored, x->repo, paths[i]) < 0)
			return rg_error_from_git(paths[i]);
		if (!ignored)
			r = rs_unlink(x, paths[i], 0);
		free(paths[i]);
		paths[i] = NULL;
	}
	return r;
}

/* The work tree becomes next, whatever it held (all of it saved). */
static int rs_checkout(rs *x, git_tree *next)
{
	git_checkout_options o;
	char **untracked = NULL;
	size_t n = 0;
	int r;

	git_checkout_options_init(&o, GIT_CHECKOUT_OPTIONS_VERSION);
	o.checkout_strategy = GIT_CHECKOUT_FORCE;
	if ((r = rs_unlink_links(x, next)) == RG_OK && (r = rs_untracked(&untracked, &n, x)) == RG_OK &&
	    (r = rs_clear_untracked(x, next, untracked, n, 0)) == RG_OK) {
		if (git_checkout_tree(x->repo, (git_object *)next, &o) < 0)
			r = rg_error_from_git("checkout failed");
		else
			r = rs_clear_untracked(x, next, untracked, n, 1);
	}
	while (n)
		free(untracked[--n]);
	free(untracked);
	return r;
}

/*
 * Is now's work tree want, but for files the saved state does not hold?
 * Those were ignored when it was taken, and nothing touched them: under
 * want's .gitignore files they may be untracked (the rollback went past the
 * commit that ignored them). *kept counts them.
 */
static int rs_same_but_ignored(size_t *kept, rs *x, const git_oid *want, const git_oid *now)
{
	git_tree *a = NULL, *b = NULL, *saved = NULL;
	git_diff *diff = NULL;
	size_t i, n;
	int same = 0;

	*kept = 0;
	if (git_tree_lookup(&a, x->repo, want) == 0 && git_tree_lookup(&b, x->repo, now) == 0 &&
	    git_tree_lookup(&saved, x->repo, &x->saved->work_tree) == 0 &&
	    git_diff_tree_to_tree(&diff, x->repo, a, b, NULL) == 0) {
		n = git_diff_num_deltas(diff);
		for (same = 1, i = 0; i < n && same; i++) {
			const git_diff_delta *d = git_diff_get_delta(diff, i);
			git_tree_entry *e = NULL;

			same = d->status == GIT_DELTA_ADDED &&
				git_tree_entry_bypath(&e, saved, d->new_file.path) == GIT_ENOTFOUND;
			git_tree_entry_free(e);
		}
		*kept = same ? n : 0;
	}
	git_error_clear();
	git_diff_free(diff);
	git_tree_free(saved);
	git_tree_free(b);
	git_tree_free(a);
	return same;
}

static int rs_listed(char **v, size_t n, const char *path)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(v[i], path))
			return 1;
	return 0;
}

/*
 * The secret files kept out of git: those of the restored backup w (kept,
 * nkept) must be back as saved; any other one now untracked must be a file
 * that was ignored when the saved state was taken and that nothing touched
 * (counted in *left), never one the saved state holds.
 */
static int rs_verify_kept_out(size_t *left, rs *x, const rg_snapshot *now, const git_oid *w,
	char **kept, size_t nkept)
{
	git_tree *saved = NULL;
	size_t i;
	int ok = git_tree_lookup(&saved, x->repo, &x->saved->work_tree) == 0;

	for (i = 0; ok && i < nkept; i++)
		ok = rg_backup_files_same(x->repo, w, kept[i]);
	for (i = 0; ok && i < now->nsecrets; i++) {
		const char *p = now->secrets[i];
		git_tree_entry *e = NULL;

		if (rs_listed(kept, nkept, p))
			continue;
		ok = !rs_listed(x->saved->secrets, x->saved->nsecrets, p) &&
			git_tree_entry_bypath(&e, saved, p) == GIT_ENOTFOUND;
		git_tree_entry_free(e);
		*left += ok;
	}
	git_error_clear();
	git_tree_free(saved);
	return ok;
}

/* Are the staged secret files those of backup w (none for a rollback: w NULL)? */
static int rs_verify_staged(rs *x, const rg_snapshot *now, const git_oid *w, char **staged, size_t n)
{
	size_t i, j;
	int ok = now->nstaged == n;

	for (i = 0; ok && i < n; i++) {
		git_oid id;
		uint32_t mode = 0;

		ok = rg_backup_files_staged(&id, &mode, x->repo, w, staged[i], 0) == RG_OK;
		for (j = 0; ok && j < now->nstaged && strcmp(now->staged[j].path, staged[i]); j++)
			;
		ok = ok && j < now->nstaged && git_oid_equal(&now->staged[j].id, &id) &&
			now->staged[j].mode == mode;
	}
	rg_error_clear();
	return ok;
}

/* Does the work tree (and index, HEAD) now hold what was asked for? */
static int rs_verify(size_t *kept, rs *x, const git_oid *head, const git_oid *index, const git_oid *work,
	const git_oid *ita, const git_oid *w, char **kept_out, size_t nkept, char **staged, size_t nstaged)
{
	rg_snapshot now;
	rg_snapshot_opts o;
	git_tree *want = NULL;
	int r;

	*kept = 0;
	if (git_tree_lookup(&want, x->repo, work) < 0)
		return rg_error_from_git("cannot read the target");
	memset(&o, 0, sizeof(o));
	o.target = want;
	o.secret = x->saved->secret;
	r = rg_snapshot_take(&now, x->repo, &o);
	git_tree_free(want);
	if (r < 0)
		return r;
	if (!git_oid_equal(&now.head, head) || !git_oid_equal(&now.index_tree, index) ||
	    (!git_oid_equal(&now.work_tree, work) && !rs_same_but_ignored(kept, x, work, &now.work_tree)) ||
	    now.has_ita != (ita != NULL) || (ita && !git_oid_equal(&now.ita_tree, ita)) ||
	    !rs_verify_kept_out(kept, x, &now, w, kept_out, nkept) ||
	    !rs_verify_staged(x, &now, w, staged, nstaged)) {
		rg_error_set("the work tree does not hold exactly what was asked for afterwards");
		r = RG_ERROR;
	}
	rg_snapshot_dispose(&now);
	return r;
}

int rg_backup_reset_hard(size_t *unignored, git_repository *repo, const rg_snapshot *saved,
	const git_oid *target)
{
	rs x = { repo, git_repository_workdir(repo), saved };
	git_commit *c = NULL;
	git_tree *tree = NULL;
	int r;

	if (git_commit_lookup(&c, repo, target) < 0 || git_commit_tree(&tree, c) < 0) {
		r = rg_error_from_git("cannot read the rollback target");
		goto out;
	}
	if ((r = rs_checkout(&x, tree)) < 0)
		goto out;
	/*
	 * The checkout wrote the index too; now HEAD. Not GIT_RESET_HARD: its
	 * own checkout, from the old HEAD's tree, deletes a file that replaced a
	 * directory (libgit2 1.5).
	 */
	if (git_reset(repo, (git_object *)c, GIT_RESET_SOFT, NULL) < 0) {
		r = rg_error_from_git("cannot move HEAD");
		goto out;
	}
	r = rs_verify(unignored, &x, target, git_tree_id(tree), git_tree_id(tree), NULL, NULL, NULL, 0, NULL, 0);
out:
	git_tree_free(tree);
	git_commit_free(c);
	return r;
}

typedef struct {
	git_index *idx;
	git_oid empty;
} rs_ita;

static int rs_add_ita(const char *root, const git_tree_entry *e, void *payload)
{
	rs_ita *a = payload;
	git_index_entry ie;
	char *path;
	int r;

	if (git_tree_entry_type(e) != GIT_OBJECT_BLOB)
		return 0;
	memset(&ie, 0, sizeof(ie));
	path = rg_printf("%s%s", root, git_tree_entry_name(e));
	ie.path = path;
	ie.mode = GIT_FILEMODE_BLOB;
	git_oid_cpy(&ie.id, &a->empty);
	ie.flags_extended = GIT_INDEX_ENTRY_INTENT_TO_ADD;
	r = git_index_add(a->idx, &ie);
	free(path);
	return r;
}

/*
 * The checkout left the index at W with fresh stat data; turn it into I
 * entry by entry (git_index_read_tree would drop the stat data of every
 * entry, and the next status would hash the whole work tree again).
 */
static int rs_index_to(git_index *idx, git_repository *repo, git_tree *wtree, git_tree *itree)
{
	git_diff *diff = NULL;
	git_diff_options o;
	size_t i, n;
	int r = RG_OK;

	git_diff_options_init(&o, GIT_DIFF_OPTIONS_VERSION);
	o.flags = GIT_DIFF_INCLUDE_TYPECHANGE;
	if (git_diff_tree_to_tree(&diff, repo, wtree, itree, &o) < 0)
		return rg_error_from_git("cannot compare the saved index with the work tree");
	n = git_diff_num_deltas(diff);
	for (i = 0; i < n && r == RG_OK; i++) {
		const git_diff_delta *d = git_diff_get_delta(diff, i);
		git_index_entry e;

		if (d->status == GIT_DELTA_DELETED) {
			if (git_index_remove(idx, d->old_file.path, 0) < 0)
				r = rg_error_from_git(d->old_file.path);
			continue;
		}
		/* no stat data: the file differs from this entry, status must look */
		memset(&e, 0, sizeof(e));
		e.path = d->new_file.path;
		e.mode = d->new_file.mode;
		git_oid_cpy(&e.id, &d->new_file.id);
		if (git_index_add(idx, &e) < 0)
			r = rg_error_from_git(d->new_file.path);
	}
	git_diff_free(diff);
	return r;
}

/* The staged secret files kept out of I, staged again (their blobs written: no ref reaches them). */
static int rs_index_staged(git_index *idx, git_repository *repo, const git_oid *w, char **staged, size_t n)
{
	size_t i;
	int r = RG_OK;

	for (i = 0; i < n && r == RG_OK; i++) {
		git_index_entry e;

		memset(&e, 0, sizeof(e));
		e.path = staged[i];
		if ((r = rg_backup_files_staged(&e.id, &e.mode, repo, w, staged[i], 1)) == RG_OK &&
		    git_index_add(idx, &e) < 0)
			r = rg_error_from_git(staged[i]);
	}
	return r;
}

/* The index as it was: I's tree, plus the intent-to-add entries of T and the staged secret files. */
static int rs_index(git_repository *repo, git_tree *wtree, git_tree *itree, const rg_backup_info *info,
	const git_oid *w, char **staged, size_t nstaged)
{
	git_index *idx = NULL;
	git_commit *t = NULL;
	git_tree *ttree = NULL;
	rs_ita a;
	int r = RG_OK;

	if (git_repository_index(&idx, repo) < 0 || git_index_read(idx, 1) < 0)
		r = rg_error_from_git("cannot read the index");
	if (r == RG_OK)
		r = rs_index_to(idx, repo, wtree, itree);
	if (r == RG_OK && info->has_ita) {
		a.idx = idx;
		if (git_blob_create_from_buffer(&a.empty, repo, "", 0) < 0 ||
		    git_commit_lookup(&t, repo, &info->ita) < 0 || git_commit_tree(&ttree, t) < 0 ||
		    git_tree_walk(ttree, GIT_TREEWALK_PRE, rs_add_ita, &a) < 0)
			r = rg_error_from_git("cannot restore the intent-to-add entries");
	}
	if (r == RG_OK)
		r = rs_index_staged(idx, repo, w, staged, nstaged);
	if (r == RG_OK && git_index_write(idx) < 0)
		r = rg_error_from_git("cannot write the index");
	git_tree_free(ttree);
	git_commit_free(t);
	git_index_free(idx);
	return r;
}

int rg_backup_restore(size_t *unignored, git_repository *repo, const rg_snapshot *saved, const git_oid *w)
{
	rs x = { repo, git_repository_workdir(repo), saved };
	rg_backup_info info;
	git_commit *wc = NULL, *ic = NULL, *hc = NULL, *tc = NULL;
	git_tree *wtree = NULL, *itree = NULL, *ttree = NULL;
	char **kept = NULL, **staged = NULL;
	size_t nkept = 0, nstaged = 0;
	int r = RG_ERROR;

	if (rg_backup_parse(&info, repo, w) < 0) {
		rg_error_set("not a repoguard backup commit");
		return RG_ERROR;
	}
	if (git_commit_lookup(&wc, repo, w) < 0 || git_commit_tree(&wtree, wc) < 0 ||
	    git_commit_lookup(&ic, repo, &info.index) < 0 || git_commit_tree(&itree, ic) < 0 ||
	    git_commit_lookup(&hc, repo, &info.head) < 0 ||
	    (info.has_ita && (git_commit_lookup(&tc, repo, &info.ita) < 0 ||
	                      git_commit_tree(&ttree, tc) < 0))) {
		r = rg_error_from_git("cannot read the backup");
		goto out;
	}
	if ((info.kept_out || info.kept_staged) &&
	    ((r = rg_backup_files_list(&kept, &nkept, repo, w, 0)) < 0 ||
	     (r = rg_backup_files_list(&staged, &nstaged, repo, w, 1)) < 0))
		goto out;
	/* the files (and those kept out of git), then HEAD (branch or detached) alone, then the index */
	if ((r = rs_checkout(&x, wtree)) < 0 || (r = rg_backup_files_put(repo, w, kept, nkept)) < 0)
		goto out;
	if (git_reset(repo, (git_object *)hc, GIT_RESET_SOFT, NULL) < 0) {
		r = rg_error_from_git("cannot move HEAD back");
		goto out;
	}
	if ((r = rs_index(repo, wtree, itree, &info, w, staged, nstaged)) < 0)
		goto out;
	r = rs_verify(unignored, &x, &info.head, git_tree_id(itree), git_tree_id(wtree),
		ttree ? git_tree_id(ttree) : NULL, w, kept, nkept, staged, nstaged);
out:
	while (nkept)
		free(kept[--nkept]);
	free(kept);
	while (nstaged)
		free(staged[--nstaged]);
	free(staged);
	rg_backup_info_free(&info);
	git_tree_free(ttree);
	git_tree_free(itree);
	git_tree_free(wtree);
	git_commit_free(tc);
	git_commit_free(hc);
	git_commit_free(ic);
	git_commit_free(wc);
	return r;
}
