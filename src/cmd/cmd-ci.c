/*
 * cmd-ci.c: `repoguard ci --base REV [--head REV]`, the pre-merge check of a
 * pull request: every commit in merge-base(base, head)..head, one at a time
 * against its first parent (a merge without what its other parents have).
 *
 * The rules are those committed on the base (REV:.repoguard.ini) unless a
 * file is named (--config, REPOGUARD_CONFIG, repoguard.config): a pull
 * request must not be able to switch off the checks it is judged by.
 *
 * A shallow clone may lack the merge base, or the history between it and
 * head; that is an error with the fetch that fixes it, never a guess.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "repoguard/cmd.h"
#include "repoguard/run.h"
#include "repoguard/source.h"

static int cmd_ci(int argc, char **argv);

const rg_cmd_entry rg_cmd_ci = {
	"ci",
	"repoguard ci --base REV [--head REV] [--format FORMAT] [--config FILE] [--quiet]",
	"check the commits of a pull request (merge-base(base, head)..head)",
	"Checks every commit of head that is not in base (merge-base(base, head)..head),\n"
	"merges included, one at a time against its first parent (a merge only for\n"
	"what none of its parents has). HEAD is the default head. The rules come\n"
	"from the base's committed .repoguard.ini unless --config, REPOGUARD_CONFIG\n"
	"or the git config repoguard.config names a file. Formats:\n"
	"text, json, sarif (GitHub code scanning), github (workflow annotations).\n"
	"A shallow clone needs enough history: fetch with fetch-depth: 0 (GitHub\n"
	"Actions) or GIT_DEPTH: 0 (GitLab), or git fetch --unshallow.",
	cmd_ci,
	0
};

static const struct option ci_opts[] = {
	{ "base", required_argument, NULL, 'b' },
	{ "head", required_argument, NULL, 'H' },
	{ "format", required_argument, NULL, 'f' },
	{ "config", required_argument, NULL, 'c' },
	{ "quiet", no_argument, NULL, 'q' },
	{ NULL, 0, NULL, 0 }
};

#define CI_SHALLOW_HINT \
	"this shallow clone lacks history between base and head; fetch it:\n" \
	"  actions/checkout: fetch-depth: 0    (GitHub Actions)\n" \
	"  variables: GIT_DEPTH: 0             (GitLab CI)\n" \
	"  git fetch --unshallow origin        (anywhere)"

/* In a shallow clone, turn the failure into the fetch that fixes it. */
static int ci_shallow_error(git_repository *repo, const char *what)
{
	char *copy;

	if (git_repository_is_shallow(repo) != 1)
		return RG_ERROR;
	copy = rg_strdup(what);
	rg_error_set("%s\n%s", copy, CI_SHALLOW_HINT);
	free(copy);
	return RG_ERROR;
}

/*
 * Does rev read as a name (origin/main, v1.2) rather than an object id or an
 * expression (HEAD~3, abc1234, main^2)? A name that does not resolve is not
 * something a shallow clone lacks: unshallowing would not make it appear.
 */
static int ci_plain_name(const char *rev)
{
	size_t n = strlen(rev);

	if (n >= 4 && strspn(rev, "0123456789abcdefABCDEF") == n)
		return 0;
	return strcspn(rev, "~^:@{") == n;
}

/* Resolve rev to a commit; *ref gets the full ref name when rev names a ref. */
static int ci_resolve(git_oid *out, char **ref, git_repository *repo, const char *rev, const char *opt)
{
	git_object *obj = NULL, *commit = NULL;
	git_reference *r = NULL;
	int e;

	e = git_revparse_ext(&obj, &r, repo, rev);
	if (e < 0) {
		git_error_clear();
		if (git_repository_is_shallow(repo) == 1 && !ci_plain_name(rev)) {
			rg_error_set("%s '%s' is not in this repository\n%s", opt, rev, CI_SHALLOW_HINT);
			return RG_ERROR;
		}
		rg_error_set("%s '%s' is not a revision in this repository; fetch it first "
			"(e.g. git fetch origin main) or name it as origin/main", opt, rev);
		return RG_EUSAGE;
	}
	if (git_object_peel(&commit, obj, GIT_OBJECT_COMMIT) < 0) {
		git_object_free(obj);
		git_reference_free(r);
		rg_error_set("%s '%s' is not a commit", opt, rev);
		return RG_EUSAGE;
	}
	git_oid_cpy(out, git_object_id(commit));
	if (ref)
		*ref = r ? rg_strdup(git_reference_name(r)) : NULL;
	git_object_free(commit);
	git_object_free(obj);
	git_reference_free(r);
	return RG_OK;
}

/*
 * merge-base(base, head)..head is exactly head ^base (every common ancestor
 * is below a merge base), which the walk computes without a merge base, so
 * shallow clones and unrelated histories need no special case. The merge
 * base is only the update's old id for rules that look at ctx->updates.
 */
/* How many merge bases base and head have (0 when it cannot tell). */
static size_t ci_merge_bases(git_repository *repo, const git_oid *base, const git_oid *head)
{
	git_oidarray all = { NULL, 0 };
	size_t n = 0;

	if (git_merge_bases(&all, repo, base, head) == 0)
		n = all.count;
	git_error_clear();
	git_oidarray_free(&all);
	return n;
}

static int ci_range(rg_run *run, const char *base_rev, const char *head_rev)
{
	git_repository *repo = run->repo;
	git_oid base, head, mb;
	char *ref = NULL;
	int r, stand_in = 0;

	if ((r = ci_resolve(&base, NULL, repo, base_rev, "--base")) < 0 ||
	    (r = ci_resolve(&head, &ref, repo, head_rev, "--head")) < 0)
		goto out;
	if ((r = rg_run_configure(run)) != 0)
		goto out; /* the base's rules: base_rev is a commit */
	/* libgit2 1.5 fails (and leaks) at a shallow boundary: base stands in there */
	if (git_repository_is_shallow(repo) == 1 || git_merge_base(&mb, repo, &base, &head) < 0) {
		git_error_clear();
		git_oid_cpy(&mb, &base);
		stand_in = 1;
	} else if (ci_merge_bases(repo, &base, &head) > 1) {
		stand_in = 1; /* criss-cross: which base the head is "after" is ambiguous */
	}
	rg_ctx_add_update(&run->ctx, ref ? ref : head_rev, NULL, &mb, &head);
	/* a stand-in is not known to be an ancestor: no net change from it (rg_update_net) */
	run->ctx.updates[run->ctx.nupdates - 1].forced = stand_in && !git_oid_equal(&mb, &head);
	r = rg_source_range(&run->ctx, &head, 1, &base, 1, ref ? ref : head_rev, rg_run_changeset, run);
	if (r < 0)
		ci_shallow_error(repo, rg_error_last());
out:
	free(ref);
	return r;
}

static int cmd_ci(int argc, char **argv)
{
	rg_run_opts o = { 0 };
	rg_run run;
	const char *base = NULL, *head = "HEAD";
	int c, r;

	o.command = "ci";
	o.mode = RG_MODE_CI;
	o.bare_ok = 1;
	o.no_repo_config = 1;
	optind = 1;
	while ((c = getopt_long(argc, argv, "b:H:" RG_RUN_OPTSTRING, ci_opts, NULL)) != -1) {
		if (c == 'b') {
			base = optarg;
			continue;
		}
		if (c == 'H') {
			head = optarg;
			continue;
		}
		r = rg_run_option(&o, c, optarg);
		if (r < 0)
			return RG_EXIT_USAGE;
		if (r == 0)
			return rg_cmd_usage(&rg_cmd_ci, NULL);
	}
	if (optind < argc)
		return rg_cmd_usage(&rg_cmd_ci, "unexpected argument '%s'", argv[optind]);
	if (!base)
		return rg_cmd_usage(&rg_cmd_ci, "--base is required (the branch the pull request merges into)");
	o.config_blob_rev = base;
	r = rg_run_open(&run, &o);
	if (r == 0) {
		int s = ci_range(&run, base, head);

		r = s < 0 ? rg_run_fail(&run, s) : s > 0 ? s : rg_run_finish(&run);
	}
	rg_run_free(&run);
	return r;
}
