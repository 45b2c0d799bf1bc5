/* hook-applypatch-msg.c: `repoguard applypatch-msg FILE`, commit-msg's check for git am's messages. */
#include <stddef.h>

#include "repoguard/cmd.h"
#include "hook.h"

static int cmd_applypatch_msg(int argc, char **argv);

const rg_cmd_entry rg_cmd_applypatch_msg = {
	"applypatch-msg",
	"repoguard applypatch-msg [--format FORMAT] [--config FILE] [--quiet] FILE",
	"git am: check a patch's commit message (FILE) as commit-msg does",
	"`git am` runs applypatch-msg, not commit-msg, with the message it is about\n"
	"to record (.git/rebase-apply/final-commit). This is `repoguard commit-msg`'s\n"
	"check there, on the message as git am records it: no line is dropped, as\n"
	"git am keeps lines starting with '#'. When it fails, git am stops before\n"
	"applying the patch: `git am --skip` drops it, `git am --abort` gives up.",
	cmd_applypatch_msg,
	RG_CMD_HOOK
};

static int cmd_applypatch_msg(int argc, char **argv)
{
	static const rg_run_opts o = {
		.command = "applypatch-msg",
		.mode = RG_MODE_COMMIT_MSG,
		.bypass = "To bypass once: git am --abort, then REPOGUARD_SKIP=<rule> git am ...; to drop this patch: git am --skip.",
		.no_verify = "git am --no-verify (git newer than 2.39)",
	};

	return rg_hook_message_check(&rg_cmd_applypatch_msg, &o, 1, argc, argv);
}
