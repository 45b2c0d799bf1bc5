/*
 * cmd-deploy-record.c: `repoguard deploy-record TARGET`, run after a
 * successful deploy: tag HEAD deploy/TARGET/<UTC time> so that the next
 * deploy-check and affected know what is deployed.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "repoguard/buf.h"
#include "repoguard/cmd.h"
#include "repoguard/context.h"
#include "repoguard/deploy.h"

static int cmd_deploy_record(int argc, char **argv);

const rg_cmd_entry rg_cmd_deploy_record = {
	"deploy-record",
	"repoguard deploy-record TARGET [REV] [--config FILE]",
	"after a deploy: tag HEAD (or REV) as the last deploy of TARGET",
	"Creates the lightweight tag deploy/TARGET/YYYYMMDDTHHMMSSZ (the UTC time; a\n"
	"second deploy in the same second gets -2, -3, ...) on HEAD, or on REV to\n"
	"record what is deployed already. Prints the tag name on stdout, so a deploy\n"
	"script can share it: git push origin \"$(repoguard deploy-record ec2)\".\n"
	"REPOGUARD_NOW (seconds since the epoch) overrides the clock.\n"
	"Exit status: 0 recorded, 2 usage (unknown target, bad REV), 3 configuration,\n"
	"4 repository error.",
	cmd_deploy_record,
	0
};

static const struct option dr_opts[] = {
	{ "config", required_argument, NULL, 'c' },
	{ NULL, 0, NULL, 0 }
};

static int dr_record(rg_deploy_env *env, const char *target, const char *rev)
{
	rg_ctx ctx;
	git_oid id;
	char *tag = NULL;
	char hex[GIT_OID_HEXSZ + 1];
	int r;

	if (rg_deploy_conf_find(&env->dc, target) < 0) {
		rg_buf names = RG_BUF_INIT;

		rg_deploy_conf_names(&names, &env->dc);
		rg_die_msg("'%s' is not a deploy target; the configured targets are: %s", target, names.ptr);
		rg_buf_dispose(&names);
		return RG_EXIT_USAGE;
	}
	if (rg_deploy_resolve(&id, env->repo, rev, "revision") < 0) {
		rg_die_msg("%s", rg_error_last());
		return RG_EXIT_USAGE;
	}
	if (rg_ctx_init(&ctx, NULL, NULL, 0, "deploy-record") < 0) {
		rg_die_msg("%s", rg_error_last());
		rg_ctx_free(&ctx);
		return RG_EXIT_USAGE; /* REPOGUARD_NOW: the only way it fails without a repository */
	}
	r = rg_deploy_record(&tag, env->repo, target, &id, ctx.now);
	rg_ctx_free(&ctx);
	if (r < 0) {
		rg_die_msg("cannot record the deploy: %s", rg_error_last());
		return RG_EXIT_INTERNAL;
	}
	git_oid_tostr(hex, sizeof(hex), &id);
	printf("%s\n", tag);
	fprintf(stderr, "repoguard: recorded the deploy of %s at %.12s as tag %s "
		"(share it: git push origin %s)\n", target, hex, tag, tag);
	free(tag);
	return RG_EXIT_OK;
}

static int cmd_deploy_record(int argc, char **argv)
{
	rg_deploy_env env;
	const char *config = NULL;
	int c, r;

	optind = 1;
	while ((c = getopt_long(argc, argv, "c:", dr_opts, NULL)) != -1) {
		if (c == 'c')
			config = optarg;
		else
			return rg_cmd_usage(&rg_cmd_deploy_record, NULL);
	}
	if (optind >= argc)
		return rg_cmd_usage(&rg_cmd_deploy_record, "which target was deployed?");
	if (optind + 2 < argc)
		return rg_cmd_usage(&rg_cmd_deploy_record, "unexpected argument '%s'", argv[optind + 2]);
	r = rg_deploy_env_open(&env, "deploy-record", config, 1);
	if (r == 0)
		r = dr_record(&env, argv[optind], optind + 1 < argc ? argv[optind + 1] : "HEAD");
	rg_deploy_env_free(&env);
	return r;
}
