/*
 * rule.h: the rule interface and the rule table.
 *
 * A rule is one file in src/rule/ and one entry in src/rule/rules.c. It
 * declares the rules.ini sections it reads, turns its configuration into a
 * state once (configure), then turns each change set into findings (check).
 * Rules that need the whole run (e.g. counting over all commits) can also
 * implement finish.
 */
#ifndef REPOGUARD_RULE_H
#define REPOGUARD_RULE_H

#include "buf.h"
#include "change.h"
#include "config.h"
#include "context.h"
#include "finding.h"

typedef struct rg_rule {
	const char *id;
	const char *summary;
	const rg_section_spec *const *sections;  /* NULL-terminated */
	int modes;                               /* RG_MODE_* where it runs */
	/* Parse configuration; record problems with rg_conf_error. *state may stay NULL (rule off). */
	int (*configure)(void **state, rg_conf *conf);
	int (*check)(rg_findings *out, rg_ctx *ctx, const rg_changeset *cs, void *state);
	int (*finish)(rg_findings *out, rg_ctx *ctx, void *state);
	void (*free_state)(void *state);
	/*
	 * Run after the rules without it: it asks for sizes that their reads
	 * of the files settle (rg_ctx_delta_read). Its findings keep their
	 * place in table order.
	 */
	int after_reads;
} rg_rule;

extern const rg_rule *const rg_rules[];
extern const size_t rg_rules_count;

/* Section specs of every rule plus the engine's own ([repoguard]). */
void rg_rules_validate(rg_conf *conf);

/*
 * Configure every rule from conf: *out gets one state per rule table entry
 * (NULL: the rule is off). Every problem is recorded in conf->errors, each
 * rule's, not only the first; RG_ECONFIG if there is any.
 */
int rg_rules_configure(void ***out, rg_conf *conf);
void rg_rules_free(void **states);
/* rg_rules_configure into ctx->rule_state. */
int rg_engine_configure(rg_ctx *ctx);
/* Run every configured rule on one change set. */
int rg_engine_check(rg_findings *out, rg_ctx *ctx, const rg_changeset *cs);
/*
 * A note naming each REPOGUARD_SKIP name that skips nothing (a misspelt rule
 * id), with the names that do; once per context. rg_engine_finish calls it;
 * a command whose findings have ids of their own (the audit's history.block,
 * secret-file, ...) names them in extra (NULL-terminated, or NULL).
 */
void rg_engine_skip_notes(rg_findings *out, rg_ctx *ctx, const char *const *extra);
/* Let rules that aggregate report (call once after the last change set). */
int rg_engine_finish(rg_findings *out, rg_ctx *ctx);
void rg_engine_free(rg_ctx *ctx);

/* Helpers for rules. */
const char *rg_short_id(const rg_changeset *cs);
/* How the change set holds what it adds: "committed", "tagged" (a tag of a tree or blob), "staged". */
const char *rg_held(const rg_changeset *cs);
/*
 * The start of a fix that edits a commit: "git rebase -i C~1   # mark C as
 * 'edit'", or "git rebase -i --root ..." when C has no parent (C~1 does not
 * exist there). The caller goes on with what to do in the edit.
 */
void rg_fix_rebase_edit(rg_buf *fix, const char *commit_hex, int root);
/*
 * The end of such a fix, after the command that changes the index:
 * " && git commit --amend --no-edit --allow-empty && git rebase --continue".
 * --allow-empty: a commit that held nothing but what the fix removes (a
 * --no-verify commit of .env alone) becomes empty, which git refuses to
 * amend without it, leaving the rebase stopped.
 */
void rg_fix_amend_continue(rg_buf *fix);
/*
 * A fix's line that adds line to .gitignore, on a line of its own (after
 * what fix holds): "printf '\n%s\n' LINE >> .gitignore". The leading newline keeps it whole
 * when the file does not end in one (echo would join it to the last line; a
 * blank line means nothing there), and printf %s keeps backslashes (dash's
 * echo reads them). literal: line is a file name, escaped to match that name
 * only; a name with a newline cannot be written (nothing added, -1).
 */
int rg_fix_gitignore(rg_buf *fix, const char *line, int literal);
/*
 * The same for a block pattern; is_link: what it matched is a symbolic link,
 * which a directory pattern (node_modules/) does not ignore, so the line
 * drops the trailing '/' (ignoring both).
 */
int rg_fix_gitignore_link(rg_buf *fix, const char *pattern, int is_link);
/*
 * The same for the path (a blocked folder or file) that pattern by matched:
 * by's own line, unless by is casefolded and matched a case variant of it
 * (Node_Modules for node_modules/), which that line does not ignore where
 * core.ignorecase is false: then the path's name as staged, escaped.
 */
int rg_fix_gitignore_matched(rg_buf *fix, const rg_pattern *by, const char *path, int is_link);
/*
 * "git lfs track PATH" for one file: --filename when its name has glob
 * characters (else git-lfs would write them to .gitattributes as a pattern),
 * "./" before a name that starts with '-'.
 */
void rg_fix_lfs_track(rg_buf *fix, const char *path);
/* Is data a valid Git LFS pointer file (spec v1)? Defined in rule-lfs.c. */
int rg_lfs_is_pointer(const char *data, size_t len);
/* Is name (without "secrets.") a built-in secret pattern? Defined in rule-secrets.c. */
int rg_secrets_builtin_known(const char *name);
/* The i-th built-in secret pattern's name (without "secrets."), NULL past the last; a name may repeat. */
const char *rg_secrets_builtin_name(size_t i);
/*
 * The size limit: [size] max_file_size, or its synonym [block] max_file_size
 * when a later file (the repository's over the built-in rules) sets that;
 * 0 when the size rule is off. Defined in rule-size.c.
 */
uint64_t rg_size_limit(rg_conf *conf);

#endif
