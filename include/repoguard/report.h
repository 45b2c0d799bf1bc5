/* report.h: reporters render findings; one file per format in src/report/. */
#ifndef REPOGUARD_REPORT_H
#define REPOGUARD_REPORT_H

#include <stdio.h>
#include "finding.h"

typedef struct {
	const char *command;  /* "pre-commit", "ci", ... */
	FILE *out;
	int color;            /* ANSI colours (text only) */
	int quiet;            /* only errors (text) */
	const char *prefix;   /* line prefix, e.g. "GL-HOOK-ERR: " */
	const char *bypass;   /* how to bypass once, shown on failure (text), or NULL */
	const char *repo_root;/* for SARIF uri base, may be NULL */
} rg_report_opts;

typedef struct {
	const char *name;
	int (*render)(const rg_findings *f, const rg_report_opts *o);
} rg_reporter;

const rg_reporter *rg_reporter_find(const char *name);
/* "text, json, ..." for usage messages */
const char *rg_reporter_names(void);

/* Colour decision: a terminal, NO_COLOR unset, TERM not dumb. */
int rg_report_want_color(FILE *f);

/*
 * --format github: a configuration error (errors: "file:line: message"
 * lines) as one ::error annotation per line, on the run (no file=: the file
 * may be outside the checkout or a blob), so that the check's summary says
 * why nothing was checked. The text on stderr is unchanged.
 */
void rg_report_github_config_errors(FILE *out, const char *command, const char *errors);

#endif
