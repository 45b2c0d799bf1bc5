/* cmd-help.c: `repoguard help [COMMAND]` and `repoguard version`. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <git2.h>
#include <pcre2.h>

#include "repoguard/cmd.h"
#include "repoguard/rule.h"

static int cmd_help(int argc, char **argv);
static int cmd_version(int argc, char **argv);

const rg_cmd_entry rg_cmd_help = {
	"help", "repoguard help [COMMAND]", "show help for repoguard or one command", NULL, cmd_help, 0
};

const rg_cmd_entry rg_cmd_version = {
	"version", "repoguard version", "print the version and library versions", NULL, cmd_version, 0
};

/*
 * The ids of the built-in secret patterns, wrapped: REPOGUARD_SKIP,
 * [secrets] disable and the findings name them (secrets.ID).
 */
static void help_secret_ids(void)
{
	const char *name;
	size_t i, j, col = 0;

	printf("\nSecret ids (secrets.ID, for REPOGUARD_SKIP and [secrets] disable):\n");
	for (i = 0; (name = rg_secrets_builtin_name(i)) != NULL; i++) {
		for (j = 0; j < i; j++)
			if (!strcmp(rg_secrets_builtin_name(j), name))
				break;
		if (j < i)
			continue;
		if (col && col + strlen(name) + 10 > 79) {
			putchar('\n');
			col = 0;
		}
		col += (size_t)printf("%ssecrets.%s", col ? " " : "   ", name);
	}
	if (col)
		putchar('\n');
}

static void help_all(void)
{
	size_t i;

	printf("usage: repoguard [-C DIR] COMMAND [ARGS]\n\n"
	       "repoguard guards a git repository against costly mistakes: blocked paths\n"
	       "(node_modules/, .vite/), large files, bulk adds, deleted protected files.\n\nCommands:\n");
	for (i = 0; i < rg_commands_count; i++)
		printf("   %-16s %s\n", rg_commands[i]->name, rg_commands[i]->summary);
	printf("\nRules:\n");
	for (i = 0; i < rg_rules_count; i++)
		printf("   %-16s %s\n", rg_rules[i]->id, rg_rules[i]->summary);
	help_secret_ids();
	printf("\nExit status: 0 clean, 1 a rule failed, 2 usage error, 3 configuration error,\n"
	       "4 repository or internal error.\n"
	       "Environment: REPOGUARD_SKIP=rule,rule skips rules for one command;\n"
	       "REPOGUARD_CONFIG=FILE names the configuration; NO_COLOR disables colour.\n"
	       "See 'repoguard help COMMAND' and man repoguard(1).\n");
}

static int cmd_help(int argc, char **argv)
{
	const rg_cmd_entry *e;

	if (argc < 2) {
		help_all();
		return RG_EXIT_OK;
	}
	if (argc > 2)
		return rg_cmd_usage(&rg_cmd_help, "unexpected argument '%s'", argv[2]);
	e = rg_cmd_find(argv[1]);
	if (!e) {
		rg_die_msg("no such command '%s'. See 'repoguard help'.", argv[1]);
		return RG_EXIT_USAGE;
	}
	rg_cmd_usage_print(stdout, e);
	printf("\n%s\n", e->summary);
	if (e->help)
		printf("\n%s\n", e->help);
	return RG_EXIT_OK;
}

static int cmd_version(int argc, char **argv)
{
	int maj, min, rev;
	char pcre[64];

	static const struct option none[] = { { NULL, 0, NULL, 0 } };

	optind = 1;
	if (getopt_long(argc, argv, "", none, NULL) != -1)
		return rg_cmd_usage(&rg_cmd_version, NULL);
	if (optind < argc)
		return rg_cmd_usage(&rg_cmd_version, "unexpected argument '%s'", argv[optind]);
	git_libgit2_version(&maj, &min, &rev);
	pcre2_config(PCRE2_CONFIG_VERSION, pcre);
	printf("repoguard %s (libgit2 %d.%d.%d, pcre2 %s)\n", RG_VERSION, maj, min, rev, pcre);
	return RG_EXIT_OK;
}
