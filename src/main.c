/*
 * main.c: the command table and dispatch (git.c style). When the binary is
 * invoked through a hook symlink (argv[0] ends in /pre-commit, ...), it runs
 * that hook's command and then any hook it replaced (see hooks/hook.c).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <git2.h>

#include "repoguard/cmd.h"

extern const rg_cmd_entry rg_cmd_pre_commit;
extern const rg_cmd_entry rg_cmd_pre_push;
extern const rg_cmd_entry rg_cmd_pre_receive;
extern const rg_cmd_entry rg_cmd_ci;
extern const rg_cmd_entry rg_cmd_config;
extern const rg_cmd_entry rg_cmd_help;
extern const rg_cmd_entry rg_cmd_version;
extern const rg_cmd_entry rg_cmd_install;
extern const rg_cmd_entry rg_cmd_commit_msg;
extern const rg_cmd_entry rg_cmd_pre_applypatch;
extern const rg_cmd_entry rg_cmd_applypatch_msg;
extern const rg_cmd_entry rg_cmd_pre_merge_commit;
extern const rg_cmd_entry rg_cmd_deploy_check;
extern const rg_cmd_entry rg_cmd_deploy_record;
extern const rg_cmd_entry rg_cmd_affected;
extern const rg_cmd_entry rg_cmd_init;
extern const rg_cmd_entry rg_cmd_audit;
extern const rg_cmd_entry rg_cmd_checkpoint;
extern const rg_cmd_entry rg_cmd_rollback;
extern const rg_cmd_entry rg_cmd_status;

const rg_cmd_entry *const rg_commands[] = {
	&rg_cmd_pre_commit,
	&rg_cmd_commit_msg,
	&rg_cmd_pre_applypatch,
	&rg_cmd_applypatch_msg,
	&rg_cmd_pre_merge_commit,
	&rg_cmd_pre_push,
	&rg_cmd_pre_receive,
	&rg_cmd_ci,
	&rg_cmd_config,
	&rg_cmd_install,
	&rg_cmd_deploy_check,
	&rg_cmd_deploy_record,
	&rg_cmd_affected,
	&rg_cmd_init,
	&rg_cmd_audit,
	&rg_cmd_checkpoint,
	&rg_cmd_rollback,
	&rg_cmd_status,
	&rg_cmd_help,
	&rg_cmd_version,
};
const size_t rg_commands_count = sizeof(rg_commands) / sizeof(rg_commands[0]);

FILE *rg_hook_stdin;


const rg_cmd_entry *rg_cmd_find(const char *name)
{
	size_t i;

	for (i = 0; i < rg_commands_count; i++)
		if (!strcmp(rg_commands[i]->name, name))
			return rg_commands[i];
	return NULL;
}

static void main_vmsg(const char *level, const char *fmt, va_list ap)
{
	fprintf(stderr, "repoguard: %s: ", level);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void rg_die_msg(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	main_vmsg("error", fmt, ap);
	va_end(ap);
}

void rg_warn_msg(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	main_vmsg("warning", fmt, ap);
	va_end(ap);
}

void rg_cmd_usage_print(FILE *out, const rg_cmd_entry *e)
{
	const char *u = e->usage;

	while (*u) {
		const char *nl = strchr(u, '\n');
		size_t n = nl ? (size_t)(nl - u) : strlen(u);
		const char *lead = u == e->usage ? "usage: " : *u == ' ' ? "       " : "   or: ";

		fprintf(out, "%s%.*s\n", lead, (int)n, u);
		u += n + (nl ? 1 : 0);
	}
}

int rg_cmd_usage(const rg_cmd_entry *e, const char *fmt, ...)
{
	if (fmt) {
		va_list ap;

		va_start(ap, fmt);
		main_vmsg("error", fmt, ap);
		va_end(ap);
	}
	rg_cmd_usage_print(stderr, e);
	return RG_EXIT_USAGE;
}

static const char *base_name(const char *p)
{
	const char *s = strrchr(p, '/');

	return s ? s + 1 : p;
}

/*
 * Does opt take a value, as the usage writes it ("-m MESSAGE", "--refs
 * all|HEAD"; not "--push [REMOTE]", whose value is given as --push=REMOTE)?
 */
static int main_takes_value(const char *usage, const char *opt)
{
	size_t n = strlen(opt);
	const char *p;

	if (opt[0] != '-' || strchr(opt, '='))
		return 0;
	for (p = strstr(usage, opt); p; p = strstr(p + 1, opt))
		if ((p == usage || p[-1] == '[' || p[-1] == ' ') && p[n] == ' ' &&
		    p[n + 1] && !strchr("[-\n", p[n + 1]))
			return 1;
	return 0;
}

/*
 * `repoguard COMMAND --help` (anywhere before a `--`, but not as an option's
 * value: checkpoint -m --help) or `repoguard COMMAND -h` is `repoguard help
 * COMMAND`, as in git: help on stdout, exit 0.
 */
static int main_wants_help(const rg_cmd_entry *e, int argc, char **argv)
{
	int i;

	if (argc > 1 && !strcmp(argv[1], "-h"))
		return 1;
	for (i = 1; i < argc && strcmp(argv[i], "--"); i++) {
		if (!strcmp(argv[i], "--help"))
			return 1;
		if (main_takes_value(e->usage, argv[i]))
			i++;
	}
	return 0;
}

static int main_usage(void)
{
	fputs("usage: repoguard [-C DIR] COMMAND [ARGS]\n"
	      "       repoguard --help | --version\n"
	      "See 'repoguard help' for the commands.\n", stderr);
	return RG_EXIT_USAGE;
}

int main(int argc, char **argv)
{
	const rg_cmd_entry *e;
	const char *self = argc > 0 ? base_name(argv[0]) : "repoguard";
	int r, i = 1;

	rg_hook_stdin = stdin;
	rg_git_init(); /* also turns off libgit2's re-hashing of every object read */

	e = rg_cmd_find(self);
	if (e && (e->flags & RG_CMD_HOOK)) {
		r = rg_hook_main(e, argc, argv);
		goto out;
	}
	while (i < argc && argv[i][0] == '-') {
		if (!strcmp(argv[i], "-C")) {
			if (i + 1 >= argc) {
				rg_die_msg("-C needs a directory");
				r = main_usage();
				goto out;
			}
			/* git(1): an empty -C "" leaves the directory unchanged */
			if (argv[i + 1][0] && chdir(argv[i + 1]) < 0) {
				rg_die_msg("cannot change to '%s': %s", argv[i + 1], strerror(errno));
				r = RG_EXIT_USAGE;
				goto out;
			}
			i += 2;
		} else if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			/*
			 * As in git, `--help [COMMAND]` is `help [COMMAND]` and
			 * `--version` is `version`: the arguments that follow go
			 * to them, which refuse what they do not take (exit 2).
			 */
			argv[i] = "help";
			r = rg_cmd_help.exec(argc - i, argv + i);
			goto out;
		} else if (!strcmp(argv[i], "--version")) {
			argv[i] = "repoguard version"; /* getopt names it */
			r = rg_cmd_version.exec(argc - i, argv + i);
			goto out;
		} else {
			rg_die_msg("unknown option '%s'", argv[i]);
			r = main_usage();
			goto out;
		}
	}
	if (i >= argc) {
		r = main_usage();
		goto out;
	}
	e = rg_cmd_find(argv[i]);
	if (!e) {
		rg_die_msg("'%s' is not a repoguard command. See 'repoguard help'.", argv[i]);
		r = RG_EXIT_USAGE;
		goto out;
	}
	if (main_wants_help(e, argc - i, argv + i)) {
		r = rg_cmd_help.exec(2, (char *[]){ "help", (char *)e->name, NULL });
		goto out;
	}
	{
		/* getopt names argv[0] in its messages: "repoguard ci: invalid option -- 'x'" */
		char *name = rg_printf("repoguard %s", e->name);

		argv[i] = name;
		r = e->exec(argc - i, argv + i);
		free(name);
	}
out:
	/*
	 * A report that could not be written (a full disk under
	 * --format sarif >FILE) must not pass for a clean run with an empty
	 * or cut report: an internal error, as git's own commands make it.
	 */
	{
		int err = fflush(stdout) != 0 ? errno : 0;

		if ((err || ferror(stdout)) && err != EPIPE) {
			fprintf(stderr, "repoguard: error: cannot write the output: %s\n",
				err ? strerror(err) : "a write to it failed");
			r = RG_EXIT_INTERNAL;
		}
	}
	git_libgit2_shutdown();
	return r;
}
