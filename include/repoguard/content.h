/*
 * content.h: checking the lines a change adds.
 *
 * The line rules (content.*, secrets.*, conflict) share one scan per
 * configuration: each registers its patterns with rg_content_add while it
 * is configured, all patterns go into one rg_matcher, and the first of them
 * that runs on a change set reads every added line once for all of them.
 * Added lines are the + side of the diff of each delta's old blob against
 * its new blob (libgit2), a line that differs only by the CR of its CRLF
 * being the same line; an added file is all added lines. A file that
 * starts with a UTF-16 BOM is read as the UTF-8 it decodes to, on both
 * sides (rg_content_decode). Binary files (a NUL in the first 8000 bytes,
 * as git decides) and files over [content] max_file_size are skipped with
 * a note.
 *
 * A line with "repoguard:allow ID" (ID a finding id such as secrets.jwt, or
 * its family such as secrets; several separated by commas) is allowed for
 * that id, and the allowance is counted in the report.
 */
#ifndef REPOGUARD_CONTENT_H
#define REPOGUARD_CONTENT_H

#include <stddef.h>
#include <git2.h>
#include "buf.h"
#include "change.h"
#include "config.h"
#include "context.h"
#include "finding.h"
#include "glob.h"
#include "matcher.h"

struct rg_rule;
typedef struct rg_content rg_content;

/*
 * Texts a rule no longer reports anywhere ([secrets] ignore): the git blob
 * ids of the masked texts (what `printf %s TEXT | git hash-object --stdin`
 * prints), each as 12 to 40 hexadecimal digits. A secret that was rotated
 * stays in history; its id, never the secret, is what the rules file keeps.
 */
typedef struct {
	const char *section;     /* where they are set: "secrets" */
	char **hex;              /* lower case, NUL-terminated */
	size_t n;
} rg_content_ignore;

#define RG_CONTENT_ID_SHOWN 16   /* digits of a text's id that findings print */

#define RG_CONTENT_DEFAULT_MAX_SIZE (10u << 20)

/* A text in memory. */
typedef struct {
	const char *ptr;
	size_t len;
} rg_content_text;

/* One line being checked. */
typedef struct {
	const char *path;
	int lineno;
	const char *text;   /* without "\n" or "\r\n" */
	size_t len;
	/*
	 * The owner's word of per-file state, zero at the start of each file:
	 * files are scanned on several threads, so a rule keeps what it
	 * remembers across the lines of a file here, never in its own state.
	 */
	unsigned *file_state;
	/*
	 * The text of the new version of the file, so that a rule can read the
	 * line above (its context in the new file, added or not): the line is
	 * in it when file->ptr <= text and text + len <= file->ptr + file->len
	 *; file->ptr is NULL when there is none.
	 */
	const rg_content_text *file;
} rg_content_line;

#define RG_REDACT_NONE 0     /* show the match */
#define RG_REDACT_MATCH 1    /* mask the group "secret" if it matched, else the whole match */
#define RG_REDACT_GROUP 2    /* mask the group "secret" only (user patterns opt in by naming it) */

/* What a pattern reports; strings are copied, pattern lists are borrowed from the rule's state. */
typedef struct {
	const char *id;          /* finding rule id: "secrets.jwt", "content.no-demo-tenant" */
	int severity;
	const char *what;        /* the message, before the excerpt */
	const char *detail;      /* why it matters and how to allow it, may be NULL */
	int redact;              /* RG_REDACT_*: what excerpts mask */
	/*
	 * Not 0: not reported when another rule's masked match overlaps on the
	 * line, unless that rule's fallback is higher (or equal and later);
	 * 1 for a password found by where it stands (URL, command line), 2 for
	 * generic-password, which gives way to those too.
	 */
	int fallback;
	/* Is this match a real finding (entropy and the like)? NULL: every match is. */
	int (*validate)(void *state, const rg_content_line *l, const rg_match *m);
	const rg_patlist *paths; /* only paths matching these (NULL: every path) */
	/*
	 * ... and only paths this says yes to (NULL: every path): a test by
	 * name, much cheaper than a glob list's for every file of a commit
	 */
	int (*path_ok)(const char *path);
	const rg_patlist *allow; /* never paths matching these (NULL: none) */
	/*
	 * Matches whose masked text has one of these ids are not reported, but
	 * counted in the notes; findings then print their text's id. NULL: the
	 * rule has no such list (its match is not the secret itself).
	 */
	const rg_content_ignore *ignore;
} rg_content_spec;

/* The shared scan of conf; the first call creates it. Reference counted. */
rg_content *rg_content_get(rg_conf *conf);
void rg_content_put(rg_content *c);
/* The scan of the context's configuration, or NULL when no line rule is on. */
rg_content *rg_content_of(const rg_ctx *ctx);

/*
 * Register a rule. Its state is shared by the scanning threads: validate
 * callbacks may read it, never change it (see rg_content_line.file_state).
 */
size_t rg_content_owner(rg_content *c, const struct rg_rule *rule, void *state);
/*
 * Called with the owner's state for each change set rg_content_check scans,
 * on the calling thread before the scan starts: what the validate callbacks
 * need to know of the change set (attributes of its paths) is read here.
 */
typedef void (*rg_content_prepare_fn)(void *state, rg_ctx *ctx, const rg_changeset *cs);
void rg_content_owner_prepare(rg_content *c, size_t owner, rg_content_prepare_fn prepare);
/*
 * What an owner's validate callbacks see of a path, as a small number:
 * paths with other numbers may be judged otherwise (secrets: a TypeScript
 * declaration file). Pure: it reads only path and the owner's configuration.
 */
typedef unsigned (*rg_content_path_key_fn)(void *state, const char *path);
void rg_content_owner_path_key(rg_content *c, size_t owner, rg_content_path_key_fn path_key);
/* Compile and add one pattern of an owner; RG_ECONFIG with rg_error_last() when invalid. */
int rg_content_add(rg_content *c, size_t owner, const char *pattern, const rg_content_spec *spec);
/*
 * A pattern that reports nothing (its rule is off) but whose "secret"
 * group is still masked in excerpts; RG_ECONFIG when invalid.
 */
int rg_content_add_redactor(rg_content *c, const char *pattern);

/*
 * Rule check/finish entry points: the first active owner of a run scans for
 * every owner; the others return at once.
 */
int rg_content_check(rg_findings *out, rg_ctx *ctx, const rg_changeset *cs, const struct rg_rule *self);
int rg_content_finish(rg_findings *out, rg_ctx *ctx, const struct rg_rule *self);

/*
 * Whole files, for audit (every line counts as added); commit may be NULL.
 * RG_OK when the file was scanned, RG_CONTENT_SKIPPED when it was not (no
 * line rule applies at path; binary, too big or missing: noted), or an error.
 */
#define RG_CONTENT_SKIPPED 1
int rg_content_check_blob(rg_findings *out, rg_ctx *ctx, const char *commit, const char *path,
	const git_oid *id);
/*
 * The same for many files at once (the audit's): files are added deltas
 * (new_path, new_mode, new_id; wt_entry set by rg_worktree_mark where the
 * working tree vouches for the blob), commits[i] the commit file i's
 * findings name (commits NULL, or an entry NULL: none). Files read from the
 * working tree are scanned on every core, blobs on the calling thread (more
 * threads gained 5 to 8 % on packed histories for more CPU: docs/audit.md).
 * Findings in the order of files; *skipped counts those not scanned
 * (RG_CONTENT_SKIPPED's). attrs: the state whose .gitattributes apply to
 * the files (conflict-marker-size), as a change set's view does in the
 * hooks; NULL: only info/attributes and the global and system files.
 */
typedef struct {
	const uint32_t *v;       /* rg_content_path_class classes */
	size_t n;
} rg_content_judged;
int rg_content_check_files(rg_findings *out, rg_ctx *ctx, rg_delta *files, const char *const *commits,
	const rg_content_judged *judged, size_t n, const rg_view *attrs, size_t *skipped);
/*
 * Path classes, for a blob met under several paths (audit --history):
 * paths where the line rules judge a file alike share a class (the same
 * specs apply by their paths and allow lists, and the owners' path keys
 * agree). 0: no line rule applies at path. judged (above, per file of
 * rg_content_check_files, NULL for none) lists the classes a blob was
 * checked under already: a file is then checked only for the specs its own
 * class adds (its findings are new), and a file whose class adds none is
 * left out (not counted as skipped). Consecutive files of one blob are
 * read once.
 */
uint32_t rg_content_path_class(rg_ctx *ctx, const char *path);
/* Does class cls run a spec that none of the judged classes did? */
int rg_content_class_adds(const rg_ctx *ctx, uint32_t cls, const uint32_t *judged, size_t n);
/* Can two paths' classes differ at all in this run (per-path lists, owners' path keys)? */
int rg_content_path_classes(const rg_ctx *ctx);
int rg_content_check_text(rg_findings *out, rg_ctx *ctx, const char *commit, const char *path,
	const char *text, size_t len);
/* The lines new_text adds to old_text (old_text NULL: every line). */
int rg_content_check_change(rg_findings *out, rg_ctx *ctx, const char *commit, const char *path,
	const char *old_text, size_t old_len, const char *new_text, size_t new_len);
/*
 * A commit message, checked by the built-in secrets alone (a key pasted into
 * a message is pushed with the commit and stays in history; [secrets] allow
 * paths do not apply, a repoguard:allow comment on the line does). commit:
 * the commit's id (ranges: rg_content_check does this for every change set
 * of a commit), or NULL for the message being written, file its path (the
 * commit-msg hook). Findings name the message's line in their text.
 */
int rg_content_check_message(rg_findings *out, rg_ctx *ctx, const char *commit, int commit_root,
	const char *file, const char *msg, size_t len);
/* The same for an annotated tag's message; tag is its name ("v1.0"). */
int rg_content_check_tag_message(rg_findings *out, rg_ctx *ctx, const char *tag, const char *msg, size_t len);
/* Is any line rule on in this run (mode, REPOGUARD_SKIP)? */
int rg_content_active(const rg_ctx *ctx);
/*
 * Append (", "-separated) the line rules that are configured for this mode
 * but skipped whole by REPOGUARD_SKIP ("secrets", "conflict"); the hooks'
 * engine notes these, the audit's content section does it itself.
 */
void rg_content_skipped_rules(rg_buf *out, const rg_ctx *ctx);
/*
 * The notes of the whole-file checks since the last call (skipped binary,
 * oversize and missing files, allowed findings, REPOGUARD_SKIP), as info
 * lines of out; rg_content_finish gives the same notes to the hooks.
 */
void rg_content_notes(rg_findings *out, rg_ctx *ctx);

/*
 * src[i]: the deleted delta that added delta i of cs was renamed from
 * (git's inexact rename detection, content-renames.c), else NULL. src has
 * cs->n entries. Files over max bytes are never paired.
 */
int rg_content_rename_sources(rg_delta **src, rg_ctx *ctx, const rg_changeset *cs, uint64_t max);

/* Helpers, exported for tests. */
int rg_content_is_binary(const char *data, size_t len);
/*
 * Text that starts with a UTF-16 BOM (LE or BE), decoded to UTF-8 without
 * the BOM into buf, *text and *len then pointing at it: returns 1. Any
 * other text is left in place (0), only a UTF-8 BOM stepped over: UTF-16
 * without a BOM cannot be told from binary data, and stays binary.
 */
int rg_content_decode(rg_buf *buf, const char **text, size_t *len);
/* Read [section] ignore into out (errors name the file and line); free with rg_content_ignore_free. */
void rg_content_ignore_load(rg_content_ignore *out, rg_conf *conf, const char *section);
void rg_content_ignore_free(rg_content_ignore *ig);
/* The git blob id of text, in hex: what `printf %s TEXT | git hash-object --stdin` prints. */
void rg_content_text_id(char hex[GIT_OID_HEXSZ + 1], const char *text, size_t len);
/* Is the id (40 hex digits) one of ig's, or does it start with one of them? */
int rg_content_ignored(const rg_content_ignore *ig, const char *hex);
/* Does the line carry "repoguard:allow" for id (or its family)? */
int rg_content_allowed(const char *text, size_t len, const char *id);

typedef struct {
	size_t start, end;
} rg_span;

/*
 * A one-line excerpt of text around [focus_start, focus_end): at most about
 * 100 bytes, indentation dropped, control characters shown as '?', and every
 * span in redact masked (a short prefix is kept, the rest becomes '*').
 */
void rg_content_excerpt(rg_buf *out, const char *text, size_t len, size_t focus_start, size_t focus_end,
	const rg_span *redact, size_t nredact);

/* text whole and as it is (not an excerpt), but every span in redact masked as rg_content_excerpt masks it */
void rg_content_masked(rg_buf *out, const char *text, size_t len, const rg_span *redact, size_t nredact);

/*
 * A value of the configuration (a rule's message or pattern) whole, with
 * every built-in secret masked: a rule written to keep a leaked key out
 * prints the rule, never the key.
 */
void rg_content_mask_value(rg_buf *out, const char *text);

/*
 * The i-th built-in secret pattern, NULL past the last: excerpts mask what
 * they match whether the secrets rule is on, skipped or allowed for a path.
 */
const char *rg_secrets_pattern(size_t i);
/* Is the i-th built-in pattern a fallback (generic-password), which gives way to the specific ones? */
int rg_secrets_is_fallback(size_t i);
/* The i-th pattern the redactor adds for masking only (looser than detection), or NULL. */
const char *rg_secrets_mask_pattern(size_t i);

/* Redaction (content-redact.c): spans of text to mask. */
typedef struct {
	rg_span *v;
	size_t n, alloc;
} rg_spans;

void rg_spans_add(rg_spans *sp, size_t start, size_t end);
/* Sort, and join overlapping spans, so that no span's kept prefix shows inside another. */
void rg_spans_merge(rg_spans *sp);
void rg_spans_dispose(rg_spans *sp);
/* Every built-in secret pattern, compiled once per process on first use. */
const rg_matcher *rg_redact_builtin(void);
/*
 * Add every match of every pattern of ms's matcher in text: the whole match
 * (or its "secret" group) where kinds is NULL or kinds[i] is
 * RG_REDACT_MATCH, only a "secret" group where it is RG_REDACT_GROUP.
 */
void rg_redact_spans(rg_spans *sp, rg_mscan *ms, const int *kinds, const char *text, size_t len);
/*
 * Does a specific built-in secret pattern (not a fallback, not a masking
 * one; on or not) match text within [start, end)? ms scans rg_redact_builtin().
 */
int rg_redact_specific_overlaps(rg_mscan *ms, const char *text, size_t len, size_t start, size_t end);
/*
 * One line of text as an excerpt (rg_content_excerpt) with every secret
 * masked: the built-in ones, and those of the context's [content.NAME]
 * patterns with a "secret" group (ctx may be NULL).
 */
void rg_content_mask(rg_buf *out, const rg_ctx *ctx, const char *text, size_t len);

/* rule-secrets.c helpers, exported for tests. */
double rg_secrets_entropy(const char *s, size_t n);
/* Does a generic "password = value" value look like a secret (not a word or placeholder)? */
int rg_secrets_generic_value(const char *s, size_t n, int quoted);
/* ... and a URL's or a connection string's password, which may be shorter (4 characters)? */
int rg_secrets_url_value(const char *s, size_t n);

/* secrets-code.c: is an unquoted value code (t.space;, parts[1], typing.Union[)? */
int rg_secrets_code_value(const char *s, size_t n);
/* ... is a value a name of camelCase or PascalCase words ("challengePassword", "_RSAPrivateKey")? */
int rg_secrets_identifier(const char *s, size_t n);
/* ... or names joined by '#', ':', '/', '.' or '-' ("identitytoolkit#VerifyPasswordResponse")? */
int rg_secrets_name(const char *s, size_t n);
/* Is a token's random part 12 letters or more of camelCase words, then digits (ghp_PersonalAccessToken0000...)? */
int rg_secrets_wordy(const char *s, size_t n);

#endif
