/*
 * run.h: the pipeline every checking command shares: open the repository,
 * load the rules (fail closed), run sources through the engine, report.
 */
#ifndef REPOGUARD_RUN_H
#define REPOGUARD_RUN_H

#include <git2.h>
#include "change.h"
#include "config.h"
#include "context.h"
#include "finding.h"
#include "report.h"

typedef struct {
	const char *command;   /* name shown in reports */
	int mode;              /* RG_MODE_* */
	const char *format;    /* text (default), json, ... */
	const char *config;    /* explicit config file, or NULL */
	int quiet;
	const char *prefix;    /* line prefix for every report line */
	const char *bypass;    /* bypass hint printed when a rule fails */
	const char *no_verify; /* git's bypass of this hook ("git commit --no-verify"), or NULL */
	int bare_ok;           /* may run in a bare repository */
	int no_repo_config;    /* ignore the work tree's .repoguard.ini (server side) */
	const char *config_blob_rev; /* read .repoguard.ini from this revision instead */
} rg_run_opts;

typedef struct {
	rg_run_opts o;
	git_repository *repo;
	rg_conf conf;
	rg_ctx ctx;
	rg_findings findings;
	size_t group_start;    /* findings of the current configuration start here (rg_run_reconfigure) */
	const rg_reporter *reporter;
	FILE *out;
} rg_run;

/* Returns 0, or an exit status (config, usage, internal) after printing why. */
int rg_run_start(rg_run *run, const rg_run_opts *o);
/* rg_run_start in two steps: open the repository, then load the rules (run->o may change between). */
int rg_run_open(rg_run *run, const rg_run_opts *o);
int rg_run_configure(rg_run *run);
/*
 * Finish the rules of the current configuration, then load and configure the
 * one committed at config_blob_rev (findings are kept): a server checks each
 * pushed branch with that branch's own rules. A finding equal to one an
 * earlier configuration made is dropped (rg_findings_dedupe), here and in
 * rg_run_finish.
 */
int rg_run_reconfigure(rg_run *run, const char *config_blob_rev);
/* rg_source_cb: feed one change set to the engine. */
int rg_run_changeset(rg_changeset *cs, void *run);
/* Report and return the exit status (0 or RG_EXIT_VIOLATION). */
int rg_run_finish(rg_run *run);
/* Print an internal error from rg_error_last() and return its exit status. */
int rg_run_fail(rg_run *run, int err);
void rg_run_free(rg_run *run);

/* Common options of checking commands: --format, --config, --quiet. */
#define RG_RUN_OPTSTRING "f:c:q"
int rg_run_option(rg_run_opts *o, int c, const char *arg);

/* Open the repository from the environment as git hooks see it. */
int rg_repo_open(git_repository **out);
/*
 * RG_ERROR, with the reason git_repository_open* failed in rg_error_last():
 * a repository that needs an extension libgit2 1.5 lacks (SHA-256 object
 * names) says so, rather than "not a git repository".
 */
int rg_repo_open_failed(void);
/*
 * The repository's own configuration file as the loads below resolve it
 * (--config, REPOGUARD_CONFIG, git config repoguard.config relative to the
 * work tree, else .repoguard.ini at its root), or NULL; *why names what chose
 * it ("git config repoguard.config", ...), NULL for the default.
 */
char *rg_conf_repo_path(git_repository *repo, const rg_run_opts *o, const char **why);
/*
 * What decides the rules rg_conf_load_rules loads with o->config_blob_rev =
 * rev, as a string: "" when a file does (--config, REPOGUARD_CONFIG,
 * repoguard.config: the same for every revision), else the blob id of
 * rev:.repoguard.ini, "-" when rev has none (the built-in rules), or a key
 * of its own when it cannot be read (the load reports why). Revisions with
 * equal keys load the same rules. Free with free().
 */
char *rg_conf_rules_key(git_repository *repo, const rg_run_opts *o, const char *rev);
/* Load the layered configuration for repo (defaults + repository file). */
int rg_conf_load_repo(rg_conf *conf, git_repository *repo, const rg_run_opts *o);
/* The same for a repository file's text (origin names it in messages), then every rule's configure. */
int rg_conf_load_text(rg_conf *conf, const char *text, size_t len, const char *origin);
/*
 * Load the configuration and configure every rule from it: what every
 * checking command does before it runs, and all that `repoguard config`
 * checks. Each problem (unknown section or key, bad value, bad pattern, a
 * rule's own checks) is recorded in conf->errors, not only the first;
 * RG_ECONFIG if there is any. The rules' states go to *states (one per rule
 * table entry), or are dropped when states is NULL.
 */
int rg_conf_load_rules(void ***states, rg_conf *conf, git_repository *repo, const rg_run_opts *o);

#endif
