/*
 * cmd.h: the command table (git.c style) and what commands share. Each
 * command is one file, src/cmd/cmd-NAME.c or hooks/hook-NAME.c, exporting
 * one rg_cmd_entry; src/main.c lists them.
 */
#ifndef REPOGUARD_CMD_H
#define REPOGUARD_CMD_H

#include <stdio.h>
#include "common.h"

#define RG_CMD_HOOK 1   /* also a git hook name: runs when invoked as hooks/NAME */
#define RG_CMD_STDIN 2  /* as a hook, git feeds it stdin (pre-push, pre-receive) */

typedef struct rg_cmd_entry {
	const char *name;
	const char *usage;    /* synopsis lines, without "usage: " */
	const char *summary;  /* one line for `repoguard help` */
	const char *help;     /* longer text for `repoguard help NAME`, may be NULL */
	int (*exec)(int argc, char **argv);
	int flags;
} rg_cmd_entry;

extern const rg_cmd_entry *const rg_commands[];
extern const size_t rg_commands_count;
const rg_cmd_entry *rg_cmd_find(const char *name);

/* Print "usage: ..." (and an error line when fmt) to stderr; returns RG_EXIT_USAGE. */
int rg_cmd_usage(const rg_cmd_entry *e, const char *fmt, ...) RG_PRINTF(2, 3);
/* Print e's usage lines to out: "usage: ", "   or: " for an alternative, a line starting with a blank continues. */
void rg_cmd_usage_print(FILE *out, const rg_cmd_entry *e);

/* Where hook commands read git's stdin from (a replayable copy when chained). */
extern FILE *rg_hook_stdin;

/* Run e as the git hook argv[0] names, then any hook it replaced. */
int rg_hook_main(const rg_cmd_entry *e, int argc, char **argv);

/* Print "repoguard: error: <msg>" to stderr. */
void rg_die_msg(const char *fmt, ...) RG_PRINTF(1, 2);
void rg_warn_msg(const char *fmt, ...) RG_PRINTF(1, 2);

#endif
