/*
 * report-sarif.c: SARIF 2.1.0 for GitHub code scanning (and any SARIF viewer).
 *
 * One run; the driver lists every rule of the table, plus any other id a
 * finding uses ("secrets.aws-access-key"), each with a stable id. Every result
 * has a file location (rg_report_file: a directory points at .gitignore, a
 * finding about no path at the repository's rules file line that set its
 * rule, else at a file it counts, else at .repoguard.ini: code scanning
 * refuses an upload with a result that has no location) with startLine 1
 * unless a line is known, and partialFingerprints built from what identifies the problem, not
 * from commit ids, so that re-running on a rebased branch does not duplicate
 * alerts. The commit and the real path are in the result's properties. The
 * report's notes (REPOGUARD_SKIP, allowed findings, skipped files) are the
 * invocation's toolExecutionNotifications.
 */
#include <stdlib.h>
#include <string.h>
#include <git2.h>

#include "repoguard/buf.h"
#include "repoguard/common.h"
#include "repoguard/report.h"
#include "repoguard/rule.h"
#include "report-util.h"

#define SARIF_SCHEMA "https://json.schemastore.org/sarif-2.1.0.json"
#define SARIF_FP_KEY "repoguard/v1"

/* A relative URI reference for a repository path: RFC 3986 path characters, the rest %XX. */
static void sarif_uri(rg_buf *b, const char *path)
{
	const unsigned char *p;

	for (p = (const unsigned char *)path; *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
		    strchr("-._~/!$&'()*+,;=@", *p))
			rg_buf_putc(b, (char)*p);
		else
			rg_buf_printf(b, "%%%02X", *p);
	}
}

static const rg_rule *sarif_rule_for(const char *id)
{
	size_t i, n = strcspn(id, ".");

	for (i = 0; i < rg_rules_count; i++)
		if (!strcmp(rg_rules[i]->id, id))
			return rg_rules[i];
	for (i = 0; i < rg_rules_count; i++)
		if (strlen(rg_rules[i]->id) == n && !strncmp(rg_rules[i]->id, id, n))
			return rg_rules[i];
	return NULL;
}

static const char *sarif_level(int sev)
{
	return sev == RG_SEV_ERROR ? "error" : sev == RG_SEV_WARN ? "warning" : "note";
}

/*
 * The driver's rules: every rule of the table (a stable list, whatever fired),
 * then ids that findings use beyond it ("secrets.aws-access-key"), in
 * first-seen order. *index[i] is finding i's rule index.
 */
static size_t sarif_rule_ids(const char ***ids, size_t **index, const rg_findings *f)
{
	size_t n = 0, i, j;

	*ids = rg_calloc(rg_rules_count + f->n + 1, sizeof(**ids));
	*index = rg_calloc(f->n + 1, sizeof(**index));
	for (i = 0; i < rg_rules_count; i++)
		(*ids)[n++] = rg_rules[i]->id;
	for (i = 0; i < f->n; i++) {
		for (j = 0; j < n && strcmp((*ids)[j], f->v[i].rule); j++)
			;
		if (j == n)
			(*ids)[n++] = f->v[i].rule;
		(*index)[i] = j;
	}
	return n;
}

static void sarif_rules(rg_buf *b, const char **ids, size_t n, const rg_findings *f)
{
	size_t i, k;

	for (i = 0; i < n; i++) {
		const rg_rule *r = sarif_rule_for(ids[i]);
		int sev = RG_SEV_ERROR, seen = 0;

		/* the level of what fired (error unless only warnings/notes did) */
		for (k = 0; k < f->n; k++)
			if (!strcmp(f->v[k].rule, ids[i]) && (!seen || f->v[k].severity > sev)) {
				sev = f->v[k].severity;
				seen = 1;
			}
		rg_buf_puts(b, i ? ",\n        {\"id\": " : "\n        {\"id\": ");
		rg_buf_json_str(b, ids[i]);
		rg_buf_puts(b, ", \"name\": ");
		rg_buf_json_str(b, ids[i]);
		rg_buf_puts(b, ", \"shortDescription\": {\"text\": ");
		rg_buf_json_str(b, r ? r->summary : ids[i]);
		rg_buf_printf(b, "}, \"defaultConfiguration\": {\"level\": \"%s\"}}", sarif_level(sev));
	}
}

/* What identifies the problem across runs: rule, path, line, key; the message when there is no path. */
static void sarif_fingerprint(char hex[GIT_OID_HEXSZ + 1], const rg_finding *x)
{
	rg_buf m = RG_BUF_INIT;
	git_oid id;

	rg_buf_puts(&m, x->rule);
	rg_buf_putc(&m, '\0');
	rg_buf_puts(&m, x->path ? x->path : "");
	rg_buf_printf(&m, "%c%d:%d", '/', x->is_dir, x->line);
	rg_buf_putc(&m, '\0');
	rg_buf_puts(&m, x->key ? x->key : "");
	if (!x->path) {
		rg_buf_putc(&m, '\0');
		rg_buf_puts(&m, x->message ? x->message : "");
	}
	git_odb_hash(&id, m.ptr, m.len, GIT_OBJECT_BLOB);
	git_oid_tostr(hex, GIT_OID_HEXSZ + 1, &id);
	rg_buf_dispose(&m);
}

static void sarif_message(rg_buf *b, const rg_finding *x)
{
	rg_buf t = RG_BUF_INIT;

	rg_report_headline(&t, x);
	if (x->detail)
		rg_buf_printf(&t, "\n%s", x->detail);
	if (x->fix)
		rg_buf_printf(&t, "\nfix:\n%s", x->fix);
	rg_buf_json_str(b, t.ptr);
	rg_buf_dispose(&t);
}

static void sarif_result(rg_buf *b, const rg_finding *x, size_t rule_index)
{
	char fp[GIT_OID_HEXSZ + 1];
	int line;
	const char *file = rg_report_file(x, &line);
	rg_buf uri = RG_BUF_INIT;

	sarif_uri(&uri, file ? file : RG_REPORT_NOPATH_FILE);
	sarif_fingerprint(fp, x);
	rg_buf_puts(b, "\n        {\"ruleId\": ");
	rg_buf_json_str(b, x->rule);
	rg_buf_printf(b, ", \"ruleIndex\": %zu, \"level\": \"%s\",\n         \"message\": {\"text\": ",
		rule_index, sarif_level(x->severity));
	sarif_message(b, x);
	rg_buf_puts(b, "},\n         \"locations\": [{\"physicalLocation\": {\"artifactLocation\": {\"uri\": ");
	rg_buf_json_str(b, uri.ptr);
	rg_buf_printf(b, ", \"uriBaseId\": \"%%SRCROOT%%\"}, \"region\": {\"startLine\": %d}}}],\n", line);
	rg_buf_printf(b, "         \"partialFingerprints\": {\"" SARIF_FP_KEY "\": \"%s\"}", fp);
	rg_buf_puts(b, ",\n         \"properties\": {");
	if (x->commit) {
		rg_buf_puts(b, "\"commit\": ");
		rg_buf_json_str(b, x->commit);
		rg_buf_puts(b, ", ");
	}
	if (x->path) {
		rg_buf_puts(b, "\"path\": ");
		rg_buf_json_str(b, x->path);
		rg_buf_puts(b, ", ");
	}
	if (x->text_id) {
		rg_buf_puts(b, "\"textId\": ");
		rg_buf_json_str(b, x->text_id);
		rg_buf_puts(b, ", ");
	}
	rg_buf_printf(b, "\"isDirectory\": %s}}", x->is_dir ? "true" : "false");
	rg_buf_dispose(&uri);
}

/*
 * The run's invocation: it completed (a report is only written then), and the
 * report's notes (what REPOGUARD_SKIP skipped, allowed findings, skipped
 * files) as toolExecutionNotifications at level note.
 */
static void sarif_invocation(rg_buf *b, const rg_findings *f)
{
	size_t i;

	rg_buf_puts(b, "    \"invocations\": [{\"executionSuccessful\": true");
	if (f->ninfos) {
		rg_buf_puts(b, ", \"toolExecutionNotifications\": [");
		for (i = 0; i < f->ninfos; i++) {
			rg_buf_puts(b, i ? ",\n        {\"message\": {\"text\": " : "\n        {\"message\": {\"text\": ");
			rg_buf_json_str(b, f->infos[i]);
			rg_buf_puts(b, "}, \"level\": \"note\"}");
		}
		rg_buf_puts(b, "]");
	}
	rg_buf_puts(b, "}]");
}

static int sarif_render(const rg_findings *f, const rg_report_opts *o)
{
	rg_buf b = RG_BUF_INIT;
	const char **ids;
	size_t *index, nids, i;

	nids = sarif_rule_ids(&ids, &index, f);
	rg_buf_puts(&b, "{\n  \"$schema\": \"" SARIF_SCHEMA "\",\n  \"version\": \"2.1.0\",\n"
		"  \"runs\": [{\n    \"tool\": {\"driver\": {\"name\": \"repoguard\", \"version\": \""
		RG_VERSION "\", \"semanticVersion\": \"" RG_VERSION "\",\n      \"rules\": [");
	sarif_rules(&b, ids, nids, f);
	rg_buf_puts(&b, "]}},\n    \"automationDetails\": {\"id\": ");
	{
		char *cat = rg_printf("repoguard/%s/", o->command ? o->command : "check");

		rg_buf_json_str(&b, cat);
		free(cat);
	}
	rg_buf_puts(&b, "},\n    \"columnKind\": \"utf16CodeUnits\",\n    \"results\": [");
	for (i = 0; i < f->n; i++) {
		if (i)
			rg_buf_putc(&b, ',');
		sarif_result(&b, &f->v[i], index[i]);
	}
	rg_buf_puts(&b, "],\n");
	sarif_invocation(&b, f);
	rg_buf_puts(&b, "\n  }]\n}\n");
	fputs(b.ptr, o->out);
	rg_buf_dispose(&b);
	free(ids);
	free(index);
	return 0;
}

const rg_reporter rg_report_sarif = { "sarif", sarif_render };
