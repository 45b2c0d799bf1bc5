/* checkpoint-session.c: repository and configuration for the checkpoint commands. */
#include <stdio.h>
#include <string.h>

#include "repoguard/checkpoint.h"
#include "repoguard/cmd.h"
#include "repoguard/rule.h"
#include "repoguard/run.h"

static int session_config_failed(rg_ckpt_session *s, const char *command)
{
	const char *e = rg_buf_cstr(&s->conf.errors);

	fprintf(stderr, "repoguard: configuration error; %s refuses to run until it is fixed:\n", command);
	while (*e) {
		size_t n = strcspn(e, "\n");

		fprintf(stderr, "  %.*s\n", (int)n, e);
		e += n + (e[n] ? 1 : 0);
	}
	return RG_EXIT_CONFIG;
}

int rg_ckpt_session_open(rg_ckpt_session *s, const char *command, const char *config_file)
{
	rg_run_opts o;
	int r;

	memset(s, 0, sizeof(*s));
	memset(&o, 0, sizeof(o));
	o.command = command;
	o.config = config_file;
	rg_conf_init(&s->conf);
	if (rg_repo_open(&s->repo) < 0) {
		rg_die_msg("%s", rg_error_last());
		return RG_EXIT_INTERNAL;
	}
	if (rg_conf_load_repo(&s->conf, s->repo, &o) < 0 || rg_ckpt_conf_load(&s->ck, &s->conf) < 0)
		return session_config_failed(s, command);
	if ((r = rg_ctx_init(&s->ctx, s->repo, &s->conf, 0, command)) < 0) {
		rg_die_msg("%s", rg_error_last());
		return r == RG_EUSAGE ? RG_EXIT_USAGE : RG_EXIT_INTERNAL;
	}
	return 0;
}

void rg_ckpt_session_close(rg_ckpt_session *s)
{
	rg_ctx_free(&s->ctx);
	rg_ckpt_conf_free(&s->ck);
	rg_conf_free(&s->conf);
	git_repository_free(s->repo);
	memset(s, 0, sizeof(*s));
}
