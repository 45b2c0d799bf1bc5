/*
 * config.h: rules.ini loading (inih), layering and validation.
 *
 * A configuration is a list of entries (section, key, value, origin). Files
 * are layered: the compiled-in default first, then the repository's own file.
 * Within one file a repeated list key appends (a single-value key set twice
 * is an error: rg_conf_get_one); a later file replaces the values of
 * every (section, key) it sets. Each rule declares the sections and keys it
 * reads (rg_section_spec); anything else is a configuration error naming
 * file:line.
 */
#ifndef REPOGUARD_CONFIG_H
#define REPOGUARD_CONFIG_H

#include <stddef.h>
#include <stdint.h>
#include "buf.h"
#include "glob.h"

typedef struct {
	char *section;   /* "deploy.netlify" */
	char *kind;      /* "deploy" */
	char *name;      /* "netlify", or NULL */
	char *key;
	char *value;
	const char *file;
	int line;
	int layer;
	int cont;        /* an indented continuation line of the key above */
	int reported;    /* a "sets KEY twice" error was recorded at this entry */
	char *joined;    /* rg_conf_str: this value and its continuation lines, or NULL */
} rg_conf_entry;

/* A [section] header as written (a section may have no keys: "[lfs]" turns a rule on). */
typedef struct {
	char *section;
	const char *file;
	int line;
	int layer;
} rg_conf_header;

typedef struct {
	rg_conf_entry *v;
	size_t n, alloc;
	rg_conf_header *hdr;  /* every [section] header read, in order */
	size_t nhdr, hdr_alloc;
	char **files;        /* owned origin names */
	size_t nfiles, files_alloc;
	rg_buf errors;       /* "file:line: message\n" lines */
	int nerrors;
	struct rg_conf_err *errv; /* where each error starts in errors, and its position */
	size_t errv_alloc;
	int layer;
	char *self_path;     /* the repository's own rules file as a path in it (".repoguard.ini"), or NULL */
} rg_conf;

#define RG_SEC_PLAIN 1   /* [kind] */
#define RG_SEC_NAMED 2   /* [kind.name] */
#define RG_SEC_NO_SEVERITY 4 /* not a rule: no implicit "severity" key ([repoguard], [audit]) */

typedef struct {
	const char *kind;
	int forms;                 /* RG_SEC_PLAIN | RG_SEC_NAMED, RG_SEC_NO_SEVERITY */
	const char *const *keys;   /* NULL-terminated; "severity" is implicit for a rule's section */
} rg_section_spec;

/* The default rules.ini, compiled in (generated from rules.ini). */
extern const char rg_default_rules[];

void rg_conf_init(rg_conf *c);
void rg_conf_free(rg_conf *c);

/* Start a new layer: values set from now on replace earlier layers' ones. */
void rg_conf_new_layer(rg_conf *c);
/* Forget every entry of one layer (0: the first file parsed). */
void rg_conf_drop_layer(rg_conf *c, int layer);
/* Parse INI text; origin names it in messages. Errors go to c->errors. */
int rg_conf_parse_string(rg_conf *c, const char *text, size_t len, const char *origin);
int rg_conf_parse_file(rg_conf *c, const char *path, const char *origin);

/* Record an error at an entry's (or a file's) position. */
void rg_conf_error(rg_conf *c, const rg_conf_entry *at, const char *fmt, ...) RG_PRINTF(3, 4);

/*
 * Order the errors by file (in the order files were read) and line, those
 * without a position first, as a user fixes them: each rule records its
 * own, in rule order.
 */
void rg_conf_errors_sort(rg_conf *c);

/* Check every entry against the specs; unknown ones are errors. */
void rg_conf_validate(rg_conf *c, const rg_section_spec *const *specs, size_t nspecs);

/* Last entry for (section, key), or NULL. */
const rg_conf_entry *rg_conf_get(const rg_conf *c, const char *section, const char *key);

/*
 * Is there a [section] at all (a header, with or without keys)? A rule that is on by default needs its section:
 * with "[repoguard] defaults = false" the built-in rules.ini's are dropped, and
 * a rule whose section the repository's file does not write is off.
 */
int rg_conf_has_section(const rg_conf *c, const char *section);

/*
 * The one entry of a key that takes a single value (a PCRE2 pattern), or NULL.
 * A repeated key or an indented continuation line (which append elsewhere)
 * is recorded as an error at the second one, and NULL is returned.
 */
const rg_conf_entry *rg_conf_get_single(rg_conf *c, const char *section, const char *key);

/*
 * The entry of a key that takes one value (a size, a severity, a message), or
 * NULL. Within one file a repeated key appends, which makes lists; for these
 * keys the second line would silently win, so it is recorded as an error at
 * that line (once), as is a continuation line. The typed getters below read
 * through it; rg_conf_str joins a message's continuation lines instead.
 */
const rg_conf_entry *rg_conf_get_one(rg_conf *c, const char *section, const char *key);

/* Typed getters: on a bad value they record an error and keep the default. */
const char *rg_conf_str(rg_conf *c, const char *section, const char *key, const char *def);
int rg_conf_bool(rg_conf *c, const char *section, const char *key, int def);
uint64_t rg_conf_size(rg_conf *c, const char *section, const char *key, uint64_t def);
int64_t rg_conf_int(rg_conf *c, const char *section, const char *key, int64_t def);
int64_t rg_conf_duration(rg_conf *c, const char *section, const char *key, int64_t def);
/* Append the words of every value of (section, key) as patterns. */
void rg_conf_patterns(rg_patlist *out, rg_conf *c, const char *section, const char *key);
/* Words of every value of (section, key), NULL-terminated array (free with rg_strv_free). */
char **rg_conf_words(rg_conf *c, const char *section, const char *key);
/* The same for words that are globs: an unbalanced '[' or a trailing '\\' is an error at its line. */
char **rg_conf_globs(rg_conf *c, const char *section, const char *key);
void rg_strv_free(char **v);

/* severity key: returns RG_SEV_*; default def. */
int rg_conf_severity(rg_conf *c, const char *section, int def);

/*
 * Distinct section names of a kind ("deploy.netlify", ...), those written
 * with keys and those with a header alone, NULL-terminated; free with rg_strv_free.
 */
char **rg_conf_sections(const rg_conf *c, const char *kind, int named);

/*
 * Where [section] is written, for an error about the whole section: its
 * first key, else its first header (a section without keys, filled into
 * *at); NULL when it is neither.
 */
const rg_conf_entry *rg_conf_section_at(rg_conf_entry *at, const rg_conf *c, const char *section);

/*
 * The repository's own rules file (c->self_path, a path in the repository)
 * when e was read from it, else NULL: an entry of the built-in rules, or of a
 * file outside the repository (--config, REPOGUARD_CONFIG, a server's).
 * Reports point a finding about no file at where its rule was set.
 */
const char *rg_conf_entry_repo_file(const rg_conf *c, const rg_conf_entry *e);

/*
 * Where the repository's own rules file sets (section, key) (key may be
 * NULL), else where it writes [section]: that file (c->self_path) with *line; NULL (and *line 0)
 * when it does neither (the built-in rules, a file outside the repository).
 */
const char *rg_conf_repo_anchor(int *line, const rg_conf *c, const char *section, const char *key);

/* Render "[section]\nkey = value    ; origin:line" for `repoguard config`. */
void rg_conf_dump(rg_buf *out, const rg_conf *c, int with_origin);

#endif
