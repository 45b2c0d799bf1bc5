/*
 * cmd-rollback.c: `repoguard rollback [CHECKPOINT] [--dry-run]`.
 *
 * Saves everything first (include/repoguard/backup.h), then resets the
 * branch, index and work tree to the checkpoint with libgit2. Given a backup
 * (refs/repoguard/backup/NAME or its branch) it restores that backup instead,
 * saving the current state first when it holds anything the backup does not.
 * --dry-run computes the same in an in-memory object database and changes
 * nothing. Documented in docs/checkpoint.md.
 */
#include <getopt.h>
#include <sys/stat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <git2/sys/mempack.h>
#include <git2/sys/odb_backend.h>

#include "repoguard/backup.h"
#include "repoguard/buf.h"
#include "repoguard/checkpoint.h"
#include "repoguard/cmd.h"
#include "repoguard/walk.h"

#define RB_MAX_LINES 30

static int cmd_rollback(int argc, char **argv);

const rg_cmd_entry rg_cmd_rollback = {
	"rollback",
	"repoguard rollback [CHECKPOINT | BACKUP] [--dry-run] [--config FILE]",
	"save everything, then reset the branch and work tree to a checkpoint",
	"Saves HEAD with every staged, unstaged and untracked (not ignored) change as a\n"
	"commit on refs/repoguard/backup/<branch>-<time> (not a branch: git push --all\n"
	"leaves it alone), then resets the branch, index and work tree to\n"
	"CHECKPOINT (default: the newest checkpoint tag in HEAD's history). It prints the\n"
	"commits and files rolled back and the command that restores them:\n"
	"`repoguard rollback refs/repoguard/backup/NAME` puts a backup back exactly\n"
	"(HEAD, index, work tree). --dry-run shows all of it and changes nothing.\n"
	"Exit status: 0 done, 1 refused (nothing changed), 2 usage, 3 configuration, 4 error.",
	cmd_rollback,
	0
};

static const struct option rb_opts[] = {
	{ "dry-run", no_argument, NULL, 'n' },
	{ "config", required_argument, NULL, 'c' },
	{ NULL, 0, NULL, 0 }
};

typedef struct {
	rg_ckpt_session s;
	int dry;
	const char *arg;
	char *label;           /* what we roll back to, as the user knows it */
	git_oid target;        /* rollback: the commit; restore: the backup commit W */
	int restore;
	git_tree *target_tree; /* the tree the work tree will hold */
	rg_snapshot snap;
	rg_secret_paths secret; /* kept out of git objects */
	char **kept;           /* restore: the backup's files kept out of git */
	size_t nkept;
} rb;

static const char *rb_branch(const rb *x)
{
	return x->s.ctx.branch ? x->s.ctx.branch : "detached";
}

/* a branch name as messages show it: the backups' "detached" is HEAD (detached) */
static const char *rb_shown(const char *branch)
{
	return strcmp(branch, "detached") ? branch : "HEAD (detached)";
}

static const char *rb_where(const rb *x)
{
	return x->s.ctx.branch ? x->s.ctx.branch : "HEAD (detached)";
}

static void rb_reverse(git_oid *ids, size_t n)
{
	size_t i;

	for (i = 0; i < n / 2; i++) {
		git_oid t = ids[i];

		ids[i] = ids[n - 1 - i];
		ids[n - 1 - i] = t;
	}
}

static void rb_print_commits(git_repository *repo, const git_oid *push, const git_oid *hide,
	const char *header)
{
	git_revwalk *w = NULL;
	git_oid id, *ids = NULL;
	size_t n = 0, alloc = 0, i;

	if (git_repository_is_shallow(repo) == 1 &&
	    rg_walk_shallow(&ids, &n, repo, push, 1, hide, hide ? 1 : 0) == RG_OK) {
		rb_reverse(ids, n); /* parents first: newest first, as below */
	} else if (git_revwalk_new(&w, repo) == 0 && git_revwalk_push(w, push) == 0) {
		git_revwalk_sorting(w, GIT_SORT_TOPOLOGICAL | GIT_SORT_TIME);
		if (hide)
			git_revwalk_hide(w, hide);
		while (git_revwalk_next(&id, w) == 0) {
			RG_GROW(ids, alloc, n + 1);
			git_oid_cpy(&ids[n++], &id);
		}
	}
	git_error_clear();
	git_revwalk_free(w);
	printf("%s (%zu):\n", header, n);
	for (i = 0; i < n && i < RB_MAX_LINES; i++) {
		rg_buf b = RG_BUF_INIT;

		rg_ckpt_describe_commit(&b, repo, &ids[i], NULL);
		printf("  %s\n", b.ptr);
		rg_buf_dispose(&b);
	}
	if (n > RB_MAX_LINES)
		printf("  ... and %zu more\n", n - RB_MAX_LINES);
	free(ids);
}

static void rb_print_delta(const git_diff_delta *d)
{
	rg_buf b = RG_BUF_INIT;
	char st = git_diff_status_char(d->status);

	if (d->status == GIT_DELTA_MODIFIED && d->old_file.mode != d->new_file.mode &&
	    git_oid_equal(&d->old_file.id, &d->new_file.id))
		st = 'T'; /* mode only: executable bit */
	rg_buf_cquote(&b, d->old_file.path);
	if (d->status == GIT_DELTA_RENAMED || d->status == GIT_DELTA_COPIED) {
		rg_buf_puts(&b, " -> ");
		rg_buf_cquote(&b, d->new_file.path);
	}
	printf("  %c %s\n", st, b.ptr);
	rg_buf_dispose(&b);
}

static int rb_print_files(git_repository *repo, const git_oid *from, const git_oid *to,
	const char *header)
{
	git_tree *a = NULL, *b = NULL;
	git_diff *diff = NULL;
	git_diff_find_options fo;
	git_diff_options o;
	size_t i, n;
	int r = RG_OK;

	git_diff_find_options_init(&fo, GIT_DIFF_FIND_OPTIONS_VERSION);
	fo.flags = GIT_DIFF_FIND_RENAMES;
	git_diff_options_init(&o, GIT_DIFF_OPTIONS_VERSION);
	o.flags = GIT_DIFF_INCLUDE_TYPECHANGE;
	if (git_tree_lookup(&a, repo, from) < 0 || git_tree_lookup(&b, repo, to) < 0 ||
	    git_diff_tree_to_tree(&diff, repo, a, b, &o) < 0 || git_diff_find_similar(diff, &fo) < 0) {
		r = rg_error_from_git("cannot compare the trees");
		goto out;
	}
	n = git_diff_num_deltas(diff);
	printf("%s (%zu):\n", header, n);
	for (i = 0; i < n && i < RB_MAX_LINES; i++)
		rb_print_delta(git_diff_get_delta(diff, i));
	if (n > RB_MAX_LINES)
		printf("  ... and %zu more\n", n - RB_MAX_LINES);
out:
	git_diff_free(diff);
	git_tree_free(a);
	git_tree_free(b);
	return r;
}

/* --dry-run: every object goes to memory and is dropped at exit. */
static int rb_dry_odb(git_repository *repo)
{
	git_odb *odb = NULL;
	git_odb_backend *mem = NULL;
	int r = RG_OK;

	if (git_repository_odb(&odb, repo) < 0 || git_mempack_new(&mem) < 0 ||
	    git_odb_add_backend(odb, mem, 1000) < 0)
		r = rg_error_from_git("cannot set up the dry run");
	git_odb_free(odb);
	return r;
}

/* Which commit, and is it a backup? */
static int rb_resolve(rb *x)
{
	git_repository *repo = x->s.repo;
	git_object *obj = NULL, *c = NULL;
	git_reference *ref = NULL;
	rg_backup_info info;
	int r = RG_OK;

	if (!x->arg) {
		rg_ckpt_list l;
		const rg_ckpt *last;

		if ((r = rg_ckpt_list_load(&l, repo, &x->s.ck)) < 0)
			return r;
		last = rg_ckpt_last_in_history(repo, &l, &x->snap.head, x->s.ctx.now);
		if (last) {
			git_oid_cpy(&x->target, &last->commit);
			x->label = rg_strdup(last->name);
		} else {
			rg_buf p = RG_BUF_INIT;

			rg_ckpt_patterns_str(&p, &x->s.ck);
			rg_error_set("no checkpoint in the history of %s (tags matching %s); "
				"name one (repoguard rollback TAG), or make one: repoguard checkpoint",
				rb_where(x), p.ptr);
			rg_buf_dispose(&p);
			r = RG_EREFUSED;
		}
		rg_ckpt_list_free(&l);
		return r;
	}
	if (git_revparse_ext(&obj, &ref, repo, x->arg) < 0) {
		git_error_clear();
		rg_error_set("'%s' is not a checkpoint, tag, branch or commit of this repository", x->arg);
		r = RG_EUSAGE;
		goto out;
	}
	if (git_object_peel(&c, obj, GIT_OBJECT_COMMIT) < 0) {
		git_object *peeled = NULL;

		git_error_clear();
		if (git_object_peel(&peeled, obj, GIT_OBJECT_ANY) < 0)
			peeled = NULL;
		git_error_clear();
		rg_error_set("'%s' points at a %s, not at a commit: there is nothing to roll back to", x->arg,
			git_object_type2string(git_object_type(peeled ? peeled : obj)));
		git_object_free(peeled);
		r = RG_EUSAGE;
		goto out;
	}
	git_oid_cpy(&x->target, git_object_id(c));
	x->label = rg_strdup(x->arg);
	x->restore = rg_backup_parse(&info, repo, &x->target) == RG_OK;
	rg_backup_info_free(&info);
	if (!x->restore && ref && (rg_str_startswith(git_reference_name(ref), RG_BACKUP_REFS) ||
	    rg_str_startswith(git_reference_name(ref), RG_BACKUP_BRANCHES))) {
		rg_error_set("%s is not a backup made by repoguard rollback", x->arg);
		r = RG_EUSAGE;
	}
out:
	git_object_free(c);
	git_object_free(obj);
	git_reference_free(ref);
	return r;
}

/* Another git process (or a crashed one) holds the index: the checkout would fail halfway. */
static int rb_check_index_lock(rb *x)
{
	char *lock = rg_printf("%sindex.lock", git_repository_path(x->s.repo));
	struct stat st;
	int locked = lstat(lock, &st) == 0;
	int r = RG_OK;

	if (locked) {
		rg_error_set("the index is locked (%s exists): another git process is running, or one "
			"crashed; wait for it, or remove the file if no git process is running, then run again",
			lock);
		r = RG_EREFUSED;
	}
	free(lock);
	return r;
}

static int rb_check_state(rb *x)
{
	static const char *const names[] = {
		"", "a merge", "a revert", "a revert sequence", "a cherry-pick",
		/* git 2.26+ leaves rebase-merge/interactive for a plain rebase too: libgit2 says interactive */
		"a cherry-pick sequence", "a bisect", "a rebase", "a rebase",
		"a rebase", "git am", "git am or a rebase"
	};
	static const char *const aborts[] = {
		"", "git merge --abort", "git revert --abort", "git revert --abort",
		"git cherry-pick --abort", "git cherry-pick --abort", "git bisect reset",
		"git rebase --abort", "git rebase --abort", "git rebase --abort", "git am --abort",
		"git am --abort or git rebase --abort"
	};
	int st = git_repository_state(x->s.repo);
	int known = st > 0 && (size_t)st < RG_ARRAY_SIZE(names);

	if (git_repository_is_bare(x->s.repo)) {
		rg_error_set("rollback needs a work tree; this repository is bare");
		return RG_EUSAGE;
	}
	if (st != GIT_REPOSITORY_STATE_NONE) {
		rg_error_set("%s is in progress; finish it or abort it (%s), then run again",
			known ? names[st] : "an operation",
			known ? aborts[st] : "e.g. git merge --abort, git rebase --abort");
		return RG_EREFUSED;
	}
	return rb_check_index_lock(x);
}

/* The tree that will be in the work tree afterwards. */
static int rb_target_tree(rb *x)
{
	git_commit *c = NULL;
	int r = RG_OK;

	if (git_commit_lookup(&c, x->s.repo, &x->target) < 0 || git_commit_tree(&x->target_tree, c) < 0)
		r = rg_error_from_git("cannot read the target");
	git_commit_free(c);
	return r;
}

/* The names of the files kept out of git (not their contents): they are in no file list above. */
static void rb_print_kept(const rg_snapshot *snap)
{
	size_t i, shown = 0;

	for (i = 0; i < snap->nsecrets + snap->nstaged && shown < RB_MAX_LINES; i++, shown++) {
		rg_buf q = RG_BUF_INIT;
		int staged = i >= snap->nsecrets;

		rg_buf_cquote(&q, staged ? snap->staged[i - snap->nsecrets].path : snap->secrets[i]);
		printf("  %s%s\n", q.ptr, staged ? " (staged)" : "");
		rg_buf_dispose(&q);
	}
	if (snap->nsecrets + snap->nstaged > shown)
		printf("  ... and %zu more\n", snap->nsecrets + snap->nstaged - shown);
}

static void rb_print_saved(const rb *x, const rg_backup *b, const char *name)
{
	size_t n = x->snap.nsecrets, ns = x->snap.nstaged;
	char staged[64] = "";

	if (ns)
		snprintf(staged, sizeof(staged), " (and %zu staged version%s)", ns, ns == 1 ? "" : "s");
	if (x->dry) {
		printf("would save everything first in " RG_BACKUP_REFS "%s\n", name);
		if (n || ns)
			printf("(%zu secret or environment file%s would be kept out of git objects%s, "
				"copied under %srepoguard/backup-files/)\n", n, n == 1 ? "" : "s", staged,
				git_repository_commondir(x->s.repo));
		rb_print_kept(&x->snap);
		printf("nothing was changed (--dry-run)\n");
		return;
	}
	printf("saved everything first in %s\n", b->ref);
	if (n || ns) {
		char *dir = rg_backup_files_dir(x->s.repo, &b->commit);

		printf("(%zu secret or environment file%s kept out of git objects%s, where a push could "
			"publish them: copied to %s/)\n", n, n == 1 ? "" : "s", staged, dir);
		rb_print_kept(&x->snap);
		free(dir);
	}
	printf("undo with:\n  repoguard rollback %s\n", b->ref);
}

/* Files that were ignored, left alone, and now untracked: the .gitignore line is not in label's state. */
typedef struct {
	git_repository *repo;
	size_t n;
} rb_subs;

/* One gitlink of the target tree: say so when its submodule is checked out elsewhere. */
static int rb_sub_cb(const char *root, const git_tree_entry *e, void *payload)
{
	rb_subs *x = payload;
	git_repository *sub = NULL;
	git_oid head;
	rg_buf path = RG_BUF_INIT, q = RG_BUF_INIT;
	char want[GIT_OID_HEXSZ + 1], have[GIT_OID_HEXSZ + 1];

	if (git_tree_entry_filemode(e) != GIT_FILEMODE_COMMIT)
		return 0;
	rg_buf_puts(&path, git_repository_workdir(x->repo));
	rg_buf_puts(&path, root);
	rg_buf_puts(&path, git_tree_entry_name(e));
	if (git_repository_open_ext(&sub, path.ptr, GIT_REPOSITORY_OPEN_NO_SEARCH, NULL) == 0 &&
	    git_reference_name_to_id(&head, sub, "HEAD") == 0 && !git_oid_equal(&head, git_tree_entry_id(e))) {
		git_oid_tostr(want, sizeof(want), git_tree_entry_id(e));
		git_oid_tostr(have, sizeof(have), &head);
		rg_buf_clear(&path);
		rg_buf_puts(&path, root);
		rg_buf_puts(&path, git_tree_entry_name(e));
		rg_buf_shquote(&q, path.ptr);
		printf("note: submodule %s is still checked out at %.12s, not at the checkpoint's %.12s "
			"(its own repository is left alone): git submodule update -- %s\n",
			path.ptr, have, want, q.ptr);
		x->n++;
	}
	git_error_clear();
	git_repository_free(sub);
	rg_buf_dispose(&path);
	rg_buf_dispose(&q);
	return 0;
}

/*
 * The checkout moves gitlinks in the index, never a submodule's own
 * checkout: git status then shows it modified, though the file list said
 * the change was undone. Name each such submodule and the command that
 * moves it.
 */
static void rb_print_submodules(git_repository *repo, const git_tree *target)
{
	rb_subs x = { repo, 0 };

	if (git_tree_walk(target, GIT_TREEWALK_PRE, rb_sub_cb, &x) < 0)
		git_error_clear();
}

static void rb_print_unignored(size_t n, const char *label)
{
	if (n == 1)
		printf("note: 1 file that was ignored is left as it was; %s does not ignore it, "
			"so git status lists it as untracked\n", label);
	else if (n)
		printf("note: %zu files that were ignored are left as they were; %s does not ignore them, "
			"so git status lists them as untracked\n", n, label);
}

/* Add to the last error message (rg_error_set must not read its own buffer). */
static void rb_error_suffix(const char *suffix)
{
	char *m = rg_printf("%s; %s", rg_error_last(), suffix);

	rg_error_set("%s", m);
	free(m);
}

static int rb_save(rg_backup *b, rb *x, const char *name, const char *why)
{
	int r = rg_backup_save(b, x->s.repo, &x->snap, rb_branch(x), name, why, x->s.ctx.now);

	if (r < 0)
		rb_error_suffix("nothing was rolled back");
	return r;
}

static int rb_rollback(rb *x, const char *name)
{
	git_repository *repo = x->s.repo;
	rg_backup b;
	char *why = rg_printf("before rollback to %s", x->label), *header;
	int in_history = rg_ckpt_in_history(repo, &x->target, &x->snap.head);
	size_t unignored = 0;
	int r;

	memset(&b, 0, sizeof(b));
	printf("%s %s to %s\n", x->dry ? "would roll back" : "rolling back", rb_where(x), x->label);
	if (!in_history)
		printf("note: %s is not in the history of %s: the branch moves to another line of history\n",
			x->label, rb_where(x));
	rb_print_commits(repo, &x->snap.head, &x->target, "commits rolled back");
	header = rg_printf("files changed since %s, undone (A added, M modified, D deleted, "
		"R renamed, T type/mode)", x->label);
	r = rb_print_files(repo, git_tree_id(x->target_tree), &x->snap.work_tree, header);
	free(header);
	if (r == RG_OK && x->snap.saved_ignored)
		printf("(%zu %s file%s in the checkpoint's way, saved too)\n", x->snap.saved_ignored,
			x->snap.untracked_off ? "ignored or untracked" : "ignored",
			x->snap.saved_ignored == 1 ? "" : "s");
	if (r == RG_OK && x->snap.untracked_off)
		printf("(status.showUntrackedFiles=no: other untracked files are left as they are)\n");
	if (r == RG_OK && !x->dry && (r = rb_save(&b, x, name, why)) == RG_OK) {
		r = rg_backup_reset_hard(&unignored, repo, &x->snap, &x->target);
		if (r < 0) {
			char *m = rg_printf("everything is saved in %s: restore it with repoguard rollback %s",
				b.ref, b.ref);

			rb_error_suffix(m);
			free(m);
		}
	}
	if (r == RG_OK)
		rb_print_saved(x, &b, name);
	if (r == RG_OK && !x->dry)
		rb_print_submodules(repo, x->target_tree);
	rb_print_unignored(r == RG_OK ? unignored : 0, x->label);
	rg_backup_free(&b);
	free(why);
	return r;
}

static int rb_restore(rb *x, const char *name)
{
	git_repository *repo = x->s.repo;
	rg_backup_info info;
	rg_backup b;
	char *why = rg_printf("before restoring %s", x->label);
	size_t unignored = 0;
	int r, lose;

	memset(&b, 0, sizeof(b));
	rg_backup_parse(&info, repo, &x->target);
	/* only when the current state holds something the backup does not */
	lose = !rg_snapshot_clean(&x->snap) || !rg_ckpt_in_history(repo, &x->snap.head, &info.head);
	printf("%s %s from %s\n", x->dry ? "would restore" : "restoring", rb_where(x), x->label);
	if (strcmp(info.branch, rb_branch(x)))
		printf("note: the backup was made on %s; it is restored onto %s\n", rb_shown(info.branch),
			rb_where(x));
	rb_print_commits(repo, &info.head, &x->snap.head, "commits brought back");
	r = rb_print_files(repo, &x->snap.work_tree, git_tree_id(x->target_tree),
		"files the restore changes (A added, M modified, D deleted, R renamed, T type/mode)");
	if (r == RG_OK && lose && !x->dry)
		r = rb_save(&b, x, name, why);
	if (r == RG_OK && !x->dry)
		r = rg_backup_restore(&unignored, repo, &x->snap, &x->target);
	if (r < 0 && b.ref) {
		char *m = rg_printf("the state before is saved in %s", b.ref);

		rb_error_suffix(m);
		free(m);
	}
	if (r == RG_OK && lose)
		rb_print_saved(x, &b, name);
	else if (r == RG_OK && x->dry)
		printf("nothing was changed (--dry-run)\n");
	if (r == RG_OK && !x->dry)
		printf("restored; the backup is kept (list backups: git for-each-ref " RG_BACKUP_REFS ")\n");
	rb_print_unignored(r == RG_OK ? unignored : 0, x->label);
	rg_backup_info_free(&info);
	rg_backup_free(&b);
	free(why);
	return r;
}

static int rb_exit(int r)
{
	if (r == RG_OK)
		return RG_EXIT_OK;
	rg_die_msg("%s", rg_error_last());
	if (r == RG_EUSAGE)
		return RG_EXIT_USAGE;
	return r == RG_EREFUSED ? RG_EXIT_VIOLATION : RG_EXIT_INTERNAL;
}

/* A restore: the backup's files kept out of git, which must all be there. */
static int rb_kept_files(rb *x)
{
	rg_backup_info info;
	int r = RG_OK;

	char **staged = NULL;
	size_t nstaged = 0, n = 0;
	int gone = 0;

	if (!x->restore || rg_backup_parse(&info, x->s.repo, &x->target) < 0)
		return RG_OK;
	n = info.kept_out + info.kept_staged;
	if (n && (gone = rg_backup_files_list(&x->kept, &x->nkept, x->s.repo, &x->target, 0) < 0 ||
	               rg_backup_files_list(&staged, &nstaged, x->s.repo, &x->target, 1) < 0 ||
	               x->nkept != info.kept_out || nstaged != info.kept_staged)) {
		char *dir = rg_backup_files_dir(x->s.repo, &x->target);

		rg_error_clear();
		rg_error_set("%s kept %zu secret or environment file%s out of git, in %s/, and %s; "
			"nothing was changed", x->label, n, n == 1 ? "" : "s", dir,
			gone ? "that directory is gone" : "some are missing there");
		free(dir);
		r = RG_EREFUSED;
	}
	while (nstaged)
		free(staged[--nstaged]);
	free(staged);
	rg_backup_info_free(&info);
	return r;
}

static int rb_run(rb *x)
{
	rg_buf name = RG_BUF_INIT;
	rg_snapshot_opts o;
	int r;

	if ((r = rb_check_state(x)) < 0 || (x->dry && (r = rb_dry_odb(x->s.repo)) < 0))
		goto out;
	memset(&x->snap, 0, sizeof(x->snap));
	if (git_reference_name_to_id(&x->snap.head, x->s.repo, "HEAD") < 0) {
		git_error_clear();
		rg_error_set("%s has no commits yet: there is nothing to roll back", rb_where(x));
		r = RG_EREFUSED;
		goto out;
	}
	if ((r = rb_resolve(x)) < 0 || (r = rb_target_tree(x)) < 0 || (r = rb_kept_files(x)) < 0)
		goto out;
	memset(&o, 0, sizeof(o));
	o.target = x->target_tree;
	o.way = x->kept;
	o.nway = x->nkept;
	o.secret = &x->secret;
	if ((r = rg_snapshot_take(&x->snap, x->s.repo, &o)) < 0)
		goto out;
	if (!x->restore && git_oid_equal(&x->target, &x->snap.head) && rg_snapshot_clean(&x->snap)) {
		printf("nothing to roll back: %s is at %s and the work tree is clean\n", rb_where(x), x->label);
		goto out;
	}
	if ((r = rg_backup_name(&name, x->s.repo, rb_branch(x), x->s.ctx.now)) < 0)
		goto out;
	r = x->restore ? rb_restore(x, name.ptr) : rb_rollback(x, name.ptr);
out:
	rg_buf_dispose(&name);
	return r;
}

static int cmd_rollback(int argc, char **argv)
{
	rb x;
	const char *config = NULL;
	int c, r;

	memset(&x, 0, sizeof(x));
	optind = 1;
	while ((c = getopt_long(argc, argv, "nc:", rb_opts, NULL)) != -1) {
		if (c == 'n')
			x.dry = 1;
		else if (c == 'c')
			config = optarg;
		else
			return rg_cmd_usage(&rg_cmd_rollback, NULL);
	}
	if (argc - optind > 1)
		return rg_cmd_usage(&rg_cmd_rollback, "unexpected argument '%s'", argv[optind + 1]);
	x.arg = optind < argc ? argv[optind] : NULL;
	r = rg_ckpt_session_open(&x.s, "rollback", config);
	if (r == 0) {
		rg_secret_paths_load(&x.secret, &x.s.conf);
		r = rb_exit(rb_run(&x));
	}
	rg_snapshot_dispose(&x.snap);
	rg_secret_paths_free(&x.secret);
	while (x.nkept)
		free(x.kept[--x.nkept]);
	free(x.kept);
	git_tree_free(x.target_tree);
	free(x.label);
	rg_ckpt_session_close(&x.s);
	return r;
}
