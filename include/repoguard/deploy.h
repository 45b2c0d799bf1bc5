/*
 * deploy.h: deploy targets and the mapping of changed paths to them.
 *
 * [deploy.NAME] sections name the places a repository is deployed to
 * (netlify, ec2, ...) and the paths that belong to each; [deploy] holds
 * what applies to all of them. This one module serves deploy-check,
 * deploy-record, affected, init and the deploy rule (pre-push), so that
 * they all agree on which path belongs where:
 *
 *   [deploy.netlify]
 *   paths = /src/ /public/ /index.html !/src/legacy/
 *   branches = deploy/netlify      ; pushes to these refs deploy it
 *   remotes = netlify              ; pushes to these remotes deploy it
 *   [deploy]
 *   unmapped = warn                ; off | warn | error
 *
 * Path patterns are the glob dialect of glob.h. A target's patterns are
 * read in order and the last one that matches a path decides; a pattern
 * matches a path when it matches the path itself or one of its leading
 * directories, so "!backend/" after "(starstar)" subtracts everything below
 * backend/ (unlike .gitignore, where nothing below a matched directory can
 * be re-included).
 */
#ifndef REPOGUARD_DEPLOY_H
#define REPOGUARD_DEPLOY_H

#include <stddef.h>
#include <stdint.h>
#include <git2.h>

#include "buf.h"
#include "change.h"
#include "config.h"
#include "glob.h"

/* [deploy] and [deploy.NAME]: the keys of both forms (checked per form on load). */
extern const rg_section_spec rg_deploy_section;

#define RG_DEPLOY_TAG_DIR "refs/tags/deploy/"

typedef struct {
	char *name;          /* "netlify" */
	rg_patlist paths;    /* in order; the last match decides */
	char **branches;     /* ref patterns (NULL-terminated, maybe empty) */
	char **remotes;      /* remote name or URL patterns */
} rg_deploy_target;

typedef struct {
	rg_deploy_target *v;
	size_t n, alloc;
	int unmapped;        /* RG_SEV_OFF, RG_SEV_WARN or RG_SEV_ERROR */
} rg_deploy_conf;

/*
 * Read the targets from conf. Problems are recorded with rg_conf_error
 * (file:line); returns RG_ECONFIG when there were any.
 */
int rg_deploy_conf_load(rg_deploy_conf *out, rg_conf *conf);
void rg_deploy_conf_free(rg_deploy_conf *dc);
/* Index of the target called name, or -1. */
int rg_deploy_conf_find(const rg_deploy_conf *dc, const char *name);
/* "netlify, ec2" */
void rg_deploy_conf_names(rg_buf *out, const rg_deploy_conf *dc);
/* Is name usable as a target (and so as a tag component)? */
int rg_deploy_name_valid(const char *name);

/* Does path belong to t? */
int rg_deploy_owns(const rg_deploy_target *t, const char *path);

/*
 * Does a push of the remote ref ref ("refs/heads/deploy/ec2") deploy t?
 * A branch pattern that starts with "refs/" is matched against the full
 * ref, any other against the branch name. remote_name / remote_url may be
 * NULL (pre-receive has no remote).
 */
int rg_deploy_pushes_to(const rg_deploy_target *t, const char *ref,
	const char *remote_name, const char *remote_url);

/* One changed path; a rename has both sides and belongs to the owners of either. */
typedef struct {
	char *path;          /* new path, or the old one for a deletion */
	char *from;          /* renames: the old path, else NULL */
	char status;         /* A D M T R */
} rg_deploy_change;

typedef struct {
	size_t *v;           /* indices into rg_deploy_map.changes */
	size_t n, alloc;
} rg_deploy_set;

typedef struct {
	rg_deploy_change *changes;  /* sorted by path, distinct (after finish) */
	size_t n, alloc;
	rg_deploy_set *per;         /* one per target (after finish) */
	size_t ntargets;
	rg_deploy_set unmapped;     /* changes no target owns */
} rg_deploy_map;

void rg_deploy_map_init(rg_deploy_map *m);
void rg_deploy_map_free(rg_deploy_map *m);
void rg_deploy_map_add(rg_deploy_map *m, char status, const char *from, const char *path);
/* Every delta of a change set (renames paired by the source count as one change). */
void rg_deploy_map_add_changeset(rg_deploy_map *m, const rg_changeset *cs);
/* The difference between two commits (from NULL: the empty tree), exact renames paired. */
int rg_deploy_map_commits(rg_deploy_map *m, git_repository *repo,
	const git_oid *from, const git_oid *to);
/* Sort, drop duplicates and assign every change to the targets that own it. */
void rg_deploy_map_finish(rg_deploy_map *m, const rg_deploy_conf *dc);
/* Does target i own a side of change c? (after finish) */
int rg_deploy_map_owns(const rg_deploy_map *m, size_t target, size_t change);

typedef enum {
	RG_DEPLOY_UNCHANGED = 0,  /* nothing changed */
	RG_DEPLOY_MATCH,          /* the deployed targets changed, no other target did */
	RG_DEPLOY_MIXED,          /* the deployed targets changed, other targets too */
	RG_DEPLOY_MISMATCH,       /* other targets changed, the deployed ones did not */
	RG_DEPLOY_UNMAPPED_ONLY   /* only paths that belong to no target changed */
} rg_deploy_outcome;

/* deploying[i] != 0: target i is being deployed. */
rg_deploy_outcome rg_deploy_judge(const rg_deploy_map *m, const int *deploying);

/* "all belong to netlify" / "belong to netlify (12) and to no target (2)" */
void rg_deploy_describe_owners(rg_buf *out, const rg_deploy_map *m,
	const rg_deploy_conf *dc, const int *deploying);
/* Number of changes owned by targets not deployed. */
size_t rg_deploy_count_others(const rg_deploy_map *m, const int *deploying);
/* "  path\n" (renames "  old -> new\n") for at most max changes, then "  ... and N more\n". */
void rg_deploy_list(rg_buf *out, const rg_deploy_map *m, const rg_deploy_set *set,
	size_t max, const char *indent);
/* "deploying ec2" / "deploying ec2 and api" */
void rg_deploy_names_of(rg_buf *out, const rg_deploy_conf *dc, const int *which);

/*
 * Deploy tags: refs/tags/deploy/TARGET/STAMP, STAMP = YYYYMMDDTHHMMSSZ in
 * UTC, with "-N" (N >= 2) appended when that second is taken already.
 */
typedef struct {
	char time[17];      /* YYYYMMDDTHHMMSSZ */
	unsigned long seq;  /* 1 without suffix */
} rg_deploy_stamp;

/* Parse a stamp; 0, or RG_ERROR when s is not one. */
int rg_deploy_stamp_parse(rg_deploy_stamp *out, const char *s);
int rg_deploy_stamp_cmp(const rg_deploy_stamp *a, const rg_deploy_stamp *b);
void rg_deploy_stamp_format(rg_buf *out, int64_t when, unsigned long seq);

/*
 * The newest deploy tag of target: *commit peeled, *tag its short name
 * ("deploy/ec2/20260101T120000Z"), caller frees. RG_ENOTFOUND when none;
 * tags whose last component is not a stamp are ignored.
 */
int rg_deploy_last(git_oid *commit, char **tag, git_repository *repo, const char *target);

/* Tag commit as deployed to target at time now; *tag gets the short name. */
int rg_deploy_record(char **tag, git_repository *repo, const char *target,
	const git_oid *commit, int64_t now);

/* Resolve a revision to a commit id; RG_EUSAGE with a message when it is none. */
int rg_deploy_resolve(git_oid *out, git_repository *repo, const char *rev, const char *what);

/* What a deploy command opens: the repository and its deploy configuration. */
typedef struct {
	git_repository *repo;
	rg_conf conf;
	rg_deploy_conf dc;
} rg_deploy_env;

/*
 * Open the repository and load the configuration (config_file: --config,
 * or NULL). Prints what went wrong and returns an exit status, else 0.
 * need_targets: fail (exit 3) when no target is configured.
 */
int rg_deploy_env_open(rg_deploy_env *env, const char *command, const char *config_file,
	int need_targets);
void rg_deploy_env_free(rg_deploy_env *env);

/*
 * netlify.toml: the [build] base directory. *base is NULL when the file
 * does not set one ("" and "/" mean the repository root). Only what init
 * needs is parsed: [table] headers, key = "string" / 'string' pairs.
 */
int rg_netlify_base(char **base, const char *text, size_t len);

/*
 * A Dockerfile: the sources of its COPY / ADD instructions (build-context
 * paths; "." for the whole context; copies --from another stage skipped),
 * NULL-terminated, free with rg_strv_free.
 */
char **rg_dockerfile_sources(const char *text, size_t len);

/* A pm2 ecosystem file (JS or JSON): its script and cwd string values. */
char **rg_pm2_paths(const char *text, size_t len);

#endif
