/* cmd-config.c: `repoguard config`: the effective rules and where each value came from. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "repoguard/buf.h"
#include "repoguard/cmd.h"
#include "repoguard/content.h"
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

/*
 * The dump with every secret the built-in rules know masked, line by line,
 * as the audit's config section masks each value: a [content.NAME] pattern
 * or a message written against a leaked key names it, and `repoguard config`
 * runs in CI logs too.
 */
static void config_print_masked(const rg_buf *dump)
{
	rg_buf line = RG_BUF_INIT, masked = RG_BUF_INIT;
	const char *p = rg_buf_cstr(dump), *nl;

	while (*p) {
		nl = strchr(p, '\n');
		rg_buf_clear(&line);
		rg_buf_put(&line, p, nl ? (size_t)(nl - p) : strlen(p));
		rg_buf_clear(&masked);
		rg_content_mask_value(&masked, rg_buf_cstr(&line));
		fputs(rg_buf_cstr(&masked), stdout);
		if (!nl)
			break;
		fputc('\n', stdout);
		p = nl + 1;
	}
	rg_buf_dispose(&masked);
	rg_buf_dispose(&line);
}

static int cmd_config(int argc, char **argv)
{
	rg_run_opts o = { 0 };
	git_repository *repo = NULL;
	rg_conf conf;
	rg_buf out = RG_BUF_INIT;
	int c, origin = 1, dflt = 0, r = RG_EXIT_OK;

	optind = 1;
	while ((c = getopt_long(argc, argv, "c:", config_opts, NULL)) != -1) {
		if (c == 'c') {
			if (rg_run_option(&o, c, optarg) < 0)
				return RG_EXIT_USAGE; /* --config '': an unset variable, as the checking commands say */
		} else if (c == 'n')
			origin = 0;
		else if (c == 'd')
			dflt = 1;
		else
			return rg_cmd_usage(&rg_cmd_config, NULL);
	}
	if (optind < argc)
		return rg_cmd_usage(&rg_cmd_config, "unexpected argument '%s'", argv[optind]);
	if (dflt) {
		fputs(rg_default_rules, stdout);
		return RG_EXIT_OK;
	}
	/* outside a repository: defaults plus --config; one that cannot be opened is an error */
	if ((r = rg_repo_open(&repo)) == RG_ENOTFOUND) {
		repo = NULL;
	} else if (r < 0) {
		fprintf(stderr, "repoguard: error: %s\n", rg_error_last());
		return RG_EXIT_INTERNAL;
	}
	r = RG_EXIT_OK;
	rg_conf_init(&conf);
	if (rg_conf_load_rules(NULL, &conf, repo, &o) < 0) {
		fprintf(stderr, "repoguard: configuration error:\n%s", rg_buf_cstr(&conf.errors));
		r = RG_EXIT_CONFIG;
	} else {
		rg_conf_dump(&out, &conf, origin);
		config_print_masked(&out);
	}
	rg_buf_dispose(&out);
	rg_conf_free(&conf);
	git_repository_free(repo);
	return r;
}
