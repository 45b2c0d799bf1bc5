/*
 * cfgenv.h: the configuration git hands to hooks through the environment,
 * which libgit2 1.5 does not read: `git -c key=value` and
 * `git --config-env key=VAR` (GIT_CONFIG_PARAMETERS, in git's quoted form
 * 'key'='value', or 'key=value' from gits before 2.31), and
 * GIT_CONFIG_COUNT with GIT_CONFIG_KEY_<n> / GIT_CONFIG_VALUE_<n>. As in
 * git, these come after every configuration file: they take precedence.
 */
#ifndef REPOGUARD_CFGENV_H
#define REPOGUARD_CFGENV_H

#include <stddef.h>
#include <git2.h>

typedef struct {
	char *key;    /* canonical as git's: section and name lower-case, a subsection as given */
	char *value;  /* NULL: the key alone ("git -c core.bare"), git's boolean true */
} rg_cfgenv_entry;

typedef struct {
	rg_cfgenv_entry *v;
	size_t n, alloc;
} rg_cfgenv;

void rg_cfgenv_init(rg_cfgenv *env);
void rg_cfgenv_free(rg_cfgenv *env);

/*
 * Append the entries of GIT_CONFIG_PARAMETERS text, unquoted as git's
 * sq_dequote does. At the first malformed item (git refuses to run with
 * one): RG_ERROR with git's message in rg_error_last(); the entries before
 * it are kept.
 */
int rg_cfgenv_parse(rg_cfgenv *env, const char *text);

/* Append one key and value (value NULL: boolean true); RG_ERROR on a key git rejects. */
int rg_cfgenv_add(rg_cfgenv *env, const char *key, const char *value);

/*
 * Append what the environment holds, in git's order: the GIT_CONFIG_COUNT
 * pairs, then GIT_CONFIG_PARAMETERS. RG_ERROR as rg_cfgenv_parse.
 */
int rg_cfgenv_load(rg_cfgenv *env);

/* The last entry for key (any case in its section and name), or NULL. */
const rg_cfgenv_entry *rg_cfgenv_get(const rg_cfgenv *env, const char *key);

/*
 * A git configuration value as git would read it in a hook: the
 * environment's (above), else cfg's (cfg may be NULL). A key given without a
 * value in the environment has no string value and is passed over. *out is
 * allocated; RG_ENOTFOUND (and *out NULL) when the key is not set.
 */
int rg_git_config_string(char **out, git_config *cfg, const char *key);
/* The same for a path: a leading "~/" is the home directory, as in git. */
int rg_git_config_path(char **out, git_config *cfg, const char *key);
/*
 * The same for a boolean (a key given alone is true): RG_OK, or RG_ENOTFOUND
 * when it is not set or not a boolean; *out is dflt then.
 */
int rg_git_config_bool(int *out, git_config *cfg, const char *key, int dflt);

/*
 * [includeIf "hasconfig:remote.*.url:GLOB"] (git 2.36), which libgit2 1.5
 * skips: when cfg has one that a remote.*.url (of cfg or `git -c`) matches,
 * the last value of key (or, key NULL, of any name match accepts) in git's
 * order with the included files read in place: *value allocated (NULL for a
 * key given alone), 1; 0 when not set. -1 when cfg has no such include
 * that matches: libgit2's lookup is git's answer then. An include's path is
 * absolute, "~/", or relative to the global or XDG file that holds it; a
 * relative one elsewhere is skipped (libgit2 gives no entry's file). The
 * rg_git_config_* getters above go through it.
 */
int rg_git_config_hasconfig_last(char **value, git_config *cfg, const char *key,
	int (*match)(const char *name));

#endif
