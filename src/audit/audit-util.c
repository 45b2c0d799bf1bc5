/* audit-util.c: wording shared by the audit sections. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "repoguard/audit.h"
#include "repoguard/common.h"

static const char *const audit_keys[] = {
	"secret_paths", "secret_severity", "history_severity", "largest", NULL
};
const rg_section_spec rg_audit_spec = { "audit", RG_SEC_PLAIN | RG_SEC_NO_SEVERITY, audit_keys };

/* [audit] KEY as a severity, dflt when not set; a bad one is a configuration error. */
static int audit_conf_severity(rg_conf *conf, const char *key, int dflt)
{
	const rg_conf_entry *e = rg_conf_get_one(conf, "audit", key);
	int sev;

	if (!e)
		return dflt;
	if (rg_severity_parse(&sev, e->value) < 0) {
		rg_conf_error(conf, e, "%s must be error, warn or off", key);
		return dflt;
	}
	return sev;
}

void rg_audit_conf_load(rg_audit *a, rg_conf *conf)
{
	a->secret_sev = audit_conf_severity(conf, "secret_severity", RG_SEV_ERROR);
	a->history_sev = audit_conf_severity(conf, "history_severity", RG_SEV_WARN);
	if (a->secret_sev != RG_SEV_OFF)
		rg_conf_patterns(&a->secret, conf, "audit", "secret_paths");
	{
		int64_t n = rg_conf_int(conf, "audit", "largest", 10);

		if (n < 0 || n > 1000)
			rg_conf_error(conf, rg_conf_get(conf, "audit", "largest"),
				"largest must be between 0 and 1000");
		a->largest = n < 0 ? 0 : n > 1000 ? 1000 : (size_t)n;
	}
}

void rg_audit_conf_check(rg_conf *conf)
{
	rg_audit a;

	memset(&a, 0, sizeof(a));
	rg_audit_conf_load(&a, conf);
	rg_patlist_free(&a.secret);
}

const char rg_audit_rewrite_warning[] =
	"Rewriting history changes the id of every commit from the first one it touches: "
	"agree on a time with everyone who has a clone, run it in a fresh clone, force-push "
	"every branch and tag, and have everyone re-clone (old clones, forks and open pull "
	"requests still hold the old objects).";

void rg_audit_ref_name(rg_buf *out, const rg_audit *a, uint32_t ref)
{
	const char *n;

	if (ref == RG_HIST_NONE || ref >= a->hist.nrefs) {
		rg_buf_puts(out, "no ref");
		return;
	}
	n = a->hist.refs[ref].name;
	if (!strcmp(n, "HEAD")) {
		rg_buf_puts(out, "HEAD");
		if (a->ctx->branch)
			rg_buf_printf(out, " (%s)", a->ctx->branch);
	} else if (rg_str_startswith(n, "refs/heads/")) {
		rg_buf_puts(out, n + strlen("refs/heads/"));
	} else if (rg_str_startswith(n, "refs/remotes/")) {
		rg_buf_puts(out, n + strlen("refs/remotes/"));
	} else if (rg_str_startswith(n, "refs/tags/")) {
		rg_buf_printf(out, "tag %s", n + strlen("refs/tags/"));
	} else {
		rg_buf_puts(out, n);
	}
}

void rg_audit_commit_hex(char *out, const rg_audit *a, uint32_t commit)
{
	git_oid_tostr(out, GIT_OID_HEXSZ + 1, &a->hist.commits[commit].id);
}

void rg_audit_commit_desc(rg_buf *out, const rg_audit *a, uint32_t commit)
{
	git_commit *c = NULL;
	char hex[GIT_OID_HEXSZ + 1];

	rg_audit_commit_hex(hex, a, commit);
	rg_buf_printf(out, "%.10s", hex);
	if (git_commit_lookup(&c, a->ctx->repo, &a->hist.commits[commit].id) == 0) {
		const git_signature *s = git_commit_author(c);
		time_t t = (time_t)s->when.time;
		struct tm tm;
		char date[32];

		gmtime_r(&t, &tm);
		strftime(date, sizeof(date), "%Y-%m-%d", &tm);
		rg_buf_printf(out, " by %s on %s", s->name, date);
		git_commit_free(c);
	}
	git_error_clear();
}

void rg_audit_files_bytes(rg_buf *out, uint64_t files, uint64_t bytes, int unknown)
{
	char count[32], size[32];

	rg_fmt_count(count, sizeof(count), files);
	rg_fmt_size(size, sizeof(size), bytes);
	rg_buf_printf(out, "%s file%s, %s%s", count, files == 1 ? "" : "s",
		unknown ? "at least " : "", size);
}

uint32_t rg_audit_deleted_in(rg_audit *a, const char *path)
{
	const rg_hist *h = &a->hist;
	uint32_t c = h->head;

	while (c != RG_HIST_NONE && h->commits[c].nparents) {
		uint32_t p = h->parent_ix[h->commits[c].parents];

		if (rg_hist_commit_has_path(&a->hist, p, path) == 1)
			return c;
		c = p;
	}
	return RG_HIST_NONE;
}

int rg_audit_pattern_literal(const rg_pattern *p)
{
	return !(p->flags & (RG_PAT_BASENAME | RG_PAT_NEGATE)) && rg_pattern_is_literal(p->pattern);
}

int rg_audit_protect_never(rg_audit *a, const rg_pattern *p)
{
	if (!a->history || a->hist.head == RG_HIST_NONE || !rg_audit_pattern_literal(p))
		return 0;
	if (rg_hist_commit_has_path(&a->hist, a->hist.head, p->pattern) == 1)
		return 0;
	return rg_audit_deleted_in(a, p->pattern) == RG_HIST_NONE;
}

void rg_audit_skip_note(rg_audit *a, const char *id)
{
	const char *p = a->skipped.ptr;
	size_t n = strlen(id);

	while (p && *p) {
		if (!strncmp(p, id, n) && (p[n] == '\0' || p[n] == ','))
			return;
		p = strchr(p, ',');
		p = p ? p + 2 : NULL;
	}
	rg_buf_printf(&a->skipped, "%s%s", a->skipped.len ? ", " : "", id);
}

/*
 * Every name the audit's sections ask rg_audit_skipped about (docs/audit.md,
 * "REPOGUARD_SKIP"), with the section aliases; the content section's ids
 * (secrets.ID, content.NAME) are the engine's.
 */
const char *const rg_audit_skip_names[] = {
	"block", "size", "lfs", "protect", "secret-file",
	"secrets", "conflict", "content",
	"history", "history.block", "history.secret-file", "history.size", "history.largest",
	"checkpoint", "checkpoints", "deploy", "routes", "routing", NULL
};

int rg_audit_skipped(rg_audit *a, const char *id, const char *rule)
{
	const char *dot = strchr(id, '.');
	int r = rg_ctx_skipped(a->ctx, id) || (rule && rg_ctx_skipped(a->ctx, rule));

	if (!r && dot) {
		char *family = rg_strndup(id, (size_t)(dot - id));

		r = rg_ctx_skipped(a->ctx, family);
		free(family);
	}
	if (r)
		rg_audit_skip_note(a, id);
	return r;
}

void rg_audit_origin(rg_buf *out, const rg_pattern *p)
{
	if (p->line > 0)
		rg_buf_printf(out, "%s:%d", p->file, p->line);
	else
		rg_buf_puts(out, p->file);
}
