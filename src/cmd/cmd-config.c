/* cmd-config.c: `repoguard config`: the effective rules and where each value came from. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "repoguard/buf.h"
#include "repoguard/cmd.h"
#include "repoguard/rule.h"
#include "repoguard/run.h"

static int cmd_config(int argc, char **argv);

const rg_cmd_entry rg_cmd_config = {
	"config",
	"repoguard config [--config FILE] [--no-origin] [--default]",
	"print the effective configuration and where each value came from",
	"Prints the rules in effect: the built-in default rules.ini, overlaid by the\n"
	"repository's .repoguard.ini (or the file named by the git config key\n"
	"repoguard.config, REPOGUARD_CONFIG, or --config). Each value is followed by\n"
	"its origin as '; file:line'. --default prints the built-in rules.ini.\n"
	"Checks it as the hooks do (every rule is configured from it) and exits 3,\n"
	"listing every problem with its file:line, when it is invalid.",
	cmd_config,
	0
};

static const struct option config_opts[] = {
	{ "config", required_argument, NULL, 'c' },
	{ "no-origin", no_argument, NULL, 'n' },
	{ "default", no_argument, NULL, 'd' },
	{ NULL, 0, NULL, 0 }
};

static int cmd_config(int argc, char **argv)
{
	rg_run_opts o = { 0 };
	git_repository *repo = NULL;
	rg_conf conf;
	rg_buf out = RG_BUF_INIT;
	int c, origin = 1, r = RG_EXIT_OK;

	optind = 1;
	while ((c = getopt_long(argc, argv, "c:", config_opts, NULL)) != -1) {
		if (c == 'c') {
			if (rg_run_option(&o, c, optarg) < 0)
				return RG_EXIT_USAGE; /* --config '': an unset variable, as the checking commands say */
		} else if (c == 'n')
			origin = 0;
		else if (c == 'd') {
			fputs(rg_default_rules, stdout);
			return RG_EXIT_OK;
		} else
			return rg_cmd_usage(&rg_cmd_config, NULL);
	}
	if (optind < argc)
		return rg_cmd_usage(&rg_cmd_config, "unexpected argument '%s'", argv[optind]);
	if (rg_repo_open(&repo) < 0) {
		repo = NULL; /* outside a repository: defaults plus --config */
	}
	rg_conf_init(&conf);
	if (rg_conf_load_rules(NULL, &conf, repo, &o) < 0) {
		fprintf(stderr, "repoguard: configuration error:\n%s", rg_buf_cstr(&conf.errors));
		r = RG_EXIT_CONFIG;
	} else {
		rg_conf_dump(&out, &conf, origin);
		fputs(rg_buf_cstr(&out), stdout);
	}
	rg_buf_dispose(&out);
	rg_conf_free(&conf);
	git_repository_free(repo);
	return r;
}
