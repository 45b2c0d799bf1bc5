/*
 * cmd-checkpoint.c: `repoguard checkpoint [-m MESSAGE] [--push [REMOTE]]
 * [--allow-dirty]`: an annotated tag at HEAD named by [checkpoint] name.
 *
 * Refuses when tracked files have staged or unstaged changes (a checkpoint
 * of uncommitted work is a false promise). --push runs `git push REMOTE
 * refs/tags/NAME` as a child process: git's transports, credentials and
 * hooks are git's. Documented in docs/checkpoint.md.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "repoguard/backup.h"
#include "repoguard/cfgenv.h"
#include "repoguard/checkpoint.h"
#include "repoguard/cmd.h"
#include "repoguard/index.h"

/* names another run took meanwhile before giving up (a stuck lock, not a race) */
#define CK_MAX_TAKEN 64

#define CK_MAX_DIRTY 10

static int cmd_checkpoint(int argc, char **argv);

const rg_cmd_entry rg_cmd_checkpoint = {
	"checkpoint",
	"repoguard checkpoint [-m MESSAGE] [--push [REMOTE]] [--allow-dirty] [--config FILE]",
	"tag HEAD as a checkpoint that `repoguard rollback` can return to",
	"Creates an annotated tag at HEAD named by [checkpoint] name (strftime, UTC;\n"
	"-2, -3 ... when the name is taken), signed as git would (GIT_COMMITTER_NAME,\n"
	"user.name ...) and dated now (REPOGUARD_NOW overrides the clock). Refuses when\n"
	"tracked files have staged or unstaged changes unless --allow-dirty: the\n"
	"checkpoint is HEAD, never the uncommitted work. When HEAD already is a\n"
	"checkpoint, nothing new is made. --push [REMOTE] then runs\n"
	"git push REMOTE refs/tags/NAME (default: the branch's remote, else origin).\n"
	"Exit status: 0 done, 1 refused, 2 usage, 3 configuration, 4 error (also when\n"
	"the push fails; the tag then exists locally).",
	cmd_checkpoint,
	0
};

static const struct option ck_opts[] = {
	{ "message", required_argument, NULL, 'm' },
	{ "push", optional_argument, NULL, 'p' },
	{ "allow-dirty", no_argument, NULL, 'd' },
	{ "config", required_argument, NULL, 'c' },
	{ NULL, 0, NULL, 0 }
};

typedef struct {
	rg_ckpt_session s;
	const char *message;
	int push, allow_dirty;
	const char *remote;
	git_oid head;
} ck;

/* Staged or unstaged changes to tracked files (untracked files do not count). */
static int ck_dirty(rg_buf *list, size_t *n, size_t *nconflict, git_repository *repo)
{
	git_status_list *st = NULL;
	git_status_options o;
	git_index *index = NULL;
	size_t i, count;
	int r = RG_OK;

	git_status_options_init(&o, GIT_STATUS_OPTIONS_VERSION);
	o.show = GIT_STATUS_SHOW_INDEX_AND_WORKDIR;
	o.flags = GIT_STATUS_OPT_EXCLUDE_SUBMODULES;
	*n = *nconflict = 0;
	if (git_status_list_new(&st, repo, &o) < 0 || git_repository_index(&index, repo) < 0) {
		r = rg_error_from_git_index("cannot read the status of the work tree");
		goto out;
	}
	count = git_status_list_entrycount(st);
	for (i = 0; i < count; i++) {
		const git_status_entry *e = git_status_byindex(st, i);
		const git_diff_delta *d = e->head_to_index ? e->head_to_index : e->index_to_workdir;
		unsigned int status = e->status;

		/* left out by a sparse checkout, not deleted */
		if ((status & GIT_STATUS_WT_DELETED) && e->index_to_workdir &&
		    rg_git_index_skips_worktree(index, e->index_to_workdir->old_file.path))
			status &= ~(unsigned int)GIT_STATUS_WT_DELETED;
		if (status == GIT_STATUS_CURRENT || status == GIT_STATUS_WT_NEW ||
		    status == GIT_STATUS_IGNORED || !d)
			continue;
		if (status & GIT_STATUS_CONFLICTED)
			(*nconflict)++;
		if ((*n)++ < CK_MAX_DIRTY) {
			rg_buf_printf(list, "  %s ", (status & GIT_STATUS_CONFLICTED) ? "conflict:" :
				e->head_to_index ? "staged:  " : "unstaged:");
			rg_buf_cquote(list, d->new_file.path ? d->new_file.path : d->old_file.path);
			rg_buf_putc(list, '\n');
		}
	}
	if (*n > CK_MAX_DIRTY)
		rg_buf_printf(list, "  ... and %zu more\n", *n - CK_MAX_DIRTY);
out:
	git_index_free(index);
	git_status_list_free(st);
	return r;
}

/*
 * The names of the configured remotes. Read with a plain config iterator:
 * git_remote_list matches with a regex, which leaks pcre2 match data in
 * libgit2 1.5 (LeakSanitizer).
 */
static char **ck_remotes(git_config *cfg)
{
	git_config_iterator *it = NULL;
	git_config_entry *e;
	char **v = NULL;
	size_t n = 0, alloc = 0;

	if (git_config_iterator_new(&it, cfg) < 0) {
		git_error_clear();
		return NULL;
	}
	while (git_config_next(&e, it) == 0) {
		size_t len = strlen(e->name);

		if (rg_str_startswith(e->name, "remote.") && len > strlen("remote..url") &&
		    rg_str_endswith(e->name, ".url")) {
			char *name = rg_strndup(e->name + 7, len - 7 - 4);
			size_t i;
			int seen = 0;

			for (i = 0; i < n && !seen; i++)
				seen = !strcmp(v[i], name);
			if (seen) {
				free(name);
				continue;
			}
			RG_GROW(v, alloc, n + 2);
			v[n++] = name;
			v[n] = NULL;
		}
	}
	git_error_clear();
	git_config_iterator_free(it);
	return v;
}

/* The branch's remote, else origin, else the only remote. */
static char *ck_default_remote(git_repository *repo, const char *branch)
{
	git_config *cfg = NULL;
	char **remotes = NULL, **p, *out = NULL, *key = branch ? rg_printf("branch.%s.remote", branch) : NULL;

	if (git_repository_config_snapshot(&cfg, repo) < 0) {
		git_error_clear();
		free(key);
		return NULL;
	}
	if (key && rg_git_config_string(&out, cfg, key) == 0 && (!*out || !strcmp(out, "."))) {
		free(out);
		out = NULL;
	}
	if (!out && (remotes = ck_remotes(cfg)) != NULL) {
		for (p = remotes; *p && !out; p++)
			if (!strcmp(*p, "origin"))
				out = rg_strdup("origin");
		if (!out && remotes[0] && !remotes[1])
			out = rg_strdup(remotes[0]);
	}
	git_error_clear();
	rg_strv_free(remotes);
	git_config_free(cfg);
	free(key);
	return out;
}

static int ck_push(const char *remote, const char *tag)
{
	char *spec = rg_printf("refs/tags/%s", tag);
	char *args[] = { "git", "push", (char *)remote, spec, NULL };
	int status = 0;
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		execvp("git", args);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status)) {
		rg_error_set("git push %s %s failed; the tag exists here: push it again with "
			"git push %s %s", remote, spec, remote, spec);
		free(spec);
		return RG_ERROR;
	}
	free(spec);
	return RG_OK;
}

/*
 * tag.gpgSign or tag.forceSignAnnotated: git signs every annotated tag it
 * makes (with gpg, ssh or x509 as gpg.format says), which libgit2 cannot.
 */
static int ck_sign_wanted(git_repository *repo)
{
	git_config *cfg = NULL;
	int sign = 0, force = 0;

	if (git_repository_config_snapshot(&cfg, repo) < 0)
		git_error_clear();
	rg_git_config_bool(&sign, cfg, "tag.gpgsign", 0);
	rg_git_config_bool(&force, cfg, "tag.forcesignannotated", 0);
	git_config_free(cfg);
	return sign || force;
}

/*
 * The signed tag, made by `git tag -s` (the committer's identity and the
 * clock as for an unsigned one). Returns 1 when the name is taken.
 */
static int ck_create_signed(git_oid *out, ck *x, const char *name, const char *msg)
{
	char hex[GIT_OID_HEXSZ + 1], *ref = rg_printf("refs/tags/%s", name);
	char *args[] = { "git", "tag", "-s", "--cleanup=verbatim", "-m", (char *)msg, "--", (char *)name,
		hex, NULL };
	git_signature *sig = NULL;
	git_reference *existing = NULL;
	char *date = NULL;
	int status = 0, r;
	pid_t pid;

	if ((r = rg_signature(&sig, x->s.repo, x->s.ctx.now)) < 0)
		goto out;
	if (git_reference_lookup(&existing, x->s.repo, ref) == 0) {
		r = 1;
		goto out;
	}
	git_error_clear();
	git_oid_tostr(hex, sizeof(hex), &x->head);
	date = rg_printf("@%lld %c%02d%02d", (long long)sig->when.time, sig->when.offset < 0 ? '-' : '+',
		abs(sig->when.offset) / 60, abs(sig->when.offset) % 60);
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		/* the tagger's name and date are the ones an unsigned checkpoint would have */
		setenv("GIT_COMMITTER_NAME", sig->name, 1);
		setenv("GIT_COMMITTER_EMAIL", sig->email, 1);
		setenv("GIT_COMMITTER_DATE", date, 1);
		execvp("git", args);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status)) {
		/* another run may have made it meanwhile */
		if (git_reference_lookup(&existing, x->s.repo, ref) == 0) {
			r = 1;
			goto out;
		}
		git_error_clear();
		rg_error_set("git tag -s %s failed (tag.gpgSign or tag.forceSignAnnotated is set, so the "
			"checkpoint is signed as git signs tags): no checkpoint was made; fix the signing "
			"setup (gpg.program, user.signingKey), or set both to false for unsigned checkpoints",
			name);
		r = RG_ERROR;
		goto out;
	}
	if (git_reference_name_to_id(out, x->s.repo, ref) < 0)
		r = rg_error_from_git(name);
out:
	free(date);
	free(ref);
	git_reference_free(existing);
	git_signature_free(sig);
	return r;
}

/* Returns 1 when another run took name meanwhile (it exists now, or is locked: being made). */
static int ck_create(git_oid *out, ck *x, const char *name, const char *msg)
{
	git_signature *sig = NULL;
	git_object *target = NULL;
	int r, g = 0;

	if (ck_sign_wanted(x->s.repo))
		return ck_create_signed(out, x, name, msg);
	if ((r = rg_signature(&sig, x->s.repo, x->s.ctx.now)) < 0)
		return r;
	if (git_object_lookup(&target, x->s.repo, &x->head, GIT_OBJECT_COMMIT) < 0 ||
	    (g = git_tag_create(out, x->s.repo, name, target, sig, msg, 0)) < 0) {
		if (g == GIT_EEXISTS || g == GIT_ELOCKED) {
			git_error_clear();
			r = 1;
		} else {
			r = rg_error_from_git(name);
		}
	}
	git_object_free(target);
	git_signature_free(sig);
	return r;
}

/* A new checkpoint tag named after now, the next free name when a concurrent run takes one. */
static int ck_create_unique(git_oid *out, rg_buf *name, ck *x, const char *msg)
{
	int seq = 1, tries, r = RG_OK;

	for (tries = 0; tries < CK_MAX_TAKEN; tries++, seq++) {
		if ((r = rg_ckpt_unique_name_from(name, &seq, x->s.repo, &x->s.ck, x->s.ctx.now)) < 0 ||
		    (r = ck_create(out, x, name->ptr, msg)) <= 0)
			return r;
	}
	rg_error_set("%s: %d names in a row were taken while making them (is a git process stuck "
		"holding ref locks?)", name->ptr, CK_MAX_TAKEN);
	return RG_ERROR;
}

static void ck_default_message(rg_buf *msg, ck *x, const rg_ckpt *last, size_t covered)
{
	rg_buf_printf(msg, "checkpoint of %s\n\n", x->s.ctx.branch ? x->s.ctx.branch : "a detached HEAD");
	if (last)
		rg_buf_printf(msg, "%zu commit%s since %s.\n", covered, covered == 1 ? "" : "s", last->name);
	else
		rg_buf_printf(msg, "The first checkpoint: %zu commit%s.\n", covered, covered == 1 ? "" : "s");
	/* rollback needs a work tree: a bare repository gets no hint it cannot follow */
	if (git_repository_is_bare(x->s.repo))
		rg_buf_puts(msg, "Made by repoguard checkpoint.\n");
	else
		rg_buf_puts(msg, "Made by repoguard checkpoint; roll back to it with repoguard rollback.\n");
}

/* Tag HEAD (or find the checkpoint that already marks it); name gets the tag's name. */
static int ck_tag(rg_buf *name, ck *x)
{
	rg_ckpt_list l;
	rg_ckpt_work w;
	const rg_ckpt *last;
	rg_buf msg = RG_BUF_INIT, desc = RG_BUF_INIT;
	git_oid tag;
	int r;

	if ((r = rg_ckpt_list_load(&l, x->s.repo, &x->s.ck)) < 0)
		return r;
	last = rg_ckpt_last_in_history(x->s.repo, &l, &x->head, x->s.ctx.now);
	rg_ckpt_describe_commit(&desc, x->s.repo, &x->head, &x->s.ctx);
	if (last && git_oid_equal(&last->commit, &x->head)) {
		rg_buf_puts(name, last->name);
		printf("HEAD (%s) already is checkpoint %s; nothing new was made\n", desc.ptr, last->name);
		goto out;
	}
	if ((r = rg_ckpt_uncovered(&w, x->s.repo, &l, &x->head, x->s.ctx.now, 0)) < 0)
		goto out;
	if (x->message)
		rg_buf_printf(&msg, "%s\n", x->message);
	else
		ck_default_message(&msg, x, last, w.count);
	if ((r = ck_create_unique(&tag, name, x, msg.ptr)) == RG_OK) {
		printf("created checkpoint %s at %s\n", name->ptr, desc.ptr);
		if (last)
			printf("it covers %zu commit%s since %s\n", w.count, w.count == 1 ? "" : "s", last->name);
		else
			printf("the first checkpoint of this history, covering %zu commit%s\n",
				w.count, w.count == 1 ? "" : "s");
		if (!git_repository_is_bare(x->s.repo))
			printf("roll back to it with: repoguard rollback %s\n", name->ptr);
	}
	rg_ckpt_work_free(&w);
out:
	rg_buf_dispose(&msg);
	rg_buf_dispose(&desc);
	rg_ckpt_list_free(&l);
	return r;
}

static int ck_run(ck *x)
{
	rg_buf name = RG_BUF_INIT, dirty = RG_BUF_INIT;
	char *remote = NULL;
	size_t ndirty = 0, nconflict = 0;
	int r = RG_OK;

	if (git_reference_name_to_id(&x->head, x->s.repo, "HEAD") < 0) {
		git_error_clear();
		rg_error_set("%s has no commits yet: commit something, then make a checkpoint",
			x->s.ctx.branch ? x->s.ctx.branch : "HEAD");
		r = RG_EREFUSED;
		goto out;
	}
	if (x->push && !(remote = x->remote ? rg_strdup(x->remote) :
	                 ck_default_remote(x->s.repo, x->s.ctx.branch))) {
		rg_error_set("no remote to push to: name one (repoguard checkpoint --push REMOTE)");
		r = RG_EUSAGE;
		goto out;
	}
	if (!x->allow_dirty && !git_repository_is_bare(x->s.repo) &&
	    (r = ck_dirty(&dirty, &ndirty, &nconflict, x->s.repo)) == RG_OK && nconflict) {
		/* git commit -a would record the conflict markers */
		fprintf(stderr, "%s", dirty.ptr);
		rg_error_set("%zu tracked file%s ha%s unresolved conflicts; a checkpoint marks HEAD, not "
			"them: resolve them (edit, then git add) and finish the merge, rebase or "
			"cherry-pick in progress first, or tag HEAD anyway with --allow-dirty",
			nconflict, nconflict == 1 ? "" : "s", nconflict == 1 ? "s" : "ve");
		r = RG_EREFUSED;
	} else if (r == RG_OK && ndirty) {
		fprintf(stderr, "%s", dirty.ptr);
		rg_error_set("%zu tracked file%s ha%s uncommitted changes; a checkpoint marks HEAD, "
			"not them: commit them first (git commit -a), or tag HEAD anyway with --allow-dirty",
			ndirty, ndirty == 1 ? "" : "s", ndirty == 1 ? "s" : "ve");
		r = RG_EREFUSED;
	}
	if (r == RG_OK)
		r = ck_tag(&name, x);
	if (r == RG_OK && remote)
		r = ck_push(remote, name.ptr);
out:
	free(remote);
	rg_buf_dispose(&name);
	rg_buf_dispose(&dirty);
	return r;
}

static int cmd_checkpoint(int argc, char **argv)
{
	ck x;
	const char *config = NULL;
	int c, r;

	memset(&x, 0, sizeof(x));
	optind = 1;
	while ((c = getopt_long(argc, argv, "m:c:", ck_opts, NULL)) != -1) {
		switch (c) {
		case 'm': x.message = optarg; break;
		case 'p': x.push = 1; x.remote = optarg; break;
		case 'd': x.allow_dirty = 1; break;
		case 'c': config = optarg; break;
		default: return rg_cmd_usage(&rg_cmd_checkpoint, NULL);
		}
	}
	/* --push REMOTE as two words: the only operand there can be */
	if (optind < argc && x.push && !x.remote)
		x.remote = argv[optind++];
	if (optind < argc)
		return rg_cmd_usage(&rg_cmd_checkpoint, "unexpected argument '%s'", argv[optind]);
	if (x.message && !*x.message)
		return rg_cmd_usage(&rg_cmd_checkpoint, "-m needs a message");
	r = rg_ckpt_session_open(&x.s, "checkpoint", config);
	if (r == 0) {
		r = ck_run(&x);
		if (r < 0)
			rg_die_msg("%s", rg_error_last());
		r = r == RG_OK ? RG_EXIT_OK : r == RG_EREFUSED ? RG_EXIT_VIOLATION :
			r == RG_EUSAGE ? RG_EXIT_USAGE : RG_EXIT_INTERNAL;
	}
	rg_ckpt_session_close(&x.s);
	return r;
}
