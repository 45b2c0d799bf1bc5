/*
 * commitmsg.h: commit messages as git records them, and the [commit-msg]
 * rule that checks them (rule-commit-msg.c, run by `repoguard commit-msg`).
 */
#ifndef REPOGUARD_COMMITMSG_H
#define REPOGUARD_COMMITMSG_H

#include <stddef.h>
#include <git2.h>
#include "buf.h"
#include "context.h"
#include "finding.h"

/*
 * The message git would record from text (git's strbuf_stripspace with
 * comments skipped): everything from the scissors line
 * "<comment> ------------------------ >8 ------------------------" on is
 * cut, lines starting with the comment prefix are dropped, trailing
 * whitespace is stripped from every line, runs of blank lines become one,
 * leading and trailing blank lines go. Non-empty results end in "\n".
 * comment NULL keeps every line and ignores the scissors (git am's message,
 * which git records without a comment cleanup).
 */
void rg_commit_msg_clean(rg_buf *out, const char *text, size_t len, const char *comment);

/*
 * The comment prefix git uses: core.commentString / core.commentChar from
 * `git -c` (the environment, cfgenv.h), else from repo's configuration (the
 * last one set), default "#". For "auto", the
 * prefix of git's "Please enter the commit message" or scissors line in
 * text, else "#". Caller frees.
 */
char *rg_commit_msg_comment(git_repository *repo, const char *text, size_t len);
/*
 * Does git record comment lines (commit.cleanup = verbatim, whitespace or
 * scissors, from the configuration or `git -c`)? Then only the scissors
 * line cuts the message (git cuts there for those modes too, and for -v).
 * A --cleanup option on the command line never reaches the hook.
 */
int rg_commit_msg_keeps_comments(git_repository *repo);
/* Length of text before the scissors line of comment prefix comment. */
size_t rg_commit_msg_end(const char *text, size_t len, const char *comment);

/*
 * msg as UTF-8, for the pattern: converted from i18n.commitEncoding when that
 * names another encoding (git records such messages unconverted, with an
 * encoding header), then every byte that is still not UTF-8 becomes U+FFFD,
 * so that '.' matches it.
 */
void rg_commit_msg_utf8(rg_buf *out, git_repository *repo, const char *msg);

/* Messages git writes itself (merges, reverts, fixup!/squash!/amend!) are exempt. */
int rg_commit_msg_exempt(const char *msg);

/*
 * The fix hint for the message file: git commit -e -F FILE ("# WHAT and
 * commit again"), or for git am's rebase-apply/final-commit (the patch is
 * not applied yet) an edit of it, git apply --index of the patch next to it
 * and git am --continue.
 */
void rg_commit_msg_fix(rg_buf *fix, const char *file, const char *what);

/* Check a cleaned message against [commit-msg]; file names the message file for the fix hint. */
int rg_commit_msg_check(rg_findings *out, rg_ctx *ctx, const char *msg, const char *file);

#endif
