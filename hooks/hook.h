/*
 * hook.h: what hooks of one kind share. pre-applypatch is pre-commit's
 * check and applypatch-msg is commit-msg's, for the commits `git am` makes,
 * and pre-merge-commit is pre-commit's for the merges `git merge` makes
 * (git's own sample hooks run pre-commit and commit-msg there too).
 */
#ifndef REPOGUARD_HOOK_H
#define REPOGUARD_HOOK_H

#include "repoguard/cmd.h"
#include "repoguard/run.h"

/*
 * Parse e's options (--format, --config, --quiet) into a copy of o, then
 * check the staged change against HEAD (hook-pre-commit.c). Returns the exit
 * status.
 */
int rg_hook_index_check(const rg_cmd_entry *e, const rg_run_opts *o, int argc, char **argv);
/*
 * The same for the message FILE (hook-commit-msg.c); verbatim: git records
 * it without a comment cleanup (git am), so no line is dropped.
 */
int rg_hook_message_check(const rg_cmd_entry *e, const rg_run_opts *o, int verbatim, int argc, char **argv);
/*
 * When GIT_PREFIX says git was started in a subdirectory and a finding has a
 * fix, add a note giving the cd to the top of the work tree, where the fix
 * commands' paths start (pre-commit, pre-push).
 */
void rg_hook_prefix_note(rg_findings *f);

#endif
