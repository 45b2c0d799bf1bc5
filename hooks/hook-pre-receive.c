/*
 * hook-pre-receive.c: `repoguard pre-receive`, the server-side hook.
 *
 * git writes "<old> <new> <ref>" per ref on stdin and keeps the pushed
 * objects in a quarantine directory until the hook accepts them
 * (rg_repo_open makes them visible). New commits are those not reachable
 * from any ref the server has. The rules are the server's: the file named by
 * --config, REPOGUARD_CONFIG or the repository's git config repoguard.config,
 * else the .repoguard.ini committed on the target branch before the push (the
 * default branch for new branches and tags), never the pushed content, so a
 * push cannot weaken its own checks. Updates are grouped by the rules that
 * revision loads and each group is checked with its own; one report covers
 * them all.
 * ctx->updates holds the group being checked, ctx->push_updates the whole
 * push: a rule that needs the other refs of the push (the checkpoint rule
 * counts the tags pushed with a branch) reads them there, with its group's
 * configuration.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "repoguard/cmd.h"
#include "repoguard/run.h"
#include "repoguard/updates.h"

#define RECEIVE_GITLAB_PREFIX "GL-HOOK-ERR: "

static int cmd_pre_receive(int argc, char **argv);

const rg_cmd_entry rg_cmd_pre_receive = {
	"pre-receive",
	"repoguard pre-receive [--format FORMAT] [--config FILE] [--quiet] [--gitlab]",
	"server side: refuse pushes that break the rules",
	"Reads git's pre-receive lines (<old oid> <new oid> <ref>) from standard input\n"
	"and checks every received commit the server does not have yet, one by one\n"
	"against its first parent (a merge only for what none of its parents has).\n"
	"Rules come from --config, REPOGUARD_CONFIG, the git config key\n"
	"repoguard.config (relative to the repository), else from the\n"
	".repoguard.ini of the target branch before the push (the default branch for\n"
	"new refs), never from the pushed content. --gitlab prefixes every line with\n"
	"GL-HOOK-ERR: so that GitLab shows it to the pusher.",
	cmd_pre_receive,
	RG_CMD_HOOK | RG_CMD_STDIN
};

static const struct option pre_receive_opts[] = {
	{ "format", required_argument, NULL, 'f' },
	{ "config", required_argument, NULL, 'c' },
	{ "quiet", no_argument, NULL, 'q' },
	{ "gitlab", no_argument, NULL, 'G' },
	{ NULL, 0, NULL, 0 }
};

/* The revision whose .repoguard.ini governs an update (string owned by the caller). */
static char *receive_config_rev(const rg_update *u)
{
	char hex[GIT_OID_HEXSZ + 1];

	if (rg_update_is_create(u) || !rg_str_startswith(u->ref, "refs/heads/"))
		return rg_strdup("HEAD");
	git_oid_tostr(hex, sizeof(hex), &u->old_id);
	return rg_strdup(hex);
}

/* ctx->updates: the updates of the push whose rules key is key. */
static void receive_set_updates(rg_ctx *ctx, const rg_ctx *all, char **keys, const char *key)
{
	size_t i;

	for (i = 0; i < ctx->nupdates; i++) {
		free(ctx->updates[i].ref);
		free(ctx->updates[i].local_ref);
	}
	ctx->nupdates = 0;
	for (i = 0; i < all->nupdates; i++)
		if (!strcmp(keys[i], key))
			rg_ctx_add_update(ctx, all->updates[i].ref, NULL, &all->updates[i].old_id,
				&all->updates[i].new_id);
}

/*
 * Updates are grouped by the rules they load (rg_conf_rules_key: two
 * branches with the same .repoguard.ini are one group), and each group walks
 * everything the server lacks with its own rules: a commit two groups share
 * is checked under both (within a group, once), so no ordering of the refs
 * lets a laxer group's walk stand in for a stricter one. A finding both
 * groups make alike is reported once (rg_run_reconfigure, rg_run_finish).
 */
static int receive_run(rg_run_opts *o, const rg_ctx *all, char **revs)
{
	rg_run run;
	git_oid *have = NULL;
	char **keys = NULL;
	size_t n = 0, alloc = 0, i, j, ngroups = 0;
	int r;

	o->config_blob_rev = all->nupdates ? revs[0] : "HEAD";
	r = rg_run_start(&run, o);
	if (r)
		goto out;
	/* a group's rules still see the whole push (checkpoint tags pushed with a branch) */
	run.ctx.push_updates = all->updates;
	run.ctx.npush_updates = all->nupdates;
	keys = rg_calloc(all->nupdates + 1, sizeof(*keys));
	for (i = 0; i < all->nupdates; i++)
		keys[i] = rg_conf_rules_key(run.repo, &run.o, revs[i]);
	r = rg_refs_commits(&have, &n, &alloc, run.repo, NULL);
	for (i = 0; i < all->nupdates && r == RG_OK; i++) {
		int seen = 0;

		for (j = 0; j < i && !seen; j++)
			seen = !strcmp(keys[j], keys[i]);
		if (seen)
			continue;
		if (ngroups++ > 0 && (r = rg_run_reconfigure(&run, revs[i])) != 0)
			goto out;
		receive_set_updates(&run.ctx, all, keys, keys[i]);
		r = rg_updates_classify(&run.ctx);
		if (r == RG_OK)
			r = rg_source_updates(&run.ctx, have, n, rg_run_changeset, &run);
	}
	r = r < 0 ? rg_run_fail(&run, r) : rg_run_finish(&run);
out:
	rg_strv_free(keys);
	free(have);
	rg_run_free(&run);
	return r;
}

static int cmd_pre_receive(int argc, char **argv)
{
	rg_run_opts o = { 0 };
	rg_ctx all;
	char **revs = NULL;
	size_t i;
	int c, r;

	o.command = "pre-receive";
	o.mode = RG_MODE_PRE_RECEIVE;
	o.bare_ok = 1;
	o.no_repo_config = 1;
	optind = 1;
	while ((c = getopt_long(argc, argv, RG_RUN_OPTSTRING, pre_receive_opts, NULL)) != -1) {
		if (c == 'G') {
			o.prefix = RECEIVE_GITLAB_PREFIX;
			continue;
		}
		r = rg_run_option(&o, c, optarg);
		if (r < 0)
			return RG_EXIT_USAGE;
		if (r == 0)
			return rg_cmd_usage(&rg_cmd_pre_receive, NULL);
	}
	if (optind < argc)
		return rg_cmd_usage(&rg_cmd_pre_receive, "unexpected argument '%s'", argv[optind]);
	memset(&all, 0, sizeof(all));
	all.mode_name = "pre-receive";
	r = rg_updates_read(&all, rg_hook_stdin, 1);
	if (r < 0) {
		fprintf(stderr, "%srepoguard: error: %s\n", o.prefix ? o.prefix : "", rg_error_last());
		r = RG_EXIT_USAGE;
		goto out;
	}
	revs = rg_calloc(all.nupdates + 1, sizeof(*revs));
	for (i = 0; i < all.nupdates; i++)
		revs[i] = receive_config_rev(&all.updates[i]);
	r = receive_run(&o, &all, revs);
out:
	rg_strv_free(revs);
	rg_ctx_free(&all);
	return r;
}
