/*
 * hook-pre-push.c: `repoguard pre-push REMOTE URL`: every commit a push
 * brings to the remote, checked one at a time against its first parent.
 *
 * git writes one line per pushed ref on stdin. What the remote already has
 * is what its tracking refs (refs/remotes/REMOTE/...) and the remote's old tips
 * point at; everything reachable from the pushed tips and not from those is
 * new to the remote and is checked. Deleted refs only meet branch protection.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "repoguard/cmd.h"
#include "repoguard/run.h"
#include "repoguard/updates.h"

static int cmd_pre_push(int argc, char **argv);

const rg_cmd_entry rg_cmd_pre_push = {
	"pre-push",
	"repoguard pre-push [--format FORMAT] [--config FILE] [--quiet] REMOTE [URL]",
	"check every commit a push brings to the remote",
	"Reads git's pre-push lines (<local ref> <local oid> <remote ref> <remote oid>)\n"
	"from standard input. For every pushed ref, the commits the remote does not\n"
	"have yet (not reachable from refs/remotes/REMOTE/* or the remote's old tip)\n"
	"are checked one by one against their first parent, tags included. Deleting\n"
	"or rewriting a protected branch ([branch] protected) is refused.",
	cmd_pre_push,
	RG_CMD_HOOK | RG_CMD_STDIN
};

static const struct option pre_push_opts[] = {
	{ "format", required_argument, NULL, 'f' },
	{ "config", required_argument, NULL, 'c' },
	{ "quiet", no_argument, NULL, 'q' },
	{ NULL, 0, NULL, 0 }
};

/* Does a configured remote have url as its URL or push URL? */
static int push_remote_has_url(git_remote *rm, const char *url)
{
	const char *u = git_remote_url(rm), *pu = git_remote_pushurl(rm);

	return (u && !strcmp(u, url)) || (pu && !strcmp(pu, url));
}

/*
 * The commits the remote is known to have: the tracking refs of the remote
 * named REMOTE, or, when git was given a URL, of every remote with that URL.
 */
static int push_remote_commits(git_oid **ids, size_t *n, size_t *alloc, git_repository *repo,
	const char *remote, const char *url)
{
	git_strarray names = { NULL, 0 };
	size_t i;
	int r = RG_OK;

	if (git_remote_list(&names, repo) < 0)
		return rg_error_from_git("cannot list remotes");
	for (i = 0; i < names.count && r == RG_OK; i++) {
		git_remote *rm = NULL;
		int match = !strcmp(names.strings[i], remote);

		if (!match && url && git_remote_lookup(&rm, repo, names.strings[i]) == 0)
			match = push_remote_has_url(rm, url);
		git_error_clear();
		git_remote_free(rm);
		if (match) {
			char *prefix = rg_printf("refs/remotes/%s/", names.strings[i]);

			r = rg_refs_commits(ids, n, alloc, repo, prefix);
			free(prefix);
		}
	}
	git_strarray_dispose(&names);
	return r;
}

static int pre_push_run(rg_run *run, const char *remote, const char *url)
{
	rg_ctx *ctx = &run->ctx;
	git_oid *have = NULL;
	size_t n = 0, alloc = 0;
	int r;

	ctx->remote_name = rg_strdup(remote);
	ctx->remote_url = rg_strdup(url ? url : remote);
	r = rg_updates_read(ctx, rg_hook_stdin, 0);
	if (r == RG_OK)
		r = rg_updates_classify(ctx);
	if (r == RG_OK)
		r = push_remote_commits(&have, &n, &alloc, run->repo, remote, url);
	if (r == RG_OK)
		r = rg_source_updates(ctx, have, n, rg_run_changeset, run);
	free(have);
	return r < 0 ? rg_run_fail(run, r) : rg_run_finish(run);
}

static int cmd_pre_push(int argc, char **argv)
{
	rg_run_opts o = { 0 };
	rg_run run;
	int c, r;

	o.command = "pre-push";
	o.mode = RG_MODE_PRE_PUSH;
	o.bypass = "To bypass once: REPOGUARD_SKIP=<rule> git push ..., or git push --no-verify.";
	optind = 1;
	while ((c = getopt_long(argc, argv, RG_RUN_OPTSTRING, pre_push_opts, NULL)) != -1) {
		r = rg_run_option(&o, c, optarg);
		if (r < 0)
			return RG_EXIT_USAGE;
		if (r == 0)
			return rg_cmd_usage(&rg_cmd_pre_push, NULL);
	}
	if (optind >= argc)
		return rg_cmd_usage(&rg_cmd_pre_push, "missing REMOTE (git passes the remote's name and URL)");
	if (argc - optind > 2)
		return rg_cmd_usage(&rg_cmd_pre_push, "unexpected argument '%s'", argv[optind + 2]);
	r = rg_run_start(&run, &o);
	if (r == 0)
		r = pre_push_run(&run, argv[optind], optind + 1 < argc ? argv[optind + 1] : NULL);
	rg_run_free(&run);
	return r;
}
