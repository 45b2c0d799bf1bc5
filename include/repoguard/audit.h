/*
 * audit.h: `repoguard audit` and its sections.
 *
 * The audit walks the repository once (HEAD's tree, or with --history every
 * commit of every ref: see history.h) and then runs its sections in table
 * order (src/audit/sections.c). A section is a name and a run function that
 * turns the walk and the configuration into findings plus a one-line
 * verdict; adding one is one file and one line in the table. A section that does not apply (its rules are not
 * configured) returns RG_ENOTFOUND and is left out of the report.
 */
#ifndef REPOGUARD_AUDIT_H
#define REPOGUARD_AUDIT_H

#include <stdint.h>
#include "buf.h"
#include "context.h"
#include "finding.h"
#include "glob.h"
#include "history.h"

typedef struct {
	rg_ctx *ctx;              /* repository, object database, configuration */
	int history;              /* --history: the walk covers every commit */
	int all_refs;             /* --refs all (else HEAD's history only) */
	int bare;                 /* the repository has no work tree */
	rg_hist hist;             /* the walk */
	/* settings read from the configuration once */
	rg_patlist block;         /* [block] paths (empty when the rule is off) */
	int block_sev;
	rg_patlist secret;        /* [audit] secret_paths */
	int secret_sev;
	int history_sev;          /* findings that only live in history */
	uint64_t max_file_size;   /* [size] (0: off) */
	int size_sev;
	rg_patlist size_allow;
	int lfs_sev;
	size_t largest;           /* [audit] largest */
	rg_buf skipped;           /* what REPOGUARD_SKIP skipped in the section being run */
} rg_audit;

typedef struct {
	const char *name;         /* "tree", "history", ... */
	/* Add findings and write a one-line verdict; RG_ENOTFOUND: not applicable. */
	int (*run)(rg_findings *out, rg_audit *a, rg_buf *verdict);
} rg_audit_section;

extern const rg_audit_section *const rg_audit_sections[];
extern const size_t rg_audit_sections_count;

/* The [audit] section of rules.ini (registered with the rules' sections). */
extern const rg_section_spec rg_audit_spec;

/*
 * The [audit] settings (secret_paths, secret_severity, history_severity,
 * largest) into a; bad values are recorded with rg_conf_error. The audit
 * reads them with it, and every configuration load checks them with
 * rg_audit_conf_check (rg_rules_configure), so that `repoguard config` and
 * the hooks refuse what the audit would.
 */
void rg_audit_conf_load(rg_audit *a, rg_conf *conf);
void rg_audit_conf_check(rg_conf *conf);

/*
 * The walk's blob classes for the content section (rg_hist_opts.blob_class;
 * audit-content.c): set with --history when the line rules may judge one
 * blob otherwise at another path.
 */
void rg_audit_content_classes(rg_audit *a, rg_hist_opts *o);

/* Helpers shared by the sections (src/audit/audit-util.c). */
/* "main", "origin/main", "tag v1.0", "HEAD (main)" */
void rg_audit_ref_name(rg_buf *out, const rg_audit *a, uint32_t ref);
/* "1a2b3c4d by A U Thor on 2026-01-01" */
void rg_audit_commit_desc(rg_buf *out, const rg_audit *a, uint32_t commit);
/* Full hex id of a walked commit. */
void rg_audit_commit_hex(char *out, const rg_audit *a, uint32_t commit);
/* "4,175 files, 49.5 MiB" (with "at least" when sizes are unknown). */
void rg_audit_files_bytes(rg_buf *out, uint64_t files, uint64_t bytes, int unknown);
/* Newest commit on HEAD's first-parent line whose parent still had path, or RG_HIST_NONE. */
uint32_t rg_audit_deleted_in(rg_audit *a, const char *path);
/* A literal (anchored, no wildcard) pattern. */
int rg_audit_pattern_literal(const rg_pattern *p);
/*
 * A literal protect path that is neither at HEAD nor in HEAD's first-parent
 * history: it can never match (known only with --history).
 */
int rg_audit_protect_never(rg_audit *a, const rg_pattern *p);
/*
 * Does REPOGUARD_SKIP skip what id names: "all", id itself, the part of id
 * before its '.' ("history" for "history.block"), or rule (the hooks' rule
 * whose check it is: "block" for history.block; NULL: none)? A skipped id is
 * added to a->skipped, which the audit reports as the section's
 * "skipped by REPOGUARD_SKIP" note. Ask only about checks that are on.
 */
int rg_audit_skipped(rg_audit *a, const char *id, const char *rule);
/* Every REPOGUARD_SKIP name the audit takes, section aliases too (rg_engine_skip_notes' extra). */
extern const char *const rg_audit_skip_names[];
/* Add id to the section's skip note (once). */
void rg_audit_skip_note(rg_audit *a, const char *id);
/* Where a pattern comes from: "file:line", or the built-in default's name. */
void rg_audit_origin(rg_buf *out, const rg_pattern *p);
/* The history-rewrite warning every filter-repo remedy carries. */
extern const char rg_audit_rewrite_warning[];

#endif
