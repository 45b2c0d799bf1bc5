/* hook-pre-commit.c: `repoguard pre-commit`, the staged change against HEAD. */
#include <getopt.h>
#include <stdlib.h>

#include "repoguard/buf.h"
#include "repoguard/cmd.h"
#include "repoguard/run.h"
#include "repoguard/source.h"
#include "hook.h"

static int cmd_pre_commit(int argc, char **argv);

const rg_cmd_entry rg_cmd_pre_commit = {
	"pre-commit",
	"repoguard pre-commit [--format FORMAT] [--config FILE] [--quiet]",
	"check what is about to be committed (the index against HEAD)",
	"Checks the staged content (the index, or the temporary index git uses for\n"
	"`git commit -a` and `git commit <path>`) against HEAD, including the first\n"
	"commit on an unborn branch. The working tree is never read.",
	cmd_pre_commit,
	RG_CMD_HOOK
};

static const struct option pre_commit_opts[] = {
	{ "format", required_argument, NULL, 'f' },
	{ "config", required_argument, NULL, 'c' },
	{ "quiet", no_argument, NULL, 'q' },
	{ NULL, 0, NULL, 0 }
};

int rg_hook_index_check(const rg_cmd_entry *e, const rg_run_opts *opts, int argc, char **argv)
{
	rg_run_opts o = *opts;
	rg_run run;
	int c, r;

	optind = 1;
	while ((c = getopt_long(argc, argv, RG_RUN_OPTSTRING, pre_commit_opts, NULL)) != -1) {
		r = rg_run_option(&o, c, optarg);
		if (r < 0)
			return RG_EXIT_USAGE;
		if (r == 0)
			return rg_cmd_usage(e, NULL);
	}
	if (optind < argc)
		return rg_cmd_usage(e, "unexpected argument '%s'", argv[optind]);
	r = rg_run_start(&run, &o);
	if (r == 0) {
		int s = rg_source_index(&run.ctx, rg_run_changeset, &run);

		if (s >= 0)
			rg_hook_prefix_note(&run.findings);
		r = s < 0 ? rg_run_fail(&run, s) : rg_run_finish(&run);
	}
	rg_run_free(&run);
	return r;
}

static int cmd_pre_commit(int argc, char **argv)
{
	static const rg_run_opts o = {
		.command = "pre-commit",
		.mode = RG_MODE_PRE_COMMIT,
		.bypass = "To bypass once: REPOGUARD_SKIP=<rule> git commit ..., or git commit --no-verify.",
		.no_verify = "git commit --no-verify",
	};

	return rg_hook_index_check(&rg_cmd_pre_commit, &o, argc, argv);
}
