/* hook-commit-msg.c: `repoguard commit-msg FILE`, the message against [commit-msg] pattern. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "repoguard/buf.h"
#include "repoguard/cmd.h"
#include "repoguard/commitmsg.h"
#include "repoguard/content.h"
#include "repoguard/run.h"
#include "hook.h"

#define CM_MAX_MESSAGE (16u << 20)

static int cmd_commit_msg(int argc, char **argv);

const rg_cmd_entry rg_cmd_commit_msg = {
	"commit-msg",
	"repoguard commit-msg [--format FORMAT] [--config FILE] [--quiet] FILE",
	"check a commit message (FILE, or - for stdin) against [commit-msg] pattern and for secrets",
	"Reads the message git is about to record from FILE (git passes\n"
	".git/COMMIT_EDITMSG to the commit-msg hook), removes what git removes\n"
	"(comment lines, per core.commentChar, and everything below the scissors\n"
	"line), and checks the rest against [commit-msg] pattern (messages git\n"
	"writes itself, merges, reverts, fixup!/squash!/amend!, pass) and for the\n"
	"built-in secrets: a key pasted into a message is pushed with the commit.",
	cmd_commit_msg,
	RG_CMD_HOOK
};

static const struct option commit_msg_opts[] = {
	{ "format", required_argument, NULL, 'f' },
	{ "config", required_argument, NULL, 'c' },
	{ "quiet", no_argument, NULL, 'q' },
	{ NULL, 0, NULL, 0 }
};

static int commit_msg_read(rg_buf *out, const char *file)
{
	FILE *f = strcmp(file, "-") ? fopen(file, "rb") : stdin;
	char chunk[8192];
	size_t n;
	int err = 0;

	if (!f) {
		rg_error_set("cannot read the commit message '%s': %s", file, strerror(errno));
		return RG_EUSAGE;
	}
	errno = 0;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		rg_buf_put(out, chunk, n);
		if (out->len > CM_MAX_MESSAGE)
			break;
	}
	/* fopen opens a directory; reading it fails (EISDIR): unreadable, not empty */
	if (ferror(f))
		err = errno ? errno : EIO;
	if (f != stdin)
		fclose(f);
	if (err) {
		rg_error_set("cannot read the commit message '%s': %s", file, strerror(err));
		return RG_EUSAGE;
	}
	if (out->len > CM_MAX_MESSAGE) {
		rg_error_set("the commit message '%s' is larger than 16 MiB", file);
		return RG_EUSAGE;
	}
	return RG_OK;
}

static int commit_msg_run(rg_run *run, const char *file, int verbatim)
{
	rg_buf text = RG_BUF_INIT, clean = RG_BUF_INIT, msg = RG_BUF_INIT;
	const char *path = strcmp(file, "-") ? file : NULL; /* stdin has no file for the fix */
	char *comment = NULL;
	int r = commit_msg_read(&text, file);

	if (r < 0)
		goto out;
	if (!verbatim)
		comment = rg_commit_msg_comment(run->repo, rg_buf_cstr(&text), text.len);
	if (comment && rg_commit_msg_keeps_comments(run->repo)) {
		rg_buf_truncate(&text, rg_commit_msg_end(rg_buf_cstr(&text), text.len, comment));
		free(comment); /* git records the comment lines above the scissors */
		comment = NULL;
	}
	rg_commit_msg_clean(&clean, rg_buf_cstr(&text), text.len, comment);
	rg_commit_msg_utf8(&msg, run->repo, rg_buf_cstr(&clean));
	r = rg_commit_msg_check(&run->findings, &run->ctx, rg_buf_cstr(&msg), path);
	if (r >= 0) /* a key pasted into the message is pushed with the commit */
		r = rg_content_check_message(&run->findings, &run->ctx, NULL, 0, path, rg_buf_cstr(&msg), msg.len);
out:
	free(comment);
	rg_buf_dispose(&text);
	rg_buf_dispose(&clean);
	rg_buf_dispose(&msg);
	return r;
}

int rg_hook_message_check(const rg_cmd_entry *e, const rg_run_opts *opts, int verbatim, int argc, char **argv)
{
	rg_run_opts o = *opts;
	rg_run run;
	int c, r;

	optind = 1;
	while ((c = getopt_long(argc, argv, RG_RUN_OPTSTRING, commit_msg_opts, NULL)) != -1) {
		r = rg_run_option(&o, c, optarg);
		if (r < 0)
			return RG_EXIT_USAGE;
		if (r == 0)
			return rg_cmd_usage(e, NULL);
	}
	if (optind + 1 != argc)
		return rg_cmd_usage(e, optind < argc ? "too many arguments" : "the message FILE is missing");
	r = rg_run_start(&run, &o);
	if (r == 0) {
		int s = commit_msg_run(&run, argv[optind], verbatim);

		r = s < 0 ? rg_run_fail(&run, s) : rg_run_finish(&run);
	}
	rg_run_free(&run);
	return r;
}

static int cmd_commit_msg(int argc, char **argv)
{
	static const rg_run_opts o = {
		.command = "commit-msg",
		.mode = RG_MODE_COMMIT_MSG,
		.bypass = "To bypass once: REPOGUARD_SKIP=<rule> git commit ..., or git commit --no-verify.",
		.no_verify = "git commit --no-verify",
	};

	return rg_hook_message_check(&rg_cmd_commit_msg, &o, 0, argc, argv);
}
