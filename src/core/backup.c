/*
 * backup.c: backup commits and refs (include/repoguard/backup.h), through
 * libgit2's git_commit_create and git_reference_create.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "repoguard/backup.h"
#include "repoguard/cfgenv.h"
#include "repoguard/common.h"

/* $GIT_COMMITTER_NAME, else user.name (git -c included), as git picks a committer */
static char *sig_value(git_config *cfg, const char *env, const char *key)
{
	const char *e = getenv(env);
	char *out = NULL;

	if (e && *e)
		return rg_strdup(e);
	if (rg_git_config_string(&out, cfg, key) == 0 && !*out) {
		free(out);
		out = NULL;
	}
	return out;
}

int rg_signature(git_signature **out, git_repository *repo, int64_t now)
{
	git_config *cfg = NULL;
	char *name, *email;
	time_t t = (time_t)now;
	struct tm tm;
	int offset = 0, r;

	if (git_repository_config_snapshot(&cfg, repo) < 0)
		git_error_clear();
	name = sig_value(cfg, "GIT_COMMITTER_NAME", "user.name");
	email = sig_value(cfg, "GIT_COMMITTER_EMAIL", "user.email");
	git_config_free(cfg);
	if (localtime_r(&t, &tm))
		offset = (int)(tm.tm_gmtoff / 60);
	if (!name || !email) {
		rg_error_set("no identity to sign with: set it with git config user.name 'Your Name' "
			"and git config user.email you@example.com");
		r = RG_EUSAGE;
	} else if (git_signature_new(out, name, email, (git_time_t)now, offset) < 0) {
		r = rg_error_from_git("invalid user.name or user.email");
	} else {
		r = RG_OK;
	}
	free(name);
	free(email);
	return r;
}

static int ref_exists(git_repository *repo, const char *name)
{
	git_reference *ref = NULL;
	int r = git_reference_lookup(&ref, repo, name);

	git_reference_free(ref);
	git_error_clear();
	return r != GIT_ENOTFOUND;
}

int rg_backup_name(rg_buf *out, git_repository *repo, const char *branch, int64_t now)
{
	time_t t = (time_t)now;
	struct tm tm;
	char stamp[32];
	int i;

	if (!gmtime_r(&t, &tm) || !strftime(stamp, sizeof(stamp), "%Y%m%d-%H%M%S", &tm)) {
		rg_error_set("the clock (%lld) cannot be formatted", (long long)now);
		return RG_ERROR;
	}
	for (i = 1; i < 1000; i++) {
		char *a, *b;
		int taken;

		rg_buf_clear(out);
		rg_buf_printf(out, "%s-%s", branch, stamp);
		if (i > 1)
			rg_buf_printf(out, "-%d", i);
		a = rg_printf(RG_BACKUP_REFS "%s", out->ptr);
		b = rg_printf(RG_BACKUP_BRANCHES "%s", out->ptr);
		taken = ref_exists(repo, a) || ref_exists(repo, b);
		free(a);
		free(b);
		if (!taken)
			return RG_OK;
	}
	rg_error_set("too many backups named %s-%s", branch, stamp);
	return RG_ERROR;
}

static int backup_commit(git_oid *out, git_repository *repo, const git_signature *sig,
	const char *msg, const git_oid *tree_id, const git_oid *parents, size_t np)
{
	git_tree *tree = NULL;
	git_commit *p[3] = { NULL, NULL, NULL };
	size_t i;
	int r = RG_OK;

	if (git_tree_lookup(&tree, repo, tree_id) < 0)
		r = rg_error_from_git("cannot read the backup tree");
	for (i = 0; i < np && r == RG_OK; i++)
		if (git_commit_lookup(&p[i], repo, &parents[i]) < 0)
			r = rg_error_from_git("cannot read a backup parent");
	if (r == RG_OK && git_commit_create(out, repo, NULL, sig, sig, NULL, msg, tree, np,
	                                    (const git_commit **)p) < 0)
		r = rg_error_from_git("cannot write the backup commit");
	for (i = 0; i < 3; i++)
		git_commit_free(p[i]);
	git_tree_free(tree);
	return r;
}

static int backup_ref(git_repository *repo, const char *name, const git_oid *id, const char *why)
{
	git_reference *ref = NULL;
	char *log = rg_printf("repoguard: backup %s", why);
	int r = git_reference_create(&ref, repo, name, id, 0, log);

	free(log);
	git_reference_free(ref);
	if (r < 0)
		return rg_error_from_git(name);
	return RG_OK;
}

/*
 * The files kept out of git, by name (the names are no secret; their
 * contents are in $GIT_COMMON_DIR/repoguard/backup-files/<this commit>/), and
 * the trailer that rg_backup_parse reads their number from.
 */
static void backup_kept_out_msg(rg_buf *msg, const rg_snapshot *s)
{
	size_t i;

	rg_buf_printf(msg, "\nSecret and environment files git does not track are kept out of git\n"
		"objects (a push would publish them): they are in the repository's\n"
		"repoguard/backup-files/ directory, under this commit's id:\n");
	for (i = 0; i < s->nsecrets; i++) {
		rg_buf_puts(msg, "  ");
		rg_buf_cquote(msg, s->secrets[i]);
		rg_buf_puts(msg, "\n");
	}
	for (i = 0; i < s->nstaged; i++) {
		rg_buf_puts(msg, "  ");
		rg_buf_cquote(msg, s->staged[i].path);
		rg_buf_puts(msg, " (staged)\n");
	}
	rg_buf_printf(msg, "\n" RG_BACKUP_KEPT_OUT "%zu\n", s->nsecrets);
	if (s->nstaged)
		rg_buf_printf(msg, RG_BACKUP_KEPT_STAGED "%zu\n", s->nstaged);
}

int rg_backup_save(rg_backup *b, git_repository *repo, const rg_snapshot *s,
	const char *branch, const char *name, const char *why, int64_t now)
{
	git_signature *sig = NULL;
	git_oid parents[3];
	char head[GIT_OID_HEXSZ + 1];
	rg_buf msg = RG_BUF_INIT;
	int r;

	memset(b, 0, sizeof(*b));
	if ((r = rg_signature(&sig, repo, now)) < 0)
		return r;
	git_oid_tostr(head, sizeof(head), &s->head);
	rg_buf_printf(&msg, "repoguard backup: index of %s at %.12s\n", branch, head);
	git_oid_cpy(&parents[0], &s->head);
	r = backup_commit(&b->index_commit, repo, sig, msg.ptr, &s->index_tree, parents, 1);
	if (r < 0)
		goto out;
	if (s->has_ita) {
		rg_buf_clear(&msg);
		rg_buf_printf(&msg, "repoguard backup: intent-to-add paths of %s at %.12s\n", branch, head);
		r = backup_commit(&parents[2], repo, sig, msg.ptr, &s->ita_tree, parents, 1);
		if (r < 0)
			goto out;
	}
	rg_buf_clear(&msg);
	rg_buf_printf(&msg, RG_BACKUP_SUBJECT "%s %s\n\n"
		"Everything in the work tree (staged, unstaged and untracked files) as it was,\n"
		"with HEAD (%s) as the first parent, the index as the second%s.\n"
		"Restore it with: repoguard rollback " RG_BACKUP_REFS "%s\n",
		branch, why, head, s->has_ita ? " and `git add -N` paths as the third" : "", name);
	if (s->nsecrets || s->nstaged)
		backup_kept_out_msg(&msg, s);
	git_oid_cpy(&parents[1], &b->index_commit);
	r = backup_commit(&b->commit, repo, sig, msg.ptr, &s->work_tree, parents, s->has_ita ? 3 : 2);
	if (r < 0)
		goto out;
	/* before the ref: a backup that is listed has all of its files */
	if ((r = rg_backup_files_save(repo, &b->commit, s)) < 0)
		goto out;
	/*
	 * Only under refs/repoguard/: a branch (refs/heads/) would be published
	 * by `git push --all`, with every untracked file of the work tree.
	 */
	b->ref = rg_printf(RG_BACKUP_REFS "%s", name);
	if ((r = backup_ref(repo, b->ref, &b->commit, why)) < 0) {
		/* callers read b->ref as "the backup is stored" */
		free(b->ref);
		b->ref = NULL;
		if (s->nsecrets || s->nstaged)
			rg_backup_files_remove(repo, &b->commit);
	}
out:
	rg_buf_dispose(&msg);
	git_signature_free(sig);
	return r;
}

void rg_backup_free(rg_backup *b)
{
	free(b->ref);
	memset(b, 0, sizeof(*b));
}

int rg_backup_parse(rg_backup_info *out, git_repository *repo, const git_oid *commit)
{
	git_commit *c = NULL, *i = NULL;
	const char *msg, *name, *kept;
	unsigned np, k;
	int r = RG_ENOTFOUND;

	memset(out, 0, sizeof(*out));
	if (git_commit_lookup(&c, repo, commit) < 0)
		goto out;
	msg = git_commit_message(c);
	np = git_commit_parentcount(c);
	if (!msg || !rg_str_startswith(msg, RG_BACKUP_SUBJECT) || np < 2 || np > 3)
		goto out;
	/* every other parent is a child of HEAD, the first parent */
	for (k = 1; k < np; k++) {
		git_commit_free(i);
		i = NULL;
		if (git_commit_parent(&i, c, k) < 0 || git_commit_parentcount(i) != 1 ||
		    !git_oid_equal(git_commit_parent_id(i, 0), git_commit_parent_id(c, 0)))
			goto out;
	}
	git_oid_cpy(&out->head, git_commit_parent_id(c, 0));
	git_oid_cpy(&out->index, git_commit_parent_id(c, 1));
	if (np == 3) {
		out->has_ita = 1;
		git_oid_cpy(&out->ita, git_commit_parent_id(c, 2));
	}
	name = msg + strlen(RG_BACKUP_SUBJECT);
	out->branch = rg_strndup(name, strcspn(name, " \n"));
	if ((kept = strstr(msg, "\n" RG_BACKUP_KEPT_OUT)) != NULL)
		out->kept_out = (size_t)strtoul(kept + 1 + strlen(RG_BACKUP_KEPT_OUT), NULL, 10);
	if ((kept = strstr(msg, "\n" RG_BACKUP_KEPT_STAGED)) != NULL)
		out->kept_staged = (size_t)strtoul(kept + 1 + strlen(RG_BACKUP_KEPT_STAGED), NULL, 10);
	r = RG_OK;
out:
	git_error_clear();
	git_commit_free(i);
	git_commit_free(c);
	return r;
}

void rg_backup_info_free(rg_backup_info *b)
{
	free(b->branch);
	memset(b, 0, sizeof(*b));
}
