/* finding.h: what rules produce and reporters render. */
#ifndef REPOGUARD_FINDING_H
#define REPOGUARD_FINDING_H

#include <stddef.h>

enum rg_severity { RG_SEV_OFF = 0, RG_SEV_NOTE = 1, RG_SEV_WARN = 2, RG_SEV_ERROR = 3 };

typedef struct {
	char *rule;       /* stable rule id: "block", "size", "secrets.aws-access-key" */
	int severity;
	char *commit;     /* full hex id, or NULL for the index */
	char *path;       /* file or directory; NULL when not about a path */
	int is_dir;       /* path is a directory (summary finding) */
	int line;         /* 1-based, 0 when not about a line */
	char *message;    /* one line: what was found */
	char *detail;     /* why it matters / explanation, may be multi-line */
	char *fix;        /* commands that fix it, one per line */
	char *key;        /* extra fingerprint material (stable across runs) */
	char *text_id;    /* a line rule's masked text as a git blob id ([secrets] ignore), or NULL */
	char *anchor;     /* no path: the file a report that needs one points at (the repository's
	                     rules file that set the rule, else a file the finding counts), or NULL */
	int anchor_line;  /* anchor's line (the key's), 0 when none */
} rg_finding;

typedef struct {
	rg_finding *v;
	size_t n, alloc;
	size_t notes;          /* informational lines (skips, allows) */
	char **infos; size_t ninfos, infos_alloc;
} rg_findings;

void rg_findings_init(rg_findings *f);
void rg_findings_free(rg_findings *f);
/* Add a finding; strings are copied. commit/path/detail/fix may be NULL. */
rg_finding *rg_findings_add(rg_findings *f, const char *rule, int severity,
	const char *commit, const char *path, int line, const char *message);
/* Move every finding and info line of src to the end of dst; src is left empty. */
void rg_findings_take(rg_findings *dst, rg_findings *src);
/*
 * Drop each finding at index from or later that equals one before from (same
 * rule, severity, commit, path, line and message; the earlier one is kept,
 * with its detail and fix): pre-receive's later rule groups re-check commits
 * an earlier group has, and what both find alike is reported once.
 */
void rg_findings_dedupe(rg_findings *f, size_t from);
void rg_finding_set_detail(rg_finding *x, const char *s);
void rg_finding_set_fix(rg_finding *x, const char *s);
/* Set x's anchor (NULL: none) and its line (0: none). */
void rg_finding_set_anchor(rg_finding *x, const char *file, int line);
/* Informational message printed with the report ("skipped: block"). */
void rg_findings_info(rg_findings *f, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 2, 3)))
#endif
	;
size_t rg_findings_count(const rg_findings *f, int severity);
const char *rg_severity_name(int sev);
int rg_severity_parse(int *out, const char *s);

#endif
