/* hook-pre-merge-commit.c: `repoguard pre-merge-commit`, pre-commit's check for the commits git merge makes. */
#include <stddef.h>

#include "repoguard/cmd.h"
#include "hook.h"

static int cmd_pre_merge_commit(int argc, char **argv);

const rg_cmd_entry rg_cmd_pre_merge_commit = {
	"pre-merge-commit",
	"repoguard pre-merge-commit [--format FORMAT] [--config FILE] [--quiet]",
	"git merge: check a merge before it is committed",
	"A merge that git makes without conflicts is committed without the\n"
	"pre-commit hook; git runs pre-merge-commit instead, with the merge result\n"
	"in the index. This is `repoguard pre-commit`'s check there: what the merge\n"
	"itself adds (what none of the merged commits has: the merged branches'\n"
	"own commits are theirs, checked when they were committed or pushed), and\n"
	"a merge commit on a protected branch. A refused merge stays staged, as a\n"
	"merge with conflicts does: fix it and `git commit` (which runs pre-commit),\n"
	"or `git merge --abort`.",
	cmd_pre_merge_commit,
	RG_CMD_HOOK
};

static int cmd_pre_merge_commit(int argc, char **argv)
{
	static const rg_run_opts o = {
		.command = "pre-merge-commit",
		.mode = RG_MODE_PRE_COMMIT,
		/* a refused merge stays staged, MERGE_HEAD written: git commit concludes it (running pre-commit) */
		.bypass = "The merge is staged: fix it and git commit, or git merge --abort. To bypass once: "
			"REPOGUARD_SKIP=<rule> git commit, or git commit --no-verify.",
		.no_verify = "git merge --no-verify",
	};

	return rg_hook_index_check(&rg_cmd_pre_merge_commit, &o, argc, argv);
}
