/*
 * deploy-env.c: what the deploy commands share: opening the repository
 * with its configuration (and saying what is wrong with it), resolving
 * revisions given on the command line.
 */
#include <stdio.h>
#include <string.h>

#include "repoguard/buf.h"
#include "repoguard/cmd.h"
#include "repoguard/common.h"
#include "repoguard/deploy.h"
#include "repoguard/run.h"

int rg_deploy_resolve(git_oid *out, git_repository *repo, const char *rev, const char *what)
{
	git_object *obj = NULL, *c = NULL;
	int r = RG_OK;

	if (!strcmp(rev, "HEAD") && git_repository_head_unborn(repo) == 1) {
		rg_error_set("HEAD does not point to a commit: nothing is committed on this branch yet");
		r = RG_EUSAGE;
	} else if (git_revparse_single(&obj, repo, rev) < 0 || git_object_peel(&c, obj, GIT_OBJECT_COMMIT) < 0) {
		rg_error_set("%s '%s' is not a commit in this repository%s", what, rev,
			git_repository_is_shallow(repo) == 1 ?
			" (this clone is shallow: fetch more history, e.g. git fetch --unshallow)" : "");
		git_error_clear();
		r = RG_EUSAGE;
	} else {
		git_oid_cpy(out, git_object_id(c));
	}
	git_object_free(c);
	git_object_free(obj);
	return r;
}

static int env_config_failed(rg_deploy_env *env, const char *command)
{
	const char *s = rg_buf_cstr(&env->conf.errors);

	fprintf(stderr, "repoguard: configuration error; %s refuses to run until it is fixed:\n", command);
	while (*s) {
		const char *nl = strchr(s, '\n');
		size_t n = nl ? (size_t)(nl - s) : strlen(s);

		fprintf(stderr, "  %.*s\n", (int)n, s);
		s += n + (nl ? 1 : 0);
	}
	return RG_EXIT_CONFIG;
}

int rg_deploy_env_open(rg_deploy_env *env, const char *command, const char *config_file,
	int need_targets)
{
	rg_run_opts o;

	memset(env, 0, sizeof(*env));
	memset(&o, 0, sizeof(o));
	rg_conf_init(&env->conf);
	if (rg_repo_open(&env->repo) < 0) {
		rg_die_msg("%s", rg_error_last());
		return RG_EXIT_INTERNAL;
	}
	o.command = command;
	o.config = config_file;
	if (rg_conf_load_repo(&env->conf, env->repo, &o) < 0)
		return env_config_failed(env, command);
	if (rg_deploy_conf_load(&env->dc, &env->conf) < 0)
		return env_config_failed(env, command);
	if (need_targets && !env->dc.n) {
		rg_die_msg("no deploy targets are configured: add [deploy.NAME] sections with the "
			"paths of each target to .repoguard.ini (repoguard init proposes them)");
		return RG_EXIT_CONFIG;
	}
	return 0;
}

void rg_deploy_env_free(rg_deploy_env *env)
{
	rg_deploy_conf_free(&env->dc);
	rg_conf_free(&env->conf);
	git_repository_free(env->repo);
	memset(env, 0, sizeof(*env));
}
