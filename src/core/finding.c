/* finding.c: the findings list shared by rules and reporters. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "repoguard/buf.h"
#include "repoguard/common.h"
#include "repoguard/finding.h"

void rg_findings_init(rg_findings *f)
{
	memset(f, 0, sizeof(*f));
}

void rg_findings_free(rg_findings *f)
{
	size_t i;

	for (i = 0; i < f->n; i++) {
		rg_finding *x = &f->v[i];

		free(x->rule); free(x->commit); free(x->path);
		free(x->message); free(x->detail); free(x->fix); free(x->key);
	}
	for (i = 0; i < f->ninfos; i++)
		free(f->infos[i]);
	free(f->infos);
	free(f->v);
	memset(f, 0, sizeof(*f));
}

static char *dup_or_null(const char *s)
{
	return s ? rg_strdup(s) : NULL;
}

rg_finding *rg_findings_add(rg_findings *f, const char *rule, int severity,
	const char *commit, const char *path, int line, const char *message)
{
	rg_finding *x;

	RG_GROW(f->v, f->alloc, f->n + 1);
	x = &f->v[f->n++];
	memset(x, 0, sizeof(*x));
	x->rule = rg_strdup(rule);
	x->severity = severity;
	x->commit = dup_or_null(commit);
	x->path = dup_or_null(path);
	x->line = line;
	x->message = rg_strdup(message);
	return x;
}

void rg_findings_take(rg_findings *dst, rg_findings *src)
{
	size_t i;

	if (src->n) {
		RG_GROW(dst->v, dst->alloc, dst->n + src->n);
		memcpy(dst->v + dst->n, src->v, src->n * sizeof(*src->v));
		dst->n += src->n;
	}
	for (i = 0; i < src->ninfos; i++) {
		RG_GROW(dst->infos, dst->infos_alloc, dst->ninfos + 1);
		dst->infos[dst->ninfos++] = src->infos[i];
	}
	dst->notes += src->notes;
	free(src->v);
	free(src->infos);
	memset(src, 0, sizeof(*src));
}

void rg_finding_set_detail(rg_finding *x, const char *s)
{
	free(x->detail);
	x->detail = dup_or_null(s);
}

void rg_finding_set_fix(rg_finding *x, const char *s)
{
	free(x->fix);
	x->fix = dup_or_null(s);
}

void rg_findings_info(rg_findings *f, const char *fmt, ...)
{
	va_list ap;

	RG_GROW(f->infos, f->infos_alloc, f->ninfos + 1);
	va_start(ap, fmt);
	f->infos[f->ninfos++] = rg_vprintf(fmt, ap);
	va_end(ap);
}

size_t rg_findings_count(const rg_findings *f, int severity)
{
	size_t i, n = 0;

	for (i = 0; i < f->n; i++)
		if (f->v[i].severity == severity)
			n++;
	return n;
}

const char *rg_severity_name(int sev)
{
	switch (sev) {
	case RG_SEV_ERROR: return "error";
	case RG_SEV_WARN: return "warning";
	case RG_SEV_NOTE: return "note";
	default: return "off";
	}
}

int rg_severity_parse(int *out, const char *s)
{
	if (!strcasecmp(s, "error"))
		*out = RG_SEV_ERROR;
	else if (!strcasecmp(s, "warn") || !strcasecmp(s, "warning"))
		*out = RG_SEV_WARN;
	else if (!strcasecmp(s, "off") || !strcasecmp(s, "none"))
		*out = RG_SEV_OFF;
	else
		return RG_ERROR;
	return RG_OK;
}
