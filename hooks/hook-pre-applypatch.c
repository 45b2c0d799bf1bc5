/* hook-pre-applypatch.c: `repoguard pre-applypatch`, pre-commit's check for the commits git am makes. */
#include <stddef.h>

#include "repoguard/cmd.h"
#include "hook.h"

static int cmd_pre_applypatch(int argc, char **argv);

const rg_cmd_entry rg_cmd_pre_applypatch = {
	"pre-applypatch",
	"repoguard pre-applypatch [--format FORMAT] [--config FILE] [--quiet]",
	"git am: check a patch applied to the index before it is committed",
	"`git am` commits the patches it applies without running the pre-commit\n"
	"hook; it runs pre-applypatch instead, once the patch is in the index. This\n"
	"is `repoguard pre-commit`'s check there. When it fails, git am stops with\n"
	"the patch applied: fix the index and run `git am --continue`, or drop the\n"
	"patch with `git am --skip` (`git am --abort` gives up on the series).",
	cmd_pre_applypatch,
	RG_CMD_HOOK
};

static int cmd_pre_applypatch(int argc, char **argv)
{
	static const rg_run_opts o = {
		.command = "pre-applypatch",
		.mode = RG_MODE_PRE_COMMIT,
		.bypass = "To bypass once: REPOGUARD_SKIP=<rule> git am --continue; to drop this patch: git am --skip.",
		.no_verify = "git am --no-verify (git newer than 2.39)",
	};

	return rg_hook_index_check(&rg_cmd_pre_applypatch, &o, argc, argv);
}
